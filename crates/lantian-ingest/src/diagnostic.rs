//! What a reader noticed, with file, line and field.

use crate::detect::{Format, RejectReason};
use std::fmt;

/// The kind of a diagnostic. Kinds are stable identifiers used in summaries and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DiagnosticKind {
    /// The file was decoded from an encoding other than UTF-8 (e.g. GBK), or had a BOM.
    Encoding,
    /// A field is not a number; the value is skipped (there is nothing numeric to keep).
    BadNumber,
    /// A date or hour field cannot be read; the row is skipped.
    BadTime,
    /// A `type` row (e.g. `PM1`) that the reader does not know; the row is skipped.
    UnknownType,
    /// A row with a different number of fields than the header.
    RaggedRow,
    /// A value in a column whose header is empty (e.g. trailing empty columns); skipped.
    UnnamedColumn,
    /// The same station, variable and hour occur twice in one file; the first is kept.
    DuplicateHour,
    /// Rows are not in time order (harmless; reported once per file).
    OutOfOrder,
    /// A negative concentration, content or quantity: kept, flagged `bad`.
    Negative,
    /// A value outside its variable's plausible range, kept: a concentration above the
    /// pollutant's plausibility bound is flagged `doubtful`, a pH outside 0–14 `bad`.
    Implausible,
    /// A unit that had to be converted (e.g. UCI CO in µg/m³ to mg/m³).
    UnitConverted,
    /// A value with no numeric form, kept with an empty value and its reason (UCI "cv").
    NonNumeric,
    /// A unit or variable that cannot be understood or converted; the value is skipped.
    BadUnit,
}

impl DiagnosticKind {
    pub fn code(self) -> &'static str {
        match self {
            DiagnosticKind::Encoding => "encoding",
            DiagnosticKind::BadNumber => "bad-number",
            DiagnosticKind::BadTime => "bad-time",
            DiagnosticKind::UnknownType => "unknown-type",
            DiagnosticKind::RaggedRow => "ragged-row",
            DiagnosticKind::UnnamedColumn => "unnamed-column",
            DiagnosticKind::DuplicateHour => "duplicate-hour",
            DiagnosticKind::OutOfOrder => "out-of-order",
            DiagnosticKind::Negative => "negative",
            DiagnosticKind::Implausible => "implausible",
            DiagnosticKind::UnitConverted => "unit-converted",
            DiagnosticKind::NonNumeric => "non-numeric",
            DiagnosticKind::BadUnit => "bad-unit",
        }
    }

    /// Whether a value was skipped (not stored) because of this diagnostic.
    pub fn skips_value(self) -> bool {
        matches!(
            self,
            DiagnosticKind::BadNumber
                | DiagnosticKind::BadTime
                | DiagnosticKind::UnknownType
                | DiagnosticKind::UnnamedColumn
                | DiagnosticKind::DuplicateHour
                | DiagnosticKind::BadUnit
        )
    }
}

impl fmt::Display for DiagnosticKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One thing a reader noticed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub kind: DiagnosticKind,
    pub file: String,
    /// 1-based line, when the diagnostic is about a line.
    pub line: Option<u64>,
    /// The field (column name, or station and type) concerned.
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
        }
        if let Some(field) = &self.field {
            write!(f, " [{field}]")?;
        }
        write!(f, ": {}: {}", self.kind, self.message)
    }
}

pub use lantian_model::text::{EXCERPT_CHARS, excerpt};

/// Longest message a diagnostic keeps whole (the longest the readers write, a list of the known
/// water parameters, is about 700).
pub const MESSAGE_CHARS: usize = 1000;

/// Whether a file was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileStatus {
    Read,
    Rejected(RejectReason),
}

/// Everything about one file: what it was, what was read and what was noticed.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub file: String,
    pub bytes: u64,
    pub sha256: String,
    pub format: Option<Format>,
    pub status: FileStatus,
    /// Data rows read (lines after the header).
    pub rows: u64,
    /// Values produced.
    pub values: u64,
    /// Station identifiers seen in the file.
    pub stations: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

impl FileReport {
    pub fn new(file: &str, bytes: u64, sha256: String, format: Format) -> Self {
        FileReport {
            file: file.to_string(),
            bytes,
            sha256,
            format: Some(format),
            status: FileStatus::Read,
            rows: 0,
            values: 0,
            stations: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    pub fn rejected(file: &str, bytes: u64, sha256: String, reason: RejectReason) -> Self {
        FileReport {
            file: file.to_string(),
            bytes,
            sha256,
            format: None,
            status: FileStatus::Rejected(reason),
            rows: 0,
            values: 0,
            stations: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    pub(crate) fn push(
        &mut self,
        kind: DiagnosticKind,
        line: Option<u64>,
        field: Option<String>,
        message: String,
    ) {
        // A field is named by the file's header, which a hostile file can make megabytes long.
        let field = field.map(|f| {
            if f.chars().count() <= EXCERPT_CHARS {
                f
            } else {
                let head: String = f.chars().take(EXCERPT_CHARS).collect();
                format!("{head}…")
            }
        });
        // The last guard for messages built elsewhere (a model error quoting a whole field).
        let n = message.chars().count();
        let message = if n <= MESSAGE_CHARS {
            message
        } else {
            let head: String = message.chars().take(MESSAGE_CHARS).collect();
            format!("{head}… (cut at {MESSAGE_CHARS} of {n} characters)")
        };
        self.diagnostics.push(Diagnostic {
            kind,
            file: self.file.clone(),
            line,
            field,
            message,
        });
    }

    /// How many diagnostics of a kind.
    pub fn count(&self, kind: DiagnosticKind) -> usize {
        self.diagnostics.iter().filter(|d| d.kind == kind).count()
    }

    /// Values skipped (not stored) in this file.
    pub fn skipped_values(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.kind.skips_value())
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_field_is_quoted_in_part() {
        assert_eq!(excerpt("abc"), "\"abc\"");
        let forty = "9".repeat(40);
        assert_eq!(excerpt(&forty), format!("\"{forty}\""));
        let long = "1".repeat(3_000_000);
        assert_eq!(
            excerpt(&long),
            format!("\"{}\"… (3000000 characters)", "1".repeat(40))
        );
        // Characters, not bytes: a cut never splits a character.
        assert!(excerpt(&"北".repeat(50)).starts_with(&format!("\"{}\"…", "北".repeat(40))));
    }
}
