//! Weather normalisation by resampling (Grange et al. 2018; rmweather's `rmw_normalise`).
//!
//! For each resample, every row keeps its own time (`trend`) and takes all other features —
//! the meteorology and the calendar — from a row drawn at random, with replacement, from the
//! whole table (rows drawn jointly, so a resampled hour's weather is a real hour's weather).
//! The model's prediction averaged over the resamples is the concentration that hour would
//! have had in the record's typical weather: the weather-normalised series. Each resample's
//! predictions are kept, so any aggregate (a day, a month, a period mean, a change between two
//! periods) gets an interval from the spread of that aggregate over the resamples.
//!
//! That interval is the uncertainty of the resampling (which weather was drawn), as rmweather
//! and deweather report it; the model's own error is reported separately as its test R² and
//! RMSE, and in the attribution as the part of the observed change the model does not explain.

use crate::frame::{Frame, TREND};
use crate::model::Model;
use crate::{DeweatherError, quantile};
use chrono::{Datelike, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Clone, Debug, serde::Serialize)]
pub struct NormaliseSettings {
    /// Resamples of the weather (rmweather: 300).
    pub resamples: usize,
    pub seed: u64,
    /// Worker threads (each takes whole resamples; results do not depend on it).
    pub threads: usize,
}

impl Default for NormaliseSettings {
    fn default() -> Self {
        NormaliseSettings {
            resamples: 300,
            seed: 1,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        }
    }
}

/// The resampled predictions.
pub struct Normalised {
    pub rows: usize,
    pub resamples: usize,
    /// Ensemble members the resamples were shared among.
    pub models: usize,
    /// `per_resample[s * rows + r]`: resample `s`'s prediction for row `r` (f32 keeps 300 ×
    /// a decade of hours in a quarter of a gigabyte; the means are summed in f64).
    pub per_resample: Vec<f32>,
    /// Mean over the resamples, per row: the normalised series.
    pub mean: Vec<f64>,
}

/// Rows predicted per block: 4096 rows × ~10 features × 8 bytes stays in the L2 cache.
const BLOCK: usize = 4096;

/// Predict one resample into `out` (one value per row of the frame).
fn one_resample(model: &Model, frame: &Frame, seed: u64, s: usize, out: &mut [f32]) {
    let nf = frame.features();
    let n = frame.rows();
    // One stream per resample: the result does not depend on how resamples meet threads.
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(s as u64);
    let mut x = vec![0.0; BLOCK * nf];
    let mut pred = vec![0.0; BLOCK];
    let mut start = 0;
    while start < n {
        let len = BLOCK.min(n - start);
        for i in 0..len {
            let drawn = frame.row(rng.random_range(0..n));
            let row = &mut x[i * nf..(i + 1) * nf];
            row.copy_from_slice(drawn);
            row[TREND] = frame.x[(start + i) * nf + TREND];
        }
        // Resample s is drawn through ensemble member s mod K: the spread over resamples then
        // includes the spread between models.
        let forest = &model.forests[s % model.forests.len()];
        forest.predict(&x[..len * nf], &mut pred[..len]);
        for (o, p) in out[start..start + len].iter_mut().zip(&pred[..len]) {
            *o = *p as f32;
        }
        start += len;
    }
}

/// Normalise `frame` with `model`. `progress` is called with the number of resamples done.
pub fn normalise(
    model: &Model,
    frame: &Frame,
    s: &NormaliseSettings,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Normalised, DeweatherError> {
    if s.resamples == 0 {
        return Err(DeweatherError::Setting {
            what: "resamples",
            why: "at least 1",
            got: "0".into(),
        });
    }
    let n = frame.rows();
    let mut per_resample = vec![0f32; s.resamples * n];
    let done = AtomicUsize::new(0);
    let threads = s.threads.clamp(1, s.resamples);
    let per_thread = s.resamples.div_ceil(threads);
    std::thread::scope(|scope| {
        for (t, chunk) in per_resample.chunks_mut(per_thread * n.max(1)).enumerate() {
            let done = &done;
            scope.spawn(move || {
                for (k, out) in chunk.chunks_mut(n.max(1)).enumerate() {
                    one_resample(model, frame, s.seed, t * per_thread + k, out);
                    progress(done.fetch_add(1, Ordering::Relaxed) + 1);
                }
            });
        }
    });
    let mut mean = vec![0.0; n];
    for sample in per_resample.chunks(n.max(1)) {
        for (m, v) in mean.iter_mut().zip(sample) {
            *m += *v as f64;
        }
    }
    for m in &mut mean {
        *m /= s.resamples as f64;
    }
    Ok(Normalised {
        rows: n,
        resamples: s.resamples,
        models: model.forests.len(),
        per_resample,
        mean,
    })
}

/// An aggregate of the normalised series with its interval over the resamples.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Aggregate {
    /// Mean over the resamples of the aggregate.
    pub mean: f64,
    pub lower: f64,
    pub upper: f64,
    /// Rows (hours) in the aggregate.
    pub hours: usize,
}

impl Normalised {
    pub fn resample(&self, s: usize) -> &[f32] {
        &self.per_resample[s * self.rows..(s + 1) * self.rows]
    }

    /// The mean over `rows` in each resample (one value per resample).
    pub fn resample_means(&self, rows: &[usize]) -> Vec<f64> {
        (0..self.resamples)
            .map(|s| {
                let v = self.resample(s);
                rows.iter().map(|&r| v[r] as f64).sum::<f64>() / rows.len() as f64
            })
            .collect()
    }

    /// The mean over `rows`, with the (alpha/2, 1 − alpha/2) percentiles over the resamples.
    pub fn aggregate(&self, rows: &[usize], alpha: f64) -> Aggregate {
        if rows.is_empty() {
            return Aggregate {
                mean: f64::NAN,
                lower: f64::NAN,
                upper: f64::NAN,
                hours: 0,
            };
        }
        let m = self.resample_means(rows);
        Aggregate {
            mean: m.iter().sum::<f64>() / m.len() as f64,
            lower: quantile(&m, alpha / 2.0),
            upper: quantile(&m, 1.0 - alpha / 2.0),
            hours: rows.len(),
        }
    }
}

/// Rows grouped by a key of their local date, in order (e.g. by day or by month).
pub fn group_rows<K: PartialEq + Copy>(
    frame: &Frame,
    key: impl Fn(NaiveDate) -> K,
) -> Vec<(K, Vec<usize>)> {
    let mut out: Vec<(K, Vec<usize>)> = Vec::new();
    for (r, t) in frame.hours.iter().enumerate() {
        let k = key(t.date());
        match out.last_mut() {
            Some((last, rows)) if *last == k => rows.push(r),
            _ => out.push((k, vec![r])),
        }
    }
    out
}

/// The first day of a date's month (a grouping key).
pub fn month_of(d: NaiveDate) -> NaiveDate {
    d.with_day(1).expect("day 1 exists")
}
