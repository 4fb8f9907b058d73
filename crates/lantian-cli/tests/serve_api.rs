//! `lantian serve`'s API on a small hand-made store: every endpoint, its figures against the
//! commands' (`assess`, `report`) and against values worked out by hand, the OpenAPI document,
//! caching headers, and the refusal of bad input, bad paths and unauthorised writes.

mod common;

use common::lantian_ok;
use common::serve::{Server, enc, write_fixture};
use serde_json::Value;
use std::path::Path;

const SQUARES: &str = r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"name":"东城区","centroid":[116.42,39.92]},"geometry":{"type":"Polygon","coordinates":[[[116.40,39.90],[116.45,39.90],[116.45,39.95],[116.40,39.95],[116.40,39.90]]]}},
 {"type":"Feature","properties":{"name":"海淀区","centroid":[116.27,40.02]},"geometry":{"type":"Polygon","coordinates":[[[116.20,39.95],[116.35,39.95],[116.35,40.10],[116.20,40.10],[116.20,39.95]]]}}]}"#;

const TOKEN: &str = "t0ken-not-to-be-printed-5b1c";

fn fixture() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let (dir, st) = common::store_of(write_fixture);
    let geo = dir.path().join("squares.json");
    std::fs::write(&geo, SQUARES).unwrap();
    (dir, st, geo)
}

fn cli_json(st: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&lantian_ok(st, args)).unwrap()
}

fn station<'a>(latest: &'a Value, code: &str) -> &'a Value {
    latest["stations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == code)
        .unwrap_or_else(|| panic!("{code} not in {latest}"))
}

#[test]
fn every_endpoint_answers_and_its_figures_are_the_commands() {
    let (_dir, st, geo) = fixture();
    let s = Server::start(
        &st,
        &["--geojson", geo.to_str().unwrap()],
        &[("LANTIAN_TOKEN", TOKEN)],
    );

    // Health: the first snapshot; the latest hour ends 24:00 on 31 January.
    let h = s.get("/api/v1/health").json();
    assert_eq!(h["generation"], 1);
    assert_eq!(h["latest"], "2024-02-01T00:00:00+08:00");
    assert_eq!(h["writes"], true);

    // Latest AQI, by hand (HJ 633—2012, PM on 24-h moving means; every hour of 31 January
    // equal): 东四 PM2.5 75 → IAQI 100 (breakpoint), PM10 112.5, rounded to 112 (GB/T 8170,
    // half to even) → 50 + 62 × 50/100 = 81; 万柳 PM2.5 115 → 150;
    // the city's mean PM2.5 95 → 100 + 20 × 50/40 = 125 (轻度污染, level 3). SO2/NO2/CO/O3 rate
    // 2/15/5/19-30, never primary.
    let l = s.get("/api/v1/aqi/latest").json();
    assert_eq!(l["time"], "2024-02-01T00:00:00+08:00");
    assert_eq!(l["standard"], "hj633-2012");
    let dongsi = station(&l, "东城东四");
    assert_eq!(dongsi["aqi"], 100);
    assert_eq!(dongsi["level"], 2);
    assert_eq!(dongsi["category_zh"], "良");
    assert_eq!(dongsi["primary"], serde_json::json!(["PM2.5"]));
    assert_eq!(dongsi["concentrations"]["PM2.5"], 75.0);
    assert_eq!(dongsi["concentrations"]["PM10"], 112.5);
    assert_eq!(dongsi["iaqi"]["pm10_24h"], 81);
    assert_eq!(dongsi["district_zh"], "东城区");
    let wanliu = station(&l, "海淀万柳");
    assert_eq!(wanliu["aqi"], 150);
    assert_eq!(wanliu["level"], 3);
    let city = &l["city"];
    assert_eq!(city["aqi"], 125);
    assert_eq!(city["level"], 3);
    assert_eq!(city["category_en"], "Lightly polluted");
    assert_eq!(city["colour"], "#ff7e00");
    assert_eq!(city["stations"], 2);
    assert_eq!(city["concentrations"]["PM2.5"], 95.0);
    // One station alone.
    let one = s.get(&enc("/api/v1/aqi/latest/海淀万柳")).json();
    assert_eq!(one["aqi"], 150);
    assert_eq!(s.get("/api/v1/aqi/latest/beijing").json()["aqi"], 125);
    // CSV: the city first, then the stations with data.
    let csv = s.get("/api/v1/aqi/latest?format=csv");
    assert!(
        csv.content_type.starts_with("text/csv"),
        "{}",
        csv.content_type
    );
    let text = csv.text();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("time,code,name_zh"), "{}", lines[0]);
    assert!(
        lines[1].contains(",beijing,北京市,") && lines[1].contains(",125,3,"),
        "{}",
        lines[1]
    );
    assert_eq!(lines.len(), 1 + 1 + 2, "{text}");

    // Stations: the registry, JSON and CSV.
    let stations = s.get("/api/v1/stations").json();
    let all = stations.as_array().unwrap();
    assert!(all.len() >= 35, "{}", all.len());
    let d = all.iter().find(|x| x["code"] == "东城东四").unwrap();
    assert_eq!(d["district_en"], "Dongcheng");
    assert_eq!(d["assessment"], true);
    let csv = s.get("/api/v1/stations?format=csv").text();
    assert_eq!(csv.lines().count(), all.len() + 1);

    // Hourly series of one station: 48 hours, hour-ending; the last equals the latest AQI.
    let hs = s
        .get(&enc(
            "/api/v1/series/hourly?station=东城东四&from=2024-01-30&to=2024-01-31",
        ))
        .json();
    let hs = hs.as_array().unwrap();
    assert_eq!(hs.len(), 48);
    assert_eq!(hs[0]["time"], "2024-01-30T01:00:00+08:00");
    assert_eq!(hs[0]["concentrations"]["PM2.5"], 30.0); // 30 + 5·(30 mod 5)
    assert_eq!(hs[47]["time"], "2024-02-01T00:00:00+08:00");
    assert_eq!(hs[47]["aqi"], dongsi["aqi"]);
    let hcsv = s
        .get(&enc(
            "/api/v1/series/hourly?region=beijing&from=2024-01-31&to=2024-01-31&format=csv",
        ))
        .text();
    assert_eq!(hcsv.lines().count(), 25);
    assert!(
        hcsv.lines()
            .last()
            .unwrap()
            .starts_with("2024-02-01T00:00:00+08:00,125,3,PM2.5,")
    );

    // Daily series of the city (hourly mean, then the daily report): 31 January's PM2.5 is 95
    // → AQI 125; 10 January has only 东四 (30).
    let ds = s
        .get("/api/v1/series/daily?region=beijing&from=2024-01-01&to=2024-01-31")
        .json();
    let ds = ds.as_array().unwrap();
    assert_eq!(ds.len(), 31);
    assert_eq!(ds[30]["date"], "2024-01-31");
    assert_eq!(ds[30]["concentrations"]["PM2.5"], 95.0);
    assert_eq!(ds[30]["aqi"], 125);
    assert_eq!(ds[9]["concentrations"]["PM2.5"], 30.0);
    assert_eq!(ds[30]["concentrations"]["O3_8h"], 60.0);

    // Assessment, ranking, calendar and report: the commands' documents.
    let api = s.get("/api/v1/assessment?period=2024-01").json();
    let cli = cli_json(&st, &["assess", "--period", "2024-01", "--format", "json"]);
    assert_eq!(api, cli);
    assert!(
        api["comparison"]["figures"]
            .as_array()
            .is_some_and(|f| !f.is_empty())
    );
    let api = s
        .get(&enc(
            "/api/v1/assessment?region=海淀&period=2024-01&compare=none&limits=gb3095-2026-final",
        ))
        .json();
    let cli = cli_json(
        &st,
        &[
            "assess",
            "--region",
            "海淀",
            "--period",
            "2024-01",
            "--compare",
            "none",
            "--limits",
            "gb3095-2026-final",
            "--format",
            "json",
        ],
    );
    assert_eq!(api, cli);
    let api = s.get("/api/v1/ranking?period=2024-01").json();
    let cli = cli_json(
        &st,
        &[
            "assess", "--period", "2024-01", "--by", "district", "--format", "json",
        ],
    );
    assert_eq!(api, cli);
    let rcsv = s
        .get("/api/v1/ranking?period=2024-01&by=station&format=csv")
        .text();
    assert_eq!(rcsv.lines().count(), 3, "{rcsv}");
    assert!(
        rcsv.lines().nth(1).unwrap().starts_with("东城东四,1,"),
        "{rcsv}"
    );

    let report = cli_json(
        &st,
        &[
            "report",
            "--period",
            "2024-01",
            "--format",
            "json",
            "--geojson",
            geo.to_str().unwrap(),
        ],
    );
    let cal = s.get("/api/v1/calendar?period=2024-01").json();
    let cal = cal.as_array().unwrap();
    assert_eq!(cal.len(), 31);
    for (a, b) in cal.iter().zip(report["calendar"].as_array().unwrap()) {
        for k in ["date", "aqi", "level", "primary", "standard"] {
            assert_eq!(a[k], b[k], "{k} of {a}");
        }
    }
    // 31 January by hand: station-day PM2.5 (75 + 115)/2 = 95 → 125, 轻度污染, orange.
    assert_eq!(cal[30]["aqi"], 125);
    assert_eq!(cal[30]["colour"], "#ff7e00");
    // Without a period: the year of the latest data.
    let cal_year = s.get("/api/v1/calendar").json();
    assert_eq!(cal_year.as_array().unwrap().len(), 366);
    let api = s.get("/api/v1/report?period=2024-01&format=json").json();
    assert_eq!(api, report);
    let html = s.get("/api/v1/report?period=2024-01&lang=en&format=html");
    assert!(html.content_type.starts_with("text/html"));
    assert!(html.text().contains("Beijing") && html.text().contains("<svg"));
    let md = s.get("/api/v1/report?period=2024-01&format=md");
    assert!(md.content_type.starts_with("text/markdown"));
    assert_eq!(
        md.text(),
        lantian_ok(
            &st,
            &[
                "report",
                "--period",
                "2024-01",
                "--format",
                "md",
                "--geojson",
                geo.to_str().unwrap()
            ]
        )
    );

    // Districts for the map.
    let g = s.get("/api/v1/geo/districts");
    assert_eq!(g.content_type, "application/geo+json");
    assert_eq!(g.text(), SQUARES);

    // Caching: one ETag per snapshot; a revalidation is a 304 without a body.
    let a = s.get("/api/v1/aqi/latest");
    let b = s.get("/api/v1/aqi/latest");
    let tag = a.etag.clone().expect("an ETag");
    assert_eq!(Some(tag.clone()), b.etag);
    assert_eq!(a.cache_control.as_deref(), Some("no-cache"));
    let c = s.get_with("/api/v1/aqi/latest", ("If-None-Match", &tag));
    assert_eq!(c.status, 304);
    assert!(c.body.is_empty());
    let d = s.get_with("/api/v1/aqi/latest", ("If-None-Match", "\"other\""));
    assert_eq!(d.status, 200);
    // The page: never cached stale; hashed assets cached for good.
    let page = s.get("/");
    assert_eq!(page.status, 200);
    assert!(page.content_type.starts_with("text/html"));
    assert_eq!(page.cache_control.as_deref(), Some("no-cache"));
    if let Some(js) = page
        .text()
        .split('"')
        .find(|p| p.starts_with("/assets/") && p.ends_with(".js"))
    {
        let js = s.get(js);
        assert_eq!(js.status, 200);
        assert!(js.content_type.starts_with("text/javascript"));
        assert_eq!(
            js.cache_control.as_deref(),
            Some("public, max-age=31536000, immutable")
        );
    }
}

#[test]
fn the_openapi_document_lists_every_route_and_validates() {
    let (_dir, st, _geo) = fixture();
    let s = Server::start(&st, &[], &[]);
    let doc = s.get("/api/v1/openapi.json").json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let mut paths: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            "/aqi/latest",
            "/aqi/latest/{station}",
            "/assessment",
            "/calendar",
            "/campaigns/gep",
            "/campaigns/indicators",
            "/campaigns/measures",
            "/campaigns/progress",
            "/campaigns/updates",
            "/carbon/compliance",
            "/carbon/green",
            "/carbon/offsets",
            "/carbon/oracle",
            "/geo/districts",
            "/health",
            "/ingest",
            "/ranking",
            "/report",
            "/series/daily",
            "/series/hourly",
            "/soil/coverage",
            "/soil/list",
            "/soil/list/changes",
            "/soil/list/history",
            "/soil/screening",
            "/soil/surface",
            "/stations",
            "/water/assessment",
            "/water/compensation",
            "/water/sections",
        ]
    );
    // Every operation has its own id (generated clients name their methods by it).
    let mut ids: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .map(|op| op["operationId"].as_str().expect("an operationId"))
        .collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "operation ids given twice among {ids:?}");
    // Every documented GET route is served (a wrong path would be the 404 "no such endpoint");
    // every documented query parameter is accepted (an unknown one is a 400 naming it).
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(get) = item.get("get") else { continue };
        let url = format!("/api/v1{}", path.replace("{station}", "beijing"));
        let r = s.get(&url);
        assert!(
            !r.text().contains("no such endpoint"),
            "{url}: {} {}",
            r.status,
            r.text()
        );
        for p in get["parameters"].as_array().into_iter().flatten() {
            if p["in"] != "query" {
                continue;
            }
            let name = p["name"].as_str().unwrap();
            let r = s.get(&format!("{url}?{name}=x"));
            let body = r.text();
            assert!(
                !body.contains("unknown field"),
                "{url}: documented parameter {name} is refused as unknown: {body}"
            );
        }
    }
    // A strict validator of the OpenAPI 3.1 schema, when installed (.ci/run installs it).
    let file = _dir.path().join("openapi.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    let out = std::process::Command::new("python3")
        .args(["-c", "import sys; from openapi_spec_validator import validate; from openapi_spec_validator.readers import read_from_filename; validate(read_from_filename(sys.argv[1])[0]); print('valid')"])
        .arg(&file)
        .output();
    match out {
        Ok(o) if o.status.success() => {
            assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "valid")
        }
        Ok(o) if String::from_utf8_lossy(&o.stderr).contains("No module named") => {
            eprintln!(
                "SKIP the OpenAPI validation: pip install openapi-spec-validator (.ci/run does)"
            )
        }
        Ok(o) => panic!(
            "the OpenAPI document does not validate: {}",
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) => eprintln!("SKIP the OpenAPI validation: no python3 ({e})"),
    }
}

fn assert_error(r: &common::serve::Answer, status: u16, parameter: Option<&str>, words: &str) {
    assert_eq!(r.status, status, "{}", r.text());
    assert!(
        r.content_type.starts_with("application/json"),
        "{}",
        r.content_type
    );
    let b = r.json();
    assert!(
        b["error"].as_str().unwrap().contains(words),
        "expected '{words}' in {b}"
    );
    if let Some(p) = parameter {
        assert_eq!(b["parameter"], p, "{b}");
    }
}

#[test]
fn bad_input_is_refused_with_a_clear_4xx() {
    let (_dir, st, _geo) = fixture();
    let s = Server::start(&st, &["--max-body", "65536"], &[("LANTIAN_TOKEN", TOKEN)]);
    // Unknown station or region.
    assert_error(
        &s.get("/api/v1/aqi/latest/nowhere"),
        404,
        Some("station"),
        "unknown station 'nowhere'",
    );
    assert_error(
        &s.get("/api/v1/series/hourly?station=nowhere&from=2024-01-01&to=2024-01-02"),
        404,
        Some("station"),
        "unknown station",
    );
    assert_error(
        &s.get("/api/v1/assessment?region=atlantis&period=2024"),
        404,
        Some("region"),
        "unknown region 'atlantis'",
    );
    // Inverted and absurd periods.
    assert_error(
        &s.get("/api/v1/series/hourly?region=beijing&from=2024-01-05&to=2024-01-01"),
        400,
        Some("from"),
        "after",
    );
    assert_error(
        &s.get("/api/v1/series/hourly?region=beijing&from=2024-01-01&to=2024-03-01"),
        400,
        Some("to"),
        "at most 31",
    );
    assert_error(
        &s.get("/api/v1/series/daily?region=beijing&from=1900-01-01&to=1900-01-02"),
        400,
        Some("from"),
        "years 2000..=2100",
    );
    assert_error(
        &s.get("/api/v1/series/daily?region=beijing&from=2024-02-30&to=2024-03-01"),
        400,
        Some("from"),
        "YYYY-MM-DD",
    );
    assert_error(
        &s.get("/api/v1/assessment?period=2023-01-01..2024-12-31"),
        400,
        Some("period"),
        "at most 366",
    );
    assert_error(
        &s.get("/api/v1/assessment?period=2024-01-31..2024-01-01"),
        400,
        Some("period"),
        "after the last",
    );
    assert_error(
        &s.get("/api/v1/assessment?period=2024-13"),
        400,
        Some("period"),
        "2024-13",
    );
    assert_error(
        &s.get("/api/v1/assessment?period=99999"),
        400,
        Some("period"),
        "years",
    );
    assert_error(
        &s.get("/api/v1/assessment?period=2024&compare=1800"),
        400,
        Some("compare"),
        "years",
    );
    // Malformed, unknown and repeated parameters; bad enumerations.
    assert_error(
        &s.get("/api/v1/assessment?period=2024-01&limits=gb3095-1996"),
        400,
        Some("limits"),
        "gb3095-1996",
    );
    assert_error(
        &s.get("/api/v1/assessment?period=2024-01&target=PM2.5"),
        400,
        Some("target"),
        "NAME=VALUE",
    );
    assert_error(
        &s.get("/api/v1/assessment?period=2024-01&dust_days=/etc/passwd"),
        400,
        Some("dust_days"),
        "unknown field",
    );
    assert_error(
        &s.get("/api/v1/assessment"),
        400,
        Some("period"),
        "missing field",
    );
    assert_error(
        &s.get("/api/v1/stations?format=xml"),
        400,
        Some("format"),
        "'xml' is not one of json, csv",
    );
    assert_error(
        &s.get("/api/v1/stations?format=csv&format=json"),
        400,
        Some("format"),
        "twice",
    );
    assert_error(
        &s.get("/api/v1/report?period=2024-01&format=docx"),
        400,
        Some("format"),
        "docx",
    );
    assert_error(
        &s.get("/api/v1/report?period=2024-01&lang=fr"),
        400,
        Some("lang"),
        "fr",
    );
    // No data is a 404, not an empty success.
    assert_error(
        &s.get("/api/v1/assessment?period=2019"),
        404,
        None,
        "no 1-h data",
    );
    assert_error(
        &s.get("/api/v1/series/hourly?region=beijing&from=2019-01-01&to=2019-01-02"),
        404,
        None,
        "no 1-h data",
    );
    assert_error(
        &s.get("/api/v1/nothing-here"),
        404,
        None,
        "no such endpoint",
    );

    // Static files cannot escape their folder: the dashboard is a fixed table in the binary.
    for p in [
        "/../Cargo.toml",
        "/assets/..%2F..%2FCargo.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "//etc/passwd",
        "/assets/../../../../etc/passwd",
    ] {
        let r = s.get(p);
        assert_ne!(r.status, 200, "{p}");
        let t = r.text();
        assert!(!t.contains("[package]") && !t.contains("root:"), "{p}: {t}");
    }

    // Writes: token required, body bounded, name checked, content checked.
    let day = common::serve::day_files(
        chrono::NaiveDate::from_ymd_opt(2024, 2, 1).unwrap(),
        &|_| true,
    );
    let (name, body) = (&day[0].0, day[0].1.as_bytes());
    let r = s.post(&format!("/api/v1/ingest?name={name}"), None, body);
    assert_error(&r, 401, Some("authorization"), "missing");
    let r = s.post(&format!("/api/v1/ingest?name={name}"), Some("wrong"), body);
    assert_error(&r, 401, Some("authorization"), "wrong token");
    // Authentication comes first: without the token a missing, unknown or bad parameter and an
    // oversized body all get the same 401, so the caller learns nothing of the route.
    for path in [
        "/api/v1/ingest".to_string(),
        "/api/v1/ingest?nom=x.csv".to_string(),
        "/api/v1/ingest?name=../../evil.csv".to_string(),
    ] {
        for token in [None, Some("wrong")] {
            let r = s.post(&path, token, body);
            assert_eq!(r.status, 401, "{path} {token:?}: {}", r.text());
        }
    }
    let r = s.post("/api/v1/ingest", None, &vec![b'x'; 200_000]);
    assert_eq!(r.status, 401, "oversized, no token: {}", r.text());
    let big = vec![b'x'; 200_000];
    let r = s.post(&format!("/api/v1/ingest?name={name}"), Some(TOKEN), &big);
    // Read to its end (and dropped) before the answer, so the client gets the 413 and not a
    // reset connection.
    assert_error(&r, 413, Some("body"), "larger than");
    let r = s.post("/api/v1/ingest?name=../../evil.csv", Some(TOKEN), body);
    assert_error(&r, 400, Some("name"), "no folders");
    let r = s.post("/api/v1/ingest?name=notes.txt", Some(TOKEN), b"hello");
    assert_error(&r, 422, Some("body"), "notes.txt");
    let r = s.post(&format!("/api/v1/ingest?name={name}"), Some(TOKEN), body);
    assert_eq!(r.status, 200, "{}", r.text());
    let j = r.json();
    assert!(j["values_new"].as_u64().unwrap() > 0, "{j}");
    assert_eq!(j["generation"], 2);
    assert_eq!(j["latest"], "2024-02-01T23:00:00+08:00");
    // The same file again changes nothing.
    let r = s.post(&format!("/api/v1/ingest?name={name}"), Some(TOKEN), body);
    assert_eq!(r.json()["status"], "unchanged");
    // The token never appears in what the server prints.
    let log = s.log();
    assert!(!log.contains(TOKEN), "the token was printed: {log}");
    assert!(log.contains("writes enabled"), "{log}");
    drop(s);

    // Without a token, writes are disabled.
    let s = Server::start(&st, &[], &[]);
    let r = s.post(&format!("/api/v1/ingest?name={name}"), Some(TOKEN), body);
    assert_error(&r, 403, None, "disabled");
}
