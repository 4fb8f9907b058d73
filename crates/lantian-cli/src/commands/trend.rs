//! `lantian trend`: openair's `TheilSen` on monthly means of store data (see
//! `lantian_app::trend`). Arguments and printing only.

use crate::args::{OrCli, OutFormat};
use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;
use lantian_app::trend::{TrendRequest, TrendRow, TrendSubject, trends};
use lantian_model::Registry;
use lantian_store::Store;
use lantian_trend::bootstrap::Bootstrap;
use std::io::Write;

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

pub async fn run(store_path: &std::path::Path, reg: &Registry, a: &TrendArgs) -> Result<()> {
    let store = Store::open(store_path).await?;
    let reader = store.matrix_reader(&a.source).await?;
    let req = TrendRequest {
        subject: match &a.region {
            Some(r) => TrendSubject::Region(r.clone()),
            None => TrendSubject::Stations(a.station.clone()),
        },
        pollutant: a.pollutant.clone(),
        from: a.from,
        to: a.to,
        deseason: !a.no_deseason,
        bootstrap: Bootstrap {
            resamples: a.resamples,
            autocorrelation: !a.no_autocorrelation,
            alpha: a.alpha,
            seed: a.seed,
        },
        min_capture: a.min_capture,
    };
    let rows = trends(&reader, reg, &req).cli()?;
    print(&rows, a.format)
}

fn print(rows: &[TrendRow], format: OutFormat) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        OutFormat::Json => {
            writeln!(out, "{}", lantian_app::sorted_json(&rows).cli()?)?;
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
            for TrendRow {
                station: s,
                pollutant,
                trend: t,
            } in rows
            {
                let mut cells = vec![s.clone(), pollutant.clone()];
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
