//! Variogram models: spherical, exponential and gaussian, each with an optional nugget.
//!
//! Every model is written as `γ(h) = nugget + partial_sill · f(h / a)` with a shape `f` rising
//! from 0 to 1, and parameterised, as skgstat parameterises it (`skgstat/models.py`), by the
//! **effective range** `r`: the distance at which the model reaches (spherical) or practically
//! reaches its sill. The range parameter `a` of the textbook formula follows from it:
//!
//! | model | `f(h)` for `h > 0` | `a` | `f(r)` |
//! | --- | --- | --- | --- |
//! | spherical | `1.5 h/a − 0.5 (h/a)³` for `h ≤ a`, else 1 | `r` | 1 |
//! | exponential | `1 − exp(−h/a)` | `r / 3` | 0.950 |
//! | gaussian | `1 − exp(−h²/a²)` | `r / 2` | 0.982 |
//!
//! The spherical model follows Burgess & Webster (1980, J. Soil Sci. 31, 315), the exponential
//! and gaussian Journel & Huijbregts (1978, *Mining Geostatistics*) and Chilès & Delfiner
//! (1999), the sources skgstat cites. (gstat and PyKrige parameterise the exponential and the
//! gaussian by `a` itself: their "range" is a third, or a half, of the one here.)
//!
//! One convention differs from skgstat on purpose: `γ(0) = 0` exactly. A semivariogram is 0 at
//! the origin by definition, and the nugget is its limit as `h → 0⁺` (Cressie 1993, *Statistics
//! for Spatial Data*, §2.3.1). skgstat's model functions return the nugget at `h = 0`; it only
//! matters for kriging at a location that coincides with a sample when the nugget is not zero
//! (here the sample's value is returned, as ordinary kriging is an exact interpolator; skgstat
//! returns a smoothed value). The fit never evaluates `h = 0` (its lags are bin edges > 0).

use serde::{Deserialize, Serialize};

/// The shape of a variogram model; see the [module documentation](self) for the formulas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VariogramModel {
    /// Burgess & Webster (1980); skgstat's default model. Reaches its sill at the range.
    Spherical,
    /// `a = r/3`: 95 % of the partial sill at the effective range.
    Exponential,
    /// `a = r/2`: 98.2 % of the partial sill at the effective range.
    Gaussian,
}

impl VariogramModel {
    /// The model's name as skgstat spells it (`"spherical"`, …).
    pub fn name(self) -> &'static str {
        match self {
            Self::Spherical => "spherical",
            Self::Exponential => "exponential",
            Self::Gaussian => "gaussian",
        }
    }

    /// The semivariance at lag `h`: 0 at `h = 0`, else `nugget + partial_sill · f(h)`.
    ///
    /// ```
    /// use lantian_geostat::VariogramModel;
    /// let g = |h| VariogramModel::Spherical.semivariance(h, 100.0, 10.0, 2.0);
    /// assert_eq!(g(0.0), 0.0);
    /// assert_eq!(g(50.0), 2.0 + 10.0 * 0.6875);
    /// assert_eq!(g(250.0), 12.0);
    /// ```
    pub fn semivariance(self, h: f64, effective_range: f64, partial_sill: f64, nugget: f64) -> f64 {
        if h <= 0.0 {
            return 0.0;
        }
        nugget + partial_sill * self.shape(h, effective_range)
    }

    /// `f(h)`, from 0 towards 1, for `h > 0`. A range of 0 (a pure nugget) gives 1 everywhere.
    pub(crate) fn shape(self, h: f64, r: f64) -> f64 {
        if r <= 0.0 {
            return 1.0;
        }
        match self {
            Self::Spherical => {
                if h <= r {
                    let s = h / r;
                    1.5 * s - 0.5 * s * s * s
                } else {
                    1.0
                }
            }
            Self::Exponential => 1.0 - (-3.0 * h / r).exp(),
            Self::Gaussian => 1.0 - (-4.0 * h * h / (r * r)).exp(),
        }
    }

    /// `∂f/∂r` at lag `h > 0`: the fit's Jacobian column for the range.
    pub(crate) fn shape_d_range(self, h: f64, r: f64) -> f64 {
        if r <= 0.0 {
            return 0.0;
        }
        match self {
            Self::Spherical => {
                if h < r {
                    let s = h / r;
                    // df/ds · ds/dr with ds/dr = −s/r.
                    -(1.5 - 1.5 * s * s) * s / r
                } else {
                    0.0
                }
            }
            Self::Exponential => -(3.0 * h / (r * r)) * (-3.0 * h / r).exp(),
            Self::Gaussian => -(8.0 * h * h / (r * r * r)) * (-4.0 * h * h / (r * r)).exp(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::VariogramModel::{self, *};

    #[test]
    fn spherical_by_hand() {
        // r = 100, partial sill 10, no nugget.
        let g = |h| Spherical.semivariance(h, 100.0, 10.0, 0.0);
        assert_eq!(g(0.0), 0.0);
        // h = r/2: 1.5·0.5 − 0.5·0.125 = 0.6875.
        assert_eq!(g(50.0), 6.875);
        // h = r/4: 0.375 − 0.5/64 = 0.3671875.
        assert_eq!(g(25.0), 3.671875);
        assert_eq!(g(100.0), 10.0);
        assert_eq!(g(100.0001), 10.0);
        assert_eq!(g(1e9), 10.0);
    }

    #[test]
    fn effective_range_conventions() {
        let e = Exponential.semivariance(300.0, 300.0, 1.0, 0.0);
        assert!((e - (1.0 - (-3.0f64).exp())).abs() < 1e-15);
        assert!((e - 0.950_212_931_632_136).abs() < 1e-12);
        let g = Gaussian.semivariance(300.0, 300.0, 1.0, 0.0);
        assert!((g - 0.981_684_361_111_265_8).abs() < 1e-12);
        // Gaussian at h = r/2 = a: 1 − e⁻¹.
        let g = Gaussian.semivariance(150.0, 300.0, 1.0, 0.0);
        assert!((g - (1.0 - (-1.0f64).exp())).abs() < 1e-15);
    }

    #[test]
    fn nugget_is_the_limit_at_zero_not_the_value() {
        for m in [Spherical, Exponential, Gaussian] {
            assert_eq!(m.semivariance(0.0, 10.0, 5.0, 3.0), 0.0);
            let near = m.semivariance(1e-9, 10.0, 5.0, 3.0);
            assert!((near - 3.0).abs() < 1e-6, "{m:?}: {near}");
        }
    }

    #[test]
    fn range_derivative_matches_finite_differences() {
        for m in [Spherical, Exponential, Gaussian] {
            for &(h, r) in &[(10.0, 100.0), (60.0, 100.0), (99.0, 100.0), (150.0, 100.0)] {
                let eps = 1e-5;
                let numeric = (m.shape(h, r + eps) - m.shape(h, r - eps)) / (2.0 * eps);
                let analytic = m.shape_d_range(h, r);
                assert!(
                    (numeric - analytic).abs() < 1e-8,
                    "{m:?} h={h} r={r}: {numeric} vs {analytic}"
                );
            }
        }
    }

    #[test]
    fn zero_range_is_a_pure_nugget() {
        for m in [Spherical, Exponential, Gaussian] {
            assert_eq!(m.semivariance(1.0, 0.0, 4.0, 1.0), 5.0);
            assert_eq!(m.shape_d_range(1.0, 0.0), 0.0);
        }
    }

    #[test]
    fn names_are_skgstats() {
        let names: Vec<_> = [Spherical, Exponential, Gaussian]
            .into_iter()
            .map(VariogramModel::name)
            .collect();
        assert_eq!(names, ["spherical", "exponential", "gaussian"]);
    }
}
