//! # lantian-app: the use cases behind every front door
//!
//! The command line (`lantian`) and the HTTP server (`lantian-server`) are thin adapters over
//! this crate: each parses its own input (clap on one side, serde query strings on the other)
//! into the same typed request, calls one function here, and renders the typed result or the
//! typed [`AppError`]. Neither reaches the other through text (argument lists, messages), so a
//! figure cannot differ between `lantian assess` and `/api/v1/assessment`.
//!
//! - [`options`]: the words requests are made of ([`options::StationSet`], [`options::Method`],
//!   [`options::Target`], [`options::Baseline`], …), each parsed once with `FromStr` and
//!   written back with `Display`/serde in the same spelling;
//! - [`select`]: which stations a request means and their hourly values from a store snapshot,
//!   and the one area mean (HJ 663 §5.2) that every use case shares;
//! - [`assess`]: a bulletin's figures (HJ 663), rankings, the calendar and the annual
//!   assessment;
//! - [`report`]: the bulletin's figures, words, charts and forms;
//! - [`aqi`], [`trend`], [`latest`]: indices over the store, trends, the latest hour's AQI;
//! - [`deweather`], [`breaks`]: weather normalisation, the attribution of a change to
//!   emissions and weather, and step changes (AQEval's break points);
//! - [`carbon`]: the carbon market's books; the EU ETS compliance-letter oracle;
//! - [`water`], [`soil`]: surface-water classes and compensation; soil screening (GB 15618,
//!   GB 36600), network coverage, interpolated surfaces and the risk-control list;
//! - [`error`]: [`AppError`], whose variant (never its text) decides an exit message or an HTTP
//!   status.
//!
//! Use cases take an open snapshot (`lantian_store::matrix::MatrixReader`): the command line
//! opens one per run, the server one per ingest, and both compute from it alike.
//!
//! ```
//! use lantian_app::assess::AssessRequest;
//! use lantian_app::options::{Baseline, Target};
//! use lantian_assess::period::Period;
//!
//! let mut req = AssessRequest::new("beijing", Period::parse("2023-H1").unwrap());
//! req.targets.push("PM2.5=32".parse::<Target>().unwrap());
//! assert_eq!(req.baseline, Baseline::PreviousYear);
//! assert_eq!(req.baseline_period().unwrap().to_string(), "2022-H1");
//! ```

pub mod aqi;
pub mod assess;
pub mod breaks;
pub mod campaigns;
pub mod carbon;
pub mod coverage;
pub mod deweather;
pub mod error;
pub mod latest;
pub mod options;
pub mod report;
pub mod select;
pub mod soil;
pub mod soil_figures;
pub mod trend;
pub mod water;

pub use error::{AppError, ErrorKind, Result};

/// Pretty JSON of a result with its object keys in sorted order at every level, so that an
/// answer's bytes do not depend on the declaration order of the structs behind it (the
/// command line's `--format json` and the API's answers are the same bytes).
pub fn sorted_json<T: serde::Serialize>(v: &T) -> Result<String> {
    let value = serde_json::to_value(v).map_err(AppError::internal)?;
    serde_json::to_string_pretty(&value).map_err(AppError::internal)
}

/// [`sorted_json`] without the indentation (the API's answers).
pub fn sorted_json_compact<T: serde::Serialize>(v: &T) -> Result<Vec<u8>> {
    let value = serde_json::to_value(v).map_err(AppError::internal)?;
    serde_json::to_vec(&value).map_err(AppError::internal)
}
