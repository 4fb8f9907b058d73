//! European Air Quality Index (EEA): six bands, the index is the worst band over pollutants.
//!
//! Two band sets: the 2017–2023 index and the revised index the EEA introduced in 2024 after the
//! 2021 WHO guidelines (tables in `shared/standards/air-international.md` §2). Bands are read
//! upper-inclusive (a value on a boundary belongs to the better band), as openaq's `eu.csv`
//! lists them (0–10, 10.1–20, …); the EEA pages print "0–10, 10–20" and do not say
//! (UNCONFIRMED). The last band has no upper limit here: a value above the printed cap
//! (800 µg/m³ PM2.5, …) is still "Extremely poor" and noted [`Note::AboveTable`].
//!
//! PM is rated on its 24-h running mean, the gases on 1-h values (2017 rules; kept for the
//! revised bands, whose averaging the EEA pages do not state — UNCONFIRMED).

use crate::{AqiResult, Category, Indicator, Note, Report, Standard, finish, missing_of, rate};

pub fn accepts(indicator: Indicator) -> bool {
    use Indicator::*;
    matches!(indicator, Pm25_24h | Pm10_24h | No2_1h | O3_1h | So2_1h)
}

/// Upper limits of bands 1–5 (band 6 is everything above), µg/m³.
pub fn upper_limits(standard: Standard, indicator: Indicator) -> Option<[f64; 5]> {
    use Indicator::*;
    let new = standard == Standard::Eaqi2024;
    Some(match (indicator, new) {
        (Pm25_24h, true) => [5.0, 15.0, 50.0, 90.0, 140.0],
        (Pm10_24h, true) => [15.0, 45.0, 120.0, 195.0, 270.0],
        (No2_1h, true) => [10.0, 25.0, 60.0, 100.0, 150.0],
        (O3_1h, true) => [60.0, 100.0, 120.0, 160.0, 180.0],
        (So2_1h, true) => [20.0, 40.0, 125.0, 190.0, 275.0],
        (Pm25_24h, false) => [10.0, 20.0, 25.0, 50.0, 75.0],
        (Pm10_24h, false) => [20.0, 40.0, 50.0, 100.0, 150.0],
        (No2_1h, false) => [40.0, 90.0, 120.0, 230.0, 340.0],
        (O3_1h, false) => [50.0, 100.0, 130.0, 240.0, 380.0],
        (So2_1h, false) => [100.0, 200.0, 350.0, 500.0, 750.0],
        _ => return None,
    })
}

/// Printed caps of the "Extremely poor" band (one source only; UNCONFIRMED): above them the
/// value is noted as off the table.
fn cap(indicator: Indicator) -> f64 {
    match indicator {
        Indicator::Pm25_24h | Indicator::O3_1h => 800.0,
        Indicator::Pm10_24h => 1200.0,
        Indicator::No2_1h => 1000.0,
        _ => 1250.0,
    }
}

/// The band (1 = Good … 6 = Extremely poor) of one concentration.
pub fn band(standard: Standard, indicator: Indicator, c: f64) -> (Option<i32>, Option<Note>) {
    let Some(limits) = upper_limits(standard, indicator) else {
        return (None, None);
    };
    if c.is_nan() || c < 0.0 {
        return (None, Some(Note::InvalidConcentration));
    }
    let b = limits
        .iter()
        .position(|&hi| c <= hi)
        .map_or(6, |k| k as i32 + 1);
    let note = (c > cap(indicator)).then_some(Note::AboveTable);
    (Some(b), note)
}

pub(crate) fn compute(
    standard: Standard,
    report: Report,
    inputs: &[(Indicator, f64)],
) -> AqiResult {
    let subs = rate(inputs, |i, c| {
        let (index, note) = band(standard, i, c);
        (c, index, note)
    });
    let max = subs.iter().filter_map(|s| s.index).max();
    let missing = missing_of(&subs, &["PM2.5", "PM10", "NO2", "O3", "SO2"]);
    finish(standard, report, subs, max, missing)
}

pub fn category(band: i32) -> Category {
    CATEGORIES[(band.clamp(1, 6) - 1) as usize]
}

/// Names and colours (EEA; openaq `eu.csv`).
pub const CATEGORIES: [Category; 6] = [
    Category {
        level: 1,
        level_name: "1",
        name_zh: "好",
        name_en: "Good",
        colour_name: "#50f0e6",
        rgb: [0x50, 0xf0, 0xe6],
    },
    Category {
        level: 2,
        level_name: "2",
        name_zh: "尚可",
        name_en: "Fair",
        colour_name: "#50ccaa",
        rgb: [0x50, 0xcc, 0xaa],
    },
    Category {
        level: 3,
        level_name: "3",
        name_zh: "中等",
        name_en: "Moderate",
        colour_name: "#f0e641",
        rgb: [0xf0, 0xe6, 0x41],
    },
    Category {
        level: 4,
        level_name: "4",
        name_zh: "差",
        name_en: "Poor",
        colour_name: "#ff5050",
        rgb: [0xff, 0x50, 0x50],
    },
    Category {
        level: 5,
        level_name: "5",
        name_zh: "很差",
        name_en: "Very poor",
        colour_name: "#960032",
        rgb: [0x96, 0x00, 0x32],
    },
    Category {
        level: 6,
        level_name: "6",
        name_zh: "极差",
        name_en: "Extremely poor",
        colour_name: "#7d2181",
        rgb: [0x7d, 0x21, 0x81],
    },
];
