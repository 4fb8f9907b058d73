//! The API's errors: a status and a JSON body naming the parameter at fault.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lantian_app::{AppError, ErrorKind};
use lantian_model::text::{EXCERPT_CHARS, shorten};

/// Longest error message an answer carries whole.
pub const MESSAGE_CHARS: usize = 1000;
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
    /// The last guard on what an answer echoes: a message is cut at [`MESSAGE_CHARS`], a
    /// parameter's name at 40 characters (the sites that quote a request's text cut it first).
    fn new(status: StatusCode, parameter: Option<&str>, error: impl Into<String>) -> ApiError {
        let error = error.into();
        ApiError {
            status,
            body: ErrorBody {
                error: shorten(&error, MESSAGE_CHARS).into_owned(),
                parameter: parameter.map(|p| shorten(p, EXCERPT_CHARS).into_owned()),
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

    /// Any status, for a rejection of the framework's (a body too large, cut off, too slow).
    pub fn with_status(
        status: StatusCode,
        parameter: Option<&str>,
        error: impl Into<String>,
    ) -> ApiError {
        ApiError::new(status, parameter, error)
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
}

/// An application error as an answer: its kind decides the status (400 for a request at fault,
/// 404 for what does not exist, 503 for a store another writer holds or that is read-only, 507
/// for a full disk, 500 for ours), its parameter the `parameter` field.
impl From<AppError> for ApiError {
    fn from(e: AppError) -> ApiError {
        let status = match e.kind() {
            ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorKind::Busy => StatusCode::SERVICE_UNAVAILABLE,
            ErrorKind::Full => StatusCode::INSUFFICIENT_STORAGE,
        };
        ApiError::new(status, e.parameter(), e.to_string())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_comes_from_the_errors_kind_and_names_its_parameter() {
        let e = ApiError::from(AppError::UnknownRegion {
            region: "atlantis".into(),
            stations: None,
        });
        assert_eq!(e.status, StatusCode::NOT_FOUND);
        assert_eq!(e.body.parameter.as_deref(), Some("region"));
        assert!(e.body.error.starts_with("unknown region 'atlantis'"));

        let e = ApiError::from(AppError::BadTarget {
            value: "PM2.5".into(),
            reason: "expected NAME=VALUE, e.g. PM2.5=30".into(),
        });
        assert_eq!(
            (e.status, e.body.parameter.as_deref()),
            (StatusCode::BAD_REQUEST, Some("target"))
        );

        let e = ApiError::from(AppError::NoData {
            subject: "beijing".into(),
            span: "2019".into(),
        });
        assert_eq!((e.status, e.body.parameter), (StatusCode::NOT_FOUND, None));

        let e = ApiError::from(AppError::BadInput("dust.txt: line 2, field `date`".into()));
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        let e = ApiError::from(AppError::Store("locked".into()));
        assert_eq!(e.status, StatusCode::INTERNAL_SERVER_ERROR);
    }
}
