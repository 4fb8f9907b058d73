//! # lantian-campaigns: the plan behind the five campaigns
//!
//! An engine without I/O, as `lantian-water` and `lantian-soil` are for their media. The
//! city's half-year report on "more than 100 critical measures in five major areas" is a plan
//! (measures, their lead units, milestones and deadlines), the progress reported on it, the
//! indicators it is judged by, and the ecosystem accounts (GEP-R) that its ecological
//! compensation is paid on. This crate holds them as data and computes on them:
//!
//! - [`campaign`]: the five campaigns (蓝天, 碧水, 净土, 应对气候变化, 生态);
//! - [`measure`]: a measure, its weighted milestones and dated progress updates, and the checks
//!   an update must pass (no update before the measure's start);
//! - [`progress`]: progress against time on any date, per measure, lead unit and campaign
//!   ("half the time, half the tasks" as a computed statement), and the burn-up series;
//! - [`indicator`]: the registry of indicators with baseline, target and dated values that keep
//!   their source (entered by people, or computed by an engine);
//! - [`gep`]: the GEP-R accounts (physical quantity × unit price, per district and year), their
//!   change, and the compensation between paired districts as a rule table.
//!
//! ```
//! use lantian_campaigns::campaign::Campaign;
//! use lantian_campaigns::measure::{Measure, Milestone, Update};
//! use lantian_campaigns::progress::{progress, Status};
//!
//! let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
//! let m = Measure {
//!     id: "BS-03".into(), campaign: Campaign::BlueSky,
//!     title_zh: "道路扬尘治理".into(), title_en: "Road dust control".into(),
//!     lead: "市城市管理委".into(), partners: vec![],
//!     start: d("2024-01-01"), deadline: d("2024-12-31"),
//!     milestones: vec![
//!         Milestone { id: "plan".into(), name_zh: "方案".into(), name_en: "plan".into(), weight: 1.0, due: None },
//!         Milestone { id: "roads".into(), name_zh: "道路".into(), name_en: "roads".into(), weight: 3.0, due: None },
//!     ],
//!     target: None, source: "plan".into(),
//! };
//! let updates = vec![
//!     Update { measure: "BS-03".into(), milestone: "plan".into(), date: d("2024-02-01"),
//!              percent: 100.0, evidence: "方案印发".into(), by: "市城市管理委".into() },
//!     Update { measure: "BS-03".into(), milestone: "roads".into(), date: d("2024-06-20"),
//!              percent: 40.0, evidence: "台账".into(), by: "市城市管理委".into() },
//! ];
//! let p = progress(&[m], &updates, d("2024-06-30"));
//! // (1 × 100 % + 3 × 40 %) / 4 = 55 % done; 182 of 366 days = 49.7 % of the time.
//! assert!((p.measures[0].done - 0.55).abs() < 1e-12);
//! assert_eq!(p.measures[0].status, Status::OnSchedule);
//! assert!(p.total.half_time_half_tasks);
//! ```

pub mod campaign;
pub mod gep;
pub mod indicator;
pub mod measure;
pub mod progress;

pub use campaign::Campaign;
