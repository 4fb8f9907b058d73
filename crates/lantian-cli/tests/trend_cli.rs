//! `lantian trend` through the binary, on a UCI-format file with a planted trend.

mod common;
use common::{lantian, lantian_ok, store_of};

/// Three years (2014–2016) of hourly PM2.5 at one UCI-format station: each month's hours hold
/// 80 − 0.5 m + a seasonal cycle (m = months since January 2014), so the line falls 6 µg/m³ a
/// year on average under a ±30 µg/m³ season.
fn write_station(dir: &std::path::Path) {
    std::fs::create_dir_all(dir).unwrap();
    let cycle = [
        30.0, 20.0, 5.0, -5.0, -15.0, -20.0, -25.0, -20.0, -10.0, 0.0, 15.0, 25.0,
    ];
    let mut s = String::from(
        "\"No\",\"year\",\"month\",\"day\",\"hour\",\"PM2.5\",\"PM10\",\"SO2\",\"NO2\",\"CO\",\"O3\",\"TEMP\",\"PRES\",\"DEWP\",\"RAIN\",\"wd\",\"WSPM\",\"station\"\n",
    );
    let mut no = 1;
    let mut day = chrono::NaiveDate::from_ymd_opt(2014, 1, 1).unwrap();
    while day.format("%Y").to_string() != "2017" {
        use chrono::Datelike;
        let m = (day.year() - 2014) * 12 + day.month0() as i32;
        let v = 80.0 - 0.5 * f64::from(m) + cycle[day.month0() as usize];
        for h in 0..24 {
            s.push_str(&format!(
                "{no},{},{},{},{h},{v},NA,NA,NA,NA,NA,1,1010,-5,0,\"N\",2,\"Testsite\"\n",
                day.year(),
                day.month(),
                day.day()
            ));
            no += 1;
        }
        day = day.succ_opt().unwrap();
    }
    std::fs::write(dir.join("PRSA_Data_Testsite_20140101-20161231.csv"), s).unwrap();
}

fn column(csv: &str, name: &str) -> String {
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    let i = head.iter().position(|h| *h == name).unwrap();
    row[i].to_string()
}

#[test]
fn a_planted_decline_is_found_with_its_significance() {
    let (_dir, st) = store_of(write_station);
    let args = [
        "trend",
        "--station",
        "Testsite",
        "--from",
        "2014-01-01",
        "--to",
        "2016-12-31",
        "--format",
        "csv",
    ];
    let out = lantian_ok(&st, &args);
    assert_eq!(column(&out, "months"), "36");
    assert_eq!(column(&out, "deseasonalised"), "true");
    let slope: f64 = column(&out, "slope_per_year").parse().unwrap();
    assert!((slope - -6.0).abs() < 0.5, "{out}");
    let (lo, hi): (f64, f64) = (
        column(&out, "lower").parse().unwrap(),
        column(&out, "upper").parse().unwrap(),
    );
    assert!(lo <= slope && slope <= hi && hi < 0.0, "{out}");
    assert_eq!(column(&out, "stars"), "***");
    // Seeded: the same command gives the same interval.
    assert_eq!(lantian_ok(&st, &args), out);

    // Raw months: the season is in the data, the slope is still negative but less certain.
    let mut raw = args.to_vec();
    raw.push("--no-deseason");
    let out = lantian_ok(&st, &raw);
    assert_eq!(column(&out, "deseasonalised"), "false");

    // A station with no data gives an empty row, not an error; a bad capture is refused.
    let nowhere: Vec<&str> = args
        .iter()
        .map(|a| if *a == "Testsite" { "Nowhere" } else { a })
        .collect();
    let out = lantian_ok(&st, &nowhere);
    assert_eq!(column(&out, "months"), "");
    let mut bad = args.to_vec();
    bad.extend(["--min-capture", "120"]);
    let (ok, _, err) = lantian(&st, &bad);
    assert!(!ok && err.contains("--min-capture 120"), "{err}");
}
