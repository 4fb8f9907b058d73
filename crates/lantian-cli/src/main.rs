//! `lantian`: the command line. Thin: parse arguments, call the library crates, print.

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use lantian_model::Registry;
use lantian_store::Store;
use lantian_store::ingest::{IngestOptions, IngestSummary, Progress};
use lantian_store::query::{ExportFormat, Selection, Shape};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
mod aqi;
mod assess;
mod deweather;
mod generate;
mod report;
mod serve;
mod summary;
mod trend;

/// `lantian NAME ARGS...`'s options `T` parsed without exiting: the API turns its queries into
/// the commands' arguments, so both validate and compute alike.
pub(crate) fn try_parse_args<T: clap::Args>(name: &str, args: &[String]) -> Result<T, clap::Error> {
    #[derive(Parser)]
    struct Wrap<T: clap::Args> {
        #[command(flatten)]
        a: T,
    }
    Wrap::<T>::try_parse_from(std::iter::once(name.to_string()).chain(args.iter().cloned()))
        .map(|w| w.a)
}

#[derive(Parser)]
#[command(
    name = "lantian",
    version,
    about = "Lantian (蓝天): official air-quality figures from raw monitoring data"
)]
struct Cli {
    /// The store folder (created if absent).
    #[arg(long, global = true, env = lantian_store::STORE_ENV, default_value = lantian_store::DEFAULT_STORE)]
    store: PathBuf,
    /// A station registry CSV to load over the shipped Beijing registry.
    #[arg(long, global = true)]
    registry: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Ingest files or folders (recursively) into the store.
    Ingest {
        paths: Vec<PathBuf>,
        /// Files per batch, and at most per commit (a commit gathers batches of new values).
        #[arg(long, default_value_t = 64)]
        batch_files: usize,
        /// Values per batch (bounds memory).
        #[arg(long, default_value_t = IngestOptions::default().batch_values)]
        batch_values: usize,
        /// Read files again even if the log holds them unchanged.
        #[arg(long)]
        force: bool,
        /// Print every diagnostic, not only the first few of each kind.
        #[arg(long)]
        verbose: bool,
        /// No progress bar.
        #[arg(long)]
        quiet: bool,
    },
    /// List the stations of the registry, and stations in the store that it does not know.
    Stations {
        #[arg(long, value_enum, default_value_t = OutFormat::Table)]
        format: OutFormat,
    },
    /// Coverage per station and variable: expected hours, valid hours, flagged, first and last.
    Coverage {
        #[command(flatten)]
        sel: SelArgs,
        #[arg(long, value_enum, default_value_t = OutFormat::Table)]
        format: OutFormat,
    },
    /// Export current values as CSV or Parquet, long or wide.
    Export {
        #[command(flatten)]
        sel: SelArgs,
        #[arg(long, value_enum, default_value_t = ExportFmt::Csv)]
        format: ExportFmt,
        #[arg(long, value_enum, default_value_t = ExportShape::Long)]
        shape: ExportShape,
        /// Output file (standard output if absent; required for Parquet).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Run a read-only SQL query over observations, current, ingest_log and flags.
    Sql {
        query: String,
        #[arg(long, value_enum, default_value_t = OutFormat::Table)]
        format: OutFormat,
    },
    /// Download the daily files of a date range from the public archive.
    Fetch {
        #[arg(long, value_enum, default_value_t = Net::Beijing)]
        network: Net,
        /// First day, YYYY-MM-DD.
        #[arg(long)]
        from: chrono::NaiveDate,
        /// Last day, YYYY-MM-DD (inclusive).
        #[arg(long)]
        to: chrono::NaiveDate,
        #[arg(long, default_value = lantian_fetch::DEFAULT_BASE_URL)]
        base_url: String,
        #[arg(long, default_value = "data")]
        out: PathBuf,
    },
    /// Air quality indices: over the store (--station/--region, --from, --to, --daily), a
    /// calculator (`aqi calc pm25=80 o3_8h=170`) and the published-value oracle (`aqi oracle`).
    Aqi(aqi::AqiArgs),
    /// Bulletin figures of a region and period (HJ 663): period statistics with completeness,
    /// day counts, composite index, and the change against a baseline period.
    Assess(assess::AssessArgs),
    /// Trend of monthly means: Theil-Sen slope a year with openair's bootstrap interval and p-value, on STL-deseasonalised months, and the Mann-Kendall test.
    Trend(trend::TrendArgs),
    /// Weather normalisation (boosted trees, resampled weather): the series as it would have been
    /// in typical weather, with model R², importance and the normalised trend.
    Deweather(deweather::DeweatherArgs),
    /// Split the change between two periods into emission-driven, weather-driven and unexplained
    /// parts, with intervals.
    Attribute(deweather::AttributeArgs),
    /// Step changes in a series (AQEval's findBreakPoints / quantBreakPoints): dates with
    /// intervals, levels before and after, change and percent.
    Breaks(deweather::BreaksArgs),
    /// The bulletin of a region and period, in Chinese or English, as Markdown, HTML or PDF:
    /// headline, six pollutants, composite index, district ranking, sand-dust note, target,
    /// completeness and standards, with charts (docs/report.md).
    Report(report::ReportArgs),
    /// One chart of the bulletin as SVG or PNG: the AQI calendar, monthly PM2.5 against last
    /// year, the district map, daily series, hour-of-day/weekday variation, the trend.
    Plot(report::PlotArgs),
    /// The HTTP API (/api/v1, OpenAPI at /api/v1/openapi.json) and the live dashboard at `/`,
    /// ingesting new files (a watched folder, or an authenticated POST) while serving
    /// (docs/serve.md).
    Serve(serve::ServeArgs),
    /// Generate national-scale test data: days of a 2,026-station network in the CNEMC file
    /// format (`china_sites_YYYYMMDD.csv`) and its registry of cities, deterministic from a seed.
    Generate(generate::GenerateArgs),
    /// The main job: ingest Beijing 2023 (from ../shared/data when present, else fetched), print
    /// the coverage summary, the daily AQI by category and the year's assessment figures.
    Quickstart {
        /// Where the shared data is.
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
    },
}

#[derive(clap::Args, Clone, Default)]
struct SelArgs {
    #[arg(long)]
    source: Vec<String>,
    #[arg(long)]
    station: Vec<String>,
    /// Variable(s), e.g. PM2.5, CO, AQI.
    #[arg(long)]
    variable: Vec<String>,
    /// Averaging window(s): 1h, 8h, 24h, 1h_max_24h, 8h_max_day (default: 1h).
    #[arg(long)]
    averaging: Vec<String>,
    /// First day (Beijing time), YYYY-MM-DD.
    #[arg(long)]
    from: Option<chrono::NaiveDate>,
    /// Last day (Beijing time, inclusive), YYYY-MM-DD.
    #[arg(long)]
    to: Option<chrono::NaiveDate>,
}

impl SelArgs {
    /// Days are natural days in Beijing time: hour-ending stamps 01:00 .. 24:00.
    fn selection(&self, default_1h: bool) -> Selection {
        use lantian_model::time::{TimeConvention, beijing, local_to_time_end};
        let day =
            |d: chrono::NaiveDate| local_to_time_end(d, 1, beijing(), TimeConvention::HourEnding);
        Selection {
            sources: self.source.clone(),
            stations: self.station.clone(),
            variables: self.variable.clone(),
            averaging: if self.averaging.is_empty() && default_1h {
                vec!["1h".into()]
            } else {
                self.averaging.clone()
            },
            from: self.from.and_then(day),
            to: self.to.and_then(|d| d.succ_opt()).and_then(day),
        }
    }
}

#[derive(ValueEnum, Clone, Copy, PartialEq, Default)]
pub(crate) enum OutFormat {
    #[default]
    Table,
    Csv,
    Json,
}

#[derive(ValueEnum, Clone, Copy)]
enum ExportFmt {
    Csv,
    Parquet,
}

#[derive(ValueEnum, Clone, Copy)]
enum ExportShape {
    Long,
    Wide,
}

#[derive(ValueEnum, Clone, Copy)]
enum Net {
    Beijing,
    National,
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(run(cli))
}

fn registry(cli: &Cli) -> Result<Registry> {
    let mut r = Registry::beijing();
    if let Some(p) = &cli.registry {
        r.merge(Registry::from_csv_file(p)?);
    }
    Ok(r)
}

async fn run(cli: Cli) -> Result<()> {
    let reg = registry(&cli)?;
    match &cli.command {
        Command::Ingest {
            paths,
            batch_files,
            batch_values,
            force,
            verbose,
            quiet,
        } => {
            if paths.is_empty() {
                bail!("lantian ingest: give at least one file or folder");
            }
            let store = Store::open(&cli.store).await?;
            let opts = IngestOptions {
                batch_files: *batch_files,
                batch_values: *batch_values,
                force: *force,
            };
            let summary = ingest(&store, paths, &opts, *quiet).await?;
            summary::print(&summary, &reg, *verbose, &mut std::io::stdout())?;
        }
        Command::Aqi(args) => aqi::run(&cli.store, &reg, args).await?,
        Command::Assess(args) => assess::run(&cli.store, &reg, args).await?,
        Command::Trend(args) => trend::run(&cli.store, &reg, args).await?,
        Command::Deweather(args) => deweather::run_deweather(&cli.store, args).await?,
        Command::Attribute(args) => deweather::run_attribute(&cli.store, args).await?,
        Command::Breaks(args) => deweather::run_breaks(&cli.store, args).await?,
        Command::Report(args) => report::run_report(&cli.store, &reg, args).await?,
        Command::Plot(args) => report::run_plot(&cli.store, &reg, args).await?,
        Command::Generate(args) => generate::run(args)?,
        Command::Serve(args) => serve::run(&cli.store, reg.clone(), args).await?,
        Command::Stations { format } => {
            let store = Store::open(&cli.store).await?;
            stations(&store, &reg, *format).await?;
        }
        Command::Coverage { sel, format } => {
            let store = Store::open(&cli.store).await?;
            coverage(&store, &sel.selection(true), *format).await?;
        }
        Command::Export {
            sel,
            format,
            shape,
            out,
        } => {
            let store = Store::open(&cli.store).await?;
            let shape = match shape {
                ExportShape::Long => Shape::Long,
                ExportShape::Wide => Shape::Wide,
            };
            let fmt = match format {
                ExportFmt::Csv => ExportFormat::Csv,
                ExportFmt::Parquet => ExportFormat::Parquet,
            };
            let sel = sel.selection(false);
            let n = match out {
                Some(p) => {
                    let mut f = std::io::BufWriter::new(
                        std::fs::File::create(p)
                            .with_context(|| format!("creating {}", p.display()))?,
                    );
                    let n = lantian_store::query::export(&store, &sel, shape, fmt, &mut f).await?;
                    f.flush()?;
                    n
                }
                None => {
                    if matches!(fmt, ExportFormat::Parquet) {
                        bail!("lantian export --format parquet needs --out FILE");
                    }
                    let mut so = std::io::stdout();
                    lantian_store::query::export(&store, &sel, shape, fmt, &mut so).await?
                }
            };
            eprintln!("{n} rows exported");
        }
        Command::Sql { query, format } => {
            let store = Store::open(&cli.store).await?;
            let batches = store.sql(query).await?;
            print_batches(&batches, *format, &mut std::io::stdout())?;
        }
        Command::Fetch {
            network,
            from,
            to,
            base_url,
            out,
        } => {
            fetch(*network, *from, *to, base_url, out)?;
        }
        Command::Quickstart { data } => {
            let store = Store::open(&cli.store).await?;
            let dir = data.join("quotsoft_beijing").join("2023");
            let dir = if dir.is_dir() {
                println!("Ingesting Beijing 2023 from {}", dir.display());
                dir
            } else {
                let out = cli.store.join("downloads");
                println!(
                    "{} not found: fetching Beijing 2023 from {}",
                    dir.display(),
                    lantian_fetch::DEFAULT_BASE_URL
                );
                let from = chrono::NaiveDate::from_ymd_opt(2023, 1, 1).expect("date");
                let to = chrono::NaiveDate::from_ymd_opt(2023, 12, 31).expect("date");
                fetch(
                    Net::Beijing,
                    from,
                    to,
                    lantian_fetch::DEFAULT_BASE_URL,
                    &out,
                )?;
                out
            };
            let summary = ingest(&store, &[dir], &IngestOptions::default(), false).await?;
            summary::print(&summary, &reg, false, &mut std::io::stdout())?;
            println!("\nCoverage of hourly values, Beijing 2023 (per station and pollutant):");
            let sel = SelArgs {
                source: vec!["bjmemc".into()],
                from: chrono::NaiveDate::from_ymd_opt(2023, 1, 1),
                to: chrono::NaiveDate::from_ymd_opt(2023, 12, 31),
                ..Default::default()
            };
            coverage(&store, &sel.selection(true), OutFormat::Table).await?;
            println!(
                "\nDaily AQI of Beijing 2023 (mean of all stations' hourly values), \
                 under the rules of the time and recomputed under HJ 633—2026:"
            );
            for standard in ["hj633-2012", "hj633-2026"] {
                let args = aqi::SeriesArgs {
                    region: Some("beijing".into()),
                    source: vec!["bjmemc".into()],
                    from: chrono::NaiveDate::from_ymd_opt(2023, 1, 1),
                    to: chrono::NaiveDate::from_ymd_opt(2023, 12, 31),
                    daily: true,
                    summary: true,
                    standard: Some(standard.into()),
                    ..Default::default()
                };
                aqi::over_store(&store, &reg, &args).await?;
            }
            println!(
                "\nThe bulletin's figures for Beijing 2023 (HJ 663: the assessment stations, \
                 sand-dust days detected; `lantian assess --help` for more):"
            );
            assess::run(&cli.store, &reg, &assess::AssessArgs::for_period("2023")).await?;
            // The bulletin itself, in both languages (`lantian report --help` for PDF and more).
            let dir = cli.store.join("bulletins");
            std::fs::create_dir_all(&dir)?;
            println!("\nThe 2023 bulletin (`lantian report`):");
            for lang in ["zh", "en"] {
                let out = dir.join(format!("beijing-2023-{lang}.html"));
                let out_s = out.to_string_lossy().to_string();
                let args = report::ReportArgs::from_args(&[
                    "--period", "2023", "--lang", lang, "--format", "html", "--out", &out_s,
                ]);
                report::run_report(&cli.store, &reg, &args).await?;
            }
            println!(
                "\nServe the API and the live dashboard on http://127.0.0.1:8080/ with \
                 `cargo run -p lantian-cli -- serve` (docs/serve.md)."
            );
        }
    }
    Ok(())
}

async fn ingest(
    store: &Store,
    paths: &[PathBuf],
    opts: &IngestOptions,
    quiet: bool,
) -> Result<IngestSummary> {
    let bar = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(0)
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} files ({eta}) {msg}",
        )
        .expect("template"),
    );
    let mut committed = 0usize;
    let summary = store
        .ingest(paths, opts, &mut |p| match p {
            Progress::Start { files } => bar.set_length(files as u64),
            Progress::File { path } => {
                bar.inc(1);
                bar.set_message(
                    Path::new(&path)
                        .file_name()
                        .map(|f| f.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                );
            }
            Progress::Committed { rows, .. } => {
                committed += rows;
                bar.set_message(format!("{committed} values committed"));
            }
        })
        .await?;
    bar.finish_and_clear();
    Ok(summary)
}

fn fetch(
    network: Net,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    base_url: &str,
    out: &Path,
) -> Result<()> {
    let plan = lantian_fetch::FetchPlan {
        network: match network {
            Net::Beijing => lantian_fetch::Network::Beijing,
            Net::National => lantian_fetch::Network::National,
        },
        from,
        to,
        base_url: base_url.to_string(),
        out_dir: out.to_path_buf(),
    };
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("[{elapsed_precise}] {bar:40} {pos}/{len} files {msg}")
            .expect("template"),
    );
    let results = lantian_fetch::fetch(&plan, &mut |r, done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
        bar.set_message(r.name.clone());
    })?;
    bar.finish_and_clear();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for r in &results {
        let k = format!("{:?}", r.outcome);
        let k = k.split([' ', '{', '(']).next().unwrap_or("").to_string();
        *counts.entry(k).or_default() += 1;
        if let lantian_fetch::Outcome::Rejected { reason } = &r.outcome {
            eprintln!("{}: rejected: {reason}", r.name);
        }
    }
    println!(
        "fetch: {} files into {}: {counts:?}",
        results.len(),
        out.display()
    );
    Ok(())
}

async fn stations(store: &Store, reg: &Registry, format: OutFormat) -> Result<()> {
    let mut rows: Vec<Vec<String>> = reg
        .stations()
        .iter()
        .map(|s| {
            vec![
                s.code.clone(),
                s.name_en.clone(),
                s.district_zh.clone(),
                s.network.clone(),
                s.role.code().to_string(),
                s.national_code.clone().unwrap_or_default(),
                s.continues.clone().unwrap_or_default(),
            ]
        })
        .collect();
    // Stations in the store that the registry does not know.
    let b = store.sql("SELECT source, station, COUNT(*) AS n FROM current GROUP BY source, station ORDER BY source, station").await?;
    let mut unknown = Vec::new();
    for batch in &b {
        let batch = &lantian_store::query::normalize(batch)?;
        for i in 0..batch.num_rows() {
            let st = lantian_store::query::cell(batch, 1, i);
            if reg.get(&st).is_none() && reg.by_national_code(&st).is_none() {
                unknown.push(vec![
                    st,
                    String::new(),
                    String::new(),
                    lantian_store::query::cell(batch, 0, i),
                    "unknown (not in registry)".into(),
                    String::new(),
                    String::new(),
                ]);
            }
        }
    }
    rows.extend(unknown);
    let header = [
        "code",
        "name_en",
        "district",
        "network",
        "role",
        "national_code",
        "continues",
    ];
    print_rows(&header, &rows, format, &mut std::io::stdout())
}

async fn coverage(store: &Store, sel: &Selection, format: OutFormat) -> Result<()> {
    let cov = lantian_store::query::coverage(store, sel).await?;
    let rows: Vec<Vec<String>> = cov
        .iter()
        .map(|c| {
            vec![
                c.source.clone(),
                c.station.clone(),
                c.variable.clone(),
                c.averaging.clone(),
                c.expected_hours.to_string(),
                c.valid_hours.to_string(),
                c.flagged.to_string(),
                format!("{:.1}", 100.0 * c.completeness()),
                lantian_model::time::to_beijing(c.first)
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
                lantian_model::time::to_beijing(c.last)
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
            ]
        })
        .collect();
    let header = [
        "source",
        "station",
        "variable",
        "averaging",
        "expected_hours",
        "valid_hours",
        "flagged",
        "completeness_pct",
        "first_end",
        "last_end",
    ];
    print_rows(&header, &rows, format, &mut std::io::stdout())
}

fn print_batches(
    batches: &[lantian_store::RecordBatch],
    format: OutFormat,
    out: &mut dyn Write,
) -> Result<()> {
    let Some(first) = batches.first() else {
        writeln!(out, "(no rows)")?;
        return Ok(());
    };
    let header: Vec<String> = first
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    let mut rows = Vec::new();
    for b in batches {
        let b = &lantian_store::query::normalize(b)?;
        for i in 0..b.num_rows() {
            rows.push(
                (0..b.num_columns())
                    .map(|c| lantian_store::query::cell(b, c, i))
                    .collect(),
            );
        }
    }
    let h: Vec<&str> = header.iter().map(String::as_str).collect();
    print_rows(&h, &rows, format, out)
}

fn print_rows(
    header: &[&str],
    rows: &[Vec<String>],
    format: OutFormat,
    out: &mut dyn Write,
) -> Result<()> {
    match format {
        OutFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(header)?;
            for r in rows {
                w.write_record(r)?;
            }
            w.flush()?;
        }
        OutFormat::Json => {
            let arr: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    serde_json::Value::Object(
                        header
                            .iter()
                            .zip(r)
                            .map(|(h, v)| (h.to_string(), serde_json::Value::String(v.clone())))
                            .collect(),
                    )
                })
                .collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&arr)?)?;
        }
        OutFormat::Table => {
            let mut width: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
            for r in rows {
                for (i, c) in r.iter().enumerate() {
                    width[i] = width[i].max(display_width(c));
                }
            }
            let line = |cells: &[String], out: &mut dyn Write| -> std::io::Result<()> {
                let mut s = String::new();
                for (i, c) in cells.iter().enumerate() {
                    s.push_str(c);
                    s.push_str(&" ".repeat(width[i] - display_width(c) + 2));
                }
                writeln!(out, "{}", s.trim_end())
            };
            line(
                &header.iter().map(|h| h.to_string()).collect::<Vec<_>>(),
                out,
            )?;
            for r in rows {
                line(r, out)?;
            }
            writeln!(out, "({} rows)", rows.len())?;
        }
    }
    Ok(())
}

/// Terminal width of a string: CJK ideographs take two columns.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if ('\u{2e80}'..='\u{9fff}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c) {
                2
            } else {
                1
            }
        })
        .sum()
}
