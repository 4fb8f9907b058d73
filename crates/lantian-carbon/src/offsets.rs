//! Offsets a unit surrenders: which count, and which break a cap.
//!
//! Beijing's offset rules (《北京市碳排放权抵消管理办法》, 2014): offsets cover at most 5 % of the
//! year's allocation; CCER from projects outside Beijing at most 2.5 % of it; at least half of
//! the offsets used come from Beijing projects. Nothing is dropped: every tonne surrendered is
//! either counted or refused with its reason.

use crate::scheme::{Confirmation, Scheme, SchemeId};
use serde::Serialize;

/// The standard an offset credit was issued under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OffsetKind {
    /// China Certified Emission Reduction (国家核证自愿减排量).
    Ccer,
    /// Beijing-approved forestry carbon sink (林业碳汇).
    BeijingForestry,
    /// Beijing-approved energy-saving project (节能项目).
    BeijingEnergySaving,
    /// Beijing carbon-inclusion reduction (碳普惠), usable from 2025.
    CarbonInclusion,
    /// Verra's Verified Carbon Standard (VCU).
    Verra,
    /// Gold Standard (VER).
    GoldStandard,
    /// Kyoto CDM credit (CER).
    Cer,
    /// Kyoto Joint Implementation credit (ERU).
    Eru,
}

impl OffsetKind {
    pub fn id(self) -> &'static str {
        match self {
            OffsetKind::Ccer => "ccer",
            OffsetKind::BeijingForestry => "beijing-forestry",
            OffsetKind::BeijingEnergySaving => "beijing-energy-saving",
            OffsetKind::CarbonInclusion => "carbon-inclusion",
            OffsetKind::Verra => "verra",
            OffsetKind::GoldStandard => "gold-standard",
            OffsetKind::Cer => "cer",
            OffsetKind::Eru => "eru",
        }
    }

    pub const ALL: [OffsetKind; 8] = [
        OffsetKind::Ccer,
        OffsetKind::BeijingForestry,
        OffsetKind::BeijingEnergySaving,
        OffsetKind::CarbonInclusion,
        OffsetKind::Verra,
        OffsetKind::GoldStandard,
        OffsetKind::Cer,
        OffsetKind::Eru,
    ];

    /// The kind named by its id (`ccer`, `beijing-forestry`, …).
    pub fn parse(s: &str) -> Option<OffsetKind> {
        OffsetKind::ALL
            .into_iter()
            .find(|k| k.id() == s.trim().to_ascii_lowercase())
    }

    /// The first year a scheme accepts this kind, `None` if it never does.
    pub fn accepted_from(self, scheme: SchemeId) -> Option<i32> {
        match (scheme, self) {
            (SchemeId::Beijing, OffsetKind::Ccer)
            | (SchemeId::Beijing, OffsetKind::BeijingForestry)
            | (SchemeId::Beijing, OffsetKind::BeijingEnergySaving) => Some(2014),
            // MEEB Q&A 2025-07-10: registered carbon-inclusion reductions may offset from 2025.
            (SchemeId::Beijing, OffsetKind::CarbonInclusion) => Some(2025),
            (SchemeId::ChinaNational, OffsetKind::Ccer) => Some(2019),
            _ => None,
        }
    }
}

/// Where a credit's project is, relative to the market's region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "origin", content = "region", rename_all = "snake_case")]
pub enum Origin {
    InRegion,
    OutsideRegion(String),
}

/// A parcel of offset credits surrendered for a compliance year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Offset {
    pub kind: OffsetKind,
    pub origin: Origin,
    /// The year the reductions happened.
    pub vintage: i32,
    pub project: String,
    pub tonnes: f64,
}

/// Why (part of) a parcel does not count.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Refusal {
    /// The scheme does not accept this kind of credit in this year.
    NotAccepted { kind: OffsetKind },
    /// The reductions happened after the compliance year.
    FutureVintage { vintage: i32 },
    /// The tonnes are negative or not finite.
    BadQuantity,
    /// Beyond the cap on all offsets (a share of the allocation).
    AboveCap { cap_t: f64 },
    /// Beyond the cap on credits from outside the region.
    AboveOutsideRegionCap { cap_t: f64 },
    /// Beyond what the minimum in-region share allows from outside the region.
    BelowInRegionShare { min_share: f64 },
    /// The credits were already retired or cancelled in their registry.
    NoLongerHeld {
        status: CreditStatus,
        date: Option<String>,
    },
}

/// Where a batch of credits stands in its registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CreditStatus {
    Issued,
    Retired,
    Cancelled,
}

/// A batch of credits as a registry lists it (one serial range).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreditBatch {
    pub kind: OffsetKind,
    pub project_id: String,
    pub project_name: String,
    pub country: String,
    pub project_type: String,
    /// First and last year of the reductions (a vintage may span years).
    pub vintage_first: i32,
    pub vintage_last: i32,
    pub quantity: f64,
    pub serial: String,
    pub status: CreditStatus,
    /// Retirement or cancellation date, as published.
    pub status_date: Option<String>,
    /// Who the credits were retired for, as published.
    pub beneficiary: Option<String>,
}

/// Whether a batch could be surrendered in `scheme` for `year`, and every reason it cannot.
///
/// The origin is judged by country only: the registries name the project's country, not its
/// province, so a Chinese project counts as outside Beijing unless the caller knows better.
pub fn eligibility(scheme: &Scheme, year: i32, batch: &CreditBatch) -> Vec<Refusal> {
    let mut why = Vec::new();
    if batch.status != CreditStatus::Issued {
        why.push(Refusal::NoLongerHeld {
            status: batch.status,
            date: batch.status_date.clone(),
        });
    }
    if scheme.offset_rule(year).is_none()
        || batch
            .kind
            .accepted_from(scheme.id)
            .is_none_or(|from| year < from)
    {
        why.push(Refusal::NotAccepted { kind: batch.kind });
    }
    if batch.vintage_last > year {
        why.push(Refusal::FutureVintage {
            vintage: batch.vintage_last,
        });
    }
    if !batch.quantity.is_finite() || batch.quantity < 0.0 {
        why.push(Refusal::BadQuantity);
    }
    why
}

/// One parcel's outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParcelOutcome {
    /// Index of the parcel in the surrender.
    pub index: usize,
    pub counted_t: f64,
    pub refused_t: f64,
    pub refusal: Option<Refusal>,
}

/// Offsets checked against a scheme's caps for one unit and year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapCheck {
    pub surrendered_t: f64,
    pub counted_t: f64,
    pub refused_t: f64,
    /// The caps in tonnes for this allocation (`None`: no such cap).
    pub cap_t: Option<f64>,
    pub outside_region_cap_t: Option<f64>,
    pub parcels: Vec<ParcelOutcome>,
    pub confirmation: Option<Confirmation>,
}

/// Check the offsets a unit surrendered for `year` against its allocation of that year.
///
/// In-region credits are counted first (the in-region share limits what may come from outside),
/// then outside-region credits, each in the order surrendered; a parcel that crosses a cap is
/// split into a counted and a refused part.
pub fn check_offsets(
    scheme: &Scheme,
    year: i32,
    allocation_t: f64,
    offsets: &[Offset],
) -> CapCheck {
    let rule = scheme.offset_rule(year);
    let cap_t = rule.map(|r| r.cap_share * allocation_t.max(0.0));
    let outside_cap_t = rule
        .and_then(|r| r.outside_region_cap_share)
        .map(|s| s * allocation_t.max(0.0));
    let min_share = rule.and_then(|r| r.min_in_region_share);
    let mut outcomes: Vec<Option<ParcelOutcome>> = vec![None; offsets.len()];
    let refuse = |index: usize, tonnes: f64, refusal: Refusal| ParcelOutcome {
        index,
        counted_t: 0.0,
        refused_t: tonnes.max(0.0),
        refusal: Some(refusal),
    };
    let mut eligible = Vec::new();
    for (i, o) in offsets.iter().enumerate() {
        let outcome = if !o.tonnes.is_finite() || o.tonnes < 0.0 {
            Some(refuse(i, 0.0, Refusal::BadQuantity))
        } else if rule.is_none()
            || o.kind
                .accepted_from(scheme.id)
                .is_none_or(|from| year < from)
        {
            Some(refuse(i, o.tonnes, Refusal::NotAccepted { kind: o.kind }))
        } else if o.vintage > year {
            Some(refuse(
                i,
                o.tonnes,
                Refusal::FutureVintage { vintage: o.vintage },
            ))
        } else {
            eligible.push(i);
            None
        };
        outcomes[i] = outcome;
    }
    let mut counted = 0.0;
    let mut in_region = 0.0;
    let mut outside = 0.0;
    let inside_first = eligible
        .iter()
        .copied()
        .filter(|&i| offsets[i].origin == Origin::InRegion)
        .chain(
            eligible
                .iter()
                .copied()
                .filter(|&i| offsets[i].origin != Origin::InRegion),
        );
    for i in inside_first {
        let o = &offsets[i];
        let cap = cap_t.unwrap_or(0.0);
        // The binding limit, the most specific reason first on a tie.
        let mut limits = Vec::with_capacity(3);
        if o.origin != Origin::InRegion {
            if let Some(oc) = outside_cap_t {
                limits.push((
                    (oc - outside).max(0.0),
                    Refusal::AboveOutsideRegionCap { cap_t: oc },
                ));
            }
            if let Some(m) = min_share.filter(|m| *m > 0.0) {
                // outside / (inside + outside) ≤ 1 − m  ⇔  outside ≤ inside × (1 − m) / m
                let r = (in_region * (1.0 - m) / m - outside).max(0.0);
                limits.push((r, Refusal::BelowInRegionShare { min_share: m }));
            }
        }
        limits.push(((cap - counted).max(0.0), Refusal::AboveCap { cap_t: cap }));
        let (room, refusal) = limits
            .into_iter()
            .reduce(|best, l| if l.0 < best.0 { l } else { best })
            .expect("the overall cap is always a limit");
        let take = o.tonnes.min(room);
        counted += take;
        if o.origin == Origin::InRegion {
            in_region += take;
        } else {
            outside += take;
        }
        let rest = o.tonnes - take;
        outcomes[i] = Some(ParcelOutcome {
            index: i,
            counted_t: take,
            refused_t: rest,
            refusal: (rest > 0.0).then_some(refusal),
        });
    }
    let parcels: Vec<ParcelOutcome> = outcomes.into_iter().flatten().collect();
    CapCheck {
        surrendered_t: offsets
            .iter()
            .map(|o| o.tonnes)
            .filter(|t| t.is_finite() && *t > 0.0)
            .sum(),
        counted_t: counted,
        refused_t: parcels.iter().map(|p| p.refused_t).sum(),
        cap_t,
        outside_region_cap_t: outside_cap_t,
        parcels,
        confirmation: rule.map(|r| r.confirmation),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheme::{BEIJING, CHINA_NATIONAL, EU_ETS};

    fn parcel(kind: OffsetKind, inside: bool, tonnes: f64) -> Offset {
        Offset {
            kind,
            origin: if inside {
                Origin::InRegion
            } else {
                Origin::OutsideRegion("Hebei".into())
            },
            vintage: 2019,
            project: "p".into(),
            tonnes,
        }
    }

    // Allocation 100,000 t: the cap is 5,000 t, outside Beijing 2,500 t.
    const ALLOC: f64 = 100_000.0;

    #[test]
    fn five_percent_cap_at_its_boundary() {
        let at = check_offsets(
            &BEIJING,
            2020,
            ALLOC,
            &[parcel(OffsetKind::Ccer, true, 5_000.0)],
        );
        assert_eq!((at.counted_t, at.refused_t), (5_000.0, 0.0));
        assert_eq!(at.cap_t, Some(5_000.0));
        let over = check_offsets(
            &BEIJING,
            2020,
            ALLOC,
            &[parcel(OffsetKind::Ccer, true, 5_001.0)],
        );
        assert_eq!((over.counted_t, over.refused_t), (5_000.0, 1.0));
        assert_eq!(
            over.parcels[0].refusal,
            Some(Refusal::AboveCap { cap_t: 5_000.0 })
        );
        // Split across parcels: the second crosses the cap.
        let two = check_offsets(
            &BEIJING,
            2020,
            ALLOC,
            &[
                parcel(OffsetKind::Ccer, true, 3_000.0),
                parcel(OffsetKind::BeijingForestry, true, 2_500.0),
            ],
        );
        assert_eq!(two.parcels[1].counted_t, 2_000.0);
        assert_eq!(two.parcels[1].refused_t, 500.0);
        assert_eq!(two.surrendered_t, two.counted_t + two.refused_t);
    }

    #[test]
    fn outside_region_cap_and_local_share() {
        // 2,500 t from outside with 2,500 t from Beijing: both caps exactly met.
        let ok = check_offsets(
            &BEIJING,
            2020,
            ALLOC,
            &[
                parcel(OffsetKind::Ccer, false, 2_500.0),
                parcel(OffsetKind::Ccer, true, 2_500.0),
            ],
        );
        assert_eq!((ok.counted_t, ok.refused_t), (5_000.0, 0.0));
        // One tonne more from outside: refused by the 2.5 % cap.
        let over = check_offsets(
            &BEIJING,
            2020,
            ALLOC,
            &[
                parcel(OffsetKind::Ccer, false, 2_501.0),
                parcel(OffsetKind::Ccer, true, 2_500.0),
            ],
        );
        assert_eq!(over.refused_t, 1.0);
        assert_eq!(
            over.parcels[0].refusal,
            Some(Refusal::AboveOutsideRegionCap { cap_t: 2_500.0 })
        );
        // Outside credits need as many from Beijing (≥ 50 % local): 1,000 local allow 1,000 outside.
        let share = check_offsets(
            &BEIJING,
            2020,
            ALLOC,
            &[
                parcel(OffsetKind::Ccer, false, 1_500.0),
                parcel(OffsetKind::Ccer, true, 1_000.0),
            ],
        );
        assert_eq!(share.parcels[0].counted_t, 1_000.0);
        assert_eq!(
            share.parcels[0].refusal,
            Some(Refusal::BelowInRegionShare { min_share: 0.5 })
        );
        // Nothing from Beijing: nothing from outside counts.
        let none = check_offsets(
            &BEIJING,
            2020,
            ALLOC,
            &[parcel(OffsetKind::Ccer, false, 10.0)],
        );
        assert_eq!(none.counted_t, 0.0);
    }

    #[test]
    fn registry_batches_and_their_reasons() {
        let batch = CreditBatch {
            kind: OffsetKind::Ccer,
            project_id: "1".into(),
            project_name: "p".into(),
            country: "China".into(),
            project_type: "wind".into(),
            vintage_first: 2022,
            vintage_last: 2023,
            quantity: 100.0,
            serial: "s".into(),
            status: CreditStatus::Issued,
            status_date: None,
            beneficiary: None,
        };
        assert!(eligibility(&BEIJING, 2023, &batch).is_empty());
        assert_eq!(
            eligibility(&BEIJING, 2022, &batch),
            vec![Refusal::FutureVintage { vintage: 2023 }]
        );
        let retired = CreditBatch {
            kind: OffsetKind::Verra,
            status: CreditStatus::Retired,
            status_date: Some("2026-04-10".into()),
            ..batch.clone()
        };
        assert_eq!(
            eligibility(&BEIJING, 2024, &retired),
            vec![
                Refusal::NoLongerHeld {
                    status: CreditStatus::Retired,
                    date: Some("2026-04-10".into())
                },
                Refusal::NotAccepted {
                    kind: OffsetKind::Verra
                }
            ]
        );
    }

    #[test]
    fn kinds_years_and_vintages() {
        let v = check_offsets(
            &BEIJING,
            2020,
            ALLOC,
            &[parcel(OffsetKind::Verra, true, 10.0)],
        );
        assert_eq!(
            v.parcels[0].refusal,
            Some(Refusal::NotAccepted {
                kind: OffsetKind::Verra
            })
        );
        let ci = |y| {
            check_offsets(
                &BEIJING,
                y,
                ALLOC,
                &[parcel(OffsetKind::CarbonInclusion, true, 10.0)],
            )
        };
        assert_eq!(ci(2024).counted_t, 0.0);
        assert_eq!(ci(2025).counted_t, 10.0);
        let mut future = parcel(OffsetKind::Ccer, true, 10.0);
        future.vintage = 2021;
        let f = check_offsets(&BEIJING, 2020, ALLOC, &[future]);
        assert_eq!(
            f.parcels[0].refusal,
            Some(Refusal::FutureVintage { vintage: 2021 })
        );
        // National market: 5 % and no regional rule.
        let n = check_offsets(
            &CHINA_NATIONAL,
            2021,
            ALLOC,
            &[parcel(OffsetKind::Ccer, false, 5_000.0)],
        );
        assert_eq!(n.counted_t, 5_000.0);
        // The EU table has no offset rule: nothing counts, nothing is lost.
        let eu = check_offsets(&EU_ETS, 2010, ALLOC, &[parcel(OffsetKind::Cer, false, 7.0)]);
        assert_eq!((eu.counted_t, eu.refused_t), (0.0, 7.0));
    }
}
