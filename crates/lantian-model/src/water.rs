//! Surface-water parameters: the 24 basic items of GB 3838—2002 Table 1.
//!
//! The table below is the standard's Table 1 in its own order, with the unit the standard gives
//! each item (mg/L unless the table says otherwise: water temperature in °C, pH dimensionless,
//! faecal coliforms in count/L). Values are stored in that unit; a reader may convert µg/L to
//! mg/L (an exact factor of 1000) and nothing else.
//!
//! Codes are `water.` followed by the item's usual symbol in Chinese monitoring reports
//! (`water.CODMn`, `water.NH3-N`, `water.Cr6+`); see [`crate::medium`] for why the prefix.

use crate::medium::parse_code;
use crate::unit::Unit;
use std::fmt;
use std::str::FromStr;

/// A basic item of GB 3838—2002 Table 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WaterParameter {
    /// 1 水温, °C
    Temperature,
    /// 2 pH 值, dimensionless
    Ph,
    /// 3 溶解氧 (a lower bound in Table 1: "≥")
    DissolvedOxygen,
    /// 4 高锰酸盐指数 (permanganate index)
    CodMn,
    /// 5 化学需氧量 (dichromate COD)
    Cod,
    /// 6 五日生化需氧量
    Bod5,
    /// 7 氨氮, as N
    Nh3N,
    /// 8 总磷, as P
    TotalPhosphorus,
    /// 9 总氮, as N (Table 1 gives it for lakes and reservoirs)
    TotalNitrogen,
    /// 10 铜
    Copper,
    /// 11 锌
    Zinc,
    /// 12 氟化物, as F⁻
    Fluoride,
    /// 13 硒
    Selenium,
    /// 14 砷
    Arsenic,
    /// 15 汞
    Mercury,
    /// 16 镉
    Cadmium,
    /// 17 铬（六价）
    Chromium6,
    /// 18 铅
    Lead,
    /// 19 氰化物
    Cyanide,
    /// 20 挥发酚
    VolatilePhenol,
    /// 21 石油类
    Petroleum,
    /// 22 阴离子表面活性剂
    AnionicSurfactant,
    /// 23 硫化物
    Sulfide,
    /// 24 粪大肠菌群, count/L
    FaecalColiforms,
}

impl WaterParameter {
    /// Table 1 in its order.
    pub const ALL: [WaterParameter; 24] = [
        WaterParameter::Temperature,
        WaterParameter::Ph,
        WaterParameter::DissolvedOxygen,
        WaterParameter::CodMn,
        WaterParameter::Cod,
        WaterParameter::Bod5,
        WaterParameter::Nh3N,
        WaterParameter::TotalPhosphorus,
        WaterParameter::TotalNitrogen,
        WaterParameter::Copper,
        WaterParameter::Zinc,
        WaterParameter::Fluoride,
        WaterParameter::Selenium,
        WaterParameter::Arsenic,
        WaterParameter::Mercury,
        WaterParameter::Cadmium,
        WaterParameter::Chromium6,
        WaterParameter::Lead,
        WaterParameter::Cyanide,
        WaterParameter::VolatilePhenol,
        WaterParameter::Petroleum,
        WaterParameter::AnionicSurfactant,
        WaterParameter::Sulfide,
        WaterParameter::FaecalColiforms,
    ];

    /// (code, Chinese name as in Table 1, unit of Table 1)
    fn row(self) -> (&'static str, &'static str, Unit) {
        use WaterParameter::*;
        match self {
            Temperature => ("water.temp", "水温", Unit::DegC),
            Ph => ("water.pH", "pH值", Unit::Ph),
            DissolvedOxygen => ("water.DO", "溶解氧", Unit::MgL),
            CodMn => ("water.CODMn", "高锰酸盐指数", Unit::MgL),
            Cod => ("water.COD", "化学需氧量", Unit::MgL),
            Bod5 => ("water.BOD5", "五日生化需氧量", Unit::MgL),
            Nh3N => ("water.NH3-N", "氨氮", Unit::MgL),
            TotalPhosphorus => ("water.TP", "总磷", Unit::MgL),
            TotalNitrogen => ("water.TN", "总氮", Unit::MgL),
            Copper => ("water.Cu", "铜", Unit::MgL),
            Zinc => ("water.Zn", "锌", Unit::MgL),
            Fluoride => ("water.F", "氟化物", Unit::MgL),
            Selenium => ("water.Se", "硒", Unit::MgL),
            Arsenic => ("water.As", "砷", Unit::MgL),
            Mercury => ("water.Hg", "汞", Unit::MgL),
            Cadmium => ("water.Cd", "镉", Unit::MgL),
            Chromium6 => ("water.Cr6+", "铬（六价）", Unit::MgL),
            Lead => ("water.Pb", "铅", Unit::MgL),
            Cyanide => ("water.CN", "氰化物", Unit::MgL),
            VolatilePhenol => ("water.phenol", "挥发酚", Unit::MgL),
            Petroleum => ("water.oil", "石油类", Unit::MgL),
            AnionicSurfactant => ("water.LAS", "阴离子表面活性剂", Unit::MgL),
            Sulfide => ("water.S2-", "硫化物", Unit::MgL),
            FaecalColiforms => ("water.FC", "粪大肠菌群", Unit::CountPerL),
        }
    }

    /// The code used in the store and in CSV files.
    pub fn code(self) -> &'static str {
        self.row().0
    }

    /// The item's name in GB 3838—2002 Table 1.
    pub fn name_zh(self) -> &'static str {
        self.row().1
    }

    /// The unit of Table 1, in which the value is stored.
    pub fn unit(self) -> Unit {
        self.row().2
    }
}

impl fmt::Display for WaterParameter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for WaterParameter {
    type Err = String;
    /// The code, ignoring ASCII case (`water.codmn` is `water.CODMn`; Table 1 has no two items
    /// whose symbols differ only in case, which a test checks).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_code(&Self::ALL, Self::code, "water parameter", s)
    }
}
