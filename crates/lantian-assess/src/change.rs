//! Comparisons as bulletins print them: "同比下降 8.1 %" from the published (rounded) figures of
//! the two periods, one decimal; percentage points for ratios ("上升 1.9 个百分点"); plain
//! differences for day counts.
//!
//! Whether bulletins compute the change from the rounded or the unrounded concentrations is
//! UNCONFIRMED; the published examples (30 vs 33 µg/m³ → −9.1 %; Beijing 2024 H1 34 vs 37 →
//! −8.1 %) agree with the rounded figures, which is the default here, and the unrounded change
//! is kept beside it.

use lantian_aqi::rounding::round_half_even;

/// A change between a period and its baseline.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    pub current: f64,
    pub baseline: f64,
    /// current − baseline.
    pub absolute: f64,
    /// (current − baseline) / baseline × 100, to one decimal (GB/T 8170); `None` for a zero
    /// baseline.
    pub percent: Option<f64>,
}

/// Change of a published concentration (or any count) against its baseline.
pub fn change(current: f64, baseline: f64) -> Change {
    let percent =
        (baseline != 0.0).then(|| round_half_even((current - baseline) / baseline * 100.0, 1));
    Change {
        current,
        baseline,
        absolute: current - baseline,
        percent,
    }
}

/// Change of a ratio in percentage points, to one decimal.
pub fn points(current_percent: f64, baseline_percent: f64) -> f64 {
    round_half_even(current_percent - baseline_percent, 1)
}

/// A ratio in percent to one decimal, as "优良天数比例 94.5 %".
pub fn ratio_percent(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| round_half_even(part as f64 / whole as f64 * 100.0, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulletin_examples() {
        assert_eq!(change(30.0, 33.0).percent, Some(-9.1));
        // Beijing, first half of 2024: 34 against 37 → −8.1 %.
        assert_eq!(change(34.0, 37.0).percent, Some(-8.1));
        assert_eq!(change(34.0, 37.0).absolute, -3.0);
        assert_eq!(change(5.0, 0.0).percent, None);
        // 86 of 91 valid days → 94.5 %.
        assert_eq!(ratio_percent(86, 91), Some(94.5));
        assert_eq!(points(94.5, 92.6), 1.9);
        // A tie at the first decimal goes to even: 1/8 = 12.5 % change exactly → 12.5; 0.25 → 0.2.
        assert_eq!(change(9.0, 8.0).percent, Some(12.5));
        assert_eq!(points(10.25, 10.0), 0.2);
    }
}
