//! # lantian-synth: a national network's year, generated
//!
//! China's national network has about 2,000 stations; a year of its daily files
//! (`china_sites_YYYYMMDD.csv`, quotsoft's archive of CNEMC's real-time data) is about
//! 260 million values. The public sample holds four real days (`../shared/data/cnemc_china_sites`).
//! This crate writes any number of days **in the same format**, deterministic from a seed, so that
//! the national-scale benchmark (`bench/national/`) has a year to chew on, and a station
//! registry that groups the generated network into cities.
//!
//! What is realistic, and where it comes from:
//!
//! - **Stations and levels**: with a template (the real files), the station codes, each station's
//!   mean level of every pollutant, its share of missing hours (a station that is empty in the
//!   template stays empty: 348 of the 2,026 columns of 2023-01-20 are), and each pollutant's
//!   diurnal shape (hourly mean over all stations ÷ daily mean) are learned from the template
//!   ([`template`]). Without one, built-in national levels and shapes are used ([`network`]).
//! - **Seasons**: the template's four days are all in late January, so the seasonal cycle is a
//!   model, not data: a cosine per pollutant scaled so that the template's dates reproduce the
//!   template's level (PM2.5, SO2, CO and NO2 peak in winter, PM10 in spring, O3 in June;
//!   [`model::SEASON`]).
//! - **Weather**: pollution episodes are regional, so each city has a smooth "stagnation"
//!   process (a sum of sinusoids of 1.5 to 20 days) shared by its stations; primary pollutants
//!   rise with it, O3 falls a little. Each station adds a slow local component and an hourly AR(1)
//!   noise. Values are log-normal around the level.
//! - **Sand and dust**: in spring a city has dust days (PM10 × 2.5–5, PM2.5/PM10 ≈ 0.25), which
//!   the assessment's dust rule must find.
//! - **Gaps**: outages of a few hours, whole weeks off, single missing cells; **bad values**:
//!   `-999` and `99999` now and then (the ingest flags them bad and doubtful).
//! - **The derived columns** (`_24h`, `O3_8h`, `O3_24h`, `O3_8h_24h`, `AQI`) are computed from the
//!   generated 1-h values as the types' meanings in `lantian_ingest::quotsoft` say, the AQI with
//!   `lantian_aqi::batch::realtime_aqi` under the edition in force on the date.
//!
//! Everything is a pure function of `(seed, station, date)`: days are generated in parallel
//! and any single day can be regenerated alone, giving the same bytes.

pub mod file;
pub mod model;
pub mod network;
pub mod plan;
pub mod soil;
pub mod template;
pub mod water;

pub use file::{GenerateSummary, day_file, generate};
pub use network::{City, Network, NetworkOptions, Station};
pub use template::Template;

/// The six pollutants, in the order of [`lantian_aqi::batch::Columns`].
pub const POLLUTANTS: [&str; 6] = ["SO2", "NO2", "CO", "O3", "PM10", "PM2.5"];
pub(crate) const SO2: usize = 0;
pub(crate) const NO2: usize = 1;
pub(crate) const CO: usize = 2;
pub(crate) const O3: usize = 3;
pub(crate) const PM10: usize = 4;
pub(crate) const PM25: usize = 5;

/// An error of the generator, naming the file.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: not a usable template: {message}")]
    Template { path: String, message: String },
    #[error("{0}")]
    Options(String),
}

/// A 64-bit mix of the parts of a key (splitmix64's finaliser over a running hash), so that
/// every `(seed, what, station, date)` has its own random stream.
pub(crate) fn mix(parts: &[u64]) -> u64 {
    let mut h: u64 = 0x9E37_79B9_7F4A_7C15;
    for &p in parts {
        h ^= p
            .wrapping_add(0x9E37_79B9_7F4A_7C15)
            .wrapping_add(h << 6)
            .wrapping_add(h >> 2);
        let mut z = h;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        h = z ^ (z >> 31);
    }
    h
}
