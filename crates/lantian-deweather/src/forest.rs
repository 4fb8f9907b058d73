//! The fitted trees in a flat layout for the resampling step.
//!
//! Normalisation evaluates the model on resamples × hours rows (300 × 35,000 for one station's
//! four years: 10 million rows, 3 billion tree visits). forust's own `predict` walks one row
//! through one tree at a time and allocates a vector per tree; here every tree is a small array
//! of 24-byte nodes that stays in the L1 cache while a block of rows passes through it, and
//! eight rows walk the tree in lock step so their memory loads overlap. Leaves point to
//! themselves, so every walk takes the tree's depth in steps without a branch on "is leaf".
//!
//! The arithmetic is forust's exactly: a row goes left when `value < split_value`, and the
//! prediction is `base_score` plus the leaf weights added tree by tree in the same order, so
//! the result is bit-for-bit `GradientBooster::predict` (tested). Missing values are not
//! supported (the model table has none).

use forust_ml::GradientBooster;

#[derive(Clone, Copy, Debug)]
struct Node {
    threshold: f64,
    feature: u32,
    left: u32,
    right: u32,
}

/// A compiled ensemble.
#[derive(Clone, Debug)]
pub struct Forest {
    base: f64,
    features: usize,
    nodes: Vec<Node>,
    value: Vec<f64>,
    /// Per tree: root node and depth (steps from the root to the deepest leaf).
    trees: Vec<(u32, u32)>,
}

/// Rows walked together through a tree.
const LANES: usize = 8;

impl Forest {
    pub fn from_booster(b: &GradientBooster, features: usize) -> Forest {
        let mut f = Forest {
            base: b.base_score,
            features,
            nodes: Vec::new(),
            value: Vec::new(),
            trees: Vec::new(),
        };
        let n_trees = b.prediction_iteration.unwrap_or(b.trees.len());
        for tree in &b.trees[..n_trees] {
            let offset = f.nodes.len() as u32;
            // forust numbers nodes by `num`, which is their index in `nodes`.
            for (i, n) in tree.nodes.iter().enumerate() {
                debug_assert_eq!(n.num, i);
                let me = offset + i as u32;
                if n.is_leaf {
                    f.nodes.push(Node {
                        threshold: f64::INFINITY,
                        feature: 0,
                        left: me,
                        right: me,
                    });
                } else {
                    assert!(n.split_feature < features, "split on an unknown feature");
                    f.nodes.push(Node {
                        threshold: n.split_value,
                        feature: n.split_feature as u32,
                        left: offset + n.left_child as u32,
                        right: offset + n.right_child as u32,
                    });
                }
                f.value.push(n.weight_value as f64);
            }
            let depth = depth_of(tree, 0);
            f.trees.push((offset, depth));
        }
        f
    }

    pub fn trees(&self) -> usize {
        self.trees.len()
    }

    /// Predict rows given row-major (`x[row * features + feature]`) into `out` (one per row).
    pub fn predict(&self, x: &[f64], out: &mut [f64]) {
        let nf = self.features;
        let n = out.len();
        assert_eq!(
            x.len(),
            n * nf,
            "row-major block of {n} rows × {nf} features"
        );
        out.fill(self.base);
        let nodes = &self.nodes[..];
        for &(root, depth) in &self.trees {
            let mut start = 0;
            while start + LANES <= n {
                let mut at = [root; LANES];
                for _ in 0..depth {
                    for (k, a) in at.iter_mut().enumerate() {
                        let node = nodes[*a as usize];
                        let v = x[(start + k) * nf + node.feature as usize];
                        *a = if v < node.threshold {
                            node.left
                        } else {
                            node.right
                        };
                    }
                }
                for (k, a) in at.iter().enumerate() {
                    out[start + k] += self.value[*a as usize];
                }
                start += LANES;
            }
            for (r, o) in out.iter_mut().enumerate().skip(start) {
                let mut a = root;
                for _ in 0..depth {
                    let node = nodes[a as usize];
                    a = if x[r * nf + node.feature as usize] < node.threshold {
                        node.left
                    } else {
                        node.right
                    };
                }
                *o += self.value[a as usize];
            }
        }
    }
}

fn depth_of(tree: &forust_ml::tree::Tree, i: usize) -> u32 {
    let n = &tree.nodes[i];
    if n.is_leaf {
        0
    } else {
        1 + depth_of(tree, n.left_child).max(depth_of(tree, n.right_child))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use forust_ml::Matrix;
    use forust_ml::objective::ObjectiveType;

    /// A deterministic non-linear table: 1,003 rows (not a multiple of the lanes).
    fn table() -> (Vec<f64>, Vec<f64>, usize, usize) {
        let (n, nf) = (1003, 3);
        let mut col = vec![0.0; n * nf];
        let mut y = vec![0.0; n];
        for i in 0..n {
            let a = (i * 37 % 101) as f64;
            let b = (i * 53 % 89) as f64 / 10.0;
            let c = (i % 7) as f64;
            col[i] = a;
            col[n + i] = b;
            col[2 * n + i] = c;
            y[i] = if a < 50.0 { 3.0 * b } else { b * b } + c;
        }
        (col, y, n, nf)
    }

    #[test]
    fn the_flat_forest_predicts_bit_for_bit_as_forust() {
        let (col, y, n, nf) = table();
        let mut b = GradientBooster::default()
            .set_objective_type(ObjectiveType::SquaredLoss)
            .set_iterations(40)
            .set_learning_rate(0.3)
            .set_max_depth(5);
        b.fit_unweighted(&Matrix::new(&col, n, nf), &y, None)
            .unwrap();
        let expected = b.predict(&Matrix::new(&col, n, nf), false);
        let f = Forest::from_booster(&b, nf);
        assert_eq!(f.trees(), 40);
        let rows: Vec<f64> = (0..n)
            .flat_map(|i| (0..nf).map(move |c| (i, c)))
            .map(|(i, c)| col[c * n + i])
            .collect();
        let mut got = vec![0.0; n];
        f.predict(&rows, &mut got);
        for (i, (g, e)) in got.iter().zip(&expected).enumerate() {
            assert_eq!(g.to_bits(), e.to_bits(), "row {i}: {g} vs {e}");
        }
        // The fit is good (the flat layout is not predicting a constant).
        let ss: f64 = y.iter().zip(&got).map(|(a, b)| (a - b).powi(2)).sum();
        assert!(
            ss / (n as f64) < 1.0,
            "mean squared error {}",
            ss / n as f64
        );
    }
}
