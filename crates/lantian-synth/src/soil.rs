//! Soil monitoring, generated: Beijing's network of soil points, its construction-land plots
//! (地块) and the risk-control and restoration list (名录), in the layouts of
//! `lantian_ingest::soil`.
//!
//! **A model, not data.** No survey of Beijing's soil could be obtained. The districts, their
//! areas and rough centres, where the mountains and the plain lie, the soil types and land uses
//! are Beijing's; every point, content, plot and event is drawn by the model, deterministic
//! from a seed. [`MODEL_NOTE`] says so in one sentence, for a bulletin or a dashboard to print.
//! What the model has, and why:
//!
//! - **Points**: 500, in the 16 districts (more in the large farming districts of the plain,
//!   six each in 东城 and 西城), each in a zone of its district that is mountain (山地), hill
//!   (丘陵) or plain (平原): the mountains in the west and north (门头沟, 延庆, 怀柔, 密云, the
//!   west of 房山 and the north of 昌平 and 平谷), the plain in the south-east. Coordinates are
//!   EPSG:4326, the zones approximate.
//! - **Land and soil**: the land use is drawn by district kind and topography (forest and
//!   grassland in the mountains, orchards on the hills, upland fields and construction land on
//!   the plain, a few paddy fields where Beijing still grows rice, 海淀 and 房山), the soil type
//!   by topography and land use (棕壤 brown earth higher in the mountains, 褐土 cinnamon soil on
//!   the lower slopes and the piedmont, 潮土 fluvo-aquic soil on the plain, 山地草甸土 mountain
//!   meadow soil only under the summit meadows of 门头沟, 延庆 and 怀柔, 水稻土 paddy soil under
//!   the paddies). Each land use maps to the class it is screened as ([`LandUse::land_class`]);
//!   forest maps to none, so its points are not screened.
//! - **Strata and one gap**: the network gives every land-use × soil-type combination that
//!   exists in the city ([`EXISTING`]) at least one point, as a stratified design does, except
//!   orchards on brown earth ([`GAP`]): the chestnut orchards of the northern mountains exist,
//!   the model's network has no point there, so the coverage matrix has an empty cell to show.
//! - **Contents**: one topsoil sample (0-20 cm) a point in the year, taken after the harvest
//!   (a few in spring). The metals are log-normal around Beijing's soil background values
//!   ([`BACKGROUND`]), with a common factor shared by the metals of a point (parent material),
//!   and shifted by soil type, topography and land use (fertiliser Cd on fields, Bordeaux Cu in
//!   orchards, Pb, Zn, Cd and Hg in urban soils). The year adds a 5 % measurement noise to a
//!   point's lasting content, so two years of the model compare point by point.
//! - **Hotspots** ([`HOTSPOTS`]): the old steel works of 石景山, the chemical district of the
//!   south-east of 朝阳, and the sewage-irrigated fields of 凉水河 and 凤河 in the south.
//!   Their enrichment fades with distance, so some samples exceed GB 15618's screening values.
//!   The category mix of the agricultural samples the model aims at (priority protection about
//!   90 %, safe utilisation about 9 %, strict control at most 1 %; [`MIX`]) is the model's
//!   choice, not a published figure. Strict control comes only from the two most
//!   sewage-affected fields ([`STRICT_CONTROL_CORES`]): elsewhere no content reaches a control
//!   value of GB 15618 Table 3 in any pH band.
//! - **pH**: alkaline on 褐土 and 潮土 (about 7.6–8.5), near neutral to slightly acid on 棕壤
//!   and 山地草甸土.
//! - **Below detection**: the Hg of the [`HG_NOT_DETECTED`] points with the lowest Hg is put
//!   below the method's detection limit and written `ND` with `dl`, so the readers and the
//!   engine meet the case (Beijing's soils are rarely that clean).
//! - **Plots**: 40 former factories, gas stations, chemical plants … at real places of 15
//!   districts ([`PLOTS`]; the names are generic, "垡头原化工厂地块", and describe no real
//!   site). Each has an area (5,000–300,000 m²), a planned use of first- or second-class land
//!   (GB 36600), and 3–8 samples of the seven metals of GB 36600 Table 1 and three organics by
//!   CAS number (benzene and trichloroethylene in µg/kg, as laboratories report them;
//!   benzo[a]pyrene in mg/kg). Five plots are above an intervention value, twelve above a
//!   screening value only, the rest below. Petroleum hydrocarbons (C10–C40) are not written:
//!   the long reader takes element symbols, CAS numbers and the Chinese names of its table, and
//!   petroleum hydrocarbons have no CAS number.
//! - **The list**: every plot above a screening value is listed after its investigation
//!   (evidence: the investigation and risk-assessment report), then put under risk control or
//!   remediation, evaluated and removed, the events spread from 2019 to the end of the year and
//!   cut there, so the plots listed last are still on the list. Every history passes
//!   [`lantian_soil::list::check`].
//!
//! Files ([`SoilModel::write`]): `points.csv`, `network_samples.csv`, `plot_samples.csv`,
//! `plots.csv`, `list_events.csv`, `classes.csv`, `combinations.csv`, each in its reader's
//! layout, so that `lantian_ingest::soil::read_path` reads either samples file with the points
//! beside it, and every file reads back with no problem.
//!
//! ```
//! let model = lantian_synth::soil::generate_beijing(1, 2024);
//! assert_eq!(model.network.len(), 500);
//! assert_eq!(model.plots.len(), 40);
//! lantian_soil::list::check(&model.events).unwrap();
//! ```

use crate::mix;
use chrono::{Datelike, Days, NaiveDate};
use lantian_ingest::soil::{classes, long, plots as plot_files};
use lantian_soil::LandClass;
use lantian_soil::gb15618::{self, PhBand};
use lantian_soil::gb36600::{self, SiteClass};
use lantian_soil::list::{Event, Status};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use std::borrow::Cow;
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

/// One sentence for whoever shows these numbers.
pub const MODEL_NOTE: &str = "模型生成数据，非北京市实测土壤调查数据 / generated by a model \
    (lantian-synth soil), not a survey of Beijing's soil";

/// The files [`SoilModel::write`] writes.
pub const POINTS_FILE: &str = long::POINTS_FILE;
pub const NETWORK_FILE: &str = "network_samples.csv";
pub const PLOT_SAMPLES_FILE: &str = "plot_samples.csv";
pub const PLOTS_FILE: &str = "plots.csv";
pub const LIST_EVENTS_FILE: &str = "list_events.csv";
pub const CLASSES_FILE: &str = classes::CLASSES_FILE;
pub const COMBINATIONS_FILE: &str = classes::COMBINATIONS_FILE;

/// The depth of a network sample.
pub const TOPSOIL: &str = "0-20 cm";

// ---------------------------------------------------------------------------------------------
// Classes.

/// 山地, 丘陵, 平原.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Topography {
    Mountain,
    Hill,
    Plain,
}

impl Topography {
    pub const ALL: [Topography; 3] = [Topography::Mountain, Topography::Hill, Topography::Plain];

    pub fn name_zh(self) -> &'static str {
        match self {
            Topography::Mountain => "山地",
            Topography::Hill => "丘陵",
            Topography::Plain => "平原",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Topography::Mountain => "mountain",
            Topography::Hill => "hill",
            Topography::Plain => "plain",
        }
    }
}

/// The land uses of the network, as `points.csv` writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LandUse {
    /// 耕地: 水田
    Paddy,
    /// 耕地: 旱地 (upland fields, irrigated or not: most of Beijing's cultivated land)
    Upland,
    /// 园地
    Orchard,
    /// 林地
    Forest,
    /// 草地
    Grassland,
    /// 建设用地, GB 36600 第一类用地 (residential, schools, hospitals, community parks)
    ConstructionFirst,
    /// 建设用地, GB 36600 第二类用地 (industrial, commercial, roads, other green space)
    ConstructionSecond,
}

impl LandUse {
    pub const ALL: [LandUse; 7] = [
        LandUse::Paddy,
        LandUse::Upland,
        LandUse::Orchard,
        LandUse::Forest,
        LandUse::Grassland,
        LandUse::ConstructionFirst,
        LandUse::ConstructionSecond,
    ];

    pub fn name_zh(self) -> &'static str {
        match self {
            LandUse::Paddy => "水田",
            LandUse::Upland => "旱地",
            LandUse::Orchard => "园地",
            LandUse::Forest => "林地",
            LandUse::Grassland => "草地",
            LandUse::ConstructionFirst => "第一类建设用地",
            LandUse::ConstructionSecond => "第二类建设用地",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            LandUse::Paddy => "paddy field",
            LandUse::Upland => "upland field",
            LandUse::Orchard => "orchard",
            LandUse::Forest => "forest",
            LandUse::Grassland => "grassland",
            LandUse::ConstructionFirst => "construction land, first class",
            LandUse::ConstructionSecond => "construction land, second class",
        }
    }

    /// The class a point is screened as. Grassland is screened as "other" agricultural land
    /// (GB 15618 lets pasture refer to it); forest is in neither standard, so none.
    pub fn land_class(self) -> Option<LandClass> {
        match self {
            LandUse::Paddy => Some(LandClass::Paddy),
            LandUse::Upland | LandUse::Grassland => Some(LandClass::OtherFarmland),
            LandUse::Orchard => Some(LandClass::Orchard),
            LandUse::Forest => None,
            LandUse::ConstructionFirst => Some(LandClass::ConstructionFirst),
            LandUse::ConstructionSecond => Some(LandClass::ConstructionSecond),
        }
    }

    fn is_construction(self) -> bool {
        matches!(
            self,
            LandUse::ConstructionFirst | LandUse::ConstructionSecond
        )
    }
}

/// Beijing's main soil types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SoilType {
    /// 褐土
    Cinnamon,
    /// 潮土
    FluvoAquic,
    /// 棕壤
    BrownEarth,
    /// 山地草甸土
    MountainMeadow,
    /// 水稻土
    Paddy,
}

impl SoilType {
    pub const ALL: [SoilType; 5] = [
        SoilType::Cinnamon,
        SoilType::FluvoAquic,
        SoilType::BrownEarth,
        SoilType::MountainMeadow,
        SoilType::Paddy,
    ];

    pub fn name_zh(self) -> &'static str {
        match self {
            SoilType::Cinnamon => "褐土",
            SoilType::FluvoAquic => "潮土",
            SoilType::BrownEarth => "棕壤",
            SoilType::MountainMeadow => "山地草甸土",
            SoilType::Paddy => "水稻土",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            SoilType::Cinnamon => "cinnamon soil",
            SoilType::FluvoAquic => "fluvo-aquic soil",
            SoilType::BrownEarth => "brown earth",
            SoilType::MountainMeadow => "mountain meadow soil",
            SoilType::Paddy => "paddy soil",
        }
    }
}

use LandUse as U;
use SoilType as S;

/// The land-use × soil-type combinations that exist in the city (the model's reading of where
/// each soil lies; `combinations.csv`).
pub const EXISTING: [(LandUse, SoilType); 18] = [
    (U::Paddy, S::Paddy),
    (U::Upland, S::Cinnamon),
    (U::Upland, S::FluvoAquic),
    (U::Upland, S::BrownEarth),
    (U::Orchard, S::Cinnamon),
    (U::Orchard, S::FluvoAquic),
    (U::Orchard, S::BrownEarth),
    (U::Forest, S::Cinnamon),
    (U::Forest, S::FluvoAquic),
    (U::Forest, S::BrownEarth),
    (U::Grassland, S::Cinnamon),
    (U::Grassland, S::FluvoAquic),
    (U::Grassland, S::BrownEarth),
    (U::Grassland, S::MountainMeadow),
    (U::ConstructionFirst, S::Cinnamon),
    (U::ConstructionFirst, S::FluvoAquic),
    (U::ConstructionSecond, S::Cinnamon),
    (U::ConstructionSecond, S::FluvoAquic),
];

/// The combination that exists in the city and has no point: orchards on brown earth.
pub const GAP: (LandUse, SoilType) = (U::Orchard, S::BrownEarth);

/// Rough shares of the city's area by land use, soil type and topography, for `classes.csv`.
/// UNCONFIRMED: from memory of the third national land survey's bulletin for Beijing and of
/// Beijing's soil maps, rounded; the land uses leave out water, roads outside towns and
/// unused land. Mountains and hills are about 62 % of the city, the plain 38 % (a figure
/// widely quoted).
const LAND_USE_SHARES: [(LandUse, f64); 7] = [
    (U::Paddy, 0.0002),
    (U::Upland, 0.056),
    (U::Orchard, 0.078),
    (U::Forest, 0.55),
    (U::Grassland, 0.009),
    (U::ConstructionFirst, 0.07),
    (U::ConstructionSecond, 0.11),
];
const SOIL_SHARES: [(SoilType, f64); 5] = [
    (S::Cinnamon, 0.57),
    (S::FluvoAquic, 0.19),
    (S::BrownEarth, 0.21),
    (S::MountainMeadow, 0.005),
    (S::Paddy, 0.001),
];
const TOPOGRAPHY_SHARES: [(Topography, f64); 3] = [
    (Topography::Mountain, 0.55),
    (Topography::Hill, 0.07),
    (Topography::Plain, 0.38),
];

// ---------------------------------------------------------------------------------------------
// Geography.

/// Where in the city a district is: the old city, the inner suburbs, the outer districts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DistrictKind {
    Core,
    Inner,
    Outer,
}

/// A part of a district that is of one topography: an ellipse around a centre (degrees).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Zone {
    pub topography: Topography,
    pub lon: f64,
    pub lat: f64,
    pub rx: f64,
    pub ry: f64,
    /// The share of the district's points drawn in it.
    pub weight: f64,
}

/// A district: its area (km², approximate), its rough centre, the number of network points,
/// and its zones (approximate).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct District {
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub area_km2: f64,
    pub lon: f64,
    pub lat: f64,
    pub kind: DistrictKind,
    pub points: usize,
    pub zones: &'static [Zone],
}

const fn z(topography: Topography, lon: f64, lat: f64, rx: f64, ry: f64, weight: f64) -> Zone {
    Zone {
        topography,
        lon,
        lat,
        rx,
        ry,
        weight,
    }
}

use DistrictKind::{Core, Inner, Outer};
use Topography::{Hill as H, Mountain as M, Plain as P};

/// Beijing's 16 districts. Areas are the commonly published ones (rounded); the zones are the
/// model's sketch of where each district's mountains, hills and plain lie.
#[rustfmt::skip]
pub const DISTRICTS: [District; 16] = [
    District { name_zh: "东城区", name_en: "Dongcheng", area_km2: 41.8, lon: 116.416, lat: 39.928, kind: Core, points: 6,
        zones: &[z(P, 116.416, 39.928, 0.025, 0.030, 1.0)] },
    District { name_zh: "西城区", name_en: "Xicheng", area_km2: 50.7, lon: 116.366, lat: 39.912, kind: Core, points: 6,
        zones: &[z(P, 116.366, 39.912, 0.025, 0.035, 1.0)] },
    District { name_zh: "朝阳区", name_en: "Chaoyang", area_km2: 470.8, lon: 116.486, lat: 39.948, kind: Inner, points: 30,
        zones: &[z(P, 116.500, 39.950, 0.090, 0.080, 1.0)] },
    District { name_zh: "海淀区", name_en: "Haidian", area_km2: 430.8, lon: 116.298, lat: 39.959, kind: Inner, points: 28,
        zones: &[z(P, 116.300, 39.990, 0.070, 0.070, 0.85), z(H, 116.180, 40.020, 0.030, 0.040, 0.10),
                 z(M, 116.110, 40.080, 0.030, 0.030, 0.05)] },
    District { name_zh: "丰台区", name_en: "Fengtai", area_km2: 305.8, lon: 116.287, lat: 39.858, kind: Inner, points: 22,
        zones: &[z(P, 116.300, 39.840, 0.100, 0.040, 0.85), z(H, 116.120, 39.830, 0.040, 0.030, 0.15)] },
    District { name_zh: "石景山区", name_en: "Shijingshan", area_km2: 84.3, lon: 116.223, lat: 39.906, kind: Inner, points: 10,
        zones: &[z(P, 116.210, 39.910, 0.040, 0.025, 0.75), z(H, 116.170, 39.950, 0.020, 0.020, 0.25)] },
    District { name_zh: "门头沟区", name_en: "Mentougou", area_km2: 1447.9, lon: 115.850, lat: 39.990, kind: Outer, points: 24,
        zones: &[z(M, 115.800, 40.000, 0.250, 0.120, 0.90), z(H, 116.080, 39.940, 0.040, 0.030, 0.10)] },
    District { name_zh: "房山区", name_en: "Fangshan", area_km2: 1989.5, lon: 115.950, lat: 39.700, kind: Outer, points: 45,
        zones: &[z(P, 116.100, 39.680, 0.120, 0.080, 0.35), z(H, 115.980, 39.720, 0.060, 0.060, 0.15),
                 z(M, 115.750, 39.750, 0.170, 0.120, 0.50)] },
    District { name_zh: "通州区", name_en: "Tongzhou", area_km2: 906.3, lon: 116.700, lat: 39.800, kind: Outer, points: 50,
        zones: &[z(P, 116.700, 39.800, 0.120, 0.120, 1.0)] },
    District { name_zh: "顺义区", name_en: "Shunyi", area_km2: 1019.9, lon: 116.660, lat: 40.130, kind: Outer, points: 50,
        zones: &[z(P, 116.660, 40.120, 0.130, 0.090, 0.90), z(H, 116.800, 40.220, 0.050, 0.040, 0.10)] },
    District { name_zh: "昌平区", name_en: "Changping", area_km2: 1343.5, lon: 116.230, lat: 40.220, kind: Outer, points: 38,
        zones: &[z(P, 116.300, 40.140, 0.140, 0.060, 0.40), z(H, 116.250, 40.250, 0.100, 0.030, 0.15),
                 z(M, 116.150, 40.320, 0.150, 0.080, 0.45)] },
    District { name_zh: "大兴区", name_en: "Daxing", area_km2: 1036.3, lon: 116.400, lat: 39.650, kind: Outer, points: 55,
        zones: &[z(P, 116.400, 39.630, 0.150, 0.120, 1.0)] },
    District { name_zh: "怀柔区", name_en: "Huairou", area_km2: 2122.6, lon: 116.550, lat: 40.600, kind: Outer, points: 30,
        zones: &[z(P, 116.600, 40.300, 0.060, 0.040, 0.12), z(H, 116.550, 40.400, 0.080, 0.040, 0.10),
                 z(M, 116.550, 40.680, 0.150, 0.220, 0.78)] },
    District { name_zh: "平谷区", name_en: "Pinggu", area_km2: 950.1, lon: 117.120, lat: 40.140, kind: Outer, points: 34,
        zones: &[z(P, 117.100, 40.120, 0.090, 0.060, 0.40), z(H, 117.200, 40.200, 0.100, 0.040, 0.25),
                 z(M, 117.180, 40.300, 0.100, 0.060, 0.35)] },
    District { name_zh: "密云区", name_en: "Miyun", area_km2: 2229.5, lon: 116.900, lat: 40.450, kind: Outer, points: 38,
        zones: &[z(P, 116.850, 40.350, 0.080, 0.050, 0.20), z(H, 116.950, 40.380, 0.100, 0.050, 0.15),
                 z(M, 116.950, 40.550, 0.250, 0.150, 0.65)] },
    District { name_zh: "延庆区", name_en: "Yanqing", area_km2: 1993.8, lon: 116.050, lat: 40.500, kind: Outer, points: 34,
        zones: &[z(P, 115.980, 40.450, 0.120, 0.060, 0.35), z(M, 116.100, 40.560, 0.300, 0.120, 0.65)] },
];

/// Districts whose summits carry mountain meadows (东灵山 and 百花山, 海坨山, the far north of
/// 怀柔).
const MEADOW_DISTRICTS: [&str; 3] = ["门头沟区", "延庆区", "怀柔区"];

/// Where rice is still grown, with the chance that an upland-field draw on the plain is a
/// paddy instead (京西稻 in 海淀; a few fields in 房山).
const PADDY_DISTRICTS: [(&str, f64); 2] = [("海淀区", 0.35), ("房山区", 0.15)];

/// A point the network places in a stratum (land use × soil type), in a district and zone
/// where the stratum is typical, before the district's other points are drawn.
const ANCHORS: [(&str, Topography, LandUse, SoilType); 17] = [
    ("海淀区", P, U::Paddy, S::Paddy),
    ("昌平区", P, U::Upland, S::Cinnamon),
    ("大兴区", P, U::Upland, S::FluvoAquic),
    ("密云区", M, U::Upland, S::BrownEarth),
    ("平谷区", H, U::Orchard, S::Cinnamon),
    ("大兴区", P, U::Orchard, S::FluvoAquic),
    ("昌平区", M, U::Forest, S::Cinnamon),
    ("怀柔区", M, U::Forest, S::BrownEarth),
    ("通州区", P, U::Forest, S::FluvoAquic),
    ("房山区", H, U::Grassland, S::Cinnamon),
    ("门头沟区", M, U::Grassland, S::BrownEarth),
    ("门头沟区", M, U::Grassland, S::MountainMeadow),
    ("顺义区", P, U::Grassland, S::FluvoAquic),
    ("海淀区", P, U::ConstructionFirst, S::Cinnamon),
    ("朝阳区", P, U::ConstructionFirst, S::FluvoAquic),
    ("石景山区", P, U::ConstructionSecond, S::Cinnamon),
    ("朝阳区", P, U::ConstructionSecond, S::FluvoAquic),
];

/// A network point.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkPoint {
    /// `BJ-S001` …
    pub id: String,
    /// EPSG:4326, as written (5 decimals, about a metre).
    pub lon: f64,
    pub lat: f64,
    pub district: &'static str,
    pub topography: Topography,
    pub land_use: LandUse,
    pub soil_type: SoilType,
}

impl NetworkPoint {
    pub fn land_class(&self) -> Option<LandClass> {
        self.land_use.land_class()
    }
}

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    rng.sample(StandardNormal)
}

/// One of `choices`, by weight.
fn pick<T: Copy>(rng: &mut ChaCha8Rng, choices: &[(T, f64)]) -> T {
    let total: f64 = choices.iter().map(|c| c.1).sum();
    let mut u = rng.random::<f64>() * total;
    for &(c, w) in choices {
        if u < w {
            return c;
        }
        u -= w;
    }
    choices[choices.len() - 1].0
}

/// Rounded as written with `digits` decimals, so the model holds what the file says.
fn rounded(x: f64, digits: usize) -> f64 {
    format!("{x:.digits$}").parse().unwrap_or(x)
}

/// A point drawn uniformly in a zone's ellipse.
fn in_zone(rng: &mut ChaCha8Rng, zone: &Zone) -> (f64, f64) {
    let r = rng.random::<f64>().sqrt();
    let t = rng.random::<f64>() * std::f64::consts::TAU;
    (
        rounded(zone.lon + zone.rx * r * t.cos(), 5),
        rounded(zone.lat + zone.ry * r * t.sin(), 5),
    )
}

fn draw_land_use(rng: &mut ChaCha8Rng, d: &District, topo: Topography) -> LandUse {
    let choices: &[(LandUse, f64)] = match (d.kind, topo) {
        (Core, _) => &[(U::ConstructionFirst, 0.6), (U::ConstructionSecond, 0.4)],
        (Inner, P) => &[
            (U::ConstructionFirst, 0.30),
            (U::ConstructionSecond, 0.30),
            (U::Upland, 0.15),
            (U::Orchard, 0.05),
            (U::Forest, 0.12),
            (U::Grassland, 0.08),
        ],
        (_, M) => &[
            (U::Forest, 0.60),
            (U::Grassland, 0.20),
            (U::Orchard, 0.10),
            (U::Upland, 0.10),
        ],
        (_, H) => &[
            (U::Orchard, 0.35),
            (U::Forest, 0.30),
            (U::Upland, 0.20),
            (U::Grassland, 0.10),
            (U::ConstructionFirst, 0.05),
        ],
        (Outer, P) => &[
            (U::Upland, 0.50),
            (U::Orchard, 0.10),
            (U::Forest, 0.12),
            (U::Grassland, 0.05),
            (U::ConstructionFirst, 0.10),
            (U::ConstructionSecond, 0.13),
        ],
    };
    let lu = pick(rng, choices);
    let paddy = PADDY_DISTRICTS
        .iter()
        .find(|(name, _)| *name == d.name_zh)
        .map_or(0.0, |p| p.1);
    // Drawn whatever the land use, so the stream does not depend on it.
    let u = rng.random::<f64>();
    if lu == U::Upland && topo == P && u < paddy {
        U::Paddy
    } else {
        lu
    }
}

/// The soil under a land use. Orchards are never drawn on brown earth: that is [`GAP`].
fn draw_soil(rng: &mut ChaCha8Rng, d: &District, topo: Topography, lu: LandUse) -> SoilType {
    let meadow = MEADOW_DISTRICTS.contains(&d.name_zh);
    let choices: &[(SoilType, f64)] = match (lu, topo) {
        (U::Paddy, _) => &[(S::Paddy, 1.0)],
        (U::ConstructionFirst | U::ConstructionSecond, P) => {
            &[(S::FluvoAquic, 0.55), (S::Cinnamon, 0.45)]
        }
        (U::ConstructionFirst | U::ConstructionSecond, _) => &[(S::Cinnamon, 1.0)],
        (U::Orchard, P) => &[(S::FluvoAquic, 0.5), (S::Cinnamon, 0.5)],
        (U::Orchard, _) => &[(S::Cinnamon, 1.0)],
        (U::Upland, M) => &[(S::Cinnamon, 0.7), (S::BrownEarth, 0.3)],
        (U::Upland, H) => &[(S::Cinnamon, 1.0)],
        (U::Upland, P) => &[(S::FluvoAquic, 0.65), (S::Cinnamon, 0.35)],
        (U::Forest, M) => &[(S::BrownEarth, 0.6), (S::Cinnamon, 0.4)],
        (U::Forest, H) => &[(S::Cinnamon, 0.8), (S::BrownEarth, 0.2)],
        (U::Forest, P) => &[(S::FluvoAquic, 0.7), (S::Cinnamon, 0.3)],
        (U::Grassland, M) if meadow => &[
            (S::MountainMeadow, 0.3),
            (S::BrownEarth, 0.4),
            (S::Cinnamon, 0.3),
        ],
        (U::Grassland, M) => &[(S::BrownEarth, 0.55), (S::Cinnamon, 0.45)],
        (U::Grassland, H) => &[(S::Cinnamon, 1.0)],
        (U::Grassland, P) => &[(S::FluvoAquic, 0.7), (S::Cinnamon, 0.3)],
    };
    pick(rng, choices)
}

/// The network's points, district by district, each district's anchors first.
pub fn network_points(seed: u64) -> Vec<NetworkPoint> {
    let mut out = Vec::with_capacity(500);
    for (di, d) in DISTRICTS.iter().enumerate() {
        let anchors: Vec<_> = ANCHORS.iter().filter(|a| a.0 == d.name_zh).collect();
        let weights: Vec<(usize, f64)> = d
            .zones
            .iter()
            .enumerate()
            .map(|(k, z)| (k, z.weight))
            .collect();
        for k in 0..d.points {
            let mut rng = ChaCha8Rng::seed_from_u64(mix(&[seed, 31, di as u64, k as u64]));
            let (zone, land_use, soil_type) = match anchors.get(k) {
                Some(&&(_, topo, lu, soil)) => {
                    let zone = d
                        .zones
                        .iter()
                        .find(|z| z.topography == topo)
                        .expect("an anchor's district has its zone");
                    (zone, lu, soil)
                }
                None => {
                    let zone = &d.zones[pick(&mut rng, &weights)];
                    let lu = draw_land_use(&mut rng, d, zone.topography);
                    let soil = draw_soil(&mut rng, d, zone.topography, lu);
                    (zone, lu, soil)
                }
            };
            let (lon, lat) = in_zone(&mut rng, zone);
            out.push(NetworkPoint {
                id: format!("BJ-S{:03}", out.len() + 1),
                lon,
                lat,
                district: d.name_zh,
                topography: zone.topography,
                land_use,
                soil_type,
            });
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Contents of the network's samples.

/// The metals of a network sample, in order.
pub const METALS: [&str; 8] = ["Cd", "Hg", "As", "Pb", "Cr", "Cu", "Ni", "Zn"];
const CD: usize = 0;
const HG: usize = 1;

/// Beijing's soil background (mg/kg) and the model's log-normal spread (σ of ln) of each metal.
/// As, Cd, Cr, Cu, Ni, Pb, Zn: 陈同斌, 郑袁明 et al., "北京市土壤重金属含量背景值的系统研究",
/// 环境科学 25(1):117-122, 2004 (120 clean samples of 803; read in the abstract, one source).
/// Hg: 0.0576, the Beijing background quoted by 杨军, 郑袁明, 陈同斌 et al., 环境科学学报 2005
/// (the study of the 凉凤 irrigation district; one source). The spreads are the model's. These
/// are used rather than the rounder figures often quoted (As 9, Cr 60, Cu 22, Zn 70, Hg 0.08,
/// from memory): the 2004 abstract says its As, Cr, Cu and Zn are 19–55 % below the earlier
/// values, which is where such figures come from.
pub const BACKGROUND: [(&str, f64, f64); 8] = [
    ("Cd", 0.119, 0.40),
    ("Hg", 0.0576, 0.55),
    ("As", 7.09, 0.30),
    ("Pb", 24.6, 0.30),
    ("Cr", 29.8, 0.25),
    ("Cu", 18.7, 0.30),
    ("Ni", 26.8, 0.25),
    ("Zn", 57.5, 0.25),
];

/// A source of contamination: its centre and radii (degrees) and the factor on each metal
/// (in [`METALS`] order) at the centre, fading as exp(−d²).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hotspot {
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub lon: f64,
    pub lat: f64,
    pub rx: f64,
    pub ry: f64,
    pub factors: [f64; 8],
}

/// The model's hotspots. The 凉凤 irrigation district's Hg (× 2.5 the background at its
/// geometric mean) and its lesser Pb and Cu accumulation are from 杨军 et al. 2005 (abstract;
/// they found no Cd accumulation there). The Cd factor of the sewage-irrigated fields and all
/// the factors of the other two are the model's, chosen so that some fields exceed GB 15618.
pub const HOTSPOTS: [Hotspot; 3] = [
    Hotspot {
        name_zh: "凉水河—凤河污灌区",
        name_en: "sewage-irrigated fields of the Liangshui and Feng rivers",
        lon: 116.55,
        lat: 39.72,
        rx: 0.22,
        ry: 0.14,
        //        Cd   Hg   As   Pb   Cr   Cu   Ni   Zn
        factors: [6.5, 2.5, 1.0, 1.4, 1.0, 1.3, 1.0, 1.3],
    },
    Hotspot {
        name_zh: "石景山老钢铁工业区",
        name_en: "old steel works of Shijingshan",
        lon: 116.16,
        lat: 39.92,
        rx: 0.035,
        ry: 0.03,
        factors: [3.0, 2.0, 1.2, 3.0, 1.4, 2.0, 1.2, 3.0],
    },
    Hotspot {
        name_zh: "朝阳东南郊化工区",
        name_en: "south-eastern chemical district of Chaoyang",
        lon: 116.52,
        lat: 39.86,
        rx: 0.045,
        ry: 0.04,
        factors: [3.0, 4.0, 1.5, 2.5, 1.2, 1.5, 1.2, 2.0],
    },
];

/// The category mix of GB 15618 the model aims at, as ranges of the share of agricultural
/// samples: priority protection, safe utilisation, strict control (the model's choice).
pub const MIX: [(f64, f64); 3] = [(0.85, 0.95), (0.05, 0.14), (0.0, 0.01)];

/// The fields made strictly controlled: the agricultural points nearest the centre of the
/// sewage-irrigated area, whose Cd is set above the control value of their pH band.
pub const STRICT_CONTROL_CORES: usize = 2;

/// The Hg detection limit (mg/kg) of HJ 680-2013 (microwave digestion, atomic fluorescence),
/// UNCONFIRMED (from memory).
pub const HG_DETECTION_LIMIT: f64 = 0.002;

/// How many network points have their Hg below detection.
pub const HG_NOT_DETECTED: usize = 4;

/// A result as reported, in the row's unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reported {
    /// The value as written, with the decimals it is written with.
    Value { value: f64, digits: usize },
    /// Written `ND`, the limit in the `dl` column.
    NotDetected { dl: f64 },
}

/// One row of a samples file.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// The long reader's key: an element symbol, `Cr6+`, a CAS number, or `pH`.
    pub item: &'static str,
    /// `mg/kg`, `µg/kg`, or `无量纲` for pH.
    pub unit: &'static str,
    pub reported: Reported,
}

impl Reading {
    /// The content in mg/kg, or the detection limit in mg/kg; `None` for pH.
    pub fn mg_kg(&self) -> Option<f64> {
        let k = match self.unit {
            "mg/kg" => 1.0,
            "µg/kg" => 1e-3,
            _ => return None,
        };
        Some(match self.reported {
            Reported::Value { value, .. } => value * k,
            Reported::NotDetected { dl } => dl * k,
        })
    }
}

/// One sample: a point, a day, a layer, and its rows (pH first).
#[derive(Debug, Clone, PartialEq)]
pub struct SoilSample {
    pub point: String,
    pub date: NaiveDate,
    pub depth: &'static str,
    pub readings: Vec<Reading>,
}

impl SoilSample {
    pub fn reading(&self, item: &str) -> Option<&Reading> {
        self.readings.iter().find(|r| r.item == item)
    }
}

/// Decimals for three significant figures or so, as laboratories write (0.119, 7.09, 24.6, 250).
fn digits_for(x: f64) -> usize {
    match x {
        x if x >= 100.0 => 0,
        x if x >= 10.0 => 1,
        x if x >= 1.0 => 2,
        x if x >= 0.1 => 3,
        _ => 4,
    }
}

fn value(x: f64) -> Reported {
    let digits = digits_for(x);
    Reported::Value {
        value: rounded(x, digits),
        digits,
    }
}

/// The lowest control value of an item of GB 15618 Table 3 over the pH bands (Cu, Ni, Zn have
/// none).
fn lowest_control(metal: &str) -> Option<f64> {
    let item = gb15618::Item::parse(metal)?;
    PhBand::ALL
        .iter()
        .filter_map(|&b| gb15618::control_value(item, b).map(|l| l.mg_kg))
        .reduce(f64::min)
}

/// The weight of a hotspot at a place: 1 at its centre, exp(−d²) in units of its radii.
fn hotspot_weight(h: &Hotspot, lon: f64, lat: f64) -> f64 {
    let dx = (lon - h.lon) / h.rx;
    let dy = (lat - h.lat) / h.ry;
    (-(dx * dx + dy * dy)).exp()
}

/// A point's lasting pH and metal contents (mg/kg), before the year's measurement.
fn lasting(seed: u64, idx: usize, p: &NetworkPoint, kind: DistrictKind) -> (f64, [f64; 8]) {
    let mut rng = ChaCha8Rng::seed_from_u64(mix(&[seed, 32, idx as u64]));
    let (ph_mean, ph_sd) = match p.soil_type {
        S::FluvoAquic => (8.15, 0.20),
        S::Cinnamon => (7.95, 0.25),
        S::BrownEarth => (6.70, 0.40),
        S::MountainMeadow => (6.30, 0.30),
        S::Paddy => (7.70, 0.20),
    };
    let building = if p.land_use.is_construction() {
        0.15
    } else {
        0.0
    };
    let ph = (ph_mean + building + ph_sd * normal(&mut rng)).clamp(5.6, 9.2);
    let common = normal(&mut rng);
    let mut out = [0.0; 8];
    for (i, &(_, median, sigma)) in BACKGROUND.iter().enumerate() {
        let mut f = 1.0;
        // Soil and place: the mountains get less deposition (Hg, Pb); organic meadow soils hold Cd.
        f *= match (p.soil_type, i) {
            (S::BrownEarth, CD) => 0.9,
            (S::MountainMeadow, CD) => 1.2,
            (S::FluvoAquic, 2) => 1.1,
            _ => 1.0,
        };
        if p.topography == M {
            f *= [1.0, 0.6, 1.0, 0.9, 1.0, 1.0, 1.0, 1.0][i];
        }
        // Land use: phosphate fertiliser Cd; Bordeaux mixture Cu in orchards; urban soils.
        f *= match p.land_use {
            U::Upland | U::Paddy => [1.3, 1.2, 1.0, 1.1, 1.0, 1.1, 1.0, 1.1][i],
            U::Orchard => [1.2, 1.1, 1.0, 1.1, 1.0, 1.8, 1.0, 1.2][i],
            U::ConstructionFirst | U::ConstructionSecond => {
                let urban = if kind == Outer { 0.5 } else { 1.0 };
                1.0 + urban * ([0.4, 1.5, 0.1, 0.6, 0.1, 0.4, 0.05, 0.5][i])
            }
            U::Forest | U::Grassland => 1.0,
        };
        for h in &HOTSPOTS {
            let w = hotspot_weight(h, p.lon, p.lat);
            let spread = (0.3 * normal(&mut rng)).exp();
            f *= 1.0 + w * (h.factors[i] - 1.0) * spread;
        }
        let z = 0.548 * common + 0.837 * normal(&mut rng);
        out[i] = median * f * (sigma * z).exp();
    }
    (ph, out)
}

/// The network's samples of `year`, one a point.
fn network_samples(seed: u64, year: i32, points: &[NetworkPoint]) -> Vec<SoilSample> {
    let kinds: Vec<DistrictKind> = points
        .iter()
        .map(|p| {
            DISTRICTS
                .iter()
                .find(|d| d.name_zh == p.district)
                .map_or(Outer, |d| d.kind)
        })
        .collect();
    let lasting: Vec<(f64, [f64; 8])> = points
        .iter()
        .enumerate()
        .map(|(i, p)| lasting(seed, i, p, kinds[i]))
        .collect();
    // The cores of strict control: the agricultural points nearest the sewage area's centre.
    let mut agricultural: Vec<(usize, f64)> = points
        .iter()
        .enumerate()
        .filter(|(_, p)| p.land_class().is_some_and(LandClass::is_agricultural))
        .map(|(i, p)| (i, hotspot_weight(&HOTSPOTS[0], p.lon, p.lat)))
        .collect();
    agricultural.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let cores: Vec<usize> = agricultural
        .iter()
        .take(STRICT_CONTROL_CORES)
        .map(|c| c.0)
        .collect();
    // Hg below detection: the clean mountain and hill soils with the lowest Hg.
    let mut clean: Vec<(usize, f64)> = points
        .iter()
        .enumerate()
        .filter(|(_, p)| p.topography != P && !p.land_use.is_construction())
        .map(|(i, _)| (i, lasting[i].1[HG]))
        .collect();
    clean.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    let not_detected: Vec<usize> = clean.iter().take(HG_NOT_DETECTED).map(|c| c.0).collect();
    let caps: Vec<Option<f64>> = METALS
        .iter()
        .map(|m| lowest_control(m).map(|c| 0.95 * c))
        .collect();
    points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut rng = ChaCha8Rng::seed_from_u64(mix(&[seed, 33, i as u64, year as i64 as u64]));
            // After the harvest, or (one in seven) in spring before sowing.
            let doy = if rng.random::<f64>() < 0.85 {
                rng.random_range(258..=319)
            } else {
                rng.random_range(91..=135)
            };
            let date = NaiveDate::from_yo_opt(year, doy).expect("a day of the year");
            let (ph0, contents) = lasting[i];
            let ph = rounded((ph0 + 0.05 * normal(&mut rng)).clamp(5.6, 9.2), 2);
            let mut readings = vec![Reading {
                item: "pH",
                unit: "无量纲",
                reported: Reported::Value {
                    value: ph,
                    digits: 2,
                },
            }];
            for (k, metal) in METALS.iter().enumerate() {
                let mut c = contents[k] * (0.05 * normal(&mut rng)).exp();
                if let Some(cap) = caps[k] {
                    c = c.min(cap);
                }
                if k == CD && cores.contains(&i) {
                    let band = PhBand::of(ph).expect("a pH");
                    let control = gb15618::control_value(gb15618::Item::Cd, band)
                        .expect("Cd has control values")
                        .mg_kg;
                    c = control * rng.random_range(1.1..1.5);
                }
                let reported = if k == HG && not_detected.contains(&i) {
                    Reported::NotDetected {
                        dl: HG_DETECTION_LIMIT,
                    }
                } else {
                    value(c)
                };
                readings.push(Reading {
                    item: metal,
                    unit: "mg/kg",
                    reported,
                });
            }
            SoilSample {
                point: p.id.clone(),
                date,
                depth: TOPSOIL,
                readings,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Plots.

/// What a plot was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Facility {
    Chemical,
    Coking,
    GasStation,
    Steel,
    Electroplating,
    Pesticide,
    Machinery,
    Dye,
    Battery,
    TownGas,
    OilDepot,
    Tannery,
    Printing,
}

impl Facility {
    pub fn name_zh(self) -> &'static str {
        match self {
            Facility::Chemical => "化工厂",
            Facility::Coking => "焦化厂",
            Facility::GasStation => "加油站",
            Facility::Steel => "钢铁厂",
            Facility::Electroplating => "电镀厂",
            Facility::Pesticide => "农药厂",
            Facility::Machinery => "机械厂",
            Facility::Dye => "染料厂",
            Facility::Battery => "蓄电池厂",
            Facility::TownGas => "煤气厂",
            Facility::OilDepot => "油库",
            Facility::Tannery => "皮革厂",
            Facility::Printing => "印刷厂",
        }
    }

    /// The items such a site leaves (keys of GB 36600), the first the most typical.
    pub fn pollutants(self) -> &'static [&'static str] {
        match self {
            Facility::Chemical => &["79-01-6", "71-43-2", "Hg", "As"],
            Facility::Coking => &["50-32-8", "71-43-2"],
            Facility::GasStation => &["71-43-2"],
            Facility::Steel => &["Pb", "Cd", "50-32-8", "Ni"],
            Facility::Electroplating => &["Cr6+", "Ni", "Cd"],
            Facility::Pesticide => &["As", "Hg", "71-43-2"],
            Facility::Machinery => &["79-01-6", "Cr6+"],
            Facility::Dye => &["71-43-2", "Cr6+", "Pb"],
            Facility::Battery => &["Pb", "Cd"],
            Facility::TownGas => &["50-32-8", "71-43-2"],
            Facility::OilDepot => &["71-43-2"],
            Facility::Tannery => &["Cr6+"],
            Facility::Printing => &["79-01-6", "Pb"],
        }
    }

    /// The range of areas of such sites, m².
    fn area_m2(self) -> (f64, f64) {
        match self {
            Facility::GasStation => (5_000.0, 9_000.0),
            Facility::Electroplating | Facility::Printing => (5_000.0, 30_000.0),
            Facility::Tannery => (8_000.0, 50_000.0),
            Facility::Battery => (10_000.0, 60_000.0),
            Facility::OilDepot | Facility::Dye => (20_000.0, 120_000.0),
            Facility::Pesticide | Facility::Machinery => (20_000.0, 150_000.0),
            Facility::TownGas => (30_000.0, 200_000.0),
            Facility::Chemical => (30_000.0, 300_000.0),
            Facility::Steel | Facility::Coking => (50_000.0, 300_000.0),
        }
    }
}

use Facility as F;

/// The plots: the place (a real township or street), its district, its rough position, and
/// what the plot was. The names the model gives them are generic and describe no real site.
#[rustfmt::skip]
pub const PLOTS: [(&str, &str, f64, f64, Facility); 40] = [
    ("垡头", "朝阳区", 116.530, 39.860, F::Chemical),
    ("南磨房", "朝阳区", 116.500, 39.880, F::Coking),
    ("王四营", "朝阳区", 116.540, 39.850, F::Dye),
    ("十八里店", "朝阳区", 116.490, 39.830, F::Pesticide),
    ("东坝", "朝阳区", 116.560, 39.970, F::Machinery),
    ("酒仙桥", "朝阳区", 116.490, 39.970, F::Electroplating),
    ("豆各庄", "朝阳区", 116.580, 39.860, F::GasStation),
    ("古城", "石景山区", 116.190, 39.910, F::Steel),
    ("鲁谷", "石景山区", 116.230, 39.890, F::TownGas),
    ("五里坨", "石景山区", 116.140, 39.950, F::Battery),
    ("金顶街", "石景山区", 116.180, 39.930, F::Machinery),
    ("南苑", "丰台区", 116.390, 39.800, F::Chemical),
    ("卢沟桥", "丰台区", 116.220, 39.850, F::Tannery),
    ("花乡", "丰台区", 116.300, 39.830, F::GasStation),
    ("长辛店", "丰台区", 116.200, 39.830, F::Machinery),
    ("清河", "海淀区", 116.340, 40.030, F::Printing),
    ("四季青", "海淀区", 116.260, 39.960, F::Pesticide),
    ("西北旺", "海淀区", 116.240, 40.050, F::GasStation),
    ("黄村", "大兴区", 116.330, 39.730, F::Electroplating),
    ("旧宫", "大兴区", 116.450, 39.810, F::Chemical),
    ("西红门", "大兴区", 116.330, 39.780, F::Battery),
    ("瀛海", "大兴区", 116.460, 39.760, F::OilDepot),
    ("张家湾", "通州区", 116.700, 39.850, F::Chemical),
    ("台湖", "通州区", 116.620, 39.840, F::OilDepot),
    ("宋庄", "通州区", 116.710, 39.960, F::Printing),
    ("马驹桥", "通州区", 116.560, 39.750, F::Electroplating),
    ("燕山", "房山区", 115.970, 39.720, F::Chemical),
    ("窦店", "房山区", 116.070, 39.670, F::Steel),
    ("琉璃河", "房山区", 116.030, 39.600, F::Pesticide),
    ("良乡", "房山区", 116.140, 39.730, F::GasStation),
    ("沙河", "昌平区", 116.290, 40.130, F::Machinery),
    ("南口", "昌平区", 116.130, 40.240, F::Tannery),
    ("牛栏山", "顺义区", 116.660, 40.220, F::Dye),
    ("李桥", "顺义区", 116.680, 40.050, F::GasStation),
    ("永定门外", "东城区", 116.400, 39.860, F::Printing),
    ("广安门外", "西城区", 116.340, 39.890, F::GasStation),
    ("龙泉", "门头沟区", 116.100, 39.950, F::Coking),
    ("庙城", "怀柔区", 116.630, 40.360, F::Battery),
    ("马坊", "平谷区", 117.000, 40.060, F::OilDepot),
    ("十里堡", "密云区", 116.830, 40.350, F::Electroplating),
];

/// Plots above an intervention value, and above a screening value only.
pub const PLOTS_ABOVE_INTERVENTION: usize = 5;
pub const PLOTS_ABOVE_SCREENING: usize = 12;

/// Planned uses: first-class land, second-class land (GB 36600's columns).
const FIRST_CLASS_USES: [&str; 3] = ["居住用地", "中小学用地", "社区公园"];
const SECOND_CLASS_USES: [&str; 4] = ["商业服务业设施用地", "工业用地", "物流仓储用地", "防护绿地"];

/// What the investigation of a plot found, against its planned use's column of GB 36600.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Finding {
    BelowScreening,
    AboveScreening,
    AboveIntervention,
}

/// A plot.
#[derive(Debug, Clone, PartialEq)]
pub struct SoilPlot {
    /// `BJ-P01` …
    pub id: String,
    pub name: String,
    pub district: &'static str,
    pub facility: Facility,
    pub area_m2: f64,
    pub planned_use: &'static str,
    /// First- or second-class construction land, from the planned use.
    pub land_class: LandClass,
    pub finding: Finding,
    /// The item that makes the finding (`None` below screening).
    pub pollutant: Option<&'static str>,
    /// The day its samples were taken.
    pub investigated: NaiveDate,
    pub lon: f64,
    pub lat: f64,
}

/// A sampling point in a plot.
#[derive(Debug, Clone, PartialEq)]
pub struct PlotPoint {
    /// `BJ-P01-01` …
    pub id: String,
    pub plot: String,
    pub lon: f64,
    pub lat: f64,
}

/// The items of a plot sample: (key, unit, detection limit in that unit, typical content in
/// mg/kg, σ of ln, share not detected). Detection limits UNCONFIRMED (from memory of HJ 1082,
/// HJ 605 and HJ 834; the metals are always detected here).
const PLOT_ITEMS: [(&str, &str, f64, f64, f64, f64); 10] = [
    ("As", "mg/kg", 0.01, 9.0, 0.25, 0.0),
    ("Cd", "mg/kg", 0.01, 0.2, 0.45, 0.0),
    ("Cr6+", "mg/kg", 0.5, 0.8, 0.3, 0.8),
    ("Cu", "mg/kg", 1.0, 28.0, 0.4, 0.0),
    ("Pb", "mg/kg", 0.1, 32.0, 0.4, 0.0),
    ("Hg", "mg/kg", 0.002, 0.15, 0.6, 0.0),
    ("Ni", "mg/kg", 1.0, 28.0, 0.3, 0.0),
    ("71-43-2", "µg/kg", 1.9, 0.012, 1.0, 0.85),
    ("79-01-6", "µg/kg", 1.2, 0.008, 1.0, 0.9),
    ("50-32-8", "mg/kg", 0.1, 0.2, 0.5, 0.7),
];

const DEPTHS: [(&str, f64); 3] = [("0-0.5 m", 0.6), ("0.5-1.5 m", 0.25), ("1.5-3.0 m", 0.15)];

fn first_day(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2019.min(year), 1, 1).expect("a valid year")
}

fn last_day(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31).expect("a valid year")
}

fn plus(d: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        d + Days::new(days as u64)
    } else {
        d - Days::new(days.unsigned_abs())
    }
}

/// The plots, their points and samples, and the list's events up to the end of `year`.
fn plots(seed: u64, year: i32) -> (Vec<SoilPlot>, Vec<PlotPoint>, Vec<SoilSample>, Vec<Event>) {
    // Which plots exceed: a shuffle of the plots by the seed.
    let mut order: Vec<usize> = (0..PLOTS.len()).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(mix(&[seed, 41]));
    for i in (1..order.len()).rev() {
        let j = rng.random_range(0..=i);
        order.swap(i, j);
    }
    let finding_of = |i: usize| {
        let rank = order
            .iter()
            .position(|&k| k == i)
            .expect("every plot is ranked");
        if rank < PLOTS_ABOVE_INTERVENTION {
            Finding::AboveIntervention
        } else if rank < PLOTS_ABOVE_INTERVENTION + PLOTS_ABOVE_SCREENING {
            Finding::AboveScreening
        } else {
            Finding::BelowScreening
        }
    };
    let (first, last) = (first_day(year), last_day(year));
    let span = (last - first).num_days();
    let mut plots = Vec::new();
    let mut points = Vec::new();
    let mut samples = Vec::new();
    let mut events = Vec::new();
    for (i, &(place, district, lon, lat, facility)) in PLOTS.iter().enumerate() {
        let mut rng = ChaCha8Rng::seed_from_u64(mix(&[seed, 42, i as u64]));
        let id = format!("BJ-P{:02}", i + 1);
        let (lo, hi) = facility.area_m2();
        let area_m2 = (lo * (hi / lo).powf(rng.random::<f64>())).round();
        let first_class = rng.random::<f64>() < 0.55;
        let (planned_use, land_class) = if first_class {
            (
                FIRST_CLASS_USES[rng.random_range(0..FIRST_CLASS_USES.len())],
                LandClass::ConstructionFirst,
            )
        } else {
            (
                SECOND_CLASS_USES[rng.random_range(0..SECOND_CLASS_USES.len())],
                LandClass::ConstructionSecond,
            )
        };
        let site = SiteClass::of(land_class).expect("construction land");
        let finding = finding_of(i);
        let pollutant = (finding != Finding::BelowScreening).then(|| {
            let p = facility.pollutants();
            p[rng.random_range(0..p.len())]
        });
        // Investigated; listed 3 to 8 months later when above screening, so that the listing
        // falls within the years of the model.
        let listed = plus(first, rng.random_range(250..=(span - 60).max(251)));
        let investigated = if pollutant.is_some() {
            plus(listed, -rng.random_range(90..=240))
        } else {
            plus(first, rng.random_range(0..=(span - 30).max(0)))
        };
        let (plon, plat) = (
            rounded(lon + 0.004 * normal(&mut rng), 5),
            rounded(lat + 0.003 * normal(&mut rng), 5),
        );
        // 3 to 8 samples, more on larger plots.
        let n = (3.0 + 5.0 * (area_m2 / 5_000.0).ln() / 60f64.ln()).round() as usize;
        let n = n.clamp(3, 8);
        let hot = rng.random_range(0..n);
        let half_side_m = area_m2.sqrt() / 2.0;
        let target = pollutant.map(|key| {
            let row = gb36600::row(key).expect("a GB 36600 item");
            let (s, u) = (row.screening[site.index()], row.intervention[site.index()]);
            match finding {
                Finding::AboveIntervention => u * rng.random_range(1.2..2.5),
                _ => s * rng.random_range(1.15..(0.85 * u / s).min(4.0)),
            }
        });
        for k in 0..n {
            let pid = format!("{id}-{:02}", k + 1);
            let dx = half_side_m * (2.0 * rng.random::<f64>() - 1.0);
            let dy = half_side_m * (2.0 * rng.random::<f64>() - 1.0);
            points.push(PlotPoint {
                id: pid.clone(),
                plot: id.clone(),
                lon: rounded(plon + dx / (111_320.0 * plat.to_radians().cos()), 6),
                lat: rounded(plat + dy / 110_574.0, 6),
            });
            let depth = pick(&mut rng, &DEPTHS);
            let ph = rounded((8.1 + 0.3 * normal(&mut rng)).clamp(6.5, 9.5), 2);
            let mut readings = vec![Reading {
                item: "pH",
                unit: "无量纲",
                reported: Reported::Value {
                    value: ph,
                    digits: 2,
                },
            }];
            for &(key, unit, dl, typical, sigma, nd_share) in &PLOT_ITEMS {
                let row = gb36600::row(key).expect("a GB 36600 item");
                let per_mg = if unit == "µg/kg" { 1000.0 } else { 1.0 };
                // Drawn always, so the stream does not depend on the plot's finding.
                let nd = rng.random::<f64>() < nd_share;
                let drawn = typical * (sigma * normal(&mut rng)).exp();
                let neighbour = rng.random_range(0.3..0.7);
                // Below the plot's screening value, with a margin, unless it is what the plot
                // is found for.
                let mut mg = drawn.min(0.8 * row.screening[site.index()]);
                let mut detected = !nd;
                if Some(key) == pollutant {
                    let t = target.expect("a target for the plot's pollutant");
                    if k == hot {
                        mg = t;
                        detected = true;
                    } else if k == (hot + 1) % n {
                        mg = mg.max(t * neighbour);
                        detected = true;
                    }
                }
                let reported = if detected && mg * per_mg > dl {
                    value(mg * per_mg)
                } else {
                    Reported::NotDetected { dl }
                };
                readings.push(Reading {
                    item: key,
                    unit,
                    reported,
                });
            }
            samples.push(SoilSample {
                point: pid,
                date: investigated,
                depth,
                readings,
            });
        }
        if let Some(key) = pollutant {
            events.extend(history(
                &mut rng, &id, district, key, site, finding, listed, last,
            ));
        }
        plots.push(SoilPlot {
            name: format!("{place}原{}地块", facility.name_zh()),
            id,
            district,
            facility,
            area_m2,
            planned_use,
            land_class,
            finding,
            pollutant,
            investigated,
            lon: plon,
            lat: plat,
        });
    }
    events.sort_by(|a, b| a.date.cmp(&b.date).then(a.plot.cmp(&b.plot)));
    (plots, points, samples, events)
}

const CITY_BUREAU: &str = "北京市生态环境局";

/// A listed plot's events, up to `last`: listed, under control or remediation, effect
/// evaluated, removed.
#[allow(clippy::too_many_arguments)]
fn history(
    rng: &mut ChaCha8Rng,
    plot: &str,
    district: &str,
    key: &str,
    site: SiteClass,
    finding: Finding,
    listed: NaiveDate,
    last: NaiveDate,
) -> Vec<Event> {
    let row = gb36600::row(key).expect("a GB 36600 item");
    let column = match site {
        SiteClass::First => "第一类用地",
        SiteClass::Second => "第二类用地",
    };
    let (limit, stage) = match finding {
        Finding::AboveIntervention => ("管制值", "风险不可接受"),
        _ => ("筛选值", "风险评估表明风险不可接受"),
    };
    // Housing needs the soil cleaned; an industrial or commercial plot may be contained.
    let remediate = site == SiteClass::First || rng.random::<f64>() < 0.3;
    let started = plus(listed, rng.random_range(20..=120));
    let evaluated = plus(started, rng.random_range(300..=900));
    let removed = plus(evaluated, rng.random_range(40..=200));
    let district_bureau = format!("北京市{district}生态环境局");
    let ev =
        |date: NaiveDate, status_to: Status, by: &str, reason: String, evidence: String| Event {
            plot: plot.to_string(),
            date,
            status_to,
            by: by.to_string(),
            reason,
            evidence: vec![evidence],
        };
    let (second, second_reason, second_doc) = if remediate {
        (
            Status::UnderRemediation,
            "按修复方案开展土壤修复".to_string(),
            format!("修复方案 {plot}-XF-{}", started.year()),
        )
    } else {
        (
            Status::UnderControl,
            "按风险管控方案实施阻隔和制度控制".to_string(),
            format!("风险管控方案 {plot}-FK-{}", started.year()),
        )
    };
    [
        ev(
            listed,
            Status::Listed,
            CITY_BUREAU,
            format!("{}超过GB 36600—2018{column}{limit}，{stage}", row.name_zh),
            format!("土壤污染状况调查与风险评估报告 {plot}-DC-{}", listed.year()),
        ),
        ev(started, second, &district_bureau, second_reason, second_doc),
        ev(
            evaluated,
            Status::EffectEvaluated,
            &district_bureau,
            "效果评估达到管控或修复目标".to_string(),
            format!("效果评估报告 {plot}-XP-{}", evaluated.year()),
        ),
        ev(
            removed,
            Status::Removed,
            CITY_BUREAU,
            "效果评估报告经评审，达到目标，移出名录".to_string(),
            format!("效果评估报告评审意见 {plot}-PS-{}", removed.year()),
        ),
    ]
    .into_iter()
    .filter(|e| e.date <= last)
    .collect()
}

// ---------------------------------------------------------------------------------------------
// The model and its files.

/// A class of the city, with its rough share of the city's area.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassShare {
    /// `land_use`, `soil_type`, `topography` or `district`.
    pub dimension: &'static str,
    pub class: &'static str,
    pub share: f64,
}

/// The city's classes along the four dimensions of coverage.
pub fn city_classes() -> Vec<ClassShare> {
    let total: f64 = DISTRICTS.iter().map(|d| d.area_km2).sum();
    let mut out = Vec::new();
    for (lu, s) in LAND_USE_SHARES {
        out.push(ClassShare {
            dimension: "land_use",
            class: lu.name_zh(),
            share: s,
        });
    }
    for (st, s) in SOIL_SHARES {
        out.push(ClassShare {
            dimension: "soil_type",
            class: st.name_zh(),
            share: s,
        });
    }
    for (t, s) in TOPOGRAPHY_SHARES {
        out.push(ClassShare {
            dimension: "topography",
            class: t.name_zh(),
            share: s,
        });
    }
    for d in &DISTRICTS {
        out.push(ClassShare {
            dimension: "district",
            class: d.name_zh,
            share: rounded(d.area_km2 / total, 4),
        });
    }
    out
}

/// Beijing's soil network, plots and list, generated for one year.
#[derive(Debug, Clone, PartialEq)]
pub struct SoilModel {
    pub seed: u64,
    pub year: i32,
    pub network: Vec<NetworkPoint>,
    /// One a network point, in the year.
    pub network_samples: Vec<SoilSample>,
    pub plots: Vec<SoilPlot>,
    pub plot_points: Vec<PlotPoint>,
    /// One a plot point, on the day its plot was investigated.
    pub plot_samples: Vec<SoilSample>,
    /// The list's history from 2019 to the end of the year, in date order.
    pub events: Vec<Event>,
    pub classes: Vec<ClassShare>,
    /// [`EXISTING`].
    pub combinations: Vec<(LandUse, SoilType)>,
}

/// The counts of a model, for a summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SoilCounts {
    pub network_points: usize,
    pub network_samples: usize,
    pub network_rows: usize,
    pub plots: usize,
    pub plot_points: usize,
    pub plot_samples: usize,
    pub plot_rows: usize,
    pub list_events: usize,
    /// Plots on the list at the end of the year.
    pub on_list_at_end: usize,
    pub classes: usize,
    pub combinations: usize,
}

/// Beijing's soil monitoring for `year`, deterministic from `seed`: the network's points are
/// the seed's alone, the year changes the samples' days and measurement noise, and the list's
/// history is cut at the year's end.
pub fn generate_beijing(seed: u64, year: i32) -> SoilModel {
    let network = network_points(seed);
    let network_samples = network_samples(seed, year, &network);
    let (plots, plot_points, plot_samples, events) = plots(seed, year);
    SoilModel {
        seed,
        year,
        network,
        network_samples,
        plots,
        plot_points,
        plot_samples,
        events,
        classes: city_classes(),
        combinations: EXISTING.to_vec(),
    }
}

/// A CSV cell, quoted when it must be.
fn cell(s: &str) -> Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", s.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(s)
    }
}

fn samples_text(samples: &[SoilSample]) -> String {
    let mut out = format!("{},dl\n", long::HEADER);
    for s in samples {
        for r in &s.readings {
            let (value, dl) = match r.reported {
                Reported::Value { value, digits } => (format!("{value:.digits$}"), String::new()),
                Reported::NotDetected { dl } => ("ND".to_string(), dl.to_string()),
            };
            let _ = writeln!(
                out,
                "{},{},{},{},{value},{},ok,{dl}",
                s.point, s.date, s.depth, r.item, r.unit
            );
        }
    }
    out
}

impl SoilModel {
    /// The network's point with this id.
    pub fn point(&self, id: &str) -> Option<&NetworkPoint> {
        self.network.iter().find(|p| p.id == id)
    }

    /// The plots on the list at the end of the year.
    pub fn on_list_at_end(&self) -> Vec<lantian_soil::Entry> {
        lantian_soil::list::as_of(&self.events, last_day(self.year))
            .expect("the model's history is valid")
    }

    pub fn counts(&self) -> SoilCounts {
        let rows = |s: &[SoilSample]| s.iter().map(|x| x.readings.len()).sum();
        SoilCounts {
            network_points: self.network.len(),
            network_samples: self.network_samples.len(),
            network_rows: rows(&self.network_samples),
            plots: self.plots.len(),
            plot_points: self.plot_points.len(),
            plot_samples: self.plot_samples.len(),
            plot_rows: rows(&self.plot_samples),
            list_events: self.events.len(),
            on_list_at_end: self.on_list_at_end().len(),
            classes: self.classes.len(),
            combinations: self.combinations.len(),
        }
    }

    /// Each file's name and text, in the order [`SoilModel::write`] writes them.
    pub fn files(&self) -> Vec<(&'static str, String)> {
        let mut points = long::POINT_COLUMNS.join(",");
        points.push('\n');
        for p in &self.network {
            let _ = writeln!(
                points,
                "{},{:.5},{:.5},EPSG:4326,{},{},{},{},{},",
                p.id,
                p.lon,
                p.lat,
                p.land_use.name_zh(),
                p.land_class().map_or("", LandClass::code),
                p.soil_type.name_zh(),
                p.topography.name_zh(),
                p.district,
            );
        }
        for q in &self.plot_points {
            let plot = self
                .plots
                .iter()
                .find(|x| x.id == q.plot)
                .expect("a plot point's plot");
            // The soil of a former factory is fill, not a mapped type; the land use written is
            // the planned one, which GB 36600 screens by.
            let _ = writeln!(
                points,
                "{},{:.6},{:.6},EPSG:4326,{},{},,,{},{}",
                q.id,
                q.lon,
                q.lat,
                plot.planned_use,
                plot.land_class.code(),
                plot.district,
                plot.id,
            );
        }
        let mut plots = plot_files::PLOT_COLUMNS.join(",");
        plots.push('\n');
        for p in &self.plots {
            let _ = writeln!(
                plots,
                "{},{},{},{},{},{}",
                p.id,
                cell(&p.name),
                p.area_m2,
                p.district,
                p.land_class.code(),
                p.planned_use
            );
        }
        let mut events = plot_files::EVENT_COLUMNS.join(",");
        events.push('\n');
        for e in &self.events {
            let _ = writeln!(
                events,
                "{},{},{},{},{},{}",
                e.plot,
                e.date,
                e.status_to.code(),
                cell(&e.by),
                cell(&e.reason),
                cell(&e.evidence.join("; "))
            );
        }
        let mut class_text = classes::CLASS_COLUMNS.join(",");
        class_text.push('\n');
        for c in &self.classes {
            let _ = writeln!(class_text, "{},{},{}", c.dimension, c.class, c.share);
        }
        let mut combos = classes::COMBINATION_COLUMNS.join(",");
        combos.push('\n');
        for (lu, st) in &self.combinations {
            let _ = writeln!(
                combos,
                "land_use,{},soil_type,{}",
                lu.name_zh(),
                st.name_zh()
            );
        }
        vec![
            (POINTS_FILE, points),
            (NETWORK_FILE, samples_text(&self.network_samples)),
            (PLOT_SAMPLES_FILE, samples_text(&self.plot_samples)),
            (PLOTS_FILE, plots),
            (LIST_EVENTS_FILE, events),
            (CLASSES_FILE, class_text),
            (COMBINATIONS_FILE, combos),
        ]
    }

    /// Writes the files into `dir` (created if need be) and returns their paths.
    pub fn write(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        std::fs::create_dir_all(dir)?;
        let mut out = Vec::new();
        for (name, text) in self.files() {
            let path = dir.join(name);
            std::fs::write(&path, text)
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
            out.push(path);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lantian_ingest::soil::classes::{
        dimensions, existing, read_classes, read_combinations, unknown_classes,
    };
    use lantian_ingest::soil::plots::{read_list_events, read_plots};
    use lantian_ingest::soil::{SoilFile, read_path};
    use lantian_soil::coverage::{CellRef, Point, coverage, cross};
    use lantian_soil::gb15618::Category;
    use lantian_soil::gb36600::Risk;
    use lantian_soil::screen::{Outcome, ScreenOptions, screen};
    use lantian_soil::shares::sample_shares;
    use lantian_soil::{Value, list};
    use std::collections::{BTreeMap, BTreeSet};

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("lantian-soil-model-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    /// Seed 1, 2024, written and read back through the soil readers.
    struct ReadBack {
        model: SoilModel,
        network: SoilFile,
        plot_samples: SoilFile,
    }

    fn read_back(name: &str, seed: u64, year: i32) -> ReadBack {
        let model = generate_beijing(seed, year);
        let dir = temp_dir(name);
        model.write(&dir).unwrap();
        let network = read_path(&dir.join(NETWORK_FILE)).unwrap();
        let plot_samples = read_path(&dir.join(PLOT_SAMPLES_FILE)).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        ReadBack {
            model,
            network,
            plot_samples,
        }
    }

    #[test]
    fn soil_model_the_same_seed_gives_the_same_bytes() {
        let a = generate_beijing(1, 2024).files();
        let b = generate_beijing(1, 2024).files();
        assert_eq!(a, b);
        let c = generate_beijing(2, 2024).files();
        assert_ne!(a[1].1, c[1].1);
        // The network is the seed's; another year re-measures the same points.
        let y = generate_beijing(1, 2023);
        assert_eq!(y.network, generate_beijing(1, 2024).network);
        assert_eq!(a[0].0, POINTS_FILE);
        assert_ne!(a[1].1, y.files()[1].1);
        // Written files are the texts.
        let dir = temp_dir("bytes");
        let paths = generate_beijing(1, 2024).write(&dir).unwrap();
        assert_eq!(paths.len(), 7);
        for ((name, text), path) in a.iter().zip(&paths) {
            assert!(path.ends_with(name));
            assert_eq!(&std::fs::read_to_string(path).unwrap(), text);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn soil_model_files_read_back_through_the_soil_readers() {
        let r = read_back("readers", 1, 2024);
        let m = &r.model;
        let c = m.counts();
        assert_eq!(c.network_points, 500);
        assert_eq!(c.network_samples, 500);
        assert_eq!(c.network_rows, 500 * 9);
        assert_eq!(c.plots, 40);
        assert!((3 * 40..=8 * 40).contains(&c.plot_samples));
        for (read, model, rows) in [
            (&r.network, &m.network_samples, c.network_rows),
            (&r.plot_samples, &m.plot_samples, c.plot_rows),
        ] {
            assert!(read.problems.is_empty(), "{:?}", read.problems.first());
            assert_eq!(read.rows as usize, rows);
            assert_eq!(read.samples.len(), model.len());
            assert_eq!(read.not_measured, 0);
            for (s, t) in read.samples.iter().zip(model) {
                assert_eq!(s.id, t.point);
                assert_eq!(s.date, Some(t.date));
                assert_eq!(s.depth.as_deref(), Some(t.depth));
                assert_eq!(s.crs, "EPSG:4326");
                assert!(s.land_use.is_some() && s.district.is_some());
                assert_eq!(s.contents.len(), t.readings.len() - 1);
                for r in &t.readings[1..] {
                    let got = s.content(r.item).unwrap();
                    let want = r.mg_kg().unwrap();
                    match (got.value, r.reported) {
                        (Value::Measured { mg_kg }, Reported::Value { .. }) => {
                            assert!((mg_kg - want).abs() <= 1e-12 * want.max(1.0), "{}", r.item)
                        }
                        (Value::BelowDetection { limit_mg_kg }, Reported::NotDetected { .. }) => {
                            assert!((limit_mg_kg - want).abs() <= 1e-15, "{}", r.item)
                        }
                        other => panic!("{}: {other:?}", r.item),
                    }
                }
                let Reported::Value { value: ph, .. } = t.readings[0].reported else {
                    panic!("pH is measured")
                };
                assert_eq!(s.ph, Some(ph));
            }
        }
        // Network points carry the network's classes; plot points their plot.
        for s in &r.network.samples {
            let p = m.point(&s.id).unwrap();
            assert_eq!(s.land_class, p.land_class());
            assert_eq!(s.soil_type.as_deref(), Some(p.soil_type.name_zh()));
            assert_eq!(s.topography.as_deref(), Some(p.topography.name_zh()));
            assert_eq!(s.plot, None);
            assert_eq!((s.x, s.y), (Some(p.lon), Some(p.lat)));
        }
        for s in &r.plot_samples.samples {
            let plot = m
                .plots
                .iter()
                .find(|p| Some(&p.id) == s.plot.as_ref())
                .unwrap();
            assert_eq!(s.land_class, Some(plot.land_class));
            assert_eq!(s.district.as_deref(), Some(plot.district));
        }
        // The ND rows are Hg's, a few.
        let nd: Vec<&str> = r
            .network
            .samples
            .iter()
            .flat_map(|s| &s.contents)
            .filter(|c| matches!(c.value, Value::BelowDetection { .. }))
            .map(|c| c.item.as_str())
            .collect();
        assert_eq!(nd, ["Hg"; HG_NOT_DETECTED]);
        // µg/kg is converted, and said.
        let benzene = r
            .plot_samples
            .samples
            .iter()
            .find_map(|s| s.content("71-43-2"))
            .unwrap();
        assert_eq!(benzene.source_unit.as_deref(), Some("µg/kg"));

        let files: BTreeMap<&str, String> = m.files().into_iter().collect();
        let plots = read_plots(PLOTS_FILE, &files[PLOTS_FILE]).unwrap();
        assert!(plots.problems.is_empty(), "{:?}", plots.problems);
        assert_eq!(plots.items.len(), 40);
        for (p, q) in plots.items.iter().zip(&m.plots) {
            assert_eq!(p.id, q.id);
            assert_eq!(p.name.as_deref(), Some(q.name.as_str()));
            assert_eq!(p.area_m2, Some(q.area_m2));
            assert!((5_000.0..=300_000.0).contains(&q.area_m2), "{}", q.area_m2);
            assert_eq!(p.land_class, Some(q.land_class));
            assert_eq!(p.planned_use.as_deref(), Some(q.planned_use));
        }
        let classes = read_classes(CLASSES_FILE, &files[CLASSES_FILE]).unwrap();
        assert!(classes.problems.is_empty(), "{:?}", classes.problems);
        assert_eq!(classes.items.len(), 7 + 5 + 3 + 16);
        let combos = read_combinations(COMBINATIONS_FILE, &files[COMBINATIONS_FILE]).unwrap();
        assert!(combos.problems.is_empty(), "{:?}", combos.problems);
        assert_eq!(combos.items.len(), EXISTING.len());
        assert!(unknown_classes(&combos.items, &classes.items).is_empty());
    }

    #[test]
    fn soil_model_list_events_pass_the_list_check() {
        let m = generate_beijing(1, 2024);
        list::check(&m.events).unwrap();
        let files: BTreeMap<&str, String> = m.files().into_iter().collect();
        let read = read_list_events(LIST_EVENTS_FILE, &files[LIST_EVENTS_FILE]).unwrap();
        assert!(read.problems.is_empty(), "{:?}", read.problems);
        let events: Vec<Event> = read
            .items
            .iter()
            .map(|r| Event {
                plot: r.plot.clone(),
                date: r.date,
                status_to: Status::parse(&r.status).unwrap(),
                by: r.by.clone().unwrap(),
                reason: r.reason.clone().unwrap(),
                evidence: vec![r.evidence.clone().unwrap()],
            })
            .collect();
        assert_eq!(events, m.events);
        list::check(&events).unwrap();
        // Spread over 2019..=2024; several plots still on at the end, several removed.
        let (first, last) = (m.events.first().unwrap(), m.events.last().unwrap());
        assert!(first.date.year() >= 2019 && last.date.year() <= 2024);
        let on = m.on_list_at_end();
        assert!(on.len() >= 3, "{on:?}");
        let removed = m
            .events
            .iter()
            .filter(|e| e.status_to == Status::Removed)
            .count();
        assert!(removed >= 3, "{removed}");
        // Exactly the plots found above a screening value are listed.
        let listed: BTreeSet<&str> = m
            .events
            .iter()
            .filter(|e| e.status_to == Status::Listed)
            .map(|e| e.plot.as_str())
            .collect();
        let exceeding: BTreeSet<&str> = m
            .plots
            .iter()
            .filter(|p| p.finding != Finding::BelowScreening)
            .map(|p| p.id.as_str())
            .collect();
        assert_eq!(listed, exceeding);
        // Each plot is listed after its investigation.
        for e in m.events.iter().filter(|e| e.status_to == Status::Listed) {
            let p = m.plots.iter().find(|p| p.id == e.plot).unwrap();
            assert!(p.investigated < e.date);
        }
        // Other years: the history is always valid, and a year's is the next year's, cut.
        for year in [2019, 2020, 2022, 2026] {
            let h = generate_beijing(1, year).events;
            list::check(&h).unwrap();
            assert!(!h.is_empty());
        }
        for seed in 2..6 {
            list::check(&generate_beijing(seed, 2024).events).unwrap();
        }
    }

    /// The category mix of the agricultural samples, screened by the engine.
    fn mix(network: &SoilFile) -> [f64; 3] {
        let results: Vec<_> = network
            .samples
            .iter()
            .map(|s| screen(s, &ScreenOptions::default()))
            .collect();
        let shares = sample_shares::<Category>(&results);
        // Every agricultural sample has a pH and only detection limits below the screening
        // values: all are decided.
        assert!(
            shares
                .not_counted
                .iter()
                .all(|n| n.reason.contains("land class"))
        );
        let mut out = [0.0; 3];
        for (k, row) in shares.rows.iter().enumerate() {
            out[k] = row.share.unwrap();
        }
        out
    }

    #[test]
    fn soil_model_the_category_mix_is_within_its_ranges() {
        for seed in 1..=8 {
            let r = read_back(&format!("mix{seed}"), seed, 2024);
            let got = mix(&r.network);
            for (k, (lo, hi)) in MIX.iter().enumerate() {
                assert!(
                    (*lo..=*hi).contains(&got[k]),
                    "seed {seed}: level {k} share {} not in {lo}..={hi} ({got:?})",
                    got[k]
                );
            }
            // Strict control exists, from the cores alone.
            let strict = got[2]
                * r.network
                    .samples
                    .iter()
                    .filter(|s| s.land_class.is_some_and(LandClass::is_agricultural))
                    .count() as f64;
            assert_eq!(strict.round() as usize, STRICT_CONTROL_CORES, "seed {seed}");
        }
    }

    #[test]
    fn soil_model_plots_are_found_as_the_model_says() {
        let r = read_back("plots", 1, 2024);
        let mut worst: BTreeMap<String, Risk> = BTreeMap::new();
        for s in &r.plot_samples.samples {
            let Outcome::Gb36600(c) = screen(s, &ScreenOptions::default()).outcome else {
                panic!("{} is construction land", s.id)
            };
            let risk = c.risk.level().expect("decided");
            let plot = s.plot.clone().unwrap();
            let w = worst.entry(plot).or_insert(risk);
            *w = (*w).max(risk);
        }
        let mut counts = [0usize; 3];
        for p in &r.model.plots {
            let want = match p.finding {
                Finding::BelowScreening => Risk::Negligible,
                Finding::AboveScreening => Risk::InvestigateAndAssess,
                Finding::AboveIntervention => Risk::ControlOrRemediation,
            };
            assert_eq!(worst[&p.id], want, "{}", p.id);
            counts[p.finding as usize] += 1;
        }
        assert_eq!(
            counts,
            [
                40 - PLOTS_ABOVE_SCREENING - PLOTS_ABOVE_INTERVENTION,
                PLOTS_ABOVE_SCREENING,
                PLOTS_ABOVE_INTERVENTION
            ]
        );
        let per_plot: BTreeMap<&str, usize> =
            r.model
                .plot_points
                .iter()
                .fold(BTreeMap::new(), |mut m, p| {
                    *m.entry(p.plot.as_str()).or_default() += 1;
                    m
                });
        assert!(
            per_plot.values().all(|n| (3..=8).contains(n)),
            "{per_plot:?}"
        );
    }

    #[test]
    fn soil_model_coverage_has_its_one_empty_cell() {
        let r = read_back("coverage", 1, 2024);
        let files: BTreeMap<&str, String> = r.model.files().into_iter().collect();
        let classes = read_classes(CLASSES_FILE, &files[CLASSES_FILE]).unwrap();
        let combos = read_combinations(COMBINATIONS_FILE, &files[COMBINATIONS_FILE]).unwrap();
        let points: Vec<Point> = r.network.samples.iter().map(Point::from_sample).collect();
        let dims = dimensions(&classes.items);
        // Every class of every dimension has points, and every point is in the city's classes.
        for d in coverage(&points, &dims) {
            assert!(d.empty.is_empty(), "{}: {:?}", d.dimension, d.empty);
            assert!(d.not_in_city.is_empty() && d.unclassified.is_empty());
            assert_eq!(d.share_covered, Some(1.0));
        }
        let by = |name: &str| dims.iter().find(|d| d.name == name).unwrap();
        let ex = existing(&combos.items, "land_use", "soil_type");
        let x = cross(&points, by("land_use"), by("soil_type"), Some(&ex));
        assert_eq!(
            x.empty,
            [CellRef {
                row: GAP.0.name_zh().into(),
                column: GAP.1.name_zh().into()
            }]
        );
        assert!(x.outside_existing.is_empty(), "{:?}", x.outside_existing);
        assert!(x.unknown_existing.is_empty());
        assert_eq!(
            (x.existing, x.covered),
            (EXISTING.len(), EXISTING.len() - 1)
        );
        // Other seeds: the gap stays, and no point falls outside the existing cells.
        for seed in 2..6 {
            let m = generate_beijing(seed, 2024);
            let cells: BTreeSet<(LandUse, SoilType)> = m
                .network
                .iter()
                .map(|p| (p.land_use, p.soil_type))
                .collect();
            let want: BTreeSet<(LandUse, SoilType)> =
                EXISTING.iter().copied().filter(|c| *c != GAP).collect();
            assert_eq!(cells, want, "seed {seed}");
        }
    }

    #[test]
    fn soil_model_geography_is_beijing() {
        let m = generate_beijing(1, 2024);
        // Inside Beijing's bounding box (115.4–117.5 E, 39.4–41.1 N).
        for p in &m.network {
            assert!(
                (115.4..=117.5).contains(&p.lon) && (39.4..=41.1).contains(&p.lat),
                "{p:?}"
            );
        }
        let ph: Vec<f64> = m
            .network_samples
            .iter()
            .map(|s| match s.readings[0].reported {
                Reported::Value { value, .. } => value,
                Reported::NotDetected { .. } => unreachable!(),
            })
            .collect();
        let alkaline = ph.iter().filter(|&&x| (7.5..=8.5).contains(&x)).count();
        assert!(alkaline as f64 > 0.6 * ph.len() as f64, "{alkaline}");
        // The north-west is mountain, the south-east plain.
        let share = |d: &str, t: Topography| {
            let of: Vec<_> = m.network.iter().filter(|p| p.district == d).collect();
            of.iter().filter(|p| p.topography == t).count() as f64 / of.len() as f64
        };
        assert!(share("门头沟区", Topography::Mountain) > 0.7);
        assert!(share("大兴区", Topography::Plain) == 1.0);
        assert!(share("通州区", Topography::Plain) == 1.0);
        // Shares of districts are areas.
        let total: f64 = m
            .classes
            .iter()
            .filter(|c| c.dimension == "district")
            .map(|c| c.share)
            .sum();
        assert!((total - 1.0).abs() < 0.002, "{total}");
        let paddy = m
            .network
            .iter()
            .filter(|p| p.land_use == LandUse::Paddy)
            .count();
        assert!((1..=10).contains(&paddy), "{paddy}");
    }
}
