//! Purchased green electricity turned into emissions avoided, and a plan's progress.
//!
//! Indirect (scope 2) emissions of electricity are counted two ways (GHG Protocol Scope 2
//! Guidance, 2015):
//! - **location-based**: every MWh used at the grid's average emission factor, whatever was
//!   bought;
//! - **market-based**: green electricity bought with its certificates at zero, the rest at the
//!   grid factor (no residual-mix factor is published for China's grids, so the average stands
//!   in for it). Beijing counts green electricity bought on the market as zero emissions from
//!   2023 (京环发〔2024〕8号), which is the market-based figure.
//!
//! The avoided emissions are the difference. Grid factors are dated parameters with their source
//! ([`GRID_FACTORS`]); a caller may give its own.

use crate::scheme::Confirmation;
use serde::Serialize;

/// An electricity emission factor for a grid and year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GridFactor {
    pub grid: &'static str,
    /// The year whose generation the factor describes.
    pub year: i32,
    /// t CO2 per MWh.
    pub t_per_mwh: f64,
    pub source: &'static str,
    pub confirmation: Confirmation,
}

/// Published factors, by grid and year. Each is believed (read in secondary sources, not in the
/// notices themselves): check before a figure is published.
pub static GRID_FACTORS: &[GridFactor] = &[
    GridFactor {
        grid: "china-national",
        year: 2021,
        t_per_mwh: 0.5810,
        source: "MEE, national grid average factor used for 2021–2022 reporting (环办气候函〔2022〕111号)",
        confirmation: Confirmation::Unconfirmed,
    },
    GridFactor {
        grid: "china-national",
        year: 2022,
        t_per_mwh: 0.5703,
        source: "MEE, national grid average factor for 2023–2024 reporting (环办气候函〔2023〕43号)",
        confirmation: Confirmation::Unconfirmed,
    },
];

/// The factor of `grid` for `year`: that year's, else the latest before it.
pub fn grid_factor(grid: &str, year: i32) -> Option<&'static GridFactor> {
    GRID_FACTORS
        .iter()
        .filter(|f| f.grid == grid && f.year <= year)
        .max_by_key(|f| f.year)
}

/// Why electricity figures cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GreenError {
    #[error("{field} is {value}; it must be a number of MWh, zero or more")]
    BadQuantity { field: &'static str, value: f64 },
    #[error("emission factor {0} t/MWh: it must be a number, zero or more")]
    BadFactor(f64),
}

/// A unit's (or the city's) electricity for a year, counted both ways.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Scope2 {
    pub consumption_mwh: f64,
    /// Green electricity bought, as given.
    pub green_mwh: f64,
    /// Green electricity counted: at most the consumption (a purchase above it covers nothing
    /// more; the excess is [`Scope2::green_excess_mwh`]).
    pub green_counted_mwh: f64,
    pub green_excess_mwh: f64,
    pub factor_t_per_mwh: f64,
    pub location_based_t: f64,
    pub market_based_t: f64,
    pub avoided_t: f64,
    /// Green share of the consumption, in percent.
    pub green_share_pct: f64,
}

/// Count a year's electricity both ways with the grid factor `factor_t_per_mwh`.
pub fn scope2(
    consumption_mwh: f64,
    green_mwh: f64,
    factor_t_per_mwh: f64,
) -> Result<Scope2, GreenError> {
    for (field, value) in [
        ("consumption", consumption_mwh),
        ("green electricity", green_mwh),
    ] {
        if !value.is_finite() || value < 0.0 {
            return Err(GreenError::BadQuantity { field, value });
        }
    }
    if !factor_t_per_mwh.is_finite() || factor_t_per_mwh < 0.0 {
        return Err(GreenError::BadFactor(factor_t_per_mwh));
    }
    let counted = green_mwh.min(consumption_mwh);
    let location = consumption_mwh * factor_t_per_mwh;
    let market = (consumption_mwh - counted) * factor_t_per_mwh;
    Ok(Scope2 {
        consumption_mwh,
        green_mwh,
        green_counted_mwh: counted,
        green_excess_mwh: green_mwh - counted,
        factor_t_per_mwh,
        location_based_t: location,
        market_based_t: market,
        avoided_t: location - market,
        green_share_pct: if consumption_mwh > 0.0 {
            100.0 * counted / consumption_mwh
        } else {
            f64::NAN
        },
    })
}

/// A plan's target: reach `target` (e.g. MWh of green electricity a year) by `target_year`
/// from `base` in `base_year`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Plan {
    pub base_year: i32,
    pub base: f64,
    pub target_year: i32,
    pub target: f64,
}

/// Where a year's value stands against the plan.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PlanProgress {
    pub year: i32,
    pub value: f64,
    /// Share of the way from base to target done, in percent (100 = target met).
    pub done_pct: f64,
    /// Share a straight path from base to target would have done by this year, in percent.
    pub path_pct: f64,
    /// Done at least as much as the straight path.
    pub on_track: bool,
}

/// Progress of `value` in `year` against `plan`: the share of the way from base to target, and
/// the share a straight line would have reached by then.
pub fn progress(plan: &Plan, year: i32, value: f64) -> Option<PlanProgress> {
    let span = plan.target - plan.base;
    let years = plan.target_year - plan.base_year;
    if span == 0.0 || years <= 0 || !value.is_finite() {
        return None;
    }
    let done_pct = 100.0 * (value - plan.base) / span;
    let path_pct = 100.0 * f64::from((year - plan.base_year).clamp(0, years)) / f64::from(years);
    Some(PlanProgress {
        year,
        value,
        done_pct,
        path_pct,
        on_track: done_pct >= path_pct,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_ways_by_hand() {
        // 10,000 MWh used, 4,000 green, 0.5703 t/MWh: 5,703 t location-based, 3,421.8 t
        // market-based, 2,281.2 t avoided, 40 % green.
        let s = scope2(10_000.0, 4_000.0, 0.5703).unwrap();
        assert!((s.location_based_t - 5_703.0).abs() < 1e-9);
        assert!((s.market_based_t - 3_421.8).abs() < 1e-9);
        assert!((s.avoided_t - 2_281.2).abs() < 1e-9);
        assert_eq!(s.green_share_pct, 40.0);
        // More green than used: counted to the consumption, the excess kept apart.
        let s = scope2(1_000.0, 1_200.0, 0.5).unwrap();
        assert_eq!(
            (s.green_counted_mwh, s.green_excess_mwh, s.market_based_t),
            (1_000.0, 200.0, 0.0)
        );
        assert_eq!(s.avoided_t, 500.0);
        assert!(
            scope2(-1.0, 0.0, 0.5)
                .unwrap_err()
                .to_string()
                .contains("consumption is -1")
        );
        assert!(matches!(scope2(1.0, 0.0, f64::NAN), Err(GreenError::BadFactor(f)) if f.is_nan()));
    }

    #[test]
    fn factors_by_year() {
        assert_eq!(
            grid_factor("china-national", 2022).unwrap().t_per_mwh,
            0.5703
        );
        assert_eq!(grid_factor("china-national", 2024).unwrap().year, 2022); // the latest before
        assert_eq!(
            grid_factor("china-national", 2021).unwrap().t_per_mwh,
            0.5810
        );
        assert!(grid_factor("china-national", 2020).is_none());
        assert!(grid_factor("mars", 2022).is_none());
    }

    #[test]
    fn plan_progress_on_a_straight_path() {
        // From 1 TWh in 2020 to 5 TWh in 2025: 3 TWh in 2023 is 50 % done, the path 60 %.
        let plan = Plan {
            base_year: 2020,
            base: 1.0,
            target_year: 2025,
            target: 5.0,
        };
        let p = progress(&plan, 2023, 3.0).unwrap();
        assert_eq!((p.done_pct, p.path_pct, p.on_track), (50.0, 60.0, false));
        let p = progress(&plan, 2023, 3.4).unwrap();
        assert!(p.on_track);
        assert_eq!(progress(&plan, 2030, 5.0).unwrap().path_pct, 100.0);
        assert!(
            progress(
                &Plan {
                    target: 1.0,
                    ..plan
                },
                2023,
                3.0
            )
            .is_none()
        );
    }
}
