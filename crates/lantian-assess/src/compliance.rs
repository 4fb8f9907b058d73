//! Compliance with the GB 3095 limits (达标) and exceedance multiples (超标倍数).
//!
//! HJ 663 judges a pollutant over a year by **both** its annual statistic and its percentile
//! (shared/standards §3d, bulletins): SO2 and NO2 by the annual mean and the 98th percentile of
//! daily means against the annual and 24-h limits; PM10 and PM2.5 by the annual mean and the 95th
//! percentile; CO by the 95th percentile of daily means against the 24-h limit; O3 by the 90th
//! percentile of MDA8 against the 8-h limit. A city complies when all six do. Shorter periods
//! are compared with the same limits "for reference", as bulletins do for year-to-date figures;
//! their percentiles of the annual rule are not formed.
//!
//! The published (GB/T 8170 rounded) figures are compared, as bulletins do: PM2.5 35.4 is
//! published 35 and complies with 35. Exceedance multiple = (C − S) / S, two decimals, only
//! where C > S (wording of the multiple UNCONFIRMED; the formula is the one bulletins print).

use crate::composite::Limits;
use crate::stats::{PeriodStats, Statistic};
use lantian_aqi::rounding::round_half_even;

/// One comparison of a published figure with a limit.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LimitCheck {
    pub pollutant: &'static str,
    /// "annual mean", "95th percentile of daily means"…
    pub label: &'static str,
    pub value: f64,
    pub limit: f64,
    /// Which limit ("annual", "24-h", "8-h").
    pub averaging: &'static str,
    pub complies: bool,
    /// (C − S) / S to two decimals where C > S.
    pub exceedance_multiple: Option<f64>,
}

/// Compliance of one pollutant.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PollutantCompliance {
    pub pollutant: &'static str,
    pub checks: Vec<LimitCheck>,
    /// All checks comply; `None` when a figure is missing.
    pub complies: Option<bool>,
}

/// Compliance of a period's figures.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Compliance {
    pub limits: &'static str,
    pub pollutants: Vec<PollutantCompliance>,
    /// All six comply; `None` when one is undetermined.
    pub all_comply: Option<bool>,
}

/// Check `stats` against `limits`.
pub fn compliance(stats: &PeriodStats, limits: &Limits) -> Compliance {
    // (pollutant, statistic, limit, averaging)
    let rules: [(&'static str, Statistic, f64, &'static str); 10] = [
        ("SO2", Statistic::Mean, limits.so2, "annual"),
        ("SO2", Statistic::Percentile(98), limits.so2_24h, "24-h"),
        ("NO2", Statistic::Mean, limits.no2, "annual"),
        ("NO2", Statistic::Percentile(98), limits.no2_24h, "24-h"),
        ("PM10", Statistic::Mean, limits.pm10, "annual"),
        ("PM10", Statistic::Percentile(95), limits.pm10_24h, "24-h"),
        ("PM2.5", Statistic::Mean, limits.pm25, "annual"),
        ("PM2.5", Statistic::Percentile(95), limits.pm25_24h, "24-h"),
        ("CO", Statistic::Percentile(95), limits.co, "24-h"),
        ("O3", Statistic::Percentile(90), limits.o3, "8-h"),
    ];
    let mut pollutants: Vec<PollutantCompliance> = Vec::new();
    for name in ["SO2", "NO2", "PM10", "PM2.5", "CO", "O3"] {
        let mut checks = Vec::new();
        let mut complete = true;
        for (_, statistic, limit, averaging) in rules.iter().filter(|r| r.0 == name) {
            let Some(s) = stats
                .stats
                .iter()
                .find(|s| s.pollutant == name && s.statistic == *statistic)
            else {
                continue; // an annual percentile of a shorter period: not formed
            };
            let Some(value) = s.published else {
                complete = false;
                continue;
            };
            let complies = value <= *limit;
            checks.push(LimitCheck {
                pollutant: name,
                label: s.label,
                value,
                limit: *limit,
                averaging,
                complies,
                exceedance_multiple: (!complies)
                    .then(|| round_half_even((value - limit) / limit, 2)),
            });
        }
        let complies = (complete && !checks.is_empty()).then(|| checks.iter().all(|c| c.complies));
        pollutants.push(PollutantCompliance {
            pollutant: name,
            checks,
            complies,
        });
    }
    let all_comply = pollutants
        .iter()
        .map(|p| p.complies)
        .collect::<Option<Vec<bool>>>()
        .map(|v| v.iter().all(|c| *c));
    Compliance {
        limits: limits.name,
        pollutants,
        all_comply,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::composite::{GB3095_2012, GB3095_2026_TRANSITIONAL};
    use crate::period::Period;
    use crate::stats::{DayValues, period_stats};
    use chrono::NaiveDate;
    use std::collections::BTreeMap;

    fn year(pm25: impl Fn(usize) -> f64) -> PeriodStats {
        let p = Period::parse("2023").unwrap();
        let daily: BTreeMap<NaiveDate, DayValues> = p
            .dates()
            .enumerate()
            .map(|(i, d)| {
                (
                    d,
                    DayValues {
                        so2: Some(3.0),
                        no2: Some(26.0),
                        co: Some(0.6),
                        pm10: Some(60.0),
                        pm25: Some(pm25(i)),
                        o3_mda8: Some(150.0),
                        o3_max_1h: Some(180.0),
                    },
                )
            })
            .collect();
        period_stats(&p, &daily)
    }

    #[test]
    fn annual_mean_and_percentile_both_count() {
        // PM2.5 35.4 every day: published 35 ≤ 35 complies (rounded figures are compared).
        let c = compliance(&year(|_| 35.4), &GB3095_2012);
        assert_eq!(c.all_comply, Some(true));
        let pm = &c.pollutants[3];
        assert_eq!(pm.checks.len(), 2);
        // 35.6 → 36 > 35: exceeds by (36 − 35) / 35 = 0.0286 → 0.03.
        let c = compliance(&year(|_| 35.6), &GB3095_2012);
        let pm = &c.pollutants[3];
        assert_eq!(pm.complies, Some(false));
        assert_eq!(pm.checks[0].exceedance_multiple, Some(0.03));
        assert_eq!(c.all_comply, Some(false));
        // Mean 30 but 19 days of 200 of 365: P95 = 200 > 75 fails on the 24-h side only.
        // (k = 1 + 364 × 0.95 = 346.8: X(346) = 20, X(347) = 200 with 19 high days → 20 + 0.8 × 180 = 164)
        let c = compliance(&year(|i| if i < 19 { 200.0 } else { 20.0 }), &GB3095_2012);
        let pm = &c.pollutants[3];
        assert!(pm.checks[0].complies, "mean {}", pm.checks[0].value);
        assert_eq!(pm.checks[1].value, 164.0);
        assert_eq!(pm.checks[1].exceedance_multiple, Some(1.19));
        assert_eq!(pm.complies, Some(false));
    }

    #[test]
    fn the_2026_transitional_limits_are_stricter_for_pm() {
        // PM10 60 complies with 70 (2012) and with 60 (2026 transitional); PM2.5 31 does not
        // comply with 30.
        let c = compliance(&year(|_| 31.0), &GB3095_2026_TRANSITIONAL);
        assert_eq!(c.pollutants[2].complies, Some(true));
        assert_eq!(c.pollutants[3].complies, Some(false));
        assert_eq!(c.pollutants[3].checks[0].exceedance_multiple, Some(0.03));
        assert_eq!(
            compliance(&year(|_| 31.0), &GB3095_2012).all_comply,
            Some(true)
        );
    }

    #[test]
    fn a_missing_figure_leaves_compliance_open() {
        let p = Period::parse("2023-05").unwrap();
        let s = period_stats(&p, &BTreeMap::new());
        let c = compliance(&s, &GB3095_2012);
        assert_eq!(c.all_comply, None);
        // A month has no annual percentiles: one check per pollutant at most.
        assert!(c.pollutants.iter().all(|p| p.checks.len() <= 1));
    }
}
