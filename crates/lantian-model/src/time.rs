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

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};

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
    use chrono::Timelike;
    let local = to_beijing(time_end);
    (local.date_naive(), local.hour())
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
    fn stamp_round_trips() {
        let t = beijing_hour(2016, 2, 29, 23, TimeConvention::HourEnding).unwrap();
        assert_eq!(
            hour_ending_stamp(t),
            (NaiveDate::from_ymd_opt(2016, 2, 29).unwrap(), 23)
        );
    }
}
