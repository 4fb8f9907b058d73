//! Period means and the class of a section over a month, quarter, half-year or year.
//!
//! The 2011 method classes a section on the arithmetic mean of each item over the period. How
//! many readings a mean needs is not in the notes we could check (`standards/water-china.md`:
//! "minimum number of monthly results for an annual figure: NOT FOUND"); the rule below is
//! Lantian's, stated, and a parameter ([`Completeness`]):
//!
//! - a **month** of an automatic station needs three quarters of its scheduled readings (six a
//!   day in China's network): the share GB 3095 asks of an air station's month, 27 of 31 days is
//!   close to it, and a sensor out for more than a week is then not a month's mean. A month of
//!   grab samples needs one sample (the network samples monthly). Automatic readings take
//!   precedence for an item when their month is complete (MEE 2020 statistical rules: automatic
//!   data first for pH, DO, CODMn, NH3-N, TP, TN); otherwise the grab samples of the month are
//!   used;
//! - a **quarter, half-year or year** is the mean of its complete monthly means, and needs two
//!   thirds of its months (2 of 3, 4 of 6, 8 of 12): ice in January and February must not leave
//!   a northern river without an annual class, and a year of four months is not a year.
//!
//! A value below its detection limit enters a mean as half the limit, and a mean of nothing but
//! such values is "below the largest limit" (MEE 2020 statistical rules as remembered;
//! UNCONFIRMED). "Not detected" without a limit counts as a reading and enters no sum; a mean of
//! nothing else is "not detected". Readings flagged `bad` or `withdrawn` are not averaged.
//!
//! Means are not rounded to the published digits before classing (UNCONFIRMED: a bulletin that
//! rounds to the published digits first may class a mean that sits on a limit to the better
//! class). They are kept to ten significant digits ([`SIGNIFICANT_DIGITS`]): readings are
//! decimals of a few digits, so a mean that sits on a limit is exactly on it, but a sum of binary
//! floating-point numbers lands a last bit above or below it depending on the order of the
//! additions (files read in parts, or another program summing by groups). Ten digits remove that
//! noise, some 10⁻¹⁶ of the value, and keep every digit an instrument reports.

use crate::class::{Measurement, WaterClass};
use crate::gb3838::Item;
use crate::network::Section;
use crate::reading::{Origin, Reading};
use crate::section::{SectionResult, assess_section};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;

/// The length of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Month,
    Quarter,
    Half,
    Year,
}

/// A calendar period: month 1–12, quarter 1–4, half 1–2, or the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Period {
    pub year: i32,
    pub kind: PeriodKind,
    pub index: u32,
}

impl Period {
    pub fn month(year: i32, month: u32) -> Period {
        Period {
            year,
            kind: PeriodKind::Month,
            index: month,
        }
    }

    pub fn year(year: i32) -> Period {
        Period {
            year,
            kind: PeriodKind::Year,
            index: 1,
        }
    }

    /// The months of the period (1-based).
    pub fn months(self) -> std::ops::RangeInclusive<u32> {
        match self.kind {
            PeriodKind::Month => self.index..=self.index,
            PeriodKind::Quarter => (self.index - 1) * 3 + 1..=self.index * 3,
            PeriodKind::Half => (self.index - 1) * 6 + 1..=self.index * 6,
            PeriodKind::Year => 1..=12,
        }
    }

    /// The same period a year earlier (for year-on-year change).
    pub fn a_year_earlier(self) -> Period {
        Period {
            year: self.year - 1,
            ..self
        }
    }

    /// `2024-03`, `2024-Q1`, `2024-H1` or `2024`.
    pub fn parse(s: &str) -> Option<Period> {
        let t = s.trim();
        let (y, rest) = match t.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (t, None),
        };
        let year: i32 = y.parse().ok().filter(|y| (1900..=2200).contains(y))?;
        let p = match rest {
            None => Period::year(year),
            Some(r) => {
                let (kind, num, max) = match r.as_bytes().first()? {
                    b'Q' | b'q' => (PeriodKind::Quarter, &r[1..], 4),
                    b'H' | b'h' => (PeriodKind::Half, &r[1..], 2),
                    _ => (PeriodKind::Month, r, 12),
                };
                let index: u32 = num.parse().ok().filter(|i| (1..=max).contains(i))?;
                Period { year, kind, index }
            }
        };
        Some(p)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            PeriodKind::Month => write!(f, "{}-{:02}", self.year, self.index),
            PeriodKind::Quarter => write!(f, "{}-Q{}", self.year, self.index),
            PeriodKind::Half => write!(f, "{}-H{}", self.year, self.index),
            PeriodKind::Year => write!(f, "{}", self.year),
        }
    }
}

/// How many readings a mean needs (see the module's text for why these defaults).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Completeness {
    /// Readings an automatic station is scheduled to take a day (6 in China's network, 96 at a
    /// SWMP sonde).
    pub automatic_per_day: u32,
    /// Share of a month's scheduled automatic readings a monthly mean needs, as a fraction
    /// (numerator, denominator), compared in integers so no share is lost to rounding.
    pub automatic_month: (u32, u32),
    /// Share of its months a quarter, half-year or year needs.
    pub months: (u32, u32),
}

impl Default for Completeness {
    fn default() -> Self {
        Completeness {
            automatic_per_day: 6,
            automatic_month: (3, 4),
            months: (2, 3),
        }
    }
}

fn enough(have: u32, of: u32, (num, den): (u32, u32)) -> bool {
    u64::from(have) * u64::from(den) >= u64::from(of) * u64::from(num)
}

/// A running mean under the detection-limit rule, with the readings it could not use.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MeanAcc {
    sum: f64,
    values: u32,
    below: u32,
    max_limit: f64,
    not_detected: u32,
    /// Readings flagged `bad` or `withdrawn`: counted, never averaged.
    pub invalid: u32,
}

impl MeanAcc {
    pub fn add(&mut self, m: Measurement) {
        match m {
            Measurement::Value(v) => {
                self.sum += v;
                self.values += 1;
            }
            Measurement::BelowDetection(l) => {
                self.sum += l / 2.0;
                self.below += 1;
                self.max_limit = self.max_limit.max(l);
            }
            Measurement::NotDetected => self.not_detected += 1,
        }
    }

    /// Valid readings taken (values, below-detection and not-detected): a mean exists exactly
    /// when there is one.
    pub fn count(&self) -> u32 {
        self.values + self.below + self.not_detected
    }

    pub fn mean(&self) -> Option<Measurement> {
        if self.values > 0 {
            Some(Measurement::Value(significant(
                self.sum / f64::from(self.values + self.below),
            )))
        } else if self.below > 0 {
            Some(Measurement::BelowDetection(self.max_limit))
        } else if self.not_detected > 0 {
            Some(Measurement::NotDetected)
        } else {
            None
        }
    }

    fn merge(&mut self, o: &MeanAcc) {
        self.sum += o.sum;
        self.values += o.values;
        self.below += o.below;
        self.max_limit = self.max_limit.max(o.max_limit);
        self.not_detected += o.not_detected;
        self.invalid += o.invalid;
    }
}

/// The significant digits a mean keeps (see the module's notes on rounding).
pub const SIGNIFICANT_DIGITS: i32 = 10;

/// `x` rounded to [`SIGNIFICANT_DIGITS`], halves away from zero: the nearest double to the
/// decimal of ten digits, whatever the last bits of `x`. Zero and non-finite values are kept.
pub fn significant(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    // The power of ten that puts ten digits before the point; 10^k is exact for |k| <= 22, so
    // the scaled value is rounded once and the quotient (or product) is the nearest double.
    let k = SIGNIFICANT_DIGITS - 1 - x.abs().log10().floor() as i32;
    if k >= 0 {
        let m = 10f64.powi(k);
        (x * m).round() / m
    } else {
        let m = 10f64.powi(-k);
        (x / m).round() * m
    }
}

/// The items of GB 3838 Tables 1 and 2, in the order of [`crate::gb3838::TABLE`].
const ITEMS: usize = 29;

/// One section's month: a running mean per item and origin.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthBlock {
    cells: [[MeanAcc; 2]; ITEMS],
}

impl Default for MonthBlock {
    fn default() -> Self {
        MonthBlock {
            cells: [[MeanAcc::default(); 2]; ITEMS],
        }
    }
}

impl MonthBlock {
    /// Add one reading; an invalid one is only counted.
    #[inline]
    pub fn add(&mut self, item: Item, origin: Origin, m: Measurement, valid: bool) {
        let cell = &mut self.cells[item as usize][origin as usize];
        if valid {
            cell.add(m);
        } else {
            cell.invalid += 1;
        }
    }

    /// Fold another block of the same section and month in.
    fn merge(&mut self, other: &MonthBlock) {
        for (a, b) in self.cells.iter_mut().zip(other.cells.iter()) {
            a[0].merge(&b[0]);
            a[1].merge(&b[1]);
        }
    }

    pub fn get(&self, item: Item, origin: Origin) -> &MeanAcc {
        &self.cells[item as usize][origin as usize]
    }
}

/// Readings folded into running means per section, month, item and origin, as they are read:
/// a national year of automatic readings (fifty million values) is never held in memory.
/// Sections are keyed as the files write them (the automatic layout names a section, a grab
/// file may give its code); [`Accumulator::monthly_means`] takes every key of a section.
#[derive(Debug, Clone, Default)]
pub struct Accumulator {
    keys: HashMap<Arc<str>, u32>,
    names: Vec<Arc<str>>,
    blocks: HashMap<(u32, i32, u32), Box<MonthBlock>>,
    /// The years of any block, so "which years does a section have" is a dozen lookups a
    /// year, not a walk over every block.
    all_years: std::collections::BTreeSet<i32>,
}

impl Accumulator {
    pub fn new() -> Self {
        Self::default()
    }

    /// The id of a section key, given one when first seen.
    fn id(&mut self, section: &str) -> u32 {
        match self.keys.get(section) {
            Some(&id) => id,
            None => {
                let id = self.names.len() as u32;
                let name: Arc<str> = Arc::from(section);
                self.names.push(name.clone());
                self.keys.insert(name, id);
                id
            }
        }
    }

    /// The block of `section` (as written) for a month.
    pub fn block_mut(&mut self, section: &str, year: i32, month: u32) -> &mut MonthBlock {
        let id = self.id(section);
        self.all_years.insert(year);
        self.blocks.entry((id, year, month)).or_default()
    }

    /// Fold a block of readings of `section` for a month in (a reader that folds a run of rows
    /// of one section and month locally, then once here).
    pub fn merge_block(&mut self, section: &str, year: i32, month: u32, block: &MonthBlock) {
        self.block_mut(section, year, month).merge(block);
    }

    /// Fold one reading in (a determinand without a class limit is not averaged).
    pub fn add_reading(&mut self, r: &Reading) {
        if let Some(item) = r.determinand.item() {
            self.block_mut(&r.section, r.time.year(), r.time.month())
                .add(item, r.origin, r.measurement, r.flag.is_valid());
        }
    }

    /// Fold another accumulator in (the readers of several files run in parallel).
    pub fn merge(&mut self, other: Accumulator) {
        // In the other's order of first sight, so keys keep the order the files give them.
        let mut blocks: Vec<_> = other.blocks.into_iter().collect();
        blocks.sort_unstable_by_key(|(k, _)| *k);
        for ((id, y, m), block) in blocks {
            let id = self.id(&other.names[id as usize]);
            self.all_years.insert(y);
            // A month this accumulator has not seen takes the other's block as it is (files
            // of different sections, the usual case, merge without a copy).
            match self.blocks.entry((id, y, m)) {
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(block);
                }
                std::collections::hash_map::Entry::Occupied(mut e) => e.get_mut().merge(&block),
            }
        }
    }

    /// The section keys seen, in the order first seen.
    pub fn keys(&self) -> &[Arc<str>] {
        &self.names
    }

    /// Readings (valid and invalid) folded in under `key`.
    pub fn readings_of(&self, key: &str) -> u64 {
        let Some(&id) = self.keys.get(key) else {
            return 0;
        };
        // A dozen lookups a year, not a walk over every section's blocks.
        self.all_years
            .iter()
            .flat_map(|&y| (1..=12).filter_map(move |m| self.blocks.get(&(id, y, m))))
            .flat_map(|b| b.cells.iter().flatten())
            .map(|c| u64::from(c.count() + c.invalid))
            .sum()
    }

    /// The years with readings of any key in `keys`.
    pub fn years(&self, keys: &[&str]) -> Vec<i32> {
        let ids: Vec<u32> = keys
            .iter()
            .filter_map(|k| self.keys.get(*k).copied())
            .collect();
        self.all_years
            .iter()
            .copied()
            .filter(|&y| {
                ids.iter()
                    .any(|&id| (1..=12).any(|m| self.blocks.contains_key(&(id, y, m))))
            })
            .collect()
    }

    /// Monthly means of a section (every key it goes by) for the months of `year`:
    /// (month, item) → mean. Automatic readings are used when their month is complete, else
    /// the month's grab samples.
    pub fn monthly_means(
        &self,
        keys: &[&str],
        year: i32,
        months: std::ops::RangeInclusive<u32>,
        c: &Completeness,
    ) -> BTreeMap<(u32, Item), ItemMean> {
        let mut ids: Vec<u32> = keys
            .iter()
            .filter_map(|k| self.keys.get(*k).copied())
            .collect();
        // A section whose code is its name is one key, not two.
        ids.sort_unstable();
        ids.dedup();
        let mut out = BTreeMap::new();
        for m in months {
            let mut block = MonthBlock::default();
            let mut any = false;
            for id in &ids {
                if let Some(b) = self.blocks.get(&(*id, year, m)) {
                    any = true;
                    block.merge(b);
                }
            }
            if !any {
                continue;
            }
            let scheduled = c.automatic_per_day * days_in_month(year, m);
            for row in crate::gb3838::TABLE {
                let item = row.item;
                let auto = block.get(item, Origin::Automatic);
                let grab = block.get(item, Origin::Grab);
                let mk = |a: &MeanAcc, origin: Origin, expected: u32, complete: bool| ItemMean {
                    item,
                    mean: a.mean(),
                    origin: Some(origin),
                    n: a.count(),
                    expected,
                    below_detection: a.below,
                    invalid: a.invalid,
                    complete,
                };
                let auto_seen = auto.count() + auto.invalid > 0;
                let grab_seen = grab.count() + grab.invalid > 0;
                let auto_complete =
                    auto.count() > 0 && enough(auto.count(), scheduled, c.automatic_month);
                let chosen = if auto_complete || (auto_seen && grab.count() == 0) {
                    mk(auto, Origin::Automatic, scheduled, auto_complete)
                } else if grab_seen {
                    mk(grab, Origin::Grab, 1, grab.count() > 0)
                } else {
                    continue;
                };
                out.insert((m, item), chosen);
            }
        }
        out
    }
}

/// One item's mean over a period, with what it rests on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemMean {
    pub item: Item,
    pub mean: Option<Measurement>,
    /// Where the mean comes from (for a month); `None` for a longer period or no data.
    pub origin: Option<Origin>,
    /// Valid readings averaged (a month), or complete months averaged (a longer period).
    pub n: u32,
    /// What a complete mean needs: scheduled automatic readings or 1 grab sample (a month), or
    /// the months of the period.
    pub expected: u32,
    /// Readings (or months) below a detection limit among `n`.
    pub below_detection: u32,
    /// Readings flagged `bad` or `withdrawn`, not averaged (a month).
    pub invalid: u32,
    /// Whether the mean meets [`Completeness`] and so counts in the class.
    pub complete: bool,
}

/// A section's class over a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionPeriod {
    pub section: String,
    pub period: Period,
    /// The class from the complete means only; `None` when no counted item is complete.
    pub result: SectionResult,
    pub means: Vec<ItemMean>,
    /// Counted items with readings whose mean is incomplete (left out of the class).
    pub incomplete: Vec<Item>,
}

impl SectionPeriod {
    pub fn class(&self) -> Option<WaterClass> {
        self.result.class
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let first = NaiveDate::from_ymd_opt(year, month, 1).expect("a month of a valid year");
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }
    .expect("a month of a valid year");
    (next - first).num_days() as u32
}

/// The means of a period longer than a month from its complete monthly means.
pub fn period_means(
    monthly: &BTreeMap<(u32, Item), ItemMean>,
    period: Period,
    c: &Completeness,
) -> Vec<ItemMean> {
    let n_months = period.months().count() as u32;
    let mut acc: BTreeMap<Item, MeanAcc> = BTreeMap::new();
    for ((m, item), mean) in monthly {
        if !period.months().contains(m) {
            continue;
        }
        let a = acc.entry(*item).or_default();
        if let (true, Some(x)) = (mean.complete, mean.mean) {
            a.add(x);
        }
    }
    acc.into_iter()
        .map(|(item, a)| ItemMean {
            item,
            mean: a.mean(),
            origin: None,
            n: a.count(),
            expected: n_months,
            below_detection: a.below,
            invalid: 0,
            complete: a.count() > 0 && enough(a.count(), n_months, c.months),
        })
        .collect()
}

/// The class of `section` over `period` from an accumulator. A month's class comes from its
/// monthly means; a longer period's from the means of its complete months.
pub fn assess_period(
    section: &Section,
    acc: &Accumulator,
    period: Period,
    c: &Completeness,
) -> SectionPeriod {
    let keys = [section.code.as_str(), section.name_zh.as_str()];
    let monthly = acc.monthly_means(&keys, period.year, period.months(), c);
    of_monthly(section, &monthly, period, c)
}

/// The class of `section` over `period` from its monthly means (which may hold more months:
/// a year's means serve the year and each of its months).
pub fn of_monthly(
    section: &Section,
    monthly: &BTreeMap<(u32, Item), ItemMean>,
    period: Period,
    c: &Completeness,
) -> SectionPeriod {
    let means: Vec<ItemMean> = match period.kind {
        PeriodKind::Month => of_month(monthly, period.index)
            .map(|(_, x)| x.clone())
            .collect(),
        _ => period_means(monthly, period, c),
    };
    of_means(section, period, means)
}

/// Whether the monthly means hold a valid reading of a counted item in `months` (a section
/// without one was not monitored then).
pub fn monitored(
    monthly: &BTreeMap<(u32, Item), ItemMean>,
    months: std::ops::RangeInclusive<u32>,
) -> bool {
    months
        .flat_map(|m| of_month(monthly, m))
        .any(|((_, i), x)| i.in_section_class() && x.n > 0)
}

/// The monthly means of month `m` (the map is ordered by month, then item: a range, not a walk
/// over the year).
fn of_month(
    monthly: &BTreeMap<(u32, Item), ItemMean>,
    m: u32,
) -> impl Iterator<Item = (&(u32, Item), &ItemMean)> {
    use std::ops::Bound::{Excluded, Included};
    let first = crate::gb3838::TABLE[0].item;
    debug_assert!(crate::gb3838::TABLE.iter().all(|r| r.item >= first));
    monthly.range((Included((m, first)), Excluded((m + 1, first))))
}

/// [`assess_period`] from readings in a slice (any order; other sections' are ignored).
pub fn assess_readings(
    section: &Section,
    readings: &[&Reading],
    period: Period,
    c: &Completeness,
) -> SectionPeriod {
    let mut acc = Accumulator::new();
    for r in readings {
        acc.add_reading(r);
    }
    assess_period(section, &acc, period, c)
}

/// The class of a section from means already taken.
pub fn of_means(section: &Section, period: Period, means: Vec<ItemMean>) -> SectionPeriod {
    let values: Vec<(Item, Measurement)> = means
        .iter()
        .filter(|m| m.complete)
        .filter_map(|m| m.mean.map(|x| (m.item, x)))
        .collect();
    let incomplete = means
        .iter()
        .filter(|m| !m.complete && m.item.in_section_class())
        .map(|m| m.item)
        .collect();
    SectionPeriod {
        section: section.code.clone(),
        period,
        result: assess_section(&values, section.body, section.target),
        means,
        incomplete,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gb3838::WaterBody;
    use crate::reading::Determinand;
    use chrono::NaiveDateTime;
    use lantian_model::Flag;
    use std::sync::Arc;

    fn section() -> Section {
        Section {
            code: "S1".into(),
            name_zh: "测试断面".into(),
            name_en: "Test".into(),
            body: WaterBody::River,
            province: "北京市".into(),
            basin: "海河流域".into(),
            water: "北运河".into(),
            district: "通州区".into(),
            upstream: None,
            downstream: None,
            inflow_section: None,
            target: Some(WaterClass::IV),
            lat: None,
            lon: None,
        }
    }

    fn r(t: &str, item: Item, m: Measurement, origin: Origin, flag: Flag) -> Reading {
        Reading {
            section: Arc::from("S1"),
            time: NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M").unwrap(),
            determinand: Determinand::Item(item),
            measurement: m,
            flag,
            source_flag: None,
            origin,
            file: Arc::from("f.csv"),
            line: 2,
        }
    }

    fn acc_of<'a>(rs: impl Iterator<Item = &'a Reading>) -> Accumulator {
        let mut a = Accumulator::new();
        for r in rs {
            a.add_reading(r);
        }
        a
    }

    /// Six readings a day for `days` days of February 2024 (29 days: 174 scheduled, 131
    /// needed for three quarters).
    fn feb(days: u32, item: Item, v: f64) -> Vec<Reading> {
        let mut out = Vec::new();
        for d in 1..=days {
            for h in [0, 4, 8, 12, 16, 20] {
                out.push(r(
                    &format!("2024-02-{d:02} {h:02}:00"),
                    item,
                    Measurement::Value(v),
                    Origin::Automatic,
                    Flag::Ok,
                ));
            }
        }
        out
    }

    #[test]
    fn periods_parse_and_print() {
        for s in ["2024-03", "2024-Q1", "2024-H2", "2024"] {
            assert_eq!(Period::parse(s).unwrap().to_string(), s);
        }
        assert_eq!(Period::parse("2024-13"), None);
        assert_eq!(Period::parse("2024-Q5"), None);
        assert_eq!(Period::parse("2024-H2").unwrap().months(), 7..=12);
        assert_eq!(Period::parse("2024-Q2").unwrap().months(), 4..=6);
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2023, 2), 28);
    }

    #[test]
    fn a_month_needs_three_quarters_of_its_automatic_readings() {
        let c = Completeness::default();
        // 22 days × 6 = 132 ≥ 130.5 → complete; 21 days = 126 → not.
        let full = feb(22, Item::AmmoniaNitrogen, 1.2);
        let m = acc_of(full.iter()).monthly_means(&["S1"], 2024, 2..=2, &c);
        // A key given twice (a section whose code is its name) counts once.
        let twice = acc_of(full.iter()).monthly_means(&["S1", "S1"], 2024, 2..=2, &c);
        assert_eq!(twice, m);
        let nh3 = &m[&(2, Item::AmmoniaNitrogen)];
        assert_eq!((nh3.n, nh3.expected, nh3.complete), (132, 174, true));
        // 131 readings: 131 × 4 = 524 ≥ 174 × 3 = 522 → complete; 130 → 520 < 522 → not.
        for (keep, complete) in [(131, true), (130, false)] {
            let m = acc_of(full.iter().take(keep)).monthly_means(&["S1"], 2024, 2..=2, &c);
            assert_eq!(m[&(2, Item::AmmoniaNitrogen)].complete, complete, "{keep}");
        }
        let short = feb(21, Item::AmmoniaNitrogen, 1.2);
        let refs: Vec<&Reading> = short.iter().collect();
        let sp = assess_readings(&section(), &refs, Period::month(2024, 2), &c);
        assert_eq!(sp.class(), None);
        assert_eq!(sp.incomplete, vec![Item::AmmoniaNitrogen]);
    }

    #[test]
    fn a_grab_sample_fills_an_incomplete_automatic_month_and_bad_readings_do_not_count() {
        let c = Completeness::default();
        let mut rs = feb(10, Item::AmmoniaNitrogen, 0.4);
        rs.push(r(
            "2024-02-15 10:00",
            Item::AmmoniaNitrogen,
            Measurement::Value(1.6),
            Origin::Grab,
            Flag::Ok,
        ));
        rs.push(r(
            "2024-02-16 10:00",
            Item::AmmoniaNitrogen,
            Measurement::Value(99.0),
            Origin::Grab,
            Flag::Bad,
        ));
        let refs: Vec<&Reading> = rs.iter().collect();
        let sp = assess_readings(&section(), &refs, Period::month(2024, 2), &c);
        // 1.6 > 1.5 (IV) → V; the bad 99 is ignored.
        assert_eq!(sp.class(), Some(WaterClass::V));
        assert_eq!(sp.means[0].origin, Some(Origin::Grab));
        assert_eq!(sp.means[0].n, 1);
    }

    #[test]
    fn merged_accumulators_hold_what_one_accumulator_of_every_reading_holds() {
        // Two files: S1 in both (one month shared), S2 only in the second.
        let mut first = feb(20, Item::AmmoniaNitrogen, 0.5);
        first.push(r(
            "2024-03-01 00:00",
            Item::Ph,
            Measurement::Value(7.5),
            Origin::Automatic,
            Flag::Ok,
        ));
        let mut second = feb(3, Item::AmmoniaNitrogen, 1.25);
        for x in &mut second {
            x.time = x.time.with_day(x.time.day() + 20).unwrap();
        }
        let mut s2 = feb(2, Item::Ph, 8.0);
        for x in &mut s2 {
            x.section = Arc::from("S2");
        }
        second.extend(s2);
        second.push(r(
            "2024-02-01 00:00",
            Item::AmmoniaNitrogen,
            Measurement::Value(1.0),
            Origin::Automatic,
            Flag::Bad,
        ));
        let all = acc_of(first.iter().chain(&second));
        let mut merged = acc_of(first.iter());
        merged.merge(acc_of(second.iter()));
        assert_eq!(merged.keys(), all.keys());
        assert_eq!(
            [merged.readings_of("S1"), merged.readings_of("S2")],
            [20 * 6 + 1 + 3 * 6 + 1, 2 * 6]
        );
        assert_eq!(merged.years(&["S1", "S2"]), vec![2024]);
        let c = Completeness::default();
        for key in ["S1", "S2"] {
            let (a, b) = (
                merged.monthly_means(&[key], 2024, 1..=12, &c),
                all.monthly_means(&[key], 2024, 1..=12, &c),
            );
            assert_eq!(format!("{a:?}"), format!("{b:?}"), "{key}");
        }
        // February of S1: 138 readings of 0.5 and 1.25, one bad reading counted apart.
        let feb_s1 = &merged.monthly_means(&["S1"], 2024, 2..=2, &c)[&(2, Item::AmmoniaNitrogen)];
        assert_eq!((feb_s1.n, feb_s1.invalid), (138, 1));
        // 82.5 / 138 = 0.597826086956…, kept to ten significant digits.
        assert_eq!(feb_s1.mean, Some(Measurement::Value(0.597826087)));
    }

    #[test]
    fn detection_limits_enter_means_as_half_the_limit() {
        let c = Completeness::default();
        let mk = |d: &str, m| r(d, Item::Cadmium, m, Origin::Grab, Flag::Ok);
        let rs = [
            mk("2024-01-10 10:00", Measurement::BelowDetection(0.001)),
            mk("2024-01-20 10:00", Measurement::Value(0.0045)),
            mk("2024-02-10 10:00", Measurement::BelowDetection(0.001)),
            mk("2024-02-20 10:00", Measurement::BelowDetection(0.0005)),
        ];
        let m = acc_of(rs.iter()).monthly_means(&["S1"], 2024, 1..=12, &c);
        assert_eq!(
            m[&(1, Item::Cadmium)].mean,
            // Half of 0.001 and 0.0045 average to 0.0025 exactly (binary sums give 0.00249…96).
            Some(Measurement::Value(0.0025))
        );
        assert_eq!(
            m[&(2, Item::Cadmium)].mean,
            Some(Measurement::BelowDetection(0.001))
        );
        assert_eq!(m[&(2, Item::Cadmium)].below_detection, 2);
    }

    #[test]
    fn a_year_needs_eight_complete_months() {
        let c = Completeness::default();
        let mut rs = Vec::new();
        for month in 1..=8 {
            rs.push(r(
                &format!("2024-{month:02}-15 10:00"),
                Item::Cod,
                Measurement::Value(if month <= 4 { 10.0 } else { 26.0 }),
                Origin::Grab,
                Flag::Ok,
            ));
        }
        let refs: Vec<&Reading> = rs.iter().collect();
        let y = assess_readings(&section(), &refs, Period::year(2024), &c);
        // (4 × 10 + 4 × 26) / 8 = 18 → III (15 < 18 ≤ 20).
        assert_eq!(y.means[0].mean, Some(Measurement::Value(18.0)));
        assert_eq!(y.class(), Some(WaterClass::III));
        let refs7: Vec<&Reading> = rs.iter().take(7).collect();
        let y7 = assess_readings(&section(), &refs7, Period::year(2024), &c);
        assert_eq!((y7.means[0].n, y7.class()), (7, None));
        // A half-year: 4 of 6 months are enough (months 1–6 hold 6 samples).
        let h1 = assess_readings(&section(), &refs7, Period::parse("2024-H1").unwrap(), &c);
        assert_eq!(h1.means[0].n, 6);
        assert!(h1.means[0].complete);
    }

    #[test]
    fn means_keep_ten_significant_digits() {
        assert_eq!(significant(0.1 + 0.2), 0.3);
        assert_eq!(significant(0.10000000000000002), 0.1);
        assert_eq!(significant(f64::from_bits(0.1f64.to_bits() - 1)), 0.1);
        assert_eq!(significant(1.23456789049), 1.23456789);
        // Halves away from zero, above ten digits before the point too.
        assert_eq!(significant(12345678905.0), 12345678910.0);
        assert_eq!(significant(-0.000123456789051), -0.0001234567891);
        assert_eq!(significant(7.5), 7.5);
        assert_eq!(significant(0.0), 0.0);
        assert!(significant(f64::NAN).is_nan());
        assert_eq!(significant(f64::INFINITY), f64::INFINITY);
    }

    #[test]
    fn a_mean_on_the_class_ii_phosphorus_limit_is_class_ii() {
        // 0.1, 0.2 and 0 mg/L average to 0.1 exactly, the river's class II limit; summed in
        // binary they give 0.30000000000000004, a third of which is above 0.1 (class III).
        let plain = [0.1, 0.2, 0.0].iter().sum::<f64>() / 3.0;
        assert!(plain > 0.1, "{plain}");
        let mut acc = MeanAcc::default();
        for v in [0.1, 0.2, 0.0] {
            acc.add(Measurement::Value(v));
        }
        let mean = acc.mean().unwrap();
        assert_eq!(mean, Measurement::Value(0.1));
        assert_eq!(
            crate::class::item_class(Item::TotalPhosphorus, mean, WaterBody::River).unwrap(),
            Some(WaterClass::II)
        );
    }

    proptest::proptest! {
        /// A monthly mean lies between the smallest and largest valid reading, whatever the
        /// invalid readings hold; and its count is the valid readings'.
        #[test]
        fn a_mean_lies_between_its_valid_readings(
            values in proptest::collection::vec((0.0f64..50.0, proptest::bool::weighted(0.8)), 1..200)
        ) {
            let rs: Vec<Reading> = values
                .iter()
                .enumerate()
                .map(|(i, &(v, ok))| {
                    r(
                        &format!("2024-03-{:02} {:02}:00", 1 + i % 28, (i / 28) % 24),
                        Item::Cod,
                        Measurement::Value(v),
                        Origin::Grab,
                        if ok { Flag::Ok } else { Flag::Bad },
                    )
                })
                .collect();
            let m = acc_of(rs.iter()).monthly_means(&["S1"], 2024, 3..=3, &Completeness::default());
            let valid: Vec<f64> = values.iter().filter(|x| x.1).map(|x| x.0).collect();
            let mean = &m[&(3, Item::Cod)];
            proptest::prop_assert_eq!(mean.n as usize, valid.len());
            proptest::prop_assert_eq!(mean.invalid as usize, values.len() - valid.len());
            if let Some(Measurement::Value(x)) = mean.mean {
                let lo = valid.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = valid.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                // Ten significant digits move a mean by at most half a unit of the tenth.
                let tol = 1e-9 * hi.abs() + 1e-12;
                proptest::prop_assert!(lo - tol <= x && x <= hi + tol, "{lo} <= {x} <= {hi}");
            } else {
                proptest::prop_assert!(valid.is_empty());
            }
        }
            /// A mean that is exactly on a class limit is classed on it, whatever order its
        /// readings are summed in: readings are the limit plus and minus the same decimals, in
        /// any order.
        #[test]
        fn a_mean_on_a_limit_is_classed_on_it_in_any_order(
            item in proptest::sample::select(vec![
                Item::TotalPhosphorus,
                Item::AmmoniaNitrogen,
                Item::PermanganateIndex,
                Item::DissolvedOxygen,
                Item::Cod,
            ]),
            class in 0usize..5,
            offsets in proptest::collection::vec(0u32..1000, 1..90),
            swaps in proptest::collection::vec(proptest::num::usize::ANY, 180),
        ) {
            let limit = item.limits(WaterBody::River)[class];
            let mut values: Vec<f64> = Vec::new();
            for k in &offsets {
                // Offsets in thousandths, no larger than the limit, so no reading is negative.
                let d = (f64::from(*k) / 1000.0).min(limit);
                values.push(limit + d);
                values.push(limit - d);
            }
            for i in (1..values.len()).rev() {
                values.swap(i, swaps[i] % (i + 1));
            }
            let mut acc = MeanAcc::default();
            for v in &values {
                acc.add(Measurement::Value(*v));
            }
            let on_limit = crate::class::item_class(item, Measurement::Value(limit), WaterBody::River);
            let mean = acc.mean().unwrap();
            proptest::prop_assert_eq!(mean, Measurement::Value(limit), "{:?}", values);
            proptest::prop_assert_eq!(
                crate::class::item_class(item, mean, WaterBody::River).unwrap(),
                on_limit.unwrap()
            );
        }
    }
}
