//! The share of an area above a threshold, from estimates on a grid.
//!
//! "How much of the floodplain exceeds 500 ppm zinc?" The answer needs a region: the grid's
//! bounding box overstates it (its corners are far from any sample). Here the region is the
//! **convex hull of the samples**: the nodes inside it or on its boundary count, the others do
//! not. Each node stands for its `dx × dy` cell, so node counts are areas, to within the cells
//! that the hull's boundary cuts.
//!
//! A node inside the hull can still lack an estimate (with kriging's default neighbourhood,
//! fewer than 5 samples within the range). The share is over the nodes with an estimate, and
//! [`AreaShare::coverage`] says how much of the hull that is: a share from 60 % of the area
//! is not a share of the whole.

use serde::{Deserialize, Serialize};

use crate::error::GeostatError;
use crate::grid::GridValues;
use crate::point::{Point, check_finite};

/// The convex hull of a set of samples, counter-clockwise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConvexHull {
    /// The hull's corners, counter-clockwise, without repeating the first.
    pub vertices: Vec<(f64, f64)>,
}

impl ConvexHull {
    /// The hull of `points` (Andrew's monotone chain, 1979). Needs three samples not on one
    /// line: otherwise the hull has no area.
    pub fn of(points: &[Point]) -> Result<Self, GeostatError> {
        check_finite(points)?;
        let mut p: Vec<(f64, f64)> = points.iter().map(|p| (p.x, p.y)).collect();
        p.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        p.dedup();
        let mut lower: Vec<(f64, f64)> = Vec::new();
        for &q in &p {
            while lower.len() >= 2
                && cross(lower[lower.len() - 2], lower[lower.len() - 1], q) <= 0.0
            {
                lower.pop();
            }
            lower.push(q);
        }
        let mut upper: Vec<(f64, f64)> = Vec::new();
        for &q in p.iter().rev() {
            while upper.len() >= 2
                && cross(upper[upper.len() - 2], upper[upper.len() - 1], q) <= 0.0
            {
                upper.pop();
            }
            upper.push(q);
        }
        lower.pop();
        upper.pop();
        lower.extend(upper);
        if lower.len() < 3 {
            return Err(GeostatError::TooFewPoints {
                operation: "a convex hull with an area (samples not all on one line)",
                needed: 3,
                found: lower.len(),
            });
        }
        Ok(Self { vertices: lower })
    }

    /// Whether `(x, y)` is inside the hull or on its boundary. "On" allows a rounding
    /// tolerance of 1e-9 of the edge's length times the point's distance scale, so that grid
    /// nodes computed on a hull edge count.
    pub fn contains(&self, x: f64, y: f64) -> bool {
        let n = self.vertices.len();
        (0..n).all(|k| {
            let a = self.vertices[k];
            let b = self.vertices[(k + 1) % n];
            let scale = ((b.0 - a.0).hypot(b.1 - a.1)) * ((x - a.0).hypot(y - a.1)).max(1.0);
            cross(a, b, (x, y)) >= -1e-9 * scale
        })
    }

    /// The hull's area (shoelace formula).
    pub fn area(&self) -> f64 {
        let n = self.vertices.len();
        0.5 * (0..n)
            .map(|k| {
                let (a, b) = (self.vertices[k], self.vertices[(k + 1) % n]);
                a.0 * b.1 - b.0 * a.1
            })
            .sum::<f64>()
    }
}

/// `(a→b) × (a→c)`: positive when `c` is left of the line `a→b`.
fn cross(a: (f64, f64), b: (f64, f64), c: (f64, f64)) -> f64 {
    (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)
}

/// The share of a region above a threshold, with what it was computed from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AreaShare {
    pub threshold: f64,
    /// Grid nodes inside the region (the convex hull, boundary included).
    pub nodes_in_region: usize,
    /// Of those, nodes with an estimate.
    pub nodes_estimated: usize,
    /// Of those, nodes whose estimate is strictly above the threshold.
    pub nodes_above: usize,
    /// `nodes_above / nodes_estimated`; `None` when no node in the region has an estimate.
    pub share: Option<f64>,
    /// The area above the threshold, `nodes_above · dx · dy`, in the coordinates' unit squared.
    pub area_above: f64,
    /// The area with an estimate, `nodes_estimated · dx · dy`.
    pub area_estimated: f64,
}

impl AreaShare {
    /// `nodes_estimated / nodes_in_region`: how much of the region the share speaks for.
    pub fn coverage(&self) -> f64 {
        if self.nodes_in_region == 0 {
            0.0
        } else {
            self.nodes_estimated as f64 / self.nodes_in_region as f64
        }
    }
}

/// The share of `hull`'s area (at `values`' grid nodes) whose estimate is above `threshold`.
///
/// ```
/// use lantian_geostat::{ConvexHull, Grid, GridValues, Point, Prediction, share_above};
/// let samples = [Point::new(0.0, 0.0, 0.0), Point::new(2.0, 0.0, 0.0), Point::new(0.0, 2.0, 0.0)];
/// let hull = ConvexHull::of(&samples).unwrap();
/// // A 3 × 3 grid over the triangle: 6 of its 9 nodes are inside or on the hull.
/// let grid = Grid::new(0.0, 0.0, 1.0, 1.0, 3, 3).unwrap();
/// let nodes = (0..9).map(|k| Ok(Prediction { estimate: k as f64, variance: None })).collect();
/// let share = share_above(&GridValues { grid, nodes }, 2.5, &hull);
/// assert_eq!((share.nodes_in_region, share.nodes_above), (6, 3)); // nodes 3, 4 and 6
/// ```
pub fn share_above(values: &GridValues, threshold: f64, hull: &ConvexHull) -> AreaShare {
    let (mut inside, mut estimated, mut above) = (0, 0, 0);
    for (k, node) in values.nodes.iter().enumerate() {
        let (x, y) = values.grid.node_at(k);
        if !hull.contains(x, y) {
            continue;
        }
        inside += 1;
        if let Ok(p) = node {
            estimated += 1;
            if p.estimate > threshold {
                above += 1;
            }
        }
    }
    let cell = values.grid.cell_area();
    AreaShare {
        threshold,
        nodes_in_region: inside,
        nodes_estimated: estimated,
        nodes_above: above,
        share: (estimated > 0).then(|| above as f64 / estimated as f64),
        area_above: above as f64 * cell,
        area_estimated: estimated as f64 * cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Unpredictable;
    use crate::grid::Grid;
    use crate::interpolate::Prediction;

    fn pts(xy: &[(f64, f64)]) -> Vec<Point> {
        xy.iter().map(|&(x, y)| Point::new(x, y, 0.0)).collect()
    }

    #[test]
    fn hull_of_a_square_with_inner_and_edge_points() {
        let hull = ConvexHull::of(&pts(&[
            (0.0, 0.0),
            (4.0, 0.0),
            (4.0, 4.0),
            (0.0, 4.0),
            (2.0, 2.0),
            (2.0, 0.0),
            (1.0, 3.0),
        ]))
        .unwrap();
        assert_eq!(
            hull.vertices,
            [(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0)]
        );
        assert_eq!(hull.area(), 16.0);
        assert!(hull.contains(2.0, 2.0));
        assert!(hull.contains(4.0, 2.0));
        assert!(hull.contains(0.0, 0.0));
        assert!(!hull.contains(4.001, 2.0));
        assert!(!hull.contains(-1.0, -1.0));
    }

    #[test]
    fn collinear_samples_have_no_hull() {
        assert!(ConvexHull::of(&pts(&[(0.0, 0.0), (1.0, 1.0), (2.0, 2.0)])).is_err());
    }

    #[test]
    fn share_counts_only_estimated_nodes_in_the_hull() {
        let hull = ConvexHull::of(&pts(&[(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)])).unwrap();
        // 4 × 4 grid from −1 with spacing 1: nodes at −1..2; inside: x, y in 0..=2 → 9 nodes.
        let grid = Grid::new(-1.0, -1.0, 1.0, 1.0, 4, 4).unwrap();
        let nodes = (0..16)
            .map(|k| {
                let (x, y) = grid.node_at(k);
                if x == 1.0 && y == 1.0 {
                    Err(Unpredictable::SingularSystem { neighbours: 3 })
                } else {
                    Ok(Prediction {
                        estimate: x + y,
                        variance: None,
                    })
                }
            })
            .collect();
        let s = share_above(&GridValues { grid, nodes }, 2.0, &hull);
        assert_eq!(s.nodes_in_region, 9);
        assert_eq!(s.nodes_estimated, 8);
        // x + y > 2 inside: (1,2), (2,1), (2,2).
        assert_eq!(s.nodes_above, 3);
        assert_eq!(s.share, Some(3.0 / 8.0));
        assert_eq!(s.area_above, 3.0);
        assert_eq!(s.coverage(), 8.0 / 9.0);
    }
}
