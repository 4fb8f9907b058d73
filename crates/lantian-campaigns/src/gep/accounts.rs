//! The nine regulating-service accounts: what each measures, its inputs with their units, its
//! parameters, its formula, and the computation of one account for one district and year.
//!
//! Each account is a row of [`ACCOUNTS`] (the standard as data) and one arm of the formula in
//! [`account`]. An account is computed part by part (an ecosystem type, a water body, a
//! pollutant), and its physical quantity and value are the sums over its parts, so a part's
//! share of the account is always visible. The formulas are those of the MEE guide as far as
//! memory serves (the guide's and DB11/T 2059—2022's texts were not read); where this code
//! chose between readings, the row's `formula` and the account's notes say so.

use super::inputs::{Inputs, Part};
use super::parameters::{Param, Parameters};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A regulating-service account (调节服务核算科目).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Account {
    /// 水源涵养.
    WaterConservation,
    /// 土壤保持.
    SoilRetention,
    /// 防风固沙.
    SandFixation,
    /// 洪水调蓄.
    FloodRegulation,
    /// 空气净化.
    AirPurification,
    /// 水质净化.
    WaterPurification,
    /// 固碳.
    CarbonSequestration,
    /// 释氧.
    OxygenRelease,
    /// 气候调节.
    ClimateRegulation,
}

impl Account {
    /// The nine accounts, in the order of the table (and of every result).
    pub const ALL: [Account; 9] = [
        Account::WaterConservation,
        Account::SoilRetention,
        Account::SandFixation,
        Account::FloodRegulation,
        Account::AirPurification,
        Account::WaterPurification,
        Account::CarbonSequestration,
        Account::OxygenRelease,
        Account::ClimateRegulation,
    ];

    pub fn spec(self) -> &'static AccountSpec {
        &ACCOUNTS[self as usize]
    }

    /// The id as written in an input file (`water_conservation`).
    pub fn id(self) -> &'static str {
        self.spec().id
    }

    pub fn name_zh(self) -> &'static str {
        self.spec().name_zh
    }

    pub fn name_en(self) -> &'static str {
        self.spec().name_en
    }

    pub fn parse(id: &str) -> Option<Account> {
        Account::ALL.into_iter().find(|a| a.id() == id)
    }
}

impl fmt::Display for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A physical input of an account: its id, unit and allowed range.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct InputSpec {
    /// The id as written in an input file; the unit is in the name.
    pub id: &'static str,
    /// As written in an input file's unit column (ASCII: `km2`, `mm`, `t/km2`).
    pub unit: &'static str,
    pub name_en: &'static str,
    /// A part without it is refused.
    pub required: bool,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// A pollutant part of a purification account, and the parameter that prices it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Pollutant {
    /// The part name (`so2`).
    pub id: &'static str,
    pub name_en: &'static str,
    pub cost: Param,
}

/// Which parts an account is made of.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", content = "names", rename_all = "snake_case")]
pub enum Parts {
    /// Any named parts (ecosystem types, water bodies), each given once.
    Any,
    /// Only these pollutants, each given at most once.
    Pollutants(&'static [Pollutant]),
}

/// An account as data.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AccountSpec {
    pub account: Account,
    pub id: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    /// The unit of the physical quantity (`m3`, `t`, `t CO2`, `kWh`).
    pub physical_unit: &'static str,
    /// The formula, with the units of its terms.
    pub formula: &'static str,
    /// Whose inputs the account reads: itself, or (for oxygen release) carbon sequestration's.
    pub inputs_of: Account,
    pub parts: Parts,
    pub inputs: &'static [InputSpec],
    pub params: &'static [Param],
    /// Where the method comes from, and how sure that is.
    pub source: &'static str,
}

const fn input(
    id: &'static str,
    unit: &'static str,
    name_en: &'static str,
    min: Option<f64>,
    max: Option<f64>,
) -> InputSpec {
    InputSpec {
        id,
        unit,
        name_en,
        required: true,
        min,
        max,
    }
}

const AREA: InputSpec = input("area_km2", "km2", "area", Some(0.0), None);

const AIR_POLLUTANTS: [Pollutant; 3] = [
    Pollutant {
        id: "so2",
        name_en: "sulphur dioxide",
        cost: Param::So2CostCnyT,
    },
    Pollutant {
        id: "nox",
        name_en: "nitrogen oxides",
        cost: Param::NoxCostCnyT,
    },
    Pollutant {
        id: "dust",
        name_en: "dust (particulate matter)",
        cost: Param::DustCostCnyT,
    },
];

const WATER_POLLUTANTS: [Pollutant; 3] = [
    Pollutant {
        id: "cod",
        name_en: "chemical oxygen demand",
        cost: Param::CodCostCnyT,
    },
    Pollutant {
        id: "nh3n",
        name_en: "ammonia nitrogen",
        cost: Param::Nh3nCostCnyT,
    },
    Pollutant {
        id: "tp",
        name_en: "total phosphorus",
        cost: Param::TpCostCnyT,
    },
];

const REMOVAL_INPUTS: [InputSpec; 2] = [
    input(
        "removal_t",
        "t",
        "mass the ecosystems remove in the year",
        Some(0.0),
        None,
    ),
    InputSpec {
        id: "emission_t",
        unit: "t",
        name_en: "mass emitted in the year (caps the removal when given)",
        required: false,
        min: Some(0.0),
        max: None,
    },
];

const GUIDE: &str = "MEE 《陆地生态系统生产总值（GEP）核算技术指南》 (2020), as remembered (text not read); DB11/T 2059—2022 names the Beijing account (formula not read). UNCONFIRMED.";

/// The nine accounts, in [`Account`] order.
pub static ACCOUNTS: [AccountSpec; 9] = [
    AccountSpec {
        account: Account::WaterConservation,
        id: "water_conservation",
        name_zh: "水源涵养",
        name_en: "water conservation",
        physical_unit: "m3",
        formula: "Q = Σᵢ Aᵢ·(Pᵢ − Rᵢ − ETᵢ)·10³ m³ (A in km², P, R, ET in mm; a part with P − R − ET < 0 counts negative); V = Q·c_res",
        inputs_of: Account::WaterConservation,
        parts: Parts::Any,
        inputs: &[
            AREA,
            input("precipitation_mm", "mm", "precipitation", Some(0.0), None),
            input("runoff_mm", "mm", "storm runoff", Some(0.0), None),
            input("et_mm", "mm", "evapotranspiration", Some(0.0), None),
        ],
        params: &[Param::ReservoirCostCnyM3],
        source: GUIDE,
    },
    AccountSpec {
        account: Account::SoilRetention,
        id: "soil_retention",
        name_zh: "土壤保持",
        name_en: "soil retention",
        physical_unit: "t",
        formula: "Q = Σᵢ Aᵢ·10²·Rᵢ·Kᵢ·LSᵢ·(1 − Cᵢ·Pᵢ) t (RUSLE potential minus actual erosion; A in km², 1 km² = 10² hm²); V = Q·(λ·c_dredge/ρ + (N·p_N + P·p_P + K·p_K)/10³) (N, P, K in g/kg)",
        inputs_of: Account::SoilRetention,
        parts: Parts::Any,
        inputs: &[
            AREA,
            input(
                "r_factor",
                "MJ mm/(hm2 h a)",
                "rainfall erosivity R",
                Some(0.0),
                None,
            ),
            input(
                "k_factor",
                "t hm2 h/(hm2 MJ mm)",
                "soil erodibility K",
                Some(0.0),
                None,
            ),
            input(
                "ls_factor",
                "1",
                "slope length and steepness LS",
                Some(0.0),
                None,
            ),
            input("c_factor", "1", "cover management C", Some(0.0), Some(1.0)),
            input("p_factor", "1", "support practice P", Some(0.0), Some(1.0)),
        ],
        params: &[
            Param::SedimentShare,
            Param::SoilBulkDensityTM3,
            Param::DredgingCostCnyM3,
            Param::SoilNGKg,
            Param::SoilPGKg,
            Param::SoilKGKg,
            Param::NitrogenPriceCnyT,
            Param::PhosphorusPriceCnyT,
            Param::PotassiumPriceCnyT,
        ],
        source: "RUSLE (Renard et al. 1997) as the MEE guide (2020) uses it; valued by reduced silting (dredging cost) and by the N, P, K the soil keeps at fertiliser prices (the LY/T 1721—2008 practice; the MEE guide prices N and P as non-point pollution instead, memory). UNCONFIRMED.",
    },
    AccountSpec {
        account: Account::SandFixation,
        id: "sand_fixation",
        name_zh: "防风固沙",
        name_en: "windbreak and sand fixation",
        physical_unit: "t",
        formula: "Q = Σᵢ Aᵢ·(SL_pot,ᵢ − SL_act,ᵢ) t (wind erosion moduli of the RWEQ in t/km², A in km²); V = Q·c_sand",
        inputs_of: Account::SandFixation,
        parts: Parts::Any,
        inputs: &[
            AREA,
            input(
                "potential_t_km2",
                "t/km2",
                "potential wind erosion (bare soil)",
                Some(0.0),
                None,
            ),
            input(
                "actual_t_km2",
                "t/km2",
                "actual wind erosion (with vegetation)",
                Some(0.0),
                None,
            ),
        ],
        params: &[Param::SandRemovalCostCnyT],
        source: "RWEQ (Fryrear et al. 1998) as the MEE guide (2020) uses it; valued by the cost of removing the sand (the guide values the land kept from desertification instead, memory). UNCONFIRMED.",
    },
    AccountSpec {
        account: Account::FloodRegulation,
        id: "flood_regulation",
        name_zh: "洪水调蓄",
        name_en: "flood regulation",
        physical_unit: "m3",
        formula: "C = Σᵢ Cᵢ m³ (flood storage of reservoirs, lakes, wetlands, vegetation); V = C·c_res",
        inputs_of: Account::FloodRegulation,
        parts: Parts::Any,
        inputs: &[input(
            "storage_m3",
            "m3",
            "flood storage volume",
            Some(0.0),
            None,
        )],
        params: &[Param::ReservoirCostCnyM3],
        source: GUIDE,
    },
    AccountSpec {
        account: Account::AirPurification,
        id: "air_purification",
        name_zh: "空气净化",
        name_en: "air purification",
        physical_unit: "t",
        formula: "Qⱼ = min(removalⱼ, emissionⱼ) t (the removal alone when no emission is given), j ∈ {SO₂, NOx, dust}; Q = Σⱼ Qⱼ; V = Σⱼ Qⱼ·cⱼ",
        inputs_of: Account::AirPurification,
        parts: Parts::Pollutants(&AIR_POLLUTANTS),
        inputs: &REMOVAL_INPUTS,
        params: &[Param::So2CostCnyT, Param::NoxCostCnyT, Param::DustCostCnyT],
        source: GUIDE,
    },
    AccountSpec {
        account: Account::WaterPurification,
        id: "water_purification",
        name_zh: "水质净化",
        name_en: "water purification",
        physical_unit: "t",
        formula: "Qⱼ = min(removalⱼ, emissionⱼ) t (the removal alone when no emission is given), j ∈ {COD, NH₃-N, TP}; Q = Σⱼ Qⱼ; V = Σⱼ Qⱼ·cⱼ",
        inputs_of: Account::WaterPurification,
        parts: Parts::Pollutants(&WATER_POLLUTANTS),
        inputs: &REMOVAL_INPUTS,
        params: &[Param::CodCostCnyT, Param::Nh3nCostCnyT, Param::TpCostCnyT],
        source: GUIDE,
    },
    AccountSpec {
        account: Account::CarbonSequestration,
        id: "carbon_sequestration",
        name_zh: "固碳",
        name_en: "carbon sequestration",
        physical_unit: "t CO2",
        formula: "Q = 44/12·Σᵢ NEPᵢ t CO₂ (NEP in t C; a part that is a net source counts negative); V = Q·p_CO₂",
        inputs_of: Account::CarbonSequestration,
        parts: Parts::Any,
        inputs: &[input(
            "nep_t_c",
            "t C",
            "net ecosystem productivity",
            None,
            None,
        )],
        params: &[Param::CarbonPriceCnyTCo2],
        source: GUIDE,
    },
    AccountSpec {
        account: Account::OxygenRelease,
        id: "oxygen_release",
        name_zh: "释氧",
        name_en: "oxygen release",
        physical_unit: "t O2",
        formula: "Q = 32/44·(44/12·Σᵢ NEPᵢ) t O₂ (photosynthesis releases one O₂ per CO₂ fixed; reads carbon sequestration's NEP); V = Q·p_O₂",
        inputs_of: Account::CarbonSequestration,
        parts: Parts::Any,
        inputs: &[],
        params: &[Param::OxygenPriceCnyT],
        source: "Photosynthesis stoichiometry (CO₂ + H₂O → CH₂O + O₂) as the MEE guide (2020) uses it (memory). The Beijing account list of 2025 names no oxygen account (it names noise reduction): whether Beijing's GEP-R counts it is UNCONFIRMED.",
    },
    AccountSpec {
        account: Account::ClimateRegulation,
        id: "climate_regulation",
        name_zh: "气候调节",
        name_en: "climate regulation",
        physical_unit: "kWh",
        formula: "W = Σᵢ Aᵢ·ETᵢ·10³ m³ (ET over the days above the cooling threshold, in mm; A in km²); E = W·10³·λ/3600/r kWh (λ in kJ/kg, r the air conditioner's efficiency ratio); V = E·p_e",
        inputs_of: Account::ClimateRegulation,
        parts: Parts::Any,
        inputs: &[
            AREA,
            input(
                "et_mm",
                "mm",
                "evapotranspiration over the days above the cooling threshold",
                Some(0.0),
                None,
            ),
        ],
        params: &[
            Param::LatentHeatKjKg,
            Param::AcEnergyEfficiencyRatio,
            Param::ElectricityPriceCnyKwh,
        ],
        source: "MEE guide (2020): the energy vegetation and water surfaces spend evaporating water, priced as the electricity an air conditioner would use (memory). The guide's separate humidification term for water surfaces is not counted. UNCONFIRMED.",
    },
];

impl AccountSpec {
    /// The pollutant of part `name`, for a purification account.
    pub fn pollutant(&self, name: &str) -> Option<&'static Pollutant> {
        match self.parts {
            Parts::Pollutants(ps) => ps.iter().find(|p| p.id == name),
            Parts::Any => None,
        }
    }

    pub fn input(&self, id: &str) -> Option<&'static InputSpec> {
        self.inputs.iter().find(|i| i.id == id)
    }
}

/// One part's share of an account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartValue {
    pub part: String,
    pub physical: f64,
    pub value_cny: f64,
}

/// An input an account was computed from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputUsed {
    pub part: String,
    pub input: String,
    pub value: f64,
    pub unit: String,
}

/// A parameter an account was computed with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParamUsed {
    pub param: Param,
    pub value: f64,
    pub unit: String,
    pub confirmed: bool,
}

/// One account of one district and year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountValue {
    pub account: Account,
    /// The physical quantity (实物量): the sum over the parts.
    pub physical: f64,
    pub physical_unit: String,
    /// The value (价值量), CNY: the sum over the parts.
    pub value_cny: f64,
    /// Each part's physical quantity and value, in input order.
    pub parts: Vec<PartValue>,
    pub inputs_used: Vec<InputUsed>,
    pub params_used: Vec<ParamUsed>,
    /// Every parameter used is confirmed (none is, with the default table).
    pub confirmed: bool,
    /// What the computation chose on the way (a part counted negative, a removal capped at
    /// the emission, a pollutant not given).
    pub notes: Vec<String>,
}

/// Why an account was not computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// The district has no inputs for the account in that year.
    NoInputs,
    /// The account reads another account's inputs (oxygen release reads carbon
    /// sequestration's), and there are none.
    NoInputsOf { account: Account },
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::NoInputs => f.write_str("no inputs given"),
            Reason::NoInputsOf { account } => {
                write!(f, "it reads the inputs of {account}, and none are given")
            }
        }
    }
}

/// An account not computed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Missing {
    pub account: Account,
    pub reason: Reason,
}

/// Records the parameters used, in order of first use.
struct Calc<'a> {
    params: &'a Parameters,
    used: Vec<ParamUsed>,
}

impl Calc<'_> {
    fn p(&mut self, p: Param) -> f64 {
        let row = self.params.get(p);
        if !self.used.iter().any(|u| u.param == p) {
            self.used.push(ParamUsed {
                param: p,
                value: row.value,
                unit: row.unit.clone(),
                confirmed: row.confirmed,
            });
        }
        row.value
    }
}

/// Computes account `which` from `inputs` with `params`; `Err` says why it cannot be.
pub fn account(
    which: Account,
    inputs: &Inputs,
    params: &Parameters,
) -> Result<AccountValue, Missing> {
    let spec = which.spec();
    let parts = inputs.parts(spec.inputs_of).ok_or(Missing {
        account: which,
        reason: if spec.inputs_of == which {
            Reason::NoInputs
        } else {
            Reason::NoInputsOf {
                account: spec.inputs_of,
            }
        },
    })?;
    let mut c = Calc {
        params,
        used: Vec::new(),
    };
    let mut notes = Vec::new();
    let rows: Vec<PartValue> = parts
        .iter()
        .map(|part| {
            let (physical, value_cny) = part_value(which, part, &mut c, &mut notes);
            PartValue {
                part: part.name().into(),
                physical,
                value_cny,
            }
        })
        .collect();
    if let Parts::Pollutants(ps) = spec.parts {
        for p in ps {
            if !parts.iter().any(|x| x.name() == p.id) {
                notes.push(format!("no {} input: not counted", p.id));
            }
        }
    }
    let input_spec = spec.inputs_of.spec();
    let inputs_used = parts
        .iter()
        .flat_map(|part| {
            input_spec.inputs.iter().filter_map(move |i| {
                part.get(i.id).map(|value| InputUsed {
                    part: part.name().into(),
                    input: i.id.into(),
                    value,
                    unit: i.unit.into(),
                })
            })
        })
        .collect();
    Ok(AccountValue {
        account: which,
        physical: rows.iter().map(|r| r.physical).sum(),
        physical_unit: spec.physical_unit.into(),
        value_cny: rows.iter().map(|r| r.value_cny).sum(),
        parts: rows,
        inputs_used,
        confirmed: c.used.iter().all(|u| u.confirmed),
        params_used: c.used,
        notes,
    })
}

/// One part's (physical quantity, value in CNY).
fn part_value(which: Account, part: &Part, c: &mut Calc, notes: &mut Vec<String>) -> (f64, f64) {
    let v = |id: &str| part.required(id);
    let name = part.name();
    match which {
        Account::WaterConservation => {
            let balance = v("precipitation_mm") - v("runoff_mm") - v("et_mm");
            if balance < 0.0 {
                notes.push(format!(
                    "{name}: P − R − ET = {balance} mm: the part loses water and counts negative, as the formula reads"
                ));
            }
            // 1 mm over 1 km² is 10³ m³.
            let q = v("area_km2") * balance * 1e3;
            (q, q * c.p(Param::ReservoirCostCnyM3))
        }
        Account::SoilRetention => {
            // RUSLE gives t/(hm²·a); 1 km² = 10² hm².
            let potential = v("r_factor") * v("k_factor") * v("ls_factor");
            let q = v("area_km2") * 1e2 * potential * (1.0 - v("c_factor") * v("p_factor"));
            let silt = c.p(Param::SedimentShare) * c.p(Param::DredgingCostCnyM3)
                / c.p(Param::SoilBulkDensityTM3);
            // g/kg → t/t.
            let nutrients = (c.p(Param::SoilNGKg) * c.p(Param::NitrogenPriceCnyT)
                + c.p(Param::SoilPGKg) * c.p(Param::PhosphorusPriceCnyT)
                + c.p(Param::SoilKGKg) * c.p(Param::PotassiumPriceCnyT))
                / 1e3;
            (q, q * (silt + nutrients))
        }
        Account::SandFixation => {
            let q = v("area_km2") * (v("potential_t_km2") - v("actual_t_km2"));
            (q, q * c.p(Param::SandRemovalCostCnyT))
        }
        Account::FloodRegulation => {
            let q = v("storage_m3");
            (q, q * c.p(Param::ReservoirCostCnyM3))
        }
        Account::AirPurification | Account::WaterPurification => {
            let removal = v("removal_t");
            let q = match part.get("emission_t") {
                Some(e) if e < removal => {
                    notes.push(format!(
                        "{name}: removal {removal} t capped at the emission {e} t"
                    ));
                    e
                }
                _ => removal,
            };
            // The part names are checked against the pollutant table when the inputs are built.
            let cost = which
                .spec()
                .pollutant(name)
                .map_or(f64::NAN, |p| c.p(p.cost));
            (q, q * cost)
        }
        Account::CarbonSequestration | Account::OxygenRelease => {
            let nep = v("nep_t_c");
            if nep < 0.0 {
                notes.push(format!(
                    "{name}: NEP {nep} t C: a net carbon source, counted negative"
                ));
            }
            // C → CO₂ by molar mass (44/12); one O₂ (32) released per CO₂ (44) fixed.
            let co2 = nep * 44.0 / 12.0;
            if which == Account::CarbonSequestration {
                (co2, co2 * c.p(Param::CarbonPriceCnyTCo2))
            } else {
                let o2 = co2 * 32.0 / 44.0;
                (o2, o2 * c.p(Param::OxygenPriceCnyT))
            }
        }
        Account::ClimateRegulation => {
            // m³ of water evaporated → kg (10³ kg/m³) → kJ (λ) → kWh of heat (3600 kJ/kWh) →
            // kWh of electricity an air conditioner of efficiency r would use.
            let water_m3 = v("area_km2") * v("et_mm") * 1e3;
            let heat_kwh = water_m3 * 1e3 * c.p(Param::LatentHeatKjKg) / 3600.0;
            let e = heat_kwh / c.p(Param::AcEnergyEfficiencyRatio);
            (e, e * c.p(Param::ElectricityPriceCnyKwh))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0), "{a} is not {b}");
    }

    fn one(
        which: Account,
        part: &str,
        values: &[(&str, f64)],
        params: &Parameters,
    ) -> AccountValue {
        let mut i = Inputs::new();
        i.add(which.spec().inputs_of, part, values).unwrap();
        account(which, &i, params).unwrap()
    }

    #[test]
    fn the_table_is_in_account_order_and_every_parameter_is_listed() {
        for (k, a) in Account::ALL.iter().enumerate() {
            assert_eq!(*a as usize, k);
            assert_eq!(ACCOUNTS[k].account, *a);
            assert_eq!(Account::parse(a.id()), Some(*a));
            assert_eq!(serde_json::to_value(a).unwrap(), a.id());
        }
        // Every parameter of the table prices some account, and every pollutant's cost is
        // among its account's parameters.
        for p in Param::ALL {
            assert!(ACCOUNTS.iter().any(|s| s.params.contains(&p)), "{p:?}");
        }
        for s in &ACCOUNTS {
            if let Parts::Pollutants(ps) = s.parts {
                assert!(ps.iter().all(|x| s.params.contains(&x.cost)));
            }
        }
    }

    #[test]
    fn water_conservation_by_hand() {
        let mut i = Inputs::new();
        // forest: 600 − 100 − 400 = 100 mm over 100 km² = 100 × 100 × 10³ = 10,000,000 m³.
        i.add(
            Account::WaterConservation,
            "forest",
            &[
                ("area_km2", 100.0),
                ("precipitation_mm", 600.0),
                ("runoff_mm", 100.0),
                ("et_mm", 400.0),
            ],
        )
        .unwrap();
        // grassland: 600 − 50 − 580 = −30 mm over 10 km² = −300,000 m³ (counted negative).
        i.add(
            Account::WaterConservation,
            "grassland",
            &[
                ("area_km2", 10.0),
                ("precipitation_mm", 600.0),
                ("runoff_mm", 50.0),
                ("et_mm", 580.0),
            ],
        )
        .unwrap();
        let a = account(Account::WaterConservation, &i, &Parameters::defaults()).unwrap();
        // Q = 9,700,000 m³; V = 9,700,000 × 6.1107 = CNY 59,273,790.
        close(a.physical, 9_700_000.0);
        close(a.value_cny, 59_273_790.0);
        assert_eq!(a.physical_unit, "m3");
        close(a.parts[0].value_cny, 61_107_000.0);
        close(a.parts[1].value_cny, -1_833_210.0);
        assert_eq!(a.inputs_used.len(), 8);
        assert_eq!(a.params_used.len(), 1);
        assert!(!a.confirmed);
        assert_eq!(a.notes.len(), 1);
        assert!(a.notes[0].starts_with("grassland"));
    }

    #[test]
    fn soil_retention_by_hand_with_round_parameters() {
        let mut p = Parameters::defaults();
        for (id, x) in [
            ("sediment_share", 0.25),
            ("soil_bulk_density_t_m3", 1.25),
            ("dredging_cost_cny_m3", 12.0),
            ("soil_n_g_kg", 1.0),
            ("soil_p_g_kg", 0.5),
            ("soil_k_g_kg", 20.0),
            ("nitrogen_price_cny_t", 20_000.0),
            ("phosphorus_price_cny_t", 16_000.0),
            ("potassium_price_cny_t", 4_000.0),
        ] {
            p.set(id, x).unwrap();
        }
        let a = one(
            Account::SoilRetention,
            "forest",
            &[
                ("area_km2", 10.0),
                ("r_factor", 2000.0),
                ("k_factor", 0.02),
                ("ls_factor", 2.5),
                ("c_factor", 0.1),
                ("p_factor", 0.8),
            ],
            &p,
        );
        // Potential 2000 × 0.02 × 2.5 = 100 t/hm²; actual 100 × 0.1 × 0.8 = 8 t/hm²;
        // retained 92 t/hm² × 1,000 hm² = 92,000 t.
        close(a.physical, 92_000.0);
        // Per tonne: silt 0.25 × 12 / 1.25 = 2.4; nutrients (1 × 20,000 + 0.5 × 16,000 +
        // 20 × 4,000) / 1,000 = 108; together CNY 110.4/t × 92,000 t = CNY 10,156,800.
        close(a.value_cny, 10_156_800.0);
        assert_eq!(a.params_used.len(), 9);
        assert!(a.params_used.iter().all(|u| !u.confirmed));
    }

    #[test]
    fn sand_fixation_by_hand() {
        let a = one(
            Account::SandFixation,
            "grassland",
            &[
                ("area_km2", 50.0),
                ("potential_t_km2", 300.0),
                ("actual_t_km2", 120.0),
            ],
            &Parameters::defaults(),
        );
        // 50 km² × (300 − 120) t/km² = 9,000 t × CNY 9/t = CNY 81,000.
        close(a.physical, 9_000.0);
        close(a.value_cny, 81_000.0);
    }

    #[test]
    fn flood_regulation_by_hand() {
        let mut i = Inputs::new();
        i.add(
            Account::FloodRegulation,
            "reservoir",
            &[("storage_m3", 2e8)],
        )
        .unwrap();
        i.add(Account::FloodRegulation, "wetland", &[("storage_m3", 5e7)])
            .unwrap();
        let a = account(Account::FloodRegulation, &i, &Parameters::defaults()).unwrap();
        // 250,000,000 m³ × CNY 6.1107/m³ = CNY 1,527,675,000.
        close(a.physical, 2.5e8);
        close(a.value_cny, 1_527_675_000.0);
    }

    #[test]
    fn air_purification_by_hand_caps_removal_at_emission() {
        let mut p = Parameters::defaults();
        p.set("so2_cost_cny_t", 12_000.0).unwrap();
        p.set("nox_cost_cny_t", 10_000.0).unwrap();
        let mut i = Inputs::new();
        i.add(
            Account::AirPurification,
            "so2",
            &[("removal_t", 100.0), ("emission_t", 80.0)],
        )
        .unwrap();
        i.add(Account::AirPurification, "nox", &[("removal_t", 50.0)])
            .unwrap();
        i.add(
            Account::AirPurification,
            "dust",
            &[("removal_t", 1000.0), ("emission_t", 5000.0)],
        )
        .unwrap();
        let a = account(Account::AirPurification, &i, &p).unwrap();
        // SO₂ capped at 80 t × 12,000 = 960,000; NOx 50 × 10,000 = 500,000; dust 1,000 ×
        // 3,000 = 3,000,000; together 1,130 t and CNY 4,460,000.
        close(a.physical, 1130.0);
        close(a.value_cny, 4_460_000.0);
        assert_eq!(
            a.notes,
            vec!["so2: removal 100 t capped at the emission 80 t"]
        );
        assert!(a.params_used[0].param == Param::So2CostCnyT);
    }

    #[test]
    fn water_purification_by_hand_names_a_pollutant_not_given() {
        let mut i = Inputs::new();
        i.add(Account::WaterPurification, "cod", &[("removal_t", 200.0)])
            .unwrap();
        i.add(Account::WaterPurification, "nh3n", &[("removal_t", 20.0)])
            .unwrap();
        let a = account(Account::WaterPurification, &i, &Parameters::defaults()).unwrap();
        // 200 × 14,000 + 20 × 17,500 = 2,800,000 + 350,000 = CNY 3,150,000.
        close(a.physical, 220.0);
        close(a.value_cny, 3_150_000.0);
        assert_eq!(a.notes, vec!["no tp input: not counted"]);
    }

    #[test]
    fn carbon_and_oxygen_by_hand_from_one_nep() {
        let mut i = Inputs::new();
        i.add(
            Account::CarbonSequestration,
            "forest",
            &[("nep_t_c", 1200.0)],
        )
        .unwrap();
        let p = Parameters::defaults();
        let co2 = account(Account::CarbonSequestration, &i, &p).unwrap();
        // 1,200 t C × 44/12 = 4,400 t CO₂ × CNY 104.89 = CNY 461,516.
        close(co2.physical, 4400.0);
        close(co2.value_cny, 461_516.0);
        let o2 = account(Account::OxygenRelease, &i, &p).unwrap();
        // 4,400 t CO₂ × 32/44 = 3,200 t O₂ × CNY 1,000 = CNY 3,200,000.
        close(o2.physical, 3200.0);
        close(o2.value_cny, 3_200_000.0);
        assert_eq!(o2.physical_unit, "t O2");
        assert_eq!(o2.inputs_used[0].input, "nep_t_c");
    }

    #[test]
    fn climate_regulation_by_hand() {
        let mut p = Parameters::defaults();
        p.set("latent_heat_kj_kg", 2400.0).unwrap();
        p.set("ac_energy_efficiency_ratio", 4.0).unwrap();
        p.set("electricity_price_cny_kwh", 0.5).unwrap();
        let a = one(
            Account::ClimateRegulation,
            "forest",
            &[("area_km2", 10.0), ("et_mm", 300.0)],
            &p,
        );
        // 10 km² × 300 mm = 3,000,000 m³ = 3 × 10⁹ kg × 2,400 kJ/kg = 7.2 × 10¹² kJ
        // = 2 × 10⁹ kWh of heat; / 4 = 5 × 10⁸ kWh × CNY 0.5 = CNY 250,000,000.
        close(a.physical, 5e8);
        close(a.value_cny, 2.5e8);
        // With the defaults: 3 × 10⁹ × 2,450 / 3,600 / 3 = 680,555,555.6 kWh × 0.4883.
        let d = one(
            Account::ClimateRegulation,
            "forest",
            &[("area_km2", 10.0), ("et_mm", 300.0)],
            &Parameters::defaults(),
        );
        close(d.physical, 3e9 * 2450.0 / 3600.0 / 3.0);
        close(d.value_cny, 3e9 * 2450.0 / 3600.0 / 3.0 * 0.4883);
    }

    #[test]
    fn a_missing_account_says_why() {
        let i = Inputs::new();
        let p = Parameters::defaults();
        assert_eq!(
            account(Account::FloodRegulation, &i, &p),
            Err(Missing {
                account: Account::FloodRegulation,
                reason: Reason::NoInputs
            })
        );
        let m = account(Account::OxygenRelease, &i, &p).unwrap_err();
        assert_eq!(
            m.reason,
            Reason::NoInputsOf {
                account: Account::CarbonSequestration
            }
        );
        assert_eq!(
            m.reason.to_string(),
            "it reads the inputs of carbon_sequestration, and none are given"
        );
    }
}
