//! `lantian campaigns` and `lantian report --campaigns` through the binary: the progress
//! arithmetic on a small plan worked by hand (weights, partial milestones, a measure without
//! reports, a deadline passed, a measure started late, one done early, one not yet started),
//! recording reports (a bad file records nothing, a repeated file records nothing twice), a
//! malformed plan named by file, line and field, the five-campaign bulletin of 2023-H1 whose
//! every printed number comes from its figures, status sentences that flip when their figure
//! does, and the GEP-R accounts of a one-district table worked by hand.
//!
//! The bulletin's store is made here: the Beijing archive in ../shared/data misses a third of
//! 2022-H1's PM2.5 days, and the bulletin needs both halves complete; the hand-made halves
//! have PM2.5 values whose published means and day counts follow by hand.

mod common;

use chrono::{Datelike, NaiveDate};
use common::{lantian, lantian_ok, store_of};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn json(st: &Path, args: &[&str]) -> Value {
    let out = lantian_ok(st, args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {out}"))
}

fn f64_of(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// Equal to the last bits a sum of a few fractions can lose.
fn close(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() < 1e-12,
        "{what}: {got} is not {want} (by hand)"
    );
}

// ---------------------------------------------------------------------------------------------
// A small plan worked by hand.

/// Six measures of 2024. M1: two milestones with due dates, weights 1 and 3. M2: no milestones
/// and no report. M3: its deadline passed before the date. M4: starts on 1 May, milestones
/// weighted 2 and 1 of which only one has a due date. M5: done in April. M6: starts in August.
const PLAN: &str = r#"[plan]
name_zh = "测试计划"
name_en = "test plan"
region = "北京市"
year = 2024
source = "hand-written for the tests"

[[measure]]
id = "M1"
campaign = "blue_sky"
title_zh = "甲"
title_en = "weighted milestones"
lead = "市生态环境局"
start = 2024-01-01
deadline = 2024-12-31
source = "test"

[[measure.milestone]]
id = "a"
name_zh = "甲一"
name_en = "first part"
weight = 1.0
due = 2024-03-31

[[measure.milestone]]
id = "b"
name_zh = "甲二"
name_en = "second part"
weight = 3.0
due = 2024-09-30

[[measure]]
id = "M2"
campaign = "clear_water"
title_zh = "乙"
title_en = "no reports"
lead = "市水务局"
start = 2024-01-01
deadline = 2024-12-31
source = "test"

[[measure]]
id = "M3"
campaign = "clear_water"
title_zh = "丙"
title_en = "deadline passed"
lead = "市水务局"
start = 2024-01-01
deadline = 2024-05-31
source = "test"

[[measure]]
id = "M4"
campaign = "climate"
title_zh = "丁"
title_en = "started late"
lead = "市发展改革委"
start = 2024-05-01
deadline = 2024-10-31
source = "test"

[[measure.milestone]]
id = "x"
name_zh = "丁一"
name_en = "heavy part"
weight = 2.0

[[measure.milestone]]
id = "y"
name_zh = "丁二"
name_en = "light part"
due = 2024-06-15

[[measure]]
id = "M5"
campaign = "ecology"
title_zh = "戊"
title_en = "done early"
lead = "市园林绿化局"
start = 2024-01-01
deadline = 2024-12-31
source = "test"

[[measure]]
id = "M6"
campaign = "ecology"
title_zh = "己"
title_en = "not yet started"
lead = "市园林绿化局"
start = 2024-08-01
deadline = 2024-12-31
source = "test"

[[indicator]]
id = "pm25"
campaign = "blue_sky"
name_zh = "PM2.5累计浓度"
name_en = "PM2.5, cumulative"
unit = "µg/m³"
direction = "down"
source = "test"
computed = "air.pm25_cumulative"

[[indicator]]
id = "gep"
campaign = "ecology"
name_zh = "调节服务价值"
name_en = "GEP-R"
unit = "亿元"
direction = "up"
source = "test"
computed = "ecology.gep_r_total"

[[indicator]]
id = "parks"
campaign = "ecology"
name_zh = "新增公园"
name_en = "new parks"
unit = "处"
direction = "up"
baseline = { value = 4.0, date = 2024-01-01 }
target = { value = 12.0, date = 2024-12-31 }
source = "test"

[[indicator]]
id = "green"
campaign = "blue_sky"
name_zh = "绿色企业比率"
name_en = "share of green enterprises"
unit = "%"
direction = "up"
baseline = { value = 10.0, date = 2024-01-01 }
target = { value = 15.5, date = 2024-12-31 }
source = "test"
"#;

/// The parks built by the end of June: 7, against a baseline of 4 and a target of 12; the
/// green enterprises 12 %, against 10 % and a target of 15.5 %.
const VALUES: &str = "indicator,date,value,source,by,evidence
parks,2024-06-30,7,entered,市园林绿化局,acceptance records
green,2024-06-30,12,entered,市生态环境局,the register
";

/// Two reports of M1's milestone b on 20 June: the later row counts. The report of 15 July is
/// after the date asked for.
const UPDATES: &str = "measure,milestone,date,percent,evidence,by
M1,a,2024-03-15,100,doc 1,市生态环境局
M1,b,2024-05-01,20,doc 2,市生态环境局
M1,b,2024-06-20,35,doc 3,市生态环境局
M1,b,2024-06-20,40,doc 3 corrected,市生态环境局
M1,b,2024-07-15,90,doc 4,市生态环境局
M3,,2024-05-20,60,doc 5,市水务局
M4,x,2024-06-10,30,doc 6,市发展改革委
M4,y,2024-06-15,100,doc 7,市发展改革委
M5,,2024-03-01,50,doc 8,市园林绿化局
M5,,2024-04-10,100,doc 9,市园林绿化局
";

/// A plan folder in `dir` with these files.
fn plan_dir(dir: &Path, plan: &str, updates: &str) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("plan.toml"), plan).unwrap();
    std::fs::write(dir.join("updates.csv"), updates).unwrap();
    dir.to_path_buf()
}

/// The same plan, reports and values a year earlier (for the bulletin of 2023-H1).
fn plan_2023(dir: &Path) -> PathBuf {
    let dir = plan_dir(
        dir,
        &PLAN
            .replace("2024-", "2023-")
            .replace("year = 2024", "year = 2023"),
        &UPDATES.replace("2024-", "2023-"),
    );
    std::fs::write(
        dir.join("indicator_values.csv"),
        VALUES.replace("2024-", "2023-"),
    )
    .unwrap();
    dir
}

/// `campaigns progress` on 2024-06-30: the JSON and the `--measures-csv` file.
fn progress(st: &Path, plan: &Path, csv: &Path) -> (Value, String) {
    let a = json(
        st,
        &[
            "campaigns",
            "progress",
            "--plan",
            plan.to_str().unwrap(),
            "--as-of",
            "2024-06-30",
            "--measures-csv",
            csv.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    (a, std::fs::read_to_string(csv).unwrap())
}

// Days, both ends counted: 2024 is a leap year, so 1 Jan–31 Dec is 366 days and 1 Jan–30 June
// 182 (31+29+31+30+31+30); M3's 1 Jan–31 May is 152; M4's 1 May–31 Oct is 184
// (31+30+31+31+30+31) and its 1 May–30 June 61.
const YEAR_ELAPSED: f64 = 182.0 / 366.0; // 0.497268
const M4_ELAPSED: f64 = 61.0 / 184.0; // 0.331522

/// Every measure on 2024-06-30, by hand:
///
/// - M1: done = (1 × 100 % + 3 × 40 %) / 4 = 0.55 (b's two reports of 20 June: the later, 40);
///   every milestone has a due date, so expected = weight due by then / all = 1 / 4 = 0.25
///   (a, due 31 March; b is due in September): on schedule.
/// - M2: no report, done 0; expected = its time, 182/366: behind.
/// - M3: done 0.6; past its deadline (expected = time = 1) and not done: overdue.
/// - M4: done = (2 × 30 % + 1 × 100 %) / 3 = 1.6 / 3 = 0.533333; x has no due date, so
///   expected = its own time from 1 May, 61/184 = 0.331522: on schedule.
/// - M5: 100 % on 10 April, before its deadline: done early, finished 2024-04-10; expected =
///   its time, 182/366.
/// - M6: starts on 1 August: not yet started, everything 0.
const MEASURES_CSV: &str = "measure,done,expected,time_elapsed,status,finished
M1,0.550000,0.250000,0.497268,on_schedule,
M2,0.000000,0.497268,0.497268,behind,
M3,0.600000,1.000000,1.000000,overdue,
M4,0.533333,0.331522,0.331522,on_schedule,
M5,1.000000,0.497268,0.497268,done_early,2024-04-10
M6,0.000000,0.000000,0.000000,upcoming,
";

#[test]
fn progress_arithmetic_by_hand_and_recording_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = plan_dir(&tmp.path().join("plan"), PLAN, UPDATES);
    let st = tmp.path().join("store");
    let csv = tmp.path().join("measures.csv");

    let (a, file) = progress(&st, &plan, &csv);
    assert_eq!(file, MEASURES_CSV);
    let p = &a["progress"];
    let m = |id: &str| -> &Value {
        p["measures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id)
            .unwrap_or_else(|| panic!("no measure {id}"))
    };
    let want: [(&str, f64, f64, f64, &str, Value, u64); 6] = [
        (
            "M1",
            0.55,
            0.25,
            YEAR_ELAPSED,
            "on_schedule",
            Value::Null,
            4,
        ),
        (
            "M2",
            0.0,
            YEAR_ELAPSED,
            YEAR_ELAPSED,
            "behind",
            Value::Null,
            0,
        ),
        ("M3", 0.6, 1.0, 1.0, "overdue", Value::Null, 1),
        (
            "M4",
            1.6 / 3.0,
            M4_ELAPSED,
            M4_ELAPSED,
            "on_schedule",
            Value::Null,
            2,
        ),
        (
            "M5",
            1.0,
            YEAR_ELAPSED,
            YEAR_ELAPSED,
            "done_early",
            "2024-04-10".into(),
            2,
        ),
        ("M6", 0.0, 0.0, 0.0, "upcoming", Value::Null, 0),
    ];
    for (id, done, expected, time, status, finished, reports) in want {
        let x = m(id);
        close(f64_of(&x["done"]), done, &format!("{id} done"));
        close(f64_of(&x["expected"]), expected, &format!("{id} expected"));
        close(f64_of(&x["time_elapsed"]), time, &format!("{id} time"));
        assert_eq!(x["status"], status, "{id}");
        assert_eq!(x["finished"], finished, "{id}");
        // Reports on or before the date (M1's of 15 July is not).
        assert_eq!(x["reports"], reports, "{id}");
    }
    // M1's milestones: a 100 % reported 15 March; b 40 % from the second report of 20 June.
    assert_eq!(
        m("M1")["milestones"],
        serde_json::json!([
            {"id": "a", "weight": 1.0, "percent": 100.0, "reported": "2024-03-15"},
            {"id": "b", "weight": 3.0, "percent": 40.0, "reported": "2024-06-20"}
        ])
    );

    // The plan: plain means over the six measures, each once.
    //   done = (0.55 + 0 + 0.6 + 0.533333 + 1 + 0) / 6 = 0.447222
    //   expected = (0.25 + 182/366 + 1 + 61/184 + 182/366 + 0) / 6 = 0.429343
    //   time = (182/366 + 182/366 + 1 + 61/184 + 182/366 + 0) / 6 = 0.470554
    // The work (44.7 %) is behind the time (47.1 %): no pace kept, not "half and half".
    let t = &p["total"];
    assert_eq!(t["measures"], 6);
    close(
        f64_of(&t["done"]),
        (0.55 + 0.6 + 1.6 / 3.0 + 1.0) / 6.0,
        "plan done",
    );
    close(
        f64_of(&t["expected"]),
        (0.25 + 2.0 * YEAR_ELAPSED + 1.0 + M4_ELAPSED) / 6.0,
        "plan expected",
    );
    close(
        f64_of(&t["time_elapsed"]),
        (3.0 * YEAR_ELAPSED + 1.0 + M4_ELAPSED) / 6.0,
        "plan time",
    );
    assert_eq!(
        t["by_status"],
        serde_json::json!({"upcoming": 1, "on_schedule": 2, "behind": 1, "overdue": 1,
            "done_early": 1, "done_on_time": 0, "done_late": 0})
    );
    // M2 is started and has no report; M6 has none either but has not started.
    assert_eq!(t["without_reports"], 1);
    assert_eq!(t["keeps_pace"], false);
    assert_eq!(t["half_time_half_tasks"], false);
    // Blue sky is M1 alone: 55 % done against 49.7 % of the time, which rounds to 50 %: half
    // the time, half the tasks. Clear water (M2, M3): done (0 + 0.6) / 2 = 0.3 against
    // expected (182/366 + 1) / 2 = 0.748634. Ecology (M5, M6): done 0.5 against a time of
    // 182/366 / 2 = 0.248634: pace kept, but not half the time.
    let c = &p["by_campaign"];
    assert_eq!(c["blue_sky"]["half_time_half_tasks"], true);
    close(f64_of(&c["clear_water"]["done"]), 0.3, "clear water done");
    close(
        f64_of(&c["clear_water"]["expected"]),
        (YEAR_ELAPSED + 1.0) / 2.0,
        "clear water expected",
    );
    assert_eq!(c["clear_water"]["keeps_pace"], false);
    close(f64_of(&c["ecology"]["done"]), 0.5, "ecology done");
    assert_eq!(c["ecology"]["keeps_pace"], true);
    assert_eq!(c["ecology"]["half_time_half_tasks"], false);
    assert!(c.get("pure_land").is_none(), "no measure of pure land: {c}");
    // By lead unit: 市水务局 leads M2 and M3.
    assert_eq!(p["by_unit"]["市水务局"]["measures"], 2);
    close(
        f64_of(&p["by_unit"]["市水务局"]["done"]),
        0.3,
        "市水务局 done",
    );

    // The burn-up: each month's end from the first start (1 January), and the date.
    let burn = a["burn_up"].as_array().unwrap();
    let dates: Vec<&str> = burn.iter().map(|b| b["date"].as_str().unwrap()).collect();
    assert_eq!(
        dates,
        [
            "2024-01-31",
            "2024-02-29",
            "2024-03-31",
            "2024-04-30",
            "2024-05-31",
            "2024-06-30"
        ]
    );
    // On 31 March: M1 has a (1/4) done, M5 50 %: done = (0.25 + 0.5) / 6 = 0.125. Expected:
    // M1 0.25 (a due that day), M2 and M5 91/366 of their time, M3 91/152, M4 and M6 0.
    close(f64_of(&burn[2]["done"]), 0.125, "burn-up done on 31 March");
    close(
        f64_of(&burn[2]["expected"]),
        (0.25 + 2.0 * 91.0 / 366.0 + 91.0 / 152.0) / 6.0,
        "burn-up expected on 31 March",
    );
    assert_eq!(burn[5]["done"], t["done"]);
    assert_eq!(burn[5]["expected"], t["expected"]);
    assert_eq!(a["reports_in_files"], 10);
    assert_eq!(a["reports_in_store"], 0);

    // One campaign, one unit.
    let eco = json(
        &st,
        &[
            "campaigns",
            "progress",
            "--plan",
            plan.to_str().unwrap(),
            "--as-of",
            "2024-06-30",
            "--campaign",
            "生态",
            "--format",
            "json",
        ],
    );
    let ids: Vec<&str> = eco["progress"]["measures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["M5", "M6"]);
    let (ok, _, err) = lantian(
        &st,
        &[
            "campaigns",
            "progress",
            "--plan",
            plan.to_str().unwrap(),
            "--as-of",
            "2024-06-30",
            "--unit",
            "市交通委",
        ],
    );
    assert!(!ok);
    assert!(
        err.contains("市交通委") && err.contains("no measure of the plan is led by"),
        "{err}"
    );

    // --- Recording. A file with a good row and a row dated before its measure's start (M4
    // starts on 1 May) is refused whole, naming file, line (the header is line 1) and field.
    let bad = tmp.path().join("bad.csv");
    std::fs::write(
        &bad,
        "measure,milestone,date,percent,evidence,by\n\
         M2,,2024-06-01,25,doc 10,市水务局\n\
         M4,x,2024-04-20,10,doc 11,市发展改革委\n",
    )
    .unwrap();
    let record = |file: &Path, format: &str| {
        lantian(
            &st,
            &[
                "campaigns",
                "record",
                "--plan",
                plan.to_str().unwrap(),
                "--updates",
                file.to_str().unwrap(),
                "--format",
                format,
            ],
        )
    };
    let (ok, out, err) = record(&bad, "table");
    assert!(!ok, "{out}");
    assert!(
        err.contains(&format!(
            "1 problem; nothing is recorded:\n  {}:3: date: measure M4: an update dated \
             2024-04-20 is before the measure's start, 2024-05-01 (\"2024-04-20\")",
            bad.display()
        )),
        "{err}"
    );
    // Nothing recorded: not even M2's good row.
    let (a2, file2) = progress(&st, &plan, &csv);
    assert_eq!(file2, MEASURES_CSV);
    assert_eq!(a2["reports_in_store"], 0);

    // The good row alone: recorded once. M2 then has 25 % of 182/366 expected: still behind.
    let good = tmp.path().join("good.csv");
    std::fs::write(
        &good,
        "measure,milestone,date,percent,evidence,by\nM2,,2024-06-01,25,doc 10,市水务局\n",
    )
    .unwrap();
    let (ok, out, err) = record(&good, "table");
    assert!(ok, "{err}");
    assert_eq!(
        out.trim(),
        "1 progress reports read: 1 recorded, 0 already recorded before"
    );
    let after = MEASURES_CSV.replace(
        "M2,0.000000,0.497268,0.497268,behind,",
        "M2,0.250000,0.497268,0.497268,behind,",
    );
    let (a3, file3) = progress(&st, &plan, &csv);
    assert_eq!(file3, after);
    assert_eq!(a3["reports_in_store"], 1);
    assert_eq!(a3["progress"]["total"]["without_reports"], 0);
    // The same file again: nothing recorded the second time, and progress unchanged.
    let (ok, out, err) = record(&good, "json");
    assert!(ok, "{err}");
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        r,
        serde_json::json!({"given": 1, "recorded": 0, "already_recorded": 1})
    );
    let (a4, file4) = progress(&st, &plan, &csv);
    assert_eq!(file4, after);
    assert_eq!(a4["reports_in_store"], 1);
    assert_eq!(a4["progress"], a3["progress"]);
}

// ---------------------------------------------------------------------------------------------
// A malformed plan.

/// `campaigns progress --plan DIR` fails with exactly these problems, nothing on stdout.
fn refused_plan(plan: &str, problems: &[String]) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = plan_dir(&tmp.path().join("plan"), plan, UPDATES);
    let (ok, out, err) = lantian(
        &tmp.path().join("store"),
        &[
            "campaigns",
            "progress",
            "--plan",
            dir.to_str().unwrap(),
            "--as-of",
            "2024-06-30",
        ],
    );
    assert!(!ok, "{out}");
    assert!(out.is_empty(), "{out}");
    let file = dir.join("plan.toml").display().to_string();
    let mut want = format!(
        "{} problem{} in the plan's files; the plan is not taken:",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for p in problems {
        want.push_str(&format!("\n  {file}:{p}"));
    }
    assert!(
        err.contains(&format!("{want}\n")),
        "want:\n{want}\ngot:\n{err}"
    );
}

#[test]
fn a_malformed_plan_names_file_line_and_field() {
    let line =
        |text: &str, needle: &str| -> usize { text.lines().position(|l| l == needle).unwrap() + 1 };
    // M3's deadline is line 49, M4's campaign line 54, M2's [[measure]] header line 32.
    assert_eq!(line(PLAN, "deadline = 2024-05-31"), 49);
    assert_eq!(line(PLAN, "campaign = \"climate\""), 54);
    assert_eq!(line(PLAN, "id = \"M2\"") - 1, 32);

    let bad_date = PLAN.replace("deadline = 2024-05-31", "deadline = 2024-13-01");
    let date_problem = "49: deadline: not a date (a TOML date, 2024-12-31): value is out of \
                        range (\"2024-13-01\")";
    refused_plan(&bad_date, &[date_problem.into()]);

    let bad_campaign = PLAN.replace("campaign = \"climate\"", "campaign = \"skies\"");
    let campaign_problem = "54: campaign: not a campaign; the campaigns are blue_sky, \
                            clear_water, pure_land, climate, ecology (or their Chinese names: \
                            蓝天, 碧水, 净土, 气候, 生态) (\"skies\")";
    refused_plan(&bad_campaign, &[campaign_problem.into()]);

    // A missing field is placed at its table's header.
    let no_title = PLAN.replace("title_en = \"no reports\"\n", "");
    let title_problem = "32: title_en: missing: a measure has a title_en (a text in quotes) (\"\")";
    refused_plan(&no_title, &[title_problem.into()]);

    // A date the TOML parser refuses stops the reading there; problems of a file that parses
    // are all said, in the order of the file (the title's removal moves the later lines up by
    // one): the title, M3's deadline before its start, M4's campaign.
    let all = no_title
        .replace("deadline = 2024-05-31", "deadline = 2023-12-31")
        .replace("campaign = \"climate\"", "campaign = \"skies\"");
    refused_plan(
        &all,
        &[
            title_problem.into(),
            "48: deadline: measure M3: the deadline 2023-12-31 is before the start 2024-01-01 \
             (\"2023-12-31\")"
                .into(),
            campaign_problem.replacen("54", "53", 1),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// The bulletin's store: the first halves of 2022 and 2023 at 东城东四 and 海淀万柳, complete.

/// PM2.5 of the day `k` (0 = 1 January) of a pattern: every day's hours and both stations
/// alike.
fn pm25(pattern: &[f64], k: usize) -> f64 {
    pattern[k % pattern.len()]
}

/// PM2.5 falls from 2022-H1 to 2023-H1: 2023-H1 cycles 20, 50, 80 µg/m³ (IAQI 28.6 excellent,
/// 68.8 good, 106.3 lightly polluted; PM2.5 is the highest sub-index on the last two); 2022-H1
/// cycles 30, 60, 90, 60 (42.9 excellent, then good, lightly polluted, good). The means and day
/// counts are worked out in `bulletin_of_2023_h1`.
const FALLS: [&[f64]; 2] = [&[20.0, 50.0, 80.0], &[30.0, 60.0, 90.0, 60.0]];
/// The same patterns the other way round: PM2.5 rises from 50 to 60.
const RISES: [&[f64]; 2] = [&[30.0, 60.0, 90.0, 60.0], &[20.0, 50.0, 80.0]];

/// Daily files of 1 January to 1 July (the 1 July file holds hour 0, ending 30 June) of 2023
/// (`patterns[0]`) and 2022 (`patterns[1]`), hour-ending stamps. PM10 is 1.5 × PM2.5; SO2 5,
/// NO2 30, CO 0.5 and O3 60 throughout (all excellent).
fn write_halves(dir: &Path, patterns: [&[f64]; 2]) {
    std::fs::create_dir_all(dir).unwrap();
    for (year, pattern) in [(2023, patterns[0]), (2022, patterns[1])] {
        let jan1 = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
        let mut fd = jan1;
        while fd <= NaiveDate::from_ymd_opt(year, 7, 1).unwrap() {
            let d = fd.format("%Y%m%d").to_string();
            let mut all = String::from("date,hour,type,东城东四,海淀万柳");
            let mut extra = all.clone();
            for h in 0..24 {
                let nd = if h == 0 { fd.pred_opt().unwrap() } else { fd };
                if nd.year() != year || nd.month() > 6 {
                    continue;
                }
                let v = pm25(pattern, (nd - jan1).num_days() as usize);
                let pm10 = v * 1.5;
                all.push_str(&format!(
                    "\n{d},{h},PM2.5,{v},{v}\n{d},{h},PM10,{pm10},{pm10}"
                ));
                for (t, x) in [("SO2", "5"), ("NO2", "30"), ("CO", "0.5"), ("O3", "60")] {
                    extra.push_str(&format!("\n{d},{h},{t},{x},{x}"));
                }
            }
            std::fs::write(dir.join(format!("beijing_all_{d}.csv")), all).unwrap();
            std::fs::write(dir.join(format!("beijing_extra_{d}.csv")), extra).unwrap();
            fd = fd.succ_opt().unwrap();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The report module's number formats (lantian_report::campaigns), written again: the only ways
// a number gets into the bulletin.

/// A 0–1 share as a percent, one decimal.
fn share(x: f64) -> String {
    format!("{:.1}", x * 100.0)
}

/// A published concentration, an integer.
fn concentration(v: f64) -> String {
    format!("{v:.0}")
}

/// A computed percent, one decimal, its sign in the words.
fn percent(p: f64) -> String {
    format!("{:.1}", p.abs())
}

/// An indicator or status figure with its own decimals.
fn value(v: f64, decimals: usize) -> String {
    format!("{v:.decimals$}")
}

/// A number for tables with its sign: −8.1, +2.0, 0.0.
fn signed(v: f64, decimals: usize) -> String {
    let s = format!("{:.decimals$}", v.abs());
    if s.chars().all(|c| c == '0' || c == '.') {
        s
    } else if v < 0.0 {
        format!("−{s}")
    } else {
        format!("+{s}")
    }
}

/// Digit runs with at most one decimal point: "−8.1%" gives "8.1".
fn numbers(s: &str) -> Vec<String> {
    let c: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        if c[i].is_ascii_digit() {
            let mut j = i;
            let mut dot = false;
            while j < c.len()
                && (c[j].is_ascii_digit()
                    || (c[j] == '.' && !dot && j + 1 < c.len() && c[j + 1].is_ascii_digit()))
            {
                dot |= c[j] == '.';
                j += 1;
            }
            out.push(c[i..j].iter().collect());
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Lang {
    Zh,
    En,
}

/// A date in running text, as the report writes it.
fn date_words(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Zh => d.format("%Y年%-m月%-d日").to_string(),
        Lang::En => d.format("%-d %B %Y").to_string(),
    }
}

/// The values of plans/beijing-2024/indicator_values.csv dated on or before `as_of`:
/// (indicator, value).
fn indicator_file_values(as_of: NaiveDate) -> Vec<(String, f64)> {
    let path =
        Path::new(&std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
            .join("../../plans/beijing-2024/indicator_values.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let d: NaiveDate = f[1].parse().unwrap();
            (d <= as_of).then(|| (f[0].to_string(), f[2].parse().unwrap()))
        })
        .collect()
}

/// Every number the bulletin may print: each figure of the JSON through its formatting rule
/// (an indicator's value, entered or computed, is one of them).
fn printable(fig: &Value) -> BTreeSet<String> {
    let mut v: Vec<String> = Vec::new();
    let h = &fig["headline"];
    v.extend(h["pm25"].as_f64().map(concentration));
    v.extend(h["pm25_baseline"].as_f64().map(concentration));
    v.extend(h["pm25_change_percent"].as_f64().map(percent));
    for (n, b) in [
        ("excellent_days", "excellent_days_baseline"),
        ("good_days", "good_days_baseline"),
    ] {
        let (n, b) = (h[n].as_u64(), h[b].as_u64());
        v.extend(n.map(|n| n.to_string()));
        if let (Some(n), Some(b)) = (n, b) {
            v.push(n.abs_diff(b).to_string());
        }
    }
    v.push(h["days_assessed"].to_string());
    v.push(h["days_in_period"].to_string());
    let campaigns = fig["campaigns"].as_array().unwrap();
    for s in std::iter::once(&fig["progress"]).chain(campaigns.iter().map(|c| &c["summary"])) {
        v.push(s["measures"].to_string());
        v.push(s["without_reports"].to_string());
        for k in ["done", "expected", "time_elapsed"] {
            v.push(share(f64_of(&s[k])));
        }
        for n in s["by_status"].as_object().unwrap().values() {
            v.push(n.to_string());
        }
    }
    for c in campaigns {
        let s = &c["status"]["figure"];
        if !s.is_null() {
            let d = s["decimals"].as_u64().unwrap() as usize;
            v.push(value(f64_of(&s["value"]), d));
            v.extend(s["baseline"].as_f64().map(|b| value(b, d)));
        }
        for m in c["measures"].as_array().unwrap() {
            v.push(share(f64_of(&m["done"])));
            v.push(share(f64_of(&m["expected"])));
        }
        for i in c["indicators"].as_array().unwrap() {
            let d = i["decimals"].as_u64().unwrap() as usize;
            for k in ["value", "baseline", "target"] {
                v.extend(i[k].as_f64().map(|x| value(x, d)));
            }
            v.extend(i["change_percent"].as_f64().map(|p| signed(p, 1)));
        }
    }
    let effects = fig["effects"].as_array().unwrap();
    for e in effects {
        v.push(e["window_days"].to_string());
        for k in ["before", "after", "change", "change_low", "change_high"] {
            v.extend(e[k].as_f64().map(|x| signed(x, 1)));
        }
    }
    if !effects.is_empty() {
        // The level of the intervals the effects table names.
        v.push("95".into());
    }
    v.iter().flat_map(|s| numbers(s)).collect()
}

/// The figures' own texts that hold digits (titles, names, ids, sources, periods) and every
/// date in the forms the report writes: quoted, not numbers of the report's making. Longest
/// first, raw and as the Markdown renderer escapes them.
fn quoted(fig: &Value) -> Vec<String> {
    fn strings(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) => out.push(s.clone()),
            Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
            Value::Object(o) => o.values().for_each(|x| strings(x, out)),
            _ => {}
        }
    }
    let mut all = vec!["PM2.5".to_string()];
    strings(fig, &mut all);
    let mut t = Vec::new();
    for s in all {
        if let Ok(d) = s.parse::<NaiveDate>() {
            t.extend([date_words(d, Lang::Zh), date_words(d, Lang::En)]);
        }
        let mut c = s.chars();
        if let Some(first) = c.next() {
            t.push(first.to_uppercase().collect::<String>() + c.as_str());
        }
        t.push(
            s.replace('|', "\\|")
                .replace('*', "\\*")
                .replace('_', "\\_"),
        );
        t.push(s);
    }
    let mut t: Vec<String> = t
        .into_iter()
        .filter(|s| s.chars().any(|c| c.is_ascii_digit()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    t.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
    t
}

/// Every number of `text` (the quoted texts taken out) is one the figures print; the ones that
/// are not are named with the text around them. `cut`: the text is a PDF's, where a table cell
/// that wraps is cut into pieces set among its neighbours' (an indicator's name, its source),
/// so a quoted text is not always found whole: there, a number of a quoted text is allowed
/// too. The Markdown, from the same document, is checked without that allowance.
fn every_number_has_an_origin(text: &str, fig: &Value, what: &str, cut: bool) {
    let mut allowed = printable(fig);
    let mut t = text.to_string();
    for q in quoted(fig) {
        t = t.replace(&q, " ");
        if cut {
            allowed.extend(numbers(&q));
        }
    }
    // Each number with the text around it.
    let chars: Vec<char> = t.chars().collect();
    let mut stray = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let n = &numbers(&chars[i..].iter().collect::<String>())[0];
        if !allowed.contains(n) {
            let around: String = chars[i.saturating_sub(40)..(i + n.len() + 40).min(chars.len())]
                .iter()
                .collect();
            stray.push(format!("{n:?} in: …{}…", around.replace('\n', "⏎")));
        }
        i += n.chars().count();
    }
    assert!(
        stray.is_empty(),
        "{what}: numbers with no origin in the figures:\n  {}\n(the figures print {allowed:?})",
        stray.join("\n  ")
    );
}

/// The PDF's text as `pdftotext -layout` gives it, with what typesetting adds taken out: the
/// page numbers ("2/5"), the figure's number ("Figure 1:", "图1"), the burn-up chart's axis
/// labels (percent ticks, day ticks as "01 Jan" or "1/20"), and the spaces set between Chinese
/// and Latin text or at line breaks (a space run next to a Chinese character is removed, any
/// other becomes one space).
fn pdf_text(pdf: &Path) -> String {
    let o = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Soft hyphens where a word was broken.
    let raw = String::from_utf8(o.stdout).unwrap().replace('\u{ad}', "");
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let furniture = |l: &&str| {
        let w: Vec<&str> = l.split_whitespace().collect();
        // "2/5" (a page) or "1/20 2/20 …" (the Chinese chart's day ticks).
        let slashed = w.iter().all(|x| {
            x.split_once('/')
                .is_some_and(|(a, b)| digits(a) && digits(b))
        });
        // "40%": a percent tick, alone on its line.
        let percent = w.len() == 1 && w[0].strip_suffix('%').is_some_and(digits);
        // "01 Jan 20 Feb …": the English chart's day ticks.
        let days = w
            .chunks(2)
            .all(|p| p.len() == 2 && p[0].len() <= 2 && digits(p[0]) && MONTHS.contains(&p[1]));
        !w.is_empty() && (slashed || percent || days)
    };
    let kept: Vec<&str> = raw.lines().filter(|l| !furniture(l)).collect();
    let joined = kept.join("\n");
    let chars: Vec<char> = joined.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            let mut j = i;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            let before = out.chars().last();
            let after = chars.get(j).copied();
            let cjk = |c: Option<char>| c.is_some_and(|c| !c.is_ascii() && c != 'µ');
            if !(cjk(before) || cjk(after)) {
                out.push(' ');
            }
            i = j;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out.replace("Figure 1:", " ").replace("图1", " ")
}

// ---------------------------------------------------------------------------------------------
// Status sentences.

fn heading(c: &str, lang: Lang) -> &'static str {
    match (c, lang) {
        ("blue_sky", Lang::Zh) => "蓝天保卫战",
        ("blue_sky", Lang::En) => "Blue sky (air)",
        ("clear_water", Lang::Zh) => "碧水攻坚战",
        ("clear_water", Lang::En) => "Clear water",
        ("pure_land", Lang::Zh) => "净土持久战",
        ("pure_land", Lang::En) => "Pure land (soil)",
        ("climate", Lang::Zh) => "应对气候变化",
        ("climate", Lang::En) => "Climate",
        ("ecology", Lang::Zh) => "生态保护",
        ("ecology", Lang::En) => "Ecology",
        _ => panic!("no campaign {c}"),
    }
}

/// The words of a campaign's state (lantian_report::campaigns::trend_words) for the two
/// campaigns whose figures these tests give: air and ecology.
fn trend_words(c: &str, trend: &str, lang: Lang) -> &'static str {
    match (c, trend, lang) {
        ("blue_sky", "improved", Lang::Zh) => "空气质量同比改善",
        ("blue_sky", "improved", Lang::En) => "Air quality improved year on year",
        ("blue_sky", "stable", Lang::Zh) => "空气质量同比保持稳定",
        ("blue_sky", "stable", Lang::En) => "Air quality held steady year on year",
        ("blue_sky", "worsened", Lang::Zh) => "空气质量同比未改善",
        ("blue_sky", "worsened", Lang::En) => "Air quality did not improve year on year",
        ("ecology", "improved", Lang::Zh) => "生态系统调节服务价值同比增长",
        ("ecology", "improved", Lang::En) => {
            "The value of ecosystem regulating services grew year on year"
        }
        ("ecology", "stable", Lang::Zh) => "生态系统调节服务价值同比基本持平",
        ("ecology", "stable", Lang::En) => {
            "The value of ecosystem regulating services held level year on year"
        }
        ("ecology", "worsened", Lang::Zh) => "生态系统调节服务价值同比下降",
        ("ecology", "worsened", Lang::En) => {
            "The value of ecosystem regulating services fell year on year"
        }
        _ => panic!("no words for {c} {trend}"),
    }
}

/// The trend a campaign's figure shows: air improves when PM2.5 falls, ecology when GEP-R
/// grows.
fn trend_of(c: &str, now: f64, before: f64) -> &'static str {
    let better = match c {
        "blue_sky" => before - now,
        "ecology" => now - before,
        _ => panic!("no figure of {c} in these tests"),
    };
    if better > 0.0 {
        "improved"
    } else if better < 0.0 {
        "worsened"
    } else {
        "stable"
    }
}

/// The first paragraph of the section headed `h` of a Markdown document.
fn first_paragraph<'a>(md: &'a str, h: &str) -> &'a str {
    let mut lines = md.lines().skip_while(|l| *l != format!("## {h}")).skip(1);
    lines
        .find(|l| !l.trim().is_empty())
        .unwrap_or_else(|| panic!("no section {h}:\n{md}"))
}

/// Each campaign's section opens with its status sentence, whose trend is the one its figure
/// shows, or with what is missing and why; campaigns without data (water, soil, climate in
/// these tests) never claim a state. Returns the sentences, by campaign.
fn status_sentences(md: &str, fig: &Value, lang: Lang) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for c in fig["campaigns"].as_array().unwrap() {
        let code = c["campaign"].as_str().unwrap();
        let got = first_paragraph(md, heading(code, lang));
        let want = match (&c["status"], &c["placeholder"]) {
            (Value::Null, Value::Null) => panic!("{code}: neither a status nor a reason"),
            (s, Value::Null) => {
                let f = &s["figure"];
                let d = f["decimals"].as_u64().unwrap() as usize;
                let (now, before) = (f64_of(&f["value"]), f64_of(&f["baseline"]));
                let trend = trend_of(code, now, before);
                assert_eq!(s["trend"], trend, "{code}: {now} against {before}");
                for other in ["improved", "stable", "worsened"] {
                    if other != trend {
                        let w = trend_words(code, other, lang);
                        assert!(!md.contains(w), "{code} is {trend}, yet {w:?} is said");
                    }
                }
                // The unit in the language's words (the report's table of them).
                let unit = lantian_report::campaigns::unit_words(
                    f["unit"].as_str().unwrap(),
                    match lang {
                        Lang::Zh => lantian_report::document::Lang::Zh,
                        Lang::En => lantian_report::document::Lang::En,
                    },
                );
                let with_unit = |x: f64| {
                    if lang == Lang::Zh || unit.is_empty() || unit.starts_with('%') {
                        format!("{}{unit}", value(x, d))
                    } else {
                        format!("{} {unit}", value(x, d))
                    }
                };
                let words = trend_words(code, trend, lang);
                match lang {
                    Lang::Zh => format!(
                        "{words}（{} {}，上年同期 {}）。",
                        f["name_zh"].as_str().unwrap(),
                        with_unit(now),
                        with_unit(before)
                    ),
                    Lang::En => format!(
                        "{words} ({} {}; {} a year earlier).",
                        f["name_en"].as_str().unwrap(),
                        with_unit(now),
                        with_unit(before)
                    ),
                }
            }
            (_, why) => match lang {
                Lang::Zh => format!(
                    "本节状况判断缺失：{}，无法判断同比变化。",
                    why["zh"].as_str().unwrap()
                ),
                Lang::En => format!(
                    "The status sentence of this section is missing: {}, so the change \
                         from a year earlier cannot be judged.",
                    why["en"].as_str().unwrap()
                ),
            },
        };
        if ["clear_water", "pure_land", "climate"].contains(&code) {
            assert!(
                c["status"].is_null(),
                "{code}: a status without its data: {}",
                c["status"]
            );
        }
        assert_eq!(got, want, "{code} ({lang:?})");
        out.push((code.to_string(), got.to_string()));
    }
    out
}

/// `report --campaigns --period 2023-H1` with `extra` arguments, in a format and language.
fn campaigns_report(st: &Path, extra: &[&str], format: &str, lang: &str) -> String {
    lantian_ok(
        st,
        &[
            &[
                "report",
                "--campaigns",
                "--period",
                "2023-H1",
                "--format",
                format,
                "--lang",
                lang,
            ],
            extra,
        ]
        .concat(),
    )
}

fn sentence_of<'a>(s: &'a [(String, String)], code: &str) -> &'a str {
    &s.iter().find(|(c, _)| c == code).unwrap().1
}

// ---------------------------------------------------------------------------------------------
// The bulletin.

#[test]
fn bulletin_of_2023_h1() {
    let (dir, st) = store_of(|d| write_halves(d, FALLS));
    let assess = json(&st, &["assess", "--period", "2023-H1", "--format", "json"]);
    let a = json(
        &st,
        &[
            "report",
            "--campaigns",
            "--period",
            "2023-H1",
            "--format",
            "json",
        ],
    );
    let fig = &a["figures"];
    let h = &fig["headline"];

    // (a) The headline is the assessment's. By hand: 181 days; 2023-H1 cycles 20, 50, 80 from
    // 1 January: 61 days of 20 (excellent), 60 of 50 (good), 60 of 80 (lightly polluted), so
    // PM2.5 = (61 × 20 + 60 × 50 + 60 × 80) / 181 = 9020 / 181 = 49.83 → 50; 61 excellent,
    // 121 excellent or good. 2022-H1 cycles 30, 60, 90, 60: 46 days of 30, 45 of each other,
    // PM2.5 = 10830 / 181 = 59.83 → 60; 46 excellent, 136 excellent or good. The change,
    // (50 − 60) / 60 = −16.7 %.
    let mean = serde_json::json!("Mean");
    let published = |a: &Value| -> f64 {
        a["stats"]["stats"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["pollutant"] == "PM2.5" && s["statistic"] == mean)
            .map(|s| f64_of(&s["published"]))
            .unwrap()
    };
    let (cur, base) = (&assess["current"], &assess["baseline"]);
    assert_eq!(f64_of(&h["pm25"]), published(cur));
    assert_eq!(f64_of(&h["pm25_baseline"]), published(base));
    assert_eq!(h["excellent_days"], cur["days"]["by_level"][0]);
    assert_eq!(h["excellent_days_baseline"], base["days"]["by_level"][0]);
    assert_eq!(h["good_days"], cur["days"]["excellent_or_good"]);
    assert_eq!(h["good_days_baseline"], base["days"]["excellent_or_good"]);
    assert_eq!(h["days_assessed"], cur["days"]["valid"]);
    assert_eq!(h["days_in_period"], cur["days"]["days"]);
    assert_eq!(
        [
            &h["pm25"],
            &h["pm25_baseline"],
            &h["pm25_change_percent"],
            &h["excellent_days"],
            &h["excellent_days_baseline"],
            &h["good_days"],
            &h["good_days_baseline"],
            &h["days_assessed"],
            &h["days_in_period"]
        ],
        [
            &serde_json::json!(50.0),
            &serde_json::json!(60.0),
            &serde_json::json!(-16.7),
            &serde_json::json!(61),
            &serde_json::json!(46),
            &serde_json::json!(121),
            &serde_json::json!(136),
            &serde_json::json!(181),
            &serde_json::json!(181)
        ]
    );
    // The air data are complete, in both halves.
    for a in [cur, base] {
        assert_eq!(a["days"]["valid"], a["days"]["days"]);
        assert_eq!(a["days"]["bounds"]["incomplete"], 0);
    }
    // The computed indicators are the same figures, dated the period's last day.
    let blue = &fig["campaigns"][0];
    assert_eq!(blue["campaign"], "blue_sky");
    let ind = |id: &str| {
        blue["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap_or_else(|| panic!("no indicator {id}"))
            .clone()
    };
    assert_eq!(ind("pm25_cumulative")["value"], h["pm25"]);
    assert_eq!(ind("good_days")["value"], serde_json::json!(121.0));
    assert_eq!(
        ind("good_days_share")["value"],
        cur["days"]["excellent_or_good_ratio"]
    );
    assert_eq!(ind("pm25_cumulative")["date"], "2023-06-30");
    // An entered value is one of the indicator file's, dated on or before the report's date:
    // the example's values are all of 2024, so none is shown for 2023-H1.
    let file = indicator_file_values(NaiveDate::from_ymd_opt(2023, 6, 30).unwrap());
    for c in fig["campaigns"].as_array().unwrap() {
        for i in c["indicators"].as_array().unwrap() {
            if i["source"].as_str().unwrap().starts_with("entered") {
                let id = i["id"].as_str().unwrap();
                let v = f64_of(&i["value"]);
                assert!(
                    file.iter().any(|(f, x)| f == id && *x == v),
                    "{id} = {v}: not a value of the file dated by 2023-06-30 ({file:?})"
                );
            }
        }
    }
    // The progress is the plan's on the period's last day (the example plan is of 2024: every
    // measure is still to start).
    let p = json(
        &st,
        &[
            "campaigns",
            "progress",
            "--as-of",
            "2023-06-30",
            "--format",
            "json",
        ],
    );
    assert_eq!(fig["progress"], p["progress"]["total"]);
    assert_eq!(fig["progress"]["by_status"]["upcoming"], 24);

    // (b) Every number of the Markdown, in both languages, comes from the figures.
    let zh = campaigns_report(&st, &[], "md", "zh");
    let en = campaigns_report(&st, &[], "md", "en");
    every_number_has_an_origin(&zh, fig, "Markdown, zh", false);
    every_number_has_an_origin(&en, fig, "Markdown, en", false);
    // Not vacuous: the headline's numbers are there.
    for n in ["50", "60", "16.7", "121", "61", "15", "181", "66.9"] {
        assert!(numbers(&zh).contains(&n.to_string()), "zh: {n} missing");
        assert!(numbers(&en).contains(&n.to_string()), "en: {n} missing");
    }
    assert!(
        zh.contains(
            "**2023年上半年，北京市PM2.5累计浓度为50微克/立方米，同比下降16.7%（上年同期60微克/立方米）；\
             优良天数121天，同比减少15天；其中优级天数61天，同比增加15天；本期181天中181天有空气质量评价结果。**"
        ),
        "{zh}"
    );
    assert!(
        en.contains(
            "**In the first half of 2023, the cumulative concentration of PM2.5 in Beijing was 50 \
             µg/m³, down 16.7% year on year (60 µg/m³ a year earlier). There were 121 excellent \
             or good days, 15 fewer than a year earlier; 61 of them were excellent, 15 more than \
             a year earlier. 181 of 181 days were assessed.**"
        ),
        "{en}"
    );

    // (c) The status sentences: air improved (50 < 60); the others say what is missing (the
    // example's GEP-R inputs begin in 2023, so there is no year before it).
    let s = status_sentences(&zh, fig, Lang::Zh);
    assert_eq!(
        sentence_of(&s, "blue_sky"),
        "空气质量同比改善（PM2.5累计浓度 50微克/立方米，上年同期 60微克/立方米）。"
    );
    let s = status_sentences(&en, fig, Lang::En);
    assert_eq!(
        sentence_of(&s, "blue_sky"),
        "Air quality improved year on year (cumulative PM2.5 50 µg/m³; 60 µg/m³ a year earlier)."
    );
    assert!(fig["campaigns"][4]["status"].is_null());
    // The example's indicators read as its plan gives them.
    indicators_read_as_given(&zh, fig, Lang::Zh);
    indicators_read_as_given(&en, fig, Lang::En);

    // The PDF: the same numbers, the same sentences.
    if std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_err()
    {
        eprintln!("skipped the PDF text check: pdftotext not installed (poppler-utils)");
        return;
    }
    for (lang, md) in [("zh", &zh), ("en", &en)] {
        let pdf = dir.path().join(format!("campaigns-{lang}.pdf"));
        campaigns_report(&st, &["--out", pdf.to_str().unwrap()], "pdf", lang);
        let text = pdf_text(&pdf);
        every_number_has_an_origin(&text, fig, &format!("PDF, {lang}"), true);
        for n in ["50", "60", "16.7", "121", "61", "15", "181", "66.9"] {
            assert!(
                numbers(&text).contains(&n.to_string()),
                "PDF {lang}: {n} missing\n{text}"
            );
        }
        // The status sentence, as the Markdown has it (spaces as the PDF sets them).
        let l = if lang == "zh" { Lang::Zh } else { Lang::En };
        let air = first_paragraph(md, heading("blue_sky", l));
        let squeeze = |s: &str| s.split_whitespace().collect::<String>();
        assert!(
            squeeze(&text).contains(&squeeze(air)),
            "PDF {lang}: {air:?} missing\n{text}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Status sentences that flip with their figure.

/// A GEP-R table of 2022 and 2023: one district, one reservoir. Flood regulation = storage ×
/// CNY 6.1107/m³: 1,000,000,000 m³ is CNY 6,110,700,000 (61.1 亿元), 1,100,000,000 m³ is CNY
/// 6,721,770,000 (67.2 亿元).
fn gep_table(dir: &Path, name: &str, m3_2022: &str, m3_2023: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(
        &p,
        format!(
            "# hand-made\ndistrict,account,part,input,unit,2022,2023\n\
             延庆区,flood_regulation,reservoir,storage_m3,m3,{m3_2022},{m3_2023}\n"
        ),
    )
    .unwrap();
    p
}

#[test]
fn status_sentences_flip_with_their_figures() {
    let (dir, falls) = store_of(|d| write_halves(d, FALLS));
    let (_dir2, rises) = store_of(|d| write_halves(d, RISES));
    let plan = plan_2023(&dir.path().join("plan-2023"));
    let plan = plan.to_str().unwrap();

    // Air: PM2.5 falls (60 → 50) in one store and rises (50 → 60) in the other.
    for (st, zh, en) in [
        (
            &falls,
            "空气质量同比改善（PM2.5累计浓度 50微克/立方米，上年同期 60微克/立方米）。",
            "Air quality improved year on year (cumulative PM2.5 50 µg/m³; 60 µg/m³ a year earlier).",
        ),
        (
            &rises,
            "空气质量同比未改善（PM2.5累计浓度 60微克/立方米，上年同期 50微克/立方米）。",
            "Air quality did not improve year on year (cumulative PM2.5 60 µg/m³; 50 µg/m³ a year earlier).",
        ),
    ] {
        let a = json(
            st,
            &[
                "report",
                "--campaigns",
                "--period",
                "2023-H1",
                "--format",
                "json",
            ],
        );
        for (lang, l, want) in [("zh", Lang::Zh, zh), ("en", Lang::En, en)] {
            let md = campaigns_report(st, &[], "md", lang);
            let s = status_sentences(&md, &a["figures"], l);
            assert_eq!(sentence_of(&s, "blue_sky"), want);
        }
    }
    // The rising store's headline, by hand: 2023 cycles 30, 60, 90, 60 (PM2.5 60, 46 excellent
    // days, 136 excellent or good), 2022 cycles 20, 50, 80 (50; 61; 121): +20.0 %.
    let h = json(
        &rises,
        &[
            "report",
            "--campaigns",
            "--period",
            "2023-H1",
            "--format",
            "json",
        ],
    )["figures"]["headline"]
        .clone();
    assert_eq!(
        (
            &h["pm25"],
            &h["pm25_baseline"],
            &h["pm25_change_percent"],
            &h["excellent_days"],
            &h["good_days"]
        ),
        (
            &serde_json::json!(60.0),
            &serde_json::json!(50.0),
            &serde_json::json!(20.0),
            &serde_json::json!(46),
            &serde_json::json!(136)
        )
    );

    // Ecology: the city's GEP-R goes up, down, or stays, with the plan of 2023 (progress
    // under way, so the progress numbers are not all zero).
    let up = gep_table(dir.path(), "up.csv", "1000000000", "1100000000");
    let down = gep_table(dir.path(), "down.csv", "1100000000", "1000000000");
    let level = gep_table(dir.path(), "level.csv", "1000000000", "1000000000");
    let mut seen = Vec::new();
    for (table, zh, en) in [
        (
            &up,
            "生态系统调节服务价值同比增长（2023年GEP-R 67.2亿元，上年同期 61.1亿元）。",
            "The value of ecosystem regulating services grew year on year (GEP-R 2023 67.2 hundred million CNY; 61.1 hundred million CNY a year earlier).",
        ),
        (
            &down,
            "生态系统调节服务价值同比下降（2023年GEP-R 61.1亿元，上年同期 67.2亿元）。",
            "The value of ecosystem regulating services fell year on year (GEP-R 2023 61.1 hundred million CNY; 67.2 hundred million CNY a year earlier).",
        ),
        (
            &level,
            "生态系统调节服务价值同比基本持平（2023年GEP-R 61.1亿元，上年同期 61.1亿元）。",
            "The value of ecosystem regulating services held level year on year (GEP-R 2023 61.1 hundred million CNY; 61.1 hundred million CNY a year earlier).",
        ),
    ] {
        let extra = ["--plan", plan, "--gep-inputs", table.to_str().unwrap()];
        let a = json(
            &falls,
            &[
                &[
                    "report",
                    "--campaigns",
                    "--period",
                    "2023-H1",
                    "--format",
                    "json",
                ],
                &extra[..],
            ]
            .concat(),
        );
        let fig = &a["figures"];
        // The ecology indicator is the city's GEP-R of 2023 in 亿元.
        let eco = &fig["campaigns"][4];
        assert_eq!(eco["campaign"], "ecology");
        let gep = eco["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == "gep")
            .unwrap();
        assert_eq!(
            f64_of(&gep["value"]),
            f64_of(&a["gep"]["city"]["total_cny"]) / 1e8
        );
        // The entered indicator: 7 parks against a baseline of 4, (7 − 4) / 4 = +75.0 %, the
        // target of 12 not met.
        let parks = eco["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == "parks")
            .unwrap();
        assert_eq!(parks["value"], serde_json::json!(7.0));
        assert_eq!(parks["change_percent"], serde_json::json!(75.0));
        assert_eq!(parks["target_met"], false);
        for (lang, l, want) in [("zh", Lang::Zh, zh), ("en", Lang::En, en)] {
            let md = campaigns_report(&falls, &extra, "md", lang);
            let s = status_sentences(&md, fig, l);
            assert_eq!(sentence_of(&s, "ecology"), want);
            every_number_has_an_origin(
                &md,
                fig,
                &format!("Markdown {lang}, {}", table.display()),
                false,
            );
            let row = match l {
                Lang::Zh => "| 新增公园 | 7处 | 2023-06-30 | 4处 | 12处 | +75.0% | 未达到 |",
                Lang::En => "| new parks | 7 | 2023-06-30 | 4 | 12 | +75.0% | not met |",
            };
            assert!(md.contains(row), "{row}\n{md}");
            seen.push(want);
        }
        // The bulletin's progress is `campaigns progress` on the period's last day.
        let p = json(
            &falls,
            &[
                "campaigns",
                "progress",
                "--plan",
                plan,
                "--as-of",
                "2023-06-30",
                "--format",
                "json",
            ],
        );
        assert_eq!(fig["progress"], p["progress"]["total"]);
        assert!(f64_of(&fig["progress"]["done"]) > 0.0);
    }
    // Three tables, three different sentences in each language.
    assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), 6);
}

/// Each indicator's row of the Markdown reads back the plan's baseline and target, and an
/// entered value, as they were given (an engine's figure is rounded as its engine publishes
/// it, and is not checked here).
fn indicators_read_as_given(md: &str, fig: &Value, lang: Lang) {
    let tables = common::bulletin::md_tables(md);
    for c in fig["campaigns"].as_array().unwrap() {
        for i in c["indicators"].as_array().unwrap() {
            let name = i[if lang == Lang::Zh {
                "name_zh"
            } else {
                "name_en"
            }]
            .as_str()
            .unwrap();
            let row = tables
                .iter()
                .flatten()
                .find(|r| r.len() == 8 && r[0] == name)
                .unwrap_or_else(|| panic!("no row of {name}:\n{md}"));
            let entered = i["source"].as_str().unwrap().starts_with("entered");
            for (k, cell) in [("value", 1), ("baseline", 3), ("target", 4)] {
                let Some(given) = i[k].as_f64() else {
                    assert_eq!(row[cell], "—", "{name}: {k}");
                    continue;
                };
                if k == "value" && !entered {
                    continue;
                }
                let read: f64 = numbers(&row[cell])[0].parse().unwrap();
                assert_eq!(
                    read,
                    given.abs(),
                    "{name}: the {k} {given} is printed {:?} ({lang:?})",
                    row[cell]
                );
            }
        }
    }
}

#[test]
fn indicators_read_as_the_plan_gives_them() {
    let (dir, st) = store_of(|d| write_halves(d, FALLS));
    let plan = plan_2023(&dir.path().join("plan-2023"));
    let extra = ["--plan", plan.to_str().unwrap()];
    let a = json(
        &st,
        &[
            &[
                "report",
                "--campaigns",
                "--period",
                "2023-H1",
                "--format",
                "json",
            ],
            &extra[..],
        ]
        .concat(),
    );
    // Green enterprises: 12 % against a baseline of 10 %, (12 − 10) / 10 = +20.0 %; the
    // target, 15.5 %, is not met and is printed as 15.5 %.
    for (lang, l) in [("zh", Lang::Zh), ("en", Lang::En)] {
        let md = campaigns_report(&st, &extra, "md", lang);
        indicators_read_as_given(&md, &a["figures"], l);
    }
}

/// A report that the plan's own updates.csv holds is already recorded. Recorded again into the
/// store it would count twice, and, being the later recorded of its day, undo a correction:
/// here M1's b, 35 % on 20 June, corrected to 40 % by the next row of the file; taken again,
/// M1's work would fall from (1 + 3 × 0.40) / 4 = 0.55 to (1 + 3 × 0.35) / 4 = 0.5125.
#[test]
fn a_report_in_the_plan_files_is_not_recorded_again() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = plan_dir(&tmp.path().join("plan"), PLAN, UPDATES);
    let st = tmp.path().join("store");
    let again = tmp.path().join("again.csv");
    std::fs::write(
        &again,
        "measure,milestone,date,percent,evidence,by\nM1,b,2024-06-20,35,doc 3,市生态环境局\n",
    )
    .unwrap();
    let r = json(
        &st,
        &[
            "campaigns",
            "record",
            "--plan",
            plan.to_str().unwrap(),
            "--updates",
            again.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(
        r,
        serde_json::json!({"given": 1, "recorded": 0, "already_recorded": 1})
    );
    let (a, file) = progress(&st, &plan, &tmp.path().join("measures.csv"));
    assert_eq!(file, MEASURES_CSV);
    let m1 = a["progress"]["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "M1")
        .unwrap()
        .clone();
    assert_eq!(m1["reports"], 4, "{m1}");
}

// ---------------------------------------------------------------------------------------------
// GEP-R.

#[test]
fn gep_r_of_one_district_by_hand() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("inputs.csv");
    std::fs::write(
        &inputs,
        "# one district, by hand\n\
         district,account,part,input,unit,2023,2024\n\
         延庆区,water_conservation,forest,area_km2,km2,10,10\n\
         延庆区,water_conservation,forest,precipitation_mm,mm,550,600\n\
         延庆区,water_conservation,forest,runoff_mm,mm,200,200\n\
         延庆区,water_conservation,forest,et_mm,mm,300,300\n\
         延庆区,carbon_sequestration,forest,nep_t_c,t C,1200,1200\n",
    )
    .unwrap();
    let a = json(
        &tmp.path().join("store"),
        &[
            "campaigns",
            "gep",
            "--gep-inputs",
            inputs.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    // The latest year of the table, compared with the one before; no rule for given inputs.
    assert_eq!(a["year"], 2024);
    assert_eq!(a["previous_year"], 2023);
    assert_eq!(a["model"], false);
    assert_eq!(a["compensation"], serde_json::json!([]));
    let d = &a["districts"][0];
    assert_eq!(d["district"], "延庆区");
    let account = |id: &str| -> (f64, f64) {
        let x = d["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["account"] == id)
            .unwrap_or_else(|| panic!("no account {id}"));
        (f64_of(&x["physical"]), f64_of(&x["value_cny"]))
    };
    // Water conservation, 2024: Q = A·(P − R − ET)·10³ = 10 km² × (600 − 200 − 300) mm × 10³ =
    // 1,000,000 m³; V = Q × CNY 6.1107/m³ (reservoir cost) = CNY 6,110,700.
    let (q, v) = account("water_conservation");
    assert_eq!(q, 1_000_000.0);
    assert!((v - 6_110_700.0).abs() < 1e-6, "{v}");
    // Carbon: 44/12 × 1,200 t C = 4,400 t CO₂ × CNY 104.89/t = CNY 461,516. Oxygen, from the
    // same NEP: 32/44 × 4,400 = 3,200 t O₂ × CNY 1,000/t = CNY 3,200,000.
    let (q, v) = account("carbon_sequestration");
    assert!(
        (q - 4_400.0).abs() < 1e-9 && (v - 461_516.0).abs() < 1e-6,
        "{q} {v}"
    );
    let (q, v) = account("oxygen_release");
    assert!(
        (q - 3_200.0).abs() < 1e-9 && (v - 3_200_000.0).abs() < 1e-6,
        "{q} {v}"
    );
    // Three of nine accounts; the others missing, never zero.
    assert_eq!(
        d["completeness"],
        serde_json::json!({"computed": 3, "expected": 9})
    );
    assert_eq!(d["missing"].as_array().unwrap().len(), 6);
    // The total is the sum of the accounts, in their order, to the bit: CNY 9,772,216.
    let sum: f64 = d["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| f64_of(&x["value_cny"]))
        .sum();
    assert_eq!(f64_of(&d["total_cny"]), sum);
    assert!((sum - 9_772_216.0).abs() < 1e-6, "{sum}");
    assert_eq!(a["city"]["total_cny"], d["total_cny"]);
    // 2023: water conservation 10 × 50 × 10³ = 500,000 m³, CNY 3,055,350; carbon and oxygen as
    // in 2024: CNY 6,716,866. The change, CNY 3,055,350, is 45.4877 %.
    let c = &a["city_change"];
    assert!((f64_of(&c["before_cny"]) - 6_716_866.0).abs() < 1e-6);
    assert!((f64_of(&c["change_cny"]) - 3_055_350.0).abs() < 1e-6);
    assert!(
        (f64_of(&c["change_percent"]) - 3_055_350.0 / 6_716_866.0 * 100.0).abs() < 1e-9,
        "{c}"
    );
    assert_eq!(c["comparable"], true);
}

// ---------------------------------------------------------------------------------------------
// The number check itself: it passes the figures' numbers and names one without an origin.

fn small_figures() -> Value {
    serde_json::json!({
        "as_of": "2024-06-30",
        "headline": {
            "pm25": 34.0, "pm25_baseline": 37.0, "pm25_change_percent": -8.1,
            "excellent_days": 70, "excellent_days_baseline": 67,
            "good_days": null, "good_days_baseline": null,
            "days_assessed": 181, "days_in_period": 182
        },
        "progress": {
            "measures": 1, "without_reports": 0, "done": 0.5523, "expected": 0.25,
            "time_elapsed": 0.5, "by_status": {"on_schedule": 1}
        },
        "campaigns": [],
        "effects": []
    })
}

#[test]
fn the_number_check_passes_the_figures() {
    every_number_has_an_origin(
        "截至2024年6月30日，PM2.5累计浓度34微克/立方米，同比下降8.1%（上年同期37）；优级天数70天，同比增加3天；\
         本期182天中181天；共1项措施，工作进度55.2%，应完成25.0%，时间进度50.0%，0项滞后。",
        &small_figures(),
        "small",
        false,
    );
}

#[test]
#[should_panic(expected = "\"42\" in: …")]
fn the_number_check_names_a_number_without_origin() {
    every_number_has_an_origin(
        "PM2.5累计浓度34微克/立方米，同比下降8.1%，排名第42。",
        &small_figures(),
        "small",
        false,
    );
}
