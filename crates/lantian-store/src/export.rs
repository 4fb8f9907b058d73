//! Derived tables written as Parquet files outside the store (results of a run, not data).

use crate::{Result, StoreError};
use deltalake::arrow::array::{
    ArrayRef, DictionaryArray, Int16Array, Int32Array, RecordBatch, StringArray,
    TimestampMicrosecondArray,
};
use deltalake::arrow::datatypes::{DataType, Field, Int32Type, Schema, TimeUnit};
use std::path::Path;
use std::sync::Arc;

const HOUR_MICROS: i64 = 3_600_000_000;

/// Write the hourly AQI matrix `aqi[station * hours + h]` (`na`: no AQI published) as
/// Parquet rows `(station, time_end, aqi)`, one per station-hour with an AQI, station by station
/// in time order. Returns the number of rows.
pub fn write_hourly_aqi(
    path: &Path,
    stations: &[String],
    first_micros: i64,
    hours: usize,
    aqi: &[i16],
    na: i16,
) -> Result<u64> {
    assert_eq!(aqi.len(), stations.len() * hours);
    let schema = Arc::new(Schema::new(vec![
        Field::new(
            "station",
            DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
            false,
        ),
        Field::new(
            "time_end",
            DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            false,
        ),
        Field::new("aqi", DataType::Int16, false),
    ]));
    let io = |e: std::io::Error| StoreError::Io {
        path: path.display().to_string(),
        source: e,
    };
    let file = std::fs::File::create(path).map_err(io)?;
    let mut w = deltalake::parquet::arrow::ArrowWriter::try_new(file, schema.clone(), None)
        .map_err(|e| StoreError::Query(format!("{}: {e}", path.display())))?;
    let names: ArrayRef = Arc::new(StringArray::from_iter_values(stations.iter()));
    let mut rows = 0u64;
    // A batch per 64 stations (about 560,000 rows for a year).
    for lo in (0..stations.len()).step_by(64) {
        let hi = (lo + 64).min(stations.len());
        let (mut keys, mut times, mut values) = (Vec::new(), Vec::new(), Vec::new());
        for s in lo..hi {
            for (h, &v) in aqi[s * hours..(s + 1) * hours].iter().enumerate() {
                if v != na {
                    keys.push(s as i32);
                    times.push(first_micros + h as i64 * HOUR_MICROS);
                    values.push(v);
                }
            }
        }
        rows += keys.len() as u64;
        let station = DictionaryArray::<Int32Type>::try_new(Int32Array::from(keys), names.clone())
            .map_err(|e| StoreError::Query(e.to_string()))?;
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(station),
                Arc::new(TimestampMicrosecondArray::from(times).with_timezone("UTC")),
                Arc::new(Int16Array::from(values)),
            ],
        )
        .map_err(|e| StoreError::Query(e.to_string()))?;
        w.write(&batch)
            .map_err(|e| StoreError::Query(format!("{}: {e}", path.display())))?;
    }
    w.close()
        .map_err(|e| StoreError::Query(format!("{}: {e}", path.display())))?;
    Ok(rows)
}
