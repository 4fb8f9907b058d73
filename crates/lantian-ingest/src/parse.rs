//! Shared field parsing and value checks.

use crate::diagnostic::{DiagnosticKind, FileReport};
use lantian_model::{Flag, Observation, Variable};
use std::collections::HashMap;

/// A field's value: missing (empty, `NA`), a number, or text that is not a number.
pub(crate) enum Field {
    Missing,
    Number(f64),
    Bad,
}

pub(crate) fn parse_field(s: &str) -> Field {
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
    }
}

/// Build an observation from a number, judging it and reporting what the judgement found.
#[allow(clippy::too_many_arguments)]
pub(crate) fn push_value(
    out: &mut Vec<Observation>,
    report: &mut FileReport,
    template: &Observation,
    value: f64,
    line: u64,
    field: &str,
) {
    let (flag, note) = judge(template.variable, value);
    let mut o = template.clone();
    o.value = Some(value);
    o.flag = flag;
    o.source_line = line;
    if let Some((kind, msg)) = note {
        o.flag_reason = Some(format!("{}: {msg}", kind.code()));
        report.push(
            kind,
            Some(line),
            Some(field.to_string()),
            format!("{msg}; kept, flagged {flag}"),
        );
    }
    out.push(o);
}

/// Detect duplicate keys (first occurrence kept, the other reported with its value) and rows
/// out of time order (reported once), then return the observations sorted by key.
pub(crate) fn check_keys(mut obs: Vec<Observation>, report: &mut FileReport) -> Vec<Observation> {
    // Out-of-order: in line order, per series, time must not go backwards.
    let mut last: HashMap<
        (&str, Variable, lantian_model::Averaging),
        (chrono::DateTime<chrono::Utc>, u64),
    > = HashMap::new();
    let mut first_disorder: Option<(u64, u64)> = None;
    for o in &obs {
        let k = (o.station.as_str(), o.variable, o.averaging);
        if let Some(&(t, l)) = last.get(&k)
            && o.time_end < t
            && first_disorder.is_none()
        {
            first_disorder = Some((o.source_line, l));
        }
        last.insert(k, (o.time_end, o.source_line));
    }
    if let Some((line, before)) = first_disorder {
        report.push(
            DiagnosticKind::OutOfOrder,
            Some(line),
            None,
            format!("rows are not in time order (line {line} is earlier than line {before}); order does not matter to the store"),
        );
    }
    obs.sort_by(|a, b| {
        (
            &a.station,
            a.variable,
            a.averaging,
            a.time_end,
            a.source_line,
        )
            .cmp(&(
                &b.station,
                b.variable,
                b.averaging,
                b.time_end,
                b.source_line,
            ))
    });
    let mut kept: Vec<Observation> = Vec::with_capacity(obs.len());
    for o in obs {
        if let Some(prev) = kept.last()
            && prev.station == o.station
            && prev.variable == o.variable
            && prev.averaging == o.averaging
            && prev.time_end == o.time_end
        {
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
            continue;
        }
        kept.push(o);
    }
    kept
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
