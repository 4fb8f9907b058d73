//! A unit's books: allocation, surrenders, the compliance balance, shortfall and penalty.
//!
//! The compliance balance is what the unit surrendered (allowances, and the offsets that count)
//! minus its verified emissions, cumulative within a trading phase; at a phase boundary the
//! scheme's [`Carry`] rule decides what crosses (in the EU ETS a shortfall does, Directive
//! 2003/87/EC Art. 16(3): paying the penalty does not release the operator from surrendering).
//! A unit is compliant for a year when its balance after that year's surrender is zero or more.

use crate::emissions::Emissions;
use crate::offsets::{CapCheck, Offset, check_offsets};
use crate::scheme::{Carry, Confirmation, PenaltyRule, Scheme};
use serde::Serialize;

/// One unit's figures for one compliance year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitYear {
    pub year: i32,
    pub emissions: Emissions,
    /// Allowances given free for the year.
    pub free_allocation_t: f64,
    /// Allowances bought at auction for the year.
    pub auctioned_t: f64,
    /// Allowances surrendered for the year (offsets apart).
    pub surrendered_t: f64,
    /// Offset credits surrendered for the year.
    pub offsets: Vec<Offset>,
}

impl UnitYear {
    pub fn new(year: i32, emissions: Emissions) -> Self {
        UnitYear {
            year,
            emissions,
            free_allocation_t: 0.0,
            auctioned_t: 0.0,
            surrendered_t: 0.0,
            offsets: Vec::new(),
        }
    }

    pub fn allocation_t(&self) -> f64 {
        self.free_allocation_t + self.auctioned_t
    }
}

/// A unit's standing for one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ComplianceStatus {
    /// Balance zero or more after the year's surrender.
    Compliant,
    /// Balance below zero: the shortfall is owed.
    Shortfall,
    /// No verified emissions by the deadline: compliance cannot be judged.
    NotReported,
    /// Excluded from the system for the year.
    Excluded,
    /// Not in the system (nothing published, nothing surrendered).
    NotInSystem,
}

/// The penalty for a year's new shortfall.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PenaltyDue {
    /// Tonnes penalised: the shortfall that arose this year (a carried one was penalised when it
    /// arose).
    pub tonnes: f64,
    /// The amount, or its range where the authority chooses within one (low = high otherwise);
    /// `None` when the rule needs a market price that was not given.
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub currency: &'static str,
    pub confirmation: Confirmation,
}

/// The books of one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Compliance {
    pub year: i32,
    pub emissions: Emissions,
    pub allocation_t: f64,
    /// Allowances plus the offsets that count.
    pub surrendered_t: f64,
    pub offsets: CapCheck,
    /// Balance carried in from the previous year (after the phase rule).
    pub carried_in_t: f64,
    /// Balance after this year: surrendered minus emissions, cumulative within the phase.
    pub balance_t: f64,
    pub status: ComplianceStatus,
    pub shortfall_t: f64,
    pub penalty: Option<PenaltyDue>,
    /// Allocation received minus allowances surrendered, cumulative: a surplus banked (above
    /// zero) or allowances the unit must have bought (below zero).
    pub net_allowances_t: f64,
}

/// Something in the books a reader must see; nothing was dropped because of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "finding", rename_all = "snake_case")]
pub enum Finding {
    /// Allowances or offsets surrendered for a year whose emissions are not verified: kept in the
    /// balance as a surplus until they are.
    SurrenderBeforeVerification {
        year: i32,
        surrendered_t: f64,
        emissions: Emissions,
    },
    /// Offsets surrendered that do not count (cap, kind, vintage): they stay in the books as
    /// surrendered, not as compliance.
    OffsetsRefused { year: i32, refused_t: f64 },
}

/// Figures the books cannot take.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BookError {
    #[error("year {0} appears twice in the unit's books")]
    DuplicateYear(i32),
    #[error("year {year}: {field} is {value}; it must be a number of tonnes, zero or more")]
    BadQuantity {
        year: i32,
        field: &'static str,
        value: f64,
    },
    #[error("year {0} is outside every trading phase of {1}")]
    NoPhase(i32, &'static str),
}

/// What the caller may set beyond the scheme's table.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Options {
    /// Replaces the scheme's penalty rule for every year.
    pub penalty: Option<PenaltyRule>,
    /// Market price per tonne, for rules that are a multiple of it.
    pub price_per_t: Option<f64>,
}

/// Apply a phase boundary's rule to the balance brought in.
pub fn carry(balance_t: f64, rule: Carry) -> f64 {
    match rule {
        Carry::Nothing => 0.0,
        Carry::DeficitOnly => balance_t.min(0.0),
        Carry::All => balance_t,
    }
}

/// The unit's books, year by year, under `scheme`.
pub fn comply(
    scheme: &Scheme,
    years: &[UnitYear],
    options: Options,
) -> Result<(Vec<Compliance>, Vec<Finding>), BookError> {
    let mut sorted: Vec<&UnitYear> = years.iter().collect();
    sorted.sort_by_key(|y| y.year);
    if let Some(w) = sorted.windows(2).find(|w| w[0].year == w[1].year) {
        return Err(BookError::DuplicateYear(w[0].year));
    }
    for y in &sorted {
        for (field, value) in [
            ("free allocation", y.free_allocation_t),
            ("auctioned allocation", y.auctioned_t),
            ("surrendered allowances", y.surrendered_t),
        ] {
            if !value.is_finite() || value < 0.0 {
                return Err(BookError::BadQuantity {
                    year: y.year,
                    field,
                    value,
                });
            }
        }
    }
    let mut out = Vec::with_capacity(sorted.len());
    let mut findings = Vec::new();
    let mut balance = 0.0;
    let mut net = 0.0;
    // The period the balance belongs to: (phase, year within a yearly phase).
    let mut last_period: Option<(i32, i32)> = None;
    for y in sorted {
        let phase = scheme
            .phase(y.year)
            .ok_or(BookError::NoPhase(y.year, scheme.name))?;
        let period = (
            phase.first_year,
            if phase.yearly_carry.is_some() {
                y.year
            } else {
                0
            },
        );
        if last_period != Some(period) {
            balance = match (last_period, phase.yearly_carry) {
                (None, _) => 0.0,
                (Some((p, _)), Some(rule)) if p == phase.first_year => carry(balance, rule),
                (Some(_), _) => carry(balance, phase.carry_in),
            };
            last_period = Some(period);
        }
        let carried_in = balance;
        let offsets = check_offsets(scheme, y.year, y.allocation_t(), &y.offsets);
        if offsets.refused_t > 0.0 {
            findings.push(Finding::OffsetsRefused {
                year: y.year,
                refused_t: offsets.refused_t,
            });
        }
        let surrendered = y.surrendered_t + offsets.counted_t;
        if surrendered > 0.0 && !matches!(y.emissions, Emissions::Verified(_)) {
            findings.push(Finding::SurrenderBeforeVerification {
                year: y.year,
                surrendered_t: surrendered,
                emissions: y.emissions,
            });
        }
        balance += surrendered - y.emissions.obligation();
        net += y.allocation_t() - y.surrendered_t;
        let shortfall = (-balance).max(0.0);
        let status = match y.emissions {
            Emissions::Verified(_) if balance >= 0.0 => ComplianceStatus::Compliant,
            Emissions::Verified(_) => ComplianceStatus::Shortfall,
            Emissions::NotReported => ComplianceStatus::NotReported,
            Emissions::Excluded => ComplianceStatus::Excluded,
            Emissions::Missing if surrendered > 0.0 => ComplianceStatus::NotReported,
            Emissions::Missing => ComplianceStatus::NotInSystem,
        };
        let new_shortfall = (shortfall - (-carried_in).max(0.0)).max(0.0);
        let penalty = (status == ComplianceStatus::Shortfall && new_shortfall > 0.0)
            .then(|| penalty_due(scheme, y.year, new_shortfall, options))
            .flatten();
        out.push(Compliance {
            year: y.year,
            emissions: y.emissions,
            allocation_t: y.allocation_t(),
            surrendered_t: surrendered,
            offsets,
            carried_in_t: carried_in,
            balance_t: balance,
            status,
            shortfall_t: shortfall,
            penalty,
            net_allowances_t: net,
        });
    }
    Ok((out, findings))
}

fn penalty_due(scheme: &Scheme, year: i32, tonnes: f64, options: Options) -> Option<PenaltyDue> {
    let table = scheme.penalty(year);
    let rule = options.penalty.or(table.map(|p| p.rule))?;
    let confirmation = if options.penalty.is_some() {
        Confirmation::Confirmed
    } else {
        table.map_or(Confirmation::Unconfirmed, |p| p.confirmation)
    };
    let (low, high, currency) = match rule {
        PenaltyRule::PerTonne { amount, currency } => {
            (Some(amount * tonnes), Some(amount * tonnes), currency)
        }
        PenaltyRule::PriceMultiple {
            low,
            high,
            currency,
        } => match options.price_per_t {
            Some(p) => (Some(low * p * tonnes), Some(high * p * tonnes), currency),
            None => (None, None, currency),
        },
        PenaltyRule::Fine {
            low,
            high,
            currency,
        } => (Some(low), Some(high), currency),
    };
    Some(PenaltyDue {
        tonnes,
        low,
        high,
        currency,
        confirmation,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offsets::{OffsetKind, Origin};
    use crate::scheme::{BEIJING, EU_ETS};

    fn year(y: i32, e: f64, surrendered: f64) -> UnitYear {
        UnitYear {
            surrendered_t: surrendered,
            free_allocation_t: 1_000.0,
            ..UnitYear::new(y, Emissions::Verified(e))
        }
    }

    #[test]
    fn cumulative_balance_and_shortfall_by_hand() {
        // EU phase 2: 2008 surplus 50, 2009 short 80 → −30 (shortfall 30, penalised 30 × €100),
        // 2010 covers 40 more than emitted → +10, compliant.
        let (b, _) = comply(
            &EU_ETS,
            &[
                year(2008, 1_000.0, 1_050.0),
                year(2009, 1_000.0, 920.0),
                year(2010, 1_000.0, 1_040.0),
            ],
            Options::default(),
        )
        .unwrap();
        assert_eq!(
            b.iter().map(|c| c.balance_t).collect::<Vec<_>>(),
            vec![50.0, -30.0, 10.0]
        );
        assert_eq!(b[1].status, ComplianceStatus::Shortfall);
        assert_eq!(b[1].shortfall_t, 30.0);
        let p = b[1].penalty.unwrap();
        assert_eq!((p.tonnes, p.low, p.currency), (30.0, Some(3_000.0), "EUR"));
        assert_eq!(b[2].status, ComplianceStatus::Compliant);
        assert_eq!(b[2].penalty, None);
        // Net allowances: allocation 3,000 − surrendered 3,010 = −10 (bought).
        assert_eq!(b[2].net_allowances_t, -10.0);
    }

    #[test]
    fn carried_shortfall_is_penalised_once() {
        // 2011 short 100, 2012 short 50 more: only the new 50 is penalised in 2012.
        let (b, _) = comply(
            &EU_ETS,
            &[year(2011, 500.0, 400.0), year(2012, 500.0, 450.0)],
            Options::default(),
        )
        .unwrap();
        assert_eq!(b[1].shortfall_t, 150.0);
        assert_eq!(b[1].penalty.unwrap().tonnes, 50.0);
    }

    #[test]
    fn yearly_settlement_carries_only_a_shortfall() {
        // Beijing settles each year: a 2020 surplus does not help 2021; a 2021 shortfall is owed
        // in 2022.
        let (b, _) = comply(
            &BEIJING,
            &[
                year(2020, 100.0, 150.0),
                year(2021, 100.0, 90.0),
                year(2022, 100.0, 100.0),
            ],
            Options::default(),
        )
        .unwrap();
        assert_eq!(
            b.iter().map(|c| c.balance_t).collect::<Vec<_>>(),
            vec![50.0, -10.0, -10.0]
        );
        assert_eq!(b[1].carried_in_t, 0.0);
        assert_eq!(b[2].status, ComplianceStatus::Shortfall);
        assert_eq!(b[2].penalty, None); // penalised in 2021
    }

    #[test]
    fn phase_boundaries_carry_shortfall_not_surplus() {
        // End of 2012 at +200: the surplus does not cross into 2013. End of 2012 at −70: it does.
        let (b, _) = comply(
            &EU_ETS,
            &[year(2012, 800.0, 1_000.0), year(2013, 500.0, 500.0)],
            Options::default(),
        )
        .unwrap();
        assert_eq!((b[1].carried_in_t, b[1].balance_t), (0.0, 0.0));
        let (b, _) = comply(
            &EU_ETS,
            &[year(2012, 1_070.0, 1_000.0), year(2013, 500.0, 500.0)],
            Options::default(),
        )
        .unwrap();
        assert_eq!((b[1].carried_in_t, b[1].balance_t), (-70.0, -70.0));
        assert_eq!(b[1].status, ComplianceStatus::Shortfall);
        // Phase 1 → 2: the EU phase table carries the shortfall too.
        let (b, _) = comply(
            &EU_ETS,
            &[year(2007, 100.0, 90.0), year(2008, 100.0, 100.0)],
            Options::default(),
        )
        .unwrap();
        assert_eq!(b[1].balance_t, -10.0);
        assert_eq!(b[0].penalty.unwrap().low, Some(400.0)); // €40 a tonne in 2005–2007
    }

    #[test]
    fn states_and_findings() {
        let mut nr = UnitYear::new(2009, Emissions::NotReported);
        nr.surrendered_t = 300.0;
        let (b, f) = comply(&EU_ETS, &[year(2008, 100.0, 100.0), nr], Options::default()).unwrap();
        assert_eq!(b[1].status, ComplianceStatus::NotReported);
        assert_eq!(b[1].balance_t, 300.0); // kept, not lost
        assert_eq!(
            f,
            vec![Finding::SurrenderBeforeVerification {
                year: 2009,
                surrendered_t: 300.0,
                emissions: Emissions::NotReported
            }]
        );
        let err = comply(
            &EU_ETS,
            &[year(2009, 1.0, 1.0), year(2009, 2.0, 2.0)],
            Options::default(),
        );
        assert_eq!(err.unwrap_err(), BookError::DuplicateYear(2009));
        let mut neg = year(2010, 1.0, 1.0);
        neg.surrendered_t = -5.0;
        let e = comply(&EU_ETS, &[neg], Options::default()).unwrap_err();
        assert!(
            e.to_string().contains("surrendered allowances is -5"),
            "{e}"
        );
        assert!(matches!(
            comply(&EU_ETS, &[year(2004, 1.0, 1.0)], Options::default()),
            Err(BookError::NoPhase(..))
        ));
    }

    #[test]
    fn offsets_above_cap_count_only_to_the_cap() {
        // Beijing 2020: allocation 1,000 t → offsets up to 50 t count; 60 t surrendered.
        let mut y = year(2020, 1_000.0, 950.0);
        y.offsets.push(Offset {
            kind: OffsetKind::Ccer,
            origin: Origin::InRegion,
            vintage: 2019,
            project: "x".into(),
            tonnes: 60.0,
        });
        let (b, f) = comply(
            &BEIJING,
            &[y],
            Options {
                price_per_t: Some(100.0),
                ..Options::default()
            },
        )
        .unwrap();
        assert_eq!(b[0].surrendered_t, 1_000.0);
        assert_eq!(b[0].status, ComplianceStatus::Compliant);
        assert_eq!(
            f,
            vec![Finding::OffsetsRefused {
                year: 2020,
                refused_t: 10.0
            }]
        );
        // 40 t of offsets and 950 allowances: 10 t short; 3–5 × CNY 100 a tonne.
        let mut y = year(2020, 1_000.0, 950.0);
        y.offsets.push(Offset {
            kind: OffsetKind::Ccer,
            origin: Origin::InRegion,
            vintage: 2019,
            project: "x".into(),
            tonnes: 40.0,
        });
        let (b, _) = comply(
            &BEIJING,
            &[y],
            Options {
                price_per_t: Some(100.0),
                ..Options::default()
            },
        )
        .unwrap();
        let p = b[0].penalty.unwrap();
        assert_eq!(
            (p.tonnes, p.low, p.high),
            (10.0, Some(3_000.0), Some(5_000.0))
        );
        assert_eq!(p.confirmation, Confirmation::Unconfirmed);
    }
}
