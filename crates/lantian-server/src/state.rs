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
use std::collections::HashMap;
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

/// How many computed answers (assessments, calendars, reports) a snapshot keeps.
const CACHE_ENTRIES: usize = 512;

pub struct Snapshot {
    /// Counts snapshots since the server started (part of every ETag).
    pub generation: u64,
    pub reader: MatrixReader,
    pub latest: LatestAqi,
    /// `latest` as JSON, served as is (the endpoint a public page polls).
    pub latest_json: Bytes,
    /// Answers computed on this snapshot, by request (path and query).
    cache: Mutex<HashMap<String, Slot>>,
}

pub struct AppState {
    pub store: Store,
    pub reg: Registry,
    snapshot: RwLock<Arc<Snapshot>>,
    /// One ingest at a time (the store also holds a file lock against other processes).
    ingest: tokio::sync::Mutex<()>,
    /// Heavy computations at once (assessments, reports): more only queue for the cores.
    pub compute: Semaphore,
    /// The write endpoints' token; `None` disables them. Never printed (no `Debug`).
    token: Option<Secret>,
    pub options: Options,
    /// Distinguishes this process's ETags from an earlier run's.
    pub boot: String,
    /// District boundaries for maps and the bulletin (`--geojson`), read once.
    pub geojson_path: Option<PathBuf>,
    pub geojson: Option<Bytes>,
    /// Where posted files are kept (`<store>/uploads`): the store's log names them, so a
    /// re-ingest can read them again.
    pub uploads: PathBuf,
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
            boot,
            geojson_path,
            geojson,
            uploads,
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

    /// Ingest `paths` and swap in a new snapshot when anything changed.
    pub async fn ingest(&self, paths: &[PathBuf]) -> Result<IngestSummary, ApiError> {
        let _one = self.ingest.lock().await;
        let summary = self
            .store
            .ingest(paths, &IngestOptions::default(), &mut |_| {})
            .await
            .map_err(|e| match e {
                lantian_store::StoreError::Locked { .. } => {
                    ApiError::busy(format!("{e}; the file will be taken at the next attempt"))
                }
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
        let slot: Slot = {
            let mut m = self.cache.lock().expect("cache lock");
            if m.len() >= CACHE_ENTRIES && !m.contains_key(&key) {
                // Crude but bounded: start again rather than grow.
                m.clear();
            }
            m.entry(key.clone()).or_default().clone()
        };
        let answer = slot.get_or_init(compute).await.clone();
        // Our own failures (5xx) are not kept: the next request tries again.
        if answer.as_ref().is_err_and(|e| e.status.is_server_error()) {
            let mut m = self.cache.lock().expect("cache lock");
            if m.get(&key).is_some_and(|s| Arc::ptr_eq(s, &slot)) {
                m.remove(&key);
            }
        }
        answer
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
        cache: Mutex::new(HashMap::new()),
    })
}
