//! Air quality indices over the store: hourly (real-time) or daily AQI of stations or an area,
//! the real-time AQI of every station-hour of a network, and the one-off calculator.

use crate::error::{AppError, Result};
use crate::options::StandardChoice;
use crate::select::{area_series, beijing_micros, pollutants_1h, read_hourly, region_stations};
use chrono::{NaiveDate, NaiveDateTime};
use lantian_aqi::series::{self, HourlySeries, Options};
use lantian_aqi::{AqiResult, Report, Standard};
use lantian_model::Registry;
use lantian_store::matrix::MatrixReader;
use std::collections::BTreeSet;
use std::path::Path;

/// Whose index: stations one by one, or an area's mean.
#[derive(Debug, Clone, PartialEq)]
pub enum AqiSubject {
    /// Station codes as stored (e.g. 东四, 1003A): one series each.
    Stations(Vec<String>),
    /// `beijing` (北京) or a district (海淀, Haidian): the mean of its registry stations' hourly
    /// values (HJ 663 city value).
    Region(String),
}

/// An index request over the store.
#[derive(Debug, Clone, PartialEq)]
pub struct AqiRequest {
    pub subject: AqiSubject,
    /// First and last Beijing day (inclusive).
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Daily index instead of hourly.
    pub daily: bool,
    pub standard: StandardChoice,
    /// HJ 633—2012 real-time: rate PM 1-h values (CNEMC's and BJMEMC's practice since 2017)
    /// instead of the 24-h moving means of §5.1.
    pub pm_1h: bool,
    /// Use values flagged doubtful too; bad and withdrawn values never are.
    pub include_doubtful: bool,
}

/// One rated hour or day of a station or area.
#[derive(Debug, Clone)]
pub struct AqiRow {
    /// The station code or the region as asked.
    pub name: String,
    /// The hour-ending stamp (Beijing time), or the day at 00:00 for a daily index.
    pub stamp: NaiveDateTime,
    pub result: AqiResult,
    /// Stations averaged.
    pub stations: usize,
}

fn check_days(from: NaiveDate, to: NaiveDate) -> Result<()> {
    if from > to {
        return Err(AppError::bad("from", from, format!("is after to {to}")));
    }
    Ok(())
}

/// The hourly or daily AQI of `req` from an open snapshot.
pub fn aqi(reader: &MatrixReader, reg: &Registry, req: &AqiRequest) -> Result<Vec<AqiRow>> {
    let options = Options {
        standard: req.standard.0,
        pm_1h_realtime: req.pm_1h,
    };
    let (names, groups): (Vec<String>, Vec<Vec<String>>) = match &req.subject {
        AqiSubject::Region(r) => {
            let st = region_stations(reg, r);
            if st.is_empty() {
                return Err(AppError::UnknownRegion {
                    region: r.clone(),
                    stations: None,
                });
            }
            (vec![r.clone()], vec![st])
        }
        AqiSubject::Stations(s) => (s.clone(), s.iter().map(|s| vec![s.clone()]).collect()),
    };
    let (from, to) = (req.from, req.to);
    check_days(from, to)?;
    // Hour-ending stamps: the day before's last 23 hours feed the moving means of the first hours.
    let start = (from - chrono::Duration::days(1))
        .and_hms_opt(1, 0, 0)
        .expect("valid time");
    let end = (to + chrono::Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .expect("valid time");
    let len = (end - start).num_hours() as usize + 1;
    let all_codes: BTreeSet<&String> = groups.iter().flatten().collect();
    let codes: Vec<String> = all_codes.into_iter().cloned().collect();
    let values = read_hourly(reader, &codes, start, end, len, req.include_doubtful)?;
    let mut rows = Vec::new();
    for (name, codes) in names.iter().zip(&groups) {
        let n_stations = codes.iter().filter(|c| values.contains_key(*c)).count();
        let Some(s) = area_series(&values, codes, start) else {
            return Err(AppError::NoData {
                subject: name.clone(),
                span: format!("{from}..{to}"),
            });
        };
        if req.daily {
            for (date, _, r) in series::daily(&s, options)? {
                if date >= from && date <= to {
                    rows.push(AqiRow {
                        name: name.clone(),
                        stamp: date.and_hms_opt(0, 0, 0).expect("midnight"),
                        result: r,
                        stations: n_stations,
                    });
                }
            }
        } else {
            for (stamp, r) in series::realtime(&s, options)? {
                let day = (stamp - chrono::Duration::hours(1)).date();
                if day >= from && day <= to {
                    rows.push(AqiRow {
                        name: name.clone(),
                        stamp,
                        result: r,
                        stations: n_stations,
                    });
                }
            }
        }
    }
    Ok(rows)
}

/// The real-time AQI of every station-hour of the natural days `from..=to`.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkAqiRequest {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub standard: StandardChoice,
    /// CNEMC's published real-time practice (docs/aqi-oracle.md): the six 1-h values, PM rated
    /// on the 24-h table, no O3 8-h mean; HJ 633—2026's real-time report is the same rule.
    pub cnemc: bool,
    pub pm_1h: bool,
    pub include_doubtful: bool,
}

/// What [`network_aqi`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkAqiWritten {
    /// Station-hours with an AQI.
    pub rated: u64,
    pub stations: usize,
    pub hours: usize,
}

/// Stations per matrix read of the network AQI (about 110 MB of hourly values for a year).
const STATIONS_PER_READ: usize = 256;

/// The real-time AQI of every station-hour in the store, written as Parquet (`station,
/// time_end, aqi`, one row per station-hour with an AQI).
///
/// With `cnemc` (or under HJ 633—2026) the whole matrix goes through
/// `lantian_aqi::batch::realtime_aqi` on all cores: the same `hj633::iaqi` as every other path,
/// without a result object per hour. Otherwise each station's series goes through
/// `series::realtime`, the rule of a single station's index.
pub fn network_aqi(
    reader: &MatrixReader,
    req: &NetworkAqiRequest,
    out: &Path,
) -> Result<NetworkAqiWritten> {
    let (from, to) = (req.from, req.to);
    check_days(from, to)?;
    let standard = req.standard.0;
    let codes = reader.stations()?;
    if codes.is_empty() {
        return Err(AppError::NoData {
            subject: "the store (ingest first)".into(),
            span: format!("{from}..{to}"),
        });
    }
    // Hour-ending stamps of the natural days: from 01:00 of `from` to 24:00 of `to`; the general
    // rule's moving means also need the day before.
    let first = from.and_hms_opt(1, 0, 0).expect("valid time");
    let start = if req.cnemc {
        first
    } else {
        first - chrono::Duration::days(1)
    };
    let end = (to + chrono::Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .expect("valid time");
    let len = (end - start).num_hours() as usize + 1;
    let skip = (first - start).num_hours() as usize;
    let hours = len - skip;
    let mut aqi: Vec<i16> = vec![lantian_aqi::batch::NA; codes.len() * hours];
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut runs: Vec<(usize, usize, lantian_aqi::hj633::Edition)> = Vec::new();
    if req.cnemc {
        // The edition in force on each hour's date (the stamp's, as series::realtime), in runs
        // of hours under one edition (one run unless the range spans 2026-03-01).
        for i in 0..hours {
            let stamp = first + chrono::Duration::hours(i as i64);
            let e = match standard.unwrap_or_else(|| Standard::china_for_date(stamp.date())) {
                Standard::Hj633_2012 => lantian_aqi::hj633::Edition::E2012,
                Standard::Hj633_2026 => lantian_aqi::hj633::Edition::E2026,
                s => {
                    return Err(AppError::bad(
                        "standard",
                        s,
                        "CNEMC's practice is one of HJ 633 (hj633-2012 or hj633-2026)",
                    ));
                }
            };
            match runs.last_mut() {
                Some(r) if r.2 == e => r.1 = i + 1,
                _ => runs.push((i, i + 1, e)),
            }
        }
    }
    let options = Options {
        standard,
        pm_1h_realtime: req.pm_1h,
    };
    // A few hundred stations at a time (codes are sorted, and the store's files by station, so
    // each read decodes only those stations' row groups): memory holds one part's hourly
    // values and the whole AQI grid (2 bytes per station-hour), whatever the network's size.
    for (part_no, part) in codes.chunks(STATIONS_PER_READ).enumerate() {
        let m = reader.read(&pollutants_1h(
            part.to_vec(),
            req.include_doubtful,
            beijing_micros(start),
            len,
        ))?;
        let base = part_no * STATIONS_PER_READ * hours;
        let mut rows: Vec<(usize, &mut [i16])> = aqi[base..base + part.len() * hours]
            .chunks_mut(hours)
            .enumerate()
            .collect();
        let per_thread = part.len().div_ceil(threads);
        if req.cnemc {
            std::thread::scope(|sc| {
                for chunk in rows.chunks_mut(per_thread) {
                    let (m, runs) = (&m, &runs);
                    sc.spawn(move || {
                        for (s, row) in chunk.iter_mut() {
                            let col = |p: usize| &m.series(*s, p)[skip..];
                            for &(lo, hi, e) in runs {
                                lantian_aqi::batch::realtime_aqi(
                                    e,
                                    lantian_aqi::batch::Columns {
                                        so2: &col(0)[lo..hi],
                                        no2: &col(1)[lo..hi],
                                        co: &col(2)[lo..hi],
                                        o3: &col(3)[lo..hi],
                                        pm10: &col(4)[lo..hi],
                                        pm25: &col(5)[lo..hi],
                                    },
                                    &mut row[lo..hi],
                                );
                            }
                        }
                    });
                }
            });
        } else {
            std::thread::scope(|sc| -> Result<()> {
                let handles: Vec<_> = rows
                    .chunks_mut(per_thread)
                    .map(|chunk| {
                        let m = &m;
                        sc.spawn(move || -> Result<()> {
                            for (s, row) in chunk.iter_mut() {
                                let mut hs = HourlySeries::new(start, len);
                                for p in 0..6 {
                                    for (i, x) in m.series(*s, p).iter().enumerate() {
                                        hs.values[p][i] = (!x.is_nan()).then_some(*x);
                                    }
                                }
                                let results = series::realtime(&hs, options)?;
                                for (i, (_, r)) in results.into_iter().enumerate().skip(skip) {
                                    row[i - skip] =
                                        r.aqi.map_or(lantian_aqi::batch::NA, |v| v as i16);
                                }
                            }
                            Ok(())
                        })
                    })
                    .collect();
                for h in handles {
                    h.join().expect("AQI thread panicked")?;
                }
                Ok(())
            })?;
        }
    }
    let rated = lantian_store::export::write_hourly_aqi(
        out,
        &codes,
        beijing_micros(first),
        hours,
        &aqi,
        lantian_aqi::batch::NA,
    )?;
    Ok(NetworkAqiWritten {
        rated: rated as u64,
        stations: codes.len(),
        hours,
    })
}

/// One index from concentrations (`pm25=80`, `o3_8h=170`; µg/m³, CO mg/m³).
#[derive(Debug, Clone, PartialEq)]
pub struct CalcRequest {
    /// `name=value` pairs: so2, no2, co, o3, pm10, pm25 (the report's default averaging) or with
    /// a suffix _1h, _8h, _24h, _15min.
    pub items: Vec<String>,
    pub standard: StandardChoice,
    /// The date of the data, for the edition in force.
    pub date: NaiveDate,
    pub report: Report,
}

/// The index of a [`CalcRequest`]: the scheme used, why, and the result.
pub struct Calculated {
    pub standard: Standard,
    /// `chosen` or `in force on DATE`.
    pub why: String,
    pub result: AqiResult,
}

/// Rate one set of concentrations.
pub fn calc(req: &CalcRequest) -> Result<Calculated> {
    if req.items.is_empty() {
        return Err(AppError::bad(
            "items",
            "",
            "give concentrations, e.g. `pm25=80 o3_8h=170`",
        ));
    }
    let (std, why) = match req.standard.0 {
        Some(s) => (s, "chosen with --standard".to_string()),
        None => (
            Standard::china_for_date(req.date),
            format!("in force on {}", req.date),
        ),
    };
    let mut inputs = Vec::new();
    for item in &req.items {
        let bad = |reason: String| AppError::bad("items", item, reason);
        let (name, value) = item
            .split_once('=')
            .ok_or_else(|| bad("expected name=value, e.g. pm25=80".into()))?;
        let indicator = std.default_indicator(name, req.report).ok_or_else(|| {
            bad(format!(
                "'{name}': not a pollutant of {std} (so2, no2, co, o3, pm10, pm25, with _1h/_8h/_24h)"
            ))
        })?;
        let value: f64 = value
            .trim()
            .parse()
            .map_err(|_| bad(format!("'{value}' is not a number")))?;
        inputs.push((indicator, value));
    }
    let result = std.compute(req.report, &inputs)?;
    Ok(Calculated {
        standard: std,
        why,
        result,
    })
}

/// How many rated hours or days of one station or area fall in each category: "excellent days"
/// of a bulletin are days with AQI ≤ 50.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CategoryCounts {
    pub name: String,
    /// The editions that rated them (one, unless the period spans 2026-03-01).
    pub standards: Vec<&'static str>,
    /// (level 1..=6, Chinese category name, count), levels with no count left out.
    pub by_level: Vec<(u8, &'static str, usize)>,
    /// Rows with an AQI.
    pub rated: usize,
    /// Rows without one (NA: a pollutant missing).
    pub not_rated: usize,
}

/// The category counts of `rows`, one entry per station or area, in name order.
pub fn category_counts(rows: &[AqiRow]) -> Vec<CategoryCounts> {
    use std::collections::BTreeMap;
    let mut out: BTreeMap<&str, CategoryCounts> = BTreeMap::new();
    for r in rows {
        let c = out
            .entry(r.name.as_str())
            .or_insert_with(|| CategoryCounts {
                name: r.name.clone(),
                standards: vec![],
                by_level: vec![],
                rated: 0,
                not_rated: 0,
            });
        let id = r.result.standard.id();
        if !c.standards.contains(&id) {
            c.standards.push(id);
            c.standards.sort_unstable();
        }
        match r.result.category {
            Some(cat) => {
                c.rated += 1;
                match c.by_level.iter_mut().find(|x| x.0 == cat.level) {
                    Some(x) => x.2 += 1,
                    None => {
                        c.by_level.push((cat.level, cat.name_zh, 1));
                        c.by_level.sort_unstable_by_key(|x| x.0);
                    }
                }
            }
            None => c.not_rated += 1,
        }
    }
    out.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use lantian_aqi::Indicator;

    fn row(name: &str, pm25: Option<f64>) -> AqiRow {
        let std = Standard::Hj633_2012;
        let inputs: Vec<(Indicator, f64)> = pm25
            .map(|v| vec![(std.default_indicator("pm25", Report::Daily).unwrap(), v)])
            .unwrap_or_default();
        AqiRow {
            name: name.into(),
            stamp: NaiveDate::from_ymd_opt(2023, 1, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap(),
            result: std.compute(Report::Daily, &inputs).unwrap(),
            stations: 1,
        }
    }

    #[test]
    fn counts_follow_the_categories_and_keep_the_unrated() {
        // PM2.5 24-h means: 35 → IAQI 50 (优, the breakpoint), 36 → 52 (良), 80 → 107 (轻度污染).
        let rows = [
            row("b", Some(35.0)),
            row("b", Some(36.0)),
            row("b", Some(80.0)),
            row("b", Some(20.0)),
            row("a", Some(10.0)),
        ];
        let c = category_counts(&rows);
        assert_eq!(c.len(), 2);
        assert_eq!((c[0].name.as_str(), c[0].rated), ("a", 1));
        assert_eq!(
            c[1].by_level,
            vec![(1, "优", 2), (2, "良", 1), (3, "轻度污染", 1)]
        );
        assert_eq!((c[1].rated, c[1].not_rated), (4, 0));
        assert_eq!(c[1].standards, vec!["hj633-2012"]);
    }
}
