//! Year-on-year change of a section or of a set of sections (环办〔2011〕22号, trend of water
//! quality; the words and the bands are the method's as restated in the standards notes; the
//! inclusive ends of the bands are UNCONFIRMED).

use crate::class::WaterClass;
use crate::grade::{Grade, GradeResult};
use serde::Serialize;

/// The method's five words for a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// 显著好转
    MarkedlyBetter,
    /// 明显好转
    ClearlyBetter,
    /// 有所好转
    SomewhatBetter,
    /// 无明显变化
    NoClearChange,
    /// 有所变差
    SomewhatWorse,
    /// 明显变差
    ClearlyWorse,
    /// 显著变差
    MarkedlyWorse,
}

impl Change {
    pub fn name_zh(self) -> &'static str {
        [
            "显著好转",
            "明显好转",
            "有所好转",
            "无明显变化",
            "有所变差",
            "明显变差",
            "显著变差",
        ][self as usize]
    }

    pub fn name_en(self) -> &'static str {
        [
            "markedly improved",
            "clearly improved",
            "somewhat improved",
            "no clear change",
            "somewhat worse",
            "clearly worse",
            "markedly worse",
        ][self as usize]
    }

    /// Whether the change counts as "improved" (好转) in a bulletin's sentence.
    pub fn improved(self) -> bool {
        self < Change::NoClearChange
    }

    pub fn worsened(self) -> bool {
        self > Change::NoClearChange
    }

    fn of_steps(better: bool, steps: usize) -> Change {
        match (better, steps) {
            (_, 0) => Change::NoClearChange,
            (true, 1) => Change::SomewhatBetter,
            (true, _) => Change::ClearlyBetter,
            (false, 1) => Change::SomewhatWorse,
            (false, _) => Change::ClearlyWorse,
        }
    }
}

/// A section's change: one class better or worse is 有所, two or more 明显.
pub fn section_change(before: WaterClass, after: WaterClass) -> Change {
    Change::of_steps(after < before, before.index().abs_diff(after.index()))
}

/// The change of a river, basin or city between two periods.
///
/// When the grade changes, one grade is 有所 and two or more are 明显. When it does not (or
/// there are too few sections to grade), the change is read from Δ = (G₂ − G₁) − (D₂ − D₁), the
/// change of the share of sections in classes I–III less the change of the share worse than V,
/// in percentage points: |Δ| ≤ 5 无明显变化, 5 < |Δ| ≤ 10 有所, 10 < |Δ| ≤ 20 明显, > 20 显著.
pub fn set_change(before: &Shares, after: &Shares) -> Change {
    if let (Some(g1), Some(g2)) = (before.grade, after.grade)
        && g1 != g2
    {
        return Change::of_steps(g2 < g1, (g1 as usize).abs_diff(g2 as usize));
    }
    let d = (after.good_pct - before.good_pct) - (after.worse_than_v_pct - before.worse_than_v_pct);
    // Shares are ratios of counts; compare in hundredths of a point so 5.000000001 is 5.
    let m = (d.abs() * 100.0).round() / 100.0;
    let better = d > 0.0;
    match m {
        m if m <= 5.0 => Change::NoClearChange,
        m if m <= 10.0 => Change::of_steps(better, 1),
        m if m <= 20.0 => Change::of_steps(better, 2),
        _ if better => Change::MarkedlyBetter,
        _ => Change::MarkedlyWorse,
    }
}

/// The shares a change compares.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Shares {
    pub sections: usize,
    pub good_pct: f64,
    pub worse_than_v_pct: f64,
    pub grade: Option<Grade>,
}

impl Shares {
    /// The shares of a set of section classes (graded from five sections).
    pub fn of(classes: &[WaterClass]) -> Shares {
        let n = classes.len();
        let pct = |k: usize| {
            if n == 0 {
                0.0
            } else {
                100.0 * k as f64 / n as f64
            }
        };
        Shares {
            sections: n,
            good_pct: pct(classes.iter().filter(|c| c.is_good()).count()),
            worse_than_v_pct: pct(classes
                .iter()
                .filter(|c| **c == WaterClass::WorseThanV)
                .count()),
            grade: crate::grade::grade(classes).map(|g: GradeResult| g.grade),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use WaterClass::*;

    #[test]
    fn a_section_changes_by_class_steps() {
        assert_eq!(section_change(III, III), Change::NoClearChange);
        assert_eq!(section_change(IV, III), Change::SomewhatBetter);
        assert_eq!(section_change(WorseThanV, III), Change::ClearlyBetter);
        assert_eq!(section_change(II, III), Change::SomewhatWorse);
        assert_eq!(section_change(I, IV), Change::ClearlyWorse);
        assert!(section_change(IV, III).improved());
        assert!(!section_change(III, III).improved());
    }

    fn shares(good: usize, bad: usize, n: usize) -> Shares {
        let mut v = vec![III; good];
        v.extend(vec![WorseThanV; bad]);
        v.extend(vec![IV; n - good - bad]);
        Shares::of(&v)
    }

    #[test]
    fn a_set_changes_by_grade_or_by_delta() {
        // 20 sections, grade 良好 both years (16 → 17 good): Δ = +5 points → no clear change.
        assert_eq!(
            set_change(&shares(16, 0, 20), &shares(17, 0, 20)),
            Change::NoClearChange
        );
        // 15 → 17 of 20 good, 良好 → 良好? 15/20 = 75 % 良好, 17/20 = 85 % 良好: Δ = +10 → 有所.
        assert_eq!(
            set_change(&shares(15, 0, 20), &shares(17, 0, 20)),
            Change::SomewhatBetter
        );
        // 轻度 (14 of 20 = 70 %) → 优 (18 of 20 = 90 %): two grades → 明显好转.
        assert_eq!(
            set_change(&shares(14, 0, 20), &shares(18, 0, 20)),
            Change::ClearlyBetter
        );
        // 良好 (15/20) → 轻度 (14/20): one grade → 有所变差.
        assert_eq!(
            set_change(&shares(15, 0, 20), &shares(14, 0, 20)),
            Change::SomewhatWorse
        );
        // Same grade 轻度, 劣V 3 → 0 of 20 and good 10 → 12 of 20: Δ = 10 + 15 = 25 → 显著好转.
        assert_eq!(
            set_change(&shares(10, 3, 20), &shares(12, 0, 20)),
            Change::MarkedlyBetter
        );
        // Same grade 轻度: 劣V 0 → 3 of 20 (+15), good the same: Δ = −15 → 明显变差.
        assert_eq!(
            set_change(&shares(10, 0, 20), &shares(10, 3, 20)),
            Change::ClearlyWorse
        );
        // Fewer than five sections: no grade, by Δ only (3 of 4 → 4 of 4 good: +25).
        assert_eq!(
            set_change(&shares(3, 0, 4), &shares(4, 0, 4)),
            Change::MarkedlyBetter
        );
    }
}
