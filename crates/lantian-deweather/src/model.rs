//! The model: gradient-boosted trees of the pollutant on the [`Frame`]'s features.
//!
//! rmweather grows a random forest (ranger); deweather (openair's successor) and much recent
//! work use boosted trees. Lantian uses forust's gradient boosting because on the UCI Beijing
//! stations it is both more accurate out of sample and much faster to fit than the random
//! forests available in Rust (docs/deweather.md has the measurements).
//!
//! Quality is measured as rmweather does: the rows with the pollutant are split at random into
//! a training set (default 80 %) and a test set; the model is fitted on the training set and its
//! R² and RMSE are computed on the test set only. The fitted model (on the training set) is the
//! one used for normalisation, as in rmweather.
//!
//! **An ensemble, for honest intervals.** One boosted model's split between the time trend and
//! the weather depends on which hours it was fitted to: on the UCI stations, refitting with
//! another seed moved the 2015→2016 emission-driven change by up to ±5 µg/m³, while the
//! resampling interval of any one fit was ±2 (docs/deweather.md). So by default ten models are
//! fitted, each to a bootstrap sample of the training hours (bagging), the weather resamples are
//! shared out among them, and every interval is taken over (model, resample) draws. The test
//! hours are held out from all of them, so the ensemble's R² is out of sample.

use crate::DeweatherError;
use crate::forest::Forest;
use crate::frame::Frame;
use forust_ml::gradientbooster::ImportanceMethod;
use forust_ml::objective::ObjectiveType;
use forust_ml::{GradientBooster, Matrix};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Fewest rows with the pollutant for a model (a few days of hours).
pub const MIN_ROWS: usize = 100;

#[derive(Clone, Debug, serde::Serialize)]
pub struct ModelSettings {
    /// Boosting rounds (trees).
    pub trees: usize,
    pub learning_rate: f32,
    pub max_depth: usize,
    /// Share of the rows with the pollutant held out to measure R² and RMSE (0 ≤ f < 1).
    pub test_fraction: f64,
    /// Seed of the train/test split, the bootstrap samples and the resampling.
    pub seed: u64,
    /// Models in the ensemble: each is fitted to its own bootstrap sample of the training
    /// hours, and the weather resamples are shared out among them, so the intervals carry the
    /// model's own variability, not only the resampling's (see the module documentation).
    pub models: usize,
}

impl Default for ModelSettings {
    fn default() -> Self {
        ModelSettings {
            trees: 300,
            learning_rate: 0.3,
            max_depth: 6,
            test_fraction: 0.2,
            seed: 1,
            models: 10,
        }
    }
}

/// Out-of-sample quality.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Quality {
    pub rows_train: usize,
    pub rows_test: usize,
    /// R² on the test rows: 1 − Σ(y − ŷ)² / Σ(y − ȳ)², ȳ the test mean (NaN without a test set).
    pub r2_test: f64,
    pub rmse_test: f64,
    /// Mean of the test rows, for scale.
    pub mean_test: f64,
    /// R² on the training rows (how much the model memorises; compare with `r2_test`).
    pub r2_train: f64,
    /// The members' own test R², lowest and highest (equal to `r2_test` for one model).
    pub r2_test_members: (f64, f64),
}

/// One variable's share of the total split gain (sums to 1 over the variables).
#[derive(Clone, Debug, serde::Serialize)]
pub struct Importance {
    pub variable: String,
    pub gain_share: f64,
}

pub struct Model {
    pub settings: ModelSettings,
    pub names: Vec<String>,
    /// One per ensemble member.
    pub forests: Vec<Forest>,
    pub quality: Quality,
    /// Largest share first.
    pub importance: Vec<Importance>,
}

fn column_major(frame: &Frame, rows: &[usize]) -> Vec<f64> {
    let nf = frame.features();
    let mut d = vec![0.0; rows.len() * nf];
    for (i, &r) in rows.iter().enumerate() {
        for (c, v) in frame.row(r).iter().enumerate() {
            d[c * rows.len() + i] = *v;
        }
    }
    d
}

fn r2_rmse(y: &[f64], p: &[f64]) -> (f64, f64, f64) {
    if y.is_empty() {
        return (f64::NAN, f64::NAN, f64::NAN);
    }
    let n = y.len() as f64;
    let mean = y.iter().sum::<f64>() / n;
    let ss_tot: f64 = y.iter().map(|v| (v - mean).powi(2)).sum();
    let ss_res: f64 = y.iter().zip(p).map(|(a, b)| (a - b).powi(2)).sum();
    (1.0 - ss_res / ss_tot, (ss_res / n).sqrt(), mean)
}

impl Model {
    pub fn fit(frame: &Frame, s: &ModelSettings) -> Result<Model, DeweatherError> {
        if s.trees == 0 {
            return Err(DeweatherError::Setting {
                what: "trees",
                why: "at least 1",
                got: s.trees.to_string(),
            });
        }
        if !(0.0..1.0).contains(&s.test_fraction) {
            return Err(DeweatherError::Setting {
                what: "test fraction",
                why: "in [0, 1)",
                got: s.test_fraction.to_string(),
            });
        }
        if !(s.learning_rate > 0.0 && s.learning_rate <= 1.0) {
            return Err(DeweatherError::Setting {
                what: "learning rate",
                why: "in (0, 1]",
                got: s.learning_rate.to_string(),
            });
        }
        let mut rows = frame.observed_rows();
        if rows.len() < MIN_ROWS {
            return Err(DeweatherError::TooFewRows {
                rows: rows.len(),
                needed: MIN_ROWS,
            });
        }
        rows.shuffle(&mut ChaCha8Rng::seed_from_u64(s.seed));
        let n_test = (rows.len() as f64 * s.test_fraction).round() as usize;
        let (test, train) = rows.split_at(n_test);
        let mut train = train.to_vec();
        let mut test = test.to_vec();
        train.sort_unstable();
        test.sort_unstable();

        if s.models == 0 {
            return Err(DeweatherError::Setting {
                what: "models",
                why: "at least 1",
                got: "0".into(),
            });
        }
        let nf = frame.features();
        let xtr = column_major(frame, &train);
        let ytr: Vec<f64> = train.iter().map(|&r| frame.y[r]).collect();
        let mut rng = ChaCha8Rng::seed_from_u64(s.seed);
        rng.set_stream(u64::MAX); // apart from the resampling streams
        let mut forests = Vec::with_capacity(s.models);
        let mut gain_sum = vec![0.0; nf];
        for member in 0..s.models {
            // One model: all training hours. An ensemble: bootstrap samples (bagging), given
            // to forust as case weights (the number of times each hour was drawn).
            let mut weight = vec![1.0; train.len()];
            if s.models > 1 {
                weight.fill(0.0);
                for _ in 0..train.len() {
                    weight[rng.random_range(0..train.len())] += 1.0;
                }
            }
            let mut booster = GradientBooster::default()
                .set_objective_type(ObjectiveType::SquaredLoss)
                .set_iterations(s.trees)
                .set_learning_rate(s.learning_rate)
                .set_max_depth(s.max_depth)
                .set_seed(s.seed.wrapping_add(member as u64));
            booster
                .fit(&Matrix::new(&xtr, train.len(), nf), &ytr, &weight, None)
                .map_err(|e| DeweatherError::Fit(e.to_string()))?;
            let gains = booster.calculate_feature_importance(ImportanceMethod::TotalGain, true);
            for (i, g) in gain_sum.iter_mut().enumerate() {
                *g += gains.get(&i).copied().unwrap_or(0.0) as f64 / s.models as f64;
            }
            forests.push(Forest::from_booster(&booster, nf));
        }

        let predict = |forest: Option<&Forest>, rows: &[usize]| {
            let x: Vec<f64> = rows.iter().flat_map(|&r| frame.row(r)).copied().collect();
            ensemble_predict(&forests, forest, &x, rows.len())
        };
        let yte: Vec<f64> = test.iter().map(|&r| frame.y[r]).collect();
        let (r2_test, rmse_test, mean_test) = r2_rmse(&yte, &predict(None, &test));
        let (r2_train, _, _) = r2_rmse(&ytr, &predict(None, &train));
        let members: Vec<f64> = forests
            .iter()
            .map(|f| r2_rmse(&yte, &predict(Some(f), &test)).0)
            .collect();
        let r2_test_members = (
            members.iter().copied().fold(f64::INFINITY, f64::min),
            members.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        );

        let mut importance: Vec<Importance> = (0..nf)
            .map(|i| Importance {
                variable: frame.names[i].clone(),
                gain_share: gain_sum[i],
            })
            .collect();
        importance.sort_by(|a, b| b.gain_share.total_cmp(&a.gain_share));

        Ok(Model {
            settings: s.clone(),
            names: frame.names.clone(),
            forests,
            quality: Quality {
                rows_train: train.len(),
                rows_test: test.len(),
                r2_test,
                rmse_test,
                mean_test,
                r2_train,
                r2_test_members,
            },
            importance,
        })
    }

    /// Predictions for every row of the frame with its own (actual) weather: the mean of the
    /// ensemble's members.
    pub fn predict_frame(&self, frame: &Frame) -> Vec<f64> {
        ensemble_predict(&self.forests, None, &frame.x, frame.rows())
    }
}

/// The mean prediction of the members (or one member's, when given) for row-major `x`.
fn ensemble_predict(forests: &[Forest], one: Option<&Forest>, x: &[f64], rows: usize) -> Vec<f64> {
    let mut out = vec![0.0; rows];
    let mut tmp = vec![0.0; rows];
    match one {
        Some(f) => f.predict(x, &mut out),
        None => {
            for f in forests {
                f.predict(x, &mut tmp);
                for (o, t) in out.iter_mut().zip(&tmp) {
                    *o += t / forests.len() as f64;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r2_and_rmse_by_hand() {
        // y = 1, 2, 3, 4 (mean 2.5, SS_tot 5); predictions off by 0.5, 0, 0, −0.5: SS_res 0.5.
        let (r2, rmse, mean) = r2_rmse(&[1.0, 2.0, 3.0, 4.0], &[1.5, 2.0, 3.0, 3.5]);
        assert!((r2 - 0.9).abs() < 1e-12);
        assert!((rmse - (0.5f64 / 4.0).sqrt()).abs() < 1e-12);
        assert_eq!(mean, 2.5);
    }
}
