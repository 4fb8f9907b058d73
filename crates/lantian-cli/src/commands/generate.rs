//! `lantian generate`: a national network's days in the CNEMC file format (lantian-synth).

use anyhow::{Context, Result};
use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressStyle};
use lantian_synth::{Network, NetworkOptions, Template};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct GenerateArgs {
    /// Folder for the `china_sites_YYYYMMDD.csv` files (created).
    #[arg(long)]
    out: PathBuf,
    /// First day.
    #[arg(long, default_value = "2023-01-01")]
    start: NaiveDate,
    /// Number of days.
    #[arg(long, default_value_t = 365)]
    days: u32,
    /// Random seed: the same seed gives the same bytes.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Stations (CNEMC's national network: 2,026 columns in 2023).
    #[arg(long, default_value_t = 2026)]
    stations: usize,
    /// Cities the stations are grouped into.
    #[arg(long, default_value_t = 340)]
    cities: usize,
    /// Real CNEMC files (e.g. ../shared/data/cnemc_china_sites) to take station codes, levels,
    /// missing shares and diurnal shapes from; without it built-in national levels are used.
    #[arg(long)]
    template: Option<PathBuf>,
    /// Where to write the network's station registry (default: `<out>-stations.csv`, beside
    /// the folder, so that ingesting the folder does not meet it).
    #[arg(long)]
    registry_out: Option<PathBuf>,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
}

pub fn run(a: &GenerateArgs) -> Result<()> {
    let template = match &a.template {
        Some(dir) => Some(Template::from_dir(dir)?),
        None => None,
    };
    let net = Network::build(
        &NetworkOptions {
            stations: a.stations,
            cities: a.cities,
            seed: a.seed,
        },
        template.as_ref(),
    )?;
    let registry = a.registry_out.clone().unwrap_or_else(|| {
        let mut name = a.out.file_name().unwrap_or_default().to_os_string();
        name.push("-stations.csv");
        a.out.with_file_name(name)
    });
    let bar = if a.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(u64::from(a.days)).with_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} days {elapsed} (eta {eta})")
                .expect("valid template"),
        )
    };
    let t0 = std::time::Instant::now();
    let s = lantian_synth::generate(&net, a.start, a.days, &a.out, &|| bar.inc(1))?;
    bar.finish_and_clear();
    std::fs::write(&registry, net.registry_csv())
        .with_context(|| format!("{}: cannot write the registry", registry.display()))?;
    println!(
        "wrote {} files ({:.1} MB, {} values, {} of them 1-h pollutant values, {} bad) for {} stations in {} cities in {:.1} s",
        s.files,
        s.bytes as f64 / 1e6,
        s.values,
        s.values_1h,
        s.bad,
        net.stations.len(),
        net.cities.len(),
        t0.elapsed().as_secs_f64()
    );
    println!("registry: {}", registry.display());
    Ok(())
}
