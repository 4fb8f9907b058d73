//! The rules of each emissions-trading scheme, as data.
//!
//! Every rule carries its years, its source and whether it is confirmed: a rule marked
//! [`Confirmation::Unconfirmed`] is what is believed but not read in a primary text, and every
//! figure computed with it says so. A new rule year is a new row, not new code.

use serde::Serialize;

/// The schemes Lantian knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SchemeId {
    /// Beijing's carbon market (北京碳市场), a pilot since 2013.
    Beijing,
    /// China's national carbon market (全国碳排放权交易市场), power sector first.
    ChinaNational,
    /// The EU Emissions Trading System.
    EuEts,
}

impl SchemeId {
    pub const ALL: [SchemeId; 3] = [SchemeId::Beijing, SchemeId::ChinaNational, SchemeId::EuEts];

    pub fn id(self) -> &'static str {
        match self {
            SchemeId::Beijing => "beijing",
            SchemeId::ChinaNational => "china-national",
            SchemeId::EuEts => "eu-ets",
        }
    }

    pub fn parse(s: &str) -> Option<SchemeId> {
        SchemeId::ALL.into_iter().find(|id| id.id() == s)
    }

    pub fn scheme(self) -> &'static Scheme {
        match self {
            SchemeId::Beijing => &BEIJING,
            SchemeId::ChinaNational => &CHINA_NATIONAL,
            SchemeId::EuEts => &EU_ETS,
        }
    }
}

/// How well a rule is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Confirmation {
    /// Read in the text (or in two or more sources that quote it).
    Confirmed,
    /// Believed (one secondary source or memory), not read in a primary text.
    Unconfirmed,
}

/// What emissions count towards the coverage threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Direct emissions and indirect emissions of purchased electricity and heat.
    DirectAndIndirect,
    /// Direct emissions only.
    Direct,
    /// Coverage is by activity and capacity (e.g. combustion above 20 MW thermal input), not by
    /// tonnes; the threshold, if any, is the one below which a small emitter may be left out.
    Activity,
}

/// The coverage rule of a span of years.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CoverageRule {
    pub first_year: i32,
    /// Last year of the rule, `None` while in force.
    pub last_year: Option<i32>,
    /// A unit at or above this many tonnes a year must join (≥, not >).
    pub threshold_t: f64,
    pub scope: Scope,
    pub source: &'static str,
    pub confirmation: Confirmation,
}

/// Whether a balance crosses into a new trading phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Carry {
    /// The phase starts at zero.
    Nothing,
    /// A shortfall is still owed in the new phase; a surplus does not carry (it is banked as
    /// allowances in the holding account, outside the compliance balance).
    DeficitOnly,
    /// The whole balance carries.
    All,
}

/// A trading phase (period): the compliance balance is cumulative within it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Phase {
    pub first_year: i32,
    pub last_year: i32,
    /// What the balance at the end of the previous phase brings in.
    pub carry_in: Carry,
    /// `None`: the balance is cumulative over the phase. `Some(rule)`: each year is settled on
    /// its own, and `rule` says what one year's balance brings into the next.
    pub yearly_carry: Option<Carry>,
    pub source: &'static str,
    pub confirmation: Confirmation,
}

/// The offset rule of a span of years; shares are of the unit's yearly allocation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OffsetRule {
    pub first_year: i32,
    pub last_year: Option<i32>,
    /// Offsets may cover at most this share of the year's allocation (0.05 = 5 %).
    pub cap_share: f64,
    /// Offsets from projects outside the region: at most this share of the allocation.
    pub outside_region_cap_share: Option<f64>,
    /// At least this share of the offsets used must come from projects in the region.
    pub min_in_region_share: Option<f64>,
    pub source: &'static str,
    pub confirmation: Confirmation,
}

/// What a shortfall costs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PenaltyRule {
    /// A fixed amount per tonne not covered.
    PerTonne { amount: f64, currency: &'static str },
    /// A multiple of the market price per tonne not covered (a range the authority chooses in).
    PriceMultiple {
        low: f64,
        high: f64,
        currency: &'static str,
    },
    /// A fine in a range, whatever the shortfall.
    Fine {
        low: f64,
        high: f64,
        currency: &'static str,
    },
}

/// The penalty of a span of years.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Penalty {
    pub first_year: i32,
    pub last_year: Option<i32>,
    pub rule: PenaltyRule,
    /// Paying does not release the unit from surrendering the missing allowances.
    pub shortfall_still_owed: bool,
    pub source: &'static str,
    pub confirmation: Confirmation,
}

/// A scheme's rules.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Scheme {
    pub id: SchemeId,
    pub name: &'static str,
    pub name_zh: &'static str,
    pub coverage: &'static [CoverageRule],
    pub phases: &'static [Phase],
    pub offsets: &'static [OffsetRule],
    pub penalties: &'static [Penalty],
}

fn in_span(year: i32, first: i32, last: Option<i32>) -> bool {
    year >= first && last.is_none_or(|l| year <= l)
}

impl Scheme {
    pub fn coverage_rule(&self, year: i32) -> Option<&CoverageRule> {
        self.coverage
            .iter()
            .find(|r| in_span(year, r.first_year, r.last_year))
    }

    pub fn phase(&self, year: i32) -> Option<&Phase> {
        self.phases
            .iter()
            .find(|p| year >= p.first_year && year <= p.last_year)
    }

    pub fn offset_rule(&self, year: i32) -> Option<&OffsetRule> {
        self.offsets
            .iter()
            .find(|r| in_span(year, r.first_year, r.last_year))
    }

    pub fn penalty(&self, year: i32) -> Option<&Penalty> {
        self.penalties
            .iter()
            .find(|r| in_span(year, r.first_year, r.last_year))
    }
}

const BJ_DRC_2015: &str = "Beijing DRC notice on key emitters, 2015-12-26 (as carried by carbon-market news sites); \
     standards/beijing-programs.md §4";
const BJ_OFFSETS_2014: &str =
    "《北京市碳排放权抵消管理办法》 (2014), two news summaries; standards/beijing-programs.md §4";

/// Beijing's market: 10,000 t of direct and indirect CO2 until 2015, 5,000 t from 2016;
/// offsets at most 5 % of the year's allocation, CCER from outside Beijing at most 2.5 %, at
/// least half from Beijing projects.
pub static BEIJING: Scheme = Scheme {
    id: SchemeId::Beijing,
    name: "Beijing carbon emissions trading market",
    name_zh: "北京市碳排放权交易市场",
    coverage: &[
        CoverageRule {
            first_year: 2013,
            last_year: Some(2015),
            threshold_t: 10_000.0,
            scope: Scope::DirectAndIndirect,
            source: BJ_DRC_2015,
            confirmation: Confirmation::Confirmed,
        },
        CoverageRule {
            first_year: 2016,
            last_year: None,
            threshold_t: 5_000.0,
            scope: Scope::DirectAndIndirect,
            source: BJ_DRC_2015,
            confirmation: Confirmation::Confirmed,
        },
    ],
    // Compliance is yearly. Whether a shortfall is still owed the next year (the national
    // measures deduct it from the next allocation) is believed, not read.
    phases: &[Phase {
        first_year: 2013,
        last_year: 2100,
        carry_in: Carry::Nothing,
        yearly_carry: Some(Carry::DeficitOnly),
        source: "yearly compliance; deficit carried as in the national measures (believed)",
        confirmation: Confirmation::Unconfirmed,
    }],
    offsets: &[
        OffsetRule {
            first_year: 2014,
            last_year: Some(2023),
            cap_share: 0.05,
            outside_region_cap_share: Some(0.025),
            min_in_region_share: Some(0.5),
            source: BJ_OFFSETS_2014,
            confirmation: Confirmation::Confirmed,
        },
        // 京环发〔2024〕16号 kept offsets and added carbon-inclusion credits; whether it keeps
        // the 5 % and 2.5 % caps is not confirmed.
        OffsetRule {
            first_year: 2024,
            last_year: None,
            cap_share: 0.05,
            outside_region_cap_share: Some(0.025),
            min_in_region_share: Some(0.5),
            source: "京环发〔2024〕16号 (2024-09-29): caps assumed unchanged",
            confirmation: Confirmation::Unconfirmed,
        },
    ],
    penalties: &[
        Penalty {
            first_year: 2013,
            last_year: Some(2023),
            rule: PenaltyRule::PriceMultiple {
                low: 3.0,
                high: 5.0,
                currency: "CNY",
            },
            shortfall_still_owed: false,
            source: "pilot-era rules: 3–5 × the average market price per tonne short (one source)",
            confirmation: Confirmation::Unconfirmed,
        },
        Penalty {
            first_year: 2024,
            last_year: None,
            rule: PenaltyRule::PriceMultiple {
                low: 5.0,
                high: 10.0,
                currency: "CNY",
            },
            shortfall_still_owed: true,
            source: "国务院令第775号 (in force 2024-05-01): 5–10 × the average price (memory)",
            confirmation: Confirmation::Unconfirmed,
        },
    ],
};

/// China's national market (power sector first).
pub static CHINA_NATIONAL: Scheme = Scheme {
    id: SchemeId::ChinaNational,
    name: "China national carbon emissions trading market",
    name_zh: "全国碳排放权交易市场",
    coverage: &[CoverageRule {
        first_year: 2019,
        last_year: None,
        threshold_t: 26_000.0,
        scope: Scope::DirectAndIndirect,
        source: "MEE: key emitters of covered sectors at 26,000 t CO2e a year (about 10,000 tce of energy)",
        confirmation: Confirmation::Unconfirmed,
    }],
    // 2019–2020 and 2021–2022 were settled as two-year cycles, yearly from 2023.
    phases: &[
        Phase {
            first_year: 2019,
            last_year: 2020,
            carry_in: Carry::Nothing,
            yearly_carry: None,
            source: "first compliance cycle (2019–2020)",
            confirmation: Confirmation::Unconfirmed,
        },
        Phase {
            first_year: 2021,
            last_year: 2022,
            carry_in: Carry::DeficitOnly,
            yearly_carry: None,
            source: "second compliance cycle (2021–2022); shortfall deducted from the next allocation",
            confirmation: Confirmation::Unconfirmed,
        },
        Phase {
            first_year: 2023,
            last_year: 2100,
            carry_in: Carry::DeficitOnly,
            yearly_carry: None,
            source: "yearly compliance from 2023",
            confirmation: Confirmation::Unconfirmed,
        },
    ],
    offsets: &[OffsetRule {
        first_year: 2019,
        last_year: None,
        cap_share: 0.05,
        outside_region_cap_share: None,
        min_in_region_share: None,
        source: "《碳排放权交易管理办法（试行）》 (MEE, in force 2021-02-01): CCER ≤ 5 % of the allowances to surrender",
        confirmation: Confirmation::Confirmed,
    }],
    penalties: &[
        Penalty {
            first_year: 2019,
            last_year: Some(2023),
            rule: PenaltyRule::Fine {
                low: 20_000.0,
                high: 30_000.0,
                currency: "CNY",
            },
            shortfall_still_owed: true,
            source: "《碳排放权交易管理办法（试行）》 art. 40: fine, and the shortfall deducted from the next allocation (memory)",
            confirmation: Confirmation::Unconfirmed,
        },
        Penalty {
            first_year: 2024,
            last_year: None,
            rule: PenaltyRule::PriceMultiple {
                low: 5.0,
                high: 10.0,
                currency: "CNY",
            },
            shortfall_still_owed: true,
            source: "《碳排放权交易管理暂行条例》 (国务院令第775号, in force 2024-05-01) (memory)",
            confirmation: Confirmation::Unconfirmed,
        },
    ],
};

const EU_DIRECTIVE: &str = "Directive 2003/87/EC";

/// The EU ETS: coverage by activity (Annex I), cumulative compliance within a trading period,
/// €40 a tonne short in 2005–2007 and €100 from 2008 (indexed from 2013), the shortfall still
/// owed (Art. 16(3)). Carries between periods are what the EU Transaction Log's letters show
/// (docs/carbon.md): a shortfall is carried into the next period, a surplus is not.
pub static EU_ETS: Scheme = Scheme {
    id: SchemeId::EuEts,
    name: "EU Emissions Trading System",
    name_zh: "欧盟碳排放交易体系",
    coverage: &[
        CoverageRule {
            first_year: 2005,
            last_year: Some(2012),
            threshold_t: 0.0,
            scope: Scope::Activity,
            source: "Directive 2003/87/EC Annex I: combustion above 20 MW thermal input and listed activities",
            confirmation: Confirmation::Confirmed,
        },
        CoverageRule {
            first_year: 2013,
            last_year: None,
            threshold_t: 25_000.0,
            scope: Scope::Activity,
            source: "Directive 2003/87/EC Annex I; Art. 27: a member state may leave out installations below 25,000 t",
            confirmation: Confirmation::Confirmed,
        },
    ],
    phases: &[
        Phase {
            first_year: 2005,
            last_year: 2007,
            carry_in: Carry::Nothing,
            yearly_carry: None,
            source: "first trading period",
            confirmation: Confirmation::Confirmed,
        },
        Phase {
            first_year: 2008,
            last_year: 2012,
            carry_in: Carry::DeficitOnly,
            yearly_carry: None,
            source: "Art. 16(3); the EUTL letters (docs/carbon.md)",
            confirmation: Confirmation::Confirmed,
        },
        Phase {
            first_year: 2013,
            last_year: 2020,
            carry_in: Carry::DeficitOnly,
            yearly_carry: None,
            source: "Art. 16(3); the Union Registry's compliance status figure; the EUTL letters (docs/carbon.md)",
            confirmation: Confirmation::Confirmed,
        },
        Phase {
            first_year: 2021,
            last_year: 2030,
            carry_in: Carry::DeficitOnly,
            yearly_carry: None,
            source: "Art. 16(3)",
            confirmation: Confirmation::Unconfirmed,
        },
    ],
    // International credits (CER, ERU) were capped per member state in 2008–2020 (national
    // allocation plans; shares differ by state) and are not accepted from 2021. The per-state
    // caps are not tabulated here.
    offsets: &[],
    penalties: &[
        Penalty {
            first_year: 2005,
            last_year: Some(2007),
            rule: PenaltyRule::PerTonne {
                amount: 40.0,
                currency: "EUR",
            },
            shortfall_still_owed: true,
            source: EU_DIRECTIVE,
            confirmation: Confirmation::Confirmed,
        },
        Penalty {
            first_year: 2008,
            last_year: None,
            rule: PenaltyRule::PerTonne {
                amount: 100.0,
                currency: "EUR",
            },
            shortfall_still_owed: true,
            source: "Directive 2003/87/EC Art. 16(3)–(4): €100, indexed to European consumer prices from 2013",
            confirmation: Confirmation::Confirmed,
        },
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_cover_their_years_without_gaps_or_overlaps() {
        for id in SchemeId::ALL {
            let s = id.scheme();
            assert_eq!(SchemeId::parse(id.id()), Some(id));
            let first = s.phases[0].first_year;
            for y in first..=2030 {
                assert!(s.phase(y).is_some(), "{} {y}: no phase", s.name);
                assert_eq!(
                    s.phases
                        .iter()
                        .filter(|p| y >= p.first_year && y <= p.last_year)
                        .count(),
                    1,
                    "{} {y}",
                    s.name
                );
                assert!(s.penalty(y).is_some(), "{} {y}: no penalty", s.name);
                assert!(s.coverage_rule(y).is_some(), "{} {y}: no coverage", s.name);
            }
            assert_eq!(s.phases[0].carry_in, Carry::Nothing, "{}", s.name);
        }
    }

    #[test]
    fn beijing_threshold_changes_in_2016() {
        assert_eq!(BEIJING.coverage_rule(2015).unwrap().threshold_t, 10_000.0);
        assert_eq!(BEIJING.coverage_rule(2016).unwrap().threshold_t, 5_000.0);
        assert_eq!(BEIJING.coverage_rule(2012), None);
        let r = BEIJING.offset_rule(2020).unwrap();
        assert_eq!(
            (r.cap_share, r.outside_region_cap_share),
            (0.05, Some(0.025))
        );
        assert_eq!(
            BEIJING.offset_rule(2024).unwrap().confirmation,
            Confirmation::Unconfirmed
        );
    }
}
