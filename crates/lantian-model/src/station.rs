//! Monitoring sites: what kind of place each is, and the role of an air station in the network.
//!
//! A [`Station`] is any site a value is keyed by: an air monitoring station, a surface-water
//! section (断面), a soil sample point or plot, or an emitting unit (排放单位). Its [`SiteKind`]
//! says which; the store's `station` column holds the site's code whatever its kind, so one key
//! serves every medium. [`StationRole`] is the air network's classification (HJ 664) and stays
//! air-only: a site of another kind has role `unknown`, so it never enters an air city average.

use crate::medium::Medium;
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

/// The kind of a monitoring site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum SiteKind {
    /// ambient air monitoring station (环境空气质量监测站点)
    #[default]
    AirStation,
    /// surface-water monitoring section (地表水监测断面): a cross-section of a river, or a
    /// point of a lake or reservoir, where water is sampled
    WaterSection,
    /// soil sample point or plot (土壤监测点位); a point sampled at several depths is one site
    /// per layer (e.g. `P01/0-20cm`), since a value's key has no depth
    SoilPoint,
    /// emitting unit or installation (重点排放单位 / 排放设施) of the carbon market
    EmittingUnit,
}

impl SiteKind {
    pub const ALL: [SiteKind; 4] = [
        SiteKind::AirStation,
        SiteKind::WaterSection,
        SiteKind::SoilPoint,
        SiteKind::EmittingUnit,
    ];

    /// The code in registry files.
    pub fn code(self) -> &'static str {
        match self {
            SiteKind::AirStation => "air",
            SiteKind::WaterSection => "water-section",
            SiteKind::SoilPoint => "soil-point",
            SiteKind::EmittingUnit => "emitting-unit",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            SiteKind::AirStation => "环境空气质量监测站点",
            SiteKind::WaterSection => "地表水监测断面",
            SiteKind::SoilPoint => "土壤监测点位",
            SiteKind::EmittingUnit => "重点排放单位",
        }
    }

    /// The medium measured at a site of this kind.
    pub fn medium(self) -> Medium {
        match self {
            SiteKind::AirStation => Medium::Air,
            SiteKind::WaterSection => Medium::Water,
            SiteKind::SoilPoint => Medium::Soil,
            SiteKind::EmittingUnit => Medium::Carbon,
        }
    }
}

impl fmt::Display for SiteKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for SiteKind {
    type Err = String;
    /// A registry's `kind` field; empty means air (registries written before sites had kinds).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if t.is_empty() {
            return Ok(SiteKind::AirStation);
        }
        SiteKind::ALL
            .into_iter()
            .find(|k| k.code() == t)
            .ok_or_else(|| {
                format!(
                    "unknown site kind {t:?} (expected air, water-section, soil-point or emitting-unit)"
                )
            })
    }
}

/// A monitoring site (see the module documentation): for historical reasons, and because air
/// is still most of the data, called a station.
#[derive(Debug, Clone, PartialEq)]
pub struct Station {
    /// The identifier used in the store: the name or code the network's own files use.
    pub code: String,
    /// What kind of site this is; `AirStation` for every site of the air networks.
    pub kind: SiteKind,
    pub name_zh: String,
    pub name_en: String,
    pub district_zh: String,
    pub district_en: String,
    /// e.g. `bjmemc-2013` (the 2013–2021 Beijing network), `bjmemc-2021`, `cnemc`.
    pub network: String,
    /// The air network's role; `Unknown` for every site that is not an air station.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_kinds_round_trip_and_empty_is_air() {
        for k in SiteKind::ALL {
            assert_eq!(k.code().parse::<SiteKind>().unwrap(), k);
        }
        assert_eq!("".parse::<SiteKind>().unwrap(), SiteKind::AirStation);
        assert_eq!(SiteKind::default(), SiteKind::AirStation);
        assert!("water".parse::<SiteKind>().is_err());
        assert_eq!(SiteKind::WaterSection.medium(), Medium::Water);
        assert_eq!(SiteKind::EmittingUnit.medium(), Medium::Carbon);
    }
}
