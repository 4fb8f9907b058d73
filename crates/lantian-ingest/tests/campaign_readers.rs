//! The readers of the campaigns' plan on small hand-written files with exact expectations (a
//! good plan read whole; every kind of bad input with its exact message naming file, line and
//! field), and on the repository's example plan, `plans/beijing-2024`.

use chrono::NaiveDate;
use lantian_campaigns::Campaign;
use lantian_campaigns::indicator::{Direction, Indicator, Mark, Source, Value};
use lantian_campaigns::measure::{Measure, Milestone, Target, Update};
use lantian_campaigns::progress::progress;
use lantian_ingest::campaigns::{
    ALL_WORK, PlanError, PlanMeta, PlanTexts, Problem, all_work, read_measures_str, read_plan_dir,
    read_plan_str, read_plan_texts, read_updates_str, read_values_str,
};
use std::path::{Path, PathBuf};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn messages(problems: &[Problem]) -> Vec<String> {
    problems.iter().map(|p| p.to_string()).collect()
}

/// A good plan; the line numbers in the tests below are this text's.
const PLAN: &str = r#"[plan]
name_zh = "测试计划"
name_en = "test plan"
region = "北京市"
year = 2024
source = "测试文件"

[[measure]]
id = "BS-01"
campaign = "蓝天"
title_zh = "夏季VOCs治理"
title_en = "Summer VOCs"
lead = "市生态环境局"
partners = ["市经济和信息化局", "市交通委"]
start = 2024-05-01
deadline = 2024-09-30
target = { pollutant = "o3" }
source = "行动计划"

[[measure.milestone]]
id = "plan"
name_zh = "方案印发"
name_en = "plan issued"
due = 2024-05-31

[[measure.milestone]]
id = "works"
name_zh = "治理"
name_en = "works"
weight = 3

[[measure]]
id = "CW-01"
campaign = "clear_water"
title_zh = "村庄污水"
title_en = "Village sewage"
lead = "市水务局"
start = 2024-01-01
deadline = 2024-12-31
target.indicator = "village_sewage"
source = "行动计划"

[[indicator]]
id = "village_sewage"
campaign = "碧水"
name_zh = "开工村数"
name_en = "villages started"
unit = "个"
direction = "up"
baseline = { value = 0, date = 2023-12-31 }
target = { value = 50, date = 2024-12-31 }
source = "通报"

[[indicator]]
id = "pm25_cumulative"
campaign = "blue_sky"
name_zh = "PM2.5累计浓度"
name_en = "PM2.5 cumulative"
unit = "µg/m³"
direction = "Down"
source = "engine"
computed = "air.pm25_cumulative"
"#;

/// [`PLAN`] with line `line` (1-based) replaced by `with` (several lines, or none).
fn edit(line: usize, with: &str) -> String {
    let mut lines: Vec<&str> = PLAN.lines().collect();
    assert!(!lines[line - 1].is_empty(), "line {line} of PLAN is blank");
    let new: Vec<&str> = with.lines().collect();
    lines.splice(line - 1..line, new);
    lines.join("\n") + "\n"
}

/// The problems of a plan text, as `file:line: field: message ("value")`.
fn plan_problems(text: &str) -> Vec<String> {
    match read_plan_str("plan.toml", text) {
        Ok(_) => panic!("the plan was taken:\n{text}"),
        Err(p) => messages(&p),
    }
}

fn good_plan() -> (Vec<Measure>, Vec<Indicator>) {
    let p = read_plan_str("plan.toml", PLAN).unwrap();
    (p.measures, p.indicators)
}

// ---------------------------------------------------------------------------------------------
// The plan file.

#[test]
fn a_good_plan_is_read_whole() {
    let p = read_plan_str("plan.toml", PLAN).unwrap();
    assert_eq!(
        p.meta,
        PlanMeta {
            name_zh: "测试计划".into(),
            name_en: "test plan".into(),
            region: "北京市".into(),
            year: 2024,
            source: "测试文件".into(),
        }
    );
    assert_eq!(
        p.measures,
        vec![
            Measure {
                id: "BS-01".into(),
                campaign: Campaign::BlueSky,
                title_zh: "夏季VOCs治理".into(),
                title_en: "Summer VOCs".into(),
                lead: "市生态环境局".into(),
                partners: vec!["市经济和信息化局".into(), "市交通委".into()],
                start: d("2024-05-01"),
                deadline: d("2024-09-30"),
                milestones: vec![
                    Milestone {
                        id: "plan".into(),
                        name_zh: "方案印发".into(),
                        name_en: "plan issued".into(),
                        // Left out: 1.
                        weight: 1.0,
                        due: Some(d("2024-05-31")),
                    },
                    Milestone {
                        id: "works".into(),
                        name_zh: "治理".into(),
                        name_en: "works".into(),
                        // An integer weight is the number it is.
                        weight: 3.0,
                        due: None,
                    },
                ],
                // The pollutant's code as the store writes it.
                target: Some(Target::Pollutant("O3".into())),
                source: "行动计划".into(),
            },
            Measure {
                id: "CW-01".into(),
                campaign: Campaign::ClearWater,
                title_zh: "村庄污水".into(),
                title_en: "Village sewage".into(),
                lead: "市水务局".into(),
                partners: vec![],
                start: d("2024-01-01"),
                deadline: d("2024-12-31"),
                // No milestones in the file: the implicit one.
                milestones: vec![Milestone {
                    id: "all".into(),
                    name_zh: "全部工作".into(),
                    name_en: "all work".into(),
                    weight: 1.0,
                    due: None,
                }],
                // Written with a dotted key.
                target: Some(Target::Indicator("village_sewage".into())),
                source: "行动计划".into(),
            },
        ]
    );
    assert_eq!(p.measures[1].milestones, vec![all_work()]);
    assert_eq!(ALL_WORK, "all");
    assert_eq!(
        p.indicators,
        vec![
            Indicator {
                id: "village_sewage".into(),
                campaign: Campaign::ClearWater,
                name_zh: "开工村数".into(),
                name_en: "villages started".into(),
                unit: "个".into(),
                direction: Direction::Up,
                baseline: Some(Mark {
                    value: 0.0,
                    date: d("2023-12-31")
                }),
                target: Some(Mark {
                    value: 50.0,
                    date: d("2024-12-31")
                }),
                source: "通报".into(),
                computed: None,
            },
            Indicator {
                id: "pm25_cumulative".into(),
                campaign: Campaign::BlueSky,
                name_zh: "PM2.5累计浓度".into(),
                name_en: "PM2.5 cumulative".into(),
                unit: "µg/m³".into(),
                direction: Direction::Down,
                baseline: None,
                target: None,
                source: "engine".into(),
                computed: Some("air.pm25_cumulative".into()),
            },
        ]
    );
}

#[test]
fn the_same_plan_in_other_toml_spellings_reads_the_same() {
    // Milestones as an inline array, the target under its own header, a byte-order mark.
    let measures = r#"
[[measure]]
id = "BS-01"
campaign = "蓝天"
title_zh = "夏季VOCs治理"
title_en = "Summer VOCs"
lead = "市生态环境局"
partners = ["市经济和信息化局", "市交通委"]
start = 2024-05-01
deadline = 2024-09-30
target = { pollutant = "o3" }
source = "行动计划"
milestone = [
  { id = "plan", name_zh = "方案印发", name_en = "plan issued", due = 2024-05-31 },
  { id = "works", name_zh = "治理", name_en = "works", weight = 3.0 },
]

[[measure]]
id = "CW-01"
campaign = "clear_water"
title_zh = "村庄污水"
title_en = "Village sewage"
lead = "市水务局"
start = 2024-01-01
deadline = 2024-12-31
source = "行动计划"

[measure.target]
indicator = "village_sewage"

"#;
    let (head, _) = PLAN.split_once("\n[[measure]]").unwrap();
    let (_, tail) = PLAN.split_once("\n[[indicator]]").unwrap();
    let other = format!("{head}{measures}[[indicator]]{tail}");
    assert_ne!(other, PLAN);
    let a = read_plan_str("plan.toml", PLAN).unwrap();
    let b = read_plan_str("plan.toml", &format!("\u{feff}{other}")).unwrap();
    assert_eq!(a, b);
}

#[test]
fn toml_that_does_not_parse_names_its_line_and_field() {
    assert_eq!(
        plan_problems(&edit(16, "deadline = 2024-13-01")),
        [
            "plan.toml:16: deadline: not a date (a TOML date, 2024-12-31): value is out of range (\"2024-13-01\")"
        ]
    );
    assert_eq!(
        plan_problems(&edit(12, "title_en = Summer VOCs")),
        ["plan.toml:12: title_en: not TOML: invalid string; expected `\"`, `'` (\"Summer VOCs\")"]
    );
    assert_eq!(
        plan_problems(&edit(26, "[[measure.milestone]")),
        [
            "plan.toml:26: measure.milestone: not TOML: invalid table header; expected `.`, `]]` (\"[[measure.milestone]\")"
        ]
    );
}

#[test]
fn a_missing_or_mistyped_field_is_named_at_its_line() {
    // Missing: at the header of its table.
    assert_eq!(
        plan_problems(&edit(13, "")),
        ["plan.toml:8: lead: missing: a measure has a lead (a text in quotes) (\"\")"]
    );
    assert_eq!(
        plan_problems(&edit(5, "")),
        ["plan.toml:1: year: missing: the [plan] table has a year (a whole number) (\"\")"]
    );
    assert_eq!(
        plan_problems(&edit(49, "")),
        [
            "plan.toml:43: direction: missing: an indicator has a direction (a text in quotes) (\"\")"
        ]
    );
    // Mistyped.
    assert_eq!(
        plan_problems(&edit(5, "year = \"2024\"")),
        ["plan.toml:5: year: a whole number is expected, not a string (\"2024\")"]
    );
    assert_eq!(
        plan_problems(&edit(15, "start = \"2024-05-01\"")),
        [
            "plan.toml:15: start: a date is written bare, without quotes (2024-12-31) (\"2024-05-01\")"
        ]
    );
    assert_eq!(
        plan_problems(&edit(15, "start = 2024-05-01T08:00:00")),
        [
            "plan.toml:15: start: a date without a time of day is expected (2024-12-31) (\"2024-05-01T08:00:00\")"
        ]
    );
    assert_eq!(
        plan_problems(&edit(30, "weight = \"3\"")),
        ["plan.toml:30: milestone.weight: a number is expected, not a string (\"3\")"]
    );
    assert_eq!(
        plan_problems(&edit(14, "partners = [\"市经济和信息化局\", 3]")),
        ["plan.toml:14: partners: a list of texts holds texts in quotes, not an integer (\"3\")"]
    );
    assert_eq!(
        plan_problems(&edit(11, "title_zh = \" \"")),
        ["plan.toml:11: title_zh: empty; leave the field out or fill it (\" \")"]
    );
    assert_eq!(
        plan_problems(&edit(50, "baseline = { value = \"0\", date = 2023-12-31 }")),
        ["plan.toml:50: baseline.value: a number is expected, not a string (\"0\")"]
    );
    // A misspelt key is not ignored: it is reported, and the field it was meant to be is
    // missing.
    assert_eq!(
        plan_problems(&edit(16, "deadlne = 2024-09-30")),
        [
            "plan.toml:8: deadline: missing: a measure has a deadline (a TOML date, 2024-12-31) (\"\")",
            "plan.toml:16: deadlne: not a field of a measure; its fields are id, campaign, title_zh, title_en, lead, partners, start, deadline, target, source, milestone (\"2024-09-30\")",
        ]
    );
}

#[test]
fn unknown_names_are_refused() {
    assert_eq!(
        plan_problems(&edit(10, "campaign = \"blue_skies\"")),
        [
            "plan.toml:10: campaign: not a campaign; the campaigns are blue_sky, clear_water, pure_land, climate, ecology (or their Chinese names: 蓝天, 碧水, 净土, 气候, 生态) (\"blue_skies\")"
        ]
    );
    assert_eq!(
        plan_problems(&edit(17, "target = { pollutant = \"PM1\" }")),
        [
            "plan.toml:17: target.pollutant: not a pollutant of the store (SO2, NO2, CO, O3, PM10, PM2.5, NOx, TSP) (\"PM1\")"
        ]
    );
    assert_eq!(
        plan_problems(&edit(
            17,
            "target = { pollutant = \"O3\", indicator = \"x\" }"
        )),
        ["plan.toml:17: target: a target is one pollutant or one indicator, not both (\"O3, x\")"]
    );
    assert_eq!(
        plan_problems(&edit(17, "target = {}")),
        [
            "plan.toml:17: target: a target names a pollutant ({ pollutant = \"PM10\" }) or an indicator ({ indicator = \"nev_share\" }) (\"\")"
        ]
    );
    assert_eq!(
        plan_problems(&edit(40, "target.indicator = \"village_sewer\"")),
        [
            "plan.toml:40: target.indicator: measure CW-01: the target names indicator \"village_sewer\", which the plan's [[indicator]]s do not have (\"village_sewer\")"
        ]
    );
    assert_eq!(
        plan_problems(&edit(49, "direction = \"sideways\"")),
        [
            "plan.toml:49: direction: a direction is \"up\" (more is better) or \"down\" (less is better) (\"sideways\")"
        ]
    );
}

#[test]
fn what_the_engine_refuses_in_a_measure_is_placed_at_its_field() {
    assert_eq!(
        plan_problems(&edit(16, "deadline = 2024-04-30")),
        [
            "plan.toml:16: deadline: measure BS-01: the deadline 2024-04-30 is before the start 2024-05-01 (\"2024-04-30\")"
        ]
    );
    assert_eq!(
        plan_problems(&edit(30, "weight = 0")),
        [
            "plan.toml:30: milestone.weight: measure BS-01, milestone works: the weight 0 is not a positive number (\"0\")"
        ]
    );
    assert_eq!(
        plan_problems(&edit(27, "id = \"plan\"")),
        ["plan.toml:27: milestone.id: measure BS-01: milestone plan is given twice (\"plan\")"]
    );
    assert_eq!(
        plan_problems(&edit(24, "due = 2024-04-30")),
        [
            "plan.toml:24: milestone.due: measure BS-01, milestone plan: due 2024-04-30, outside the measure's 2024-05-01 to 2024-09-30 (\"2024-04-30\")"
        ]
    );
    assert_eq!(
        plan_problems(&edit(50, "baseline = { value = 50, date = 2023-12-31 }")),
        [
            "plan.toml:51: target.value: indicator village_sewage: the target (50) equals the baseline; progress toward it has no meaning (\"50\")"
        ]
    );
}

#[test]
fn an_id_given_twice_is_refused_at_the_second() {
    assert_eq!(
        plan_problems(&edit(33, "id = \"BS-01\"")),
        ["plan.toml:33: id: measure BS-01 is given twice (first on line 9) (\"BS-01\")"]
    );
    assert_eq!(
        plan_problems(&edit(55, "id = \"village_sewage\"")),
        [
            "plan.toml:55: id: indicator village_sewage is given twice (first on line 44) (\"village_sewage\")"
        ]
    );
}

#[test]
fn every_problem_of_a_plan_is_reported_at_once_in_line_order() {
    let text = edit(49, "direction = \"sideways\"")
        .replace("campaign = \"蓝天\"", "campaign = \"sky\"")
        .replace("deadline = 2024-12-31", "deadline = 2023-12-31")
        .replace("year = 2024", "year = 2024\nauthor = \"x\"");
    assert_eq!(
        plan_problems(&text),
        [
            "plan.toml:6: author: not a field of the [plan] table; its fields are name_zh, name_en, region, year, source (\"x\")",
            "plan.toml:11: campaign: not a campaign; the campaigns are blue_sky, clear_water, pure_land, climate, ecology (or their Chinese names: 蓝天, 碧水, 净土, 气候, 生态) (\"sky\")",
            "plan.toml:40: deadline: measure CW-01: the deadline 2023-12-31 is before the start 2024-01-01 (\"2023-12-31\")",
            "plan.toml:50: direction: a direction is \"up\" (more is better) or \"down\" (less is better) (\"sideways\")",
        ]
    );
    assert_eq!(
        plan_problems("[[measure]]\nid = \"M\"\n"),
        [
            "plan.toml:1: plan: missing: a plan file has a [plan] table (name_zh, name_en, region, year, source) (\"\")",
            "plan.toml:1: campaign: missing: a measure has a campaign (a text in quotes) (\"\")",
            "plan.toml:1: title_zh: missing: a measure has a title_zh (a text in quotes) (\"\")",
            "plan.toml:1: title_en: missing: a measure has a title_en (a text in quotes) (\"\")",
            "plan.toml:1: lead: missing: a measure has a lead (a text in quotes) (\"\")",
            "plan.toml:1: start: missing: a measure has a start (a TOML date, 2024-12-31) (\"\")",
            "plan.toml:1: deadline: missing: a measure has a deadline (a TOML date, 2024-12-31) (\"\")",
            "plan.toml:1: source: missing: a measure has a source (a text in quotes) (\"\")",
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// The updates log.

const UPDATES: &str = "measure,milestone,date,percent,evidence,by
BS-01,plan,2024-05-20,100,方案印发,市生态环境局
BS-01,works,2024-06-30,40.5,台账,市生态环境局
CW-01,,2024-06-30,100,\"通报：50个村, 全部开工\",市水务局
BS-01,,2024-06-30,50,台账,市生态环境局
BS-01,plan,2024-04-30,10,台账,市生态环境局
BS-09,plan,2024-06-30,10,台账,x
BS-01,work,2024-06-30,10,台账,x
BS-01,works,2024-06-31,10,台账,x
BS-01,works,2024-06-30,120,台账,x
BS-01,works,2024-06-30,50%,台账,x
BS-01,works,2024-04-01,10,,
BS-01,works,2024-06-30,10,台账
CW-01,all,2024-07-31,100,验收,市水务局
";

#[test]
fn updates_are_checked_against_the_plan_row_by_row() {
    let (measures, _) = good_plan();
    let read = read_updates_str("updates.csv", UPDATES, &measures).unwrap();
    assert_eq!(read.rows, 13);
    let u = |m: &str, ms: &str, date: &str, percent: f64, evidence: &str, by: &str| Update {
        measure: m.into(),
        milestone: ms.into(),
        date: d(date),
        percent,
        evidence: evidence.into(),
        by: by.into(),
    };
    assert_eq!(
        read.items,
        vec![
            u(
                "BS-01",
                "plan",
                "2024-05-20",
                100.0,
                "方案印发",
                "市生态环境局"
            ),
            u("BS-01", "works", "2024-06-30", 40.5, "台账", "市生态环境局"),
            // An empty milestone of a one-milestone measure is that milestone.
            u(
                "CW-01",
                "all",
                "2024-06-30",
                100.0,
                "通报：50个村, 全部开工",
                "市水务局"
            ),
            u("CW-01", "all", "2024-07-31", 100.0, "验收", "市水务局"),
        ]
    );
    assert_eq!(
        messages(&read.problems),
        [
            "updates.csv:5: milestone: measure BS-01 has 2 milestones (plan, works); an update names one (\"\")",
            "updates.csv:6: date: measure BS-01: an update dated 2024-04-30 is before the measure's start, 2024-05-01 (\"2024-04-30\")",
            "updates.csv:7: measure: an update names measure \"BS-09\", which the plan does not have (\"BS-09\")",
            "updates.csv:8: milestone: an update of measure BS-01 names milestone \"work\"; its milestones are plan, works (\"work\")",
            "updates.csv:9: date: not a date YYYY-MM-DD (\"2024-06-31\")",
            "updates.csv:10: percent: measure BS-01, milestone works, 2024-06-30: 120 is not a share of work (0 to 100 %) (\"120\")",
            "updates.csv:11: percent: not a number (the share of the work done, 0 to 100, without %) (\"50%\")",
            // Every problem of a row, not only the first.
            "updates.csv:12: date: measure BS-01: an update dated 2024-04-01 is before the measure's start, 2024-05-01 (\"2024-04-01\")",
            "updates.csv:12: evidence: measure BS-01, 2024-05-01: the update has no evidence (every report needs its evidence and who made it) (\"\")",
            "updates.csv:12: by: measure BS-01, 2024-05-01: the update has no reporter (by) (every report needs its evidence and who made it) (\"\")",
            "updates.csv:13: row: 5 fields where the header has 6; the row is not read (\"BS-01,works,2024-06-30,10,台账\")",
        ]
    );
    // Every row is either taken or reported.
    let reported: std::collections::BTreeSet<u64> = read.problems.iter().map(|p| p.line).collect();
    assert_eq!(read.items.len() + reported.len(), read.rows as usize);
}

#[test]
fn an_update_before_the_measure_starts_is_refused_naming_line_and_date() {
    let (measures, _) = good_plan();
    let text = "measure,milestone,date,percent,evidence,by\n\
                BS-01,works,2024-05-01,5,台账,市生态环境局\n\
                BS-01,works,2024-04-30,5,台账,市生态环境局\n";
    let read = read_updates_str("updates.csv", text, &measures).unwrap();
    assert_eq!(read.items.len(), 1);
    assert_eq!(read.items[0].date, d("2024-05-01"));
    assert_eq!(read.problems.len(), 1);
    let p = &read.problems[0];
    assert_eq!(
        (p.file.as_str(), p.line, p.field.as_str()),
        ("updates.csv", 3, "date")
    );
    assert_eq!(p.value, "2024-04-30");
    assert_eq!(
        p.message,
        "measure BS-01: an update dated 2024-04-30 is before the measure's start, 2024-05-01"
    );
}

#[test]
fn a_log_with_another_header_is_refused_whole() {
    let (measures, indicators) = good_plan();
    let e = read_updates_str(
        "updates.csv",
        "measure,date,percent\nBS-01,2024-06-30,5\n",
        &measures,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "updates.csv:1: header: an updates file has the columns measure,milestone,date,percent,evidence,by (\"measure,date,percent\")"
    );
    let e = read_values_str("values.csv", "", &indicators).unwrap_err();
    assert_eq!(
        e.to_string(),
        "values.csv:1: header: an indicator-values file has the columns indicator,date,value,source,by,evidence (\"\")"
    );
    // The header's case and spaces do not matter; a byte-order mark is dropped.
    let ok = read_updates_str(
        "updates.csv",
        "\u{feff}Measure, Milestone,DATE,percent,evidence,by\nBS-01,plan,2024-05-20,100,doc,unit\n",
        &measures,
    )
    .unwrap();
    assert_eq!((ok.items.len(), ok.problems.len()), (1, 0));
}

// ---------------------------------------------------------------------------------------------
// The indicator-values log.

const VALUES: &str = "indicator,date,value,source,by,evidence
village_sewage,2024-06-30,50,entered,市生态环境局,上半年通报
pm25_cumulative,2024-06-30,34.0,computed,lantian-assess,air.pm25_cumulative 2024-01-01..2024-06-30
village_sewage,2024-05-31,40,Entered,市水务局,\"月报, 5月\"
pm25_cumulative,2024-06-30,34,entered,市生态环境局,上半年通报
nev_share,2024-05-31,39.7,entered,市生态环境局,上半年通报
village_sewage,2024-06-31,50,entered,市生态环境局,上半年通报
village_sewage,2024-06-30,about 50,entered,市生态环境局,上半年通报
village_sewage,2024-06-30,50,published,市生态环境局,上半年通报
village_sewage,2024-06-30,50,entered,,
pm25_cumulative,2024-06-30,34,computed,lantian-assess,
";

#[test]
fn values_keep_their_source_and_are_checked_against_the_registry() {
    let (_, indicators) = good_plan();
    let read = read_values_str("indicator_values.csv", VALUES, &indicators).unwrap();
    assert_eq!(read.rows, 10);
    assert_eq!(
        read.items,
        vec![
            Value {
                indicator: "village_sewage".into(),
                date: d("2024-06-30"),
                value: 50.0,
                source: Source::Entered {
                    by: "市生态环境局".into(),
                    evidence: "上半年通报".into()
                },
            },
            Value {
                indicator: "pm25_cumulative".into(),
                date: d("2024-06-30"),
                value: 34.0,
                source: Source::Computed {
                    engine: "lantian-assess".into(),
                    query: "air.pm25_cumulative 2024-01-01..2024-06-30".into()
                },
            },
            Value {
                indicator: "village_sewage".into(),
                date: d("2024-05-31"),
                value: 40.0,
                source: Source::Entered {
                    by: "市水务局".into(),
                    evidence: "月报, 5月".into()
                },
            },
        ]
    );
    assert_eq!(
        messages(&read.problems),
        [
            "indicator_values.csv:5: source: indicator pm25_cumulative is computed by Lantian (air.pm25_cumulative); an entered value would stand in its history as if computed (give a published figure an indicator of its own) (\"entered\")",
            "indicator_values.csv:6: indicator: a value names indicator \"nev_share\", which the registry does not have (\"nev_share\")",
            "indicator_values.csv:7: date: not a date YYYY-MM-DD (\"2024-06-31\")",
            "indicator_values.csv:8: value: not a number (\"about 50\")",
            "indicator_values.csv:9: source: a source is \"entered\" (by a person) or \"computed\" (by an engine) (\"published\")",
            "indicator_values.csv:10: by: indicator village_sewage, 2024-06-30: the value has no by (every value keeps its source) (\"\")",
            "indicator_values.csv:10: evidence: indicator village_sewage, 2024-06-30: the value has no evidence (every value keeps its source) (\"\")",
            "indicator_values.csv:11: evidence: indicator pm25_cumulative, 2024-06-30: the value has no query (every value keeps its source) (\"\")",
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// A plan folder.

/// A fresh folder for files a test writes.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lantian-campaigns-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_plan_folder_is_taken_only_without_problems() {
    let dir = scratch("folder");
    let e = read_plan_dir(&dir).unwrap_err();
    assert!(matches!(e, PlanError::Unreadable(_)), "{e}");
    assert!(e.to_string().contains("plan.toml"), "{e}");

    // The logs are optional.
    std::fs::write(dir.join("plan.toml"), PLAN).unwrap();
    let files = read_plan_dir(&dir).unwrap();
    assert_eq!((files.measures.len(), files.indicators.len()), (2, 2));
    assert!(files.updates.is_empty() && files.values.is_empty());

    // One bad row in each log refuses the folder, every problem listed with its path.
    std::fs::write(
        dir.join("updates.csv"),
        "measure,milestone,date,percent,evidence,by\nBS-01,plan,2024-05-20,100,doc,unit\nBS-01,plan,2024-04-20,100,doc,unit\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("indicator_values.csv"),
        "indicator,date,value,source,by,evidence\nvillage_sewage,2024-06-30,x,entered,unit,doc\n",
    )
    .unwrap();
    let e = read_plan_dir(&dir).unwrap_err();
    let PlanError::Refused(problems) = &e else {
        panic!("{e}")
    };
    assert_eq!(problems.len(), 2);
    let path = |f: &str| dir.join(f).display().to_string();
    assert_eq!(
        e.to_string(),
        format!(
            "2 problems in the plan's files; the plan is not taken:\n  \
             {}:3: date: measure BS-01: an update dated 2024-04-20 is before the measure's start, 2024-05-01 (\"2024-04-20\")\n  \
             {}:2: value: not a number (\"x\")",
            path("updates.csv"),
            path("indicator_values.csv")
        )
    );

    // A plan with problems: only its own (the logs are checked against it).
    std::fs::write(dir.join("plan.toml"), edit(5, "year = 24.5")).unwrap();
    let e = read_plan_dir(&dir).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "1 problem in the plan's files; the plan is not taken:\n  {}:5: year: a whole number is expected, not a float (\"24.5\")",
            path("plan.toml")
        )
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn texts_read_like_a_folder() {
    let files = read_plan_texts(
        ("plan.toml", PLAN),
        Some((
            "updates.csv",
            "measure,milestone,date,percent,evidence,by\nCW-01,,2024-06-30,50,doc,unit\n",
        )),
        None,
    )
    .unwrap();
    assert_eq!(files.plan.year, 2024);
    assert_eq!(files.updates[0].milestone, "all");
}

// ---------------------------------------------------------------------------------------------
// The repository's example plan.

fn example() -> PathBuf {
    Path::new(&std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
        .join("../../plans/beijing-2024")
}

#[test]
fn the_beijing_2024_example_plan_reads_whole() {
    let f = read_plan_dir(&example()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(f.plan.region, "北京市");
    assert_eq!(f.plan.year, 2024);
    assert_eq!(
        (
            f.measures.len(),
            f.indicators.len(),
            f.updates.len(),
            f.values.len()
        ),
        (24, 17, 37, 9)
    );
    // Every campaign has measures and indicators.
    for c in Campaign::ALL {
        assert!(
            f.measures.iter().filter(|m| m.campaign == c).count() >= 4,
            "{c}"
        );
        assert!(f.indicators.iter().any(|i| i.campaign == c), "{c}");
    }
    let measure = |id: &str| f.measures.iter().find(|m| m.id == id).unwrap();
    let indicator = |id: &str| f.indicators.iter().find(|i| i.id == id).unwrap();

    // The published NEV figures, dated as the report dates them: the end of May.
    let nev_share: Vec<&Value> = f
        .values
        .iter()
        .filter(|v| v.indicator == "nev_share")
        .collect();
    assert_eq!(nev_share.len(), 1);
    assert_eq!(nev_share[0].value, 39.7);
    assert_eq!(nev_share[0].date, d("2024-05-31"));
    let Source::Entered { by, evidence } = &nev_share[0].source else {
        panic!("{:?}", nev_share[0].source)
    };
    assert_eq!(by, "市生态环境局");
    assert!(evidence.contains("39.7%") && evidence.contains("published report"));
    let value = |id: &str| f.values.iter().find(|v| v.indicator == id).unwrap();
    assert_eq!(value("nev_stock").value, 84.5);
    assert_eq!(indicator("nev_stock").unit, "万辆");
    assert_eq!(value("road_dust_load_change").value, -34.1);
    assert_eq!(value("green_enterprise_ratio").value, 11.8);
    assert_eq!(value("carbon_market_units").value, 1300.0);
    assert_eq!(value("village_sewage_started").value, 50.0);
    assert_eq!(value("new_farmland_reviewed").value, 7200.0);
    assert_eq!(value("parks_built").value, 7.0);
    assert_eq!(value("pocket_parks_built").value, 14.0);
    for v in &f.values {
        if v.indicator.starts_with("nev_") {
            continue;
        }
        assert_eq!(v.date, d("2024-06-30"), "{}", v.indicator);
    }

    // The air, water, soil, climate and GEP-R figures are Lantian's to compute: no values.
    let computed: Vec<&str> = f
        .indicators
        .iter()
        .filter_map(|i| i.computed.as_deref())
        .collect();
    assert_eq!(
        computed,
        [
            "air.pm25_cumulative",
            "air.good_days",
            "air.good_days_share",
            "water.class_i_iii_share",
            "water.worse_than_v_share",
            "soil.strict_control_share",
            "climate.compliance_rate",
            "ecology.gep_r_total",
        ]
    );
    for i in f.indicators.iter().filter(|i| i.computed.is_some()) {
        assert!(!f.values.iter().any(|v| v.indicator == i.id), "{}", i.id);
    }

    // The measures "did it work?" is asked of.
    let target = |id: &str| measure(id).target.clone();
    assert_eq!(target("BS-01"), Some(Target::Pollutant("O3".into())));
    assert_eq!(measure("BS-01").start, d("2024-05-01"));
    assert_eq!(target("BS-02"), Some(Target::Pollutant("PM10".into())));
    assert_eq!(target("CL-01"), Some(Target::Pollutant("NO2".into())));
    assert_eq!(
        target("BS-03"),
        Some(Target::Indicator("road_dust_load_change".into()))
    );

    // 50 of 50 villages started: the "started" milestone is done, "built" not reported; a
    // measure without milestones has the implicit one.
    let cw01: Vec<&Update> = f.updates.iter().filter(|u| u.measure == "CW-01").collect();
    assert_eq!(cw01.len(), 1);
    assert_eq!(
        (cw01[0].milestone.as_str(), cw01[0].percent),
        ("started", 100.0)
    );
    assert_eq!(measure("CW-02").milestones, vec![all_work()]);
    assert!(f.updates.iter().all(|u| u.date <= d("2024-06-30")));
    // Each update says whether it is published or a model.
    for u in &f.updates {
        let published = u.evidence.contains("（published report）");
        let model = u.evidence.starts_with("model assumption: ");
        assert!(published != model, "{u:?}");
        assert_eq!(model, u.by == "model (Lantian example)", "{u:?}");
    }

    // The engine computes progress on it: CW-01 is 1 of 3 weighted parts done.
    let p = progress(&f.measures, &f.updates, d("2024-06-30"));
    let cw01 = p.measures.iter().find(|m| m.id == "CW-01").unwrap();
    assert!((cw01.done - 1.0 / 3.0).abs() < 1e-12);
    assert_eq!(p.measures.len(), 24);
}

// ---------------------------------------------------------------------------------------------
// The measures of a large plan, flat: measures.csv and milestones.csv beside plan.toml.

/// Measures given flat beside [`PLAN`]'s; the line numbers below are these texts'.
const MEASURES_CSV: &str = "id,campaign,title_zh,title_en,lead,partners,start,deadline,target,source
CL-01,气候,碳市场扩容,\"Carbon market, phase 2\",市生态环境局, 市发展改革委 ; 市统计局 ,2024-03-01,2024-11-30,,行动计划 第5条
EC-01,Ecology,口袋公园,Pocket parks,市园林绿化局,,2024-01-01,2024-12-31,Pollutant:pm2.5,行动计划
PL-01,pure_land,农田复核,Farmland review,市农业农村局,市规划自然资源委,2024-02-01,2024-10-31,indicator:village_sewage,行动计划
";

/// The milestones of [`MEASURES_CSV`]'s measures (EC-01 has none).
const MILESTONES_CSV: &str = "measure,milestone,name_zh,name_en,weight,due
CL-01,rules,规则印发,rules issued,0.5,2024-04-30
PL-01,survey,调查,survey,2,2024-06-30
CL-01,units,纳入单位,units enrolled,,
";

/// A plan folder's texts as [`PlanTexts`], the files named as in a folder.
fn texts<'a>(
    plan: &'a str,
    measures: Option<&'a str>,
    milestones: Option<&'a str>,
) -> PlanTexts<'a> {
    PlanTexts {
        measures: measures.map(|t| ("measures.csv", t)),
        milestones: milestones.map(|t| ("milestones.csv", t)),
        ..PlanTexts::new(("plan.toml", plan))
    }
}

/// The problems of a plan with measures files, as `file:line: field: message ("value")`.
fn csv_problems(plan: &str, measures: &str, milestones: Option<&str>) -> Vec<String> {
    match texts(plan, Some(measures), milestones).read() {
        Ok(_) => panic!("the plan was taken:\n{measures}\n{milestones:?}"),
        Err(PlanError::Refused(p)) => messages(&p),
        Err(e) => panic!("{e}"),
    }
}

/// `text` with line `line` (1-based) replaced by `with`.
fn with_line(text: &str, line: usize, with: &str) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    lines[line - 1] = with;
    lines.join("\n") + "\n"
}

/// [`PLAN`] without its measures: `[plan]` (lines 1 to 6) and the indicators (from line 8).
fn plan_without_measures() -> String {
    let (head, rest) = PLAN.split_once("[[measure]]").unwrap();
    format!("{head}{}", &rest[rest.find("[[indicator]]").unwrap()..])
}

#[test]
fn measures_in_csv_are_read_whole_after_the_plan_files() {
    let updates = "measure,milestone,date,percent,evidence,by\n\
                   CL-01,units,2024-06-30,40,台账,市生态环境局\n\
                   EC-01,,2024-06-30,50,台账,市园林绿化局\n";
    let files = PlanTexts {
        updates: Some(("updates.csv", updates)),
        ..texts(PLAN, Some(MEASURES_CSV), Some(MILESTONES_CSV))
    }
    .read()
    .unwrap_or_else(|e| panic!("{e}"));
    // plan.toml's measures first, then measures.csv's, each in its file's order.
    let (toml_measures, indicators) = good_plan();
    assert_eq!(files.measures[..2], toml_measures[..]);
    assert_eq!(files.indicators, indicators);
    assert_eq!(
        files.measures[2..],
        [
            Measure {
                id: "CL-01".into(),
                campaign: Campaign::Climate,
                title_zh: "碳市场扩容".into(),
                // A quoted cell keeps its comma.
                title_en: "Carbon market, phase 2".into(),
                lead: "市生态环境局".into(),
                // Separated by `;`, each trimmed.
                partners: vec!["市发展改革委".into(), "市统计局".into()],
                start: d("2024-03-01"),
                deadline: d("2024-11-30"),
                // In milestones.csv's order, other measures' rows between them.
                milestones: vec![
                    Milestone {
                        id: "rules".into(),
                        name_zh: "规则印发".into(),
                        name_en: "rules issued".into(),
                        weight: 0.5,
                        due: Some(d("2024-04-30")),
                    },
                    Milestone {
                        id: "units".into(),
                        name_zh: "纳入单位".into(),
                        name_en: "units enrolled".into(),
                        // Empty: 1, and no due date.
                        weight: 1.0,
                        due: None,
                    },
                ],
                target: None,
                source: "行动计划 第5条".into(),
            },
            Measure {
                id: "EC-01".into(),
                campaign: Campaign::Ecology,
                title_zh: "口袋公园".into(),
                title_en: "Pocket parks".into(),
                lead: "市园林绿化局".into(),
                partners: vec![],
                start: d("2024-01-01"),
                deadline: d("2024-12-31"),
                // No row in milestones.csv: the implicit milestone.
                milestones: vec![all_work()],
                // The pollutant's code as the store writes it.
                target: Some(Target::Pollutant("PM2.5".into())),
                source: "行动计划".into(),
            },
            Measure {
                id: "PL-01".into(),
                campaign: Campaign::PureLand,
                title_zh: "农田复核".into(),
                title_en: "Farmland review".into(),
                lead: "市农业农村局".into(),
                partners: vec!["市规划自然资源委".into()],
                start: d("2024-02-01"),
                deadline: d("2024-10-31"),
                milestones: vec![Milestone {
                    id: "survey".into(),
                    name_zh: "调查".into(),
                    name_en: "survey".into(),
                    weight: 2.0,
                    due: Some(d("2024-06-30")),
                }],
                target: Some(Target::Indicator("village_sewage".into())),
                source: "行动计划".into(),
            },
        ]
    );
    // The log is checked against the measures of both files.
    assert_eq!(
        files
            .updates
            .iter()
            .map(|u| (u.measure.as_str(), u.milestone.as_str(), u.percent))
            .collect::<Vec<_>>(),
        [("CL-01", "units", 40.0), ("EC-01", "all", 50.0)]
    );

    // plan.toml without measures: measures.csv's alone.
    let files = texts(&plan_without_measures(), Some(MEASURES_CSV), None)
        .read()
        .unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<&str> = files.measures.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["CL-01", "EC-01", "PL-01"]);
    // Without milestones.csv every measure has the implicit milestone.
    assert!(files.measures.iter().all(|m| m.milestones == [all_work()]));

    // The per-file reader gives what it takes beside the problems.
    let plan = read_plan_str("plan.toml", PLAN).unwrap();
    let read = read_measures_str(
        (
            "measures.csv",
            &with_line(
                MEASURES_CSV,
                3,
                "EC-01,sky,口袋公园,Pocket parks,市园林绿化局,,2024-01-01,2024-12-31,,行动计划",
            ),
        ),
        Some(("milestones.csv", MILESTONES_CSV)),
        ("plan.toml", &plan),
    );
    assert_eq!(read.rows, 6);
    let ids: Vec<&str> = read.items.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["CL-01", "PL-01"]);
    assert_eq!(read.problems.len(), 1);
    assert_eq!(
        (read.problems[0].line, read.problems[0].field.as_str()),
        (3, "campaign")
    );
}

#[test]
fn each_bad_measure_row_is_named_by_file_line_and_column() {
    let plan = plan_without_measures();
    let measure = |line: usize, with: &str| {
        csv_problems(
            &plan,
            &with_line(MEASURES_CSV, line, with),
            Some(MILESTONES_CSV),
        )
    };
    assert_eq!(
        measure(
            2,
            "CL-01,sky,碳市场扩容,Carbon market,市生态环境局,,2024-03-01,2024-11-30,,行动计划"
        ),
        [
            "measures.csv:2: campaign: not a campaign; the campaigns are blue_sky, clear_water, pure_land, climate, ecology (or their Chinese names: 蓝天, 碧水, 净土, 气候, 生态) (\"sky\")"
        ]
    );
    assert_eq!(
        measure(
            3,
            "EC-01,ecology,口袋公园,Pocket parks,市园林绿化局,,2024-01-01,2023-12-31,,行动计划"
        ),
        [
            "measures.csv:3: deadline: measure EC-01: the deadline 2023-12-31 is before the start 2024-01-01 (\"2023-12-31\")"
        ]
    );
    assert_eq!(
        measure(
            3,
            "EC-01,ecology,,Pocket parks,市园林绿化局,a;;b,2024-01-01,2024-12-32,PM10,行动计划"
        ),
        [
            "measures.csv:3: title_zh: missing: a measure has a title_zh (\"\")",
            "measures.csv:3: partners: an empty unit in the list (units are separated by ;) (\"a;;b\")",
            "measures.csv:3: deadline: not a date YYYY-MM-DD (\"2024-12-32\")",
            "measures.csv:3: target: a target is empty, pollutant:PM10 or indicator:nev_share (\"PM10\")",
        ]
    );
    assert_eq!(
        measure(
            3,
            "EC-01,ecology,口袋公园,Pocket parks,市园林绿化局,,2024-01-01,2024-12-31,pollutant:PM1,行动计划"
        ),
        [
            "measures.csv:3: target: not a pollutant of the store (SO2, NO2, CO, O3, PM10, PM2.5, NOx, TSP) (\"pollutant:PM1\")"
        ]
    );
    assert_eq!(
        measure(
            3,
            "EC-01,ecology,口袋公园,Pocket parks,市园林绿化局,,2024-01-01,2024-12-31,indicator:nev_share,行动计划"
        ),
        [
            "measures.csv:3: target: measure EC-01: the target names indicator \"nev_share\", which the plan's [[indicator]]s do not have (\"indicator:nev_share\")"
        ]
    );
    assert_eq!(
        measure(3, "EC-01,ecology,口袋公园,Pocket parks"),
        [
            "measures.csv:3: row: 4 fields where the header has 10; the row is not read (\"EC-01,ecology,口袋公园,Pocket parks\")"
        ]
    );
    // An id given twice: in measures.csv, or in plan.toml and measures.csv (both places named).
    assert_eq!(
        measure(
            3,
            "CL-01,ecology,口袋公园,Pocket parks,市园林绿化局,,2024-01-01,2024-12-31,,行动计划"
        ),
        ["measures.csv:3: id: measure CL-01 is given twice (first on line 2) (\"CL-01\")"]
    );
    assert_eq!(
        csv_problems(
            PLAN,
            &with_line(
                MEASURES_CSV,
                3,
                "BS-01,ecology,口袋公园,Pocket parks,市园林绿化局,,2024-01-01,2024-12-31,,行动计划"
            ),
            Some(MILESTONES_CSV)
        ),
        [
            "measures.csv:3: id: measure BS-01 is given twice (first in plan.toml on line 9) (\"BS-01\")"
        ]
    );
    // Another header refuses the file.
    assert_eq!(
        measure(1, "id,campaign,title,lead,start,deadline"),
        [
            "measures.csv:1: header: a measures file has the columns id,campaign,title_zh,title_en,lead,partners,start,deadline,target,source (\"id,campaign,title,lead,start,deadline\")"
        ]
    );
}

#[test]
fn each_bad_milestone_row_is_named_by_file_line_and_column() {
    let plan = plan_without_measures();
    let milestone = |line: usize, with: &str| {
        csv_problems(
            &plan,
            MEASURES_CSV,
            Some(&with_line(MILESTONES_CSV, line, with)),
        )
    };
    assert_eq!(
        milestone(4, "CL-09,units,纳入单位,units enrolled,,"),
        [
            "milestones.csv:4: measure: a milestone names measure \"CL-09\", which measures.csv does not have (\"CL-09\")"
        ]
    );
    // A weight that is no number, and one the engine refuses (at the milestone's line).
    assert_eq!(
        milestone(2, "CL-01,rules,规则印发,rules issued,x,2024-04-30"),
        ["milestones.csv:2: weight: not a number (the milestone's weight; empty for 1) (\"x\")"]
    );
    assert_eq!(
        milestone(4, "CL-01,units,纳入单位,units enrolled,-1,"),
        [
            "milestones.csv:4: weight: measure CL-01, milestone units: the weight -1 is not a positive number (\"-1\")"
        ]
    );
    assert_eq!(
        milestone(3, "PL-01,survey,调查,survey,2,2024-11-30"),
        [
            "milestones.csv:3: due: measure PL-01, milestone survey: due 2024-11-30, outside the measure's 2024-02-01 to 2024-10-31 (\"2024-11-30\")"
        ]
    );
    assert_eq!(
        milestone(4, "CL-01,rules,纳入单位,units enrolled,,"),
        ["milestones.csv:4: milestone: measure CL-01: milestone rules is given twice (\"rules\")"]
    );
    assert_eq!(
        milestone(3, "PL-01,,调查,,2,2024-06"),
        [
            "milestones.csv:3: milestone: missing: a milestone has an id (\"\")",
            "milestones.csv:3: name_en: missing: a milestone has a name_en (\"\")",
            "milestones.csv:3: due: not a date YYYY-MM-DD (or empty: no due date) (\"2024-06\")",
        ]
    );
    // The milestones of a measure of plan.toml are its [[measure.milestone]]s.
    assert_eq!(
        csv_problems(
            PLAN,
            MEASURES_CSV,
            Some(&with_line(MILESTONES_CSV, 3, "BS-01,survey,调查,survey,2,"))
        ),
        [
            "milestones.csv:3: measure: measure BS-01 is in plan.toml (line 9): its milestones are its [[measure.milestone]]s there (\"BS-01\")"
        ]
    );
    // Another header refuses the file, and no measure is taken.
    let plan_toml = read_plan_str("plan.toml", &plan).unwrap();
    let read = read_measures_str(
        ("measures.csv", MEASURES_CSV),
        Some(("milestones.csv", "measure,id,name,weight\n")),
        ("plan.toml", &plan_toml),
    );
    assert!(read.items.is_empty());
    assert_eq!(
        messages(&read.problems),
        [
            "milestones.csv:1: header: a milestones file has the columns measure,milestone,name_zh,name_en,weight,due (\"measure,id,name,weight\")"
        ]
    );
    // milestones.csv without measures.csv.
    assert_eq!(
        match texts(&plan, None, Some(MILESTONES_CSV)).read() {
            Err(PlanError::Refused(p)) => messages(&p),
            x => panic!("{x:?}"),
        },
        [
            "milestones.csv:1: measure: milestones of the measures of measures.csv, and the plan has no measures.csv (\"\")"
        ]
    );
}

#[test]
fn every_problem_of_the_measures_files_is_reported_at_once_in_file_and_line_order() {
    let measures = with_line(
        &with_line(
            MEASURES_CSV,
            2,
            "BS-01,蓝天,碳市场扩容,Carbon market,市生态环境局,,2024-03-01,2024-11-30,,行动计划",
        ),
        4,
        "PL-01,pure_land,农田复核,Farmland review,市农业农村局,,2024-02-01,2024-01-31,,行动计划",
    );
    let milestones = with_line(
        MILESTONES_CSV,
        2,
        "CL-01,rules,规则印发,rules issued,0,2024-04-30",
    ) + "EC-01,parks,公园,parks,1,2025-01-01\n";
    assert_eq!(
        csv_problems(PLAN, &measures, Some(&milestones)),
        [
            "measures.csv:2: id: measure BS-01 is given twice (first in plan.toml on line 9) (\"BS-01\")",
            "measures.csv:4: deadline: measure PL-01: the deadline 2024-01-31 is before the start 2024-02-01 (\"2024-01-31\")",
            "milestones.csv:2: measure: a milestone names measure \"CL-01\", which measures.csv does not have (\"CL-01\")",
            "milestones.csv:4: measure: a milestone names measure \"CL-01\", which measures.csv does not have (\"CL-01\")",
            "milestones.csv:5: due: measure EC-01, milestone parks: due 2025-01-01, outside the measure's 2024-01-01 to 2024-12-31 (\"2025-01-01\")",
        ]
    );
    // The plan file's problems come alone: the measures files are read against it.
    assert_eq!(
        csv_problems(&edit(5, "year = 24.5"), &measures, Some(&milestones)),
        ["plan.toml:5: year: a whole number is expected, not a float (\"24.5\")"]
    );
}

#[test]
fn a_plan_reads_the_same_in_both_layouts() {
    let updates = "measure,milestone,date,percent,evidence,by\n\
                   BS-01,plan,2024-05-20,100,方案印发,市生态环境局\n\
                   BS-01,works,2024-06-30,40.5,台账,市生态环境局\n\
                   CW-01,,2024-06-30,100,通报,市水务局\n";
    let values = "indicator,date,value,source,by,evidence\n\
                  village_sewage,2024-06-30,50,entered,市水务局,通报\n";
    // PLAN's two measures, flat.
    let measures = "id,campaign,title_zh,title_en,lead,partners,start,deadline,target,source\n\
                    BS-01,蓝天,夏季VOCs治理,Summer VOCs,市生态环境局,市经济和信息化局;市交通委,2024-05-01,2024-09-30,pollutant:o3,行动计划\n\
                    CW-01,clear_water,村庄污水,Village sewage,市水务局,,2024-01-01,2024-12-31,indicator:village_sewage,行动计划\n";
    let milestones = "measure,milestone,name_zh,name_en,weight,due\n\
                      BS-01,plan,方案印发,plan issued,,2024-05-31\n\
                      BS-01,works,治理,works,3,\n";
    let toml_dir = scratch("layout-toml");
    let csv_dir = scratch("layout-csv");
    for (name, text) in [
        ("plan.toml", PLAN),
        ("updates.csv", updates),
        ("indicator_values.csv", values),
    ] {
        std::fs::write(toml_dir.join(name), text).unwrap();
    }
    for (name, text) in [
        ("plan.toml", plan_without_measures().as_str()),
        ("measures.csv", measures),
        ("milestones.csv", milestones),
        ("updates.csv", updates),
        ("indicator_values.csv", values),
    ] {
        std::fs::write(csv_dir.join(name), text).unwrap();
    }
    let a = read_plan_dir(&toml_dir).unwrap_or_else(|e| panic!("{e}"));
    let b = read_plan_dir(&csv_dir).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a, b);
    assert_eq!(
        (b.measures.len(), b.updates.len(), b.values.len()),
        (2, 3, 1)
    );

    // A problem in a folder's measures file names it by its path.
    std::fs::write(
        csv_dir.join("milestones.csv"),
        with_line(milestones, 3, "BS-01,works,治理,works,0,"),
    )
    .unwrap();
    let e = read_plan_dir(&csv_dir).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "1 problem in the plan's files; the plan is not taken:\n  {}:3: weight: measure BS-01, milestone works: the weight 0 is not a positive number (\"0\")",
            csv_dir.join("milestones.csv").display()
        )
    );
    std::fs::remove_dir_all(&toml_dir).unwrap();
    std::fs::remove_dir_all(&csv_dir).unwrap();
}
