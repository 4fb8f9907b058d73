//! The generated files: determinism, the real format (read back by Lantian's own reader), the
//! derived columns, and the shape of the values.

use chrono::{NaiveDate, Timelike};
use lantian_model::time::beijing;
use lantian_model::{Averaging, Flag, Pollutant, Variable};
use lantian_synth::{Network, NetworkOptions, Template, day_file};
use std::collections::HashMap;
use std::path::PathBuf;

fn small(seed: u64) -> Network {
    Network::build(
        &NetworkOptions {
            stations: 60,
            cities: 10,
            seed,
        },
        None,
    )
    .unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn a_day_is_the_same_bytes_every_time_and_another_seed_changes_it() {
    let net = small(7);
    let (a, sa) = day_file(&net, date(2023, 7, 1));
    let (b, sb) = day_file(&net, date(2023, 7, 1));
    assert_eq!(a, b);
    assert_eq!(sa, sb);
    let (c, _) = day_file(&small(8), date(2023, 7, 1));
    assert_ne!(a, c);
}

type Key = (String, Variable, Averaging, i64);

/// Read a generated day back with Lantian's reader.
fn read_back(
    net: &Network,
    d: NaiveDate,
) -> (
    HashMap<Key, (f64, Flag)>,
    lantian_synth::GenerateSummary,
    lantian_ingest::FileReport,
) {
    let (bytes, summary) = day_file(net, d);
    let name = format!("china_sites_{}.csv", d.format("%Y%m%d"));
    let out = lantian_ingest::read_bytes(&name, &bytes);
    let map = out
        .observations
        .iter()
        .map(|o| {
            (
                (
                    o.station.to_string(),
                    o.variable,
                    o.averaging,
                    o.time_end.timestamp(),
                ),
                (o.value.unwrap(), o.flag),
            )
        })
        .collect();
    (map, summary, out.report)
}

#[test]
fn lantians_reader_takes_every_value_and_flags_exactly_the_bad_ones() {
    let net = Network::build(
        &NetworkOptions {
            stations: 400,
            cities: 60,
            seed: 3,
        },
        None,
    )
    .unwrap();
    let mut bad_seen = 0;
    for d in date(2023, 3, 1).iter_days().take(6) {
        let (map, summary, report) = read_back(&net, d);
        assert_eq!(report.stations.len(), 400);
        assert_eq!(
            map.len() as u64,
            summary.values,
            "{d}: every cell is one value"
        );
        let flagged = map.values().filter(|(_, f)| *f != Flag::Ok).count() as u64;
        assert_eq!(flagged, summary.bad, "{d}: flagged values are the bad ones");
        for (_, (v, f)) in map.iter().filter(|(_, (_, f))| *f != Flag::Ok) {
            assert!(*v == -999.0 || *v == 99999.0, "{v} {f:?}");
        }
        bad_seen += summary.bad;
        // Diagnostics are only those of the bad values.
        assert_eq!(
            report.diagnostics.len() as u64,
            summary.bad,
            "{:?}",
            report.diagnostics.first()
        );
    }
    // 400 stations × 6 days × 144 cells × 2e-5 ≈ 7 expected.
    assert!(bad_seen > 0, "some bad values in 345,600 cells");
}

#[test]
fn the_derived_columns_follow_from_the_hourly_values() {
    let net = small(11);
    let d = date(2024, 5, 10);
    let (prev, _, _) = read_back(&net, d.pred_opt().unwrap());
    let (today, _, _) = read_back(&net, d);
    let hourly = |st: &str, p: Pollutant, t: i64| {
        let k = (st.to_string(), Variable::Pollutant(p), Averaging::Hour1, t);
        today
            .get(&k)
            .or_else(|| prev.get(&k))
            .filter(|(_, f)| *f == Flag::Ok)
            .map(|x| x.0)
    };
    let mut checked = 0;
    for ((st, var, avg, t), (v, _)) in &today {
        let Variable::Pollutant(p) = var else {
            continue;
        };
        let window = |n: i64| -> Vec<f64> {
            (0..n)
                .filter_map(|j| hourly(st, *p, t - 3600 * j))
                .collect()
        };
        match (p, avg) {
            (Pollutant::Pm2_5 | Pollutant::So2, Averaging::Moving24h) => {
                let w = window(24);
                assert!(w.len() >= 20, "{st} {t}: a 24-h mean needs 20 values");
                let mean = w.iter().sum::<f64>() / w.len() as f64;
                assert_eq!(*v, mean.round().max(1.0), "{st} {p} 24h at {t}");
                checked += 1;
            }
            (Pollutant::O3, Averaging::Moving8h) => {
                let w = window(8);
                assert!(w.len() >= 6);
                let mean = w.iter().sum::<f64>() / w.len() as f64;
                assert_eq!(*v, mean.round().max(1.0), "{st} O3_8h at {t}");
                checked += 1;
            }
            (Pollutant::O3, Averaging::Max1hIn24h) => {
                let w = window(24);
                assert_eq!(*v, w.iter().cloned().fold(f64::MIN, f64::max));
                checked += 1;
            }
            _ => {}
        }
    }
    assert!(checked > 1000, "checked {checked}");
}

#[test]
fn values_have_the_shapes_of_real_air() {
    let net = Network::build(
        &NetworkOptions {
            stations: 200,
            cities: 30,
            seed: 5,
        },
        None,
    )
    .unwrap();
    // Mean by pollutant, over January and July weeks; O3 by local hour in July.
    let mut sums: HashMap<(&str, Pollutant), (f64, f64)> = HashMap::new();
    let mut o3_hour = [(0.0, 0.0); 24];
    let mut pm_pairs = 0;
    for (label, start) in [("jan", date(2023, 1, 8)), ("jul", date(2023, 7, 8))] {
        for d in start.iter_days().take(7) {
            let (map, _, _) = read_back(&net, d);
            for ((st, var, avg, t), (v, f)) in &map {
                if *avg != Averaging::Hour1 || *f != Flag::Ok {
                    continue;
                }
                let Variable::Pollutant(p) = var else {
                    continue;
                };
                let e = sums.entry((label, *p)).or_default();
                e.0 += v;
                e.1 += 1.0;
                if label == "jul" && *p == Pollutant::O3 {
                    let h = chrono::DateTime::from_timestamp(*t, 0)
                        .unwrap()
                        .with_timezone(&beijing())
                        .hour();
                    o3_hour[h as usize].0 += v;
                    o3_hour[h as usize].1 += 1.0;
                }
                if *p == Pollutant::Pm2_5 {
                    let k = (
                        st.clone(),
                        Variable::Pollutant(Pollutant::Pm10),
                        Averaging::Hour1,
                        *t,
                    );
                    if let Some((pm10, Flag::Ok)) = map.get(&k) {
                        assert!(pm10 >= v, "{st} at {t}: PM10 {pm10} < PM2.5 {v}");
                        pm_pairs += 1;
                    }
                }
            }
        }
    }
    let mean = |l, p| {
        let (s, n) = sums[&(l, p)];
        s / n
    };
    assert!(pm_pairs > 10_000);
    assert!(
        mean("jan", Pollutant::Pm2_5) > 1.5 * mean("jul", Pollutant::Pm2_5),
        "PM2.5 higher in winter"
    );
    assert!(
        mean("jul", Pollutant::O3) > 1.5 * mean("jan", Pollutant::O3),
        "O3 higher in summer"
    );
    let at = |h: usize| o3_hour[h].0 / o3_hour[h].1;
    assert!(
        at(15) > 1.5 * at(6),
        "O3 peaks in the afternoon: 15h {} vs 6h {}",
        at(15),
        at(6)
    );
    // Roughly the national level in January (PM2.5 about 55 µg/m³ in the real files).
    let jan = mean("jan", Pollutant::Pm2_5);
    assert!((30.0..100.0).contains(&jan), "January PM2.5 {jan}");
}

#[test]
fn missing_cells_are_a_few_percent() {
    let net = small(2);
    let (_, s) = day_file(&net, date(2023, 10, 1));
    let expected = 60 * 24 * 6;
    let share = 1.0 - s.values_1h as f64 / expected as f64;
    assert!((0.0..0.25).contains(&share), "missing share {share}");
}

fn shared_cnemc() -> Option<PathBuf> {
    lantian_testdata::shared_path(
        "cnemc_china_sites",
        "the template is taken from the real national files",
    )
}

#[test]
fn a_template_of_the_real_files_gives_their_stations_and_levels() {
    let Some(dir) = shared_cnemc() else { return };
    let t = Template::from_dir(&dir).unwrap();
    assert_eq!(t.stations.len(), 2026, "the header's station columns");
    assert_eq!(t.stations[0].code, "1001A");
    assert_eq!(t.dates.len(), 4);
    let empty = t.stations.iter().filter(|s| s.missing >= 0.9).count();
    // 348 stations carry no PM2.5 on 2023-01-20; over four days about as many.
    assert!((250..450).contains(&empty), "{empty} empty stations");
    let net = Network::build(&NetworkOptions::default(), Some(&t)).unwrap();
    assert_eq!(net.stations[0].code, "1001A");
    // The generated January days keep the template's level: the national mean PM2.5 of the
    // generated 2023-01-21 within a third of the real day's.
    let real = lantian_ingest::read_file(&dir.join("china_sites_20230121.csv"));
    let mean_pm = |obs: &[lantian_model::Observation]| {
        let v: Vec<f64> = obs
            .iter()
            .filter(|o| {
                o.variable == Variable::Pollutant(Pollutant::Pm2_5)
                    && o.averaging == Averaging::Hour1
                    && o.flag == Flag::Ok
            })
            .filter_map(|o| o.value)
            .collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    let (bytes, _) = day_file(&net, date(2023, 1, 21));
    let synth = lantian_ingest::read_bytes("china_sites_20230121.csv", &bytes);
    let (r, s) = (mean_pm(&real.observations), mean_pm(&synth.observations));
    assert!((s / r - 1.0).abs() < 0.34, "real {r}, generated {s}");
}

#[test]
fn a_missing_template_folder_is_named() {
    let e = Template::from_dir(std::path::Path::new("/nonexistent/cnemc")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "/nonexistent/cnemc: not a usable template: no such folder"
    );
}
