//! GB 36600—2018, Soil environmental quality — Risk control standard for soil contamination of
//! development land: Table 1 (the 45 basic items) and the Table 2 items held here, as read in
//! `standards/soil-china.md` §1 and its Additions.
//!
//! Each row carries its screening values (筛选值) and intervention values (管制值) for
//! first-class land (第一类用地: residential, schools, hospitals, welfare, community and
//! children's parks) and second-class land (第二类用地: industrial, logistics, commercial, roads,
//! utilities, other public land and green space).
//!
//! What rests on what (`confirmed`):
//! - Table 1 items 1–34 are **[2+]** (a transcription and a second reading agree);
//! - items 35–45 are UNCONFIRMED (one reading; the transcription found stopped at item 34),
//!   except benzo[a]pyrene (item 39), confirmed since;
//! - the Table 2 items held (Sb, Be, Co, methylmercury, V, cyanide, petroleum hydrocarbons
//!   C10–C40) are **[2+]**. The other Table 2 items (pesticides, PCBs, PBDEs, dioxins, …) are
//!   not held: for them the engine says "no value held", which is not "the standard has none".
//!
//! Total chromium and zinc are in neither table: the standard has no value for them (it screens
//! chromium (VI)), and the engine says so.
//!
//! Meaning (§4 of the standard): at most the screening value, the risk is generally negligible;
//! above it, a detailed investigation and risk assessment; above the intervention value, the
//! risk is generally unacceptable and risk control or remediation is required. Arsenic note ①
//! (wording UNCONFIRMED): a content above the screening value but at most the local soil
//! background value is not managed as contaminated land ([`Risk::WithinBackground`]). The same
//! note may mark other metals of Table 2; not confirmed, so it is applied to arsenic only.

use crate::limit::{Limit, LimitKind, Limits};
use crate::sample::LandClass;
use crate::verdict::Level;
use serde::Serialize;

pub const STANDARD: &str = "GB 36600—2018";

/// The two columns of the standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteClass {
    /// 第一类用地
    First,
    /// 第二类用地
    Second,
}

impl SiteClass {
    pub const ALL: [SiteClass; 2] = [SiteClass::First, SiteClass::Second];

    /// The column of a land class; `None` for agricultural land.
    pub fn of(land: LandClass) -> Option<SiteClass> {
        match land {
            LandClass::ConstructionFirst => Some(SiteClass::First),
            LandClass::ConstructionSecond => Some(SiteClass::Second),
            _ => None,
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn label(self) -> &'static str {
        match self {
            SiteClass::First => "first-class land",
            SiteClass::Second => "second-class land",
        }
    }
}

/// The groups the tables sort their items in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// 重金属和无机物
    MetalsAndInorganics,
    /// 挥发性有机物
    Voc,
    /// 半挥发性有机物
    Svoc,
    /// 石油烃类 (Table 2)
    PetroleumHydrocarbons,
}

/// Where a row stands in the standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "table", rename_all = "snake_case")]
pub enum TableRef {
    /// Table 1, basic items, with the item's number (1–45).
    One { number: u8 },
    /// Table 2, other items (held here without numbers).
    Two,
}

impl TableRef {
    pub fn table(self) -> u8 {
        match self {
            TableRef::One { .. } => 1,
            TableRef::Two => 2,
        }
    }
}

/// One item's row (mg/kg): screening and intervention values for first- and second-class land.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Row {
    /// The key in [`crate::Content::item`]: element symbol (`As`, `Cr6+`, `CN` cyanide), CAS
    /// number for organics, `108-38-3+106-42-3` for m- plus p-xylene (one value for the sum),
    /// `C10-C40` for petroleum hydrocarbons.
    pub key: &'static str,
    /// The CAS number(s) as the standard prints them; empty for petroleum hydrocarbons.
    pub cas: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub table: TableRef,
    pub group: Group,
    /// First-class, second-class.
    pub screening: [f64; 2],
    /// First-class, second-class.
    pub intervention: [f64; 2],
    /// Two sources agree; `false` is UNCONFIRMED.
    pub confirmed: bool,
    /// Note ①: above the screening value but at most the local background is not managed as
    /// contaminated land.
    pub background_note: bool,
}

impl Row {
    /// The limits of this row in a column.
    pub fn limits(&self, site: SiteClass) -> Limits {
        let k = site.index();
        let row = match self.table {
            TableRef::One { number } => format!("item {number}, {}", self.name_en),
            TableRef::Two => self.name_en.to_string(),
        };
        let limit = |kind, mg_kg| Limit {
            kind,
            mg_kg,
            standard: STANDARD,
            table: self.table.table(),
            row: row.clone(),
            column: site.label().to_string(),
            confirmed: self.confirmed,
        };
        Limits {
            screening: limit(LimitKind::Screening, self.screening[k]),
            upper: Some(limit(LimitKind::Intervention, self.intervention[k])),
        }
    }
}

#[allow(clippy::too_many_arguments)]
const fn r(
    number: u8,
    key: &'static str,
    cas: &'static str,
    name_zh: &'static str,
    name_en: &'static str,
    group: Group,
    screening: [f64; 2],
    intervention: [f64; 2],
    confirmed: bool,
) -> Row {
    Row {
        key,
        cas,
        name_zh,
        name_en,
        table: if number == 0 {
            TableRef::Two
        } else {
            TableRef::One { number }
        },
        group,
        screening,
        intervention,
        confirmed,
        background_note: false,
    }
}

use Group::{MetalsAndInorganics as M, PetroleumHydrocarbons as P, Svoc as S, Voc as V};

/// Table 1 (items 1–45 in order), then the Table 2 items held (number 0 in the constructor).
// One row a line, as the standard prints its table.
#[rustfmt::skip]
pub static TABLE: &[Row] = &[
    // Table 1. Heavy metals and inorganics. [2+]
    Row {
        background_note: true,
        ..r(1, "As", "7440-38-2", "砷", "arsenic", M, [20.0, 60.0], [120.0, 140.0], true)
    },
    r(2, "Cd", "7440-43-9", "镉", "cadmium", M, [20.0, 65.0], [47.0, 172.0], true),
    r(3, "Cr6+", "18540-29-9", "铬（六价）", "chromium (VI)", M, [3.0, 5.7], [30.0, 78.0], true),
    r(4, "Cu", "7440-50-8", "铜", "copper", M, [2000.0, 18000.0], [8000.0, 36000.0], true),
    r(5, "Pb", "7439-92-1", "铅", "lead", M, [400.0, 800.0], [800.0, 2500.0], true),
    r(6, "Hg", "7439-97-6", "汞", "mercury", M, [8.0, 38.0], [33.0, 82.0], true),
    r(7, "Ni", "7440-02-0", "镍", "nickel", M, [150.0, 900.0], [600.0, 2000.0], true),
    // Volatile organics. [2+]
    r(8, "56-23-5", "56-23-5", "四氯化碳", "carbon tetrachloride", V, [0.9, 2.8], [9.0, 36.0], true),
    r(9, "67-66-3", "67-66-3", "氯仿", "chloroform", V, [0.3, 0.9], [5.0, 10.0], true),
    r(10, "74-87-3", "74-87-3", "氯甲烷", "chloromethane", V, [12.0, 37.0], [21.0, 120.0], true),
    r(11, "75-34-3", "75-34-3", "1,1-二氯乙烷", "1,1-dichloroethane", V, [3.0, 9.0], [20.0, 100.0], true),
    r(12, "107-06-2", "107-06-2", "1,2-二氯乙烷", "1,2-dichloroethane", V, [0.52, 5.0], [6.0, 21.0], true),
    r(13, "75-35-4", "75-35-4", "1,1-二氯乙烯", "1,1-dichloroethylene", V, [12.0, 66.0], [40.0, 200.0], true),
    r(14, "156-59-2", "156-59-2", "顺-1,2-二氯乙烯", "cis-1,2-dichloroethylene", V, [66.0, 596.0], [200.0, 2000.0], true),
    r(15, "156-60-5", "156-60-5", "反-1,2-二氯乙烯", "trans-1,2-dichloroethylene", V, [10.0, 54.0], [31.0, 163.0], true),
    r(16, "75-09-2", "75-09-2", "二氯甲烷", "dichloromethane", V, [94.0, 616.0], [300.0, 2000.0], true),
    r(17, "78-87-5", "78-87-5", "1,2-二氯丙烷", "1,2-dichloropropane", V, [1.0, 5.0], [5.0, 47.0], true),
    r(18, "630-20-6", "630-20-6", "1,1,1,2-四氯乙烷", "1,1,1,2-tetrachloroethane", V, [2.6, 10.0], [26.0, 100.0], true),
    r(19, "79-34-5", "79-34-5", "1,1,2,2-四氯乙烷", "1,1,2,2-tetrachloroethane", V, [1.6, 6.8], [14.0, 50.0], true),
    r(20, "127-18-4", "127-18-4", "四氯乙烯", "tetrachloroethylene", V, [11.0, 53.0], [34.0, 183.0], true),
    r(21, "71-55-6", "71-55-6", "1,1,1-三氯乙烷", "1,1,1-trichloroethane", V, [701.0, 840.0], [840.0, 840.0], true),
    r(22, "79-00-5", "79-00-5", "1,1,2-三氯乙烷", "1,1,2-trichloroethane", V, [0.6, 2.8], [5.0, 15.0], true),
    r(23, "79-01-6", "79-01-6", "三氯乙烯", "trichloroethylene", V, [0.7, 2.8], [7.0, 20.0], true),
    r(24, "96-18-4", "96-18-4", "1,2,3-三氯丙烷", "1,2,3-trichloropropane", V, [0.05, 0.5], [0.5, 5.0], true),
    r(25, "75-01-4", "75-01-4", "氯乙烯", "vinyl chloride", V, [0.12, 0.43], [1.2, 4.3], true),
    r(26, "71-43-2", "71-43-2", "苯", "benzene", V, [1.0, 4.0], [10.0, 40.0], true),
    r(27, "108-90-7", "108-90-7", "氯苯", "chlorobenzene", V, [68.0, 270.0], [200.0, 1000.0], true),
    r(28, "95-50-1", "95-50-1", "1,2-二氯苯", "1,2-dichlorobenzene", V, [560.0, 560.0], [560.0, 560.0], true),
    r(29, "106-46-7", "106-46-7", "1,4-二氯苯", "1,4-dichlorobenzene", V, [5.6, 20.0], [56.0, 200.0], true),
    r(30, "100-41-4", "100-41-4", "乙苯", "ethylbenzene", V, [7.2, 28.0], [72.0, 280.0], true),
    r(31, "100-42-5", "100-42-5", "苯乙烯", "styrene", V, [1290.0, 1290.0], [1290.0, 1290.0], true),
    r(32, "108-88-3", "108-88-3", "甲苯", "toluene", V, [1200.0, 1200.0], [1200.0, 1200.0], true),
    r(33, "108-38-3+106-42-3", "108-38-3, 106-42-3", "间二甲苯+对二甲苯", "m-xylene + p-xylene", V, [163.0, 570.0], [500.0, 570.0], true),
    r(34, "95-47-6", "95-47-6", "邻二甲苯", "o-xylene", V, [222.0, 640.0], [640.0, 640.0], true),
    // Semi-volatile organics: UNCONFIRMED except benzo[a]pyrene.
    r(35, "98-95-3", "98-95-3", "硝基苯", "nitrobenzene", S, [34.0, 76.0], [190.0, 760.0], false),
    r(36, "62-53-3", "62-53-3", "苯胺", "aniline", S, [92.0, 260.0], [211.0, 663.0], false),
    r(37, "95-57-8", "95-57-8", "2-氯酚", "2-chlorophenol", S, [250.0, 2256.0], [500.0, 4500.0], false),
    r(38, "56-55-3", "56-55-3", "苯并[a]蒽", "benz[a]anthracene", S, [5.5, 15.0], [55.0, 151.0], false),
    r(39, "50-32-8", "50-32-8", "苯并[a]芘", "benzo[a]pyrene", S, [0.55, 1.5], [5.5, 15.0], true),
    r(40, "205-99-2", "205-99-2", "苯并[b]荧蒽", "benzo[b]fluoranthene", S, [5.5, 15.0], [55.0, 151.0], false),
    r(41, "207-08-9", "207-08-9", "苯并[k]荧蒽", "benzo[k]fluoranthene", S, [55.0, 151.0], [550.0, 1500.0], false),
    r(42, "218-01-9", "218-01-9", "䓛", "chrysene", S, [490.0, 1293.0], [4900.0, 12900.0], false),
    r(43, "53-70-3", "53-70-3", "二苯并[a,h]蒽", "dibenz[a,h]anthracene", S, [0.55, 1.5], [5.5, 15.0], false),
    r(44, "193-39-5", "193-39-5", "茚并[1,2,3-cd]芘", "indeno[1,2,3-cd]pyrene", S, [5.5, 15.0], [55.0, 151.0], false),
    r(45, "91-20-3", "91-20-3", "萘", "naphthalene", S, [25.0, 70.0], [255.0, 700.0], false),
    // Table 2, the items held. [2+]
    r(0, "Sb", "7440-36-0", "锑", "antimony", M, [20.0, 180.0], [40.0, 360.0], true),
    r(0, "Be", "7440-41-7", "铍", "beryllium", M, [15.0, 29.0], [98.0, 290.0], true),
    r(0, "Co", "7440-48-4", "钴", "cobalt", M, [20.0, 70.0], [190.0, 350.0], true),
    r(0, "22967-92-6", "22967-92-6", "甲基汞", "methylmercury", M, [5.0, 45.0], [10.0, 120.0], true),
    r(0, "V", "7440-62-2", "钒", "vanadium", M, [165.0, 752.0], [330.0, 1500.0], true),
    r(0, "CN", "57-12-5", "氰化物", "cyanide", M, [22.0, 135.0], [44.0, 270.0], true),
    r(0, "C10-C40", "", "石油烃（C10-C40）", "petroleum hydrocarbons (C10–C40)", P, [826.0, 4500.0], [5000.0, 9000.0], true),
];

/// The row of a key, or of a single CAS number (so `7440-38-2` finds arsenic; the two CAS
/// numbers of the xylene sum find nothing alone, since its value is for the sum).
pub fn row(key: &str) -> Option<&'static Row> {
    let key = key.trim();
    TABLE
        .iter()
        .find(|r| r.key == key || (!r.cas.is_empty() && r.cas == key))
}

/// Why an item has no row: the standard has no value (total chromium, zinc), or the item is
/// not among the rows held.
pub fn no_value_reason(key: &str) -> String {
    match key.trim() {
        "Cr" => format!(
            "not assessed: {STANDARD} has no value for total chromium (Cr); it screens chromium (VI), key Cr6+"
        ),
        "Zn" => format!("not assessed: {STANDARD} has no value for Zn"),
        k => format!(
            "not assessed: no {STANDARD} value held for {k} (held: Table 1 and, of Table 2, Sb, \
             Be, Co, methylmercury, V, cyanide, petroleum hydrocarbons C10–C40)"
        ),
    }
}

/// What a content means on construction land (§4 and note ①); worse compares greater.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Risk {
    /// At most the screening value: the risk is generally negligible.
    Negligible,
    /// Above the screening value, at most the local background (note ①, arsenic): not managed
    /// as contaminated land.
    WithinBackground,
    /// Above the screening value: detailed investigation and risk assessment.
    InvestigateAndAssess,
    /// Above the intervention value: risk control or remediation required.
    ControlOrRemediation,
}

impl Risk {
    /// Passes screening: negligible, or within the background.
    pub fn passes(self) -> bool {
        self <= Risk::WithinBackground
    }
}

impl Level for Risk {
    const ALL: &'static [Risk] = &[
        Risk::Negligible,
        Risk::WithinBackground,
        Risk::InvestigateAndAssess,
        Risk::ControlOrRemediation,
    ];
    const STANDARD: &'static str = STANDARD;

    fn name_en(self) -> &'static str {
        match self {
            Risk::Negligible => "risk negligible",
            Risk::WithinBackground => {
                "within the local background: not managed as contaminated land"
            }
            Risk::InvestigateAndAssess => "investigate and assess",
            Risk::ControlOrRemediation => "risk control or remediation required",
        }
    }

    fn name_zh(self) -> &'static str {
        match self {
            Risk::Negligible => "风险一般情况下可以忽略",
            Risk::WithinBackground => "不高于土壤环境背景值，不纳入污染地块管理",
            Risk::InvestigateAndAssess => "开展详细调查和风险评估",
            Risk::ControlOrRemediation => "采取风险管控或修复措施",
        }
    }
}

/// What the land may be used for, from screening against both columns: a site that passes
/// first-class screening may be used for either class (every second-class value is at least the
/// first-class one); one that passes second-class screening only, for second-class uses; one
/// above the second-class screening values, for nothing before investigation and assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Uses {
    FirstOrSecondClass,
    SecondClassOnly,
    NotBeforeAssessment,
}

impl Uses {
    /// The uses from the risks against the first- and second-class values.
    pub fn of(first: Risk, second: Risk) -> Uses {
        if first.passes() {
            Uses::FirstOrSecondClass
        } else if second.passes() {
            Uses::SecondClassOnly
        } else {
            Uses::NotBeforeAssessment
        }
    }
}

impl Level for Uses {
    const ALL: &'static [Uses] = &[
        Uses::FirstOrSecondClass,
        Uses::SecondClassOnly,
        Uses::NotBeforeAssessment,
    ];
    const STANDARD: &'static str = STANDARD;

    fn name_en(self) -> &'static str {
        match self {
            Uses::FirstOrSecondClass => "first- or second-class uses",
            Uses::SecondClassOnly => "second-class uses only",
            Uses::NotBeforeAssessment => "no use before investigation and risk assessment",
        }
    }

    fn name_zh(self) -> &'static str {
        match self {
            Uses::FirstOrSecondClass => "可用于第一类或第二类用地",
            Uses::SecondClassOnly => "仅可用于第二类用地",
            Uses::NotBeforeAssessment => "详细调查和风险评估前不宜开发利用",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_reads_as_the_standard() {
        let t1: Vec<&Row> = TABLE
            .iter()
            .filter(|r| matches!(r.table, TableRef::One { .. }))
            .collect();
        assert_eq!(t1.len(), 45);
        for (k, r) in t1.iter().enumerate() {
            assert_eq!(
                r.table,
                TableRef::One {
                    number: k as u8 + 1
                },
                "{}",
                r.key
            );
        }
        assert_eq!(TABLE.len(), 52);
        let count = |g| t1.iter().filter(|r| r.group == g).count();
        assert_eq!((count(M), count(V), count(S)), (7, 27, 11));
        // Confirmed: items 1–34, 39, and the seven Table 2 rows.
        let unconfirmed: Vec<&str> = TABLE
            .iter()
            .filter(|r| !r.confirmed)
            .map(|r| r.key)
            .collect();
        assert_eq!(
            unconfirmed,
            [
                "98-95-3", "62-53-3", "95-57-8", "56-55-3", "205-99-2", "207-08-9", "218-01-9",
                "53-70-3", "193-39-5", "91-20-3"
            ]
        );
        // Second-class values are never stricter than first-class ones, and intervention
        // values never below screening values: what `Uses` rests on.
        for r in TABLE {
            assert!(r.screening[0] <= r.screening[1], "{}", r.key);
            assert!(r.intervention[0] <= r.intervention[1], "{}", r.key);
            for k in 0..2 {
                assert!(r.screening[k] <= r.intervention[k], "{}", r.key);
            }
        }
        // Keys are unique.
        let keys: std::collections::BTreeSet<&str> = TABLE.iter().map(|r| r.key).collect();
        assert_eq!(keys.len(), TABLE.len());
        assert_eq!(TABLE.iter().filter(|r| r.background_note).count(), 1);
    }

    #[test]
    fn rows_by_key_and_cas() {
        let a = row("As").unwrap();
        assert_eq!(
            (a.screening, a.intervention),
            ([20.0, 60.0], [120.0, 140.0])
        );
        assert_eq!(row("7440-38-2").unwrap().key, "As");
        assert_eq!(row("Cr6+").unwrap().screening, [3.0, 5.7]);
        assert_eq!(row("22967-92-6").unwrap().name_en, "methylmercury");
        assert_eq!(row("C10-C40").unwrap().intervention, [5000.0, 9000.0]);
        assert_eq!(row("CN").unwrap().screening, [22.0, 135.0]);
        assert_eq!(row("57-12-5").unwrap().key, "CN");
        assert_eq!(row("50-32-8").unwrap().screening, [0.55, 1.5]);
        assert_eq!(row("108-38-3+106-42-3").unwrap().screening, [163.0, 570.0]);
        assert!(row("108-38-3").is_none());
        assert!(row("Cr").is_none());
        assert!(row("Zn").is_none());
        assert!(row("").is_none());
        assert_eq!(
            no_value_reason("Zn"),
            "not assessed: GB 36600—2018 has no value for Zn"
        );
        assert!(no_value_reason("Cr").contains("Cr6+"));
        assert!(no_value_reason("PCB-126").contains("no GB 36600—2018 value held"));
        let l = row("Pb").unwrap().limits(SiteClass::Second);
        assert_eq!(l.screening.mg_kg, 800.0);
        assert_eq!(l.upper.as_ref().unwrap().mg_kg, 2500.0);
        assert_eq!(l.upper.unwrap().kind, LimitKind::Intervention);
        assert_eq!(l.screening.row, "item 5, lead");
        assert_eq!(
            row("95-57-8")
                .unwrap()
                .limits(SiteClass::First)
                .screening
                .to_string(),
            "screening value 250 mg/kg (GB 36600—2018 Table 1: item 37, 2-chlorophenol, \
             first-class land; UNCONFIRMED)"
        );
    }

    #[test]
    fn uses_from_both_columns() {
        use Risk::*;
        assert_eq!(Uses::of(Negligible, Negligible), Uses::FirstOrSecondClass);
        assert_eq!(
            Uses::of(WithinBackground, Negligible),
            Uses::FirstOrSecondClass
        );
        assert_eq!(
            Uses::of(InvestigateAndAssess, Negligible),
            Uses::SecondClassOnly
        );
        assert_eq!(
            Uses::of(ControlOrRemediation, WithinBackground),
            Uses::SecondClassOnly
        );
        assert_eq!(
            Uses::of(InvestigateAndAssess, InvestigateAndAssess),
            Uses::NotBeforeAssessment
        );
    }
}
