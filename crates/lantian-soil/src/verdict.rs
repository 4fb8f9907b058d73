//! A verdict that may be a single level, a range of levels, or no verdict at all.
//!
//! Both standards sort a content into ordered levels (GB 15618: priority protection < safe
//! utilisation < strict control; GB 36600: risk negligible < investigate < control or
//! remediation). Some contents cannot be placed in one level: a value below a detection limit
//! that is above the screening value, a pH-dependent item of a sample without pH. These are
//! kept as the range the truth lies in, with the reason, never turned into a number. A sample,
//! or a plot, takes the worst level of its parts; a range among the parts leaves the whole
//! undecided only when it could change the worst.

use serde::Serialize;
use std::fmt::Debug;

/// An ordered set of levels, best first.
pub trait Level: Copy + Ord + Debug + Serialize + 'static {
    /// Every level, best first.
    const ALL: &'static [Self];
    /// The standard whose levels these are.
    const STANDARD: &'static str;
    fn name_en(self) -> &'static str;
    fn name_zh(self) -> &'static str;

    fn best() -> Self {
        Self::ALL[0]
    }

    fn worst() -> Self {
        Self::ALL[Self::ALL.len() - 1]
    }
}

/// The verdict on one item, one sample or one plot.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Verdict<L> {
    /// One level.
    Decided { level: L },
    /// Somewhere from `best` to `worst`, and the data cannot say where.
    NotDecidable { best: L, worst: L, reason: String },
    /// Not assessed: the standard has no value for the item (or for any item of the sample).
    NoValue { reason: String },
}

impl<L: Level> Verdict<L> {
    /// A verdict from a range: decided when the ends meet.
    pub fn range(best: L, worst: L, reason: impl FnOnce() -> String) -> Verdict<L> {
        if best == worst {
            Verdict::Decided { level: best }
        } else {
            Verdict::NotDecidable {
                best,
                worst,
                reason: reason(),
            }
        }
    }

    /// The level, when decided.
    pub fn level(&self) -> Option<L> {
        match self {
            Verdict::Decided { level } => Some(*level),
            _ => None,
        }
    }

    /// The range the truth lies in; `None` when not assessed.
    pub fn bounds(&self) -> Option<(L, L)> {
        match self {
            Verdict::Decided { level } => Some((*level, *level)),
            Verdict::NotDecidable { best, worst, .. } => Some((*best, *worst)),
            Verdict::NoValue { .. } => None,
        }
    }

    /// Why there is no single level; `None` when decided.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Verdict::Decided { .. } => None,
            Verdict::NotDecidable { reason, .. } | Verdict::NoValue { reason } => Some(reason),
        }
    }

    /// The worst of labelled parts (a sample's items, a plot's samples).
    ///
    /// Parts without a value are left out; `None` when no part is assessed. Undecided parts
    /// widen the range only above the worst decided level: a sample with one item in strict
    /// control is in strict control whatever its undecided items are. The reason names the
    /// parts that keep the whole open.
    pub fn worst_of<'a, I>(parts: I) -> Option<Verdict<L>>
    where
        I: IntoIterator<Item = (&'a str, &'a Verdict<L>)>,
    {
        let parts: Vec<(&str, (L, L), &Verdict<L>)> = parts
            .into_iter()
            .filter_map(|(label, v)| v.bounds().map(|b| (label, b, v)))
            .collect();
        let best = parts.iter().map(|(_, (b, _), _)| *b).max()?;
        let worst = parts.iter().map(|(_, (_, w), _)| *w).max()?;
        Some(Verdict::range(best, worst, || {
            let open: Vec<String> = parts
                .iter()
                .filter(|(_, (_, w), _)| *w > best)
                .filter_map(|(label, _, v)| v.reason().map(|r| format!("{label}: {r}")))
                .collect();
            format!(
                "{} at best, {} at worst: {}",
                best.name_en(),
                worst.name_en(),
                open.join("; ")
            )
        }))
    }
}
