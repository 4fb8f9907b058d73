//! The engine of the wide survey sets: one sample a row, one column a variable. Each set's
//! module describes its columns ([`Column`]) and its land-use and soil mappings ([`Layout`]);
//! this reads any of them the same way, so a rule (what a bad cell does, what `NA` means) is
//! written once.

use super::{Cell, Problem, SoilFile, UnusedColumn, content_cell, decimal, is_not_measured};
use lantian_soil::{Content, LandClass, Sample};

/// What a column is for.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Role {
    /// The x coordinate (easting, longitude), times 10^[`Layout::coord_exp`].
    X,
    /// The y coordinate (northing, latitude).
    Y,
    /// A content of `item` (the key of the standards' tables) given in `unit`.
    Content {
        item: &'static str,
    },
    Ph,
    LandUse,
    SoilType,
    /// Read past, with why.
    Unused {
        why: &'static str,
    },
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    pub name: &'static str,
    /// The unit, as the file or its documentation gives it ("" when none).
    pub unit: &'static str,
    pub role: Role,
}

/// A land use as the sample carries it: the source's words and the class, if it maps to one.
pub(crate) type LandUse = (String, Option<LandClass>);

pub(crate) struct Layout {
    pub columns: &'static [Column],
    pub crs: &'static str,
    /// Power of ten from the file's coordinates to the sample's (km → m: 3).
    pub coord_exp: i32,
    /// Longitude and latitude are checked against their ranges.
    pub lon_lat: bool,
    /// A land-use cell in the source's words and its class, or why the code is unknown.
    pub land: fn(&str) -> Result<LandUse, String>,
    /// A soil cell as the sample carries it, or why the code is unknown.
    pub soil: fn(&str) -> Result<String, String>,
}

impl Layout {
    pub fn names(&self) -> Vec<&'static str> {
        self.columns.iter().map(|c| c.name).collect()
    }

    pub fn unused(&self) -> Vec<UnusedColumn> {
        self.columns
            .iter()
            .filter_map(|c| match c.role {
                Role::Unused { why } => Some(UnusedColumn {
                    name: c.name.into(),
                    unit: (!c.unit.is_empty()).then(|| c.unit.into()),
                    why: why.into(),
                }),
                _ => None,
            })
            .collect()
    }
}

/// Read the rows after the header, which is record `header_at` (0-based) of `text`; the records
/// before it are the caller's (a title, a unit line) and are not read here.
pub(crate) fn read(
    file: &str,
    text: &str,
    header_at: usize,
    layout: &Layout,
) -> Result<SoilFile, Problem> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut line_of = crate::text::LineOf::new(text.trim_start_matches('\u{feff}'));
    let mut records = rdr.records();
    let mut header_line = 1;
    let mut header = None;
    for _ in 0..=header_at {
        match records.next() {
            Some(Ok(r)) => {
                header_line = r.position().map_or(header_line, |p| line_of.of(p));
                header = Some(r);
            }
            Some(Err(e)) => {
                let line = e.position().map_or(header_line, |p| line_of.of(p));
                return Err(Problem::new(file, line, "header", "", e.to_string()));
            }
            None => {
                header = None;
                break;
            }
        }
    }
    let names = layout.names();
    let found: Vec<String> = header
        .as_ref()
        .map(|h| {
            h.iter()
                .map(|c| c.trim().trim_start_matches('\u{feff}').trim().to_string())
                .collect()
        })
        .unwrap_or_default();
    if found != names {
        return Err(Problem::new(
            file,
            header_line,
            "header",
            &found.join(","),
            format!("the layout has the columns {}", names.join(",")),
        ));
    }
    // The layouts' units are constants of their modules; one that is not a content unit is a
    // mistake in the layout, said as such rather than read a power of ten off.
    let mut exps = Vec::with_capacity(layout.columns.len());
    for c in layout.columns {
        exps.push(match c.role {
            Role::Content { .. } => super::unit_exponent(c.unit)
                .map_err(|why| Problem::new(file, header_line, c.name, c.unit, why))?,
            _ => 0,
        });
    }
    let mut out = SoilFile {
        unused_columns: layout.unused(),
        ..SoilFile::default()
    };
    for rec in records {
        out.rows += 1;
        let (rec, line) = match crate::water::record(file, rec, names.len(), &mut line_of) {
            Ok(x) => x,
            Err(p) => {
                out.problems.push(p);
                continue;
            }
        };
        let mut sample = Sample {
            id: out.rows.to_string(),
            x: None,
            y: None,
            crs: layout.crs.into(),
            depth: None,
            land_use: None,
            land_class: None,
            soil_type: None,
            topography: None,
            district: None,
            plot: None,
            date: None,
            ph: None,
            contents: Vec::new(),
            file: file.into(),
            line: line as usize,
        };
        for (k, col) in layout.columns.iter().enumerate() {
            let cell = &rec[k];
            let bad = |why: &str| Problem::new(file, line, col.name, cell, why);
            if matches!(col.role, Role::Unused { .. }) {
                continue;
            }
            if is_not_measured(cell) {
                out.not_measured += 1;
                continue;
            }
            match col.role {
                Role::X | Role::Y => {
                    let is_x = matches!(col.role, Role::X);
                    let range = match (layout.lon_lat, is_x) {
                        (false, _) => f64::MIN..=f64::MAX,
                        (true, true) => -180.0..=180.0,
                        (true, false) => -90.0..=90.0,
                    };
                    match decimal(cell, layout.coord_exp) {
                        Some(v) if range.contains(&v) => {
                            if is_x {
                                sample.x = Some(v);
                            } else {
                                sample.y = Some(v);
                            }
                        }
                        Some(_) => out.problems.push(bad(if is_x {
                            "a longitude lies between -180 and 180; not taken"
                        } else {
                            "a latitude lies between -90 and 90; not taken"
                        })),
                        None => out.problems.push(bad("not a coordinate (a number)")),
                    }
                }
                Role::Content { item } => match content_cell(cell, exps[k]) {
                    Ok(Cell::Value(value)) => sample.contents.push(Content {
                        item: item.into(),
                        value,
                        source_unit: (!super::is_mg_kg(col.unit)).then(|| col.unit.into()),
                    }),
                    Ok(Cell::NotDetected) => out.problems.push(bad(
                        "not detected, and the set gives no detection limit; not taken",
                    )),
                    Ok(Cell::NotMeasured) => out.not_measured += 1,
                    Err(why) => out.problems.push(bad(&why)),
                },
                Role::Ph => match super::ph_cell(cell) {
                    Ok(v) => sample.ph = Some(v),
                    Err(why) => out.problems.push(bad(&why)),
                },
                Role::LandUse => match (layout.land)(cell) {
                    Ok((words, class)) => {
                        sample.land_use = Some(words);
                        sample.land_class = class;
                    }
                    Err(why) => {
                        sample.land_use = Some(cell.trim().into());
                        out.problems.push(
                            bad(&format!(
                                "{why}: kept as written, not classed, so not screened by land class"
                            ))
                            .kept(),
                        );
                    }
                },
                Role::SoilType => match (layout.soil)(cell) {
                    Ok(s) => sample.soil_type = Some(s),
                    Err(why) => {
                        sample.soil_type = Some(cell.trim().into());
                        out.problems
                            .push(bad(&format!("{why}: kept as written")).kept());
                    }
                },
                Role::Unused { .. } => {}
            }
        }
        out.samples.push(sample);
    }
    Ok(out)
}

/// Soil cells taken as written.
pub(crate) fn as_written(cell: &str) -> Result<String, String> {
    Ok(cell.trim().to_string())
}
