//! The soil resources of `lantian serve`: the same figures as `lantian soil`, over the Beijing
//! model, the list read from the store as it is now, and clear refusals.

mod common;
use common::serve::Server;
use serde_json::Value;
use std::path::Path;

/// `lantian [--store S] soil ARGS… --format json`.
fn cli(store: &Path, args: &[&str]) -> Value {
    let mut a = vec!["soil"];
    a.extend_from_slice(args);
    a.extend(["--format", "json"]);
    let out = common::lantian_ok(store, &a);
    serde_json::from_str(&out).unwrap()
}

/// The answer without the files read: the server reads every soil file it was given for every
/// resource (samples, plots, the city's classes), where each command reads its own.
fn without_files(mut v: Value) -> (Value, Vec<String>) {
    let files = v
        .as_object_mut()
        .unwrap()
        .remove("files")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap().to_string())
        .collect();
    (v, files)
}

fn same_but_files(api: Value, local: Value) {
    let (api, api_files) = without_files(api);
    let (local, local_files) = without_files(local);
    assert_eq!(api, local);
    for f in &local_files {
        assert!(api_files.contains(f), "{f} not among {api_files:?}");
    }
}

#[test]
fn screening_coverage_surface_and_list_are_the_commands_and_refusals_name_the_parameter() {
    let dir = tempfile::tempdir().unwrap();
    let st = dir.path().join("store");
    let data = dir.path().join("bj");
    let d = data.display().to_string();
    common::lantian_ok(
        &st,
        &[
            "soil", "generate", "--out", &d, "--seed", "1", "--year", "2024",
        ],
    );
    let file = |n: &str| data.join(n).display().to_string();
    let (plots, classes, combinations) = (
        file("plots.csv"),
        file("classes.csv"),
        file("combinations.csv"),
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
    let s = Server::start(
        &st,
        &[
            "--soil-samples",
            &d,
            "--soil-plots",
            &plots,
            "--soil-classes",
            &classes,
            "--soil-combinations",
            &combinations,
        ],
        &[],
    );
    let get = |path: &str| {
        let a = s.get(path);
        assert_eq!(a.status, 200, "{path}: {}", a.text());
        a.json()
    };

    // The screening is the command's: samples, shares by samples and by area, exceedances.
    let api = get("/api/v1/soil/screening");
    let samples = api["samples"].as_array().unwrap().len();
    assert!(samples > 500, "{samples}");
    let shares = &api["gb15618"];
    assert_eq!(shares["standard"], "GB 15618—2018");
    assert_eq!(api["gb36600"]["standard"], "GB 36600—2018");
    assert!(api["area_gb36600"]["rows"].as_array().unwrap().len() == 4);
    same_but_files(
        api,
        cli(&st, &["screen", "--samples", &d, "--plots", &plots]),
    );
    same_but_files(
        get("/api/v1/soil/screening?group_by=district"),
        cli(
            &st,
            &[
                "screen",
                "--samples",
                &d,
                "--plots",
                &plots,
                "--group-by",
                "district",
            ],
        ),
    );
    let api = get("/api/v1/soil/screening?land_class=other_farmland&group_by=land_use");
    assert!(api["gb36600"].is_null(), "every sample is farmland now");
    same_but_files(
        api,
        cli(
            &st,
            &[
                "screen",
                "--samples",
                &d,
                "--plots",
                &plots,
                "--land-class",
                "other_farmland",
                "--group-by",
                "land_use",
            ],
        ),
    );

    // The coverage: the model's one gap (orchards on brown earth) is an empty cell.
    let api = get("/api/v1/soil/coverage");
    let empty = api["cross"]["empty"].as_array().unwrap();
    assert_eq!(empty.len(), 1, "{empty:?}");
    let local = cli(
        &st,
        &[
            "coverage",
            "--points",
            &d,
            "--classes",
            &classes,
            "--combinations",
            &combinations,
        ],
    );
    same_but_files(api, local);
    same_but_files(
        get("/api/v1/soil/coverage?rows=district&cols=topography"),
        cli(
            &st,
            &[
                "coverage",
                "--points",
                &d,
                "--classes",
                &classes,
                "--combinations",
                &combinations,
                "--rows",
                "district",
                "--cols",
                "topography",
            ],
        ),
    );

    // The surface, byte for byte the command's JSON (it names no file).
    for (query, args) in [
        (
            "item=Cd&grid=24x20&threshold=0.3",
            vec!["--item", "Cd", "--grid", "24x20", "--threshold", "0.3"],
        ),
        (
            "item=Pb&method=idw&grid=10x10&threshold=35",
            vec![
                "--item",
                "Pb",
                "--method",
                "idw",
                "--grid",
                "10x10",
                "--threshold",
                "35",
            ],
        ),
    ] {
        let api = get(&format!("/api/v1/soil/surface?{query}"));
        let mut a = vec!["surface", "--samples", d.as_str()];
        a.extend(args);
        assert_eq!(api, cli(&st, &a), "{query}");
        let g = &api["grid"];
        assert_eq!(
            g["values"].as_array().unwrap().len() as u64,
            g["nx"].as_u64().unwrap() * g["ny"].as_u64().unwrap()
        );
    }

    // The list, as the store holds it: on a date, today by default, changes, history.
    let store = |args: &[&str]| cli(&st, &[vec!["list"], args.to_vec()].concat());
    let end = get("/api/v1/soil/list?as_of=2024-12-31");
    assert_eq!(end, store(&["as-of", "--date", "2024-12-31"]));
    assert!(!end["entries"].as_array().unwrap().is_empty());
    let today = get("/api/v1/soil/list");
    let date = today["date"].as_str().unwrap().to_string();
    assert_eq!(date, chrono::Local::now().date_naive().to_string());
    assert_eq!(today, store(&["as-of", "--date", &date]));
    assert_eq!(
        get("/api/v1/soil/list/changes?from=2023-12-31&to=2024-12-31"),
        store(&["changes", "--from", "2023-12-31", "--to", "2024-12-31"])
    );
    let all = get("/api/v1/soil/list/history");
    assert_eq!(all, store(&["history"]));
    let plot = end["entries"][0]["plot"].as_str().unwrap().to_string();
    assert_eq!(
        get(&format!("/api/v1/soil/list/history?plot={plot}")),
        store(&["history", "--plot", &plot])
    );

    // An event recorded by the command line while the server runs is in the next answer: the
    // list carries no snapshot tag that could answer 304 for it.
    let before = s.get("/api/v1/soil/list?as_of=2025-01-31");
    assert_eq!(before.etag, None);
    assert_eq!(before.cache_control.as_deref(), Some("no-cache"));
    let entry = &end["entries"][0];
    let next = match entry["status"].as_str().unwrap() {
        "listed" => "under_control",
        "under_control" | "under_remediation" => "effect_evaluated",
        "effect_evaluated" => "removed",
        other => panic!("{other} is not on the list"),
    };
    common::lantian_ok(
        &st,
        &[
            "soil",
            "list",
            "record",
            "--plot",
            &plot,
            "--date",
            "2025-01-15",
            "--status",
            next,
            "--by",
            "北京市生态环境局",
            "--reason",
            "test",
            "--evidence",
            "报告",
        ],
    );
    let after = get("/api/v1/soil/list?as_of=2025-01-31");
    assert_ne!(after, before.json());
    assert_eq!(after["history"], end["history"].as_u64().unwrap() + 1);
    let h = get(&format!("/api/v1/soil/list/history?plot={plot}"));
    assert_eq!(h["status"], next);

    // Refusals name the parameter and never a command-line option.
    for (path, param) in [
        ("/api/v1/soil/screening?land_class=forest", "land_class"),
        ("/api/v1/soil/screening?group_by=zones", "group_by"),
        ("/api/v1/soil/screening?x=1", "x"),
        ("/api/v1/soil/coverage?rows=colour", "rows"),
        ("/api/v1/soil/coverage?rows=soil_type", "cols"),
        ("/api/v1/soil/surface", "item"),
        ("/api/v1/soil/surface?item=Xx&threshold=1", "item"),
        (
            "/api/v1/soil/surface?item=Cd&grid=300x300&threshold=1",
            "grid",
        ),
        (
            "/api/v1/soil/surface?item=Cd&grid=200x201&threshold=1",
            "grid",
        ),
        ("/api/v1/soil/surface?item=Cd&grid=1x10&threshold=1", "grid"),
        ("/api/v1/soil/surface?item=Cd&grid=big&threshold=1", "grid"),
        ("/api/v1/soil/surface?item=Cd&method=spline", "method"),
        ("/api/v1/soil/surface?item=Cd&model=linear", "model"),
        ("/api/v1/soil/surface?item=Cd&threshold=-1", "threshold"),
        ("/api/v1/soil/surface?item=Cd&threshold=low", "threshold"),
        // Farmland in several pH bands and construction land share no screening value.
        ("/api/v1/soil/surface?item=Cd&grid=10x10", "threshold"),
        ("/api/v1/soil/list?as_of=2024-13-01", "as_of"),
        ("/api/v1/soil/list?as_of=1999-12-31", "as_of"),
        ("/api/v1/soil/list/changes?from=2024-01-01", "to"),
        (
            "/api/v1/soil/list/changes?from=2024-06-01&to=2024-01-01",
            "to",
        ),
        ("/api/v1/soil/list/changes?from=x&to=2024-01-01", "from"),
        ("/api/v1/soil/list/history?plot=NOPE", "plot"),
    ] {
        let a = s.get(path);
        assert_eq!(
            (a.status, a.json()["parameter"].as_str()),
            (400, Some(param)),
            "{path}: {}",
            a.text()
        );
        assert!(!a.text().contains("--"), "{}", a.text());
    }
    drop(s);

    // Without soil files: 404 that says so; the list is the store's and still answers.
    let s = Server::start(&st, &[], &[]);
    for path in [
        "/api/v1/soil/screening",
        "/api/v1/soil/coverage",
        "/api/v1/soil/surface?item=Cd",
    ] {
        let a = s.get(path);
        assert_eq!(a.status, 404, "{path}");
        assert_eq!(
            a.json()["error"],
            "no soil samples on this server (it was started without them)"
        );
    }
    assert_eq!(s.get("/api/v1/soil/list?as_of=2025-01-31").json(), after);
}
