//! `lantian`: the command line. Thin: each command's arguments (one file each under
//! `commands/`) are read into the application's typed requests (`lantian-app`), and the typed
//! results are printed; no figure is computed here.

use anyhow::Result;
use clap::{Parser, Subcommand};
use lantian_model::Registry;
use std::path::PathBuf;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod args;
mod commands;
mod summary;
mod table;

use args::OutFormat;
use commands::*;

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
    /// A station list giving the registry's stations coordinates (repeatable): CNEMC's national
    /// list (监测点编码,监测点名称,城市,经度,纬度,对照点; matched by national code) or the KDD Cup
    /// 2018 Beijing list (监测点ID,经度,纬度; matched by name). Coordinates in the registry are
    /// kept. Default: the lists in ../shared/data/cnemc_station_list when present.
    #[arg(long = "station-list", value_name = "FILE", global = true)]
    station_list: Vec<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Ingest files or folders (recursively) into the store.
    Ingest(ingest::IngestArgs),
    /// Upgrade a store written by an earlier version to this version's layout, in place (names
    /// in dimension tables, integer keys per value). Safe to interrupt and run again; a store
    /// already upgraded is left as it is.
    Migrate,
    /// List the stations of the registry, and stations in the store that it does not know.
    Stations {
        #[arg(long, value_enum, default_value_t = OutFormat::Table)]
        format: OutFormat,
    },
    /// Coverage per station and variable: expected hours, valid hours, flagged, first and last.
    Coverage(coverage::CoverageArgs),
    /// Export current values as CSV or Parquet, long or wide.
    Export(export::ExportArgs),
    /// Run a read-only SQL query over observations, current, ingest_log and flags.
    Sql(sql::SqlArgs),
    /// Download the daily files of a date range from the public archive.
    Fetch(fetch::FetchArgs),
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
    /// The main job: ingest Beijing 2023 (from ../shared/data when present, else fetched), then
    /// a one-screen summary: coverage, the daily AQI by category under both HJ 633 editions,
    /// the year's assessment figures, and the bulletins written.
    Quickstart(quickstart::QuickstartArgs),
    /// The carbon market's books (docs/carbon.md): which units must join, compliance with offsets
    /// and penalties, registry credits, green electricity, and the EU ETS compliance-letter oracle.
    Carbon(carbon::CarbonArgs),
    /// Surface water by GB 3838—2002 (docs/water.md): section classes over a period, grades of
    /// rivers, basins and the network, year-on-year change, the districts' water compensation.
    Water(water::WaterArgs),
    /// Soil by GB 15618—2018 and GB 36600—2018 (docs/soil.md): samples screened, shares by
    /// category and area, network coverage, interpolated surfaces, the risk-control list.
    Soil(soil::SoilArgs),
    /// The plan behind the five campaigns (docs/campaigns.md): measures' progress against time
    /// by unit and campaign, progress reports and indicator values recorded in the store,
    /// indicators against targets, GEP-R accounts and compensation, whether a measure worked.
    Campaigns(campaigns::CampaignsArgs),
}

fn main() -> Result<()> {
    quiet_caught_library_panics();
    let cli = Cli::parse();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    match rt.block_on(run(cli)) {
        // The reader went away (`lantian … | head`): what it wanted was written; stop quietly,
        // as other Unix tools do.
        Err(e) if broken_pipe(&e) => Ok(()),
        r => r,
    }
}

fn broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// deltalake aborts a Parquet upload that failed while finishing (a full disk) by calling
/// object_store's `BufWriter::abort`, which panics by design once shutdown has begun; deltalake
/// catches that panic (`datafile/writer.rs`) and returns the write's own error, which Lantian
/// reports. The default hook would still print the caught panic, with a backtrace, ahead of
/// the real message. Only that one panic is kept quiet; every other still prints.
fn quiet_caught_library_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let caught_abort = info.location().is_some_and(|l| {
            let f = l.file().replace('\\', "/");
            f.contains("/object_store-") && f.ends_with("/src/buffered.rs")
        }) && info.payload().downcast_ref::<&str>()
            == Some(&"Already shut down");
        if !caught_abort {
            default(info);
        }
    }));
}

fn registry(cli: &Cli) -> Result<Registry> {
    let mut r = Registry::beijing();
    if let Some(p) = &cli.registry {
        r.merge(Registry::from_csv_file(p)?);
    }
    // As `--geojson` falls back to ../shared/data/geo_beijing: the published lists when present.
    let lists = if cli.station_list.is_empty() {
        let dir = std::path::Path::new("../shared/data/cnemc_station_list");
        [
            "站点列表-2022.02.13起.csv",
            "kddcup2018_Beijing_AirQuality_Stations_cn.csv",
        ]
        .iter()
        .map(|name| dir.join(name))
        .filter(|p| p.is_file())
        .collect()
    } else {
        cli.station_list.clone()
    };
    let lists = lists
        .iter()
        .map(|p| lantian_model::StationList::from_path(p))
        .collect::<Result<Vec<_>, _>>()?;
    // The report is for tests and library users; the commands say enough.
    r.locate(&lists);
    Ok(r)
}

async fn run(cli: Cli) -> Result<()> {
    let reg = registry(&cli)?;
    let st = &cli.store;
    match &cli.command {
        Command::Ingest(a) => ingest::run(st, &reg, a).await,
        Command::Migrate => migrate::run(st).await,
        Command::Stations { format } => stations::run(st, &reg, *format).await,
        Command::Coverage(a) => coverage::run(st, a).await,
        Command::Export(a) => export::run(st, a).await,
        Command::Sql(a) => sql::run(st, a).await,
        Command::Fetch(a) => fetch::run(a),
        Command::Aqi(a) => aqi::run(st, &reg, a).await,
        Command::Assess(a) => assess::run(st, &reg, a).await,
        Command::Trend(a) => trend::run(st, &reg, a).await,
        Command::Deweather(a) => deweather::run_deweather(st, a).await,
        Command::Attribute(a) => deweather::run_attribute(st, a).await,
        Command::Breaks(a) => deweather::run_breaks(st, a).await,
        Command::Report(a) => report::run_report(st, &reg, a).await,
        Command::Plot(a) => report::run_plot(st, &reg, a).await,
        Command::Serve(a) => serve::run(st, reg.clone(), a).await,
        Command::Generate(a) => generate::run(a),
        Command::Quickstart(a) => quickstart::run(st, &reg, a).await,
        Command::Carbon(a) => carbon::run(a),
        Command::Water(a) => water::run(a),
        Command::Soil(a) => soil::run(st, a).await,
        Command::Campaigns(a) => campaigns::run(st, a).await,
    }
}
