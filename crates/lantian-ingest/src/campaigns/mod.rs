//! The plan of the five campaigns as files people review: the plan, the progress reported on
//! it, and the indicators' values, read into the types of [`lantian_campaigns`].
//!
//! A plan folder holds
//!
//! | file | module | what |
//! |---|---|---|
//! | `plan.toml` | [`plan`] | `[plan]`, the `[[measure]]`s with their `[[measure.milestone]]`s, the `[[indicator]]`s |
//! | `updates.csv` (optional) | [`updates`] | `measure,milestone,date,percent,evidence,by` |
//! | `indicator_values.csv` (optional) | [`values`] | `indicator,date,value,source,by,evidence` |
//!
//! The plan is TOML because people write and review it (a measure is a dozen named fields and
//! its milestones); the two logs are CSV because they only grow, a row a report. The logs are
//! checked against the plan with the engine's own checks ([`check_update`], [`check_value`]),
//! so a report before a measure's start or a value without its source never enters.
//!
//! As in the other readers, each problem is a [`Problem`] naming the file, the line and the
//! field, and every problem is reported, not only the first. The per-file functions return what
//! they could take beside the problems ([`Records`]), for a checker that lists them;
//! [`read_plan_dir`] and [`read_plan_texts`] take the folder only when it has no problem at
//! all: official progress figures are not computed over part of a plan or part of its log.
//!
//! ```
//! use lantian_ingest::campaigns::read_plan_texts;
//! let plan = "[plan]\nname_zh = \"计划\"\nname_en = \"plan\"\nregion = \"北京市\"\n\
//!             year = 2024\nsource = \"doc\"\n\n\
//!             [[measure]]\nid = \"CW-01\"\ncampaign = \"clear_water\"\n\
//!             title_zh = \"村庄污水收集处理\"\ntitle_en = \"village sewage\"\n\
//!             lead = \"市水务局\"\nstart = 2024-01-01\ndeadline = 2024-12-31\n\
//!             source = \"doc\"\n";
//! let updates = "measure,milestone,date,percent,evidence,by\n\
//!                CW-01,,2024-06-30,50,台账,市水务局\n";
//! let files = read_plan_texts(("plan.toml", plan), Some(("updates.csv", updates)), None)
//!     .unwrap();
//! assert_eq!(files.plan.year, 2024);
//! // No milestones in the file: the one implicit milestone, "all".
//! assert_eq!(files.measures[0].milestones[0].id, "all");
//! assert_eq!(files.updates[0].milestone, "all");
//! ```

mod doc;
pub mod gep;
pub mod plan;
pub mod updates;
pub mod values;

pub use crate::eu_ets::Problem;
pub use crate::soil::Records;
pub use plan::{ALL_WORK, Plan, PlanMeta, all_work, read_plan_str};
pub use updates::{UPDATE_COLUMNS, read_updates_str};
pub use values::{VALUE_COLUMNS, read_values_str};

use lantian_campaigns::indicator::{Indicator, Value};
use lantian_campaigns::measure::{Measure, Update};
use std::path::Path;

#[cfg(doc)]
use lantian_campaigns::{indicator::check_value, measure::check_update};

/// The plan file of a plan folder.
pub const PLAN_FILE: &str = "plan.toml";
/// The progress log of a plan folder.
pub const UPDATES_FILE: &str = "updates.csv";
/// The indicator-values log of a plan folder.
pub const VALUES_FILE: &str = "indicator_values.csv";

/// A plan folder, read whole and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanFiles {
    pub plan: PlanMeta,
    /// In the plan's order.
    pub measures: Vec<Measure>,
    /// In the plan's order.
    pub indicators: Vec<Indicator>,
    /// In the log's order (of two reports of one milestone on one day, the later counts).
    pub updates: Vec<Update>,
    /// In the log's order.
    pub values: Vec<Value>,
}

/// Why a plan folder is not taken.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PlanError {
    /// A file missing, unreadable or not UTF-8 (the message names it).
    #[error("{0}")]
    Unreadable(String),
    /// The files' problems, every one, in file and line order.
    #[error("{}", list(.0))]
    Refused(Vec<Problem>),
}

fn list(problems: &[Problem]) -> String {
    let n = problems.len();
    let mut s = format!(
        "{n} problem{} in the plan's files; the plan is not taken:",
        if n == 1 { "" } else { "s" }
    );
    for p in problems {
        s.push_str("\n  ");
        s.push_str(&p.to_string());
    }
    s
}

/// Read a plan folder: `plan.toml`, and `updates.csv` and `indicator_values.csv` when present.
/// Problems name each file by its path.
pub fn read_plan_dir(dir: &Path) -> Result<PlanFiles, PlanError> {
    let read = |name: &str, required: bool| -> Result<Option<(String, String)>, PlanError> {
        let path = dir.join(name);
        if !required && !path.exists() {
            return Ok(None);
        }
        let text = crate::water::read_text(&path).map_err(PlanError::Unreadable)?;
        Ok(Some((path.display().to_string(), text)))
    };
    let Some(plan) = read(PLAN_FILE, true)? else {
        unreachable!("a required file is read or refused")
    };
    let updates = read(UPDATES_FILE, false)?;
    let values = read(VALUES_FILE, false)?;
    read_plan_texts((&plan.0, &plan.1), pair(&updates), pair(&values))
}

fn pair(x: &Option<(String, String)>) -> Option<(&str, &str)> {
    x.as_ref().map(|(f, t)| (f.as_str(), t.as_str()))
}

/// Read a plan from texts, each `(file name, text)` (a plan built into the application, or one
/// read by the caller). The logs are checked against the plan, so when the plan has problems
/// only its own are returned.
pub fn read_plan_texts(
    plan: (&str, &str),
    updates: Option<(&str, &str)>,
    values: Option<(&str, &str)>,
) -> Result<PlanFiles, PlanError> {
    let p = read_plan_str(plan.0, plan.1).map_err(PlanError::Refused)?;
    let mut problems = Vec::new();
    let ups = updates
        .map(|(f, t)| take(read_updates_str(f, t, &p.measures), &mut problems))
        .unwrap_or_default();
    let vals = values
        .map(|(f, t)| take(read_values_str(f, t, &p.indicators), &mut problems))
        .unwrap_or_default();
    if !problems.is_empty() {
        return Err(PlanError::Refused(problems));
    }
    Ok(PlanFiles {
        plan: p.meta,
        measures: p.measures,
        indicators: p.indicators,
        updates: ups,
        values: vals,
    })
}

/// The rows a log gave, its problems moved to `problems`.
fn take<T>(read: Result<Records<T>, Problem>, problems: &mut Vec<Problem>) -> Vec<T> {
    match read {
        Ok(mut r) => {
            problems.append(&mut r.problems);
            r.items
        }
        Err(p) => {
            problems.push(p);
            Vec::new()
        }
    }
}

/// The lowercased header, or the problem refusing the file when it is not `columns`.
fn header_is<R: std::io::Read>(
    file: &str,
    rdr: &mut csv::Reader<R>,
    columns: &[&str],
    what: &str,
) -> Result<(), Problem> {
    let header: Vec<String> = crate::water::header_of(file, rdr)?
        .iter()
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if header != columns {
        return Err(Problem::new(
            file,
            1,
            "header",
            &header.join(","),
            format!("{what} has the columns {}", columns.join(",")),
        ));
    }
    Ok(())
}
