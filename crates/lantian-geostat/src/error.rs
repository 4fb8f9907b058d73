//! What can go wrong, with the sample or parameter that caused it.

use serde::{Deserialize, Serialize};

/// An input this crate cannot work with, or a fit that did not converge.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GeostatError {
    /// Fewer samples than the operation needs.
    #[error("{operation} needs at least {needed} samples, got {found}")]
    TooFewPoints {
        operation: &'static str,
        needed: usize,
        found: usize,
    },
    /// A coordinate or value is NaN or infinite.
    #[error("sample {index}: {field} is {value}, not a finite number")]
    NonFinite {
        index: usize,
        field: &'static str,
        value: f64,
    },
    /// A parameter out of its domain (a negative range, zero lags, …).
    #[error("{name} = {value}: {reason}")]
    InvalidParameter {
        name: &'static str,
        value: f64,
        reason: &'static str,
    },
    /// No pair of samples falls in any lag class (all samples at one place, or `maxlag` below
    /// the smallest distance): there is no empirical variogram.
    #[error(
        "no pair of samples lies at a distance in (0, maxlag = {maxlag}): no lag class has a semivariance"
    )]
    NoPairs { maxlag: f64 },
    /// The least-squares fit stopped without converging.
    #[error("the variogram fit did not converge after {evaluations} evaluations: {reason}")]
    FitFailed { reason: String, evaluations: usize },
}

/// Why a location got no estimate. Interpolators return it instead of a number, so a grid or a
/// cross-validation can say how many locations were left out and why (nothing is silently NaN).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Unpredictable {
    /// Fewer samples within the search radius than the neighbourhood's minimum.
    #[error("{found} samples within {search_radius}, {needed} needed")]
    TooFewNeighbours {
        found: usize,
        needed: usize,
        search_radius: f64,
    },
    /// The kriging system of these neighbours has no unique solution.
    #[error("the kriging system of {neighbours} neighbours is singular")]
    SingularSystem { neighbours: usize },
}
