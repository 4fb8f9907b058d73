//! Soil parameters: the metals of GB 15618—2018 Table 1 (agricultural land), chromium (VI) of
//! GB 36600—2018 Table 1 (development land), and soil pH, which selects the column of
//! GB 15618's tables (pH ≤ 5.5, 5.5 < pH ≤ 6.5, 6.5 < pH ≤ 7.5, pH > 7.5).
//!
//! Contents are total contents in mg/kg of dry soil, the unit of both standards. Total chromium
//! (`soil.Cr`, GB 15618) and chromium (VI) (`soil.Cr6+`, GB 36600) are different measurands
//! and have different codes. Zinc has a screening value in GB 15618 only; GB 36600 has none.

use crate::medium::parse_code;
use crate::unit::Unit;
use std::fmt;
use std::str::FromStr;

/// A soil parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SoilParameter {
    /// 镉
    Cadmium,
    /// 汞
    Mercury,
    /// 砷
    Arsenic,
    /// 铅
    Lead,
    /// 铬 (total, GB 15618)
    Chromium,
    /// 铜
    Copper,
    /// 镍
    Nickel,
    /// 锌
    Zinc,
    /// 六价铬 (GB 36600)
    Chromium6,
    /// 土壤 pH, dimensionless
    Ph,
}

impl SoilParameter {
    /// The eight metals of GB 15618—2018 Table 1 in its order, then Cr(VI) and pH.
    pub const ALL: [SoilParameter; 10] = [
        SoilParameter::Cadmium,
        SoilParameter::Mercury,
        SoilParameter::Arsenic,
        SoilParameter::Lead,
        SoilParameter::Chromium,
        SoilParameter::Copper,
        SoilParameter::Nickel,
        SoilParameter::Zinc,
        SoilParameter::Chromium6,
        SoilParameter::Ph,
    ];

    /// (code, Chinese name, unit)
    fn row(self) -> (&'static str, &'static str, Unit) {
        use SoilParameter::*;
        match self {
            Cadmium => ("soil.Cd", "镉", Unit::MgKg),
            Mercury => ("soil.Hg", "汞", Unit::MgKg),
            Arsenic => ("soil.As", "砷", Unit::MgKg),
            Lead => ("soil.Pb", "铅", Unit::MgKg),
            Chromium => ("soil.Cr", "铬", Unit::MgKg),
            Copper => ("soil.Cu", "铜", Unit::MgKg),
            Nickel => ("soil.Ni", "镍", Unit::MgKg),
            Zinc => ("soil.Zn", "锌", Unit::MgKg),
            Chromium6 => ("soil.Cr6+", "六价铬", Unit::MgKg),
            Ph => ("soil.pH", "土壤pH", Unit::Ph),
        }
    }

    /// The code used in the store and in CSV files.
    pub fn code(self) -> &'static str {
        self.row().0
    }

    pub fn name_zh(self) -> &'static str {
        self.row().1
    }

    /// mg/kg (dry soil) for contents, pH units for pH.
    pub fn unit(self) -> Unit {
        self.row().2
    }
}

impl fmt::Display for SoilParameter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for SoilParameter {
    type Err = String;
    /// The code, ignoring ASCII case (`soil.cd` is `soil.Cd`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_code(&Self::ALL, Self::code, "soil parameter", s)
    }
}
