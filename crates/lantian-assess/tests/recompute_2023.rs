//! An independent recomputation of Beijing 2023 (every station, every day) against the engine:
//! daily means, MDA8, daily max 1-h O3, the period percentiles and the day counts, written here
//! the plain way (loops over hour stamps, a sort and the Annex A rank, the HJ 633—2012 daily
//! tables typed in again). Skipped where `../shared/data` is absent.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use lantian_aqi::Standard;
use lantian_aqi::series::{HourlySeries, POLLUTANTS};
use lantian_assess::days::count_days;
use lantian_assess::period::Period;
use lantian_assess::region::days_of;
use lantian_assess::stats::{Statistic, period_stats};
use lantian_model::{Averaging, Variable};
use std::collections::{BTreeMap, HashMap};

type Hours = HashMap<(String, usize), BTreeMap<NaiveDateTime, f64>>;

fn read_2023() -> Option<Hours> {
    let dir = lantian_testdata::shared_path(
        "quotsoft_beijing/2023",
        "the recomputation of Beijing 2023 reads the real archive",
    )?;
    let mut hours: Hours = HashMap::new();
    for f in lantian_ingest::discover(&[dir]).unwrap() {
        for o in lantian_ingest::read_file(&f).observations {
            let (Variable::Pollutant(p), Averaging::Hour1, Some(v)) =
                (o.variable, o.averaging, o.value)
            else {
                continue;
            };
            let Some(k) = POLLUTANTS.iter().position(|x| *x == p.code()) else {
                continue;
            };
            let stamp = lantian_model::time::to_beijing(o.time_end).naive_local();
            hours
                .entry((o.station.to_string(), k))
                .or_default()
                .insert(stamp, v);
        }
    }
    Some(hours)
}

/// Mean of the hours of natural day `d` (stamps d 01:00 ..= d+1 00:00), with ≥ 20 values.
fn day_mean(h: &BTreeMap<NaiveDateTime, f64>, d: NaiveDate) -> (Option<f64>, usize) {
    let first = d.and_hms_opt(1, 0, 0).unwrap();
    let v: Vec<f64> = (0..24)
        .filter_map(|i| h.get(&(first + Duration::hours(i))).copied())
        .collect();
    (
        (v.len() >= 20).then(|| v.iter().sum::<f64>() / v.len() as f64),
        v.len(),
    )
}

/// MDA8: windows ending at the day's 8th..24th hour, ≥ 6 values each, ≥ 14 windows.
fn mda8(h: &BTreeMap<NaiveDateTime, f64>, d: NaiveDate) -> Option<f64> {
    let first = d.and_hms_opt(1, 0, 0).unwrap();
    let mut windows = Vec::new();
    for end in 7..24 {
        let v: Vec<f64> = (end - 7..=end)
            .filter_map(|i| h.get(&(first + Duration::hours(i))).copied())
            .collect();
        if v.len() >= 6 {
            windows.push(v.iter().sum::<f64>() / v.len() as f64);
        }
    }
    (windows.len() >= 14).then(|| windows.iter().copied().fold(f64::MIN, f64::max))
}

fn annex_a(mut v: Vec<f64>, p: f64) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let k = 1.0 + (v.len() as f64 - 1.0) * p / 100.0;
    let s = k.floor() as usize; // 1-based
    Some(if s >= v.len() {
        v[v.len() - 1]
    } else {
        v[s - 1] + (v[s] - v[s - 1]) * (k - s as f64)
    })
}

/// HJ 633—2012 daily IAQI, typed in again: (breakpoints, decimals of the input rounding).
fn iaqi_2012(c: f64, bp: &[f64], decimals: i32) -> i32 {
    let iaqi = [0.0, 50.0, 100.0, 150.0, 200.0, 300.0, 400.0, 500.0];
    let scale = 10f64.powi(decimals);
    // GB/T 8170 on decimal data (ties within 1e-9 relative go to even).
    let s = c * scale;
    let f = s.floor();
    let r = if (s - f - 0.5).abs() <= 1e-9 * s.abs().max(1.0) {
        if f % 2.0 == 0.0 { f } else { f + 1.0 }
    } else {
        s.round()
    };
    let c = r / scale;
    for k in 1..bp.len() {
        if c <= bp[k] {
            let x = (iaqi[k] - iaqi[k - 1]) / (bp[k] - bp[k - 1]) * (c - bp[k - 1]) + iaqi[k - 1];
            return (x - 1e-9 * x.abs().max(1.0)).ceil() as i32;
        }
    }
    500
}

#[test]
fn engine_equals_a_direct_recomputation_on_all_2023_data() {
    let Some(hours) = read_2023() else { return };
    let year = Period::parse("2023").unwrap();
    let mut stations: Vec<String> = hours.keys().map(|(s, _)| s.clone()).collect();
    stations.sort();
    stations.dedup();
    let start = NaiveDate::from_ymd_opt(2023, 1, 1)
        .unwrap()
        .and_hms_opt(1, 0, 0)
        .unwrap();
    let empty = BTreeMap::new();
    let (mut compared_days, mut compared_stats) = (0, 0);
    for st in &stations {
        let h = |k: usize| hours.get(&(st.clone(), k)).unwrap_or(&empty);
        let mut series = HourlySeries::new(start, 365 * 24);
        for (k, name) in POLLUTANTS.iter().enumerate() {
            for (t, v) in h(k) {
                series.set(name, *t, Some(*v));
            }
        }
        let engine = days_of(&series);
        assert_eq!(engine.len(), 365, "{st}");
        let mut direct_days = BTreeMap::new();
        for d in year.dates() {
            let e = engine[&d];
            let mean = |k: usize| day_mean(h(k), d).0;
            assert_eq!(e.so2, mean(0), "{st} {d} SO2");
            assert_eq!(e.no2, mean(1), "{st} {d} NO2");
            assert_eq!(e.co, mean(2), "{st} {d} CO");
            assert_eq!(e.pm10, mean(4), "{st} {d} PM10");
            assert_eq!(e.pm25, mean(5), "{st} {d} PM2.5");
            assert_eq!(e.o3_mda8, mda8(h(3), d), "{st} {d} MDA8");
            let (o3n, max1h) = {
                let first = d.and_hms_opt(1, 0, 0).unwrap();
                let v: Vec<f64> = (0..24)
                    .filter_map(|i| h(3).get(&(first + Duration::hours(i))).copied())
                    .collect();
                (v.len(), v.iter().copied().fold(f64::MIN, f64::max))
            };
            assert_eq!(
                e.o3_max_1h,
                (o3n >= 20).then_some(max1h),
                "{st} {d} O3 max 1-h"
            );
            direct_days.insert(d, e);
            compared_days += 1;
        }
        // Period statistics.
        let stats = period_stats(&year, &engine);
        let col = |f: fn(&lantian_assess::stats::DayValues) -> Option<f64>| -> Vec<f64> {
            direct_days.values().filter_map(f).collect()
        };
        for s in &stats.stats {
            let values = match s.pollutant {
                "SO2" => col(|v| v.so2),
                "NO2" => col(|v| v.no2),
                "CO" => col(|v| v.co),
                "PM10" => col(|v| v.pm10),
                "PM2.5" => col(|v| v.pm25),
                _ => col(|v| v.o3_mda8),
            };
            let direct = match s.statistic {
                Statistic::Mean => {
                    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
                }
                Statistic::Percentile(p) => annex_a(values.clone(), f64::from(p)),
            };
            match (s.value, direct) {
                (Some(a), Some(b)) => assert!(
                    (a - b).abs() <= 1e-9 * b.abs().max(1.0),
                    "{st} {} {:?}: {a} vs {b}",
                    s.pollutant,
                    s.statistic
                ),
                (a, b) => assert_eq!(a, b, "{st} {} {:?}", s.pollutant, s.statistic),
            }
            assert_eq!(s.completeness.valid, values.len());
            compared_stats += 1;
        }
        // Day counts under HJ 633—2012, with the daily tables typed in again.
        let counts = count_days(&year, &engine, Some(Standard::Hj633_2012)).unwrap();
        let mut by_level = [0usize; 6];
        for v in engine.values() {
            let subs: Vec<i32> = [
                v.so2.map(|c| {
                    iaqi_2012(
                        c,
                        &[0.0, 50.0, 150.0, 475.0, 800.0, 1600.0, 2100.0, 2620.0],
                        0,
                    )
                }),
                v.no2.map(|c| {
                    iaqi_2012(c, &[0.0, 40.0, 80.0, 180.0, 280.0, 565.0, 750.0, 940.0], 0)
                }),
                v.co.map(|c| iaqi_2012(c, &[0.0, 2.0, 4.0, 14.0, 24.0, 36.0, 48.0, 60.0], 1)),
                v.pm10.map(|c| {
                    iaqi_2012(c, &[0.0, 50.0, 150.0, 250.0, 350.0, 420.0, 500.0, 600.0], 0)
                }),
                v.pm25.map(|c| {
                    iaqi_2012(c, &[0.0, 35.0, 75.0, 115.0, 150.0, 250.0, 350.0, 500.0], 0)
                }),
                v.o3_max_1h.map(|c| {
                    iaqi_2012(
                        c,
                        &[0.0, 160.0, 200.0, 300.0, 400.0, 800.0, 1000.0, 1200.0],
                        0,
                    )
                }),
                // O3 8-h above 800 is not rated (2012 note 3); no Beijing MDA8 comes near it.
                v.o3_mda8
                    .filter(|c| *c <= 800.0)
                    .map(|c| iaqi_2012(c, &[0.0, 100.0, 160.0, 215.0, 265.0, 800.0], 0)),
            ]
            .into_iter()
            .flatten()
            .collect();
            if let Some(aqi) = subs.into_iter().max() {
                let level = match aqi {
                    ..=50 => 0,
                    51..=100 => 1,
                    101..=150 => 2,
                    151..=200 => 3,
                    201..=300 => 4,
                    _ => 5,
                };
                by_level[level] += 1;
            }
        }
        assert_eq!(counts.by_level, by_level, "{st} day counts");
    }
    println!(
        "{} stations, {compared_days} station-days, {compared_stats} period statistics: engine = direct",
        stations.len()
    );
    assert!(stations.len() >= 35 && compared_days >= 35 * 365);
}
