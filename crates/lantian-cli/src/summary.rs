//! The end-of-ingest summary: what was read, skipped and why.

use lantian_ingest::{DiagnosticKind, FileStatus};
use lantian_model::Registry;
use lantian_store::ingest::IngestSummary;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

const EXAMPLES: usize = 3;

pub fn print(
    s: &IngestSummary,
    reg: &Registry,
    verbose: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    writeln!(out, "== Ingest summary")?;
    writeln!(
        out,
        "files: {} read, {} rejected, {} unchanged since last ingest (not read again); {} commits",
        s.files_read(),
        s.files_rejected(),
        s.files_skipped_unchanged(),
        s.commits
    )?;
    let values_read: u64 = s
        .files
        .iter()
        .filter(|f| !f.skipped_unchanged)
        .map(|f| f.report.values)
        .sum();
    writeln!(
        out,
        "values: {values_read} read; {} new, {} revised (previous value kept as an earlier revision), {} unchanged, {} withdrawn",
        s.values_new, s.values_revised, s.values_unchanged, s.values_withdrawn
    )?;
    // Rejected files, grouped by reason.
    let mut rejected: BTreeMap<&str, Vec<(String, String)>> = BTreeMap::new();
    for f in s.files.iter().filter(|f| !f.skipped_unchanged) {
        if let FileStatus::Rejected(r) = &f.report.status {
            rejected
                .entry(r.code())
                .or_default()
                .push((f.report.file.clone(), r.to_string()));
        }
    }
    if !rejected.is_empty() {
        writeln!(out, "\nrejected files (nothing stored from them):")?;
        for (code, files) in &rejected {
            writeln!(out, "  {code}: {} files", files.len())?;
            let n = if verbose {
                files.len()
            } else {
                EXAMPLES.min(files.len())
            };
            for (f, why) in &files[..n] {
                writeln!(out, "    {f}: {why}")?;
            }
            if files.len() > n {
                writeln!(
                    out,
                    "    ... and {} more (--verbose lists all)",
                    files.len() - n
                )?;
            }
        }
    }
    // Diagnostics, grouped by kind.
    let mut by_kind: BTreeMap<DiagnosticKind, Vec<String>> = BTreeMap::new();
    for f in s.files.iter().filter(|f| !f.skipped_unchanged) {
        for d in &f.report.diagnostics {
            by_kind.entry(d.kind).or_default().push(d.to_string());
        }
    }
    if !by_kind.is_empty() {
        writeln!(out, "\nnoticed while reading:")?;
        for (kind, msgs) in &by_kind {
            let effect = if kind.skips_value() {
                "value(s) not stored"
            } else {
                "values kept"
            };
            writeln!(out, "  {kind}: {} ({effect})", msgs.len())?;
            let n = if verbose {
                msgs.len()
            } else {
                EXAMPLES.min(msgs.len())
            };
            for m in &msgs[..n] {
                writeln!(out, "    {m}")?;
            }
            if msgs.len() > n {
                writeln!(
                    out,
                    "    ... and {} more (--verbose lists all)",
                    msgs.len() - n
                )?;
            }
        }
    }
    // Stations the registry does not know: ingested, and said.
    let mut unknown: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in s.files.iter().filter(|f| !f.skipped_unchanged) {
        let fmt = f
            .report
            .format
            .map(|x| x.code().to_string())
            .unwrap_or_default();
        for st in &f.report.stations {
            if reg.get(st).is_none() && reg.by_national_code(st).is_none() {
                unknown.entry(fmt.clone()).or_default().insert(st.clone());
            }
        }
    }
    if !unknown.is_empty() {
        writeln!(
            out,
            "\nstations not in the registry (their values were ingested; add them with --registry FILE):"
        )?;
        for (fmt, sts) in &unknown {
            let list: Vec<&str> = sts
                .iter()
                .map(String::as_str)
                .take(if verbose { usize::MAX } else { 12 })
                .collect();
            let more = if sts.len() > list.len() {
                format!(", ... ({} in all)", sts.len())
            } else {
                String::new()
            };
            writeln!(out, "  {fmt}: {}{more}", list.join(", "))?;
        }
    }
    Ok(())
}
