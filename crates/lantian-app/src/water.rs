//! Surface water: the sections' classes over a period, the grades of rivers, basins and the
//! city, the change from a year earlier, and what districts pay each other for the water that
//! crosses their boundaries. The rules are `lantian-water`'s; this layer reads the files, folds
//! the readings (in parallel, file by file) and shapes the answers the command line, the API and
//! the bulletin give.

use crate::error::{AppError, Result};
use lantian_ingest::water::{self as reader, WaterFormat};
use lantian_water::compensation::{RuleTable, SectionMonth, balances, charge};
use lantian_water::period::{monitored, of_monthly};
use lantian_water::{
    Accumulator, Change, Completeness, Grade, Item, Measurement, Period, PeriodKind, Section,
    SectionPeriod, Shares, WaterBody, WaterClass, assess_period, grade, section_change, set_change,
};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Where the sections and readings are.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WaterSources {
    /// The sections file; without it every section key in the readings is a river section
    /// without a target (said so in the notes).
    pub sections: Option<PathBuf>,
    /// Reading files or folders of them (any of the water layouts, `.gz` allowed).
    pub readings: Vec<PathBuf>,
    /// Scheduled automatic readings a day; by default 6 (China's network), or 96 when the
    /// readings are a SWMP sonde's (every 15 minutes).
    pub automatic_per_day: Option<u32>,
}

/// A file read.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FileRead {
    pub file: String,
    pub format: String,
    pub rows: u64,
    pub problems: usize,
}

/// The sections and the readings folded.
#[derive(Debug, Clone)]
pub struct WaterData {
    pub sections: Vec<Section>,
    pub acc: Accumulator,
    pub files: Vec<FileRead>,
    /// Every cell or row not taken, with file, line and field.
    pub problems: Vec<String>,
    /// Values kept but flagged (an impossible value, a reading in a maintenance row), each
    /// with file, line and field: left out of every mean, never lost.
    pub flagged: Vec<String>,
    /// Section keys in the readings that no section has, with their readings' count: kept out
    /// of the assessment, never silently.
    pub unknown_sections: Vec<(String, u64)>,
    pub completeness: Completeness,
    pub notes: Vec<String>,
}

fn files_of(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut inner: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| AppError::BadInput(format!("{}: {e}", p.display())))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.is_file())
                .filter(|f| {
                    let n = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
                    (n.ends_with(".csv") || n.ends_with(".csv.gz") || n.ends_with(".txt"))
                        && n != "sections.csv"
                })
                .collect();
            inner.sort();
            out.extend(inner);
        } else {
            out.push(p.clone());
        }
    }
    if out.is_empty() {
        return Err(AppError::BadInput(
            "no reading files (give files or folders of the water layouts)".into(),
        ));
    }
    Ok(out)
}

/// What one file, or one part of a file, gave.
struct OneFile {
    format: WaterFormat,
    rows: u64,
    /// Lines read (of a part, its own), to number the lines of the parts after it.
    lines: u64,
    problems: Vec<reader::Problem>,
    acc: Accumulator,
}

/// Files in the automatic layout are read in parts of about this size, so that the cores finish
/// together (read whole, the last of 31 provincial files of 20 MB was read on one core while
/// the other waited).
const PART_BYTES: u64 = 8 << 20;

/// A piece of work for a reader thread: a file, or one part of a large file in the automatic
/// layout.
struct Unit {
    file: usize,
    part: reader::auto::Part,
    /// Whether the file is read in several parts.
    split: bool,
}

/// The units of `files`, the largest first.
fn units(files: &[PathBuf], part_bytes: u64) -> Vec<Unit> {
    let mut out = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let len = std::fs::metadata(f).map_or(0, |m| m.len());
        // A gzipped file is read whole, as a stream.
        let n = if reader::is_gzip(f) {
            1
        } else {
            len.div_ceil(part_bytes).max(1)
        };
        for part in reader::auto::Part::tiles(len, n) {
            out.push(Unit {
                file: i,
                part,
                split: n > 1,
            });
        }
    }
    // Stable: units of one size keep the files' order.
    out.sort_by_key(|u| std::cmp::Reverse(u.part.end - u.part.start));
    out
}

/// The layout a file's first line tells.
fn layout_of(path: &Path, first: &str) -> Result<WaterFormat> {
    match reader::detect(first) {
        Some(WaterFormat::Sections) => Err(AppError::BadInput(format!(
            "{}: a sections file given as readings (give it as the sections)",
            path.display()
        ))),
        Some(f) => Ok(f),
        None => Err(AppError::BadInput(format!(
            "{}:1: header: not a water layout (the automatic-station layout, grab samples \
             section,time,item,value,unit[,flag], NOAA SWMP or the Water Quality Portal)",
            path.display()
        ))),
    }
}

/// The readings of a file in a layout other than the automatic one, folded.
fn fold_other(path: &Path, format: WaterFormat, text: &str) -> OneFile {
    let name = path.display().to_string();
    let f = match format {
        WaterFormat::Grab => reader::grab::read_grab(&name, text),
        WaterFormat::Swmp => reader::swmp::read_swmp(&name, text),
        _ => reader::wqp::read_wqp(&name, text),
    };
    let mut acc = Accumulator::new();
    for r in &f.readings {
        acc.add_reading(r);
    }
    OneFile {
        format,
        rows: f.rows,
        lines: 0,
        problems: f.problems,
        acc,
    }
}

/// Read the unit `u` of `path`: the file's first line tells the layout; the automatic layout is
/// read piece by piece (the part asked for; a gzipped file whole), the others whole (by the
/// unit that starts the file; the other units of such a file give nothing). `bytes` is the
/// thread's buffer.
fn read_unit(path: &Path, u: &Unit, bytes: &mut Vec<u8>) -> Result<Option<OneFile>> {
    let name = path.display().to_string();
    let mut input = reader::open(path).map_err(AppError::BadInput)?;
    let (first, ended) =
        reader::read_first_line(path, &mut *input, bytes).map_err(AppError::BadInput)?;
    let format = layout_of(path, first)?;
    if format != WaterFormat::Automatic {
        if u.part.start > 0 {
            return Ok(None);
        }
        if !ended {
            input
                .read_to_end(bytes)
                .map_err(|e| AppError::BadInput(format!("{name}: {e}")))?;
        }
        let text = reader::text_of(path, bytes).map_err(AppError::BadInput)?;
        return Ok(Some(fold_other(path, format, text)));
    }
    let mut acc = Accumulator::new();
    let st = if u.part.start > 0 {
        use std::io::{Seek, SeekFrom};
        let header = first.to_string();
        // Parts are of plain files only: read from one byte before the part.
        let mut file =
            std::fs::File::open(path).map_err(|e| AppError::BadInput(format!("{name}: {e}")))?;
        file.seek(SeekFrom::Start(u.part.start - 1))
            .map_err(|e| AppError::BadInput(format!("{name}: {e}")))?;
        reader::auto::fold_auto_part(&name, &header, &mut file, bytes, &mut acc, u.part)
    } else if u.split {
        reader::auto::fold_auto_part(&name, "", &mut *input, bytes, &mut acc, u.part)
    } else {
        reader::auto::fold_auto_read(&name, &mut *input, bytes, &mut acc)
    }
    .map_err(AppError::BadInput)?;
    Ok(Some(OneFile {
        format,
        rows: st.rows,
        lines: st.lines,
        problems: st.problems,
        acc,
    }))
}

/// Read the sections and fold every reading file on every core: files, and parts of large
/// files, are folded into accumulators of their own, the largest first, and merged in the
/// order of the files and of their parts, so the result does not depend on the threads (the
/// parts of a file depend on its size only).
pub fn load(src: &WaterSources) -> Result<WaterData> {
    load_in_parts(src, PART_BYTES)
}

/// [`load`], large files read in parts of about `part_bytes`.
fn load_in_parts(src: &WaterSources, part_bytes: u64) -> Result<WaterData> {
    let files = files_of(&src.readings)?;
    let units = units(&files, part_bytes);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(units.len())
        .max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut slots: Vec<Option<Result<Option<OneFile>>>> = (0..units.len()).map(|_| None).collect();
    let results = std::sync::Mutex::new(&mut slots);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let mut bytes = Vec::new();
                loop {
                    let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(u) = units.get(k) else { break };
                    let r = read_unit(&files[u.file], u, &mut bytes);
                    results.lock().expect("no reader panics")[k] = Some(r);
                }
            });
        }
    });
    // In the order of the files and of their parts.
    let mut done: Vec<(usize, u64, Result<Option<OneFile>>)> = units
        .iter()
        .zip(slots)
        .map(|(u, r)| (u.file, u.part.start, r.expect("every unit is read")))
        .collect();
    done.sort_by_key(|(f, start, _)| (*f, *start));
    let mut acc = Accumulator::new();
    let mut read: Vec<FileRead> = Vec::new();
    let mut problems = Vec::new();
    let mut flagged = Vec::new();
    let mut swmp = false;
    let mut lines_before = 0;
    for (f, start, r) in done {
        let Some(mut one) = r? else { continue };
        if start == 0 {
            lines_before = 0;
            read.push(FileRead {
                file: files[f].display().to_string(),
                format: one.format.name().into(),
                rows: 0,
                problems: 0,
            });
        }
        // A part numbers its lines from its own first: the file's numbers follow on.
        for p in &mut one.problems {
            p.line += lines_before;
        }
        lines_before += one.lines;
        let this = read.last_mut().expect("a file's first unit comes first");
        this.rows += one.rows;
        this.problems += one.problems.iter().filter(|p| !p.kept).count();
        for p in one.problems {
            if p.kept {
                flagged.push(p.to_string());
            } else {
                problems.push(p.to_string());
            }
        }
        acc.merge(one.acc);
        swmp |= one.format == WaterFormat::Swmp;
    }
    let mut notes = Vec::new();
    let sections = match &src.sections {
        Some(p) => {
            let text = reader::read_text(p).map_err(AppError::BadInput)?;
            let s = reader::sections::read_sections(&p.display().to_string(), &text)
                .map_err(|e| AppError::BadInput(e.to_string()))?;
            if let Some(first) = s.problems.first() {
                return Err(AppError::BadInput(format!(
                    "{} rows of the sections file cannot be read (the first: {first}); an \
                     assessment does not leave sections out",
                    s.problems.len()
                )));
            }
            s.sections
        }
        None => {
            notes.push(
                "no sections file: every section in the readings is taken as a river section \
                 without a target"
                    .into(),
            );
            acc.keys()
                .iter()
                .map(|k| Section {
                    code: k.to_string(),
                    name_zh: k.to_string(),
                    name_en: k.to_string(),
                    body: WaterBody::River,
                    province: String::new(),
                    basin: String::new(),
                    water: String::new(),
                    district: String::new(),
                    upstream: None,
                    downstream: None,
                    inflow_section: None,
                    target: None,
                    lat: None,
                    lon: None,
                })
                .collect()
        }
    };
    let known: std::collections::HashSet<&str> = sections
        .iter()
        .flat_map(|s| [s.code.as_str(), s.name_zh.as_str()])
        .collect();
    let unknown_sections = acc
        .keys()
        .iter()
        .filter(|k| !known.contains(&***k))
        .map(|k| (k.to_string(), acc.readings_of(k)))
        .collect();
    let mut completeness = Completeness::default();
    if let Some(n) = src.automatic_per_day {
        completeness.automatic_per_day = n;
    } else if swmp {
        completeness.automatic_per_day = 96;
        notes.push("SWMP sonde readings: 96 scheduled a day (every 15 minutes)".into());
    }
    Ok(WaterData {
        sections,
        acc,
        files: read,
        problems,
        flagged,
        unknown_sections,
        completeness,
        notes,
    })
}

// ---- Assessment ----

/// One item's mean in a section's period.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeanRow {
    pub item: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub unit: &'static str,
    /// The mean as a number, or `<limit` / `ND`.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub mean: Option<MeanText>,
    pub class: Option<&'static str>,
    /// Times the class III limit is exceeded ((C − C_III) / C_III), where it is.
    pub exceedance: Option<f64>,
    /// Readings (a month) or months (a longer period) averaged, and what a full one has.
    pub n: u32,
    pub expected: u32,
    pub invalid: u32,
    pub complete: bool,
    pub origin: Option<&'static str>,
}

/// A section's period.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SectionRow {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub water: String,
    pub basin: String,
    pub province: String,
    pub district: String,
    pub body: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub period: String,
    /// `I`…`V`, `劣V`; none when no counted item has a complete mean.
    pub class: Option<String>,
    pub class_index: Option<usize>,
    pub quality_zh: Option<String>,
    pub quality_en: Option<String>,
    pub target: Option<String>,
    pub meets_target: Option<bool>,
    /// The items that set the class.
    pub limiting: Vec<String>,
    /// Items above class III, toxic items first, at most three.
    pub main_pollutants: Vec<String>,
    /// Counted items with a complete mean, and counted items with readings but an incomplete
    /// mean (left out of the class).
    pub items_assessed: usize,
    pub incomplete: Vec<String>,
    pub means: Vec<MeanRow>,
    /// The class of the same period a year earlier, and the change in the method's words.
    pub previous_class: Option<String>,
    pub change_zh: Option<String>,
    pub change_en: Option<String>,
}

/// A river's, basin's, province's, district's or the whole network's grade.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GradeRow {
    /// `all`, `province`, `basin`, `water` (a river or lake) or `district`.
    pub level: String,
    pub name: String,
    pub period: String,
    /// Sections with a class.
    pub sections: usize,
    pub good: usize,
    pub worse_than_v: usize,
    pub good_pct: f64,
    pub worse_than_v_pct: f64,
    /// None under five sections (the method then classes the mean of the sections instead).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub grade: Option<Grade>,
    pub grade_zh: Option<String>,
    pub grade_en: Option<String>,
}

/// The main pollutants of the network: items by the share of sections above class III.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PollutantRate {
    pub item: String,
    pub name_zh: String,
    pub name_en: String,
    pub sections_over: usize,
    pub rate_pct: f64,
}

/// The network's change from the same period a year earlier, over the sections classed in
/// both.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NetworkChange {
    pub previous_period: String,
    pub sections: usize,
    pub good_pct: f64,
    pub previous_good_pct: f64,
    pub worse_than_v_pct: f64,
    pub previous_worse_than_v_pct: f64,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub change: Change,
    pub change_zh: String,
    pub change_en: String,
    /// Whether it counts as "improved" (好转) in a bulletin's sentence.
    pub improved: bool,
    pub sections_better: usize,
    pub sections_worse: usize,
}

/// A section key in the readings that no section has.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnknownSection {
    pub key: String,
    pub readings: u64,
}

/// A period's assessment.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaterAssessment {
    pub period: String,
    pub sections: Vec<SectionRow>,
    /// Each month of the period, when asked for.
    pub months: Vec<SectionRow>,
    pub grades: Vec<GradeRow>,
    pub main_pollutants: Vec<PollutantRate>,
    pub change: Option<NetworkChange>,
    /// Class I–V and 劣V counts of the sections with a class, I first.
    pub class_counts: [usize; 6],
    pub files: Vec<FileRead>,
    /// Cells or rows not read, and values kept but flagged (both listed in full by the command
    /// line's `--problems`).
    pub problems: usize,
    pub flagged: usize,
    pub unknown_sections: Vec<UnknownSection>,
    pub notes: Vec<String>,
    /// The completeness rule applied.
    pub automatic_per_day: u32,
}

/// A mean as the results write it: the number, `<limit` or `ND`. Written when the result is
/// (a national year has a quarter of a million means, most never printed).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeanText(pub Measurement);

impl std::fmt::Display for MeanText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Measurement::Value(v) => write!(f, "{v}"),
            Measurement::BelowDetection(l) => write!(f, "<{l}"),
            Measurement::NotDetected => f.write_str("ND"),
        }
    }
}

impl Serialize for MeanText {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

fn section_row(s: &Section, sp: &SectionPeriod) -> SectionRow {
    let r = &sp.result;
    let means = sp
        .means
        .iter()
        .map(|m| {
            let item_result = r.items.iter().find(|x| x.item == m.item);
            MeanRow {
                item: m.item.code(),
                name_zh: m.item.name_zh(),
                name_en: m.item.row().name_en,
                unit: m.item.unit().code(),
                mean: m.mean.map(MeanText),
                class: item_result.and_then(|x| x.class).map(WaterClass::name),
                exceedance: item_result.and_then(|x| x.multiple),
                n: m.n,
                expected: m.expected,
                invalid: m.invalid,
                complete: m.complete,
                origin: m.origin.map(|o| o.code()),
            }
        })
        .collect();
    SectionRow {
        code: s.code.clone(),
        name_zh: s.name_zh.clone(),
        name_en: s.name_en.clone(),
        water: s.water.clone(),
        basin: s.basin.clone(),
        province: s.province.clone(),
        district: s.district.clone(),
        body: match s.body {
            WaterBody::River => "river".into(),
            WaterBody::Lake => "lake".into(),
        },
        lat: s.lat,
        lon: s.lon,
        period: sp.period.to_string(),
        class: r.class.map(|c| c.to_string()),
        class_index: r.class.map(WaterClass::index),
        quality_zh: r.class.map(|c| c.quality_zh().into()),
        quality_en: r.class.map(|c| c.quality_en().into()),
        target: s.target.map(|t| t.to_string()),
        meets_target: r.meets_target,
        limiting: r.limiting.iter().map(|i| i.code().to_string()).collect(),
        main_pollutants: r
            .main_pollutants
            .iter()
            .map(|i| i.code().to_string())
            .collect(),
        items_assessed: r
            .items
            .iter()
            .filter(|x| x.counted && x.class.is_some())
            .count(),
        incomplete: sp.incomplete.iter().map(|i| i.code().to_string()).collect(),
        means,
        previous_class: None,
        change_zh: None,
        change_en: None,
    }
}

fn grade_row(level: &str, name: &str, period: Period, classes: &[WaterClass]) -> GradeRow {
    let n = classes.len();
    let good = classes.iter().filter(|c| c.is_good()).count();
    let bad = classes
        .iter()
        .filter(|c| **c == WaterClass::WorseThanV)
        .count();
    let pct = |k: usize| {
        if n == 0 {
            0.0
        } else {
            100.0 * k as f64 / n as f64
        }
    };
    let g = grade(classes).map(|g| g.grade);
    GradeRow {
        level: level.into(),
        name: name.into(),
        period: period.to_string(),
        sections: n,
        good,
        worse_than_v: bad,
        good_pct: pct(good),
        worse_than_v_pct: pct(bad),
        grade: g,
        grade_zh: g.map(|g| g.name_zh().into()),
        grade_en: g.map(|g| g.name_en().into()),
    }
}

/// The grades of every province, basin, river or lake and district named in the sections file
/// (a group whose sections have no class gets a row with none), and of the whole network.
fn grades(sections: &[Section], classed: &[(usize, WaterClass)], period: Period) -> Vec<GradeRow> {
    let mut out = vec![grade_row(
        "all",
        "all",
        period,
        &classed.iter().map(|x| x.1).collect::<Vec<_>>(),
    )];
    type Key = fn(&Section) -> &str;
    let levels: [(&str, Key); 4] = [
        ("basin", |s| &s.basin),
        ("district", |s| &s.district),
        ("province", |s| &s.province),
        ("water", |s| &s.water),
    ];
    for (level, key) in levels {
        let mut groups: BTreeMap<&str, Vec<WaterClass>> = BTreeMap::new();
        for s in sections {
            if !key(s).is_empty() {
                groups.entry(key(s)).or_default();
            }
        }
        for &(i, c) in classed {
            if let Some(g) = groups.get_mut(key(&sections[i])) {
                g.push(c);
            }
        }
        for (name, cs) in groups {
            out.push(grade_row(level, name, period, &cs));
        }
    }
    out
}

/// Assess every section over `period` (and its months when `months`), grade the network and
/// compare with the same period a year earlier when the readings reach back that far.
pub fn assess(data: &WaterData, period: Period, months: bool) -> Result<WaterAssessment> {
    let c = &data.completeness;
    // Each section's monthly means, taken once: they give the period, its months and whether
    // the section was monitored in each.
    use rayon::prelude::*;
    let monthly: Vec<_> = data
        .sections
        .par_iter()
        .map(|s| {
            data.acc.monthly_means(
                &[s.code.as_str(), s.name_zh.as_str()],
                period.year,
                period.months(),
                c,
            )
        })
        .collect();
    let per_section: Vec<SectionPeriod> = data
        .sections
        .par_iter()
        .zip(&monthly)
        .map(|(s, m)| of_monthly(s, m, period, c))
        .collect();
    let earlier = period.a_year_earlier();
    let has_earlier = data.sections.iter().any(|s| {
        data.acc
            .years(&[s.code.as_str(), s.name_zh.as_str()])
            .contains(&earlier.year)
    });
    let previous: Option<Vec<SectionPeriod>> = has_earlier.then(|| {
        data.sections
            .par_iter()
            .map(|s| assess_period(s, &data.acc, earlier, c))
            .collect()
    });
    let mut rows = Vec::new();
    let mut classed = Vec::new();
    let mut pairs = Vec::new();
    let built: Vec<Option<SectionRow>> = data
        .sections
        .par_iter()
        .zip(&per_section)
        .zip(&monthly)
        .map(|((s, sp), m)| monitored(m, period.months()).then(|| section_row(s, sp)))
        .collect();
    for (i, (sp, row)) in per_section.iter().zip(built).enumerate() {
        let Some(mut row) = row else { continue };
        if let Some(c) = sp.class() {
            classed.push((i, c));
        }
        if let Some(prev) = previous.as_ref().and_then(|p| p[i].class()) {
            row.previous_class = Some(prev.to_string());
            if let Some(now) = sp.class() {
                let ch = section_change(prev, now);
                row.change_zh = Some(ch.name_zh().into());
                row.change_en = Some(ch.name_en().into());
                pairs.push((prev, now));
            }
        }
        rows.push(row);
    }
    if rows.is_empty() {
        return Err(AppError::NoReadings {
            subject: "any water section".into(),
            span: period.to_string(),
        });
    }
    let mut month_rows = Vec::new();
    if months && period.kind != PeriodKind::Month {
        // Month by month, each month's sections in the sections' order.
        let ms: Vec<u32> = period.months().collect();
        let n = data.sections.len();
        month_rows = (0..ms.len() * n)
            .into_par_iter()
            .filter_map(|k| {
                let (m, i) = (ms[k / n], k % n);
                let (s, means) = (&data.sections[i], &monthly[i]);
                monitored(means, m..=m).then(|| {
                    section_row(s, &of_monthly(s, means, Period::month(period.year, m), c))
                })
            })
            .collect();
    }
    let mut class_counts = [0usize; 6];
    for (_, c) in &classed {
        class_counts[c.index()] += 1;
    }
    let n = classed.len();
    let mut main_pollutants: Vec<PollutantRate> = lantian_water::gb3838::TABLE
        .iter()
        .filter(|r| r.item.in_section_class())
        .map(|r| {
            let over = classed
                .iter()
                .filter(|(i, _)| {
                    per_section[*i].result.items.iter().any(|x| {
                        x.item == r.item
                            && x.counted
                            && x.class.is_some_and(|c| c > WaterClass::III)
                    })
                })
                .count();
            PollutantRate {
                item: r.item.code().into(),
                name_zh: r.item.name_zh().into(),
                name_en: r.name_en.into(),
                sections_over: over,
                rate_pct: if n == 0 {
                    0.0
                } else {
                    100.0 * over as f64 / n as f64
                },
            }
        })
        .filter(|p| p.sections_over > 0)
        .collect();
    main_pollutants.sort_by_key(|p| std::cmp::Reverse(p.sections_over));
    main_pollutants.truncate(3);
    let change = (!pairs.is_empty()).then(|| {
        let before: Vec<WaterClass> = pairs.iter().map(|p| p.0).collect();
        let after: Vec<WaterClass> = pairs.iter().map(|p| p.1).collect();
        let (b, a) = (Shares::of(&before), Shares::of(&after));
        let ch = set_change(&b, &a);
        NetworkChange {
            previous_period: earlier.to_string(),
            sections: pairs.len(),
            good_pct: a.good_pct,
            previous_good_pct: b.good_pct,
            worse_than_v_pct: a.worse_than_v_pct,
            previous_worse_than_v_pct: b.worse_than_v_pct,
            change: ch,
            change_zh: ch.name_zh().into(),
            change_en: ch.name_en().into(),
            improved: ch.improved(),
            sections_better: pairs.iter().filter(|p| p.1 < p.0).count(),
            sections_worse: pairs.iter().filter(|p| p.1 > p.0).count(),
        }
    });
    let mut notes = data.notes.clone();
    if !data.unknown_sections.is_empty() {
        notes.push(format!(
            "{} section keys in the readings are not in the sections file and are not assessed: {}",
            data.unknown_sections.len(),
            data.unknown_sections
                .iter()
                .take(5)
                .map(|(k, n)| format!("{k} ({n} readings)"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let without_target: Vec<&str> = data
        .sections
        .iter()
        .filter(|s| s.target.is_none())
        .map(|s| s.code.as_str())
        .collect();
    if !without_target.is_empty() && data.sections.iter().any(|s| s.target.is_some()) {
        notes.push(format!(
            "{} sections have no target class; they are classed, but whether they meet a target \
             is not said: {}",
            without_target.len(),
            without_target.join(", ")
        ));
    }
    Ok(WaterAssessment {
        period: period.to_string(),
        grades: grades(&data.sections, &classed, period),
        sections: rows,
        months: month_rows,
        main_pollutants,
        change,
        class_counts,
        files: data.files.clone(),
        problems: data.problems.len(),
        flagged: data.flagged.len(),
        unknown_sections: data
            .unknown_sections
            .iter()
            .map(|(key, readings)| UnknownSection {
                key: key.clone(),
                readings: *readings,
            })
            .collect(),
        notes,
        automatic_per_day: c.automatic_per_day,
    })
}

/// The classes as CSV: `section,period,class` (sections, then months), sorted by section and
/// period; the independent recomputations write the same.
pub fn classes_csv(a: &WaterAssessment) -> String {
    let mut rows: Vec<(&str, &str, String)> = a
        .sections
        .iter()
        .chain(&a.months)
        .map(|r| {
            (
                r.code.as_str(),
                r.period.as_str(),
                r.class.clone().unwrap_or_default(),
            )
        })
        .collect();
    rows.sort();
    let mut out = String::from("section,period,class\n");
    for (s, p, c) in rows {
        out.push_str(&format!("{s},{p},{c}\n"));
    }
    out
}

/// The grades as CSV: `level,name,period,sections,good,worse_than_v,grade`.
pub fn grades_csv(a: &WaterAssessment) -> String {
    let mut out = String::from("level,name,period,sections,good,worse_than_v,grade\n");
    let mut rows: Vec<&GradeRow> = a.grades.iter().collect();
    rows.sort_by(|x, y| (&x.level, &x.name).cmp(&(&y.level, &y.name)));
    for g in rows {
        out.push_str(&format!(
            "{},{},{},{},{},{},{}\n",
            g.level,
            g.name,
            g.period,
            g.sections,
            g.good,
            g.worse_than_v,
            g.grade_zh.clone().unwrap_or_default()
        ));
    }
    out
}

// ---- Sections ----

/// The sections with what the readings hold for each.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SectionInfo {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub body: String,
    pub basin: String,
    pub water: String,
    pub district: String,
    pub upstream: Option<String>,
    pub downstream: Option<String>,
    pub inflow_section: Option<String>,
    pub target: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub readings: u64,
    pub years: Vec<i32>,
}

pub fn sections(data: &WaterData) -> Vec<SectionInfo> {
    data.sections
        .iter()
        .map(|s| {
            let keys = [s.code.as_str(), s.name_zh.as_str()];
            SectionInfo {
                code: s.code.clone(),
                name_zh: s.name_zh.clone(),
                name_en: s.name_en.clone(),
                body: match s.body {
                    WaterBody::River => "river".into(),
                    WaterBody::Lake => "lake".into(),
                },
                basin: s.basin.clone(),
                water: s.water.clone(),
                district: s.district.clone(),
                upstream: s.upstream.clone(),
                downstream: s.downstream.clone(),
                inflow_section: s.inflow_section.clone(),
                target: s.target.map(|t| t.to_string()),
                lat: s.lat,
                lon: s.lon,
                readings: if s.code == s.name_zh {
                    data.acc.readings_of(&s.code)
                } else {
                    data.acc.readings_of(&s.code) + data.acc.readings_of(&s.name_zh)
                },
                years: data.acc.years(&keys),
            }
        })
        .collect()
}

// ---- Compensation ----

/// One item's charge at a boundary section in a month.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChargeRow {
    pub section: String,
    pub name_zh: String,
    pub month: String,
    /// The district that pays, the district or province the water enters, and who receives
    /// the money (the downstream district, or the city's pool when the water leaves Beijing).
    pub upstream: String,
    pub downstream: String,
    pub receiver: String,
    pub item: String,
    pub target: String,
    pub outflow_class: String,
    pub inflow_class: Option<String>,
    pub rule: String,
    pub classes: usize,
    pub amount_cny: f64,
}

/// A district's balance: positive receives, negative pays.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Balance {
    pub district: String,
    pub balance_cny: f64,
}

/// An item that could not be judged at a section and month (no complete mean, no class).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unjudged {
    pub section: String,
    pub month: String,
    pub item: String,
    pub why: String,
}

/// What the districts pay and receive over a period.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompensationReport {
    pub period: String,
    pub rules: String,
    pub rules_source: String,
    pub unconfirmed: Vec<String>,
    pub boundary_sections: usize,
    pub section_months: usize,
    pub charges: Vec<ChargeRow>,
    pub total_cny: f64,
    pub balances: Vec<Balance>,
    pub unjudged: Vec<Unjudged>,
    /// Boundary sections left out because they have no target class.
    pub without_target: Vec<String>,
}

/// Who receives the charge for water that leaves the city.
pub const CITY_POOL: &str = "市级统筹";

/// The rule table: Beijing's 2014 scheme, or a JSON file of the same shape.
pub fn rules(file: Option<&Path>) -> Result<RuleTable> {
    match file {
        None => Ok(RuleTable::beijing_2014()),
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| AppError::BadInput(format!("{}: {e}", p.display())))?;
            serde_json::from_str(&text).map_err(|e| {
                AppError::BadInput(format!(
                    "{}:{}: a rule table (see docs/water.md): {e}",
                    p.display(),
                    e.line()
                ))
            })
        }
    }
}

/// Charge every boundary section for every month of `period`.
pub fn compensation(
    data: &WaterData,
    period: Period,
    table: &RuleTable,
) -> Result<CompensationReport> {
    let c = &data.completeness;
    let by_code: HashMap<&str, &Section> =
        data.sections.iter().map(|s| (s.code.as_str(), s)).collect();
    let mut charges = Vec::new();
    let mut section_charges = Vec::new();
    let mut unjudged = Vec::new();
    let mut without_target = Vec::new();
    let boundary: Vec<&Section> = data.sections.iter().filter(|s| s.is_boundary()).collect();
    // Water leaving for another province is paid to the city, which pools it (2014 scheme:
    // "where the downstream is another province the money is pooled at municipal level").
    let districts: std::collections::HashSet<&str> =
        data.sections.iter().map(|s| s.district.as_str()).collect();
    let receiver = |d: &str| -> String {
        if districts.contains(d) {
            d.to_string()
        } else {
            CITY_POOL.to_string()
        }
    };
    if boundary.is_empty() {
        return Err(AppError::BadInput(
            "no boundary section (a section with an upstream and a downstream district) in the \
             sections file"
                .into(),
        ));
    }
    let means_of = |s: &Section, m: u32| -> Vec<(Item, Measurement)> {
        data.acc
            .monthly_means(
                &[s.code.as_str(), s.name_zh.as_str()],
                period.year,
                m..=m,
                c,
            )
            .into_values()
            .filter(|x| x.complete)
            .filter_map(|x| x.mean.map(|v| (x.item, v)))
            .collect()
    };
    let mut section_months = 0;
    for s in &boundary {
        let Some(target) = s.target else {
            without_target.push(s.code.clone());
            continue;
        };
        for m in period.months() {
            let outflow = means_of(s, m);
            if outflow.is_empty() {
                continue;
            }
            section_months += 1;
            let inflow = s
                .inflow_section
                .as_deref()
                .and_then(|k| by_code.get(k))
                .map(|u| means_of(u, m))
                .unwrap_or_default();
            let sm = SectionMonth {
                section: s.code.clone(),
                upstream: s.upstream.clone().unwrap_or_default(),
                downstream: receiver(s.downstream.as_deref().unwrap_or_default()),
                target,
                body: s.body,
                outflow,
                inflow,
            };
            let ch = charge(table, &sm);
            let month = Period::month(period.year, m).to_string();
            for x in &ch.charges {
                charges.push(ChargeRow {
                    section: s.code.clone(),
                    name_zh: s.name_zh.clone(),
                    month: month.clone(),
                    upstream: sm.upstream.clone(),
                    downstream: s.downstream.clone().unwrap_or_default(),
                    receiver: sm.downstream.clone(),
                    item: x.item.code().into(),
                    target: target.to_string(),
                    outflow_class: x.outflow_class.to_string(),
                    inflow_class: x.inflow_class.map(|c| c.to_string()),
                    rule: x.rule.into(),
                    classes: x.classes,
                    amount_cny: x.amount,
                });
            }
            for (item, why) in &ch.unjudged {
                unjudged.push(Unjudged {
                    section: s.code.clone(),
                    month: month.clone(),
                    item: item.code().into(),
                    why: why.clone(),
                });
            }
            section_charges.push(ch);
        }
    }
    let total = charges.iter().map(|c| c.amount_cny).sum();
    Ok(CompensationReport {
        period: period.to_string(),
        rules: table.name.clone(),
        rules_source: table.source.clone(),
        unconfirmed: table.unconfirmed.clone(),
        boundary_sections: boundary.len(),
        section_months,
        charges,
        total_cny: total,
        balances: balances(&section_charges)
            .into_iter()
            .map(|(district, balance_cny)| Balance {
                district,
                balance_cny,
            })
            .collect(),
        unjudged,
        without_target,
    })
}

/// Read a period for the water use cases (`2024`, `2024-H1`, `2024-Q3`, `2024-07`).
pub fn period(s: &str) -> Result<Period> {
    Period::parse(s).ok_or_else(|| AppError::BadParameter {
        parameter: "period",
        value: s.into(),
        reason: "a year (2024), half (2024-H1), quarter (2024-Q3) or month (2024-07)".into(),
    })
}

// ---- The bulletin's water section ----

/// The water period of a bulletin's days: a month, quarter, half-year or year of one calendar
/// year (a water class is a period mean, so a bulletin over other days has none).
pub fn period_of_days(first: chrono::NaiveDate, last: chrono::NaiveDate) -> Result<Period> {
    use chrono::Datelike;
    let y = first.year();
    let bad = || AppError::BadParameter {
        parameter: "period",
        value: format!("{first}..{last}"),
        reason: "the water section needs a month, quarter, half-year or year".into(),
    };
    if last.year() != y || first.day() != 1 || last.succ_opt().is_none_or(|d| d.day() != 1) {
        return Err(bad());
    }
    let (m0, m1) = (first.month(), last.month());
    let p = match (m0, m1) {
        (1, 12) => Period::year(y),
        (a, b) if a == b => Period::month(y, a),
        (a, b) if b == a + 2 && a % 3 == 1 => Period {
            year: y,
            kind: PeriodKind::Quarter,
            index: a / 3 + 1,
        },
        (1, 6) | (7, 12) => Period {
            year: y,
            kind: PeriodKind::Half,
            index: if m0 == 1 { 1 } else { 2 },
        },
        _ => return Err(bad()),
    };
    Ok(p)
}

/// The water section's figures for `period`: the classes and their change, the main
/// pollutants, the map's points and, when the sections have boundaries, the compensation. Cells
/// or rows the readers could not take fail the section: a bulletin does not publish classes
/// from readings read in part without saying so, and the command that reads them names each.
pub fn water_figures(
    src: &WaterSources,
    period: Period,
) -> Result<lantian_report::water::WaterFigures> {
    use lantian_report::water::{
        CompensationFigures, DistrictBalance, PollutantShare, WaterFigures, WaterPoint,
    };
    let data = load(src)?;
    if let Some(first) = data.problems.first() {
        return Err(AppError::BadInput(format!(
            "the water section needs every reading ({} cells or rows not read, the first: {first}; \
             the water assessment lists them all)",
            data.problems.len()
        )));
    }
    let a = assess(&data, period, false)?;
    let all = a.grades.iter().find(|g| g.level == "all");
    let classed: usize = a.class_counts.iter().sum();
    let points = a
        .sections
        .iter()
        .filter_map(|s| {
            Some(WaterPoint {
                code: s.code.clone(),
                name_zh: s.name_zh.clone(),
                name_en: s.name_en.clone(),
                lat: s.lat?,
                lon: s.lon?,
                class_index: s.class_index,
            })
        })
        .collect();
    let compensation = if data.sections.iter().any(|s| s.is_boundary()) {
        let c = compensation(&data, period, &RuleTable::beijing_2014())?;
        Some(CompensationFigures {
            rules: c.rules,
            section_months: c.section_months,
            total_cny: c.total_cny,
            balances: c
                .balances
                .into_iter()
                .map(|b| DistrictBalance {
                    district: b.district,
                    cny: b.balance_cny,
                })
                .collect(),
            unjudged: c.unjudged.len(),
            unconfirmed: c.unconfirmed,
        })
    } else {
        None
    };
    Ok(WaterFigures {
        period: a.period.clone(),
        sections: a.sections.len(),
        classed,
        class_counts: a.class_counts,
        good_pct: all.map_or(0.0, |g| g.good_pct),
        worse_than_v_pct: all.map_or(0.0, |g| g.worse_than_v_pct),
        grade_zh: all.and_then(|g| g.grade_zh.clone()),
        grade_en: all.and_then(|g| g.grade_en.clone()),
        with_target: a
            .sections
            .iter()
            .filter(|s| s.meets_target.is_some())
            .count(),
        meeting_target: a
            .sections
            .iter()
            .filter(|s| s.meets_target == Some(true))
            .count(),
        previous_period: a.change.as_ref().map(|c| c.previous_period.clone()),
        previous_good_pct: a.change.as_ref().map(|c| c.previous_good_pct),
        previous_worse_than_v_pct: a.change.as_ref().map(|c| c.previous_worse_than_v_pct),
        change_zh: a.change.as_ref().map(|c| c.change_zh.clone()),
        change_en: a.change.as_ref().map(|c| c.change_en.clone()),
        improved: a.change.as_ref().map(|c| c.improved),
        main_pollutants: a
            .main_pollutants
            .iter()
            .map(|p| PollutantShare {
                name_zh: p.name_zh.clone(),
                name_en: p.name_en.clone(),
                rate_pct: p.rate_pct,
            })
            .collect(),
        points,
        compensation,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file in the automatic layout of three sections over two months, with problems on known
    /// lines, and a grab file; both read whole and in parts of many sizes.
    #[test]
    fn files_read_in_parts_give_what_files_read_whole_give() {
        let dir = std::env::temp_dir().join(format!("lantian-water-parts-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut auto = format!("{}\r\n", reader::auto::HEADER);
        let mut line = 1;
        let mut bad_lines = Vec::new();
        for (k, section) in ["甲断面", "乙断面", "丙断面"].iter().enumerate() {
            for day in 1..=59u32 {
                let (m, d) = if day <= 31 { (1, day) } else { (2, day - 31) };
                for h in [0, 4, 8, 12, 16, 20] {
                    line += 1;
                    let nh3 = format!("0.{}", 10 + (day * 7 + h + k as u32) % 80);
                    let do_ = if (day + h) % 97 == 5 {
                        bad_lines.push(line);
                        "x".to_string()
                    } else {
                        format!("{}.{}", 5 + (day + h) % 4, h)
                    };
                    auto += &format!(
                        "北京市,海河流域,{section},2024-{m:02}-{d:02} {h:02}:00,Ⅲ,3.2,7.5,{do_},512,12,3.4,{nh3},0.05,5,--,--,正常\r\n"
                    );
                }
            }
        }
        auto +=
            "北京市,海河流域,甲断面,2024-02-30 00:00,Ⅲ,3.2,7.5,9,512,12,3.4,0.5,0.05,5,--,--,正常";
        std::fs::write(dir.join("auto.csv"), &auto).unwrap();
        std::fs::write(
            dir.join("grab.csv"),
            "section,time,item,value,unit\n甲断面,2024-01-15 10:00,氨氮,0.4,mg/L\n甲断面,2024-02-15 10:00,氨氮,bad,mg/L\n",
        )
        .unwrap();
        let src = WaterSources {
            sections: None,
            readings: vec![dir.clone()],
            automatic_per_day: None,
        };
        let whole = load_in_parts(&src, u64::MAX).unwrap();
        assert_eq!(whole.files.len(), 2);
        assert_eq!(whole.files[0].rows, 3 * 59 * 6 + 1);
        // The bad values and the impossible date, at their lines.
        for l in &bad_lines {
            assert!(
                whole
                    .problems
                    .iter()
                    .any(|p| p
                        .starts_with(&format!("{}:{l}: 溶解氧", dir.join("auto.csv").display()))),
                "line {l}: {:?}",
                whole.problems
            );
        }
        assert_eq!(whole.problems.len(), bad_lines.len() + 2);
        let period = period("2024").unwrap();
        let want = classes_csv(&assess(&whole, period, true).unwrap());
        for part_bytes in [1, 100, 4096, 50_000, auto.len() as u64 / 2] {
            let parts = load_in_parts(&src, part_bytes).unwrap();
            assert_eq!(
                format!("{:?}", parts.files),
                format!("{:?}", whole.files),
                "{part_bytes}"
            );
            assert_eq!(parts.problems, whole.problems, "{part_bytes}");
            assert_eq!(parts.flagged, whole.flagged, "{part_bytes}");
            assert_eq!(parts.acc.keys(), whole.acc.keys(), "{part_bytes}");
            for key in whole.acc.keys() {
                assert_eq!(parts.acc.readings_of(key), whole.acc.readings_of(key));
            }
            assert_eq!(classes_csv(&assess(&parts, period, true).unwrap()), want);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
