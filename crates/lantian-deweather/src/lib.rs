//! How much of a change was the weather? Weather normalisation of an hourly pollutant series
//! (Grange et al. 2018, "Random forest meteorological normalisation models for Swiss PM10 trend
//! analysis", ACP 18, 6223; the method of the R package rmweather and of Vu et al. 2019 for
//! Beijing), and the attribution of a change between two periods to weather and emissions.
//!
//! The steps, one module each:
//! - [`frame`]: the model table: time features (trend, day of year, weekday, hour) and the
//!   meteorology, one row per hour with complete meteorology;
//! - [`model`]: a tree ensemble of the pollutant on those features, with its out-of-sample R²,
//!   RMSE and variable importance;
//! - [`forest`]: the fitted trees in a flat layout, evaluated many rows at a time;
//! - [`normalise`]: predictions with the meteorology (and the calendar) resampled from the
//!   record many times; their mean is the weather-normalised series, their spread its
//!   uncertainty;
//! - [`attribution`]: the change between two periods split into an emission-driven part (the
//!   change of the normalised series), a weather-driven part and what the model leaves
//!   unexplained.

pub mod attribution;
pub mod forest;
pub mod frame;
pub mod model;
pub mod normalise;

pub use frame::Frame;
pub use model::{Model, ModelSettings};
pub use normalise::{NormaliseSettings, Normalised};

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DeweatherError {
    #[error("no meteorological variable given: the model needs at least one (e.g. ws, wd, temp)")]
    NoWeather,
    #[error("variable '{name}' has {got} hourly values, the pollutant has {expected}")]
    Length {
        name: String,
        got: usize,
        expected: usize,
    },
    #[error(
        "only {rows} hours have the pollutant and every meteorological variable ({needed} needed to fit a model); check that the weather covers the period"
    )]
    TooFewRows { rows: usize, needed: usize },
    #[error("{what} must be {why}, got {got}")]
    Setting {
        what: &'static str,
        why: &'static str,
        got: String,
    },
    #[error("the model could not be fitted: {0}")]
    Fit(String),
}

/// Percentile of a sample (R's default type 7: linear between order statistics), used for the
/// intervals over resamples. `p` in [0, 1]; the slice need not be sorted.
pub fn quantile(values: &[f64], p: f64) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let h = (v.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    v[lo] + (h - lo as f64) * (v[hi] - v[lo])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_is_r_type_7() {
        // R: quantile(c(1, 2, 3, 4, 10), c(0.025, 0.5, 0.975)) = 1.1, 3, 9.4
        let v = [10.0, 2.0, 4.0, 1.0, 3.0];
        assert!((quantile(&v, 0.025) - 1.1).abs() < 1e-12);
        assert_eq!(quantile(&v, 0.5), 3.0);
        assert!((quantile(&v, 0.975) - 9.4).abs() < 1e-12);
        assert!(quantile(&[], 0.5).is_nan());
    }
}
