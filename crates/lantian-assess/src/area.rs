//! One area (city, district or station) over one period, as the official figures are formed,
//! and its comparison with a baseline period: the figures a bulletin prints, in one value that
//! the `assess` command, the bulletin and the API all share.
//!
//! Concentrations have the sand-dust days' PM removed, day counts keep the dust days (the CNEMC
//! rule; Beijing 2023: 8 heavy days "含6天沙尘", 271 of 365 days good). The other way of each is
//! kept beside it (环办监测〔2016〕120号: releases give both "扣沙" and "不扣沙").

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use lantian_aqi::{AqiError, Standard};

use crate::change::{Change, change, points};
use crate::compliance::{Compliance, compliance};
use crate::composite::{CompositeIndex, Limits, composite_index};
use crate::days::{DayCounts, DayPractice, count_days_with};
use crate::dust::{self, Treatment};
use crate::period::Period;
use crate::stats::{DayValues, PeriodStats, period_stats, period_stats_with_dust};

/// The assessment of one area over one period.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AreaAssessment {
    pub period: String,
    pub stations: Vec<String>,
    /// Concentrations, sand-dust PM deducted.
    pub stats: PeriodStats,
    /// Day counts, dust days kept.
    pub days: DayCounts,
    pub composite: Option<CompositeIndex>,
    pub compliance: Compliance,
    /// Concentrations without the deduction.
    pub stats_undeducted: PeriodStats,
    pub composite_undeducted: Option<CompositeIndex>,
    /// Day counts with the dust days left out (MEE's "扣除沙尘异常超标天" ratios).
    pub days_without_dust_days: DayCounts,
}

fn composite_of(s: &PeriodStats, limits: &Limits) -> Option<CompositeIndex> {
    let v = |p: &str| s.headline(p).and_then(|x| x.published);
    Some(composite_index(
        v("SO2")?,
        v("NO2")?,
        v("PM10")?,
        v("PM2.5")?,
        v("CO")?,
        v("O3")?,
        limits,
    ))
}

/// Assess `daily` (the area's daily values) over `period`, with the sand-dust days `dust`
/// (dates outside the period are ignored). `standard` is the AQI edition of the day counts
/// (`None`: the one in force on each date); `limits` those of the composite index and
/// compliance.
pub fn assess_area(
    period: &Period,
    stations: Vec<String>,
    daily: &BTreeMap<NaiveDate, DayValues>,
    dust: &BTreeSet<NaiveDate>,
    standard: Option<Standard>,
    limits: &Limits,
) -> Result<AreaAssessment, AqiError> {
    let days = DayInput {
        daily,
        practice: DayPractice::Standard,
    };
    assess_area_with(period, stations, daily, days, dust, standard, limits)
}

/// The daily values the day counts are made from, and the practice that counts them.
#[derive(Clone, Copy)]
pub struct DayInput<'a> {
    /// The area's days as [`DayPractice::city_method`] forms them (the concentrations' own
    /// days for the standard's practice).
    pub daily: &'a BTreeMap<NaiveDate, DayValues>,
    pub practice: DayPractice,
}

/// [`assess_area`] with the day counts made by `days`.
pub fn assess_area_with(
    period: &Period,
    stations: Vec<String>,
    daily: &BTreeMap<NaiveDate, DayValues>,
    days: DayInput<'_>,
    dust: &BTreeSet<NaiveDate>,
    standard: Option<Standard>,
    limits: &Limits,
) -> Result<AreaAssessment, AqiError> {
    let day_input = days;
    let days = count_days_with(period, day_input.daily, standard, day_input.practice)?;
    // Without dust days the two ways of each figure are the same figure: computed once.
    let (stats, raw, days_without_dust_days) = if dust.is_empty() {
        let raw = period_stats(period, daily);
        (raw.clone(), raw, days.clone())
    } else {
        let without_days = dust::deduct(day_input.daily, dust, Treatment::DropDay);
        (
            period_stats_with_dust(period, daily, dust),
            period_stats(period, daily),
            count_days_with(period, &without_days, standard, day_input.practice)?,
        )
    };
    Ok(AreaAssessment {
        period: period.to_string(),
        stations,
        days,
        composite: composite_of(&stats, limits),
        compliance: compliance(&stats, limits),
        composite_undeducted: composite_of(&raw, limits),
        stats_undeducted: raw,
        days_without_dust_days,
        stats,
    })
}

/// The change of one published figure.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FigureChange {
    pub pollutant: &'static str,
    pub label: &'static str,
    pub change: Change,
}

/// A period against its baseline, as bulletins print it ("同比下降 8.1 %; 优级天数增加 3 天").
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AreaComparison {
    pub current_period: String,
    pub baseline_period: String,
    /// Each headline figure present in both (published values; `percent` to one decimal).
    pub figures: Vec<FigureChange>,
    /// Excellent (优) days, current − baseline.
    pub excellent_days: i64,
    /// Good (良) days.
    pub good_days: i64,
    /// Excellent-or-good days.
    pub excellent_or_good_days: i64,
    /// Excellent-or-good ratio, percentage points.
    pub excellent_or_good_ratio_points: Option<f64>,
    /// Heavily-or-severely polluted days.
    pub heavy_days: i64,
    /// Composite index, current − baseline and percent.
    pub composite: Option<Change>,
}

impl AreaComparison {
    pub fn of(current: &AreaAssessment, baseline: &AreaAssessment) -> AreaComparison {
        let figures = current
            .stats
            .stats
            .iter()
            .filter_map(|s| {
                let b = baseline
                    .stats
                    .stats
                    .iter()
                    .find(|x| x.pollutant == s.pollutant && x.statistic == s.statistic)?;
                Some(FigureChange {
                    pollutant: s.pollutant,
                    label: s.label,
                    change: change(s.published?, b.published?),
                })
            })
            .collect();
        let d = |f: fn(&DayCounts) -> usize| f(&current.days) as i64 - f(&baseline.days) as i64;
        AreaComparison {
            current_period: current.period.clone(),
            baseline_period: baseline.period.clone(),
            figures,
            excellent_days: d(|x| x.by_level[0]),
            good_days: d(|x| x.by_level[1]),
            excellent_or_good_days: d(|x| x.excellent_or_good),
            excellent_or_good_ratio_points: match (
                current.days.excellent_or_good_ratio,
                baseline.days.excellent_or_good_ratio,
            ) {
                (Some(x), Some(y)) => Some(points(x, y)),
                _ => None,
            },
            heavy_days: d(|x| x.heavy),
            composite: match (&current.composite, &baseline.composite) {
                (Some(c), Some(b)) => Some(change(c.published, b.published)),
                _ => None,
            },
        }
    }

    /// The change of a pollutant's headline figure.
    pub fn figure(&self, pollutant: &str) -> Option<&Change> {
        self.figures
            .iter()
            .find(|f| f.pollutant == pollutant)
            .map(|f| &f.change)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::composite::GB3095_2012;

    fn day(pm25: f64, pm10: f64) -> DayValues {
        DayValues {
            so2: Some(3.0),
            no2: Some(30.0),
            co: Some(0.6),
            pm10: Some(pm10),
            pm25: Some(pm25),
            o3_mda8: Some(90.0),
            o3_max_1h: Some(110.0),
        }
    }

    fn month(pm25: f64) -> BTreeMap<NaiveDate, DayValues> {
        (1..=31)
            .map(|d| {
                (
                    NaiveDate::from_ymd_opt(2023, 1, d).unwrap(),
                    day(pm25, pm25 * 1.2),
                )
            })
            .collect()
    }

    #[test]
    fn comparison_by_hand() {
        let p = Period::parse("2023-01").unwrap();
        // 31 days at 34 against 31 days at 37: −8.1 %; the first is excellent every day (IAQI of
        // PM2.5 34 = 49 ≤ 50), the second good (IAQI 53).
        let cur = assess_area(
            &p,
            vec![],
            &month(34.0),
            &BTreeSet::new(),
            None,
            &GB3095_2012,
        )
        .unwrap();
        let base = assess_area(
            &p,
            vec![],
            &month(37.0),
            &BTreeSet::new(),
            None,
            &GB3095_2012,
        )
        .unwrap();
        let c = AreaComparison::of(&cur, &base);
        assert_eq!(c.figure("PM2.5").unwrap().percent, Some(-8.1));
        assert_eq!(c.excellent_days, 31);
        assert_eq!(c.good_days, -31);
        assert_eq!(c.excellent_or_good_days, 0);
        assert_eq!(c.excellent_or_good_ratio_points, Some(0.0));
        assert_eq!(c.heavy_days, 0);
    }

    #[test]
    fn dust_days_leave_the_concentration_but_not_the_day_count() {
        let p = Period::parse("2023-01").unwrap();
        let mut daily = month(30.0);
        let dust_day = NaiveDate::from_ymd_opt(2023, 1, 10).unwrap();
        daily.insert(dust_day, day(100.0, 400.0));
        let dust: BTreeSet<NaiveDate> = [dust_day].into();
        let a = assess_area(&p, vec![], &daily, &dust, None, &GB3095_2012).unwrap();
        // Deducted: the 30 clean days only; undeducted: (30 × 30 + 100) / 31 = 32.26 → 32.
        assert_eq!(a.stats.headline("PM2.5").unwrap().published, Some(30.0));
        assert_eq!(
            a.stats_undeducted.headline("PM2.5").unwrap().published,
            Some(32.0)
        );
        assert_eq!(a.days.valid, 31);
        assert_eq!(a.days_without_dust_days.valid, 30);
    }
}
