//! How much of a change between two periods was the weather?
//!
//! Over the hours of each period that have the pollutant (and weather):
//! - observed mean `O`;
//! - the model's prediction with the actual weather, mean `P`;
//! - the weather-normalised mean `N` (per resample, so with an interval).
//!
//! The observed change splits exactly into three parts:
//!
//! `ΔO = ΔN + (ΔP − ΔN) + (ΔO − ΔP)`
//!
//! - `ΔN`, the change with the weather held at the record's typical weather: **emission-driven**
//!   (more exactly: driven by everything that moves with time and is not weather — emissions,
//!   but also e.g. regional transport trends);
//! - `ΔP − ΔN`, what the actual weather of each period added: **weather-driven**;
//! - `ΔO − ΔP`, what the model does not reproduce: **unexplained** (reported, not shared out).
//!
//! Intervals are the (α/2, 1 − α/2) percentiles of each part over the resamples (ΔP and ΔO are
//! fixed numbers; only `ΔN` varies between resamples). Percent figures are points of the base
//! period's observed mean, so they add up like the bulletin's "down 8.1 %".

use crate::frame::Frame;
use crate::normalise::{Aggregate, Normalised};
use crate::quantile;
use chrono::NaiveDate;

/// A closed range of local dates with its name.
#[derive(Clone, Debug, serde::Serialize)]
pub struct PeriodSpan {
    pub label: String,
    pub first: NaiveDate,
    pub last: NaiveDate,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct PeriodFigures {
    pub label: String,
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// Hours with the pollutant and complete weather.
    pub hours: usize,
    /// Hours of the period (for completeness: `hours / hours_in_period`).
    pub hours_in_period: usize,
    pub observed_mean: f64,
    /// Model prediction with the actual weather.
    pub predicted_mean: f64,
    pub normalised: Aggregate,
}

/// A part of the change, in concentration and in points of the base period's observed mean.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Part {
    pub change: f64,
    pub lower: f64,
    pub upper: f64,
    pub points: f64,
    pub points_lower: f64,
    pub points_upper: f64,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct Attribution {
    pub base: PeriodFigures,
    pub compare: PeriodFigures,
    pub observed_change: f64,
    /// Observed change in percent of the base period's observed mean.
    pub observed_percent: f64,
    pub emission: Part,
    pub weather: Part,
    /// ΔO − ΔP (no interval: both are fixed).
    pub unexplained: Part,
    pub alpha: f64,
    pub resamples: usize,
    /// Ensemble members behind the draws.
    pub models: usize,
    /// ΔN per resample (to combine stations resample by resample).
    #[serde(skip)]
    pub emission_draws: Vec<f64>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
#[error("period {label} ({first}..{last}) has no hour with both the pollutant and the weather")]
pub struct EmptyPeriod {
    pub label: String,
    pub first: NaiveDate,
    pub last: NaiveDate,
}

fn rows_in(frame: &Frame, p: &PeriodSpan) -> Vec<usize> {
    (0..frame.rows())
        .filter(|&r| {
            let d = frame.hours[r].date();
            d >= p.first && d <= p.last && !frame.y[r].is_nan()
        })
        .collect()
}

fn part(change: f64, draws: &[f64], alpha: f64, base: f64) -> Part {
    let (lower, upper) = if draws.is_empty() {
        (change, change)
    } else {
        (
            quantile(draws, alpha / 2.0),
            quantile(draws, 1.0 - alpha / 2.0),
        )
    };
    Part {
        change,
        lower,
        upper,
        points: 100.0 * change / base,
        points_lower: 100.0 * lower / base,
        points_upper: 100.0 * upper / base,
    }
}

/// Attribute the change from `base` to `compare`. `predicted` is the model's prediction for
/// every frame row with its actual weather ([`crate::Model::predict_frame`]).
pub fn attribute(
    frame: &Frame,
    predicted: &[f64],
    normalised: &Normalised,
    base: &PeriodSpan,
    compare: &PeriodSpan,
    alpha: f64,
) -> Result<Attribution, EmptyPeriod> {
    let figures = |p: &PeriodSpan| -> Result<(PeriodFigures, Vec<f64>), EmptyPeriod> {
        let rows = rows_in(frame, p);
        if rows.is_empty() {
            return Err(EmptyPeriod {
                label: p.label.clone(),
                first: p.first,
                last: p.last,
            });
        }
        let mean =
            |v: &dyn Fn(usize) -> f64| rows.iter().map(|&r| v(r)).sum::<f64>() / rows.len() as f64;
        let f = PeriodFigures {
            label: p.label.clone(),
            first: p.first,
            last: p.last,
            hours: rows.len(),
            hours_in_period: ((p.last - p.first).num_days() as usize + 1) * 24,
            observed_mean: mean(&|r| frame.y[r]),
            predicted_mean: mean(&|r| predicted[r]),
            normalised: normalised.aggregate(&rows, alpha),
        };
        Ok((f, normalised.resample_means(&rows)))
    };
    let (b, nb) = figures(base)?;
    let (c, nc) = figures(compare)?;
    let d_obs = c.observed_mean - b.observed_mean;
    let d_pred = c.predicted_mean - b.predicted_mean;
    let d_norm: Vec<f64> = nc.iter().zip(&nb).map(|(c, b)| c - b).collect();
    let d_norm_mean = d_norm.iter().sum::<f64>() / d_norm.len() as f64;
    let d_weather: Vec<f64> = d_norm.iter().map(|n| d_pred - n).collect();
    let base_mean = b.observed_mean;
    Ok(Attribution {
        observed_change: d_obs,
        observed_percent: 100.0 * d_obs / base_mean,
        emission: part(d_norm_mean, &d_norm, alpha, base_mean),
        weather: part(d_pred - d_norm_mean, &d_weather, alpha, base_mean),
        unexplained: part(d_obs - d_pred, &[], alpha, base_mean),
        base: b,
        compare: c,
        alpha,
        resamples: normalised.resamples,
        models: normalised.models,
        emission_draws: d_norm,
    })
}

/// The attribution of an area from its stations' (the unweighted mean of the stations, as
/// the area concentration of HJ 663 is): means and parts averaged over the stations; the
/// intervals from the per-resample mean of the stations' emission parts (resample `s` of each
/// station together). All attributions must share `alpha` and the number of resamples.
pub fn combine(parts: &[Attribution]) -> Option<Attribution> {
    let first = parts.first()?;
    let k = parts.len() as f64;
    let mean = |f: &dyn Fn(&Attribution) -> f64| parts.iter().map(f).sum::<f64>() / k;
    let figures = |f: &dyn Fn(&Attribution) -> &PeriodFigures| PeriodFigures {
        label: f(first).label.clone(),
        first: f(first).first,
        last: f(first).last,
        hours: parts.iter().map(|a| f(a).hours).sum(),
        hours_in_period: parts.iter().map(|a| f(a).hours_in_period).sum(),
        observed_mean: mean(&|a| f(a).observed_mean),
        predicted_mean: mean(&|a| f(a).predicted_mean),
        normalised: Aggregate {
            mean: mean(&|a| f(a).normalised.mean),
            lower: f64::NAN,
            upper: f64::NAN,
            hours: parts.iter().map(|a| f(a).normalised.hours).sum(),
        },
    };
    let base = figures(&|a| &a.base);
    let compare = figures(&|a| &a.compare);
    let draws: Vec<f64> = (0..first.emission_draws.len())
        .map(|s| parts.iter().map(|a| a.emission_draws[s]).sum::<f64>() / k)
        .collect();
    let d_obs = compare.observed_mean - base.observed_mean;
    let d_pred = compare.predicted_mean - base.predicted_mean;
    let d_norm = draws.iter().sum::<f64>() / draws.len() as f64;
    let weather_draws: Vec<f64> = draws.iter().map(|n| d_pred - n).collect();
    let b = base.observed_mean;
    Some(Attribution {
        observed_change: d_obs,
        observed_percent: 100.0 * d_obs / b,
        emission: part(d_norm, &draws, first.alpha, b),
        weather: part(d_pred - d_norm, &weather_draws, first.alpha, b),
        unexplained: part(d_obs - d_pred, &[], first.alpha, b),
        base,
        compare,
        alpha: first.alpha,
        resamples: first.resamples,
        models: first.models,
        emission_draws: draws,
    })
}

impl Attribution {
    /// The finding in plain words, e.g. "PM2.5 fell from 85.2 to 73.1 (−14.2 %). Of that
    /// change, −9.8 points [−11.0, −8.6] are emission-driven, ...".
    pub fn sentence(&self, pollutant: &str, unit: &str) -> String {
        let verb = if self.observed_change < 0.0 {
            "fell"
        } else {
            "rose"
        };
        let pct = (1.0 - self.alpha) * 100.0;
        format!(
            "{pollutant} {verb} from {:.1} to {:.1} {unit} ({:+.1} %) between {} and {}. Of that change, {:+.1} points [{:+.1}, {:+.1}] are emission-driven (the change of the weather-normalised series), {:+.1} points [{:+.1}, {:+.1}] are due to the weather, and {:+.1} points are not explained by the model ({pct:.0} % intervals over {} weather resamples{}).",
            self.base.observed_mean,
            self.compare.observed_mean,
            self.observed_percent,
            self.base.label,
            self.compare.label,
            self.emission.points,
            self.emission.points_lower,
            self.emission.points_upper,
            self.weather.points,
            self.weather.points_lower,
            self.weather.points_upper,
            self.unexplained.points,
            self.resamples,
            if self.models > 1 {
                format!(" shared among {} bootstrap-fitted models", self.models)
            } else {
                String::new()
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::Normalised;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2015, 1, d).unwrap()
    }

    /// Four hours: two on 1 January (base), two on 2 January (compare); one base hour has no
    /// pollutant. Two resamples.
    fn setup() -> (Frame, Vec<f64>, Normalised) {
        let t0 = day(1).and_hms_opt(0, 0, 0).unwrap();
        let hours: Vec<_> = [0, 1, 24, 25]
            .iter()
            .map(|h| t0 + chrono::Duration::hours(*h))
            .collect();
        let frame = Frame {
            names: vec![
                "trend".into(),
                "day_of_year".into(),
                "weekday".into(),
                "hour".into(),
                "ws".into(),
            ],
            x: vec![0.0; 20],
            y: vec![100.0, f64::NAN, 80.0, 60.0],
            hours,
            hours_without_weather: 0,
        };
        let predicted = vec![96.0, 50.0, 78.0, 58.0];
        // Resample 0: 90, _, 84, 80; resample 1: 94, _, 82, 78.
        let per_resample = vec![90.0, 0.0, 84.0, 80.0, 94.0, 0.0, 82.0, 78.0];
        let mean = vec![92.0, 0.0, 83.0, 79.0];
        (
            frame,
            predicted,
            Normalised {
                rows: 4,
                resamples: 2,
                models: 1,
                per_resample,
                mean,
            },
        )
    }

    /// A one-day period of January 2015.
    fn p(label: &str, d: u32) -> PeriodSpan {
        PeriodSpan {
            label: label.into(),
            first: day(d),
            last: day(d),
        }
    }

    #[test]
    fn the_change_splits_into_emission_weather_and_unexplained() {
        let (frame, predicted, n) = setup();
        let a = attribute(&frame, &predicted, &n, &p("1 Jan", 1), &p("2 Jan", 2), 0.05).unwrap();
        // Observed: base 100 (one hour), compare 70: ΔO = −30, −30 %.
        assert_eq!((a.base.hours, a.base.hours_in_period), (1, 24));
        assert_eq!(
            (a.base.observed_mean, a.compare.observed_mean),
            (100.0, 70.0)
        );
        assert_eq!(a.observed_percent, -30.0);
        // Predicted: 96 → 68: ΔP = −28. Normalised per resample: 90 → 82 (−8), 94 → 80 (−14).
        assert_eq!(a.emission.change, -11.0);
        assert!((a.emission.lower - (-14.0 + 0.025 * 6.0)).abs() < 1e-12);
        assert!((a.emission.upper - (-8.0 - 0.025 * 6.0)).abs() < 1e-12);
        // Weather: ΔP − ΔN = −28 + 11 = −17 (per resample −20 and −14); unexplained −2.
        assert_eq!(a.weather.change, -17.0);
        assert_eq!(a.unexplained.change, -2.0);
        let sum = a.emission.change + a.weather.change + a.unexplained.change;
        assert!((sum - a.observed_change).abs() < 1e-12);
        assert_eq!((a.emission.points, a.weather.points), (-11.0, -17.0));
        assert!(a.sentence("PM2.5", "ug/m3").starts_with(
            "PM2.5 fell from 100.0 to 70.0 ug/m3 (-30.0 %) between 1 Jan and 2 Jan. Of that change, -11.0 points"
        ));
    }

    #[test]
    fn an_empty_period_is_an_error_naming_it() {
        let (frame, predicted, n) = setup();
        let e = attribute(&frame, &predicted, &n, &p("2014", 9), &p("2 Jan", 2), 0.05).unwrap_err();
        assert_eq!(e.label, "2014");
    }
}
