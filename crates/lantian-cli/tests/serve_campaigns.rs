//! The campaigns' resources of `lantian serve`: progress, indicators and the GEP-R accounts
//! equal `lantian campaigns … --format json` byte for byte; the writes need the token, refuse a
//! report dated before its measure's start whole, and what they record (or the command line
//! records in another process) is in the next answer, by shares worked out by hand; and the
//! campaigns page shows the API's figures (headless Chromium, `web/e2e/campaigns.mjs`).

mod common;

use common::serve::{Answer, Server, browser_ready};
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;

const TOKEN: &str = "campaigns-t0ken-not-to-be-printed";

/// `lantian --store S campaigns ARGS… --format json`, as the API's compact bytes (the command
/// prints the same sorted JSON, indented).
fn cli(store: &Path, args: &[&str]) -> Vec<u8> {
    let mut a = vec!["campaigns"];
    a.extend_from_slice(args);
    a.extend(["--format", "json"]);
    let v: Value = serde_json::from_str(&common::lantian_ok(store, &a)).unwrap();
    serde_json::to_vec(&v).unwrap()
}

fn ok(a: Answer, what: &str) -> Answer {
    assert_eq!(a.status, 200, "{what}: {}", a.text());
    a
}

fn same_bytes(api: &Answer, cli: &[u8], what: &str) {
    assert!(
        api.body == cli,
        "{what}: the API's answer differs from the command's\nAPI: {}\nCLI: {}",
        api.text(),
        String::from_utf8_lossy(cli)
    );
}

/// A refusal: its status, the parameter it names, words of its message, and no command-line
/// option.
fn refused(a: &Answer, status: u16, parameter: Option<&str>, words: &[&str]) {
    assert_eq!(a.status, status, "{}", a.text());
    let v = a.json();
    assert_eq!(v["parameter"].as_str(), parameter, "{v}");
    let msg = v["error"].as_str().unwrap();
    for w in words {
        assert!(msg.contains(w), "{w:?} not in {msg:?}");
    }
    assert!(!msg.contains("--"), "a command-line option in {msg:?}");
}

fn close(a: &Value, b: f64, what: &str) {
    let a = a.as_f64().unwrap_or_else(|| panic!("{what}: not a number"));
    assert!((a - b).abs() < 1e-12, "{what}: {a}, expected {b}");
}

fn measure<'a>(progress: &'a Value, id: &str) -> &'a Value {
    progress["progress"]["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in the progress"))
}

fn report(measure: &str, milestone: &str, date: &str, percent: f64) -> Value {
    json!({"measure": measure, "milestone": milestone, "date": date, "percent": percent,
           "evidence": "验收记录", "by": "市水务局"})
}

fn post(s: &Server, path: &str, token: Option<&str>, body: &Value) -> Answer {
    s.post(path, token, body.to_string().as_bytes())
}

const PROGRESS: &str = "/api/v1/campaigns/progress?as_of=2024-06-30";

#[test]
fn progress_indicators_and_gep_are_the_commands_and_writes_show_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let st = dir.path().join("store");
    let s = Server::start(&st, &[], &[("LANTIAN_TOKEN", TOKEN)]);
    let get = |path: &str| ok(s.get(path), path);

    // The example plan on 30 June 2024, as the command gives it, whole and per campaign or
    // unit; read from the store at each request, so no snapshot tag.
    let before = get(PROGRESS);
    same_bytes(
        &before,
        &cli(&st, &["progress", "--as-of", "2024-06-30"]),
        "progress",
    );
    assert_eq!(before.etag, None);
    assert_eq!(before.cache_control.as_deref(), Some("no-cache"));
    same_bytes(
        &get("/api/v1/campaigns/progress?as_of=2024-06-30&campaign=clear_water"),
        &cli(
            &st,
            &[
                "progress",
                "--as-of",
                "2024-06-30",
                "--campaign",
                "clear_water",
            ],
        ),
        "one campaign",
    );
    same_bytes(
        &get(&common::serve::enc(
            "/api/v1/campaigns/progress?as_of=2024-06-30&unit=市水务局",
        )),
        &cli(
            &st,
            &["progress", "--as-of", "2024-06-30", "--unit", "市水务局"],
        ),
        "one unit",
    );
    same_bytes(
        &get("/api/v1/campaigns/indicators?as_of=2024-06-30"),
        &cli(&st, &["indicators", "--as-of", "2024-06-30"]),
        "indicators",
    );
    same_bytes(
        &get("/api/v1/campaigns/indicators?as_of=2024-06-30&campaign=climate"),
        &cli(
            &st,
            &[
                "indicators",
                "--as-of",
                "2024-06-30",
                "--campaign",
                "climate",
            ],
        ),
        "one campaign's indicators",
    );
    same_bytes(&get("/api/v1/campaigns/gep"), &cli(&st, &["gep"]), "GEP-R");
    same_bytes(
        &get("/api/v1/campaigns/gep?year=2023"),
        &cli(&st, &["gep", "--year", "2023"]),
        "GEP-R 2023",
    );

    // The measures, and one with its reports.
    let measures = get("/api/v1/campaigns/measures").json();
    assert_eq!(measures["measures"].as_array().unwrap().len(), 24);
    let cw01 = get("/api/v1/campaigns/measures?id=CW-01").json();
    assert_eq!(cw01["measure"]["lead"], "市水务局");
    assert_eq!(cw01["measure"]["start"], "2024-01-01");
    let reports = cw01["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0]["milestone"], "started");
    assert_eq!(reports[0]["kept_in"], "plan_files");

    // By hand, before: CW-01 (milestones "started", weight 1, and "built", weight 2) has
    // "started" at 100 % and nothing of "built": (1 × 100 + 2 × 0) / 3 = 1/3 done, against
    // 182/366 of its year elapsed (1 January to 30 June, both counted, of 2024's 366 days):
    // behind schedule.
    let b = before.json();
    let m = measure(&b, "CW-01");
    close(&m["done"], 1.0 / 3.0, "CW-01 done before");
    close(&m["expected"], 182.0 / 366.0, "CW-01 expected");
    assert_eq!(m["status"], "behind");

    // Writes need the token, checked before the body is read.
    let built = json!({"updates": [report("CW-01", "built", "2024-06-20", 50.0)]});
    let path = "/api/v1/campaigns/updates";
    refused(
        &post(&s, path, None, &built),
        401,
        Some("authorization"),
        &["missing"],
    );
    refused(
        &post(&s, path, Some("wrong"), &built),
        401,
        Some("authorization"),
        &["wrong token"],
    );
    let r = s.post(path, None, b"not json at all");
    refused(&r, 401, Some("authorization"), &["missing"]);
    refused(
        &post(
            &s,
            "/api/v1/campaigns/indicators",
            Some("wrong"),
            &json!({"values": []}),
        ),
        401,
        Some("authorization"),
        &["wrong token"],
    );

    // A batch with a report dated before its measure's start is refused whole: the report is
    // named with both dates, and the valid report beside it is not recorded either.
    let early = json!({"updates": [
        report("CW-01", "built", "2024-06-20", 50.0),
        report("CW-01", "built", "2023-12-31", 10.0),
    ]});
    refused(
        &post(&s, path, Some(TOKEN), &early),
        400,
        Some("body"),
        &[
            "report 2",
            "CW-01",
            "2023-12-31",
            "2024-01-01",
            "nothing is recorded",
        ],
    );
    let none = get("/api/v1/campaigns/updates?measure=CW-01").json();
    assert_eq!(none["reports_in_store"], 0);
    assert_eq!(none["reports"].as_array().unwrap().len(), 1);
    assert_eq!(
        get(PROGRESS).body,
        before.body,
        "a refused batch changed the progress"
    );
    // Other refusals of a batch: unknown milestone, a share over 100 %, a field missing, an
    // empty batch, not JSON.
    for (body, words) in [
        (
            json!({"updates": [report("CW-01", "roofs", "2024-06-20", 50.0)]}),
            vec!["roofs", "started, built"],
        ),
        (
            json!({"updates": [report("CW-01", "built", "2024-06-20", 150.0)]}),
            vec!["150", "0 to 100"],
        ),
        (
            json!({"updates": [report("XX-99", "all", "2024-06-20", 50.0)]}),
            vec!["XX-99", "not in the plan"],
        ),
        (
            json!({"updates": [{"measure": "CW-01", "milestone": "built", "date": "2024-06-20", "percent": 50}]}),
            vec!["missing field `evidence`"],
        ),
        (json!({"updates": []}), vec!["no report"]),
        (json!({"reports": []}), vec!["unknown field `reports`"]),
    ] {
        refused(
            &post(&s, path, Some(TOKEN), &body),
            400,
            Some("body"),
            &words,
        );
    }
    refused(
        &s.post(path, Some(TOKEN), b"measure,milestone\nCW-01,built"),
        400,
        Some("body"),
        &["body:"],
    );
    assert_eq!(
        get("/api/v1/campaigns/updates").json()["reports_in_store"],
        0
    );

    // A valid report is recorded and counted in the next answer. By hand: "built" at 50 %
    // makes CW-01 (1 × 100 + 2 × 50) / 3 = 2/3 done, now ahead of its 182/366: on schedule.
    // The plan's mean over its 24 measures rises by (2/3 − 1/3) / 24 = 1/72, clear water's
    // over its 6 by 1/18, the 市水务局's over its 4 by 1/12; one measure fewer is behind.
    let r = ok(post(&s, path, Some(TOKEN), &built), "record").json();
    assert_eq!(r, json!({"given": 1, "recorded": 1, "already_recorded": 0}));
    let after = get(PROGRESS);
    let a = after.json();
    let m = measure(&a, "CW-01");
    close(&m["done"], 2.0 / 3.0, "CW-01 done after");
    assert_eq!(m["status"], "on_schedule");
    assert_eq!(m["last_report"], "2024-06-30");
    let (p0, p1) = (&b["progress"], &a["progress"]);
    close(
        &p1["total"]["done"],
        p0["total"]["done"].as_f64().unwrap() + 1.0 / 72.0,
        "the plan's mean done",
    );
    close(
        &p1["by_campaign"]["clear_water"]["done"],
        p0["by_campaign"]["clear_water"]["done"].as_f64().unwrap() + 1.0 / 18.0,
        "clear water's mean done",
    );
    close(
        &p1["by_unit"]["市水务局"]["done"],
        p0["by_unit"]["市水务局"]["done"].as_f64().unwrap() + 1.0 / 12.0,
        "市水务局's mean done",
    );
    assert_eq!(
        p1["total"]["by_status"]["behind"].as_u64().unwrap() + 1,
        p0["total"]["by_status"]["behind"].as_u64().unwrap()
    );
    assert_eq!(a["reports_in_store"], 1);
    // The command line reads the same store and agrees.
    same_bytes(
        &after,
        &cli(&st, &["progress", "--as-of", "2024-06-30"]),
        "progress after the write",
    );
    let one = get("/api/v1/campaigns/measures?id=CW-01").json();
    let reports = one["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[1]["kept_in"], "store");
    assert_eq!(reports[1]["date"], "2024-06-20");
    assert_eq!(reports[1]["percent"], 50.0);
    // Posted again, the batch is counted, not recorded twice.
    let r = ok(post(&s, path, Some(TOKEN), &built), "record again").json();
    assert_eq!(r, json!({"given": 1, "recorded": 0, "already_recorded": 1}));
    assert_eq!(get(PROGRESS).body, after.body);

    // A report recorded by the command line, in another process, is in the next answer:
    // "built" at 100 % on 25 June makes CW-01 done, early; done on 30 June, the day its other
    // milestone ("started") was reported at 100 %.
    let file = dir.path().join("updates.csv");
    std::fs::write(
        &file,
        "measure,milestone,date,percent,evidence,by\nCW-01,built,2024-06-25,100,验收记录,市水务局\n",
    )
    .unwrap();
    common::lantian_ok(
        &st,
        &["campaigns", "record", "--updates", file.to_str().unwrap()],
    );
    let done = get(PROGRESS).json();
    let m = measure(&done, "CW-01");
    close(&m["done"], 1.0, "CW-01 done by the command line's report");
    assert_eq!(m["status"], "done_early");
    assert_eq!(m["finished"], "2024-06-30");
    assert_eq!(
        get("/api/v1/campaigns/updates?measure=CW-01").json()["reports_in_store"],
        2
    );

    // Indicator values: recorded with the token, in the next answer with their source.
    let value = |v: f64| {
        json!({"values": [{"indicator": "nev_stock", "date": "2024-06-30", "value": v,
            "source": {"kind": "entered", "by": "市生态环境局", "evidence": "统计月报"}}]})
    };
    let ipath = "/api/v1/campaigns/indicators";
    refused(
        &post(&s, ipath, None, &value(90.0)),
        401,
        Some("authorization"),
        &["missing"],
    );
    refused(
        &post(
            &s,
            ipath,
            Some(TOKEN),
            &json!({"values": [{"indicator": "nev_stocks", "date": "2024-06-30", "value": 1,
                "source": {"kind": "entered", "by": "x", "evidence": "y"}}]}),
        ),
        400,
        Some("body"),
        &["nev_stocks", "nothing is recorded"],
    );
    refused(
        &post(
            &s,
            ipath,
            Some(TOKEN),
            &json!({"values": [{"indicator": "nev_stock", "date": "2024-06-30", "value": 1,
                "source": {"kind": "entered", "by": " ", "evidence": "y"}}]}),
        ),
        400,
        Some("body"),
        &["no by", "nothing is recorded"],
    );
    let shown = |as_of: &str| {
        let all = get(&format!("{ipath}?as_of={as_of}")).json();
        all.as_array()
            .unwrap()
            .iter()
            .find(|i| i["indicator"]["id"] == "nev_stock")
            .unwrap()["standing"]["latest"]
            .clone()
    };
    assert_eq!(shown("2024-06-30")["value"], 84.5);
    let r = ok(post(&s, ipath, Some(TOKEN), &value(90.0)), "record a value").json();
    assert_eq!(r, json!({"given": 1, "recorded": 1, "already_recorded": 0}));
    let latest = shown("2024-06-30");
    assert_eq!(latest["value"], 90.0);
    assert_eq!(
        latest["source"],
        json!({"kind": "entered", "by": "市生态环境局", "evidence": "统计月报"})
    );
    assert_eq!(shown("2024-06-29")["value"], 84.5, "the value of 31 May");
    same_bytes(
        &get(&format!("{ipath}?as_of=2024-06-30")),
        &cli(&st, &["indicators", "--as-of", "2024-06-30"]),
        "indicators after the write",
    );

    // Refusals name the parameter and never a command-line option.
    for (path, status, param) in [
        ("/api/v1/campaigns/progress?as_of=2024-13-01", 400, "as_of"),
        ("/api/v1/campaigns/progress?as_of=1999-12-31", 400, "as_of"),
        ("/api/v1/campaigns/progress?campaign=air", 400, "campaign"),
        ("/api/v1/campaigns/progress?unit=nobody", 400, "unit"),
        ("/api/v1/campaigns/progress?x=1", 400, "x"),
        ("/api/v1/campaigns/indicators?as_of=June", 400, "as_of"),
        ("/api/v1/campaigns/indicators?campaign=sky", 400, "campaign"),
        ("/api/v1/campaigns/measures?id=NOPE", 404, "id"),
        ("/api/v1/campaigns/updates?measure=NOPE", 404, "measure"),
        ("/api/v1/campaigns/gep?year=1999", 400, "year"),
        ("/api/v1/campaigns/gep?year=2030", 400, "year"),
        ("/api/v1/campaigns/gep?year=soon", 400, "year"),
    ] {
        let a = s.get(path);
        refused(&a, status, Some(param), &[]);
    }
    // A unit of the plan with no measure of the campaign asked for.
    refused(
        &s.get(&common::serve::enc(
            "/api/v1/campaigns/progress?campaign=blue_sky&unit=市水务局",
        )),
        400,
        Some("unit"),
        &["市水务局"],
    );
    let log = s.log();
    assert!(!log.contains(TOKEN), "the token was printed: {log}");
    drop(s);

    // Without a token, writes are disabled; reads go on.
    let s = Server::start(&st, &[], &[]);
    refused(
        &post(&s, path, Some(TOKEN), &built),
        403,
        None,
        &["disabled"],
    );
    refused(
        &post(&s, ipath, Some(TOKEN), &value(91.0)),
        403,
        None,
        &["disabled"],
    );
    assert_eq!(ok(s.get(PROGRESS), "progress").json(), done);
}

/// A plan folder given with `--plan` is the one the command reads with `--plan`; one that does
/// not read stops the server at its start, naming the option.
#[test]
fn a_plan_folder_is_served_as_the_command_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let st = dir.path().join("store");
    let plan = dir.path().join("plan");
    std::fs::create_dir_all(&plan).unwrap();
    let example =
        Path::new(&std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
            .join("../../plans/beijing-2024");
    for f in ["plan.toml", "updates.csv"] {
        std::fs::copy(example.join(f), plan.join(f)).unwrap();
    }
    let p = plan.to_str().unwrap();
    let s = Server::start(&st, &["--plan", p], &[]);
    let a = ok(s.get(PROGRESS), "progress");
    assert_eq!(a.json()["origin"], p);
    same_bytes(
        &a,
        &cli(&st, &["progress", "--plan", p, "--as-of", "2024-06-30"]),
        "progress of a plan folder",
    );
    // No indicator_values.csv in this folder: the indicators have no entered value.
    let ind = ok(
        s.get("/api/v1/campaigns/indicators?as_of=2024-06-30"),
        "indicators",
    );
    same_bytes(
        &ind,
        &cli(&st, &["indicators", "--plan", p, "--as-of", "2024-06-30"]),
        "indicators of a plan folder",
    );
    drop(s);

    std::fs::write(plan.join("plan.toml"), "[plan]\nname_zh = 1\n").unwrap();
    let (started, _, err) = common::lantian(&st, &["serve", "--addr", "127.0.0.1:0", "--plan", p]);
    assert!(!started);
    assert!(err.contains("--plan") && err.contains("plan.toml"), "{err}");
    let (started, _, err) = common::lantian(
        &st,
        &[
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--plan",
            dir.path().join("nowhere").to_str().unwrap(),
        ],
    );
    assert!(!started);
    assert!(err.contains("--plan"), "{err}");
}

fn parse(out: std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "campaigns.mjs failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(text.lines().last().unwrap()).unwrap()
}

/// A value the page shows (a `data-value`, as JavaScript writes it: 60, not 60.0; empty for
/// none) equals the API's.
fn same(shown: &Value, api: &Value, what: &str) {
    let text = |v: &Value| match v {
        Value::Null => String::new(),
        Value::String(x) => x.clone(),
        v => v.to_string(),
    };
    let (a, b) = (text(shown), text(api));
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => assert_eq!(x, y, "{what}: shown {a}, API {b}"),
        _ => assert_eq!(a, b, "{what}"),
    }
}

/// The page's one word for a group's pace, from the API's two statements.
fn pace(s: &Value) -> &'static str {
    if s["half_time_half_tasks"] == true {
        "half"
    } else if s["keeps_pace"] == true {
        "keeps"
    } else {
        "behind"
    }
}

/// Every figure the page shows for one date equals the API's answer for that date.
fn check_page(shown: &Value, progress: &Value, indicators: &Value) {
    let p = &progress["progress"];
    assert_eq!(shown["as_of"], p["as_of"]);
    assert_eq!(shown["picked"], p["as_of"]);
    same(&shown["done"], &p["total"]["done"], "done");
    same(&shown["expected"], &p["total"]["expected"], "expected");
    same(&shown["time_elapsed"], &p["total"]["time_elapsed"], "time");
    same(&shown["measures"], &p["total"]["measures"], "measures");
    assert_eq!(shown["pace"], pace(&p["total"]));
    let statuses = shown["by_status"].as_array().unwrap();
    assert_eq!(statuses.len(), 7);
    for r in statuses {
        same(
            &r[1],
            &p["total"]["by_status"][r[0].as_str().unwrap()],
            "status",
        );
    }
    // The groups with their bars: the campaigns in the city's order, the units as the API
    // gives them.
    for (rows, bars, groups) in [
        ("by_campaign", "campaign_bars", &p["by_campaign"]),
        ("by_unit", "unit_bars", &p["by_unit"]),
    ] {
        let rows = shown[rows].as_array().unwrap();
        let groups = groups.as_object().unwrap();
        assert_eq!(rows.len(), groups.len(), "{rows:?}");
        for (r, bar) in rows.iter().zip(shown[bars].as_array().unwrap()) {
            let key = r[0].as_str().unwrap();
            let g = &groups[key];
            same(&r[1], &g["measures"], key);
            same(&r[2], &g["done"], key);
            same(&r[3], &g["done"], key);
            same(&r[4], &g["expected"], key);
            same(&r[5], &g["by_status"]["behind"], key);
            same(&r[6], &g["by_status"]["overdue"], key);
            assert_eq!(r[7], pace(g), "{key}");
            same(&bar["done"], &g["done"], key);
            same(&bar["expected"], &g["expected"], key);
            assert!(bar["width"].as_str().unwrap().ends_with('%'), "{bar}");
            assert!(bar["left"].as_str().unwrap().ends_with('%'), "{bar}");
        }
    }
    let order: Vec<&str> = shown["by_campaign"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[0].as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        ["blue_sky", "clear_water", "pure_land", "climate", "ecology"]
    );
    // The burn-up's points are the API's.
    let burn = progress["burn_up"].as_array().unwrap();
    let b = &shown["burn_up"];
    assert_eq!(b["dates"].as_array().unwrap().len(), burn.len());
    for (k, point) in burn.iter().enumerate() {
        assert_eq!(b["dates"][k], point["date"]);
        same(&b["done"][k], &point["done"], "burn-up done");
        same(&b["expected"][k], &point["expected"], "burn-up expected");
    }
    // The late measures: exactly those behind or overdue, in the API's order.
    let late: Vec<&Value> = p["measures"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["status"] == "behind" || m["status"] == "overdue")
        .collect();
    let rows = shown["late"].as_array().unwrap();
    assert_eq!(rows.len(), late.len(), "{rows:?}");
    same(&shown["late_count"], &json!(late.len()), "late count");
    for (r, m) in rows.iter().zip(&late) {
        let id = m["id"].as_str().unwrap();
        assert_eq!(r[0], m["id"]);
        assert_eq!(r[2], m["campaign"]);
        assert_eq!(r[3], m["lead"]);
        same(&r[4], &m["done"], id);
        same(&r[5], &m["expected"], id);
        assert_eq!(r[6], m["status"]);
        assert_eq!(r[7], m["deadline"]);
        same(&r[8], &m["last_report"], id);
    }
    // The indicators, with values, baselines, targets, change and "met".
    let rows = shown["indicators"].as_array().unwrap();
    let all = indicators.as_array().unwrap();
    assert_eq!(rows.len(), all.len());
    for (r, i) in rows.iter().zip(all) {
        let (ind, st) = (&i["indicator"], &i["standing"]);
        let id = ind["id"].as_str().unwrap();
        assert_eq!(r[0], ind["id"]);
        assert_eq!(r[1], ind["campaign"]);
        same(&r[2], &st["latest"]["value"], id);
        assert_eq!(r[3], ind["unit"]);
        same(&r[4], &st["latest"]["date"], id);
        same(&r[5], &ind["baseline"]["value"], id);
        same(&r[6], &ind["target"]["value"], id);
        same(&r[7], &st["change_percent"], id);
        same(&r[8], &st["toward_target"], id);
        same(&r[9], &st["target_met"], id);
        let source = match st["latest"]["source"]["kind"].as_str() {
            Some(k) => k,
            None if !ind["computed"].is_null() => "bulletin",
            None => "",
        };
        assert_eq!(r[10], source, "{id}");
    }
    assert_eq!(shown["indicators_as_of"], p["as_of"]);
}

/// The campaigns page shows exactly what /api/v1/campaigns/* answers: on 30 June 2024 (a
/// report recorded through the API counted), then on 31 December 2024 picked with the page's
/// date picker, then in English.
#[test]
fn the_campaigns_page_shows_the_apis_progress_and_indicators() {
    let web = match browser_ready() {
        Ok(w) => w,
        Err(why) => {
            eprintln!("SKIP the campaigns page test: {why}");
            return;
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let st = dir.path().join("store");
    let server = Server::start(&st, &[], &[("LANTIAN_TOKEN", TOKEN)]);
    let body = json!({"updates": [report("CW-01", "built", "2024-06-20", 50.0)]});
    ok(
        post(&server, "/api/v1/campaigns/updates", Some(TOKEN), &body),
        "record",
    );
    let out = Command::new("node")
        .arg(web.join("e2e/campaigns.mjs"))
        .arg(format!("{}/campaigns.html?as_of=2024-06-30", server.base))
        .args(["--pick", "2024-12-31", "--lang", "en"])
        .output()
        .unwrap();
    let shown = parse(out);
    assert_eq!(shown["errors"], json!([]), "{shown}");
    let api = |path: &str| ok(server.get(path), path).json();

    assert_eq!(shown["lang"], "zh-CN");
    assert_eq!(shown["heading"], "各攻坚战进度");
    let june = api(PROGRESS);
    assert_eq!(shown["plan"], june["plan_zh"]);
    check_page(
        &shown,
        &june,
        &api("/api/v1/campaigns/indicators?as_of=2024-06-30"),
    );
    // The report recorded is counted: CW-01 is on schedule, not among the late.
    assert!(
        shown["late"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r[0] != "CW-01")
    );
    assert!(
        shown["headline_note"]
            .as_str()
            .unwrap()
            .contains("系统录入 1 条"),
        "{}",
        shown["headline_note"]
    );
    let names = shown["by_campaign_names"].as_array().unwrap();
    assert_eq!(names[0], "蓝天保卫战");

    // The year's end, picked on the page, in English: every measure past its deadline.
    let after = &shown["after"];
    assert_eq!(after["lang"], "en");
    assert_eq!(after["heading"], "Progress by campaign");
    let december = api("/api/v1/campaigns/progress?as_of=2024-12-31");
    assert_eq!(after["plan"], december["plan_en"]);
    check_page(
        after,
        &december,
        &api("/api/v1/campaigns/indicators?as_of=2024-12-31"),
    );
    assert_eq!(after["by_campaign_names"][0], "Blue sky (air)");
    assert!(
        !after["late"].as_array().unwrap().is_empty(),
        "the example plan has unfinished measures at the year's end"
    );
}
