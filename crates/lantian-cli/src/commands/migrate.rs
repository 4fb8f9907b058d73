//! `lantian migrate`: upgrade a store of an earlier version's layout in place.

use anyhow::Result;
use lantian_store::Store;
use std::path::Path;

pub async fn run(store_path: &Path) -> Result<()> {
    let store = Store::open(store_path).await?;
    let s = store.migrate().await?;
    for p in &s.leftovers_removed {
        println!("removed what an interrupted migration left: {p}");
    }
    if s.already_keyed {
        println!(
            "{}: already in the keyed layout; nothing to do",
            store.root().display()
        );
    } else {
        println!(
            "{}: migrated to the keyed layout: {} rows in {} data files; {} sites, {} variables, {} source files",
            store.root().display(),
            s.rows,
            s.data_files,
            s.sites,
            s.variables,
            s.files
        );
    }
    Ok(())
}
