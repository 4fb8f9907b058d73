//! One soil sample as the readers give it to the engine: where it was taken, what the land is
//! used for, and its contents with the file and line they came from.

use serde::Serialize;

/// A content as measured: a number in mg/kg of dry soil (the unit of GB 15618 and GB 36600;
/// readers convert exactly, e.g. ng/g ÷ 1000), or "not detected" with the detection limit,
/// kept as such and never turned into a number.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Value {
    Measured { mg_kg: f64 },
    BelowDetection { limit_mg_kg: f64 },
}

/// One item's content in a sample.
///
/// `item` is the element symbol for metals and inorganics (`Cd`, `Hg`, `As`, `Pb`, `Cr` total
/// chromium, `Cr6+`, `Cu`, `Ni`, `Zn`, `Sb`, `Be`, `Co`, `V`, `CN`), and the CAS number for
/// organic items (`71-43-2` benzene), the keys of the standards' tables.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Content {
    pub item: String,
    pub value: Value,
    /// The unit the source gave, when it was not mg/kg (e.g. `ng/g`): the conversion is reported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_unit: Option<String>,
}

/// The land a sample is screened as. Agricultural land is screened by GB 15618—2018 (cultivated
/// land; orchards and grassland refer to it), construction land by GB 36600—2018.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LandClass {
    /// 水田
    Paddy,
    /// 水旱轮作: the stricter of the paddy and the other value (GB 15618 Table 1 note).
    PaddyUplandRotation,
    /// 果园 (its own copper row in GB 15618 Table 1)
    Orchard,
    /// 其他 agricultural land: upland, vegetable land, grassland.
    OtherFarmland,
    /// GB 36600 第一类用地: residential, schools, hospitals, welfare, community and children's parks.
    ConstructionFirst,
    /// GB 36600 第二类用地: industrial, logistics, commercial, roads, utilities, other public land, other green space.
    ConstructionSecond,
}

impl LandClass {
    pub fn is_agricultural(self) -> bool {
        matches!(
            self,
            LandClass::Paddy
                | LandClass::PaddyUplandRotation
                | LandClass::Orchard
                | LandClass::OtherFarmland
        )
    }

    pub fn code(self) -> &'static str {
        match self {
            LandClass::Paddy => "paddy",
            LandClass::PaddyUplandRotation => "paddy_upland_rotation",
            LandClass::Orchard => "orchard",
            LandClass::OtherFarmland => "other_farmland",
            LandClass::ConstructionFirst => "construction_first",
            LandClass::ConstructionSecond => "construction_second",
        }
    }

    pub const ALL: [LandClass; 6] = [
        LandClass::Paddy,
        LandClass::PaddyUplandRotation,
        LandClass::Orchard,
        LandClass::OtherFarmland,
        LandClass::ConstructionFirst,
        LandClass::ConstructionSecond,
    ];
}

impl std::str::FromStr for LandClass {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LandClass::ALL
            .into_iter()
            .find(|c| c.code().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                // An error repeats at most 40 characters of what it was given.
                let mut shown: String = s.chars().take(40).collect();
                if s.chars().nth(40).is_some() {
                    shown.push('…');
                }
                format!(
                    "unknown land class {shown:?} (expected one of {})",
                    LandClass::ALL.map(|c| c.code()).join(", ")
                )
            })
    }
}

/// One sample point (or one layer of a profile).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sample {
    pub id: String,
    /// Coordinates in the set's reference system (`crs`): metres for projected sets, degrees for
    /// longitude/latitude.
    pub x: Option<f64>,
    pub y: Option<f64>,
    /// `EPSG:4326`, `EPSG:28992` (RD New, Meuse), or a description such as `local grid, m`.
    pub crs: String,
    /// `0-20 cm`, as the source writes it.
    pub depth: Option<String>,
    /// The land use in the source's words (`Paddy`, `2` = industrial zone, `Meadow` …).
    pub land_use: Option<String>,
    /// The class it is screened as, when the land use maps to one (the mapping is stated by
    /// whoever sets it, reader or caller).
    pub land_class: Option<LandClass>,
    pub soil_type: Option<String>,
    pub topography: Option<String>,
    pub district: Option<String>,
    /// The plot (地块) the sample belongs to, if any.
    pub plot: Option<String>,
    pub date: Option<chrono::NaiveDate>,
    /// Soil pH (selects GB 15618's column); `None` when not measured.
    pub ph: Option<f64>,
    pub contents: Vec<Content>,
    /// Provenance: the file and line the sample was read from.
    pub file: String,
    pub line: usize,
}

impl Sample {
    /// The content of one item, if measured.
    pub fn content(&self, item: &str) -> Option<&Content> {
        self.contents.iter().find(|c| c.item == item)
    }
}
