//! Which units must join a market, by year.

use crate::scheme::{Confirmation, Scheme, Scope};
use serde::Serialize;

/// A unit's yearly emissions as the coverage rule counts them (t CO2e).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Coverage {
    /// Direct emissions (fuel burnt, processes, own vehicles).
    pub direct_t: f64,
    /// Indirect emissions of purchased electricity and heat.
    pub indirect_t: f64,
}

/// The answer of the coverage rule for one unit and year.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum CoverageDecision {
    /// At or above the threshold: the unit must join.
    MustJoin {
        counted_t: f64,
        threshold_t: f64,
        confirmation: Confirmation,
    },
    /// Below the threshold.
    Below {
        counted_t: f64,
        threshold_t: f64,
        confirmation: Confirmation,
    },
    /// Coverage is by activity, not tonnes: the tonnes alone cannot decide.
    ByActivity { counted_t: f64, threshold_t: f64 },
    /// The scheme has no coverage rule for the year (before it started).
    NoRule,
}

/// Whether a unit with these emissions must join `scheme` in `year`.
///
/// The comparison is "at or above": Beijing's rule reads "年排放二氧化碳 5000 吨（含）以上", so a
/// unit at exactly 5,000 t is in.
pub fn must_join(scheme: &Scheme, year: i32, e: Coverage) -> CoverageDecision {
    let Some(rule) = scheme.coverage_rule(year) else {
        return CoverageDecision::NoRule;
    };
    let counted_t = match rule.scope {
        Scope::DirectAndIndirect => e.direct_t + e.indirect_t,
        Scope::Direct | Scope::Activity => e.direct_t,
    };
    let threshold_t = rule.threshold_t;
    match rule.scope {
        Scope::Activity => CoverageDecision::ByActivity {
            counted_t,
            threshold_t,
        },
        _ if counted_t >= threshold_t => CoverageDecision::MustJoin {
            counted_t,
            threshold_t,
            confirmation: rule.confirmation,
        },
        _ => CoverageDecision::Below {
            counted_t,
            threshold_t,
            confirmation: rule.confirmation,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheme::{BEIJING, CHINA_NATIONAL, EU_ETS};

    fn joins(s: &Scheme, year: i32, direct: f64, indirect: f64) -> bool {
        matches!(
            must_join(
                s,
                year,
                Coverage {
                    direct_t: direct,
                    indirect_t: indirect
                }
            ),
            CoverageDecision::MustJoin { .. }
        )
    }

    #[test]
    fn beijing_threshold_both_sides() {
        // 2016 on: 5,000 t of direct + indirect, at the threshold included.
        assert!(joins(&BEIJING, 2016, 3_000.0, 2_000.0));
        assert!(!joins(&BEIJING, 2016, 3_000.0, 1_999.999));
        assert!(joins(&BEIJING, 2024, 0.0, 5_000.0)); // indirect alone counts
        // 2013–2015: 10,000 t.
        assert!(!joins(&BEIJING, 2015, 5_000.0, 4_999.0));
        assert!(joins(&BEIJING, 2015, 5_000.0, 5_000.0));
        assert_eq!(
            must_join(
                &BEIJING,
                2012,
                Coverage {
                    direct_t: 1e6,
                    indirect_t: 0.0
                }
            ),
            CoverageDecision::NoRule
        );
    }

    #[test]
    fn national_and_eu() {
        assert!(joins(&CHINA_NATIONAL, 2021, 26_000.0, 0.0));
        assert!(!joins(&CHINA_NATIONAL, 2021, 25_999.0, 0.0));
        assert!(matches!(
            must_join(&EU_ETS, 2015, Coverage { direct_t: 30_000.0, indirect_t: 0.0 }),
            CoverageDecision::ByActivity { threshold_t, .. } if threshold_t == 25_000.0
        ));
    }
}
