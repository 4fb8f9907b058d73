//! The value model: level × season × diurnal shape × log-normal weather and noise.
//!
//! Every value is a pure function of `(seed, station, date, hour)`; the random streams are
//! keyed by [`crate::mix`] so a day can be generated without the days before it.

use crate::network::Network;
use crate::{CO, PM10, PM25, mix};
use chrono::{Datelike, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use std::f64::consts::TAU;

/// Seasonal cycle per pollutant ([`crate::POLLUTANTS`] order): (relative amplitude, day of
/// year of the maximum). A model, not data (the template covers four January days): heating
/// season maxima of SO2, CO, NO2 and PM2.5, the spring dust maximum of PM10, the June maximum
/// of O3, with amplitudes of the order of the national monthly means' range.
pub const SEASON: [(f64, f64); 6] = [
    (0.45, 15.0),
    (0.30, 15.0),
    (0.35, 15.0),
    (0.50, 170.0),
    (0.35, 75.0),
    (0.45, 15.0),
];

/// Standard deviation of the log value explained by the city's weather (negative: falls when
/// the air stagnates), by a slow local component, and by the hourly AR(1) noise.
const WEATHER: [f64; 6] = [0.45, 0.40, 0.40, -0.20, 0.55, 0.60];
const LOCAL: [f64; 6] = [0.30, 0.25, 0.25, 0.20, 0.25, 0.25];
const NOISE: [f64; 6] = [0.25, 0.20, 0.20, 0.15, 0.20, 0.20];
/// Hour-to-hour autocorrelation of the noise.
const AR: f64 = 0.8;

/// Probability of a single missing cell, of a station's whole week off, of a bad value.
pub const P_CELL_MISSING: f64 = 0.003;
pub const P_WEEK_OFF: f64 = 0.004;
pub const P_BAD: f64 = 2e-5;

/// The seasonal factor of pollutant `k` (unnormalised).
pub fn season(k: usize, doy: f64) -> f64 {
    let (a, peak) = SEASON[k];
    1.0 + a * (TAU * (doy - peak) / 365.25).cos()
}

/// Days since 2000-01-01, the origin of the model's clock.
pub fn day_number(date: NaiveDate) -> i64 {
    (date - NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid")).num_days()
}

/// A sum of sinusoids with unit variance: a smooth random process of time in hours.
struct Smooth {
    waves: Vec<(f64, f64)>,
    amp: f64,
}

impl Smooth {
    fn new(key: &[u64], n: usize, min_hours: f64, max_hours: f64) -> Smooth {
        let mut rng = ChaCha8Rng::seed_from_u64(mix(key));
        let waves = (0..n)
            .map(|_| {
                let period =
                    (min_hours.ln() + rng.random::<f64>() * (max_hours / min_hours).ln()).exp();
                (TAU / period, rng.random::<f64>() * TAU)
            })
            .collect();
        Smooth {
            waves,
            amp: (2.0 / n as f64).sqrt(),
        }
    }
    fn at(&self, t: f64) -> f64 {
        self.amp
            * self
                .waves
                .iter()
                .map(|(w, p)| (w * t + p).sin())
                .sum::<f64>()
    }
}

/// One station-day of 1-h values before they are written.
#[derive(Debug, Clone)]
pub struct StationDay {
    /// `[pollutant][hour]`, hour = the file's hour (hour-ending stamp 0..23), rounded as
    /// published (integers, CO one decimal); NaN = missing or bad.
    pub values: [[f64; 24]; 6],
    /// Cells written as a bad value instead: (pollutant, hour, text).
    pub bad: Vec<(usize, usize, &'static str)>,
}

/// Round as the files publish: integers, CO to one decimal, never below the smallest
/// published value (1 µg/m³, 0.1 mg/m³). Missing (NaN) stays missing.
pub fn publish(k: usize, v: f64) -> f64 {
    if v.is_nan() {
        v
    } else if k == CO {
        ((v * 10.0).round() / 10.0).max(0.1)
    } else {
        v.round().max(1.0)
    }
}

/// Whether the city of `city` has a dust day on `date`, and its PM10 factor.
pub fn dust_factor(seed: u64, city: usize, date: NaiveDate) -> Option<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(mix(&[seed, 3, city as u64, day_number(date) as u64]));
    let doy = date.ordinal();
    let p = if (60..=150).contains(&doy) {
        0.04
    } else {
        0.003
    };
    (rng.random::<f64>() < p).then(|| 2.5 + 2.5 * rng.random::<f64>())
}

/// The 1-h values of `station` on `date` (file hours 0..23).
pub fn station_day(net: &Network, station: usize, date: NaiveDate) -> StationDay {
    let st = &net.stations[station];
    let dn = day_number(date);
    let mut values = [[f64::NAN; 24]; 6];
    let mut bad = Vec::new();
    if st.missing >= 0.9 {
        return StationDay { values, bad };
    }
    let seed = net.seed;
    let mut rng = ChaCha8Rng::seed_from_u64(mix(&[seed, 2, station as u64, dn as u64]));
    // A week off: the whole day is empty.
    let mut week = ChaCha8Rng::seed_from_u64(mix(&[seed, 4, station as u64, (dn / 7) as u64]));
    if week.random::<f64>() < P_WEEK_OFF {
        return StationDay { values, bad };
    }
    let weather = Smooth::new(&[seed, 5, st.city as u64], 6, 36.0, 480.0);
    let local = Smooth::new(&[seed, 6, station as u64], 3, 12.0, 168.0);
    let doy = date.ordinal() as f64;
    let dust = dust_factor(seed, st.city, date);
    // An outage of a few hours, as often as the station's missing share asks.
    let outage = if rng.random::<f64>() < (st.missing * 4.0).min(1.0) {
        let start = rng.random_range(0..24usize);
        let len = 1 + (rng.random::<f64>() * 11.0) as usize;
        Some(start..(start + len).min(24))
    } else {
        None
    };
    let mut noise: [f64; 6] = std::array::from_fn(|_| StandardNormal.sample(&mut rng));
    let innovation = (1.0 - AR * AR).sqrt();
    // The hour indexes the diurnal shape, the outage and the six pollutants' rows alike.
    #[allow(clippy::needless_range_loop)]
    for h in 0..24 {
        let t = (dn * 24 + h as i64) as f64;
        let w = weather.at(t);
        let l = local.at(t);
        if h > 0 {
            for e in noise.iter_mut() {
                let z: f64 = StandardNormal.sample(&mut rng);
                *e = AR * *e + innovation * z;
            }
        }
        let mut raw = [0.0f64; 6];
        for k in 0..6 {
            let var = WEATHER[k].powi(2) + LOCAL[k].powi(2) + NOISE[k].powi(2);
            let log = (st.level[k] * net.season(k, doy) * net.diurnal[k][h]).ln()
                + WEATHER[k] * w
                + LOCAL[k] * l
                + NOISE[k] * noise[k]
                - var / 2.0;
            raw[k] = log.exp();
        }
        // PM10 holds PM2.5: the coarse part rides on PM2.5's episode with its own season.
        let ratio =
            st.level[PM10] * net.season(PM10, doy) / (st.level[PM25] * net.season(PM25, doy));
        raw[PM10] = raw[PM25] * ratio.max(1.05) * (0.15 * noise[PM10]).exp();
        if let Some(f) = dust {
            raw[PM10] *= f;
            raw[PM25] *= 1.3;
        }
        raw[PM10] = raw[PM10].max(raw[PM25]);
        let off = outage.as_ref().is_some_and(|r| r.contains(&h));
        for k in 0..6 {
            if off || rng.random::<f64>() < P_CELL_MISSING {
                continue;
            }
            if rng.random::<f64>() < P_BAD {
                // A bad value takes the cell: the derived rows and the AQI are computed
                // without it, as a centre's would be.
                bad.push((
                    k,
                    h,
                    if rng.random::<bool>() {
                        "-999"
                    } else {
                        "99999"
                    },
                ));
            } else {
                values[k][h] = publish(k, raw[k]);
            }
        }
    }
    StationDay { values, bad }
}
