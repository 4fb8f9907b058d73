//! `lantian stations`: the registry, and the stations in the store that it does not know.

use crate::args::OutFormat;
use crate::table::print_rows;
use anyhow::Result;
use lantian_model::Registry;
use lantian_store::Store;
use std::path::Path;

pub async fn run(store_path: &Path, reg: &Registry, format: OutFormat) -> Result<()> {
    let store = Store::open(store_path).await?;
    stations(&store, reg, format).await
}

async fn stations(store: &Store, reg: &Registry, format: OutFormat) -> Result<()> {
    let mut rows: Vec<Vec<String>> = reg
        .stations()
        .iter()
        .map(|s| {
            vec![
                s.code.clone(),
                s.name_en.clone(),
                s.district_zh.clone(),
                s.network.clone(),
                s.role.code().to_string(),
                s.national_code.clone().unwrap_or_default(),
                s.continues.clone().unwrap_or_default(),
                s.longitude.map(|v| v.to_string()).unwrap_or_default(),
                s.latitude.map(|v| v.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    // Stations in the store that the registry does not know.
    let b = store.sql("SELECT source, station, COUNT(*) AS n FROM current GROUP BY source, station ORDER BY source, station").await?;
    let mut unknown = Vec::new();
    for batch in &b {
        let batch = &lantian_store::query::normalize(batch)?;
        for i in 0..batch.num_rows() {
            let st = lantian_store::query::cell(batch, 1, i);
            if reg.get(&st).is_none() && reg.by_national_code(&st).is_none() {
                unknown.push(vec![
                    st,
                    String::new(),
                    String::new(),
                    lantian_store::query::cell(batch, 0, i),
                    "unknown (not in registry)".into(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]);
            }
        }
    }
    rows.extend(unknown);
    let header = [
        "code",
        "name_en",
        "district",
        "network",
        "role",
        "national_code",
        "continues",
        "longitude",
        "latitude",
    ];
    print_rows(&header, &rows, format, &mut std::io::stdout())
}
