//! `lantian trend`: openair's `TheilSen` on monthly means of store data (see lantian-trend).

use anyhow::{Context, Result, bail};
use chrono::{Datelike, NaiveDate};
use clap::Args;
use lantian_model::Registry;
use lantian_store::Store;
use lantian_store::matrix::{HourlyMatrix, MatrixQuery, MatrixReader};
use lantian_trend::bootstrap::Bootstrap;
use lantian_trend::trend::{Month, Trend, trend};
use std::io::Write;

use crate::OutFormat;

#[derive(Args)]
pub struct TrendArgs {
    /// Station code(s) as stored (e.g. Dongsi, 东四, 1003A): one trend each.
    #[arg(long, required_unless_present = "region")]
    pub station: Vec<String>,
    /// An area of the registry ("beijing" or a district, e.g. 海淀): one trend of its
    /// assessment stations' hourly mean (the HJ 663 area concentration; control, background
    /// and traffic sites left out).
    #[arg(long, conflicts_with = "station")]
    pub region: Option<String>,
    /// The variable, as stored (PM2.5, NO2, O3, ...).
    #[arg(long, default_value = "PM2.5")]
    pub pollutant: String,
    /// Source(s) to read (default: all).
    #[arg(long)]
    pub source: Vec<String>,
    /// First month (any day in it), local time of the station (UTC+8).
    #[arg(long)]
    pub from: NaiveDate,
    /// Last month (any day in it).
    #[arg(long)]
    pub to: NaiveDate,
    /// Fit the raw monthly means instead of the deseasonalised ones.
    #[arg(long)]
    pub no_deseason: bool,
    /// Resample single months instead of blocks of round(n^(1/3)) months.
    #[arg(long)]
    pub no_autocorrelation: bool,
    /// Bootstrap resamples (openair: 599).
    #[arg(long, default_value_t = 599)]
    pub resamples: usize,
    /// Seed of the bootstrap.
    #[arg(long, default_value_t = 2)]
    pub seed: u64,
    /// 0.05 for 95 % intervals.
    #[arg(long, default_value_t = 0.05)]
    pub alpha: f64,
    /// Minimum share of valid hours for a monthly mean, in percent (openair's data.thresh; 0
    /// keeps any month with one value).
    #[arg(long, default_value_t = 0.0)]
    pub min_capture: f64,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    pub format: OutFormat,
}

/// Monthly means of an hourly series starting at the first hour of `first` (hour-ending, so
/// hour `h` of the axis ends at `first 01:00 + h`; a month holds its 01:00 .. next 00:00 ends).
pub(crate) fn monthly(
    values: &[f64],
    first: NaiveDate,
    months: usize,
    min_capture: f64,
) -> Vec<Month> {
    let mut out = Vec::with_capacity(months);
    let mut pos = 0usize;
    let mut day = first;
    for _ in 0..months {
        let next = day
            .checked_add_months(chrono::Months::new(1))
            .expect("month in range");
        let hours = ((next - day).num_days() * 24) as usize;
        let slice = &values[pos.min(values.len())..(pos + hours).min(values.len())];
        let valid: Vec<f64> = slice.iter().copied().filter(|v| !v.is_nan()).collect();
        let capture = 100.0 * valid.len() as f64 / hours as f64;
        let mean = (!valid.is_empty() && capture >= min_capture)
            .then(|| valid.iter().sum::<f64>() / valid.len() as f64);
        out.push(Month {
            first_day: day,
            mean,
        });
        pos += hours;
        day = next;
    }
    out
}

/// The hourly mean over the stations with a value, hour by hour (NaN where none has one).
pub(crate) fn area_mean(m: &HourlyMatrix) -> Vec<f64> {
    (0..m.len)
        .map(|h| {
            let (sum, n) = (0..m.stations.len())
                .map(|s| m.series(s, 0)[h])
                .filter(|v| !v.is_nan())
                .fold((0.0, 0usize), |(a, n), v| (a + v, n + 1));
            if n > 0 { sum / n as f64 } else { f64::NAN }
        })
        .collect()
}

/// The 1-h values of `stations` over the calendar months `first` ..= `last` (first days of
/// month, Beijing time): the matrix and the number of months.
pub(crate) fn read_months(
    reader: &MatrixReader,
    stations: &[String],
    pollutant: &str,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<(HourlyMatrix, usize)> {
    let months = ((last.year() - first.year()) * 12 + last.month() as i32 - first.month() as i32
        + 1) as usize;
    let end = last
        .checked_add_months(chrono::Months::new(1))
        .context("month in range")?;
    let len = ((end - first).num_days() * 24) as usize;
    // Hour-ending stamps in UTC+8: the first hour of `first` ends at 01:00 local = 17:00 UTC
    // the day before.
    let start_micros = (first.and_hms_opt(1, 0, 0).expect("01:00") - chrono::Duration::hours(8))
        .and_utc()
        .timestamp_micros();
    let m = reader.read(&MatrixQuery {
        stations: stations.to_vec(),
        variables: vec![pollutant.to_string()],
        sources: vec![],
        averaging: "1h".into(),
        flags: vec!["ok".into()],
        start_micros,
        len,
    })?;
    Ok((m, months))
}

pub async fn run(store_path: &std::path::Path, reg: &Registry, a: &TrendArgs) -> Result<()> {
    let first = a.from.with_day(1).context("first of month")?;
    let last = a.to.with_day(1).context("first of month")?;
    if last < first {
        bail!("--to {} is before --from {}", a.to, a.from);
    }
    if !(0.0..=100.0).contains(&a.min_capture) {
        bail!("--min-capture {} is not a percentage", a.min_capture);
    }
    let stations = match &a.region {
        Some(r) => {
            let codes: Vec<String> = crate::aqi::region_stations(reg, r)
                .into_iter()
                .filter(|c| reg.get(c).is_some_and(|s| s.role.is_assessment()))
                .collect();
            if codes.is_empty() {
                bail!(
                    "--region '{r}': no assessment station of the registry is in it (try beijing or a district such as 海淀)"
                );
            }
            codes
        }
        None => a.station.clone(),
    };
    let store = Store::open(store_path).await?;
    let reader = store.matrix_reader(&a.source).await?;
    let (m, months) = read_months(&reader, &stations, &a.pollutant, first, last)?;
    let b = Bootstrap {
        resamples: a.resamples,
        autocorrelation: !a.no_autocorrelation,
        alpha: a.alpha,
        seed: a.seed,
    };
    let mut rows: Vec<(String, Option<Trend>)> = Vec::new();
    if let Some(r) = &a.region {
        let series = monthly(&area_mean(&m), first, months, a.min_capture);
        rows.push((
            format!("region:{r} ({} stations)", stations.len()),
            trend(&series, !a.no_deseason, &b),
        ));
    } else {
        for (s, code) in stations.iter().enumerate() {
            let series = monthly(m.series(s, 0), first, months, a.min_capture);
            rows.push((code.clone(), trend(&series, !a.no_deseason, &b)));
        }
    }
    print(&rows, &a.pollutant, a.format)
}

fn print(rows: &[(String, Option<Trend>)], pollutant: &str, format: OutFormat) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        OutFormat::Json => {
            let v: Vec<_> = rows
                .iter()
                .map(|(s, t)| serde_json::json!({"station": s, "pollutant": pollutant, "trend": t}))
                .collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        }
        OutFormat::Csv | OutFormat::Table => {
            let csv = format == OutFormat::Csv;
            let head = [
                "station",
                "pollutant",
                "first_month",
                "last_month",
                "months",
                "filled",
                "deseasonalised",
                "slope_per_year",
                "lower",
                "upper",
                "percent_per_year",
                "percent_lower",
                "percent_upper",
                "p_bootstrap",
                "stars",
                "mann_kendall_s",
                "mann_kendall_p",
            ];
            let mut lines = vec![head.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
            for (s, t) in rows {
                let mut cells = vec![s.clone(), pollutant.to_string()];
                match t {
                    None => cells.extend(std::iter::repeat_n(String::new(), head.len() - 2)),
                    Some(t) => {
                        let mk = t.mann_kendall.as_ref();
                        cells.extend([
                            t.first_month.format("%Y-%m").to_string(),
                            t.last_month.format("%Y-%m").to_string(),
                            t.months.to_string(),
                            t.filled_months.to_string(),
                            t.deseasonalised.to_string(),
                            format!("{:.2}", t.slope),
                            format!("{:.2}", t.slope_lower),
                            format!("{:.2}", t.slope_upper),
                            format!("{:.2}", t.slope_percent),
                            format!("{:.2}", t.slope_percent_lower),
                            format!("{:.2}", t.slope_percent_upper),
                            format!("{:.4}", t.p),
                            t.stars.to_string(),
                            mk.map(|m| m.s.to_string()).unwrap_or_default(),
                            mk.map(|m| format!("{:.3e}", m.p)).unwrap_or_default(),
                        ]);
                    }
                }
                lines.push(cells);
            }
            if csv {
                for l in lines {
                    writeln!(out, "{}", l.join(","))?;
                }
            } else {
                let widths: Vec<usize> = (0..head.len())
                    .map(|c| {
                        lines
                            .iter()
                            .map(|l| l[c].chars().count())
                            .max()
                            .unwrap_or(0)
                    })
                    .collect();
                for l in lines {
                    let cells: Vec<String> = l
                        .iter()
                        .zip(&widths)
                        .map(|(c, w)| format!("{c:<w$}"))
                        .collect();
                    writeln!(out, "{}", cells.join("  ").trim_end())?;
                }
                writeln!(
                    out,
                    "slope: units a year (Theil-Sen on monthly means; openair's bootstrap interval and p; stars *** <0.001 ** <0.01 * <0.05 + <0.1)"
                )?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_area_mean_is_over_the_stations_with_a_value() {
        let m = lantian_store::matrix::HourlyMatrix {
            stations: vec!["a".into(), "b".into()],
            variables: vec!["PM2.5".into()],
            start_micros: 0,
            len: 3,
            values: vec![10.0, f64::NAN, f64::NAN, 20.0, 30.0, f64::NAN],
        };
        let v = area_mean(&m);
        assert_eq!((v[0], v[1]), (15.0, 30.0));
        assert!(v[2].is_nan());
    }

    #[test]
    fn monthly_means_follow_the_calendar_and_the_capture_rule() {
        // January (744 h) all 10; February 2023 (672 h) half missing, the rest 20.
        let mut v = vec![10.0; 744];
        v.extend((0..672).map(|i| if i % 2 == 0 { 20.0 } else { f64::NAN }));
        let first = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
        let m = monthly(&v, first, 2, 0.0);
        assert_eq!((m[0].mean, m[1].mean), (Some(10.0), Some(20.0)));
        assert_eq!(m[1].first_day, NaiveDate::from_ymd_opt(2023, 2, 1).unwrap());
        // 50 % capture: kept at 50, dropped at 50.1.
        assert_eq!(monthly(&v, first, 2, 50.0)[1].mean, Some(20.0));
        assert_eq!(monthly(&v, first, 2, 50.1)[1].mean, None);
    }
}
