//! # lantian-trend: did the measures work?
//!
//! One user-facing operation per module, named as the field names it (openair's layout):
//! - [`theil_sen`]: the Theil–Sen slope (Sen 1968) and its intercept;
//! - [`mann_kendall`]: the Mann–Kendall trend test with the tie-corrected variance;
//! - [`bootstrap`]: (block) bootstrap intervals and p-value of a Theil–Sen slope (openair's);
//! - [`deseason`]: gap filling and STL deseasonalisation of monthly series;
//! - [`trend`]: openair's `TheilSen` on monthly means, with the Mann–Kendall test beside it.
//!
//! Computing only: no I/O, no printing. Series are plain slices; the CLI turns store data into
//! monthly series and prints the results.

pub mod bootstrap;
pub mod breakpoints;
pub mod deseason;
pub mod mann_kendall;
pub mod theil_sen;
pub mod trend;
pub mod variation;

/// The 40-value series (with ties) that the tests compare with pymannkendall 1.4:
/// ((37 i) mod 11) + 0.5 i, minus 3 every 7th value, rounded to 0.1.
#[cfg(test)]
pub(crate) fn reference_series() -> Vec<f64> {
    (0..40)
        .map(|i| {
            let v =
                f64::from((i * 37) % 11) + 0.5 * f64::from(i) - if i % 7 == 0 { 3.0 } else { 0.0 };
            (v * 10.0).round() / 10.0
        })
        .collect()
}
