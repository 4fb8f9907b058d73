//! HJ 633 《环境空气质量指数（AQI）技术规定》: the 2012 edition (in force until 2026-02-28) and
//! the 2026 edition (from 2026-03-01).
//!
//! The two editions share the formula (eq. 1), the ceiling of every IAQI (2012 §6.2, 2026
//! §4.2.6) and the categories. They differ in exactly these points, each of which is data or a
//! named rule here, never a date test inside the engine:
//!
//! | | HJ 633—2012 | HJ 633—2026 |
//! |---|---|---|
//! | PM10 / PM2.5 IAQI-100 breakpoint | 150 / 75 | **120 / 60** (Table 3) |
//! | SO2 1-h > 800 µg/m³ | not rated; SO2 rated on its 24-h mean (Table 1 note 2) | **IAQI 200** (Table 3 note b) |
//! | O3 8-h > 800 µg/m³ | not rated; O3 rated on the 1-h value (Table 1 note 3) | **IAQI 300** (Table 3 note c) |
//! | real-time report | 1-h SO2/NO2/CO/O3, O3 8-h moving mean, PM 24-h moving means (§5.1) | six 1-h values; PM 1-h rated on the 24-h table |
//! | daily report | 24-h means, O3 daily max 1-h and max 8-h | 24-h means, O3 daily max 8-h only |
//! | a pollutant missing | AQI from the others | AQI from the others only if > 100, else "NA" (§5.3) |
//!
//! Input rounding (GB/T 8170, half to even; integers, CO to 0.1 mg/m³) is written into HJ 633—2026
//! §4.2.2–4.2.3 and applied here for both editions: the 2012 edition does not say how to round
//! the input, and the Beijing published values (see `docs/aqi-oracle.md`) are consistent with it.
//!
//! Concentrations above the last breakpoint (e.g. PM2.5 > 500) are rated 500 and noted
//! [`Note::AboveTable`] ("爆表"). Neither edition says what to do (UNCONFIRMED in the standards
//! notes); 500 is what the Beijing centre published: its hourly files hold AQI 500 for PM2.5 1-h
//! values above 500 (e.g. 2017-01-01, see the oracle report).

use crate::rounding::{ceil_index, round_half_even, round_index};
use crate::table::{Lookup, Table};
use crate::{AqiError, AqiResult, Category, Indicator, Note, Report, Standard, SubIndex};

/// The IAQI column (HJ 633—2012 Table 1, HJ 633—2026 Table 3).
const IAQI: [f64; 8] = [0.0, 50.0, 100.0, 150.0, 200.0, 300.0, 400.0, 500.0];

const fn t(bp: &'static [f64]) -> Table {
    Table::Continuous { bp, index: &IAQI }
}

// Breakpoint columns, µg/m³ (CO mg/m³). HJ 633—2012 Table 1.
const SO2_24H: &[f64] = &[0.0, 50.0, 150.0, 475.0, 800.0, 1600.0, 2100.0, 2620.0];
const SO2_1H: &[f64] = &[0.0, 150.0, 500.0, 650.0, 800.0];
const NO2_24H: &[f64] = &[0.0, 40.0, 80.0, 180.0, 280.0, 565.0, 750.0, 940.0];
const NO2_1H: &[f64] = &[0.0, 100.0, 200.0, 700.0, 1200.0, 2340.0, 3090.0, 3840.0];
const CO_24H: &[f64] = &[0.0, 2.0, 4.0, 14.0, 24.0, 36.0, 48.0, 60.0];
const CO_1H: &[f64] = &[0.0, 5.0, 10.0, 35.0, 60.0, 90.0, 120.0, 150.0];
const O3_1H: &[f64] = &[0.0, 160.0, 200.0, 300.0, 400.0, 800.0, 1000.0, 1200.0];
const O3_8H: &[f64] = &[0.0, 100.0, 160.0, 215.0, 265.0, 800.0];
const PM10_2012: &[f64] = &[0.0, 50.0, 150.0, 250.0, 350.0, 420.0, 500.0, 600.0];
const PM25_2012: &[f64] = &[0.0, 35.0, 75.0, 115.0, 150.0, 250.0, 350.0, 500.0];
// HJ 633—2026 Table 3: only the IAQI-100 breakpoints of PM10 (150 → 120) and PM2.5 (75 → 60)
// changed; they equal GB 3095—2026's transitional class-II 24-h limits.
const PM10_2026: &[f64] = &[0.0, 50.0, 120.0, 250.0, 350.0, 420.0, 500.0, 600.0];
const PM25_2026: &[f64] = &[0.0, 35.0, 60.0, 115.0, 150.0, 250.0, 350.0, 500.0];

/// The two editions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Edition {
    E2012,
    E2026,
}

/// The breakpoint table of `indicator` in `edition`. PM 1-h values are rated on the 24-h table
/// (HJ 633—2026 §4.2.4 says so; the Beijing centre did the same under the 2012 edition).
pub fn table(edition: Edition, indicator: Indicator) -> Option<Table> {
    use Indicator::*;
    Some(match (indicator, edition) {
        (So2_24h, _) => t(SO2_24H),
        (So2_1h, _) => t(SO2_1H),
        (No2_24h, _) => t(NO2_24H),
        (No2_1h, _) => t(NO2_1H),
        (Co_24h, _) => t(CO_24H),
        (Co_1h, _) => t(CO_1H),
        (O3_1h, _) => t(O3_1H),
        (O3_8h, _) => t(O3_8H),
        (Pm10_24h | Pm10_1h, Edition::E2012) => t(PM10_2012),
        (Pm25_24h | Pm25_1h, Edition::E2012) => t(PM25_2012),
        (Pm10_24h | Pm10_1h, Edition::E2026) => t(PM10_2026),
        (Pm25_24h | Pm25_1h, Edition::E2026) => t(PM25_2026),
        _ => return None,
    })
}

/// Which indicators each report takes (HJ 633—2012 §5.1–5.2; HJ 633—2026 §4.1 and Table 3
/// note a). `So2_24h` in the 2012 real-time report is only the fallback of Table 1 note 2.
pub fn accepts(edition: Edition, report: Report, indicator: Indicator) -> bool {
    use Indicator::*;
    match (edition, report) {
        (Edition::E2012, Report::RealTime) => matches!(
            indicator,
            So2_1h
                | So2_24h
                | No2_1h
                | Co_1h
                | O3_1h
                | O3_8h
                | Pm10_24h
                | Pm25_24h
                | Pm10_1h
                | Pm25_1h
        ),
        (Edition::E2012, Report::Daily) => {
            matches!(
                indicator,
                So2_24h | No2_24h | Co_24h | O3_1h | O3_8h | Pm10_24h | Pm25_24h
            )
        }
        (Edition::E2026, Report::RealTime) => {
            matches!(
                indicator,
                So2_1h | No2_1h | Co_1h | O3_1h | Pm10_1h | Pm25_1h
            )
        }
        (Edition::E2026, Report::Daily) => {
            matches!(
                indicator,
                So2_24h | No2_24h | Co_24h | O3_8h | Pm10_24h | Pm25_24h
            )
        }
    }
}

/// The six pollutants an AQI is complete with.
pub const REQUIRED: [&str; 6] = ["SO2", "NO2", "CO", "O3", "PM10", "PM2.5"];

/// How the index is rounded to an integer. The standard says up (§6.2 / §4.2.6); some publishers
/// rounded half up for a period (the Beijing centre in 2018–2021, see `docs/aqi-oracle.md`), and
/// that practice can be replayed to check their numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum IndexRounding {
    #[default]
    Ceiling,
    HalfUp,
}

/// A publisher's way of applying the standard, where it departs from the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Practice {
    pub index_rounding: IndexRounding,
    /// Round concentrations per GB/T 8170 before the IAQI (HJ 633—2026 §4.2.2–4.2.3). The
    /// Beijing centre rated its PM 24-h moving means unrounded in 2014–2016 (see
    /// `docs/aqi-oracle.md`); replaying that needs `false`.
    pub input_rounding: bool,
}

impl Default for Practice {
    /// The standard's own rules: GB/T 8170 input rounding, IAQI rounded up.
    fn default() -> Self {
        Practice {
            index_rounding: IndexRounding::Ceiling,
            input_rounding: true,
        }
    }
}

/// Decimal places of the GB/T 8170 input rounding (HJ 633—2026 §4.2.2–4.2.3).
pub fn input_decimals(indicator: Indicator) -> u32 {
    if indicator.pollutant_name() == "CO" {
        1
    } else {
        0
    }
}

/// The IAQI of one concentration, with the special rules that concern this value alone
/// (above the table; SO2 1-h and O3 8-h above 800). The 2012 fallbacks that need a second
/// value (SO2 24-h, O3 1-h) are resolved in [`compute`].
#[inline]
pub fn iaqi(
    edition: Edition,
    indicator: Indicator,
    concentration: f64,
    practice: Practice,
) -> SubIndex {
    let rated = if practice.input_rounding {
        round_half_even(concentration, input_decimals(indicator))
    } else {
        concentration
    };
    let mut sub = SubIndex {
        indicator,
        concentration,
        rated,
        index: None,
        note: None,
    };
    let Some(table) = table(edition, indicator) else {
        return sub;
    };
    let to_int = |x: f64| match practice.index_rounding {
        IndexRounding::Ceiling => ceil_index(x),
        IndexRounding::HalfUp => round_index(x),
    };
    match table.lookup(rated) {
        Lookup::Index { index, .. } => sub.index = Some(to_int(index)),
        Lookup::Invalid => sub.note = Some(Note::InvalidConcentration),
        Lookup::AboveTable => match (indicator, edition) {
            (Indicator::So2_1h, Edition::E2012) => {
                sub.note = Some(Note::So2OneHourAbove800NotRated)
            }
            (Indicator::So2_1h, Edition::E2026) => {
                sub.index = Some(200);
                sub.note = Some(Note::So2OneHourAbove800Set200);
            }
            (Indicator::O3_8h, Edition::E2012) => {
                sub.note = Some(Note::O3EightHourAbove800RatedOn1h)
            }
            (Indicator::O3_8h, Edition::E2026) => {
                sub.index = Some(300);
                sub.note = Some(Note::O3EightHourAbove800Set300);
            }
            _ => {
                sub.index = Some(500);
                sub.note = Some(Note::AboveTable);
            }
        },
    }
    sub
}

/// The AQI of one station or area at one time (HJ 633—2012 §5–6; HJ 633—2026 §4–5).
pub fn compute(
    standard: Standard,
    edition: Edition,
    report: Report,
    inputs: &[(Indicator, f64)],
    practice: Practice,
) -> Result<AqiResult, AqiError> {
    for &(indicator, _) in inputs {
        if !accepts(edition, report, indicator) {
            return Err(AqiError::NotInReport {
                standard,
                report,
                indicator,
            });
        }
        if inputs.iter().filter(|(i, _)| *i == indicator).count() > 1 {
            return Err(AqiError::Duplicate { indicator });
        }
    }
    let has = |i: Indicator| inputs.iter().any(|(x, _)| *x == i);
    for (a, b) in [
        (Indicator::Pm10_1h, Indicator::Pm10_24h),
        (Indicator::Pm25_1h, Indicator::Pm25_24h),
    ] {
        if report == Report::RealTime && has(a) && has(b) {
            return Err(AqiError::Ambiguous {
                first: a,
                second: b,
            });
        }
    }
    let mut subs: Vec<SubIndex> = inputs
        .iter()
        .map(|&(i, c)| iaqi(edition, i, c, practice))
        .collect();

    // HJ 633—2012 Table 1 note 2: in the real-time report the 24-h SO2 counts only when the 1-h
    // value is above 800.
    if edition == Edition::E2012 && report == Report::RealTime {
        let so2_1h_over = subs
            .iter()
            .find(|s| s.indicator == Indicator::So2_1h)
            .map(|s| s.note == Some(Note::So2OneHourAbove800NotRated));
        match so2_1h_over {
            Some(true) if has(Indicator::So2_24h) => {
                for s in subs.iter_mut().filter(|s| s.indicator == Indicator::So2_1h) {
                    s.note = Some(Note::So2OneHourAbove800RatedOn24h);
                }
            }
            // The 1-h value rules; the 24-h value is shown but not rated.
            Some(false) => {
                for s in subs
                    .iter_mut()
                    .filter(|s| s.indicator == Indicator::So2_24h)
                {
                    s.index = None;
                }
            }
            _ => {}
        }
    }

    let rated = |s: &&SubIndex| s.index.is_some();
    let max = subs.iter().filter(rated).filter_map(|s| s.index).max();
    let missing: Vec<&'static str> = REQUIRED
        .into_iter()
        .filter(|p| {
            !subs
                .iter()
                .filter(rated)
                .any(|s| s.indicator.pollutant_name() == *p)
        })
        .collect();

    // HJ 633—2026 §5.3: with a pollutant missing, the AQI is published only if it exceeds 100.
    let aqi = match (edition, max) {
        (Edition::E2026, Some(m)) if !missing.is_empty() && m <= 100 => None,
        (_, m) => m,
    };
    // §5.3 / 2012 §5.3: primary pollutant only when AQI > 50; ties all listed.
    let primary = match aqi {
        Some(a) if a > 50 => subs
            .iter()
            .filter(|s| s.index == Some(a))
            .map(|s| s.indicator)
            .collect(),
        _ => Vec::new(),
    };
    Ok(AqiResult {
        standard,
        report,
        aqi,
        max_sub_index: max,
        sub_indices: subs,
        primary,
        category: aqi.map(category),
        missing,
    })
}

/// The category of an AQI (HJ 633—2012 Table 2; HJ 633—2026 Table 1). The 2026 text starts the
/// first class at 1; an AQI of 0 (all inputs zero) is put in it too.
pub fn category(aqi: i32) -> Category {
    Category::by_upper_bounds(aqi, &[50, 100, 150, 200, 300], &CATEGORIES)
}

/// Levels, names and colours (RGB as in HJ 633 Table 2 / Table 1). English names are not in the
/// standard; these are the MEE English releases' words.
pub const CATEGORIES: [Category; 6] = [
    Category {
        level: 1,
        level_name: "一级",
        name_zh: "优",
        name_en: "Excellent",
        colour_name: "绿色 green",
        rgb: [0, 228, 0],
    },
    Category {
        level: 2,
        level_name: "二级",
        name_zh: "良",
        name_en: "Good",
        colour_name: "黄色 yellow",
        rgb: [255, 255, 0],
    },
    Category {
        level: 3,
        level_name: "三级",
        name_zh: "轻度污染",
        name_en: "Lightly polluted",
        colour_name: "橙色 orange",
        rgb: [255, 126, 0],
    },
    Category {
        level: 4,
        level_name: "四级",
        name_zh: "中度污染",
        name_en: "Moderately polluted",
        colour_name: "红色 red",
        rgb: [255, 0, 0],
    },
    Category {
        level: 5,
        level_name: "五级",
        name_zh: "重度污染",
        name_en: "Heavily polluted",
        colour_name: "紫色 purple",
        rgb: [153, 0, 76],
    },
    Category {
        level: 6,
        level_name: "六级",
        name_zh: "严重污染",
        name_en: "Severely polluted",
        colour_name: "褐红色 maroon",
        rgb: [126, 0, 35],
    },
];
