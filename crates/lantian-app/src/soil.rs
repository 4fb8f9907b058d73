//! Soil: samples screened by GB 15618—2018 (agricultural land) and GB 36600—2018 (construction
//! land), the network's coverage of the city's land uses and soil types, the interpolated
//! surface of one item, and the risk-control and restoration list kept in the store.
//!
//! The rules are `lantian-soil`'s and `lantian-geostat`'s; this layer reads the files (every
//! cell or row not taken is named with file, line and field), calls the engines and shapes the
//! answers the command line and the API give. Four use cases over loaded files:
//!
//! - [`screen`]: each sample's verdict with its limits, Pi, Nemerow index and exceedances; the
//!   shares by category (samples, and plots' areas), each with its completeness and what was
//!   not counted and why; exceedances per item, and per group (land use, district, zone);
//! - [`coverage`]: the city's classes each dimension has points in, and a cross matrix;
//! - [`surface`]: variogram, cross-validation, a grid and the share of the samples' hull above
//!   a threshold, with the samples' verdicts for the map;
//! - the list: [`list_record`], [`list_as_of`], [`list_changes`], [`list_history`] over the
//!   store's history of events.
//!
//! ```
//! use lantian_app::soil::{self, SoilSources};
//! let dir = std::env::temp_dir().join(format!("lantian-soil-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! std::fs::write(dir.join("samples.csv"), "point,date,depth,item,value,unit,flag\n\
//!     P1,2024-05-01,0-20 cm,pH,6.0,,\n\
//!     P1,2024-05-01,0-20 cm,Cd,0.6,mg/kg,\n").unwrap();
//! std::fs::write(dir.join("points.csv"), "point,x,y,crs,land_use,land_class,soil_type,topography,district,plot\n\
//!     P1,116.3,40.0,EPSG:4326,水田,paddy,,,,\n").unwrap();
//! let data = soil::load(&SoilSources { samples: vec![dir.join("samples.csv")], ..Default::default() })?;
//! let s = soil::screen(&data, None)?;
//! // Paddy at pH 6.0: Cd screening value 0.4, control value 2.0, so safe utilisation.
//! assert_eq!(s.samples[0].level.as_deref(), Some("safe_utilisation"));
//! assert_eq!(s.samples[0].above_screening, ["Cd"]);
//! let shares = s.gb15618.as_ref().unwrap();
//! assert_eq!((shares.completeness.counted, shares.rows[1].samples), (1, 1));
//! # std::fs::remove_dir_all(&dir).unwrap();
//! # Ok::<(), lantian_app::AppError>(())
//! ```

use crate::error::{AppError, Result};
use lantian_geostat::{
    AreaShare, Binning, ConvexHull, EmpiricalVariogram, Estimator, FittedVariogram, Grid, Idw,
    InverseDistanceWeighting, Method, Neighbourhood, OrdinaryKriging, Point as GeoPoint,
    cross_validate, fit, predict_grid, share_above,
};
use lantian_ingest::soil::{self as reader, Problem, SoilError, SoilFormat, classes};
use lantian_soil::gb15618::{self, PhBand};
use lantian_soil::gb36600::{self, SiteClass};
use lantian_soil::list::{self, Changes, Entry};
use lantian_soil::screen::{ItemResult, Outcome, SampleScreening, ScreenOptions};
use lantian_soil::shares::{SampleShares, Shared, plot_shares, sample_shares};
use lantian_soil::{
    Category, CrossCoverage, Dimension, DimensionCoverage, Level, Risk, Sample, Uses, Value,
    Verdict,
};
use lantian_store::Store;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

// The engines' words a request is made of, so that a front door needs no engine crate.
pub use lantian_geostat::VariogramModel;
pub use lantian_soil::LandClass;
pub use lantian_soil::list::{Event, Status};
pub use lantian_soil::shares::AreaShares;

// ---------------------------------------------------------------------------------------------
// Sources and loading.

/// Where the samples and what goes with them are.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SoilSources {
    /// Sample files or folders of them: the CUMCM, Hunan, Jura and Meuse sets, the long CSV
    /// (its `points.csv` beside it), or a `points.csv` alone (points without contents, for the
    /// coverage). `.gz` allowed.
    pub samples: Vec<PathBuf>,
    /// `plots.csv`: the plots, their areas and land classes (shares by area).
    pub plots: Option<PathBuf>,
    /// The city's classes along each dimension (land use, soil type, district …).
    pub classes: Option<PathBuf>,
    /// The combinations of two dimensions that exist in the city.
    pub combinations: Option<PathBuf>,
    /// Screen every sample as this land class, in place of the set's own (for sets without
    /// one, or to screen a set by another standard's reference).
    pub land_class: Option<LandClass>,
    /// The local soil background of arsenic, mg/kg (GB 36600 Table 1 note ①).
    pub arsenic_background: Option<f64>,
}

/// A file read.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SoilFileRead {
    pub file: String,
    /// The layout recognised (`CUMCM 2011 A urban topsoil`, `long soil samples`, `sample points` …).
    pub format: String,
    /// Lines of data read.
    pub rows: u64,
    pub samples: usize,
    /// Cells or rows not taken.
    pub problems: usize,
    /// Cells read as not measured (`NA`, empty).
    pub not_measured: u64,
    /// Columns no sample field holds, each with why.
    pub unused_columns: Vec<UnusedColumn>,
}

/// A column read past.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnusedColumn {
    pub name: String,
    pub unit: Option<String>,
    pub why: String,
}

/// The samples, points and plots of a request, read.
#[derive(Debug, Clone, Default)]
pub struct SoilData {
    pub samples: Vec<Sample>,
    /// The monitoring points: the rows of the points files, then each sample's point not among
    /// them (a long file's samples of several dates share their point).
    pub points: Vec<lantian_soil::Point>,
    /// The plots, when a plots file was given.
    pub plots: Option<Vec<lantian_soil::Plot>>,
    /// The city's classes, when a classes file was given.
    pub classes: Option<Vec<Dimension>>,
    /// The combinations of two dimensions' classes that exist, when a combinations file was
    /// given.
    pub combinations: Option<Vec<classes::Combination>>,
    pub files: Vec<SoilFileRead>,
    /// Every cell or row not taken, with file, line and field.
    pub problems: Vec<String>,
    /// Values kept but noted (a land use outside the set's table, a point without a reference
    /// system), with file, line and field.
    pub flagged: Vec<String>,
    /// The problems about each sample (by its index in `samples`): a sample is screened from
    /// what was read, and says what was not.
    unread: HashMap<usize, Vec<String>>,
    pub options: ScreenOptions,
    pub notes: Vec<String>,
}

/// Names of companion files a folder may hold beside its samples, read through their own
/// options rather than as samples.
const COMPANIONS: [(&str, &str); 4] = [
    (
        "plots.csv",
        "plots are read only when given as the plots file",
    ),
    (
        "list_events.csv",
        "list events are recorded into the store, not read as samples",
    ),
    (
        "classes.csv",
        "the city's classes are read only when given as the classes file",
    ),
    (
        "combinations.csv",
        "the combinations are read only when given as the combinations file",
    ),
];

fn name_of(p: &Path) -> &str {
    p.file_name().and_then(|n| n.to_str()).unwrap_or("")
}

/// The files of the paths given: folders are listed (their `.csv`, `.csv.gz` and `.txt`
/// files, in name order); files are taken as given. `true` marks a file found in a folder.
fn files_of(paths: &[PathBuf]) -> Result<Vec<(PathBuf, bool)>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut inner: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| AppError::BadInput(format!("{}: {e}", p.display())))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.is_file())
                .filter(|f| {
                    let n = name_of(f);
                    n.ends_with(".csv") || n.ends_with(".csv.gz") || n.ends_with(".txt")
                })
                .collect();
            inner.sort();
            out.extend(inner.into_iter().map(|f| (f, true)));
        } else {
            out.push((p.clone(), false));
        }
    }
    if out.is_empty() {
        return Err(AppError::BadInput(
            "no sample files (give files or folders of the soil layouts)".into(),
        ));
    }
    Ok(out)
}

fn soil_error(e: SoilError) -> AppError {
    AppError::BadInput(e.to_string())
}

fn unused(cols: &[reader::UnusedColumn]) -> Vec<UnusedColumn> {
    cols.iter()
        .map(|c| UnusedColumn {
            name: c.name.clone(),
            unit: c.unit.clone(),
            why: c.why.clone(),
        })
        .collect()
}

/// A point of a points file as the coverage counts it.
fn coverage_point(p: &reader::long::Point) -> lantian_soil::Point {
    let mut classes = BTreeMap::new();
    for (dim, class) in [
        ("land_use", &p.land_use),
        ("soil_type", &p.soil_type),
        ("topography", &p.topography),
        ("district", &p.district),
    ] {
        if let Some(c) = class {
            classes.insert(dim.to_string(), c.clone());
        }
    }
    lantian_soil::Point {
        id: p.id.clone(),
        classes,
    }
}

/// Read every file of a request. A file that cannot be taken as a whole (unknown layout, a
/// header or unit line refused) fails the request, naming it; cells and rows not taken are
/// listed in [`SoilData::problems`] and the rest is read.
pub fn load(src: &SoilSources) -> Result<SoilData> {
    if let Some(b) = src.arsenic_background
        && !(b.is_finite() && b > 0.0)
    {
        return Err(AppError::bad(
            "arsenic_background",
            b,
            "a background content is a positive number of mg/kg",
        ));
    }
    let mut data = SoilData {
        options: ScreenOptions {
            arsenic_background_mg_kg: src.arsenic_background,
        },
        ..SoilData::default()
    };
    let mut problems: Vec<Problem> = Vec::new();
    let mut seen_points: BTreeSet<String> = BTreeSet::new();
    let mut sample_points: Vec<lantian_soil::Point> = Vec::new();
    for (path, in_folder) in files_of(&src.samples)? {
        let name = path.display().to_string();
        let text = lantian_ingest::water::read_text(&path).map_err(AppError::BadInput)?;
        let format = reader::detect(text.trim_start_matches('\u{feff}'));
        match format {
            Some(f) if f.has_samples() => {
                let file = reader::read_path(&path).map_err(soil_error)?;
                data.files.push(SoilFileRead {
                    file: name,
                    format: f.name().into(),
                    rows: file.rows,
                    samples: file.samples.len(),
                    problems: file.problems.iter().filter(|p| !p.kept).count(),
                    not_measured: file.not_measured,
                    unused_columns: unused(&file.unused_columns),
                });
                let offset = data.samples.len();
                for (k, ps) in unread_of(&path, &text, f, &file.samples, &file.problems) {
                    data.unread.entry(offset + k).or_default().extend(ps);
                }
                for s in &file.samples {
                    if !seen_points.contains(&s.id) {
                        sample_points.push(lantian_soil::Point::from_sample(s));
                        seen_points.insert(s.id.clone());
                    }
                }
                problems.extend(file.problems);
                data.samples.extend(file.samples);
            }
            Some(SoilFormat::Points) => {
                let pts = reader::long::read_points(&name, &text)
                    .map_err(|p| AppError::BadInput(p.to_string()))?;
                data.files.push(SoilFileRead {
                    file: name,
                    format: SoilFormat::Points.name().into(),
                    rows: pts.rows,
                    samples: 0,
                    problems: pts.problems.iter().filter(|p| !p.kept).count(),
                    not_measured: 0,
                    unused_columns: Vec::new(),
                });
                for p in &pts.items {
                    data.points.push(coverage_point(p));
                }
                problems.extend(pts.problems);
            }
            _ if in_folder && COMPANIONS.iter().any(|(n, _)| *n == name_of(&path)) => {
                let why = COMPANIONS
                    .iter()
                    .find(|(n, _)| *n == name_of(&path))
                    .map_or("", |c| c.1);
                data.notes
                    .push(format!("{name}: not read as samples ({why})"));
            }
            Some(f) => {
                return Err(soil_error(SoilError::NotSamples {
                    file: name,
                    format: f,
                }));
            }
            None => {
                // The reader's own message names the file and the layouts it knows.
                return Err(match reader::read_str(&name, &text) {
                    Err(e) => soil_error(e),
                    Ok(_) => AppError::BadInput(format!("{name}: not a soil layout")),
                });
            }
        }
    }
    // The points of the points files first, then the samples' own.
    let listed: BTreeSet<String> = data.points.iter().map(|p| p.id.clone()).collect();
    data.points.extend(
        sample_points
            .into_iter()
            .filter(|p| !listed.contains(&p.id)),
    );
    if let Some(c) = src.land_class {
        let replaced = data
            .samples
            .iter()
            .filter(|s| s.land_class.is_some_and(|k| k != c))
            .count();
        let unclassed = data
            .samples
            .iter()
            .filter(|s| s.land_class.is_none())
            .count();
        for s in &mut data.samples {
            s.land_class = Some(c);
        }
        data.notes.push(format!(
            "every sample is screened as {}, the land class asked for: {replaced} had another \
             class from its set, {unclassed} had none",
            c.code()
        ));
    }
    if let Some(p) = &src.plots {
        let name = p.display().to_string();
        let text = lantian_ingest::water::read_text(p).map_err(AppError::BadInput)?;
        let plots = reader::plots::read_plots(&name, &text)
            .map_err(|p| AppError::BadInput(p.to_string()))?;
        data.files.push(SoilFileRead {
            file: name,
            format: SoilFormat::Plots.name().into(),
            rows: plots.rows,
            samples: 0,
            problems: plots.problems.iter().filter(|p| !p.kept).count(),
            not_measured: 0,
            unused_columns: Vec::new(),
        });
        problems.extend(plots.problems);
        data.plots = Some(
            plots
                .items
                .into_iter()
                .map(|p| lantian_soil::Plot {
                    id: p.id,
                    area_m2: p.area_m2,
                    land_class: p.land_class,
                    samples: Vec::new(),
                })
                .collect(),
        );
    }
    let city = match &src.classes {
        Some(p) => Some(read_table(
            p,
            "the city's classes",
            classes::read_classes,
            &mut data.files,
            &mut problems,
        )?),
        None => None,
    };
    if let Some(p) = &src.combinations {
        let combos = read_table(
            p,
            "combinations",
            classes::read_combinations,
            &mut data.files,
            &mut problems,
        )?;
        if let Some(city) = &city {
            problems.extend(classes::unknown_classes(&combos, city));
        }
        data.combinations = Some(combos);
    }
    data.classes = city.as_deref().map(classes::dimensions);
    // A points file beside a long file is read twice (as the long file's companion, and as
    // itself when its folder is given): its problems are said once.
    let mut said = BTreeSet::new();
    for p in problems {
        let line = p.to_string();
        if !said.insert(line.clone()) {
            continue;
        }
        if p.kept {
            data.flagged.push(line);
        } else {
            data.problems.push(line);
        }
    }
    Ok(data)
}

/// The first cells of each record of a CSV text, by the line the record starts on (as the
/// readers number it: as an editor shows it, whatever the line ends).
fn cells_by_line(text: &str, n: usize) -> HashMap<u64, Vec<String>> {
    let text = text.trim_start_matches('\u{feff}');
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut line_of = lantian_ingest::LineOf::new(text);
    let mut out = HashMap::new();
    for r in rdr.records().flatten() {
        if let Some(p) = r.position() {
            out.insert(
                line_of.of(p),
                r.iter().take(n).map(|c| c.trim().to_string()).collect(),
            );
        }
    }
    out
}

/// The problems of a sample file that are about its samples, by the sample's index: in a
/// wide set the sample of the problem's line; in a long file the sample of the row's point,
/// date and depth; in the points file beside it, every sample of the point.
fn unread_of(
    path: &Path,
    text: &str,
    format: SoilFormat,
    samples: &[Sample],
    problems: &[Problem],
) -> HashMap<usize, Vec<String>> {
    let name = path.display().to_string();
    let mut out: HashMap<usize, Vec<String>> = HashMap::new();
    let mut long_rows = None;
    let mut point_rows = None;
    for p in problems.iter().filter(|p| !p.kept) {
        let hit: Vec<usize> = if p.file != name {
            let rows = point_rows.get_or_insert_with(|| {
                let companion = path.with_file_name(reader::long::POINTS_FILE);
                lantian_ingest::water::read_text(&companion)
                    .map(|t| cells_by_line(&t, 1))
                    .unwrap_or_default()
            });
            match rows.get(&p.line).and_then(|c| c.first()) {
                Some(point) => (0..samples.len())
                    .filter(|&k| samples[k].id == *point)
                    .collect(),
                None => Vec::new(),
            }
        } else if format == SoilFormat::Long {
            let rows = long_rows.get_or_insert_with(|| cells_by_line(text, 3));
            match rows.get(&p.line).map(Vec::as_slice) {
                Some([point, date, depth]) => {
                    let date = ["%Y-%m-%d", "%Y/%m/%d"]
                        .iter()
                        .find_map(|f| chrono::NaiveDate::parse_from_str(date, f).ok());
                    let depth = Some(depth.clone()).filter(|d| !d.is_empty());
                    (0..samples.len())
                        .filter(|&k| {
                            let s = &samples[k];
                            s.id == *point && s.date == date && s.depth == depth
                        })
                        .collect()
                }
                _ => Vec::new(),
            }
        } else {
            (0..samples.len())
                .filter(|&k| samples[k].line as u64 == p.line)
                .collect()
        };
        for k in hit {
            out.entry(k).or_default().push(p.to_string());
        }
    }
    out
}

fn read_table<T>(
    p: &Path,
    format: &str,
    read: fn(&str, &str) -> std::result::Result<reader::Records<T>, Problem>,
    files: &mut Vec<SoilFileRead>,
    problems: &mut Vec<Problem>,
) -> Result<Vec<T>> {
    let name = p.display().to_string();
    let text = lantian_ingest::water::read_text(p).map_err(AppError::BadInput)?;
    let r = read(&name, &text).map_err(|p| AppError::BadInput(p.to_string()))?;
    files.push(SoilFileRead {
        file: name,
        format: format.into(),
        rows: r.rows,
        samples: 0,
        problems: r.problems.iter().filter(|p| !p.kept).count(),
        not_measured: 0,
        unused_columns: Vec::new(),
    });
    problems.extend(r.problems);
    Ok(r.items)
}

// ---------------------------------------------------------------------------------------------
// Words of the requests.

/// What samples are grouped by for the per-group counts and exceedances.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// The land use in the source's words.
    LandUse,
    /// The functional zone of the CUMCM set, which its reader keeps as the land use (`1 生活区
    /// living`): the same field, named as the contest names it.
    Zone,
    /// The class screened as (`paddy`, `construction_first` …).
    LandClass,
    District,
    SoilType,
    Topography,
    Plot,
}

impl GroupBy {
    pub const NAMES: &'static [&'static str] = &[
        "land_use",
        "zone",
        "land_class",
        "district",
        "soil_type",
        "topography",
        "plot",
    ];
    const ALL: [GroupBy; 7] = [
        GroupBy::LandUse,
        GroupBy::Zone,
        GroupBy::LandClass,
        GroupBy::District,
        GroupBy::SoilType,
        GroupBy::Topography,
        GroupBy::Plot,
    ];

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// A sample's group; `None` when the sample has no value for the field.
    pub fn of(self, s: &Sample) -> Option<String> {
        match self {
            GroupBy::LandUse | GroupBy::Zone => s.land_use.clone(),
            GroupBy::LandClass => s.land_class.map(|c| c.code().to_string()),
            GroupBy::District => s.district.clone(),
            GroupBy::SoilType => s.soil_type.clone(),
            GroupBy::Topography => s.topography.clone(),
            GroupBy::Plot => s.plot.clone(),
        }
    }
}

impl std::str::FromStr for GroupBy {
    type Err = AppError;
    fn from_str(s: &str) -> Result<Self> {
        GroupBy::ALL
            .into_iter()
            .find(|g| g.name() == s.trim())
            .ok_or_else(|| {
                AppError::bad("group_by", s, format!("one of {}", Self::NAMES.join(", ")))
            })
    }
}

impl std::fmt::Display for GroupBy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The group of samples that have no value for the field grouped by.
pub const NO_GROUP: &str = "(not given)";

/// The land classes' codes, as requests write them.
pub const LAND_CLASS_NAMES: &[&str] = &[
    "paddy",
    "paddy_upland_rotation",
    "orchard",
    "other_farmland",
    "construction_first",
    "construction_second",
];

/// The land class of a request field (`paddy`, `other_farmland`, `construction_first` …).
pub fn land_class(s: &str) -> Result<LandClass> {
    s.parse::<LandClass>()
        .map_err(|why| AppError::bad("land_class", s, why))
}

/// The code a level serialises to (`safe_utilisation`).
fn code<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Screening.

/// One sample's verdict, in brief, with the engine's full result beside it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SampleRow {
    pub sample: String,
    pub file: String,
    pub line: usize,
    pub plot: Option<String>,
    pub x: Option<f64>,
    pub y: Option<f64>,
    pub crs: String,
    pub land_use: Option<String>,
    pub district: Option<String>,
    pub soil_type: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub land_class: Option<LandClass>,
    pub ph: Option<f64>,
    /// The group, when grouped.
    pub group: Option<String>,
    /// `GB 15618—2018` or `GB 36600—2018`; none when not screened.
    pub standard: Option<&'static str>,
    /// The category (GB 15618) or risk (GB 36600) when one level is decided.
    pub level: Option<String>,
    /// The range the truth lies in, when no single level is (and when one is: both ends are it).
    pub best: Option<String>,
    pub worst: Option<String>,
    /// Why there is no single level.
    pub reason: Option<String>,
    /// GB 36600: what the land may be used for, when decided.
    pub uses: Option<String>,
    pub nemerow: Option<f64>,
    pub nemerow_grade: Option<String>,
    /// Some Pi is an upper bound (below a detection limit), so the index is one too.
    pub nemerow_upper_bound: bool,
    /// Items surely above their screening value (without pH: in every band), and surely above
    /// the control or intervention value.
    pub above_screening: Vec<String>,
    pub above_upper: Vec<String>,
    /// Cells of the sample's line that could not be read: the verdict is of what was read.
    pub unread: Vec<String>,
    /// Items, limits (table, row, column), Pi, exceedance multiples and verdicts.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub screening: SampleScreening,
}

/// Samples of one item: how many were compared with a value, how many were above it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemExceedance {
    /// The group (`all` for every sample).
    pub group: String,
    pub item: String,
    pub name_en: Option<&'static str>,
    pub name_zh: Option<&'static str>,
    /// The standards the samples were screened by.
    pub standards: Vec<&'static str>,
    /// Samples whose content was compared with a value of their standard.
    pub samples: usize,
    /// Surely above the screening value (C > S; without pH, above it in every band).
    pub above_screening: usize,
    /// Surely above the control (GB 15618) or intervention (GB 36600) value.
    pub above_upper: usize,
    /// Compared, but not placeable in one level (a detection limit above the screening value;
    /// no pH, and the bands disagree): counted in neither of the above.
    pub not_decidable: usize,
    /// Samples with the item whose standard has no value for it (zinc and total chromium on
    /// construction land).
    pub no_value: usize,
    /// above_screening / samples.
    pub share_above_screening: Option<f64>,
    /// The largest exact Pi, and its sample.
    pub max_pi: Option<f64>,
    pub max_pi_sample: Option<String>,
}

/// One level's samples in a group.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LevelCount {
    pub level: String,
    pub name_en: &'static str,
    pub name_zh: &'static str,
    pub samples: usize,
}

/// A group's samples by the levels of one standard.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LevelCounts {
    pub standard: &'static str,
    pub levels: Vec<LevelCount>,
    /// Samples with one level, of the samples in scope.
    pub counted: usize,
    pub expected: usize,
}

/// A group's samples by level.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupRow {
    pub group: String,
    pub samples: usize,
    /// Samples without a land class (screened by neither standard).
    pub not_screened: usize,
    pub gb15618: Option<LevelCounts>,
    pub gb36600: Option<LevelCounts>,
}

/// A land use as read and the class it was screened as, with its samples: the mapping applied.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LandUseClass {
    pub land_use: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub land_class: Option<LandClass>,
    pub samples: usize,
}

/// Samples screened, with the shares, exceedances and groups.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SoilScreening {
    pub samples: Vec<SampleRow>,
    /// Samples by GB 15618 category; none when no sample is agricultural land (or unclassed).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub gb15618: Option<SampleShares<Category>>,
    /// Samples by GB 36600 risk, and by the uses the land may have.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub gb36600: Option<SampleShares<Risk>>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub gb36600_uses: Option<SampleShares<Uses>>,
    /// Plots and their area by category (a plot takes its worst sample's level).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub area_gb15618: Option<AreaShares<Category>>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub area_gb36600: Option<AreaShares<Risk>>,
    /// Exceedances per item over every sample.
    pub items: Vec<ItemExceedance>,
    pub group_by: Option<GroupBy>,
    /// Per group, the samples by level, and the exceedances per group and item.
    pub groups: Vec<GroupRow>,
    pub group_items: Vec<ItemExceedance>,
    /// The land uses read and the classes they were screened as.
    pub land_classes: Vec<LandUseClass>,
    pub arsenic_background_mg_kg: Option<f64>,
    pub files: Vec<SoilFileRead>,
    /// Cells or rows not read, values kept but noted (both listed in full by the command
    /// line's `--problems`).
    pub problems: usize,
    pub flagged: usize,
    pub notes: Vec<String>,
}

fn verdict_parts<L: Level>(
    v: &Verdict<L>,
) -> (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
) {
    let (best, worst) = match v.bounds() {
        Some((b, w)) => (Some(code(&b)), Some(code(&w))),
        None => (None, None),
    };
    (
        v.level().map(|l| code(&l)),
        best,
        worst,
        v.reason().map(String::from),
    )
}

/// The content is surely above the screening value: measured above it, or (without pH, all
/// bands considered) placed above it in every band.
fn above_screening<L: Level>(i: &ItemResult<L>) -> bool {
    i.exceedance_screening.is_some() || i.verdict.bounds().is_some_and(|(b, _)| b > L::best())
}

/// The content is surely above the control (GB 15618) or intervention (GB 36600) value.
fn above_upper<L: Level>(i: &ItemResult<L>) -> bool {
    i.exceedance_upper.is_some() || i.verdict.bounds().is_some_and(|(b, _)| b == L::worst())
}

fn exceeding<L: Level>(items: &[ItemResult<L>]) -> (Vec<String>, Vec<String>) {
    (
        items
            .iter()
            .filter(|i| above_screening(i))
            .map(|i| i.item.clone())
            .collect(),
        items
            .iter()
            .filter(|i| above_upper(i))
            .map(|i| i.item.clone())
            .collect(),
    )
}

fn sample_row(
    s: &Sample,
    r: SampleScreening,
    group: Option<String>,
    unread: Vec<String>,
) -> SampleRow {
    let mut row = SampleRow {
        sample: s.id.clone(),
        file: s.file.clone(),
        line: s.line,
        plot: s.plot.clone(),
        x: s.x,
        y: s.y,
        crs: s.crs.clone(),
        land_use: s.land_use.clone(),
        district: s.district.clone(),
        soil_type: s.soil_type.clone(),
        land_class: s.land_class,
        ph: s.ph,
        group,
        standard: None,
        level: None,
        best: None,
        worst: None,
        reason: None,
        uses: None,
        nemerow: None,
        nemerow_grade: None,
        nemerow_upper_bound: false,
        above_screening: Vec::new(),
        above_upper: Vec::new(),
        unread,
        screening: r,
    };
    let nemerow = match &row.screening.outcome {
        Outcome::NotScreened { reason } => {
            row.reason = Some(reason.clone());
            None
        }
        Outcome::Gb15618(a) => {
            row.standard = Some(gb15618::STANDARD);
            (row.level, row.best, row.worst, row.reason) = verdict_parts(&a.category);
            (row.above_screening, row.above_upper) = exceeding(&a.items);
            a.nemerow.computed()
        }
        Outcome::Gb36600(c) => {
            row.standard = Some(gb36600::STANDARD);
            (row.level, row.best, row.worst, row.reason) = verdict_parts(&c.risk);
            row.uses = c.uses.level().map(|u| code(&u));
            (row.above_screening, row.above_upper) = exceeding(&c.items);
            c.nemerow.computed()
        }
    };
    if let Some(n) = nemerow.cloned() {
        row.nemerow = Some(n.p);
        row.nemerow_grade = Some(code(&n.grade));
        row.nemerow_upper_bound = n.upper_bound;
    }
    row
}

/// Exceedances of one item, accumulated.
#[derive(Default)]
struct ItemAcc {
    name_en: Option<&'static str>,
    name_zh: Option<&'static str>,
    standards: BTreeSet<&'static str>,
    samples: usize,
    above_screening: usize,
    above_upper: usize,
    not_decidable: usize,
    no_value: usize,
    max_pi: Option<(f64, String)>,
}

impl ItemAcc {
    fn add<L: Level>(&mut self, i: &ItemResult<L>, sample: &str) {
        self.name_en = self.name_en.or(i.name_en);
        self.name_zh = self.name_zh.or(i.name_zh);
        if matches!(i.verdict, Verdict::NoValue { .. }) {
            self.no_value += 1;
            return;
        }
        self.standards.insert(L::STANDARD);
        self.samples += 1;
        self.above_screening += usize::from(above_screening(i));
        self.above_upper += usize::from(above_upper(i));
        self.not_decidable += usize::from(i.verdict.level().is_none());
        if let Some(pi) = i.pi.filter(|p| !p.at_most)
            && self.max_pi.as_ref().is_none_or(|(m, _)| pi.value > *m)
        {
            self.max_pi = Some((pi.value, sample.to_string()));
        }
    }

    fn row(self, group: &str, item: &str) -> ItemExceedance {
        ItemExceedance {
            group: group.to_string(),
            item: item.to_string(),
            name_en: self.name_en,
            name_zh: self.name_zh,
            standards: self.standards.into_iter().collect(),
            samples: self.samples,
            above_screening: self.above_screening,
            above_upper: self.above_upper,
            not_decidable: self.not_decidable,
            no_value: self.no_value,
            share_above_screening: (self.samples > 0)
                .then(|| self.above_screening as f64 / self.samples as f64),
            max_pi: self.max_pi.as_ref().map(|m| m.0),
            max_pi_sample: self.max_pi.map(|m| m.1),
        }
    }
}

/// Items in the order they first appear, and their accumulators.
#[derive(Default)]
struct ItemsAcc {
    order: Vec<String>,
    acc: HashMap<String, ItemAcc>,
}

impl ItemsAcc {
    fn add<L: Level>(&mut self, items: &[ItemResult<L>], sample: &str) {
        for i in items {
            if !self.acc.contains_key(&i.item) {
                self.order.push(i.item.clone());
            }
            self.acc.entry(i.item.clone()).or_default().add(i, sample);
        }
    }

    fn rows(mut self, group: &str) -> Vec<ItemExceedance> {
        self.order
            .iter()
            .map(|item| self.acc.remove(item).unwrap_or_default().row(group, item))
            .collect()
    }
}

/// Exceedances per item over some samples, items in the order they first appear.
fn item_exceedances<'a>(
    group: &str,
    rows: impl IntoIterator<Item = &'a SampleRow>,
) -> Vec<ItemExceedance> {
    let mut acc = ItemsAcc::default();
    for r in rows {
        match &r.screening.outcome {
            Outcome::NotScreened { .. } => {}
            Outcome::Gb15618(a) => acc.add(&a.items, &r.sample),
            Outcome::Gb36600(c) => acc.add(&c.items, &r.sample),
        }
    }
    acc.rows(group)
}

fn level_counts<L: Shared>(results: &[SampleScreening]) -> Option<LevelCounts> {
    let s = sample_shares::<L>(results);
    (s.completeness.expected > 0).then(|| LevelCounts {
        standard: s.standard,
        levels: s
            .rows
            .iter()
            .map(|r| LevelCount {
                level: code(&r.level),
                name_en: r.name_en,
                name_zh: r.name_zh,
                samples: r.samples,
            })
            .collect(),
        counted: s.completeness.counted,
        expected: s.completeness.expected,
    })
}

fn in_scope<L: Shared>(results: &[SampleScreening]) -> Option<SampleShares<L>> {
    let s = sample_shares::<L>(results);
    (s.completeness.expected > 0).then_some(s)
}

/// Screen every sample by the standard of its land class; count them by level (and plots'
/// areas, when plots were given), the exceedances per item, and per group when asked.
pub fn screen(data: &SoilData, group_by: Option<GroupBy>) -> Result<SoilScreening> {
    if data.samples.is_empty() {
        return Err(AppError::BadInput(
            "no samples in the files given (points and plots alone are not screened)".into(),
        ));
    }
    let results: Vec<SampleScreening> = data
        .samples
        .iter()
        .map(|s| lantian_soil::screen(s, &data.options))
        .collect();
    let samples: Vec<SampleRow> = data
        .samples
        .iter()
        .zip(results.iter().cloned())
        .enumerate()
        .map(|(k, (s, r))| {
            let group = group_by.map(|g| g.of(s).unwrap_or_else(|| NO_GROUP.to_string()));
            let unread = data.unread.get(&k).cloned().unwrap_or_default();
            sample_row(s, r, group, unread)
        })
        .collect();
    // A sample with a cell that could not be read is shown with the verdict of what was read,
    // but not counted in any share: the unread content (or pH) could make it worse, and a
    // share must not be better than the truth.
    let results: Vec<SampleScreening> = results
        .into_iter()
        .enumerate()
        .map(|(k, mut r)| {
            if let Some(cells) = data.unread.get(&k).filter(|c| !c.is_empty()) {
                r.outcome = Outcome::NotScreened {
                    reason: format!(
                        "not counted: {} cell(s) could not be read ({})",
                        cells.len(),
                        cells.join("; ")
                    ),
                };
            }
            r
        })
        .collect();
    let mut groups = Vec::new();
    let mut group_items = Vec::new();
    if group_by.is_some() {
        let mut members: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (k, r) in samples.iter().enumerate() {
            members
                .entry(r.group.as_deref().unwrap_or(NO_GROUP))
                .or_default()
                .push(k);
        }
        for (g, ks) in &members {
            let rs: Vec<SampleScreening> = ks.iter().map(|&k| results[k].clone()).collect();
            groups.push(GroupRow {
                group: g.to_string(),
                samples: ks.len(),
                not_screened: rs
                    .iter()
                    .filter(|r| matches!(r.outcome, Outcome::NotScreened { .. }))
                    .count(),
                gb15618: level_counts::<Category>(&rs),
                gb36600: level_counts::<Risk>(&rs),
            });
            group_items.extend(item_exceedances(g, ks.iter().map(|&k| &samples[k])));
        }
    }
    let mut land_classes: Vec<LandUseClass> = Vec::new();
    for s in &data.samples {
        match land_classes
            .iter_mut()
            .find(|l| l.land_use == s.land_use && l.land_class == s.land_class)
        {
            Some(l) => l.samples += 1,
            None => land_classes.push(LandUseClass {
                land_use: s.land_use.clone(),
                land_class: s.land_class,
                samples: 1,
            }),
        }
    }
    land_classes.sort_by(|a, b| (&a.land_use, a.land_class).cmp(&(&b.land_use, b.land_class)));
    let (area_gb15618, area_gb36600) = match &data.plots {
        Some(plots) => {
            let a = plot_shares::<Category>(plots, &results);
            let c = plot_shares::<Risk>(plots, &results);
            (
                (!a.plots.is_empty()).then_some(a),
                (!c.plots.is_empty()).then_some(c),
            )
        }
        None => (None, None),
    };
    let mut notes = data.notes.clone();
    let unread = samples.iter().filter(|r| !r.unread.is_empty()).count();
    if unread > 0 {
        notes.push(format!(
            "{unread} samples have cells that could not be read (each sample's `unread` says \
             which): each shows the verdict of what was read, which may be better than the \
             truth, and none is counted in the shares"
        ));
    }
    Ok(SoilScreening {
        items: item_exceedances("all", &samples),
        gb15618: in_scope::<Category>(&results),
        gb36600: in_scope::<Risk>(&results),
        gb36600_uses: in_scope::<Uses>(&results),
        area_gb15618,
        area_gb36600,
        samples,
        group_by,
        groups,
        group_items,
        land_classes,
        arsenic_background_mg_kg: data.options.arsenic_background_mg_kg,
        files: data.files.clone(),
        problems: data.problems.len(),
        flagged: data.flagged.len(),
        notes,
    })
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn opt_num(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// The samples as CSV: `sample,file,line,group,land_class,standard,level,best,worst,uses,
/// nemerow,nemerow_grade,above_screening,above_upper,reason` (items joined by `;`).
pub fn samples_csv(s: &SoilScreening) -> String {
    let mut out = String::from(
        "sample,file,line,group,land_class,standard,level,best,worst,uses,nemerow,nemerow_grade,\
         above_screening,above_upper,reason\n",
    );
    for r in &s.samples {
        let cells = [
            r.sample.clone(),
            r.file.clone(),
            r.line.to_string(),
            r.group.clone().unwrap_or_default(),
            r.land_class
                .map(|c| c.code().to_string())
                .unwrap_or_default(),
            r.standard.unwrap_or_default().to_string(),
            r.level.clone().unwrap_or_default(),
            r.best.clone().unwrap_or_default(),
            r.worst.clone().unwrap_or_default(),
            r.uses.clone().unwrap_or_default(),
            opt_num(r.nemerow),
            r.nemerow_grade.clone().unwrap_or_default(),
            r.above_screening.join(";"),
            r.above_upper.join(";"),
            r.reason.clone().unwrap_or_default(),
        ];
        let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

/// The exceedances as CSV, per group and item (`all` first):
/// `group,item,standards,samples,above_screening,above_upper,not_decidable,no_value,max_pi`.
pub fn items_csv(s: &SoilScreening) -> String {
    let mut out = String::from(
        "group,item,standards,samples,above_screening,above_upper,not_decidable,no_value,max_pi\n",
    );
    for r in s.items.iter().chain(&s.group_items) {
        let cells = [
            r.group.clone(),
            r.item.clone(),
            r.standards.join(";"),
            r.samples.to_string(),
            r.above_screening.to_string(),
            r.above_upper.to_string(),
            r.not_decidable.to_string(),
            r.no_value.to_string(),
            opt_num(r.max_pi),
        ];
        let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Coverage.

/// How the network covers the city's classes.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SoilCoverage {
    pub points: usize,
    /// Whether the city's classes were given (else they are the points' own, and none can be
    /// empty).
    pub classes_given: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub dimensions: Vec<DimensionCoverage>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub cross: CrossCoverage,
    pub files: Vec<SoilFileRead>,
    pub problems: usize,
    pub flagged: usize,
    pub notes: Vec<String>,
}

/// The coverage of each of the city's dimensions and the cross matrix `rows × columns`
/// (`land_use × soil_type` is the survey's usual one).
pub fn coverage(data: &SoilData, rows: &str, columns: &str) -> Result<SoilCoverage> {
    if data.points.is_empty() {
        return Err(AppError::BadInput(
            "no points in the files given (a points.csv, or sample files)".into(),
        ));
    }
    let mut notes = data.notes.clone();
    let dims: Vec<Dimension> = match &data.classes {
        Some(d) => d.clone(),
        None => {
            notes.push(
                "no classes file: the city's classes are taken as those of the points, so no \
                 class shows as empty"
                    .into(),
            );
            classes::DIMENSIONS
                .iter()
                .map(|&name| {
                    let mut classes: Vec<String> = Vec::new();
                    for p in &data.points {
                        if let Some(c) = p.classes.get(name)
                            && !classes.contains(c)
                        {
                            classes.push(c.clone());
                        }
                    }
                    Dimension {
                        name: name.to_string(),
                        classes,
                    }
                })
                .filter(|d| !d.classes.is_empty())
                .collect()
        }
    };
    let dim = |parameter: &'static str, name: &str| -> Result<&Dimension> {
        dims.iter().find(|d| d.name == name).ok_or_else(|| {
            AppError::bad(
                parameter,
                name,
                format!(
                    "not a dimension of the city's classes ({})",
                    dims.iter()
                        .map(|d| d.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })
    };
    let (r, c) = (dim("rows", rows)?, dim("cols", columns)?);
    if r.name == c.name {
        return Err(AppError::bad(
            "cols",
            columns,
            "the matrix crosses two different dimensions",
        ));
    }
    let existing = match &data.combinations {
        Some(k) => {
            let cells = classes::existing(k, &r.name, &c.name);
            if cells.is_empty() {
                notes.push(format!(
                    "the combinations file has none of {} × {}: every combination is taken to \
                     exist",
                    r.name, c.name
                ));
                None
            } else {
                Some(cells)
            }
        }
        None => None,
    };
    Ok(SoilCoverage {
        points: data.points.len(),
        classes_given: data.classes.is_some(),
        dimensions: lantian_soil::coverage(&data.points, &dims),
        cross: lantian_soil::cross(&data.points, r, c, existing.as_deref()),
        files: data.files.clone(),
        problems: data.problems.len(),
        flagged: data.flagged.len(),
        notes,
    })
}

// ---------------------------------------------------------------------------------------------
// Surfaces.

/// How a surface is interpolated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SurfaceMethod {
    /// Ordinary kriging with the fitted variogram (5 to 15 neighbours within its range).
    Kriging,
    /// Inverse distance weighting, power 2, every sample.
    Idw,
}

impl SurfaceMethod {
    pub const NAMES: &'static [&'static str] = &["kriging", "idw"];
}

impl std::str::FromStr for SurfaceMethod {
    type Err = AppError;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim() {
            "kriging" => Ok(SurfaceMethod::Kriging),
            "idw" => Ok(SurfaceMethod::Idw),
            _ => Err(AppError::bad("method", s, "kriging or idw")),
        }
    }
}

/// A grid's size, `100x100` (nodes along x, then y) or `100` for both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GridSize {
    pub nx: usize,
    pub ny: usize,
}

impl Default for GridSize {
    fn default() -> Self {
        GridSize { nx: 100, ny: 100 }
    }
}

/// More nodes than this are refused: a grid is held in memory with an estimate per node.
pub const MAX_GRID_NODES: usize = 4_000_000;

impl std::str::FromStr for GridSize {
    type Err = AppError;
    fn from_str(s: &str) -> Result<Self> {
        let bad = |why: &str| AppError::bad("grid", s, why);
        let t = s.trim();
        let (a, b) = t.split_once(['x', 'X', '×']).unwrap_or((t, t));
        let n = |v: &str| {
            v.trim()
                .parse::<usize>()
                .map_err(|_| bad("NXxNY, e.g. 100x100"))
        };
        let g = GridSize {
            nx: n(a)?,
            ny: n(b)?,
        };
        if g.nx < 2 || g.ny < 2 {
            return Err(bad(
                "a grid from the smallest to the largest coordinate needs 2 nodes each way",
            ));
        }
        if g.nx.saturating_mul(g.ny) > MAX_GRID_NODES {
            return Err(bad("at most 4,000,000 nodes"));
        }
        Ok(g)
    }
}

/// A surface request.
#[derive(Debug, Clone, PartialEq)]
pub struct SurfaceRequest {
    /// The item's key (`Zn`, `Cd`, `71-43-2`).
    pub item: String,
    pub method: SurfaceMethod,
    /// The variogram model fitted (spherical, scikit-gstat's default).
    pub model: VariogramModel,
    pub grid: GridSize,
    /// mg/kg; by default the item's screening value, when every sample has the same one.
    pub threshold: Option<f64>,
}

impl SurfaceRequest {
    pub fn new(item: &str) -> SurfaceRequest {
        SurfaceRequest {
            item: item.to_string(),
            method: SurfaceMethod::Kriging,
            model: VariogramModel::Spherical,
            grid: GridSize::default(),
            threshold: None,
        }
    }
}

/// A variogram model's name (`spherical`, `exponential`, `gaussian`).
pub fn variogram_model(s: &str) -> Result<VariogramModel> {
    [
        VariogramModel::Spherical,
        VariogramModel::Exponential,
        VariogramModel::Gaussian,
    ]
    .into_iter()
    .find(|m| m.name() == s.trim())
    .ok_or_else(|| AppError::bad("model", s, "spherical, exponential or gaussian"))
}

/// The variogram: the empirical one and the model fitted to it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurfaceVariogram {
    /// Lag classes (edges, pairs, semivariance), Matheron's estimator, 10 even classes up to
    /// the largest distance.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub empirical: EmpiricalVariogram,
    /// Model, effective range, partial sill, nugget and the fit's RMSE over the classes.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub fitted: FittedVariogram,
    pub total_sill: f64,
}

/// A sample left out of the cross-validation, or estimated.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CvSample {
    pub sample: String,
    pub observed: f64,
    pub estimate: Option<f64>,
    /// Estimate − observed.
    pub error: Option<f64>,
    /// Why there is no estimate.
    pub why: Option<String>,
}

/// Leave-one-out cross-validation of the method.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurfaceCv {
    pub method: SurfaceMethod,
    pub samples: usize,
    /// Samples with an estimate from the others.
    pub predicted: usize,
    pub rmse: Option<f64>,
    pub mae: Option<f64>,
    pub mean_error: Option<f64>,
    pub each: Vec<CvSample>,
}

/// The grid of estimates, in the samples' reference system.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurfaceGrid {
    pub crs: String,
    /// The first node and the spacing, in the samples' coordinates.
    pub x0: f64,
    pub y0: f64,
    pub dx: f64,
    pub dy: f64,
    pub nx: usize,
    pub ny: usize,
    /// Nodes with an estimate.
    pub estimated: usize,
    /// Row by row, x fastest; `None` where there is no estimate (too few samples in range).
    pub values: Vec<Option<f64>>,
    /// The kriging variance per node (kriging only).
    pub variances: Vec<Option<f64>>,
}

/// The threshold compared with, and where it comes from.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurfaceThreshold {
    pub mg_kg: f64,
    /// `given`, or the limit (standard, table, row, column).
    pub from: String,
}

/// A sample on the map.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurfaceSample {
    pub sample: String,
    pub x: f64,
    pub y: f64,
    /// The item's content, mg/kg.
    pub value: f64,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub land_class: Option<LandClass>,
    pub standard: Option<&'static str>,
    /// The sample's category (GB 15618) or risk (GB 36600) over all its items, when decided;
    /// else the range.
    pub level: Option<String>,
    pub best: Option<String>,
    pub worst: Option<String>,
}

/// A sample not used, and why.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeftOutSample {
    pub sample: String,
    pub file: String,
    pub line: usize,
    pub reason: String,
}

/// One item interpolated over the samples.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SoilSurface {
    pub item: String,
    pub unit: &'static str,
    pub method: SurfaceMethod,
    pub crs: String,
    /// The unit of distances (ranges, spacings): `m` for projected sets and for longitude and
    /// latitude (projected on a local plane), else the coordinates' own.
    pub distance_unit: String,
    pub samples_used: usize,
    pub left_out: Vec<LeftOutSample>,
    /// Fitted for kriging; for IDW, when it can be, as a description of the field.
    pub variogram: Option<SurfaceVariogram>,
    /// Why there is no variogram (IDW only: kriging fails without one).
    pub variogram_error: Option<String>,
    pub cross_validation: SurfaceCv,
    pub grid: SurfaceGrid,
    pub threshold: SurfaceThreshold,
    /// The share of the samples' convex hull above the threshold (grid nodes in the hull).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub above: AreaShare,
    /// The hull's area, in the distance unit squared.
    pub hull_area: f64,
    pub samples: Vec<SurfaceSample>,
    pub notes: Vec<String>,
}

/// Longitude and latitude projected on a plane through the samples' centre (equirectangular):
/// over a county or a city (tens of km) distances are within 0.1 % of the geodesic ones, which
/// is far inside a variogram's uncertainty. Other sets are taken as planar.
#[derive(Debug, Clone, Copy)]
struct Plane {
    lon0: f64,
    lat0: f64,
    kx: f64,
    ky: f64,
}

/// Metres per degree of latitude on the mean Earth radius (6,371,008.8 m).
const M_PER_DEG: f64 = 6_371_008.8 * std::f64::consts::PI / 180.0;

impl Plane {
    fn identity() -> Plane {
        Plane {
            lon0: 0.0,
            lat0: 0.0,
            kx: 1.0,
            ky: 1.0,
        }
    }

    fn about(xy: &[(f64, f64)]) -> Plane {
        let n = xy.len().max(1) as f64;
        let lon0 = xy.iter().map(|p| p.0).sum::<f64>() / n;
        let lat0 = xy.iter().map(|p| p.1).sum::<f64>() / n;
        Plane {
            lon0,
            lat0,
            kx: M_PER_DEG * lat0.to_radians().cos(),
            ky: M_PER_DEG,
        }
    }

    fn project(self, x: f64, y: f64) -> (f64, f64) {
        ((x - self.lon0) * self.kx, (y - self.lat0) * self.ky)
    }

    fn unproject(self, x: f64, y: f64) -> (f64, f64) {
        (x / self.kx + self.lon0, y / self.ky + self.lat0)
    }
}

/// The unit of distances: metres for longitude and latitude (projected here), for RD New
/// (EPSG:28992) and for the sets' local grids in metres (`local grid, m`); else the
/// coordinates' own, which the set does not name.
fn distance_unit(crs: &str, lon_lat: bool) -> String {
    if lon_lat || crs == "EPSG:28992" || crs.ends_with(", m") {
        "m".into()
    } else {
        format!("the unit of the coordinates ({crs})")
    }
}

fn geostat(e: lantian_geostat::GeostatError) -> AppError {
    AppError::BadInput(format!("the surface cannot be made: {e}"))
}

/// The item's screening value when every sample used has the same one (one land class and,
/// for GB 15618's pH-dependent items, one pH band).
fn default_threshold(used: &[&Sample], item: &str) -> Result<SurfaceThreshold> {
    let need = |why: String| {
        AppError::bad(
            "threshold",
            "not given",
            format!("{why}, so the samples share no screening value; give one"),
        )
    };
    let classes: BTreeSet<Option<LandClass>> = used.iter().map(|s| s.land_class).collect();
    let land = match classes.iter().collect::<Vec<_>>()[..] {
        [Some(c)] => *c,
        [None] => return Err(need("the samples have no land class".into())),
        _ => {
            let names: Vec<&str> = classes
                .iter()
                .map(|c| c.map_or("none", |c| c.code()))
                .collect();
            return Err(need(format!(
                "the samples are of several land classes ({})",
                names.join(", ")
            )));
        }
    };
    let limit = match SiteClass::of(land) {
        Some(site) => gb36600::row(item)
            .map(|r| r.limits(site).screening)
            .ok_or_else(|| need(gb36600::no_value_reason(item)))?,
        None => {
            let it = gb15618::Item::parse(item)
                .ok_or_else(|| need(format!("{} has no value for {item}", gb15618::STANDARD)))?;
            let band = if it.is_ph_dependent() {
                let bands: BTreeSet<Option<PhBand>> =
                    used.iter().map(|s| s.ph.and_then(PhBand::of)).collect();
                match bands.iter().collect::<Vec<_>>()[..] {
                    [Some(b)] => Some(*b),
                    _ if bands.contains(&None) => {
                        return Err(need("some samples have no pH".into()));
                    }
                    _ => return Err(need("the samples' pH is in several bands".into())),
                }
            } else {
                None
            };
            gb15618::limits(it, land, band)
                .map(|l| l.screening)
                .ok_or_else(|| need(format!("{} has no value for {item}", gb15618::STANDARD)))?
        }
    };
    Ok(SurfaceThreshold {
        mg_kg: limit.mg_kg,
        from: limit.to_string(),
    })
}

/// Interpolate one item over the samples that have it as a number with coordinates: the
/// variogram, the cross-validation, a grid over the samples' extent and the share of their
/// convex hull above the threshold.
pub fn surface(data: &SoilData, req: &SurfaceRequest) -> Result<SoilSurface> {
    let item = req.item.trim();
    if !data.samples.iter().any(|s| s.content(item).is_some()) {
        let mut items: Vec<&str> = Vec::new();
        for s in &data.samples {
            for c in &s.contents {
                if !items.contains(&c.item.as_str()) {
                    items.push(&c.item);
                }
            }
        }
        return Err(AppError::bad(
            "item",
            item,
            format!("no sample has it (the samples have {})", items.join(", ")),
        ));
    }
    if let Some(t) = req.threshold
        && !(t.is_finite() && t >= 0.0)
    {
        return Err(AppError::bad("threshold", t, "a content in mg/kg"));
    }
    let mut left_out = Vec::new();
    let mut used: Vec<(&Sample, f64, f64, f64)> = Vec::new();
    for s in &data.samples {
        let leave = |reason: String| LeftOutSample {
            sample: s.id.clone(),
            file: s.file.clone(),
            line: s.line,
            reason,
        };
        let value = match s.content(item).map(|c| c.value) {
            None => {
                left_out.push(leave(format!("no {item} content")));
                continue;
            }
            Some(Value::BelowDetection { limit_mg_kg }) => {
                left_out.push(leave(format!(
                    "below a detection limit of {limit_mg_kg} mg/kg: not a number to interpolate"
                )));
                continue;
            }
            Some(Value::Measured { mg_kg }) if !(mg_kg.is_finite() && mg_kg >= 0.0) => {
                left_out.push(leave(format!("{mg_kg} mg/kg is not a content")));
                continue;
            }
            Some(Value::Measured { mg_kg }) => mg_kg,
        };
        let (Some(x), Some(y)) = (s.x, s.y) else {
            left_out.push(leave("no coordinates".into()));
            continue;
        };
        used.push((s, x, y, value));
    }
    let crss: BTreeSet<&str> = used.iter().map(|u| u.0.crs.as_str()).collect();
    if crss.len() > 1 {
        return Err(AppError::BadInput(format!(
            "the samples are in several reference systems ({}): one surface needs one",
            crss.into_iter().collect::<Vec<_>>().join(", ")
        )));
    }
    let crs = crss.into_iter().next().unwrap_or_default().to_string();
    let lon_lat = crs.eq_ignore_ascii_case("EPSG:4326");
    let plane = if lon_lat {
        Plane::about(&used.iter().map(|u| (u.1, u.2)).collect::<Vec<_>>())
    } else {
        Plane::identity()
    };
    let points: Vec<GeoPoint> = used
        .iter()
        .map(|u| {
            let (x, y) = plane.project(u.1, u.2);
            GeoPoint::new(x, y, u.3)
        })
        .collect();
    let mut notes = Vec::new();
    if lon_lat {
        notes.push(format!(
            "longitude and latitude are projected on a plane through the samples' centre \
             ({:.5}°, {:.5}°; equirectangular, distances in m); the grid is given back in degrees",
            plane.lon0, plane.lat0
        ));
    }
    let fitted = EmpiricalVariogram::compute(&points, Binning::default(), Estimator::Matheron)
        .and_then(|e| fit(&e, req.model, false).map(|f| (e, f)));
    let (variogram, variogram_error) = match (fitted, req.method) {
        (Ok((empirical, fitted)), _) => (
            Some(SurfaceVariogram {
                total_sill: fitted.total_sill(),
                empirical,
                fitted,
            }),
            None,
        ),
        (Err(e), SurfaceMethod::Kriging) => return Err(geostat(e)),
        (Err(e), SurfaceMethod::Idw) => (None, Some(e.to_string())),
    };
    let method = match (req.method, &variogram) {
        (SurfaceMethod::Kriging, Some(v)) => Method::OrdinaryKriging {
            variogram: v.fitted,
            neighbourhood: Neighbourhood::default(),
        },
        _ => Method::Idw(Idw::default()),
    };
    let cv = cross_validate(&points, &method).map_err(geostat)?;
    let each = cv
        .samples
        .iter()
        .map(|l| CvSample {
            sample: used[l.index].0.id.clone(),
            observed: l.observed,
            estimate: l.prediction.as_ref().ok().map(|p| p.estimate),
            error: l.error(),
            why: l.prediction.as_ref().err().map(|e| e.to_string()),
        })
        .collect();
    let grid = Grid::covering(&points, req.grid.nx, req.grid.ny).map_err(geostat)?;
    let values = match &method {
        Method::OrdinaryKriging {
            variogram,
            neighbourhood,
        } => {
            let ok = OrdinaryKriging::new(&points, variogram, *neighbourhood).map_err(geostat)?;
            if !ok.duplicates_ignored().is_empty() {
                notes.push(format!(
                    "{} samples share a location with an earlier one: kriging takes the first \
                     at each location",
                    ok.duplicates_ignored().len()
                ));
            }
            predict_grid(&ok, &grid)
        }
        Method::Idw(p) => predict_grid(
            &InverseDistanceWeighting::new(&points, *p).map_err(geostat)?,
            &grid,
        ),
    };
    let hull = ConvexHull::of(&points).map_err(geostat)?;
    let used_samples: Vec<&Sample> = used.iter().map(|u| u.0).collect();
    let threshold = match req.threshold {
        Some(t) => SurfaceThreshold {
            mg_kg: t,
            from: "given".into(),
        },
        None => default_threshold(&used_samples, item)?,
    };
    let above = share_above(&values, threshold.mg_kg, &hull);
    let (x0, y0) = plane.unproject(grid.x0, grid.y0);
    let samples = used
        .iter()
        .map(|u| {
            let r = lantian_soil::screen(u.0, &data.options);
            let (standard, (level, best, worst, _)) = match &r.outcome {
                Outcome::NotScreened { .. } => (None, (None, None, None, None)),
                Outcome::Gb15618(a) => (Some(gb15618::STANDARD), verdict_parts(&a.category)),
                Outcome::Gb36600(c) => (Some(gb36600::STANDARD), verdict_parts(&c.risk)),
            };
            SurfaceSample {
                sample: u.0.id.clone(),
                x: u.1,
                y: u.2,
                value: u.3,
                land_class: u.0.land_class,
                standard,
                level,
                best,
                worst,
            }
        })
        .collect();
    Ok(SoilSurface {
        item: item.to_string(),
        unit: "mg/kg",
        method: req.method,
        distance_unit: distance_unit(&crs, lon_lat),
        crs: crs.clone(),
        samples_used: used.len(),
        left_out,
        variogram,
        variogram_error,
        cross_validation: SurfaceCv {
            method: req.method,
            samples: cv.samples.len(),
            predicted: cv.predicted,
            rmse: cv.rmse,
            mae: cv.mae,
            mean_error: cv.mean_error,
            each,
        },
        grid: SurfaceGrid {
            crs,
            x0,
            y0,
            dx: grid.dx / plane.kx,
            dy: grid.dy / plane.ky,
            nx: grid.nx,
            ny: grid.ny,
            estimated: values.estimated(),
            values: values.estimates().collect(),
            variances: values
                .nodes
                .iter()
                .map(|n| n.as_ref().ok().and_then(|p| p.variance))
                .collect(),
        },
        threshold,
        hull_area: hull.area(),
        above,
        samples,
        notes,
    })
}

/// The grid as CSV: `x,y,estimate,variance`, row by row (x fastest), empty where none.
pub fn grid_csv(s: &SoilSurface) -> String {
    let g = &s.grid;
    let mut out = String::from("x,y,estimate,variance\n");
    for j in 0..g.ny {
        for i in 0..g.nx {
            let k = j * g.nx + i;
            out.push_str(&format!(
                "{},{},{},{}\n",
                g.x0 + i as f64 * g.dx,
                g.y0 + j as f64 * g.dy,
                opt_num(g.values[k]),
                opt_num(g.variances[k])
            ));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The risk-control and restoration list.

/// What to record: a list-events file, or one event.
#[derive(Debug, Clone, PartialEq)]
pub enum ListInput {
    /// `plot,date,status,by,reason,evidence`; several documents of evidence are separated by
    /// `;` (or `；`).
    File(PathBuf),
    One(Event),
}

/// What a record did.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListRecorded {
    pub file: Option<String>,
    /// Events read (rows of the file, or one).
    pub events: usize,
    /// Events identical to one already in the history (a batch recorded before, run again):
    /// not recorded twice.
    pub already_recorded: usize,
    /// Events recorded now, in one commit.
    pub recorded: usize,
    /// Plots the recorded events are of.
    pub plots: usize,
    /// Events in the stored history before and after.
    pub history_before: usize,
    pub history_after: usize,
}

type EventKey<'a> = (
    &'a str,
    chrono::NaiveDate,
    Status,
    &'a str,
    &'a str,
    &'a [String],
);

/// An event's every field, to tell an event already recorded.
fn key(e: &Event) -> EventKey<'_> {
    (&e.plot, e.date, e.status_to, &e.by, &e.reason, &e.evidence)
}

/// The evidence cell: documents separated by `;` or `；`.
fn evidence_of(cell: &str) -> Vec<String> {
    cell.split([';', '；'])
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty())
        .collect()
}

/// The events of a list-events file, each with its line. Every row that cannot be an event is
/// named (file, line, field), and one such row refuses the file: a batch is recorded whole.
fn read_events(path: &Path) -> Result<Vec<(Event, u64)>> {
    let name = path.display().to_string();
    let text = lantian_ingest::water::read_text(path).map_err(AppError::BadInput)?;
    let rows = reader::plots::read_list_events(&name, &text)
        .map_err(|p| AppError::BadInput(p.to_string()))?;
    let mut errors: Vec<String> = rows.problems.iter().map(|p| p.to_string()).collect();
    let mut out = Vec::new();
    for r in rows.items {
        let at = |field: &str, value: &str, why: &str| {
            Problem::new(&r.file, r.line, field, value, why).to_string()
        };
        let Some(status) = Status::parse(&r.status) else {
            let codes: Vec<&str> = Status::ALL.iter().map(|s| s.code()).collect();
            errors.push(at(
                "status",
                &r.status,
                &format!("not a status of the list ({})", codes.join(", ")),
            ));
            continue;
        };
        let mut missing = false;
        for (field, v) in [
            ("by", &r.by),
            ("reason", &r.reason),
            ("evidence", &r.evidence),
        ] {
            if v.as_deref().is_none_or(|t| t.trim().is_empty()) {
                errors.push(at(
                    field,
                    "",
                    "every change of the list names who made it, why, and the evidence",
                ));
                missing = true;
            }
        }
        if missing {
            continue;
        }
        let evidence = evidence_of(r.evidence.as_deref().unwrap_or(""));
        out.push((
            Event {
                plot: r.plot.clone(),
                date: r.date,
                status_to: status,
                by: r.by.clone().unwrap_or_default(),
                reason: r.reason.clone().unwrap_or_default(),
                evidence,
            },
            r.line,
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::BadInput(format!(
            "{} rows of the list-events file cannot be events, so none is recorded:\n{}",
            errors.len(),
            errors.join("\n")
        )));
    }
    if out.is_empty() {
        return Err(AppError::BadInput(format!("{name}: no events")));
    }
    Ok(out)
}

/// Record events in the store's history: checked against the whole history first (a refused
/// event is named by its file and line and refuses the batch; nothing is written), then
/// appended in one commit, so a batch is either wholly in the history or not at all. Events
/// identical to ones already recorded are not recorded twice, so running a batch again after
/// it was committed (or after a kill left it unknown whether it was) completes it.
pub async fn list_record(store: &Store, input: &ListInput) -> Result<ListRecorded> {
    let (file, events): (Option<String>, Vec<(Event, Option<u64>)>) = match input {
        ListInput::File(p) => (
            Some(p.display().to_string()),
            read_events(p)?
                .into_iter()
                .map(|(e, l)| (e, Some(l)))
                .collect(),
        ),
        ListInput::One(e) => (None, vec![(e.clone(), None)]),
    };
    let stored: Vec<Event> = store
        .soil_list_events()
        .await?
        .into_iter()
        .map(|r| r.event)
        .collect();
    // Each stored event may stand for one identical event of the batch.
    let mut unmatched: HashMap<EventKey<'_>, usize> = HashMap::new();
    for e in &stored {
        *unmatched.entry(key(e)).or_default() += 1;
    }
    let mut new: Vec<(Event, Option<u64>)> = Vec::new();
    let mut already = 0;
    for (e, line) in &events {
        match unmatched.get_mut(&key(e)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                already += 1;
            }
            _ => new.push((e.clone(), *line)),
        }
    }
    let plots: BTreeSet<&str> = new.iter().map(|(e, _)| e.plot.as_str()).collect();
    let plots = plots.len();
    let mut history = stored.clone();
    history.extend(new.iter().map(|(e, _)| e.clone()));
    if let Err(e) = list::check(&history) {
        // The first event the rules refuse: the shortest prefix of the batch that fails.
        let (mut lo, mut hi) = (0, new.len());
        while lo + 1 < hi {
            let mid = (lo + hi) / 2;
            if list::check(&history[..stored.len() + mid]).is_ok() {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let at = match (&file, new.get(hi.saturating_sub(1)).and_then(|(_, l)| *l)) {
            (Some(f), Some(l)) => format!("{f}:{l}: "),
            _ => String::new(),
        };
        let e = list::check(&history[..stored.len() + hi])
            .err()
            .unwrap_or(e);
        return Err(AppError::BadInput(format!(
            "{at}{e}; nothing is recorded (the history holds {} events)",
            stored.len()
        )));
    }
    let batch: Vec<Event> = new.into_iter().map(|(e, _)| e).collect();
    let recorded = store
        .record_soil_list_events(&batch)
        .await
        .map_err(AppError::from_write)?;
    Ok(ListRecorded {
        file,
        events: events.len(),
        already_recorded: already,
        recorded,
        plots,
        history_before: stored.len(),
        history_after: stored.len() + recorded,
    })
}

/// The list on a date.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListAsOf {
    pub date: chrono::NaiveDate,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub entries: Vec<Entry>,
    /// Plots per status, in the list's order.
    pub by_status: Vec<StatusCount>,
    /// Events in the history (on any date).
    pub history: usize,
}

/// Plots in a status.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusCount {
    pub status: String,
    pub name_en: &'static str,
    pub name_zh: &'static str,
    pub plots: usize,
}

async fn history_of(store: &Store) -> Result<Vec<lantian_store::RecordedEvent>> {
    Ok(store.soil_list_events().await?)
}

/// The list at the end of `date`: the plots on it and their status.
pub async fn list_as_of(store: &Store, date: chrono::NaiveDate) -> Result<ListAsOf> {
    let events: Vec<Event> = history_of(store)
        .await?
        .into_iter()
        .map(|r| r.event)
        .collect();
    let entries = list::as_of(&events, date).map_err(|e| AppError::Store(e.to_string()))?;
    let by_status = Status::ALL
        .iter()
        .filter(|s| s.is_on_list())
        .map(|&s| StatusCount {
            status: s.code().into(),
            name_en: s.name_en(),
            name_zh: s.name_zh(),
            plots: entries.iter().filter(|e| e.status == s).count(),
        })
        .collect();
    Ok(ListAsOf {
        date,
        entries,
        by_status,
        history: events.len(),
    })
}

/// What changed after `from` up to `to`.
pub async fn list_changes(
    store: &Store,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> Result<Changes> {
    if to < from {
        return Err(AppError::bad(
            "to",
            to,
            format!("the period ends before it begins ({from})"),
        ));
    }
    let events: Vec<Event> = history_of(store)
        .await?
        .into_iter()
        .map(|r| r.event)
        .collect();
    list::changes(&events, from, to).map_err(|e| AppError::Store(e.to_string()))
}

/// One event of a plot's history, with the status it left.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryRow {
    /// Its place in the stored history, from 0.
    pub seq: i64,
    pub plot: String,
    pub date: chrono::NaiveDate,
    pub from: Option<String>,
    pub to: String,
    pub by: String,
    pub reason: String,
    pub evidence: Vec<String>,
    pub recorded_at: chrono::DateTime<chrono::Utc>,
}

/// A plot's history (or every plot's).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListHistory {
    pub plot: Option<String>,
    pub events: Vec<HistoryRow>,
    /// The plot's status after its last event (one plot asked for).
    pub status: Option<String>,
}

/// The events of one plot, or of every plot, in the order recorded.
pub async fn list_history(store: &Store, plot: Option<&str>) -> Result<ListHistory> {
    let mut now: HashMap<String, Status> = HashMap::new();
    let mut events = Vec::new();
    for r in history_of(store).await? {
        let e = r.event;
        let from = now.insert(e.plot.clone(), e.status_to);
        if plot.is_some_and(|p| p != e.plot) {
            continue;
        }
        events.push(HistoryRow {
            seq: r.seq,
            plot: e.plot,
            date: e.date,
            from: from.map(|s| s.code().to_string()),
            to: e.status_to.code().into(),
            by: e.by,
            reason: e.reason,
            evidence: e.evidence,
            recorded_at: r.recorded_at,
        });
    }
    if let Some(p) = plot
        && events.is_empty()
    {
        return Err(AppError::bad(
            "plot",
            p,
            "no event of the list names this plot",
        ));
    }
    Ok(ListHistory {
        plot: plot.map(String::from),
        status: plot.and_then(|p| now.get(p)).map(|s| s.code().to_string()),
        events,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use lantian_soil::Content;

    /// Records are found by the line the readers give in their problems: an editor's line,
    /// with a byte-order mark, CRLF line ends and a blank line.
    #[test]
    fn cells_are_found_by_the_line_an_editor_shows() {
        let text = "\u{feff}point,date,depth\r\n\r\nP1,2024-01-01,0-20\r\nP2,2024-01-02,0-20\r\n";
        let cells = cells_by_line(text, 1);
        let mut found: Vec<(u64, String)> = cells
            .into_iter()
            .map(|(line, c)| (line, c.concat()))
            .collect();
        found.sort();
        assert_eq!(found, vec![(3, "P1".to_string()), (4, "P2".to_string())]);
    }

    fn sample(id: &str, land: Option<LandClass>, ph: Option<f64>, item: &str, v: Value) -> Sample {
        Sample {
            id: id.into(),
            x: Some(116.0 + id.len() as f64 * 0.01),
            y: Some(40.0),
            crs: "EPSG:4326".into(),
            depth: None,
            land_use: None,
            land_class: land,
            soil_type: None,
            topography: None,
            district: None,
            plot: None,
            date: None,
            ph,
            contents: vec![Content {
                item: item.into(),
                value: v,
                source_unit: None,
            }],
            file: "t.csv".into(),
            line: 2,
        }
    }

    #[test]
    fn request_words_read_and_write_back() {
        for g in GroupBy::ALL {
            assert_eq!(g.name().parse::<GroupBy>().unwrap(), g);
        }
        assert!(matches!(
            "zones".parse::<GroupBy>(),
            Err(AppError::BadParameter {
                parameter: "group_by",
                ..
            })
        ));
        let codes: Vec<&str> = LandClass::ALL.iter().map(|c| c.code()).collect();
        assert_eq!(LAND_CLASS_NAMES, codes);
        assert_eq!(
            "120x80".parse::<GridSize>().unwrap(),
            GridSize { nx: 120, ny: 80 }
        );
        assert_eq!(
            "50".parse::<GridSize>().unwrap(),
            GridSize { nx: 50, ny: 50 }
        );
        for bad in ["1x10", "ax3", "3000x3000", ""] {
            assert!(bad.parse::<GridSize>().is_err(), "{bad}");
        }
        assert_eq!("idw".parse::<SurfaceMethod>().unwrap(), SurfaceMethod::Idw);
        assert_eq!(
            variogram_model("gaussian").unwrap(),
            VariogramModel::Gaussian
        );
        assert_eq!(
            evidence_of("调查报告; 风险评估报告；评审意见;"),
            ["调查报告", "风险评估报告", "评审意见"]
        );
    }

    #[test]
    fn the_local_plane_goes_there_and_back() {
        let p = Plane::about(&[(116.0, 40.0), (116.2, 40.2)]);
        let (x, y) = p.project(116.2, 40.2);
        // 0.1° of latitude is 11.12 km; of longitude at 40.1° N, cos(40.1°) of that.
        assert!((y - 11_119.5).abs() < 1.0, "{y}");
        assert!(
            (x - 11_119.5 * 40.1f64.to_radians().cos()).abs() < 1.0,
            "{x}"
        );
        let (lon, lat) = p.unproject(x, y);
        assert!((lon - 116.2).abs() < 1e-12 && (lat - 40.2).abs() < 1e-12);
    }

    #[test]
    fn a_threshold_defaults_to_the_one_screening_value_there_is() {
        let m = |v| Value::Measured { mg_kg: v };
        let paddy6 = sample("a", Some(LandClass::Paddy), Some(6.0), "Cd", m(0.2));
        let paddy62 = sample("b", Some(LandClass::Paddy), Some(6.2), "Cd", m(0.3));
        let t = default_threshold(&[&paddy6, &paddy62], "Cd").unwrap();
        assert_eq!(t.mg_kg, 0.4);
        assert!(t.from.contains("GB 15618—2018 Table 1"), "{}", t.from);
        // Another band, no pH, another class: no single value.
        let paddy7 = sample("c", Some(LandClass::Paddy), Some(7.0), "Cd", m(0.3));
        let e = default_threshold(&[&paddy6, &paddy7], "Cd").unwrap_err();
        assert!(e.to_string().contains("several bands"), "{e}");
        let none = sample("d", Some(LandClass::Paddy), None, "Cd", m(0.3));
        assert!(default_threshold(&[&paddy6, &none], "Cd").is_err());
        let upland = sample("e", Some(LandClass::OtherFarmland), Some(6.0), "Cd", m(0.3));
        let e = default_threshold(&[&paddy6, &upland], "Cd").unwrap_err();
        assert!(
            e.to_string()
                .contains("several land classes (paddy, other_farmland)"),
            "{e}"
        );
        // Construction land: the column's value, no pH needed; none for zinc.
        let c = sample(
            "f",
            Some(LandClass::ConstructionFirst),
            None,
            "Pb",
            m(300.0),
        );
        assert_eq!(default_threshold(&[&c], "Pb").unwrap().mg_kg, 400.0);
        assert!(default_threshold(&[&c], "Zn").is_err());
    }

    #[test]
    fn a_surface_leaves_out_what_is_not_a_number_and_says_why() {
        let m = |v| Value::Measured { mg_kg: v };
        let mut samples: Vec<Sample> = (0..12)
            .map(|k| {
                let mut s = sample(
                    &format!("s{k}"),
                    Some(LandClass::Paddy),
                    Some(6.0),
                    "Cd",
                    m(0.1 + 0.05 * f64::from(k)),
                );
                s.x = Some(116.0 + 0.01 * f64::from(k % 4));
                s.y = Some(40.0 + 0.01 * f64::from(k / 4));
                s
            })
            .collect();
        samples.push(sample(
            "below",
            Some(LandClass::Paddy),
            Some(6.0),
            "Cd",
            Value::BelowDetection { limit_mg_kg: 0.05 },
        ));
        let mut far = sample("nowhere", Some(LandClass::Paddy), Some(6.0), "Cd", m(0.2));
        far.x = None;
        samples.push(far);
        let data = SoilData {
            samples,
            ..SoilData::default()
        };
        let mut req = SurfaceRequest::new("Cd");
        req.method = SurfaceMethod::Idw;
        req.grid = GridSize { nx: 5, ny: 5 };
        let r = surface(&data, &req).unwrap();
        assert_eq!(r.samples_used, 12);
        let why: Vec<&str> = r.left_out.iter().map(|l| l.reason.as_str()).collect();
        assert_eq!(
            why,
            [
                "below a detection limit of 0.05 mg/kg: not a number to interpolate",
                "no coordinates"
            ]
        );
        // One class, one band: the paddy screening value at 5.5 < pH ≤ 6.5.
        assert_eq!(r.threshold.mg_kg, 0.4);
        assert_eq!(r.grid.values.len(), 25);
        assert_eq!(r.distance_unit, "m");
        // The grid is given back in degrees, over the samples' extent.
        assert!((r.grid.x0 - 116.0).abs() < 1e-9 && (r.grid.dx - 0.0075).abs() < 1e-9);
        assert!(grid_csv(&r).lines().count() == 26);
        req.item = "Pb".into();
        assert!(matches!(
            surface(&data, &req),
            Err(AppError::BadParameter {
                parameter: "item",
                ..
            })
        ));
    }
}
