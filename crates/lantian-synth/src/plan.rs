//! A plan of any size, for measuring progress arithmetic at scale: `measures` measures across
//! the five campaigns and a few dozen lead units, one to five weighted milestones each (some
//! with due dates), and `updates` dated progress reports, deterministic from a seed. It is a
//! model for timing, not a city's plan: titles are numbered, units are "unit 07".
//!
//! The reports are drawn so that the cases the arithmetic must get right all occur many times:
//! measures that start mid-year, deadlines passed before the as-of date, milestones reported
//! done and then re-reported, shares that fall back from 100 %, several reports of one
//! milestone on one day, and measures with no report at all.
//!
//! Written in the layout of a large plan: `plan.toml` with the `[plan]` table only, the
//! measures flat in `measures.csv` and `milestones.csv`, and the reports in `updates.csv`; a
//! tool without a TOML reader (bench/campaigns_vs_polars.py) joins the two flat files on the
//! measure.

use chrono::{Days, NaiveDate};
use lantian_campaigns::campaign::Campaign;
use lantian_campaigns::measure::{Measure, Milestone, Target, Update};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::fmt::Write;

/// Lead units of the generated plan.
pub const UNITS: usize = 40;

/// A generated plan.
pub struct GeneratedPlan {
    pub measures: Vec<Measure>,
    pub updates: Vec<Update>,
}

/// `measures` measures of `year` and `updates` reports on them, from `seed`.
pub fn generate(seed: u64, year: i32, measures: usize, updates: usize) -> GeneratedPlan {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let jan1 = NaiveDate::from_ymd_opt(year, 1, 1).expect("a year in range");
    let days_in_year = if NaiveDate::from_ymd_opt(year, 2, 29).is_some() {
        366
    } else {
        365
    };
    let day = |n: u64| jan1 + Days::new(n);
    let mut ms = Vec::with_capacity(measures);
    for i in 0..measures {
        // Most start on 1 January; a quarter start later in the year.
        let start_off = if rng.random_bool(0.75) {
            0
        } else {
            rng.random_range(30..200)
        };
        // Deadlines from the end of June to the end of the year; a tenth run into next year.
        let len = if rng.random_bool(0.1) {
            rng.random_range(400..500)
        } else {
            rng.random_range((180u64.saturating_sub(start_off)).max(30)..(days_in_year - start_off))
        };
        let start = day(start_off);
        let deadline = start + Days::new(len);
        let k = rng.random_range(1..=5usize);
        let dated = rng.random_bool(0.3);
        let milestones = (0..k)
            .map(|j| Milestone {
                id: format!("m{}", j + 1),
                name_zh: format!("节点{}", j + 1),
                name_en: format!("milestone {}", j + 1),
                weight: [1.0, 2.0, 0.5, 3.0, 1.5][rng.random_range(0..5usize)],
                due: dated.then(|| start + Days::new(len * (j as u64 + 1) / k as u64)),
            })
            .collect();
        let campaign = Campaign::ALL[i % 5];
        ms.push(Measure {
            id: format!("G-{:05}", i + 1),
            campaign,
            title_zh: format!("措施{}", i + 1),
            title_en: format!("measure {}", i + 1),
            lead: format!("unit {:02}", rng.random_range(0..UNITS)),
            partners: vec![],
            start,
            deadline,
            milestones,
            target: None,
            source: "generated".into(),
        });
    }
    let mut ups = Vec::with_capacity(updates);
    // A twentieth of the measures never report.
    let silent = |i: usize| i % 20 == 19;
    while ups.len() < updates && measures > 0 {
        let i = rng.random_range(0..measures);
        if silent(i) {
            continue;
        }
        let m = &ms[i];
        let j = rng.random_range(0..m.milestones.len());
        let last = m.deadline.min(day(days_in_year + 60));
        let span = (last - m.start).num_days().max(0) as u64;
        let date = m.start + Days::new(rng.random_range(0..=span));
        // Shares grow with time through the measure, a fifth of reports say "done".
        let through = (date - m.start).num_days() as f64 / (m.days() as f64);
        let percent = if rng.random_bool(0.2) {
            100.0
        } else {
            ((through * 100.0 + rng.random_range(-20.0..20.0)).clamp(0.0, 100.0) / 5.0).round()
                * 5.0
        };
        ups.push(Update {
            measure: m.id.clone(),
            milestone: m.milestones[j].id.clone(),
            date,
            percent,
            evidence: format!("report {}", ups.len() + 1),
            by: m.lead.clone(),
        });
    }
    GeneratedPlan {
        measures: ms,
        updates: ups,
    }
}

/// A TOML string.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A CSV cell: quoted, its quotes doubled, when it holds a comma, a quote or a line end.
fn cell(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\"")).into()
    } else {
        s.into()
    }
}

impl GeneratedPlan {
    /// The plan file: the `[plan]` table (the measures are in [`Self::measures_csv`] and
    /// [`Self::milestones_csv`]).
    pub fn plan_toml(&self, year: i32) -> String {
        format!(
            "# A generated plan for timing (lantian campaigns generate): not a city's plan. Its \
             measures are in\n# measures.csv and milestones.csv.\n\n[plan]\nname_zh = {}\n\
             name_en = {}\nregion = \"generated\"\nyear = {year}\nsource = \"generated\"\n",
            quoted(&format!("生成的计划 {year}")),
            quoted(&format!("generated plan {year}")),
        )
    }

    /// The measures, one a row
    /// (`id,campaign,title_zh,title_en,lead,partners,start,deadline,target,source`).
    pub fn measures_csv(&self) -> String {
        let mut s = String::from(
            "id,campaign,title_zh,title_en,lead,partners,start,deadline,target,source\n",
        );
        for m in &self.measures {
            let target = match &m.target {
                None => String::new(),
                Some(Target::Pollutant(p)) => format!("pollutant:{p}"),
                Some(Target::Indicator(i)) => format!("indicator:{i}"),
            };
            let _ = writeln!(
                s,
                "{},{},{},{},{},{},{},{},{},{}",
                cell(&m.id),
                m.campaign.code(),
                cell(&m.title_zh),
                cell(&m.title_en),
                cell(&m.lead),
                cell(&m.partners.join(";")),
                m.start,
                m.deadline,
                cell(&target),
                cell(&m.source)
            );
        }
        s
    }

    /// The measures' milestones, one a row, in the measures' order
    /// (`measure,milestone,name_zh,name_en,weight,due`).
    pub fn milestones_csv(&self) -> String {
        let mut s = String::from("measure,milestone,name_zh,name_en,weight,due\n");
        for m in &self.measures {
            for x in &m.milestones {
                let _ = writeln!(
                    s,
                    "{},{},{},{},{:?},{}",
                    cell(&m.id),
                    cell(&x.id),
                    cell(&x.name_zh),
                    cell(&x.name_en),
                    x.weight,
                    x.due.map(|d| d.to_string()).unwrap_or_default()
                );
            }
        }
        s
    }

    /// The updates file (`measure,milestone,date,percent,evidence,by`).
    pub fn updates_csv(&self) -> String {
        let mut s = String::from("measure,milestone,date,percent,evidence,by\n");
        for u in &self.updates {
            let _ = writeln!(
                s,
                "{},{},{},{},{},{}",
                cell(&u.measure),
                cell(&u.milestone),
                u.date,
                u.percent,
                cell(&u.evidence),
                cell(&u.by)
            );
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;
    use lantian_campaigns::measure::{check_measure, check_update};

    #[test]
    fn the_plan_is_deterministic_and_every_report_passes_the_checks() {
        let a = generate(7, 2024, 300, 3000);
        let b = generate(7, 2024, 300, 3000);
        assert_eq!(a.updates, b.updates);
        assert_eq!(a.measures, b.measures);
        assert_eq!((a.measures.len(), a.updates.len()), (300, 3000));
        let by_id: std::collections::HashMap<&str, &Measure> =
            a.measures.iter().map(|m| (m.id.as_str(), m)).collect();
        for m in &a.measures {
            check_measure(m).unwrap();
        }
        for u in &a.updates {
            check_update(by_id[u.measure.as_str()], u).unwrap();
        }
        // The cases the arithmetic must meet occur: late starts, silent measures, passed
        // deadlines.
        assert!(a.measures.iter().any(|m| m.start.ordinal() > 1));
        assert!(
            a.measures
                .iter()
                .any(|m| m.deadline < NaiveDate::from_ymd_opt(2024, 12, 31).unwrap())
        );
        assert!(
            a.measures
                .iter()
                .enumerate()
                .any(|(i, m)| i % 20 == 19 && !a.updates.iter().any(|u| u.measure == m.id))
        );
        assert_eq!(
            a.milestones_csv().lines().count() - 1,
            a.measures.iter().map(|m| m.milestones.len()).sum::<usize>()
        );
        assert_eq!(a.measures_csv().lines().count() - 1, a.measures.len());
    }

    #[test]
    fn the_files_read_back_as_generated() {
        let g = generate(3, 2024, 200, 2000);
        let (plan, measures, milestones, updates) = (
            g.plan_toml(2024),
            g.measures_csv(),
            g.milestones_csv(),
            g.updates_csv(),
        );
        assert!(!plan.contains("[[measure]]"));
        let files = lantian_ingest::campaigns::PlanTexts {
            measures: Some(("measures.csv", &measures)),
            milestones: Some(("milestones.csv", &milestones)),
            updates: Some(("updates.csv", &updates)),
            ..lantian_ingest::campaigns::PlanTexts::new(("plan.toml", &plan))
        }
        .read()
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(files.plan.year, 2024);
        assert_eq!(files.measures, g.measures);
        assert_eq!(files.updates, g.updates);
    }
}
