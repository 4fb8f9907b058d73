//! The indicators' values, `indicator_values.csv`: `indicator,date,value,source,by,evidence`,
//! one dated value a row, appended and never rewritten (the value on a date is the latest dated
//! on or before it).
//!
//! - `indicator`: an indicator's id in the plan's registry;
//! - `date`: `YYYY-MM-DD`, the day the value holds for (the end of the period it covers);
//! - `value`: a number, in the indicator's unit;
//! - `source`: `entered` (a person entered it: `by` is who, `evidence` the publication or
//!   record it comes from) or `computed` (an engine computed it: `by` is the engine,
//!   `evidence` the query that gives it back); `by` and `evidence` are required either way.
//!
//! An indicator the registry marks `computed` (Lantian computes it from the monitoring data)
//! takes no `entered` value: a number typed in would stand in its history beside the engine's
//! as if it were one of them. A published figure to compare with belongs to an indicator of its
//! own.
//!
//! Every row is checked against the registry with the engine's [`check_value`]; as for the
//! updates, a row that does not pass is not taken and each of its problems names the file, the
//! line and the field.

use super::Records;
use crate::eu_ets::Problem;
use chrono::NaiveDate;
use lantian_campaigns::indicator::{Indicator, IndicatorError, Source, Value, check_value};
use std::collections::HashMap;

/// The columns of an indicator-values file.
pub const VALUE_COLUMNS: [&str; 6] = ["indicator", "date", "value", "source", "by", "evidence"];

/// Read an indicator-values file's text against the plan's indicators. Only a header that is
/// not [`VALUE_COLUMNS`] refuses the whole file.
///
/// ```
/// use lantian_ingest::campaigns::values::read_values_str;
/// use lantian_campaigns::{Campaign, indicator::{Direction, Indicator, Source}};
/// let nev = Indicator {
///     id: "nev_share".into(), campaign: Campaign::Climate,
///     name_zh: "新增车辆中新能源车比率".into(), name_en: "NEV share of new vehicles".into(),
///     unit: "%".into(), direction: Direction::Up, baseline: None, target: None,
///     source: "report".into(), computed: None,
/// };
/// let text = "indicator,date,value,source,by,evidence\n\
///             nev_share,2024-05-31,39.7,entered,市生态环境局,上半年通报\n\
///             nev_share,2024-06-30,41,entered,,\n";
/// let read = read_values_str("indicator_values.csv", text, &[nev]).unwrap();
/// assert_eq!(read.items[0].value, 39.7);
/// assert!(matches!(read.items[0].source, Source::Entered { .. }));
/// assert_eq!(read.problems.len(), 2); // `by` and `evidence` both missing on line 3
/// assert_eq!(read.problems[1].field, "evidence");
/// ```
pub fn read_values_str(
    file: &str,
    text: &str,
    indicators: &[Indicator],
) -> Result<Records<Value>, Problem> {
    let mut rdr = crate::soil::long::reader(text);
    let mut line_of = crate::soil::long::line_of(text);
    super::header_is(file, &mut rdr, &VALUE_COLUMNS, "an indicator-values file")?;
    let by_id: HashMap<&str, &Indicator> = indicators.iter().map(|i| (i.id.as_str(), i)).collect();
    let mut out = Records::default();
    for rec in rdr.records() {
        out.rows += 1;
        let (rec, line) = match crate::water::record(file, rec, VALUE_COLUMNS.len(), &mut line_of) {
            Ok(x) => x,
            Err(p) => {
                out.problems.push(p);
                continue;
            }
        };
        let cell = |k: usize| rec[k].trim();
        let mut problems = Vec::new();
        let bad = |k: usize, why: String| Problem::new(file, line, VALUE_COLUMNS[k], cell(k), why);
        let indicator = match by_id.get(cell(0)) {
            Some(i) => Some(*i),
            None if cell(0).is_empty() => {
                problems.push(bad(0, "a value names its indicator".into()));
                None
            }
            None => {
                let e = IndicatorError::Unknown {
                    indicator: cell(0).into(),
                };
                problems.push(bad(0, e.to_string()));
                None
            }
        };
        let date = NaiveDate::parse_from_str(cell(1), "%Y-%m-%d")
            .map_err(|_| problems.push(bad(1, "not a date YYYY-MM-DD".into())))
            .ok();
        let value = crate::soil::decimal(cell(2), 0)
            .ok_or_else(|| problems.push(bad(2, "not a number".into())))
            .ok();
        let (by, evidence) = (cell(4).to_string(), cell(5).to_string());
        let source = match cell(3).to_ascii_lowercase().as_str() {
            "entered" => Some(Source::Entered { by, evidence }),
            "computed" => Some(Source::Computed {
                engine: by,
                query: evidence,
            }),
            _ => {
                problems.push(bad(
                    3,
                    "a source is \"entered\" (by a person) or \"computed\" (by an engine)".into(),
                ));
                None
            }
        };
        if let (Some(i), Some(Source::Entered { .. })) = (indicator, &source)
            && let Some(figure) = &i.computed
        {
            problems.push(bad(
                3,
                format!(
                    "indicator {} is computed by Lantian ({figure}); an entered value would \
                     stand in its history as if computed (give a published figure an indicator \
                     of its own)",
                    i.id
                ),
            ));
        }
        if let (Some(i), Some(date), Some(value), Some(source)) = (indicator, date, value, source) {
            let v = Value {
                indicator: i.id.clone(),
                date,
                value,
                source,
            };
            let refused = refusals(i, &v);
            if refused.is_empty() && problems.is_empty() {
                out.items.push(v);
                continue;
            }
            for (k, e) in refused {
                problems.push(bad(k, e.to_string()));
            }
        }
        out.problems.append(&mut problems);
    }
    Ok(out)
}

/// Everything [`check_value`] refuses in `v`, each with its column (see
/// `updates::refusals`: the value is checked again with the refused field set right).
fn refusals(i: &Indicator, v: &Value) -> Vec<(usize, IndicatorError)> {
    let mut v = v.clone();
    let mut out = Vec::new();
    while let Err(e) = check_value(i, &v) {
        let k = match &e {
            IndicatorError::NotFinite { .. } => {
                v.value = 0.0;
                2
            }
            IndicatorError::Missing { field, .. } => {
                let k = match *field {
                    "by" | "engine" => 4,
                    _ => 5,
                };
                match &mut v.source {
                    Source::Entered { by, evidence } => {
                        *(if k == 4 { by } else { evidence }) = "-".into();
                    }
                    Source::Computed { engine, query } => {
                        *(if k == 4 { engine } else { query }) = "-".into();
                    }
                }
                k
            }
            _ => {
                out.push((0, e));
                break;
            }
        };
        out.push((k, e));
        if out.len() > VALUE_COLUMNS.len() {
            break;
        }
    }
    out
}
