//! Recognising what a file is, decoding it, and rejecting what is not data.
//!
//! Checks, in order: gzip (decompressed, then recognised again), Parquet magic, extensions that
//! are never monitoring data (GeoJSON, Markdown, spreadsheets, R data files), empty files, HTML
//! error pages saved under a data name, the text encoding (UTF-8 with or without BOM, else GBK),
//! and finally the header line, which decides the [`Format`].

use crate::diagnostic::{Diagnostic, DiagnosticKind};
use std::fmt;
use std::io::Read;

/// A supported input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// BJMEMC Beijing daily files (`beijing_all_*`, `beijing_extra_*`).
    Bjmemc,
    /// CNEMC national daily files (`china_sites_*`).
    Cnemc,
    /// UCI Beijing multi-site.
    UciMultisite,
    /// UCI Beijing PM2.5 (US Embassy).
    UciEmbassy,
    /// AQEval example data.
    Aqeval,
    /// Generic long CSV.
    Long,
    /// Parquet with long columns.
    Parquet,
}

impl Format {
    pub fn code(self) -> &'static str {
        match self {
            Format::Bjmemc => "bjmemc-daily",
            Format::Cnemc => "cnemc-daily",
            Format::UciMultisite => "uci-multisite",
            Format::UciEmbassy => "uci-embassy",
            Format::Aqeval => "aqeval",
            Format::Long => "long-csv",
            Format::Parquet => "long-parquet",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Why a whole file was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RejectReason {
    /// Zero bytes, or only white space.
    Empty,
    /// An HTML page (typically a download error saved as `.csv`).
    Html { title: String },
    /// A file that is not monitoring data (documentation, boundaries, spreadsheets...).
    NotData(String),
    /// A header re-saved through the wrong encoding, beyond safe repair.
    MojibakeHeader {
        sample: String,
        header_fields: usize,
        row_fields: usize,
    },
    /// Text that is neither UTF-8 nor GBK.
    Undecodable { line: u64, detail: String },
    /// A header no reader recognises.
    UnknownFormat { header: String },
    /// A compressed or binary container that cannot be opened.
    Corrupt(String),
    /// The file could not be read from disk.
    Unreadable(String),
    /// A format this build cannot read.
    Unsupported(String),
}

impl RejectReason {
    /// A short stable code for summaries.
    pub fn code(&self) -> &'static str {
        match self {
            RejectReason::Empty => "empty",
            RejectReason::Html { .. } => "html",
            RejectReason::NotData(_) => "not-data",
            RejectReason::MojibakeHeader { .. } => "mojibake-header",
            RejectReason::Undecodable { .. } => "undecodable",
            RejectReason::UnknownFormat { .. } => "unknown-format",
            RejectReason::Corrupt(_) => "corrupt",
            RejectReason::Unreadable(_) => "unreadable",
            RejectReason::Unsupported(_) => "unsupported",
        }
    }
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RejectReason::Empty => write!(f, "empty file (no bytes or only white space)"),
            RejectReason::Html { title } => write!(
                f,
                "an HTML page, not data (a failed download saved as a data file?): {title:?}"
            ),
            RejectReason::NotData(why) => write!(f, "not monitoring data: {why}"),
            RejectReason::MojibakeHeader {
                sample,
                header_fields,
                row_fields,
            } => write!(
                f,
                "line 1: the header is mojibake (UTF-8 station names decoded as GBK and saved \
                 again; it reads back as {sample:?}); bytes and commas were lost in the \
                 process ('?'), so the {header_fields} header fields cannot be matched safely to \
                 the {row_fields} fields of the rows and values cannot be assigned to stations. \
                 Replace the header with the station header of a neighbouring day, or fetch the \
                 file again"
            ),
            RejectReason::Undecodable { line, detail } => {
                write!(f, "line {line}: text is neither UTF-8 nor GBK: {detail}")
            }
            // Quoted with escapes (control bytes shown), the escaped text cut at 400
            // characters: one control character escapes to up to ten.
            RejectReason::UnknownFormat { header } => write!(
                f,
                "line 1: header not recognised as any supported format: {} (a generic \
                 file needs the columns station,time,pollutant,value[,unit])",
                lantian_model::text::shorten(&format!("{header:?}"), 400)
            ),
            RejectReason::Corrupt(d) => write!(f, "corrupt file: {d}"),
            RejectReason::Unreadable(d) => write!(f, "cannot read: {d}"),
            RejectReason::Unsupported(d) => write!(f, "unsupported: {d}"),
        }
    }
}

/// A recognised file, decoded to text (empty for Parquet).
#[derive(Debug)]
pub struct Detected {
    pub format: Format,
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

fn lower_ext(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// Recognise and decode a file.
pub fn detect(name: &str, bytes: &[u8]) -> Result<Detected, RejectReason> {
    let mut diagnostics = Vec::new();
    let diag = |kind, message: String| Diagnostic {
        kind,
        file: name.to_string(),
        line: None,
        field: None,
        message,
    };
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let inner = inflate(bytes, MAX_INFLATED)?;
        let inner_name = name.strip_suffix(".gz").unwrap_or(name);
        let mut d = detect(inner_name, &inner)?;
        for x in &mut d.diagnostics {
            x.file = name.to_string();
        }
        return Ok(d);
    }
    if bytes.starts_with(b"PAR1") {
        return Ok(Detected {
            format: Format::Parquet,
            text: String::new(),
            diagnostics,
        });
    }
    let ext = lower_ext(name);
    let not_data = match ext.as_str() {
        "json" | "geojson" => Some("JSON/GeoJSON (boundaries or metadata, not a time series)"),
        "md" | "txt" | "pdf" | "html" | "htm" => Some("a document"),
        "xlsx" | "xls" => Some("a spreadsheet: export it to CSV first"),
        "tsv" if base_name(name).eq_ignore_ascii_case("MANIFEST.tsv") => {
            Some("a file manifest (checksums), not measurements")
        }
        "zip" | "7z" | "rar" => Some("an archive: unpack it first"),
        // R's binary workspaces (save(), saveRDS()); the shared folder has them beside the CSVs
        // converted from them.
        "rdata" | "rda" | "rds" => Some("an R data file: export it to CSV first"),
        _ => None,
    };
    if let Some(why) = not_data {
        return Err(RejectReason::NotData(format!("{why} (extension .{ext})")));
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(RejectReason::Empty);
    }
    let mut body = bytes;
    if let Some(rest) = body.strip_prefix(b"\xef\xbb\xbf") {
        body = rest;
        diagnostics.push(diag(
            DiagnosticKind::Encoding,
            "UTF-8 byte-order mark at the start of the file (removed)".into(),
        ));
    }
    if let Some(title) = html_title(body) {
        return Err(RejectReason::Html { title });
    }
    let text = match std::str::from_utf8(body) {
        Ok(t) => t.to_string(),
        Err(e) => {
            let (decoded, _, had_errors) = encoding_rs::GBK.decode(body);
            if had_errors {
                let upto = e.valid_up_to();
                let line = 1 + body[..upto].iter().filter(|&&b| b == b'\n').count() as u64;
                return Err(RejectReason::Undecodable {
                    line,
                    detail: format!("invalid byte 0x{:02x} at offset {upto}", body[upto]),
                });
            }
            diagnostics.push(diag(
                DiagnosticKind::Encoding,
                "not UTF-8; decoded as GBK (GB 2312 extension)".into(),
            ));
            decoded.into_owned()
        }
    };
    let first_line = text.lines().next().unwrap_or("").trim_end_matches('\r');
    let fields: Vec<String> = first_line
        .split(',')
        .map(|f| f.trim().trim_matches('"').to_string())
        .collect();
    let has = |c: &str| fields.iter().any(|f| f.eq_ignore_ascii_case(c));
    let format = if fields.len() >= 3
        && fields[0] == "date"
        && fields[1] == "hour"
        && fields[2] == "type"
    {
        let base = base_name(name).to_ascii_lowercase();
        if base.starts_with("china_sites") {
            Format::Cnemc
        } else if base.starts_with("beijing_") {
            Format::Bjmemc
        } else {
            let codes = fields[3..]
                .iter()
                .filter(|f| {
                    f.len() == 5 && f.ends_with('A') && f[..4].bytes().all(|b| b.is_ascii_digit())
                })
                .count();
            if codes * 2 > fields.len().saturating_sub(3) {
                Format::Cnemc
            } else {
                Format::Bjmemc
            }
        }
    } else if has("No") && has("year") && has("hour") && has("station") {
        Format::UciMultisite
    } else if has("No") && has("year") && has("pm2.5") && has("cbwd") {
        Format::UciEmbassy
    } else if fields.first().map(String::as_str) == Some("date") && has("no2") && has("bg.no2") {
        Format::Aqeval
    } else if has("station")
        && (has("time") || has("time_end"))
        && has("value")
        && (has("pollutant") || has("variable"))
    {
        Format::Long
    } else {
        return Err(RejectReason::UnknownFormat {
            header: first_line.chars().take(200).collect(),
        });
    };
    let text = if matches!(format, Format::Bjmemc | Format::Cnemc) {
        repair_or_reject_mojibake(name, text, &mut diagnostics)?
    } else {
        text
    };
    Ok(Detected {
        format,
        text,
        diagnostics,
    })
}

/// Most bytes a gzip file may inflate to: far above any monitoring file (a national day is
/// 8 MB), far below what would exhaust memory (a 1 MB "gzip bomb" inflates to a gigabyte).
pub const MAX_INFLATED: u64 = 1 << 30;

/// A gzip stream's content, refused when corrupt or larger than `cap` bytes.
fn inflate(bytes: &[u8], cap: u64) -> Result<Vec<u8>, RejectReason> {
    let mut inner = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .take(cap + 1)
        .read_to_end(&mut inner)
        .map_err(|e| RejectReason::Corrupt(format!("gzip: {e}")))?;
    if inner.len() as u64 > cap {
        return Err(RejectReason::Corrupt(format!(
            "gzip: inflates to more than {cap} bytes (a compression bomb, or not one file)"
        )));
    }
    Ok(inner)
}

/// The title of an HTML page, if the bytes are one.
fn html_title(body: &[u8]) -> Option<String> {
    let head: String = String::from_utf8_lossy(&body[..body.len().min(2048)]).into_owned();
    let trimmed = head.trim_start();
    let lower = trimmed.to_ascii_lowercase();
    let is_html = trimmed.starts_with('<')
        && (lower.starts_with("<!doctype html")
            || lower.starts_with("<html")
            || lower.contains("<html")
            || lower.contains("<body")
            || lower.contains("<head"));
    if !is_html {
        return None;
    }
    for tag in ["title", "h1"] {
        let open = format!("<{tag}>");
        let close = format!("</{tag}>");
        if let Some(s) = lower.find(&open) {
            let from = s + open.len();
            if let Some(e) = lower[from..].find(&close) {
                // A title is quoted in the rejection: a short one, whatever the page holds.
                return Some(trimmed[from..from + e].trim().chars().take(80).collect());
            }
        }
    }
    Some(String::from("(untitled page)"))
}

/// Count CJK ideographs in a string.
fn cjk(s: &str) -> usize {
    s.chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count()
}

/// A header whose UTF-8 station names were once decoded as GBK and saved again reads as
/// "涓滃煄涓滃洓" instead of "东城东四". Encoding such a header back to GBK gives the original
/// UTF-8 bytes. When every name comes back intact and the field count matches the rows, the
/// header is repaired (and said so); when commas were swallowed, the file is rejected.
fn repair_or_reject_mojibake(
    name: &str,
    text: String,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<String, RejectReason> {
    let (header, rest) = match text.find('\n') {
        Some(i) => (&text[..i], &text[i..]),
        None => (text.as_str(), ""),
    };
    let header = header.trim_end_matches('\r');
    let names = header.splitn(4, ',').nth(3).unwrap_or("");
    // Decoders that met an invalid GBK pair wrote U+FFFD or '?'; neither maps back.
    let names_clean = names.replace('\u{fffd}', "?");
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&names_clean);
    if unmappable {
        return Ok(text);
    }
    let back = String::from_utf8_lossy(&gbk);
    let replaced = back.matches('\u{fffd}').count();
    // A real Chinese header encoded to GBK is not UTF-8: almost everything is replaced. A
    // mojibake header comes back as readable ideographs.
    if cjk(&back) < 4 || replaced * 4 > cjk(&back) {
        return Ok(text);
    }
    let repaired_names = back.replace('\u{fffd}', "?");
    let header_fields = 3 + repaired_names.split(',').count();
    let row_fields = rest
        .lines()
        .find(|l| !l.trim().is_empty())
        .map_or(0, |l| l.split(',').count());
    let sample: String = repaired_names.chars().take(40).collect();
    if replaced > 0 || header_fields != row_fields || repaired_names.contains('?') {
        return Err(RejectReason::MojibakeHeader {
            sample,
            header_fields,
            row_fields,
        });
    }
    diagnostics.push(Diagnostic {
        kind: DiagnosticKind::Encoding,
        file: name.to_string(),
        line: Some(1),
        field: None,
        message: format!(
            "header was mojibake (UTF-8 decoded as GBK); repaired losslessly to {sample:?}"
        ),
    });
    Ok(format!("date,hour,type,{repaired_names}{rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gzip_that_inflates_past_the_cap_is_refused() {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut e, &vec![b'0'; 10_001]).unwrap();
        let gz = e.finish().unwrap();
        assert_eq!(inflate(&gz, 10_001).unwrap().len(), 10_001);
        let Err(RejectReason::Corrupt(why)) = inflate(&gz, 10_000) else {
            panic!("inflated past the cap");
        };
        assert_eq!(
            why,
            "gzip: inflates to more than 10000 bytes (a compression bomb, or not one file)"
        );
    }

    #[test]
    fn rejections_are_specific() {
        assert_eq!(detect("a.csv", b"").unwrap_err(), RejectReason::Empty);
        assert_eq!(
            detect("a.csv", b" \n\r\n").unwrap_err(),
            RejectReason::Empty
        );
        let html = b"<html>\n <head>\n  <title>403 Forbidden</title>\n </head></html>";
        assert_eq!(
            detect("beijing_all_20170702.csv", html).unwrap_err(),
            RejectReason::Html {
                title: "403 Forbidden".into()
            }
        );
        let html = b"<html><h1>Not Found</h1><p>The resource could not be found.</p></html>";
        assert_eq!(
            detect("x.csv", html).unwrap_err(),
            RejectReason::Html {
                title: "Not Found".into()
            }
        );
        assert!(matches!(
            detect("110100_full.json", b"{}").unwrap_err(),
            RejectReason::NotData(_)
        ));
        // R's binary files are named for what they are, not "neither UTF-8 nor GBK".
        for name in ["jura.rda", "apacpwq.RData", "x.rds"] {
            match detect(name, b"RDX3\n\xff\xfe\x00").unwrap_err() {
                RejectReason::NotData(why) => assert!(why.contains("R data"), "{why}"),
                other => panic!("{name}: {other:?}"),
            }
        }
        assert!(matches!(
            detect("x.csv", b"a,b,c\n1,2,3").unwrap_err(),
            RejectReason::UnknownFormat { .. }
        ));
    }

    #[test]
    fn formats_by_header_and_name() {
        let f = |n: &str, t: &str| detect(n, t.as_bytes()).unwrap().format;
        assert_eq!(
            f("beijing_all_20230101.csv", "date,hour,type,东四\n"),
            Format::Bjmemc
        );
        assert_eq!(
            f("china_sites_20230101.csv", "date,hour,type,1001A\n"),
            Format::Cnemc
        );
        assert_eq!(f("x.csv", "date,hour,type,1001A,1002A\n"), Format::Cnemc);
        assert_eq!(
            f(
                "x.csv",
                "\"No\",\"year\",\"month\",\"day\",\"hour\",\"PM2.5\",\"station\"\n"
            ),
            Format::UciMultisite
        );
        assert_eq!(
            f(
                "x.csv",
                "No,year,month,day,hour,pm2.5,DEWP,TEMP,PRES,cbwd,Iws,Is,Ir\r\n"
            ),
            Format::UciEmbassy
        );
        assert_eq!(
            f("x.csv", "date,no2,bg.no2,ws,wd,air_temp\n"),
            Format::Aqeval
        );
        assert_eq!(f("x.csv", "station,time,pollutant,value\n"), Format::Long);
    }

    #[test]
    fn gbk_files_are_decoded_and_said_so() {
        let (gbk, _, _) =
            encoding_rs::GBK.encode("date,hour,type,东四,天坛\n20140101,0,PM2.5,1,2\n");
        let d = detect("beijing_all_20140101.csv", &gbk).unwrap();
        assert!(d.text.contains("东四,天坛"));
        assert_eq!(d.diagnostics[0].kind, DiagnosticKind::Encoding);
        assert!(d.diagnostics[0].message.contains("GBK"));
    }

    #[test]
    fn bom_is_removed_and_reported() {
        let d = detect(
            "beijing_all_x.csv",
            "\u{feff}date,hour,type,东四\n".as_bytes(),
        )
        .unwrap();
        assert!(d.text.starts_with("date,"));
        assert_eq!(d.diagnostics.len(), 1);
    }

    /// Make the mojibake the way it happened: UTF-8 bytes read as GBK and saved as UTF-8.
    fn mojibake(s: &str) -> String {
        encoding_rs::GBK.decode(s.as_bytes()).0.into_owned()
    }

    #[test]
    fn clean_mojibake_is_repaired_and_reported() {
        // "东城东四,东城天坛": each name is 12 UTF-8 bytes, an even number, so GBK pairs them
        // without eating the comma and the repair is exact.
        let names = "东城东四,东城天坛";
        let garbled = mojibake(names);
        assert_ne!(garbled, names);
        let text = format!("date,hour,type,{garbled}\n20240101,0,PM2.5,5,6\n");
        let d = detect("beijing_all_20240101.csv", text.as_bytes()).unwrap();
        assert!(
            d.text.starts_with("date,hour,type,东城东四,东城天坛\n"),
            "{}",
            d.text
        );
        assert!(d.diagnostics[0].message.contains("repaired"));
    }

    #[test]
    fn lossy_mojibake_is_rejected_with_a_readable_sample() {
        // "朝阳农展馆" is 15 UTF-8 bytes: the odd last byte swallows the comma that follows.
        let names = "朝阳农展馆,海淀万柳,东城东四";
        // Windows' decoder, which made the real file, replaced the bad pair *and* the comma by
        // '?'; encoding_rs keeps the comma, so mimic the former.
        let garbled = mojibake(names).replace("\u{fffd},", "?");
        let text = format!("\u{feff}date,hour,type,{garbled}\n20240101,0,PM2.5,5,6,7\n");
        match detect("beijing_all_20240101.csv", text.as_bytes()).unwrap_err() {
            RejectReason::MojibakeHeader {
                sample,
                header_fields,
                row_fields,
            } => {
                assert!(sample.starts_with("朝阳农展"), "{sample}");
                assert_eq!(row_fields, 6);
                assert_ne!(header_fields, row_fields);
            }
            other => panic!("{other:?}"),
        }
    }
}
