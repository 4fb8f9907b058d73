//! The EU Transaction Log's installation panel: installations, and wide yearly tables of verified
//! emissions, allocated allowances, units surrendered and compliance letters keyed by
//! `account_id` (the layout of the ETS-Watch export: `account_id,2005,2006,…`).
//!
//! Every cell is kept or reported. "Not Reported" and "Excluded" are states of the emissions, not
//! numbers. A cell that cannot be read (a negative or non-numeric figure, an unknown letter) is
//! reported with file, line and field and its text kept in the report; a row whose `account_id`
//! is not in `installations.csv` is reported, not joined to anything.

use lantian_carbon::eu_letters::{Installation, Letter, PanelYear};
use lantian_carbon::{Emissions, EmissionsError};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

/// The five files of the panel.
pub const FILES: [&str; 5] = [
    "installations.csv",
    "verified_emissions.csv",
    "allocated_allowances.csv",
    "units_surrendered.csv",
    "compliance_code.csv",
];

/// A yearly allocation cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Allocation {
    Amount(f64),
    /// Several figures in one cell, each but the first followed by a marker
    /// (`299124  1831  ****  111100  *****`, from 2013 on). The export carries no legend; the
    /// panel itself says what `****` is: it appears only in the eight member states that used
    /// the transitional free allocation to power generation of Directive 2003/87/EC Art. 10c
    /// (PL, CZ, BG, RO, LT, EE, CY, HU). `*****` appears in every state (believed: allocation
    /// from the new-entrant reserve; not confirmed). The parts are kept as published; no total
    /// is made of them.
    Composite(Vec<AllocationPart>),
}

/// One figure of a composite allocation cell.
#[derive(Debug, Clone, PartialEq)]
pub struct AllocationPart {
    pub allowances: f64,
    pub marker: Option<String>,
}

/// What an installation is, beside its figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Details {
    pub installation_id: String,
    pub name: String,
    pub country: String,
    pub main_activity: String,
}

/// One cell or row the reader could not take, with where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub file: String,
    /// 1-based line in the file.
    pub line: u64,
    pub field: String,
    /// The cell as published.
    pub value: String,
    pub message: String,
    /// Whether the value was kept (flagged, so statistics leave it out) rather than not read:
    /// a note, not a loss.
    pub kept: bool,
}

impl Problem {
    /// The same problem about a value that was kept and flagged.
    pub fn kept(mut self) -> Problem {
        self.kept = true;
        self
    }

    /// A problem at `file:line` in `field`. The cell is quoted in part and the message cut at
    /// 1,000 characters: a cell can be megabytes, and a message can quote it.
    pub fn new(
        file: &str,
        line: u64,
        field: &str,
        value: &str,
        message: impl Into<String>,
    ) -> Problem {
        use lantian_model::text::{EXCERPT_CHARS, shorten};
        let message = message.into();
        Problem {
            file: file.into(),
            line,
            field: shorten(field, EXCERPT_CHARS).into_owned(),
            value: shorten(value, EXCERPT_CHARS).into_owned(),
            message: shorten(&message, 1000).into_owned(),
            kept: false,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {} (\"{}\")",
            self.file, self.line, self.field, self.message, self.value
        )
    }
}

/// The panel as read.
#[derive(Debug, Clone, Default)]
pub struct Panel {
    /// In the order of `installations.csv`, each with every year of the yearly tables.
    pub installations: Vec<Installation>,
    pub details: HashMap<String, Details>,
    pub allocation: HashMap<(String, i32), Allocation>,
    pub years: Vec<i32>,
    pub problems: Vec<Problem>,
}

/// Why the panel cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum PanelError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{file}: line 1: the header must start with account_id, then one column per year (found \"{found}\")"
    )]
    Header { file: String, found: String },
    #[error("{file}: line {line}: {message}")]
    Csv {
        file: String,
        line: u64,
        message: String,
    },
}

/// A wide yearly table: account id → (line, cells by year).
struct Wide {
    years: Vec<i32>,
    rows: Vec<(u64, String, Vec<String>)>,
}

fn read_text(dir: &Path, file: &str) -> Result<String, PanelError> {
    let path = dir.join(file);
    std::fs::read_to_string(&path).map_err(|source| PanelError::Io { path, source })
}

/// A CSV error of `file`, at its line (1: the header, when the error has no position).
fn csv_error(file: &str, e: csv::Error, lines: &mut crate::text::LineOf<'_>) -> PanelError {
    PanelError::Csv {
        file: file.into(),
        line: e.position().map_or(1, |p| lines.of(p)),
        message: e.to_string(),
    }
}

fn csv_reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes())
}

fn parse_wide(file: &str, text: &str, problems: &mut Vec<Problem>) -> Result<Wide, PanelError> {
    let mut rdr = csv_reader(text);
    let mut line_of = crate::text::LineOf::new(text);
    let header = rdr
        .headers()
        .map_err(|e| csv_error(file, e, &mut line_of))?
        .clone();
    let bad_header = || PanelError::Header {
        file: file.into(),
        found: header.iter().collect::<Vec<_>>().join(","),
    };
    if header.get(0).map(|h| h.trim_start_matches('\u{feff}')) != Some("account_id")
        || header.len() < 2
    {
        return Err(bad_header());
    }
    let years: Vec<i32> = header
        .iter()
        .skip(1)
        .map(|h| h.trim().parse::<i32>())
        .collect::<Result<_, _>>()
        .map_err(|_| bad_header())?;
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| csv_error(file, e, &mut line_of))?;
        let line = rec.position().map_or(0, |p| line_of.of(p));
        if rec.len() != header.len() {
            problems.push(Problem::new(
                file,
                line,
                "row",
                &rec.iter().collect::<Vec<_>>().join(","),
                format!(
                    "{} fields where the header has {}; the row is not read",
                    rec.len(),
                    header.len()
                ),
            ));
            continue;
        }
        let cells = rec.iter().skip(1).map(str::to_string).collect();
        rows.push((line, rec[0].trim().to_string(), cells));
    }
    Ok(Wide { years, rows })
}

fn parse_allocation(cell: &str) -> Result<Option<Allocation>, String> {
    let t = cell.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if let Ok(v) = t.parse::<f64>() {
        return if v.is_finite() && v >= 0.0 {
            Ok(Some(Allocation::Amount(v)))
        } else {
            Err("an allocation is a number of allowances, zero or more".into())
        };
    }
    let mut parts: Vec<AllocationPart> = Vec::new();
    for w in t.split_whitespace() {
        if w.chars().all(|c| c == '*') {
            match parts.last_mut() {
                Some(p) if p.marker.is_none() => p.marker = Some(w.to_string()),
                _ => return Err("a marker that follows no figure".into()),
            }
            continue;
        }
        match w.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => parts.push(AllocationPart {
                allowances: v,
                marker: None,
            }),
            _ => {
                return Err("neither a number of allowances nor figures with their markers".into());
            }
        }
    }
    Ok(Some(Allocation::Composite(parts)))
}

/// Read the panel from its folder.
pub fn read_panel(dir: &Path) -> Result<Panel, PanelError> {
    let texts: Vec<String> = FILES
        .iter()
        .map(|f| read_text(dir, f))
        .collect::<Result<_, _>>()?;
    parse_panel(&texts[0], &texts[1], &texts[2], &texts[3], &texts[4])
}

/// Read the panel from the texts of its five files (in the order of [`FILES`]).
pub fn parse_panel(
    installations: &str,
    emissions: &str,
    allocation: &str,
    surrendered: &str,
    letters: &str,
) -> Result<Panel, PanelError> {
    let mut panel = Panel::default();
    let mut order = Vec::new();
    let mut rdr = csv_reader(installations);
    let mut line_of = crate::text::LineOf::new(installations);
    let file = FILES[0];
    let header = rdr
        .headers()
        .map_err(|e| csv_error(file, e, &mut line_of))?
        .clone();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
    };
    let (Some(acc), Some(iid), Some(name), Some(country), Some(activity)) = (
        col("account_id"),
        col("installation_id"),
        col("installation_name"),
        col("country"),
        col("main_activity"),
    ) else {
        return Err(PanelError::Header {
            file: file.into(),
            found: header.iter().collect::<Vec<_>>().join(","),
        });
    };
    for rec in rdr.records() {
        let rec = rec.map_err(|e| csv_error(file, e, &mut line_of))?;
        let line = rec.position().map_or(0, |p| line_of.of(p));
        let get = |i: usize| rec.get(i).unwrap_or("").trim().to_string();
        let id = get(acc);
        if id.is_empty() || panel.details.contains_key(&id) {
            panel.problems.push(Problem::new(
                file,
                line,
                "account_id",
                &id,
                if id.is_empty() {
                    "no account id; the row is not read"
                } else {
                    "account id already listed; the first row is kept"
                },
            ));
            continue;
        }
        panel.details.insert(
            id.clone(),
            Details {
                installation_id: get(iid),
                name: get(name),
                country: get(country),
                main_activity: get(activity),
            },
        );
        order.push(id);
    }

    let mut tables = Vec::new();
    for (file, text) in [
        (FILES[1], emissions),
        (FILES[2], allocation),
        (FILES[3], surrendered),
        (FILES[4], letters),
    ] {
        tables.push((file, parse_wide(file, text, &mut panel.problems)?));
    }
    let years = tables[0].1.years.clone();
    if let Some((file, t)) = tables.iter().find(|(_, t)| t.years != years) {
        return Err(PanelError::Header {
            file: (*file).into(),
            found: format!("years {:?}, where {} has {:?}", t.years, FILES[1], years),
        });
    }
    panel.years = years.clone();
    // Per installation and year: emissions, surrendered, letter.
    let blank = || PanelYear {
        year: 0,
        emissions: Emissions::Missing,
        surrendered_t: None,
        letter: None,
    };
    let mut figures: BTreeMap<&str, Vec<PanelYear>> = BTreeMap::new();
    for id in &order {
        figures.insert(
            id.as_str(),
            years
                .iter()
                .map(|&year| PanelYear { year, ..blank() })
                .collect(),
        );
    }
    for (k, (file, table)) in tables.iter().enumerate() {
        let mut seen = HashMap::new();
        for (line, id, cells) in &table.rows {
            let problem = |field: String, value: &str, message: String| {
                Problem::new(file, *line, &field, value, message)
            };
            if let Some(first) = seen.insert(id.clone(), *line) {
                panel.problems.push(problem(
                    "account_id".into(),
                    id,
                    format!("the installation's row is repeated (first on line {first}); the first is kept"),
                ));
                seen.insert(id.clone(), first);
                continue;
            }
            let Some(row) = figures.get_mut(id.as_str()) else {
                panel.problems.push(problem(
                    "account_id".into(),
                    id,
                    "unknown installation: not in installations.csv; the row is not joined".into(),
                ));
                continue;
            };
            for (j, cell) in cells.iter().enumerate() {
                let year = years[j];
                let field = year.to_string();
                match k {
                    0 => {
                        match Emissions::parse(cell) {
                            Ok(e) => row[j].emissions = e,
                            Err(e) => {
                                let why = match e {
                                EmissionsError::Negative(_) => "negative verified emissions; the year is left without a figure".to_string(),
                                other => format!("{other}; the year is left without a figure"),
                            };
                                panel.problems.push(problem(field, cell, why));
                            }
                        }
                    }
                    1 => match parse_allocation(cell) {
                        Ok(Some(a)) => {
                            panel.allocation.insert((id.clone(), year), a);
                        }
                        Ok(None) => {}
                        Err(m) => panel.problems.push(problem(field, cell, m)),
                    },
                    2 => {
                        let t = cell.trim();
                        if t.is_empty() {
                            continue;
                        }
                        match t.parse::<f64>() {
                            Ok(v) if v.is_finite() && v >= 0.0 => row[j].surrendered_t = Some(v),
                            _ => panel.problems.push(problem(
                                field,
                                cell,
                                "units surrendered must be a number, zero or more; the year is left without a surrender".into(),
                            )),
                        }
                    }
                    _ => match Letter::parse(cell) {
                        Ok(l) => row[j].letter = l,
                        Err(m) => panel.problems.push(problem(field, cell, m)),
                    },
                }
            }
        }
    }
    for id in &order {
        let d = &panel.details[id];
        let years = figures.remove(id.as_str()).unwrap_or_default();
        panel.installations.push(Installation {
            account_id: id.clone(),
            country: d.country.clone(),
            years,
        });
    }
    Ok(panel)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lantian_carbon::eu_letters::LetterCode;

    const INST: &str = "account_id,installation_id,installation_name,country,main_activity\n\
        1,10,Plant A,DE,20-Combustion of fuels\n2,20,\"Plant, B\",IT,21-Refining\n";

    fn wide(rows: &str) -> String {
        format!("account_id,2008,2009\n{rows}")
    }

    #[test]
    fn reads_states_letters_and_composite_allocation() {
        let p = parse_panel(
            INST,
            &wide("1,100,Not Reported\n2,Excluded,\n"),
            &wide("1,90,659284  129360  *****\n2,,\n"),
            &wide("1,100,\n2,,5\n"),
            &wide("1,A,C\n2,B*,\n"),
        )
        .unwrap();
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let a = &p.installations[0];
        assert_eq!((a.account_id.as_str(), a.country.as_str()), ("1", "DE"));
        assert_eq!(a.years[0].emissions, Emissions::Verified(100.0));
        assert_eq!(a.years[1].emissions, Emissions::NotReported);
        assert_eq!(a.years[1].letter.unwrap().code, LetterCode::C);
        let b = &p.installations[1];
        assert_eq!(b.years[0].emissions, Emissions::Excluded);
        assert_eq!(b.years[1].surrendered_t, Some(5.0));
        assert_eq!(b.years[0].letter.unwrap().to_string(), "B*");
        assert_eq!(p.details["2"].name, "Plant, B");
        let part = |allowances: f64, marker: Option<&str>| AllocationPart {
            allowances,
            marker: marker.map(str::to_string),
        };
        assert_eq!(
            p.allocation[&("1".to_string(), 2009)],
            Allocation::Composite(vec![part(659284.0, None), part(129360.0, Some("*****"))])
        );
        assert_eq!(
            parse_allocation("299124  1831  ****  111100  *****"),
            Ok(Some(Allocation::Composite(vec![
                part(299124.0, None),
                part(1831.0, Some("****")),
                part(111100.0, Some("*****"))
            ])))
        );
        assert!(parse_allocation("**** 5").is_err());
        assert!(parse_allocation("5 **** ****").is_err());
        assert!(parse_allocation("5 x").is_err());
        assert!(parse_allocation("-5").is_err());
    }

    #[test]
    fn bad_cells_and_unknown_units_are_named() {
        let p = parse_panel(
            INST,
            &wide("1,-5,abc\n3,1,1\n"),
            &wide("1,,\n"),
            &wide("1,x,\n"),
            &wide("1,Z,A\n1,A,A\n"),
        )
        .unwrap();
        let msgs: Vec<String> = p.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(msgs.len(), 6, "{msgs:#?}");
        assert!(
            msgs[0].starts_with("verified_emissions.csv:2: 2008: negative verified emissions"),
            "{}",
            msgs[0]
        );
        assert!(
            msgs[1].starts_with("verified_emissions.csv:2: 2009: \"abc\" is neither"),
            "{}",
            msgs[1]
        );
        assert!(
            msgs[2].starts_with("verified_emissions.csv:3: account_id: unknown installation"),
            "{}",
            msgs[2]
        );
        assert!(
            msgs[3].starts_with("units_surrendered.csv:2: 2008:"),
            "{}",
            msgs[3]
        );
        assert!(
            msgs[4].starts_with("compliance_code.csv:2: 2008: \"Z\" is not a compliance letter"),
            "{}",
            msgs[4]
        );
        assert!(msgs[5].contains("compliance_code.csv:3: account_id: the installation's row is repeated (first on line 2)"), "{}", msgs[5]);
        // The unreadable figures are left out of the books, not turned into zeros.
        assert_eq!(p.installations[0].years[0].emissions, Emissions::Missing);
        assert!(p.problems[0].value == "-5");
    }

    #[test]
    fn headers_are_checked() {
        let e = parse_panel(INST, "id,2008\n", &wide(""), &wide(""), &wide("")).unwrap_err();
        assert!(
            e.to_string().starts_with(
                "verified_emissions.csv: line 1: the header must start with account_id"
            ),
            "{e}"
        );
        let e =
            parse_panel(INST, &wide(""), "account_id,2008\n", &wide(""), &wide("")).unwrap_err();
        assert!(e.to_string().contains("allocated_allowances.csv"), "{e}");
        let e = parse_panel(
            "account_id,name\n",
            &wide(""),
            &wide(""),
            &wide(""),
            &wide(""),
        )
        .unwrap_err();
        assert!(
            e.to_string().starts_with("installations.csv: line 1"),
            "{e}"
        );
    }
}
