//! Quality-flag history (saqc's model): opinions about a value are appended, never replace it.
//!
//! The first entry of a value's history is the flag the reader gave it at ingest (stored on
//! the observation row itself). Later tests or analysts append [`FlagRecord`]s to the `flags`
//! table; the flag in force is the latest entry. Nothing here ever changes or removes a value.

use crate::{Result, Store, StoreError, schema};
use chrono::{DateTime, Utc};
use deltalake::arrow::array::{
    ArrayRef, Int32Array, RecordBatch, StringArray, TimestampMicrosecondArray,
};
use lantian_model::{Averaging, Flag, FlagEntry, FlagHistory, Variable};
use std::sync::Arc;

/// The key of one value revision.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueKey {
    pub source: String,
    pub station: String,
    pub variable: Variable,
    pub averaging: Averaging,
    pub time_end: DateTime<Utc>,
    pub revision: i32,
}

impl ValueKey {
    fn predicate(&self) -> String {
        let q = |s: &str| s.replace('\'', "''");
        format!(
            "source = '{}' AND station = '{}' AND variable = '{}' AND averaging = '{}' \
             AND time_end = to_timestamp_micros({}) AND revision = {}",
            q(&self.source),
            q(&self.station),
            self.variable.code(),
            self.averaging.code(),
            self.time_end.timestamp_micros(),
            self.revision
        )
    }
}

/// One appended opinion.
#[derive(Debug, Clone)]
pub struct FlagRecord {
    pub key: ValueKey,
    pub entry: FlagEntry,
}

impl Store {
    /// Append flags (one commit). The values they refer to must exist.
    pub async fn append_flags(&self, records: &[FlagRecord]) -> Result<()> {
        for r in records {
            if self.flag_history(&r.key).await?.entries().is_empty() {
                return Err(StoreError::Input(format!(
                    "no stored value for {:?}",
                    r.key
                )));
            }
        }
        let now = Utc::now().timestamp_micros();
        let s = |f: &dyn Fn(&FlagRecord) -> String| -> ArrayRef {
            Arc::new(StringArray::from(records.iter().map(f).collect::<Vec<_>>()))
        };
        let cols: Vec<ArrayRef> = vec![
            s(&|r| r.key.source.clone()),
            s(&|r| r.key.station.clone()),
            s(&|r| r.key.variable.code().to_string()),
            s(&|r| r.key.averaging.code().to_string()),
            Arc::new(
                TimestampMicrosecondArray::from(
                    records
                        .iter()
                        .map(|r| r.key.time_end.timestamp_micros())
                        .collect::<Vec<_>>(),
                )
                .with_timezone("UTC"),
            ),
            Arc::new(Int32Array::from(
                records.iter().map(|r| r.key.revision).collect::<Vec<_>>(),
            )),
            s(&|r| r.entry.flag.code().to_string()),
            s(&|r| r.entry.test.clone()),
            Arc::new(StringArray::from(
                records
                    .iter()
                    .map(|r| Some(r.entry.reason.clone()).filter(|x| !x.is_empty()))
                    .collect::<Vec<_>>(),
            )),
            Arc::new(
                TimestampMicrosecondArray::from(vec![now; records.len()]).with_timezone("UTC"),
            ),
        ];
        let rb = RecordBatch::try_new(schema::flags(), cols)?;
        self.append(schema::FLAGS, rb, None).await
    }

    /// The whole flag history of a value revision, oldest first (empty if no such value).
    pub async fn flag_history(&self, key: &ValueKey) -> Result<FlagHistory> {
        let ctx = self.session().await?;
        let p = key.predicate();
        let mut h = FlagHistory::new();
        let first = ctx
            .sql(&format!(
                "SELECT flag, flag_reason FROM observations WHERE {p}"
            ))
            .await?
            .collect()
            .await?;
        for b in &first {
            let (f, r) = (crate::col::strings(b, 0), crate::col::strings(b, 1));
            for i in 0..b.num_rows() {
                h.push(FlagEntry {
                    flag: f.value(i).parse::<Flag>().map_err(StoreError::Input)?,
                    test: "ingest".into(),
                    reason: r.value(i).to_string(),
                });
            }
        }
        let later = ctx
            .sql(&format!(
                "SELECT flag, test, reason FROM flags WHERE {p} ORDER BY flagged_at"
            ))
            .await?
            .collect()
            .await?;
        for b in &later {
            let (f, t, r) = (
                crate::col::strings(b, 0),
                crate::col::strings(b, 1),
                crate::col::strings(b, 2),
            );
            for i in 0..b.num_rows() {
                h.push(FlagEntry {
                    flag: f.value(i).parse::<Flag>().map_err(StoreError::Input)?,
                    test: t.value(i).to_string(),
                    reason: r.value(i).to_string(),
                });
            }
        }
        Ok(h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lantian_model::Pollutant;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn flags_append_and_never_touch_the_value() {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("beijing_all_20230101.csv");
        std::fs::write(&data, "date,hour,type,东城东四\n20230101,1,PM2.5,-3\n").unwrap();
        let store = Store::open(&tmp.path().join("store")).await.unwrap();
        store
            .ingest(
                &[data],
                &crate::ingest::IngestOptions::default(),
                &mut |_| {},
            )
            .await
            .unwrap();
        let key = ValueKey {
            source: "bjmemc".into(),
            station: "东城东四".into(),
            variable: Variable::Pollutant(Pollutant::Pm2_5),
            averaging: Averaging::Hour1,
            time_end: lantian_model::time::beijing_hour(
                2023,
                1,
                1,
                1,
                lantian_model::time::TimeConvention::HourEnding,
            )
            .unwrap(),
            revision: 0,
        };
        let h = store.flag_history(&key).await.unwrap();
        assert_eq!(
            h.current(),
            Flag::Bad,
            "a negative concentration is flagged bad at ingest"
        );
        let entry = |flag, test: &str| FlagRecord {
            key: key.clone(),
            entry: FlagEntry {
                flag,
                test: test.into(),
                reason: format!("by {test}"),
            },
        };
        store
            .append_flags(&[entry(Flag::Doubtful, "analyst")])
            .await
            .unwrap();
        store
            .append_flags(&[entry(Flag::Ok, "zero-offset-check")])
            .await
            .unwrap();
        let h = store.flag_history(&key).await.unwrap();
        let flags: Vec<Flag> = h.entries().iter().map(|e| e.flag).collect();
        assert_eq!(flags, vec![Flag::Bad, Flag::Doubtful, Flag::Ok]);
        assert_eq!(h.current(), Flag::Ok);
        assert_eq!(h.entries()[2].test, "zero-offset-check");
        // The value itself is untouched.
        let b = store.sql("SELECT value FROM current").await.unwrap();
        assert_eq!(crate::col::f64s(&b[0], 0).value(0), -3.0);
        // Flags for a value that does not exist are refused.
        let mut missing = entry(Flag::Bad, "x");
        missing.key.revision = 7;
        assert!(store.append_flags(&[missing]).await.is_err());
    }
}
