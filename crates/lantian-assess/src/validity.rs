//! Data-validity rules of GB 3095 (Table 4 of both the 2012 and 2026 editions; the 2012 table is
//! believed identical — UNCONFIRMED in the standards notes, no difference has shown in the data).
//!
//! | statistic | minimum |
//! |---|---|
//! | daily mean (SO2, NO2, CO, PM10, PM2.5) | 20 hourly values |
//! | 8-h O3 mean | 6 hourly values in the window |
//! | annual statistics | 324 daily values, and 27 in each month (25 in February) |
//!
//! Every period statistic carries a [`Completeness`]: how many valid days it rests on, how many
//! the period has, and whether the rule holds; a statistic that fails is still computed and
//! shown, marked, never silently dropped.

use crate::period::{Period, PeriodKind};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

pub use lantian_aqi::moving::{DAILY_MIN_HOURS, O3_8H_MIN_HOURS};

/// GB 3095 Table 4: an annual statistic needs this many daily values.
pub const ANNUAL_MIN_DAYS: usize = 324;
/// …and this many in each month…
pub const MONTH_MIN_DAYS: usize = 27;
/// …except February.
pub const FEBRUARY_MIN_DAYS: usize = 25;

/// The minimum of valid days for calendar month `month`.
pub fn month_min_days(month: u32) -> usize {
    if month == 2 {
        FEBRUARY_MIN_DAYS
    } else {
        MONTH_MIN_DAYS
    }
}

/// How complete a period statistic is.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Completeness {
    /// Days with a valid daily value.
    pub valid: usize,
    /// Valid days set aside by the sand-dust deduction: they count towards the minimums (the data
    /// exist and are valid; the rule, not the monitoring, leaves them out).
    pub excluded: usize,
    /// Days in the period.
    pub expected: usize,
    /// Whether GB 3095 Table 4 holds: every whole calendar month of the period has 27 valid days
    /// (25 in February) and a year has 324. A trailing part-month (a year-to-date period ending
    /// on the 4th) has no minimum of its own.
    pub meets_rule: bool,
    /// Whole months that fail, as "2023-02: 24 < 25".
    pub failing: Vec<String>,
}

impl Completeness {
    /// Share of the period's days that are valid.
    pub fn ratio(&self) -> f64 {
        if self.expected == 0 {
            0.0
        } else {
            self.valid as f64 / self.expected as f64
        }
    }
}

/// The completeness of a statistic over `period` resting on the days in `valid`.
pub fn completeness<'a>(
    period: &Period,
    valid: impl IntoIterator<Item = &'a NaiveDate>,
) -> Completeness {
    completeness_with_excluded(period, valid, [])
}

/// [`completeness`] where `excluded` valid days were set aside by the sand-dust deduction.
pub fn completeness_with_excluded<'a>(
    period: &Period,
    valid: impl IntoIterator<Item = &'a NaiveDate>,
    excluded: impl IntoIterator<Item = &'a NaiveDate>,
) -> Completeness {
    let mut per_month: BTreeMap<(i32, u32), usize> = BTreeMap::new();
    let mut n = 0;
    for d in valid.into_iter().filter(|d| period.contains(**d)) {
        *per_month.entry((d.year(), d.month())).or_default() += 1;
        n += 1;
    }
    let mut n_excluded = 0;
    for d in excluded.into_iter().filter(|d| period.contains(**d)) {
        *per_month.entry((d.year(), d.month())).or_default() += 1;
        n_excluded += 1;
    }
    let valid_days = n;
    let n = n + n_excluded;
    let mut failing = Vec::new();
    // Whole calendar months inside the period.
    let mut month = NaiveDate::from_ymd_opt(period.first.year(), period.first.month(), 1);
    while let Some(first) = month {
        if first > period.last {
            break;
        }
        let next = if first.month() == 12 {
            NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
        };
        let last = next.and_then(|d| d.pred_opt()).unwrap_or(first);
        if first >= period.first && last <= period.last {
            let k = per_month
                .get(&(first.year(), first.month()))
                .copied()
                .unwrap_or(0);
            let min = month_min_days(first.month());
            if k < min {
                failing.push(format!("{}: {k} < {min}", first.format("%Y-%m")));
            }
        }
        month = next;
    }
    if period.kind == PeriodKind::Year && n < ANNUAL_MIN_DAYS {
        failing.push(format!("{}: {n} < {ANNUAL_MIN_DAYS}", period.first.year()));
    }
    Completeness {
        valid: valid_days,
        excluded: n_excluded,
        expected: period.days(),
        meets_rule: failing.is_empty(),
        failing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(p: &Period, skip: impl Fn(NaiveDate) -> bool) -> Vec<NaiveDate> {
        p.dates().filter(|d| !skip(*d)).collect()
    }

    #[test]
    fn february_needs_25_other_months_27() {
        let feb = Period::parse("2023-02").unwrap();
        let ok = days(&feb, |d| d.day() > 25); // 25 days
        assert!(completeness(&feb, &ok).meets_rule);
        let short = days(&feb, |d| d.day() > 24); // 24 days
        let c = completeness(&feb, &short);
        assert_eq!((c.valid, c.expected, c.meets_rule), (24, 28, false));
        assert_eq!(c.failing, vec!["2023-02: 24 < 25"]);
        let mar = Period::parse("2023-03").unwrap();
        assert!(completeness(&mar, &days(&mar, |d| d.day() > 27)).meets_rule);
        assert!(!completeness(&mar, &days(&mar, |d| d.day() > 26)).meets_rule);
    }

    #[test]
    fn a_year_needs_324_days() {
        let y = Period::parse("2023").unwrap();
        // 25 days in February, 27 in eight months, 28 in three: 325 days, every month passes.
        let keep = |d: NaiveDate| {
            d.day()
                <= if d.month() == 2 {
                    25
                } else if d.month() <= 9 {
                    27
                } else {
                    28
                }
        };
        let v = days(&y, |d| !keep(d));
        assert_eq!(v.len(), 25 + 8 * 27 + 3 * 28);
        let c = completeness(&y, &v);
        assert_eq!((c.valid, c.meets_rule), (325, true));
        // 324 passes; removing one December day (still 27 in December) fails on the year alone.
        let keep2 = |d: NaiveDate| {
            d.day()
                <= if d.month() == 2 {
                    25
                } else if d.month() <= 10 {
                    27
                } else {
                    28
                }
        };
        let v2 = days(&y, |d| !keep2(d));
        let c2 = completeness(&y, &v2);
        assert_eq!((c2.valid, c2.meets_rule), (324, true));
        let v3: Vec<NaiveDate> = v2
            .into_iter()
            .filter(|d| *d != NaiveDate::from_ymd_opt(2023, 12, 28).unwrap())
            .collect();
        let c3 = completeness(&y, &v3);
        assert_eq!((c3.valid, c3.meets_rule), (323, false));
        assert_eq!(c3.failing, vec!["2023: 323 < 324"]);
    }

    #[test]
    fn a_part_month_has_no_minimum() {
        let ytd = Period::parse("2024-YTD-06-04").unwrap();
        let v = days(&ytd, |d| d.month() == 6); // nothing in June 1–4
        let c = completeness(&ytd, &v);
        assert!(c.meets_rule, "{:?}", c.failing);
        assert_eq!((c.valid, c.expected), (152, 156));
    }
}
