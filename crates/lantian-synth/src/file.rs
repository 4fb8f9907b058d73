//! Writing days as `china_sites_YYYYMMDD.csv`.
//!
//! The layout of the real files (`lantian_ingest::quotsoft`): a header `date,hour,type,<codes>`,
//! then for each hour 0..23 the fifteen types in CNEMC's order, one column per station, empty
//! where there is no value. The derived types are computed from the generated (published, i.e.
//! rounded) 1-h values:
//!
//! - `X_24h`: mean of the 1-h values stamped t−23 h … t, given 20 of them (the HJ 663 24-h
//!   validity; CNEMC does not publish its own rule);
//! - `O3_24h`: the largest of those 1-h values, given 20;
//! - `O3_8h`: mean of t−7 h … t, given 6;
//! - `O3_8h_24h`: the largest `O3_8h` of the natural day so far (the natural day of a stamp at
//!   hour 0 is the day before: stamps are hour-ending);
//! - `AQI`: `lantian_aqi::batch::realtime_aqi` under the edition in force on the date.

use crate::model::{StationDay, publish, station_day};
use crate::network::Network;
use crate::{CO, NO2, O3, PM10, PM25, SO2, SynthError};
use chrono::NaiveDate;
use lantian_aqi::Standard;
use lantian_aqi::batch::{Columns, NA, realtime_aqi};
use lantian_aqi::hj633::Edition;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// The fifteen types of a file in CNEMC's order.
pub const TYPES: [&str; 15] = [
    "AQI",
    "PM2.5",
    "PM2.5_24h",
    "PM10",
    "PM10_24h",
    "SO2",
    "SO2_24h",
    "NO2",
    "NO2_24h",
    "O3",
    "O3_24h",
    "O3_8h",
    "O3_8h_24h",
    "CO",
    "CO_24h",
];

/// What a run wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GenerateSummary {
    pub files: usize,
    pub bytes: u64,
    /// Non-empty cells, all types.
    pub values: u64,
    /// Non-empty 1-h pollutant cells.
    pub values_1h: u64,
    /// 1-h pollutant cells written as `-999` or `99999`.
    pub bad: u64,
}

impl std::ops::AddAssign for GenerateSummary {
    fn add_assign(&mut self, o: Self) {
        self.files += o.files;
        self.bytes += o.bytes;
        self.values += o.values;
        self.values_1h += o.values_1h;
        self.bad += o.bad;
    }
}

/// Mean of the finite values in `w` if there are at least `min` of them.
fn mean_of(w: &[f64], min: usize) -> f64 {
    let (s, n) = w
        .iter()
        .filter(|v| v.is_finite())
        .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n >= min { s / n as f64 } else { f64::NAN }
}

fn max_of(w: &[f64], min: usize) -> f64 {
    let (m, n) = w
        .iter()
        .filter(|v| v.is_finite())
        .fold((f64::NEG_INFINITY, 0usize), |(m, n), &v| (m.max(v), n + 1));
    if n >= min { m } else { f64::NAN }
}

/// `[type][hour]` cells of one station-day, NaN = empty.
type Cells = [[f64; 24]; 15];
/// Cells written as a bad value: (type row, hour, text).
type BadCells = Vec<(usize, usize, &'static str)>;

/// All fifteen rows' cells of one station-day: `[type][hour]`, NaN = empty, plus bad cells.
fn station_cells(
    net: &Network,
    station: usize,
    date: NaiveDate,
    edition: Edition,
) -> (Cells, BadCells) {
    let prev = station_day(net, station, date.pred_opt().expect("a date after year 1"));
    let today: StationDay = station_day(net, station, date);
    // 48 hours: yesterday's file hours, then today's.
    let series = |k: usize| -> [f64; 48] {
        std::array::from_fn(|i| {
            if i < 24 {
                prev.values[k][i]
            } else {
                today.values[k][i - 24]
            }
        })
    };
    let s: [[f64; 48]; 6] = std::array::from_fn(series);
    let mut cells = [[f64::NAN; 24]; 15];
    let o3_8h: [f64; 48] = std::array::from_fn(|i| {
        if i >= 7 {
            mean_of(&s[O3][i - 7..=i], 6)
        } else {
            f64::NAN
        }
    });
    // The hour indexes the 48-hour series, the 8-h means and the fifteen rows alike.
    #[allow(clippy::needless_range_loop)]
    for h in 0..24 {
        let i = h + 24;
        let day24 = |k: usize| publish(k, mean_of(&s[k][i - 23..=i], 20));
        cells[1][h] = s[PM25][i];
        cells[2][h] = day24(PM25);
        cells[3][h] = s[PM10][i];
        cells[4][h] = day24(PM10);
        cells[5][h] = s[SO2][i];
        cells[6][h] = day24(SO2);
        cells[7][h] = s[NO2][i];
        cells[8][h] = day24(NO2);
        cells[9][h] = s[O3][i];
        cells[10][h] = max_of(&s[O3][i - 23..=i], 20);
        cells[11][h] = publish(O3, o3_8h[i]);
        // The natural day of stamp i starts at the stamp after the last hour 0.
        let day_start = if h == 0 { 1 } else { 25 };
        cells[12][h] = publish(O3, max_of(&o3_8h[day_start..=i], 1));
        cells[13][h] = s[CO][i];
        cells[14][h] = day24(CO);
    }
    for row in cells.iter_mut() {
        for v in row.iter_mut() {
            if !v.is_finite() {
                *v = f64::NAN;
            }
        }
    }
    let mut aqi = [NA; 24];
    realtime_aqi(
        edition,
        Columns {
            so2: &today.values[SO2],
            no2: &today.values[NO2],
            co: &today.values[CO],
            o3: &today.values[O3],
            pm10: &today.values[PM10],
            pm25: &today.values[PM25],
        },
        &mut aqi,
    );
    for h in 0..24 {
        cells[0][h] = if aqi[h] == NA {
            f64::NAN
        } else {
            f64::from(aqi[h])
        };
    }
    // Bad values take their 1-h cells in the file (empty in `today.values`).
    let row_of = |k: usize| match k {
        PM25 => 1,
        PM10 => 3,
        SO2 => 5,
        NO2 => 7,
        O3 => 9,
        _ => 13,
    };
    let bad = today
        .bad
        .iter()
        .map(|&(k, h, text)| (row_of(k), h, text))
        .collect();
    (cells, bad)
}

fn push_value(out: &mut Vec<u8>, row: usize, v: f64) {
    let mut b = itoa::Buffer::new();
    if row == 13 || row == 14 {
        // CO: one decimal, written without a trailing ".0" as the real files do.
        let tenths = (v * 10.0).round() as i64;
        out.extend_from_slice(b.format(tenths / 10).as_bytes());
        if tenths % 10 != 0 {
            out.push(b'.');
            out.push(b'0' + (tenths % 10) as u8);
        }
    } else {
        out.extend_from_slice(b.format(v.round() as i64).as_bytes());
    }
}

/// The bytes of `china_sites_YYYYMMDD.csv` for `date`, and what it holds.
pub fn day_file(net: &Network, date: NaiveDate) -> (Vec<u8>, GenerateSummary) {
    let edition = match Standard::china_for_date(date) {
        Standard::Hj633_2026 => Edition::E2026,
        _ => Edition::E2012,
    };
    let n = net.stations.len();
    let per_station: Vec<_> = (0..n)
        .map(|s| station_cells(net, s, date, edition))
        .collect();
    let mut out = Vec::with_capacity(360 * n * 4);
    out.extend_from_slice(b"date,hour,type");
    for st in &net.stations {
        out.push(b',');
        out.extend_from_slice(st.code.as_bytes());
    }
    out.push(b'\n');
    let ymd = date.format("%Y%m%d").to_string();
    let mut summary = GenerateSummary {
        files: 1,
        ..Default::default()
    };
    // Bad cells by (station, row, hour), few.
    let bad: std::collections::HashMap<(usize, usize, usize), &str> = per_station
        .iter()
        .enumerate()
        .flat_map(|(s, (_, b))| b.iter().map(move |&(r, h, t)| ((s, r, h), t)))
        .collect();
    let is_1h = |row: usize| matches!(row, 1 | 3 | 5 | 7 | 9 | 13);
    for h in 0..24 {
        for (row, ty) in TYPES.iter().enumerate() {
            out.extend_from_slice(ymd.as_bytes());
            out.push(b',');
            out.extend_from_slice(itoa::Buffer::new().format(h).as_bytes());
            out.push(b',');
            out.extend_from_slice(ty.as_bytes());
            for (s, (cells, _)) in per_station.iter().enumerate() {
                out.push(b',');
                if let Some(t) = bad.get(&(s, row, h)) {
                    out.extend_from_slice(t.as_bytes());
                    summary.bad += 1;
                    summary.values += 1;
                    summary.values_1h += 1;
                    continue;
                }
                let v = cells[row][h];
                if v.is_finite() {
                    push_value(&mut out, row, v);
                    summary.values += 1;
                    if is_1h(row) {
                        summary.values_1h += 1;
                    }
                }
            }
            out.push(b'\n');
        }
    }
    summary.bytes = out.len() as u64;
    (out, summary)
}

/// The path of `date`'s file in `dir`.
pub fn file_path(dir: &Path, date: NaiveDate) -> PathBuf {
    dir.join(format!("china_sites_{}.csv", date.format("%Y%m%d")))
}

/// Write `days` files from `start` into `dir` (created), in parallel; `progress` is called
/// once per file written.
pub fn generate(
    net: &Network,
    start: NaiveDate,
    days: u32,
    dir: &Path,
    progress: &(dyn Fn() + Sync),
) -> Result<GenerateSummary, SynthError> {
    std::fs::create_dir_all(dir).map_err(|e| SynthError::Io {
        path: dir.display().to_string(),
        source: e,
    })?;
    let dates: Vec<NaiveDate> = start.iter_days().take(days as usize).collect();
    dates
        .par_iter()
        .map(|&d| {
            let (bytes, summary) = day_file(net, d);
            let path = file_path(dir, d);
            std::fs::write(&path, &bytes).map_err(|e| SynthError::Io {
                path: path.display().to_string(),
                source: e,
            })?;
            progress();
            Ok(summary)
        })
        .try_reduce(GenerateSummary::default, |mut a, b| {
            a += b;
            Ok(a)
        })
}
