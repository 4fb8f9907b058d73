//! What an index is computed from: a pollutant over an averaging period.
//!
//! Index tables are keyed by indicator, not by pollutant, because the same pollutant has one
//! table per averaging period (HJ 633 has SO2 1-h and SO2 24-h columns; the EPA has O3 1-h and
//! O3 8-h). Concentrations are always in Lantian's units: µg/m³, and mg/m³ for CO (GB 3095).
//! Schemes whose tables use other units (the EPA's ppm/ppb) convert inside the scheme.

use std::fmt;

/// A pollutant and the averaging period of its concentration.
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Indicator {
    /// SO2 15-min mean (UK DAQI)
    So2_15min,
    So2_1h,
    So2_24h,
    No2_1h,
    No2_24h,
    Co_1h,
    /// CO 8-h moving mean (US EPA, India NAQI)
    Co_8h,
    Co_24h,
    O3_1h,
    /// O3 8-h moving mean (HJ 633 "O3 8小时滑动平均")
    O3_8h,
    /// PM10 1-h mean: HJ 633—2026 real-time report, rated on the 24-h table
    Pm10_1h,
    Pm10_24h,
    /// PM2.5 1-h mean: HJ 633—2026 real-time report, rated on the 24-h table
    Pm25_1h,
    Pm25_24h,
    Nh3_24h,
    Pb_24h,
}

/// Every indicator, in a stable order.
pub const ALL: [Indicator; 16] = [
    Indicator::So2_15min,
    Indicator::So2_1h,
    Indicator::So2_24h,
    Indicator::No2_1h,
    Indicator::No2_24h,
    Indicator::Co_1h,
    Indicator::Co_8h,
    Indicator::Co_24h,
    Indicator::O3_1h,
    Indicator::O3_8h,
    Indicator::Pm10_1h,
    Indicator::Pm10_24h,
    Indicator::Pm25_1h,
    Indicator::Pm25_24h,
    Indicator::Nh3_24h,
    Indicator::Pb_24h,
];

impl Indicator {
    /// The code used on the command line and in CSV/JSON output: `pm25_24h`, `o3_8h`.
    pub fn code(self) -> &'static str {
        use Indicator::*;
        match self {
            So2_15min => "so2_15min",
            So2_1h => "so2_1h",
            So2_24h => "so2_24h",
            No2_1h => "no2_1h",
            No2_24h => "no2_24h",
            Co_1h => "co_1h",
            Co_8h => "co_8h",
            Co_24h => "co_24h",
            O3_1h => "o3_1h",
            O3_8h => "o3_8h",
            Pm10_1h => "pm10_1h",
            Pm10_24h => "pm10_24h",
            Pm25_1h => "pm25_1h",
            Pm25_24h => "pm25_24h",
            Nh3_24h => "nh3_24h",
            Pb_24h => "pb_24h",
        }
    }

    /// The pollutant as bulletins name it: "PM2.5", "O3".
    pub fn pollutant_name(self) -> &'static str {
        use Indicator::*;
        match self {
            So2_15min | So2_1h | So2_24h => "SO2",
            No2_1h | No2_24h => "NO2",
            Co_1h | Co_8h | Co_24h => "CO",
            O3_1h | O3_8h => "O3",
            Pm10_1h | Pm10_24h => "PM10",
            Pm25_1h | Pm25_24h => "PM2.5",
            Nh3_24h => "NH3",
            Pb_24h => "Pb",
        }
    }

    /// The name a primary pollutant is published under (HJ 633: "O3_8h" for the 8-h value).
    pub fn published_name(self) -> &'static str {
        match self {
            Indicator::O3_8h => "O3_8h",
            other => other.pollutant_name(),
        }
    }

    /// The pollutant in the monitoring-data model, where it has one.
    pub fn pollutant(self) -> Option<lantian_model::Pollutant> {
        use Indicator::*;
        use lantian_model::Pollutant as P;
        Some(match self {
            So2_15min | So2_1h | So2_24h => P::So2,
            No2_1h | No2_24h => P::No2,
            Co_1h | Co_8h | Co_24h => P::Co,
            O3_1h | O3_8h => P::O3,
            Pm10_1h | Pm10_24h => P::Pm10,
            Pm25_1h | Pm25_24h => P::Pm2_5,
            Nh3_24h | Pb_24h => return None,
        })
    }

    /// Unit of the concentration Lantian passes in: mg/m³ for CO, µg/m³ otherwise.
    pub fn unit(self) -> &'static str {
        match self.pollutant_name() {
            "CO" => "mg/m³",
            _ => "µg/m³",
        }
    }

    /// Parse `pm25_24h`, `PM2.5_24h`, `o3-8h`, `so2_1h`… An indicator with no averaging
    /// (`pm25`, `co`) is not accepted here: which one is meant depends on the scheme, see
    /// [`crate::Standard::default_indicator`].
    pub fn parse(text: &str) -> Option<Indicator> {
        let (pollutant, averaging) = split(text)?;
        let averaging = averaging?;
        ALL.into_iter()
            .find(|i| i.pollutant_name().eq_ignore_ascii_case(pollutant) && suffix(*i) == averaging)
    }

    /// The averaging suffix: "1h", "8h", "24h", "15min".
    pub fn averaging(self) -> &'static str {
        suffix(self)
    }
}

fn suffix(i: Indicator) -> &'static str {
    let code = i.code();
    &code[code.rfind('_').map_or(0, |p| p + 1)..]
}

/// Split user text into a canonical pollutant name and an optional averaging suffix.
pub(crate) fn split(text: &str) -> Option<(&'static str, Option<&'static str>)> {
    let t = text.trim().to_ascii_lowercase().replace(['-', ' '], "_");
    let (p, a) = match t.rsplit_once('_') {
        Some((p, a)) if ["15min", "1h", "8h", "24h"].contains(&a) => (p.to_string(), Some(a)),
        _ => (t.clone(), None),
    };
    let pollutant = match p.replace('.', "").as_str() {
        "so2" => "SO2",
        "no2" => "NO2",
        "co" => "CO",
        "o3" => "O3",
        "pm10" => "PM10",
        "pm25" => "PM2.5",
        "nh3" => "NH3",
        "pb" => "Pb",
        _ => return None,
    };
    let averaging = a.map(|a| match a {
        "15min" => "15min",
        "1h" => "1h",
        "8h" => "8h",
        _ => "24h",
    });
    Some((pollutant, averaging))
}

/// Serialised as its code (`"pm25_24h"`), the name scripts and the CLI use.
impl serde::Serialize for Indicator {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl fmt::Display for Indicator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for i in ALL {
            assert_eq!(Indicator::parse(i.code()), Some(i), "{i}");
        }
        assert_eq!(Indicator::parse("PM2.5_24h"), Some(Indicator::Pm25_24h));
        assert_eq!(Indicator::parse("o3-8h"), Some(Indicator::O3_8h));
        assert_eq!(Indicator::parse("pm25"), None);
        assert_eq!(Indicator::parse("xx_1h"), None);
        assert_eq!(Indicator::O3_8h.published_name(), "O3_8h");
        assert_eq!(Indicator::O3_1h.published_name(), "O3");
    }
}
