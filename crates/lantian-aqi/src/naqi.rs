//! India National Air Quality Index (CPCB, 2014).
//!
//! Sub-index by eq. (1) on the CPCB table; AQI = the highest sub-index, and only when at least
//! three pollutants are rated, one of them PM10 or PM2.5 (CPCB's rule as summarised by openaq;
//! UNCONFIRMED in the primary text). The table's segments start at x+1 (0–50, 51–100); a value in
//! the gap (50.5) is put at the start of the upper segment. Sub-indices are rounded half up
//! (not specified by CPCB; UNCONFIRMED).
//!
//! The "Severe" band (401–500) has no upper breakpoint in the CPCB table. Here it continues the
//! slope of the "Very poor" segment and the sub-index is capped at 500 with [`Note::AboveTable`]
//! beyond that — a choice, documented because implementations disagree (caps of 1000, 2000…).
//! O3 above 208 µg/m³ (8-h) is rated on the 1-h table (209–748, 748+), as CPCB's table has no
//! 8-h values there.

use crate::rounding::round_index;
use crate::table::{Lookup, Segment, Table, interpolate, seg};
use crate::{AqiResult, Category, Indicator, Note, Report, Standard, finish, rate};

pub fn accepts(indicator: Indicator) -> bool {
    use Indicator::*;
    matches!(
        indicator,
        Pm10_24h | Pm25_24h | No2_24h | O3_8h | O3_1h | Co_8h | So2_24h | Nh3_24h | Pb_24h
    )
}

const PM10: &[Segment] = &[
    seg(0.0, 50.0, 0.0, 50.0),
    seg(51.0, 100.0, 51.0, 100.0),
    seg(101.0, 250.0, 101.0, 200.0),
    seg(251.0, 350.0, 201.0, 300.0),
    seg(351.0, 430.0, 301.0, 400.0),
];
const PM25: &[Segment] = &[
    seg(0.0, 30.0, 0.0, 50.0),
    seg(31.0, 60.0, 51.0, 100.0),
    seg(61.0, 90.0, 101.0, 200.0),
    seg(91.0, 120.0, 201.0, 300.0),
    seg(121.0, 250.0, 301.0, 400.0),
];
const NO2: &[Segment] = &[
    seg(0.0, 40.0, 0.0, 50.0),
    seg(41.0, 80.0, 51.0, 100.0),
    seg(81.0, 180.0, 101.0, 200.0),
    seg(181.0, 280.0, 201.0, 300.0),
    seg(281.0, 400.0, 301.0, 400.0),
];
const O3_8H: &[Segment] = &[
    seg(0.0, 50.0, 0.0, 50.0),
    seg(51.0, 100.0, 51.0, 100.0),
    seg(101.0, 168.0, 101.0, 200.0),
    seg(169.0, 208.0, 201.0, 300.0),
];
const O3_1H: &[Segment] = &[seg(209.0, 748.0, 301.0, 400.0)];
const CO: &[Segment] = &[
    seg(0.0, 1.0, 0.0, 50.0),
    seg(1.1, 2.0, 51.0, 100.0),
    seg(2.1, 10.0, 101.0, 200.0),
    seg(10.1, 17.0, 201.0, 300.0),
    seg(17.1, 34.0, 301.0, 400.0),
];
const SO2: &[Segment] = &[
    seg(0.0, 40.0, 0.0, 50.0),
    seg(41.0, 80.0, 51.0, 100.0),
    seg(81.0, 380.0, 101.0, 200.0),
    seg(381.0, 800.0, 201.0, 300.0),
    seg(801.0, 1600.0, 301.0, 400.0),
];
const NH3: &[Segment] = &[
    seg(0.0, 200.0, 0.0, 50.0),
    seg(201.0, 400.0, 51.0, 100.0),
    seg(401.0, 800.0, 101.0, 200.0),
    seg(801.0, 1200.0, 201.0, 300.0),
    seg(1201.0, 1800.0, 301.0, 400.0),
];
const PB: &[Segment] = &[
    seg(0.0, 0.5, 0.0, 50.0),
    seg(0.51, 1.0, 51.0, 100.0),
    seg(1.1, 2.0, 101.0, 200.0),
    seg(2.1, 3.0, 201.0, 300.0),
    seg(3.1, 3.5, 301.0, 400.0),
];

pub fn table(indicator: Indicator) -> Option<Table> {
    use Indicator::*;
    Some(Table::Segments(match indicator {
        Pm10_24h => PM10,
        Pm25_24h => PM25,
        No2_24h => NO2,
        O3_8h => O3_8H,
        O3_1h => O3_1H,
        Co_8h => CO,
        So2_24h => SO2,
        Nh3_24h => NH3,
        Pb_24h => PB,
        _ => return None,
    }))
}

pub fn sub_index(indicator: Indicator, c: f64) -> (Option<i32>, Option<Note>) {
    let Some(table) = table(indicator) else {
        return (None, None);
    };
    if indicator == Indicator::O3_1h && c < 209.0 {
        return (None, Some(Note::BelowTableStart));
    }
    match table.lookup(c) {
        Lookup::Index { index, .. } => (Some(round_index(index)), None),
        Lookup::Invalid => (None, Some(Note::InvalidConcentration)),
        Lookup::AboveTable if indicator == Indicator::O3_8h => {
            (None, Some(Note::O3EightHourAboveTable))
        }
        Lookup::AboveTable => {
            // Severe: the Very-poor line continued, 401 at its start (see module docs).
            let top = table.get(table.len() - 1);
            let slope_seg = seg(top.bp_hi, 2.0 * top.bp_hi - top.bp_lo, 401.0, 500.0);
            let index = interpolate(&slope_seg, c);
            if index > 500.0 {
                (Some(500), Some(Note::AboveTable))
            } else {
                (Some(round_index(index)), None)
            }
        }
    }
}

pub(crate) fn compute(
    standard: Standard,
    report: Report,
    inputs: &[(Indicator, f64)],
) -> AqiResult {
    let subs = rate(inputs, |i, c| {
        let (index, note) = sub_index(i, c);
        (c, index, note)
    });
    let rated: Vec<&str> = subs
        .iter()
        .filter(|s| s.index.is_some())
        .map(|s| s.indicator.pollutant_name())
        .collect();
    let mut pollutants = rated.clone();
    pollutants.dedup();
    let has_pm = rated.iter().any(|p| *p == "PM10" || *p == "PM2.5");
    let max = subs.iter().filter_map(|s| s.index).max();
    let aqi = if pollutants.len() >= 3 && has_pm {
        max
    } else {
        None
    };
    let mut missing = Vec::new();
    if !has_pm {
        missing.push("PM10");
        missing.push("PM2.5");
    }
    finish(standard, report, subs, aqi, missing)
}

pub fn category(aqi: i32) -> Category {
    Category::by_upper_bounds(aqi, &[50, 100, 200, 300, 400], &CATEGORIES)
}

/// CPCB categories; colours as openaq `india.csv`.
pub const CATEGORIES: [Category; 6] = [
    Category {
        level: 1,
        level_name: "Good",
        name_zh: "好",
        name_en: "Good",
        colour_name: "#00b050",
        rgb: [0x00, 0xb0, 0x50],
    },
    Category {
        level: 2,
        level_name: "Satisfactory",
        name_zh: "满意",
        name_en: "Satisfactory",
        colour_name: "#92d051",
        rgb: [0x92, 0xd0, 0x51],
    },
    Category {
        level: 3,
        level_name: "Moderately polluted",
        name_zh: "中度污染",
        name_en: "Moderately polluted",
        colour_name: "#ffff00",
        rgb: [0xff, 0xff, 0x00],
    },
    Category {
        level: 4,
        level_name: "Poor",
        name_zh: "差",
        name_en: "Poor",
        colour_name: "#ff6500",
        rgb: [0xff, 0x65, 0x00],
    },
    Category {
        level: 5,
        level_name: "Very poor",
        name_zh: "很差",
        name_en: "Very poor",
        colour_name: "#ff0000",
        rgb: [0xff, 0x00, 0x00],
    },
    Category {
        level: 6,
        level_name: "Severe",
        name_zh: "严重",
        name_en: "Severe",
        colour_name: "#c00000",
        rgb: [0xc0, 0x00, 0x00],
    },
];
