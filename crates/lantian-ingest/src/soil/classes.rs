//! The city's classes, for the coverage of a monitoring network: which land uses, soil types,
//! topographies and districts exist in the city, and which combinations of two of them do.
//!
//! `classes.csv`: `dimension,class[,share]`
//!
//! - `dimension`: one a sample carries, so that a point can fall in the class: `land_use`,
//!   `soil_type`, `topography` or `district` (the dimensions of
//!   [`lantian_soil::coverage::Point::from_sample`]);
//! - `class`: as the points file writes it (`旱地`, `褐土`, `平原`, `海淀区`);
//! - `share`: the class's rough share of the city's area, a fraction in (0, 1], or empty. The
//!   shares of a dimension need not add up to 1 (water and roads may be left out), but more
//!   than 1 is noted on the row where the sum passes it.
//!
//! `combinations.csv`: `row_dimension,row_class,col_dimension,col_class`, one combination of
//! two dimensions that exists in the city a row (`land_use,园地,soil_type,棕壤`). Without this
//! file [`lantian_soil::coverage::cross`] takes every combination to exist; with it, a cell not
//! listed is one that does not occur, so an empty cell means a gap of the network. A
//! combination may be written either way round; [`existing`] turns the rows to the matrix's
//! orientation.
//!
//! As in the other soil readers, a row that is not taken is a [`Problem`] naming file, line and
//! field; a class or combination given twice is refused and the first kept.
//!
//! ```
//! use lantian_ingest::soil::classes::{dimensions, existing, read_classes, read_combinations};
//! let classes = read_classes(
//!     "classes.csv",
//!     "dimension,class,share\nland_use,旱地,0.06\nland_use,园地,0.08\nsoil_type,褐土,\n",
//! )
//! .unwrap();
//! assert!(classes.problems.is_empty());
//! let dims = dimensions(&classes.items);
//! assert_eq!(dims[0].name, "land_use");
//! assert_eq!(dims[0].classes, ["旱地", "园地"]);
//! let combos = read_combinations(
//!     "combinations.csv",
//!     "row_dimension,row_class,col_dimension,col_class\nsoil_type,褐土,land_use,园地\n",
//! )
//! .unwrap();
//! assert_eq!(
//!     existing(&combos.items, "land_use", "soil_type"),
//!     [("园地".to_string(), "褐土".to_string())]
//! );
//! ```

use super::long::reader;
use super::{Problem, Records, decimal};
use lantian_soil::coverage::Dimension;
use std::collections::HashMap;

/// The columns of a classes file (`share` may be left out of the header).
pub const CLASS_COLUMNS: [&str; 3] = ["dimension", "class", "share"];

/// The columns of a combinations file.
pub const COMBINATION_COLUMNS: [&str; 4] =
    ["row_dimension", "row_class", "col_dimension", "col_class"];

/// The usual name of the classes file.
pub const CLASSES_FILE: &str = "classes.csv";

/// The usual name of the combinations file.
pub const COMBINATIONS_FILE: &str = "combinations.csv";

/// The dimensions a sample carries, and so the only ones a point can be counted in.
pub const DIMENSIONS: [&str; 4] = ["land_use", "soil_type", "topography", "district"];

/// Shares of one dimension may add up to a little over 1 by rounding alone.
const SHARE_SUM_SLACK: f64 = 0.005;

/// One class of the city.
#[derive(Debug, Clone, PartialEq)]
pub struct CityClass {
    /// One of [`DIMENSIONS`].
    pub dimension: String,
    pub class: String,
    /// Rough share of the city's area, a fraction.
    pub share: Option<f64>,
    pub file: String,
    pub line: u64,
}

/// One combination of two dimensions' classes that exists in the city.
#[derive(Debug, Clone, PartialEq)]
pub struct Combination {
    pub row_dimension: String,
    pub row_class: String,
    pub col_dimension: String,
    pub col_class: String,
    pub file: String,
    pub line: u64,
}

/// The lowercased header, or the problem refusing the file when it is not one of `accepted`.
fn header_is<R: std::io::Read>(
    file: &str,
    rdr: &mut csv::Reader<R>,
    accepted: &[&[&str]],
    what: &str,
) -> Result<usize, Problem> {
    let header: Vec<String> = crate::water::header_of(file, rdr)?
        .iter()
        .map(|c| c.to_ascii_lowercase())
        .collect();
    accepted
        .iter()
        .find(|cols| header == **cols)
        .map(|cols| cols.len())
        .ok_or_else(|| {
            Problem::new(
                file,
                1,
                "header",
                &header.join(","),
                format!(
                    "{what} has the columns {}",
                    accepted
                        .iter()
                        .map(|c| c.join(","))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            )
        })
}

/// A dimension cell, lowercased, or why it is not one.
fn dimension_cell(cell: &str) -> Result<String, String> {
    let d = cell.trim().to_ascii_lowercase();
    if DIMENSIONS.contains(&d.as_str()) {
        Ok(d)
    } else if d.is_empty() {
        Err(format!(
            "no dimension (one of {}); not taken",
            DIMENSIONS.join(", ")
        ))
    } else {
        Err(format!(
            "not a dimension a sample carries ({}); not taken",
            DIMENSIONS.join(", ")
        ))
    }
}

/// Read a classes file. A row without a known dimension or a class, or with a class already
/// given for its dimension, is not taken; a class with a bad share is kept without it.
pub fn read_classes(file: &str, text: &str) -> Result<Records<CityClass>, Problem> {
    let mut rdr = reader(text);
    let mut line_of = super::long::line_of(text);
    let width = header_is(
        file,
        &mut rdr,
        &[&CLASS_COLUMNS, &CLASS_COLUMNS[..2]],
        "a classes file",
    )?;
    let mut out = Records::default();
    // (dimension, class) → the line it was first given on.
    let mut seen: HashMap<(String, String), u64> = HashMap::new();
    // dimension → the sum of its shares so far, and whether it has been noted above 1.
    let mut sums: HashMap<String, (f64, bool)> = HashMap::new();
    for rec in rdr.records() {
        out.rows += 1;
        let (rec, line) = match crate::water::record(file, rec, width, &mut line_of) {
            Ok(x) => x,
            Err(p) => {
                out.problems.push(p);
                continue;
            }
        };
        let bad = |k: usize, why: &str| Problem::new(file, line, CLASS_COLUMNS[k], &rec[k], why);
        let dimension = match dimension_cell(&rec[0]) {
            Ok(d) => d,
            Err(why) => {
                out.problems.push(bad(0, &why));
                continue;
            }
        };
        let class = rec[1].trim().to_string();
        if class.is_empty() {
            out.problems.push(bad(1, "no class; not taken"));
            continue;
        }
        let key = (dimension.clone(), class.clone());
        if let Some(first) = seen.get(&key) {
            out.problems.push(bad(
                1,
                &format!(
                    "the class is already given for {dimension} on line {first}; the first is kept"
                ),
            ));
            continue;
        }
        seen.insert(key, line);
        let cell = rec.get(2).unwrap_or("").trim();
        let share = if cell.is_empty() {
            None
        } else {
            match decimal(cell, 0) {
                Some(v) if v > 0.0 && v <= 1.0 => Some(v),
                _ => {
                    out.problems.push(bad(
                        2,
                        "a share is a fraction of the city's area, above 0 and at most 1; the \
                         class is kept without it",
                    ));
                    None
                }
            }
        };
        if let Some(v) = share {
            let (sum, noted) = sums.entry(dimension.clone()).or_insert((0.0, false));
            *sum += v;
            if *sum > 1.0 + SHARE_SUM_SLACK && !*noted {
                *noted = true;
                out.problems.push(
                    bad(
                        2,
                        &format!(
                            "the shares of {dimension} add up to {:.4} with this row, more than \
                             the whole city; kept",
                            *sum
                        ),
                    )
                    .kept(),
                );
            }
        }
        out.items.push(CityClass {
            dimension,
            class,
            share,
            file: file.into(),
            line,
        });
    }
    Ok(out)
}

/// Read a combinations file. A row with an empty cell, an unknown dimension, the same
/// dimension twice, or a combination already given (either way round) is not taken.
pub fn read_combinations(file: &str, text: &str) -> Result<Records<Combination>, Problem> {
    let mut rdr = reader(text);
    let mut line_of = super::long::line_of(text);
    let width = header_is(
        file,
        &mut rdr,
        &[&COMBINATION_COLUMNS],
        "a combinations file",
    )?;
    let mut out = Records::default();
    // The combination, its two (dimension, class) ends in order → its first line.
    let mut seen: HashMap<[(String, String); 2], u64> = HashMap::new();
    'rows: for rec in rdr.records() {
        out.rows += 1;
        let (rec, line) = match crate::water::record(file, rec, width, &mut line_of) {
            Ok(x) => x,
            Err(p) => {
                out.problems.push(p);
                continue;
            }
        };
        let bad =
            |k: usize, why: &str| Problem::new(file, line, COMBINATION_COLUMNS[k], &rec[k], why);
        let mut dims = [String::new(), String::new()];
        for (end, k) in [0usize, 2].into_iter().enumerate() {
            match dimension_cell(&rec[k]) {
                Ok(d) => dims[end] = d,
                Err(why) => {
                    out.problems.push(bad(k, &why));
                    continue 'rows;
                }
            }
            if rec[k + 1].trim().is_empty() {
                out.problems.push(bad(k + 1, "no class; not taken"));
                continue 'rows;
            }
        }
        if dims[0] == dims[1] {
            out.problems.push(bad(
                2,
                "a combination is of two different dimensions; not taken",
            ));
            continue;
        }
        let [row_dimension, col_dimension] = dims;
        let row_class = rec[1].trim().to_string();
        let col_class = rec[3].trim().to_string();
        let mut key = [
            (row_dimension.clone(), row_class.clone()),
            (col_dimension.clone(), col_class.clone()),
        ];
        key.sort();
        if let Some(first) = seen.get(&key) {
            out.problems.push(bad(
                1,
                &format!("the combination is already given on line {first}; the first is kept"),
            ));
            continue;
        }
        seen.insert(key, line);
        out.items.push(Combination {
            row_dimension,
            row_class,
            col_dimension,
            col_class,
            file: file.into(),
            line,
        });
    }
    Ok(out)
}

/// The combinations whose classes are not among the city's classes, one problem each (the
/// combination is kept: [`lantian_soil::coverage::cross`] lists it as unknown too).
pub fn unknown_classes(combinations: &[Combination], classes: &[CityClass]) -> Vec<Problem> {
    let known = |d: &str, c: &str| classes.iter().any(|k| k.dimension == d && k.class == c);
    let mut out = Vec::new();
    for x in combinations {
        for (field, d, c) in [
            ("row_class", &x.row_dimension, &x.row_class),
            ("col_class", &x.col_dimension, &x.col_class),
        ] {
            if !known(d, c) {
                out.push(
                    Problem::new(
                        &x.file,
                        x.line,
                        field,
                        c,
                        format!("not a class of {d} in the classes file"),
                    )
                    .kept(),
                );
            }
        }
    }
    out
}

/// The city's dimensions for [`lantian_soil::coverage::coverage`]: each dimension in the
/// order it first appears, with its classes in file order.
pub fn dimensions(classes: &[CityClass]) -> Vec<Dimension> {
    let mut out: Vec<Dimension> = Vec::new();
    for c in classes {
        match out.iter_mut().find(|d| d.name == c.dimension) {
            Some(d) => d.classes.push(c.class.clone()),
            None => out.push(Dimension {
                name: c.dimension.clone(),
                classes: vec![c.class.clone()],
            }),
        }
    }
    out
}

/// The combinations of `rows` × `columns` as (row class, column class), for
/// [`lantian_soil::coverage::cross`]; rows written the other way round are turned.
pub fn existing(combinations: &[Combination], rows: &str, columns: &str) -> Vec<(String, String)> {
    combinations
        .iter()
        .filter_map(|x| {
            if x.row_dimension == rows && x.col_dimension == columns {
                Some((x.row_class.clone(), x.col_class.clone()))
            } else if x.row_dimension == columns && x.col_dimension == rows {
                Some((x.col_class.clone(), x.row_class.clone()))
            } else {
                None
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(p: &[Problem]) -> Vec<(u64, &str)> {
        p.iter().map(|p| (p.line, p.field.as_str())).collect()
    }

    #[test]
    fn classes_read_and_bad_rows_are_named() {
        let text = "\u{feff}Dimension,Class,Share\n\
                    land_use,旱地,0.056\n\
                    land_use,园地,\n\
                    Soil_Type,褐土,0.57\n\
                    land_use,旱地,0.1\n\
                    landuse,林地,0.5\n\
                    district,,0.01\n\
                    district,海淀区,2.6%\n\
                    district,朝阳区,0\n\
                    topography,平原,0.38,extra\n\
                    topography,山地,1.5\n";
        let r = read_classes("classes.csv", text).unwrap();
        assert_eq!(r.rows, 10);
        let got: Vec<(&str, &str, Option<f64>, u64)> = r
            .items
            .iter()
            .map(|c| (c.dimension.as_str(), c.class.as_str(), c.share, c.line))
            .collect();
        assert_eq!(
            got,
            [
                ("land_use", "旱地", Some(0.056), 2),
                ("land_use", "园地", None, 3),
                ("soil_type", "褐土", Some(0.57), 4),
                ("district", "海淀区", None, 8),
                ("district", "朝阳区", None, 9),
                ("topography", "山地", None, 11),
            ]
        );
        assert_eq!(
            fields(&r.problems),
            [
                (5, "class"),
                (6, "dimension"),
                (7, "class"),
                (8, "share"),
                (9, "share"),
                (10, "row"),
                (11, "share"),
            ]
        );
        let msg = r.problems[0].to_string();
        assert!(
            msg.starts_with(
                "classes.csv:5: class: the class is already given for land_use on line 2"
            ),
            "{msg}"
        );
        assert!(
            r.problems[1].message.contains("land_use, soil_type"),
            "{}",
            r.problems[1]
        );
        assert!(r.problems.iter().all(|p| !p.kept));
        // The file is read in file order: the dimensions keep it.
        let dims = dimensions(&r.items);
        let names: Vec<&str> = dims.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["land_use", "soil_type", "district", "topography"]);
        assert_eq!(dims[2].classes, ["海淀区", "朝阳区"]);
    }

    #[test]
    fn shares_above_the_whole_city_are_noted_once() {
        let text = "dimension,class,share\n\
                    topography,山地,0.62\n\
                    topography,平原,0.38\n\
                    topography,丘陵,0.07\n\
                    topography,台地,0.02\n\
                    land_use,旱地,0.6\n\
                    land_use,林地,0.403\n";
        let r = read_classes("c.csv", text).unwrap();
        assert_eq!(r.items.len(), 6);
        // 1.07 on line 4 is over; 1.003 (land use) is rounding.
        assert_eq!(fields(&r.problems), [(4, "share")]);
        assert!(r.problems[0].kept);
        assert!(
            r.problems[0].message.contains("1.0700"),
            "{}",
            r.problems[0]
        );
    }

    #[test]
    fn a_classes_file_without_shares() {
        let r = read_classes("c.csv", "dimension,class\ndistrict,延庆区\n").unwrap();
        assert!(r.problems.is_empty());
        assert_eq!(r.items[0].share, None);
        let e = read_classes("c.csv", "dimension,name,share\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(
            e.message
                .contains("dimension,class,share or dimension,class"),
            "{e}"
        );
        // A row as wide as the short header's fits it, one wider does not.
        let r = read_classes("c.csv", "dimension,class\ndistrict,延庆区,0.1\n").unwrap();
        assert_eq!(fields(&r.problems), [(2, "row")]);
    }

    #[test]
    fn combinations_read_and_bad_rows_are_named() {
        let text = "row_dimension,row_class,col_dimension,col_class\n\
                    land_use,园地,soil_type,棕壤\n\
                    land_use,旱地,soil_type,潮土\n\
                    soil_type,棕壤,land_use,园地\n\
                    land_use,旱地,soil_type,潮土\n\
                    land_use,旱地,land_use,园地\n\
                    land_use,,soil_type,潮土\n\
                    land_use,林地,soil,褐土\n\
                    land_use,林地,soil_type,\n\
                    district,海淀区,soil_type,褐土\n";
        let r = read_combinations("combinations.csv", text).unwrap();
        assert_eq!(r.rows, 9);
        let lines: Vec<u64> = r.items.iter().map(|c| c.line).collect();
        assert_eq!(lines, [2, 3, 10]);
        assert_eq!(
            fields(&r.problems),
            [
                (4, "row_class"),
                (5, "row_class"),
                (6, "col_dimension"),
                (7, "row_class"),
                (8, "col_dimension"),
                (9, "col_class"),
            ]
        );
        // The mirrored row is the same combination.
        assert!(
            r.problems[0].message.contains("already given on line 2"),
            "{}",
            r.problems[0]
        );
        assert_eq!(
            existing(&r.items, "land_use", "soil_type"),
            [
                ("园地".to_string(), "棕壤".to_string()),
                ("旱地".to_string(), "潮土".to_string())
            ]
        );
        assert_eq!(
            existing(&r.items, "soil_type", "land_use"),
            [
                ("棕壤".to_string(), "园地".to_string()),
                ("潮土".to_string(), "旱地".to_string())
            ]
        );
        assert_eq!(
            existing(&r.items, "soil_type", "district"),
            [("褐土".to_string(), "海淀区".to_string())]
        );
        assert!(read_combinations("x.csv", "row_dimension,row_class\n").is_err());
    }

    #[test]
    fn combinations_against_the_classes() {
        let classes = read_classes(
            "classes.csv",
            "dimension,class\nland_use,旱地\nsoil_type,潮土\n",
        )
        .unwrap();
        let combos = read_combinations(
            "combinations.csv",
            "row_dimension,row_class,col_dimension,col_class\n\
             land_use,旱地,soil_type,潮土\n\
             land_use,水田,soil_type,水稻土\n",
        )
        .unwrap();
        let p = unknown_classes(&combos.items, &classes.items);
        assert_eq!(fields(&p), [(3, "row_class"), (3, "col_class")]);
        assert_eq!(
            p[0].to_string(),
            "combinations.csv:3: row_class: not a class of land_use in the classes file (\"水田\")"
        );
    }
}
