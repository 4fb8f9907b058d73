//! The parameters of the accounts (prices, costs, coefficients), as a table.
//!
//! Each row has an id, a value, a unit, where the value comes from and whether that was read
//! in a primary text. **None is confirmed**: Beijing's standard (DB11/T 2059—2022, appendices
//! C and E) holds its recommended parameters, but its text was not available, and neither was
//! the MEE guide's (《陆地生态系统生产总值（GEP）核算技术指南》, 2020). The defaults are the
//! values widely reused in Chinese ecosystem-service accounting as far as memory serves
//! (mostly the forestry standard LY/T 1721—2008's 2005 prices), each citation saying so.
//!
//! The caller overrides a row with [`Parameters::set`] (a bare value) or
//! [`Parameters::set_sourced`] (a value with its unit, citation and confirmation, as read from
//! a parameter file by the application layer). An overridden row keeps its default beside it,
//! so every figure can say which prices it was computed with.

use super::GepError;
use serde::{Deserialize, Serialize};

/// A parameter of the accounts. The serde name is [`Param::id`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Param {
    /// Reservoir construction cost per m³ of storage (water conservation, flood regulation).
    ReservoirCostCnyM3,
    /// λ: share of eroded soil that silts up rivers, lakes and reservoirs.
    SedimentShare,
    /// ρ: soil bulk density, converting tonnes of retained soil into m³ of silt.
    SoilBulkDensityTM3,
    /// Cost of dredging (digging and carrying) one m³ of silt.
    DredgingCostCnyM3,
    /// Total nitrogen of the soil.
    SoilNGKg,
    /// Total phosphorus of the soil.
    SoilPGKg,
    /// Total potassium of the soil.
    SoilKGKg,
    /// Replacement price of a tonne of nitrogen as fertiliser.
    NitrogenPriceCnyT,
    /// Replacement price of a tonne of phosphorus as fertiliser.
    PhosphorusPriceCnyT,
    /// Replacement price of a tonne of potassium as fertiliser.
    PotassiumPriceCnyT,
    /// Cost of removing a tonne of wind-blown sand.
    SandRemovalCostCnyT,
    /// Treatment cost of a tonne of SO₂.
    So2CostCnyT,
    /// Treatment cost of a tonne of NOx.
    NoxCostCnyT,
    /// Treatment cost of a tonne of dust (particulate matter).
    DustCostCnyT,
    /// Treatment cost of a tonne of COD.
    CodCostCnyT,
    /// Treatment cost of a tonne of ammonia nitrogen.
    Nh3nCostCnyT,
    /// Treatment cost of a tonne of total phosphorus.
    TpCostCnyT,
    /// Price of a tonne of CO₂.
    CarbonPriceCnyTCo2,
    /// Price of a tonne of industrial oxygen.
    OxygenPriceCnyT,
    /// Latent heat of vaporisation of water.
    LatentHeatKjKg,
    /// Energy efficiency ratio of the air conditioner the cooling replaces.
    AcEnergyEfficiencyRatio,
    /// Price of a kWh of electricity.
    ElectricityPriceCnyKwh,
}

/// One row of the default table.
struct Row {
    param: Param,
    id: &'static str,
    name_en: &'static str,
    value: f64,
    unit: &'static str,
    citation: &'static str,
    /// Divides in a formula: must be above 0 (the others may be 0, e.g. a price set to 0 to
    /// leave a component out).
    divisor: bool,
}

/// The default table, in [`Param`] order. Every row is UNCONFIRMED (`confirmed: false`).
const DEFAULTS: [Row; 22] = [
    Row {
        param: Param::ReservoirCostCnyM3,
        id: "reservoir_cost_cny_m3",
        name_en: "reservoir construction cost per m³ of storage",
        value: 6.1107,
        unit: "CNY/m3",
        citation: "LY/T 1721—2008 森林生态系统服务功能评估规范, reservoir construction cost per m³ of storage at 2005 prices (memory). The MEE GEP guide (2020) prices water conservation and flood regulation by reservoir construction cost (memory); the Beijing value of DB11/T 2059—2022 was not found.",
        divisor: false,
    },
    Row {
        param: Param::SedimentShare,
        id: "sediment_share",
        name_en: "share of eroded soil silting rivers, lakes and reservoirs (λ)",
        value: 0.24,
        unit: "1",
        citation: "24 % of eroded soil deposits in rivers, lakes and reservoirs, a national estimate (欧阳志云 et al. 1999, memory), used for reduced silting in the MEE GEP guide (2020, memory).",
        divisor: false,
    },
    Row {
        param: Param::SoilBulkDensityTM3,
        id: "soil_bulk_density_t_m3",
        name_en: "soil bulk density (ρ)",
        value: 1.30,
        unit: "t/m3",
        citation: "A typical loam bulk density, assumed; no Beijing soil survey value was read.",
        divisor: true,
    },
    Row {
        param: Param::DredgingCostCnyM3,
        id: "dredging_cost_cny_m3",
        name_en: "cost of dredging one m³ of silt",
        value: 12.6,
        unit: "CNY/m3",
        citation: "LY/T 1721—2008: cost of digging and carrying one m³ of earth at 2005 prices (memory).",
        divisor: false,
    },
    Row {
        param: Param::SoilNGKg,
        id: "soil_n_g_kg",
        name_en: "total nitrogen of the soil",
        value: 1.0,
        unit: "g/kg",
        citation: "Of the order of Beijing topsoils' total nitrogen (memory; no survey read).",
        divisor: false,
    },
    Row {
        param: Param::SoilPGKg,
        id: "soil_p_g_kg",
        name_en: "total phosphorus of the soil",
        value: 0.7,
        unit: "g/kg",
        citation: "Of the order of Beijing topsoils' total phosphorus (memory; no survey read).",
        divisor: false,
    },
    Row {
        param: Param::SoilKGKg,
        id: "soil_k_g_kg",
        name_en: "total potassium of the soil",
        value: 18.0,
        unit: "g/kg",
        citation: "Of the order of Beijing topsoils' total potassium (memory; no survey read).",
        divisor: false,
    },
    Row {
        param: Param::NitrogenPriceCnyT,
        id: "nitrogen_price_cny_t",
        name_en: "fertiliser replacement price of nitrogen",
        value: 2400.0 / 0.14,
        unit: "CNY/t",
        citation: "LY/T 1721—2008: diammonium phosphate at CNY 2,400/t carrying 14 % N (memory): 2,400 / 0.14 = CNY 17,142.86 per t of N.",
        divisor: false,
    },
    Row {
        param: Param::PhosphorusPriceCnyT,
        id: "phosphorus_price_cny_t",
        name_en: "fertiliser replacement price of phosphorus",
        value: 2400.0 / 0.1501,
        unit: "CNY/t",
        citation: "LY/T 1721—2008: diammonium phosphate at CNY 2,400/t carrying 15.01 % P (memory): 2,400 / 0.1501 = CNY 15,989.34 per t of P.",
        divisor: false,
    },
    Row {
        param: Param::PotassiumPriceCnyT,
        id: "potassium_price_cny_t",
        name_en: "fertiliser replacement price of potassium",
        value: 2200.0 / 0.50,
        unit: "CNY/t",
        citation: "LY/T 1721—2008: potassium chloride at CNY 2,200/t carrying 50 % K (memory): CNY 4,400 per t of K.",
        divisor: false,
    },
    Row {
        param: Param::SandRemovalCostCnyT,
        id: "sand_removal_cost_cny_t",
        name_en: "cost of removing one tonne of wind-blown sand",
        value: 9.0,
        unit: "CNY/t",
        citation: "Earth removal at CNY 12.6/m³ (LY/T 1721—2008, memory) over an assumed sand bulk density of 1.4 t/m³. The MEE GEP guide (2020) prices sand fixation by the cost of restoring desertified land instead (memory); Beijing's choice was not found.",
        divisor: false,
    },
    Row {
        param: Param::So2CostCnyT,
        id: "so2_cost_cny_t",
        name_en: "treatment cost of SO₂",
        value: 12_000.0 / 0.95,
        unit: "CNY/t",
        citation: "Beijing's environmental protection tax on air pollutants, CNY 12 per pollution equivalent (memory), over SO₂'s equivalent of 0.95 kg (Environmental Protection Tax Law, annex, memory): CNY 12,631.58/t. The MEE GEP guide (2020) prices purification at treatment cost (memory).",
        divisor: false,
    },
    Row {
        param: Param::NoxCostCnyT,
        id: "nox_cost_cny_t",
        name_en: "treatment cost of NOx",
        value: 12_000.0 / 0.95,
        unit: "CNY/t",
        citation: "As SO₂: CNY 12 per pollution equivalent over NOx's equivalent of 0.95 kg (memory): CNY 12,631.58/t.",
        divisor: false,
    },
    Row {
        param: Param::DustCostCnyT,
        id: "dust_cost_cny_t",
        name_en: "treatment cost of dust",
        value: 12_000.0 / 4.0,
        unit: "CNY/t",
        citation: "As SO₂: CNY 12 per pollution equivalent over general dust's equivalent of 4 kg (memory): CNY 3,000/t.",
        divisor: false,
    },
    Row {
        param: Param::CodCostCnyT,
        id: "cod_cost_cny_t",
        name_en: "treatment cost of COD",
        value: 14_000.0 / 1.0,
        unit: "CNY/t",
        citation: "Beijing's environmental protection tax on water pollutants, CNY 14 per pollution equivalent (memory), over COD's equivalent of 1 kg (memory): CNY 14,000/t.",
        divisor: false,
    },
    Row {
        param: Param::Nh3nCostCnyT,
        id: "nh3n_cost_cny_t",
        name_en: "treatment cost of ammonia nitrogen",
        value: 14_000.0 / 0.8,
        unit: "CNY/t",
        citation: "As COD: CNY 14 per pollution equivalent over NH₃-N's equivalent of 0.8 kg (memory): CNY 17,500/t.",
        divisor: false,
    },
    Row {
        param: Param::TpCostCnyT,
        id: "tp_cost_cny_t",
        name_en: "treatment cost of total phosphorus",
        value: 14_000.0 / 0.25,
        unit: "CNY/t",
        citation: "As COD: CNY 14 per pollution equivalent over total phosphorus' equivalent of 0.25 kg (memory): CNY 56,000/t.",
        divisor: false,
    },
    Row {
        param: Param::CarbonPriceCnyTCo2,
        id: "carbon_price_cny_t_co2",
        name_en: "carbon price per tonne of CO₂",
        value: 104.89,
        unit: "CNY/t",
        citation: "Beijing carbon market, 2023 allowance auction at CNY 104.89/t (one source, standards notes). Which carbon price GEP-R uses, and of which year, was not found.",
        divisor: false,
    },
    Row {
        param: Param::OxygenPriceCnyT,
        id: "oxygen_price_cny_t",
        name_en: "price of industrial oxygen",
        value: 1000.0,
        unit: "CNY/t",
        citation: "LY/T 1721—2008: oxygen at CNY 1,000/t (memory).",
        divisor: false,
    },
    Row {
        param: Param::LatentHeatKjKg,
        id: "latent_heat_kj_kg",
        name_en: "latent heat of vaporisation of water",
        value: 2450.0,
        unit: "kJ/kg",
        citation: "2.45 MJ/kg near 20 °C (FAO Irrigation and Drainage Paper 56, memory). The value of the MEE GEP guide (2020) was not read.",
        divisor: false,
    },
    Row {
        param: Param::AcEnergyEfficiencyRatio,
        id: "ac_energy_efficiency_ratio",
        name_en: "air-conditioner energy efficiency ratio",
        value: 3.0,
        unit: "1",
        citation: "The MEE GEP guide (2020) turns evaporative cooling into the electricity an air conditioner would use, with an efficiency ratio of about 3 (memory).",
        divisor: true,
    },
    Row {
        param: Param::ElectricityPriceCnyKwh,
        id: "electricity_price_cny_kwh",
        name_en: "electricity price",
        value: 0.4883,
        unit: "CNY/kWh",
        citation: "Beijing residential tariff, first tier, CNY 0.4883/kWh (memory). Which tariff GEP-R uses was not found.",
        divisor: false,
    },
];

impl Param {
    /// Every parameter, in table order.
    pub const ALL: [Param; 22] = [
        Param::ReservoirCostCnyM3,
        Param::SedimentShare,
        Param::SoilBulkDensityTM3,
        Param::DredgingCostCnyM3,
        Param::SoilNGKg,
        Param::SoilPGKg,
        Param::SoilKGKg,
        Param::NitrogenPriceCnyT,
        Param::PhosphorusPriceCnyT,
        Param::PotassiumPriceCnyT,
        Param::SandRemovalCostCnyT,
        Param::So2CostCnyT,
        Param::NoxCostCnyT,
        Param::DustCostCnyT,
        Param::CodCostCnyT,
        Param::Nh3nCostCnyT,
        Param::TpCostCnyT,
        Param::CarbonPriceCnyTCo2,
        Param::OxygenPriceCnyT,
        Param::LatentHeatKjKg,
        Param::AcEnergyEfficiencyRatio,
        Param::ElectricityPriceCnyKwh,
    ];

    fn row(self) -> &'static Row {
        &DEFAULTS[self as usize]
    }

    /// The id as written in a parameter file (`reservoir_cost_cny_m3`).
    pub fn id(self) -> &'static str {
        self.row().id
    }

    pub fn unit(self) -> &'static str {
        self.row().unit
    }

    pub fn parse(id: &str) -> Option<Param> {
        Param::ALL.into_iter().find(|p| p.id() == id)
    }
}

/// One parameter with its value and where the value comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parameter {
    pub param: Param,
    pub name_en: String,
    pub value: f64,
    pub unit: String,
    /// Where the value comes from, and how sure that is.
    pub citation: String,
    /// Read in a primary text (the standard, the guide, an official price list).
    pub confirmed: bool,
    /// The default value of the table, kept when the caller overrides it.
    pub default_value: f64,
    /// Set by the caller rather than taken from the default table.
    pub overridden: bool,
}

/// The parameter table the accounts are computed with: the defaults, and the caller's
/// overrides.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parameters {
    /// In [`Param`] order, one row per parameter (built only by [`Parameters::defaults`]).
    table: Vec<Parameter>,
}

impl Default for Parameters {
    fn default() -> Self {
        Parameters::defaults()
    }
}

impl Parameters {
    /// The default table (every row UNCONFIRMED).
    pub fn defaults() -> Parameters {
        Parameters {
            table: Param::ALL
                .iter()
                .map(|p| {
                    let r = p.row();
                    Parameter {
                        param: r.param,
                        name_en: r.name_en.into(),
                        value: r.value,
                        unit: r.unit.into(),
                        citation: r.citation.into(),
                        confirmed: false,
                        default_value: r.value,
                        overridden: false,
                    }
                })
                .collect(),
        }
    }

    pub fn get(&self, p: Param) -> &Parameter {
        &self.table[p as usize]
    }

    pub fn value(&self, p: Param) -> f64 {
        self.get(p).value
    }

    /// Every parameter, in table order.
    pub fn iter(&self) -> impl Iterator<Item = &Parameter> {
        self.table.iter()
    }

    /// Overrides parameter `id` with `value`; the citation becomes "set by the caller" and the
    /// value is unconfirmed.
    pub fn set(&mut self, id: &str, value: f64) -> Result<(), GepError> {
        let p = Param::parse(id).ok_or_else(|| GepError::UnknownParameter { id: id.into() })?;
        self.put(p, value, "set by the caller", false)
    }

    /// Overrides parameter `id` with a value read with its unit, citation and confirmation (a
    /// parameter file). The unit must be the table's: a price per m³ is not silently read as a
    /// price per tonne.
    pub fn set_sourced(
        &mut self,
        id: &str,
        value: f64,
        unit: &str,
        citation: &str,
        confirmed: bool,
    ) -> Result<(), GepError> {
        let p = Param::parse(id).ok_or_else(|| GepError::UnknownParameter { id: id.into() })?;
        if unit != p.unit() {
            return Err(GepError::ParameterUnit {
                id: id.into(),
                expected: p.unit(),
                found: unit.into(),
            });
        }
        if citation.trim().is_empty() {
            return Err(GepError::ParameterWithoutCitation { id: id.into() });
        }
        self.put(p, value, citation, confirmed)
    }

    fn put(
        &mut self,
        p: Param,
        value: f64,
        citation: &str,
        confirmed: bool,
    ) -> Result<(), GepError> {
        let divisor = p.row().divisor;
        if !value.is_finite() || value < 0.0 || (divisor && value == 0.0) {
            return Err(GepError::ParameterOutOfRange {
                id: p.id().into(),
                value,
                allowed: if divisor { "above 0" } else { "0 or above" },
            });
        }
        let row = &mut self.table[p as usize];
        row.value = value;
        row.citation = citation.into();
        row.confirmed = confirmed;
        row.overridden = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_param_order_and_ids_are_the_serde_names() {
        for (i, p) in Param::ALL.iter().enumerate() {
            assert_eq!(*p as usize, i);
            assert_eq!(DEFAULTS[i].param, *p);
            assert_eq!(
                serde_json::to_value(p).unwrap(),
                serde_json::Value::String(p.id().into())
            );
            assert_eq!(Param::parse(p.id()), Some(*p));
        }
        let d = Parameters::defaults();
        assert!(d.iter().all(|p| !p.confirmed && !p.overridden));
        assert!(d.iter().all(|p| p.value.is_finite() && p.value > 0.0));
    }

    #[test]
    fn derived_defaults_are_the_cited_arithmetic() {
        let d = Parameters::defaults();
        assert!((d.value(Param::NitrogenPriceCnyT) - 17_142.857_142_857).abs() < 1e-6);
        assert!((d.value(Param::PhosphorusPriceCnyT) - 15_989.340_439_707).abs() < 1e-6);
        assert_eq!(d.value(Param::PotassiumPriceCnyT), 4400.0);
        assert!((d.value(Param::So2CostCnyT) - 12_631.578_947_368).abs() < 1e-6);
        assert_eq!(d.value(Param::DustCostCnyT), 3000.0);
        assert_eq!(d.value(Param::Nh3nCostCnyT), 17_500.0);
        assert_eq!(d.value(Param::TpCostCnyT), 56_000.0);
    }

    #[test]
    fn an_override_keeps_the_default_and_says_so() {
        let mut p = Parameters::defaults();
        p.set("carbon_price_cny_t_co2", 80.0).unwrap();
        let c = p.get(Param::CarbonPriceCnyTCo2);
        assert_eq!(
            (c.value, c.default_value, c.overridden),
            (80.0, 104.89, true)
        );
        assert_eq!(c.citation, "set by the caller");
        p.set_sourced("oxygen_price_cny_t", 400.0, "CNY/t", "a price list", true)
            .unwrap();
        assert!(p.get(Param::OxygenPriceCnyT).confirmed);

        assert!(matches!(
            p.set("carbon_price", 1.0),
            Err(GepError::UnknownParameter { .. })
        ));
        assert!(matches!(
            p.set_sourced("reservoir_cost_cny_m3", 6.0, "CNY/t", "x", false),
            Err(GepError::ParameterUnit {
                expected: "CNY/m3",
                ..
            })
        ));
        assert!(matches!(
            p.set_sourced("reservoir_cost_cny_m3", 6.0, "CNY/m3", " ", false),
            Err(GepError::ParameterWithoutCitation { .. })
        ));
        assert!(matches!(
            p.set("ac_energy_efficiency_ratio", 0.0),
            Err(GepError::ParameterOutOfRange {
                allowed: "above 0",
                ..
            })
        ));
        assert!(matches!(
            p.set("dust_cost_cny_t", f64::NAN),
            Err(GepError::ParameterOutOfRange { .. })
        ));
        // A price may be 0: the component is left out on purpose.
        p.set("potassium_price_cny_t", 0.0).unwrap();
    }
}
