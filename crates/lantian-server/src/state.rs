//! What the server holds: the store, the registry, and a *snapshot* (the store's current files
//! opened for matrix reads, the latest hour's AQI already computed and serialised). Requests
//! read the snapshot; an ingest builds a new one and swaps it in, so readers never wait for a
//! writer and never see half an ingest.

use crate::error::ApiError;
use anyhow::Result;
use axum::body::Bytes;
use lantian_app::latest::{LatestAqi, latest_aqi};
use lantian_aqi::series::Options;
use lantian_model::Registry;
use lantian_store::Store;
use lantian_store::ingest::{IngestOptions, IngestSummary};
use lantian_store::matrix::MatrixReader;
use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::{OnceCell, Semaphore};

/// The cached answer of one GET: its bytes and content type.
#[derive(Clone)]
pub struct Cached {
    pub body: Bytes,
    pub content_type: &'static str,
}

type Slot = Arc<OnceCell<Result<Cached, ApiError>>>;

/// How many computed answers (assessments, calendars, reports) a snapshot keeps at most.
pub const CACHE_ENTRIES: usize = 512;
/// How many bytes of answers (bodies and their keys) a snapshot keeps at most: a crowd asking
/// for ever new periods and regions must not grow the server's memory without end.
pub const CACHE_BYTES: usize = 64 << 20;

/// Computed answers by request (path and query), bounded in entries and bytes: when full, the
/// oldest answers go first (a dashboard's crowd asks for the newest periods again and again,
/// and an answer is cheap to compute again compared with the memory of keeping all).
struct Cache {
    max_entries: usize,
    max_bytes: usize,
    slots: HashMap<String, (Slot, usize)>,
    /// Keys in the order they were first asked for.
    order: VecDeque<String>,
    /// Bytes of the answers computed so far (a pending answer counts its key only).
    bytes: usize,
}

impl Cache {
    fn new(max_entries: usize, max_bytes: usize) -> Cache {
        Cache {
            max_entries,
            max_bytes,
            slots: HashMap::new(),
            order: VecDeque::new(),
            bytes: 0,
        }
    }

    fn slot(&mut self, key: &str) -> Slot {
        if let Some((slot, _)) = self.slots.get(key) {
            return slot.clone();
        }
        let slot = Slot::default();
        self.bytes += key.len();
        self.slots
            .insert(key.to_string(), (slot.clone(), key.len()));
        self.order.push_back(key.to_string());
        self.evict();
        slot
    }

    /// Record the size of `key`'s answer, or forget it (a failure of ours is tried again).
    fn settle(&mut self, key: &str, slot: &Slot, size: Option<usize>) {
        let Some((s, counted)) = self.slots.get_mut(key) else {
            return;
        };
        if !Arc::ptr_eq(s, slot) {
            return;
        }
        match size {
            Some(n) => {
                let n = n + key.len();
                self.bytes = self.bytes - *counted + n;
                *counted = n;
                self.evict();
            }
            None => {
                let (_, n) = self.slots.remove(key).expect("present");
                self.bytes -= n;
                self.order.retain(|k| k != key);
            }
        }
    }

    fn evict(&mut self) {
        while self.slots.len() > self.max_entries || self.bytes > self.max_bytes {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            if let Some((_, n)) = self.slots.remove(&oldest) {
                self.bytes -= n;
            }
        }
    }
}

/// What a snapshot's cache holds: answers and their bytes, against the bounds.
#[derive(Debug, Clone, Copy, serde::Serialize, utoipa::ToSchema)]
pub struct CacheUse {
    pub entries: usize,
    pub bytes: usize,
    pub max_entries: usize,
    pub max_bytes: usize,
}

pub struct Snapshot {
    /// Counts snapshots since the server started (part of every ETag).
    pub generation: u64,
    pub reader: MatrixReader,
    pub latest: LatestAqi,
    /// `latest` as JSON, served as is (the endpoint a public page polls).
    pub latest_json: Bytes,
    /// Answers computed on this snapshot, by request (path and query).
    cache: Mutex<Cache>,
}

pub struct AppState {
    pub store: Store,
    pub reg: Registry,
    snapshot: RwLock<Arc<Snapshot>>,
    /// One write at a time, an ingest or a recording (the store also holds a file lock against
    /// other processes).
    ingest: tokio::sync::Mutex<()>,
    /// Heavy computations at once (assessments, reports): more only queue for the cores.
    pub compute: Semaphore,
    /// The write endpoints' token; `None` disables them. Never printed (no `Debug`).
    token: Option<Secret>,
    pub options: Options,
    /// Time a client has to send a whole request body (`--body-timeout`).
    pub body_timeout: std::time::Duration,
    /// Largest body a write accepts (`--max-body`).
    pub max_body: usize,
    /// Distinguishes this process's ETags from an earlier run's.
    pub boot: String,
    /// District boundaries for maps and the bulletin (`--geojson`), read once.
    pub geojson_path: Option<PathBuf>,
    pub geojson: Option<Bytes>,
    /// Where posted files are kept (`<store>/uploads`): the store's log names them, so a
    /// re-ingest can read them again.
    pub uploads: PathBuf,
    /// The carbon resources' files (`--eu-ets`, `--carbon-books`, …).
    pub carbon: crate::routes::carbon::CarbonSources,
    /// The EU ETS oracle's answer, computed on first request (its panel does not change).
    pub carbon_oracle: OnceCell<Cached>,
    /// The water sections and readings (`--water-sections`, `--water-readings`), folded on
    /// first request.
    pub water: Option<lantian_app::water::WaterSources>,
    pub water_data: OnceCell<std::sync::Arc<lantian_app::water::WaterData>>,
    /// The soil samples, plots and the city's classes (`--soil-samples`, `--soil-plots`, …),
    /// read on first request. The list of construction land is not here: it is the store's.
    pub soil: Option<lantian_app::soil::SoilSources>,
    pub soil_data: OnceCell<std::sync::Arc<lantian_app::soil::SoilData>>,
    /// The campaigns' plan (`--plan`, or the example built in): its files are read at each
    /// request, with the reports and values the store holds then.
    pub plan: lantian_app::campaigns::PlanSources,
    /// The GEP-R inputs and rule (`--gep-inputs`, `--gep-rule`, or the example's).
    pub gep: lantian_app::campaigns::gep::GepSources,
}

/// A token, compared in constant time and never formatted.
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl Secret {
    pub fn new(s: &str) -> Option<Secret> {
        let s = s.trim();
        (!s.is_empty()).then(|| Secret(s.as_bytes().to_vec()))
    }

    /// Whether `given` equals the token, in time independent of where they differ.
    pub fn matches(&self, given: &[u8]) -> bool {
        let mut diff = (self.0.len() ^ given.len()) as u8 | (self.0.len() != given.len()) as u8;
        for (i, b) in self.0.iter().enumerate() {
            diff |= b ^ given.get(i).copied().unwrap_or(0);
        }
        diff == 0
    }
}

impl AppState {
    pub async fn new(
        store: Store,
        reg: Registry,
        token: Option<Secret>,
        options: Options,
        geojson_path: Option<PathBuf>,
    ) -> Result<AppState> {
        let geojson = match &geojson_path {
            Some(p) => {
                Some(Bytes::from(std::fs::read(p).map_err(|e| {
                    anyhow::anyhow!("--geojson {}: {e}", p.display())
                })?))
            }
            None => None,
        };
        let boot = format!(
            "{:x}",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis())
                .unwrap_or(0)
        );
        let uploads = store.root().join("uploads");
        let first = build_snapshot(&store, &reg, options, 1).await?;
        Ok(AppState {
            store,
            reg,
            snapshot: RwLock::new(Arc::new(first)),
            ingest: tokio::sync::Mutex::new(()),
            compute: Semaphore::new(2),
            token,
            options,
            body_timeout: crate::BODY_TIMEOUT,
            max_body: crate::DEFAULT_MAX_BODY,
            boot,
            geojson_path,
            geojson,
            uploads,
            carbon: Default::default(),
            carbon_oracle: OnceCell::new(),
            water: None,
            water_data: OnceCell::new(),
            soil: None,
            soil_data: OnceCell::new(),
            plan: Default::default(),
            gep: Default::default(),
        })
    }

    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.read().expect("snapshot lock").clone()
    }

    pub fn writes_enabled(&self) -> bool {
        self.token.is_some()
    }

    pub fn token_matches(&self, given: &[u8]) -> bool {
        self.token.as_ref().is_some_and(|t| t.matches(given))
    }

    /// The server's one writer, held by an ingest and by a recording into the campaigns' logs:
    /// both take the store's writer lock, which a second writer of this process would find
    /// taken.
    pub async fn writer(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.ingest.lock().await
    }

    /// Ingest `paths` and swap in a new snapshot when anything changed.
    pub async fn ingest(&self, paths: &[PathBuf]) -> Result<IngestSummary, ApiError> {
        let _one = self.writer().await;
        let summary = self
            .store
            .ingest(paths, &IngestOptions::default(), &mut |_| {})
            .await
            .map_err(|e| match e {
                lantian_store::StoreError::Locked { .. } => {
                    ApiError::busy(format!("{e}; the file will be taken at the next attempt"))
                }
                // The disk, not the request: 507 and 503 say "try again later", and the
                // store still serves what it held.
                lantian_store::StoreError::DiskFull { .. } => ApiError::with_status(
                    axum::http::StatusCode::INSUFFICIENT_STORAGE,
                    None,
                    e.to_string(),
                ),
                lantian_store::StoreError::NotWritable { .. } => ApiError::busy(e.to_string()),
                e => ApiError::internal(e.to_string()),
            })?;
        let changed = summary.values_new + summary.values_revised + summary.values_withdrawn > 0;
        if changed {
            self.refresh()
                .await
                .map_err(|e| ApiError::internal(format!("{e:#}")))?;
        }
        Ok(summary)
    }

    /// Open the store's current version as a new snapshot.
    pub async fn refresh(&self) -> Result<()> {
        let generation = self.snapshot().generation + 1;
        let next = build_snapshot(&self.store, &self.reg, self.options, generation).await?;
        *self.snapshot.write().expect("snapshot lock") = Arc::new(next);
        Ok(())
    }
}

impl Snapshot {
    /// The answer for `key` on this snapshot, computed once however many ask at the same time.
    pub async fn cached<F, Fut>(&self, key: String, compute: F) -> Result<Cached, ApiError>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<Cached, ApiError>>,
    {
        let slot = self.cache.lock().expect("cache lock").slot(&key);
        let answer = slot.get_or_init(compute).await.clone();
        // Our own failures (5xx) are not kept: the next request tries again.
        let size = match &answer {
            Ok(c) => Some(c.body.len()),
            Err(e) if e.status.is_server_error() => None,
            Err(e) => Some(e.body.error.len()),
        };
        self.cache
            .lock()
            .expect("cache lock")
            .settle(&key, &slot, size);
        answer
    }

    /// The cache's entries and bytes, and its bounds.
    pub fn cache_use(&self) -> CacheUse {
        let c = self.cache.lock().expect("cache lock");
        CacheUse {
            entries: c.slots.len(),
            bytes: c.bytes,
            max_entries: c.max_entries,
            max_bytes: c.max_bytes,
        }
    }
}

async fn build_snapshot(
    store: &Store,
    reg: &Registry,
    options: Options,
    generation: u64,
) -> Result<Snapshot> {
    let reader = store.matrix_reader(&[]).await?;
    let latest = latest_aqi(&reader, reg, options)?;
    let latest_json = Bytes::from(serde_json::to_vec(&latest)?);
    Ok(Snapshot {
        generation,
        reader,
        latest,
        latest_json,
        cache: Mutex::new(Cache::new(CACHE_ENTRIES, CACHE_BYTES)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(n: usize) -> Option<usize> {
        Some(n)
    }

    #[test]
    fn the_cache_keeps_within_its_entries_and_bytes_dropping_the_oldest_first() {
        let mut c = Cache::new(3, 100);
        let a = c.slot("a");
        c.settle("a", &a, answer(9)); // 10 bytes with its key
        let b = c.slot("b");
        c.settle("b", &b, answer(19)); // 20
        let again = c.slot("a");
        assert!(
            Arc::ptr_eq(&a, &again),
            "a key asked again shares its answer"
        );
        assert_eq!((c.slots.len(), c.bytes), (2, 30));
        // A fourth entry drops the oldest: the bound on entries.
        let x = c.slot("x");
        c.settle("x", &x, answer(9));
        let y = c.slot("y");
        assert_eq!(c.slots.len(), 3);
        assert!(!c.slots.contains_key("a"));
        // An answer of 80 bytes overflows 100 bytes (20 + 10 + 80): the oldest go until it fits.
        c.settle("y", &y, answer(79));
        assert_eq!(c.bytes, 90, "{:?}", c.order);
        assert_eq!(c.order, ["x", "y"]);
        // One answer larger than the whole cache is not kept at all.
        let z = c.slot("z");
        c.settle("z", &z, answer(200));
        assert!(c.slots.is_empty() && c.bytes == 0 && c.order.is_empty());
    }

    #[test]
    fn a_failure_of_ours_is_forgotten_and_a_late_answer_for_an_evicted_key_changes_nothing() {
        let mut c = Cache::new(2, 1000);
        let a = c.slot("a");
        c.settle("a", &a, None);
        assert!(c.slots.is_empty() && c.bytes == 0 && c.order.is_empty());
        let b = c.slot("b");
        let _ = c.slot("c");
        let _ = c.slot("d"); // drops "b" while it is still being computed
        c.settle("b", &b, answer(500));
        assert_eq!(c.bytes, 2, "only the two pending keys count");
        // A new slot for an evicted key is a different answer: the old one cannot settle it.
        let b2 = c.slot("b");
        c.settle("b", &b, answer(500));
        assert_eq!(c.slots["b"].1, 1);
        c.settle("b", &b2, answer(5));
        assert_eq!(c.slots["b"].1, 6);
    }
}
