//! `lantian aqi`: indices over the store, a one-off calculator, and the published-value oracle.
//! Parsing and printing only; every number comes from `lantian-aqi` / `lantian-oracle`.

use anyhow::{Context, Result, bail};
use chrono::{NaiveDate, NaiveDateTime, Utc};
use clap::{Args, Subcommand, ValueEnum};
use lantian_aqi::series::{self, HourlySeries, Options};
use lantian_aqi::{AqiResult, Indicator, Report, Standard};
use lantian_model::Registry;
use lantian_model::time::beijing;
use lantian_store::Store;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::path::PathBuf;

use crate::OutFormat;

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
        #[arg(long)]
        standard: Option<String>,
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
    /// concentration is the mean of its registry stations' values (HJ 663 city value; which
    /// stations form the official average is issue 4's to settle).
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
    #[arg(long)]
    pub standard: Option<String>,
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
        }) => calc(items, standard.as_deref(), *date, (*report).into(), *format),
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

fn parse_standard(s: Option<&str>) -> Result<Option<Standard>> {
    Ok(match s {
        None | Some("auto") => None,
        Some(s) => Some(Standard::parse(s)?),
    })
}

fn calc(
    items: &[String],
    standard: Option<&str>,
    date: Option<NaiveDate>,
    report: Report,
    format: OutFormat,
) -> Result<()> {
    if items.is_empty() {
        bail!("lantian aqi calc: give concentrations, e.g. `pm25=80 o3_8h=170`");
    }
    let date = date.unwrap_or_else(|| Utc::now().with_timezone(&beijing()).date_naive());
    let (std, why) = match parse_standard(standard)? {
        Some(s) => (s, "chosen with --standard".to_string()),
        None => (
            Standard::china_for_date(date),
            format!("in force on {date}"),
        ),
    };
    let mut inputs = Vec::new();
    for item in items {
        let (name, value) = item
            .split_once('=')
            .with_context(|| format!("'{item}': expected name=value, e.g. pm25=80"))?;
        let indicator = std
            .default_indicator(name, report)
            .with_context(|| format!("'{name}': not a pollutant of {std} (so2, no2, co, o3, pm10, pm25, with _1h/_8h/_24h)"))?;
        let value: f64 = value
            .trim()
            .parse()
            .with_context(|| format!("'{item}': '{value}' is not a number"))?;
        inputs.push((indicator, value));
    }
    let r = std.compute(report, &inputs)?;
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

/// Which stations make up `--region`.
pub(crate) fn region_stations(reg: &Registry, region: &str) -> Vec<String> {
    let r = region.trim();
    // The shipped registry is Beijing's: "beijing" is all of it; "all" says the same of any
    // registry (a national one loaded with --registry).
    let all = matches!(
        r.to_lowercase().as_str(),
        "beijing" | "北京" | "北京市" | "all" | "全部"
    );
    reg.stations()
        .iter()
        .filter(|s| {
            all || s.district_zh == r
                || s.district_zh.trim_end_matches(['区', '县']) == r
                || s.district_en.eq_ignore_ascii_case(r)
        })
        .map(|s| s.code.clone())
        .collect()
}

pub async fn over_store(store: &Store, reg: &Registry, a: &SeriesArgs) -> Result<()> {
    let options = Options {
        standard: parse_standard(a.standard.as_deref())?,
        pm_1h_realtime: a.pm_1h,
    };
    if a.all_stations {
        return all_stations(store, a).await;
    }
    let (names, groups): (Vec<String>, Vec<Vec<String>>) = match (&a.region, a.station.is_empty()) {
        (Some(r), _) => {
            let st = region_stations(reg, r);
            if st.is_empty() {
                bail!(
                    "--region '{r}': no station of the registry is in it (try beijing or a district such as 海淀)"
                );
            }
            (vec![r.clone()], vec![st])
        }
        (None, false) => (
            a.station.clone(),
            a.station.iter().map(|s| vec![s.clone()]).collect(),
        ),
        (None, true) => {
            bail!("lantian aqi: give --station or --region (or use `lantian aqi calc`)")
        }
    };
    let (from, to) = match (a.from, a.to) {
        (Some(f), Some(t)) if f <= t => (f, t),
        (Some(f), Some(t)) => bail!("--from {f} is after --to {t}"),
        _ => bail!("lantian aqi: give --from and --to (Beijing dates)"),
    };
    // Hour-ending stamps: the day before's last 23 hours feed the moving means of the first hours.
    let start = (from - chrono::Duration::days(1))
        .and_hms_opt(1, 0, 0)
        .expect("valid time");
    let end = (to + chrono::Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .expect("valid time");
    let len = (end - start).num_hours() as usize + 1;
    let all_codes: BTreeSet<&String> = groups.iter().flatten().collect();
    let codes: Vec<String> = all_codes.into_iter().cloned().collect();
    let values = read_hourly(
        store,
        &codes,
        &a.source,
        start,
        end,
        len,
        a.include_doubtful,
    )
    .await?;
    let mut rows: Vec<(String, NaiveDateTime, AqiResult, usize)> = Vec::new();
    for (name, codes) in names.iter().zip(&groups) {
        let members: Vec<&[Vec<Option<f64>>; 6]> =
            codes.iter().filter_map(|c| values.get(c)).collect();
        let n_stations = members.len();
        if n_stations == 0 {
            bail!(
                "no 1-h concentrations in the store for {name} between {from} and {to} (see `lantian coverage`)"
            );
        }
        let mut s = HourlySeries::new(start, len);
        for p in 0..6 {
            for i in 0..len {
                let (sum, n) = members
                    .iter()
                    .filter_map(|m| m[p][i])
                    .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
                if n > 0 {
                    s.values[p][i] = Some(sum / n as f64);
                }
            }
        }
        if a.daily {
            for (date, _, r) in series::daily(&s, options)? {
                if date >= from && date <= to {
                    rows.push((
                        name.clone(),
                        date.and_hms_opt(0, 0, 0).expect("midnight"),
                        r,
                        n_stations,
                    ));
                }
            }
        } else {
            for (stamp, r) in series::realtime(&s, options)? {
                let day = (stamp - chrono::Duration::hours(1)).date();
                if day >= from && day <= to {
                    rows.push((name.clone(), stamp, r, n_stations));
                }
            }
        }
    }
    print_rows(&rows, a.daily, a.summary, a.format)
}

/// `lantian aqi --all-stations --out FILE`: the real-time AQI of every station-hour of the
/// natural days `from..=to`, written as Parquet.
///
/// With `--cnemc` (or under HJ 633—2026) the whole matrix goes through
/// `lantian_aqi::batch::realtime_aqi` on all cores: the same `hj633::iaqi` as every other path,
/// without a result object per hour. Otherwise each station's series goes through
/// `series::realtime`, the rule of `lantian aqi --station`.
/// Stations per matrix read of `--all-stations` (about 110 MB of hourly values for a year).
const STATIONS_PER_READ: usize = 256;

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
    let standard = parse_standard(a.standard.as_deref())?;
    let reader = store.matrix_reader(&a.source).await?;
    let codes = reader.stations()?;
    if codes.is_empty() {
        bail!("the store holds no station (ingest first)");
    }
    // Hour-ending stamps of the natural days: from 01:00 of `from` to 24:00 of `to`; the general
    // rule's moving means also need the day before.
    let first = from.and_hms_opt(1, 0, 0).expect("valid time");
    let start = if a.cnemc {
        first
    } else {
        first - chrono::Duration::days(1)
    };
    let end = (to + chrono::Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .expect("valid time");
    let len = (end - start).num_hours() as usize + 1;
    let to_micros = |t: NaiveDateTime| {
        (t - chrono::Duration::hours(8))
            .and_utc()
            .timestamp_micros()
    };
    let skip = (first - start).num_hours() as usize;
    let hours = len - skip;
    let mut aqi: Vec<i16> = vec![lantian_aqi::batch::NA; codes.len() * hours];
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut runs: Vec<(usize, usize, lantian_aqi::hj633::Edition)> = Vec::new();
    if a.cnemc {
        // The edition in force on each hour's date (the stamp's, as series::realtime), in runs
        // of hours under one edition (one run unless the range spans 2026-03-01).
        for i in 0..hours {
            let stamp = first + chrono::Duration::hours(i as i64);
            let e = match standard.unwrap_or_else(|| Standard::china_for_date(stamp.date())) {
                Standard::Hj633_2012 => lantian_aqi::hj633::Edition::E2012,
                Standard::Hj633_2026 => lantian_aqi::hj633::Edition::E2026,
                s => bail!("--cnemc is a practice of HJ 633, not of {s}"),
            };
            match runs.last_mut() {
                Some(r) if r.2 == e => r.1 = i + 1,
                _ => runs.push((i, i + 1, e)),
            }
        }
    }
    let options = Options {
        standard,
        pm_1h_realtime: a.pm_1h,
    };
    // A few hundred stations at a time (codes are sorted, and the store's files by station, so
    // each read decodes only those stations' row groups): memory holds one part's hourly
    // values and the whole AQI grid (2 bytes per station-hour), whatever the network's size.
    for (part_no, part) in codes.chunks(STATIONS_PER_READ).enumerate() {
        let m = reader.read(&pollutants_1h(
            part.to_vec(),
            a.include_doubtful,
            to_micros(start),
            len,
        ))?;
        let base = part_no * STATIONS_PER_READ * hours;
        let mut rows: Vec<(usize, &mut [i16])> = aqi[base..base + part.len() * hours]
            .chunks_mut(hours)
            .enumerate()
            .collect();
        let per_thread = part.len().div_ceil(threads);
        if a.cnemc {
            std::thread::scope(|sc| {
                for chunk in rows.chunks_mut(per_thread) {
                    let (m, runs) = (&m, &runs);
                    sc.spawn(move || {
                        for (s, row) in chunk.iter_mut() {
                            let col = |p: usize| &m.series(*s, p)[skip..];
                            for &(lo, hi, e) in runs {
                                lantian_aqi::batch::realtime_aqi(
                                    e,
                                    lantian_aqi::batch::Columns {
                                        so2: &col(0)[lo..hi],
                                        no2: &col(1)[lo..hi],
                                        co: &col(2)[lo..hi],
                                        o3: &col(3)[lo..hi],
                                        pm10: &col(4)[lo..hi],
                                        pm25: &col(5)[lo..hi],
                                    },
                                    &mut row[lo..hi],
                                );
                            }
                        }
                    });
                }
            });
        } else {
            std::thread::scope(|sc| -> Result<()> {
                let handles: Vec<_> = rows
                    .chunks_mut(per_thread)
                    .map(|chunk| {
                        let m = &m;
                        sc.spawn(move || -> Result<()> {
                            for (s, row) in chunk.iter_mut() {
                                let mut hs = HourlySeries::new(start, len);
                                for p in 0..6 {
                                    for (i, x) in m.series(*s, p).iter().enumerate() {
                                        hs.values[p][i] = (!x.is_nan()).then_some(*x);
                                    }
                                }
                                let results = series::realtime(&hs, options)?;
                                for (i, (_, r)) in results.into_iter().enumerate().skip(skip) {
                                    row[i - skip] =
                                        r.aqi.map_or(lantian_aqi::batch::NA, |v| v as i16);
                                }
                            }
                            Ok(())
                        })
                    })
                    .collect();
                for h in handles {
                    h.join().expect("AQI thread panicked")?;
                }
                Ok(())
            })?;
        }
    }
    let first_micros = to_micros(first);
    let written = lantian_store::export::write_hourly_aqi(
        out,
        &codes,
        first_micros,
        hours,
        &aqi,
        lantian_aqi::batch::NA,
    )?;
    eprintln!(
        "wrote {written} station-hours with an AQI ({} stations × {hours} hours) to {}",
        codes.len(),
        out.display()
    );
    Ok(())
}

/// The matrix query of the six pollutants' 1-h values of `stations`: flag ok, and doubtful on
/// request (bad and withdrawn values never).
fn pollutants_1h(
    stations: Vec<String>,
    include_doubtful: bool,
    start_micros: i64,
    len: usize,
) -> lantian_store::matrix::MatrixQuery {
    let mut flags = vec!["ok".to_string()];
    if include_doubtful {
        flags.push("doubtful".to_string());
    }
    lantian_store::matrix::MatrixQuery {
        stations,
        variables: series::POLLUTANTS.iter().map(|p| p.to_string()).collect(),
        sources: vec![],
        averaging: "1h".into(),
        flags,
        start_micros,
        len,
    }
}

/// 1-h values of the six pollutants per station, on the hour grid starting at `start`.
pub(crate) async fn read_hourly(
    store: &Store,
    stations: &[String],
    sources: &[String],
    start: NaiveDateTime,
    end: NaiveDateTime,
    len: usize,
    include_doubtful: bool,
) -> Result<HashMap<String, [Vec<Option<f64>>; 6]>> {
    let reader = store.matrix_reader(sources).await?;
    read_hourly_from(&reader, stations, start, end, len, include_doubtful)
}

/// [`read_hourly`] from a snapshot already opened (its sources chosen when it was opened).
pub(crate) fn read_hourly_from(
    reader: &lantian_store::matrix::MatrixReader,
    stations: &[String],
    start: NaiveDateTime,
    end: NaiveDateTime,
    len: usize,
    include_doubtful: bool,
) -> Result<HashMap<String, [Vec<Option<f64>>; 6]>> {
    // Beijing time is UTC+8 all year (no daylight saving since 1991), so the hour axis is plain
    // arithmetic on the microseconds; 1-h stamps are on the hour.
    let start_micros = (start - chrono::Duration::hours(8))
        .and_utc()
        .timestamp_micros();
    let end_micros = (end - chrono::Duration::hours(8))
        .and_utc()
        .timestamp_micros();
    // The axis covers [start, end] (both ends included), cut to `len` hours.
    let hours = ((end_micros - start_micros) / 3_600_000_000 + 1).max(0) as usize;
    let m = reader.read(&pollutants_1h(
        stations.to_vec(),
        include_doubtful,
        start_micros,
        hours.min(len),
    ))?;
    let mut out: HashMap<String, [Vec<Option<f64>>; 6]> = HashMap::new();
    for (s, code) in m.stations.iter().enumerate() {
        if !m.has_data(s) {
            continue;
        }
        let series: [Vec<Option<f64>>; 6] = std::array::from_fn(|p| {
            let mut v: Vec<Option<f64>> = m
                .series(s, p)
                .iter()
                .map(|x| (!x.is_nan()).then_some(*x))
                .collect();
            v.resize(len, None);
            v
        });
        out.insert(code.clone(), series);
    }
    Ok(out)
}

fn print_rows(
    rows: &[(String, NaiveDateTime, AqiResult, usize)],
    daily: bool,
    summary: bool,
    format: OutFormat,
) -> Result<()> {
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
        .flat_map(|r| r.2.sub_indices.iter().map(|s| s.indicator))
        .collect();
    match format {
        OutFormat::Json => {
            let v: Vec<_> = rows
                .iter()
                .map(|(n, t, r, k)| serde_json::json!({ "station": n, "time": time(t), "stations": k, "result": r }))
                .collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
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
            for (n, t, r, k) in rows {
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
            for (n, t, r, _) in rows {
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
fn print_counts(
    out: &mut impl Write,
    rows: &[(String, NaiveDateTime, AqiResult, usize)],
    daily: bool,
) -> Result<()> {
    let unit = if daily { "days" } else { "hours" };
    let mut counts: BTreeMap<(&str, u8), (usize, &str)> = BTreeMap::new();
    let mut na: BTreeMap<&str, usize> = BTreeMap::new();
    let mut standards: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (n, _, r, _) in rows {
        standards
            .entry(n.as_str())
            .or_default()
            .insert(r.standard.id());
        match r.category {
            Some(c) => {
                counts
                    .entry((n.as_str(), c.level))
                    .or_insert((0, c.name_zh))
                    .0 += 1
            }
            None => *na.entry(n.as_str()).or_default() += 1,
        }
    }
    for (n, stds) in standards {
        let valid: usize = counts
            .iter()
            .filter(|((m, _), _)| *m == n)
            .map(|(_, (k, _))| k)
            .sum();
        let parts: Vec<String> = counts
            .iter()
            .filter(|((m, _), _)| *m == n)
            .map(|(_, (k, zh))| format!("{zh} {k}"))
            .collect();
        writeln!(
            out,
            "{n} ({}): {valid} {unit} with an AQI: {}; {} without",
            stds.into_iter().collect::<Vec<_>>().join("+"),
            parts.join(", "),
            na.get(n).copied().unwrap_or(0)
        )?;
    }
    Ok(())
}
