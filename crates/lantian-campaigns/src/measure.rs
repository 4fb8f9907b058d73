//! A measure of the plan (重点任务): who leads it, when it runs, the milestones its work is
//! weighed by, and the dated progress reported on them.
//!
//! A measure's work is its milestones, each with a weight (the plan's judgement of its share of
//! the work; equal weights when the plan gives none). Progress is reported as updates: on a date,
//! a milestone (or the measure as a whole, for a measure with one milestone) is so many percent
//! done, with the evidence. Updates are appended, never overwritten: the share done on any date is
//! the latest report on or before it ([`crate::progress`]).
//!
//! An update is refused when it names no known measure or milestone, gives a share outside
//! 0–100 %, has no evidence or reporter, or is dated before the measure's start (work reported
//! before the measure began is a date error, not early progress).

use crate::campaign::Campaign;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What a measure is meant to move, for "did the measure work?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum Target {
    /// An air pollutant of the store (`PM10`, `O3`, `NO2` …).
    Pollutant(String),
    /// An indicator of the plan's registry, by id.
    Indicator(String),
}

/// One weighed part of a measure's work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Milestone {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    /// The share of the measure's work, relative to the other milestones' (need not sum to 1).
    pub weight: f64,
    /// When the plan wants it done. Where every milestone of a measure has one, the work
    /// expected by a date is the weight of the milestones due by then; otherwise it is the
    /// share of the measure's time elapsed.
    pub due: Option<NaiveDate>,
}

/// A measure of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    pub id: String,
    pub campaign: Campaign,
    pub title_zh: String,
    pub title_en: String,
    /// The lead unit (牵头单位).
    pub lead: String,
    /// The partner units (配合单位).
    pub partners: Vec<String>,
    pub start: NaiveDate,
    pub deadline: NaiveDate,
    pub milestones: Vec<Milestone>,
    /// The pollutant or indicator the measure is meant to move, if the plan says.
    pub target: Option<Target>,
    /// Where the plan states it (document, article).
    pub source: String,
}

impl Measure {
    /// The milestone of `id`.
    pub fn milestone(&self, id: &str) -> Option<&Milestone> {
        self.milestones.iter().find(|m| m.id == id)
    }

    /// Days from the start through the deadline, both counted.
    pub fn days(&self) -> i64 {
        (self.deadline - self.start).num_days() + 1
    }
}

/// A progress report: on `date`, `milestone` of `measure` is `percent` done.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Update {
    pub measure: String,
    pub milestone: String,
    pub date: NaiveDate,
    /// 0–100.
    pub percent: f64,
    /// What shows it (a document, an acceptance record, a count).
    pub evidence: String,
    /// Who reported it.
    pub by: String,
}

/// Why a measure or an update is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MeasureError {
    #[error("measure {measure}: the deadline {deadline} is before the start {start}")]
    DeadlineBeforeStart {
        measure: String,
        start: NaiveDate,
        deadline: NaiveDate,
    },
    #[error(
        "measure {measure}: no milestones (a measure's work is its milestones; give at least one)"
    )]
    NoMilestones { measure: String },
    #[error(
        "measure {measure}, milestone {milestone}: the weight {weight} is not a positive number"
    )]
    Weight {
        measure: String,
        milestone: String,
        weight: f64,
    },
    #[error("measure {measure}: milestone {milestone} is given twice")]
    DuplicateMilestone { measure: String, milestone: String },
    #[error(
        "measure {measure}, milestone {milestone}: due {due}, outside the measure's {start} to {deadline}"
    )]
    DueOutside {
        measure: String,
        milestone: String,
        due: NaiveDate,
        start: NaiveDate,
        deadline: NaiveDate,
    },
    #[error("measure {measure} is given twice")]
    DuplicateMeasure { measure: String },
    #[error("an update names measure {measure:?}, which the plan does not have")]
    UnknownMeasure { measure: String },
    #[error(
        "an update of measure {measure} names milestone {milestone:?}; its milestones are {known}"
    )]
    UnknownMilestone {
        measure: String,
        milestone: String,
        known: String,
    },
    #[error("measure {measure}: an update dated {date} is before the measure's start, {start}")]
    BeforeStart {
        measure: String,
        date: NaiveDate,
        start: NaiveDate,
    },
    #[error(
        "measure {measure}, milestone {milestone}, {date}: {percent} is not a share of work (0 to 100 %)"
    )]
    Percent {
        measure: String,
        milestone: String,
        date: NaiveDate,
        percent: f64,
    },
    #[error(
        "measure {measure}, {date}: the update has no {field} (every report needs its evidence and who made it)"
    )]
    Missing {
        measure: String,
        date: NaiveDate,
        field: &'static str,
    },
}

/// Checks a measure on its own: dates in order, milestones present, weights positive, ids
/// unique, due dates inside the measure's time.
pub fn check_measure(m: &Measure) -> Result<(), MeasureError> {
    if m.deadline < m.start {
        return Err(MeasureError::DeadlineBeforeStart {
            measure: m.id.clone(),
            start: m.start,
            deadline: m.deadline,
        });
    }
    if m.milestones.is_empty() {
        return Err(MeasureError::NoMilestones {
            measure: m.id.clone(),
        });
    }
    for (i, ms) in m.milestones.iter().enumerate() {
        if !(ms.weight.is_finite() && ms.weight > 0.0) {
            return Err(MeasureError::Weight {
                measure: m.id.clone(),
                milestone: ms.id.clone(),
                weight: ms.weight,
            });
        }
        if m.milestones[..i].iter().any(|o| o.id == ms.id) {
            return Err(MeasureError::DuplicateMilestone {
                measure: m.id.clone(),
                milestone: ms.id.clone(),
            });
        }
        if let Some(due) = ms.due
            && (due < m.start || due > m.deadline)
        {
            return Err(MeasureError::DueOutside {
                measure: m.id.clone(),
                milestone: ms.id.clone(),
                due,
                start: m.start,
                deadline: m.deadline,
            });
        }
    }
    Ok(())
}

/// Checks an update against its measure.
pub fn check_update(m: &Measure, u: &Update) -> Result<(), MeasureError> {
    if m.milestone(&u.milestone).is_none() {
        return Err(MeasureError::UnknownMilestone {
            measure: m.id.clone(),
            milestone: u.milestone.clone(),
            known: m
                .milestones
                .iter()
                .map(|x| x.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    if u.date < m.start {
        return Err(MeasureError::BeforeStart {
            measure: m.id.clone(),
            date: u.date,
            start: m.start,
        });
    }
    if !(u.percent.is_finite() && (0.0..=100.0).contains(&u.percent)) {
        return Err(MeasureError::Percent {
            measure: m.id.clone(),
            milestone: u.milestone.clone(),
            date: u.date,
            percent: u.percent,
        });
    }
    for (field, v) in [("evidence", &u.evidence), ("reporter (by)", &u.by)] {
        if v.trim().is_empty() {
            return Err(MeasureError::Missing {
                measure: m.id.clone(),
                date: u.date,
                field,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    pub fn milestone(id: &str, weight: f64, due: Option<&str>) -> Milestone {
        Milestone {
            id: id.into(),
            name_zh: id.into(),
            name_en: id.into(),
            weight,
            due: due.map(d),
        }
    }

    pub fn measure(id: &str, start: &str, deadline: &str, ms: Vec<Milestone>) -> Measure {
        Measure {
            id: id.into(),
            campaign: Campaign::BlueSky,
            title_zh: id.into(),
            title_en: id.into(),
            lead: "市生态环境局".into(),
            partners: vec![],
            start: d(start),
            deadline: d(deadline),
            milestones: ms,
            target: None,
            source: "test".into(),
        }
    }

    pub fn update(m: &str, ms: &str, date: &str, percent: f64) -> Update {
        Update {
            measure: m.into(),
            milestone: ms.into(),
            date: d(date),
            percent,
            evidence: "doc".into(),
            by: "unit".into(),
        }
    }

    #[test]
    fn an_update_before_the_start_is_refused() {
        let m = measure(
            "M1",
            "2024-03-01",
            "2024-12-31",
            vec![milestone("a", 1.0, None)],
        );
        assert_eq!(
            check_update(&m, &update("M1", "a", "2024-02-29", 10.0)),
            Err(MeasureError::BeforeStart {
                measure: "M1".into(),
                date: d("2024-02-29"),
                start: d("2024-03-01")
            })
        );
        assert_eq!(
            check_update(&m, &update("M1", "a", "2024-03-01", 10.0)),
            Ok(())
        );
        let e = check_update(&m, &update("M1", "a", "2024-02-29", 10.0)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "measure M1: an update dated 2024-02-29 is before the measure's start, 2024-03-01"
        );
    }

    #[test]
    fn shares_outside_0_100_unknown_milestones_and_missing_evidence_are_refused() {
        let m = measure(
            "M1",
            "2024-01-01",
            "2024-12-31",
            vec![milestone("a", 1.0, None)],
        );
        for p in [-0.1, 100.01, f64::NAN] {
            assert!(matches!(
                check_update(&m, &update("M1", "a", "2024-05-01", p)),
                Err(MeasureError::Percent { .. })
            ));
        }
        assert_eq!(
            check_update(&m, &update("M1", "a", "2024-05-01", 100.0)),
            Ok(())
        );
        assert_eq!(
            check_update(&m, &update("M1", "a", "2024-05-01", 0.0)),
            Ok(())
        );
        assert!(matches!(
            check_update(&m, &update("M1", "b", "2024-05-01", 5.0)),
            Err(MeasureError::UnknownMilestone { .. })
        ));
        let mut u = update("M1", "a", "2024-05-01", 5.0);
        u.evidence = " ".into();
        assert!(matches!(
            check_update(&m, &u),
            Err(MeasureError::Missing {
                field: "evidence",
                ..
            })
        ));
    }

    #[test]
    fn a_measure_is_checked_on_its_own() {
        let ok = measure(
            "M1",
            "2024-01-01",
            "2024-12-31",
            vec![milestone("a", 1.0, Some("2024-06-30"))],
        );
        assert_eq!(check_measure(&ok), Ok(()));
        let back = measure(
            "M1",
            "2024-12-31",
            "2024-01-01",
            vec![milestone("a", 1.0, None)],
        );
        assert!(matches!(
            check_measure(&back),
            Err(MeasureError::DeadlineBeforeStart { .. })
        ));
        let none = measure("M1", "2024-01-01", "2024-12-31", vec![]);
        assert!(matches!(
            check_measure(&none),
            Err(MeasureError::NoMilestones { .. })
        ));
        let zero = measure(
            "M1",
            "2024-01-01",
            "2024-12-31",
            vec![milestone("a", 0.0, None)],
        );
        assert!(matches!(
            check_measure(&zero),
            Err(MeasureError::Weight { .. })
        ));
        let twice = measure(
            "M1",
            "2024-01-01",
            "2024-12-31",
            vec![milestone("a", 1.0, None), milestone("a", 1.0, None)],
        );
        assert!(matches!(
            check_measure(&twice),
            Err(MeasureError::DuplicateMilestone { .. })
        ));
        let late = measure(
            "M1",
            "2024-01-01",
            "2024-12-31",
            vec![milestone("a", 1.0, Some("2025-01-01"))],
        );
        assert!(matches!(
            check_measure(&late),
            Err(MeasureError::DueOutside { .. })
        ));
        // A one-day measure is a day long.
        assert_eq!(measure("M", "2024-01-01", "2024-01-01", vec![]).days(), 1);
        assert_eq!(measure("M", "2024-01-01", "2024-12-31", vec![]).days(), 366);
    }
}
