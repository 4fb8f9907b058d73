//! Sand-dust deduction (扣沙).
//!
//! MEE's supplementary rule for cities affected by sand-dust weather (《受沙尘天气过程影响城市
//! 空气质量评价补充规定》, 环办监测〔2016〕120号; number UNCONFIRMED, see `shared/standards`
//! §3g) lets the PM10 and PM2.5 of days that CNEMC confirms as dust-affected be left out of a
//! city's assessment. Official releases give figures with and without the deduction, so Lantian
//! always computes both.
//!
//! **Treatment** ([`deduct`]): the rule's cover letter says particulate data of dust periods are
//! deducted at data review, from 2017-01-01, for assessment and ranking; CNEMC's monthly reports
//! state that PM10/PM2.5 concentrations are dust-deducted while the excellent-and-good and heavy
//! day ratios keep the dust days. Beijing's releases agree: 2023 "优良天数271天, 优良天数比率74.2%"
//! is 271 / 365 (271 / 335 would be 80.9 % with the 30 dust-hit days out), and "重污染8天(含6天
//! 沙尘)" counts dust days. So an official figure uses [`Treatment::DropPm`] for concentrations
//! (the day's PM10 and PM2.5 removed, other pollutants kept) and no deduction for day counts;
//! [`Treatment::DropDay`] gives the day counts with the dust days left out, as MEE's
//! "扣除沙尘异常超标天" ratios do.
//!
//! **Official list** ([`DustDays::parse`]): a plain text file, one date (`2023-03-22`) or range
//! (`2023-04-10..2023-04-12`) per line, `#` starts a comment, anything after the date separated by
//! a comma, tab or space is a note. Errors name the file, the line and the field.
//!
//! **Detection when there is no list** ([`detect`]): the official identification (CNEMC, with
//! satellite and weather data) is not reproducible from station data alone, so Lantian offers a
//! documented proxy from the two properties that distinguish mineral dust from combustion haze
//! in the literature: dust is coarse (PM2.5/PM10 typically 0.1–0.35 in dust, above 0.5 in haze)
//! and it raises PM10 far above its usual level. A day of an area is flagged when
//!
//! - its daily PM10 exceeds the GB 3095—2012 24-h class II limit, **150 µg/m³** (PM10 IAQI > 100:
//!   the dust would, by itself, make the day not good), and
//! - its daily PM2.5/PM10 ratio is at most **0.35**.
//!
//! These thresholds were fixed before looking at Beijing's figures; `docs/assessment.md` checks
//! the rule against the dust events of spring 2023 reported by the national and Beijing
//! meteorological services. A day on which dust arrives late (few dusty hours) can escape the
//! rule; a list, where one exists, is always preferred.

use crate::stats::DayValues;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The first date the deduction applies to. The rule's cover letter (环办监测〔2016〕120号): in
/// force from 2017-01-01, and "2017年考核时依据本规定剔除2016年相关省、区、市的沙尘影响", i.e. the
/// 2016 assessment was already dust-deducted. Before 2016 official figures were not, so
/// [`detect`] finds no dust day before this date (a list given by the user is always honoured).
pub const RULE_FIRST_DATE: NaiveDate = NaiveDate::from_ymd_opt(2016, 1, 1).expect("a date");

/// PM10 daily mean above which a coarse day counts as dust (GB 3095—2012 24-h class II limit).
pub const DETECT_PM10_ABOVE: f64 = 150.0;
/// Largest PM2.5/PM10 daily ratio of a dust day.
pub const DETECT_RATIO_AT_MOST: f64 = 0.35;

/// What a dust day loses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Treatment {
    /// PM10 and PM2.5 removed; the day stays with its other pollutants (concentrations).
    DropPm,
    /// The whole day removed (day counts "扣除沙尘天").
    DropDay,
}

/// Where a set of dust days came from.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DustSource {
    /// An official (or user) list, with its file name.
    List(String),
    /// [`detect`]'s rule.
    Detected,
}

/// A set of dust-affected dates.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DustDays {
    pub source: DustSource,
    pub dates: BTreeSet<NaiveDate>,
}

/// A dust list that cannot be read, with its place.
#[derive(Debug, thiserror::Error)]
pub enum DustListError {
    #[error("{file}: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
    #[error("{file}, line {line}, field `date`: {message}")]
    Line {
        file: String,
        line: usize,
        message: String,
    },
}

impl DustDays {
    /// Read a list file.
    pub fn read(path: &Path) -> Result<DustDays, DustListError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| DustListError::Io {
            file: file.clone(),
            source,
        })?;
        DustDays::parse(&file, &text)
    }

    /// Parse a list (`file` names it in errors).
    pub fn parse(file: &str, text: &str) -> Result<DustDays, DustListError> {
        let mut dates = BTreeSet::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let content = raw.split('#').next().unwrap_or("").trim();
            let content = content.trim_start_matches('\u{feff}');
            if content.is_empty() {
                continue;
            }
            let field = content.split([',', '\t', ' ']).next().unwrap_or("");
            if line == 1 && field.eq_ignore_ascii_case("date") {
                continue; // a CSV header
            }
            let err = |message: String| DustListError::Line {
                file: file.to_string(),
                line,
                message,
            };
            let date = |s: &str| {
                NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map_err(|e| err(format!("'{s}' is not a date YYYY-MM-DD ({e})")))
            };
            let (first, last) = match field.split_once("..") {
                Some((a, b)) => (date(a)?, date(b)?),
                None => {
                    let d = date(field)?;
                    (d, d)
                }
            };
            if last < first {
                return Err(err(format!("range '{field}' ends before it starts")));
            }
            dates.extend(first.iter_days().take_while(|d| *d <= last));
        }
        Ok(DustDays {
            source: DustSource::List(file.to_string()),
            dates,
        })
    }
}

/// Whether one area day looks like a dust day by the documented proxy rule.
pub fn is_dust_day(v: &DayValues) -> bool {
    match (v.pm10, v.pm25) {
        (Some(pm10), Some(pm25)) => pm10 > DETECT_PM10_ABOVE && pm25 / pm10 <= DETECT_RATIO_AT_MOST,
        _ => false,
    }
}

/// The dust days of an area's daily values by the proxy rule, from [`RULE_FIRST_DATE`] on.
pub fn detect(daily: &BTreeMap<NaiveDate, DayValues>) -> DustDays {
    DustDays {
        source: DustSource::Detected,
        dates: daily
            .range(RULE_FIRST_DATE..)
            .filter(|(_, v)| is_dust_day(v))
            .map(|(d, _)| *d)
            .collect(),
    }
}

/// `daily` with the dust days deducted.
pub fn deduct(
    daily: &BTreeMap<NaiveDate, DayValues>,
    dust: &BTreeSet<NaiveDate>,
    treatment: Treatment,
) -> BTreeMap<NaiveDate, DayValues> {
    daily
        .iter()
        .filter(|(d, _)| treatment == Treatment::DropPm || !dust.contains(*d))
        .map(|(d, v)| {
            let mut v = *v;
            if dust.contains(d) {
                v.pm10 = None;
                v.pm25 = None;
            }
            (*d, v)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, k: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2023, m, k).unwrap()
    }

    #[test]
    fn list_file_dates_ranges_comments_and_header() {
        let text = "date,note\n# spring 2023\n2023-03-22, strong dust\n\n2023-04-10..2023-04-12\t# range\n";
        let l = DustDays::parse("dust.csv", text).unwrap();
        let want: BTreeSet<_> = [d(3, 22), d(4, 10), d(4, 11), d(4, 12)].into();
        assert_eq!(l.dates, want);
        assert_eq!(l.source, DustSource::List("dust.csv".into()));
    }

    #[test]
    fn list_errors_name_file_line_and_field() {
        let e = DustDays::parse("dust.txt", "2023-03-22\n2023-3-x\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("dust.txt, line 2, field `date`: '2023-3-x'"),
            "{e}"
        );
        let e = DustDays::parse("d", "2023-04-12..2023-04-10").unwrap_err();
        assert!(e.to_string().contains("line 1") && e.to_string().contains("ends before"));
    }

    #[test]
    fn detection_boundaries() {
        let day = |pm10, pm25| DayValues {
            pm10: Some(pm10),
            pm25: Some(pm25),
            ..Default::default()
        };
        // PM10 must exceed 150: 150 itself is not dust, 151 is (ratio 0.2).
        assert!(!is_dust_day(&day(150.0, 30.0)));
        assert!(is_dust_day(&day(151.0, 30.2)));
        // Ratio at most 0.35: 70/200 = 0.35 is dust, 71/200 = 0.355 is not (haze-like).
        assert!(is_dust_day(&day(200.0, 70.0)));
        assert!(!is_dust_day(&day(200.0, 71.0)));
        // Without PM2.5 the ratio is unknown: not flagged.
        let no_pm25 = DayValues {
            pm10: Some(800.0),
            ..Default::default()
        };
        assert!(!is_dust_day(&no_pm25));
    }

    #[test]
    fn deduction_keeps_the_day_or_drops_it() {
        let mut daily = BTreeMap::new();
        let v = DayValues {
            pm10: Some(400.0),
            pm25: Some(60.0),
            no2: Some(20.0),
            ..Default::default()
        };
        daily.insert(d(3, 22), v);
        daily.insert(d(3, 23), v);
        let dust: BTreeSet<_> = [d(3, 22)].into();
        let pm = deduct(&daily, &dust, Treatment::DropPm);
        assert_eq!(pm.len(), 2);
        assert_eq!((pm[&d(3, 22)].pm10, pm[&d(3, 22)].pm25), (None, None));
        assert_eq!(pm[&d(3, 22)].no2, Some(20.0));
        assert_eq!(pm[&d(3, 23)], v);
        let day = deduct(&daily, &dust, Treatment::DropDay);
        assert_eq!(day.keys().copied().collect::<Vec<_>>(), vec![d(3, 23)]);
        assert_eq!(detect(&daily).dates.len(), 2);
        // Before the rule (2016) no day is detected.
        let mut old = BTreeMap::new();
        old.insert(NaiveDate::from_ymd_opt(2015, 4, 15).unwrap(), v);
        assert!(detect(&old).dates.is_empty());
    }
}
