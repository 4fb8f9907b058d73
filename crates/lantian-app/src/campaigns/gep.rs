//! The GEP-R accounts of a year: every district's nine regulating-service accounts from an
//! inputs table, the city's sum, the change over the year before, and the compensation between
//! paired districts that the rule of the year implies (`lantian_campaigns::gep`; the method and
//! every parameter in `docs/gep.md`).
//!
//! Without files the example plan's model inputs and the 2025 rule are used; both are stated
//! as models wherever they appear.

use crate::error::{AppError, Result};
use lantian_campaigns::gep::{
    Accounts, Change, CityAccounts, DistrictInputs, PairOutcome, Parameter, Parameters, Rule,
    change, city, city_change, gep_r, settle,
};
use lantian_ingest::campaigns::gep::{read_inputs_str, read_rule_str};
use serde::Serialize;
use std::path::PathBuf;

/// The example plan's model inputs and rule, built in.
pub const EXAMPLE_INPUTS: (&str, &str) = (
    "plans/beijing-2024/gep/inputs.csv",
    include_str!("../../../../plans/beijing-2024/gep/inputs.csv"),
);
pub const EXAMPLE_RULE: (&str, &str) = (
    "plans/beijing-2024/gep/rule_2025.toml",
    include_str!("../../../../plans/beijing-2024/gep/rule_2025.toml"),
);

/// What the accounts are computed from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GepSources {
    /// The inputs table; `None` takes the example plan's model inputs.
    pub inputs: Option<PathBuf>,
    /// The compensation rule; `None` takes the example's 2025 rule when the inputs are the
    /// example's, else no compensation.
    pub rule: Option<PathBuf>,
    /// Parameters set by the caller (`id`, value), over the defaults.
    pub parameters: Vec<(String, f64)>,
}

/// The accounts of one year with their change.
#[derive(Debug, Clone, Serialize)]
pub struct GepAnswer {
    pub year: i32,
    pub previous_year: Option<i32>,
    /// Where the inputs came from, and whether they are a model.
    pub inputs: String,
    pub model: bool,
    pub districts: Vec<Accounts>,
    pub city: CityAccounts,
    pub city_previous: Option<CityAccounts>,
    /// Per district, this year against the year before (where both are given).
    pub changes: Vec<Change>,
    pub city_change: Option<Change>,
    /// The rule applied (when its assessed year is this year).
    pub rule: Option<Rule>,
    pub compensation: Vec<PairOutcome>,
    pub parameters: Vec<Parameter>,
}

fn read(path: &PathBuf) -> Result<String> {
    std::fs::read_to_string(path)
        .map_err(|e| AppError::BadInput(format!("{}: {e}", path.display())))
}

/// The accounts of `year` (default: the latest year of the inputs).
pub fn accounts(src: &GepSources, year: Option<i32>) -> Result<GepAnswer> {
    let (name, text, model) = match &src.inputs {
        Some(p) => (p.display().to_string(), read(p)?, false),
        None => (
            EXAMPLE_INPUTS.0.to_string(),
            EXAMPLE_INPUTS.1.to_string(),
            true,
        ),
    };
    let all: Vec<DistrictInputs> =
        read_inputs_str(&name, &text).map_err(|e| AppError::BadInput(e.to_string()))?;
    let mut params = Parameters::defaults();
    for (id, v) in &src.parameters {
        params
            .set(id, *v)
            .map_err(|e| AppError::bad("parameter", format!("{id}={v}"), e))?;
    }
    let latest = all
        .iter()
        .map(|d| d.year)
        .max()
        .ok_or_else(|| AppError::BadInput(format!("{name}: no district holds any input")))?;
    let year = year.unwrap_or(latest);
    let of = |y: i32| -> Vec<Accounts> {
        all.iter()
            .filter(|d| d.year == y)
            .map(|d| gep_r(&d.district, y, &d.inputs, &params))
            .collect()
    };
    let districts = of(year);
    if districts.is_empty() {
        let years: std::collections::BTreeSet<i32> = all.iter().map(|d| d.year).collect();
        return Err(AppError::bad(
            "year",
            year,
            format!("{name} has inputs for {years:?} only"),
        ));
    }
    let previous = of(year - 1);
    let city_name = "北京市";
    let city_now = city(city_name, year, &districts).map_err(AppError::internal)?;
    let (city_previous, changes, city_chg, previous_year) = if previous.is_empty() {
        (None, Vec::new(), None, None)
    } else {
        let mut changes = Vec::new();
        for d in &districts {
            if let Some(b) = previous.iter().find(|p| p.district == d.district) {
                changes.push(change(b, d).map_err(|e| AppError::BadInput(format!("{name}: {e}")))?);
            }
        }
        let cc = city_change(city_name, &changes).map_err(AppError::internal)?;
        (
            Some(city(city_name, year - 1, &previous).map_err(AppError::internal)?),
            changes,
            Some(cc),
            Some(year - 1),
        )
    };
    let rule = match (&src.rule, &src.inputs) {
        (Some(p), _) => Some(
            read_rule_str(&p.display().to_string(), &read(p)?)
                .map_err(|e| AppError::BadInput(e.to_string()))?,
        ),
        (None, None) => Some(
            read_rule_str(EXAMPLE_RULE.0, EXAMPLE_RULE.1)
                .map_err(|e| AppError::Internal(e.to_string()))?,
        ),
        (None, Some(_)) => None,
    }
    .filter(|r| r.assessed_year == year);
    let compensation = match &rule {
        Some(r) if !changes.is_empty() => {
            settle(r, &changes).map_err(|e| AppError::BadInput(e.to_string()))?
        }
        _ => Vec::new(),
    };
    Ok(GepAnswer {
        year,
        previous_year,
        inputs: name,
        model,
        districts,
        city: city_now,
        city_previous,
        changes,
        city_change: city_chg,
        rule,
        compensation,
        parameters: params.iter().cloned().collect(),
    })
}
