//! The five campaigns of the city's ecological-environment work (the seed's "five major
//! areas"): 蓝天 (blue sky: air), 碧水 (clear water), 净土 (pure land: soil), 应对气候变化
//! (climate), 生态 (ecology).

use serde::{Deserialize, Serialize};
use std::fmt;

/// One of the five campaigns, in the order the city's reports give them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Campaign {
    /// 蓝天保卫战: air.
    BlueSky,
    /// 碧水攻坚战: surface water, drinking water, sewage.
    ClearWater,
    /// 净土持久战: soil, solid waste.
    PureLand,
    /// 应对气候变化: carbon, energy, new-energy vehicles.
    Climate,
    /// 生态保护: parks, green space, biodiversity, GEP-R.
    Ecology,
}

impl Campaign {
    pub const ALL: [Campaign; 5] = [
        Campaign::BlueSky,
        Campaign::ClearWater,
        Campaign::PureLand,
        Campaign::Climate,
        Campaign::Ecology,
    ];

    /// The code as written in a plan file (`blue_sky`).
    pub fn code(self) -> &'static str {
        match self {
            Campaign::BlueSky => "blue_sky",
            Campaign::ClearWater => "clear_water",
            Campaign::PureLand => "pure_land",
            Campaign::Climate => "climate",
            Campaign::Ecology => "ecology",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Campaign::BlueSky => "蓝天保卫战",
            Campaign::ClearWater => "碧水攻坚战",
            Campaign::PureLand => "净土持久战",
            Campaign::Climate => "应对气候变化",
            Campaign::Ecology => "生态保护",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Campaign::BlueSky => "Blue sky (air)",
            Campaign::ClearWater => "Clear water",
            Campaign::PureLand => "Pure land (soil)",
            Campaign::Climate => "Climate",
            Campaign::Ecology => "Ecology",
        }
    }

    /// A campaign from its code (any ASCII case, `-` or `_`), English or Chinese name, or the
    /// short Chinese name (蓝天, 碧水, 净土, 气候, 生态).
    pub fn parse(s: &str) -> Option<Campaign> {
        let t = s.trim();
        let code = t.replace('-', "_");
        Campaign::ALL.into_iter().find(|c| {
            c.code().eq_ignore_ascii_case(&code)
                || c.name_en().eq_ignore_ascii_case(t)
                || c.name_zh() == t
                || c.short_zh() == t
        })
    }

    fn short_zh(self) -> &'static str {
        match self {
            Campaign::BlueSky => "蓝天",
            Campaign::ClearWater => "碧水",
            Campaign::PureLand => "净土",
            Campaign::Climate => "气候",
            Campaign::Ecology => "生态",
        }
    }
}

impl fmt::Display for Campaign {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_back() {
        for c in Campaign::ALL {
            assert_eq!(Campaign::parse(c.code()), Some(c));
            assert_eq!(Campaign::parse(c.name_zh()), Some(c));
            assert_eq!(Campaign::parse(c.name_en()), Some(c));
            assert_eq!(Campaign::parse(c.short_zh()), Some(c));
        }
        assert_eq!(Campaign::parse("Blue-Sky"), Some(Campaign::BlueSky));
        assert_eq!(Campaign::parse("air"), None);
    }
}
