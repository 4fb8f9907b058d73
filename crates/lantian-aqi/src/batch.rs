//! Many station-hours at once: the real-time HJ 633 AQI of whole columns.
//!
//! The per-value work is [`crate::hj633::iaqi`], the same function every other path uses; this
//! module only removes the per-hour allocation of [`crate::AqiResult`] and splits the columns
//! over threads. It is what `bench/aqi_vs_numpy.py` measures.

use crate::Indicator;
use crate::hj633::{self, Edition, Practice};

/// Columns of 1-h concentrations (µg/m³, CO mg/m³); `NaN` = missing. All of equal length.
#[derive(Clone, Copy, Debug)]
pub struct Columns<'a> {
    pub so2: &'a [f64],
    pub no2: &'a [f64],
    pub co: &'a [f64],
    pub o3: &'a [f64],
    pub pm10: &'a [f64],
    pub pm25: &'a [f64],
}

/// The value written for "NA" (no AQI published).
pub const NA: i16 = -1;

/// Real-time AQI of every row with the six 1-h values (HJ 633—2026 real-time report; under
/// the 2012 edition, the 1-h PM practice of CNEMC). Writes [`NA`] where the edition publishes
/// no AQI: nothing rated, or (2026 §5.3) a pollutant missing and the AQI ≤ 100.
pub fn realtime_aqi(edition: Edition, cols: Columns<'_>, out: &mut [i16]) {
    let n = out.len();
    assert!(
        [cols.so2, cols.no2, cols.co, cols.o3, cols.pm10, cols.pm25]
            .iter()
            .all(|c| c.len() == n),
        "columns and output must have the same length"
    );
    let p = Practice::default();
    let ind = [
        Indicator::So2_1h,
        Indicator::No2_1h,
        Indicator::Co_1h,
        Indicator::O3_1h,
        Indicator::Pm10_1h,
        Indicator::Pm25_1h,
    ];
    for (i, slot) in out.iter_mut().enumerate() {
        let c = [
            cols.so2[i],
            cols.no2[i],
            cols.co[i],
            cols.o3[i],
            cols.pm10[i],
            cols.pm25[i],
        ];
        let mut max: i32 = -1;
        let mut missing = false;
        for (&c, &indicator) in c.iter().zip(&ind) {
            if c.is_nan() {
                missing = true;
                continue;
            }
            match hj633::iaqi(edition, indicator, c, p).index {
                Some(v) => max = max.max(v),
                None => missing = true,
            }
        }
        *slot = if max < 0 || (edition == Edition::E2026 && missing && max <= 100) {
            NA
        } else {
            max as i16
        };
    }
}

/// [`realtime_aqi`] split over `threads` threads.
pub fn realtime_aqi_parallel(edition: Edition, cols: Columns<'_>, out: &mut [i16], threads: usize) {
    let threads = threads.max(1);
    let chunk = out.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        for (k, o) in out.chunks_mut(chunk).enumerate() {
            let r = k * chunk..k * chunk + o.len();
            let part = Columns {
                so2: &cols.so2[r.clone()],
                no2: &cols.no2[r.clone()],
                co: &cols.co[r.clone()],
                o3: &cols.o3[r.clone()],
                pm10: &cols.pm10[r.clone()],
                pm25: &cols.pm25[r],
            };
            s.spawn(move || realtime_aqi(edition, part, o));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Report, Standard};

    #[test]
    fn columns_agree_with_the_full_engine() {
        // A grid of values crossing breakpoints, with missing values and SO2 above 800.
        let n = 2000;
        let v = |i: usize, m: usize, scale: f64| {
            if (i * 7 + m).is_multiple_of(53) {
                f64::NAN
            } else {
                ((i * m) % 997) as f64 * scale
            }
        };
        let so2: Vec<f64> = (0..n).map(|i| v(i, 3, 1.0)).collect();
        let no2: Vec<f64> = (0..n).map(|i| v(i, 5, 0.5)).collect();
        let co: Vec<f64> = (0..n).map(|i| v(i, 11, 0.01)).collect();
        let o3: Vec<f64> = (0..n).map(|i| v(i, 13, 0.3)).collect();
        let pm10: Vec<f64> = (0..n).map(|i| v(i, 17, 0.4)).collect();
        let pm25: Vec<f64> = (0..n).map(|i| v(i, 19, 0.2)).collect();
        let cols = Columns {
            so2: &so2,
            no2: &no2,
            co: &co,
            o3: &o3,
            pm10: &pm10,
            pm25: &pm25,
        };
        for (edition, standard) in [
            (Edition::E2026, Standard::Hj633_2026),
            (Edition::E2012, Standard::Hj633_2012),
        ] {
            let mut out = vec![0i16; n];
            realtime_aqi_parallel(edition, cols, &mut out, 3);
            for i in 0..n {
                let inputs: Vec<(Indicator, f64)> = [
                    (Indicator::So2_1h, so2[i]),
                    (Indicator::No2_1h, no2[i]),
                    (Indicator::Co_1h, co[i]),
                    (Indicator::O3_1h, o3[i]),
                    (Indicator::Pm10_1h, pm10[i]),
                    (Indicator::Pm25_1h, pm25[i]),
                ]
                .into_iter()
                .filter(|(_, c)| !c.is_nan())
                .collect();
                let r = standard.compute(Report::RealTime, &inputs).unwrap();
                assert_eq!(
                    out[i],
                    r.aqi.map_or(NA, |a| a as i16),
                    "{standard} row {i}: {inputs:?}"
                );
            }
        }
    }
}
