//! `lantian deweather` and `lantian attribute`: weather normalisation of a station's hourly
//! series and the attribution of a change between two periods (see lantian-deweather).
//!
//! Weather comes from the store (variables such as ws, wd, temp, dewp, pres, rain stored with
//! the station, as the UCI and AQEval files carry them) or from a CSV the user brings
//! (`--weather-csv`, e.g. hourly airport observations; format in docs/deweather.md).

use anyhow::{Context, Result, bail};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use lantian_deweather::attribution::{Attribution, PeriodSpan, attribute};
use lantian_deweather::normalise::{Aggregate, group_rows, month_of, normalise};
use lantian_deweather::{Frame, Model, ModelSettings, NormaliseSettings, Normalised};
use lantian_store::Store;
use lantian_store::matrix::MatrixQuery;
use lantian_trend::bootstrap::Bootstrap;
use lantian_trend::trend::{Month, Trend, trend};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::OutFormat;

/// The meteorology used when none is named: what the UCI files carry.
pub const DEFAULT_WEATHER: &str = "ws,wd,temp,dewp,pres,rain";

#[derive(Args, Clone)]
pub struct ModelArgs {
    /// Station code(s) as stored (e.g. Dongsi, aqeval-site): one model each; with several,
    /// the area line is their unweighted mean.
    #[arg(long, required = true)]
    pub station: Vec<String>,
    /// Source(s) to read (default: all).
    #[arg(long)]
    pub source: Vec<String>,
    /// The pollutant, as stored (PM2.5, NO2, ...).
    #[arg(long, default_value = "PM2.5")]
    pub pollutant: String,
    /// First day (local time of the station).
    #[arg(long)]
    pub from: NaiveDate,
    /// Last day (inclusive).
    #[arg(long)]
    pub to: NaiveDate,
    /// Meteorological variables, comma-separated, as stored or as named in --weather-csv
    /// [default: ws,wd,temp,dewp,pres,rain from the store; every column of --weather-csv].
    #[arg(long, value_delimiter = ',')]
    pub weather: Option<Vec<String>>,
    /// Take the weather from another station of the store (e.g. a met site).
    #[arg(long, conflicts_with = "weather_csv")]
    pub weather_station: Option<String>,
    /// Hourly weather from a CSV: a `time` column (local, hour-beginning, YYYY-MM-DD HH:MM)
    /// and one column per variable.
    #[arg(long)]
    pub weather_csv: Option<PathBuf>,
    /// The station's local time, hours from UTC (Beijing 8; AQEval's UK sample is in UTC: 0).
    #[arg(long, default_value_t = 8, allow_negative_numbers = true)]
    pub utc_offset: i32,
    /// Boosting rounds (trees).
    #[arg(long, default_value_t = 300)]
    pub trees: usize,
    /// Shrinkage of each tree (forust's default; 0.1 under-fits the trend and shrinks a planted
    /// step by a tenth, see docs/deweather.md).
    #[arg(long, default_value_t = 0.3)]
    pub learning_rate: f32,
    #[arg(long, default_value_t = 6)]
    pub max_depth: usize,
    /// Models in the ensemble, each on a bootstrap sample of the training hours; the weather
    /// resamples are shared among them so the intervals include the model's own variability
    /// (1: a single model on all training hours, rmweather's way).
    #[arg(long, default_value_t = 10)]
    pub models: usize,
    /// Share of the hours held out to measure R² and RMSE.
    #[arg(long, default_value_t = 0.2)]
    pub test_fraction: f64,
    /// Weather resamples (rmweather: 300).
    #[arg(long, default_value_t = 300)]
    pub resamples: usize,
    /// Seed of the split, the trees and the resampling (same seed, same numbers).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// 0.05 for 95 % intervals.
    #[arg(long, default_value_t = 0.05)]
    pub alpha: f64,
    /// Worker threads for the resampling (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// No progress bars.
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Args)]
pub struct DeweatherArgs {
    #[command(flatten)]
    pub m: ModelArgs,
    /// Write the daily series (observed, predicted with actual weather, normalised with its
    /// interval) to this CSV.
    #[arg(long)]
    pub series_out: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    pub format: OutFormat,
}

#[derive(Args)]
pub struct AttributeArgs {
    #[command(flatten)]
    pub m: ModelArgs,
    /// The base period (2015, 2015-H1, 2015-Q2, 2015-05, or 2015-01-01..2015-06-30).
    #[arg(long)]
    pub base: String,
    /// The period compared with the base.
    #[arg(long)]
    pub compare: String,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    pub format: OutFormat,
}

/// Everything a normalisation run produces.
pub struct Run {
    pub station: String,
    pub frame: Frame,
    pub model: Model,
    pub predicted: Vec<f64>,
    pub normalised: Normalised,
    pub weather: Vec<String>,
    pub weather_from: String,
    pub fit_seconds: f64,
    pub normalise_seconds: f64,
}

fn bar(quiet: bool, len: u64, template: &str) -> ProgressBar {
    let b = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(len)
    };
    b.set_style(ProgressStyle::with_template(template).expect("template"));
    b
}

/// Read a weather CSV onto the hourly axis starting at `first` (local, hour-beginning).
/// Errors name the file, line and field; a time listed twice is an error.
pub fn read_weather_csv(
    path: &Path,
    first: NaiveDateTime,
    len: usize,
    wanted: Option<&[String]>,
) -> Result<Vec<(String, Vec<f64>)>> {
    let file = path.display();
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .with_context(|| format!("{file}: cannot open"))?;
    let header: Vec<String> = rdr
        .headers()
        .with_context(|| format!("{file}: no header line"))?
        .iter()
        .map(str::to_string)
        .collect();
    let time_col = header
        .iter()
        .position(|h| h.eq_ignore_ascii_case("time"))
        .with_context(|| {
            format!(
                "{file}: line 1: no `time` column (columns: {})",
                header.join(", ")
            )
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
            header.iter().position(|h| h == n).with_context(|| {
                format!(
                    "{file}: line 1: no column `{n}` (columns: {})",
                    header.join(", ")
                )
            })
        })
        .collect::<Result<_>>()?;
    let mut out: Vec<Vec<f64>> = vec![vec![f64::NAN; len]; names.len()];
    let mut seen = vec![false; len];
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = rec.with_context(|| format!("{file}: line {line}: unreadable"))?;
        let t = rec.get(time_col).unwrap_or("");
        let time = NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M")
            .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S"))
            .with_context(|| {
                format!("{file}: line {line}: field `time`: '{t}' is not YYYY-MM-DD HH:MM")
            })?;
        if time.and_utc().timestamp() % 3600 != 0 {
            bail!("{file}: line {line}: field `time`: '{t}' is not on the hour");
        }
        let h = (time - first).num_hours();
        if h < 0 || h >= len as i64 {
            continue;
        }
        let h = h as usize;
        if std::mem::replace(&mut seen[h], true) {
            bail!("{file}: line {line}: field `time`: {t} appears twice");
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
                .with_context(|| {
                    format!(
                        "{file}: line {line}: field `{}`: '{cell}' is not a number",
                        names[k]
                    )
                })?;
        }
    }
    Ok(names.into_iter().zip(out).collect())
}

/// The inputs on one hourly axis starting at `first` (local, hour-beginning).
pub struct Inputs {
    pub first: NaiveDateTime,
    pub target: Vec<f64>,
    pub weather: Vec<(String, Vec<f64>)>,
    pub weather_from: String,
}

/// Read the pollutant and (when `with_weather`) the meteorology.
pub async fn read_inputs(
    store_path: &Path,
    m: &ModelArgs,
    station: &str,
    with_weather: bool,
) -> Result<Inputs> {
    if m.to < m.from {
        bail!("--to {} is before --from {}", m.to, m.from);
    }
    if !(0.0 < m.alpha && m.alpha < 1.0) {
        bail!("--alpha {} is not in (0, 1)", m.alpha);
    }
    let first = m.from.and_hms_opt(0, 0, 0).expect("midnight");
    let len = ((m.to - m.from).num_days() as usize + 1) * 24;
    // The store keeps hour-ending UTC stamps: local hour-beginning t ends at t + 1 h − offset.
    let start_micros = (first + chrono::Duration::hours(1 - m.utc_offset as i64))
        .and_utc()
        .timestamp_micros();
    let store = Store::open(store_path).await?;
    let reader = store.matrix_reader(&m.source).await?;
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
    let target = read(station, vec![m.pollutant.clone()])?;
    if target.series(0, 0).iter().all(|v| v.is_nan()) {
        bail!(
            "station '{}' has no {} value from {} to {} in the store{}",
            station,
            m.pollutant,
            m.from,
            m.to,
            if m.source.is_empty() {
                String::new()
            } else {
                format!(" (sources {})", m.source.join(", "))
            }
        );
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
    let (weather, weather_from) = match &m.weather_csv {
        Some(path) => (
            read_weather_csv(path, first, len, m.weather.as_deref())?,
            path.display().to_string(),
        ),
        None => {
            let names: Vec<String> = m
                .weather
                .clone()
                .unwrap_or_else(|| DEFAULT_WEATHER.split(',').map(str::to_string).collect());
            let station = m
                .weather_station
                .clone()
                .unwrap_or_else(|| station.to_string());
            let w = read(&station, names.clone())?;
            let mut cols = Vec::new();
            for (k, n) in names.iter().enumerate() {
                let v = w.series(0, k).to_vec();
                if v.iter().all(|x| x.is_nan()) {
                    bail!(
                        "station '{station}' has no '{n}' value from {} to {} in the store; name the variables it has with --weather, or bring them with --weather-csv",
                        m.from,
                        m.to
                    );
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

/// Read, fit and normalise.
pub async fn run_model(store_path: &Path, m: &ModelArgs, station: &str) -> Result<Run> {
    let Inputs {
        first,
        target,
        weather,
        weather_from,
    } = read_inputs(store_path, m, station, true).await?;
    let names: Vec<String> = weather.iter().map(|(n, _)| n.clone()).collect();
    let frame = Frame::from_hourly(first, &target, &weather)?;

    let settings = ModelSettings {
        trees: m.trees,
        learning_rate: m.learning_rate,
        max_depth: m.max_depth,
        test_fraction: m.test_fraction,
        seed: m.seed,
        models: m.models,
    };
    let spin = bar(m.quiet, 0, "{spinner} [{elapsed_precise}] {msg}");
    spin.set_message(format!(
        "{station}: fitting {} trees on {} hours × {} features",
        m.trees,
        frame.observed_rows().len(),
        frame.features()
    ));
    spin.enable_steady_tick(std::time::Duration::from_millis(200));
    let t0 = Instant::now();
    let model = Model::fit(&frame, &settings)?;
    let fit_seconds = t0.elapsed().as_secs_f64();
    spin.finish_and_clear();

    let ns = NormaliseSettings {
        resamples: m.resamples,
        seed: m.seed,
        threads: m.threads.unwrap_or(NormaliseSettings::default().threads),
    };
    let pb = bar(
        m.quiet,
        m.resamples as u64,
        "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} weather resamples ({eta}) {msg}",
    );
    pb.set_message(station.to_string());
    let t0 = Instant::now();
    let normalised = normalise(&model, &frame, &ns, &|done| pb.set_position(done as u64))?;
    let normalise_seconds = t0.elapsed().as_secs_f64();
    pb.finish_and_clear();
    let predicted = model.predict_frame(&frame);
    Ok(Run {
        station: station.to_string(),
        frame,
        model,
        predicted,
        normalised,
        weather: names,
        weather_from,
        fit_seconds,
        normalise_seconds,
    })
}

#[derive(serde::Serialize)]
struct Year {
    year: i32,
    hours_observed: usize,
    observed_mean: f64,
    hours: usize,
    normalised: Aggregate,
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

fn write_series(path: &Path, runs: &[Run], alpha: f64) -> Result<()> {
    let mut w = csv::Writer::from_path(path)
        .with_context(|| format!("{}: cannot write", path.display()))?;
    w.write_record([
        "station",
        "date",
        "hours",
        "hours_observed",
        "observed",
        "predicted",
        "normalised",
        "normalised_lower",
        "normalised_upper",
    ])?;
    for r in runs {
        for (date, rows) in group_rows(&r.frame, |d| d) {
            let obs: Vec<usize> = rows
                .iter()
                .copied()
                .filter(|&i| !r.frame.y[i].is_nan())
                .collect();
            let mean = |rows: &[usize], f: &dyn Fn(usize) -> f64| {
                rows.iter().map(|&i| f(i)).sum::<f64>() / rows.len() as f64
            };
            let a = r.normalised.aggregate(&rows, alpha);
            let fmt = |v: f64| {
                if v.is_nan() {
                    String::new()
                } else {
                    format!("{v:.3}")
                }
            };
            w.write_record([
                r.station.clone(),
                date.to_string(),
                rows.len().to_string(),
                obs.len().to_string(),
                fmt(if obs.is_empty() {
                    f64::NAN
                } else {
                    mean(&obs, &|i| r.frame.y[i])
                }),
                fmt(mean(&rows, &|i| r.predicted[i])),
                fmt(a.mean),
                fmt(a.lower),
                fmt(a.upper),
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}

fn model_json(r: &Run, m: &ModelArgs) -> serde_json::Value {
    serde_json::json!({
        "kind": "gradient-boosted trees (forust-ml)",
        "settings": r.model.settings,
        "features": r.model.names,
        "r2_test": r.model.quality.r2_test,
        "rmse_test": r.model.quality.rmse_test,
        "mean_test": r.model.quality.mean_test,
        "r2_train": r.model.quality.r2_train,
        "r2_test_members": [r.model.quality.r2_test_members.0, r.model.quality.r2_test_members.1],
        "models": r.model.forests.len(),
        "rows_train": r.model.quality.rows_train,
        "rows_test": r.model.quality.rows_test,
        "hours_in_table": r.frame.rows(),
        "hours_without_weather": r.frame.hours_without_weather,
        "importance": r.model.importance,
        "resamples": m.resamples,
        "weather_from": r.weather_from,
        "fit_seconds": r.fit_seconds,
        "normalise_seconds": r.normalise_seconds,
    })
}

fn describe(r: &Run, m: &ModelArgs) -> String {
    let q = &r.model.quality;
    let imp: Vec<String> = r
        .model
        .importance
        .iter()
        .map(|i| format!("{} {:.2}", i.variable, i.gain_share))
        .collect();
    format!(
        "{} {} {}..{}; weather: {} ({})\nmodel: {} × gradient-boosted trees ({} trees, depth {}, learning rate {}){}; {} hours fitted, {} held out ({} hours in the table, {} without weather)\nout-of-sample R² {:.3} (members {:.3}..{:.3}), RMSE {:.1} (test mean {:.1}); train R² {:.3}; fit {:.1} s, {} resamples {:.1} s\nimportance (share of split gain): {}",
        r.station,
        m.pollutant,
        m.from,
        m.to,
        r.weather.join(", "),
        r.weather_from,
        r.model.forests.len(),
        m.trees,
        m.max_depth,
        m.learning_rate,
        if r.model.forests.len() > 1 {
            " on bootstrap samples"
        } else {
            ""
        },
        q.rows_train,
        q.rows_test,
        r.frame.rows(),
        r.frame.hours_without_weather,
        q.r2_test,
        q.r2_test_members.0,
        q.r2_test_members.1,
        q.rmse_test,
        q.mean_test,
        q.r2_train,
        r.fit_seconds,
        m.resamples,
        r.normalise_seconds,
        imp.join(", ")
    )
}

fn trend_line(label: &str, t: &Option<Trend>) -> String {
    match t {
        None => format!("{label}: too few months for a trend"),
        Some(t) => format!(
            "{label}: {:+.2} a year [{:+.2}, {:+.2}] ({:+.1} %/yr [{:+.1}, {:+.1}]) p = {:.4} {}",
            t.slope,
            t.slope_lower,
            t.slope_upper,
            t.slope_percent,
            t.slope_percent_lower,
            t.slope_percent_upper,
            t.p,
            t.stars
        ),
    }
}

/// The mean over stations of monthly means (over the stations with a value that month).
fn area_months(per_station: &[Vec<Month>]) -> Vec<Month> {
    (0..per_station[0].len())
        .map(|i| {
            let v: Vec<f64> = per_station.iter().filter_map(|m| m[i].mean).collect();
            Month {
                first_day: per_station[0][i].first_day,
                mean: (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64),
            }
        })
        .collect()
}

pub async fn run_deweather(store_path: &Path, a: &DeweatherArgs) -> Result<()> {
    let b = Bootstrap {
        resamples: 599,
        autocorrelation: true,
        alpha: a.m.alpha,
        seed: a.m.seed,
    };
    let mut runs = Vec::new();
    let mut rows = Vec::new();
    let (mut obs_all, mut norm_all) = (Vec::new(), Vec::new());
    for station in &a.m.station {
        let r = run_model(store_path, &a.m, station).await?;
        let ys = years(&r, a.m.alpha);
        let (obs_m, norm_m) = months(&r, a.m.from, a.m.to);
        // The observed months are deseasonalised (as `lantian trend`); the normalised series
        // has no seasonal cycle left to remove (the calendar was resampled with the weather).
        let t_obs = trend(&obs_m, true, &b);
        let t_norm = trend(&norm_m, false, &b);
        obs_all.push(obs_m);
        norm_all.push(norm_m);
        rows.push((ys, t_obs, t_norm));
        runs.push(r);
    }
    let area = (runs.len() > 1).then(|| {
        (
            trend(&area_months(&obs_all), true, &b),
            trend(&area_months(&norm_all), false, &b),
        )
    });
    if let Some(p) = &a.series_out {
        write_series(p, &runs, a.m.alpha)?;
    }
    let mut out = std::io::stdout().lock();
    match a.format {
        OutFormat::Json => {
            let one = |r: &Run, (ys, t_obs, t_norm): &(Vec<Year>, Option<Trend>, Option<Trend>)| {
                serde_json::json!({
                    "station": r.station,
                    "pollutant": a.m.pollutant,
                    "from": a.m.from,
                    "to": a.m.to,
                    "weather": r.weather,
                    "model": model_json(r, &a.m),
                    "years": ys,
                    "trend_observed_deseasonalised": t_obs,
                    "trend_normalised": t_norm,
                })
            };
            let v = if runs.len() == 1 {
                one(&runs[0], &rows[0])
            } else {
                let (ao, an) = area.as_ref().expect("several stations");
                serde_json::json!({
                    "stations": runs.iter().zip(&rows).map(|(r, x)| one(r, x)).collect::<Vec<_>>(),
                    "area": {
                        "stations": a.m.station,
                        "what": "unweighted mean of the stations' monthly means",
                        "trend_observed_deseasonalised": ao,
                        "trend_normalised": an,
                    },
                })
            };
            writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        }
        OutFormat::Csv => {
            writeln!(
                out,
                "station,year,hours_observed,observed_mean,hours,normalised_mean,normalised_lower,normalised_upper"
            )?;
            for (r, (ys, _, _)) in runs.iter().zip(&rows) {
                for y in ys {
                    writeln!(
                        out,
                        "{},{},{},{:.3},{},{:.3},{:.3},{:.3}",
                        r.station,
                        y.year,
                        y.hours_observed,
                        y.observed_mean,
                        y.hours,
                        y.normalised.mean,
                        y.normalised.lower,
                        y.normalised.upper
                    )?;
                }
            }
        }
        OutFormat::Table => {
            for (r, (ys, t_obs, t_norm)) in runs.iter().zip(&rows) {
                writeln!(out, "{}", describe(r, &a.m))?;
                let pct = (1.0 - a.m.alpha) * 100.0;
                writeln!(
                    out,
                    "\nyear  hours observed  observed  normalised [{pct:.0} % interval over resamples]"
                )?;
                for y in ys {
                    writeln!(
                        out,
                        "{}  {:>14}  {:>8.1}  {:>10.1} [{:.1}, {:.1}]",
                        y.year,
                        y.hours_observed,
                        y.observed_mean,
                        y.normalised.mean,
                        y.normalised.lower,
                        y.normalised.upper
                    )?;
                }
                writeln!(
                    out,
                    "\ntrend (Theil-Sen on monthly means, openair's block bootstrap):"
                )?;
                writeln!(out, "{}", trend_line("  observed, deseasonalised", t_obs))?;
                writeln!(
                    out,
                    "{}\n",
                    trend_line("  weather-normalised      ", t_norm)
                )?;
            }
            if let Some((ao, an)) = &area {
                writeln!(
                    out,
                    "area: unweighted mean of the {} stations' monthly means",
                    runs.len()
                )?;
                writeln!(out, "{}", trend_line("  observed, deseasonalised", ao))?;
                writeln!(out, "{}", trend_line("  weather-normalised      ", an))?;
            }
        }
    }
    Ok(())
}

fn span(text: &str) -> Result<PeriodSpan> {
    let p = lantian_assess::period::Period::parse(text)?;
    Ok(PeriodSpan {
        label: text.to_string(),
        first: p.first,
        last: p.last,
    })
}

pub async fn run_attribute(store_path: &Path, a: &AttributeArgs) -> Result<()> {
    let (base, compare) = (span(&a.base)?, span(&a.compare)?);
    for p in [&base, &compare] {
        if p.first < a.m.from || p.last > a.m.to {
            bail!(
                "period {} ({}..{}) is outside the modelled window --from {} --to {}",
                p.label,
                p.first,
                p.last,
                a.m.from,
                a.m.to
            );
        }
    }
    let mut runs: Vec<(Run, Attribution)> = Vec::new();
    for station in &a.m.station {
        let r = run_model(store_path, &a.m, station).await?;
        let at = attribute(
            &r.frame,
            &r.predicted,
            &r.normalised,
            &base,
            &compare,
            a.m.alpha,
        )
        .map_err(|e| anyhow::anyhow!("station {station}: {e}"))?;
        runs.push((r, at));
    }
    let area = if runs.len() > 1 {
        let parts: Vec<Attribution> = runs.iter().map(|(_, at)| at.clone()).collect();
        lantian_deweather::attribution::combine(&parts)
    } else {
        None
    };
    let mut lines: Vec<(String, &Attribution)> =
        runs.iter().map(|(r, at)| (r.station.clone(), at)).collect();
    if let Some(at) = &area {
        lines.push((format!("area ({} stations)", runs.len()), at));
    }
    let mut out = std::io::stdout().lock();
    match a.format {
        OutFormat::Json => {
            let one = |r: &Run, at: &Attribution| {
                serde_json::json!({
                    "station": r.station,
                    "pollutant": a.m.pollutant,
                    "model": model_json(r, &a.m),
                    "attribution": at,
                    "sentence": at.sentence(&a.m.pollutant, "ug/m3"),
                })
            };
            let v = match &area {
                None => one(&runs[0].0, &runs[0].1),
                Some(at) => serde_json::json!({
                    "stations": runs.iter().map(|(r, at)| one(r, at)).collect::<Vec<_>>(),
                    "area": {
                        "stations": a.m.station,
                        "what": "unweighted mean of the stations; intervals from the per-resample mean of their emission parts",
                        "attribution": at,
                        "sentence": at.sentence(&a.m.pollutant, "ug/m3"),
                    },
                }),
            };
            writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        }
        OutFormat::Csv => {
            writeln!(
                out,
                "station,part,change,lower,upper,points,points_lower,points_upper"
            )?;
            for (label, at) in &lines {
                let o = at.observed_change;
                let op = at.observed_percent;
                writeln!(
                    out,
                    "{label},observed,{o:.3},{o:.3},{o:.3},{op:.3},{op:.3},{op:.3}"
                )?;
                for (name, p) in [
                    ("emission", &at.emission),
                    ("weather", &at.weather),
                    ("unexplained", &at.unexplained),
                ] {
                    writeln!(
                        out,
                        "{label},{name},{:.3},{:.3},{:.3},{:.3},{:.3},{:.3}",
                        p.change, p.lower, p.upper, p.points, p.points_lower, p.points_upper
                    )?;
                }
            }
        }
        OutFormat::Table => {
            for (r, _) in &runs {
                writeln!(out, "{}\n", describe(r, &a.m))?;
            }
            writeln!(
                out,
                "station  period  hours (of)  observed  predicted  normalised [interval]"
            )?;
            for (label, at) in &lines {
                for f in [&at.base, &at.compare] {
                    writeln!(
                        out,
                        "{label}  {}  {} ({})  {:.1}  {:.1}  {:.1}{}",
                        f.label,
                        f.hours,
                        f.hours_in_period,
                        f.observed_mean,
                        f.predicted_mean,
                        f.normalised.mean,
                        // An area's period means are averages of its stations' (no interval).
                        if f.normalised.lower.is_nan() {
                            String::new()
                        } else {
                            format!(" [{:.1}, {:.1}]", f.normalised.lower, f.normalised.upper)
                        }
                    )?;
                }
            }
            writeln!(
                out,
                "\nstation  observed change (points)  emission [interval]  weather [interval]  unexplained   (points of the base mean)"
            )?;
            for (label, at) in &lines {
                writeln!(
                    out,
                    "{label}  {:+.1} ({:+.1})  {:+.1} [{:+.1}, {:+.1}]  {:+.1} [{:+.1}, {:+.1}]  {:+.1}",
                    at.observed_change,
                    at.observed_percent,
                    at.emission.points,
                    at.emission.points_lower,
                    at.emission.points_upper,
                    at.weather.points,
                    at.weather.points_lower,
                    at.weather.points_upper,
                    at.unexplained.points
                )?;
            }
            for (label, at) in &lines {
                writeln!(out, "\n{label}: {}", at.sentence(&a.m.pollutant, "ug/m3"))?;
            }
        }
    }
    Ok(())
}

#[derive(Args)]
pub struct BreaksArgs {
    #[command(flatten)]
    pub m: ModelArgs,
    /// Search the weather-normalised series (fits the model first) instead of the observed one.
    #[arg(long)]
    pub normalise: bool,
    /// Average over this many days before the search (AQEval's examples use 1, 3 or 14; bins of
    /// more than one day are aligned on 1970-01-01, as openair 3.1's timeAverage).
    #[arg(long, default_value_t = 1)]
    pub days: u32,
    /// Minimum segment: a fraction of the values (< 1) or a count (AQEval: 0.15).
    #[arg(long, default_value_t = 0.15)]
    pub h: f64,
    /// Keep every break found instead of AQEval's subset test (testBreakPoints).
    #[arg(long)]
    pub no_test: bool,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    pub format: OutFormat,
}

/// Means over bins of `days` local days (epoch-aligned), every bin from the first to the
/// last kept (empty bins NaN): (bin start dates, means).
fn bin_means(first: NaiveDateTime, hourly: &[f64], days: u32) -> (Vec<NaiveDate>, Vec<f64>) {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid");
    let bin_of = |h: usize| {
        let d = (first + chrono::Duration::hours(h as i64)).date();
        (d - epoch).num_days().div_euclid(days as i64)
    };
    let (b0, b1) = (bin_of(0), bin_of(hourly.len().saturating_sub(1)));
    let nb = (b1 - b0 + 1) as usize;
    let (mut sum, mut count) = (vec![0.0; nb], vec![0usize; nb]);
    for (h, v) in hourly.iter().enumerate() {
        if !v.is_nan() {
            let b = (bin_of(h) - b0) as usize;
            sum[b] += v;
            count[b] += 1;
        }
    }
    let dates = (0..nb)
        .map(|b| epoch + chrono::Duration::days((b0 + b as i64) * days as i64))
        .collect();
    let means = sum
        .iter()
        .zip(&count)
        .map(|(s, &c)| if c == 0 { f64::NAN } else { s / c as f64 })
        .collect();
    (dates, means)
}

pub async fn run_breaks(store_path: &Path, a: &BreaksArgs) -> Result<()> {
    use lantian_trend::breakpoints::{find_break_points, quantify, test_breaks};
    if a.days == 0 {
        bail!("--days must be at least 1");
    }
    let [station] = a.m.station.as_slice() else {
        bail!(
            "lantian breaks takes one --station (got {})",
            a.m.station.len()
        );
    };
    let (first, hourly, what) = if a.normalise {
        let r = run_model(store_path, &a.m, station).await?;
        // Back onto the full hourly axis (hours without weather stay missing).
        let first = a.m.from.and_hms_opt(0, 0, 0).expect("midnight");
        let len = ((a.m.to - a.m.from).num_days() as usize + 1) * 24;
        let mut v = vec![f64::NAN; len];
        for (row, t) in r.frame.hours.iter().enumerate() {
            v[(*t - first).num_hours() as usize] = r.normalised.mean[row];
        }
        let what = format!(
            "weather-normalised (R² {:.3}, {} resamples)",
            r.model.quality.r2_test, a.m.resamples
        );
        (first, v, what)
    } else {
        let i = read_inputs(store_path, &a.m, station, false).await?;
        (i.first, i.target, "observed".to_string())
    };
    let (dates, y) = bin_means(first, &hourly, a.days);
    let search = find_break_points(&y, a.h)?;
    // AQEval's time axis: seconds since 1970 at each bin's start (the fit is unit-free).
    let times: Vec<f64> = dates
        .iter()
        .map(|d| {
            d.and_hms_opt(0, 0, 0)
                .expect("midnight")
                .and_utc()
                .timestamp() as f64
        })
        .collect();
    let (table, kept) = if a.no_test || search.breaks.is_empty() {
        (vec![], None)
    } else {
        let (t, c) = test_breaks(&times, &y, &search.breaks);
        (t, c)
    };
    let used: Vec<lantian_trend::breakpoints::Break> = match &kept {
        Some(idx) => idx.iter().map(|&i| search.breaks[i]).collect(),
        None => search.breaks.clone(),
    };
    let sizes = if used.is_empty() {
        Some(vec![])
    } else {
        quantify(&times, &y, &used)
    };
    let sizes = sizes.context("the break-point model could not be fitted (too few values)")?;
    let date = |r: Option<usize>| {
        r.map(|r| dates[r].to_string())
            .unwrap_or_else(|| "NA".into())
    };
    let mut out = std::io::stdout().lock();
    match a.format {
        OutFormat::Json => {
            let v = serde_json::json!({
                "station": station,
                "pollutant": a.m.pollutant,
                "series": what,
                "days_per_value": a.days,
                "values": y.len(),
                "values_searched": search.n,
                "minimum_segment": search.h,
                "bic": search.bic,
                "breaks_found": search.breaks.iter().map(|b| serde_json::json!({
                    "date": date(Some(b.row)), "lower": date(b.lower), "upper": date(b.upper),
                    "row": b.row + 1,
                })).collect::<Vec<_>>(),
                "subset_test": table.iter().map(|t| serde_json::json!({
                    "breaks": t.subset.iter().map(|i| i + 1).collect::<Vec<_>>(),
                    "significant": t.significant, "adj_r2": t.adj_r2,
                })).collect::<Vec<_>>(),
                "breaks_used": sizes.iter().map(|s| serde_json::json!({
                    "date": date(Some(s.row)), "lower": date(s.lower), "upper": date(s.upper),
                    "level_before": s.c0, "level_after": s.c1, "change": s.change, "percent": s.percent,
                    "change_upper": s.change_upper, "percent_upper": s.percent_upper,
                    "change_lower": s.change_lower, "percent_lower": s.percent_lower,
                })).collect::<Vec<_>>(),
            });
            writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        }
        OutFormat::Csv => {
            writeln!(
                out,
                "date,lower,upper,level_before,level_after,change,percent,change_upper,percent_upper,change_lower,percent_lower"
            )?;
            for s in &sizes {
                writeln!(
                    out,
                    "{},{},{},{:.4},{:.4},{:.4},{:.2},{:.4},{:.2},{:.4},{:.2}",
                    date(Some(s.row)),
                    date(s.lower),
                    date(s.upper),
                    s.c0,
                    s.c1,
                    s.change,
                    s.percent,
                    s.change_upper,
                    s.percent_upper,
                    s.change_lower,
                    s.percent_lower
                )?;
            }
        }
        OutFormat::Table => {
            writeln!(
                out,
                "{} {} {}..{}: {} series, means of {} day(s): {} values, {} searched; minimum segment {} (h = {})",
                station,
                a.m.pollutant,
                a.m.from,
                a.m.to,
                what,
                a.days,
                y.len(),
                search.n,
                search.h,
                a.h
            )?;
            let bic: Vec<String> = search
                .bic
                .iter()
                .map(|r| format!("{}: {:.2}", r.breaks, r.bic))
                .collect();
            writeln!(
                out,
                "BIC by number of breaks: {} → {} break(s)",
                bic.join(", "),
                search.breaks_chosen
            )?;
            writeln!(
                out,
                "\nfound (date = AQEval's bpt row; 95 % interval, Bai 1997):"
            )?;
            for (i, b) in search.breaks.iter().enumerate() {
                writeln!(
                    out,
                    "  {}  {}  [{} .. {}]",
                    i + 1,
                    date(Some(b.row)),
                    date(b.lower),
                    date(b.upper)
                )?;
            }
            match (&kept, a.no_test) {
                (_, true) => writeln!(out, "all breaks kept (--no-test)")?,
                (Some(k), _) => writeln!(
                    out,
                    "kept by AQEval's subset test (every p < 0.05, highest adjusted R²): {}",
                    k.iter()
                        .map(|i| (i + 1).to_string())
                        .collect::<Vec<_>>()
                        .join(" + ")
                )?,
                (None, _) if !search.breaks.is_empty() => writeln!(
                    out,
                    "no subset passes the test: all breaks kept (as AQEval)"
                )?,
                _ => {}
            }
            if !sizes.is_empty() {
                writeln!(
                    out,
                    "\ndate        level before → after   change   percent   (AQEval upper / lower change)"
                )?;
            }
            for s in &sizes {
                writeln!(
                    out,
                    "{}  {:>8.2} → {:<8.2}  {:>+8.2}  {:>+6.1} %   ({:+.2} / {:+.2})",
                    date(Some(s.row)),
                    s.c0,
                    s.c1,
                    s.change,
                    s.percent,
                    s.change_upper,
                    s.change_lower
                )?;
            }
        }
    }
    Ok(())
}
