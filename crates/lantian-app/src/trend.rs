//! Trends of monthly means: openair's `TheilSen` on store data (see `lantian-trend`), per
//! station or for an area's hourly mean.

use crate::error::{AppError, Result};
use crate::options::StationSet;
use crate::select::{area_mean, station_codes};
use chrono::{Datelike, NaiveDate};
use lantian_model::Registry;
use lantian_store::matrix::{HourlyMatrix, MatrixQuery, MatrixReader};
use lantian_trend::bootstrap::Bootstrap;
use lantian_trend::trend::{Month, Trend, trend};
use serde::Serialize;

/// Whose trend: stations one by one, or an area's assessment stations' hourly mean.
#[derive(Debug, Clone, PartialEq)]
pub enum TrendSubject {
    Stations(Vec<String>),
    /// An area of the registry (`beijing` or a district): one trend of its assessment
    /// stations' hourly mean (the HJ 663 area concentration; control, background and traffic
    /// sites left out).
    Region(String),
}

/// A trend request.
#[derive(Debug, Clone)]
pub struct TrendRequest {
    pub subject: TrendSubject,
    /// The variable, as stored (PM2.5, NO2, O3, ...).
    pub pollutant: String,
    /// First and last month (any day in them).
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Fit the deseasonalised monthly means (openair's `deseason = TRUE`).
    pub deseason: bool,
    pub bootstrap: Bootstrap,
    /// Minimum share of valid hours for a monthly mean, in percent (openair's data.thresh).
    pub min_capture: f64,
}

/// One trend of an answer.
#[derive(Debug, Clone, Serialize)]
pub struct TrendRow {
    /// The station code, or `region:NAME (N stations)`.
    pub station: String,
    pub pollutant: String,
    /// `None` where the months are too few.
    pub trend: Option<Trend>,
}

/// The trends of `req` from an open snapshot.
pub fn trends(reader: &MatrixReader, reg: &Registry, req: &TrendRequest) -> Result<Vec<TrendRow>> {
    let first = req.from.with_day(1).expect("day 1 exists");
    let last = req.to.with_day(1).expect("day 1 exists");
    if last < first {
        return Err(AppError::bad(
            "to",
            req.to,
            format!("is before from {}", req.from),
        ));
    }
    if !(0.0..=100.0).contains(&req.min_capture) {
        return Err(AppError::bad(
            "min_capture",
            req.min_capture,
            "is not a percentage",
        ));
    }
    let stations = match &req.subject {
        TrendSubject::Region(r) => station_codes(reg, r, StationSet::Assessment)?,
        TrendSubject::Stations(s) => s.clone(),
    };
    let (m, months) = read_months(reader, &stations, &req.pollutant, first, last)?;
    let row = |station: String, t: Option<Trend>| TrendRow {
        station,
        pollutant: req.pollutant.clone(),
        trend: t,
    };
    Ok(match &req.subject {
        TrendSubject::Region(r) => {
            let series = monthly(&area_mean(&m), first, months, req.min_capture);
            vec![row(
                format!("region:{r} ({} stations)", stations.len()),
                trend(&series, req.deseason, &req.bootstrap),
            )]
        }
        TrendSubject::Stations(_) => stations
            .iter()
            .enumerate()
            .map(|(s, code)| {
                let series = monthly(m.series(s, 0), first, months, req.min_capture);
                row(code.clone(), trend(&series, req.deseason, &req.bootstrap))
            })
            .collect(),
    })
}

/// Monthly means of an hourly series starting at the first hour of `first` (hour-ending, so
/// hour `h` of the axis ends at `first 01:00 + h`; a month holds its 01:00 .. next 00:00 ends).
pub fn monthly(values: &[f64], first: NaiveDate, months: usize, min_capture: f64) -> Vec<Month> {
    let mut out = Vec::with_capacity(months);
    let mut pos = 0usize;
    let mut day = first;
    for _ in 0..months {
        let next = day
            .checked_add_months(chrono::Months::new(1))
            .expect("month in range");
        let hours = ((next - day).num_days() * 24) as usize;
        let slice = &values[pos.min(values.len())..(pos + hours).min(values.len())];
        let valid: Vec<f64> = slice.iter().copied().filter(|v| !v.is_nan()).collect();
        let capture = 100.0 * valid.len() as f64 / hours as f64;
        let mean = (!valid.is_empty() && capture >= min_capture)
            .then(|| valid.iter().sum::<f64>() / valid.len() as f64);
        out.push(Month {
            first_day: day,
            mean,
        });
        pos += hours;
        day = next;
    }
    out
}

/// The 1-h values of `stations` over the calendar months `first` ..= `last` (first days of
/// month, Beijing time): the matrix and the number of months.
pub fn read_months(
    reader: &MatrixReader,
    stations: &[String],
    pollutant: &str,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<(HourlyMatrix, usize)> {
    let months = ((last.year() - first.year()) * 12 + last.month() as i32 - first.month() as i32
        + 1) as usize;
    let end = last
        .checked_add_months(chrono::Months::new(1))
        .ok_or_else(|| AppError::bad("to", last, "is past the calendar"))?;
    let len = ((end - first).num_days() * 24) as usize;
    // Hour-ending stamps in UTC+8: the first hour of `first` ends at 01:00 local = 17:00 UTC
    // the day before.
    let start_micros = crate::select::beijing_micros(first.and_hms_opt(1, 0, 0).expect("01:00"));
    let m = reader.read(&MatrixQuery {
        stations: stations.to_vec(),
        variables: vec![pollutant.to_string()],
        sources: vec![],
        averaging: "1h".into(),
        flags: vec!["ok".into()],
        start_micros,
        len,
    })?;
    Ok((m, months))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_area_mean_is_over_the_stations_with_a_value() {
        let m = HourlyMatrix {
            stations: vec!["a".into(), "b".into()],
            variables: vec!["PM2.5".into()],
            start_micros: 0,
            len: 3,
            values: vec![10.0, f64::NAN, f64::NAN, 20.0, 30.0, f64::NAN],
        };
        let v = area_mean(&m);
        assert_eq!((v[0], v[1]), (15.0, 30.0));
        assert!(v[2].is_nan());
    }

    #[test]
    fn monthly_means_follow_the_calendar_and_the_capture_rule() {
        // January (744 h) all 10; February 2023 (672 h) half missing, the rest 20.
        let mut v = vec![10.0; 744];
        v.extend((0..672).map(|i| if i % 2 == 0 { 20.0 } else { f64::NAN }));
        let first = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
        let m = monthly(&v, first, 2, 0.0);
        assert_eq!((m[0].mean, m[1].mean), (Some(10.0), Some(20.0)));
        assert_eq!(m[1].first_day, NaiveDate::from_ymd_opt(2023, 2, 1).unwrap());
        // 50 % capture: kept at 50, dropped at 50.1.
        assert_eq!(monthly(&v, first, 2, 50.0)[1].mean, Some(20.0));
        assert_eq!(monthly(&v, first, 2, 50.1)[1].mean, None);
    }
}
