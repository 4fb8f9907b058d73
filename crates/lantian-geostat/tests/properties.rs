//! Invariants that hold for any samples: ordinary kriging weights sum to 1 and reproduce the
//! samples; inverse distance weighting stays within the samples' range and reproduces them; the
//! empirical variogram counts every pair once.

use lantian_geostat::{
    BinFunc, Binning, EmpiricalVariogram, Estimator, FittedVariogram, Idw, Interpolator,
    InverseDistanceWeighting, Neighbourhood, OrdinaryKriging, Point, VariogramModel,
};
use proptest::prelude::*;

/// 6 to 40 samples in a 1000 m square, values 0–1000, at distinct locations (metre grid).
fn samples() -> impl Strategy<Value = Vec<Point>> {
    prop::collection::btree_map((0u32..1000, 0u32..1000), 0.0..1000.0f64, 6..40).prop_map(|m| {
        m.into_iter()
            .map(|((x, y), v)| Point::new(x as f64, y as f64, v))
            .collect()
    })
}

fn model() -> impl Strategy<Value = VariogramModel> {
    prop_oneof![
        Just(VariogramModel::Spherical),
        Just(VariogramModel::Exponential),
        Just(VariogramModel::Gaussian),
    ]
}

proptest! {
    #[test]
    fn kriging_weights_sum_to_one(
        points in samples(),
        model in model(),
        range in 200.0..3000.0f64,
        sill in 1.0..100.0f64,
        nugget in 0.0..50.0f64,
        x in 0.0..1000.0f64,
        y in 0.0..1000.0f64,
    ) {
        let v = FittedVariogram::manual(model, range, sill, nugget).unwrap();
        let neighbourhood = Neighbourhood { min_points: 3, max_points: 15, max_dist: Some(2000.0) };
        let ok = OrdinaryKriging::new(&points, &v, neighbourhood).unwrap();
        // Within 2000 m of any point of the square: at least min(points, 15) neighbours.
        let w = ok.weights(x, y).unwrap();
        prop_assert_eq!(w.weights.len(), points.len().min(15));
        let sum: f64 = w.weights.iter().sum();
        prop_assert!((sum - 1.0).abs() < 1e-8, "weights sum to {}", sum);
        let p = ok.predict(x, y).unwrap();
        let recomputed: f64 = w.indices.iter().zip(&w.weights).map(|(&i, w)| w * points[i].value).sum();
        prop_assert!((p.estimate - recomputed).abs() < 1e-6 * (1.0 + recomputed.abs()));
        prop_assert!(p.variance.unwrap() > -1e-9, "negative kriging variance {:?}", p);
    }

    #[test]
    fn kriging_reproduces_the_samples(points in samples(), model in model(), k in 0usize..40) {
        let v = FittedVariogram::manual(model, 800.0, 10.0, 1.0).unwrap();
        let neighbourhood = Neighbourhood { min_points: 1, max_points: 15, max_dist: Some(2000.0) };
        let ok = OrdinaryKriging::new(&points, &v, neighbourhood).unwrap();
        let s = points[k % points.len()];
        let p = ok.predict(s.x, s.y).unwrap();
        prop_assert!((p.estimate - s.value).abs() < 1e-6, "{:?} at {:?}", p, s);
    }

    #[test]
    fn idw_is_a_weighted_mean(points in samples(), power in 0.5..4.0f64, x in 0.0..1000.0f64, y in 0.0..1000.0f64) {
        let idw = InverseDistanceWeighting::new(&points, Idw { power, max_points: None }).unwrap();
        let e = idw.predict(x, y).unwrap().estimate;
        let lo = points.iter().map(|p| p.value).fold(f64::INFINITY, f64::min);
        let hi = points.iter().map(|p| p.value).fold(f64::NEG_INFINITY, f64::max);
        prop_assert!(e >= lo - 1e-9 && e <= hi + 1e-9);
        let s = points[0];
        prop_assert_eq!(idw.predict(s.x, s.y).unwrap().estimate, s.value);
    }

    #[test]
    fn every_pair_is_counted_once(points in samples(), n_lags in 1usize..20, uniform in any::<bool>()) {
        let bin_func = if uniform { BinFunc::Uniform } else { BinFunc::Even };
        let binning = Binning { n_lags, maxlag: None, bin_func };
        let ev = EmpiricalVariogram::compute(&points, binning, Estimator::Matheron).unwrap();
        let n = points.len();
        let in_classes: usize = ev.lags.iter().map(|l| l.pairs).sum();
        prop_assert_eq!(ev.pairs_total, n * (n - 1) / 2);
        prop_assert_eq!(in_classes + ev.pairs_beyond_maxlag, ev.pairs_total);
        // Only pairs at the largest distance are beyond the default maxlag.
        prop_assert!(ev.pairs_beyond_maxlag >= 1);
        for l in &ev.lags {
            prop_assert!(l.lower_edge <= l.upper_edge);
            prop_assert_eq!(l.semivariance.is_some(), l.pairs > 0);
        }
    }
}
