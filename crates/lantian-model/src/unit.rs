//! Units of measurement, carried with every value.
//!
//! GB 3095—2012 Table 1 and GB 3095—2026 Table 1 give CO in mg/m³ and SO2, NO2, O3, PM10, PM2.5
//! in µg/m³. Since the 2018 amendment gases are at the reference state (25 °C, 1013.25 hPa) and
//! particles at actual conditions; Lantian stores what the source reports and does not convert
//! between reference states (that would change published figures).
//!
//! The other media: GB 3838—2002 Table 1 gives surface-water items in mg/L (pH dimensionless,
//! faecal coliforms per litre), GB 15618—2018 and GB 36600—2018 give soil contents in mg/kg of
//! dry soil, and the carbon market counts in t CO2e. The only conversions are the exact,
//! dimension-preserving factors of 1000 (µg/m³ ↔ mg/m³, µg/L ↔ mg/L); a mass concentration in
//! water is never converted to or from one in air or soil.

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
    /// milligrams per litre, mg/L (surface water, GB 3838—2002 Table 1)
    MgL,
    /// micrograms per litre, µg/L (trace metals as laboratories often report them)
    UgL,
    /// milligrams per kilogram of dry soil, mg/kg (GB 15618—2018, GB 36600—2018)
    MgKg,
    /// pH units (dimensionless; water and soil pH)
    Ph,
    /// a count per litre (faecal coliforms, GB 3838—2002 Table 1 item 24: 个/L)
    CountPerL,
    /// tonnes of CO2 equivalent (verified emissions, allowances)
    TCo2e,
    /// carbon-market allowances (one allowance is one t CO2e, see [`crate::carbon`])
    Allowance,
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
            Unit::MgL => "mg/L",
            Unit::UgL => "ug/L",
            Unit::MgKg => "mg/kg",
            Unit::Ph => "pH",
            Unit::CountPerL => "count/L",
            Unit::TCo2e => "tCO2e",
            Unit::Allowance => "allowance",
        }
    }

    /// Convert `value` from `self` to `to`. Only exact, dimension-preserving conversions exist
    /// (µg/m³ ↔ mg/m³, µg/L ↔ mg/L); any other pair returns `None` rather than guess.
    /// Allowances are not a physical unit: their 1 : 1 reading as t CO2e depends on the
    /// variable and lives in [`crate::Variable::to_canonical`].
    pub fn convert(self, value: f64, to: Unit) -> Option<f64> {
        match (self, to) {
            (a, b) if a == b => Some(value),
            // Divide rather than multiply by 0.001: 300 / 1000 is exactly 0.3 in f64, while
            // 300 * 0.001 is 0.30000000000000004.
            (Unit::UgM3, Unit::MgM3) => Some(value / 1000.0),
            (Unit::MgM3, Unit::UgM3) => Some(value * 1000.0),
            (Unit::UgL, Unit::MgL) => Some(value / 1000.0),
            (Unit::MgL, Unit::UgL) => Some(value * 1000.0),
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
                "mg/l" | "mgl-1" | "mg l-1" => Unit::MgL,
                "ug/l" | "μg/l" | "ugl-1" | "ug l-1" => Unit::UgL,
                "mg/kg" | "mgkg-1" | "mg kg-1" => Unit::MgKg,
                "ph" => Unit::Ph,
                "count/l" | "个/l" | "mpn/l" => Unit::CountPerL,
                "tco2e" | "t co2e" | "tco2eq" | "t co2eq" | "t co2-eq" => Unit::TCo2e,
                "allowance" | "allowances" => Unit::Allowance,
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
            Unit::MgL,
            Unit::UgL,
            Unit::MgKg,
            Unit::Ph,
            Unit::CountPerL,
            Unit::TCo2e,
            Unit::Allowance,
        ] {
            assert_eq!(u.code().parse::<Unit>().unwrap(), u);
        }
        assert_eq!("µg/m³".parse::<Unit>().unwrap(), Unit::UgM3);
        assert_eq!("μg/m3".parse::<Unit>().unwrap(), Unit::UgM3);
        assert!("furlongs".parse::<Unit>().is_err());
        assert_eq!("µg/L".parse::<Unit>().unwrap(), Unit::UgL);
        assert_eq!("μg/L".parse::<Unit>().unwrap(), Unit::UgL);
        assert_eq!("MG/L".parse::<Unit>().unwrap(), Unit::MgL);
        assert_eq!("个/L".parse::<Unit>().unwrap(), Unit::CountPerL);
        assert_eq!("t CO2e".parse::<Unit>().unwrap(), Unit::TCo2e);
        // A bare "t" says nothing about what is weighed.
        assert!("t".parse::<Unit>().is_err());
    }

    #[test]
    fn water_conversion_is_the_exact_factor_1000() {
        // Dividing an exactly representable number by 1000 gives the double nearest to the
        // decimal result, so these compare equal to the literals.
        assert_eq!(Unit::UgL.convert(50.0, Unit::MgL), Some(0.05));
        assert_eq!(Unit::UgL.convert(1.5, Unit::MgL), Some(0.0015));
        assert_eq!(Unit::UgL.convert(0.5, Unit::MgL), Some(0.0005));
        assert_eq!(Unit::MgL.convert(0.005, Unit::UgL), Some(5.0));
        assert_eq!(Unit::MgL.convert(1.0, Unit::MgL), Some(1.0));
    }

    #[test]
    fn no_conversion_across_media_or_dimensions() {
        // Same numbers of mg, different things: never converted.
        assert_eq!(Unit::MgL.convert(1.0, Unit::MgM3), None);
        assert_eq!(Unit::MgM3.convert(1.0, Unit::MgL), None);
        assert_eq!(Unit::MgKg.convert(1.0, Unit::MgL), None);
        assert_eq!(Unit::UgL.convert(1.0, Unit::UgM3), None);
        assert_eq!(Unit::Ph.convert(7.0, Unit::Index), None);
        // Allowances are read as t CO2e only for allowance quantities (Variable::to_canonical).
        assert_eq!(Unit::Allowance.convert(1.0, Unit::TCo2e), None);
    }
}
