//! Time: Beijing local time and the hour conventions of the sources.
//!
//! China has one time zone, UTC+8, with no daylight saving since 1991, so a fixed offset is
//! exact for every year of data Lantian handles (no tz database is needed).
//!
//! An hourly value covers an interval of one hour. Sources label that interval differently:
//! - **hour-ending** (CNEMC, BJMEMC, and so the quotsoft `china_sites_*` / `beijing_*` files):
//!   "hour 8" is the mean over 07:00–08:00. HJ 633 real-time reports are stamped this way.
//! - **hour-beginning** (openair/AQEval, most European data): "08:00" is 08:00–09:00.
//!
//! Lantian stores every value with `time_end`, the instant (in UTC) at which its averaging
//! window ends. An hour-ending stamp maps to itself; an hour-beginning stamp maps to stamp + 1 h.
//! Moving means (8 h, 24 h) are stamped by the hour they end in, as CNEMC does.
//!
//! Decision on the UCI Beijing multi-site files (whose documentation does not say): their
//! `year,month,day,hour` equal the BJMEMC stamps. Evidence: for 东四 (UCI "Dongsi"),
//! January–March 2015, the median absolute difference between UCI and the BJMEMC files is
//! 0.2 µg/m³ at offset 0 against 6.8 µg/m³ at ±1 h (2,057 hours compared). So UCI is
//! hour-ending too.
//!
//! ## Grab samples and calendar periods
//! A grab sample (瞬时样, water and soil sampling) is stored at its sampling instant: its
//! window has no length, so `time_end` is the instant itself. A daily, monthly or annual value
//! covers a Beijing calendar period and is stored at the midnight (Beijing time) that ends it,
//! the same rule as the hour-ending stamps: the day 2024-05-14 ends at
//! 2024-05-15T00:00+08:00 = 2024-05-14T16:00:00Z, and the year 2023 — an emitting unit's
//! compliance year — at 2024-01-01T00:00+08:00 = **2023-12-31T16:00:00Z**. Midnight UTC was
//! rejected: it would put a Chinese year's end at 08:00 local on 1 January, out of step with
//! the days and months (whose natural boundaries are Beijing midnights), and a period has one
//! `time_end` only, so a revision of an annual figure finds the stored one. [`CalendarPeriod`]
//! converts between periods, their labels (`2023`, `2024-05`, `2024-05-14`) and `time_end`.

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc,
};
use std::fmt;

/// UTC+8, China Standard Time.
pub fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// How a source labels an hourly interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeConvention {
    /// The stamp is the end of the hour (CNEMC, BJMEMC).
    HourEnding,
    /// The stamp is the start of the hour (openair, AQEval).
    HourBeginning,
}

impl TimeConvention {
    pub fn code(self) -> &'static str {
        match self {
            TimeConvention::HourEnding => "hour-ending",
            TimeConvention::HourBeginning => "hour-beginning",
        }
    }
}

/// Convert a local stamp `(date, hour)` of a source to the end of the hour in UTC.
///
/// `hour` may be 0..=24 (some sources write the last hour of a day as 24:00).
pub fn beijing_hour(
    year: i32,
    month: u32,
    day: u32,
    hour: u32,
    convention: TimeConvention,
) -> Option<DateTime<Utc>> {
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    local_to_time_end(date, hour, beijing(), convention)
}

/// Convert a local `(date, hour)` at a fixed `offset` to the UTC end of the hour.
pub fn local_to_time_end(
    date: NaiveDate,
    hour: u32,
    offset: FixedOffset,
    convention: TimeConvention,
) -> Option<DateTime<Utc>> {
    if hour > 24 {
        return None;
    }
    let naive = date.and_hms_opt(0, 0, 0)? + Duration::hours(i64::from(hour));
    naive_to_time_end(naive, offset, convention)
}

/// Convert a local naive stamp at a fixed `offset` to the UTC end of the hour.
pub fn naive_to_time_end(
    naive: NaiveDateTime,
    offset: FixedOffset,
    convention: TimeConvention,
) -> Option<DateTime<Utc>> {
    let local = offset.from_local_datetime(&naive).single()?;
    let end = match convention {
        TimeConvention::HourEnding => local,
        TimeConvention::HourBeginning => local + Duration::hours(1),
    };
    Some(end.with_timezone(&Utc))
}

/// A stored `time_end` shown in Beijing local time.
pub fn to_beijing(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&beijing())
}

/// The Beijing-local (date, hour) that an hour-ending source would write for `time_end`.
pub fn hour_ending_stamp(time_end: DateTime<Utc>) -> (NaiveDate, u32) {
    let local = to_beijing(time_end);
    (local.date_naive(), local.hour())
}

/// The length of a calendar period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CalendarUnit {
    Day,
    Month,
    Year,
}

impl CalendarUnit {
    /// The label form the period is written in: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub fn label_form(self) -> &'static str {
        match self {
            CalendarUnit::Day => "YYYY-MM-DD",
            CalendarUnit::Month => "YYYY-MM",
            CalendarUnit::Year => "YYYY",
        }
    }
}

/// A Beijing calendar day, month or year: the window of a daily, monthly or annual value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CalendarPeriod {
    Day(NaiveDate),
    Month { year: i32, month: u32 },
    Year(i32),
}

impl CalendarPeriod {
    /// The first Beijing-local day after the period.
    fn next_first_day(self) -> Option<NaiveDate> {
        match self {
            CalendarPeriod::Day(d) => d.succ_opt(),
            CalendarPeriod::Month { year, month } => {
                let (y, m) = if month == 12 {
                    (year.checked_add(1)?, 1)
                } else {
                    (year, month + 1)
                };
                NaiveDate::from_ymd_opt(y, m, 1)
            }
            CalendarPeriod::Year(y) => NaiveDate::from_ymd_opt(y.checked_add(1)?, 1, 1),
        }
    }

    /// The end of the period: the Beijing midnight that follows it, in UTC.
    pub fn time_end(self) -> Option<DateTime<Utc>> {
        if let CalendarPeriod::Month { month, .. } = self
            && !(1..=12).contains(&month)
        {
            return None;
        }
        let first = self.next_first_day()?;
        naive_to_time_end(
            first.and_hms_opt(0, 0, 0)?,
            beijing(),
            TimeConvention::HourEnding,
        )
    }

    /// The period of length `unit` that ends exactly at `time_end`, if one does (a Beijing
    /// midnight; the first of a month for a month; 1 January for a year).
    pub fn ending_at(unit: CalendarUnit, time_end: DateTime<Utc>) -> Option<CalendarPeriod> {
        let local = to_beijing(time_end);
        if local.time() != chrono::NaiveTime::MIN || local.nanosecond() != 0 {
            return None;
        }
        let last_day = local.date_naive().pred_opt()?;
        let p = match unit {
            CalendarUnit::Day => CalendarPeriod::Day(last_day),
            CalendarUnit::Month if local.day() == 1 => CalendarPeriod::Month {
                year: last_day.year(),
                month: last_day.month(),
            },
            CalendarUnit::Year if local.day() == 1 && local.month() == 1 => {
                CalendarPeriod::Year(last_day.year())
            }
            _ => return None,
        };
        Some(p)
    }

    /// Read a label of the form of `unit`: `2024-05-14`, `2024-05` or `2023`.
    pub fn parse_label(unit: CalendarUnit, label: &str) -> Option<CalendarPeriod> {
        let t = label.trim();
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        match unit {
            CalendarUnit::Day => NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .ok()
                .filter(|_| t.len() == 10)
                .map(CalendarPeriod::Day),
            CalendarUnit::Month => {
                let (y, m) = t.split_once('-')?;
                if !digits(y, 4) || !digits(m, 2) {
                    return None;
                }
                let (year, month) = (y.parse().ok()?, m.parse().ok()?);
                (1..=12)
                    .contains(&month)
                    .then_some(CalendarPeriod::Month { year, month })
            }
            CalendarUnit::Year => digits(t, 4).then(|| t.parse().ok().map(CalendarPeriod::Year))?,
        }
    }
}

impl fmt::Display for CalendarPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CalendarPeriod::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            CalendarPeriod::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            CalendarPeriod::Year(y) => write!(f, "{y:04}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hour_ending_and_beginning_differ_by_one_hour() {
        let e = beijing_hour(2023, 6, 1, 8, TimeConvention::HourEnding).unwrap();
        let b = beijing_hour(2023, 6, 1, 7, TimeConvention::HourBeginning).unwrap();
        assert_eq!(e, b);
        assert_eq!(e.to_rfc3339(), "2023-06-01T00:00:00+00:00");
    }

    #[test]
    fn hour_24_is_midnight_of_next_day() {
        let a = beijing_hour(2023, 12, 31, 24, TimeConvention::HourEnding).unwrap();
        let b = beijing_hour(2024, 1, 1, 0, TimeConvention::HourEnding).unwrap();
        assert_eq!(a, b);
        assert!(beijing_hour(2023, 12, 31, 25, TimeConvention::HourEnding).is_none());
        assert!(beijing_hour(2023, 2, 29, 1, TimeConvention::HourEnding).is_none());
    }

    #[test]
    fn a_compliance_year_ends_at_beijing_midnight_of_new_year() {
        let y = CalendarPeriod::Year(2023);
        let end = y.time_end().unwrap();
        assert_eq!(end.to_rfc3339(), "2023-12-31T16:00:00+00:00");
        assert_eq!(CalendarPeriod::ending_at(CalendarUnit::Year, end), Some(y));
        assert_eq!(
            CalendarPeriod::parse_label(CalendarUnit::Year, "2023"),
            Some(y)
        );
        assert_eq!(y.to_string(), "2023");
        // One microsecond off, or the end of the UTC year, is not the end of a Chinese year.
        let off = end + Duration::microseconds(1);
        assert_eq!(CalendarPeriod::ending_at(CalendarUnit::Year, off), None);
        let utc_new_year = DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            CalendarPeriod::ending_at(CalendarUnit::Year, utc_new_year),
            None
        );
        // The end of a year is also the end of its December and of its 31 December.
        assert_eq!(
            CalendarPeriod::ending_at(CalendarUnit::Month, end),
            Some(CalendarPeriod::Month {
                year: 2023,
                month: 12
            })
        );
        assert_eq!(
            CalendarPeriod::ending_at(CalendarUnit::Day, end),
            Some(CalendarPeriod::Day(
                NaiveDate::from_ymd_opt(2023, 12, 31).unwrap()
            ))
        );
    }

    #[test]
    fn days_and_months_end_at_beijing_midnight() {
        let d = CalendarPeriod::parse_label(CalendarUnit::Day, "2024-02-29").unwrap();
        assert_eq!(
            d.time_end().unwrap().to_rfc3339(),
            "2024-02-29T16:00:00+00:00"
        );
        let m = CalendarPeriod::parse_label(CalendarUnit::Month, "2024-02").unwrap();
        assert_eq!(
            m.time_end().unwrap().to_rfc3339(),
            "2024-02-29T16:00:00+00:00"
        );
        assert_eq!(m.to_string(), "2024-02");
        // The middle of a month ends a day, not a month.
        let mid = d.time_end().unwrap() - Duration::days(10);
        assert!(CalendarPeriod::ending_at(CalendarUnit::Day, mid).is_some());
        assert_eq!(CalendarPeriod::ending_at(CalendarUnit::Month, mid), None);
        for bad in ["2024-2", "2024-13", "24-02", "2024-02-30", "2024/02"] {
            assert_eq!(
                CalendarPeriod::parse_label(CalendarUnit::Month, bad),
                None,
                "{bad}"
            );
        }
        assert_eq!(
            CalendarPeriod::parse_label(CalendarUnit::Day, "2023-02-29"),
            None
        );
        assert_eq!(CalendarPeriod::parse_label(CalendarUnit::Year, "23"), None);
        assert_eq!(
            CalendarPeriod::Month {
                year: 2024,
                month: 13
            }
            .time_end(),
            None
        );
    }

    #[test]
    fn stamp_round_trips() {
        let t = beijing_hour(2016, 2, 29, 23, TimeConvention::HourEnding).unwrap();
        assert_eq!(
            hour_ending_stamp(t),
            (NaiveDate::from_ymd_opt(2016, 2, 29).unwrap(), 23)
        );
    }
}
