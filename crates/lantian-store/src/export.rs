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
    // No column is dictionary-encoded: the writer would hash every one of a network-year's
    // 15 million station names, hours and indices to find what it already has (an eighth of
    // a national AQI run, on one core after the others are done). A station's rows are a run
    // of one name, which LZ4 codes as one match; hours step by one and indices change little
    // from hour to hour, which the delta encoding codes in a few bits each.
    let props = {
        use deltalake::parquet::basic::{Compression, Encoding};
        use deltalake::parquet::schema::types::ColumnPath;
        deltalake::parquet::file::properties::WriterProperties::builder()
            .set_dictionary_enabled(false)
            .set_compression(Compression::LZ4_RAW)
            .set_column_encoding(ColumnPath::from("time_end"), Encoding::DELTA_BINARY_PACKED)
            .set_column_encoding(ColumnPath::from("aqi"), Encoding::DELTA_BINARY_PACKED)
            .build()
    };
    let mut w = deltalake::parquet::arrow::ArrowWriter::try_new(file, schema.clone(), Some(props))
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

#[cfg(test)]
mod tests {
    use super::*;
    use deltalake::arrow::array::{Array, AsArray};
    use deltalake::arrow::datatypes::{Int16Type, TimestampMicrosecondType};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    /// Rows station by station in time order, the hours without an AQI left out, and no
    /// column dictionary-encoded.
    #[test]
    fn the_hourly_aqi_reads_back_row_for_row() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("aqi.parquet");
        let na = -1;
        let stations = ["1001A".to_string(), "1002A".to_string()];
        let t0 = 1_672_531_200_000_000;
        let rows =
            write_hourly_aqi(&path, &stations, t0, 3, &[50, na, 52, na, na, 300], na).unwrap();
        assert_eq!(rows, 3);
        let file = std::fs::File::open(&path).unwrap();
        let b = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
        for c in b.metadata().row_group(0).columns() {
            assert!(
                c.encodings()
                    .all(|e| !format!("{e:?}").contains("DICTIONARY")),
                "{}",
                c.column_path()
            );
        }
        let batches: Vec<RecordBatch> = b.build().unwrap().map(|r| r.unwrap()).collect();
        let all =
            deltalake::arrow::compute::concat_batches(&batches[0].schema(), &batches).unwrap();
        let station = all.column(0).as_dictionary::<Int32Type>();
        let names = station.values().as_string::<i32>();
        let station: Vec<&str> = station
            .keys()
            .iter()
            .map(|k| names.value(k.unwrap() as usize))
            .collect();
        assert_eq!(station, ["1001A", "1001A", "1002A"]);
        let hour = 3_600_000_000;
        let time = all.column(1).as_primitive::<TimestampMicrosecondType>();
        assert_eq!(time.values().as_ref(), [t0, t0 + 2 * hour, t0 + 2 * hour]);
        let aqi = all.column(2).as_primitive::<Int16Type>();
        assert_eq!(aqi.values().as_ref(), [50, 52, 300]);
        assert_eq!(aqi.null_count(), 0);
    }
}
