//! What was measured ([`Variable`]) and over which window ([`Averaging`]).
//!
//! Names follow the Chinese standards and the CNEMC file headers: `SO2`, `NO2`, `CO`, `O3`,
//! `PM10`, `PM2.5`, plus `NOx` and `TSP` (GB 3095 Table 2 "other items"). The AQI is stored as a
//! variable of its own because the sources publish it and the AQI engine is checked against it.
//!
//! Water, soil and carbon variables live in [`crate::water`], [`crate::soil`] and
//! [`crate::carbon`]; their codes carry a medium prefix ([`crate::medium`] says why), and
//! parsing tries the air codes first, exactly as before, so no existing code changes meaning.

use crate::carbon::CarbonQuantity;
use crate::medium::Medium;
use crate::soil::SoilParameter;
use crate::time::CalendarUnit;
use crate::unit::Unit;
use crate::water::WaterParameter;
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

    pub fn name_zh(self) -> &'static str {
        match self {
            MetVariable::Temperature => "气温",
            MetVariable::DewPoint => "露点温度",
            MetVariable::Pressure => "气压",
            MetVariable::Rain => "降水量",
            MetVariable::WindSpeed => "风速",
            MetVariable::WindDirection => "风向",
            MetVariable::RelativeHumidity => "相对湿度",
            MetVariable::CumulatedWindSpeed => "累计风速",
            MetVariable::CumulatedSnowHours => "累计降雪时数",
            MetVariable::CumulatedRainHours => "累计降雨时数",
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
    /// A surface-water item of GB 3838—2002 Table 1.
    Water(WaterParameter),
    /// A soil content (GB 15618—2018, GB 36600—2018) or soil pH.
    Soil(SoilParameter),
    /// An emitting unit's annual carbon-market figure.
    Carbon(CarbonQuantity),
}

impl Variable {
    pub fn code(self) -> &'static str {
        match self {
            Variable::Pollutant(p) => p.code(),
            Variable::Aqi => "AQI",
            Variable::Met(m) => m.code(),
            Variable::Water(w) => w.code(),
            Variable::Soil(s) => s.code(),
            Variable::Carbon(c) => c.code(),
        }
    }

    /// The name used in Chinese bulletins and standards.
    pub fn name_zh(self) -> &'static str {
        match self {
            Variable::Pollutant(p) => p.name_zh(),
            Variable::Aqi => "空气质量指数",
            Variable::Met(m) => m.name_zh(),
            Variable::Water(w) => w.name_zh(),
            Variable::Soil(s) => s.name_zh(),
            Variable::Carbon(c) => c.name_zh(),
        }
    }

    /// The canonical unit of the variable in the store.
    pub fn unit(self) -> Unit {
        match self {
            Variable::Pollutant(p) => p.unit(),
            Variable::Aqi => Unit::Index,
            Variable::Met(m) => m.unit(),
            Variable::Water(w) => w.unit(),
            Variable::Soil(s) => s.unit(),
            Variable::Carbon(c) => c.unit(),
        }
    }

    /// The medium the variable describes; meteorology counts as air (it comes with air data).
    pub fn medium(self) -> Medium {
        match self {
            Variable::Pollutant(_) | Variable::Aqi | Variable::Met(_) => Medium::Air,
            Variable::Water(_) => Medium::Water,
            Variable::Soil(_) => Medium::Soil,
            Variable::Carbon(_) => Medium::Carbon,
        }
    }

    /// `value` given in `unit`, in the variable's canonical unit: the exact conversions of
    /// [`Unit::convert`], plus allowances read 1 : 1 as t CO2e for the allowance quantities
    /// (see [`crate::carbon`]). `None` when the unit does not fit the variable.
    pub fn to_canonical(self, value: f64, unit: Unit) -> Option<f64> {
        if let Some(v) = unit.convert(value, self.unit()) {
            return Some(v);
        }
        match (self, unit) {
            (Variable::Carbon(c), Unit::Allowance) if c.is_allowances() => Some(value),
            _ => None,
        }
    }

    /// Every variable the model knows, air first (the six basic pollutants are followed by the
    /// other air items, the AQI and meteorology), then water, soil and carbon.
    pub fn all() -> impl Iterator<Item = Variable> {
        const AIR: [Pollutant; 8] = [
            Pollutant::So2,
            Pollutant::No2,
            Pollutant::Pm10,
            Pollutant::Pm2_5,
            Pollutant::Co,
            Pollutant::O3,
            Pollutant::Nox,
            Pollutant::Tsp,
        ];
        AIR.into_iter()
            .map(Variable::Pollutant)
            .chain(std::iter::once(Variable::Aqi))
            .chain(MetVariable::ALL.into_iter().map(Variable::Met))
            .chain(WaterParameter::ALL.into_iter().map(Variable::Water))
            .chain(SoilParameter::ALL.into_iter().map(Variable::Soil))
            .chain(CarbonQuantity::ALL.into_iter().map(Variable::Carbon))
    }
}

impl fmt::Display for Variable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Variable {
    type Err = String;
    /// Air codes are tried first, as they always were (`co` is CO). A code with a medium prefix
    /// (`water.`, `soil.`, `carbon.`, any case) is looked up in that medium's table only, and an
    /// unknown one is reported with the medium's codes.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("AQI") {
            return Ok(Variable::Aqi);
        }
        if let Ok(p) = t.parse::<Pollutant>() {
            return Ok(Variable::Pollutant(p));
        }
        if let Some(m) = MetVariable::ALL
            .into_iter()
            .find(|m| m.code().eq_ignore_ascii_case(t))
        {
            return Ok(Variable::Met(m));
        }
        match Medium::of_prefixed_code(t) {
            Some(Medium::Water) => t.parse().map(Variable::Water),
            Some(Medium::Soil) => t.parse().map(Variable::Soil),
            Some(Medium::Carbon) => t.parse().map(Variable::Carbon),
            Some(Medium::Air) | None => Err(format!("unknown variable {t:?}")),
        }
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
    /// a grab sample (瞬时样): `time_end` is the sampling instant, the window has no length
    Grab,
    /// a value for one Beijing natural day (0–24 h local, the 自然日 of HJ 663 and of the
    /// water networks' daily values); `time_end` is the midnight that ends the day
    Day,
    /// a value for one Beijing calendar month; `time_end` is the midnight that ends the month
    Month,
    /// a value for one Beijing calendar year, such as an emitting unit's verified emissions for
    /// a compliance year (the national carbon market's compliance year is the calendar year);
    /// `time_end` is the midnight that ends the year: year Y ends at (Y+1)-01-01T00:00+08:00,
    /// stored as Y-12-31T16:00:00Z (see [`crate::time::CalendarPeriod`])
    Year,
}

impl Averaging {
    pub const ALL: [Averaging; 9] = [
        Averaging::Hour1,
        Averaging::Moving8h,
        Averaging::Moving24h,
        Averaging::Max1hIn24h,
        Averaging::Max8hDayToDate,
        Averaging::Grab,
        Averaging::Day,
        Averaging::Month,
        Averaging::Year,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Averaging::Hour1 => "1h",
            Averaging::Moving8h => "8h",
            Averaging::Moving24h => "24h",
            Averaging::Max1hIn24h => "1h_max_24h",
            Averaging::Max8hDayToDate => "8h_max_day",
            Averaging::Grab => "grab",
            Averaging::Day => "day",
            Averaging::Month => "month",
            Averaging::Year => "year",
        }
    }

    /// The calendar unit of a daily, monthly or annual value, whose `time_end` must be the end
    /// of such a period; `None` for the hourly windows and grab samples.
    pub fn calendar(self) -> Option<CalendarUnit> {
        match self {
            Averaging::Day => Some(CalendarUnit::Day),
            Averaging::Month => Some(CalendarUnit::Month),
            Averaging::Year => Some(CalendarUnit::Year),
            _ => None,
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
                let known: Vec<&str> = Averaging::ALL.iter().map(|a| a.code()).collect();
                format!(
                    "unknown averaging {t:?} (expected one of {})",
                    known.join(", ")
                )
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

    #[test]
    fn every_variable_code_round_trips_and_no_two_differ_only_in_case() {
        let all: Vec<Variable> = Variable::all().collect();
        assert_eq!(all.len(), 8 + 1 + 10 + 24 + 10 + 3);
        let mut lower = std::collections::BTreeMap::new();
        for v in &all {
            assert_eq!(v.code().parse::<Variable>().unwrap(), *v, "{v}");
            assert_eq!(
                v.code().to_lowercase().parse::<Variable>().unwrap(),
                *v,
                "{v}"
            );
            assert_eq!(
                v.code().to_uppercase().parse::<Variable>().unwrap(),
                *v,
                "{v}"
            );
            assert!(v.code().is_ascii(), "{v}");
            assert!(!v.name_zh().is_empty(), "{v}");
            if let Some(prev) = lower.insert(v.code().to_ascii_lowercase(), *v) {
                panic!("{prev} and {v} differ only in case");
            }
            // The store maps stored codes back through both parsers: a variable code must
            // never read as an averaging code.
            assert!(v.code().parse::<Averaging>().is_err(), "{v}");
        }
        for a in Averaging::ALL {
            assert!(a.code().parse::<Variable>().is_err(), "{a}");
        }
    }

    #[test]
    fn air_codes_parse_exactly_as_before() {
        let air = |s: &str| s.parse::<Variable>().unwrap();
        assert_eq!(air("CO"), Variable::Pollutant(Pollutant::Co));
        assert_eq!(air("co"), Variable::Pollutant(Pollutant::Co));
        assert_eq!(air("Co"), Variable::Pollutant(Pollutant::Co));
        assert_eq!(air("pm2_5"), Variable::Pollutant(Pollutant::Pm2_5));
        assert_eq!(air("TEMP"), Variable::Met(MetVariable::Temperature));
        assert_eq!(air("PM2.5").medium(), Medium::Air);
        // A bare element symbol belongs to no medium: it must be asked for with its prefix.
        for bare in ["Cd", "pH", "COD", "DO", "Hg", "verified", "air.PM2.5"] {
            assert_eq!(
                bare.parse::<Variable>().unwrap_err(),
                format!("unknown variable {bare:?}")
            );
        }
    }

    #[test]
    fn water_and_soil_cadmium_are_different_variables() {
        let w: Variable = "water.Cd".parse().unwrap();
        let s: Variable = "SOIL.CD".parse().unwrap();
        assert_eq!(w, Variable::Water(WaterParameter::Cadmium));
        assert_eq!(s, Variable::Soil(SoilParameter::Cadmium));
        assert_ne!(w, s);
        assert_eq!((w.unit(), s.unit()), (Unit::MgL, Unit::MgKg));
        assert_eq!((w.medium(), s.medium()), (Medium::Water, Medium::Soil));
        assert_eq!((w.name_zh(), s.name_zh()), ("镉", "镉"));
        // Total chromium and chromium (VI) in soil are different measurands.
        assert_ne!(
            "soil.Cr".parse::<Variable>().unwrap(),
            "soil.Cr6+".parse::<Variable>().unwrap()
        );
        let e = "water.Cr".parse::<Variable>().unwrap_err();
        assert!(
            e.starts_with(
                "unknown water parameter \"water.Cr\" (expected one of water.temp, water.pH,"
            ),
            "{e}"
        );
    }

    #[test]
    fn units_of_the_standards() {
        use WaterParameter as W;
        assert_eq!(W::ALL.len(), 24, "GB 3838—2002 Table 1 has 24 basic items");
        assert_eq!(W::Ph.unit(), Unit::Ph);
        assert_eq!(W::Temperature.unit(), Unit::DegC);
        assert_eq!(W::FaecalColiforms.unit(), Unit::CountPerL);
        let mg_l = W::ALL.iter().filter(|w| w.unit() == Unit::MgL).count();
        assert_eq!(mg_l, 21);
        assert_eq!(SoilParameter::Ph.unit(), Unit::Ph);
        assert!(
            SoilParameter::ALL[..9]
                .iter()
                .all(|s| s.unit() == Unit::MgKg)
        );
        assert!(CarbonQuantity::ALL.iter().all(|c| c.unit() == Unit::TCo2e));
    }

    #[test]
    fn canonical_values_convert_only_where_exact() {
        let v = |s: &str| s.parse::<Variable>().unwrap();
        assert_eq!(v("water.Hg").to_canonical(0.05, Unit::MgL), Some(0.05));
        assert_eq!(v("water.Pb").to_canonical(10.0, Unit::UgL), Some(0.01));
        assert_eq!(v("water.Pb").to_canonical(10.0, Unit::UgM3), None);
        assert_eq!(v("soil.Pb").to_canonical(10.0, Unit::MgL), None);
        assert_eq!(v("soil.pH").to_canonical(6.5, Unit::Ph), Some(6.5));
        assert_eq!(v("CO").to_canonical(600.0, Unit::UgM3), Some(0.6));
        // Allowances are t CO2e one for one, for allowance quantities only.
        assert_eq!(
            v("carbon.surrendered").to_canonical(1_234_567.0, Unit::Allowance),
            Some(1_234_567.0)
        );
        assert_eq!(
            v("carbon.allocated").to_canonical(1_234_567.0, Unit::Allowance),
            Some(1_234_567.0)
        );
        assert_eq!(
            v("carbon.verified").to_canonical(1.0, Unit::Allowance),
            None
        );
        assert_eq!(
            v("carbon.verified").to_canonical(1.0, Unit::TCo2e),
            Some(1.0)
        );
    }

    #[test]
    fn new_averagings_round_trip_and_name_their_calendar() {
        for (a, c) in [
            (Averaging::Grab, None),
            (Averaging::Day, Some(CalendarUnit::Day)),
            (Averaging::Month, Some(CalendarUnit::Month)),
            (Averaging::Year, Some(CalendarUnit::Year)),
            (Averaging::Hour1, None),
            (Averaging::Moving24h, None),
        ] {
            assert_eq!(a.code().parse::<Averaging>().unwrap(), a);
            assert_eq!(a.calendar(), c, "{a}");
        }
        assert_eq!("YEAR".parse::<Averaging>().unwrap(), Averaging::Year);
        // The air windows keep their codes and their order.
        assert_eq!(
            Averaging::ALL[..5]
                .iter()
                .map(|a| a.code())
                .collect::<Vec<_>>(),
            ["1h", "8h", "24h", "1h_max_24h", "8h_max_day"]
        );
    }
}
