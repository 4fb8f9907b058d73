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
use crate::diagnostic::{DiagnosticKind, FileReport, excerpt};
use crate::parse::{Field, check_keys, judge_reported, parse_field, passed_as_read};
use lantian_model::time::{TimeConvention, beijing_hour};
use lantian_model::{
    Averaging, Flag, Observation, ObservationColumns, Pollutant, Source, Variable,
};
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

/// Read a daily file into columns sorted by (station, variable, averaging, time), the order
/// `parse::check_keys` gives, with every problem reported as that function and the row reader
/// before it report them.
///
/// The file is a grid: each row is one (hour, type), each column one station. When no two rows
/// share an (hour, type), every type's hours rise down the file and no station name repeats,
/// no two values can share a key and no series runs backwards, so the check has nothing to
/// report; the values are then put in order by sorting the few hundred rows and the columns'
/// names instead of the 600,000 values (the sort of a national file's values was a third of
/// its reading). Any other file takes the general path: values in file order, then
/// `check_keys`.
pub(crate) fn read(
    name: &str,
    text: &str,
    format: Format,
    report: &mut FileReport,
) -> ObservationColumns {
    read_grid(name, text, format, report, true)
}

/// [`read`], with the plain split allowed or not (the csv crate then reads every file: the
/// tests hold the two to the same results).
fn read_grid(
    name: &str,
    text: &str,
    format: Format,
    report: &mut FileReport,
    split_allowed: bool,
) -> ObservationColumns {
    let source = if format == Format::Cnemc {
        Source::Cnemc
    } else {
        Source::Bjmemc
    };
    let mut grid = Grid::default();
    let bytes = text.as_bytes();
    // The plain split serves a file without quotes, a byte-order mark or a carriage return
    // that is not part of a line end: it then finds exactly the records and line numbers the
    // csv crate finds (empty lines skipped, counted), several times faster.
    let plain = split_allowed
        && memchr::memchr(b'"', bytes).is_none()
        && !text.starts_with('\u{feff}')
        && memchr::memchr_iter(b'\r', bytes).all(|p| bytes.get(p + 1) == Some(&b'\n'));
    if plain {
        let mut line_no = 0;
        let mut fields: Vec<&str> = Vec::new();
        crate::text::split_rows(text, 0, &mut line_no, |raw, split, line, _| {
            if raw.is_empty() || raw == "\r" {
                return;
            }
            let last = split.len() - 1;
            let split = match split[last].strip_suffix('\r') {
                Some(t) => {
                    fields.clear();
                    fields.extend_from_slice(&split[..last]);
                    fields.push(t);
                    &fields[..]
                }
                None => split,
            };
            grid.record(split, line, text, report);
        });
    } else {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut line_of = crate::text::LineOf::new(text);
        for (i, rec) in rdr.records().enumerate() {
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    let line = e.position().map_or(i as u64 + 1, |p| line_of.of(p));
                    report.push(
                        DiagnosticKind::RaggedRow,
                        Some(line),
                        None,
                        format!("unreadable CSV row: {e}"),
                    );
                    continue;
                }
            };
            let line = rec.position().map_or(i as u64 + 1, |p| line_of.of(p));
            let fields: Vec<&str> = rec.iter().collect();
            grid.record(&fields, line, text, report);
        }
    }
    let Grid {
        header,
        rows,
        mut cells,
        ..
    } = grid;
    let file: Arc<str> = Arc::from(name);
    if let Some(order) = grid_order(&header, &rows) {
        return order.columns(source, file, &header, &rows, cells);
    }
    // The general path: the values in file order, checked and sorted by key.
    let names: Vec<Arc<str>> = header.iter().map(|s| Arc::from(s.as_str())).collect();
    let mut out = Vec::with_capacity(cells.column.len());
    for row in &rows {
        for k in row.cells.clone() {
            let j = cells.column[k] as usize;
            out.push(Observation {
                source: source.clone(),
                station: names[j].clone(),
                variable: row.variable,
                averaging: row.averaging,
                time_end: chrono::DateTime::from_timestamp_micros(row.time_end)
                    .expect("a parsed hour is in range"),
                value: Some(cells.value[k]),
                unit: row.variable.unit(),
                flag: cells.flag[k],
                flag_reason: cells.reason.remove(&(k as u32)),
                source_file: file.clone(),
                source_line: row.line,
            });
        }
    }
    // The grid path's order: by averaging window (a stable sort keeps the key order within).
    let mut out = check_keys(out, report);
    out.sort_by_key(|o| o.averaging);
    ObservationColumns::from_observations(out)
}

/// A file's grid as it is read: the header, then the data rows and their cells.
#[derive(Default)]
struct Grid {
    /// The header has been read (the first record).
    started: bool,
    header: Vec<String>,
    rows: Vec<Row>,
    cells: Cells,
}

impl Grid {
    /// Take one record of the file (its fields and 1-based line), reporting what is wrong
    /// with it.
    fn record(&mut self, rec: &[&str], line: u64, text: &str, report: &mut FileReport) {
        let Grid {
            started,
            header,
            rows,
            cells,
        } = self;
        if !*started {
            *started = true;
            *header = rec.iter().map(|s| s.trim().to_string()).collect();
            // Room for every cell: growing the vectors of 600,000 values by doubling copied and
            // faulted in their memory again and again.
            let lines = bytecount_lines(text);
            cells.reserve(lines.saturating_sub(1) * header.len().saturating_sub(3));
            // `skip`, not `[3..]`: a stray quote can swallow the header's columns.
            report.stations = header
                .iter()
                .skip(3)
                .filter(|s| !s.is_empty())
                .cloned()
                .collect();
            return;
        }
        if rec.iter().all(|f| f.trim().is_empty()) {
            return;
        }
        report.rows += 1;
        let field = |k: usize| rec.get(k).copied().unwrap_or("").trim();
        let (date, hour, ty) = (field(0), field(1), field(2));
        let time_end = parse_date_hour(date, hour);
        let Some(time_end) = time_end else {
            report.push(
                DiagnosticKind::BadTime,
                Some(line),
                Some("date/hour".into()),
                format!(
                    "cannot read date {} hour {}; row skipped ({} values)",
                    excerpt(date),
                    excerpt(hour),
                    count_values(rec)
                ),
            );
            return;
        };
        let Some((variable, averaging)) = parse_type(ty) else {
            report.push(
                DiagnosticKind::UnknownType,
                Some(line),
                Some("type".into()),
                format!(
                    "unknown type {}; row skipped ({} values)",
                    excerpt(ty),
                    count_values(rec)
                ),
            );
            return;
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
        let first_cell = cells.column.len();
        let passed = passed_as_read(variable);
        for (j, &cell) in rec.iter().enumerate().skip(3) {
            // Most cells of a national file are empty or a number.
            if cell.is_empty() {
                continue;
            }
            let station = header.get(j).map(String::as_str).unwrap_or("");
            match parse_field(cell) {
                Field::Missing => {}
                Field::Bad => report.push(
                    DiagnosticKind::BadNumber,
                    Some(line),
                    Some(format!("{station}/{ty}")),
                    format!("not a number: {}; value not stored", excerpt(cell)),
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
                    let flag = if v >= passed.0 && v <= passed.1 {
                        Flag::Ok
                    } else {
                        let (flag, reason) =
                            judge_reported(variable, v, report, line, || format!("{station}/{ty}"));
                        if let Some(r) = reason {
                            cells.reason.insert(cells.column.len() as u32, r);
                        }
                        flag
                    };
                    cells.column.push(j as u32);
                    cells.value.push(v);
                    cells.flag.push(flag);
                }
            }
        }
        rows.push(Row {
            time_end: time_end.timestamp_micros(),
            variable,
            averaging,
            line,
            cells: first_cell..cells.column.len(),
        });
    }
}

/// One data row of a file: an (hour, type) and its cells.
struct Row {
    /// µs UTC.
    time_end: i64,
    variable: Variable,
    averaging: Averaging,
    line: u64,
    /// The row's cells in `Cells`.
    cells: std::ops::Range<usize>,
}

/// The stored cells of a file, row by row: each cell's column in the header, value and flag,
/// and the reasons of the flagged ones by cell number.
#[derive(Default)]
struct Cells {
    column: Vec<u32>,
    value: Vec<f64>,
    flag: Vec<Flag>,
    reason: std::collections::HashMap<u32, String>,
}

impl Cells {
    fn reserve(&mut self, n: usize) {
        self.column.reserve(n);
        self.value.reserve(n);
        self.flag.reserve(n);
    }
}

/// The order of a file's rows and named columns when the grid alone decides it (see `read`).
struct GridOrder {
    /// Row numbers sorted by (averaging, variable, time).
    rows: Vec<usize>,
    /// Header columns of the stations, sorted by name.
    columns: Vec<usize>,
}

/// `Some` when no key can repeat and no series runs backwards: rows have distinct (variable,
/// averaging, time), each (variable, averaging)'s times rise in file order, and no station
/// name is in two columns.
fn grid_order(header: &[String], rows: &[Row]) -> Option<GridOrder> {
    let mut last: std::collections::HashMap<(Variable, Averaging), i64> = Default::default();
    for r in rows {
        match last.insert((r.variable, r.averaging), r.time_end) {
            Some(t) if t >= r.time_end => return None,
            _ => {}
        }
    }
    let mut columns: Vec<usize> = (3..header.len())
        .filter(|&j| !header[j].is_empty())
        .collect();
    columns.sort_by(|&a, &b| header[a].cmp(&header[b]));
    if columns.windows(2).any(|w| header[w[0]] == header[w[1]]) {
        return None;
    }
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&r| (rows[r].averaging, rows[r].variable, rows[r].time_end));
    Some(GridOrder {
        rows: order,
        columns,
    })
}

impl GridOrder {
    /// The cells in columns, by averaging window, then station by station (see
    /// [`ObservationColumns`]: the store keeps each averaging's rows together so that a read of
    /// one averaging skips the others' row groups), each station's rows in order.
    fn columns(
        &self,
        source: Source,
        file: Arc<str>,
        header: &[String],
        rows: &[Row],
        mut cells: Cells,
    ) -> ObservationColumns {
        let n_rows = self.rows.len();
        let mut col_rank = vec![u32::MAX; header.len()];
        for (rank, &j) in self.columns.iter().enumerate() {
            col_rank[j] = rank as u32;
        }
        // The cells moved into a grid of the stations (in name order) by the rows in file
        // order, NaN where a station has no value (a read value is always finite). Read down a
        // station's rows in key order, the grid is then a few kilobytes read in place; reading
        // the cells themselves in that order missed the cache at nearly every value (a third
        // of reading a national file). Writing row by row touches a cache line per station,
        // which the next seven rows fill further.
        let mut value = vec![f64::NAN; self.columns.len() * n_rows];
        let mut flag = vec![Flag::Ok; value.len()];
        let mut reason: std::collections::HashMap<usize, String> = Default::default();
        for (r, row) in rows.iter().enumerate() {
            for k in row.cells.clone() {
                let at = col_rank[cells.column[k] as usize] as usize * n_rows + r;
                value[at] = cells.value[k];
                flag[at] = cells.flag[k];
                if cells.flag[k] != Flag::Ok
                    && let Some(why) = cells.reason.remove(&(k as u32))
                {
                    reason.insert(at, why);
                }
            }
        }
        let n = cells.column.len();
        let mut out = ObservationColumns {
            sources: vec![source],
            stations: self
                .columns
                .iter()
                .map(|&j| Arc::from(header[j].as_str()))
                .collect(),
            source_file: file,
            source: vec![0; n],
            station: Vec::with_capacity(n),
            variable: Vec::with_capacity(n),
            averaging: Vec::with_capacity(n),
            time_end: Vec::with_capacity(n),
            value: Vec::with_capacity(n),
            unit: Vec::with_capacity(n),
            flag: Vec::with_capacity(n),
            flag_reason: Vec::new(),
            no_value: Vec::new(),
            source_line: Vec::with_capacity(n),
        };
        // A station's values and flags are taken down its column of the grid, with the rows
        // they are on; the columns that are the row's (time, variable, line) are then copied
        // from small per-row tables for all of the station's rows at once.
        let units: Vec<lantian_model::Unit> = rows.iter().map(|r| r.variable.unit()).collect();
        let mut on: Vec<u32> = Vec::with_capacity(n_rows);
        let blocks = self
            .rows
            .chunk_by(|a, b| rows[*a].averaging == rows[*b].averaging);
        for block in blocks {
            for c in 0..self.columns.len() {
                let base = c * n_rows;
                on.clear();
                for &r in block {
                    let v = value[base + r];
                    if v.is_nan() {
                        continue;
                    }
                    let f = flag[base + r];
                    if f != Flag::Ok
                        && let Some(why) = reason.remove(&(base + r))
                    {
                        out.flag_reason.push((out.value.len() as u32, why));
                    }
                    on.push(r as u32);
                    out.value.push(v);
                    out.flag.push(f);
                }
                let end = out.station.len() + on.len();
                out.station.resize(end, c as u32);
                let of = |r: &u32| &rows[*r as usize];
                out.variable.extend(on.iter().map(|r| of(r).variable));
                out.averaging.extend(on.iter().map(|r| of(r).averaging));
                out.time_end.extend(on.iter().map(|r| of(r).time_end));
                out.unit.extend(on.iter().map(|r| units[*r as usize]));
                out.source_line.extend(on.iter().map(|r| of(r).line));
            }
        }
        out
    }
}

/// The number of lines of `text`.
fn bytecount_lines(text: &str) -> usize {
    // A line of a national file is thousands of bytes: a search for each newline skips the
    // rest 32 bytes at a time, where testing every byte cost a tenth of the file's reading.
    memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1
}

fn count_values(rec: &[&str]) -> usize {
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

    /// Read `text` both ways: the plain split and the csv crate.
    fn both_ways(text: &str) -> [(ObservationColumns, String); 2] {
        [true, false].map(|split| {
            let mut report = FileReport::new("f.csv", 0, String::new(), Format::Cnemc);
            let c = read_grid("f.csv", text, Format::Cnemc, &mut report, split);
            (
                c,
                format!(
                    "{:?} {:?} {:?}",
                    report.rows, report.stations, report.diagnostics
                ),
            )
        })
    }

    #[test]
    fn the_plain_split_reads_as_the_csv_crate_reads() {
        // Blank lines (also before the header), carriage returns, ragged rows, blanks around
        // numbers, bad and flagged values, a row of empty fields, an unnamed column.
        for text in [
            "date,hour,type,1001A,1002A\n20230101,0,PM2.5,12,\n20230101,1,PM2.5,,7\n",
            "\ndate,hour,type,1001A,1002A\r\n\r\n20230101,0,PM2.5,12,3\r\n20230101,1,PM2.5,-999, 8 \r\n",
            "date,hour,type,1001A,,1003A\n20230101,0,CO,0.6,1.1,99999\n20230101,0,XX,1,2,3\n,,,,\n20230101,1,CO,abc,NA,1e1,9\n20230101,2,CO,1\n2023010,3,CO,5,5,5",
            "date,hour,type,1001A\n20230101,2,AQI,50\n20230101,1,AQI,40\n20230101,1,AQI,41\n",
        ] {
            let [plain, csv] = both_ways(text);
            assert_eq!(plain, csv, "{text:?}");
        }
    }

    /// Lines are numbered as an editor numbers them, whatever the line ends, on both ways of
    /// reading (a quoted station name sends the second file to the csv crate).
    #[test]
    fn values_keep_the_line_an_editor_shows() {
        for text in [
            "date,hour,type,A\r\n\r\n20230101,1,PM2.5,5\r\n20230101,2,PM2.5,-1\r\n",
            "date,hour,type,\"A\"\r\n\r\n20230101,1,PM2.5,5\r\n20230101,2,PM2.5,-1\r\n",
            "date,hour,type,A\n\n20230101,1,PM2.5,5\n20230101,2,PM2.5,-1",
        ] {
            let mut report = FileReport::new("f.csv", 0, String::new(), Format::Cnemc);
            let c = read("f.csv", text, Format::Cnemc, &mut report);
            assert_eq!(c.source_line, vec![3, 4], "{text:?}");
            assert_eq!(report.diagnostics.len(), 1, "{text:?}");
            assert_eq!(report.diagnostics[0].line, Some(4), "{text:?}");
        }
    }

    proptest::proptest! {
        /// Any grid of these cells and line ends reads the same both ways.
        #[test]
        fn the_plain_split_agrees_on_any_grid(
            cells in proptest::collection::vec(
                proptest::sample::select(vec!["", "12", "0.6", " 7", "8 ", "-999", "99999", "NA", "x", "1.", "\r"]),
                0..60),
            width in 1usize..6,
            crlf in proptest::prelude::any::<bool>(),
            blank_every in 2usize..9,
        ) {
            let end = if crlf { "\r\n" } else { "\n" };
            let mut text = String::from("date,hour,type,A,B,C");
            text.push_str(end);
            for (r, row) in cells.chunks(width).enumerate() {
                if r % blank_every == 1 {
                    text.push_str(end);
                }
                text.push_str(&format!("20230101,{},PM10,{}", r % 24, row.join(",")));
                text.push_str(end);
            }
            let [plain, csv] = both_ways(&text);
            proptest::prop_assert_eq!(plain, csv, "{:?}", text);
        }
    }

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

    /// A grid whose rows are all distinct takes the fast path (rows and columns sorted, no
    /// value sorted); the same grid with a repeated row takes the general one (values sorted
    /// by key, the repeat dropped and reported). Both must store the same values in the same
    /// order, with the same flags and reasons.
    #[test]
    fn the_grid_path_and_the_general_path_agree() {
        let rows = "20230101,0,AQI,55,,70\n\
                    20230101,0,PM2.5,39,12,-1\n\
                    20230101,0,PM2.5_24h,41,,50\n\
                    20230101,0,O3_8h,,80,90\n\
                    20230101,1,AQI,60,30,\n\
                    20230101,1,PM2.5,44,5500,52\n\
                    20230101,1,O3_8h,70,,95\n\
                    20230101,2,PM2.5,47,13,x\n";
        // Station columns out of name order, so the grid path has to sort them.
        let header = "date,hour,type,1003A,1001A,1002A\n";
        let clean = format!("{header}{rows}");
        let repeated = format!("{header}{rows}20230101,1,AQI,60,30,\n");
        let fast = crate::read_bytes_columns("china_sites_20230101.csv", clean.as_bytes());
        let general = crate::read_bytes_columns("china_sites_20230101.csv", repeated.as_bytes());
        assert_eq!(
            general.report.count(DiagnosticKind::DuplicateHour),
            2,
            "the repeated row's two values"
        );
        assert_eq!(fast.report.count(DiagnosticKind::DuplicateHour), 0);
        // 2 + 3 + 2 + 2 + 2 + 3 + 2 + 2 values (`x` is not a number); the repeat adds none.
        assert_eq!(fast.columns.len(), 18);
        let a = fast.columns.into_observations();
        let b = general.columns.into_observations();
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(
                (&x.station, x.variable, x.averaging, x.time_end, x.value),
                (&y.station, y.variable, y.averaging, y.time_end, y.value)
            );
            assert_eq!(
                (x.flag, &x.flag_reason, x.source_line),
                (y.flag, &y.flag_reason, y.source_line)
            );
        }
        // Sorted by (averaging, station, variable, time): the store keeps an averaging
        // window's rows together.
        assert!(a.windows(2).all(|w| {
            (w[0].averaging, &w[0].station, w[0].variable, w[0].time_end)
                < (w[1].averaging, &w[1].station, w[1].variable, w[1].time_end)
        }));
        assert_eq!(&*a[0].station, "1001A");
        assert_eq!(a[0].averaging, lantian_model::Averaging::Hour1);
        assert_eq!(a[17].averaging, lantian_model::Averaging::Moving24h);
        // The flagged values keep their reasons: -1 is bad, 5500 doubtful.
        let neg = a.iter().find(|o| o.value == Some(-1.0)).unwrap();
        assert_eq!(
            (neg.flag, &*neg.station, neg.source_line),
            (Flag::Bad, "1002A", 3)
        );
        assert!(neg.flag_reason.as_deref().unwrap().starts_with("negative"));
        let high = a.iter().find(|o| o.value == Some(5500.0)).unwrap();
        assert_eq!(high.flag, Flag::Doubtful);
        assert!(high.flag_reason.is_some());
        assert_eq!(a.iter().filter(|o| o.flag_reason.is_some()).count(), 2);
    }

    /// A type whose hours go backwards down the file is reported, as by the general check.
    #[test]
    fn hours_going_backwards_take_the_general_path() {
        let csv = "date,hour,type,1001A\n20230101,2,PM2.5,5\n20230101,1,PM2.5,6\n";
        let out = crate::read_bytes_columns("china_sites_20230101.csv", csv.as_bytes());
        assert_eq!(out.report.count(DiagnosticKind::OutOfOrder), 1);
        assert_eq!(out.columns.value, vec![6.0, 5.0]);
        assert!(out.columns.no_value.is_empty());
        assert_eq!(out.columns.source_line, vec![3, 2]);
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
