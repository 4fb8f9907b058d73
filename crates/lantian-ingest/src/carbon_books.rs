//! A market's books as CSV: one row per unit and year, and the offsets each unit surrendered.
//!
//! Books (`unit,name,year,direct_t,indirect_t,emissions,free_allocation_t,auctioned_t,surrendered_t`):
//! `emissions` is verified tonnes or a state ("Not Reported", "Excluded", empty); `direct_t` and
//! `indirect_t` (for the coverage rule) and the allocation columns may be empty.
//!
//! Surrenders (`unit,year,kind,origin,vintage,project,tonnes`): `kind` is an offset kind
//! (`ccer`, `beijing-forestry`, `beijing-energy-saving`, `carbon-inclusion`, `verra`,
//! `gold-standard`, `cer`, `eru`), `origin` is `in-region` or the region the project is in.
//!
//! Every row that cannot be taken is reported with file, line and field; no figure is guessed.

use crate::eu_ets::Problem;
use lantian_carbon::{Emissions, EmissionsError, Offset, OffsetKind, Origin, UnitYear};
use std::collections::BTreeMap;

/// One unit's books.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UnitBooks {
    pub name: String,
    pub years: Vec<UnitYear>,
    /// Direct and indirect emissions by year, where given (the coverage rule's input).
    pub coverage: BTreeMap<i32, (f64, f64)>,
}

/// The books as read.
#[derive(Debug, Clone, Default)]
pub struct Books {
    pub units: BTreeMap<String, UnitBooks>,
    pub problems: Vec<Problem>,
}

fn problem(file: &str, line: u64, field: &str, value: &str, message: impl Into<String>) -> Problem {
    Problem::new(file, line, field, value, message)
}

/// A CSV's header and its rows, each with its line.
type Table = (Vec<String>, Vec<(u64, csv::StringRecord)>);

/// Each column name's first position in `header`, found once: a row's cells are then looked up
/// without scanning the header again (a damaged header may be millions of fields long, and a
/// scan per cell of every row took minutes).
fn first_columns(header: &[String]) -> std::collections::HashMap<&str, usize> {
    let mut at = std::collections::HashMap::new();
    for (i, h) in header.iter().enumerate() {
        at.entry(h.as_str()).or_insert(i);
    }
    at
}

/// Rows of `text` with their line, checked against the columns `needed`.
fn records(file: &str, text: &str, needed: &[&str]) -> Result<Table, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut line_of = crate::text::LineOf::new(text);
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| format!("{file}: line 1: {e}"))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let missing: Vec<&str> = needed
        .iter()
        .copied()
        .filter(|n| !header.iter().any(|h| h == n))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "{file}: line 1: columns missing: {} (the header is: {})",
            missing.join(", "),
            header.join(",")
        ));
    }
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            format!(
                "{file}: line {}: {e}",
                e.position().map_or(0, |p| line_of.of(p))
            )
        })?;
        out.push((rec.position().map_or(0, |p| line_of.of(p)), rec));
    }
    Ok((header, out))
}

fn tonnes(v: &str) -> Result<f64, &'static str> {
    if v.is_empty() {
        return Ok(0.0);
    }
    match v.parse::<f64>() {
        Ok(t) if t.is_finite() && t >= 0.0 => Ok(t),
        Ok(_) => Err("must be a number of tonnes, zero or more"),
        Err(_) => Err("is not a number of tonnes"),
    }
}

/// Read the books. A header without the needed columns stops the read; a bad row is reported and
/// left out of the books whole (a unit-year is never half read).
pub fn parse_books(file: &str, text: &str) -> Result<Books, String> {
    let needed = ["unit", "year", "emissions"];
    let (header, rows) = records(file, text, &needed)?;
    let at = first_columns(&header);
    let col = |n: &str| at.get(n).copied();
    let mut books = Books::default();
    for (line, rec) in rows {
        let cell = |n: &str| col(n).and_then(|i| rec.get(i)).unwrap_or("").trim();
        let mut bad = |field: &str, value: &str, msg: String| {
            books.problems.push(problem(file, line, field, value, msg))
        };
        let unit = cell("unit");
        if unit.is_empty() {
            bad("unit", "", "no unit; the row is not read".into());
            continue;
        }
        let Ok(year) = cell("year").parse::<i32>() else {
            bad(
                "year",
                cell("year"),
                "not a year; the row is not read".into(),
            );
            continue;
        };
        let emissions = match Emissions::parse(cell("emissions")) {
            Ok(e) => e,
            Err(e) => {
                let why = match e {
                    EmissionsError::Negative(_) => "negative verified emissions".to_string(),
                    other => other.to_string(),
                };
                bad(
                    "emissions",
                    cell("emissions"),
                    format!("{why}; the row is not read"),
                );
                continue;
            }
        };
        let mut figures = [0.0; 5];
        let mut ok = true;
        for (k, f) in [
            "direct_t",
            "indirect_t",
            "free_allocation_t",
            "auctioned_t",
            "surrendered_t",
        ]
        .iter()
        .enumerate()
        {
            match tonnes(cell(f)) {
                Ok(t) => figures[k] = t,
                Err(m) => {
                    bad(f, cell(f), format!("{m}; the row is not read"));
                    ok = false;
                }
            }
        }
        if !ok {
            continue;
        }
        let books_of = books.units.entry(unit.to_string()).or_default();
        if books_of.years.iter().any(|y| y.year == year) {
            books.problems.push(problem(
                file,
                line,
                "year",
                &year.to_string(),
                format!("unit {unit} has {year} already; the first row is kept"),
            ));
            continue;
        }
        if books_of.name.is_empty() {
            books_of.name = cell("name").to_string();
        }
        if !cell("direct_t").is_empty() || !cell("indirect_t").is_empty() {
            books_of.coverage.insert(year, (figures[0], figures[1]));
        }
        books_of.years.push(UnitYear {
            free_allocation_t: figures[2],
            auctioned_t: figures[3],
            surrendered_t: figures[4],
            ..UnitYear::new(year, emissions)
        });
    }
    Ok(books)
}

/// Read surrendered offsets into `books`: each parcel joins its unit-year. A parcel for a unit
/// or a year the books do not have is reported, not dropped silently and not joined.
pub fn parse_surrenders(file: &str, text: &str, books: &mut Books) -> Result<(), String> {
    let needed = ["unit", "year", "kind", "origin", "vintage", "tonnes"];
    let (header, rows) = records(file, text, &needed)?;
    let at = first_columns(&header);
    let col = |n: &str| at.get(n).copied();
    for (line, rec) in rows {
        let cell = |n: &str| col(n).and_then(|i| rec.get(i)).unwrap_or("").trim();
        let mut bad = |field: &str, value: &str, msg: String| {
            books.problems.push(problem(file, line, field, value, msg))
        };
        let unit = cell("unit");
        let Ok(year) = cell("year").parse::<i32>() else {
            bad(
                "year",
                cell("year"),
                "not a year; the parcel is not read".into(),
            );
            continue;
        };
        let Some(kind) = OffsetKind::parse(cell("kind")) else {
            let kinds: Vec<&str> = OffsetKind::ALL.iter().map(|k| k.id()).collect();
            bad(
                "kind",
                cell("kind"),
                format!(
                    "not an offset kind ({}); the parcel is not read",
                    kinds.join(", ")
                ),
            );
            continue;
        };
        let origin = match cell("origin") {
            "" => {
                bad(
                    "origin",
                    "",
                    "no origin (in-region, or the project's region); the parcel is not read".into(),
                );
                continue;
            }
            "in-region" => Origin::InRegion,
            other => Origin::OutsideRegion(other.to_string()),
        };
        let Ok(vintage) = cell("vintage").parse::<i32>() else {
            bad(
                "vintage",
                cell("vintage"),
                "not a year; the parcel is not read".into(),
            );
            continue;
        };
        let t = match tonnes(cell("tonnes")) {
            Ok(t) if !cell("tonnes").is_empty() => t,
            Ok(_) => {
                bad("tonnes", "", "no quantity; the parcel is not read".into());
                continue;
            }
            Err(m) => {
                bad(
                    "tonnes",
                    cell("tonnes"),
                    format!("{m}; the parcel is not read"),
                );
                continue;
            }
        };
        let project = cell("project").to_string();
        let Some(unit_books) = books.units.get_mut(unit) else {
            bad(
                "unit",
                unit,
                "unknown unit: not in the books; the parcel is not joined".into(),
            );
            continue;
        };
        let Some(y) = unit_books.years.iter_mut().find(|y| y.year == year) else {
            bad(
                "year",
                &year.to_string(),
                format!("unit {unit} has no books for {year}; the parcel is not joined"),
            );
            continue;
        };
        y.offsets.push(Offset {
            kind,
            origin,
            vintage,
            project,
            tonnes: t,
        });
    }
    Ok(())
}

/// One unit's electricity for a year.
#[derive(Debug, Clone, PartialEq)]
pub struct Electricity {
    pub unit: String,
    pub year: i32,
    pub consumption_mwh: f64,
    pub green_mwh: f64,
}

/// Read electricity use (`unit,year,consumption_mwh,green_mwh`); bad rows are named and left out.
pub fn parse_electricity(
    file: &str,
    text: &str,
) -> Result<(Vec<Electricity>, Vec<Problem>), String> {
    let (header, rows) = records(
        file,
        text,
        &["unit", "year", "consumption_mwh", "green_mwh"],
    )?;
    let at = first_columns(&header);
    let col = |n: &str| at.get(n).copied();
    let mut out: Vec<Electricity> = Vec::new();
    let mut problems = Vec::new();
    for (line, rec) in rows {
        let cell = |n: &str| col(n).and_then(|i| rec.get(i)).unwrap_or("").trim();
        let mut bad = |field: &str, value: &str, msg: String| {
            problems.push(problem(file, line, field, value, msg))
        };
        let Ok(year) = cell("year").parse::<i32>() else {
            bad(
                "year",
                cell("year"),
                "not a year; the row is not read".into(),
            );
            continue;
        };
        let mut mwh = [0.0; 2];
        let mut ok = true;
        for (k, f) in ["consumption_mwh", "green_mwh"].iter().enumerate() {
            match cell(f).parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 => mwh[k] = v,
                _ => {
                    bad(
                        f,
                        cell(f),
                        "must be a number of MWh, zero or more; the row is not read".into(),
                    );
                    ok = false;
                }
            }
        }
        if !ok {
            continue;
        }
        let unit = cell("unit").to_string();
        if out.iter().any(|e| e.unit == unit && e.year == year) {
            bad(
                "year",
                &year.to_string(),
                format!("unit {unit} has {year} already; the first row is kept"),
            );
            continue;
        }
        out.push(Electricity {
            unit,
            year,
            consumption_mwh: mwh[0],
            green_mwh: mwh[1],
        });
    }
    Ok((out, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOOKS: &str = "unit,name,year,direct_t,indirect_t,emissions,free_allocation_t,auctioned_t,surrendered_t\n\
        U1,Plant,2023,3000,2000,5000,4800,100,4900\n\
        U1,Plant,2024,,,Not Reported,4800,,\n\
        U2,Mall,2023,,,-3,1,,\n\
        U2,Mall,2024,,,abc,1,,\n\
        U3,Depot,2023,1,1,10,x,,\n\
        U1,Plant,2023,1,1,1,1,1,1\n";

    #[test]
    fn books_keep_states_and_name_bad_rows() {
        let b = parse_books("books.csv", BOOKS).unwrap();
        let u1 = &b.units["U1"];
        assert_eq!(u1.years.len(), 2);
        assert_eq!(u1.years[0].emissions, Emissions::Verified(5000.0));
        assert_eq!(u1.years[0].allocation_t(), 4900.0);
        assert_eq!(u1.years[1].emissions, Emissions::NotReported);
        assert_eq!(u1.coverage[&2023], (3000.0, 2000.0));
        let msgs: Vec<String> = b.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(msgs.len(), 4, "{msgs:#?}");
        assert!(
            msgs[0].starts_with("books.csv:4: emissions: negative verified emissions"),
            "{}",
            msgs[0]
        );
        assert!(
            msgs[1].starts_with("books.csv:5: emissions: \"abc\" is neither"),
            "{}",
            msgs[1]
        );
        assert!(
            msgs[2].starts_with("books.csv:6: free_allocation_t: is not a number"),
            "{}",
            msgs[2]
        );
        assert!(
            msgs[3].starts_with("books.csv:7: year: unit U1 has 2023 already"),
            "{}",
            msgs[3]
        );
        assert!(!b.units.contains_key("U3"));
        let e = parse_books("books.csv", "unit,year\nU1,2023\n").unwrap_err();
        assert!(
            e.starts_with("books.csv: line 1: columns missing: emissions"),
            "{e}"
        );
    }

    #[test]
    fn electricity_rows() {
        let text = "unit,year,consumption_mwh,green_mwh\nU1,2023,10000,4000\nU1,2023,1,1\nU2,2023,-5,0\nU3,20x3,1,1\n";
        let (rows, problems) = parse_electricity("power.csv", text).unwrap();
        assert_eq!(
            rows,
            vec![Electricity {
                unit: "U1".into(),
                year: 2023,
                consumption_mwh: 10_000.0,
                green_mwh: 4_000.0
            }]
        );
        let msgs: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert!(
            msgs[0].starts_with("power.csv:3: year: unit U1 has 2023 already"),
            "{}",
            msgs[0]
        );
        assert!(
            msgs[1].starts_with("power.csv:4: consumption_mwh: must be a number of MWh"),
            "{}",
            msgs[1]
        );
        assert!(
            msgs[2].starts_with("power.csv:5: year: not a year"),
            "{}",
            msgs[2]
        );
    }

    #[test]
    fn a_column_named_twice_is_read_from_its_first_place() {
        let header: Vec<String> = ["unit", "", "year", "unit", ""]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let at = first_columns(&header);
        assert_eq!(at.get("unit"), Some(&0));
        assert_eq!(at.get("year"), Some(&2));
        assert_eq!(at.get(""), Some(&1));
        assert_eq!(at.get("tonnes"), None);
    }

    #[test]
    fn surrenders_join_or_are_named() {
        let mut b = parse_books("books.csv", BOOKS).unwrap();
        let n = b.problems.len();
        let text = "unit,year,kind,origin,vintage,project,tonnes\n\
            U1,2023,ccer,in-region,2022,P1,200\n\
            U1,2023,ccer,Hebei,2022,P2,50\n\
            U9,2023,ccer,in-region,2022,P3,1\n\
            U1,2030,ccer,in-region,2022,P3,1\n\
            U1,2023,vcs,in-region,2022,P3,1\n\
            U1,2023,ccer,,2022,P3,1\n\
            U1,2023,ccer,in-region,2022,P3,-1\n";
        parse_surrenders("surrenders.csv", text, &mut b).unwrap();
        let y = &b.units["U1"].years[0];
        assert_eq!(y.offsets.len(), 2);
        assert_eq!(y.offsets[1].origin, Origin::OutsideRegion("Hebei".into()));
        let msgs: Vec<String> = b.problems[n..].iter().map(|p| p.to_string()).collect();
        assert_eq!(msgs.len(), 5, "{msgs:#?}");
        assert!(
            msgs[0].starts_with("surrenders.csv:4: unit: unknown unit"),
            "{}",
            msgs[0]
        );
        assert!(
            msgs[1].starts_with("surrenders.csv:5: year: unit U1 has no books for 2030"),
            "{}",
            msgs[1]
        );
        assert!(
            msgs[2].starts_with("surrenders.csv:6: kind: not an offset kind (ccer,"),
            "{}",
            msgs[2]
        );
        assert!(
            msgs[3].starts_with("surrenders.csv:7: origin: no origin"),
            "{}",
            msgs[3]
        );
        assert!(
            msgs[4]
                .starts_with("surrenders.csv:8: tonnes: must be a number of tonnes, zero or more"),
            "{}",
            msgs[4]
        );
    }
}
