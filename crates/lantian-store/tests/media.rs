//! Water, soil and carbon values in the one `observations` table: read from a long CSV,
//! stored, read back with their units, averagings and sites, then revised and withdrawn by a
//! re-published file exactly as air values are (`lantian-cli`'s `store_properties` test does
//! the same for a BJMEMC file).

use lantian_model::{Registry, SiteKind, Variable};
use lantian_store::ingest::{IngestOptions, IngestSummary};
use lantian_store::{Store, query};
use std::path::Path;

/// The sites of the fixture, in the registry layout with its optional `kind` column.
const SITES: &str = "code,name_zh,name_en,district_zh,district_en,network,role,kind\n\
    WS01,沙河闸,Shahe sluice,昌平区,Changping,fixture-water,,water-section\n\
    SP01/0-20cm,顺义土壤点1（0–20 cm）,Shunyi soil point 1 (0-20 cm),顺义区,Shunyi,fixture-soil,,soil-point\n\
    EU0001,某燃煤电厂,A coal power plant,,,fixture-cets,,emitting-unit\n\
    A1,空气站,Air station,,,fixture-air,urban,\n";

/// A section's grab sample (one metal in µg/L, converted), a soil point's pH and cadmium, an
/// emitting unit's figures for the compliance year 2023, a negative phosphorus value, and an
/// air hour in the same file and table.
const FIRST: &str = "station,time,variable,value,unit,averaging,source\n\
    WS01,2024-05-14 10:30,water.NH3-N,0.42,mg/L,grab,fixture\n\
    WS01,2024-05-14 10:30,water.Pb,12,ug/L,grab,fixture\n\
    WS01,2024-05-14 10:30,water.TP,-0.01,mg/L,grab,fixture\n\
    SP01/0-20cm,2024-04-02 09:00,soil.pH,6.8,pH,grab,fixture\n\
    SP01/0-20cm,2024-04-02 09:00,soil.Cd,0.31,mg/kg,grab,fixture\n\
    EU0001,2023,carbon.verified,1234567,tCO2e,year,fixture\n\
    EU0001,2023,carbon.allocated,1200000,allowances,year,fixture\n\
    A1,2024-05-14 11:00,PM2.5,35,ug/m3,,fixture\n";

/// The same file re-published: NH3-N corrected, the soil cadmium result retracted, the
/// verified emissions revised (given by the year's end rather than its label: the same key).
const REVISED: &str = "station,time,variable,value,unit,averaging,source\n\
    WS01,2024-05-14 10:30,water.NH3-N,0.45,mg/L,grab,fixture\n\
    WS01,2024-05-14 10:30,water.Pb,12,ug/L,grab,fixture\n\
    WS01,2024-05-14 10:30,water.TP,-0.01,mg/L,grab,fixture\n\
    SP01/0-20cm,2024-04-02 09:00,soil.pH,6.8,pH,grab,fixture\n\
    EU0001,2024-01-01T00:00:00+08:00,carbon.verified,1234600,tCO2e,year,fixture\n\
    EU0001,2023,carbon.allocated,1200000,allowances,year,fixture\n\
    A1,2024-05-14 11:00,PM2.5,35,ug/m3,,fixture\n";

/// The rows of a query, cells joined by `,` (times in Beijing time, as `lantian sql` prints).
async fn rows(store: &Store, sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    for b in store.sql(sql).await.unwrap() {
        let b = query::normalize(&b).unwrap();
        for i in 0..b.num_rows() {
            let cells: Vec<String> = (0..b.num_columns())
                .map(|c| query::cell(&b, c, i))
                .collect();
            out.push(cells.join(","));
        }
    }
    out
}

async fn ingest(store: &Store, data: &Path) -> IngestSummary {
    store
        .ingest(
            &[data.to_path_buf()],
            &IngestOptions::default(),
            &mut |_| {},
        )
        .await
        .unwrap()
}

fn counts(s: &IngestSummary) -> (u64, u64, u64, u64) {
    (
        s.values_new,
        s.values_revised,
        s.values_unchanged,
        s.values_withdrawn,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn water_soil_and_carbon_values_are_stored_revised_and_withdrawn_like_air() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let file = data.join("media.csv");
    std::fs::write(&file, FIRST).unwrap();
    let store = Store::open(&tmp.path().join("store")).await.unwrap();

    let s = ingest(&store, &data).await;
    assert_eq!(counts(&s), (8, 0, 0, 0));
    let report = &s.files[0].report;
    let said: Vec<String> = report.diagnostics.iter().map(|d| d.to_string()).collect();
    let f = file.display().to_string();
    assert_eq!(
        said,
        [
            format!("{f}:4 [value]: negative: negative concentration -0.01; kept, flagged bad"),
            format!(
                "{f} [unit]: unit-converted: 1 values converted from ug/L to mg/L (GB 3838 unit; exact factor 1000)"
            ),
            format!(
                "{f} [unit]: unit-converted: 1 values converted from allowance to tCO2e (one allowance is one t CO2e)"
            ),
        ]
    );

    let current = "SELECT station, variable, averaging, time_end, value, unit, flag, revision \
                   FROM current ORDER BY station, variable";
    assert_eq!(
        rows(&store, current).await,
        [
            "A1,PM2.5,1h,2024-05-14T11:00:00+08:00,35,ug/m3,ok,0",
            "EU0001,carbon.allocated,year,2024-01-01T00:00:00+08:00,1200000,tCO2e,ok,0",
            "EU0001,carbon.verified,year,2024-01-01T00:00:00+08:00,1234567,tCO2e,ok,0",
            "SP01/0-20cm,soil.Cd,grab,2024-04-02T09:00:00+08:00,0.31,mg/kg,ok,0",
            "SP01/0-20cm,soil.pH,grab,2024-04-02T09:00:00+08:00,6.8,pH,ok,0",
            "WS01,water.NH3-N,grab,2024-05-14T10:30:00+08:00,0.42,mg/L,ok,0",
            "WS01,water.Pb,grab,2024-05-14T10:30:00+08:00,0.012,mg/L,ok,0",
            "WS01,water.TP,grab,2024-05-14T10:30:00+08:00,-0.01,mg/L,bad,0",
        ]
    );
    // The annual figure's time_end is the end of the Beijing year, in UTC.
    assert_eq!(
        rows(
            &store,
            "SELECT CAST(time_end AS VARCHAR) FROM current WHERE variable = 'carbon.verified'"
        )
        .await,
        ["2023-12-31T16:00:00Z"]
    );
    // Provenance as for air: the file and its line.
    assert_eq!(
        rows(
            &store,
            "SELECT source, source_line, flag_reason FROM current WHERE variable = 'water.TP'"
        )
        .await,
        ["fixture,4,negative: negative concentration -0.01"]
    );

    // Every stored site is in the registry with the kind its variables' medium needs.
    let sites = Registry::from_csv_str(SITES, "sites.csv").unwrap();
    let pairs = rows(&store, "SELECT DISTINCT station, variable FROM current").await;
    assert_eq!(pairs.len(), 8);
    for p in &pairs {
        let (station, variable) = p.split_once(',').unwrap();
        let site = sites.get(station).unwrap();
        let variable: Variable = variable.parse().unwrap();
        assert_eq!(site.kind.medium(), variable.medium(), "{p}");
    }
    assert_eq!(sites.get("WS01").unwrap().kind, SiteKind::WaterSection);
    assert_eq!(sites.get("EU0001").unwrap().kind, SiteKind::EmittingUnit);

    // The same file again changes nothing.
    let s = ingest(&store, &data).await;
    assert_eq!(counts(&s), (0, 0, 0, 0));
    assert!(s.files[0].skipped_unchanged);

    // Re-published: two values revised, one withdrawn, five unchanged.
    std::fs::write(&file, REVISED).unwrap();
    let s = ingest(&store, &data).await;
    assert_eq!(counts(&s), (0, 2, 5, 1));
    assert_eq!(
        rows(
            &store,
            "SELECT revision, value FROM observations \
             WHERE station = 'WS01' AND variable = 'water.NH3-N' ORDER BY revision"
        )
        .await,
        ["0,0.42", "1,0.45"]
    );
    assert_eq!(
        rows(
            &store,
            "SELECT revision, value, source_line FROM observations \
             WHERE station = 'EU0001' AND variable = 'carbon.verified' ORDER BY revision"
        )
        .await,
        ["0,1234567,7", "1,1234600,6"]
    );
    assert_eq!(
        rows(
            &store,
            "SELECT revision, value, unit, flag, flag_reason FROM current \
             WHERE station = 'SP01/0-20cm' AND variable = 'soil.Cd'"
        )
        .await,
        ["1,,mg/kg,withdrawn,no longer in the re-published file (was 0.31)"]
    );
    // The withdrawn value's first revision is still there.
    assert_eq!(
        rows(
            &store,
            "SELECT revision, value, flag FROM observations \
             WHERE variable = 'soil.Cd' ORDER BY revision"
        )
        .await,
        ["0,0.31,ok", "1,,withdrawn"]
    );
    // The negative value is unchanged: still kept, still bad, still revision 0.
    assert_eq!(
        rows(
            &store,
            "SELECT revision, value, flag FROM current WHERE variable = 'water.TP'"
        )
        .await,
        ["0,-0.01,bad"]
    );
    assert_eq!(
        rows(&store, "SELECT COUNT(*) FROM observations").await,
        ["11"]
    );
    assert_eq!(rows(&store, "SELECT COUNT(*) FROM current").await, ["8"]);
}
