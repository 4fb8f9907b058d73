//! Meuse zinc (155 topsoil samples of the Meuse floodplain, `sp::meuse`) against the numbers
//! scikit-gstat publishes for it when run.
//!
//! The constants below were produced by scikit-gstat 1.0.26 (scipy 1.16.3, numpy 2.4.6,
//! Python 3.11.7) with
//!
//! ```text
//! ~/.cache/lantian-bench-venv/bin/python bench/soil_vs_skgstat.py \
//!     --file ../shared/data/soil_meuse/meuse.txt
//! ```
//!
//! that is `skgstat.Variogram(coords, values)` with every default, `Variogram.cross_validate()`
//! and `OrdinaryKriging(V)` on a 100 × 100 grid over the samples' bounding box; they were
//! copied from its output, not tuned. The acceptance is 5 % on the fitted parameters and the
//! cross-validated RMSE; the empirical variogram, which involves no solver, must agree to
//! rounding, and the counts exactly.

#[path = "common/meuse.rs"]
mod meuse;

use lantian_geostat::{
    Binning, ConvexHull, EmpiricalVariogram, Estimator, FittedVariogram, Grid, Method,
    Neighbourhood, OrdinaryKriging, Point, VariogramModel, cross_validate, fit, predict_grid,
    share_above,
};

/// skgstat's numbers for one variable.
struct Skgstat {
    experimental: [f64; 10],
    effective_range: f64,
    /// skgstat's `sill`: the partial sill.
    sill: f64,
    fit_rmse: f64,
    cv_rmse: f64,
    /// Samples with a leave-one-out estimate (the others have fewer than 5 samples in range).
    cv_predicted: usize,
    /// 100 × 100 grid: nodes with an estimate, their mean.
    grid_estimated: usize,
    grid_mean: f64,
    /// Nodes of that grid in the samples' convex hull; of those above 500 ppm (ln 500 for log).
    hull_nodes: usize,
    hull_above: usize,
}

/// Pair counts of the 10 lag classes, the same for zinc and log zinc: 11,934 of the 11,935
/// pairs (the farthest pair is at maxlag, in no class).
const BIN_COUNT: [usize; 10] = [1335, 2324, 2144, 1774, 1433, 1102, 823, 627, 310, 62];

const ZINC: Skgstat = Skgstat {
    experimental: [
        86902.2404494382,
        146422.77345094664,
        166963.5557369403,
        151351.7987598647,
        136611.32274947662,
        142651.94237749546,
        108957.19501822599,
        84153.92264752791,
        77560.84516129032,
        93641.35483870968,
    ],
    effective_range: 860.0403200020572,
    sill: 123146.07897116324,
    fit_rmse: 29136.548993127064,
    cv_rmse: 223.5732727713016,
    cv_predicted: 154,
    grid_estimated: 7817,
    grid_mean: 607.614323241582,
    hull_nodes: 4896,
    hull_above: 1412,
};

const LOG_ZINC: Skgstat = Skgstat {
    experimental: [
        0.31205900050859287,
        0.5756706390876138,
        0.6560887715130436,
        0.5793478798160683,
        0.5154366454219055,
        0.5320264381272498,
        0.4371815565416337,
        0.3459224896823533,
        0.3452854659902103,
        0.34408553474325254,
    ],
    effective_range: 909.705603266042,
    sill: 0.4803827843466838,
    fit_rmse: 0.10518136087540224,
    cv_rmse: 0.38956310272405764,
    cv_predicted: 155,
    grid_estimated: 8047,
    grid_mean: 6.058306344854402,
    hull_nodes: 4896,
    hull_above: 1163,
};

fn zinc() -> Option<Vec<Point>> {
    let path = lantian_testdata::shared_path(
        "soil_meuse/meuse.txt",
        "the comparison with scikit-gstat needs the Meuse samples",
    )?;
    let points = meuse::read_zinc(&path).unwrap();
    assert_eq!(points.len(), 155);
    Some(points)
}

fn within(got: f64, want: f64, rel: f64, what: &str) {
    let r = (got - want).abs() / want.abs();
    assert!(
        r <= rel,
        "{what}: {got} vs skgstat {want} ({:.3e} relative, allowed {rel})",
        r
    );
}

fn check(points: &[Point], want: &Skgstat, threshold: f64) -> FittedVariogram {
    let ev = EmpiricalVariogram::compute(points, Binning::default(), Estimator::Matheron).unwrap();
    assert_eq!(ev.pairs_total, 155 * 154 / 2);
    assert_eq!(ev.pairs_beyond_maxlag, 1);
    let counts: Vec<usize> = ev.lags.iter().map(|l| l.pairs).collect();
    assert_eq!(counts, BIN_COUNT);
    for (lag, &g) in ev.lags.iter().zip(&want.experimental) {
        within(lag.semivariance.unwrap(), g, 1e-12, "semivariance");
    }

    let v = fit(&ev, VariogramModel::Spherical, false).unwrap();
    within(
        v.effective_range,
        want.effective_range,
        0.05,
        "effective range",
    );
    within(v.partial_sill, want.sill, 0.05, "partial sill");
    assert_eq!(v.nugget, 0.0);
    within(v.rmse.unwrap(), want.fit_rmse, 0.05, "fit RMSE");

    let neighbourhood = Neighbourhood::default();
    let cv = cross_validate(
        points,
        &Method::OrdinaryKriging {
            variogram: v,
            neighbourhood,
        },
    )
    .unwrap();
    within(cv.rmse.unwrap(), want.cv_rmse, 0.05, "cross-validated RMSE");
    assert_eq!(cv.predicted, want.cv_predicted);

    let ok = OrdinaryKriging::new(points, &v, neighbourhood).unwrap();
    let grid = Grid::covering(points, 100, 100).unwrap();
    let values = predict_grid(&ok, &grid);
    let estimates: Vec<f64> = values.estimates().flatten().collect();
    assert_eq!(estimates.len(), want.grid_estimated);
    let mean = estimates.iter().sum::<f64>() / estimates.len() as f64;
    within(mean, want.grid_mean, 0.05, "grid mean");

    let share = share_above(&values, threshold, &ConvexHull::of(points).unwrap());
    assert_eq!(share.nodes_in_region, want.hull_nodes);
    assert_eq!(share.nodes_estimated, want.hull_nodes);
    // Kriged values within 1e-4 of skgstat's can fall either side of the threshold: ±2 nodes.
    assert!(
        share.nodes_above.abs_diff(want.hull_above) <= 2,
        "{share:?}"
    );
    v
}

#[test]
fn zinc_matches_skgstat() {
    let Some(points) = zinc() else { return };
    let v = check(&points, &ZINC, 500.0);
    // In fact the fit lands on scipy's to rounding: the 5 % above is the acceptance, this the
    // state of things (loosen it, not the acceptance, if a solver change moves it).
    within(
        v.effective_range,
        ZINC.effective_range,
        1e-6,
        "effective range, tight",
    );
}

#[test]
fn log_zinc_matches_skgstat() {
    let Some(points) = zinc() else { return };
    let log: Vec<Point> = meuse::log_values(&points);
    let v = check(&log, &LOG_ZINC, 500f64.ln());
    within(
        v.effective_range,
        LOG_ZINC.effective_range,
        1e-4,
        "effective range, tight",
    );
}
