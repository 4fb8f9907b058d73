//! The plan file, `plan.toml`: what the plan is, its measures with their milestones, and the
//! registry of indicators it is judged by. A large plan may give its measures flat instead, in
//! `measures.csv` and `milestones.csv` ([`super::measures`]); this file then holds `[plan]` and
//! the indicators.
//!
//! ```toml
//! [plan]
//! name_zh = "2024年行动计划"
//! name_en = "Action plan 2024"
//! region = "北京市"
//! year = 2024
//! source = "市政府办公厅印发"
//!
//! [[measure]]
//! id = "BS-01"
//! campaign = "blue_sky"            # or 蓝天 / 蓝天保卫战 / "Blue sky (air)"
//! title_zh = "夏季VOCs治理攻坚"
//! title_en = "Summer VOCs campaign"
//! lead = "市生态环境局"
//! partners = ["市经济和信息化局"]   # optional, [] when none
//! start = 2024-05-01               # TOML dates, written bare
//! deadline = 2024-09-30
//! target = { pollutant = "O3" }    # optional: or { indicator = "nev_share" }
//! source = "行动计划 第3条"
//!
//! [[measure.milestone]]            # optional: see below
//! id = "plan"
//! name_zh = "方案印发"
//! name_en = "plan issued"
//! weight = 1.0                     # optional, 1 when left out
//! due = 2024-05-31                 # optional
//!
//! [[indicator]]
//! id = "nev_share"
//! campaign = "climate"
//! name_zh = "新增车辆中新能源车比率"
//! name_en = "NEV share of new vehicles"
//! unit = "%"
//! direction = "up"                 # "up": more is better; "down": less is better
//! baseline = { value = 30.0, date = 2023-12-31 }   # optional
//! target = { value = 40.0, date = 2024-12-31 }     # optional
//! source = "市生态环境局"
//! computed = "air.pm25_cumulative" # optional: the engine figure Lantian computes it as
//! ```
//!
//! **A measure without milestones** in the file is given one, [`ALL_WORK`] (`all`, 全部工作,
//! "all work", weight 1, no due date): a measure's work is its milestones, and a measure the
//! plan does not break down is one piece of work, reported on as a whole. Its updates may leave
//! the milestone empty.
//!
//! Every field is checked where it is written, and every problem of the file is reported, each
//! naming the file, the line and the field: TOML that does not parse (at the line the parser
//! stopped, the field of that line), a field missing (at the table's header) or of the wrong
//! type, a key that is no field (a misspelling is never ignored), an unknown campaign,
//! pollutant, direction or target indicator, an id given twice, and what the engine's
//! [`check_measure`] refuses (a deadline before the start, a weight that is not positive, a due
//! date outside the measure's time). A plan with any problem is not taken: its progress would be
//! computed over fewer measures than the plan has.

use super::doc::{self, Doc, Entry, Read, Reported};
use crate::eu_ets::Problem;
use lantian_campaigns::Campaign;
use lantian_campaigns::indicator::{Direction, Indicator, IndicatorError, Mark};
use lantian_campaigns::measure::{Measure, MeasureError, Milestone, Target, check_measure};
use lantian_model::Pollutant;
use std::collections::HashMap;

/// The id of the milestone a measure without milestones in the file is given.
pub const ALL_WORK: &str = "all";

/// The one milestone of a measure the plan does not break down: all of its work, weight 1.
pub fn all_work() -> Milestone {
    Milestone {
        id: ALL_WORK.into(),
        name_zh: "全部工作".into(),
        name_en: "all work".into(),
        weight: 1.0,
        due: None,
    }
}

/// The `[plan]` table: what the plan is.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanMeta {
    pub name_zh: String,
    pub name_en: String,
    /// The region it covers (北京市).
    pub region: String,
    pub year: i32,
    /// The document that issues it.
    pub source: String,
}

/// A plan file, read and checked.
#[derive(Debug, Clone)]
pub struct Plan {
    pub meta: PlanMeta,
    /// In the file's order.
    pub measures: Vec<Measure>,
    /// The line of each measure's `id`, in the order of `measures` (an id given again in
    /// `measures.csv` is refused naming it).
    pub measure_lines: Vec<u64>,
    /// In the file's order.
    pub indicators: Vec<Indicator>,
}

/// Two plans are equal when they say the same: the lines their measures are written on are
/// not compared (a plan in another spelling is the same plan).
impl PartialEq for Plan {
    fn eq(&self, other: &Plan) -> bool {
        self.meta == other.meta
            && self.measures == other.measures
            && self.indicators == other.indicators
    }
}

const DOC_FIELDS: &[&str] = &["plan", "measure", "indicator"];
const PLAN_FIELDS: &[&str] = &["name_zh", "name_en", "region", "year", "source"];
const MEASURE_FIELDS: &[&str] = &[
    "id",
    "campaign",
    "title_zh",
    "title_en",
    "lead",
    "partners",
    "start",
    "deadline",
    "target",
    "source",
    "milestone",
];
const MILESTONE_FIELDS: &[&str] = &["id", "name_zh", "name_en", "weight", "due"];
const TARGET_FIELDS: &[&str] = &["pollutant", "indicator"];
const INDICATOR_FIELDS: &[&str] = &[
    "id",
    "campaign",
    "name_zh",
    "name_en",
    "unit",
    "direction",
    "baseline",
    "target",
    "source",
    "computed",
];
const MARK_FIELDS: &[&str] = &["value", "date"];

/// Read a plan file's text; `file` names it in problems. Every problem is returned, in the
/// order of the file.
///
/// ```
/// use lantian_ingest::campaigns::plan::read_plan_str;
/// let text = "[plan]\nname_zh = \"计划\"\nname_en = \"plan\"\nregion = \"北京市\"\nyear = 2024\n\
///             source = \"doc\"\n\n[[measure]]\nid = \"M1\"\ncampaign = \"蓝天\"\n\
///             title_zh = \"道路扬尘\"\ntitle_en = \"road dust\"\nlead = \"市城市管理委\"\n\
///             start = 2024-01-01\ndeadline = 2023-12-31\nsource = \"doc\"\n";
/// let problems = read_plan_str("plan.toml", text).unwrap_err();
/// assert_eq!(
///     problems[0].to_string(),
///     "plan.toml:15: deadline: measure M1: the deadline 2023-12-31 is before the start \
///      2024-01-01 (\"2023-12-31\")"
/// );
/// ```
pub fn read_plan_str(file: &str, text: &str) -> Result<Plan, Vec<Problem>> {
    let text = text.trim_start_matches('\u{feff}');
    let mut doc = Doc::new(file, text);
    let Ok(parsed) = doc::parse(&mut doc) else {
        return Err(doc.problems);
    };
    let root = Entry::root(parsed.as_table(), DOC_FIELDS);
    let meta = match root.table(&mut doc, "plan", "the [plan] table", PLAN_FIELDS) {
        Ok(Some(t)) => read_meta(&mut doc, &t),
        Ok(None) => doc.refuse(
            1,
            "plan",
            "",
            "missing: a plan file has a [plan] table (name_zh, name_en, region, year, source)",
        ),
        Err(r) => Err(r),
    };
    let measure_tables = root.tables(&mut doc, "measure", "a measure", MEASURE_FIELDS);
    let indicator_tables = root.tables(&mut doc, "indicator", "an indicator", INDICATOR_FIELDS);
    root.finish(&mut doc);

    // Indicators first: a measure's target may name one given later in the file.
    let mut indicators = Vec::new();
    // Every id given, of the indicators taken or not: a target naming an indicator that has
    // problems of its own is not reported a second time.
    let mut indicator_ids: HashMap<String, u64> = HashMap::new();
    for t in indicator_tables.ok().flatten().unwrap_or_default() {
        if let Some(id) = t.peek("id").filter(|id| !id.is_empty()) {
            let line = t.line_of(&doc, "id");
            if let Some(first) = indicator_ids.get(id) {
                let e = IndicatorError::Duplicate {
                    indicator: id.into(),
                };
                doc.problem(line, "id", id, format!("{e} (first on line {first})"));
                continue;
            }
            indicator_ids.insert(id.into(), line);
        }
        if let Ok(i) = read_indicator(&mut doc, &t) {
            indicators.push(i);
        }
    }

    let mut measures = Vec::new();
    let mut measure_lines = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for t in measure_tables.ok().flatten().unwrap_or_default() {
        let line = t.line_of(&doc, "id");
        if let Some(id) = t.peek("id").filter(|id| !id.is_empty()) {
            if let Some(first) = seen.get(id) {
                let e = MeasureError::DuplicateMeasure { measure: id.into() };
                doc.problem(line, "id", id, format!("{e} (first on line {first})"));
                continue;
            }
            seen.insert(id.into(), line);
        }
        let Ok((m, target_line)) = read_measure(&mut doc, &t) else {
            continue;
        };
        if let Some(Target::Indicator(id)) = &m.target
            && !indicator_ids.contains_key(id)
        {
            doc.problem(
                target_line,
                "target.indicator",
                id,
                format!(
                    "measure {}: the target names indicator {id:?}, which the plan's \
                     [[indicator]]s do not have",
                    m.id
                ),
            );
            continue;
        }
        measures.push(m);
        measure_lines.push(line);
    }

    match meta {
        Ok(meta) if doc.problems.is_empty() => Ok(Plan {
            meta,
            measures,
            measure_lines,
            indicators,
        }),
        _ => {
            let mut problems = doc.problems;
            problems.sort_by_key(|p| p.line);
            Err(problems)
        }
    }
}

fn read_meta(doc: &mut Doc, t: &Entry) -> Read<PlanMeta> {
    let name_zh = t.string(doc, "name_zh");
    let name_en = t.string(doc, "name_en");
    let region = t.string(doc, "region");
    let year = t.integer(doc, "year").and_then(|y| match i32::try_from(y) {
        Ok(y) if (1900..=2200).contains(&y) => Ok(y),
        _ => {
            let line = t.line_of(doc, "year");
            doc.refuse(line, "year", &y.to_string(), "not a plan's year")
        }
    });
    let source = t.string(doc, "source");
    t.finish(doc);
    Ok(PlanMeta {
        name_zh: name_zh?,
        name_en: name_en?,
        region: region?,
        year: year?,
        source: source?,
    })
}

/// A campaign code or name.
fn campaign(doc: &mut Doc, t: &Entry, key: &str) -> Read<Campaign> {
    let s = t.string(doc, key)?;
    Campaign::parse(&s).ok_or(Reported).or_else(|_| {
        let line = t.line_of(doc, key);
        doc.refuse(line, &t.name(key), &s, not_a_campaign())
    })
}

/// Why a text is not a campaign.
pub(super) fn not_a_campaign() -> String {
    format!(
        "not a campaign; the campaigns are {} (or their Chinese names: 蓝天, 碧水, 净土, 气候, \
         生态)",
        Campaign::ALL.map(Campaign::code).join(", ")
    )
}

/// A measure, with the line of its target.
fn read_measure(doc: &mut Doc, t: &Entry) -> Read<(Measure, u64)> {
    let id = t.string(doc, "id");
    let campaign = campaign(doc, t, "campaign");
    let title_zh = t.string(doc, "title_zh");
    let title_en = t.string(doc, "title_en");
    let lead = t.string(doc, "lead");
    let partners = t.strings(doc, "partners");
    let start = t.date(doc, "start");
    let deadline = t.date(doc, "deadline");
    let target = read_target(doc, t);
    let source = t.string(doc, "source");
    let milestones = read_milestones(doc, t);
    t.finish(doc);
    let (milestones, milestone_lines) = milestones?;
    let (target, target_line) = match target? {
        Some((x, line)) => (Some(x), line),
        None => (None, t.line),
    };
    let m = Measure {
        id: id?,
        campaign: campaign?,
        title_zh: title_zh?,
        title_en: title_en?,
        lead: lead?,
        partners: partners?.unwrap_or_default(),
        start: start?,
        deadline: deadline?,
        milestones,
        target,
        source: source?,
    };
    if let Err(e) = check_measure(&m) {
        let (line, field, value) = match &e {
            MeasureError::DeadlineBeforeStart { deadline, .. } => (
                t.line_of(doc, "deadline"),
                "deadline".to_string(),
                deadline.to_string(),
            ),
            MeasureError::Weight {
                milestone, weight, ..
            } => (
                milestone_lines.line(milestone, "weight", false),
                "milestone.weight".into(),
                weight.to_string(),
            ),
            MeasureError::DuplicateMilestone { milestone, .. } => (
                milestone_lines.line(milestone, "id", true),
                "milestone.id".into(),
                milestone.clone(),
            ),
            MeasureError::DueOutside { milestone, due, .. } => (
                milestone_lines.line(milestone, "due", false),
                "milestone.due".into(),
                due.to_string(),
            ),
            _ => (
                t.line_of(doc, "milestone"),
                "milestone".into(),
                String::new(),
            ),
        };
        return doc.refuse(line, &field, &value, e.to_string());
    }
    Ok((m, target_line))
}

/// Where each milestone's fields are, to place the engine's objections.
struct MilestoneLines {
    /// (id, line of id, line of weight, line of due), in the file's order.
    rows: Vec<(String, u64, u64, u64)>,
    /// The measure's line, for the implicit milestone.
    measure: u64,
}

impl MilestoneLines {
    /// The line of `field` of the milestone `id` (its last occurrence when `last`).
    fn line(&self, id: &str, field: &str, last: bool) -> u64 {
        let mut found = self.rows.iter().filter(|r| r.0 == id);
        let row = if last {
            found.next_back()
        } else {
            found.next()
        };
        row.map_or(self.measure, |r| match field {
            "weight" => r.2,
            "due" => r.3,
            _ => r.1,
        })
    }
}

fn read_milestones(doc: &mut Doc, t: &Entry) -> Read<(Vec<Milestone>, MilestoneLines)> {
    let mut lines = MilestoneLines {
        rows: Vec::new(),
        measure: t.line,
    };
    let Some(tables) = t.tables(doc, "milestone", "a milestone", MILESTONE_FIELDS)? else {
        return Ok((vec![all_work()], lines));
    };
    let mut out = Vec::with_capacity(tables.len());
    let mut bad = false;
    for m in &tables {
        let id = m.string(doc, "id");
        let name_zh = m.string(doc, "name_zh");
        let name_en = m.string(doc, "name_en");
        let weight = m.opt_number(doc, "weight");
        let due = m.opt_date(doc, "due");
        m.finish(doc);
        match (id, name_zh, name_en, weight, due) {
            (Ok(id), Ok(name_zh), Ok(name_en), Ok(weight), Ok(due)) => {
                lines.rows.push((
                    id.clone(),
                    m.line_of(doc, "id"),
                    m.line_of(doc, "weight"),
                    m.line_of(doc, "due"),
                ));
                out.push(Milestone {
                    id,
                    name_zh,
                    name_en,
                    weight: weight.unwrap_or(1.0),
                    due,
                });
            }
            _ => bad = true,
        }
    }
    if bad { Err(Reported) } else { Ok((out, lines)) }
}

/// A measure's target, with the line of its `indicator` key (checked once the registry is
/// read).
fn read_target(doc: &mut Doc, t: &Entry) -> Read<Option<(Target, u64)>> {
    let Some(target) = t.table(doc, "target", "a target", TARGET_FIELDS)? else {
        return Ok(None);
    };
    let pollutant = target.opt_string(doc, "pollutant");
    let indicator = target.opt_string(doc, "indicator");
    target.finish(doc);
    match (pollutant?, indicator?) {
        (Some(p), None) => match p.parse::<Pollutant>() {
            Ok(x) => Ok(Some((
                Target::Pollutant(x.code().to_string()),
                target.line_of(doc, "pollutant"),
            ))),
            Err(_) => {
                let line = target.line_of(doc, "pollutant");
                doc.refuse(
                    line,
                    "target.pollutant",
                    &p,
                    "not a pollutant of the store (SO2, NO2, CO, O3, PM10, PM2.5, NOx, TSP)",
                )
            }
        },
        (None, Some(i)) => Ok(Some((
            Target::Indicator(i),
            target.line_of(doc, "indicator"),
        ))),
        (Some(p), Some(i)) => doc.refuse(
            target.line,
            "target",
            &format!("{p}, {i}"),
            "a target is one pollutant or one indicator, not both",
        ),
        (None, None) => doc.refuse(
            target.line,
            "target",
            "",
            "a target names a pollutant ({ pollutant = \"PM10\" }) or an indicator \
             ({ indicator = \"nev_share\" })",
        ),
    }
}

fn read_mark(doc: &mut Doc, t: &Entry, key: &str) -> Read<Option<(Mark, u64)>> {
    let Some(m) = t.table(doc, key, "a dated value", MARK_FIELDS)? else {
        return Ok(None);
    };
    let value = m.number(doc, "value");
    let date = m.date(doc, "date");
    m.finish(doc);
    let mark = Mark {
        value: value?,
        date: date?,
    };
    Ok(Some((mark, m.line_of(doc, "value"))))
}

fn read_indicator(doc: &mut Doc, t: &Entry) -> Read<Indicator> {
    let id = t.string(doc, "id");
    let campaign = campaign(doc, t, "campaign");
    let name_zh = t.string(doc, "name_zh");
    let name_en = t.string(doc, "name_en");
    let unit = t.string(doc, "unit");
    let direction =
        t.string(doc, "direction")
            .and_then(|d| match d.to_ascii_lowercase().as_str() {
                "up" => Ok(Direction::Up),
                "down" => Ok(Direction::Down),
                _ => {
                    let line = t.line_of(doc, "direction");
                    doc.refuse(
                        line,
                        "direction",
                        &d,
                        "a direction is \"up\" (more is better) or \"down\" (less is better)",
                    )
                }
            });
    let baseline = read_mark(doc, t, "baseline");
    let target = read_mark(doc, t, "target");
    let source = t.string(doc, "source");
    let computed = t.opt_string(doc, "computed");
    t.finish(doc);
    let baseline = baseline?.map(|(b, _)| b);
    let (target, target_line) = match target? {
        Some((x, line)) => (Some(x), line),
        None => (None, t.line),
    };
    let i = Indicator {
        id: id?,
        campaign: campaign?,
        name_zh: name_zh?,
        name_en: name_en?,
        unit: unit?,
        direction: direction?,
        baseline,
        target,
        source: source?,
        computed: computed?,
    };
    if let (Some(b), Some(x)) = (i.baseline, i.target)
        && b.value == x.value
    {
        let e = IndicatorError::TargetIsBaseline {
            indicator: i.id.clone(),
            target: x.value,
        };
        return doc.refuse(
            target_line,
            "target.value",
            &x.value.to_string(),
            e.to_string(),
        );
    }
    Ok(i)
}
