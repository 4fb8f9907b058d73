//! One value as it enters the store.

use crate::pollutant::{Averaging, Variable};
use crate::quality::Flag;
use crate::time::TimeConvention;
use crate::unit::Unit;
use chrono::{DateTime, Utc};
use std::fmt;
use std::sync::Arc;

/// Where a value comes from. Two sources may carry the same station and hour with different
/// values (UCI's copy of 东四 has decimals the BJMEMC files round away), so the source is part of
/// a value's identity: nothing from one source is ever taken as a revision of another.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    /// Beijing Municipal Environmental Monitoring Center daily files (`beijing_all_*`,
    /// `beijing_extra_*`, as archived by quotsoft.net). Hour-ending.
    Bjmemc,
    /// China National Environmental Monitoring Centre national files (`china_sites_*`).
    /// Hour-ending.
    Cnemc,
    /// UCI "Beijing Multi-Site Air-Quality Data" (2013–2017). Hour-ending (see [`crate::time`]).
    UciMultisite,
    /// UCI "Beijing PM2.5 Data" (US Embassy, 2010–2014). Hour-ending, as the embassy's feed.
    UciEmbassy,
    /// AQEval's example data set (UK, UTC, hour-beginning).
    Aqeval,
    /// A user's generic long CSV or Parquet file; the name is chosen by the user.
    Other(String),
}

impl Source {
    pub fn code(&self) -> &str {
        match self {
            Source::Bjmemc => "bjmemc",
            Source::Cnemc => "cnemc",
            Source::UciMultisite => "uci-multisite",
            Source::UciEmbassy => "uci-embassy",
            Source::Aqeval => "aqeval",
            Source::Other(s) => s,
        }
    }

    /// The convention of the source's own time stamps.
    pub fn time_convention(&self) -> TimeConvention {
        match self {
            Source::Aqeval => TimeConvention::HourBeginning,
            _ => TimeConvention::HourEnding,
        }
    }

    pub fn from_code(code: &str) -> Source {
        match code {
            "bjmemc" => Source::Bjmemc,
            "cnemc" => Source::Cnemc,
            "uci-multisite" => Source::UciMultisite,
            "uci-embassy" => Source::UciEmbassy,
            "aqeval" => Source::Aqeval,
            other => Source::Other(other.to_string()),
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One value of one variable at one station for one averaging window.
///
/// The key of a value is `(source, station, variable, averaging, time_end)`; the store adds a
/// revision number when a source later publishes a different value for the same key.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub source: Source,
    /// The station identifier as the source writes it (a BJMEMC name such as `东城东四`, a CNEMC
    /// code such as `1001A`, a UCI name such as `Dongsi`). The registry maps these to stations.
    /// Shared (`Arc<str>`): a file's values repeat a few hundred names millions of times, and a
    /// copy of the name per value was the largest cost of reading a national file.
    pub station: Arc<str>,
    pub variable: Variable,
    pub averaging: Averaging,
    /// End of the averaging window, UTC.
    pub time_end: DateTime<Utc>,
    /// The value in `unit`. `None` only for a withdrawn value or a value with no numeric form
    /// (UCI's "cv", calm and variable wind), whose reason is in `flag_reason`.
    pub value: Option<f64>,
    pub unit: Unit,
    pub flag: Flag,
    pub flag_reason: Option<String>,
    /// File the value was read from, as given to the reader (shared by all its values).
    pub source_file: Arc<str>,
    /// 1-based line of the source file.
    pub source_line: u64,
}
