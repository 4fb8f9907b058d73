//! The generic long format: one value per row.
//!
//! ```text
//! station,time,pollutant,value[,unit][,averaging][,source]
//! 东城东四,2023-01-01T01:00:00+08:00,PM2.5,35,ug/m3
//! 东城东四,2023-01-01 02:00,CO,0.6,mg/m3
//! ```
//!
//! - `pollutant` (or `variable`): `SO2`, `NO2`, `CO`, `O3`, `PM10`, `PM2.5`, `NOx`, `TSP`, `AQI`,
//!   or a met variable (`temp`, `dewp`, `pres`, `rain`, `ws`, `wd`, `rh`).
//! - `time` (or `time_end`, as `lantian export` writes it): RFC 3339 with an offset, or a local time without one, which is read as **Beijing
//!   time (UTC+8), hour-ending** — the national convention: `2023-01-01 01:00` is the mean over
//!   00:00–01:00. Accepted local forms: `YYYY-MM-DD HH:MM[:SS]` and `YYYY-MM-DDTHH:MM[:SS]`.
//! - `unit` (optional): the value's unit; µg/m³ and mg/m³ are converted to the pollutant's
//!   GB 3095 unit (said in the report); any other mismatch skips the value with a message.
//! - `averaging` (optional): `1h` (default), `8h`, `24h`, `1h_max_24h`, `8h_max_day`.
//! - `source` (optional): the source name stored with the value (default `user`).

use crate::diagnostic::{DiagnosticKind, FileReport};
use crate::parse::{Field, parse_field, push_value};
use lantian_model::time::{TimeConvention, beijing, naive_to_time_end};
use lantian_model::{Averaging, Flag, Observation, Source, Unit, Variable};
use std::collections::BTreeSet;

/// Parse a time of the long format into the end of the hour (UTC).
pub fn parse_time(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let t = s.trim();
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(t) {
        return Some(dt.with_timezone(&chrono::Utc));
    }
    for f in [
        "%Y-%m-%d %H:%M:%S%:z",
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%d %H:%M%:z",
    ] {
        if let Ok(dt) = chrono::DateTime::parse_from_str(t, f) {
            return Some(dt.with_timezone(&chrono::Utc));
        }
    }
    for f in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(n) = chrono::NaiveDateTime::parse_from_str(t, f) {
            return naive_to_time_end(n, beijing(), TimeConvention::HourEnding);
        }
    }
    None
}

/// One row of the long format, from any container (CSV or Parquet).
pub(crate) struct LongRow<'a> {
    pub line: u64,
    pub station: &'a str,
    pub time: &'a str,
    pub variable: &'a str,
    pub value: Field,
    pub value_text: &'a str,
    pub unit: Option<&'a str>,
    pub averaging: Option<&'a str>,
    pub source: Option<&'a str>,
}

pub(crate) fn push_row(
    name: &str,
    row: LongRow<'_>,
    out: &mut Vec<Observation>,
    report: &mut FileReport,
    stations: &mut BTreeSet<String>,
    converted: &mut u64,
) {
    let line = row.line;
    let Some(time_end) = parse_time(row.time) else {
        report.push(
            DiagnosticKind::BadTime,
            Some(line),
            Some("time".into()),
            format!("cannot read time {:?}; row skipped", row.time),
        );
        return;
    };
    let variable: Variable = match row.variable.parse() {
        Ok(v) => v,
        Err(e) => {
            report.push(
                DiagnosticKind::BadUnit,
                Some(line),
                Some("pollutant".into()),
                format!("{e}; row skipped"),
            );
            return;
        }
    };
    let averaging = match row.averaging.map(str::trim).filter(|a| !a.is_empty()) {
        None => Averaging::Hour1,
        Some(a) => match a.parse() {
            Ok(a) => a,
            Err(e) => {
                report.push(
                    DiagnosticKind::BadUnit,
                    Some(line),
                    Some("averaging".into()),
                    format!("{e}; row skipped"),
                );
                return;
            }
        },
    };
    if row.station.trim().is_empty() {
        report.push(
            DiagnosticKind::BadUnit,
            Some(line),
            Some("station".into()),
            "empty station; row skipped".into(),
        );
        return;
    }
    let v = match row.value {
        Field::Missing => return,
        Field::Bad => {
            report.push(
                DiagnosticKind::BadNumber,
                Some(line),
                Some("value".into()),
                format!("not a number: {:?}; value not stored", row.value_text),
            );
            return;
        }
        Field::Number(v) => v,
    };
    let unit = match row.unit.map(str::trim).filter(|u| !u.is_empty()) {
        None => variable.unit(),
        Some(u) => match u.parse::<Unit>() {
            Ok(u) => u,
            Err(e) => {
                report.push(
                    DiagnosticKind::BadUnit,
                    Some(line),
                    Some("unit".into()),
                    format!("{e}; value not stored"),
                );
                return;
            }
        },
    };
    let Some(v) = unit.convert(v, variable.unit()) else {
        report.push(
            DiagnosticKind::BadUnit,
            Some(line),
            Some("unit".into()),
            format!(
                "{variable} cannot be given in {unit} (expected {}); value not stored",
                variable.unit()
            ),
        );
        return;
    };
    if unit != variable.unit() {
        *converted += 1;
    }
    let station = row.station.trim().to_string();
    stations.insert(station.clone());
    let t = Observation {
        source: Source::from_code(
            row.source
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .unwrap_or("user"),
        ),
        station: std::sync::Arc::from(station.as_str()),
        variable,
        averaging,
        time_end,
        value: None,
        unit: variable.unit(),
        flag: Flag::Ok,
        flag_reason: None,
        source_file: std::sync::Arc::from(name),
        source_line: line,
    };
    push_value(out, report, t, v, line, || "value".to_string());
}

pub(crate) fn finish(report: &mut FileReport, stations: BTreeSet<String>, converted: u64) {
    if converted > 0 {
        report.push(
            DiagnosticKind::UnitConverted,
            None,
            Some("unit".into()),
            format!("{converted} values converted to their GB 3095 unit (ug/m3 <-> mg/m3)"),
        );
    }
    report.stations = stations.into_iter().collect();
}

pub(crate) fn read(name: &str, text: &str, report: &mut FileReport) -> Vec<Observation> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_ascii_lowercase()).collect(),
        Err(e) => {
            report.push(
                DiagnosticKind::RaggedRow,
                Some(1),
                None,
                format!("unreadable header: {e}"),
            );
            return Vec::new();
        }
    };
    let col = |n: &str| header.iter().position(|h| h == n);
    let (Some(ist), Some(it), Some(iv)) = (
        col("station"),
        col("time").or_else(|| col("time_end")),
        col("value"),
    ) else {
        return Vec::new();
    };
    let ip = col("pollutant")
        .or_else(|| col("variable"))
        .unwrap_or(usize::MAX);
    let (iu, ia, is) = (col("unit"), col("averaging"), col("source"));
    let mut out = Vec::new();
    let mut stations = BTreeSet::new();
    let mut converted = 0;
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                report.push(
                    DiagnosticKind::RaggedRow,
                    e.position().map(|p| p.line()),
                    None,
                    format!("unreadable CSV row: {e}"),
                );
                continue;
            }
        };
        report.rows += 1;
        let line = rec.position().map_or(0, |p| p.line());
        let get = |i: usize| rec.get(i).unwrap_or("");
        let value_text = get(iv);
        let row = LongRow {
            line,
            station: get(ist),
            time: get(it),
            variable: get(ip),
            value: parse_field(value_text),
            value_text,
            unit: iu.map(get),
            averaging: ia.map(get),
            source: is.map(get),
        };
        push_row(name, row, &mut out, report, &mut stations, &mut converted);
    }
    finish(report, stations, converted);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read_bytes;

    #[test]
    fn times_are_beijing_hour_ending_unless_offset_given() {
        let a = parse_time("2023-01-01 01:00").unwrap();
        let b = parse_time("2023-01-01T01:00:00+08:00").unwrap();
        let c = parse_time("2022-12-31T17:00:00Z").unwrap();
        assert_eq!(a, b);
        assert_eq!(b, c);
        assert!(parse_time("01/01/2023 01:00").is_none());
    }

    #[test]
    fn long_csv_converts_units_and_reports_bad_rows() {
        let csv = "station,time,pollutant,value,unit,averaging\n\
                   S1,2023-01-01 01:00,CO,600,ug/m3,\n\
                   S1,2023-01-01 01:00,PM2.5,35,ug/m3,24h\n\
                   S1,2023-01-01 02:00,PM2.5,abc,ug/m3,\n\
                   S1,2023-01-01 03:00,PM2.5,5,degC,\n\
                   S1,yesterday,PM2.5,5,,\n\
                   S1,2023-01-01 04:00,PM1,5,,\n";
        let out = read_bytes("mine.csv", csv.as_bytes());
        assert_eq!(out.observations.len(), 2);
        let co = out
            .observations
            .iter()
            .find(|o| o.variable.code() == "CO")
            .unwrap();
        assert_eq!(co.value, Some(0.6));
        assert_eq!(co.source.code(), "user");
        let r = &out.report;
        assert_eq!(r.count(DiagnosticKind::UnitConverted), 1);
        assert_eq!(r.count(DiagnosticKind::BadNumber), 1);
        assert_eq!(r.count(DiagnosticKind::BadTime), 1);
        assert_eq!(r.count(DiagnosticKind::BadUnit), 2);
        let bad = r
            .diagnostics
            .iter()
            .find(|d| d.kind == DiagnosticKind::BadNumber)
            .unwrap();
        assert_eq!(bad.line, Some(4));
        assert_eq!(
            bad.to_string(),
            "mine.csv:4 [value]: bad-number: not a number: \"abc\"; value not stored"
        );
    }
}
