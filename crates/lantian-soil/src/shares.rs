//! Counts and shares of samples, and of plots' areas, per category, with their completeness.
//!
//! By sample: each screened sample counts once in its level. Samples that have no single level
//! (not screened, no item assessed, not decidable) are not counted: they are listed with the
//! reason, and the completeness says how many of the samples in scope were counted. Shares are
//! of the samples counted. Samples screened by the other standard are out of scope (listed,
//! not in the completeness); a sample not screened for want of a land class could be either, so
//! it counts against the completeness of both.
//!
//! By area: a plot (地块) takes the level of its worst sample. A sample that has no verdict on
//! the plot's terms (not found, not screened, screened as another land class, nothing assessed)
//! could be anything, so it leaves the plot open unless another sample already puts the plot in
//! the worst level; open plots are listed with the reason, not counted. Shares are of the area
//! of the plots counted.

use crate::gb15618::Category;
use crate::gb36600::{Risk, Uses};
use crate::sample::LandClass;
use crate::screen::{Outcome, SampleScreening};
use crate::verdict::{Level, Verdict};
use serde::Serialize;

/// Where a sample stands for the shares of one standard's levels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scope<'a, L> {
    In(&'a Verdict<L>),
    /// Not screened at all (land class unknown): counted as missing.
    NotScreened(&'a str),
    /// Screened by the other standard.
    Out,
}

/// Levels whose shares can be counted.
pub trait Shared: Level {
    /// The verdict of an outcome in these levels.
    fn of(outcome: &Outcome) -> Scope<'_, Self>;
    /// Whether plots of this land class are counted in these levels.
    fn covers(land: LandClass) -> bool;
}

impl Shared for Category {
    fn of(outcome: &Outcome) -> Scope<'_, Self> {
        match outcome {
            Outcome::Gb15618(a) => Scope::In(&a.category),
            Outcome::NotScreened { reason } => Scope::NotScreened(reason),
            Outcome::Gb36600(_) => Scope::Out,
        }
    }
    fn covers(land: LandClass) -> bool {
        land.is_agricultural()
    }
}

impl Shared for Risk {
    fn of(outcome: &Outcome) -> Scope<'_, Self> {
        match outcome {
            Outcome::Gb36600(c) => Scope::In(&c.risk),
            Outcome::NotScreened { reason } => Scope::NotScreened(reason),
            Outcome::Gb15618(_) => Scope::Out,
        }
    }
    fn covers(land: LandClass) -> bool {
        !land.is_agricultural()
    }
}

impl Shared for Uses {
    fn of(outcome: &Outcome) -> Scope<'_, Self> {
        match outcome {
            Outcome::Gb36600(c) => Scope::In(&c.uses),
            Outcome::NotScreened { reason } => Scope::NotScreened(reason),
            Outcome::Gb15618(_) => Scope::Out,
        }
    }
    fn covers(land: LandClass) -> bool {
        !land.is_agricultural()
    }
}

/// Something in scope that was not counted, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotCounted {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area_m2: Option<f64>,
    pub reason: String,
}

/// How much of what is in scope was counted.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Completeness {
    pub counted: usize,
    pub expected: usize,
    /// counted / expected; `None` when nothing is expected.
    pub share: Option<f64>,
}

impl Completeness {
    fn of(counted: usize, expected: usize) -> Completeness {
        Completeness {
            counted,
            expected,
            share: (expected > 0).then(|| counted as f64 / expected as f64),
        }
    }
}

/// One level's count by sample.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SampleRow<L> {
    pub level: L,
    pub name_en: &'static str,
    pub name_zh: &'static str,
    pub samples: usize,
    /// Of the samples counted; `None` when none was.
    pub share: Option<f64>,
}

/// Samples per level of one standard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SampleShares<L> {
    pub standard: &'static str,
    /// Every level, best first (zero counts included).
    pub rows: Vec<SampleRow<L>>,
    pub completeness: Completeness,
    pub not_counted: Vec<NotCounted>,
    /// Samples screened by the other standard.
    pub out_of_scope: Vec<String>,
}

/// Samples per level: `sample_shares::<Category>(&results)` for GB 15618's categories,
/// `::<Risk>` or `::<Uses>` for GB 36600.
pub fn sample_shares<L: Shared>(results: &[SampleScreening]) -> SampleShares<L> {
    let mut counts = vec![0usize; L::ALL.len()];
    let mut not_counted = Vec::new();
    let mut out_of_scope = Vec::new();
    for r in results {
        let why = match L::of(&r.outcome) {
            Scope::Out => {
                out_of_scope.push(r.sample.clone());
                continue;
            }
            Scope::NotScreened(reason) => reason.to_string(),
            Scope::In(v) => match v.level() {
                Some(level) => {
                    counts[index_of(level)] += 1;
                    continue;
                }
                None => v.reason().unwrap_or_default().to_string(),
            },
        };
        not_counted.push(NotCounted {
            id: r.sample.clone(),
            area_m2: None,
            reason: why,
        });
    }
    let counted: usize = counts.iter().sum();
    SampleShares {
        standard: L::STANDARD,
        rows: L::ALL
            .iter()
            .zip(&counts)
            .map(|(&level, &n)| SampleRow {
                level,
                name_en: level.name_en(),
                name_zh: level.name_zh(),
                samples: n,
                share: (counted > 0).then(|| n as f64 / counted as f64),
            })
            .collect(),
        completeness: Completeness::of(counted, counted + not_counted.len()),
        not_counted,
        out_of_scope,
    }
}

fn index_of<L: Level>(level: L) -> usize {
    L::ALL.iter().position(|&l| l == level).unwrap_or(0)
}

/// Square metres in a mu (亩): 10 000 / 15.
pub const M2_PER_MU: f64 = 10_000.0 / 15.0;

/// A plot (地块).
///
/// Its samples are those it lists and the screened samples whose `plot` names it, so a plot
/// read from a plots file may list none.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plot {
    pub id: String,
    /// `None` when not known: the plot is then not counted by area.
    pub area_m2: Option<f64>,
    /// The land class the plot is counted as; its samples are expected screened as it.
    pub land_class: Option<LandClass>,
    pub samples: Vec<String>,
}

impl Plot {
    /// A plot whose area is given in mu.
    pub fn in_mu(id: &str, area_mu: f64, land_class: LandClass, samples: Vec<String>) -> Plot {
        Plot {
            id: id.to_string(),
            area_m2: Some(area_mu * M2_PER_MU),
            land_class: Some(land_class),
            samples,
        }
    }

    pub fn area_mu(&self) -> Option<f64> {
        self.area_m2.map(|a| a / M2_PER_MU)
    }

    /// The area, when it is one (a positive number).
    fn valid_area_m2(&self) -> Result<f64, String> {
        match self.area_m2 {
            None => Err("the plot's area is not known".to_string()),
            Some(a) if a.is_finite() && a > 0.0 => Ok(a),
            Some(a) => Err(format!("an area of {a} m² is not an area")),
        }
    }
}

/// A plot's level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlotVerdict<L> {
    pub plot: String,
    pub area_m2: Option<f64>,
    pub land_class: Option<LandClass>,
    /// The samples the verdict is over.
    pub samples: Vec<String>,
    pub verdict: Verdict<L>,
    /// The samples in the plot's level, when decided.
    pub worst_samples: Vec<String>,
}

/// One level's plots and area.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaRow<L> {
    pub level: L,
    pub name_en: &'static str,
    pub name_zh: &'static str,
    pub plots: usize,
    pub area_m2: f64,
    /// Of the area counted; `None` when none was.
    pub share: Option<f64>,
}

/// Plots and area per level of one standard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaShares<L> {
    pub standard: &'static str,
    pub rows: Vec<AreaRow<L>>,
    /// Every plot in scope with its verdict.
    pub plots: Vec<PlotVerdict<L>>,
    /// By plot: counted are the plots with a level and an area.
    pub completeness: Completeness,
    pub area_counted_m2: f64,
    /// The area of the plots in scope that have one.
    pub area_expected_m2: f64,
    pub not_counted: Vec<NotCounted>,
    /// Plots of the other standard's land.
    pub out_of_scope: Vec<String>,
}

/// The level of one plot from the screened samples: its worst sample's.
pub fn plot_verdict<L: Shared>(plot: &Plot, results: &[SampleScreening]) -> PlotVerdict<L> {
    let mut ids: Vec<&str> = plot.samples.iter().map(String::as_str).collect();
    for r in results {
        if r.plot.as_deref() == Some(plot.id.as_str()) && !ids.contains(&r.sample.as_str()) {
            ids.push(&r.sample);
        }
    }
    let unknown = |reason: String| Verdict::NotDecidable {
        best: L::best(),
        worst: L::worst(),
        reason,
    };
    let parts: Vec<(&str, Verdict<L>)> = match plot.land_class {
        None => Vec::new(),
        Some(land) => ids
            .iter()
            .map(|&id| {
                let v = match results.iter().find(|r| r.sample == id) {
                    None => unknown("not found among the screened samples".to_string()),
                    Some(r) if r.land_class != Some(land) => unknown(format!(
                        "screened as {}, the plot is {}",
                        r.land_class.map_or("no land class", |c| c.code()),
                        land.code()
                    )),
                    Some(r) => match L::of(&r.outcome) {
                        Scope::In(Verdict::NoValue { reason }) => unknown(reason.clone()),
                        Scope::In(v) => v.clone(),
                        Scope::NotScreened(reason) => unknown(reason.to_string()),
                        Scope::Out => unknown(format!("not screened by {}", L::STANDARD)),
                    },
                };
                (id, v)
            })
            .collect(),
    };
    let verdict = match plot.land_class {
        None => Verdict::NoValue {
            reason: "the plot's land class is not known".to_string(),
        },
        Some(_) => {
            Verdict::worst_of(parts.iter().map(|(id, v)| (*id, v))).unwrap_or(Verdict::NoValue {
                reason: "the plot has no samples".to_string(),
            })
        }
    };
    let worst_samples = match verdict.level() {
        Some(level) => parts
            .iter()
            .filter(|(_, v)| v.level() == Some(level))
            .map(|(id, _)| id.to_string())
            .collect(),
        None => Vec::new(),
    };
    PlotVerdict {
        plot: plot.id.clone(),
        area_m2: plot.area_m2,
        land_class: plot.land_class,
        samples: ids.iter().map(|s| s.to_string()).collect(),
        verdict,
        worst_samples,
    }
}

/// Plots and area per level: `plot_shares::<Category>(&plots, &results)`. A plot whose land
/// class is not known could be of either standard: it counts against the completeness of both.
pub fn plot_shares<L: Shared>(plots: &[Plot], results: &[SampleScreening]) -> AreaShares<L> {
    let mut rows: Vec<AreaRow<L>> = L::ALL
        .iter()
        .map(|&level| AreaRow {
            level,
            name_en: level.name_en(),
            name_zh: level.name_zh(),
            plots: 0,
            area_m2: 0.0,
            share: None,
        })
        .collect();
    let mut verdicts = Vec::new();
    let mut not_counted = Vec::new();
    let mut out_of_scope = Vec::new();
    let mut expected_m2 = 0.0;
    for plot in plots {
        if plot.land_class.is_some_and(|l| !L::covers(l)) {
            out_of_scope.push(plot.id.clone());
            continue;
        }
        let v = plot_verdict::<L>(plot, results);
        let area = plot.valid_area_m2();
        if let Ok(a) = area {
            expected_m2 += a;
        }
        let why_not = match (v.verdict.level(), area) {
            (Some(level), Ok(a)) => {
                let row = &mut rows[index_of(level)];
                row.plots += 1;
                row.area_m2 += a;
                None
            }
            (Some(level), Err(why)) => Some(format!("{why} (the plot is {})", level.name_en())),
            (None, _) => Some(v.verdict.reason().unwrap_or_default().to_string()),
        };
        if let Some(reason) = why_not {
            not_counted.push(NotCounted {
                id: plot.id.clone(),
                area_m2: plot.area_m2,
                reason,
            });
        }
        verdicts.push(v);
    }
    let counted_m2: f64 = rows.iter().map(|r| r.area_m2).sum();
    for r in &mut rows {
        r.share = (counted_m2 > 0.0).then(|| r.area_m2 / counted_m2);
    }
    let counted = rows.iter().map(|r| r.plots).sum();
    AreaShares {
        standard: L::STANDARD,
        rows,
        plots: verdicts,
        completeness: Completeness::of(counted, counted + not_counted.len()),
        area_counted_m2: counted_m2,
        area_expected_m2: expected_m2,
        not_counted,
        out_of_scope,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::{Content, Sample, Value};
    use crate::screen::{ScreenOptions, screen};

    fn sample(id: &str, land: Option<LandClass>, ph: Option<f64>, cd: Value) -> Sample {
        Sample {
            id: id.to_string(),
            x: None,
            y: None,
            crs: String::new(),
            depth: None,
            land_use: None,
            land_class: land,
            soil_type: None,
            topography: None,
            district: None,
            plot: None,
            date: None,
            ph,
            contents: vec![Content {
                item: "Cd".to_string(),
                value: cd,
                source_unit: None,
            }],
            file: "t.csv".to_string(),
            line: 1,
        }
    }

    fn m(v: f64) -> Value {
        Value::Measured { mg_kg: v }
    }

    /// Paddy at pH 6.0: Cd screening 0.4, control 2.0.
    fn results() -> Vec<SampleScreening> {
        let p = Some(LandClass::Paddy);
        let o = ScreenOptions::default();
        [
            sample("A", p, Some(6.0), m(0.1)),    // priority protection
            sample("B", p, Some(6.0), m(0.4)),    // priority protection (equal)
            sample("C", p, Some(6.0), m(0.5)),    // safe utilisation
            sample("D", p, Some(6.0), m(2.5)),    // strict control
            sample("E", None, Some(6.0), m(0.1)), // not screened
            sample(
                "F",
                p,
                Some(6.0),
                Value::BelowDetection { limit_mg_kg: 0.5 },
            ), // open
            sample("G", Some(LandClass::ConstructionFirst), None, m(30.0)), // GB 36600: IA
            sample("H", Some(LandClass::OtherFarmland), Some(6.0), m(0.1)), // PP, other land
            Sample {
                plot: Some("P11".to_string()),
                ..sample("S", p, Some(6.0), m(0.1)) // priority protection
            },
        ]
        .iter()
        .map(|s| screen(s, &o))
        .collect()
    }

    #[test]
    fn by_sample() {
        let s = sample_shares::<Category>(&results());
        let counts: Vec<usize> = s.rows.iter().map(|r| r.samples).collect();
        // A, B, H, S; C; D.
        assert_eq!(counts, [4, 1, 1]);
        assert_eq!(s.rows[0].share, Some(4.0 / 6.0));
        assert_eq!(s.rows[1].share, Some(1.0 / 6.0));
        assert_eq!(s.rows[0].name_zh, "优先保护类");
        assert_eq!(
            s.completeness,
            Completeness {
                counted: 6,
                expected: 8,
                share: Some(0.75)
            }
        );
        let ids: Vec<&str> = s.not_counted.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["E", "F"]);
        assert_eq!(s.not_counted[0].reason, "not screened: land class unknown");
        assert!(s.not_counted[1].reason.starts_with(
            "priority protection at best, safe utilisation at worst: Cd: below a detection limit"
        ));
        assert_eq!(s.out_of_scope, ["G"]);
        let r = sample_shares::<Risk>(&results());
        assert_eq!(r.rows[2].samples, 1);
        assert_eq!(r.completeness.expected, 2); // G and E
        assert_eq!(r.out_of_scope.len(), 7);
        let u = sample_shares::<Uses>(&results());
        assert_eq!(u.rows[1].samples, 1); // Cd 30: first-class fails (20), second passes (65)
        let none = sample_shares::<Category>(&[]);
        assert_eq!(none.completeness.share, None);
        assert!(none.rows.iter().all(|r| r.share.is_none()));
    }

    fn plot(id: &str, area_m2: Option<f64>, land: Option<LandClass>, samples: &[&str]) -> Plot {
        Plot {
            id: id.to_string(),
            area_m2,
            land_class: land,
            samples: samples.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn by_plot_area() {
        let p = LandClass::Paddy;
        let plots = [
            // 15 mu = 10 000 m²; A priority protection, C safe utilisation: safe utilisation.
            Plot::in_mu("P1", 15.0, p, vec!["A".into(), "C".into()]),
            plot("P2", Some(2000.0), Some(p), &["A", "B"]),
            plot("P3", Some(1000.0), Some(p), &["C", "X"]),
            plot("P4", Some(500.0), Some(p), &["D", "X", "F"]),
            plot("P5", Some(700.0), Some(p), &["A", "H"]),
            plot("P6", Some(300.0), Some(p), &[]),
            plot(
                "P7",
                Some(900.0),
                Some(LandClass::ConstructionFirst),
                &["G"],
            ),
            plot("P8", Some(-1.0), Some(p), &["A"]),
            plot("P9", None, Some(p), &["A"]),
            plot("P10", Some(100.0), None, &["A"]),
            // Lists no sample; sample S names it.
            plot("P11", Some(400.0), Some(p), &[]),
        ];
        let a = plot_shares::<Category>(&plots, &results());
        let area: Vec<f64> = a.rows.iter().map(|r| r.area_m2).collect();
        let n: Vec<usize> = a.rows.iter().map(|r| r.plots).collect();
        // P2 and P11 priority protection; P1 safe utilisation; P4 strict control (D) whatever
        // its unknown samples are.
        assert_eq!(n, [2, 1, 1]);
        assert!((area[0] - 2400.0).abs() < 1e-9);
        assert!((area[1] - 10_000.0).abs() < 1e-9, "{area:?}");
        assert_eq!(area[2], 500.0);
        assert!((a.area_counted_m2 - 12_900.0).abs() < 1e-9);
        assert!((a.rows[0].share.unwrap() - 2400.0 / 12_900.0).abs() < 1e-12);
        assert!((a.area_expected_m2 - 15_000.0).abs() < 1e-9);
        assert_eq!(a.plots[3].plot, "P4");
        assert_eq!(a.plots[3].worst_samples, ["D"]);
        assert_eq!(a.plots[0].worst_samples, ["C"]);
        assert_eq!(a.plots[9].samples, ["S"]);
        let why: Vec<(&str, &str)> = a
            .not_counted
            .iter()
            .map(|n| (n.id.as_str(), n.reason.as_str()))
            .collect();
        assert_eq!(why.len(), 6);
        // P3: the unknown X could be worse than C.
        assert_eq!(
            why[0],
            (
                "P3",
                "safe utilisation at best, strict control at worst: X: not found among the \
                 screened samples"
            )
        );
        assert!(
            why[1]
                .1
                .contains("H: screened as other_farmland, the plot is paddy")
        );
        assert_eq!(why[2], ("P6", "the plot has no samples"));
        assert_eq!(
            why[3],
            (
                "P8",
                "an area of -1 m² is not an area (the plot is priority protection)"
            )
        );
        assert_eq!(
            why[4],
            (
                "P9",
                "the plot's area is not known (the plot is priority protection)"
            )
        );
        assert_eq!(why[5], ("P10", "the plot's land class is not known"));
        assert_eq!(a.out_of_scope, ["P7"]);
        assert_eq!((a.completeness.counted, a.completeness.expected), (4, 10));
        assert!(
            (Plot::in_mu("m", 1.0, p, vec![]).area_m2.unwrap() - 666.666_666_666_666_6).abs()
                < 1e-9
        );
        assert_eq!(Plot::in_mu("m", 3.0, p, vec![]).area_mu(), Some(3.0));
        // GB 36600: P7 (G: Cd 30 on first-class land, investigate); P10 counts against it.
        let r = plot_shares::<Risk>(&plots, &results());
        assert_eq!((r.rows[2].plots, r.rows[2].area_m2), (1, 900.0));
        assert_eq!((r.completeness.counted, r.completeness.expected), (1, 2));
        assert_eq!(r.out_of_scope.len(), 9);
    }

    proptest::proptest! {
        /// Counts add up to the counted samples, shares to one.
        #[test]
        fn counts_add_up(vs in proptest::collection::vec((0.0f64..5.0, 3.0f64..10.0, proptest::bool::ANY), 0..40)) {
            let rs: Vec<SampleScreening> = vs
                .iter()
                .enumerate()
                .map(|(i, &(v, ph, has_ph))| {
                    let s = sample(&i.to_string(), Some(LandClass::OtherFarmland), has_ph.then_some(ph), m(v));
                    screen(&s, &ScreenOptions::default())
                })
                .collect();
            let s = sample_shares::<Category>(&rs);
            let n: usize = s.rows.iter().map(|r| r.samples).sum();
            proptest::prop_assert_eq!(n, s.completeness.counted);
            proptest::prop_assert_eq!(n + s.not_counted.len(), vs.len());
            if n > 0 {
                let total: f64 = s.rows.iter().filter_map(|r| r.share).sum();
                proptest::prop_assert!((total - 1.0).abs() < 1e-12);
            }
        }
    }
}
