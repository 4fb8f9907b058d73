//! The national pipeline through the binary, on a small generated network: `lantian generate`,
//! `ingest`, `aqi --all-stations --cnemc --out`, `assess annual --region all --cities`.

mod common;

use common::{lantian, lantian_ok};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::RowAccessor;
use std::collections::HashMap;
use std::path::Path;

/// `lantian generate` into `data`: 40 stations in 6 cities, 2023-01-01..03 (natural days
/// 01-01 01:00 .. 01-03 24:00 lack only the first day's 00:00 stamp, which belongs to
/// 2022-12-31).
fn generate_into(dir: &Path, data: &Path) -> String {
    lantian_ok(
        &dir.join("unused-store"),
        &[
            "generate",
            "--out",
            data.to_str().unwrap(),
            "--start",
            "2023-01-01",
            "--days",
            "3",
            "--stations",
            "40",
            "--cities",
            "6",
            "--seed",
            "9",
            "--quiet",
        ],
    )
}

fn generated(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let data = dir.join("gen");
    let reg = dir.join("gen-stations.csv");
    let out = generate_into(dir, &data);
    assert!(out.starts_with("wrote 3 files"), "{out}");
    assert!(reg.is_file(), "the registry is written beside the folder");
    (data, reg)
}

#[test]
fn generated_days_ingest_and_their_aqi_is_the_files_aqi() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, _) = generated(tmp.path());
    let st = tmp.path().join("s");
    lantian_ok(&st, &["ingest", "--quiet", data.to_str().unwrap()]);
    // Generated twice with the same seed: the same bytes.
    let again = tmp.path().join("again");
    generate_into(tmp.path(), &again);
    for f in std::fs::read_dir(&data).unwrap() {
        let f = f.unwrap().path();
        let name = f.file_name().unwrap();
        assert_eq!(
            std::fs::read(&f).unwrap(),
            std::fs::read(again.join(name)).unwrap()
        );
    }

    let out = tmp.path().join("aqi.parquet");
    let (ok, _, err) = lantian(
        &st,
        &[
            "aqi",
            "--all-stations",
            "--cnemc",
            "--from",
            "2023-01-01",
            "--to",
            "2023-01-03",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(ok, "{err}");
    let reader = SerializedFileReader::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut ours: HashMap<(String, i64), i64> = HashMap::new();
    for row in reader.get_row_iter(None).unwrap() {
        let row = row.unwrap();
        let station = row.get_string(0).unwrap().clone();
        let t = row.get_timestamp_micros(1).unwrap();
        ours.insert((station, t), row.get_short(2).unwrap() as i64);
    }
    assert!(
        err.contains(&format!("wrote {} station-hours", ours.len())),
        "{err}"
    );
    // The files' AQI column (the generator's, from the same 1-h values), from the store.
    let csv = lantian_ok(
        &st,
        &[
            "sql",
            "SELECT station, CAST(to_unixtime(time_end) AS BIGINT) AS t, value FROM current WHERE variable = 'AQI' AND flag = 'ok'",
            "--format",
            "csv",
        ],
    );
    let (mut same, mut compared) = (0, 0);
    for l in csv.lines().skip(1) {
        let f: Vec<&str> = l.split(',').collect();
        let t: i64 = f[1].parse::<i64>().unwrap() * 1_000_000;
        let key = (f[0].to_string(), t);
        // The stamp 2023-01-01 00:00 (Beijing; 2022-12-31 16:00 UTC) ends natural day
        // 2022-12-31, outside --from.
        if t <= 1_672_502_400_000_000 {
            continue;
        }
        compared += 1;
        let published: f64 = f[2].parse().unwrap();
        if ours.get(&key) == Some(&(published as i64)) {
            same += 1;
        }
    }
    assert!(compared > 2000, "compared {compared}");
    assert_eq!(same, compared, "every published AQI recomputed");
}

#[test]
fn a_city_of_one_station_is_that_station_and_one_city_of_all_is_the_region() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, reg) = generated(tmp.path());
    let st = tmp.path().join("s");
    lantian_ok(&st, &["ingest", "--quiet", data.to_str().unwrap()]);
    // A registry of our own: station 0 alone in "甲", every other station in "乙".
    let text = std::fs::read_to_string(&reg).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let codes: Vec<String> = lines[1..]
        .iter()
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect();
    for (i, l) in lines.iter_mut().enumerate().skip(1) {
        let mut f: Vec<String> = l.split(',').map(String::from).collect();
        f[3] = if i == 1 { "甲".into() } else { "乙".into() };
        *l = f.join(",");
    }
    let reg2 = tmp.path().join("two.csv");
    std::fs::write(&reg2, lines.join("\n") + "\n").unwrap();
    let out = tmp.path().join("annual.csv");
    let run = |registry: &Path, out: &Path| {
        lantian_ok(
            &st,
            &[
                "--registry",
                registry.to_str().unwrap(),
                "assess",
                "annual",
                "--from",
                "2023",
                "--to",
                "2023",
                "--region",
                "all",
                "--cities",
                "--dust",
                "none",
                "--out",
                out.to_str().unwrap(),
            ],
        );
        std::fs::read_to_string(out).unwrap()
    };
    let csv = run(&reg2, &out);
    let rows: HashMap<String, Vec<String>> = csv
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<String> = l.split(',').map(String::from).collect();
            (f[1].clone(), f)
        })
        .collect();
    let station_rows = rows.keys().filter(|k| codes.contains(k)).count();
    assert!(station_rows >= 30, "{station_rows} station rows");
    let a = &rows["area:甲"];
    let s0 = &rows[&codes[0]];
    assert_eq!(a[2..], s0[2..], "a one-station city is its station");
    // With every station in one area, the area is the region.
    let mut one = lines.clone();
    for l in one.iter_mut().skip(1) {
        let mut f: Vec<String> = l.split(',').map(String::from).collect();
        f[3] = "丙".into();
        *l = f.join(",");
    }
    let reg1 = tmp.path().join("one.csv");
    std::fs::write(&reg1, one.join("\n") + "\n").unwrap();
    let csv = run(&reg1, &tmp.path().join("annual1.csv"));
    let row = |name: &str| {
        csv.lines()
            .find(|l| l.split(',').nth(1) == Some(name))
            .unwrap_or_else(|| panic!("no row {name} in\n{csv}"))
            .split(',')
            .skip(2)
            .map(String::from)
            .collect::<Vec<_>>()
    };
    assert_eq!(row("area:丙"), row("city:all"));
}

#[test]
fn all_stations_needs_an_output_file() {
    let tmp = tempfile::tempdir().unwrap();
    let (ok, _, err) = lantian(
        &tmp.path().join("s"),
        &[
            "aqi",
            "--all-stations",
            "--from",
            "2023-01-01",
            "--to",
            "2023-01-02",
        ],
    );
    assert!(!ok);
    assert!(err.contains("give --out FILE"), "{err}");
}
