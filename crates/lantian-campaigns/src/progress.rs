//! Progress against time: for any date, how much of each measure's work is done, how much the
//! plan expected by then, and what that makes the measure (on schedule, behind, overdue, done
//! early…); the same for each lead unit and campaign, and as a burn-up series.
//!
//! The arithmetic, for a measure on date `d`:
//!
//! - **work done** = Σ wᵢ·pᵢ / Σ wᵢ over its milestones, where pᵢ is the latest reported share of
//!   milestone i on or before `d` (0 without a report) and wᵢ its weight;
//! - **time elapsed** = days from the start through `d` / days from the start through the
//!   deadline (both ends counted; 0 before the start, 1 from the deadline on). A measure that
//!   starts later than others counts its own time from its own start;
//! - **work expected** = the weight share of milestones due on or before `d` where every
//!   milestone has a due date, else the time elapsed;
//! - **status**: *upcoming* before the start; *done* (early, on the deadline, or late) once the
//!   work done is 100 %, dated by the first report of the last run that brought it there;
//!   *overdue* after the deadline while unfinished; *behind* while the work done is less than the
//!   work expected (by more than [`SHARE_TOLERANCE`]); else *on schedule*.
//!
//! A unit's or campaign's figures are the plain means over its measures (each measure counts
//! once, whatever its milestones), and "half the time, half the tasks" (时间过半、任务过半) is
//! said when both means are at least half (after rounding to whole percent) and the work done
//! keeps pace with the time.

use crate::campaign::Campaign;
use crate::measure::{Measure, Update};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Shares closer than this are equal: the work done and the work expected come from different
/// sums (weights × shares, days ÷ days), and a measure exactly on its schedule must not read as
/// behind by a rounding error of the last bit.
pub const SHARE_TOLERANCE: f64 = 1e-9;

/// A measure's standing on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Its start is still ahead.
    Upcoming,
    OnSchedule,
    /// Less done than expected by now.
    Behind,
    /// Past its deadline and not done.
    Overdue,
    /// Done before its deadline (提前完成).
    DoneEarly,
    /// Done on its deadline.
    DoneOnTime,
    /// Done after its deadline.
    DoneLate,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Upcoming,
        Status::OnSchedule,
        Status::Behind,
        Status::Overdue,
        Status::DoneEarly,
        Status::DoneOnTime,
        Status::DoneLate,
    ];

    pub fn is_done(self) -> bool {
        matches!(
            self,
            Status::DoneEarly | Status::DoneOnTime | Status::DoneLate
        )
    }

    /// Late: behind schedule or overdue.
    pub fn is_late(self) -> bool {
        matches!(self, Status::Behind | Status::Overdue)
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Status::Upcoming => "not yet started",
            Status::OnSchedule => "on schedule",
            Status::Behind => "behind schedule",
            Status::Overdue => "overdue",
            Status::DoneEarly => "done early",
            Status::DoneOnTime => "done on time",
            Status::DoneLate => "done late",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Status::Upcoming => "尚未开始",
            Status::OnSchedule => "按进度推进",
            Status::Behind => "进度滞后",
            Status::Overdue => "逾期未完成",
            Status::DoneEarly => "提前完成",
            Status::DoneOnTime => "按期完成",
            Status::DoneLate => "逾期完成",
        }
    }
}

/// A milestone's latest report on the date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MilestoneProgress {
    pub id: String,
    pub weight: f64,
    /// 0–100; 0 without a report.
    pub percent: f64,
    /// The date of the report the share comes from.
    pub reported: Option<NaiveDate>,
}

/// A measure on a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureProgress {
    pub id: String,
    pub campaign: Campaign,
    pub lead: String,
    pub start: NaiveDate,
    pub deadline: NaiveDate,
    /// Work done, 0–1.
    pub done: f64,
    /// Work expected by the date, 0–1.
    pub expected: f64,
    /// Share of the measure's time elapsed, 0–1.
    pub time_elapsed: f64,
    pub status: Status,
    /// When the work reached 100 % (for a done measure).
    pub finished: Option<NaiveDate>,
    /// The first report of any work (a share above 0).
    pub first_work: Option<NaiveDate>,
    /// The latest report of any kind on or before the date.
    pub last_report: Option<NaiveDate>,
    /// Reports on or before the date.
    pub reports: usize,
    pub milestones: Vec<MilestoneProgress>,
}

/// The means over a group of measures (a unit, a campaign, the plan).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub measures: usize,
    /// Mean work done, 0–1.
    pub done: f64,
    /// Mean work expected, 0–1.
    pub expected: f64,
    /// Mean time elapsed, 0–1.
    pub time_elapsed: f64,
    /// Measures per status (every status present, zeros included).
    pub by_status: BTreeMap<Status, usize>,
    /// Measures without a single report on or before the date, among those started.
    pub without_reports: usize,
    /// 时间过半、任务过半: both means at least half (rounded to whole percent) and the work
    /// keeping pace with the time.
    pub half_time_half_tasks: bool,
    /// The work done at least the time elapsed, once some time has elapsed.
    pub keeps_pace: bool,
}

/// Everything on one date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    pub as_of: NaiveDate,
    pub measures: Vec<MeasureProgress>,
    pub total: Summary,
    pub by_campaign: BTreeMap<Campaign, Summary>,
    pub by_unit: BTreeMap<String, Summary>,
    /// Updates naming a measure or milestone the plan does not have (they are refused on
    /// recording; counted here for data read from elsewhere).
    pub unmatched_updates: usize,
}

/// The days from `a` through `b`, both counted (0 when `b` is before `a`).
fn days_through(a: NaiveDate, b: NaiveDate) -> i64 {
    ((b - a).num_days() + 1).max(0)
}

/// The share of `m`'s time elapsed on `d`.
pub fn time_elapsed(m: &Measure, d: NaiveDate) -> f64 {
    if d < m.start {
        0.0
    } else if d >= m.deadline {
        1.0
    } else {
        days_through(m.start, d) as f64 / m.days() as f64
    }
}

/// The work `m`'s plan expects done by `d`.
pub fn expected(m: &Measure, d: NaiveDate) -> f64 {
    let total: f64 = m.milestones.iter().map(|x| x.weight).sum();
    if !m.milestones.is_empty() && m.milestones.iter().all(|x| x.due.is_some()) && total > 0.0 {
        // `+ 0.0`: an empty float sum is −0.0, which would print as "-0".
        (m.milestones
            .iter()
            .filter(|x| x.due.is_some_and(|due| due <= d))
            .map(|x| x.weight)
            .sum::<f64>()
            + 0.0)
            / total
    } else {
        time_elapsed(m, d)
    }
}

/// Per milestone: (latest share, its date, the date the share last became 100).
#[derive(Clone, Copy, Default)]
struct Latest {
    percent: f64,
    reported: Option<NaiveDate>,
    full_since: Option<NaiveDate>,
}

/// Progress of every measure on `as_of`, from the updates (in any order; of two reports of a
/// milestone on one day the later in `updates` counts).
pub fn progress(measures: &[Measure], updates: &[Update], as_of: NaiveDate) -> Progress {
    let index: HashMap<&str, usize> = measures
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    // Each update's place: measure, milestone.
    let mut keyed: Vec<(NaiveDate, usize, usize, usize)> = Vec::with_capacity(updates.len());
    let mut unmatched = 0;
    for (k, u) in updates.iter().enumerate() {
        let Some(&mi) = index.get(u.measure.as_str()) else {
            unmatched += 1;
            continue;
        };
        let Some(si) = measures[mi]
            .milestones
            .iter()
            .position(|x| x.id == u.milestone)
        else {
            unmatched += 1;
            continue;
        };
        if u.date <= as_of {
            keyed.push((u.date, k, mi, si));
        }
    }
    // In date order, then order of recording: the last one wins.
    keyed.sort_unstable_by_key(|&(d, k, _, _)| (d, k));
    let mut latest: Vec<Vec<Latest>> = measures
        .iter()
        .map(|m| vec![Latest::default(); m.milestones.len()])
        .collect();
    let mut reports = vec![0usize; measures.len()];
    let mut first_work: Vec<Option<NaiveDate>> = vec![None; measures.len()];
    for &(d, k, mi, si) in &keyed {
        let p = updates[k].percent;
        let l = &mut latest[mi][si];
        l.full_since = if p >= 100.0 {
            l.full_since.or(Some(d))
        } else {
            None
        };
        l.percent = p;
        l.reported = Some(d);
        reports[mi] += 1;
        if p > 0.0 && first_work[mi].is_none() {
            first_work[mi] = Some(d);
        }
    }
    let rows: Vec<MeasureProgress> = measures
        .iter()
        .enumerate()
        .map(|(i, m)| measure_progress(m, &latest[i], reports[i], first_work[i], as_of))
        .collect();
    let total = summarise(rows.iter());
    let mut by_campaign = BTreeMap::new();
    for c in Campaign::ALL {
        let of: Vec<&MeasureProgress> = rows.iter().filter(|r| r.campaign == c).collect();
        if !of.is_empty() {
            by_campaign.insert(c, summarise(of.into_iter()));
        }
    }
    let mut units: BTreeMap<&str, Vec<&MeasureProgress>> = BTreeMap::new();
    for r in &rows {
        units.entry(r.lead.as_str()).or_default().push(r);
    }
    let by_unit = units
        .into_iter()
        .map(|(u, rs)| (u.to_string(), summarise(rs.into_iter())))
        .collect();
    Progress {
        as_of,
        measures: rows,
        total,
        by_campaign,
        by_unit,
        unmatched_updates: unmatched,
    }
}

fn measure_progress(
    m: &Measure,
    latest: &[Latest],
    reports: usize,
    first_work: Option<NaiveDate>,
    d: NaiveDate,
) -> MeasureProgress {
    let percent: Vec<f64> = latest.iter().map(|l| l.percent).collect();
    let done = done_share(m, &percent);
    let all_full = !latest.is_empty() && latest.iter().all(|l| l.full_since.is_some());
    let finished = all_full
        .then(|| latest.iter().filter_map(|l| l.full_since).max())
        .flatten();
    let expected = expected(m, d);
    let status = match finished {
        Some(f) if f < m.deadline => Status::DoneEarly,
        Some(f) if f == m.deadline => Status::DoneOnTime,
        Some(_) => Status::DoneLate,
        None if d < m.start => Status::Upcoming,
        None if d > m.deadline => Status::Overdue,
        None if done + SHARE_TOLERANCE < expected => Status::Behind,
        None => Status::OnSchedule,
    };
    MeasureProgress {
        id: m.id.clone(),
        campaign: m.campaign,
        lead: m.lead.clone(),
        start: m.start,
        deadline: m.deadline,
        done,
        expected,
        time_elapsed: time_elapsed(m, d),
        status,
        finished,
        first_work,
        last_report: latest.iter().filter_map(|l| l.reported).max(),
        reports,
        milestones: m
            .milestones
            .iter()
            .zip(latest)
            .map(|(x, l)| MilestoneProgress {
                id: x.id.clone(),
                weight: x.weight,
                percent: l.percent,
                reported: l.reported,
            })
            .collect(),
    }
}

/// The means and counts over some measures.
pub fn summarise<'a>(rows: impl Iterator<Item = &'a MeasureProgress>) -> Summary {
    let mut by_status: BTreeMap<Status, usize> = Status::ALL.iter().map(|&s| (s, 0)).collect();
    let (mut n, mut done, mut expected, mut time, mut silent) = (0usize, 0.0, 0.0, 0.0, 0usize);
    for r in rows {
        n += 1;
        done += r.done;
        expected += r.expected;
        time += r.time_elapsed;
        *by_status.entry(r.status).or_default() += 1;
        if r.reports == 0 && r.status != Status::Upcoming {
            silent += 1;
        }
    }
    let mean = |x: f64| if n == 0 { 0.0 } else { x / n as f64 };
    let (done, expected, time_elapsed) = (mean(done), mean(expected), mean(time));
    // Pace is kept only by work under way: before any measure's start there is none to keep.
    let keeps_pace = n > 0 && time_elapsed > 0.0 && done + SHARE_TOLERANCE >= time_elapsed;
    let half = |x: f64| (x * 100.0).round() >= 50.0;
    Summary {
        measures: n,
        done,
        expected,
        time_elapsed,
        by_status,
        without_reports: silent,
        half_time_half_tasks: keeps_pace && half(done) && half(time_elapsed),
        keeps_pace,
    }
}

/// One point of a burn-up chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BurnPoint {
    pub date: NaiveDate,
    /// Mean work done, 0–1.
    pub done: f64,
    /// Mean work expected, 0–1.
    pub expected: f64,
}

/// The mean work done and expected on each of `dates`, over the measures `keep` selects: the
/// same figures as [`progress`]'s `total` on each date, in one pass over the updates (sorted
/// once, applied date by date) rather than one [`progress`] per date.
pub fn burn_up(
    measures: &[Measure],
    updates: &[Update],
    dates: &[NaiveDate],
    keep: impl Fn(&Measure) -> bool,
) -> Vec<BurnPoint> {
    let chosen: Vec<&Measure> = measures.iter().filter(|m| keep(m)).collect();
    let index: HashMap<&str, usize> = chosen
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    let mut keyed: Vec<(NaiveDate, usize, usize, usize)> = Vec::new();
    for (k, u) in updates.iter().enumerate() {
        if let Some(&mi) = index.get(u.measure.as_str())
            && let Some(si) = chosen[mi]
                .milestones
                .iter()
                .position(|x| x.id == u.milestone)
        {
            keyed.push((u.date, k, mi, si));
        }
    }
    keyed.sort_unstable_by_key(|&(d, k, _, _)| (d, k));
    let mut percent: Vec<Vec<f64>> = chosen
        .iter()
        .map(|m| vec![0.0; m.milestones.len()])
        .collect();
    let mut done: Vec<f64> = vec![0.0; chosen.len()];
    let mut next = 0;
    let mut order: Vec<usize> = (0..dates.len()).collect();
    order.sort_by_key(|&i| dates[i]);
    let mut out = vec![
        BurnPoint {
            date: NaiveDate::MIN,
            done: 0.0,
            expected: 0.0
        };
        dates.len()
    ];
    for i in order {
        let d = dates[i];
        while next < keyed.len() && keyed[next].0 <= d {
            let (_, k, mi, si) = keyed[next];
            percent[mi][si] = updates[k].percent;
            done[mi] = done_share(chosen[mi], &percent[mi]);
            next += 1;
        }
        let n = chosen.len();
        let mean = |x: f64| if n == 0 { 0.0 } else { x / n as f64 };
        out[i] = BurnPoint {
            date: d,
            done: mean(done.iter().sum()),
            expected: mean(chosen.iter().map(|m| expected(m, d)).sum()),
        };
    }
    out
}

/// Σ wᵢ·pᵢ / Σ wᵢ, clamped to 0–1 (0 for a measure without weight).
fn done_share(m: &Measure, percent: &[f64]) -> f64 {
    let total: f64 = m.milestones.iter().map(|x| x.weight).sum();
    if total > 0.0 {
        (m.milestones
            .iter()
            .zip(percent)
            .map(|(x, p)| x.weight * p / 100.0)
            .sum::<f64>()
            / total)
            .clamp(0.0, 1.0)
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::tests::{d, measure, milestone, update};

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-12, "{a} != {b}");
    }

    #[test]
    fn weights_decide_the_work_done() {
        // Weights 1, 3: milestone a done, b at 50 % → (1·1 + 3·0.5) / 4 = 0.625.
        let m = measure(
            "M",
            "2024-01-01",
            "2024-12-31",
            vec![milestone("a", 1.0, None), milestone("b", 3.0, None)],
        );
        let u = vec![
            update("M", "a", "2024-03-01", 100.0),
            update("M", "b", "2024-05-01", 50.0),
        ];
        let p = progress(&[m], &u, d("2024-06-30"));
        let r = &p.measures[0];
        close(r.done, 0.625);
        // 182 days of 366 (2024 is a leap year).
        close(r.time_elapsed, 182.0 / 366.0);
        assert_eq!(r.status, Status::OnSchedule);
        assert_eq!(r.reports, 2);
        assert_eq!(r.first_work, Some(d("2024-03-01")));
        assert_eq!(r.last_report, Some(d("2024-05-01")));
    }

    #[test]
    fn partial_milestones_take_the_latest_report_on_or_before_the_date() {
        let m = measure(
            "M",
            "2024-01-01",
            "2024-12-31",
            vec![milestone("a", 1.0, None)],
        );
        let u = vec![
            update("M", "a", "2024-02-01", 20.0),
            update("M", "a", "2024-04-01", 60.0),
            update("M", "a", "2024-04-01", 40.0), // the same day, recorded later: it counts
            update("M", "a", "2024-08-01", 90.0),
        ];
        close(
            progress(std::slice::from_ref(&m), &u, d("2024-01-31")).measures[0].done,
            0.0,
        );
        close(
            progress(std::slice::from_ref(&m), &u, d("2024-02-01")).measures[0].done,
            0.2,
        );
        close(
            progress(std::slice::from_ref(&m), &u, d("2024-06-30")).measures[0].done,
            0.4,
        );
        // 0.4 done against 182/366 = 0.497 elapsed: behind.
        assert_eq!(
            progress(std::slice::from_ref(&m), &u, d("2024-06-30")).measures[0].status,
            Status::Behind
        );
        close(
            progress(std::slice::from_ref(&m), &u, d("2024-12-31")).measures[0].done,
            0.9,
        );
    }

    #[test]
    fn a_measure_without_updates_is_behind_once_started_and_counted_as_silent() {
        let m = measure(
            "M",
            "2024-01-01",
            "2024-12-31",
            vec![milestone("a", 1.0, None)],
        );
        let p = progress(std::slice::from_ref(&m), &[], d("2024-01-01"));
        // One day of 366 elapsed, nothing done.
        close(p.measures[0].time_elapsed, 1.0 / 366.0);
        assert_eq!(p.measures[0].status, Status::Behind);
        assert_eq!(p.total.without_reports, 1);
        assert_eq!(p.measures[0].reports, 0);
        let before = progress(&[m], &[], d("2023-12-31"));
        assert_eq!(before.measures[0].status, Status::Upcoming);
        assert_eq!(before.total.without_reports, 0);
        close(before.measures[0].time_elapsed, 0.0);
    }

    #[test]
    fn a_passed_deadline_makes_an_unfinished_measure_overdue_and_a_finished_one_done() {
        let m = measure(
            "M",
            "2024-01-01",
            "2024-06-30",
            vec![milestone("a", 1.0, None), milestone("b", 1.0, None)],
        );
        let u = vec![
            update("M", "a", "2024-03-01", 100.0),
            update("M", "b", "2024-05-01", 80.0),
        ];
        let p = progress(std::slice::from_ref(&m), &u, d("2024-07-01"));
        assert_eq!(p.measures[0].status, Status::Overdue);
        close(p.measures[0].done, 0.9);
        close(p.measures[0].time_elapsed, 1.0);
        // On the deadline itself it is not yet overdue: behind (0.9 < 1.0 expected).
        assert_eq!(
            progress(std::slice::from_ref(&m), &u, d("2024-06-30")).measures[0].status,
            Status::Behind
        );
        let mut late = u.clone();
        late.push(update("M", "b", "2024-07-15", 100.0));
        let p = progress(std::slice::from_ref(&m), &late, d("2024-08-01"));
        assert_eq!(p.measures[0].status, Status::DoneLate);
        assert_eq!(p.measures[0].finished, Some(d("2024-07-15")));
        let mut early = u.clone();
        early.push(update("M", "b", "2024-06-01", 100.0));
        // Re-reported at 100 % later: finished stays the first day of the run at 100 %.
        early.push(update("M", "b", "2024-06-20", 100.0));
        let p = progress(std::slice::from_ref(&m), &early, d("2024-06-25"));
        assert_eq!(p.measures[0].status, Status::DoneEarly);
        assert_eq!(p.measures[0].finished, Some(d("2024-06-01")));
        let mut on_time = u;
        on_time.push(update("M", "b", "2024-06-30", 100.0));
        assert_eq!(
            progress(&[m], &on_time, d("2024-06-30")).measures[0].status,
            Status::DoneOnTime
        );
    }

    #[test]
    fn a_share_that_falls_back_from_100_is_not_done() {
        let m = measure(
            "M",
            "2024-01-01",
            "2024-12-31",
            vec![milestone("a", 1.0, None)],
        );
        let u = vec![
            update("M", "a", "2024-03-01", 100.0),
            update("M", "a", "2024-04-01", 70.0),
        ];
        let p = progress(std::slice::from_ref(&m), &u, d("2024-04-01"));
        assert_eq!(p.measures[0].finished, None);
        close(p.measures[0].done, 0.7);
        assert_eq!(p.measures[0].status, Status::OnSchedule);
    }

    #[test]
    fn a_measure_started_late_counts_its_own_time() {
        // Starts 2024-04-01, deadline 2024-12-31 (275 days); on 2024-06-30, 91 days elapsed.
        let m = measure(
            "M",
            "2024-04-01",
            "2024-12-31",
            vec![milestone("a", 1.0, None)],
        );
        let u = vec![update("M", "a", "2024-06-15", 30.0)];
        let p = progress(std::slice::from_ref(&m), &u, d("2024-06-30"));
        close(p.measures[0].time_elapsed, 91.0 / 275.0);
        close(p.measures[0].done, 0.3);
        // 0.3 < 0.331: behind, by a little.
        assert_eq!(p.measures[0].status, Status::Behind);
        // Together with a measure started on time, each counts once in the means.
        let other = measure(
            "N",
            "2024-01-01",
            "2024-12-31",
            vec![milestone("a", 1.0, None)],
        );
        let u2 = vec![u[0].clone(), update("N", "a", "2024-06-01", 60.0)];
        let p = progress(&[m, other], &u2, d("2024-06-30"));
        close(p.total.done, (0.3 + 0.6) / 2.0);
        close(p.total.time_elapsed, (91.0 / 275.0 + 182.0 / 366.0) / 2.0);
    }

    #[test]
    fn due_dates_set_the_work_expected() {
        let m = measure(
            "M",
            "2024-01-01",
            "2024-12-31",
            vec![
                milestone("a", 1.0, Some("2024-03-31")),
                milestone("b", 3.0, Some("2024-09-30")),
            ],
        );
        close(expected(&m, d("2024-03-30")), 0.0);
        close(expected(&m, d("2024-03-31")), 0.25);
        close(expected(&m, d("2024-09-30")), 1.0);
        let u = vec![update("M", "a", "2024-03-20", 100.0)];
        // 0.25 done, 0.25 expected on 2024-06-30 (time elapsed 0.497): on schedule.
        let p = progress(&[m], &u, d("2024-06-30"));
        assert_eq!(p.measures[0].status, Status::OnSchedule);
    }

    #[test]
    fn half_the_time_half_the_tasks_is_computed() {
        let a = measure(
            "A",
            "2024-01-01",
            "2024-12-31",
            vec![milestone("x", 1.0, None)],
        );
        let b = measure(
            "B",
            "2024-01-01",
            "2024-12-31",
            vec![milestone("x", 1.0, None)],
        );
        let ms = [a, b];
        // Time 182/366 = 49.7 %, rounds to 50 %; work (0.6 + 0.5) / 2 = 55 %.
        let u = vec![
            update("A", "x", "2024-06-01", 60.0),
            update("B", "x", "2024-06-01", 50.0),
        ];
        let p = progress(&ms, &u, d("2024-06-30"));
        assert!(p.total.keeps_pace && p.total.half_time_half_tasks);
        // Work 45 %: neither.
        let u = vec![
            update("A", "x", "2024-06-01", 40.0),
            update("B", "x", "2024-06-01", 50.0),
        ];
        let p = progress(&ms, &u, d("2024-06-30"));
        assert!(!p.total.keeps_pace && !p.total.half_time_half_tasks);
        // In March work ahead of time is pace kept, but not half.
        let u = vec![
            update("A", "x", "2024-03-01", 40.0),
            update("B", "x", "2024-03-01", 40.0),
        ];
        let p = progress(&ms, &u, d("2024-03-31"));
        assert!(p.total.keeps_pace && !p.total.half_time_half_tasks);
    }

    #[test]
    fn units_and_campaigns_are_grouped_and_unknown_updates_counted() {
        let mut a = measure(
            "A",
            "2024-01-01",
            "2024-12-31",
            vec![milestone("x", 1.0, None)],
        );
        a.lead = "U1".into();
        let mut b = measure(
            "B",
            "2024-01-01",
            "2024-12-31",
            vec![milestone("x", 1.0, None)],
        );
        b.lead = "U2".into();
        b.campaign = Campaign::Ecology;
        let u = vec![
            update("A", "x", "2024-06-01", 80.0),
            update("Z", "x", "2024-06-01", 10.0),
            update("B", "y", "2024-06-01", 10.0),
        ];
        let p = progress(&[a, b], &u, d("2024-06-30"));
        assert_eq!(p.unmatched_updates, 2);
        close(p.by_unit["U1"].done, 0.8);
        close(p.by_unit["U2"].done, 0.0);
        assert_eq!(p.by_campaign[&Campaign::BlueSky].measures, 1);
        assert_eq!(
            p.by_campaign[&Campaign::Ecology].by_status[&Status::Behind],
            1
        );
        assert!(!p.by_campaign.contains_key(&Campaign::Climate));
    }

    #[test]
    fn the_burn_up_never_falls_when_shares_only_grow() {
        let m = measure(
            "M",
            "2024-01-01",
            "2024-12-31",
            vec![milestone("a", 1.0, None)],
        );
        let u = vec![
            update("M", "a", "2024-02-01", 20.0),
            update("M", "a", "2024-05-01", 70.0),
        ];
        let dates: Vec<NaiveDate> = ["2024-01-15", "2024-02-15", "2024-05-15", "2024-12-31"]
            .iter()
            .map(|s| d(s))
            .collect();
        let b = burn_up(&[m], &u, &dates, |_| true);
        let done: Vec<f64> = b.iter().map(|p| p.done).collect();
        assert_eq!(done, vec![0.0, 0.2, 0.7, 0.7]);
        close(b[3].expected, 1.0);
    }

    #[test]
    fn a_measure_exactly_on_schedule_is_not_behind_by_a_rounding_error() {
        // Weights 1 and 9, milestone a due 2024-02-01: 0.1 expected from then on. Shares 0.1 %
        // and 11.1 %: (1 × 0.001 + 9 × 0.111) / 10 = 0.1 exactly, but in floating point
        // 0.09999999999999999.
        let m = measure(
            "M",
            "2024-01-01",
            "2024-12-31",
            vec![
                milestone("a", 1.0, Some("2024-02-01")),
                milestone("b", 9.0, Some("2024-12-31")),
            ],
        );
        let u = vec![
            update("M", "a", "2024-01-15", 0.1),
            update("M", "b", "2024-01-15", 11.1),
        ];
        let p = progress(std::slice::from_ref(&m), &u, d("2024-06-30"));
        let r = &p.measures[0];
        assert!(
            (r.done - r.expected).abs() < 1e-12 && r.done != r.expected,
            "{} {}",
            r.done,
            r.expected
        );
        assert_eq!(r.status, Status::OnSchedule);
    }

    proptest::proptest! {
        #[test]
        fn the_burn_up_is_the_progress_total_on_each_date(ps in proptest::collection::vec((0u32..400, 0.0f64..=100.0, 0usize..4), 0..40), days in proptest::collection::vec(0u32..420, 1..6)) {
            let ms = vec![
                measure("A", "2024-01-01", "2024-12-31", vec![milestone("a", 1.0, None), milestone("b", 2.5, None)]),
                measure("B", "2024-04-01", "2024-09-30", vec![milestone("a", 1.0, Some("2024-06-30")), milestone("b", 1.0, Some("2024-09-30"))]),
            ];
            let start = d("2024-01-01");
            let u: Vec<Update> = ps.iter().map(|&(o, p, k)| {
                let mut x = update(["A", "B"][k / 2], ["a", "b"][k % 2], "2024-01-01", p);
                x.date = start + chrono::Days::new(o as u64);
                x
            }).collect();
            let dates: Vec<NaiveDate> = days.iter().map(|&o| start + chrono::Days::new(o as u64)).collect();
            let b = burn_up(&ms, &u, &dates, |_| true);
            for (pt, &dd) in b.iter().zip(&dates) {
                let t = progress(&ms, &u, dd).total;
                proptest::prop_assert_eq!(pt.date, dd);
                proptest::prop_assert!((pt.done - t.done).abs() < 1e-12);
                proptest::prop_assert!((pt.expected - t.expected).abs() < 1e-12);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn shares_stay_between_0_and_1(ps in proptest::collection::vec((0u32..366, 0.0f64..=100.0, 0usize..3), 0..30), day in 0u32..400) {
            let m = measure("M", "2024-01-01", "2024-12-31", vec![milestone("a", 1.0, None), milestone("b", 2.5, None), milestone("c", 0.5, None)]);
            let start = d("2024-01-01");
            let u: Vec<Update> = ps.iter().map(|&(o, p, k)| {
                let mut x = update("M", ["a", "b", "c"][k], "2024-01-01", p);
                x.date = start + chrono::Days::new(o as u64);
                x
            }).collect();
            let p = progress(&[m], &u, start + chrono::Days::new(day as u64));
            let r = &p.measures[0];
            proptest::prop_assert!((0.0..=1.0).contains(&r.done));
            proptest::prop_assert!((0.0..=1.0).contains(&r.expected));
            proptest::prop_assert!((0.0..=1.0).contains(&r.time_elapsed));
            proptest::prop_assert_eq!(r.status.is_done(), r.done >= 1.0);
        }
    }
}
