//! CUMCM 2011 problem A: the topsoil of an unnamed Chinese city, 319 samples.
//!
//! `x,y,z,area,As,Cd,Cr,Cu,Hg,Ni,Pb,Zn`
//!
//! - `x`, `y`: metres on the contest's local grid (`crs` is `local grid, m`);
//! - `z`: the elevation of the point (m). A [`Sample`](lantian_soil::Sample) has no elevation
//!   (its `topography` is a landform in words), so the column is listed in
//!   [`SoilFile::unused_columns`](super::SoilFile::unused_columns) and stays in the file for
//!   whoever maps the terrain;
//! - `area`: the functional zone 1–5 ([`ZONES`]), kept in `land_use` as `1 生活区 living` and
//!   mapped to a land class by the table;
//! - contents in µg/g (= mg/kg) except **Cd and Hg in ng/g**, which are divided by 1000 (by the
//!   decimal exponent, see [`decimal`](super::decimal)), with `source_unit` saying so.
//!
//! The file has no sample identifiers: a sample's `id` is its row number (1–319, the contest's
//! numbering), and no date or depth (the contest describes a single survey of topsoil).

use super::wide::{Column, LandUse, Layout, Role, as_written};
use super::{Problem, SoilFile};
use lantian_soil::LandClass;

/// The header.
pub const COLUMNS: [&str; 12] = [
    "x", "y", "z", "area", "As", "Cd", "Cr", "Cu", "Hg", "Ni", "Pb", "Zn",
];

/// One functional zone of the contest and the class it is screened as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zone {
    pub code: u8,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub class: LandClass,
}

/// The zones and their classes.
///
/// - 1 生活区 (living): residential land, GB 36600 第一类用地.
/// - 2 工业区 (industrial): industrial land (M), 第二类用地.
/// - 3 山区 (mountain): not construction land. It is screened as GB 15618's "other"
///   agricultural land, the class for upland and grassland, the nearest to the hills around a
///   city. **The set has no pH**, and GB 15618 chooses its value by pH, so the engine reports
///   the pH-dependent items of these samples as not decidable rather than guessing a column.
/// - 4 主干道路区 (traffic): road land (S), 第二类用地.
/// - 5 公园绿地区 (park/green): GB 36600 puts community and children's parks in 第一类用地 and
///   other green space (G) in 第二类用地. The contest's park/green zone is the city's parks,
///   where people, children among them, spend their time; the protective reading is 第一类用地,
///   and it is the one taken here. A caller who knows a sample is roadside green space can
///   re-class it.
pub const ZONES: [Zone; 5] = [
    Zone {
        code: 1,
        name_zh: "生活区",
        name_en: "living",
        class: LandClass::ConstructionFirst,
    },
    Zone {
        code: 2,
        name_zh: "工业区",
        name_en: "industrial",
        class: LandClass::ConstructionSecond,
    },
    Zone {
        code: 3,
        name_zh: "山区",
        name_en: "mountain",
        class: LandClass::OtherFarmland,
    },
    Zone {
        code: 4,
        name_zh: "主干道路区",
        name_en: "traffic",
        class: LandClass::ConstructionSecond,
    },
    Zone {
        code: 5,
        name_zh: "公园绿地区",
        name_en: "park/green",
        class: LandClass::ConstructionFirst,
    },
];

/// The zone of an `area` cell (`4` or, as R wrote it, `4.0`).
pub fn zone(cell: &str) -> Option<&'static Zone> {
    let v = super::decimal(cell, 0)?;
    ZONES.iter().find(|z| f64::from(z.code) == v)
}

fn land(cell: &str) -> Result<LandUse, String> {
    zone(cell)
        .map(|z| {
            (
                format!("{} {} {}", z.code, z.name_zh, z.name_en),
                Some(z.class),
            )
        })
        .ok_or_else(|| "not a functional zone 1–5".into())
}

const fn content(name: &'static str, unit: &'static str) -> Column {
    Column {
        name,
        unit,
        role: Role::Content { item: name },
    }
}

const LAYOUT_COLUMNS: [Column; 12] = [
    Column {
        name: "x",
        unit: "m",
        role: Role::X,
    },
    Column {
        name: "y",
        unit: "m",
        role: Role::Y,
    },
    Column {
        name: "z",
        unit: "m",
        role: Role::Unused {
            why: "the elevation of the sample point; a sample has no elevation field (its \
                  topography is a landform in words)",
        },
    },
    Column {
        name: "area",
        unit: "",
        role: Role::LandUse,
    },
    content("As", "µg/g"),
    content("Cd", "ng/g"),
    content("Cr", "µg/g"),
    content("Cu", "µg/g"),
    content("Hg", "ng/g"),
    content("Ni", "µg/g"),
    content("Pb", "µg/g"),
    content("Zn", "µg/g"),
];

const LAYOUT: Layout = Layout {
    columns: &LAYOUT_COLUMNS,
    crs: "local grid, m",
    coord_exp: 0,
    lon_lat: false,
    land,
    soil: as_written,
};

/// Read the CUMCM file. The header must be the set's; anything else is refused.
pub fn read_cumcm(file: &str, text: &str) -> Result<SoilFile, Problem> {
    super::wide::read(file, text, 0, &LAYOUT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lantian_soil::Value;

    #[test]
    fn the_layout_is_the_header_and_its_units_convert() {
        assert_eq!(LAYOUT.names(), COLUMNS);
        for c in LAYOUT_COLUMNS {
            if let Role::Content { .. } = c.role {
                assert!(super::super::unit_exponent(c.unit).is_ok(), "{}", c.unit);
            }
        }
    }

    #[test]
    fn zones_map_by_the_table() {
        assert_eq!(zone("4.0").unwrap().class, LandClass::ConstructionSecond);
        assert_eq!(zone("5").unwrap().class, LandClass::ConstructionFirst);
        assert_eq!(zone("3").unwrap().name_zh, "山区");
        assert!(zone("6").is_none());
        assert!(zone("1.5").is_none());
    }

    #[test]
    fn a_row_read_whole() {
        let text = "x,y,z,area,As,Cd,Cr,Cu,Hg,Ni,Pb,Zn\n\
                    74.0,781.0,5.0,4.0,7.84,153.8,44.31,20.56,266.0,18.2,35.38,72.35\n";
        let f = read_cumcm("c.csv", text).unwrap();
        let s = &f.samples[0];
        assert_eq!((s.x, s.y), (Some(74.0), Some(781.0)));
        assert_eq!(s.land_use.as_deref(), Some("4 主干道路区 traffic"));
        assert_eq!(s.land_class, Some(LandClass::ConstructionSecond));
        assert_eq!(s.ph, None);
        let hg = s.content("Hg").unwrap();
        assert_eq!(hg.value, Value::Measured { mg_kg: 0.266 });
        assert_eq!(hg.source_unit.as_deref(), Some("ng/g"));
        assert_eq!(
            s.content("As").unwrap().source_unit.as_deref(),
            Some("µg/g")
        );
        assert_eq!(f.unused_columns.len(), 1);
        assert_eq!(f.unused_columns[0].name, "z");
    }
}
