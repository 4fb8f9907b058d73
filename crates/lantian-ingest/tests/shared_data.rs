//! Every file under ../shared/data is accounted for: read by a reader, rejected for a specific
//! reason, or named below as real data that no reader handles yet. Any other file fails the
//! test (skipped, with a message, where ../shared/data is absent; see lantian-testdata).

use lantian_ingest::{FileStatus, Format, RejectReason, read_file};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

fn shared() -> Option<PathBuf> {
    lantian_testdata::shared_data("every shared file is read or rejected for a reason")
}

/// Folders the readers handle (or reject file by file, with the reason checked below).
const READ_FOLDERS: &[&str] = &[
    "quotsoft_beijing",
    "cnemc_china_sites",
    "uci_beijing_multisite",
    "uci_beijing_pm25_us_embassy",
    "aqeval_uk_no2",
    "geo_beijing",
];

/// The notes at the top of the shared folder (not data).
const NOTES: &[&str] = &["MANIFEST.tsv", "PROVENANCE.md"];

/// Real data that the store's ingest does not read: the folder, what it holds (sources and
/// licences are in the shared folder's PROVENANCE.md) and its files. None of it is an
/// air-monitoring time series, so the ingest must reject each file; the water, carbon and soil
/// folders are read by their own readers (`lantian water`, `lantian carbon`,
/// `lantian_ingest::soil`), whose tests account for their files (`water_foreign.rs`,
/// `eu_ets_oracle.rs`, `offset_registry`, `soil_readers.rs`). An ingest that learns one of them
/// makes this test fail until the folder moves to `READ_FOLDERS` with its own checks.
const NOT_YET_READ: &[(&str, &str, &[&str])] = &[
    (
        "water_swmpr_apalachicola",
        "surface water: NOAA NERRS SWMP, Apalachicola Bay; a 15-min water-quality sonde \
         2012–2013 and monthly nutrient samples 2002–2013, with QC flag columns (CSV converted \
         from the R files beside them; times in UTC)",
        &[
            "apacpnut.RData",
            "apacpnut.csv",
            "apacpwq.RData",
            "apacpwq.csv.gz",
        ],
    ),
    (
        "water_wqp_sample",
        "surface water: a US Water Quality Portal narrow-result export (conductivity, nitrogen; \
         comma-separated despite .txt)",
        &["wqp_results3.txt"],
    ),
    (
        "soil_cumcm2011a_china_city",
        "soil: topsoil metals of a Chinese city (CUMCM 2011 problem A), 319 samples by \
         functional zone; Cd and Hg in ng/g, the rest in µg/g; the CSV read by soil::cumcm, \
         the R file it was converted from not read",
        &["cumcm2011a.RData", "cumcm2011a_urban_topsoil_metals.csv"],
    ),
    (
        "soil_hunan_cropland_cd",
        "soil: cropland cadmium in Hunan, 136 samples with rice and straw Cd (a title and a unit \
         line before the column names); read by soil::hunan",
        &["pri_Cd_data.csv"],
    ),
    (
        "soil_jura",
        "soil: Swiss Jura topsoil metals, 259 prediction and 100 validation samples; the CSVs \
         read by soil::jura, the R file they were converted from not read",
        &["jura.rda", "jura_pred.csv", "jura_val.csv"],
    ),
    (
        "soil_meuse",
        "soil: Meuse floodplain heavy metals, 155 samples (the classic kriging example); read \
         by soil::meuse",
        &["meuse.txt"],
    ),
    (
        "carbon_eu_ets",
        "carbon: EU ETS installations and their yearly verified emissions, allocated \
         allowances, surrendered units and published compliance codes",
        &[
            "allocated_allowances.csv",
            "compliance_code.csv",
            "installations.csv",
            "units_surrendered.csv",
            "verified_emissions.csv",
        ],
    ),
    (
        "carbon_offsets_samples",
        "carbon: offset registry samples (Verra projects and transactions; Gold Standard \
         projects, issuances and retirements), harmonised by CarbonPlan OffsetsDB",
        &[
            "gold-standard_issuances.csv",
            "gold-standard_projects.csv",
            "gold-standard_retirements.csv",
            "verra_projects.csv",
            "verra_transactions.csv",
        ],
    ),
    (
        "cnemc_station_list",
        "stations: the national station list from 2022-02-13 (codes, names, cities, \
         coordinates) and Beijing's 35 municipal stations of 2013–2021",
        &[
            "kddcup2018_Beijing_AirQuality_Stations_cn.csv",
            "站点列表-2022.02.13起.csv",
        ],
    ),
];

/// The first component of a path relative to the shared folder.
fn top(rel: &str) -> &str {
    rel.split('/').next().unwrap_or(rel)
}

#[test]
fn every_shared_file_is_read_or_rejected_with_a_reason() {
    let Some(root) = shared() else { return };
    let files = lantian_ingest::discover(std::slice::from_ref(&root)).unwrap();
    assert!(files.len() > 7000, "{} files", files.len());
    let mut rejected: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let mut formats: BTreeMap<String, usize> = BTreeMap::new();
    let mut not_yet_read: BTreeSet<String> = BTreeSet::new();
    let mut unknown: Vec<String> = Vec::new();
    for f in &files {
        let out = read_file(f);
        let rel = f.strip_prefix(&root).unwrap().display().to_string();
        if NOT_YET_READ.iter().any(|(dir, _, _)| top(&rel) == *dir) {
            let FileStatus::Rejected(r) = &out.report.status else {
                panic!(
                    "{rel} is read now ({:?}): give its folder a place among READ_FOLDERS, with \
                     checks of what it holds",
                    out.report.format
                );
            };
            // Rejected by what detection can tell: R's binary files and `.txt` names (taken
            // for documents) as not data, the CSVs by their header; never a decoding failure or
            // a corrupt file.
            assert!(
                matches!(r.code(), "not-data" | "unknown-format"),
                "{rel}: {r}"
            );
            eprintln!("not yet read: {rel} ({})", r.code());
            not_yet_read.insert(rel);
            continue;
        }
        if !READ_FOLDERS.contains(&top(&rel)) && !NOTES.contains(&rel.as_str()) {
            unknown.push(rel);
            continue;
        }
        match &out.report.status {
            FileStatus::Read => {
                *formats
                    .entry(out.report.format.unwrap().code().to_string())
                    .or_default() += 1;
                assert!(out.report.values > 0, "{rel}: read but no values");
                assert_eq!(out.report.values as usize, out.observations.len());
            }
            FileStatus::Rejected(r) => rejected.entry(r.code()).or_default().push(rel),
        }
    }
    assert!(
        unknown.is_empty(),
        "files no reader, rejection or note accounts for (name the folder in READ_FOLDERS or \
         NOT_YET_READ): {unknown:?}"
    );
    let named: BTreeSet<String> = NOT_YET_READ
        .iter()
        .flat_map(|(dir, what, names)| {
            assert!(!what.is_empty(), "{dir}: say what the folder holds");
            names.iter().map(move |n| format!("{dir}/{n}"))
        })
        .collect();
    assert_eq!(
        not_yet_read, named,
        "the not-yet-read folders hold exactly the files named for them"
    );
    // PROVENANCE.md lists 4 empty files (2016-12-30/31) and 34 HTML error pages (2017).
    assert_eq!(rejected["empty"].len(), 4, "{:?}", rejected["empty"]);
    assert!(
        rejected["empty"]
            .iter()
            .all(|f| f.starts_with("quotsoft_beijing/2016/"))
    );
    assert_eq!(rejected["html"].len(), 34, "{:?}", rejected["html"]);
    assert!(
        rejected["html"]
            .iter()
            .all(|f| f.starts_with("quotsoft_beijing/2017/"))
    );
    // The mojibake header of _as_found cannot be repaired (commas were swallowed).
    assert_eq!(
        rejected["mojibake-header"],
        vec!["quotsoft_beijing/_as_found/beijing_all_20240101.csv.as_found".to_string()]
    );
    // GeoJSON boundaries and the manifest / provenance notes are not time series.
    assert_eq!(rejected["not-data"].len(), 4, "{:?}", rejected["not-data"]);
    assert_eq!(
        rejected.len(),
        4,
        "unexpected rejection kinds: {rejected:?}"
    );
    assert_eq!(formats["uci-multisite"], 12);
    assert_eq!(formats["uci-embassy"], 1);
    assert_eq!(formats["aqeval"], 1);
    assert_eq!(formats["cnemc-daily"], 4);
    assert_eq!(formats.len(), 5, "unexpected formats: {formats:?}");
    let bj = formats["bjmemc-daily"];
    let total_bj = files
        .iter()
        .filter(|f| f.to_string_lossy().contains("/quotsoft_beijing/"))
        .count();
    assert_eq!(bj + 4 + 34 + 1, total_bj);
}

#[test]
fn the_as_found_file_is_explained() {
    let Some(root) = shared() else { return };
    let out = read_file(&root.join("quotsoft_beijing/_as_found/beijing_all_20240101.csv.as_found"));
    let FileStatus::Rejected(r @ RejectReason::MojibakeHeader { .. }) = &out.report.status else {
        panic!("{:?}", out.report.status)
    };
    let msg = r.to_string();
    assert!(
        msg.contains("东城东四"),
        "the message shows the header read back: {msg}"
    );
}

#[test]
fn cnemc_file_with_trailing_empty_columns() {
    let Some(root) = shared() else { return };
    let out = read_file(&root.join("cnemc_china_sites/china_sites_20230121.csv"));
    assert_eq!(out.report.format, Some(Format::Cnemc));
    // Independent route: the named columns of the header line.
    let text =
        std::fs::read_to_string(root.join("cnemc_china_sites/china_sites_20230121.csv")).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let named = header[3..].iter().filter(|h| !h.is_empty()).count();
    assert!(
        header.len() - 3 > named,
        "the file has trailing unnamed columns"
    );
    assert_eq!(out.report.stations.len(), named);
    // Values in unnamed columns would be reported; the real file has none.
    assert_eq!(
        out.report
            .count(lantian_ingest::DiagnosticKind::UnnamedColumn),
        0
    );
    // Beijing's 1003A (东四) at 2023-01-21 hour 8 (hour-ending), PM2.5_24h row is filled here.
    let v = out
        .observations
        .iter()
        .find(|o| {
            &*o.station == "1003A"
                && o.variable.code() == "PM2.5"
                && o.averaging.code() == "24h"
                && o.source_line > 1
        })
        .unwrap();
    assert!(v.value.unwrap() >= 0.0);
}
