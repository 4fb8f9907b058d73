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
            Problem::new(file, 1, what, header, format!("the layout needs a {what} column"))
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
        return NaiveDate::from_ymd_opt(n(0, 4)? as i32, n(5, 2)?, n(8, 2)?)?
            .and_hms_opt(n(11, 2)?, n(14, 2)?, 0);
    }
    ["%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
}

/// Split a line into fields: plain commas, or the csv crate's rules when the line has quotes.
fn fields<'a>(line: &'a str, buf: &'a mut Vec<String>) -> Vec<&'a str> {
    if !line.contains('"') {
        return line.split(',').collect();
    }
    buf.clear();
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line.as_bytes());
    if let Some(Ok(rec)) = r.records().next() {
        buf.extend(rec.iter().map(str::to_string));
    }
    buf.iter().map(String::as_str).collect()
}

/// Read a file in the layout, calling `on` for every value cell: (section, time, column's
/// determinand, value, valid, status, line).
fn scan(
    file: &str,
    text: &str,
    mut on: impl FnMut(&str, NaiveDateTime, &Determinand, Measurement, bool, &str, u64),
) -> AutoStats {
    let mut st = AutoStats::default();
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text.split('\n');
    let Some(header) = lines.next() else {
        st.problems
            .push(Problem::new(file, 1, "header", "", "an empty file"));
        return st;
    };
    let lay = match layout(file, header) {
        Ok(l) => l,
        Err(p) => {
            st.problems.push(p);
            return st;
        }
    };
    let mut buf = Vec::new();
    for (i, raw) in lines.enumerate() {
        let line_no = i as u64 + 2;
        let line = raw.trim_end_matches('\r');
        if line.is_empty() {
            continue;
        }
        st.rows += 1;
        let f = fields(line, &mut buf);
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
            continue;
        }
        let section = f[lay.section].trim();
        if section.is_empty() {
            st.problems.push(Problem::new(
                file,
                line_no,
                "断面名称",
                "",
                "no section name: the row is not read",
            ));
            continue;
        }
        let Some(time) = parse_time(f[lay.time].trim()) else {
            st.problems.push(Problem::new(
                file,
                line_no,
                "监测时间",
                f[lay.time],
                "not a time YYYY-MM-DD HH:MM: the row is not read",
            ));
            continue;
        };
        let status = f[lay.status].trim();
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
            let c = f[k].trim();
            if !(c.is_empty() || c == "--" || c == "*" || WaterClass::parse(c).is_some()) {
                st.problems.push(Problem::new(
                    file,
                    line_no,
                    "水质类别",
                    c,
                    "not a water class (I–V, 劣V): the published class is not used, the values are read",
                ));
            }
        }
        for (k, col) in lay.cols.iter().enumerate() {
            let Col::Value(d) = col else { continue };
            let cell = f[k].trim();
            if cell.is_empty() || cell == "--" {
                continue;
            }
            let Some(m) = Measurement::parse(cell) else {
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
            on(section, time, d, m, valid, status, line_no);
        }
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
    let st = scan(file, text, |section, time, d, m, valid, status, line| {
        let (sec, stat) = match &last {
            Some((s, t)) if &**s == section && &**t == status => (s.clone(), t.clone()),
            _ => {
                let pair: (Arc<str>, Arc<str>) = (Arc::from(section), Arc::from(status));
                last = Some(pair.clone());
                pair
            }
        };
        readings.push(Reading {
            section: sec,
            time,
            determinand: d.clone(),
            measurement: m,
            flag: if valid { Flag::Ok } else { Flag::Bad },
            source_flag: (!stat.is_empty()).then_some(stat),
            origin: Origin::Automatic,
            file: file_arc.clone(),
            line,
        });
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
    scan(file, text, |section, time, d, m, valid, _, _| {
        if let Determinand::Item(item) = d {
            use chrono::Datelike;
            acc.block_mut(section, time.year(), time.month())
                .add(*item, Origin::Automatic, m, valid);
        }
    })
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
        assert!(msgs[0].starts_with("a.csv:4: 溶解氧(mg/L): impossible"), "{}", msgs[0]);
        assert!(msgs[1].starts_with("a.csv:4: 氨氮(mg/L): not a number"), "{}", msgs[1]);
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
    fn an_unknown_column_refuses_the_file() {
        let out = read_auto("b.csv", "断面名称,监测时间,站点情况,铅\nx,2024-01-01 00:00,正常,1\n");
        assert!(out.readings.is_empty());
        assert_eq!(out.problems.len(), 1);
        assert!(out.problems[0].to_string().starts_with("b.csv:1: 铅:"));
    }
}
