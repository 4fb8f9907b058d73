//! Screening one sample by the standard of its land: agricultural land by GB 15618—2018,
//! construction land by GB 36600—2018; a sample whose land class is unknown is not screened, and
//! says so.
//!
//! Each content gives an [`ItemResult`]: the value, the limits used (table, row, column), the
//! single-factor index Pi = C / S against the screening value, the exceedance multiples
//! (C / S − 1 above the screening value, C / U − 1 above the control or intervention value U)
//! and the verdict. A content is placed against a limit as the standards write it: *at most* the
//! screening value is within it, so a content equal to the screening value is priority
//! protection (risk negligible), one equal to the control value is safe utilisation
//! (investigate and assess).
//!
//! Values below a detection limit stay what they are: when the limit is at or below the
//! screening value the content surely is, and Pi is an upper bound; when the limit is above it,
//! the item is not decidable, and the verdict is the range the content may lie in, never a
//! number made from the limit.
//!
//! A sample without a usable pH is screened by GB 15618 in all four pH bands: an item whose
//! verdict is the same in every band (a content under the lowest screening value, above the
//! highest control value, or between them for items without control value) is decided, the
//! others are not decidable and say why. Pi needs the band's screening value, so such a sample
//! has no Nemerow index.
//!
//! The sample takes the worst verdict of its items; items the standard has no value for are
//! listed and left out.

use crate::gb15618::{self, Category, PhBand};
use crate::gb36600::{self, Risk, SiteClass, Uses};
use crate::limit::Limits;
use crate::nemerow::{NemerowOutcome, Pi, nemerow};
use crate::sample::{Content, LandClass, Sample, Value};
use crate::verdict::{Level, Verdict};
use serde::Serialize;

/// Inputs the standards leave to the user.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ScreenOptions {
    /// The local soil background value of arsenic (mg/kg), for GB 36600 Table 1 note ①: above
    /// the screening value but at most the background is not managed as contaminated land.
    pub arsenic_background_mg_kg: Option<f64>,
}

/// One content, screened.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemResult<L> {
    /// The key, as in the sample.
    pub item: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_en: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<&'static str>,
    pub value: Value,
    /// The limits the value was compared with; `None` when the standard has no value, or (GB
    /// 15618) the limits depend on a pH the sample lacks.
    pub limits: Option<Limits>,
    /// Pi = C / S.
    pub pi: Option<Pi>,
    /// C / S − 1, when C is above the screening value.
    pub exceedance_screening: Option<f64>,
    /// C / U − 1, when C is above the control (GB 15618) or intervention (GB 36600) value.
    pub exceedance_upper: Option<f64>,
    pub verdict: Verdict<L>,
    /// What the reader should know beside the verdict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A sample screened by GB 15618—2018.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgriculturalScreening {
    pub land: LandClass,
    pub ph: Option<f64>,
    pub ph_band: Option<PhBand>,
    pub items: Vec<ItemResult<Category>>,
    /// The worst category of the items.
    pub category: Verdict<Category>,
    pub nemerow: NemerowOutcome,
}

/// A sample screened by GB 36600—2018.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConstructionScreening {
    pub site: SiteClass,
    /// Against the site's own column.
    pub items: Vec<ItemResult<Risk>>,
    /// The worst risk of the items.
    pub risk: Verdict<Risk>,
    /// What the land may be used for, from both columns.
    pub uses: Verdict<Uses>,
    pub nemerow: NemerowOutcome,
}

/// What screening made of a sample.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "standard", rename_all = "snake_case")]
pub enum Outcome {
    NotScreened { reason: String },
    Gb15618(AgriculturalScreening),
    Gb36600(ConstructionScreening),
}

/// One sample, screened, with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SampleScreening {
    pub sample: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plot: Option<String>,
    pub file: String,
    pub line: usize,
    pub land_class: Option<LandClass>,
    pub outcome: Outcome,
}

/// Screens a sample by the standard of its land class.
pub fn screen(sample: &Sample, options: &ScreenOptions) -> SampleScreening {
    let outcome = match sample.land_class {
        None => Outcome::NotScreened {
            reason: match &sample.land_use {
                Some(u) => format!(
                    "not screened: land class unknown (the land use {u:?} is mapped to no class)"
                ),
                None => "not screened: land class unknown".to_string(),
            },
        },
        Some(land) => match SiteClass::of(land) {
            Some(site) => Outcome::Gb36600(screen_gb36600(sample, site, options)),
            None => Outcome::Gb15618(screen_gb15618(sample, land)),
        },
    };
    SampleScreening {
        sample: sample.id.clone(),
        plot: sample.plot.clone(),
        file: sample.file.clone(),
        line: sample.line,
        land_class: sample.land_class,
        outcome,
    }
}

/// Screens a sample as agricultural land of class `land` (GB 15618—2018).
pub fn screen_gb15618(sample: &Sample, land: LandClass) -> AgriculturalScreening {
    let items: Vec<ItemResult<Category>> = sample
        .contents
        .iter()
        .map(|c| screen_item_gb15618(c, land, sample.ph))
        .collect();
    let category = worst(&items, gb15618::STANDARD);
    let nemerow = nemerow_of(&items);
    AgriculturalScreening {
        land,
        ph: sample.ph,
        ph_band: sample.ph.and_then(PhBand::of),
        items,
        category,
        nemerow,
    }
}

/// Screens a sample as construction land of class `site` (GB 36600—2018).
pub fn screen_gb36600(
    sample: &Sample,
    site: SiteClass,
    options: &ScreenOptions,
) -> ConstructionScreening {
    let against = |s: SiteClass| -> Vec<ItemResult<Risk>> {
        sample
            .contents
            .iter()
            .map(|c| screen_item_gb36600(c, s, options))
            .collect()
    };
    let items = against(site);
    let risk = worst(&items, gb36600::STANDARD);
    let other = against(match site {
        SiteClass::First => SiteClass::Second,
        SiteClass::Second => SiteClass::First,
    });
    let (first, second) = match site {
        SiteClass::First => (&items, &other),
        SiteClass::Second => (&other, &items),
    };
    let uses = uses_of(
        &worst(first, gb36600::STANDARD),
        &worst(second, gb36600::STANDARD),
    );
    let nemerow = nemerow_of(&items);
    ConstructionScreening {
        site,
        items,
        risk,
        uses,
        nemerow,
    }
}

/// The uses from the risks against each column. `Uses::of` never improves when either risk
/// worsens, so the ends of the two ranges give the ends of the uses' range.
fn uses_of(first: &Verdict<Risk>, second: &Verdict<Risk>) -> Verdict<Uses> {
    let (Some((b1, w1)), Some((b2, w2))) = (first.bounds(), second.bounds()) else {
        return Verdict::NoValue {
            reason: first.reason().unwrap_or("no item assessed").to_string(),
        };
    };
    Verdict::range(Uses::of(b1, b2), Uses::of(w1, w2), || {
        let mut why = Vec::new();
        for (label, v) in [("first-class land", first), ("second-class land", second)] {
            if let Some(r) = v.reason() {
                why.push(format!("{label}: {r}"));
            }
        }
        why.join("; ")
    })
}

fn worst<L: Level>(items: &[ItemResult<L>], standard: &str) -> Verdict<L> {
    Verdict::worst_of(items.iter().map(|i| (i.item.as_str(), &i.verdict))).unwrap_or_else(|| {
        let keys: Vec<&str> = items.iter().map(|i| i.item.as_str()).collect();
        Verdict::NoValue {
            reason: if keys.is_empty() {
                "not assessed: the sample has no contents".to_string()
            } else {
                format!(
                    "not assessed: no content of the sample has a {standard} value ({})",
                    keys.join(", ")
                )
            },
        }
    })
}

/// The Nemerow index over the items assessed; none when some assessed item has no Pi (no pH,
/// or a detection limit above the screening value), since an index over part of the items
/// would read as the sample's.
fn nemerow_of<L: Level>(items: &[ItemResult<L>]) -> NemerowOutcome {
    let assessed: Vec<&ItemResult<L>> = items
        .iter()
        .filter(|i| !matches!(i.verdict, Verdict::NoValue { .. }))
        .collect();
    let missing: Vec<String> = assessed
        .iter()
        .filter(|i| i.pi.is_none())
        .map(|i| match i.verdict.reason().or(i.note.as_deref()) {
            Some(r) => format!("{} ({r})", i.item),
            None => i.item.clone(),
        })
        .collect();
    if !missing.is_empty() {
        return NemerowOutcome::NotComputed {
            reason: format!("no Pi for {}", missing.join("; ")),
        };
    }
    match nemerow(
        assessed
            .iter()
            .filter_map(|i| i.pi.map(|p| (i.item.as_str(), p))),
    ) {
        Some(n) => NemerowOutcome::Computed(n),
        None => NemerowOutcome::NotComputed {
            reason: "no item assessed".to_string(),
        },
    }
}

/// Where a value lies against a screening value `s` and an upper value `u`: 0 at most `s`,
/// 1 above `s` and at most `u` (or above `s` with no `u`), 2 above `u`.
fn position(c: f64, s: f64, u: Option<f64>) -> usize {
    if c <= s {
        0
    } else if u.is_none_or(|u| c <= u) {
        1
    } else {
        2
    }
}

/// A value placed against limits: the positions it may take, with what follows.
struct Placement {
    best: usize,
    worst: usize,
    pi: Option<Pi>,
    exceedance_screening: Option<f64>,
    exceedance_upper: Option<f64>,
    /// Why `best` and `worst` differ.
    open: Option<String>,
}

fn place(value: Value, s: f64, u: Option<f64>) -> Placement {
    let top = if u.is_some() { 2 } else { 1 };
    let unknown = |why: String| Placement {
        best: 0,
        worst: top,
        pi: None,
        exceedance_screening: None,
        exceedance_upper: None,
        open: Some(why),
    };
    match value {
        Value::Measured { mg_kg: c } if !c.is_finite() || c < 0.0 => {
            unknown(format!("{c} mg/kg is not a content"))
        }
        Value::BelowDetection { limit_mg_kg: dl } if !dl.is_finite() || dl <= 0.0 => {
            unknown(format!("a detection limit of {dl} mg/kg is not a content"))
        }
        Value::Measured { mg_kg: c } => {
            let k = position(c, s, u);
            Placement {
                best: k,
                worst: k,
                pi: Some(Pi {
                    value: c / s,
                    at_most: false,
                }),
                exceedance_screening: (c > s).then(|| c / s - 1.0),
                exceedance_upper: u.filter(|&u| c > u).map(|u| c / u - 1.0),
                open: None,
            }
        }
        // The content is below `dl`: within `s` when `dl` is.
        Value::BelowDetection { limit_mg_kg: dl } if dl <= s => Placement {
            best: 0,
            worst: 0,
            pi: Some(Pi {
                value: dl / s,
                at_most: true,
            }),
            exceedance_screening: None,
            exceedance_upper: None,
            open: None,
        },
        Value::BelowDetection { limit_mg_kg: dl } => Placement {
            best: 0,
            worst: position(dl, s, u),
            pi: None,
            exceedance_screening: None,
            exceedance_upper: None,
            open: Some(format!(
                "below a detection limit of {dl} mg/kg, above the screening value of {s} mg/kg"
            )),
        },
    }
}

fn no_value<L>(content: &Content, reason: String) -> ItemResult<L> {
    ItemResult {
        item: content.item.clone(),
        name_en: None,
        name_zh: None,
        value: content.value,
        limits: None,
        pi: None,
        exceedance_screening: None,
        exceedance_upper: None,
        verdict: Verdict::NoValue { reason },
        note: None,
    }
}

/// Screens one content on agricultural land of class `land`, at soil pH `ph`.
pub fn screen_item_gb15618(
    content: &Content,
    land: LandClass,
    ph: Option<f64>,
) -> ItemResult<Category> {
    let standard = gb15618::STANDARD;
    let Some(item) = gb15618::Item::parse(&content.item) else {
        return no_value(
            content,
            format!("not assessed: {standard} has no value for {}", content.item),
        );
    };
    if !land.is_agricultural() {
        return no_value(
            content,
            format!(
                "not assessed: {standard} is for agricultural land, not {}",
                land.code()
            ),
        );
    }
    const LEVELS: [Category; 3] = [
        Category::PriorityProtection,
        Category::SafeUtilisation,
        Category::StrictControl,
    ];
    let band = ph.and_then(PhBand::of);
    let no_control = |c: &ItemResult<Category>| {
        (c.exceedance_screening.is_some() && c.limits.as_ref().is_some_and(|l| l.upper.is_none()))
            .then(|| {
                format!(
                    "{standard} has no control value for {}: safe utilisation at worst",
                    content.item
                )
            })
    };
    if let Some(limits) = gb15618::limits(item, land, band) {
        let mut r = assessed(content, limits, LEVELS);
        r.name_en = Some(item.name_en());
        r.name_zh = Some(item.name_zh());
        r.note = no_control(&r);
        return r;
    }
    // A pH-dependent item without a band: screened in every band.
    let why_no_ph = match ph {
        None => "pH not measured".to_string(),
        Some(p) => format!("pH {p} is not a pH"),
    };
    let per_band: Vec<(PhBand, Verdict<Category>)> = PhBand::ALL
        .into_iter()
        .filter_map(|b| {
            let limits = gb15618::limits(item, land, Some(b))?;
            Some((b, assessed(content, limits, LEVELS).verdict))
        })
        .collect();
    let best = per_band
        .iter()
        .filter_map(|(_, v)| v.bounds())
        .map(|b| b.0)
        .min();
    let worst = per_band
        .iter()
        .filter_map(|(_, v)| v.bounds())
        .map(|b| b.1)
        .max();
    let (Some(best), Some(worst)) = (best, worst) else {
        return no_value(content, format!("not assessed: {why_no_ph}"));
    };
    let verdict = Verdict::range(best, worst, || {
        let each: Vec<String> = per_band
            .iter()
            .map(|(b, v)| match v.bounds() {
                Some((lo, hi)) if lo == hi => format!("{} {}", b.label(), lo.name_en()),
                Some((lo, hi)) => format!("{} {} to {}", b.label(), lo.name_en(), hi.name_en()),
                None => format!("{} not assessed", b.label()),
            })
            .collect();
        format!(
            "{why_no_ph}, and the verdict depends on the pH band: {}",
            each.join("; ")
        )
    });
    let note = verdict.level().map(|_| {
        format!(
            "{why_no_ph}: the verdict is the same in every pH band, so it does not depend on it"
        )
    });
    ItemResult {
        item: content.item.clone(),
        name_en: Some(item.name_en()),
        name_zh: Some(item.name_zh()),
        value: content.value,
        limits: None,
        pi: None,
        exceedance_screening: None,
        exceedance_upper: None,
        verdict,
        note,
    }
}

/// Screens one content on construction land of class `site`.
pub fn screen_item_gb36600(
    content: &Content,
    site: SiteClass,
    options: &ScreenOptions,
) -> ItemResult<Risk> {
    let Some(row) = gb36600::row(&content.item) else {
        return no_value(content, gb36600::no_value_reason(&content.item));
    };
    const LEVELS: [Risk; 3] = [
        Risk::Negligible,
        Risk::InvestigateAndAssess,
        Risk::ControlOrRemediation,
    ];
    let limits = row.limits(site);
    let s = limits.screening.mg_kg;
    let mut r = assessed(content, limits, LEVELS);
    r.name_en = Some(row.name_en);
    r.name_zh = Some(row.name_zh);
    let background = options
        .arsenic_background_mg_kg
        .filter(|b| row.background_note && b.is_finite() && *b >= 0.0);
    if let (Some(bg), Some((best, worst))) = (background, r.verdict.bounds()) {
        // Note ①: the highest the content can be decides whether it is within the background.
        let highest = match content.value {
            Value::Measured { mg_kg } => mg_kg,
            Value::BelowDetection { limit_mg_kg } => limit_mg_kg,
        };
        if worst > Risk::Negligible && highest <= bg {
            let within = |k: Risk| k.min(Risk::WithinBackground);
            let reason = r.verdict.reason().unwrap_or_default().to_string();
            r.verdict = Verdict::range(within(best), within(worst), || reason);
            r.note = Some(format!(
                "above the screening value of {s} mg/kg, at most the local background of {bg} \
                 mg/kg ({} Table 1 note ①): not managed as contaminated land",
                gb36600::STANDARD
            ));
        }
    }
    r
}

/// A content placed against its limits, the verdict in the standard's levels.
fn assessed<L: Level>(content: &Content, limits: Limits, levels: [L; 3]) -> ItemResult<L> {
    let s = limits.screening.mg_kg;
    let u = limits.upper.as_ref().map(|l| l.mg_kg);
    let p = place(content.value, s, u);
    let (best, worst) = (levels[p.best], levels[p.worst]);
    let verdict = Verdict::range(best, worst, || {
        format!(
            "{}: {} to {}, not decidable",
            p.open.clone().unwrap_or_default(),
            best.name_en(),
            worst.name_en()
        )
    });
    ItemResult {
        item: content.item.clone(),
        name_en: None,
        name_zh: None,
        value: content.value,
        limits: Some(limits),
        pi: p.pi,
        exceedance_screening: p.exceedance_screening,
        exceedance_upper: p.exceedance_upper,
        verdict,
        note: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gb15618::{RowLand, TABLE1, TABLE2, TABLE3};
    use crate::gb36600::TABLE;
    use crate::limit::LimitKind;

    const AGRICULTURAL: [LandClass; 4] = [
        LandClass::Paddy,
        LandClass::PaddyUplandRotation,
        LandClass::Orchard,
        LandClass::OtherFarmland,
    ];
    /// A pH inside each band.
    const MID: [f64; 4] = [5.0, 6.0, 7.0, 8.0];

    fn measured(item: &str, mg_kg: f64) -> Content {
        Content {
            item: item.to_string(),
            value: Value::Measured { mg_kg },
            source_unit: None,
        }
    }

    fn below(item: &str, limit_mg_kg: f64) -> Content {
        Content {
            item: item.to_string(),
            value: Value::BelowDetection { limit_mg_kg },
            source_unit: None,
        }
    }

    fn sample(land: Option<LandClass>, ph: Option<f64>, contents: Vec<Content>) -> Sample {
        Sample {
            id: "S1".to_string(),
            x: None,
            y: None,
            crs: "local grid, m".to_string(),
            depth: Some("0-20 cm".to_string()),
            land_use: None,
            land_class: land,
            soil_type: None,
            topography: None,
            district: None,
            plot: None,
            date: None,
            ph,
            contents,
            file: "t.csv".to_string(),
            line: 2,
        }
    }

    fn cat(item: &str, v: f64, land: LandClass, ph: f64) -> Category {
        let r = screen_item_gb15618(&measured(item, v), land, Some(ph));
        r.verdict.level().unwrap_or_else(|| panic!("{r:?}"))
    }

    fn risk(item: &str, v: f64, site: SiteClass) -> Risk {
        let r = screen_item_gb36600(&measured(item, v), site, &ScreenOptions::default());
        r.verdict.level().unwrap_or_else(|| panic!("{r:?}"))
    }

    use Category::{PriorityProtection as PP, SafeUtilisation as SU, StrictControl as SC};

    #[test]
    fn gb15618_by_hand() {
        // Cd on paddy land: pH 5.5 is the band ≤ 5.5 (0.3); 5.5000001 the next (0.4).
        assert_eq!(cat("Cd", 0.3, LandClass::Paddy, 5.5), PP);
        assert_eq!(cat("Cd", 0.35, LandClass::Paddy, 5.5), SU);
        assert_eq!(cat("Cd", 0.35, LandClass::Paddy, 5.500_000_1), PP);
        assert_eq!(cat("Cd", 0.4, LandClass::Paddy, 6.0), PP);
        assert_eq!(cat("Cd", 0.400_001, LandClass::Paddy, 6.0), SU);
        // Control value 2.0 at 5.5 < pH ≤ 6.5: equal is safe utilisation, above strict control.
        assert_eq!(cat("Cd", 2.0, LandClass::Paddy, 6.0), SU);
        assert_eq!(cat("Cd", 2.000_001, LandClass::Paddy, 6.0), SC);
        assert_eq!(cat("Cd", 2.000_001, LandClass::Paddy, 6.6), SU);
        // Copper has no control value: 10 000 mg/kg is safe utilisation, with a note.
        let cu = screen_item_gb15618(&measured("Cu", 10_000.0), LandClass::Orchard, Some(7.0));
        assert_eq!(cu.verdict.level(), Some(SU));
        assert_eq!(cu.limits.as_ref().unwrap().screening.mg_kg, 200.0);
        assert_eq!(cu.exceedance_screening, Some(49.0));
        assert_eq!(cu.exceedance_upper, None);
        assert_eq!(
            cu.note.as_deref(),
            Some("GB 15618—2018 has no control value for Cu: safe utilisation at worst")
        );
        // Rotation: lead 75 at pH 5 is above the stricter "other" value 70.
        assert_eq!(cat("Pb", 75.0, LandClass::PaddyUplandRotation, 5.0), SU);
        assert_eq!(cat("Pb", 75.0, LandClass::Paddy, 5.0), PP);
        // Table 2 items: one value, whatever the pH.
        assert_eq!(cat("50-32-8", 0.55, LandClass::OtherFarmland, 4.0), PP);
        assert_eq!(cat("50-32-8", 0.56, LandClass::OtherFarmland, 9.0), SU);
        assert_eq!(cat("DDT", 1000.0, LandClass::Paddy, 9.0), SU);
        // Exceedance multiples: Pb 1000 on paddy at pH 6: 1000/100 − 1 = 9; 1000/500 − 1 = 1.
        let pb = screen_item_gb15618(&measured("Pb", 1000.0), LandClass::Paddy, Some(6.0));
        assert_eq!(pb.verdict.level(), Some(SC));
        assert_eq!(pb.pi.unwrap().value, 10.0);
        assert_eq!(pb.exceedance_screening, Some(9.0));
        assert_eq!(pb.exceedance_upper, Some(1.0));
        assert_eq!(pb.limits.unwrap().upper.unwrap().kind, LimitKind::Control);
        // Items without a value in the standard.
        let sb = screen_item_gb15618(&measured("Sb", 1.0), LandClass::Paddy, Some(6.0));
        assert_eq!(
            sb.verdict,
            Verdict::NoValue {
                reason: "not assessed: GB 15618—2018 has no value for Sb".to_string()
            }
        );
    }

    /// Every Table 1 cell, for every land class that reads it: at the screening value priority
    /// protection, just above it safe utilisation; at the control value safe utilisation, just
    /// above strict control. Items without a control value stay in safe utilisation.
    #[test]
    fn every_gb15618_limit_both_sides() {
        let mut checked = 0;
        for land in AGRICULTURAL {
            for item in gb15618::Item::ALL {
                for band in PhBand::ALL {
                    let ph = MID[band.index()];
                    let key = item.key();
                    let l = gb15618::limits(item, land, Some(band)).unwrap();
                    let s = l.screening.mg_kg;
                    assert_eq!(cat(key, s, land, ph), PP, "{key} {land:?} {band:?} at {s}");
                    let at = |v: f64| screen_item_gb15618(&measured(key, v), land, Some(ph));
                    assert_eq!(at(s).exceedance_screening, None, "{key} at {s}");
                    assert!(at(s.next_up()).exceedance_screening.unwrap() > 0.0);
                    assert_eq!(cat(key, s.next_up(), land, ph), SU, "{key} above {s}");
                    match l.upper {
                        Some(u) => {
                            let u = u.mg_kg;
                            assert_eq!(cat(key, u, land, ph), SU, "{key} at control {u}");
                            assert_eq!(at(u).exceedance_upper, None, "{key} at {u}");
                            assert!(at(u.next_up()).exceedance_upper.unwrap() > 0.0);
                            assert_eq!(cat(key, u.next_up(), land, ph), SC, "{key} above {u}");
                        }
                        None => assert_eq!(cat(key, 1e12, land, ph), SU, "{key}"),
                    }
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 4 * 11 * 4);
        // And every cell of the tables is some land's limit in the check above.
        for r in TABLE1 {
            let land = match r.land {
                RowLand::Paddy => LandClass::Paddy,
                RowLand::Orchard => LandClass::Orchard,
                _ => LandClass::OtherFarmland,
            };
            for band in PhBand::ALL {
                let l = gb15618::limits(r.item, land, Some(band)).unwrap();
                assert_eq!(l.screening.mg_kg, r.mg_kg[band.index()]);
            }
        }
        for r in TABLE3 {
            for band in PhBand::ALL {
                let l = gb15618::limits(r.item, LandClass::Paddy, Some(band)).unwrap();
                assert_eq!(l.upper.unwrap().mg_kg, r.mg_kg[band.index()]);
            }
        }
        assert_eq!(TABLE2.len(), 3);
    }

    /// At each pH edge the lower band's values apply, just above it the upper band's, for every
    /// item and land class; the verdict follows the value of the band.
    #[test]
    fn every_ph_edge_both_sides() {
        for land in AGRICULTURAL {
            for item in gb15618::Item::ALL
                .into_iter()
                .filter(|i| i.is_ph_dependent())
            {
                for (k, edge) in PhBand::EDGES.into_iter().enumerate() {
                    let lower = gb15618::limits(item, land, Some(PhBand::ALL[k])).unwrap();
                    let upper = gb15618::limits(item, land, Some(PhBand::ALL[k + 1])).unwrap();
                    for (ph, l) in [(edge, &lower), (edge.next_up(), &upper)] {
                        let r = screen_item_gb15618(
                            &measured(item.key(), l.screening.mg_kg),
                            land,
                            Some(ph),
                        );
                        assert_eq!(r.limits.as_ref(), Some(l), "{item:?} {land:?} pH {ph}");
                        assert_eq!(r.verdict.level(), Some(PP));
                        assert_eq!(
                            cat(item.key(), l.screening.mg_kg.next_up(), land, ph),
                            SU,
                            "{item:?} {land:?} pH {ph}"
                        );
                    }
                    // The lower band's value, read in the upper band, where they differ.
                    let (s0, s1) = (lower.screening.mg_kg, upper.screening.mg_kg);
                    let expect = if s0 <= s1 { PP } else { SU };
                    assert_eq!(cat(item.key(), s0, land, edge.next_up()), expect);
                }
            }
        }
    }

    #[test]
    fn gb15618_without_ph() {
        let at =
            |item: &str, v: f64| screen_item_gb15618(&measured(item, v), LandClass::Paddy, None);
        // Cd 0.2 is under every band's screening value (lowest 0.3): decided, with a note.
        let low = at("Cd", 0.2);
        assert_eq!(low.verdict.level(), Some(PP));
        assert!(low.note.unwrap().contains("the same in every pH band"));
        assert_eq!((low.limits, low.pi), (None, None));
        // Cd 0.35: above 0.3 (pH ≤ 5.5), under 0.4 (above): not decidable.
        let mid = at("Cd", 0.35);
        assert_eq!(
            mid.verdict,
            Verdict::NotDecidable {
                best: PP,
                worst: SU,
                reason: "pH not measured, and the verdict depends on the pH band: pH ≤ 5.5 \
                         safe utilisation; 5.5 < pH ≤ 6.5 priority protection; 6.5 < pH ≤ 7.5 \
                         priority protection; pH > 7.5 priority protection"
                    .to_string()
            }
        );
        // Cd 1.8 paddy: safe utilisation above pH 5.5 (control 2.0), strict control below.
        assert_eq!(at("Cd", 1.8).verdict.bounds(), Some((SU, SC)));
        // Above the highest control value (4.0) in every band: strict control.
        assert_eq!(at("Cd", 4.01).verdict.level(), Some(SC));
        // Copper above every screening value, no control value: safe utilisation.
        assert_eq!(at("Cu", 100.01).verdict.level(), Some(SU));
        assert_eq!(at("Cu", 100.0).verdict.bounds(), Some((PP, SU)));
        // Table 2 needs no pH.
        assert_eq!(at("HCH", 0.1).pi.unwrap().value, 1.0);
        // A pH that is not one is treated as absent, and says so.
        let bad = screen_item_gb15618(&measured("Cd", 0.35), LandClass::Paddy, Some(15.0));
        assert!(
            bad.verdict
                .reason()
                .unwrap()
                .starts_with("pH 15 is not a pH")
        );
    }

    #[test]
    fn below_detection() {
        let r = |c: Content| screen_item_gb15618(&c, LandClass::Paddy, Some(6.0));
        // Limit 0.1 under the screening value 0.4: priority protection, Pi < 0.25.
        let a = r(below("Cd", 0.1));
        assert_eq!(a.verdict.level(), Some(PP));
        assert_eq!(
            a.pi,
            Some(Pi {
                value: 0.25,
                at_most: true
            })
        );
        // Limit equal to the screening value: still surely within it, Pi < 1.
        let at = r(below("Cd", 0.4));
        assert_eq!(at.verdict.level(), Some(PP));
        assert_eq!(
            at.pi,
            Some(Pi {
                value: 1.0,
                at_most: true
            })
        );
        // Limit 0.5 above 0.4: not decidable, and no number.
        let b = r(below("Cd", 0.5));
        assert_eq!(
            b.verdict,
            Verdict::NotDecidable {
                best: PP,
                worst: SU,
                reason: "below a detection limit of 0.5 mg/kg, above the screening value of \
                         0.4 mg/kg: priority protection to safe utilisation, not decidable"
                    .to_string()
            }
        );
        assert_eq!((b.pi, b.exceedance_screening), (None, None));
        // Limit 2.5 above the control value 2.0: anything.
        assert_eq!(r(below("Cd", 2.5)).verdict.bounds(), Some((PP, SC)));
        // Invalid numbers are no verdict either.
        assert_eq!(r(measured("Cd", -1.0)).verdict.bounds(), Some((PP, SC)));
        assert_eq!(r(measured("Cd", f64::NAN)).verdict.bounds(), Some((PP, SC)));
        assert_eq!(r(below("Cu", 0.0)).verdict.bounds(), Some((PP, SU)));
    }

    #[test]
    fn a_sample_worked_by_hand() {
        // Paddy, pH 6.0: Cd 0.6 (S 0.4, Pi 1.5, control 2.0), Pb 50 (S 100, Pi 0.5),
        // As 15 (S 30, Pi 0.5), Fe (no value). Category: safe utilisation (Cd).
        // Nemerow: mean 5/6, max 1.5, P = √((25/36 + 9/4)/2) = √(106/72) = 1.2133516…, slight.
        let s = sample(
            Some(LandClass::Paddy),
            Some(6.0),
            vec![
                measured("Cd", 0.6),
                measured("Pb", 50.0),
                measured("As", 15.0),
                measured("Fe", 30_000.0),
            ],
        );
        let Outcome::Gb15618(a) = screen(&s, &ScreenOptions::default()).outcome else {
            panic!()
        };
        assert_eq!(a.ph_band, Some(PhBand::Over5_5To6_5));
        assert_eq!(a.category, Verdict::Decided { level: SU });
        let n = a.nemerow.computed().unwrap();
        assert!((n.p - 1.213_351_648_213_419_7).abs() < 1e-12, "{}", n.p);
        assert_eq!(n.items, 3);
        assert_eq!(n.max_item, "Cd");
        assert!((a.items[0].exceedance_screening.unwrap() - 0.5).abs() < 1e-12);
        assert!(matches!(a.items[3].verdict, Verdict::NoValue { .. }));
        // An undecided item does not matter when another is already in strict control...
        let s2 = sample(
            Some(LandClass::Paddy),
            Some(6.0),
            vec![below("Cd", 2.5), measured("Pb", 600.0)],
        );
        let Outcome::Gb15618(b) = screen(&s2, &ScreenOptions::default()).outcome else {
            panic!()
        };
        assert_eq!(b.category, Verdict::Decided { level: SC });
        assert!(matches!(b.nemerow, NemerowOutcome::NotComputed { .. }));
        // ...and leaves the sample open when it could make it worse.
        let s3 = sample(
            Some(LandClass::Paddy),
            Some(6.0),
            vec![below("Cd", 0.5), measured("Pb", 50.0)],
        );
        let Outcome::Gb15618(c) = screen(&s3, &ScreenOptions::default()).outcome else {
            panic!()
        };
        assert_eq!(c.category.bounds(), Some((PP, SU)));
        assert!(
            c.category
                .reason()
                .unwrap()
                .contains("Cd: below a detection limit")
        );
        assert_eq!(
            c.nemerow,
            NemerowOutcome::NotComputed {
                reason: "no Pi for Cd (below a detection limit of 0.5 mg/kg, above the \
                         screening value of 0.4 mg/kg: priority protection to safe \
                         utilisation, not decidable)"
                    .to_string()
            }
        );
        // No item of the standard at all.
        let s4 = sample(Some(LandClass::Paddy), Some(6.0), vec![measured("Fe", 1.0)]);
        let Outcome::Gb15618(d) = screen(&s4, &ScreenOptions::default()).outcome else {
            panic!()
        };
        assert_eq!(
            d.category,
            Verdict::NoValue {
                reason: "not assessed: no content of the sample has a GB 15618—2018 value (Fe)"
                    .to_string()
            }
        );
    }

    #[test]
    fn land_class_unknown() {
        let mut s = sample(None, Some(6.0), vec![measured("Cd", 0.1)]);
        assert_eq!(
            screen(&s, &ScreenOptions::default()).outcome,
            Outcome::NotScreened {
                reason: "not screened: land class unknown".to_string()
            }
        );
        s.land_use = Some("Meadow".to_string());
        assert_eq!(
            screen(&s, &ScreenOptions::default()).outcome,
            Outcome::NotScreened {
                reason: "not screened: land class unknown (the land use \"Meadow\" is mapped to \
                         no class)"
                    .to_string()
            }
        );
    }

    use Risk::{
        ControlOrRemediation as CR, InvestigateAndAssess as IA, Negligible as NG,
        WithinBackground as WB,
    };

    /// Every GB 36600 row, both columns: at the screening value negligible, above it investigate
    /// (or, where the intervention value equals it, control or remediation); at the
    /// intervention value investigate, above it control or remediation.
    #[test]
    fn every_gb36600_limit_both_sides() {
        for row in TABLE {
            for site in SiteClass::ALL {
                let (s, u) = (row.screening[site.index()], row.intervention[site.index()]);
                let k = row.key;
                assert_eq!(risk(k, s, site), NG, "{k} {site:?} at {s}");
                let above = if s < u { IA } else { CR };
                assert_eq!(risk(k, s.next_up(), site), above, "{k} {site:?} above {s}");
                if s < u {
                    assert_eq!(risk(k, u, site), IA, "{k} {site:?} at {u}");
                }
                assert_eq!(risk(k, u.next_up(), site), CR, "{k} {site:?} above {u}");
            }
        }
        // By hand: 1,1,1-trichloroethane, second class, 840 / 840.
        assert_eq!(risk("71-55-6", 840.0, SiteClass::Second), NG);
        assert_eq!(risk("71-55-6", 841.0, SiteClass::Second), CR);
        assert_eq!(risk("71-55-6", 800.0, SiteClass::First), IA);
        assert_eq!(risk("Pb", 400.0, SiteClass::First), NG);
        assert_eq!(risk("Pb", 401.0, SiteClass::First), IA);
        assert_eq!(risk("Pb", 800.0, SiteClass::First), IA);
        assert_eq!(risk("Pb", 801.0, SiteClass::First), CR);
        assert_eq!(risk("7440-43-9", 65.0, SiteClass::Second), NG);
        assert_eq!(risk("C10-C40", 4500.1, SiteClass::Second), IA);
    }

    #[test]
    fn gb36600_items_without_value_and_exceedances() {
        let opts = ScreenOptions::default();
        let zn = screen_item_gb36600(&measured("Zn", 5000.0), SiteClass::First, &opts);
        assert_eq!(
            zn.verdict,
            Verdict::NoValue {
                reason: "not assessed: GB 36600—2018 has no value for Zn".to_string()
            }
        );
        assert_eq!(zn.limits, None);
        let cr = screen_item_gb36600(&measured("Cr", 5000.0), SiteClass::First, &opts);
        assert!(cr.verdict.reason().unwrap().contains("total chromium"));
        // Benzene 20 on first-class land: S 1, U 10 → Pi 20, 19 over S, 1 over U.
        let b = screen_item_gb36600(&measured("71-43-2", 20.0), SiteClass::First, &opts);
        assert_eq!(b.verdict.level(), Some(CR));
        assert_eq!(b.pi.unwrap().value, 20.0);
        assert_eq!(b.exceedance_screening, Some(19.0));
        assert_eq!(b.exceedance_upper, Some(1.0));
        assert_eq!(b.name_zh, Some("苯"));
        let u = b.limits.unwrap().upper.unwrap();
        assert_eq!((u.kind, u.mg_kg), (LimitKind::Intervention, 10.0));
        // Unconfirmed rows say so in the limit.
        let n = screen_item_gb36600(&measured("91-20-3", 1.0), SiteClass::First, &opts);
        assert!(!n.limits.unwrap().screening.confirmed);
    }

    #[test]
    fn arsenic_background_note() {
        let bg = |b: f64| ScreenOptions {
            arsenic_background_mg_kg: Some(b),
        };
        let a = |v: Value, o: &ScreenOptions| {
            let c = Content {
                item: "As".to_string(),
                value: v,
                source_unit: None,
            };
            screen_item_gb36600(&c, SiteClass::First, o)
        };
        let m = |v| Value::Measured { mg_kg: v };
        // As 50 > 20 (first-class S): within a background of 60, above one of 40.
        let w = a(m(50.0), &bg(60.0));
        assert_eq!(w.verdict.level(), Some(WB));
        assert!(w.note.unwrap().contains("note ①"));
        assert_eq!(a(m(50.0), &bg(50.0)).verdict.level(), Some(WB));
        assert_eq!(a(m(50.0), &bg(49.9)).verdict.level(), Some(IA));
        assert_eq!(
            a(m(50.0), &ScreenOptions::default()).verdict.level(),
            Some(IA)
        );
        // Above the intervention value 120, within a background of 150.
        assert_eq!(a(m(130.0), &bg(150.0)).verdict.level(), Some(WB));
        // Under the screening value the background changes nothing.
        let n = a(m(10.0), &bg(150.0));
        assert_eq!((n.verdict.level(), n.note), (Some(NG), None));
        // Below a detection limit of 30 (> 20), background 40: negligible or within background.
        assert_eq!(
            a(Value::BelowDetection { limit_mg_kg: 30.0 }, &bg(40.0))
                .verdict
                .bounds(),
            Some((NG, WB))
        );
        // Only arsenic carries the note.
        let cd = screen_item_gb36600(&measured("Cd", 30.0), SiteClass::First, &bg(100.0));
        assert_eq!(cd.verdict.level(), Some(IA));
    }

    #[test]
    fn uses_of_construction_land() {
        let uses = |land, v: f64| {
            let s = sample(
                Some(land),
                None,
                vec![measured("As", v), measured("Zn", 1e6)],
            );
            let Outcome::Gb36600(c) = screen(&s, &ScreenOptions::default()).outcome else {
                panic!()
            };
            (c.risk.level().unwrap(), c.uses.level().unwrap())
        };
        let (f, s) = (LandClass::ConstructionFirst, LandClass::ConstructionSecond);
        // Second-class site passing first-class screening: either use.
        assert_eq!(uses(s, 20.0), (NG, Uses::FirstOrSecondClass));
        // Passing second-class screening only.
        assert_eq!(uses(s, 30.0), (NG, Uses::SecondClassOnly));
        assert_eq!(uses(s, 60.0), (NG, Uses::SecondClassOnly));
        assert_eq!(uses(s, 61.0), (IA, Uses::NotBeforeAssessment));
        assert_eq!(uses(s, 141.0), (CR, Uses::NotBeforeAssessment));
        // First-class site above its own screening value but within the second-class one.
        assert_eq!(uses(f, 30.0), (IA, Uses::SecondClassOnly));
        assert_eq!(uses(f, 20.0), (NG, Uses::FirstOrSecondClass));
        // A detection limit of 30: passes the second-class column, open for the first.
        let s5 = sample(
            Some(s),
            None,
            vec![below("As", 30.0), measured("Pb", 100.0)],
        );
        let Outcome::Gb36600(c) = screen(&s5, &ScreenOptions::default()).outcome else {
            panic!()
        };
        assert_eq!(c.risk.level(), Some(NG));
        assert_eq!(
            c.uses.bounds(),
            Some((Uses::FirstOrSecondClass, Uses::SecondClassOnly))
        );
        assert!(c.uses.reason().unwrap().starts_with("first-class land: "));
    }

    #[test]
    fn results_serialise() {
        let s = sample(
            Some(LandClass::Paddy),
            Some(6.0),
            vec![measured("Cd", 0.6), below("Pb", 10.0)],
        );
        let j = serde_json::to_value(screen(&s, &ScreenOptions::default())).unwrap();
        assert_eq!(j["outcome"]["standard"], "gb15618");
        assert_eq!(j["outcome"]["category"]["kind"], "decided");
        assert_eq!(j["outcome"]["category"]["level"], "safe_utilisation");
        let cd = &j["outcome"]["items"][0];
        assert_eq!(cd["limits"]["screening"]["mg_kg"], 0.4);
        assert_eq!(cd["limits"]["screening"]["column"], "5.5 < pH ≤ 6.5");
        assert_eq!(cd["limits"]["upper"]["kind"], "control");
        assert_eq!(j["outcome"]["items"][1]["pi"]["at_most"], true);
        assert_eq!(j["outcome"]["nemerow"]["kind"], "computed");
    }

    proptest::proptest! {
        /// More of an item never gives a better category or risk; Pi is C / S.
        #[test]
        fn verdicts_are_monotone(
            a in 0.0f64..2000.0,
            b in 0.0f64..2000.0,
            scale in proptest::sample::select(vec![0.001, 0.01, 1.0]),
            k in 0usize..11,
            l in 0usize..4,
            ph in 3.0f64..10.0,
            row in 0usize..52,
        ) {
            let (lo, hi) = if a <= b { (a * scale, b * scale) } else { (b * scale, a * scale) };
            let item = gb15618::Item::ALL[k].key();
            let land = AGRICULTURAL[l];
            proptest::prop_assert!(cat(item, lo, land, ph) <= cat(item, hi, land, ph));
            let r = screen_item_gb15618(&measured(item, hi), land, Some(ph));
            let s = r.limits.unwrap().screening.mg_kg;
            proptest::prop_assert_eq!(r.pi.unwrap().value, hi / s);
            let key = TABLE[row].key;
            for site in SiteClass::ALL {
                proptest::prop_assert!(risk(key, lo, site) <= risk(key, hi, site));
            }
            // Without pH, the verdict's range holds every band's verdict.
            let none = screen_item_gb15618(&measured(item, hi), land, None);
            let (best, worst) = none.verdict.bounds().unwrap();
            let here = cat(item, hi, land, ph);
            proptest::prop_assert!(best <= here && here <= worst);
        }
    }
}
