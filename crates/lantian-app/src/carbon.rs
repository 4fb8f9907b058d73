//! The carbon market's use cases: the EU ETS compliance-letter oracle.
//!
//! The EUTL panel (`../shared/data/carbon_eu_ets`) is read whole ([`lantian_ingest::eu_ets`]),
//! every installation's letters are recomputed from its figures
//! ([`lantian_carbon::eu_letters`]) under the rules found in the data and under the figures
//! alone, and the match is tallied per year, per trading period and per class of mismatch.

use crate::{AppError, Result};
use lantian_carbon::eu_letters::{self, Installation, Mismatch, Rules, Summary, Tally};
use lantian_ingest::eu_ets::{self, Panel, PanelError};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Which rules recompute the letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OracleRules {
    /// The rules found in the data (a starred partial surrender counts as covered).
    #[default]
    Registry,
    /// The figures alone (the star ignored).
    FiguresOnly,
}

impl OracleRules {
    pub fn rules(self) -> Rules {
        match self {
            OracleRules::Registry => Rules::REGISTRY,
            OracleRules::FiguresOnly => Rules::FIGURES_ONLY,
        }
    }
}

/// The oracle's request: the panel's folder, and whether to list every letter.
#[derive(Debug, Clone)]
pub struct OracleRequest {
    pub data_dir: PathBuf,
    /// List every installation-year's published and recomputed letter under these rules.
    pub letters: Option<OracleRules>,
}

/// One row of the match table (a year, a trading period or all).
#[derive(Debug, Clone, Serialize)]
pub struct MatchRow {
    /// `2013`, `2008–2012`, `all`.
    pub span: String,
    /// Installation-years with an A or B letter, starred or not.
    pub letters: u64,
    pub starred_letters: u64,
    /// Matched under the registry's rules, in percent: all, unstarred, starred.
    pub match_pct: f64,
    pub unstarred_match_pct: f64,
    pub starred_match_pct: f64,
    /// Matched under the figures alone, in percent.
    pub figures_only_match_pct: f64,
}

/// A class of mismatch, with its count per published letter.
#[derive(Debug, Clone, Serialize)]
pub struct MismatchRow {
    pub rules: OracleRules,
    pub class: Mismatch,
    pub letter: String,
    pub count: u64,
}

/// A published letter against the state of the year's emissions.
#[derive(Debug, Clone, Serialize)]
pub struct LetterStateRow {
    pub letter: String,
    pub emissions: &'static str,
    pub count: u64,
}

/// The oracle's answer.
#[derive(Debug, Clone, Serialize)]
pub struct OracleReport {
    pub installations: u64,
    /// Cells and rows the reader could not take (file, line, field), at most 100 listed.
    pub problems: Vec<String>,
    pub problem_count: usize,
    pub by_year: Vec<MatchRow>,
    pub by_period: Vec<MatchRow>,
    pub total: MatchRow,
    pub mismatches: Vec<MismatchRow>,
    pub letters_by_emissions: Vec<LetterStateRow>,
    /// Every installation-year with a published letter, when asked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub letters: Vec<LetterRow>,
}

/// The per-installation letters, for a comparison with another implementation.
#[derive(Debug, Clone, Serialize)]
pub struct LetterRow {
    pub account_id: String,
    pub year: i32,
    pub published: String,
    pub recomputed: String,
}

fn read(dir: &Path) -> Result<Panel> {
    eu_ets::read_panel(dir).map_err(|e| match e {
        PanelError::Io { .. } => AppError::BadInput(format!(
            "{e} (the folder must hold {}; see ../shared/data/PROVENANCE.md)",
            eu_ets::FILES.join(", ")
        )),
        other => AppError::BadInput(other.to_string()),
    })
}

fn row(span: String, registry: &Tally, figures: &Tally) -> MatchRow {
    MatchRow {
        span,
        letters: registry.letters,
        starred_letters: registry.starred_letters,
        match_pct: registry.rate(),
        unstarred_match_pct: registry.unstarred_rate(),
        starred_match_pct: registry.starred_rate(),
        figures_only_match_pct: figures.rate(),
    }
}

/// Recompute every letter of the panel and tally the match.
pub fn oracle(req: &OracleRequest) -> Result<OracleReport> {
    let panel = read(&req.data_dir)?;
    let (registry, figures) = summarise(&panel.installations);
    let by_year = registry
        .by_year
        .iter()
        .filter(|(_, t)| t.letters > 0)
        .map(|(y, t)| row(y.to_string(), t, &figures.span(*y, *y)))
        .collect();
    let by_period = lantian_carbon::scheme::EU_ETS
        .phases
        .iter()
        .map(|p| (p.first_year, p.last_year))
        .filter(|&(a, b)| registry.span(a, b).letters > 0)
        .map(|(a, b)| {
            row(
                format!("{a}–{b}"),
                &registry.span(a, b),
                &figures.span(a, b),
            )
        })
        .collect();
    let mut mismatches = Vec::new();
    for (rules, s) in [
        (OracleRules::Registry, &registry),
        (OracleRules::FiguresOnly, &figures),
    ] {
        for ((class, letter), count) in &s.mismatches {
            mismatches.push(MismatchRow {
                rules,
                class: *class,
                letter: letter.clone(),
                count: *count,
            });
        }
    }
    Ok(OracleReport {
        installations: registry.installations,
        problem_count: panel.problems.len(),
        problems: panel
            .problems
            .iter()
            .take(100)
            .map(|p| p.to_string())
            .collect(),
        by_year,
        by_period,
        total: row("all".into(), &registry.total(), &figures.total()),
        mismatches,
        letters_by_emissions: registry
            .letter_by_emissions
            .iter()
            .map(|((letter, emissions), count)| LetterStateRow {
                letter: letter.clone(),
                emissions,
                count: *count,
            })
            .collect(),
        letters: req
            .letters
            .map(|rules| letters(&panel.installations, rules))
            .unwrap_or_default(),
    })
}

fn summarise(installations: &[Installation]) -> (Summary, Summary) {
    let mut registry = Summary::default();
    let mut figures = Summary::default();
    for i in installations {
        registry.add(i, Rules::REGISTRY);
        figures.add(i, Rules::FIGURES_ONLY);
    }
    (registry, figures)
}

/// Every installation-year with a published letter, and the letter recomputed under `rules`.
fn letters(installations: &[Installation], rules: OracleRules) -> Vec<LetterRow> {
    let mut out = Vec::new();
    for i in installations {
        for r in eu_letters::recompute(i, rules.rules()) {
            if let Some(l) = r.published {
                out.push(LetterRow {
                    account_id: i.account_id.clone(),
                    year: r.year,
                    published: l.to_string(),
                    recomputed: format!("{:?}", r.recomputed),
                });
            }
        }
    }
    out
}
