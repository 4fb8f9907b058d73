//! The plots (地块) of a survey and the events of the risk-control and restoration list.
//!
//! `plots.csv`: `plot,name,area_m2,district,land_class,planned_use`
//!
//! - `plot`: the plot's id, which `points.csv` names in its `plot` column;
//! - `area_m2`: the area in m², a positive number, or empty;
//! - `land_class`: a [`LandClass`] code (see [`LandClass::code`]) or empty;
//! - `planned_use`: the planned use as written (GB 36600 screens construction land by it).
//!
//! `list_events.csv`: `plot,date,status,by,reason,evidence`, one event a row (a plot entered
//! on the list, moved, taken off). The rows are kept as read, strings and a date, with their
//! file and line: the list's vocabulary belongs to the engine, and the application converts
//! and checks the statuses there.

use super::long::reader;
use super::{Problem, Records, decimal};
use chrono::NaiveDate;
use lantian_soil::LandClass;
use std::collections::HashMap;

/// The columns of a plots file.
pub const PLOT_COLUMNS: [&str; 6] = [
    "plot",
    "name",
    "area_m2",
    "district",
    "land_class",
    "planned_use",
];

/// The columns of a list-events file.
pub const EVENT_COLUMNS: [&str; 6] = ["plot", "date", "status", "by", "reason", "evidence"];

/// One plot.
#[derive(Debug, Clone, PartialEq)]
pub struct Plot {
    pub id: String,
    pub name: Option<String>,
    pub area_m2: Option<f64>,
    pub district: Option<String>,
    pub land_class: Option<LandClass>,
    pub planned_use: Option<String>,
    pub file: String,
    pub line: u64,
}

/// One row of a list-events file.
#[derive(Debug, Clone, PartialEq)]
pub struct ListEventRow {
    pub plot: String,
    pub date: NaiveDate,
    /// As written; the engine's list knows the statuses.
    pub status: String,
    pub by: Option<String>,
    pub reason: Option<String>,
    pub evidence: Option<String>,
    pub file: String,
    pub line: u64,
}

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

/// Read a plots file. A plot with a bad area or class is kept without it (the problem says
/// so); a plot without an id, or with the id of an earlier one, is not taken.
pub fn read_plots(file: &str, text: &str) -> Result<Records<Plot>, Problem> {
    let mut rdr = reader(text);
    let mut line_of = super::long::line_of(text);
    header_is(file, &mut rdr, &PLOT_COLUMNS, "a plots file")?;
    let mut out = Records::default();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for rec in rdr.records() {
        out.rows += 1;
        let (rec, line) = match crate::water::record(file, rec, PLOT_COLUMNS.len(), &mut line_of) {
            Ok(x) => x,
            Err(p) => {
                out.problems.push(p);
                continue;
            }
        };
        let bad = |k: usize, why: &str| Problem::new(file, line, PLOT_COLUMNS[k], &rec[k], why);
        let opt = |k: usize| Some(rec[k].trim().to_string()).filter(|s| !s.is_empty());
        let Some(id) = opt(0) else {
            out.problems.push(bad(0, "a plot needs an id; not taken"));
            continue;
        };
        if let Some(first) = seen.get(&id) {
            out.problems.push(bad(
                0,
                &format!("the plot is already on line {first}; the first is kept"),
            ));
            continue;
        }
        seen.insert(id.clone(), line);
        let area_m2 = match opt(2) {
            None => None,
            Some(a) => match decimal(&a, 0) {
                Some(v) if v > 0.0 => Some(v),
                _ => {
                    out.problems.push(bad(
                        2,
                        "an area is a positive number of m²; the plot is kept without it",
                    ));
                    None
                }
            },
        };
        let land_class = match opt(4) {
            None => None,
            Some(c) => match super::land_class_cell(&c) {
                Ok(class) => Some(class),
                Err(why) => {
                    out.problems
                        .push(bad(4, &format!("{why}; the plot is kept unclassed")));
                    None
                }
            },
        };
        out.items.push(Plot {
            id,
            name: opt(1),
            area_m2,
            district: opt(3),
            land_class,
            planned_use: opt(5),
            file: file.into(),
            line,
        });
    }
    Ok(out)
}

/// Read a list-events file. A row without a plot, a date or a status is not taken.
pub fn read_list_events(file: &str, text: &str) -> Result<Records<ListEventRow>, Problem> {
    let mut rdr = reader(text);
    let mut line_of = super::long::line_of(text);
    header_is(file, &mut rdr, &EVENT_COLUMNS, "a list-events file")?;
    let mut out = Records::default();
    for rec in rdr.records() {
        out.rows += 1;
        let (rec, line) = match crate::water::record(file, rec, EVENT_COLUMNS.len(), &mut line_of) {
            Ok(x) => x,
            Err(p) => {
                out.problems.push(p);
                continue;
            }
        };
        let bad = |k: usize, why: &str| Problem::new(file, line, EVENT_COLUMNS[k], &rec[k], why);
        let opt = |k: usize| Some(rec[k].trim().to_string()).filter(|s| !s.is_empty());
        let Some(plot) = opt(0) else {
            out.problems
                .push(bad(0, "an event names its plot; not taken"));
            continue;
        };
        let Ok(date) = NaiveDate::parse_from_str(rec[1].trim(), "%Y-%m-%d") else {
            out.problems
                .push(bad(1, "not a date YYYY-MM-DD; the event is not taken"));
            continue;
        };
        let Some(status) = opt(2) else {
            out.problems
                .push(bad(2, "an event has a status; not taken"));
            continue;
        };
        out.items.push(ListEventRow {
            plot,
            date,
            status,
            by: opt(3),
            reason: opt(4),
            evidence: opt(5),
            file: file.into(),
            line,
        });
    }
    Ok(out)
}
