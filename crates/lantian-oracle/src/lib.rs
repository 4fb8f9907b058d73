//! # lantian-oracle: check an engine against the numbers a monitoring centre published
//!
//! The BJMEMC and CNEMC hourly files (as archived by quotsoft.net) carry, beside the
//! concentrations, the real-time AQI the centre published for every station-hour. This crate
//! recomputes that AQI from the concentrations *in the same files* with [`lantian_aqi`] and
//! sorts every station-hour into one of four outcomes:
//!
//! - [`Outcome::Exact`]: the recomputed AQI equals the published one;
//! - [`Outcome::WithinPrecision`]: it differs, but the file gives an input rounded to an
//!   integer where the centre used the unrounded value, and some value inside that rounding
//!   interval (±0.5) gives the published AQI (2015-07 to 2016-12 only, see [`Practice`]);
//! - [`Outcome::Incomplete`]: an input the AQI needs is absent from the archive (a missing
//!   `beijing_extra` file, a station without a value that hour), so the AQI cannot be recomputed;
//!   whether the partial recomputation happens to match is counted apart;
//! - [`Outcome::Mismatch`]: none of the above; examples are kept for the report.
//!
//! How the centre applied HJ 633—2012 changed twice; the practice in force is chosen by the
//! date of the data ([`Practice::for_hour`]) and every choice is backed by the match rates in
//! `docs/aqi-oracle.md`.

use chrono::{Datelike, NaiveDate};
use lantian_aqi::hj633::{IndexRounding, Practice as Hj633Practice};
use lantian_aqi::{Indicator, Report, Standard};
use lantian_model::{Averaging, Pollutant, Source, Variable};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// How a publisher applied HJ 633—2012 to its real-time AQI, found from its own numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Practice {
    /// BJMEMC until 2016-12-31: PM rated on the published 24-h moving means **unrounded**,
    /// gases on 1-h values, IAQI rounded up, no O3 8-h. (The §5.1 real-time report.)
    BjmemcPm24hMoving,
    /// BJMEMC 2017-01-01 to 2021-01-17: PM **1-h** values on the 24-h table, IAQI rounded
    /// **half up** instead of up.
    BjmemcPm1hHalfUp,
    /// BJMEMC from 2021-01-18 (the new network) and CNEMC: PM 1-h values on the 24-h table,
    /// IAQI rounded up (the practice HJ 633—2026 later wrote down).
    Pm1hCeiling,
}

/// BJMEMC's first change of practice (the first hour-ending stamp of 2017).
pub const BJMEMC_1H_FROM: NaiveDate = ymd(2017, 1, 1);
/// BJMEMC's second change: the archive has no files for 2021-01-18..22; the last old-network
/// day (2021-01-17) follows the half-up practice and the first new-network day (2021-01-23) the
/// ceiling, so the change is dated to the first day without files.
pub const BJMEMC_CEILING_FROM: NaiveDate = ymd(2021, 1, 18);

const fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(d) => d,
        None => panic!("bad date"),
    }
}

impl Practice {
    /// The practice for a station-hour, by source and the date of its hour-ending stamp.
    pub fn for_hour(source: &Source, stamp_date: NaiveDate) -> Practice {
        match source {
            Source::Bjmemc if stamp_date < BJMEMC_1H_FROM => Practice::BjmemcPm24hMoving,
            Source::Bjmemc if stamp_date < BJMEMC_CEILING_FROM => Practice::BjmemcPm1hHalfUp,
            _ => Practice::Pm1hCeiling,
        }
    }

    fn hj633(self) -> Hj633Practice {
        match self {
            Practice::BjmemcPm24hMoving => Hj633Practice {
                index_rounding: IndexRounding::Ceiling,
                input_rounding: false,
            },
            Practice::BjmemcPm1hHalfUp => Hj633Practice {
                index_rounding: IndexRounding::HalfUp,
                input_rounding: true,
            },
            Practice::Pm1hCeiling => Hj633Practice::default(),
        }
    }

    fn uses_pm_24h(self) -> bool {
        self == Practice::BjmemcPm24hMoving
    }
}

/// Slots of one station-hour.
const AQI: usize = 0;
const PM25: usize = 1;
const PM25_24H: usize = 2;
const PM10: usize = 3;
const PM10_24H: usize = 4;
const SO2: usize = 5;
const NO2: usize = 6;
const CO: usize = 7;
const O3: usize = 8;
const SO2_24H: usize = 9;
const SLOTS: usize = 10;
const SLOT_NAMES: [&str; SLOTS] = [
    "AQI",
    "PM2.5",
    "PM2.5_24h",
    "PM10",
    "PM10_24h",
    "SO2",
    "NO2",
    "CO",
    "O3",
    "SO2_24h",
];

fn slot(variable: Variable, averaging: Averaging) -> Option<usize> {
    use Averaging::*;
    Some(match (variable, averaging) {
        (Variable::Aqi, Hour1) => AQI,
        (Variable::Pollutant(Pollutant::Pm2_5), Hour1) => PM25,
        (Variable::Pollutant(Pollutant::Pm2_5), Moving24h) => PM25_24H,
        (Variable::Pollutant(Pollutant::Pm10), Hour1) => PM10,
        (Variable::Pollutant(Pollutant::Pm10), Moving24h) => PM10_24H,
        (Variable::Pollutant(Pollutant::So2), Hour1) => SO2,
        (Variable::Pollutant(Pollutant::So2), Moving24h) => SO2_24H,
        (Variable::Pollutant(Pollutant::No2), Hour1) => NO2,
        (Variable::Pollutant(Pollutant::Co), Hour1) => CO,
        (Variable::Pollutant(Pollutant::O3), Hour1) => O3,
        _ => return None,
    })
}

/// One station-hour as the files give it.
#[derive(Clone, Debug, Default)]
pub struct StationHour {
    pub values: [Option<f64>; SLOTS],
}

/// The outcome for one station-hour with a published AQI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Outcome {
    Exact,
    WithinPrecision,
    /// SO2 1-h above 800 µg/m³ rated 200, the rule HJ 633—2026 Table 3 note b later wrote down,
    /// where HJ 633—2012 rates SO2 on its 24-h mean (seen once, CNEMC 2647A, 2023-01-22 12h).
    So2Above800Set200,
    /// The centre's ceiling saw floating-point noise: an IAQI that is an exact integer
    /// (CO 1.1 mg/m³ → 11) computed as 11.000000000000002 and published as 12. Recomputing with
    /// a bare `ceil()` reproduces the published value; the engine keeps the standard's 11.
    PublisherFloatArtefact,
    Incomplete,
    Mismatch,
}

/// Counts for one source, year and practice.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Tally {
    /// Station-hours with a published AQI.
    pub published: u64,
    pub exact: u64,
    pub within_precision: u64,
    pub float_artefact: u64,
    pub so2_set_200: u64,
    /// Inputs absent: not recomputable.
    pub incomplete: u64,
    /// …of which the AQI from the inputs present still equals the published one.
    pub incomplete_but_equal: u64,
    pub mismatch: u64,
}

impl Tally {
    /// Station-hours whose inputs are all in the archive.
    pub fn recomputable(&self) -> u64 {
        self.published - self.incomplete
    }

    /// Exact matches among the recomputable station-hours.
    pub fn exact_rate(&self) -> f64 {
        ratio(self.exact, self.recomputable())
    }

    /// Exact matches among all station-hours with a published AQI.
    pub fn exact_rate_all(&self) -> f64 {
        ratio(self.exact + self.incomplete_but_equal, self.published)
    }

    /// Exact or within the files' precision, among the recomputable station-hours.
    pub fn explained_rate(&self) -> f64 {
        ratio(
            self.exact + self.within_precision + self.float_artefact + self.so2_set_200,
            self.recomputable(),
        )
    }

    fn add(&mut self, other: &Tally) {
        self.published += other.published;
        self.exact += other.exact;
        self.within_precision += other.within_precision;
        self.float_artefact += other.float_artefact;
        self.so2_set_200 += other.so2_set_200;
        self.incomplete += other.incomplete;
        self.incomplete_but_equal += other.incomplete_but_equal;
        self.mismatch += other.mismatch;
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        f64::NAN
    } else {
        a as f64 / b as f64
    }
}

/// A station-hour that did not match, for the report.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Example {
    pub source: String,
    pub station: String,
    /// Hour-ending stamp, Beijing time, as the file writes it ("2015-03-01 14").
    pub stamp: String,
    pub practice: Practice,
    pub outcome: Outcome,
    pub published: f64,
    pub recomputed: Option<i32>,
    pub primary: String,
    /// The values of the station-hour in the files.
    pub inputs: String,
    pub file: String,
}

/// The whole comparison.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct OracleReport {
    pub files_read: usize,
    pub files_rejected: usize,
    /// (source, year, practice) → counts.
    pub tallies: BTreeMap<(String, i32, Practice), Tally>,
    /// Up to `examples_per_class` mismatches and within-precision cases per (source, year).
    pub examples: Vec<Example>,
}

impl OracleReport {
    /// Sum of the tallies that satisfy `keep`.
    pub fn total(&self, keep: impl Fn(&str, i32, Practice) -> bool) -> Tally {
        let mut t = Tally::default();
        for ((s, y, p), v) in &self.tallies {
            if keep(s, *y, *p) {
                t.add(v);
            }
        }
        t
    }

    /// Per source and year (practices summed).
    pub fn by_year(&self) -> BTreeMap<(String, i32), Tally> {
        let mut out: BTreeMap<(String, i32), Tally> = BTreeMap::new();
        for ((s, y, _), v) in &self.tallies {
            out.entry((s.clone(), *y)).or_default().add(v);
        }
        out
    }
}

/// Compare the published AQI with the recomputed one for every station-hour of the BJMEMC and
/// CNEMC files under `paths` (other files are skipped).
pub fn run(paths: &[PathBuf], examples_per_class: usize) -> std::io::Result<OracleReport> {
    let files = lantian_ingest::discover(paths)?;
    let mut report = OracleReport::default();
    // (source, station) → index; (index, stamp) → values; the file each stamp came from.
    let mut stations: HashMap<(Source, String), u32> = HashMap::new();
    let mut names: Vec<(Source, String)> = Vec::new();
    let mut hours: HashMap<(u32, i64), (StationHour, u32)> = HashMap::new();
    let mut file_names: Vec<String> = Vec::new();
    for path in &files {
        if !is_quotsoft(path) {
            continue;
        }
        let out = lantian_ingest::read_file(path);
        if out.observations.is_empty() {
            report.files_rejected += 1;
            continue;
        }
        report.files_read += 1;
        let file_id = file_names.len() as u32;
        file_names.push(path.display().to_string());
        for o in out.observations {
            let Some(k) = slot(o.variable, o.averaging) else {
                continue;
            };
            let Some(v) = o.value else { continue };
            let key = (o.source, o.station.to_string());
            let id = match stations.get(&key) {
                Some(id) => *id,
                None => {
                    let id = names.len() as u32;
                    names.push(key.clone());
                    stations.insert(key, id);
                    id
                }
            };
            let entry = hours
                .entry((id, o.time_end.timestamp()))
                .or_insert_with(|| (StationHour::default(), file_id));
            entry.0.values[k] = Some(v);
            if k == AQI {
                entry.1 = file_id;
            }
        }
    }
    // Which inputs the archive has at all for each (source, stamp): a missing file leaves a
    // whole network without gases (or PM) that hour, which is an archive gap, not a station's.
    let mut network: HashMap<(bool, i64), [bool; SLOTS]> = HashMap::new();
    for ((id, t), (h, _)) in &hours {
        let cnemc = names[*id as usize].0 == Source::Cnemc;
        let seen = network.entry((cnemc, *t)).or_default();
        for (k, v) in h.values.iter().enumerate() {
            seen[k] |= v.is_some();
        }
    }
    let mut keys: Vec<(u32, i64)> = hours.keys().copied().collect();
    keys.sort_unstable();
    let mut shown: HashMap<(String, i32, Outcome), usize> = HashMap::new();
    for key in keys {
        let (hour, file_id) = &hours[&key];
        let Some(published) = hour.values[AQI] else {
            continue;
        };
        let (source, station) = &names[key.0 as usize];
        let stamp = stamp_of(key.1);
        let practice = Practice::for_hour(source, stamp.date());
        let present = network[&(*source == Source::Cnemc, key.1)];
        let (outcome, recomputed, primary) = judge(hour, practice, published, &present);
        let year = stamp.year();
        let t = report
            .tallies
            .entry((source.code().to_string(), year, practice))
            .or_default();
        t.published += 1;
        match outcome {
            Outcome::Exact => t.exact += 1,
            Outcome::WithinPrecision => t.within_precision += 1,
            Outcome::PublisherFloatArtefact => t.float_artefact += 1,
            Outcome::So2Above800Set200 => t.so2_set_200 += 1,
            Outcome::Incomplete => {
                t.incomplete += 1;
                if recomputed == Some(published as i32) {
                    t.incomplete_but_equal += 1;
                }
            }
            Outcome::Mismatch => t.mismatch += 1,
        }
        if outcome != Outcome::Exact && outcome != Outcome::Incomplete {
            let inputs = hour
                .values
                .iter()
                .zip(SLOT_NAMES)
                .filter_map(|(v, n)| v.map(|v| format!("{n}={v}")))
                .collect::<Vec<_>>()
                .join(" ");
            let n = shown
                .entry((source.code().to_string(), year, outcome))
                .or_default();
            if *n < examples_per_class {
                *n += 1;
                report.examples.push(Example {
                    source: source.code().to_string(),
                    station: station.clone(),
                    stamp: stamp.format("%Y-%m-%d %H").to_string(),
                    practice,
                    outcome,
                    published,
                    recomputed,
                    primary,
                    inputs,
                    file: file_names[*file_id as usize].clone(),
                });
            }
        }
    }
    Ok(report)
}

fn is_quotsoft(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    (name.starts_with("beijing_all_")
        || name.starts_with("beijing_extra_")
        || name.starts_with("china_sites_"))
        && name.ends_with(".csv")
}

/// The Beijing-local hour-ending stamp of a UTC `time_end` (as the file wrote it).
fn stamp_of(time_end_utc: i64) -> chrono::NaiveDateTime {
    chrono::DateTime::from_timestamp(time_end_utc + 8 * 3600, 0)
        .map(|d| d.naive_utc())
        .unwrap_or_default()
}

/// Recompute one station-hour under `practice`.
///
/// `present[k]` says whether any station of the network has a value in slot `k` at this hour:
/// an input absent network-wide is an archive gap (→ [`Outcome::Incomplete`]); an input absent
/// at this station only is the station's own gap or a pollutant it does not monitor, and the
/// AQI is computed from the others, as HJ 633—2012 does.
pub fn judge(
    hour: &StationHour,
    practice: Practice,
    published: f64,
    present: &[bool; SLOTS],
) -> (Outcome, Option<i32>, String) {
    let v = &hour.values;
    let (pm25, pm10) = if practice.uses_pm_24h() {
        (PM25_24H, PM10_24H)
    } else {
        (PM25, PM10)
    };
    let (i25, i10) = if practice.uses_pm_24h() {
        (Indicator::Pm25_24h, Indicator::Pm10_24h)
    } else {
        (Indicator::Pm25_1h, Indicator::Pm10_1h)
    };
    let wanted = [
        (SO2, Indicator::So2_1h),
        (NO2, Indicator::No2_1h),
        (CO, Indicator::Co_1h),
        (O3, Indicator::O3_1h),
        (pm25, i25),
        (pm10, i10),
    ];
    let mut inputs: Vec<(Indicator, f64)> = wanted
        .iter()
        .filter_map(|&(k, i)| v[k].map(|c| (i, c)))
        .collect();
    let complete = wanted.iter().all(|&(k, _)| present[k]);
    // HJ 633—2012 Table 1 note 2: the 24-h SO2 is the fallback for 1-h SO2 above 800.
    if let Some(c) = v[SO2_24H] {
        inputs.push((Indicator::So2_24h, c));
    }
    let hj = practice.hj633();
    let result = Standard::Hj633_2012
        .compute_with(Report::RealTime, &inputs, hj)
        .ok();
    let recomputed = result.as_ref().and_then(|r| r.aqi);
    let primary = result
        .as_ref()
        .map(|r| r.primary_names())
        .unwrap_or_default();
    let equal = recomputed == Some(published as i32) && published.fract() == 0.0;
    if !complete {
        return (Outcome::Incomplete, recomputed, primary);
    }
    if equal {
        return (Outcome::Exact, recomputed, primary);
    }
    // The file gives the 24-h means rounded (to 0.1 until mid-2015, to integers after); the
    // centre rated the unrounded means. Try the ends of each rounding interval.
    if practice.uses_pm_24h() {
        let half_width = |c: f64| if c.fract() == 0.0 { 0.5 } else { 0.05 };
        let (mut lo, mut hi) = (i32::MAX, i32::MIN);
        for s25 in [-1.0, 0.0, 0.9999] {
            for s10 in [-1.0, 0.0, 0.9999] {
                let shifted: Vec<(Indicator, f64)> = inputs
                    .iter()
                    .map(|&(i, c)| match i {
                        Indicator::Pm25_24h => (i, (c + s25 * half_width(c)).max(0.0)),
                        Indicator::Pm10_24h => (i, (c + s10 * half_width(c)).max(0.0)),
                        _ => (i, c),
                    })
                    .collect();
                if let Some(a) = Standard::Hj633_2012
                    .compute_with(Report::RealTime, &shifted, hj)
                    .ok()
                    .and_then(|r| r.aqi)
                {
                    lo = lo.min(a);
                    hi = hi.max(a);
                }
            }
        }
        // The AQI is monotone and continuous in each input, so every integer between lo and hi
        // is reachable.
        if (lo..=hi).contains(&(published as i32)) {
            return (Outcome::WithinPrecision, recomputed, primary);
        }
    }
    if v[SO2].is_some_and(|c| c > 800.0) {
        let others = inputs
            .iter()
            .filter(|(i, _)| !matches!(i, Indicator::So2_1h | Indicator::So2_24h))
            .copied()
            .collect::<Vec<_>>();
        let rest = Standard::Hj633_2012
            .compute_with(Report::RealTime, &others, hj)
            .ok()
            .and_then(|r| r.aqi);
        if rest.unwrap_or(0).max(200) == published as i32 {
            return (Outcome::So2Above800Set200, recomputed, primary);
        }
    }
    if naive_float_aqi(&inputs, practice) == Some(published as i32) {
        return (Outcome::PublisherFloatArtefact, recomputed, primary);
    }
    (Outcome::Mismatch, recomputed, primary)
}

/// The AQI as a naive implementation computes it: eq. (1) in plain `f64`, proportion first,
/// `(C − BP_lo) / (BP_hi − BP_lo) × (I_hi − I_lo) + I_lo`, and a bare `ceil()` (or `round()`),
/// with no allowance for the binary representation of decimal inputs. In that order
/// 1.1 / 5 × 50 is 11.000000000000002, which a bare ceiling publishes as 12.
fn naive_float_aqi(inputs: &[(Indicator, f64)], practice: Practice) -> Option<i32> {
    use lantian_aqi::hj633::{Edition, input_decimals, table};
    use lantian_aqi::rounding::round_half_even;
    use lantian_aqi::table::Lookup;
    let hj = practice.hj633();
    inputs
        .iter()
        .filter(|(i, _)| *i != Indicator::So2_24h)
        .filter_map(|&(i, c)| {
            let c = if hj.input_rounding {
                round_half_even(c, input_decimals(i))
            } else {
                c
            };
            let t = table(Edition::E2012, i)?;
            match t.lookup(c) {
                Lookup::Index { segment, .. } => Some({
                    let g = t.get(segment);
                    let index = (c - g.bp_lo) / (g.bp_hi - g.bp_lo) * (g.index_hi - g.index_lo)
                        + g.index_lo;
                    match hj.index_rounding {
                        IndexRounding::Ceiling => index.ceil() as i32,
                        IndexRounding::HalfUp => index.round() as i32,
                    }
                }),
                _ => None,
            }
        })
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hour(pairs: &[(usize, f64)]) -> StationHour {
        let mut h = StationHour::default();
        for &(k, v) in pairs {
            h.values[k] = Some(v);
        }
        h
    }

    #[test]
    fn float_artefact_is_recognised() {
        // 2021-03-03 12h 东城东四: AQI 12 published for PM10 7 and CO 1.1 (IAQI exactly 11).
        let h = hour(&[(AQI, 12.0), (PM10, 7.0), (CO, 1.1)]);
        let all = [true; SLOTS];
        let (o, r, _) = judge(&h, Practice::Pm1hCeiling, 12.0, &all);
        assert_eq!((o, r), (Outcome::PublisherFloatArtefact, Some(11)));
    }
}
