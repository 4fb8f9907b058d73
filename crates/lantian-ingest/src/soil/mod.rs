//! Soil readers: the survey sets of `../shared/data` and a generic long CSV, each turned into
//! [`lantian_soil::Sample`]s for the screening engine.
//!
//! | layout | module | recognised by |
//! |---|---|---|
//! | CUMCM 2011 A urban topsoil | [`cumcm`] | `x,y,z,area,As,Cd,Cr,Cu,Hg,Ni,Pb,Zn` |
//! | Hunan cropland cadmium | [`hunan`] | `X,Y,land_use,pH,SoilCdtot,…` after a title and a unit line |
//! | Swiss Jura (gstat `jura.pred`, `jura.val`) | [`jura`] | `Xloc,Yloc,long,lat,Landuse,Rock,…` |
//! | Meuse floodplain (R `sp::meuse`) | [`meuse`] | `"x","y","cadmium","copper",…` |
//! | generic long CSV (+ `points.csv`) | [`long`] | `point,date,depth,item,value,unit,flag[,dl]` |
//! | plots and list events | [`plots`] | `plot,name,area_m2,…`, `plot,date,status,…` |
//!
//! The house rules of the water readers hold here too. Every cell or row that is not taken is a
//! [`Problem`] naming file, line and field, and a bad cell never stops the rest of its row or
//! file. `NA` and empty cells are "not measured": no content, counted in
//! [`SoilFile::not_measured`], not a problem. A value below detection (`<0.01`, `0.01L`, or
//! `ND` with a detection limit) stays [`Value::BelowDetection`], never a number. Units become
//! mg/kg only by powers of ten, applied to the decimal text itself ([`decimal`]), and a unit
//! other than mg/kg is named in [`Content::source_unit`]. A column a set has but a `Sample` has
//! no place for (the elevation of CUMCM, the rice cadmium of Hunan) is listed in
//! [`SoilFile::unused_columns`] with the reason, so nothing read is dropped without a word.
//!
//! Each wide set's land-use mapping to a [`LandClass`] is a table in its module, with the
//! reasoning beside it; a code outside the table is kept as written, unclassed, and reported.
//!
//! ```
//! use lantian_ingest::soil::{read_str, SoilFormat, detect};
//! use lantian_soil::Value;
//! let text = "x,y,z,area,As,Cd,Cr,Cu,Hg,Ni,Pb,Zn\n\
//!             74,781,5,4,7.84,153.8,44.31,20.56,266,18.2,35.38,72.35\n";
//! assert_eq!(detect(text), Some(SoilFormat::Cumcm));
//! let f = read_str("cumcm.csv", text).unwrap();
//! let cd = f.samples[0].content("Cd").unwrap();
//! assert_eq!(cd.value, Value::Measured { mg_kg: 0.1538 });
//! assert_eq!(cd.source_unit.as_deref(), Some("ng/g"));
//! assert!(f.problems.is_empty());
//! ```

pub mod classes;
pub mod cumcm;
pub mod hunan;
pub mod jura;
pub mod long;
pub mod meuse;
pub mod plots;
mod wide;

pub use crate::eu_ets::Problem;
use lantian_soil::{LandClass, Sample, Value};
use std::path::Path;

#[cfg(doc)]
use lantian_soil::Content;

/// What a soil file gave.
#[derive(Debug, Clone, Default)]
pub struct SoilFile {
    pub samples: Vec<Sample>,
    pub problems: Vec<Problem>,
    /// Lines of data read (not counting title, unit and header lines), so a caller can say
    /// "n of m rows".
    pub rows: u64,
    /// Columns the file has that no `Sample` field holds, each with why it is not used.
    pub unused_columns: Vec<UnusedColumn>,
    /// Cells read as "not measured" (`NA` or empty) in the columns that are used.
    pub not_measured: u64,
}

/// A column read past: what it holds and why a sample does not carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnusedColumn {
    pub name: String,
    /// The unit the file (or its documentation) gives, when it has one.
    pub unit: Option<String>,
    pub why: String,
}

/// The soil layouts, told apart by their header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SoilFormat {
    Cumcm,
    Hunan,
    Jura,
    Meuse,
    Long,
    /// `points.csv`, the companion of a long file ([`long::read_points`]).
    Points,
    /// `plots.csv` ([`plots::read_plots`]).
    Plots,
    /// `list_events.csv` ([`plots::read_list_events`]).
    ListEvents,
}

impl SoilFormat {
    pub fn name(self) -> &'static str {
        match self {
            SoilFormat::Cumcm => "CUMCM 2011 A urban topsoil",
            SoilFormat::Hunan => "Hunan cropland cadmium",
            SoilFormat::Jura => "Swiss Jura topsoil",
            SoilFormat::Meuse => "Meuse floodplain",
            SoilFormat::Long => "long soil samples",
            SoilFormat::Points => "sample points",
            SoilFormat::Plots => "plots",
            SoilFormat::ListEvents => "list events",
        }
    }

    /// Whether the layout holds samples (the others describe points, plots or the list).
    pub fn has_samples(self) -> bool {
        !matches!(
            self,
            SoilFormat::Points | SoilFormat::Plots | SoilFormat::ListEvents
        )
    }
}

/// The cells of a header line, unquoted and trimmed (enough to recognise a layout; the readers
/// parse the header properly).
fn header_cells(line: &str) -> Vec<String> {
    line.trim_start_matches('\u{feff}')
        .split(',')
        .map(|c| c.trim().trim_matches('"').trim().to_string())
        .collect()
}

/// Whether `cells` begin with `cols`.
pub(crate) fn starts_with(cells: &[String], cols: &[&str]) -> bool {
    cells.len() >= cols.len() && cells.iter().zip(cols).all(|(a, b)| a == b)
}

/// The layout of a file from its header (the Hunan file's header is its third line).
pub fn detect(text: &str) -> Option<SoilFormat> {
    let mut lines = text.lines();
    let first = header_cells(lines.next().unwrap_or(""));
    let starts = |cols: &[&str]| first.len() >= cols.len() && first[..cols.len()] == *cols;
    let lower: Vec<String> = first.iter().map(|c| c.to_ascii_lowercase()).collect();
    let lower_starts = |cols: &[&str]| lower.len() >= cols.len() && lower[..cols.len()] == *cols;
    if first == cumcm::COLUMNS {
        Some(SoilFormat::Cumcm)
    } else if starts(&jura::COLUMNS[..6]) {
        Some(SoilFormat::Jura)
    } else if starts(&meuse::COLUMNS[..4]) {
        Some(SoilFormat::Meuse)
    } else if lower_starts(&long::COLUMNS[..6]) {
        Some(SoilFormat::Long)
    } else if lower_starts(&long::POINT_COLUMNS[..3]) {
        Some(SoilFormat::Points)
    } else if lower_starts(&plots::PLOT_COLUMNS[..2]) {
        Some(SoilFormat::Plots)
    } else if lower_starts(&plots::EVENT_COLUMNS[..3]) {
        Some(SoilFormat::ListEvents)
    } else if text
        .lines()
        .take(hunan::HEADER_WITHIN)
        .any(|l| starts_with(&header_cells(l), &hunan::COLUMNS[..5]))
    {
        Some(SoilFormat::Hunan)
    } else {
        None
    }
}

/// Why a whole file gives no samples.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SoilError {
    /// Not found, not readable, not gzip or not UTF-8 (the message names the file).
    #[error("{0}")]
    Unreadable(String),
    #[error(
        "{file}: not a soil layout known here (first line \"{first_line}\"); the layouts are \
         CUMCM 2011 A, Hunan cropland Cd, Swiss Jura, Meuse and the long CSV \
         point,date,depth,item,value,unit,flag[,dl]"
    )]
    UnknownLayout { file: String, first_line: String },
    #[error(
        "{file}: a {} file, not samples (points go beside a long file as points.csv; plots \
         and list events are read with soil::plots)",
        format.name()
    )]
    NotSamples { file: String, format: SoilFormat },
    /// The layout is known but the file cannot be taken as it (its header or unit line).
    #[error("{0}")]
    Refused(Problem),
}

/// Read the samples of a file's text, its layout recognised from the header. A long file is
/// read without points (see [`read_path`] for the companion file).
pub fn read_str(file: &str, text: &str) -> Result<SoilFile, SoilError> {
    let text = text.trim_start_matches('\u{feff}');
    let read = match detect(text) {
        Some(SoilFormat::Cumcm) => cumcm::read_cumcm(file, text),
        Some(SoilFormat::Hunan) => hunan::read_hunan(file, text),
        Some(SoilFormat::Jura) => jura::read_jura(file, text),
        Some(SoilFormat::Meuse) => meuse::read_meuse(file, text),
        Some(SoilFormat::Long) => long::read_long(file, text, None),
        Some(format) => {
            return Err(SoilError::NotSamples {
                file: file.into(),
                format,
            });
        }
        None => {
            return Err(SoilError::UnknownLayout {
                file: file.into(),
                first_line: lantian_model::text::shorten(
                    text.lines().next().unwrap_or(""),
                    lantian_model::text::EXCERPT_CHARS,
                )
                .into_owned(),
            });
        }
    };
    read.map_err(SoilError::Refused)
}

/// Read the samples of a file (gunzipped when its name ends in `.gz`). A long file takes the
/// locations and land classes of its points from `points.csv` in the same folder when there is
/// one; that file's problems come with the samples'.
pub fn read_path(path: &Path) -> Result<SoilFile, SoilError> {
    let text = crate::water::read_text(path).map_err(SoilError::Unreadable)?;
    let file = path.display().to_string();
    let text = text.trim_start_matches('\u{feff}');
    if detect(text) != Some(SoilFormat::Long) {
        return read_str(&file, text);
    }
    let companion = path.with_file_name(long::POINTS_FILE);
    if !companion.is_file() || companion == path {
        return long::read_long(&file, text, None).map_err(SoilError::Refused);
    }
    let points_text = crate::water::read_text(&companion).map_err(SoilError::Unreadable)?;
    let points = long::read_points(&companion.display().to_string(), &points_text)
        .map_err(SoilError::Refused)?;
    let mut out = long::read_long(&file, text, Some(&points)).map_err(SoilError::Refused)?;
    let mut problems = points.problems;
    problems.append(&mut out.problems);
    out.problems = problems;
    Ok(out)
}

/// Rows of a table that is not samples (points, plots, list events), with the problems of the
/// rows not taken.
#[derive(Debug, Clone)]
pub struct Records<T> {
    pub items: Vec<T>,
    pub problems: Vec<Problem>,
    /// Lines of data read.
    pub rows: u64,
}

impl<T> Default for Records<T> {
    fn default() -> Self {
        Records {
            items: Vec::new(),
            problems: Vec::new(),
            rows: 0,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Units and cells.

/// The units a content may be given in, with the power of ten that makes it mg/kg. Only exact
/// factors: a mass fraction is never guessed from another dimension (a pore-water mg/L is not a
/// soil content).
const UNITS: &[(&str, i32)] = &[
    ("mg/kg", 0),
    ("ppm", 0),
    ("ug/g", 0),
    ("ug/kg", -3),
    ("ng/g", -3),
    ("ppb", -3),
    ("g/kg", 3),
    ("mg/g", 3),
];

/// The power of ten that turns a content in `unit` into mg/kg (`ng/g` → −3), or why the unit
/// cannot be taken.
pub fn unit_exponent(unit: &str) -> Result<i32, String> {
    let u = unit.trim();
    let key: String = u
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            'µ' | 'μ' => 'u',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    UNITS
        .iter()
        .find(|(name, _)| *name == key)
        .map(|&(_, e)| e)
        .ok_or_else(|| {
            format!(
                "unit {u:?} is not a soil content unit (mg/kg, µg/kg, ng/g, µg/g, g/kg, ppm are; \
                 only exact factors convert)"
            )
        })
}

/// Whether `unit` is spelt as mg/kg itself (so no source unit is reported).
pub(crate) fn is_mg_kg(unit: &str) -> bool {
    unit.trim().eq_ignore_ascii_case("mg/kg")
}

/// A decimal cell times 10^`exp`, or `None` when the cell is not a plain decimal number (an
/// optional sign, digits with at most one point, an optional exponent). The power of ten is
/// added to the cell's own exponent and the text parsed once, so the result is the correctly
/// rounded double of the exact decimal: 153.8 ng/g gives the same 0.1538 as the text "0.1538"
/// (dividing the parsed 153.8 by 1000 rounds twice, and multiplying by 0.001 is often an ulp
/// off).
pub fn decimal(cell: &str, exp: i32) -> Option<f64> {
    let t = cell.trim();
    let (mantissa, own) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], t[i + 1..].parse::<i32>().ok()?),
        None => (t, 0),
    };
    let digits = mantissa.strip_prefix(['+', '-']).unwrap_or(mantissa);
    if !digits.bytes().any(|b| b.is_ascii_digit())
        || !digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        || digits.bytes().filter(|&b| b == b'.').count() > 1
    {
        return None;
    }
    let v: f64 = if exp == 0 {
        t.parse().ok()?
    } else {
        format!("{mantissa}e{}", own.checked_add(exp)?)
            .parse()
            .ok()?
    };
    v.is_finite().then_some(v)
}

/// Whether a cell means "not measured": empty or `NA` (R's missing value).
pub fn is_not_measured(cell: &str) -> bool {
    let t = cell.trim();
    t.is_empty() || t.eq_ignore_ascii_case("na")
}

/// A content cell, read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    /// `NA` or empty.
    NotMeasured,
    Value(Value),
    /// `ND`, `未检出`: not detected, the limit not in the cell.
    NotDetected,
}

/// A content cell given in a unit 10^`exp` mg/kg: a number, `<0.01` or `0.01L` (below that
/// limit, the Chinese laboratories' "L" suffix), `ND`/`未检出`, or not measured. A negative or
/// unreadable cell is an error saying why.
pub fn content_cell(cell: &str, exp: i32) -> Result<Cell, String> {
    let t = cell.trim();
    if is_not_measured(t) {
        return Ok(Cell::NotMeasured);
    }
    if t.eq_ignore_ascii_case("nd") || t.eq_ignore_ascii_case("n.d.") || t == "未检出" {
        return Ok(Cell::NotDetected);
    }
    let limit = t.strip_prefix('<').or_else(|| t.strip_suffix(['L', 'l']));
    if let Some(l) = limit {
        return match decimal(l, exp) {
            Some(v) if v > 0.0 => Ok(Cell::Value(Value::BelowDetection { limit_mg_kg: v })),
            _ => Err("a detection limit is a positive number (<0.01, 0.01L)".into()),
        };
    }
    match decimal(t, exp) {
        Some(v) if v < 0.0 => Err("a content cannot be negative; not taken".into()),
        Some(v) => Ok(Cell::Value(Value::Measured { mg_kg: v })),
        None => Err("not a number, a detection limit (<0.01, 0.01L), ND or NA".into()),
    }
}

/// A pH cell: a number from 0 to 14.
pub fn ph_cell(cell: &str) -> Result<f64, String> {
    match decimal(cell, 0) {
        Some(v) if (0.0..=14.0).contains(&v) => Ok(v),
        Some(_) => Err("a pH lies between 0 and 14; not taken".into()),
        None => Err("not a pH (a number from 0 to 14)".into()),
    }
}

/// A land class code (`paddy`, `other_farmland`, `construction_first` …; see
/// [`LandClass::code`]).
pub(crate) fn land_class_cell(cell: &str) -> Result<LandClass, String> {
    cell.parse::<LandClass>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_scale_exactly() {
        assert_eq!(decimal("153.8", -3), Some(0.1538));
        assert_eq!(decimal("153.8", -3), "0.1538".parse().ok());
        assert_eq!(decimal("2.386", 3), Some(2386.0));
        assert_eq!(decimal("5.00E-05", 0), Some(0.00005));
        assert_eq!(decimal("5.00E-05", 3), Some(0.05));
        assert_eq!(decimal("-1.5", 0), Some(-1.5));
        assert_eq!(decimal("+.5", 0), Some(0.5));
        for bad in [
            "", "NaN", "inf", "1.2.3", "1,5", "abc", "e5", "1e", "0x10", "1e99999",
        ] {
            assert_eq!(decimal(bad, -3), None, "{bad}");
        }
        // Dividing the parsed value rounds twice; the exponent route never does.
        let mut differ = 0;
        for n in 1..100_000u32 {
            let text = format!("{}.{}", n / 10, n % 10);
            let exact: f64 = format!("{n}e-4").parse().unwrap();
            assert_eq!(decimal(&text, -3), Some(exact), "{text}");
            if text.parse::<f64>().unwrap() * 0.001 != exact {
                differ += 1;
            }
        }
        assert!(differ > 0, "multiplying by 0.001 is off for some cells");
    }

    #[test]
    fn units_are_powers_of_ten() {
        assert_eq!(unit_exponent("mg/kg"), Ok(0));
        assert_eq!(unit_exponent(" µg/kg "), Ok(-3));
        assert_eq!(unit_exponent("μg/g"), Ok(0));
        assert_eq!(unit_exponent("ng/g"), Ok(-3));
        assert_eq!(unit_exponent("g/kg"), Ok(3));
        assert_eq!(unit_exponent("PPM"), Ok(0));
        let e = unit_exponent("mg/L").unwrap_err();
        assert!(e.contains("\"mg/L\""), "{e}");
        assert!(unit_exponent("%").is_err());
    }

    #[test]
    fn cells() {
        let m = |v| Ok(Cell::Value(Value::Measured { mg_kg: v }));
        let b = |v| Ok(Cell::Value(Value::BelowDetection { limit_mg_kg: v }));
        assert_eq!(content_cell("0.25", 0), m(0.25));
        assert_eq!(content_cell("0", 0), m(0.0));
        assert_eq!(content_cell("<0.01", 0), b(0.01));
        assert_eq!(content_cell("< 10", -3), b(0.01));
        assert_eq!(content_cell("0.01L", 0), b(0.01));
        assert_eq!(content_cell("ND", 0), Ok(Cell::NotDetected));
        assert_eq!(content_cell("未检出", 0), Ok(Cell::NotDetected));
        assert_eq!(content_cell("NA", 0), Ok(Cell::NotMeasured));
        assert_eq!(content_cell(" ", 0), Ok(Cell::NotMeasured));
        assert!(content_cell("-0.2", 0).unwrap_err().contains("negative"));
        assert!(content_cell("<0", 0).is_err());
        assert!(content_cell("high", 0).is_err());
        assert_eq!(ph_cell("6.5"), Ok(6.5));
        assert!(ph_cell("15").is_err());
        assert!(ph_cell("acid").is_err());
    }

    #[test]
    fn layouts_are_told_apart_by_their_header() {
        assert_eq!(detect(&cumcm::COLUMNS.join(",")), Some(SoilFormat::Cumcm));
        assert_eq!(
            detect(
                "Data to derive cadmium regression model.,,,,,,,,,,\nUnit:,,,,mg/kg,mg/kg,mg/kg,mg/L,g/kg,%,\nX,Y,land_use,pH,SoilCdtot,RiceCd,StrawCd,SoilCdavi,OC,Clay,source\n"
            ),
            Some(SoilFormat::Hunan)
        );
        assert_eq!(detect(&jura::COLUMNS.join(",")), Some(SoilFormat::Jura));
        assert_eq!(
            detect("\"x\",\"y\",\"cadmium\",\"copper\",\"lead\",\"zinc\""),
            Some(SoilFormat::Meuse)
        );
        assert_eq!(detect(long::HEADER), Some(SoilFormat::Long));
        assert_eq!(
            detect(&format!("{},dl", long::HEADER)),
            Some(SoilFormat::Long)
        );
        assert_eq!(
            detect(&long::POINT_COLUMNS.join(",")),
            Some(SoilFormat::Points)
        );
        assert_eq!(
            detect(&plots::PLOT_COLUMNS.join(",")),
            Some(SoilFormat::Plots)
        );
        assert_eq!(
            detect(&plots::EVENT_COLUMNS.join(",")),
            Some(SoilFormat::ListEvents)
        );
        assert_eq!(detect("section,time,item,value,unit"), None);
        assert_eq!(detect(""), None);
    }

    #[test]
    fn unknown_and_companion_files_are_named() {
        let e = read_str("w.csv", "section,time,item,value,unit\n").unwrap_err();
        assert!(matches!(e, SoilError::UnknownLayout { .. }));
        let msg = e.to_string();
        assert!(msg.starts_with("w.csv: not a soil layout"), "{msg}");
        assert!(msg.contains("section,time,item,value,unit"), "{msg}");
        let e = read_str("points.csv", &long::POINT_COLUMNS.join(",")).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("points.csv: a sample points file"),
            "{e}"
        );
        let e = read_path(Path::new("/nonexistent/soil.csv")).unwrap_err();
        assert!(e.to_string().contains("/nonexistent/soil.csv"), "{e}");
    }
}
