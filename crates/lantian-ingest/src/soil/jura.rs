//! The Swiss Jura topsoil set (Atteia, Goovaerts): `jura_pred.csv` (259 samples, for
//! prediction) and `jura_val.csv` (100, for validation), as gstat's `jura.pred` and `jura.val`.
//!
//! `Xloc,Yloc,long,lat,Landuse,Rock,Cd,Co,Cr,Cu,Ni,Pb,Zn`
//!
//! - `Xloc`, `Yloc`: the study's local grid in km, taken ×1000 as metres (`crs` is
//!   `local grid, m`), the grid the variograms and kriging of the literature use. `long`/`lat`
//!   are the same points in WGS 84 (gstat's conversion); they are listed in
//!   [`SoilFile::unused_columns`](super::SoilFile::unused_columns), not lost: a map can take
//!   them from the file;
//! - `Landuse`: kept as written, classed by [`LAND_USES`];
//! - `Rock`: the parent rock (geological stage: Argovian, Kimmeridgian, Sequanian, Portlandian,
//!   Quaternary). It is the set's only descriptor of the soil, so it goes into `soil_type`;
//! - contents in mg/kg. Co has no GB 15618 value but is kept as the content `Co` (GB 36600
//!   lists cobalt).
//!
//! The files have no sample identifiers: a sample's `id` is its row number in its file, so the
//! pair (file, id) names a sample.

use super::wide::{Column, LandUse, Layout, Role, as_written};
use super::{Problem, SoilFile};
use lantian_soil::LandClass;

/// The header.
pub const COLUMNS: [&str; 13] = [
    "Xloc", "Yloc", "long", "lat", "Landuse", "Rock", "Cd", "Co", "Cr", "Cu", "Ni", "Pb", "Zn",
];

/// The land uses and their classes. Tillage is cultivated land; meadow and pasture are
/// grassland, which GB 15618 says refers to its "other" values. Forest is outside GB 15618's
/// scope (cultivated land, orchards, grassland) and not construction land, so it is not classed
/// and its samples are not screened by land class.
pub const LAND_USES: [(&str, Option<LandClass>); 4] = [
    ("Tillage", Some(LandClass::OtherFarmland)),
    ("Meadow", Some(LandClass::OtherFarmland)),
    ("Pasture", Some(LandClass::OtherFarmland)),
    ("Forest", None),
];

fn land(cell: &str) -> Result<LandUse, String> {
    let t = cell.trim();
    LAND_USES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(t))
        .map(|&(_, class)| (t.to_string(), class))
        .ok_or_else(|| "not a land use of the set (Forest, Pasture, Meadow, Tillage)".into())
}

const fn content(name: &'static str) -> Column {
    Column {
        name,
        unit: "mg/kg",
        role: Role::Content { item: name },
    }
}

const LAYOUT_COLUMNS: [Column; 13] = [
    Column {
        name: "Xloc",
        unit: "km",
        role: Role::X,
    },
    Column {
        name: "Yloc",
        unit: "km",
        role: Role::Y,
    },
    Column {
        name: "long",
        unit: "°",
        role: Role::Unused {
            why: "the longitude (WGS 84) of the point; the sample's x is the local grid in m",
        },
    },
    Column {
        name: "lat",
        unit: "°",
        role: Role::Unused {
            why: "the latitude (WGS 84) of the point; the sample's y is the local grid in m",
        },
    },
    Column {
        name: "Landuse",
        unit: "",
        role: Role::LandUse,
    },
    Column {
        name: "Rock",
        unit: "",
        role: Role::SoilType,
    },
    content("Cd"),
    content("Co"),
    content("Cr"),
    content("Cu"),
    content("Ni"),
    content("Pb"),
    content("Zn"),
];

const LAYOUT: Layout = Layout {
    columns: &LAYOUT_COLUMNS,
    crs: "local grid, m",
    coord_exp: 3,
    lon_lat: false,
    land,
    soil: as_written,
};

/// Read `jura_pred.csv` or `jura_val.csv`.
pub fn read_jura(file: &str, text: &str) -> Result<SoilFile, Problem> {
    super::wide::read(file, text, 0, &LAYOUT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_is_the_header() {
        assert_eq!(LAYOUT.names(), COLUMNS);
    }

    #[test]
    fn km_become_metres_exactly() {
        let text = format!(
            "{}\n2.386,3.077,6.85,47.13,Meadow,Sequanian,1.74,9.32,38.32,25.72,21.32,77.36,92.56\n\
             4.61,3.315,6.87,47.14,Forest,Kimmeridgian,1.384,12.68,30.76,7.48,20.72,48.0,46.8\n",
            COLUMNS.join(",")
        );
        let f = read_jura("j.csv", &text).unwrap();
        assert!(f.problems.is_empty(), "{:?}", f.problems);
        let s = &f.samples[0];
        assert_eq!((s.x, s.y), (Some(2386.0), Some(3077.0)));
        assert_eq!(s.soil_type.as_deref(), Some("Sequanian"));
        assert_eq!(s.land_class, Some(LandClass::OtherFarmland));
        assert_eq!(f.samples[1].x, Some(4610.0));
        assert_eq!(f.samples[1].land_use.as_deref(), Some("Forest"));
        assert_eq!(f.samples[1].land_class, None);
        assert_eq!(s.contents.len(), 7);
        assert!(s.content("Co").is_some());
    }
}
