//! The water resources of `lantian serve`: the same figures as `lantian water`, and clear
//! refusals.

mod common;
use common::serve::Server;

#[test]
fn sections_assessment_compensation_and_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("bj");
    let d = data.display().to_string();
    let out = std::process::Command::new(common::bin())
        .args(["water", "generate", "--out", &d, "--years", "2023,2024"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let sections = data.join("sections.csv").display().to_string();
    let cli = |args: &[&str]| -> serde_json::Value {
        let out = std::process::Command::new(common::bin())
            .arg("water")
            .args(args)
            .args([
                "--sections",
                &sections,
                "--readings",
                &d,
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        assert!(out.status.success());
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let s = Server::start(
        &dir.path().join("store"),
        &["--water-sections", &sections, "--water-readings", &d],
        &[],
    );
    let a = s.get("/api/v1/water/sections");
    assert_eq!(a.status, 200, "{}", a.text());
    let v = a.json();
    assert_eq!(v.as_array().unwrap().len(), 36);
    assert_eq!(v[0]["code"], "BJ01");
    assert_eq!(v[0]["years"], serde_json::json!([2023, 2024]));

    // The API's assessment is the command line's.
    let a = s.get("/api/v1/water/assessment?period=2024&months=true");
    assert_eq!(a.status, 200, "{}", a.text());
    let api = a.json();
    let local = cli(&["assess", "--period", "2024", "--months"]);
    assert_eq!(api["sections"], local["sections"]);
    assert_eq!(api["grades"], local["grades"]);
    assert_eq!(api["change"], local["change"]);
    assert_eq!(api["months"].as_array().unwrap().len(), 36 * 12);
    let a = s.get("/api/v1/water/compensation?period=2024-H1");
    assert_eq!(a.status, 200, "{}", a.text());
    assert_eq!(
        a.json()["total_cny"],
        cli(&["compensation", "--period", "2024-H1"])["total_cny"]
    );

    // Refusals name the parameter and never a command-line option.
    for (path, param) in [
        ("/api/v1/water/assessment?period=2024-13", "period"),
        ("/api/v1/water/assessment", "period"),
        (
            "/api/v1/water/assessment?period=2024&months=maybe",
            "months",
        ),
        ("/api/v1/water/compensation?period=x", "period"),
        ("/api/v1/water/sections?x=1", "x"),
    ] {
        let a = s.get(path);
        assert_eq!(
            (a.status, a.json()["parameter"].as_str()),
            (400, Some(param)),
            "{path}"
        );
        assert!(!a.text().contains("--"), "{}", a.text());
    }
    let a = s.get("/api/v1/water/assessment?period=2019");
    assert_eq!(a.status, 404, "{}", a.text());
    drop(s);

    // Without water data: 404 that says so.
    let s = Server::start(&dir.path().join("store2"), &[], &[]);
    let a = s.get("/api/v1/water/sections");
    assert_eq!(a.status, 404);
    assert_eq!(
        a.json()["error"],
        "no water sections or readings on this server (it was started without them)"
    );
}
