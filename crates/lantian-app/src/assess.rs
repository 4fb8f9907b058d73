//! A bulletin's figures for a region and period (HJ 663), the baseline comparison, targets,
//! district or station tables with rankings, and the annual assessment of every station.
//!
//! [`figures`] is the one path from a request to numbers: the command line's `assess`, the
//! bulletin and the API's `/assessment`, `/ranking` and `/calendar` all call it, and their JSON
//! answers are [`AreaDocument`] and [`RankingDocument`].

use crate::error::{AppError, Result};
use crate::options::{AssessOptions, Baseline, By, DustChoice, Method, StationSet, Target};
use crate::select::{read_days, station_codes};
use chrono::{Datelike, NaiveDate};
use lantian_aqi::series::HourlySeries;
use lantian_assess::area::{AreaAssessment, AreaComparison, DayInput, assess_area_with};
use lantian_assess::change::change;
use lantian_assess::days::count_days_with;
use lantian_assess::dust::{self, DustDays, DustSource, Treatment};
use lantian_assess::period::Period;
use lantian_assess::ranking::{Ranked, rank};
use lantian_assess::region::{CityMethod, area_days};
use lantian_assess::stats::DayValues;
use lantian_assess::target::{TargetProgress, concentration_target, days_target};
use lantian_model::Registry;
use lantian_store::matrix::MatrixReader;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What to assess: a region over a period, against a baseline, with targets; with `by`, a
/// table of its districts or stations too.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessRequest {
    /// `beijing` or a district (海淀, Haidian).
    pub region: String,
    pub period: Period,
    pub baseline: Baseline,
    pub by: Option<By>,
    pub options: AssessOptions,
    pub targets: Vec<Target>,
}

impl AssessRequest {
    /// A region's figures over `period` with the default options and baseline.
    pub fn new(region: &str, period: Period) -> AssessRequest {
        AssessRequest {
            region: region.to_string(),
            period,
            baseline: Baseline::default(),
            by: None,
            options: AssessOptions::default(),
            targets: Vec::new(),
        }
    }

    /// The baseline period, if any.
    pub fn baseline_period(&self) -> Option<Period> {
        self.baseline.of(&self.period)
    }
}

/// A district's or station's row of a table: (name, current, baseline).
pub type Row = (String, AreaAssessment, Option<AreaAssessment>);

/// Everything computed for one region and period, for printing, the bulletin and the API.
pub struct Figures {
    pub period: Period,
    pub current: AreaAssessment,
    pub baseline: Option<AreaAssessment>,
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
    /// The area's days as the day rule forms them, where not as `city_days` (the day counts and
    /// the calendar are made from these).
    pub day_city_days: Option<BTreeMap<NaiveDate, DayValues>>,
    pub base_city_days: Option<BTreeMap<NaiveDate, DayValues>>,
    /// Hourly series of the stations over the period.
    pub series: Vec<(String, HourlySeries)>,
}

/// `daily` are the area's days as its concentrations are formed; `day_daily` those of the day
/// counts where the day rule forms them otherwise ([`day_method`]).
fn assess_days(
    period: &Period,
    stations: Vec<String>,
    daily: &BTreeMap<NaiveDate, DayValues>,
    day_daily: Option<&BTreeMap<NaiveDate, DayValues>>,
    dust: &BTreeSet<NaiveDate>,
    o: &AssessOptions,
) -> Result<AreaAssessment> {
    let days = DayInput {
        daily: day_daily.unwrap_or(daily),
        practice: o.days.practice(),
    };
    Ok(assess_area_with(
        period,
        stations,
        daily,
        days,
        dust,
        o.standard.0,
        o.limits.limits(),
    )?)
}

/// How the day counts form the area's day, when not as its concentrations are formed.
fn day_method(o: &AssessOptions) -> Option<CityMethod> {
    let concentrations = o.method.city_method();
    let days = o.days.practice().city_method(concentrations);
    (days != concentrations).then_some(days)
}

/// A baseline without a single valid day is no baseline: "268 more excellent-or-good days than
/// a year earlier" against an empty year would be false.
fn has_data(a: &AreaAssessment) -> bool {
    a.days.valid > 0 || a.stats.stats.iter().any(|s| s.value.is_some())
}

/// The official list of dust days given with the options, read.
pub fn dust_list(o: &AssessOptions) -> Result<Option<DustDays>> {
    Ok(o.dust_days.as_deref().map(DustDays::read).transpose()?)
}

/// The dust days to deduct: the list's, else the rule's on the city days.
fn dust_days(
    o: &AssessOptions,
    list: &Option<DustDays>,
    city: &BTreeMap<NaiveDate, DayValues>,
) -> Option<DustDays> {
    match (list, o.dust) {
        (Some(l), _) => Some(l.clone()),
        (None, DustChoice::Detect) => Some(dust::detect(city)),
        (None, DustChoice::None) => None,
    }
}

/// The figures of `req` from an open snapshot.
pub fn figures(reader: &MatrixReader, reg: &Registry, req: &AssessRequest) -> Result<Figures> {
    let o = &req.options;
    let period = &req.period;
    let baseline = req.baseline_period();
    let baseline = baseline.as_ref();
    let codes = station_codes(reg, &req.region, o.stations)?;
    let list = dust_list(o)?;
    // Targets need the year from 1 January.
    let year_start = NaiveDate::from_ymd_opt(period.last.year(), 1, 1).expect("1 January");
    let read_first = if req.targets.is_empty() {
        period.first
    } else {
        period.first.min(year_start)
    };
    let series = read_days(reader, &codes, read_first, period.last)?;
    if series.is_empty() {
        return Err(AppError::NoData {
            subject: req.region.clone(),
            span: period.to_string(),
        });
    }
    let base_series = match baseline {
        Some(b) => Some(read_days(reader, &codes, b.first, b.last)?),
        None => None,
    };
    let days_by = |s: &[(String, HourlySeries)], m: CityMethod| {
        let only: Vec<HourlySeries> = s.iter().map(|x| x.1.clone()).collect();
        area_days(&only, m)
    };
    let city = |s: &[(String, HourlySeries)]| days_by(s, o.method.city_method());
    let day_city = |s: &[(String, HourlySeries)]| day_method(o).map(|m| days_by(s, m));
    let city_days = city(&series);
    let day_city_days = day_city(&series);
    let base_city_days = base_series.as_deref().map(city);
    let dust_cur = dust_days(o, &list, &city_days);
    let dust_base = base_city_days.as_ref().and_then(|d| dust_days(o, &list, d));
    let in_period = |d: &Option<DustDays>, p: &Period| -> BTreeSet<NaiveDate> {
        d.as_ref()
            .map(|d| d.dates.range(p.first..=p.last).copied().collect())
            .unwrap_or_default()
    };
    let dust_in_cur = in_period(&dust_cur, period);
    let dust_in_base = baseline
        .map(|b| in_period(&dust_base, b))
        .unwrap_or_default();
    let names = |s: &[(String, HourlySeries)]| s.iter().map(|x| x.0.clone()).collect::<Vec<_>>();

    let mut groups = Vec::new();
    if let Some(by) = req.by {
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
            let cur = assess_days(
                period,
                names(&cur_s),
                &city(&cur_s),
                day_city(&cur_s).as_ref(),
                &dust_in_cur,
                o,
            )?;
            let base = match (baseline, &base_series) {
                (Some(b), Some(bs)) => {
                    let bs = pick(bs);
                    (!bs.is_empty())
                        .then(|| {
                            assess_days(
                                b,
                                names(&bs),
                                &city(&bs),
                                day_city(&bs).as_ref(),
                                &dust_in_base,
                                o,
                            )
                        })
                        .transpose()?
                        .filter(has_data)
                }
                _ => None,
            };
            groups.push((g, cur, base));
        }
    }

    let cur = assess_days(
        period,
        names(&series),
        &city_days,
        day_city_days.as_ref(),
        &dust_in_cur,
        o,
    )?;
    let base = match (baseline, &base_series, &base_city_days) {
        (Some(b), Some(bs), Some(bd)) if !bs.is_empty() => Some(assess_days(
            b,
            names(bs),
            bd,
            day_city(bs).as_ref(),
            &dust_in_base,
            o,
        )?),
        _ => None,
    }
    .filter(has_data);
    // Targets, on the deducted days of the year up to the period's last date with data.
    // Concentration targets on the deducted days, day targets on all days (as the official
    // figures are formed).
    let deducted_year = dust::deduct(&city_days, &dust_in_cur, Treatment::DropPm);
    let targets = run_targets(
        &req.targets,
        period,
        year_start,
        &deducted_year,
        day_city_days.as_ref().unwrap_or(&city_days),
        o,
    )?;
    Ok(Figures {
        period: period.clone(),
        current: cur,
        baseline: base,
        dust: dust_cur,
        dust_in_current: dust_in_cur,
        dust_in_baseline: dust_in_base,
        targets,
        groups,
        city_days,
        day_city_days,
        base_city_days,
        series,
    })
}

impl Figures {
    /// The area's days the day counts and the calendar are made from.
    pub fn day_days(&self) -> &BTreeMap<NaiveDate, DayValues> {
        self.day_city_days.as_ref().unwrap_or(&self.city_days)
    }
}

fn run_targets(
    targets: &[Target],
    period: &Period,
    year_start: NaiveDate,
    days: &BTreeMap<NaiveDate, DayValues>,
    all_days: &BTreeMap<NaiveDate, DayValues>,
    o: &AssessOptions,
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
                    return Err(AppError::Incomplete {
                        parameter: "target",
                        what: p.to_string(),
                        reason: format!("no valid {p} day in {} so far", year_start.year()),
                    });
                };
                let vals: Vec<f64> = so_far.iter().map(|x| x.1).collect();
                out.push(TargetProgress::Concentration(concentration_target(
                    p, *target, as_of, &vals,
                )));
            }
            Target::GoodDays(n) => {
                let ytd = Period {
                    first: year_start,
                    last: period.last,
                    kind: lantian_assess::period::PeriodKind::Range,
                };
                let counted = count_days_with(&ytd, all_days, o.standard.0, o.days.practice())?;
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

/// The sand-dust days of an answer: where they come from and which they are.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SandDust {
    pub source: DustSource,
    pub days: BTreeSet<NaiveDate>,
}

/// The answer for one area (`lantian assess --format json`, `/api/v1/assessment`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AreaDocument {
    pub region: String,
    /// The station set of the area value.
    pub stations: StationSet,
    /// How the area's day was formed.
    pub method: Method,
    /// The sand-dust days deducted; `null` without a deduction.
    pub sand_dust: Option<SandDust>,
    pub current: AreaAssessment,
    pub baseline: Option<AreaAssessment>,
    /// The bulletin's changes (published values; percent to one decimal), as the report has.
    pub comparison: Option<AreaComparison>,
    pub targets: Vec<TargetProgress>,
}

impl AreaDocument {
    pub fn of(req: &AssessRequest, f: &Figures) -> AreaDocument {
        AreaDocument {
            region: req.region.clone(),
            stations: req.options.stations,
            method: req.options.method,
            sand_dust: f.dust.as_ref().map(|d| SandDust {
                source: d.source.clone(),
                days: f.dust_in_current.clone(),
            }),
            current: f.current.clone(),
            baseline: f.baseline.clone(),
            comparison: f
                .baseline
                .as_ref()
                .map(|b| AreaComparison::of(&f.current, b)),
            targets: f.targets.clone(),
        }
    }
}

/// One district's or station's row of a ranking.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RankingRow {
    pub name: String,
    /// Competition rank by published PM2.5 (1 = cleanest).
    pub rank_pm25: Option<usize>,
    /// Competition rank by composite index (1 = lowest).
    pub rank_composite: Option<usize>,
    /// Competition rank by PM2.5 change against the baseline (1 = largest fall).
    pub rank_improvement: Option<usize>,
    pub pm25_change_percent: Option<f64>,
    pub current: AreaAssessment,
    pub baseline: Option<AreaAssessment>,
}

/// A region's districts or stations ranked (`lantian assess --by … --format json`,
/// `/api/v1/ranking`), in PM2.5 rank order.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RankingDocument {
    pub region: String,
    pub by: By,
    pub period: String,
    pub sand_dust_days: BTreeSet<NaiveDate>,
    pub rows: Vec<RankingRow>,
}

fn pm25(a: &AreaAssessment) -> Option<f64> {
    a.stats.headline("PM2.5").and_then(|s| s.published)
}

/// The change of published PM2.5 against the baseline, in percent.
pub fn improvement(cur: &AreaAssessment, base: Option<&AreaAssessment>) -> Option<f64> {
    match (pm25(cur), base.and_then(pm25)) {
        (Some(x), Some(y)) => change(x, y).percent,
        _ => None,
    }
}

impl RankingDocument {
    /// Competition ranks by published PM2.5, composite index and PM2.5 improvement, the rows in
    /// PM2.5 rank order.
    pub fn of(region: &str, by: By, f: &Figures) -> RankingDocument {
        let rows = &f.groups;
        type Ranks = HashMap<String, Option<usize>>;
        let ranks = |v: &dyn Fn(&Row) -> Option<f64>| -> Ranks {
            rank(&rows.iter().map(|r| (r.0.clone(), v(r))).collect::<Vec<_>>())
                .into_iter()
                .map(|r: Ranked| (r.name, r.rank))
                .collect()
        };
        let by_pm = ranks(&|r| pm25(&r.1));
        let by_ci = ranks(&|r| r.1.composite.as_ref().map(|c| c.published));
        let by_impr = ranks(&|r| improvement(&r.1, r.2.as_ref()));
        let mut order: Vec<&Row> = rows.iter().collect();
        order.sort_by_key(|r| (by_pm[&r.0].unwrap_or(usize::MAX), r.0.clone()));
        RankingDocument {
            region: region.to_string(),
            by,
            period: f.period.to_string(),
            sand_dust_days: f.dust_in_current.clone(),
            rows: order
                .into_iter()
                .map(|(name, cur, base)| RankingRow {
                    name: name.clone(),
                    rank_pm25: by_pm[name],
                    rank_composite: by_ci[name],
                    rank_improvement: by_impr[name],
                    pm25_change_percent: improvement(cur, base.as_ref()),
                    current: cur.clone(),
                    baseline: base.clone(),
                })
                .collect(),
        }
    }
}

/// The answer of an assessment request: one area, or with `by` its table.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum AssessDocument {
    Area(Box<AreaDocument>),
    Ranking(RankingDocument),
}

/// The assessment of `req` as its answer document.
pub fn assess(
    reader: &MatrixReader,
    reg: &Registry,
    req: &AssessRequest,
) -> Result<AssessDocument> {
    let f = figures(reader, reg, req)?;
    Ok(document(req, &f))
}

/// The answer document of figures already computed.
pub fn document(req: &AssessRequest, f: &Figures) -> AssessDocument {
    match req.by {
        Some(by) => AssessDocument::Ranking(RankingDocument::of(&req.region, by, f)),
        None => AssessDocument::Area(Box::new(AreaDocument::of(req, f))),
    }
}

/// The calendar of a region: the daily AQI of every day of the period, as the bulletin draws
/// it.
pub fn calendar(
    reader: &MatrixReader,
    reg: &Registry,
    req: &AssessRequest,
) -> Result<Vec<CalendarDay>> {
    let f = figures(reader, reg, req)?;
    let days = lantian_report::figures::calendar(
        &req.period,
        f.day_days(),
        req.options.standard.0,
        req.options.days.practice(),
    )?;
    Ok(days
        .into_iter()
        .map(|d| {
            let cat = d.aqi.and_then(|i| {
                lantian_aqi::Standard::parse(&d.standard)
                    .map(|s| s.category(i))
                    .ok()
            });
            CalendarDay {
                date: d.date,
                aqi: d.aqi,
                level: d.level,
                category_zh: cat.map(|c| c.name_zh.to_string()),
                category_en: cat.map(|c| c.name_en.to_string()),
                colour: cat.map(|c| c.hex()),
                primary: d.primary,
                standard: d.standard,
            }
        })
        .collect())
}

/// One day of the AQI calendar.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarDay {
    pub date: NaiveDate,
    /// Daily AQI of the area (HJ 633 daily report on the area's daily values).
    pub aqi: Option<i32>,
    pub level: Option<u8>,
    pub category_zh: Option<String>,
    pub category_en: Option<String>,
    pub colour: Option<String>,
    pub primary: String,
    /// The edition that rated the day.
    pub standard: String,
}

// ---------------------------------------------------------------------------------------------
// The annual assessment

/// The annual assessment of every station of a region and of the region, a row per year and
/// entity.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnualRequest {
    pub from: i32,
    pub to: i32,
    /// `beijing` (or `all`: every registry station) or a district.
    pub region: String,
    /// Also a row per area of the registry (its `district_zh`: Beijing's districts, or the
    /// cities of a national registry).
    pub areas: bool,
    pub options: AssessOptions,
}

/// The statistics of an annual row, in column order: the annual means and the percentiles of
/// GB 3095 Table 1 (CO 95th, O3 90th of MDA8; SO2 and NO2 98th; PM 95th).
pub const ANNUAL_STATS: [(&str, &str); 10] = [
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

/// One row of the annual assessment: a station, an area (`area:海淀区`) or the region
/// (`city:beijing`) in one year.
#[derive(Debug, Clone, Serialize)]
pub struct AnnualRow {
    pub year: i32,
    pub entity: String,
    /// Stations averaged (1 for a station).
    pub stations: usize,
    pub stats: lantian_assess::stats::PeriodStats,
    pub days: lantian_assess::days::DayCounts,
    pub composite: Option<lantian_assess::composite::CompositeIndex>,
    pub dust_days: usize,
}

impl AnnualRow {
    /// The statistic `(pollutant, "mean" | "pNN")` of the row.
    pub fn stat(
        &self,
        pollutant: &str,
        statistic: &str,
    ) -> Option<&lantian_assess::stats::PollutantStat> {
        use lantian_assess::stats::Statistic;
        self.stats.stats.iter().find(|x| {
            x.pollutant == pollutant
                && match statistic {
                    "mean" => x.statistic == Statistic::Mean,
                    s => s
                        .strip_prefix('p')
                        .and_then(|n| n.parse().ok())
                        .is_some_and(|n| x.statistic == Statistic::Percentile(n)),
                }
        })
    }
}

/// An area's daily values by date.
type Days = BTreeMap<NaiveDate, DayValues>;

/// A station's days: code, number of stations (1) and its days.
type StationDays = (String, usize, Days);

/// Hourly series by station code.
type StationSeries = Vec<(String, HourlySeries)>;

/// Stations read per matrix read of an annual run: 256 stations' year of six pollutants is
/// about 110 MB, however large the network (files are sorted by station, so a read of 256
/// neighbouring codes decodes only their row groups).
const STATIONS_PER_READ: usize = 256;

/// The annual assessment of `req`: `emit` receives each year's rows (every station with data,
/// then each area, then the region) as soon as they are computed.
///
/// A year at a time: the store is read for year y + 1 while year y is assessed on another
/// thread, and at most two years of hourly values are held (a national network-year is 2,000
/// stations × 6 pollutants × 8,760 hours).
pub async fn annual(
    reader: &MatrixReader,
    reg: &Registry,
    req: &AnnualRequest,
    mut emit: impl FnMut(Vec<AnnualRow>) -> Result<()>,
) -> Result<()> {
    if req.to < req.from {
        return Err(AppError::bad(
            "to",
            req.to,
            format!("is before from {}", req.from),
        ));
    }
    let o = &req.options;
    // Every station of the region gets a row; the region's value comes from the chosen set.
    let city_codes: BTreeSet<String> = station_codes(reg, &req.region, o.stations)?
        .into_iter()
        .collect();
    let codes = crate::select::region_stations(reg, &req.region);
    // Each area's stations of the chosen set, by the registry's district_zh.
    let mut area_members: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    if req.areas {
        for code in &city_codes {
            if let Some(st) = reg.get(code) {
                area_members
                    .entry(st.district_zh.clone())
                    .or_default()
                    .insert(code.clone());
            }
        }
    }
    let list = dust_list(o)?;
    let mut pending: Option<tokio::task::JoinHandle<Result<Vec<AnnualRow>>>> = None;
    for year in req.from..=req.to {
        let period = Period::year(year).ok_or_else(|| AppError::bad("from", year, "not a year"))?;
        let keep_series = o.method != Method::StationDays || day_method(o).is_some();
        let (per_station, series) = station_days(reader, &codes, &period, keep_series)?;
        let (o, list, city_codes, region, area_members) = (
            o.clone(),
            list.clone(),
            city_codes.clone(),
            req.region.clone(),
            area_members.clone(),
        );
        let job = tokio::task::spawn_blocking(move || {
            annual_year(
                &period,
                per_station,
                series,
                &city_codes,
                &area_members,
                &o,
                &list,
                &region,
            )
        });
        if let Some(done) = pending.replace(job) {
            emit(done.await.map_err(AppError::internal)??)?;
        }
    }
    if let Some(done) = pending.take() {
        emit(done.await.map_err(AppError::internal)??)?;
    }
    Ok(())
}

/// The days of every station with data in `period`. With the official method (an area's day is
/// the mean of its stations' days) the hourly series are read a few hundred stations at a time
/// and dropped once their days are computed, so memory does not grow with the network; the
/// hourly-mean method (of the concentrations or of the day counts) needs every series at once,
/// and with `keep_series` they are returned too.
fn station_days(
    reader: &MatrixReader,
    codes: &[String],
    period: &Period,
    keep_series: bool,
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
    if keep_series {
        let series = read_days(reader, codes, period.first, period.last)?;
        return Ok((days_of(&series), Some(series)));
    }
    let mut sorted = codes.to_vec();
    sorted.sort();
    let mut out = Vec::new();
    for chunk in sorted.chunks(STATIONS_PER_READ) {
        let series = read_days(reader, chunk, period.first, period.last)?;
        out.extend(days_of(&series));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok((out, None))
}

/// `f` of each part of `items` on its own core, the results in the items' order.
fn on_all_cores<T: Sync, R: Send>(items: &[T], f: impl Fn(&[T]) -> Vec<R> + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per = items.len().div_ceil(threads).max(1);
    let f = &f;
    std::thread::scope(|sc| {
        let handles: Vec<_> = items
            .chunks(per)
            .map(|part| sc.spawn(move || f(part)))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("an assessment thread panicked"))
            .collect()
    })
}

/// The rows of one year: every station with data, then each area, then the region.
#[allow(clippy::too_many_arguments)]
fn annual_year(
    period: &Period,
    per_station: Vec<StationDays>,
    series: Option<StationSeries>,
    city_codes: &BTreeSet<String>,
    area_members: &BTreeMap<String, BTreeSet<String>>,
    o: &AssessOptions,
    list: &Option<DustDays>,
    region: &str,
) -> Result<Vec<AnnualRow>> {
    let year = period.first.year();
    let mut out = Vec::new();
    if per_station.is_empty() {
        return Ok(out);
    }
    let series = series.unwrap_or_default();
    let method = o.method.city_method();
    let from_series = |members: &dyn Fn(&str) -> bool, m: CityMethod| -> Days {
        let only: Vec<HourlySeries> = series
            .iter()
            .filter(|x| members(&x.0))
            .map(|x| x.1.clone())
            .collect();
        area_days(&only, m)
    };
    let days_of_members = |members: &dyn Fn(&str) -> bool| -> BTreeMap<NaiveDate, DayValues> {
        match method {
            // The official method: from the station days just computed.
            CityMethod::MeanOfStationDays => lantian_assess::region::mean_of_station_days(
                &per_station
                    .iter()
                    .filter(|x| members(&x.0))
                    .map(|x| &x.2)
                    .collect::<Vec<_>>(),
            ),
            m => from_series(members, m),
        }
    };
    // The day counts' own days of an area, where the day rule forms them otherwise (a station's
    // hourly mean is the station: its days are the same either way).
    let day_days_of_members =
        |members: &dyn Fn(&str) -> bool| day_method(o).map(|m| from_series(members, m));
    let city = days_of_members(&|c| city_codes.contains(c));
    let n_city = per_station
        .iter()
        .filter(|x| city_codes.contains(&x.0))
        .count();
    let dust: BTreeSet<NaiveDate> = dust_days(o, list, &city)
        .map(|d| d.dates.range(period.first..=period.last).copied().collect())
        .unwrap_or_default();
    // An area's days, from its members as the region's from the region's (HJ 663 §5.2: the
    // city value is the mean of its assessment stations' values). Areas, and then every row's
    // assessment, are independent: they are computed on all cores, in order.
    let areas: Vec<(&String, &BTreeSet<String>)> = area_members.iter().collect();
    let area_rows: Vec<(String, usize, Days, Option<Days>)> = on_all_cores(&areas, |part| {
        part.iter()
            .filter_map(|(name, members)| {
                let n = per_station
                    .iter()
                    .filter(|x| members.contains(&x.0))
                    .count();
                (n > 0).then(|| {
                    (
                        format!("area:{name}"),
                        n,
                        days_of_members(&|c| members.contains(c)),
                        day_days_of_members(&|c| members.contains(c)),
                    )
                })
            })
            .collect()
    });
    let city_day_days = day_days_of_members(&|c| city_codes.contains(c));
    let entities: Vec<(String, usize, Days, Option<Days>)> = per_station
        .iter()
        .map(|(code, n, daily)| (code.clone(), *n, daily.clone(), None))
        .chain(area_rows)
        .chain(std::iter::once((
            format!("city:{region}"),
            n_city,
            city,
            city_day_days,
        )))
        .collect();
    let rows: Vec<Result<AnnualRow>> = on_all_cores(&entities, |part| {
        part.iter()
            .map(|(entity, n, daily, day_daily)| {
                let a = assess_days(period, vec![], daily, day_daily.as_ref(), &dust, o)?;
                Ok(AnnualRow {
                    year,
                    entity: entity.clone(),
                    stations: *n,
                    stats: a.stats,
                    days: a.days,
                    composite: a.composite,
                    dust_days: dust.len(),
                })
            })
            .collect()
    });
    for r in rows {
        out.push(r?);
    }
    Ok(out)
}
