//! # lantian-model: what a monitoring value *is*
//!
//! Every other Lantian crate speaks in the types defined here, so they are kept small, exact and
//! free of heavy dependencies:
//!
//! - [`Pollutant`] and [`Variable`]: what was measured, in the field's own names
//!   (SO2, NO2, CO, O3, PM10, PM2.5, NOx, TSP, the AQI itself, and meteorology);
//! - [`Averaging`]: over which window (1 h, the 8-h and 24-h moving means that CNEMC publishes);
//! - [`Unit`]: the unit of a value, carried with it (CO in mg/m³, the other gases and particles in
//!   µg/m³, GB 3095—2012 Table 1), with the only conversions a reader may make;
//! - [`time`]: Beijing local time (UTC+8, no daylight saving) and the hour-ending /
//!   hour-beginning convention each source uses;
//! - [`Flag`] and [`FlagHistory`]: quality flags that are appended, never overwritten, and never
//!   delete a value (the saqc model);
//! - [`Station`], [`StationRole`] and [`Registry`]: the monitoring network, with a registry of
//!   Beijing's two station generations shipped in the crate.
//!
//! ```
//! use lantian_model::{Pollutant, Unit, time::{beijing_hour, TimeConvention}};
//!
//! // CO is reported in mg/m³; the UCI files give it in µg/m³ and the reader converts.
//! assert_eq!(Pollutant::Co.unit(), Unit::MgM3);
//! assert_eq!(Unit::UgM3.convert(300.0, Unit::MgM3), Some(0.3));
//!
//! // "20230101, hour 0" in a CNEMC file is the hour that ENDS at 00:00 Beijing time,
//! // i.e. 2022-12-31 23:00..24:00 local, which ends at 2022-12-31 16:00 UTC.
//! let end = beijing_hour(2023, 1, 1, 0, TimeConvention::HourEnding).unwrap();
//! assert_eq!(end.to_rfc3339(), "2022-12-31T16:00:00+00:00");
//! ```

pub mod columns;
pub mod observation;
pub mod pollutant;
pub mod quality;
pub mod registry;
pub mod station;
pub mod time;
pub mod unit;

pub use columns::ObservationColumns;
pub use observation::{Observation, Source};
pub use pollutant::{Averaging, MetVariable, Pollutant, Variable};
pub use quality::{Flag, FlagEntry, FlagHistory};
pub use registry::{Registry, RegistryError};
pub use station::{Station, StationRole};
pub use unit::Unit;
