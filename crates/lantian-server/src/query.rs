//! The strict query extractor, JSON and CSV bodies, bounded periods, and the per-snapshot
//! computation of an answer: what every resource shares.

use crate::error::ApiError;
use crate::state::{AppState, Cached};
use axum::body::Bytes;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use lantian_assess::period::Period;
use lantian_model::text::{EXCERPT_CHARS, shorten};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};

pub type Shared = Arc<AppState>;

/// Longest period of an hourly series (days).
pub const MAX_HOURLY_DAYS: i64 = 31;
/// Longest period of a daily series, an assessment, a calendar or a report (days): one year
/// (366 in a leap year).
pub const MAX_PERIOD_DAYS: usize = 366;

/// Years the API accepts at all; anything else is a typo, not a request.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// Query parameters parsed strictly: an unknown parameter, a repeated one or a missing one is
/// a 400 naming it (axum's own `Query` answers in plain text). The parameters a resource
/// accepts are its `IntoParams` (the same list the OpenAPI document shows), so the check needs
/// no reading of serde's messages; every value arrives as text and is read by the handler with
/// its type's `FromStr` ([`parse_param`]), which names the parameter on failure.
pub struct Q<T>(pub T);

impl<T: DeserializeOwned + IntoParams, S: Send + Sync> FromRequestParts<S> for Q<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        use utoipa::openapi::Required;
        use utoipa::openapi::path::ParameterIn;
        let q = parts.uri.query().unwrap_or("");
        let pairs = serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .map_err(|e| ApiError::bad("query", format!("query: not form-encoded: {e}")))?;
        let params = T::into_params(|| Some(ParameterIn::Query));
        let mut seen = std::collections::HashSet::new();
        for (k, _) in &pairs {
            // A name is quoted in part: a request can carry one of tens of kilobytes.
            let name = shorten(k, EXCERPT_CHARS);
            if !seen.insert(k.clone()) {
                return Err(ApiError::bad(
                    k,
                    format!("parameter '{name}' is given twice"),
                ));
            }
            if !params.iter().any(|p| &p.name == k) {
                let known: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
                return Err(ApiError::bad(
                    k,
                    format!(
                        "unknown field `{name}`: this resource takes {}",
                        if known.is_empty() {
                            "no parameter".to_string()
                        } else {
                            known.join(", ")
                        }
                    ),
                ));
            }
        }
        for p in &params {
            if matches!(p.required, Required::True) && !seen.contains(&p.name) {
                return Err(ApiError::bad(
                    &p.name,
                    format!("missing field `{}`", p.name),
                ));
            }
        }
        serde_urlencoded::from_str(q)
            .map(Q)
            .map_err(|e| ApiError::bad("query", format!("query: {e}")))
    }
}

/// JSON or CSV, for the endpoints that return tables.
#[derive(Serialize, ToSchema, Clone, Copy, PartialEq, Debug, Default)]
#[serde(rename_all = "lowercase")]
pub enum TableFormat {
    #[default]
    Json,
    Csv,
}

impl std::str::FromStr for TableFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "json" => Ok(TableFormat::Json),
            "csv" => Ok(TableFormat::Csv),
            other => Err(format!("'{other}' is not one of json, csv")),
        }
    }
}

/// The `format` parameter of a table resource.
pub fn table_format(v: Option<&str>) -> Result<TableFormat, ApiError> {
    Ok(parse_param::<TableFormat>("format", v)?.unwrap_or_default())
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TableQuery {
    /// `json` (default) or `csv`.
    #[param(inline, value_type = Option<TableFormat>)]
    pub format: Option<String>,
}

pub fn json_bytes<T: Serialize>(v: &T) -> Result<Cached, ApiError> {
    Ok(Cached {
        body: Bytes::from(serde_json::to_vec(v).map_err(|e| ApiError::internal(e.to_string()))?),
        content_type: "application/json",
    })
}

pub fn csv_bytes(header: &[&str], rows: Vec<Vec<String>>) -> Result<Cached, ApiError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| ApiError::internal(e.to_string());
    w.write_record(header).map_err(err)?;
    for r in rows {
        w.write_record(&r).map_err(err)?;
    }
    let body = w
        .into_inner()
        .map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(Cached {
        body: Bytes::from(body),
        content_type: "text/csv; charset=utf-8",
    })
}

pub fn num(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

pub fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

impl IntoResponse for Cached {
    fn into_response(self) -> Response {
        ([(header::CONTENT_TYPE, self.content_type)], self.body).into_response()
    }
}

pub fn parse_date(param: &str, s: &str) -> Result<NaiveDate, ApiError> {
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| ApiError::bad(param, format!("{param}='{s}': dates are YYYY-MM-DD")))?;
    if !YEARS.contains(&chrono::Datelike::year(&d)) {
        return Err(ApiError::bad(
            param,
            format!(
                "{param}='{s}': years {}..={} only",
                YEARS.start(),
                YEARS.end()
            ),
        ));
    }
    Ok(d)
}

/// A period parameter, checked as the command would, and bounded.
pub fn check_period(param: &str, text: &str) -> Result<Period, ApiError> {
    let p = Period::parse(text).map_err(|e| ApiError::bad(param, e.to_string()))?;
    for d in [p.first, p.last] {
        if !YEARS.contains(&chrono::Datelike::year(&d)) {
            return Err(ApiError::bad(
                param,
                format!(
                    "{param}='{text}': years {}..={} only",
                    YEARS.start(),
                    YEARS.end()
                ),
            ));
        }
    }
    if p.days() > MAX_PERIOD_DAYS {
        return Err(ApiError::bad(
            param,
            format!(
                "{param}='{text}' covers {} days; at most {MAX_PERIOD_DAYS}",
                p.days()
            ),
        ));
    }
    Ok(p)
}

/// Run `f` on the snapshot under the compute permit, off the async threads, once per key and
/// snapshot (concurrent identical requests wait for the one computation).
pub async fn computed<F>(s: &Shared, key: String, f: F) -> Result<Cached, ApiError>
where
    F: FnOnce(&lantian_store::matrix::MatrixReader) -> Result<Cached, ApiError> + Send + 'static,
{
    let snap = s.snapshot();
    let state = s.clone();
    let on = snap.clone();
    snap.cached(key, move || async move {
        let _permit = state
            .compute
            .acquire()
            .await
            .map_err(|e| ApiError::internal(e.to_string()))?;
        tokio::task::spawn_blocking(move || f(&on.reader))
            .await
            .map_err(|e| ApiError::internal(e.to_string()))?
    })
    .await
}

/// An answer as JSON with its object keys sorted at every level: the bytes of the command
/// line's `--format json` for the same request.
pub fn sorted_json_bytes<T: Serialize>(v: &T) -> Result<Cached, ApiError> {
    Ok(Cached {
        body: Bytes::from(lantian_app::sorted_json_compact(v)?),
        content_type: "application/json",
    })
}

/// A number as JSON writes it (`4.0`, not `4`): CSV cells of figures that the JSON answer
/// carries too read the same in both.
pub fn json_num(v: Option<f64>) -> String {
    v.map(|v| serde_json::Value::from(v).to_string())
        .unwrap_or_default()
}

/// An optional parameter read with its type's `FromStr`: a bad value is a 400 naming the
/// parameter and saying what is accepted.
pub fn parse_param<T>(param: &'static str, v: Option<&str>) -> Result<Option<T>, ApiError>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    v.map(|v| {
        v.parse::<T>()
            .map_err(|e| ApiError::bad(param, format!("{param}: {e}")))
    })
    .transpose()
}

/// Run a computation off the async threads, one at a time with the other heavy answers.
pub async fn blocking<F>(s: &Shared, f: F) -> Result<Cached, ApiError>
where
    F: FnOnce() -> Result<Cached, ApiError> + Send + 'static,
{
    let _permit = s
        .compute
        .acquire()
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?;
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?
}
