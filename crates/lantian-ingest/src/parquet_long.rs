//! Parquet input with the columns of the long format (see [`crate::long`]): `station`, `time`
//! (or `time_end`, as `lantian export --format parquet` writes it),
//! `pollutant` (or `variable`), `value`, and optionally `unit`, `averaging`, `source`. Any
//! column type that casts to text (times) or to a float (values) is accepted; a timestamp
//! without a time zone is Beijing local time, hour-ending. Row numbers (1-based) take the place
//! of line numbers in messages.

use crate::diagnostic::{DiagnosticKind, FileReport};
use crate::long::{Conversions, LongRow, finish, push_row};
use crate::parse::Field;
use arrow::array::{Array, AsArray};
use arrow::datatypes::{DataType, Float64Type};
use lantian_model::Observation;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::collections::BTreeSet;

pub(crate) fn read(name: &str, bytes: &[u8], report: &mut FileReport) -> Vec<Observation> {
    let data = bytes::Bytes::copy_from_slice(bytes);
    let reader = match ParquetRecordBatchReaderBuilder::try_new(data).and_then(|b| b.build()) {
        Ok(r) => r,
        Err(e) => {
            report.push(
                DiagnosticKind::RaggedRow,
                None,
                None,
                format!("cannot open Parquet: {e}"),
            );
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    let mut stations = BTreeSet::new();
    let mut converted = Conversions::default();
    let mut row0 = 0u64;
    for batch in reader {
        let batch = match batch {
            Ok(b) => b,
            Err(e) => {
                report.push(
                    DiagnosticKind::RaggedRow,
                    Some(row0 + 1),
                    None,
                    format!("unreadable Parquet batch: {e}"),
                );
                break;
            }
        };
        let text = |n: &str| -> Option<arrow::array::StringArray> {
            let c = batch.column_by_name(n)?;
            let c = arrow::compute::cast(c, &DataType::Utf8).ok()?;
            Some(c.as_string::<i32>().clone())
        };
        let (Some(st), Some(tm), Some(vr)) = (
            text("station"),
            text("time").or_else(|| text("time_end")),
            text("pollutant").or_else(|| text("variable")),
        ) else {
            report.push(
                DiagnosticKind::BadUnit,
                None,
                None,
                "Parquet file lacks one of the columns station, time, pollutant/variable".into(),
            );
            return Vec::new();
        };
        let Some(val) = batch
            .column_by_name("value")
            .and_then(|c| arrow::compute::cast(c, &DataType::Float64).ok())
        else {
            report.push(
                DiagnosticKind::BadUnit,
                None,
                None,
                "Parquet file lacks a numeric `value` column".into(),
            );
            return Vec::new();
        };
        let val = val.as_primitive::<Float64Type>().clone();
        let variable_field = if batch.column_by_name("pollutant").is_some() {
            "pollutant"
        } else {
            "variable"
        };
        let (un, av, so) = (text("unit"), text("averaging"), text("source"));
        for i in 0..batch.num_rows() {
            report.rows += 1;
            let value = if val.is_valid(i) {
                let v = val.value(i);
                if v.is_finite() {
                    Field::Number(v)
                } else {
                    Field::Bad
                }
            } else {
                Field::Missing
            };
            let row = LongRow {
                line: row0 + i as u64 + 1,
                station: if st.is_valid(i) { st.value(i) } else { "" },
                time: if tm.is_valid(i) { tm.value(i) } else { "" },
                variable: if vr.is_valid(i) { vr.value(i) } else { "" },
                variable_field,
                value,
                value_text: "",
                unit: opt_str(&un, i),
                averaging: opt_str(&av, i),
                source: opt_str(&so, i),
            };
            push_row(name, row, &mut out, report, &mut stations, &mut converted);
        }
        row0 += batch.num_rows() as u64;
    }
    finish(report, stations, converted);
    out
}

fn opt_str(a: &Option<arrow::array::StringArray>, i: usize) -> Option<&str> {
    a.as_ref().filter(|a| a.is_valid(i)).map(|a| a.value(i))
}
