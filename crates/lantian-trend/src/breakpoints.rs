//! Break points: step changes in a series, found and sized as AQEval does.
//!
//! AQEval's `findBreakPoints` (Ropkins et al., AQEval R package; the PyPI port `aqeval` 0.7.3
//! is the reference these functions are checked against) runs `strucchange::breakpoints` on
//! the series with a mean-only model and reports the breaks at the BIC-optimal number with
//! Bai's (1997) confidence intervals; `quantBreakPoints` then sizes each break with a
//! piecewise-linear fit. The algorithm, step by step:
//!
//! 1. **Input.** Missing values are dropped and the rest searched as one series (positions,
//!    not times; a position maps back to its row). AQEval does no averaging itself: its
//!    examples pass daily (or multi-day) means, as `lantian breaks` does.
//! 2. **Segments.** Each segment's model is its mean (`y ~ 1`); its cost is the sum of squared
//!    deviations from that mean. Every segment holds at least `h = floor(n · 0.15)` values.
//! 3. **Search.** Bai & Perron's dynamic programme gives, for each number of breaks `m`, the
//!    breaks minimising the total cost; a break is the *last* value of the segment on its left;
//!    ties go to the first candidate (R's `which.min`). At most `ceil(n / h) − 2` breaks.
//! 4. **How many.** `BIC_m = n (ln RSS_m + 1 − ln n + ln 2π) + ln(n) · 2(m + 1)`, with `RSS_m`
//!    recomputed from the extracted breaks (as strucchange's `summary` does); the first
//!    minimum wins; `m = 0` means no break.
//! 5. **Intervals** (strucchange `confint.breakpointsfull`, level 0.95, heteroskedastic
//!    errors): from the two neighbouring segments' means and variances (divided by their
//!    length), the 2.5 % and 97.5 % points of Bai's limiting distribution of the break's
//!    argmax (`pargmaxV`), scaled by σ₁² / δ²: `(b − ⌈U'⌉, b, b − ⌊L'⌋)`, clamped to
//!    positions 2 .. n − 1.
//! 6. **Size** (`quantBreakPoints`): one least-squares fit over all rows with a shared intercept
//!    and one slope in time per segment (segment `s` holds the rows from break `s − 1` to the
//!    row before break `s`: here a break's row *starts* the new segment); the change at a break
//!    is the fitted value at its row minus the fitted value at the row before, with ±1.96
//!    standard errors of the fit.
//! 7. **Which breaks** (`testBreakPoints`, used when breaks are not given): every subset of the
//!    found breaks is fitted as in 6; a subset counts if every coefficient (intercept included)
//!    has p < 0.05; the one with the highest adjusted R² is kept.

use puruspe::{betai, erfcx};

/// A break found in a series: rows of the input (0-based), NaN rows counted.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Break {
    /// The last row before the change (strucchange's breakpoint).
    pub row: usize,
    /// Bai's interval, rows (None where it cannot be computed).
    pub lower: Option<usize>,
    pub upper: Option<usize>,
}

/// The search result with the BIC table.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BreakSearch {
    /// Values searched (non-missing).
    pub n: usize,
    /// Minimum segment length.
    pub h: usize,
    /// Per number of breaks 0..=max: (m, RSS, BIC, breakpoints as positions 1..n).
    pub bic: Vec<BicRow>,
    /// The chosen number of breaks.
    pub breaks_chosen: usize,
    pub breaks: Vec<Break>,
}

#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BicRow {
    pub breaks: usize,
    pub rss: f64,
    pub bic: f64,
    /// 1-based positions in the searched (non-missing) series.
    pub positions: Vec<usize>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum BreakError {
    #[error("the series has {n} values: too few to search for breaks (at least {needed})")]
    TooShort { n: usize, needed: usize },
    #[error("minimum segment {h} must be at least 2 values and at most half the {n} values")]
    SegmentSize { h: usize, n: usize },
}

/// Prefix sums of the centred values for O(1) segment costs.
struct Costs {
    s1: Vec<f64>,
    s2: Vec<f64>,
}

impl Costs {
    fn new(y: &[f64]) -> Costs {
        let c = y.iter().sum::<f64>() / y.len() as f64;
        let mut s1 = vec![0.0; y.len() + 1];
        let mut s2 = vec![0.0; y.len() + 1];
        for (i, v) in y.iter().enumerate() {
            let d = v - c;
            s1[i + 1] = s1[i] + d;
            s2[i + 1] = s2[i] + d * d;
        }
        Costs { s1, s2 }
    }

    /// Sum of squared deviations from the mean of values i..=j (1-based, inclusive).
    fn rss(&self, i: usize, j: usize) -> f64 {
        let len = (j + 1 - i) as f64;
        let a = self.s1[j] - self.s1[i - 1];
        let b = self.s2[j] - self.s2[i - 1];
        (b - a * a / len).max(0.0)
    }
}

/// strucchange's `breakpoints(y ~ 1, h)` on a series without missing values, with the BIC
/// choice. `h` is the minimum segment length in values.
#[allow(
    clippy::needless_range_loop,
    reason = "the loops keep strucchange's 1-based index ranges, which is how they are checked"
)]
pub fn breakpoints(y: &[f64], h: usize) -> Result<(Vec<BicRow>, usize), BreakError> {
    let n = y.len();
    if n < 4 {
        return Err(BreakError::TooShort { n, needed: 4 });
    }
    // strucchange: h must exceed the number of regressors (1) and not exceed n / 2.
    if h < 2 || h > n / 2 {
        return Err(BreakError::SegmentSize { h, n });
    }
    let costs = Costs::new(y);
    let max_breaks = n.div_ceil(h) - 2;
    // rss_m[i], brk_m[i] for i = last value of the left part (1-based), m breaks so far.
    let mut rss_tables: Vec<Vec<f64>> = Vec::new();
    let mut brk_tables: Vec<Vec<usize>> = Vec::new();
    let mut rss1 = vec![f64::NAN; n + 1];
    for (i, r) in rss1.iter_mut().enumerate().take(n - h + 1).skip(h) {
        *r = costs.rss(1, i);
    }
    rss_tables.push(rss1);
    brk_tables.push(vec![0; n + 1]);
    for m in 2..=max_breaks {
        let prev = &rss_tables[m - 2];
        let mut rss = vec![f64::NAN; n + 1];
        let mut brk = vec![0usize; n + 1];
        for i in m * h..=n - h {
            let mut best = f64::INFINITY;
            let mut arg = 0;
            for j in (m - 1) * h..=i - h {
                let v = prev[j] + costs.rss(j + 1, i);
                if v < best {
                    best = v;
                    arg = j;
                }
            }
            rss[i] = best;
            brk[i] = arg;
        }
        rss_tables.push(rss);
        brk_tables.push(brk);
    }
    let extract = |m: usize| -> Vec<usize> {
        let table = &rss_tables[m - 1];
        let mut best = f64::INFINITY;
        let mut last = 0;
        for i in h..=n - h {
            let v = table[i] + costs.rss(i + 1, n);
            if v < best {
                best = v;
                last = i;
            }
        }
        let mut out = vec![last];
        for k in (2..=m).rev() {
            let b = brk_tables[k - 1][*out.last().expect("non-empty")];
            out.push(b);
        }
        out.reverse();
        out
    };
    let nf = n as f64;
    let bic_of = |rss: f64, m: usize| {
        nf * (rss.ln() + 1.0 - nf.ln() + (2.0 * std::f64::consts::PI).ln())
            + nf.ln() * 2.0 * (m as f64 + 1.0)
    };
    let mut rows = vec![BicRow {
        breaks: 0,
        rss: costs.rss(1, n),
        bic: bic_of(costs.rss(1, n), 0),
        positions: vec![],
    }];
    for m in 1..=max_breaks {
        let b = extract(m);
        let mut bounds = vec![0];
        bounds.extend(&b);
        bounds.push(n);
        let rss: f64 = bounds.windows(2).map(|w| costs.rss(w[0] + 1, w[1])).sum();
        rows.push(BicRow {
            breaks: m,
            rss,
            bic: bic_of(rss, m),
            positions: b,
        });
    }
    let mut chosen = 0;
    for r in &rows {
        if r.bic < rows[chosen].bic {
            chosen = r.breaks;
        }
    }
    Ok((rows, chosen))
}

/// log Φ(x), accurate far into the lower tail (Φ(x) = ½ erfcx(−x/√2) e^{−x²/2}).
fn log_norm_cdf(x: f64) -> f64 {
    if x < 0.0 {
        (0.5 * erfcx(-x / std::f64::consts::SQRT_2)).ln() - x * x / 2.0
    } else {
        (1.0 - 0.5 * erfcx(x / std::f64::consts::SQRT_2) * (-x * x / 2.0).exp()).ln()
    }
}

/// strucchange's `pargmaxV`: the distribution function of the argmax of Bai's (1997) two-sided
/// limiting process. NaN where a logarithm's argument is negative, as in R.
pub fn pargmax_v(x: f64, xi: f64, phi1: f64, phi2: f64) -> f64 {
    let phi = xi * (phi2 / phi1).powi(2);
    let a = x.abs();
    let ln2pi = (2.0 * std::f64::consts::PI).ln();
    if x < 0.0 {
        let frac = xi / phi;
        -(a.ln() / 2.0 - a / 8.0 - ln2pi / 2.0).exp()
            - (phi / xi * (phi + 2.0 * xi) / (phi + xi))
                * ((frac * (1.0 + frac) * a / 2.0) + log_norm_cdf(-(0.5 + frac) * a.sqrt())).exp()
            + ((a / 2.0 - 2.0 + (phi + 2.0 * xi).powi(2) / ((phi + xi) * xi)).ln()
                + log_norm_cdf(-a.sqrt() / 2.0))
            .exp()
    } else {
        let frac = xi * xi / phi;
        1.0 + frac.sqrt() * (a.ln() / 2.0 - frac * a / 8.0 - ln2pi / 2.0).exp()
            + (xi / phi * (2.0 * phi + xi) / (phi + xi))
                * ((phi + xi) * a / 2.0 + log_norm_cdf(-(phi + xi / 2.0) / phi.sqrt() * a.sqrt()))
                    .exp()
            - (((2.0 * phi + xi).powi(2) / ((phi + xi) * phi) - 2.0 + frac * a / 2.0).ln()
                + log_norm_cdf(-frac.sqrt() * a.sqrt() / 2.0))
            .exp()
    }
}

/// The root of a monotone `f` in [lo, hi] (f(lo) and f(hi) of opposite signs), by bisection
/// to 1e-10 (R's uniroot stops at about 1e-4; the results are then rounded to whole values,
/// so either is exact enough — the reference runs are checked in the tests).
fn root(f: impl Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> f64 {
    let flo = f(lo);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if (hi - lo).abs() < 1e-10 {
            break;
        }
        if (f(mid) < 0.0) == (flo < 0.0) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// Bai's intervals for breaks at 1-based `positions` of `y` (strucchange `confint`, level
/// `level`): per break (lower, upper) positions, None where P(argmax ≤ 0) is outside
/// [α/2, 1 − α/2].
pub fn confint(y: &[f64], positions: &[usize], level: f64) -> Vec<Option<(i64, i64)>> {
    let n = y.len();
    let a2 = (1.0 - level) / 2.0;
    let mut bounds = vec![0];
    bounds.extend(positions);
    bounds.push(n);
    let seg = |lo: usize, hi: usize| {
        let s = &y[lo..hi];
        let mean = s.iter().sum::<f64>() / s.len() as f64;
        let var = s.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / s.len() as f64;
        (mean, var)
    };
    (1..bounds.len() - 1)
        .map(|i| {
            let (beta1, sigma1) = seg(bounds[i - 1], bounds[i]);
            let (beta2, sigma2) = seg(bounds[i], bounds[i + 1]);
            let delta = beta2 - beta1;
            let (phi1, phi2) = (sigma1.sqrt(), sigma2.sqrt());
            let f = |x: f64| pargmax_v(x, 1.0, phi1, phi2);
            let p0 = f(0.0);
            if p0.is_nan() || p0 < a2 || p0 > 1.0 - a2 {
                return None;
            }
            let mut ub = 0.0;
            while f(ub) < 1.0 - a2 {
                ub += 1000.0;
            }
            let mut lb = 0.0;
            while f(lb) > a2 {
                lb -= 1000.0;
            }
            let u = root(|x| f(x) - (1.0 - a2), 0.0, ub) * sigma1 / (delta * delta);
            let l = root(|x| f(x) - a2, lb, 0.0) * sigma1 / (delta * delta);
            let b = positions[i - 1] as i64;
            Some((b - u.ceil() as i64, b - l.floor() as i64))
        })
        .collect()
}

/// AQEval's `findBreakPoints` on a series with missing values (NaN): `h` as a fraction of the
/// non-missing values (< 1) or a count (≥ 1).
pub fn find_break_points(series: &[f64], h: f64) -> Result<BreakSearch, BreakError> {
    let refs: Vec<usize> = (0..series.len()).filter(|&i| !series[i].is_nan()).collect();
    let y: Vec<f64> = refs.iter().map(|&i| series[i]).collect();
    let n = y.len();
    if n < 4 {
        return Err(BreakError::TooShort { n, needed: 4 });
    }
    let h_int = if h < 1.0 {
        (n as f64 * h).floor() as usize
    } else {
        h as usize
    };
    let (bic, chosen) = breakpoints(&y, h_int)?;
    let positions = bic[chosen].positions.clone();
    let ci = if positions.is_empty() {
        vec![]
    } else {
        confint(&y, &positions, 0.95)
    };
    // Clamp to positions 2 .. n − 1 as AQEval does, then map to rows.
    let row = |p: i64| refs[(p.clamp(2, n as i64 - 1) - 1) as usize];
    let breaks = positions
        .iter()
        .zip(&ci)
        .map(|(&p, c)| Break {
            row: row(p as i64),
            lower: c.map(|(l, _)| row(l)),
            upper: c.map(|(_, u)| row(u)),
        })
        .collect();
    Ok(BreakSearch {
        n,
        h: h_int,
        bic,
        breaks_chosen: chosen,
        breaks,
    })
}

/// Ordinary least squares by Householder QR: coefficients, residual variance, the R factor
/// (for standard errors) and p-values of the coefficients (two-sided t, n − p df).
pub struct Ols {
    pub coef: Vec<f64>,
    pub sigma2: f64,
    r: Vec<Vec<f64>>,
    pub p_values: Vec<f64>,
    pub r2: f64,
    pub adj_r2: f64,
    pub n: usize,
}

pub fn ols(x: &[Vec<f64>], y: &[f64]) -> Option<Ols> {
    let n = y.len();
    let p = x.first()?.len();
    if n <= p {
        return None;
    }
    let mut a: Vec<Vec<f64>> = (0..p).map(|c| x.iter().map(|r| r[c]).collect()).collect();
    let mut b = y.to_vec();
    for k in 0..p {
        let norm = a[k][k..].iter().map(|v| v * v).sum::<f64>().sqrt();
        if norm == 0.0 {
            return None;
        }
        let alpha = if a[k][k] > 0.0 { -norm } else { norm };
        let mut v: Vec<f64> = a[k][k..].to_vec();
        v[0] -= alpha;
        let vnorm2: f64 = v.iter().map(|t| t * t).sum();
        if vnorm2 == 0.0 {
            continue;
        }
        for col in a.iter_mut().skip(k) {
            let dot: f64 = v.iter().zip(&col[k..]).map(|(a, b)| a * b).sum();
            let f = 2.0 * dot / vnorm2;
            for (c, vi) in col[k..].iter_mut().zip(&v) {
                *c -= f * vi;
            }
        }
        let dot: f64 = v.iter().zip(&b[k..]).map(|(a, b)| a * b).sum();
        let f = 2.0 * dot / vnorm2;
        for (c, vi) in b[k..].iter_mut().zip(&v) {
            *c -= f * vi;
        }
    }
    // R[i][j] = a[j][i] for j ≥ i.
    let r: Vec<Vec<f64>> = (0..p)
        .map(|i| (0..p).map(|j| if j >= i { a[j][i] } else { 0.0 }).collect())
        .collect();
    if (0..p).any(|i| r[i][i].abs() < 1e-12 * r[0][0].abs()) {
        return None;
    }
    let mut coef = vec![0.0; p];
    for i in (0..p).rev() {
        let s: f64 = (i + 1..p).map(|j| r[i][j] * coef[j]).sum();
        coef[i] = (b[i] - s) / r[i][i];
    }
    let rss: f64 = b[p..].iter().map(|v| v * v).sum();
    let df = (n - p) as f64;
    let sigma2 = rss / df;
    let mean = y.iter().sum::<f64>() / n as f64;
    let tss: f64 = y.iter().map(|v| (v - mean).powi(2)).sum();
    let r2 = 1.0 - rss / tss;
    let adj_r2 = 1.0 - (1.0 - r2) * (n as f64 - 1.0) / df;
    let mut fit = Ols {
        coef,
        sigma2,
        r,
        p_values: vec![],
        r2,
        adj_r2,
        n,
    };
    fit.p_values = (0..p)
        .map(|j| {
            let mut e = vec![0.0; p];
            e[j] = 1.0;
            let se = fit.se_of(&e);
            let t = fit.coef[j] / se;
            betai(df / 2.0, 0.5, df / (df + t * t))
        })
        .collect();
    Some(fit)
}

impl Ols {
    /// Fitted value and its standard error at a design row (lm's `predict(se.fit = TRUE)`).
    pub fn predict(&self, row: &[f64]) -> (f64, f64) {
        let v: f64 = row.iter().zip(&self.coef).map(|(a, b)| a * b).sum();
        (v, self.se_of(row))
    }

    fn se_of(&self, row: &[f64]) -> f64 {
        // Solve Rᵀ z = row; se = σ ‖z‖.
        let p = row.len();
        let mut z = vec![0.0; p];
        for i in 0..p {
            let s: f64 = (0..i).map(|k| self.r[k][i] * z[k]).sum();
            z[i] = (row[i] - s) / self.r[i][i];
        }
        (self.sigma2 * z.iter().map(|v| v * v).sum::<f64>()).sqrt()
    }
}

/// The design row of AQEval's break-point model at row `r`: intercept, then time in the
/// row's segment's column (zero elsewhere). Breaks are the rows that *start* a segment.
fn design(t: f64, r: usize, starts: &[usize]) -> Vec<f64> {
    let seg = starts.iter().filter(|&&b| b <= r).count();
    let mut row = vec![0.0; starts.len() + 2];
    row[0] = 1.0;
    row[1 + seg] = t;
    row
}

/// Fit AQEval's break-point model. `times` in any linear unit (the fit is invariant to it).
pub fn fit_break_model(times: &[f64], y: &[f64], starts: &[usize]) -> Option<Ols> {
    let rows: Vec<usize> = (0..y.len()).filter(|&r| !y[r].is_nan()).collect();
    let x: Vec<Vec<f64>> = rows.iter().map(|&r| design(times[r], r, starts)).collect();
    let yy: Vec<f64> = rows.iter().map(|&r| y[r]).collect();
    ols(&x, &yy)
}

/// The size of one break (`quantBreakPoints`' report), unrounded.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BreakSize {
    /// The row that starts the new level (AQEval's `bpt`).
    pub row: usize,
    pub lower: Option<usize>,
    pub upper: Option<usize>,
    /// Fitted level at the row before and at the row.
    pub c0: f64,
    pub c1: f64,
    pub change: f64,
    pub percent: f64,
    /// The change with each level moved 1.96 standard errors towards (upper) or away from
    /// (lower) the other, as AQEval reports them.
    pub change_upper: f64,
    pub percent_upper: f64,
    pub change_lower: f64,
    pub percent_lower: f64,
}

/// AQEval's `quantBreakPoints` report. AQEval passes `findBreakPoints`' rows on unchanged and
/// its model takes a break's row as the *first* row of the new segment (strucchange's is the
/// last of the old one): kept as is, so the levels and changes equal AQEval's.
pub fn quantify(times: &[f64], y: &[f64], breaks: &[Break]) -> Option<Vec<BreakSize>> {
    let starts: Vec<usize> = breaks.iter().map(|b| b.row).collect();
    let fit = fit_break_model(times, y, &starts)?;
    let at = |r: usize| -> (f64, f64) {
        if y[r].is_nan() {
            (f64::NAN, f64::NAN)
        } else {
            fit.predict(&design(times[r], r, &starts))
        }
    };
    Some(
        breaks
            .iter()
            .map(|b| {
                let (c0, e0) = at(b.row - 1);
                let (c1, e1) = at(b.row);
                let (u0, u1) = (c0 + 1.96 * e0, c1 - 1.96 * e1);
                let (l0, l1) = (c0 - 1.96 * e0, c1 + 1.96 * e1);
                BreakSize {
                    row: b.row,
                    lower: b.lower,
                    upper: b.upper,
                    c0,
                    c1,
                    change: c1 - c0,
                    percent: 100.0 * (c1 - c0) / c0,
                    change_upper: u1 - u0,
                    percent_upper: 100.0 * (u1 - u0) / u0,
                    change_lower: l1 - l0,
                    percent_lower: 100.0 * (l1 - l0) / l0,
                }
            })
            .collect(),
    )
}

/// One row of `testBreakPoints`: a subset of the found breaks (indices into them).
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubsetTest {
    pub subset: Vec<usize>,
    pub significant: bool,
    pub adj_r2: Option<f64>,
}

/// All subsets in `combn` order within each size, sizes from all down to none.
fn subsets(m: usize) -> Vec<Vec<usize>> {
    fn combn(m: usize, k: usize, start: usize, cur: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if cur.len() == k {
            out.push(cur.clone());
            return;
        }
        for i in start..m {
            cur.push(i);
            combn(m, k, i + 1, cur, out);
            cur.pop();
        }
    }
    // AQEval builds its table by prepending each new row while looping sizes 1..m in combn
    // order (and the empty set first), so it lists sizes m..1 each in reverse combn order,
    // then the empty set.
    let mut out = Vec::new();
    for k in (1..=m).rev() {
        let mut v = Vec::new();
        combn(m, k, 0, &mut Vec::new(), &mut v);
        v.reverse();
        out.extend(v);
    }
    out.push(vec![]);
    out
}

/// `testBreakPoints`: which subset of the found breaks to keep. Returns the table and the
/// chosen subset (indices), None meaning "no row qualifies: keep all".
pub fn test_breaks(
    times: &[f64],
    y: &[f64],
    breaks: &[Break],
) -> (Vec<SubsetTest>, Option<Vec<usize>>) {
    let mut table = Vec::new();
    for s in subsets(breaks.len()) {
        let starts: Vec<usize> = s.iter().map(|&i| breaks[i].row).collect();
        let fit = fit_break_model(times, y, &starts);
        let significant = fit
            .as_ref()
            .is_some_and(|f| f.p_values.iter().all(|p| *p < 0.05));
        table.push(SubsetTest {
            adj_r2: fit.filter(|_| significant).map(|f| f.adj_r2),
            subset: s,
            significant,
        });
    }
    let mut best: Option<&SubsetTest> = None;
    for t in &table {
        if let Some(a) = t.adj_r2
            && best.is_none_or(|b| a > b.adj_r2.expect("significant"))
        {
            best = Some(t);
        }
    }
    let chosen = best.map(|b| b.subset.clone());
    (table, chosen)
}

#[cfg(test)]
// Reference values are kept digit for digit as the package printed them.
#[allow(clippy::excessive_precision)]
mod tests {
    use super::*;

    #[test]
    fn pargmax_v_and_its_roots_match_strucchange_on_aqevals_breaks() {
        // aqeval 0.7.3 (strucchange's pargmaxV, scipy brentq) on the daily NO2 of its sample,
        // h = 0.15: segment variances σ₁², σ₂², P(argmax ≤ 0) and the two roots.
        let cases = [
            (
                328.61457870418786,
                278.06488748047428,
                0.54166095445887974,
                9.1456174015209282,
                -11.221573685165193,
            ),
            (
                278.06488748047428,
                127.96055031432817,
                0.68484597662327462,
                4.434611934551226,
                -11.65718827068306,
            ),
            (
                127.96055031432817,
                333.90542168391789,
                0.2770512617777654,
                30.61098269697754,
                -9.1733333947654856,
            ),
            (
                333.90542168391789,
                290.23897832690926,
                0.5349810423327126,
                9.428525735121589,
                -11.193615721858224,
            ),
        ];
        for (s1, s2, p0, up, lo) in cases {
            let (f1, f2) = (f64::sqrt(s1), f64::sqrt(s2));
            let f = |x: f64| pargmax_v(x, 1.0, f1, f2);
            assert!((f(0.0) - p0).abs() < 1e-12, "p0 {} vs {p0}", f(0.0));
            let u = root(|x| f(x) - 0.975, 0.0, 1000.0);
            let l = root(|x| f(x) - 0.025, -1000.0, 0.0);
            assert!((u - up).abs() < 1e-7, "upper root {u} vs {up}");
            assert!((l - lo).abs() < 1e-7, "lower root {l} vs {lo}");
        }
    }

    #[test]
    fn log_norm_cdf_holds_far_in_the_tail() {
        // ln Φ(−40) = −804.608442013754 (R: pnorm(-40, log.p = TRUE)); ln Φ(0) = ln ½.
        assert!((log_norm_cdf(-40.0) - -804.608442013754).abs() < 1e-9);
        assert!((log_norm_cdf(0.0) - 0.5f64.ln()).abs() < 1e-15);
        assert!((log_norm_cdf(1.96) - 0.975002104851780f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn one_clean_step_by_hand() {
        // 0 0 0 0 10 10 10 10, h = 2: one break after position 4; RSS 0 with it, 200 without.
        let y = [0.0, 0.0, 0.0, 0.0, 10.0, 10.0, 10.0, 10.0];
        let (rows, chosen) = breakpoints(&y, 2).unwrap();
        assert_eq!(rows[0].rss, 200.0);
        assert_eq!(rows[1].positions, [4]);
        assert_eq!(rows[1].rss, 0.0);
        // ceil(8 / 2) − 2 = 2 breaks at most.
        assert_eq!(rows.len(), 3);
        // RSS 0 gives BIC −∞ for one break and for two: the first minimum (one break) wins.
        assert_eq!(chosen, 1);
    }

    #[test]
    fn segment_costs_are_squared_deviations() {
        let y = [1.0, 2.0, 6.0, 3.0];
        let c = Costs::new(&y);
        // 1, 2, 6: mean 3, deviations −2 −1 3: 14.
        assert!((c.rss(1, 3) - 14.0).abs() < 1e-12);
        // 2, 6, 3: mean 11/3, deviations −5/3, 7/3, −2/3: 78/9.
        assert!((c.rss(2, 4) - 78.0 / 9.0).abs() < 1e-12);
    }

    /// Deterministic pseudo-normal noise (sum of 12 uniforms − 6).
    fn noise(n: usize, seed: u64) -> Vec<f64> {
        let mut s = seed;
        (0..n)
            .map(|_| {
                (0..12)
                    .map(|_| {
                        s = s
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        (s >> 11) as f64 / (1u64 << 53) as f64
                    })
                    .sum::<f64>()
                    - 6.0
            })
            .collect()
    }

    #[test]
    fn planted_breaks_are_found_inside_their_intervals() {
        // 600 values, steps of −3σ at row 200 and +2σ at row 420 (rows that start the new level).
        let mut y = noise(600, 7);
        for (i, v) in y.iter_mut().enumerate() {
            *v += 40.0 + if i >= 200 { -3.0 } else { 0.0 } + if i >= 420 { 2.0 } else { 0.0 };
        }
        y[17] = f64::NAN; // a missing value shifts positions, not rows
        let s = find_break_points(&y, 0.15).unwrap();
        assert_eq!(s.breaks_chosen, 2, "BIC table {:?}", s.bic);
        for (b, planted) in s.breaks.iter().zip([199, 419]) {
            // The found row is the last of the old level: planted − 1, within a few rows.
            assert!(b.row.abs_diff(planted) <= 3, "{b:?} vs {planted}");
            let (lo, hi) = (b.lower.unwrap(), b.upper.unwrap());
            assert!(
                lo <= planted && planted <= hi,
                "{planted} outside [{lo}, {hi}]"
            );
        }
        // Days since 1970 from 2001-01-01: AQEval's model has one intercept shared by all
        // segments and a slope in absolute time per segment, so far from the origin each
        // segment's slope acts as its level.
        let times: Vec<f64> = (0..600).map(|i| 11323.0 + i as f64).collect();
        let q = quantify(&times, &y, &s.breaks).unwrap();
        assert!((q[0].change - -3.0).abs() < 0.5, "{:?}", q[0]);
        assert!((q[1].change - 2.0).abs() < 0.5, "{:?}", q[1]);
        // AQEval's "upper" and "lower" variants bracket the estimate (for a fall, "upper" is
        // the larger fall).
        for b in &q {
            let (lo, hi) = (
                b.change_lower.min(b.change_upper),
                b.change_lower.max(b.change_upper),
            );
            assert!(lo < b.change && b.change < hi, "{b:?}");
        }
    }

    #[test]
    fn no_break_in_pure_noise() {
        let y: Vec<f64> = noise(400, 3).iter().map(|v| v + 20.0).collect();
        let s = find_break_points(&y, 0.15).unwrap();
        assert_eq!(s.breaks_chosen, 0);
        assert!(s.breaks.is_empty());
    }

    #[test]
    fn least_squares_by_hand() {
        // y = 1 + 2x exactly, plus one point off by 1: x = 0..4, y = 1 3 5 7 10.
        let x: Vec<Vec<f64>> = (0..5).map(|i| vec![1.0, i as f64]).collect();
        let f = ols(&x, &[1.0, 3.0, 5.0, 7.0, 10.0]).unwrap();
        // Slope = Sxy / Sxx = 22 / 10 = 2.2; intercept = 5.2 − 2.2 · 2 = 0.8.
        assert!((f.coef[1] - 2.2).abs() < 1e-12);
        assert!((f.coef[0] - 0.8).abs() < 1e-12);
        // Residuals 0.2 0 −0.2 −0.4 0.4: RSS 0.4, σ² = 0.4 / 3.
        assert!((f.sigma2 - 0.4 / 3.0).abs() < 1e-12);
        // se(slope) = sqrt(σ² / Sxx) = sqrt(0.4/30): t = 19.05, p (3 df) = 3.16e-4 (R: 2*pt(-t, 3)).
        let t = 2.2 / (0.4f64 / 30.0).sqrt();
        assert!((t - 19.05255888325765).abs() < 1e-9);
        assert!((f.p_values[1] - 3.156e-4).abs() < 1e-6, "{}", f.p_values[1]);
        let (v, se) = f.predict(&[1.0, 2.0]);
        assert!((v - 5.2).abs() < 1e-12);
        // se of the fit at the mean of x: σ / sqrt(5).
        assert!((se - (0.4f64 / 3.0 / 5.0).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn subsets_are_listed_as_aqeval_lists_them() {
        let s = subsets(3);
        let want: Vec<Vec<usize>> = vec![
            vec![0, 1, 2],
            vec![1, 2],
            vec![0, 2],
            vec![0, 1],
            vec![2],
            vec![1],
            vec![0],
            vec![],
        ];
        assert_eq!(s, want);
    }
}
