//! Coverage in one line: how complete the hourly values of a selection are, across its
//! stations and variables, for a summary a person reads at a glance (the full table stays
//! available: `lantian coverage`).

use lantian_store::query::Coverage;
use serde::Serialize;
use std::collections::BTreeSet;

/// The coverage of many (station, variable) series at once.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageSummary {
    pub stations: usize,
    pub variables: BTreeSet<String>,
    pub series: usize,
    pub expected_hours: i64,
    pub valid_hours: i64,
    pub flagged: i64,
    /// The median of the series' completeness (valid / expected).
    pub median_completeness: Option<f64>,
    /// The least complete series: (station, variable, completeness).
    pub lowest: Option<(String, String, f64)>,
}

impl CoverageSummary {
    /// Valid hours over expected hours, all series together.
    pub fn completeness(&self) -> Option<f64> {
        (self.expected_hours > 0).then(|| self.valid_hours as f64 / self.expected_hours as f64)
    }
}

/// The summary of `rows` (as `lantian_store::query::coverage` returns them).
pub fn summarise(rows: &[Coverage]) -> CoverageSummary {
    let mut c: Vec<(f64, &Coverage)> = rows.iter().map(|r| (r.completeness(), r)).collect();
    c.sort_by(|a, b| a.0.total_cmp(&b.0));
    let median = match c.len() {
        0 => None,
        n if n % 2 == 1 => Some(c[n / 2].0),
        n => Some((c[n / 2 - 1].0 + c[n / 2].0) / 2.0),
    };
    CoverageSummary {
        stations: rows
            .iter()
            .map(|r| &r.station)
            .collect::<BTreeSet<_>>()
            .len(),
        variables: rows.iter().map(|r| r.variable.clone()).collect(),
        series: rows.len(),
        expected_hours: rows.iter().map(|r| r.expected_hours).sum(),
        valid_hours: rows.iter().map(|r| r.valid_hours).sum(),
        flagged: rows.iter().map(|r| r.flagged).sum(),
        median_completeness: median,
        lowest: c
            .first()
            .map(|(x, r)| (r.station.clone(), r.variable.clone(), *x)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn row(station: &str, variable: &str, expected: i64, valid: i64) -> Coverage {
        let t = Utc.with_ymd_and_hms(2023, 1, 1, 0, 0, 0).unwrap();
        Coverage {
            source: "bjmemc".into(),
            station: station.into(),
            variable: variable.into(),
            averaging: "1h".into(),
            expected_hours: expected,
            valid_hours: valid,
            flagged: expected - valid,
            first: t,
            last: t,
        }
    }

    #[test]
    fn the_summary_counts_every_series_and_names_the_weakest() {
        let rows = [
            row("a", "PM2.5", 100, 90),
            row("a", "NO2", 100, 50),
            row("b", "PM2.5", 100, 100),
            row("b", "NO2", 100, 80),
        ];
        let s = summarise(&rows);
        assert_eq!((s.stations, s.series), (2, 4));
        assert_eq!((s.expected_hours, s.valid_hours, s.flagged), (400, 320, 80));
        assert_eq!(s.completeness(), Some(0.8));
        // Completeness 0.5, 0.8, 0.9, 1.0: the median is (0.8 + 0.9) / 2.
        assert!((s.median_completeness.unwrap() - 0.85).abs() < 1e-12);
        assert_eq!(s.lowest, Some(("a".into(), "NO2".into(), 0.5)));
        assert_eq!(summarise(&[]).median_completeness, None);
    }
}
