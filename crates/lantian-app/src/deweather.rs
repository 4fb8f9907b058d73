//! Weather normalisation of stations' hourly series, and the attribution of a change between
//! two periods to emissions and weather (the method of rmweather; see `lantian-deweather`).
//!
//! Every use case here goes through one model run per station: read the pollutant and the
//! meteorology onto one hourly axis ([`read_inputs`]), fit the tree ensemble, then predict
//! with the weather resampled from the record ([`ModelRequest`] holds every setting of that
//! run). On top of the run:
//!
//! - [`deweather`]: yearly means, observed and normalised with their interval, and the
//!   Theil-Sen trends of the monthly means (an area line for several stations), and on
//!   request the daily series;
//! - [`attribute`]: the change from a base period to a compared one split into an
//!   emission-driven, a weather-driven and an unexplained part;
//! - [`crate::breaks`] searches the observed or the normalised series for steps.
//!
//! The weather comes from the store (variables stored with the station, as the UCI and AQEval
//! files carry them, or with another station such as a met site) or from a CSV the user
//! brings ([`read_weather_csv`]: a `time` column, local and hour-beginning, and one column per
//! variable). The long parts (the fit, the resampling) report through a [`Progress`]
//! callback, so a front door can draw bars without this crate knowing how.
//!
//! ```
//! use lantian_app::deweather::{AttributeRequest, ModelRequest, Weather};
//! use lantian_assess::period::Period;
//!
//! let from = "2014-01-01".parse().unwrap();
//! let to = "2015-12-31".parse().unwrap();
//! let mut model = ModelRequest::new("PM2.5", from, to);
//! model.resamples = 40;
//! assert!(matches!(model.weather, Weather::Store { .. }));
//! let req = AttributeRequest {
//!     stations: vec!["Dongsi".into()],
//!     model,
//!     base: Period::parse("2014").unwrap(),
//!     compare: Period::parse("2015-H2").unwrap(),
//! };
//! assert_eq!(req.compare.to_string(), "2015-H2");
//! ```

use crate::error::{AppError, Result};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use lantian_assess::period::Period;
use lantian_deweather::attribution::{Attribution, PeriodSpan, combine};
use lantian_deweather::frame::TIME_FEATURES;
use lantian_deweather::model::Importance;
use lantian_deweather::normalise::{Aggregate, group_rows, month_of, normalise};
use lantian_deweather::{
    DeweatherError, Frame, Model, ModelSettings, NormaliseSettings, Normalised,
};
use lantian_store::matrix::{MatrixQuery, MatrixReader};
use lantian_trend::bootstrap::Bootstrap;
use lantian_trend::trend::{Month, Trend, trend};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The meteorology used when none is named: what the UCI files carry.
pub const DEFAULT_WEATHER: &[&str] = &["ws", "wd", "temp", "dewp", "pres", "rain"];

/// Where the meteorology comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Weather {
    /// Variables stored with the modelled station itself.
    Store { variables: Vec<String> },
    /// Variables stored with another station of the store (e.g. a met site).
    Station {
        station: String,
        variables: Vec<String>,
    },
    /// Hourly weather from a CSV ([`read_weather_csv`]); `None` takes every column but `time`.
    Csv {
        path: PathBuf,
        variables: Option<Vec<String>>,
    },
}

impl Weather {
    /// [`DEFAULT_WEATHER`] as a list.
    pub fn default_variables() -> Vec<String> {
        DEFAULT_WEATHER.iter().map(|s| s.to_string()).collect()
    }
}

impl Default for Weather {
    fn default() -> Self {
        Weather::Store {
            variables: Weather::default_variables(),
        }
    }
}

/// One model run per station: what to read and how to fit and normalise it.
#[derive(Debug, Clone)]
pub struct ModelRequest {
    /// The pollutant, as stored (PM2.5, NO2, ...).
    pub pollutant: String,
    /// First and last day (inclusive), local time of the station.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub weather: Weather,
    /// The stations' local time, hours from UTC (Beijing 8; AQEval's UK sample is in UTC: 0).
    pub utc_offset: i32,
    /// The trees, the ensemble and the held-out share; its seed also seeds the resampling.
    pub settings: ModelSettings,
    /// Weather resamples (rmweather: 300).
    pub resamples: usize,
    /// Worker threads for the resampling (`None`: all cores; the numbers do not depend on it).
    pub threads: Option<usize>,
    /// 0.05 for 95 % intervals.
    pub alpha: f64,
}

impl ModelRequest {
    /// A request with the defaults of `lantian deweather`: the stored [`DEFAULT_WEATHER`],
    /// Beijing time, [`ModelSettings::default`], 300 resamples, 95 % intervals.
    pub fn new(pollutant: &str, from: NaiveDate, to: NaiveDate) -> ModelRequest {
        ModelRequest {
            pollutant: pollutant.to_string(),
            from,
            to,
            weather: Weather::default(),
            utc_offset: 8,
            settings: ModelSettings::default(),
            resamples: 300,
            threads: None,
            alpha: 0.05,
        }
    }

    /// The checks that need no data: the window's order and `alpha`.
    pub fn check(&self) -> Result<()> {
        if self.to < self.from {
            return Err(AppError::bad(
                "to",
                self.to,
                format!("is before from {}", self.from),
            ));
        }
        if !(0.0 < self.alpha && self.alpha < 1.0) {
            return Err(AppError::bad("alpha", self.alpha, "is not in (0, 1)"));
        }
        Ok(())
    }

    /// The first hour of the axis (local, hour-beginning) and its length in hours.
    fn axis(&self) -> (NaiveDateTime, usize) {
        let first = self.from.and_hms_opt(0, 0, 0).expect("midnight");
        let len = ((self.to - self.from).num_days() as usize + 1) * 24;
        (first, len)
    }
}

/// What a model run reports while it works. `Resampled` comes from the resampling's worker
/// threads, hence the `Sync` callbacks.
#[derive(Debug, Clone, Copy)]
pub enum Progress<'a> {
    /// A model is being fitted (no measure of how far it is).
    Fitting {
        station: &'a str,
        trees: usize,
        /// Hours with the pollutant and complete weather.
        hours: usize,
        features: usize,
    },
    Fitted {
        station: &'a str,
    },
    /// The weather resampling starts.
    Resampling {
        station: &'a str,
        resamples: usize,
    },
    /// `done` resamples of the station are predicted.
    Resampled {
        station: &'a str,
        done: usize,
    },
    Normalised {
        station: &'a str,
    },
}

/// A progress callback ([`Progress`]).
pub type OnProgress<'a> = dyn Fn(Progress<'_>) + Sync + 'a;

/// The inputs on one hourly axis starting at `first` (local, hour-beginning).
#[derive(Debug, Clone)]
pub struct Inputs {
    pub first: NaiveDateTime,
    /// The pollutant, NaN where missing.
    pub target: Vec<f64>,
    /// The meteorology by variable (empty when not asked for).
    pub weather: Vec<(String, Vec<f64>)>,
    /// Where the weather came from, in words (`store, station X` or the CSV's path).
    pub weather_from: String,
}

/// Read a weather CSV onto the hourly axis of `len` hours starting at `first` (local,
/// hour-beginning): the `wanted` columns, or every column but `time`. Empty cells, `NA` and
/// `NaN` are missing; rows outside the axis are skipped. Errors name the file, line and
/// field; a time listed twice is an error.
pub fn read_weather_csv(
    path: &Path,
    first: NaiveDateTime,
    len: usize,
    wanted: Option<&[String]>,
) -> Result<Vec<(String, Vec<f64>)>> {
    let file = path.display();
    let f = std::fs::File::open(path)
        .map_err(|e| AppError::BadInput(format!("{file}: cannot open: {e}")))?;
    parse_weather_csv(&file.to_string(), f, first, len, wanted)
}

/// [`read_weather_csv`] from any reader; `name` stands for the file in messages.
pub fn parse_weather_csv(
    name: &str,
    input: impl std::io::Read,
    first: NaiveDateTime,
    len: usize,
    wanted: Option<&[String]>,
) -> Result<Vec<(String, Vec<f64>)>> {
    let bad = |msg: String| AppError::BadInput(format!("{name}: {msg}"));
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(input);
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| bad(format!("no header line: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    let time_col = header
        .iter()
        .position(|h| h.eq_ignore_ascii_case("time"))
        .ok_or_else(|| {
            bad(format!(
                "line 1: no `time` column (columns: {})",
                header.join(", ")
            ))
        })?;
    let names: Vec<String> = match wanted {
        Some(w) => w.to_vec(),
        None => header
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != time_col)
            .map(|(_, h)| h.clone())
            .collect(),
    };
    let cols: Vec<usize> = names
        .iter()
        .map(|n| {
            header.iter().position(|h| h == n).ok_or_else(|| {
                bad(format!(
                    "line 1: no column `{n}` (columns: {})",
                    header.join(", ")
                ))
            })
        })
        .collect::<Result<_>>()?;
    let mut out: Vec<Vec<f64>> = vec![vec![f64::NAN; len]; names.len()];
    let mut seen = vec![false; len];
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| bad(format!("line {line}: unreadable: {e}")))?;
        let t = rec.get(time_col).unwrap_or("");
        let time = NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M")
            .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S"))
            .map_err(|_| {
                bad(format!(
                    "line {line}: field `time`: '{t}' is not YYYY-MM-DD HH:MM"
                ))
            })?;
        if time.and_utc().timestamp() % 3600 != 0 {
            return Err(bad(format!(
                "line {line}: field `time`: '{t}' is not on the hour"
            )));
        }
        let h = (time - first).num_hours();
        if h < 0 || h >= len as i64 {
            continue;
        }
        let h = h as usize;
        if std::mem::replace(&mut seen[h], true) {
            return Err(bad(format!("line {line}: field `time`: {t} appears twice")));
        }
        for (k, &c) in cols.iter().enumerate() {
            let cell = rec.get(c).unwrap_or("");
            if cell.is_empty()
                || cell.eq_ignore_ascii_case("na")
                || cell.eq_ignore_ascii_case("nan")
            {
                continue;
            }
            out[k][h] = cell
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| {
                    bad(format!(
                        "line {line}: field `{}`: '{cell}' is not a number",
                        names[k]
                    ))
                })?;
        }
    }
    Ok(names.into_iter().zip(out).collect())
}

/// Read `station`'s pollutant and (when `with_weather`) the meteorology from an open snapshot
/// (or the CSV the request names).
pub fn read_inputs(
    reader: &MatrixReader,
    req: &ModelRequest,
    station: &str,
    with_weather: bool,
) -> Result<Inputs> {
    req.check()?;
    let (first, len) = req.axis();
    // The store keeps hour-ending UTC stamps: local hour-beginning t ends at t + 1 h − offset.
    let start_micros = (first + chrono::Duration::hours(1 - req.utc_offset as i64))
        .and_utc()
        .timestamp_micros();
    let read = |station: &str, vars: Vec<String>| {
        reader.read(&MatrixQuery {
            stations: vec![station.to_string()],
            variables: vars,
            sources: vec![],
            averaging: "1h".into(),
            flags: vec!["ok".into()],
            start_micros,
            len,
        })
    };
    let target = read(station, vec![req.pollutant.clone()])?;
    if target.series(0, 0).iter().all(|v| v.is_nan()) {
        return Err(AppError::NoData {
            subject: format!("{} at station '{station}'", req.pollutant),
            span: format!("{}..{}", req.from, req.to),
        });
    }
    let target = target.series(0, 0).to_vec();
    if !with_weather {
        return Ok(Inputs {
            first,
            target,
            weather: vec![],
            weather_from: String::new(),
        });
    }
    let (weather, weather_from) = match &req.weather {
        Weather::Csv { path, variables } => (
            read_weather_csv(path, first, len, variables.as_deref())?,
            path.display().to_string(),
        ),
        Weather::Store { variables } | Weather::Station { variables, .. } => {
            let station = match &req.weather {
                Weather::Station { station, .. } => station.as_str(),
                _ => station,
            };
            let w = read(station, variables.clone())?;
            let mut cols = Vec::new();
            for (k, n) in variables.iter().enumerate() {
                let v = w.series(0, k).to_vec();
                if v.iter().all(|x| x.is_nan()) {
                    return Err(AppError::bad(
                        "weather",
                        variables.join(","),
                        format!(
                            "station '{station}' has no '{n}' value from {} to {} in the store; name the variables it has, or bring them in a weather CSV",
                            req.from, req.to
                        ),
                    ));
                }
                cols.push((n.clone(), v));
            }
            (cols, format!("store, station {station}"))
        }
    };
    Ok(Inputs {
        first,
        target,
        weather,
        weather_from,
    })
}

/// An engine's refusal in the request's words.
fn model_error(station: &str, e: DeweatherError) -> AppError {
    match e {
        DeweatherError::NoWeather => AppError::bad("weather", "none", e),
        DeweatherError::TooFewRows { .. } => AppError::Incomplete {
            parameter: "station",
            what: station.to_string(),
            reason: e.to_string(),
        },
        DeweatherError::Setting { what, why, got } => AppError::BadParameter {
            // The engine names settings in words; the request names its fields.
            parameter: match what {
                "test fraction" => "test_fraction",
                "learning rate" => "learning_rate",
                w => w,
            },
            value: got,
            reason: format!("must be {why}"),
        },
        DeweatherError::Length { .. } | DeweatherError::Fit(_) => AppError::internal(e),
    }
}

/// A station's fitted model and normalised series.
pub(crate) struct Run {
    pub station: String,
    pub frame: Frame,
    pub model: Model,
    /// The model's prediction with the actual weather, per frame row.
    pub predicted: Vec<f64>,
    pub normalised: Normalised,
    pub weather_from: String,
    pub fit_seconds: f64,
    pub normalise_seconds: f64,
}

/// Read, fit and normalise one station.
pub(crate) fn run_model(
    reader: &MatrixReader,
    req: &ModelRequest,
    station: &str,
    progress: &OnProgress,
) -> Result<Run> {
    let Inputs {
        first,
        target,
        weather,
        weather_from,
    } = read_inputs(reader, req, station, true)?;
    let err = |e| model_error(station, e);
    let frame = Frame::from_hourly(first, &target, &weather).map_err(err)?;
    progress(Progress::Fitting {
        station,
        trees: req.settings.trees,
        hours: frame.observed_rows().len(),
        features: frame.features(),
    });
    let t0 = Instant::now();
    let model = Model::fit(&frame, &req.settings).map_err(err);
    let fit_seconds = t0.elapsed().as_secs_f64();
    progress(Progress::Fitted { station });
    let model = model?;

    let ns = NormaliseSettings {
        resamples: req.resamples,
        seed: req.settings.seed,
        threads: req.threads.unwrap_or(NormaliseSettings::default().threads),
    };
    progress(Progress::Resampling {
        station,
        resamples: req.resamples,
    });
    let t0 = Instant::now();
    let normalised = normalise(&model, &frame, &ns, &|done| {
        progress(Progress::Resampled { station, done })
    });
    let normalise_seconds = t0.elapsed().as_secs_f64();
    progress(Progress::Normalised { station });
    let normalised = normalised.map_err(err)?;
    let predicted = model.predict_frame(&frame);
    Ok(Run {
        station: station.to_string(),
        frame,
        model,
        predicted,
        normalised,
        weather_from,
        fit_seconds,
        normalise_seconds,
    })
}

/// A fitted model in figures: its settings, out-of-sample quality, variable importance and
/// the time the run took.
#[derive(Debug, Clone, Serialize)]
pub struct ModelSummary {
    pub kind: &'static str,
    pub settings: ModelSettings,
    /// Feature names: trend, day_of_year, weekday, hour, then the meteorology.
    pub features: Vec<String>,
    pub r2_test: f64,
    pub rmse_test: f64,
    pub mean_test: f64,
    pub r2_train: f64,
    /// The ensemble members' own test R², lowest and highest.
    pub r2_test_members: (f64, f64),
    /// Ensemble members.
    pub models: usize,
    pub rows_train: usize,
    pub rows_test: usize,
    /// Hours with complete weather (the model table).
    pub hours_in_table: usize,
    /// Hours of the window left out for missing weather.
    pub hours_without_weather: usize,
    /// Largest share of the split gain first.
    pub importance: Vec<Importance>,
    pub resamples: usize,
    pub weather_from: String,
    pub fit_seconds: f64,
    pub normalise_seconds: f64,
}

impl ModelSummary {
    /// The meteorological variables, in the order they were asked for.
    pub fn weather(&self) -> &[String] {
        &self.features[TIME_FEATURES.min(self.features.len())..]
    }
}

impl Run {
    pub(crate) fn summary(&self) -> ModelSummary {
        let q = &self.model.quality;
        ModelSummary {
            kind: "gradient-boosted trees (forust-ml)",
            settings: self.model.settings.clone(),
            features: self.model.names.clone(),
            r2_test: q.r2_test,
            rmse_test: q.rmse_test,
            mean_test: q.mean_test,
            r2_train: q.r2_train,
            r2_test_members: q.r2_test_members,
            models: self.model.forests.len(),
            rows_train: q.rows_train,
            rows_test: q.rows_test,
            hours_in_table: self.frame.rows(),
            hours_without_weather: self.frame.hours_without_weather,
            importance: self.model.importance.clone(),
            resamples: self.normalised.resamples,
            weather_from: self.weather_from.clone(),
            fit_seconds: self.fit_seconds,
            normalise_seconds: self.normalise_seconds,
        }
    }

    fn weather(&self) -> Vec<String> {
        self.frame.names[TIME_FEATURES..].to_vec()
    }
}

/// A `lantian deweather` request: one model per station.
#[derive(Debug, Clone)]
pub struct DeweatherRequest {
    /// Station codes as stored; with several, an area line is their unweighted mean.
    pub stations: Vec<String>,
    pub model: ModelRequest,
    /// Also compute the daily series ([`Deweathered::daily`]).
    pub daily: bool,
}

impl DeweatherRequest {
    /// The checks that need no data (a front door may run them before opening a store).
    pub fn check(&self) -> Result<()> {
        at_least_one(&self.stations)?;
        self.model.check()
    }
}

/// A calendar year of a station: observed and normalised means.
#[derive(Debug, Clone, Serialize)]
pub struct Year {
    pub year: i32,
    /// Hours with the pollutant (and complete weather).
    pub hours_observed: usize,
    /// NaN without an observed hour.
    pub observed_mean: f64,
    /// Hours in the model table.
    pub hours: usize,
    pub normalised: Aggregate,
}

/// One station's normalisation.
#[derive(Debug, Clone, Serialize)]
pub struct StationDeweather {
    pub station: String,
    pub pollutant: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The meteorological variables.
    pub weather: Vec<String>,
    pub model: ModelSummary,
    pub years: Vec<Year>,
    /// Trend of the observed monthly means, deseasonalised (as `lantian trend`).
    pub trend_observed_deseasonalised: Option<Trend>,
    /// Trend of the normalised monthly means, which have no seasonal cycle left to remove
    /// (the calendar was resampled with the weather).
    pub trend_normalised: Option<Trend>,
}

/// The trends of several stations' unweighted mean.
#[derive(Debug, Clone, Serialize)]
pub struct AreaTrends {
    pub stations: Vec<String>,
    pub what: &'static str,
    pub trend_observed_deseasonalised: Option<Trend>,
    pub trend_normalised: Option<Trend>,
}

/// The answer: one station's normalisation, or several stations' with their area's trends.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum DeweatherAnswer {
    Station(Box<StationDeweather>),
    Area {
        stations: Vec<StationDeweather>,
        area: Box<AreaTrends>,
    },
}

impl DeweatherAnswer {
    pub fn stations(&self) -> &[StationDeweather] {
        match self {
            DeweatherAnswer::Station(s) => std::slice::from_ref(&**s),
            DeweatherAnswer::Area { stations, .. } => stations,
        }
    }

    pub fn area(&self) -> Option<&AreaTrends> {
        match self {
            DeweatherAnswer::Station(_) => None,
            DeweatherAnswer::Area { area, .. } => Some(area),
        }
    }
}

/// One day of a station's series.
#[derive(Debug, Clone, Serialize)]
pub struct Day {
    pub station: String,
    pub date: NaiveDate,
    /// Hours in the model table.
    pub hours: usize,
    /// Hours with the pollutant.
    pub hours_observed: usize,
    /// The observed mean (`None` without an observed hour).
    pub observed: Option<f64>,
    /// The model's mean with the actual weather.
    pub predicted: f64,
    pub normalised: Aggregate,
}

/// What [`deweather`] computes.
#[derive(Debug, Clone)]
pub struct Deweathered {
    pub answer: DeweatherAnswer,
    /// The stations' daily series one after the other, when the request asks for them.
    pub daily: Vec<Day>,
}

fn years(r: &Run, alpha: f64) -> Vec<Year> {
    group_rows(&r.frame, |d| d.year())
        .into_iter()
        .map(|(year, rows)| {
            let obs: Vec<f64> = rows
                .iter()
                .map(|&i| r.frame.y[i])
                .filter(|v| !v.is_nan())
                .collect();
            Year {
                year,
                hours_observed: obs.len(),
                observed_mean: obs.iter().sum::<f64>() / obs.len() as f64,
                hours: rows.len(),
                normalised: r.normalised.aggregate(&rows, alpha),
            }
        })
        .collect()
}

/// Monthly means (observed, normalised) over the window's calendar months, missing months
/// `None`.
fn months(r: &Run, from: NaiveDate, to: NaiveDate) -> (Vec<Month>, Vec<Month>) {
    let groups: BTreeMap<NaiveDate, Vec<usize>> =
        group_rows(&r.frame, month_of).into_iter().collect();
    let (mut obs, mut norm) = (Vec::new(), Vec::new());
    let mut d = month_of(from);
    while d <= to {
        let rows = groups.get(&d);
        let mean = |f: &dyn Fn(usize) -> f64| {
            rows.and_then(|rows| {
                let v: Vec<f64> = rows.iter().map(|&i| f(i)).filter(|v| !v.is_nan()).collect();
                (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
            })
        };
        obs.push(Month {
            first_day: d,
            mean: mean(&|i| r.frame.y[i]),
        });
        norm.push(Month {
            first_day: d,
            mean: mean(&|i| r.normalised.mean[i]),
        });
        d = d
            .checked_add_months(chrono::Months::new(1))
            .expect("month in range");
    }
    (obs, norm)
}

/// The mean over stations of monthly means (over the stations with a value that month).
pub fn area_months(per_station: &[Vec<Month>]) -> Vec<Month> {
    let Some(first) = per_station.first() else {
        return vec![];
    };
    (0..first.len())
        .map(|i| {
            let v: Vec<f64> = per_station.iter().filter_map(|m| m[i].mean).collect();
            Month {
                first_day: first[i].first_day,
                mean: (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64),
            }
        })
        .collect()
}

fn daily(r: &Run, alpha: f64) -> Vec<Day> {
    group_rows(&r.frame, |d| d)
        .into_iter()
        .map(|(date, rows)| {
            let obs: Vec<usize> = rows
                .iter()
                .copied()
                .filter(|&i| !r.frame.y[i].is_nan())
                .collect();
            let mean = |rows: &[usize], f: &dyn Fn(usize) -> f64| {
                rows.iter().map(|&i| f(i)).sum::<f64>() / rows.len() as f64
            };
            Day {
                station: r.station.clone(),
                date,
                hours: rows.len(),
                hours_observed: obs.len(),
                observed: (!obs.is_empty()).then(|| mean(&obs, &|i| r.frame.y[i])),
                predicted: mean(&rows, &|i| r.predicted[i]),
                normalised: r.normalised.aggregate(&rows, alpha),
            }
        })
        .collect()
}

fn at_least_one(stations: &[String]) -> Result<()> {
    if stations.is_empty() {
        return Err(AppError::bad(
            "station",
            "",
            "at least one station is needed",
        ));
    }
    Ok(())
}

/// Normalise each station of `req`, with yearly means and trends (and an area's trends for
/// several stations).
pub fn deweather(
    reader: &MatrixReader,
    req: &DeweatherRequest,
    progress: &OnProgress,
) -> Result<Deweathered> {
    req.check()?;
    let m = &req.model;
    let b = Bootstrap {
        resamples: 599,
        autocorrelation: true,
        alpha: m.alpha,
        seed: m.settings.seed,
    };
    let mut stations = Vec::new();
    let mut days = Vec::new();
    let (mut obs_all, mut norm_all) = (Vec::new(), Vec::new());
    for station in &req.stations {
        let r = run_model(reader, m, station, progress)?;
        let (obs_m, norm_m) = months(&r, m.from, m.to);
        stations.push(StationDeweather {
            station: r.station.clone(),
            pollutant: m.pollutant.clone(),
            from: m.from,
            to: m.to,
            weather: r.weather(),
            model: r.summary(),
            years: years(&r, m.alpha),
            trend_observed_deseasonalised: trend(&obs_m, true, &b),
            trend_normalised: trend(&norm_m, false, &b),
        });
        obs_all.push(obs_m);
        norm_all.push(norm_m);
        if req.daily {
            days.extend(daily(&r, m.alpha));
        }
    }
    let answer = if stations.len() == 1 {
        DeweatherAnswer::Station(Box::new(stations.remove(0)))
    } else {
        DeweatherAnswer::Area {
            stations,
            area: Box::new(AreaTrends {
                stations: req.stations.clone(),
                what: "unweighted mean of the stations' monthly means",
                trend_observed_deseasonalised: trend(&area_months(&obs_all), true, &b),
                trend_normalised: trend(&area_months(&norm_all), false, &b),
            }),
        }
    };
    Ok(Deweathered {
        answer,
        daily: days,
    })
}

/// A `lantian attribute` request: the change from `base` to `compare`, both inside the
/// modelled window.
#[derive(Debug, Clone)]
pub struct AttributeRequest {
    pub stations: Vec<String>,
    pub model: ModelRequest,
    pub base: Period,
    pub compare: Period,
}

impl AttributeRequest {
    /// The checks that need no data: stations, both periods inside the window, the window
    /// and `alpha`.
    pub fn check(&self) -> Result<()> {
        at_least_one(&self.stations)?;
        let m = &self.model;
        for (parameter, p) in [("base", &self.base), ("compare", &self.compare)] {
            if p.first < m.from || p.last > m.to {
                return Err(AppError::bad(
                    parameter,
                    p,
                    format!(
                        "{}..{} is outside the modelled window {}..{}",
                        p.first, p.last, m.from, m.to
                    ),
                ));
            }
        }
        m.check()
    }
}

/// A period as the attribution names it.
fn span(p: &Period) -> PeriodSpan {
    PeriodSpan {
        label: p.to_string(),
        first: p.first,
        last: p.last,
    }
}

/// One station's attribution.
#[derive(Debug, Clone, Serialize)]
pub struct StationAttribution {
    pub station: String,
    pub pollutant: String,
    pub model: ModelSummary,
    pub attribution: Attribution,
    /// The finding in plain words.
    pub sentence: String,
}

/// The attribution of several stations' unweighted mean.
#[derive(Debug, Clone, Serialize)]
pub struct AreaAttribution {
    pub stations: Vec<String>,
    pub what: &'static str,
    pub attribution: Attribution,
    pub sentence: String,
}

/// The answer: one station's attribution, or several stations' with their area's.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum AttributeAnswer {
    Station(Box<StationAttribution>),
    Area {
        stations: Vec<StationAttribution>,
        area: Box<AreaAttribution>,
    },
}

impl AttributeAnswer {
    pub fn stations(&self) -> &[StationAttribution] {
        match self {
            AttributeAnswer::Station(s) => std::slice::from_ref(&**s),
            AttributeAnswer::Area { stations, .. } => stations,
        }
    }

    pub fn area(&self) -> Option<&AreaAttribution> {
        match self {
            AttributeAnswer::Station(_) => None,
            AttributeAnswer::Area { area, .. } => Some(area),
        }
    }
}

/// The concentration unit of the sentences.
const UNIT: &str = "ug/m3";

/// Attribute the change between the request's periods, station by station (and for their
/// area when there are several).
pub fn attribute(
    reader: &MatrixReader,
    req: &AttributeRequest,
    progress: &OnProgress,
) -> Result<AttributeAnswer> {
    req.check()?;
    let m = &req.model;
    let (base, compare) = (span(&req.base), span(&req.compare));
    let mut stations = Vec::new();
    for station in &req.stations {
        let r = run_model(reader, m, station, progress)?;
        let at = lantian_deweather::attribution::attribute(
            &r.frame,
            &r.predicted,
            &r.normalised,
            &base,
            &compare,
            m.alpha,
        )
        .map_err(|e| AppError::Incomplete {
            parameter: if e.label == base.label {
                "base"
            } else {
                "compare"
            },
            what: e.label.clone(),
            reason: format!(
                "station {station} has no hour with both the pollutant and the weather in {}..{}",
                e.first, e.last
            ),
        })?;
        stations.push(StationAttribution {
            station: r.station.clone(),
            pollutant: m.pollutant.clone(),
            model: r.summary(),
            sentence: at.sentence(&m.pollutant, UNIT),
            attribution: at,
        });
    }
    if stations.len() == 1 {
        return Ok(AttributeAnswer::Station(Box::new(stations.remove(0))));
    }
    let parts: Vec<Attribution> = stations.iter().map(|s| s.attribution.clone()).collect();
    let at = combine(&parts).ok_or_else(|| AppError::internal("no station to combine"))?;
    Ok(AttributeAnswer::Area {
        area: Box::new(AreaAttribution {
            stations: req.stations.clone(),
            what: "unweighted mean of the stations; intervals from the per-resample mean of their emission parts",
            sentence: at.sentence(&m.pollutant, UNIT),
            attribution: at,
        }),
        stations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2014, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
    }

    fn parse(text: &str, wanted: Option<&[String]>) -> Result<Vec<(String, Vec<f64>)>> {
        parse_weather_csv("weather.csv", text.as_bytes(), first(), 48, wanted)
    }

    #[test]
    fn a_weather_csv_lands_on_the_hourly_axis() {
        let w = parse(
            "time,ws,dewp\n2014-01-01 00:00,2.0,-5\n2014-01-01 02:00:00,NA,-4\n2013-12-31 23:00,9,9\n2014-01-03 00:00,9,9\n",
            None,
        )
        .unwrap();
        assert_eq!(w.len(), 2);
        assert_eq!((w[0].0.as_str(), w[0].1[0]), ("ws", 2.0));
        assert!(w[0].1[1].is_nan() && w[0].1[2].is_nan());
        assert_eq!((w[1].0.as_str(), w[1].1[2]), ("dewp", -4.0));
        assert_eq!(w[1].1.iter().filter(|v| !v.is_nan()).count(), 2);
        let only = parse(
            "time,ws,dewp\n2014-01-01 00:00,2,-5\n",
            Some(&["dewp".into()]),
        )
        .unwrap();
        assert_eq!((only.len(), only[0].1[0]), (1, -5.0));
    }

    #[test]
    fn a_bad_weather_csv_is_named_by_file_line_and_field() {
        let msg = |text: &str| match parse(text, None) {
            Err(AppError::BadInput(m)) => m,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            msg("time,ws,dewp\n2014-01-01 00:00,2.0,-5\n2014-01-01 01:00,x,-5\n"),
            "weather.csv: line 3: field `ws`: 'x' is not a number"
        );
        assert_eq!(
            msg("time,ws\n2014-01-01 00:00,2\n2014-01-01 00:00,3\n"),
            "weather.csv: line 3: field `time`: 2014-01-01 00:00 appears twice"
        );
        assert_eq!(
            msg("when,ws\n2014-01-01 00:00,2\n"),
            "weather.csv: line 1: no `time` column (columns: when, ws)"
        );
        assert_eq!(
            msg("time,ws\n2014-01-01 00:30,2\n"),
            "weather.csv: line 2: field `time`: '2014-01-01 00:30' is not on the hour"
        );
        assert!(matches!(
            parse("time,ws\n", Some(&["rh".into()])),
            Err(AppError::BadInput(m)) if m == "weather.csv: line 1: no column `rh` (columns: time, ws)"
        ));
    }

    #[test]
    fn the_area_month_is_the_mean_of_the_stations_with_a_value() {
        let d = NaiveDate::from_ymd_opt(2014, 1, 1).unwrap();
        let m = |mean| vec![Month { first_day: d, mean }];
        let a = area_months(&[m(Some(10.0)), m(None), m(Some(20.0))]);
        assert_eq!((a[0].first_day, a[0].mean), (d, Some(15.0)));
        assert_eq!(area_months(&[m(None), m(None)])[0].mean, None);
        assert!(area_months(&[]).is_empty());
    }

    #[test]
    fn engine_refusals_name_the_request_field() {
        let e = model_error(
            "Dongsi",
            DeweatherError::Setting {
                what: "learning rate",
                why: "in (0, 1]",
                got: "2".into(),
            },
        );
        assert_eq!(e.parameter(), Some("learning_rate"));
        assert_eq!(e.to_string(), "learning_rate '2': must be in (0, 1]");
        let e = model_error(
            "Dongsi",
            DeweatherError::TooFewRows {
                rows: 48,
                needed: 100,
            },
        );
        assert_eq!(e.parameter(), Some("station"));
    }

    #[test]
    fn a_request_checks_its_window_and_alpha() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let mut r = ModelRequest::new("PM2.5", d("2014-01-01"), d("2013-12-31"));
        assert_eq!(r.check().unwrap_err().parameter(), Some("to"));
        r.to = d("2014-01-02");
        assert_eq!(r.axis(), (first(), 48));
        r.alpha = 1.0;
        assert_eq!(r.check().unwrap_err().parameter(), Some("alpha"));
    }
}
