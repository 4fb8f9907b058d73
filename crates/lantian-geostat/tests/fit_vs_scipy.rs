//! The variogram fit against scipy's `curve_fit(method='trf')` (what skgstat calls) on synthetic
//! variograms where a plain search goes wrong: the least-squares minimum with the range or the
//! sill on its bound, a nugget that drives the search into the flat region below the first lag,
//! an exponential model with a nugget that converges slowly. Each must reach scipy's minimum,
//! or a lower one.
//!
//! The cases were drawn by a throw-away script: a model's semivariance at the upper edges of
//! 6–15 even lags up to 100–5000 m (range 0.1–1.2 × the largest lag, partial sill 1–1e5,
//! nugget 0–0.5 × the sill), times 1 + N(0, 0.1) noise (numpy default_rng(7)); then
//! `curve_fit(model, lags, gammas, method='trf', p0=upper, bounds=([0, ...], upper))` with
//! skgstat's bounds (largest lag, largest semivariance, 0.99 × that for the nugget), scipy
//! 1.16.3, skgstat 1.0.26's model functions. `scipy` holds its parameters (range, partial sill,
//! nugget), `scipy_rmse` its RMSE over the lags. The ids are the draws' numbers.

use lantian_geostat::{Binning, EmpiricalVariogram, Estimator, LagClass, VariogramModel, fit};

struct Case {
    id: usize,
    model: VariogramModel,
    use_nugget: bool,
    lags: &'static [f64],
    gammas: &'static [f64],
    scipy: &'static [f64],
    scipy_rmse: f64,
}

const CASES: &[Case] = &[
    Case {
        id: 150,
        model: VariogramModel::Spherical,
        use_nugget: false,
        lags: &[
            203.7183435327513,
            407.4366870655026,
            611.1550305982539,
            814.8733741310052,
            1018.5917176637565,
            1222.3100611965078,
            1426.0284047292591,
            1629.7467482620104,
            1833.4650917947617,
            2037.183435327513,
            2240.901778860264,
            2444.6201223930157,
        ],
        gammas: &[
            6891.926409009814,
            17775.88616175755,
            25903.58746098834,
            30825.511465117455,
            35302.4109675079,
            43882.0771178701,
            53449.52137070006,
            60756.003917375936,
            63121.85324009684,
            71856.25167776065,
            64674.94912021293,
            72296.79386916976,
        ],
        scipy: &[2444.62012239301, 69025.50087389999],
        scipy_rmse: 3020.305734905165,
    },
    Case {
        id: 168,
        model: VariogramModel::Spherical,
        use_nugget: false,
        lags: &[
            251.75308139218748,
            503.50616278437496,
            755.2592441765624,
            1007.0123255687499,
            1258.7654069609375,
            1510.518488353125,
            1762.2715697453123,
            2014.0246511374999,
            2265.7777325296875,
            2517.530813921875,
            2769.283895314062,
            3021.03697670625,
        ],
        gammas: &[
            5665.443342520624,
            9745.156055791324,
            14055.040666320074,
            13269.969613204745,
            23424.031550853455,
            28744.956741515503,
            36500.52756728124,
            39156.280331145535,
            42422.80042095355,
            43633.73085964291,
            47770.91997705528,
            52972.41080998128,
        ],
        scipy: &[3021.0369767062493, 45958.09630996966],
        scipy_rmse: 3719.48441799818,
    },
    Case {
        id: 10,
        model: VariogramModel::Exponential,
        use_nugget: true,
        lags: &[
            458.57755459071507,
            917.1551091814301,
            1375.7326637721453,
            1834.3102183628603,
            2292.887772953575,
            2751.4653275442906,
            3210.0428821350056,
            3668.6204367257205,
            4127.197991316436,
            4585.77554590715,
        ],
        gammas: &[
            7127.325513737623,
            7159.528460274555,
            9758.704416160175,
            10447.096341140106,
            9916.758864307294,
            13629.333692105612,
            13157.645864328073,
            13652.71793399846,
            12789.474393066435,
            14672.634831622177,
        ],
        scipy: &[4585.7755459071495, 11088.368691730637, 3154.3428987437046],
        scipy_rmse: 950.8569116444344,
    },
    Case {
        id: 28,
        model: VariogramModel::Exponential,
        use_nugget: true,
        lags: &[
            448.6629254689183,
            897.3258509378365,
            1345.9887764067548,
            1794.651701875673,
            2243.3146273445914,
            2691.9775528135096,
            3140.640478282428,
            3589.303403751346,
            4037.9663292202645,
        ],
        gammas: &[
            74318.54370562395,
            81344.10131701858,
            91922.7022657093,
            113729.01582925173,
            111941.13912303704,
            87284.04767592336,
            122652.45913066449,
            114709.30491042662,
            122852.24954532937,
        ],
        scipy: &[4037.966329220264, 67990.20584924465, 52460.6573895066],
        scipy_rmse: 9815.469323245981,
    },
    Case {
        id: 99,
        model: VariogramModel::Spherical,
        use_nugget: true,
        lags: &[
            396.3935557708667,
            792.7871115417335,
            1189.1806673126002,
            1585.574223083467,
            1981.9677788543336,
            2378.3613346252005,
            2774.754890396067,
            3171.148446166934,
            3567.5420019378007,
            3963.935557708667,
            4360.329113479534,
            4756.722669250401,
        ],
        gammas: &[
            77211.83611349801,
            105183.31282769391,
            129520.6691686635,
            122647.69342062263,
            108073.44425155214,
            121684.46754384691,
            100095.97223792333,
            104903.20988781321,
            118442.0318795332,
            95081.04394527762,
            105531.9525752108,
            94221.40389666955,
        ],
        scipy: &[1011.8348113736498, 74155.49757645151, 35864.6913156185],
        scipy_rmse: 10677.44010652124,
    },
    Case {
        id: 111,
        model: VariogramModel::Spherical,
        use_nugget: true,
        lags: &[
            148.1649441050657,
            296.3298882101314,
            444.4948323151971,
            592.6597764202628,
            740.8247205253285,
            888.9896646303943,
        ],
        gammas: &[
            28364.40013645339,
            42033.70714564255,
            47511.41889484417,
            47125.64274492656,
            43586.394004654314,
            41171.401542586704,
        ],
        scipy: &[388.5613979839503, 36169.86729917658, 8678.846997743329],
        scipy_rmse: 2136.604804613937,
    },
    Case {
        id: 261,
        model: VariogramModel::Spherical,
        use_nugget: true,
        lags: &[
            28.048370077753898,
            56.096740155507796,
            84.14511023326169,
            112.19348031101559,
            140.24185038876948,
            168.29022046652338,
            196.33859054427728,
            224.38696062203118,
            252.43533069978508,
            280.48370077753896,
            308.5320708552929,
            336.58044093304676,
            364.6288110108007,
            392.67718108855456,
        ],
        gammas: &[
            20441.119213087568,
            29054.32659454514,
            28696.234568095988,
            31025.171510646393,
            25972.70796323238,
            25700.39085863229,
            27724.167858494333,
            25237.229793216775,
            25032.231722673463,
            22551.318021889878,
            27686.429546265143,
            22489.26884124971,
            26479.948960632566,
            21614.7456495731,
        ],
        scipy: &[25.257147578245082, 2081.39458328498, 23611.982488338403],
        scipy_rmse: 2958.520159383986,
    },
    Case {
        id: 288,
        model: VariogramModel::Spherical,
        use_nugget: false,
        lags: &[
            395.32132946922735,
            790.6426589384547,
            1185.963988407682,
            1581.2853178769094,
            1976.6066473461367,
            2371.927976815364,
            2767.2493062845915,
            3162.570635753819,
            3557.891965223046,
            3953.2132946922734,
            4348.534624161501,
            4743.855953630728,
        ],
        gammas: &[
            7396.75199679011,
            8057.931340444877,
            8883.964286930946,
            6636.088830862821,
            8471.62332806037,
            7604.295418924762,
            7688.317092697947,
            7799.585493409471,
            8062.834421577727,
            9084.183871339186,
            6348.232751834051,
            7827.112611553344,
        ],
        scipy: &[497.5459420811179, 7860.379040694137],
        scipy_rmse: 757.4364249358567,
    },
];

fn empirical(case: &Case) -> EmpiricalVariogram {
    let lags = case
        .lags
        .iter()
        .zip(case.gammas)
        .enumerate()
        .map(|(k, (&e, &g))| LagClass {
            lower_edge: if k == 0 { 0.0 } else { case.lags[k - 1] },
            upper_edge: e,
            pairs: 100,
            semivariance: Some(g),
        })
        .collect();
    let maxlag = *case.lags.last().unwrap();
    EmpiricalVariogram {
        lags,
        maxlag,
        max_distance: maxlag,
        pairs_total: 100 * case.lags.len(),
        pairs_beyond_maxlag: 0,
        binning: Binning::default(),
        estimator: Estimator::Matheron,
    }
}

#[test]
fn reaches_scipys_minimum_or_lower() {
    for case in CASES {
        let f = fit(&empirical(case), case.model, case.use_nugget).unwrap();
        let rmse = f.rmse.unwrap();
        assert!(
            rmse <= case.scipy_rmse * (1.0 + 1e-6),
            "case {}: RMSE {rmse} > scipy's {} ({f:?} vs {:?})",
            case.id,
            case.scipy_rmse,
            case.scipy
        );
        // Within the bounds.
        let max_gamma = case.gammas.iter().copied().fold(0.0, f64::max);
        assert!(f.effective_range >= 0.0 && f.effective_range <= *case.lags.last().unwrap());
        assert!(f.partial_sill >= 0.0 && f.partial_sill <= max_gamma);
        assert!(f.nugget >= 0.0 && f.nugget <= 0.99 * max_gamma);
        // Where the RMSE is scipy's, so are the parameters.
        if (rmse - case.scipy_rmse).abs() <= 1e-6 * case.scipy_rmse {
            let p = [f.effective_range, f.partial_sill, f.nugget];
            for (got, want) in p.iter().zip(case.scipy) {
                let scale = want.abs().max(1e-3 * case.scipy[1]);
                assert!(
                    (got - want).abs() <= 1e-3 * scale,
                    "case {}: {p:?} vs scipy {:?}",
                    case.id,
                    case.scipy
                );
            }
        }
    }
}
