//! US EPA Air Quality Index, Technical Assistance Document (TAD) EPA-454/B-24-002 (May 2024),
//! and the 2018 tables it replaced for PM2.5 (in force until 2024-05-06).
//!
//! Procedure (TAD "How to calculate the AQI"):
//! 1. **truncate** the concentration: O3 ppm to 3 decimals, PM2.5 µg/m³ to 1, PM10 µg/m³ to an
//!    integer, CO ppm to 1, SO2 and NO2 ppb to integers;
//! 2. find the segment, apply eq. (1);
//! 3. **round** the index to the nearest integer (the TAD's example: 125.5 → 126).
//!
//! Lantian stores gases in µg/m³ (CO mg/m³); they are converted to the TAD's ppm/ppb at 25 °C and
//! 1 atm (molar volume 24.45 L): ppb = µg/m³ × 24.45 / M. [`sub_index_native`] takes the TAD's
//! own units for users who have them.
//!
//! Special rules (TAD Table 6 notes): 1-h O3 below 0.125 ppm is not rated; 8-h O3 above
//! 0.200 ppm is not rated (1-h O3 is); 1-h SO2 at or above 305 ppb is rated on the 24-h SO2 if it
//! is given and ≥ 305 ppb, otherwise set to 200. Above the last breakpoint the index is
//! extrapolated on the top segment's slope (AQI above 500 is reported, category Hazardous).

use crate::rounding::{round_index, truncate};
use crate::table::{Lookup, Segment, Table, seg};
use crate::{AqiResult, Category, Indicator, Note, Report, Standard, finish, missing_of, rate};

/// Molar masses (g/mol) for the µg/m³ → ppb conversion at 25 °C.
const MOLAR_VOLUME_L: f64 = 24.45;
fn molar_mass(indicator: Indicator) -> f64 {
    match indicator.pollutant_name() {
        "O3" => 48.00,
        "NO2" => 46.0055,
        "SO2" => 64.066,
        "CO" => 28.010,
        _ => f64::NAN,
    }
}

/// Convert from Lantian's unit to the TAD's unit: O3 and CO → ppm, SO2/NO2 → ppb, PM unchanged.
pub fn to_native(indicator: Indicator, c: f64) -> f64 {
    match indicator.pollutant_name() {
        "O3" => c * MOLAR_VOLUME_L / molar_mass(indicator) / 1000.0,
        // CO is in mg/m³: ppm = mg/m³ × 24.45 / M
        "CO" => c * MOLAR_VOLUME_L / molar_mass(indicator),
        "SO2" | "NO2" => c * MOLAR_VOLUME_L / molar_mass(indicator),
        _ => c,
    }
}

pub fn native_unit(indicator: Indicator) -> &'static str {
    match indicator.pollutant_name() {
        "O3" | "CO" => "ppm",
        "SO2" | "NO2" => "ppb",
        _ => "µg/m³",
    }
}

pub fn accepts(indicator: Indicator) -> bool {
    use Indicator::*;
    matches!(
        indicator,
        O3_8h | O3_1h | Pm25_24h | Pm10_24h | Co_8h | So2_1h | So2_24h | No2_1h
    )
}

/// Truncation decimals of TAD step 1.
fn decimals(indicator: Indicator) -> u32 {
    match indicator.pollutant_name() {
        "O3" => 3,
        "PM2.5" | "CO" => 1,
        _ => 0,
    }
}

// TAD 2024 Table 6 (and 2018 where it differs). Units: ppm (O3, CO), µg/m³ (PM), ppb (SO2, NO2).
const O3_8H: &[Segment] = &[
    seg(0.000, 0.054, 0.0, 50.0),
    seg(0.055, 0.070, 51.0, 100.0),
    seg(0.071, 0.085, 101.0, 150.0),
    seg(0.086, 0.105, 151.0, 200.0),
    seg(0.106, 0.200, 201.0, 300.0),
];
const O3_1H_2018: &[Segment] = &[
    seg(0.125, 0.164, 101.0, 150.0),
    seg(0.165, 0.204, 151.0, 200.0),
    seg(0.205, 0.404, 201.0, 300.0),
    seg(0.405, 0.504, 301.0, 400.0),
    seg(0.505, 0.604, 401.0, 500.0),
];
const O3_1H_2024: &[Segment] = &[
    seg(0.125, 0.164, 101.0, 150.0),
    seg(0.165, 0.204, 151.0, 200.0),
    seg(0.205, 0.404, 201.0, 300.0),
    seg(0.405, 0.604, 301.0, 500.0),
];
const PM25_2018: &[Segment] = &[
    seg(0.0, 12.0, 0.0, 50.0),
    seg(12.1, 35.4, 51.0, 100.0),
    seg(35.5, 55.4, 101.0, 150.0),
    seg(55.5, 150.4, 151.0, 200.0),
    seg(150.5, 250.4, 201.0, 300.0),
    seg(250.5, 350.4, 301.0, 400.0),
    seg(350.5, 500.4, 401.0, 500.0),
];
const PM25_2024: &[Segment] = &[
    seg(0.0, 9.0, 0.0, 50.0),
    seg(9.1, 35.4, 51.0, 100.0),
    seg(35.5, 55.4, 101.0, 150.0),
    seg(55.5, 125.4, 151.0, 200.0),
    seg(125.5, 225.4, 201.0, 300.0),
    seg(225.5, 325.4, 301.0, 500.0),
];
const PM10_2018: &[Segment] = &[
    seg(0.0, 54.0, 0.0, 50.0),
    seg(55.0, 154.0, 51.0, 100.0),
    seg(155.0, 254.0, 101.0, 150.0),
    seg(255.0, 354.0, 151.0, 200.0),
    seg(355.0, 424.0, 201.0, 300.0),
    seg(425.0, 504.0, 301.0, 400.0),
    seg(505.0, 604.0, 401.0, 500.0),
];
const PM10_2024: &[Segment] = &[
    seg(0.0, 54.0, 0.0, 50.0),
    seg(55.0, 154.0, 51.0, 100.0),
    seg(155.0, 254.0, 101.0, 150.0),
    seg(255.0, 354.0, 151.0, 200.0),
    seg(355.0, 424.0, 201.0, 300.0),
    seg(425.0, 604.0, 301.0, 500.0),
];
const CO_2018: &[Segment] = &[
    seg(0.0, 4.4, 0.0, 50.0),
    seg(4.5, 9.4, 51.0, 100.0),
    seg(9.5, 12.4, 101.0, 150.0),
    seg(12.5, 15.4, 151.0, 200.0),
    seg(15.5, 30.4, 201.0, 300.0),
    seg(30.5, 40.4, 301.0, 400.0),
    seg(40.5, 50.4, 401.0, 500.0),
];
const CO_2024: &[Segment] = &[
    seg(0.0, 4.4, 0.0, 50.0),
    seg(4.5, 9.4, 51.0, 100.0),
    seg(9.5, 12.4, 101.0, 150.0),
    seg(12.5, 15.4, 151.0, 200.0),
    seg(15.5, 30.4, 201.0, 300.0),
    seg(30.5, 50.4, 301.0, 500.0),
];
const SO2_1H: &[Segment] = &[
    seg(0.0, 35.0, 0.0, 50.0),
    seg(36.0, 75.0, 51.0, 100.0),
    seg(76.0, 185.0, 101.0, 150.0),
    seg(186.0, 304.0, 151.0, 200.0),
];
const SO2_24H_2018: &[Segment] = &[
    seg(305.0, 604.0, 201.0, 300.0),
    seg(605.0, 804.0, 301.0, 400.0),
    seg(805.0, 1004.0, 401.0, 500.0),
];
const SO2_24H_2024: &[Segment] = &[
    seg(305.0, 604.0, 201.0, 300.0),
    seg(605.0, 1004.0, 301.0, 500.0),
];
const NO2_2018: &[Segment] = &[
    seg(0.0, 53.0, 0.0, 50.0),
    seg(54.0, 100.0, 51.0, 100.0),
    seg(101.0, 360.0, 101.0, 150.0),
    seg(361.0, 649.0, 151.0, 200.0),
    seg(650.0, 1249.0, 201.0, 300.0),
    seg(1250.0, 1649.0, 301.0, 400.0),
    seg(1650.0, 2049.0, 401.0, 500.0),
];
const NO2_2024: &[Segment] = &[
    seg(0.0, 53.0, 0.0, 50.0),
    seg(54.0, 100.0, 51.0, 100.0),
    seg(101.0, 360.0, 101.0, 150.0),
    seg(361.0, 649.0, 151.0, 200.0),
    seg(650.0, 1249.0, 201.0, 300.0),
    seg(1250.0, 2049.0, 301.0, 500.0),
];

/// The table of `indicator` in the 2018 or 2024 TAD.
pub fn table(standard: Standard, indicator: Indicator) -> Option<Table> {
    use Indicator::*;
    let new = standard == Standard::Epa2024;
    Some(Table::Segments(match indicator {
        O3_8h => O3_8H,
        O3_1h if new => O3_1H_2024,
        O3_1h => O3_1H_2018,
        Pm25_24h if new => PM25_2024,
        Pm25_24h => PM25_2018,
        Pm10_24h if new => PM10_2024,
        Pm10_24h => PM10_2018,
        Co_8h if new => CO_2024,
        Co_8h => CO_2018,
        So2_1h => SO2_1H,
        So2_24h if new => SO2_24H_2024,
        So2_24h => SO2_24H_2018,
        No2_1h if new => NO2_2024,
        No2_1h => NO2_2018,
        _ => return None,
    }))
}

/// The sub-index of a concentration in the TAD's own unit (ppm, µg/m³, ppb), with steps 1–3.
/// SO2 1-h values ≥ 305 ppb and O3 8-h above 0.200 ppm return no index (see module docs).
pub fn sub_index_native(
    standard: Standard,
    indicator: Indicator,
    native: f64,
) -> (f64, Option<i32>, Option<Note>) {
    let c = truncate(native, decimals(indicator));
    let Some(table) = table(standard, indicator) else {
        return (c, None, None);
    };
    if c.is_nan() || c < 0.0 {
        return (c, None, Some(Note::InvalidConcentration));
    }
    if indicator == Indicator::O3_1h && c < 0.125 {
        return (c, None, Some(Note::BelowTableStart));
    }
    if indicator == Indicator::So2_24h && c < 305.0 {
        // The 24-h SO2 table starts at 305 ppb; below it the 1-h value rules.
        return (c, None, Some(Note::BelowTableStart));
    }
    match table.lookup(c) {
        Lookup::Index { index, .. } => (c, Some(round_index(index)), None),
        Lookup::Invalid => (c, None, Some(Note::InvalidConcentration)),
        Lookup::AboveTable => match indicator {
            Indicator::O3_8h => (c, None, Some(Note::O3EightHourAboveTable)),
            Indicator::So2_1h => (c, None, Some(Note::So2OneHourHighSet200)),
            _ => {
                // TAD: above the top breakpoint, extend the top segment's line.
                let top = table.get(table.len() - 1);
                let index = crate::table::interpolate(&top, c);
                (c, Some(round_index(index)), Some(Note::AboveTable))
            }
        },
    }
}

pub(crate) fn compute(
    standard: Standard,
    report: Report,
    inputs: &[(Indicator, f64)],
) -> AqiResult {
    let mut subs = rate(inputs, |i, c| {
        sub_index_native(standard, i, to_native(i, c))
    });
    // TAD note 3: 1-h SO2 ≥ 305 ppb → rated on the 24-h SO2 when that is ≥ 305 ppb, else 200.
    let so2_24h_rated = subs
        .iter()
        .any(|s| s.indicator == Indicator::So2_24h && s.index.is_some());
    for s in subs
        .iter_mut()
        .filter(|s| s.note == Some(Note::So2OneHourHighSet200))
    {
        if !so2_24h_rated {
            s.index = Some(200);
        }
    }
    if !subs
        .iter()
        .any(|s| s.note == Some(Note::So2OneHourHighSet200))
    {
        for s in subs
            .iter_mut()
            .filter(|s| s.indicator == Indicator::So2_24h)
        {
            s.index = None;
        }
    }
    let max = subs.iter().filter_map(|s| s.index).max();
    let missing = missing_of(&subs, &["O3", "PM2.5", "PM10", "CO", "SO2", "NO2"]);
    finish(standard, report, subs, max, missing)
}

/// TAD Table 2 (2024): categories and colours. The 2024 TAD keeps the six categories; only the
/// Hazardous band is one segment (301–500+).
pub fn category(aqi: i32) -> Category {
    Category::by_upper_bounds(aqi, &[50, 100, 150, 200, 300], &CATEGORIES)
}

pub const CATEGORIES: [Category; 6] = [
    Category {
        level: 1,
        level_name: "Good",
        name_zh: "良好",
        name_en: "Good",
        colour_name: "green",
        rgb: [0, 228, 0],
    },
    Category {
        level: 2,
        level_name: "Moderate",
        name_zh: "中等",
        name_en: "Moderate",
        colour_name: "yellow",
        rgb: [255, 255, 0],
    },
    Category {
        level: 3,
        level_name: "USG",
        name_zh: "对敏感人群不健康",
        name_en: "Unhealthy for Sensitive Groups",
        colour_name: "orange",
        rgb: [255, 126, 0],
    },
    Category {
        level: 4,
        level_name: "Unhealthy",
        name_zh: "不健康",
        name_en: "Unhealthy",
        colour_name: "red",
        rgb: [255, 0, 0],
    },
    Category {
        level: 5,
        level_name: "Very Unhealthy",
        name_zh: "非常不健康",
        name_en: "Very Unhealthy",
        colour_name: "purple",
        rgb: [143, 63, 151],
    },
    Category {
        level: 6,
        level_name: "Hazardous",
        name_zh: "危险",
        name_en: "Hazardous",
        colour_name: "maroon",
        rgb: [126, 0, 35],
    },
];

/// The NowCast for PM2.5 and PM10 (TAD §"NowCast"): `hourly[0]` is the current hour, `hourly[i]`
/// the hour `i` hours ago (up to 12; `None` = missing). Weight factor w = 1 − (max − min)/max,
/// at least 0.5; NowCast = Σ wⁱ cᵢ / Σ wⁱ over the valid hours. Needs 2 of the 3 most recent
/// hours. Returns the unrounded concentration; the PM2.5 table truncates it to 0.1 µg/m³.
pub fn nowcast(hourly: &[Option<f64>]) -> Option<f64> {
    let h = &hourly[..hourly.len().min(12)];
    if h.iter().take(3).filter(|v| v.is_some()).count() < 2 {
        return None;
    }
    let valid: Vec<(usize, f64)> = h
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i, v)))
        .collect();
    let max = valid.iter().map(|v| v.1).fold(f64::MIN, f64::max);
    let min = valid.iter().map(|v| v.1).fold(f64::MAX, f64::min);
    let w = if max > 0.0 {
        (1.0 - (max - min) / max).max(0.5)
    } else {
        1.0
    };
    let (num, den) = valid.iter().fold((0.0, 0.0), |(n, d), &(i, c)| {
        let wi = w.powi(i as i32);
        (n + wi * c, d + wi)
    });
    Some(num / den)
}
