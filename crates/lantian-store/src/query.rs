//! Reading the store: the `current` view, read-only SQL, coverage and export.

use crate::{Result, Store, StoreError};
use chrono::{DateTime, Utc};
use deltalake::arrow::array::{Array, AsArray, RecordBatch};
use deltalake::arrow::datatypes::{Float64Type, Int32Type, Int64Type};
use deltalake::datafusion::execution::context::SQLOptions;
use futures::StreamExt;
use lantian_model::time::to_beijing;
use std::io::Write;

/// The latest revision of every value key over a store of the string layout (see
/// [`crate::layout`]; the keyed layout's is [`crate::layout::current_view`]). A row with
/// revision `r` is superseded exactly when a row with the same key and revision `r + 1`
/// exists; revisions are rare, so this is an anti join against a small set and stays a
/// streaming scan.
pub const CURRENT_VIEW: &str = "CREATE VIEW current AS \
    SELECT o.* FROM observations o LEFT ANTI JOIN \
    (SELECT source, station, variable, averaging, time_end, revision - 1 AS superseded \
     FROM observations WHERE revision > 0) r \
    ON o.source = r.source AND o.station = r.station AND o.variable = r.variable \
    AND o.averaging = r.averaging AND o.time_end = r.time_end AND o.revision = r.superseded";

/// Run read-only SQL over the tables `observations`, `current`, `ingest_log`, `flags`,
/// `soil_list_events`, `campaign_updates` and `indicator_values`.
///
/// Only queries run: DDL (`CREATE ...`), DML (`INSERT`, `COPY ... TO`) and statements (`SET`)
/// are refused, and the session has no URL tables or file-reading table functions, so a query
/// can read nothing outside the store.
pub async fn sql(store: &Store, sql: &str) -> Result<Vec<RecordBatch>> {
    let ctx = store.session().await?;
    let opts = SQLOptions::new()
        .with_allow_ddl(false)
        .with_allow_dml(false)
        .with_allow_statements(false);
    let df = ctx
        .sql_with_options(sql, opts)
        .await
        .map_err(|e| StoreError::Query(format!("{e} (lantian sql is read-only)")))?;
    Ok(df.collect().await?)
}

/// A filter shared by coverage and export.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub sources: Vec<String>,
    pub stations: Vec<String>,
    pub variables: Vec<String>,
    /// Averaging windows; empty means all.
    pub averaging: Vec<String>,
    /// Inclusive start (end of the first hour), UTC.
    pub from: Option<DateTime<Utc>>,
    /// Exclusive end, UTC.
    pub to: Option<DateTime<Utc>>,
}

fn quote_list(v: &[String]) -> String {
    v.iter()
        .map(|x| format!("'{}'", x.replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(",")
}

impl Selection {
    /// The SQL `WHERE` clause of the selection (always valid, `TRUE` when empty).
    pub fn where_clause(&self) -> String {
        let mut w = vec!["TRUE".to_string()];
        for (col, v) in [
            ("source", &self.sources),
            ("station", &self.stations),
            ("variable", &self.variables),
            ("averaging", &self.averaging),
        ] {
            if !v.is_empty() {
                w.push(format!("{col} IN ({})", quote_list(v)));
            }
        }
        if let Some(f) = self.from {
            w.push(format!(
                "time_end >= to_timestamp_micros({})",
                f.timestamp_micros()
            ));
        }
        if let Some(t) = self.to {
            w.push(format!(
                "time_end < to_timestamp_micros({})",
                t.timestamp_micros()
            ));
        }
        w.join(" AND ")
    }
}

/// Coverage of one series (source, station, variable, averaging).
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    pub source: String,
    pub station: String,
    pub variable: String,
    pub averaging: String,
    /// Hours from the first to the last stamp (or over the selected period), inclusive.
    pub expected_hours: i64,
    /// Values with a number and a valid flag (`ok` or `doubtful`).
    pub valid_hours: i64,
    /// Values flagged `doubtful`, `bad` or `withdrawn`.
    pub flagged: i64,
    pub first: DateTime<Utc>,
    pub last: DateTime<Utc>,
}

impl Coverage {
    /// valid / expected, the completeness every statistic carries.
    pub fn completeness(&self) -> f64 {
        if self.expected_hours == 0 {
            0.0
        } else {
            self.valid_hours as f64 / self.expected_hours as f64
        }
    }
}

/// Coverage per series of the current values.
pub async fn coverage(store: &Store, sel: &Selection) -> Result<Vec<Coverage>> {
    let q = format!(
        "SELECT source, station, variable, averaging, \
         SUM(CASE WHEN value IS NOT NULL AND flag IN ('ok','doubtful') THEN 1 ELSE 0 END) AS valid, \
         SUM(CASE WHEN flag <> 'ok' THEN 1 ELSE 0 END) AS flagged, \
         MIN(time_end) AS first, MAX(time_end) AS last \
         FROM current WHERE {} GROUP BY source, station, variable, averaging \
         ORDER BY source, station, variable, averaging",
        sel.where_clause()
    );
    let ctx = store.session().await?;
    let batches = ctx.sql(&q).await?.collect().await?;
    let mut out = Vec::new();
    const HOUR: i64 = 3_600_000_000;
    for b in batches {
        use crate::col::{i64s, micros, strings};
        let (src, st, var, avg) = (
            strings(&b, 0),
            strings(&b, 1),
            strings(&b, 2),
            strings(&b, 3),
        );
        let valid = i64s(&b, 4);
        let flagged = i64s(&b, 5);
        let first = micros(&b, 6);
        let last = micros(&b, 7);
        for i in 0..b.num_rows() {
            let (f, l) = (first.value(i), last.value(i));
            let span_from = sel.from.map_or(f, |t| t.timestamp_micros());
            let span_to = sel.to.map_or(l + HOUR, |t| t.timestamp_micros());
            out.push(Coverage {
                source: src.value(i).to_string(),
                station: st.value(i).to_string(),
                variable: var.value(i).to_string(),
                averaging: avg.value(i).to_string(),
                expected_hours: ((span_to - span_from) / HOUR).max(0),
                valid_hours: valid.value(i),
                flagged: flagged.value(i),
                first: DateTime::from_timestamp_micros(f).unwrap_or_default(),
                last: DateTime::from_timestamp_micros(l).unwrap_or_default(),
            });
        }
    }
    Ok(out)
}

/// Export shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One value per row.
    Long,
    /// One row per (source, station, time); one column per variable and averaging.
    Wide,
}

/// Export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Parquet,
}

/// The SQL of an export (current values only; withdrawn values are left out).
pub async fn export_sql(store: &Store, sel: &Selection, shape: Shape) -> Result<String> {
    let w = sel.where_clause();
    Ok(match shape {
        Shape::Long => format!(
            "SELECT source, station, time_end, variable, averaging, value, unit, flag, flag_reason, \
             revision, source_file, source_line FROM current WHERE {w} AND flag <> 'withdrawn' \
             ORDER BY source, station, variable, averaging, time_end"
        ),
        Shape::Wide => {
            // The columns are the series present in the selection.
            let ctx = store.session().await?;
            let cols = ctx
                .sql(&format!(
                    "SELECT DISTINCT variable, averaging FROM current WHERE {w} ORDER BY variable, averaging"
                ))
                .await?
                .collect()
                .await?;
            let mut exprs = Vec::new();
            for b in cols {
                let v = crate::col::strings(&b, 0);
                let a = crate::col::strings(&b, 1);
                for i in 0..b.num_rows() {
                    let (v, a) = (v.value(i), a.value(i));
                    let name = if a == "1h" {
                        v.to_string()
                    } else {
                        format!("{v}_{a}")
                    };
                    exprs.push(format!(
                        "MAX(CASE WHEN variable = '{}' AND averaging = '{}' THEN value END) AS \"{}\"",
                        v.replace('\'', "''"),
                        a.replace('\'', "''"),
                        name.replace('"', "")
                    ));
                }
            }
            if exprs.is_empty() {
                exprs.push("CAST(NULL AS DOUBLE) AS no_data".into());
            }
            format!(
                "SELECT source, station, time_end, {} FROM current WHERE {w} AND flag <> 'withdrawn' \
                 GROUP BY source, station, time_end ORDER BY source, station, time_end",
                exprs.join(", ")
            )
        }
    })
}

/// Export the selection to a writer. CSV shows `time_end` in Beijing time with its offset
/// (`2023-01-01T01:00:00+08:00`, the end of the hour); Parquet keeps the UTC timestamp.
/// Returns the number of rows written.
pub async fn export(
    store: &Store,
    sel: &Selection,
    shape: Shape,
    format: ExportFormat,
    out: &mut (dyn Write + Send),
) -> Result<u64> {
    let q = export_sql(store, sel, shape).await?;
    let ctx = store.session().await?;
    let df = ctx.sql(&q).await?;
    let mut stream = df.execute_stream().await?;
    let mut rows = 0u64;
    match format {
        ExportFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            let mut header_done = false;
            while let Some(b) = stream.next().await {
                let b = normalize(&b?)?;
                if !header_done {
                    let names: Vec<String> = b
                        .schema()
                        .fields()
                        .iter()
                        .map(|f| f.name().clone())
                        .collect();
                    w.write_record(&names).map_err(csv_err)?;
                    header_done = true;
                }
                for i in 0..b.num_rows() {
                    let rec: Vec<String> = (0..b.num_columns()).map(|c| cell(&b, c, i)).collect();
                    w.write_record(&rec).map_err(csv_err)?;
                    rows += 1;
                }
            }
            w.flush().map_err(|e| StoreError::Input(e.to_string()))?;
        }
        ExportFormat::Parquet => {
            let schema = stream.schema();
            let mut w = deltalake::parquet::arrow::ArrowWriter::try_new(out, schema, None)
                .map_err(|e| StoreError::Query(e.to_string()))?;
            while let Some(b) = stream.next().await {
                let b = b?;
                rows += b.num_rows() as u64;
                w.write(&b).map_err(|e| StoreError::Query(e.to_string()))?;
            }
            w.close().map_err(|e| StoreError::Query(e.to_string()))?;
        }
    }
    Ok(rows)
}

fn csv_err(e: csv::Error) -> StoreError {
    StoreError::Input(format!("writing CSV: {e}"))
}

/// Cast string-like columns to `Utf8` and timestamps to µs UTC once per batch, so that
/// [`cell`] reads each value directly (casting per cell would be quadratic).
pub fn normalize(b: &RecordBatch) -> Result<RecordBatch> {
    use deltalake::arrow::datatypes::{DataType as D, Field, Schema, TimeUnit};
    let mut fields = Vec::new();
    let mut cols = Vec::new();
    for (f, c) in b.schema().fields().iter().zip(b.columns()) {
        let t = match c.data_type() {
            D::Utf8View | D::LargeUtf8 | D::Dictionary(_, _) => D::Utf8,
            D::Timestamp(_, _) => D::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            other => other.clone(),
        };
        cols.push(deltalake::arrow::compute::cast(c, &t)?);
        fields.push(Field::new(f.name(), t, true));
    }
    Ok(RecordBatch::try_new(
        std::sync::Arc::new(Schema::new(fields)),
        cols,
    )?)
}

/// One cell as text: timestamps in Beijing time, floats in their shortest exact form.
/// Call on a [`normalize`]d batch when printing many cells.
pub fn cell(b: &RecordBatch, c: usize, i: usize) -> String {
    let col = b.column(c);
    if col.is_null(i) {
        return String::new();
    }
    use deltalake::arrow::datatypes::DataType as D;
    match col.data_type() {
        D::Utf8 => col.as_string::<i32>().value(i).to_string(),
        D::Utf8View | D::Dictionary(_, _) | D::LargeUtf8 => {
            crate::col::strings(b, c).value(i).to_string()
        }
        D::Float64 => col.as_primitive::<Float64Type>().value(i).to_string(),
        D::Int64 => col.as_primitive::<Int64Type>().value(i).to_string(),
        D::Int32 => col.as_primitive::<Int32Type>().value(i).to_string(),
        D::Timestamp(_, _) => {
            let us = crate::col::micros(b, c).value(i);
            DateTime::from_timestamp_micros(us)
                .map(|t| to_beijing(t).to_rfc3339())
                .unwrap_or_default()
        }
        _ => deltalake::arrow::util::display::array_value_to_string(col, i).unwrap_or_default(),
    }
}
