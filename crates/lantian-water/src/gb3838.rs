//! GB 3838—2002, Environmental quality standards for surface water: Table 1 (basic items) and
//! Table 2 (supplementary items for centralised drinking-water sources), as read from the
//! standard (`standards/water-china.md` §1).

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

/// One item's row: names, unit, bound and the limits of classes I–V.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    pub item: Item,
    /// Lantian's identifier (`water.nh3n`, as in the store's variables).
    pub id: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub unit: &'static str,
    pub bound: Bound,
    /// Limits of classes I..V (rivers where rivers and lakes differ).
    pub limits: [f64; 5],
    /// Limits of classes I..V in lakes and reservoirs, where they differ (total phosphorus).
    pub lake_limits: Option<[f64; 5]>,
}

const fn row(
    item: Item,
    id: &'static str,
    name_zh: &'static str,
    name_en: &'static str,
    unit: &'static str,
    bound: Bound,
    limits: [f64; 5],
) -> Row {
    Row {
        item,
        id,
        name_zh,
        name_en,
        unit,
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
        "water.temperature",
        "水温",
        "water temperature",
        "°C",
        Bound::None,
        [f64::NAN; 5],
    ),
    row(
        Item::Ph,
        "water.ph",
        "pH",
        "pH",
        "",
        Bound::Range {
            low: 6.0,
            high: 9.0,
        },
        [f64::NAN; 5],
    ),
    // 3. Class I: "90 % saturation (or 7.5)"; the mg/L form is used.
    row(
        Item::DissolvedOxygen,
        "water.do",
        "溶解氧",
        "dissolved oxygen",
        "mg/L",
        Bound::Lower,
        [7.5, 6.0, 5.0, 3.0, 2.0],
    ),
    row(
        Item::PermanganateIndex,
        "water.codmn",
        "高锰酸盐指数",
        "permanganate index",
        "mg/L",
        Bound::Upper,
        [2.0, 4.0, 6.0, 10.0, 15.0],
    ),
    row(
        Item::Cod,
        "water.cod",
        "化学需氧量",
        "chemical oxygen demand",
        "mg/L",
        Bound::Upper,
        [15.0, 15.0, 20.0, 30.0, 40.0],
    ),
    row(
        Item::Bod5,
        "water.bod5",
        "五日生化需氧量",
        "BOD5",
        "mg/L",
        Bound::Upper,
        [3.0, 3.0, 4.0, 6.0, 10.0],
    ),
    row(
        Item::AmmoniaNitrogen,
        "water.nh3n",
        "氨氮",
        "ammonia nitrogen",
        "mg/L",
        Bound::Upper,
        [0.15, 0.5, 1.0, 1.5, 2.0],
    ),
    Row {
        item: Item::TotalPhosphorus,
        id: "water.tp",
        name_zh: "总磷",
        name_en: "total phosphorus",
        unit: "mg/L",
        bound: Bound::Upper,
        limits: [0.02, 0.1, 0.2, 0.3, 0.4],
        lake_limits: Some([0.01, 0.025, 0.05, 0.1, 0.2]),
    },
    row(
        Item::TotalNitrogen,
        "water.tn",
        "总氮",
        "total nitrogen",
        "mg/L",
        Bound::Upper,
        [0.2, 0.5, 1.0, 1.5, 2.0],
    ),
    row(
        Item::Copper,
        "water.cu",
        "铜",
        "copper",
        "mg/L",
        Bound::Upper,
        [0.01, 1.0, 1.0, 1.0, 1.0],
    ),
    row(
        Item::Zinc,
        "water.zn",
        "锌",
        "zinc",
        "mg/L",
        Bound::Upper,
        [0.05, 1.0, 1.0, 2.0, 2.0],
    ),
    row(
        Item::Fluoride,
        "water.f",
        "氟化物",
        "fluoride",
        "mg/L",
        Bound::Upper,
        [1.0, 1.0, 1.0, 1.5, 1.5],
    ),
    row(
        Item::Selenium,
        "water.se",
        "硒",
        "selenium",
        "mg/L",
        Bound::Upper,
        [0.01, 0.01, 0.01, 0.02, 0.02],
    ),
    row(
        Item::Arsenic,
        "water.as",
        "砷",
        "arsenic",
        "mg/L",
        Bound::Upper,
        [0.05, 0.05, 0.05, 0.1, 0.1],
    ),
    row(
        Item::Mercury,
        "water.hg",
        "汞",
        "mercury",
        "mg/L",
        Bound::Upper,
        [0.00005, 0.00005, 0.0001, 0.001, 0.001],
    ),
    row(
        Item::Cadmium,
        "water.cd",
        "镉",
        "cadmium",
        "mg/L",
        Bound::Upper,
        [0.001, 0.005, 0.005, 0.005, 0.01],
    ),
    row(
        Item::Chromium6,
        "water.cr6",
        "铬（六价）",
        "chromium (VI)",
        "mg/L",
        Bound::Upper,
        [0.01, 0.05, 0.05, 0.05, 0.1],
    ),
    row(
        Item::Lead,
        "water.pb",
        "铅",
        "lead",
        "mg/L",
        Bound::Upper,
        [0.01, 0.01, 0.05, 0.05, 0.1],
    ),
    row(
        Item::Cyanide,
        "water.cn",
        "氰化物",
        "cyanide",
        "mg/L",
        Bound::Upper,
        [0.005, 0.05, 0.2, 0.2, 0.2],
    ),
    row(
        Item::VolatilePhenol,
        "water.phenol",
        "挥发酚",
        "volatile phenol",
        "mg/L",
        Bound::Upper,
        [0.002, 0.002, 0.005, 0.01, 0.1],
    ),
    row(
        Item::Petroleum,
        "water.oil",
        "石油类",
        "petroleum",
        "mg/L",
        Bound::Upper,
        [0.05, 0.05, 0.05, 0.5, 1.0],
    ),
    row(
        Item::Surfactant,
        "water.las",
        "阴离子表面活性剂",
        "anionic surfactant",
        "mg/L",
        Bound::Upper,
        [0.2, 0.2, 0.2, 0.3, 0.3],
    ),
    row(
        Item::Sulfide,
        "water.sulfide",
        "硫化物",
        "sulfide",
        "mg/L",
        Bound::Upper,
        [0.05, 0.1, 0.2, 0.5, 1.0],
    ),
    row(
        Item::FecalColiform,
        "water.fc",
        "粪大肠菌群",
        "faecal coliforms",
        "count/L",
        Bound::Upper,
        [200.0, 2000.0, 10000.0, 20000.0, 40000.0],
    ),
    row(
        Item::Sulfate,
        "water.so4",
        "硫酸盐",
        "sulfate",
        "mg/L",
        Bound::Upper,
        [250.0; 5],
    ),
    row(
        Item::Chloride,
        "water.cl",
        "氯化物",
        "chloride",
        "mg/L",
        Bound::Upper,
        [250.0; 5],
    ),
    row(
        Item::Nitrate,
        "water.no3n",
        "硝酸盐",
        "nitrate (as N)",
        "mg/L",
        Bound::Upper,
        [10.0; 5],
    ),
    row(
        Item::Iron,
        "water.fe",
        "铁",
        "iron",
        "mg/L",
        Bound::Upper,
        [0.3; 5],
    ),
    row(
        Item::Manganese,
        "water.mn",
        "锰",
        "manganese",
        "mg/L",
        Bound::Upper,
        [0.1; 5],
    ),
];

impl Item {
    pub fn row(self) -> &'static Row {
        TABLE
            .iter()
            .find(|r| r.item == self)
            .expect("every item has a row")
    }

    /// The item of an identifier (`water.nh3n`) or an English name (`ammonia nitrogen`).
    pub fn parse(s: &str) -> Option<Item> {
        let t = s.trim().to_ascii_lowercase();
        TABLE
            .iter()
            .find(|r| r.id == t || r.name_en == t || r.name_zh == s.trim())
            .map(|r| r.item)
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
        assert_eq!(Item::parse("water.nh3n"), Some(Item::AmmoniaNitrogen));
        assert_eq!(Item::parse("氨氮"), Some(Item::AmmoniaNitrogen));
        assert_eq!(Item::parse("Total Phosphorus"), Some(Item::TotalPhosphorus));
        assert_eq!(Item::parse("radium"), None);
    }
}
