//! The five campaigns: the plan behind them (measures, milestones, progress reports,
//! indicators), its progress on any date, the GEP-R accounts, whether a measure worked, and the
//! city's half-year report on all of it.
//!
//! A plan is a folder (`plan.toml`, `updates.csv`, `indicator_values.csv`; see
//! `lantian_ingest::campaigns`) or, without one, the example plan built into the program
//! (`plans/beijing-2024`: the measures and indicators Beijing's report on the first half of
//! 2024 names, with their published values). Progress reports and indicator values recorded
//! later go into the store's append-only logs; a plan's figures are its files' rows followed by
//! the store's.
//!
//! - [`load`], [`progress`], [`record_updates`], [`record_values`], [`indicators`]: the plan;
//! - [`effect`]: did a measure work (the weather-normalised change around its start and the
//!   nearest break point);
//! - [`gep`]: the GEP-R accounts of the districts, their change and the compensation;
//! - [`figures`]: the five-campaign bulletin (`lantian report --campaigns`).

pub mod effect;
pub mod figures;
pub mod gep;

use crate::error::{AppError, Result};
use chrono::{Datelike, NaiveDate};
use lantian_campaigns::Campaign;
use lantian_campaigns::indicator::{Indicator, Standing, Value, check_value, standing};
use lantian_campaigns::measure::{Update, check_update};
use lantian_campaigns::progress::{self, BurnPoint, MeasureProgress, Progress};
use lantian_ingest::campaigns::updates::read_updates_str;
use lantian_ingest::campaigns::values::read_values_str;
use lantian_ingest::campaigns::{PlanFiles, read_plan_dir, read_plan_texts};
use lantian_store::Store;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The example plan's files, built into the program so that the main job runs anywhere.
pub const EXAMPLE_PLAN: [(&str, &str); 3] = [
    (
        "plans/beijing-2024/plan.toml",
        include_str!("../../../../plans/beijing-2024/plan.toml"),
    ),
    (
        "plans/beijing-2024/updates.csv",
        include_str!("../../../../plans/beijing-2024/updates.csv"),
    ),
    (
        "plans/beijing-2024/indicator_values.csv",
        include_str!("../../../../plans/beijing-2024/indicator_values.csv"),
    ),
];

/// Where the plan comes from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanSources {
    /// A plan folder; `None` takes the example plan built in.
    pub dir: Option<PathBuf>,
}

/// A plan with every report and value: its files' and the store's.
#[derive(Debug, Clone)]
pub struct Plan {
    pub files: PlanFiles,
    /// Where it was read from (a folder, or the example built in).
    pub origin: String,
    /// Reports and values in the files, then those recorded in the store.
    pub updates: Vec<Update>,
    pub values: Vec<Value>,
    pub stored_updates: usize,
    pub stored_values: usize,
}

impl Plan {
    pub fn measure(&self, id: &str) -> Option<&lantian_campaigns::measure::Measure> {
        self.files.measures.iter().find(|m| m.id == id)
    }
}

/// The plan of `src`, with the store's reports and values when a store is given.
pub async fn load(store: Option<&Store>, src: &PlanSources) -> Result<Plan> {
    let (files, origin) = match &src.dir {
        Some(dir) => (
            read_plan_dir(dir).map_err(|e| AppError::BadInput(e.to_string()))?,
            dir.display().to_string(),
        ),
        None => {
            let [p, u, v] = EXAMPLE_PLAN;
            (
                read_plan_texts(p, Some(u), Some(v))
                    .map_err(|e| AppError::Internal(format!("the example plan built in: {e}")))?,
                "the example plan built in (plans/beijing-2024)".to_string(),
            )
        }
    };
    // An indicator computed by an engine names a figure an engine gives.
    for i in &files.indicators {
        if let Some(k) = &i.computed
            && !figures::ENGINE_FIGURES.contains(&k.as_str())
        {
            return Err(AppError::BadInput(format!(
                "{origin}: indicator {}: computed = {k:?} is not a figure the engines give (one of {})",
                i.id,
                figures::ENGINE_FIGURES.join(", ")
            )));
        }
    }
    let (mut updates, mut values) = (files.updates.clone(), files.values.clone());
    let (mut stored_updates, mut stored_values) = (0, 0);
    if let Some(store) = store {
        let u = store.campaign_updates().await?;
        stored_updates = u.len();
        updates.extend(u.into_iter().map(|r| r.row));
        let v = store.indicator_values().await?;
        stored_values = v.len();
        values.extend(v.into_iter().map(|r| r.row));
    }
    Ok(Plan {
        files,
        origin,
        updates,
        values,
        stored_updates,
        stored_values,
    })
}

/// Which measures a progress answer covers.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgressRequest {
    pub as_of: NaiveDate,
    pub campaign: Option<Campaign>,
    /// A lead unit, as the plan writes it.
    pub unit: Option<String>,
}

/// Progress on a date, with the burn-up series from the plan's first start.
#[derive(Debug, Clone, Serialize)]
pub struct ProgressAnswer {
    pub plan_zh: String,
    pub plan_en: String,
    pub origin: String,
    pub progress: Progress,
    /// Mean work done and expected at each month's end from the first start, and on the date.
    pub burn_up: Vec<BurnPoint>,
    /// Reports in the plan's files and in the store.
    pub reports_in_files: usize,
    pub reports_in_store: usize,
}

/// Month ends from `first`'s month through `last`, and `last` itself.
pub fn month_ends(first: NaiveDate, last: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut m = first.with_day(1).expect("day 1");
    while m <= last {
        let next = m
            .checked_add_months(chrono::Months::new(1))
            .expect("a month in range");
        let end = next.pred_opt().expect("a day before");
        if end >= last {
            break;
        }
        out.push(end);
        m = next;
    }
    out.push(last);
    out
}

/// The plan's progress on `req.as_of` (every measure, or one campaign's or unit's).
pub fn progress(plan: &Plan, req: &ProgressRequest) -> Result<ProgressAnswer> {
    let keep = |m: &lantian_campaigns::measure::Measure| {
        req.campaign.is_none_or(|c| m.campaign == c)
            && req.unit.as_ref().is_none_or(|u| &m.lead == u)
    };
    let chosen: Vec<_> = plan
        .files
        .measures
        .iter()
        .filter(|m| keep(m))
        .cloned()
        .collect();
    if chosen.is_empty() {
        let what = match (&req.campaign, &req.unit) {
            (Some(c), Some(_))
                if plan
                    .files
                    .measures
                    .iter()
                    .any(|m| Some(&m.lead) == req.unit.as_ref()) =>
            {
                format!("the unit leads no measure of {}", c.name_en())
            }
            (_, Some(_)) => "no measure of the plan is led by this unit".to_string(),
            (Some(c), None) => format!("the plan has no measure of {}", c.name_en()),
            (None, None) => "the plan has no measures".to_string(),
        };
        return Err(AppError::bad(
            if req.unit.is_some() {
                "unit"
            } else {
                "campaign"
            },
            req.unit
                .clone()
                .or(req.campaign.map(|c| c.code().to_string()))
                .unwrap_or_default(),
            what,
        ));
    }
    let p = progress::progress(&chosen, &plan.updates, req.as_of);
    let first = chosen.iter().map(|m| m.start).min().expect("a measure");
    let dates = month_ends(first.min(req.as_of), req.as_of);
    let burn_up = progress::burn_up(&chosen, &plan.updates, &dates, |_| true);
    Ok(ProgressAnswer {
        plan_zh: plan.files.plan.name_zh.clone(),
        plan_en: plan.files.plan.name_en.clone(),
        origin: plan.origin.clone(),
        progress: p,
        burn_up,
        reports_in_files: plan.files.updates.len(),
        reports_in_store: plan.stored_updates,
    })
}

/// What a recording did.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Recorded {
    /// Rows given.
    pub given: usize,
    /// Rows identical to ones recorded before (a batch run again): not recorded twice.
    pub already_recorded: usize,
    pub recorded: usize,
}

/// Split `rows` into those already in `before` (each stored row standing for one given row)
/// and the new ones.
fn new_rows<T: Clone>(rows: &[T], before: &[T], key: impl Fn(&T) -> String) -> (Vec<T>, usize) {
    let mut unmatched: HashMap<String, usize> = HashMap::new();
    for r in before {
        *unmatched.entry(key(r)).or_default() += 1;
    }
    let mut new = Vec::new();
    let mut already = 0;
    for r in rows {
        match unmatched.get_mut(&key(r)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                already += 1;
            }
            _ => new.push(r.clone()),
        }
    }
    (new, already)
}

fn update_key(u: &Update) -> String {
    format!(
        "{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
        u.measure, u.milestone, u.date, u.percent, u.evidence, u.by
    )
}

fn value_key(v: &Value) -> String {
    format!(
        "{}\u{1f}{}\u{1f}{}\u{1f}{:?}",
        v.indicator, v.date, v.value, v.source
    )
}

/// Record progress reports: each checked against the plan (a known measure and milestone, a
/// share of 0–100 %, not before the measure's start, evidence and reporter given; the first
/// refused names itself and nothing is written), then appended to the store in one commit.
/// Reports identical to ones recorded before are not recorded twice.
pub async fn record_updates(store: &Store, plan: &Plan, updates: &[Update]) -> Result<Recorded> {
    for (i, u) in updates.iter().enumerate() {
        let m = plan.measure(&u.measure).ok_or_else(|| {
            AppError::BadInput(format!(
                "report {}: measure {:?} is not in the plan ({}); nothing is recorded",
                i + 1,
                u.measure,
                plan.origin
            ))
        })?;
        check_update(m, u).map_err(|e| {
            AppError::BadInput(format!("report {}: {e}; nothing is recorded", i + 1))
        })?;
    }
    // A report already in the plan's own files counts as recorded too: recorded again, it
    // would become the later report of its day and could undo a correction made after it.
    let stored: Vec<Update> = plan
        .files
        .updates
        .iter()
        .cloned()
        .chain(store.campaign_updates().await?.into_iter().map(|r| r.row))
        .collect();
    let (new, already) = new_rows(updates, &stored, update_key);
    let recorded = store
        .record_campaign_updates(&new)
        .await
        .map_err(AppError::from_write)?;
    Ok(Recorded {
        given: updates.len(),
        already_recorded: already,
        recorded,
    })
}

/// Record indicator values, checked against the registry, as [`record_updates`] does.
pub async fn record_values(store: &Store, plan: &Plan, values: &[Value]) -> Result<Recorded> {
    for (i, v) in values.iter().enumerate() {
        let ind = plan
            .files
            .indicators
            .iter()
            .find(|x| x.id == v.indicator)
            .ok_or_else(|| {
                AppError::BadInput(format!(
                    "value {}: indicator {:?} is not in the plan's registry ({}); nothing is recorded",
                    i + 1,
                    v.indicator,
                    plan.origin
                ))
            })?;
        check_value(ind, v).map_err(|e| {
            AppError::BadInput(format!("value {}: {e}; nothing is recorded", i + 1))
        })?;
    }
    let stored: Vec<Value> = plan
        .files
        .values
        .iter()
        .cloned()
        .chain(store.indicator_values().await?.into_iter().map(|r| r.row))
        .collect();
    let (new, already) = new_rows(values, &stored, value_key);
    let recorded = store
        .record_indicator_values(&new)
        .await
        .map_err(AppError::from_write)?;
    Ok(Recorded {
        given: values.len(),
        already_recorded: already,
        recorded,
    })
}

/// The rows of an updates file (`measure,milestone,date,percent,evidence,by`), each checked
/// against the plan; any problem refuses the file, every problem named by file, line and field.
pub fn read_updates_file(plan: &Plan, path: &Path) -> Result<Vec<Update>> {
    let text = lantian_ingest::water::read_text(path).map_err(AppError::BadInput)?;
    let name = path.display().to_string();
    let r = read_updates_str(&name, &text, &plan.files.measures)
        .map_err(|p| AppError::BadInput(p.to_string()))?;
    refuse_on_problems(r.items, &r.problems)
}

/// The rows of an indicator-values file (`indicator,date,value,source,by,evidence`), checked
/// against the registry as [`read_updates_file`] does.
pub fn read_values_file(plan: &Plan, path: &Path) -> Result<Vec<Value>> {
    let text = lantian_ingest::water::read_text(path).map_err(AppError::BadInput)?;
    let name = path.display().to_string();
    let r = read_values_str(&name, &text, &plan.files.indicators)
        .map_err(|p| AppError::BadInput(p.to_string()))?;
    refuse_on_problems(r.items, &r.problems)
}

fn refuse_on_problems<T>(
    items: Vec<T>,
    problems: &[lantian_ingest::eu_ets::Problem],
) -> Result<Vec<T>> {
    if problems.is_empty() {
        return Ok(items);
    }
    let mut s = format!(
        "{} problem{}; nothing is recorded:",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for p in problems {
        s.push_str("\n  ");
        s.push_str(&p.to_string());
    }
    Err(AppError::BadInput(s))
}

/// An indicator and where it stands.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorAnswer {
    pub indicator: Indicator,
    pub standing: Standing,
}

/// Every indicator of the plan (or one campaign's) on `as_of`, from the plan's values and
/// `computed` (values the engines computed for the period).
pub fn indicators(
    plan: &Plan,
    as_of: NaiveDate,
    campaign: Option<Campaign>,
    computed: &[Value],
) -> Vec<IndicatorAnswer> {
    let all: Vec<Value> = plan.values.iter().chain(computed).cloned().collect();
    plan.files
        .indicators
        .iter()
        .filter(|i| campaign.is_none_or(|c| i.campaign == c))
        .map(|i| IndicatorAnswer {
            indicator: i.clone(),
            standing: standing(i, &all, as_of),
        })
        .collect()
}

/// The measures of `progress` of one campaign.
pub fn of_campaign(p: &Progress, c: Campaign) -> Vec<&MeasureProgress> {
    p.measures.iter().filter(|m| m.campaign == c).collect()
}
