//! Days of a period by AQI category: excellent (优, AQI ≤ 50), good, … severely polluted; the
//! excellent-and-good ratio over valid days (优良天数比例); heavy-pollution days (AQI > 200); the
//! primary pollutants of the period. A valid day is a day the practice counts (see
//! [`DayPractice`]); every count carries the range the days it cannot count leave open
//! ([`DayBounds`]).

use crate::change::ratio_percent;
use crate::period::Period;
use crate::region::CityMethod;
use crate::stats::DayValues;
use chrono::NaiveDate;
use lantian_aqi::{AqiError, AqiResult, Indicator, Report, Standard};
use std::collections::BTreeMap;

/// How a day whose daily values lack a pollutant is counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IncompleteDay {
    /// Rated on the pollutants present (HJ 633—2012 §5: the AQI is the highest IAQI of the
    /// pollutants monitored; the text sets no minimum).
    RatedOnPresent,
    /// Counted only when the pollutants present already put it above 100, in the category
    /// they give (HJ 633—2026 §5.3: otherwise the day's AQI is NA). A missing pollutant can only
    /// raise the index, so such a day is at least lightly polluted whatever is missing.
    OnlyAbove100,
}

/// Whose way of counting days: the standard's text, or the Beijing centre's as its published
/// counts show it (evidence in `docs/assessment.md`, "Day counts as published").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DayPractice {
    /// The edition in force on the date, as written: HJ 633—2012 rates an incomplete day on
    /// the pollutants present; HJ 633—2026 §5.3 leaves it NA unless above 100. The area's day
    /// is formed like its concentrations.
    #[default]
    Standard,
    /// Beijing's published counts (2014–2024): the city's daily values are those of the
    /// city's hourly series (the mean of the stations' hourly values: its 24-h means, its
    /// O3 daily maximum 8-h mean and 1-h maximum), and a day counts only when all six daily
    /// values are there or the day is above 100 without them. The city reported every day of
    /// every year as valid (e.g. 2021: 288 of 365 days, 78.9 %), so a day the archive holds
    /// only in part is a gap of the archive, not a day the city rated on the gases.
    Beijing,
}

impl DayPractice {
    /// The rule for incomplete days on `date` under `standard`.
    pub fn incomplete_day(self, standard: Standard) -> IncompleteDay {
        match (self, standard) {
            (DayPractice::Beijing, _) | (DayPractice::Standard, Standard::Hj633_2026) => {
                IncompleteDay::OnlyAbove100
            }
            (DayPractice::Standard, _) => IncompleteDay::RatedOnPresent,
        }
    }

    /// How the area's day is formed for the counts, when its concentrations are formed by
    /// `concentrations`.
    pub fn city_method(self, concentrations: CityMethod) -> CityMethod {
        match self {
            DayPractice::Standard => concentrations,
            DayPractice::Beijing => CityMethod::DayOfAreaHourlyMean,
        }
    }
}

/// What the days a practice cannot count leave open: each count's least and greatest value if
/// every missing pollutant and every day without data were known. A day without data could be
/// anything; a day lacking a pollutant is at least as polluted as the pollutants present say.
/// A published count outside its range is a disagreement about the values, not about gaps.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayBounds {
    /// Days with all six daily values.
    pub complete: usize,
    /// Days with some but not all of them.
    pub incomplete: usize,
    /// Days with none.
    pub without_data: usize,
    /// Excellent days, least and greatest.
    pub excellent: [usize; 2],
    /// Excellent-or-good days.
    pub excellent_or_good: [usize; 2],
    /// Heavily-or-severely polluted days (AQI > 200).
    pub heavy: [usize; 2],
}

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

/// The day's AQI as `practice` counts it under `standard` (`None`: not a valid day), with the
/// HJ 633 result it comes from.
pub fn counted_aqi(
    standard: Standard,
    practice: DayPractice,
    v: &DayValues,
) -> Result<(Option<i32>, AqiResult), AqiError> {
    let r = daily_aqi(standard, v)?;
    let aqi = match (has_all_six(v), practice.incomplete_day(standard)) {
        (true, _) | (false, IncompleteDay::RatedOnPresent) => r.aqi,
        (false, IncompleteDay::OnlyAbove100) => r.aqi.or(r.max_sub_index).filter(|&a| a > 100),
    };
    Ok((aqi, r))
}

/// Whether a day has all six daily values (SO2, NO2, CO, PM10, PM2.5, O3 MDA8).
fn has_all_six(v: &DayValues) -> bool {
    [v.so2, v.no2, v.co, v.pm10, v.pm25, v.o3_mda8]
        .iter()
        .all(Option::is_some)
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
    /// The range the days without a full set of values leave open.
    pub bounds: DayBounds,
}

/// Count the days of `period` in `daily` as the standard's text does; the edition is
/// `standard`, or the one in force on each date.
pub fn count_days(
    period: &Period,
    daily: &BTreeMap<NaiveDate, DayValues>,
    standard: Option<Standard>,
) -> Result<DayCounts, AqiError> {
    count_days_with(period, daily, standard, DayPractice::Standard)
}

/// Count the days of `period` in `daily` by `practice`.
pub fn count_days_with(
    period: &Period,
    daily: &BTreeMap<NaiveDate, DayValues>,
    standard: Option<Standard>,
    practice: DayPractice,
) -> Result<DayCounts, AqiError> {
    let mut c = DayCounts {
        days: period.days(),
        ..Default::default()
    };
    let (mut complete_days, mut incomplete_days) = (0, 0);
    // Each count's sure days (least) and the days that may still belong to it (open).
    let (mut excellent, mut excellent_or_good, mut heavy) = ([0usize; 2], [0usize; 2], [0usize; 2]);
    let mut with_data = 0;
    for (date, v) in daily.range(period.first..=period.last) {
        let s = standard.unwrap_or_else(|| Standard::china_for_date(*date));
        let (counted, r) = counted_aqi(s, practice, v)?;
        let complete = has_all_six(v);
        // The highest sub-index of the pollutants present: the day's AQI when complete, a
        // lower bound of it otherwise.
        let Some(least) = r.aqi.or(r.max_sub_index) else {
            continue;
        };
        with_data += 1;
        // A complete day is sure; an incomplete one may still be excellent or good, and is
        // surely heavy once above 200 (a missing pollutant can only raise the index).
        let slot = usize::from(!complete);
        excellent[slot] += usize::from(least <= 50);
        excellent_or_good[slot] += usize::from(least <= 100);
        heavy[0] += usize::from(least > 200);
        if complete {
            complete_days += 1;
        } else {
            incomplete_days += 1;
            heavy[1] += usize::from(least <= 200);
        }
        let Some(aqi) = counted else {
            continue;
        };
        let cat = s.category(aqi);
        c.valid += 1;
        c.by_level[usize::from(cat.level) - 1] += 1;
        if !complete {
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
    let without_data = c.days.saturating_sub(with_data);
    let open = |[sure, maybe]: [usize; 2]| [sure, sure + maybe + without_data];
    c.bounds = DayBounds {
        complete: complete_days,
        incomplete: incomplete_days,
        without_data,
        excellent: open(excellent),
        excellent_or_good: open(excellent_or_good),
        heavy: open(heavy),
    };
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

    fn six(pm25: f64, o3_mda8: f64) -> DayValues {
        DayValues {
            so2: Some(3.0),
            no2: Some(20.0),
            co: Some(0.5),
            pm10: Some(40.0),
            pm25: Some(pm25),
            o3_mda8: Some(o3_mda8),
            o3_max_1h: Some(o3_mda8 + 20.0),
        }
    }

    #[test]
    fn the_beijing_practice_counts_an_incomplete_day_only_above_100() {
        let p = Period::parse("2021-03-01..2021-03-06").unwrap();
        let d = |k: u32| NaiveDate::from_ymd_opt(2021, 3, k).unwrap();
        let gases_only = |no2: f64| DayValues {
            so2: Some(3.0),
            no2: Some(no2),
            co: Some(0.4),
            o3_mda8: Some(60.0),
            o3_max_1h: Some(80.0),
            ..Default::default()
        };
        let mut daily = BTreeMap::new();
        // Complete: PM2.5 35 → 50 (优); 36 → 52 (良); O3 MDA8 266 → 201 (重度).
        daily.insert(d(1), six(35.0, 90.0));
        daily.insert(d(2), six(36.0, 90.0));
        daily.insert(d(3), six(20.0, 266.0));
        // No PM: NO2 20 → 25 (would be 优 on the gases); NO2 81 → 101 (at least 轻度).
        daily.insert(d(4), gases_only(20.0));
        daily.insert(d(5), gases_only(81.0));
        // 03-06 has no values at all.
        let std = count_days(&p, &daily, None).unwrap();
        assert_eq!((std.valid, std.by_level), (5, [2, 1, 1, 0, 1, 0]));
        assert_eq!((std.partial, std.heavy), (2, 1));
        let bj = count_days_with(&p, &daily, None, DayPractice::Beijing).unwrap();
        assert_eq!((bj.valid, bj.by_level), (4, [1, 1, 1, 0, 1, 0]));
        assert_eq!((bj.partial, bj.excellent_or_good, bj.heavy), (1, 2, 1));
        // Whatever the practice, the days without a full set leave the same range open:
        // excellent 1 sure, + 03-04 (≤ 50 so far) + 03-06 (no data) = 3;
        // excellent-or-good 2 sure, + 03-04 + 03-06 = 4 (03-05 is above 100 already);
        // heavy 1 sure, + 03-04, 03-05 (not yet above 200) + 03-06 = 4.
        for c in [&std, &bj] {
            assert_eq!(
                c.bounds,
                DayBounds {
                    complete: 3,
                    incomplete: 2,
                    without_data: 1,
                    excellent: [1, 3],
                    excellent_or_good: [2, 4],
                    heavy: [1, 4],
                }
            );
        }
    }

    #[test]
    fn an_incomplete_day_above_200_is_surely_heavy() {
        let p = Period::parse("2021-03-01..2021-03-01").unwrap();
        let d = NaiveDate::from_ymd_opt(2021, 3, 1).unwrap();
        let daily = BTreeMap::from([(
            d,
            DayValues {
                pm25: Some(151.0),
                ..Default::default()
            },
        )]);
        let c = count_days_with(&p, &daily, None, DayPractice::Beijing).unwrap();
        assert_eq!((c.valid, c.heavy, c.by_level[4]), (1, 1, 1));
        assert_eq!(
            (c.bounds.heavy, c.bounds.excellent_or_good),
            ([1, 1], [0, 0])
        );
    }

    #[test]
    fn the_practices_follow_the_edition() {
        assert_eq!(
            DayPractice::Standard.incomplete_day(Standard::Hj633_2012),
            IncompleteDay::RatedOnPresent
        );
        assert_eq!(
            DayPractice::Standard.incomplete_day(Standard::Hj633_2026),
            IncompleteDay::OnlyAbove100
        );
        assert_eq!(
            DayPractice::Beijing.incomplete_day(Standard::Hj633_2012),
            IncompleteDay::OnlyAbove100
        );
        assert_eq!(
            DayPractice::Beijing.city_method(CityMethod::MeanOfStationDays),
            CityMethod::DayOfAreaHourlyMean
        );
        assert_eq!(
            DayPractice::Standard.city_method(CityMethod::MeanOfStationDays),
            CityMethod::MeanOfStationDays
        );
    }

    proptest::proptest! {
        /// Every practice's counts lie in the range its bounds leave open.
        #[test]
        fn counts_lie_within_their_bounds(
            days in proptest::collection::vec(
                proptest::collection::vec(proptest::option::of(0.0f64..400.0), 6), 0..40)
        ) {
            let first = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
            let p = Period::parse("2020-01-01..2020-02-29").unwrap();
            let daily: BTreeMap<NaiveDate, DayValues> = days
                .iter()
                .enumerate()
                .map(|(k, v)| {
                    (
                        first + chrono::Days::new(k as u64),
                        DayValues {
                            so2: v[0],
                            no2: v[1],
                            co: v[2].map(|x| x / 20.0),
                            pm10: v[3],
                            pm25: v[4],
                            o3_mda8: v[5],
                            o3_max_1h: v[5].map(|x| x * 1.2),
                        },
                    )
                })
                .collect();
            for practice in [DayPractice::Standard, DayPractice::Beijing] {
                let c = count_days_with(&p, &daily, None, practice).unwrap();
                let b = &c.bounds;
                proptest::prop_assert_eq!(b.complete + b.incomplete + b.without_data, c.days);
                proptest::prop_assert!(b.excellent[0] <= c.by_level[0] && c.by_level[0] <= b.excellent[1]);
                proptest::prop_assert!(b.excellent_or_good[0] <= c.excellent_or_good);
                proptest::prop_assert!(c.excellent_or_good <= b.excellent_or_good[1]);
                proptest::prop_assert!(b.heavy[0] <= c.heavy && c.heavy <= b.heavy[1]);
                proptest::prop_assert!(c.valid <= b.complete + b.incomplete);
            }
        }
    }
}
