//! # lantian-report: the bulletin
//!
//! What a monitoring centre publishes, written from data: the headline ("PM2.5 累计浓度 34
//! 微克/立方米，同比下降 8.1%"), the six pollutants with their change and compliance, the
//! composite index, the district ranking, the sand-dust note, progress toward the annual target,
//! the weather-normalised change, data completeness and the standards used — in Chinese or
//! English, as Markdown, one self-contained HTML file, or PDF (typst), with charts.
//!
//! The layers, in the order data flows:
//! - [`figures`]: the [`figures::Bulletin`], every number of the report, computed with the
//!   engine's functions (`lantian-assess`, `lantian-trend`);
//! - [`text`]: the words, per language, into a [`document::Document`];
//! - [`charts`]: SVG (and PNG) charts from the same figures;
//! - [`render`]: Markdown, HTML and typst markup of the document; [`pdf`] lays the typst out.
//!
//! ```
//! use lantian_assess::change::change;
//! use lantian_report::document::Lang;
//! use lantian_report::text::percent_change;
//!
//! assert_eq!(percent_change(&change(34.0, 37.0), Lang::Zh, true), "同比下降8.1%");
//! assert_eq!(percent_change(&change(34.0, 37.0), Lang::En, true), "down 8.1% year on year");
//! ```

pub mod campaigns;
pub mod charts;
pub mod climate;
pub mod document;
pub mod figures;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod render;
pub mod soil;
pub mod text;
pub mod water;
