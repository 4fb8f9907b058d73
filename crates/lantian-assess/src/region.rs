//! Daily values of stations and of an area (district, city).
//!
//! A station's day comes from its hourly series with the GB 3095 validity rules
//! ([`lantian_aqi::series::day_stats`]: 20 hours for a daily mean, 6 hours per 8-h window, 14 of
//! the day's 17 windows for the MDA8). An area's day can be formed two ways, and which one the
//! official figures use is to be settled with data (HJ 663 §3c notes, UNCONFIRMED):
//!
//! - [`CityMethod::MeanOfStationDays`]: the mean of the valid station daily values (and of the
//!   station MDA8s);
//! - [`CityMethod::DayOfAreaHourlyMean`]: the area's hourly value is the mean of the stations'
//!   hourly values, and the day is computed from that series.

use crate::stats::DayValues;
use chrono::{NaiveDate, Timelike};
use lantian_aqi::moving::DAILY_MIN_HOURS;
use lantian_aqi::series::{HourlySeries, day_stats};
use std::collections::BTreeMap;

/// How an area's daily value is formed from its stations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CityMethod {
    MeanOfStationDays,
    DayOfAreaHourlyMean,
}

/// The daily values of every whole natural day (hour-ending stamps 01:00..24:00) of `series`.
pub fn days_of(series: &HourlySeries) -> BTreeMap<NaiveDate, DayValues> {
    let mut out = BTreeMap::new();
    let Some(mut i) = (0..series.len().min(24)).find(|&i| series.stamp(i).hour() == 1) else {
        return out;
    };
    while i + 24 <= series.len() {
        out.insert(
            series.stamp(i).date(),
            DayValues::from(&day_stats(series, i, DAILY_MIN_HOURS)),
        );
        i += 24;
    }
    out
}

/// The hourly mean of several stations' series (same grid), hour by hour over the stations
/// with a value.
pub fn mean_series(stations: &[HourlySeries]) -> Option<HourlySeries> {
    let first = stations.first()?;
    let mut out = HourlySeries::new(first.start, first.len());
    for p in 0..6 {
        for i in 0..first.len() {
            let (sum, n) = stations
                .iter()
                .filter_map(|s| s.values[p].get(i).copied().flatten())
                .fold((0.0, 0usize), |(a, n), v| (a + v, n + 1));
            out.values[p][i] = (n > 0).then(|| sum / n as f64);
        }
    }
    Some(out)
}

/// The area's daily values by `method`.
pub fn area_days(stations: &[HourlySeries], method: CityMethod) -> BTreeMap<NaiveDate, DayValues> {
    match method {
        CityMethod::DayOfAreaHourlyMean => mean_series(stations)
            .map(|s| days_of(&s))
            .unwrap_or_default(),
        CityMethod::MeanOfStationDays => {
            let per_station: Vec<BTreeMap<NaiveDate, DayValues>> =
                stations.iter().map(days_of).collect();
            mean_of_station_days(&per_station.iter().collect::<Vec<_>>())
        }
    }
}

/// [`CityMethod::MeanOfStationDays`] from station days already computed (an annual run needs
/// every station's days anyway): per date and pollutant, the mean of the valid station values,
/// summed in the order of `per_station`.
pub fn mean_of_station_days(
    per_station: &[&BTreeMap<NaiveDate, DayValues>],
) -> BTreeMap<NaiveDate, DayValues> {
    let mut dates: Vec<NaiveDate> = per_station.iter().flat_map(|m| m.keys().copied()).collect();
    dates.sort();
    dates.dedup();
    let mut out = BTreeMap::new();
    let mut days: Vec<&DayValues> = Vec::with_capacity(per_station.len());
    for d in dates {
        days.clear();
        days.extend(per_station.iter().filter_map(|m| m.get(&d)));
        let mean = |get: fn(&DayValues) -> Option<f64>| {
            let n = days.iter().filter_map(|v| get(v)).count();
            (n > 0).then(|| days.iter().filter_map(|v| get(v)).sum::<f64>() / n as f64)
        };
        out.insert(
            d,
            DayValues {
                so2: mean(|v| v.so2),
                no2: mean(|v| v.no2),
                co: mean(|v| v.co),
                pm10: mean(|v| v.pm10),
                pm25: mean(|v| v.pm25),
                o3_mda8: mean(|v| v.o3_mda8),
                o3_max_1h: mean(|v| v.o3_max_1h),
            },
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(pm25: impl Fn(usize) -> Option<f64>) -> HourlySeries {
        let start = NaiveDate::from_ymd_opt(2023, 1, 1)
            .unwrap()
            .and_hms_opt(1, 0, 0)
            .unwrap();
        let mut s = HourlySeries::new(start, 48);
        for i in 0..48 {
            s.values[5][i] = pm25(i);
        }
        s
    }

    #[test]
    fn the_two_city_methods_differ_where_stations_have_gaps() {
        // Station A: 30 every hour; station B: 90 but only the first 20 hours of day 1 (valid day).
        let a = series(|_| Some(30.0));
        let b = series(|i| (i < 20).then_some(90.0));
        let d1 = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
        let by_station = area_days(&[a.clone(), b.clone()], CityMethod::MeanOfStationDays);
        // Mean of station days: (30 + 90) / 2 = 60 on day 1; day 2 only A (B has no valid day) = 30.
        assert_eq!(by_station[&d1].pm25, Some(60.0));
        assert_eq!(by_station[&d1.succ_opt().unwrap()].pm25, Some(30.0));
        // Hourly mean first: 20 hours of 60 and 4 hours of 30 → 55.
        let by_hour = area_days(&[a, b], CityMethod::DayOfAreaHourlyMean);
        assert_eq!(by_hour[&d1].pm25, Some(55.0));
        assert_eq!(by_hour.len(), 2);
    }

    #[test]
    fn a_station_day_needs_20_hours() {
        let s = series(|i| (i % 24 < 19).then_some(50.0));
        let days = days_of(&s);
        assert_eq!(days.len(), 2);
        assert!(days.values().all(|d| d.pm25.is_none()));
        let s = series(|i| (i % 24 < 20).then_some(50.0));
        assert!(days_of(&s).values().all(|d| d.pm25 == Some(50.0)));
    }
}
