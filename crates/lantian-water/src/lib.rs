//! # lantian-water: surface-water assessment as data tables
//!
//! An engine without I/O, as `lantian-aqi` is for air. GB 3838—2002 Table 1 (and Table 2 for
//! drinking-water sources) is data ([`gb3838`]); from it:
//!
//! - the single-factor class of one item's value ([`class::item_class`]): the best class whose
//!   limit the value meets (shared limits give the better class), dissolved oxygen a lower bound,
//!   pH a range, worse than V (劣V) beyond class V; a value below a detection limit is a state,
//!   classed only where the limit itself decides;
//! - the class of a section ([`section`]): the worst of the items the 2011 assessment method
//!   evaluates, the items that set it, the exceedance multiples over class III and the main
//!   pollutants;
//! - the grade of a river, basin or city from the share of its sections in classes I–III and
//!   worse than V ([`grade`]);
//! - the trophic state of a lake, TLI(Σ) ([`trophic`]);
//! - period means under a stated completeness rule and the class of a section over a month,
//!   quarter, half-year or year ([`period`]), from readings with their origin and flags
//!   ([`reading`]);
//! - year-on-year change in the method's words ([`change`]);
//! - the CCME Water Quality Index, the international index ([`ccme`]);
//! - what Beijing's districts pay each other for the water crossing their boundaries, as a rule
//!   table ([`compensation`]).

pub mod ccme;
pub mod change;
pub mod class;
pub mod compensation;
pub mod gb3838;
pub mod grade;
pub mod network;
pub mod period;
pub mod reading;
pub mod section;
pub mod trophic;

pub use change::{Change, Shares, section_change, set_change};
pub use class::{ClassError, Measurement, WaterClass, item_class};
pub use gb3838::{Item, WaterBody};
pub use grade::{Grade, grade};
pub use network::Section;
pub use period::{
    Accumulator, Completeness, ItemMean, Period, PeriodKind, SectionPeriod, assess_period,
    assess_readings,
};
pub use reading::{Determinand, Origin, Reading};
pub use section::{SectionResult, assess_section};
