//! The words a request is made of, parsed once: which stations form an area, how its day is
//! formed, which AQI edition and which limits apply, what to do about sand-dust days, what the
//! baseline is, and targets.
//!
//! Every option reads from its text form with [`FromStr`] and writes it back with `Display` and
//! serde, in the same spelling: the command line parses `--stations national` with the
//! `FromStr` of [`StationSet`], the HTTP API parses `stations=national` with the same, and the
//! JSON answer says `"stations": "national"`.
//!
//! ```
//! use lantian_app::options::{Baseline, Method, StationSet, Target};
//!
//! assert_eq!("national".parse::<StationSet>().unwrap(), StationSet::National);
//! assert_eq!(Method::StationDays.to_string(), "station-days");
//! assert_eq!("none".parse::<Baseline>().unwrap(), Baseline::None);
//! assert_eq!("PM2.5=30".parse::<Target>().unwrap(), Target::Mean("PM2.5", 30.0));
//! assert!("PM2.5".parse::<Target>().is_err());
//! ```

use crate::error::AppError;
use lantian_aqi::Standard;
use lantian_assess::composite::{GB3095_2012, GB3095_2026_FINAL, GB3095_2026_TRANSITIONAL, Limits};
use lantian_assess::days::DayPractice;
use lantian_assess::period::Period;
use lantian_assess::region::CityMethod;
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

/// A word that is not one of an option's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{given}' is not one of {}", expected.join(", "))]
pub struct UnknownValue {
    pub given: String,
    pub expected: &'static [&'static str],
}

/// An option whose values are a fixed list of words: `FromStr`, `Display` and serde from one
/// table.
macro_rules! word_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            /// The words, in the order of the variants.
            pub const NAMES: &'static [&'static str] = &[$($word),+];
            /// The word of this value.
            pub fn word(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }
        }

        impl FromStr for $name {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<Self, UnknownValue> {
                match s.trim() {
                    $($word => Ok($name::$variant),)+
                    other => Err(UnknownValue { given: other.to_string(), expected: Self::NAMES }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.word())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.word())
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some(Self::NAMES.iter().copied()))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($name))
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

word_enum! {
    /// Which registry stations form an area's value.
    StationSet {
        /// Urban and suburban assessment stations (no control, regional or traffic sites):
        /// HJ 663's city value.
        #[default]
        Assessment = "assessment",
        /// Stations with a national (CNEMC) code.
        National = "national",
        /// Every registry station in the region.
        All = "all",
    }
}

word_enum! {
    /// How an area's daily value is formed.
    Method {
        /// The mean of the stations' daily values (HJ 663 §5.2).
        #[default]
        StationDays = "station-days",
        /// The daily value of the area's hourly mean.
        HourlyMean = "hourly-mean",
    }
}

impl Method {
    pub fn city_method(self) -> CityMethod {
        match self {
            Method::StationDays => CityMethod::MeanOfStationDays,
            Method::HourlyMean => CityMethod::DayOfAreaHourlyMean,
        }
    }
}

word_enum! {
    /// Whose way of counting days by AQI category.
    DayRule {
        /// The standard's text, the area's day formed like its concentrations (HJ 633—2012
        /// rates a day lacking a pollutant on the others; HJ 633—2026 §5.3 leaves it NA
        /// unless above 100).
        #[default]
        Standard = "standard",
        /// Beijing's published counts: the day of the city's hourly mean series, a day
        /// lacking a pollutant counted only above 100 (docs/assessment.md, "Day counts as
        /// published").
        Beijing = "beijing",
    }
}

impl DayRule {
    pub fn practice(self) -> DayPractice {
        match self {
            DayRule::Standard => DayPractice::Standard,
            DayRule::Beijing => DayPractice::Beijing,
        }
    }
}

word_enum! {
    /// The concentration limits of the composite index and of compliance.
    LimitsChoice {
        /// GB 3095—2012 Grade II.
        #[default]
        Gb3095_2012 = "gb3095-2012",
        /// GB 3095—2026, the transitional limits.
        Gb3095_2026Transitional = "gb3095-2026-transitional",
        /// GB 3095—2026, the final limits.
        Gb3095_2026Final = "gb3095-2026-final",
    }
}

impl LimitsChoice {
    pub fn limits(self) -> &'static Limits {
        match self {
            LimitsChoice::Gb3095_2012 => &GB3095_2012,
            LimitsChoice::Gb3095_2026Transitional => &GB3095_2026_TRANSITIONAL,
            LimitsChoice::Gb3095_2026Final => &GB3095_2026_FINAL,
        }
    }
}

word_enum! {
    /// What to do about sand-dust days when no official list is given.
    DustChoice {
        /// Detect them (PM10 > 150 and PM2.5/PM10 ≤ 0.35; docs/assessment.md).
        #[default]
        Detect = "detect",
        /// No deduction.
        None = "none",
    }
}

word_enum! {
    /// A table of a region's districts or of its stations.
    By {
        #[default]
        District = "district",
        Station = "station",
    }
}

word_enum! {
    /// The language of a bulletin.
    Language {
        #[default]
        Zh = "zh",
        En = "en",
    }
}

impl From<Language> for lantian_report::document::Lang {
    fn from(l: Language) -> Self {
        match l {
            Language::Zh => lantian_report::document::Lang::Zh,
            Language::En => lantian_report::document::Lang::En,
        }
    }
}

word_enum! {
    /// A chart of the bulletin.
    ChartKind {
        /// The daily AQI calendar (openair's `calendarPlot`).
        #[default]
        Calendar = "calendar",
        /// Monthly PM2.5 against the same months a year earlier.
        Monthly = "monthly",
        /// The districts coloured by PM2.5.
        Map = "map",
        /// Daily concentrations.
        Timeseries = "timeseries",
        /// openair's `timeVariation`: hour of day and day of week.
        Variation = "variation",
        /// The Theil–Sen trend with its band.
        Trend = "trend",
    }
}

word_enum! {
    /// The form of a bulletin.
    ReportFormat {
        #[default]
        Md = "md",
        Html = "html",
        Pdf = "pdf",
        /// The figures behind the report (every number it shows).
        Json = "json",
    }
}

/// The AQI edition of a request: the one in force on each date (`auto`, the default), or one
/// chosen for the whole period.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StandardChoice(pub Option<Standard>);

impl FromStr for StandardChoice {
    type Err = lantian_aqi::AqiError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "" | "auto" => Ok(StandardChoice(None)),
            s => Standard::parse(s).map(|s| StandardChoice(Some(s))),
        }
    }
}

impl fmt::Display for StandardChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            None => f.write_str("auto"),
            Some(s) => f.write_str(s.id()),
        }
    }
}

/// What a period is compared with.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Baseline {
    /// The same period a year earlier (a bulletin's 同比).
    #[default]
    PreviousYear,
    /// No comparison.
    None,
    /// A period given.
    Period(Period),
}

impl Baseline {
    /// The baseline period of `period`, if any.
    pub fn of(&self, period: &Period) -> Option<Period> {
        match self {
            Baseline::PreviousYear => Some(period.previous_year()),
            Baseline::None => None,
            Baseline::Period(p) => Some(p.clone()),
        }
    }
}

impl FromStr for Baseline {
    type Err = lantian_assess::period::PeriodError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "none" => Ok(Baseline::None),
            s => Period::parse(s).map(Baseline::Period),
        }
    }
}

/// An annual target: a published annual mean at most a value, or at least so many
/// excellent-or-good days.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    /// `PM2.5=30`: the pollutant's annual mean at most the value (PM2.5, PM10, NO2, SO2).
    Mean(&'static str, f64),
    /// `good-days=280`: at least so many excellent-or-good days in the year.
    GoodDays(usize),
}

impl FromStr for Target {
    type Err = AppError;
    fn from_str(t: &str) -> Result<Self, AppError> {
        let bad = |reason: String| AppError::BadTarget {
            value: t.to_string(),
            reason,
        };
        let (k, v) = t
            .split_once('=')
            .ok_or_else(|| bad("expected NAME=VALUE, e.g. PM2.5=30".into()))?;
        let k = k.trim();
        if k.eq_ignore_ascii_case("good-days") {
            return v
                .trim()
                .parse()
                .map(Target::GoodDays)
                .map_err(|_| bad(format!("'{v}' is not a number of days")));
        }
        let p = match k.to_uppercase().replace('_', ".").as_str() {
            "PM2.5" | "PM25" => "PM2.5",
            "PM10" => "PM10",
            "NO2" => "NO2",
            "SO2" => "SO2",
            _ => {
                return Err(bad(format!(
                    "'{k}' has no mean target (PM2.5, PM10, NO2, SO2 or good-days)"
                )));
            }
        };
        v.trim()
            .parse()
            .map(|v| Target::Mean(p, v))
            .map_err(|_| bad(format!("'{v}' is not a number")))
    }
}

/// How an area is assessed: the options shared by a period's assessment, the annual
/// assessment and the bulletin.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AssessOptions {
    pub stations: StationSet,
    pub method: Method,
    pub standard: StandardChoice,
    pub limits: LimitsChoice,
    /// An official list of sand-dust days (one date or range `a..b` per line, `#` comments);
    /// without it the days are detected or not deducted, as `dust` says.
    pub dust_days: Option<PathBuf>,
    pub dust: DustChoice,
    /// How days are counted by category.
    pub days: DayRule,
    /// Sources to read (empty: all).
    pub sources: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_reads_back_as_its_value() {
        for w in StationSet::NAMES {
            assert_eq!(w.parse::<StationSet>().unwrap().word(), *w);
        }
        for w in Method::NAMES {
            assert_eq!(w.parse::<Method>().unwrap().to_string(), *w);
        }
        for w in DayRule::NAMES {
            assert_eq!(w.parse::<DayRule>().unwrap().word(), *w);
        }
        for w in LimitsChoice::NAMES {
            assert_eq!(w.parse::<LimitsChoice>().unwrap().word(), *w);
        }
        let e = "gb3095-1996".parse::<LimitsChoice>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "'gb3095-1996' is not one of gb3095-2012, gb3095-2026-transitional, gb3095-2026-final"
        );
        assert_eq!(
            serde_json::to_string(&Method::StationDays).unwrap(),
            "\"station-days\""
        );
    }

    #[test]
    fn targets_read_as_the_bulletin_writes_them() {
        assert_eq!(
            "pm25 = 32".parse::<Target>().unwrap(),
            Target::Mean("PM2.5", 32.0)
        );
        assert_eq!(
            "NO2=40".parse::<Target>().unwrap(),
            Target::Mean("NO2", 40.0)
        );
        assert_eq!(
            "good-days=280".parse::<Target>().unwrap(),
            Target::GoodDays(280)
        );
        let e = "O3=160".parse::<Target>().unwrap_err();
        assert!(e.to_string().contains("no mean target"), "{e}");
        assert_eq!(e.parameter(), Some("target"));
        assert!("good-days=many".parse::<Target>().is_err());
        assert!("PM2.5=abc".parse::<Target>().is_err());
    }

    #[test]
    fn the_default_baseline_is_a_year_earlier() {
        let p = Period::parse("2023-H1").unwrap();
        assert_eq!(
            Baseline::default().of(&p),
            Some(Period::parse("2022-H1").unwrap())
        );
        assert_eq!(Baseline::None.of(&p), None);
        assert_eq!(
            "2021".parse::<Baseline>().unwrap().of(&p),
            Some(Period::parse("2021").unwrap())
        );
        assert!("2023-13".parse::<Baseline>().is_err());
        assert_eq!(
            "auto".parse::<StandardChoice>().unwrap(),
            StandardChoice(None)
        );
        assert!("hj633-1999".parse::<StandardChoice>().is_err());
    }
}
