//! The plan's reported progress and indicator values, kept as append-only logs in the tables
//! `campaign_updates` and `indicator_values`.
//!
//! The plan itself (measures, milestones, indicators) is a reviewed file, versioned with the
//! documents it comes from; what happens to it over time is recorded here. The rules an update
//! or value must pass (a known measure and milestone, a share of 0–100 %, no report before the
//! measure's start, evidence and reporter given) are [`lantian_campaigns`]'s and are checked by
//! the caller against the plan; the store persists in a way that keeps the history whole:
//!
//! - **one writer**: a batch is written under the store's single-writer lock (the one an ingest
//!   takes), as **one Delta commit**: a process killed during a write leaves the batch either
//!   wholly recorded or not at all;
//! - **appended only**: rows are never updated or deleted; a wrong report is answered by a later
//!   one, and the share on any date is the latest report on or before it;
//! - **safe to repeat**: a batch holding a row identical to one already stored (every field but
//!   the time of recording) is refused whole, naming the row, so re-running a batch that was in
//!   fact committed records nothing twice.

use crate::{Result, Store, StoreError, delta_err, schema};
use chrono::{DateTime, NaiveDate, Utc};
use deltalake::arrow::array::{
    ArrayRef, AsArray, Date32Array, Float64Array, Int64Array, RecordBatch, StringArray,
    TimestampMicrosecondArray,
};
use deltalake::arrow::compute::cast;
use deltalake::arrow::datatypes::{DataType, Date32Type};
use deltalake::datafusion::prelude::SessionContext;
use lantian_campaigns::indicator::{Source, Value};
use lantian_campaigns::measure::Update;
use std::sync::Arc;

/// A stored row of a log: what was recorded, when, and its place in the log.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded<T> {
    pub row: T,
    /// When the batch holding it was committed.
    pub recorded_at: DateTime<Utc>,
    /// Its position in the log, from 0 (the order of recording: of two reports of one day, the
    /// later counts).
    pub seq: i64,
}

impl Store {
    /// Every progress update, in the order recorded.
    pub async fn campaign_updates(&self) -> Result<Vec<Recorded<Update>>> {
        let name = schema::CAMPAIGN_UPDATES;
        let batches = self
            .scan_log(
                name,
                "SELECT seq, measure, milestone, date, percent, evidence, reported_by, recorded_at \
                 FROM campaign_updates ORDER BY seq",
            )
            .await?;
        let mut out = Vec::new();
        for b in &batches {
            let (seq, at) = (crate::col::i64s(b, 0), crate::col::micros(b, 7));
            let (measure, milestone) = (crate::col::strings(b, 1), crate::col::strings(b, 2));
            let dates = dates(b, 3)?;
            let percent = crate::col::f64s(b, 4);
            let (evidence, by) = (crate::col::strings(b, 5), crate::col::strings(b, 6));
            for i in 0..b.num_rows() {
                let bad = |what: &str| bad_row(name, seq.value(i), what);
                out.push(Recorded {
                    row: Update {
                        measure: measure.value(i).to_string(),
                        milestone: milestone.value(i).to_string(),
                        date: dates.value_as_date(i).ok_or_else(|| bad("no date"))?,
                        percent: percent.value(i),
                        evidence: evidence.value(i).to_string(),
                        by: by.value(i).to_string(),
                    },
                    recorded_at: DateTime::from_timestamp_micros(at.value(i))
                        .ok_or_else(|| bad("recorded_at out of range"))?,
                    seq: seq.value(i),
                });
            }
        }
        Ok(out)
    }

    /// Append progress updates in one commit (checked by the caller against the plan; refused
    /// whole if one is already stored). Takes the store's single-writer lock like an ingest.
    pub async fn record_campaign_updates(&self, updates: &[Update]) -> Result<usize> {
        self.record_log(
            schema::CAMPAIGN_UPDATES,
            updates,
            self.campaign_updates(),
            |u| {
                format!(
                    "measure {}, milestone {}, {}: {} % ({})",
                    u.measure, u.milestone, u.date, u.percent, u.evidence
                )
            },
            update_batch,
        )
        .await
    }

    /// Every indicator value, in the order recorded.
    pub async fn indicator_values(&self) -> Result<Vec<Recorded<Value>>> {
        let name = schema::INDICATOR_VALUES;
        let batches = self
            .scan_log(
                name,
                "SELECT seq, indicator, date, value, source, by_or_engine, evidence_or_query, \
                 recorded_at FROM indicator_values ORDER BY seq",
            )
            .await?;
        let mut out = Vec::new();
        for b in &batches {
            let (seq, at) = (crate::col::i64s(b, 0), crate::col::micros(b, 7));
            let indicator = crate::col::strings(b, 1);
            let dates = dates(b, 2)?;
            let value = crate::col::f64s(b, 3);
            let (kind, who, what) = (
                crate::col::strings(b, 4),
                crate::col::strings(b, 5),
                crate::col::strings(b, 6),
            );
            for i in 0..b.num_rows() {
                let bad = |what: &str| bad_row(name, seq.value(i), what);
                let (who, what) = (who.value(i).to_string(), what.value(i).to_string());
                let source = match kind.value(i) {
                    "entered" => Source::Entered {
                        by: who,
                        evidence: what,
                    },
                    "computed" => Source::Computed {
                        engine: who,
                        query: what,
                    },
                    other => return Err(bad(&format!("unknown source {other:?}"))),
                };
                out.push(Recorded {
                    row: Value {
                        indicator: indicator.value(i).to_string(),
                        date: dates.value_as_date(i).ok_or_else(|| bad("no date"))?,
                        value: value.value(i),
                        source,
                    },
                    recorded_at: DateTime::from_timestamp_micros(at.value(i))
                        .ok_or_else(|| bad("recorded_at out of range"))?,
                    seq: seq.value(i),
                });
            }
        }
        Ok(out)
    }

    /// Append indicator values in one commit (checked by the caller against the registry;
    /// refused whole if one is already stored). Takes the store's single-writer lock.
    pub async fn record_indicator_values(&self, values: &[Value]) -> Result<usize> {
        self.record_log(
            schema::INDICATOR_VALUES,
            values,
            self.indicator_values(),
            |v| format!("indicator {}, {}: {}", v.indicator, v.date, v.value),
            value_batch,
        )
        .await
    }

    /// Append `rows` to the log `name` in one commit under the writer's lock, refusing the
    /// batch if a row equal to one of them is stored already.
    async fn record_log<T: PartialEq>(
        &self,
        name: &'static str,
        rows: &[T],
        stored: impl Future<Output = Result<Vec<Recorded<T>>>>,
        describe: impl Fn(&T) -> String,
        batch: fn(&[T], i64, DateTime<Utc>) -> Result<RecordBatch>,
    ) -> Result<usize> {
        let write = async {
            if rows.is_empty() {
                return Ok(0);
            }
            let _lock = crate::ingest::lock(self)?;
            let stored = stored.await?;
            if let Some(r) = stored.iter().find(|r| rows.contains(&r.row)) {
                return Err(StoreError::Input(format!(
                    "{} is recorded already (seq {}, {}); nothing of this batch was written",
                    describe(&r.row),
                    r.seq,
                    r.recorded_at.format("%Y-%m-%d %H:%M:%S UTC")
                )));
            }
            let first_seq = stored.last().map_or(0, |r| r.seq + 1);
            self.append(name, batch(rows, first_seq, Utc::now())?, None)
                .await?;
            Ok(rows.len())
        };
        write.await.map_err(|e: StoreError| e.on_write(self.root()))
    }

    /// The rows of one log table by `sql` (none when the table does not exist yet). A session
    /// of this one table: the log is read before every write, and loading the other tables
    /// (the observations' above all) would cost more than the read itself.
    pub(crate) async fn scan_log(&self, name: &'static str, sql: &str) -> Result<Vec<RecordBatch>> {
        let Some(table) = self.table(name).await? else {
            return Ok(Vec::new());
        };
        let ctx = SessionContext::new();
        table
            .update_datafusion_session(&ctx.state())
            .map_err(|e| delta_err(name, e))?;
        ctx.register_table(name, table.table_provider().await?)?;
        Ok(ctx.sql(sql).await?.collect().await?)
    }
}

fn bad_row(name: &str, seq: i64, what: &str) -> StoreError {
    StoreError::Query(format!("table {name}: row seq {seq}: {what}"))
}

fn dates(b: &RecordBatch, i: usize) -> Result<deltalake::arrow::array::Date32Array> {
    Ok(cast(b.column(i), &DataType::Date32)?
        .as_primitive::<Date32Type>()
        .clone())
}

fn strings<T>(rows: &[T], f: impl Fn(&T) -> &str) -> ArrayRef {
    Arc::new(StringArray::from_iter_values(rows.iter().map(f)))
}

fn seq_and_time<T>(rows: &[T], first_seq: i64, now: DateTime<Utc>) -> (ArrayRef, ArrayRef) {
    (
        Arc::new(Int64Array::from_iter_values((first_seq..).take(rows.len()))),
        Arc::new(
            TimestampMicrosecondArray::from(vec![now.timestamp_micros(); rows.len()])
                .with_timezone("UTC"),
        ),
    )
}

fn date_column<T>(rows: &[T], f: impl Fn(&T) -> NaiveDate) -> ArrayRef {
    Arc::new(Date32Array::from_iter_values(
        rows.iter().map(|r| Date32Type::from_naive_date(f(r))),
    ))
}

fn update_batch(rows: &[Update], first_seq: i64, now: DateTime<Utc>) -> Result<RecordBatch> {
    let (seq, at) = seq_and_time(rows, first_seq, now);
    let cols: Vec<ArrayRef> = vec![
        seq,
        strings(rows, |u| &u.measure),
        strings(rows, |u| &u.milestone),
        date_column(rows, |u| u.date),
        Arc::new(Float64Array::from_iter_values(
            rows.iter().map(|u| u.percent),
        )),
        strings(rows, |u| &u.evidence),
        strings(rows, |u| &u.by),
        at,
    ];
    Ok(RecordBatch::try_new(schema::campaign_updates(), cols)?)
}

/// A value's source as its three columns.
fn source_parts(v: &Value) -> (&'static str, &str, &str) {
    match &v.source {
        Source::Entered { by, evidence } => ("entered", by, evidence),
        Source::Computed { engine, query } => ("computed", engine, query),
    }
}

fn value_batch(rows: &[Value], first_seq: i64, now: DateTime<Utc>) -> Result<RecordBatch> {
    let (seq, at) = seq_and_time(rows, first_seq, now);
    let cols: Vec<ArrayRef> = vec![
        seq,
        strings(rows, |v| &v.indicator),
        date_column(rows, |v| v.date),
        Arc::new(Float64Array::from_iter_values(rows.iter().map(|v| v.value))),
        strings(rows, |v| source_parts(v).0),
        strings(rows, |v| source_parts(v).1),
        strings(rows, |v| source_parts(v).2),
        at,
    ];
    Ok(RecordBatch::try_new(schema::indicator_values(), cols)?)
}
