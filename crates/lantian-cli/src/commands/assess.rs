//! `lantian assess`: the figures of a bulletin for a region and period (with and without the
//! sand-dust deduction), the baseline comparison, compliance, targets, and district or station
//! rankings; `lantian assess annual`: the annual assessment of every station and the city, a
//! row per year. Arguments and printing only: the figures come from `lantian_app::assess`.

use crate::args::{AssessOptionsArgs, OrCli, OutFormat, period, target, words};
use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use lantian_app::assess::{
    ANNUAL_STATS, AnnualRequest, AnnualRow, AreaDocument, AssessDocument, AssessRequest,
    RankingDocument, annual, assess,
};
use lantian_app::options::{Baseline, By, DayRule, Target};
use lantian_app::sorted_json;
use lantian_assess::area::AreaAssessment;
use lantian_assess::change::{change, points};
use lantian_assess::days::DayCounts;
use lantian_assess::dust::{self, DustSource};
use lantian_assess::period::Period;
use lantian_assess::stats::PeriodStats;
use lantian_model::Registry;
use lantian_store::Store;
use std::io::Write;
use std::path::PathBuf;

#[derive(Args, Clone)]
#[command(args_conflicts_with_subcommands = true)]
pub struct AssessArgs {
    #[command(subcommand)]
    command: Option<AssessCommand>,
    /// "beijing" or a district (e.g. 海淀).
    #[arg(long, default_value = "beijing")]
    region: String,
    /// 2023, 2023-H1, 2023-Q2, 2023-05, 2024-YTD-06-04 or 2023-01-01..2023-06-30.
    #[arg(long, value_parser = period)]
    period: Option<Period>,
    /// Baseline period (default: the same period a year earlier; `none` for no comparison).
    #[arg(long, value_parser = baseline)]
    compare: Option<Baseline>,
    /// A table of the region's districts or stations, with rankings, instead of one area.
    #[arg(long, value_parser = words::<By>(By::NAMES))]
    by: Option<By>,
    #[command(flatten)]
    common: AssessOptionsArgs,
    /// Annual targets: `PM2.5=30` (published annual mean at most 30), `good-days=280`.
    #[arg(long, value_parser = target)]
    target: Vec<Target>,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    format: OutFormat,
}

/// `--compare`: a period, or `none`.
fn baseline(s: &str) -> Result<Baseline, String> {
    s.parse()
        .map_err(|e: lantian_assess::period::PeriodError| e.to_string())
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
        common: AssessOptionsArgs,
        #[arg(long, value_enum, default_value_t = OutFormat::Csv)]
        format: OutFormat,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

impl AssessArgs {
    /// `lantian assess --period PERIOD --compare none` with the other defaults (for
    /// `quickstart`).
    pub fn for_period(period: &str) -> AssessArgs {
        #[derive(clap::Parser)]
        struct Wrap {
            #[command(flatten)]
            a: AssessArgs,
        }
        <Wrap as clap::Parser>::parse_from(["assess", "--period", period, "--compare", "none"]).a
    }

    /// The application's request.
    fn request(&self, period: Period) -> AssessRequest {
        AssessRequest {
            region: self.region.clone(),
            period,
            baseline: self.compare.clone().unwrap_or_default(),
            by: self.by,
            options: self.common.options(),
            targets: self.target.clone(),
        }
    }
}

/// A word as clap's `Debug` of the option printed it in the table's header (`station-days` →
/// `StationDays`), so the table reads as before.
fn debug_word(w: &str) -> String {
    w.split('-')
        .map(|p| {
            let mut c = p.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
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
        let req = AnnualRequest {
            from: *from,
            to: *to,
            region: region.clone(),
            areas: *cities,
            options: common.options(),
        };
        return run_annual(store_path, reg, &req, *format, out.as_deref()).await;
    }
    let Some(period) = a.period.clone() else {
        bail!("--period is required (e.g. --period 2023-H1), or use `lantian assess annual`");
    };
    let store = Store::open(store_path).await?;
    let reader = store.matrix_reader(&a.common.source).await?;
    let req = a.request(period);
    match assess(&reader, reg, &req).cli()? {
        AssessDocument::Ranking(doc) => print_by(a, &doc),
        AssessDocument::Area(doc) => print_area(a, &doc),
    }
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

fn print_area(a: &AssessArgs, doc: &AreaDocument) -> Result<()> {
    let mut out = std::io::stdout().lock();
    if a.format == OutFormat::Json {
        writeln!(out, "{}", sorted_json(doc).cli()?)?;
        return Ok(());
    }
    let (cur, base) = (&doc.current, doc.baseline.as_ref());
    let dust = doc.sand_dust.as_ref().map(|d| (&d.source, &d.days));
    let targets: Vec<serde_json::Value> = doc
        .targets
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
            "{} {} — {} stations ({}), area day = {}",
            a.region,
            cur.period,
            cur.stations.len(),
            debug_word(c.stations.word()),
            debug_word(c.method.word())
        )?;
        match c.day_rule {
            // The default keeps the lines that scripts read; another rule says itself.
            DayRule::Standard => {}
            DayRule::Beijing => writeln!(
                out,
                "days counted as Beijing publishes them: the day of the area's hourly mean; a day without all six pollutants only above 100"
            )?,
        }
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
    let b = &d.bounds;
    if b.incomplete + b.without_data > 0 {
        // What the archive's gaps leave open: a published count outside these ranges disagrees
        // on the values, one inside may differ only by the days the archive lacks.
        let range = |[lo, hi]: [usize; 2]| format!("{lo}–{hi}");
        writeln!(
            out,
            "days open ({} without all six pollutants, {} without data): excellent {}, excellent-or-good {}, heavy {}",
            b.incomplete,
            b.without_data,
            range(b.excellent),
            range(b.excellent_or_good),
            range(b.heavy)
        )?;
    }
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

fn print_by(a: &AssessArgs, doc: &RankingDocument) -> Result<()> {
    let mut out = std::io::stdout().lock();
    if a.format == OutFormat::Json {
        writeln!(out, "{}", sorted_json(doc).cli()?)?;
        return Ok(());
    }
    let pm = |x: &AreaAssessment| x.stats.headline("PM2.5").and_then(|s| s.published);
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
            "{} {} by {}, {} sand-dust days deducted",
            a.region,
            doc.period,
            debug_word(doc.by.word()),
            doc.sand_dust_days.len()
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
    for row in &doc.rows {
        let (cur, base) = (&row.current, &row.baseline);
        let pm25 = cur.stats.headline("PM2.5");
        let cells = [
            row.name.clone(),
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
            row.pm25_change_percent
                .map(|c| format!("{c:+.1}"))
                .unwrap_or("-".into()),
            r(row.rank_pm25),
            r(row.rank_composite),
            r(row.rank_improvement),
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

/// `lantian assess annual`: every station and the region, each year, as CSV or JSON rows.
async fn run_annual(
    store_path: &std::path::Path,
    reg: &Registry,
    req: &AnnualRequest,
    format: OutFormat,
    out_path: Option<&std::path::Path>,
) -> Result<()> {
    let store = Store::open(store_path).await?;
    let reader = store.matrix_reader(&req.options.sources).await?;
    let mut out: Box<dyn Write> = match out_path {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("{}: cannot create", p.display()))?,
        )),
        None => Box::new(std::io::stdout().lock()),
    };
    let csv = format != OutFormat::Json;
    if csv {
        let mut h = vec!["year".to_string(), "entity".into(), "stations".into()];
        for (p, s) in ANNUAL_STATS {
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
    let mut rows: Vec<AnnualRow> = Vec::new();
    let mut io_error: Option<std::io::Error> = None;
    annual(&reader, reg, req, |year_rows| {
        if csv {
            for r in &year_rows {
                if let Err(e) = writeln!(out, "{}", annual_csv_line(r)) {
                    io_error.get_or_insert(e);
                }
            }
        } else {
            rows.extend(year_rows);
        }
        Ok(())
    })
    .await
    .cli()?;
    if let Some(e) = io_error {
        return Err(e.into());
    }
    if !csv {
        writeln!(out, "{}", sorted_json(&rows).cli()?)?;
    }
    out.flush()?;
    Ok(())
}

/// One CSV line of the annual assessment.
fn annual_csv_line(a: &AnnualRow) -> String {
    let mut cells = vec![a.year.to_string(), a.entity.clone(), a.stations.to_string()];
    let opt = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    for (p, s) in ANNUAL_STATS {
        let st = a.stat(p, s);
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
    cells.push(a.dust_days.to_string());
    cells.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use lantian_app::options::{DustChoice, Method, StationSet};

    #[test]
    fn quickstart_defaults_are_the_command_line_defaults() {
        let a = AssessArgs::for_period("2023");
        assert_eq!(
            a.period.as_ref().map(|p| p.to_string()).as_deref(),
            Some("2023")
        );
        assert_eq!(a.compare, Some(Baseline::None));
        assert_eq!(a.common.stations, StationSet::Assessment);
        assert_eq!(a.common.method, Method::StationDays);
        assert_eq!(a.common.dust, DustChoice::Detect);
        assert!(a.by.is_none() && a.target.is_empty() && a.format == OutFormat::Table);
    }

    #[test]
    fn header_words_read_as_before() {
        assert_eq!(debug_word("station-days"), "StationDays");
        assert_eq!(debug_word("assessment"), "Assessment");
        assert_eq!(debug_word("district"), "District");
    }
}
