//! Days of a period by AQI category: excellent (优, AQI ≤ 50), good, … severely polluted; the
//! excellent-and-good ratio over valid days (优良天数比例); heavy-pollution days (AQI > 200); the
//! primary pollutants of the period. A valid day is a day with a daily AQI.

use crate::change::ratio_percent;
use crate::period::Period;
use crate::stats::DayValues;
use chrono::NaiveDate;
use lantian_aqi::{AqiError, AqiResult, Indicator, Report, Standard};
use std::collections::BTreeMap;

/// The daily AQI of one day's values under `standard` (HJ 633 daily report inputs).
pub fn daily_aqi(standard: Standard, v: &DayValues) -> Result<AqiResult, AqiError> {
    use Indicator::*;
    let mut candidates = vec![
        (So2_24h, v.so2),
        (No2_24h, v.no2),
        (Co_24h, v.co),
        (O3_8h, v.o3_mda8),
        (Pm10_24h, v.pm10),
        (Pm25_24h, v.pm25),
    ];
    if standard == Standard::Hj633_2012 {
        candidates.push((O3_1h, v.o3_max_1h));
    }
    let inputs: Vec<(Indicator, f64)> = candidates
        .into_iter()
        .filter_map(|(i, c)| c.map(|c| (i, c)))
        .collect();
    standard.compute(Report::Daily, &inputs)
}

/// Day counts of a period.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayCounts {
    /// Days in the period.
    pub days: usize,
    /// Days with a daily AQI.
    pub valid: usize,
    /// Days per category level 1..=6 (index 0 = 优).
    pub by_level: [usize; 6],
    /// Excellent + good.
    pub excellent_or_good: usize,
    /// excellent_or_good / valid, percent to one decimal.
    pub excellent_or_good_ratio: Option<f64>,
    /// AQI > 200 (heavily or severely polluted).
    pub heavy: usize,
    /// Days each pollutant was (co-)primary, by published name.
    pub primary: BTreeMap<String, usize>,
    /// Valid days whose AQI rests on fewer than the six daily values (a pollutant missing; HJ
    /// 633—2012 still rates the day on the others). Many such days mean a data gap that can
    /// make days look cleaner than they were.
    pub partial: usize,
}

/// Count the days of `period` in `daily`; the edition is `standard`, or the one in force on
/// each date.
pub fn count_days(
    period: &Period,
    daily: &BTreeMap<NaiveDate, DayValues>,
    standard: Option<Standard>,
) -> Result<DayCounts, AqiError> {
    let mut c = DayCounts {
        days: period.days(),
        ..Default::default()
    };
    for (date, v) in daily.range(period.first..=period.last) {
        let s = standard.unwrap_or_else(|| Standard::china_for_date(*date));
        let r = daily_aqi(s, v)?;
        let (Some(aqi), Some(cat)) = (r.aqi, r.category) else {
            continue;
        };
        c.valid += 1;
        c.by_level[usize::from(cat.level) - 1] += 1;
        let six = [v.so2, v.no2, v.co, v.pm10, v.pm25, v.o3_mda8];
        if six.iter().any(Option::is_none) {
            c.partial += 1;
        }
        if aqi > 200 {
            c.heavy += 1;
        }
        for p in &r.primary {
            *c.primary.entry(p.published_name().to_string()).or_default() += 1;
        }
    }
    c.excellent_or_good = c.by_level[0] + c.by_level[1];
    c.excellent_or_good_ratio = ratio_percent(c.excellent_or_good, c.valid);
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_ratio() {
        let p = Period::parse("2023-01-01..2023-01-04").unwrap();
        let d = |k: u32| NaiveDate::from_ymd_opt(2023, 1, k).unwrap();
        let mut daily = BTreeMap::new();
        // 35 → 50 (优); 75 → 100 (良); 151 → 201 (重度); 1-04 has no values at all (not valid).
        daily.insert(
            d(1),
            DayValues {
                pm25: Some(35.0),
                ..Default::default()
            },
        );
        daily.insert(
            d(2),
            DayValues {
                pm25: Some(75.0),
                pm10: Some(150.0),
                ..Default::default()
            },
        );
        daily.insert(
            d(3),
            DayValues {
                pm25: Some(151.0),
                ..Default::default()
            },
        );
        daily.insert(d(4), DayValues::default());
        let c = count_days(&p, &daily, Some(Standard::Hj633_2012)).unwrap();
        assert_eq!((c.days, c.valid, c.by_level), (4, 3, [1, 1, 0, 0, 1, 0]));
        // None of the three has all six values.
        assert_eq!(c.partial, 3);
        assert_eq!(
            (c.excellent_or_good, c.excellent_or_good_ratio, c.heavy),
            (2, Some(66.7), 1)
        );
        // Day 2: PM10 and PM2.5 both at IAQI 100 — both primary; day 1 (AQI 50) has none.
        assert_eq!(c.primary.get("PM2.5"), Some(&2));
        assert_eq!(c.primary.get("PM10"), Some(&1));
        // Under HJ 633—2026 a day with pollutants missing is NA unless its AQI > 100 (§5.3):
        // day 1 (50) is NA; day 2 becomes 114 (PM2.5 75 on the new 60 breakpoint); day 3 stays.
        let c26 = count_days(&p, &daily, Some(Standard::Hj633_2026)).unwrap();
        assert_eq!(
            (c26.valid, c26.by_level, c26.heavy),
            (2, [0, 0, 1, 0, 1, 0], 1)
        );
    }
}
