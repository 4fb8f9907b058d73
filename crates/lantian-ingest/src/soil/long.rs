//! A long CSV of soil results, one value per row, and its companion points file.
//!
//! `point,date,depth,item,value,unit,flag[,dl]`
//!
//! - `point`: the sample point's id (its location and land are in `points.csv`);
//! - `date`: `YYYY-MM-DD`, or empty when the set gives none;
//! - `depth`: the layer as written (`0-20 cm`), or empty;
//! - `item`: an element symbol (`Cd`, `Hg`, `Cr` total chromium, `Cr6+`), `CN`, the CAS number
//!   of an organic item (`71-43-2` benzene; its check digit is verified), `pH`, or the Chinese
//!   name of an item of the standards (`镉`, `六价铬` …);
//! - `value`: a number, `<0.01` or `0.01L` (below that detection limit), `ND`/`未检出` (not
//!   detected: the limit is then taken from `dl`, and without one the row is not taken), or
//!   `NA`/empty (not measured: counted, no content);
//! - `unit`: mg/kg, µg/kg (÷1000), ng/g (÷1000), µg/g, ppm, g/kg (×1000) by exact powers of ten
//!   ([`unit_exponent`](super::unit_exponent)); pH takes no unit (empty, `pH`, `无量纲`);
//! - `flag`: `ok`, `doubtful` or `bad` (empty is ok). A doubtful value is taken and noted; a bad
//!   one is not taken, since a sample has no flag to carry it to the engine;
//! - `dl`: the detection limit, in the row's unit (optional column).
//!
//! Rows are grouped into samples by (point, date, depth), in the order the groups first appear;
//! a sample's `id` is its point and its line the first row's. An item given twice for one
//! sample is a problem, and the first value is kept.
//!
//! `points.csv`: `point,x,y,crs,land_use,land_class,soil_type,topography,district,plot`, where
//! `land_class` is a [`LandClass`] code (`paddy`, `paddy_upland_rotation`, `orchard`,
//! `other_farmland`, `construction_first`, `construction_second`) or empty.

use super::{Cell, Problem, Records, SoilFile, content_cell, decimal, is_not_measured};
use chrono::NaiveDate;
use lantian_model::Flag;
use lantian_soil::{Content, LandClass, Sample, Value};
use std::collections::HashMap;

/// The columns of a long file (a `dl` column may follow).
pub const COLUMNS: [&str; 7] = ["point", "date", "depth", "item", "value", "unit", "flag"];

/// The header of a long file.
pub const HEADER: &str = "point,date,depth,item,value,unit,flag";

/// The columns of a points file.
pub const POINT_COLUMNS: [&str; 10] = [
    "point",
    "x",
    "y",
    "crs",
    "land_use",
    "land_class",
    "soil_type",
    "topography",
    "district",
    "plot",
];

/// The name of the points file beside a long file.
pub const POINTS_FILE: &str = "points.csv";

/// The Chinese names of the items of GB 15618 and GB 36600 that a laboratory writes.
const CHINESE: [(&str, &str); 14] = [
    ("镉", "Cd"),
    ("汞", "Hg"),
    ("砷", "As"),
    ("铅", "Pb"),
    ("铬", "Cr"),
    ("六价铬", "Cr6+"),
    ("铜", "Cu"),
    ("镍", "Ni"),
    ("锌", "Zn"),
    ("锑", "Sb"),
    ("铍", "Be"),
    ("钴", "Co"),
    ("钒", "V"),
    ("氰化物", "CN"),
];

/// The element symbols (IUPAC), so a misspelt item (`CD`, `Cu2`) is caught, not screened as
/// another item or never.
const ELEMENTS: &str = "H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co \
    Ni Cu Zn Ga Ge As Se Br Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce \
    Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac \
    Th Pa U Np Pu Am Cm Bk Cf Es Fm Md No Lr Rf Db Sg Bh Hs Mt Ds Rg Cn Nh Fl Mc Lv Ts Og";

/// An item of a long file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Item {
    Ph,
    /// The key of [`Content::item`].
    Content(String),
}

/// Whether `s` is a CAS registry number with a correct check digit.
pub fn is_cas(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let [a, b, c] = parts[..] else { return false };
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|x| x.is_ascii_digit());
    let shaped = digits(a) && digits(b) && digits(c);
    if !shaped || !(2..=7).contains(&a.len()) || b.len() != 2 || c.len() != 1 {
        return false;
    }
    let body: Vec<u32> = format!("{a}{b}")
        .bytes()
        .map(|x| u32::from(x - b'0'))
        .collect();
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| (i as u32 + 1) * d)
        .sum();
    sum % 10 == u32::from(c.as_bytes()[0] - b'0')
}

/// The item of a cell, or why it is not one.
pub fn item(cell: &str) -> Result<Item, String> {
    let t = cell.trim();
    if t.eq_ignore_ascii_case("ph") {
        return Ok(Item::Ph);
    }
    if let Some((_, sym)) = CHINESE.iter().find(|(zh, _)| *zh == t) {
        return Ok(Item::Content((*sym).into()));
    }
    if matches!(t, "Cr6+" | "Cr(VI)" | "CrVI") {
        return Ok(Item::Content("Cr6+".into()));
    }
    if t == "CN" || ELEMENTS.split_whitespace().any(|e| e == t) || is_cas(t) {
        return Ok(Item::Content(t.into()));
    }
    Err("not an item: an element symbol (Cd, Cr6+), CN, a CAS number (71-43-2) or pH".into())
}

/// One row of `points.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub id: String,
    pub x: Option<f64>,
    pub y: Option<f64>,
    pub crs: String,
    pub land_use: Option<String>,
    pub land_class: Option<LandClass>,
    pub soil_type: Option<String>,
    pub topography: Option<String>,
    pub district: Option<String>,
    pub plot: Option<String>,
    pub file: String,
    pub line: u64,
}

/// The trimmed, lowercased header cells of a reader.
fn lower_header<R: std::io::Read>(
    file: &str,
    rdr: &mut csv::Reader<R>,
) -> Result<Vec<String>, Problem> {
    crate::water::header_of(file, rdr).map(|h| h.iter().map(|c| c.to_ascii_lowercase()).collect())
}

pub(crate) fn reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
}

/// The lines of the records of [`reader`]`(text)`, as an editor numbers them.
pub(crate) fn line_of(text: &str) -> crate::text::LineOf<'_> {
    crate::text::LineOf::new(text.trim_start_matches('\u{feff}'))
}

/// Read a points file. A point with a bad cell is kept without that cell (the problem says
/// so); a point without an id, or with the id of an earlier one, is not taken.
pub fn read_points(file: &str, text: &str) -> Result<Records<Point>, Problem> {
    let mut rdr = reader(text);
    let mut line_of = line_of(text);
    let header = lower_header(file, &mut rdr)?;
    if header != POINT_COLUMNS {
        return Err(Problem::new(
            file,
            1,
            "header",
            &header.join(","),
            format!("a points file has the columns {}", POINT_COLUMNS.join(",")),
        ));
    }
    let mut out = Records::default();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for rec in rdr.records() {
        out.rows += 1;
        let (rec, line) = match crate::water::record(file, rec, POINT_COLUMNS.len(), &mut line_of) {
            Ok(x) => x,
            Err(p) => {
                out.problems.push(p);
                continue;
            }
        };
        let bad = |k: usize, why: &str| Problem::new(file, line, POINT_COLUMNS[k], &rec[k], why);
        let opt = |k: usize| Some(rec[k].trim().to_string()).filter(|s| !s.is_empty());
        let id = rec[0].trim().to_string();
        if id.is_empty() {
            out.problems.push(bad(0, "a point needs an id; not taken"));
            continue;
        }
        if let Some(first) = seen.get(&id) {
            out.problems.push(bad(
                0,
                &format!("the point is already on line {first}; the first is kept"),
            ));
            continue;
        }
        seen.insert(id.clone(), line);
        let crs = rec[3].trim().to_string();
        let lon_lat = crs.eq_ignore_ascii_case("EPSG:4326");
        let mut coord = |k: usize, range: std::ops::RangeInclusive<f64>| -> Option<f64> {
            if is_not_measured(&rec[k]) {
                return None;
            }
            match decimal(&rec[k], 0) {
                Some(v) if range.contains(&v) => Some(v),
                Some(_) => {
                    out.problems.push(bad(
                        k,
                        &format!("outside {range:?} for {crs}; the point is kept without it"),
                    ));
                    None
                }
                None => {
                    out.problems.push(bad(
                        k,
                        "not a coordinate (a number); the point is kept without it",
                    ));
                    None
                }
            }
        };
        let (x, y) = if lon_lat {
            (coord(1, -180.0..=180.0), coord(2, -90.0..=90.0))
        } else {
            (coord(1, f64::MIN..=f64::MAX), coord(2, f64::MIN..=f64::MAX))
        };
        if (x.is_some() || y.is_some()) && crs.is_empty() {
            out.problems.push(
                bad(
                    3,
                    "coordinates without a reference system: kept, but no map can place them",
                )
                .kept(),
            );
        }
        let land_class = match opt(5) {
            None => None,
            Some(c) => match super::land_class_cell(&c) {
                Ok(class) => Some(class),
                Err(why) => {
                    out.problems.push(bad(
                        5,
                        &format!("{why}; the point is kept unclassed, not screened by land class"),
                    ));
                    None
                }
            },
        };
        out.items.push(Point {
            id,
            x,
            y,
            crs,
            land_use: opt(4),
            land_class,
            soil_type: opt(6),
            topography: opt(7),
            district: opt(8),
            plot: opt(9),
            file: file.into(),
            line,
        });
    }
    Ok(out)
}

fn date(cell: &str) -> Result<Option<NaiveDate>, ()> {
    let t = cell.trim();
    if t.is_empty() {
        return Ok(None);
    }
    ["%Y-%m-%d", "%Y/%m/%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(t, f).ok())
        .map(Some)
        .ok_or(())
}

/// Read a long file; `points` (the companion `points.csv`) places and classes the samples. A
/// sample whose point is not in it is kept and reported.
pub fn read_long(
    file: &str,
    text: &str,
    points: Option<&Records<Point>>,
) -> Result<SoilFile, Problem> {
    let mut rdr = reader(text);
    let mut line_of = line_of(text);
    let header = lower_header(file, &mut rdr)?;
    let with_dl = header.len() == COLUMNS.len() + 1 && header[COLUMNS.len()] == "dl";
    if header[..COLUMNS.len().min(header.len())] != COLUMNS || (header.len() > 7 && !with_dl) {
        return Err(Problem::new(
            file,
            1,
            "header",
            &header.join(","),
            format!("a long soil file has the columns {HEADER}[,dl]"),
        ));
    }
    let names: Vec<&str> = COLUMNS
        .iter()
        .copied()
        .chain(with_dl.then_some("dl"))
        .collect();
    let by_id: HashMap<&str, &Point> = points
        .map(|p| p.items.iter().map(|x| (x.id.as_str(), x)).collect())
        .unwrap_or_default();
    let mut out = SoilFile::default();
    let mut groups: HashMap<(String, Option<NaiveDate>, Option<String>), usize> = HashMap::new();
    // (sample, item) → the line it was first given on.
    let mut given: HashMap<(usize, Item), u64> = HashMap::new();
    for rec in rdr.records() {
        out.rows += 1;
        let (rec, line) = match crate::water::record(file, rec, names.len(), &mut line_of) {
            Ok(x) => x,
            Err(p) => {
                out.problems.push(p);
                continue;
            }
        };
        let bad = |k: usize, why: &str| Problem::new(file, line, names[k], &rec[k], why);
        let point = rec[0].trim().to_string();
        if point.is_empty() {
            out.problems.push(bad(0, "no point; not taken"));
            continue;
        }
        let Ok(day) = date(&rec[1]) else {
            out.problems
                .push(bad(1, "not a date YYYY-MM-DD (or empty); not taken"));
            continue;
        };
        let depth = Some(rec[2].trim().to_string()).filter(|s| !s.is_empty());
        let it = match item(&rec[3]) {
            Ok(i) => i,
            Err(why) => {
                out.problems.push(bad(3, &why));
                continue;
            }
        };
        let flag = match rec[6].trim() {
            "" => Flag::Ok,
            f => match f.parse::<Flag>() {
                Ok(f @ (Flag::Ok | Flag::Doubtful | Flag::Bad)) => f,
                _ => {
                    out.problems
                        .push(bad(6, "a flag is ok, doubtful or bad; not taken"));
                    continue;
                }
            },
        };
        // The sample exists once any of its rows is readable, even a "not measured" one.
        let key = (point.clone(), day, depth.clone());
        let next = out.samples.len();
        let at = *groups.entry(key).or_insert(next);
        if at == next {
            let p = by_id.get(point.as_str()).copied();
            if points.is_some() && p.is_none() {
                out.problems.push(
                    bad(
                        0,
                        "the point is not in points.csv: the sample has no location or land class",
                    )
                    .kept(),
                );
            }
            out.samples.push(Sample {
                id: point.clone(),
                x: p.and_then(|p| p.x),
                y: p.and_then(|p| p.y),
                crs: p.map(|p| p.crs.clone()).unwrap_or_default(),
                depth,
                land_use: p.and_then(|p| p.land_use.clone()),
                land_class: p.and_then(|p| p.land_class),
                soil_type: p.and_then(|p| p.soil_type.clone()),
                topography: p.and_then(|p| p.topography.clone()),
                district: p.and_then(|p| p.district.clone()),
                plot: p.and_then(|p| p.plot.clone()),
                date: day,
                ph: None,
                contents: Vec::new(),
                file: file.into(),
                line: line as usize,
            });
        }
        if is_not_measured(&rec[4]) {
            out.not_measured += 1;
            continue;
        }
        if flag == Flag::Bad {
            out.problems.push(bad(
                6,
                "flagged bad by the source: not taken (a sample carries no flags to the engine)",
            ));
            continue;
        }
        let unit = rec[5].trim();
        let taken = match &it {
            Item::Ph => {
                let u = unit.to_lowercase();
                if !matches!(u.as_str(), "" | "ph" | "无量纲" | "dimensionless" | "-") {
                    out.problems
                        .push(bad(5, "pH has no unit (empty, pH or 无量纲); not taken"));
                    continue;
                }
                super::ph_cell(&rec[4]).map(|v| (None, Some(v)))
            }
            Item::Content(name) => {
                let exp = match super::unit_exponent(unit) {
                    Ok(e) => e,
                    Err(why) => {
                        out.problems.push(bad(5, &why));
                        continue;
                    }
                };
                let source_unit = (!super::is_mg_kg(unit)).then(|| unit.to_string());
                let content = |value| Content {
                    item: name.clone(),
                    value,
                    source_unit: source_unit.clone(),
                };
                match content_cell(&rec[4], exp) {
                    Ok(Cell::Value(v)) => Ok((Some(content(v)), None)),
                    Ok(Cell::NotDetected) => {
                        let dl = rec.get(7).unwrap_or("");
                        match decimal(dl, exp) {
                            Some(l) if l > 0.0 => Ok((
                                Some(content(Value::BelowDetection { limit_mg_kg: l })),
                                None,
                            )),
                            _ if with_dl && !dl.trim().is_empty() => {
                                out.problems.push(bad(
                                    7,
                                    "a detection limit is a positive number; the ND row is not taken",
                                ));
                                continue;
                            }
                            _ => Err(
                                "not detected, and no detection limit in a dl column; not taken"
                                    .to_string(),
                            ),
                        }
                    }
                    Ok(Cell::NotMeasured) => {
                        out.not_measured += 1;
                        continue;
                    }
                    Err(why) => Err(why),
                }
            }
        };
        let (content, ph) = match taken {
            Ok(x) => x,
            Err(why) => {
                out.problems.push(bad(4, &why));
                continue;
            }
        };
        if let Some(first) = given.get(&(at, it.clone())) {
            out.problems.push(bad(
                3,
                &format!(
                    "the item is already given for this sample on line {first}; the first is kept"
                ),
            ));
            continue;
        }
        given.insert((at, it), line);
        if flag == Flag::Doubtful {
            out.problems.push(
                bad(
                    6,
                    "flagged doubtful by the source: taken (doubtful is not invalid)",
                )
                .kept(),
            );
        }
        let s = &mut out.samples[at];
        if let Some(c) = content {
            s.contents.push(c);
        }
        if ph.is_some() {
            s.ph = ph;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items() {
        assert_eq!(item("Cd"), Ok(Item::Content("Cd".into())));
        assert_eq!(item("pH"), Ok(Item::Ph));
        assert_eq!(item("PH"), Ok(Item::Ph));
        assert_eq!(item("六价铬"), Ok(Item::Content("Cr6+".into())));
        assert_eq!(item("Cr(VI)"), Ok(Item::Content("Cr6+".into())));
        assert_eq!(item("71-43-2"), Ok(Item::Content("71-43-2".into())));
        assert_eq!(item("50-32-8"), Ok(Item::Content("50-32-8".into())));
        assert_eq!(item("CN"), Ok(Item::Content("CN".into())));
        for bad in ["CD", "Cu2", "71-43-3", "benzene", "", "7-43-2"] {
            assert!(item(bad).is_err(), "{bad}");
        }
    }
}
