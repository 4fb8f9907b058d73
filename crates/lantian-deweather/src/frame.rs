//! The model table: one row per hour with every meteorological variable present.
//!
//! Features, as rmweather prepares them (`rmw_prepare_data`): `trend` (the time itself, so the
//! model can follow emissions), `day_of_year`, `weekday` and `hour` (the calendar cycles of
//! emissions and weather), then the meteorology as given. Times are local (the station's
//! clock), hour-beginning: hour 0 is 00:00–01:00. Hours missing any meteorological value are
//! left out of the table (a tree model could route them, but a resampled hour must carry a full
//! set of weather); hours missing only the pollutant stay in: they are not fitted but are
//! normalised, since the normalised series is a function of time.

use crate::DeweatherError;
use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

/// Number of calendar features before the meteorology.
pub const TIME_FEATURES: usize = 4;
/// The index of the trend feature: the one feature never resampled.
pub const TREND: usize = 0;

/// The model table.
#[derive(Clone, Debug)]
pub struct Frame {
    /// Feature names: trend, day_of_year, weekday, hour, then the meteorology.
    pub names: Vec<String>,
    /// Features, row-major: `x[row * names.len() + feature]`.
    pub x: Vec<f64>,
    /// The pollutant, NaN where missing.
    pub y: Vec<f64>,
    /// Local start of each row's hour.
    pub hours: Vec<NaiveDateTime>,
    /// Hours of the axis that were left out for missing meteorology.
    pub hours_without_weather: usize,
}

/// Days since 1970-01-01 of a local time, fractional (so the trend has hourly resolution).
pub fn trend_days(t: NaiveDateTime) -> f64 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid");
    (t.date() - epoch).num_days() as f64 + t.hour() as f64 / 24.0
}

impl Frame {
    /// Build the table from an hourly axis starting at `first_hour` (local, hour-beginning):
    /// `pollutant[h]` and every `weather[k].1[h]` belong to hour `first_hour + h`.
    pub fn from_hourly(
        first_hour: NaiveDateTime,
        pollutant: &[f64],
        weather: &[(String, Vec<f64>)],
    ) -> Result<Frame, DeweatherError> {
        if weather.is_empty() {
            return Err(DeweatherError::NoWeather);
        }
        for (name, v) in weather {
            if v.len() != pollutant.len() {
                return Err(DeweatherError::Length {
                    name: name.clone(),
                    got: v.len(),
                    expected: pollutant.len(),
                });
            }
        }
        let mut names: Vec<String> = ["trend", "day_of_year", "weekday", "hour"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        names.extend(weather.iter().map(|(n, _)| n.clone()));
        let mut f = Frame {
            names,
            x: Vec::new(),
            y: Vec::new(),
            hours: Vec::new(),
            hours_without_weather: 0,
        };
        for (h, &value) in pollutant.iter().enumerate() {
            if weather.iter().any(|(_, v)| !v[h].is_finite()) {
                f.hours_without_weather += 1;
                continue;
            }
            let t = first_hour + chrono::Duration::hours(h as i64);
            f.x.extend([
                trend_days(t),
                t.ordinal() as f64,
                t.weekday().num_days_from_monday() as f64,
                t.hour() as f64,
            ]);
            f.x.extend(weather.iter().map(|(_, v)| v[h]));
            f.y.push(if value.is_finite() { value } else { f64::NAN });
            f.hours.push(t);
        }
        Ok(f)
    }

    pub fn rows(&self) -> usize {
        self.y.len()
    }

    pub fn features(&self) -> usize {
        self.names.len()
    }

    pub fn row(&self, r: usize) -> &[f64] {
        &self.x[r * self.features()..(r + 1) * self.features()]
    }

    /// Rows with the pollutant present.
    pub fn observed_rows(&self) -> Vec<usize> {
        (0..self.rows()).filter(|&r| !self.y[r].is_nan()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    }

    #[test]
    fn features_are_the_local_calendar_and_the_weather() {
        // 2016-12-31 22:00 .. 2017-01-01 01:00: the year turns, 2016 is a leap year.
        let y = [10.0, f64::NAN, 30.0, 40.0];
        let ws = vec![1.0, 2.0, f64::NAN, 4.0];
        let f = Frame::from_hourly(t(2016, 12, 31, 22), &y, &[("ws".into(), ws)]).unwrap();
        assert_eq!(f.names, ["trend", "day_of_year", "weekday", "hour", "ws"]);
        assert_eq!(f.rows(), 3, "the hour without wind is left out");
        assert_eq!(f.hours_without_weather, 1);
        // 2016-12-31 is day 17166 since 1970-01-01, a Saturday (weekday 5), day 366.
        assert_eq!(f.row(0), [17166.0 + 22.0 / 24.0, 366.0, 5.0, 22.0, 1.0]);
        assert!(f.y[1].is_nan(), "a missing pollutant keeps its row");
        // 2017-01-01 01:00: Sunday, day 1.
        assert_eq!(f.row(2), [17167.0 + 1.0 / 24.0, 1.0, 6.0, 1.0, 4.0]);
        assert_eq!(f.observed_rows(), [0, 2]);
    }

    #[test]
    fn bad_input_is_named() {
        let e = Frame::from_hourly(t(2016, 1, 1, 0), &[1.0, 2.0], &[("temp".into(), vec![1.0])]);
        assert_eq!(
            e.unwrap_err().to_string(),
            "variable 'temp' has 1 hourly values, the pollutant has 2"
        );
        assert_eq!(
            Frame::from_hourly(t(2016, 1, 1, 0), &[1.0], &[]).unwrap_err(),
            DeweatherError::NoWeather
        );
    }
}
