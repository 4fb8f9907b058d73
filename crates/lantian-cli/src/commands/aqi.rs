//! `lantian aqi`: indices over the store, a one-off calculator, and the published-value oracle.
//! Arguments and printing only; every number comes from `lantian_app::aqi` / `lantian-oracle`.

use crate::args::{OrCli, OutFormat, standard};
use anyhow::{Context, Result, bail};
use chrono::{NaiveDate, NaiveDateTime, Utc};
use clap::{Args, Subcommand, ValueEnum};
use lantian_app::aqi::{
    AqiRequest, AqiRow, AqiSubject, CalcRequest, NetworkAqiRequest, aqi, calc, network_aqi,
};
use lantian_app::options::StandardChoice;
use lantian_aqi::{AqiResult, Indicator, Report};
use lantian_model::Registry;
use lantian_model::time::beijing;
use lantian_store::Store;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct AqiArgs {
    #[command(subcommand)]
    pub command: Option<AqiCommand>,
    #[command(flatten)]
    pub series: SeriesArgs,
}

#[derive(Subcommand)]
pub enum AqiCommand {
    /// Compute one index from concentrations: `lantian aqi calc pm25=80 o3_8h=170`.
    /// Names: so2, no2, co, o3, pm10, pm25 (the report's default averaging) or with a suffix
    /// _1h, _8h, _24h, _15min. Units: µg/m³, CO mg/m³.
    Calc {
        /// `name=value` pairs.
        items: Vec<String>,
        /// Scheme: hj633-2012, hj633-2026, epa-2018, epa-2024, eaqi-2017, eaqi-2024, uk-daqi,
        /// india-naqi (default: the HJ 633 edition in force on --date).
        #[arg(long, default_value = "auto", value_parser = standard)]
        standard: StandardChoice,
        /// The date of the data, for the edition (default: today, Beijing time).
        #[arg(long)]
        date: Option<NaiveDate>,
        #[arg(long, value_enum, default_value_t = ReportArg::Daily)]
        report: ReportArg,
        #[arg(long, value_enum, default_value_t = OutFormat::Table)]
        format: OutFormat,
    },
    /// Recompute the real-time AQI published in BJMEMC/CNEMC files and report the match per year.
    Oracle {
        /// Files or folders (beijing_all_*, beijing_extra_*, china_sites_*).
        paths: Vec<PathBuf>,
        /// Examples of each non-matching class per year.
        #[arg(long, default_value_t = 3)]
        examples: usize,
        #[arg(long, value_enum, default_value_t = OutFormat::Table)]
        format: OutFormat,
    },
}

#[derive(ValueEnum, Clone, Copy, PartialEq)]
pub enum ReportArg {
    /// Real-time (hourly) report.
    Realtime,
    /// Daily report.
    Daily,
}

impl From<ReportArg> for Report {
    fn from(r: ReportArg) -> Report {
        match r {
            ReportArg::Realtime => Report::RealTime,
            ReportArg::Daily => Report::Daily,
        }
    }
}

#[derive(Args, Clone, Default)]
pub struct SeriesArgs {
    /// Station code(s) as stored (e.g. 东四, 1003A). Several stations: one series each.
    #[arg(long)]
    pub station: Vec<String>,
    /// An area: "beijing" (北京) or a district name (e.g. 海淀, Haidian). Its hourly
    /// concentration is the mean of its registry stations' hourly values (HJ 663 §5.2: the
    /// area value is the arithmetic mean of its stations' values).
    #[arg(long)]
    pub region: Option<String>,
    /// Source(s) to read (default: all).
    #[arg(long)]
    pub source: Vec<String>,
    /// First day (Beijing time).
    #[arg(long)]
    pub from: Option<NaiveDate>,
    /// Last day (Beijing time, inclusive).
    #[arg(long)]
    pub to: Option<NaiveDate>,
    /// Daily index instead of hourly.
    #[arg(long)]
    pub daily: bool,
    /// Print only the count of days (or hours) per category, not every row.
    #[arg(long)]
    pub summary: bool,
    /// Scheme (default: the HJ 633 edition in force on each date).
    #[arg(long, default_value = "auto", value_parser = standard)]
    pub standard: StandardChoice,
    /// HJ 633—2012 real-time: rate PM 1-h values (CNEMC's and BJMEMC's practice since 2017)
    /// instead of the 24-h moving means of §5.1.
    #[arg(long)]
    pub pm_1h: bool,
    /// Use values flagged doubtful (implausibly high) too; bad and withdrawn values never are.
    #[arg(long)]
    pub include_doubtful: bool,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    pub format: OutFormat,
    /// Every station in the store, each its own hourly series, written to `--out` (the national
    /// network: 2,000 stations × 8,760 hours).
    #[arg(long, conflicts_with_all = ["station", "region", "daily", "summary"])]
    pub all_stations: bool,
    /// CNEMC's published real-time practice (docs/aqi-oracle.md: 2023 files match it in
    /// 157,749 of 157,750 station-hours): the six 1-h values, PM rated on the 24-h table, no
    /// O3 8-h mean. HJ 633—2026's real-time report is the same rule.
    #[arg(long, requires = "all_stations")]
    pub cnemc: bool,
    /// With --all-stations: the Parquet file to write (station, time_end UTC, aqi), one row per
    /// station-hour with a published AQI.
    #[arg(long, requires = "all_stations")]
    pub out: Option<PathBuf>,
}

pub async fn run(store_path: &std::path::Path, reg: &Registry, args: &AqiArgs) -> Result<()> {
    match &args.command {
        Some(AqiCommand::Calc {
            items,
            standard,
            date,
            report,
            format,
        }) => run_calc(items, *standard, *date, (*report).into(), *format),
        Some(AqiCommand::Oracle {
            paths,
            examples,
            format,
        }) => oracle(paths, *examples, *format),
        None => {
            let store = Store::open(store_path).await?;
            over_store(&store, reg, &args.series).await
        }
    }
}

fn run_calc(
    items: &[String],
    standard: StandardChoice,
    date: Option<NaiveDate>,
    report: Report,
    format: OutFormat,
) -> Result<()> {
    if items.is_empty() {
        bail!("lantian aqi calc: give concentrations, e.g. `pm25=80 o3_8h=170`");
    }
    let date = date.unwrap_or_else(|| Utc::now().with_timezone(&beijing()).date_naive());
    let c = calc(&CalcRequest {
        items: items.to_vec(),
        standard,
        date,
        report,
    })
    .map_err(|e| match e {
        lantian_app::AppError::BadParameter { value, reason, .. } => {
            anyhow::anyhow!("'{value}': {reason}")
        }
        e => crate::args::cli_error(e),
    })?;
    let (std, why, r) = (c.standard, c.why, c.result);
    let mut out = std::io::stdout().lock();
    match format {
        OutFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&r)?)?,
        OutFormat::Csv => {
            writeln!(out, "indicator,concentration,unit,rated,sub_index,note")?;
            for s in &r.sub_indices {
                writeln!(
                    out,
                    "{},{},{},{},{},{}",
                    s.indicator,
                    s.concentration,
                    s.indicator.unit(),
                    s.rated,
                    s.index.map(|i| i.to_string()).unwrap_or_default(),
                    s.note.map(|n| format!("{n:?}")).unwrap_or_default()
                )?;
            }
            writeln!(
                out,
                "AQI,,,,{},",
                r.aqi.map(|a| a.to_string()).unwrap_or("NA".into())
            )?;
        }
        OutFormat::Table => {
            writeln!(
                out,
                "{} — {} ({why}), {:?} report",
                std.id(),
                std.title(),
                report
            )?;
            writeln!(
                out,
                "{:<10} {:>12} {:>8} {:>9}  note",
                "indicator", "given", "rated", "sub-index"
            )?;
            for s in &r.sub_indices {
                writeln!(
                    out,
                    "{:<10} {:>12} {:>8} {:>9}  {}",
                    s.indicator.code(),
                    format!("{} {}", s.concentration, s.indicator.unit()),
                    s.rated,
                    s.index.map(|i| i.to_string()).unwrap_or("-".into()),
                    s.note.map(|n| format!("{n:?}")).unwrap_or_default()
                )?;
            }
            print_summary(&mut out, &r)?;
        }
    }
    Ok(())
}

fn print_summary(out: &mut impl Write, r: &AqiResult) -> Result<()> {
    match (r.aqi, r.category) {
        (Some(a), Some(c)) => writeln!(
            out,
            "AQI {a}  {} {} / {}  colour {} {}  primary: {}",
            c.level_name,
            c.name_zh,
            c.name_en,
            c.colour_name,
            c.hex(),
            if r.primary.is_empty() {
                "none".to_string()
            } else {
                r.primary_names()
            }
        )?,
        _ => writeln!(
            out,
            "AQI NA (highest sub-index {}; missing: {})",
            r.max_sub_index.map(|m| m.to_string()).unwrap_or("-".into()),
            r.missing.join(", ")
        )?,
    }
    if !r.missing.is_empty() && r.aqi.is_some() {
        writeln!(out, "missing: {}", r.missing.join(", "))?;
    }
    Ok(())
}

fn oracle(paths: &[PathBuf], examples: usize, format: OutFormat) -> Result<()> {
    if paths.is_empty() {
        bail!(
            "lantian aqi oracle: give the folders of BJMEMC/CNEMC files, e.g. ../shared/data/quotsoft_beijing"
        );
    }
    let report = lantian_oracle::run(paths, examples)?;
    let mut out = std::io::stdout().lock();
    if format == OutFormat::Json {
        #[derive(serde::Serialize)]
        struct Row<'a> {
            source: &'a str,
            year: i32,
            practice: lantian_oracle::Practice,
            #[serde(flatten)]
            tally: &'a lantian_oracle::Tally,
        }
        let rows: Vec<Row> = report
            .tallies
            .iter()
            .map(|((s, y, p), t)| Row {
                source: s,
                year: *y,
                practice: *p,
                tally: t,
            })
            .collect();
        let doc = serde_json::json!({ "files_read": report.files_read, "tallies": rows, "examples": report.examples });
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        return Ok(());
    }
    writeln!(
        out,
        "files read: {}, without values: {}",
        report.files_read, report.files_rejected
    )?;
    let sep = if format == OutFormat::Csv { "," } else { " " };
    let head = [
        "source",
        "year",
        "published",
        "recomputable",
        "exact",
        "exact%",
        "precision",
        "float",
        "so2_200",
        "mismatch",
        "gap",
        "gap_equal",
        "explained%",
    ];
    writeln!(
        out,
        "{}",
        head.map(|h| if format == OutFormat::Csv {
            h.to_string()
        } else {
            format!("{h:>12}")
        })
        .join(sep)
    )?;
    let mut rows: Vec<((String, i32), lantian_oracle::Tally)> =
        report.by_year().into_iter().collect();
    rows.push((("all".into(), 0), report.total(|_, _, _| true)));
    for ((s, y), t) in rows {
        let cells = [
            s.clone(),
            if y == 0 { "all".into() } else { y.to_string() },
            t.published.to_string(),
            t.recomputable().to_string(),
            t.exact.to_string(),
            format!("{:.4}", 100.0 * t.exact_rate()),
            t.within_precision.to_string(),
            t.float_artefact.to_string(),
            t.so2_set_200.to_string(),
            t.mismatch.to_string(),
            t.incomplete.to_string(),
            t.incomplete_but_equal.to_string(),
            format!("{:.4}", 100.0 * t.explained_rate()),
        ];
        writeln!(
            out,
            "{}",
            cells
                .map(|c| if format == OutFormat::Csv {
                    c
                } else {
                    format!("{c:>12}")
                })
                .join(sep)
        )?;
    }
    if format == OutFormat::Table && !report.examples.is_empty() {
        writeln!(
            out,
            "\nexamples (source station stamp practice outcome published recomputed inputs):"
        )?;
        for e in &report.examples {
            writeln!(
                out,
                "{} {} {} {:?} {:?} {} {} {}",
                e.source,
                e.station,
                e.stamp,
                e.practice,
                e.outcome,
                e.published,
                e.recomputed.map(|r| r.to_string()).unwrap_or("-".into()),
                e.inputs
            )?;
        }
    }
    Ok(())
}

/// `lantian aqi --station S | --region R --from D --to D`: the hourly or daily index.
pub async fn over_store(store: &Store, reg: &Registry, a: &SeriesArgs) -> Result<()> {
    if a.all_stations {
        return all_stations(store, a).await;
    }
    let subject = match (&a.region, a.station.is_empty()) {
        (Some(r), _) => AqiSubject::Region(r.clone()),
        (None, false) => AqiSubject::Stations(a.station.clone()),
        (None, true) => {
            bail!("lantian aqi: give --station or --region (or use `lantian aqi calc`)")
        }
    };
    let (from, to) = match (a.from, a.to) {
        (Some(f), Some(t)) if f <= t => (f, t),
        (Some(f), Some(t)) => bail!("--from {f} is after --to {t}"),
        _ => bail!("lantian aqi: give --from and --to (Beijing dates)"),
    };
    let reader = store.matrix_reader(&a.source).await?;
    let rows = aqi(
        &reader,
        reg,
        &AqiRequest {
            subject,
            from,
            to,
            daily: a.daily,
            standard: a.standard,
            pm_1h: a.pm_1h,
            include_doubtful: a.include_doubtful,
        },
    )
    .cli()?;
    print_rows(&rows, a.daily, a.summary, a.format)
}

/// `lantian aqi --all-stations --out FILE`: the real-time AQI of every station-hour of the
/// natural days `from..=to`, written as Parquet.
async fn all_stations(store: &Store, a: &SeriesArgs) -> Result<()> {
    let out = a
        .out
        .as_ref()
        .context("--all-stations writes a Parquet file: give --out FILE")?;
    let (from, to) = match (a.from, a.to) {
        (Some(f), Some(t)) if f <= t => (f, t),
        (Some(f), Some(t)) => bail!("--from {f} is after --to {t}"),
        _ => bail!("lantian aqi: give --from and --to (Beijing dates)"),
    };
    let reader = store.matrix_reader(&a.source).await?;
    let w = network_aqi(
        &reader,
        &NetworkAqiRequest {
            from,
            to,
            standard: a.standard,
            cnemc: a.cnemc,
            pm_1h: a.pm_1h,
            include_doubtful: a.include_doubtful,
        },
        out,
    )
    .cli()?;
    eprintln!(
        "wrote {} station-hours with an AQI ({} stations × {} hours) to {}",
        w.rated,
        w.stations,
        w.hours,
        out.display()
    );
    Ok(())
}

/// One row of `--format json`.
#[derive(serde::Serialize)]
struct RowJson<'a> {
    station: &'a str,
    time: String,
    stations: usize,
    result: &'a AqiResult,
}

fn print_rows(rows: &[AqiRow], daily: bool, summary: bool, format: OutFormat) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let time = |t: &NaiveDateTime| {
        if daily {
            t.format("%Y-%m-%d").to_string()
        } else {
            t.format("%Y-%m-%d %H").to_string()
        }
    };
    let indicators: BTreeSet<Indicator> = rows
        .iter()
        .flat_map(|r| r.result.sub_indices.iter().map(|s| s.indicator))
        .collect();
    match format {
        OutFormat::Json => {
            let v: Vec<RowJson> = rows
                .iter()
                .map(|r| RowJson {
                    station: &r.name,
                    time: time(&r.stamp),
                    stations: r.stations,
                    result: &r.result,
                })
                .collect();
            writeln!(out, "{}", lantian_app::sorted_json(&v).cli()?)?;
        }
        OutFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            let mut head: Vec<String> = [
                "station",
                if daily { "date" } else { "time_end" },
                "stations",
                "standard",
                "aqi",
                "level",
                "category_zh",
                "category_en",
                "colour",
                "primary",
                "missing",
            ]
            .map(String::from)
            .to_vec();
            head.extend(indicators.iter().map(|i| format!("iaqi_{i}")));
            head.extend(indicators.iter().map(|i| format!("c_{i}")));
            w.write_record(&head)?;
            for AqiRow {
                name: n,
                stamp: t,
                result: r,
                stations: k,
            } in rows
            {
                let c = r.category;
                let mut rec = vec![
                    n.clone(),
                    time(t),
                    k.to_string(),
                    r.standard.id().to_string(),
                    r.aqi.map(|a| a.to_string()).unwrap_or("NA".into()),
                    c.map(|c| c.level.to_string()).unwrap_or_default(),
                    c.map(|c| c.name_zh.to_string()).unwrap_or_default(),
                    c.map(|c| c.name_en.to_string()).unwrap_or_default(),
                    c.map(|c| c.hex()).unwrap_or_default(),
                    r.primary_names(),
                    r.missing.join(";"),
                ];
                for i in &indicators {
                    rec.push(
                        r.sub_index(*i)
                            .and_then(|s| s.index)
                            .map(|x| x.to_string())
                            .unwrap_or_default(),
                    );
                }
                for i in &indicators {
                    rec.push(
                        r.sub_index(*i)
                            .map(|s| format!("{:.3}", s.concentration))
                            .unwrap_or_default(),
                    );
                }
                w.write_record(&rec)?;
            }
            w.flush()?;
        }
        OutFormat::Table => {
            if summary {
                return print_counts(&mut out, rows, daily);
            }
            writeln!(
                out,
                "{:<12} {:<13} {:<11} {:>4}  {:<12} {:<20} primary",
                "station",
                if daily { "date" } else { "time (h-end)" },
                "standard",
                "AQI",
                "category",
                ""
            )?;
            for AqiRow {
                name: n,
                stamp: t,
                result: r,
                ..
            } in rows
            {
                let c = r.category;
                writeln!(
                    out,
                    "{:<12} {:<13} {:<11} {:>4}  {:<12} {:<20} {}",
                    n,
                    time(t),
                    r.standard.id(),
                    r.aqi.map(|a| a.to_string()).unwrap_or("NA".into()),
                    c.map(|c| c.name_zh).unwrap_or("-"),
                    c.map(|c| c.name_en).unwrap_or("-"),
                    r.primary_names()
                )?;
            }
            if daily {
                print_counts(&mut out, rows, daily)?;
            } else {
                writeln!(
                    out,
                    "(hours are hour-ending, Beijing time: \"2023-01-01 01\" is 00:00–01:00)"
                )?;
            }
        }
    }
    Ok(())
}

/// Rows per category and station: "excellent days" of a bulletin are days with AQI ≤ 50.
fn print_counts(out: &mut impl Write, rows: &[AqiRow], daily: bool) -> Result<()> {
    let unit = if daily { "days" } else { "hours" };
    for c in lantian_app::aqi::category_counts(rows) {
        let parts: Vec<String> = c
            .by_level
            .iter()
            .map(|(_, zh, k)| format!("{zh} {k}"))
            .collect();
        writeln!(
            out,
            "{} ({}): {} {unit} with an AQI: {}; {} without",
            c.name,
            c.standards.join("+"),
            c.rated,
            parts.join(", "),
            c.not_rated
        )?;
    }
    Ok(())
}
