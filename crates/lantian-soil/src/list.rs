//! The risk-control and restoration list of construction land (建设用地土壤污染风险管控和修复名录)
//! as a state machine over a history of events.
//!
//! A plot is listed (列入名录) after its investigation and risk assessment; it is then under risk
//! control (风险管控中) or under remediation (修复中); when the effect evaluation is complete
//! (效果评估完成) it may be removed from the list (移出名录), and it may be listed again later,
//! beginning a new cycle. The Soil Pollution Prevention and Control Law (arts. 58–66) sets the
//! steps; the machine here is their order:
//!
//! ```text
//! (not listed | removed) → listed → under control | under remediation → effect evaluated → removed
//! ```
//!
//! A step skipped (listed → removed), a step backwards (effect evaluated → listed), a status
//! repeated, and a switch between control and remediation are refused, with a message naming
//! the plot, the two statuses and what is allowed. (That a switch between control and
//! remediation is refused is a decision: the law treats them as alternatives after listing, and
//! no provincial list seen records such a switch; if one does, it is one more allowed edge in
//! [`Status::next`].) Every event needs who made it, why, and the evidence (for listing, the
//! investigation and assessment report), and a plot's events are in date order (events of one
//! day keep their order of recording).
//!
//! The history is a `Vec<Event>`, appended to and never rewritten: the list on any date, and
//! what changed between two dates, are queries over it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A plot's status on the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 列入名录
    Listed,
    /// 风险管控中
    UnderControl,
    /// 修复中
    UnderRemediation,
    /// 效果评估完成
    EffectEvaluated,
    /// 移出名录
    Removed,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Listed,
        Status::UnderControl,
        Status::UnderRemediation,
        Status::EffectEvaluated,
        Status::Removed,
    ];

    /// The statuses allowed after `from` (`None`: the plot has never been listed).
    pub fn next(from: Option<Status>) -> &'static [Status] {
        match from {
            None | Some(Status::Removed) => &[Status::Listed],
            Some(Status::Listed) => &[Status::UnderControl, Status::UnderRemediation],
            Some(Status::UnderControl | Status::UnderRemediation) => &[Status::EffectEvaluated],
            Some(Status::EffectEvaluated) => &[Status::Removed],
        }
    }

    /// The step in the cycle: listed 0, control or remediation 1, evaluated 2, removed 3.
    fn step(self) -> u8 {
        match self {
            Status::Listed => 0,
            Status::UnderControl | Status::UnderRemediation => 1,
            Status::EffectEvaluated => 2,
            Status::Removed => 3,
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Status::Listed => "listed",
            Status::UnderControl => "under risk control",
            Status::UnderRemediation => "under remediation",
            Status::EffectEvaluated => "effect evaluated",
            Status::Removed => "removed",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Status::Listed => "列入名录",
            Status::UnderControl => "风险管控中",
            Status::UnderRemediation => "修复中",
            Status::EffectEvaluated => "效果评估完成",
            Status::Removed => "移出名录",
        }
    }

    /// The code as serialised (`under_control`).
    pub fn code(self) -> &'static str {
        match self {
            Status::Listed => "listed",
            Status::UnderControl => "under_control",
            Status::UnderRemediation => "under_remediation",
            Status::EffectEvaluated => "effect_evaluated",
            Status::Removed => "removed",
        }
    }

    /// A status from its code (`under_control`, any ASCII case), English name (`under risk
    /// control`) or Chinese name (`风险管控中`).
    pub fn parse(s: &str) -> Option<Status> {
        let t = s.trim();
        Status::ALL.into_iter().find(|st| {
            st.code().eq_ignore_ascii_case(t)
                || st.name_en().eq_ignore_ascii_case(t)
                || st.name_zh() == t
        })
    }

    /// On the list: every status but removed.
    pub fn is_on_list(self) -> bool {
        self != Status::Removed
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name_en())
    }
}

/// One change of a plot's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub plot: String,
    pub date: NaiveDate,
    pub status_to: Status,
    /// Who decided or recorded it (the authority, the responsible party).
    pub by: String,
    pub reason: String,
    /// The documents it rests on: the investigation and risk-assessment report for listing,
    /// the effect-evaluation report for removal…
    pub evidence: Vec<String>,
}

/// Why an event is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ListError {
    #[error(
        "plot {plot:?}, {date}, to {to}: {field} is missing (every change needs the plot, who made it, why, and the evidence)"
    )]
    Missing {
        plot: String,
        date: NaiveDate,
        to: Status,
        field: &'static str,
    },
    #[error("plot {plot}: {} → {to} on {date} is refused ({}); {}", standing(.from), why(.from, *.to), allowed(.from))]
    NotAllowed {
        plot: String,
        date: NaiveDate,
        from: Option<Status>,
        to: Status,
    },
    #[error(
        "plot {plot}: an event on {date} ({to}) is dated before the plot's last event, on {last}"
    )]
    BeforeLastEvent {
        plot: String,
        date: NaiveDate,
        to: Status,
        last: NaiveDate,
    },
    #[error("the period {from} to {to} ends before it begins")]
    Period { from: NaiveDate, to: NaiveDate },
}

fn standing(from: &Option<Status>) -> String {
    from.map_or("not listed".to_string(), |s| s.to_string())
}

fn why(from: &Option<Status>, to: Status) -> &'static str {
    match from {
        None => "a plot not on the list can only be listed",
        Some(f) if *f == to => "the status is already that",
        Some(f) if f.step() == to.step() => {
            "a switch between risk control and remediation is not a step of the list"
        }
        Some(f) if to.step() > f.step() => "it skips a step",
        Some(_) => "it goes backwards",
    }
}

fn allowed(from: &Option<Status>) -> String {
    let next: Vec<&str> = Status::next(*from).iter().map(|s| s.name_en()).collect();
    format!(
        "from {} the next step is {}",
        standing(from),
        next.join(" or ")
    )
}

/// Each plot's status and the date of its last event, after some events.
type State = BTreeMap<String, (Status, NaiveDate)>;

fn apply(state: &mut State, e: &Event) -> Result<(), ListError> {
    let missing = |field| ListError::Missing {
        plot: e.plot.clone(),
        date: e.date,
        to: e.status_to,
        field,
    };
    if e.plot.trim().is_empty() {
        return Err(missing("the plot id"));
    }
    if e.by.trim().is_empty() {
        return Err(missing("who (by)"));
    }
    if e.reason.trim().is_empty() {
        return Err(missing("the reason"));
    }
    if e.evidence.is_empty() || e.evidence.iter().any(|d| d.trim().is_empty()) {
        return Err(missing("the evidence"));
    }
    let now = state.get(&e.plot).copied();
    if let Some((_, last)) = now
        && e.date < last
    {
        return Err(ListError::BeforeLastEvent {
            plot: e.plot.clone(),
            date: e.date,
            to: e.status_to,
            last,
        });
    }
    let from = now.map(|(s, _)| s);
    if !Status::next(from).contains(&e.status_to) {
        return Err(ListError::NotAllowed {
            plot: e.plot.clone(),
            date: e.date,
            from,
            to: e.status_to,
        });
    }
    state.insert(e.plot.clone(), (e.status_to, e.date));
    Ok(())
}

fn replay<'a>(events: impl IntoIterator<Item = &'a Event>) -> Result<State, ListError> {
    let mut state = State::new();
    for e in events {
        apply(&mut state, e)?;
    }
    Ok(state)
}

/// Checks a whole history.
pub fn check(events: &[Event]) -> Result<(), ListError> {
    replay(events).map(|_| ())
}

/// Appends an event to a (valid) history, or refuses it and leaves the history as it was.
pub fn record(history: &mut Vec<Event>, event: Event) -> Result<(), ListError> {
    let mut state = replay(history.iter())?;
    apply(&mut state, &event)?;
    history.push(event);
    Ok(())
}

/// A plot on the list on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub plot: String,
    pub status: Status,
    /// The date of its last event.
    pub since: NaiveDate,
    /// When the current cycle began.
    pub listed_on: NaiveDate,
}

/// The list at the end of `date`: the plots on it, by plot id, with their status.
pub fn as_of(events: &[Event], date: NaiveDate) -> Result<Vec<Entry>, ListError> {
    check(events)?;
    let mut on: BTreeMap<&str, Entry> = BTreeMap::new();
    for e in events.iter().filter(|e| e.date <= date) {
        match e.status_to {
            Status::Removed => {
                on.remove(e.plot.as_str());
            }
            Status::Listed => {
                on.insert(
                    &e.plot,
                    Entry {
                        plot: e.plot.clone(),
                        status: Status::Listed,
                        since: e.date,
                        listed_on: e.date,
                    },
                );
            }
            s => {
                if let Some(entry) = on.get_mut(e.plot.as_str()) {
                    entry.status = s;
                    entry.since = e.date;
                }
            }
        }
    }
    Ok(on.into_values().collect())
}

/// One event, with the status it left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub plot: String,
    pub date: NaiveDate,
    pub from: Option<Status>,
    pub to: Status,
    pub by: String,
    pub reason: String,
    pub evidence: Vec<String>,
}

/// What changed after one date up to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changes {
    pub after: NaiveDate,
    pub up_to: NaiveDate,
    /// Plots listed (or listed again).
    pub entered: Vec<Change>,
    /// Plots that moved on within the list.
    pub status_changes: Vec<Change>,
    /// Plots removed.
    pub removed: Vec<Change>,
}

/// The events dated after `d1` and up to `d2`, so that the list as of `d2` is the list as of
/// `d1` with these changes applied in order.
pub fn changes(events: &[Event], d1: NaiveDate, d2: NaiveDate) -> Result<Changes, ListError> {
    if d2 < d1 {
        return Err(ListError::Period { from: d1, to: d2 });
    }
    check(events)?;
    let mut state: BTreeMap<&str, Status> = BTreeMap::new();
    let mut out = Changes {
        after: d1,
        up_to: d2,
        entered: Vec::new(),
        status_changes: Vec::new(),
        removed: Vec::new(),
    };
    for e in events.iter().filter(|e| e.date <= d2) {
        let from = state.insert(&e.plot, e.status_to);
        if e.date <= d1 {
            continue;
        }
        let change = Change {
            plot: e.plot.clone(),
            date: e.date,
            from,
            to: e.status_to,
            by: e.by.clone(),
            reason: e.reason.clone(),
            evidence: e.evidence.clone(),
        };
        match e.status_to {
            Status::Listed => out.entered.push(change),
            Status::Removed => out.removed.push(change),
            _ => out.status_changes.push(change),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn ev(plot: &str, date: &str, to: Status) -> Event {
        Event {
            plot: plot.to_string(),
            date: d(date),
            status_to: to,
            by: "provincial ecology and environment department".to_string(),
            reason: format!("{plot} {to}"),
            evidence: vec![format!("report {plot} {date}")],
        }
    }

    fn history() -> Vec<Event> {
        let mut h = Vec::new();
        for e in [
            ev("A", "2020-03-01", Listed),
            ev("B", "2020-05-01", Listed),
            ev("A", "2020-06-01", UnderRemediation),
            ev("B", "2020-06-01", UnderControl),
            ev("A", "2021-09-01", EffectEvaluated),
            ev("A", "2021-12-01", Removed),
            ev("A", "2023-02-01", Listed),
        ] {
            record(&mut h, e).unwrap();
        }
        h
    }

    #[test]
    fn the_list_on_a_date() {
        let h = history();
        assert_eq!(as_of(&h, d("2020-02-29")).unwrap(), []);
        let l = as_of(&h, d("2020-06-01")).unwrap();
        let s: Vec<(&str, Status)> = l.iter().map(|e| (e.plot.as_str(), e.status)).collect();
        assert_eq!(s, [("A", UnderRemediation), ("B", UnderControl)]);
        assert_eq!(l[0].listed_on, d("2020-03-01"));
        assert_eq!(l[0].since, d("2020-06-01"));
        // A removed in December 2021, listed again in 2023.
        let l = as_of(&h, d("2022-01-01")).unwrap();
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].plot, "B");
        let l = as_of(&h, d("2023-02-01")).unwrap();
        assert_eq!(
            (l[0].plot.as_str(), l[0].status, l[0].listed_on),
            ("A", Listed, d("2023-02-01"))
        );
    }

    #[test]
    fn what_changed() {
        let h = history();
        let c = changes(&h, d("2020-05-01"), d("2021-12-01")).unwrap();
        assert!(c.entered.is_empty());
        let moved: Vec<(&str, Option<Status>, Status)> = c
            .status_changes
            .iter()
            .map(|c| (c.plot.as_str(), c.from, c.to))
            .collect();
        assert_eq!(
            moved,
            [
                ("A", Some(Listed), UnderRemediation),
                ("B", Some(Listed), UnderControl),
                ("A", Some(UnderRemediation), EffectEvaluated)
            ]
        );
        assert_eq!(c.removed.len(), 1);
        assert_eq!(c.removed[0].from, Some(EffectEvaluated));
        let c = changes(&h, d("2020-01-01"), d("2030-01-01")).unwrap();
        assert_eq!(c.entered.len(), 3);
        assert_eq!(c.entered[2].from, Some(Removed));
        assert_eq!(c.entered[0].from, None);
        assert!(matches!(
            changes(&h, d("2021-01-01"), d("2020-01-01")),
            Err(ListError::Period { .. })
        ));
    }

    #[test]
    fn refusals() {
        let mut h = history();
        let before = h.clone();
        // Skips: B under control → removed; a new plot straight to removal.
        let e = record(&mut h, ev("B", "2022-01-01", Removed)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "plot B: under risk control → removed on 2022-01-01 is refused (it skips a step); \
             from under risk control the next step is effect evaluated"
        );
        let e = record(&mut h, ev("C", "2022-01-01", EffectEvaluated)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "plot C: not listed → effect evaluated on 2022-01-01 is refused (a plot not on the \
             list can only be listed); from not listed the next step is listed"
        );
        let mut s = Vec::new();
        record(&mut s, ev("D", "2022-01-01", Listed)).unwrap();
        let e = record(&mut s, ev("D", "2022-02-01", Removed)).unwrap_err();
        assert!(e.to_string().contains("(it skips a step); from listed the next step is under risk control or under remediation"), "{e}");
        let e = record(&mut s, ev("D", "2022-02-01", EffectEvaluated)).unwrap_err();
        assert!(matches!(
            e,
            ListError::NotAllowed {
                from: Some(Listed),
                to: EffectEvaluated,
                ..
            }
        ));
        // Backwards, repeated, lateral.
        let e = record(&mut h, ev("B", "2022-01-01", Listed)).unwrap_err();
        assert!(e.to_string().contains("(it goes backwards)"), "{e}");
        let e = record(&mut h, ev("B", "2022-01-01", UnderControl)).unwrap_err();
        assert!(
            e.to_string().contains("(the status is already that)"),
            "{e}"
        );
        let e = record(&mut h, ev("B", "2022-01-01", UnderRemediation)).unwrap_err();
        assert!(
            e.to_string()
                .contains("switch between risk control and remediation"),
            "{e}"
        );
        // Listed again while listed.
        let e = record(&mut h, ev("A", "2024-01-01", Listed)).unwrap_err();
        assert!(e.to_string().contains("already"), "{e}");
        // Dated before the plot's last event (another plot's dates do not matter).
        let e = record(&mut h, ev("B", "2020-05-31", EffectEvaluated)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "plot B: an event on 2020-05-31 (effect evaluated) is dated before the plot's last \
             event, on 2020-06-01"
        );
        record(&mut s, ev("E", "2019-01-01", Listed)).unwrap();
        // Same day as the last event: accepted.
        record(&mut s, ev("E", "2019-01-01", UnderControl)).unwrap();
        // Missing by, reason, evidence (listing too).
        for (field, f) in [
            ("who (by)", (|e: &mut Event| e.by.clear()) as fn(&mut Event)),
            ("the reason", |e| e.reason = " ".into()),
            ("the evidence", |e| e.evidence.clear()),
            ("the evidence", |e| e.evidence = vec!["".into()]),
            ("the plot id", |e| e.plot.clear()),
        ] {
            let mut e = ev("F", "2024-01-01", Listed);
            f(&mut e);
            assert_eq!(
                record(&mut h, e),
                Err(ListError::Missing {
                    plot: if field == "the plot id" {
                        String::new()
                    } else {
                        "F".into()
                    },
                    date: d("2024-01-01"),
                    to: Listed,
                    field
                })
            );
        }
        // Refusals leave the history as it was.
        assert_eq!(h, before);
        // A history with a bad event is refused by the queries, not half-read.
        let mut bad = before.clone();
        bad.push(ev("B", "2022-01-01", Removed));
        assert!(as_of(&bad, d("2022-01-01")).is_err());
        assert!(changes(&bad, d("2020-01-01"), d("2022-01-01")).is_err());
    }

    #[test]
    fn status_words() {
        for st in Status::ALL {
            assert_eq!(Status::parse(st.code()), Some(st));
            assert_eq!(Status::parse(st.name_zh()), Some(st));
            assert_eq!(Status::parse(st.name_en()), Some(st));
            assert_eq!(serde_json::to_value(st).unwrap(), st.code());
        }
        assert_eq!(Status::parse(" Under_Control "), Some(UnderControl));
        assert_eq!(Status::parse("修复中"), Some(UnderRemediation));
        assert_eq!(Status::parse("closed"), None);
    }

    #[test]
    fn every_transition_is_tabled() {
        // Exactly the allowed edges pass; all 6 × 5 pairs are tried.
        let mut allowed = 0;
        for from in std::iter::once(None).chain(Status::ALL.map(Some)) {
            for to in Status::ALL {
                let mut h = Vec::new();
                // Walk a plot to `from` along the first allowed path.
                let path: &[Status] = match from {
                    None => &[],
                    Some(Listed) => &[Listed],
                    Some(UnderControl) => &[Listed, UnderControl],
                    Some(UnderRemediation) => &[Listed, UnderRemediation],
                    Some(EffectEvaluated) => &[Listed, UnderControl, EffectEvaluated],
                    Some(Removed) => &[Listed, UnderControl, EffectEvaluated, Removed],
                };
                for &s in path {
                    record(&mut h, ev("P", "2020-01-01", s)).unwrap();
                }
                let ok = record(&mut h, ev("P", "2020-01-02", to)).is_ok();
                assert_eq!(ok, Status::next(from).contains(&to), "{from:?} → {to:?}");
                allowed += ok as usize;
            }
        }
        assert_eq!(allowed, 7);
    }

    /// A random valid history: each plot walks its cycle, events interleaved across plots.
    fn arbitrary_history() -> impl proptest::strategy::Strategy<Value = Vec<Event>> {
        use proptest::prelude::*;
        proptest::collection::vec((0usize..4, proptest::bool::ANY, 1u32..40), 0..40).prop_map(
            |steps| {
                let mut h = Vec::new();
                let mut day = [d("2020-01-01"); 4];
                let mut state: [Option<Status>; 4] = [None; 4];
                for (p, remediate, gap) in steps {
                    let next = Status::next(state[p]);
                    let to = if next.len() > 1 && remediate {
                        next[1]
                    } else {
                        next[0]
                    };
                    day[p] = day[p] + chrono::Days::new(gap.into());
                    let e = ev(&format!("P{p}"), &day[p].to_string(), to);
                    record(&mut h, e).unwrap();
                    state[p] = Some(to);
                }
                h
            },
        )
    }

    proptest::proptest! {
        /// The list as of d2 is the list as of d1 with the changes between applied.
        #[test]
        fn changes_carry_one_list_to_the_next(
            h in arbitrary_history(),
            a in 0u64..1500,
            b in 0u64..1500,
        ) {
            let (a, b) = if a <= b { (a, b) } else { (b, a) };
            let d1 = d("2020-01-01") + chrono::Days::new(a);
            let d2 = d("2020-01-01") + chrono::Days::new(b);
            let mut list: BTreeMap<String, Status> = as_of(&h, d1)
                .unwrap()
                .into_iter()
                .map(|e| (e.plot, e.status))
                .collect();
            let c = changes(&h, d1, d2).unwrap();
            let mut all: Vec<&Change> =
                c.entered.iter().chain(&c.status_changes).chain(&c.removed).collect();
            // Per plot, dates order the changes; the plots are independent.
            all.sort_by_key(|c| (c.plot.clone(), c.date, c.to.step()));
            for ch in all {
                proptest::prop_assert_eq!(list.get(&ch.plot).copied(), ch.from.filter(|s| s.is_on_list()));
                if ch.to.is_on_list() {
                    list.insert(ch.plot.clone(), ch.to);
                } else {
                    list.remove(&ch.plot);
                }
            }
            let expected: BTreeMap<String, Status> = as_of(&h, d2)
                .unwrap()
                .into_iter()
                .map(|e| (e.plot, e.status))
                .collect();
            proptest::prop_assert_eq!(list, expected);
        }
    }
}
