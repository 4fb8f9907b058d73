//! China's national automatic water-station layout (国家地表水水质自动监测实时数据发布系统):
//!
//! `省份,流域,断面名称,监测时间,水质类别,水温(℃),pH(无量纲),溶解氧(mg/L),电导率(μS/cm),浊度(NTU),高锰酸盐指数(mg/L),氨氮(mg/L),总磷(mg/L),总氮(mg/L),叶绿素α(mg/L),藻密度(cells/L),站点情况`
//!
//! One row per section and reading (every 4 hours), Beijing time as printed. A missing cell is
//! `--`. The station status (站点情况) is `正常` for a normal reading; any other status
//! (维护 maintenance, 故障 fault, 停运 …) makes every value of the row invalid: kept, counted,
//! flagged `bad` with the status as the source's flag, never averaged. The published class of
//! the reading (水质类别) is checked to be a class and not used: Lantian classes periods from
//! their means, which a single reading's class does not give.
//!
//! Conductivity, turbidity, chlorophyll-a and algal density have no GB 3838 class; they are
//! read, checked and kept as determinands of their own.
//!
//! Two ways to read: [`read_auto`] gives every reading (for a file or a few), [`fold_auto`]
//! folds the readings into an [`Accumulator`] as it goes, so a national year (about 2,000
//! stations, 4.4 million rows) is read without holding fifty million readings;
//! [`fold_auto_read`] does the same on a file read piece by piece, never whole.

use super::{Problem, WaterFile};
use crate::text::{decimal_of, plain_decimal, plain_parts, trim};
use chrono::{NaiveDate, NaiveDateTime};
use lantian_model::Flag;
use lantian_water::period::MonthBlock;
use lantian_water::{Accumulator, Determinand, Item, Measurement, Origin, Reading, WaterClass};
use std::sync::Arc;

/// A column of the layout, found by its name before the unit in brackets.
#[derive(Debug, Clone, PartialEq)]
enum Col {
    Province,
    Basin,
    Section,
    Time,
    PublishedClass,
    Value(Determinand),
    Status,
}

fn column(name: &str) -> Option<Col> {
    let base = name
        .split(['(', '（'])
        .next()
        .unwrap_or(name)
        .trim()
        .trim_start_matches('\u{feff}');
    let other = |c: &str, u: &str| Some(Col::Value(Determinand::other(c, u)));
    match base {
        "省份" => Some(Col::Province),
        "流域" => Some(Col::Basin),
        "断面名称" => Some(Col::Section),
        "监测时间" => Some(Col::Time),
        "水质类别" => Some(Col::PublishedClass),
        "站点情况" => Some(Col::Status),
        "水温" => Some(Col::Value(Determinand::Item(Item::WaterTemperature))),
        "pH" | "PH" | "pH值" => Some(Col::Value(Determinand::Item(Item::Ph))),
        "溶解氧" => Some(Col::Value(Determinand::Item(Item::DissolvedOxygen))),
        "高锰酸盐指数" => Some(Col::Value(Determinand::Item(Item::PermanganateIndex))),
        "氨氮" => Some(Col::Value(Determinand::Item(Item::AmmoniaNitrogen))),
        "总磷" => Some(Col::Value(Determinand::Item(Item::TotalPhosphorus))),
        "总氮" => Some(Col::Value(Determinand::Item(Item::TotalNitrogen))),
        "电导率" => other("water.conductivity", "uS/cm"),
        "浊度" => other("water.turbidity", "NTU"),
        "叶绿素α" | "叶绿素a" | "叶绿素" => other("water.chla", "mg/L"),
        "藻密度" => other("water.algae", "cells/L"),
        _ => None,
    }
}

/// What reading a file gave, besides its values.
#[derive(Debug, Clone, Default)]
pub struct AutoStats {
    /// Data rows (not counting the header).
    pub rows: u64,
    /// Values read (cells that were not `--`), valid or not.
    pub values: u64,
    /// Values in rows whose station status was not normal, or negative.
    pub invalid: u64,
    /// Lines read, the header and blank lines included (of a [`Part`], its own).
    pub lines: u64,
    pub problems: Vec<Problem>,
}

struct Layout {
    cols: Vec<Col>,
    section: usize,
    time: usize,
    status: usize,
    class: Option<usize>,
}

fn layout(file: &str, header: &str) -> Result<Layout, Problem> {
    let names: Vec<&str> = header.trim_end_matches('\r').split(',').collect();
    let mut cols = Vec::with_capacity(names.len());
    for n in &names {
        match column(n) {
            Some(c) => cols.push(c),
            None => {
                return Err(Problem::new(
                    file,
                    1,
                    n,
                    header,
                    "a column the automatic-station layout does not have: the file is not read, \
                     so no column is silently ignored",
                ));
            }
        }
    }
    let find = |c: &Col, what: &str| {
        cols.iter().position(|x| x == c).ok_or_else(|| {
            Problem::new(
                file,
                1,
                what,
                header,
                format!("the layout needs a {what} column"),
            )
        })
    };
    Ok(Layout {
        section: find(&Col::Section, "断面名称")?,
        time: find(&Col::Time, "监测时间")?,
        status: find(&Col::Status, "站点情况")?,
        class: cols.iter().position(|x| *x == Col::PublishedClass),
        cols,
    })
}

/// `YYYY-MM-DD HH:MM`, with `:SS` or `/` separators accepted.
fn parse_time(t: &str) -> Option<NaiveDateTime> {
    let b = t.as_bytes();
    if b.len() == 16 && b[4] == b'-' && b[7] == b'-' && b[10] == b' ' && b[13] == b':' {
        let n = |i: usize, k: usize| -> Option<u32> {
            b[i..i + k].iter().try_fold(0u32, |a, &c| {
                c.is_ascii_digit().then(|| a * 10 + u32::from(c - b'0'))
            })
        };
        return NaiveDate::from_ymd_opt(n(0, 4)? as i32, n(5, 2)?, n(8, 2)?)?.and_hms_opt(
            n(11, 2)?,
            n(14, 2)?,
            0,
        );
    }
    ["%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
}

/// [`parse_time`], reusing the last row's date when the date part is the same (six readings a
/// day share one).
#[inline]
fn parse_time_cached(t: &str, last: &mut Option<([u8; 10], NaiveDate)>) -> Option<NaiveDateTime> {
    let b = t.as_bytes();
    if b.len() == 16 && b[10] == b' ' && b[13] == b':' {
        if let Some((d, date)) = *last
            && d[..] == b[..10]
        {
            let n = |i: usize| -> Option<u32> {
                let (x, y) = (b[i].wrapping_sub(b'0'), b[i + 1].wrapping_sub(b'0'));
                (x < 10 && y < 10).then(|| u32::from(x) * 10 + u32::from(y))
            };
            return date.and_hms_opt(n(11)?, n(14)?, 0);
        }
        let parsed = parse_time(t)?;
        *last = Some((b[..10].try_into().expect("ten bytes"), parsed.date()));
        return Some(parsed);
    }
    parse_time(t)
}

/// The fields of a quoted line, by the csv crate's rules (the plain split serves the rest).
fn quoted_fields(line: &str) -> Vec<String> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line.as_bytes());
    match r.records().next() {
        Some(Ok(rec)) => rec.iter().map(str::to_string).collect(),
        _ => Vec::new(),
    }
}

/// A cell's value: a plain number straight away, else the detection-limit forms.
#[inline]
fn measurement(cell: &str) -> Option<Measurement> {
    match cell.as_bytes().first() {
        Some(b'0'..=b'9' | b'-' | b'.') => plain_decimal(cell.as_bytes())
            .or_else(|| cell.parse::<f64>().ok().filter(|v| v.is_finite()))
            .map(Measurement::Value),
        _ => Measurement::parse(cell),
    }
}

/// One row's values: (column's determinand, value, valid).
type RowValues<'a> = [(&'a Determinand, Measurement, bool)];

/// A scan of one file, carried from one piece of its text to the next: the header's layout,
/// the line number reached and what was found.
struct Scan<'f> {
    file: &'f str,
    header: String,
    lay: Layout,
    /// The value columns, their determinands and class items, found once rather than per row.
    value_cols: Vec<(usize, Determinand, Option<Item>)>,
    others: bool,
    last_date: Option<([u8; 10], NaiveDate)>,
    /// The number of the last line scanned (the header is line 1).
    line_no: u64,
    st: AutoStats,
}

/// What a row gives the caller: (section, time, status, line, values).
trait OnRow: FnMut(&str, NaiveDateTime, &str, u64, &RowValues<'_>) {}
impl<F: FnMut(&str, NaiveDateTime, &str, u64, &RowValues<'_>)> OnRow for F {}

impl<'f> Scan<'f> {
    /// What the scan found, with the lines it read.
    fn finish(mut self) -> AutoStats {
        self.st.lines = self.line_no;
        self.st
    }

    /// The scan of a file whose header (first line, without its newline) is `header`; a header
    /// that is not the layout's ends the scan with its problem.
    fn start(file: &'f str, header: &str, others: bool) -> Result<Scan<'f>, AutoStats> {
        let header = header.trim_start_matches('\u{feff}');
        let lay = layout(file, header).map_err(|p| AutoStats {
            problems: vec![p],
            ..AutoStats::default()
        })?;
        let value_cols = lay
            .cols
            .iter()
            .enumerate()
            .filter_map(|(k, c)| match c {
                Col::Value(d) => Some((k, d.clone(), d.item())),
                _ => None,
            })
            .collect();
        Ok(Scan {
            file,
            header: header.to_string(),
            lay,
            value_cols,
            others,
            last_date: None,
            line_no: 1,
            st: AutoStats::default(),
        })
    }

    /// Scan whole lines of the body (the last may lack its newline only at the end of the
    /// file), calling `on` once a row.
    fn lines<'a>(&mut self, text: &'a str, on: &mut impl OnRow) {
        let Scan {
            file,
            header,
            lay,
            value_cols,
            others,
            last_date,
            line_no,
            st,
        } = self;
        let file: &str = file;
        let header: &str = header;
        let mut values: Vec<(&Determinand, Measurement, bool)> = Vec::with_capacity(lay.cols.len());
        let mut row = |raw: &'a str, split: &[&'a str], line_no: u64, quote_near: bool| {
            // A byte test first: the pattern search of `trim_end_matches` on every row cost a
            // hundredth of reading.
            let line = if raw.as_bytes().last() == Some(&b'\r') {
                raw.trim_end_matches('\r')
            } else {
                raw
            };
            if line.is_empty() {
                return;
            }
            st.rows += 1;
            let owned: Vec<String>;
            let quoted: Vec<&str>;
            let f: &[&str] = if quote_near && split.iter().any(|x| x.starts_with('"')) {
                owned = quoted_fields(line);
                quoted = owned.iter().map(String::as_str).collect();
                &quoted
            } else {
                split
            };
            if f.len() != lay.cols.len() {
                st.problems.push(Problem::new(
                    file,
                    line_no,
                    "row",
                    line,
                    format!(
                        "{} fields, the header has {}: the row is not read",
                        f.len(),
                        lay.cols.len()
                    ),
                ));
                return;
            }
            let section = trim(f[lay.section]);
            if section.is_empty() {
                st.problems.push(Problem::new(
                    file,
                    line_no,
                    "断面名称",
                    "",
                    "no section name: the row is not read",
                ));
                return;
            }
            let Some(time) = parse_time_cached(trim(f[lay.time]), last_date) else {
                st.problems.push(Problem::new(
                    file,
                    line_no,
                    "监测时间",
                    f[lay.time],
                    "not a time YYYY-MM-DD HH:MM: the row is not read",
                ));
                return;
            };
            let status = trim(f[lay.status]);
            let normal = status == "正常";
            if status.is_empty() {
                st.problems.push(Problem::new(
                    file,
                    line_no,
                    "站点情况",
                    "",
                    "no station status: the values are taken as normal",
                ));
            }
            if let Some(k) = lay.class {
                let c = trim(f[k]);
                // The network's own spellings first (one comparison each), then any other.
                let known = matches!(c, "Ⅰ" | "Ⅱ" | "Ⅲ" | "Ⅳ" | "Ⅴ" | "劣Ⅴ" | "--" | "*" | "");
                if !(known || WaterClass::parse(c).is_some()) {
                    st.problems.push(Problem::new(
                        file,
                        line_no,
                        "水质类别",
                        c,
                        "not a water class (I–V, 劣V): the published class is not used, the values are read",
                    ));
                }
            }
            values.clear();
            for (k, d, item) in value_cols.iter() {
                let (k, item) = (*k, *item);
                // The common cell, a plain number with nothing around it, is known by its form
                // (the form `plain_decimal` takes, never negative) without the trims and
                // spellings of the general path, which gives it the same value.
                let raw = f[k];
                let (cell, m) = match plain_parts(raw.as_bytes()) {
                    Some(parts) => {
                        // A determinand without a class, when the caller takes only the classed
                        // items: checked and counted, not converted.
                        if !*others && item.is_none() {
                            st.values += 1;
                            if !(normal || status.is_empty()) {
                                st.invalid += 1;
                            }
                            continue;
                        }
                        (raw, Measurement::Value(decimal_of(parts)))
                    }
                    None => {
                        // ASCII blanks only: a wider space in a number cell makes it
                        // unreadable, and says so.
                        let cell = raw.trim_ascii();
                        if cell.is_empty() || cell == "--" {
                            continue;
                        }
                        let Some(m) = measurement(cell) else {
                            st.problems.push(Problem::new(
                                file,
                                line_no,
                                header_name(header, k),
                                cell,
                                "not a number, <limit or ND: the value is not read",
                            ));
                            continue;
                        };
                        (cell, m)
                    }
                };
                st.values += 1;
                let mut valid = normal || status.is_empty();
                if let Measurement::Value(v) = m {
                    let implausible = v < 0.0 || (item == Some(Item::Ph) && v > 14.0);
                    if implausible {
                        valid = false;
                        st.problems.push(Problem::new(
                            file,
                            line_no,
                            header_name(header, k),
                            cell,
                            "impossible (negative, or a pH above 14): kept, flagged bad, not averaged",
                        ).kept());
                    }
                }
                if !valid {
                    st.invalid += 1;
                }
                values.push((d, m, valid));
            }
            on(section, time, status, line_no, &values);
        };
        crate::text::split_rows(text, lay.cols.len(), line_no, &mut row);
    }
}

/// Read a file in the layout, calling `on` once a row with its value cells: (section, time,
/// status, line, values). Without `others`, the values of determinands without a class are
/// checked and counted but may be left out of `values`.
fn scan(file: &str, text: &str, others: bool, mut on: impl OnRow) -> AutoStats {
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        let mut st = AutoStats::default();
        st.problems
            .push(Problem::new(file, 1, "header", "", "an empty file"));
        return st;
    }
    let header_end = memchr::memchr(b'\n', text.as_bytes()).unwrap_or(text.len());
    let mut scan = match Scan::start(file, &text[..header_end], others) {
        Ok(s) => s,
        Err(st) => return st,
    };
    scan.lines(&text[(header_end + 1).min(text.len())..], &mut on);
    scan.finish()
}

fn header_name(header: &str, k: usize) -> &str {
    header
        .trim_start_matches('\u{feff}')
        .trim_end_matches('\r')
        .split(',')
        .nth(k)
        .unwrap_or("value")
}

/// Every reading of a file, flagged `bad` where the station status was not normal or the value
/// impossible, with the status kept as the source's flag.
pub fn read_auto(file: &str, text: &str) -> WaterFile {
    let file_arc: Arc<str> = Arc::from(file);
    let mut readings = Vec::new();
    let mut last: Option<(Arc<str>, Arc<str>)> = None;
    let st = scan(file, text, true, |section, time, status, line, values| {
        let (sec, stat) = match &last {
            Some((s, t)) if &**s == section && &**t == status => (s.clone(), t.clone()),
            _ => {
                let pair: (Arc<str>, Arc<str>) = (Arc::from(section), Arc::from(status));
                last = Some(pair.clone());
                pair
            }
        };
        for &(d, m, valid) in values {
            readings.push(Reading {
                section: sec.clone(),
                time,
                determinand: d.clone(),
                measurement: m,
                flag: if valid { Flag::Ok } else { Flag::Bad },
                source_flag: (!stat.is_empty()).then(|| stat.clone()),
                origin: Origin::Automatic,
                file: file_arc.clone(),
                line,
            });
        }
    });
    WaterFile {
        readings,
        problems: st.problems,
        rows: st.rows,
    }
}

/// Fold a file's GB 3838 readings into `acc` (determinands without a class are read and
/// checked, not folded).
pub fn fold_auto(file: &str, text: &str, acc: &mut Accumulator) -> AutoStats {
    let mut fold = Fold::new(acc);
    let st = scan(file, text, false, |section, time, _, _, values| {
        fold.row(section, time, values)
    });
    fold.finish();
    st
}

/// Rows come in runs of one section and month: a run is folded locally, then into the
/// accumulator once.
struct Fold<'a> {
    acc: &'a mut Accumulator,
    run: Option<(String, i32, u32)>,
    block: MonthBlock,
}

impl<'a> Fold<'a> {
    fn new(acc: &'a mut Accumulator) -> Self {
        Fold {
            acc,
            run: None,
            block: MonthBlock::default(),
        }
    }

    #[inline]
    fn row(&mut self, section: &str, time: NaiveDateTime, values: &RowValues<'_>) {
        use chrono::Datelike;
        let key = (time.year(), time.month());
        let same = self
            .run
            .as_ref()
            .is_some_and(|(s, y, m)| s == section && (*y, *m) == key);
        if !same {
            if let Some((s, y, m)) = self.run.take() {
                self.acc.merge_block(&s, y, m, &self.block);
            }
            self.block = MonthBlock::default();
            self.run = Some((section.to_string(), key.0, key.1));
        }
        for &(d, m, valid) in values {
            if let Determinand::Item(item) = d {
                self.block.add(*item, Origin::Automatic, m, valid);
            }
        }
    }

    fn finish(self) {
        if let Some((s, y, m)) = self.run {
            self.acc.merge_block(&s, y, m, &self.block);
        }
    }
}

/// The size of the pieces [`fold_auto_read`] reads a file in: small enough that a piece stays in
/// the processor's cache from the kernel's copy through the UTF-8 check to the parse (reading
/// whole files of 20 MB, each byte came from memory three times; about a tenth of the time).
const PIECE: usize = 256 * 1024;

/// Read from `input` until `buf` holds `want` bytes or the input ends; whether it ended.
fn fill(input: &mut dyn std::io::Read, buf: &mut Vec<u8>, want: usize) -> std::io::Result<bool> {
    use std::io::Read;
    let ask = want.saturating_sub(buf.len());
    buf.reserve(ask);
    let got = input.take(ask as u64).read_to_end(buf)?;
    Ok(got < ask)
}

/// [`fold_auto`] of a file read piece by piece from `input`, after the bytes already in `buf`
/// (its beginning, read to tell its layout; `buf` is the reader's buffer, kept for the next
/// file). The result is [`fold_auto`]'s on the whole text; a file that is not UTF-8, or that
/// cannot be read, is refused as a whole (`Err`, with the byte where it stops being UTF-8), and
/// `acc` must then be dropped.
pub fn fold_auto_read(
    file: &str,
    input: &mut dyn std::io::Read,
    buf: &mut Vec<u8>,
    acc: &mut Accumulator,
) -> Result<AutoStats, String> {
    fold_auto_pieces(file, input, buf, acc, PIECE)
}

/// Where one part of a file begins and ends, for reading a large file on several cores: the
/// part holds the lines that begin at bytes `start..end` of the file (the header, which begins
/// at 0, belongs to the part that starts there). Parts that tile a file hold every line once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    pub start: u64,
    pub end: u64,
}

impl Part {
    /// `n` parts of about equal size of a file of `len` bytes.
    pub fn tiles(len: u64, n: u64) -> Vec<Part> {
        let n = n.max(1);
        (0..n)
            .map(|k| Part {
                start: len * k / n,
                end: len * (k + 1) / n,
            })
            .collect()
    }
}

/// [`fold_auto_read`] of one part of a file: `input` is positioned at the part's start (at 0,
/// after the bytes in `buf`, for the part that starts there), `header` is the file's first line.
/// Line numbers in the problems count from the part's first line (the file's first for the
/// part at 0); [`AutoStats::lines`] says how many lines the part holds, so that the caller can
/// number the lines of the parts after it. For a part after the first, `input` must begin one
/// byte before `part.start`, so that a line that begins exactly there is seen to begin there.
pub fn fold_auto_part(
    file: &str,
    header: &str,
    input: &mut dyn std::io::Read,
    buf: &mut Vec<u8>,
    acc: &mut Accumulator,
    part: Part,
) -> Result<AutoStats, String> {
    if part.start == 0 {
        let held = buf.len() as u64;
        let mut input = if held < part.end {
            UpToLineAfter::new(input, part.end - held, buf.last().copied().unwrap_or(b'\n'))
        } else {
            // The part ends in what is read already: after the line that holds its last byte.
            match memchr::memchr(b'\n', &buf[(part.end - 1) as usize..]) {
                Some(k) => {
                    buf.truncate(part.end as usize + k);
                    UpToLineAfter::new(input, 0, b'\n')
                }
                None => UpToLineAfter::new(input, 0, 0),
            }
        };
        return fold_auto_pieces(file, &mut input, buf, acc, PIECE);
    }
    let io = |e: std::io::Error| format!("{file}: {e}");
    // From one byte before the start: the first newline ends the line the part before holds.
    let mut input = UpToLineAfter::new(input, part.end - part.start + 1, b'\n');
    buf.clear();
    let mut skipped = 0u64;
    loop {
        let eof = fill(&mut input, buf, PIECE).map_err(io)?;
        if let Some(k) = memchr::memchr(b'\n', buf) {
            buf.drain(..=k);
            skipped += k as u64 + 1;
            break;
        }
        skipped += buf.len() as u64;
        buf.clear();
        if eof {
            // A line longer than the part: the part before holds it.
            return Ok(AutoStats::default());
        }
    }
    let Ok(mut scan) = Scan::start(file, header, false) else {
        // The part at the start of the file reports the header's problem, and no part reads.
        return Ok(AutoStats::default());
    };
    scan.line_no = 0;
    let base = (part.start - 1 + skipped) as usize;
    let eof = buf.is_empty() && fill(&mut input, buf, PIECE).map_err(io)?;
    fold_lines(file, &mut scan, &mut input, buf, acc, PIECE, 0, base, eof)?;
    Ok(scan.finish())
}

/// A reader that ends after the line holding byte `limit - 1` of `inner` (from where it is):
/// the bytes up to `limit`, then to the next newline, unless the last of them was one (`last`
/// is the byte before `inner`'s first, for a limit of 0).
struct UpToLineAfter<'r> {
    inner: &'r mut dyn std::io::Read,
    left: u64,
    last: u8,
    done: bool,
}

impl<'r> UpToLineAfter<'r> {
    fn new(inner: &'r mut dyn std::io::Read, limit: u64, last: u8) -> Self {
        UpToLineAfter {
            inner,
            left: limit,
            last,
            done: limit == 0 && last == b'\n',
        }
    }
}

impl std::io::Read for UpToLineAfter<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.done || out.is_empty() {
            return Ok(0);
        }
        if self.left > 0 {
            let ask = out
                .len()
                .min(usize::try_from(self.left).unwrap_or(usize::MAX));
            let n = self.inner.read(&mut out[..ask])?;
            if n == 0 {
                self.done = true;
                return Ok(0);
            }
            self.left -= n as u64;
            self.last = out[n - 1];
            if self.left == 0 && self.last == b'\n' {
                self.done = true;
            }
            return Ok(n);
        }
        // Past the limit: to the end of the line (what is read beyond it is not wanted).
        let n = self.inner.read(out)?;
        match memchr::memchr(b'\n', &out[..n]) {
            Some(k) => {
                self.done = true;
                Ok(k + 1)
            }
            None => {
                self.done = n == 0;
                Ok(n)
            }
        }
    }
}

/// [`fold_auto_read`] in pieces of `piece` bytes.
fn fold_auto_pieces(
    file: &str,
    input: &mut dyn std::io::Read,
    buf: &mut Vec<u8>,
    acc: &mut Accumulator,
    piece: usize,
) -> Result<AutoStats, String> {
    let io = |e: std::io::Error| format!("{file}: {e}");
    let mut eof = false;
    let header_end = loop {
        if let Some(e) = memchr::memchr(b'\n', buf) {
            break e;
        }
        if eof {
            break buf.len();
        }
        eof = fill(input, buf, buf.len() + piece).map_err(io)?;
    };
    let head = super::text_at(file, &buf[..header_end], 0)?;
    if head.trim_start_matches('\u{feff}').trim().is_empty() {
        // A blank first line: the whole text decides between an empty file and a bad header.
        while !eof {
            eof = fill(input, buf, buf.len() + piece).map_err(io)?;
        }
        return Ok(fold_auto(file, super::text_at(file, buf, 0)?, acc));
    }
    let mut scan = match Scan::start(file, head, false) {
        Ok(s) => s,
        Err(st) => return Ok(st),
    };
    let start = (header_end + 1).min(buf.len());
    fold_lines(file, &mut scan, input, buf, acc, piece, start, 0, eof)?;
    Ok(scan.finish())
}

/// Scan the lines in `buf` from `start` (byte `base + start` of the file) and those read after
/// them, folding each row into `acc`.
#[allow(clippy::too_many_arguments)]
fn fold_lines(
    file: &str,
    scan: &mut Scan<'_>,
    input: &mut dyn std::io::Read,
    buf: &mut Vec<u8>,
    acc: &mut Accumulator,
    piece: usize,
    mut start: usize,
    base: usize,
    mut eof: bool,
) -> Result<(), String> {
    let io = |e: std::io::Error| format!("{file}: {e}");
    let mut fold = Fold::new(acc);
    let mut on =
        |section: &str, time, _: &str, _, values: &RowValues<'_>| fold.row(section, time, values);
    let mut offset = base;
    loop {
        // Whole lines only, but for the end of the file.
        let end = if eof {
            buf.len()
        } else {
            memchr::memrchr(b'\n', &buf[start..]).map_or(start, |k| start + k + 1)
        };
        if end > start {
            scan.lines(
                super::text_at(file, &buf[start..end], offset + start)?,
                &mut on,
            );
        }
        if eof {
            break;
        }
        // Keep the unfinished line and read on (a line longer than a piece grows the buffer).
        buf.copy_within(end.., 0);
        buf.truncate(buf.len() - end);
        offset += end;
        start = 0;
        eof = fill(input, buf, buf.len().max(piece / 2) + piece).map_err(io)?;
    }
    fold.finish();
    Ok(())
}

/// The layout's header.
pub const HEADER: &str = "省份,流域,断面名称,监测时间,水质类别,水温(℃),pH(无量纲),溶解氧(mg/L),电导率(μS/cm),浊度(NTU),高锰酸盐指数(mg/L),氨氮(mg/L),总磷(mg/L),总氮(mg/L),叶绿素α(mg/L),藻密度(cells/L),站点情况";

#[cfg(test)]
mod tests {
    use super::*;
    use lantian_water::period::MeanAcc;

    fn file() -> String {
        format!(
            "{HEADER}\n\
             北京市,海河流域,沙河闸,2024-01-01 00:00,Ⅲ,3.2,7.85,10.21,512.3,12.5,3.4,0.25,0.085,5.21,0.0035,1200000,正常\n\
             北京市,海河流域,沙河闸,2024-01-01 04:00,--,--,--,--,--,--,--,--,--,--,--,--,维护\n\
             北京市,海河流域,沙河闸,2024-01-01 08:00,Ⅳ,3.1,7.80,-0.5,510,12,3.6,abc,0.09,5.3,--,--,故障\n\
             北京市,海河流域,沙河闸,2024-01-01 12:00,Ⅳ,3.1,7.80,9.5,510,12,3.6,1.2,<0.01,5.3,--,--,正常\n\
             北京市,海河流域,沙河闸,2024-13-01 16:00,Ⅳ,3.1,7.80,9.5,510,12,3.6,1.2,0.1,5.3,--,--,正常\n\
             北京市,海河流域,沙河闸,2024-01-01 20:00,Ⅳ,3.1\n"
        )
    }

    #[test]
    fn every_cell_is_a_reading_or_a_problem() {
        let out = read_auto("a.csv", &file());
        assert_eq!(out.rows, 6);
        // Row 2: 11 values; row 3 (维护): none; row 4 (故障): 8 (abc is a problem, two --);
        // row 5: 9; rows 6 and 7: problems.
        assert_eq!(out.readings.len(), 11 + 8 + 9);
        let msgs: Vec<String> = out.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(msgs.len(), 4, "{msgs:#?}");
        assert!(
            msgs[0].starts_with("a.csv:4: 溶解氧(mg/L): impossible"),
            "{}",
            msgs[0]
        );
        assert!(
            msgs[1].starts_with("a.csv:4: 氨氮(mg/L): not a number"),
            "{}",
            msgs[1]
        );
        assert!(msgs[2].starts_with("a.csv:6: 监测时间:"), "{}", msgs[2]);
        assert!(msgs[3].starts_with("a.csv:7: row: 6 fields"), "{}", msgs[3]);
        let fault: Vec<&Reading> = out.readings.iter().filter(|r| r.line == 4).collect();
        assert!(fault.iter().all(|r| r.flag == Flag::Bad));
        assert_eq!(fault[0].source_flag.as_deref(), Some("故障"));
        let tp = out
            .readings
            .iter()
            .find(|r| r.line == 5 && r.determinand == Determinand::Item(Item::TotalPhosphorus))
            .unwrap();
        assert_eq!(tp.measurement, Measurement::BelowDetection(0.01));
        let chla = &out.readings[9];
        assert_eq!(chla.determinand.code(), "water.chla");
        assert_eq!(chla.measurement, Measurement::Value(0.0035));
        assert_eq!(out.readings[0].time.to_string(), "2024-01-01 00:00:00");
    }

    /// Everything a fold gives that can differ: the counts, the messages and every block's
    /// counts and sums, sections and months in order.
    fn fold_summary(st: &AutoStats, acc: &mut Accumulator) -> String {
        let mut out = format!("{} {} {}\n", st.rows, st.values, st.invalid);
        for p in &st.problems {
            out += &format!("{p}\n");
        }
        for section in ["沙河闸", "闸,2"] {
            for month in 1..=2 {
                let b = acc.block_mut(section, 2024, month);
                for item in [
                    Item::Ph,
                    Item::DissolvedOxygen,
                    Item::AmmoniaNitrogen,
                    Item::TotalPhosphorus,
                ] {
                    let a = b.get(item, Origin::Automatic);
                    out += &format!(
                        "{section} {month} {item:?} {} {} {:?}\n",
                        a.count(),
                        a.invalid,
                        a.mean()
                    );
                }
            }
        }
        out
    }

    /// The test file with a byte-order mark, CRLF and blank lines, a quoted row, `rows` rows of
    /// February (every seventh under maintenance) and `last` without a newline.
    fn mixed_text(rows: usize, last: &str) -> String {
        let mut text = format!("\u{feff}{}", file().trim_end());
        text += "\r\n\n\"闸,2\",\"\",\"闸,2\",2024-02-01 00:00,Ⅱ,1,7.1,8,1,1,2,0.2,0.05,1,--,--,正常\r\n";
        for h in 0..rows {
            text += &format!(
                "北京市,海河流域,沙河闸,2024-02-{:02} {:02}:00,Ⅲ,3.2,7.{h},9.{h},512,12,3.4,0.{h}5,0.0{h},5,--,--,{}\n",
                1 + h / 6,
                (h % 6) * 4,
                if h % 7 == 3 { "维护" } else { "正常" }
            );
        }
        text += last;
        text
    }

    #[test]
    fn a_file_read_in_pieces_folds_as_the_whole_text() {
        // Rows of every kind (quoted, CRLF, blank, bad), a line longer than the smallest
        // pieces, and no newline at the end.
        let text = mixed_text(
            30,
            "北京市,海河流域,沙河闸,2024-02-06 00:00,Ⅲ,3.2,7.5,9.5,512,12,3.4,0.5,0.05,5,--,--,正常",
        );
        let mut whole = Accumulator::new();
        let want_st = fold_auto("a.csv", &text, &mut whole);
        let want = fold_summary(&want_st, &mut whole);
        // The quoted row, the CRLF rows and the last row without its newline are all read.
        assert!(want.contains("闸,2 2 Ph 1 0 Some(Value(7.1))"), "{want}");
        assert!(want.contains("沙河闸 2 Ph 27 4"), "{want}");
        for piece in (1..40).chain([64, 100, 1000, 1 << 20]) {
            for head in [0, 1, 10, text.len()] {
                // `head` bytes already read (to tell the layout), the rest from the input.
                let mut buf = text.as_bytes()[..head.min(text.len())].to_vec();
                let mut rest = &text.as_bytes()[head.min(text.len())..];
                let mut acc = Accumulator::new();
                let st = fold_auto_pieces("a.csv", &mut rest, &mut buf, &mut acc, piece).unwrap();
                assert_eq!(
                    fold_summary(&st, &mut acc),
                    want,
                    "pieces of {piece}, {head} read"
                );
            }
        }
    }

    /// Fold `text` part by part, each into an accumulator of its own, as a reader of parts on
    /// several cores does: merged in order, the parts' line numbers followed on.
    fn fold_by_parts(text: &str, parts: &[Part], head: usize) -> (AutoStats, Accumulator) {
        let bytes = text.as_bytes();
        let header = &text[..memchr::memchr(b'\n', bytes).unwrap()];
        let (mut total, mut acc) = (AutoStats::default(), Accumulator::new());
        for part in parts {
            let mut a = Accumulator::new();
            let (mut buf, from) = if part.start == 0 {
                // `head` bytes already read, to tell the layout.
                let head = head.min(bytes.len());
                (bytes[..head].to_vec(), head)
            } else {
                (Vec::new(), part.start as usize - 1)
            };
            let mut input = &bytes[from..];
            let st = fold_auto_part("a.csv", header, &mut input, &mut buf, &mut a, *part).unwrap();
            for mut p in st.problems {
                p.line += total.lines;
                total.problems.push(p);
            }
            total.lines += st.lines;
            total.rows += st.rows;
            total.values += st.values;
            total.invalid += st.invalid;
            acc.merge(a);
        }
        (total, acc)
    }

    /// The means of two folds agree to the rounding of their sums (parts add a run of rows
    /// that a part boundary cuts in two sums), and everything else exactly.
    fn same_fold(a: &str, b: &str) -> bool {
        let mean = |l: &str| -> Option<(String, f64)> {
            let k = l.find("Some(Value(")?;
            let v: f64 = l[k + 11..l.len() - 2].parse().ok()?;
            Some((l[..k].to_string(), v))
        };
        a.lines().count() == b.lines().count()
            && a.lines().zip(b.lines()).all(|(x, y)| {
                x == y
                    || matches!((mean(x), mean(y)), (Some((p, u)), Some((q, v)))
                        if p == q && (u - v).abs() <= 1e-12 * u.abs().max(1.0))
            })
    }

    #[test]
    fn a_file_read_in_parts_folds_as_the_whole_text() {
        let text = mixed_text(
            40,
            "北京市,海河流域,沙河闸,2024-02-09 00:00,Ⅲ,3.2,7.5,abc,512,12,3.4,0.5,0.05,5,--,--,正常",
        );
        let mut whole = Accumulator::new();
        let want_st = fold_auto("a.csv", &text, &mut whole);
        let want = fold_summary(&want_st, &mut whole);
        assert!(
            want.contains("a.csv:50: 溶解氧(mg/L): not a number"),
            "{want}"
        );
        let len = text.len() as u64;
        let check = |parts: &[Part], head: usize| {
            let (st, mut acc) = fold_by_parts(&text, parts, head);
            assert_eq!(st.lines, 50, "{parts:?}");
            let got = fold_summary(&st, &mut acc);
            assert!(same_fold(&got, &want), "{parts:?}\n{got}\n{want}");
        };
        // Every place for one boundary, with every beginning read to tell the layout.
        for cut in 1..len {
            check(
                &[
                    Part { start: 0, end: cut },
                    Part {
                        start: cut,
                        end: len,
                    },
                ],
                0,
            );
        }
        for head in [1, 200, 600, text.len()] {
            for cut in [1, 5, 300, 601, len / 2] {
                check(
                    &[
                        Part { start: 0, end: cut },
                        Part {
                            start: cut,
                            end: len,
                        },
                    ],
                    head,
                );
            }
        }
        // Tiles of every count up to many more parts than lines.
        for n in 1..=80 {
            check(&Part::tiles(len, n), 0);
        }
    }

    #[test]
    fn a_part_after_a_header_that_is_not_the_layout_reads_nothing() {
        let text = format!(
            "{HEADER},x\n北京市,海河流域,沙河闸,2024-01-01 00:00,Ⅲ,3.2,7.85,10.21,512.3,12.5,3.4,0.25,0.085,5.21,0.0035,1200000,正常,1\n"
        );
        let header = text.lines().next().unwrap();
        let mut acc = Accumulator::new();
        let part = Part {
            start: 10,
            end: text.len() as u64,
        };
        let mut input = &text.as_bytes()[9..];
        let st =
            fold_auto_part("a.csv", header, &mut input, &mut Vec::new(), &mut acc, part).unwrap();
        assert_eq!((st.rows, st.lines, st.problems.len()), (0, 0, 0));
        // The part at the start says why.
        let part = Part { start: 0, end: 10 };
        let mut input = text.as_bytes();
        let st =
            fold_auto_part("a.csv", header, &mut input, &mut Vec::new(), &mut acc, part).unwrap();
        assert_eq!(st.problems.len(), 1);
        assert!(
            st.problems[0]
                .to_string()
                .contains("a column the automatic-station layout does not have")
        );
    }

    #[test]
    fn a_file_that_stops_being_utf8_is_refused_with_the_byte() {
        let text = file();
        let mut bytes = text.as_bytes().to_vec();
        let at = text.find("2024-01-01 12:00").unwrap();
        bytes[at + 3] = 0xFF;
        for piece in [7, 64, 1 << 20] {
            let mut rest = &bytes[..];
            let e = fold_auto_pieces(
                "a.csv",
                &mut rest,
                &mut Vec::new(),
                &mut Accumulator::new(),
                piece,
            )
            .unwrap_err();
            assert_eq!(
                e,
                format!(
                    "a.csv: not UTF-8 (byte {}): convert the file to UTF-8 first",
                    at + 3
                )
            );
        }
        // An empty file and a blank first line read as the whole text does.
        for t in ["", "\n\n", "\n断面名称,监测时间,站点情况\n"] {
            let mut rest = t.as_bytes();
            let st = fold_auto_pieces(
                "b.csv",
                &mut rest,
                &mut Vec::new(),
                &mut Accumulator::new(),
                4,
            )
            .unwrap();
            let whole = fold_auto("b.csv", t, &mut Accumulator::new());
            let msgs = |s: &AutoStats| s.problems.iter().map(|p| p.to_string()).collect::<Vec<_>>();
            assert_eq!(msgs(&st), msgs(&whole), "{t:?}");
            assert_eq!(msgs(&st).len(), 1, "{t:?}");
        }
    }

    #[test]
    fn the_fold_counts_what_the_readings_hold() {
        let mut acc = Accumulator::new();
        let st = fold_auto("a.csv", &file(), &mut acc);
        assert_eq!((st.rows, st.values, st.invalid), (6, 28, 8));
        let b = acc.block_mut("沙河闸", 2024, 1);
        let nh3 = b.get(Item::AmmoniaNitrogen, Origin::Automatic);
        assert_eq!((nh3.count(), nh3.invalid), (2, 0));
        assert_eq!(nh3.mean(), Some(Measurement::Value((0.25 + 1.2) / 2.0)));
        let dox = b.get(Item::DissolvedOxygen, Origin::Automatic);
        assert_eq!((dox.count(), dox.invalid), (2, 1));
    }

    /// The spellings a value cell may have: plain numbers the quick path takes, and numbers
    /// with blanks, signs, exponents, detection limits and words that go the general way.
    const CELLS: &[&str] = &[
        "7.85",
        "0.035",
        "12",
        ".5",
        "7.",
        "0",
        "1.234e6",
        "3.943e5",
        "15.2",
        "-0.5",
        "+1",
        " 2.5",
        "3.5 ",
        "\t4",
        "1e400",
        "12345678901234567",
        "--",
        "",
        " ",
        "<0.01",
        "ND",
        "abc",
        "1.2.3",
        "1e",
        "\u{3000}5",
    ];

    proptest::proptest! {
        /// The quick path for plain numbers reads each cell as the general reading of the
        /// trimmed cell (`str::parse`, then the detection-limit forms) reads it: the same values
        /// counted, the same problems, the same sums in every mean.
        #[test]
        fn plain_cells_fold_as_the_general_parse_reads_them(
            rows in proptest::collection::vec(
                (proptest::collection::vec(0..CELLS.len(), 11), proptest::bool::ANY),
                1..4,
            ),
        ) {
            let mut text = format!("{HEADER}\n");
            // Columns 5..16 of the layout, and the class item of each (None: no class).
            let items = [
                Some(Item::WaterTemperature), Some(Item::Ph), Some(Item::DissolvedOxygen), None,
                None, Some(Item::PermanganateIndex), Some(Item::AmmoniaNitrogen),
                Some(Item::TotalPhosphorus), Some(Item::TotalNitrogen), None, None,
            ];
            let mut want: Vec<MeanAcc> = vec![MeanAcc::default(); items.len()];
            let (mut values, mut invalid, mut problems) = (0, 0, 0);
            for (h, (cells, normal)) in rows.iter().enumerate() {
                let cells: Vec<&str> = cells.iter().map(|&k| CELLS[k]).collect();
                text += &format!(
                    "北京市,海河流域,沙河闸,2024-01-01 {:02}:00,Ⅲ,{},{}\n",
                    h * 4,
                    cells.join(","),
                    if *normal { "正常" } else { "维护" }
                );
                for (j, cell) in cells.iter().enumerate() {
                    let c = cell.trim_ascii();
                    if c.is_empty() || c == "--" {
                        continue;
                    }
                    let m = if matches!(c.as_bytes()[0], b'0'..=b'9' | b'-' | b'.') {
                        c.parse::<f64>().ok().filter(|v| v.is_finite()).map(Measurement::Value)
                    } else {
                        Measurement::parse(c)
                    };
                    let Some(m) = m else {
                        problems += 1;
                        continue;
                    };
                    values += 1;
                    let impossible = matches!(m, Measurement::Value(v)
                        if v < 0.0 || (items[j] == Some(Item::Ph) && v > 14.0));
                    problems += usize::from(impossible);
                    if *normal && !impossible {
                        want[j].add(m);
                    } else {
                        invalid += 1;
                        want[j].invalid += 1;
                    }
                }
            }
            let mut acc = Accumulator::new();
            let st = fold_auto("p.csv", &text, &mut acc);
            proptest::prop_assert_eq!((st.values, st.invalid), (values, invalid));
            proptest::prop_assert_eq!(st.problems.len(), problems);
            let b = acc.block_mut("沙河闸", 2024, 1);
            for (j, item) in items.iter().enumerate() {
                if let Some(item) = item {
                    let got = b.get(*item, Origin::Automatic);
                    proptest::prop_assert_eq!(
                        (got.count(), got.invalid, got.mean()),
                        (want[j].count(), want[j].invalid, want[j].mean()),
                        "column {}", j + 5
                    );
                }
            }
        }
    }

    #[test]
    fn an_unknown_column_refuses_the_file() {
        let out = read_auto(
            "b.csv",
            "断面名称,监测时间,站点情况,铅\nx,2024-01-01 00:00,正常,1\n",
        );
        assert!(out.readings.is_empty());
        assert_eq!(out.problems.len(), 1);
        assert!(out.problems[0].to_string().starts_with("b.csv:1: 铅:"));
    }
}
