//! Compensation between paired districts on GEP-R growth, as a rule table.
//!
//! What is known (one source, the standards notes): from 2025 Beijing pays ecological
//! compensation on GEP-R, "districts that beat their GEP-R growth target are paid by those
//! that miss it", in the pairs that have worked together since 2018 (西城–门头沟, 东城–怀柔,
//! 朝阳–密云, 海淀–延庆, 丰台–房山, 顺义–昌平, 经开区–平谷); Yanqing received CNY 53.31 m from
//! Haidian, and the seven ecological-conservation districts were paid. The growth target, the
//! amount formula, the year assessed and what happens when both districts of a pair miss or
//! both meet were **not found**. This module makes each of them a field of [`Rule`], so the
//! rule of another year is another table, and its defaults ([`Rule::beijing_2025`]) are
//! decisions marked UNCONFIRMED:
//!
//! - growth is the district's GEP-R change percent on a comparable basis (same accounts and
//!   same parameters in both years, [`Change::comparable`]); a target is met at or above it;
//! - one meets and one misses: the one that misses pays the one that meets, by the rule's
//!   [`Amount`] of its own shortfall;
//! - both meet: nothing is paid (nobody missed);
//! - both miss: by the rule's [`BothMiss`]: nothing between them (nobody beat the target to be
//!   paid), or each pays the city fund for its own shortfall.

use super::GepError;
use super::change::Change;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The pairs of districts working together (结对协作) since 2018 (one source): the developed
/// district first, the ecological-conservation district second.
pub const PAIRS_SINCE_2018: [(&str, &str); 7] = [
    ("西城区", "门头沟区"),
    ("东城区", "怀柔区"),
    ("朝阳区", "密云区"),
    ("海淀区", "延庆区"),
    ("丰台区", "房山区"),
    ("顺义区", "昌平区"),
    ("经开区", "平谷区"),
];

/// Two districts settled with each other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pair {
    pub a: String,
    pub b: String,
}

/// What a district that misses its target pays.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Amount {
    /// So much per percentage point of growth below the target, up to a cap.
    PerPointBelowTarget {
        cny_per_point: f64,
        cap_cny: Option<f64>,
    },
    /// A fixed amount, whatever the shortfall.
    Fixed { cny: f64 },
}

/// What happens when both districts of a pair miss their targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BothMiss {
    /// Nothing is paid between them.
    Nothing,
    /// Each pays the city fund ([`Rule::city_fund`]) for its own shortfall.
    EachPaysCityFund,
}

/// The compensation rule of a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    /// The year the rule is paid in.
    pub year: i32,
    /// The year whose growth over the year before is assessed.
    pub assessed_year: i32,
    /// The growth target, % over the year before, for every district…
    pub growth_target_percent: f64,
    /// …unless a district has its own here.
    #[serde(default)]
    pub district_targets: BTreeMap<String, f64>,
    pub pairs: Vec<Pair>,
    pub amount: Amount,
    pub both_miss: BothMiss,
    /// The payee when a district pays the city rather than its partner.
    pub city_fund: String,
    /// Where the rule comes from.
    pub source: String,
    pub confirmed: bool,
}

impl Rule {
    /// The 2025 rule as far as it is known: the pairs since 2018 [one source]; everything else
    /// (the target of 3 %, CNY 20 m per point of shortfall capped at CNY 100 m, growth of 2024
    /// over 2023, nothing paid when both miss) is a placeholder, UNCONFIRMED.
    pub fn beijing_2025() -> Rule {
        Rule {
            year: 2025,
            assessed_year: 2024,
            growth_target_percent: 3.0,
            district_targets: BTreeMap::new(),
            pairs: PAIRS_SINCE_2018
                .iter()
                .map(|(a, b)| Pair {
                    a: (*a).into(),
                    b: (*b).into(),
                })
                .collect(),
            amount: Amount::PerPointBelowTarget {
                cny_per_point: 20_000_000.0,
                cap_cny: Some(100_000_000.0),
            },
            both_miss: BothMiss::Nothing,
            city_fund: "市级生态保护补偿资金".into(),
            source: "Pairs since 2018 and the principle (those that miss the GEP-R growth target pay those that beat it): one source, standards notes. Target, amounts, year assessed and the both-miss case: UNCONFIRMED placeholders.".into(),
            confirmed: false,
        }
    }

    /// The growth target of `district`, %.
    pub fn target(&self, district: &str) -> f64 {
        self.district_targets
            .get(district)
            .copied()
            .unwrap_or(self.growth_target_percent)
    }

    /// A district in two pairs, a pair of one district, or an amount or target that is not a
    /// number is refused.
    pub fn check(&self) -> Result<(), GepError> {
        let bad = |what: &str| GepError::RuleInvalid {
            year: self.year,
            why: what.into(),
        };
        let targets = std::iter::once(self.growth_target_percent)
            .chain(self.district_targets.values().copied());
        if targets.into_iter().any(|t| !t.is_finite()) {
            return Err(bad("a growth target is not a number"));
        }
        let amounts: Vec<f64> = match self.amount {
            Amount::PerPointBelowTarget {
                cny_per_point,
                cap_cny,
            } => std::iter::once(cny_per_point).chain(cap_cny).collect(),
            Amount::Fixed { cny } => vec![cny],
        };
        if amounts.iter().any(|x| !x.is_finite() || *x < 0.0) {
            return Err(bad("an amount is not a number of 0 or more"));
        }
        let mut seen: Vec<&str> = Vec::new();
        for p in &self.pairs {
            if p.a == p.b {
                return Err(bad(&format!("{} is paired with itself", p.a)));
            }
            for d in [&p.a, &p.b] {
                if seen.contains(&d.as_str()) {
                    return Err(bad(&format!("{d} is in two pairs")));
                }
                seen.push(d);
            }
        }
        Ok(())
    }
}

/// A district's growth against its target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Standing {
    pub district: String,
    pub growth_percent: f64,
    pub target_percent: f64,
    /// At or above the target.
    pub met: bool,
}

/// Which case a pair is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Case {
    OneMisses,
    BothMeet,
    BothMiss,
}

/// A payment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transfer {
    pub payer: String,
    pub payee: String,
    pub amount_cny: f64,
    /// The growths, targets and arithmetic behind the amount.
    pub why: String,
}

/// A pair settled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairOutcome {
    pub a: Standing,
    pub b: Standing,
    pub case: Case,
    pub transfers: Vec<Transfer>,
}

/// The amount `s` pays for its shortfall, and how it was reached.
fn amount(rule: &Rule, s: &Standing) -> (f64, String) {
    let short = s.target_percent - s.growth_percent;
    let head = format!(
        "{} grew {:.4} % against its target of {} % ({short:.6} points short)",
        s.district, s.growth_percent, s.target_percent
    );
    match rule.amount {
        Amount::PerPointBelowTarget {
            cny_per_point,
            cap_cny,
        } => {
            let raw = short * cny_per_point;
            match cap_cny {
                Some(cap) if raw > cap => (
                    cap,
                    format!(
                        "{head}: {short:.6} × CNY {} per point = CNY {}, capped at CNY {}",
                        grouped(cny_per_point),
                        grouped(raw),
                        grouped(cap)
                    ),
                ),
                _ => (
                    raw,
                    format!(
                        "{head}: {short:.6} × CNY {} per point = CNY {}",
                        grouped(cny_per_point),
                        grouped(raw)
                    ),
                ),
            }
        }
        Amount::Fixed { cny } => (cny, format!("{head}: a fixed CNY {}", grouped(cny))),
    }
}

/// Whole yuan with thousands separators, for the people reading `why`.
fn grouped(x: f64) -> String {
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (k, ch) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if x.round() < 0.0 {
        out.insert(0, '-');
    }
    out
}

fn standing(rule: &Rule, changes: &[Change], district: &str) -> Result<Standing, GepError> {
    let c = changes
        .iter()
        .find(|c| c.district == district)
        .ok_or_else(|| GepError::NoChange {
            district: district.into(),
            year: rule.assessed_year,
        })?;
    if (c.before_year, c.after_year) != (rule.assessed_year - 1, rule.assessed_year) {
        return Err(GepError::WrongYears {
            district: district.into(),
            years: (c.before_year, c.after_year),
            assessed_year: rule.assessed_year,
        });
    }
    if !c.comparable {
        let mut why: Vec<String> = c
            .not_compared
            .iter()
            .map(|n| format!("{} computed in {} only", n.account, n.computed_in))
            .collect();
        if !c.same_parameters {
            why.push("parameters differ between the years".into());
        }
        return Err(GepError::NotComparable {
            district: district.into(),
            why: why.join("; "),
        });
    }
    let growth = c.change_percent.ok_or_else(|| GepError::NoGrowth {
        district: district.into(),
    })?;
    let target = rule.target(district);
    Ok(Standing {
        district: district.into(),
        growth_percent: growth,
        target_percent: target,
        met: growth >= target,
    })
}

/// Settles every pair of `rule` on the districts' changes.
pub fn settle(rule: &Rule, changes: &[Change]) -> Result<Vec<PairOutcome>, GepError> {
    rule.check()?;
    for (k, c) in changes.iter().enumerate() {
        if changes[..k].iter().any(|d| d.district == c.district) {
            return Err(GepError::DuplicateDistrict {
                district: c.district.clone(),
            });
        }
    }
    let tag = format!(
        "rule {}{}",
        rule.year,
        if rule.confirmed { "" } else { ", UNCONFIRMED" }
    );
    rule.pairs
        .iter()
        .map(|p| {
            let a = standing(rule, changes, &p.a)?;
            let b = standing(rule, changes, &p.b)?;
            let (case, transfers) = match (a.met, b.met) {
                (true, true) => (Case::BothMeet, vec![]),
                (true, false) | (false, true) => {
                    let (payer, payee) = if a.met { (&b, &a) } else { (&a, &b) };
                    let (cny, how) = amount(rule, payer);
                    let why = format!(
                        "{how}; {} grew {:.4} %, meeting its target of {} % ({tag})",
                        payee.district, payee.growth_percent, payee.target_percent
                    );
                    (
                        Case::OneMisses,
                        vec![Transfer {
                            payer: payer.district.clone(),
                            payee: payee.district.clone(),
                            amount_cny: cny,
                            why,
                        }],
                    )
                }
                (false, false) => (
                    Case::BothMiss,
                    match rule.both_miss {
                        BothMiss::Nothing => vec![],
                        BothMiss::EachPaysCityFund => [&a, &b]
                            .into_iter()
                            .map(|s| {
                                let (cny, how) = amount(rule, s);
                                Transfer {
                                    payer: s.district.clone(),
                                    payee: rule.city_fund.clone(),
                                    amount_cny: cny,
                                    why: format!(
                                        "{how}; its partner missed too, so it pays the city fund ({tag})"
                                    ),
                                }
                            })
                            .collect(),
                    },
                ),
            };
            Ok(PairOutcome {
                a,
                b,
                case,
                transfers,
            })
        })
        .collect()
}

/// The payments of `rule` on the districts' changes, pair by pair.
pub fn compensation(rule: &Rule, changes: &[Change]) -> Result<Vec<Transfer>, GepError> {
    Ok(settle(rule, changes)?
        .into_iter()
        .flat_map(|o| o.transfers)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gep::{Account, Inputs, Parameters, change, gep_r};

    /// A district whose GEP-R goes from CNY 100 m to 100 m × (1 + growth / 100): flood storage
    /// priced at CNY 1/m³.
    fn grew(district: &str, growth: f64) -> Change {
        let mut p = Parameters::defaults();
        p.set("reservoir_cost_cny_m3", 1.0).unwrap();
        let g = |year, m3| {
            let mut i = Inputs::new();
            i.add(Account::FloodRegulation, "all", &[("storage_m3", m3)])
                .unwrap();
            gep_r(district, year, &i, &p)
        };
        change(&g(2023, 1e8), &g(2024, 1e8 * (1.0 + growth / 100.0))).unwrap()
    }

    fn rule() -> Rule {
        let mut r = Rule::beijing_2025();
        r.pairs.truncate(2);
        r
    }

    #[test]
    fn the_one_that_misses_pays_the_one_that_meets() {
        // 海淀 grows 1.5 % against 3 %: 1.5 points × CNY 20 m = CNY 30 m to 延庆.
        let mut r = rule();
        r.pairs = vec![Pair {
            a: "海淀区".into(),
            b: "延庆区".into(),
        }];
        let t = compensation(&r, &[grew("海淀区", 1.5), grew("延庆区", 5.0)]).unwrap();
        assert_eq!(t.len(), 1);
        assert_eq!(
            (t[0].payer.as_str(), t[0].payee.as_str()),
            ("海淀区", "延庆区")
        );
        assert!((t[0].amount_cny - 30_000_000.0).abs() < 1e-3);
        assert_eq!(
            t[0].why,
            "海淀区 grew 1.5000 % against its target of 3 % (1.500000 points short): 1.500000 × CNY 20,000,000 per point = CNY 30,000,000; 延庆区 grew 5.0000 %, meeting its target of 3 % (rule 2025, UNCONFIRMED)"
        );
        // The other way round, and the cap: 9 points × 20 m = 180 m, capped at 100 m.
        let t = compensation(&r, &[grew("海淀区", 4.0), grew("延庆区", -6.0)]).unwrap();
        assert_eq!(
            (t[0].payer.as_str(), t[0].amount_cny),
            ("延庆区", 100_000_000.0)
        );
        assert!(
            t[0].why
                .contains("= CNY 180,000,000, capped at CNY 100,000,000")
        );
        // Exactly at the target is met.
        let o = settle(&r, &[grew("海淀区", 0.0), grew("延庆区", 3.0)]).unwrap();
        assert!(o[0].b.met && !o[0].a.met);
        assert_eq!(o[0].case, Case::OneMisses);
    }

    #[test]
    fn both_meet_pays_nothing_and_both_miss_follows_the_rule() {
        let mut r = rule();
        let changes = [
            grew("西城区", 3.5),
            grew("门头沟区", 6.0),
            grew("东城区", 1.0),
            grew("怀柔区", 2.5),
        ];
        let o = settle(&r, &changes).unwrap();
        assert_eq!(o[0].case, Case::BothMeet);
        assert_eq!(o[1].case, Case::BothMiss);
        assert!(compensation(&r, &changes).unwrap().is_empty());

        r.both_miss = BothMiss::EachPaysCityFund;
        let t = compensation(&r, &changes).unwrap();
        // 东城 2 points × 20 m = 40 m; 怀柔 0.5 point × 20 m = 10 m; both to the city fund.
        assert_eq!(t.len(), 2);
        assert!(t.iter().all(|x| x.payee == "市级生态保护补偿资金"));
        assert!((t[0].amount_cny - 40_000_000.0).abs() < 1e-3);
        assert!((t[1].amount_cny - 10_000_000.0).abs() < 1e-3);

        // A district's own target and a fixed amount.
        let mut r = rule();
        r.pairs.truncate(1);
        r.district_targets.insert("门头沟区".into(), 7.0);
        r.amount = Amount::Fixed { cny: 5e6 };
        let t = compensation(&r, &changes[..2]).unwrap();
        assert_eq!((t[0].payer.as_str(), t[0].amount_cny), ("门头沟区", 5e6));
    }

    #[test]
    fn a_rule_or_change_that_cannot_be_settled_is_refused() {
        let r = rule();
        let changes = [grew("西城区", 3.5), grew("门头沟区", 6.0)];
        assert!(matches!(
            compensation(&r, &changes),
            Err(GepError::NoChange { .. })
        ));
        assert!(matches!(
            compensation(&r, &[grew("西城区", 3.5), grew("西城区", 3.5)]),
            Err(GepError::DuplicateDistrict { .. })
        ));
        let mut twice = rule();
        twice.pairs[1].a = "西城区".into();
        assert!(matches!(twice.check(), Err(GepError::RuleInvalid { .. })));
        let mut nan = rule();
        nan.growth_target_percent = f64::NAN;
        assert!(nan.check().is_err());

        let mut r1 = rule();
        r1.pairs.truncate(1);
        let mut late = grew("门头沟区", 6.0);
        late.after_year = 2025;
        assert!(matches!(
            compensation(&r1, &[grew("西城区", 3.5), late]),
            Err(GepError::WrongYears { .. })
        ));
        let mut unlike = grew("门头沟区", 6.0);
        unlike.comparable = false;
        unlike.same_parameters = false;
        assert!(matches!(
            compensation(&r1, &[grew("西城区", 3.5), unlike]),
            Err(GepError::NotComparable { ref why, .. }) if why == "parameters differ between the years"
        ));
    }

    #[test]
    fn amounts_are_written_in_whole_yuan_with_separators() {
        assert_eq!(grouped(18_726_445.74), "18,726,446");
        assert_eq!(grouped(999.4), "999");
        assert_eq!(grouped(1000.0), "1,000");
        assert_eq!(grouped(-1_234_567.0), "-1,234,567");
        assert_eq!(grouped(0.2), "0");
    }

    #[test]
    fn the_rule_reads_from_the_shape_of_its_file() {
        let r = Rule::beijing_2025();
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["amount"]["kind"], "per_point_below_target");
        assert_eq!(json["both_miss"], "nothing");
        let back: Rule = serde_json::from_value(json).unwrap();
        assert_eq!(back, r);
        // district_targets may be left out; cap_cny may be left out.
        let short = serde_json::json!({
            "year": 2026, "assessed_year": 2025, "growth_target_percent": 2.0,
            "pairs": [{"a": "海淀区", "b": "延庆区"}],
            "amount": {"kind": "per_point_below_target", "cny_per_point": 1.0},
            "both_miss": "each_pays_city_fund", "city_fund": "f", "source": "s", "confirmed": false
        });
        let r: Rule = serde_json::from_value(short).unwrap();
        assert!(r.district_targets.is_empty());
        assert_eq!(
            r.amount,
            Amount::PerPointBelowTarget {
                cny_per_point: 1.0,
                cap_cny: None
            }
        );
    }
}
