//! The fitted trees in a flat layout for the resampling step.
//!
//! Normalisation evaluates the model on resamples × hours rows (300 × 35,000 for one station's
//! four years: 10 million rows, 3 billion tree visits). forust's own `predict` walks one row
//! through one tree at a time and allocates a vector per tree; here every tree is a small array
//! of 16-byte nodes, numbered breadth-first so a node's children are adjacent, that stays in
//! the L1 cache while a block of rows passes through it; eight rows walk the tree in lock step
//! so their memory loads overlap, and a step is `child + (value >= threshold)`, with no branch
//! to mispredict. Leaves point to themselves, so every walk takes the tree's depth in steps.
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
    /// The left child; the right child is `child + 1`. A leaf is its own child with an
    /// infinite threshold, so every step from it stays on it.
    child: u32,
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
            let root = f.nodes.len() as u32;
            // Breadth-first renumbering so that each node's two children are adjacent: the
            // step to a child is then `child + (value >= threshold)`, with no branch to
            // mispredict. forust numbers nodes by their index in `nodes`.
            let mut order = vec![0usize];
            let mut at = 0;
            while at < order.len() {
                let n = &tree.nodes[order[at]];
                debug_assert_eq!(n.num, order[at]);
                if !n.is_leaf {
                    order.push(n.left_child);
                    order.push(n.right_child);
                }
                at += 1;
            }
            let mut next_child = root + 1;
            for (pos, &i) in order.iter().enumerate() {
                let n = &tree.nodes[i];
                let me = root + pos as u32;
                if n.is_leaf {
                    f.nodes.push(Node {
                        threshold: f64::INFINITY,
                        feature: 0,
                        child: me,
                    });
                } else {
                    assert!(n.split_feature < features, "split on an unknown feature");
                    f.nodes.push(Node {
                        threshold: n.split_value,
                        feature: n.split_feature as u32,
                        child: next_child,
                    });
                    next_child += 2;
                }
                f.value.push(n.weight_value as f64);
            }
            f.trees.push((root, depth_of(tree, 0)));
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
        // forust goes left when `value < split_value`, so right is `!(value < t)`; with finite
        // values (the model table has no missing value) that is `value >= t`.
        let step = |a: u32, row: &[f64]| {
            let node = nodes[a as usize];
            node.child + (row[node.feature as usize] >= node.threshold) as u32
        };
        for &(root, depth) in &self.trees {
            let mut blocks = x.chunks_exact(LANES * nf);
            let mut outs = out.chunks_exact_mut(LANES);
            for (xb, ob) in (&mut blocks).zip(&mut outs) {
                let mut at = [root; LANES];
                for _ in 0..depth {
                    for (k, a) in at.iter_mut().enumerate() {
                        *a = step(*a, &xb[k * nf..(k + 1) * nf]);
                    }
                }
                for (o, a) in ob.iter_mut().zip(at) {
                    *o += self.value[a as usize];
                }
            }
            for (row, o) in blocks
                .remainder()
                .chunks_exact(nf)
                .zip(outs.into_remainder())
            {
                let mut a = root;
                for _ in 0..depth {
                    a = step(a, row);
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
