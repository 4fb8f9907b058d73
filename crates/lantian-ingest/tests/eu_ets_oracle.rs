//! The EU ETS oracle on the real panel: every compliance letter the EU Transaction Log published
//! for 2005–2019, recomputed from verified emissions and units surrendered.
//!
//! The thresholds sit just below the measured rates (docs/carbon.md): a change to the rules or
//! the reader that loses letters fails here.

use lantian_carbon::Emissions;
use lantian_carbon::eu_letters::{Mismatch, Rules, Summary};
use lantian_ingest::eu_ets::{Allocation, read_panel};

fn panel() -> Option<lantian_ingest::eu_ets::Panel> {
    let dir =
        lantian_testdata::shared_path("carbon_eu_ets", "the EU ETS compliance-letter oracle")?;
    Some(read_panel(&dir).expect("the panel reads"))
}

#[test]
fn the_panel_is_read_whole() {
    let Some(p) = panel() else { return };
    assert_eq!(p.installations.len(), 16_040);
    assert_eq!(p.years.first(), Some(&2005));
    assert_eq!(p.years.last(), Some(&2030));
    // Nothing in the published panel is unreadable.
    assert!(
        p.problems.is_empty(),
        "{:#?}",
        &p.problems[..p.problems.len().min(10)]
    );
    let count = |f: &dyn Fn(&Emissions) -> bool| {
        p.installations
            .iter()
            .flat_map(|i| &i.years)
            .filter(|y| f(&y.emissions))
            .count()
    };
    // "Not Reported" and "Excluded" are states, counted as published.
    assert_eq!(count(&|e| *e == Emissions::NotReported), 3_097);
    assert_eq!(count(&|e| *e == Emissions::Excluded), 3_486);
    let composite = p
        .allocation
        .values()
        .filter(|a| matches!(a, Allocation::Composite(_)))
        .count();
    assert!(composite > 0);
    let letters = p
        .installations
        .iter()
        .flat_map(|i| &i.years)
        .filter(|y| y.letter.is_some())
        .count();
    assert_eq!(letters, 172_163);
}

#[test]
fn letters_are_recomputed_above_the_measured_rates() {
    let Some(p) = panel() else { return };
    let mut registry = Summary::default();
    let mut figures = Summary::default();
    for i in &p.installations {
        registry.add(i, Rules::REGISTRY);
        figures.add(i, Rules::FIGURES_ONLY);
    }
    let t = registry.total();
    assert_eq!(
        t.letters, 167_219,
        "installation-years with an A or B letter"
    );
    assert!(t.rate() >= 99.80, "registry rules: {:.3} %", t.rate());
    assert!(
        t.unstarred_rate() >= 99.85,
        "unstarred: {:.3} %",
        t.unstarred_rate()
    );
    assert!(
        t.starred_rate() >= 99.5,
        "starred: {:.3} %",
        t.starred_rate()
    );
    let f = figures.total();
    assert!(f.rate() >= 99.15, "figures only: {:.3} %", f.rate());
    assert!(
        f.unstarred_rate() >= 99.65,
        "figures only, unstarred: {:.3} %",
        f.unstarred_rate()
    );
    // Every year at 99.4 % or better under the registry's rules.
    for (y, t) in &registry.by_year {
        if t.letters > 0 {
            assert!(t.rate() >= 99.4, "{y}: {:.3} %", t.rate());
        }
    }
    // The star carries the figures-only mismatches: with it, starred letters barely miss.
    let starred = |s: &Summary| -> u64 {
        s.mismatches
            .iter()
            .filter(|((m, _), _)| *m == Mismatch::Starred)
            .map(|(_, n)| n)
            .sum()
    };
    assert!(starred(&registry) * 5 < starred(&figures));
}
