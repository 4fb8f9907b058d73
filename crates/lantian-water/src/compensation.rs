//! Beijing's water compensation between districts: what the district upstream of a boundary
//! section pays the district downstream, per section and month, as a rule table.
//!
//! The default table is the 2014 scheme (《北京市水环境区域补偿办法（试行）》, 京政办发〔2014〕57号, in
//! force 2015-01-01; `standards/water-china.md` §3a, two or more sources):
//! - items: COD, NH3-N, TP;
//! - water that originates in the district and leaves it worse than the section's target: CNY
//!   300,000 per section and month for each class beyond the target;
//! - water that enters from upstream and leaves a class or more worse than it came: CNY 300,000
//!   for each class it worsened;
//! - water that leaves no worse than it came (concentration at most the inflow's) but still misses
//!   the target: CNY 150,000 for each class beyond the target;
//! - the charges of the items add up; an extra charge for worse than class V exists, its amount
//!   not found (0 in the default table, UNCONFIRMED).
//!
//! The 2022 scheme (京政办发〔2022〕31号) changed the indicators and amounts, which were not
//! found: a new rule year is a new table (a JSON file of [`RuleTable`]).

use crate::class::{Measurement, WaterClass, item_class};
use crate::gb3838::{Item, WaterBody};
use serde::{Deserialize, Serialize};

/// A compensation scheme's rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleTable {
    pub name: String,
    pub first_year: i32,
    /// The items charged.
    pub items: Vec<Item>,
    /// CNY per class beyond the target, for water that originates in the district.
    pub originating_per_class: f64,
    /// CNY per class the water worsened between entering and leaving the district.
    pub worsened_per_class: f64,
    /// CNY per class beyond the target, for water that leaves no worse than it came.
    pub not_worsened_per_class: f64,
    /// CNY added when the outflow is worse than class V.
    pub worse_than_v_extra: f64,
    pub source: String,
    /// What in the table is not confirmed.
    pub unconfirmed: Vec<String>,
}

impl RuleTable {
    /// The 2014 scheme.
    pub fn beijing_2014() -> RuleTable {
        RuleTable {
            name: "北京市水环境区域补偿办法（试行）".into(),
            first_year: 2015,
            items: vec![Item::Cod, Item::AmmoniaNitrogen, Item::TotalPhosphorus],
            originating_per_class: 300_000.0,
            worsened_per_class: 300_000.0,
            not_worsened_per_class: 150_000.0,
            worse_than_v_extra: 0.0,
            source: "京政办发〔2014〕57号, as summarised by MWR and news reports (standards/water-china.md §3a)".into(),
            unconfirmed: vec!["the extra charge for worse than class V (amount not found; 0 here)".into()],
        }
    }
}

/// One boundary section's month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionMonth {
    pub section: String,
    /// The district the water leaves (pays).
    pub upstream: String,
    /// The district it enters (receives).
    pub downstream: String,
    pub target: WaterClass,
    pub body: WaterBody,
    /// Monthly mean concentrations leaving the district.
    pub outflow: Vec<(Item, Measurement)>,
    /// Monthly mean concentrations where the water entered the district; empty for water that
    /// originates in it.
    pub inflow: Vec<(Item, Measurement)>,
}

/// One item's charge at one section and month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Charge {
    pub item: Item,
    pub outflow_class: WaterClass,
    pub inflow_class: Option<WaterClass>,
    /// Which rule applied.
    pub rule: &'static str,
    /// Classes charged.
    pub classes: usize,
    pub amount: f64,
}

/// A section-month's charges, or why an item could not be judged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionCharge {
    pub section: String,
    pub upstream: String,
    pub downstream: String,
    pub charges: Vec<Charge>,
    pub total: f64,
    /// Items the table charges that could not be judged (missing, or no class): named, not
    /// counted as zero silently.
    pub unjudged: Vec<(Item, String)>,
}

fn class_of(
    values: &[(Item, Measurement)],
    item: Item,
    body: WaterBody,
) -> Result<WaterClass, String> {
    let Some(&(_, m)) = values.iter().find(|(i, _)| *i == item) else {
        return Err("no value".into());
    };
    item_class(item, m, body)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| "no class".to_string())
}

/// The charges of one section and month under `rules`.
pub fn charge(rules: &RuleTable, s: &SectionMonth) -> SectionCharge {
    let mut charges = Vec::new();
    let mut unjudged = Vec::new();
    for &item in &rules.items {
        let out_class = match class_of(&s.outflow, item, s.body) {
            Ok(x) => x,
            Err(e) => {
                unjudged.push((item, format!("outflow: {e}")));
                continue;
            }
        };
        let beyond_target = out_class.index().saturating_sub(s.target.index());
        let inflow = if s.inflow.is_empty() {
            None
        } else {
            match class_of(&s.inflow, item, s.body) {
                Ok(x) => Some(x),
                Err(e) => {
                    unjudged.push((item, format!("inflow: {e}")));
                    continue;
                }
            }
        };
        // Worse leaving than entering: charged per class worsened. Otherwise (no worse, or
        // water that originates here): per class beyond the target.
        let (rule, classes, per_class) = match inflow {
            None => (
                "originating: classes beyond the target",
                beyond_target,
                rules.originating_per_class,
            ),
            Some(in_class) if out_class > in_class => (
                "worsened: classes worse than the inflow",
                out_class.index() - in_class.index(),
                rules.worsened_per_class,
            ),
            Some(_) => (
                "not worsened: classes beyond the target",
                beyond_target,
                rules.not_worsened_per_class,
            ),
        };
        if classes == 0 {
            continue;
        }
        let extra = if out_class == WaterClass::WorseThanV {
            rules.worse_than_v_extra
        } else {
            0.0
        };
        charges.push(Charge {
            item,
            outflow_class: out_class,
            inflow_class: inflow,
            rule,
            classes,
            amount: classes as f64 * per_class + extra,
        });
    }
    SectionCharge {
        section: s.section.clone(),
        upstream: s.upstream.clone(),
        downstream: s.downstream.clone(),
        total: charges.iter().map(|c| c.amount).sum::<f64>() + 0.0,
        charges,
        unjudged,
    }
}

/// What each district pays (negative) or receives (positive), summed over section-months.
pub fn balances(charges: &[SectionCharge]) -> Vec<(String, f64)> {
    let mut b: std::collections::BTreeMap<String, f64> = std::collections::BTreeMap::new();
    for c in charges {
        *b.entry(c.upstream.clone()).or_default() -= c.total;
        *b.entry(c.downstream.clone()).or_default() += c.total;
    }
    b.into_iter().map(|(k, v)| (k, v + 0.0)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(target: WaterClass, outflow: &[(Item, f64)], inflow: &[(Item, f64)]) -> SectionMonth {
        let m = |v: &[(Item, f64)]| v.iter().map(|&(i, x)| (i, Measurement::Value(x))).collect();
        SectionMonth {
            section: "S".into(),
            upstream: "昌平区".into(),
            downstream: "朝阳区".into(),
            target,
            body: WaterBody::River,
            outflow: m(outflow),
            inflow: m(inflow),
        }
    }

    #[test]
    fn originating_water_pays_per_class_beyond_target() {
        let r = RuleTable::beijing_2014();
        // Target IV. COD 35 (V: 1 class beyond), NH3-N 2.5 (劣V: 2 beyond), TP 0.25 (IV: met).
        let c = charge(
            &r,
            &month(
                WaterClass::IV,
                &[
                    (Item::Cod, 35.0),
                    (Item::AmmoniaNitrogen, 2.5),
                    (Item::TotalPhosphorus, 0.25),
                ],
                &[],
            ),
        );
        assert_eq!(c.charges.len(), 2);
        assert_eq!((c.charges[0].classes, c.charges[0].amount), (1, 300_000.0));
        assert_eq!((c.charges[1].classes, c.charges[1].amount), (2, 600_000.0));
        assert_eq!(c.total, 900_000.0);
        // Exactly at the target's limit: no charge.
        let c = charge(
            &r,
            &month(
                WaterClass::IV,
                &[
                    (Item::Cod, 30.0),
                    (Item::AmmoniaNitrogen, 1.5),
                    (Item::TotalPhosphorus, 0.3),
                ],
                &[],
            ),
        );
        assert_eq!(c.total, 0.0);
    }

    #[test]
    fn water_from_upstream_pays_for_worsening_or_half_for_missing_the_target() {
        let r = RuleTable::beijing_2014();
        // Came in at III (NH3-N 0.9), left at V (1.8): worsened by 2 classes → 600,000.
        let c = charge(
            &r,
            &month(
                WaterClass::III,
                &[
                    (Item::AmmoniaNitrogen, 1.8),
                    (Item::Cod, 18.0),
                    (Item::TotalPhosphorus, 0.1),
                ],
                &[
                    (Item::AmmoniaNitrogen, 0.9),
                    (Item::Cod, 18.0),
                    (Item::TotalPhosphorus, 0.1),
                ],
            ),
        );
        assert_eq!(c.total, 600_000.0);
        assert!(c.charges[0].rule.starts_with("worsened"));
        // Came in at V (1.9), left at V, lower (1.7), target III: 2 classes beyond at 150,000.
        let c = charge(
            &r,
            &month(
                WaterClass::III,
                &[
                    (Item::AmmoniaNitrogen, 1.7),
                    (Item::Cod, 18.0),
                    (Item::TotalPhosphorus, 0.1),
                ],
                &[
                    (Item::AmmoniaNitrogen, 1.9),
                    (Item::Cod, 18.0),
                    (Item::TotalPhosphorus, 0.1),
                ],
            ),
        );
        assert_eq!(c.total, 300_000.0);
        assert!(c.charges[0].rule.starts_with("not worsened"));
        // Upstream pays, downstream receives.
        let b = balances(&[c]);
        assert_eq!(
            b,
            vec![
                ("昌平区".to_string(), -300_000.0),
                ("朝阳区".to_string(), 300_000.0)
            ]
        );
    }

    #[test]
    fn missing_items_are_named_and_the_table_reads_from_json() {
        let r = RuleTable::beijing_2014();
        let c = charge(&r, &month(WaterClass::III, &[(Item::Cod, 18.0)], &[]));
        assert_eq!(c.unjudged.len(), 2);
        assert_eq!(
            c.unjudged[0],
            (Item::AmmoniaNitrogen, "outflow: no value".to_string())
        );
        let json = serde_json::to_string(&r).unwrap();
        let back: RuleTable = serde_json::from_str(&json).unwrap();
        assert_eq!(back, r);
    }
}
