//! Emitting units' annual figures in the national carbon market: verified emissions and the
//! allowances allocated and surrendered for a compliance year.
//!
//! All three are stored in t CO2e. One allowance is by definition one tonne of CO2 equivalent
//! (《碳排放权交易管理办法（试行）》, 2020, art. 42: "1个单位碳排放配额相当于向大气排放1吨的二氧化碳
//! 当量"; the EU ETS Directive 2003/87/EC art. 3(a) defines its allowance the same way; both
//! quoted from memory, not re-read against the official texts here), so allowance counts
//! convert to t CO2e exactly, 1 : 1 — but only for the allowance quantities: verified
//! emissions are a mass, and a file that gives them in allowances is refused rather than read
//! (see [`crate::Variable::to_canonical`]).
//!
//! A figure covers one compliance year, which for the national market is the calendar year;
//! it is stored with averaging `year` and `time_end` at the end of that year in Beijing time
//! (see [`crate::time::CalendarPeriod`]).

use crate::medium::parse_code;
use crate::unit::Unit;
use std::fmt;
use std::str::FromStr;

/// A quantity of an emitting unit for a compliance year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CarbonQuantity {
    /// 经核查的排放量: the emissions confirmed by the verification (核查) of the year's report
    VerifiedEmissions,
    /// 分配的配额: allowances allocated for the year
    AllocatedAllowances,
    /// 清缴的配额: allowances surrendered for the year (清缴履约)
    SurrenderedAllowances,
}

impl CarbonQuantity {
    pub const ALL: [CarbonQuantity; 3] = [
        CarbonQuantity::VerifiedEmissions,
        CarbonQuantity::AllocatedAllowances,
        CarbonQuantity::SurrenderedAllowances,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CarbonQuantity::VerifiedEmissions => "carbon.verified",
            CarbonQuantity::AllocatedAllowances => "carbon.allocated",
            CarbonQuantity::SurrenderedAllowances => "carbon.surrendered",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            CarbonQuantity::VerifiedEmissions => "核查排放量",
            CarbonQuantity::AllocatedAllowances => "配额分配量",
            CarbonQuantity::SurrenderedAllowances => "配额清缴量",
        }
    }

    /// t CO2e for all three.
    pub fn unit(self) -> Unit {
        Unit::TCo2e
    }

    /// Whether the quantity counts allowances (and so may be given in allowances).
    pub fn is_allowances(self) -> bool {
        !matches!(self, CarbonQuantity::VerifiedEmissions)
    }
}

impl fmt::Display for CarbonQuantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for CarbonQuantity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_code(&Self::ALL, Self::code, "carbon quantity", s)
    }
}
