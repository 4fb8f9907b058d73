//! A trend of a monthly series, as openair's `TheilSen` reports it: the Theil–Sen slope per
//! year of (optionally deseasonalised) monthly means, its bootstrap interval and p-value, the
//! slope in percent a year, and beside it the classic Mann–Kendall test.
//!
//! openair's conventions, kept so that figures compare: `x` is days since 1970-01-01 at the 1st
//! of each month; the slope per year is 365 × the slope per day; leading and trailing missing
//! months are trimmed; without deseasonalisation missing months are dropped; at least 6 months
//! are needed; the percent slope is `100 × slope / (a + b · x_first)`, the slope relative to the
//! fitted line at the first month, each bound with the intercept bound openair pairs it with
//! (lower slope with the upper intercept).

use crate::bootstrap::{Bootstrap, bootstrap_slope};
use crate::deseason::deseasonalise;
use crate::mann_kendall::{MannKendall, mann_kendall, stars};
use crate::theil_sen::theil_sen;
use chrono::NaiveDate;

/// openair needs 6 monthly values for a trend.
pub const MIN_POINTS: usize = 6;

/// One month: its first day and its mean (`None` when missing or below the capture rule).
#[derive(Clone, Copy, Debug)]
pub struct Month {
    pub first_day: NaiveDate,
    pub mean: Option<f64>,
}

/// The trend of one series.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Trend {
    pub first_month: NaiveDate,
    pub last_month: NaiveDate,
    /// Months fitted (after trimming; with deseasonalisation, filled months included).
    pub months: usize,
    /// Months that were missing and filled (deseasonalised series only).
    pub filled_months: usize,
    pub deseasonalised: bool,
    /// Units per year.
    pub slope: f64,
    pub slope_lower: f64,
    pub slope_upper: f64,
    /// Value of the line at 1970-01-01 (openair's intercept).
    pub intercept: f64,
    /// Percent per year, relative to the line at the first month.
    pub slope_percent: f64,
    pub slope_percent_lower: f64,
    pub slope_percent_upper: f64,
    /// openair's bootstrap p-value, and its stars.
    pub p: f64,
    pub stars: &'static str,
    /// The classic Mann–Kendall test of the same fitted values.
    pub mann_kendall: Option<MannKendall>,
    pub bootstrap: Bootstrap,
    pub block_length: usize,
    /// The values fitted (deseasonalised, with filled months, when `deseasonalised`), by first
    /// day of month: what a trend chart plots.
    #[serde(skip)]
    pub fitted: Vec<(NaiveDate, f64)>,
}

fn days_since_1970(d: NaiveDate) -> f64 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("1970-01-01");
    (d - epoch).num_days() as f64
}

/// The trend of `months` (consecutive calendar months, in order). `None` with fewer than
/// [`MIN_POINTS`] values to fit.
pub fn trend(months: &[Month], deseason: bool, b: &Bootstrap) -> Option<Trend> {
    let first = months.iter().position(|m| m.mean.is_some())?;
    let last = months.iter().rposition(|m| m.mean.is_some())?;
    let months = &months[first..=last];
    let values: Vec<Option<f64>> = months.iter().map(|m| m.mean).collect();
    let first_calendar_month = chrono::Datelike::month(&months[0].first_day);
    let des = if deseason {
        deseasonalise(&values, first_calendar_month)
    } else {
        None
    };
    let (x, y, filled): (Vec<f64>, Vec<f64>, usize) = match &des {
        Some(d) => (
            months
                .iter()
                .map(|m| days_since_1970(m.first_day))
                .collect(),
            d.values.clone(),
            d.filled.iter().filter(|f| **f).count(),
        ),
        None => {
            let kept: Vec<(f64, f64)> = months
                .iter()
                .filter_map(|m| m.mean.map(|v| (days_since_1970(m.first_day), v)))
                .collect();
            (
                kept.iter().map(|k| k.0).collect(),
                kept.iter().map(|k| k.1).collect(),
                0,
            )
        }
    };
    if y.len() < MIN_POINTS {
        return None;
    }
    let line = theil_sen(&x, &y)?;
    let ci = bootstrap_slope(&x, &y, b)?;
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("1970-01-01");
    let fitted = x
        .iter()
        .zip(&y)
        .map(|(d, v)| (epoch + chrono::Duration::days(*d as i64), *v))
        .collect();
    let x0 = x[0];
    let pct = |slope: f64, intercept: f64| 100.0 * 365.0 * slope / (intercept + slope * x0);
    Some(Trend {
        first_month: months[0].first_day,
        last_month: months[months.len() - 1].first_day,
        months: y.len(),
        filled_months: filled,
        deseasonalised: des.is_some(),
        slope: 365.0 * line.slope,
        slope_lower: 365.0 * ci.slope_lower,
        slope_upper: 365.0 * ci.slope_upper,
        intercept: line.intercept,
        slope_percent: pct(line.slope, line.intercept),
        // openair pairs the lower slope with the upper intercept and the reverse.
        slope_percent_lower: pct(ci.slope_lower, ci.intercept_upper),
        slope_percent_upper: pct(ci.slope_upper, ci.intercept_lower),
        p: ci.p,
        stars: stars(ci.p),
        mann_kendall: mann_kendall(&y),
        bootstrap: *b,
        block_length: ci.block_length,
        fitted,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn months(values: &[Option<f64>]) -> Vec<Month> {
        (0..values.len())
            .map(|i| Month {
                first_day: NaiveDate::from_ymd_opt(2013 + (i / 12) as i32, 1 + (i % 12) as u32, 1)
                    .unwrap(),
                mean: values[i],
            })
            .collect()
    }

    #[test]
    fn a_planted_decline_is_recovered_per_year_and_in_percent() {
        // Four years from January 2013 of a seasonal cycle on a line falling 0.5 µg/m³ a month
        // from 80 (6 a year), with missing months at both ends (trimmed) and one inside.
        let cycle = [
            30.0, 20.0, 5.0, -5.0, -15.0, -20.0, -25.0, -20.0, -10.0, 0.0, 15.0, 25.0,
        ];
        let mut v: Vec<Option<f64>> = (0..48)
            .map(|i| Some(80.0 - 0.5 * f64::from(i) + cycle[i as usize % 12]))
            .collect();
        v[0] = None;
        v[47] = None;
        v[20] = None;
        let t = trend(&months(&v), true, &Bootstrap::default()).unwrap();
        assert_eq!(t.first_month, NaiveDate::from_ymd_opt(2013, 2, 1).unwrap());
        assert_eq!((t.months, t.filled_months), (46, 1));
        assert!(t.deseasonalised);
        // Months are 28–31 days apart, so a fall of 0.5 a month is 6 a year only on average.
        assert!((t.slope - -6.0).abs() < 0.3, "{t:?}");
        assert!(t.slope_lower <= t.slope && t.slope <= t.slope_upper);
        assert_eq!(t.p, 0.0);
        assert_eq!(t.stars, "***");
        // Relative to the line at Feb 2013 (about 79.5): about −7.5 % a year.
        assert!((t.slope_percent - -6.0 / 79.5 * 100.0).abs() < 0.5, "{t:?}");
        let mk = t.mann_kendall.unwrap();
        assert!(mk.s < 0 && mk.p < 1e-6);
    }

    #[test]
    fn raw_months_drop_gaps_and_six_are_needed() {
        // Five values with gaps: too few. A sixth: a trend of the six, gaps dropped.
        let mut v: Vec<Option<f64>> = vec![
            Some(1.0),
            None,
            Some(2.0),
            Some(3.0),
            None,
            Some(4.0),
            Some(5.0),
        ];
        assert!(trend(&months(&v), false, &Bootstrap::default()).is_none());
        v.push(Some(6.0));
        let t = trend(&months(&v), false, &Bootstrap::default()).unwrap();
        assert_eq!((t.months, t.filled_months, t.deseasonalised), (6, 0, false));
        // Short series are not deseasonalised even when asked (openair needs > 24 months).
        let d = trend(&months(&v), true, &Bootstrap::default()).unwrap();
        assert!(!d.deseasonalised);
        assert_eq!(d.slope, t.slope);
    }
}
