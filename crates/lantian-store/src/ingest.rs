//! Ingest: files → values → Delta commits, idempotent and revision-aware.
//!
//! Files are read in sorted order and committed in **batches** (by default 64 files). A batch
//! is compared with what the store already holds for the same sources, stations and time range:
//!
//! - a key not yet stored → revision 0 (`new`);
//! - a key stored with the same value and flag → nothing written (`unchanged`);
//! - a key stored with another value or flag → `revision + 1` (`revised`); CNEMC revises its
//!   published data, and the earlier value stays queryable;
//! - a key that a re-published file no longer carries (same path, new content) → a row with an
//!   empty value and flag `withdrawn` (`withdrawn`).
//!
//! Each batch is two commits: first the values (`observations`), then the files
//! (`ingest_log`). A process killed before the first commit leaves nothing visible; killed
//! between the two, the files are not logged, so a re-run reads them again, finds every value
//! `unchanged`, and logs them. Either way a re-run completes the ingest and nothing is doubled.

use crate::schema;
use crate::{Result, Store, StoreError, delta_err};
use chrono::{DateTime, Utc};
use deltalake::arrow::array::{
    Array, ArrayRef, Float64Array, Int32Array, Int64Array, RecordBatch, StringArray,
    TimestampMicrosecondArray,
};
use deltalake::protocol::SaveMode;
use lantian_ingest::{FileReport, FileStatus, ReadOutput};
use lantian_model::{Flag, Observation};
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

/// Options of an ingest.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Files per commit.
    pub batch_files: usize,
    /// Values per commit: a batch is committed once it holds this many values, whatever the
    /// number of files, which bounds memory (a UCI file alone holds 420,000 values).
    pub batch_values: usize,
    /// Read files again even when the log holds them with the same SHA-256.
    pub force: bool,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            batch_files: 64,
            batch_values: 250_000,
            force: false,
        }
    }
}

/// What happened to one file.
#[derive(Debug, Clone)]
pub struct FileOutcome {
    pub report: FileReport,
    /// Already in the log with the same content: not read again.
    pub skipped_unchanged: bool,
    pub values_new: u64,
    pub values_revised: u64,
    pub values_unchanged: u64,
    pub values_withdrawn: u64,
}

/// Progress events, for a progress bar.
#[derive(Debug, Clone)]
pub enum Progress {
    /// The number of files found.
    Start { files: usize },
    /// One more file read (or skipped).
    File { path: String },
    /// A batch was committed.
    Committed { files: usize, rows: usize },
}

/// The result of an ingest.
#[derive(Debug, Clone, Default)]
pub struct IngestSummary {
    pub files: Vec<FileOutcome>,
    pub values_new: u64,
    pub values_revised: u64,
    pub values_unchanged: u64,
    pub values_withdrawn: u64,
    pub batches: u64,
}

impl IngestSummary {
    pub fn files_read(&self) -> usize {
        self.files
            .iter()
            .filter(|f| !f.skipped_unchanged && f.report.status == FileStatus::Read)
            .count()
    }
    pub fn files_rejected(&self) -> usize {
        self.files
            .iter()
            .filter(|f| !f.skipped_unchanged && f.report.status != FileStatus::Read)
            .count()
    }
    pub fn files_skipped_unchanged(&self) -> usize {
        self.files.iter().filter(|f| f.skipped_unchanged).count()
    }
}

/// The value key. Source and station names are shared (`Arc<str>`, one allocation per name, see
/// [`Names`]): an ingest builds one key per value, millions per batch.
type Key = (Arc<str>, Arc<str>, &'static str, &'static str, i64);

/// Keyed maps of an ingest use foldhash (hashbrown's default hasher): SipHash over the four-part
/// keys was the largest cost of an ingest (13 % of the time).
type KeyMap<V> = foldhash::HashMap<Key, V>;
type KeySet = foldhash::HashSet<Key>;

/// Shared copies of the source, station and file names of a batch.
#[derive(Default)]
struct Names(foldhash::HashSet<Arc<str>>);

impl Names {
    fn get(&mut self, s: &str) -> Arc<str> {
        if let Some(x) = self.0.get(s) {
            return x.clone();
        }
        let x: Arc<str> = Arc::from(s);
        self.0.insert(x.clone());
        x
    }

    fn key(&mut self, o: &Observation) -> Key {
        (
            self.get(o.source.code()),
            self.get(&o.station),
            o.variable.code(),
            o.averaging.code(),
            o.time_end.timestamp_micros(),
        )
    }
}

/// The latest stored state of one key.
#[derive(Debug, Clone)]
struct Stored {
    value: Option<f64>,
    flag: &'static str,
    revision: i32,
    source_file: Arc<str>,
}

/// The model's static code of a stored flag string.
fn flag_code(s: &str) -> &'static str {
    [Flag::Ok, Flag::Doubtful, Flag::Bad, Flag::Withdrawn]
        .into_iter()
        .map(Flag::code)
        .find(|c| *c == s)
        .unwrap_or("?")
}

struct Lock {
    _file: std::fs::File,
}

fn lock(store: &Store) -> Result<Lock> {
    let path = store.root().join("LOCK");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|source| StoreError::Io {
            path: path.display().to_string(),
            source,
        })?;
    match file.try_lock() {
        Ok(()) => Ok(Lock { _file: file }),
        Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::Locked {
            path: store.root().display().to_string(),
        }),
        Err(std::fs::TryLockError::Error(source)) => Err(StoreError::Io {
            path: path.display().to_string(),
            source,
        }),
    }
}

fn abs(p: &std::path::Path) -> String {
    std::fs::canonicalize(p)
        .unwrap_or_else(|_| p.to_path_buf())
        .display()
        .to_string()
}

impl Store {
    /// Ingest files and folders (recursively).
    pub async fn ingest(
        &self,
        paths: &[PathBuf],
        opts: &IngestOptions,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<IngestSummary> {
        let _lock = lock(self)?;
        let files =
            lantian_ingest::discover(paths).map_err(|e| StoreError::Input(e.to_string()))?;
        progress(Progress::Start { files: files.len() });
        let mut run = Run {
            logged: self.logged_files().await?,
            ranges: self.stored_time_ranges().await?,
            tables: Tables::default(),
            summary: IngestSummary::default(),
        };
        let mut pending: Vec<(String, ReadOutput)> = Vec::new();
        let mut pending_values = 0usize;
        // Files are read (decoded, parsed, hashed) on all cores, a few at a time so that memory
        // holds at most that many files' values beside the batch; batches are committed in
        // file order as before.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        for (f, out) in read_ahead(files, threads) {
            let path = abs(&f);
            progress(Progress::File { path: path.clone() });
            if !opts.force && run.logged.get(&path) == Some(&out.report.sha256) {
                run.summary.files.push(FileOutcome {
                    report: out.report,
                    skipped_unchanged: true,
                    values_new: 0,
                    values_revised: 0,
                    values_unchanged: 0,
                    values_withdrawn: 0,
                });
                continue;
            }
            pending_values += out.observations.len();
            pending.push((path, out));
            if pending.len() >= opts.batch_files.max(1) || pending_values >= opts.batch_values {
                pending_values = 0;
                let batch = std::mem::take(&mut pending);
                self.commit_batch(batch, &mut run, progress).await?;
            }
        }
        if !pending.is_empty() {
            self.commit_batch(pending, &mut run, progress).await?;
        }
        Ok(run.summary)
    }

    /// The `time_end` range of every data file of `observations` per source (from the Parquet
    /// footers' row-group statistics; a file without them counts as all time).
    async fn stored_time_ranges(&self) -> Result<TimeRanges> {
        let mut m = TimeRanges::default();
        let Some(table) = self.table(schema::OBSERVATIONS).await? else {
            return Ok(m);
        };
        let root = self.table_path(schema::OBSERVATIONS);
        let snapshot = table
            .snapshot()
            .map_err(|e| delta_err(schema::OBSERVATIONS, e))?;
        for f in snapshot.log_data().iter() {
            let source = f
                .partition_values_map()
                .get("source")
                .and_then(|s| s.clone())
                .unwrap_or_default();
            let range = crate::matrix::file_time_range(&root.join(f.path().as_ref()))?;
            m.entry(source).or_default().push(range);
        }
        Ok(m)
    }

    /// Path → SHA-256 of the latest log entry of every file.
    async fn logged_files(&self) -> Result<HashMap<String, String>> {
        let mut m = HashMap::new();
        if !self.has_table(schema::INGEST_LOG) {
            return Ok(m);
        }
        let ctx = self.session().await?;
        let batches = ctx
            .sql("SELECT path, sha256 FROM ingest_log ORDER BY batch_id")
            .await?
            .collect()
            .await?;
        for b in batches {
            let p = crate::col::strings(&b, 0);
            let s = crate::col::strings(&b, 1);
            for i in 0..b.num_rows() {
                m.insert(p.value(i).to_string(), s.value(i).to_string());
            }
        }
        Ok(m)
    }

    /// The latest stored revision of every key in the range of a batch.
    async fn stored_state(
        &self,
        sources: &BTreeSet<String>,
        stations: &BTreeSet<String>,
        from: i64,
        to: i64,
        names: &mut Names,
    ) -> Result<KeyMap<Stored>> {
        let mut m: KeyMap<Stored> = KeyMap::default();
        if !self.has_table(schema::OBSERVATIONS) || sources.is_empty() {
            return Ok(m);
        }
        // The range is inclusive of `to`; a selection's end is exclusive.
        let sel = crate::query::Selection {
            sources: sources.iter().cloned().collect(),
            stations: stations.iter().cloned().collect(),
            from: DateTime::from_timestamp_micros(from),
            to: DateTime::from_timestamp_micros(to + 1),
            ..Default::default()
        };
        let q = format!(
            "SELECT source, station, variable, averaging, time_end, value, flag, revision, source_file \
             FROM observations WHERE {}",
            sel.where_clause()
        );
        let ctx = self.session().await?;
        let batches = ctx.sql(&q).await?.collect().await?;
        let intern = |s: &str| -> &'static str {
            // Variable and averaging codes are a small closed set: map back to the model's
            // static codes so keys compare with those of fresh observations.
            s.parse::<lantian_model::Variable>()
                .map(|v| v.code())
                .or_else(|_| s.parse::<lantian_model::Averaging>().map(|a| a.code()))
                .unwrap_or("?")
        };
        for b in batches {
            use crate::col::{f64s, i32s, micros, strings};
            let (src, st, var, avg) = (
                strings(&b, 0),
                strings(&b, 1),
                strings(&b, 2),
                strings(&b, 3),
            );
            let t = micros(&b, 4);
            let v = f64s(&b, 5);
            let fl = strings(&b, 6);
            let rv = i32s(&b, 7);
            let sf = strings(&b, 8);
            for i in 0..b.num_rows() {
                let k: Key = (
                    names.get(src.value(i)),
                    names.get(st.value(i)),
                    intern(var.value(i)),
                    intern(avg.value(i)),
                    t.value(i),
                );
                let s = Stored {
                    value: v.is_valid(i).then(|| v.value(i)),
                    flag: flag_code(fl.value(i)),
                    revision: rv.value(i),
                    source_file: names.get(sf.value(i)),
                };
                match m.get(&k) {
                    Some(prev) if prev.revision >= s.revision => {}
                    _ => {
                        m.insert(k, s);
                    }
                }
            }
        }
        Ok(m)
    }

    async fn commit_batch(
        &self,
        batch: Vec<(String, ReadOutput)>,
        run: &mut Run,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<()> {
        let batch_id = Utc::now().timestamp_millis();
        let mut source_set: foldhash::HashSet<&str> = Default::default();
        let mut station_set: foldhash::HashSet<&str> = Default::default();
        let (mut from, mut to) = (i64::MAX, i64::MIN);
        // Each file's (source, first, last) time: files of one batch that overlap in time may
        // carry the same keys.
        let mut spans: Vec<(&str, i64, i64)> = Vec::new();
        for (_, out) in &batch {
            let (mut lo, mut hi) = (i64::MAX, i64::MIN);
            for o in &out.observations {
                source_set.insert(o.source.code());
                station_set.insert(&o.station);
                let t = o.time_end.timestamp_micros();
                lo = lo.min(t);
                hi = hi.max(t);
            }
            if lo <= hi {
                let source = out.observations[0].source.code();
                if out.observations.iter().any(|o| o.source.code() != source) {
                    spans.push(("", i64::MIN, i64::MAX));
                } else {
                    spans.push((source, lo, hi));
                }
            }
            from = from.min(lo);
            to = to.max(hi);
        }
        let sources: BTreeSet<String> = source_set.into_iter().map(String::from).collect();
        let stations: BTreeSet<String> = station_set.into_iter().map(String::from).collect();
        // A batch of new values only: no file of it was read before, nothing stored meets its
        // time range, and its files do not overlap each other. Every value is then new
        // (revision 0), and the keyed comparison below, the dearest part of an ingest, is
        // skipped; the result is the same.
        let overlaps_store = sources.iter().any(|src| {
            run.ranges
                .get(src)
                .is_some_and(|v| v.iter().any(|&(lo, hi)| hi >= from && lo <= to))
        });
        let overlaps_within = spans.iter().enumerate().any(|(i, a)| {
            spans[..i].iter().any(|b| {
                (a.0.is_empty() || b.0.is_empty() || a.0 == b.0) && a.1 <= b.2 && b.1 <= a.2
            })
        });
        let all_new = !overlaps_store
            && !overlaps_within
            && batch.iter().all(|(p, _)| !run.logged.contains_key(p));
        if all_new {
            drop(spans);
            return self
                .commit_new(batch, &sources, run, (from, to), batch_id, progress)
                .await;
        }
        // Updated as rows are decided, so that two files of one batch carrying the same key
        // (a copy of a file under another path, say) are compared with each other too.
        let mut names = Names::default();
        let mut stored = self
            .stored_state(&sources, &stations, from, to, &mut names)
            .await?;
        let mut rows = Rows::default();
        let mut outcomes = Vec::new();
        for (path, out) in &batch {
            let mut fo = FileOutcome {
                report: out.report.clone(),
                skipped_unchanged: false,
                values_new: 0,
                values_revised: 0,
                values_unchanged: 0,
                values_withdrawn: 0,
            };
            let mut seen = KeySet::default();
            let file: Arc<str> = names.get(path);
            for o in &out.observations {
                let k = names.key(o);
                let rev = match stored.get(&k) {
                    None => {
                        fo.values_new += 1;
                        0
                    }
                    Some(s) if s.value == o.value && s.flag == o.flag.code() => {
                        fo.values_unchanged += 1;
                        seen.insert(k);
                        continue;
                    }
                    Some(s) => {
                        fo.values_revised += 1;
                        s.revision + 1
                    }
                };
                stored.insert(
                    k.clone(),
                    Stored {
                        value: o.value,
                        flag: o.flag.code(),
                        revision: rev,
                        source_file: file.clone(),
                    },
                );
                seen.insert(k);
                rows.push(o, path, rev, batch_id);
            }
            // A re-published file (same path, new content): values it no longer carries are
            // withdrawn, never deleted.
            if run.logged.contains_key(path) {
                for (k, s) in &stored {
                    if *s.source_file == **path
                        && !seen.contains(k)
                        && s.flag != Flag::Withdrawn.code()
                    {
                        let o = Observation {
                            source: lantian_model::Source::from_code(&k.0),
                            station: k.1.clone(),
                            variable: k.2.parse().map_err(StoreError::Input)?,
                            averaging: k.3.parse().map_err(StoreError::Input)?,
                            time_end: DateTime::from_timestamp_micros(k.4).unwrap_or_default(),
                            value: None,
                            unit: k
                                .2
                                .parse::<lantian_model::Variable>()
                                .map_err(StoreError::Input)?
                                .unit(),
                            flag: Flag::Withdrawn,
                            flag_reason: Some(format!(
                                "no longer in the re-published file (was {})",
                                s.value.map_or("empty".into(), |v| v.to_string())
                            )),
                            source_file: Arc::from(path.as_str()),
                            source_line: 0,
                        };
                        rows.push(&o, path, s.revision + 1, batch_id);
                        fo.values_withdrawn += 1;
                    }
                }
            }
            outcomes.push((path.clone(), fo));
        }
        let n_rows = rows.len();
        if n_rows > 0 {
            let rb = rows.finish()?;
            self.append_to(&mut run.tables, schema::OBSERVATIONS, rb, Some("source"))
                .await?;
            for src in &sources {
                run.ranges.entry(src.clone()).or_default().push((from, to));
            }
        }
        self.finish_batch(outcomes, batch.len(), n_rows, batch_id, run, progress)
            .await
    }

    /// Commit a batch whose values are all new (see `commit_batch`).
    async fn commit_new(
        &self,
        batch: Vec<(String, ReadOutput)>,
        sources: &BTreeSet<String>,
        run: &mut Run,
        (from, to): (i64, i64),
        batch_id: i64,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<()> {
        let mut rows = Rows::default();
        let mut outcomes = Vec::new();
        let n_files = batch.len();
        for (path, out) in batch {
            let fo = FileOutcome {
                values_new: out.observations.len() as u64,
                report: out.report,
                skipped_unchanged: false,
                values_revised: 0,
                values_unchanged: 0,
                values_withdrawn: 0,
            };
            let file = rows.file(&path);
            for o in out.observations {
                rows.push_owned(o, file, 0, batch_id);
            }
            outcomes.push((path, fo));
        }
        let n_rows = rows.len();
        if n_rows > 0 {
            let rb = rows.finish()?;
            self.append_to(&mut run.tables, schema::OBSERVATIONS, rb, Some("source"))
                .await?;
            for src in sources {
                run.ranges.entry(src.clone()).or_default().push((from, to));
            }
        }
        self.finish_batch(outcomes, n_files, n_rows, batch_id, run, progress)
            .await
    }

    /// Log the batch's files and add up its outcomes.
    async fn finish_batch(
        &self,
        outcomes: Vec<(String, FileOutcome)>,
        n_files: usize,
        n_rows: usize,
        batch_id: i64,
        run: &mut Run,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<()> {
        let now = Utc::now().timestamp_micros();
        let log = log_batch(&outcomes, batch_id, now)?;
        self.append_to(&mut run.tables, schema::INGEST_LOG, log, None)
            .await?;
        let summary = &mut run.summary;
        for (_, fo) in outcomes {
            summary.values_new += fo.values_new;
            summary.values_revised += fo.values_revised;
            summary.values_unchanged += fo.values_unchanged;
            summary.values_withdrawn += fo.values_withdrawn;
            summary.files.push(fo);
        }
        summary.batches += 1;
        progress(Progress::Committed {
            files: n_files,
            rows: n_rows,
        });
        Ok(())
    }

    /// [`Store::append`] through the tables an ingest keeps open: the table is loaded once per
    /// ingest and carried from commit to commit (the write returns the new version), instead
    /// of replaying the whole Delta log before every commit, which made a year of daily
    /// commits quadratic.
    async fn append_to(
        &self,
        tables: &mut Tables,
        name: &'static str,
        rb: RecordBatch,
        partition: Option<&str>,
    ) -> Result<()> {
        let table = match tables.remove(name) {
            Some(t) => t,
            None => deltalake::DeltaTable::try_from_url(self.table_url(name)?)
                .await
                .map_err(|e| delta_err(name, e))?,
        };
        let mut w = table.write(vec![rb]).with_save_mode(SaveMode::Append);
        if let Some(p) = partition {
            w = w.with_partition_columns(vec![p.to_string()]);
        }
        if name == schema::OBSERVATIONS {
            w = w.with_writer_properties(observation_writer_properties());
        }
        let table = w.await.map_err(|e| delta_err(name, e))?;
        tables.insert(name, table);
        Ok(())
    }

    /// Append a record batch to a table (creating it on first use) in one Delta commit.
    pub(crate) async fn append(
        &self,
        name: &'static str,
        rb: RecordBatch,
        partition: Option<&str>,
    ) -> Result<()> {
        self.append_to(&mut Tables::default(), name, rb, partition)
            .await
    }
}

/// How `observations` files are written. Rows arrive sorted by station (see `Rows::finish`);
/// row groups of 64 Ki rows then each cover a few dozen stations of a national day file (about
/// 600,000 values), and their `station` and `time_end` statistics let a reader skip the rest.
/// zstd level 1: ingest is write-bound, and level 1 keeps most of level 3's size (the
/// DataFusion default) at a fraction of its time.
fn observation_writer_properties() -> parquet::file::properties::WriterProperties {
    use parquet::basic::{Compression, ZstdLevel};
    parquet::file::properties::WriterProperties::builder()
        .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
        .set_compression(Compression::ZSTD(
            ZstdLevel::try_new(1).expect("zstd level 1"),
        ))
        .build()
}

/// Rows per row group of an `observations` file.
pub const ROW_GROUP_ROWS: usize = 64 * 1024;

/// The tables an ingest has open, by name.
type Tables = HashMap<&'static str, deltalake::DeltaTable>;

/// The state of one ingest, carried from batch to batch.
struct Run {
    /// Path → SHA-256 of the files logged before this ingest.
    logged: HashMap<String, String>,
    /// Time ranges stored, per source: a batch that meets none of them (and no file read
    /// before) cannot revise anything, so its stored state need not be queried.
    ranges: TimeRanges,
    tables: Tables,
    summary: IngestSummary,
}

/// Stored time ranges (µs, inclusive) per source.
type TimeRanges = HashMap<String, Vec<(i64, i64)>>;

/// Read `files` on `threads` threads, `threads` files at a time, yielding them in order. The
/// reading runs on its own threads, one group of files ahead of the caller, so that files are
/// parsed while the previous ones are committed.
fn read_ahead(files: Vec<PathBuf>, threads: usize) -> impl Iterator<Item = (PathBuf, ReadOutput)> {
    // Rendezvous: a group is handed over when the caller asks for it, so at most the group
    // being read and the one being committed are in memory.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<(PathBuf, ReadOutput)>>(0);
    std::thread::spawn(move || {
        for chunk in files.chunks(threads.max(1)) {
            let outs: Vec<ReadOutput> = std::thread::scope(|s| {
                let handles: Vec<_> = chunk
                    .iter()
                    .map(|f| s.spawn(move || lantian_ingest::read_file(f)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("file reader thread panicked"))
                    .collect()
            });
            // The receiver is gone when the ingest stopped on an error: stop reading.
            if tx.send(chunk.iter().cloned().zip(outs).collect()).is_err() {
                break;
            }
        }
    });
    rx.into_iter().flatten()
}

/// Column builders for observation rows. Source and file names are kept once per batch and
/// referred to by number; a row's strings are copied into the Arrow buffers only when the batch
/// is finished.
#[derive(Default)]
struct Rows {
    names: Vec<String>,
    name_index: HashMap<String, u32>,
    source: Vec<u32>,
    station: Vec<Arc<str>>,
    variable: Vec<&'static str>,
    averaging: Vec<&'static str>,
    time_end: Vec<i64>,
    value: Vec<Option<f64>>,
    unit: Vec<&'static str>,
    flag: Vec<&'static str>,
    flag_reason: Vec<Option<String>>,
    revision: Vec<i32>,
    batch_id: Vec<i64>,
    source_file: Vec<u32>,
    source_line: Vec<i64>,
}

impl Rows {
    fn len(&self) -> usize {
        self.source.len()
    }

    /// The number of a source or file name.
    fn file(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.name_index.get(name) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(name.to_string());
        self.name_index.insert(name.to_string(), i);
        i
    }

    fn push(&mut self, o: &Observation, path: &str, revision: i32, batch_id: i64) {
        let file = self.file(path);
        self.push_owned(o.clone(), file, revision, batch_id);
    }

    fn push_owned(&mut self, o: Observation, file: u32, revision: i32, batch_id: i64) {
        let source = self.file(o.source.code());
        self.source.push(source);
        self.station.push(o.station);
        self.variable.push(o.variable.code());
        self.averaging.push(o.averaging.code());
        self.time_end.push(o.time_end.timestamp_micros());
        self.value.push(o.value);
        self.unit.push(o.unit.code());
        self.flag.push(o.flag.code());
        self.flag_reason.push(o.flag_reason);
        self.revision.push(revision);
        self.batch_id.push(batch_id);
        self.source_file.push(file);
        self.source_line.push(o.source_line as i64);
    }

    /// The rows as a record batch sorted by station (rows of one station keep their order: a
    /// file's values come sorted by variable, averaging and time from its reader). With the
    /// data file's row groups each covering a narrow station range, a query of a few stations
    /// decodes only their row groups (see `matrix`). Stations are compared by rank, not by
    /// string, and a batch already in order (one national file) is not copied.
    fn finish(self) -> Result<RecordBatch> {
        let rb = self.finish_unsorted()?;
        let st = crate::col::strings(&rb, 1);
        let mut rank: foldhash::HashMap<&str, u32> = Default::default();
        for s in st.iter().flatten() {
            let n = rank.len() as u32;
            rank.entry(s).or_insert(n);
        }
        let mut names: Vec<&str> = rank.keys().copied().collect();
        names.sort_unstable();
        for (i, n) in names.iter().enumerate() {
            rank.insert(n, i as u32);
        }
        let keys: Vec<u32> = (0..rb.num_rows()).map(|i| rank[st.value(i)]).collect();
        if keys.is_sorted() {
            return Ok(rb);
        }
        let mut order: Vec<(u32, u32)> = keys
            .iter()
            .enumerate()
            .map(|(i, &k)| (k, i as u32))
            .collect();
        order.sort_unstable();
        let idx =
            deltalake::arrow::array::UInt32Array::from_iter_values(order.into_iter().map(|x| x.1));
        Ok(deltalake::arrow::compute::take_record_batch(&rb, &idx)?)
    }

    fn finish_unsorted(self) -> Result<RecordBatch> {
        let names = &self.names;
        let by_number = |v: &[u32]| {
            StringArray::from_iter_values(v.iter().map(|&i| names[i as usize].as_str()))
        };
        let cols: Vec<ArrayRef> = vec![
            Arc::new(by_number(&self.source)),
            Arc::new(StringArray::from_iter_values(
                self.station.iter().map(|s| &**s),
            )),
            Arc::new(StringArray::from(self.variable)),
            Arc::new(StringArray::from(self.averaging)),
            Arc::new(TimestampMicrosecondArray::from(self.time_end).with_timezone("UTC")),
            Arc::new(Float64Array::from(self.value)),
            Arc::new(StringArray::from(self.unit)),
            Arc::new(StringArray::from(self.flag)),
            Arc::new(StringArray::from(self.flag_reason)),
            Arc::new(Int32Array::from(self.revision)),
            Arc::new(Int64Array::from(self.batch_id)),
            Arc::new(by_number(&self.source_file)),
            Arc::new(Int64Array::from(self.source_line)),
        ];
        Ok(RecordBatch::try_new(schema::observations(), cols)?)
    }
}

fn log_batch(outcomes: &[(String, FileOutcome)], batch_id: i64, now: i64) -> Result<RecordBatch> {
    let n = outcomes.len();
    let r = |f: &dyn Fn(&FileOutcome) -> i64| -> ArrayRef {
        Arc::new(Int64Array::from(
            outcomes.iter().map(|(_, o)| f(o)).collect::<Vec<_>>(),
        ))
    };
    let cols: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from(
            outcomes.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>(),
        )),
        r(&|o| o.report.bytes as i64),
        Arc::new(StringArray::from(
            outcomes
                .iter()
                .map(|(_, o)| o.report.sha256.clone())
                .collect::<Vec<_>>(),
        )),
        Arc::new(StringArray::from(
            outcomes
                .iter()
                .map(|(_, o)| o.report.format.map(|f| f.code().to_string()))
                .collect::<Vec<_>>(),
        )),
        Arc::new(StringArray::from(
            outcomes
                .iter()
                .map(|(_, o)| match o.report.status {
                    FileStatus::Read => "ingested",
                    FileStatus::Rejected(_) => "rejected",
                })
                .collect::<Vec<_>>(),
        )),
        Arc::new(StringArray::from(
            outcomes
                .iter()
                .map(|(_, o)| match &o.report.status {
                    FileStatus::Read => None,
                    FileStatus::Rejected(r) => Some(r.to_string()),
                })
                .collect::<Vec<_>>(),
        )),
        r(&|o| o.report.rows as i64),
        r(&|o| o.report.values as i64),
        r(&|o| o.values_new as i64),
        r(&|o| o.values_revised as i64),
        r(&|o| o.values_unchanged as i64),
        r(&|o| o.values_withdrawn as i64),
        r(&|o| o.report.diagnostics.len() as i64),
        Arc::new(Int64Array::from(vec![batch_id; n])),
        Arc::new(TimestampMicrosecondArray::from(vec![now; n]).with_timezone("UTC")),
    ];
    Ok(RecordBatch::try_new(schema::ingest_log(), cols)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_same_file_twice_in_one_batch_is_stored_once() {
        let tmp = tempfile::tempdir().unwrap();
        let text = "date,hour,type,东城东四,东城天坛\n20230101,1,PM2.5,5,6\n20230101,2,PM2.5,7,\n";
        for d in ["a", "b"] {
            std::fs::create_dir_all(tmp.path().join(d)).unwrap();
            std::fs::write(tmp.path().join(d).join("beijing_all_20230101.csv"), text).unwrap();
        }
        let store = Store::open(&tmp.path().join("store")).await.unwrap();
        let s = store
            .ingest(
                &[tmp.path().join("a"), tmp.path().join("b")],
                &IngestOptions::default(),
                &mut |_| {},
            )
            .await
            .unwrap();
        assert_eq!(s.batches, 1);
        assert_eq!(
            (s.values_new, s.values_unchanged, s.values_revised),
            (3, 3, 0)
        );
        let b = store
            .sql("SELECT COUNT(*) FROM observations")
            .await
            .unwrap();
        assert_eq!(crate::col::i64s(&b[0], 0).value(0), 3);
    }
}
