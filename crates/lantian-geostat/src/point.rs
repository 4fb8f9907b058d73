//! A sample: where it was taken and what was measured there.

use serde::{Deserialize, Serialize};

use crate::GeostatError;

/// One sample at a place: planar coordinates and the measured value.
///
/// The coordinates are projected (metres in RD New for the Meuse data, for example): every
/// distance in this crate is Euclidean in the plane, as skgstat's default `dist_func =
/// 'euclidean'`. Latitude and longitude must be projected first. The unit of every distance,
/// range and grid spacing is the unit of these coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// Easting.
    pub x: f64,
    /// Northing.
    pub y: f64,
    /// The measured value (zinc in ppm, its logarithm, …).
    pub value: f64,
}

impl Point {
    /// A sample at `(x, y)` with `value`.
    pub const fn new(x: f64, y: f64, value: f64) -> Self {
        Self { x, y, value }
    }

    /// The Euclidean distance to `(x, y)`, as `√(dx² + dy²)` (scipy's `pdist` computes it so;
    /// `f64::hypot` guards against overflow that projected coordinates never reach, at several
    /// times the cost, and it is most of the time of a kriging grid).
    pub fn distance_to(&self, x: f64, y: f64) -> f64 {
        let (dx, dy) = (self.x - x, self.y - y);
        (dx * dx + dy * dy).sqrt()
    }
}

/// Every coordinate and value finite, or the first that is not.
pub(crate) fn check_finite(points: &[Point]) -> Result<(), GeostatError> {
    for (index, p) in points.iter().enumerate() {
        for (field, v) in [("x", p.x), ("y", p.y), ("value", p.value)] {
            if !v.is_finite() {
                return Err(GeostatError::NonFinite {
                    index,
                    field,
                    value: v,
                });
            }
        }
    }
    Ok(())
}
