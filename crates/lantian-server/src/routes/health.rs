//! The state of the server.

use crate::error::ApiError;
use crate::query::{Shared, json_bytes};
use crate::state::{CacheUse, Cached};
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

/// The state of the server's snapshot of the store.
#[derive(Serialize, ToSchema)]
pub struct Health {
    /// Snapshots since start (one more after each ingest that changed something).
    generation: u64,
    /// Data files in the snapshot.
    files: usize,
    /// The latest hour with data (as in /aqi/latest).
    latest: Option<String>,
    /// Whether the write endpoints are enabled (a token is configured).
    writes: bool,
    /// The answers this snapshot keeps (computed assessments, calendars, reports) and their
    /// bytes, against the bounds past which the oldest are dropped.
    cache: CacheUse,
}

#[utoipa::path(get, path = "/health", tag = "server",
    responses((status = 200, description = "Server state", body = Health)))]
pub async fn health(State(s): State<Shared>) -> Result<Cached, ApiError> {
    let snap = s.snapshot();
    json_bytes(&Health {
        generation: snap.generation,
        files: snap.reader.files(),
        latest: snap.latest.time.clone(),
        writes: s.writes_enabled(),
        cache: snap.cache_use(),
    })
}
