//! The change of GEP-R between two years, by account and in total, for a district and for the
//! city.
//!
//! Beijing publishes GEP-R growth "on a comparable basis" (可比口径). Two things can make a
//! change not comparable, and both are reported rather than hidden:
//!
//! - an account computed in one year and not the other: it is left out of both totals (listed
//!   in `not_compared`), so the change is over the same accounts;
//! - an account computed with different parameter values (a new price): `same_parameters` is
//!   false for it, since part of its change is then the price and not the ecosystem. Compute
//!   both years with one [`Parameters`](super::Parameters) table for a comparable change.
//!
//! The change percent is the change over the earlier value's magnitude, × 100; there is none
//! when the earlier value is 0.

use super::GepError;
use super::accounts::{Account, AccountValue};
use super::gep_r::Accounts;
use serde::{Deserialize, Serialize};

/// One account's change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountChange {
    pub account: Account,
    pub physical_unit: String,
    pub physical_before: f64,
    pub physical_after: f64,
    pub physical_change_percent: Option<f64>,
    pub before_cny: f64,
    pub after_cny: f64,
    pub change_cny: f64,
    pub change_percent: Option<f64>,
    /// Computed with the same parameter values in both years.
    pub same_parameters: bool,
}

/// An account computed in only one of the two years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotCompared {
    pub district: String,
    pub account: Account,
    /// The year it was computed in.
    pub computed_in: i32,
}

/// The change of a district's (or the city's) GEP-R between two years.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub district: String,
    pub before_year: i32,
    pub after_year: i32,
    /// The accounts computed in both years, in table order.
    pub accounts: Vec<AccountChange>,
    /// The accounts computed in one year only: in neither total.
    pub not_compared: Vec<NotCompared>,
    /// The sum of the compared accounts before.
    pub before_cny: f64,
    /// The sum of the compared accounts after.
    pub after_cny: f64,
    pub change_cny: f64,
    pub change_percent: Option<f64>,
    /// Every compared account has the same parameter values in both years.
    pub same_parameters: bool,
    /// Same parameters and no account compared in one year only: a like-for-like change.
    pub comparable: bool,
}

fn percent(before: f64, change: f64) -> Option<f64> {
    (before != 0.0).then(|| change / before.abs() * 100.0)
}

fn same_parameters(a: &AccountValue, b: &AccountValue) -> bool {
    let key = |v: &AccountValue| {
        let mut k: Vec<_> = v
            .params_used
            .iter()
            .map(|p| (p.param, p.value.to_bits()))
            .collect();
        k.sort();
        k
    };
    key(a) == key(b)
}

fn account_change(
    account: Account,
    physical: (f64, f64),
    cny: (f64, f64),
    same_parameters: bool,
) -> AccountChange {
    AccountChange {
        account,
        physical_unit: account.spec().physical_unit.into(),
        physical_before: physical.0,
        physical_after: physical.1,
        physical_change_percent: percent(physical.0, physical.1 - physical.0),
        before_cny: cny.0,
        after_cny: cny.1,
        change_cny: cny.1 - cny.0,
        change_percent: percent(cny.0, cny.1 - cny.0),
        same_parameters,
    }
}

fn total(
    district: String,
    years: (i32, i32),
    accounts: Vec<AccountChange>,
    not_compared: Vec<NotCompared>,
) -> Change {
    let before: f64 = accounts.iter().map(|a| a.before_cny).sum();
    let after: f64 = accounts.iter().map(|a| a.after_cny).sum();
    let same = accounts.iter().all(|a| a.same_parameters);
    Change {
        district,
        before_year: years.0,
        after_year: years.1,
        before_cny: before,
        after_cny: after,
        change_cny: after - before,
        change_percent: percent(before, after - before),
        same_parameters: same,
        comparable: same && not_compared.is_empty(),
        accounts,
        not_compared,
    }
}

/// The change of one district from `before` to `after`.
pub fn change(before: &Accounts, after: &Accounts) -> Result<Change, GepError> {
    if before.district != after.district {
        return Err(GepError::DistrictsDiffer {
            before: before.district.clone(),
            after: after.district.clone(),
        });
    }
    let mut accounts = Vec::new();
    let mut not_compared = Vec::new();
    for a in Account::ALL {
        match (before.account(a), after.account(a)) {
            (Some(x), Some(y)) => accounts.push(account_change(
                a,
                (x.physical, y.physical),
                (x.value_cny, y.value_cny),
                same_parameters(x, y),
            )),
            (Some(_), None) | (None, Some(_)) => not_compared.push(NotCompared {
                district: before.district.clone(),
                account: a,
                computed_in: if before.account(a).is_some() {
                    before.year
                } else {
                    after.year
                },
            }),
            (None, None) => {}
        }
    }
    Ok(total(
        before.district.clone(),
        (before.year, after.year),
        accounts,
        not_compared,
    ))
}

/// The change of the city (`name`): each account summed over the districts' changes, so it is
/// over the same district accounts in both years.
pub fn city_change(name: &str, changes: &[Change]) -> Result<Change, GepError> {
    let first = changes.first().ok_or(GepError::NoDistricts)?;
    let years = (first.before_year, first.after_year);
    for (k, c) in changes.iter().enumerate() {
        if (c.before_year, c.after_year) != years {
            return Err(GepError::ChangeYearsDiffer {
                district: c.district.clone(),
                years: (c.before_year, c.after_year),
                expected: years,
            });
        }
        if changes[..k].iter().any(|d| d.district == c.district) {
            return Err(GepError::DuplicateDistrict {
                district: c.district.clone(),
            });
        }
    }
    let accounts = Account::ALL
        .into_iter()
        .filter_map(|a| {
            let rows: Vec<&AccountChange> = changes
                .iter()
                .filter_map(|c| c.accounts.iter().find(|x| x.account == a))
                .collect();
            (!rows.is_empty()).then(|| {
                account_change(
                    a,
                    (
                        rows.iter().map(|r| r.physical_before).sum(),
                        rows.iter().map(|r| r.physical_after).sum(),
                    ),
                    (
                        rows.iter().map(|r| r.before_cny).sum(),
                        rows.iter().map(|r| r.after_cny).sum(),
                    ),
                    rows.iter().all(|r| r.same_parameters),
                )
            })
        })
        .collect();
    let not_compared = changes
        .iter()
        .flat_map(|c| c.not_compared.iter().cloned())
        .collect();
    Ok(total(name.into(), years, accounts, not_compared))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gep::{Inputs, Parameters, gep_r};

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0), "{a} is not {b}");
    }

    fn inputs(flood_m3: f64, nep: Option<f64>) -> Inputs {
        let mut i = Inputs::new();
        i.add(
            Account::FloodRegulation,
            "reservoir",
            &[("storage_m3", flood_m3)],
        )
        .unwrap();
        if let Some(n) = nep {
            i.add(Account::CarbonSequestration, "forest", &[("nep_t_c", n)])
                .unwrap();
        }
        i
    }

    #[test]
    fn change_by_account_and_total_with_percent() {
        let mut p = Parameters::defaults();
        p.set("reservoir_cost_cny_m3", 5.0).unwrap();
        p.set("carbon_price_cny_t_co2", 100.0).unwrap();
        p.set("oxygen_price_cny_t", 10.0).unwrap();
        // 2023: flood 1,000,000 × 5 = 5,000,000; carbon 120 t C → 440 t CO₂ × 100 = 44,000;
        // oxygen 320 t × 10 = 3,200. Total 5,047,200.
        let a = gep_r("延庆区", 2023, &inputs(1e6, Some(120.0)), &p);
        // 2024: flood 1,100,000 × 5 = 5,500,000; carbon 240 t C → 88,000; oxygen 6,400.
        // Total 5,594,400.
        let b = gep_r("延庆区", 2024, &inputs(1.1e6, Some(240.0)), &p);
        let c = change(&a, &b).unwrap();
        assert_eq!(c.accounts.len(), 3);
        let flood = &c.accounts[0];
        close(flood.change_cny, 500_000.0);
        close(flood.change_percent.unwrap(), 10.0);
        close(flood.physical_change_percent.unwrap(), 10.0);
        close(c.accounts[1].change_percent.unwrap(), 100.0);
        close(c.before_cny, 5_047_200.0);
        close(c.after_cny, 5_594_400.0);
        close(c.change_cny, 547_200.0);
        // 547,200 / 5,047,200 × 100 = 10.8416547...
        close(c.change_percent.unwrap(), 547_200.0 / 5_047_200.0 * 100.0);
        assert!(c.same_parameters && c.comparable);
    }

    #[test]
    fn an_account_of_one_year_only_is_left_out_and_a_new_price_is_flagged() {
        let p = Parameters::defaults();
        let a = gep_r("延庆区", 2023, &inputs(1e6, None), &p);
        let b = gep_r("延庆区", 2024, &inputs(1e6, Some(100.0)), &p);
        let c = change(&a, &b).unwrap();
        assert_eq!(c.accounts.len(), 1);
        assert_eq!(c.not_compared.len(), 2);
        assert_eq!(c.not_compared[0].computed_in, 2024);
        close(c.change_cny, 0.0);
        assert!(c.same_parameters && !c.comparable);

        let mut q = Parameters::defaults();
        q.set("reservoir_cost_cny_m3", 7.0).unwrap();
        let d = gep_r("延庆区", 2024, &inputs(1e6, None), &q);
        let e = change(&a, &d).unwrap();
        assert!(!e.accounts[0].same_parameters && !e.comparable);

        let zero = gep_r("延庆区", 2023, &inputs(0.0, None), &p);
        assert_eq!(change(&zero, &a).unwrap().change_percent, None);
        let other = gep_r("怀柔区", 2024, &inputs(1e6, None), &p);
        assert!(matches!(
            change(&a, &other),
            Err(GepError::DistrictsDiffer { .. })
        ));
    }

    #[test]
    fn the_city_change_sums_the_districts_changes() {
        let mut p = Parameters::defaults();
        p.set("reservoir_cost_cny_m3", 5.0).unwrap();
        let y = change(
            &gep_r("延庆区", 2023, &inputs(1e6, None), &p),
            &gep_r("延庆区", 2024, &inputs(1.2e6, None), &p),
        )
        .unwrap();
        let h = change(
            &gep_r("海淀区", 2023, &inputs(3e6, None), &p),
            &gep_r("海淀区", 2024, &inputs(3e6, Some(10.0)), &p),
        )
        .unwrap();
        let c = city_change("北京市", &[y.clone(), h.clone()]).unwrap();
        // Flood: 5,000,000 + 15,000,000 = 20,000,000 → 6,000,000 + 15,000,000 = 21,000,000.
        close(c.before_cny, 20_000_000.0);
        close(c.after_cny, 21_000_000.0);
        close(c.change_percent.unwrap(), 5.0);
        assert_eq!(c.not_compared.len(), 2);
        assert_eq!(c.not_compared[0].district, "海淀区");
        assert!(!c.comparable);
        assert!(matches!(
            city_change("北京市", &[y.clone(), y.clone()]),
            Err(GepError::DuplicateDistrict { .. })
        ));
        let mut z = y;
        z.after_year = 2025;
        assert!(matches!(
            city_change("北京市", &[h, z]),
            Err(GepError::ChangeYearsDiffer { .. })
        ));
    }
}
