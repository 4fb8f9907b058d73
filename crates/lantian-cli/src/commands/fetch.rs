//! `lantian fetch`: resumable download of the public archive's daily files.

use anyhow::Result;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(ValueEnum, Clone, Copy)]
pub enum Net {
    Beijing,
    National,
}

#[derive(Args)]
pub struct FetchArgs {
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
}

pub fn run(a: &FetchArgs) -> Result<()> {
    fetch(a.network, a.from, a.to, &a.base_url, &a.out)
}

/// Download the days `from..=to` of `network` into `out`, with a progress bar.
pub fn fetch(
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
