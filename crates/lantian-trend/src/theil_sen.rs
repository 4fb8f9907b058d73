//! The Theil–Sen slope: the median of the slopes of all pairs of points (Sen 1968, Theil 1950),
//! robust to outliers and to the skewed, non-normal distributions of concentrations; openair's
//! `TheilSen` uses it for air-quality trends.

/// A fitted line `y = intercept + slope · x`.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Line {
    pub slope: f64,
    pub intercept: f64,
}

/// The median of `v` (sorted in place); `None` when empty. An even count takes the mean of the
/// two middle values.
pub fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// Slopes `(y_j − y_i) / (x_j − x_i)` of every pair `i < j` with `x_i ≠ x_j`.
pub fn pair_slopes(x: &[f64], y: &[f64]) -> Vec<f64> {
    assert_eq!(x.len(), y.len(), "x and y of one series");
    let n = x.len();
    let mut s = Vec::with_capacity(n * n.saturating_sub(1) / 2);
    for i in 0..n {
        for j in i + 1..n {
            let dx = x[j] - x[i];
            if dx != 0.0 {
                s.push((y[j] - y[i]) / dx);
            }
        }
    }
    s
}

/// The Theil–Sen line of the points `(x, y)`: slope the median of the pair slopes, intercept
/// `median(y) − slope · median(x)` (Conover's intercept, the one openair's `tsp1reg` in the
/// released versions and pymannkendall's `sens_slope` use). `None` with fewer than two
/// distinct `x`.
pub fn theil_sen(x: &[f64], y: &[f64]) -> Option<Line> {
    let slope = median(&mut pair_slopes(x, y))?;
    let intercept = median(&mut y.to_vec())? - slope * median(&mut x.to_vec())?;
    Some(Line { slope, intercept })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_worked_five_points() {
        // Pair slopes of (1,1) (2,3) (3,2) (4,5) (5,4), sorted:
        // −1, −1, 1/3, 1/2, 3/4, 1, 1, 4/3, 2, 3 → median (3/4 + 1) / 2 = 0.875.
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let y = [1.0, 3.0, 2.0, 5.0, 4.0];
        let l = theil_sen(&x, &y).unwrap();
        assert_eq!(l.slope, 0.875);
        // median(y) − 0.875 · median(x) = 3 − 0.875 · 3.
        assert_eq!(l.intercept, 0.375);
    }

    #[test]
    fn an_outlier_does_not_move_the_slope() {
        let x: Vec<f64> = (0..11).map(f64::from).collect();
        let mut y: Vec<f64> = x.iter().map(|x| 2.0 * x + 1.0).collect();
        y[5] = 1000.0;
        let l = theil_sen(&x, &y).unwrap();
        // The slope stays 2; the intercept is median(y) − 2 · median(x) = 13 − 10 (the outlier
        // moved the median of y from 11 to 13).
        assert_eq!((l.slope, l.intercept), (2.0, 3.0));
    }

    #[test]
    fn agrees_with_pymannkendall_sens_slope() {
        // pymannkendall 1.4 `sens_slope` on the reference series: slope 0.5, intercept 4.5.
        let y = crate::reference_series();
        let x: Vec<f64> = (0..40).map(f64::from).collect();
        let l = theil_sen(&x, &y).unwrap();
        assert_eq!((l.slope, l.intercept), (0.5, 4.5));
    }

    #[test]
    fn equal_x_pairs_are_skipped_and_one_x_gives_none() {
        assert_eq!(
            pair_slopes(&[1.0, 1.0, 2.0], &[0.0, 5.0, 1.0]),
            vec![1.0, -4.0]
        );
        assert_eq!(theil_sen(&[3.0, 3.0], &[1.0, 2.0]), None);
        assert_eq!(theil_sen(&[], &[]), None);
    }
}
