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
//! stations, 4.4 million rows) is read without holding fifty million readings.

use super::{Problem, WaterFile};
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

/// The top bit of every byte of `w` that is a comma or a newline, and no other bit: the
/// zero-byte test (Mycroft's, exact: no false positives) of `w` XOR each separator.
#[inline]
fn separators(w: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let zero = |t: u64| !(((t & LOW7).wrapping_add(LOW7)) | t | LOW7);
    zero(w ^ 0x2c2c_2c2c_2c2c_2c2c) | zero(w ^ 0x0a0a_0a0a_0a0a_0a0a)
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

/// `str::trim` when there is something to trim (most cells have nothing). A byte test decides
/// most cells: Unicode white space begins with an ASCII blank or one of the lead bytes C2, E1,
/// E2, E3, and ends in an ASCII blank or a sequence of two or three bytes led by those; only
/// those edges are decoded (the section names, statuses and classes are Chinese characters).
#[inline]
fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return s;
    };
    let lead = |c: u8| matches!(c, 0xC2 | 0xE1..=0xE3);
    let may_start = first.is_ascii_whitespace() || lead(first);
    let n = b.len();
    let may_end = if last.is_ascii() {
        last.is_ascii_whitespace()
    } else {
        (n >= 2 && b[n - 2] == 0xC2) || (n >= 3 && lead(b[n - 3]))
    };
    if may_start || may_end { s.trim() } else { s }
}

/// Powers of ten that are exact in f64 (10^22 is the largest).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A plain decimal (`7.85`, `0.035`, `512`, `1.234e6`) of at most 15 digits, or `None` for
/// anything else. The digits make an integer below 2^53 and the power of ten is exact, so one
/// IEEE multiplication or division gives the correctly rounded value: the same bits as
/// `str::parse` (Clinger's fast path), at a fraction of its cost on the fifty million cells of
/// a national year. Other forms (signs, long digit strings, large exponents) go to
/// `str::parse`.
#[inline]
fn plain_decimal(b: &[u8]) -> Option<f64> {
    let (mantissa, e10) = plain_parts(b)?;
    let m = mantissa as f64;
    if e10 >= 0 {
        Some(m * POW10[e10 as usize])
    } else {
        Some(m / POW10[(-e10) as usize])
    }
}

/// The digits of a plain decimal as an integer and its power of ten, within the range where
/// [`plain_decimal`] is exact (at most 15 digits, |power| ≤ 22); `None` for any other text.
#[inline]
fn plain_parts(b: &[u8]) -> Option<(u64, i32)> {
    let mut mantissa: u64 = 0;
    let mut digits = 0usize;
    let mut dot = usize::MAX;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let d = c.wrapping_sub(b'0');
        if d < 10 {
            mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(d));
            digits += 1;
        } else if c == b'.' && dot == usize::MAX {
            dot = i;
        } else if c | 0x20 == b'e' {
            break;
        } else {
            return None;
        }
        i += 1;
    }
    let frac: Option<i32> = (dot != usize::MAX).then(|| (i - dot - 1) as i32);
    if digits == 0 || digits > 15 {
        return None;
    }
    let mut exp: i32 = 0;
    if i < b.len() {
        // An exponent: e, an optional sign, one to three digits.
        let rest = &b[i + 1..];
        let (neg, digits) = match rest.first() {
            Some(b'-') => (true, &rest[1..]),
            Some(b'+') => (false, &rest[1..]),
            _ => (false, rest),
        };
        if digits.is_empty() || digits.len() > 3 || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let e = digits
            .iter()
            .fold(0i32, |a, d| a * 10 + i32::from(d - b'0'));
        exp = if neg { -e } else { e };
    }
    let e10 = exp - frac.unwrap_or(0);
    (-22..=22).contains(&e10).then_some((mantissa, e10))
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

/// Read a file in the layout, calling `on` once a row with its value cells: (section, time,
/// status, line, values). Without `others`, the values of determinands without a class are
/// checked and counted but may be left out of `values`.
fn scan<'a>(
    file: &str,
    text: &'a str,
    others: bool,
    mut on: impl FnMut(&str, NaiveDateTime, &str, u64, &RowValues<'_>),
) -> AutoStats {
    let mut st = AutoStats::default();
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        st.problems
            .push(Problem::new(file, 1, "header", "", "an empty file"));
        return st;
    }
    let header_end = memchr::memchr(b'\n', text.as_bytes()).unwrap_or(text.len());
    let header = &text[..header_end];
    let body = (header_end + 1).min(text.len());
    let lay = match layout(file, header) {
        Ok(l) => l,
        Err(p) => {
            st.problems.push(p);
            return st;
        }
    };
    let mut values = Vec::with_capacity(lay.cols.len());
    let mut last_date: Option<([u8; 10], NaiveDate)> = None;
    let mut row = |raw: &'a str, split: &[&'a str], line_no: u64| {
        let line = raw.trim_end_matches('\r');
        if line.is_empty() {
            return;
        }
        st.rows += 1;
        let owned: Vec<String>;
        let quoted: Vec<&str>;
        let f: &[&str] = if split.iter().any(|x| x.starts_with('"')) {
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
        let Some(time) = parse_time_cached(trim(f[lay.time]), &mut last_date) else {
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
        for (k, col) in lay.cols.iter().enumerate() {
            let Col::Value(d) = col else { continue };
            // ASCII blanks only: a wider space in a number cell makes it unreadable, and says so.
            let cell = f[k].trim_ascii();
            if cell.is_empty() || cell == "--" {
                continue;
            }
            // A determinand without a class, when the caller takes only the classed items: a
            // plain number is checked by its form (the same form `plain_decimal` accepts, never
            // negative) and counted, not converted; anything else takes the general path.
            if !others
                && d.item().is_none()
                && matches!(cell.as_bytes().first(), Some(b'0'..=b'9' | b'.'))
                && plain_parts(cell.as_bytes()).is_some()
            {
                st.values += 1;
                if !(normal || status.is_empty()) {
                    st.invalid += 1;
                }
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
            st.values += 1;
            let mut valid = normal || status.is_empty();
            if let Measurement::Value(v) = m {
                let implausible = v < 0.0 || (d.item() == Some(Item::Ph) && v > 14.0);
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
    // One pass over the body for both separators, eight bytes at a time. Fields are short
    // (six bytes on average): memchr's iterator pays its set-up at every comma, and the
    // standard library's `split` a call to memcmp; together a third of reading a national year.
    let bytes = text.as_bytes();
    let mut split: Vec<&str> = Vec::with_capacity(lay.cols.len());
    let (mut line_start, mut field_start, mut line_no) = (body, body, 1u64);
    let mut at_separator = |p: usize| {
        split.push(&text[field_start..p]);
        field_start = p + 1;
        if bytes[p] == b'\n' {
            line_no += 1;
            row(&text[line_start..p], &split, line_no);
            split.clear();
            line_start = p + 1;
        }
    };
    let mut i = body;
    while i + 8 <= bytes.len() {
        let w = u64::from_le_bytes(bytes[i..i + 8].try_into().expect("eight bytes"));
        let mut m = separators(w);
        while m != 0 {
            at_separator(i + (m.trailing_zeros() / 8) as usize);
            m &= m - 1;
        }
        i += 8;
    }
    for (p, c) in bytes.iter().enumerate().skip(i) {
        if matches!(c, b',' | b'\n') {
            at_separator(p);
        }
    }
    if line_start < text.len() {
        split.push(&text[field_start..]);
        row(&text[line_start..], &split, line_no + 1);
    }
    st
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
    use chrono::Datelike;
    // Rows come in runs of one section and month: fold a run locally, then into `acc` once.
    let mut run: Option<(String, i32, u32)> = None;
    let mut block = MonthBlock::default();
    let st = scan(file, text, false, |section, time, _, _, values| {
        let key = (time.year(), time.month());
        let same = run
            .as_ref()
            .is_some_and(|(s, y, m)| s == section && (*y, *m) == key);
        if !same {
            if let Some((s, y, m)) = run.take() {
                acc.merge_block(&s, y, m, &block);
            }
            block = MonthBlock::default();
            run = Some((section.to_string(), key.0, key.1));
        }
        for &(d, m, valid) in values {
            if let Determinand::Item(item) = d {
                block.add(*item, Origin::Automatic, m, valid);
            }
        }
    });
    if let Some((s, y, m)) = run {
        acc.merge_block(&s, y, m, &block);
    }
    st
}

/// The layout's header.
pub const HEADER: &str = "省份,流域,断面名称,监测时间,水质类别,水温(℃),pH(无量纲),溶解氧(mg/L),电导率(μS/cm),浊度(NTU),高锰酸盐指数(mg/L),氨氮(mg/L),总磷(mg/L),总氮(mg/L),叶绿素α(mg/L),藻密度(cells/L),站点情况";

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn the_fast_decimal_is_the_standard_parse() {
        for t in [
            "7.85",
            "0.035",
            "512",
            "0",
            "0.0",
            "10.21",
            "123456789012345",
            "0.000001",
            "99999.99999",
            "1.",
            ".5",
            "3.1415926535897",
        ] {
            assert_eq!(
                plain_decimal(t.as_bytes()),
                Some(t.parse::<f64>().unwrap()),
                "{t}"
            );
        }
        for t in ["1.234e6", "5E-3", "1e+2", "0.5e1", "7e22", "1.5e-20"] {
            assert_eq!(
                plain_decimal(t.as_bytes()),
                Some(t.parse::<f64>().unwrap()),
                "{t}"
            );
        }
        for t in [
            "",
            ".",
            "1.2.3",
            "-1",
            "1e",
            "1e1000",
            "1e50",
            "1234567890123456",
            "1,2",
            "+1",
            "e5",
        ] {
            assert_eq!(plain_decimal(t.as_bytes()), None, "{t}");
        }
    }

    proptest::proptest! {
        /// Any decimal the fast path takes gives the standard library's bits.
        #[test]
        fn the_fast_decimal_agrees(int in 0u64..10_000_000, frac in 0u64..100_000_000, k in 0usize..9, e in -30i32..30) {
            let t = format!("{int}.{:0k$}", frac % 10u64.pow(k as u32), k = k);
            if let Some(v) = plain_decimal(t.as_bytes()) {
                proptest::prop_assert_eq!(v.to_bits(), t.parse::<f64>().unwrap().to_bits(), "{}", t);
            }
            let t = format!("{t}e{e}");
            if let Some(v) = plain_decimal(t.as_bytes()) {
                proptest::prop_assert_eq!(v.to_bits(), t.parse::<f64>().unwrap().to_bits(), "{}", t);
            }
        }
    }

    #[test]
    fn separators_are_found_exactly() {
        for text in [
            "a,b\nc,,d\n",
            ",,,,,,,,\n\n\n\n\n\n\n\n",
            "abcdefgh",
            "\u{2c00}é,\n\u{a0a}",
        ] {
            let b = text.as_bytes();
            let mut want = Vec::new();
            let mut got = Vec::new();
            for (i, c) in b.iter().enumerate() {
                if matches!(c, b',' | b'\n') {
                    want.push(i);
                }
            }
            let mut i = 0;
            while i + 8 <= b.len() {
                let mut m = separators(u64::from_le_bytes(b[i..i + 8].try_into().unwrap()));
                while m != 0 {
                    got.push(i + (m.trailing_zeros() / 8) as usize);
                    m &= m - 1;
                }
                i += 8;
            }
            got.extend((i..b.len()).filter(|&p| matches!(b[p], b',' | b'\n')));
            assert_eq!(got, want, "{text:?}");
        }
    }

    proptest::proptest! {
        /// The byte test never skips a trim the standard library would make: cells made of
        /// Chinese text, class numerals, digits and every kind of Unicode white space.
        #[test]
        fn trim_is_str_trim(s in "[ \\t\\r\u{85}\u{a0}\u{1680}\u{2000}-\u{200a}\u{2028}\u{2029}\u{202f}\u{205f}\u{3000}\u{feff}正常故障北京断面ⅠⅡⅢ劣Ⅴ0-9a-z.,-]{0,8}") {
            proptest::prop_assert_eq!(trim(&s), s.trim());
        }
    }
    proptest::proptest! {
        /// Every byte value, in every position of a word.
        #[test]
        fn separators_match_a_byte_scan(w in proptest::prelude::any::<u64>()) {
            let m = separators(w);
            for (k, c) in w.to_le_bytes().iter().enumerate() {
                let hit = m >> (8 * k + 7) & 1 == 1;
                proptest::prop_assert_eq!(hit, matches!(c, b',' | b'\n'));
                proptest::prop_assert_eq!(m >> (8 * k) & 0x7f, 0);
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
