//! `lantian assess`: the figures of a bulletin for a region and period, with the baseline
//! comparison. Parsing and printing only; the numbers come from `lantian-assess`.

use anyhow::{Result, bail};
use chrono::Duration;
use clap::{Args, ValueEnum};
use lantian_aqi::Standard;
use lantian_aqi::series::HourlySeries;
use lantian_assess::change::{change, points};
use lantian_assess::composite::{
    GB3095_2012, GB3095_2026_FINAL, GB3095_2026_TRANSITIONAL, composite_index,
};
use lantian_assess::days::{DayCounts, count_days};
use lantian_assess::period::Period;
use lantian_assess::region::{CityMethod, area_days};
use lantian_assess::stats::{PeriodStats, period_stats};
use lantian_model::Registry;
use lantian_store::Store;
use std::io::Write;

use crate::OutFormat;

#[derive(Args, Clone)]
pub struct AssessArgs {
    /// "beijing" or a district (e.g. 海淀).
    #[arg(long, default_value = "beijing")]
    region: String,
    /// 2023, 2023-H1, 2023-Q2, 2023-05, 2024-YTD-06-04 or 2023-01-01..2023-06-30.
    #[arg(long)]
    period: String,
    /// Baseline period (default: the same period a year earlier).
    #[arg(long)]
    compare: Option<String>,
    /// Which stations form the area value.
    #[arg(long, value_enum, default_value_t = StationSet::Assessment)]
    stations: StationSet,
    /// How the area's daily value is formed.
    #[arg(long, value_enum, default_value_t = Method::StationDays)]
    method: Method,
    /// AQI edition for the day counts (default: the one in force on each date).
    #[arg(long)]
    standard: Option<String>,
    /// Limits for the composite index.
    #[arg(long, value_enum, default_value_t = LimitsArg::Gb3095_2012)]
    limits: LimitsArg,
    /// Source(s) to read (default: all).
    #[arg(long)]
    source: Vec<String>,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    format: OutFormat,
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

struct Assessed {
    period: Period,
    stations: Vec<String>,
    stats: PeriodStats,
    days: DayCounts,
}

async fn assess_period(
    store: &Store,
    codes: &[String],
    a: &AssessArgs,
    period: &Period,
) -> Result<Assessed> {
    let start = period.first.and_hms_opt(1, 0, 0).expect("01:00");
    let end = (period.last + Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .expect("00:00");
    let len = (end - start).num_hours() as usize + 1;
    let hourly = crate::aqi::read_hourly(store, codes, &a.source, start, end, len, false).await?;
    let mut used: Vec<String> = hourly.keys().cloned().collect();
    used.sort();
    let series: Vec<HourlySeries> = used
        .iter()
        .map(|c| HourlySeries {
            start,
            values: hourly[c].clone(),
        })
        .collect();
    let method = match a.method {
        Method::StationDays => CityMethod::MeanOfStationDays,
        Method::HourlyMean => CityMethod::DayOfAreaHourlyMean,
    };
    let daily = area_days(&series, method);
    let standard = match a.standard.as_deref() {
        None | Some("auto") => None,
        Some(s) => Some(Standard::parse(s)?),
    };
    Ok(Assessed {
        period: period.clone(),
        stats: period_stats(period, &daily),
        days: count_days(period, &daily, standard)?,
        stations: used,
    })
}

pub async fn run(store_path: &std::path::Path, reg: &Registry, a: &AssessArgs) -> Result<()> {
    let store = Store::open(store_path).await?;
    let period = Period::parse(&a.period)?;
    let baseline = match &a.compare {
        Some(c) if c == "none" => None,
        Some(c) => Some(Period::parse(c)?),
        None => Some(period.previous_year()),
    };
    let in_region = crate::aqi::region_stations(reg, &a.region);
    let codes: Vec<String> = in_region
        .iter()
        .filter(|c| {
            let Some(s) = reg.get(c) else { return false };
            match a.stations {
                StationSet::Assessment => s.role.is_assessment(),
                StationSet::National => s.national_code.is_some(),
                StationSet::All => true,
            }
        })
        .cloned()
        .collect();
    if codes.is_empty() {
        bail!(
            "--region '{}' with --stations {:?}: no registry station",
            a.region,
            a.stations
        );
    }
    let cur = assess_period(&store, &codes, a, &period).await?;
    if cur.stations.is_empty() {
        bail!(
            "no 1-h data in the store for {} in {period} (see `lantian coverage`)",
            a.region
        );
    }
    let base = match &baseline {
        Some(b) => Some(assess_period(&store, &codes, a, b).await?),
        None => None,
    };
    let limits = match a.limits {
        LimitsArg::Gb3095_2012 => &GB3095_2012,
        LimitsArg::Gb3095_2026Transitional => &GB3095_2026_TRANSITIONAL,
        LimitsArg::Gb3095_2026Final => &GB3095_2026_FINAL,
    };
    let composite = |s: &PeriodStats| {
        let v = |p: &str| s.headline(p).and_then(|x| x.published);
        Some(composite_index(
            v("SO2")?,
            v("NO2")?,
            v("PM10")?,
            v("PM2.5")?,
            v("CO")?,
            v("O3")?,
            limits,
        ))
    };
    let mut out = std::io::stdout().lock();
    if a.format == OutFormat::Json {
        let doc = serde_json::json!({
            "region": a.region,
            "stations": format!("{:?}", a.stations).to_lowercase(),
            "method": format!("{:?}", a.method).to_lowercase(),
            "current": { "period": cur.period.to_string(), "stations": cur.stations, "stats": cur.stats, "days": cur.days, "composite": composite(&cur.stats) },
            "baseline": base.as_ref().map(|b| serde_json::json!({ "period": b.period.to_string(), "stations": b.stations, "stats": b.stats, "days": b.days, "composite": composite(&b.stats) })),
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        return Ok(());
    }
    let csv = a.format == OutFormat::Csv;
    if !csv {
        writeln!(
            out,
            "{} {} — {} stations ({:?}), area day = {:?}",
            a.region,
            cur.period,
            cur.stations.len(),
            a.stations,
            a.method
        )?;
        writeln!(out, "stations: {}", cur.stations.join(", "))?;
    }
    let bp = base
        .as_ref()
        .map(|b| b.period.to_string())
        .unwrap_or_default();
    if csv {
        writeln!(
            out,
            "pollutant,statistic,unit,value,published,valid_days,days,rule_met,baseline,change_percent"
        )?;
    } else {
        writeln!(
            out,
            "{:<6} {:<32} {:>9} {:>11} {:>5} {:>10} {:>8}",
            "", "statistic", "published", "valid/days", "rule", bp, "change"
        )?;
    }
    for s in &cur.stats.stats {
        let b = base.as_ref().and_then(|b| {
            b.stats
                .stats
                .iter()
                .find(|x| x.pollutant == s.pollutant && x.statistic == s.statistic)
        });
        let bv = b.and_then(|b| b.published);
        let ch = match (s.published, bv) {
            (Some(c), Some(b)) => change(c, b).percent,
            _ => None,
        };
        let f = |v: Option<f64>| {
            v.map(|v| {
                if s.pollutant == "CO" {
                    format!("{v:.1}")
                } else {
                    format!("{v:.0}")
                }
            })
            .unwrap_or("-".into())
        };
        if csv {
            writeln!(
                out,
                "{},{},{},{},{},{},{},{},{},{}",
                s.pollutant,
                s.label,
                s.unit,
                s.value.map(|v| v.to_string()).unwrap_or_default(),
                s.published.map(|v| v.to_string()).unwrap_or_default(),
                s.completeness.valid,
                s.completeness.expected,
                s.completeness.meets_rule,
                bv.map(|v| v.to_string()).unwrap_or_default(),
                ch.map(|v| v.to_string()).unwrap_or_default()
            )?;
        } else {
            writeln!(
                out,
                "{:<6} {:<32} {:>9} {:>11} {:>5} {:>10} {:>8}",
                s.pollutant,
                s.label,
                f(s.published),
                format!("{}/{}", s.completeness.valid, s.completeness.expected),
                if s.completeness.meets_rule {
                    "ok"
                } else {
                    "FAIL"
                },
                f(bv),
                ch.map(|c| format!("{c:+.1}%")).unwrap_or("-".into())
            )?;
        }
    }
    if csv {
        return Ok(());
    }
    let d = &cur.days;
    writeln!(
        out,
        "days: {} valid of {}; 优 {} 良 {} 轻度 {} 中度 {} 重度 {} 严重 {}; excellent-or-good {} ({}%), heavy {}",
        d.valid,
        d.days,
        d.by_level[0],
        d.by_level[1],
        d.by_level[2],
        d.by_level[3],
        d.by_level[4],
        d.by_level[5],
        d.excellent_or_good,
        d.excellent_or_good_ratio
            .map(|r| r.to_string())
            .unwrap_or("-".into()),
        d.heavy
    )?;
    if let Some(b) = &base {
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
    if let Some(c) = composite(&cur.stats) {
        write!(
            out,
            "composite index ({}): {:.2}, leading {}",
            c.limits, c.published, c.leading
        )?;
        if let Some(bc) = base.as_ref().and_then(|b| composite(&b.stats)) {
            write!(out, "; {}: {:.2}", bp, bc.published)?;
        }
        writeln!(out)?;
    }
    Ok(())
}
