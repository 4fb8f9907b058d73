//! GB 3838—2002, Environmental quality standards for surface water: Table 1 (basic items) and
//! Table 2 (supplementary items for centralised drinking-water sources), as read from the
//! standard (`standards/water-china.md` §1).

use lantian_model::WaterParameter;
use lantian_model::unit::Unit;
use serde::{Deserialize, Serialize};

/// Rivers and lakes/reservoirs: total phosphorus has limits for each (Table 1, item 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaterBody {
    River,
    /// Lakes and reservoirs.
    Lake,
}

/// How an item's limits bound a value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    /// At most the limit ("≤").
    Upper,
    /// At least the limit ("≥": dissolved oxygen).
    Lower,
    /// Within 6–9 for every class (pH).
    Range { low: f64, high: f64 },
    /// No class limit (water temperature: a bound on man-made change, not on the value).
    None,
}

/// The items of Table 1 and Table 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Item {
    WaterTemperature,
    Ph,
    DissolvedOxygen,
    PermanganateIndex,
    Cod,
    Bod5,
    AmmoniaNitrogen,
    TotalPhosphorus,
    TotalNitrogen,
    Copper,
    Zinc,
    Fluoride,
    Selenium,
    Arsenic,
    Mercury,
    Cadmium,
    Chromium6,
    Lead,
    Cyanide,
    VolatilePhenol,
    Petroleum,
    Surfactant,
    Sulfide,
    FecalColiform,
    // Table 2: drinking-water sources (one limit, not classes).
    Sulfate,
    Chloride,
    Nitrate,
    Iron,
    Manganese,
}

/// One item's row: its English name, bound and the limits of classes I–V. The code, Chinese
/// name and unit of a Table 1 item are the model's ([`WaterParameter`]), the store's words.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    pub item: Item,
    pub name_en: &'static str,
    pub bound: Bound,
    /// Limits of classes I..V (rivers where rivers and lakes differ).
    pub limits: [f64; 5],
    /// Limits of classes I..V in lakes and reservoirs, where they differ (total phosphorus).
    pub lake_limits: Option<[f64; 5]>,
}

const fn row(item: Item, name_en: &'static str, bound: Bound, limits: [f64; 5]) -> Row {
    Row {
        item,
        name_en,
        bound,
        limits,
        lake_limits: None,
    }
}

/// Table 1 (24 items) and Table 2 (5 items; one limit, written in every class).
pub static TABLE: &[Row] = &[
    // 1. Water temperature: "man-made change: weekly mean max rise ≤ 1 °C, drop ≤ 2 °C", no class.
    row(
        Item::WaterTemperature,
        "water temperature",
        Bound::None,
        [f64::NAN; 5],
    ),
    row(
        Item::Ph,
        "pH",
        Bound::Range {
            low: 6.0,
            high: 9.0,
        },
        [f64::NAN; 5],
    ),
    // 3. Class I: "90 % saturation (or 7.5)"; the mg/L form is used.
    row(
        Item::DissolvedOxygen,
        "dissolved oxygen",
        Bound::Lower,
        [7.5, 6.0, 5.0, 3.0, 2.0],
    ),
    row(
        Item::PermanganateIndex,
        "permanganate index",
        Bound::Upper,
        [2.0, 4.0, 6.0, 10.0, 15.0],
    ),
    row(
        Item::Cod,
        "chemical oxygen demand",
        Bound::Upper,
        [15.0, 15.0, 20.0, 30.0, 40.0],
    ),
    row(Item::Bod5, "BOD5", Bound::Upper, [3.0, 3.0, 4.0, 6.0, 10.0]),
    row(
        Item::AmmoniaNitrogen,
        "ammonia nitrogen",
        Bound::Upper,
        [0.15, 0.5, 1.0, 1.5, 2.0],
    ),
    Row {
        item: Item::TotalPhosphorus,
        name_en: "total phosphorus",
        bound: Bound::Upper,
        limits: [0.02, 0.1, 0.2, 0.3, 0.4],
        lake_limits: Some([0.01, 0.025, 0.05, 0.1, 0.2]),
    },
    row(
        Item::TotalNitrogen,
        "total nitrogen",
        Bound::Upper,
        [0.2, 0.5, 1.0, 1.5, 2.0],
    ),
    row(
        Item::Copper,
        "copper",
        Bound::Upper,
        [0.01, 1.0, 1.0, 1.0, 1.0],
    ),
    row(Item::Zinc, "zinc", Bound::Upper, [0.05, 1.0, 1.0, 2.0, 2.0]),
    row(
        Item::Fluoride,
        "fluoride",
        Bound::Upper,
        [1.0, 1.0, 1.0, 1.5, 1.5],
    ),
    row(
        Item::Selenium,
        "selenium",
        Bound::Upper,
        [0.01, 0.01, 0.01, 0.02, 0.02],
    ),
    row(
        Item::Arsenic,
        "arsenic",
        Bound::Upper,
        [0.05, 0.05, 0.05, 0.1, 0.1],
    ),
    row(
        Item::Mercury,
        "mercury",
        Bound::Upper,
        [0.00005, 0.00005, 0.0001, 0.001, 0.001],
    ),
    row(
        Item::Cadmium,
        "cadmium",
        Bound::Upper,
        [0.001, 0.005, 0.005, 0.005, 0.01],
    ),
    row(
        Item::Chromium6,
        "chromium (VI)",
        Bound::Upper,
        [0.01, 0.05, 0.05, 0.05, 0.1],
    ),
    row(
        Item::Lead,
        "lead",
        Bound::Upper,
        [0.01, 0.01, 0.05, 0.05, 0.1],
    ),
    row(
        Item::Cyanide,
        "cyanide",
        Bound::Upper,
        [0.005, 0.05, 0.2, 0.2, 0.2],
    ),
    row(
        Item::VolatilePhenol,
        "volatile phenol",
        Bound::Upper,
        [0.002, 0.002, 0.005, 0.01, 0.1],
    ),
    row(
        Item::Petroleum,
        "petroleum",
        Bound::Upper,
        [0.05, 0.05, 0.05, 0.5, 1.0],
    ),
    row(
        Item::Surfactant,
        "anionic surfactant",
        Bound::Upper,
        [0.2, 0.2, 0.2, 0.3, 0.3],
    ),
    row(
        Item::Sulfide,
        "sulfide",
        Bound::Upper,
        [0.05, 0.1, 0.2, 0.5, 1.0],
    ),
    row(
        Item::FecalColiform,
        "faecal coliforms",
        Bound::Upper,
        [200.0, 2000.0, 10000.0, 20000.0, 40000.0],
    ),
    row(Item::Sulfate, "sulfate", Bound::Upper, [250.0; 5]),
    row(Item::Chloride, "chloride", Bound::Upper, [250.0; 5]),
    row(Item::Nitrate, "nitrate (as N)", Bound::Upper, [10.0; 5]),
    row(Item::Iron, "iron", Bound::Upper, [0.3; 5]),
    row(Item::Manganese, "manganese", Bound::Upper, [0.1; 5]),
];

impl Item {
    pub fn row(self) -> &'static Row {
        TABLE
            .iter()
            .find(|r| r.item == self)
            .expect("every item has a row")
    }

    /// The Table 1 parameter of the model (the store's variable); `None` for Table 2.
    pub fn parameter(self) -> Option<WaterParameter> {
        use WaterParameter as P;
        Some(match self {
            Item::WaterTemperature => P::Temperature,
            Item::Ph => P::Ph,
            Item::DissolvedOxygen => P::DissolvedOxygen,
            Item::PermanganateIndex => P::CodMn,
            Item::Cod => P::Cod,
            Item::Bod5 => P::Bod5,
            Item::AmmoniaNitrogen => P::Nh3N,
            Item::TotalPhosphorus => P::TotalPhosphorus,
            Item::TotalNitrogen => P::TotalNitrogen,
            Item::Copper => P::Copper,
            Item::Zinc => P::Zinc,
            Item::Fluoride => P::Fluoride,
            Item::Selenium => P::Selenium,
            Item::Arsenic => P::Arsenic,
            Item::Mercury => P::Mercury,
            Item::Cadmium => P::Cadmium,
            Item::Chromium6 => P::Chromium6,
            Item::Lead => P::Lead,
            Item::Cyanide => P::Cyanide,
            Item::VolatilePhenol => P::VolatilePhenol,
            Item::Petroleum => P::Petroleum,
            Item::Surfactant => P::AnionicSurfactant,
            Item::Sulfide => P::Sulfide,
            Item::FecalColiform => P::FaecalColiforms,
            Item::Sulfate | Item::Chloride | Item::Nitrate | Item::Iron | Item::Manganese => {
                return None;
            }
        })
    }

    /// The item's code: the model's for Table 1 (`water.NH3-N`), and the same style for Table 2.
    pub fn code(self) -> &'static str {
        match (self.parameter(), self) {
            (Some(p), _) => p.code(),
            (None, Item::Sulfate) => "water.SO4",
            (None, Item::Chloride) => "water.Cl",
            (None, Item::Nitrate) => "water.NO3-N",
            (None, Item::Iron) => "water.Fe",
            (None, _) => "water.Mn",
        }
    }

    /// The item's name in GB 3838—2002.
    pub fn name_zh(self) -> &'static str {
        match (self.parameter(), self) {
            (Some(p), _) => p.name_zh(),
            (None, Item::Sulfate) => "硫酸盐",
            (None, Item::Chloride) => "氯化物",
            (None, Item::Nitrate) => "硝酸盐",
            (None, Item::Iron) => "铁",
            (None, _) => "锰",
        }
    }

    /// The standard's unit (Table 2 is in mg/L).
    pub fn unit(self) -> Unit {
        self.parameter().map_or(Unit::MgL, WaterParameter::unit)
    }

    /// The item of a code (`water.NH3-N`, any ASCII case), an English name (`ammonia nitrogen`)
    /// or the standard's Chinese name (`氨氮`).
    pub fn parse(s: &str) -> Option<Item> {
        let t = s.trim();
        if let Ok(p) = t.parse::<WaterParameter>() {
            return TABLE
                .iter()
                .map(|r| r.item)
                .find(|i| i.parameter() == Some(p));
        }
        TABLE.iter().map(|r| r.item).find(|i| {
            i.code().eq_ignore_ascii_case(t)
                || i.row().name_en.eq_ignore_ascii_case(t)
                || i.name_zh() == t
        })
    }

    /// Whether the 2011 assessment method counts the item in a section's class: Table 1 except
    /// water temperature, total nitrogen and faecal coliforms (21 items); Table 2 is for
    /// drinking-water sources and assessed apart.
    pub fn in_section_class(self) -> bool {
        !matches!(
            self,
            Item::WaterTemperature | Item::TotalNitrogen | Item::FecalColiform
        ) && !self.is_table2()
    }

    /// Table 2, the supplementary items of drinking-water sources.
    pub fn is_table2(self) -> bool {
        matches!(
            self,
            Item::Sulfate | Item::Chloride | Item::Nitrate | Item::Iron | Item::Manganese
        )
    }

    /// Whether an exceedance multiple is computed (not for water temperature, pH, DO).
    pub fn has_multiple(self) -> bool {
        !matches!(
            self,
            Item::WaterTemperature | Item::Ph | Item::DissolvedOxygen
        )
    }

    /// Limits of classes I–V in this water body.
    pub fn limits(self, body: WaterBody) -> [f64; 5] {
        let r = self.row();
        match (body, r.lake_limits) {
            (WaterBody::Lake, Some(l)) => l,
            _ => r.limits,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_reads_as_the_standard() {
        assert_eq!(TABLE.len(), 29);
        // The accumulator indexes its cells by `item as usize`: the table is in enum order.
        for (i, r) in TABLE.iter().enumerate() {
            assert_eq!(r.item as usize, i, "{:?}", r.item);
        }
        assert_eq!(
            TABLE.iter().filter(|r| r.item.in_section_class()).count(),
            21
        );
        // Limits never get stricter from class I to V (DO: never higher).
        for r in TABLE.iter().filter(|r| matches!(r.bound, Bound::Upper)) {
            assert!(r.limits.windows(2).all(|w| w[0] <= w[1]), "{:?}", r.item);
        }
        let d = Item::DissolvedOxygen.limits(WaterBody::River);
        assert!(d.windows(2).all(|w| w[0] >= w[1]));
        assert_eq!(
            Item::TotalPhosphorus.limits(WaterBody::Lake),
            [0.01, 0.025, 0.05, 0.1, 0.2]
        );
        assert_eq!(Item::TotalPhosphorus.limits(WaterBody::River)[2], 0.2);
        assert_eq!(Item::parse("water.NH3-N"), Some(Item::AmmoniaNitrogen));
        assert_eq!(Item::parse("water.nh3-n"), Some(Item::AmmoniaNitrogen));
        assert_eq!(Item::parse("water.Mn"), Some(Item::Manganese));
        // Every Table 1 item is the model's parameter, and back.
        for p in WaterParameter::ALL {
            let i = Item::parse(p.code()).unwrap();
            assert_eq!(
                (i.parameter(), i.code(), i.name_zh(), i.unit()),
                (Some(p), p.code(), p.name_zh(), p.unit())
            );
        }
        assert_eq!(Item::parse("氨氮"), Some(Item::AmmoniaNitrogen));
        assert_eq!(Item::parse("Total Phosphorus"), Some(Item::TotalPhosphorus));
        assert_eq!(Item::parse("radium"), None);
    }
}
