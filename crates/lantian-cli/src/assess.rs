//! `lantian assess`: the figures of a bulletin for a region and period (with and without the
//! sand-dust deduction), the baseline comparison, compliance, targets, and district or station
//! rankings; `lantian assess annual`: the annual assessment of every station and the city, a
//! row per year. Reading, parsing and printing only; the numbers come from `lantian-assess`.

use anyhow::{Context, Result, bail};
use chrono::{Datelike, Duration, NaiveDate};
use clap::{Args, Subcommand, ValueEnum};
use lantian_aqi::Standard;
use lantian_aqi::series::HourlySeries;
use lantian_assess::area::{AreaAssessment, assess_area};
use lantian_assess::change::{change, points};
use lantian_assess::composite::{GB3095_2012, GB3095_2026_FINAL, GB3095_2026_TRANSITIONAL, Limits};
use lantian_assess::days::{DayCounts, count_days};
use lantian_assess::dust::{self, DustDays, DustSource, Treatment};
use lantian_assess::period::Period;
use lantian_assess::ranking::{Ranked, rank};
use lantian_assess::region::{CityMethod, area_days};
use lantian_assess::stats::{DayValues, PeriodStats};
use lantian_assess::target::{TargetProgress, concentration_target, days_target};
use lantian_model::Registry;
use lantian_store::Store;
use lantian_store::matrix::MatrixReader;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::path::PathBuf;

use crate::OutFormat;

#[derive(Args, Clone)]
#[command(args_conflicts_with_subcommands = true)]
pub struct AssessArgs {
    #[command(subcommand)]
    command: Option<AssessCommand>,
    /// "beijing" or a district (e.g. 海淀).
    #[arg(long, default_value = "beijing")]
    region: String,
    /// 2023, 2023-H1, 2023-Q2, 2023-05, 2024-YTD-06-04 or 2023-01-01..2023-06-30.
    #[arg(long)]
    period: Option<String>,
    /// Baseline period (default: the same period a year earlier; `none` for no comparison).
    #[arg(long)]
    compare: Option<String>,
    /// A table of the region's districts or stations, with rankings, instead of one area.
    #[arg(long, value_enum)]
    by: Option<By>,
    #[command(flatten)]
    common: Common,
    /// Annual targets: `PM2.5=30` (published annual mean at most 30), `good-days=280`.
    #[arg(long)]
    target: Vec<String>,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    format: OutFormat,
}

/// Options shared by `assess` and `assess annual`.
#[derive(Args, Clone)]
pub(crate) struct Common {
    /// Which stations form the area value.
    #[arg(long, value_enum, default_value_t = StationSet::Assessment)]
    stations: StationSet,
    /// How the area's daily value is formed.
    #[arg(long, value_enum, default_value_t = Method::StationDays)]
    method: Method,
    /// AQI edition for the day counts (default: the one in force on each date).
    #[arg(long)]
    standard: Option<String>,
    /// Limits for the composite index and compliance.
    #[arg(long, value_enum, default_value_t = LimitsArg::Gb3095_2012)]
    limits: LimitsArg,
    /// Official list of sand-dust days (one date or range `a..b` per line, `#` comments).
    /// Without it the days are detected (PM10 > 150 and PM2.5/PM10 ≤ 0.35; docs/assessment.md).
    #[arg(long)]
    dust_days: Option<PathBuf>,
    /// `detect` (default without --dust-days) or `none` (no deduction; figures are still shown
    /// both ways when a deduction applies).
    #[arg(long, value_enum, default_value_t = DustArg::Detect)]
    dust: DustArg,
    /// Source(s) to read (default: all).
    #[arg(long)]
    pub(crate) source: Vec<String>,
}

#[derive(Subcommand, Clone)]
enum AssessCommand {
    /// The annual assessment of every station and of the region, a CSV/JSON row per year and
    /// station (figures unrounded and published, valid days and whether GB 3095 Table 4 holds,
    /// day counts, composite index).
    Annual {
        /// First year.
        #[arg(long)]
        from: i32,
        /// Last year.
        #[arg(long)]
        to: i32,
        /// "beijing" (or "all": every registry station) or a district.
        #[arg(long, default_value = "beijing")]
        region: String,
        /// Also a row per area of the registry (its `district_zh` column: Beijing's districts,
        /// or the cities of a national registry such as `lantian generate` writes), the area's
        /// days formed from its stations in the chosen set as the region's are.
        #[arg(long, alias = "districts")]
        cities: bool,
        #[command(flatten)]
        common: Common,
        #[arg(long, value_enum, default_value_t = OutFormat::Csv)]
        format: OutFormat,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
}

#[derive(ValueEnum, Clone, Copy, PartialEq, Debug)]
pub(crate) enum By {
    District,
    Station,
}

#[derive(ValueEnum, Clone, Copy, PartialEq, Debug)]
enum StationSet {
    /// Urban and suburban assessment stations (no control, regional or traffic sites).
    Assessment,
    /// Stations with a national (CNEMC) code.
    National,
    /// Every registry station in the region.
    All,
}

#[derive(ValueEnum, Clone, Copy, PartialEq, Debug)]
enum Method {
    /// Mean of the stations' daily values.
    StationDays,
    /// Daily value of the area's hourly mean.
    HourlyMean,
}

#[derive(ValueEnum, Clone, Copy, PartialEq, Debug)]
enum LimitsArg {
    #[value(name = "gb3095-2012")]
    Gb3095_2012,
    #[value(name = "gb3095-2026-transitional")]
    Gb3095_2026Transitional,
    #[value(name = "gb3095-2026-final")]
    Gb3095_2026Final,
}

#[derive(ValueEnum, Clone, Copy, PartialEq, Debug)]
enum DustArg {
    Detect,
    None,
}

impl AssessArgs {
    /// The defaults of `lantian assess --period PERIOD --compare none` (for `quickstart`).
    pub fn for_period(period: &str) -> AssessArgs {
        #[derive(clap::Parser)]
        struct Wrap {
            #[command(flatten)]
            a: AssessArgs,
        }
        <Wrap as clap::Parser>::parse_from(["assess", "--period", period, "--compare", "none"]).a
    }
}

impl Common {
    pub(crate) fn limits(&self) -> &'static Limits {
        match self.limits {
            LimitsArg::Gb3095_2012 => &GB3095_2012,
            LimitsArg::Gb3095_2026Transitional => &GB3095_2026_TRANSITIONAL,
            LimitsArg::Gb3095_2026Final => &GB3095_2026_FINAL,
        }
    }
    fn method(&self) -> CityMethod {
        match self.method {
            Method::StationDays => CityMethod::MeanOfStationDays,
            Method::HourlyMean => CityMethod::DayOfAreaHourlyMean,
        }
    }
    pub(crate) fn standard(&self) -> Result<Option<Standard>> {
        Ok(match self.standard.as_deref() {
            None | Some("auto") => None,
            Some(s) => Some(Standard::parse(s)?),
        })
    }
    /// The registry stations of `region` in the chosen set.
    pub(crate) fn codes(&self, reg: &Registry, region: &str) -> Result<Vec<String>> {
        let codes: Vec<String> = crate::aqi::region_stations(reg, region)
            .into_iter()
            .filter(|c| {
                let Some(s) = reg.get(c) else { return false };
                match self.stations {
                    StationSet::Assessment => s.role.is_assessment(),
                    StationSet::National => s.national_code.is_some(),
                    StationSet::All => true,
                }
            })
            .collect();
        if codes.is_empty() {
            bail!(
                "--region '{region}' with --stations {:?}: no registry station (try beijing or a district such as 海淀)",
                self.stations
            );
        }
        Ok(codes)
    }
    fn dust_list(&self) -> Result<Option<DustDays>> {
        self.dust_days
            .as_deref()
            .map(DustDays::read)
            .transpose()
            .map_err(Into::into)
    }
}

/// Hourly series of the stations with data between `first` and `last` (whole natural days).
fn read_series(
    reader: &MatrixReader,
    codes: &[String],
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Vec<(String, HourlySeries)>> {
    let start = first.and_hms_opt(1, 0, 0).expect("01:00");
    let end = (last + Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .expect("00:00");
    let len = (end - start).num_hours() as usize + 1;
    let hourly = crate::aqi::read_hourly_from(reader, codes, start, end, len, false)?;
    let mut out: Vec<(String, HourlySeries)> = hourly
        .into_iter()
        .map(|(c, values)| (c, HourlySeries { start, values }))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// The assessment of one area over one period (see `lantian_assess::area`).
type Assessed = AreaAssessment;

fn assess_days(
    period: &Period,
    stations: Vec<String>,
    daily: &BTreeMap<NaiveDate, DayValues>,
    dust: &BTreeSet<NaiveDate>,
    c: &Common,
) -> Result<Assessed> {
    Ok(assess_area(
        period,
        stations,
        daily,
        dust,
        c.standard()?,
        c.limits(),
    )?)
}

/// A baseline without a single valid day is no baseline: "268 more excellent-or-good days than
/// a year earlier" against an empty year would be false.
fn has_data(a: &Assessed) -> bool {
    a.days.valid > 0 || a.stats.stats.iter().any(|s| s.value.is_some())
}

/// The dust days to deduct in `period`: the list's, else the rule's on the city days.
fn dust_days(
    c: &Common,
    list: &Option<DustDays>,
    city: &BTreeMap<NaiveDate, DayValues>,
) -> Option<DustDays> {
    match (list, c.dust) {
        (Some(l), _) => Some(l.clone()),
        (None, DustArg::Detect) => Some(dust::detect(city)),
        (None, DustArg::None) => None,
    }
}

impl AssessArgs {
    /// The AQI edition asked for (`None`: the one in force on each date).
    pub(crate) fn standard(&self) -> Result<Option<Standard>> {
        self.common.standard()
    }
}

/// The JSON document `lantian assess --format json` prints for `a` (period required), from an
/// open snapshot.
pub(crate) fn document(
    reader: &MatrixReader,
    reg: &Registry,
    a: &AssessArgs,
) -> Result<serde_json::Value> {
    let (f, period) = figures_of(reader, reg, a)?;
    figures_doc(&a.region, &a.common, &period, a.by, &f)
}

/// The [`Figures`] of `a` (period required) and its period.
pub(crate) fn figures_of(
    reader: &MatrixReader,
    reg: &Registry,
    a: &AssessArgs,
) -> Result<(Figures, Period)> {
    let Some(period) = &a.period else {
        bail!("--period is required");
    };
    let period = Period::parse(period)?;
    let baseline = match &a.compare {
        Some(c) if c == "none" => None,
        Some(c) => Some(Period::parse(c)?),
        None => Some(period.previous_year()),
    };
    let targets = parse_targets(&a.target)?;
    let f = figures(
        reader,
        reg,
        &a.region,
        &period,
        baseline.as_ref(),
        &a.common,
        &targets,
        a.by,
    )?;
    Ok((f, period))
}

pub async fn run(store_path: &std::path::Path, reg: &Registry, a: &AssessArgs) -> Result<()> {
    if let Some(AssessCommand::Annual {
        from,
        to,
        region,
        cities,
        common,
        format,
        out,
    }) = &a.command
    {
        let areas = cities.then_some(AreaRows::ByDistrict);
        return annual(
            store_path,
            reg,
            (*from, *to),
            region,
            areas,
            common,
            *format,
            out.as_deref(),
        )
        .await;
    }
    if a.period.is_none() {
        bail!("--period is required (e.g. --period 2023-H1), or use `lantian assess annual`");
    }
    let store = Store::open(store_path).await?;
    let reader = store.matrix_reader(&a.common.source).await?;
    let (f, period) = figures_of(&reader, reg, a)?;
    if let Some(by) = a.by {
        return print_by(a, by, &period, &f.groups, &f.dust_in_current);
    }
    print_area(
        a,
        &f.current,
        f.baseline.as_ref(),
        f.dust.as_ref().map(|d| (&d.source, &f.dust_in_current)),
        &f.targets,
    )
}

/// Everything `assess` computes for one region and period, for printing, the bulletin and the
/// API.
pub(crate) struct Figures {
    pub current: Assessed,
    pub baseline: Option<Assessed>,
    /// The dust days in force (the list's, or detected on the city days), and those inside the
    /// period and the baseline.
    pub dust: Option<DustDays>,
    pub dust_in_current: BTreeSet<NaiveDate>,
    pub dust_in_baseline: BTreeSet<NaiveDate>,
    /// Target arithmetic.
    pub targets: Vec<TargetProgress>,
    /// With `by`: (district or station, current, baseline).
    pub groups: Vec<Row>,
    /// The area's daily values over the period (and from 1 January when targets are asked).
    pub city_days: BTreeMap<NaiveDate, DayValues>,
    pub base_city_days: Option<BTreeMap<NaiveDate, DayValues>>,
    /// Hourly series of the stations over the period.
    pub series: Vec<(String, HourlySeries)>,
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn figures(
    reader: &MatrixReader,
    reg: &Registry,
    region: &str,
    period: &Period,
    baseline: Option<&Period>,
    c: &Common,
    targets: &[Target],
    by: Option<By>,
) -> Result<Figures> {
    let codes = c.codes(reg, region)?;
    let list = c.dust_list()?;
    // Targets need the year from 1 January.
    let year_start = NaiveDate::from_ymd_opt(period.last.year(), 1, 1).expect("1 January");
    let read_first = if targets.is_empty() {
        period.first
    } else {
        period.first.min(year_start)
    };
    let series = read_series(reader, &codes, read_first, period.last)?;
    if series.is_empty() {
        bail!("no 1-h data in the store for {region} in {period} (see `lantian coverage`)");
    }
    let base_series = match baseline {
        Some(b) => Some(read_series(reader, &codes, b.first, b.last)?),
        None => None,
    };
    let city = |s: &[(String, HourlySeries)]| {
        let only: Vec<HourlySeries> = s.iter().map(|x| x.1.clone()).collect();
        area_days(&only, c.method())
    };
    let city_days = city(&series);
    let base_city_days = base_series.as_deref().map(city);
    let dust_cur = dust_days(c, &list, &city_days);
    let dust_base = base_city_days.as_ref().and_then(|d| dust_days(c, &list, d));
    let in_period = |d: &Option<DustDays>, p: &Period| -> BTreeSet<NaiveDate> {
        d.as_ref()
            .map(|d| {
                d.dates
                    .range(p.first..=p.last)
                    .copied()
                    .collect::<BTreeSet<_>>()
            })
            .unwrap_or_default()
    };
    let dust_in_cur = in_period(&dust_cur, period);
    let dust_in_base = baseline
        .map(|b| in_period(&dust_base, b))
        .unwrap_or_default();
    let names = |s: &[(String, HourlySeries)]| s.iter().map(|x| x.0.clone()).collect::<Vec<_>>();

    let mut groups = Vec::new();
    if let Some(by) = by {
        // Group the stations into districts or keep them one by one.
        let group_of = |code: &str| -> String {
            match by {
                By::Station => code.to_string(),
                By::District => reg
                    .get(code)
                    .map(|s| s.district_zh.clone())
                    .unwrap_or_else(|| "?".into()),
            }
        };
        let names_of: BTreeSet<String> = series.iter().map(|s| group_of(&s.0)).collect();
        for g in names_of {
            let pick = |s: &[(String, HourlySeries)]| -> Vec<(String, HourlySeries)> {
                s.iter().filter(|x| group_of(&x.0) == g).cloned().collect()
            };
            let cur_s = pick(&series);
            let cur = assess_days(period, names(&cur_s), &city(&cur_s), &dust_in_cur, c)?;
            let base = match (baseline, &base_series) {
                (Some(b), Some(bs)) => {
                    let bs = pick(bs);
                    (!bs.is_empty())
                        .then(|| assess_days(b, names(&bs), &city(&bs), &dust_in_base, c))
                        .transpose()?
                        .filter(has_data)
                }
                _ => None,
            };
            groups.push((g, cur, base));
        }
    }

    let cur = assess_days(period, names(&series), &city_days, &dust_in_cur, c)?;
    let base = match (baseline, &base_series, &base_city_days) {
        (Some(b), Some(bs), Some(bd)) if !bs.is_empty() => {
            Some(assess_days(b, names(bs), bd, &dust_in_base, c)?)
        }
        _ => None,
    }
    .filter(has_data);
    // Targets, on the deducted days of the year up to the period's last date with data.
    // Concentration targets on the deducted days, day targets on all days (as the official
    // figures are formed).
    let deducted_year = dust::deduct(&city_days, &dust_in_cur, Treatment::DropPm);
    let target_docs = run_targets(targets, period, year_start, &deducted_year, &city_days, c)?;
    Ok(Figures {
        current: cur,
        baseline: base,
        dust: dust_cur,
        dust_in_current: dust_in_cur,
        dust_in_baseline: dust_in_base,
        targets: target_docs,
        groups,
        city_days,
        base_city_days,
        series,
    })
}

pub(crate) enum Target {
    Mean(&'static str, f64),
    GoodDays(usize),
}

pub(crate) fn parse_targets(items: &[String]) -> Result<Vec<Target>> {
    items
        .iter()
        .map(|t| {
            let (k, v) = t
                .split_once('=')
                .with_context(|| format!("--target '{t}': expected NAME=VALUE, e.g. PM2.5=30"))?;
            let k = k.trim();
            if k.eq_ignore_ascii_case("good-days") {
                return Ok(Target::GoodDays(v.trim().parse().with_context(|| {
                    format!("--target '{t}': '{v}' is not a number of days")
                })?));
            }
            let p = match k.to_uppercase().replace('_', ".").as_str() {
                "PM2.5" | "PM25" => "PM2.5",
                "PM10" => "PM10",
                "NO2" => "NO2",
                "SO2" => "SO2",
                _ => bail!(
                    "--target '{t}': '{k}' has no mean target (PM2.5, PM10, NO2, SO2 or good-days)"
                ),
            };
            let v: f64 = v
                .trim()
                .parse()
                .with_context(|| format!("--target '{t}': '{v}' is not a number"))?;
            Ok(Target::Mean(p, v))
        })
        .collect()
}

fn run_targets(
    targets: &[Target],
    period: &Period,
    year_start: NaiveDate,
    days: &BTreeMap<NaiveDate, DayValues>,
    all_days: &BTreeMap<NaiveDate, DayValues>,
    c: &Common,
) -> Result<Vec<TargetProgress>> {
    let mut out = Vec::new();
    for t in targets {
        match t {
            Target::Mean(p, target) => {
                let get = |v: &DayValues| match *p {
                    "PM2.5" => v.pm25,
                    "PM10" => v.pm10,
                    "NO2" => v.no2,
                    _ => v.so2,
                };
                let so_far: Vec<(NaiveDate, f64)> = days
                    .range(year_start..=period.last)
                    .filter_map(|(d, v)| get(v).map(|x| (*d, x)))
                    .collect();
                let Some(as_of) = so_far.last().map(|x| x.0) else {
                    bail!(
                        "--target {p}: no valid {p} day in {} so far",
                        year_start.year()
                    );
                };
                let vals: Vec<f64> = so_far.iter().map(|x| x.1).collect();
                out.push(TargetProgress::Concentration(concentration_target(
                    p, *target, as_of, &vals,
                )));
            }
            Target::GoodDays(n) => {
                let ytd = Period::parse(&format!("{year_start}..{}", period.last))?;
                let counted = count_days(&ytd, all_days, c.standard()?)?;
                let as_of = all_days
                    .range(year_start..=period.last)
                    .next_back()
                    .map(|x| *x.0)
                    .unwrap_or(period.last);
                out.push(TargetProgress::Days(days_target(
                    *n,
                    as_of,
                    counted.excellent_or_good,
                )));
            }
        }
    }
    Ok(out)
}

fn fmt_value(pollutant: &str, v: Option<f64>) -> String {
    v.map(|v| {
        if pollutant == "CO" {
            format!("{v:.1}")
        } else {
            format!("{v:.0}")
        }
    })
    .unwrap_or("-".into())
}

/// The JSON document of `assess --format json` for one area (also the API's).
pub(crate) fn area_doc(
    region: &str,
    c: &Common,
    cur: &Assessed,
    base: Option<&Assessed>,
    dust: Option<(&DustSource, &BTreeSet<NaiveDate>)>,
    targets: &[TargetProgress],
) -> Result<serde_json::Value> {
    let dust_doc = dust.map(|(s, d)| serde_json::json!({ "source": s, "days": d }));
    Ok(serde_json::json!({
        "region": region,
        "stations": format!("{:?}", c.stations).to_lowercase(),
        "method": format!("{:?}", c.method).to_lowercase(),
        "sand_dust": dust_doc,
        "current": cur,
        "baseline": base,
        // The bulletin's changes (published values; percent to one decimal), as the report has.
        "comparison": base.map(|b| lantian_assess::area::AreaComparison::of(cur, b)),
        "targets": targets,
    }))
}

/// The whole `assess --format json` document of `f` (one area, or with `by` the table).
pub(crate) fn figures_doc(
    region: &str,
    c: &Common,
    period: &Period,
    by: Option<By>,
    f: &Figures,
) -> Result<serde_json::Value> {
    match by {
        Some(by) => Ok(by_doc(region, by, period, &f.groups, &f.dust_in_current)),
        None => area_doc(
            region,
            c,
            &f.current,
            f.baseline.as_ref(),
            f.dust.as_ref().map(|d| (&d.source, &f.dust_in_current)),
            &f.targets,
        ),
    }
}

fn print_area(
    a: &AssessArgs,
    cur: &Assessed,
    base: Option<&Assessed>,
    dust: Option<(&DustSource, &BTreeSet<NaiveDate>)>,
    targets: &[TargetProgress],
) -> Result<()> {
    let mut out = std::io::stdout().lock();
    if a.format == OutFormat::Json {
        let doc = area_doc(&a.region, &a.common, cur, base, dust, targets)?;
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        return Ok(());
    }
    let targets: Vec<serde_json::Value> = targets
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<_, _>>()?;
    let targets = &targets[..];
    let c = &a.common;
    let csv = a.format == OutFormat::Csv;
    let bp = base.map(|b| b.period.clone()).unwrap_or_default();
    if csv {
        writeln!(
            out,
            "pollutant,statistic,unit,value,published,valid_days,days,rule_met,undeducted_value,undeducted_published,baseline,change_percent"
        )?;
    } else {
        writeln!(
            out,
            "{} {} — {} stations ({:?}), area day = {:?}",
            a.region,
            cur.period,
            cur.stations.len(),
            c.stations,
            c.method
        )?;
        writeln!(out, "stations: {}", cur.stations.join(", "))?;
        match dust {
            Some((src, days)) => writeln!(
                out,
                "sand-dust days deducted ({}; their PM10 and PM2.5 left out of the concentrations, day counts keep them): {}{}",
                match src {
                    DustSource::List(f) => format!("list {f}"),
                    DustSource::Detected => format!(
                        "detected: PM10 > {} and PM2.5/PM10 ≤ {}",
                        dust::DETECT_PM10_ABOVE,
                        dust::DETECT_RATIO_AT_MOST
                    ),
                },
                days.len(),
                if days.is_empty() {
                    String::new()
                } else {
                    format!(
                        " — {}",
                        days.iter()
                            .map(|d| d.format("%m-%d").to_string())
                            .collect::<Vec<_>>()
                            .join(" ")
                    )
                }
            )?,
            None => writeln!(out, "sand-dust deduction: none (--dust none)")?,
        }
        writeln!(
            out,
            "{:<6} {:<32} {:>9} {:>9} {:>11} {:>5} {:>10} {:>8}",
            "", "statistic", "published", "no-deduct", "valid/days", "rule", bp, "change"
        )?;
    }
    for s in &cur.stats.stats {
        let find = |st: &PeriodStats| {
            st.stats
                .iter()
                .find(|x| x.pollutant == s.pollutant && x.statistic == s.statistic)
                .cloned()
        };
        let raw = find(&cur.stats_undeducted);
        let bv = base.and_then(|b| find(&b.stats)).and_then(|b| b.published);
        let ch = match (s.published, bv) {
            (Some(x), Some(y)) => change(x, y).percent,
            _ => None,
        };
        let opt = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        if csv {
            writeln!(
                out,
                "{},{},{},{},{},{},{},{},{},{},{},{}",
                s.pollutant,
                s.label,
                s.unit,
                opt(s.value),
                opt(s.published),
                s.completeness.valid,
                s.completeness.expected,
                s.completeness.meets_rule,
                opt(raw.as_ref().and_then(|r| r.value)),
                opt(raw.as_ref().and_then(|r| r.published)),
                opt(bv),
                opt(ch)
            )?;
        } else {
            writeln!(
                out,
                "{:<6} {:<32} {:>9} {:>9} {:>11} {:>5} {:>10} {:>8}",
                s.pollutant,
                s.label,
                fmt_value(s.pollutant, s.published),
                fmt_value(s.pollutant, raw.and_then(|r| r.published)),
                format!("{}/{}", s.completeness.valid, s.completeness.expected),
                if s.completeness.meets_rule {
                    "ok"
                } else {
                    "FAIL"
                },
                fmt_value(s.pollutant, bv),
                ch.map(|c| format!("{c:+.1}%")).unwrap_or("-".into())
            )?;
        }
    }
    if csv {
        return Ok(());
    }
    let days_line = |d: &DayCounts| {
        format!(
            "{} valid of {}{}; 优 {} 良 {} 轻度 {} 中度 {} 重度 {} 严重 {}; excellent-or-good {} ({}%), heavy {}",
            d.valid,
            d.days,
            if d.partial > 0 {
                format!(" ({} rated without all six pollutants)", d.partial)
            } else {
                String::new()
            },
            d.by_level[0],
            d.by_level[1],
            d.by_level[2],
            d.by_level[3],
            d.by_level[4],
            d.by_level[5],
            d.excellent_or_good,
            d.excellent_or_good_ratio
                .map(|r| format!("{r:.1}"))
                .unwrap_or("-".into()),
            d.heavy
        )
    };
    let d = &cur.days;
    writeln!(out, "days: {}", days_line(d))?;
    writeln!(
        out,
        "days, sand-dust days left out: {}",
        days_line(&cur.days_without_dust_days)
    )?;
    if let Some(b) = base {
        let bd = &b.days;
        writeln!(
            out,
            "vs {}: excellent {:+}, excellent-or-good {:+} days, ratio {} points, heavy {:+}",
            b.period,
            d.by_level[0] as i64 - bd.by_level[0] as i64,
            d.excellent_or_good as i64 - bd.excellent_or_good as i64,
            match (d.excellent_or_good_ratio, bd.excellent_or_good_ratio) {
                (Some(x), Some(y)) => format!("{:+.1}", points(x, y)),
                _ => "-".into(),
            },
            d.heavy as i64 - bd.heavy as i64
        )?;
    }
    writeln!(out, "primary pollutant days: {:?}", d.primary)?;
    if let Some(ci) = &cur.composite {
        write!(
            out,
            "composite index ({}): {:.2}, leading {}",
            ci.limits, ci.published, ci.leading
        )?;
        if let Some(bc) = base.and_then(|b| b.composite.as_ref()) {
            write!(out, "; {}: {:.2}", bp, bc.published)?;
        }
        writeln!(out)?;
    }
    let comp = &cur.compliance;
    let parts: Vec<String> = comp
        .pollutants
        .iter()
        .map(|p| {
            let over: Vec<String> = p
                .checks
                .iter()
                .filter(|c| !c.complies)
                .map(|c| {
                    format!(
                        "{} {} > {} ×{:.2}",
                        c.label,
                        fmt_value(p.pollutant, Some(c.value)),
                        c.limit,
                        c.exceedance_multiple.unwrap_or(0.0)
                    )
                })
                .collect();
            match p.complies {
                Some(true) => format!("{} ok", p.pollutant),
                Some(false) => format!("{} exceeds ({})", p.pollutant, over.join("; ")),
                None => format!("{} undetermined", p.pollutant),
            }
        })
        .collect();
    writeln!(
        out,
        "compliance ({}): {}; all six: {}",
        comp.limits,
        parts.join(", "),
        match comp.all_comply {
            Some(true) => "comply",
            Some(false) => "do not comply",
            None => "undetermined",
        }
    )?;
    for t in targets {
        if let Some(p) = t.get("pollutant").and_then(|p| p.as_str()) {
            writeln!(
                out,
                "target {p} ≤ {}: {} valid days to {} average {:.1}; the {} days left must average {} {} → {}",
                t["target"],
                t["valid_days"],
                t["as_of"].as_str().unwrap_or(""),
                t["mean_so_far"].as_f64().unwrap_or(f64::NAN),
                t["days_left"],
                if t["required_inclusive"].as_bool() == Some(true) {
                    "at most"
                } else {
                    "below"
                },
                t["required_mean"]
                    .as_f64()
                    .map(|r| format!("{r:.1}"))
                    .unwrap_or("-".into()),
                t["status"].as_str().unwrap_or("")
            )?;
        } else {
            writeln!(
                out,
                "target ≥ {} excellent-or-good days: {} to {}; {} more needed in the {} days left → {}",
                t["target"],
                t["so_far"],
                t["as_of"].as_str().unwrap_or(""),
                t["needed"],
                t["days_left"],
                t["status"].as_str().unwrap_or("")
            )?;
        }
    }
    Ok(())
}

pub(crate) type Row = (String, Assessed, Option<Assessed>);

type Ranks = HashMap<String, Option<usize>>;

/// Competition ranks by published PM2.5, composite index and PM2.5 improvement, and the rows
/// in PM2.5 rank order.
fn ranked(rows: &[Row]) -> (Ranks, Ranks, Ranks, Vec<&Row>) {
    let pm = |x: &Assessed| x.stats.headline("PM2.5").and_then(|s| s.published);
    let improvement =
        |cur: &Assessed, base: &Option<Assessed>| match (pm(cur), base.as_ref().and_then(pm)) {
            (Some(x), Some(y)) => change(x, y).percent,
            _ => None,
        };
    let ranks = |f: &dyn Fn(&Row) -> Option<f64>| -> Ranks {
        rank(&rows.iter().map(|r| (r.0.clone(), f(r))).collect::<Vec<_>>())
            .into_iter()
            .map(|r: Ranked| (r.name, r.rank))
            .collect()
    };
    let by_pm = ranks(&|r| pm(&r.1));
    let by_ci = ranks(&|r| r.1.composite.as_ref().map(|c| c.published));
    let by_impr = ranks(&|r| improvement(&r.1, &r.2));
    let mut order: Vec<&Row> = rows.iter().collect();
    order.sort_by_key(|r| (by_pm[&r.0].unwrap_or(usize::MAX), r.0.clone()));
    (by_pm, by_ci, by_impr, order)
}

/// The JSON document of `assess --by … --format json` (also the API's ranking).
pub(crate) fn by_doc(
    region: &str,
    by: By,
    period: &Period,
    rows: &[Row],
    dust: &BTreeSet<NaiveDate>,
) -> serde_json::Value {
    let (by_pm, by_ci, by_impr, order) = ranked(rows);
    let pm = |x: &Assessed| x.stats.headline("PM2.5").and_then(|s| s.published);
    let improvement =
        |cur: &Assessed, base: &Option<Assessed>| match (pm(cur), base.as_ref().and_then(pm)) {
            (Some(x), Some(y)) => change(x, y).percent,
            _ => None,
        };
    let doc: Vec<serde_json::Value> = order
        .iter()
        .map(|(name, cur, base)| {
            serde_json::json!({
                "name": name,
                "rank_pm25": by_pm[name],
                "rank_composite": by_ci[name],
                "rank_improvement": by_impr[name],
                "pm25_change_percent": improvement(cur, base),
                "current": cur,
                "baseline": base,
            })
        })
        .collect();
    serde_json::json!({ "region": region, "by": format!("{by:?}").to_lowercase(), "period": period.to_string(), "sand_dust_days": dust, "rows": doc })
}

fn print_by(
    a: &AssessArgs,
    by: By,
    period: &Period,
    rows: &[Row],
    dust: &BTreeSet<NaiveDate>,
) -> Result<()> {
    let mut out = std::io::stdout().lock();
    if a.format == OutFormat::Json {
        let doc = by_doc(&a.region, by, period, rows, dust);
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        return Ok(());
    }
    let (by_pm, by_ci, by_impr, order) = ranked(rows);
    let pm = |x: &Assessed| x.stats.headline("PM2.5").and_then(|s| s.published);
    let improvement =
        |cur: &Assessed, base: &Option<Assessed>| match (pm(cur), base.as_ref().and_then(pm)) {
            (Some(x), Some(y)) => change(x, y).percent,
            _ => None,
        };
    let csv = a.format == OutFormat::Csv;
    let header = [
        "name",
        "stations",
        "pm25",
        "pm25_valid_days",
        "composite",
        "excellent_or_good",
        "valid_days",
        "baseline_pm25",
        "pm25_change_percent",
        "rank_pm25",
        "rank_composite",
        "rank_improvement",
    ];
    if csv {
        writeln!(out, "{}", header.join(","))?;
    } else {
        writeln!(
            out,
            "{} {} by {:?}, {} sand-dust days deducted",
            a.region,
            period,
            by,
            dust.len()
        )?;
        writeln!(
            out,
            "{:<14} {:>4} {:>6} {:>7} {:>9} {:>9} {:>7} {:>8} {:>6} {:>6} {:>6}",
            "",
            "stns",
            "PM2.5",
            "valid",
            "composite",
            "exc/good",
            "base",
            "change",
            "#PM",
            "#index",
            "#impr"
        )?;
    }
    let r = |x: Option<usize>| x.map(|v| v.to_string()).unwrap_or("-".into());
    for (name, cur, base) in order {
        let pm25 = cur.stats.headline("PM2.5");
        let cells = [
            name.clone(),
            cur.stations.len().to_string(),
            fmt_value("PM2.5", pm25.and_then(|s| s.published)),
            pm25.map(|s| s.completeness.valid).unwrap_or(0).to_string(),
            cur.composite
                .as_ref()
                .map(|c| format!("{:.2}", c.published))
                .unwrap_or("-".into()),
            cur.days.excellent_or_good.to_string(),
            cur.days.valid.to_string(),
            fmt_value("PM2.5", base.as_ref().and_then(pm)),
            improvement(cur, base)
                .map(|c| format!("{c:+.1}"))
                .unwrap_or("-".into()),
            r(by_pm[name]),
            r(by_ci[name]),
            r(by_impr[name]),
        ];
        if csv {
            writeln!(out, "{}", cells.join(","))?;
        } else {
            writeln!(
                out,
                "{:<14} {:>4} {:>6} {:>7} {:>9} {:>9} {:>7} {:>8} {:>6} {:>6} {:>6}",
                cells[0],
                cells[1],
                cells[2],
                cells[3],
                cells[4],
                format!("{}/{}", cells[5], cells[6]),
                cells[7],
                cells[8],
                cells[9],
                cells[10],
                cells[11]
            )?;
        }
    }
    Ok(())
}

/// `lantian assess annual`: every station and the region, each year.
#[allow(clippy::too_many_arguments)]
async fn annual(
    store_path: &std::path::Path,
    reg: &Registry,
    (from, to): (i32, i32),
    region: &str,
    areas: Option<AreaRows>,
    c: &Common,
    format: OutFormat,
    out_path: Option<&std::path::Path>,
) -> Result<()> {
    if to < from {
        bail!("--to {to} is before --from {from}");
    }
    let store = Store::open(store_path).await?;
    let reader = store.matrix_reader(&c.source).await?;
    // Every station of the region gets a row; the region's value comes from the chosen set.
    let city_codes: BTreeSet<String> = c.codes(reg, region)?.into_iter().collect();
    let codes = crate::aqi::region_stations(reg, region);
    // Each area's stations of the chosen set, by the registry's district_zh.
    let area_members: BTreeMap<String, BTreeSet<String>> = match areas {
        None => BTreeMap::new(),
        Some(AreaRows::ByDistrict) => {
            let mut m: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
            for code in &city_codes {
                if let Some(st) = reg.get(code) {
                    m.entry(st.district_zh.clone())
                        .or_default()
                        .insert(code.clone());
                }
            }
            m
        }
    };
    let list = c.dust_list()?;
    let mut rows: Vec<serde_json::Value> = Vec::new();
    let mut out: Box<dyn Write> = match out_path {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("{}: cannot create", p.display()))?,
        )),
        None => Box::new(std::io::stdout().lock()),
    };
    let csv = format != OutFormat::Json;
    let stat_cols = ANNUAL_STATS;
    if csv {
        let mut h = vec!["year".to_string(), "entity".into(), "stations".into()];
        for (p, s) in stat_cols {
            let p = p.to_lowercase().replace('.', "");
            h.push(format!("{p}_{s}"));
            h.push(format!("{p}_{s}_published"));
            h.push(format!("{p}_{s}_valid_days"));
            h.push(format!("{p}_{s}_rule_met"));
        }
        for x in [
            "valid_days",
            "excellent",
            "good",
            "lightly",
            "moderately",
            "heavily",
            "severely",
            "composite",
            "dust_days",
        ] {
            h.push(x.into());
        }
        writeln!(out, "{}", h.join(","))?;
    }
    // A year at a time: the store is read for year y + 1 while year y is assessed on another
    // thread, and at most two years of hourly values are held (a national network-year is
    // 2,000 stations × 6 pollutants × 8,760 hours).
    let mut pending: Option<tokio::task::JoinHandle<Result<YearRows>>> = None;
    let mut emit = |done: YearRows, out: &mut dyn Write| -> Result<()> {
        for l in done.0 {
            writeln!(out, "{l}")?;
        }
        rows.extend(done.1);
        Ok(())
    };
    for year in from..=to {
        let period = Period::parse(&year.to_string())?;
        let (per_station, series) = station_days(&reader, &codes, &period, c.method())?;
        let (c, list, city_codes, region, area_members) = (
            c.clone(),
            list.clone(),
            city_codes.clone(),
            region.to_string(),
            area_members.clone(),
        );
        let job = tokio::task::spawn_blocking(move || {
            annual_year(
                &period,
                per_station,
                series,
                &city_codes,
                &area_members,
                &c,
                &list,
                &region,
                csv,
            )
        });
        if let Some(done) = pending.replace(job) {
            emit(done.await??, &mut out)?;
        }
    }
    if let Some(done) = pending.take() {
        emit(done.await??, &mut out)?;
    }
    if !csv {
        writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
    }
    out.flush()?;
    Ok(())
}

/// Rows per area besides the stations and the region.
#[derive(Clone, Copy, Debug)]
enum AreaRows {
    /// One per `district_zh` of the registry.
    ByDistrict,
}

/// CSV lines or JSON rows of one year.
type YearRows = (Vec<String>, Vec<serde_json::Value>);

const ANNUAL_STATS: [(&str, &str); 10] = [
    ("SO2", "mean"),
    ("NO2", "mean"),
    ("PM10", "mean"),
    ("PM2.5", "mean"),
    ("CO", "p95"),
    ("O3", "p90"),
    ("SO2", "p98"),
    ("NO2", "p98"),
    ("PM10", "p95"),
    ("PM2.5", "p95"),
];

/// A station's row of an annual run: code, number of stations (1) and its days.
type StationDays = (String, usize, BTreeMap<NaiveDate, DayValues>);

/// Hourly series by station code.
type StationSeries = Vec<(String, HourlySeries)>;

/// Stations read per matrix read of an annual run: 256 stations' year of six pollutants is
/// about 110 MB, however large the network (files are sorted by station, so a read of 256
/// neighbouring codes decodes only their row groups).
const STATIONS_PER_READ: usize = 256;

/// The days of every station with data in `period`. With the official method (an area's day is
/// the mean of its stations' days) the hourly series are read a few hundred stations at a time
/// and dropped once their days are computed, so memory does not grow with the network; the
/// hourly-mean method needs every series at once and returns them too.
fn station_days(
    reader: &MatrixReader,
    codes: &[String],
    period: &Period,
    method: CityMethod,
) -> Result<(Vec<StationDays>, Option<StationSeries>)> {
    let days_of = |series: &[(String, HourlySeries)]| -> Vec<StationDays> {
        // On all cores: a station's days are independent of the others'.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let per = series.len().div_ceil(threads).max(1);
        std::thread::scope(|sc| {
            let handles: Vec<_> = series
                .chunks(per)
                .map(|part| {
                    sc.spawn(move || {
                        part.iter()
                            .map(|(code, s)| {
                                (
                                    code.clone(),
                                    1,
                                    area_days(
                                        std::slice::from_ref(s),
                                        CityMethod::MeanOfStationDays,
                                    ),
                                )
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("station days thread panicked"))
                .collect()
        })
    };
    if method != CityMethod::MeanOfStationDays {
        let series = read_series(reader, codes, period.first, period.last)?;
        return Ok((days_of(&series), Some(series)));
    }
    let mut sorted = codes.to_vec();
    sorted.sort();
    let mut out = Vec::new();
    for chunk in sorted.chunks(STATIONS_PER_READ) {
        let series = read_series(reader, chunk, period.first, period.last)?;
        out.extend(days_of(&series));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok((out, None))
}

/// The rows of one year of `assess annual`: every station with data, then each area (with
/// `--cities`), then the region.
#[allow(clippy::too_many_arguments)]
fn annual_year(
    period: &Period,
    per_station: Vec<StationDays>,
    series: Option<StationSeries>,
    city_codes: &BTreeSet<String>,
    area_members: &BTreeMap<String, BTreeSet<String>>,
    c: &Common,
    list: &Option<DustDays>,
    region: &str,
    csv: bool,
) -> Result<YearRows> {
    let year = period.first.year();
    let stat_cols = ANNUAL_STATS;
    let mut out: YearRows = (Vec::new(), Vec::new());
    if per_station.is_empty() {
        return Ok(out);
    }
    let series = series.unwrap_or_default();
    // The city's days: with the official method, from the station days just computed.
    let city = match c.method() {
        CityMethod::MeanOfStationDays => lantian_assess::region::mean_of_station_days(
            &per_station
                .iter()
                .filter(|x| city_codes.contains(&x.0))
                .map(|x| &x.2)
                .collect::<Vec<_>>(),
        ),
        m => {
            let only: Vec<HourlySeries> = series
                .iter()
                .filter(|x| city_codes.contains(&x.0))
                .map(|x| x.1.clone())
                .collect();
            area_days(&only, m)
        }
    };
    let n_city = per_station
        .iter()
        .filter(|x| city_codes.contains(&x.0))
        .count();
    let dust: BTreeSet<NaiveDate> = dust_days(c, list, &city)
        .map(|d| d.dates.range(period.first..=period.last).copied().collect())
        .unwrap_or_default();
    // An area's days, from its members as the region's from the region's (HJ 663 §5.2: the
    // city value is the mean of its assessment stations' values).
    let area_rows: Vec<(String, usize, BTreeMap<NaiveDate, DayValues>)> = area_members
        .iter()
        .filter_map(|(name, members)| {
            let days: Vec<&BTreeMap<NaiveDate, DayValues>> = per_station
                .iter()
                .filter(|x| members.contains(&x.0))
                .map(|x| &x.2)
                .collect();
            if days.is_empty() {
                return None;
            }
            let n = days.len();
            let daily = match c.method() {
                CityMethod::MeanOfStationDays => {
                    lantian_assess::region::mean_of_station_days(&days)
                }
                m => {
                    let only: Vec<HourlySeries> = series
                        .iter()
                        .filter(|x| members.contains(&x.0))
                        .map(|x| x.1.clone())
                        .collect();
                    area_days(&only, m)
                }
            };
            Some((format!("area:{name}"), n, daily))
        })
        .collect();
    let entities = per_station
        .into_iter()
        .chain(area_rows)
        .chain(std::iter::once((format!("city:{region}"), n_city, city)));
    for (entity, n, daily) in entities {
        let a = assess_days(period, vec![], &daily, &dust, c)?;
        if csv {
            let mut cells = vec![year.to_string(), entity, n.to_string()];
            for (p, s) in stat_cols {
                let st = a.stats.stats.iter().find(|x| {
                    x.pollutant == p
                        && match s {
                            "mean" => x.statistic == lantian_assess::stats::Statistic::Mean,
                            _ => {
                                x.statistic
                                    == lantian_assess::stats::Statistic::Percentile(
                                        s[1..].parse().expect("pNN"),
                                    )
                            }
                        }
                });
                let opt = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
                cells.push(opt(st.and_then(|x| x.value)));
                cells.push(opt(st.and_then(|x| x.published)));
                cells.push(st.map(|x| x.completeness.valid).unwrap_or(0).to_string());
                // GB 3095 Table 4: 27 days a month (25 in February), 324 a year.
                cells.push(st.is_some_and(|x| x.completeness.meets_rule).to_string());
            }
            cells.push(a.days.valid.to_string());
            cells.extend(a.days.by_level.iter().map(|x| x.to_string()));
            cells.push(
                a.composite
                    .as_ref()
                    .map(|x| format!("{:.2}", x.published))
                    .unwrap_or_default(),
            );
            cells.push(dust.len().to_string());
            out.0.push(cells.join(","));
        } else {
            out.1.push(serde_json::json!({ "year": year, "entity": entity, "stations": n, "stats": a.stats, "days": a.days, "composite": a.composite, "dust_days": dust.len() }));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quickstart_defaults_are_the_command_line_defaults() {
        let a = AssessArgs::for_period("2023");
        assert_eq!(
            (a.period.as_deref(), a.compare.as_deref()),
            (Some("2023"), Some("none"))
        );
        assert_eq!(a.common.stations, StationSet::Assessment);
        assert_eq!(a.common.method, Method::StationDays);
        assert_eq!(a.common.dust, DustArg::Detect);
        assert!(a.by.is_none() && a.target.is_empty() && a.format == OutFormat::Table);
    }
}
