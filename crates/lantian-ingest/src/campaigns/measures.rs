//! The measures of a large plan as two flat tables, read beside `plan.toml`: `measures.csv`,
//! one measure a row, and `milestones.csv`, one milestone a row. A city's list of measures is
//! often kept as a spreadsheet, and a plan of thousands of measures reads in milliseconds from
//! CSV where the TOML parser takes a large share of a second and much memory.
//!
//! `measures.csv`: `id,campaign,title_zh,title_en,lead,partners,start,deadline,target,source`
//!
//! - `campaign`: a campaign's code or name, as in `plan.toml` (`blue_sky`, 蓝天 …);
//! - `partners`: the partner units separated by `;`, empty when none;
//! - `start`, `deadline`: `YYYY-MM-DD`;
//! - `target`: empty, `pollutant:PM10` or `indicator:nev_share` (an indicator of `plan.toml`'s
//!   registry);
//! - every other field is a required text.
//!
//! `milestones.csv`: `measure,milestone,name_zh,name_en,weight,due`
//!
//! - `measure`: a measure's id in `measures.csv`; its milestones are its rows, in the file's
//!   order (a measure of `plan.toml` keeps its `[[measure.milestone]]`s there);
//! - `weight`: a number, 1 when empty;
//! - `due`: `YYYY-MM-DD`, or empty for none.
//!
//! A measure without a row in `milestones.csv` has the one implicit milestone,
//! [`super::plan::ALL_WORK`], as a measure of `plan.toml` without milestones has.
//!
//! The measures are checked as those of `plan.toml` are: each field where it is written, an id
//! given twice (in either file, or in both: the problem names both places), a target indicator
//! the registry does not have, and what the engine's [`check_measure`] refuses, placed on the
//! measure's row (a deadline before the start) or on the milestone's (a weight that is not
//! positive, a milestone given twice, a due date outside the measure's time). Every problem
//! names the file, the line (the header is line 1) and the column.
//!
//! ```
//! use lantian_ingest::campaigns::{measures::read_measures_str, plan::read_plan_str};
//! let plan = read_plan_str(
//!     "plan.toml",
//!     "[plan]\nname_zh = \"计划\"\nname_en = \"plan\"\nregion = \"北京市\"\nyear = 2024\n\
//!      source = \"doc\"\n",
//! )
//! .unwrap();
//! let measures = "id,campaign,title_zh,title_en,lead,partners,start,deadline,target,source\n\
//!                 BS-01,蓝天,道路扬尘,road dust,市城市管理委,市交通委;市公安局,2024-01-01,\
//!                 2024-12-31,pollutant:PM10,doc\n\
//!                 CW-01,clear_water,村庄污水,village sewage,市水务局,,2024-03-01,2024-02-01,,doc\n";
//! let milestones = "measure,milestone,name_zh,name_en,weight,due\n\
//!                   BS-01,plan,方案,plan issued,,2024-02-28\n\
//!                   BS-01,works,治理,works,3,\n";
//! let read = read_measures_str(
//!     ("measures.csv", measures),
//!     Some(("milestones.csv", milestones)),
//!     ("plan.toml", &plan),
//! );
//! assert_eq!(read.items.len(), 1);
//! assert_eq!(read.items[0].partners, ["市交通委", "市公安局"]);
//! assert_eq!(read.items[0].milestones[1].weight, 3.0);
//! assert_eq!(
//!     read.problems[0].to_string(),
//!     "measures.csv:3: deadline: measure CW-01: the deadline 2024-02-01 is before the start \
//!      2024-03-01 (\"2024-02-01\")"
//! );
//! ```

use super::Records;
use super::date;
use super::plan::{Plan, all_work, not_a_campaign};
use crate::eu_ets::Problem;
use lantian_campaigns::Campaign;
use lantian_campaigns::measure::{Measure, MeasureError, Milestone, Target, check_measure};
use lantian_model::Pollutant;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// The columns of a measures file.
pub const MEASURE_COLUMNS: [&str; 10] = [
    "id", "campaign", "title_zh", "title_en", "lead", "partners", "start", "deadline", "target",
    "source",
];

/// The columns of a milestones file.
pub const MILESTONE_COLUMNS: [&str; 6] = [
    "measure",
    "milestone",
    "name_zh",
    "name_en",
    "weight",
    "due",
];

/// A row of the measures file: the measure, or the id of one with problems (so that its
/// milestones are not called a measure's the file does not have).
enum Row {
    Taken(Measure),
    Refused(String),
}

impl Row {
    fn id(&self) -> &str {
        match self {
            Row::Taken(m) => &m.id,
            Row::Refused(id) => id,
        }
    }
}

/// Read the measures of a plan from `measures` and, when given, `milestones`, each
/// `(file name, text)`, beside `plan`, `(file name, the plan file read)`: its measures are the
/// ones an id may not repeat, its indicators the ones a target may name.
///
/// The items are the measures with no problem, in the file's order; the problems are those of
/// the measures file in line order, then those of the milestones file. A header that is not
/// [`MEASURE_COLUMNS`] or [`MILESTONE_COLUMNS`] refuses its file, and then no measure is taken.
/// `rows` counts the data lines of both files.
pub fn read_measures_str(
    measures: (&str, &str),
    milestones: Option<(&str, &str)>,
    plan: (&str, &Plan),
) -> Records<Measure> {
    let (file, text) = measures;
    let mut out = Records::default();
    let mut rdr = crate::soil::long::reader(text);
    let mut line_of = crate::soil::long::line_of(text);
    if let Err(p) = super::header_is(file, &mut rdr, &MEASURE_COLUMNS, "a measures file") {
        out.problems.push(p);
        return out;
    }
    let registry: Vec<&str> = plan.1.indicators.iter().map(|i| i.id.as_str()).collect();
    let mut rows: Vec<Row> = Vec::new();
    let mut lines: Vec<u64> = Vec::new();
    let mut problems = Vec::new();
    let mut rec = csv::StringRecord::new();
    while let Some(next) = super::next_record(
        file,
        &mut rdr,
        &mut rec,
        MEASURE_COLUMNS.len(),
        &mut line_of,
    ) {
        out.rows += 1;
        match next {
            Ok(line) => {
                rows.push(read_measure(file, line, &rec, &registry, &mut problems));
                lines.push(line);
            }
            Err(p) => problems.push(p),
        }
    }

    // Ids given twice: in this file (the first is the measure), or in the plan file too.
    let toml: HashMap<&str, u64> = plan
        .1
        .measures
        .iter()
        .zip(&plan.1.measure_lines)
        .map(|(m, &line)| (m.id.as_str(), line))
        .collect();
    let mut taken = vec![true; rows.len()];
    let mut index: HashMap<&str, usize> = HashMap::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let id = row.id();
        if id.is_empty() {
            continue;
        }
        let first = match index.entry(id) {
            Entry::Occupied(first) => Some(format!("first on line {}", lines[*first.get()])),
            Entry::Vacant(v) => {
                v.insert(i);
                toml.get(id)
                    .map(|line| format!("first in {} on line {line}", plan.0))
            }
        };
        if let Some(first) = first {
            let e = MeasureError::DuplicateMeasure { measure: id.into() };
            problems.push(Problem::new(
                file,
                lines[i],
                "id",
                id,
                format!("{e} ({first})"),
            ));
            taken[i] = false;
        }
    }

    // The milestones, each with the index of its measure's row and its line.
    let mut found: Vec<(usize, Milestone, u64)> = Vec::new();
    let mut milestone_problems = Vec::new();
    if let Some((mfile, mtext)) = milestones {
        let mut rdr = crate::soil::long::reader(mtext);
        let mut mline_of = crate::soil::long::line_of(mtext);
        match super::header_is(mfile, &mut rdr, &MILESTONE_COLUMNS, "a milestones file") {
            Ok(()) => {
                let mut read = Milestones {
                    file: mfile,
                    measures: file,
                    plan: (plan.0, &toml),
                    index: &index,
                    taken: &mut taken,
                    found: &mut found,
                    problems: &mut milestone_problems,
                };
                while let Some(next) = super::next_record(
                    mfile,
                    &mut rdr,
                    &mut rec,
                    MILESTONE_COLUMNS.len(),
                    &mut mline_of,
                ) {
                    out.rows += 1;
                    match next {
                        Ok(line) => read.row(line, &rec),
                        Err(p) => read.problems.push(p),
                    }
                }
            }
            Err(p) => {
                milestone_problems.push(p);
                taken.fill(false);
            }
        }
    }
    drop(index);

    // Each measure with its milestones, checked by the engine.
    let mut lines_of: Vec<(usize, u64)> = Vec::with_capacity(found.len());
    for (i, m, line) in found {
        if let Row::Taken(x) = &mut rows[i] {
            x.milestones.push(m);
            lines_of.push((i, line));
        }
    }
    // By measure, each one's in the file's order (already so when the file lists a measure's
    // milestones together, in the measures' order).
    lines_of.sort_by_key(|&(i, _)| i);
    out.items.reserve(rows.len());
    for (i, row) in rows.into_iter().enumerate() {
        let Row::Taken(mut m) = row else { continue };
        if !taken[i] {
            continue;
        }
        if m.milestones.is_empty() {
            m.milestones.push(all_work());
        }
        let Err(e) = check_measure(&m) else {
            out.items.push(m);
            continue;
        };
        // The line of the milestone `id` of this measure in the milestones file (of its
        // last row when `last`).
        let milestone_line = |id: &str, last: bool| {
            let mut at = m.milestones.iter().enumerate().filter(|(_, x)| x.id == id);
            let k = if last { at.next_back() } else { at.next() }.map(|(k, _)| k);
            let first = lines_of.partition_point(|&(j, _)| j < i);
            k.and_then(|k| lines_of.get(first + k))
                .filter(|&&(j, _)| j == i)
                .map(|&(_, line)| line)
        };
        // On the measure's row, or on the milestone's row the objection is to.
        let on_milestone = match &e {
            MeasureError::Weight {
                milestone, weight, ..
            } => milestone_line(milestone, false).map(|l| (l, "weight", weight.to_string())),
            MeasureError::DuplicateMilestone { milestone, .. } => {
                milestone_line(milestone, true).map(|l| (l, "milestone", milestone.clone()))
            }
            MeasureError::DueOutside { milestone, due, .. } => {
                milestone_line(milestone, false).map(|l| (l, "due", due.to_string()))
            }
            _ => None,
        };
        match (on_milestone, milestones) {
            (Some((line, field, value)), Some((mfile, _))) => {
                milestone_problems.push(Problem::new(mfile, line, field, &value, e.to_string()))
            }
            _ => {
                let (field, value) = match &e {
                    MeasureError::DeadlineBeforeStart { deadline, .. } => {
                        ("deadline", deadline.to_string())
                    }
                    _ => ("id", m.id.clone()),
                };
                problems.push(Problem::new(file, lines[i], field, &value, e.to_string()));
            }
        }
    }
    problems.sort_by_key(|p| p.line);
    milestone_problems.sort_by_key(|p| p.line);
    problems.append(&mut milestone_problems);
    out.problems = problems;
    out
}

/// A measure's row: the measure, or its id when a field has a problem (each pushed to
/// `problems`).
fn read_measure(
    file: &str,
    line: u64,
    rec: &csv::StringRecord,
    registry: &[&str],
    problems: &mut Vec<Problem>,
) -> Row {
    let cell = |k: usize| rec[k].trim();
    let before = problems.len();
    let mut bad = |k: usize, why: String| {
        problems.push(Problem::new(file, line, MEASURE_COLUMNS[k], cell(k), why));
    };
    let mut text = |k: usize| {
        let s = cell(k);
        if s.is_empty() {
            let article = if k == 0 { "an" } else { "a" };
            bad(
                k,
                format!("missing: a measure has {article} {}", MEASURE_COLUMNS[k]),
            );
        }
        s
    };
    let id = text(0);
    let title_zh = text(2);
    let title_en = text(3);
    let lead = text(4);
    let source = text(9);
    let campaign = match cell(1) {
        "" => {
            bad(1, "missing: a measure has a campaign".into());
            None
        }
        s => {
            // The codes first: no allocation for the form a generated or exported file has.
            let c = Campaign::ALL
                .into_iter()
                .find(|c| c.code() == s)
                .or_else(|| Campaign::parse(s));
            if c.is_none() {
                bad(1, not_a_campaign());
            }
            c
        }
    };
    let mut partners = Vec::new();
    if !cell(5).is_empty() {
        for p in cell(5).split(';').map(str::trim) {
            if p.is_empty() {
                bad(
                    5,
                    "an empty unit in the list (units are separated by ;)".into(),
                );
                break;
            }
            partners.push(p.to_string());
        }
    }
    let mut day = |k: usize| {
        let d = date(cell(k));
        if d.is_none() {
            bad(k, "not a date YYYY-MM-DD".into());
        }
        d
    };
    let start = day(6);
    let deadline = day(7);
    let target = match cell(8).split_once(':').map(|(k, v)| (k.trim(), v.trim())) {
        _ if cell(8).is_empty() => None,
        Some((k, v)) if k.eq_ignore_ascii_case("pollutant") => match v.parse::<Pollutant>() {
            Ok(p) => Some(Target::Pollutant(p.code().to_string())),
            Err(_) => {
                bad(
                    8,
                    "not a pollutant of the store (SO2, NO2, CO, O3, PM10, PM2.5, NOx, TSP)".into(),
                );
                None
            }
        },
        Some((k, v)) if k.eq_ignore_ascii_case("indicator") && registry.contains(&v) => {
            Some(Target::Indicator(v.to_string()))
        }
        Some((k, v)) if k.eq_ignore_ascii_case("indicator") && !v.is_empty() => {
            bad(
                8,
                format!(
                    "measure {id}: the target names indicator {v:?}, which the plan's \
                     [[indicator]]s do not have"
                ),
            );
            None
        }
        _ => {
            bad(
                8,
                "a target is empty, pollutant:PM10 or indicator:nev_share".into(),
            );
            None
        }
    };
    match (campaign, start, deadline) {
        (Some(campaign), Some(start), Some(deadline)) if problems.len() == before => {
            Row::Taken(Measure {
                id: id.to_string(),
                campaign,
                title_zh: title_zh.to_string(),
                title_en: title_en.to_string(),
                lead: lead.to_string(),
                partners,
                start,
                deadline,
                milestones: Vec::new(),
                target,
                source: source.to_string(),
            })
        }
        _ => Row::Refused(id.to_string()),
    }
}

/// What a milestone's row is read against, and where it goes.
struct Milestones<'a, 'b> {
    file: &'a str,
    /// The measures file's name.
    measures: &'a str,
    /// The plan file's name and its measures' lines.
    plan: (&'a str, &'b HashMap<&'a str, u64>),
    /// The row of each measure's id in the measures file.
    index: &'b HashMap<&'a str, usize>,
    /// Whether each measure's row is taken: not when one of its milestones has a problem.
    taken: &'b mut Vec<bool>,
    found: &'b mut Vec<(usize, Milestone, u64)>,
    problems: &'b mut Vec<Problem>,
}

impl Milestones<'_, '_> {
    fn row(&mut self, line: u64, rec: &csv::StringRecord) {
        let cell = |k: usize| rec[k].trim();
        let before = self.problems.len();
        let (file, problems) = (self.file, &mut *self.problems);
        let mut bad = |k: usize, why: String| {
            problems.push(Problem::new(file, line, MILESTONE_COLUMNS[k], cell(k), why));
        };
        let measure = match self.index.get(cell(0)) {
            Some(&i) => Some(i),
            None if cell(0).is_empty() => {
                bad(0, "missing: a milestone names its measure".into());
                None
            }
            None => {
                let id = cell(0);
                bad(
                    0,
                    match self.plan.1.get(id) {
                        Some(l) => format!(
                            "measure {id} is in {} (line {l}): its milestones are its \
                             [[measure.milestone]]s there",
                            self.plan.0
                        ),
                        None => format!(
                            "a milestone names measure {id:?}, which {} does not have",
                            self.measures
                        ),
                    },
                );
                None
            }
        };
        let mut text = |k: usize, what: &str| {
            let s = cell(k);
            if s.is_empty() {
                bad(k, format!("missing: a milestone has {what}"));
            }
            s
        };
        let id = text(1, "an id");
        let name_zh = text(2, "a name_zh");
        let name_en = text(3, "a name_en");
        let weight = match cell(4) {
            "" => Some(1.0),
            s => {
                let w = crate::soil::decimal(s, 0);
                if w.is_none() {
                    bad(
                        4,
                        "not a number (the milestone's weight; empty for 1)".into(),
                    );
                }
                w
            }
        };
        let due = match cell(5) {
            "" => Some(None),
            s => {
                let d = date(s);
                if d.is_none() {
                    bad(5, "not a date YYYY-MM-DD (or empty: no due date)".into());
                }
                d.map(Some)
            }
        };
        let Some(i) = measure else { return };
        match (weight, due) {
            (Some(weight), Some(due)) if self.problems.len() == before => self.found.push((
                i,
                Milestone {
                    id: id.to_string(),
                    name_zh: name_zh.to_string(),
                    name_en: name_en.to_string(),
                    weight,
                    due,
                },
                line,
            )),
            _ => self.taken[i] = false,
        }
    }
}
