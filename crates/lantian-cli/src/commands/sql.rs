//! `lantian sql`: a read-only SQL query over `observations`, `current`, `ingest_log` and
//! `flags`.

use crate::args::OutFormat;
use crate::table::print_batches;
use anyhow::Result;
use clap::Args;
use lantian_store::Store;
use std::path::Path;

#[derive(Args)]
pub struct SqlArgs {
    query: String,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    format: OutFormat,
}

pub async fn run(store_path: &Path, a: &SqlArgs) -> Result<()> {
    let store = Store::open(store_path).await?;
    let batches = store.sql(&a.query).await?;
    print_batches(&batches, a.format, &mut std::io::stdout())
}
