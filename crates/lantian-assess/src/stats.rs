//! Period statistics of HJ 663 from daily values (one station or one area).
//!
//! | pollutant | period statistic (HJ 663 Table 1; bulletins' 累计 figures) | annual extra |
//! |---|---|---|
//! | SO2, NO2 | mean of daily means | 98th percentile of daily means |
//! | PM10, PM2.5 | mean of daily means | 95th percentile of daily means |
//! | CO | 95th percentile of daily means | – |
//! | O3 | 90th percentile of daily MDA8 | – |
//!
//! Published figures are rounded with GB/T 8170 (half to even): integers in µg/m³, CO to
//! 0.1 mg/m³. The unrounded value is kept beside the published one.

use crate::percentile::percentile;
use crate::period::{Period, PeriodKind};
use crate::validity::{Completeness, completeness_with_excluded};
use chrono::NaiveDate;
use lantian_aqi::rounding::round_half_even;
use std::collections::{BTreeMap, BTreeSet};

/// The daily values an assessment needs (valid ones only; `None` = invalid or missing).
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayValues {
    pub so2: Option<f64>,
    pub no2: Option<f64>,
    pub co: Option<f64>,
    pub pm10: Option<f64>,
    pub pm25: Option<f64>,
    /// Daily maximum 8-h mean of O3 (MDA8).
    pub o3_mda8: Option<f64>,
    /// Daily maximum 1-h O3 (the HJ 633—2012 daily AQI uses it).
    pub o3_max_1h: Option<f64>,
}

impl From<&lantian_aqi::series::DayStats> for DayValues {
    fn from(s: &lantian_aqi::series::DayStats) -> DayValues {
        // lantian_aqi::series::POLLUTANTS order: SO2, NO2, CO, O3, PM10, PM2.5
        DayValues {
            so2: s.mean[0],
            no2: s.mean[1],
            co: s.mean[2],
            pm10: s.mean[4],
            pm25: s.mean[5],
            o3_mda8: s.o3_mda8,
            o3_max_1h: s.o3_max_1h,
        }
    }
}

/// Which statistic of the daily values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Statistic {
    Mean,
    Percentile(u8),
}

/// One published figure of a period.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PollutantStat {
    /// "PM2.5", "CO", "O3"…
    pub pollutant: &'static str,
    pub statistic: Statistic,
    /// What the figure is, in the field's words ("90th percentile of daily MDA8").
    pub label: &'static str,
    /// Unrounded; `None` without any valid day.
    pub value: Option<f64>,
    /// GB/T 8170: integer µg/m³, CO to 0.1 mg/m³.
    pub published: Option<f64>,
    pub unit: &'static str,
    pub completeness: Completeness,
}

/// All figures of a period.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeriodStats {
    pub period: Period,
    pub stats: Vec<PollutantStat>,
}

impl PeriodStats {
    /// The headline figure of a pollutant (mean; CO P95; O3 P90).
    pub fn headline(&self, pollutant: &str) -> Option<&PollutantStat> {
        self.stats.iter().find(|s| s.pollutant == pollutant)
    }
}

/// GB/T 8170 rounding of a published concentration.
pub fn publish(pollutant: &str, value: f64) -> f64 {
    round_half_even(value, if pollutant == "CO" { 1 } else { 0 })
}

type Getter = fn(&DayValues) -> Option<f64>;

/// HJ 663 statistics of `period` from `daily` (dates outside the period are ignored).
pub fn period_stats(period: &Period, daily: &BTreeMap<NaiveDate, DayValues>) -> PeriodStats {
    period_stats_with_dust(period, daily, &BTreeSet::new())
}

/// [`period_stats`] with the sand-dust deduction: the PM10 and PM2.5 of the `dust` days are left
/// out of the statistics (see [`crate::dust`]), and counted as `excluded` in the completeness,
/// not as missing.
pub fn period_stats_with_dust(
    period: &Period,
    daily: &BTreeMap<NaiveDate, DayValues>,
    dust: &BTreeSet<NaiveDate>,
) -> PeriodStats {
    let in_period: Vec<(&NaiveDate, &DayValues)> =
        daily.range(period.first..=period.last).collect();
    let mut stats = Vec::new();
    let mut push =
        |pollutant: &'static str, get: Getter, statistic: Statistic, label: &'static str| {
            let deducted = matches!(pollutant, "PM10" | "PM2.5");
            let set_aside = |d: &NaiveDate| deducted && dust.contains(d);
            let days: Vec<(&NaiveDate, f64)> = in_period
                .iter()
                .filter(|(d, _)| !set_aside(d))
                .filter_map(|(d, v)| get(v).map(|x| (*d, x)))
                .collect();
            let excluded: Vec<&NaiveDate> = in_period
                .iter()
                .filter(|(d, v)| set_aside(d) && get(v).is_some())
                .map(|(d, _)| *d)
                .collect();
            let values: Vec<f64> = days.iter().map(|(_, x)| *x).collect();
            let value = match statistic {
                Statistic::Mean => {
                    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
                }
                Statistic::Percentile(p) => percentile(&values, f64::from(p)),
            };
            stats.push(PollutantStat {
                pollutant,
                statistic,
                label,
                value,
                published: value.map(|v| publish(pollutant, v)),
                unit: if pollutant == "CO" {
                    "mg/m³"
                } else {
                    "µg/m³"
                },
                completeness: completeness_with_excluded(
                    period,
                    days.iter().map(|(d, _)| *d),
                    excluded,
                ),
            });
        };
    push("SO2", |v| v.so2, Statistic::Mean, "mean of daily means");
    push("NO2", |v| v.no2, Statistic::Mean, "mean of daily means");
    push("PM10", |v| v.pm10, Statistic::Mean, "mean of daily means");
    push("PM2.5", |v| v.pm25, Statistic::Mean, "mean of daily means");
    push(
        "CO",
        |v| v.co,
        Statistic::Percentile(95),
        "95th percentile of daily means",
    );
    push(
        "O3",
        |v| v.o3_mda8,
        Statistic::Percentile(90),
        "90th percentile of daily MDA8",
    );
    if period.kind == PeriodKind::Year {
        push(
            "SO2",
            |v| v.so2,
            Statistic::Percentile(98),
            "98th percentile of daily means",
        );
        push(
            "NO2",
            |v| v.no2,
            Statistic::Percentile(98),
            "98th percentile of daily means",
        );
        push(
            "PM10",
            |v| v.pm10,
            Statistic::Percentile(95),
            "95th percentile of daily means",
        );
        push(
            "PM2.5",
            |v| v.pm25,
            Statistic::Percentile(95),
            "95th percentile of daily means",
        );
    }
    PeriodStats {
        period: period.clone(),
        stats,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_figures_and_rounding() {
        let p = Period::parse("2023-03").unwrap();
        let mut daily = BTreeMap::new();
        for (k, d) in p.dates().enumerate() {
            let x = k as f64 + 1.0; // 1..=31
            daily.insert(
                d,
                DayValues {
                    pm25: Some(x + 0.5),
                    co: Some(x / 10.0),
                    o3_mda8: Some(10.0 * x),
                    ..Default::default()
                },
            );
        }
        let s = period_stats(&p, &daily);
        // PM2.5: mean of 1.5..=31.5 = 16.5 → published 16 (half to even).
        let pm = s.headline("PM2.5").unwrap();
        assert_eq!((pm.value, pm.published), (Some(16.5), Some(16.0)));
        assert!(pm.completeness.meets_rule);
        // CO P95 of 0.1..=3.1: k = 1 + 30 × 0.95 = 29.5 → 2.9 + 0.5 × 0.1 = 2.95 → published 3.0
        // (GB/T 8170: the tie 2.95 goes to the even 3.0).
        let co = s.headline("CO").unwrap();
        assert!((co.value.unwrap() - 2.95).abs() < 1e-12);
        assert_eq!(co.published, Some(3.0));
        // O3 P90 of 10..=310: k = 1 + 30 × 0.9 = 28 → X(28) = 280.
        assert_eq!(s.headline("O3").unwrap().value, Some(280.0));
        // No SO2 at all: no value, completeness 0 of 31, rule failed.
        let so2 = s.headline("SO2").unwrap();
        assert_eq!(
            (
                so2.value,
                so2.completeness.valid,
                so2.completeness.meets_rule
            ),
            (None, 0, false)
        );
        // A month has no annual percentiles.
        assert_eq!(s.stats.len(), 6);
        assert_eq!(
            period_stats(&Period::parse("2023").unwrap(), &daily)
                .stats
                .len(),
            10
        );
    }

    #[test]
    fn dust_days_are_set_aside_not_missing() {
        // April 2023: PM2.5 20 every day except 5 dust days at 200 (10..=14 April).
        let p = Period::parse("2023-04").unwrap();
        let dust: BTreeSet<NaiveDate> = (10..=14)
            .map(|d| NaiveDate::from_ymd_opt(2023, 4, d).unwrap())
            .collect();
        let daily: BTreeMap<NaiveDate, DayValues> = p
            .dates()
            .map(|d| {
                let x = if dust.contains(&d) { 200.0 } else { 20.0 };
                (
                    d,
                    DayValues {
                        pm25: Some(x),
                        no2: Some(x),
                        ..Default::default()
                    },
                )
            })
            .collect();
        let s = period_stats_with_dust(&p, &daily, &dust);
        let pm = s.headline("PM2.5").unwrap();
        // 25 valid days of 20; the 5 dust days count towards the 27-day minimum.
        assert_eq!(pm.value, Some(20.0));
        assert_eq!((pm.completeness.valid, pm.completeness.excluded), (25, 5));
        assert!(pm.completeness.meets_rule);
        // NO2 is not deducted: (25 × 20 + 5 × 200) / 30 = 50.
        assert_eq!(s.headline("NO2").unwrap().value, Some(50.0));
        // Without the deduction PM2.5 is 50 too.
        assert_eq!(
            period_stats(&p, &daily).headline("PM2.5").unwrap().value,
            Some(50.0)
        );
        // 25 valid days and no dust: April fails (25 < 27).
        let gap: BTreeMap<NaiveDate, DayValues> = daily
            .iter()
            .filter(|(d, _)| !dust.contains(d))
            .map(|(d, v)| (*d, *v))
            .collect();
        assert!(
            !period_stats(&p, &gap)
                .headline("PM2.5")
                .unwrap()
                .completeness
                .meets_rule
        );
    }
}
