//! # lantian-assess: ambient air quality assessment (HJ 663 / GB 3095)
//!
//! The figures of a bulletin, from daily values: [`period`] (year, half, quarter, month, year to
//! date, any range, and the same period a year earlier), [`validity`] (GB 3095 Table 4, with the
//! completeness every statistic carries), [`stats`] (HJ 663 period statistics with GB/T 8170
//! publication rounding), [`percentile`] (HJ 663 Annex A), [`composite`] (the comprehensive
//! index) and [`change`] (year-on-year as bulletins print it).
//!
//! ```
//! use lantian_assess::{change::change, period::Period};
//!
//! let h1 = Period::parse("2024-H1").unwrap();
//! assert_eq!(h1.previous_year().to_string(), "2023-H1");
//! // "cumulative PM2.5 34 µg/m³, down 8.1 % year on year" (against 37 in 2023-H1)
//! assert_eq!(change(34.0, 37.0).percent, Some(-8.1));
//! ```
//!
//! [`region`] forms station and area daily values (two city methods), [`days`] counts days by
//! category, [`dust`] deducts sand-dust days (from a list or a documented detection rule),
//! [`compliance`] checks the GB 3095 limits, [`ranking`] orders districts and stations and
//! [`target`] says what the rest of a year must achieve.

pub mod area;
pub mod change;
pub mod compliance;
pub mod composite;
pub mod days;
pub mod dust;
pub mod percentile;
pub mod period;
pub mod ranking;
pub mod region;
pub mod stats;
pub mod target;
pub mod validity;
