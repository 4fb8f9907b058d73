//! Beijing 2023 from ../shared/data through the real binary: coverage cross-checked by an
//! independent count, and a full round trip (export equals source files). Skipped, with a
//! message, where ../shared/data is absent.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The Beijing archive, `quotsoft_beijing/<year>/`.
fn beijing() -> Option<PathBuf> {
    lantian_testdata::shared_path(
        "quotsoft_beijing",
        "the binary's round trip and coverage read the real Beijing archive",
    )
}

fn lantian(store: &Path, args: &[&str]) -> String {
    common::lantian_ok(store, args)
}

/// Independent reading of a BJMEMC daily file: (station, type, date, hour) -> value text.
fn read_source(path: &Path, into: &mut HashMap<(String, String, String, u32), String>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    for l in lines {
        let f: Vec<&str> = l.split(',').collect();
        for (j, cell) in f.iter().enumerate().skip(3) {
            if !cell.is_empty() {
                into.insert(
                    (
                        header[j].to_string(),
                        f[2].to_string(),
                        f[0].to_string(),
                        f[1].parse().unwrap(),
                    ),
                    cell.to_string(),
                );
            }
        }
    }
}

/// Values of a natural day counted straight from the files: a day D holds the hour-ending
/// stamps D 01:00 .. D+1 00:00, i.e. hours 1..23 of D's file and hour 0 of the next day's file.
fn independent_count(
    source: &HashMap<(String, String, String, u32), String>,
    station: &str,
    pollutant: &str,
    day: &str,
    next: &str,
) -> usize {
    let has =
        |d: &str, h: u32| source.contains_key(&(station.into(), pollutant.into(), d.into(), h));
    (1..24).filter(|&h| has(day, h)).count() + usize::from(has(next, 0))
}

/// `lantian coverage` of one station, pollutant and day (YYYYMMDD), as CSV.
fn day_coverage(store: &Path, station: &str, pollutant: &str, day: &str) -> String {
    let d = format!("{}-{}-{}", &day[..4], &day[4..6], &day[6..]);
    lantian(
        store,
        &[
            "coverage",
            "--format",
            "csv",
            "--station",
            station,
            "--variable",
            pollutant,
            "--from",
            &d,
            "--to",
            &d,
        ],
    )
}

/// Map a stored (variable, averaging) back to the file's type name.
fn type_name(variable: &str, averaging: &str) -> String {
    match averaging {
        "1h" => variable.to_string(),
        "24h" | "1h_max_24h" => format!("{variable}_24h"),
        "8h" => format!("{variable}_8h"),
        "8h_max_day" => format!("{variable}_8h_24h"),
        other => panic!("unexpected averaging {other}"),
    }
}

#[test]
fn beijing_2023_coverage_and_round_trip() {
    let Some(bj) = beijing() else { return };
    let dir = bj.join("2023");
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let out = lantian(&store, &["ingest", "--quiet", dir.to_str().unwrap()]);
    assert!(out.contains("files: 730 read, 0 rejected"), "{out}");

    let mut source = HashMap::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        read_source(&e.unwrap().path(), &mut source);
    }
    // 2024-01-01 hour 0 ends at midnight of 2023-12-31: it belongs to 2023's last natural day.
    // Not in the 2023 folder, so the last day has 23 hours here.

    // --- Coverage cross-check for a few station-days, by an independent count.
    // A natural day D holds the hour-ending stamps D 01:00 .. D+1 00:00, i.e. hours 1..23 of
    // D's file and hour 0 of the next day's file.
    for (station, pollutant, day, next) in [
        ("东城东四", "PM2.5", "20230316", "20230317"),
        ("定陵(对照点)", "O3", "20230701", "20230702"),
        ("房山燕山", "CO", "20231104", "20231105"),
        ("京东南区域点", "SO2", "20230216", "20230217"),
    ] {
        let independent = independent_count(&source, station, pollutant, day, next);
        let cov = day_coverage(&store, station, pollutant, day);
        let row: Vec<&str> = cov.lines().nth(1).unwrap().split(',').collect();
        assert_eq!(row[4], "24", "expected hours of a natural day");
        assert_eq!(
            row[5],
            independent.to_string(),
            "{station} {pollutant} {day}: {cov}"
        );
    }

    // --- Round trip: every value exported equals the value in the source files.
    let csv_path = tmp.path().join("export.csv");
    lantian(
        &store,
        &[
            "export",
            "--source",
            "bjmemc",
            "--out",
            csv_path.to_str().unwrap(),
        ],
    );
    let text = std::fs::read_to_string(&csv_path).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "source,station,time_end,variable,averaging,value,unit,flag,flag_reason,revision,source_file,source_line"
    );
    let mut n = 0;
    for l in lines {
        let f: Vec<&str> = l.split(',').collect();
        // time_end is Beijing time, hour-ending: "2023-01-01T05:00:00+08:00" is file hour 5.
        let t = f[2];
        assert!(t.ends_with(":00:00+08:00"), "{t}");
        let date = t[..10].replace('-', "");
        let hour: u32 = t[11..13].parse().unwrap();
        let key = (f[1].to_string(), type_name(f[3], f[4]), date, hour);
        let want = source
            .get(&key)
            .unwrap_or_else(|| panic!("exported value not in the files: {l}"));
        assert_eq!(
            f[5].parse::<f64>().unwrap(),
            want.parse::<f64>().unwrap(),
            "{l}"
        );
        n += 1;
    }
    assert_eq!(n, source.len(), "every source value exported exactly once");
}

/// Coverage of station-days in the older network (2014–2021) and in files with known quirks
/// (rows out of hour order, ragged rows), cross-checked by an independent count.
#[test]
fn older_years_coverage_matches_the_files() {
    let Some(bj) = beijing() else { return };
    let days = [
        ("2014", "20140116", "20140117"),
        ("2016", "20160724", "20160725"),
        ("2017", "20170101", "20170102"),
        ("2019", "20190601", "20190602"),
    ];
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let mut files = Vec::new();
    for (y, d, n) in days {
        for day in [d, n] {
            for kind in ["all", "extra"] {
                let f = bj.join(y).join(format!("beijing_{kind}_{day}.csv"));
                if f.exists() {
                    files.push(f.to_str().unwrap().to_string());
                }
            }
        }
    }
    let mut args = vec!["ingest", "--quiet"];
    args.extend(files.iter().map(String::as_str));
    lantian(&store, &args);
    let mut source = HashMap::new();
    for f in &files {
        read_source(Path::new(f), &mut source);
    }
    for (_, day, next) in days {
        for (station, pollutant) in [
            ("东四", "PM2.5"),
            ("门头沟", "PM2.5"),
            ("定陵", "NO2"),
            ("东四环", "CO"),
        ] {
            let independent = independent_count(&source, station, pollutant, day, next);
            let cov = day_coverage(&store, station, pollutant, day);
            let valid = cov.lines().nth(1).map_or("0".to_string(), |r| {
                r.split(',').nth(5).unwrap().to_string()
            });
            assert_eq!(
                valid,
                independent.to_string(),
                "{station} {pollutant} {day}: {cov}"
            );
        }
    }
}
