//! `lantian aqi` through the real binary: the calculator's machine output, its errors, and the
//! daily and hourly AQI over a store built from a small fixture written here.

mod common;

use common::lantian;
use std::path::Path;

/// `lantian aqi calc pm25=80 o3_8h=170 --format json EXTRA...`, parsed.
fn calc_json(store: &Path, extra: &[&str]) -> serde_json::Value {
    let args = [
        &["aqi", "calc", "pm25=80", "o3_8h=170", "--format", "json"][..],
        extra,
    ]
    .concat();
    let (ok, out, err) = lantian(store, &args);
    assert!(ok, "{err}");
    serde_json::from_str(&out).unwrap()
}

#[test]
fn calc_json_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let st = dir.path().join("s");
    let v = calc_json(&st, &["--date", "2023-06-01"]);
    // HJ 633—2012 (in force on 2023-06-01): PM2.5 107, O3 8-h 110 → AQI 110, primary O3_8h.
    assert_eq!(v["standard"], "hj633-2012");
    assert_eq!(v["aqi"], 110);
    assert_eq!(v["primary"], serde_json::json!(["o3_8h"]));
    assert_eq!(v["category"]["name_zh"], "轻度污染");
    // The same under the 2026 edition: PM2.5's IAQI-100 breakpoint is 60 → 119.
    let v = calc_json(&st, &["--standard", "hj633-2026"]);
    assert_eq!(
        (v["aqi"].as_i64(), v["primary"][0].as_str()),
        (Some(119), Some("pm25_24h"))
    );
    // Errors name the offending item.
    let (ok, _, err) = lantian(&st, &["aqi", "calc", "pm25=abc"]);
    assert!(!ok && err.contains("'pm25=abc'"), "{err}");
    let (ok, _, err) = lantian(&st, &["aqi", "calc", "xyz=3"]);
    assert!(!ok && err.contains("'xyz'"), "{err}");
    let (ok, _, err) = lantian(&st, &["aqi", "calc", "o3_1h=3", "--standard", "hj633-2026"]);
    assert!(!ok && err.contains("o3_1h"), "{err}");
    let (ok, _, err) = lantian(&st, &["aqi", "calc", "pm25=3", "--standard", "hj633-2030"]);
    assert!(!ok && err.contains("unknown standard"), "{err}");
}

/// One station, constant concentrations from 2023-01-01 24:00 to 2023-01-03 24:00.
fn write_fixture(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for day in ["20230102", "20230103"] {
        let mut all = String::from("date,hour,type,东城东四");
        let mut extra = String::from("date,hour,type,东城东四");
        for h in 0..24 {
            for (t, v) in [("PM2.5", "80"), ("PM10", "100")] {
                all.push_str(&format!("\n{day},{h},{t},{v}"));
            }
            for (t, v) in [("SO2", "10"), ("NO2", "30"), ("CO", "0.8"), ("O3", "100")] {
                extra.push_str(&format!("\n{day},{h},{t},{v}"));
            }
        }
        std::fs::write(dir.join(format!("beijing_all_{day}.csv")), all).unwrap();
        std::fs::write(dir.join(format!("beijing_extra_{day}.csv")), extra).unwrap();
    }
}

#[test]
fn daily_and_hourly_over_the_store() {
    let (_dir, st) = common::store_of(write_fixture);
    let day = [
        "aqi",
        "--station",
        "东城东四",
        "--from",
        "2023-01-02",
        "--to",
        "2023-01-02",
        "--daily",
        "--format",
        "csv",
    ];
    let (ok, out, err) = lantian(&st, &[&day[..], &["--standard", "hj633-2012"]].concat());
    assert!(ok, "{err}");
    let mut rdr = csv::Reader::from_reader(out.as_bytes());
    let head = rdr.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 1, "{out}");
    let get = |name: &str| {
        rows[0][head
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name} in {head:?}"))]
        .to_string()
    };
    // Daily means: PM2.5 80 → 107, PM10 100 → 75, NO2 30 → 37.5 → 38, CO 0.8 → 20, SO2 10 → 10,
    // O3 max 1-h 100 → 31.25 → 32, MDA8 100 → 50.
    assert_eq!(get("aqi"), "107");
    assert_eq!(get("primary"), "PM2.5");
    assert_eq!(get("iaqi_pm10_24h"), "75");
    assert_eq!(get("iaqi_no2_24h"), "38");
    assert_eq!(get("iaqi_co_24h"), "20");
    assert_eq!(get("iaqi_o3_1h"), "32");
    assert_eq!(get("iaqi_o3_8h"), "50");
    assert_eq!(get("category_en"), "Lightly polluted");
    // Under HJ 633—2026: PM2.5 80 → 119, PM10 100 → 85.7 → 86.
    let (ok, out, _) = lantian(&st, &[&day[..], &["--standard", "hj633-2026"]].concat());
    assert!(ok);
    assert!(out.lines().nth(1).unwrap().contains(",119,"), "{out}");
    // Hourly, 2026 rules: every hour of 01-02 has six 1-h values → AQI 119 (PM2.5 1-h on the
    // 24-h table); 24 rows, stamps 01..24.
    let (ok, out, _) = lantian(
        &st,
        &[
            "aqi",
            "--station",
            "东城东四",
            "--from",
            "2023-01-02",
            "--to",
            "2023-01-02",
            "--standard",
            "hj633-2026",
            "--format",
            "csv",
        ],
    );
    assert!(ok);
    let lines: Vec<&str> = out.lines().skip(1).collect();
    assert_eq!(lines.len(), 24, "{out}");
    assert!(
        lines[0].starts_with("东城东四,2023-01-02 01,1,hj633-2026,119,"),
        "{}",
        lines[0]
    );
    assert!(
        lines[23].starts_with("东城东四,2023-01-03 00,"),
        "{}",
        lines[23]
    );
    // The bulletin figures of that day: PM2.5 80 (mean of daily means), CO 0.8 (95th percentile
    // of one value), O3 MDA8 100; one valid day of one, light pollution (AQI 107).
    let (ok, out, err) = lantian(
        &st,
        &[
            "assess",
            "--period",
            "2023-01-02..2023-01-02",
            "--compare",
            "none",
            "--format",
            "json",
        ],
    );
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let stat = |p: &str| {
        v["current"]["stats"]["stats"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["pollutant"] == p)
            .unwrap()
            .clone()
    };
    assert_eq!(stat("PM2.5")["published"], 80.0);
    assert_eq!(stat("CO")["published"], 0.8);
    assert_eq!(stat("O3")["published"], 100.0);
    assert_eq!(stat("PM2.5")["completeness"]["valid"], 1);
    assert_eq!(v["current"]["stations"], serde_json::json!(["东城东四"]));
    assert_eq!(
        v["current"]["days"]["by_level"],
        serde_json::json!([0, 0, 1, 0, 0, 0])
    );
    // No station, no dates: clear errors.
    let (ok, _, err) = lantian(&st, &["aqi", "--from", "2023-01-02", "--to", "2023-01-02"]);
    assert!(!ok && err.contains("--station or --region"), "{err}");
    let (ok, _, err) = lantian(&st, &["aqi", "--station", "东城东四"]);
    assert!(!ok && err.contains("--from and --to"), "{err}");
}
