//! Step changes in a station's series: AQEval's `findBreakPoints`, `testBreakPoints` and
//! `quantBreakPoints` (see `lantian_trend::breakpoints`) on the means of bins of days, of the
//! observed series or of the weather-normalised one ([`crate::deweather`]).

use crate::deweather::{ModelRequest, OnProgress, read_inputs, run_model};
use crate::error::{AppError, Result};
use chrono::{NaiveDate, NaiveDateTime};
use lantian_store::matrix::MatrixReader;
use lantian_trend::breakpoints::{
    BicRow, Break, BreakError, find_break_points, quantify, test_breaks,
};
use serde::{Serialize, Serializer};

/// A `lantian breaks` request.
#[derive(Debug, Clone)]
pub struct BreaksRequest {
    /// The station code, as stored.
    pub station: String,
    /// The pollutant and window (and, with `normalise`, the model run).
    pub model: ModelRequest,
    /// Search the weather-normalised series (fits the model first) instead of the observed one.
    pub normalise: bool,
    /// Days per value (bins of more than one day are aligned on 1970-01-01, as openair 3.1's
    /// timeAverage).
    pub days: u32,
    /// Minimum segment: a fraction of the values (< 1) or a count (AQEval: 0.15).
    pub h: f64,
    /// Keep the breaks that pass AQEval's subset test (`testBreakPoints`); `false` keeps every
    /// break found.
    pub test: bool,
}

impl BreaksRequest {
    /// The checks that need no data (a front door may run them before opening a store).
    pub fn check(&self) -> Result<()> {
        if self.days == 0 {
            return Err(AppError::bad("days", self.days, "must be at least 1"));
        }
        self.model.check()
    }
}

/// A date of the binned series, or none (written `NA`, as AQEval does).
fn date_or_na<S: Serializer>(d: &Option<NaiveDate>, s: S) -> std::result::Result<S::Ok, S::Error> {
    match d {
        Some(d) => d.serialize(s),
        None => s.serialize_str("NA"),
    }
}

/// A break found by the search.
#[derive(Debug, Clone, Serialize)]
pub struct FoundBreak {
    /// The bin of AQEval's `bpt` row.
    pub date: NaiveDate,
    /// Bai's 95 % interval, in bins.
    #[serde(serialize_with = "date_or_na")]
    pub lower: Option<NaiveDate>,
    #[serde(serialize_with = "date_or_na")]
    pub upper: Option<NaiveDate>,
    /// The row in the binned series, 1-based.
    pub row: usize,
}

/// One row of AQEval's subset test.
#[derive(Debug, Clone, Serialize)]
pub struct SubsetRow {
    /// The breaks of the subset, numbered from 1 in the order found.
    pub breaks: Vec<usize>,
    /// Every coefficient with p < 0.05.
    pub significant: bool,
    pub adj_r2: Option<f64>,
}

/// The size of a break kept (`quantBreakPoints`).
#[derive(Debug, Clone, Serialize)]
pub struct BreakUsed {
    pub date: NaiveDate,
    #[serde(serialize_with = "date_or_na")]
    pub lower: Option<NaiveDate>,
    #[serde(serialize_with = "date_or_na")]
    pub upper: Option<NaiveDate>,
    /// Fitted level at the bin before and at the bin.
    pub level_before: f64,
    pub level_after: f64,
    pub change: f64,
    pub percent: f64,
    /// AQEval's change with each level moved 1.96 standard errors towards (upper) or away
    /// from (lower) the other.
    pub change_upper: f64,
    pub percent_upper: f64,
    pub change_lower: f64,
    pub percent_lower: f64,
}

/// The answer of a break search.
#[derive(Debug, Clone, Serialize)]
pub struct Breaks {
    pub station: String,
    pub pollutant: String,
    /// Which series was searched, in words (`observed`, or `weather-normalised` with the
    /// model's R² and the resamples).
    pub series: String,
    pub days_per_value: u32,
    /// Bins from the first to the last day (empty ones included).
    pub values: usize,
    /// Bins with a value.
    pub values_searched: usize,
    /// Minimum segment, in values.
    pub minimum_segment: usize,
    /// BIC by number of breaks.
    pub bic: Vec<BicRow>,
    /// The number of breaks the BIC chose (those are `breaks_found`); in the table, not the
    /// JSON.
    #[serde(skip)]
    pub breaks_chosen: usize,
    pub breaks_found: Vec<FoundBreak>,
    pub subset_test: Vec<SubsetRow>,
    /// The subset the test kept (indices into `breaks_found`); `None` where it was not run or
    /// no subset passed (then all are used). In the table, not the JSON.
    #[serde(skip)]
    pub kept: Option<Vec<usize>>,
    pub breaks_used: Vec<BreakUsed>,
}

/// Means over bins of `days` local days (epoch-aligned), every bin from the first to the
/// last kept (empty bins NaN): (bin start dates, means).
pub fn bin_means(first: NaiveDateTime, hourly: &[f64], days: u32) -> (Vec<NaiveDate>, Vec<f64>) {
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

/// Search the request's series for breaks, test and size them.
pub fn breaks(reader: &MatrixReader, req: &BreaksRequest, progress: &OnProgress) -> Result<Breaks> {
    req.check()?;
    let m = &req.model;
    let station = req.station.as_str();
    let (first, hourly, series) = if req.normalise {
        let r = run_model(reader, m, station, progress)?;
        // Back onto the full hourly axis (hours without weather stay missing).
        let first = m.from.and_hms_opt(0, 0, 0).expect("midnight");
        let len = ((m.to - m.from).num_days() as usize + 1) * 24;
        let mut v = vec![f64::NAN; len];
        for (row, t) in r.frame.hours.iter().enumerate() {
            v[(*t - first).num_hours() as usize] = r.normalised.mean[row];
        }
        let what = format!(
            "weather-normalised (R² {:.3}, {} resamples)",
            r.model.quality.r2_test, m.resamples
        );
        (first, v, what)
    } else {
        let i = read_inputs(reader, m, station, false)?;
        (i.first, i.target, "observed".to_string())
    };
    let (dates, y) = bin_means(first, &hourly, req.days);
    let too_few = |reason: String| AppError::Incomplete {
        parameter: "station",
        what: station.to_string(),
        reason,
    };
    let search = find_break_points(&y, req.h).map_err(|e| match e {
        BreakError::SegmentSize { .. } => AppError::bad("h", req.h, e),
        BreakError::TooShort { .. } => too_few(e.to_string()),
    })?;
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
    let (table, kept) = if !req.test || search.breaks.is_empty() {
        (vec![], None)
    } else {
        test_breaks(&times, &y, &search.breaks)
    };
    let used: Vec<Break> = match &kept {
        Some(idx) => idx.iter().map(|&i| search.breaks[i]).collect(),
        None => search.breaks.clone(),
    };
    let sizes = if used.is_empty() {
        Some(vec![])
    } else {
        quantify(&times, &y, &used)
    };
    let sizes = sizes.ok_or_else(|| {
        too_few("the break-point model could not be fitted (too few values)".into())
    })?;
    let date = |r: Option<usize>| r.and_then(|r| dates.get(r).copied());
    let at = |r: usize| dates[r];
    Ok(Breaks {
        station: station.to_string(),
        pollutant: m.pollutant.clone(),
        series,
        days_per_value: req.days,
        values: y.len(),
        values_searched: search.n,
        minimum_segment: search.h,
        bic: search.bic.clone(),
        breaks_chosen: search.breaks_chosen,
        breaks_found: search
            .breaks
            .iter()
            .map(|b| FoundBreak {
                date: at(b.row),
                lower: date(b.lower),
                upper: date(b.upper),
                row: b.row + 1,
            })
            .collect(),
        subset_test: table
            .iter()
            .map(|t| SubsetRow {
                breaks: t.subset.iter().map(|i| i + 1).collect(),
                significant: t.significant,
                adj_r2: t.adj_r2,
            })
            .collect(),
        kept,
        breaks_used: sizes
            .iter()
            .map(|s| BreakUsed {
                date: at(s.row),
                lower: date(s.lower),
                upper: date(s.upper),
                level_before: s.c0,
                level_after: s.c1,
                change: s.change,
                percent: s.percent,
                change_upper: s.change_upper,
                percent_upper: s.percent_upper,
                change_lower: s.change_lower,
                percent_lower: s.percent_lower,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_are_aligned_on_the_epoch_and_keep_empty_ones() {
        // 1970-01-01 is day 0: 3-day bins start on 2014-01-01 (day 16071 = 3 × 5357).
        let first = NaiveDate::from_ymd_opt(2014, 1, 2)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        let mut hourly = vec![1.0; 24 * 2];
        hourly.extend(vec![f64::NAN; 24 * 3]);
        hourly.extend(vec![4.0; 24]);
        let (dates, means) = bin_means(first, &hourly, 3);
        let d = |m, dd| NaiveDate::from_ymd_opt(2014, m, dd).unwrap();
        assert_eq!(dates, vec![d(1, 1), d(1, 4), d(1, 7)]);
        assert_eq!(means[0], 1.0);
        assert!(means[1].is_nan());
        assert_eq!(means[2], 4.0);
        let (dates, means) = bin_means(first, &hourly[..48], 1);
        assert_eq!((dates, means), (vec![d(1, 2), d(1, 3)], vec![1.0, 1.0]));
    }

    #[test]
    fn a_missing_interval_end_is_written_na() {
        let b = FoundBreak {
            date: NaiveDate::from_ymd_opt(2015, 1, 1).unwrap(),
            lower: None,
            upper: NaiveDate::from_ymd_opt(2015, 1, 3),
            row: 366,
        };
        let v = serde_json::to_value(&b).unwrap();
        assert_eq!(v["lower"], "NA");
        assert_eq!(v["upper"], "2015-01-03");
    }
}
