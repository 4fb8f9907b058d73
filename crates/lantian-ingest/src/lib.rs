//! # lantian-ingest: reading real monitoring archives without losing a value
//!
//! Real archives are messy: the Beijing files of 2014–2024 include empty files, HTML error
//! pages saved as `.csv`, a header re-saved through the wrong encoding, rows out of hour order,
//! and several station generations. This crate turns any supported file into
//! [`Observation`]s plus a [`FileReport`] that says, with file, line and field, everything it
//! noticed. A problem in one row never stops the rest of the file; a problem with the whole file
//! (not data, unreadable) rejects that file with a specific [`RejectReason`], never silently.
//!
//! Supported formats ([`Format`]):
//! - quotsoft/BJMEMC Beijing daily files `beijing_all_YYYYMMDD.csv`, `beijing_extra_YYYYMMDD.csv`
//!   (both station generations), and CNEMC national files `china_sites_YYYYMMDD.csv`:
//!   `date,hour,type,<stations...>`, hour-ending Beijing time;
//! - UCI "Beijing Multi-Site Air-Quality Data" (`PRSA_Data_<site>_20130301-20170228.csv`,
//!   CO converted from µg/m³ to mg/m³);
//! - UCI "Beijing PM2.5 Data" (US Embassy, `PRSA_data_2010.1.1-2014.12.31.csv`);
//! - AQEval's example data (`aq_data.csv.gz`, UTC, hour-beginning);
//! - the generic long CSV `station,time,pollutant,value[,unit][,averaging]` (see [`long`]);
//! - Parquet with the same long columns (feature `parquet`, on by default).
//!
//! Values are checked, never altered: a negative concentration is kept and flagged `bad`, a
//! concentration above the plausibility bound of its pollutant is kept and flagged `doubtful`
//! (see [`lantian_model::Pollutant::implausible_above`]).
//!
//! ```
//! use lantian_ingest::read_bytes;
//! let csv = "date,hour,type,东城东四,东城天坛\n20230101,0,PM2.5,12,\n20230101,0,CO,0.4,-1\n";
//! let out = read_bytes("beijing_all_20230101.csv", csv.as_bytes());
//! assert_eq!(out.observations.len(), 3);
//! assert_eq!(out.report.count(lantian_ingest::DiagnosticKind::Negative), 1);
//! ```

pub mod campaigns;
pub mod carbon_books;
pub mod detect;
pub mod diagnostic;
pub mod eu_ets;
pub mod long;
pub mod offset_registry;
mod parse;
pub mod quotsoft;
pub mod soil;
mod text;
pub mod uci;
pub mod water;

#[cfg(feature = "parquet")]
pub mod parquet_long;

pub use detect::{Format, RejectReason};
pub use diagnostic::{Diagnostic, DiagnosticKind, FileReport, FileStatus};
use lantian_model::{Observation, ObservationColumns};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
/// The line a CSV record starts on as an editor numbers it, which every reader reports.
pub use text::LineOf;

/// The result of reading one file.
#[derive(Debug, Clone)]
pub struct ReadOutput {
    pub observations: Vec<Observation>,
    pub report: FileReport,
}

/// The result of reading one file, in columns (what the store writes; see
/// [`ObservationColumns`]).
#[derive(Debug, Clone)]
pub struct ReadColumns {
    pub columns: ObservationColumns,
    pub report: FileReport,
}

impl From<ReadColumns> for ReadOutput {
    fn from(r: ReadColumns) -> ReadOutput {
        ReadOutput {
            observations: r.columns.into_observations(),
            report: r.report,
        }
    }
}

/// Read a file from disk.
pub fn read_file(path: &Path) -> ReadOutput {
    read_file_columns(path).into()
}

/// Read a file from disk into columns.
pub fn read_file_columns(path: &Path) -> ReadColumns {
    let name = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => read_bytes_columns(&name, &bytes),
        Err(e) => ReadColumns {
            columns: ObservationColumns::default(),
            report: FileReport::rejected(
                &name,
                0,
                String::new(),
                RejectReason::Unreadable(e.to_string()),
            ),
        },
    }
}

/// Read a file's bytes; `name` is the file's path or name (the format is recognised from the
/// name and the content).
pub fn read_bytes(name: &str, bytes: &[u8]) -> ReadOutput {
    read_bytes_columns(name, bytes).into()
}

/// [`read_bytes`] into columns. Values are sorted by (station, variable, averaging, time), a
/// repeated key is stored once and reported (`parse::check_keys`).
pub fn read_bytes_columns(name: &str, bytes: &[u8]) -> ReadColumns {
    let sha256 = hex::encode(Sha256::digest(bytes));
    let detected = detect::detect(name, bytes);
    let (format, text, mut pre) = match detected {
        Ok(d) => (d.format, d.text, d.diagnostics),
        Err(reason) => {
            return ReadColumns {
                columns: ObservationColumns::default(),
                report: FileReport::rejected(name, bytes.len() as u64, sha256, reason),
            };
        }
    };
    let mut report = FileReport::new(name, bytes.len() as u64, sha256, format);
    report.diagnostics.append(&mut pre);
    let observations = match format {
        // The daily grids are read into columns directly, already checked.
        Format::Bjmemc | Format::Cnemc => {
            let columns = quotsoft::read(name, &text, format, &mut report);
            return finish(columns, report);
        }
        Format::UciMultisite => uci::read_multisite(name, &text, &mut report),
        Format::UciEmbassy => uci::read_embassy(name, &text, &mut report),
        Format::Aqeval => uci::read_aqeval(name, &text, &mut report),
        Format::Long => long::read(name, &text, &mut report),
        #[cfg(feature = "parquet")]
        Format::Parquet => parquet_long::read(name, bytes, &mut report),
        #[cfg(not(feature = "parquet"))]
        Format::Parquet => {
            return ReadColumns {
                columns: ObservationColumns::default(),
                report: FileReport::rejected(
                    name,
                    bytes.len() as u64,
                    report.sha256,
                    RejectReason::Unsupported(
                        "Parquet input needs the `parquet` feature of lantian-ingest".into(),
                    ),
                ),
            };
        }
    };
    let observations = parse::check_keys(observations, &mut report);
    finish(ObservationColumns::from_observations(observations), report)
}

fn finish(columns: ObservationColumns, mut report: FileReport) -> ReadColumns {
    if let FileStatus::Read = report.status {
        report.values = columns.len() as u64;
    }
    ReadColumns { columns, report }
}

/// Expand files and folders (recursively) into a sorted list of files. Hidden files and
/// folders (name starting with `.`) are skipped.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, std::io::Error> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p)
            .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", p.display())))?;
        if meta.is_file() {
            out.push(p.clone());
            continue;
        }
        for entry in walkdir::WalkDir::new(p)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        {
            let entry = entry.map_err(std::io::Error::other)?;
            if entry.file_type().is_file() {
                out.push(entry.into_path());
            }
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}
