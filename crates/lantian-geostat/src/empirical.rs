//! The empirical (experimental) variogram: half the mean squared difference of the values of
//! sample pairs, by classes of their separating distance.
//!
//! The steps, and the skgstat default each mirrors (`skgstat.Variogram`, `bin_func='even'`,
//! `n_lags=10`, `maxlag=None`, `estimator='matheron'`):
//!
//! 1. All `n(n−1)/2` pairs, with their Euclidean distance and the absolute difference of their
//!    values.
//! 2. `maxlag`: the largest distance considered; by default (and whenever a larger one is
//!    asked for) the largest pair distance.
//! 3. Lag classes up to `maxlag` ([`BinFunc`]): `n_lags` classes of equal width (`Even`), or of
//!    equal pair counts (`Uniform`: the upper edges are the `k/n_lags` percentiles, with linear
//!    interpolation, of the distances up to `maxlag`).
//! 4. A pair belongs to the class whose half-open interval `[lower, upper)` holds its distance;
//!    a pair at `maxlag` or beyond is in no class. This is numpy's `digitize` as skgstat applies
//!    it, and it has one consequence worth knowing: with the default `maxlag`, the farthest pair
//!    itself is left out (for Meuse, 11,934 of the 11,935 pairs are used).
//! 5. The semivariance of each class by the [`Estimator`]; a class without pairs has none.

use serde::{Deserialize, Serialize};

use crate::GeostatError;
use crate::point::{Point, check_finite};

/// How the lag class edges are placed between 0 and `maxlag`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BinFunc {
    /// Classes of equal width `maxlag / n_lags` (skgstat's default, `'even'`).
    #[default]
    Even,
    /// Classes holding (nearly) equal numbers of pairs: upper edges at the `k / n_lags`
    /// percentiles of the distances up to `maxlag` (skgstat's `'uniform'`).
    Uniform,
}

/// The lag classes: how many, up to which distance, placed how.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Binning {
    /// Number of lag classes (skgstat's default: 10).
    pub n_lags: usize,
    /// The largest distance considered, in the coordinates' unit; `None` (skgstat's default) or
    /// a value above the largest pair distance means the largest pair distance. skgstat's
    /// relative form (`0 < maxlag < 1`, a fraction of the largest distance) is written here as
    /// that fraction times the largest distance.
    pub maxlag: Option<f64>,
    /// How the edges are placed.
    pub bin_func: BinFunc,
}

impl Default for Binning {
    /// skgstat's defaults: 10 even classes up to the largest distance.
    fn default() -> Self {
        Self {
            n_lags: 10,
            maxlag: None,
            bin_func: BinFunc::Even,
        }
    }
}

/// How the semivariance of a lag class is estimated from its pairs' value differences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Estimator {
    /// Matheron (1962): `γ = Σ d² / (2N)`, the method-of-moments estimator; skgstat's default.
    #[default]
    Matheron,
    /// Cressie & Hawkins (1980, Math. Geol. 12, 115): `γ = (mean √|d|)⁴ / (2 (0.457 + 0.494/N
    /// + 0.045/N²))`, robust to outlying differences (a few very high zinc values, say).
    Cressie,
}

impl Estimator {
    /// The semivariance of one class from its absolute value differences; `None` when empty.
    pub fn estimate(self, abs_diffs: &[f64]) -> Option<f64> {
        if abs_diffs.is_empty() {
            return None;
        }
        let n = abs_diffs.len() as f64;
        Some(match self {
            Self::Matheron => abs_diffs.iter().map(|d| d * d).sum::<f64>() / (2.0 * n),
            Self::Cressie => {
                let mean_sqrt = abs_diffs.iter().map(|d| d.sqrt()).sum::<f64>() / n;
                mean_sqrt.powi(4) / (2.0 * (0.457 + 0.494 / n + 0.045 / (n * n)))
            }
        })
    }
}

/// One lag class: its distance interval, its pairs and their semivariance.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LagClass {
    /// Lower edge (inclusive); 0 for the first class.
    pub lower_edge: f64,
    /// Upper edge (exclusive). skgstat reports and fits its variogram at this distance.
    pub upper_edge: f64,
    /// Number of pairs whose distance falls in `[lower_edge, upper_edge)`.
    pub pairs: usize,
    /// The estimator's semivariance; `None` for a class without pairs.
    pub semivariance: Option<f64>,
}

impl LagClass {
    /// The middle of the class (skgstat's `get_empirical(bin_center=True)`).
    pub fn centre(&self) -> f64 {
        0.5 * (self.lower_edge + self.upper_edge)
    }
}

/// An empirical variogram: the lag classes in order of distance, and how they were made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmpiricalVariogram {
    /// The classes, nearest first.
    pub lags: Vec<LagClass>,
    /// The `maxlag` in force (after capping at the largest pair distance).
    pub maxlag: f64,
    /// The largest distance between two samples.
    pub max_distance: f64,
    /// All pairs, `n(n−1)/2`.
    pub pairs_total: usize,
    /// Pairs at `maxlag` or beyond, in no class.
    pub pairs_beyond_maxlag: usize,
    pub binning: Binning,
    pub estimator: Estimator,
}

impl EmpiricalVariogram {
    /// The empirical variogram of `points` (see the [module documentation](self) for the steps).
    ///
    /// ```
    /// use lantian_geostat::{Binning, BinFunc, EmpiricalVariogram, Estimator, Point};
    /// // Four samples on a line, 1 apart: pairs at distances 1 (×3), 2 (×2) and 3 (×1).
    /// let points: Vec<Point> =
    ///     [1.0, 3.0, 2.0, 6.0].iter().enumerate().map(|(i, &v)| Point::new(i as f64, 0.0, v)).collect();
    /// let binning = Binning { n_lags: 3, maxlag: Some(3.5), bin_func: BinFunc::Even };
    /// let ev = EmpiricalVariogram::compute(&points, binning, Estimator::Matheron).unwrap();
    /// // maxlag is capped at the largest distance, 3, so the one pair at 3 is in no class.
    /// assert_eq!(ev.pairs_beyond_maxlag, 1);
    /// // Class [1, 2): differences 2, 1, 4 → (4 + 1 + 16) / (2·3) = 3.5.
    /// assert_eq!(ev.lags[1].semivariance, Some(3.5));
    /// ```
    pub fn compute(
        points: &[Point],
        binning: Binning,
        estimator: Estimator,
    ) -> Result<Self, GeostatError> {
        if points.len() < 2 {
            return Err(GeostatError::TooFewPoints {
                operation: "an empirical variogram",
                needed: 2,
                found: points.len(),
            });
        }
        check_finite(points)?;
        if binning.n_lags == 0 {
            return Err(GeostatError::InvalidParameter {
                name: "n_lags",
                value: 0.0,
                reason: "at least one lag class is needed",
            });
        }
        if let Some(m) = binning.maxlag
            && !(m.is_finite() && m > 0.0)
        {
            return Err(GeostatError::InvalidParameter {
                name: "maxlag",
                value: m,
                reason: "maxlag must be a positive distance",
            });
        }

        let n = points.len();
        let mut distances = Vec::with_capacity(n * (n - 1) / 2);
        let mut diffs = Vec::with_capacity(n * (n - 1) / 2);
        for (i, a) in points.iter().enumerate() {
            for b in &points[i + 1..] {
                distances.push(a.distance_to(b.x, b.y));
                diffs.push((a.value - b.value).abs());
            }
        }
        let max_distance = distances.iter().copied().fold(0.0, f64::max);
        let maxlag = match binning.maxlag {
            Some(m) if m <= max_distance => m,
            _ => max_distance,
        };
        if maxlag <= 0.0 {
            return Err(GeostatError::NoPairs { maxlag });
        }

        let upper = upper_edges(&distances, maxlag, binning);
        // The class of a distance: the number of upper edges at or below it (numpy's
        // `digitize(d, edges)`); n_lags means "at or beyond the last edge", in no class.
        let mut classes: Vec<Vec<f64>> = vec![Vec::new(); binning.n_lags];
        let mut beyond = 0;
        for (&d, &diff) in distances.iter().zip(&diffs) {
            let k = upper.partition_point(|&e| e <= d);
            match classes.get_mut(k) {
                Some(class) => class.push(diff),
                None => beyond += 1,
            }
        }
        let lags: Vec<LagClass> = classes
            .iter()
            .enumerate()
            .map(|(k, class)| LagClass {
                lower_edge: if k == 0 { 0.0 } else { upper[k - 1] },
                upper_edge: upper[k],
                pairs: class.len(),
                semivariance: estimator.estimate(class),
            })
            .collect();
        if lags.iter().all(|l| l.semivariance.is_none()) {
            return Err(GeostatError::NoPairs { maxlag });
        }
        Ok(Self {
            lags,
            maxlag,
            max_distance,
            pairs_total: distances.len(),
            pairs_beyond_maxlag: beyond,
            binning,
            estimator,
        })
    }

    /// The classes with a semivariance, as `(upper edge, semivariance)`: what the fit uses.
    pub fn observed(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        self.lags
            .iter()
            .filter_map(|l| l.semivariance.map(|g| (l.upper_edge, g)))
    }
}

/// The `n_lags` upper class edges, the last at `maxlag` (even) or at the largest distance up
/// to `maxlag` (uniform).
fn upper_edges(distances: &[f64], maxlag: f64, binning: Binning) -> Vec<f64> {
    let n = binning.n_lags;
    match binning.bin_func {
        BinFunc::Even => (1..=n)
            .map(|k| {
                if k == n {
                    maxlag
                } else {
                    maxlag * k as f64 / n as f64
                }
            })
            .collect(),
        BinFunc::Uniform => {
            let mut within: Vec<f64> = distances.iter().copied().filter(|&d| d <= maxlag).collect();
            within.sort_by(f64::total_cmp);
            (1..=n)
                .map(|k| percentile_linear(&within, k as f64 / n as f64))
                .collect()
        }
    }
}

/// The `q`-quantile (0 ≤ q ≤ 1) of sorted, non-empty `sorted`, interpolating linearly between
/// order statistics (numpy's default `method='linear'`, Hyndman & Fan's type 7).
fn percentile_linear(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    let frac = pos - lo as f64;
    sorted[lo] + (sorted[hi] - sorted[lo]) * frac
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(values: &[f64]) -> Vec<Point> {
        values
            .iter()
            .enumerate()
            .map(|(i, &v)| Point::new(i as f64, 0.0, v))
            .collect()
    }

    #[test]
    fn four_points_by_hand() {
        // Values 1, 3, 2, 6 at x = 0..3. Pairs (distance: |diff|):
        // 1: |1−3|=2, |3−2|=1, |2−6|=4;  2: |1−2|=1, |3−6|=3;  3: |1−6|=5.
        let points = line(&[1.0, 3.0, 2.0, 6.0]);
        let binning = Binning {
            n_lags: 3,
            maxlag: None,
            bin_func: BinFunc::Even,
        };
        let ev = EmpiricalVariogram::compute(&points, binning, Estimator::Matheron).unwrap();
        assert_eq!(ev.max_distance, 3.0);
        assert_eq!(ev.maxlag, 3.0);
        assert_eq!(ev.pairs_total, 6);
        let edges: Vec<_> = ev
            .lags
            .iter()
            .map(|l| (l.lower_edge, l.upper_edge))
            .collect();
        assert_eq!(edges, [(0.0, 1.0), (1.0, 2.0), (2.0, 3.0)]);
        // [0, 1) is empty; [1, 2) holds the three neighbours, [2, 3) the two at 2; the pair at
        // 3 = maxlag is in no class.
        let pairs: Vec<_> = ev.lags.iter().map(|l| l.pairs).collect();
        assert_eq!(pairs, [0, 3, 2]);
        assert_eq!(ev.pairs_beyond_maxlag, 1);
        assert_eq!(ev.lags[0].semivariance, None);
        assert_eq!(ev.lags[1].semivariance, Some((4.0 + 1.0 + 16.0) / 6.0));
        assert_eq!(ev.lags[2].semivariance, Some((1.0 + 9.0) / 4.0));
        assert_eq!(ev.lags[1].centre(), 1.5);
        let observed: Vec<_> = ev.observed().collect();
        assert_eq!(observed, [(2.0, 3.5), (3.0, 2.5)]);
    }

    #[test]
    fn maxlag_above_the_largest_distance_is_capped() {
        let points = line(&[1.0, 3.0, 2.0, 6.0]);
        let b = |maxlag| Binning {
            n_lags: 3,
            maxlag,
            bin_func: BinFunc::Even,
        };
        let capped = EmpiricalVariogram::compute(&points, b(Some(30.0)), Estimator::Matheron);
        let default = EmpiricalVariogram::compute(&points, b(None), Estimator::Matheron);
        assert_eq!(capped.unwrap().lags, default.unwrap().lags);
        // A smaller maxlag: edges 0.8, 1.6, 2.4; the pairs at 3 are beyond.
        let ev = EmpiricalVariogram::compute(&points, b(Some(2.4)), Estimator::Matheron).unwrap();
        let pairs: Vec<_> = ev.lags.iter().map(|l| l.pairs).collect();
        assert_eq!(pairs, [0, 3, 2]);
        assert_eq!(ev.pairs_beyond_maxlag, 1);
    }

    #[test]
    fn cressie_hawkins_by_hand() {
        // One class of four differences 1, 4, 9, 16: mean √d = 2.5, 2.5⁴ = 39.0625,
        // denominator 2 (0.457 + 0.494/4 + 0.045/16) = 1.166625.
        let g = Estimator::Cressie.estimate(&[1.0, 4.0, 9.0, 16.0]).unwrap();
        assert!((g - 39.0625 / 1.166_625).abs() < 1e-12, "{g}");
        assert_eq!(
            Estimator::Matheron.estimate(&[1.0, 4.0, 9.0, 16.0]),
            Some(354.0 / 8.0)
        );
        assert_eq!(Estimator::Cressie.estimate(&[]), None);
    }

    #[test]
    fn uniform_edges_are_linear_percentiles() {
        // Distances 1, 1, 1, 2, 2, 3 (the four points above): up to maxlag 3, sorted.
        // k/3 percentiles with numpy's linear rule: positions 5/3 and 10/3 and 5.
        let points = line(&[1.0, 3.0, 2.0, 6.0]);
        let binning = Binning {
            n_lags: 3,
            maxlag: None,
            bin_func: BinFunc::Uniform,
        };
        let ev = EmpiricalVariogram::compute(&points, binning, Estimator::Matheron).unwrap();
        let upper: Vec<_> = ev.lags.iter().map(|l| l.upper_edge).collect();
        assert_eq!(upper[0], 1.0);
        assert_eq!(upper[1], 2.0);
        assert_eq!(upper[2], 3.0);
        // [0, 1) empty, [1, 2) the three at 1, [2, 3) the two at 2.
        let pairs: Vec<_> = ev.lags.iter().map(|l| l.pairs).collect();
        assert_eq!(pairs, [0, 3, 2]);
    }

    #[test]
    fn bad_inputs_are_refused_with_context() {
        let points = line(&[1.0, 3.0]);
        let e = EmpiricalVariogram::compute(&points[..1], Binning::default(), Estimator::Matheron);
        assert!(matches!(
            e,
            Err(GeostatError::TooFewPoints { found: 1, .. })
        ));
        let mut bad = line(&[1.0, 3.0, 4.0]);
        bad[2].value = f64::NAN;
        let e = EmpiricalVariogram::compute(&bad, Binning::default(), Estimator::Matheron);
        assert!(matches!(
            e,
            Err(GeostatError::NonFinite {
                index: 2,
                field: "value",
                ..
            })
        ));
        let same = vec![Point::new(1.0, 1.0, 1.0), Point::new(1.0, 1.0, 2.0)];
        let e = EmpiricalVariogram::compute(&same, Binning::default(), Estimator::Matheron);
        assert!(matches!(e, Err(GeostatError::NoPairs { .. })));
        let zero = Binning {
            n_lags: 0,
            ..Binning::default()
        };
        let e = EmpiricalVariogram::compute(&points, zero, Estimator::Matheron);
        assert!(matches!(
            e,
            Err(GeostatError::InvalidParameter { name: "n_lags", .. })
        ));
    }
}
