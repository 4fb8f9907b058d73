//! The daily-file format of BJMEMC and CNEMC as archived by quotsoft.net.
//!
//! `date,hour,type,<station>...`: one row per (hour, type), one column per station. `date` is
//! `YYYYMMDD`, `hour` 0..23, both Beijing local time, **hour-ending** (CNEMC's convention; the
//! BJMEMC files carry identical values with identical stamps, see the registry's evidence).
//! Missing values are empty fields. Types and their meaning (checked on CNEMC 1003A, 2023-01-21):
//!
//! | type | variable | averaging |
//! |---|---|---|
//! | `AQI` | AQI | 1 h (the real-time AQI) |
//! | `PM2.5`, `PM10`, `SO2`, `NO2`, `O3`, `CO` | the pollutant | 1 h |
//! | `PM2.5_24h`, `PM10_24h`, `SO2_24h`, `NO2_24h`, `CO_24h` | the pollutant | 24-h moving mean |
//! | `O3_24h` | O3 | 24-h moving **maximum** of 1-h values |
//! | `O3_8h` | O3 | 8-h moving mean |
//! | `O3_8h_24h` | O3 | maximum 8-h mean so far in the natural day |
//!
//! CO is in mg/m³, the AQI is an index, all else µg/m³.

use crate::detect::Format;
use crate::diagnostic::{DiagnosticKind, FileReport};
use crate::parse::{Field, parse_field, push_value};
use lantian_model::time::{TimeConvention, beijing_hour};
use lantian_model::{Averaging, Flag, Observation, Pollutant, Source, Variable};
use std::sync::Arc;

/// Map a `type` cell to what it measures.
pub fn parse_type(t: &str) -> Option<(Variable, Averaging)> {
    use Averaging::*;
    let (base, avg) = match t {
        "O3_8h_24h" => ("O3", Max8hDayToDate),
        "O3_8h" => ("O3", Moving8h),
        "O3_24h" => ("O3", Max1hIn24h),
        _ => match t.strip_suffix("_24h") {
            Some(b) => (b, Moving24h),
            None => (t, Hour1),
        },
    };
    if base == "AQI" {
        return (avg == Hour1).then_some((Variable::Aqi, Hour1));
    }
    let p: Pollutant = base.parse().ok()?;
    Some((Variable::Pollutant(p), avg))
}

pub(crate) fn read(
    name: &str,
    text: &str,
    format: Format,
    report: &mut FileReport,
) -> Vec<Observation> {
    let source = if format == Format::Cnemc {
        Source::Cnemc
    } else {
        Source::Bjmemc
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    let mut header: Vec<String> = Vec::new();
    // The header's station names, shared by every value of their column.
    let mut names: Vec<Arc<str>> = Vec::new();
    let file: Arc<str> = Arc::from(name);
    for (i, rec) in rdr.records().enumerate() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(i as u64 + 1, |p| p.line());
                report.push(
                    DiagnosticKind::RaggedRow,
                    Some(line),
                    None,
                    format!("unreadable CSV row: {e}"),
                );
                continue;
            }
        };
        let line = rec.position().map_or(i as u64 + 1, |p| p.line());
        if i == 0 {
            header = rec.iter().map(|s| s.trim().to_string()).collect();
            names = header.iter().map(|s| Arc::from(s.as_str())).collect();
            // Room for every cell: growing a vector of 600,000 values by doubling copied and
            // faulted in its memory again and again (a quarter of the reading time).
            let lines = bytecount_lines(text);
            out.reserve(lines.saturating_sub(1) * header.len().saturating_sub(3));
            report.stations = header[3..]
                .iter()
                .filter(|s| !s.is_empty())
                .cloned()
                .collect();
            continue;
        }
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        report.rows += 1;
        let date = rec.get(0).unwrap_or("").trim();
        let hour = rec.get(1).unwrap_or("").trim();
        let ty = rec.get(2).unwrap_or("").trim();
        let time_end = parse_date_hour(date, hour);
        let Some(time_end) = time_end else {
            report.push(
                DiagnosticKind::BadTime,
                Some(line),
                Some("date/hour".into()),
                format!(
                    "cannot read date {date:?} hour {hour:?}; row skipped ({} values)",
                    count_values(&rec)
                ),
            );
            continue;
        };
        let Some((variable, averaging)) = parse_type(ty) else {
            report.push(
                DiagnosticKind::UnknownType,
                Some(line),
                Some("type".into()),
                format!(
                    "unknown type {ty:?}; row skipped ({} values)",
                    count_values(&rec)
                ),
            );
            continue;
        };
        if rec.len() != header.len() {
            let extra_values = (header.len()..rec.len())
                .filter(|&j| !rec[j].trim().is_empty())
                .count();
            // Rows that are merely shorter or longer with empty fields are harmless; say so only
            // when a value is at stake.
            if rec.len() < header.len() || extra_values > 0 {
                report.push(
                    DiagnosticKind::RaggedRow,
                    Some(line),
                    None,
                    format!(
                        "{} fields where the header has {}{}",
                        rec.len(),
                        header.len(),
                        if extra_values > 0 {
                            format!("; {extra_values} values beyond the header not stored")
                        } else {
                            String::new()
                        }
                    ),
                );
            }
        }
        let template = Observation {
            source: source.clone(),
            station: Arc::from(""),
            variable,
            averaging,
            time_end,
            value: None,
            unit: variable.unit(),
            flag: Flag::Ok,
            flag_reason: None,
            source_file: file.clone(),
            source_line: line,
        };
        for (j, cell) in rec.iter().enumerate().skip(3) {
            let station = header.get(j).map(String::as_str).unwrap_or("");
            match parse_field(cell) {
                Field::Missing => {}
                Field::Bad => report.push(
                    DiagnosticKind::BadNumber,
                    Some(line),
                    Some(format!("{station}/{ty}")),
                    format!("not a number: {cell:?}; value not stored"),
                ),
                Field::Number(v) => {
                    if station.is_empty() {
                        if j < header.len() {
                            report.push(
                                DiagnosticKind::UnnamedColumn,
                                Some(line),
                                Some(format!("column {}", j + 1)),
                                format!("value {v} in a column with no station name; not stored"),
                            );
                        }
                        continue;
                    }
                    let mut t = template.clone();
                    t.station = names[j].clone();
                    push_value(&mut out, report, t, v, line, || format!("{station}/{ty}"));
                }
            }
        }
    }
    out
}

/// The number of lines of `text`.
fn bytecount_lines(text: &str) -> usize {
    text.as_bytes().iter().filter(|&&b| b == b'\n').count() + 1
}

fn count_values(rec: &csv::StringRecord) -> usize {
    rec.iter().skip(3).filter(|f| !f.trim().is_empty()).count()
}

fn parse_date_hour(date: &str, hour: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    if date.len() != 8 || !date.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = date[0..4].parse().ok()?;
    let m: u32 = date[4..6].parse().ok()?;
    let d: u32 = date[6..8].parse().ok()?;
    let h: u32 = hour.parse().ok()?;
    beijing_hour(y, m, d, h, TimeConvention::HourEnding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read_bytes;

    #[test]
    fn types_map_to_windows() {
        assert_eq!(
            parse_type("PM2.5"),
            Some((Variable::Pollutant(Pollutant::Pm2_5), Averaging::Hour1))
        );
        assert_eq!(
            parse_type("PM2.5_24h"),
            Some((Variable::Pollutant(Pollutant::Pm2_5), Averaging::Moving24h))
        );
        assert_eq!(
            parse_type("O3_24h"),
            Some((Variable::Pollutant(Pollutant::O3), Averaging::Max1hIn24h))
        );
        assert_eq!(
            parse_type("O3_8h"),
            Some((Variable::Pollutant(Pollutant::O3), Averaging::Moving8h))
        );
        assert_eq!(
            parse_type("O3_8h_24h"),
            Some((
                Variable::Pollutant(Pollutant::O3),
                Averaging::Max8hDayToDate
            ))
        );
        assert_eq!(parse_type("AQI"), Some((Variable::Aqi, Averaging::Hour1)));
        assert_eq!(parse_type("AQI_24h"), None);
        assert_eq!(parse_type("PM1"), None);
    }

    #[test]
    fn every_problem_is_reported_and_the_rest_kept() {
        let csv = "date,hour,type,东城东四,东城天坛,,\n\
                   20230101,1,PM2.5,12,x\n\
                   20230101,0,PM2.5,10,11\n\
                   20230101,0,PM2.5,10,13\n\
                   20230101,2,PM1,5,5\n\
                   2023-01-01,3,PM2.5,5,5\n\
                   20230101,4,CO,-0.1,0.9,,7\n\
                   20230101,5,PM10,6000,25000\n";
        let out = read_bytes("beijing_all_20230101.csv", csv.as_bytes());
        let r = &out.report;
        let kinds: Vec<_> = r.diagnostics.iter().map(|d| (d.kind, d.line)).collect();
        assert!(
            kinds.contains(&(DiagnosticKind::BadNumber, Some(2))),
            "{kinds:?}"
        );
        assert!(
            kinds.contains(&(DiagnosticKind::DuplicateHour, Some(4))),
            "{kinds:?}"
        );
        assert!(
            kinds.contains(&(DiagnosticKind::UnknownType, Some(5))),
            "{kinds:?}"
        );
        assert!(
            kinds.contains(&(DiagnosticKind::BadTime, Some(6))),
            "{kinds:?}"
        );
        assert!(
            kinds.contains(&(DiagnosticKind::Negative, Some(7))),
            "{kinds:?}"
        );
        assert!(
            kinds.contains(&(DiagnosticKind::UnnamedColumn, Some(7))),
            "{kinds:?}"
        );
        assert!(
            kinds.contains(&(DiagnosticKind::Implausible, Some(8))),
            "{kinds:?}"
        );
        assert!(
            kinds.contains(&(DiagnosticKind::OutOfOrder, Some(3))),
            "{kinds:?}"
        );
        // Kept: 12 (line 2), 10 and 11 (line 3), -0.1 and 0.9 (line 7), 6000 and 25000 (line 8).
        assert_eq!(out.observations.len(), 7);
        // Line 4 repeats line 3: same value for 东城东四, a different one (13 vs 11) for 东城天坛.
        assert_eq!(r.count(DiagnosticKind::DuplicateHour), 2);
        let dup = r
            .diagnostics
            .iter()
            .find(|d| {
                d.kind == DiagnosticKind::DuplicateHour
                    && d.field.as_deref() == Some("东城天坛/PM2.5")
            })
            .unwrap();
        assert!(
            dup.message.contains("DIFFERENT") && dup.message.contains("value 13 not stored"),
            "{}",
            dup.message
        );
        let neg = out
            .observations
            .iter()
            .find(|o| o.value == Some(-0.1))
            .unwrap();
        assert_eq!(neg.flag, Flag::Bad);
        assert_eq!(neg.unit, lantian_model::Unit::MgM3);
        let big = out
            .observations
            .iter()
            .find(|o| o.value == Some(25000.0))
            .unwrap();
        assert_eq!(big.flag, Flag::Doubtful);
        let ok = out
            .observations
            .iter()
            .find(|o| o.value == Some(6000.0))
            .unwrap();
        assert_eq!(
            ok.flag,
            Flag::Ok,
            "a dust-storm PM10 of 6000 is real, not doubtful"
        );
        // Hour 0 of 2023-01-01 ends at 2023-01-01 00:00 +08:00.
        let first = out
            .observations
            .iter()
            .find(|o| o.value == Some(10.0))
            .unwrap();
        assert_eq!(first.time_end.to_rfc3339(), "2022-12-31T16:00:00+00:00");
        assert_eq!(first.source_line, 3);
    }
}
