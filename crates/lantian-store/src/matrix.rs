//! The hourly matrix: the current values of chosen stations × variables on a dense hourly axis,
//! read straight from the Parquet files of one table snapshot.
//!
//! Every assessment starts by turning the long table (one row per value revision) into dense
//! series. Through SQL that is a filtered scan plus the anti join of the `current` view, with
//! every string materialised (1.7 s for the 16 M hourly pollutant rows of Beijing 2014–2024).
//! This reader does the same selection with the layout in mind:
//! - the file list comes from the Delta snapshot (one consistent version, as the SQL session);
//!   files of other sources are skipped by their partition value;
//! - row groups whose `time_end` statistics lie outside the window, whose `site_id`
//!   statistics hold none of the stations, or whose variables (listed in the file's footer,
//!   see `datafile`) are none of the query's, are not read, nor are the pages of the others
//!   whose page statistics (the column index) say the same: a read of a few hundred of a
//!   national file's stations decodes their pages, not every row group they share with other
//!   stations, and a read of hourly values none of the running means stored beside them;
//! - only the six columns needed are decoded, all integers and numbers: a station or variable
//!   is looked up once per key of the dimension tables (see [`crate::layout`]), and each row
//!   indexes that lookup by its key;
//! - files are read on all cores, each thread into its own matrix, merged at the end.
//!
//! The result is the `current` view's (see [`crate::query::CURRENT_VIEW`]): the latest revision
//! of a key wins. Revisions of a key are contiguous from 0 (ingest appends `revision + 1`), so
//! "no row of revision r + 1 exists" and "r is the largest revision" select the same row. A
//! latest revision that is withdrawn, has no value or has a flag outside `flags` leaves the cell
//! empty, as the SQL `WHERE` applied after the view does; an older revision never shows through.

use crate::layout::Dims;
use crate::{Result, Store, StoreError, schema};
use deltalake::arrow::array::{Array, AsArray, RecordBatch};
use deltalake::arrow::datatypes::{Float64Type, Int8Type, Int32Type, TimestampMicrosecondType};
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder, RowSelection,
    RowSelector,
};
use parquet::file::metadata::PageIndexPolicy;
use parquet::file::page_index::column_index::ColumnIndexMetaData;
use parquet::file::statistics::Statistics;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// What to read: values of `averaging` of these stations and variables whose `time_end` lies in
/// `[start, start + len hours)` (hour `h` of the axis is `start + h` hours, µs since the epoch,
/// UTC).
#[derive(Debug, Clone)]
pub struct MatrixQuery {
    pub stations: Vec<String>,
    pub variables: Vec<String>,
    /// Sources to read; empty reads all.
    pub sources: Vec<String>,
    pub averaging: String,
    /// Flags whose values are used (`ok`, and `doubtful` on request).
    pub flags: Vec<String>,
    pub start_micros: i64,
    pub len: usize,
}

/// Dense hourly values: `values[(station * variables + variable) * len + hour]`, NaN where no
/// current, usable value exists.
#[derive(Debug, Clone)]
pub struct HourlyMatrix {
    pub stations: Vec<String>,
    pub variables: Vec<String>,
    pub start_micros: i64,
    pub len: usize,
    pub values: Vec<f64>,
}

impl HourlyMatrix {
    /// The series of one station and variable.
    pub fn series(&self, station: usize, variable: usize) -> &[f64] {
        let i = (station * self.variables.len() + variable) * self.len;
        &self.values[i..i + self.len]
    }

    /// Whether a station has any value at all.
    pub fn has_data(&self, station: usize) -> bool {
        (0..self.variables.len()).any(|v| self.series(station, v).iter().any(|x| !x.is_nan()))
    }
}

const HOUR_MICROS: i64 = 3_600_000_000;
/// The columns read, in this order.
const COLUMNS: [&str; 6] = [
    "site_id",
    "variable_id",
    "time_end",
    "value",
    "flag_code",
    "revision",
];

/// One Parquet file of the snapshot, its footer read once.
struct DataFile {
    path: PathBuf,
    meta: ArrowReaderMetadata,
    /// Parquet leaf index of each of [`COLUMNS`].
    leaves: Vec<usize>,
    /// `time_end` range of each row group (`None` where the writer kept no statistics).
    time_ranges: Vec<Option<(i64, i64)>>,
    /// `site_id` range of each row group (`None` where the writer kept no statistics). Rows are
    /// written sorted by site within each averaging window, so a row group covers a narrow
    /// range.
    site_ranges: Vec<Option<(i32, i32)>>,
    /// The variable keys of each row group, rising (`None` where the file does not list them).
    variables: Vec<Option<Vec<i32>>>,
    /// The pages of each row group's `site_id` and `time_end` (empty where the file has no page
    /// index).
    site_pages: Vec<Vec<Page<i32>>>,
    time_pages: Vec<Vec<Page<i64>>>,
}

/// One page of a column chunk: its first row in the row group and the range of its values
/// (`None` where the writer kept no statistics for it).
#[derive(Debug, Clone, Copy)]
struct Page<T> {
    first_row: usize,
    range: Option<(T, T)>,
}

/// Whether one of `sites` (sorted) lies in `[lo, hi]`: the first not below `lo` must not be
/// above `hi`.
fn holds_site(sites: &[i32], lo: i32, hi: i32) -> bool {
    let i = sites.partition_point(|s| *s < lo);
    sites.get(i).is_some_and(|s| *s <= hi)
}

/// The rows of a row group of `rows` rows that `pages` may hold a wanted row in, as sorted,
/// disjoint `[start, end)` ranges (all rows where there are no pages).
fn kept_rows<T: Copy>(
    pages: &[Page<T>],
    rows: usize,
    wanted: impl Fn(T, T) -> bool,
) -> Vec<(usize, usize)> {
    if pages.is_empty() {
        return vec![(0, rows)];
    }
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        let end = pages.get(i + 1).map_or(rows, |n| n.first_row);
        if p.range.is_some_and(|(lo, hi)| !wanted(lo, hi)) || end <= p.first_row {
            continue;
        }
        match out.last_mut() {
            Some(last) if last.1 == p.first_row => last.1 = end,
            _ => out.push((p.first_row, end)),
        }
    }
    out
}

/// The rows in both of two lists of sorted, disjoint ranges.
fn intersect(a: &[(usize, usize)], b: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        let (lo, hi) = (a[i].0.max(b[j].0), a[i].1.min(b[j].1));
        if lo < hi {
            out.push((lo, hi));
        }
        if a[i].1 < b[j].1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

impl DataFile {
    /// Whether row group `g` may hold a row of one of `k`'s sites and variables in
    /// `[start, end)`.
    fn may_hold(&self, g: usize, k: &Keyed, start: i64, end: i64) -> bool {
        let sites = &k.sorted_sites[..];
        let variable = match &self.variables[g] {
            Some(keys) => keys
                .iter()
                .any(|&v| k.variable.get(v as usize).is_some_and(Option::is_some)),
            None => true,
        };
        let time = match self.time_ranges[g] {
            Some((lo, hi)) => hi >= start && lo < end,
            None => true,
        };
        variable
            && time
            && match self.site_ranges[g] {
                Some((lo, hi)) => holds_site(sites, lo, hi),
                None => true,
            }
    }

    /// The rows of row group `g` that its pages' statistics do not rule out, as selectors
    /// appended to `out`; returns the number of rows kept.
    fn select_pages(
        &self,
        g: usize,
        sites: &[i32],
        start: i64,
        end: i64,
        out: &mut Vec<RowSelector>,
    ) -> usize {
        let rows = self.meta.metadata().row_group(g).num_rows() as usize;
        let by_site = kept_rows(&self.site_pages[g], rows, |lo, hi| {
            holds_site(sites, lo, hi)
        });
        let by_time = kept_rows(&self.time_pages[g], rows, |lo, hi| hi >= start && lo < end);
        select(&intersect(&by_site, &by_time), rows, out)
    }
}

/// Selectors for the rows `kept` (sorted, disjoint ranges) of a row group of `rows` rows,
/// appended to `out`; returns the number of rows kept.
fn select(kept: &[(usize, usize)], rows: usize, out: &mut Vec<RowSelector>) -> usize {
    let (mut at, mut n) = (0, 0);
    for &(lo, hi) in kept {
        if lo > at {
            out.push(RowSelector::skip(lo - at));
        }
        out.push(RowSelector::select(hi - lo));
        n += hi - lo;
        at = hi;
    }
    if rows > at {
        out.push(RowSelector::skip(rows - at));
    }
    n
}

/// A snapshot of `observation_rows` with the names of its keys, ready for any number of matrix
/// reads (an annual run reads one year after the other from the same version).
pub struct MatrixReader {
    files: Vec<DataFile>,
    dims: Dims,
}

/// Rows of revision > 0 seen by one thread: (cell, revision, value or NaN).
type Revised = Vec<(usize, i32, f64)>;

/// A query in keys: what each site and variable key is in the matrix, and which flags count.
struct Keyed {
    /// Station index of each site key (`None`: not wanted).
    site: Vec<Option<usize>>,
    /// Wanted site keys, sorted (for the row groups' statistics).
    sorted_sites: Vec<i32>,
    /// Variable index of each variable key at the query's averaging.
    variable: Vec<Option<usize>>,
    /// Whether a value of each flag code is used.
    flag: [bool; 4],
}

impl Store {
    /// Open the current snapshot of `observation_rows` for matrix reads, keeping the files of
    /// `sources` (all when empty). A store of the string layout is refused (see
    /// [`crate::layout`]).
    pub async fn matrix_reader(&self, sources: &[String]) -> Result<MatrixReader> {
        self.require_keyed()?;
        let paths: Vec<PathBuf> = crate::layout::data_files(self, schema::OBSERVATION_ROWS)
            .await?
            .into_iter()
            .filter(|(_, source)| sources.is_empty() || sources.iter().any(|x| x == source))
            .map(|(p, _)| p)
            .collect();
        // After the rows' snapshot: every key of it is named (see `Dims::load`).
        let dims = Dims::load(self).await?;
        let files = paths
            .into_iter()
            .map(open_file)
            .collect::<Result<Vec<_>>>()?;
        Ok(MatrixReader { files, dims })
    }

    /// Read the hourly matrix of `q` from the current snapshot (see the module documentation).
    pub async fn hourly_matrix(&self, q: &MatrixQuery) -> Result<HourlyMatrix> {
        self.matrix_reader(&q.sources).await?.read(q)
    }
}

impl MatrixReader {
    /// The latest `time_end` (UTC microseconds) in the snapshot's row-group statistics, or
    /// `None` for an empty store (or files without statistics). The server starts its search
    /// for the latest hour with data here rather than scanning the table.
    pub fn latest_micros(&self) -> Option<i64> {
        self.files
            .iter()
            .flat_map(|f| f.time_ranges.iter())
            .filter_map(|r| r.map(|(_, hi)| hi))
            .max()
    }

    /// Number of data files in the snapshot.
    pub fn files(&self) -> usize {
        self.files.len()
    }

    /// The query in keys.
    fn keyed(&self, q: &MatrixQuery) -> Keyed {
        fn position(names: &[String]) -> HashMap<&str, usize> {
            names
                .iter()
                .enumerate()
                .map(|(i, s)| (s.as_str(), i))
                .collect()
        }
        let (stations, variables) = (position(&q.stations), position(&q.variables));
        let site: Vec<Option<usize>> = self
            .dims
            .sites
            .iter()
            .map(|(_, st)| stations.get(&**st).copied())
            .collect();
        let sorted_sites = (0..site.len() as i32)
            .filter(|&i| site[i as usize].is_some())
            .collect();
        let variable = self
            .dims
            .variables
            .iter()
            .map(|(v, a, _)| {
                (*a == q.averaging)
                    .then(|| variables.get(v.as_str()).copied())
                    .flatten()
            })
            .collect();
        let mut flag = [false; 4];
        for (code, f) in flag.iter_mut().enumerate() {
            *f = crate::layout::flag_of_code(code as i8)
                .is_some_and(|fl| q.flags.iter().any(|x| x == fl.code()));
        }
        Keyed {
            site,
            sorted_sites,
            variable,
            flag,
        }
    }

    /// Every station of the snapshot, sorted. A page's minimum and maximum `site_id` are sites
    /// it holds, so most sites are known from the page index alone; only the pages whose range
    /// holds a site not yet known have their `site_id` decoded (all of a file without a page
    /// index). A national year (1,700 stations in 730 files) is then known from its footers
    /// and a few pages, where decoding every row's site took about half a second of a network
    /// AQI run, and `SELECT DISTINCT station` joins every row to its name.
    pub fn stations(&self) -> Result<Vec<String>> {
        use std::sync::atomic::AtomicBool;
        let used: Vec<AtomicBool> = (0..self.dims.sites.len())
            .map(|_| AtomicBool::new(false))
            .collect();
        let mark = |s: i32| -> Result<()> {
            used.get(s as usize)
                .ok_or_else(|| StoreError::Query(format!("site key {s} has no name")))?
                .store(true, Ordering::Relaxed);
            Ok(())
        };
        for f in &self.files {
            for g in 0..f.site_pages.len() {
                for p in &f.site_pages[g] {
                    if let Some((lo, hi)) = p.range {
                        mark(lo)?;
                        mark(hi)?;
                    }
                }
            }
        }
        // Whether a page of sites `[lo, hi]` may hold a site not yet known.
        let unknown = |lo: i32, hi: i32| {
            (lo.max(0)..=hi).any(|s| {
                used.get(s as usize)
                    .is_some_and(|u| !u.load(Ordering::Relaxed))
            })
        };
        let next = AtomicUsize::new(0);
        let threads = std::thread::available_parallelism()
            .map(|x| x.get())
            .unwrap_or(1)
            .min(self.files.len())
            .max(1);
        let parts: Vec<Result<()>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    s.spawn(|| {
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(f) = self.files.get(i) else { break };
                            sites_used(f, &unknown, &mark)?;
                        }
                        Ok(())
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("station reader thread panicked"))
                .collect()
        });
        for p in parts {
            p?;
        }
        let mut all = std::collections::BTreeSet::new();
        for (i, u) in used.iter().enumerate() {
            if u.load(Ordering::Relaxed) {
                all.insert(self.dims.sites[i].1.to_string());
            }
        }
        Ok(all.into_iter().collect())
    }

    /// (row groups `q` decodes, row groups of the snapshot): what the `site_id` and `time_end`
    /// statistics spare a read (the same test as [`MatrixReader::read`]).
    pub fn row_groups(&self, q: &MatrixQuery) -> (usize, usize) {
        let end_micros = q.start_micros + q.len as i64 * HOUR_MICROS;
        let k = self.keyed(q);
        let mut n = (0, 0);
        for f in &self.files {
            for g in 0..f.time_ranges.len() {
                n.1 += 1;
                if f.may_hold(g, &k, q.start_micros, end_micros) {
                    n.0 += 1;
                }
            }
        }
        n
    }

    /// (rows `q` decodes, rows of the snapshot): what the row groups' and pages' statistics
    /// spare a read (the same selection as [`MatrixReader::read`]).
    pub fn rows_read(&self, q: &MatrixQuery) -> (usize, usize) {
        let end_micros = q.start_micros + q.len as i64 * HOUR_MICROS;
        let k = self.keyed(q);
        let mut n = (0, 0);
        let mut selectors = Vec::new();
        for f in &self.files {
            for g in 0..f.time_ranges.len() {
                n.1 += f.meta.metadata().row_group(g).num_rows() as usize;
                if f.may_hold(g, &k, q.start_micros, end_micros) {
                    n.0 += f.select_pages(
                        g,
                        &k.sorted_sites,
                        q.start_micros,
                        end_micros,
                        &mut selectors,
                    );
                }
            }
        }
        n
    }

    /// Read the hourly matrix of `q` on all cores. `q.sources` was applied when the reader was
    /// opened.
    pub fn read(&self, q: &MatrixQuery) -> Result<HourlyMatrix> {
        let n = q.stations.len() * q.variables.len() * q.len;
        let nan = f64::NAN.to_bits();
        // One matrix shared by the threads: each cell is written by the thread that meets the
        // key's revision-0 row (keys are unique per revision), so plain atomic stores suffice.
        let cells: Vec<AtomicU64> = (0..n).map(|_| AtomicU64::new(nan)).collect();
        let end_micros = q.start_micros + q.len as i64 * HOUR_MICROS;
        let k = &self.keyed(q);
        let wanted: Vec<&DataFile> = self
            .files
            .iter()
            .filter(|f| {
                (0..f.time_ranges.len()).any(|g| f.may_hold(g, k, q.start_micros, end_micros))
            })
            .collect();
        let next = AtomicUsize::new(0);
        let threads = std::thread::available_parallelism()
            .map(|x| x.get())
            .unwrap_or(1)
            .min(wanted.len());
        let parts: Vec<Result<Revised>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    s.spawn(|| {
                        let mut revised = Revised::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(f) = wanted.get(i) else { break };
                            read_file(f, q, k, &cells, &mut revised)?;
                        }
                        Ok(revised)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("matrix reader thread panicked"))
                .collect()
        });
        let mut revised = Revised::new();
        for p in parts {
            revised.extend(p?);
        }
        let mut values: Vec<f64> = cells
            .into_iter()
            .map(|c| f64::from_bits(c.into_inner()))
            .collect();
        // The latest revision of each revised key wins, whatever its file or thread.
        revised.sort_by_key(|x| (x.0, x.1));
        for w in revised.chunk_by(|a, b| a.0 == b.0) {
            let (cell, _, v) = w[w.len() - 1];
            values[cell] = v;
        }
        Ok(HourlyMatrix {
            stations: q.stations.clone(),
            variables: q.variables.clone(),
            start_micros: q.start_micros,
            len: q.len,
            values,
        })
    }
}

fn parquet_err(path: &std::path::Path, e: impl std::fmt::Display) -> StoreError {
    StoreError::Query(format!("{}: {e}", path.display()))
}

fn open_file(path: PathBuf) -> Result<DataFile> {
    let file = std::fs::File::open(&path).map_err(|source| StoreError::Io {
        path: path.display().to_string(),
        source,
    })?;
    // The page index, where the writer kept one, lets a read skip the pages of other stations
    // and hours (see `DataFile::select_pages`).
    let meta = ArrowReaderMetadata::load(
        &file,
        ArrowReaderOptions::new().with_page_index_policy(PageIndexPolicy::Optional),
    )
    .map_err(|e| parquet_err(&path, e))?;
    let pq_schema = meta.metadata().file_metadata().schema_descr_ptr();
    let mut leaves = Vec::with_capacity(COLUMNS.len());
    for c in COLUMNS {
        let i = (0..pq_schema.num_columns())
            .find(|&i| pq_schema.column(i).name() == c)
            .ok_or_else(|| parquet_err(&path, format!("no column {c}")))?;
        leaves.push(i);
    }
    let groups = meta.metadata().row_groups();
    let time_leaf = leaves[2];
    let time_ranges = groups
        .iter()
        .map(|g| match g.column(time_leaf).statistics() {
            Some(Statistics::Int64(s)) => match (s.min_opt(), s.max_opt()) {
                (Some(&lo), Some(&hi)) => Some((lo, hi)),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let site_leaf = leaves[0];
    let site_ranges = groups
        .iter()
        .map(|g| match g.column(site_leaf).statistics() {
            Some(Statistics::Int32(s)) => match (s.min_opt(), s.max_opt()) {
                (Some(&lo), Some(&hi)) => Some((lo, hi)),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let pages = |leaf: usize| -> Vec<Vec<Page<i64>>> {
        let md = meta.metadata();
        (0..groups.len())
            .map(|g| {
                let (Some(offsets), Some(index)) = (
                    md.offset_index().and_then(|o| o.get(g)?.get(leaf)),
                    md.column_index().and_then(|c| c.get(g)?.get(leaf)),
                ) else {
                    return Vec::new();
                };
                let range = |p: usize| -> Option<(i64, i64)> {
                    match index {
                        ColumnIndexMetaData::INT32(x) => {
                            Some((i64::from(*x.min_value(p)?), i64::from(*x.max_value(p)?)))
                        }
                        ColumnIndexMetaData::INT64(x) => Some((*x.min_value(p)?, *x.max_value(p)?)),
                        _ => None,
                    }
                };
                offsets
                    .page_locations()
                    .iter()
                    .enumerate()
                    .map(|(p, loc)| Page {
                        first_row: loc.first_row_index as usize,
                        range: range(p),
                    })
                    .collect()
            })
            .collect()
    };
    let listed = meta
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .and_then(|kv| {
            kv.iter()
                .find(|kv| kv.key == crate::datafile::ROW_GROUP_VARIABLES)
        })
        .and_then(|kv| kv.value.as_deref())
        .and_then(|text| crate::datafile::parse_row_group_variables(text, groups.len()));
    let variables = match listed {
        Some(lists) => lists.into_iter().map(Some).collect(),
        None => vec![None; groups.len()],
    };
    let site_pages = pages(site_leaf)
        .into_iter()
        .map(|g| {
            g.into_iter()
                .map(|p| Page {
                    first_row: p.first_row,
                    range: p.range.map(|(lo, hi)| (lo as i32, hi as i32)),
                })
                .collect()
        })
        .collect();
    let time_pages = pages(time_leaf);
    Ok(DataFile {
        path,
        meta,
        leaves,
        time_ranges,
        site_ranges,
        variables,
        site_pages,
        time_pages,
    })
}

/// The `time_end` and `variable_id` ranges of one data file from its footer (all times or
/// all variables where a row group has no statistics).
pub(crate) fn file_span(path: &std::path::Path) -> Result<(i64, i64, i32, i32)> {
    let f = open_file(path.to_path_buf())?;
    let mut time = (i64::MAX, i64::MIN);
    for r in &f.time_ranges {
        match r {
            Some((lo, hi)) => time = (time.0.min(*lo), time.1.max(*hi)),
            None => time = (i64::MIN, i64::MAX),
        }
    }
    let mut var = (i32::MAX, i32::MIN);
    for g in f.meta.metadata().row_groups() {
        match g.column(f.leaves[1]).statistics() {
            Some(Statistics::Int32(s)) => match (s.min_opt(), s.max_opt()) {
                (Some(&lo), Some(&hi)) => var = (var.0.min(lo), var.1.max(hi)),
                _ => var = (i32::MIN, i32::MAX),
            },
            _ => var = (i32::MIN, i32::MAX),
        }
    }
    Ok((time.0, time.1, var.0, var.1))
}

fn reader(
    f: &DataFile,
    leaves: &[usize],
    row_groups: Option<Vec<usize>>,
    selection: Option<RowSelection>,
) -> Result<parquet::arrow::arrow_reader::ParquetRecordBatchReader> {
    let path = f.path.as_path();
    let file = std::fs::File::open(path).map_err(|source| StoreError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let pq_schema = f.meta.metadata().file_metadata().schema_descr_ptr();
    let mask = ProjectionMask::leaves(&pq_schema, leaves.iter().copied());
    let mut b = ParquetRecordBatchReaderBuilder::new_with_metadata(file, f.meta.clone())
        .with_projection(mask)
        .with_batch_size(64 * 1024);
    if let Some(g) = row_groups {
        b = b.with_row_groups(g);
    }
    if let Some(s) = selection {
        b = b.with_row_selection(s);
    }
    b.build().map_err(|e| parquet_err(path, e))
}

fn int32s<'a>(b: &'a RecordBatch, name: &str, path: &std::path::Path) -> Result<&'a [i32]> {
    b.column_by_name(name)
        .and_then(|c| c.as_primitive_opt::<Int32Type>())
        .map(|a| a.values().as_ref())
        .ok_or_else(|| parquet_err(path, format!("{name} is not int32")))
}

/// Mark the site keys one file uses, decoding only the pages whose range `unknown` says may
/// hold a site not yet marked (every page without statistics).
fn sites_used(
    f: &DataFile,
    unknown: &dyn Fn(i32, i32) -> bool,
    mark: &dyn Fn(i32) -> Result<()>,
) -> Result<()> {
    let path = f.path.as_path();
    let mut selectors = Vec::new();
    let (mut kept, mut rows) = (0, 0);
    for g in 0..f.site_pages.len() {
        let n = f.meta.metadata().row_group(g).num_rows() as usize;
        let keep = match f.site_ranges[g] {
            Some((lo, hi)) if !unknown(lo, hi) => Vec::new(),
            _ => kept_rows(&f.site_pages[g], n, unknown),
        };
        kept += select(&keep, n, &mut selectors);
        rows += n;
    }
    if kept == 0 {
        return Ok(());
    }
    let selection = (kept < rows).then(|| RowSelection::from(selectors));
    for batch in reader(f, &f.leaves[..1], None, selection)? {
        let b: RecordBatch = batch.map_err(|e| parquet_err(path, e))?;
        let sites = int32s(&b, "site_id", path)?;
        // Rows of a site run together: one mark a run.
        for (i, &s) in sites.iter().enumerate() {
            if i == 0 || sites[i - 1] != s {
                mark(s)?;
            }
        }
    }
    Ok(())
}

fn read_file(
    f: &DataFile,
    q: &MatrixQuery,
    k: &Keyed,
    cells: &[AtomicU64],
    revised: &mut Revised,
) -> Result<()> {
    let path = f.path.as_path();
    let end_micros = q.start_micros + q.len as i64 * HOUR_MICROS;
    // Row groups whose time_end range misses the window, or whose site range holds none of
    // the sites, are skipped.
    let row_groups: Vec<usize> = (0..f.time_ranges.len())
        .filter(|&g| f.may_hold(g, k, q.start_micros, end_micros))
        .collect();
    if row_groups.is_empty() {
        return Ok(());
    }
    // Within them, the pages that may hold the sites and hours.
    let mut selectors = Vec::new();
    let (mut kept, mut rows) = (0, 0);
    for &g in &row_groups {
        kept += f.select_pages(
            g,
            &k.sorted_sites,
            q.start_micros,
            end_micros,
            &mut selectors,
        );
        rows += f.meta.metadata().row_group(g).num_rows() as usize;
    }
    if kept == 0 {
        return Ok(());
    }
    let selection = (kept < rows).then(|| RowSelection::from(selectors));
    let nv = q.variables.len();
    for batch in reader(f, &f.leaves, Some(row_groups), selection)? {
        let b: RecordBatch = batch.map_err(|e| parquet_err(path, e))?;
        let col = |name: &str| {
            b.column_by_name(name)
                .ok_or_else(|| parquet_err(path, format!("no column {name}")))
        };
        let (sites, vars) = (
            int32s(&b, "site_id", path)?,
            int32s(&b, "variable_id", path)?,
        );
        let time = col("time_end")?
            .as_primitive_opt::<TimestampMicrosecondType>()
            .ok_or_else(|| parquet_err(path, "time_end is not a µs timestamp"))?;
        let value = col("value")?
            .as_primitive_opt::<Float64Type>()
            .ok_or_else(|| parquet_err(path, "value is not float64"))?;
        let flags = col("flag_code")?
            .as_primitive_opt::<Int8Type>()
            .ok_or_else(|| parquet_err(path, "flag_code is not int8"))?;
        let revs = int32s(&b, "revision", path)?;
        let (times, vals, flags) = (time.values(), value.values(), flags.values());
        for i in 0..b.num_rows() {
            let Some(&Some(s)) = k.site.get(sites[i] as usize) else {
                continue;
            };
            let Some(&Some(v)) = k.variable.get(vars[i] as usize) else {
                continue;
            };
            let t = times[i];
            if t < q.start_micros || t >= end_micros {
                continue;
            }
            let h = ((t - q.start_micros) / HOUR_MICROS) as usize;
            let cell = (s * nv + v) * q.len + h;
            let usable =
                k.flag.get(flags[i] as usize).copied().unwrap_or(false) && value.is_valid(i);
            let v = if usable { vals[i] } else { f64::NAN };
            match revs[i] {
                0 => cells[cell].store(v.to_bits(), Ordering::Relaxed),
                r => revised.push((cell, r, v)),
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::IngestOptions;
    use deltalake::arrow::array::AsArray;
    use deltalake::arrow::datatypes::{Float64Type, Int64Type};

    /// 2023-01-01 01:00 Beijing (hour-ending) in µs since the epoch: 2022-12-31T17:00Z.
    const T0: i64 = 1_672_506_000_000_000;

    fn bjmemc(rows: &[(u32, &str, &str, &str)]) -> String {
        let mut s = String::from("date,hour,type,东城东四,西城官园\n");
        for (h, t, a, b) in rows {
            s.push_str(&format!("20230101,{h},{t},{a},{b}\n"));
        }
        s
    }

    /// The same selection through SQL over the `current` view, as the assessment read it
    /// before this reader existed.
    async fn by_sql(store: &Store, q: &MatrixQuery) -> Vec<f64> {
        let list = |v: &[String]| {
            v.iter()
                .map(|x| format!("'{x}'"))
                .collect::<Vec<_>>()
                .join(",")
        };
        let sql = format!(
            "SELECT station, variable, CAST(time_end AS BIGINT) AS t, value FROM current \
             WHERE averaging = '{}' AND value IS NOT NULL AND flag IN ({}) AND variable IN ({}) \
             AND station IN ({}) AND CAST(time_end AS BIGINT) >= {} AND CAST(time_end AS BIGINT) < {}",
            q.averaging,
            list(&q.flags),
            list(&q.variables),
            list(&q.stations),
            q.start_micros,
            q.start_micros + q.len as i64 * HOUR_MICROS
        );
        let mut out = vec![f64::NAN; q.stations.len() * q.variables.len() * q.len];
        for b in store.sql(&sql).await.unwrap() {
            let st = crate::col::strings(&b, 0);
            let var = crate::col::strings(&b, 1);
            let t = b.column(2).as_primitive::<Int64Type>();
            let v = b.column(3).as_primitive::<Float64Type>();
            for i in 0..b.num_rows() {
                let s = q.stations.iter().position(|x| x == st.value(i)).unwrap();
                let p = q.variables.iter().position(|x| x == var.value(i)).unwrap();
                let h = ((t.value(i) - q.start_micros) / HOUR_MICROS) as usize;
                let cell = (s * q.variables.len() + p) * q.len + h;
                assert!(out[cell].is_nan(), "two current rows for one cell");
                out[cell] = v.value(i);
            }
        }
        out
    }

    fn same(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(x, y)| x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()))
    }

    /// A national day file: rows of (date, hour, type), a column per station.
    fn cnemc_day(stations: usize, types: &[&str]) -> String {
        let mut s = String::from("date,hour,type");
        for i in 0..stations {
            s.push_str(&format!(",{}A", 1001 + i));
        }
        s.push('\n');
        for h in 0..24 {
            for (k, t) in types.iter().enumerate() {
                s.push_str(&format!("20230101,{h},{t}"));
                for i in 0..stations {
                    s.push_str(&format!(",{}", (i * 7 + h * 3 + k) % 97 + 1));
                }
                s.push('\n');
            }
        }
        s
    }

    /// The ingest writes `observations` sorted by station in row groups of
    /// [`crate::ingest::ROW_GROUP_ROWS`] rows, and a read of one station decodes only the row
    /// groups whose `station` range holds it: a single-station query does not scan the table.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_station_read_decodes_only_its_row_groups() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open(&tmp.path().join("store")).await.unwrap();
        // 600 stations × 24 hours × 12 types = 172,800 values: in line order every row group
        // would hold every station.
        let types = [
            "AQI",
            "PM2.5",
            "PM2.5_24h",
            "PM10",
            "PM10_24h",
            "SO2",
            "SO2_24h",
            "NO2",
            "NO2_24h",
            "O3",
            "O3_8h",
            "CO",
        ];
        let file = tmp.path().join("china_sites_20230101.csv");
        std::fs::write(&file, cnemc_day(600, &types)).unwrap();
        store
            .ingest(&[file], &IngestOptions::default(), &mut |_| {})
            .await
            .unwrap();
        let reader = store.matrix_reader(&[]).await.unwrap();
        let q = |stations: Vec<String>| MatrixQuery {
            stations,
            variables: vec!["PM2.5".into(), "O3".into()],
            sources: vec![],
            averaging: "1h".into(),
            flags: vec!["ok".into()],
            start_micros: T0 - HOUR_MICROS,
            len: 25,
        };
        let one = q(vec!["1300A".into()]);
        let all = q((0..600).map(|i| format!("{}A", 1001 + i)).collect());
        // Each averaging window's rows together, by station within it, in row groups that
        // never span two windows: the 1-h block (7 types × 24 hours × 600 stations = 100,800
        // rows) in two groups of 50,400 rows (stations 1001A–1300A, 1301A–1600A), the 8-h
        // block (14,400) and the 24-h block (57,600) in one each.
        assert_eq!(
            reader.row_groups(&all),
            (2, 4),
            "the running means are skipped"
        );
        let (read, total) = reader.row_groups(&one);
        assert_eq!(
            (read, total),
            (1, 4),
            "one station reads one row group of four"
        );
        // The pruned read gives the same values as the full one.
        let m1 = reader.read(&one).unwrap();
        let ma = reader.read(&all).unwrap();
        assert!(same(m1.series(0, 0), ma.series(299, 0)));
        assert!(same(m1.series(0, 1), ma.series(299, 1)));
        // Station 1300A is column 300 (i = 299): PM2.5 (k = 1) at hour 5 (file hour 5 ends at
        // 05:00, axis hour 5 from 00:00) is (299·7 + 5·3 + 1) % 97 + 1.
        assert_eq!(m1.series(0, 0)[5], ((299 * 7 + 5 * 3 + 1) % 97 + 1) as f64);
        // A station the store does not hold reads nothing.
        assert_eq!(reader.row_groups(&q(vec!["0000A".into()])).0, 0);
        // Within its row group, one station reads one page: 1300A's 168 hourly rows are rows
        // 50,232..50,400 of the first group, in its last page (49,152..50,400: 1,248 rows).
        assert_eq!(crate::ingest::PAGE_ROWS, 8192);
        assert_eq!(reader.rows_read(&one), (1_248, 172_800));
        assert_eq!(reader.rows_read(&all), (100_800, 172_800));
        // Two stations whose rows lie in two pages read both (1001A's first page, 8,192 rows);
        // the pages between them are skipped, and the values read are those of the full read.
        let two = q(vec!["1001A".into(), "1300A".into()]);
        assert_eq!(reader.rows_read(&two), (8_192 + 1_248, 172_800));
        let m2 = reader.read(&two).unwrap();
        assert!(same(m2.series(0, 1), ma.series(0, 1)));
        assert!(same(m2.series(1, 0), ma.series(299, 0)));
        // A read of the 24-h means reads their row group only.
        let day = MatrixQuery {
            averaging: "24h".into(),
            ..all.clone()
        };
        assert_eq!(reader.rows_read(&day), (57_600, 172_800));
        let md = reader.read(&day).unwrap();
        // PM2.5_24h (k = 2) of 1001A (i = 0) at hour 5: (0·7 + 5·3 + 2) % 97 + 1.
        assert_eq!(md.series(0, 0)[5], 18.0);
    }

    /// The stations of a snapshot are those with rows: most are known from the pages' site
    /// ranges, the rest from decoding the pages whose range holds them. A station whose column
    /// is empty lies inside page ranges but has no row, and is not listed.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_stations_are_those_with_rows() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open(&tmp.path().join("store")).await.unwrap();
        let types = ["PM2.5", "PM2.5_24h", "PM10", "SO2", "NO2", "O3", "CO"];
        let mut text = String::from("date,hour,type");
        for i in 0..400 {
            text.push_str(&format!(",{}A", 1001 + i));
        }
        text.push('\n');
        for h in 0..24 {
            for (k, t) in types.iter().enumerate() {
                text.push_str(&format!("20230101,{h},{t}"));
                for i in 0..400 {
                    // 1150A has no value at all.
                    match i {
                        149 => text.push(','),
                        _ => text.push_str(&format!(",{}", (i + h + k) % 90 + 1)),
                    }
                }
                text.push('\n');
            }
        }
        let file = tmp.path().join("china_sites_20230101.csv");
        std::fs::write(&file, text).unwrap();
        store
            .ingest(&[file], &IngestOptions::default(), &mut |_| {})
            .await
            .unwrap();
        let reader = store.matrix_reader(&[]).await.unwrap();
        let expected: Vec<String> = (0..400)
            .filter(|&i| i != 149)
            .map(|i| format!("{}A", 1001 + i))
            .collect();
        assert_eq!(reader.stations().unwrap(), expected);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_matrix_is_the_current_view() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open(&tmp.path().join("store")).await.unwrap();
        let ingest = |files: Vec<PathBuf>| {
            let store = &store;
            async move {
                // One file per commit, so the two threads read different Parquet files.
                let opts = IngestOptions {
                    batch_files: 1,
                    ..IngestOptions::default()
                };
                store.ingest(&files, &opts, &mut |_| {}).await.unwrap();
            }
        };
        let day1 = tmp.path().join("beijing_all_20230101.csv");
        // Hour 1: values of both stations; hour 2: 东城东四 PM2.5 negative (flagged bad) and
        // 西城官园 O3 implausible (doubtful); hour 3: a value that will be withdrawn; hour 24 is
        // the last hour of the day (stamp 2023-01-02 00:00); a 24-h mean and an AQI that the
        // query must not pick up. `first` and `third` are 东城东四's PM2.5 of hours 1 and 3.
        let day1_file = |first: &str, third: &str| {
            bjmemc(&[
                (1, "PM2.5", first, "11"),
                (1, "O3", "50", "51"),
                (1, "PM2.5_24h", "70", "71"),
                (1, "AQI", "80", "81"),
                (2, "PM2.5", "-3", "12"),
                (2, "O3", "52", "99999"),
                (3, "PM2.5", third, "14"),
                (24, "PM2.5", "24", "25"),
            ])
        };
        std::fs::write(&day1, day1_file("10", "13")).unwrap();
        ingest(vec![day1.clone()]).await;
        // A later publication of the same file: hour 1 东城东四 PM2.5 revised 10 -> 15, hour 3
        // 东城东四 PM2.5 gone (withdrawn), the rest unchanged.
        std::fs::write(&day1, day1_file("15", "")).unwrap();
        ingest(vec![day1.clone()]).await;
        // A second file in another commit (another Parquet file): the next day.
        let day2 = tmp.path().join("beijing_all_20230102.csv");
        std::fs::write(
            &day2,
            "date,hour,type,东城东四,西城官园\n20230102,1,PM2.5,30,31\n20230102,2,O3,60,61\n",
        )
        .unwrap();
        ingest(vec![day2]).await;

        let stations = vec![
            "东城东四".to_string(),
            "西城官园".into(),
            "not-there".into(),
        ];
        let q = MatrixQuery {
            stations,
            variables: vec!["PM2.5".into(), "O3".into()],
            sources: vec![],
            averaging: "1h".into(),
            flags: vec!["ok".into()],
            start_micros: T0,
            len: 48,
        };
        let m = store.hourly_matrix(&q).await.unwrap();
        assert!(same(&m.values, &by_sql(&store, &q).await));
        // Worked by hand: hour index h is stamp 2023-01-01 (h+1):00.
        let v = |s, p, h| m.series(s, p)[h];
        assert_eq!(v(0, 0, 0), 15.0, "the revision, not the first value");
        assert!(v(0, 0, 1).is_nan(), "negative: flagged bad");
        assert!(
            v(0, 0, 2).is_nan(),
            "withdrawn: the older revision must not show"
        );
        assert_eq!(v(1, 0, 2), 14.0);
        assert_eq!(v(0, 0, 23), 24.0, "hour 24 of day 1");
        assert_eq!(v(1, 0, 24), 31.0, "day 2 hour 1, the other file");
        assert_eq!(v(0, 1, 25), 60.0);
        assert!(v(1, 1, 1).is_nan(), "doubtful is left out by default");
        assert!(!m.has_data(2));
        // 东城东四 PM2.5 3 (15, 24, 30), O3 3 (50, 52, 60); 西城官园 PM2.5 5, O3 2 (51, 61).
        assert_eq!(m.values.iter().filter(|x| !x.is_nan()).count(), 13);

        // Doubtful values on request; a window that starts later and cuts the first hours.
        let q2 = MatrixQuery {
            flags: vec!["ok".into(), "doubtful".into()],
            start_micros: T0 + HOUR_MICROS,
            len: 23,
            ..q.clone()
        };
        let m2 = store.hourly_matrix(&q2).await.unwrap();
        assert!(same(&m2.values, &by_sql(&store, &q2).await));
        assert_eq!(m2.series(1, 1)[0], 99999.0);
        assert_eq!(m2.series(0, 0)[22], 24.0, "the window's last hour");
        // Hours 2..24 of day 1: 东城东四 PM2.5 24, O3 52; 西城官园 PM2.5 12, 14, 25, O3 99999.
        assert_eq!(m2.values.iter().filter(|x| !x.is_nan()).count(), 6);

        // Another source: nothing.
        let q3 = MatrixQuery {
            sources: vec!["cnemc".into()],
            ..q.clone()
        };
        let m3 = store.hourly_matrix(&q3).await.unwrap();
        assert!(m3.values.iter().all(|x| x.is_nan()));
    }
}
