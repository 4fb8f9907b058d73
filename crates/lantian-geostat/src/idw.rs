//! Inverse distance weighting (Shepard 1968): the weighted mean of the samples, with weights
//! `1 / dᵖ`.
//!
//! No model and no error estimate: the baseline that kriging should beat in cross-validation.
//! At a sample's location the weight would be infinite; the estimate there is the sample's
//! value (the mean of the samples there, if several share the location), so IDW, like ordinary
//! kriging, is an exact interpolator.

use serde::{Deserialize, Serialize};

use crate::error::{GeostatError, Unpredictable};
use crate::interpolate::{Interpolator, Prediction, neighbours};
use crate::point::{Point, check_finite};

/// The parameters of inverse distance weighting.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Idw {
    /// The power `p` of the distance (2, Shepard's, by default).
    pub power: f64,
    /// Only the nearest `max_points` samples; `None`, all of them.
    pub max_points: Option<usize>,
}

impl Default for Idw {
    fn default() -> Self {
        Self {
            power: 2.0,
            max_points: None,
        }
    }
}

/// An inverse distance weighting interpolator over a set of samples.
///
/// ```
/// use lantian_geostat::{Idw, InverseDistanceWeighting, Interpolator, Point};
/// let points = [Point::new(0.0, 0.0, 1.0), Point::new(2.0, 0.0, 3.0)];
/// let idw = InverseDistanceWeighting::new(&points, Idw::default()).unwrap();
/// // Half-way: equal weights.
/// assert_eq!(idw.predict(1.0, 0.0).unwrap().estimate, 2.0);
/// ```
#[derive(Debug, Clone)]
pub struct InverseDistanceWeighting {
    points: Vec<Point>,
    params: Idw,
}

impl InverseDistanceWeighting {
    /// IDW over `points` with `params`.
    pub fn new(points: &[Point], params: Idw) -> Result<Self, GeostatError> {
        check_finite(points)?;
        if !(params.power.is_finite() && params.power > 0.0) {
            return Err(GeostatError::InvalidParameter {
                name: "power",
                value: params.power,
                reason: "the power of the distance is a positive number",
            });
        }
        if params.max_points == Some(0) {
            return Err(GeostatError::InvalidParameter {
                name: "max_points",
                value: 0.0,
                reason: "an estimate needs at least one sample",
            });
        }
        Ok(Self {
            points: points.to_vec(),
            params,
        })
    }
}

impl Interpolator for InverseDistanceWeighting {
    fn predict(&self, x: f64, y: f64) -> Result<Prediction, Unpredictable> {
        let max_points = self.params.max_points.unwrap_or(usize::MAX);
        let nb = neighbours(&self.points, x, y, f64::INFINITY, max_points);
        if nb.is_empty() {
            return Err(Unpredictable::TooFewNeighbours {
                found: 0,
                needed: 1,
                search_radius: f64::INFINITY,
            });
        }
        let (mut at, mut n_at) = (0.0, 0usize);
        for &(i, d) in &nb {
            if d == 0.0 {
                at += self.points[i].value;
                n_at += 1;
            }
        }
        let estimate = if n_at > 0 {
            at / n_at as f64
        } else {
            let (mut num, mut den) = (0.0, 0.0);
            for &(i, d) in &nb {
                let w = d.powf(-self.params.power);
                num += w * self.points[i].value;
                den += w;
            }
            num / den
        };
        Ok(Prediction {
            estimate,
            variance: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_hand() {
        // Samples at distance 1 (value 10) and 2 (value 40) from the target, power 2:
        // weights 1 and 1/4 → (10 + 10) / 1.25 = 16.
        let points = [Point::new(1.0, 0.0, 10.0), Point::new(-2.0, 0.0, 40.0)];
        let idw = InverseDistanceWeighting::new(&points, Idw::default()).unwrap();
        let p = idw.predict(0.0, 0.0).unwrap();
        assert_eq!(p.estimate, 16.0);
        assert_eq!(p.variance, None);
        // Power 1: weights 1 and 1/2 → (10 + 20) / 1.5 = 20.
        let idw = InverseDistanceWeighting::new(
            &points,
            Idw {
                power: 1.0,
                max_points: None,
            },
        )
        .unwrap();
        assert_eq!(idw.predict(0.0, 0.0).unwrap().estimate, 20.0);
        // Only the nearest: 10.
        let idw = InverseDistanceWeighting::new(
            &points,
            Idw {
                power: 2.0,
                max_points: Some(1),
            },
        )
        .unwrap();
        assert_eq!(idw.predict(0.0, 0.0).unwrap().estimate, 10.0);
    }

    #[test]
    fn at_a_sample_the_sample() {
        let points = [
            Point::new(0.0, 0.0, 7.0),
            Point::new(3.0, 4.0, 1.0),
            Point::new(3.0, 4.0, 3.0),
        ];
        let idw = InverseDistanceWeighting::new(&points, Idw::default()).unwrap();
        assert_eq!(idw.predict(0.0, 0.0).unwrap().estimate, 7.0);
        // Two samples at one place: their mean.
        assert_eq!(idw.predict(3.0, 4.0).unwrap().estimate, 2.0);
    }

    #[test]
    fn bad_parameters_and_no_samples() {
        let e = InverseDistanceWeighting::new(
            &[],
            Idw {
                power: 0.0,
                max_points: None,
            },
        );
        assert!(matches!(
            e,
            Err(GeostatError::InvalidParameter { name: "power", .. })
        ));
        let empty = InverseDistanceWeighting::new(&[], Idw::default()).unwrap();
        assert!(matches!(
            empty.predict(0.0, 0.0),
            Err(Unpredictable::TooFewNeighbours { found: 0, .. })
        ));
    }
}
