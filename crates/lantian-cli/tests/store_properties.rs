//! The four properties the store must keep, tested through the real `lantian` binary on small
//! fixtures written here (never copies of ../shared/data):
//! idempotent re-ingest, revisions, crash safety (killing a real ingest at random points), and
//! consistent snapshots for readers during an ingest.

mod common;

use common::store::{
    STATIONS, assert_whole_files, digest, duplicates, lantian, spawn_ingest, sql_scalar, value,
    write_fixture,
};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn ingest(store: &Path, dir: &Path, extra: &[&str]) -> String {
    let mut a = vec!["ingest", "--quiet", dir.to_str().unwrap()];
    a.extend_from_slice(extra);
    lantian(store, &a)
}

#[test]
fn reingest_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, store) = (tmp.path().join("data"), tmp.path().join("store"));
    let counts = write_fixture(&data, 5);
    let total: usize = counts.iter().map(|c| c.1).sum();
    let out = ingest(&store, &data, &[]);
    assert!(out.contains(&format!("{total} new")), "{out}");
    let version_files = std::fs::read_dir(store.join("observation_rows/_delta_log"))
        .unwrap()
        .count();
    // Same files again: not even read.
    let out = ingest(&store, &data, &[]);
    assert!(out.contains("0 read, 0 rejected, 5 unchanged"), "{out}");
    // Forced re-read: every value compared and found unchanged; nothing written.
    let out = ingest(&store, &data, &["--force"]);
    assert!(
        out.contains(&format!(
            "0 new, 0 revised (previous value kept as an earlier revision), {total} unchanged"
        )),
        "{out}"
    );
    assert_eq!(
        sql_scalar(&store, "SELECT COUNT(*) FROM observations"),
        total.to_string()
    );
    assert_eq!(
        std::fs::read_dir(store.join("observation_rows/_delta_log"))
            .unwrap()
            .count(),
        version_files,
        "a forced re-ingest of unchanged files must not commit to observations"
    );
}

#[test]
fn revised_values_keep_their_history() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, store) = (tmp.path().join("data"), tmp.path().join("store"));
    let counts = write_fixture(&data, 2);
    let total: usize = counts.iter().map(|c| c.1).sum();
    ingest(&store, &data, &[]);
    // CNEMC-style revision: one value changes, one disappears, in the file of 2023-01-02.
    let f = data.join("beijing_all_20230102.csv");
    let text = std::fs::read_to_string(&f).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    // Line 3 is hour 0, PM2.5. Change the first station's value, blank the second's.
    let mut cells: Vec<String> = lines[2].split(',').map(String::from).collect();
    assert_eq!(cells[2], "PM2.5");
    let old_first = cells[3].clone();
    let old_second = cells[4].clone();
    assert!(!old_first.is_empty() && !old_second.is_empty());
    cells[3] = "999".into();
    cells[4] = String::new();
    lines[2] = cells.join(",");
    std::fs::write(&f, lines.join("\n")).unwrap();
    let out = ingest(&store, &data, &[]);
    assert!(out.contains("0 new, 1 revised"), "{out}");
    assert!(out.contains("1 withdrawn"), "{out}");
    // Both revisions of the changed value are there; current shows the new one.
    let q = "SELECT revision, value FROM observations WHERE station = '东城东四' AND variable = 'PM2.5' \
             AND time_end = TIMESTAMP '2023-01-01T16:00:00Z' ORDER BY revision";
    let hist = lantian(&store, &["sql", "--format", "csv", q]);
    assert_eq!(hist, format!("revision,value\n0,{old_first}\n1,999\n"));
    let cur = sql_scalar(
        &store,
        "SELECT value FROM current WHERE station = '东城东四' AND variable = 'PM2.5' AND time_end = TIMESTAMP '2023-01-01T16:00:00Z'",
    );
    assert_eq!(cur, "999");
    let w = sql_scalar(
        &store,
        "SELECT flag FROM current WHERE station = '东城天坛' AND variable = 'PM2.5' AND time_end = TIMESTAMP '2023-01-01T16:00:00Z'",
    );
    assert_eq!(w, "withdrawn");
    assert_eq!(
        sql_scalar(&store, "SELECT COUNT(*) FROM current"),
        total.to_string()
    );
    assert_eq!(
        sql_scalar(&store, "SELECT COUNT(*) FROM observations"),
        (total + 2).to_string()
    );
}

#[test]
fn killing_an_ingest_at_random_points_leaves_a_consistent_store() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let counts = write_fixture(&data, 60);
    let total: usize = counts.iter().map(|c| c.1).sum();
    // Reference: a clean ingest.
    let clean = tmp.path().join("clean");
    ingest(&clean, &data, &["--batch-files", "1"]);
    let want = digest(&clean);
    assert!(want.contains(&format!("\n{total},")), "{want}");

    let store = tmp.path().join("killed");
    let commits = |store: &Path| {
        std::fs::read_dir(store.join("observation_rows/_delta_log"))
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
                    .count()
            })
            .unwrap_or(0)
    };
    // Deterministic "random" kill points: after a random number of further commits, plus a
    // random few milliseconds, so that kills land between commits and in the middle of them.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut kills = 0;
    for _ in 0..6 {
        let wait_commits = 1 + (next() % 8) as usize;
        let extra = Duration::from_millis(next() % 40);
        let before = commits(&store);
        let mut child = spawn_ingest(&store, &data, 1);
        let t0 = Instant::now();
        while commits(&store) < before + wait_commits
            && child.try_wait().unwrap().is_none()
            && t0.elapsed() < Duration::from_secs(120)
        {
            std::thread::sleep(Duration::from_millis(2));
        }
        std::thread::sleep(extra);
        match child.try_wait().unwrap() {
            None => {
                child.kill().unwrap();
                kills += 1;
            }
            Some(status) => eprintln!("ingest ended before the kill: {status}"),
        }
        child.wait().unwrap();
        // After every kill the store is readable and holds no duplicate value.
        assert_eq!(duplicates(&store), "0", "duplicate rows after a kill");
        // Every committed file is complete: a file's values are all there or none.
        assert_whole_files(&store, &counts);
    }
    assert!(
        kills >= 1,
        "no ingest was killed mid-way; the test proved nothing"
    );
    eprintln!("{kills} ingests killed");
    // A re-run completes the ingest, and the result equals the clean one.
    ingest(&store, &data, &["--batch-files", "1"]);
    assert_eq!(digest(&store), want);
}

#[test]
fn readers_see_whole_batches_while_an_ingest_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let counts = write_fixture(&data, 24);
    let store = tmp.path().join("store");
    let mut child = spawn_ingest(&store, &data, 3);
    let start = Instant::now();
    let mut seen_partial_ingest = false;
    let mut reads = 0;
    while child.try_wait().unwrap().is_none() && start.elapsed() < Duration::from_secs(120) {
        let out = Command::new(common::bin())
            .arg("--store")
            .arg(&store)
            .args([
                "sql",
                "--format",
                "csv",
                "SELECT source_file, COUNT(*) FROM observations GROUP BY source_file",
            ])
            .env("RUST_BACKTRACE", "0")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        reads += 1;
        let text = String::from_utf8(out.stdout).unwrap();
        let files: Vec<&str> = text.lines().skip(1).collect();
        if !files.is_empty() && files.len() < counts.len() {
            seen_partial_ingest = true;
        }
        // Batches are of 3 files: a snapshot holds a multiple of 3 files, each complete.
        assert_eq!(
            files.len() % 3,
            0,
            "a snapshot cut through a batch: {files:?}"
        );
        for line in files {
            let (file, n) = line.rsplit_once(',').unwrap();
            let name = Path::new(file).file_name().unwrap().to_str().unwrap();
            assert_eq!(
                n,
                counts.iter().find(|c| c.0 == name).unwrap().1.to_string()
            );
        }
    }
    assert!(child.wait().unwrap().success());
    assert!(reads > 0);
    if !seen_partial_ingest {
        eprintln!("note: the ingest finished before a reader saw it half-way ({reads} reads)");
    }
}

#[test]
fn sql_is_read_only() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    for q in [
        "COPY (SELECT 1) TO '/tmp/lantian-x.csv'",
        "CREATE EXTERNAL TABLE t STORED AS CSV LOCATION '/etc/passwd'",
        "SELECT * FROM '/etc/passwd'",
        "INSERT INTO observations SELECT * FROM observations",
        "CREATE TABLE t AS SELECT 1",
        "SET datafusion.catalog.information_schema = true",
    ] {
        let out = Command::new(common::bin())
            .arg("--store")
            .arg(&store)
            .args(["sql", q])
            .env("RUST_BACKTRACE", "0")
            .output()
            .unwrap();
        assert!(!out.status.success(), "{q} was allowed");
    }
    assert!(!PathBuf::from("/tmp/lantian-x.csv").exists());
    assert_eq!(sql_scalar(&store, "SELECT COUNT(*) FROM current"), "0");
}

#[test]
fn exports_round_trip_and_wide_has_a_column_per_series() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, store) = (tmp.path().join("data"), tmp.path().join("store"));
    let counts = write_fixture(&data, 3);
    let total: usize = counts.iter().map(|c| c.1).sum();
    ingest(&store, &data, &[]);
    let want = digest(&store);

    // Parquet: export, ingest the export into a new store, same current values.
    let pq = tmp.path().join("export.parquet");
    lantian(
        &store,
        &[
            "export",
            "--format",
            "parquet",
            "--out",
            pq.to_str().unwrap(),
        ],
    );
    let store2 = tmp.path().join("store2");
    let out = lantian(&store2, &["ingest", "--quiet", pq.to_str().unwrap()]);
    assert!(out.contains(&format!("{total} new")), "{out}");
    assert_eq!(digest(&store2), want);

    // CSV (times in Beijing time with offset): the same round trip.
    let csv = tmp.path().join("export.csv");
    lantian(&store, &["export", "--out", csv.to_str().unwrap()]);
    let store3 = tmp.path().join("store3");
    lantian(&store3, &["ingest", "--quiet", csv.to_str().unwrap()]);
    assert_eq!(digest(&store3), want);

    // Wide: one row per station and hour, one column per variable.
    let wide = lantian(&store, &["export", "--shape", "wide"]);
    let mut lines = wide.lines();
    assert_eq!(
        lines.next().unwrap(),
        "source,station,time_end,AQI,PM10,PM2.5"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 3 * 24 * STATIONS.len());
    // 东城东四 (station 0), 2023-01-01 hour 5: values from the generator.
    let row = rows
        .iter()
        .find(|r| r.starts_with("bjmemc,东城东四,2023-01-01T05:00:00+08:00,"))
        .unwrap();
    // Columns are sorted by name: AQI (type 0), PM10 (type 2), PM2.5 (type 1).
    let want_row: Vec<String> = [0, 2, 1]
        .iter()
        .map(|&t| value(1, 5, 0, t).unwrap().to_string())
        .collect();
    assert_eq!(row.split(',').skip(3).collect::<Vec<_>>(), want_row);
}
