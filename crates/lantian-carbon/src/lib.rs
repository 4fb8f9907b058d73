//! # lantian-carbon: the books of an emissions-trading system
//!
//! An engine without I/O. A covered unit's year is its verified emissions (a state, not only a
//! number: "Not Reported" and "Excluded" are kept as such), its allocation (free and auctioned) and
//! what it surrendered (allowances, and offsets with their type, origin and vintage). From those the
//! books compute, per unit and year:
//!
//! - whether the unit must join the market ([`coverage`]: the threshold of its scheme, by year);
//! - which offsets count and which break a cap ([`offsets`]: 5 % of the allocation, 2.5 % from
//!   outside the region in Beijing);
//! - the compliance balance, its carry across years and trading phases, the shortfall and the
//!   penalty ([`books`]);
//! - purchased green electricity as emissions avoided, location- and market-based, and a
//!   plan's progress ([`green`]);
//! - for the EU ETS, the compliance letter the EU Transaction Log publishes ([`eu_letters`]), so
//!   that the registry's own verdicts check the books.
//!
//! The rules of each market are data ([`scheme`]): Beijing's pilot market, China's national market
//! and the EU ETS, each rule with its source and whether it is confirmed.

pub mod books;
pub mod coverage;
pub mod emissions;
pub mod eu_letters;
pub mod green;
pub mod offsets;
pub mod scheme;

pub use books::{
    BookError, Compliance, ComplianceStatus, Finding, Options, PenaltyDue, UnitYear, comply,
};
pub use coverage::{Coverage, CoverageDecision, must_join};
pub use emissions::{Emissions, EmissionsError};
pub use offsets::{
    CapCheck, CreditBatch, CreditStatus, Offset, OffsetKind, Origin, Refusal, check_offsets,
    eligibility,
};
pub use scheme::{Carry, Confirmation, Penalty, PenaltyRule, Phase, Scheme, SchemeId};
