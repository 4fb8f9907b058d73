//! GB 15618—2018, Soil environmental quality — Risk control standard for soil contamination of
//! agricultural land: Table 1 (screening values of the basic items), Table 2 (screening values
//! of the other items) and Table 3 (control values), as read in `standards/soil-china.md` §2.
//!
//! All three tables are **[2+]**: two independent public transcriptions agree value for value
//! with them. What remains open is whether the pH bands' ends are inclusive as written
//! (≤ 5.5, 5.5 < pH ≤ 6.5, 6.5 < pH ≤ 7.5, > 7.5): they are taken as written ([`PhBand`]).
//!
//! The sample's land class picks the row of Table 1:
//! - paddy (水田): the paddy row; copper has no paddy row and takes "other" (其他);
//! - paddy–upland rotation (水旱轮作): the stricter (lower) of the paddy and other values, band by
//!   band (Table 1 note). The stricter row is not always the paddy one: lead at pH ≤ 5.5 is 80 in
//!   paddy and 70 in other land, so rotation takes 70;
//! - orchard (果园): the orchard row for copper, the "other" row for every other item. The
//!   standard is written for cultivated land (耕地) and orchards refer to it; only copper has an
//!   orchard row, and the "other" row is what an orchard is otherwise;
//! - other farmland (upland, vegetable land, grassland): the "other" row;
//! - nickel and zinc have one row for all land.
//!
//! The category of a content (§5 of the standard, decision rule **[2+]**): at most the screening
//! value, priority protection (优先保护类); above it and at most the control value, safe
//! utilisation (安全利用类); above the control value, strict control (严格管控类). Cu, Ni, Zn and
//! the Table 2 items have no control value, so they never put land in strict control.

use crate::limit::{Limit, LimitKind, Limits};
use crate::sample::LandClass;
use crate::verdict::Level;
use serde::Serialize;

pub const STANDARD: &str = "GB 15618—2018";

/// The soil pH bands that are Table 1's and Table 3's columns.
///
/// The ends are taken as written: pH 5.5 is in the first band, 5.5000001 in the second. (That
/// the ends are inclusive this way is how both transcriptions print them; the official text was
/// not at hand: UNCONFIRMED.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PhBand {
    /// pH ≤ 5.5
    AtMost5_5,
    /// 5.5 < pH ≤ 6.5
    Over5_5To6_5,
    /// 6.5 < pH ≤ 7.5
    Over6_5To7_5,
    /// pH > 7.5
    Over7_5,
}

impl PhBand {
    pub const ALL: [PhBand; 4] = [
        PhBand::AtMost5_5,
        PhBand::Over5_5To6_5,
        PhBand::Over6_5To7_5,
        PhBand::Over7_5,
    ];

    /// The upper ends of the first three bands.
    pub const EDGES: [f64; 3] = [5.5, 6.5, 7.5];

    /// The band of a pH; `None` for a value that is not a pH (not a number, outside 0–14).
    pub fn of(ph: f64) -> Option<PhBand> {
        if !ph.is_finite() || !(0.0..=14.0).contains(&ph) {
            return None;
        }
        let k = PhBand::EDGES.iter().position(|&e| ph <= e).unwrap_or(3);
        Some(PhBand::ALL[k])
    }

    /// The column's position in the tables, 0..4.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The column's heading as the standard prints it.
    pub fn label(self) -> &'static str {
        ["pH ≤ 5.5", "5.5 < pH ≤ 6.5", "6.5 < pH ≤ 7.5", "pH > 7.5"][self.index()]
    }
}

/// The items of Tables 1 and 2, keyed as the samples key them: element symbols for metals
/// (total contents, Table 1 note), `HCH` and `DDT` for the totals of 六六六 and 滴滴涕, the CAS
/// number `50-32-8` for benzo[a]pyrene.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Item {
    Cd,
    Hg,
    As,
    Pb,
    Cr,
    Cu,
    Ni,
    Zn,
    Hch,
    Ddt,
    BenzoAPyrene,
}

impl Item {
    pub const ALL: [Item; 11] = [
        Item::Cd,
        Item::Hg,
        Item::As,
        Item::Pb,
        Item::Cr,
        Item::Cu,
        Item::Ni,
        Item::Zn,
        Item::Hch,
        Item::Ddt,
        Item::BenzoAPyrene,
    ];

    /// The key of the item in [`crate::Content::item`].
    pub fn key(self) -> &'static str {
        match self {
            Item::Cd => "Cd",
            Item::Hg => "Hg",
            Item::As => "As",
            Item::Pb => "Pb",
            Item::Cr => "Cr",
            Item::Cu => "Cu",
            Item::Ni => "Ni",
            Item::Zn => "Zn",
            Item::Hch => "HCH",
            Item::Ddt => "DDT",
            Item::BenzoAPyrene => "50-32-8",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Item::Cd => "镉",
            Item::Hg => "汞",
            Item::As => "砷",
            Item::Pb => "铅",
            Item::Cr => "铬",
            Item::Cu => "铜",
            Item::Ni => "镍",
            Item::Zn => "锌",
            Item::Hch => "六六六总量",
            Item::Ddt => "滴滴涕总量",
            Item::BenzoAPyrene => "苯并[a]芘",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Item::Cd => "cadmium",
            Item::Hg => "mercury",
            Item::As => "arsenic",
            Item::Pb => "lead",
            Item::Cr => "chromium",
            Item::Cu => "copper",
            Item::Ni => "nickel",
            Item::Zn => "zinc",
            Item::Hch => "HCH (total)",
            Item::Ddt => "DDT (total)",
            Item::BenzoAPyrene => "benzo[a]pyrene",
        }
    }

    /// The item of a key (exact, as the readers write it).
    pub fn parse(key: &str) -> Option<Item> {
        Item::ALL.into_iter().find(|i| i.key() == key.trim())
    }

    /// Table 1 items depend on the pH; Table 2 items have one value.
    pub fn is_ph_dependent(self) -> bool {
        TABLE1.iter().any(|r| r.item == self)
    }
}

/// The land a Table 1 row is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowLand {
    /// 水田
    Paddy,
    /// 果园 (copper only)
    Orchard,
    /// 其他
    Other,
    /// One row for all agricultural land (nickel, zinc).
    All,
}

impl RowLand {
    pub fn name_en(self) -> &'static str {
        match self {
            RowLand::Paddy => "paddy",
            RowLand::Orchard => "orchard",
            RowLand::Other => "other",
            RowLand::All => "all agricultural land",
        }
    }
}

/// A row of Table 1: screening values (mg/kg) in the four pH bands.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ScreeningRow {
    pub item: Item,
    pub land: RowLand,
    pub mg_kg: [f64; 4],
    pub confirmed: bool,
}

/// A row of Table 2: one screening value (mg/kg), whatever the pH.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OtherItemRow {
    pub item: Item,
    pub mg_kg: f64,
    pub confirmed: bool,
}

/// A row of Table 3: control values (mg/kg) in the four pH bands.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ControlRow {
    pub item: Item,
    pub mg_kg: [f64; 4],
    pub confirmed: bool,
}

const fn t1(item: Item, land: RowLand, mg_kg: [f64; 4]) -> ScreeningRow {
    ScreeningRow {
        item,
        land,
        mg_kg,
        confirmed: true,
    }
}

/// Table 1, screening values of the basic items (mg/kg). [2+]
pub static TABLE1: &[ScreeningRow] = &[
    t1(Item::Cd, RowLand::Paddy, [0.3, 0.4, 0.6, 0.8]),
    t1(Item::Cd, RowLand::Other, [0.3, 0.3, 0.3, 0.6]),
    t1(Item::Hg, RowLand::Paddy, [0.5, 0.5, 0.6, 1.0]),
    t1(Item::Hg, RowLand::Other, [1.3, 1.8, 2.4, 3.4]),
    t1(Item::As, RowLand::Paddy, [30.0, 30.0, 25.0, 20.0]),
    t1(Item::As, RowLand::Other, [40.0, 40.0, 30.0, 25.0]),
    t1(Item::Pb, RowLand::Paddy, [80.0, 100.0, 140.0, 240.0]),
    t1(Item::Pb, RowLand::Other, [70.0, 90.0, 120.0, 170.0]),
    t1(Item::Cr, RowLand::Paddy, [250.0, 250.0, 300.0, 350.0]),
    t1(Item::Cr, RowLand::Other, [150.0, 150.0, 200.0, 250.0]),
    t1(Item::Cu, RowLand::Orchard, [150.0, 150.0, 200.0, 200.0]),
    t1(Item::Cu, RowLand::Other, [50.0, 50.0, 100.0, 100.0]),
    t1(Item::Ni, RowLand::All, [60.0, 70.0, 100.0, 190.0]),
    t1(Item::Zn, RowLand::All, [200.0, 200.0, 250.0, 300.0]),
];

/// Table 2, screening values of the other items (mg/kg). [2+]
pub static TABLE2: &[OtherItemRow] = &[
    OtherItemRow {
        item: Item::Hch,
        mg_kg: 0.10,
        confirmed: true,
    },
    OtherItemRow {
        item: Item::Ddt,
        mg_kg: 0.10,
        confirmed: true,
    },
    OtherItemRow {
        item: Item::BenzoAPyrene,
        mg_kg: 0.55,
        confirmed: true,
    },
];

const fn t3(item: Item, mg_kg: [f64; 4]) -> ControlRow {
    ControlRow {
        item,
        mg_kg,
        confirmed: true,
    }
}

/// Table 3, control values (mg/kg); Cu, Ni, Zn and the Table 2 items have none. [2+]
pub static TABLE3: &[ControlRow] = &[
    t3(Item::Cd, [1.5, 2.0, 3.0, 4.0]),
    t3(Item::Hg, [2.0, 2.5, 4.0, 6.0]),
    t3(Item::As, [200.0, 150.0, 120.0, 100.0]),
    t3(Item::Pb, [400.0, 500.0, 700.0, 1000.0]),
    t3(Item::Cr, [800.0, 850.0, 1000.0, 1300.0]),
];

/// The Table 1 rows that apply to an item on a land class: one row, or the paddy and the other
/// row for paddy–upland rotation (the stricter is taken band by band). Empty for a Table 2
/// item or construction land.
pub fn table1_rows(item: Item, land: LandClass) -> Vec<&'static ScreeningRow> {
    let rows: Vec<&ScreeningRow> = TABLE1.iter().filter(|r| r.item == item).collect();
    if rows.is_empty() || !land.is_agricultural() {
        return Vec::new();
    }
    if let Some(all) = rows.iter().find(|r| r.land == RowLand::All) {
        return vec![all];
    }
    let wanted: &[RowLand] = match land {
        LandClass::Paddy => &[RowLand::Paddy],
        LandClass::PaddyUplandRotation => &[RowLand::Paddy, RowLand::Other],
        LandClass::Orchard => &[RowLand::Orchard],
        _ => &[RowLand::Other],
    };
    let found: Vec<&ScreeningRow> = rows
        .iter()
        .copied()
        .filter(|r| wanted.contains(&r.land))
        .collect();
    if found.is_empty() {
        // Copper on paddy land, the other metals in orchards: the "other" row (module docs).
        rows.into_iter()
            .filter(|r| r.land == RowLand::Other)
            .collect()
    } else {
        found
    }
}

/// The screening value of an item on a land class in a pH band (the band is ignored for the
/// Table 2 items); `None` on construction land.
pub fn screening_value(item: Item, land: LandClass, band: PhBand) -> Option<Limit> {
    if !land.is_agricultural() {
        return None;
    }
    if let Some(r) = TABLE2.iter().find(|r| r.item == item) {
        return Some(Limit {
            kind: LimitKind::Screening,
            mg_kg: r.mg_kg,
            standard: STANDARD,
            table: 2,
            row: item.name_en().to_string(),
            column: "any pH".to_string(),
            confirmed: r.confirmed,
        });
    }
    let rows = table1_rows(item, land);
    let k = band.index();
    let stricter = rows
        .iter()
        .min_by(|a, b| a.mg_kg[k].total_cmp(&b.mg_kg[k]))?;
    let row = if rows.len() > 1 {
        let each: Vec<String> = rows
            .iter()
            .map(|r| format!("{} {}", r.land.name_en(), r.mg_kg[k]))
            .collect();
        format!(
            "{}, paddy–upland rotation: the stricter of {}",
            item.key(),
            each.join(" and ")
        )
    } else {
        format!("{}, {}", item.key(), stricter.land.name_en())
    };
    Some(Limit {
        kind: LimitKind::Screening,
        mg_kg: stricter.mg_kg[k],
        standard: STANDARD,
        table: 1,
        row,
        column: band.label().to_string(),
        confirmed: rows.iter().all(|r| r.confirmed),
    })
}

/// The control value of an item in a pH band; `None` for the items Table 3 does not list.
pub fn control_value(item: Item, band: PhBand) -> Option<Limit> {
    let r = TABLE3.iter().find(|r| r.item == item)?;
    Some(Limit {
        kind: LimitKind::Control,
        mg_kg: r.mg_kg[band.index()],
        standard: STANDARD,
        table: 3,
        row: item.key().to_string(),
        column: band.label().to_string(),
        confirmed: r.confirmed,
    })
}

/// The screening and control values of an item on a land class. `band` may be `None` only for
/// the Table 2 items: a pH-dependent item without a band has no limits (`None`), as on
/// construction land.
pub fn limits(item: Item, land: LandClass, band: Option<PhBand>) -> Option<Limits> {
    let band = match band {
        Some(b) => b,
        None if !item.is_ph_dependent() => PhBand::AtMost5_5,
        None => return None,
    };
    Some(Limits {
        screening: screening_value(item, land, band)?,
        upper: control_value(item, band),
    })
}

/// The category of agricultural land (§5 of the standard); worse categories compare greater.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 优先保护类: every item at most its screening value.
    PriorityProtection,
    /// 安全利用类: some item above its screening value, none above its control value.
    SafeUtilisation,
    /// 严格管控类: some item above its control value.
    StrictControl,
}

impl Level for Category {
    const ALL: &'static [Category] = &[
        Category::PriorityProtection,
        Category::SafeUtilisation,
        Category::StrictControl,
    ];
    const STANDARD: &'static str = STANDARD;

    fn name_en(self) -> &'static str {
        match self {
            Category::PriorityProtection => "priority protection",
            Category::SafeUtilisation => "safe utilisation",
            Category::StrictControl => "strict control",
        }
    }

    fn name_zh(self) -> &'static str {
        match self {
            Category::PriorityProtection => "优先保护类",
            Category::SafeUtilisation => "安全利用类",
            Category::StrictControl => "严格管控类",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AGRICULTURAL: [LandClass; 4] = [
        LandClass::Paddy,
        LandClass::PaddyUplandRotation,
        LandClass::Orchard,
        LandClass::OtherFarmland,
    ];

    fn s(item: Item, land: LandClass, ph: f64) -> f64 {
        screening_value(item, land, PhBand::of(ph).unwrap())
            .unwrap()
            .mg_kg
    }

    #[test]
    fn the_tables_read_as_the_standard() {
        assert_eq!(TABLE1.len(), 14);
        assert_eq!(TABLE2.len(), 3);
        assert_eq!(TABLE3.len(), 5);
        // Eight metals in Table 1, each once per land it distinguishes.
        let metals: std::collections::BTreeSet<Item> = TABLE1.iter().map(|r| r.item).collect();
        assert_eq!(metals.len(), 8);
        assert!(Item::ALL[..8].iter().all(|i| i.is_ph_dependent()));
        assert!(Item::ALL[8..].iter().all(|i| !i.is_ph_dependent()));
        // No control value for Cu, Ni, Zn, nor for Table 2.
        for i in [
            Item::Cu,
            Item::Ni,
            Item::Zn,
            Item::Hch,
            Item::Ddt,
            Item::BenzoAPyrene,
        ] {
            assert!(control_value(i, PhBand::AtMost5_5).is_none(), "{i:?}");
        }
        // Every control value is above every screening value of its item and band.
        for c in TABLE3 {
            for r in TABLE1.iter().filter(|r| r.item == c.item) {
                for k in 0..4 {
                    assert!(
                        c.mg_kg[k] > r.mg_kg[k],
                        "{:?} {:?} band {k}",
                        c.item,
                        r.land
                    );
                }
            }
        }
        assert_eq!(Item::parse("50-32-8"), Some(Item::BenzoAPyrene));
        assert_eq!(Item::parse("HCH"), Some(Item::Hch));
        assert_eq!(Item::parse("Cr6+"), None);
        assert!(TABLE1.iter().all(|r| r.confirmed));
    }

    #[test]
    fn ph_bands_at_and_beyond_each_edge() {
        assert_eq!(PhBand::of(5.5), Some(PhBand::AtMost5_5));
        assert_eq!(PhBand::of(5.500_000_1), Some(PhBand::Over5_5To6_5));
        assert_eq!(PhBand::of(6.5), Some(PhBand::Over5_5To6_5));
        assert_eq!(PhBand::of(6.500_000_1), Some(PhBand::Over6_5To7_5));
        assert_eq!(PhBand::of(7.5), Some(PhBand::Over6_5To7_5));
        assert_eq!(PhBand::of(7.500_000_1), Some(PhBand::Over7_5));
        for (k, e) in PhBand::EDGES.into_iter().enumerate() {
            assert_eq!(PhBand::of(e), Some(PhBand::ALL[k]));
            assert_eq!(PhBand::of(e.next_up()), Some(PhBand::ALL[k + 1]));
        }
        assert_eq!(PhBand::of(0.0), Some(PhBand::AtMost5_5));
        assert_eq!(PhBand::of(14.0), Some(PhBand::Over7_5));
        assert_eq!(PhBand::of(14.1), None);
        assert_eq!(PhBand::of(-0.1), None);
        assert_eq!(PhBand::of(f64::NAN), None);
    }

    #[test]
    fn rows_by_land_class() {
        // Cd paddy: 0.3 at pH 5.5, 0.4 just above.
        assert_eq!(s(Item::Cd, LandClass::Paddy, 5.5), 0.3);
        assert_eq!(s(Item::Cd, LandClass::Paddy, 5.500_000_1), 0.4);
        assert_eq!(s(Item::Cd, LandClass::OtherFarmland, 7.5), 0.3);
        assert_eq!(s(Item::Cd, LandClass::OtherFarmland, 7.6), 0.6);
        // Rotation: lead at pH ≤ 5.5 takes "other" 70 (paddy is 80); mercury takes paddy 0.6.
        assert_eq!(s(Item::Pb, LandClass::PaddyUplandRotation, 5.0), 70.0);
        assert_eq!(s(Item::Hg, LandClass::PaddyUplandRotation, 7.0), 0.6);
        assert_eq!(s(Item::Cd, LandClass::PaddyUplandRotation, 8.0), 0.6);
        assert_eq!(s(Item::As, LandClass::PaddyUplandRotation, 8.0), 20.0);
        let rot =
            screening_value(Item::Pb, LandClass::PaddyUplandRotation, PhBand::AtMost5_5).unwrap();
        assert_eq!(
            rot.row,
            "Pb, paddy–upland rotation: the stricter of paddy 80 and other 70"
        );
        // Orchard: its own copper row, "other" for the rest.
        assert_eq!(s(Item::Cu, LandClass::Orchard, 7.0), 200.0);
        assert_eq!(s(Item::Cd, LandClass::Orchard, 7.0), 0.3);
        assert_eq!(s(Item::Pb, LandClass::Orchard, 8.0), 170.0);
        // Copper on paddy land: the "other" row.
        assert_eq!(s(Item::Cu, LandClass::Paddy, 5.0), 50.0);
        assert_eq!(s(Item::Cu, LandClass::PaddyUplandRotation, 8.0), 100.0);
        // Nickel and zinc: one row.
        for land in AGRICULTURAL {
            assert_eq!(s(Item::Ni, land, 6.0), 70.0);
            assert_eq!(s(Item::Zn, land, 8.0), 300.0);
            assert_eq!(s(Item::BenzoAPyrene, land, 8.0), 0.55);
            assert_eq!(s(Item::Hch, land, 4.0), 0.10);
        }
        assert!(screening_value(Item::Cd, LandClass::ConstructionFirst, PhBand::Over7_5).is_none());
        assert_eq!(
            control_value(Item::Cd, PhBand::Over5_5To6_5).unwrap().mg_kg,
            2.0
        );
        // Without a band only the Table 2 items have limits.
        assert!(limits(Item::Cd, LandClass::Paddy, None).is_none());
        assert_eq!(
            limits(Item::Ddt, LandClass::Paddy, None)
                .unwrap()
                .screening
                .mg_kg,
            0.10
        );
    }

    /// Every cell of Table 1 is the value some land class gets, and rotation is the stricter of
    /// paddy and other in every band.
    #[test]
    fn every_cell_is_reached() {
        for r in TABLE1 {
            let lands: &[LandClass] = match r.land {
                RowLand::Paddy => &[LandClass::Paddy],
                RowLand::Orchard => &[LandClass::Orchard],
                RowLand::Other => &[LandClass::OtherFarmland],
                RowLand::All => &AGRICULTURAL,
            };
            for &land in lands {
                for band in PhBand::ALL {
                    let l = screening_value(r.item, land, band).unwrap();
                    assert_eq!(
                        l.mg_kg,
                        r.mg_kg[band.index()],
                        "{:?} {land:?} {band:?}",
                        r.item
                    );
                    assert_eq!((l.table, l.column.as_str()), (1, band.label()));
                }
            }
        }
        for item in Item::ALL.into_iter().filter(|i| i.is_ph_dependent()) {
            for band in PhBand::ALL {
                let v = |land| screening_value(item, land, band).unwrap().mg_kg;
                assert_eq!(
                    v(LandClass::PaddyUplandRotation),
                    v(LandClass::Paddy).min(v(LandClass::OtherFarmland)),
                    "{item:?} {band:?}"
                );
            }
        }
    }
}
