//! Annual targets (年度目标): what the rest of the year must achieve.
//!
//! A concentration target "PM2.5 ≤ T µg/m³" is met when the **published** annual mean (GB/T 8170,
//! integer) is at most T. With half-to-even rounding the largest unrounded mean published as T
//! is T + 0.5 when T is even (30.5 → 30) and just below T + 0.5 when T is odd (31.5 → 32). With
//! the year so far holding n valid daily means summing to S, and m days left (all assumed valid,
//! as a planning figure), the remaining days must average
//!
//! ```text
//! R = ((T + 0.5) × (n + m) − S) / m      (at most R if T is even, below R if T is odd)
//! ```
//!
//! The target is out of reach when R ≤ 0 (no concentration can bring the mean down) and
//! decided when no day is left. Day-count targets ("at least N excellent-or-good days") need
//! N − g of the m remaining days to be good; out of reach when that exceeds m.

use chrono::{Datelike, NaiveDate};

/// Where a target stands.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TargetStatus {
    /// No day left and the target met.
    Met,
    /// No day left and the target missed.
    Missed,
    /// Reachable: the remaining days must do this well.
    Reachable,
    /// Even a perfect remainder cannot meet it.
    OutOfReach,
}

/// A target's progress, of either kind (serialised as the inner value, untagged).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum TargetProgress {
    Concentration(ConcentrationTarget),
    Days(DaysTarget),
}

/// A concentration target's arithmetic.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConcentrationTarget {
    pub pollutant: String,
    pub target: f64,
    /// Last date counted.
    pub as_of: NaiveDate,
    pub valid_days: usize,
    /// Mean so far, unrounded.
    pub mean_so_far: Option<f64>,
    /// Days left in the year after `as_of`.
    pub days_left: usize,
    /// The mean the remaining days must not exceed (`None` when no day is left).
    pub required_mean: Option<f64>,
    /// `true` when the required mean itself is allowed (T even), `false` when the remainder must
    /// stay strictly below it (T odd).
    pub required_inclusive: bool,
    pub status: TargetStatus,
}

/// The arithmetic of "annual mean ≤ `target`" given the year's valid daily values up to `as_of`.
pub fn concentration_target(
    pollutant: &str,
    target: f64,
    as_of: NaiveDate,
    daily_so_far: &[f64],
) -> ConcentrationTarget {
    let year_end = NaiveDate::from_ymd_opt(as_of.year(), 12, 31).expect("31 December");
    let days_left = (year_end - as_of).num_days().max(0) as usize;
    let n = daily_so_far.len();
    let sum: f64 = daily_so_far.iter().sum();
    let mean_so_far = (n > 0).then(|| sum / n as f64);
    // GB/T 8170 half to even: T + 0.5 is published as T only when T is even.
    let even = (target.rem_euclid(2.0)).abs() < 1e-9;
    let bound = target + 0.5;
    let (required_mean, status) = if days_left == 0 {
        let met =
            mean_so_far.is_some_and(|m| lantian_aqi::rounding::round_half_even(m, 0) <= target);
        (
            None,
            if met {
                TargetStatus::Met
            } else {
                TargetStatus::Missed
            },
        )
    } else {
        let r = (bound * (n + days_left) as f64 - sum) / days_left as f64;
        let reachable = if even { r >= 0.0 } else { r > 0.0 };
        (
            Some(r),
            if reachable {
                TargetStatus::Reachable
            } else {
                TargetStatus::OutOfReach
            },
        )
    };
    ConcentrationTarget {
        pollutant: pollutant.to_string(),
        target,
        as_of,
        valid_days: n,
        mean_so_far,
        days_left,
        required_mean,
        required_inclusive: even,
        status,
    }
}

/// A day-count target's arithmetic.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DaysTarget {
    pub target: usize,
    pub as_of: NaiveDate,
    pub so_far: usize,
    pub days_left: usize,
    /// Good days still needed among the days left.
    pub needed: usize,
    pub status: TargetStatus,
}

/// The arithmetic of "at least `target` excellent-or-good days" given `so_far` up to `as_of`.
pub fn days_target(target: usize, as_of: NaiveDate, so_far: usize) -> DaysTarget {
    let year_end = NaiveDate::from_ymd_opt(as_of.year(), 12, 31).expect("31 December");
    let days_left = (year_end - as_of).num_days().max(0) as usize;
    let needed = target.saturating_sub(so_far);
    let status = if needed == 0 && days_left == 0 {
        TargetStatus::Met
    } else if needed == 0 {
        TargetStatus::Reachable
    } else if days_left == 0 {
        TargetStatus::Missed
    } else if needed > days_left {
        TargetStatus::OutOfReach
    } else {
        TargetStatus::Reachable
    };
    DaysTarget {
        target,
        as_of,
        so_far,
        days_left,
        needed,
        status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, m, d).unwrap()
    }

    #[test]
    fn required_mean_worked_by_hand() {
        // 2024 (leap year) to 30 June: 182 days at 34 → 184 days left.
        // R = (30.5 × 366 − 34 × 182) / 184 = (11163 − 6188) / 184 = 27.0380…
        let t = concentration_target("PM2.5", 30.0, date(6, 30), &[34.0; 182]);
        assert_eq!(t.days_left, 184);
        let r = t.required_mean.unwrap();
        assert!((r - 4975.0 / 184.0).abs() < 1e-12, "{r}");
        assert!(t.required_inclusive);
        assert_eq!(t.status, TargetStatus::Reachable);
        // Check: the year then averages exactly 30.5, published 30 (half to even) — met.
        let year_mean = (34.0 * 182.0 + r * 184.0) / 366.0;
        assert!((year_mean - 30.5).abs() < 1e-9);
        assert_eq!(lantian_aqi::rounding::round_half_even(year_mean, 0), 30.0);
        // An odd target: 31.5 would publish as 32, so the bound is exclusive.
        assert!(!concentration_target("PM2.5", 31.0, date(6, 30), &[34.0; 182]).required_inclusive);
    }

    #[test]
    fn out_of_reach_and_decided() {
        // 360 days at 60, 6 left: R = (30.5 × 366 − 21600) / 6 < 0.
        let t = concentration_target("PM2.5", 30.0, date(12, 25), &[60.0; 360]);
        assert_eq!(t.status, TargetStatus::OutOfReach);
        // No day left: decided on the published mean (30.5 → 30 met; 30.6 → 31 missed).
        let t = concentration_target("PM2.5", 30.0, date(12, 31), &[30.5; 366]);
        assert_eq!((t.status, t.required_mean), (TargetStatus::Met, None));
        let t = concentration_target("PM2.5", 30.0, date(12, 31), &[30.6; 366]);
        assert_eq!(t.status, TargetStatus::Missed);
    }

    #[test]
    fn day_targets() {
        // 150 good days by 30 June, 184 left: 280 needs 130 more.
        let t = days_target(280, date(6, 30), 150);
        assert_eq!((t.needed, t.status), (130, TargetStatus::Reachable));
        // 100 by 30 June: 180 more needed in 184 days — reachable; 40 by then: 240 > 184.
        assert_eq!(
            days_target(280, date(6, 30), 40).status,
            TargetStatus::OutOfReach
        );
        assert_eq!(
            days_target(280, date(12, 31), 281).status,
            TargetStatus::Met
        );
        assert_eq!(
            days_target(280, date(12, 31), 279).status,
            TargetStatus::Missed
        );
    }
}
