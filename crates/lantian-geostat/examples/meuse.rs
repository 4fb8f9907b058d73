//! Meuse zinc with lantian-geostat's defaults (scikit-gstat's), as JSON: the Lantian side of
//! `bench/run_soil_bench.sh`, the same steps as `bench/soil_vs_skgstat.py` (its docstring has
//! the method), for zinc and its natural logarithm.
//!
//! ```text
//! cargo run --release -p lantian-geostat --example meuse -- meuse.txt \
//!     [--grid 100] [--repeats 5] [--threshold 500] [--grid-out PREFIX]
//! ```
//!
//! Grid times are best of `--repeats`, in parallel over the nodes (rayon, every core) and on one
//! thread (as skgstat's `OrdinaryKriging` runs by default).

#[path = "../tests/common/meuse.rs"]
mod meuse;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use lantian_geostat::{
    Binning, ConvexHull, EmpiricalVariogram, Estimator, Grid, GridValues, Method, Neighbourhood,
    OrdinaryKriging, Point, VariogramModel, cross_validate, fit, predict_grid, share_above,
};
use serde::Serialize;

#[derive(Serialize)]
struct Output {
    tool: &'static str,
    version: &'static str,
    file: String,
    threads: usize,
    variables: Variables,
}

#[derive(Serialize)]
struct Variables {
    zinc: Variable,
    log_zinc: Variable,
}

#[derive(Serialize)]
struct Variable {
    n_samples: usize,
    bins: Vec<f64>,
    experimental: Vec<Option<f64>>,
    bin_count: Vec<usize>,
    effective_range: f64,
    partial_sill: f64,
    nugget: f64,
    fit_rmse: Option<f64>,
    fit_evaluations: usize,
    fit_seconds: f64,
    cv_rmse: Option<f64>,
    cv_mae: Option<f64>,
    cv_mean_error: Option<f64>,
    cv_predicted: usize,
    cv_seconds: f64,
    grid: GridReport,
    area: lantian_geostat::AreaShare,
}

#[derive(Serialize)]
struct GridReport {
    nx: usize,
    ny: usize,
    estimated: usize,
    mean_estimate: Option<f64>,
    seconds: f64,
    seconds_one_thread: f64,
    repeats: usize,
}

struct Args {
    file: PathBuf,
    grid: usize,
    repeats: usize,
    threshold: f64,
    grid_out: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let mut a = Args {
        file: PathBuf::new(),
        grid: 100,
        repeats: 5,
        threshold: 500.0,
        grid_out: None,
    };
    let mut file = None;
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--grid" => {
                a.grid = value("--grid")?
                    .parse()
                    .map_err(|e| format!("--grid: {e}"))?
            }
            "--repeats" => {
                a.repeats = value("--repeats")?
                    .parse()
                    .map_err(|e| format!("--repeats: {e}"))?
            }
            "--threshold" => {
                a.threshold = value("--threshold")?
                    .parse()
                    .map_err(|e| format!("--threshold: {e}"))?
            }
            "--grid-out" => a.grid_out = Some(value("--grid-out")?),
            _ if arg.starts_with("--") => return Err(format!("unknown option {arg}")),
            _ => file = Some(PathBuf::from(arg)),
        }
    }
    a.file = file
        .ok_or("usage: meuse FILE [--grid N] [--repeats R] [--threshold T] [--grid-out PREFIX]")?;
    if a.grid < 2 || a.repeats == 0 {
        return Err("--grid must be >= 2 and --repeats >= 1".into());
    }
    Ok(a)
}

fn best_of<T>(repeats: usize, mut f: impl FnMut() -> T) -> (T, f64) {
    let mut best = f64::INFINITY;
    let mut out = None;
    for _ in 0..repeats {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed().as_secs_f64());
        out = Some(r);
    }
    (out.expect("repeats >= 1"), best)
}

fn run(
    points: &[Point],
    args: &Args,
    threshold: f64,
    grid_out: Option<String>,
) -> Result<Variable, String> {
    let t = Instant::now();
    let empirical = EmpiricalVariogram::compute(points, Binning::default(), Estimator::Matheron)
        .map_err(|e| e.to_string())?;
    let variogram = fit(&empirical, VariogramModel::Spherical, false).map_err(|e| e.to_string())?;
    let fit_seconds = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let neighbourhood = Neighbourhood::default();
    let cv = cross_validate(
        points,
        &Method::OrdinaryKriging {
            variogram,
            neighbourhood,
        },
    )
    .map_err(|e| e.to_string())?;
    let cv_seconds = t.elapsed().as_secs_f64();

    let kriging =
        OrdinaryKriging::new(points, &variogram, neighbourhood).map_err(|e| e.to_string())?;
    let grid = Grid::covering(points, args.grid, args.grid).map_err(|e| e.to_string())?;
    let (values, seconds) = best_of(args.repeats, || predict_grid(&kriging, &grid));
    let (serial, seconds_one_thread) = best_of(args.repeats, || GridValues {
        grid,
        nodes: (0..grid.len())
            .map(|k| {
                let (x, y) = grid.node_at(k);
                kriging.predict(x, y)
            })
            .collect(),
    });
    assert_eq!(serial, values, "the parallel and serial grids differ");

    if let Some(path) = grid_out {
        let text: String = values
            .estimates()
            .map(|e| e.map(|v| format!("{v:?}\n")).unwrap_or_else(|| "\n".into()))
            .collect();
        std::fs::write(&path, text).map_err(|e| format!("{path}: {e}"))?;
    }
    let estimates: Vec<f64> = values.estimates().flatten().collect();
    let hull = ConvexHull::of(points).map_err(|e| e.to_string())?;

    Ok(Variable {
        n_samples: points.len(),
        bins: empirical.lags.iter().map(|l| l.upper_edge).collect(),
        experimental: empirical.lags.iter().map(|l| l.semivariance).collect(),
        bin_count: empirical.lags.iter().map(|l| l.pairs).collect(),
        effective_range: variogram.effective_range,
        partial_sill: variogram.partial_sill,
        nugget: variogram.nugget,
        fit_rmse: variogram.rmse,
        fit_evaluations: variogram.evaluations,
        fit_seconds,
        cv_rmse: cv.rmse,
        cv_mae: cv.mae,
        cv_mean_error: cv.mean_error,
        cv_predicted: cv.predicted,
        cv_seconds,
        grid: GridReport {
            nx: grid.nx,
            ny: grid.ny,
            estimated: estimates.len(),
            mean_estimate: (!estimates.is_empty())
                .then(|| estimates.iter().sum::<f64>() / estimates.len() as f64),
            seconds,
            seconds_one_thread,
            repeats: args.repeats,
        },
        area: share_above(&values, threshold, &hull),
    })
}

fn main() -> ExitCode {
    let result = parse_args().and_then(|args| {
        let zinc = meuse::read_zinc(&args.file)?;
        let log_zinc = meuse::log_values(&zinc);
        let out = |name: &str| args.grid_out.as_ref().map(|p| format!("{p}.{name}.txt"));
        Ok(Output {
            tool: "lantian-geostat",
            version: env!("CARGO_PKG_VERSION"),
            file: args.file.display().to_string(),
            threads: rayon::current_num_threads(),
            variables: Variables {
                zinc: run(&zinc, &args, args.threshold, out("zinc"))?,
                log_zinc: run(&log_zinc, &args, args.threshold.ln(), out("log_zinc"))?,
            },
        })
    });
    match result.and_then(|o| serde_json::to_string_pretty(&o).map_err(|e| e.to_string())) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
