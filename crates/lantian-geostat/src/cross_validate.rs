//! Leave-one-out cross-validation: each sample estimated from all the others.
//!
//! It is skgstat's `Variogram.cross_validate()` (its `jacknife` with `n=None`): for each sample
//! in turn, the interpolator is built on the other samples, **with the variogram fitted once on
//! all of them** (it is not refitted per fold, which would be the stricter test and is not what
//! skgstat measures), and estimates the left-out location. The error is estimate − observed.
//!
//! A sample can get no estimate (with the default kriging neighbourhood, fewer than 5 other
//! samples within the range). It is kept in [`CrossValidation::samples`] with the reason; the
//! summaries are over the samples that have an estimate, as skgstat's RMSE is (`np.nanmean`),
//! and [`CrossValidation::predicted`] says how many that is. (skgstat's `metric='mae'` divides
//! the absolute errors' sum by all samples, the unestimated ones included; the MAE here is the
//! mean over the estimated ones.)

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{GeostatError, Unpredictable};
use crate::fit::FittedVariogram;
use crate::idw::{Idw, InverseDistanceWeighting};
use crate::interpolate::{Interpolator, Prediction};
use crate::kriging::{Neighbourhood, OrdinaryKriging};
use crate::point::{Point, check_finite};

/// The interpolation method to cross-validate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Method {
    OrdinaryKriging {
        variogram: FittedVariogram,
        neighbourhood: Neighbourhood,
    },
    Idw(Idw),
}

/// One left-out sample.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LeftOut {
    /// Its index in the samples given.
    pub index: usize,
    pub observed: f64,
    /// The estimate from the other samples, or why there is none.
    pub prediction: Result<Prediction, Unpredictable>,
}

impl LeftOut {
    /// Estimate − observed, when there is an estimate.
    pub fn error(&self) -> Option<f64> {
        self.prediction
            .as_ref()
            .ok()
            .map(|p| p.estimate - self.observed)
    }
}

/// The leave-one-out result: every sample, and the error summaries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrossValidation {
    /// Every sample, in the order given.
    pub samples: Vec<LeftOut>,
    /// Samples that got an estimate.
    pub predicted: usize,
    /// Root mean squared error over the samples with an estimate; `None` if there are none.
    pub rmse: Option<f64>,
    /// Mean absolute error over the samples with an estimate.
    pub mae: Option<f64>,
    /// Mean error (bias) over the samples with an estimate.
    pub mean_error: Option<f64>,
}

impl CrossValidation {
    /// Share of the samples that got an estimate.
    pub fn coverage(&self) -> f64 {
        if self.samples.is_empty() {
            0.0
        } else {
            self.predicted as f64 / self.samples.len() as f64
        }
    }
}

/// Leave-one-out cross-validation of `method` on `points` (see the
/// [module documentation](self)); the folds run in parallel.
pub fn cross_validate(points: &[Point], method: &Method) -> Result<CrossValidation, GeostatError> {
    check_finite(points)?;
    if points.len() < 2 {
        return Err(GeostatError::TooFewPoints {
            operation: "leave-one-out cross-validation",
            needed: 2,
            found: points.len(),
        });
    }
    // Check the parameters once, on all samples, so that a fold can only fail for lack of data.
    match method {
        Method::OrdinaryKriging { neighbourhood, .. } => neighbourhood.check()?,
        Method::Idw(idw) => {
            InverseDistanceWeighting::new(&[], *idw)?;
        }
    }
    let samples: Vec<LeftOut> = (0..points.len())
        .into_par_iter()
        .map(|i| {
            let others: Vec<Point> = points
                .iter()
                .enumerate()
                .filter_map(|(j, p)| (j != i).then_some(*p))
                .collect();
            let target = points[i];
            let prediction = match method {
                Method::OrdinaryKriging {
                    variogram,
                    neighbourhood,
                } => match OrdinaryKriging::new(&others, variogram, *neighbourhood) {
                    Ok(ok) => ok.predict(target.x, target.y),
                    // Too few distinct samples left for the neighbourhood's minimum.
                    Err(_) => Err(Unpredictable::TooFewNeighbours {
                        found: others.len(),
                        needed: neighbourhood.min_points,
                        search_radius: neighbourhood.max_dist.unwrap_or(variogram.effective_range),
                    }),
                },
                Method::Idw(idw) => InverseDistanceWeighting::new(&others, *idw)
                    .map_err(|_| Unpredictable::TooFewNeighbours {
                        found: others.len(),
                        needed: 1,
                        search_radius: f64::INFINITY,
                    })
                    .and_then(|m| m.predict(target.x, target.y)),
            };
            LeftOut {
                index: i,
                observed: target.value,
                prediction,
            }
        })
        .collect();
    let errors: Vec<f64> = samples.iter().filter_map(LeftOut::error).collect();
    let n = errors.len() as f64;
    let summary = |f: fn(f64) -> f64| {
        (!errors.is_empty()).then(|| errors.iter().map(|&e| f(e)).sum::<f64>() / n)
    };
    Ok(CrossValidation {
        predicted: errors.len(),
        rmse: summary(|e| e * e).map(f64::sqrt),
        mae: summary(f64::abs),
        mean_error: summary(|e| e),
        samples,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idw_by_hand() {
        // Three samples on a line at 0, 1, 2 with values 0, 1, 4; power 2.
        // Leave 0 out: from 1 (d 1, w 1) and 4 (d 2, w 1/4) → 2/1.25 = 1.6, error 1.6.
        // Leave 1 out: from 0 and 4, both at 1 → 2, error 1.
        // Leave 2 out: from 0 (d 2, w 1/4) and 1 (d 1, w 1) → 1/1.25 = 0.8, error −3.2.
        let points = [
            Point::new(0.0, 0.0, 0.0),
            Point::new(1.0, 0.0, 1.0),
            Point::new(2.0, 0.0, 4.0),
        ];
        let cv = cross_validate(&points, &Method::Idw(Idw::default())).unwrap();
        let errors: Vec<f64> = cv.samples.iter().map(|s| s.error().unwrap()).collect();
        let expected = [1.6, 1.0, -3.2];
        for (e, x) in errors.iter().zip(expected) {
            assert!((e - x).abs() < 1e-12, "{errors:?}");
        }
        let rmse = ((1.6f64.powi(2) + 1.0 + 3.2f64.powi(2)) / 3.0).sqrt();
        assert!((cv.rmse.unwrap() - rmse).abs() < 1e-12);
        assert!((cv.mae.unwrap() - 5.8 / 3.0).abs() < 1e-12);
        assert!((cv.mean_error.unwrap() - (-0.6 / 3.0)).abs() < 1e-12);
        assert_eq!(cv.predicted, 3);
        assert_eq!(cv.coverage(), 1.0);
    }

    #[test]
    fn unestimated_samples_are_kept_and_counted() {
        // Kriging with min_points 2 and range 1.5: the sample at 10 has nobody within range.
        let points = [
            Point::new(0.0, 0.0, 1.0),
            Point::new(1.0, 0.0, 2.0),
            Point::new(2.0, 0.0, 3.0),
            Point::new(10.0, 0.0, 9.0),
        ];
        let variogram =
            FittedVariogram::manual(crate::VariogramModel::Spherical, 1.5, 1.0, 0.0).unwrap();
        let method = Method::OrdinaryKriging {
            variogram,
            neighbourhood: Neighbourhood {
                min_points: 2,
                max_points: 15,
                max_dist: None,
            },
        };
        let cv = cross_validate(&points, &method).unwrap();
        assert_eq!(cv.samples.len(), 4);
        // Samples 0 and 2 have only one neighbour within 1.5 once left out; 1 has two.
        assert_eq!(cv.predicted, 1);
        assert!(matches!(
            cv.samples[3].prediction,
            Err(Unpredictable::TooFewNeighbours {
                found: 0,
                needed: 2,
                ..
            })
        ));
        // Sample 1 from 0 and 2, symmetric: estimate 2, error 0.
        assert!(cv.samples[1].error().unwrap().abs() < 1e-12);
        assert_eq!(cv.rmse, Some(cv.samples[1].error().unwrap().abs()));
        assert_eq!(cv.coverage(), 0.25);
    }
}
