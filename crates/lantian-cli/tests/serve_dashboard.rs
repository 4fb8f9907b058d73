//! The dashboard end to end: `lantian serve` on a loopback port, the page driven in headless
//! Chromium (Debian's, with playwright-core; `web/e2e/dashboard.mjs`), and every value the page
//! shows compared with the API's: the city's AQI, the station table and the map's points, the
//! calendar's days, the year-to-date PM2.5 and its change, the ranking and the series. On the
//! hand-made store, a new day dropped into the watched folder while the page is open must
//! appear without a reload; on `../shared/data` (2023-H1 and 2024), the real network.

mod common;

use common::serve::{Server, browser_ready, day_files, write_fixture};
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn node_script(web: &Path, args: &[&str]) -> Command {
    let mut c = Command::new("node");
    c.arg(web.join("e2e/dashboard.mjs")).args(args);
    c
}

fn parse(out: std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "dashboard.mjs failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(text.lines().last().unwrap()).unwrap()
}

fn s(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(x) => x.clone(),
        v => v.to_string(),
    }
}

/// A value the page shows (a `data-value`, as JavaScript formats numbers: 60, not 60.0) equals
/// the API's.
fn same(shown: &Value, api: &Value) {
    let (a, b) = (s(shown), s(api));
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => assert_eq!(x, y, "shown {a}, API {b}"),
        _ => assert_eq!(a, b),
    }
}

fn pm25(doc: &Value) -> Value {
    doc["stats"]["stats"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["pollutant"] == "PM2.5"))
        .map(|x| x["published"].clone())
        .unwrap_or(Value::Null)
}

/// Everything shown equals the API's answer for the hour shown.
fn check_against_api(server: &Server, shown: &Value) {
    assert_eq!(
        shown["errors"],
        serde_json::json!([]),
        "page errors: {}",
        shown["errors"]
    );
    let latest = server.get("/api/v1/aqi/latest").json();
    assert_eq!(shown["time"], latest["time"]);
    assert_eq!(shown["city_aqi"], s(&latest["city"]["aqi"]));
    assert_eq!(shown["city_aqi_text"], s(&latest["city"]["aqi"]));
    let primary: Vec<String> = latest["city"]["primary"]
        .as_array()
        .unwrap()
        .iter()
        .map(s)
        .collect();
    assert_eq!(shown["city_primary"], primary.join(","));
    assert_eq!(shown["city_stations"], s(&latest["city"]["stations"]));

    // The table: one row per station of the API, with its AQI.
    let stations = latest["stations"].as_array().unwrap();
    let rows = shown["station_rows"].as_array().unwrap();
    assert_eq!(rows.len(), stations.len());
    for st in stations {
        let row = rows.iter().find(|r| r["code"] == st["code"]).unwrap();
        assert_eq!(row["aqi"], s(&st["aqi"]), "{}", st["code"]);
    }
    // The map: a point per station with data, coloured by its category, valued by its AQI;
    // a station with no coordinates and no district shape is named in the map's note instead.
    let points = shown["map_points"].as_array().unwrap();
    let unplaced = shown["map_unplaced"].as_array().unwrap();
    let approximate = shown["map_approximate"].as_array().unwrap();
    let registry = server.get("/api/v1/stations").json();
    let registry = registry.as_array().unwrap();
    assert_eq!(
        points.len() + unplaced.len(),
        stations.len(),
        "{points:?} {unplaced:?}"
    );
    for st in stations {
        if unplaced.contains(&st["code"]) {
            assert!(st["longitude"].is_null());
            let note = shown["map_note"].as_str().unwrap();
            assert!(
                note.contains(&format!(
                    "{} {}",
                    if shown["lang"] == "en" {
                        s(&st["name_en"])
                    } else {
                        s(&st["name_zh"])
                    },
                    s(&st["aqi"])
                )),
                "{note}"
            );
            continue;
        }
        let p = points.iter().find(|p| p["code"] == st["code"]).unwrap();
        assert_eq!(p["aqi"], st["aqi"], "{}", st["code"]);
        if !st["colour"].is_null() {
            assert_eq!(p["colour"], st["colour"]);
        }
        // Where it is drawn: at the registry's coordinates when it has them (the latest AQI
        // carries the same), else approximately, near its district's centre.
        let r = registry.iter().find(|r| r["code"] == st["code"]).unwrap();
        assert_eq!(
            (&st["longitude"], &st["latitude"]),
            (&r["longitude"], &r["latitude"]),
            "{}",
            st["code"]
        );
        if r["longitude"].is_null() {
            assert_eq!(p["approximate"], true, "{p}");
            assert!(approximate.contains(&st["code"]), "{}", st["code"]);
        } else {
            assert_eq!(p["approximate"], false, "{p}");
            assert!(!approximate.contains(&st["code"]), "{}", st["code"]);
            assert_eq!(
                (p["longitude"].as_f64(), p["latitude"].as_f64()),
                (r["longitude"].as_f64(), r["latitude"].as_f64()),
                "{}",
                st["code"]
            );
        }
    }
    // The note counts the stations drawn approximately, and says nothing when there are none.
    let note = shown["map_note"].as_str().unwrap();
    let n = approximate.len();
    let said = match (shown["lang"].as_str(), n) {
        (_, 0) => None,
        (Some("en"), 1) => Some("1 station has no coordinates".to_string()),
        (Some("en"), n) => Some(format!("{n} stations have no coordinates")),
        (_, n) => Some(format!("注：{n} 个站点无经纬度")),
    };
    match said {
        Some(said) => assert!(note.contains(&said), "{note}"),
        None => assert!(
            !note.contains("coordinates") && !note.contains("经纬度"),
            "{note}"
        ),
    }
    assert!(
        shown["painted"]["map"].as_u64().unwrap() > 500,
        "map not drawn: {}",
        shown["painted"]
    );

    // The calendar: the year of the latest hour, every rated day.
    let day = chrono::DateTime::parse_from_rfc3339(latest["time"].as_str().unwrap()).unwrap()
        - chrono::Duration::hours(1);
    let year = chrono::Datelike::year(&day.date_naive());
    let cal = server
        .get(&format!("/api/v1/calendar?period={year}"))
        .json();
    let rated: Vec<&Value> = cal
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| !d["aqi"].is_null())
        .collect();
    let days = shown["calendar_days"].as_array().unwrap();
    assert_eq!(days.len(), rated.len());
    for (a, b) in days.iter().zip(&rated) {
        assert_eq!(a["date"], b["date"]);
        assert_eq!(a["aqi"], b["aqi"]);
        assert_eq!(a["colour"], b["colour"]);
    }
    assert!(!days.is_empty());
    assert!(shown["painted"]["calendar"].as_u64().unwrap() > 500);

    // Year to date, and the ranking over the same period.
    let ytd = format!("{year}-YTD-{}", day.date_naive().format("%m-%d"));
    let a = server
        .get(&format!("/api/v1/assessment?period={ytd}"))
        .json();
    same(&shown["ytd_pm25"], &pm25(&a["current"]));
    same(&shown["ytd_baseline"], &pm25(&a["baseline"]));
    let change = a["comparison"]["figures"]
        .as_array()
        .and_then(|f| f.iter().find(|x| x["pollutant"] == "PM2.5"))
        .map(|x| s(&x["change"]["percent"]))
        .unwrap_or_default();
    same(&shown["ytd_change"], &Value::String(change));
    assert_eq!(
        shown["ytd_good"],
        s(&a["current"]["days"]["excellent_or_good"])
    );
    let r = server.get(&format!("/api/v1/ranking?period={ytd}")).json();
    let ranked: Vec<&Value> = r["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| !pm25(&x["current"]).is_null())
        .collect();
    let bars = shown["ranking"].as_array().unwrap();
    assert_eq!(bars.len(), ranked.len());
    for (b, x) in bars.iter().zip(&ranked) {
        same(&b["pm25"], &pm25(&x["current"]));
    }
    let names: Vec<Value> = ranked.iter().map(|x| x["name"].clone()).collect();
    assert_eq!(shown["ranking_rows"].as_array().unwrap(), &names);

    // The series: the last 7 days of the city's hours.
    let from = day.date_naive() - chrono::Duration::days(6);
    let series = server
        .get(&format!(
            "/api/v1/series/hourly?region=beijing&from={from}&to={}",
            day.date_naive()
        ))
        .json();
    let n = series.as_array().unwrap().len();
    for line in shown["series"].as_array().unwrap() {
        assert_eq!(line["points"], n, "{line}");
        let with = series
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| !r["concentrations"][line["name"].as_str().unwrap()].is_null())
            .count();
        assert_eq!(line["values"], with, "{line}");
    }
}

#[test]
fn the_dashboard_shows_the_apis_values_and_a_new_day_without_reload() {
    let web = match browser_ready() {
        Ok(w) => w,
        Err(why) => {
            eprintln!("SKIP the dashboard test: {why}");
            return;
        }
    };
    let (dir, st) = common::store_of(write_fixture);
    let watch = dir.path().join("incoming");
    std::fs::create_dir_all(&watch).unwrap();
    let geo = dir.path().join("squares.json");
    std::fs::write(&geo, r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"name":"东城区","centroid":[116.42,39.92]},"geometry":{"type":"Polygon","coordinates":[[[116.40,39.90],[116.45,39.90],[116.45,39.95],[116.40,39.95],[116.40,39.90]]]}},
 {"type":"Feature","properties":{"name":"海淀区","centroid":[116.27,40.02]},"geometry":{"type":"Polygon","coordinates":[[[116.20,39.95],[116.35,39.95],[116.35,40.10],[116.20,40.10],[116.20,39.95]]]}}]}"#).unwrap();
    // A national station list placing 东城东四 (1003A) only: 海淀万柳 keeps no coordinates.
    let list = dir.path().join("stations.csv");
    std::fs::write(
        &list,
        "监测点编码,监测点名称,城市,经度,纬度,对照点\n1003A,东四,北京,116.4174,39.9289,N\n",
    )
    .unwrap();
    let server = Server::start(
        &st,
        &[
            "--watch",
            watch.to_str().unwrap(),
            "--watch-interval",
            "0.2",
            "--geojson",
            geo.to_str().unwrap(),
            "--station-list",
            list.to_str().unwrap(),
        ],
        &[],
    );
    let ready = dir.path().join("page-ready");
    let shot = dir.path().join("dashboard.png");
    let url = format!("{}/?poll=1", server.base);
    let new_hour = "2024-02-01T23:00:00+08:00";
    let child = node_script(
        &web,
        &[
            &url,
            "--wait-time",
            new_hour,
            "--ready-file",
            ready.to_str().unwrap(),
            "--screenshot",
            shot.to_str().unwrap(),
        ],
    )
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped())
    .spawn()
    .unwrap();
    let t0 = Instant::now();
    while !ready.exists() {
        assert!(
            t0.elapsed() < Duration::from_secs(90),
            "the page never loaded"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // The page is open on 31 January; a new day arrives.
    for (name, text) in day_files(
        chrono::NaiveDate::from_ymd_opt(2024, 2, 1).unwrap(),
        &|_| true,
    ) {
        std::fs::write(watch.join(name), text).unwrap();
    }
    let shown = parse(child.wait_with_output().unwrap());
    assert_eq!(shown["time"], new_hour);
    assert!(shown["loads"].as_u64().unwrap() >= 2, "{}", shown["loads"]);
    check_against_api(&server, &shown);
    // The fixture's two stations are on the map and in the table: 东城东四 at its listed
    // coordinates, 海淀万柳 alone at its district's centroid; the calendar of 2024 holds
    // January and 1 February (23 hours: a valid day, ≥ 20 h).
    let at = |shown: &Value, code: &str| {
        let p = shown["map_points"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["code"] == code)
            .unwrap()
            .clone();
        (
            p["longitude"].as_f64(),
            p["latitude"].as_f64(),
            p["approximate"].clone(),
        )
    };
    assert_eq!(
        at(&shown, "东城东四"),
        (Some(116.4174), Some(39.9289), Value::Bool(false))
    );
    assert_eq!(
        at(&shown, "海淀万柳"),
        (Some(116.27), Some(40.02), Value::Bool(true))
    );
    assert_eq!(shown["map_approximate"], serde_json::json!(["海淀万柳"]));
    assert!(
        shown["map_note"]
            .as_str()
            .unwrap()
            .starts_with("注：1 个站点无经纬度，标在所在区的中心附近（位置为示意）。"),
        "{}",
        shown["map_note"]
    );
    assert_eq!(shown["map_points"].as_array().unwrap().len(), 2);
    assert_eq!(shown["calendar_days"].as_array().unwrap().len(), 32);
    assert!(shot.metadata().unwrap().len() > 20_000);

    // English: the same values, the words and names in English.
    let en = parse(
        node_script(&web, &[&format!("{}/", server.base), "--lang", "en"])
            .output()
            .unwrap(),
    );
    assert_eq!(en["lang"], "en");
    assert_eq!(en["title"], "Beijing air quality, live");
    assert!(
        en["map_note"].as_str().unwrap().starts_with(
            "1 station has no coordinates and is drawn near its district's centre (approximate position)."
        ),
        "{}",
        en["map_note"]
    );
    assert!(
        en["station_rows"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["name"] == "Dongcheng Dongsi")
    );
    check_against_api(&server, &en);
}

#[test]
fn the_dashboard_over_the_real_beijing_network() {
    let needs = "the real-data dashboard test shows the Beijing network and its districts";
    let (Some(bj), Some(geo)) = (
        lantian_testdata::shared_path("quotsoft_beijing", needs),
        lantian_testdata::shared_path("geo_beijing/110100_full.json", needs),
    ) else {
        return;
    };
    let web = match browser_ready() {
        Ok(w) => w,
        Err(why) => {
            eprintln!("SKIP the real-data dashboard test: {why}");
            return;
        }
    };
    // 2024 (to 4 June, the archive's end) and its baseline, January–June 2023.
    let mut files: Vec<String> = Vec::new();
    for year in ["2023", "2024"] {
        let mut names: Vec<_> = std::fs::read_dir(bj.join(year))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                // File names end in _YYYYMMDD.csv; 1 July's file holds 30 June's last hour.
                let n = p.file_name().unwrap().to_string_lossy().to_string();
                let date = n.rsplit('_').next().unwrap_or("").trim_end_matches(".csv");
                year == "2024" || date <= "20230701"
            })
            .map(|p| p.to_string_lossy().to_string())
            .collect();
        names.sort();
        files.extend(names);
    }
    let dir = tempfile::tempdir().unwrap();
    let st = dir.path().join("s");
    let mut args = vec!["ingest", "--quiet"];
    args.extend(files.iter().map(|s| s.as_str()));
    common::lantian_ok(&st, &args);
    // The published station lists (when present) place the stations they can.
    let lists: Vec<String> = [
        "站点列表-2022.02.13起.csv",
        "kddcup2018_Beijing_AirQuality_Stations_cn.csv",
    ]
    .iter()
    .filter_map(|f| lantian_testdata::shared_path(&format!("cnemc_station_list/{f}"), needs))
    .map(|p| p.to_string_lossy().to_string())
    .collect();
    let mut args = vec!["--geojson", geo.to_str().unwrap()];
    for l in &lists {
        args.extend(["--station-list", l.as_str()]);
    }
    let server = Server::start(&st, &args, &[]);
    let shot = dir.path().join("dashboard.png");
    let shown = parse(
        node_script(
            &web,
            &[
                &format!("{}/", server.base),
                "--screenshot",
                shot.to_str().unwrap(),
            ],
        )
        .output()
        .unwrap(),
    );
    check_against_api(&server, &shown);
    // The archive's last hour, the network's stations, the districts of the map.
    assert_eq!(shown["time"], "2024-06-04T23:00:00+08:00");
    assert!(shown["map_points"].as_array().unwrap().len() >= 30);
    // With both lists, 14 of the 35 new-network stations are placed (the twelve national sites,
    // 丰台云岗 and 亦庄开发区); of the 21 others, the 19 that report at the archive's last hour
    // (33 stations in all) are drawn near their district's centre.
    let points = shown["map_points"].as_array().unwrap();
    let placed = |code: &str| {
        points
            .iter()
            .find(|p| p["code"] == code && p["approximate"] == false)
            .map(|p| (p["longitude"].as_f64(), p["latitude"].as_f64()))
    };
    if lists.len() == 2 {
        let exact = points.iter().filter(|p| p["approximate"] == false).count();
        let approximate = shown["map_approximate"].as_array().unwrap().len();
        assert_eq!((exact, approximate), (14, 19));
        assert_eq!(placed("东城东四"), Some((Some(116.4174), Some(39.9289))));
        assert_eq!(placed("亦庄开发区"), Some((Some(116.506), Some(39.795))));
        assert_eq!(placed("丰台云岗"), Some((Some(116.146), Some(39.824))));
        assert!(
            shown["map_note"]
                .as_str()
                .unwrap()
                .starts_with("注：19 个站点无经纬度"),
            "{}",
            shown["map_note"]
        );
        assert_eq!(shown["map_unplaced"], serde_json::json!([]));
    }
    assert_eq!(shown["map_regions"], 16);
    assert!(shown["calendar_days"].as_array().unwrap().len() >= 150);
    assert!(shown["ranking"].as_array().unwrap().len() >= 16);
}

/// The climate page shows exactly what /api/v1/carbon/* answers: the market's and green
/// electricity's years from hand-made books, the registry credits and the EU ETS oracle from
/// ../shared/data (when present), and a resource the server lacks as its reason.
#[test]
fn the_climate_page_shows_the_carbon_resources() {
    let web = match browser_ready() {
        Ok(w) => w,
        Err(why) => {
            eprintln!("SKIP the climate page test: {why}");
            return;
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let books = dir.path().join("books.csv");
    std::fs::write(
        &books,
        "unit,name,year,direct_t,indirect_t,emissions,free_allocation_t,auctioned_t,surrendered_t\n\
         U1,Plant,2023,3000,2000,5000,4800,100,4750\nU3,Depot,2023,8000,0,8000,9000,,9000\n\
         U3,Depot,2024,8200,0,8200,9000,,8100\n",
    )
    .unwrap();
    let mut args = vec!["--carbon-books".to_string(), books.display().to_string()];
    let panel = lantian_testdata::shared_path("carbon_eu_ets", "the climate page's oracle");
    let listings =
        lantian_testdata::shared_path("carbon_offsets_samples", "the climate page's credits");
    if let (Some(p), Some(l)) = (&panel, &listings) {
        args.extend(["--eu-ets".into(), p.display().to_string()]);
        args.extend(["--offset-listings".into(), l.display().to_string()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let server = Server::start(&dir.path().join("store"), &args, &[]);
    let out = Command::new("node")
        .arg(web.join("e2e/climate.mjs"))
        .arg(format!("{}/climate.html", server.base))
        .output()
        .unwrap();
    let shown = parse(out);
    assert_eq!(shown["errors"], serde_json::json!([]), "{shown}");
    assert_eq!(shown["heading"], "碳市场履约");
    // The market's years, value for value.
    let api = server.get("/api/v1/carbon/compliance").json();
    let years = api["years"].as_array().unwrap();
    let rows = shown["market"].as_array().unwrap();
    assert_eq!(rows.len(), years.len());
    for (row, y) in rows.iter().zip(years) {
        for (k, field) in [
            "year",
            "units",
            "compliance_pct",
            "emissions_t",
            "offsets_counted_t",
            "shortfall_t",
        ]
        .iter()
        .enumerate()
        {
            same(&row[k], &y[field]);
        }
    }
    // No electricity file: the table is empty and the API's reason is shown.
    assert_eq!(shown["green"], serde_json::json!([]));
    assert_eq!(
        shown["green_note"],
        "no electricity file on this server (it was started without one)"
    );
    if panel.is_some() {
        let o = server.get("/api/v1/carbon/oracle").json();
        same(&shown["oracle_match"], &o["total"]["match_pct"]);
        same(&shown["oracle_letters"], &o["total"]["letters"]);
        let by_year = o["by_year"].as_array().unwrap();
        let years: Vec<Value> = by_year.iter().map(|r| r["span"].clone()).collect();
        assert_eq!(shown["oracle_years"], Value::Array(years));
        let bars = shown["oracle_bars"][0].as_array().unwrap();
        assert_eq!(bars.len(), by_year.len());
        for (bar, r) in bars.iter().zip(by_year) {
            same(bar, &r["match_pct"]);
        }
        let year = chrono::Datelike::year(&chrono::Local::now().date_naive());
        let off = server
            .get(&format!("/api/v1/carbon/offsets?year={year}"))
            .json();
        same(&shown["offsets_eligible"], &off["eligible_t"]);
        same(&shown["offsets_refused"], &off["refused_t"]);
    } else {
        assert_eq!(
            shown["oracle_note"],
            "no EU ETS panel on this server (it was started without one)"
        );
    }
}

/// The water page shows exactly what /api/v1/water/* answers for generated Beijing sections:
/// the latest year by default (headline, class counts, the map's colours, every section's row,
/// the main pollutants, the compensation), then the year before through its picker, in English.
#[test]
fn the_water_page_shows_the_water_resources() {
    let web = match browser_ready() {
        Ok(w) => w,
        Err(why) => {
            eprintln!("SKIP the water page test: {why}");
            return;
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("bj");
    let d = data.display().to_string();
    let out = Command::new(common::bin())
        .args(["water", "generate", "--out", &d, "--years", "2023,2024"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sections = data.join("sections.csv").display().to_string();
    let server = Server::start(
        &dir.path().join("store"),
        &["--water-sections", &sections, "--water-readings", &d],
        &[],
    );
    let out = Command::new("node")
        .arg(web.join("e2e/water.mjs"))
        .arg(format!("{}/water.html", server.base))
        .args(["--pick", "2023", "--lang", "en"])
        .output()
        .unwrap();
    let shown = parse(out);
    assert_eq!(shown["errors"], serde_json::json!([]), "{shown}");
    assert_eq!(shown["heading"], "各断面水质");
    // The picker offers the sections' years and opens on the latest.
    assert_eq!(shown["periods"], serde_json::json!(["2023", "2024"]));
    assert_eq!(shown["period"], "2024");
    assert_eq!(shown["after"]["period"], "2023");
    assert_eq!(shown["after"]["lang"], "en");

    // The method's colours, I … 劣V, and grey for a section without a class.
    let colours = [
        "#0070C0", "#0070C0", "#00B050", "#FFD900", "#FF8C00", "#DC0000",
    ];
    let check = |shown: &Value, period: &str, lang: &str| {
        let a = server
            .get(&format!("/api/v1/water/assessment?period={period}"))
            .json();
        assert_eq!(shown["shown_period"], period);
        let all = a["grades"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["level"] == "all")
            .unwrap();
        same(&shown["good_pct"], &all["good_pct"]);
        same(&shown["worse_than_v_pct"], &all["worse_than_v_pct"]);
        same(&shown["sections"], &all["sections"]);
        assert_eq!(shown["grade"], s(&all["grade"]));
        assert_eq!(shown["grade_text"], all[format!("grade_{lang}").as_str()]);
        // The change in the method's words, against the period it names.
        let c = &a["change"];
        assert_eq!(shown["change"], s(&c[format!("change_{lang}").as_str()]));
        let text = shown["change_text"].as_str().unwrap();
        if !c.is_null() {
            assert!(
                text.contains(c["previous_period"].as_str().unwrap()),
                "{text}"
            );
        }
        assert_eq!(shown["class_bars"], a["class_counts"]);
        assert_eq!(shown["class_colours"], serde_json::json!(colours));
        // A row and a point per section, in the API's order, with its class and its colour.
        let rows = shown["rows"].as_array().unwrap();
        let points = shown["map_points"].as_array().unwrap();
        let api = a["sections"].as_array().unwrap();
        assert_eq!(rows.len(), api.len());
        assert_eq!(points.len(), api.len());
        for ((row, p), x) in rows.iter().zip(points).zip(api) {
            let pollutants: Vec<String> = x["main_pollutants"]
                .as_array()
                .unwrap()
                .iter()
                .map(s)
                .collect();
            let cells = [
                s(&x["code"]),
                s(&x[format!("name_{lang}").as_str()]),
                s(&x["water"]),
                s(&x["class"]),
                s(&x["target"]),
                s(&x["meets_target"]),
                pollutants.join(","),
                s(&x[format!("change_{lang}").as_str()]),
            ];
            assert_eq!(row, &serde_json::json!(cells), "{}", x["code"]);
            assert_eq!(p["code"], x["code"]);
            same(&p["lon"], &x["lon"]);
            same(&p["lat"], &x["lat"]);
            let colour = x["class_index"]
                .as_u64()
                .map_or("#9E9E9E", |i| colours[i as usize]);
            assert_eq!(p["colour"], colour, "{}", x["code"]);
        }
        assert!(
            shown["map_painted"].as_u64().unwrap() > 5000,
            "map not drawn"
        );
        let main = shown["pollutants"].as_array().unwrap();
        let api = a["main_pollutants"].as_array().unwrap();
        assert_eq!(main.len(), api.len());
        for (row, p) in main.iter().zip(api) {
            for (k, field) in ["item", "sections_over", "rate_pct"].iter().enumerate() {
                same(&row[k], &p[field]);
            }
        }
        // The compensation: its total, the section-months judged and every district's balance.
        let comp = server
            .get(&format!("/api/v1/water/compensation?period={period}"))
            .json();
        same(&shown["comp_total"], &comp["total_cny"]);
        same(&shown["comp_months"], &comp["section_months"]);
        let balances = shown["balances"].as_array().unwrap();
        let api = comp["balances"].as_array().unwrap();
        assert_eq!(balances.len(), api.len());
        assert!(!api.is_empty());
        for (row, b) in balances.iter().zip(api) {
            same(&row[0], &b["district"]);
            same(&row[1], &b["balance_cny"]);
        }
    };
    check(&shown, "2024", "zh");
    check(&shown["after"], "2023", "en");
    // 2024 is compared with 2023 in the method's words; 2023 has no year before it.
    assert!(
        shown["change_text"]
            .as_str()
            .unwrap()
            .starts_with("与 2023 相比"),
        "{}",
        shown["change_text"]
    );
    assert_eq!(shown["after"]["change_text"], "no earlier year to compare");
}

/// The colour the soil page gives a sample: its category or risk, grey without a single level,
/// white when it was not screened (web/src/soil.js).
fn soil_colour(sample: &Value) -> &'static str {
    if sample["standard"].is_null() {
        return "#FFFFFF";
    }
    match sample["level"].as_str() {
        Some("priority_protection") => "#2E7D32",
        Some("safe_utilisation") => "#F9A825",
        Some("strict_control") => "#C62828",
        Some("negligible") => "#1565C0",
        Some("within_background") => "#00838F",
        Some("investigate_and_assess") => "#EF6C00",
        Some("control_or_remediation") => "#6A1B9A",
        _ => "#9E9E9E",
    }
}

/// The soil page shows exactly what /api/v1/soil/* answers for the generated Beijing model: the
/// shares by GB 15618 category and GB 36600 risk (and the plots' areas), every sample on the map
/// in its colour, the coverage matrix with its empty cell, the list as of today with its status
/// counts, the year's changes and the latest events; the surface first refused for want of a
/// threshold (the API's reason shown), then drawn through the page's form, in English.
#[test]
fn the_soil_page_shows_the_soil_resources() {
    let web = match browser_ready() {
        Ok(w) => w,
        Err(why) => {
            eprintln!("SKIP the soil page test: {why}");
            return;
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let st = dir.path().join("store");
    let data = dir.path().join("bj");
    let file = |n: &str| data.join(n).display().to_string();
    common::lantian_ok(
        &st,
        &[
            "soil",
            "generate",
            "--out",
            &file(""),
            "--seed",
            "1",
            "--year",
            "2024",
        ],
    );
    common::lantian_ok(
        &st,
        &[
            "soil",
            "list",
            "record",
            "--events",
            &file("list_events.csv"),
        ],
    );
    let (network, plot_samples, plots, classes, combinations) = (
        file("network_samples.csv"),
        file("plot_samples.csv"),
        file("plots.csv"),
        file("classes.csv"),
        file("combinations.csv"),
    );
    let server = Server::start(
        &st,
        &[
            "--soil-samples",
            &network,
            &plot_samples,
            "--soil-plots",
            &plots,
            "--soil-classes",
            &classes,
            "--soil-combinations",
            &combinations,
        ],
        &[],
    );
    let out = Command::new("node")
        .arg(web.join("e2e/soil.mjs"))
        .arg(format!("{}/soil.html", server.base))
        .args(["--threshold", "0.3", "--lang", "en"])
        .output()
        .unwrap();
    let shown = parse(out);
    assert_eq!(shown["errors"], serde_json::json!([]), "{shown}");
    assert_eq!(shown["heading"], "农用地土壤环境质量类别（GB 15618—2018）");
    let api = |path: &str| {
        let a = server.get(&format!("/api/v1/soil/{path}"));
        assert_eq!(a.status, 200, "{path}: {}", a.text());
        a.json()
    };
    let screening = api("screening");
    let coverage = api("coverage");
    let list = api("list");
    let history = api("list/history");

    let check = |shown: &Value, lang: &str| {
        // The shares, by samples and by area, level for level.
        for key in ["15618", "36600"] {
            let s = &screening[format!("gb{key}").as_str()];
            let rows = shown[format!("shares_{key}").as_str()].as_array().unwrap();
            let api_rows = s["rows"].as_array().unwrap();
            assert_eq!(rows.len(), api_rows.len(), "{key}");
            for (row, r) in rows.iter().zip(api_rows) {
                same(&row[0], &r["level"]);
                same(&row[1], &r["samples"]);
                same(&row[2], &r["share"]);
            }
            let c = &s["completeness"];
            assert_eq!(
                shown[format!("counted_{key}").as_str()],
                format!("{}/{}", c["counted"], c["expected"])
            );
            let area = shown[format!("area_{key}").as_str()].as_array().unwrap();
            let api_area = screening[format!("area_gb{key}").as_str()]["rows"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            assert_eq!(area.len(), api_area.len(), "{key}");
            for (row, r) in area.iter().zip(&api_area) {
                for (k, field) in ["level", "plots", "area_m2", "share"].iter().enumerate() {
                    same(&row[k], &r[field]);
                }
            }
        }
        let names: Vec<Value> = screening["gb15618"]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r[format!("name_{lang}").as_str()].clone())
            .collect();
        assert_eq!(shown["share_names"], Value::Array(names));

        // Every sample with coordinates on the map, in its colour.
        let placed: Vec<&Value> = screening["samples"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| !r["x"].is_null() && !r["y"].is_null())
            .collect();
        let points = shown["map_points"].as_array().unwrap();
        assert_eq!(points.len(), placed.len());
        assert_eq!(points.len(), screening["samples"].as_array().unwrap().len());
        for (p, r) in points.iter().zip(&placed) {
            assert_eq!(p["sample"], r["sample"]);
            same(&p["x"], &r["x"]);
            same(&p["y"], &r["y"]);
            assert_eq!(p["colour"], soil_colour(r), "{}", r["sample"]);
        }
        assert_eq!(shown["map_note"], "");

        // The coverage matrix: counts, and each point-less cell marked empty (it exists in the
        // city) or absent (it does not).
        let c = &coverage["cross"];
        let head: Vec<Value> = shown["coverage_head"].as_array().unwrap()[1..].to_vec();
        assert_eq!(Value::Array(head), c["column_classes"]);
        let empty: Vec<(String, String)> = c["empty"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (s(&e["row"]), s(&e["column"])))
            .collect();
        let matrix = shown["coverage"].as_array().unwrap();
        let row_classes = c["row_classes"].as_array().unwrap();
        assert_eq!(matrix.len(), row_classes.len());
        let mut marked = 0;
        for ((row, rc), counts) in matrix
            .iter()
            .zip(row_classes)
            .zip(c["counts"].as_array().unwrap())
        {
            let row = row.as_array().unwrap();
            assert_eq!(row[0][0], *rc);
            for ((cell, cc), n) in row[1..]
                .iter()
                .zip(c["column_classes"].as_array().unwrap())
                .zip(counts.as_array().unwrap())
            {
                same(&cell[0], n);
                let is_empty = empty.contains(&(s(rc), s(cc)));
                let mark = if is_empty {
                    marked += 1;
                    "empty"
                } else if n.as_u64().unwrap() > 0 {
                    "covered"
                } else {
                    "absent"
                };
                assert_eq!(cell[1], mark, "{rc} × {cc}");
            }
        }
        assert_eq!(marked, empty.len());
        assert_eq!(marked, 1, "the model's one gap: orchards on brown earth");
        same(&shown["covered"], &c["covered"]);
        same(&shown["existing"], &c["existing"]);
        same(&shown["covered_share"], &c["share_covered"]);
        same(&shown["empty_cells"], &serde_json::json!(empty.len()));
        let dims = shown["dimensions"].as_array().unwrap();
        let api_dims = coverage["dimensions"].as_array().unwrap();
        assert_eq!(dims.len(), api_dims.len());
        for (row, d) in dims.iter().zip(api_dims) {
            same(&row[0], &d["dimension"]);
            assert_eq!(
                row[1],
                format!(
                    "{}/{}",
                    d["covered"].as_array().unwrap().len(),
                    d["classes"].as_array().unwrap().len()
                )
            );
            same(&row[2], &d["share_covered"]);
            let e: Vec<String> = d["empty"].as_array().unwrap().iter().map(s).collect();
            assert_eq!(row[3], e.join(","));
        }

        // The list as of today: its date, the plots per status and every plot on it.
        assert_eq!(shown["list_date"], list["date"]);
        let by_status = shown["by_status"].as_array().unwrap();
        let api_status = list["by_status"].as_array().unwrap();
        assert_eq!(by_status.len(), api_status.len());
        for (row, x) in by_status.iter().zip(api_status) {
            same(&row[0], &x["status"]);
            same(&row[1], &x["plots"]);
        }
        let names: Vec<Value> = api_status
            .iter()
            .map(|x| x[format!("name_{lang}").as_str()].clone())
            .collect();
        assert_eq!(shown["by_status_names"], Value::Array(names));
        let entries = shown["entries"].as_array().unwrap();
        let api_entries = list["entries"].as_array().unwrap();
        assert!(!api_entries.is_empty());
        assert_eq!(entries.len(), api_entries.len());
        for (row, e) in entries.iter().zip(api_entries) {
            for (k, field) in ["plot", "status", "since", "listed_on"].iter().enumerate() {
                same(&row[k], &e[field]);
            }
        }
        // The year's changes up to the list's date, and the latest events of the history.
        let date: chrono::NaiveDate = s(&list["date"]).parse().unwrap();
        // The same day a year earlier, 28 February for the 29th (as the page asks).
        let year = chrono::Datelike::year(&date) - 1;
        let from = chrono::Datelike::with_year(&date, year)
            .or_else(|| chrono::NaiveDate::from_ymd_opt(year, 2, 28))
            .unwrap();
        let ch = api(&format!("list/changes?from={from}&to={date}"));
        same(&shown["changes_to"], &ch["up_to"]);
        let counts: Vec<Value> = ["entered", "status_changes", "removed"]
            .iter()
            .map(|k| Value::String(ch[*k].as_array().unwrap().len().to_string()))
            .collect();
        assert_eq!(shown["changes"], Value::Array(counts));
        let mut events: Vec<&Value> = history["events"].as_array().unwrap().iter().collect();
        events.sort_by(|a, b| {
            (s(&b["date"]), b["seq"].as_i64()).cmp(&(s(&a["date"]), a["seq"].as_i64()))
        });
        let latest = shown["latest"].as_array().unwrap();
        assert_eq!(latest.len(), 10);
        for (row, e) in latest.iter().zip(&events) {
            for (k, field) in ["date", "plot", "from", "to", "by", "reason"]
                .iter()
                .enumerate()
            {
                same(&row[k], &e[field]);
            }
        }
        // The surface's item picker offers the screened items, Cd first chosen.
        let items: Vec<Value> = screening["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["item"].clone())
            .collect();
        assert_eq!(shown["items"], Value::Array(items));
        assert_eq!(shown["item"], "Cd");
    };
    check(&shown, "zh");
    check(&shown["after"], "en");
    assert_eq!(shown["after"]["lang"], "en");

    // No threshold: the samples share no screening value, and the page says the API's reason.
    let refused = server.get("/api/v1/soil/surface?item=Cd&method=kriging&grid=100x100");
    assert_eq!(refused.status, 400);
    assert_eq!(shown["surface_note"], refused.json()["error"]);
    assert_eq!(shown["painted_nodes"], 0);
    assert_eq!(shown["painted_pixels"], 0);
    // With one, drawn: every node with an estimate painted, the figures the API's.
    let after = &shown["after"];
    let sf = api("surface?item=Cd&method=kriging&grid=100x100&threshold=0.3");
    same(&after["surface_item"], &sf["item"]);
    same(&after["threshold"], &sf["threshold"]["mg_kg"]);
    same(&after["above"], &sf["above"]["share"]);
    same(&after["nodes_above"], &sf["above"]["nodes_above"]);
    same(&after["nodes"], &sf["above"]["nodes_estimated"]);
    same(&after["rmse"], &sf["cross_validation"]["rmse"]);
    same(&after["mae"], &sf["cross_validation"]["mae"]);
    same(
        &after["range"],
        &sf["variogram"]["fitted"]["effective_range"],
    );
    let values: Vec<f64> = sf["grid"]["values"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    same(
        &after["min"],
        &serde_json::json!(values.iter().copied().fold(f64::INFINITY, f64::min)),
    );
    same(
        &after["max"],
        &serde_json::json!(values.iter().copied().fold(f64::NEG_INFINITY, f64::max)),
    );
    same(&after["painted_nodes"], &sf["grid"]["estimated"]);
    assert!(
        after["painted_pixels"].as_u64().unwrap() > 100_000,
        "surface not drawn: {}",
        after["painted_pixels"]
    );
}
