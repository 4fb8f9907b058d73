//! The limits a content is compared with, named by the table, row and column they were read
//! from, and whether the value is confirmed (`standards/soil-china.md`: **[2+]** two sources
//! agree; otherwise UNCONFIRMED), so a report can say which figure rests on what.

use serde::Serialize;
use std::fmt;

/// Which of a standard's values a limit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitKind {
    /// 筛选值, risk screening value (both standards).
    Screening,
    /// 管制值 of GB 15618—2018 Table 3, the risk control value of agricultural land.
    Control,
    /// 管制值 of GB 36600—2018, the risk intervention value of construction land.
    Intervention,
}

impl LimitKind {
    pub fn name_en(self) -> &'static str {
        match self {
            LimitKind::Screening => "screening value",
            LimitKind::Control => "control value",
            LimitKind::Intervention => "intervention value",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            LimitKind::Screening => "筛选值",
            LimitKind::Control | LimitKind::Intervention => "管制值",
        }
    }
}

/// One value of a standard, with where it was read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Limit {
    pub kind: LimitKind,
    pub mg_kg: f64,
    /// `GB 15618—2018` or `GB 36600—2018`.
    pub standard: &'static str,
    pub table: u8,
    /// The row: `Cd, paddy`; `item 1, arsenic`.
    pub row: String,
    /// The column: `5.5 < pH ≤ 6.5`; `first-class land`.
    pub column: String,
    /// Whether two sources agree on the value; `false` is UNCONFIRMED.
    pub confirmed: bool,
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} mg/kg ({} Table {}: {}, {}{})",
            self.kind.name_en(),
            self.mg_kg,
            self.standard,
            self.table,
            self.row,
            self.column,
            if self.confirmed { "" } else { "; UNCONFIRMED" }
        )
    }
}

/// The limits one item is screened against: the screening value and, where the standard has
/// one, the 管制值 above it (`upper`: the control value of GB 15618 or the intervention value of
/// GB 36600; its `kind` says which).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Limits {
    pub screening: Limit,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upper: Option<Limit>,
}
