//! Breakpoint tables: the standards as data.
//!
//! A table is a list of segments `(bp_lo, bp_hi, index_lo, index_hi)` (the aqi-hub layout). The
//! index inside a segment is the straight line of HJ 633 eq. (1) and EPA TAD eq. (1):
//!
//! ```text
//! I = (I_hi − I_lo) / (BP_hi − BP_lo) × (C − BP_lo) + I_lo
//! ```
//!
//! Chinese tables are *continuous* (one segment ends where the next begins, 50→100 shares 50);
//! the EPA and India tables have gaps between segments (0–54, 55–154) that the schemes' own
//! truncation or rounding rules close. [`Table::segment`] finds the first segment whose
//! `bp_hi` is at or above `C`, so a value on a shared boundary belongs to the lower segment, and
//! a value in a gap (54.5 on a 0–54 / 55–154 table) to the upper one.

/// One line of a breakpoint table.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Segment {
    pub bp_lo: f64,
    pub bp_hi: f64,
    pub index_lo: f64,
    pub index_hi: f64,
}

/// Shorthand for table literals.
pub const fn seg(bp_lo: f64, bp_hi: f64, index_lo: f64, index_hi: f64) -> Segment {
    Segment {
        bp_lo,
        bp_hi,
        index_lo,
        index_hi,
    }
}

/// A breakpoint table for one indicator.
#[derive(Clone, Copy, Debug)]
pub enum Table {
    /// Chinese layout: one column of breakpoints against the shared index column; segment `k`
    /// runs from row `k` to row `k + 1` (HJ 633 Table 1 / Table 3).
    Continuous {
        bp: &'static [f64],
        index: &'static [f64],
    },
    /// Explicit segments, gaps allowed (EPA, NAQI).
    Segments(&'static [Segment]),
}

/// Where a concentration falls on a table.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Lookup {
    /// Inside segment `k`, with the unrounded index.
    Index { segment: usize, index: f64 },
    /// Above the last breakpoint.
    AboveTable,
    /// Negative or not a number.
    Invalid,
}

impl Table {
    pub fn len(&self) -> usize {
        match self {
            Table::Continuous { bp, .. } => bp.len().saturating_sub(1),
            Table::Segments(s) => s.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Segment `k`.
    pub fn get(&self, k: usize) -> Segment {
        match self {
            Table::Continuous { bp, index } => seg(bp[k], bp[k + 1], index[k], index[k + 1]),
            Table::Segments(s) => s[k],
        }
    }

    /// The highest concentration the table covers.
    pub fn top(&self) -> f64 {
        self.get(self.len() - 1).bp_hi
    }

    /// The segment holding `c`: the first whose upper breakpoint is ≥ `c`.
    #[inline]
    pub fn lookup(&self, c: f64) -> Lookup {
        if c.is_nan() || c < 0.0 {
            return Lookup::Invalid;
        }
        for k in 0..self.len() {
            let s = self.get(k);
            if c <= s.bp_hi {
                return Lookup::Index {
                    segment: k,
                    index: interpolate(&s, c.max(s.bp_lo)),
                };
            }
        }
        Lookup::AboveTable
    }
}

/// HJ 633 eq. (1), EPA TAD eq. (1).
pub fn interpolate(s: &Segment, c: f64) -> f64 {
    (s.index_hi - s.index_lo) / (s.bp_hi - s.bp_lo) * (c - s.bp_lo) + s.index_lo
}
