//! UK Daily Air Quality Index (Defra, COMEAP 2011): index 1–10 in four bands.
//!
//! Each pollutant's index is the row of its table holding the concentration; the DAQI is the
//! highest. Band edges are integers (0–33, 34–66, …), so a concentration is rounded to an integer
//! first, half up (the rounding mode is not published — UNCONFIRMED). O3 is the running 8-h mean,
//! NO2 the 1-h mean, SO2 the 15-min mean, PM the 24-h mean; for a day, the maximum of each
//! over the day.

use crate::rounding::round_half_up;
use crate::{AqiResult, Category, Indicator, Note, Report, Standard, finish, missing_of, rate};

pub fn accepts(indicator: Indicator) -> bool {
    use Indicator::*;
    matches!(indicator, O3_8h | No2_1h | So2_15min | Pm25_24h | Pm10_24h)
}

/// Upper limits (µg/m³) of indices 1–9; index 10 is everything above.
pub fn upper_limits(indicator: Indicator) -> Option<[f64; 9]> {
    use Indicator::*;
    Some(match indicator {
        O3_8h => [33.0, 66.0, 100.0, 120.0, 140.0, 160.0, 187.0, 213.0, 240.0],
        No2_1h => [67.0, 134.0, 200.0, 267.0, 334.0, 400.0, 467.0, 534.0, 600.0],
        So2_15min => [
            88.0, 177.0, 266.0, 354.0, 443.0, 532.0, 710.0, 887.0, 1064.0,
        ],
        Pm25_24h => [11.0, 23.0, 35.0, 41.0, 47.0, 53.0, 58.0, 64.0, 70.0],
        Pm10_24h => [16.0, 33.0, 50.0, 58.0, 66.0, 75.0, 83.0, 91.0, 100.0],
        _ => return None,
    })
}

pub fn index(indicator: Indicator, c: f64) -> (f64, Option<i32>, Option<Note>) {
    let rated = round_half_up(c, 0);
    let Some(limits) = upper_limits(indicator) else {
        return (rated, None, None);
    };
    if c.is_nan() || c < 0.0 {
        return (rated, None, Some(Note::InvalidConcentration));
    }
    let i = limits
        .iter()
        .position(|&hi| rated <= hi)
        .map_or(10, |k| k as i32 + 1);
    (rated, Some(i), None)
}

pub(crate) fn compute(
    standard: Standard,
    report: Report,
    inputs: &[(Indicator, f64)],
) -> AqiResult {
    let subs = rate(inputs, index);
    let max = subs.iter().filter_map(|s| s.index).max();
    let missing = missing_of(&subs, &["O3", "NO2", "SO2", "PM2.5", "PM10"]);
    finish(standard, report, subs, max, missing)
}

pub fn category(index: i32) -> Category {
    CATEGORIES[(index.clamp(1, 10) - 1) as usize]
}

const fn c(
    level: u8,
    band: &'static str,
    zh: &'static str,
    rgb: [u8; 3],
    hex: &'static str,
) -> Category {
    Category {
        level,
        level_name: band,
        name_zh: zh,
        name_en: band,
        colour_name: hex,
        rgb,
    }
}

/// Index 1–10 with band names and Defra's colours.
pub const CATEGORIES: [Category; 10] = [
    c(1, "Low", "低", [0x9c, 0xff, 0x9c], "#9cff9c"),
    c(2, "Low", "低", [0x31, 0xff, 0x00], "#31ff00"),
    c(3, "Low", "低", [0x31, 0xcf, 0x00], "#31cf00"),
    c(4, "Moderate", "中", [0xff, 0xff, 0x00], "#ffff00"),
    c(5, "Moderate", "中", [0xff, 0xcf, 0x00], "#ffcf00"),
    c(6, "Moderate", "中", [0xff, 0x9a, 0x00], "#ff9a00"),
    c(7, "High", "高", [0xff, 0x92, 0x92], "#ff9292"),
    c(8, "High", "高", [0xff, 0x00, 0x00], "#ff0000"),
    c(9, "High", "高", [0x99, 0x00, 0x00], "#990000"),
    c(10, "Very High", "很高", [0xce, 0x30, 0xff], "#ce30ff"),
];
