//! # lantian-aqi: air quality indices as data tables
//!
//! One engine, many tables. Every scheme is a set of breakpoint tables ([`table`]) plus the few
//! rules that make it what it is, and every scheme answers through the same call,
//! [`Standard::compute`], with the same result, [`AqiResult`]: the sub-index of each pollutant,
//! the index, the primary pollutant(s) and the category with its colour.
//!
//! | [`Standard`] | id | scheme |
//! |---|---|---|
//! | `Hj633_2012` | `hj633-2012` | China, HJ 633—2012, in force until 2026-02-28 |
//! | `Hj633_2026` | `hj633-2026` | China, HJ 633—2026, in force from 2026-03-01 |
//! | `Epa2018` | `epa-2018` | US EPA AQI, TAD 2018 tables (PM2.5 before 2024-05-06) |
//! | `Epa2024` | `epa-2024` | US EPA AQI, TAD 2024 (EPA-454/B-24-002) |
//! | `Eaqi2017` | `eaqi-2017` | European Air Quality Index, 2017–2023 bands |
//! | `Eaqi2024` | `eaqi-2024` | European Air Quality Index, revised bands (2024) |
//! | `UkDaqi` | `uk-daqi` | UK Daily Air Quality Index (Defra) |
//! | `IndiaNaqi` | `india-naqi` | India National AQI (CPCB 2014) |
//!
//! Concentrations are given in Lantian's units (µg/m³; CO in mg/m³). The Chinese edition is
//! chosen by the date of the data ([`Standard::china_for_date`]) unless the caller overrides it,
//! so that any period can be recomputed under either edition.
//!
//! ```
//! use lantian_aqi::{Indicator, Report, Standard};
//!
//! // A daily report under HJ 633—2012: PM2.5 80 µg/m³ → IAQI 106.25 → rounded up to 107.
//! let r = Standard::Hj633_2012
//!     .compute(Report::Daily, &[(Indicator::Pm25_24h, 80.0), (Indicator::O3_8h, 170.0)])
//!     .unwrap();
//! assert_eq!(r.aqi, Some(110)); // O3 8-h 170 → 100 + 50 × 10/55 = 109.09 → 110
//! assert_eq!(r.primary_names(), "O3_8h");
//! assert_eq!(r.category.unwrap().name_zh, "轻度污染");
//!
//! // The same day under HJ 633—2026, where PM2.5's IAQI-100 breakpoint is 60 instead of 75.
//! let r = Standard::Hj633_2026
//!     .compute(Report::Daily, &[(Indicator::Pm25_24h, 80.0), (Indicator::O3_8h, 170.0)])
//!     .unwrap();
//! assert_eq!(r.aqi, Some(119)); // 100 + 50 × 20/55 = 118.18 → 119
//! assert_eq!(r.primary_names(), "PM2.5");
//! ```

pub mod batch;
pub mod daqi;
pub mod eaqi;
pub mod epa;
pub mod hj633;
pub mod indicator;
pub mod moving;
pub mod naqi;
pub mod result;
pub mod rounding;
pub mod series;
pub mod table;

pub use indicator::Indicator;
pub use result::{AqiResult, Category, Note, Report, SubIndex};

use chrono::NaiveDate;
use std::fmt;

/// An index scheme and edition.
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Standard {
    Hj633_2012,
    Hj633_2026,
    Epa2018,
    Epa2024,
    Eaqi2017,
    Eaqi2024,
    UkDaqi,
    IndiaNaqi,
}

/// Errors of the engine: wrong input for the scheme, never a data value.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum AqiError {
    #[error("unknown standard '{0}' (known: {known})", known = Standard::ALL.map(|s| s.id()).join(", "))]
    UnknownStandard(String),
    #[error("{indicator} is not part of the {report:?} report of {standard}")]
    NotInReport {
        standard: Standard,
        report: Report,
        indicator: Indicator,
    },
    #[error("{indicator} is given twice")]
    Duplicate { indicator: Indicator },
    #[error("give {first} or {second}, not both: the report rates one of them")]
    Ambiguous { first: Indicator, second: Indicator },
}

impl Standard {
    pub const ALL: [Standard; 8] = [
        Standard::Hj633_2012,
        Standard::Hj633_2026,
        Standard::Epa2018,
        Standard::Epa2024,
        Standard::Eaqi2017,
        Standard::Eaqi2024,
        Standard::UkDaqi,
        Standard::IndiaNaqi,
    ];

    /// The id used by `--standard`.
    pub fn id(self) -> &'static str {
        match self {
            Standard::Hj633_2012 => "hj633-2012",
            Standard::Hj633_2026 => "hj633-2026",
            Standard::Epa2018 => "epa-2018",
            Standard::Epa2024 => "epa-2024",
            Standard::Eaqi2017 => "eaqi-2017",
            Standard::Eaqi2024 => "eaqi-2024",
            Standard::UkDaqi => "uk-daqi",
            Standard::IndiaNaqi => "india-naqi",
        }
    }

    /// Full title of the document the tables come from.
    pub fn title(self) -> &'static str {
        match self {
            Standard::Hj633_2012 => "HJ 633—2012 环境空气质量指数（AQI）技术规定（试行）",
            Standard::Hj633_2026 => "HJ 633—2026 环境空气质量指数（AQI）技术规定",
            Standard::Epa2018 => {
                "US EPA AQI, Technical Assistance Document EPA-454/B-18-007 (2018)"
            }
            Standard::Epa2024 => {
                "US EPA AQI, Technical Assistance Document EPA-454/B-24-002 (2024)"
            }
            Standard::Eaqi2017 => "European Air Quality Index (EEA), 2017–2023 bands",
            Standard::Eaqi2024 => "European Air Quality Index (EEA), revised bands (2024)",
            Standard::UkDaqi => "UK Daily Air Quality Index (Defra COMEAP 2011)",
            Standard::IndiaNaqi => "India National Air Quality Index (CPCB 2014)",
        }
    }

    /// Parse an id (`hj633-2012`, `HJ633_2026`, `epa`, `eaqi`, `daqi`, `naqi`); a bare scheme
    /// name means its latest edition.
    pub fn parse(text: &str) -> Result<Standard, AqiError> {
        let t = text
            .trim()
            .to_ascii_lowercase()
            .replace(['_', ' ', '.'], "-");
        let t = t.replace("hj-633", "hj633");
        Ok(match t.as_str() {
            "hj633-2012" => Standard::Hj633_2012,
            "hj633-2026" | "hj633" => Standard::Hj633_2026,
            "epa-2018" => Standard::Epa2018,
            "epa-2024" | "epa" | "us-epa" => Standard::Epa2024,
            "eaqi-2017" => Standard::Eaqi2017,
            "eaqi-2024" | "eaqi" => Standard::Eaqi2024,
            "uk-daqi" | "daqi" => Standard::UkDaqi,
            "india-naqi" | "naqi" => Standard::IndiaNaqi,
            _ => return Err(AqiError::UnknownStandard(text.to_string())),
        })
    }

    /// The HJ 633 edition in force on `date` (Beijing date of the data): HJ 633—2012 until
    /// 2026-02-28, HJ 633—2026 from 2026-03-01 (HJ 633—2026 foreword).
    pub fn china_for_date(date: NaiveDate) -> Standard {
        if date < HJ633_2026_IN_FORCE {
            Standard::Hj633_2012
        } else {
            Standard::Hj633_2026
        }
    }

    /// The EPA tables in force on `date`: the PM2.5 revision took effect 2024-05-06
    /// (Federal Register 2024-02-07).
    pub fn epa_for_date(date: NaiveDate) -> Standard {
        if date < EPA_2024_IN_FORCE {
            Standard::Epa2018
        } else {
            Standard::Epa2024
        }
    }

    /// Is this one of the Chinese editions?
    pub fn is_china(self) -> bool {
        matches!(self, Standard::Hj633_2012 | Standard::Hj633_2026)
    }

    /// Does the scheme take `indicator` in `report`?
    pub fn accepts(self, report: Report, indicator: Indicator) -> bool {
        match self {
            Standard::Hj633_2012 => hj633::accepts(hj633::Edition::E2012, report, indicator),
            Standard::Hj633_2026 => hj633::accepts(hj633::Edition::E2026, report, indicator),
            Standard::Epa2018 | Standard::Epa2024 => epa::accepts(indicator),
            Standard::Eaqi2017 | Standard::Eaqi2024 => eaqi::accepts(indicator),
            Standard::UkDaqi => daqi::accepts(indicator),
            Standard::IndiaNaqi => naqi::accepts(indicator),
        }
    }

    /// The indicator a bare pollutant name means in `report` ("pm25" in an HJ 633—2026
    /// real-time report is the 1-h value; in a daily report the 24-h mean; "o3" in a daily
    /// report is the daily max 8-h, the EPA's too).
    pub fn default_indicator(self, pollutant: &str, report: Report) -> Option<Indicator> {
        use Indicator::*;
        let (name, averaging) = indicator::split(pollutant)?;
        if averaging.is_some() {
            return Indicator::parse(pollutant);
        }
        let china_rt_2026 = self == Standard::Hj633_2026 && report == Report::RealTime;
        let china_rt_2012 = self == Standard::Hj633_2012 && report == Report::RealTime;
        Some(match (self, name) {
            (Standard::Hj633_2012 | Standard::Hj633_2026, "SO2") if report == Report::RealTime => {
                So2_1h
            }
            (Standard::Hj633_2012 | Standard::Hj633_2026, "NO2") if report == Report::RealTime => {
                No2_1h
            }
            (Standard::Hj633_2012 | Standard::Hj633_2026, "CO") if report == Report::RealTime => {
                Co_1h
            }
            (Standard::Hj633_2012 | Standard::Hj633_2026, "CO") => Co_24h,
            (_, "O3") if china_rt_2026 || china_rt_2012 => O3_1h,
            (_, "PM2.5") if china_rt_2026 => Pm25_1h,
            (_, "PM10") if china_rt_2026 => Pm10_1h,
            (Standard::Epa2018 | Standard::Epa2024, "SO2") => So2_1h,
            (Standard::Epa2018 | Standard::Epa2024 | Standard::IndiaNaqi, "CO") => Co_8h,
            (Standard::Eaqi2017 | Standard::Eaqi2024, "SO2" | "NO2" | "O3") => {
                Indicator::parse(&format!("{name}_1h"))?
            }
            (Standard::Epa2018 | Standard::Epa2024, "NO2") => No2_1h,
            (Standard::UkDaqi, "SO2") => So2_15min,
            (Standard::UkDaqi, "NO2") => No2_1h,
            (_, "O3") => O3_8h,
            (_, other) => Indicator::parse(&format!("{other}_24h"))?,
        })
    }

    /// Compute the index with the standard's own rules.
    pub fn compute(
        self,
        report: Report,
        inputs: &[(Indicator, f64)],
    ) -> Result<AqiResult, AqiError> {
        self.compute_with(report, inputs, hj633::Practice::default())
    }

    /// Compute with a publisher's practice where it departs from the text (HJ 633 only; the
    /// practice is ignored by the other schemes).
    pub fn compute_with(
        self,
        report: Report,
        inputs: &[(Indicator, f64)],
        practice: hj633::Practice,
    ) -> Result<AqiResult, AqiError> {
        for &(indicator, _) in inputs {
            if !self.accepts(report, indicator) {
                return Err(AqiError::NotInReport {
                    standard: self,
                    report,
                    indicator,
                });
            }
            if inputs.iter().filter(|(i, _)| *i == indicator).count() > 1 {
                return Err(AqiError::Duplicate { indicator });
            }
        }
        match self {
            Standard::Hj633_2012 => {
                hj633::compute(self, hj633::Edition::E2012, report, inputs, practice)
            }
            Standard::Hj633_2026 => {
                hj633::compute(self, hj633::Edition::E2026, report, inputs, practice)
            }
            Standard::Epa2018 | Standard::Epa2024 => Ok(epa::compute(self, report, inputs)),
            Standard::Eaqi2017 | Standard::Eaqi2024 => Ok(eaqi::compute(self, report, inputs)),
            Standard::UkDaqi => Ok(daqi::compute(self, report, inputs)),
            Standard::IndiaNaqi => Ok(naqi::compute(self, report, inputs)),
        }
    }

    /// The category of an index value in this scheme.
    pub fn category(self, index: i32) -> Category {
        match self {
            Standard::Hj633_2012 | Standard::Hj633_2026 => hj633::category(index),
            Standard::Epa2018 | Standard::Epa2024 => epa::category(index),
            Standard::Eaqi2017 | Standard::Eaqi2024 => eaqi::category(index),
            Standard::UkDaqi => daqi::category(index),
            Standard::IndiaNaqi => naqi::category(index),
        }
    }
}

/// HJ 633—2026 is in force from this date (its foreword).
pub const HJ633_2026_IN_FORCE: NaiveDate = match NaiveDate::from_ymd_opt(2026, 3, 1) {
    Some(d) => d,
    None => panic!(),
};

/// The EPA's revised PM2.5 table is in force from this date (Federal Register 2024-02-07).
pub const EPA_2024_IN_FORCE: NaiveDate = match NaiveDate::from_ymd_opt(2024, 5, 6) {
    Some(d) => d,
    None => panic!(),
};

/// Serialised as its id (`"hj633-2026"`), as `--standard` takes it.
impl serde::Serialize for Standard {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl fmt::Display for Standard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Helper for the schemes: rate every input with `f`, which returns the concentration as the
/// table read it, the sub-index and any note.
pub(crate) fn rate(
    inputs: &[(Indicator, f64)],
    f: impl Fn(Indicator, f64) -> (f64, Option<i32>, Option<Note>),
) -> Vec<SubIndex> {
    inputs
        .iter()
        .map(|&(indicator, concentration)| {
            let (rated, index, note) = f(indicator, concentration);
            SubIndex {
                indicator,
                concentration,
                rated,
                index,
                note,
            }
        })
        .collect()
}

/// Helper for the schemes: the result from the sub-indices and the published index.
pub(crate) fn finish(
    standard: Standard,
    report: Report,
    sub_indices: Vec<SubIndex>,
    aqi: Option<i32>,
    missing: Vec<&'static str>,
) -> AqiResult {
    AqiResult {
        standard,
        report,
        aqi,
        max_sub_index: sub_indices.iter().filter_map(|s| s.index).max(),
        primary: at_max(&sub_indices, aqi),
        category: aqi.map(|a| standard.category(a)),
        sub_indices,
        missing,
    }
}

/// Helper for the schemes: the primary pollutants (all indicators at the maximum).
pub(crate) fn at_max(subs: &[SubIndex], max: Option<i32>) -> Vec<Indicator> {
    match max {
        Some(m) => subs
            .iter()
            .filter(|s| s.index == Some(m))
            .map(|s| s.indicator)
            .collect(),
        None => Vec::new(),
    }
}

/// Helper for the schemes: which of the `required` pollutants got no sub-index.
pub(crate) fn missing_of(subs: &[SubIndex], required: &[&'static str]) -> Vec<&'static str> {
    required
        .iter()
        .copied()
        .filter(|p| {
            !subs
                .iter()
                .any(|s| s.index.is_some() && s.indicator.pollutant_name() == *p)
        })
        .collect()
}
