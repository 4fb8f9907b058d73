//! `lantian assess` through the binary on a small hand-made store: sand-dust deduction (detected
//! and listed), day counts that keep dust days, districts and rankings, targets, `assess annual`.
//! Every expected value is worked by hand in the comments.

mod common;

use common::lantian;
use std::path::Path;

/// Natural days 2023-03-21..23 (hour-ending stamps 01..24) at two stations in two districts,
/// constant within each day. PM2.5 / PM10 by day:
///
/// | day | 东城东四 | 海淀万柳 | city (mean of stations) |
/// |---|---|---|---|
/// | 03-21 | 40 / 60 | 60 / 80 | 50 / 70 |
/// | 03-22 | 80 / 500 | 100 / 600 | 90 / 550 (ratio 0.16: dust) |
/// | 03-23 | 20 / 40 | 30 / 50 | 25 / 45 |
///
/// SO2 5, NO2 30, CO 0.5, O3 80 throughout.
fn write_fixture(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let pm = |station: usize, natural_day: u32| -> (u32, u32) {
        match (station, natural_day) {
            (0, 21) => (40, 60),
            (0, 22) => (80, 500),
            (0, 23) => (20, 40),
            (1, 21) => (60, 80),
            (1, 22) => (100, 600),
            (1, 23) => (30, 50),
            _ => (0, 0),
        }
    };
    // File day D hour h is the stamp D h:00; hour 0 ends natural day D − 1.
    for file_day in 21..=24u32 {
        let d = format!("202303{file_day}");
        let mut all = String::from("date,hour,type,东城东四,海淀万柳");
        let mut extra = String::from("date,hour,type,东城东四,海淀万柳");
        for h in 0..24 {
            let nd = if h == 0 { file_day - 1 } else { file_day };
            if !(21..=23).contains(&nd) {
                continue;
            }
            let (a25, a10) = pm(0, nd);
            let (b25, b10) = pm(1, nd);
            all.push_str(&format!(
                "\n{d},{h},PM2.5,{a25},{b25}\n{d},{h},PM10,{a10},{b10}"
            ));
            for (t, v) in [("SO2", "5"), ("NO2", "30"), ("CO", "0.5"), ("O3", "80")] {
                extra.push_str(&format!("\n{d},{h},{t},{v},{v}"));
            }
        }
        std::fs::write(dir.join(format!("beijing_all_{d}.csv")), all).unwrap();
        std::fs::write(dir.join(format!("beijing_extra_{d}.csv")), extra).unwrap();
    }
}

fn store() -> (tempfile::TempDir, std::path::PathBuf) {
    common::store_of(write_fixture)
}

const PERIOD: [&str; 4] = ["--period", "2023-03-21..2023-03-23", "--compare", "none"];

fn json(st: &Path, extra: &[&str]) -> serde_json::Value {
    let (ok, out, err) = lantian(
        st,
        &[&["assess"], &PERIOD[..], extra, &["--format", "json"]].concat(),
    );
    assert!(ok, "{err}");
    serde_json::from_str(&out).unwrap()
}

fn published(stats: &serde_json::Value, pollutant: &str) -> serde_json::Value {
    stats["stats"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["pollutant"] == pollutant)
        .unwrap()["published"]
        .clone()
}

#[test]
fn dust_deduction_days_districts_targets_and_annual() {
    let (dir, st) = store();

    // Detected: 03-22 (city PM10 550 > 150, PM2.5/PM10 = 0.164 ≤ 0.35).
    let v = json(&st, &[]);
    assert_eq!(v["sand_dust"]["days"], serde_json::json!(["2023-03-22"]));
    assert_eq!(v["sand_dust"]["source"], "Detected");
    let cur = &v["current"];
    // Deducted PM2.5 (50 + 25) / 2 = 37.5 → 38 (half to even); PM10 (70 + 45) / 2 = 57.5 → 58.
    assert_eq!(published(&cur["stats"], "PM2.5"), 38.0);
    assert_eq!(published(&cur["stats"], "PM10"), 58.0);
    // Without the deduction: (50 + 90 + 25) / 3 = 55; PM10 (70 + 550 + 45) / 3 = 221.7 → 222.
    assert_eq!(published(&cur["stats_undeducted"], "PM2.5"), 55.0);
    assert_eq!(published(&cur["stats_undeducted"], "PM10"), 222.0);
    // The dust day is set aside, not missing: PM2.5 valid 2, excluded 1.
    let pm25 = &cur["stats"]["stats"][3];
    assert_eq!(pm25["pollutant"], "PM2.5");
    assert_eq!(
        (
            pm25["completeness"]["valid"].clone(),
            pm25["completeness"]["excluded"].clone()
        ),
        (2.into(), 1.into())
    );
    // All three days have the six daily values.
    assert_eq!(cur["days"]["partial"], 0);
    // NO2 is not deducted: 30 on all three days.
    assert_eq!(cur["stats"]["stats"][1]["completeness"]["valid"], 3);
    // Day counts keep the dust day: 03-21 AQI 69 (PM2.5 50 → 68.75 → 69, good), 03-22 AQI 450
    // (PM10 550, severe), 03-23 AQI 45 (PM10 45, excellent).
    assert_eq!(
        cur["days"]["by_level"],
        serde_json::json!([1, 1, 0, 0, 0, 1])
    );
    assert_eq!(cur["days"]["heavy"], 1);
    assert_eq!(cur["days"]["excellent_or_good_ratio"], 66.7);
    // Left out: 2 valid days, both excellent or good.
    let w = &cur["days_without_dust_days"];
    assert_eq!(
        (w["valid"].clone(), w["heavy"].clone()),
        (2.into(), 0.into())
    );
    assert_eq!(w["excellent_or_good_ratio"], 100.0);

    // No deduction: the concentrations are the undeducted ones.
    let v = json(&st, &["--dust", "none"]);
    assert!(v["sand_dust"].is_null());
    assert_eq!(published(&v["current"]["stats"], "PM2.5"), 55.0);

    // An official list wins over detection: only 03-23 → PM2.5 (50 + 90) / 2 = 70.
    let list = dir.path().join("dust.txt");
    std::fs::write(&list, "# official\n2023-03-23  strong dust\n").unwrap();
    let v = json(&st, &["--dust-days", list.to_str().unwrap()]);
    assert_eq!(v["sand_dust"]["days"], serde_json::json!(["2023-03-23"]));
    assert_eq!(published(&v["current"]["stats"], "PM2.5"), 70.0);
    // A bad list names the file, line and field.
    std::fs::write(&list, "2023-03-22\n2023-03-32\n").unwrap();
    let (ok, _, err) = lantian(
        &st,
        &[
            &["assess"],
            &PERIOD[..],
            &["--dust-days", list.to_str().unwrap()],
        ]
        .concat(),
    );
    assert!(
        !ok && err.contains("line 2, field `date`") && err.contains("dust.txt"),
        "{err}"
    );

    // Target PM2.5 ≤ 30 for 2023: 2 valid (deducted) days summing 75 by 03-23, 283 days left:
    // R = (30.5 × 285 − 75) / 283 = 30.4505…
    let v = json(&st, &["--target", "PM2.5=30", "--target", "good-days=280"]);
    let t = &v["targets"][0];
    assert_eq!(
        (t["valid_days"].clone(), t["days_left"].clone()),
        (2.into(), 283.into())
    );
    assert!((t["required_mean"].as_f64().unwrap() - 8617.5 / 283.0).abs() < 1e-9);
    assert_eq!(t["status"], "Reachable");
    // Good days so far 2 (dust day kept and severe): 278 more needed in 283 days.
    assert_eq!(v["targets"][1]["needed"], 278);
    let (ok, _, err) = lantian(
        &st,
        &[&["assess"], &PERIOD[..], &["--target", "O3=160"]].concat(),
    );
    assert!(!ok && err.contains("no mean target"), "{err}");

    // By district: 东城 (30 + 20... deducted (40 + 20) / 2 = 30) ranks before 海淀 ((60 + 30) / 2 = 45).
    let (ok, out, err) = lantian(
        &st,
        &[
            &["assess"],
            &PERIOD[..],
            &["--by", "district", "--format", "csv"],
        ]
        .concat(),
    );
    assert!(ok, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[1].starts_with("东城区,1,30,2,"), "{}", lines[1]);
    assert!(lines[2].starts_with("海淀区,1,45,2,"), "{}", lines[2]);
    assert!(lines[1].ends_with(",1,1,-"), "{}", lines[1]);

    // Annual rows: both stations and the city, no deduction (as asked).
    let (ok, out, err) = lantian(
        &st,
        &[
            "assess", "annual", "--from", "2023", "--to", "2023", "--dust", "none",
        ],
    );
    assert!(ok, "{err}");
    let mut rdr = csv::Reader::from_reader(out.as_bytes());
    let head = rdr.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 3, "{out}");
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let city = rows.iter().find(|r| &r[1] == "city:beijing").unwrap();
    assert_eq!(&city[col("pm25_mean_published")], "55");
    assert_eq!(&city[col("pm25_mean_valid_days")], "3");
    assert_eq!(&city[col("pm25_mean_rule_met")], "false");
    assert_eq!(&city[col("stations")], "2");
    // A year has 365 days; 3 valid: the annual rule (324) fails but the figure is still given.
    let dongsi = rows.iter().find(|r| &r[1] == "东城东四").unwrap();
    assert_eq!(&dongsi[col("pm25_mean")], &(140.0f64 / 3.0).to_string());
    assert_eq!(&dongsi[col("severely")], "1");
}
