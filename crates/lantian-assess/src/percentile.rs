//! The percentile of HJ 663 Annex A.
//!
//! Sort the n valid values, X(1) ≤ … ≤ X(n); rank k = 1 + (n − 1) × p / 100; with s the integer
//! part of k, the p-th percentile is X(s) + (X(s+1) − X(s)) × (k − s), or X(k) when k is an
//! integer. This is the "linear, inclusive" definition (numpy's default `method="linear"`,
//! Excel's PERCENTILE.INC). The Chinese wording of Annex A was not re-read (UNCONFIRMED wording,
//! formula agreed by two public implementations and the standards notes).

/// The `p`-th percentile (0–100) of `values` by HJ 663 Annex A; `None` for no values.
/// `NaN`s are not valid values and must not be passed.
///
/// ```
/// use lantian_assess::percentile::percentile;
/// // n = 5, p = 90: k = 1 + 4 × 0.9 = 4.6 → X(4) + 0.6 × (X(5) − X(4)) = 40 + 0.6 × 10 = 46
/// assert_eq!(percentile(&[10.0, 50.0, 30.0, 20.0, 40.0], 90.0), Some(46.0));
/// ```
pub fn percentile(values: &[f64], p: f64) -> Option<f64> {
    if values.is_empty() || !(0.0..=100.0).contains(&p) {
        return None;
    }
    let mut x = values.to_vec();
    x.sort_by(|a, b| a.total_cmp(b));
    Some(percentile_sorted(&x, p))
}

/// [`percentile`] of values already sorted ascending (not checked).
pub fn percentile_sorted(x: &[f64], p: f64) -> f64 {
    let n = x.len();
    // k is 1-based; work with the 0-based position k − 1 = (n − 1) p / 100.
    let pos = (n - 1) as f64 * p / 100.0;
    let s = pos.floor() as usize;
    let frac = pos - s as f64;
    if s + 1 >= n || frac == 0.0 {
        x[s.min(n - 1)]
    } else {
        x[s] + (x[s + 1] - x[s]) * frac
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_worked_examples() {
        // n = 1: every percentile is the value.
        assert_eq!(percentile(&[7.0], 95.0), Some(7.0));
        // n = 2, p = 95: k = 1.95 → 10 + 0.95 × 10 = 19.5
        assert_eq!(percentile(&[20.0, 10.0], 95.0), Some(19.5));
        // n = 11 (0..=10), p = 90: k = 10 → X(10) = 9 exactly (integer rank)
        let v: Vec<f64> = (0..=10).map(f64::from).collect();
        assert_eq!(percentile(&v, 90.0), Some(9.0));
        // n = 365 daily values 1..=365, p = 95: k = 1 + 364 × 0.95 = 346.8 → 346 + 0.8 = 346.8
        let y: Vec<f64> = (1..=365).map(f64::from).collect();
        assert!((percentile(&y, 95.0).unwrap() - 346.8).abs() < 1e-9);
        // p = 98 of the same: k = 1 + 364 × 0.98 = 357.72 → 357.72
        assert!((percentile(&y, 98.0).unwrap() - 357.72).abs() < 1e-9);
        // p = 0 and 100 are the extremes.
        assert_eq!(percentile(&[3.0, 1.0, 2.0], 0.0), Some(1.0));
        assert_eq!(percentile(&[3.0, 1.0, 2.0], 100.0), Some(3.0));
        assert_eq!(percentile(&[], 50.0), None);
    }

    proptest::proptest! {
        #[test]
        fn lies_between_neighbours(mut v in proptest::collection::vec(0.0f64..1000.0, 1..400), p in 0.0f64..=100.0) {
            let q = percentile(&v, p).unwrap();
            v.sort_by(|a, b| a.total_cmp(b));
            proptest::prop_assert!(q >= v[0] && q <= v[v.len() - 1]);
            // Monotone in p.
            let q2 = percentile(&v, (p + 5.0).min(100.0)).unwrap();
            proptest::prop_assert!(q2 >= q - 1e-9);
        }
    }
}
