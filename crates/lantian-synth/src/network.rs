//! The generated network: stations, their levels, and the cities they belong to.

use crate::template::Template;
use crate::{CO, PM10, PM25, SynthError, mix, model};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, LogNormal};

/// Options of the network.
#[derive(Debug, Clone)]
pub struct NetworkOptions {
    /// Number of stations (CNEMC's national network: 2,026 columns in 2023).
    pub stations: usize,
    /// Number of cities (prefecture-level and above: about 340).
    pub cities: usize,
    pub seed: u64,
}

impl Default for NetworkOptions {
    fn default() -> Self {
        NetworkOptions {
            stations: 2026,
            cities: 340,
            seed: 1,
        }
    }
}

/// A generated station.
#[derive(Debug, Clone)]
pub struct Station {
    pub code: String,
    /// Index into [`Network::cities`].
    pub city: usize,
    /// Mean level of each pollutant at the template's time of year (µg/m³; CO mg/m³).
    pub level: [f64; 6],
    /// Share of hours the station is off (an outage rate; ≥ 0.9: the station is empty).
    pub missing: f64,
}

/// A city: a group of consecutive station codes (CNEMC numbers its stations city by city).
#[derive(Debug, Clone)]
pub struct City {
    pub name_zh: String,
    pub name_en: String,
    pub stations: Vec<usize>,
}

/// The whole generated network.
#[derive(Debug, Clone)]
pub struct Network {
    pub stations: Vec<Station>,
    pub cities: Vec<City>,
    /// Diurnal factor per pollutant and local hour (hour-ending stamp 0..23), mean 1.
    pub diurnal: [[f64; 24]; 6],
    /// Day of year at which the levels hold (the template's dates).
    pub level_day_of_year: f64,
    pub seed: u64,
}

/// National levels without a template: medians of the station means of the real files of
/// 2023-01-20..23 (µg/m³, CO mg/m³), rounded.
const DEFAULT_LEVEL: [f64; 6] = [9.0, 30.0, 0.8, 50.0, 80.0, 55.0];

/// Diurnal shapes without a template (hour-ending local stamps 0..23, mean 1): night and
/// morning maxima of the primary pollutants, the afternoon maximum of O3. Shapes of the
/// January template, smoothed.
const DEFAULT_DIURNAL: [[f64; 24]; 6] = {
    let primary = [
        1.06, 1.07, 1.07, 1.06, 1.05, 1.04, 1.03, 1.03, 1.04, 1.05, 1.04, 1.01, 0.97, 0.93, 0.90,
        0.89, 0.89, 0.91, 0.95, 0.99, 1.02, 1.04, 1.05, 1.06,
    ];
    let no2 = [
        1.05, 1.02, 0.99, 0.96, 0.94, 0.93, 0.95, 1.00, 1.06, 1.08, 1.04, 0.97, 0.89, 0.83, 0.80,
        0.80, 0.84, 0.93, 1.05, 1.12, 1.14, 1.13, 1.10, 1.08,
    ];
    let o3 = [
        0.82, 0.80, 0.78, 0.76, 0.74, 0.73, 0.72, 0.70, 0.70, 0.75, 0.86, 1.01, 1.18, 1.33, 1.44,
        1.49, 1.47, 1.38, 1.22, 1.07, 0.97, 0.91, 0.87, 0.84,
    ];
    [primary, no2, primary, o3, primary, primary]
};

impl Network {
    /// Build the network, from a template when one is given.
    pub fn build(
        opts: &NetworkOptions,
        template: Option<&Template>,
    ) -> Result<Network, SynthError> {
        if opts.stations == 0 || opts.cities == 0 || opts.cities > opts.stations {
            return Err(SynthError::Options(format!(
                "need 1 ≤ cities ≤ stations (got {} cities, {} stations)",
                opts.cities, opts.stations
            )));
        }
        let mut rng = ChaCha8Rng::seed_from_u64(mix(&[opts.seed, 1]));
        let sizes = city_sizes(opts.stations, opts.cities, &mut rng);
        let city_factor = LogNormal::new(0.0, 0.35).expect("valid");
        let station_factor = LogNormal::new(0.0, 0.25).expect("valid");
        let mut stations = Vec::with_capacity(opts.stations);
        let mut cities = Vec::with_capacity(opts.cities);
        let mut next_synthetic = 1001u32;
        for (c, &size) in sizes.iter().enumerate() {
            let cf: f64 = city_factor.sample(&mut rng);
            let mut members = Vec::with_capacity(size);
            for _ in 0..size {
                let i = stations.len();
                let sf: f64 = station_factor.sample(&mut rng);
                let from_template = template.and_then(|t| t.stations.get(i));
                let code = match from_template {
                    Some(ts) => ts.code.clone(),
                    None => {
                        // Beyond the template (or without one): codes in CNEMC's pattern that
                        // the template does not use.
                        loop {
                            let code = format!("{next_synthetic}A");
                            next_synthetic += 1;
                            if template.is_none_or(|t| t.stations.iter().all(|s| s.code != code)) {
                                break code;
                            }
                        }
                    }
                };
                let mut level: [f64; 6] = std::array::from_fn(|k| DEFAULT_LEVEL[k] * cf * sf);
                let mut missing = 0.02 + 0.03 * rng.random::<f64>();
                if let Some(ts) = from_template {
                    for (k, m) in ts.mean.iter().enumerate() {
                        if let Some(m) = m {
                            level[k] = m.max(if k == CO { 0.1 } else { 1.0 });
                        }
                    }
                    missing = ts.missing;
                }
                // PM10 carries PM2.5: keep the coarse fraction positive.
                level[PM10] = level[PM10].max(level[PM25] * 1.1);
                stations.push(Station {
                    code,
                    city: c,
                    level,
                    missing,
                });
                members.push(i);
            }
            cities.push(City {
                name_zh: format!("城市{:03}", c + 1),
                name_en: format!("City {:03}", c + 1),
                stations: members,
            });
        }
        let (diurnal, level_day_of_year) = match template {
            Some(t) => (t.diurnal, t.mean_day_of_year()),
            None => (DEFAULT_DIURNAL, 21.5),
        };
        Ok(Network {
            stations,
            cities,
            diurnal,
            level_day_of_year,
            seed: opts.seed,
        })
    }

    /// The network as a Lantian registry CSV (`lantian_model::registry` columns): the city is
    /// the area (`district_*` columns), every station an urban assessment station of network
    /// `cnemc-synthetic` whose national code is its code.
    pub fn registry_csv(&self) -> String {
        let mut s = String::from(
            "code,name_zh,name_en,district_zh,district_en,network,role,national_code,longitude,latitude,active_from,active_to,continues,continuation_evidence,aliases\n",
        );
        for st in &self.stations {
            let c = &self.cities[st.city];
            s += &format!(
                "{code},{code},{code},{},{},cnemc-synthetic,urban,{code},,,,,,,\n",
                c.name_zh,
                c.name_en,
                code = st.code
            );
        }
        s
    }

    /// The seasonal factor of pollutant `k` on day of year `doy`, relative to the levels.
    pub fn season(&self, k: usize, doy: f64) -> f64 {
        model::season(k, doy) / model::season(k, self.level_day_of_year)
    }
}

/// Sizes of `cities` groups summing to `stations`, skewed as real cities are (a few large
/// networks, many of 2–6 stations), each at least 1.
fn city_sizes(stations: usize, cities: usize, rng: &mut ChaCha8Rng) -> Vec<usize> {
    let w = LogNormal::new(0.0, 0.6).expect("valid");
    let weights: Vec<f64> = (0..cities).map(|_| w.sample(rng)).collect();
    let total: f64 = weights.iter().sum();
    let spare = stations - cities;
    let mut sizes: Vec<usize> = weights
        .iter()
        .map(|x| 1 + (x / total * spare as f64).floor() as usize)
        .collect();
    // Hand out what flooring left, largest remainders first (deterministic).
    let mut rest = stations - sizes.iter().sum::<usize>();
    let mut order: Vec<usize> = (0..cities).collect();
    order.sort_by(|&a, &b| {
        let ra = (weights[a] / total * spare as f64).fract();
        let rb = (weights[b] / total * spare as f64).fract();
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &i in order.iter().cycle() {
        if rest == 0 {
            break;
        }
        sizes[i] += 1;
        rest -= 1;
    }
    sizes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cities_partition_the_stations() {
        let net = Network::build(&NetworkOptions::default(), None).unwrap();
        assert_eq!(net.stations.len(), 2026);
        assert_eq!(net.cities.len(), 340);
        let mut seen = vec![false; 2026];
        for (c, city) in net.cities.iter().enumerate() {
            assert!(!city.stations.is_empty());
            for &s in &city.stations {
                assert!(!seen[s], "station {s} in two cities");
                seen[s] = true;
                assert_eq!(net.stations[s].city, c);
            }
        }
        assert!(seen.iter().all(|&x| x));
        let largest = net.cities.iter().map(|c| c.stations.len()).max().unwrap();
        assert!((10..=40).contains(&largest), "largest city {largest}");
        let codes: std::collections::HashSet<_> = net.stations.iter().map(|s| &s.code).collect();
        assert_eq!(codes.len(), 2026, "codes are unique");
    }

    #[test]
    fn the_same_seed_gives_the_same_network() {
        let a = Network::build(&NetworkOptions::default(), None).unwrap();
        let b = Network::build(&NetworkOptions::default(), None).unwrap();
        assert_eq!(a.registry_csv(), b.registry_csv());
        let c = Network::build(
            &NetworkOptions {
                seed: 2,
                ..Default::default()
            },
            None,
        )
        .unwrap();
        assert_ne!(a.registry_csv(), c.registry_csv());
    }

    #[test]
    fn impossible_options_are_refused() {
        let e = Network::build(
            &NetworkOptions {
                stations: 3,
                cities: 4,
                seed: 1,
            },
            None,
        )
        .unwrap_err();
        assert!(e.to_string().contains("cities ≤ stations"), "{e}");
    }
}
