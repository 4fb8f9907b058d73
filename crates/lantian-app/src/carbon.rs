//! The carbon market's use cases: coverage, compliance and offsets of a market's books, the
//! eligibility of registry credits, and the EU ETS compliance-letter oracle.
//!
//! The EUTL panel (`../shared/data/carbon_eu_ets`) is read whole ([`lantian_ingest::eu_ets`]),
//! every installation's letters are recomputed from its figures
//! ([`lantian_carbon::eu_letters`]) under the rules found in the data and under the figures
//! alone, and the match is tallied per year, per trading period and per class of mismatch.

use crate::{AppError, Result};
use lantian_carbon::books::Options;
use lantian_carbon::eu_letters::{self, Installation, Mismatch, Rules, Summary, Tally};
use lantian_carbon::green::{self, Plan, PlanProgress, Scope2, grid_factor};
use lantian_carbon::{
    Compliance, ComplianceStatus, Coverage, CoverageDecision, CreditBatch, Finding, Refusal,
    SchemeId, comply, eligibility, must_join,
};
use lantian_ingest::carbon_books::{self, Books};
use lantian_ingest::eu_ets::{self, Panel, PanelError};
use lantian_ingest::offset_registry;
use serde::Serialize;
use std::collections::BTreeMap;
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

// ---- The books of a market: coverage, compliance, offsets ----

/// A market's books to read: the unit-year CSV and, optionally, the offsets surrendered.
#[derive(Debug, Clone)]
pub struct BooksRequest {
    pub scheme: SchemeId,
    pub books: PathBuf,
    pub surrenders: Option<PathBuf>,
    /// Market price per tonne, for penalties that are a multiple of it.
    pub price_per_t: Option<f64>,
}

fn read_books(req: &BooksRequest) -> Result<Books> {
    let text = |p: &Path| {
        std::fs::read_to_string(p).map_err(|e| AppError::BadInput(format!("{}: {e}", p.display())))
    };
    let name = |p: &Path| {
        p.file_name().map_or_else(
            || p.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    };
    let mut books = carbon_books::parse_books(&name(&req.books), &text(&req.books)?)
        .map_err(AppError::BadInput)?;
    if let Some(s) = &req.surrenders {
        carbon_books::parse_surrenders(&name(s), &text(s)?, &mut books)
            .map_err(AppError::BadInput)?;
    }
    Ok(books)
}

/// One unit-year under the coverage rule.
#[derive(Debug, Clone, Serialize)]
pub struct UnitRow {
    pub unit: String,
    pub name: String,
    pub year: i32,
    pub decision: CoverageDecision,
}

/// Which units must join the market, year by year (units without direct and indirect
/// emissions for a year are not judged).
pub fn units(req: &BooksRequest) -> Result<(Vec<UnitRow>, Vec<String>)> {
    let books = read_books(req)?;
    let scheme = req.scheme.scheme();
    let mut rows = Vec::new();
    for (unit, b) in &books.units {
        for (&year, &(direct_t, indirect_t)) in &b.coverage {
            rows.push(UnitRow {
                unit: unit.clone(),
                name: b.name.clone(),
                year,
                decision: must_join(
                    scheme,
                    year,
                    Coverage {
                        direct_t,
                        indirect_t,
                    },
                ),
            });
        }
    }
    Ok((rows, books.problems.iter().map(|p| p.to_string()).collect()))
}

/// One unit's books for one year.
#[derive(Debug, Clone, Serialize)]
pub struct ComplianceRow {
    pub unit: String,
    pub name: String,
    #[serde(flatten)]
    pub books: Compliance,
}

/// The market's figures for a year (the climate section of the bulletin).
#[derive(Debug, Clone, Default, Serialize)]
pub struct MarketYear {
    pub year: i32,
    /// Units with books for the year.
    pub units: u64,
    /// Units with verified emissions.
    pub verified: u64,
    pub compliant: u64,
    pub shortfall: u64,
    pub not_reported: u64,
    /// Compliant among the verified, in percent.
    pub compliance_pct: f64,
    pub emissions_t: f64,
    pub allocation_t: f64,
    pub offsets_counted_t: f64,
    pub offsets_refused_t: f64,
    pub shortfall_t: f64,
}

/// The books of every unit, with findings and the rows that could not be read.
#[derive(Debug, Clone, Serialize)]
pub struct ComplianceReport {
    pub scheme: SchemeId,
    pub rows: Vec<ComplianceRow>,
    pub years: Vec<MarketYear>,
    pub findings: Vec<(String, Finding)>,
    pub problems: Vec<String>,
}

/// Compliance of every unit, year by year, and the market's totals per year.
pub fn compliance(req: &BooksRequest) -> Result<ComplianceReport> {
    let books = read_books(req)?;
    let scheme = req.scheme.scheme();
    let options = Options {
        price_per_t: req.price_per_t,
        ..Options::default()
    };
    let mut rows = Vec::new();
    let mut findings = Vec::new();
    let mut years: BTreeMap<i32, MarketYear> = BTreeMap::new();
    for (unit, b) in &books.units {
        let (book, found) = comply(scheme, &b.years, options)
            .map_err(|e| AppError::BadInput(format!("unit {unit}: {e}")))?;
        findings.extend(found.into_iter().map(|f| (unit.clone(), f)));
        for c in book {
            let y = years.entry(c.year).or_insert_with(|| MarketYear {
                year: c.year,
                ..MarketYear::default()
            });
            y.units += 1;
            match c.status {
                ComplianceStatus::Compliant => y.compliant += 1,
                ComplianceStatus::Shortfall => y.shortfall += 1,
                ComplianceStatus::NotReported => y.not_reported += 1,
                ComplianceStatus::Excluded | ComplianceStatus::NotInSystem => {}
            }
            if let Some(t) = c.emissions.tonnes() {
                y.verified += 1;
                y.emissions_t += t;
            }
            y.allocation_t += c.allocation_t;
            y.offsets_counted_t += c.offsets.counted_t;
            y.offsets_refused_t += c.offsets.refused_t;
            y.shortfall_t += c.shortfall_t;
            rows.push(ComplianceRow {
                unit: unit.clone(),
                name: b.name.clone(),
                books: c,
            });
        }
    }
    let years = years
        .into_values()
        .map(|mut y| {
            y.compliance_pct = if y.verified == 0 {
                f64::NAN
            } else {
                100.0 * y.compliant as f64 / y.verified as f64
            };
            y
        })
        .collect();
    Ok(ComplianceReport {
        scheme: req.scheme,
        rows,
        years,
        findings,
        problems: books.problems.iter().map(|p| p.to_string()).collect(),
    })
}

/// Registry credits checked for use in a scheme.
#[derive(Debug, Clone)]
pub struct OffsetsRequest {
    pub scheme: SchemeId,
    pub year: i32,
    pub registry: PathBuf,
}

/// One batch of credits and whether it could be surrendered.
#[derive(Debug, Clone, Serialize)]
pub struct BatchRow {
    #[serde(flatten)]
    pub batch: CreditBatch,
    pub eligible: bool,
    pub reasons: Vec<Refusal>,
}

/// The registry's credits under a scheme's rules.
#[derive(Debug, Clone, Serialize)]
pub struct OffsetsReport {
    pub scheme: SchemeId,
    pub year: i32,
    pub files: Vec<(String, usize)>,
    pub projects: u64,
    /// Projects by country, most first.
    pub projects_by_country: Vec<(String, u64)>,
    pub batches: Vec<BatchRow>,
    pub eligible_t: f64,
    pub refused_t: f64,
    pub problems: Vec<String>,
}

/// Which registry credits a unit could surrender in `scheme` for `year`, and why not.
pub fn offsets(req: &OffsetsRequest) -> Result<OffsetsReport> {
    let listing = offset_registry::read_listing(&req.registry).map_err(AppError::BadInput)?;
    let scheme = req.scheme.scheme();
    let mut by_country: BTreeMap<String, u64> = BTreeMap::new();
    for p in &listing.projects {
        *by_country.entry(p.country.clone()).or_default() += 1;
    }
    let mut projects_by_country: Vec<(String, u64)> = by_country.into_iter().collect();
    projects_by_country.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let batches: Vec<BatchRow> = listing
        .batches
        .into_iter()
        .map(|batch| {
            let reasons = eligibility(scheme, req.year, &batch);
            BatchRow {
                eligible: reasons.is_empty(),
                reasons,
                batch,
            }
        })
        .collect();
    // `+ 0.0`: an empty sum of f64 is −0.0.
    let sum = |eligible: bool| {
        batches
            .iter()
            .filter(|b| b.eligible == eligible)
            .map(|b| b.batch.quantity)
            .sum::<f64>()
            + 0.0
    };
    Ok(OffsetsReport {
        scheme: req.scheme,
        year: req.year,
        files: listing.files,
        projects: listing.projects.len() as u64,
        projects_by_country,
        eligible_t: sum(true),
        refused_t: sum(false),
        batches,
        problems: listing.problems.iter().map(|p| p.to_string()).collect(),
    })
}

// ---- Green electricity ----

/// Electricity use and green purchases to count, with the grid factor and an optional plan.
#[derive(Debug, Clone)]
pub struct GreenRequest {
    pub electricity: PathBuf,
    /// The grid whose dated factor applies (`china-national`), unless `factor` is given.
    pub grid: String,
    /// A factor in t CO2/MWh for every year, replacing the table.
    pub factor: Option<f64>,
    /// The city's plan for green electricity bought a year (MWh).
    pub plan: Option<Plan>,
}

/// One unit-year counted both ways.
#[derive(Debug, Clone, Serialize)]
pub struct GreenRow {
    pub unit: String,
    pub year: i32,
    #[serde(flatten)]
    pub scope2: Scope2,
    /// Where the factor comes from.
    pub factor_source: String,
}

/// The city's year: every unit summed, and its progress against the plan.
#[derive(Debug, Clone, Serialize)]
pub struct GreenYear {
    pub year: i32,
    pub units: u64,
    pub consumption_mwh: f64,
    pub green_counted_mwh: f64,
    pub location_based_t: f64,
    pub market_based_t: f64,
    pub avoided_t: f64,
    pub green_share_pct: f64,
    pub plan: Option<PlanProgress>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GreenReport {
    pub rows: Vec<GreenRow>,
    pub years: Vec<GreenYear>,
    pub problems: Vec<String>,
}

/// Purchased green electricity as emissions avoided, per unit and for the city.
pub fn green(req: &GreenRequest) -> Result<GreenReport> {
    let p = &req.electricity;
    let text = std::fs::read_to_string(p)
        .map_err(|e| AppError::BadInput(format!("{}: {e}", p.display())))?;
    let name = p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let (units, problems) =
        carbon_books::parse_electricity(&name, &text).map_err(AppError::BadInput)?;
    let mut rows = Vec::new();
    for u in units {
        let (factor, source) = match req.factor {
            Some(f) => (f, "given".to_string()),
            None => {
                let f = grid_factor(&req.grid, u.year).ok_or_else(|| {
                    AppError::bad(
                        "grid",
                        &req.grid,
                        format!("no emission factor for {} (give one with factor)", u.year),
                    )
                })?;
                (f.t_per_mwh, format!("{} {} ({})", f.grid, f.year, f.source))
            }
        };
        let scope2 = green::scope2(u.consumption_mwh, u.green_mwh, factor)
            .map_err(|e| AppError::bad("factor", factor, e))?;
        rows.push(GreenRow {
            unit: u.unit,
            year: u.year,
            scope2,
            factor_source: source,
        });
    }
    let mut by_year: BTreeMap<i32, Vec<&GreenRow>> = BTreeMap::new();
    for r in &rows {
        by_year.entry(r.year).or_default().push(r);
    }
    let years = by_year
        .into_iter()
        .map(|(year, rs)| {
            let sum = |f: fn(&Scope2) -> f64| rs.iter().map(|r| f(&r.scope2)).sum::<f64>() + 0.0;
            let consumption = sum(|s| s.consumption_mwh);
            let green = sum(|s| s.green_counted_mwh);
            GreenYear {
                year,
                units: rs.len() as u64,
                consumption_mwh: consumption,
                green_counted_mwh: green,
                location_based_t: sum(|s| s.location_based_t),
                market_based_t: sum(|s| s.market_based_t),
                avoided_t: sum(|s| s.avoided_t),
                green_share_pct: if consumption > 0.0 {
                    100.0 * green / consumption
                } else {
                    f64::NAN
                },
                plan: req
                    .plan
                    .and_then(|plan| green::progress(&plan, year, green)),
            }
        })
        .collect();
    Ok(GreenReport {
        rows,
        years,
        problems: problems.iter().map(|p| p.to_string()).collect(),
    })
}

// ---- The bulletin's climate section ----

/// The files behind a bulletin's climate section.
#[derive(Debug, Clone, PartialEq)]
pub struct ClimateSources {
    pub scheme: SchemeId,
    pub books: PathBuf,
    pub surrenders: Option<PathBuf>,
    /// Electricity use and green purchases (the national grid factor applies).
    pub electricity: Option<PathBuf>,
    /// The city's green-electricity plan (MWh bought a year).
    pub plan: Option<Plan>,
}

/// The climate section's figures for `year`: the market's year from the books, and green
/// electricity when given. Rows the readers could not take fail the section: a bulletin does
/// not publish figures from books read in part.
pub fn climate_figures(
    src: &ClimateSources,
    year: i32,
) -> Result<lantian_report::climate::ClimateFigures> {
    use lantian_report::climate::{ClimateFigures, GreenFigures};
    let books = BooksRequest {
        scheme: src.scheme,
        books: src.books.clone(),
        surrenders: src.surrenders.clone(),
        price_per_t: None,
    };
    let c = compliance(&books)?;
    if let Some(p) = c.problems.first() {
        return Err(AppError::BadInput(format!(
            "the climate section needs every row of the books ({} not read, the first: {p})",
            c.problems.len()
        )));
    }
    let m = c.years.iter().find(|y| y.year == year).ok_or_else(|| {
        AppError::BadInput(format!(
            "{}: no unit has books for {year}",
            src.books.display()
        ))
    })?;
    let green = match &src.electricity {
        Some(e) => {
            let g = green(&GreenRequest {
                electricity: e.clone(),
                grid: "china-national".into(),
                factor: None,
                plan: src.plan,
            })?;
            if let Some(p) = g.problems.first() {
                return Err(AppError::BadInput(format!(
                    "the climate section needs every row of the electricity file ({} not read, the first: {p})",
                    g.problems.len()
                )));
            }
            let y = g.years.iter().find(|y| y.year == year).ok_or_else(|| {
                AppError::BadInput(format!("{}: no electricity for {year}", e.display()))
            })?;
            let factor = g.rows.iter().find(|r| r.year == year).map(|r| {
                format!(
                    "{} t CO2/MWh, {}",
                    r.scope2.factor_t_per_mwh, r.factor_source
                )
            });
            Some(GreenFigures {
                consumption_mwh: y.consumption_mwh,
                green_mwh: y.green_counted_mwh,
                green_share_pct: (!y.green_share_pct.is_nan()).then_some(y.green_share_pct),
                location_based_t: y.location_based_t,
                market_based_t: y.market_based_t,
                avoided_t: y.avoided_t,
                factor: factor.unwrap_or_default(),
                plan_done_pct: y.plan.map(|p| p.done_pct),
                plan_path_pct: y.plan.map(|p| p.path_pct),
            })
        }
        None => None,
    };
    let scheme = src.scheme.scheme();
    let mut unconfirmed = Vec::new();
    let rule = |c: lantian_carbon::Confirmation| c == lantian_carbon::Confirmation::Unconfirmed;
    if scheme
        .coverage_rule(year)
        .is_some_and(|r| rule(r.confirmation))
    {
        unconfirmed.push("coverage threshold".to_string());
    }
    if scheme
        .offset_rule(year)
        .is_some_and(|r| rule(r.confirmation))
    {
        unconfirmed.push("offset caps".to_string());
    }
    if scheme.phase(year).is_some_and(|p| rule(p.confirmation)) {
        unconfirmed.push("carry of a shortfall into the next year".to_string());
    }
    if green.is_some()
        && lantian_carbon::green::grid_factor("china-national", year)
            .is_some_and(|f| rule(f.confirmation))
    {
        unconfirmed.push("grid emission factor".to_string());
    }
    Ok(ClimateFigures {
        market_zh: scheme.name_zh.to_string(),
        market_en: scheme.name.to_string(),
        year,
        units: m.units,
        verified: m.verified,
        compliant: m.compliant,
        shortfall: m.shortfall,
        not_reported: m.not_reported,
        compliance_pct: (!m.compliance_pct.is_nan()).then_some(m.compliance_pct),
        emissions_t: m.emissions_t,
        offsets_counted_t: m.offsets_counted_t,
        offsets_refused_t: m.offsets_refused_t,
        shortfall_t: m.shortfall_t,
        green,
        unconfirmed,
    })
}
