//! `lantian ingest`: files or folders into the store, with a progress bar and a summary of
//! what was read, rejected and why.

use crate::summary;
use anyhow::{Result, bail};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use lantian_model::Registry;
use lantian_store::Store;
use lantian_store::ingest::{IngestOptions, IngestSummary, Progress};
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct IngestArgs {
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
}

pub async fn run(store_path: &Path, reg: &Registry, a: &IngestArgs) -> Result<()> {
    if a.paths.is_empty() {
        bail!("lantian ingest: give at least one file or folder");
    }
    let store = Store::open(store_path).await?;
    let opts = IngestOptions {
        batch_files: a.batch_files,
        batch_values: a.batch_values,
        force: a.force,
    };
    let summary = ingest(&store, &a.paths, &opts, a.quiet).await?;
    summary::print(&summary, reg, a.verbose, &mut std::io::stdout())
}

/// Ingest with a progress bar (hidden with `quiet`).
pub async fn ingest(
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
