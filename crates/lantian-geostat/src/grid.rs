//! A regular grid of nodes, and an interpolator's estimates on it.
//!
//! The grid is of **nodes**, the points estimated (point kriging, not block kriging): node
//! `(i, j)` is at `(x0 + i·dx, y0 + j·dy)`. Each node stands for the `dx × dy` cell around it,
//! which is how [`crate::area`] turns node counts into area. Values are stored row by row, `x`
//! fastest: node `(i, j)` is at index `j·nx + i`.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{GeostatError, Unpredictable};
use crate::interpolate::{Interpolator, Prediction};
use crate::point::{Point, check_finite};

/// A regular grid of `nx × ny` nodes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Grid {
    /// Easting of the first node.
    pub x0: f64,
    /// Northing of the first node.
    pub y0: f64,
    /// Spacing between nodes along x.
    pub dx: f64,
    /// Spacing between nodes along y.
    pub dy: f64,
    pub nx: usize,
    pub ny: usize,
}

impl Grid {
    /// A grid from its first node, spacing and size; spacings must be positive and the grid
    /// not empty.
    pub fn new(
        x0: f64,
        y0: f64,
        dx: f64,
        dy: f64,
        nx: usize,
        ny: usize,
    ) -> Result<Self, GeostatError> {
        for (name, v) in [("x0", x0), ("y0", y0)] {
            if !v.is_finite() {
                return Err(GeostatError::InvalidParameter {
                    name,
                    value: v,
                    reason: "the grid's origin is finite",
                });
            }
        }
        for (name, v) in [("dx", dx), ("dy", dy)] {
            if !(v.is_finite() && v > 0.0) {
                return Err(GeostatError::InvalidParameter {
                    name,
                    value: v,
                    reason: "the grid spacing is a positive distance",
                });
            }
        }
        for (name, n) in [("nx", nx), ("ny", ny)] {
            if n == 0 {
                return Err(GeostatError::InvalidParameter {
                    name,
                    value: 0.0,
                    reason: "a grid has at least one node along each axis",
                });
            }
        }
        Ok(Self {
            x0,
            y0,
            dx,
            dy,
            nx,
            ny,
        })
    }

    /// `nx × ny` nodes from the samples' smallest to their largest coordinates, both included
    /// (numpy's `linspace(min, max, n)` along each axis). Needs `nx, ny ≥ 2` and samples that
    /// span both axes.
    pub fn covering(points: &[Point], nx: usize, ny: usize) -> Result<Self, GeostatError> {
        if points.is_empty() {
            return Err(GeostatError::TooFewPoints {
                operation: "a grid covering the samples",
                needed: 1,
                found: 0,
            });
        }
        check_finite(points)?;
        for (name, n) in [("nx", nx), ("ny", ny)] {
            if n < 2 {
                return Err(GeostatError::InvalidParameter {
                    name,
                    value: n as f64,
                    reason: "a grid from the smallest to the largest coordinate needs 2 nodes",
                });
            }
        }
        let (mut xmin, mut xmax, mut ymin, mut ymax) = (
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        );
        for p in points {
            xmin = xmin.min(p.x);
            xmax = xmax.max(p.x);
            ymin = ymin.min(p.y);
            ymax = ymax.max(p.y);
        }
        Self::new(
            xmin,
            ymin,
            (xmax - xmin) / (nx - 1) as f64,
            (ymax - ymin) / (ny - 1) as f64,
            nx,
            ny,
        )
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.nx * self.ny
    }

    /// Always false: a grid has at least one node.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The coordinates of node `(i, j)`.
    pub fn node(&self, i: usize, j: usize) -> (f64, f64) {
        (self.x0 + i as f64 * self.dx, self.y0 + j as f64 * self.dy)
    }

    /// The coordinates of the node at `index` (row by row, `x` fastest).
    pub fn node_at(&self, index: usize) -> (f64, f64) {
        self.node(index % self.nx, index / self.nx)
    }

    /// The area a node stands for, `dx · dy`.
    pub fn cell_area(&self) -> f64 {
        self.dx * self.dy
    }
}

/// An interpolator's result at every node of a grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridValues {
    pub grid: Grid,
    /// One per node, row by row (`x` fastest): the estimate, or why there is none.
    pub nodes: Vec<Result<Prediction, Unpredictable>>,
}

impl GridValues {
    /// The estimate at each node, `None` where there is none.
    pub fn estimates(&self) -> impl Iterator<Item = Option<f64>> + '_ {
        self.nodes
            .iter()
            .map(|n| n.as_ref().ok().map(|p| p.estimate))
    }

    /// Nodes with an estimate.
    pub fn estimated(&self) -> usize {
        self.nodes.iter().filter(|n| n.is_ok()).count()
    }
}

/// Estimates at every node of `grid`, in parallel over the nodes (rayon).
///
/// ```
/// use lantian_geostat::{Grid, Idw, InverseDistanceWeighting, Point, predict_grid};
/// let points = [Point::new(0.0, 0.0, 1.0), Point::new(1.0, 1.0, 3.0)];
/// let grid = Grid::covering(&points, 3, 3).unwrap();
/// let values = predict_grid(&InverseDistanceWeighting::new(&points, Idw::default()).unwrap(), &grid);
/// assert_eq!(values.nodes.len(), 9);
/// assert_eq!(values.estimates().nth(8), Some(Some(3.0))); // node (2, 2) is the sample at (1, 1)
/// ```
pub fn predict_grid<I: Interpolator + ?Sized>(interpolator: &I, grid: &Grid) -> GridValues {
    let nodes = (0..grid.len())
        .into_par_iter()
        .map(|k| {
            let (x, y) = grid.node_at(k);
            interpolator.predict(x, y)
        })
        .collect();
    GridValues { grid: *grid, nodes }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_row_by_row() {
        let g = Grid::new(10.0, 20.0, 2.0, 5.0, 3, 2).unwrap();
        assert_eq!(g.len(), 6);
        assert_eq!(g.node(0, 0), (10.0, 20.0));
        assert_eq!(g.node(2, 1), (14.0, 25.0));
        assert_eq!(g.node_at(4), (12.0, 25.0));
        assert_eq!(g.cell_area(), 10.0);
    }

    #[test]
    fn covering_spans_the_samples() {
        let points = [Point::new(100.0, 50.0, 0.0), Point::new(200.0, 250.0, 0.0)];
        let g = Grid::covering(&points, 11, 5).unwrap();
        assert_eq!((g.x0, g.y0, g.dx, g.dy), (100.0, 50.0, 10.0, 50.0));
        assert_eq!(g.node(10, 4), (200.0, 250.0));
        assert!(Grid::covering(&points, 1, 5).is_err());
        let flat = [Point::new(0.0, 0.0, 0.0), Point::new(1.0, 0.0, 0.0)];
        assert!(matches!(
            Grid::covering(&flat, 3, 3),
            Err(GeostatError::InvalidParameter { name: "dy", .. })
        ));
    }

    #[test]
    fn bad_grids_are_refused() {
        assert!(Grid::new(0.0, 0.0, 0.0, 1.0, 1, 1).is_err());
        assert!(Grid::new(0.0, 0.0, 1.0, 1.0, 0, 1).is_err());
        assert!(Grid::new(f64::NAN, 0.0, 1.0, 1.0, 1, 1).is_err());
    }
}
