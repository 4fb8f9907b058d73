//! # lantian-soil: soil screening as data tables
//!
//! An engine without I/O, as `lantian-water` is for surface water. Readers (`lantian-ingest`)
//! turn files into [`Sample`]s; this crate screens them. The two national standards are data
//! tables, each row carrying whether its value is confirmed:
//!
//! - [`gb15618`]: GB 15618—2018, agricultural land. Table 1 (screening values of eight metals in
//!   four pH bands, by paddy / orchard / other land), Table 2 (HCH, DDT, benzo[a]pyrene), Table 3
//!   (control values of Cd, Hg, As, Pb, Cr). Categories: priority protection (优先保护类), safe
//!   utilisation (安全利用类), strict control (严格管控类).
//! - [`gb36600`]: GB 36600—2018, construction land. Table 1 (45 items) and the Table 2 items held,
//!   with screening and intervention values for first- and second-class land; what a content
//!   means (risk negligible, investigate and assess, risk control or remediation) and what the
//!   land may be used for.
//!
//! On them:
//!
//! - [`screen`]: one sample by the standard of its land class, item by item (limits used, the
//!   single-factor index Pi, exceedance multiples, verdict) and as a whole (the worst item; the
//!   Nemerow index, [`nemerow`]). Values below a detection limit and samples without pH are
//!   decided only where the data decide; otherwise the verdict is the range the truth lies in,
//!   with the reason ([`verdict`]). Items a standard has no value for are said to be so.
//! - [`shares`]: samples, and plots' areas, per category, with completeness and the list of what
//!   was not counted and why.
//! - [`coverage`]: which of the city's classes (land use, soil type, district …) the network
//!   covers, and the cross matrix of two dimensions.
//! - [`list`]: the risk-control and restoration list of construction land as a state machine
//!   over an append-only history of events.
//!
//! Every result is `Serialize`, for the application layer to emit as JSON.
//!
//! ```
//! use lantian_soil::{Content, LandClass, Sample, Value};
//! use lantian_soil::screen::{Outcome, ScreenOptions, screen};
//! use lantian_soil::gb15618::Category;
//!
//! let sample = Sample {
//!     id: "HN-017".into(),
//!     x: Some(112.05), y: Some(26.59), crs: "EPSG:4326".into(),
//!     depth: Some("0-20 cm".into()), land_use: Some("Paddy".into()),
//!     land_class: Some(LandClass::Paddy),
//!     soil_type: None, topography: None, district: None, plot: None, date: None,
//!     ph: Some(6.0),
//!     contents: vec![Content {
//!         item: "Cd".into(),
//!         value: Value::Measured { mg_kg: 0.6 },
//!         source_unit: None,
//!     }],
//!     file: "cd.csv".into(), line: 4,
//! };
//! let r = screen(&sample, &ScreenOptions::default());
//! let Outcome::Gb15618(a) = r.outcome else { unreachable!() };
//! // Paddy, 5.5 < pH ≤ 6.5: screening value 0.4, control value 2.0.
//! assert_eq!(a.category.level(), Some(Category::SafeUtilisation));
//! let cd = &a.items[0];
//! assert_eq!(cd.limits.as_ref().unwrap().screening.mg_kg, 0.4);
//! assert!((cd.pi.unwrap().value - 1.5).abs() < 1e-12);
//! ```

pub mod coverage;
pub mod gb15618;
pub mod gb36600;
pub mod limit;
pub mod list;
pub mod nemerow;
pub mod sample;
pub mod screen;
pub mod shares;
pub mod verdict;

pub use coverage::{CrossCoverage, Dimension, DimensionCoverage, Point, coverage, cross};
pub use gb15618::{Category, PhBand};
pub use gb36600::{Risk, SiteClass, Uses};
pub use limit::{Limit, LimitKind, Limits};
pub use list::{Changes, Entry, Event, ListError, Status, as_of, changes, record};
pub use nemerow::{Nemerow, NemerowGrade, NemerowOutcome, Pi};
pub use sample::{Content, LandClass, Sample, Value};
pub use screen::{ItemResult, Outcome, SampleScreening, ScreenOptions, screen};
pub use shares::{AreaShares, Plot, SampleShares, plot_shares, sample_shares};
pub use verdict::{Level, Verdict};
