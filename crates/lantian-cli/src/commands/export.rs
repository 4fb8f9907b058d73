//! `lantian export`: current values as CSV or Parquet, long or wide.

use crate::args::SelArgs;
use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use lantian_store::Store;
use lantian_store::query::{ExportFormat, Shape};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(ValueEnum, Clone, Copy)]
pub enum ExportFmt {
    Csv,
    Parquet,
}

#[derive(ValueEnum, Clone, Copy)]
pub enum ExportShape {
    Long,
    Wide,
}

#[derive(Args)]
pub struct ExportArgs {
    #[command(flatten)]
    sel: SelArgs,
    #[arg(long, value_enum, default_value_t = ExportFmt::Csv)]
    format: ExportFmt,
    #[arg(long, value_enum, default_value_t = ExportShape::Long)]
    shape: ExportShape,
    /// Output file (standard output if absent; required for Parquet).
    #[arg(long)]
    out: Option<PathBuf>,
}

pub async fn run(store_path: &Path, a: &ExportArgs) -> Result<()> {
    let store = Store::open(store_path).await?;
    let shape = match a.shape {
        ExportShape::Long => Shape::Long,
        ExportShape::Wide => Shape::Wide,
    };
    let fmt = match a.format {
        ExportFmt::Csv => ExportFormat::Csv,
        ExportFmt::Parquet => ExportFormat::Parquet,
    };
    let sel = a.sel.selection(false);
    let n = match &a.out {
        Some(p) => {
            let mut f = std::io::BufWriter::new(
                std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?,
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
    Ok(())
}
