//! Shared field parsing and value checks.

use crate::diagnostic::{DiagnosticKind, FileReport};
use lantian_model::{Flag, Observation, SoilParameter, Variable, WaterParameter};

/// A field's value: missing (empty, `NA`), a number, or text that is not a number.
pub(crate) enum Field {
    Missing,
    Number(f64),
    Bad,
}

pub(crate) fn parse_field(s: &str) -> Field {
    // Most cells of the large files are plain numbers with nothing to trim: those take the
    // exact fast path (the same bits as `str::parse`), the rest the general rules below.
    if s.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && let Some(v) = crate::text::plain_decimal(s.as_bytes())
    {
        return Field::Number(v);
    }
    let t = s.trim();
    if t.is_empty()
        || t.eq_ignore_ascii_case("NA")
        || t.eq_ignore_ascii_case("NaN")
        || t == "-"
        || t == "—"
    {
        return Field::Missing;
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Field::Number(v),
        _ => Field::Bad,
    }
}

/// The flag a freshly read value gets, and the diagnostic kind if any. Values are never
/// changed here: only judged.
#[inline]
pub(crate) fn judge(variable: Variable, value: f64) -> (Flag, Option<(DiagnosticKind, String)>) {
    match variable {
        Variable::Pollutant(p) => {
            if value < 0.0 {
                return (
                    Flag::Bad,
                    Some((
                        DiagnosticKind::Negative,
                        format!("negative concentration {value}"),
                    )),
                );
            }
            let max = p.implausible_above();
            if value > max {
                return (
                    Flag::Doubtful,
                    Some((
                        DiagnosticKind::Implausible,
                        format!(
                            "{value} {} is above the plausibility bound {max} for {p}",
                            p.unit()
                        ),
                    )),
                );
            }
            (Flag::Ok, None)
        }
        Variable::Aqi => {
            if value < 0.0 {
                return (
                    Flag::Bad,
                    Some((DiagnosticKind::Negative, format!("negative AQI {value}"))),
                );
            }
            // HJ 633 §(table 1): the index scale ends at 500.
            if value > 500.0 {
                return (
                    Flag::Doubtful,
                    Some((
                        DiagnosticKind::Implausible,
                        format!("AQI {value} above 500"),
                    )),
                );
            }
            (Flag::Ok, None)
        }
        Variable::Met(_) => (Flag::Ok, None),
        // A concentration or content below zero is a recording or blank-correction error, as
        // for air: kept, flagged bad. pH is bounded by 0–14 in any natural water or soil.
        Variable::Water(WaterParameter::Ph) | Variable::Soil(SoilParameter::Ph) => {
            if (0.0..=14.0).contains(&value) {
                (Flag::Ok, None)
            } else {
                (
                    Flag::Bad,
                    Some((
                        DiagnosticKind::Implausible,
                        format!("pH {value} outside 0–14"),
                    )),
                )
            }
        }
        // Water temperature may be below zero (supercooled or saline water at a section).
        Variable::Water(WaterParameter::Temperature) => (Flag::Ok, None),
        Variable::Water(_) | Variable::Soil(_) => {
            if value < 0.0 {
                return (
                    Flag::Bad,
                    Some((
                        DiagnosticKind::Negative,
                        format!("negative concentration {value}"),
                    )),
                );
            }
            (Flag::Ok, None)
        }
        Variable::Carbon(c) => {
            if value < 0.0 {
                return (
                    Flag::Bad,
                    Some((
                        DiagnosticKind::Negative,
                        format!("negative {} {value}", c.name_zh()),
                    )),
                );
            }
            (Flag::Ok, None)
        }
    }
}

/// The values [`judge`] passes as they are (`ok`, nothing to say) for `variable`, as the
/// closed range (low, high): a reader that judges a row of one variable tests each value
/// against it and calls [`judge`] only for the few outside. A value outside may still be
/// passed (NaN is never inside), so the range only ever saves the call.
#[inline]
pub(crate) fn passed_as_read(variable: Variable) -> (f64, f64) {
    match variable {
        Variable::Pollutant(p) => (0.0, p.implausible_above()),
        Variable::Aqi => (0.0, 500.0),
        Variable::Met(_) | Variable::Water(WaterParameter::Temperature) => {
            (f64::NEG_INFINITY, f64::INFINITY)
        }
        Variable::Water(WaterParameter::Ph) | Variable::Soil(SoilParameter::Ph) => (0.0, 14.0),
        Variable::Water(_) | Variable::Soil(_) | Variable::Carbon(_) => (0.0, f64::INFINITY),
    }
}

/// Build an observation from a number, judging it and reporting what the judgement found.
/// `template` is moved in (its shared names are not copied); `field` names the field for a
/// diagnostic and is only built when there is one.
pub(crate) fn push_value(
    out: &mut Vec<Observation>,
    report: &mut FileReport,
    mut o: Observation,
    value: f64,
    line: u64,
    field: impl FnOnce() -> String,
) {
    let (flag, reason) = judge_reported(o.variable, value, report, line, field);
    o.value = Some(value);
    o.flag = flag;
    o.source_line = line;
    o.flag_reason = reason;
    out.push(o);
}

/// Judge a value and report what the judgement found: the flag, and the reason stored with a
/// flagged value (`None` exactly when the flag is `ok`).
#[inline]
pub(crate) fn judge_reported(
    variable: Variable,
    value: f64,
    report: &mut FileReport,
    line: u64,
    field: impl FnOnce() -> String,
) -> (Flag, Option<String>) {
    let (flag, note) = judge(variable, value);
    let Some((kind, msg)) = note else {
        return (flag, None);
    };
    report.push(
        kind,
        Some(line),
        Some(field()),
        format!("{msg}; kept, flagged {flag}"),
    );
    (flag, Some(format!("{}: {msg}", kind.code())))
}

/// Detect duplicate keys (first occurrence kept, the other reported with its value) and rows
/// out of time order (reported once), then return the observations sorted by key.
pub(crate) fn check_keys(mut obs: Vec<Observation>, report: &mut FileReport) -> Vec<Observation> {
    // Keys are compared as numbers: each station name gets its rank among the file's names, so
    // sorting never compares strings (string comparisons in a sort of whole observations
    // dominated the reading of a national file: 600,000 values of 2,000 stations).
    let mut rank: foldhash::HashMap<std::sync::Arc<str>, u32> = Default::default();
    for o in &obs {
        if !rank.contains_key(&*o.station) {
            rank.insert(o.station.clone(), 0);
        }
    }
    let mut names: Vec<std::sync::Arc<str>> = rank.keys().cloned().collect();
    names.sort_unstable();
    for (i, n) in names.into_iter().enumerate() {
        rank.insert(n, i as u32);
    }
    let ranks: Vec<u32> = obs.iter().map(|o| rank[&*o.station]).collect();
    // Out-of-order: in line order, per series, time must not go backwards.
    let mut last: foldhash::HashMap<(u32, Variable, lantian_model::Averaging), (i64, u64)> =
        Default::default();
    let mut first_disorder: Option<(u64, u64)> = None;
    for (o, &r) in obs.iter().zip(&ranks) {
        let k = (r, o.variable, o.averaging);
        let t = o.time_end.timestamp_micros();
        if let Some(&(tl, l)) = last.get(&k)
            && t < tl
            && first_disorder.is_none()
        {
            first_disorder = Some((o.source_line, l));
        }
        last.insert(k, (t, o.source_line));
    }
    if let Some((line, before)) = first_disorder {
        report.push(
            DiagnosticKind::OutOfOrder,
            Some(line),
            None,
            format!("rows are not in time order (line {line} is earlier than line {before}); order does not matter to the store"),
        );
    }
    // Sorted by (station, variable, averaging, time, line): the first of equal keys in the file
    // comes first and is kept. The keys are computed once and the observations permuted in
    // place.
    obs.sort_by_cached_key(|o| {
        (
            rank[&*o.station],
            o.variable,
            o.averaging,
            o.time_end.timestamp_micros(),
            o.source_line,
        )
    });
    drop(ranks);
    drop(rank);
    // `dedup_by` hands over (later, kept): the later of equal keys is dropped and reported.
    obs.dedup_by(|o, prev| {
        let dup = prev.station == o.station
            && prev.variable == o.variable
            && prev.averaging == o.averaging
            && prev.time_end == o.time_end;
        if dup {
            let same = prev.value == o.value;
            report.push(
                DiagnosticKind::DuplicateHour,
                Some(o.source_line),
                Some(format!(
                    "{}/{}{}",
                    o.station,
                    o.variable,
                    suffix(o.averaging)
                )),
                format!(
                    "same hour as line {} ({}); value {} not stored, line {}'s value {} kept",
                    prev.source_line,
                    if same {
                        "same value"
                    } else {
                        "DIFFERENT value"
                    },
                    fmt_opt(o.value),
                    prev.source_line,
                    fmt_opt(prev.value),
                ),
            );
        }
        dup
    });
    obs
}

fn suffix(a: lantian_model::Averaging) -> String {
    if a == lantian_model::Averaging::Hour1 {
        String::new()
    } else {
        format!("_{a}")
    }
}

fn fmt_opt(v: Option<f64>) -> String {
    v.map_or_else(|| "(none)".to_string(), |x| x.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// A value inside the range a variable's values pass as read is passed by `judge`:
        /// the range may only save the call, never change a flag.
        #[test]
        fn values_passed_as_read_are_passed_by_judge(
            k in 0usize..200,
            x in proptest::prop_oneof![
                -1e6f64..1e6,
                proptest::sample::select(vec![
                    -0.0, 0.0, 14.0, 500.0, 1_500.0, 4_000.0, 5_000.0, f64::MAX, f64::MIN,
                    f64::INFINITY, f64::NEG_INFINITY, f64::NAN,
                ]),
            ],
        ) {
            let all: Vec<Variable> = Variable::all().collect();
            let variable = all[k % all.len()];
            let (lo, hi) = passed_as_read(variable);
            if x >= lo && x <= hi {
                proptest::prop_assert_eq!(judge(variable, x), (Flag::Ok, None));
            }
        }
    }

    #[test]
    fn the_passed_ranges_end_where_judge_starts_to_flag() {
        for variable in Variable::all() {
            let (lo, hi) = passed_as_read(variable);
            for edge in [lo, hi] {
                if edge.is_finite() {
                    assert_eq!(judge(variable, edge).0, Flag::Ok, "{variable:?} at {edge}");
                }
            }
            if lo.is_finite() {
                let below = lo - 1e-9;
                assert_ne!(
                    judge(variable, below).0,
                    Flag::Ok,
                    "{variable:?} below {lo}"
                );
            }
            if hi.is_finite() {
                let above = hi + 1e-9 * hi.max(1.0);
                assert_ne!(
                    judge(variable, above).0,
                    Flag::Ok,
                    "{variable:?} above {hi}"
                );
            }
        }
    }
}
