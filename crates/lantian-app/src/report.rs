//! The bulletin: its figures gathered through [`crate::assess::figures`] (the same path as an
//! assessment), the calendar, monthly pairs, daily series, `timeVariation` profiles and the
//! Theil–Sen trend; then its words, charts and form (Markdown, HTML, PDF or the JSON figures).
//! The statistics come from `lantian-assess` and `lantian-trend`; `lantian-report` writes the
//! words and draws the charts.

use crate::assess::{AssessRequest, figures};
use crate::error::{AppError, Result};
pub use crate::options::ChartKind;
use crate::options::{AssessOptions, Baseline, By, Language, ReportFormat, Target};
use crate::select::{area_mean, station_codes};
use crate::trend::{monthly, read_months};
use chrono::{Datelike, NaiveDate};
use lantian_assess::area::AreaComparison;
use lantian_assess::period::Period;
use lantian_assess::region::mean_series;
use lantian_model::Registry;
use lantian_report::charts::{self, DistrictShapes};
use lantian_report::document::Lang;
pub use lantian_report::figures::Bulletin;
use lantian_report::figures::{
    Deweathered, DustNote, RegionName, Standards, TargetSource, TrendFigure, VariationFigure,
    calendar, daily_series, district_figures, monthly_pm25,
};
use lantian_report::render::{self, Charts};
use lantian_store::Store;
use lantian_store::matrix::MatrixReader;
use lantian_trend::bootstrap::Bootstrap;
use lantian_trend::variation::time_variation;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What a bulletin is computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct BulletinRequest {
    /// `beijing` or a district (e.g. 海淀区).
    pub region: String,
    pub period: Period,
    pub baseline: Baseline,
    pub lang: Language,
    pub options: AssessOptions,
    /// Annual targets; without one, the GB 3095 Grade II PM2.5 limit (35) is used.
    pub targets: Vec<Target>,
    /// District polygons (GeoJSON) for the map; without them the map is left out.
    pub geojson: Option<PathBuf>,
    /// Years of monthly means in the trend chart, ending with the period (0: no trend).
    pub trend_years: u32,
    /// The weather-normalised change: the JSON of `lantian attribute --format json` for the
    /// baseline and this period.
    pub attribution: Option<PathBuf>,
    /// A market's books (and green electricity) for the climate section; without them the
    /// section is left out.
    pub climate: Option<crate::carbon::ClimateSources>,
    /// Water sections and readings for the water section; without them the bulletin has none.
    pub water: Option<crate::water::WaterSources>,
    /// Soil samples (and plots, the city's classes) for the soil section; without them the
    /// bulletin has none. Its list is the store's, so it is read by [`bulletin_in_store`].
    pub soil: Option<crate::soil::SoilSources>,
}

impl BulletinRequest {
    /// The bulletin of `region` over `period` with the defaults of `lantian report`.
    pub fn new(region: &str, period: Period) -> BulletinRequest {
        BulletinRequest {
            region: region.to_string(),
            period,
            baseline: Baseline::default(),
            lang: Language::Zh,
            options: AssessOptions::default(),
            targets: Vec::new(),
            geojson: None,
            trend_years: 5,
            attribution: None,
            climate: None,
            water: None,
            soil: None,
        }
    }
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
        .ok_or_else(|| AppError::bad("trend_years", years, "reaches before the calendar"))?;
    let (m, months) = read_months(reader, codes, "PM2.5", first, last_month)?;
    let series = monthly(&area_mean(&m), first, months, 0.0);
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

/// The bulletin's figures from an open snapshot. A soil section has no list here (the list is
/// the store's history): [`bulletin_in_store`] gives one.
pub fn bulletin(reader: &MatrixReader, reg: &Registry, req: &BulletinRequest) -> Result<Bulletin> {
    let soil = match &req.soil {
        Some(src) => Some(crate::soil_figures::soil_figures_with_list(
            src,
            None,
            &req.period,
        )?),
        None => None,
    };
    figures_with(reader, reg, req, soil)
}

/// The bulletin's figures from `store` and an open snapshot of it; the soil section's list is
/// the store's on the period's last day, with its changes during the period.
pub async fn bulletin_in_store(
    store: &Store,
    reader: &MatrixReader,
    reg: &Registry,
    req: &BulletinRequest,
) -> Result<Bulletin> {
    let soil = match &req.soil {
        Some(src) => Some(crate::soil_figures::soil_figures(src, Some(store), &req.period).await?),
        None => None,
    };
    figures_with(reader, reg, req, soil)
}

fn figures_with(
    reader: &MatrixReader,
    reg: &Registry,
    req: &BulletinRequest,
    soil: Option<lantian_report::soil::SoilFigures>,
) -> Result<Bulletin> {
    let period = req.period.clone();
    let baseline = req.baseline.of(&period);
    let (targets, target_source) = if req.targets.is_empty() {
        // No municipal target given: attainment of GB 3095 Grade II (PM2.5 annual mean ≤ 35).
        (
            vec![Target::Mean("PM2.5", 35.0)],
            TargetSource::Gb3095GradeII,
        )
    } else {
        (req.targets.clone(), TargetSource::Given)
    };
    let f = figures(
        reader,
        reg,
        &AssessRequest {
            region: req.region.clone(),
            period: period.clone(),
            baseline: req.baseline.clone(),
            by: Some(By::District),
            options: req.options.clone(),
            targets,
        },
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
    let standard = req.options.standard.0;
    let cal = calendar(&period, f.day_days(), standard, req.options.days.practice())?;
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
    let codes = station_codes(reg, &req.region, req.options.stations)?;
    let trend = trend_figure(reader, &codes, period.last, req.trend_years)?;
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
    let region = if req.region.eq_ignore_ascii_case("beijing") {
        RegionName {
            code: "beijing".into(),
            zh: "北京市".into(),
            en: "Beijing".into(),
        }
    } else {
        RegionName {
            code: req.region.clone(),
            zh: req.region.clone(),
            en: district_en(&req.region),
        }
    };
    let targets = f.targets.clone();
    let deweathered = match &req.attribution {
        Some(p) => Some(read_attribution(p, &period, baseline.as_ref())?),
        None => None,
    };
    // The market's year is the bulletin's last year (a half-year bulletin takes its year's books).
    let climate = match &req.climate {
        Some(src) => Some(crate::carbon::climate_figures(src, period.last.year())?),
        None => None,
    };
    let water = match &req.water {
        Some(src) => Some(crate::water::water_figures(
            src,
            crate::water::period_of_days(period.first, period.last)?,
        )?),
        None => None,
    };
    Ok(Bulletin {
        water,
        soil,
        climate,
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
            limits: req.options.limits.limits().name.to_string(),
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
    let bad = |what: String| AppError::BadInput(format!("{file}: {what}"));
    let text = std::fs::read_to_string(path).map_err(|e| bad(format!("cannot read: {e}")))?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        bad(format!(
            "not JSON (expected `lantian attribute --format json`): {e}"
        ))
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
        x.as_f64().ok_or_else(|| {
            bad(format!(
                "field `{field}` is missing or not a number (expected `lantian attribute --format json`)"
            ))
        })
    };
    let date = |x: &serde_json::Value, field: &str| -> Result<NaiveDate> {
        x.as_str()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad(format!("field `{field}` is not a date")))
    };
    let Some(b) = baseline else {
        return Err(AppError::BadInput(format!(
            "--attribution {file}: the bulletin has no baseline period (--compare none)"
        )));
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
        return Err(AppError::BadInput(format!(
            "--attribution {file} compares {bf}..{bl} with {cf}..{cl}, but the bulletin compares {}..{} with {}..{}; run `lantian attribute --base {} --compare {}`",
            b.first, b.last, period.first, period.last, b, period
        )));
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

/// The bulletin's charts, each written as `<word>.svg` (`calendar.svg` …).
pub const ALL_CHARTS: [ChartKind; 6] = [
    ChartKind::Calendar,
    ChartKind::Monthly,
    ChartKind::Map,
    ChartKind::Timeseries,
    ChartKind::Variation,
    ChartKind::Trend,
];

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

pub(crate) fn chart_err(e: charts::ChartError) -> AppError {
    match e {
        charts::ChartError::GeoJson { .. } => AppError::BadInput(e.to_string()),
        e => AppError::internal(e),
    }
}

/// One chart of the bulletin as SVG; `None` where its data are absent (no shapes for the map,
/// no trend).
pub fn chart(
    kind: ChartKind,
    b: &Bulletin,
    lang: Lang,
    shapes: Option<&DistrictShapes>,
) -> Result<Option<String>> {
    let t = chart_title(kind, b, lang);
    Ok(match kind {
        ChartKind::Calendar => Some(charts::calendar(&b.calendar, &t, lang).map_err(chart_err)?),
        ChartKind::Monthly => Some(charts::monthly(&b.monthly, &t, lang).map_err(chart_err)?),
        ChartKind::Map => match shapes {
            Some(s) if !b.districts.is_empty() => {
                Some(charts::map(s, &b.districts, &t, lang).map_err(chart_err)?)
            }
            _ => None,
        },
        ChartKind::Timeseries => Some(charts::timeseries(&b.daily, &t, lang).map_err(chart_err)?),
        ChartKind::Variation => {
            Some(charts::variation(&b.variation.pollutants, &t, lang).map_err(chart_err)?)
        }
        ChartKind::Trend => match &b.trend {
            Some(tr) => Some(charts::trend(tr, &t, lang).map_err(chart_err)?),
            None => None,
        },
    })
}

/// A chart's SVG as PNG at `scale`.
pub fn png(svg: &str, scale: f32) -> Result<Vec<u8>> {
    charts::png(svg, scale).map_err(chart_err)
}

/// The district polygons of a GeoJSON file.
pub fn shapes(path: Option<&Path>) -> Result<Option<DistrictShapes>> {
    let Some(p) = path else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(p)
        .map_err(|e| AppError::BadInput(format!("reading {}: {e}", p.display())))?;
    Ok(Some(
        DistrictShapes::parse(&p.display().to_string(), &text).map_err(chart_err)?,
    ))
}

/// Where Markdown's charts go: the folder to write them into, and its name as the links give
/// it.
pub type ChartDir = (PathBuf, String);

/// A bulletin in `format`: JSON figures, Markdown, HTML (charts inline) or PDF. With
/// `chart_dir`, Markdown's charts are written there as SVG; without, Markdown has no charts.
pub fn render_bulletin(
    b: &Bulletin,
    req: &BulletinRequest,
    format: ReportFormat,
    chart_dir: Option<&ChartDir>,
) -> Result<Vec<u8>> {
    let lang: Lang = req.lang.into();
    if format == ReportFormat::Json {
        return serde_json::to_string_pretty(b)
            .map(String::into_bytes)
            .map_err(AppError::internal);
    }
    let shapes = shapes(req.geojson.as_deref())?;
    let mut svgs = Charts::new();
    for kind in ALL_CHARTS {
        if let Some(svg) = chart(kind, b, lang, shapes.as_ref())? {
            svgs.insert(kind.word().to_string(), svg);
        }
    }
    if let Some(w) = b.water.as_ref().filter(|w| !w.points.is_empty()) {
        let svg = lantian_report::water::map(w, shapes.as_ref(), lang).map_err(chart_err)?;
        svgs.insert("water-map".into(), svg);
    }
    if let Some(s) = b.soil.as_ref().filter(|s| !s.points.is_empty()) {
        let svg = lantian_report::soil::map(s, shapes.as_ref(), lang).map_err(chart_err)?;
        svgs.insert("soil-map".into(), svg);
    }
    let doc = lantian_report::text::document(b, lang);
    render_document(&doc, &svgs, format, chart_dir)
}

/// A document in `format` (not JSON): Markdown (charts written to `chart_dir` as SVG when
/// given), HTML with its charts inline, or PDF.
pub(crate) fn render_document(
    doc: &lantian_report::document::Document,
    svgs: &Charts,
    format: ReportFormat,
    chart_dir: Option<&ChartDir>,
) -> Result<Vec<u8>> {
    Ok(match format {
        ReportFormat::Md => {
            if let Some((dir, _)) = chart_dir {
                let io = |p: &Path, e: std::io::Error| {
                    AppError::BadInput(format!("writing {}: {e}", p.display()))
                };
                std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
                for (n, svg) in svgs {
                    let p = dir.join(format!("{n}.svg"));
                    std::fs::write(&p, svg).map_err(|e| io(&p, e))?;
                }
            }
            render::markdown(doc, svgs, chart_dir.map(|d| d.1.as_str())).into_bytes()
        }
        ReportFormat::Html => render::html(doc, svgs).into_bytes(),
        ReportFormat::Pdf => pdf(doc, svgs)?,
        ReportFormat::Json => {
            return Err(AppError::internal(
                "a document has no JSON form; its figures do",
            ));
        }
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
    render_pdf(&markup, &files, true).map_err(AppError::internal)
}

#[cfg(not(feature = "pdf"))]
fn pdf(_: &lantian_report::document::Document, _: &Charts) -> Result<Vec<u8>> {
    Err(AppError::BadParameter {
        parameter: "format",
        value: "pdf".into(),
        reason: "this lantian was built without the `pdf` feature (typst); rebuild with default features".into(),
    })
}
