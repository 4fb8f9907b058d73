//! The store's own fixture for the store tests: daily files of three stations written here,
//! and the digests and checks the tests compare stores by.

use std::path::Path;
use std::process::{Command, Stdio};

pub const STATIONS: [&str; 3] = ["东城东四", "东城天坛", "定陵(对照点)"];
pub const TYPES: [&str; 3] = ["AQI", "PM2.5", "PM10"];

/// A deterministic value for (day, hour, station, type); the third station has gaps, as real
/// files do.
pub fn value(day: u32, hour: u32, s: usize, t: usize) -> Option<u32> {
    let x = day * 7919 + hour * 104_729 + s as u32 * 1_299_709 + t as u32 * 15_485_863;
    (s != 2 || !x.is_multiple_of(7)).then_some(1 + x % 300)
}

/// Write `days` daily files (from 2023-01-01) into `dir`; returns the number of values per file.
pub fn write_fixture(dir: &Path, days: u32) -> Vec<(String, usize)> {
    std::fs::create_dir_all(dir).unwrap();
    let mut counts = Vec::new();
    let first = chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
    for day in 1..=days {
        let stamp = (first + chrono::Duration::days(i64::from(day) - 1))
            .format("%Y%m%d")
            .to_string();
        let name = format!("beijing_all_{stamp}.csv");
        let mut s = format!("date,hour,type,{}", STATIONS.join(","));
        let mut n = 0;
        for hour in 0..24 {
            for (t, ty) in TYPES.iter().enumerate() {
                s.push_str(&format!("\n{stamp},{hour},{ty}"));
                for st in 0..STATIONS.len() {
                    s.push(',');
                    if let Some(v) = value(day, hour, st, t) {
                        s.push_str(&v.to_string());
                        n += 1;
                    }
                }
            }
        }
        std::fs::write(dir.join(&name), s).unwrap();
        counts.push((name, n));
    }
    counts
}

pub fn lantian(store: &Path, args: &[&str]) -> String {
    super::lantian_ok(store, args)
}

/// A one-column, one-row SQL answer.
pub fn sql_scalar(store: &Path, q: &str) -> String {
    let out = lantian(store, &["sql", "--format", "csv", q]);
    out.lines().nth(1).unwrap_or("").to_string()
}

/// Start an ingest in the background (to kill it, or to read while it runs).
pub fn spawn_ingest(store: &Path, data: &Path, batch_files: usize) -> std::process::Child {
    Command::new(super::bin())
        .arg("--store")
        .arg(store)
        .args([
            "ingest",
            "--quiet",
            "--batch-files",
            &batch_files.to_string(),
        ])
        .arg(data)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// A canonical digest of the current values: count, sum and a checksum of keys.
pub fn digest(store: &Path) -> String {
    lantian(
        store,
        &[
            "sql",
            "--format",
            "csv",
            "SELECT COUNT(*) AS n, SUM(value) AS s, SUM(CAST(time_end AS BIGINT) % 1000003) AS k, MAX(revision) AS r FROM current",
        ],
    )
}

/// Rows that share a value key and revision (none in a consistent store).
pub fn duplicates(store: &Path) -> String {
    sql_scalar(
        store,
        "SELECT COUNT(*) FROM (SELECT source, station, variable, averaging, time_end, revision \
         FROM observations GROUP BY 1,2,3,4,5,6 HAVING COUNT(*) > 1)",
    )
}

/// Every file in the store is whole: all of its values (`counts`, from [`write_fixture`]) or
/// none.
pub fn assert_whole_files(store: &Path, counts: &[(String, usize)]) {
    let per_file = lantian(
        store,
        &[
            "sql",
            "--format",
            "csv",
            "SELECT source_file, COUNT(*) FROM observations GROUP BY source_file",
        ],
    );
    for line in per_file.lines().skip(1) {
        let (file, n) = line.rsplit_once(',').unwrap();
        let name = Path::new(file).file_name().unwrap().to_str().unwrap();
        let want = counts.iter().find(|c| c.0 == name).unwrap().1;
        assert_eq!(n, want.to_string(), "{name} is partial");
    }
}
