//! `lantian deweather`, `lantian attribute` and `lantian breaks`: weather normalisation of a
//! station's hourly series, the attribution of a change between two periods, and step changes
//! (see `lantian_app::deweather` and `lantian_app::breaks`). Arguments, progress bars and
//! printing only.
//!
//! Weather comes from the store (variables such as ws, wd, temp, dewp, pres, rain stored with
//! the station, as the UCI and AQEval files carry them) or from a CSV the user brings
//! (`--weather-csv`, e.g. hourly airport observations; format in docs/deweather.md).

use crate::args::{OrCli, OutFormat, period};
use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use lantian_app::breaks::{Breaks, BreaksRequest, breaks};
use lantian_app::deweather::{
    AttributeAnswer, AttributeRequest, Day, DeweatherRequest, ModelRequest, ModelSummary, Progress,
    Weather, attribute, deweather,
};
use lantian_assess::period::Period;
use lantian_deweather::ModelSettings;
use lantian_deweather::attribution::Attribution;
use lantian_store::Store;
use lantian_store::matrix::MatrixReader;
use lantian_trend::trend::Trend;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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
    #[arg(long, value_parser = period)]
    pub base: Period,
    /// The period compared with the base.
    #[arg(long, value_parser = period)]
    pub compare: Period,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    pub format: OutFormat,
}

impl ModelArgs {
    fn request(&self) -> ModelRequest {
        let weather = match (&self.weather_csv, &self.weather_station) {
            (Some(path), _) => Weather::Csv {
                path: path.clone(),
                variables: self.weather.clone(),
            },
            (None, station) => {
                let variables = self
                    .weather
                    .clone()
                    .unwrap_or_else(Weather::default_variables);
                match station {
                    Some(s) => Weather::Station {
                        station: s.clone(),
                        variables,
                    },
                    None => Weather::Store { variables },
                }
            }
        };
        ModelRequest {
            pollutant: self.pollutant.clone(),
            from: self.from,
            to: self.to,
            weather,
            utc_offset: self.utc_offset,
            settings: ModelSettings {
                trees: self.trees,
                learning_rate: self.learning_rate,
                max_depth: self.max_depth,
                test_fraction: self.test_fraction,
                seed: self.seed,
                models: self.models,
            },
            resamples: self.resamples,
            threads: self.threads,
            alpha: self.alpha,
        }
    }

    /// The store snapshot of the chosen sources.
    async fn reader(&self, store_path: &Path) -> Result<MatrixReader> {
        let store = Store::open(store_path).await?;
        Ok(store.matrix_reader(&self.source).await?)
    }
}

/// The bars of a model run: a spinner while a model is fitted, then a bar of the weather
/// resamples (updated from the resampling's threads).
struct Bars {
    quiet: bool,
    current: Mutex<Option<ProgressBar>>,
}

impl Bars {
    fn new(quiet: bool) -> Bars {
        Bars {
            quiet,
            current: Mutex::new(None),
        }
    }

    fn bar(&self, len: u64, template: &str) -> ProgressBar {
        let b = if self.quiet {
            ProgressBar::hidden()
        } else {
            ProgressBar::new(len)
        };
        b.set_style(ProgressStyle::with_template(template).expect("template"));
        b
    }

    fn report(&self, p: Progress<'_>) {
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        match p {
            Progress::Fitting {
                station,
                trees,
                hours,
                features,
            } => {
                let spin = self.bar(0, "{spinner} [{elapsed_precise}] {msg}");
                spin.set_message(format!(
                    "{station}: fitting {trees} trees on {hours} hours × {features} features"
                ));
                spin.enable_steady_tick(std::time::Duration::from_millis(200));
                *current = Some(spin);
            }
            Progress::Resampling { station, resamples } => {
                let pb = self.bar(
                    resamples as u64,
                    "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} weather resamples ({eta}) {msg}",
                );
                pb.set_message(station.to_string());
                *current = Some(pb);
            }
            Progress::Resampled { done, .. } => {
                if let Some(b) = current.as_ref() {
                    b.set_position(done as u64);
                }
            }
            Progress::Fitted { .. } | Progress::Normalised { .. } => {
                if let Some(b) = current.take() {
                    b.finish_and_clear();
                }
            }
        }
    }
}

fn describe(station: &str, model: &ModelSummary, m: &ModelArgs) -> String {
    let imp: Vec<String> = model
        .importance
        .iter()
        .map(|i| format!("{} {:.2}", i.variable, i.gain_share))
        .collect();
    format!(
        "{} {} {}..{}; weather: {} ({})\nmodel: {} × gradient-boosted trees ({} trees, depth {}, learning rate {}){}; {} hours fitted, {} held out ({} hours in the table, {} without weather)\nout-of-sample R² {:.3} (members {:.3}..{:.3}), RMSE {:.1} (test mean {:.1}); train R² {:.3}; fit {:.1} s, {} resamples {:.1} s\nimportance (share of split gain): {}",
        station,
        m.pollutant,
        m.from,
        m.to,
        model.weather().join(", "),
        model.weather_from,
        model.models,
        model.settings.trees,
        model.settings.max_depth,
        model.settings.learning_rate,
        if model.models > 1 {
            " on bootstrap samples"
        } else {
            ""
        },
        model.rows_train,
        model.rows_test,
        model.hours_in_table,
        model.hours_without_weather,
        model.r2_test,
        model.r2_test_members.0,
        model.r2_test_members.1,
        model.rmse_test,
        model.mean_test,
        model.r2_train,
        model.fit_seconds,
        model.resamples,
        model.normalise_seconds,
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

fn write_series(path: &Path, days: &[Day]) -> Result<()> {
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
    let fmt = |v: f64| {
        if v.is_nan() {
            String::new()
        } else {
            format!("{v:.3}")
        }
    };
    for d in days {
        w.write_record([
            d.station.clone(),
            d.date.to_string(),
            d.hours.to_string(),
            d.hours_observed.to_string(),
            fmt(d.observed.unwrap_or(f64::NAN)),
            fmt(d.predicted),
            fmt(d.normalised.mean),
            fmt(d.normalised.lower),
            fmt(d.normalised.upper),
        ])?;
    }
    w.flush()?;
    Ok(())
}

pub async fn run_deweather(store_path: &Path, a: &DeweatherArgs) -> Result<()> {
    let req = DeweatherRequest {
        stations: a.m.station.clone(),
        model: a.m.request(),
        daily: a.series_out.is_some(),
    };
    req.check().cli()?;
    let reader = a.m.reader(store_path).await?;
    let bars = Bars::new(a.m.quiet);
    let done = deweather(&reader, &req, &|p| bars.report(p)).cli()?;
    if let Some(p) = &a.series_out {
        write_series(p, &done.daily)?;
    }
    let answer = &done.answer;
    let mut out = std::io::stdout().lock();
    match a.format {
        OutFormat::Json => {
            writeln!(out, "{}", lantian_app::sorted_json(answer).cli()?)?;
        }
        OutFormat::Csv => {
            writeln!(
                out,
                "station,year,hours_observed,observed_mean,hours,normalised_mean,normalised_lower,normalised_upper"
            )?;
            for s in answer.stations() {
                for y in &s.years {
                    writeln!(
                        out,
                        "{},{},{},{:.3},{},{:.3},{:.3},{:.3}",
                        s.station,
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
            for s in answer.stations() {
                writeln!(out, "{}", describe(&s.station, &s.model, &a.m))?;
                let pct = (1.0 - a.m.alpha) * 100.0;
                writeln!(
                    out,
                    "\nyear  hours observed  observed  normalised [{pct:.0} % interval over resamples]"
                )?;
                for y in &s.years {
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
                writeln!(
                    out,
                    "{}",
                    trend_line(
                        "  observed, deseasonalised",
                        &s.trend_observed_deseasonalised
                    )
                )?;
                writeln!(
                    out,
                    "{}\n",
                    trend_line("  weather-normalised      ", &s.trend_normalised)
                )?;
            }
            if let Some(area) = answer.area() {
                writeln!(
                    out,
                    "area: unweighted mean of the {} stations' monthly means",
                    answer.stations().len()
                )?;
                writeln!(
                    out,
                    "{}",
                    trend_line(
                        "  observed, deseasonalised",
                        &area.trend_observed_deseasonalised
                    )
                )?;
                writeln!(
                    out,
                    "{}",
                    trend_line("  weather-normalised      ", &area.trend_normalised)
                )?;
            }
        }
    }
    Ok(())
}

pub async fn run_attribute(store_path: &Path, a: &AttributeArgs) -> Result<()> {
    let req = AttributeRequest {
        stations: a.m.station.clone(),
        model: a.m.request(),
        base: a.base.clone(),
        compare: a.compare.clone(),
    };
    req.check().cli()?;
    let reader = a.m.reader(store_path).await?;
    let bars = Bars::new(a.m.quiet);
    let answer = attribute(&reader, &req, &|p| bars.report(p)).cli()?;
    let mut lines: Vec<(String, &Attribution)> = answer
        .stations()
        .iter()
        .map(|s| (s.station.clone(), &s.attribution))
        .collect();
    if let Some(area) = answer.area() {
        lines.push((
            format!("area ({} stations)", answer.stations().len()),
            &area.attribution,
        ));
    }
    let mut out = std::io::stdout().lock();
    match a.format {
        OutFormat::Json => {
            writeln!(out, "{}", lantian_app::sorted_json(&answer).cli()?)?;
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
        OutFormat::Table => print_attribution_table(&mut out, &answer, &lines, &a.m)?,
    }
    Ok(())
}

fn print_attribution_table(
    out: &mut impl Write,
    answer: &AttributeAnswer,
    lines: &[(String, &Attribution)],
    m: &ModelArgs,
) -> Result<()> {
    for s in answer.stations() {
        writeln!(out, "{}\n", describe(&s.station, &s.model, m))?;
    }
    writeln!(
        out,
        "station  period  hours (of)  observed  predicted  normalised [interval]"
    )?;
    for (label, at) in lines {
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
    for (label, at) in lines {
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
    let sentences = answer
        .stations()
        .iter()
        .map(|s| &s.sentence)
        .chain(answer.area().map(|a| &a.sentence));
    for ((label, _), sentence) in lines.iter().zip(sentences) {
        writeln!(out, "\n{label}: {sentence}")?;
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

pub async fn run_breaks(store_path: &Path, a: &BreaksArgs) -> Result<()> {
    let [station] = a.m.station.as_slice() else {
        bail!(
            "lantian breaks takes one --station (got {})",
            a.m.station.len()
        );
    };
    let req = BreaksRequest {
        station: station.clone(),
        model: a.m.request(),
        normalise: a.normalise,
        days: a.days,
        h: a.h,
        test: !a.no_test,
    };
    req.check().cli()?;
    let reader = a.m.reader(store_path).await?;
    let bars = Bars::new(a.m.quiet);
    let b = breaks(&reader, &req, &|p| bars.report(p)).cli()?;
    let mut out = std::io::stdout().lock();
    match a.format {
        OutFormat::Json => {
            writeln!(out, "{}", lantian_app::sorted_json(&b).cli()?)?;
        }
        OutFormat::Csv => {
            writeln!(
                out,
                "date,lower,upper,level_before,level_after,change,percent,change_upper,percent_upper,change_lower,percent_lower"
            )?;
            for s in &b.breaks_used {
                writeln!(
                    out,
                    "{},{},{},{:.4},{:.4},{:.4},{:.2},{:.4},{:.2},{:.4},{:.2}",
                    s.date,
                    na(s.lower),
                    na(s.upper),
                    s.level_before,
                    s.level_after,
                    s.change,
                    s.percent,
                    s.change_upper,
                    s.percent_upper,
                    s.change_lower,
                    s.percent_lower
                )?;
            }
        }
        OutFormat::Table => print_breaks_table(&mut out, &b, a)?,
    }
    Ok(())
}

/// A date, or AQEval's `NA`.
fn na(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "NA".into())
}

fn print_breaks_table(out: &mut impl Write, b: &Breaks, a: &BreaksArgs) -> Result<()> {
    writeln!(
        out,
        "{} {} {}..{}: {} series, means of {} day(s): {} values, {} searched; minimum segment {} (h = {})",
        b.station,
        b.pollutant,
        a.m.from,
        a.m.to,
        b.series,
        b.days_per_value,
        b.values,
        b.values_searched,
        b.minimum_segment,
        a.h
    )?;
    let bic: Vec<String> = b
        .bic
        .iter()
        .map(|r| format!("{}: {:.2}", r.breaks, r.bic))
        .collect();
    writeln!(
        out,
        "BIC by number of breaks: {} → {} break(s)",
        bic.join(", "),
        b.breaks_chosen
    )?;
    writeln!(
        out,
        "\nfound (date = AQEval's bpt row; 95 % interval, Bai 1997):"
    )?;
    for (i, f) in b.breaks_found.iter().enumerate() {
        writeln!(
            out,
            "  {}  {}  [{} .. {}]",
            i + 1,
            f.date,
            na(f.lower),
            na(f.upper)
        )?;
    }
    match (&b.kept, a.no_test) {
        (_, true) => writeln!(out, "all breaks kept (--no-test)")?,
        (Some(k), _) => writeln!(
            out,
            "kept by AQEval's subset test (every p < 0.05, highest adjusted R²): {}",
            k.iter()
                .map(|i| (i + 1).to_string())
                .collect::<Vec<_>>()
                .join(" + ")
        )?,
        (None, _) if !b.breaks_found.is_empty() => writeln!(
            out,
            "no subset passes the test: all breaks kept (as AQEval)"
        )?,
        _ => {}
    }
    if !b.breaks_used.is_empty() {
        writeln!(
            out,
            "\ndate        level before → after   change   percent   (AQEval upper / lower change)"
        )?;
    }
    for s in &b.breaks_used {
        writeln!(
            out,
            "{}  {:>8.2} → {:<8.2}  {:>+8.2}  {:>+6.1} %   ({:+.2} / {:+.2})",
            s.date,
            s.level_before,
            s.level_after,
            s.change,
            s.percent,
            s.change_upper,
            s.change_lower
        )?;
    }
    Ok(())
}
