//! Rounding rules that decide published numbers.
//!
//! - [`round_half_even`]: GB/T 8170—2008 §3.3 "四舍六入五成双". HJ 633—2026 §4.2.2–4.2.3 rounds
//!   concentrations with it before the IAQI: integers for SO2, NO2, O3, PM10, PM2.5 (µg/m³), one
//!   decimal for CO (mg/m³).
//! - [`ceil_index`]: HJ 633—2012 §6.2 and HJ 633—2026 §4.2.6, "向上进位取整数": IAQI and AQI are
//!   rounded *up*.
//! - [`truncate`]: the US EPA TAD (2024) §"Calculating the AQI", step 1: concentrations are
//!   truncated, not rounded.
//! - [`round_half_up`]: the EPA index itself ("round to the nearest integer", TAD example
//!   125.5 → 126).
//!
//! Monitoring values are decimals written as text (`74.5`, `0.45`); as `f64` they are a hair off
//! (0.45 is 0.4500000000000000111…). A tie is therefore recognised when the scaled value is within
//! a relative 1e-9 of `k + 0.5`: that is the decimal the file wrote, not a float artefact. Without
//! this, 0.45 mg/m³ of CO would round to 0.5 instead of GB/T 8170's 0.4.

/// Relative tolerance within which a scaled value counts as an exact decimal tie or integer.
const DECIMAL_EPS: f64 = 1e-9;

#[inline]
fn scale(decimals: u32) -> f64 {
    match decimals {
        0 => 1.0,
        1 => 10.0,
        2 => 100.0,
        3 => 1000.0,
        d => 10f64.powi(d as i32),
    }
}

#[inline]
fn tolerance(x: f64) -> f64 {
    DECIMAL_EPS * x.abs().max(1.0)
}

/// Round to `decimals` places, ties to the even neighbour (GB/T 8170—2008 §3.3).
///
/// ```
/// use lantian_aqi::rounding::round_half_even;
/// assert_eq!(round_half_even(74.5, 0), 74.0);
/// assert_eq!(round_half_even(75.5, 0), 76.0);
/// assert_eq!(round_half_even(74.51, 0), 75.0);
/// assert_eq!(round_half_even(0.45, 1), 0.4);
/// assert_eq!(round_half_even(0.55, 1), 0.6);
/// ```
#[inline]
pub fn round_half_even(x: f64, decimals: u32) -> f64 {
    let scale = scale(decimals);
    let s = x * scale;
    let floor = s.floor();
    let frac = s - floor;
    let tol = tolerance(s);
    let rounded = if (frac - 0.5).abs() <= tol {
        if floor % 2.0 == 0.0 {
            floor
        } else {
            floor + 1.0
        }
    } else if frac < 0.5 {
        floor
    } else {
        floor + 1.0
    };
    rounded / scale
}

/// Round half away from zero to `decimals` places (positive inputs: half up).
pub fn round_half_up(x: f64, decimals: u32) -> f64 {
    let scale = scale(decimals);
    let s = x * scale;
    let floor = s.floor();
    let frac = s - floor;
    let r = if frac + tolerance(s) >= 0.5 {
        floor + 1.0
    } else {
        floor
    };
    r / scale
}

/// Truncate towards zero to `decimals` places (EPA TAD step 1). A value that is a decimal
/// written with fewer places (0.3 ppm = 0.29999…) keeps its value.
pub fn truncate(x: f64, decimals: u32) -> f64 {
    let scale = scale(decimals);
    let s = x * scale;
    let t = (s + tolerance(s)).trunc();
    t / scale
}

/// Round an index up to an integer (HJ 633 §6.2 / §4.2.6). An index that is an integer up to
/// floating-point noise (e.g. 99.99999999999999 from exact inputs) stays that integer.
#[inline]
pub fn ceil_index(x: f64) -> i32 {
    (x - tolerance(x)).ceil() as i32
}

/// Round an index to the nearest integer, halves up.
pub fn round_index(x: f64) -> i32 {
    round_half_up(x, 0) as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_even_integers() {
        // GB/T 8170 examples: the digit after the kept place is exactly 5 → to even.
        assert_eq!(round_half_even(0.5, 0), 0.0);
        assert_eq!(round_half_even(1.5, 0), 2.0);
        assert_eq!(round_half_even(2.5, 0), 2.0);
        assert_eq!(round_half_even(34.5, 0), 34.0);
        assert_eq!(round_half_even(35.5, 0), 36.0);
        // 5 followed by a non-zero digit → up.
        assert_eq!(round_half_even(34.500001, 0), 35.0);
        assert_eq!(round_half_even(34.499999, 0), 34.0);
        assert_eq!(round_half_even(75.4, 0), 75.0);
        assert_eq!(round_half_even(75.6, 0), 76.0);
    }

    #[test]
    fn half_even_one_decimal() {
        assert_eq!(round_half_even(0.25, 1), 0.2);
        assert_eq!(round_half_even(0.35, 1), 0.4);
        assert_eq!(round_half_even(1.05, 1), 1.0);
        assert_eq!(round_half_even(1.15, 1), 1.2);
        assert_eq!(round_half_even(4.05, 1), 4.0);
        assert_eq!(round_half_even(4.051, 1), 4.1);
    }

    #[test]
    fn truncation_and_ceiling() {
        assert_eq!(truncate(35.49, 1), 35.4);
        assert_eq!(truncate(0.3, 1), 0.3);
        assert_eq!(truncate(0.0789, 3), 0.078);
        assert_eq!(truncate(54.9, 0), 54.0);
        assert_eq!(ceil_index(100.0), 100);
        assert_eq!(ceil_index(100.000001), 101);
        assert_eq!(ceil_index(99.99999999999999), 100);
        assert_eq!(ceil_index(0.0), 0);
        assert_eq!(round_index(125.5), 126);
        assert_eq!(round_index(125.49), 125);
    }
}
