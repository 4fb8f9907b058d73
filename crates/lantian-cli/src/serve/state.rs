//! What the server holds: the store, the registry, and a *snapshot* (the store's current files
//! opened for matrix reads, the latest hour's AQI already computed and serialised). Requests
//! read the snapshot; an ingest builds a new one and swaps it in, so readers never wait for a
//! writer and never see half an ingest.

use super::error::ApiError;
use anyhow::Result;
use axum::body::Bytes;
use chrono::{Duration, NaiveDateTime, TimeZone};
use lantian_aqi::series::{self, HourlySeries, Options};
use lantian_aqi::{AqiResult, Indicator};
use lantian_model::Registry;
use lantian_store::Store;
use lantian_store::ingest::{IngestOptions, IngestSummary};
use lantian_store::matrix::MatrixReader;
use serde::Serialize;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::{OnceCell, Semaphore};
use utoipa::ToSchema;

/// Beijing time: UTC+8 all year (no daylight saving since 1991).
pub const BEIJING: chrono::FixedOffset = match chrono::FixedOffset::east_opt(8 * 3600) {
    Some(o) => o,
    None => panic!("UTC+8 is a valid offset"),
};

/// Hours of history read for the latest AQI: the 24-h moving means of PM need the 23 hours
/// before the latest, and the search for the latest hour with data may step back a day.
const LATEST_WINDOW_HOURS: usize = 72;

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

/// The real-time AQI of one station or of the city at the latest hour.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AqiNow {
    /// Station code, or `beijing` for the city.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub district_zh: Option<String>,
    pub district_en: Option<String>,
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    /// Station role (`urban`, `suburban`, `control`, …); `area` for the city.
    pub role: String,
    /// HJ 633 real-time AQI; `null` when not rated (no data at that hour, or NA).
    pub aqi: Option<i32>,
    /// Category level 1 (优, excellent) ..= 6 (严重污染, severe).
    pub level: Option<u8>,
    pub category_zh: Option<String>,
    pub category_en: Option<String>,
    /// The category's colour (`#00e400` …).
    pub colour: Option<String>,
    /// Primary pollutant(s) as published (`PM2.5`, `O3_1h`); empty when AQI ≤ 50.
    pub primary: Vec<String>,
    /// IAQI per indicator (`PM2.5_24h`, `O3_1h`, …).
    pub iaqi: HashMap<String, i32>,
    /// 1-h concentrations at that hour (µg/m³; CO mg/m³), by pollutant.
    pub concentrations: HashMap<String, f64>,
    /// Pollutants the real-time report needs and did not get.
    pub missing: Vec<String>,
    /// Stations averaged (1 for a station).
    pub stations: usize,
}

/// The latest hour with data and its AQI for the city and every station.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct LatestAqi {
    /// The hour, as the end of the hour in Beijing time (`2024-06-04T23:00:00+08:00` is the
    /// hour 22:00–23:00); `null` for an empty store.
    pub time: Option<String>,
    /// The HJ 633 edition in force at that hour.
    pub standard: Option<String>,
    /// PM2.5/PM10 rating: `24h-moving-mean` (HJ 633 §5.1) or `1h` (the practice of CNEMC and
    /// BJMEMC since 2017; `lantian serve --pm-1h`).
    pub pm_rating: String,
    /// The city: HJ 663 mean of the assessment stations' 1-h concentrations, then rated.
    pub city: Option<AqiNow>,
    pub stations: Vec<AqiNow>,
}

fn beijing_stamp(micros: i64) -> NaiveDateTime {
    chrono::DateTime::from_timestamp_micros(micros)
        .expect("valid micros")
        .with_timezone(&BEIJING)
        .naive_local()
}

pub fn stamp_text(stamp: NaiveDateTime) -> String {
    BEIJING
        .from_local_datetime(&stamp)
        .single()
        .expect("fixed offset")
        .to_rfc3339()
}

fn now_of(code: &str, r: Option<&AqiResult>, conc: [Option<f64>; 6], stations: usize) -> AqiNow {
    let aqi = r.and_then(|r| r.aqi);
    let cat = r.and_then(|r| r.category).filter(|_| aqi.is_some());
    AqiNow {
        code: code.to_string(),
        name_zh: String::new(),
        name_en: String::new(),
        district_zh: None,
        district_en: None,
        longitude: None,
        latitude: None,
        role: "area".into(),
        aqi,
        level: cat.map(|c| c.level),
        category_zh: cat.map(|c| c.name_zh.to_string()),
        category_en: cat.map(|c| c.name_en.to_string()),
        colour: cat.map(|c| c.hex()),
        primary: r
            .map(|r| {
                r.primary
                    .iter()
                    .map(|i: &Indicator| i.published_name().to_string())
                    .collect()
            })
            .unwrap_or_default(),
        iaqi: r
            .map(|r| {
                r.sub_indices
                    .iter()
                    .filter_map(|s| s.index.map(|i| (s.indicator.to_string(), i)))
                    .collect()
            })
            .unwrap_or_default(),
        concentrations: series::POLLUTANTS
            .iter()
            .zip(conc)
            .filter_map(|(p, v)| v.map(|v| (p.to_string(), v)))
            .collect(),
        missing: r
            .map(|r| r.missing.iter().map(|m| m.to_string()).collect())
            .unwrap_or_default(),
        stations,
    }
}

/// Compute [`LatestAqi`] from a snapshot.
pub fn latest_aqi(reader: &MatrixReader, reg: &Registry, options: Options) -> Result<LatestAqi> {
    let pm_rating = if options.pm_1h_realtime {
        "1h"
    } else {
        "24h-moving-mean"
    }
    .to_string();
    let empty = LatestAqi {
        time: None,
        standard: None,
        pm_rating: pm_rating.clone(),
        city: None,
        stations: vec![],
    };
    let Some(last_micros) = reader.latest_micros() else {
        return Ok(empty);
    };
    let last = beijing_stamp(last_micros);
    let start = last - Duration::hours(LATEST_WINDOW_HOURS as i64 - 1);
    let codes: Vec<String> = reg.stations().iter().map(|s| s.code.clone()).collect();
    let values =
        crate::aqi::read_hourly_from(reader, &codes, start, last, LATEST_WINDOW_HOURS, false)?;
    let assessment: Vec<&[Vec<Option<f64>>; 6]> = reg
        .stations()
        .iter()
        .filter(|s| s.role.is_assessment())
        .filter_map(|s| values.get(&s.code))
        .collect();
    // The latest hour at which some assessment station has a pollutant value (the newest
    // row may be a weather value or a 24-h mean published with it).
    let Some(at) = (0..LATEST_WINDOW_HOURS)
        .rev()
        .find(|&i| assessment.iter().any(|m| m.iter().any(|p| p[i].is_some())))
    else {
        return Ok(empty);
    };
    let stamp = start + Duration::hours(at as i64);
    let rate = |v: &[Vec<Option<f64>>; 6]| -> Result<Option<AqiResult>> {
        let mut s = HourlySeries::new(start, at + 1);
        for (p, series) in v.iter().enumerate() {
            s.values[p] = series[..=at].to_vec();
        }
        Ok(series::realtime(&s, options)?.pop().map(|x| x.1))
    };
    let mut stations = Vec::new();
    for st in reg.stations() {
        let Some(v) = values.get(&st.code) else {
            continue;
        };
        let conc: [Option<f64>; 6] = std::array::from_fn(|p| v[p][at]);
        let r = rate(v)?;
        let mut now = now_of(&st.code, r.as_ref(), conc, 1);
        now.name_zh = st.name_zh.clone();
        now.name_en = st.name_en.clone();
        now.district_zh = Some(st.district_zh.clone());
        now.district_en = Some(st.district_en.clone());
        now.longitude = st.longitude;
        now.latitude = st.latitude;
        now.role = st.role.code().to_string();
        stations.push(now);
    }
    // HJ 663 (../shared/standards/air-china.md §3c): the city's hourly value is the arithmetic
    // mean of its assessment stations' hourly values.
    let mean: [Vec<Option<f64>>; 6] = std::array::from_fn(|p| {
        (0..LATEST_WINDOW_HOURS)
            .map(|i| {
                let (sum, n) = assessment
                    .iter()
                    .filter_map(|m| m[p][i])
                    .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
                (n > 0).then(|| sum / n as f64)
            })
            .collect()
    });
    let n_at = assessment
        .iter()
        .filter(|m| m.iter().any(|p| p[at].is_some()))
        .count();
    let conc: [Option<f64>; 6] = std::array::from_fn(|p| mean[p][at]);
    let r = rate(&mean)?;
    let mut city = now_of("beijing", r.as_ref(), conc, n_at);
    city.name_zh = "北京市".into();
    city.name_en = "Beijing".into();
    Ok(LatestAqi {
        time: Some(stamp_text(stamp)),
        standard: r.as_ref().map(|r| r.standard.id().to_string()),
        pm_rating,
        city: Some(city),
        stations,
    })
}
