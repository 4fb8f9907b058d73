//! What was measured ([`Variable`]) and over which window ([`Averaging`]).
//!
//! Names follow the Chinese standards and the CNEMC file headers: `SO2`, `NO2`, `CO`, `O3`,
//! `PM10`, `PM2.5`, plus `NOx` and `TSP` (GB 3095 Table 2 "other items"). The AQI is stored as a
//! variable of its own because the sources publish it and the AQI engine is checked against it.

use crate::unit::Unit;
use std::fmt;
use std::str::FromStr;

/// An air pollutant of GB 3095.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Pollutant {
    So2,
    No2,
    Co,
    O3,
    Pm10,
    Pm2_5,
    /// nitrogen oxides, as NO2 (GB 3095—2012 Table 2)
    Nox,
    /// total suspended particles (GB 3095—2012 Table 2)
    Tsp,
}

impl Pollutant {
    /// The six basic items of GB 3095 (Table 1), in the order bulletins list them.
    pub const BASIC: [Pollutant; 6] = [
        Pollutant::So2,
        Pollutant::No2,
        Pollutant::Pm10,
        Pollutant::Pm2_5,
        Pollutant::Co,
        Pollutant::O3,
    ];

    /// The code used in CNEMC headers and in the store.
    pub fn code(self) -> &'static str {
        match self {
            Pollutant::So2 => "SO2",
            Pollutant::No2 => "NO2",
            Pollutant::Co => "CO",
            Pollutant::O3 => "O3",
            Pollutant::Pm10 => "PM10",
            Pollutant::Pm2_5 => "PM2.5",
            Pollutant::Nox => "NOx",
            Pollutant::Tsp => "TSP",
        }
    }

    /// Chinese name as used in bulletins.
    pub fn name_zh(self) -> &'static str {
        match self {
            Pollutant::So2 => "二氧化硫",
            Pollutant::No2 => "二氧化氮",
            Pollutant::Co => "一氧化碳",
            Pollutant::O3 => "臭氧",
            Pollutant::Pm10 => "可吸入颗粒物",
            Pollutant::Pm2_5 => "细颗粒物",
            Pollutant::Nox => "氮氧化物",
            Pollutant::Tsp => "总悬浮颗粒物",
        }
    }

    /// The unit GB 3095 uses for the pollutant: CO in mg/m³, everything else in µg/m³.
    pub fn unit(self) -> Unit {
        match self {
            Pollutant::Co => Unit::MgM3,
            _ => Unit::UgM3,
        }
    }

    /// Above this an hourly concentration is physically implausible for ambient air and is
    /// flagged `Doubtful` (never removed). The bounds are deliberately generous: Beijing's dust
    /// storm of March 2023 gave real hourly PM10 above 5,000 µg/m³, and HJ 633's tables end at
    /// PM2.5 500, PM10 600, SO2 2,620, NO2 3,840 (1 h), CO 150 mg/m³ (1 h) and O3 1,200 (1 h);
    /// the bounds sit well above the real extremes seen in the 2014–2024 Beijing files.
    pub fn implausible_above(self) -> f64 {
        match self {
            Pollutant::So2 => 5_000.0,
            Pollutant::No2 => 4_000.0,
            Pollutant::Co => 150.0,
            Pollutant::O3 => 1_500.0,
            Pollutant::Pm10 => 20_000.0,
            Pollutant::Pm2_5 => 5_000.0,
            Pollutant::Nox => 10_000.0,
            Pollutant::Tsp => 30_000.0,
        }
    }
}

impl fmt::Display for Pollutant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Pollutant {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(
            match s
                .trim()
                .to_ascii_uppercase()
                .replace(['_', ' '], "")
                .as_str()
            {
                "SO2" => Pollutant::So2,
                "NO2" => Pollutant::No2,
                "CO" => Pollutant::Co,
                "O3" => Pollutant::O3,
                "PM10" => Pollutant::Pm10,
                "PM2.5" | "PM25" => Pollutant::Pm2_5,
                "NOX" => Pollutant::Nox,
                "TSP" => Pollutant::Tsp,
                _ => return Err(format!("unknown pollutant {s:?}")),
            },
        )
    }
}

/// Meteorological variables that come with some data sets (UCI, AQEval) and that the weather
/// normalisation needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MetVariable {
    /// air temperature, °C
    Temperature,
    /// dew point, °C
    DewPoint,
    /// station pressure, hPa
    Pressure,
    /// precipitation in the hour, mm
    Rain,
    /// wind speed, m/s
    WindSpeed,
    /// wind direction, degrees from north (sector centre where the source gives a compass point)
    WindDirection,
    /// relative humidity, %
    RelativeHumidity,
    /// cumulated wind speed, m/s (UCI US-embassy `Iws`)
    CumulatedWindSpeed,
    /// cumulated hours of snow (UCI US-embassy `Is`)
    CumulatedSnowHours,
    /// cumulated hours of rain (UCI US-embassy `Ir`)
    CumulatedRainHours,
}

impl MetVariable {
    pub const ALL: [MetVariable; 10] = [
        MetVariable::Temperature,
        MetVariable::DewPoint,
        MetVariable::Pressure,
        MetVariable::Rain,
        MetVariable::WindSpeed,
        MetVariable::WindDirection,
        MetVariable::RelativeHumidity,
        MetVariable::CumulatedWindSpeed,
        MetVariable::CumulatedSnowHours,
        MetVariable::CumulatedRainHours,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MetVariable::Temperature => "temp",
            MetVariable::DewPoint => "dewp",
            MetVariable::Pressure => "pres",
            MetVariable::Rain => "rain",
            MetVariable::WindSpeed => "ws",
            MetVariable::WindDirection => "wd",
            MetVariable::RelativeHumidity => "rh",
            MetVariable::CumulatedWindSpeed => "iws",
            MetVariable::CumulatedSnowHours => "is",
            MetVariable::CumulatedRainHours => "ir",
        }
    }

    pub fn unit(self) -> Unit {
        match self {
            MetVariable::Temperature | MetVariable::DewPoint => Unit::DegC,
            MetVariable::Pressure => Unit::HPa,
            MetVariable::Rain => Unit::Mm,
            MetVariable::WindSpeed | MetVariable::CumulatedWindSpeed => Unit::MPerS,
            MetVariable::WindDirection => Unit::Degree,
            MetVariable::RelativeHumidity => Unit::Percent,
            MetVariable::CumulatedSnowHours | MetVariable::CumulatedRainHours => Unit::Hours,
        }
    }
}

/// Anything a value can be a measurement of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Variable {
    Pollutant(Pollutant),
    /// The Air Quality Index as published by the source (HJ 633).
    Aqi,
    Met(MetVariable),
}

impl Variable {
    pub fn code(self) -> &'static str {
        match self {
            Variable::Pollutant(p) => p.code(),
            Variable::Aqi => "AQI",
            Variable::Met(m) => m.code(),
        }
    }

    /// The canonical unit of the variable in the store.
    pub fn unit(self) -> Unit {
        match self {
            Variable::Pollutant(p) => p.unit(),
            Variable::Aqi => Unit::Index,
            Variable::Met(m) => m.unit(),
        }
    }
}

impl fmt::Display for Variable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Variable {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("AQI") {
            return Ok(Variable::Aqi);
        }
        if let Ok(p) = t.parse::<Pollutant>() {
            return Ok(Variable::Pollutant(p));
        }
        MetVariable::ALL
            .into_iter()
            .find(|m| m.code().eq_ignore_ascii_case(t))
            .map(Variable::Met)
            .ok_or_else(|| format!("unknown variable {t:?}"))
    }
}

/// The averaging window of a value. Every window is identified by the hour it ends in
/// (see [`crate::time`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Averaging {
    /// a 1-hour mean (or, for met variables, the hourly observation)
    Hour1,
    /// the 8-hour moving mean ending at this hour (CNEMC `O3_8h`)
    Moving8h,
    /// the 24-hour moving mean ending at this hour (CNEMC `PM2.5_24h`, `SO2_24h`, ...)
    Moving24h,
    /// the maximum 1-hour value within the 24 hours ending at this hour (CNEMC `O3_24h`: for
    /// O3 the `_24h` row is a moving maximum, not a mean; on 1003A, 2023-01-21 06:00–15:00 it
    /// equals the maximum of the last 24 hourly O3 values, 59, while their mean was 37–42)
    Max1hIn24h,
    /// the maximum 8-hour moving mean from the first hour of the natural day to this hour
    /// (CNEMC `O3_8h_24h`; on 1003A, 2023-01-21 it stays at 29 from 06:00 to 12:00 and then
    /// follows `O3_8h` up, while the last 24 h held 8-h means up to 56)
    Max8hDayToDate,
}

impl Averaging {
    pub const ALL: [Averaging; 5] = [
        Averaging::Hour1,
        Averaging::Moving8h,
        Averaging::Moving24h,
        Averaging::Max1hIn24h,
        Averaging::Max8hDayToDate,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Averaging::Hour1 => "1h",
            Averaging::Moving8h => "8h",
            Averaging::Moving24h => "24h",
            Averaging::Max1hIn24h => "1h_max_24h",
            Averaging::Max8hDayToDate => "8h_max_day",
        }
    }
}

impl fmt::Display for Averaging {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Averaging {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        Averaging::ALL
            .into_iter()
            .find(|a| a.code().eq_ignore_ascii_case(t))
            .ok_or_else(|| {
                format!("unknown averaging {t:?} (expected 1h, 8h, 24h, 1h_max_24h or 8h_max_day)")
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pollutant_codes_round_trip() {
        for p in [
            Pollutant::So2,
            Pollutant::No2,
            Pollutant::Co,
            Pollutant::O3,
            Pollutant::Pm10,
            Pollutant::Pm2_5,
            Pollutant::Nox,
            Pollutant::Tsp,
        ] {
            assert_eq!(p.code().parse::<Pollutant>().unwrap(), p);
            assert_eq!(
                p.code().parse::<Variable>().unwrap(),
                Variable::Pollutant(p)
            );
        }
        assert_eq!("pm25".parse::<Pollutant>().unwrap(), Pollutant::Pm2_5);
        assert!("PM1".parse::<Pollutant>().is_err());
    }

    #[test]
    fn only_co_is_in_mg() {
        for p in Pollutant::BASIC {
            let want = if p == Pollutant::Co {
                Unit::MgM3
            } else {
                Unit::UgM3
            };
            assert_eq!(p.unit(), want, "{p}");
        }
    }

    #[test]
    fn met_and_averaging_codes_round_trip() {
        for m in MetVariable::ALL {
            assert_eq!(m.code().parse::<Variable>().unwrap(), Variable::Met(m));
        }
        for a in Averaging::ALL {
            assert_eq!(a.code().parse::<Averaging>().unwrap(), a);
        }
        assert_eq!("aqi".parse::<Variable>().unwrap(), Variable::Aqi);
    }
}
