//! The latest hour with data and its real-time AQI for the city and every station: what a
//! public page polls.

use crate::error::Result;
use crate::select::read_hourly;
use chrono::{Duration, NaiveDateTime, TimeZone};
use lantian_aqi::series::{self, HourlySeries, Options};
use lantian_aqi::{AqiResult, Indicator};
use lantian_model::Registry;
use lantian_store::matrix::MatrixReader;
use serde::Serialize;
use std::collections::HashMap;

/// Beijing time: UTC+8 all year (no daylight saving since 1991).
pub const BEIJING: chrono::FixedOffset = match chrono::FixedOffset::east_opt(8 * 3600) {
    Some(o) => o,
    None => panic!("UTC+8 is a valid offset"),
};

/// Hours of history read for the latest AQI: the 24-h moving means of PM need the 23 hours
/// before the latest, and the search for the latest hour with data may step back a day.
const LATEST_WINDOW_HOURS: usize = 72;

/// The real-time AQI of one station or of the city at the latest hour.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AqiNow {
    /// Station code, or `beijing` for the city.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub district_zh: Option<String>,
    pub district_en: Option<String>,
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    /// Station role (`urban`, `suburban`, `control`, …); `area` for the city.
    pub role: String,
    /// HJ 633 real-time AQI; `null` when not rated (no data at that hour, or NA).
    pub aqi: Option<i32>,
    /// Category level 1 (优, excellent) ..= 6 (严重污染, severe).
    pub level: Option<u8>,
    pub category_zh: Option<String>,
    pub category_en: Option<String>,
    /// The category's colour (`#00e400` …).
    pub colour: Option<String>,
    /// Primary pollutant(s) as published (`PM2.5`, `O3_1h`); empty when AQI ≤ 50.
    pub primary: Vec<String>,
    /// IAQI per indicator (`PM2.5_24h`, `O3_1h`, …).
    pub iaqi: HashMap<String, i32>,
    /// 1-h concentrations at that hour (µg/m³; CO mg/m³), by pollutant.
    pub concentrations: HashMap<String, f64>,
    /// Pollutants the real-time report needs and did not get.
    pub missing: Vec<String>,
    /// Stations averaged (1 for a station).
    pub stations: usize,
}

/// The latest hour with data and its AQI for the city and every station.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LatestAqi {
    /// The hour, as the end of the hour in Beijing time (`2024-06-04T23:00:00+08:00` is the
    /// hour 22:00–23:00); `null` for an empty store.
    pub time: Option<String>,
    /// The HJ 633 edition in force at that hour.
    pub standard: Option<String>,
    /// PM2.5/PM10 rating: `24h-moving-mean` (HJ 633 §5.1) or `1h` (the practice of CNEMC and
    /// BJMEMC since 2017; `lantian serve --pm-1h`).
    pub pm_rating: String,
    /// The city: HJ 663 mean of the assessment stations' 1-h concentrations, then rated.
    pub city: Option<AqiNow>,
    pub stations: Vec<AqiNow>,
}

/// The Beijing local time of a UTC instant in microseconds.
pub fn beijing_stamp(micros: i64) -> NaiveDateTime {
    chrono::DateTime::from_timestamp_micros(micros)
        .expect("valid micros")
        .with_timezone(&BEIJING)
        .naive_local()
}

/// An hour-ending Beijing stamp as RFC 3339 with its offset (`2024-06-04T23:00:00+08:00`).
pub fn stamp_text(stamp: NaiveDateTime) -> String {
    BEIJING
        .from_local_datetime(&stamp)
        .single()
        .expect("fixed offset")
        .to_rfc3339()
}

fn now_of(code: &str, r: Option<&AqiResult>, conc: [Option<f64>; 6], stations: usize) -> AqiNow {
    let aqi = r.and_then(|r| r.aqi);
    let cat = r.and_then(|r| r.category).filter(|_| aqi.is_some());
    AqiNow {
        code: code.to_string(),
        name_zh: String::new(),
        name_en: String::new(),
        district_zh: None,
        district_en: None,
        longitude: None,
        latitude: None,
        role: "area".into(),
        aqi,
        level: cat.map(|c| c.level),
        category_zh: cat.map(|c| c.name_zh.to_string()),
        category_en: cat.map(|c| c.name_en.to_string()),
        colour: cat.map(|c| c.hex()),
        primary: r
            .map(|r| {
                r.primary
                    .iter()
                    .map(|i: &Indicator| i.published_name().to_string())
                    .collect()
            })
            .unwrap_or_default(),
        iaqi: r
            .map(|r| {
                r.sub_indices
                    .iter()
                    .filter_map(|s| s.index.map(|i| (s.indicator.to_string(), i)))
                    .collect()
            })
            .unwrap_or_default(),
        concentrations: series::POLLUTANTS
            .iter()
            .zip(conc)
            .filter_map(|(p, v)| v.map(|v| (p.to_string(), v)))
            .collect(),
        missing: r
            .map(|r| r.missing.iter().map(|m| m.to_string()).collect())
            .unwrap_or_default(),
        stations,
    }
}

/// Compute [`LatestAqi`] from a snapshot.
pub fn latest_aqi(reader: &MatrixReader, reg: &Registry, options: Options) -> Result<LatestAqi> {
    let pm_rating = if options.pm_1h_realtime {
        "1h"
    } else {
        "24h-moving-mean"
    }
    .to_string();
    let empty = LatestAqi {
        time: None,
        standard: None,
        pm_rating: pm_rating.clone(),
        city: None,
        stations: vec![],
    };
    let Some(last_micros) = reader.latest_micros() else {
        return Ok(empty);
    };
    let last = beijing_stamp(last_micros);
    let start = last - Duration::hours(LATEST_WINDOW_HOURS as i64 - 1);
    let codes: Vec<String> = reg.stations().iter().map(|s| s.code.clone()).collect();
    let values = read_hourly(reader, &codes, start, last, LATEST_WINDOW_HOURS, false)?;
    let assessment: Vec<&[Vec<Option<f64>>; 6]> = reg
        .stations()
        .iter()
        .filter(|s| s.role.is_assessment())
        .filter_map(|s| values.get(&s.code))
        .collect();
    // The latest hour at which some assessment station has a pollutant value (the newest
    // row may be a weather value or a 24-h mean published with it).
    let Some(at) = (0..LATEST_WINDOW_HOURS)
        .rev()
        .find(|&i| assessment.iter().any(|m| m.iter().any(|p| p[i].is_some())))
    else {
        return Ok(empty);
    };
    let stamp = start + Duration::hours(at as i64);
    let rate = |v: &[Vec<Option<f64>>; 6]| -> Result<Option<AqiResult>> {
        let mut s = HourlySeries::new(start, at + 1);
        for (p, series) in v.iter().enumerate() {
            s.values[p] = series[..=at].to_vec();
        }
        Ok(series::realtime(&s, options)?.pop().map(|x| x.1))
    };
    let mut stations = Vec::new();
    for st in reg.stations() {
        let Some(v) = values.get(&st.code) else {
            continue;
        };
        let conc: [Option<f64>; 6] = std::array::from_fn(|p| v[p][at]);
        let r = rate(v)?;
        let mut now = now_of(&st.code, r.as_ref(), conc, 1);
        now.name_zh = st.name_zh.clone();
        now.name_en = st.name_en.clone();
        now.district_zh = Some(st.district_zh.clone());
        now.district_en = Some(st.district_en.clone());
        now.longitude = st.longitude;
        now.latitude = st.latitude;
        now.role = st.role.code().to_string();
        stations.push(now);
    }
    // HJ 663 (../shared/standards/air-china.md §3c): the city's hourly value is the arithmetic
    // mean of its assessment stations' hourly values.
    let assessment_codes: Vec<String> = reg
        .stations()
        .iter()
        .filter(|s| s.role.is_assessment())
        .map(|s| s.code.clone())
        .collect();
    let mean = crate::select::area_series(&values, &assessment_codes, start)
        .expect("an assessment station has data at the latest hour")
        .values;
    let n_at = assessment
        .iter()
        .filter(|m| m.iter().any(|p| p[at].is_some()))
        .count();
    let conc: [Option<f64>; 6] = std::array::from_fn(|p| mean[p][at]);
    let r = rate(&mean)?;
    let mut city = now_of("beijing", r.as_ref(), conc, n_at);
    city.name_zh = "北京市".into();
    city.name_en = "Beijing".into();
    Ok(LatestAqi {
        time: Some(stamp_text(stamp)),
        standard: r.as_ref().map(|r| r.standard.id().to_string()),
        pm_rating,
        city: Some(city),
        stations,
    })
}
