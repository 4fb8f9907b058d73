//! Which stations a request means, and their hourly values from a store snapshot.
//!
//! Every use case reads the six pollutants' 1-h values through [`read_hourly`] (dense series on
//! the hour-ending Beijing axis, current revisions, flag `ok`, `doubtful` on request), and
//! averages stations into an area through [`area_series`] (HJ 663 §5.2: an area's hourly value
//! is the arithmetic mean of its stations' values that hour), so the command line, the bulletin
//! and the server cannot drift apart.

use crate::error::{AppError, Result};
use crate::options::StationSet;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use lantian_aqi::series::{self, HourlySeries};
use lantian_model::{Registry, SiteKind};
use lantian_store::matrix::{HourlyMatrix, MatrixQuery, MatrixReader};
use std::collections::HashMap;

/// The registry's air stations that make up `region`: `beijing` (or `all`, for any registry) is
/// the whole registry; otherwise the stations whose district is named (海淀, 海淀区 or Haidian).
/// Sites of other media (water sections, soil points, emitting units) never enter an air
/// area, whatever their district.
pub fn region_stations(reg: &Registry, region: &str) -> Vec<String> {
    let r = region.trim();
    // The shipped registry is Beijing's: "beijing" is all of it; "all" says the same of any
    // registry (a national one loaded with --registry).
    let all = matches!(
        r.to_lowercase().as_str(),
        "beijing" | "北京" | "北京市" | "all" | "全部"
    );
    reg.stations()
        .iter()
        .filter(|s| s.kind == SiteKind::AirStation)
        .filter(|s| {
            all || s.district_zh == r
                || s.district_zh.trim_end_matches(['区', '县']) == r
                || s.district_en.eq_ignore_ascii_case(r)
        })
        .map(|s| s.code.clone())
        .collect()
}

/// The registry stations of `region` in the set `set`; an unknown region (none in the set) is
/// an error naming it.
pub fn station_codes(reg: &Registry, region: &str, set: StationSet) -> Result<Vec<String>> {
    let codes: Vec<String> = region_stations(reg, region)
        .into_iter()
        .filter(|c| {
            let Some(s) = reg.get(c) else { return false };
            match set {
                StationSet::Assessment => s.role.is_assessment(),
                StationSet::National => s.national_code.is_some(),
                StationSet::All => true,
            }
        })
        .collect();
    if codes.is_empty() {
        return Err(AppError::UnknownRegion {
            region: region.to_string(),
            stations: (set != StationSet::Assessment).then(|| set.to_string()),
        });
    }
    Ok(codes)
}

/// A station code the registry knows, or [`AppError::UnknownStation`].
pub fn known_station(reg: &Registry, code: &str) -> Result<String> {
    reg.get(code)
        .map(|s| s.code.clone())
        .ok_or_else(|| AppError::UnknownStation(code.to_string()))
}

/// The six pollutants' 1-h values of one station, in [`series::POLLUTANTS`] order.
pub type SixSeries = [Vec<Option<f64>>; 6];

/// The matrix query of the six pollutants' 1-h values of `stations`: flag ok, and doubtful on
/// request (bad and withdrawn values never).
pub fn pollutants_1h(
    stations: Vec<String>,
    include_doubtful: bool,
    start_micros: i64,
    len: usize,
) -> MatrixQuery {
    let mut flags = vec!["ok".to_string()];
    if include_doubtful {
        flags.push("doubtful".to_string());
    }
    MatrixQuery {
        stations,
        variables: series::POLLUTANTS.iter().map(|p| p.to_string()).collect(),
        sources: vec![],
        averaging: "1h".into(),
        flags,
        start_micros,
        len,
    }
}

/// The UTC microseconds of a Beijing hour-ending stamp. Beijing time is UTC+8 all year (no
/// daylight saving since 1991), so the hour axis is plain arithmetic; 1-h stamps are on the
/// hour.
pub fn beijing_micros(stamp: NaiveDateTime) -> i64 {
    (stamp - Duration::hours(8)).and_utc().timestamp_micros()
}

/// 1-h values of the six pollutants per station with data, on the hour grid from `start` to
/// `end` (hour-ending Beijing stamps, both included), each series `len` hours long.
pub fn read_hourly(
    reader: &MatrixReader,
    stations: &[String],
    start: NaiveDateTime,
    end: NaiveDateTime,
    len: usize,
    include_doubtful: bool,
) -> Result<HashMap<String, SixSeries>> {
    let (start_micros, end_micros) = (beijing_micros(start), beijing_micros(end));
    // The axis covers [start, end] (both ends included), cut to `len` hours.
    let hours = ((end_micros - start_micros) / 3_600_000_000 + 1).max(0) as usize;
    let m = reader.read(&pollutants_1h(
        stations.to_vec(),
        include_doubtful,
        start_micros,
        hours.min(len),
    ))?;
    let mut out: HashMap<String, SixSeries> = HashMap::new();
    for (s, code) in m.stations.iter().enumerate() {
        if !m.has_data(s) {
            continue;
        }
        let series: SixSeries = std::array::from_fn(|p| {
            let mut v: Vec<Option<f64>> = m
                .series(s, p)
                .iter()
                .map(|x| (!x.is_nan()).then_some(*x))
                .collect();
            v.resize(len, None);
            v
        });
        out.insert(code.clone(), series);
    }
    Ok(out)
}

/// Hourly series of the stations with data over the natural days `first..=last` (hour-ending:
/// 01:00 of `first` to 24:00 of `last`), sorted by code.
pub fn read_days(
    reader: &MatrixReader,
    codes: &[String],
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Vec<(String, HourlySeries)>> {
    let start = first.and_hms_opt(1, 0, 0).expect("01:00");
    let end = (last + Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .expect("00:00");
    let len = (end - start).num_hours() as usize + 1;
    let hourly = read_hourly(reader, codes, start, end, len, false)?;
    let mut out: Vec<(String, HourlySeries)> = hourly
        .into_iter()
        .map(|(c, values)| (c, HourlySeries { start, values }))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// The area's hourly series from `start`: the mean of the stations of `codes` that have data,
/// taken in the order of `codes` (HJ 663 §5.2); `None` when none has.
pub fn area_series(
    values: &HashMap<String, SixSeries>,
    codes: &[String],
    start: NaiveDateTime,
) -> Option<HourlySeries> {
    let members: Vec<HourlySeries> = codes
        .iter()
        .filter_map(|c| values.get(c))
        .map(|v| HourlySeries {
            start,
            values: v.clone(),
        })
        .collect();
    lantian_assess::region::mean_series(&members)
}

/// One variable's hourly mean over the stations of a matrix with a value, hour by hour (NaN
/// where none has one): the area series of a single variable read for a trend.
pub fn area_mean(m: &HourlyMatrix) -> Vec<f64> {
    (0..m.len)
        .map(|h| {
            let (sum, n) = (0..m.stations.len())
                .map(|s| m.series(s, 0)[h])
                .filter(|v| !v.is_nan())
                .fold((0.0, 0usize), |(a, n), v| (a + v, n + 1));
            if n > 0 { sum / n as f64 } else { f64::NAN }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> Registry {
        Registry::from_csv_str(
            "code,name_zh,name_en,district_zh,district_en,network,role,national_code,longitude,latitude,active_from,active_to,continues,continuation_evidence,aliases,kind\n\
             A1,甲,A one,海淀区,Haidian,t,urban,1001A,,,,,,,,air\n\
             A2,乙,A two,海淀区,Haidian,t,traffic,,,,,,,,,air\n\
             B1,丙,B one,朝阳区,Chaoyang,t,suburban,,,,,,,,,air\n\
             W1,断面,Section,海淀区,Haidian,t,unknown,,,,,,,,,water-section\n",
            "test.csv",
        )
        .unwrap()
    }

    #[test]
    fn a_region_is_its_air_stations_named_any_way() {
        let reg = registry();
        assert_eq!(region_stations(&reg, "海淀"), ["A1", "A2"]);
        assert_eq!(region_stations(&reg, "海淀区"), ["A1", "A2"]);
        assert_eq!(region_stations(&reg, "haidian"), ["A1", "A2"]);
        // The whole registry, without the water section.
        assert_eq!(region_stations(&reg, "beijing"), ["A1", "A2", "B1"]);
        assert_eq!(region_stations(&reg, "all"), ["A1", "A2", "B1"]);
    }

    #[test]
    fn the_station_set_picks_and_an_empty_region_is_unknown() {
        let reg = registry();
        let codes = |r, set| station_codes(&reg, r, set).unwrap();
        assert_eq!(codes("海淀", StationSet::Assessment), ["A1"]);
        assert_eq!(codes("海淀", StationSet::All), ["A1", "A2"]);
        assert_eq!(codes("beijing", StationSet::National), ["A1"]);
        let e = station_codes(&reg, "朝阳", StationSet::National).unwrap_err();
        assert!(matches!(
            &e,
            AppError::UnknownRegion { region, stations: Some(s) } if region == "朝阳" && s == "national"
        ));
        assert!(matches!(
            station_codes(&reg, "火星", StationSet::Assessment),
            Err(AppError::UnknownRegion { stations: None, .. })
        ));
        assert!(matches!(known_station(&reg, "W9"), Err(AppError::UnknownStation(c)) if c == "W9"));
    }

    #[test]
    fn the_area_series_is_the_mean_of_the_stations_with_a_value() {
        let start = NaiveDate::from_ymd_opt(2023, 1, 1)
            .unwrap()
            .and_hms_opt(1, 0, 0)
            .unwrap();
        let six = |v: [Option<f64>; 2]| -> SixSeries { std::array::from_fn(|_| v.to_vec()) };
        let mut values = HashMap::new();
        values.insert("a".to_string(), six([Some(10.0), None]));
        values.insert("b".to_string(), six([Some(20.0), None]));
        values.insert("c".to_string(), six([None, Some(7.0)]));
        let codes: Vec<String> = ["a", "b", "c", "absent"].map(String::from).to_vec();
        let s = area_series(&values, &codes, start).unwrap();
        assert_eq!(s.values[5], vec![Some(15.0), Some(7.0)]);
        assert_eq!(s.start, start);
        assert!(area_series(&values, &["absent".to_string()], start).is_none());
    }
}
