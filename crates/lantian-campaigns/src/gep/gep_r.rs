//! GEP-R of a district and year (every account, what is missing, the total), and of the city
//! over its districts.
//!
//! The total is the sum of the accounts computed, in table order, and nothing else: an account
//! without inputs is listed in `missing` with its reason and counted in the completeness
//! (accounts computed / 9), never added as a zero.

use super::GepError;
use super::accounts::{Account, AccountValue, Missing, account};
use super::inputs::Inputs;
use super::parameters::Parameters;
use serde::{Deserialize, Serialize};

/// How much of what was expected was computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Completeness {
    pub computed: usize,
    pub expected: usize,
}

impl Completeness {
    /// computed / expected (1 when nothing was expected).
    pub fn share(&self) -> f64 {
        if self.expected == 0 {
            1.0
        } else {
            self.computed as f64 / self.expected as f64
        }
    }
}

/// GEP-R of one district and year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Accounts {
    pub district: String,
    pub year: i32,
    /// The accounts computed, in table order.
    pub accounts: Vec<AccountValue>,
    /// The accounts not computed, in table order, with the reason.
    pub missing: Vec<Missing>,
    /// Accounts computed out of the nine.
    pub completeness: Completeness,
    /// The sum of `accounts`' values, in their order.
    pub total_cny: f64,
    /// Every account computed with confirmed parameters only.
    pub confirmed: bool,
}

impl Accounts {
    /// The computed account `a`, if it was.
    pub fn account(&self, a: Account) -> Option<&AccountValue> {
        self.accounts.iter().find(|v| v.account == a)
    }
}

/// Computes every account of `district` in `year`.
pub fn gep_r(district: &str, year: i32, inputs: &Inputs, params: &Parameters) -> Accounts {
    let mut accounts = Vec::new();
    let mut missing = Vec::new();
    for a in Account::ALL {
        match account(a, inputs, params) {
            Ok(v) => accounts.push(v),
            Err(m) => missing.push(m),
        }
    }
    Accounts {
        district: district.into(),
        year,
        completeness: Completeness {
            computed: accounts.len(),
            expected: Account::ALL.len(),
        },
        total_cny: accounts.iter().map(|v| v.value_cny).sum(),
        confirmed: accounts.iter().all(|v| v.confirmed),
        accounts,
        missing,
    }
}

/// One account summed over the city's districts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CityAccount {
    pub account: Account,
    pub physical: f64,
    pub physical_unit: String,
    pub value_cny: f64,
    /// The districts where it was computed, in the order given.
    pub districts: Vec<String>,
    /// The districts where it was not.
    pub missing_in: Vec<String>,
}

/// GEP-R of the city (or any group of districts) in a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CityAccounts {
    pub name: String,
    pub year: i32,
    pub districts: Vec<String>,
    /// Each account computed in at least one district, in table order.
    pub accounts: Vec<CityAccount>,
    /// The accounts computed in no district.
    pub missing: Vec<Account>,
    /// District accounts computed, out of districts × 9.
    pub completeness: Completeness,
    /// The sum of `accounts`' values, in their order.
    pub total_cny: f64,
    pub confirmed: bool,
}

/// Sums the districts' accounts of one year. An account counts where it was computed; where it
/// was not, the district is named in `missing_in`.
pub fn city(name: &str, year: i32, districts: &[Accounts]) -> Result<CityAccounts, GepError> {
    if districts.is_empty() {
        return Err(GepError::NoDistricts);
    }
    for (k, d) in districts.iter().enumerate() {
        if d.year != year {
            return Err(GepError::YearsDiffer {
                district: d.district.clone(),
                year: d.year,
                expected: year,
            });
        }
        if districts[..k].iter().any(|e| e.district == d.district) {
            return Err(GepError::DuplicateDistrict {
                district: d.district.clone(),
            });
        }
    }
    let mut accounts = Vec::new();
    let mut missing = Vec::new();
    for a in Account::ALL {
        let (with, without): (Vec<&Accounts>, Vec<&Accounts>) =
            districts.iter().partition(|d| d.account(a).is_some());
        if with.is_empty() {
            missing.push(a);
            continue;
        }
        let values: Vec<&AccountValue> = with.iter().filter_map(|d| d.account(a)).collect();
        accounts.push(CityAccount {
            account: a,
            physical: values.iter().map(|v| v.physical).sum(),
            physical_unit: a.spec().physical_unit.into(),
            value_cny: values.iter().map(|v| v.value_cny).sum(),
            districts: with.iter().map(|d| d.district.clone()).collect(),
            missing_in: without.iter().map(|d| d.district.clone()).collect(),
        });
    }
    Ok(CityAccounts {
        name: name.into(),
        year,
        districts: districts.iter().map(|d| d.district.clone()).collect(),
        completeness: Completeness {
            computed: districts.iter().map(|d| d.completeness.computed).sum(),
            expected: districts.len() * Account::ALL.len(),
        },
        total_cny: accounts.iter().map(|a| a.value_cny).sum(),
        confirmed: districts.iter().all(|d| d.confirmed),
        accounts,
        missing,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gep::accounts::Reason;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0), "{a} is not {b}");
    }

    fn district(flood_m3: f64, with_carbon: bool) -> Inputs {
        let mut i = Inputs::new();
        i.add(
            Account::FloodRegulation,
            "reservoir",
            &[("storage_m3", flood_m3)],
        )
        .unwrap();
        if with_carbon {
            i.add(
                Account::CarbonSequestration,
                "forest",
                &[("nep_t_c", 1200.0)],
            )
            .unwrap();
        }
        i
    }

    #[test]
    fn the_total_is_the_sum_of_the_accounts_computed_and_the_rest_is_missing() {
        let p = Parameters::defaults();
        let a = gep_r("延庆区", 2024, &district(1e6, true), &p);
        // Flood 1,000,000 × 6.1107 = 6,110,700; carbon 461,516; oxygen 3,200,000.
        let ids: Vec<Account> = a.accounts.iter().map(|v| v.account).collect();
        assert_eq!(
            ids,
            [
                Account::FloodRegulation,
                Account::CarbonSequestration,
                Account::OxygenRelease
            ]
        );
        close(a.total_cny, 6_110_700.0 + 461_516.0 + 3_200_000.0);
        assert_eq!(
            a.completeness,
            Completeness {
                computed: 3,
                expected: 9
            }
        );
        assert!((a.completeness.share() - 1.0 / 3.0).abs() < 1e-15);
        assert_eq!(a.missing.len(), 6);
        assert!(a.missing.iter().all(|m| m.reason == Reason::NoInputs));
        assert!(!a.confirmed);

        let b = gep_r("东城区", 2024, &district(1e6, false), &p);
        assert_eq!(
            b.missing
                .iter()
                .find(|m| m.account == Account::OxygenRelease)
                .unwrap()
                .reason,
            Reason::NoInputsOf {
                account: Account::CarbonSequestration
            }
        );
        let none = gep_r("西城区", 2024, &Inputs::new(), &p);
        assert_eq!((none.total_cny, none.completeness.computed), (0.0, 0));
        assert_eq!(none.missing.len(), 9);
    }

    #[test]
    fn the_city_sums_districts_and_names_where_an_account_is_missing() {
        let p = Parameters::defaults();
        let a = gep_r("延庆区", 2024, &district(1e6, true), &p);
        let b = gep_r("东城区", 2024, &district(2e6, false), &p);
        let c = city("北京市", 2024, &[a.clone(), b.clone()]).unwrap();
        close(c.total_cny, a.total_cny + b.total_cny);
        let flood = &c.accounts[0];
        assert_eq!(flood.account, Account::FloodRegulation);
        close(flood.physical, 3e6);
        assert_eq!(flood.districts, ["延庆区", "东城区"]);
        let carbon = &c.accounts[1];
        assert_eq!(carbon.missing_in, ["东城区"]);
        assert_eq!(c.missing.len(), 6);
        assert_eq!(
            c.completeness,
            Completeness {
                computed: 4,
                expected: 18
            }
        );
        assert!(matches!(
            city("北京市", 2023, std::slice::from_ref(&a)),
            Err(GepError::YearsDiffer { .. })
        ));
        assert!(matches!(
            city("北京市", 2024, &[a.clone(), a]),
            Err(GepError::DuplicateDistrict { .. })
        ));
        assert!(matches!(
            city("北京市", 2024, &[]),
            Err(GepError::NoDistricts)
        ));
    }

    proptest::proptest! {
        #[test]
        fn the_total_is_exactly_the_sum_of_the_accounts(
            flood in proptest::option::of(proptest::collection::vec(0.0f64..1e10, 1..4)),
            nep in proptest::option::of(proptest::collection::vec(-1e5f64..1e7, 1..4)),
            et in proptest::option::of(proptest::collection::vec((0.0f64..3000.0, 0.0f64..400.0), 1..4)),
            so2 in proptest::option::of((0.0f64..1e5, proptest::option::of(0.0f64..1e5))),
            price in 0.0f64..1000.0,
        ) {
            let mut i = Inputs::new();
            for (k, f) in flood.iter().flatten().enumerate() {
                i.add(Account::FloodRegulation, &format!("p{k}"), &[("storage_m3", *f)]).unwrap();
            }
            for (k, n) in nep.iter().flatten().enumerate() {
                i.add(Account::CarbonSequestration, &format!("p{k}"), &[("nep_t_c", *n)]).unwrap();
            }
            for (k, (a, e)) in et.iter().flatten().enumerate() {
                i.add(Account::ClimateRegulation, &format!("p{k}"), &[("area_km2", *a), ("et_mm", *e)]).unwrap();
            }
            if let Some((r, e)) = so2 {
                let mut v = vec![("removal_t", r)];
                v.extend(e.map(|e| ("emission_t", e)));
                i.add(Account::AirPurification, "so2", &v).unwrap();
            }
            let mut p = Parameters::defaults();
            p.set("carbon_price_cny_t_co2", price).unwrap();
            let a = gep_r("d", 2024, &i, &p);
            let sum: f64 = a.accounts.iter().map(|v| v.value_cny).sum();
            proptest::prop_assert_eq!(a.total_cny.to_bits(), sum.to_bits());
            proptest::prop_assert_eq!(a.accounts.len() + a.missing.len(), 9);
            proptest::prop_assert_eq!(a.completeness.computed, a.accounts.len());
            for v in &a.accounts {
                let parts: f64 = v.parts.iter().map(|p| p.value_cny).sum();
                proptest::prop_assert_eq!(v.value_cny.to_bits(), parts.to_bits());
            }
            // Missing accounts are exactly those without inputs.
            proptest::prop_assert_eq!(a.account(Account::FloodRegulation).is_some(), flood.is_some());
            proptest::prop_assert_eq!(a.account(Account::OxygenRelease).is_some(), nep.is_some());
            // The order of the accounts does not move the total beyond rounding.
            let rev: f64 = a.accounts.iter().rev().map(|v| v.value_cny).sum();
            proptest::prop_assert!((rev - a.total_cny).abs() <= 1e-9 * a.total_cny.abs().max(1.0));
        }
    }
}
