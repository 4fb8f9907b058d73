//! The application's errors: one enum whose variant, never its text, decides what a front door
//! does with it (the command line's exit message, the server's HTTP status).
//!
//! Each variant that is about a request names the request field at fault in
//! [`AppError::parameter`], spelled as the HTTP API spells it (`region`, `period`, `target`); the
//! command line writes it as its option (`--region`).

use std::fmt;

/// Why a use case could not answer.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The store holds no value for what was asked (a period before the first file, a station
    /// that never reported).
    #[error("no 1-h data in the store for {subject} in {span} (see `lantian coverage`)")]
    NoData {
        /// The station, district or city asked for.
        subject: String,
        /// The days asked for, as written (`2023-H1`, `2023-01-01..2023-01-31`).
        span: String,
    },
    /// Readings given with the request (water sections' files) hold nothing for the period.
    #[error("no readings for {subject} in {span}")]
    NoReadings {
        /// What was asked for (the sections).
        subject: String,
        span: String,
    },
    /// A region (city, district, or a national registry's city) with no station in the chosen
    /// set.
    #[error("unknown region '{region}' (beijing, or a district such as 海淀 or Haidian){}", stations_note(.stations))]
    UnknownRegion {
        region: String,
        /// The station set asked for, when it was not the default assessment set.
        stations: Option<String>,
    },
    /// A station code that the registry does not know.
    #[error("unknown station '{0}' (see `lantian stations` or /api/v1/stations)")]
    UnknownStation(String),
    /// A request field that cannot be read or is out of range: a period, a date, a standard,
    /// limits, a method.
    #[error("{parameter} '{value}': {reason}")]
    BadParameter {
        parameter: &'static str,
        value: String,
        reason: String,
    },
    /// A target that cannot be read (`PM2.5=30`, `good-days=280` are the forms).
    #[error("target '{value}': {reason}")]
    BadTarget { value: String, reason: String },
    /// A figure that needs data the period does not have yet (a target's progress before the
    /// first valid day of the year).
    #[error("{parameter} {what}: {reason}")]
    Incomplete {
        parameter: &'static str,
        what: String,
        reason: String,
    },
    /// An input file given with the request (a list of sand-dust days, a weather CSV, an
    /// attribution JSON, district polygons) that cannot be read; the message names the file,
    /// line and field.
    #[error("{0}")]
    BadInput(String),
    /// The store could not be opened or read.
    #[error("store: {0}")]
    Store(String),
    /// The store cannot take a write now: another writer (an ingest, a list or plan update)
    /// holds its lock, or its disk is full (`full`) or read-only. Nothing was written; the same
    /// request may be made again later.
    #[error("store: {message}")]
    StoreBusy { message: String, full: bool },
    /// A failure of the computation itself (a bug, or an engine's refusal that no request
    /// field explains).
    #[error("{0}")]
    Internal(String),
}

fn stations_note(s: &Option<String>) -> String {
    s.as_ref()
        .map(|s| format!(" with stations {s}: no registry station"))
        .unwrap_or_default()
}

impl AppError {
    /// The request field at fault, as the HTTP API names it.
    pub fn parameter(&self) -> Option<&'static str> {
        match self {
            AppError::UnknownRegion { .. } => Some("region"),
            AppError::UnknownStation(_) => Some("station"),
            AppError::BadParameter { parameter, .. } => Some(parameter),
            AppError::BadTarget { .. } => Some("target"),
            AppError::Incomplete { parameter, .. } => Some(parameter),
            AppError::NoData { .. }
            | AppError::NoReadings { .. }
            | AppError::BadInput(_)
            | AppError::Store(_)
            | AppError::StoreBusy { .. }
            | AppError::Internal(_) => None,
        }
    }

    /// What kind of failure this is, for a front door choosing a status or an exit code.
    pub fn kind(&self) -> ErrorKind {
        match self {
            AppError::NoData { .. }
            | AppError::NoReadings { .. }
            | AppError::UnknownRegion { .. }
            | AppError::UnknownStation(_) => ErrorKind::NotFound,
            AppError::BadParameter { .. }
            | AppError::BadTarget { .. }
            | AppError::Incomplete { .. }
            | AppError::BadInput(_) => ErrorKind::BadRequest,
            AppError::StoreBusy { full: false, .. } => ErrorKind::Busy,
            AppError::StoreBusy { full: true, .. } => ErrorKind::Full,
            AppError::Store(_) | AppError::Internal(_) => ErrorKind::Internal,
        }
    }

    pub(crate) fn bad(
        parameter: &'static str,
        value: impl fmt::Display,
        reason: impl fmt::Display,
    ) -> AppError {
        // A request can carry a value of tens of kilobytes: it is quoted in part.
        let value = value.to_string();
        AppError::BadParameter {
            parameter,
            value: lantian_model::text::shorten(&value, lantian_model::text::EXCERPT_CHARS)
                .into_owned(),
            reason: reason.to_string(),
        }
    }

    /// A store write's error: an input the store refused (a batch repeating a stored row, a
    /// history the rules refuse) is the request's fault; the rest as [`From`] says.
    pub(crate) fn from_write(e: lantian_store::StoreError) -> AppError {
        match e {
            lantian_store::StoreError::Input(m) => AppError::BadInput(m),
            e => e.into(),
        }
    }

    pub(crate) fn internal(e: impl fmt::Display) -> AppError {
        AppError::Internal(e.to_string())
    }
}

/// The three answers a front door distinguishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request is wrong: a field, a target, an input file.
    BadRequest,
    /// What was asked for does not exist: a region, a station, data.
    NotFound,
    /// Ours: the store or the computation failed.
    Internal,
    /// The store cannot take a write now (another writer holds it, or it is read-only): try
    /// again later.
    Busy,
    /// The store's disk is full.
    Full,
}

impl From<lantian_store::StoreError> for AppError {
    fn from(e: lantian_store::StoreError) -> AppError {
        use lantian_store::StoreError as S;
        match e {
            S::Locked { .. } | S::NotWritable { .. } => AppError::StoreBusy {
                message: e.to_string(),
                full: false,
            },
            S::DiskFull { .. } => AppError::StoreBusy {
                message: e.to_string(),
                full: true,
            },
            e => AppError::Store(e.to_string()),
        }
    }
}

impl From<lantian_assess::dust::DustListError> for AppError {
    fn from(e: lantian_assess::dust::DustListError) -> AppError {
        AppError::BadInput(e.to_string())
    }
}

impl From<lantian_aqi::AqiError> for AppError {
    fn from(e: lantian_aqi::AqiError) -> AppError {
        AppError::Internal(e.to_string())
    }
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_held_by_another_writer_is_busy_and_a_full_disk_full() {
        let locked = AppError::from(lantian_store::StoreError::Locked { path: "s".into() });
        assert_eq!((locked.kind(), locked.parameter()), (ErrorKind::Busy, None));
        let full = AppError::from(lantian_store::StoreError::DiskFull {
            path: "s".into(),
            detail: "No space left on device".into(),
        });
        assert_eq!(full.kind(), ErrorKind::Full);
        let other = AppError::from(lantian_store::StoreError::Query("x".into()));
        assert_eq!(other.kind(), ErrorKind::Internal);
    }

    #[test]
    fn the_variant_decides_the_kind_and_the_parameter() {
        let e = AppError::UnknownRegion {
            region: "火星".into(),
            stations: None,
        };
        assert_eq!(
            (e.kind(), e.parameter()),
            (ErrorKind::NotFound, Some("region"))
        );
        assert_eq!(
            e.to_string(),
            "unknown region '火星' (beijing, or a district such as 海淀 or Haidian)"
        );
        let e = AppError::BadTarget {
            value: "PM2.5".into(),
            reason: "expected NAME=VALUE, e.g. PM2.5=30".into(),
        };
        assert_eq!(
            (e.kind(), e.parameter()),
            (ErrorKind::BadRequest, Some("target"))
        );
        let e = AppError::NoData {
            subject: "beijing".into(),
            span: "2019".into(),
        };
        assert_eq!((e.kind(), e.parameter()), (ErrorKind::NotFound, None));
        assert!(e.to_string().starts_with("no 1-h data"));
        assert_eq!(AppError::Internal("x".into()).kind(), ErrorKind::Internal);
    }
}
