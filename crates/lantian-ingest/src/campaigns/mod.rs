//! The plan of the five campaigns as files people review: the plan, the progress reported on
//! it, and the indicators' values, read into the types of [`lantian_campaigns`].
//!
//! A plan folder holds
//!
//! | file | module | what |
//! |---|---|---|
//! | `plan.toml` | [`plan`] | `[plan]`, the `[[measure]]`s with their `[[measure.milestone]]`s, the `[[indicator]]`s |
//! | `measures.csv` (optional) | [`measures`] | `id,campaign,title_zh,title_en,lead,partners,start,deadline,target,source` |
//! | `milestones.csv` (optional) | [`measures`] | `measure,milestone,name_zh,name_en,weight,due` |
//! | `updates.csv` (optional) | [`updates`] | `measure,milestone,date,percent,evidence,by` |
//! | `indicator_values.csv` (optional) | [`values`] | `indicator,date,value,source,by,evidence` |
//!
//! The plan is TOML because people write and review it (a measure is a dozen named fields and
//! its milestones); the two logs are CSV because they only grow, a row a report. The logs are
//! checked against the plan with the engine's own checks ([`check_update`], [`check_value`]),
//! so a report before a measure's start or a value without its source never enters.
//!
//! A large plan, or one whose list of measures is kept as a spreadsheet, may give its measures
//! flat instead: one row a measure in `measures.csv` (`partners` separated by `;`, dates
//! `YYYY-MM-DD`, `target` empty, `pollutant:PM10` or `indicator:nev_share`) and one row a
//! milestone in `milestones.csv` (`weight` empty for 1, `due` empty for none; a measure without
//! rows there has the implicit milestone `all`). `plan.toml` still holds `[plan]` and the
//! indicators, and may hold no `[[measure]]`; the plan's measures are those of `plan.toml`, then
//! those of `measures.csv`, and an id may be in only one of them. The two files are read with
//! the `csv` crate: ten thousand measures read in milliseconds, where the TOML parser takes a
//! large share of a second.
//!
//! As in the other readers, each problem is a [`Problem`] naming the file, the line and the
//! field, and every problem is reported, not only the first. The per-file functions return what
//! they could take beside the problems ([`Records`]), for a checker that lists them;
//! [`read_plan_dir`], [`read_plan_texts`] and [`PlanTexts::read`] take the folder only when it
//! has no problem at all: official progress figures are not computed over part of a plan or part
//! of its log.
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
pub mod measures;
pub mod plan;
pub mod updates;
pub mod values;

pub use crate::eu_ets::Problem;
pub use crate::soil::Records;
pub use measures::{MEASURE_COLUMNS, MILESTONE_COLUMNS, read_measures_str};
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
/// The measures of a plan folder given flat, beside `plan.toml`'s.
pub const MEASURES_FILE: &str = "measures.csv";
/// The milestones of the measures of [`MEASURES_FILE`].
pub const MILESTONES_FILE: &str = "milestones.csv";
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

/// Read a plan folder: `plan.toml`, and `measures.csv`, `milestones.csv`, `updates.csv` and
/// `indicator_values.csv` when present. Problems name each file by its path.
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
    let measures = read(MEASURES_FILE, false)?;
    let milestones = read(MILESTONES_FILE, false)?;
    let updates = read(UPDATES_FILE, false)?;
    let values = read(VALUES_FILE, false)?;
    PlanTexts {
        measures: pair(&measures),
        milestones: pair(&milestones),
        updates: pair(&updates),
        values: pair(&values),
        ..PlanTexts::new((&plan.0, &plan.1))
    }
    .read()
}

fn pair(x: &Option<(String, String)>) -> Option<(&str, &str)> {
    x.as_ref().map(|(f, t)| (f.as_str(), t.as_str()))
}

/// Read a plan from texts, each `(file name, text)` (a plan built into the application, or one
/// read by the caller), its measures all in the plan file. The logs are checked against the
/// plan, so when the plan has problems only its own are returned. [`PlanTexts`] reads a plan
/// with `measures.csv` and `milestones.csv` too.
pub fn read_plan_texts(
    plan: (&str, &str),
    updates: Option<(&str, &str)>,
    values: Option<(&str, &str)>,
) -> Result<PlanFiles, PlanError> {
    PlanTexts {
        updates,
        values,
        ..PlanTexts::new(plan)
    }
    .read()
}

/// The texts of a plan folder, each `(file name, text)`: the plan file, and the others when
/// the plan has them.
///
/// ```
/// use lantian_ingest::campaigns::PlanTexts;
/// let plan = "[plan]\nname_zh = \"计划\"\nname_en = \"plan\"\nregion = \"北京市\"\n\
///             year = 2024\nsource = \"doc\"\n";
/// let measures = "id,campaign,title_zh,title_en,lead,partners,start,deadline,target,source\n\
///                 CW-01,clear_water,村庄污水,village sewage,市水务局,,2024-01-01,2024-12-31,,doc\n";
/// let files = PlanTexts {
///     measures: Some(("measures.csv", measures)),
///     ..PlanTexts::new(("plan.toml", plan))
/// }
/// .read()
/// .unwrap();
/// assert_eq!(files.measures[0].id, "CW-01");
/// assert_eq!(files.measures[0].milestones[0].id, "all");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct PlanTexts<'a> {
    /// `plan.toml`.
    pub plan: (&'a str, &'a str),
    /// `measures.csv`.
    pub measures: Option<(&'a str, &'a str)>,
    /// `milestones.csv`: the milestones of the measures of `measures`.
    pub milestones: Option<(&'a str, &'a str)>,
    /// `updates.csv`.
    pub updates: Option<(&'a str, &'a str)>,
    /// `indicator_values.csv`.
    pub values: Option<(&'a str, &'a str)>,
}

impl<'a> PlanTexts<'a> {
    /// A plan of the plan file alone.
    pub fn new(plan: (&'a str, &'a str)) -> PlanTexts<'a> {
        PlanTexts {
            plan,
            measures: None,
            milestones: None,
            updates: None,
            values: None,
        }
    }

    /// Read and check the plan. The measures files are read against the plan file (its
    /// indicators, its measures' ids) and the logs against the three, so when the plan file
    /// has problems only its own are returned, and when the measures files have problems,
    /// only theirs.
    pub fn read(&self) -> Result<PlanFiles, PlanError> {
        let mut p = read_plan_str(self.plan.0, self.plan.1).map_err(PlanError::Refused)?;
        match (self.measures, self.milestones) {
            (Some(m), milestones) => {
                let mut read = read_measures_str(m, milestones, (self.plan.0, &p));
                if !read.problems.is_empty() {
                    return Err(PlanError::Refused(read.problems));
                }
                p.measures.append(&mut read.items);
            }
            (None, Some((f, _))) => {
                return Err(PlanError::Refused(vec![Problem::new(
                    f,
                    1,
                    "measure",
                    "",
                    format!(
                        "milestones of the measures of {MEASURES_FILE}, and the plan has no \
                         {MEASURES_FILE}"
                    ),
                )]));
            }
            (None, None) => {}
        }
        let mut problems = Vec::new();
        let ups = self
            .updates
            .map(|(f, t)| take(read_updates_str(f, t, &p.measures), &mut problems))
            .unwrap_or_default();
        let vals = self
            .values
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

/// The next record of `rdr`, read into `rec` (its buffers kept from row to row): `None` at the
/// end, else the record's 1-based line, or the problem that says why the row is not read (a
/// CSV error, or a width that is not the header's).
fn next_record<R: std::io::Read>(
    file: &str,
    rdr: &mut csv::Reader<R>,
    rec: &mut csv::StringRecord,
    width: usize,
    lines: &mut crate::text::LineOf<'_>,
) -> Option<Result<u64, Problem>> {
    match rdr.read_record(rec) {
        Ok(false) => None,
        Ok(true) => {
            let line = rec.position().map_or(0, |p| lines.of(p));
            if rec.len() == width {
                return Some(Ok(line));
            }
            Some(Err(Problem::new(
                file,
                line,
                "row",
                &rec.iter().collect::<Vec<_>>().join(","),
                format!(
                    "{} fields where the header has {}; the row is not read",
                    rec.len(),
                    width
                ),
            )))
        }
        Err(e) => {
            let line = e.position().map_or(0, |p| lines.of(p));
            Some(Err(Problem::new(file, line, "row", "", e.to_string())))
        }
    }
}

/// A date `YYYY-MM-DD` (`%Y-%m-%d`). The form every generated or exported file has, ten
/// digits and dashes, is read straight; any other text goes to chrono's parser, which gives
/// the same day for that form, so what is taken and what is refused do not change.
fn date(cell: &str) -> Option<chrono::NaiveDate> {
    let b = cell.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10))
    {
        // At most 9999: in i32.
        return chrono::NaiveDate::from_ymd_opt(y as i32, m, d);
    }
    chrono::NaiveDate::parse_from_str(cell, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_read_as_chrono_reads_them() {
        let mut cells: Vec<String> = [
            "2024-02-29",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-06-31",
            "0000-01-01",
            "9999-12-31",
            "2024-6-30",
            "2024-06-3",
            " 2024-06-30",
            "2024/06/30",
            "+2024-06-30",
            "2024-06-30T00",
            "２０２４-06-30",
            "",
            "20240630",
            "2024--6-30",
            "-202-06-30",
        ]
        .map(String::from)
        .to_vec();
        for y in [1900, 2023, 2024, 2100] {
            for m in 0..=13 {
                for d in 0..=32 {
                    cells.push(format!("{y:04}-{m:02}-{d:02}"));
                }
            }
        }
        for c in &cells {
            assert_eq!(
                super::date(c),
                chrono::NaiveDate::parse_from_str(c, "%Y-%m-%d").ok(),
                "{c:?}"
            );
        }
    }
}
