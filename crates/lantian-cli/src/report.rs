//! `lantian report`: the bulletin of a region and period, in Chinese or English, as Markdown,
//! HTML or PDF (or its figures as JSON); `lantian plot`: one of its charts as SVG or PNG.
//! Reading and gathering only: the figures come from `lantian-assess` (through
//! [`crate::assess::figures`], the same path as `lantian assess`), `lantian-trend` and
//! `lantian-report`, which also writes the words and draws the charts.

use anyhow::{Context, Result, bail};
use chrono::{Datelike, NaiveDate};
use clap::{Args, ValueEnum};
use lantian_assess::area::AreaComparison;
use lantian_assess::period::Period;
use lantian_assess::region::mean_series;
use lantian_model::Registry;
use lantian_report::charts::{self, DistrictShapes};
use lantian_report::document::Lang;
use lantian_report::figures::{
    Bulletin, Deweathered, DustNote, RegionName, Standards, TargetSource, TrendFigure,
    VariationFigure, calendar, daily_series, district_figures, monthly_pm25,
};
use lantian_report::render::{self, Charts};
use lantian_store::Store;
use lantian_store::matrix::MatrixReader;
use lantian_trend::bootstrap::Bootstrap;
use lantian_trend::variation::time_variation;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::assess::{By, Common, Target, figures, parse_targets};

#[derive(ValueEnum, Clone, Copy, PartialEq, Debug)]
pub enum LangArg {
    Zh,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, PartialEq, Debug)]
pub enum ReportFormat {
    Md,
    Html,
    Pdf,
    /// The figures behind the report (every number it shows).
    Json,
}

/// What a bulletin is computed from.
#[derive(Args, Clone)]
pub struct BulletinArgs {
    /// "beijing" or a district (e.g. 海淀区).
    #[arg(long, default_value = "beijing")]
    pub region: String,
    /// 2023, 2023-H1, 2023-Q2, 2023-05, 2024-YTD-05-31 or 2023-01-01..2023-06-30.
    #[arg(long)]
    pub period: String,
    /// Baseline period (default: the same period a year earlier; `none` for no comparison).
    #[arg(long)]
    pub compare: Option<String>,
    #[arg(long, value_enum, default_value_t = LangArg::Zh)]
    pub lang: LangArg,
    #[command(flatten)]
    pub common: Common,
    /// Annual targets (`PM2.5=32`, `good-days=280`); without one, the GB 3095 Grade II PM2.5
    /// limit (35) is used.
    #[arg(long)]
    pub target: Vec<String>,
    /// District polygons (GeoJSON FeatureCollection with a `name` property per district, as
    /// DataV's 110100_full.json). Default: $LANTIAN_GEOJSON, else
    /// ../shared/data/geo_beijing/110100_full.json when present; without one the map is left out.
    #[arg(long)]
    pub geojson: Option<PathBuf>,
    /// Years of monthly means in the trend chart, ending with the period (0: no trend).
    #[arg(long, default_value_t = 5)]
    pub trend_years: u32,
    /// The weather-normalised change: the JSON of `lantian attribute --format json` for the
    /// baseline (`--base`) and this period (`--compare`). Modelling takes minutes, so it is run
    /// on its own and its result shown here; without it the bulletin says no weather data
    /// were given.
    #[arg(long)]
    pub attribution: Option<PathBuf>,
}

#[derive(Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub b: BulletinArgs,
    #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
    pub format: ReportFormat,
    /// Output file (default: standard output; Markdown charts are written only with --out, into
    /// FILE's folder as `<stem>-charts/*.svg`; PDF needs --out).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

impl ReportArgs {
    /// `lantian report ARGS...` as parsed from the command line (for `quickstart`).
    pub fn from_args(args: &[&str]) -> ReportArgs {
        #[derive(clap::Parser)]
        struct Wrap {
            #[command(flatten)]
            a: ReportArgs,
        }
        <Wrap as clap::Parser>::parse_from(std::iter::once("report").chain(args.iter().copied())).a
    }
}

#[derive(ValueEnum, Clone, Copy, PartialEq, Debug)]
pub enum ChartKind {
    Calendar,
    Monthly,
    Map,
    Timeseries,
    Variation,
    Trend,
}

#[derive(Args)]
pub struct PlotArgs {
    #[arg(value_enum)]
    pub chart: ChartKind,
    #[command(flatten)]
    pub b: BulletinArgs,
    /// Output file, `.svg` or `.png` (default: SVG on standard output).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// PNG scale (1 = the SVG's size in pixels).
    #[arg(long, default_value_t = 2.0)]
    pub scale: f32,
}

const DEFAULT_GEOJSON: &str = "../shared/data/geo_beijing/110100_full.json";

fn geojson_path(a: &BulletinArgs) -> Option<PathBuf> {
    a.geojson
        .clone()
        .or_else(|| std::env::var_os("LANTIAN_GEOJSON").map(PathBuf::from))
        .or_else(|| {
            let p = PathBuf::from(DEFAULT_GEOJSON);
            p.exists().then_some(p)
        })
}

/// The monthly means of the region's area hourly mean (trend chart), `years` years ending with
/// the month of `last`.
fn trend_figure(
    reader: &MatrixReader,
    codes: &[String],
    last: NaiveDate,
    years: u32,
) -> Result<Option<TrendFigure>> {
    if years == 0 {
        return Ok(None);
    }
    let last_month = last.with_day(1).expect("day 1");
    let first = last_month
        .checked_sub_months(chrono::Months::new(years * 12 - 1))
        .context("trend start")?;
    let (m, months) = crate::trend::read_months(reader, codes, "PM2.5", first, last_month)?;
    let series = crate::trend::monthly(&crate::trend::area_mean(&m), first, months, 0.0);
    let b = Bootstrap {
        resamples: 599,
        autocorrelation: true,
        alpha: 0.05,
        seed: 2,
    };
    let Some(t) = lantian_trend::trend::trend(&series, true, &b) else {
        return Ok(None);
    };
    Ok(Some(TrendFigure::of("PM2.5", &t, &series)))
}

/// Compute the bulletin's figures.
pub async fn bulletin(store_path: &Path, reg: &Registry, a: &BulletinArgs) -> Result<Bulletin> {
    let store = Store::open(store_path).await?;
    let reader = store.matrix_reader(&a.common.source).await?;
    bulletin_from(&reader, reg, a)
}

/// [`bulletin`] from a snapshot already opened (the server's).
pub(crate) fn bulletin_from(
    reader: &MatrixReader,
    reg: &Registry,
    a: &BulletinArgs,
) -> Result<Bulletin> {
    let period = Period::parse(&a.period)?;
    let baseline = match &a.compare {
        Some(c) if c == "none" => None,
        Some(c) => Some(Period::parse(c)?),
        None => Some(period.previous_year()),
    };
    let (targets, target_source) = if a.target.is_empty() {
        // No municipal target given: attainment of GB 3095 Grade II (PM2.5 annual mean ≤ 35).
        (
            vec![Target::Mean("PM2.5", 35.0)],
            TargetSource::Gb3095GradeII,
        )
    } else {
        (parse_targets(&a.target)?, TargetSource::Given)
    };
    let f = figures(
        reader,
        reg,
        &a.region,
        &period,
        baseline.as_ref(),
        &a.common,
        &targets,
        Some(By::District),
    )?;
    let district_en = |zh: &str| {
        reg.stations()
            .iter()
            .find(|s| s.district_zh == zh)
            .map(|s| s.district_en.clone())
            .unwrap_or_else(|| zh.to_string())
    };
    let rows: Vec<_> = f
        .groups
        .iter()
        .map(|(g, cur, base)| (g.clone(), district_en(g), cur.clone(), base.clone()))
        .collect();
    let districts = if rows.len() > 1 {
        district_figures(&rows)
    } else {
        Vec::new()
    };
    let standard = a.common.standard()?;
    let cal = calendar(&period, &f.city_days, standard)?;
    let monthly = monthly_pm25(
        &period,
        &f.city_days,
        &f.dust_in_current,
        match (&baseline, &f.base_city_days) {
            (Some(b), Some(d)) => Some((b, d, &f.dust_in_baseline)),
            _ => None,
        },
    );
    let daily = daily_series(&period, &f.city_days);
    // openair's timeVariation on the area's hourly mean over the period.
    let in_period: Vec<_> = f.series.iter().map(|s| s.1.clone()).collect();
    let variation = match mean_series(&in_period) {
        Some(m) => {
            let skip = ((period.first - m.start.date()).num_days().max(0) * 24) as usize;
            // POLLUTANTS order: SO2, NO2, CO, O3, PM10, PM2.5.
            [(5, "PM2.5"), (1, "NO2"), (3, "O3")]
                .iter()
                .map(|(i, name)| {
                    let v = &m.values[*i];
                    time_variation(
                        name,
                        "µg/m³",
                        m.start + chrono::Duration::hours(skip as i64),
                        &v[skip.min(v.len())..],
                    )
                })
                .collect()
        }
        None => Vec::new(),
    };
    let codes = a.common.codes(reg, &a.region)?;
    let trend = trend_figure(reader, &codes, period.last, a.trend_years)?;
    let aqi: BTreeSet<String> = cal
        .iter()
        .filter(|c| c.aqi.is_some())
        .map(|c| c.standard.clone())
        .collect();
    let data_through = f
        .city_days
        .range(period.first..=period.last)
        .filter(|(_, v)| v.pm25.is_some() || v.no2.is_some() || v.o3_mda8.is_some())
        .map(|(d, _)| *d)
        .next_back();
    let comparison = f
        .baseline
        .as_ref()
        .map(|b| AreaComparison::of(&f.current, b));
    let region = if a.region.eq_ignore_ascii_case("beijing") {
        RegionName {
            code: "beijing".into(),
            zh: "北京市".into(),
            en: "Beijing".into(),
        }
    } else {
        RegionName {
            code: a.region.clone(),
            zh: a.region.clone(),
            en: district_en(&a.region),
        }
    };
    let targets = f.targets.clone();
    let deweathered = match &a.attribution {
        Some(p) => Some(read_attribution(p, &period, baseline.as_ref())?),
        None => None,
    };
    Ok(Bulletin {
        region,
        period: period.clone(),
        baseline_period: baseline,
        comparison,
        dust: DustNote {
            source: f.dust.as_ref().map(|d| d.source.clone()),
            days: f.dust_in_current.iter().copied().collect(),
            baseline_days: f.dust_in_baseline.iter().copied().collect(),
        },
        current: f.current,
        baseline: f.baseline,
        districts,
        targets,
        target_source,
        deweathered_absent: deweathered.is_none().then(|| "no-weather-data".into()),
        deweathered,
        calendar: cal,
        monthly,
        daily,
        variation: VariationFigure {
            pollutants: variation,
        },
        trend,
        standards: Standards {
            aqi: aqi.into_iter().collect(),
            limits: a.common.limits().name.to_string(),
        },
        data_through,
    })
}

/// The weather-normalised change from `lantian attribute --format json` (one station, or the
/// area line of several), checked to be about the same two periods as the bulletin.
fn read_attribution(
    path: &Path,
    period: &Period,
    baseline: Option<&Period>,
) -> Result<Deweathered> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {file}"))?;
    let v: serde_json::Value = serde_json::from_str(&text).with_context(|| {
        format!("{file}: not JSON (expected `lantian attribute --format json`)")
    })?;
    let (at, r2, stations, pollutant, weather) = if v.get("area").is_some() {
        let st = v["stations"].as_array().cloned().unwrap_or_default();
        let r2: Vec<f64> = st
            .iter()
            .filter_map(|s| s["model"]["r2_test"].as_f64())
            .collect();
        (
            v["area"]["attribution"].clone(),
            r2.iter().sum::<f64>() / r2.len().max(1) as f64,
            st.len(),
            st.first()
                .map(|s| s["pollutant"].clone())
                .unwrap_or_default(),
            st.first()
                .map(|s| s["model"]["weather_from"].clone())
                .unwrap_or_default(),
        )
    } else {
        (
            v["attribution"].clone(),
            v["model"]["r2_test"].as_f64().unwrap_or(f64::NAN),
            1,
            v["pollutant"].clone(),
            v["model"]["weather_from"].clone(),
        )
    };
    let num = |x: &serde_json::Value, field: &str| -> Result<f64> {
        x.as_f64().with_context(|| {
            format!("{file}: field `{field}` is missing or not a number (expected `lantian attribute --format json`)")
        })
    };
    let date = |x: &serde_json::Value, field: &str| -> Result<NaiveDate> {
        x.as_str()
            .and_then(|s| s.parse().ok())
            .with_context(|| format!("{file}: field `{field}` is not a date"))
    };
    let Some(b) = baseline else {
        bail!("--attribution {file}: the bulletin has no baseline period (--compare none)");
    };
    let (bf, bl) = (
        date(&at["base"]["first"], "base.first")?,
        date(&at["base"]["last"], "base.last")?,
    );
    let (cf, cl) = (
        date(&at["compare"]["first"], "compare.first")?,
        date(&at["compare"]["last"], "compare.last")?,
    );
    if (bf, bl) != (b.first, b.last) || (cf, cl) != (period.first, period.last) {
        bail!(
            "--attribution {file} compares {bf}..{bl} with {cf}..{cl}, but the bulletin compares {}..{} with {}..{}; run `lantian attribute --base {} --compare {}`",
            b.first,
            b.last,
            period.first,
            period.last,
            b,
            period
        );
    }
    Ok(Deweathered {
        pollutant: pollutant.as_str().unwrap_or("PM2.5").to_string(),
        observed_baseline: num(&at["base"]["observed_mean"], "base.observed_mean")?,
        observed_current: num(&at["compare"]["observed_mean"], "compare.observed_mean")?,
        emission_percent: num(&at["emission"]["points"], "emission.points")?,
        emission_percent_lower: num(&at["emission"]["points_lower"], "emission.points_lower")?,
        emission_percent_upper: num(&at["emission"]["points_upper"], "emission.points_upper")?,
        weather_percent: num(&at["weather"]["points"], "weather.points")?,
        weather_percent_lower: num(&at["weather"]["points_lower"], "weather.points_lower")?,
        weather_percent_upper: num(&at["weather"]["points_upper"], "weather.points_upper")?,
        observed_percent: num(&at["observed_percent"], "observed_percent")?,
        model_r2: r2,
        weather_source: format!(
            "{}{}",
            weather.as_str().unwrap_or("?"),
            if stations > 1 {
                format!("; {stations} stations")
            } else {
                String::new()
            }
        ),
    })
}

fn chart_title(kind: ChartKind, b: &Bulletin, lang: Lang) -> String {
    let p = lantian_report::text::period_name(&b.period, lang);
    let r = match lang {
        Lang::Zh => b.region.zh.clone(),
        Lang::En => b.region.en.clone(),
    };
    match (kind, lang) {
        (ChartKind::Calendar, Lang::Zh) => format!("{r}{p}空气质量日历"),
        (ChartKind::Calendar, Lang::En) => format!("{r}, {p}: daily AQI"),
        (ChartKind::Monthly, Lang::Zh) => format!("{r}{p} PM2.5 月均浓度同比"),
        (ChartKind::Monthly, Lang::En) => format!("{r}, {p}: monthly PM2.5 against a year earlier"),
        (ChartKind::Map, Lang::Zh) => format!("{r}{p}各区 PM2.5 浓度"),
        (ChartKind::Map, Lang::En) => format!("{r}, {p}: PM2.5 by district"),
        (ChartKind::Timeseries, Lang::Zh) => format!("{r}{p}主要污染物日均浓度"),
        (ChartKind::Timeseries, Lang::En) => format!("{r}, {p}: daily concentrations"),
        (ChartKind::Variation, Lang::Zh) => format!("{r}{p}污染物日变化与周变化"),
        (ChartKind::Variation, Lang::En) => format!("{r}, {p}: by hour of day and day of week"),
        (ChartKind::Trend, Lang::Zh) => format!("{r} PM2.5 趋势"),
        (ChartKind::Trend, Lang::En) => format!("{r}: PM2.5 trend"),
    }
}

/// One chart of the bulletin as SVG; `None` where its data are absent (no shapes for the map,
/// no trend).
fn chart(
    kind: ChartKind,
    b: &Bulletin,
    lang: Lang,
    shapes: Option<&DistrictShapes>,
) -> Result<Option<String>> {
    let t = chart_title(kind, b, lang);
    Ok(match kind {
        ChartKind::Calendar => Some(charts::calendar(&b.calendar, &t, lang)?),
        ChartKind::Monthly => Some(charts::monthly(&b.monthly, &t, lang)?),
        ChartKind::Map => match shapes {
            Some(s) if !b.districts.is_empty() => Some(charts::map(s, &b.districts, &t, lang)?),
            _ => None,
        },
        ChartKind::Timeseries => Some(charts::timeseries(&b.daily, &t, lang)?),
        ChartKind::Variation => Some(charts::variation(&b.variation.pollutants, &t, lang)?),
        ChartKind::Trend => match &b.trend {
            Some(tr) => Some(charts::trend(tr, &t, lang)?),
            None => None,
        },
    })
}

fn shapes(a: &BulletinArgs) -> Result<Option<DistrictShapes>> {
    let Some(p) = geojson_path(a) else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?;
    Ok(Some(DistrictShapes::parse(
        &p.display().to_string(),
        &text,
    )?))
}

const ALL_CHARTS: [(ChartKind, &str); 6] = [
    (ChartKind::Calendar, "calendar"),
    (ChartKind::Monthly, "monthly"),
    (ChartKind::Map, "map"),
    (ChartKind::Timeseries, "timeseries"),
    (ChartKind::Variation, "variation"),
    (ChartKind::Trend, "trend"),
];

pub async fn run_report(store_path: &Path, reg: &Registry, a: &ReportArgs) -> Result<()> {
    if a.format == ReportFormat::Pdf && a.out.is_none() {
        bail!("--format pdf needs --out FILE.pdf");
    }
    let b = bulletin(store_path, reg, &a.b).await?;
    // Markdown keeps its charts as SVG files beside it when written to a file.
    let chart_dir = match (&a.out, a.format) {
        (Some(out), ReportFormat::Md) => {
            let stem = out
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or("report".into());
            let name = format!("{stem}-charts");
            Some((out.parent().unwrap_or(Path::new(".")).join(&name), name))
        }
        _ => None,
    };
    let bytes = render_report(&b, &a.b, a.format, chart_dir.as_ref())?;
    write_out(a.out.as_deref(), &bytes)
}

/// A bulletin in `format`: JSON figures, Markdown, HTML (charts inline) or PDF. With
/// `chart_dir` (folder, name used in links), Markdown's charts are written there as SVG;
/// without, Markdown has no charts.
pub(crate) fn render_report(
    b: &Bulletin,
    a: &BulletinArgs,
    format: ReportFormat,
    chart_dir: Option<&(PathBuf, String)>,
) -> Result<Vec<u8>> {
    let lang: Lang = a.lang.into();
    if format == ReportFormat::Json {
        return Ok(serde_json::to_string_pretty(b)?.into_bytes());
    }
    let shapes = shapes(a)?;
    let mut svgs = Charts::new();
    for (kind, name) in ALL_CHARTS {
        if let Some(svg) = chart(kind, b, lang, shapes.as_ref())? {
            svgs.insert(name.to_string(), svg);
        }
    }
    let doc = lantian_report::text::document(b, lang);
    Ok(match format {
        ReportFormat::Md => {
            if let Some((dir, _)) = chart_dir {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("creating {}", dir.display()))?;
                for (n, svg) in &svgs {
                    let p = dir.join(format!("{n}.svg"));
                    std::fs::write(&p, svg).with_context(|| format!("writing {}", p.display()))?;
                }
            }
            render::markdown(&doc, &svgs, chart_dir.map(|d| d.1.as_str())).into_bytes()
        }
        ReportFormat::Html => render::html(&doc, &svgs).into_bytes(),
        ReportFormat::Pdf => pdf(&doc, &svgs)?,
        ReportFormat::Json => unreachable!("handled above"),
    })
}

#[cfg(feature = "pdf")]
fn pdf(doc: &lantian_report::document::Document, svgs: &Charts) -> Result<Vec<u8>> {
    use lantian_report::pdf::{cjk_family, render_pdf};
    let serif = cjk_family().unwrap_or("Noto Serif CJK SC");
    // The sans face for headings when the family has one.
    let sans = serif.replace("Serif", "Sans");
    let markup = render::typst(doc, svgs, serif, &sans);
    let files: Vec<(String, Vec<u8>)> = svgs
        .iter()
        .map(|(n, s)| (format!("{n}.svg"), s.as_bytes().to_vec()))
        .collect();
    // Chinese text needs a Chinese font; so do the charts' Chinese labels.
    Ok(render_pdf(&markup, &files, true)?)
}

#[cfg(not(feature = "pdf"))]
fn pdf(_: &lantian_report::document::Document, _: &Charts) -> Result<Vec<u8>> {
    bail!("this lantian was built without the `pdf` feature (typst); rebuild with default features")
}

fn write_out(out: Option<&Path>, bytes: &[u8]) -> Result<()> {
    match out {
        Some(p) => {
            std::fs::write(p, bytes).with_context(|| format!("writing {}", p.display()))?;
            eprintln!("wrote {} ({} bytes)", p.display(), bytes.len());
            Ok(())
        }
        None => {
            std::io::stdout().lock().write_all(bytes)?;
            Ok(())
        }
    }
}

pub async fn run_plot(store_path: &Path, reg: &Registry, a: &PlotArgs) -> Result<()> {
    let b = bulletin(store_path, reg, &a.b).await?;
    let lang: Lang = a.b.lang.into();
    let shapes = if a.chart == ChartKind::Map {
        let s = shapes(&a.b)?;
        if s.is_none() {
            bail!(
                "the map needs district polygons: --geojson FILE (or LANTIAN_GEOJSON; {DEFAULT_GEOJSON} is not here)"
            );
        }
        s
    } else {
        None
    };
    let Some(svg) = chart(a.chart, &b, lang, shapes.as_ref())? else {
        bail!(
            "no {:?} chart for this query (the trend needs at least two years of monthly means; the map needs more than one district)",
            a.chart
        );
    };
    let png = a
        .out
        .as_ref()
        .and_then(|p| p.extension())
        .is_some_and(|e| e.eq_ignore_ascii_case("png"));
    if png {
        write_out(a.out.as_deref(), &charts::png(&svg, a.scale)?)
    } else {
        write_out(a.out.as_deref(), svg.as_bytes())
    }
}
