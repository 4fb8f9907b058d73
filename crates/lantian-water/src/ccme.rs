//! The CCME Water Quality Index (Canadian Council of Ministers of the Environment, CCME WQI 1.0
//! technical report, 2001), the international index beside GB 3838's classes.
//!
//! Over a period and a set of variables with objectives:
//! - F1 (scope): the share of variables that failed their objective at least once, in percent;
//! - F2 (frequency): the share of individual tests that failed, in percent;
//! - F3 (amplitude): nse / (0.01 nse + 0.01), where nse is the sum of the excursions of the
//!   failed tests divided by the number of tests; an excursion is value / objective − 1 for an
//!   upper objective and objective / value − 1 for a lower one (dissolved oxygen);
//! - WQI = 100 − √(F1² + F2² + F3²) / 1.732.
//!
//! Categories: excellent 95–100, good 80–94, fair 65–79, marginal 45–64, poor 0–44.

use serde::Serialize;

/// One variable's objective.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Objective {
    /// The value must not exceed it.
    AtMost(f64),
    /// The value must reach it (dissolved oxygen).
    AtLeast(f64),
}

/// The index and its factors.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Wqi {
    pub f1: f64,
    pub f2: f64,
    pub f3: f64,
    pub wqi: f64,
    pub category: &'static str,
    pub variables: usize,
    pub tests: usize,
}

/// The category of an index value (CCME's bands; a value is rounded to a whole number first, as
/// the report tabulates whole numbers).
pub fn category(wqi: f64) -> &'static str {
    match wqi.round() as i64 {
        95.. => "excellent",
        80..=94 => "good",
        65..=79 => "fair",
        45..=64 => "marginal",
        _ => "poor",
    }
}

/// The index over `variables`: each with its objective and its tests (values) in the period.
/// `None` without a test. Non-finite values are not tests.
pub fn wqi(variables: &[(Objective, Vec<f64>)]) -> Option<Wqi> {
    let mut tests = 0usize;
    let mut failed_tests = 0usize;
    let mut failed_variables = 0usize;
    let mut excursions = 0.0;
    let mut counted = 0usize;
    for (objective, values) in variables {
        let values: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        if values.is_empty() {
            continue;
        }
        counted += 1;
        let mut failed_here = false;
        for v in values {
            tests += 1;
            let e = match *objective {
                Objective::AtMost(o) if v > o => Some(v / o - 1.0),
                // A zero value against a lower objective: the largest possible excursion is
                // unbounded; it is counted as failed with the excursion of a value of 1 % of it.
                Objective::AtLeast(o) if v < o => Some(o / v.max(o * 0.01) - 1.0),
                _ => None,
            };
            if let Some(e) = e {
                failed_tests += 1;
                failed_here = true;
                excursions += e;
            }
        }
        failed_variables += failed_here as usize;
    }
    if tests == 0 {
        return None;
    }
    let f1 = 100.0 * failed_variables as f64 / counted as f64;
    let f2 = 100.0 * failed_tests as f64 / tests as f64;
    let nse = excursions / tests as f64;
    let f3 = nse / (0.01 * nse + 0.01);
    let wqi = 100.0 - (f1 * f1 + f2 * f2 + f3 * f3).sqrt() / 1.732;
    Some(Wqi {
        f1,
        f2,
        f3,
        wqi,
        category: category(wqi),
        variables: counted,
        tests,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_worked_by_hand() {
        // Two variables, four tests each. NH3-N ≤ 1.0: 0.5, 1.5, 0.8, 2.0 (two fail, excursions
        // 0.5 and 1.0). DO ≥ 5: 6, 4, 7, 8 (one fails, excursion 5/4 − 1 = 0.25).
        // F1 = 100 (both failed), F2 = 3/8 = 37.5, nse = 1.75 / 8 = 0.21875,
        // F3 = 0.21875 / (0.0021875 + 0.01) = 17.9487…, WQI = 100 − √(100² + 37.5² + 17.9487²)/1.732.
        let w = wqi(&[
            (Objective::AtMost(1.0), vec![0.5, 1.5, 0.8, 2.0]),
            (Objective::AtLeast(5.0), vec![6.0, 4.0, 7.0, 8.0]),
        ])
        .unwrap();
        assert_eq!((w.f1, w.f2), (100.0, 37.5));
        let f3 = 0.21875 / (0.0021875 + 0.01);
        assert!((w.f3 - f3).abs() < 1e-12);
        let by_hand = 100.0 - (100.0f64.powi(2) + 37.5f64.powi(2) + f3 * f3).sqrt() / 1.732;
        assert!((w.wqi - by_hand).abs() < 1e-12);
        assert_eq!(w.category, "poor");
        assert_eq!((w.variables, w.tests), (2, 8));
    }

    #[test]
    fn clean_water_is_100_and_categories_at_their_ends() {
        let w = wqi(&[(Objective::AtMost(1.0), vec![0.1, 1.0])]).unwrap();
        assert_eq!((w.wqi, w.category), (100.0, "excellent"));
        assert!(wqi(&[(Objective::AtMost(1.0), vec![f64::NAN])]).is_none());
        for (v, c) in [
            (95.0, "excellent"),
            (94.4, "good"),
            (80.0, "good"),
            (79.4, "fair"),
            (65.0, "fair"),
            (64.0, "marginal"),
            (45.0, "marginal"),
            (44.4, "poor"),
        ] {
            assert_eq!(category(v), c, "{v}");
        }
    }

    proptest::proptest! {
        /// The index lies between 0 and 100.
        #[test]
        fn within_0_and_100(values in proptest::collection::vec(0.0f64..1000.0, 1..40)) {
            let w = wqi(&[(Objective::AtMost(1.0), values.clone()), (Objective::AtLeast(5.0), values)]).unwrap();
            proptest::prop_assert!((0.0..=100.0).contains(&w.wqi), "{}", w.wqi);
        }
    }
}
