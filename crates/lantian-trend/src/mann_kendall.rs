//! The Mann–Kendall test for a monotonic trend (Mann 1945, Kendall 1975): the statistic
//! `S = Σ_{i<j} sign(y_j − y_i)`, its variance under no trend corrected for ties, and the
//! two-sided p-value of the continuity-corrected normal approximation (as openair's `MKstats`
//! and pymannkendall's `original_test` compute it).

/// The test's result.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MannKendall {
    /// Number of values.
    pub n: usize,
    /// `S = Σ_{i<j} sign(y_j − y_i)`.
    pub s: i64,
    /// `Var(S) = [n(n−1)(2n+5) − Σ_g t_g(t_g−1)(2t_g+5)] / 18` over the groups `g` of tied values.
    pub var_s: f64,
    /// `(S − 1)/√Var(S)` if `S > 0`, `(S + 1)/√Var(S)` if `S < 0`, else 0.
    pub z: f64,
    /// Two-sided: `2 (1 − Φ(|z|)) = erfc(|z|/√2)`.
    pub p: f64,
}

/// `sign(b − a)` for values in time order.
fn sign(a: f64, b: f64) -> i64 {
    match b.partial_cmp(&a) {
        Some(std::cmp::Ordering::Greater) => 1,
        Some(std::cmp::Ordering::Less) => -1,
        _ => 0,
    }
}

/// The Mann–Kendall test of `y` (in time order, no missing values). `None` with fewer than 3
/// values, or when every value is the same (no variance).
pub fn mann_kendall(y: &[f64]) -> Option<MannKendall> {
    let n = y.len();
    if n < 3 {
        return None;
    }
    let mut s = 0i64;
    for i in 0..n {
        for j in i + 1..n {
            s += sign(y[i], y[j]);
        }
    }
    let mut sorted = y.to_vec();
    sorted.sort_by(f64::total_cmp);
    let ties: f64 = sorted
        .chunk_by(|a, b| a == b)
        .map(|g| {
            let t = g.len() as f64;
            t * (t - 1.0) * (2.0 * t + 5.0)
        })
        .sum();
    let nf = n as f64;
    let var_s = (nf * (nf - 1.0) * (2.0 * nf + 5.0) - ties) / 18.0;
    if var_s <= 0.0 {
        return None;
    }
    let z = match s.signum() {
        1 => (s - 1) as f64 / var_s.sqrt(),
        -1 => (s + 1) as f64 / var_s.sqrt(),
        _ => 0.0,
    };
    let p = libm::erfc(z.abs() / std::f64::consts::SQRT_2);
    Some(MannKendall { n, s, var_s, z, p })
}

/// openair's significance symbols: `***` p < 0.001, `**` < 0.01, `*` < 0.05, `+` < 0.1.
pub fn stars(p: f64) -> &'static str {
    if p < 0.001 {
        "***"
    } else if p < 0.01 {
        "**"
    } else if p < 0.05 {
        "*"
    } else if p < 0.1 {
        "+"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn hand_worked_without_ties() {
        // 1 3 2 5 4: 8 increasing pairs, 2 decreasing → S = 6; Var = 5·4·15/18 = 50/3;
        // z = 5/√(50/3) = 1.224745; p = erfc(z/√2) = 0.220671.
        let r = mann_kendall(&[1.0, 3.0, 2.0, 5.0, 4.0]).unwrap();
        assert_eq!(r.s, 6);
        assert!(close(r.var_s, 50.0 / 3.0, 1e-12));
        assert!(close(r.z, 1.224_744_871, 1e-9), "{}", r.z);
        assert!(close(r.p, 0.220_671_362, 1e-9), "{}", r.p);
    }

    #[test]
    fn hand_worked_with_ties() {
        // 1 2 2 3: 5 increasing pairs, one tie → S = 5; one group of 2 ties:
        // Var = (4·3·13 − 2·1·9)/18 = 138/18; z = 4/√(138/18) = 1.444630; p = 0.148562.
        let r = mann_kendall(&[1.0, 2.0, 2.0, 3.0]).unwrap();
        assert_eq!(r.s, 5);
        assert!(close(r.var_s, 138.0 / 18.0, 1e-12));
        assert!(close(r.z, 1.444_630_237, 1e-9), "{}", r.z);
        assert!(close(r.p, 0.148_561_775, 1e-9), "{}", r.p);
    }

    #[test]
    fn decreasing_and_flat() {
        let r = mann_kendall(&[5.0, 4.0, 3.0, 2.0, 1.0]).unwrap();
        assert_eq!(r.s, -10);
        assert!(r.z < 0.0);
        assert_eq!(mann_kendall(&[2.0, 2.0, 2.0]), None);
        assert_eq!(mann_kendall(&[1.0, 2.0]), None);
    }

    #[test]
    fn stars_at_their_thresholds() {
        assert_eq!(stars(0.0009), "***");
        assert_eq!(stars(0.001), "**");
        assert_eq!(stars(0.049), "*");
        assert_eq!(stars(0.05), "+");
        assert_eq!(stars(0.1), "");
    }
}

#[cfg(test)]
mod reference {
    use super::*;

    #[test]
    fn agrees_with_pymannkendall() {
        // pymannkendall 1.4 `original_test` on this series (40 values with ties):
        // s = 538, var_s = 7362.666666666667, z = 6.258304877105799, p = 3.8918446243485505e-10.
        let r = mann_kendall(&crate::reference_series()).unwrap();
        assert_eq!(r.s, 538);
        assert!((r.var_s - 7362.666666666667).abs() < 1e-9);
        assert!((r.z - 6.258304877105799).abs() < 1e-12);
        assert!((r.p / 3.8918446243485505e-10 - 1.0).abs() < 1e-6);
    }
}
