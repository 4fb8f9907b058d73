//! The keyed layout of `observations`: rows with integer keys, names in dimension tables.
//!
//! A value's provenance is seven names (source, station, variable, averaging, unit, flag, file).
//! Stored as strings on every row, encoding them was most of an ingest: the Parquet writer
//! interns each string value by value, 217 M times each for a national year. The names are
//! few (2,000 stations, 30 variables, 365 files a year), so they are stored once, in the tables
//! `sites`, `variables` and `source_files`, and each row of `observation_rows` refers to them by
//! an integer; the four flags are a fixed code (see [`crate::schema`]). The views
//! `observations` and `current` join the names back, so SQL is written as before.
//!
//! A store written by an earlier version keeps `observations` as a Delta table of strings (the
//! *string layout*). Nothing reads it as if it were the keyed layout: every read and write of
//! observations refuses it with [`StoreError::StringLayout`], and [`Store::migrate`] upgrades
//! it in place:
//! 1. the new tables are written into `<store>/.migrate`, a folder nothing else reads;
//! 2. they are moved into the store beside the old `observations`, which still decides the
//!    layout;
//! 3. the old table is renamed away (`.observations-strings`): this one rename is the switch;
//! 4. the renamed table and the staging folder are removed.
//!
//! A migration killed at any point leaves either the string layout whole (steps 1–2: the run
//! after removes what the killed one left and starts again) or the keyed layout whole (after
//! step 3: the run after only removes leftovers), so running it again is always safe, and on a
//! keyed store it changes nothing. Every column of every row is carried over unchanged (batch,
//! revision, file, line, flag and reason), so the views read the same rows before and after.

use crate::{Result, Store, StoreError, delta_err, schema};
use deltalake::arrow::array::{
    Array, ArrayRef, AsArray, Int8Array, Int32Array, RecordBatch, StringArray,
};
use deltalake::arrow::datatypes::{DataType, Field, Int32Type, Schema};
use lantian_model::Flag;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How a store keeps its observations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Integer keys and dimension tables (this version's; also a store with no observations).
    Keyed,
    /// A string per row for every name (written by earlier versions); must be migrated.
    Strings,
}

/// Where a migration writes the new tables before they are moved into the store.
const STAGING: &str = ".migrate";
/// The old table's name between the switch and its removal.
const RETIRED: &str = ".observations-strings";
/// The tables of the keyed layout, in the order they are moved into place.
const KEYED_TABLES: [&str; 4] = [
    schema::SITES,
    schema::VARIABLES,
    schema::SOURCE_FILES,
    schema::OBSERVATION_ROWS,
];

/// The step of a migration that switches the layout (the old table renamed away), and its
/// last step that can be stopped after (the retired table removed; only the staging folder's
/// removal follows). Steps 1–3 write the staging store, 4–7 move its tables in.
const SWITCH_STEP: usize = 8;
#[cfg(test)]
const LAST_STEP: usize = SWITCH_STEP + 1;

/// The code of a flag in `observation_rows.flag_code`.
pub fn flag_code(f: Flag) -> i8 {
    match f {
        Flag::Ok => 0,
        Flag::Doubtful => 1,
        Flag::Bad => 2,
        Flag::Withdrawn => 3,
    }
}

/// The flag of a code (see [`flag_code`]).
pub fn flag_of_code(c: i8) -> Option<Flag> {
    match c {
        0 => Some(Flag::Ok),
        1 => Some(Flag::Doubtful),
        2 => Some(Flag::Bad),
        3 => Some(Flag::Withdrawn),
        _ => None,
    }
}

/// The columns of the `observations` view, from a relation `r` of `observation_rows`.
const NAMED: &str = "r.source, s.station, v.variable, v.averaging, r.time_end, r.value, v.unit, \
    CASE r.flag_code WHEN 0 THEN 'ok' WHEN 1 THEN 'doubtful' WHEN 2 THEN 'bad' \
    WHEN 3 THEN 'withdrawn' END AS flag, r.flag_reason, r.revision, r.batch_id, \
    f.path AS source_file, r.source_line";
const DIMENSIONS: &str = "JOIN sites s ON r.site_id = s.site_id \
    JOIN variables v ON r.variable_id = v.variable_id \
    JOIN source_files f ON r.file_id = f.file_id";

/// Every value revision with its names.
pub fn observations_view() -> String {
    format!("CREATE VIEW observations AS SELECT {NAMED} FROM observation_rows r {DIMENSIONS}")
}

/// The latest revision of every value key. A row with revision `r` is superseded exactly when a
/// row with the same key and revision `r + 1` exists; revisions are rare, so this is an anti
/// join against a small set, on integer keys, before the names are joined.
pub fn current_view() -> String {
    format!(
        "CREATE VIEW current AS SELECT {NAMED} FROM (SELECT o.* FROM observation_rows o \
         LEFT ANTI JOIN (SELECT site_id, variable_id, time_end, revision - 1 AS superseded \
         FROM observation_rows WHERE revision > 0) x ON o.site_id = x.site_id \
         AND o.variable_id = x.variable_id AND o.time_end = x.time_end \
         AND o.revision = x.superseded) r {DIMENSIONS}"
    )
}

type Map<K, V> = foldhash::HashMap<K, V>;

/// The names of the store's keys, as loaded, plus those a running ingest added (not yet
/// committed until [`Dims::pending`] is written).
#[derive(Debug, Default, Clone)]
pub struct Dims {
    /// (source, station) by `site_id`.
    pub sites: Vec<(Arc<str>, Arc<str>)>,
    site_ids: Map<Arc<str>, Map<Arc<str>, i32>>,
    /// (variable, averaging, unit) by `variable_id`.
    pub variables: Vec<(String, String, String)>,
    variable_ids: Map<(String, String), i32>,
    /// Path by `file_id`.
    pub files: Vec<Arc<str>>,
    file_ids: Map<Arc<str>, i32>,
    /// How many of each (sites, variables, files) the store holds.
    committed: [usize; 3],
}

fn id(n: usize, table: &str) -> Result<i32> {
    i32::try_from(n).map_err(|_| StoreError::Input(format!("{table}: more than 2^31 keys")))
}

impl Dims {
    /// The key of a site, added when new.
    pub fn site(&mut self, source: &str, station: &str) -> Result<i32> {
        if let Some(&i) = self.site_ids.get(source).and_then(|m| m.get(station)) {
            return Ok(i);
        }
        let i = id(self.sites.len(), schema::SITES)?;
        let (src, st): (Arc<str>, Arc<str>) = (Arc::from(source), Arc::from(station));
        self.site_ids
            .entry(src.clone())
            .or_default()
            .insert(st.clone(), i);
        self.sites.push((src, st));
        Ok(i)
    }

    /// The key of a site, if the store or this run knows it.
    pub fn find_site(&self, source: &str, station: &str) -> Option<i32> {
        self.site_ids.get(source)?.get(station).copied()
    }

    /// The key of a variable at an averaging, added when new. A variable at one averaging has
    /// one unit (the readers convert to it); another unit is refused rather than keyed apart,
    /// which would split one value key in two.
    pub fn variable(&mut self, variable: &str, averaging: &str, unit: &str) -> Result<i32> {
        if let Some(&i) = self
            .variable_ids
            .get(&(variable.to_string(), averaging.to_string()))
        {
            let known = &self.variables[i as usize].2;
            if known != unit {
                return Err(StoreError::Input(format!(
                    "{variable} ({averaging}) is stored in {known}; a value in {unit} cannot \
                     share its key"
                )));
            }
            return Ok(i);
        }
        let i = id(self.variables.len(), schema::VARIABLES)?;
        self.variable_ids
            .insert((variable.to_string(), averaging.to_string()), i);
        self.variables.push((
            variable.to_string(),
            averaging.to_string(),
            unit.to_string(),
        ));
        Ok(i)
    }

    /// The key of a variable at an averaging, if known.
    pub fn find_variable(&self, variable: &str, averaging: &str) -> Option<i32> {
        self.variable_ids
            .get(&(variable.to_string(), averaging.to_string()))
            .copied()
    }

    /// The key of a file, added when new.
    pub fn file(&mut self, path: &str) -> Result<i32> {
        if let Some(&i) = self.file_ids.get(path) {
            return Ok(i);
        }
        let i = id(self.files.len(), schema::SOURCE_FILES)?;
        let p: Arc<str> = Arc::from(path);
        self.file_ids.insert(p.clone(), i);
        self.files.push(p);
        Ok(i)
    }

    /// The rows added since the last commit, per dimension table (empty tables left out).
    pub(crate) fn pending(&self) -> Result<Vec<(&'static str, RecordBatch)>> {
        let [s0, v0, f0] = self.committed;
        let mut out = Vec::new();
        if self.sites.len() > s0 {
            let rows = &self.sites[s0..];
            out.push((
                schema::SITES,
                RecordBatch::try_new(
                    schema::sites(),
                    vec![
                        ids(s0, rows.len()),
                        Arc::new(StringArray::from_iter_values(rows.iter().map(|r| &*r.0))),
                        Arc::new(StringArray::from_iter_values(rows.iter().map(|r| &*r.1))),
                    ],
                )?,
            ));
        }
        if self.variables.len() > v0 {
            let rows = &self.variables[v0..];
            out.push((
                schema::VARIABLES,
                RecordBatch::try_new(
                    schema::variables(),
                    vec![
                        ids(v0, rows.len()),
                        Arc::new(StringArray::from_iter_values(rows.iter().map(|r| &r.0))),
                        Arc::new(StringArray::from_iter_values(rows.iter().map(|r| &r.1))),
                        Arc::new(StringArray::from_iter_values(rows.iter().map(|r| &r.2))),
                    ],
                )?,
            ));
        }
        if self.files.len() > f0 {
            let rows = &self.files[f0..];
            out.push((
                schema::SOURCE_FILES,
                RecordBatch::try_new(
                    schema::source_files(),
                    vec![
                        ids(f0, rows.len()),
                        Arc::new(StringArray::from_iter_values(rows.iter().map(|r| &**r))),
                    ],
                )?,
            ));
        }
        Ok(out)
    }

    /// Everything added so far is in the store.
    pub(crate) fn mark_committed(&mut self) {
        self.committed = [self.sites.len(), self.variables.len(), self.files.len()];
    }

    /// The store's dimension tables at their latest versions. Read after the snapshot of
    /// `observation_rows` that uses them: dimensions only grow, and a name is committed before
    /// any row refers to it, so every key of that snapshot is found.
    pub async fn load(store: &Store) -> Result<Dims> {
        // A table's data files come in no particular order: rows are put in key order first.
        let mut d = Dims::default();
        let mut sites = Vec::new();
        for b in read_table(store, schema::SITES).await? {
            let (ids, src, st) = (int32s(&b, 0)?, utf8(&b, 1)?, utf8(&b, 2)?);
            for i in 0..b.num_rows() {
                sites.push((
                    ids.value(i),
                    src.value(i).to_string(),
                    st.value(i).to_string(),
                ));
            }
        }
        sites.sort_unstable();
        for (id, src, st) in sites {
            expect_dense(schema::SITES, id, d.sites.len())?;
            d.site(&src, &st)?;
        }
        let mut variables = Vec::new();
        for b in read_table(store, schema::VARIABLES).await? {
            let (ids, var, avg, unit) = (int32s(&b, 0)?, utf8(&b, 1)?, utf8(&b, 2)?, utf8(&b, 3)?);
            for i in 0..b.num_rows() {
                variables.push((
                    ids.value(i),
                    var.value(i).to_string(),
                    avg.value(i).to_string(),
                    unit.value(i).to_string(),
                ));
            }
        }
        variables.sort_unstable();
        for (id, var, avg, unit) in variables {
            expect_dense(schema::VARIABLES, id, d.variables.len())?;
            d.variable(&var, &avg, &unit)?;
        }
        let mut files = Vec::new();
        for b in read_table(store, schema::SOURCE_FILES).await? {
            let (ids, path) = (int32s(&b, 0)?, utf8(&b, 1)?);
            for i in 0..b.num_rows() {
                files.push((ids.value(i), path.value(i).to_string()));
            }
        }
        files.sort_unstable();
        for (id, path) in files {
            expect_dense(schema::SOURCE_FILES, id, d.files.len())?;
            d.file(&path)?;
        }
        d.mark_committed();
        Ok(d)
    }
}

fn ids(from: usize, n: usize) -> ArrayRef {
    Arc::new(Int32Array::from_iter_values(
        (from..from + n).map(|i| i as i32),
    ))
}

/// Keys are written dense from 0, in order; anything else is a damaged table, not a layout to
/// guess at.
fn expect_dense(table: &str, got: i32, want: usize) -> Result<()> {
    if got as usize != want {
        return Err(StoreError::Query(format!(
            "table {table}: key {got} where {want} was expected (keys are dense from 0); the \
             table is damaged"
        )));
    }
    Ok(())
}

fn int32s(b: &RecordBatch, i: usize) -> Result<&Int32Array> {
    b.column(i)
        .as_primitive_opt::<Int32Type>()
        .ok_or_else(|| StoreError::Query(format!("column {i}: not int32")))
}

fn utf8(b: &RecordBatch, i: usize) -> Result<&StringArray> {
    b.column(i)
        .as_string_opt::<i32>()
        .ok_or_else(|| StoreError::Query(format!("column {i}: not utf8")))
}

/// The data files of a table's latest snapshot, with each one's `source` partition value.
pub(crate) async fn data_files(store: &Store, name: &str) -> Result<Vec<(PathBuf, String)>> {
    let Some(table) = store.table(name).await? else {
        return Ok(vec![]);
    };
    let root = store.root().join(name);
    let snapshot = table.snapshot().map_err(|e| delta_err(name, e))?;
    Ok(snapshot
        .log_data()
        .iter()
        .map(|f| {
            let source = f
                .partition_values_map()
                .get("source")
                .and_then(|s| s.clone())
                .unwrap_or_default();
            (root.join(f.path().as_ref()), source)
        })
        .collect())
}

/// Every row of a small table (a dimension), in file order.
async fn read_table(store: &Store, name: &str) -> Result<Vec<RecordBatch>> {
    let mut out = Vec::new();
    for (path, _) in data_files(store, name).await? {
        out.extend(read_parquet(&path, false)?);
    }
    Ok(out)
}

/// Every row of one Parquet file; with `dictionaries`, its string columns as dictionaries.
fn read_parquet(path: &Path, dictionaries: bool) -> Result<Vec<RecordBatch>> {
    let err = |e: &dyn std::fmt::Display| StoreError::Query(format!("{}: {e}", path.display()));
    let file = std::fs::File::open(path).map_err(|source| StoreError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let mut meta =
        ArrowReaderMetadata::load(&file, ArrowReaderOptions::new()).map_err(|e| err(&e))?;
    if dictionaries {
        let hinted = Schema::new(
            meta.schema()
                .fields()
                .iter()
                .map(|f| match f.data_type() {
                    DataType::Utf8 => Field::new(
                        f.name(),
                        DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
                        f.is_nullable(),
                    ),
                    _ => f.as_ref().clone(),
                })
                .collect::<Vec<_>>(),
        );
        meta = ArrowReaderMetadata::try_new(
            meta.metadata().clone(),
            ArrowReaderOptions::new().with_schema(Arc::new(hinted)),
        )
        .map_err(|e| err(&e))?;
    }
    let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(file, meta)
        .with_batch_size(64 * 1024)
        .build()
        .map_err(|e| err(&e))?;
    reader
        .map(|b| b.map_err(|e| err(&e)))
        .collect::<Result<Vec<_>>>()
}

/// What a migration did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MigrateSummary {
    /// The store was already in the keyed layout: nothing was rewritten.
    pub already_keyed: bool,
    /// Leftovers of an interrupted migration that were removed.
    pub leftovers_removed: Vec<String>,
    pub rows: u64,
    pub data_files: usize,
    pub sites: usize,
    pub variables: usize,
    pub files: usize,
}

fn remove_dir(path: &Path) -> Result<bool> {
    match std::fs::remove_dir_all(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(source) => Err(StoreError::Io {
            path: path.display().to_string(),
            source,
        }),
    }
}

fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to).map_err(|source| StoreError::Io {
        path: format!("{} -> {}", from.display(), to.display()),
        source,
    })
}

/// A dictionary-encoded string column of a first-layout file, as (keys, values).
fn dict_column<'a>(
    b: &'a RecordBatch,
    name: &str,
    path: &Path,
) -> Result<(&'a Int32Array, &'a StringArray)> {
    let col = b
        .column_by_name(name)
        .ok_or_else(|| StoreError::Query(format!("{}: no column {name}", path.display())))?;
    let d = col.as_dictionary_opt::<Int32Type>().ok_or_else(|| {
        StoreError::Query(format!(
            "{}: column {name} is not a string column",
            path.display()
        ))
    })?;
    let values = d.values().as_string_opt::<i32>().ok_or_else(|| {
        StoreError::Query(format!(
            "{}: column {name} is not a string column",
            path.display()
        ))
    })?;
    Ok((d.keys(), values))
}

impl Store {
    /// How this store keeps its observations.
    pub fn layout(&self) -> Layout {
        if self.has_table(schema::OBSERVATIONS) {
            Layout::Strings
        } else {
            Layout::Keyed
        }
    }

    /// Refuse a store of the string layout, which this version would misread.
    pub(crate) fn require_keyed(&self) -> Result<()> {
        match self.layout() {
            Layout::Keyed => Ok(()),
            Layout::Strings => Err(StoreError::StringLayout {
                path: self.root().display().to_string(),
            }),
        }
    }

    /// Upgrade a store of the string layout to the keyed layout, in place (see the module
    /// documentation). Holds the writer's lock; safe to run again, killed or not.
    pub async fn migrate(&self) -> Result<MigrateSummary> {
        self.migrate_locked()
            .await
            .map_err(|e| e.on_write(self.root()))
    }

    async fn migrate_locked(&self) -> Result<MigrateSummary> {
        let _lock = crate::ingest::lock(self)?;
        let root = self.root().to_path_buf();
        let mut summary = MigrateSummary::default();
        let staging = root.join(STAGING);
        if self.layout() == Layout::Keyed {
            // A migration killed after its switch leaves only what is removed here.
            for p in [root.join(RETIRED), staging] {
                if remove_dir(&p)? {
                    summary.leftovers_removed.push(p.display().to_string());
                }
            }
            summary.already_keyed = true;
            return Ok(summary);
        }
        // A migration killed before its switch: its staging folder and any table it moved.
        if remove_dir(&staging)? {
            summary
                .leftovers_removed
                .push(staging.display().to_string());
        }
        for t in KEYED_TABLES {
            let p = root.join(t);
            if remove_dir(&p)? {
                summary.leftovers_removed.push(p.display().to_string());
            }
        }
        let old = data_files(self, schema::OBSERVATIONS).await?;
        // Pass 1: every name, keyed in sorted order, so that rows sorted by station in the
        // old files stay sorted by key.
        let mut sites = std::collections::BTreeSet::new();
        let mut variables = std::collections::BTreeSet::new();
        let mut files = std::collections::BTreeSet::new();
        for (path, source) in &old {
            for b in read_parquet(path, true)? {
                let (k, v) = dict_column(&b, "station", path)?;
                let mut used = vec![false; v.len()];
                for &x in k.values() {
                    used[x as usize] = true;
                }
                for (i, u) in used.into_iter().enumerate() {
                    if u {
                        sites.insert((source.clone(), v.value(i).to_string()));
                    }
                }
                let (vk, vv) = dict_column(&b, "variable", path)?;
                let (ak, av) = dict_column(&b, "averaging", path)?;
                let (uk, uv) = dict_column(&b, "unit", path)?;
                let mut seen = std::collections::HashSet::new();
                for i in 0..b.num_rows() {
                    seen.insert((vk.value(i), ak.value(i), uk.value(i)));
                }
                for (x, y, z) in seen {
                    variables.insert((
                        vv.value(x as usize).to_string(),
                        av.value(y as usize).to_string(),
                        uv.value(z as usize).to_string(),
                    ));
                }
                let (fk, fv) = dict_column(&b, "source_file", path)?;
                let mut seen = std::collections::HashSet::new();
                for &x in fk.values() {
                    seen.insert(x);
                }
                for x in seen {
                    files.insert(fv.value(x as usize).to_string());
                }
            }
        }
        let mut dims = Dims::default();
        for (src, st) in &sites {
            dims.site(src, st)?;
        }
        for (var, avg, unit) in &variables {
            dims.variable(var, avg, unit)?;
        }
        for f in &files {
            dims.file(f)?;
        }
        summary.sites = dims.sites.len();
        summary.variables = dims.variables.len();
        summary.files = dims.files.len();
        // Pass 2: the rows, file by file, into the staging store; one commit at the end.
        let target = Store::open(&staging).await?;
        for (name, rb) in dims.pending()? {
            target.append(name, rb, None).await?;
        }
        step(1)?;
        let mut writer = crate::ingest::RowsWriter::default();
        for (path, source) in &old {
            let mut parts = Vec::new();
            for b in read_parquet(path, true)? {
                parts.push(keyed_rows(&b, source, &dims, path)?);
            }
            if parts.is_empty() {
                continue;
            }
            let rb = deltalake::arrow::compute::concat_batches(
                &schema::observation_rows_file(),
                &parts,
            )?;
            summary.rows += rb.num_rows() as u64;
            summary.data_files += 1;
            // Each old file's rows, in their order, in row groups of the usual length.
            let row_groups =
                crate::datafile::even_row_groups(rb.num_rows(), crate::ingest::ROW_GROUP_ROWS);
            let part = crate::ingest::Part {
                batch: rb,
                row_groups,
            };
            writer
                .write(&target, vec![(source.clone(), vec![part])])
                .await?;
        }
        step(2)?;
        writer.commit().await?;
        step(3)?;
        // Move the new tables in beside the old one, then switch.
        for (i, t) in KEYED_TABLES.into_iter().enumerate() {
            let from = staging.join(t);
            if from.is_dir() {
                rename(&from, &root.join(t))?;
            }
            step(4 + i)?;
        }
        rename(&root.join(schema::OBSERVATIONS), &root.join(RETIRED))?;
        step(SWITCH_STEP)?;
        remove_dir(&root.join(RETIRED))?;
        step(SWITCH_STEP + 1)?;
        remove_dir(&staging)?;
        Ok(summary)
    }
}

/// One batch of a first-layout file as `observation_rows`, every column carried over.
fn keyed_rows(b: &RecordBatch, source: &str, dims: &Dims, path: &Path) -> Result<RecordBatch> {
    let missing = |what: &str| StoreError::Query(format!("{}: {what} not keyed", path.display()));
    let (sk, sv) = dict_column(b, "station", path)?;
    let site_of: Vec<i32> = (0..sv.len())
        .map(|i| dims.find_site(source, sv.value(i)).unwrap_or(-1))
        .collect();
    let (vk, vv) = dict_column(b, "variable", path)?;
    let (ak, av) = dict_column(b, "averaging", path)?;
    let (fk, fv) = dict_column(b, "source_file", path)?;
    let file_of: Vec<i32> = (0..fv.len())
        .map(|i| dims.file_ids.get(fv.value(i)).copied().unwrap_or(-1))
        .collect();
    let (gk, gv) = dict_column(b, "flag", path)?;
    let flag_of: Vec<i8> = (0..gv.len())
        .map(|i| {
            [Flag::Ok, Flag::Doubtful, Flag::Bad, Flag::Withdrawn]
                .into_iter()
                .find(|f| f.code() == gv.value(i))
                .map_or(-1, flag_code)
        })
        .collect();
    let n = b.num_rows();
    let mut site = Vec::with_capacity(n);
    let mut variable = Vec::with_capacity(n);
    let mut file = Vec::with_capacity(n);
    let mut flag = Vec::with_capacity(n);
    let mut var_cache: HashMap<(i32, i32), i32> = HashMap::new();
    for i in 0..n {
        let s = site_of[sk.value(i) as usize];
        if s < 0 {
            return Err(missing("a station"));
        }
        site.push(s);
        let key = (vk.value(i), ak.value(i));
        let v = match var_cache.get(&key) {
            Some(&v) => v,
            None => {
                let v = dims
                    .find_variable(vv.value(key.0 as usize), av.value(key.1 as usize))
                    .ok_or_else(|| missing("a variable"))?;
                var_cache.insert(key, v);
                v
            }
        };
        variable.push(v);
        let f = file_of[fk.value(i) as usize];
        if f < 0 {
            return Err(missing("a file"));
        }
        file.push(f);
        let g = flag_of[gk.value(i) as usize];
        if g < 0 {
            return Err(StoreError::Query(format!(
                "{}: flag {:?} is not one of ok, doubtful, bad, withdrawn",
                path.display(),
                gv.value(gk.value(i) as usize)
            )));
        }
        flag.push(g);
    }
    let col = |name: &str| -> Result<ArrayRef> {
        b.column_by_name(name)
            .cloned()
            .ok_or_else(|| StoreError::Query(format!("{}: no column {name}", path.display())))
    };
    let reason = deltalake::arrow::compute::cast(&col("flag_reason")?, &DataType::Utf8)?;
    Ok(RecordBatch::try_new(
        schema::observation_rows_file(),
        vec![
            Arc::new(Int32Array::from(site)),
            Arc::new(Int32Array::from(variable)),
            col("time_end")?,
            col("value")?,
            Arc::new(Int8Array::from(flag)),
            reason,
            col("revision")?,
            col("batch_id")?,
            Arc::new(Int32Array::from(file)),
            col("source_line")?,
        ],
    )?)
}

/// Write the observations and ingest log of `src` into the empty store `dest` in the string
/// layout of earlier versions, as they wrote it: the stores a migration starts from, for tests.
#[cfg(any(test, feature = "string-layout"))]
pub async fn write_string_layout(src: &Store, dest: &Store) -> Result<()> {
    use deltalake::arrow::compute::{cast, concat_batches};
    async fn copy(src: &Store, sql: &str, target: &Schema) -> Result<RecordBatch> {
        let target = Arc::new(target.clone());
        let mut out = Vec::new();
        for b in src.sql(sql).await? {
            let cols = b
                .columns()
                .iter()
                .zip(target.fields())
                .map(|(c, f)| cast(c, f.data_type()))
                .collect::<std::result::Result<Vec<_>, _>>()?;
            out.push(RecordBatch::try_new(target.clone(), cols)?);
        }
        Ok(concat_batches(&target, &out)?)
    }
    let obs = copy(src, "SELECT * FROM observations", &schema::observations()).await?;
    if obs.num_rows() > 0 {
        dest.append(schema::OBSERVATIONS, obs, Some("source"))
            .await?;
    }
    let log = copy(src, "SELECT * FROM ingest_log", &schema::ingest_log()).await?;
    if log.num_rows() > 0 {
        dest.append(schema::INGEST_LOG, log, None).await?;
    }
    Ok(())
}

#[cfg(test)]
thread_local! {
    /// The step after which a test's migration stops as if killed (0: none).
    static STOP_AFTER: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// A migration's step `n` is done: in tests, stop here as a killed process would.
fn step(n: usize) -> Result<()> {
    #[cfg(test)]
    if STOP_AFTER.with(|s| s.get()) == n {
        return Err(StoreError::Input(format!("stopped after step {n}")));
    }
    let _ = n;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::IngestOptions;

    /// Two days of one BJMEMC station pair, the second published twice (a value revised, one
    /// withdrawn, a bad value flagged), and a long-format file of another source.
    async fn keyed_store(dir: &Path) -> Store {
        let data = dir.join("data");
        for (sub, day, rows) in [
            (
                "a",
                "20230101",
                "20230101,1,PM2.5,9,10\n20230101,2,PM2.5,-3,11\n",
            ),
            (
                "a",
                "20230102",
                "20230102,1,PM2.5,5,6\n20230102,2,PM2.5,7,8\n",
            ),
            (
                "b",
                "20230102",
                "20230102,1,PM2.5,5,6\n20230102,2,PM2.5,70,\n",
            ),
        ] {
            std::fs::create_dir_all(data.join(sub)).unwrap();
            std::fs::write(
                data.join(sub).join(format!("beijing_all_{day}.csv")),
                format!("date,hour,type,东城东四,东城天坛\n{rows}"),
            )
            .unwrap();
        }
        std::fs::write(
            data.join("long.csv"),
            "station,time,variable,value,unit,averaging,source\n\
             WS01,2024-05-14 10:30,water.NH3-N,0.42,mg/L,grab,fixture\n\
             A1,2024-05-14 11:00,PM2.5,35,ug/m3,,fixture\n",
        )
        .unwrap();
        let store = Store::open(&dir.join("keyed")).await.unwrap();
        for p in [data.join("a"), data.join("long.csv")] {
            store
                .ingest(&[p], &IngestOptions::default(), &mut |_| {})
                .await
                .unwrap();
        }
        // The second publication of day 2 under the first one's path.
        std::fs::copy(
            data.join("b/beijing_all_20230102.csv"),
            data.join("a/beijing_all_20230102.csv"),
        )
        .unwrap();
        store
            .ingest(&[data.join("a")], &IngestOptions::default(), &mut |_| {})
            .await
            .unwrap();
        store
    }

    /// Every row of a view, all columns, sorted.
    async fn dump(store: &Store, view: &str) -> Vec<String> {
        let mut out = Vec::new();
        for b in store.sql(&format!("SELECT * FROM {view}")).await.unwrap() {
            let b = crate::query::normalize(&b).unwrap();
            for i in 0..b.num_rows() {
                out.push(
                    (0..b.num_columns())
                        .map(|c| crate::query::cell(&b, c, i))
                        .collect::<Vec<_>>()
                        .join("|"),
                );
            }
        }
        out.sort();
        out
    }

    async fn string_store(dir: &Path, keyed: &Store, name: &str) -> Store {
        let s = Store::open(&dir.join(name)).await.unwrap();
        write_string_layout(keyed, &s).await.unwrap();
        assert_eq!(s.layout(), Layout::Strings);
        s
    }

    #[tokio::test]
    async fn a_migrated_store_reads_the_same_rows_and_a_second_run_changes_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let keyed = keyed_store(tmp.path()).await;
        let (obs, cur) = (
            dump(&keyed, "observations").await,
            dump(&keyed, "current").await,
        );
        // Worked by hand: 8 + 2 values first, day 2 again (one revised, one withdrawn): 12
        // rows, 10 current.
        assert_eq!((obs.len(), cur.len()), (12, 10));
        assert!(obs.iter().any(|r| r.contains("|withdrawn|")));
        let old = string_store(tmp.path(), &keyed, "old").await;
        // Read as it is by SQL, refused by everything that reads values by key.
        assert_eq!(dump(&old, "observations").await, obs);
        assert_eq!(dump(&old, "current").await, cur);
        let refused = old.matrix_reader(&[]).await.err().unwrap().to_string();
        assert!(refused.contains("lantian migrate"), "{refused}");
        let refused = old
            .ingest(
                &[tmp.path().join("data/long.csv")],
                &IngestOptions::default(),
                &mut |_| {},
            )
            .await
            .err()
            .unwrap();
        assert!(
            matches!(refused, StoreError::StringLayout { .. }),
            "{refused}"
        );

        let s = old.migrate().await.unwrap();
        assert!(!s.already_keyed);
        // Sites 东城东四, 东城天坛, WS01 and A1; files: the two days (the second published twice
        // under one path) and the long file.
        assert_eq!((s.rows, s.sites, s.files), (12, 4, 3));
        assert_eq!(old.layout(), Layout::Keyed);
        assert_eq!(dump(&old, "observations").await, obs);
        assert_eq!(dump(&old, "current").await, cur);
        assert!(!old.root().join(STAGING).exists() && !old.root().join(RETIRED).exists());
        // The matrix of the migrated store is the original's.
        let q = crate::matrix::MatrixQuery {
            stations: vec!["东城东四".into(), "东城天坛".into()],
            variables: vec!["PM2.5".into()],
            sources: vec![],
            averaging: "1h".into(),
            flags: vec!["ok".into()],
            start_micros: 1_672_502_400_000_000,
            len: 48,
        };
        let (a, b) = (
            keyed.hourly_matrix(&q).await.unwrap().values,
            old.hourly_matrix(&q).await.unwrap().values,
        );
        assert_eq!(
            a.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            b.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
        );
        assert_eq!(a.iter().filter(|v| !v.is_nan()).count(), 6);
        // Again: nothing to do, nothing changed; then an ingest of a file already logged
        // reads nothing again.
        let again = old.migrate().await.unwrap();
        assert!(again.already_keyed && again.leftovers_removed.is_empty());
        assert_eq!(dump(&old, "observations").await, obs);
        let i = old
            .ingest(
                &[tmp.path().join("data/a")],
                &IngestOptions::default(),
                &mut |_| {},
            )
            .await
            .unwrap();
        assert_eq!(i.files_skipped_unchanged(), 2);
    }

    /// A migration stopped after each of its steps (as a kill would stop it), then run again,
    /// gives the store a whole migration gives; before the switch the store is still the string
    /// layout with its rows, after it the keyed layout with its rows.
    #[tokio::test]
    async fn a_migration_stopped_after_any_step_completes_when_run_again() {
        let tmp = tempfile::tempdir().unwrap();
        let keyed = keyed_store(tmp.path()).await;
        let obs = dump(&keyed, "observations").await;
        for stop in 1..=LAST_STEP {
            let old = string_store(tmp.path(), &keyed, &format!("old{stop}")).await;
            STOP_AFTER.with(|s| s.set(stop));
            let e = old.migrate().await.err().unwrap().to_string();
            STOP_AFTER.with(|s| s.set(0));
            assert!(e.contains(&format!("after step {stop}")), "{e}");
            let expect = if stop < SWITCH_STEP {
                Layout::Strings
            } else {
                Layout::Keyed
            };
            assert_eq!(old.layout(), expect, "stopped after step {stop}");
            assert_eq!(
                dump(&old, "observations").await,
                obs,
                "stopped after {stop}"
            );
            let s = old.migrate().await.unwrap();
            assert_eq!(s.already_keyed, stop >= SWITCH_STEP, "stopped after {stop}");
            assert!(!s.leftovers_removed.is_empty(), "stopped after {stop}");
            assert_eq!(old.layout(), Layout::Keyed);
            assert_eq!(
                dump(&old, "observations").await,
                obs,
                "stopped after {stop}"
            );
            assert!(!old.root().join(STAGING).exists() && !old.root().join(RETIRED).exists());
        }
    }

    #[test]
    fn flag_codes_go_both_ways() {
        for f in [Flag::Ok, Flag::Doubtful, Flag::Bad, Flag::Withdrawn] {
            assert_eq!(flag_of_code(flag_code(f)), Some(f));
        }
        assert_eq!(flag_of_code(4), None);
    }
}
