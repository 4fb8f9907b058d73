//! `lantian coverage`: per station and variable, expected and valid hours, flagged values,
//! completeness, first and last hour.

use crate::args::{OutFormat, SelArgs};
use crate::table::print_rows;
use anyhow::Result;
use lantian_store::Store;
use lantian_store::query::{Coverage, Selection};

#[derive(clap::Args)]
pub struct CoverageArgs {
    #[command(flatten)]
    sel: SelArgs,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    format: OutFormat,
}

pub async fn run(store_path: &std::path::Path, a: &CoverageArgs) -> Result<()> {
    let store = Store::open(store_path).await?;
    coverage(&store, &a.sel.selection(true), a.format).await
}

/// Coverage of the values `sel` selects.
pub async fn coverage(store: &Store, sel: &Selection, format: OutFormat) -> Result<()> {
    let cov = lantian_store::query::coverage(store, sel).await?;
    write(&cov, format, &mut std::io::stdout())
}

/// Coverage rows as a table, CSV or JSON.
pub fn write(cov: &[Coverage], format: OutFormat, out: &mut dyn std::io::Write) -> Result<()> {
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
    print_rows(&header, &rows, format, out)
}
