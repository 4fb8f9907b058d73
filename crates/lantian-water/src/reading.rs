//! One reading of one determinand at one section, as the readers give it to the engine.
//!
//! The engine never parses files: a reader (`lantian-ingest`) turns a file into readings, each
//! with the file and line it came from and the flag its source gave it, and the engine averages
//! and classes them.

use crate::class::Measurement;
use crate::gb3838::Item;
use chrono::NaiveDateTime;
use lantian_model::Flag;
use serde::Serialize;
use std::sync::Arc;

/// How a reading was taken: the 2020 statistical rules let automatic readings take precedence
/// for the items an automatic station measures; grab samples fill the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// An automatic station (every 4 hours in China's network, every 15 minutes at a SWMP sonde).
    Automatic,
    /// A grab sample analysed in a laboratory (monthly in China's network).
    Grab,
}

impl Origin {
    pub fn code(self) -> &'static str {
        match self {
            Origin::Automatic => "automatic",
            Origin::Grab => "grab",
        }
    }
}

/// What was measured: a GB 3838 item, or a determinand without a class limit that a station
/// also reports (conductivity, turbidity, chlorophyll-a, algal density, salinity, depth …),
/// kept with its own code and unit so nothing read is dropped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Determinand {
    Item(Item),
    Other { code: Arc<str>, unit: Arc<str> },
}

impl Determinand {
    pub fn item(&self) -> Option<Item> {
        match self {
            Determinand::Item(i) => Some(*i),
            Determinand::Other { .. } => None,
        }
    }

    pub fn code(&self) -> &str {
        match self {
            Determinand::Item(i) => i.code(),
            Determinand::Other { code, .. } => code,
        }
    }

    pub fn unit(&self) -> &str {
        match self {
            Determinand::Item(i) => i.unit().code(),
            Determinand::Other { unit, .. } => unit,
        }
    }

    /// A determinand without a class limit.
    pub fn other(code: &str, unit: &str) -> Determinand {
        Determinand::Other {
            code: code.into(),
            unit: unit.into(),
        }
    }
}

/// One reading. `time` is the section's local standard time (Beijing time for China's network,
/// local standard time at a SWMP reserve): a month is a month of the calendar the section's
/// authority publishes in.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub section: Arc<str>,
    pub time: NaiveDateTime,
    pub determinand: Determinand,
    pub measurement: Measurement,
    /// Only `ok` and `doubtful` readings are averaged ([`Flag::is_valid`]).
    pub flag: Flag,
    /// The source's own flag or status, as written (`<1> [GIM]`, `维护`), when it has one.
    pub source_flag: Option<Arc<str>>,
    pub origin: Origin,
    pub file: Arc<str>,
    /// 1-based line in `file`.
    pub line: u64,
}
