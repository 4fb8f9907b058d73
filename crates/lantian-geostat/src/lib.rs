//! # lantian-geostat: spatial interpolation of point samples
//!
//! An engine without I/O, as `lantian-water` and `lantian-soil` are: samples in
//! ([`Point`]: planar coordinates and a value), numbers out. The classical geostatistical chain,
//! one operation per module:
//!
//! 1. [`empirical`]: the empirical variogram, by lag classes of pair distance (Matheron's or
//!    Cressie–Hawkins' estimator);
//! 2. [`fit`]: a model ([`model`]: spherical, exponential, gaussian, optional nugget) fitted to
//!    it by bounded least squares;
//! 3. [`kriging`]: ordinary kriging with that model, in a neighbourhood of the nearest samples
//!    within the range; [`idw`], inverse distance weighting, as the model-free baseline;
//! 4. [`cross_validate`]: leave-one-out errors of either method;
//! 5. [`grid`]: estimates on a regular grid (in parallel), and [`area`]: the share of the
//!    samples' convex hull above a threshold.
//!
//! **Defaults are scikit-gstat's** (skgstat 1.0, `Variogram` and `OrdinaryKriging`), where
//! they are a convention rather than a method: 10 even lag classes up to the largest distance,
//! the Matheron estimator, a spherical model without nugget fitted at the classes' upper edges
//! with skgstat's bounds and start, a neighbourhood of 5 to 15 samples within the effective
//! range, and the effective-range parameterisation of the models. So a figure made here can be
//! checked against the peer most of the field uses; `bench/run_soil_bench.sh` does that on the
//! Meuse zinc data, and the crate's `tests/meuse.rs` holds skgstat's numbers. The few places
//! where this crate chooses differently say so (`γ(0) = 0` in [`model`], the MAE in
//! [`cross_validate`]).
//!
//! ```
//! use lantian_geostat::*;
//!
//! // Samples on a 6 × 6 lattice, 10 m apart, with a smooth field.
//! let points: Vec<Point> = (0..36)
//!     .map(|k| {
//!         let (x, y) = ((k % 6) as f64 * 10.0, (k / 6) as f64 * 10.0);
//!         Point::new(x, y, (x / 20.0).sin() + y / 50.0)
//!     })
//!     .collect();
//! let empirical = EmpiricalVariogram::compute(&points, Binning::default(), Estimator::Matheron)?;
//! let variogram = fit(&empirical, VariogramModel::Spherical, false)?;
//! let kriging = OrdinaryKriging::new(&points, &variogram, Neighbourhood::default())?;
//!
//! // Leave-one-out: every sample estimated from the others with this variogram.
//! let cv = cross_validate(&points, &Method::OrdinaryKriging {
//!     variogram,
//!     neighbourhood: Neighbourhood::default(),
//! })?;
//! assert!(cv.rmse.unwrap() < 0.5);
//!
//! // A 26 × 26 grid over the samples, and the share of their hull above 1.
//! let grid = Grid::covering(&points, 26, 26)?;
//! let values = predict_grid(&kriging, &grid);
//! let share = share_above(&values, 1.0, &ConvexHull::of(&points)?);
//! assert!(share.share.unwrap() > 0.0 && share.coverage() > 0.9);
//! # Ok::<(), GeostatError>(())
//! ```

pub mod area;
pub mod cross_validate;
pub mod empirical;
pub mod error;
pub mod fit;
pub mod grid;
pub mod idw;
pub mod interpolate;
pub mod kriging;
pub mod model;
pub mod point;

pub use area::{AreaShare, ConvexHull, share_above};
pub use cross_validate::{CrossValidation, LeftOut, Method, cross_validate};
pub use empirical::{BinFunc, Binning, EmpiricalVariogram, Estimator, LagClass};
pub use error::{GeostatError, Unpredictable};
pub use fit::{FittedVariogram, fit};
pub use grid::{Grid, GridValues, predict_grid};
pub use idw::{Idw, InverseDistanceWeighting};
pub use interpolate::{Interpolator, Prediction};
pub use kriging::{KrigingWeights, Neighbourhood, OrdinaryKriging};
pub use model::VariogramModel;
pub use point::Point;
