//! What every interpolator answers, and how it finds its neighbours.

use serde::{Deserialize, Serialize};

use crate::error::Unpredictable;
use crate::point::Point;

/// An estimate at one location.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    pub estimate: f64,
    /// The ordinary kriging variance `σ² = Σ wᵢ γ(xᵢ, x₀) + μ` (Cressie 1993, eq. 3.2.16);
    /// `None` for methods without an error model (inverse distance weighting).
    pub variance: Option<f64>,
}

/// A method that estimates the value at a location from samples: ordinary kriging or inverse
/// distance weighting. Grids ([`crate::predict_grid`]) and areas take any of them.
pub trait Interpolator: Sync {
    /// The estimate at `(x, y)`, or why there is none.
    fn predict(&self, x: f64, y: f64) -> Result<Prediction, Unpredictable>;
}

/// The samples within `max_dist` of `(x, y)` (distance ≤ `max_dist`, as skgstat's
/// `MetricSpacePair.find_closest`), as `(index, distance)`; when more than `max_points`, the
/// `max_points` nearest, ties broken by index (a stable sort, as skgstat's).
pub(crate) fn neighbours(
    points: &[Point],
    x: f64,
    y: f64,
    max_dist: f64,
    max_points: usize,
) -> Vec<(usize, f64)> {
    let mut found: Vec<(usize, f64)> = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let d = p.distance_to(x, y);
            (d <= max_dist).then_some((i, d))
        })
        .collect();
    if found.len() > max_points {
        let nearer = |a: &(usize, f64), b: &(usize, f64)| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0));
        if max_points > 0 {
            found.select_nth_unstable_by(max_points - 1, nearer);
        }
        found.truncate(max_points);
        found.sort_by(nearer);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_within_radius_ties_by_index() {
        let points: Vec<Point> = [(0.0, 0.0), (2.0, 0.0), (1.0, 0.0), (-1.0, 0.0), (5.0, 0.0)]
            .iter()
            .map(|&(x, y)| Point::new(x, y, 0.0))
            .collect();
        // Within 2 of the origin: indices 0 (0), 1 (2), 2 (1), 3 (1); index 4 is at 5.
        let all = neighbours(&points, 0.0, 0.0, 2.0, 10);
        assert_eq!(all.iter().map(|n| n.0).collect::<Vec<_>>(), [0, 1, 2, 3]);
        let three = neighbours(&points, 0.0, 0.0, 2.0, 3);
        assert_eq!(three.iter().map(|n| n.0).collect::<Vec<_>>(), [0, 2, 3]);
        // The radius is inclusive.
        assert_eq!(neighbours(&points, 0.0, 0.0, 1.0, 10).len(), 3);
    }
}
