//! The grade of a river, basin or city from its sections' classes (环办〔2011〕22号).

use crate::class::WaterClass;
use serde::Serialize;

/// A river's, basin's or city's water quality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// 优: at least 90 % of sections in classes I–III.
    Excellent,
    /// 良好: 75 % to 90 %.
    Good,
    /// 轻度污染: under 75 %, and under 20 % worse than V.
    SlightlyPolluted,
    /// 中度污染: under 75 %, and 20 % to 40 % worse than V.
    ModeratelyPolluted,
    /// 重度污染: 40 % or more worse than V.
    HeavilyPolluted,
}

impl Grade {
    pub fn name_zh(self) -> &'static str {
        ["优", "良好", "轻度污染", "中度污染", "重度污染"][self as usize]
    }

    pub fn name_en(self) -> &'static str {
        [
            "excellent",
            "good",
            "slightly polluted",
            "moderately polluted",
            "heavily polluted",
        ][self as usize]
    }
}

/// The shares and the grade of a set of sections.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GradeResult {
    pub sections: usize,
    /// Share in classes I–III, in percent.
    pub good_pct: f64,
    /// Share worse than class V, in percent.
    pub worse_than_v_pct: f64,
    pub grade: Grade,
}

/// Fewest sections graded by shares; with fewer the method averages the concentrations of all
/// sections and classes the mean as one section.
pub const MIN_SECTIONS: usize = 5;

/// The grade of `classes` (one per section), `None` under [`MIN_SECTIONS`].
///
/// The method's table: I–III ≥ 90 % 优; 75–90 % 良好; < 75 % with 劣V < 20 % 轻度; < 75 % with
/// 劣V 20–40 % 中度; I–III < 60 % with 劣V ≥ 40 % 重度. Since the shares add to at most 100 %,
/// 劣V ≥ 40 % leaves I–III ≤ 60 %; the one point the table leaves open (exactly 60 % and 40 %)
/// is taken as 重度 (some texts write "< 75 %" there, which agrees).
pub fn grade(classes: &[WaterClass]) -> Option<GradeResult> {
    let n = classes.len();
    if n < MIN_SECTIONS {
        return None;
    }
    // Counts, not rounded percentages, decide the boundaries: 9 of 10 is exactly 90 %.
    let good = classes.iter().filter(|c| c.is_good()).count();
    let worst = classes
        .iter()
        .filter(|c| **c == WaterClass::WorseThanV)
        .count();
    let at_least = |count: usize, pct: usize| count * 100 >= pct * n;
    let grade = if at_least(good, 90) {
        Grade::Excellent
    } else if at_least(good, 75) {
        Grade::Good
    } else if !at_least(worst, 20) {
        Grade::SlightlyPolluted
    } else if !at_least(worst, 40) {
        Grade::ModeratelyPolluted
    } else {
        Grade::HeavilyPolluted
    };
    Some(GradeResult {
        sections: n,
        good_pct: 100.0 * good as f64 / n as f64,
        worse_than_v_pct: 100.0 * worst as f64 / n as f64,
        grade,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use WaterClass::*;

    fn of(good: usize, iv: usize, worse: usize) -> Vec<WaterClass> {
        let mut v = vec![II; good];
        v.extend(vec![IV; iv]);
        v.extend(vec![WorseThanV; worse]);
        v
    }

    #[test]
    fn each_band_at_its_boundaries() {
        let g = |good, iv, worse| grade(&of(good, iv, worse)).unwrap().grade;
        // 20 sections: 18 good is exactly 90 %.
        assert_eq!(g(18, 2, 0), Grade::Excellent);
        assert_eq!(g(17, 3, 0), Grade::Good);
        // 15 of 20 is exactly 75 %.
        assert_eq!(g(15, 5, 0), Grade::Good);
        assert_eq!(g(14, 6, 0), Grade::SlightlyPolluted);
        // 劣V: 3 of 20 (15 %) slight, 4 (20 %) moderate, 7 (35 %) moderate, 8 (40 %) heavy.
        assert_eq!(g(14, 3, 3), Grade::SlightlyPolluted);
        assert_eq!(g(14, 2, 4), Grade::ModeratelyPolluted);
        assert_eq!(g(10, 3, 7), Grade::ModeratelyPolluted);
        assert_eq!(g(12, 0, 8), Grade::HeavilyPolluted); // 60 % good, 40 % 劣V: the open point
        assert_eq!(g(2, 0, 18), Grade::HeavilyPolluted);
        let r = grade(&of(18, 2, 0)).unwrap();
        assert_eq!(
            (r.sections, r.good_pct, r.worse_than_v_pct),
            (20, 90.0, 0.0)
        );
        assert_eq!(Grade::ModeratelyPolluted.name_zh(), "中度污染");
    }

    #[test]
    fn fewer_than_five_sections_are_not_graded() {
        assert!(grade(&[I, II, III, IV]).is_none());
        assert!(grade(&[I, II, III, IV, V]).is_some());
    }
}
