//! What the generator learns from real CNEMC files.

use crate::{POLLUTANTS, SynthError};
use chrono::{Datelike, NaiveDate, Timelike};
use lantian_model::time::beijing;
use lantian_model::{Averaging, Flag, Source, Variable};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One station of the template.
#[derive(Debug, Clone)]
pub struct TemplateStation {
    pub code: String,
    /// Mean of the station's valid 1-h values per pollutant ([`POLLUTANTS`] order); `None`
    /// where it has none.
    pub mean: [Option<f64>; 6],
    /// Share of the template's station-hours without a PM2.5 value.
    pub missing: f64,
}

/// Station codes, levels and diurnal shapes from real files.
#[derive(Debug, Clone)]
pub struct Template {
    /// In the order of the first file's header.
    pub stations: Vec<TemplateStation>,
    /// Per pollutant, the mean over all stations of the 1-h values stamped at each local hour
    /// (0..23, hour-ending), divided by the mean of the 24.
    pub diurnal: [[f64; 24]; 6],
    /// The template's dates (for the seasonal scaling).
    pub dates: Vec<NaiveDate>,
}

impl Template {
    /// Learn from `china_sites_*.csv` files (paths or folders). Only CNEMC files count.
    pub fn learn(paths: &[PathBuf]) -> Result<Template, SynthError> {
        let files = lantian_ingest::discover(paths).map_err(|e| SynthError::Io {
            path: paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            source: e,
        })?;
        let mut order: Vec<String> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        // Per station and pollutant: (sum, count); per pollutant and hour: (sum, count).
        let mut sums: Vec<[(f64, u64); 6]> = Vec::new();
        let mut hours: [[(f64, u64); 24]; 6] = [[(0.0, 0); 24]; 6];
        let mut pm_stamps: Vec<u64> = Vec::new();
        let mut dates = Vec::new();
        let mut stamps_per_file = Vec::new();
        for f in &files {
            let out = lantian_ingest::read_file(f);
            let cnemc: Vec<_> = out
                .observations
                .iter()
                .filter(|o| o.source == Source::Cnemc)
                .collect();
            if cnemc.is_empty() {
                continue;
            }
            if order.is_empty() {
                order = out.report.stations.clone();
                for (i, c) in order.iter().enumerate() {
                    index.insert(c.clone(), i);
                }
                sums = vec![[(0.0, 0); 6]; order.len()];
                pm_stamps = vec![0; order.len()];
            }
            let mut file_stamps = std::collections::BTreeSet::new();
            for o in cnemc {
                if o.averaging != Averaging::Hour1 || o.flag != Flag::Ok {
                    continue;
                }
                let Variable::Pollutant(p) = o.variable else {
                    continue;
                };
                let Some(k) = POLLUTANTS.iter().position(|n| *n == p.to_string()) else {
                    continue;
                };
                let Some(&s) = index.get(&*o.station) else {
                    continue;
                };
                let v = o.value.expect("an ok value has a number");
                let local = o.time_end.with_timezone(&beijing());
                file_stamps.insert(local);
                sums[s][k].0 += v;
                sums[s][k].1 += 1;
                let h = local.hour() as usize;
                hours[k][h].0 += v;
                hours[k][h].1 += 1;
                if k == crate::PM25 {
                    pm_stamps[s] += 1;
                }
            }
            if let Some(first) = file_stamps.iter().next() {
                dates.push(first.date_naive());
            }
            stamps_per_file.push(file_stamps.len() as u64);
        }
        if order.is_empty() {
            return Err(SynthError::Template {
                path: files
                    .first()
                    .map_or_else(|| "(no files)".into(), |p| p.display().to_string()),
                message: "no CNEMC china_sites_*.csv file with values".into(),
            });
        }
        let total_stamps: u64 = stamps_per_file.iter().sum();
        let stations = order
            .iter()
            .enumerate()
            .map(|(i, code)| TemplateStation {
                code: code.clone(),
                mean: std::array::from_fn(|k| {
                    let (s, n) = sums[i][k];
                    (n > 0).then(|| s / n as f64)
                }),
                missing: 1.0 - pm_stamps[i] as f64 / total_stamps.max(1) as f64,
            })
            .collect();
        let diurnal = std::array::from_fn(|k| {
            let means: Vec<f64> = hours[k]
                .iter()
                .map(|&(s, n)| if n > 0 { s / n as f64 } else { f64::NAN })
                .collect();
            let valid: Vec<f64> = means.iter().copied().filter(|v| v.is_finite()).collect();
            let day = valid.iter().sum::<f64>() / valid.len().max(1) as f64;
            std::array::from_fn(|h| {
                if means[h].is_finite() && day > 0.0 {
                    means[h] / day
                } else {
                    1.0
                }
            })
        });
        dates.sort();
        Ok(Template {
            stations,
            diurnal,
            dates,
        })
    }

    /// The template's mean day of year (for the seasonal scaling of its levels).
    pub fn mean_day_of_year(&self) -> f64 {
        if self.dates.is_empty() {
            return 20.0;
        }
        self.dates.iter().map(|d| d.ordinal() as f64).sum::<f64>() / self.dates.len() as f64
    }

    /// A template read from one folder, or a clear error naming it.
    pub fn from_dir(dir: &Path) -> Result<Template, SynthError> {
        if !dir.exists() {
            return Err(SynthError::Template {
                path: dir.display().to_string(),
                message: "no such folder".into(),
            });
        }
        Template::learn(&[dir.to_path_buf()])
    }
}
