//! The physical inputs of a district's accounts for a year, checked against the account table
//! as they are given.
//!
//! Inputs are given part by part: for an account, a named part (an ecosystem type, a water
//! body, a pollutant) and its values by input id (`area_km2`, `et_mm` …). A part is refused
//! whole when an input is unknown, missing, not a number or out of range, so an account is
//! either computed from a complete set of inputs or reported missing; it is never computed
//! from a zero standing in for an absent value.
//!
//! [`from_rows`] takes the long rows of an input file (`district, year, account, part, input,
//! value, unit`, one value a row, as `docs/gep.md` describes; the reading of the file itself is
//! the ingest crate's) and builds the inputs of every district and year, checking each row's
//! unit against the table's.

use super::GepError;
use super::accounts::{Account, Parts};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One part of an account's inputs: its name and its values by input id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    name: String,
    values: BTreeMap<String, f64>,
}

impl Part {
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The value of input `id`, if given.
    pub fn get(&self, id: &str) -> Option<f64> {
        self.values.get(id).copied()
    }

    pub fn values(&self) -> &BTreeMap<String, f64> {
        &self.values
    }

    /// A required input: [`Inputs::add`] refuses a part without it, so it is always there;
    /// NaN (never a zero) should that ever not hold.
    pub(crate) fn required(&self, id: &str) -> f64 {
        debug_assert!(self.values.contains_key(id), "required input {id} absent");
        self.get(id).unwrap_or(f64::NAN)
    }
}

/// The inputs of one district and year: each account's parts, in the order given.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    try_from = "BTreeMap<Account, Vec<Part>>",
    into = "BTreeMap<Account, Vec<Part>>"
)]
pub struct Inputs {
    parts: BTreeMap<Account, Vec<Part>>,
}

impl TryFrom<BTreeMap<Account, Vec<Part>>> for Inputs {
    type Error = GepError;

    /// Inputs read from JSON pass the same checks as those added in code.
    fn try_from(m: BTreeMap<Account, Vec<Part>>) -> Result<Self, GepError> {
        let mut i = Inputs::new();
        for (account, parts) in m {
            for p in parts {
                let values: Vec<(&str, f64)> =
                    p.values.iter().map(|(k, v)| (k.as_str(), *v)).collect();
                i.add(account, &p.name, &values)?;
            }
        }
        Ok(i)
    }
}

impl From<Inputs> for BTreeMap<Account, Vec<Part>> {
    fn from(i: Inputs) -> Self {
        i.parts
    }
}

impl Inputs {
    pub fn new() -> Inputs {
        Inputs::default()
    }

    /// The parts of `account`, if any were given.
    pub fn parts(&self, account: Account) -> Option<&[Part]> {
        self.parts.get(&account).map(Vec::as_slice)
    }

    /// The accounts with inputs, in table order.
    pub fn accounts(&self) -> impl Iterator<Item = Account> + '_ {
        self.parts.keys().copied()
    }

    /// Adds part `part` of `account` with its values; the part is refused whole if anything is
    /// wrong with it.
    pub fn add(
        &mut self,
        account: Account,
        part: &str,
        values: &[(&str, f64)],
    ) -> Result<&mut Inputs, GepError> {
        let spec = account.spec();
        if spec.inputs_of != account {
            return Err(GepError::InputsOf {
                account,
                owner: spec.inputs_of,
            });
        }
        let name = part.trim();
        if name.is_empty() {
            return Err(GepError::PartWithoutName { account });
        }
        if let Parts::Pollutants(ps) = spec.parts
            && spec.pollutant(name).is_none()
        {
            return Err(GepError::PartNotAllowed {
                account,
                part: name.into(),
                allowed: ps.iter().map(|p| p.id).collect::<Vec<_>>().join(", "),
            });
        }
        if self
            .parts
            .get(&account)
            .is_some_and(|ps| ps.iter().any(|p| p.name == name))
        {
            return Err(GepError::DuplicatePart {
                account,
                part: name.into(),
            });
        }
        let mut map = BTreeMap::new();
        for &(id, value) in values {
            let Some(input) = spec.input(id) else {
                return Err(GepError::UnknownInput {
                    account,
                    input: id.into(),
                    expected: spec
                        .inputs
                        .iter()
                        .map(|i| i.id)
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            };
            if !value.is_finite() {
                return Err(GepError::InputNotFinite {
                    account,
                    part: name.into(),
                    input: id.into(),
                    value,
                });
            }
            if input.min.is_some_and(|m| value < m) || input.max.is_some_and(|m| value > m) {
                return Err(GepError::InputOutOfRange {
                    account,
                    part: name.into(),
                    input: id.into(),
                    value,
                    min: input.min,
                    max: input.max,
                });
            }
            if map.insert(id.to_string(), value).is_some() {
                return Err(GepError::DuplicateInput {
                    account,
                    part: name.into(),
                    input: id.into(),
                });
            }
        }
        if let Some(i) = spec
            .inputs
            .iter()
            .find(|i| i.required && !map.contains_key(i.id))
        {
            return Err(GepError::MissingInput {
                account,
                part: name.into(),
                input: i.id,
            });
        }
        // RWEQ's actual erosion is the potential reduced by vegetation: never above it.
        if account == Account::SandFixation && map["actual_t_km2"] > map["potential_t_km2"] {
            return Err(GepError::Inconsistent {
                account,
                part: name.into(),
                why: format!(
                    "actual wind erosion {} t/km² is above the potential {} t/km²",
                    map["actual_t_km2"], map["potential_t_km2"]
                ),
            });
        }
        self.parts.entry(account).or_default().push(Part {
            name: name.into(),
            values: map,
        });
        Ok(self)
    }
}

/// One value of an input file, as the ingest crate reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputRow {
    /// The line of the file (for messages; 0 when unknown).
    pub line: usize,
    pub district: String,
    pub year: i32,
    /// An account id (`water_conservation`).
    pub account: String,
    /// The part (`all`, `forest`, `so2` …).
    pub part: String,
    /// An input id of the account (`area_km2`).
    pub input: String,
    pub value: f64,
    /// Must be the table's unit of the input (`km2`).
    pub unit: String,
}

/// The inputs of one district and year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DistrictInputs {
    pub district: String,
    pub year: i32,
    pub inputs: Inputs,
}

/// Builds the inputs of every district and year from long rows, in order of first appearance.
/// A row is refused (with its line) when its account or input is unknown, its unit is not the
/// table's, or its value is given twice; a part is refused when it is incomplete or out of
/// range.
pub fn from_rows(rows: &[InputRow]) -> Result<Vec<DistrictInputs>, GepError> {
    type PartRows<'a> = (Account, &'a str, usize, Vec<(&'a str, f64)>);
    let mut groups: Vec<((&str, i32), Vec<PartRows>)> = Vec::new();
    for r in rows {
        let at = |error| GepError::AtRow {
            line: r.line,
            district: r.district.clone(),
            year: r.year,
            error: Box::new(error),
        };
        let account = Account::parse(&r.account).ok_or_else(|| {
            at(GepError::UnknownAccount {
                account: r.account.clone(),
            })
        })?;
        let spec = account.spec();
        if spec.inputs_of != account {
            return Err(at(GepError::InputsOf {
                account,
                owner: spec.inputs_of,
            }));
        }
        let input = spec.input(&r.input).ok_or_else(|| {
            at(GepError::UnknownInput {
                account,
                input: r.input.clone(),
                expected: spec
                    .inputs
                    .iter()
                    .map(|i| i.id)
                    .collect::<Vec<_>>()
                    .join(", "),
            })
        })?;
        if r.unit != input.unit {
            return Err(at(GepError::InputUnit {
                account,
                input: input.id,
                expected: input.unit,
                found: r.unit.clone(),
            }));
        }
        let key = (r.district.as_str(), r.year);
        let g = match groups.iter().position(|(k, _)| *k == key) {
            Some(k) => k,
            None => {
                groups.push((key, Vec::new()));
                groups.len() - 1
            }
        };
        let parts = &mut groups[g].1;
        let part = r.part.trim();
        let p = match parts
            .iter()
            .position(|(a, n, ..)| *a == account && *n == part)
        {
            Some(k) => k,
            None => {
                parts.push((account, part, r.line, Vec::new()));
                parts.len() - 1
            }
        };
        let values = &mut parts[p].3;
        if values.iter().any(|(id, _)| *id == input.id) {
            return Err(at(GepError::DuplicateInput {
                account,
                part: part.into(),
                input: input.id.into(),
            }));
        }
        values.push((input.id, r.value));
    }
    groups
        .into_iter()
        .map(|((district, year), parts)| {
            let mut inputs = Inputs::new();
            for (account, part, line, values) in parts {
                inputs
                    .add(account, part, &values)
                    .map_err(|e| GepError::AtRow {
                        line,
                        district: district.into(),
                        year,
                        error: Box::new(e),
                    })?;
            }
            Ok(DistrictInputs {
                district: district.into(),
                year,
                inputs,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        line: usize,
        account: &str,
        part: &str,
        input: &str,
        value: f64,
        unit: &str,
    ) -> InputRow {
        InputRow {
            line,
            district: "延庆区".into(),
            year: 2024,
            account: account.into(),
            part: part.into(),
            input: input.into(),
            value,
            unit: unit.into(),
        }
    }

    #[test]
    fn a_part_is_refused_whole_when_anything_is_wrong() {
        let mut i = Inputs::new();
        let a = Account::WaterConservation;
        assert!(matches!(
            i.add(
                a,
                "forest",
                &[
                    ("area_km2", 1.0),
                    ("precipitation_mm", 500.0),
                    ("runoff_mm", 10.0)
                ]
            ),
            Err(GepError::MissingInput { input: "et_mm", .. })
        ));
        assert!(matches!(
            i.add(a, "forest", &[("area", 1.0)]),
            Err(GepError::UnknownInput { .. })
        ));
        assert!(matches!(
            i.add(a, "forest", &[("area_km2", -1.0)]),
            Err(GepError::InputOutOfRange { .. })
        ));
        assert!(matches!(
            i.add(a, "forest", &[("area_km2", f64::NAN)]),
            Err(GepError::InputNotFinite { .. })
        ));
        assert!(matches!(
            i.add(a, " ", &[]),
            Err(GepError::PartWithoutName { .. })
        ));
        assert!(matches!(
            i.add(Account::SoilRetention, "x", &[("c_factor", 1.5)]),
            Err(GepError::InputOutOfRange { .. })
        ));
        assert!(matches!(
            i.add(Account::AirPurification, "co", &[("removal_t", 1.0)]),
            Err(GepError::PartNotAllowed { .. })
        ));
        assert!(matches!(
            i.add(Account::OxygenRelease, "forest", &[]),
            Err(GepError::InputsOf {
                owner: Account::CarbonSequestration,
                ..
            })
        ));
        assert!(matches!(
            i.add(
                Account::SandFixation,
                "grass",
                &[
                    ("area_km2", 1.0),
                    ("potential_t_km2", 10.0),
                    ("actual_t_km2", 11.0)
                ]
            ),
            Err(GepError::Inconsistent { .. })
        ));
        // Nothing of the refused parts was kept.
        assert_eq!(i.accounts().count(), 0);
        i.add(Account::FloodRegulation, "lake", &[("storage_m3", 1.0)])
            .unwrap();
        assert!(matches!(
            i.add(Account::FloodRegulation, "lake", &[("storage_m3", 2.0)]),
            Err(GepError::DuplicatePart { .. })
        ));
    }

    #[test]
    fn rows_build_districts_and_years_and_name_the_line_of_an_error() {
        let mut rows = vec![
            row(2, "flood_regulation", "reservoir", "storage_m3", 1e8, "m3"),
            row(3, "carbon_sequestration", "all", "nep_t_c", 500.0, "t C"),
            row(4, "flood_regulation", "lake", "storage_m3", 2e7, "m3"),
        ];
        let mut r = row(5, "flood_regulation", "reservoir", "storage_m3", 9e7, "m3");
        r.year = 2023;
        rows.push(r);
        let d = from_rows(&rows).unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!((d[0].district.as_str(), d[0].year), ("延庆区", 2024));
        assert_eq!(
            d[0].inputs.parts(Account::FloodRegulation).unwrap().len(),
            2
        );
        assert_eq!(d[1].year, 2023);

        let wrong_unit = [row(7, "flood_regulation", "lake", "storage_m3", 1.0, "hm3")];
        let e = from_rows(&wrong_unit).unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 7 (延庆区, 2024): flood_regulation input storage_m3 is in m3, not hm3"
        );
        let twice = [
            row(8, "flood_regulation", "lake", "storage_m3", 1.0, "m3"),
            row(9, "flood_regulation", "lake", "storage_m3", 2.0, "m3"),
        ];
        assert!(matches!(
            from_rows(&twice),
            Err(GepError::AtRow { line: 9, .. })
        ));
        let incomplete = [row(10, "climate_regulation", "all", "et_mm", 100.0, "mm")];
        assert!(matches!(
            from_rows(&incomplete),
            Err(GepError::AtRow { line: 10, ref error, .. })
                if matches!(**error, GepError::MissingInput { input: "area_km2", .. })
        ));
        let unknown = [row(11, "noise_reduction", "all", "x", 1.0, "dB")];
        assert!(matches!(
            from_rows(&unknown),
            Err(GepError::AtRow { line: 11, .. })
        ));
    }

    #[test]
    fn inputs_read_from_json_pass_the_same_checks() {
        let mut i = Inputs::new();
        i.add(Account::CarbonSequestration, "forest", &[("nep_t_c", 10.0)])
            .unwrap();
        let json = serde_json::to_string(&i).unwrap();
        assert_eq!(
            json,
            r#"{"carbon_sequestration":[{"name":"forest","values":{"nep_t_c":10.0}}]}"#
        );
        assert_eq!(serde_json::from_str::<Inputs>(&json).unwrap(), i);
        let bad = r#"{"carbon_sequestration":[{"name":"forest","values":{"nep":10.0}}]}"#;
        assert!(serde_json::from_str::<Inputs>(bad).is_err());
    }
}
