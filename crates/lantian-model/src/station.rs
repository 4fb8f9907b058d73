//! Monitoring stations and their roles in the network.

use chrono::NaiveDate;
use std::fmt;
use std::str::FromStr;

/// The role of a station in the network, which decides the statistics it enters: a city
/// average uses assessment stations only (HJ 663; HJ 664 station classes), never control,
/// regional-background or traffic sites unless asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StationRole {
    /// urban assessment site (城市环境评价点)
    UrbanAssessment,
    /// suburban assessment site (郊区环境评价点)
    SuburbanAssessment,
    /// control / clean background site (对照点)
    Control,
    /// regional background / transport site (区域背景传输点)
    RegionalBackground,
    /// traffic site (交通污染监控点)
    Traffic,
    /// role not known (a station found in a file but not in the registry)
    Unknown,
}

impl StationRole {
    pub fn code(self) -> &'static str {
        match self {
            StationRole::UrbanAssessment => "urban",
            StationRole::SuburbanAssessment => "suburban",
            StationRole::Control => "control",
            StationRole::RegionalBackground => "regional",
            StationRole::Traffic => "traffic",
            StationRole::Unknown => "unknown",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            StationRole::UrbanAssessment => "城市环境评价点",
            StationRole::SuburbanAssessment => "郊区环境评价点",
            StationRole::Control => "对照点",
            StationRole::RegionalBackground => "区域背景传输点",
            StationRole::Traffic => "交通污染监控点",
            StationRole::Unknown => "未知",
        }
    }

    /// Whether the station enters a city or district average by default.
    pub fn is_assessment(self) -> bool {
        matches!(
            self,
            StationRole::UrbanAssessment | StationRole::SuburbanAssessment
        )
    }
}

impl fmt::Display for StationRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for StationRole {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.trim() {
            "urban" => StationRole::UrbanAssessment,
            "suburban" => StationRole::SuburbanAssessment,
            "control" => StationRole::Control,
            "regional" => StationRole::RegionalBackground,
            "traffic" => StationRole::Traffic,
            "unknown" | "" => StationRole::Unknown,
            other => {
                return Err(format!(
                    "unknown station role {other:?} (expected urban, suburban, control, regional, traffic or unknown)"
                ));
            }
        })
    }
}

/// A monitoring station.
#[derive(Debug, Clone, PartialEq)]
pub struct Station {
    /// The identifier used in the store: the name or code the network's own files use.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub district_zh: String,
    pub district_en: String,
    /// e.g. `bjmemc-2013` (the 2013–2021 Beijing network), `bjmemc-2021`, `cnemc`.
    pub network: String,
    pub role: StationRole,
    /// The CNEMC national code (e.g. `1003A`) when the site is also a national station.
    pub national_code: Option<String>,
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    pub active_from: Option<NaiveDate>,
    pub active_to: Option<NaiveDate>,
    /// The code of the earlier station this one continues (same site, renamed).
    pub continues: Option<String>,
    /// Why we believe in that continuation.
    pub continuation_evidence: Option<String>,
    /// Other identifiers that denote this station in other sources (e.g. UCI's `Dongsi`).
    pub aliases: Vec<String>,
}
