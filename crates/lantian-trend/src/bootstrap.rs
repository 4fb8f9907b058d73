//! Bootstrap intervals for a Theil–Sen slope, as openair's `TheilSen` forms them (its `regci`,
//! from Wilcox): the `(x, y)` pairs are resampled — in overlapping blocks of `round(n^(1/3))`
//! consecutive points when the series is autocorrelated (a moving-block bootstrap, so that
//! runs of similar months stay together) — and the slope refitted on each resample.
//!
//! openair's defaults are kept: 599 resamples; the interval is the pair of order statistics
//! `[round(α/2 · B) + 1, B − round(α/2 · B)]` of the sorted replicates (16th and 584th of 599 at
//! α = 0.05); the p-value is `2 · min(q, 1 − q)` with `q = (#{b* < 0} + ½ #{b* = 0}) / B`.
//! R's random stream is not reproduced: the resamples come from ChaCha8 seeded by the caller,
//! so results are reproducible from the seed, and equal to openair's in distribution only.

use crate::theil_sen::{Line, theil_sen};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// openair's number of resamples.
pub const OPENAIR_RESAMPLES: usize = 599;

/// Options of the bootstrap.
#[derive(Clone, Copy, Debug, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Bootstrap {
    pub resamples: usize,
    /// Moving blocks of `round(n^(1/3))` points (openair's `autocor = TRUE`), else single points.
    pub autocorrelation: bool,
    /// 0.05 for 95 % intervals.
    pub alpha: f64,
    pub seed: u64,
}

impl Default for Bootstrap {
    fn default() -> Self {
        Bootstrap {
            resamples: OPENAIR_RESAMPLES,
            autocorrelation: true,
            alpha: 0.05,
            seed: 2,
        }
    }
}

/// The bootstrap of one fit.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlopeInterval {
    pub block_length: usize,
    pub slope_lower: f64,
    pub slope_upper: f64,
    pub intercept_lower: f64,
    pub intercept_upper: f64,
    /// Two-sided bootstrap p-value of "slope = 0".
    pub p: f64,
}

/// The block length openair uses: `round(n^(1/3))` with autocorrelation, else 1.
pub fn block_length(n: usize, autocorrelation: bool) -> usize {
    if autocorrelation {
        ((n as f64).cbrt().round() as usize).max(1)
    } else {
        1
    }
}

/// One moving-block resample of `0..n`: blocks of `len` consecutive indices starting uniformly
/// in `0..=n − len`, concatenated and cut to `n` (openair's `samp.boot.block`).
pub fn block_indices(n: usize, len: usize, rng: &mut impl Rng) -> Vec<usize> {
    let len = len.clamp(1, n.max(1));
    let mut idx = Vec::with_capacity(n + len);
    while idx.len() < n {
        let start = rng.random_range(0..=n - len);
        idx.extend(start..start + len);
    }
    idx.truncate(n);
    idx
}

/// The `k`-th smallest (1-based, clamped) of sorted values.
fn order_stat(sorted: &[f64], k: usize) -> f64 {
    sorted[k.clamp(1, sorted.len()) - 1]
}

/// Bootstrap the Theil–Sen fit of `(x, y)`. `None` when fewer than 3 points, or when no
/// resample has two distinct `x`.
pub fn bootstrap_slope(x: &[f64], y: &[f64], b: &Bootstrap) -> Option<SlopeInterval> {
    let n = x.len();
    if n < 3 || b.resamples == 0 {
        return None;
    }
    let len = block_length(n, b.autocorrelation);
    let mut rng = ChaCha8Rng::seed_from_u64(b.seed);
    let mut slopes = Vec::with_capacity(b.resamples);
    let mut intercepts = Vec::with_capacity(b.resamples);
    let (mut xs, mut ys) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for _ in 0..b.resamples {
        let idx = block_indices(n, len, &mut rng);
        xs.clear();
        ys.clear();
        xs.extend(idx.iter().map(|&i| x[i]));
        ys.extend(idx.iter().map(|&i| y[i]));
        if let Some(Line { slope, intercept }) = theil_sen(&xs, &ys) {
            slopes.push(slope);
            intercepts.push(intercept);
        }
    }
    if slopes.is_empty() {
        return None;
    }
    let m = slopes.len() as f64;
    let below = slopes.iter().filter(|s| **s < 0.0).count() as f64;
    let zero = slopes.iter().filter(|s| **s == 0.0).count() as f64;
    let q = (below + 0.5 * zero) / m;
    let p = 2.0 * q.min(1.0 - q);
    slopes.sort_by(f64::total_cmp);
    intercepts.sort_by(f64::total_cmp);
    let low = (b.alpha / 2.0 * slopes.len() as f64).round() as usize;
    let (lo, hi) = (low + 1, slopes.len() - low);
    Some(SlopeInterval {
        block_length: len,
        slope_lower: order_stat(&slopes, lo),
        slope_upper: order_stat(&slopes, hi),
        intercept_lower: order_stat(&intercepts, lo),
        intercept_upper: order_stat(&intercepts, hi),
        p,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openair_block_lengths_and_order_statistics() {
        // n = 120 months: round(120^(1/3)) = round(4.93) = 5; n = 48: round(3.63) = 4.
        assert_eq!(block_length(120, true), 5);
        assert_eq!(block_length(48, true), 4);
        assert_eq!(block_length(48, false), 1);
        // 599 resamples at α = 0.05: round(14.975) = 15 → the 16th and the 584th.
        let low = (0.05_f64 / 2.0 * 599.0).round() as usize;
        assert_eq!((low + 1, 599 - low), (16, 584));
    }

    #[test]
    fn blocks_are_runs_of_consecutive_indices() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let idx = block_indices(10, 3, &mut rng);
        assert_eq!(idx.len(), 10);
        // Positions 0..3, 3..6, 6..9 each hold one run of three; the last is a cut run.
        for c in idx.chunks(3) {
            for w in c.windows(2) {
                assert_eq!(w[1], w[0] + 1, "{idx:?}");
            }
            assert!(c[0] <= 7);
        }
    }

    #[test]
    fn a_clear_trend_is_significant_and_inside_its_interval() {
        // 60 months, +2 a month with a ±3 zig-zag: the slope is 2 and every resample sees it.
        let x: Vec<f64> = (0..60).map(f64::from).collect();
        let y: Vec<f64> = x
            .iter()
            .map(|t| 2.0 * t + if (*t as i32) % 2 == 0 { 3.0 } else { -3.0 })
            .collect();
        let r = bootstrap_slope(&x, &y, &Bootstrap::default()).unwrap();
        assert!(r.slope_lower <= 2.0 && 2.0 <= r.slope_upper, "{r:?}");
        assert_eq!(r.p, 0.0);
        assert_eq!(r.block_length, 4);
    }

    #[test]
    fn no_trend_is_not_significant_and_the_seed_reproduces() {
        // A repeating pattern with no drift.
        let x: Vec<f64> = (0..48).map(f64::from).collect();
        let y: Vec<f64> = (0..48).map(|i| f64::from((i * 7) % 5)).collect();
        let b = Bootstrap::default();
        let r = bootstrap_slope(&x, &y, &b).unwrap();
        assert!(r.p > 0.1, "{r:?}");
        assert!(r.slope_lower <= 0.0 && 0.0 <= r.slope_upper);
        let again = bootstrap_slope(&x, &y, &b).unwrap();
        assert_eq!((r.p, r.slope_lower), (again.p, again.slope_lower));
    }
}
