//! The Meuse floodplain set (R's `sp::meuse`, here scikit-gstat's `meuse.txt`): 155 topsoil
//! samples near Stein (NL), the classic kriging example.
//!
//! `"x","y","cadmium","copper","lead","zinc","elev","dist","om","ffreq","soil","lime","landuse","dist.m"`
//!
//! - `x`, `y`: Rijksdriehoekstelsel, `EPSG:28992` (RD New), metres;
//! - `cadmium`, `copper`, `lead`, `zinc`: the contents `Cd`, `Cu`, `Pb`, `Zn`, in ppm (mg/kg;
//!   `source_unit` says `ppm`);
//! - `soil`: the 1:50 000 Dutch soil map unit ([`SOILS`]), into `soil_type` as `1 Rd10A`;
//! - `landuse`: kept as written, classed by [`LAND_USES`] (`NA` is not measured);
//! - `elev`, `dist`, `om`, `ffreq`, `lime`, `dist.m`: listed in
//!   [`SoilFile::unused_columns`](super::SoilFile::unused_columns).
//!
//! The codes are those of the `sp::meuse` help page. The file has no sample identifiers (R's
//! row names, the original sample numbers, were not written): a sample's `id` is its row number.

use super::wide::{Column, LandUse, Layout, Role};
use super::{Problem, SoilFile};
use lantian_soil::LandClass;

/// The header (quoted in the file).
pub const COLUMNS: [&str; 14] = [
    "x", "y", "cadmium", "copper", "lead", "zinc", "elev", "dist", "om", "ffreq", "soil", "lime",
    "landuse", "dist.m",
];

/// The land-use codes, their meaning (sp's help page) and their classes.
///
/// Arable land (`A*`) is cultivated land and pasture (`W`, weide; `Bw`, trees in pasture) is
/// grassland: both are GB 15618's "other" agricultural land. Fruit trees (`Fh`, `Fl`) are
/// orchards, which have their own copper row. Fruit trees in pasture (`Fw`) are grazed: the
/// grass under them is fodder, so they are screened as pasture, whose copper value is the
/// stricter. Woods, home gardens, sport fields, stable yards and the codes sp leaves unexplained
/// (`DEN`, `Tv`) are not agricultural land in GB 15618's sense and are not classed (a home
/// garden is residential land; a caller who wants it screened as such can class it).
pub const LAND_USES: [(&str, &str, Option<LandClass>); 16] = [
    (
        "Aa",
        "agriculture, unspecified",
        Some(LandClass::OtherFarmland),
    ),
    (
        "Ab",
        "agriculture, sugar beets",
        Some(LandClass::OtherFarmland),
    ),
    (
        "Ag",
        "agriculture, small grains",
        Some(LandClass::OtherFarmland),
    ),
    ("Ah", "agriculture, other", Some(LandClass::OtherFarmland)),
    ("Am", "agriculture, maize", Some(LandClass::OtherFarmland)),
    ("B", "woods", None),
    ("Bw", "trees in pasture", Some(LandClass::OtherFarmland)),
    ("DEN", "not explained in sp", None),
    ("Fh", "tall fruit trees", Some(LandClass::Orchard)),
    ("Fl", "low fruit trees", Some(LandClass::Orchard)),
    (
        "Fw",
        "fruit trees in pasture",
        Some(LandClass::OtherFarmland),
    ),
    ("Ga", "home gardens", None),
    ("SPO", "sport field", None),
    ("STA", "stable yard", None),
    ("Tv", "not explained in sp", None),
    ("W", "pasture", Some(LandClass::OtherFarmland)),
];

/// The soil map units.
pub const SOILS: [(&str, &str); 3] = [
    (
        "1",
        "Rd10A: calcareous weakly-developed meadow soil, light sandy clay",
    ),
    (
        "2",
        "Rd90C/VII: non-calcareous weakly-developed meadow soil, heavy sandy clay to light clay",
    ),
    (
        "3",
        "Bkd26/VII: red brick soil, fine-sandy, silty light clay",
    ),
];

fn land(cell: &str) -> Result<LandUse, String> {
    let t = cell.trim();
    LAND_USES
        .iter()
        .find(|(code, _, _)| *code == t)
        .map(|&(code, _, class)| (code.to_string(), class))
        .ok_or_else(|| "not a land-use code of sp::meuse".into())
}

fn soil(cell: &str) -> Result<String, String> {
    let t = cell.trim();
    SOILS
        .iter()
        .find(|(code, _)| *code == t)
        .map(|(code, name)| format!("{code} {}", name.split(':').next().unwrap_or(name)))
        .ok_or_else(|| "not a soil unit of the set (1, 2, 3)".into())
}

const fn content(name: &'static str, item: &'static str) -> Column {
    Column {
        name,
        unit: "ppm",
        role: Role::Content { item },
    }
}

const fn unused(name: &'static str, unit: &'static str, why: &'static str) -> Column {
    Column {
        name,
        unit,
        role: Role::Unused { why },
    }
}

const LAYOUT_COLUMNS: [Column; 14] = [
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
    content("cadmium", "Cd"),
    content("copper", "Cu"),
    content("lead", "Pb"),
    content("zinc", "Zn"),
    unused(
        "elev",
        "m",
        "relative elevation above the local river bed; a sample has no elevation field",
    ),
    unused(
        "dist",
        "",
        "distance to the Meuse, normalised to [0, 1]: a covariate, not a sample field",
    ),
    unused("om", "%", "organic matter: not a GB 15618 or GB 36600 item"),
    unused(
        "ffreq",
        "",
        "flooding frequency class (1 every two years, 2 every ten, 3 every fifty): a covariate",
    ),
    Column {
        name: "soil",
        unit: "",
        role: Role::SoilType,
    },
    unused(
        "lime",
        "",
        "lime class (0 absent, 1 present by a 5% HCl field test): a covariate",
    ),
    Column {
        name: "landuse",
        unit: "",
        role: Role::LandUse,
    },
    unused(
        "dist.m",
        "m",
        "distance to the Meuse measured in the field: a covariate",
    ),
];

const LAYOUT: Layout = Layout {
    columns: &LAYOUT_COLUMNS,
    crs: "EPSG:28992",
    coord_exp: 0,
    lon_lat: false,
    land,
    soil,
};

/// Read `meuse.txt`.
pub fn read_meuse(file: &str, text: &str) -> Result<SoilFile, Problem> {
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
    fn codes_are_named() {
        assert_eq!(soil("1"), Ok("1 Rd10A".into()));
        assert_eq!(soil("2"), Ok("2 Rd90C/VII".into()));
        assert!(soil("4").is_err());
        assert_eq!(
            land("Ah"),
            Ok(("Ah".into(), Some(LandClass::OtherFarmland)))
        );
        assert_eq!(land("Fh"), Ok(("Fh".into(), Some(LandClass::Orchard))));
        assert_eq!(land("Ga"), Ok(("Ga".into(), None)));
        assert!(land("X").is_err());
    }
}
