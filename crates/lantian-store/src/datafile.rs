//! A data file of `observation_rows`: its Parquet encoding and its Delta `add` action.
//!
//! deltalake's `RecordBatchWriter` writes through arrow-rs's `ArrowWriter`, which hands every
//! column to its column writer as a list of row indices (`non_null_indices`, eight bytes a
//! value, built even for a column without nulls) and then gathers the values by those indices
//! into a new vector before encoding them: two extra passes over every value of every column,
//! about a tenth of a national ingest's CPU time. The column writers underneath take plain
//! slices when called directly, so a data file is encoded here column by column from the
//! record batch's buffers, with the same file schema, the same embedded Arrow schema, the same
//! writer properties and row groups, and the same statistics in the log as deltalake would
//! write (the test `data_files_are_written_as_deltalake_writes_them` writes one batch both ways
//! and compares them).
//!
//! One thing is added to what deltalake would write: the variable keys of each row group, in
//! the footer's key-value metadata under [`ROW_GROUP_VARIABLES`]. Rows keep each averaging
//! window together (see `Rows::finish`), so most row groups hold the variables of one window;
//! a matrix read of hourly values skips the row groups of the running means by this list,
//! which the `variable_id` statistics cannot tell (the keys of the windows interleave).
//!
//! The file is put through the table's object store, as deltalake puts its own (a local store
//! writes a temporary file and renames it: a killed ingest leaves no half file), under the
//! partition folder and file name deltalake would give it.

use deltalake::arrow::array::{Array, AsArray};
use deltalake::arrow::buffer::NullBuffer;
use deltalake::arrow::datatypes::{
    DataType, Float64Type, Int8Type, Int32Type, Int64Type, TimeUnit, TimestampMicrosecondType,
};
use deltalake::arrow::record_batch::RecordBatch;
use deltalake::kernel::scalars::ScalarExt as _;
use deltalake::logstore::object_store::ObjectStoreExt as _;
use parquet::basic::{LogicalType, TimeUnit as ParquetTimeUnit};
use parquet::column::writer::{ColumnWriter, ColumnWriterImpl};
use parquet::data_type::{ByteArray, DataType as ParquetType};
use parquet::errors::ParquetError;
use parquet::file::metadata::ParquetMetaData;
use parquet::file::properties::WriterProperties;
use parquet::file::statistics::Statistics;
use parquet::file::writer::SerializedFileWriter;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::sync::Arc;

/// A record batch encoded as a Parquet file: its bytes and its metadata.
pub(crate) struct Encoded {
    pub bytes: Vec<u8>,
    pub metadata: ParquetMetaData,
}

/// Encode `batch` as one Parquet file, as `ArrowWriter::try_new(_, batch.schema(),
/// Some(props))` would (the Arrow schema embedded, the Parquet schema converted the same way),
/// in row groups of `row_groups` rows each (they add up to the batch's rows; the writer's own
/// cut, the properties' row count, is what [`even_row_groups`] gives).
pub(crate) fn encode(
    batch: &RecordBatch,
    mut props: WriterProperties,
    row_groups: &[usize],
) -> Result<Encoded, ParquetError> {
    let n = batch.num_rows();
    if row_groups.iter().sum::<usize>() != n || row_groups.contains(&0) {
        return Err(ParquetError::General(format!(
            "row groups of {row_groups:?} rows do not cut a batch of {n} rows"
        )));
    }
    let schema = batch.schema();
    parquet::arrow::add_encoded_arrow_schema_to_metadata(&schema, &mut props);
    let descr = parquet::arrow::ArrowSchemaConverter::new()
        .with_coerce_types(props.coerce_types())
        .convert(&schema)?;
    // The file is about the size of its compressed columns: a few bytes a row.
    let mut bytes = Vec::with_capacity(n * 4 + 4096);
    let mut levels = Levels::default();
    let mut w = SerializedFileWriter::new(&mut bytes, descr.root_schema_ptr(), Arc::new(props))?;
    if let Some(keys) = batch
        .column_by_name("variable_id")
        .and_then(|c| c.as_primitive_opt::<Int32Type>())
    {
        w.append_key_value_metadata(parquet::file::metadata::KeyValue::new(
            ROW_GROUP_VARIABLES.to_string(),
            row_group_variables(keys.values(), row_groups),
        ));
    }
    let mut start = 0;
    for &len in row_groups {
        let mut group = w.next_row_group()?;
        for (column, field) in batch.columns().iter().zip(schema.fields()) {
            let column = column.slice(start, len);
            let mut cw = group.next_column()?.ok_or_else(|| {
                ParquetError::General(format!("no Parquet column for `{}`", field.name()))
            })?;
            write_column(cw.untyped(), &column, field.is_nullable(), &mut levels)
                .map_err(|e| ParquetError::General(format!("column `{}`: {e}", field.name())))?;
            cw.close()?;
        }
        group.close()?;
        start += len;
    }
    let metadata = w.close()?;
    Ok(Encoded { bytes, metadata })
}

/// The footer key under which a data file lists the variable keys of each row group: the
/// groups' lists in order, separated by `;`, each list's keys rising, separated by `,` (`0,2;1`:
/// keys 0 and 2 in the first row group, 1 in the second).
pub(crate) const ROW_GROUP_VARIABLES: &str = "lantian.row_group_variable_ids";

/// Row groups of `per_group` rows (the last one shorter) for `n` rows.
pub(crate) fn even_row_groups(n: usize, per_group: usize) -> Vec<usize> {
    let per_group = per_group.max(1);
    (0..n)
        .step_by(per_group)
        .map(|o| per_group.min(n - o))
        .collect()
}

/// The [`ROW_GROUP_VARIABLES`] list of `keys` cut into row groups of `row_groups` rows.
fn row_group_variables(keys: &[i32], row_groups: &[usize]) -> String {
    let mut out = String::new();
    let mut set: Vec<i32> = Vec::new();
    let mut start = 0;
    for (g, &len) in row_groups.iter().enumerate() {
        let group = &keys[start..start + len];
        start += len;
        // Keys run (a series' values are together): its runs first, then the few distinct.
        set.clear();
        for &k in group {
            if set.last() != Some(&k) {
                set.push(k);
            }
        }
        set.sort_unstable();
        set.dedup();
        if g > 0 {
            out.push(';');
        }
        for (i, k) in set.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&k.to_string());
        }
    }
    out
}

/// The row groups' variable keys a data file lists under [`ROW_GROUP_VARIABLES`] (`None` where
/// it lists none, or not one list per row group: every group may then hold any key).
pub(crate) fn parse_row_group_variables(text: &str, row_groups: usize) -> Option<Vec<Vec<i32>>> {
    let lists: Vec<Vec<i32>> = text
        .split(';')
        .map(|g| {
            if g.is_empty() {
                Some(Vec::new())
            } else {
                g.split(',').map(|k| k.parse().ok()).collect()
            }
        })
        .collect::<Option<_>>()?;
    (lists.len() == row_groups).then_some(lists)
}

/// Definition levels, kept from column to column: a column without nulls takes a slice of
/// ones, made once.
#[derive(Default)]
struct Levels {
    ones: Vec<i16>,
    own: Vec<i16>,
}

impl Levels {
    /// The definition levels of a nullable column of `len` values (1 = a value, 0 = null).
    fn of(&mut self, nulls: Option<&NullBuffer>, len: usize) -> &[i16] {
        match nulls.filter(|n| n.null_count() > 0) {
            Some(n) => {
                self.own.clear();
                self.own.extend(n.iter().map(i16::from));
                &self.own
            }
            None => {
                if self.ones.len() < len {
                    self.ones.resize(len, 1);
                }
                &self.ones[..len]
            }
        }
    }
}

/// The values of a column that are not null, borrowed where none is.
fn present<'a, T: Copy>(values: &'a [T], nulls: Option<&NullBuffer>) -> Cow<'a, [T]> {
    match nulls.filter(|n| n.null_count() > 0) {
        Some(n) => Cow::Owned(n.valid_indices().map(|i| values[i]).collect()),
        None => Cow::Borrowed(values),
    }
}

fn put<T: ParquetType>(
    w: &mut ColumnWriterImpl<'_, T>,
    values: &[T::T],
    def: Option<&[i16]>,
) -> Result<(), ParquetError> {
    w.write_batch(values, def, None).map(|_| ())
}

/// Write one column of a row group from the array's buffers.
fn write_column(
    w: &mut ColumnWriter<'_>,
    column: &dyn Array,
    nullable: bool,
    levels: &mut Levels,
) -> Result<(), ParquetError> {
    let nulls = column.nulls();
    if !nullable && column.null_count() > 0 {
        return Err(ParquetError::General(
            "nulls in a column that allows none".into(),
        ));
    }
    let def = nullable.then(|| levels.of(nulls, column.len()));
    match (w, column.data_type()) {
        (ColumnWriter::Int32ColumnWriter(w), DataType::Int32) => {
            let a = column.as_primitive::<Int32Type>();
            put(w, &present(a.values(), nulls), def)
        }
        (ColumnWriter::Int32ColumnWriter(w), DataType::Int8) => {
            // Parquet has no 8-bit physical type: INT32 annotated INT(8), as arrow-rs writes.
            let a = column.as_primitive::<Int8Type>();
            let wide: Vec<i32> = present(a.values(), nulls)
                .iter()
                .map(|&v| i32::from(v))
                .collect();
            put(w, &wide, def)
        }
        (ColumnWriter::Int64ColumnWriter(w), DataType::Int64) => {
            let a = column.as_primitive::<Int64Type>();
            put(w, &present(a.values(), nulls), def)
        }
        (ColumnWriter::Int64ColumnWriter(w), DataType::Timestamp(TimeUnit::Microsecond, _)) => {
            let a = column.as_primitive::<TimestampMicrosecondType>();
            put(w, &present(a.values(), nulls), def)
        }
        (ColumnWriter::DoubleColumnWriter(w), DataType::Float64) => {
            let a = column.as_primitive::<Float64Type>();
            put(w, &present(a.values(), nulls), def)
        }
        (ColumnWriter::ByteArrayColumnWriter(w), DataType::Utf8) => {
            let a = column.as_string::<i32>();
            let values: Vec<ByteArray> = a
                .iter()
                .flatten()
                .map(|s| ByteArray::from(s.as_bytes().to_vec()))
                .collect();
            put(w, &values, def)
        }
        (_, t) => Err(ParquetError::General(format!(
            "no data-file encoding for Arrow type {t}"
        ))),
    }
}

/// The `stats` of a Delta `add` action for a file of these row groups, as deltalake derives
/// them from the Parquet metadata: the row count, and per column that has statistics its
/// minimum and maximum (timestamps as UTC text to the millisecond, binary columns left out)
/// and its null count.
pub(crate) fn delta_stats(metadata: &ParquetMetaData) -> Result<String, serde_json::Error> {
    let descr = metadata.file_metadata().schema_descr();
    let (mut min, mut max, mut nulls) = (Map::new(), Map::new(), Map::new());
    for (idx, column) in descr.columns().iter().enumerate() {
        let logical = column.logical_type_ref();
        if column.physical_type() == parquet::basic::Type::BYTE_ARRAY
            && logical != Some(&LogicalType::String)
        {
            continue;
        }
        let mut any = false;
        let mut null_count = 0u64;
        let (mut lo, mut hi): (Option<Scalar>, Option<Scalar>) = (None, None);
        for group in metadata.row_groups() {
            let Some(s) = group.column(idx).statistics() else {
                continue;
            };
            any = true;
            null_count += s.null_count_opt().unwrap_or_default();
            if s.min_bytes_opt().is_none() || s.max_bytes_opt().is_none() {
                continue;
            }
            if let Some(v) = Scalar::of(s, logical, true) {
                lo = Some(match lo {
                    Some(l) if l < v => l,
                    _ => v,
                });
            }
            if let Some(v) = Scalar::of(s, logical, false) {
                hi = Some(match hi {
                    Some(h) if h > v => h,
                    _ => v,
                });
            }
        }
        if !any {
            continue;
        }
        let name = column.name().to_string();
        if let Some(v) = lo {
            min.insert(name.clone(), v.json());
        }
        if let Some(v) = hi {
            max.insert(name.clone(), v.json());
        }
        nulls.insert(name, Value::from(null_count));
    }
    let mut stats = Map::new();
    stats.insert(
        "numRecords".into(),
        Value::from(metadata.file_metadata().num_rows()),
    );
    stats.insert("minValues".into(), Value::Object(min));
    stats.insert("maxValues".into(), Value::Object(max));
    stats.insert("nullCount".into(), Value::Object(nulls));
    serde_json::to_string(&Value::Object(stats))
}

/// A column statistic as the Delta log writes it.
#[derive(Debug, Clone, PartialEq, PartialOrd)]
enum Scalar {
    Int(i64),
    Double(f64),
    /// UTC.
    Timestamp(chrono::NaiveDateTime),
    Text(String),
}

impl Scalar {
    fn of(s: &Statistics, logical: Option<&LogicalType>, min: bool) -> Option<Scalar> {
        fn pick<T: Copy>(lo: Option<&T>, hi: Option<&T>, min: bool) -> Option<T> {
            if min { lo.copied() } else { hi.copied() }
        }
        match s {
            Statistics::Int32(v) => {
                pick(v.min_opt(), v.max_opt(), min).map(|x| Scalar::Int(x.into()))
            }
            Statistics::Int64(v) => {
                let x = pick(v.min_opt(), v.max_opt(), min)?;
                match logical {
                    Some(LogicalType::Timestamp(t)) if t.is_adjusted_to_u_t_c => {
                        let t = match t.unit {
                            ParquetTimeUnit::MILLIS => chrono::DateTime::from_timestamp_millis(x),
                            ParquetTimeUnit::MICROS => chrono::DateTime::from_timestamp_micros(x),
                            ParquetTimeUnit::NANOS => {
                                Some(chrono::DateTime::from_timestamp_nanos(x))
                            }
                        }?;
                        Some(Scalar::Timestamp(t.naive_utc()))
                    }
                    // Local times and decimals are not in this store's files.
                    Some(LogicalType::Timestamp(_) | LogicalType::Decimal(_)) => None,
                    _ => Some(Scalar::Int(x)),
                }
            }
            Statistics::Double(v) => pick(v.min_opt(), v.max_opt(), min).map(Scalar::Double),
            Statistics::ByteArray(v) => {
                let b = if min {
                    v.min_bytes_opt()
                } else {
                    v.max_bytes_opt()
                }?;
                String::from_utf8(b.to_vec()).ok().map(Scalar::Text)
            }
            _ => None,
        }
    }

    fn json(self) -> Value {
        match self {
            Scalar::Int(v) => Value::from(v),
            Scalar::Double(v) => Value::from(v),
            Scalar::Timestamp(t) => {
                use chrono::Timelike as _;
                // The Delta protocol keeps timestamps to the millisecond.
                let format = if t.nanosecond() == 0 {
                    "%Y-%m-%dT%H:%M:%SZ"
                } else {
                    "%Y-%m-%dT%H:%M:%S%.3fZ"
                };
                Value::from(t.format(format).to_string())
            }
            Scalar::Text(s) => Value::from(s),
        }
    }
}

/// The path in the table of a new data file of partition `source` (relative, as the log holds
/// it): the partition folder and a file name of deltalake's form.
pub(crate) fn data_path(
    source: &str,
    props: &WriterProperties,
) -> Result<deltalake::Path, deltalake::DeltaTableError> {
    // The partition value percent-encoded as a Hive folder name, then parsed (not encoded
    // again) as an object-store path, as deltalake does.
    let folder = delta_kernel::expressions::Scalar::from(source.to_string()).serialize_encoded();
    let suffix = match props.compression(&parquet::schema::types::ColumnPath::new(Vec::new())) {
        parquet::basic::Compression::LZ4_RAW => ".lz4raw",
        parquet::basic::Compression::SNAPPY => ".snappy",
        parquet::basic::Compression::ZSTD(_) => ".zstd",
        _ => "",
    };
    let folder = deltalake::Path::parse(format!("source={folder}"))
        .map_err(|e| deltalake::DeltaTableError::Generic(format!("partition {source:?}: {e}")))?;
    Ok(folder.join(format!(
        "part-00000-{}-c000{suffix}.parquet",
        uuid::Uuid::new_v4()
    )))
}

/// The `add` action of a data file of partition `source` written at `path`.
pub(crate) fn add_action(
    source: &str,
    path: &deltalake::Path,
    encoded: &Encoded,
) -> Result<deltalake::kernel::Add, deltalake::DeltaTableError> {
    let modification_time = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    Ok(deltalake::kernel::Add {
        path: path.to_string(),
        size: encoded.bytes.len() as i64,
        partition_values: [("source".to_string(), Some(source.to_string()))]
            .into_iter()
            .collect(),
        modification_time,
        data_change: true,
        stats: Some(delta_stats(&encoded.metadata)?),
        tags: None,
        deletion_vector: None,
        base_row_id: None,
        default_row_commit_version: None,
        clustering_provider: None,
    })
}

/// Write `batch` (a data file of `observation_rows` without its partition column) into the
/// table as a file of partition `source`, not yet committed; its `add` action.
pub(crate) async fn write(
    store: deltalake::logstore::ObjectStoreRef,
    source: String,
    batch: RecordBatch,
    row_groups: Vec<usize>,
    props: WriterProperties,
) -> Result<deltalake::kernel::Add, deltalake::DeltaTableError> {
    let path = data_path(&source, &props)?;
    let encoded = encode(&batch, props, &row_groups)?;
    let add = add_action(&source, &path, &encoded)?;
    store.put(&path, encoded.bytes.into()).await?;
    Ok(add)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{StepEncodings, observation_writer_properties};
    use crate::schema;
    use deltalake::arrow::array::{
        ArrayRef, Float64Array, Int8Array, Int32Array, Int64Array, StringArray,
        TimestampMicrosecondArray,
    };
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use parquet::file::reader::{ChunkReader, FileReader, SerializedFileReader};

    /// A data file of `rows` rows with nulls in `value` and a few flag reasons: rows of 40
    /// sites, hours stepping, values with decimals, NaN and infinities.
    #[test]
    fn row_group_variables_list_each_groups_keys() {
        let keys = [5, 5, 2, 2, 5, 9, 0, 0, 0];
        assert_eq!(row_group_variables(&keys, &[4, 4, 1]), "2,5;0,5,9;0");
        assert_eq!(row_group_variables(&keys, &[2, 7]), "5;0,2,5,9");
        assert_eq!(row_group_variables(&[], &[]), "");
        assert_eq!(even_row_groups(9, 4), [4, 4, 1]);
        assert_eq!(even_row_groups(8, 4), [4, 4]);
        assert_eq!(even_row_groups(0, 4), Vec::<usize>::new());
        assert_eq!(
            parse_row_group_variables("2,5;0,5,9;0", 3),
            Some(vec![vec![2, 5], vec![0, 5, 9], vec![0]])
        );
        // A list that is not one per row group, or not keys, is not trusted.
        assert_eq!(parse_row_group_variables("2,5;0", 3), None);
        assert_eq!(parse_row_group_variables("2,x", 1), None);
        assert_eq!(parse_row_group_variables("", 1), Some(vec![vec![]]));
    }

    fn batch(rows: usize) -> RecordBatch {
        let site: Vec<i32> = (0..rows)
            .map(|i| (i / (rows / 40 + 1)) as i32 + 3)
            .collect();
        let variable: Vec<i32> = (0..rows).map(|i| (i % 7) as i32).collect();
        let hour = 1_672_531_200_000_000i64;
        let time: Vec<i64> = (0..rows)
            .map(|i| hour + (i % 8760) as i64 * 3_600_000_000)
            .collect();
        let value: Float64Array = (0..rows)
            .map(|i| match i % 1000 {
                5 | 6 => None,
                7 => Some(f64::NAN),
                8 if i < 2000 => Some(f64::INFINITY),
                _ => Some((i % 997) as f64 / 10.0 - 3.0),
            })
            .collect();
        let flag: Int8Array = (0..rows).map(|i| (i % 500 == 0) as i8).collect();
        let reason: StringArray = (0..rows)
            .map(|i| (i % 500 == 0).then(|| format!("held for review {i} · 复核")))
            .collect();
        let cols: Vec<ArrayRef> = vec![
            Arc::new(Int32Array::from(site)),
            Arc::new(Int32Array::from(variable)),
            Arc::new(TimestampMicrosecondArray::from(time).with_timezone("UTC")),
            Arc::new(value),
            Arc::new(flag),
            Arc::new(reason),
            Arc::new(Int32Array::from_value(2, rows)),
            Arc::new(Int64Array::from_value(1_733_000_000_123, rows)),
            Arc::new(Int32Array::from_iter_values(
                (0..rows).map(|i| (i / 30_000) as i32),
            )),
            Arc::new(Int64Array::from_iter_values(
                (0..rows).map(|i| i as i64 / 3 + 2),
            )),
        ];
        RecordBatch::try_new(schema::observation_rows_file(), cols).unwrap()
    }

    async fn table(dir: &std::path::Path) -> deltalake::DeltaTable {
        use delta_kernel::engine::arrow_conversion::TryIntoKernel as _;
        let fields: deltalake::kernel::StructType =
            schema::observation_rows().try_into_kernel().unwrap();
        let url = deltalake::ensure_table_uri(dir.to_string_lossy()).unwrap();
        deltalake::DeltaTable::try_from_url(url)
            .await
            .unwrap()
            .create()
            .with_columns(fields.fields().cloned())
            .with_partition_columns(["source"])
            .await
            .unwrap()
    }

    fn stats_of(add: &deltalake::kernel::Add) -> Value {
        serde_json::from_str(add.stats.as_deref().unwrap()).unwrap()
    }

    /// Each column chunk's encodings, compression and whether it has statistics, per row group.
    fn chunks<T: ChunkReader + 'static>(bytes: T) -> Vec<Vec<String>> {
        let r = SerializedFileReader::new(bytes).unwrap();
        let file = r.metadata().file_metadata();
        // All but the row groups' variable keys, which deltalake does not write.
        let kv: Vec<_> = file
            .key_value_metadata()
            .into_iter()
            .flatten()
            .filter(|kv| kv.key != ROW_GROUP_VARIABLES)
            .collect();
        let head = vec![format!("{kv:?} {:?} {}", file.created_by(), file.version())];
        std::iter::once(head)
            .chain(r.metadata().row_groups().iter().map(|g| {
                g.columns()
                    .iter()
                    .map(|c| {
                        let mut enc: Vec<String> =
                            c.encodings().map(|e| format!("{e:?}")).collect();
                        enc.sort();
                        format!(
                            "{} {} rows {:?} {enc:?} {} stats {}",
                            c.column_path(),
                            g.num_rows(),
                            c.compression(),
                            c.num_values(),
                            c.statistics().is_some()
                        )
                    })
                    .collect()
            }))
            .collect()
    }

    fn read<T: ChunkReader + 'static>(
        bytes: T,
    ) -> (Arc<deltalake::arrow::datatypes::Schema>, Vec<RecordBatch>) {
        let b = ParquetRecordBatchReaderBuilder::try_new(bytes).unwrap();
        let schema = b.schema().clone();
        (schema, b.build().unwrap().map(Result::unwrap).collect())
    }

    /// A data file written here and by deltalake's own writer, from the same batch and
    /// properties: the same rows, schema (with the embedded Arrow schema), row groups, encodings
    /// and statistics, and the same `add` action but for the file's name.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn data_files_are_written_as_deltalake_writes_them() {
        use deltalake::writer::{DeltaWriter, WriteMode};
        for (rows, source) in [(70_000, "cnemc"), (1_000, "a site list/ä 1"), (0, "x")] {
            let dir = tempfile::tempdir().unwrap();
            let (a_dir, b_dir) = (dir.path().join("a"), dir.path().join("b"));
            std::fs::create_dir_all(&a_dir).unwrap();
            std::fs::create_dir_all(&b_dir).unwrap();
            let (a, b) = (table(&a_dir).await, table(&b_dir).await);
            let part = batch(rows);
            let props = observation_writer_properties(StepEncodings::of(&part));
            let partition: indexmap::IndexMap<String, delta_kernel::expressions::Scalar> =
                [("source".to_string(), source.to_string().into())]
                    .into_iter()
                    .collect();
            let mut w = deltalake::writer::RecordBatchWriter::for_table(&a)
                .unwrap()
                .with_writer_properties(props.clone());
            w.write_partition(part.clone(), &partition, WriteMode::Default)
                .await
                .unwrap();
            let theirs = w.flush().await.unwrap();
            if rows == 0 {
                // deltalake writes no file for no rows; the store never asks for one.
                assert!(theirs.is_empty());
                continue;
            }
            let [theirs] = &theirs[..] else {
                panic!("one file expected, got {}", theirs.len())
            };
            let groups = even_row_groups(rows, crate::ingest::ROW_GROUP_ROWS);
            let ours = write(
                b.object_store(),
                source.to_string(),
                part.clone(),
                groups,
                props,
            )
            .await
            .unwrap();
            assert_eq!(stats_of(&ours), stats_of(theirs), "{source}");
            assert_eq!(ours.partition_values, theirs.partition_values);
            assert!(ours.data_change && theirs.data_change);
            let folder = |p: &str| p.rsplit_once('/').unwrap().0.to_string();
            assert_eq!(folder(&ours.path), folder(&theirs.path));
            let name = |p: &str| {
                let f = p.rsplit_once('/').unwrap().1;
                (
                    f.len(),
                    f.starts_with("part-00000-"),
                    f.ends_with("-c000.lz4raw.parquet"),
                )
            };
            assert_eq!(name(&ours.path), name(&theirs.path));
            let get = |store: deltalake::logstore::ObjectStoreRef, path: String| async move {
                let p = deltalake::Path::parse(path).unwrap();
                store.get(&p).await.unwrap().bytes().await.unwrap()
            };
            let ours_bytes = get(b.object_store(), ours.path.clone()).await;
            let theirs_bytes = get(a.object_store(), theirs.path.clone()).await;
            assert_eq!(ours.size as usize, ours_bytes.len());
            assert_eq!(chunks(ours_bytes.clone()), chunks(theirs_bytes.clone()));
            // Ours lists each row group's variable keys (every row group holds keys 0–6).
            fn listed<T: ChunkReader + 'static>(bytes: T) -> Option<String> {
                let r = SerializedFileReader::new(bytes).unwrap();
                let kv = r.metadata().file_metadata().key_value_metadata().cloned();
                kv.into_iter()
                    .flatten()
                    .find(|kv| kv.key == ROW_GROUP_VARIABLES)
                    .and_then(|kv| kv.value)
            }
            let groups = rows.div_ceil(65_536);
            assert_eq!(
                listed(ours_bytes.clone()),
                Some(vec!["0,1,2,3,4,5,6"; groups].join(";"))
            );
            assert_eq!(listed(theirs_bytes.clone()), None);
            if rows == 70_000 {
                // Row groups of 65,536 rows in pages of `PAGE_ROWS`: 8 pages, then 1.
                let r = parquet::file::serialized_reader::SerializedFileReader::new_with_options(
                    ours_bytes.clone(),
                    parquet::file::serialized_reader::ReadOptionsBuilder::new()
                        .with_page_index()
                        .build(),
                )
                .unwrap();
                let pages: Vec<usize> = r.metadata().offset_index().unwrap()[..]
                    .iter()
                    .map(|g| g[0].page_locations().len())
                    .collect();
                assert_eq!(crate::ingest::PAGE_ROWS, 8_192);
                assert_eq!(pages, [8, 1]);
            }
            let (our_schema, our_rows) = read(ours_bytes);
            let (their_schema, their_rows) = read(theirs_bytes);
            // The same but for the row groups' variable keys, which a reader sees as the
            // schema's metadata.
            let mut kept = our_schema.metadata().clone();
            assert!(kept.remove(ROW_GROUP_VARIABLES).is_some());
            assert_eq!(
                our_schema.as_ref().clone().with_metadata(kept),
                their_schema.as_ref().clone()
            );
            let all = |b: &[RecordBatch]| {
                deltalake::arrow::compute::concat_batches(&b[0].schema(), b).unwrap()
            };
            // NaN is not equal to itself: compare the columns' bytes through their debug form.
            assert_eq!(
                format!("{:?}", all(&our_rows)),
                format!("{:?}", all(&their_rows))
            );
            assert_eq!(all(&our_rows).num_rows(), rows);
        }
    }

    #[test]
    fn a_column_type_without_an_encoding_is_refused_by_name() {
        let schema = Arc::new(deltalake::arrow::datatypes::Schema::new(vec![
            deltalake::arrow::datatypes::Field::new("flag", DataType::Boolean, false),
        ]));
        let b = RecordBatch::try_new(
            schema,
            vec![Arc::new(deltalake::arrow::array::BooleanArray::from(vec![
                true,
            ]))],
        )
        .unwrap();
        let props = WriterProperties::builder()
            .set_max_row_group_row_count(Some(10))
            .build();
        let e = encode(&b, props.clone(), &[1]).err().unwrap();
        assert!(e.to_string().contains("column `flag`"), "{e}");
        assert!(e.to_string().contains("Boolean"), "{e}");
        // Row groups that do not add up to the batch are refused before anything is written.
        let e = encode(&b, props, &[2]).err().unwrap();
        assert!(
            e.to_string().contains("do not cut a batch of 1 rows"),
            "{e}"
        );
    }
}
