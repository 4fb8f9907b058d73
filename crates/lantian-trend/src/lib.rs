//! # lantian-trend: did the measures work?
//!
//! One user-facing operation per module, named as the field names it (openair's layout):
//! - [`theil_sen`]: the Theil–Sen slope (Sen 1968) and its intercept;
//! - [`mann_kendall`]: the Mann–Kendall trend test with the tie-corrected variance.
//!
//! Computing only: no I/O, no printing. Series are plain `(x, y)` slices; the CLI turns store
//! data into monthly series and prints the results.

pub mod mann_kendall;
pub mod theil_sen;
