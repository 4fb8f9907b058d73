//! NOAA's National Estuarine Research Reserve System, System-Wide Monitoring Program (SWMP), in
//! the layout of the SWMPr package: a `datetimestamp` column, then each parameter followed by its
//! QC column `f_<parameter>` (`temp,f_temp,spcond,f_spcond,…`).
//!
//! Two kinds of station are read, told apart by their columns:
//!
//! - a water-quality sonde (`…wq`: `temp`, `spcond`, `sal`, `do_pct`, `do_mgl`, `depth`,
//!   `cdepth`, `level`, `clevel`, `ph`, `turb`, `chlfluor`), read every 15 minutes:
//!   [`Origin::Automatic`];
//! - nutrients (`…nut`: `po4f`, `nh4f`, `no2f`, `no3f`, `no23f`, `chla_n`), monthly grab samples
//!   analysed in a laboratory: [`Origin::Grab`].
//!
//! **Time.** SWMP keeps every station in its local standard time all year, without daylight
//! saving (EST = UTC−5 at Apalachicola). The SWMPr layout stores instants, and a CSV written
//! from it carries them in UTC (the first Apalachicola sonde row, midnight EST on 2012-01-01,
//! reads `2012-01-01 05:00:00`), so each stamp is taken as UTC and brought back to the
//! reserve's standard time ([`utc_offset_hours`]). CDMO's own export (`DateTimeStamp`,
//! `Station_Code`, …) is already in local standard time; it has a different header and is
//! refused here rather than shifted twice.
//!
//! **Section.** A station code is the reserve (3 letters), the station (2 letters) and the kind
//! (`wq`, `nut`, `met`): `apacpwq` is the sonde and `apacpnut` the nutrient samples at Cat Point
//! in Apalachicola. The section is the code without its kind (`apacp`), taken from the file name,
//! so a site's sonde and nutrient readings are one section; its first three letters are the
//! reserve, which gives the time zone.
//!
//! **QC flags.** Every value has a flag column, as written by the CDMO (Centralized Data
//! Management Office, "NERRS SWMP Data Management Manual", QAQC flags and codes; summarised at
//! <https://cdmo.baruch.sc.edu/data/qaqc.cfm>): a number in angle brackets, then optional error
//! codes in square brackets (`[GIM]` instrument malfunction, `[SBL]` below the method detection
//! limit, …), comment codes in parentheses (`(CSM)` see metadata, `(CHB)` held beyond holding
//! time, …) and, in data older than the automated QAQC (flag `<4>`), comment letters
//! (`<4>  B - C`). See [`flag_of`] for how they map onto Lantian's flags. The text of the flag
//! is kept, exactly as written, in every reading's `source_flag`.
//!
//! **Cells.** A number is a reading, whatever its flag. An empty value is not a reading: with an
//! empty flag (a parameter the station does not measure), or a flag that says why it is empty
//! (`<-1>` not collected, `<-2>` missing, `<-3>` rejected, `<-4>`/`<-5>` out of sensor range, an
//! error code `[G…]` such as `[GDM]` data missing, or the historical letters `M` missing, `D`
//! deleted, `K` see metadata) nothing is reported; with any other flag it is a [`Problem`]. An
//! empty value whose flag says "below detection" (`[SBL]`, historical `B`) is a
//! [`Measurement::NotDetected`] reading: the sample was analysed and nothing was found, but no
//! limit was written. A value that is not a number is a problem and no reading. A value kept
//! as doubtful because its flag cannot be read is reported as kept ([`Problem::kept`]): a note,
//! not a loss.

use super::{Problem, WaterFile};
use lantian_model::Flag;
use lantian_water::{Determinand, Item, Measurement, Origin, Reading};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// The UTC offset of a reserve's standard time, in hours, from the first three letters of a
/// station code (`apa` → −5). These are the offsets SWMPr gives each reserve from the CDMO's
/// metadata (its `time_vec`), so they undo exactly what a CSV written from SWMPr data did;
/// `None` for a reserve not in that list.
pub fn utc_offset_hours(reserve: &str) -> Option<i64> {
    Some(match reserve.get(..3)?.to_ascii_lowercase().as_str() {
        // Atlantic: Jobos Bay, Puerto Rico.
        "job" => -4,
        "ace" | "apa" | "cbm" | "cbv" | "del" | "grb" | "gtm" | "hud" | "jac" | "nar" | "niw"
        | "noc" | "owc" | "rkb" | "sap" | "wel" | "wqb" => -5,
        "gnd" | "lks" | "mar" | "wkb" => -6,
        "elk" | "pdb" | "sfb" | "sos" | "tjr" => -8,
        "kac" => -9,
        "hee" => -10,
        _ => return None,
    })
}

/// The two kinds of SWMP station this reader takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A water-quality sonde (`…wq`).
    WaterQuality,
    /// Nutrient and chlorophyll grab samples (`…nut`).
    Nutrients,
}

impl Kind {
    /// The suffix of the station code (`apacpwq`, `apacpnut`).
    pub fn suffix(self) -> &'static str {
        match self {
            Kind::WaterQuality => "wq",
            Kind::Nutrients => "nut",
        }
    }

    pub fn origin(self) -> Origin {
        match self {
            Kind::WaterQuality => Origin::Automatic,
            Kind::Nutrients => Origin::Grab,
        }
    }
}

/// A SWMP column the reader knows, with what it measures.
enum Col {
    Item(Item),
    Other(&'static str),
}

/// Sonde parameters (the CDMO's units: specific conductance in mS/cm, salinity in practical
/// salinity units, depth and level in metres, turbidity in NTU, chlorophyll fluorescence in µg/L).
const WQ_COLUMNS: &[(&str, Col)] = &[
    ("temp", Col::Item(Item::WaterTemperature)),
    ("spcond", Col::Other("mS/cm")),
    ("sal", Col::Other("psu")),
    ("do_pct", Col::Other("%")),
    ("do_mgl", Col::Item(Item::DissolvedOxygen)),
    ("depth", Col::Other("m")),
    ("cdepth", Col::Other("m")),
    ("level", Col::Other("m")),
    ("clevel", Col::Other("m")),
    ("ph", Col::Item(Item::Ph)),
    ("turb", Col::Other("NTU")),
    ("chlfluor", Col::Other("ug/L")),
];

/// Nutrient parameters, filtered (`f`), in mg/L as N or as P; chlorophyll-a in µg/L.
///
/// - `nh4f` is GB 3838's ammonia nitrogen: 氨氮 is NH₃ + NH₄⁺ as N, and SWMP's "NH4" is
///   measured by the same chemistry (phenate/salicylate, which takes both forms) and reported as
///   N; it is filtered, and ammonium is dissolved, so the filtered measure is the comparable one.
/// - `no3f` is GB 3838 Table 2's nitrate (硝酸盐, as N): SWMP reports it as N, and nitrate is
///   wholly dissolved, so filtering does not change it. (It is usually calculated, `no23f` −
///   `no2f`, which is what the historical letter `C` says.)
const NUT_COLUMNS: &[(&str, Col)] = &[
    ("po4f", Col::Other("mg/L")),
    ("nh4f", Col::Item(Item::AmmoniaNitrogen)),
    ("no2f", Col::Other("mg/L")),
    ("no3f", Col::Item(Item::Nitrate)),
    ("no23f", Col::Other("mg/L")),
    ("chla_n", Col::Other("ug/L")),
];

/// What a QC flag says about its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QcFlag {
    /// The number in angle brackets, −5..=5.
    pub code: i8,
    /// Lantian's flag for a value carrying it.
    pub flag: Flag,
    /// The value is the method detection limit, not a measurement: error code `[SBL]` ("value
    /// below minimum limit of method detection"), or the historical letter `B` (below detection).
    pub below_detection: bool,
    /// The flag explains an empty value (not collected, missing, rejected, out of range, deleted).
    pub explains_absence: bool,
}

/// The QC flag of a SWMP cell (`<0>`, `<1> [GIM]`, `<-4> [SBL] (CHB)`, `<4>  B - C`), or why it
/// cannot be read (an empty or malformed flag, a code outside −5..=5).
///
/// The numbers are the CDMO's (NERRS SWMP Data Management Manual, QAQC flags):
///
/// | code | CDMO meaning | Lantian flag |
/// |---|---|---|
/// | `<-5>` | outside high sensor range | bad |
/// | `<-4>` | outside low sensor range | bad (ok with `[SBL]`: a nutrient below detection) |
/// | `<-3>` | data rejected due to QAQC | bad |
/// | `<-2>` | missing data | bad (a value is not expected; see below) |
/// | `<-1>` | optional SWMP-supported parameter not collected | bad (likewise) |
/// | `<0>` | passed initial QAQC checks | ok |
/// | `<1>` | suspect data | doubtful |
/// | `<2>` | reserved for future use | doubtful: no meaning is assigned, none is assumed |
/// | `<3>` | calculated (non-vented depth/level corrected for air pressure) | ok |
/// | `<4>` | historical data, pre-auto QAQC | ok (letter `S` suspect: doubtful; `D` deleted: bad) |
/// | `<5>` | corrected data | ok |
///
/// `<-1>` and `<-2>` say there is no value; a cell that has one anyway is kept as bad. With
/// `[SBL]` the nutrient value is the method detection limit (the laboratory writes the MDL of
/// the run: 0.001–0.003 mg/L PO₄ at Apalachicola, 0.0117–0.0193 mg/L NH₄); the number stays
/// what it says, except that `<-4>` — the CDMO's code for "below the low end of the range" — is
/// not an error for a laboratory result below detection, so it is `ok`. The historical letter
/// `B` means the same (there the value is also a constant detection limit: 0.001 mg/L PO₄,
/// 0.002 mg/L NO₂, 0.5 µg/L chlorophyll-a …).
pub fn flag_of(text: &str) -> Result<QcFlag, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("no QC flag".into());
    }
    let malformed = || format!("{t:?} is not a SWMP QC flag (<n> followed by codes)");
    let inner = t.strip_prefix('<').ok_or_else(malformed)?;
    let close = inner.find('>').ok_or_else(malformed)?;
    let code: i8 = inner[..close].trim().parse().map_err(|_| malformed())?;
    let rest = &inner[close + 1..];
    // Error codes in [ ], comment codes in ( ), and what is left: historical comment letters.
    let mut errors = Vec::new();
    let mut letters = String::new();
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let end = match c {
            '[' => ']',
            '(' => ')',
            _ => {
                letters.push(c);
                continue;
            }
        };
        let body_start = i + 1;
        let mut body_end = rest.len();
        for (j, d) in chars.by_ref() {
            if d == end {
                body_end = j;
                break;
            }
        }
        if end == ']' {
            errors.push(rest[body_start..body_end].trim());
        }
    }
    let letters: Vec<&str> = letters
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|s| !s.is_empty())
        .collect();
    let historical = code == 4;
    let has_letter = |l: &str| historical && letters.contains(&l);
    let below_detection = errors.contains(&"SBL") || has_letter("B");
    let mut flag = match code {
        0 | 3 | 4 | 5 => Flag::Ok,
        1 | 2 => Flag::Doubtful,
        -5..=-1 => Flag::Bad,
        _ => {
            return Err(format!(
                "unknown QC flag code <{code}> (the CDMO's codes are -5 to 5)"
            ));
        }
    };
    if code == -4 && below_detection {
        flag = Flag::Ok;
    }
    if has_letter("S") {
        flag = Flag::Doubtful;
    }
    if has_letter("D") {
        flag = Flag::Bad;
    }
    let explains_absence = code < 0
        || errors.iter().any(|e| e.starts_with('G'))
        || has_letter("M")
        || has_letter("D")
        || has_letter("K");
    Ok(QcFlag {
        code,
        flag,
        below_detection,
        explains_absence,
    })
}

/// The kind of a SWMPr header: whichever kind's parameters it has (none: not a file this
/// reader takes).
pub fn kind_of(header: &[&str]) -> Option<Kind> {
    let count = |cols: &[(&str, Col)]| {
        header
            .iter()
            .filter(|h| cols.iter().any(|(c, _)| c == *h))
            .count()
    };
    let (wq, nut) = (count(WQ_COLUMNS), count(NUT_COLUMNS));
    match (wq, nut) {
        (0, 0) => None,
        (w, n) if w >= n => Some(Kind::WaterQuality),
        _ => Some(Kind::Nutrients),
    }
}

/// The section of a SWMP file: the station code of its name without the kind (`apacp` from
/// `…/apacpwq.csv.gz` or `apacpwq2012.csv`). A name that does not end in the kind's suffix is
/// used whole (its leading letters, lower case).
pub fn section_of(file: &str, kind: Kind) -> String {
    let name = Path::new(file)
        .file_name()
        .map_or_else(|| file.to_string(), |n| n.to_string_lossy().into_owned());
    let code: String = name
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_ascii_lowercase();
    match code.strip_suffix(kind.suffix()) {
        Some(station) if !station.is_empty() => station.to_string(),
        _ => code,
    }
}

/// A `datetimestamp` (UTC) in the local standard time `offset` hours from UTC.
fn local_of(cell: &str, offset: i64) -> Option<chrono::NaiveDateTime> {
    let t = cell.trim();
    let t = t
        .strip_suffix('Z')
        .or_else(|| t.strip_suffix("+00:00"))
        .or_else(|| t.strip_suffix(" UTC"))
        .unwrap_or(t)
        .trim();
    let utc = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| chrono::NaiveDateTime::parse_from_str(t, f).ok())?;
    utc.checked_add_signed(chrono::TimeDelta::hours(offset))
}

/// One value column: its name, its flag column and what it measures.
struct Column {
    name: String,
    value: usize,
    flag: Option<usize>,
    determinand: Determinand,
}

/// Read a SWMPr CSV (already decompressed). `file` names it in readings and problems, and its
/// name gives the section ([`section_of`]) and, by the reserve, the time zone
/// ([`utc_offset_hours`]): a file renamed away from its station code is refused.
pub fn read_swmp(file: &str, text: &str) -> WaterFile {
    let mut out = WaterFile::default();
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut line_of = crate::text::LineOf::new(text);
    let header = match super::header_of(file, &mut rdr) {
        Ok(h) => h,
        Err(p) => {
            out.problems.push(p);
            return out;
        }
    };
    let joined = header.join(",");
    let header_problem = |message: String| Problem::new(file, 1, "header", &joined, message);
    if header.first().map(String::as_str) != Some("datetimestamp") {
        let message = if header.iter().any(|h| h == "DateTimeStamp") {
            "CDMO's own export (DateTimeStamp in local standard time) is not the SWMPr layout \
             this reader takes (datetimestamp in UTC); nothing is read"
        } else {
            "the first column must be datetimestamp (the SWMPr layout); nothing is read"
        };
        out.problems.push(header_problem(message.into()));
        return out;
    }
    let names: Vec<&str> = header.iter().map(String::as_str).collect();
    let Some(kind) = kind_of(&names) else {
        out.problems.push(header_problem(
            "no SWMP water-quality (temp, spcond, …) or nutrient (po4f, nh4f, …) column; \
             nothing is read"
                .into(),
        ));
        return out;
    };
    let section = section_of(file, kind);
    let Some(offset) = utc_offset_hours(&section) else {
        out.problems.push(Problem::new(
            file,
            1,
            "file name",
            file,
            format!(
                "the station code {section:?} (from the file name) is not a SWMP reserve with a \
                 known time zone, so the UTC stamps cannot be brought to local standard time; \
                 nothing is read"
            ),
        ));
        return out;
    };
    let section: Arc<str> = section.into();
    let table = match kind {
        Kind::WaterQuality => WQ_COLUMNS,
        Kind::Nutrients => NUT_COLUMNS,
    };
    let mut columns = Vec::new();
    for (i, name) in names.iter().enumerate().skip(1) {
        if let Some(of) = name.strip_prefix("f_") {
            if !names.contains(&of) {
                out.problems.push(header_problem(format!(
                    "flag column {name} has no value column {of}; it is not read"
                )));
            }
            continue;
        }
        let Some((_, col)) = table.iter().find(|(c, _)| c == name) else {
            out.problems.push(header_problem(format!(
                "column {name} is not a SWMP {} parameter this reader knows (no unit); it is \
                 not read",
                kind.suffix()
            )));
            continue;
        };
        let flag = names.iter().position(|h| *h == format!("f_{name}"));
        if flag.is_none() {
            out.problems.push(
                header_problem(format!(
                    "column {name} has no flag column f_{name}; its values are read as doubtful"
                ))
                .kept(),
            );
        }
        let determinand = match col {
            Col::Item(item) => Determinand::Item(*item),
            Col::Other(unit) => Determinand::other(&format!("swmp.{name}"), unit),
        };
        columns.push(Column {
            name: name.to_string(),
            value: i,
            flag,
            determinand,
        });
    }
    let file_arc: Arc<str> = file.into();
    let origin = kind.origin();
    // Flag texts repeat: each distinct text is read once and shared.
    let mut flags: HashMap<String, (Arc<str>, Result<QcFlag, String>)> = HashMap::new();
    for rec in rdr.records() {
        out.rows += 1;
        let (rec, line) = match super::record(file, rec, header.len(), &mut line_of) {
            Ok(x) => x,
            Err(p) => {
                out.problems.push(p);
                continue;
            }
        };
        let stamp = &rec[0];
        let Some(time) = local_of(stamp, offset) else {
            out.problems.push(Problem::new(
                file,
                line,
                "datetimestamp",
                stamp,
                "not a date and time (YYYY-MM-DD HH:MM:SS, UTC); the row is not read",
            ));
            continue;
        };
        for col in &columns {
            let value = rec[col.value].trim();
            let flag_text = col.flag.map_or("", |f| &rec[f]);
            let (source_flag, qc): (Option<Arc<str>>, Result<QcFlag, &str>) =
                if flag_text.trim().is_empty() {
                    (None, Err("no QC flag"))
                } else {
                    if !flags.contains_key(flag_text) {
                        let parsed = (flag_text.into(), flag_of(flag_text));
                        flags.insert(flag_text.to_string(), parsed);
                    }
                    let (arc, qc) = &flags[flag_text];
                    (
                        Some(arc.clone()),
                        qc.as_ref().copied().map_err(String::as_str),
                    )
                };
            let flag_field = col.flag.map_or(col.name.as_str(), |f| header[f].as_str());
            let measurement;
            let flag;
            if value.is_empty() {
                match qc {
                    _ if source_flag.is_none() => continue,
                    Ok(q) if q.below_detection => {
                        measurement = Measurement::NotDetected;
                        flag = q.flag;
                    }
                    Ok(q) if q.explains_absence => continue,
                    Ok(_) => {
                        out.problems.push(Problem::new(
                            file,
                            line,
                            &col.name,
                            flag_text,
                            format!(
                                "no value, and the flag {flag_text:?} does not say why; no reading"
                            ),
                        ));
                        continue;
                    }
                    Err(m) => {
                        out.problems.push(Problem::new(
                            file,
                            line,
                            flag_field,
                            flag_text,
                            format!("{m}; the value is empty, no reading"),
                        ));
                        continue;
                    }
                }
            } else {
                let Some(v) = value.parse::<f64>().ok().filter(|v| v.is_finite()) else {
                    out.problems.push(Problem::new(
                        file,
                        line,
                        &col.name,
                        value,
                        "not a number; no reading",
                    ));
                    continue;
                };
                match qc {
                    Ok(q) if q.below_detection && v <= 0.0 => {
                        out.problems.push(
                            Problem::new(
                                file,
                                line,
                                &col.name,
                                value,
                                format!(
                                    "the flag {flag_text:?} says below detection, but {v} is not a \
                                 detection limit; the value is kept as doubtful"
                                ),
                            )
                            .kept(),
                        );
                        measurement = Measurement::Value(v);
                        flag = Flag::Doubtful;
                    }
                    Ok(q) => {
                        measurement = if q.below_detection {
                            Measurement::BelowDetection(v)
                        } else {
                            Measurement::Value(v)
                        };
                        flag = q.flag;
                    }
                    Err(m) => {
                        // A file without the flag column is reported once, at its header.
                        if col.flag.is_some() {
                            out.problems.push(
                                Problem::new(
                                    file,
                                    line,
                                    flag_field,
                                    flag_text,
                                    format!("{m}; the value is kept as doubtful"),
                                )
                                .kept(),
                            );
                        }
                        measurement = Measurement::Value(v);
                        flag = Flag::Doubtful;
                    }
                }
            }
            out.readings.push(Reading {
                section: section.clone(),
                time,
                determinand: col.determinand.clone(),
                measurement,
                flag,
                source_flag,
                origin,
                file: file_arc.clone(),
                line,
            });
        }
    }
    out
}

/// Read a SWMPr CSV from disk, gunzipping a `.gz` file ([`super::read_text`]). The path, as
/// given, names the file in readings and problems.
pub fn read_swmp_path(path: &Path) -> Result<WaterFile, String> {
    let text = super::read_text(path)?;
    Ok(read_swmp(&path.to_string_lossy(), &text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(text: &str) -> QcFlag {
        flag_of(text).unwrap()
    }

    #[test]
    fn every_code_maps() {
        let cases = [
            ("<-5>", Flag::Bad),
            ("<-4>", Flag::Bad),
            ("<-3>", Flag::Bad),
            ("<-2>", Flag::Bad),
            ("<-1>", Flag::Bad),
            ("<0>", Flag::Ok),
            ("<1>", Flag::Doubtful),
            ("<2>", Flag::Doubtful),
            ("<3>", Flag::Ok),
            ("<4>", Flag::Ok),
            ("<5>", Flag::Ok),
        ];
        for (text, flag) in cases {
            let q = f(text);
            assert_eq!(q.flag, flag, "{text}");
            assert_eq!(q.code.to_string(), text[1..text.len() - 1], "{text}");
            assert!(!q.below_detection, "{text}");
            assert_eq!(q.explains_absence, q.code < 0, "{text}");
        }
        for bad in ["<6>", "<-6>", "<x>", "0", "<0", "", "  "] {
            assert!(flag_of(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn codes_and_letters_refine_the_number() {
        let sbl = f("<-4> [SBL]");
        assert_eq!((sbl.flag, sbl.below_detection), (Flag::Ok, true));
        assert_eq!(f("<-4> [SBL] (CHB)").flag, Flag::Ok);
        assert_eq!(f("<-3> [SBL]").flag, Flag::Bad);
        assert!(f("<-3> [SBL]").below_detection);
        assert_eq!(f("<0> [SBL]").flag, Flag::Ok);
        assert_eq!(f("<1> [GIM] (CSM)").flag, Flag::Doubtful);
        assert!(f("<0> [GDM]").explains_absence);
        assert!(!f("<0> (CND)").explains_absence);
        let b = f("<4>  B - C");
        assert_eq!((b.flag, b.below_detection), (Flag::Ok, true));
        assert_eq!(f("<4>  B - S").flag, Flag::Doubtful);
        assert_eq!(f("<4>  D").flag, Flag::Bad);
        assert!(f("<4>  M").explains_absence && f("<4>  C - K").explains_absence);
        assert!(!f("<4>  C").explains_absence && !f("<4>  C").below_detection);
        // Letters only mean something in historical data; (CBF) is a comment code, not B.
        assert!(!f("<0> (CBF)").below_detection);
    }

    #[test]
    fn reserves_have_their_standard_time() {
        assert_eq!(utc_offset_hours("apacp"), Some(-5));
        assert_eq!(utc_offset_hours("elkap"), Some(-8));
        assert_eq!(utc_offset_hours("JOB"), Some(-4));
        assert_eq!(utc_offset_hours("xyz"), None);
        assert_eq!(utc_offset_hours("ap"), None);
    }

    #[test]
    fn sections_drop_the_kind() {
        assert_eq!(section_of("/d/apacpwq.csv.gz", Kind::WaterQuality), "apacp");
        assert_eq!(section_of("apacpnut.csv", Kind::Nutrients), "apacp");
        assert_eq!(section_of("apacpwq2012.csv", Kind::WaterQuality), "apacp");
        assert_eq!(section_of("mydata.csv", Kind::Nutrients), "mydata");
    }
}
