//! What several commands share: output formats, the value parsers that read the application's
//! option words (the same `FromStr` the HTTP API uses), the assessment options, and how an
//! application error reads on the command line.

use clap::ValueEnum;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use lantian_app::AppError;
use lantian_app::options::{
    AssessOptions, DayRule, DustChoice, LimitsChoice, Method, StandardChoice, StationSet, Target,
};
use lantian_assess::period::Period;
use lantian_store::query::Selection;
use std::path::PathBuf;
use std::str::FromStr;

#[derive(ValueEnum, Clone, Copy, PartialEq, Default, Debug)]
pub enum OutFormat {
    #[default]
    Table,
    Csv,
    Json,
}

/// A parser for an option whose values are a fixed list of words (help and errors list them).
pub fn words<T>(names: &'static [&'static str]) -> impl TypedValueParser<Value = T>
where
    T: FromStr + Clone + Send + Sync + 'static,
    T::Err: std::fmt::Debug,
{
    PossibleValuesParser::new(names.iter().copied())
        .map(|s| s.parse::<T>().expect("a listed word parses"))
}

/// `--period`, `--compare` (a period): 2023, 2023-H1, 2023-Q2, 2023-05, 2024-YTD-06-04 or
/// 2023-01-01..2023-06-30.
pub fn period(s: &str) -> Result<Period, String> {
    Period::parse(s).map_err(|e| e.to_string())
}

/// `--standard`: an index scheme, or `auto` for the HJ 633 edition in force on each date.
pub fn standard(s: &str) -> Result<StandardChoice, String> {
    s.parse().map_err(|e: lantian_aqi::AqiError| e.to_string())
}

/// `--target`: `PM2.5=30`, `good-days=280`.
pub fn target(s: &str) -> Result<Target, String> {
    s.parse().map_err(|e: AppError| match e {
        AppError::BadTarget { reason, .. } => reason,
        e => e.to_string(),
    })
}

/// Options shared by `assess`, `assess annual`, `report` and `plot`.
#[derive(clap::Args, Clone, Debug)]
pub struct AssessOptionsArgs {
    /// Which stations form the area value: assessment (urban and suburban sites, HJ 663),
    /// national (sites with a CNEMC code) or all.
    #[arg(long, default_value = "assessment", value_parser = words::<StationSet>(StationSet::NAMES))]
    pub stations: StationSet,
    /// How the area's daily value is formed: the mean of the stations' daily values, or the
    /// daily value of the area's hourly mean.
    #[arg(long, default_value = "station-days", value_parser = words::<Method>(Method::NAMES))]
    pub method: Method,
    /// AQI edition for the day counts (default: the one in force on each date).
    #[arg(long, default_value = "auto", value_parser = standard)]
    pub standard: StandardChoice,
    /// Limits for the composite index and compliance.
    #[arg(long, default_value = "gb3095-2012", value_parser = words::<LimitsChoice>(LimitsChoice::NAMES))]
    pub limits: LimitsChoice,
    /// Official list of sand-dust days (one date or range `a..b` per line, `#` comments).
    /// Without it the days are detected (PM10 > 150 and PM2.5/PM10 ≤ 0.35; docs/assessment.md).
    #[arg(long)]
    pub dust_days: Option<PathBuf>,
    /// `detect` (default without --dust-days) or `none` (no deduction; figures are still shown
    /// both ways when a deduction applies).
    #[arg(long, default_value = "detect", value_parser = words::<DustChoice>(DustChoice::NAMES))]
    pub dust: DustChoice,
    /// How days are counted by category: `standard` (the text of the AQI edition; the area's
    /// day formed like its concentrations) or `beijing` (the day of the city's hourly mean,
    /// a day lacking a pollutant counted only above 100: how Beijing's published counts are
    /// made; docs/assessment.md).
    #[arg(long, default_value = "standard", value_parser = words::<DayRule>(DayRule::NAMES))]
    pub day_rule: DayRule,
    /// Source(s) to read (default: all).
    #[arg(long)]
    pub source: Vec<String>,
}

impl AssessOptionsArgs {
    pub fn options(&self) -> AssessOptions {
        AssessOptions {
            stations: self.stations,
            method: self.method,
            standard: self.standard,
            limits: self.limits,
            dust_days: self.dust_days.clone(),
            dust: self.dust,
            days: self.day_rule,
            sources: self.source.clone(),
        }
    }
}

/// An application error in the command line's words: the request field at fault is named as
/// its option (`--region`, `--target`).
pub fn cli_error(e: AppError) -> anyhow::Error {
    let option = |p: &str| format!("--{}", p.replace('_', "-"));
    let text = match &e {
        AppError::UnknownRegion { region, stations } => format!(
            "--region '{region}'{}: no registry station is in it (try beijing or a district such as 海淀)",
            stations
                .as_ref()
                .map(|s| format!(" with --stations {s}"))
                .unwrap_or_default()
        ),
        AppError::BadParameter {
            parameter,
            value,
            reason,
        } => format!("{} {value}: {reason}", option(parameter)),
        AppError::BadTarget { value, reason } => format!("--target '{value}': {reason}"),
        AppError::Incomplete {
            parameter,
            what,
            reason,
        } => format!("{} {what}: {reason}", option(parameter)),
        e => e.to_string(),
    };
    anyhow::anyhow!(text)
}

/// `Result<T, AppError>` into the command line's error.
pub trait OrCli<T> {
    fn cli(self) -> anyhow::Result<T>;
}

impl<T> OrCli<T> for Result<T, AppError> {
    fn cli(self) -> anyhow::Result<T> {
        self.map_err(cli_error)
    }
}

/// Which stored values: sources, stations, variables, averaging windows, Beijing days.
#[derive(clap::Args, Clone, Default)]
pub struct SelArgs {
    #[arg(long)]
    pub source: Vec<String>,
    #[arg(long)]
    pub station: Vec<String>,
    /// Variable(s), e.g. PM2.5, CO, AQI.
    #[arg(long)]
    pub variable: Vec<String>,
    /// Averaging window(s): 1h, 8h, 24h, 1h_max_24h, 8h_max_day (default: 1h).
    #[arg(long)]
    pub averaging: Vec<String>,
    /// First day (Beijing time), YYYY-MM-DD.
    #[arg(long)]
    pub from: Option<chrono::NaiveDate>,
    /// Last day (Beijing time, inclusive), YYYY-MM-DD.
    #[arg(long)]
    pub to: Option<chrono::NaiveDate>,
}

impl SelArgs {
    /// Days are natural days in Beijing time: hour-ending stamps 01:00 .. 24:00.
    pub fn selection(&self, default_1h: bool) -> Selection {
        use lantian_model::time::{TimeConvention, beijing, local_to_time_end};
        let day =
            |d: chrono::NaiveDate| local_to_time_end(d, 1, beijing(), TimeConvention::HourEnding);
        Selection {
            sources: self.source.clone(),
            stations: self.station.clone(),
            variables: self.variable.clone(),
            averaging: if self.averaging.is_empty() && default_1h {
                vec!["1h".into()]
            } else {
                self.averaging.clone()
            },
            from: self.from.and_then(day),
            to: self.to.and_then(|d| d.succ_opt()).and_then(day),
        }
    }
}
