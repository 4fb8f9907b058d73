//! The progress log, `updates.csv`: `measure,milestone,date,percent,evidence,by`, one report a
//! row, appended and never rewritten (a wrong report is answered by a later one).
//!
//! - `measure`: a measure's id in the plan;
//! - `milestone`: one of its milestones' ids; empty for a measure with one milestone (the
//!   milestone is then that one, [`super::plan::ALL_WORK`] for a measure the plan does not break
//!   down);
//! - `date`: `YYYY-MM-DD`, the day the share was reached; never before the measure's start;
//! - `percent`: the share of the milestone's work done, 0 to 100 (no `%` sign);
//! - `evidence`: what shows it (a document, an acceptance record, a count); required;
//! - `by`: who reported it; required.
//!
//! Every row is checked against the plan with the engine's [`check_update`]. A row that does
//! not pass is not taken and each of its problems is reported, naming the file, the line (the
//! header is line 1) and the field; the rows after it are read on.

use super::Records;
use crate::eu_ets::Problem;
use lantian_campaigns::measure::{Measure, MeasureError, Update, check_update};
use std::collections::HashMap;

/// The columns of an updates file.
pub const UPDATE_COLUMNS: [&str; 6] = ["measure", "milestone", "date", "percent", "evidence", "by"];

/// Read an updates file's text against the plan's measures. Only a header that is not
/// [`UPDATE_COLUMNS`] refuses the whole file.
///
/// ```
/// use lantian_ingest::campaigns::plan::all_work;
/// use lantian_ingest::campaigns::updates::read_updates_str;
/// use lantian_campaigns::{Campaign, measure::Measure};
/// let d = |s: &str| s.parse().unwrap();
/// let m = Measure {
///     id: "CW-01".into(), campaign: Campaign::ClearWater, title_zh: "村庄污水".into(),
///     title_en: "village sewage".into(), lead: "市水务局".into(), partners: vec![],
///     start: d("2024-03-01"), deadline: d("2024-12-31"), milestones: vec![all_work()],
///     target: None, source: "plan".into(),
/// };
/// let text = "measure,milestone,date,percent,evidence,by\n\
///             CW-01,,2024-06-30,40,台账,市水务局\n\
///             CW-01,,2024-02-01,10,台账,市水务局\n";
/// let read = read_updates_str("updates.csv", text, &[m]).unwrap();
/// assert_eq!(read.items[0].milestone, "all");
/// assert_eq!(
///     read.problems[0].to_string(),
///     "updates.csv:3: date: measure CW-01: an update dated 2024-02-01 is before the \
///      measure's start, 2024-03-01 (\"2024-02-01\")"
/// );
/// ```
pub fn read_updates_str(
    file: &str,
    text: &str,
    measures: &[Measure],
) -> Result<Records<Update>, Problem> {
    let mut rdr = crate::soil::long::reader(text);
    let mut line_of = crate::soil::long::line_of(text);
    super::header_is(file, &mut rdr, &UPDATE_COLUMNS, "an updates file")?;
    let by_id: HashMap<&str, &Measure> = measures.iter().map(|m| (m.id.as_str(), m)).collect();
    let mut out = Records::default();
    // One record for every row: its buffers are kept, a row costs only the strings an update
    // keeps.
    let mut rec = csv::StringRecord::new();
    while let Some(next) =
        super::next_record(file, &mut rdr, &mut rec, UPDATE_COLUMNS.len(), &mut line_of)
    {
        out.rows += 1;
        let line = match next {
            Ok(line) => line,
            Err(p) => {
                out.problems.push(p);
                continue;
            }
        };
        let cell = |k: usize| rec[k].trim();
        let mut problems = Vec::new();
        let bad = |k: usize, why: String| Problem::new(file, line, UPDATE_COLUMNS[k], cell(k), why);
        let measure = match by_id.get(cell(0)) {
            Some(m) => Some(*m),
            None if cell(0).is_empty() => {
                problems.push(bad(0, "an update names its measure".into()));
                None
            }
            None => {
                let e = MeasureError::UnknownMeasure {
                    measure: cell(0).into(),
                };
                problems.push(bad(0, e.to_string()));
                None
            }
        };
        let milestone = match (measure, cell(1)) {
            (Some(m), "") if m.milestones.len() == 1 => Some(m.milestones[0].id.clone()),
            (Some(m), "") => {
                problems.push(bad(
                    1,
                    format!(
                        "measure {} has {} milestones ({}); an update names one",
                        m.id,
                        m.milestones.len(),
                        ids(m)
                    ),
                ));
                None
            }
            (_, s) => Some(s.to_string()),
        };
        let date = super::date(cell(2))
            .ok_or_else(|| problems.push(bad(2, "not a date YYYY-MM-DD".into())))
            .ok();
        let percent = crate::soil::decimal(cell(3), 0)
            .ok_or_else(|| {
                problems.push(bad(
                    3,
                    "not a number (the share of the work done, 0 to 100, without %)".into(),
                ))
            })
            .ok();
        if let (Some(m), Some(milestone), Some(date), Some(percent)) =
            (measure, milestone, date, percent)
        {
            let u = Update {
                measure: m.id.clone(),
                milestone,
                date,
                percent,
                evidence: cell(4).to_string(),
                by: cell(5).to_string(),
            };
            // Checked once; only a refused update is checked again, field by field.
            if check_update(m, &u).is_ok() {
                out.items.push(u);
                continue;
            }
            for (k, e) in refusals(m, &u) {
                problems.push(bad(k, e.to_string()));
            }
        }
        out.problems.append(&mut problems);
    }
    Ok(out)
}

/// Everything [`check_update`] refuses in `u`, each with its column. The engine reports the
/// first objection; the update is checked again with that field set right until it passes, so
/// a row with a date before the start and no evidence is told both.
fn refusals(m: &Measure, u: &Update) -> Vec<(usize, MeasureError)> {
    let mut u = u.clone();
    let mut out = Vec::new();
    while let Err(e) = check_update(m, &u) {
        let k = match &e {
            MeasureError::UnknownMilestone { .. } => match m.milestones.first() {
                Some(first) => {
                    u.milestone = first.id.clone();
                    1
                }
                None => {
                    out.push((1, e));
                    break;
                }
            },
            MeasureError::BeforeStart { .. } => {
                u.date = m.start;
                2
            }
            MeasureError::Percent { .. } => {
                u.percent = 0.0;
                3
            }
            MeasureError::Missing { field, .. } if *field == "evidence" => {
                u.evidence = "-".into();
                4
            }
            MeasureError::Missing { .. } => {
                u.by = "-".into();
                5
            }
            // Not an objection to an update's fields; said once, on the row.
            _ => {
                out.push((0, e));
                break;
            }
        };
        out.push((k, e));
        if out.len() > UPDATE_COLUMNS.len() {
            break;
        }
    }
    out
}

fn ids(m: &Measure) -> String {
    m.milestones
        .iter()
        .map(|x| x.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
