//! Ordinary kriging: the best linear unbiased estimate under an unknown constant mean.
//!
//! At a location `x₀`, the weights `wᵢ` of the neighbouring samples and the Lagrange multiplier
//! `μ` solve (Cressie 1993, *Statistics for Spatial Data*, §3.2, in the semivariogram form):
//!
//! ```text
//! | Γ   1 | | w |   | γ₀ |        Γᵢⱼ = γ(|xᵢ − xⱼ|),  γ₀ᵢ = γ(|xᵢ − x₀|)
//! | 1ᵀ  0 | | μ | = | 1  |
//! ```
//!
//! so the weights sum to 1 (unbiasedness), the estimate is `Σ wᵢ zᵢ` and the kriging variance
//! `Σ wᵢ γ₀ᵢ + μ`. The system is solved by LU decomposition with partial pivoting (nalgebra).
//!
//! The neighbourhood mirrors skgstat's `OrdinaryKriging` defaults: the samples within the
//! variogram's effective range (inclusive), at most `max_points = 15` of them (the nearest),
//! and no estimate when fewer than `min_points = 5` are found ([`Neighbourhood::default`]).
//! Beyond the range the samples carry no spatial information under the model, which is why
//! skgstat leaves such locations empty rather than returning the mean.
//!
//! Samples at the same coordinates make Γ singular. As skgstat does
//! (`OrdinaryKriging._remove_duplicated_coordinates`), only the first sample at each location
//! is used; the others are listed by [`OrdinaryKriging::duplicates_ignored`], not silently lost.

use std::collections::HashSet;

use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};

use crate::error::{GeostatError, Unpredictable};
use crate::fit::FittedVariogram;
use crate::interpolate::{Interpolator, Prediction, neighbours};
use crate::point::{Point, check_finite};

/// Which samples take part in an estimate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Neighbourhood {
    /// Fewer samples than this within the search radius: no estimate (skgstat: 5).
    pub min_points: usize,
    /// At most this many, the nearest (skgstat: 15).
    pub max_points: usize,
    /// The search radius; `None` means the variogram's effective range (skgstat's choice).
    pub max_dist: Option<f64>,
}

impl Default for Neighbourhood {
    /// skgstat's `OrdinaryKriging` defaults: 5 to 15 samples within the effective range.
    fn default() -> Self {
        Self {
            min_points: 5,
            max_points: 15,
            max_dist: None,
        }
    }
}

impl Neighbourhood {
    pub(crate) fn check(&self) -> Result<(), GeostatError> {
        if self.min_points == 0 {
            return Err(GeostatError::InvalidParameter {
                name: "min_points",
                value: 0.0,
                reason: "an estimate needs at least one sample",
            });
        }
        if self.max_points < self.min_points {
            return Err(GeostatError::InvalidParameter {
                name: "max_points",
                value: self.max_points as f64,
                reason: "max_points cannot be smaller than min_points",
            });
        }
        if let Some(d) = self.max_dist
            && (d.is_nan() || d < 0.0)
        {
            return Err(GeostatError::InvalidParameter {
                name: "max_dist",
                value: d,
                reason: "the search radius is a non-negative distance",
            });
        }
        Ok(())
    }
}

/// The kriging weights at one location.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KrigingWeights {
    /// Indices of the neighbours in the samples passed to [`OrdinaryKriging::new`].
    pub indices: Vec<usize>,
    /// Their weights, in the same order; they sum to 1.
    pub weights: Vec<f64>,
    /// The Lagrange multiplier `μ`.
    pub lagrange: f64,
}

/// An ordinary kriging interpolator over a set of samples with a fixed variogram.
///
/// ```
/// use lantian_geostat::{FittedVariogram, Neighbourhood, OrdinaryKriging, Point, VariogramModel};
/// let points = [Point::new(0.0, 0.0, 1.0), Point::new(10.0, 0.0, 3.0), Point::new(0.0, 10.0, 2.0)];
/// let v = FittedVariogram::manual(VariogramModel::Spherical, 30.0, 1.0, 0.0).unwrap();
/// let ok = OrdinaryKriging::new(&points, &v, Neighbourhood { min_points: 3, ..Neighbourhood::default() }).unwrap();
/// // At a sample, the sample itself (an exact interpolator) with no kriging variance.
/// let at = ok.predict(10.0, 0.0).unwrap();
/// assert!((at.estimate - 3.0).abs() < 1e-12 && at.variance.unwrap().abs() < 1e-12);
/// ```
#[derive(Debug, Clone)]
pub struct OrdinaryKriging {
    /// The samples used: the first at each location, in the order given.
    points: Vec<Point>,
    /// For each used sample, its index in the samples given.
    original_index: Vec<usize>,
    duplicates_ignored: Vec<usize>,
    variogram: FittedVariogram,
    neighbourhood: Neighbourhood,
    search_radius: f64,
}

impl OrdinaryKriging {
    /// Kriging over `points` with `variogram`; see the [module documentation](self).
    pub fn new(
        points: &[Point],
        variogram: &FittedVariogram,
        neighbourhood: Neighbourhood,
    ) -> Result<Self, GeostatError> {
        check_finite(points)?;
        neighbourhood.check()?;
        let mut seen = HashSet::with_capacity(points.len());
        let mut used = Vec::with_capacity(points.len());
        let mut original_index = Vec::with_capacity(points.len());
        let mut duplicates_ignored = Vec::new();
        for (i, p) in points.iter().enumerate() {
            // `+ 0.0` makes −0.0 and 0.0 one location.
            if seen.insert(((p.x + 0.0).to_bits(), (p.y + 0.0).to_bits())) {
                used.push(*p);
                original_index.push(i);
            } else {
                duplicates_ignored.push(i);
            }
        }
        if used.len() < neighbourhood.min_points {
            return Err(GeostatError::TooFewPoints {
                operation: "ordinary kriging (distinct locations, min_points)",
                needed: neighbourhood.min_points,
                found: used.len(),
            });
        }
        Ok(Self {
            points: used,
            original_index,
            duplicates_ignored,
            variogram: *variogram,
            search_radius: neighbourhood.max_dist.unwrap_or(variogram.effective_range),
            neighbourhood,
        })
    }

    /// Indices (in the samples given) of the samples not used because an earlier one has the
    /// same coordinates.
    pub fn duplicates_ignored(&self) -> &[usize] {
        &self.duplicates_ignored
    }

    /// The search radius in force (the neighbourhood's `max_dist` or the effective range).
    pub fn search_radius(&self) -> f64 {
        self.search_radius
    }

    /// The weights at `(x, y)`, or why there are none.
    pub fn weights(&self, x: f64, y: f64) -> Result<KrigingWeights, Unpredictable> {
        self.solve(x, y).map(|s| KrigingWeights {
            indices: s
                .neighbours
                .iter()
                .map(|&(i, _)| self.original_index[i])
                .collect(),
            weights: s.weights,
            lagrange: s.lagrange,
        })
    }

    /// The estimate and kriging variance at `(x, y)`, or why there is none.
    pub fn predict(&self, x: f64, y: f64) -> Result<Prediction, Unpredictable> {
        let s = self.solve(x, y)?;
        let mut estimate = 0.0;
        let mut variance = s.lagrange;
        for (&(i, d), w) in s.neighbours.iter().zip(&s.weights) {
            estimate += w * self.points[i].value;
            variance += w * self.variogram.semivariance(d);
        }
        Ok(Prediction {
            estimate,
            variance: Some(variance),
        })
    }

    fn solve(&self, x: f64, y: f64) -> Result<Solution, Unpredictable> {
        let nb = neighbours(
            &self.points,
            x,
            y,
            self.search_radius,
            self.neighbourhood.max_points,
        );
        let n = nb.len();
        if n < self.neighbourhood.min_points {
            return Err(Unpredictable::TooFewNeighbours {
                found: n,
                needed: self.neighbourhood.min_points,
                search_radius: self.search_radius,
            });
        }
        let v = &self.variogram;
        // Γ is symmetric with γ(0) = 0 on the diagonal: each pair is evaluated once.
        let mut a = DMatrix::zeros(n + 1, n + 1);
        for r in 0..n {
            let p = &self.points[nb[r].0];
            for c in r + 1..n {
                let q = &self.points[nb[c].0];
                let g = v.semivariance(p.distance_to(q.x, q.y));
                a[(r, c)] = g;
                a[(c, r)] = g;
            }
            a[(r, n)] = 1.0;
            a[(n, r)] = 1.0;
        }
        let b = DVector::from_fn(
            n + 1,
            |r, _| if r < n { v.semivariance(nb[r].1) } else { 1.0 },
        );
        let solution = a
            .lu()
            .solve(&b)
            .filter(|s| s.iter().all(|x| x.is_finite()))
            .ok_or(Unpredictable::SingularSystem { neighbours: n })?;
        Ok(Solution {
            weights: solution.rows(0, n).iter().copied().collect(),
            lagrange: solution[n],
            neighbours: nb,
        })
    }
}

struct Solution {
    neighbours: Vec<(usize, f64)>,
    weights: Vec<f64>,
    lagrange: f64,
}

impl Interpolator for OrdinaryKriging {
    fn predict(&self, x: f64, y: f64) -> Result<Prediction, Unpredictable> {
        OrdinaryKriging::predict(self, x, y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::VariogramModel;

    fn linear_like(range: f64) -> FittedVariogram {
        FittedVariogram::manual(VariogramModel::Spherical, range, 1.0, 0.0).unwrap()
    }

    fn all_three() -> Neighbourhood {
        Neighbourhood {
            min_points: 3,
            max_points: 15,
            max_dist: None,
        }
    }

    /// Three samples on a line at x = 0, 1, 3 (values 10, 20, 40), the target at x = 2;
    /// spherical, r = 4, partial sill 1, no nugget: γ(1) = 188/512, γ(2) = 352/512,
    /// γ(3) = 468/512. The system
    ///
    /// ```text
    ///   γ1 w1 + γ3 w2 + μ = γ2        (sample 0: at 1 and 3 from the others, 2 from the target)
    ///   γ1 w0 + γ2 w2 + μ = γ1        (sample 1)
    ///   γ3 w0 + γ2 w1 + μ = γ1        (sample 2)
    ///   w0 + w1 + w2 = 1
    /// ```
    ///
    /// by hand: subtracting the first equation from the other two removes μ; with
    /// w2 = 1 − w0 − w1 and everything times 512 this leaves 304 w0 − 72 w1 = −48 and
    /// 936 w0 + 632 w1 = 304, so (Cramer, determinant 259 520) w0 = −8448/259 520 = −132/4055,
    /// w1 = 137 344/259 520 = 2146/4055, w2 = 2041/4055, and μ = γ2 − γ1 w1 − γ3 w2 =
    /// 17181/519 040. Estimate Σ wᵢ zᵢ = 24648/811; variance Σ wᵢ γ₀ᵢ + μ = 101177/259 520.
    #[test]
    fn three_point_system_by_hand() {
        let points = [
            Point::new(0.0, 0.0, 10.0),
            Point::new(1.0, 0.0, 20.0),
            Point::new(3.0, 0.0, 40.0),
        ];
        let ok = OrdinaryKriging::new(&points, &linear_like(4.0), all_three()).unwrap();
        let w = ok.weights(2.0, 0.0).unwrap();
        assert_eq!(w.indices, [0, 1, 2]);
        let expected = [-132.0 / 4055.0, 2146.0 / 4055.0, 2041.0 / 4055.0];
        for (got, want) in w.weights.iter().zip(expected) {
            assert!(
                (got - want).abs() < 1e-14,
                "{:?} vs {expected:?}",
                w.weights
            );
        }
        assert!(
            (w.lagrange - 17181.0 / 519_040.0).abs() < 1e-14,
            "{}",
            w.lagrange
        );
        let p = ok.predict(2.0, 0.0).unwrap();
        assert!((p.estimate - 24648.0 / 811.0).abs() < 1e-12, "{p:?}");
        assert!(
            (p.variance.unwrap() - 101_177.0 / 259_520.0).abs() < 1e-14,
            "{p:?}"
        );
    }

    #[test]
    fn exact_at_samples_even_with_a_nugget() {
        let points = [
            Point::new(0.0, 0.0, 1.0),
            Point::new(5.0, 0.0, 4.0),
            Point::new(0.0, 5.0, 9.0),
            Point::new(5.0, 5.0, 16.0),
        ];
        let v = FittedVariogram::manual(VariogramModel::Exponential, 20.0, 3.0, 1.0).unwrap();
        let ok = OrdinaryKriging::new(&points, &v, all_three()).unwrap();
        for p in &points {
            let got = ok.predict(p.x, p.y).unwrap();
            assert!((got.estimate - p.value).abs() < 1e-9, "{got:?} at {p:?}");
            assert!(got.variance.unwrap().abs() < 1e-9);
        }
    }

    #[test]
    fn neighbourhood_rules() {
        let points: Vec<Point> = (0..10)
            .map(|i| Point::new(i as f64, 0.0, i as f64))
            .collect();
        let v = linear_like(2.5);
        let ok = OrdinaryKriging::new(&points, &v, Neighbourhood::default()).unwrap();
        // Within 2.5 of x = 4.5: 2..=7, six samples: an estimate.
        assert_eq!(ok.weights(4.5, 0.0).unwrap().indices.len(), 6);
        // At x = 20 nothing is within range.
        assert_eq!(
            ok.predict(20.0, 0.0),
            Err(Unpredictable::TooFewNeighbours {
                found: 0,
                needed: 5,
                search_radius: 2.5
            })
        );
        let capped = Neighbourhood {
            max_points: 5,
            max_dist: Some(100.0),
            ..Neighbourhood::default()
        };
        let ok = OrdinaryKriging::new(&points, &v, capped).unwrap();
        let mut idx = ok.weights(0.0, 0.0).unwrap().indices;
        idx.sort();
        assert_eq!(idx, [0, 1, 2, 3, 4]);
    }

    #[test]
    fn duplicates_are_listed_not_used() {
        let points = [
            Point::new(0.0, 0.0, 1.0),
            Point::new(1.0, 0.0, 2.0),
            Point::new(-0.0, 0.0, 100.0),
            Point::new(0.0, 1.0, 3.0),
        ];
        let ok = OrdinaryKriging::new(&points, &linear_like(10.0), all_three()).unwrap();
        assert_eq!(ok.duplicates_ignored(), [2]);
        let w = ok.weights(0.5, 0.5).unwrap();
        assert_eq!(w.indices, [0, 1, 3]);
        assert!((ok.predict(0.0, 0.0).unwrap().estimate - 1.0).abs() < 1e-12);
    }

    #[test]
    fn bad_neighbourhoods_are_refused() {
        let points = [Point::new(0.0, 0.0, 1.0)];
        let v = linear_like(1.0);
        let n = Neighbourhood {
            min_points: 0,
            ..Neighbourhood::default()
        };
        assert!(OrdinaryKriging::new(&points, &v, n).is_err());
        let n = Neighbourhood {
            min_points: 6,
            max_points: 5,
            max_dist: None,
        };
        assert!(OrdinaryKriging::new(&points, &v, n).is_err());
        assert!(matches!(
            OrdinaryKriging::new(&points, &v, Neighbourhood::default()),
            Err(GeostatError::TooFewPoints {
                needed: 5,
                found: 1,
                ..
            })
        ));
    }
}
