//! Indicators: the named figures a plan is judged by (new-energy vehicles on the road, their
//! share of new cars, road dust load, PM2.5 …), each with its unit, which way is better, a
//! baseline and a target, and dated values that keep their source.
//!
//! A value is either **entered** by people (who, and the evidence: a statistics release, a
//! bureau's report) or **computed** by one of Lantian's engines (which engine, and the query
//! that gives it back). Values are appended: the value on a date is the latest dated on or
//! before it; an indicator's history is never rewritten.

use crate::campaign::Campaign;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// More is better (NEV share, excellent days).
    Up,
    /// Less is better (PM2.5, dust load).
    Down,
}

/// A dated reference value: a baseline or a target.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Mark {
    pub value: f64,
    pub date: NaiveDate,
}

/// A named indicator of the registry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub id: String,
    pub campaign: Campaign,
    pub name_zh: String,
    pub name_en: String,
    /// As written after the number (`万辆`, `%`, `µg/m³`, `t/km²·month`).
    pub unit: String,
    pub direction: Direction,
    pub baseline: Option<Mark>,
    pub target: Option<Mark>,
    /// Where the indicator is defined or published.
    pub source: String,
    /// For an indicator Lantian computes: the engine figure it is (`air.pm25_cumulative` …).
    pub computed: Option<String>,
}

/// Where a value comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    /// Entered by a person.
    Entered { by: String, evidence: String },
    /// Computed by an engine: which, and the query that gives it back.
    Computed { engine: String, query: String },
}

/// One dated value of an indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Value {
    pub indicator: String,
    pub date: NaiveDate,
    pub value: f64,
    pub source: Source,
}

/// Why an indicator or a value is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IndicatorError {
    #[error("indicator {indicator} is given twice")]
    Duplicate { indicator: String },
    #[error("a value names indicator {indicator:?}, which the registry does not have")]
    Unknown { indicator: String },
    #[error("indicator {indicator}, {date}: {value} is not a number")]
    NotFinite {
        indicator: String,
        date: NaiveDate,
        value: f64,
    },
    #[error(
        "indicator {indicator}, {date}: the value has no {field} (every value keeps its source)"
    )]
    Missing {
        indicator: String,
        date: NaiveDate,
        field: &'static str,
    },
    #[error(
        "indicator {indicator}: the target ({target}) equals the baseline; progress toward it has no meaning"
    )]
    TargetIsBaseline { indicator: String, target: f64 },
}

/// Checks a value against the registry's indicator.
pub fn check_value(i: &Indicator, v: &Value) -> Result<(), IndicatorError> {
    if !v.value.is_finite() {
        return Err(IndicatorError::NotFinite {
            indicator: i.id.clone(),
            date: v.date,
            value: v.value,
        });
    }
    let missing = match &v.source {
        Source::Entered { by, evidence } => [("by", by), ("evidence", evidence)],
        Source::Computed { engine, query } => [("engine", engine), ("query", query)],
    };
    for (field, s) in missing {
        if s.trim().is_empty() {
            return Err(IndicatorError::Missing {
                indicator: i.id.clone(),
                date: v.date,
                field,
            });
        }
    }
    Ok(())
}

/// An indicator on a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standing {
    pub id: String,
    pub campaign: Campaign,
    /// The latest value on or before the date.
    pub latest: Option<Value>,
    /// Latest − baseline.
    pub change: Option<f64>,
    /// (latest − baseline) / |baseline| × 100.
    pub change_percent: Option<f64>,
    /// (latest − baseline) / (target − baseline), 0 at the baseline and 1 at the target
    /// (not clamped: beyond the target is above 1, moving the wrong way below 0).
    pub toward_target: Option<f64>,
    /// The latest value meets the target (at or beyond it in the better direction).
    pub target_met: Option<bool>,
}

/// The indicator's standing on `as_of` from its values (any order; of two values of one date,
/// the later in `values` counts).
pub fn standing(i: &Indicator, values: &[Value], as_of: NaiveDate) -> Standing {
    let latest = values
        .iter()
        .enumerate()
        .filter(|(_, v)| v.indicator == i.id && v.date <= as_of)
        .max_by_key(|(k, v)| (v.date, *k))
        .map(|(_, v)| v.clone());
    let x = latest.as_ref().map(|v| v.value);
    let base = i.baseline.map(|b| b.value);
    let change = x.zip(base).map(|(x, b)| x - b);
    let change_percent = change
        .zip(base)
        .and_then(|(c, b)| (b != 0.0).then(|| c / b.abs() * 100.0));
    let toward_target = x
        .zip(base)
        .zip(i.target)
        .and_then(|((x, b), t)| (t.value != b).then(|| (x - b) / (t.value - b)));
    let target_met = x.zip(i.target).map(|(x, t)| match i.direction {
        Direction::Up => x >= t.value,
        Direction::Down => x <= t.value,
    });
    Standing {
        id: i.id.clone(),
        campaign: i.campaign,
        latest,
        change,
        change_percent,
        toward_target,
        target_met,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn nev() -> Indicator {
        Indicator {
            id: "nev_share".into(),
            campaign: Campaign::Climate,
            name_zh: "新能源汽车占新车比例".into(),
            name_en: "NEV share of new cars".into(),
            unit: "%".into(),
            direction: Direction::Up,
            baseline: Some(Mark {
                value: 30.0,
                date: d("2023-12-31"),
            }),
            target: Some(Mark {
                value: 40.0,
                date: d("2024-12-31"),
            }),
            source: "plan".into(),
            computed: None,
        }
    }

    fn v(date: &str, x: f64) -> Value {
        Value {
            indicator: "nev_share".into(),
            date: d(date),
            value: x,
            source: Source::Entered {
                by: "市交通委".into(),
                evidence: "release".into(),
            },
        }
    }

    #[test]
    fn the_standing_is_the_latest_value_against_baseline_and_target() {
        let vals = vec![
            v("2024-03-31", 33.0),
            v("2024-06-30", 39.7),
            v("2024-09-30", 41.0),
        ];
        let s = standing(&nev(), &vals, d("2024-06-30"));
        assert_eq!(s.latest.as_ref().unwrap().value, 39.7);
        assert!((s.change.unwrap() - 9.7).abs() < 1e-12);
        assert!((s.change_percent.unwrap() - 9.7 / 30.0 * 100.0).abs() < 1e-12);
        assert!((s.toward_target.unwrap() - 0.97).abs() < 1e-12);
        assert_eq!(s.target_met, Some(false));
        assert_eq!(
            standing(&nev(), &vals, d("2024-09-30")).target_met,
            Some(true)
        );
        // Exactly at the target is met; before any value, nothing is known.
        assert_eq!(
            standing(&nev(), &[v("2024-06-30", 40.0)], d("2024-07-01")).target_met,
            Some(true)
        );
        let none = standing(&nev(), &vals, d("2024-01-01"));
        assert_eq!(
            (none.latest, none.change, none.target_met),
            (None, None, None)
        );
    }

    #[test]
    fn lower_is_better_for_a_down_indicator() {
        let mut i = nev();
        i.direction = Direction::Down;
        i.baseline = Some(Mark {
            value: 10.0,
            date: d("2023-12-31"),
        });
        i.target = Some(Mark {
            value: 8.0,
            date: d("2024-12-31"),
        });
        let s = standing(&i, &[v("2024-06-30", 8.5)], d("2024-06-30"));
        assert!((s.toward_target.unwrap() - 0.75).abs() < 1e-12);
        assert_eq!(s.target_met, Some(false));
        assert_eq!(
            standing(&i, &[v("2024-06-30", 7.9)], d("2024-06-30")).target_met,
            Some(true)
        );
        // Moving the wrong way is below 0.
        assert!(
            standing(&i, &[v("2024-06-30", 11.0)], d("2024-06-30"))
                .toward_target
                .unwrap()
                < 0.0
        );
    }

    #[test]
    fn values_without_their_source_are_refused() {
        let mut x = v("2024-06-30", 1.0);
        assert_eq!(check_value(&nev(), &x), Ok(()));
        x.source = Source::Entered {
            by: "".into(),
            evidence: "e".into(),
        };
        assert!(matches!(
            check_value(&nev(), &x),
            Err(IndicatorError::Missing { field: "by", .. })
        ));
        x.source = Source::Computed {
            engine: "air".into(),
            query: " ".into(),
        };
        assert!(matches!(
            check_value(&nev(), &x),
            Err(IndicatorError::Missing { field: "query", .. })
        ));
        let y = v("2024-06-30", f64::INFINITY);
        assert!(matches!(
            check_value(&nev(), &y),
            Err(IndicatorError::NotFinite { .. })
        ));
    }
}
