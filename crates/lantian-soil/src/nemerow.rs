//! The single-factor index Pi and the Nemerow integrated index P.
//!
//! Pi = C / S, a content over its screening value. The Nemerow index of a sample weighs the
//! worst item as much as the mean of all:
//!
//! P = √((mean(Pi)² + max(Pi)²) / 2)
//!
//! so it lies between the mean and the maximum of the Pi. Its grades are the convention used in
//! China after HJ/T 166—2004 (Technical specification for soil environmental monitoring): P ≤ 0.7
//! clean, ≤ 1 at the warning limit, ≤ 2 slightly, ≤ 3 moderately, above 3 heavily polluted. The
//! grade bands are UNCONFIRMED (memory of the convention; the specification's text was not at
//! hand). The index is not part of GB 15618 or GB 36600, whose verdicts stand on their own.
//!
//! A content below a detection limit at or under the screening value has Pi < limit / S: its Pi
//! is that bound, marked `at_most`, and a Nemerow index computed from it is an upper bound
//! (P never decreases when a Pi grows).

use serde::Serialize;

/// A single-factor index: exact, or an upper bound when the content is below a detection limit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Pi {
    pub value: f64,
    /// The content is below a detection limit: Pi is less than `value`.
    pub at_most: bool,
}

/// The Nemerow grades, cleanest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NemerowGrade {
    /// P ≤ 0.7
    Clean,
    /// 0.7 < P ≤ 1
    WarningLimit,
    /// 1 < P ≤ 2
    Slight,
    /// 2 < P ≤ 3
    Moderate,
    /// P > 3
    Heavy,
}

/// The grade bands as (upper end, grade), convention after HJ/T 166—2004. UNCONFIRMED.
pub const GRADES: [(f64, NemerowGrade); 5] = [
    (0.7, NemerowGrade::Clean),
    (1.0, NemerowGrade::WarningLimit),
    (2.0, NemerowGrade::Slight),
    (3.0, NemerowGrade::Moderate),
    (f64::INFINITY, NemerowGrade::Heavy),
];

impl NemerowGrade {
    /// The grade of an index.
    pub fn of(p: f64) -> NemerowGrade {
        GRADES
            .iter()
            .find(|(end, _)| p <= *end)
            .map_or(NemerowGrade::Heavy, |(_, g)| *g)
    }

    pub fn name_en(self) -> &'static str {
        match self {
            NemerowGrade::Clean => "clean",
            NemerowGrade::WarningLimit => "warning limit",
            NemerowGrade::Slight => "slightly polluted",
            NemerowGrade::Moderate => "moderately polluted",
            NemerowGrade::Heavy => "heavily polluted",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            NemerowGrade::Clean => "清洁（安全）",
            NemerowGrade::WarningLimit => "尚清洁（警戒限）",
            NemerowGrade::Slight => "轻度污染",
            NemerowGrade::Moderate => "中度污染",
            NemerowGrade::Heavy => "重度污染",
        }
    }
}

/// A sample's Nemerow index.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Nemerow {
    pub p: f64,
    pub mean_pi: f64,
    pub max_pi: f64,
    /// The item with the largest Pi (the first, on a tie).
    pub max_item: String,
    /// The number of items the index is over.
    pub items: usize,
    /// Some Pi is an upper bound (below a detection limit), so P is one too.
    pub upper_bound: bool,
    /// The grade of `p` (when `upper_bound`, the worst the sample can be).
    pub grade: NemerowGrade,
}

/// The Nemerow index over labelled Pi; `None` when there is none.
pub fn nemerow<'a>(pis: impl IntoIterator<Item = (&'a str, Pi)>) -> Option<Nemerow> {
    let pis: Vec<(&str, Pi)> = pis.into_iter().collect();
    let (max_item, max) = pis
        .iter()
        .fold(None::<(&str, Pi)>, |m, &(item, pi)| match m {
            Some((_, best)) if best.value >= pi.value => m,
            _ => Some((item, pi)),
        })?;
    let mean = pis.iter().map(|(_, p)| p.value).sum::<f64>() / pis.len() as f64;
    let p = ((mean * mean + max.value * max.value) / 2.0).sqrt();
    Some(Nemerow {
        p,
        mean_pi: mean,
        max_pi: max.value,
        max_item: max_item.to_string(),
        items: pis.len(),
        upper_bound: pis.iter().any(|(_, p)| p.at_most),
        grade: NemerowGrade::of(p),
    })
}

/// A sample's Nemerow index, or why it has none.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NemerowOutcome {
    Computed(Nemerow),
    NotComputed { reason: String },
}

impl NemerowOutcome {
    pub fn computed(&self) -> Option<&Nemerow> {
        match self {
            NemerowOutcome::Computed(n) => Some(n),
            NemerowOutcome::NotComputed { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(v: f64) -> Pi {
        Pi {
            value: v,
            at_most: false,
        }
    }

    #[test]
    fn worked_by_hand() {
        // Pi 1.5, 0.5, 0.5: mean 5/6, P = √((25/36 + 9/4) / 2) = √(106/72) = 1.2133516…
        let n = nemerow([("Cd", exact(1.5)), ("Pb", exact(0.5)), ("As", exact(0.5))]).unwrap();
        assert!((n.p - 1.213_351_648_213_419_7).abs() < 1e-12, "{}", n.p);
        assert!((n.p - (106.0f64 / 72.0).sqrt()).abs() < 1e-15);
        assert_eq!((n.max_item.as_str(), n.max_pi, n.items), ("Cd", 1.5, 3));
        assert_eq!(n.grade, NemerowGrade::Slight);
        assert!(!n.upper_bound);
        // One item: P = Pi.
        let one = nemerow([("Hg", exact(0.25))]).unwrap();
        assert_eq!(one.p, 0.25);
        assert!(nemerow([]).is_none());
        // Ties: the first.
        let tie = nemerow([("A", exact(2.0)), ("B", exact(2.0))]).unwrap();
        assert_eq!((tie.max_item.as_str(), tie.p), ("A", 2.0));
        let bound = nemerow([
            ("A", exact(2.0)),
            (
                "B",
                Pi {
                    value: 0.5,
                    at_most: true,
                },
            ),
        ]);
        assert!(bound.unwrap().upper_bound);
    }

    #[test]
    fn grade_band_edges() {
        use NemerowGrade::*;
        for (p, g) in [
            (0.0, Clean),
            (0.7, Clean),
            (0.7f64.next_up(), WarningLimit),
            (1.0, WarningLimit),
            (1.0f64.next_up(), Slight),
            (2.0, Slight),
            (2.0f64.next_up(), Moderate),
            (3.0, Moderate),
            (3.0f64.next_up(), Heavy),
            (1e9, Heavy),
        ] {
            assert_eq!(NemerowGrade::of(p), g, "P = {p}");
        }
    }

    proptest::proptest! {
        /// P lies between the mean and the maximum of the Pi.
        #[test]
        fn between_mean_and_max(v in proptest::collection::vec(0.0f64..100.0, 1..20)) {
            let n = nemerow(v.iter().map(|&x| ("x", exact(x)))).unwrap();
            let tol = 1e-12 * n.max_pi.max(1.0);
            proptest::prop_assert!(n.p >= n.mean_pi - tol && n.p <= n.max_pi + tol, "{n:?}");
            proptest::prop_assert_eq!(n.max_pi, v.iter().copied().fold(0.0, f64::max));
        }
    }
}
