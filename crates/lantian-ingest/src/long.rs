//! The generic long format: one value per row.
//!
//! ```text
//! station,time,pollutant,value[,unit][,averaging][,source]
//! 东城东四,2023-01-01T01:00:00+08:00,PM2.5,35,ug/m3
//! 东城东四,2023-01-01 02:00,CO,0.6,mg/m3
//! ```
//!
//! - `pollutant` (or `variable`): `SO2`, `NO2`, `CO`, `O3`, `PM10`, `PM2.5`, `NOx`, `TSP`, `AQI`,
//!   or a met variable (`temp`, `dewp`, `pres`, `rain`, `ws`, `wd`, `rh`); for the other media
//!   a prefixed code: `water.COD`, `water.NH3-N`, `water.Cd` (GB 3838 Table 1), `soil.Cd`,
//!   `soil.pH` (GB 15618 / GB 36600), `carbon.verified`, `carbon.allocated`,
//!   `carbon.surrendered` (see `lantian_model::medium`).
//! - `time` (or `time_end`, as `lantian export` writes it): RFC 3339 with an offset, or a local time without one, which is read as **Beijing
//!   time (UTC+8), hour-ending** — the national convention: `2023-01-01 01:00` is the mean over
//!   00:00–01:00. Accepted local forms: `YYYY-MM-DD HH:MM[:SS]` and `YYYY-MM-DDTHH:MM[:SS]`.
//!   A grab sample's time is its sampling instant, in the same forms. A `day`, `month` or
//!   `year` value takes the period's label (`2024-05-14`, `2024-05`, `2023`: Beijing calendar
//!   periods) or the period's end (`2024-01-01T00:00:00+08:00` for the year 2023, as `lantian
//!   export` writes it); any other time is refused, so a period has a single `time_end`.
//! - `unit` (optional): the value's unit; µg/m³ and mg/m³ are converted to the pollutant's
//!   GB 3095 unit, µg/L to mg/L (GB 3838), and allowances to t CO2e for the allowance
//!   quantities, one for one (each conversion is said in the report); any other mismatch skips
//!   the value with a message.
//! - `averaging` (optional): `1h` (default), `8h`, `24h`, `1h_max_24h`, `8h_max_day`, `grab`
//!   (瞬时样), `day`, `month`, `year`.
//! - `source` (optional): the source name stored with the value (default `user`).
//!
//! ```text
//! station,time,variable,value,unit,averaging
//! WS01,2024-05-14 10:30,water.NH3-N,0.42,mg/L,grab
//! SP01/0-20cm,2024-04-02 09:00,soil.pH,6.8,pH,grab
//! EU0001,2023,carbon.verified,1234567,tCO2e,year
//! ```

use crate::diagnostic::{DiagnosticKind, FileReport, excerpt};
use crate::parse::{Field, parse_field, push_value};
use lantian_model::time::{
    CalendarPeriod, CalendarUnit, TimeConvention, beijing, naive_to_time_end,
};
use lantian_model::{Averaging, Flag, Observation, Source, Unit, Variable};
use std::collections::{BTreeMap, BTreeSet};

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

/// The `time_end` of a daily, monthly or annual value: from the period's label, or from a time
/// that is exactly the period's end. The error says what was expected.
pub fn parse_period_end(
    unit: CalendarUnit,
    s: &str,
) -> Result<chrono::DateTime<chrono::Utc>, String> {
    let what = match unit {
        CalendarUnit::Day => "day",
        CalendarUnit::Month => "month",
        CalendarUnit::Year => "year",
    };
    if let Some(p) = CalendarPeriod::parse_label(unit, s) {
        return p
            .time_end()
            .ok_or_else(|| format!("the {what} {p} has no representable end"));
    }
    let Some(t) = parse_time(s) else {
        return Err(format!(
            "cannot read time {} (a {what} is written {} or as its end)",
            excerpt(s),
            unit.label_form()
        ));
    };
    match CalendarPeriod::ending_at(unit, t) {
        Some(_) => Ok(t),
        None => Err(format!(
            "time {} is not the end of a Beijing calendar {what} (write the {what} as {}, or its end at Beijing midnight)",
            excerpt(s),
            unit.label_form()
        )),
    }
}

/// Unit conversions made while reading a file, reported once per file.
#[derive(Debug, Default)]
pub(crate) struct Conversions {
    /// µg/m³ ↔ mg/m³ (the air conversion, reported as it always was).
    air: u64,
    /// Any other conversion, by (from, to).
    other: BTreeMap<(Unit, Unit), u64>,
}

impl Conversions {
    fn count(&mut self, from: Unit, to: Unit) {
        if matches!(from, Unit::UgM3 | Unit::MgM3) {
            self.air += 1;
        } else {
            *self.other.entry((from, to)).or_default() += 1;
        }
    }
}

/// One row of the long format, from any container (CSV or Parquet).
pub(crate) struct LongRow<'a> {
    pub line: u64,
    pub station: &'a str,
    pub time: &'a str,
    pub variable: &'a str,
    /// The name of the variable's column (`pollutant` or `variable`), for diagnostics.
    pub variable_field: &'static str,
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
    converted: &mut Conversions,
) {
    let line = row.line;
    // A daily, monthly or annual value's time is a period; every other time an instant.
    let calendar = row
        .averaging
        .and_then(|a| a.parse::<Averaging>().ok())
        .and_then(Averaging::calendar);
    let time_end = match calendar {
        None => parse_time(row.time)
            .ok_or_else(|| format!("cannot read time {}; row skipped", excerpt(row.time))),
        Some(unit) => parse_period_end(unit, row.time).map_err(|e| format!("{e}; row skipped")),
    };
    let time_end = match time_end {
        Ok(t) => t,
        Err(message) => {
            report.push(
                DiagnosticKind::BadTime,
                Some(line),
                Some("time".into()),
                message,
            );
            return;
        }
    };
    let variable: Variable = match row.variable.parse() {
        Ok(v) => v,
        Err(e) => {
            report.push(
                DiagnosticKind::BadUnit,
                Some(line),
                Some(row.variable_field.into()),
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
                format!(
                    "not a number: {}; value not stored",
                    excerpt(row.value_text)
                ),
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
    let Some(v) = variable.to_canonical(v, unit) else {
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
        converted.count(unit, variable.unit());
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

pub(crate) fn finish(report: &mut FileReport, stations: BTreeSet<String>, converted: Conversions) {
    if converted.air > 0 {
        report.push(
            DiagnosticKind::UnitConverted,
            None,
            Some("unit".into()),
            format!(
                "{} values converted to their GB 3095 unit (ug/m3 <-> mg/m3)",
                converted.air
            ),
        );
    }
    for ((from, to), n) in converted.other {
        let why = match (from, to) {
            (Unit::UgL, Unit::MgL) => " (GB 3838 unit; exact factor 1000)",
            (Unit::Allowance, Unit::TCo2e) => " (one allowance is one t CO2e)",
            _ => "",
        };
        report.push(
            DiagnosticKind::UnitConverted,
            None,
            Some("unit".into()),
            format!("{n} values converted from {from} to {to}{why}"),
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
    let (ip, variable_field) = match (col("pollutant"), col("variable")) {
        (Some(i), _) => (i, "pollutant"),
        (None, Some(i)) => (i, "variable"),
        (None, None) => (usize::MAX, "pollutant"),
    };
    let (iu, ia, is) = (col("unit"), col("averaging"), col("source"));
    let mut out = Vec::new();
    let mut stations = BTreeSet::new();
    let mut converted = Conversions::default();
    let mut line_of = crate::text::LineOf::new(text);
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                report.push(
                    DiagnosticKind::RaggedRow,
                    e.position().map(|p| line_of.of(p)),
                    None,
                    format!("unreadable CSV row: {e}"),
                );
                continue;
            }
        };
        report.rows += 1;
        let line = rec.position().map_or(0, |p| line_of.of(p));
        let get = |i: usize| rec.get(i).unwrap_or("");
        let value_text = get(iv);
        let row = LongRow {
            line,
            station: get(ist),
            time: get(it),
            variable: get(ip),
            variable_field,
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
    use crate::Format;
    use crate::read_bytes;

    /// A diagnostic names the line an editor shows, whatever the line ends and blank lines.
    #[test]
    fn problems_name_the_line_an_editor_shows() {
        for text in [
            "station,time,pollutant,value\nA,2023-01-01 01:00,PM2.5,5\nA,2023-01-01 02:00,PM2.5,x\n",
            "station,time,pollutant,value\r\nA,2023-01-01 01:00,PM2.5,5\r\nA,2023-01-01 02:00,PM2.5,x\r\n",
            "station,time,pollutant,value\r\n\r\nA,2023-01-01 01:00,PM2.5,5\r\nA,2023-01-01 02:00,PM2.5,x\r\n",
        ] {
            let mut report = FileReport::new("f.csv", 0, String::new(), Format::Long);
            let out = read("f.csv", text, &mut report);
            assert_eq!(out.len(), 1, "{text:?}");
            let want = text.lines().position(|l| l.ends_with(",x")).unwrap() as u64 + 1;
            let lines: Vec<Option<u64>> = report.diagnostics.iter().map(|d| d.line).collect();
            assert_eq!(
                lines,
                vec![Some(want)],
                "{text:?}: {:?}",
                report.diagnostics
            );
            assert_eq!(out[0].source_line, want - 1, "{text:?}");
        }
    }

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

    #[test]
    fn a_field_of_megabytes_is_quoted_in_part_and_the_rest_is_read() {
        let huge = "9".repeat(3 << 20) + "x";
        let csv = format!(
            "station,time,pollutant,value\n\
             S1,2023-01-01 01:00,PM2.5,{huge}\n\
             S1,{huge},PM2.5,5\n\
             S1,2023-01-01 02:00,PM2.5,35\n"
        );
        let out = read_bytes("crawled.csv", csv.as_bytes());
        assert_eq!(out.observations.len(), 1);
        let said: Vec<String> = out
            .report
            .diagnostics
            .iter()
            .map(|d| d.to_string())
            .collect();
        let nines = "9".repeat(40);
        assert_eq!(
            said,
            [
                format!(
                    "crawled.csv:2 [value]: bad-number: not a number: \"{nines}\"… (3145729 characters); value not stored"
                ),
                format!(
                    "crawled.csv:3 [time]: bad-time: cannot read time \"{nines}\"… (3145729 characters); row skipped"
                ),
            ]
        );
    }

    /// The diagnostics of `kind`, as printed.
    fn said(r: &FileReport, kind: DiagnosticKind) -> Vec<String> {
        r.diagnostics
            .iter()
            .filter(|d| d.kind == kind)
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn water_soil_and_carbon_rows_are_read_in_their_units() {
        let csv = "station,time,variable,value,unit,averaging\n\
                   WS01,2024-05-14 10:30,water.NH3-N,0.42,mg/L,grab\n\
                   WS01,2024-05-14 10:30,water.Cd,3,ug/L,grab\n\
                   WS01,2024-05-14 10:30,water.pH,7.6,,grab\n\
                   SP01,2024-04-02 09:00,soil.pH,6.8,pH,grab\n\
                   SP01,2024-04-02 09:00,soil.Cd,0.31,mg/kg,grab\n\
                   EU0001,2023,carbon.verified,1234567,tCO2e,year\n\
                   EU0001,2024-01-01T00:00:00+08:00,carbon.surrendered,1200000,allowances,year\n\
                   WS01,2024-05,water.COD,18,mg/L,month\n";
        let out = read_bytes("media.csv", csv.as_bytes());
        let r = &out.report;
        assert!(r.diagnostics.len() == 2, "{:?}", r.diagnostics);
        assert_eq!(
            said(r, DiagnosticKind::UnitConverted),
            [
                "media.csv [unit]: unit-converted: 1 values converted from ug/L to mg/L (GB 3838 unit; exact factor 1000)",
                "media.csv [unit]: unit-converted: 1 values converted from allowance to tCO2e (one allowance is one t CO2e)",
            ]
        );
        let get = |st: &str, v: &str| {
            out.observations
                .iter()
                .find(|o| &*o.station == st && o.variable.code() == v)
                .unwrap_or_else(|| panic!("{st} {v}"))
        };
        let cd = get("WS01", "water.Cd");
        assert_eq!(
            (cd.value, cd.unit, cd.averaging),
            (Some(0.003), Unit::MgL, Averaging::Grab)
        );
        // The sampling instant, Beijing time, not shifted by an hour convention.
        assert_eq!(cd.time_end.to_rfc3339(), "2024-05-14T02:30:00+00:00");
        assert_eq!(cd.source_line, 3);
        assert_eq!(get("WS01", "water.pH").unit, Unit::Ph);
        let ph = get("SP01", "soil.pH");
        assert_eq!(
            (ph.value, ph.unit, ph.flag),
            (Some(6.8), Unit::Ph, Flag::Ok)
        );
        assert_eq!(get("SP01", "soil.Cd").unit, Unit::MgKg);
        let ver = get("EU0001", "carbon.verified");
        assert_eq!(
            (ver.value, ver.unit, ver.averaging),
            (Some(1_234_567.0), Unit::TCo2e, Averaging::Year)
        );
        assert_eq!(ver.time_end.to_rfc3339(), "2023-12-31T16:00:00+00:00");
        let sur = get("EU0001", "carbon.surrendered");
        assert_eq!((sur.value, sur.unit), (Some(1_200_000.0), Unit::TCo2e));
        assert_eq!(
            sur.time_end, ver.time_end,
            "a label and the period's end are the same key"
        );
        assert_eq!(
            get("WS01", "water.COD").time_end.to_rfc3339(),
            "2024-05-31T16:00:00+00:00"
        );
        assert_eq!(r.stations, ["EU0001", "SP01", "WS01"]);
    }

    #[test]
    fn media_rows_that_cannot_be_read_say_file_line_and_field() {
        let csv = "station,time,variable,value,unit,averaging\n\
                   SP01,2024-04-02 09:00,soil.Cd,0.31,mg/L,grab\n\
                   WS01,2024-05-14 10:30,water.XYZ,1,mg/L,grab\n\
                   WS01,2024-05-14 10:30,Cd,1,mg/L,grab\n\
                   EU0001,2023-06-30,carbon.verified,5,tCO2e,year\n\
                   EU0001,2023,carbon.verified,5,allowance,year\n\
                   WS01,2024-05-14 10:30,water.TP,-0.01,mg/L,grab\n\
                   SP01,2024-04-02 09:00,soil.pH,15.2,,grab\n";
        let out = read_bytes("bad.csv", csv.as_bytes());
        let r = &out.report;
        assert_eq!(
            said(r, DiagnosticKind::BadUnit),
            [
                "bad.csv:2 [unit]: bad-unit: soil.Cd cannot be given in mg/L (expected mg/kg); value not stored",
                "bad.csv:3 [variable]: bad-unit: unknown water parameter \"water.XYZ\" (expected one of water.temp, water.pH, water.DO, water.CODMn, water.COD, water.BOD5, water.NH3-N, water.TP, water.TN, water.Cu, water.Zn, water.F, water.Se, water.As, water.Hg, water.Cd, water.Cr6+, water.Pb, water.CN, water.phenol, water.oil, water.LAS, water.S2-, water.FC); row skipped",
                "bad.csv:4 [variable]: bad-unit: unknown variable \"Cd\"; row skipped",
                "bad.csv:6 [unit]: bad-unit: carbon.verified cannot be given in allowance (expected tCO2e); value not stored",
            ]
        );
        assert_eq!(
            said(r, DiagnosticKind::BadTime),
            [
                "bad.csv:5 [time]: bad-time: cannot read time \"2023-06-30\" (a year is written YYYY or as its end); row skipped"
            ]
        );
        // Negative contents and impossible pH are kept and flagged bad, as for air.
        assert_eq!(
            said(r, DiagnosticKind::Negative),
            ["bad.csv:7 [value]: negative: negative concentration -0.01; kept, flagged bad"]
        );
        assert_eq!(
            said(r, DiagnosticKind::Implausible),
            ["bad.csv:8 [value]: implausible: pH 15.2 outside 0–14; kept, flagged bad"]
        );
        assert_eq!(out.observations.len(), 2);
        assert!(out.observations.iter().all(|o| o.flag == Flag::Bad));
    }

    #[test]
    fn a_period_time_must_be_the_periods_end() {
        use lantian_model::time::CalendarUnit::{Day, Month, Year};
        let end = |u, s| parse_period_end(u, s).map(|t| t.to_rfc3339());
        assert_eq!(end(Year, "2023").unwrap(), "2023-12-31T16:00:00+00:00");
        assert_eq!(
            end(Year, "2023-12-31T16:00:00Z").unwrap(),
            "2023-12-31T16:00:00+00:00"
        );
        assert_eq!(
            end(Year, "2024-01-01 00:00").unwrap(),
            "2023-12-31T16:00:00+00:00"
        );
        assert_eq!(
            end(Year, "2024-01-01T00:00:00Z").unwrap_err(),
            "time \"2024-01-01T00:00:00Z\" is not the end of a Beijing calendar year (write the year as YYYY, or its end at Beijing midnight)"
        );
        assert_eq!(end(Month, "2024-02").unwrap(), "2024-02-29T16:00:00+00:00");
        assert!(end(Month, "2024-02-15 00:00").is_err());
        assert_eq!(end(Day, "2024-02-15").unwrap(), "2024-02-15T16:00:00+00:00");
        assert_eq!(
            end(Day, "2024-02-16 00:00").unwrap(),
            "2024-02-15T16:00:00+00:00"
        );
        assert!(end(Day, "2024-02-16 01:00").is_err());
    }
}
