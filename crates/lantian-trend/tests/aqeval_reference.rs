//! Break points of AQEval's own example, side by side with the `aqeval` Python package (0.7.3,
//! a port of the R package checked against R AQEval 0.6.x / strucchange 1.6 / openair 3.1).
//!
//! Input: daily means of `no2` in `../shared/data/aqeval_uk_no2/aq_data.csv.gz` (openair's
//! `timeAverage(aq.data, "1 day")`: the mean of the day's non-missing hours; a day with none is
//! missing but keeps its row). Expected values: `aqeval.find_break_points(daily, "no2")` and
//! `aqeval.quant_break_points(...)` as printed by the package (rows are 1-based there).
//! Skips with a message when the shared data is absent.

// Reference values are kept digit for digit as the package printed them.
#![allow(clippy::excessive_precision)]

use lantian_trend::breakpoints::{find_break_points, quantify, test_breaks};
use std::io::Read;

fn daily_no2() -> Option<(Vec<f64>, Vec<f64>)> {
    let path = lantian_testdata::shared_path(
        "aqeval_uk_no2/aq_data.csv.gz",
        "AQEval's reference break points are computed on its example data",
    )?;
    let file = std::fs::File::open(&path).unwrap();
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .expect("gzip");
    // date,no2,bg.no2,ws,wd,air_temp; 2001-01-01 .. 2003-12-31, hourly, UTC.
    let (mut sums, mut counts) = (vec![0.0; 1095], vec![0usize; 1095]);
    let first = chrono::NaiveDate::from_ymd_opt(2001, 1, 1).unwrap();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let day = chrono::NaiveDate::parse_from_str(&f[0][..10], "%Y-%m-%d").unwrap();
        let d = (day - first).num_days() as usize;
        if let Ok(v) = f[1].parse::<f64>() {
            sums[d] += v;
            counts[d] += 1;
        }
    }
    let y = sums
        .iter()
        .zip(&counts)
        .map(|(s, &c)| if c == 0 { f64::NAN } else { s / c as f64 })
        .collect();
    // Seconds since 1970 at each day's start (aqeval's time axis; the fit is unit-free).
    let t = (0..1095).map(|d| (11323.0 + d as f64) * 86400.0).collect();
    Some((t, y))
}

#[test]
fn daily_no2_h015_matches_aqeval() {
    let Some((t, y)) = daily_no2() else { return };
    let s = find_break_points(&y, 0.15).unwrap();
    // 1,095 days, 28 without NO2: 1,067 searched, minimum segment floor(1067 · 0.15) = 160.
    assert_eq!((s.n, s.h), (1067, 160));
    // aqeval's BIC table (m = 0..5).
    let bic = [
        9153.8187224587546,
        9142.6269451138742,
        9130.9216908647704,
        9118.6298413555287,
        9117.6145134873204,
        9162.5362862777365,
    ];
    assert_eq!(s.bic.len(), bic.len());
    for (row, want) in s.bic.iter().zip(bic) {
        assert!(
            (row.bic - want).abs() < 1e-6,
            "m = {}: {} vs {want}",
            row.breaks,
            row.bic
        );
    }
    assert_eq!(s.bic[4].positions, [277, 465, 625, 827]);
    assert_eq!(s.breaks_chosen, 4);
    // aqeval rows (1-based): bpt 284, 475, 635, 837; lower 204, 465, 619, 791; upper 385,
    // 499, 640, 907.
    let rows: Vec<(usize, usize, usize)> = s
        .breaks
        .iter()
        .map(|b| (b.lower.unwrap() + 1, b.row + 1, b.upper.unwrap() + 1))
        .collect();
    assert_eq!(
        rows,
        [
            (204, 284, 385),
            (465, 475, 499),
            (619, 635, 640),
            (791, 837, 907)
        ]
    );
    // quantBreakPoints with the four breaks: c0, c1, change (signif 4), percent (signif 2).
    let q = quantify(&t, &y, &s.breaks).unwrap();
    let want = [
        (39.71, 44.60, 4.892, 12.0),
        (45.62, 33.20, -12.41, -27.0),
        (33.88, 48.83, 14.95, 44.0),
        (49.94, 40.57, -9.371, -19.0),
    ];
    for (b, (c0, c1, d, pct)) in q.iter().zip(want) {
        let sig4 = |v: f64| format!("{:.3e}", v).parse::<f64>().unwrap();
        let sig2 = |v: f64| format!("{:.1e}", v).parse::<f64>().unwrap();
        assert_eq!(
            (sig4(b.c0), sig4(b.c1), sig4(b.change), sig2(b.percent)),
            (c0, c1, d, pct),
            "{b:?}"
        );
    }
    // testBreakPoints keeps breaks 2 + 3 + 4 (adjusted R² 0.0751).
    let (table, chosen) = test_breaks(&t, &y, &s.breaks);
    assert_eq!(chosen, Some(vec![1, 2, 3]));
    let best = table.iter().find(|r| r.subset == [1, 2, 3]).unwrap();
    assert!((best.adj_r2.unwrap() - 0.075094738104393488).abs() < 1e-9);
    // ... and the full set is not significant (one p ≥ 0.05), as in aqeval's table.
    assert!(!table[0].significant);
}

#[test]
fn daily_no2_h03_matches_aqevals_help_example() {
    // ?quantBreakPoints: timeAverage(aq.data, "1 day"); quantBreakPoints(temp, "no2", h = 0.3)
    let Some((t, y)) = daily_no2() else { return };
    let s = find_break_points(&y, 0.3).unwrap();
    let b = s.breaks[0];
    assert_eq!(
        (
            s.breaks.len(),
            b.lower.unwrap() + 1,
            b.row + 1,
            b.upper.unwrap() + 1
        ),
        (1, 509, 634, 738)
    );
    let q = quantify(&t, &y, &s.breaks).unwrap();
    let sig4 = |v: f64| format!("{:.3e}", v).parse::<f64>().unwrap();
    // 35.93 → 47.28: +11.35 (+32 %).
    assert_eq!(
        (sig4(q[0].c0), sig4(q[0].c1), sig4(q[0].change)),
        (35.93, 47.28, 11.35)
    );
}
