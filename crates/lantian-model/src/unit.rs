//! Units of measurement, carried with every value.
//!
//! GB 3095—2012 Table 1 and GB 3095—2026 Table 1 give CO in mg/m³ and SO2, NO2, O3, PM10, PM2.5
//! in µg/m³. Since the 2018 amendment gases are at the reference state (25 °C, 1013.25 hPa) and
//! particles at actual conditions; Lantian stores what the source reports and does not convert
//! between reference states (that would change published figures).

use std::fmt;
use std::str::FromStr;

/// A unit of a stored value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Unit {
    /// micrograms per cubic metre, µg/m³
    UgM3,
    /// milligrams per cubic metre, mg/m³ (CO)
    MgM3,
    /// a dimensionless index (AQI, IAQI)
    Index,
    /// degrees Celsius (temperature, dew point)
    DegC,
    /// hectopascal (pressure)
    HPa,
    /// metres per second (wind speed)
    MPerS,
    /// degrees clockwise from north (wind direction)
    Degree,
    /// millimetres (precipitation)
    Mm,
    /// hours (cumulated hours of snow or rain)
    Hours,
    /// percent (relative humidity)
    Percent,
}

impl Unit {
    /// The code used in the store and in CSV files (ASCII, stable).
    pub fn code(self) -> &'static str {
        match self {
            Unit::UgM3 => "ug/m3",
            Unit::MgM3 => "mg/m3",
            Unit::Index => "index",
            Unit::DegC => "degC",
            Unit::HPa => "hPa",
            Unit::MPerS => "m/s",
            Unit::Degree => "deg",
            Unit::Mm => "mm",
            Unit::Hours => "h",
            Unit::Percent => "%",
        }
    }

    /// Convert `value` from `self` to `to`. Only exact, dimension-preserving conversions exist
    /// (µg/m³ ↔ mg/m³); any other pair returns `None` rather than guess.
    pub fn convert(self, value: f64, to: Unit) -> Option<f64> {
        match (self, to) {
            (a, b) if a == b => Some(value),
            // Divide rather than multiply by 0.001: 300 / 1000 is exactly 0.3 in f64, while
            // 300 * 0.001 is 0.30000000000000004.
            (Unit::UgM3, Unit::MgM3) => Some(value / 1000.0),
            (Unit::MgM3, Unit::UgM3) => Some(value * 1000.0),
            _ => None,
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Unit {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        Ok(
            match t
                .to_ascii_lowercase()
                .replace('µ', "u")
                .replace('³', "3")
                .as_str()
            {
                "ug/m3" | "ugm-3" | "ug m-3" | "μg/m3" => Unit::UgM3,
                "mg/m3" | "mgm-3" | "mg m-3" => Unit::MgM3,
                "index" | "aqi" | "1" | "" => Unit::Index,
                "degc" | "c" | "°c" => Unit::DegC,
                "hpa" => Unit::HPa,
                "m/s" | "ms-1" => Unit::MPerS,
                "deg" | "degree" | "degrees" | "°" => Unit::Degree,
                "mm" => Unit::Mm,
                "h" | "hours" => Unit::Hours,
                "%" | "percent" => Unit::Percent,
                _ => {
                    // Greek mu (U+03BC) as well as micro sign (U+00B5).
                    if t.replace('μ', "u").eq_ignore_ascii_case("ug/m3") {
                        return Ok(Unit::UgM3);
                    }
                    return Err(format!("unknown unit {t:?}"));
                }
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn co_conversion_is_exact_for_uci_values() {
        // UCI gives CO in µg/m³ with values like 300, 1200, 10000.
        assert_eq!(Unit::UgM3.convert(300.0, Unit::MgM3), Some(0.3));
        assert_eq!(Unit::UgM3.convert(1200.0, Unit::MgM3), Some(1.2));
        assert_eq!(Unit::UgM3.convert(10000.0, Unit::MgM3), Some(10.0));
        assert_eq!(Unit::MgM3.convert(0.3, Unit::UgM3), Some(300.0));
        assert_eq!(Unit::DegC.convert(1.0, Unit::UgM3), None);
    }

    #[test]
    fn codes_round_trip() {
        for u in [
            Unit::UgM3,
            Unit::MgM3,
            Unit::Index,
            Unit::DegC,
            Unit::HPa,
            Unit::MPerS,
            Unit::Degree,
            Unit::Mm,
            Unit::Hours,
            Unit::Percent,
        ] {
            assert_eq!(u.code().parse::<Unit>().unwrap(), u);
        }
        assert_eq!("µg/m³".parse::<Unit>().unwrap(), Unit::UgM3);
        assert_eq!("μg/m3".parse::<Unit>().unwrap(), Unit::UgM3);
        assert!("furlongs".parse::<Unit>().is_err());
    }
}
