//! The risk-control and restoration list of construction land (建设用地土壤污染风险管控和修复名录),
//! kept as its history of events in the table `soil_list_events`.
//!
//! The rules are [`lantian_soil::list`]'s: which step may follow which, that every change names
//! who made it, why and on what evidence, that a plot's events are in date order. The store only
//! persists, and in a way that keeps the history whole:
//!
//! - **checked against everything stored**: a batch is replayed after the whole stored history
//!   with [`list::check`]; one refused event refuses the batch, and nothing is written. The
//!   refusal is [`StoreError::Input`] with the rule's own message (the plot, the two statuses,
//!   the step allowed).
//! - **one writer**: the check and the write happen under the store's single-writer lock (the
//!   one an ingest takes), so no other writer can slip an event between the history read and
//!   the commit that extends it.
//! - **one commit per batch, appended only**: a Delta commit is atomic, so a process killed
//!   during a write leaves the batch either wholly recorded or not at all. Rows are never
//!   updated or deleted; a mistaken event is answered by later events, as on the published list.
//! - **safe to repeat**: no status may follow itself, so running a batch that was in fact
//!   committed (a kill after the commit, before the caller heard of it) is refused at its first
//!   event of each plot instead of recording it twice.
//!
//! The list on a date and what changed between two dates are the engine's [`list::as_of`] and
//! [`list::changes`] over [`Store::soil_list_events`]; [`Store::soil_list_as_of`] and
//! [`Store::soil_list_changes`] do just that.
//!
//! ```no_run
//! # async fn demo() -> Result<(), lantian_store::StoreError> {
//! use lantian_soil::list::{Event, Status};
//! use lantian_store::Store;
//! let store = Store::open("lantian-store".as_ref()).await?;
//! let listed = Event {
//!     plot: "HN-CS-0001".into(),
//!     date: "2021-03-01".parse().unwrap(),
//!     status_to: Status::Listed,
//!     by: "湖南省生态环境厅".into(),
//!     reason: "土壤污染风险评估报告表明需要实施风险管控".into(),
//!     evidence: vec!["土壤污染状况调查报告".into(), "土壤污染风险评估报告".into()],
//! };
//! store.record_soil_list_events(&[listed]).await?;
//! let list = store.soil_list_as_of("2021-12-31".parse().unwrap()).await?;
//! assert_eq!(list[0].status, Status::Listed);
//! # Ok(()) }
//! ```

use crate::{Result, Store, StoreError, schema};
use chrono::{DateTime, NaiveDate, Utc};
use deltalake::arrow::array::builder::ListBuilder;
use deltalake::arrow::array::{
    ArrayRef, AsArray, Date32Array, Int64Array, ListArray, RecordBatch, StringArray, StringBuilder,
    TimestampMicrosecondArray,
};
use deltalake::arrow::compute::cast;
use deltalake::arrow::datatypes::{DataType, Date32Type, Field};
use lantian_soil::list::{self, Event, Status};
use std::sync::Arc;

/// A stored event of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedEvent {
    pub event: Event,
    /// When the batch holding it was committed.
    pub recorded_at: DateTime<Utc>,
    /// Its position in the history, from 0: the order of recording, which the rules read
    /// (a plot's events of one day keep it).
    pub seq: i64,
}

impl Store {
    /// Every list event, in the order recorded (each with when it was recorded).
    pub async fn soil_list_events(&self) -> Result<Vec<RecordedEvent>> {
        read_events(self).await
    }

    /// Append events in one commit, after checking them against the whole stored history with
    /// lantian_soil::list rules (a refused event refuses the batch; nothing is written). Takes the
    /// store's single-writer lock like an ingest.
    pub async fn record_soil_list_events(&self, events: &[Event]) -> Result<usize> {
        self.record_soil_list_locked(events)
            .await
            .map_err(|e| e.on_write(self.root()))
    }

    async fn record_soil_list_locked(&self, events: &[Event]) -> Result<usize> {
        if events.is_empty() {
            return Ok(0);
        }
        let _lock = crate::ingest::lock(self)?;
        let stored = self.soil_list_events().await?;
        let first_seq = stored.last().map_or(0, |r| r.seq + 1);
        let mut history: Vec<Event> = stored.into_iter().map(|r| r.event).collect();
        // Only this method writes the table and it checks first, so a stored history that
        // breaks the rules was written by something else; it is said so rather than blamed on
        // the new events.
        list::check(&history).map_err(|e| {
            StoreError::Query(format!(
                "table {}: the stored history breaks the list's rules: {e}",
                schema::SOIL_LIST_EVENTS
            ))
        })?;
        history.extend_from_slice(events);
        list::check(&history).map_err(|e| StoreError::Input(e.to_string()))?;
        let rb = event_batch(events, first_seq, Utc::now())?;
        self.append(schema::SOIL_LIST_EVENTS, rb, None).await?;
        Ok(events.len())
    }

    /// The list at the end of `date` ([`list::as_of`] over the stored history).
    pub async fn soil_list_as_of(&self, date: NaiveDate) -> Result<Vec<list::Entry>> {
        let events = self.soil_list_history().await?;
        list::as_of(&events, date).map_err(|e| StoreError::Input(e.to_string()))
    }

    /// What changed after `after` up to `up_to` ([`list::changes`] over the stored history).
    pub async fn soil_list_changes(
        &self,
        after: NaiveDate,
        up_to: NaiveDate,
    ) -> Result<list::Changes> {
        let events = self.soil_list_history().await?;
        list::changes(&events, after, up_to).map_err(|e| StoreError::Input(e.to_string()))
    }

    async fn soil_list_history(&self) -> Result<Vec<Event>> {
        Ok(self
            .soil_list_events()
            .await?
            .into_iter()
            .map(|r| r.event)
            .collect())
    }
}

/// The rows of a batch, `seq` counting on from `first_seq`.
fn event_batch(events: &[Event], first_seq: i64, now: DateTime<Utc>) -> Result<RecordBatch> {
    let s = |f: &dyn Fn(&Event) -> &str| -> ArrayRef {
        Arc::new(StringArray::from_iter_values(events.iter().map(f)))
    };
    let list_field = match schema::soil_list_events()
        .field_with_name("evidence")?
        .data_type()
    {
        DataType::List(item) => item.clone(),
        other => {
            return Err(StoreError::Query(format!(
                "table {}: evidence is {other}, not a list",
                schema::SOIL_LIST_EVENTS
            )));
        }
    };
    let mut evidence = ListBuilder::new(StringBuilder::new()).with_field(list_field);
    for e in events {
        for d in &e.evidence {
            evidence.values().append_value(d);
        }
        evidence.append(true);
    }
    let cols: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from_iter_values(
            (first_seq..).take(events.len()),
        )),
        s(&|e| &e.plot),
        Arc::new(Date32Array::from_iter_values(
            events.iter().map(|e| Date32Type::from_naive_date(e.date)),
        )),
        s(&|e| e.status_to.code()),
        s(&|e| &e.by),
        s(&|e| &e.reason),
        Arc::new(evidence.finish()),
        Arc::new(
            TimestampMicrosecondArray::from(vec![now.timestamp_micros(); events.len()])
                .with_timezone("UTC"),
        ),
    ];
    Ok(RecordBatch::try_new(schema::soil_list_events(), cols)?)
}

/// Every row of the table, in `seq` order.
async fn read_events(store: &Store) -> Result<Vec<RecordedEvent>> {
    let name = schema::SOIL_LIST_EVENTS;
    let batches = store
        .scan_log(
            name,
            &format!(
                "SELECT seq, plot, date, status_to, decided_by, reason, evidence, recorded_at \
                 FROM {name} ORDER BY seq"
            ),
        )
        .await?;
    let mut out = Vec::new();
    for b in &batches {
        let seq = crate::col::i64s(b, 0);
        let plot = crate::col::strings(b, 1);
        let date = cast(b.column(2), &DataType::Date32)?;
        let date = date.as_primitive::<Date32Type>();
        let status = crate::col::strings(b, 3);
        let by = crate::col::strings(b, 4);
        let reason = crate::col::strings(b, 5);
        let evidence = evidence_lists(b.column(6))?;
        let recorded_at = crate::col::micros(b, 7);
        for i in 0..b.num_rows() {
            let bad = |what: &str| {
                StoreError::Query(format!("table {name}: row seq {}: {what}", seq.value(i)))
            };
            let status_to = Status::parse(status.value(i))
                .ok_or_else(|| bad(&format!("unknown status {:?}", status.value(i))))?;
            let docs = evidence.value(i);
            let docs = cast(&docs, &DataType::Utf8)?;
            out.push(RecordedEvent {
                event: Event {
                    plot: plot.value(i).to_string(),
                    date: date.value_as_date(i).ok_or_else(|| bad("no date"))?,
                    status_to,
                    by: by.value(i).to_string(),
                    reason: reason.value(i).to_string(),
                    evidence: docs
                        .as_string::<i32>()
                        .iter()
                        .map(|d| d.unwrap_or_default().to_string())
                        .collect(),
                },
                recorded_at: DateTime::from_timestamp_micros(recorded_at.value(i))
                    .ok_or_else(|| bad("recorded_at out of range"))?,
                seq: seq.value(i),
            });
        }
    }
    Ok(out)
}

/// The evidence column as a list of strings, whatever list type and item name the scan
/// produced (Parquet readers name a list's item `element` or `item`).
fn evidence_lists(column: &ArrayRef) -> Result<ListArray> {
    let t = DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true)));
    Ok(cast(column, &t)?.as_list::<i32>().clone())
}
