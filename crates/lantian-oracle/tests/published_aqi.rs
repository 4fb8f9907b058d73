//! The published-value oracle over the real archives in `../shared/data` (skipped where absent).
//!
//! Thresholds are the rates measured when the practices were settled (docs/aqi-oracle.md),
//! rounded down: a change to the engine that loses one station-hour in a thousand fails here.

use lantian_oracle::{Practice, run};
use std::path::PathBuf;

fn data(sub: &str) -> Option<PathBuf> {
    lantian_testdata::shared_path(sub, "the published-value oracle reads the real archives")
}

#[test]
fn beijing_and_national_published_aqi() {
    let (Some(bj), Some(cn)) = (data("quotsoft_beijing"), data("cnemc_china_sites")) else {
        return;
    };
    let n: usize = std::env::var("ORACLE_EXAMPLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let report = run(&[bj, cn], n).unwrap();
    println!(
        "{:<8} {:>5} {:>10} {:>10} {:>9} {:>9} {:>9}",
        "source", "year", "published", "complete", "exact%", "explained%", "all%"
    );
    for ((source, year), t) in report.by_year() {
        println!(
            "{source:<8} {year:>5} {:>10} {:>10} {:>9.4} {:>9.4} {:>9.4}",
            t.published,
            t.recomputable(),
            100.0 * t.exact_rate(),
            100.0 * t.explained_rate(),
            100.0 * t.exact_rate_all()
        );
    }
    for e in report
        .examples
        .iter()
        .filter(|e| e.outcome == lantian_oracle::Outcome::Mismatch)
        .take(n * 40)
    {
        println!("{e:?}");
    }
    let modern = report.total(|_, _, p| p != Practice::BjmemcPm24hMoving);
    let old = report.total(|_, _, p| p == Practice::BjmemcPm24hMoving);
    println!("1-h practices: {modern:?}\n24-h practice: {old:?}");
    assert!(
        report.files_read > 7000,
        "files read: {}",
        report.files_read
    );
    assert!(
        modern.exact_rate() >= 0.999,
        "1-h practices exact {:.5}",
        modern.exact_rate()
    );
}
