//! Ingest of a posted file: written under the store's `uploads/`, ingested, served at once.

use crate::error::{ApiError, ErrorBody};
use crate::query::{Q, Shared, json_bytes};
use crate::state::{AppState, Cached};
use axum::body::Bytes;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct IngestQuery {
    /// The file's name, which tells its format (`beijing_all_20240605.csv`): letters, digits,
    /// `_`, `-` and `.`, at most 128 characters.
    name: String,
}

/// What an ingest did with the posted file.
#[derive(Serialize, ToSchema)]
pub struct IngestResult {
    file: String,
    format: Option<String>,
    /// `read`, or `unchanged` when the same content was already ingested.
    status: String,
    rows: u64,
    values: u64,
    values_new: u64,
    values_revised: u64,
    values_unchanged: u64,
    values_withdrawn: u64,
    /// What the reader noticed (file:line [field]: kind: message), values skipped included.
    diagnostics: Vec<String>,
    /// The snapshot now served.
    generation: u64,
    latest: Option<String>,
}

/// Ingest one posted file (the body) into the store; the new data are served at once.
/// Needs `Authorization: Bearer <token>`.
#[utoipa::path(post, path = "/ingest", tag = "ingest", params(IngestQuery),
    request_body(content = Vec<u8>, content_type = "text/csv", description = "The file's bytes"),
    security(("token" = [])),
    responses((status = 200, description = "Ingested", body = IngestResult),
        (status = 400, description = "Bad name", body = ErrorBody),
        (status = 401, description = "Missing or wrong token", body = ErrorBody),
        (status = 403, description = "Writes disabled (no token configured)", body = ErrorBody),
        (status = 408, description = "The body did not arrive in time", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 422, description = "No reader accepts the file", body = ErrorBody)))]
pub async fn ingest(
    State(s): State<Shared>,
    caller: Result<Authorized, ApiError>,
    q: Result<Q<IngestQuery>, ApiError>,
    request: axum::extract::Request,
) -> Result<Cached, ApiError> {
    let q = match caller.and(q) {
        Ok(Q(q)) => q,
        Err(e) => return Err(refuse(&s, request, e).await),
    };
    let name = q.name.trim();
    let ok_name = !name.is_empty()
        && name.len() <= 128
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if !ok_name {
        return Err(ApiError::bad(
            "name",
            format!(
                "name '{name}': letters, digits, '_', '-' and '.' only (no folders), at most 128"
            ),
        ));
    }
    // The body is read last, within a deadline for all of it, and never kept beyond the limit.
    let body = match tokio::time::timeout(s.body_timeout, read_body(&s, request)).await {
        Ok(Ok(body)) => body,
        Ok(Err(e)) => return Err(e),
        Err(_) => {
            return Err(ApiError::with_status(
                axum::http::StatusCode::REQUEST_TIMEOUT,
                Some("body"),
                format!(
                    "the body did not arrive within {} s",
                    s.body_timeout.as_secs_f64()
                ),
            ));
        }
    };
    if body.is_empty() {
        return Err(ApiError::bad("body", "the body is empty"));
    }
    // Refuse what no reader accepts before anything is written.
    let read = lantian_ingest::read_bytes(name, &body);
    if let lantian_ingest::diagnostic::FileStatus::Rejected(r) = &read.report.status {
        return Err(ApiError::unprocessable(format!("{name}: {r}")));
    }
    std::fs::create_dir_all(&s.uploads).map_err(|e| ApiError::internal(e.to_string()))?;
    // Written under a temporary name, then renamed: the watcher never sees half a file.
    let path = s.uploads.join(name);
    let tmp = s.uploads.join(format!(".{name}.part"));
    std::fs::write(&tmp, &body)
        .and_then(|_| std::fs::rename(&tmp, &path))
        .map_err(|e| ApiError::internal(format!("writing the upload: {e}")))?;
    let summary = s.ingest(std::slice::from_ref(&path)).await?;
    let f = summary
        .files
        .first()
        .ok_or_else(|| ApiError::internal("the ingest saw no file"))?;
    let snap = s.snapshot();
    eprintln!(
        "lantian serve: ingested {name}: {} new, {} revised values",
        f.values_new, f.values_revised
    );
    json_bytes(&IngestResult {
        file: name.to_string(),
        format: f.report.format.map(|x| x.code().to_string()),
        status: if f.skipped_unchanged {
            "unchanged"
        } else {
            "read"
        }
        .into(),
        rows: f.report.rows,
        values: f.report.values,
        values_new: f.values_new,
        values_revised: f.values_revised,
        values_unchanged: f.values_unchanged,
        values_withdrawn: f.values_withdrawn,
        diagnostics: f.report.diagnostics.iter().map(|d| d.to_string()).collect(),
        generation: snap.generation,
        latest: snap.latest.time.clone(),
    })
}

/// The body, up to `max_body` bytes; past that a 413, once the rest has been read and dropped
/// (see [`refuse`]).
pub(crate) async fn read_body(
    s: &AppState,
    request: axum::extract::Request,
) -> Result<Bytes, ApiError> {
    use http_body_util::BodyExt;
    let mut body = request.into_body();
    let mut kept = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| ApiError::bad("body", format!("reading the body: {e}")))?;
        if let Some(d) = frame.data_ref() {
            if kept.len() + d.len() > s.max_body {
                let too_large = ApiError::with_status(
                    axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                    Some("body"),
                    format!("the body is larger than {} bytes", s.max_body),
                );
                return Err(drain(s, body, too_large).await);
            }
            kept.extend_from_slice(d);
        }
    }
    Ok(Bytes::from(kept))
}

/// `e`, once the request's body has been read and dropped.
pub(crate) async fn refuse(s: &AppState, request: axum::extract::Request, e: ApiError) -> ApiError {
    drain(s, request.into_body(), e).await
}

/// `e`, once what is left of `body` has been read and dropped (at most [`DRAIN_BYTES`], for at
/// most a few seconds). A client still sending its body when the server answers and closes
/// gets a reset instead of the answer (TCP drops what the server never read), and learns only
/// that the connection failed.
async fn drain(s: &AppState, mut body: axum::body::Body, e: ApiError) -> ApiError {
    use http_body_util::BodyExt;
    let wait = s.body_timeout.min(std::time::Duration::from_secs(5));
    let _ = tokio::time::timeout(wait, async {
        let mut read = 0usize;
        while read < DRAIN_BYTES {
            match body.frame().await {
                Some(Ok(frame)) => read += frame.data_ref().map_or(0, |d| d.len()),
                _ => break,
            }
        }
    })
    .await;
    e
}

/// The most of a refused request's body that is read (and dropped) before answering.
const DRAIN_BYTES: usize = 16 << 20;

/// A caller that showed the token. As an extractor it runs before the query and the body are
/// read (axum runs a handler's extractors in order), so a caller without the token is refused
/// before anything about the request is checked and learns nothing of the route's parameters.
pub struct Authorized;

impl FromRequestParts<Shared> for Authorized {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, s: &Shared) -> Result<Self, ApiError> {
        authorize(s, &parts.headers).map(|()| Authorized)
    }
}

fn authorize(s: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    if !s.writes_enabled() {
        return Err(ApiError::forbidden(
            "write endpoints are disabled on this server (it was started without a token)",
        ));
    }
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| ApiError::unauthorized("missing 'Authorization: Bearer <token>'"))?;
    if !s.token_matches(given.trim().as_bytes()) {
        return Err(ApiError::unauthorized("wrong token"));
    }
    Ok(())
}
