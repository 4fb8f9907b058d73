//! Surface-water readers: monitoring sections, China's automatic water-station layout, a long
//! CSV of grab samples, NOAA's SWMP files and the US Water Quality Portal's narrow export.
//!
//! Every reader returns the readings it could take ([`lantian_water::Reading`], each with file
//! and line) and a [`Problem`] for every cell or row it could not, naming file, line and field:
//! a bad cell never stops the rest of the file, and nothing is dropped without a problem saying
//! so. A value below a detection limit stays a detection limit (`<0.01`, `ND`), never a number.

pub mod auto;
pub mod grab;
pub mod sections;
pub mod swmp;
pub mod wqp;

pub use crate::eu_ets::Problem;
use lantian_water::Reading;

/// What a water file gave.
#[derive(Debug, Clone, Default)]
pub struct WaterFile {
    pub readings: Vec<Reading>,
    pub problems: Vec<Problem>,
    /// Lines of data read (not counting headers), so a caller can say "n of m rows".
    pub rows: u64,
}

/// Convert `value` given in `unit` to the unit of `item` (GB 3838's mg/L, pH, °C, count/L).
/// Only exact factors: µg/L → mg/L (÷ 1000), ng/L → mg/L (÷ 10⁶), and the spellings of the same
/// unit (`mg/l`, `mg/L as N`, `MPN/L`). Anything else is an error naming both units: a
/// concentration is never guessed into another dimension.
pub fn to_item_unit(item: lantian_water::Item, unit: &str, value: f64) -> Result<f64, String> {
    use lantian_model::Unit;
    let u = unit.trim();
    let lower = u.to_ascii_lowercase();
    // "mg/L as N", "mg/l as P": the item's own basis in GB 3838 (NH3-N as N, TP as P).
    let base = lower
        .split(" as ")
        .next()
        .unwrap_or(&lower)
        .trim()
        .replace(['μ', 'µ'], "u");
    let want = item.unit();
    // (multiply, divide): dividing by 1000 gives the correctly rounded mg/L of a µg/L value
    // (4.5 µg/L is 0.0045 mg/L exactly as parsing "0.0045" gives; × 0.001 is one ulp off).
    let (mul, div) = match (want, base.as_str()) {
        (Unit::MgL, "mg/l") => (1.0, 1.0),
        (Unit::MgL, "ug/l") => (1.0, 1e3),
        (Unit::MgL, "ng/l") => (1.0, 1e6),
        (Unit::Ph, "" | "ph" | "std units" | "none" | "无量纲") => (1.0, 1.0),
        (Unit::DegC, "degc" | "deg c" | "°c" | "℃" | "c") => (1.0, 1.0),
        (Unit::CountPerL, "count/l" | "个/l" | "mpn/l" | "cfu/l") => (1.0, 1.0),
        (Unit::CountPerL, "cfu/100ml" | "mpn/100ml" | "#/100ml") => (10.0, 1.0),
        _ => {
            return Err(format!(
                "unit {u:?} cannot be converted to {} for {} (only mg/L, µg/L, ng/L and the \
                 standard's own units are accepted)",
                want.code(),
                item.code()
            ));
        }
    };
    Ok(value * mul / div)
}

/// A CSV reader's header, each name trimmed (and a byte-order mark dropped), or the problem that
/// says why the file has none.
pub(crate) fn header_of<R: std::io::Read>(
    file: &str,
    rdr: &mut csv::Reader<R>,
) -> Result<Vec<String>, Problem> {
    rdr.headers()
        .map(|h| {
            h.iter()
                .map(|c| c.trim().trim_start_matches('\u{feff}').trim().to_string())
                .collect()
        })
        .map_err(|e| Problem::new(file, 1, "header", "", e.to_string()))
}

/// A CSV record with its 1-based line, or the problem that says why the row is not read: a
/// CSV error, or a row whose width is not the header's.
pub(crate) fn record(
    file: &str,
    rec: csv::Result<csv::StringRecord>,
    width: usize,
    lines: &mut crate::text::LineOf<'_>,
) -> Result<(csv::StringRecord, u64), Problem> {
    let rec = rec.map_err(|e| {
        let line = e.position().map_or(0, |p| lines.of(p));
        Problem::new(file, line, "row", "", e.to_string())
    })?;
    let line = rec.position().map_or(0, |p| lines.of(p));
    if rec.len() != width {
        return Err(Problem::new(
            file,
            line,
            "row",
            &rec.iter().collect::<Vec<_>>().join(","),
            format!(
                "{} fields where the header has {}; the row is not read",
                rec.len(),
                width
            ),
        ));
    }
    Ok((rec, line))
}

/// The water layouts, told apart by their header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaterFormat {
    /// China's automatic water-station layout ([`auto`]).
    Automatic,
    /// A long CSV of grab samples ([`grab`]).
    Grab,
    /// NOAA NERRS SWMP, sonde or nutrients ([`swmp`]).
    Swmp,
    /// The US Water Quality Portal's narrow result export ([`wqp`]).
    Wqp,
    /// A sections file ([`sections`]).
    Sections,
}

impl WaterFormat {
    pub fn name(self) -> &'static str {
        match self {
            WaterFormat::Automatic => "automatic-station layout",
            WaterFormat::Grab => "grab samples",
            WaterFormat::Swmp => "NOAA SWMP",
            WaterFormat::Wqp => "Water Quality Portal",
            WaterFormat::Sections => "sections",
        }
    }
}

/// The layout of a file from its first line.
pub fn detect(text: &str) -> Option<WaterFormat> {
    let first = text
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap_or("")
        .trim();
    if first.contains("断面名称") && first.contains("监测时间") {
        Some(WaterFormat::Automatic)
    } else if first
        .to_ascii_lowercase()
        .starts_with("section,time,item,value,unit")
    {
        Some(WaterFormat::Grab)
    } else if first.starts_with("datetimestamp,") {
        Some(WaterFormat::Swmp)
    } else if first.contains("CharacteristicName") && first.contains("ResultMeasureValue") {
        Some(WaterFormat::Wqp)
    } else if first.starts_with("code,name_zh,") {
        Some(WaterFormat::Sections)
    } else {
        None
    }
}

/// A file's bytes, gunzipped when its name ends in `.gz` ([`open`]).
pub fn read_bytes(path: &std::path::Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let mut out = Vec::new();
    open(path)?
        .read_to_end(&mut out)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(out)
}

/// Whether a reading file is gzipped (by its name, as [`open`] tells).
pub fn is_gzip(path: &std::path::Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
}

/// A reading file opened to be read piece by piece, gunzipped when its name ends in `.gz`.
pub fn open(path: &std::path::Path) -> Result<Box<dyn std::io::Read>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(if is_gzip(path) {
        Box::new(flate2::read::GzDecoder::new(std::io::BufReader::new(file)))
    } else {
        Box::new(file)
    })
}

/// Read from `input` into `buf` (cleared first) until it holds the file's first line whole, or
/// the file ends: enough to tell the layout ([`detect`]). The first line as text, and whether
/// the file ended.
pub fn read_first_line<'b>(
    path: &std::path::Path,
    input: &mut dyn std::io::Read,
    buf: &'b mut Vec<u8>,
) -> Result<(&'b str, bool), String> {
    use std::io::Read;
    const ASK: usize = 64 * 1024;
    buf.clear();
    let (end, ended) = loop {
        let got = input
            .take(ASK as u64)
            .read_to_end(buf)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let newline = memchr::memchr(b'\n', buf);
        if newline.is_some() || got < ASK {
            break (newline.unwrap_or(buf.len()), got < ASK);
        }
    };
    Ok((text_of(path, &buf[..end])?, ended))
}

/// The bytes as text; a file that is not UTF-8 is refused with its name and the byte where it
/// stops being UTF-8 (the layouts are UTF-8; a GBK export must be converted first, said so).
/// simdutf8 checks the common, valid case several times faster than the standard library; the
/// standard library finds the position when it fails.
pub fn text_of<'a>(path: &std::path::Path, bytes: &'a [u8]) -> Result<&'a str, String> {
    text_at(&path.display().to_string(), bytes, 0)
}

/// [`text_of`] for `bytes` that begin at byte `offset` of `file` (a piece of a file read piece
/// by piece): the byte named is the file's.
pub fn text_at<'a>(file: &str, bytes: &'a [u8], offset: usize) -> Result<&'a str, String> {
    simdutf8::basic::from_utf8(bytes).map_err(|_| {
        let at = std::str::from_utf8(bytes).map_or_else(|e| e.valid_up_to(), |_| 0);
        format!(
            "{file}: not UTF-8 (byte {}): convert the file to UTF-8 first",
            offset + at
        )
    })
}

/// A file's text ([`read_bytes`], [`text_of`]).
pub fn read_text(path: &std::path::Path) -> Result<String, String> {
    let bytes = read_bytes(path)?;
    text_of(path, &bytes).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lantian_water::Item;

    #[test]
    fn units_convert_only_by_exact_factors() {
        assert_eq!(to_item_unit(Item::Cadmium, "ug/L", 4.5), Ok(0.0045));
        assert_eq!(to_item_unit(Item::Cadmium, "µg/L", 4.5), Ok(0.0045));
        assert_eq!(
            to_item_unit(Item::AmmoniaNitrogen, "mg/l as N", 0.5),
            Ok(0.5)
        );
        assert_eq!(
            to_item_unit(Item::FecalColiform, "MPN/100mL", 20.0),
            Ok(200.0)
        );
        assert_eq!(to_item_unit(Item::Ph, "", 7.2), Ok(7.2));
        let e = to_item_unit(Item::AmmoniaNitrogen, "mg/kg", 1.0).unwrap_err();
        assert!(e.contains("\"mg/kg\"") && e.contains("water.NH3-N"), "{e}");
        assert!(to_item_unit(Item::Ph, "mg/L", 7.0).is_err());
    }

    #[test]
    fn layouts_are_told_apart_by_their_header() {
        assert_eq!(detect(auto::HEADER), Some(WaterFormat::Automatic));
        assert_eq!(detect(grab::HEADER), Some(WaterFormat::Grab));
        assert_eq!(detect("datetimestamp,temp,f_temp"), Some(WaterFormat::Swmp));
        assert_eq!(detect("code,name_zh,name_en"), Some(WaterFormat::Sections));
        assert_eq!(detect("date,hour,type,1001A"), None);
    }
}
