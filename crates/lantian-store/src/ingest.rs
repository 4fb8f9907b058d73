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
//! A batch of new values only (the usual case: files not seen before) is written as data files
//! at once but committed later, together with the batches that follow it, up to `batch_files`
//! files per commit: a Delta commit costs more the more files the table holds, and a national
//! year of daily files committed one by one spent a third of its time committing. A batch that
//! must be compared with the store first commits what is pending, so that it compares with
//! everything read before it.
//!
//! A commit is two Delta commits: first the values (`observations`), then the files
//! (`ingest_log`). A process killed before the first leaves nothing visible (the written data
//! files are in no commit); killed between the two, the files are not logged, so a re-run reads
//! them again, finds every value `unchanged`, and logs them. Either way a re-run completes the
//! ingest and nothing is doubled.

use crate::layout::{Dims, flag_code};
use crate::schema;
use crate::{Result, Store, StoreError, delta_err};
use chrono::Utc;
use deltalake::arrow::array::{
    Array, ArrayRef, AsArray, Float64Array, Int8Array, Int32Array, Int64Array, RecordBatch,
    StringArray, TimestampMicrosecondArray,
};
use deltalake::protocol::SaveMode;
use lantian_ingest::{FileReport, FileStatus, ReadColumns};
use lantian_model::{Flag, ObservationColumns};
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

/// Options of an ingest.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Files per batch, and per commit (a commit may gather several batches of new values).
    pub batch_files: usize,
    /// Values per batch: a batch is compared and written once it holds this many values,
    /// whatever the number of files, which bounds memory (a UCI file alone holds 420,000
    /// values).
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
    /// Files and their values were committed.
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
    /// Batches compared and written.
    pub batches: u64,
    /// Commits (each a commit of values, then one of the files' log rows).
    pub commits: u64,
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

/// The value key in the store's keys: (site, variable at its averaging, `time_end` µs). A site
/// is one source's station, so this is the key (source, station, variable, averaging,
/// `time_end`) in sixteen bytes that hash and compare as integers.
type Key = (i32, i32, i64);

/// Keyed maps of an ingest use foldhash (hashbrown's default hasher): SipHash over the keys was
/// the largest cost of an ingest (13 % of the time).
type KeyMap<V> = foldhash::HashMap<Key, V>;
type KeySet = foldhash::HashSet<Key>;

/// The latest stored state of one key.
#[derive(Debug, Clone, Copy)]
struct Stored {
    value: Option<f64>,
    flag: Flag,
    revision: i32,
    file: i32,
}

/// The site and variable key of every value of a file's columns, names not yet keyed added to
/// `dims` (new sites in name order, so that one network's sites get consecutive keys).
fn key_columns(c: &ObservationColumns, dims: &mut Dims) -> Result<(Vec<i32>, Vec<i32>)> {
    let n = c.len();
    let mut pairs: Vec<(u16, u32)> = Vec::new();
    let mut seen: foldhash::HashSet<(u16, u32)> = Default::default();
    let mut last = None;
    for i in 0..n {
        let p = (c.source[i], c.station[i]);
        if last != Some(p) {
            last = Some(p);
            if seen.insert(p) {
                pairs.push(p);
            }
        }
    }
    pairs.sort_unstable_by(|a, b| {
        (c.sources[a.0 as usize].code(), &*c.stations[a.1 as usize])
            .cmp(&(c.sources[b.0 as usize].code(), &*c.stations[b.1 as usize]))
    });
    let mut site_of: foldhash::HashMap<(u16, u32), i32> = Default::default();
    for p in pairs {
        let id = dims.site(c.sources[p.0 as usize].code(), &c.stations[p.1 as usize])?;
        site_of.insert(p, id);
    }
    let mut site = Vec::with_capacity(n);
    let mut last = ((u16::MAX, u32::MAX), 0);
    for i in 0..n {
        let p = (c.source[i], c.station[i]);
        if p != last.0 {
            last = (p, site_of[&p]);
        }
        site.push(last.1);
    }
    let mut variable = Vec::with_capacity(n);
    let mut last = None;
    for i in 0..n {
        let k = (c.variable[i], c.averaging[i], c.unit[i]);
        let id = match last {
            Some((lk, id)) if lk == k => id,
            // Once per run of one variable: `Dims::variable` refuses a second unit.
            _ => {
                let id = dims.variable(k.0.code(), k.1.code(), k.2.code())?;
                last = Some((k, id));
                id
            }
        };
        variable.push(id);
    }
    Ok((site, variable))
}

pub(crate) struct Lock {
    _file: std::fs::File,
}

/// The store's single-writer lock (an OS lock on `<store>/LOCK`), held until dropped; the
/// operating system releases it when the process ends, killed or not.
pub(crate) fn lock(store: &Store) -> Result<Lock> {
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
    /// Ingest files and folders (recursively). A write that meets a full or read-only disk is
    /// [`StoreError::DiskFull`] or [`StoreError::NotWritable`]; the store is then as at its
    /// last commit, and a rerun goes on from there.
    pub async fn ingest(
        &self,
        paths: &[PathBuf],
        opts: &IngestOptions,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<IngestSummary> {
        self.ingest_locked(paths, opts, progress)
            .await
            .map_err(|e| e.on_write(self.root()))
    }

    async fn ingest_locked(
        &self,
        paths: &[PathBuf],
        opts: &IngestOptions,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<IngestSummary> {
        let _lock = lock(self)?;
        self.require_keyed()?;
        let files =
            lantian_ingest::discover(paths).map_err(|e| StoreError::Input(e.to_string()))?;
        progress(Progress::Start { files: files.len() });
        let mut run = Run {
            logged: self.logged_files().await?,
            ranges: self.stored_time_ranges().await?,
            tables: Tables::default(),
            dims: Dims::load(self).await?,
            rows: RowsWriter::default(),
            summary: IngestSummary::default(),
            pending: Pending::default(),
            commit_files: opts.batch_files.max(1),
            last_batch_id: 0,
        };
        let mut pending: Vec<(String, ReadColumns)> = Vec::new();
        let mut pending_values = 0usize;
        // Files are read (decoded, parsed, hashed) on all cores, a few at a time so that memory
        // holds at most that many files' values beside the batch; batches are committed in
        // file order as before.
        for (f, out) in read_ahead(files, cores()) {
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
            pending_values += out.columns.len();
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
        self.flush(&mut run, progress).await?;
        Ok(run.summary)
    }

    /// The `time_end` and `variable_id` ranges of every data file of `observation_rows` per
    /// source (from the Parquet footers' row-group statistics; a file without them counts as
    /// all times and variables).
    async fn stored_time_ranges(&self) -> Result<TimeRanges> {
        let mut m = TimeRanges::default();
        for (path, source) in crate::layout::data_files(self, schema::OBSERVATION_ROWS).await? {
            let span = crate::matrix::file_span(&path)?;
            m.entry(source).or_default().push(span);
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

    /// The latest stored revision of every key of `sites` whose `time_end` lies in `[from, to]`,
    /// read from the keyed rows without their names.
    async fn stored_state(
        &self,
        sources: &BTreeSet<String>,
        sites: &[i32],
        from: i64,
        to: i64,
    ) -> Result<KeyMap<Stored>> {
        let mut m: KeyMap<Stored> = KeyMap::default();
        if !self.has_table(schema::OBSERVATION_ROWS) || sources.is_empty() || sites.is_empty() {
            return Ok(m);
        }
        let list = |v: Vec<String>| v.join(", ");
        let q = format!(
            "SELECT site_id, variable_id, time_end, value, flag_code, revision, file_id \
             FROM observation_rows WHERE source IN ({}) AND site_id IN ({}) \
             AND time_end >= to_timestamp_micros({from}) AND time_end <= to_timestamp_micros({to})",
            list(
                sources
                    .iter()
                    .map(|s| format!("'{}'", s.replace('\'', "''")))
                    .collect()
            ),
            list(sites.iter().map(i32::to_string).collect()),
        );
        let ctx = self.session().await?;
        let batches = ctx.sql(&q).await?.collect().await?;
        for b in batches {
            use crate::col::{f64s, i32s, micros};
            let (site, var, t, v) = (i32s(&b, 0), i32s(&b, 1), micros(&b, 2), f64s(&b, 3));
            let flag = deltalake::arrow::compute::cast(
                b.column(4),
                &deltalake::arrow::datatypes::DataType::Int8,
            )?;
            let flag = flag.as_primitive::<deltalake::arrow::datatypes::Int8Type>();
            let (rev, file) = (i32s(&b, 5), i32s(&b, 6));
            for i in 0..b.num_rows() {
                let k: Key = (site.value(i), var.value(i), t.value(i));
                let s = Stored {
                    value: v.is_valid(i).then(|| v.value(i)),
                    flag: crate::layout::flag_of_code(flag.value(i)).ok_or_else(|| {
                        StoreError::Query(format!(
                            "observation_rows: flag code {} is not one of 0-3",
                            flag.value(i)
                        ))
                    })?,
                    revision: rev.value(i),
                    file: file.value(i),
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
        batch: Vec<(String, ReadColumns)>,
        run: &mut Run,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<()> {
        // Milliseconds since the epoch, distinct from the previous batch's even when two batches
        // begin in the same millisecond (a commit may now hold several batches).
        let batch_id = Utc::now().timestamp_millis().max(run.last_batch_id + 1);
        run.last_batch_id = batch_id;
        let mut source_set: foldhash::HashSet<&str> = Default::default();
        let keyed = batch
            .iter()
            .map(|(_, out)| key_columns(&out.columns, &mut run.dims))
            .collect::<Result<Vec<_>>>()?;
        // Each file's span (first and last time, lowest and highest variable) and its (site,
        // variable) pairs, sorted: two files of one batch can carry the same key only when both
        // overlap (BJMEMC's two files of a day share its hours but no variable).
        let mut spans: Vec<(Span, Vec<(i32, i32)>)> = Vec::new();
        for ((_, out), (site, variable)) in batch.iter().zip(&keyed) {
            let c = &out.columns;
            source_set.extend(c.present_sources().into_iter().map(|s| s.code()));
            let (lo, hi) = c.time_range().unwrap_or((i64::MAX, i64::MIN));
            if lo <= hi {
                let mut pairs: Vec<(i32, i32)> = Vec::new();
                for (&s, &v) in site.iter().zip(variable) {
                    if pairs.last() != Some(&(s, v)) {
                        pairs.push((s, v));
                    }
                }
                pairs.sort_unstable();
                pairs.dedup();
                let (vlo, vhi) = variable
                    .iter()
                    .fold((i32::MAX, i32::MIN), |(a, b), &v| (a.min(v), b.max(v)));
                spans.push(((lo, hi, vlo, vhi), pairs));
            }
        }
        let sources: BTreeSet<String> = source_set.into_iter().map(String::from).collect();
        // A batch of new values only: no file of it was read before, no stored span meets the
        // times and variables of any of its files, and no two of its files could carry the same
        // key. Every value is then new (revision 0), and the keyed comparison below, the
        // dearest part of an ingest, is skipped; the result is the same. Spans are kept per
        // file, not per batch: BJMEMC's folders list a year's `beijing_all` files before its
        // `beijing_extra` files of the same days, so the batch that holds December's last `all`
        // files and January's first `extra` files spans the whole year and every variable,
        // while each of its files spans a day and one file's variables.
        let meets = |a: &Span, b: &Span| a.1 >= b.0 && a.0 <= b.1 && a.3 >= b.2 && a.2 <= b.3;
        let overlaps_store = sources.iter().any(|src| {
            run.ranges.get(src).is_some_and(|stored| {
                spans
                    .iter()
                    .any(|(f, _)| stored.iter().any(|s| meets(s, f)))
            })
        });
        let share = |a: &[(i32, i32)], b: &[(i32, i32)]| {
            let (mut i, mut j) = (0, 0);
            while i < a.len() && j < b.len() {
                match a[i].cmp(&b[j]) {
                    std::cmp::Ordering::Less => i += 1,
                    std::cmp::Ordering::Greater => j += 1,
                    std::cmp::Ordering::Equal => return true,
                }
            }
            false
        };
        let overlaps_within = spans.iter().enumerate().any(|(i, a)| {
            spans[..i]
                .iter()
                .any(|b| a.0.0 <= b.0.1 && b.0.0 <= a.0.1 && share(&a.1, &b.1))
        });
        let all_new = !overlaps_store
            && !overlaps_within
            && batch.iter().all(|(p, _)| !run.logged.contains_key(p));
        let file_spans: Vec<Span> = spans.into_iter().map(|(s, _)| s).collect();
        let (from, to) = file_spans
            .iter()
            .fold((i64::MAX, i64::MIN), |(a, b), s| (a.min(s.0), b.max(s.1)));
        if all_new {
            return self
                .commit_new(batch, keyed, &sources, run, file_spans, batch_id, progress)
                .await;
        }
        // The comparison reads the store: what earlier batches wrote is committed first.
        self.flush(run, progress).await?;
        let mut sites: Vec<i32> = keyed.iter().flat_map(|k| k.0.iter().copied()).collect();
        sites.sort_unstable();
        sites.dedup();
        // Updated as rows are decided, so that two files of one batch carrying the same key
        // (a copy of a file under another path, say) are compared with each other too.
        let mut stored = self.stored_state(&sources, &sites, from, to).await?;
        let mut rows = Rows::new(batch_id);
        let mut outcomes = Vec::new();
        for ((path, out), (site, variable)) in batch.iter().zip(keyed) {
            let mut fo = FileOutcome {
                report: out.report.clone(),
                skipped_unchanged: false,
                values_new: 0,
                values_revised: 0,
                values_unchanged: 0,
                values_withdrawn: 0,
            };
            let c = &out.columns;
            let file = run.dims.file(path)?;
            // What the file still carries matters only to a file read before (withdrawals).
            let republished = run.logged.contains_key(path);
            let mut seen = KeySet::default();
            stored.reserve(c.len());
            let mut reasons = c.flag_reason.iter().peekable();
            for i in 0..c.len() {
                let reason = match reasons.peek() {
                    Some((r, _)) if *r as usize == i => reasons.next().map(|(_, s)| s.as_str()),
                    _ => None,
                };
                let k: Key = (site[i], variable[i], c.time_end[i]);
                let (value, flag) = (c.value(i), c.flag[i]);
                let rev = match stored.get(&k) {
                    None => {
                        fo.values_new += 1;
                        0
                    }
                    Some(s) if s.value == value && s.flag == flag => {
                        fo.values_unchanged += 1;
                        if republished {
                            seen.insert(k);
                        }
                        continue;
                    }
                    Some(s) => {
                        fo.values_revised += 1;
                        s.revision + 1
                    }
                };
                stored.insert(
                    k,
                    Stored {
                        value,
                        flag,
                        revision: rev,
                        file,
                    },
                );
                if republished {
                    seen.insert(k);
                }
                rows.push(
                    k,
                    value,
                    flag,
                    reason.map(str::to_string),
                    rev,
                    file,
                    c.source_line[i],
                );
            }
            // A re-published file (same path, new content): values it no longer carries are
            // withdrawn, never deleted.
            if republished {
                for (k, s) in &stored {
                    if s.file == file && !seen.contains(k) && s.flag != Flag::Withdrawn {
                        let reason = format!(
                            "no longer in the re-published file (was {})",
                            s.value.map_or("empty".into(), |v| v.to_string())
                        );
                        rows.push(
                            *k,
                            None,
                            Flag::Withdrawn,
                            Some(reason),
                            s.revision + 1,
                            file,
                            0,
                        );
                        fo.values_withdrawn += 1;
                    }
                }
            }
            outcomes.push((path.clone(), fo));
        }
        let n_rows = rows.len();
        if n_rows > 0 {
            let parts = rows.finish(&run.dims, cores())?;
            run.rows.write(self, parts).await?;
            for src in &sources {
                run.ranges
                    .entry(src.clone())
                    .or_default()
                    .extend_from_slice(&file_spans);
            }
        }
        self.finish_batch(outcomes, batch.len(), n_rows, batch_id, run, progress)
            .await
    }

    /// Commit a batch whose values are all new (see `commit_batch`).
    #[allow(clippy::too_many_arguments)]
    async fn commit_new(
        &self,
        batch: Vec<(String, ReadColumns)>,
        keyed: Vec<(Vec<i32>, Vec<i32>)>,
        sources: &BTreeSet<String>,
        run: &mut Run,
        file_spans: Vec<Span>,
        batch_id: i64,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<()> {
        let mut rows = Rows::new(batch_id);
        let mut outcomes = Vec::new();
        let n_files = batch.len();
        for ((path, out), (site, variable)) in batch.into_iter().zip(keyed) {
            let fo = FileOutcome {
                values_new: out.columns.len() as u64,
                report: out.report,
                skipped_unchanged: false,
                values_revised: 0,
                values_unchanged: 0,
                values_withdrawn: 0,
            };
            let file = run.dims.file(&path)?;
            rows.push_columns(out.columns, site, variable, file);
            outcomes.push((path, fo));
        }
        let n_rows = rows.len();
        if n_rows > 0 {
            let parts = rows.finish(&run.dims, cores())?;
            run.rows.write(self, parts).await?;
            for src in sources {
                run.ranges
                    .entry(src.clone())
                    .or_default()
                    .extend_from_slice(&file_spans);
            }
        }
        self.finish_batch(outcomes, n_files, n_rows, batch_id, run, progress)
            .await
    }

    /// Log the batch's files (with the next commit) and add up its outcomes; commit once
    /// `batch_files` files are pending.
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
        run.pending.log.push(log_batch(&outcomes, batch_id, now)?);
        run.pending.files += n_files;
        run.pending.rows += n_rows;
        let summary = &mut run.summary;
        for (_, fo) in outcomes {
            summary.values_new += fo.values_new;
            summary.values_revised += fo.values_revised;
            summary.values_unchanged += fo.values_unchanged;
            summary.values_withdrawn += fo.values_withdrawn;
            summary.files.push(fo);
        }
        summary.batches += 1;
        if run.pending.files >= run.commit_files {
            self.flush(run, progress).await?;
        }
        Ok(())
    }

    /// Commit what is pending: the data files written (one `observations` commit), then the
    /// log rows of their files (one `ingest_log` commit).
    async fn flush(
        &self,
        run: &mut Run,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<()> {
        let pending = std::mem::take(&mut run.pending);
        if pending.log.is_empty() && run.rows.is_idle() {
            return Ok(());
        }
        // Names before the rows that use them: a reader never meets a key it cannot name.
        for (name, rb) in run.dims.pending()? {
            self.append_to(&mut run.tables, name, rb, None).await?;
        }
        run.dims.mark_committed();
        run.rows.commit().await?;
        if !pending.log.is_empty() {
            let log =
                deltalake::arrow::compute::concat_batches(&schema::ingest_log(), &pending.log)?;
            self.append_to(&mut run.tables, schema::INGEST_LOG, log, None)
                .await?;
        }
        run.summary.commits += 1;
        progress(Progress::Committed {
            files: pending.files,
            rows: pending.rows,
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

/// How `observation_rows` files are written. Rows arrive sorted by site key (see
/// `Rows::finish`); row groups of 64 Ki rows then each cover a few dozen sites of a national day
/// file (about 600,000 values), and their `site_id` and `time_end` statistics let a reader skip
/// the rest.
///
/// Every column is an integer or a number, so none is dictionary-encoded: the writer would hash
/// every value to build a dictionary of what is already a small number. Each column gets the
/// encoding that suits how it varies along the sorted rows:
///
/// - the keys that run (site, variable, flag code, revision, batch, file: one value for
///   hundreds or millions of rows) are written plain and left to LZ4, which codes a run as one
///   match. Against DELTA_BINARY_PACKED (a block of bit width zero per run) a national day's
///   file is 4 % larger and written a third faster: arrow-rs's delta encoder visits every value three
///   times and packs it bit by bit, about 7 ns a value, which made it the largest single cost of
///   a national ingest (a fifth of its CPU time);
/// - the quantities that step (hours, lines) are delta-encoded (DELTA_BINARY_PACKED) where they
///   keep stepping: consecutive hours and lines are a constant step, which plain bytes plus LZ4
///   would code only where the same hours repeat within its 64 KiB window (a multi-year series
///   does not). Where they do repeat, they are written plain and left to LZ4 like the keys (see
///   [`StepEncodings`]): a national day file holds the same 24 hours and the same few hundred
///   lines for every station, so each station's hours and lines are a match of the last
///   station's, and the delta encoder's bit packing (8 % of a national ingest's CPU time)
///   is spared;
/// - values are split by byte (BYTE_STREAM_SPLIT: the sign-and-exponent bytes of every value
///   together, then the next bytes...), which the compressor then shrinks where a float's plain
///   bytes would not compress;
/// - the flag reasons (null for nearly every row, a few distinct texts) keep a dictionary.
///
/// Statistics (the minimum and maximum of each row group and page) are kept for the columns a
/// reader prunes by (site, variable, hour) and for the values; for the rest no query prunes by
/// them, and computing them was a fifth of the writing. LZ4 (`LZ4_RAW`) over all: against zstd
/// level 1 it made the store about 10 % larger and the reads 17–23 % faster (decompression).
///
/// Pages hold up to [`PAGE_ROWS`] rows, handed to the column writers that many at a time (a
/// row group is eight pages), and every column's pages start at the same rows. A page is the
/// smallest part a reader can skip: the page index (each page's first row and, for the pruned
/// columns, its minimum and maximum) lets a read of a few hundred stations decode their pages
/// only (see `matrix`). With 32,768-row pages a national network-year read 256 stations at a
/// time decoded a third more rows than it used (a chunk's edge falls inside a page of each
/// file), with 8,192-row pages a twelfth; the files are 1.5 % larger and were written as fast
/// (32.8–33.8 against 34.1–34.5 ns a row, three national day files, one thread). arrow-rs's
/// defaults (pages cut at 20,000 rows, values handed over 1,024 at a time, each hand-over
/// checking the page's size and updating its statistics) encoded the same files 9–10 % slower
/// (37.3–37.9 ns a row) into files 1–2 % larger.
/// Readers: arrow-rs/DataFusion, pyarrow, polars, DuckDB, Spark 3.4 or later.
pub(crate) fn observation_writer_properties(
    steps: StepEncodings,
) -> parquet::file::properties::WriterProperties {
    use parquet::basic::{Compression, Encoding};
    use parquet::file::properties::EnabledStatistics;
    use parquet::schema::types::ColumnPath;
    let mut b = parquet::file::properties::WriterProperties::builder()
        // Data pages of format version 2: their values are compressed straight from the
        // encoder's buffer, where a version 1 page first copies them after the levels and then
        // grows the compressed buffer past its size, copying again.
        .set_writer_version(parquet::file::properties::WriterVersion::PARQUET_2_0)
        .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
        .set_data_page_row_count_limit(PAGE_ROWS)
        .set_write_batch_size(PAGE_ROWS)
        .set_compression(Compression::LZ4_RAW)
        .set_dictionary_enabled(false)
        .set_column_dictionary_enabled(ColumnPath::from("flag_reason"), true);
    for c in OBSERVATION_RUNS {
        b = b.set_column_encoding(ColumnPath::from(c), Encoding::PLAIN);
    }
    for (c, plain) in OBSERVATION_STEPS
        .into_iter()
        .zip([steps.hours_plain, steps.lines_plain])
    {
        let encoding = if plain {
            Encoding::PLAIN
        } else {
            Encoding::DELTA_BINARY_PACKED
        };
        b = b.set_column_encoding(ColumnPath::from(c), encoding);
    }
    for c in OBSERVATION_UNPRUNED {
        b = b.set_column_statistics_enabled(ColumnPath::from(c), EnabledStatistics::None);
    }
    b.set_column_encoding(ColumnPath::from("value"), Encoding::BYTE_STREAM_SPLIT)
        .build()
}

/// Whether a data file's stepping columns (`time_end`, `source_line`) repeat closely enough to
/// be written plain for LZ4 rather than delta-encoded.
///
/// A column whose values are at most a few thousand distinct ones holds at most 32 KiB of
/// distinct eight-byte values, so every value after the first of its kind has a match within
/// LZ4's 64 KiB window: hours spanning at most two days (2,880 distinct even at one-minute
/// steps; a national or city day file spans one), lines spanning fewer than 4,096 (a day
/// file's lines each hold every station's value). A long series, one line per value or a
/// year of hours, keeps the delta encoding, which codes a constant step in almost no bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct StepEncodings {
    pub hours_plain: bool,
    pub lines_plain: bool,
}

impl StepEncodings {
    /// Hours spanning at most this (µs) are written plain.
    const PLAIN_HOURS_SPAN: i64 = 2 * 24 * 3600 * 1_000_000;
    /// Lines spanning fewer than this are written plain.
    const PLAIN_LINES_SPAN: i64 = 4096;

    /// The encodings for a data file of `observation_rows` (its file schema).
    pub(crate) fn of(batch: &RecordBatch) -> Self {
        let span = |name: &str, limit: i64| -> bool {
            let Some(col) = batch.column_by_name(name) else {
                return false;
            };
            let values: &[i64] =
                if let Some(t) = col.as_any().downcast_ref::<TimestampMicrosecondArray>() {
                    t.values()
                } else if let Some(l) = col.as_any().downcast_ref::<Int64Array>() {
                    l.values()
                } else {
                    return false;
                };
            span_of(values).is_some_and(|s| s < limit)
        };
        StepEncodings {
            hours_plain: span("time_end", Self::PLAIN_HOURS_SPAN + 1),
            lines_plain: span("source_line", Self::PLAIN_LINES_SPAN),
        }
    }
}

/// The largest value less the smallest (`None` when empty), in four lanes that the processor
/// runs side by side (arrow's general minimum and maximum cost a fortieth of an ingest).
fn span_of(values: &[i64]) -> Option<i64> {
    let (first, _) = values.split_first()?;
    let (mut lo, mut hi) = ([*first; 4], [*first; 4]);
    let mut quads = values.chunks_exact(4);
    for q in &mut quads {
        for k in 0..4 {
            lo[k] = lo[k].min(q[k]);
            hi[k] = hi[k].max(q[k]);
        }
    }
    for &v in quads.remainder() {
        lo[0] = lo[0].min(v);
        hi[0] = hi[0].max(v);
    }
    let (lo, hi) = (lo.into_iter().min()?, hi.into_iter().max()?);
    Some(hi.saturating_sub(lo))
}

/// `observation_rows` columns written plain: keys that run along the sorted rows.
const OBSERVATION_RUNS: [&str; 6] = [
    "site_id",
    "variable_id",
    "flag_code",
    "revision",
    "batch_id",
    "file_id",
];
/// `observation_rows` columns delta-encoded where they keep stepping (see [`StepEncodings`]).
const OBSERVATION_STEPS: [&str; 2] = ["time_end", "source_line"];
/// `observation_rows` columns without statistics: no reader prunes by them.
const OBSERVATION_UNPRUNED: [&str; 6] = [
    "flag_code",
    "flag_reason",
    "revision",
    "batch_id",
    "file_id",
    "source_line",
];

/// A data file's writer task: the file's `Add` action once written.
type Writing = tokio::task::JoinHandle<
    std::result::Result<deltalake::kernel::Add, deltalake::DeltaTableError>,
>;

/// Data files of `observation_rows` written on all cores and committed together (see
/// `Store::flush`): the table is loaded once and carried from commit to commit.
///
/// A batch's files are written while the next batch is keyed: [`RowsWriter::write`] returns
/// once the batch before is written, not its own, so the encoding of one batch overlaps the
/// keying of the next on the cores the readers leave (a wait for each batch's own files left a
/// core idle at every batch's end). At most two batches' rows are held by writers.
#[derive(Default)]
pub(crate) struct RowsWriter {
    table: Option<deltalake::DeltaTable>,
    /// Written, not yet committed.
    pub(crate) adds: Vec<deltalake::kernel::Add>,
    /// The writer tasks of the batches being written, oldest first.
    writing: std::collections::VecDeque<Vec<Writing>>,
}

impl RowsWriter {
    /// The table, created empty (partitioned by `source`) on a store that has none.
    async fn table(&mut self, store: &Store) -> Result<deltalake::DeltaTable> {
        if let Some(t) = self.table.take() {
            return Ok(t);
        }
        let name = schema::OBSERVATION_ROWS;
        let t = deltalake::DeltaTable::try_from_url(store.table_url(name)?)
            .await
            .map_err(|e| delta_err(name, e))?;
        if store.has_table(name) {
            return Ok(t);
        }
        use delta_kernel::engine::arrow_conversion::TryIntoKernel as _;
        let fields: deltalake::kernel::StructType = schema::observation_rows()
            .try_into_kernel()
            .map_err(|e| StoreError::Input(format!("{name}: {e}")))?;
        t.create()
            .with_columns(fields.fields().cloned())
            .with_partition_columns(["source"])
            .await
            .map_err(|e| delta_err(name, e))
    }

    /// Write each source's parts as data files, one task each, with their statistics for the
    /// log (see `datafile`); they wait for [`RowsWriter::commit`]. Returns
    /// when the files of the batch written before are (see [`RowsWriter`]).
    pub(crate) async fn write(
        &mut self,
        store: &Store,
        parts: Vec<(String, Vec<Part>)>,
    ) -> Result<()> {
        let table = self.table(store).await?;
        let object_store = table.object_store();
        let mut tasks = Vec::new();
        for (source, batches) in parts {
            for part in batches {
                let props = observation_writer_properties(StepEncodings::of(&part.batch));
                tasks.push(tokio::spawn(crate::datafile::write(
                    object_store.clone(),
                    source.clone(),
                    part.batch,
                    part.row_groups,
                    props,
                )));
            }
        }
        self.table = Some(table);
        self.writing.push_back(tasks);
        while self.writing.len() > 1 {
            self.written().await?;
        }
        Ok(())
    }

    /// Wait for the oldest batch's files to be written.
    async fn written(&mut self) -> Result<()> {
        let Some(tasks) = self.writing.pop_front() else {
            return Ok(());
        };
        for t in tasks {
            let add = t
                .await
                .map_err(|e| StoreError::Input(format!("a Parquet writer task failed: {e}")))?
                .map_err(|e| delta_err(schema::OBSERVATION_ROWS, e))?;
            self.adds.push(add);
        }
        Ok(())
    }

    /// Whether nothing is written and uncommitted.
    pub(crate) fn is_idle(&self) -> bool {
        self.adds.is_empty() && self.writing.is_empty()
    }

    /// Commit the data files written since the last commit, in one Delta commit.
    pub(crate) async fn commit(&mut self) -> Result<()> {
        while !self.writing.is_empty() {
            self.written().await?;
        }
        if self.adds.is_empty() {
            return Ok(());
        }
        let name = schema::OBSERVATION_ROWS;
        let table = self
            .table
            .take()
            .ok_or_else(|| StoreError::Input(format!("{name}: written but not open")))?;
        let operation = deltalake::protocol::DeltaOperation::Write {
            mode: SaveMode::Append,
            partition_by: Some(vec!["source".to_string()]),
            predicate: None,
        };
        let snapshot = table.snapshot().map_err(|e| delta_err(name, e))?;
        let actions = std::mem::take(&mut self.adds)
            .into_iter()
            .map(deltalake::kernel::Action::Add)
            .collect();
        let finalized = deltalake::kernel::transaction::CommitBuilder::from(
            deltalake::kernel::transaction::CommitProperties::default(),
        )
        .with_actions(actions)
        .build(Some(snapshot), table.log_store(), operation)
        .await
        .map_err(|e| delta_err(name, e))?;
        let mut table = table;
        table.state = Some(finalized.snapshot());
        self.table = Some(table);
        Ok(())
    }
}

/// Rows per page of an `observation_rows` file (see [`observation_writer_properties`]).
pub const PAGE_ROWS: usize = 8 * 1024;

/// Rows per row group of an `observations` file.
pub const ROW_GROUP_ROWS: usize = 64 * 1024;

/// The tables an ingest has open, by name.
type Tables = HashMap<&'static str, deltalake::DeltaTable>;

/// The state of one ingest, carried from batch to batch.
struct Run {
    /// Path → SHA-256 of the files logged before this ingest.
    logged: HashMap<String, String>,
    /// Times and variables stored, per source: a batch that meets none of them (and no file
    /// read before) cannot revise anything, so its stored state need not be queried.
    ranges: TimeRanges,
    tables: Tables,
    /// The store's names and keys, with those this ingest added.
    dims: Dims,
    /// Data files of `observation_rows` written and not yet committed.
    rows: RowsWriter,
    summary: IngestSummary,
    /// Log rows not yet committed.
    pending: Pending,
    /// Files per commit (`IngestOptions::batch_files`).
    commit_files: usize,
    /// The previous batch's id.
    last_batch_id: i64,
}

/// What batches wrote and the next commit will hold (see `Store::flush`), beside the data
/// files in `Run::rows`.
#[derive(Default)]
struct Pending {
    /// The `ingest_log` rows of the batches' files.
    log: Vec<RecordBatch>,
    files: usize,
    rows: usize,
}

/// What a data file or batch holds: its `time_end` range (µs) and `variable_id` range, both
/// inclusive.
type Span = (i64, i64, i32, i32);

/// Stored spans per source.
type TimeRanges = HashMap<String, Vec<Span>>;

/// The machine's cores.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Read `files` on `threads` threads, `threads` files at a time, yielding them in order. The
/// reading runs on its own threads, up to two groups of files ahead of the caller, so that
/// files are parsed while the previous ones are committed.
fn read_ahead(files: Vec<PathBuf>, threads: usize) -> impl Iterator<Item = (PathBuf, ReadColumns)> {
    // One group may wait in the channel, so that the readers keep working while the caller
    // builds and commits a batch: at most the group being read, the one waiting and the one
    // being committed are in memory (three groups of two national files: about 160 MB of columns).
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<(PathBuf, ReadColumns)>>(1);
    std::thread::spawn(move || {
        for chunk in files.chunks(threads.max(1)) {
            let outs: Vec<ReadColumns> = std::thread::scope(|s| {
                let handles: Vec<_> = chunk
                    .iter()
                    .map(|f| s.spawn(move || lantian_ingest::read_file_columns(f)))
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

/// The rows of a batch in the store's keys, column by column. A batch of one file's new values
/// (a national day) takes the reader's columns over without copying them; the Arrow arrays are
/// built when the batch is finished.
#[derive(Default)]
struct Rows {
    batch_id: i64,
    site: Vec<i32>,
    variable: Vec<i32>,
    time_end: Vec<i64>,
    /// The numbers; 0 in the rows of `no_value`.
    value: Vec<f64>,
    /// Rows without a number (withdrawals), ascending.
    no_value: Vec<u32>,
    flag: Vec<Flag>,
    /// (row, reason), rows ascending.
    flag_reason: Vec<(u32, String)>,
    revision: Vec<i32>,
    file: Vec<i32>,
    source_line: Vec<u64>,
}

impl Rows {
    fn new(batch_id: i64) -> Rows {
        Rows {
            batch_id,
            ..Default::default()
        }
    }

    fn len(&self) -> usize {
        self.site.len()
    }

    /// Append one value.
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        (site, variable, time_end): Key,
        value: Option<f64>,
        flag: Flag,
        reason: Option<String>,
        revision: i32,
        file: i32,
        source_line: u64,
    ) {
        if let Some(r) = reason {
            self.flag_reason.push((self.len() as u32, r));
        }
        self.site.push(site);
        self.variable.push(variable);
        self.time_end.push(time_end);
        if value.is_none() {
            self.no_value.push(self.value.len() as u32);
        }
        self.value.push(value.unwrap_or(0.0));
        self.flag.push(flag);
        self.revision.push(revision);
        self.file.push(file);
        self.source_line.push(source_line);
    }

    /// Append a file's values, all new (revision 0), with their keys (see [`key_columns`]).
    fn push_columns(
        &mut self,
        c: ObservationColumns,
        site: Vec<i32>,
        variable: Vec<i32>,
        file: i32,
    ) {
        let start = self.len();
        let n = c.len();
        if start == 0 {
            self.site = site;
            self.variable = variable;
            self.time_end = c.time_end;
            self.value = c.value;
            self.no_value = c.no_value;
            self.flag = c.flag;
            self.flag_reason = c.flag_reason;
            self.source_line = c.source_line;
        } else {
            self.site.extend_from_slice(&site);
            self.variable.extend_from_slice(&variable);
            self.time_end.extend_from_slice(&c.time_end);
            self.value.extend_from_slice(&c.value);
            self.no_value
                .extend(c.no_value.iter().map(|i| start as u32 + i));
            self.flag.extend_from_slice(&c.flag);
            self.flag_reason.extend(
                c.flag_reason
                    .into_iter()
                    .map(|(i, r)| (start as u32 + i, r)),
            );
            self.source_line.extend_from_slice(&c.source_line);
        }
        self.revision.resize(start + n, 0);
        self.file.resize(start + n, file);
    }

    /// The rows as `observation_rows` record batches, per source, each averaging window's rows
    /// together and sorted by site key within it (rows of one site keep their order: a file's
    /// values come sorted by variable and time from its reader), each source's rows in parts
    /// of whole row groups, one per core. A matrix read is of one averaging window (hourly
    /// values, or one of the running means a network publishes beside them), so the row groups
    /// of the others are skipped (their variable keys are listed in the file, see
    /// [`crate::datafile`]); within a window, a row group or page covers a narrow range of
    /// sites, so a query of a few stations decodes only their pages (see `matrix`). A batch
    /// already in that order (one national file: its reader returns it so) is not reordered,
    /// and its parts' arrays are built on all cores.
    fn finish(self, dims: &Dims, parts: usize) -> Result<Vec<(String, Vec<Part>)>> {
        let n = self.len();
        let source_of = |site: i32| -> Result<&str> {
            dims.sites
                .get(site as usize)
                .map(|s| &*s.0)
                .ok_or_else(|| StoreError::Input(format!("site key {site} has no name")))
        };
        // The rank of each variable key's averaging window among the store's windows.
        let mut windows: Vec<&str> = dims.variables.iter().map(|v| v.1.as_str()).collect();
        windows.sort_unstable();
        windows.dedup();
        let window_of: Vec<u32> = dims
            .variables
            .iter()
            .map(|v| windows.partition_point(|w| *w < v.1.as_str()) as u32)
            .collect();
        let window = |variable: i32| -> Result<u32> {
            window_of
                .get(variable as usize)
                .copied()
                .ok_or_else(|| StoreError::Input(format!("variable key {variable} has no name")))
        };
        // Rows of one site and window come together (the readers sort by station), so the
        // runs are sorted, not the rows: a site first seen after the others has the largest
        // key, and one late station put a whole national file out of order. Sources apart
        // (each is its own partition), then windows, then sites in key order.
        let mut runs: Vec<(&str, u32, i32, u32, u32)> = Vec::new();
        let mut start = 0;
        let mut start_window = match self.variable.first() {
            Some(&v) => window(v)?,
            None => 0,
        };
        for i in 1..=n {
            // A new variable key may start a new window (keys of one window repeat in runs).
            let w = if i < n && self.variable[i] != self.variable[i - 1] {
                window(self.variable[i])?
            } else {
                start_window
            };
            if i == n || self.site[i] != self.site[start] || w != start_window {
                let site = self.site[start];
                runs.push((source_of(site)?, start_window, site, start as u32, i as u32));
                start = i;
                start_window = w;
            }
        }
        let sorted = runs
            .windows(2)
            .all(|w| (w[0].0, w[0].1, w[0].2) <= (w[1].0, w[1].1, w[1].2));
        // One source whose windows each come in one block, sites rising within it: the order
        // the store keeps, whatever the order of the blocks.
        let grouped = || {
            let mut seen = vec![false; windows.len()];
            if let Some(r) = runs.first() {
                seen[r.1 as usize] = true;
            }
            runs.windows(2).all(|w| {
                w[0].0 == w[1].0
                    && if w[0].1 == w[1].1 {
                        w[0].2 < w[1].2
                    } else {
                        !std::mem::replace(&mut seen[w[1].1 as usize], true)
                    }
            })
        };
        if grouped() {
            // One source, already in order (a national day file): its columns become the
            // arrays as they are, and the parts are slices of them, with no copy.
            let Some(source) = runs.first().map(|r| r.0.to_string()) else {
                return Ok(Vec::new());
            };
            let plan = plan(&window_blocks(&runs), parts);
            let whole = self.build_whole()?;
            let parts = plan
                .into_iter()
                .map(|(o, groups)| Part {
                    batch: whole.slice(o, groups.iter().sum()),
                    row_groups: groups,
                })
                .collect();
            return Ok(vec![(source, parts)]);
        }
        runs.sort_unstable();
        let this = &self;
        let mut out = Vec::new();
        for group in runs.chunk_by(|a, b| a.0 == b.0) {
            let (first, last) = (group[0].3 as usize, group[group.len() - 1].4 as usize);
            // A group already in order is read where it lies.
            let contiguous = last.checked_sub(first)
                == Some(group.iter().map(|r| (r.4 - r.3) as usize).sum::<usize>());
            // Otherwise the rows are taken run by run (a run is one site's rows, hundreds of
            // them), not row by row.
            let runs: Vec<Range<usize>> = if sorted && contiguous {
                std::iter::once(first..last).collect()
            } else {
                group.iter().map(|r| r.3 as usize..r.4 as usize).collect()
            };
            let plan = plan(&window_blocks(group), parts);
            let runs = &runs;
            let built: Result<Vec<Part>> = std::thread::scope(|s| {
                let handles: Vec<_> = plan
                    .into_iter()
                    .map(|(o, groups)| {
                        let rows = cut_runs(runs, o..o + groups.iter().sum::<usize>());
                        s.spawn(move || {
                            this.build(&rows).map(|batch| Part {
                                batch,
                                row_groups: groups,
                            })
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("a column builder thread panicked"))
                    .collect()
            });
            out.push((group[0].0.to_string(), built?));
        }
        Ok(out)
    }

    /// All the rows, in their order, as a record batch of `observation_rows` without its
    /// partition column: the key, time and revision columns are moved into the arrays.
    fn build_whole(self) -> Result<RecordBatch> {
        let every = 0..self.len();
        let all = std::slice::from_ref(&every);
        let flag_reason = self.reasons(all)?;
        let validity = validity(&self.no_value, all);
        let value = Float64Array::new(self.value.into(), validity);
        file_batch(FileColumns {
            site: self.site,
            variable: self.variable,
            time_end: self.time_end,
            value,
            flag: self.flag,
            flag_reason,
            revision: self.revision,
            batch_id: self.batch_id,
            file: self.file,
            source_line: self.source_line,
        })
    }

    /// Rows `rows` (runs of rows, in that order) as a record batch of `observation_rows`
    /// without its partition column (the data file's columns).
    fn build(&self, rows: &[Range<usize>]) -> Result<RecordBatch> {
        fn gather<T: Copy>(col: &[T], rows: &[Range<usize>]) -> Vec<T> {
            let mut out = Vec::with_capacity(rows.iter().map(ExactSizeIterator::len).sum());
            for r in rows {
                out.extend_from_slice(&col[r.clone()]);
            }
            out
        }
        file_batch(FileColumns {
            site: gather(&self.site, rows),
            variable: gather(&self.variable, rows),
            time_end: gather(&self.time_end, rows),
            value: Float64Array::new(
                gather(&self.value, rows).into(),
                validity(&self.no_value, rows),
            ),
            flag: gather(&self.flag, rows),
            flag_reason: self.reasons(rows)?,
            revision: gather(&self.revision, rows),
            batch_id: self.batch_id,
            file: gather(&self.file, rows),
            source_line: gather(&self.source_line, rows),
        })
    }

    /// The flag reasons of rows `rows` (runs of rows, in that order).
    fn reasons(&self, rows: &[Range<usize>]) -> Result<StringArray> {
        let n: usize = rows.iter().map(ExactSizeIterator::len).sum();
        // Reasons are few and their rows ascending: each run takes its own, with the nulls
        // between them set in bulk (offsets repeated, validity bits cleared a run at a time).
        Ok(if self.flag_reason.is_empty() {
            StringArray::new_null(n)
        } else {
            let mut offsets: Vec<i32> = Vec::with_capacity(n + 1);
            offsets.push(0);
            let mut text = String::new();
            let mut valid = deltalake::arrow::array::builder::NullBufferBuilder::new(n);
            let fill_nulls = |offsets: &mut Vec<i32>,
                              valid: &mut deltalake::arrow::array::builder::NullBufferBuilder,
                              k: usize| {
                let at = *offsets.last().expect("offsets start with 0");
                offsets.resize(offsets.len() + k, at);
                valid.append_n_nulls(k);
            };
            for r in rows {
                let from = self
                    .flag_reason
                    .partition_point(|(i, _)| (*i as usize) < r.start);
                let mut next = r.start;
                for (i, why) in self.flag_reason[from..]
                    .iter()
                    .take_while(|(i, _)| (*i as usize) < r.end)
                {
                    fill_nulls(&mut offsets, &mut valid, *i as usize - next);
                    text.push_str(why);
                    offsets.push(i32::try_from(text.len()).map_err(|_| {
                        StoreError::Input("flag reasons of one data file above 2 GiB".into())
                    })?);
                    valid.append_non_null();
                    next = *i as usize + 1;
                }
                fill_nulls(&mut offsets, &mut valid, r.end - next);
            }
            StringArray::try_new(
                deltalake::arrow::buffer::OffsetBuffer::new(offsets.into()),
                text.into_bytes().into(),
                valid.finish(),
            )?
        })
    }
}

/// The columns of a data file of `observation_rows`, in the store's keys, as `Rows` holds them.
struct FileColumns {
    site: Vec<i32>,
    variable: Vec<i32>,
    time_end: Vec<i64>,
    value: Float64Array,
    flag: Vec<Flag>,
    flag_reason: StringArray,
    revision: Vec<i32>,
    batch_id: i64,
    file: Vec<i32>,
    source_line: Vec<u64>,
}

/// The record batch of a data file (`observation_rows` without its partition column); the key,
/// time and revision vectors become the arrays without a copy.
fn file_batch(c: FileColumns) -> Result<RecordBatch> {
    let n = c.site.len();
    let cols: Vec<ArrayRef> = vec![
        Arc::new(Int32Array::from(c.site)),
        Arc::new(Int32Array::from(c.variable)),
        Arc::new(TimestampMicrosecondArray::from(c.time_end).with_timezone("UTC")),
        Arc::new(c.value),
        Arc::new(Int8Array::from_iter_values(
            c.flag.into_iter().map(flag_code),
        )),
        Arc::new(c.flag_reason),
        Arc::new(Int32Array::from(c.revision)),
        Arc::new(Int64Array::from_value(c.batch_id, n)),
        Arc::new(Int32Array::from(c.file)),
        Arc::new(Int64Array::from_iter_values(
            c.source_line.into_iter().map(|l| l as i64),
        )),
    ];
    Ok(RecordBatch::try_new(schema::observation_rows_file(), cols)?)
}

/// One data file to write: its rows and the lengths of its row groups.
pub(crate) struct Part {
    pub batch: RecordBatch,
    pub row_groups: Vec<usize>,
}

/// The lengths of the blocks of one averaging window in sorted `runs` (source, window, site,
/// start, end) of one source.
fn window_blocks(runs: &[(&str, u32, i32, u32, u32)]) -> Vec<usize> {
    runs.chunk_by(|a, b| a.1 == b.1)
        .map(|b| b.iter().map(|r| (r.4 - r.3) as usize).sum())
        .collect()
}

/// How rows in window blocks (their lengths, in order) become data files: row groups of up to
/// [`ROW_GROUP_ROWS`] rows that never span two windows (a row group then holds the variables
/// of one window, and its site range is that window's narrow one), and the row groups in at
/// most `parts` files of whole row groups, each cut at the row-group edge nearest an equal
/// share of the rows (the files are encoded one per core). (first row, row group lengths) of
/// each file.
fn plan(blocks: &[usize], parts: usize) -> Vec<(usize, Vec<usize>)> {
    let groups: Vec<usize> = blocks
        .iter()
        .flat_map(|&b| {
            let n = b.div_ceil(ROW_GROUP_ROWS);
            // Equal groups rather than full ones and a remnant.
            (0..n).map(move |i| b * (i + 1) / n - b * i / n)
        })
        .collect();
    let total: usize = groups.iter().sum();
    let edges: Vec<usize> = groups
        .iter()
        .scan(0, |at, g| {
            *at += g;
            Some(*at)
        })
        .collect();
    let mut cuts: Vec<usize> = Vec::new();
    for k in 1..parts.max(1) {
        let share = total * k / parts;
        let last = cuts.last().copied().unwrap_or(0);
        if let Some(&e) = edges
            .iter()
            .filter(|&&e| e > last && e < total)
            .min_by_key(|&&e| e.abs_diff(share))
        {
            cuts.push(e);
        }
    }
    let mut out: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut at = 0;
    for g in groups {
        match out.last_mut() {
            Some(file) if !cuts.contains(&at) => file.1.push(g),
            _ => out.push((at, vec![g])),
        }
        at += g;
    }
    out
}

/// The runs of rows `within` a concatenation of `runs` (positions counted along it).
fn cut_runs(runs: &[Range<usize>], within: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut at = 0;
    for r in runs {
        let (lo, hi) = (at, at + r.len());
        at = hi;
        if hi <= within.start || lo >= within.end {
            continue;
        }
        let from = r.start + within.start.saturating_sub(lo);
        let to = r.end - hi.saturating_sub(within.end);
        out.push(from..to);
    }
    out
}

/// The validity of the rows `rows` (runs of rows, in that order) when some of them are among
/// the rows without a number, `no_value` (ascending); `None`, no bitmap at all, otherwise (no
/// value of a new file is missing, so the numbers go to the column as they are).
fn validity(
    no_value: &[u32],
    rows: &[Range<usize>],
) -> Option<deltalake::arrow::buffer::NullBuffer> {
    let missing = |r: &Range<usize>| -> &[u32] {
        let from = no_value.partition_point(|&i| (i as usize) < r.start);
        let to = no_value.partition_point(|&i| (i as usize) < r.end);
        &no_value[from..to]
    };
    if rows.iter().all(|r| missing(r).is_empty()) {
        return None;
    }
    let n = rows.iter().map(ExactSizeIterator::len).sum();
    let mut valid = deltalake::arrow::array::builder::BooleanBufferBuilder::new(n);
    for r in rows {
        let mut next = r.start;
        for &i in missing(r) {
            valid.append_n(i as usize - next, true);
            valid.append(false);
            next = i as usize + 1;
        }
        valid.append_n(r.end - next, true);
    }
    Some(valid.finish().into())
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

    /// Every `observation_rows` column of a written file has the encoding and the statistics
    /// its kind asks for (see `observation_writer_properties`).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn data_files_encode_keys_plain_steps_by_repetition_and_prune_by_keys() {
        use parquet::basic::Encoding;
        use parquet::file::reader::FileReader;
        fn parquet_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    parquet_files(&p, out);
                } else if p.extension().is_some_and(|x| x == "parquet") {
                    out.push(p);
                }
            }
        }
        // The data file of `text` ingested alone, and the steps' encodings it should have.
        async fn check(name: &str, text: &str, steps: StepEncodings) {
            let tmp = tempfile::tempdir().unwrap();
            std::fs::write(tmp.path().join(name), text).unwrap();
            let store = Store::open(&tmp.path().join("store")).await.unwrap();
            store
                .ingest(
                    &[tmp.path().to_path_buf()],
                    &IngestOptions::default(),
                    &mut |_| {},
                )
                .await
                .unwrap();
            let mut files = Vec::new();
            parquet_files(
                &tmp.path().join("store").join("observation_rows"),
                &mut files,
            );
            assert_eq!(files.len(), 1, "{name}");
            let r = parquet::file::reader::SerializedFileReader::new(
                std::fs::File::open(&files[0]).unwrap(),
            )
            .unwrap();
            let g = r.metadata().row_group(0);
            let mut seen = 0;
            let step = |plain: bool| {
                if plain {
                    Encoding::PLAIN
                } else {
                    Encoding::DELTA_BINARY_PACKED
                }
            };
            for c in g.columns() {
                let col = c.column_path().string();
                let enc: Vec<Encoding> = c.encodings().collect();
                let data_encoding = if OBSERVATION_RUNS.contains(&col.as_str()) {
                    Encoding::PLAIN
                } else if col == "time_end" {
                    step(steps.hours_plain)
                } else if col == "source_line" {
                    step(steps.lines_plain)
                } else if col == "value" {
                    Encoding::BYTE_STREAM_SPLIT
                } else {
                    assert_eq!(col, "flag_reason");
                    Encoding::RLE_DICTIONARY
                };
                assert!(enc.contains(&data_encoding), "{name}: {col}: {enc:?}");
                assert_eq!(
                    c.statistics().is_some_and(|s| s.min_bytes_opt().is_some()),
                    !OBSERVATION_UNPRUNED.contains(&col.as_str()),
                    "{name}: {col}"
                );
                seen += 1;
            }
            assert_eq!(seen, 10, "{name}");
        }
        // A day file: its hours and lines repeat station after station.
        check(
            "beijing_all_20230101.csv",
            "date,hour,type,东城东四,东城天坛\n20230101,1,PM2.5,5,-6\n20230101,2,PM2.5,7,8\n",
            StepEncodings {
                hours_plain: true,
                lines_plain: true,
            },
        )
        .await;
        // A long series of one value a line: 4,100 hours (over two days) on as many lines.
        let mut long = String::from("station,time,pollutant,value,unit\n");
        let t0 = chrono::NaiveDate::from_ymd_opt(2023, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        for h in 0..4100 {
            let t = t0 + chrono::Duration::hours(h + 1);
            long += &format!("S1,{},PM2.5,{},ug/m3\n", t.format("%Y-%m-%d %H:%M"), h % 90);
        }
        check("long.csv", &long, StepEncodings::default()).await;
    }

    proptest::proptest! {
        #[test]
        fn the_span_is_the_largest_value_less_the_smallest(
            v in proptest::collection::vec(proptest::num::i64::ANY, 0..40),
        ) {
            let want = v.iter().max().zip(v.iter().min()).map(|(h, l)| h.saturating_sub(*l));
            proptest::prop_assert_eq!(span_of(&v), want);
        }
    }

    /// Row groups never span two windows nor exceed `ROW_GROUP_ROWS`, a window's groups are of
    /// equal length, and files hold whole groups, at most a part of the rows each.
    #[test]
    fn row_groups_are_cut_at_window_edges() {
        assert_eq!(ROW_GROUP_ROWS, 65_536);
        // A 1-h block of 100,800 rows (two groups), an 8-h block, a 24-h block; two files cut
        // at the group edge nearest 86,400 rows (100,800, not 50,400 or 115,200).
        assert_eq!(
            plan(&[100_800, 14_400, 57_600], 2),
            [(0, vec![50_400, 50_400]), (100_800, vec![14_400, 57_600])]
        );
        // A national day: the cut falls after the 8-h block, 319,000 rows against 289,000.
        assert_eq!(
            plan(&[279_000, 40_000, 209_000, 40_000, 40_000], 2),
            [
                (0, vec![55_800; 5].into_iter().chain([40_000]).collect()),
                (
                    319_000,
                    vec![52_250, 52_250, 52_250, 52_250, 40_000, 40_000]
                )
            ]
        );
        assert_eq!(plan(&[65_536], 1), [(0, vec![65_536])]);
        assert_eq!(plan(&[65_537], 1), [(0, vec![32_768, 32_769])]);
        assert_eq!(plan(&[], 2), []);
        for blocks in [
            vec![1, 2, 3],
            vec![200_000, 7, 131_073],
            vec![65_535, 65_537],
        ] {
            for parts in 1..4 {
                let p = plan(&blocks, parts);
                let groups: Vec<usize> = p.iter().flat_map(|f| f.1.clone()).collect();
                assert!(groups.iter().all(|&g| g > 0 && g <= ROW_GROUP_ROWS));
                assert_eq!(groups.iter().sum::<usize>(), blocks.iter().sum::<usize>());
                // Every window edge is a group edge.
                let mut edges = std::collections::BTreeSet::new();
                let mut at = 0;
                for g in &groups {
                    at += g;
                    edges.insert(at);
                }
                let mut at = 0;
                for b in &blocks {
                    at += b;
                    assert!(edges.contains(&at), "{blocks:?} {parts}");
                }
                // Files start where the last one ended, at most `parts` of them.
                let mut at = 0;
                for (first, gs) in &p {
                    assert_eq!(*first, at);
                    at += gs.iter().sum::<usize>();
                }
                assert!(p.len() <= parts);
            }
        }
    }

    #[test]
    fn rows_without_a_number_are_null_in_the_runs_taken() {
        // Rows 2, 5 and 9 of ten have no number.
        let no_value = [2u32, 5, 9];
        let bits = |rows: &[Range<usize>]| -> Option<Vec<bool>> {
            validity(&no_value, rows).map(|v| v.iter().collect())
        };
        assert_eq!(
            bits(std::slice::from_ref(&(0..10))),
            Some(vec![
                true, true, false, true, true, false, true, true, true, false
            ])
        );
        // Runs in another order, cut at the missing rows' edges.
        assert_eq!(
            bits(&[5..7, 0..3, 9..10]),
            Some(vec![false, true, true, true, false, false])
        );
        // Runs that hold none of them need no bitmap.
        assert_eq!(bits(&[0..2, 3..5, 6..9]), None);
        assert_eq!(validity(&[], std::slice::from_ref(&(0..10))), None);
    }

    #[test]
    fn steps_are_plain_within_two_days_of_hours_and_4096_lines() {
        let batch = |hours_us: i64, lines: i64| {
            let cols: Vec<ArrayRef> = vec![
                Arc::new(
                    TimestampMicrosecondArray::from(vec![1_000, 1_000 + hours_us])
                        .with_timezone("UTC"),
                ),
                Arc::new(Int64Array::from(vec![2, 2 + lines])),
            ];
            let schema = Arc::new(deltalake::arrow::datatypes::Schema::new(vec![
                schema::observation_rows_file()
                    .field_with_name("time_end")
                    .unwrap()
                    .clone(),
                schema::observation_rows_file()
                    .field_with_name("source_line")
                    .unwrap()
                    .clone(),
            ]));
            StepEncodings::of(&RecordBatch::try_new(schema, cols).unwrap())
        };
        let two_days = 2 * 24 * 3600 * 1_000_000;
        assert_eq!(
            batch(two_days, 4095),
            StepEncodings {
                hours_plain: true,
                lines_plain: true
            }
        );
        assert_eq!(batch(two_days + 1, 4096), StepEncodings::default());
        assert_eq!(
            batch(0, 4096),
            StepEncodings {
                hours_plain: true,
                lines_plain: false
            }
        );
    }

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

    /// Batches of new values wait for one commit; a batch that must be compared with the store
    /// commits them first, so that it compares with them.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_batch_compared_with_the_store_sees_the_batches_not_yet_committed() {
        let tmp = tempfile::tempdir().unwrap();
        let files = [
            // The first batch creates the table (committed at once); the second waits.
            ("a", "20230101", "20230101,1,PM2.5,9,10\n"),
            (
                "b",
                "20230102",
                "20230102,1,PM2.5,5,6\n20230102,2,PM2.5,7,8\n",
            ),
            // The second day again under another path, one value revised (7 → 70).
            (
                "c",
                "20230102",
                "20230102,1,PM2.5,5,6\n20230102,2,PM2.5,70,8\n",
            ),
        ];
        for (dir, day, rows) in files {
            std::fs::create_dir_all(tmp.path().join(dir)).unwrap();
            std::fs::write(
                tmp.path().join(dir).join(format!("beijing_all_{day}.csv")),
                format!("date,hour,type,东城东四,东城天坛\n{rows}"),
            )
            .unwrap();
        }
        let store = Store::open(&tmp.path().join("store")).await.unwrap();
        // One file per batch, all files in one commit as far as the comparison allows.
        let opts = IngestOptions {
            batch_files: 64,
            batch_values: 1,
            force: false,
        };
        let s = store
            .ingest(
                &["a", "b", "c"].map(|d| tmp.path().join(d)),
                &opts,
                &mut |_| {},
            )
            .await
            .unwrap();
        assert_eq!(s.batches, 3);
        assert_eq!(
            (s.values_new, s.values_revised, s.values_unchanged),
            (6, 1, 3)
        );
        // b committed (with a's log row) before c was compared, c at the end.
        assert_eq!(s.commits, 2);
        let n = |q: &'static str| {
            let store = &store;
            async move {
                let b = store.sql(q).await.unwrap();
                crate::col::i64s(&b[0], 0).value(0)
            }
        };
        assert_eq!(n("SELECT COUNT(*) FROM observations").await, 7);
        assert_eq!(n("SELECT COUNT(*) FROM current").await, 6);
        assert_eq!(n("SELECT MAX(value) FROM current").await as f64, 70.0);
        assert_eq!(
            n("SELECT COUNT(DISTINCT batch_id) FROM ingest_log").await,
            3
        );
    }

    /// Whether a batch must be compared with the store is decided file by file: a batch that
    /// holds one day's PM file and another day's SO2 file spans both days and both variables,
    /// but the next day's SO2 file meets neither file, so the batch after it is all new and
    /// needs no comparison (and no commit of its own). The values are the same either way.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_batch_is_all_new_when_none_of_its_files_meets_a_stored_file() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("y");
        std::fs::create_dir_all(&dir).unwrap();
        // (kind, day, variable, rows "hour,station 1,station 2"): 8 + 4 × 4 = 24 values, 1 to 24.
        let files = [
            (
                "all",
                "20230101",
                "PM2.5",
                vec!["1,1,2", "2,3,4", "3,5,6", "4,7,8"],
            ),
            ("all", "20230102", "PM2.5", vec!["1,9,10", "2,11,12"]),
            ("extra", "20230101", "SO2", vec!["1,13,14", "2,15,16"]),
            ("extra", "20230102", "SO2", vec!["1,17,18", "2,19,20"]),
            ("extra", "20230103", "SO2", vec!["1,21,22", "2,23,24"]),
        ];
        for (kind, day, var, rows) in files {
            let body: String = rows
                .iter()
                .map(|r| {
                    let (hour, values) = r.split_once(',').unwrap();
                    format!("{day},{hour},{var},{values}\n")
                })
                .collect();
            std::fs::write(
                dir.join(format!("beijing_{kind}_{day}.csv")),
                format!("date,hour,type,东城东四,东城天坛\n{body}"),
            )
            .unwrap();
        }
        let store = Store::open(&tmp.path().join("store")).await.unwrap();
        // A batch is cut at 5 values: {all 01}, {all 02, extra 01}, {extra 02, extra 03}. The
        // second spans 1 to 2 January and both variables; the third 2 to 3 January, SO2 only.
        let opts = IngestOptions {
            batch_files: 64,
            batch_values: 5,
            force: false,
        };
        let s = store.ingest(&[dir], &opts, &mut |_| {}).await.unwrap();
        assert_eq!(s.batches, 3);
        assert_eq!((s.values_new, s.values_revised), (24, 0));
        // Every batch all new: one commit at the end. Spans kept per batch would have made the
        // third meet the second (2 January, SO2 in both) and commit before comparing.
        assert_eq!(s.commits, 1);
        let b = store
            .sql("SELECT COUNT(*), SUM(value) FROM current")
            .await
            .unwrap();
        assert_eq!(crate::col::i64s(&b[0], 0).value(0), 24);
        assert_eq!(crate::col::f64s(&b[0], 1).value(0), 300.0);
    }
}
