//! The trophic state of a lake or reservoir: the comprehensive trophic level index TLI(Σ)
//! (国家环保总局, 2007 technical rules; `standards/water-china.md`).

use serde::Serialize;

/// The five parameters of TLI(Σ), with chlorophyll a as the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Parameter {
    /// Chlorophyll a, mg/m³.
    Chla,
    /// Total phosphorus, mg/L.
    Tp,
    /// Total nitrogen, mg/L.
    Tn,
    /// Secchi depth (transparency), m.
    Sd,
    /// Permanganate index, mg/L.
    Codmn,
}

impl Parameter {
    pub const ALL: [Parameter; 5] = [
        Parameter::Chla,
        Parameter::Tp,
        Parameter::Tn,
        Parameter::Sd,
        Parameter::Codmn,
    ];

    /// W_j = r_ij² / Σ r_ij², r against chla: 1, 0.84, 0.82, −0.83, 0.83.
    pub fn weight(self) -> f64 {
        let r: f64 = match self {
            Parameter::Chla => 1.0,
            Parameter::Tp => 0.84,
            Parameter::Tn => 0.82,
            Parameter::Sd => -0.83,
            Parameter::Codmn => 0.83,
        };
        let sum: f64 = [1.0f64, 0.84, 0.82, -0.83, 0.83]
            .iter()
            .map(|x| x * x)
            .sum();
        r * r / sum
    }

    /// TLI(j) of a value.
    pub fn tli(self, v: f64) -> f64 {
        let ln = v.ln();
        10.0 * match self {
            Parameter::Chla => 2.5 + 1.086 * ln,
            Parameter::Tp => 9.436 + 1.624 * ln,
            Parameter::Tn => 5.453 + 1.694 * ln,
            Parameter::Sd => 5.118 - 1.94 * ln,
            Parameter::Codmn => 0.109 + 2.661 * ln,
        }
    }
}

/// The trophic state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TrophicState {
    /// 贫营养: TLI < 30.
    Oligotrophic,
    /// 中营养: 30 ≤ TLI ≤ 50.
    Mesotrophic,
    /// 轻度富营养: 50 < TLI ≤ 60.
    LightEutrophic,
    /// 中度富营养: 60 < TLI ≤ 70.
    ModerateEutrophic,
    /// 重度富营养: TLI > 70.
    HeavyEutrophic,
}

impl TrophicState {
    /// The grade of an index. The rules' wording puts 30 and 50 in 中营养, 60 in 轻度 and 70 in
    /// 中度 (the inclusive ends are UNCONFIRMED against the text).
    pub fn of(tli: f64) -> TrophicState {
        if tli < 30.0 {
            TrophicState::Oligotrophic
        } else if tli <= 50.0 {
            TrophicState::Mesotrophic
        } else if tli <= 60.0 {
            TrophicState::LightEutrophic
        } else if tli <= 70.0 {
            TrophicState::ModerateEutrophic
        } else {
            TrophicState::HeavyEutrophic
        }
    }
}

/// TLI(Σ) and its grade.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trophic {
    pub tli: f64,
    pub state: TrophicState,
    /// The parameters used; a missing one is left out and the others' weights scaled to add to 1
    /// (a common practice; UNCONFIRMED against the rules).
    pub used: Vec<Parameter>,
}

/// TLI(Σ) of the values given (each positive); `None` without any.
pub fn trophic(values: &[(Parameter, f64)]) -> Option<Trophic> {
    let used: Vec<(Parameter, f64)> = values
        .iter()
        .copied()
        .filter(|(_, v)| v.is_finite() && *v > 0.0)
        .collect();
    if used.is_empty() {
        return None;
    }
    let w: f64 = used.iter().map(|(p, _)| p.weight()).sum();
    let tli = used.iter().map(|(p, v)| p.weight() / w * p.tli(*v)).sum();
    Some(Trophic {
        tli,
        state: TrophicState::of(tli),
        used: used.iter().map(|(p, _)| *p).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_as_published() {
        let w: Vec<f64> = Parameter::ALL
            .iter()
            .map(|p| (p.weight() * 10_000.0).round() / 10_000.0)
            .collect();
        assert_eq!(w, vec![0.2663, 0.1879, 0.1790, 0.1834, 0.1834]);
        assert!((Parameter::ALL.iter().map(|p| p.weight()).sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn an_index_worked_by_hand() {
        // chla 10 mg/m³: 10 (2.5 + 1.086 ln 10) = 50.006; TP 0.05: 10 (9.436 + 1.624 ln 0.05) =
        // 45.708; TN 1.0: 54.53; SD 1.0: 51.18; CODMn 4: 10 (0.109 + 2.661 ln 4) = 37.979.
        let t = trophic(&[
            (Parameter::Chla, 10.0),
            (Parameter::Tp, 0.05),
            (Parameter::Tn, 1.0),
            (Parameter::Sd, 1.0),
            (Parameter::Codmn, 4.0),
        ])
        .unwrap();
        let by_hand: f64 = [
            (50.006, 0.2663),
            (45.708, 0.1879),
            (54.53, 0.1790),
            (51.18, 0.1834),
            (37.979, 0.1834),
        ]
        .iter()
        .map(|(x, w)| x * w)
        .sum();
        assert!((t.tli - by_hand).abs() < 0.01, "{} vs {by_hand}", t.tli);
        assert_eq!(t.state, TrophicState::Mesotrophic);
        assert!((Parameter::Chla.tli(10.0) - 50.006).abs() < 0.001);
    }

    #[test]
    fn grades_at_their_ends() {
        assert_eq!(TrophicState::of(29.99), TrophicState::Oligotrophic);
        assert_eq!(TrophicState::of(30.0), TrophicState::Mesotrophic);
        assert_eq!(TrophicState::of(50.0), TrophicState::Mesotrophic);
        assert_eq!(TrophicState::of(50.01), TrophicState::LightEutrophic);
        assert_eq!(TrophicState::of(60.0), TrophicState::LightEutrophic);
        assert_eq!(TrophicState::of(70.0), TrophicState::ModerateEutrophic);
        assert_eq!(TrophicState::of(70.01), TrophicState::HeavyEutrophic);
        // Only chla: its own index.
        let t = trophic(&[(Parameter::Chla, 10.0), (Parameter::Tp, f64::NAN)]).unwrap();
        assert!((t.tli - Parameter::Chla.tli(10.0)).abs() < 1e-12);
        assert_eq!(t.used, vec![Parameter::Chla]);
        assert!(trophic(&[]).is_none());
    }
}
