//! Did the measure work? For a measure with a start date and a target pollutant (the summer
//! VOCs campaign and O3, the 100-day dust action and PM10, NEV promotion and NO2), the change
//! around its start with the weather taken out, and any step change in the series near it.
//!
//! Two of Lantian's engines answer, on the stations asked for:
//!
//! - **the weather-normalised change** ([`crate::deweather::attribute`]): a model of the
//!   pollutant on the weather and the calendar is fitted over a window of `window_days` before
//!   and after the start; the change from the days before to the days after is split into the
//!   part the weather explains and the rest (the "emission" part, with its interval from the
//!   weather resamples). The rest is what a measure could have caused;
//! - **break points** ([`crate::breaks`], AQEval's method): a search of the observed series in
//!   bins of `break_days` over a wider window (a year either side at most) for step changes;
//!   the break nearest the start is reported with its 95 % interval, and whether the start lies
//!   inside it.
//!
//! A window that spans a change of season (the heating season's start, the summer) moves for
//! that reason alone, and the calendar terms of a model over a few months cannot tell a season
//! from a measure. So the same windows **a year earlier** are normalised too (a placebo: no
//! measure started then), and the difference of the two changes is given as the net change;
//! where the store has no data a year earlier, that is said.
//!
//! Neither is proof: many things change at once (other measures, the economy, a trend already
//! under way), and a coincidence in time between a measure and a change does not show that the
//! measure caused it. Every answer says so in its `caution`.

use crate::breaks::{BreaksRequest, breaks};
use crate::deweather::{
    AttributeAnswer, AttributeRequest, ModelRequest, OnProgress, Weather, attribute,
};
use crate::error::{AppError, Result};
use chrono::{Days, NaiveDate};
use lantian_assess::period::Period;
use lantian_campaigns::measure::{Measure, Target};
use lantian_store::matrix::MatrixReader;
use serde::Serialize;

/// What to look at for one measure.
#[derive(Debug, Clone)]
pub struct EffectRequest {
    /// The stations (as stored) whose series are examined; with several, their mean.
    pub stations: Vec<String>,
    /// The pollutant; default the measure's target pollutant.
    pub pollutant: Option<String>,
    /// Days before and after the start compared (default 90).
    pub window_days: u32,
    pub weather: Weather,
    /// Weather resamples of the normalisation (rmweather: 300).
    pub resamples: usize,
    /// Days per value of the break search (default 7); 0 skips the search.
    pub break_days: u32,
    /// The stations' local time, hours from UTC (Beijing 8).
    pub utc_offset: i32,
}

impl EffectRequest {
    /// The defaults: 90 days either side, the stored weather, 300 resamples, weekly bins.
    pub fn new(stations: Vec<String>) -> EffectRequest {
        EffectRequest {
            stations,
            pollutant: None,
            window_days: 90,
            weather: Weather::default(),
            resamples: 300,
            break_days: 7,
            utc_offset: 8,
        }
    }
}

/// The break found nearest the measure's start.
#[derive(Debug, Clone, Serialize)]
pub struct NearestBreak {
    pub station: String,
    pub date: NaiveDate,
    pub lower: Option<NaiveDate>,
    pub upper: Option<NaiveDate>,
    /// Days from the start to the break (negative: before).
    pub days_from_start: i64,
    /// The start lies inside the break's interval.
    pub start_within_interval: bool,
    /// The step's size (fitted level after − before), where the search quantified it.
    pub change: Option<f64>,
}

/// The weather-normalised change over the same windows a year earlier, and the change net of it.
#[derive(Debug, Clone, Serialize)]
pub struct Placebo {
    pub start: NaiveDate,
    pub change: f64,
    pub change_lower: f64,
    pub change_upper: f64,
    /// The measure's change minus the placebo's: the part a season does not explain.
    pub net_change: f64,
}

/// The answer for one measure.
#[derive(Debug, Clone, Serialize)]
pub struct Effect {
    pub measure: String,
    pub title_zh: String,
    pub title_en: String,
    pub pollutant: String,
    pub start: NaiveDate,
    pub window_days: u32,
    pub stations: Vec<String>,
    /// Observed means before and after (µg/m³, mg/m³ for CO).
    pub observed_before: f64,
    pub observed_after: f64,
    /// The weather-normalised ("emission") change, with its interval.
    pub change: f64,
    pub change_lower: f64,
    pub change_upper: f64,
    /// The part of the observed change the weather explains.
    pub weather_change: f64,
    /// The same windows a year earlier, normalised the same way (no measure started then).
    pub placebo: Option<Placebo>,
    /// Why there is no placebo.
    pub placebo_note: Option<String>,
    pub sentence: String,
    /// The break nearest the start, if the search found any; why not, if it was not run.
    pub nearest_break: Option<NearestBreak>,
    pub breaks_note: Option<String>,
    pub caution_zh: String,
    pub caution_en: String,
}

pub const CAUTION_ZH: &str =
    "时间上的重合不等于因果：同期的其他措施、经济活动和原有趋势都可能带来变化。";
pub const CAUTION_EN: &str = "A coincidence in time is not proof: other measures, the economy and a trend already under way change the air at the same time.";

/// The pollutant an effect is sought in: the request's, else the measure's target.
pub fn pollutant_of(m: &Measure, req: &EffectRequest) -> Result<String> {
    if let Some(p) = &req.pollutant {
        return Ok(p.clone());
    }
    match &m.target {
        Some(Target::Pollutant(p)) => Ok(p.clone()),
        Some(Target::Indicator(i)) => Err(AppError::bad(
            "pollutant",
            &m.id,
            format!(
                "measure {}'s target is the indicator {i}, not a pollutant of the store; name the pollutant",
                m.id
            ),
        )),
        None => Err(AppError::bad(
            "pollutant",
            &m.id,
            format!(
                "measure {} names no target pollutant in the plan; name one",
                m.id
            ),
        )),
    }
}

/// The weather-normalised change around `m`'s start and the nearest break.
pub fn effect(
    reader: &MatrixReader,
    m: &Measure,
    req: &EffectRequest,
    progress: &OnProgress,
) -> Result<Effect> {
    if req.stations.is_empty() {
        return Err(AppError::bad("stations", "", "name at least one station"));
    }
    if req.window_days < 7 {
        return Err(AppError::bad(
            "window_days",
            req.window_days,
            "must be at least 7 days (a shorter window holds too few weather situations)",
        ));
    }
    let pollutant = pollutant_of(m, req)?;
    let answer = attribute_around(reader, m.start, &pollutant, req, progress)?;
    let (at, sentence) = attribution_of(&answer);
    let sentence = sentence.to_string();
    let year_before = m
        .start
        .checked_sub_months(chrono::Months::new(12))
        .ok_or_else(|| {
            AppError::bad(
                "window_days",
                req.window_days,
                "reaches outside the calendar",
            )
        })?;
    let (placebo, placebo_note) =
        match attribute_around(reader, year_before, &pollutant, req, progress) {
            Ok(a) => (Some(attribution_of(&a).0.emission.clone()), None),
            Err(e) => (None, Some(format!("the same windows a year earlier: {e}"))),
        };
    let placebo = placebo.map(|p| Placebo {
        start: year_before,
        change: p.change,
        change_lower: p.lower,
        change_upper: p.upper,
        net_change: at.emission.change - p.change,
    });
    let (nearest_break, breaks_note) = if req.break_days == 0 {
        (None, Some("no break search was asked for".to_string()))
    } else {
        nearest_break(reader, m, req, &pollutant, progress)
    };
    Ok(Effect {
        measure: m.id.clone(),
        title_zh: m.title_zh.clone(),
        title_en: m.title_en.clone(),
        pollutant,
        start: m.start,
        window_days: req.window_days,
        stations: req.stations.clone(),
        observed_before: at.base.observed_mean,
        observed_after: at.compare.observed_mean,
        change: at.emission.change,
        change_lower: at.emission.lower,
        change_upper: at.emission.upper,
        weather_change: at.weather.change,
        placebo,
        placebo_note,
        sentence,
        nearest_break,
        breaks_note,
        caution_zh: CAUTION_ZH.into(),
        caution_en: CAUTION_EN.into(),
    })
}

/// The attribution an answer leads with (the station's, or the area's of several), and its
/// sentence.
fn attribution_of(a: &AttributeAnswer) -> (&lantian_deweather::attribution::Attribution, &str) {
    match a {
        AttributeAnswer::Station(s) => (&s.attribution, &s.sentence),
        AttributeAnswer::Area { area, .. } => (&area.attribution, &area.sentence),
    }
}

/// The weather-normalised change from the `window_days` before `start` to as many after it.
fn attribute_around(
    reader: &MatrixReader,
    start: NaiveDate,
    pollutant: &str,
    req: &EffectRequest,
    progress: &OnProgress,
) -> Result<AttributeAnswer> {
    let w = Days::new(req.window_days as u64);
    let outside = || {
        AppError::bad(
            "window_days",
            req.window_days,
            "reaches outside the calendar",
        )
    };
    let from = start.checked_sub_days(w).ok_or_else(outside)?;
    let to = start
        .checked_add_days(w)
        .and_then(|d| d.pred_opt())
        .ok_or_else(outside)?;
    let base = Period::range(from, start.pred_opt().ok_or_else(outside)?).ok_or_else(outside)?;
    let compare = Period::range(start, to).ok_or_else(outside)?;
    let mut model = ModelRequest::new(pollutant, from, to);
    model.weather = req.weather.clone();
    model.resamples = req.resamples;
    model.utc_offset = req.utc_offset;
    attribute(
        reader,
        &AttributeRequest {
            stations: req.stations.clone(),
            model,
            base,
            compare,
        },
        progress,
    )
}

/// The break nearest the start over the stations' observed series (a year either side of the
/// start at most, at least the effect's window), or why there is none.
fn nearest_break(
    reader: &MatrixReader,
    m: &Measure,
    req: &EffectRequest,
    pollutant: &str,
    progress: &OnProgress,
) -> (Option<NearestBreak>, Option<String>) {
    let half = Days::new(req.window_days.max(365) as u64);
    let mut best: Option<NearestBreak> = None;
    let mut notes = Vec::new();
    for station in &req.stations {
        let mut model = ModelRequest::new(pollutant, m.start - half, m.start + half);
        model.utc_offset = req.utc_offset;
        let r = breaks(
            reader,
            &BreaksRequest {
                station: station.clone(),
                model,
                normalise: false,
                days: req.break_days,
                h: 0.15,
                test: true,
            },
            progress,
        );
        match r {
            Ok(b) => {
                for f in &b.breaks_found {
                    let used = b.breaks_used.iter().find(|u| u.date == f.date);
                    let cand = NearestBreak {
                        station: station.clone(),
                        date: f.date,
                        lower: f.lower,
                        upper: f.upper,
                        days_from_start: (f.date - m.start).num_days(),
                        start_within_interval: f.lower.is_some_and(|l| l <= m.start)
                            && f.upper.is_some_and(|u| m.start <= u),
                        change: used.map(|u| u.change),
                    };
                    if best
                        .as_ref()
                        .is_none_or(|b| cand.days_from_start.abs() < b.days_from_start.abs())
                    {
                        best = Some(cand);
                    }
                }
                if b.breaks_found.is_empty() {
                    notes.push(format!("{station}: no break found"));
                }
            }
            Err(e) => notes.push(format!("{station}: {e}")),
        }
    }
    let note = (best.is_none()).then(|| notes.join("; "));
    (best, note)
}
