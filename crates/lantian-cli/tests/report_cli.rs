//! `lantian report` and `lantian plot` through the binary on a small hand-made store: every
//! figure of the report equals `lantian assess`'s for the same query, in both languages and in
//! Markdown, HTML and JSON; the PDF renders with Chinese fonts; each chart comes out as SVG and
//! PNG; bad input is refused with its reason.

mod common;

use chrono::{Datelike, NaiveDate};
use common::bulletin::{
    assert_page_one_not_blank, check_en_markdown, check_html, check_zh_markdown,
};
use common::{lantian, lantian_ok};
use std::path::Path;

/// January 2022 and January 2023 at 东城东四 (东城区) and 海淀万柳 (海淀区), constant within each
/// natural day (hour-ending stamps 01..24). PM2.5 at 东四 on day d: 20 + 3·(d mod 10) in 2023,
/// 10 more in 2022; 万柳 has 8 more than 东四. PM10 = 1.5 × PM2.5, except on 2023-01-20, a
/// sand-dust day (PM2.5 90 / PM10 600 at both). SO2 5, NO2 30, CO 0.5, O3 60 throughout;
/// 2023-01-25 has no PM at 万柳 (a gap).
fn write_fixture(dir: &Path) {
    write_januaries(dir, &[2022, 2023]);
}

/// The fixture's Januaries of `years` (a year other than 2022 and 2023 has 2023's pattern
/// without its sand-dust day and gap).
fn write_januaries(dir: &Path, years: &[i32]) {
    std::fs::create_dir_all(dir).unwrap();
    let pm = |station: usize, d: NaiveDate| -> Option<(f64, f64)> {
        if d.year() == 2023 && d.day() == 20 {
            return Some((90.0, 600.0));
        }
        if station == 1 && d == NaiveDate::from_ymd_opt(2023, 1, 25).unwrap() {
            return None;
        }
        let base = 20.0 + 3.0 * (d.day() % 10) as f64 + if d.year() == 2022 { 10.0 } else { 0.0 };
        let v = base + if station == 1 { 8.0 } else { 0.0 };
        Some((v, v * 1.5))
    };
    for &year in years {
        // File days 1..=32 (the 1 February file holds hour 0, ending 31 January).
        for k in 0..32u32 {
            let fd =
                NaiveDate::from_ymd_opt(year, 1, 1).unwrap() + chrono::Duration::days(k as i64);
            let d = fd.format("%Y%m%d").to_string();
            let mut all = String::from("date,hour,type,东城东四,海淀万柳");
            let mut extra = String::from("date,hour,type,东城东四,海淀万柳");
            for h in 0..24 {
                let nd = if h == 0 { fd.pred_opt().unwrap() } else { fd };
                if nd.year() != year || nd.month() != 1 {
                    continue;
                }
                let cell = |s: usize, i: usize| {
                    pm(s, nd)
                        .map(|v| format!("{}", if i == 0 { v.0 } else { v.1 }))
                        .unwrap_or_default()
                };
                all.push_str(&format!(
                    "\n{d},{h},PM2.5,{},{}\n{d},{h},PM10,{},{}",
                    cell(0, 0),
                    cell(1, 0),
                    cell(0, 1),
                    cell(1, 1)
                ));
                for (t, v) in [("SO2", "5"), ("NO2", "30"), ("CO", "0.5"), ("O3", "60")] {
                    extra.push_str(&format!("\n{d},{h},{t},{v},{v}"));
                }
            }
            std::fs::write(dir.join(format!("beijing_all_{d}.csv")), all).unwrap();
            std::fs::write(dir.join(format!("beijing_extra_{d}.csv")), extra).unwrap();
        }
    }
}

const SQUARES: &str = r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"name":"东城区"},"geometry":{"type":"Polygon","coordinates":[[[116.40,39.90],[116.45,39.90],[116.45,39.95],[116.40,39.95],[116.40,39.90]]]}},
 {"type":"Feature","properties":{"name":"海淀区"},"geometry":{"type":"Polygon","coordinates":[[[116.20,39.95],[116.35,39.95],[116.35,40.10],[116.20,40.10],[116.20,39.95]]]}}]}"#;

fn json(st: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&lantian_ok(st, args)).unwrap()
}

#[test]
fn every_figure_equals_the_engines_in_both_languages_and_all_formats() {
    let (dir, st) = common::store_of(write_fixture);
    let q: &[&str] = &["--period", "2023-01"];
    let city = json(
        &st,
        &[
            &["assess"],
            q,
            &["--target", "PM2.5=35", "--format", "json"],
        ]
        .concat(),
    );
    let districts = json(
        &st,
        &[&["assess"], q, &["--by", "district", "--format", "json"]].concat(),
    );
    // The fixture worked by hand: 2023-01 city PM2.5 without the dust day. Each station-day
    // mean of the city is 24 + 3·(d mod 10) (mean of 东四 and 万柳), but on the 25th only 东四
    // (20 + 15 = 35); 30 days without the 20th: Σ(24 + 3·(d mod 10)) over d ≠ 20 minus the
    // 25th's 4 → published value below.
    let pm = city["current"]["stats"]["stats"][3]["published"]
        .as_f64()
        .unwrap();
    let by_hand: f64 = {
        let days: Vec<f64> = (1..=31)
            .filter(|d| *d != 20)
            .map(|d| {
                let a = 20.0 + 3.0 * (d % 10) as f64;
                if d == 25 { a } else { (a + a + 8.0) / 2.0 }
            })
            .collect();
        (days.iter().sum::<f64>() / days.len() as f64).round()
    };
    assert_eq!(pm, by_hand);
    assert_eq!(city["sand_dust"]["days"], serde_json::json!(["2023-01-20"]));

    let out = dir.path().join("r");
    std::fs::create_dir_all(&out).unwrap();
    let path = |n: &str| out.join(n).to_str().unwrap().to_string();
    let geo = dir.path().join("squares.json");
    std::fs::write(&geo, SQUARES).unwrap();
    let geo = geo.to_str().unwrap();
    let report = |lang: &str, format: &str, file: &str| {
        lantian_ok(
            &st,
            &[
                &["report"],
                q,
                &["--target", "PM2.5=35", "--lang", lang, "--format", format],
                &["--geojson", geo, "--out", &path(file)],
            ]
            .concat(),
        );
        std::fs::read(out.join(file)).unwrap()
    };
    let en = String::from_utf8(report("en", "md", "en.md")).unwrap();
    check_en_markdown(&en, &city, &districts);
    // Both Januaries are complete: no caution about the comparison.
    assert!(!en.contains("Caution"), "{en}");
    let zh = String::from_utf8(report("zh", "md", "zh.md")).unwrap();
    check_zh_markdown(&zh, &en, &city);
    assert!(zh.contains("# 北京市2023年1月空气质量状况"), "{zh}");
    assert!(zh.contains("PM2.5月均浓度为"));
    // Markdown charts are files beside the report.
    for c in ["calendar", "monthly", "map", "timeseries", "variation"] {
        assert!(en.contains(&format!("](en-charts/{c}.svg)")), "{c}");
        assert!(
            out.join("en-charts").join(format!("{c}.svg")).exists(),
            "{c}"
        );
    }
    let html = String::from_utf8(report("en", "html", "en.html")).unwrap();
    check_html(&html, &en);
    assert_eq!(
        html.matches("<svg").count(),
        5,
        "five inline charts (no trend: one month a year)"
    );
    let html_zh = String::from_utf8(report("zh", "html", "zh.html")).unwrap();
    check_html(&html_zh, &zh);

    // The JSON figures are the engine's: the same current and baseline assessment as `assess`.
    let b: serde_json::Value = serde_json::from_slice(&report("en", "json", "b.json")).unwrap();
    assert_eq!(b["current"], city["current"]);
    assert_eq!(b["baseline"], city["baseline"]);
    assert_eq!(b["targets"], city["targets"]);
    assert_eq!(b["calendar"].as_array().unwrap().len(), 31);
    // The calendar's classes are the day counts.
    for level in 1..=6u64 {
        let n = b["calendar"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["level"] == level)
            .count();
        assert_eq!(
            n as u64,
            city["current"]["days"]["by_level"][level as usize - 1]
                .as_u64()
                .unwrap()
        );
    }
    // Monthly pair for January: this year's published PM2.5 and last year's.
    assert_eq!(
        b["monthly"][0]["current"],
        city["current"]["stats"]["stats"][3]["published"]
    );
    assert_eq!(
        b["monthly"][0]["baseline"],
        city["baseline"]["stats"]["stats"][3]["published"]
    );

    // PDF: page one rendered is not blank, and the Chinese is set in a CJK font.
    if which("pdftoppm") && which("pdffonts") {
        let pdf = report("zh", "pdf", "zh.pdf");
        assert!(pdf.starts_with(b"%PDF-"));
        assert_page_one_not_blank(&out.join("zh.pdf"));
        let fonts = run("pdffonts", &[&path("zh.pdf")]);
        assert!(fonts.contains("CJK"), "no CJK font embedded: {fonts}");
        if which("pdftotext") {
            let text = run("pdftotext", &["-layout", &path("zh.pdf"), "-"]);
            assert!(
                text.contains("空气质量状况") && text.contains("同比"),
                "{text}"
            );
        }
        report("en", "pdf", "en.pdf");
        assert_page_one_not_blank(&out.join("en.pdf"));
    } else {
        eprintln!(
            "skipped the PDF rendering check: pdftoppm/pdffonts not installed (poppler-utils)"
        );
    }

    // Each chart alone, SVG and PNG.
    for c in ["calendar", "monthly", "map", "timeseries", "variation"] {
        for ext in ["svg", "png"] {
            let f = path(&format!("{c}.{ext}"));
            lantian_ok(
                &st,
                &[
                    &["plot", c],
                    q,
                    &["--geojson", geo, "--lang", "zh", "--out", &f],
                ]
                .concat(),
            );
            let bytes = std::fs::read(&f).unwrap();
            match ext {
                "svg" => assert!(String::from_utf8(bytes).unwrap().contains("<svg")),
                _ => assert!(bytes.starts_with(b"\x89PNG")),
            }
        }
    }
}

#[test]
fn the_weather_normalised_change_comes_from_lantian_attribute() {
    let (dir, st) = common::store_of(write_fixture);
    // Hourly weather for both Januaries (local, hour-beginning): wind and temperature.
    let mut w = String::from("time,ws,temp");
    for year in [2022, 2023] {
        for day in 1..=31 {
            for h in 0..24 {
                let ws = 1.0 + ((day * 7 + h) % 5) as f64;
                w.push_str(&format!("\n{year}-01-{day:02} {h:02}:00,{ws},{}", h - 5));
            }
        }
    }
    let wf = dir.path().join("weather.csv");
    std::fs::write(&wf, w).unwrap();
    let att = lantian_ok(
        &st,
        &[
            "attribute",
            "--station",
            "东城东四",
            "--from",
            "2022-01-01",
            "--to",
            "2023-01-31",
            "--weather-csv",
            wf.to_str().unwrap(),
            "--base",
            "2022-01",
            "--compare",
            "2023-01",
            "--trees",
            "20",
            "--resamples",
            "20",
            "--models",
            "2",
            "--quiet",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&att).unwrap();
    let af = dir.path().join("att.json");
    std::fs::write(&af, &att).unwrap();
    let af = af.to_str().unwrap();
    let b: serde_json::Value = serde_json::from_str(&lantian_ok(
        &st,
        &[
            "report",
            "--period",
            "2023-01",
            "--format",
            "json",
            "--attribution",
            af,
        ],
    ))
    .unwrap();
    let d = &b["deweathered"];
    let at = &v["attribution"];
    assert_eq!(d["emission_percent"], at["emission"]["points"]);
    assert_eq!(d["weather_percent_upper"], at["weather"]["points_upper"]);
    assert_eq!(d["observed_percent"], at["observed_percent"]);
    assert_eq!(d["model_r2"], v["model"]["r2_test"]);
    let md = lantian_ok(
        &st,
        &[
            "report",
            "--period",
            "2023-01",
            "--lang",
            "en",
            "--attribution",
            af,
        ],
    );
    let p = |x: &serde_json::Value| format!("{:+.1}", x.as_f64().unwrap());
    assert!(
        md.contains(&format!(
            "changed by {}% year on year (95% interval {}% to {}%)",
            p(&at["emission"]["points"]),
            p(&at["emission"]["points_lower"]),
            p(&at["emission"]["points_upper"])
        )),
        "{md}"
    );
    // An attribution of other periods is refused, naming both.
    let (ok, _, err) = lantian(&st, &["report", "--period", "2023-H1", "--attribution", af]);
    assert!(
        !ok && err.contains("compares 2022-01-01..2022-01-31 with 2023-01-01..2023-01-31"),
        "{err}"
    );
}

#[test]
fn a_baseline_without_data_is_no_comparison() {
    let (_dir, st) = common::store_of(write_fixture);
    // January 2021 is not in the store: no change is claimed against it.
    let md = lantian_ok(
        &st,
        &[
            "report",
            "--period",
            "2022-01",
            "--lang",
            "en",
            "--trend-years",
            "0",
        ],
    );
    let lead = md.lines().find(|l| l.starts_with("**In ")).unwrap();
    assert!(
        !lead.contains("year on year") && !lead.contains("than a year earlier"),
        "{lead}"
    );
    let v: serde_json::Value = serde_json::from_str(&lantian_ok(
        &st,
        &["assess", "--period", "2022-01", "--format", "json"],
    ))
    .unwrap();
    assert!(v["baseline"].is_null(), "{}", v["baseline"]);
}

#[test]
fn bad_requests_are_refused_with_their_reason() {
    let (dir, st) = common::store_of(write_fixture);
    let (ok, _, err) = lantian(&st, &["report", "--period", "2023-01", "--format", "pdf"]);
    assert!(!ok && err.contains("--format pdf needs --out"), "{err}");
    let (ok, _, err) = lantian(&st, &["report", "--period", "2023-13"]);
    assert!(!ok && err.contains("'2023-13' is not a period"), "{err}");
    let (ok, _, err) = lantian(&st, &["report", "--period", "2023-01", "--region", "火星"]);
    assert!(!ok && err.contains("--region '火星'"), "{err}");
    let (ok, _, err) = lantian(&st, &["report", "--period", "2019-01"]);
    assert!(!ok && err.contains("no 1-h data"), "{err}");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"adcode":1},"geometry":null}]}"#).unwrap();
    let (ok, _, err) = lantian(
        &st,
        &[
            "plot",
            "map",
            "--period",
            "2023-01",
            "--geojson",
            bad.to_str().unwrap(),
        ],
    );
    assert!(
        !ok && err.contains("bad.json") && err.contains("feature 0"),
        "{err}"
    );
    let (ok, _, err) = lantian(&st, &["plot", "trend", "--period", "2023-01"]);
    assert!(!ok && err.contains("no Trend chart"), "{err}");
}

fn which(tool: &str) -> bool {
    std::process::Command::new(tool).arg("-v").output().is_ok()
}

fn run(tool: &str, args: &[&str]) -> String {
    let o = std::process::Command::new(tool)
        .args(args)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A market's books and green electricity for 2023 (the books of `carbon_cli.rs`, by hand): 3
/// units, 13,000 t verified, 1 compliant of 2 verified (50 %), 245 t of offsets counted and 15
/// refused; 4,000 of 15,000 MWh green, 2,281.2 t avoided at 0.5703 t/MWh.
fn write_climate(dir: &Path) -> [String; 3] {
    let files = [
        (
            "books.csv",
            "unit,name,year,direct_t,indirect_t,emissions,free_allocation_t,auctioned_t,surrendered_t\n\
             U1,Plant,2023,3000,2000,5000,4800,100,4750\nU2,Mall,2023,1000,3999,Not Reported,,,100\n\
             U3,Depot,2023,8000,0,8000,9000,,9000\n",
        ),
        (
            "surrenders.csv",
            "unit,year,kind,origin,vintage,project,tonnes\nU1,2023,ccer,in-region,2022,a,200\n\
             U1,2023,ccer,Hebei,2022,b,60\n",
        ),
        (
            "power.csv",
            "unit,year,consumption_mwh,green_mwh\nU1,2023,10000,4000\nU2,2023,5000,0\n",
        ),
    ];
    files.map(|(name, text)| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    })
}

#[test]
fn the_climate_section_from_a_markets_books() {
    let (dir, st) = common::store_of(write_fixture);
    let [books, surrenders, power] = write_climate(dir.path());
    let climate: Vec<&str> = vec![
        "--carbon-books",
        &books,
        "--carbon-surrenders",
        &surrenders,
        "--electricity",
        &power,
        "--green-plan",
        "2022:1000:2025:13000",
        "--trend-years",
        "0",
    ];
    let mut args = vec!["report", "--period", "2023-01"];
    args.extend(&climate);
    let zh = lantian_ok(&st, &args);
    assert!(zh.contains("## 应对气候变化"), "{zh}");
    assert!(
        zh.contains("2023年，北京市碳排放权交易市场纳入单位3家，核查排放量1.30万吨二氧化碳；已核查的2家中1家足额清缴、1家未足额清缴（缺口5吨），履约率50.0%；1家未按期报告排放。"),
        "{zh}"
    );
    assert!(
        zh.contains("通过市场购买绿色电力400.0万千瓦时，占用电量的26.7%"),
        "{zh}"
    );
    assert!(
        zh.contains("绿电消费计划完成25.0%（按进度应完成33.3%）"),
        "{zh}"
    );
    args.extend(["--lang", "en", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&lantian_ok(&st, &args)).unwrap();
    let c = &v["climate"];
    assert_eq!(
        (c["units"].as_u64(), c["compliance_pct"].as_f64()),
        (Some(3), Some(50.0))
    );
    assert_eq!(
        (
            c["offsets_counted_t"].as_f64(),
            c["offsets_refused_t"].as_f64()
        ),
        (Some(245.0), Some(15.0))
    );
    assert!((c["green"]["avoided_t"].as_f64().unwrap() - 2_281.2).abs() < 1e-6);
    assert!(
        c["unconfirmed"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u == "grid emission factor")
    );
    // Without books, no section and no field.
    let plain: serde_json::Value = serde_json::from_str(&lantian_ok(
        &st,
        &[
            "report",
            "--period",
            "2023-01",
            "--format",
            "json",
            "--trend-years",
            "0",
        ],
    ))
    .unwrap();
    assert!(plain.get("climate").is_none());
    // Books without the year, a bad row, and electricity without books are refused by name.
    let (ok, _, err) = lantian(
        &st,
        &["report", "--period", "2022-01", "--carbon-books", &books],
    );
    assert!(
        !ok && err.contains("books.csv: no unit has books for 2022"),
        "{err}"
    );
    std::fs::write(
        dir.path().join("bad.csv"),
        "unit,year,emissions\nU1,2023,-1\n",
    )
    .unwrap();
    let bad = dir.path().join("bad.csv").display().to_string();
    let (ok, _, err) = lantian(
        &st,
        &["report", "--period", "2023-01", "--carbon-books", &bad],
    );
    assert!(
        !ok && err.contains("1 not read, the first: bad.csv:2: emissions: negative"),
        "{err}"
    );
    let (ok, _, err) = lantian(
        &st,
        &["report", "--period", "2023-01", "--electricity", &power],
    );
    assert!(!ok && err.contains("--carbon-books"), "{err}");
}

#[test]
fn the_water_section_from_sections_and_readings() {
    let (dir, st) = common::store_of(write_fixture);
    let water = dir.path().join("water");
    let w = water.display().to_string();
    lantian_ok(
        &st,
        &[
            "water",
            "generate",
            "--out",
            &w,
            "--years",
            "2022,2023",
            "--seed",
            "3",
        ],
    );
    let sections = water.join("sections.csv").display().to_string();
    let args = |extra: &[&'static str]| -> Vec<String> {
        let mut a: Vec<String> = [
            "report",
            "--period",
            "2023-01",
            "--trend-years",
            "0",
            "--water-sections",
            &sections,
            "--water-readings",
            &w,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let run = |extra: &[&'static str]| {
        let a = args(extra);
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        lantian_ok(&st, &refs)
    };
    // The section's figures are the assessment's.
    let assessed: serde_json::Value = serde_json::from_str(&lantian_ok(
        &st,
        &[
            "water",
            "assess",
            "--sections",
            &sections,
            "--readings",
            &w,
            "--period",
            "2023-01",
            "--format",
            "json",
        ],
    ))
    .unwrap();
    let all = assessed["grades"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["level"] == "all")
        .unwrap()
        .clone();
    let v: serde_json::Value = serde_json::from_str(&run(&["--format", "json"])).unwrap();
    let f = &v["water"];
    assert_eq!(f["period"], "2023-01");
    assert_eq!(f["class_counts"], assessed["class_counts"]);
    assert_eq!(f["good_pct"], all["good_pct"]);
    assert_eq!(f["previous_period"], "2022-01");
    assert_eq!(f["change_zh"], assessed["change"]["change_zh"]);
    assert_eq!(f["points"].as_array().unwrap().len(), 36);
    assert!(f["compensation"]["total_cny"].as_f64().unwrap() > 0.0);
    // Chinese and English text, the map in the HTML.
    let zh = run(&[]);
    assert!(zh.contains("## 碧水：地表水环境质量"), "{zh}");
    let good = all["good_pct"].as_f64().unwrap();
    assert!(zh.contains(&format!("Ⅰ～Ⅲ类水质断面占{good:.1}%")), "{zh}");
    assert!(zh.contains("与2022-01相比"), "{zh}");
    let en = run(&["--lang", "en"]);
    assert!(en.contains("## Clear water: surface-water quality"), "{en}");
    assert!(
        en.contains(&format!("{good:.1} % were in classes I–III")),
        "{en}"
    );
    let html = run(&["--format", "html", "--lang", "en"]);
    assert!(html.contains("Sections by water class"), "no water map");
    // A period that is not a month, quarter, half or year has no water class.
    let a = args(&[]);
    let mut refs: Vec<&str> = a.iter().map(String::as_str).collect();
    refs[2] = "2023-01-01..2023-01-20";
    let (ok, _, err) = lantian(&st, &refs);
    assert!(
        !ok && err.contains("the water section needs a month"),
        "{err}"
    );
}

/// The numbers of a text, as written ("90.8%" gives "90.8"), in order.
fn numbers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let decimal_point =
            c == '.' && !cur.is_empty() && chars.peek().is_some_and(|n| n.is_ascii_digit());
        if c.is_ascii_digit() || decimal_point {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out.sort();
    out
}

/// The Markdown section whose heading starts with `heading`, up to the next one.
fn md_section<'a>(md: &'a str, heading: &str) -> &'a str {
    let start = md
        .find(&format!("## {heading}"))
        .unwrap_or_else(|| panic!("no section {heading}: {md}"));
    let rest = &md[start + 3..];
    &md[start..start + 3 + rest.find("\n## ").unwrap_or(rest.len())]
}

#[test]
fn the_soil_section_from_the_beijing_model() {
    // The model's year, 2024, with January's air so that there is a bulletin of it.
    let (dir, st) = common::store_of(|d| write_januaries(d, &[2024]));
    let model = dir.path().join("soil");
    let m = |f: &str| model.join(f).display().to_string();
    lantian_ok(
        &st,
        &[
            "soil",
            "generate",
            "--out",
            &m(""),
            "--seed",
            "1",
            "--year",
            "2024",
        ],
    );
    lantian_ok(
        &st,
        &["soil", "list", "record", "--events", &m("list_events.csv")],
    );
    let (network, plot_samples) = (m("network_samples.csv"), m("plot_samples.csv"));
    let (plots, classes, combos) = (m("plots.csv"), m("classes.csv"), m("combinations.csv"));
    let report = |extra: &[&str]| {
        let mut a = vec![
            "report",
            "--period",
            "2024",
            "--trend-years",
            "0",
            "--soil-samples",
            &network,
            &plot_samples,
            "--soil-plots",
            &plots,
            "--soil-classes",
            &classes,
            "--soil-combinations",
            &combos,
        ];
        a.extend(extra);
        lantian_ok(&st, &a)
    };
    // What `lantian soil` says about the same files and the same store.
    let screen = json(
        &st,
        &[
            "soil",
            "screen",
            "--samples",
            &network,
            &plot_samples,
            "--plots",
            &plots,
            "--format",
            "json",
        ],
    );
    let coverage = json(
        &st,
        &[
            "soil",
            "coverage",
            "--points",
            &network,
            "--classes",
            &classes,
            "--combinations",
            &combos,
            "--format",
            "json",
        ],
    );
    let as_of = json(
        &st,
        &[
            "soil",
            "list",
            "as-of",
            "--date",
            "2024-12-31",
            "--format",
            "json",
        ],
    );
    let changes = json(
        &st,
        &[
            "soil",
            "list",
            "changes",
            "--from",
            "2023-12-31",
            "--to",
            "2024-12-31",
            "--format",
            "json",
        ],
    );

    // The figures are the app's.
    let v: serde_json::Value = serde_json::from_str(&report(&["--format", "json"])).unwrap();
    let f = &v["soil"];
    let samples = screen["samples"].as_array().unwrap();
    assert_eq!(f["samples"].as_u64(), Some(samples.len() as u64));
    let by = |standard: Option<&str>, undecided: bool| -> u64 {
        samples
            .iter()
            .filter(|s| s["standard"].as_str() == standard && (!undecided || s["level"].is_null()))
            .count() as u64
    };
    let pct = |share: &serde_json::Value| format!("{:.1}", 100.0 * share.as_f64().unwrap());
    let ha = |m2: &serde_json::Value| format!("{:.1}", m2.as_f64().unwrap() / 10_000.0);
    for (key, shares) in [
        ("farmland", &screen["gb15618"]),
        ("construction", &screen["gb36600"]),
    ] {
        let ours = &f[key];
        let standard = shares["standard"].as_str().unwrap();
        assert_eq!(ours["standard"], shares["standard"]);
        assert_eq!(ours["screened"].as_u64(), Some(by(Some(standard), false)));
        assert_eq!(ours["undecided"].as_u64(), Some(by(Some(standard), true)));
        assert_eq!(ours["counted"], shares["completeness"]["counted"]);
        assert_eq!(ours["expected"], shares["completeness"]["expected"]);
        for (a, b) in ours["rows"]
            .as_array()
            .unwrap()
            .iter()
            .zip(shares["rows"].as_array().unwrap())
        {
            assert_eq!((&a["level"], &a["samples"]), (&b["level"], &b["samples"]));
        }
    }
    let area = &screen["area_gb36600"];
    assert_eq!(
        f["construction_plots"]["counted"],
        area["completeness"]["counted"]
    );
    assert_eq!(
        f["construction_plots"]["area_expected_m2"],
        area["area_expected_m2"]
    );
    assert_eq!(f["coverage"]["points"], coverage["points"]);
    assert_eq!(f["coverage"]["cross"]["empty"].as_array().unwrap().len(), 1);
    assert_eq!(
        f["list"]["on_list"].as_u64(),
        Some(as_of["entries"].as_array().unwrap().len() as u64)
    );
    let plots_of = |k: &str| -> Vec<String> {
        changes[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["plot"].as_str().unwrap().to_string())
            .collect()
    };
    let (entered, removed) = (plots_of("entered"), plots_of("removed"));
    assert_eq!(f["list"]["entered"], serde_json::json!(entered));
    assert_eq!(f["list"]["removed"], serde_json::json!(removed));
    assert_eq!(f["model_samples"].as_u64(), Some(samples.len() as u64));

    // Every number of the section, in either language, is one of these, each as often as it is
    // written: the samples by standard, the shares and their completeness, the plots by area,
    // the coverage and the list.
    let mut expected: Vec<String> = Vec::new();
    let mut put = |x: String| expected.push(x);
    let not_screened = by(None, false);
    put(samples.len().to_string());
    put(by(Some("GB 15618—2018"), false).to_string());
    put(by(Some("GB 36600—2018"), false).to_string());
    put(not_screened.to_string());
    for shares in [&screen["gb15618"], &screen["gb36600"]] {
        let standard = shares["standard"].as_str().unwrap();
        let (screened, undecided) = (by(Some(standard), false), by(Some(standard), true));
        let c = &shares["completeness"];
        put(screened.to_string());
        if c["counted"].as_u64() != Some(screened) {
            put(c["counted"].to_string());
        }
        put(pct(&c["share"]));
        put(c["counted"].to_string());
        put(c["expected"].to_string());
        if not_screened > 0 {
            put(not_screened.to_string());
        }
        if undecided > 0 {
            put(undecided.to_string());
        }
        // The sentence and the table.
        for _ in 0..2 {
            for r in shares["rows"].as_array().unwrap() {
                put(r["samples"].to_string());
                put(pct(&r["share"]));
            }
        }
    }
    put(area["completeness"]["expected"].to_string());
    put(ha(&area["area_expected_m2"]));
    put(area["completeness"]["counted"].to_string());
    put(ha(&area["area_counted_m2"]));
    put(pct(&area["completeness"]["share"]));
    for _ in 0..2 {
        for r in area["rows"].as_array().unwrap() {
            put(r["plots"].to_string());
            put(ha(&r["area_m2"]));
            put(pct(&r["share"]));
        }
    }
    put(coverage["points"].to_string());
    let plot_points: std::collections::BTreeSet<&str> = samples
        .iter()
        .filter(|s| !s["plot"].is_null())
        .map(|s| s["sample"].as_str().unwrap())
        .collect();
    put(plot_points.len().to_string());
    for d in coverage["dimensions"].as_array().unwrap() {
        put(d["classes"].as_array().unwrap().len().to_string());
        put(d["covered"].as_array().unwrap().len().to_string());
        put(pct(&d["share_covered"]));
        assert!(d["not_in_city"].as_array().unwrap().is_empty());
    }
    let cross = &coverage["cross"];
    put(cross["existing"].to_string());
    put(cross["covered"].to_string());
    put(pct(&cross["share_covered"]));
    put(as_of["entries"].as_array().unwrap().len().to_string());
    for s in as_of["by_status"].as_array().unwrap() {
        put(s["plots"].to_string());
    }
    put(entered.len().to_string());
    put(removed.len().to_string());
    put(changes["status_changes"]
        .as_array()
        .unwrap()
        .len()
        .to_string());
    expected.sort();

    // The sampling dates, from the files themselves.
    let mut dates: Vec<NaiveDate> = [&network, &plot_samples]
        .iter()
        .flat_map(|p| {
            std::fs::read_to_string(p)
                .unwrap()
                .lines()
                .skip(1)
                .map(|l| l.split(',').nth(1).unwrap().parse::<NaiveDate>().unwrap())
                .collect::<Vec<_>>()
        })
        .collect();
    dates.sort();
    let (first, last) = (dates[0], *dates.last().unwrap());
    let end = NaiveDate::from_ymd_opt(2024, 12, 31).unwrap();
    let html_of = |lang: &str| report(&["--format", "html", "--lang", lang]);
    for (lang, heading, words) in [
        (
            "zh",
            "净土：土壤环境质量",
            [
                "GB 15618—2018".to_string(),
                "GB 36600—2018".to_string(),
                "2024年内".to_string(),
                "%Y年%-m月%-d日".to_string(),
            ],
        ),
        (
            "en",
            "Clean soil: soil quality",
            [
                "GB 15618—2018".to_string(),
                "GB 36600—2018".to_string(),
                "During 2024".to_string(),
                "%-d %B %Y".to_string(),
            ],
        ),
    ] {
        let md = report(&["--lang", lang]);
        let section = md_section(&md, heading);
        let mut text = section.to_string();
        for d in [first, last, end] {
            let written = d.format(&words[3]).to_string();
            assert!(text.contains(&written), "{lang}: no {written} in {section}");
            text = text.replace(&written, "");
        }
        for w in &words[..3] {
            assert!(text.contains(w.as_str()), "{lang}: no {w} in {section}");
            text = text.replace(w.as_str(), "");
        }
        for plot in entered.iter().chain(&removed) {
            assert!(text.contains(plot.as_str()), "{lang}: {plot} not named");
            text = text.replace(plot.as_str(), "");
        }
        assert_eq!(numbers(&text), expected, "{lang}: {section}");
        // The statements that are readings of the figures.
        match lang {
            "zh" => {
                assert!(
                    section.contains("全市土地利用类型、土壤类型、地形、行政区的各类均有点位"),
                    "{section}"
                );
                assert!(section.contains("无点位的组合：园地×棕壤"), "{section}");
                assert!(
                    section.contains("模型生成数据，非北京市实测土壤调查数据"),
                    "{section}"
                );
            }
            _ => {
                assert!(section.contains("Every class of the city's land use, soil type, topography and district has a point"), "{section}");
                assert!(section.contains("without one: 园地×棕壤"), "{section}");
                assert!(section.contains("Generated by a model"), "{section}");
            }
        }
        let html = html_of(lang);
        assert!(
            html.contains("<figure id=\"chart-soil-map\">"),
            "no soil map"
        );
        assert!(
            html.contains(heading),
            "{lang}: no soil heading in the HTML"
        );
    }

    // Without soil samples: no section and no field.
    let plain = json(
        &st,
        &[
            "report",
            "--period",
            "2024",
            "--trend-years",
            "0",
            "--format",
            "json",
        ],
    );
    assert!(plain.get("soil").is_none());
    // Plots without samples are refused by clap, naming the flag.
    let (ok, _, err) = lantian(&st, &["report", "--period", "2024", "--soil-plots", &plots]);
    assert!(!ok && err.contains("--soil-samples"), "{err}");
}
