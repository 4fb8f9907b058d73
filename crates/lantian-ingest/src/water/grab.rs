//! A long CSV of grab samples (monthly laboratory results), one value per row:
//!
//! `section,time,item,value,unit[,flag]`
//!
//! - `section`: the section's code (or its published name);
//! - `time`: `YYYY-MM-DD HH:MM` (or a date alone, taken as 00:00), local standard time;
//! - `item`: a GB 3838 item by code (`water.NH3-N`), English name or Chinese name (`氨氮`);
//! - `value`: a number, `<0.01` or `0.01L` (below that detection limit, the Chinese
//!   laboratories' "L" suffix), `ND`/`未检出` (not detected, no limit given);
//! - `unit`: converted to the standard's unit by exact factors only (µg/L → mg/L …);
//! - `flag`: `ok`, `doubtful`, `bad` (empty is ok).
//!
//! A row whose item is unknown, whose unit cannot be converted or whose value cannot be read
//! is named as a problem with its line and field, and not taken; every other row is a reading.

use super::{Problem, WaterFile, to_item_unit};
use chrono::{NaiveDate, NaiveDateTime};
use lantian_model::Flag;
use lantian_water::{Determinand, Item, Measurement, Origin, Reading};
use std::sync::Arc;

const COLUMNS: [&str; 6] = ["section", "time", "item", "value", "unit", "flag"];

/// A cell: a number, `<L`, `L`-suffixed (`0.01L`) or not detected.
pub fn measurement(cell: &str) -> Option<Measurement> {
    let t = cell.trim();
    if let Some(l) = t.strip_suffix('L').or_else(|| t.strip_suffix('l'))
        && let Ok(v) = l.trim().parse::<f64>()
    {
        return (v.is_finite() && v > 0.0).then_some(Measurement::BelowDetection(v));
    }
    Measurement::parse(t)
}

fn time(t: &str) -> Option<NaiveDateTime> {
    let t = t.trim();
    [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y/%m/%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
    })
}

/// Read a grab-sample file.
pub fn read_grab(file: &str, text: &str) -> WaterFile {
    let mut out = WaterFile::default();
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut line_of = crate::text::LineOf::new(text.trim_start_matches('\u{feff}'));
    let header: Vec<String> = match super::header_of(file, &mut rdr) {
        Ok(h) => h.iter().map(|x| x.to_ascii_lowercase()).collect(),
        Err(p) => {
            out.problems.push(p);
            return out;
        }
    };
    if header.len() < 5 || header[..5] != COLUMNS[..5] || header.len() > 6 {
        out.problems.push(Problem::new(
            file,
            1,
            "header",
            &header.join(","),
            "a grab-sample file has the columns section,time,item,value,unit[,flag]",
        ));
        return out;
    }
    let file_arc: Arc<str> = Arc::from(file);
    for rec in rdr.records() {
        out.rows += 1;
        let (rec, line) = match super::record(file, rec, header.len(), &mut line_of) {
            Ok(x) => x,
            Err(p) => {
                out.problems.push(p);
                continue;
            }
        };
        let bad = |k: usize, why: &str| Problem::new(file, line, COLUMNS[k], &rec[k], why);
        let section = rec[0].trim();
        if section.is_empty() {
            out.problems.push(bad(0, "no section"));
            continue;
        }
        let Some(t) = time(&rec[1]) else {
            out.problems
                .push(bad(1, "not a time YYYY-MM-DD HH:MM or a date YYYY-MM-DD"));
            continue;
        };
        let Some(item) = Item::parse(&rec[2]) else {
            out.problems.push(bad(
                2,
                "not an item of GB 3838 Table 1 or 2 (a code such as water.NH3-N, its English or Chinese name)",
            ));
            continue;
        };
        let Some(m) = measurement(&rec[3]) else {
            out.problems.push(bad(
                3,
                "not a number, a detection limit (<0.01, 0.01L) or ND",
            ));
            continue;
        };
        let unit = rec[4].trim();
        let convert = |v: f64| to_item_unit(item, unit, v);
        let m = match m {
            Measurement::Value(v) => convert(v).map(Measurement::Value),
            Measurement::BelowDetection(l) => convert(l).map(Measurement::BelowDetection),
            Measurement::NotDetected => Ok(Measurement::NotDetected),
        };
        let m = match m {
            Ok(m) => m,
            Err(why) => {
                out.problems.push(bad(4, &why));
                continue;
            }
        };
        let given = rec.get(5).map(str::trim).unwrap_or("");
        let mut flag = if given.is_empty() {
            Flag::Ok
        } else {
            match given.parse::<Flag>() {
                Ok(f) => f,
                Err(_) => {
                    out.problems.push(bad(
                        5,
                        "a flag is ok, doubtful or bad; the row is not taken",
                    ));
                    continue;
                }
            }
        };
        if let Measurement::Value(v) = m
            && (v < 0.0 || (item == Item::Ph && v > 14.0))
        {
            flag = Flag::Bad;
            out.problems.push(
                bad(
                    3,
                    "impossible (negative, or a pH above 14): kept, flagged bad, not averaged",
                )
                .kept(),
            );
        }
        out.readings.push(Reading {
            section: Arc::from(section),
            time: t,
            determinand: Determinand::Item(item),
            measurement: m,
            flag,
            source_flag: (!given.is_empty()).then(|| Arc::from(given)),
            origin: Origin::Grab,
            file: file_arc.clone(),
            line,
        });
    }
    out
}

/// The header of a grab-sample file.
pub const HEADER: &str = "section,time,item,value,unit,flag";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grab_rows_and_their_problems() {
        let text = "section,time,item,value,unit,flag\n\
                    BJ01,2024-01-15 10:00,water.Cd,4.5,ug/L,\n\
                    BJ01,2024-01-15 10:00,氨氮,0.02L,mg/L,ok\n\
                    BJ01,2024-01-15 10:00,water.Hg,ND,mg/L,\n\
                    BJ01,2024-01-15,water.COD,<4,mg/L,doubtful\n\
                    BJ01,2024-01-15 10:00,water.Ra,1,mg/L,\n\
                    BJ01,2024-01-15 10:00,water.TP,0.1,mg/kg,\n\
                    BJ01,2024-01-15 10:00,water.TP,x,mg/L,\n\
                    BJ01,2024-01-15 10:00,water.TP,-0.1,mg/L,\n\
                    BJ01,15/01/2024,water.TP,0.1,mg/L,\n";
        let out = read_grab("g.csv", text);
        assert_eq!(out.rows, 9);
        assert_eq!(out.readings.len(), 5);
        assert_eq!(out.readings[0].measurement, Measurement::Value(0.0045));
        assert_eq!(
            out.readings[1].measurement,
            Measurement::BelowDetection(0.02)
        );
        assert_eq!(out.readings[2].measurement, Measurement::NotDetected);
        assert_eq!(out.readings[3].flag, Flag::Doubtful);
        assert_eq!(out.readings[3].time.to_string(), "2024-01-15 00:00:00");
        assert_eq!(out.readings[4].flag, Flag::Bad);
        let msgs: Vec<String> = out.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(msgs.len(), 5, "{msgs:#?}");
        assert!(
            msgs[0].starts_with("g.csv:6: item: not an item"),
            "{}",
            msgs[0]
        );
        assert!(
            msgs[1].starts_with("g.csv:7: unit: unit \"mg/kg\" cannot"),
            "{}",
            msgs[1]
        );
        assert!(msgs[2].starts_with("g.csv:8: value:"), "{}", msgs[2]);
        assert!(
            msgs[3].starts_with("g.csv:9: value: impossible"),
            "{}",
            msgs[3]
        );
        assert!(msgs[4].starts_with("g.csv:10: time:"), "{}", msgs[4]);
        // The same file with a byte-order mark and CRLF line ends (as Excel writes it), and
        // with a blank line after the header: every problem and reading names the line an
        // editor shows (the csv crate's own line count falls behind at CRLF ends).
        for (variant, shift) in [
            (format!("\u{feff}{}", text.replace('\n', "\r\n")), 0),
            (
                text.replacen('\n', "\r\n\r\n", 1)
                    .replace('\n', "\r\n")
                    .replace("\r\r", "\r"),
                1,
            ),
        ] {
            let again = read_grab("g.csv", &variant);
            let lines: Vec<u64> = again.problems.iter().map(|p| p.line).collect();
            let want: Vec<u64> = out.problems.iter().map(|p| p.line + shift).collect();
            assert_eq!(lines, want, "{variant:?}");
            let lines: Vec<u64> = again.readings.iter().map(|r| r.line).collect();
            let want: Vec<u64> = out.readings.iter().map(|r| r.line + shift).collect();
            assert_eq!(lines, want, "{variant:?}");
        }
    }
}
