//! One module per command: its arguments, the call into `lantian-app` (or the store for the
//! data commands), and its printing.

pub mod aqi;
pub mod assess;
pub mod carbon;
pub mod coverage;
pub mod deweather;
pub mod export;
pub mod fetch;
pub mod generate;
pub mod ingest;
pub mod quickstart;
pub mod report;
pub mod serve;
pub mod soil;
pub mod sql;
pub mod stations;
pub mod trend;
pub mod water;
