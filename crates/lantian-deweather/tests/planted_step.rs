//! Normalisation recovers a step change planted in real data under real weather.
//!
//! Data: UCI Beijing multi-site, Dongsi, 2013-03-01 .. 2017-02-28 (hourly PM2.5 with the
//! station's weather), read from `../shared/data`; skipped with a message when absent.
//! A step of −20 µg/m³ is added to every hour from 2015-03-01 on. The model is fitted to the
//! series with and without the step (same seed, same weather, hence the same resampled
//! weather in every resample); the recovered step is the change across 2015-03-01 (a year
//! each side) of the normalised series with the step, minus the same change without it. Its
//! interval is the 2.5–97.5 % range of that difference over the resamples.

use chrono::{NaiveDate, NaiveDateTime};
use lantian_deweather::attribution::{PeriodSpan, attribute};
use lantian_deweather::normalise::normalise;
use lantian_deweather::{Frame, Model, ModelSettings, NormaliseSettings};

const STEP: f64 = -20.0;

/// Named hourly weather columns.
type Weather = Vec<(String, Vec<f64>)>;

fn dongsi() -> Option<(NaiveDateTime, Vec<f64>, Weather)> {
    let path = lantian_testdata::shared_path(
        "uci_beijing_multisite/PRSA_Data_Dongsi_20130301-20170228.csv",
        "the planted step is added to Dongsi's real series",
    )?;
    let text = std::fs::read_to_string(&path).unwrap();
    let first = NaiveDate::from_ymd_opt(2013, 3, 1)?.and_hms_opt(0, 0, 0)?;
    let dirs = [
        "N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW",
        "NW", "NNW",
    ];
    let n = 35064;
    let mut y = vec![f64::NAN; n];
    let names = ["temp", "pres", "dewp", "rain", "wd", "ws"];
    let mut w: Vec<Vec<f64>> = vec![vec![f64::NAN; n]; names.len()];
    // No,year,month,day,hour,PM2.5,PM10,SO2,NO2,CO,O3,TEMP,PRES,DEWP,RAIN,wd,WSPM,station
    for (i, line) in text.lines().skip(1).enumerate() {
        let f: Vec<&str> = line.split(',').map(|s| s.trim_matches('"')).collect();
        let num = |k: usize| f[k].parse::<f64>().unwrap_or(f64::NAN);
        y[i] = num(5);
        for (k, col) in [11, 12, 13, 14].iter().enumerate() {
            w[k][i] = num(*col);
        }
        w[4][i] = dirs
            .iter()
            .position(|d| *d == f[15])
            .map_or(f64::NAN, |p| p as f64 * 22.5);
        w[5][i] = num(16);
    }
    let weather = names.iter().map(|s| s.to_string()).zip(w).collect();
    Some((first, y, weather))
}

#[test]
fn a_planted_step_is_recovered_within_its_interval() {
    let Some((first, y, weather)) = dongsi() else {
        return;
    };
    let t0 = NaiveDate::from_ymd_opt(2015, 3, 1).unwrap();
    let stepped: Vec<f64> = y
        .iter()
        .enumerate()
        .map(|(h, v)| {
            let t = first + chrono::Duration::hours(h as i64);
            if t.date() >= t0 { v + STEP } else { *v }
        })
        .collect();
    let settings = ModelSettings::default();
    let ns = NormaliseSettings {
        resamples: 100,
        seed: 7,
        threads: 2,
    };
    let before = PeriodSpan {
        label: "before".into(),
        first: NaiveDate::from_ymd_opt(2014, 3, 1).unwrap(),
        last: NaiveDate::from_ymd_opt(2015, 2, 28).unwrap(),
    };
    let after = PeriodSpan {
        label: "after".into(),
        first: t0,
        last: NaiveDate::from_ymd_opt(2016, 2, 29).unwrap(),
    };
    let mut per_resample = Vec::new();
    let mut estimates = Vec::new();
    for series in [&y, &stepped] {
        let frame = Frame::from_hourly(first, series, &weather).unwrap();
        let model = Model::fit(&frame, &settings).unwrap();
        assert!(model.quality.r2_test > 0.75, "R² {}", model.quality.r2_test);
        let n = normalise(&model, &frame, &ns, &|_| {}).unwrap();
        let a = attribute(
            &frame,
            &model.predict_frame(&frame),
            &n,
            &before,
            &after,
            0.05,
        )
        .unwrap();
        estimates.push(a.emission.change);
        // Per resample: the normalised change across the step.
        let rows = |p: &PeriodSpan| -> Vec<usize> {
            (0..frame.rows())
                .filter(|&r| {
                    let d = frame.hours[r].date();
                    d >= p.first && d <= p.last && !frame.y[r].is_nan()
                })
                .collect()
        };
        let (rb, ra) = (
            n.resample_means(&rows(&before)),
            n.resample_means(&rows(&after)),
        );
        per_resample.push(ra.iter().zip(&rb).map(|(a, b)| a - b).collect::<Vec<f64>>());
    }
    let diffs: Vec<f64> = per_resample[1]
        .iter()
        .zip(&per_resample[0])
        .map(|(s, b)| s - b)
        .collect();
    let recovered = estimates[1] - estimates[0];
    let (lo, hi) = (
        lantian_deweather::quantile(&diffs, 0.025),
        lantian_deweather::quantile(&diffs, 0.975),
    );
    eprintln!(
        "planted {STEP}, recovered {recovered:.2} [{lo:.2}, {hi:.2}]; emission change without the step {:.2}, with {:.2}",
        estimates[0], estimates[1]
    );
    assert!(
        lo <= STEP && STEP <= hi,
        "planted {STEP} outside [{lo:.2}, {hi:.2}]"
    );
    assert!(
        (recovered - STEP).abs() < 0.1 * STEP.abs(),
        "recovered {recovered}"
    );
}
