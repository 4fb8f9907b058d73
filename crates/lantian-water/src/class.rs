//! The single-factor class of one item's value (GB 3838—2002 §5.1).

use crate::gb3838::{Bound, Item, WaterBody};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A water-quality class; worse classes compare greater.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum WaterClass {
    I,
    II,
    III,
    IV,
    V,
    /// Worse than class V (劣V).
    WorseThanV,
}

impl WaterClass {
    pub const ALL: [WaterClass; 6] = [
        WaterClass::I,
        WaterClass::II,
        WaterClass::III,
        WaterClass::IV,
        WaterClass::V,
        WaterClass::WorseThanV,
    ];

    fn of_index(k: usize) -> WaterClass {
        WaterClass::ALL[k.min(5)]
    }

    /// `I` … `V`, `劣V`.
    pub fn name(self) -> &'static str {
        ["I", "II", "III", "IV", "V", "劣V"][self.index()]
    }

    /// The class's position: I = 0 … 劣V = 5.
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn name_zh(self) -> &'static str {
        ["Ⅰ类", "Ⅱ类", "Ⅲ类", "Ⅳ类", "Ⅴ类", "劣Ⅴ类"][self.index()]
    }

    /// The 2011 method's words for a section of this class.
    pub fn quality_zh(self) -> &'static str {
        ["优", "优", "良好", "轻度污染", "中度污染", "重度污染"][self.index()]
    }

    pub fn quality_en(self) -> &'static str {
        [
            "excellent",
            "excellent",
            "good",
            "slightly polluted",
            "moderately polluted",
            "heavily polluted",
        ][self.index()]
    }

    /// Classes I–III: the share a river's grade and the targets count.
    pub fn is_good(self) -> bool {
        self <= WaterClass::III
    }

    pub fn parse(s: &str) -> Option<WaterClass> {
        match s.trim().trim_end_matches('类') {
            "I" | "1" | "Ⅰ" => Some(WaterClass::I),
            "II" | "2" | "Ⅱ" => Some(WaterClass::II),
            "III" | "3" | "Ⅲ" => Some(WaterClass::III),
            "IV" | "4" | "Ⅳ" => Some(WaterClass::IV),
            "V" | "5" | "Ⅴ" => Some(WaterClass::V),
            "劣V" | "劣Ⅴ" | ">V" | "6" => Some(WaterClass::WorseThanV),
            _ => None,
        }
    }
}

impl fmt::Display for WaterClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A measured value, or what a laboratory writes when it found less than it can measure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Measurement {
    Value(f64),
    /// Below the detection limit (`<0.01`): the true value is less than the limit.
    BelowDetection(f64),
    /// Not detected (`ND`) with no limit given.
    NotDetected,
}

impl Measurement {
    /// A cell: a number, `<0.01` (below a detection limit), `ND`/`未检出` (not detected).
    pub fn parse(cell: &str) -> Option<Measurement> {
        let t = cell.trim();
        if t.eq_ignore_ascii_case("nd") || t == "未检出" {
            return Some(Measurement::NotDetected);
        }
        if let Some(l) = t.strip_prefix('<') {
            return l
                .trim()
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite() && *v > 0.0)
                .map(Measurement::BelowDetection);
        }
        t.parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .map(Measurement::Value)
    }
}

/// Why a value has no class.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClassError {
    #[error("{item}: {value} is not a concentration (negative or not a number)")]
    BadValue { item: &'static str, value: f64 },
    #[error(
        "{item}: below a detection limit of {limit} {unit}, above the class I limit of {class_i} {unit}: \
         the class is between I and {at_worst}, not one class"
    )]
    DetectionLimitAboveClassI {
        item: &'static str,
        unit: &'static str,
        limit: f64,
        class_i: f64,
        at_worst: WaterClass,
    },
    #[error("{item}: not detected, and no detection limit given: the class cannot be set")]
    NoDetectionLimit { item: &'static str },
}

/// The single-factor class of `m` for `item` in `body`; `None` for an item with no class limit
/// (water temperature).
///
/// - An upper limit ("≤"): the best class whose limit the value does not exceed. Where classes
///   share a limit (COD I = II = 15) the value meeting it takes the better class.
/// - Dissolved oxygen ("≥"): the best class whose limit the value reaches; class I is "90 %
///   saturation or 7.5 mg/L", taken as 7.5 mg/L.
/// - pH: 6–9 for every class, so within it the best class (I); outside it 劣V. The standard gives
///   only the range; that outside it is 劣V is the common convention (UNCONFIRMED).
/// - Beyond class V: 劣V.
/// - Below a detection limit: class I when the limit is at or below the class I limit (the value
///   is then surely within it); otherwise an error naming the range of classes.
pub fn item_class(
    item: Item,
    m: Measurement,
    body: WaterBody,
) -> Result<Option<WaterClass>, ClassError> {
    let row = item.row();
    let limits = item.limits(body);
    let name = row.name_en;
    match (row.bound, m) {
        (Bound::None, _) => Ok(None),
        (_, Measurement::Value(v))
            if !v.is_finite() || (v < 0.0 && !matches!(row.bound, Bound::Range { .. })) =>
        {
            Err(ClassError::BadValue {
                item: name,
                value: v,
            })
        }
        (Bound::Upper, Measurement::Value(v)) => Ok(Some(WaterClass::of_index(
            limits.iter().position(|&l| v <= l).unwrap_or(5),
        ))),
        (Bound::Lower, Measurement::Value(v)) => Ok(Some(WaterClass::of_index(
            limits.iter().position(|&l| v >= l).unwrap_or(5),
        ))),
        (Bound::Range { low, high }, Measurement::Value(v)) => {
            Ok(Some(if (low..=high).contains(&v) {
                WaterClass::I
            } else {
                WaterClass::WorseThanV
            }))
        }
        (_, Measurement::NotDetected) => Err(ClassError::NoDetectionLimit { item: name }),
        (Bound::Upper, Measurement::BelowDetection(dl)) => {
            if dl <= limits[0] {
                Ok(Some(WaterClass::I))
            } else {
                // The value is below dl, so within the first limit at or above dl.
                let at_worst =
                    WaterClass::of_index(limits.iter().position(|&l| dl <= l).unwrap_or(5));
                Err(ClassError::DetectionLimitAboveClassI {
                    item: name,
                    unit: item.unit().code(),
                    limit: dl,
                    class_i: limits[0],
                    at_worst,
                })
            }
        }
        // Oxygen below a limit at or under class V's 2 mg/L is surely 劣V.
        (Bound::Lower, Measurement::BelowDetection(dl)) if dl <= limits[4] => {
            Ok(Some(WaterClass::WorseThanV))
        }
        (Bound::Lower | Bound::Range { .. }, Measurement::BelowDetection(dl)) => {
            Err(ClassError::DetectionLimitAboveClassI {
                item: name,
                unit: item.unit().code(),
                limit: dl,
                class_i: limits[0],
                at_worst: WaterClass::WorseThanV,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gb3838::TABLE;

    fn class(item: Item, v: f64, body: WaterBody) -> WaterClass {
        item_class(item, Measurement::Value(v), body)
            .unwrap()
            .unwrap()
    }

    /// Every limit of every Table 1 item with an upper bound, both sides: at the limit the class
    /// is the best class with that limit; just above it, the next class that allows it.
    #[test]
    fn every_upper_limit_both_sides() {
        for body in [WaterBody::River, WaterBody::Lake] {
            for r in TABLE.iter().filter(|r| matches!(r.bound, Bound::Upper)) {
                let limits = r.item.limits(body);
                for (k, &l) in limits.iter().enumerate() {
                    let best = limits.iter().position(|&x| x == l).unwrap();
                    assert_eq!(class(r.item, l, body).index(), best, "{:?} at {l}", r.item);
                    let above = l * (1.0 + 1e-9);
                    let next = limits.iter().position(|&x| above <= x).unwrap_or(5);
                    assert_eq!(
                        class(r.item, above, body).index(),
                        next,
                        "{:?} above {l} (class {})",
                        r.item,
                        k + 1
                    );
                    assert!(next > k);
                }
            }
        }
        // Shared limits give the better class: COD 15 is class I, not II.
        assert_eq!(class(Item::Cod, 15.0, WaterBody::River), WaterClass::I);
        assert_eq!(class(Item::Cod, 15.1, WaterBody::River), WaterClass::III);
        assert_eq!(class(Item::Copper, 1.0, WaterBody::River), WaterClass::II);
        assert_eq!(
            class(Item::Copper, 1.01, WaterBody::River),
            WaterClass::WorseThanV
        );
        assert_eq!(
            class(Item::AmmoniaNitrogen, 0.0, WaterBody::River),
            WaterClass::I
        );
    }

    #[test]
    fn oxygen_ph_and_lake_phosphorus() {
        let r = WaterBody::River;
        for (v, c) in [
            (7.5, WaterClass::I),
            (7.49, WaterClass::II),
            (6.0, WaterClass::II),
            (5.99, WaterClass::III),
            (5.0, WaterClass::III),
            (3.0, WaterClass::IV),
            (2.0, WaterClass::V),
            (1.99, WaterClass::WorseThanV),
            (12.0, WaterClass::I),
        ] {
            assert_eq!(class(Item::DissolvedOxygen, v, r), c, "DO {v}");
        }
        for (v, c) in [
            (6.0, WaterClass::I),
            (9.0, WaterClass::I),
            (5.99, WaterClass::WorseThanV),
            (9.01, WaterClass::WorseThanV),
        ] {
            assert_eq!(class(Item::Ph, v, r), c, "pH {v}");
        }
        // TP 0.05: river class II, lake class III; 0.1: river II, lake IV.
        assert_eq!(
            class(Item::TotalPhosphorus, 0.05, WaterBody::River),
            WaterClass::II
        );
        assert_eq!(
            class(Item::TotalPhosphorus, 0.05, WaterBody::Lake),
            WaterClass::III
        );
        assert_eq!(
            class(Item::TotalPhosphorus, 0.1, WaterBody::Lake),
            WaterClass::IV
        );
        assert_eq!(
            class(Item::TotalPhosphorus, 0.41, WaterBody::River),
            WaterClass::WorseThanV
        );
        assert_eq!(
            item_class(Item::WaterTemperature, Measurement::Value(25.0), r),
            Ok(None)
        );
    }

    #[test]
    fn detection_limits() {
        let r = WaterBody::River;
        assert_eq!(
            Measurement::parse("<0.01"),
            Some(Measurement::BelowDetection(0.01))
        );
        assert_eq!(Measurement::parse("ND"), Some(Measurement::NotDetected));
        assert_eq!(Measurement::parse("未检出"), Some(Measurement::NotDetected));
        assert_eq!(Measurement::parse("<x"), None);
        assert_eq!(Measurement::parse("0.5"), Some(Measurement::Value(0.5)));
        // NH3-N below 0.025 (under class I's 0.15): class I.
        assert_eq!(
            item_class(Item::AmmoniaNitrogen, Measurement::BelowDetection(0.025), r),
            Ok(Some(WaterClass::I))
        );
        assert_eq!(
            item_class(Item::AmmoniaNitrogen, Measurement::BelowDetection(0.15), r),
            Ok(Some(WaterClass::I))
        );
        // Mercury below 0.0001 (class I is 0.00005): between I and III.
        let e = item_class(Item::Mercury, Measurement::BelowDetection(0.0001), r).unwrap_err();
        assert!(
            matches!(
                e,
                ClassError::DetectionLimitAboveClassI {
                    at_worst: WaterClass::III,
                    ..
                }
            ),
            "{e}"
        );
        assert!(e.to_string().contains("between I and III"), "{e}");
        assert!(matches!(
            item_class(Item::Lead, Measurement::NotDetected, r),
            Err(ClassError::NoDetectionLimit { .. })
        ));
        assert_eq!(
            item_class(Item::DissolvedOxygen, Measurement::BelowDetection(1.0), r),
            Ok(Some(WaterClass::WorseThanV))
        );
        assert!(item_class(Item::Cod, Measurement::Value(-1.0), r).is_err());
        assert!(item_class(Item::Cod, Measurement::Value(f64::NAN), r).is_err());
    }

    proptest::proptest! {
        /// More of a pollutant never gives a better class; more oxygen never a worse one.
        #[test]
        fn classes_are_monotone(a in 0.0f64..50.0, b in 0.0f64..50.0, k in 0usize..29) {
            let row = &TABLE[k];
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            for body in [WaterBody::River, WaterBody::Lake] {
                let c = |v| item_class(row.item, Measurement::Value(v), body).unwrap();
                match row.bound {
                    Bound::Upper => proptest::prop_assert!(c(lo) <= c(hi)),
                    Bound::Lower => proptest::prop_assert!(c(lo) >= c(hi)),
                    _ => {}
                }
            }
        }
    }

    #[test]
    fn class_words() {
        assert_eq!(WaterClass::parse("劣Ⅴ类"), Some(WaterClass::WorseThanV));
        assert_eq!(WaterClass::parse("Ⅲ类"), Some(WaterClass::III));
        assert_eq!(WaterClass::III.to_string(), "III");
        assert!(WaterClass::III.is_good() && !WaterClass::IV.is_good());
        assert_eq!(WaterClass::II.quality_zh(), "优");
        assert!(WaterClass::I < WaterClass::WorseThanV);
    }
}
