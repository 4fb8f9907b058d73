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
//!   Beijing's two station generations shipped in the crate;
//! - [`Medium`], [`WaterParameter`], [`SoilParameter`], [`CarbonQuantity`] and [`SiteKind`]: the
//!   media beyond air (see below).
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
//!
//! ## Water, soil and carbon
//! The model describes every medium with the same few types, so one reader, one store table
//! and one key serve them all; air stays exactly as it was.
//!
//! - **Sites.** A [`Station`] is any site a value is keyed by; its [`SiteKind`] says whether
//!   it is an air station, a surface-water section (断面), a soil sample point or an emitting
//!   unit (排放单位). Registry files gain an optional `kind` column that defaults to `air`.
//!   [`StationRole`] stays the air network's, and other sites must have role `unknown`.
//! - **Variables.** [`Variable`] gains `Water`, `Soil` and `Carbon`: the 24 items of
//!   GB 3838—2002 Table 1, the metals of GB 15618—2018 Table 1 plus Cr(VI) of GB 36600—2018 and
//!   soil pH, and verified emissions and allocated / surrendered allowances. Their codes carry
//!   the medium as a prefix (`water.Cd`, `soil.Cd`, `carbon.verified`): cadmium in water
//!   (mg/L) and in soil (mg/kg) are different measurands under different standards, and codes
//!   are read ignoring case, which chemistry does not survive without a prefix (air `CO`,
//!   soil cobalt `Co`). Air codes keep no prefix and are parsed first, exactly as before
//!   ([`medium`] has the whole argument).
//! - **Units.** mg/L and µg/L (converted exactly, by 1000), mg/kg, pH units, count/L, t CO2e,
//!   and allowances, which only allowance quantities accept, 1 : 1 as t CO2e
//!   ([`Variable::to_canonical`]). No conversion crosses media or dimensions.
//! - **Averaging.** `grab` (瞬时样: `time_end` is the sampling instant), `day`, `month` and
//!   `year`, whose `time_end` is the Beijing midnight that ends the period: a compliance year
//!   Y is stored at Y-12-31T16:00:00Z ([`time`] says why not midnight UTC).
//!
//! ```
//! use lantian_model::{Averaging, SoilParameter, Unit, Variable, WaterParameter};
//! use lantian_model::time::CalendarPeriod;
//!
//! let cd_water: Variable = "water.Cd".parse().unwrap();
//! let cd_soil: Variable = "soil.cd".parse().unwrap();
//! assert_eq!(cd_water, Variable::Water(WaterParameter::Cadmium));
//! assert_eq!(cd_soil, Variable::Soil(SoilParameter::Cadmium));
//! assert_eq!((cd_water.unit(), cd_soil.unit()), (Unit::MgL, Unit::MgKg));
//! // "co" is still the air pollutant.
//! assert_eq!("co".parse::<Variable>().unwrap().code(), "CO");
//! // 3 µg/L of cadmium is 0.003 mg/L, GB 3838's unit.
//! assert_eq!(cd_water.to_canonical(3.0, Unit::UgL), Some(0.003));
//!
//! let year = CalendarPeriod::Year(2023).time_end().unwrap();
//! assert_eq!(year.to_rfc3339(), "2023-12-31T16:00:00+00:00");
//! assert!(Averaging::Year.calendar().is_some());
//! ```
//!
//! One store table holds all media: the key (source, site, variable, averaging, time_end), the
//! revision and flag rules and the provenance (file, line) are the same for a water section's
//! grab sample, a soil point's content and an emitting unit's annual figure, and
//! `lantian-store`'s `tests/media.rs` revises and withdraws values of all three in one table.

pub mod carbon;
pub mod columns;
pub mod medium;
pub mod observation;
pub mod pollutant;
pub mod quality;
pub mod registry;
pub mod soil;
pub mod station;
pub mod station_list;
pub mod text;
pub mod time;
pub mod unit;
pub mod water;

pub use carbon::CarbonQuantity;
pub use columns::ObservationColumns;
pub use medium::Medium;
pub use observation::{Observation, Source};
pub use pollutant::{Averaging, MetVariable, Pollutant, Variable};
pub use quality::{Flag, FlagEntry, FlagHistory};
pub use registry::{Registry, RegistryError};
pub use soil::SoilParameter;
pub use station::{SiteKind, Station, StationRole};
pub use station_list::{LocateReport, StationList, StationListError};
pub use unit::Unit;
pub use water::WaterParameter;
