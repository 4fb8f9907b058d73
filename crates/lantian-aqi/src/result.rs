//! What every scheme returns: sub-indices, the index, its primary pollutants and category.

use crate::{Indicator, Standard};

/// Why a sub-index is not the plain table value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Note {
    /// The concentration is above the table's last breakpoint: index set to the table's top
    /// (HJ 633: 500, "爆表"; the standard is silent, see `hj633`).
    AboveTable,
    /// HJ 633—2012 Table 1 note 2: SO2 1-h > 800 µg/m³ is not rated; SO2 is rated on its 24-h mean.
    So2OneHourAbove800RatedOn24h,
    /// HJ 633—2012 Table 1 note 2 with no 24-h SO2 given: SO2 gets no sub-index.
    So2OneHourAbove800NotRated,
    /// HJ 633—2026 Table 3 note b: SO2 1-h > 800 µg/m³ → IAQI 200.
    So2OneHourAbove800Set200,
    /// HJ 633—2012 Table 1 note 3: O3 8-h > 800 µg/m³ is not rated; O3 is rated on its 1-h value.
    O3EightHourAbove800RatedOn1h,
    /// HJ 633—2026 Table 3 note c: O3 8-h > 800 µg/m³ → IAQI 300.
    O3EightHourAbove800Set300,
    /// US EPA TAD Table 6 note: 1-h O3 below 0.125 ppm does not define the AQI.
    BelowTableStart,
    /// US EPA TAD note 3: 1-h SO2 ≥ 305 ppb with a 24-h mean below 305 ppb → AQI 200.
    So2OneHourHighSet200,
    /// EPA: 8-h O3 above 0.200 ppm does not define the AQI; the 1-h value does.
    O3EightHourAboveTable,
    /// Negative or not-a-number concentration: not rated.
    InvalidConcentration,
}

/// One pollutant's sub-index (IAQI in HJ 633; "sub-index" in NAQI; band in EAQI/DAQI).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct SubIndex {
    pub indicator: Indicator,
    /// The concentration as given, in Lantian's units.
    pub concentration: f64,
    /// The concentration the table was read with, in the table's unit, after the scheme's
    /// rounding or truncation (GB/T 8170 for HJ 633; truncation for the EPA).
    pub rated: f64,
    /// The sub-index; `None` when the scheme does not rate this value.
    pub index: Option<i32>,
    pub note: Option<Note>,
}

/// A category of a scheme (HJ 633 Table 2 / 2026 Table 1; EPA TAD Table 2; …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Category {
    /// 1 = best.
    pub level: u8,
    /// Level label: "一级", "Low 1"…
    pub level_name: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub colour_name: &'static str,
    pub rgb: [u8; 3],
}

impl Category {
    /// The category of `index` in a table of upper bounds: the first category whose bound is at
    /// or above the index, the last one above all bounds (HJ 633 Table 2: 50, 100, 150, 200, 300).
    pub fn by_upper_bounds(index: i32, upper: &[i32], categories: &[Category]) -> Category {
        let k = upper
            .iter()
            .position(|&u| index <= u)
            .unwrap_or(upper.len());
        categories[k.min(categories.len() - 1)]
    }

    pub fn hex(&self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.rgb[0], self.rgb[1], self.rgb[2])
    }
}

/// Which report: HJ 633 distinguishes the real-time (hourly) and the daily report; other schemes
/// use it only to say which pollutants a complete index needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Report {
    /// 实时报: hourly.
    RealTime,
    /// 日报: one value per day.
    Daily,
}

/// The index of one station (or area) at one time.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct AqiResult {
    pub standard: Standard,
    pub report: Report,
    /// The index; `None` when it must be published as "NA" (HJ 633—2026 §5.3) or nothing
    /// could be rated.
    pub aqi: Option<i32>,
    /// The highest sub-index even where `aqi` is NA, so that nothing computed is lost.
    pub max_sub_index: Option<i32>,
    pub sub_indices: Vec<SubIndex>,
    /// Primary pollutant(s): all indicators whose sub-index equals the AQI, when the scheme
    /// names them (HJ 633 §5.3: only when AQI > 50; ties are all listed, 并列).
    pub primary: Vec<Indicator>,
    pub category: Option<Category>,
    /// Pollutants the report needs and did not get, by bulletin name ("O3", "PM2.5").
    pub missing: Vec<&'static str>,
}

impl AqiResult {
    /// Primary pollutants joined the way bulletins print them: "PM2.5,O3_8h".
    pub fn primary_names(&self) -> String {
        self.primary
            .iter()
            .map(|i| i.published_name())
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn sub_index(&self, indicator: Indicator) -> Option<&SubIndex> {
        self.sub_indices.iter().find(|s| s.indicator == indicator)
    }
}
