//! The UCI Beijing data sets and AQEval's example: one row per hour, one column per variable.
//!
//! - UCI multi-site (`PRSA_Data_<site>_20130301-20170228.csv`): hour-ending Beijing time (the
//!   stamps equal BJMEMC's, see `lantian_model::time`); `NA` for missing; **CO in µg/m³**,
//!   converted to mg/m³ (divide by 1000; said once per file); `wd` is a 16-point compass
//!   direction, stored as the sector's centre in degrees.
//! - UCI US Embassy (`PRSA_data_2010.1.1-2014.12.31.csv`): one station, `US-Embassy`; `cbwd` is a
//!   combined wind direction (NE, NW, SE, or `cv` = calm and variable), stored as the sector
//!   centre (45°, 315°, 135°), `cv` as a value without a number and the reason; `Iws`, `Is`, `Ir`
//!   are cumulated wind speed, snow hours and rain hours.
//! - AQEval (`aq_data.csv.gz`): `date` in UTC, hour-beginning; `no2` at the roadside site
//!   (station `aqeval-site`, with its weather), `bg.no2` at the background site
//!   (`aqeval-background`).

use crate::diagnostic::{DiagnosticKind, FileReport, excerpt};
use crate::parse::{Field, parse_field, push_value};
use lantian_model::time::{TimeConvention, beijing_hour, naive_to_time_end};
use lantian_model::{Averaging, Flag, MetVariable, Observation, Pollutant, Source, Unit, Variable};

/// Centre of a compass sector in degrees (N = 0, clockwise).
pub fn compass_degrees(s: &str) -> Option<f64> {
    const POINTS: [&str; 16] = [
        "N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW",
        "NW", "NNW",
    ];
    POINTS
        .iter()
        .position(|p| p.eq_ignore_ascii_case(s.trim()))
        .map(|i| i as f64 * 22.5)
}

/// How a column of a wide file maps to a variable.
#[derive(Clone, Copy)]
enum Col {
    Value(Variable, Unit),
    Compass,
    CombinedWind,
}

/// Reads the end-of-hour time of a row.
type TimeOf<'a> =
    Box<dyn Fn(&csv::StringRecord, &[String]) -> Option<chrono::DateTime<chrono::Utc>> + 'a>;
/// Reads the station of a row (given the column's fixed station, if any).
type StationOf<'a> = Box<dyn Fn(&csv::StringRecord, &[String], &str) -> String + 'a>;

struct Wide<'a> {
    source: Source,
    name: &'a str,
    time: TimeOf<'a>,
    station: StationOf<'a>,
    columns: Vec<(String, Col, &'a str)>,
}

fn idx(header: &[String], name: &str) -> Option<usize> {
    header.iter().position(|h| h.eq_ignore_ascii_case(name))
}

fn read_wide(text: &str, w: Wide<'_>, report: &mut FileReport) -> Vec<Observation> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut line_of = crate::text::LineOf::new(text);
    let header: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
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
    let cols: Vec<(usize, Col, &str, String)> = w
        .columns
        .iter()
        .filter_map(|(c, kind, st)| idx(&header, c).map(|i| (i, *kind, *st, c.clone())))
        .collect();
    let mut out = Vec::new();
    let file: std::sync::Arc<str> = std::sync::Arc::from(w.name);
    let mut converted = 0u64;
    let mut calm = 0u64;
    let mut stations = std::collections::BTreeSet::new();
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| line_of.of(p));
                report.push(
                    DiagnosticKind::RaggedRow,
                    line,
                    None,
                    format!("unreadable CSV row: {e}"),
                );
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| line_of.of(p));
        report.rows += 1;
        let Some(time_end) = (w.time)(&rec, &header) else {
            report.push(
                DiagnosticKind::BadTime,
                Some(line),
                Some("time".into()),
                format!(
                    "cannot read the time of this row; row skipped: [{}]",
                    rec.iter()
                        .take(6)
                        .map(excerpt)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            continue;
        };
        for (i, kind, st, colname) in &cols {
            let cell = rec.get(*i).unwrap_or("");
            let station = (w.station)(&rec, &header, st);
            let station_arc: std::sync::Arc<str> = std::sync::Arc::from(station.as_str());
            let mk = |variable: Variable| Observation {
                source: w.source.clone(),
                station: station_arc.clone(),
                variable,
                averaging: Averaging::Hour1,
                time_end,
                value: None,
                unit: variable.unit(),
                flag: Flag::Ok,
                flag_reason: None,
                source_file: file.clone(),
                source_line: line,
            };
            match kind {
                Col::Value(variable, unit) => match parse_field(cell) {
                    Field::Missing => {}
                    Field::Bad => report.push(
                        DiagnosticKind::BadNumber,
                        Some(line),
                        Some(colname.clone()),
                        format!("not a number: {}; value not stored", excerpt(cell)),
                    ),
                    Field::Number(v) => {
                        let Some(v2) = unit.convert(v, variable.unit()) else {
                            continue;
                        };
                        if *unit != variable.unit() {
                            converted += 1;
                        }
                        stations.insert(station.clone());
                        push_value(&mut out, report, mk(*variable), v2, line, || {
                            colname.clone()
                        });
                    }
                },
                Col::Compass | Col::CombinedWind => {
                    let t = cell.trim();
                    if t.is_empty() || t.eq_ignore_ascii_case("NA") {
                        continue;
                    }
                    let mut o = mk(Variable::Met(MetVariable::WindDirection));
                    if matches!(kind, Col::CombinedWind) && t.eq_ignore_ascii_case("cv") {
                        calm += 1;
                        o.flag_reason = Some("calm and variable wind (cv): no direction".into());
                        out.push(o);
                        continue;
                    }
                    match compass_degrees(t) {
                        Some(d) => {
                            o.value = Some(d);
                            out.push(o);
                        }
                        None => report.push(
                            DiagnosticKind::BadNumber,
                            Some(line),
                            Some(colname.clone()),
                            format!("not a compass direction: {}; value not stored", excerpt(t)),
                        ),
                    }
                }
            }
        }
    }
    if converted > 0 {
        report.push(
            DiagnosticKind::UnitConverted,
            None,
            Some("CO".into()),
            format!("{converted} CO values given in ug/m3 converted to mg/m3 (divided by 1000)"),
        );
    }
    if calm > 0 {
        report.push(
            DiagnosticKind::NonNumeric,
            None,
            Some("cbwd".into()),
            format!("{calm} hours of calm and variable wind ('cv') stored as wind direction without a number"),
        );
    }
    report.stations = stations.into_iter().collect();
    out
}

fn ymdh(rec: &csv::StringRecord, header: &[String]) -> Option<chrono::DateTime<chrono::Utc>> {
    let get = |n: &str| idx(header, n).and_then(|i| rec.get(i)).map(str::trim);
    beijing_hour(
        get("year")?.parse().ok()?,
        get("month")?.parse().ok()?,
        get("day")?.parse().ok()?,
        get("hour")?.parse().ok()?,
        TimeConvention::HourEnding,
    )
}

fn pol(p: Pollutant) -> Col {
    Col::Value(Variable::Pollutant(p), p.unit())
}

fn met(m: MetVariable) -> Col {
    Col::Value(Variable::Met(m), m.unit())
}

pub(crate) fn read_multisite(name: &str, text: &str, report: &mut FileReport) -> Vec<Observation> {
    let w = Wide {
        source: Source::UciMultisite,
        name,
        time: Box::new(ymdh),
        station: Box::new(|rec, header, _| {
            idx(header, "station")
                .and_then(|i| rec.get(i))
                .unwrap_or("")
                .trim()
                .to_string()
        }),
        columns: vec![
            ("PM2.5".into(), pol(Pollutant::Pm2_5), ""),
            ("PM10".into(), pol(Pollutant::Pm10), ""),
            ("SO2".into(), pol(Pollutant::So2), ""),
            ("NO2".into(), pol(Pollutant::No2), ""),
            // UCI gives CO in µg/m³ (values like 300, 1200); GB 3095 uses mg/m³.
            (
                "CO".into(),
                Col::Value(Variable::Pollutant(Pollutant::Co), Unit::UgM3),
                "",
            ),
            ("O3".into(), pol(Pollutant::O3), ""),
            ("TEMP".into(), met(MetVariable::Temperature), ""),
            ("PRES".into(), met(MetVariable::Pressure), ""),
            ("DEWP".into(), met(MetVariable::DewPoint), ""),
            ("RAIN".into(), met(MetVariable::Rain), ""),
            ("wd".into(), Col::Compass, ""),
            ("WSPM".into(), met(MetVariable::WindSpeed), ""),
        ],
    };
    read_wide(text, w, report)
}

pub(crate) fn read_embassy(name: &str, text: &str, report: &mut FileReport) -> Vec<Observation> {
    let w = Wide {
        source: Source::UciEmbassy,
        name,
        time: Box::new(ymdh),
        station: Box::new(|_, _, _| "US-Embassy".to_string()),
        columns: vec![
            ("pm2.5".into(), pol(Pollutant::Pm2_5), ""),
            ("DEWP".into(), met(MetVariable::DewPoint), ""),
            ("TEMP".into(), met(MetVariable::Temperature), ""),
            ("PRES".into(), met(MetVariable::Pressure), ""),
            ("cbwd".into(), Col::CombinedWind, ""),
            ("Iws".into(), met(MetVariable::CumulatedWindSpeed), ""),
            ("Is".into(), met(MetVariable::CumulatedSnowHours), ""),
            ("Ir".into(), met(MetVariable::CumulatedRainHours), ""),
        ],
    };
    read_wide(text, w, report)
}

pub(crate) fn read_aqeval(name: &str, text: &str, report: &mut FileReport) -> Vec<Observation> {
    let utc = chrono::FixedOffset::east_opt(0).expect("UTC");
    let w = Wide {
        source: Source::Aqeval,
        name,
        time: Box::new(move |rec, header| {
            let s = idx(header, "date").and_then(|i| rec.get(i))?.trim();
            let naive = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
                .or_else(|_| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M"))
                .ok()?;
            naive_to_time_end(naive, utc, TimeConvention::HourBeginning)
        }),
        station: Box::new(|_, _, st| st.to_string()),
        columns: vec![
            ("no2".into(), pol(Pollutant::No2), "aqeval-site"),
            ("bg.no2".into(), pol(Pollutant::No2), "aqeval-background"),
            ("ws".into(), met(MetVariable::WindSpeed), "aqeval-site"),
            ("wd".into(), met(MetVariable::WindDirection), "aqeval-site"),
            (
                "air_temp".into(),
                met(MetVariable::Temperature),
                "aqeval-site",
            ),
        ],
    };
    read_wide(text, w, report)
}

#[cfg(test)]
mod tests {
    use crate::{DiagnosticKind, read_bytes};
    use lantian_model::{MetVariable, Pollutant, Variable};

    #[test]
    fn uci_multisite_converts_co_and_compass() {
        let csv = "\"No\",\"year\",\"month\",\"day\",\"hour\",\"PM2.5\",\"PM10\",\"SO2\",\"NO2\",\"CO\",\"O3\",\"TEMP\",\"PRES\",\"DEWP\",\"RAIN\",\"wd\",\"WSPM\",\"station\"\n\
                   1,2013,3,1,0,9,9,3,17,300,89,-0.5,1024.5,-21.4,0,\"NNW\",5.7,\"Dongsi\"\n\
                   2,2013,3,1,1,NA,4,3,16,1200,88,-0.7,1025.1,-22.1,0,\"XX\",3.9,\"Dongsi\"\n";
        let out = read_bytes("PRSA_Data_Dongsi_20130301-20170228.csv", csv.as_bytes());
        let co: Vec<_> = out
            .observations
            .iter()
            .filter(|o| o.variable == Variable::Pollutant(Pollutant::Co))
            .map(|o| o.value.unwrap())
            .collect();
        assert_eq!(co, vec![0.3, 1.2]);
        let wd = out
            .observations
            .iter()
            .find(|o| o.variable == Variable::Met(MetVariable::WindDirection))
            .unwrap();
        assert_eq!(wd.value, Some(337.5));
        assert_eq!(out.report.count(DiagnosticKind::UnitConverted), 1);
        assert_eq!(out.report.count(DiagnosticKind::BadNumber), 1); // "XX"
        // 11 numeric + 1 wd on row 1; 10 numeric on row 2 (PM2.5 NA, wd bad).
        assert_eq!(out.observations.len(), 22);
        assert_eq!(out.report.stations, vec!["Dongsi".to_string()]);
        // UCI hour 0 is hour-ending like BJMEMC: 2013-03-01 00:00 +08:00.
        assert_eq!(
            out.observations[0].time_end.to_rfc3339(),
            "2013-02-28T16:00:00+00:00"
        );
    }

    #[test]
    fn embassy_calm_wind_is_kept_without_a_number() {
        let csv = "No,year,month,day,hour,pm2.5,DEWP,TEMP,PRES,cbwd,Iws,Is,Ir\r\n\
                   1,2010,1,1,0,,-21,-11,1021,NW,1.79,0,0\r\n\
                   2,2010,1,1,1,129,-16,-4,1020,cv,0.89,0,0\r\n";
        let out = read_bytes("PRSA_data_2010.1.1-2014.12.31.csv", csv.as_bytes());
        let wd: Vec<_> = out
            .observations
            .iter()
            .filter(|o| o.variable == Variable::Met(MetVariable::WindDirection))
            .map(|o| o.value)
            .collect();
        assert_eq!(wd, vec![Some(315.0), None]);
        assert_eq!(out.report.count(DiagnosticKind::NonNumeric), 1);
        let pm: Vec<_> = out
            .observations
            .iter()
            .filter(|o| o.variable == Variable::Pollutant(Pollutant::Pm2_5))
            .collect();
        assert_eq!(pm.len(), 1);
        assert_eq!(pm[0].value, Some(129.0));
    }

    #[test]
    fn aqeval_is_utc_hour_beginning() {
        let csv = "date,no2,bg.no2,ws,wd,air_temp\n2001-01-01 00:00:00,5.7682,,8.5,170.0,5.55\n";
        let out = read_bytes("aq_data.csv", csv.as_bytes());
        let no2 = out
            .observations
            .iter()
            .find(|o| {
                &*o.station == "aqeval-site" && o.variable == Variable::Pollutant(Pollutant::No2)
            })
            .unwrap();
        assert_eq!(no2.time_end.to_rfc3339(), "2001-01-01T01:00:00+00:00");
        assert_eq!(no2.value, Some(5.7682));
        assert!(
            out.observations
                .iter()
                .all(|o| &*o.station != "aqeval-background")
        );
    }
}
