//! GEP-R: the value of the regulating services of ecosystems (生态系统调节服务价值) for each
//! district and year, its change, and the compensation paired districts pay each other on it.
//!
//! GEP-R is the regulating part of gross ecosystem product (GEP = provisioning + regulating +
//! cultural services). Beijing accounts it under DB11/T 2059—2022 (《生态产品总值核算技术规范》)
//! and the 2023 《北京市生态系统调节服务价值(GEP-R)核算方案》, publishes it yearly (CNY 373.8 bn
//! for 2024, every district up year on year) and, from 2025, pays ecological compensation on
//! its growth. Each account is a physical quantity (m³ of water kept, t of soil retained, kWh
//! of cooling …) times a unit price, the method of the MEE guide for gross ecosystem product
//! (《陆地生态系统生产总值（GEP）核算技术指南》, 2020).
//!
//! **Neither the standard's nor the guide's text was read.** The formulas are the guide's as
//! remembered; every parameter is marked unconfirmed with where its value comes from; the
//! compensation rule's amounts are placeholders. `docs/gep.md` gives the method, each formula
//! and parameter with its citation, the compensation rule and a worked example.
//!
//! The design, as the rest of Lantian keeps standards as data:
//!
//! - [`accounts`]: the nine accounts as a table ([`ACCOUNTS`]: id, names, inputs with units,
//!   parameters, formula, source) and [`account`], which computes one from a district's
//!   inputs, part by part, returning the physical quantity, the value and everything it used;
//! - [`parameters`]: the parameter table ([`Parameters::defaults`]), overridable by the caller;
//! - [`inputs`]: a district's physical inputs for a year, checked against the table as they are
//!   given, and built from the long rows of an input file ([`from_rows`]);
//! - [`gep_r()`]: every account of a district and year, the accounts missing and why, and the
//!   total (the sum of the accounts computed: a missing account is never a zero); [`city`]
//!   sums districts;
//! - [`change()`]: the change by account and in total, on a comparable basis; [`city_change`];
//! - [`compensation()`]: the transfers between paired districts under a [`Rule`] (a table per
//!   year).
//!
//! ```
//! use lantian_campaigns::gep::{gep_r, Account, Inputs, Parameters};
//!
//! let mut inputs = Inputs::new();
//! inputs
//!     .add(Account::FloodRegulation, "reservoir", &[("storage_m3", 2.0e8)])?
//!     .add(Account::CarbonSequestration, "forest", &[("nep_t_c", 1200.0)])?;
//! let mut params = Parameters::defaults();
//! params.set("reservoir_cost_cny_m3", 6.0)?;
//! let a = gep_r("延庆区", 2024, &inputs, &params);
//! // Flood regulation 2 × 10⁸ m³ × CNY 6 = CNY 1.2 bn; carbon 1,200 t C × 44/12 = 4,400 t CO₂
//! // × CNY 104.89 = CNY 461,516; oxygen 4,400 × 32/44 = 3,200 t O₂ × CNY 1,000 = CNY 3.2 m.
//! assert_eq!(a.completeness.computed, 3);
//! assert_eq!(a.missing.len(), 6);
//! assert!((a.total_cny - (1.2e9 + 461_516.0 + 3.2e6)).abs() < 1e-3);
//! assert!(!a.confirmed); // every default parameter is UNCONFIRMED
//! # Ok::<(), lantian_campaigns::gep::GepError>(())
//! ```

pub mod accounts;
pub mod change;
pub mod compensation;
pub mod gep_r;
pub mod inputs;
pub mod parameters;

pub use accounts::{
    ACCOUNTS, Account, AccountSpec, AccountValue, InputSpec, InputUsed, Missing, ParamUsed,
    PartValue, Parts, Pollutant, Reason, account,
};
pub use change::{AccountChange, Change, NotCompared, change, city_change};
pub use compensation::{
    Amount, BothMiss, Case, PAIRS_SINCE_2018, Pair, PairOutcome, Rule, Standing, Transfer,
    compensation, settle,
};
pub use gep_r::{Accounts, CityAccount, CityAccounts, Completeness, city, gep_r};
pub use inputs::{DistrictInputs, InputRow, Inputs, Part, from_rows};
pub use parameters::{Param, Parameter, Parameters};

/// Why GEP-R inputs, parameters, changes or a compensation rule are refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GepError {
    #[error("parameter {id:?} is not in the table")]
    UnknownParameter { id: String },
    #[error("parameter {id} is in {expected}, not {found}")]
    ParameterUnit {
        id: String,
        expected: &'static str,
        found: String,
    },
    #[error("parameter {id}: {value} is not allowed (must be {allowed})")]
    ParameterOutOfRange {
        id: String,
        value: f64,
        allowed: &'static str,
    },
    #[error("parameter {id} is given without a citation (every value says where it comes from)")]
    ParameterWithoutCitation { id: String },
    #[error("account {account:?} is not one of the nine")]
    UnknownAccount { account: String },
    #[error("{account} has no input {input:?} (its inputs: {expected})")]
    UnknownInput {
        account: Account,
        input: String,
        expected: String,
    },
    #[error("{account} input {input} is in {expected}, not {found}")]
    InputUnit {
        account: Account,
        input: &'static str,
        expected: &'static str,
        found: String,
    },
    #[error("{account} has no inputs of its own: it reads those of {owner}")]
    InputsOf { account: Account, owner: Account },
    #[error("{account}: a part has no name")]
    PartWithoutName { account: Account },
    #[error("{account} has no part {part:?} (its parts: {allowed})")]
    PartNotAllowed {
        account: Account,
        part: String,
        allowed: String,
    },
    #[error("{account}, part {part}: given twice")]
    DuplicatePart { account: Account, part: String },
    #[error("{account}, part {part}: {input} is given twice")]
    DuplicateInput {
        account: Account,
        part: String,
        input: String,
    },
    #[error("{account}, part {part}: {input} is missing")]
    MissingInput {
        account: Account,
        part: String,
        input: &'static str,
    },
    #[error("{account}, part {part}: {input} = {value} is not a number")]
    InputNotFinite {
        account: Account,
        part: String,
        input: String,
        value: f64,
    },
    #[error("{account}, part {part}: {input} = {value} is outside {min:?}..{max:?}")]
    InputOutOfRange {
        account: Account,
        part: String,
        input: String,
        value: f64,
        min: Option<f64>,
        max: Option<f64>,
    },
    #[error("{account}, part {part}: {why}")]
    Inconsistent {
        account: Account,
        part: String,
        why: String,
    },
    #[error("line {line} ({district}, {year}): {error}")]
    AtRow {
        line: usize,
        district: String,
        year: i32,
        #[source]
        error: Box<GepError>,
    },
    #[error("the accounts are of {before} and {after}, not of one district")]
    DistrictsDiffer { before: String, after: String },
    #[error("{district} is of {year}, not {expected}")]
    YearsDiffer {
        district: String,
        year: i32,
        expected: i32,
    },
    #[error("{district}'s change is over {years:?}, not {expected:?}")]
    ChangeYearsDiffer {
        district: String,
        years: (i32, i32),
        expected: (i32, i32),
    },
    #[error("{district} is given twice")]
    DuplicateDistrict { district: String },
    #[error("no districts given")]
    NoDistricts,
    #[error("compensation rule {year}: {why}")]
    RuleInvalid { year: i32, why: String },
    #[error("{district} has no GEP-R change for {year}")]
    NoChange { district: String, year: i32 },
    #[error(
        "{district}'s change is over {years:?}; the rule assesses {assessed_year} over the year before"
    )]
    WrongYears {
        district: String,
        years: (i32, i32),
        assessed_year: i32,
    },
    #[error("{district}'s change is not on a comparable basis: {why}")]
    NotComparable { district: String, why: String },
    #[error("{district} had no GEP-R the year before: its growth has no percent")]
    NoGrowth { district: String },
}

#[cfg(test)]
mod example_plan {
    //! The example plan's model inputs (`plans/beijing-2024/gep/inputs.csv`) computed through
    //! the engine: the claims `docs/gep.md` makes of them hold.

    use super::*;

    const CSV: &str = include_str!("../../../../plans/beijing-2024/gep/inputs.csv");
    const RULE: &str = include_str!("../../../../plans/beijing-2024/gep/rule_2025.toml");

    /// The documented shape: `#` comments, a header `district,account,part,input,unit,<year>…`,
    /// an empty cell for a value not given.
    fn rows() -> Vec<InputRow> {
        let mut lines = CSV
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty());
        let (_, header) = lines.next().unwrap();
        let header: Vec<&str> = header.split(',').collect();
        assert_eq!(
            header[..5],
            ["district", "account", "part", "input", "unit"]
        );
        let years: Vec<i32> = header[5..].iter().map(|y| y.parse().unwrap()).collect();
        let mut rows = Vec::new();
        for (k, l) in lines {
            let f: Vec<&str> = l.split(',').collect();
            assert_eq!(f.len(), header.len(), "line {}", k + 1);
            for (y, cell) in years.iter().zip(&f[5..]) {
                if cell.is_empty() {
                    continue;
                }
                rows.push(InputRow {
                    line: k + 1,
                    district: f[0].into(),
                    year: *y,
                    account: f[1].into(),
                    part: f[2].into(),
                    input: f[3].into(),
                    value: cell.parse().unwrap(),
                    unit: f[4].into(),
                });
            }
        }
        rows
    }

    fn accounts() -> Vec<Accounts> {
        let p = Parameters::defaults();
        from_rows(&rows())
            .unwrap()
            .iter()
            .map(|d| gep_r(&d.district, d.year, &d.inputs, &p))
            .collect()
    }

    fn of(all: &[Accounts], year: i32) -> Vec<Accounts> {
        all.iter().filter(|a| a.year == year).cloned().collect()
    }

    #[test]
    fn every_district_is_up_and_the_city_is_of_the_published_order() {
        let all = accounts();
        let (a, b) = (of(&all, 2023), of(&all, 2024));
        assert_eq!((a.len(), b.len()), (17, 17));
        let changes: Vec<Change> = a
            .iter()
            .map(|x| change(x, b.iter().find(|y| y.district == x.district).unwrap()).unwrap())
            .collect();
        for c in &changes {
            assert!(c.comparable, "{}", c.district);
            assert!(c.change_cny > 0.0, "{} is not up", c.district);
        }
        let city24 = city("北京市", 2024, &b).unwrap();
        // The published 2024 figure (CNY 373.8 bn) is the scale check, not a target.
        assert!(
            (300e9..450e9).contains(&city24.total_cny),
            "{}",
            city24.total_cny
        );
        // The urban core has no erosion inputs: two accounts missing in each, both years.
        for d in ["东城区", "西城区"] {
            let x = b.iter().find(|x| x.district == d).unwrap();
            assert_eq!(x.completeness.computed, 7);
        }
        let cc = city_change("北京市", &changes).unwrap();
        assert!(cc.comparable && cc.change_cny > 0.0);
    }

    #[test]
    fn the_rule_file_is_the_2025_table_and_settles_the_example() {
        let r = Rule::beijing_2025();
        for p in &r.pairs {
            assert!(
                RULE.contains(&format!("a = \"{}\"\nb = \"{}\"", p.a, p.b)),
                "{} – {}",
                p.a,
                p.b
            );
        }
        assert!(RULE.contains("growth_target_percent = 3.0\n"));
        assert!(RULE.contains("cny_per_point = 20000000.0\n"));
        assert!(RULE.contains("cap_cny = 100000000.0\n"));
        assert!(RULE.contains("both_miss = \"nothing\"\n"));

        let all = accounts();
        let (a, b) = (of(&all, 2023), of(&all, 2024));
        let changes: Vec<Change> = a
            .iter()
            .map(|x| change(x, b.iter().find(|y| y.district == x.district).unwrap()).unwrap())
            .collect();
        let o = settle(&r, &changes).unwrap();
        let cases: Vec<Case> = o.iter().map(|x| x.case).collect();
        assert_eq!(
            cases,
            [
                Case::BothMeet,
                Case::OneMisses,
                Case::OneMisses,
                Case::OneMisses,
                Case::OneMisses,
                Case::OneMisses,
                Case::BothMiss
            ]
        );
        let t = compensation(&r, &changes).unwrap();
        assert_eq!(t.len(), 5);
        // The ecological-conservation district is paid in every pair with a payment.
        for x in &t {
            assert!(
                PAIRS_SINCE_2018
                    .iter()
                    .any(|(u, e)| x.payer == *u && x.payee == *e)
            );
        }
    }
}
