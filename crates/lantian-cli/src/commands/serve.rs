//! `lantian serve`: the HTTP API and the live dashboard (`lantian-server`), started with the
//! command line's options.

use anyhow::{Context, Result, bail};
use clap::Args;
use lantian_model::Registry;
use lantian_server::{Secret, ServeConfig};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Args, Clone)]
pub struct ServeArgs {
    /// Address to listen on (port 0: any free port; the address is printed).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// A folder watched for new hourly files, ingested as they arrive.
    #[arg(long)]
    watch: Option<PathBuf>,
    /// Seconds between two looks at the watched folder (a file is taken once unchanged over
    /// one interval).
    #[arg(long, default_value_t = 2.0)]
    watch_interval: f64,
    /// A file holding the token of the write endpoint (`POST /api/v1/ingest`, header
    /// `Authorization: Bearer <token>`). The environment variable LANTIAN_TOKEN also sets it.
    /// Without a token, writes are refused (403).
    #[arg(long)]
    token_file: Option<PathBuf>,
    /// Largest request body accepted (bytes); more is refused with 413.
    #[arg(long, default_value_t = lantian_server::DEFAULT_MAX_BODY)]
    max_body: usize,
    /// Seconds a client may take to send a request's head, and an idle kept-alive connection
    /// stays open; then the connection is closed (a slow or silent client holds nothing).
    #[arg(long, default_value_t = lantian_server::HEADER_TIMEOUT.as_secs_f64())]
    header_timeout: f64,
    /// Seconds a client may take to send a whole request body; then it is answered 408.
    #[arg(long, default_value_t = lantian_server::BODY_TIMEOUT.as_secs_f64())]
    body_timeout: f64,
    /// District boundaries (GeoJSON) for the map and the bulletin (default: $LANTIAN_GEOJSON, or
    /// ../shared/data/geo_beijing/110100_full.json when present).
    #[arg(long)]
    geojson: Option<PathBuf>,
    /// Rate PM2.5/PM10 on their 1-h values in the real-time AQI (CNEMC's and BJMEMC's practice
    /// since 2017) instead of the 24-h moving means of HJ 633—2012 §5.1.
    #[arg(long)]
    pm_1h: bool,
    /// The EU ETS installation panel for /carbon/oracle (default: ../shared/data/carbon_eu_ets
    /// when present).
    #[arg(long, value_name = "DIR")]
    eu_ets: Option<PathBuf>,
    /// Offset-registry listings (verra_*.csv, gold-standard_*.csv) for /carbon/offsets
    /// (default: ../shared/data/carbon_offsets_samples when present).
    #[arg(long, value_name = "DIR")]
    offset_listings: Option<PathBuf>,
    /// A market's books for /carbon/compliance (see `lantian carbon compliance --help`).
    #[arg(long, value_name = "FILE")]
    carbon_books: Option<PathBuf>,
    /// The offsets surrendered, beside --carbon-books.
    #[arg(long, value_name = "FILE")]
    carbon_surrenders: Option<PathBuf>,
    /// Electricity use and green purchases for /carbon/green (unit,year,consumption_mwh,green_mwh).
    #[arg(long, value_name = "FILE")]
    electricity: Option<PathBuf>,
    /// Water readings (files or folders, see `lantian water assess --help`) for /water/….
    #[arg(long, value_name = "PATH", num_args = 1..)]
    water_readings: Vec<PathBuf>,
    /// The water sections file, beside --water-readings.
    #[arg(long, value_name = "FILE", requires = "water_readings")]
    water_sections: Option<PathBuf>,
    /// Soil sample files or folders (see `lantian soil screen --help`) for /soil/screening,
    /// /soil/coverage and /soil/surface.
    #[arg(long, value_name = "PATH", num_args = 1..)]
    soil_samples: Vec<PathBuf>,
    /// plots.csv, beside --soil-samples: the shares by plots' areas.
    #[arg(long, value_name = "FILE", requires = "soil_samples")]
    soil_plots: Option<PathBuf>,
    /// The city's classes (dimension,class[,share]), beside --soil-samples: the coverage's
    /// empty classes.
    #[arg(long, value_name = "FILE", requires = "soil_samples")]
    soil_classes: Option<PathBuf>,
    /// The combinations of two dimensions that exist in the city, beside --soil-samples: the
    /// coverage matrix's empty cells.
    #[arg(long, value_name = "FILE", requires = "soil_samples")]
    soil_combinations: Option<PathBuf>,
    /// The local soil background of arsenic, mg/kg (GB 36600 Table 1 note ①), beside
    /// --soil-samples.
    #[arg(long, value_name = "MG_KG", requires = "soil_samples")]
    soil_arsenic_background: Option<f64>,
    /// The campaigns' plan folder (plan.toml, measures.csv, milestones.csv, updates.csv,
    /// indicator_values.csv; see `lantian campaigns progress --help`) for /campaigns/…; default: the example plan built in
    /// (plans/beijing-2024). Its reports and values are read with the store's at each request.
    #[arg(long, value_name = "DIR")]
    plan: Option<PathBuf>,
    /// The GEP-R inputs table for /campaigns/gep (docs/gep.md); default: the example plan's
    /// model inputs.
    #[arg(long, value_name = "FILE")]
    gep_inputs: Option<PathBuf>,
    /// The GEP-R compensation rule (TOML) for /campaigns/gep; default: the example's 2025 rule
    /// with the example inputs, none with other inputs.
    #[arg(long, value_name = "FILE")]
    gep_rule: Option<PathBuf>,
}

/// A given folder or file, or the shared one when it is there.
fn given_or_shared(given: &Option<PathBuf>, shared: &str) -> Option<PathBuf> {
    given.clone().or_else(|| {
        let p = std::path::Path::new("../shared/data").join(shared);
        p.is_dir().then_some(p)
    })
}

/// The token: `--token-file`, else `LANTIAN_TOKEN`. Its value is never printed.
fn token(a: &ServeArgs) -> Result<Option<Secret>> {
    if let Some(p) = &a.token_file {
        let text = std::fs::read_to_string(p)
            .with_context(|| format!("--token-file {}: cannot read", p.display()))?;
        let t = Secret::new(&text);
        if t.is_none() {
            bail!("--token-file {}: the file is empty", p.display());
        }
        return Ok(t);
    }
    Ok(std::env::var("LANTIAN_TOKEN")
        .ok()
        .and_then(|t| Secret::new(&t)))
}

pub async fn run(store_path: &std::path::Path, reg: Registry, a: &ServeArgs) -> Result<()> {
    if a.watch.is_some() && !(a.watch_interval > 0.0 && a.watch_interval <= 3600.0) {
        bail!(
            "--watch-interval {}: between 0 and 3600 seconds",
            a.watch_interval
        );
    }
    for (flag, v) in [
        ("--header-timeout", a.header_timeout),
        ("--body-timeout", a.body_timeout),
    ] {
        if !(v > 0.0 && v <= 3600.0) {
            bail!("{flag} {v}: between 0 and 3600 seconds");
        }
    }
    let config = ServeConfig {
        addr: a.addr,
        watch: a.watch.clone(),
        watch_interval: std::time::Duration::from_secs_f64(a.watch_interval.max(0.001)),
        token: token(a)?,
        max_body: a.max_body,
        header_timeout: std::time::Duration::from_secs_f64(a.header_timeout),
        body_timeout: std::time::Duration::from_secs_f64(a.body_timeout),
        geojson: crate::commands::report::geojson_path(a.geojson.as_deref()),
        pm_1h: a.pm_1h,
        carbon: lantian_server::routes::carbon::CarbonSources {
            eu_ets: given_or_shared(&a.eu_ets, "carbon_eu_ets"),
            offset_listings: given_or_shared(&a.offset_listings, "carbon_offsets_samples"),
            books: a.carbon_books.clone(),
            surrenders: a.carbon_surrenders.clone(),
            electricity: a.electricity.clone(),
        },
        water: (!a.water_readings.is_empty()).then(|| lantian_app::water::WaterSources {
            sections: a.water_sections.clone(),
            readings: a.water_readings.clone(),
            automatic_per_day: None,
        }),
        soil: (!a.soil_samples.is_empty()).then(|| lantian_app::soil::SoilSources {
            samples: a.soil_samples.clone(),
            plots: a.soil_plots.clone(),
            classes: a.soil_classes.clone(),
            combinations: a.soil_combinations.clone(),
            land_class: None,
            arsenic_background: a.soil_arsenic_background,
        }),
        plan: lantian_app::campaigns::PlanSources {
            dir: a.plan.clone(),
        },
        gep: lantian_app::campaigns::gep::GepSources {
            inputs: a.gep_inputs.clone(),
            rule: a.gep_rule.clone(),
            parameters: Vec::new(),
        },
    };
    for (flag, p) in [
        ("--eu-ets", &config.carbon.eu_ets),
        ("--offset-listings", &config.carbon.offset_listings),
        ("--carbon-books", &config.carbon.books),
        ("--carbon-surrenders", &config.carbon.surrenders),
        ("--electricity", &config.carbon.electricity),
        ("--water-sections", &a.water_sections),
        ("--soil-plots", &a.soil_plots),
        ("--soil-classes", &a.soil_classes),
        ("--soil-combinations", &a.soil_combinations),
        ("--plan", &a.plan),
        ("--gep-inputs", &a.gep_inputs),
        ("--gep-rule", &a.gep_rule),
    ] {
        if let Some(p) = p
            && !p.exists()
        {
            bail!("{flag} {}: no such file or folder", p.display());
        }
    }
    for (flag, paths) in [
        ("--water-readings", &a.water_readings),
        ("--soil-samples", &a.soil_samples),
    ] {
        for p in paths {
            if !p.exists() {
                bail!("{flag} {}: no such file or folder", p.display());
            }
        }
    }
    if let Some(b) = a.soil_arsenic_background
        && !(b.is_finite() && b > 0.0)
    {
        bail!("--soil-arsenic-background {b}: a positive content in mg/kg");
    }
    if config.carbon.surrenders.is_some() && config.carbon.books.is_none() {
        bail!("--carbon-surrenders needs --carbon-books");
    }
    // The plan and the GEP-R files are read at each request: a plan or a table that does not
    // read is said now, in the options' words, rather than as a 500 to every caller.
    if let Some(dir) = &a.plan {
        lantian_app::campaigns::load(None, &config.plan)
            .await
            .map_err(|e| anyhow::anyhow!("--plan {}: {e}", dir.display()))?;
    }
    if a.gep_inputs.is_some() || a.gep_rule.is_some() {
        lantian_app::campaigns::gep::accounts(&config.gep, None)
            .map_err(|e| anyhow::anyhow!("--gep-inputs/--gep-rule: {e}"))?;
    }
    lantian_server::run(store_path, reg, config).await
}
