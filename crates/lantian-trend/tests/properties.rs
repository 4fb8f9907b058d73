//! Invariants of the trend statistics.

use lantian_trend::mann_kendall::mann_kendall;
use lantian_trend::theil_sen::theil_sen;
use proptest::prelude::*;

proptest! {
    /// Shifting every value by a constant leaves the slope alone and moves the intercept by it;
    /// scaling by a positive factor scales both (integers keep the arithmetic exact).
    #[test]
    fn theil_sen_is_equivariant(y in prop::collection::vec(-500i32..500, 3..40), shift in -100i32..100, k in 1i32..5) {
        let x: Vec<f64> = (0..y.len()).map(|i| i as f64).collect();
        let y: Vec<f64> = y.into_iter().map(f64::from).collect();
        let base = theil_sen(&x, &y).unwrap();
        let shifted: Vec<f64> = y.iter().map(|v| v + f64::from(shift)).collect();
        let s = theil_sen(&x, &shifted).unwrap();
        prop_assert_eq!(s.slope, base.slope);
        prop_assert!((s.intercept - base.intercept - f64::from(shift)).abs() < 1e-9);
        let scaled: Vec<f64> = y.iter().map(|v| v * f64::from(k)).collect();
        let c = theil_sen(&x, &scaled).unwrap();
        prop_assert!((c.slope - base.slope * f64::from(k)).abs() < 1e-9);
    }

    /// Reversing time reverses the sign of S and keeps its variance and p-value.
    #[test]
    fn mann_kendall_is_antisymmetric_in_time(y in prop::collection::vec(0i32..20, 3..60)) {
        let y: Vec<f64> = y.into_iter().map(f64::from).collect();
        let mut r = y.clone();
        r.reverse();
        match (mann_kendall(&y), mann_kendall(&r)) {
            (Some(a), Some(b)) => {
                prop_assert_eq!(a.s, -b.s);
                prop_assert_eq!(a.var_s, b.var_s);
                prop_assert!((a.p - b.p).abs() < 1e-15);
                prop_assert!(a.p > 0.0 && a.p <= 1.0);
            }
            (None, None) => {}
            _ => prop_assert!(false, "one direction testable, the other not"),
        }
    }
}
