//! `lantian report`: the bulletin of a region and period, in Chinese or English, as Markdown,
//! HTML or PDF (or its figures as JSON); `lantian plot`: one of its charts as SVG or PNG.
//! Arguments and writing only: the figures, words and charts come from `lantian_app::report`.

use crate::args::{AssessOptionsArgs, OrCli, period, target, words};
use anyhow::{Result, bail};
use clap::Args;
use lantian_app::options::{Baseline, ChartKind, Language, ReportFormat, Target};
use lantian_app::report::{self, BulletinRequest, ChartDir};
use lantian_assess::period::Period;
use lantian_model::Registry;
use lantian_report::figures::Bulletin;
use lantian_store::Store;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What a bulletin is computed from.
#[derive(Args, Clone)]
pub struct BulletinArgs {
    /// "beijing" or a district (e.g. 海淀区).
    #[arg(long, default_value = "beijing")]
    pub region: String,
    /// 2023, 2023-H1, 2023-Q2, 2023-05, 2024-YTD-05-31 or 2023-01-01..2023-06-30.
    #[arg(long, value_parser = period)]
    pub period: Period,
    /// Baseline period (default: the same period a year earlier; `none` for no comparison).
    #[arg(long, value_parser = |s: &str| s.parse::<Baseline>().map_err(|e| e.to_string()))]
    pub compare: Option<Baseline>,
    #[arg(long, default_value = "zh", value_parser = words::<Language>(Language::NAMES))]
    pub lang: Language,
    #[command(flatten)]
    pub common: AssessOptionsArgs,
    /// Annual targets (`PM2.5=32`, `good-days=280`); without one, the GB 3095 Grade II PM2.5
    /// limit (35) is used.
    #[arg(long, value_parser = target)]
    pub target: Vec<Target>,
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
    /// A market's books for the climate section (see `lantian carbon compliance --help`); the
    /// section takes the period's year.
    #[arg(long, value_name = "FILE")]
    pub carbon_books: Option<PathBuf>,
    /// The offsets surrendered, beside --carbon-books.
    #[arg(long, value_name = "FILE", requires = "carbon_books")]
    pub carbon_surrenders: Option<PathBuf>,
    /// The market of --carbon-books: beijing, china-national or eu-ets.
    #[arg(long, default_value = "beijing", value_parser = crate::commands::carbon::scheme)]
    pub carbon_scheme: lantian_carbon::SchemeId,
    /// Electricity use and green purchases for the climate section
    /// (unit,year,consumption_mwh,green_mwh).
    #[arg(long, value_name = "FILE", requires = "carbon_books")]
    pub electricity: Option<PathBuf>,
    /// The city's green-electricity plan: BASE_YEAR:BASE_MWH:TARGET_YEAR:TARGET_MWH.
    #[arg(long, value_parser = crate::commands::carbon::plan, requires = "electricity")]
    pub green_plan: Option<lantian_carbon::green::Plan>,
    /// Water readings (files or folders, see `lantian water assess --help`) for the water
    /// section; the period must be a month, quarter, half-year or year.
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub water_readings: Vec<PathBuf>,
    /// The water sections file, beside --water-readings.
    #[arg(long, value_name = "FILE", requires = "water_readings")]
    pub water_sections: Option<PathBuf>,
    /// Soil samples (files or folders, see `lantian soil screen --help`) for the soil section;
    /// the risk-control list is the store's (`lantian soil list record`), read on the period's
    /// last day.
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub soil_samples: Vec<PathBuf>,
    /// The plots (plots.csv), beside --soil-samples: construction plots by area.
    #[arg(long, value_name = "FILE", requires = "soil_samples")]
    pub soil_plots: Option<PathBuf>,
    /// The city's classes (classes.csv), beside --soil-samples: the network's coverage.
    #[arg(long, value_name = "FILE", requires = "soil_samples")]
    pub soil_classes: Option<PathBuf>,
    /// The combinations of land use and soil type that exist (combinations.csv), beside
    /// --soil-classes.
    #[arg(long, value_name = "FILE", requires = "soil_classes")]
    pub soil_combinations: Option<PathBuf>,
}

/// Where the district polygons are when none is named.
pub const DEFAULT_GEOJSON: &str = "../shared/data/geo_beijing/110100_full.json";

/// `--geojson`, else `$LANTIAN_GEOJSON`, else the shared data's Beijing districts when present.
pub fn geojson_path(given: Option<&Path>) -> Option<PathBuf> {
    given
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os("LANTIAN_GEOJSON").map(PathBuf::from))
        .or_else(|| {
            let p = PathBuf::from(DEFAULT_GEOJSON);
            p.is_file().then_some(p)
        })
}

impl BulletinArgs {
    /// The application's request.
    pub fn request(&self) -> BulletinRequest {
        BulletinRequest {
            region: self.region.clone(),
            period: self.period.clone(),
            baseline: self.compare.clone().unwrap_or_default(),
            lang: self.lang,
            options: self.common.options(),
            targets: self.target.clone(),
            geojson: geojson_path(self.geojson.as_deref()),
            trend_years: self.trend_years,
            attribution: self.attribution.clone(),
            climate: self
                .carbon_books
                .as_ref()
                .map(|books| lantian_app::carbon::ClimateSources {
                    scheme: self.carbon_scheme,
                    books: books.clone(),
                    surrenders: self.carbon_surrenders.clone(),
                    electricity: self.electricity.clone(),
                    plan: self.green_plan,
                }),
            water: (!self.water_readings.is_empty()).then(|| lantian_app::water::WaterSources {
                sections: self.water_sections.clone(),
                readings: self.water_readings.clone(),
                automatic_per_day: None,
            }),
            soil: (!self.soil_samples.is_empty()).then(|| lantian_app::soil::SoilSources {
                samples: self.soil_samples.clone(),
                plots: self.soil_plots.clone(),
                classes: self.soil_classes.clone(),
                combinations: self.soil_combinations.clone(),
                ..Default::default()
            }),
        }
    }
}

#[derive(Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub b: BulletinArgs,
    /// The five-campaign report instead of the air bulletin: the air headline, a section per
    /// campaign (blue sky, clear water, pure land, climate, ecology) with its status computed
    /// from the engines, its measures' progress, indicators and next steps (docs/campaigns.md).
    #[arg(long)]
    pub campaigns: bool,
    #[command(flatten)]
    pub plan: crate::commands::campaigns::PlanArg,
    #[command(flatten)]
    pub gep: crate::commands::campaigns::GepArg,
    /// With --campaigns: whether a measure worked, MEASURE:STATION[,STATION…] (the
    /// weather-normalised change of its target pollutant 90 days either side of its start, and
    /// the nearest break); modelling takes a minute a station. Repeatable.
    #[arg(long, value_name = "MEASURE:STATIONS", requires = "campaigns")]
    pub effect: Vec<String>,
    #[arg(long, default_value = "md", value_parser = words::<ReportFormat>(ReportFormat::NAMES))]
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

#[derive(Args)]
pub struct PlotArgs {
    /// calendar, monthly, map, timeseries, variation or trend.
    #[arg(value_parser = words::<ChartKind>(ChartKind::NAMES))]
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

/// The bulletin's figures of `req`.
async fn bulletin(store_path: &Path, reg: &Registry, a: &BulletinArgs) -> Result<Bulletin> {
    let store = Store::open(store_path).await?;
    let reader = store.matrix_reader(&a.common.source).await?;
    report::bulletin_in_store(&store, &reader, reg, &a.request())
        .await
        .cli()
}

pub async fn run_report(store_path: &Path, reg: &Registry, a: &ReportArgs) -> Result<()> {
    if a.format == ReportFormat::Pdf && a.out.is_none() {
        bail!("--format pdf needs --out FILE.pdf");
    }
    // Markdown keeps its charts as SVG files beside it when written to a file.
    let chart_dir: Option<ChartDir> = match (&a.out, a.format) {
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
    let bytes = if a.campaigns {
        let answer = campaigns_answer(store_path, reg, a).await?;
        lantian_app::campaigns::figures::render(&answer, a.b.lang, a.format, chart_dir.as_ref())
            .cli()?
    } else {
        let b = bulletin(store_path, reg, &a.b).await?;
        report::render_bulletin(&b, &a.b.request(), a.format, chart_dir.as_ref()).cli()?
    };
    write_out(a.out.as_deref(), &bytes)
}

/// The five-campaign report's figures.
pub async fn campaigns_answer(
    store_path: &Path,
    reg: &Registry,
    a: &ReportArgs,
) -> Result<lantian_app::campaigns::figures::CampaignsAnswer> {
    use lantian_app::campaigns::effect::EffectRequest;
    use lantian_app::campaigns::figures::{CampaignsRequest, figures};
    let mut effects = Vec::new();
    for e in &a.effect {
        let Some((m, stations)) = e.split_once(':') else {
            bail!("--effect {e}: write MEASURE:STATION[,STATION…]");
        };
        let stations: Vec<String> = stations
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        if stations.is_empty() {
            bail!("--effect {e}: name at least one station after the colon");
        }
        effects.push((m.trim().to_string(), EffectRequest::new(stations)));
    }
    let store = Store::open(store_path).await?;
    let reader = store.matrix_reader(&a.b.common.source).await?;
    let req = CampaignsRequest {
        bulletin: a.b.request(),
        plan: a.plan.sources(),
        gep: a.gep.sources(),
        effects,
    };
    figures(&store, &reader, reg, &req, &|_| {}).await.cli()
}

fn write_out(out: Option<&Path>, bytes: &[u8]) -> Result<()> {
    match out {
        Some(p) => {
            std::fs::write(p, bytes)
                .map_err(|e| anyhow::anyhow!("writing {}: {e}", p.display()))?;
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
    let req = a.b.request();
    let shapes = if a.chart == ChartKind::Map {
        let s = report::shapes(req.geojson.as_deref()).cli()?;
        if s.is_none() {
            bail!(
                "the map needs district polygons: --geojson FILE (or LANTIAN_GEOJSON; {DEFAULT_GEOJSON} is not here)"
            );
        }
        s
    } else {
        None
    };
    let Some(svg) = report::chart(a.chart, &b, req.lang.into(), shapes.as_ref()).cli()? else {
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
        write_out(a.out.as_deref(), &report::png(&svg, a.scale).cli()?)
    } else {
        write_out(a.out.as_deref(), svg.as_bytes())
    }
}
