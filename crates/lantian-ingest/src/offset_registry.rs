//! Offset registries' listings, as CarbonPlan's OffsetsDB harmonises them: Verra's projects and
//! transactions (`verra_projects.csv`, `verra_transactions.csv`) and Gold Standard's projects,
//! issuances and retirements (`gold-standard_*.csv`). Each transaction row is a batch of credits
//! (one serial range) with its vintage, quantity and, once retired or cancelled, the date.
//!
//! A row that cannot be read is reported with file, line and field and kept out of the batches;
//! quantities published with thousands separators (`"1,454,054"`) are read as numbers.

use crate::eu_ets::Problem;
use lantian_carbon::{CreditBatch, CreditStatus, OffsetKind};
use std::path::Path;

/// A project as a registry lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub kind: OffsetKind,
    pub id: String,
    pub name: String,
    pub country: String,
    pub project_type: String,
    pub status: String,
}

/// What was read from a registry folder.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    pub projects: Vec<Project>,
    pub batches: Vec<CreditBatch>,
    /// The files read, with their rows.
    pub files: Vec<(String, usize)>,
    pub problems: Vec<Problem>,
}

/// A reader of one registry file: (file name, text, what was read so far).
type Reader = fn(&str, &str, &mut Listing);

/// The registry files this module reads, each with its reader.
const READERS: [(&str, Reader); 5] = [
    ("verra_projects.csv", verra_projects),
    ("verra_transactions.csv", verra_transactions),
    ("gold-standard_projects.csv", gs_projects),
    ("gold-standard_issuances.csv", gs_issuances),
    ("gold-standard_retirements.csv", gs_retirements),
];

/// Read one registry file's text into `out`, by its name; `false` for a name it does not know.
pub fn parse_file(file: &str, text: &str, out: &mut Listing) -> bool {
    let Some((_, read)) = READERS.iter().find(|(name, _)| *name == file) else {
        return false;
    };
    let before = out.batches.len() + out.projects.len();
    read(file, text, out);
    out.files.push((
        file.to_string(),
        out.batches.len() + out.projects.len() - before,
    ));
    true
}

/// Read every registry file of the folder that is there (at least one must be).
pub fn read_listing(dir: &Path) -> Result<Listing, String> {
    let mut out = Listing::default();
    for (file, _) in READERS {
        let path = dir.join(file);
        if !path.is_file() {
            continue;
        }
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        parse_file(file, &text, &mut out);
    }
    if out.files.is_empty() {
        return Err(format!(
            "{}: no registry file (verra_projects.csv, verra_transactions.csv, gold-standard_projects.csv, \
             gold-standard_issuances.csv, gold-standard_retirements.csv)",
            dir.display()
        ));
    }
    Ok(out)
}

/// The rows of a CSV text as (line, field getter); a missing column is one problem for the file.
fn rows(
    file: &str,
    text: &str,
    needed: &[&str],
    problems: &mut Vec<Problem>,
) -> Vec<(u64, Vec<(String, String)>)> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut line_of = crate::text::LineOf::new(text);
    let header: Vec<String> = match rdr.headers() {
        Ok(h) => h
            .iter()
            .map(|s| s.trim_start_matches('\u{feff}').to_string())
            .collect(),
        Err(e) => {
            problems.push(problem(file, 1, "header", "", &e.to_string()));
            return Vec::new();
        }
    };
    let missing: Vec<&str> = needed
        .iter()
        .copied()
        .filter(|n| !header.iter().any(|h| h == n))
        .collect();
    if !missing.is_empty() {
        problems.push(problem(
            file,
            1,
            "header",
            &header.join(","),
            &format!("columns missing: {}", missing.join(", ")),
        ));
        return Vec::new();
    }
    let mut out = Vec::new();
    for rec in rdr.records() {
        match rec {
            Ok(r) => {
                let line = r.position().map_or(0, |p| line_of.of(p));
                if r.len() != header.len() {
                    problems.push(problem(
                        file,
                        line,
                        "row",
                        &r.iter().collect::<Vec<_>>().join(","),
                        &format!(
                            "{} fields where the header has {}; the row is not read",
                            r.len(),
                            header.len()
                        ),
                    ));
                    continue;
                }
                out.push((
                    line,
                    header
                        .iter()
                        .cloned()
                        .zip(r.iter().map(str::to_string))
                        .collect(),
                ));
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| line_of.of(p));
                problems.push(problem(file, line, "row", "", &e.to_string()));
            }
        }
    }
    out
}

fn problem(file: &str, line: u64, field: &str, value: &str, message: &str) -> Problem {
    Problem::new(file, line, field, value, message)
}

fn get<'a>(row: &'a [(String, String)], name: &str) -> &'a str {
    row.iter()
        .find(|(h, _)| h == name)
        .map_or("", |(_, v)| v.trim())
}

fn opt(v: &str) -> Option<String> {
    (!v.is_empty()).then(|| v.to_string())
}

/// A quantity: digits with optional thousands separators, zero or more.
fn quantity(v: &str) -> Option<f64> {
    let q: f64 = v.replace(',', "").parse().ok()?;
    (q.is_finite() && q >= 0.0).then_some(q)
}

/// The year of a date (`2020-12-31`) or a bare year (`2024`).
fn year_of(v: &str) -> Option<i32> {
    let y: i32 = v.get(..4)?.parse().ok()?;
    (1990..=2100).contains(&y).then_some(y)
}

struct Batch<'a> {
    kind: OffsetKind,
    id: &'a str,
    name: &'a str,
    country: &'a str,
    project_type: &'a str,
    vintage: (&'a str, &'a str),
    quantity: &'a str,
    serial: &'a str,
    status: CreditStatus,
    status_date: &'a str,
    beneficiary: &'a str,
}

fn push_batch(file: &str, line: u64, b: Batch<'_>, out: &mut Listing) {
    let (Some(first), Some(last)) = (year_of(b.vintage.0), year_of(b.vintage.1)) else {
        out.problems.push(problem(
            file,
            line,
            "vintage",
            b.vintage.0,
            "not a year or a date; the batch is not read",
        ));
        return;
    };
    let Some(q) = quantity(b.quantity) else {
        out.problems.push(problem(
            file,
            line,
            "quantity",
            b.quantity,
            "not a number of credits, zero or more; the batch is not read",
        ));
        return;
    };
    out.batches.push(CreditBatch {
        kind: b.kind,
        project_id: b.id.to_string(),
        project_name: b.name.to_string(),
        country: b.country.to_string(),
        project_type: b.project_type.to_string(),
        vintage_first: first,
        vintage_last: last,
        quantity: q,
        serial: b.serial.to_string(),
        status: b.status,
        status_date: opt(b.status_date),
        beneficiary: opt(b.beneficiary),
    });
}

fn verra_projects(file: &str, text: &str, out: &mut Listing) {
    for (_, r) in rows(
        file,
        text,
        &["ID", "Name", "Project Type", "Status", "Country/Area"],
        &mut out.problems,
    ) {
        out.projects.push(Project {
            kind: OffsetKind::Verra,
            id: get(&r, "ID").into(),
            name: get(&r, "Name").into(),
            country: get(&r, "Country/Area").into(),
            project_type: get(&r, "Project Type").into(),
            status: get(&r, "Status").into(),
        });
    }
}

fn verra_transactions(file: &str, text: &str, out: &mut Listing) {
    let needed = [
        "ID",
        "Name",
        "Country/Area",
        "Project Type",
        "Vintage Start",
        "Vintage End",
        "Quantity Issued",
        "Serial Number",
        "Retirement/Cancellation Date",
    ];
    for (line, r) in rows(file, text, &needed, &mut out.problems) {
        let retired = get(&r, "Retirement/Cancellation Date");
        push_batch(
            file,
            line,
            Batch {
                kind: OffsetKind::Verra,
                id: get(&r, "ID"),
                name: get(&r, "Name"),
                country: get(&r, "Country/Area"),
                project_type: get(&r, "Project Type"),
                vintage: (get(&r, "Vintage Start"), get(&r, "Vintage End")),
                quantity: get(&r, "Quantity Issued"),
                serial: get(&r, "Serial Number"),
                // Verra's export does not tell a retirement from a cancellation.
                status: if retired.is_empty() {
                    CreditStatus::Issued
                } else {
                    CreditStatus::Retired
                },
                status_date: retired,
                beneficiary: get(&r, "Retirement Beneficiary"),
            },
            out,
        );
    }
}

fn gs_projects(file: &str, text: &str, out: &mut Listing) {
    for (_, r) in rows(
        file,
        text,
        &["GSID", "Project Name", "Status", "Project Type", "Country"],
        &mut out.problems,
    ) {
        out.projects.push(Project {
            kind: OffsetKind::GoldStandard,
            id: get(&r, "GSID").into(),
            name: get(&r, "Project Name").into(),
            country: get(&r, "Country").into(),
            project_type: get(&r, "Project Type").into(),
            status: get(&r, "Status").into(),
        });
    }
}

/// Gold Standard lists CDM credits it labels (`Product Type` CER) beside its own VERs.
fn gs_kind(product: &str) -> OffsetKind {
    if product == "CER" {
        OffsetKind::Cer
    } else {
        OffsetKind::GoldStandard
    }
}

fn gs_status(file: &str, line: u64, v: &str, problems: &mut Vec<Problem>) -> Option<CreditStatus> {
    match v {
        "Issued" => Some(CreditStatus::Issued),
        "Retired" => Some(CreditStatus::Retired),
        "Canceled" | "Cancelled" => Some(CreditStatus::Cancelled),
        _ => {
            problems.push(problem(
                file,
                line,
                "Credit Status",
                v,
                "not Issued, Retired or Canceled; the batch is not read",
            ));
            None
        }
    }
}

/// Gold Standard's issuances and retirements share a layout; retirements add the date and the
/// entity the credits were retired for.
fn gs_batches(file: &str, text: &str, out: &mut Listing, retirements: bool) {
    let mut needed = vec![
        "Vintage",
        "Credit Status",
        "Quantity",
        "GSID",
        "Project Name",
        "Country",
        "Project Type",
        "Product Type",
        "Serial Number",
    ];
    if retirements {
        needed.push("Retirement Date");
    }
    for (line, r) in rows(file, text, &needed, &mut out.problems) {
        let Some(status) = gs_status(file, line, get(&r, "Credit Status"), &mut out.problems)
        else {
            continue;
        };
        let (status_date, beneficiary) = if retirements {
            (get(&r, "Retirement Date"), get(&r, "Using Entity"))
        } else {
            ("", "")
        };
        push_batch(
            file,
            line,
            Batch {
                kind: gs_kind(get(&r, "Product Type")),
                id: get(&r, "GSID"),
                name: get(&r, "Project Name"),
                country: get(&r, "Country"),
                project_type: get(&r, "Project Type"),
                vintage: (get(&r, "Vintage"), get(&r, "Vintage")),
                quantity: get(&r, "Quantity"),
                serial: get(&r, "Serial Number"),
                status,
                status_date,
                beneficiary,
            },
            out,
        );
    }
}

fn gs_issuances(file: &str, text: &str, out: &mut Listing) {
    gs_batches(file, text, out, false);
}

fn gs_retirements(file: &str, text: &str, out: &mut Listing) {
    gs_batches(file, text, out, true);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verra_batches_with_separators_and_retirements() {
        let mut l = Listing::default();
        let text = "ID,Name,Country/Area,Project Type,Vintage Start,Vintage End,Quantity Issued,Serial Number,Retirement/Cancellation Date,Retirement Beneficiary\n\
            3005,Tongxu Biogas,China,Waste,2022-01-01,2022-10-31,\"1,454\",S1,2026-04-09,Someone\n\
            1340,Bale,Ethiopia,AFOLU,2020-01-01,2020-12-31,425,S2,,\n\
            1,Bad,X,Y,20xx-01-01,2020-12-31,5,S3,,\n\
            2,Bad,X,Y,2020-01-01,2020-12-31,-5,S4,,\n";
        verra_transactions("verra_transactions.csv", text, &mut l);
        assert_eq!(l.batches.len(), 2);
        let b = &l.batches[0];
        assert_eq!(
            (b.quantity, b.vintage_first, b.vintage_last),
            (1454.0, 2022, 2022)
        );
        assert_eq!(
            (b.status, b.status_date.as_deref()),
            (CreditStatus::Retired, Some("2026-04-09"))
        );
        assert_eq!(l.batches[1].status, CreditStatus::Issued);
        let msgs: Vec<String> = l.problems.iter().map(|p| p.to_string()).collect();
        assert!(
            msgs[0].starts_with("verra_transactions.csv:4: vintage: not a year"),
            "{}",
            msgs[0]
        );
        assert!(
            msgs[1].starts_with("verra_transactions.csv:5: quantity:"),
            "{}",
            msgs[1]
        );
    }

    #[test]
    fn gold_standard_kinds_statuses_and_missing_columns() {
        let mut l = Listing::default();
        let text = "Vintage,Credit Status,Quantity,GSID,Project Name,Country,Project Type,Product Type,Serial Number,Retirement Date,Using Entity\n\
            2023,Retired,10,7566,W,Madagascar,EE,VER,G1,2026-02-06,Hilti\n\
            2022,Canceled,3,7,W,India,PV,CER,G2,,\n\
            2022,Lost,3,7,W,India,PV,VER,G3,,\n";
        gs_retirements("gold-standard_retirements.csv", text, &mut l);
        assert_eq!(l.batches.len(), 2);
        assert_eq!(l.batches[0].beneficiary.as_deref(), Some("Hilti"));
        assert_eq!(
            (l.batches[1].kind, l.batches[1].status),
            (OffsetKind::Cer, CreditStatus::Cancelled)
        );
        assert!(
            l.problems[0]
                .to_string()
                .contains(":4: Credit Status: not Issued")
        );
        let mut l = Listing::default();
        gs_issuances(
            "gold-standard_issuances.csv",
            "Vintage,Quantity\n2020,1\n",
            &mut l,
        );
        assert!(
            l.problems[0]
                .message
                .starts_with("columns missing: Credit Status, GSID"),
            "{}",
            l.problems[0]
        );
    }
}
