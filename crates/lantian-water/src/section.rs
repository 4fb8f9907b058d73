//! A section's class and what sets it (环办〔2011〕22号, `standards/water-china.md` §2).

use crate::class::{Measurement, WaterClass, item_class};
use crate::gb3838::{Item, WaterBody};
use serde::Serialize;

/// One item of a section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemResult {
    pub item: Item,
    pub measurement: Measurement,
    /// `None`: no class limit (water temperature), or not classed (see `problem`).
    pub class: Option<WaterClass>,
    /// Whether the item counts in the section's class (21 items of Table 1).
    pub counted: bool,
    /// (C − C_III) / C_III where C exceeds class III; not for water temperature, pH or DO.
    pub multiple: Option<f64>,
    /// Why the value has no class, when it has none.
    pub problem: Option<String>,
}

/// A section assessed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionResult {
    /// The worst class of the counted items; `None` when none could be classed.
    pub class: Option<WaterClass>,
    /// The counted items in that worst class.
    pub limiting: Vec<Item>,
    /// Items exceeding class III, at most three: cyanide and heavy metals first, then by
    /// exceedance multiple.
    pub main_pollutants: Vec<Item>,
    pub target: Option<WaterClass>,
    /// Whether the class meets the target (`None` without a target or a class).
    pub meets_target: Option<bool>,
    pub items: Vec<ItemResult>,
}

/// Cyanide and the heavy metals, listed first among main pollutants whenever they exceed
/// class III (as public implementations of the 2011 method do; UNCONFIRMED against its text).
fn toxic(item: Item) -> bool {
    matches!(
        item,
        Item::Cyanide
            | Item::Copper
            | Item::Zinc
            | Item::Selenium
            | Item::Arsenic
            | Item::Mercury
            | Item::Cadmium
            | Item::Chromium6
            | Item::Lead
    )
}

/// The exceedance multiple over class III of a value, for the items that have one.
pub fn multiple(item: Item, m: Measurement, body: WaterBody) -> Option<f64> {
    let Measurement::Value(c) = m else {
        return None;
    };
    if !item.has_multiple() {
        return None;
    }
    let l = item.limits(body)[2];
    (c > l).then(|| (c - l) / l)
}

/// The class of a section from its items' values for a period (each item's mean: the method
/// averages a period's samples before classing), against its target class when it has one.
/// Total nitrogen, faecal coliforms and water temperature are kept and classed but do not count
/// (for lakes and reservoirs total nitrogen enters the trophic state instead).
pub fn assess_section(
    values: &[(Item, Measurement)],
    body: WaterBody,
    target: Option<WaterClass>,
) -> SectionResult {
    let items: Vec<ItemResult> = values
        .iter()
        .map(|&(item, measurement)| {
            let (class, problem) = match item_class(item, measurement, body) {
                Ok(c) => (c, None),
                Err(e) => (None, Some(e.to_string())),
            };
            ItemResult {
                item,
                measurement,
                class,
                counted: item.in_section_class(),
                multiple: multiple(item, measurement, body),
                problem,
            }
        })
        .collect();
    let class = items
        .iter()
        .filter(|r| r.counted)
        .filter_map(|r| r.class)
        .max();
    let limiting = match class {
        Some(c) => items
            .iter()
            .filter(|r| r.counted && r.class == Some(c))
            .map(|r| r.item)
            .collect(),
        None => Vec::new(),
    };
    let mut over: Vec<&ItemResult> = items
        .iter()
        .filter(|r| r.counted && r.class.is_some_and(|c| c > WaterClass::III))
        .collect();
    over.sort_by(|a, b| {
        toxic(b.item)
            .cmp(&toxic(a.item))
            .then(
                b.multiple
                    .unwrap_or(0.0)
                    .total_cmp(&a.multiple.unwrap_or(0.0)),
            )
            .then(a.item.cmp(&b.item))
    });
    let main_pollutants = over.iter().take(3).map(|r| r.item).collect();
    SectionResult {
        class,
        limiting,
        main_pollutants,
        target,
        meets_target: match (class, target) {
            (Some(c), Some(t)) => Some(c <= t),
            _ => None,
        },
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(item: Item, x: f64) -> (Item, Measurement) {
        (item, Measurement::Value(x))
    }

    #[test]
    fn a_section_worked_by_hand() {
        // DO 6.5 (II), CODMn 5 (III), NH3-N 1.8 (V, multiple 0.8), TP 0.35 (V, multiple 0.75),
        // Pb 0.06 (V, multiple 0.2, toxic: first), TN 3.0 (劣V but not counted), FC 50,000
        // (劣V, not counted), temperature 20 (no class).
        let r = assess_section(
            &[
                v(Item::DissolvedOxygen, 6.5),
                v(Item::PermanganateIndex, 5.0),
                v(Item::AmmoniaNitrogen, 1.8),
                v(Item::TotalPhosphorus, 0.35),
                v(Item::Lead, 0.06),
                v(Item::TotalNitrogen, 3.0),
                v(Item::FecalColiform, 50_000.0),
                v(Item::WaterTemperature, 20.0),
            ],
            WaterBody::River,
            Some(WaterClass::IV),
        );
        assert_eq!(r.class, Some(WaterClass::V));
        assert_eq!(
            r.limiting,
            vec![Item::AmmoniaNitrogen, Item::TotalPhosphorus, Item::Lead]
        );
        assert_eq!(
            r.main_pollutants,
            vec![Item::Lead, Item::AmmoniaNitrogen, Item::TotalPhosphorus]
        );
        assert_eq!(r.meets_target, Some(false));
        let nh3 = r
            .items
            .iter()
            .find(|i| i.item == Item::AmmoniaNitrogen)
            .unwrap();
        assert!((nh3.multiple.unwrap() - 0.8).abs() < 1e-12);
        let tn = r
            .items
            .iter()
            .find(|i| i.item == Item::TotalNitrogen)
            .unwrap();
        assert_eq!(
            (tn.class, tn.counted),
            (Some(WaterClass::WorseThanV), false)
        );
        assert_eq!(
            r.items
                .iter()
                .find(|i| i.item == Item::DissolvedOxygen)
                .unwrap()
                .multiple,
            None
        );
    }

    proptest::proptest! {
        /// A section's class is the worst class of its counted items, and every limiting item
        /// has it.
        #[test]
        fn the_section_is_its_worst_counted_item(values in proptest::collection::vec((0usize..29, 0.0f64..30.0), 1..12)) {
            let table = crate::gb3838::TABLE;
            let mut seen = std::collections::HashSet::new();
            let vals: Vec<(Item, Measurement)> = values
                .iter()
                .filter(|(k, _)| seen.insert(*k))
                .map(|&(k, x)| (table[k].item, Measurement::Value(x)))
                .collect();
            let r = assess_section(&vals, WaterBody::River, None);
            let worst = r.items.iter().filter(|i| i.counted).filter_map(|i| i.class).max();
            proptest::prop_assert_eq!(r.class, worst);
            for item in &r.limiting {
                let i = r.items.iter().find(|i| i.item == *item).unwrap();
                proptest::prop_assert_eq!(i.class, r.class);
            }
            proptest::prop_assert!(r.main_pollutants.len() <= 3);
        }
    }

    #[test]
    fn targets_detection_limits_and_nothing_classed() {
        let r = assess_section(
            &[
                v(Item::AmmoniaNitrogen, 0.4),
                (Item::Mercury, Measurement::BelowDetection(0.0001)),
            ],
            WaterBody::River,
            Some(WaterClass::III),
        );
        assert_eq!(r.class, Some(WaterClass::II));
        assert_eq!(r.meets_target, Some(true));
        assert!(r.main_pollutants.is_empty());
        let hg = &r.items[1];
        assert_eq!(hg.class, None);
        assert!(hg.problem.as_ref().unwrap().contains("between I and III"));
        let none = assess_section(&[v(Item::WaterTemperature, 4.0)], WaterBody::Lake, None);
        assert_eq!((none.class, none.meets_target), (None, None));
        assert!(none.limiting.is_empty());
    }
}
