//! The environmental medium a value describes, and the prefix of its variable codes.
//!
//! Air variables keep the bare codes the CNEMC files and the existing stores use (`PM2.5`,
//! `CO`, `AQI`, `temp`). Every other medium's code carries the medium as a prefix
//! (`water.Cd`, `soil.Cd`, `carbon.verified`), for three reasons:
//! - the same element is a different measurand in each medium: cadmium in surface water is a
//!   mass concentration in mg/L judged against GB 3838—2002 Table 1 item 16, cadmium in soil a
//!   dry-mass content in mg/kg judged against GB 15618—2018 Table 1 / GB 36600—2018 Table 1;
//!   one code for both would put two units and two standards under one key;
//! - codes are read case-insensitively (`co` is CO, as it always was), and chemistry is not
//!   case-safe: soil cobalt (GB 36600 Table 2) is `Co`, the air pollutant is `CO`. A dot never
//!   occurs in an air code other than `PM2.5`, so no prefixed code can ever parse as, or be
//!   shadowed by, an air code;
//! - a stored code says by itself which medium's rules apply, without the site registry.

use std::fmt;
use std::str::FromStr;

/// An environmental medium (or, for emissions, the accounting domain).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Medium {
    /// ambient air (GB 3095)
    Air,
    /// surface water (GB 3838)
    Water,
    /// soil (GB 15618, GB 36600)
    Soil,
    /// greenhouse-gas emissions and allowances of emitting units (the national carbon market)
    Carbon,
}

impl Medium {
    pub const ALL: [Medium; 4] = [Medium::Air, Medium::Water, Medium::Soil, Medium::Carbon];

    /// The medium's code, also the prefix (before the `.`) of its variable codes; air variables
    /// have no prefix.
    pub fn code(self) -> &'static str {
        match self {
            Medium::Air => "air",
            Medium::Water => "water",
            Medium::Soil => "soil",
            Medium::Carbon => "carbon",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Medium::Air => "环境空气",
            Medium::Water => "地表水",
            Medium::Soil => "土壤",
            Medium::Carbon => "碳排放",
        }
    }

    /// The medium whose prefix `code` carries (`water.COD` → water), if any.
    pub fn of_prefixed_code(code: &str) -> Option<Medium> {
        let (prefix, _) = code.trim().split_once('.')?;
        [Medium::Water, Medium::Soil, Medium::Carbon]
            .into_iter()
            .find(|m| m.code().eq_ignore_ascii_case(prefix))
    }
}

impl fmt::Display for Medium {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Medium {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        Medium::ALL
            .into_iter()
            .find(|m| m.code().eq_ignore_ascii_case(t))
            .ok_or_else(|| format!("unknown medium {t:?} (expected air, water, soil or carbon)"))
    }
}

/// Find the entry of `all` whose code equals `s` ignoring ASCII case, or say which codes exist.
pub(crate) fn parse_code<T: Copy>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    what: &str,
    s: &str,
) -> Result<T, String> {
    let t = s.trim();
    all.iter()
        .copied()
        .find(|x| code(*x).eq_ignore_ascii_case(t))
        .ok_or_else(|| {
            let known: Vec<&str> = all.iter().map(|x| code(*x)).collect();
            format!(
                "unknown {what} {t:?} (expected one of {})",
                known.join(", ")
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_name_their_medium_and_air_has_none() {
        assert_eq!(Medium::of_prefixed_code("water.Cd"), Some(Medium::Water));
        assert_eq!(Medium::of_prefixed_code("SOIL.cd"), Some(Medium::Soil));
        assert_eq!(
            Medium::of_prefixed_code("carbon.verified"),
            Some(Medium::Carbon)
        );
        assert_eq!(Medium::of_prefixed_code("PM2.5"), None);
        assert_eq!(Medium::of_prefixed_code("air.PM2.5"), None);
        assert_eq!(Medium::of_prefixed_code("Cd"), None);
        for m in Medium::ALL {
            assert_eq!(m.code().parse::<Medium>().unwrap(), m);
        }
        assert!("sea".parse::<Medium>().is_err());
    }
}
