//! Moving means and daily statistics that feed the indices, with their validity rules.
//!
//! Series are hourly, hour-ending, in time order, `None` for a missing or invalid hour.
//!
//! - O3 8-h moving mean (HJ 633—2012 §3.6; GB 3095—2026 §3): the mean of the 8 hours ending at
//!   the current hour, valid with at least 6 hourly values (GB 3095 Table 4).
//! - PM 24-h moving mean (HJ 633—2012 §5.1 real-time report): the mean of the 24 hours ending at
//!   the current hour. GB 3095 Table 4 asks 20 hourly values for a daily mean; a publisher may
//!   have used fewer (see `docs/aqi-oracle.md`), so the minimum is a parameter.

/// GB 3095 Table 4: an 8-h O3 mean needs 6 hourly values.
pub const O3_8H_MIN_HOURS: usize = 6;
/// GB 3095 Table 4: a daily (24-h) mean needs 20 hourly values.
pub const DAILY_MIN_HOURS: usize = 20;

/// The mean of the `window` values ending at each position, when at least `min_valid` of them
/// are present. Output has the input's length; the first `window − 1` positions see a partial
/// window (values before the series are unknown, counted as missing).
pub fn moving_mean(series: &[Option<f64>], window: usize, min_valid: usize) -> Vec<Option<f64>> {
    // A direct sum per window (window ≤ 24): no running-sum drift can reach a published digit.
    (0..series.len())
        .map(|i| {
            let lo = (i + 1).saturating_sub(window);
            let (sum, n) = series[lo..=i]
                .iter()
                .flatten()
                .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
            (n >= min_valid.max(1)).then(|| sum / n as f64)
        })
        .collect()
}

/// O3 8-h moving means with the GB 3095 rule of 6 valid hours.
pub fn o3_8h(series: &[Option<f64>]) -> Vec<Option<f64>> {
    moving_mean(series, 8, O3_8H_MIN_HOURS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_hour_needs_six_values() {
        let s = vec![
            Some(10.0),
            None,
            Some(20.0),
            Some(30.0),
            Some(40.0),
            Some(50.0),
            Some(60.0),
            None,
            Some(80.0),
        ];
        let m = o3_8h(&s);
        assert_eq!(m[4], None); // 4 values
        assert_eq!(m[5], None); // 5 values
        assert_eq!(m[6], Some(35.0)); // 10,20,30,40,50,60: 6 values
        assert_eq!(m[7], Some(35.0)); // window 0..=7, still 6 values
        // window 1..=8: 20,30,40,50,60,80 → 6 values, mean 280/6
        assert_eq!(m[8], Some(280.0 / 6.0));
    }

    #[test]
    fn moving_mean_lies_between_min_and_max() {
        let s: Vec<Option<f64>> = (0..100)
            .map(|i| {
                if i % 7 == 3 {
                    None
                } else {
                    Some(((i * 37) % 101) as f64)
                }
            })
            .collect();
        for (i, m) in moving_mean(&s, 24, 20).iter().enumerate() {
            if let Some(m) = m {
                let lo = (i + 1).saturating_sub(24);
                let w: Vec<f64> = s[lo..=i].iter().flatten().copied().collect();
                let (mn, mx) = w
                    .iter()
                    .fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
                assert!(*m >= mn && *m <= mx && w.len() >= 20);
            }
        }
    }
}
