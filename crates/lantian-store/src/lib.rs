//! # lantian-store: the embedded store
//!
//! Lantian keeps its data in **Delta Lake tables of Parquet files** in one folder (the store),
//! and queries them with **Apache DataFusion**. No server runs: the store is a directory that
//! Spark, DuckDB, polars or pandas (via `deltalake`) can read as well.
//!
//! Why this engine: Delta's transaction log gives the properties an archive of official data
//! needs, without a server —
//! - **atomic commits**: an ingest batch becomes visible all at once, or not at all; a process
//!   killed mid-write leaves only unreferenced Parquet files that no reader ever sees;
//! - **snapshot isolation**: a reader works on one table version while an ingest commits newer
//!   ones;
//! - **history**: every version stays readable (`time travel`), and Lantian never deletes rows.
//!
//! On top of that Lantian adds its own rules (see [`ingest`]): the value key
//! `(source, station, variable, averaging, time_end)`, revisions (a changed value is appended as
//! `revision + 1`, the previous one stays queryable), idempotent re-ingest (a file already logged
//! with the same SHA-256 is not read again; a value already stored unchanged is not written
//! again), and a single writer at a time (an OS file lock on `<store>/LOCK`).
//!
//! SQL serves any question; the one question every index and assessment asks, dense hourly
//! series of some stations and pollutants, has its own reader ([`matrix`]) that goes to the
//! Parquet files of a snapshot directly, about four times faster than polars on the same table.
//!
//! ```no_run
//! # async fn demo() -> Result<(), lantian_store::StoreError> {
//! use lantian_store::Store;
//! let store = Store::open("lantian-store".as_ref()).await?;
//! let files = vec!["../shared/data/quotsoft_beijing/2023".into()];
//! let summary = store.ingest(&files, &lantian_store::ingest::IngestOptions::default(), &mut |_| {}).await?;
//! println!("{} values new", summary.values_new);
//! let batches = store.sql("SELECT COUNT(*) FROM current").await?;
//! # Ok(()) }
//! ```

pub mod campaigns;
mod datafile;
pub mod export;
pub mod flags;
pub mod ingest;
pub mod layout;
pub mod matrix;
pub mod query;
pub mod schema;
pub mod soil_list;

pub use deltalake::arrow::record_batch::RecordBatch;
use deltalake::datafusion::prelude::SessionContext;
use deltalake::{DeltaTable, DeltaTableError};
pub use soil_list::RecordedEvent;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The environment variable naming the default store folder.
pub const STORE_ENV: &str = "LANTIAN_STORE";
/// The default store folder, relative to the working directory.
pub const DEFAULT_STORE: &str = "lantian-store";

/// Errors of the store, with the table or path concerned.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("table {table}: {source}")]
    Delta {
        table: String,
        source: Box<DeltaTableError>,
    },
    #[error("query: {0}")]
    Query(String),
    #[error(
        "store {path} is locked by another writer, an ingest or a list update (lock file {path}/LOCK); wait for it to finish"
    )]
    Locked { path: String },
    #[error("{0}")]
    Input(String),
    /// The store keeps its observations in the string layout of earlier versions.
    #[error(
        "store {path} keeps its observations in the layout of an earlier version (a string per \
         value for every name), which this version does not read as values; upgrade it in place \
         with `lantian migrate` (safe to interrupt and run again)"
    )]
    StringLayout { path: String },
    /// A write failed for want of space (a full disk or an exhausted quota).
    #[error(
        "store {path}: the disk is full ({detail}). Nothing of the unfinished batch is visible: \
         the store is as at its last commit, and can be read. Free space and run the same \
         ingest again; it goes on where this one stopped"
    )]
    DiskFull { path: String, detail: String },
    /// The store cannot be written (a read-only file system, no permission).
    #[error(
        "store {path}: cannot write ({detail}). The store can still be read; make it writable \
         and run the ingest again"
    )]
    NotWritable { path: String, detail: String },
}

/// What kind of fault of the disk a failed write met, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WriteFault {
    Full,
    NotWritable,
}

/// The fault named by an error's text: deltalake and object_store pass I/O errors on as text
/// (`… No space left on device (os error 28)`), so the operating system's error number in
/// it is what can be trusted (Linux: ENOSPC 28, EDQUOT 122, EROFS 30, EACCES 13, EPERM 1).
fn write_fault_in(text: &str) -> Option<WriteFault> {
    let has = |code: i32| text.contains(&format!("(os error {code})"));
    if has(28) || has(122) {
        Some(WriteFault::Full)
    } else if has(30) || has(13) || has(1) {
        Some(WriteFault::NotWritable)
    } else {
        None
    }
}

impl StoreError {
    /// This error, said as the fault of the disk it is when a write met one.
    pub(crate) fn on_write(self, root: &Path) -> StoreError {
        let fault = match &self {
            StoreError::Io { source, .. } => match source.raw_os_error() {
                Some(28 | 122) => Some(WriteFault::Full),
                Some(30 | 13 | 1) => Some(WriteFault::NotWritable),
                _ => None,
            },
            StoreError::Delta { .. } | StoreError::Query(_) => write_fault_in(&self.to_string()),
            _ => None,
        };
        let path = root.display().to_string();
        let detail = self.to_string();
        match fault {
            Some(WriteFault::Full) => StoreError::DiskFull { path, detail },
            Some(WriteFault::NotWritable) => StoreError::NotWritable { path, detail },
            None => self,
        }
    }
}

impl From<deltalake::datafusion::error::DataFusionError> for StoreError {
    fn from(e: deltalake::datafusion::error::DataFusionError) -> Self {
        StoreError::Query(e.to_string())
    }
}

impl From<deltalake::arrow::error::ArrowError> for StoreError {
    fn from(e: deltalake::arrow::error::ArrowError) -> Self {
        StoreError::Query(e.to_string())
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// A store folder.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

impl Store {
    /// Open (and create if needed) the store at `root`.
    pub async fn open(root: &Path) -> Result<Store> {
        std::fs::create_dir_all(root).map_err(|source| StoreError::Io {
            path: root.display().to_string(),
            source,
        })?;
        let root = std::fs::canonicalize(root).map_err(|source| StoreError::Io {
            path: root.display().to_string(),
            source,
        })?;
        Ok(Store { root })
    }

    /// The store folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn table_path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// Whether a table has been created: its transaction log holds a commit (or a checkpoint).
    /// A log folder without one is a creation that never completed (a full disk, a kill), and
    /// the table is created again rather than read.
    pub fn has_table(&self, name: &str) -> bool {
        let Ok(entries) = std::fs::read_dir(self.table_path(name).join("_delta_log")) else {
            return false;
        };
        entries.flatten().any(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            (n.ends_with(".json") && n.len() == 25 && n[..20].bytes().all(|b| b.is_ascii_digit()))
                || n == "_last_checkpoint"
        })
    }

    /// Load a table at its latest version (or `None` if it does not exist yet).
    pub async fn table(&self, name: &str) -> Result<Option<DeltaTable>> {
        if !self.has_table(name) {
            return Ok(None);
        }
        let url = self.table_url(name)?;
        deltalake::open_table(url)
            .await
            .map(Some)
            .map_err(|e| delta_err(name, e))
    }

    pub(crate) fn table_url(&self, name: &str) -> Result<url::Url> {
        let p = self.table_path(name);
        deltalake::ensure_table_uri(p.to_string_lossy()).map_err(|e| delta_err(name, e))
    }

    /// A DataFusion session with every existing table registered, each at the version current
    /// when this is called (one consistent snapshot per table), plus the views `observations`
    /// and `current`. The rows are registered before the dimensions: dimensions only grow and a
    /// name is committed before any row that uses it, so every key of the rows is named.
    ///
    /// A store of the string layout (see [`layout`]) is read as it is: its `observations`
    /// table has the view's columns, and `current` is defined over it as before, so SQL gives
    /// the same answers on either layout.
    pub async fn session(&self) -> Result<SessionContext> {
        let ctx = SessionContext::new();
        let keyed = self.layout() == layout::Layout::Keyed;
        let observation_tables: &[&str] = if keyed {
            &[
                schema::OBSERVATION_ROWS,
                schema::SITES,
                schema::VARIABLES,
                schema::SOURCE_FILES,
            ]
        } else {
            &[schema::OBSERVATIONS]
        };
        for &name in observation_tables.iter().chain(&[
            schema::INGEST_LOG,
            schema::FLAGS,
            schema::SOIL_LIST_EVENTS,
            schema::CAMPAIGN_UPDATES,
            schema::INDICATOR_VALUES,
        ]) {
            let provider: Arc<dyn deltalake::datafusion::catalog::TableProvider> =
                match self.table(name).await? {
                    Some(t) => {
                        t.update_datafusion_session(&ctx.state())
                            .map_err(|e| delta_err(name, e))?;
                        t.table_provider().await?
                    }
                    None => {
                        // An empty table with the right schema, so queries work on a new store.
                        let s = match name {
                            schema::OBSERVATION_ROWS => schema::observation_rows(),
                            schema::SITES => schema::sites(),
                            schema::VARIABLES => schema::variables(),
                            schema::SOURCE_FILES => schema::source_files(),
                            schema::INGEST_LOG => schema::ingest_log(),
                            schema::SOIL_LIST_EVENTS => schema::soil_list_events(),
                            schema::CAMPAIGN_UPDATES => schema::campaign_updates(),
                            schema::INDICATOR_VALUES => schema::indicator_values(),
                            _ => schema::flags(),
                        };
                        Arc::new(deltalake::datafusion::datasource::MemTable::try_new(
                            s,
                            vec![vec![]],
                        )?)
                    }
                };
            ctx.register_table(name, provider)?;
        }
        if keyed {
            ctx.sql(&layout::observations_view()).await?;
            ctx.sql(&layout::current_view()).await?;
        } else {
            ctx.sql(query::CURRENT_VIEW).await?;
        }
        Ok(ctx)
    }

    /// Run a read-only SQL query (see [`query::sql`]).
    pub async fn sql(&self, sql: &str) -> Result<Vec<RecordBatch>> {
        query::sql(self, sql).await
    }
}

pub(crate) fn delta_err(table: &str, e: DeltaTableError) -> StoreError {
    StoreError::Delta {
        table: table.to_string(),
        source: Box::new(e),
    }
}

/// Column accessors that accept whatever physical type the scan produced (DataFusion may hand
/// strings back as `Utf8View` or dictionaries, partition columns as dictionaries).
pub mod col {
    use deltalake::arrow::array::{
        Array, AsArray, Float64Array, Int32Array, Int64Array, RecordBatch, StringArray,
        TimestampMicrosecondArray,
    };
    use deltalake::arrow::compute::cast;
    use deltalake::arrow::datatypes::{
        DataType, Float64Type, Int32Type, Int64Type, TimeUnit, TimestampMicrosecondType,
    };

    fn to(b: &RecordBatch, i: usize, t: &DataType) -> std::sync::Arc<dyn Array> {
        cast(b.column(i), t).unwrap_or_else(|_| b.column(i).clone())
    }

    pub fn strings(b: &RecordBatch, i: usize) -> StringArray {
        to(b, i, &DataType::Utf8).as_string::<i32>().clone()
    }
    pub fn f64s(b: &RecordBatch, i: usize) -> Float64Array {
        to(b, i, &DataType::Float64)
            .as_primitive::<Float64Type>()
            .clone()
    }
    pub fn i32s(b: &RecordBatch, i: usize) -> Int32Array {
        to(b, i, &DataType::Int32)
            .as_primitive::<Int32Type>()
            .clone()
    }
    pub fn i64s(b: &RecordBatch, i: usize) -> Int64Array {
        to(b, i, &DataType::Int64)
            .as_primitive::<Int64Type>()
            .clone()
    }
    pub fn micros(b: &RecordBatch, i: usize) -> TimestampMicrosecondArray {
        to(
            b,
            i,
            &DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
        )
        .as_primitive::<TimestampMicrosecondType>()
        .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_that_meets_a_full_or_read_only_disk_is_said_so() {
        let root = Path::new("/data/store");
        let full = StoreError::Query(
            "External: Generic LocalFileSystem error: Unable to copy data to file: No space left on device (os error 28)".into(),
        )
        .on_write(root);
        assert!(matches!(full, StoreError::DiskFull { .. }), "{full}");
        let text = full.to_string();
        assert!(
            text.starts_with("store /data/store: the disk is full ("),
            "{text}"
        );
        assert!(text.contains("run the same ingest again"), "{text}");
        let ro = StoreError::Io {
            path: "/data/store/LOCK".into(),
            source: std::io::Error::from_raw_os_error(30),
        }
        .on_write(root);
        assert!(matches!(ro, StoreError::NotWritable { .. }), "{ro}");
        assert!(ro.to_string().contains("can still be read"), "{ro}");
        // Anything else is left as it was; so is an error number that only looks alike.
        let other = StoreError::Query("(os error 280)".into()).on_write(root);
        assert!(matches!(other, StoreError::Query(_)), "{other}");
        let locked = StoreError::Locked { path: "/s".into() }.on_write(root);
        assert!(matches!(locked, StoreError::Locked { .. }));
    }
}
