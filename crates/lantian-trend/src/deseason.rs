//! Deseasonalising a monthly series, as openair's `TheilSen(deseason = TRUE)` does: gaps are
//! filled, the series is decomposed with STL (Cleveland et al. 1990; R's
//! `stl(s.window = 11, s.degree = 1, robust = TRUE)`, the other windows at R's defaults), and
//! only the seasonal component is removed (trend + remainder are kept). Filled months stay in
//! the result, flagged.
//!
//! Gap filling follows openair's current development code (`fill_ts_gaps`): for each calendar
//! month, a straight line through that month's observed values against time predicts its
//! missing years; a month seen once is filled with that value, a month never seen with the
//! overall mean. (The released openair fills with a Kalman smoother of a structural time-series
//! model, `StructTS`, which has no maintained Rust implementation; the linear per-month fill is
//! the method openair is moving to.)

/// openair deseasonalises only series longer than two years (`nrow(mydata) <= 24` skips).
pub const MIN_MONTHS: usize = 25;

/// A deseasonalised monthly series.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deseasonalised {
    /// Data − seasonal component (trend + remainder), one per month of the input.
    pub values: Vec<f64>,
    pub seasonal: Vec<f64>,
    /// Months that were missing and filled before the decomposition.
    pub filled: Vec<bool>,
}

/// Fill the gaps of a monthly series whose first value is calendar month `first_month`
/// (1–12). `None` when nothing is observed.
pub fn fill_gaps(values: &[Option<f64>], first_month: u32) -> Option<Vec<f64>> {
    let observed: Vec<f64> = values.iter().flatten().copied().collect();
    if observed.is_empty() {
        return None;
    }
    let overall = observed.iter().sum::<f64>() / observed.len() as f64;
    let mut out: Vec<f64> = values.iter().map(|v| v.unwrap_or(f64::NAN)).collect();
    for m in 0..12usize {
        // Rows of this calendar month, and those observed: (row index as time, value).
        let rows: Vec<usize> = (0..values.len())
            .filter(|i| (first_month as usize - 1 + i) % 12 == m)
            .collect();
        let seen: Vec<(f64, f64)> = rows
            .iter()
            .filter_map(|&i| values[i].map(|v| (i as f64, v)))
            .collect();
        let fill = |t: f64| -> f64 {
            match seen.len() {
                0 => overall,
                1 => seen[0].1,
                _ => {
                    // Least squares y = a + b t over the observed years of this month.
                    let k = seen.len() as f64;
                    let mt = seen.iter().map(|s| s.0).sum::<f64>() / k;
                    let my = seen.iter().map(|s| s.1).sum::<f64>() / k;
                    let sxx: f64 = seen.iter().map(|s| (s.0 - mt) * (s.0 - mt)).sum();
                    let sxy: f64 = seen.iter().map(|s| (s.0 - mt) * (s.1 - my)).sum();
                    my + sxy / sxx * (t - mt)
                }
            }
        };
        for &i in &rows {
            if values[i].is_none() {
                out[i] = fill(i as f64);
            }
        }
    }
    Some(out)
}

/// Deseasonalise a monthly series starting at calendar month `first_month`. `None` for fewer
/// than [`MIN_MONTHS`] months or nothing observed (openair then fits the raw months).
pub fn deseasonalise(values: &[Option<f64>], first_month: u32) -> Option<Deseasonalised> {
    if values.len() < MIN_MONTHS {
        return None;
    }
    let filled_values = fill_gaps(values, first_month)?;
    let stl = stlrs::params()
        .seasonal_length(11)
        .seasonal_degree(1)
        .robust(true)
        .fit(&filled_values, 12)
        .ok()?;
    let seasonal = stl.seasonal().to_vec();
    Some(Deseasonalised {
        values: filled_values
            .iter()
            .zip(&seasonal)
            .map(|(v, s)| v - s)
            .collect(),
        seasonal,
        filled: values.iter().map(Option::is_none).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_are_filled_per_calendar_month() {
        // Three years from January; January observed 10, 20, _ (a line: 30 in year 3),
        // February observed once (5), March never (overall mean).
        let mut v: Vec<Option<f64>> = vec![Some(1.0); 36];
        v[0] = Some(10.0);
        v[12] = Some(20.0);
        v[24] = None;
        v[1] = None;
        v[13] = Some(5.0);
        v[25] = None;
        v[2] = None;
        v[14] = None;
        v[26] = None;
        let f = fill_gaps(&v, 1).unwrap();
        assert!((f[24] - 30.0).abs() < 1e-12);
        assert_eq!((f[1], f[25]), (5.0, 5.0));
        // Overall mean of the 30 observed: 27 ones, 10, 20, 5 → 62 / 30.
        assert_eq!(
            (f[2], f[14], f[26]),
            (62.0 / 30.0, 62.0 / 30.0, 62.0 / 30.0)
        );
    }

    #[test]
    fn a_pure_seasonal_cycle_is_removed() {
        // Five years of a fixed cycle around a level of 50, plus a trend of 0.1 a month.
        let cycle = [
            20.0, 15.0, 8.0, 0.0, -8.0, -15.0, -20.0, -15.0, -8.0, 0.0, 8.0, 15.0,
        ];
        let v: Vec<Option<f64>> = (0..60)
            .map(|i| Some(50.0 + 0.1 * f64::from(i) + cycle[i as usize % 12]))
            .collect();
        let d = deseasonalise(&v, 1).unwrap();
        for (i, x) in d.values.iter().enumerate() {
            let expected = 50.0 + 0.1 * i as f64;
            assert!((x - expected).abs() < 0.5, "month {i}: {x} vs {expected}");
        }
        assert!(d.filled.iter().all(|f| !f));
        assert!(deseasonalise(&v[..24], 1).is_none(), "24 months: too short");
    }

    #[test]
    fn stl_agrees_with_statsmodels() {
        // statsmodels 0.14 STL(period=12, seasonal=11, seasonal_deg=1, trend=21, low_pass=13,
        // robust=True, seasonal_jump=2, trend_jump=3, low_pass_jump=2).fit(inner_iter=1,
        // outer_iter=15) — R's stl(s.window = 11, s.degree = 1, robust = TRUE) spelled out —
        // on 50 + 0.1 i + cycle + ((37 i mod 11) − 5) · 0.7, with +40 at month 30 (an outlier the
        // robust fit must down-weight). Seasonal component, first and last year:
        let first = [
            18.1942846669,
            14.8958967304,
            9.1322525614,
            -1.2857488172,
            -7.5818418585,
            -13.3301734325,
            -21.2722880510,
            -12.9607013386,
            -5.7405054318,
            -1.2113017567,
            8.0173957256,
            12.7796682578,
        ];
        let last = [
            19.8450876972,
            16.5334950987,
            7.3440773678,
            0.5212447904,
            -5.7830388740,
            -14.9088335670,
            -19.3553833114,
            -17.1077024648,
            -9.8602259487,
            0.8153899763,
            6.7204807851,
            14.7997725458,
        ];
        let cycle = [
            20.0, 15.0, 8.0, 0.0, -8.0, -15.0, -20.0, -15.0, -8.0, 0.0, 8.0, 15.0,
        ];
        let v: Vec<Option<f64>> = (0..60)
            .map(|i: i32| {
                Some(
                    50.0 + 0.1 * f64::from(i)
                        + cycle[i as usize % 12]
                        + f64::from((i * 37) % 11 - 5) * 0.7
                        + if i == 30 { 40.0 } else { 0.0 },
                )
            })
            .collect();
        let d = deseasonalise(&v, 1).unwrap();
        for (k, e) in first.iter().enumerate() {
            assert!(
                (d.seasonal[k] - e).abs() < 1e-6,
                "month {k}: {} vs {e}",
                d.seasonal[k]
            );
        }
        for (k, e) in last.iter().enumerate() {
            let s = d.seasonal[48 + k];
            assert!((s - e).abs() < 1e-6, "month {}: {s} vs {e}", 48 + k);
        }
        assert!((d.seasonal[30] - -20.32475405861003).abs() < 1e-6);
    }
}
