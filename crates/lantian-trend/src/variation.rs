//! openair's `timeVariation`: the mean of a pollutant by hour of the day and by day of the week,
//! with a 95 % interval of each mean.
//!
//! openair bootstraps the interval of each mean; here it is the normal approximation
//! mean ± 1.96 · s/√n, which agrees with a bootstrap to within a few percent at the sizes of a
//! profile (an hour of the day over a month holds ~30 values, over a year ~365) and needs no
//! random numbers, so the chart is the same on every run.
//!
//! Time: hourly values are stamped hour-ending (the Chinese convention: the value at 01:00 is
//! the mean of 00:00–01:00); a value is placed at the hour it **begins**, as openair places
//! hour-beginning data, so "hour 0" is 00:00–01:00. Weekdays are of that hour's start.

use chrono::{Datelike, Duration, NaiveDateTime};

/// One mean of a profile.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfilePoint {
    /// Hour 0..=23, or weekday 0 (Monday) ..= 6 (Sunday).
    pub at: u32,
    pub mean: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    /// Values averaged.
    pub n: usize,
}

/// The profiles of one pollutant.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimeVariation {
    pub pollutant: String,
    pub unit: String,
    /// 24 points, hour 0 first.
    pub hour: Vec<ProfilePoint>,
    /// 7 points, Monday first.
    pub weekday: Vec<ProfilePoint>,
}

fn profile(sums: &[(f64, f64, usize)]) -> Vec<ProfilePoint> {
    sums.iter()
        .enumerate()
        .map(|(i, &(s, ss, n))| {
            let mean = (n > 0).then(|| s / n as f64);
            let half = (n > 1).then(|| {
                let m = s / n as f64;
                let var = ((ss - n as f64 * m * m) / (n as f64 - 1.0)).max(0.0);
                1.96 * (var / n as f64).sqrt()
            });
            ProfilePoint {
                at: i as u32,
                mean,
                lower: mean.zip(half).map(|(m, h)| m - h),
                upper: mean.zip(half).map(|(m, h)| m + h),
                n,
            }
        })
        .collect()
}

/// The profiles of `values`, hourly, the first stamped `first_hour_ending` (local time).
/// Missing values are `None` (or NaN) and are left out.
pub fn time_variation(
    pollutant: &str,
    unit: &str,
    first_hour_ending: NaiveDateTime,
    values: &[Option<f64>],
) -> TimeVariation {
    let mut hour = vec![(0.0, 0.0, 0usize); 24];
    let mut weekday = vec![(0.0, 0.0, 0usize); 7];
    let begin = first_hour_ending - Duration::hours(1);
    for (i, v) in values.iter().enumerate() {
        let Some(v) = v.filter(|v| !v.is_nan()) else {
            continue;
        };
        let t = begin + Duration::hours(i as i64);
        for (slot, k) in [
            (&mut hour, chrono::Timelike::hour(&t) as usize),
            (&mut weekday, t.weekday().num_days_from_monday() as usize),
        ] {
            slot[k].0 += v;
            slot[k].1 += v * v;
            slot[k].2 += 1;
        }
    }
    TimeVariation {
        pollutant: pollutant.to_string(),
        unit: unit.to_string(),
        hour: profile(&hour),
        weekday: profile(&weekday),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use proptest::prelude::*;

    fn start() -> NaiveDateTime {
        // Monday 2023-01-02, hour ending 01:00.
        NaiveDate::from_ymd_opt(2023, 1, 2)
            .unwrap()
            .and_hms_opt(1, 0, 0)
            .unwrap()
    }

    #[test]
    fn by_hand() {
        // Two weeks; the value is the hour-beginning hour of day, so each hour's mean is the hour
        // itself with no spread, and every weekday's mean is 11.5.
        let values: Vec<Option<f64>> = (0..24 * 14).map(|i| Some((i % 24) as f64)).collect();
        let tv = time_variation("NO2", "µg/m³", start(), &values);
        for (h, p) in tv.hour.iter().enumerate() {
            assert_eq!(p.mean, Some(h as f64));
            assert_eq!(p.n, 14);
            assert_eq!(p.lower, p.mean);
        }
        for p in &tv.weekday {
            assert_eq!(p.mean, Some(11.5));
            assert_eq!(p.n, 48);
        }
    }

    #[test]
    fn hour_ending_stamps_go_to_the_hour_they_begin() {
        // One value only, stamped 2023-01-02 01:00 (hour ending): it is hour 0 of Monday.
        let tv = time_variation(
            "PM2.5",
            "µg/m³",
            start(),
            &[Some(7.0), None, Some(f64::NAN)],
        );
        assert_eq!(tv.hour[0].mean, Some(7.0));
        assert_eq!(tv.hour[1].n, 0);
        assert_eq!(tv.weekday[0].mean, Some(7.0));
        assert_eq!(tv.weekday[1].mean, None);
        // A stamp of 00:00 on Tuesday is 23:00–24:00 of Monday.
        let late = NaiveDate::from_ymd_opt(2023, 1, 3)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        let tv = time_variation("PM2.5", "µg/m³", late, &[Some(3.0)]);
        assert_eq!(tv.hour[23].mean, Some(3.0));
        assert_eq!(tv.weekday[0].mean, Some(3.0));
    }

    #[test]
    fn interval_by_hand() {
        // Hour 0 gets 10 and 20 on two days: mean 15, s = 7.071, half-width 1.96 · 5 = 9.8.
        let mut values = vec![None; 48];
        values[0] = Some(10.0);
        values[24] = Some(20.0);
        let tv = time_variation("O3", "µg/m³", start(), &values);
        let p = tv.hour[0];
        assert_eq!(p.mean, Some(15.0));
        assert!((p.lower.unwrap() - 5.2).abs() < 1e-9);
        assert!((p.upper.unwrap() - 24.8).abs() < 1e-9);
    }

    proptest! {
        /// Every mean lies between the smallest and largest value it averages, inside its
        /// interval; the counts add up to the values given.
        #[test]
        fn means_lie_within_their_values(v in proptest::collection::vec(proptest::option::of(0.0f64..500.0), 1..400)) {
            let tv = time_variation("PM2.5", "µg/m³", start(), &v);
            let present: Vec<f64> = v.iter().flatten().copied().collect();
            let n: usize = tv.hour.iter().map(|p| p.n).sum();
            prop_assert_eq!(n, present.len());
            prop_assert_eq!(tv.weekday.iter().map(|p| p.n).sum::<usize>(), present.len());
            let lo = present.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = present.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            for p in tv.hour.iter().chain(&tv.weekday) {
                if let Some(m) = p.mean {
                    prop_assert!(m >= lo - 1e-9 && m <= hi + 1e-9);
                    if let (Some(l), Some(u)) = (p.lower, p.upper) {
                        prop_assert!(l <= m + 1e-9 && m <= u + 1e-9);
                    }
                }
            }
        }
    }
}
