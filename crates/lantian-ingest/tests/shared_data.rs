//! Every file under ../shared/data is read or rejected for a specific reason (skipped, with a
//! message, where ../shared/data is absent).

use lantian_ingest::{FileStatus, Format, RejectReason, read_file};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"));
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipped: ../shared/data not found (tests on the real archives need it)");
        None
    }
}

#[test]
fn every_shared_file_is_read_or_rejected_with_a_reason() {
    let Some(root) = shared() else { return };
    let files = lantian_ingest::discover(std::slice::from_ref(&root)).unwrap();
    assert!(files.len() > 7000, "{} files", files.len());
    let mut rejected: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let mut formats: BTreeMap<String, usize> = BTreeMap::new();
    for f in &files {
        let out = read_file(f);
        let rel = f.strip_prefix(&root).unwrap().display().to_string();
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
