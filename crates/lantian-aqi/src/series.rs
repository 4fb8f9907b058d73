//! Indices over time series: the hourly (real-time) and daily AQI of one station or area.
//!
//! Input is one [`HourlySeries`]: the six pollutants' hourly means on a contiguous grid of
//! hour-ending stamps (Beijing time for the Chinese schemes). Each scheme's report takes its own
//! averages of them, with their validity rules:
//!
//! | scheme | real-time inputs | daily inputs |
//! |---|---|---|
//! | HJ 633—2012 | 1-h SO2, NO2, CO, O3; O3 8-h moving (≥ 6 h); PM 24-h moving (≥ 20 h) — or PM 1-h with [`Options::pm_1h_realtime`] | 24-h means (≥ 20 h), O3 max 1-h, O3 MDA8 |
//! | HJ 633—2026 | six 1-h values (PM on the 24-h table) | 24-h means, O3 MDA8 |
//! | EPA | NowCast PM, O3 8-h and 1-h, CO 8-h, SO2 1-h, NO2 1-h | PM 24-h mean, O3 MDA8, CO max 8-h, SO2/NO2 max 1-h |
//! | EAQI | PM 24-h moving (≥ 18 h), NO2/O3/SO2 1-h | PM 24-h mean, gases max 1-h |
//! | DAQI | O3 8-h moving, NO2 1-h, PM 24-h moving (SO2 needs 15-min data: not rated) | O3 max 8-h, NO2 max 1-h, PM 24-h means |
//! | NAQI | PM/NO2/SO2 24-h moving (≥ 16 h), O3 and CO 8-h | 24-h means (≥ 16 h), O3/CO max 8-h |
//!
//! A natural day is the 24 hours whose hour-ending stamps run from 01:00 to 24:00 (GB 3095—2026
//! §3: "natural day"); its MDA8 is the largest 8-h mean of the windows ending 08:00…24:00
//! (the 17 windows inside the day, HJ 663—2013 — UNCONFIRMED), each needing 6 hours, and is
//! valid with 14 valid windows (UNCONFIRMED, HJ 663—2013 from memory; the assessment applies the
//! same rule, docs/assessment.md).

use crate::moving::{DAILY_MIN_HOURS, O3_8H_MIN_HOURS, moving_mean};
use crate::{AqiError, AqiResult, Indicator, Report, Standard};
use chrono::{Duration, NaiveDate, NaiveDateTime};

/// The six pollutants, in the order of [`HourlySeries::values`].
pub const POLLUTANTS: [&str; 6] = ["SO2", "NO2", "CO", "O3", "PM10", "PM2.5"];
const SO2: usize = 0;
const NO2: usize = 1;
const CO: usize = 2;
const O3: usize = 3;
const PM10: usize = 4;
const PM25: usize = 5;

/// Hourly means of one station or area on a contiguous hour-ending grid.
#[derive(Clone, Debug, PartialEq)]
pub struct HourlySeries {
    /// Hour-ending stamp (local time) of position 0.
    pub start: NaiveDateTime,
    /// `values[p][i]`: pollutant `p` (see [`POLLUTANTS`]) at `start + i` hours, µg/m³ (CO mg/m³).
    pub values: [Vec<Option<f64>>; 6],
}

impl HourlySeries {
    pub fn new(start: NaiveDateTime, len: usize) -> HourlySeries {
        HourlySeries {
            start,
            values: std::array::from_fn(|_| vec![None; len]),
        }
    }

    pub fn len(&self) -> usize {
        self.values[0].len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn stamp(&self, i: usize) -> NaiveDateTime {
        self.start + Duration::hours(i as i64)
    }

    /// Set a value by pollutant name ("PM2.5") and stamp; ignored outside the grid.
    pub fn set(&mut self, pollutant: &str, stamp: NaiveDateTime, value: Option<f64>) {
        let Some(p) = POLLUTANTS.iter().position(|x| *x == pollutant) else {
            return;
        };
        let i = (stamp - self.start).num_hours();
        if i >= 0 && (i as usize) < self.len() {
            self.values[p][i as usize] = value;
        }
    }
}

/// How to choose the scheme and the optional practices.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// A fixed scheme; `None` = the HJ 633 edition in force on each date.
    pub standard: Option<Standard>,
    /// Under HJ 633—2012, rate PM 1-h values on the 24-h table in the real-time report (the
    /// practice of CNEMC, and of BJMEMC since 2017) instead of the 24-h moving means of §5.1.
    pub pm_1h_realtime: bool,
}

impl Options {
    fn standard_on(&self, date: NaiveDate) -> Standard {
        self.standard
            .unwrap_or_else(|| Standard::china_for_date(date))
    }
}

/// The real-time index of every hour of `series`.
pub fn realtime(
    series: &HourlySeries,
    options: Options,
) -> Result<Vec<(NaiveDateTime, AqiResult)>, AqiError> {
    let v = &series.values;
    let o3_8h = moving_mean(&v[O3], 8, O3_8H_MIN_HOURS);
    let co_8h = moving_mean(&v[CO], 8, O3_8H_MIN_HOURS);
    let pm_24h = |p: usize, min: usize| moving_mean(&v[p], 24, min);
    let (pm10_24, pm25_24) = (pm_24h(PM10, DAILY_MIN_HOURS), pm_24h(PM25, DAILY_MIN_HOURS));
    let (pm10_18, pm25_18) = (pm_24h(PM10, 18), pm_24h(PM25, 18));
    let (so2_16, no2_16, pm10_16, pm25_16) = (
        pm_24h(SO2, 16),
        pm_24h(NO2, 16),
        pm_24h(PM10, 16),
        pm_24h(PM25, 16),
    );
    let nowcast = |p: usize, i: usize| {
        let hist: Vec<Option<f64>> = (0..12)
            .map(|k| if k <= i { v[p][i - k] } else { None })
            .collect();
        crate::epa::nowcast(&hist)
    };
    let mut out = Vec::with_capacity(series.len());
    for i in 0..series.len() {
        let stamp = series.stamp(i);
        let standard = options.standard_on(stamp.date());
        use Indicator::*;
        let candidates: Vec<(Indicator, Option<f64>)> = match standard {
            Standard::Hj633_2012 if options.pm_1h_realtime => vec![
                (So2_1h, v[SO2][i]),
                (No2_1h, v[NO2][i]),
                (Co_1h, v[CO][i]),
                (O3_1h, v[O3][i]),
                (O3_8h, o3_8h[i]),
                (Pm10_1h, v[PM10][i]),
                (Pm25_1h, v[PM25][i]),
            ],
            Standard::Hj633_2012 => vec![
                (So2_1h, v[SO2][i]),
                (No2_1h, v[NO2][i]),
                (Co_1h, v[CO][i]),
                (O3_1h, v[O3][i]),
                (O3_8h, o3_8h[i]),
                (Pm10_24h, pm10_24[i]),
                (Pm25_24h, pm25_24[i]),
            ],
            Standard::Hj633_2026 => vec![
                (So2_1h, v[SO2][i]),
                (No2_1h, v[NO2][i]),
                (Co_1h, v[CO][i]),
                (O3_1h, v[O3][i]),
                (Pm10_1h, v[PM10][i]),
                (Pm25_1h, v[PM25][i]),
            ],
            Standard::Epa2018 | Standard::Epa2024 => vec![
                (O3_8h, o3_8h[i]),
                (O3_1h, v[O3][i]),
                (Pm25_24h, nowcast(PM25, i)),
                (Pm10_24h, nowcast(PM10, i)),
                (Co_8h, co_8h[i]),
                (So2_1h, v[SO2][i]),
                (No2_1h, v[NO2][i]),
            ],
            Standard::Eaqi2017 | Standard::Eaqi2024 => vec![
                (Pm25_24h, pm25_18[i]),
                (Pm10_24h, pm10_18[i]),
                (No2_1h, v[NO2][i]),
                (O3_1h, v[O3][i]),
                (So2_1h, v[SO2][i]),
            ],
            Standard::UkDaqi => vec![
                (O3_8h, o3_8h[i]),
                (No2_1h, v[NO2][i]),
                (Pm25_24h, pm25_24[i]),
                (Pm10_24h, pm10_24[i]),
            ],
            Standard::IndiaNaqi => vec![
                (Pm10_24h, pm10_16[i]),
                (Pm25_24h, pm25_16[i]),
                (No2_24h, no2_16[i]),
                (So2_24h, so2_16[i]),
                (O3_8h, o3_8h[i]),
                (Co_8h, co_8h[i]),
            ],
        };
        let inputs: Vec<(Indicator, f64)> = candidates
            .into_iter()
            .filter_map(|(k, c)| c.map(|c| (k, c)))
            .collect();
        out.push((stamp, standard.compute(Report::RealTime, &inputs)?));
    }
    Ok(out)
}

/// Daily statistics of one natural day (hour-ending stamps 01:00..24:00).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct DayStats {
    /// 24-h means, valid with `min_hours` values; per pollutant in [`POLLUTANTS`] order.
    pub mean: [Option<f64>; 6],
    /// Valid hours per pollutant.
    pub hours: [usize; 6],
    pub o3_max_1h: Option<f64>,
    /// Max of the 8-h means ending 08:00..24:00 (17 windows, ≥ 6 h each; ≥ 14 windows).
    pub o3_mda8: Option<f64>,
    pub co_max_8h: Option<f64>,
    pub so2_max_1h: Option<f64>,
    pub no2_max_1h: Option<f64>,
}

/// Statistics of the day whose hours are `series` positions `first..first + 24`; the 7 hours
/// before are used for the 8-h windows when present.
pub fn day_stats(series: &HourlySeries, first: usize, min_hours: usize) -> DayStats {
    let v = &series.values;
    let day = |p: usize| &v[p][first..(first + 24).min(v[p].len())];
    let mut s = DayStats::default();
    // No allocation here: this runs for every station-day of a network-year.
    for p in 0..6 {
        let n = day(p).iter().flatten().count();
        s.hours[p] = n;
        if n >= min_hours {
            s.mean[p] = Some(day(p).iter().flatten().sum::<f64>() / n as f64);
        }
    }
    // Daily maxima of hourly values need as many hours as a daily mean: neither HJ 633 nor GB 3095
    // Table 4 gives a rule (UNCONFIRMED), and without one a day with three hours of data would
    // get an AQI from its O3 maximum alone (2023-02-16 in the Beijing archive).
    let max = |p: usize| {
        (s.hours[p] >= min_hours).then(|| day(p).iter().flatten().copied().fold(f64::MIN, f64::max))
    };
    s.o3_max_1h = max(O3);
    s.so2_max_1h = max(SO2);
    s.no2_max_1h = max(NO2);
    let mda = |p: usize| {
        // Windows ending at the day's 8th..24th hour (positions first+7 ..= first+23) lie wholly
        // inside the day, so the 8-h means of the day's own 24 hours are the same numbers as
        // `moving_mean` gives on the whole series (same values, same order of summation).
        let d = day(p);
        let (mut valid, mut best) = (0usize, f64::MIN);
        for end in 7..d.len().min(24) {
            let (sum, n) = d[end - 7..=end]
                .iter()
                .flatten()
                .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
            if n >= O3_8H_MIN_HOURS.max(1) {
                valid += 1;
                best = best.max(sum / n as f64);
            }
        }
        (valid >= 14).then_some(best)
    };
    s.o3_mda8 = mda(O3);
    s.co_max_8h = mda(CO);
    s
}

/// The daily index of every complete natural day of `series`.
pub fn daily(
    series: &HourlySeries,
    options: Options,
) -> Result<Vec<(NaiveDate, DayStats, AqiResult)>, AqiError> {
    let mut out = Vec::new();
    // First position whose stamp is 01:00.
    let Some(first) =
        (0..series.len().min(24)).find(|&i| chrono::Timelike::hour(&series.stamp(i)) == 1)
    else {
        return Ok(out);
    };
    let mut i = first;
    while i + 24 <= series.len() {
        let date = series.stamp(i).date();
        let standard = options.standard_on(date);
        let min = if standard == Standard::IndiaNaqi {
            16
        } else {
            DAILY_MIN_HOURS
        };
        let s = day_stats(series, i, min);
        use Indicator::*;
        let candidates: Vec<(Indicator, Option<f64>)> = match standard {
            Standard::Hj633_2012 => vec![
                (So2_24h, s.mean[SO2]),
                (No2_24h, s.mean[NO2]),
                (Co_24h, s.mean[CO]),
                (O3_1h, s.o3_max_1h),
                (O3_8h, s.o3_mda8),
                (Pm10_24h, s.mean[PM10]),
                (Pm25_24h, s.mean[PM25]),
            ],
            Standard::Hj633_2026 => vec![
                (So2_24h, s.mean[SO2]),
                (No2_24h, s.mean[NO2]),
                (Co_24h, s.mean[CO]),
                (O3_8h, s.o3_mda8),
                (Pm10_24h, s.mean[PM10]),
                (Pm25_24h, s.mean[PM25]),
            ],
            Standard::Epa2018 | Standard::Epa2024 => vec![
                (O3_8h, s.o3_mda8),
                (O3_1h, s.o3_max_1h),
                (Pm25_24h, s.mean[PM25]),
                (Pm10_24h, s.mean[PM10]),
                (Co_8h, s.co_max_8h),
                (So2_1h, s.so2_max_1h),
                (No2_1h, s.no2_max_1h),
            ],
            Standard::Eaqi2017 | Standard::Eaqi2024 => vec![
                (Pm25_24h, s.mean[PM25]),
                (Pm10_24h, s.mean[PM10]),
                (No2_1h, s.no2_max_1h),
                (O3_1h, s.o3_max_1h),
                (So2_1h, s.so2_max_1h),
            ],
            Standard::UkDaqi => vec![
                (O3_8h, s.o3_mda8),
                (No2_1h, s.no2_max_1h),
                (Pm25_24h, s.mean[PM25]),
                (Pm10_24h, s.mean[PM10]),
            ],
            Standard::IndiaNaqi => vec![
                (Pm10_24h, s.mean[PM10]),
                (Pm25_24h, s.mean[PM25]),
                (No2_24h, s.mean[NO2]),
                (So2_24h, s.mean[SO2]),
                (O3_8h, s.o3_mda8),
                (Co_8h, s.co_max_8h),
            ],
        };
        let inputs: Vec<(Indicator, f64)> = candidates
            .into_iter()
            .filter_map(|(k, c)| c.map(|c| (k, c)))
            .collect();
        out.push((date, s.clone(), standard.compute(Report::Daily, &inputs)?));
        i += 24;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2023, 1, 1)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    }

    #[test]
    fn daily_needs_20_hours_and_lies_between_min_and_max() {
        // 2 days from 2023-01-01 01:00; PM2.5 = hour of day, 5 hours missing on day 2.
        let mut s = HourlySeries::new(at(1), 48);
        for i in 0..48 {
            if !(30..35).contains(&i) {
                s.values[PM25][i] = Some((i % 24) as f64 + 10.0);
            }
        }
        let d = daily(
            &s,
            Options {
                standard: Some(Standard::Hj633_2012),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].0, NaiveDate::from_ymd_opt(2023, 1, 1).unwrap());
        // Day 1: 10..33 → mean 21.5 → rounded 22 (half to even) → IAQI 50 × 22/35 = 31.4 → 32.
        assert_eq!(d[0].1.mean[PM25], Some(21.5));
        assert_eq!(d[0].2.aqi, Some(32));
        // Day 2: 19 hours → no valid mean → no AQI at all.
        assert_eq!(d[1].1.hours[PM25], 19);
        assert_eq!(d[1].1.mean[PM25], None);
        assert_eq!(d[1].2.aqi, None);
    }

    #[test]
    fn daily_maxima_need_20_hours() {
        let mut s = HourlySeries::new(at(1), 24);
        for i in 0..19 {
            s.values[O3][i] = Some(300.0);
        }
        let st = day_stats(&s, 0, 20);
        assert_eq!((st.hours[O3], st.o3_max_1h), (19, None));
        s.values[O3][19] = Some(100.0);
        assert_eq!(day_stats(&s, 0, 20).o3_max_1h, Some(300.0));
    }

    #[test]
    fn mda8_uses_the_17_windows_of_the_day() {
        let mut s = HourlySeries::new(at(1), 24);
        for i in 0..24 {
            s.values[O3][i] = Some(if i < 8 { 200.0 } else { 100.0 });
        }
        let st = day_stats(&s, 0, 20);
        // Window ending at position 7 (08:00) is hours 0..=7, all 200.
        assert_eq!(st.o3_mda8, Some(200.0));
        assert_eq!(st.o3_max_1h, Some(200.0));
        let d = daily(
            &s,
            Options {
                standard: Some(Standard::Hj633_2026),
                ..Default::default()
            },
        )
        .unwrap();
        // O3 8-h 200: 150 + 50 × (200 − 160)/55… no: 160–215 is 100–150 → 100 + 50 × 40/55 = 136.4 → 137
        assert_eq!(d[0].2.aqi, Some(137));
        // 2026: a day without the other five pollutants and AQI > 100 is still published.
        assert_eq!(d[0].2.missing.len(), 5);
    }

    #[test]
    fn realtime_2012_moving_pm_and_2026_hourly_pm() {
        let mut s = HourlySeries::new(at(1), 24);
        for i in 0..24 {
            s.values[PM25][i] = Some(if i == 23 { 300.0 } else { 20.0 });
        }
        let opts = |st| Options {
            standard: Some(st),
            ..Default::default()
        };
        let r12 = realtime(&s, opts(Standard::Hj633_2012)).unwrap();
        // 24-h moving mean at the last hour: (23 × 20 + 300)/24 = 31.67 → 32 → 45.7 → 46.
        assert_eq!(r12[23].1.aqi, Some(46));
        assert_eq!(r12[18].1.aqi, None, "19 hours: no valid 24-h mean");
        let r12h = realtime(
            &s,
            Options {
                pm_1h_realtime: true,
                ..opts(Standard::Hj633_2012)
            },
        )
        .unwrap();
        // PM2.5 1-h 300 on the 24-h table: 300 + 100 × 50/100 = 350.
        assert_eq!(r12h[23].1.aqi, Some(350));
        let r26 = realtime(&s, opts(Standard::Hj633_2026)).unwrap();
        // 2026 with five pollutants missing: AQI 350 > 100 is published; 20 → 29 is NA.
        assert_eq!(r26[23].1.aqi, Some(350));
        assert_eq!(r26[0].1.aqi, None);
    }
}
