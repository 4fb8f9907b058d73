//! The API's errors: a status and a JSON body naming the parameter at fault.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every 4xx/5xx answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong, in words a user can act on.
    pub error: String,
    /// The query parameter (or header, or `body`) at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: ErrorBody,
}

impl ApiError {
    fn new(status: StatusCode, parameter: Option<&str>, error: impl Into<String>) -> ApiError {
        ApiError {
            status,
            body: ErrorBody {
                error: error.into(),
                parameter: parameter.map(str::to_string),
            },
        }
    }

    /// 400: a parameter is malformed, out of range or inconsistent.
    pub fn bad(parameter: &str, error: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, Some(parameter), error)
    }

    /// 404: a station or region that does not exist, or no data for the request.
    pub fn not_found(parameter: Option<&str>, error: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, parameter, error)
    }

    /// 401: the write endpoint's token is missing or wrong.
    pub fn unauthorized(error: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, Some("authorization"), error)
    }

    /// 403: write endpoints are disabled (no token configured).
    pub fn forbidden(error: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, None, error)
    }

    /// 422: a posted file that no reader accepts.
    pub fn unprocessable(error: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, Some("body"), error)
    }

    /// 503: the store is busy (an ingest by another process holds its lock).
    pub fn busy(error: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, None, error)
    }

    /// 500: a failure of ours (the message is still shown: this is a local tool's server).
    pub fn internal(error: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, None, error)
    }

    /// An error of the computing layer: "no data" is a 404, the rest a 500.
    pub fn from_compute(e: anyhow::Error) -> ApiError {
        let text = format!("{e:#}");
        if text.starts_with("no 1-h data") || text.contains("no station of the registry") {
            ApiError::not_found(None, text)
        } else {
            ApiError::internal(text)
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut r = (self.status, axum::Json(self.body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"lantian\""),
            );
        }
        r.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        r
    }
}
