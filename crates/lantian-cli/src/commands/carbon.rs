//! `lantian carbon`: the carbon market's books. `units`, `compliance` and `offsets` read a
//! market's books and registry listings; `oracle` recomputes the EU Transaction Log's
//! compliance letters from the panel's figures and reports the match per year, per trading
//! period and per class of mismatch (docs/carbon.md).

use crate::args::{OutFormat, cli_error};
use crate::table::print_rows;
use anyhow::Result;
use lantian_app::carbon::{
    self, BooksRequest, GreenRequest, MatchRow, OffsetsRequest, OracleReport, OracleRequest,
    OracleRules,
};
use lantian_carbon::green::Plan;
use lantian_carbon::{CoverageDecision, SchemeId};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct CarbonArgs {
    #[command(subcommand)]
    command: CarbonCommand,
}

#[derive(clap::Subcommand)]
enum CarbonCommand {
    /// Which units must join the market, by year: direct + indirect emissions against the
    /// scheme's threshold (Beijing: ≥ 10,000 t to 2015, ≥ 5,000 t from 2016).
    Units(BooksArgs),
    /// Each unit's books, year by year: surrendered (allowances and the offsets that count)
    /// against verified emissions, the balance carried, status, shortfall and penalty; and the
    /// market's totals per year.
    Compliance(BooksArgs),
    /// Registry credits (Verra, Gold Standard listings) checked for surrender in a scheme and
    /// year: eligible or not, with every reason.
    Offsets(OffsetsArgs),
    /// Purchased green electricity as emissions avoided: location-based (every MWh at the grid
    /// factor) and market-based (green at zero), per unit and for the city, and the city's
    /// progress against its green-electricity plan.
    Green(GreenArgs),
    /// Recompute the EU ETS compliance letters (A/B) of every installation-year from verified
    /// emissions and units surrendered, and compare with the letters the EUTL published.
    Oracle(OracleArgs),
}

#[derive(clap::Args)]
struct BooksArgs {
    /// The market: beijing, china-national or eu-ets.
    #[arg(long, default_value = "beijing", value_parser = scheme)]
    scheme: SchemeId,
    /// The books: unit,name,year,direct_t,indirect_t,emissions,free_allocation_t,auctioned_t,surrendered_t
    /// (emissions: tonnes, "Not Reported", "Excluded" or empty).
    #[arg(long)]
    books: PathBuf,
    /// Offsets surrendered: unit,year,kind,origin,vintage,project,tonnes (origin: in-region or
    /// the project's region).
    #[arg(long)]
    surrenders: Option<PathBuf>,
    /// Market price per tonne, for penalties that are a multiple of it.
    #[arg(long)]
    price: Option<f64>,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    format: OutFormat,
}

#[derive(clap::Args)]
struct OffsetsArgs {
    /// The market: beijing, china-national or eu-ets.
    #[arg(long, default_value = "beijing", value_parser = scheme)]
    scheme: SchemeId,
    /// The compliance year the credits would be surrendered for.
    #[arg(long)]
    year: i32,
    /// A folder of offset-registry listings (verra_*.csv, gold-standard_*.csv).
    #[arg(long, default_value = "../shared/data/carbon_offsets_samples")]
    listings: PathBuf,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    format: OutFormat,
}

#[derive(clap::Args)]
struct GreenArgs {
    /// Electricity use: unit,year,consumption_mwh,green_mwh.
    #[arg(long)]
    electricity: PathBuf,
    /// The grid whose dated emission factor applies.
    #[arg(long, default_value = "china-national")]
    grid: String,
    /// An emission factor (t CO2/MWh) for every year instead of the grid's table.
    #[arg(long)]
    factor: Option<f64>,
    /// The city's plan for green electricity bought a year: BASE_YEAR:BASE_MWH:TARGET_YEAR:TARGET_MWH.
    #[arg(long, value_parser = plan)]
    plan: Option<Plan>,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    format: OutFormat,
}

pub fn plan(s: &str) -> Result<Plan, String> {
    let parts: Vec<&str> = s.split(':').collect();
    let bad = || {
        format!(
            "'{s}': the form is BASE_YEAR:BASE_MWH:TARGET_YEAR:TARGET_MWH, e.g. 2022:1000000:2025:3000000"
        )
    };
    let [by, b, ty, t] = parts.as_slice() else {
        return Err(bad());
    };
    let plan = Plan {
        base_year: by.parse().map_err(|_| bad())?,
        base: b.parse().map_err(|_| bad())?,
        target_year: ty.parse().map_err(|_| bad())?,
        target: t.parse().map_err(|_| bad())?,
    };
    if plan.target_year <= plan.base_year || plan.target == plan.base {
        return Err(format!(
            "'{s}': the target year must follow the base year and the target differ from the base"
        ));
    }
    Ok(plan)
}

pub fn scheme(s: &str) -> Result<SchemeId, String> {
    SchemeId::parse(s)
        .ok_or_else(|| format!("'{s}' is not a scheme (beijing, china-national, eu-ets)"))
}

#[derive(clap::Args)]
struct OracleArgs {
    /// The EUTL panel's folder (installations.csv, verified_emissions.csv,
    /// allocated_allowances.csv, units_surrendered.csv, compliance_code.csv).
    #[arg(long, default_value = "../shared/data/carbon_eu_ets")]
    data: PathBuf,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    format: OutFormat,
    /// Also write every installation-year's published and recomputed letter to this CSV.
    #[arg(long, value_name = "FILE")]
    letters: Option<PathBuf>,
    /// The rules of the letters written with --letters.
    #[arg(long, value_enum, default_value_t = RulesArg::Registry)]
    rules: RulesArg,
}

#[derive(clap::ValueEnum, Clone, Copy)]
enum RulesArg {
    /// The rules found in the data.
    Registry,
    /// The figures alone, the star ignored.
    FiguresOnly,
}

pub fn run(a: &CarbonArgs) -> Result<()> {
    match &a.command {
        CarbonCommand::Oracle(o) => oracle(o),
        CarbonCommand::Units(b) => units(b),
        CarbonCommand::Compliance(b) => compliance(b),
        CarbonCommand::Offsets(o) => offsets(o),
        CarbonCommand::Green(g) => green(g),
    }
}

fn green(a: &GreenArgs) -> Result<()> {
    let req = GreenRequest {
        electricity: a.electricity.clone(),
        grid: a.grid.clone(),
        factor: a.factor,
        plan: a.plan,
    };
    let r = carbon::green(&req).map_err(cli_error)?;
    let out = &mut std::io::stdout().lock();
    if a.format == OutFormat::Json {
        writeln!(out, "{}", lantian_app::sorted_json(&r).map_err(cli_error)?)?;
        return Ok(());
    }
    let pct = |v: f64| {
        if v.is_nan() {
            "-".to_string()
        } else {
            format!("{v:.1}")
        }
    };
    let rows: Vec<Vec<String>> = r
        .rows
        .iter()
        .map(|g| {
            let s = &g.scope2;
            vec![
                g.unit.clone(),
                g.year.to_string(),
                num(s.consumption_mwh),
                num(s.green_counted_mwh),
                pct(s.green_share_pct),
                format!("{}", s.factor_t_per_mwh),
                num(s.location_based_t),
                num(s.market_based_t),
                num(s.avoided_t),
            ]
        })
        .collect();
    let header = [
        "unit",
        "year",
        "consumption_mwh",
        "green_mwh",
        "green %",
        "factor_t_per_mwh",
        "location_t",
        "market_t",
        "avoided_t",
    ];
    print_rows(&header, &rows, a.format, out)?;
    if a.format != OutFormat::Table {
        return Ok(());
    }
    writeln!(out, "\nThe city per year:")?;
    let years: Vec<Vec<String>> = r
        .years
        .iter()
        .map(|y| {
            let plan = y.plan.map_or(String::new(), |p| {
                format!(
                    "{:.1} % done, path {:.1} %{}",
                    p.done_pct,
                    p.path_pct,
                    if p.on_track { ", on track" } else { ", behind" }
                )
            });
            vec![
                y.year.to_string(),
                y.units.to_string(),
                num(y.consumption_mwh),
                num(y.green_counted_mwh),
                pct(y.green_share_pct),
                num(y.avoided_t),
                plan,
            ]
        })
        .collect();
    print_rows(
        &[
            "year",
            "units",
            "consumption_mwh",
            "green_mwh",
            "green %",
            "avoided_t",
            "plan",
        ],
        &years,
        a.format,
        out,
    )?;
    if let Some(first) = r.rows.first() {
        writeln!(out, "factor: {}", first.factor_source)?;
    }
    problems(&r.problems, out)
}

fn books_request(a: &BooksArgs) -> BooksRequest {
    BooksRequest {
        scheme: a.scheme,
        books: a.books.clone(),
        surrenders: a.surrenders.clone(),
        price_per_t: a.price,
    }
}

fn word<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn num(v: f64) -> String {
    // `+ 0.0` writes −0 as 0.
    if v.is_nan() {
        "-".into()
    } else {
        format!("{:.0}", v + 0.0)
    }
}

fn problems(list: &[String], out: &mut dyn Write) -> Result<()> {
    if !list.is_empty() {
        writeln!(out, "{} rows or cells not read:", list.len())?;
        for p in list {
            writeln!(out, "  {p}")?;
        }
    }
    Ok(())
}

fn units(a: &BooksArgs) -> Result<()> {
    let (rows, probs) = carbon::units(&books_request(a)).map_err(cli_error)?;
    let out = &mut std::io::stdout().lock();
    if a.format == OutFormat::Json {
        let v = serde_json::json!({ "units": rows, "problems": probs });
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(());
    }
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let (decision, counted, threshold) = match &r.decision {
                CoverageDecision::MustJoin {
                    counted_t,
                    threshold_t,
                    ..
                } => ("must join", *counted_t, *threshold_t),
                CoverageDecision::Below {
                    counted_t,
                    threshold_t,
                    ..
                } => ("below", *counted_t, *threshold_t),
                CoverageDecision::ByActivity {
                    counted_t,
                    threshold_t,
                } => ("by activity", *counted_t, *threshold_t),
                CoverageDecision::NoRule => ("no rule", f64::NAN, f64::NAN),
            };
            vec![
                r.unit.clone(),
                r.name.clone(),
                r.year.to_string(),
                num(counted),
                num(threshold),
                decision.into(),
            ]
        })
        .collect();
    print_rows(
        &[
            "unit",
            "name",
            "year",
            "counted_t",
            "threshold_t",
            "decision",
        ],
        &table,
        a.format,
        out,
    )?;
    if a.format == OutFormat::Table {
        problems(&probs, out)?;
    }
    Ok(())
}

fn compliance(a: &BooksArgs) -> Result<()> {
    let r = carbon::compliance(&books_request(a)).map_err(cli_error)?;
    let out = &mut std::io::stdout().lock();
    if a.format == OutFormat::Json {
        writeln!(out, "{}", lantian_app::sorted_json(&r).map_err(cli_error)?)?;
        return Ok(());
    }
    let rows: Vec<Vec<String>> = r
        .rows
        .iter()
        .map(|c| {
            let b = &c.books;
            let penalty = b.penalty.map_or(String::new(), |p| match (p.low, p.high) {
                (Some(l), Some(h)) if l == h => format!("{l:.0} {}", p.currency),
                (Some(l), Some(h)) => format!("{l:.0}–{h:.0} {}", p.currency),
                _ => format!("{:.0} t × price (no --price)", p.tonnes),
            });
            vec![
                c.unit.clone(),
                b.year.to_string(),
                b.emissions.to_string(),
                num(b.allocation_t),
                num(b.surrendered_t),
                num(b.offsets.counted_t),
                num(b.offsets.refused_t),
                num(b.carried_in_t),
                num(b.balance_t),
                word(&b.status),
                num(b.shortfall_t),
                penalty,
            ]
        })
        .collect();
    let header = [
        "unit",
        "year",
        "emissions",
        "allocation",
        "surrendered",
        "offsets",
        "offsets refused",
        "carried in",
        "balance",
        "status",
        "shortfall",
        "penalty",
    ];
    print_rows(&header, &rows, a.format, out)?;
    if a.format != OutFormat::Table {
        return Ok(());
    }
    writeln!(out, "\nThe market per year ({}):", word(&r.scheme))?;
    let years: Vec<Vec<String>> = r
        .years
        .iter()
        .map(|y| {
            vec![
                y.year.to_string(),
                y.units.to_string(),
                y.compliant.to_string(),
                y.shortfall.to_string(),
                y.not_reported.to_string(),
                if y.compliance_pct.is_nan() {
                    "-".into()
                } else {
                    format!("{:.1}", y.compliance_pct)
                },
                num(y.emissions_t),
                num(y.offsets_counted_t),
                num(y.shortfall_t),
            ]
        })
        .collect();
    let header = [
        "year",
        "units",
        "compliant",
        "short",
        "not reported",
        "compliance %",
        "emissions_t",
        "offsets_t",
        "shortfall_t",
    ];
    print_rows(&header, &years, a.format, out)?;
    for (unit, f) in &r.findings {
        writeln!(out, "  {unit}: {}", serde_json::to_string(f)?)?;
    }
    problems(&r.problems, out)
}

fn offsets(a: &OffsetsArgs) -> Result<()> {
    let req = OffsetsRequest {
        scheme: a.scheme,
        year: a.year,
        registry: a.listings.clone(),
    };
    let r = carbon::offsets(&req).map_err(cli_error)?;
    let out = &mut std::io::stdout().lock();
    if a.format == OutFormat::Json {
        writeln!(out, "{}", lantian_app::sorted_json(&r).map_err(cli_error)?)?;
        return Ok(());
    }
    let rows: Vec<Vec<String>> = r
        .batches
        .iter()
        .map(|b| {
            let reasons: Vec<String> = b
                .reasons
                .iter()
                .map(|x| {
                    serde_json::to_value(x)
                        .ok()
                        .and_then(|v| v["reason"].as_str().map(str::to_string))
                        .unwrap_or_default()
                })
                .collect();
            vec![
                b.batch.kind.id().to_string(),
                b.batch.project_id.clone(),
                b.batch.country.clone(),
                if b.batch.vintage_first == b.batch.vintage_last {
                    b.batch.vintage_first.to_string()
                } else {
                    format!("{}–{}", b.batch.vintage_first, b.batch.vintage_last)
                },
                num(b.batch.quantity),
                word(&b.batch.status),
                if b.eligible {
                    "yes".into()
                } else {
                    "no".into()
                },
                reasons.join(" "),
            ]
        })
        .collect();
    let header = [
        "registry", "project", "country", "vintage", "credits", "status", "eligible", "reasons",
    ];
    print_rows(&header, &rows, a.format, out)?;
    if a.format == OutFormat::Table {
        writeln!(
            out,
            "{} projects ({}); {} credits eligible in {} {}, {} not",
            r.projects,
            r.projects_by_country
                .iter()
                .take(5)
                .map(|(c, n)| format!("{c} {n}"))
                .collect::<Vec<_>>()
                .join(", "),
            num(r.eligible_t),
            word(&r.scheme),
            r.year,
            num(r.refused_t)
        )?;
        problems(&r.problems, out)?;
    }
    Ok(())
}

fn oracle(a: &OracleArgs) -> Result<()> {
    let rules = match a.rules {
        RulesArg::Registry => OracleRules::Registry,
        RulesArg::FiguresOnly => OracleRules::FiguresOnly,
    };
    let req = OracleRequest {
        data_dir: a.data.clone(),
        letters: a.letters.as_ref().map(|_| rules),
    };
    let report = carbon::oracle(&req).map_err(cli_error)?;
    if let Some(path) = &a.letters {
        let mut w =
            csv::Writer::from_path(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        w.write_record(["account_id", "year", "published", "recomputed"])?;
        for r in &report.letters {
            w.write_record([
                r.account_id.as_str(),
                &r.year.to_string(),
                &r.published,
                &r.recomputed,
            ])?;
        }
        w.flush()?;
    }
    let out = &mut std::io::stdout().lock();
    if a.format == OutFormat::Json {
        writeln!(
            out,
            "{}",
            lantian_app::sorted_json(&report).map_err(cli_error)?
        )?;
        return Ok(());
    }
    write_report(&report, a.format, out)
}

fn pct(v: f64) -> String {
    if v.is_nan() {
        "-".into()
    } else {
        format!("{v:.3}")
    }
}

fn match_rows(rows: &[&MatchRow]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| {
            vec![
                r.span.clone(),
                r.letters.to_string(),
                r.starred_letters.to_string(),
                pct(r.match_pct),
                pct(r.unstarred_match_pct),
                pct(r.starred_match_pct),
                pct(r.figures_only_match_pct),
            ]
        })
        .collect()
}

fn write_report(r: &OracleReport, format: OutFormat, out: &mut dyn Write) -> Result<()> {
    let header = [
        "span",
        "A/B letters",
        "starred",
        "match %",
        "unstarred %",
        "starred %",
        "figures only %",
    ];
    if format == OutFormat::Table {
        writeln!(
            out,
            "EU ETS compliance letters recomputed: {} installations, {} cells or rows not read",
            r.installations, r.problem_count
        )?;
        for p in &r.problems {
            writeln!(out, "  {p}")?;
        }
    }
    let mut rows: Vec<&MatchRow> = r.by_year.iter().collect();
    rows.extend(r.by_period.iter());
    rows.push(&r.total);
    print_rows(&header, &match_rows(&rows), format, out)?;
    if format == OutFormat::Table {
        writeln!(out, "\nMismatches by class:")?;
        let m: Vec<Vec<String>> = r
            .mismatches
            .iter()
            .map(|m| {
                vec![
                    serde_json::to_value(m.rules)
                        .map(|v| v.as_str().unwrap_or("").to_string())
                        .unwrap_or_default(),
                    serde_json::to_value(m.class)
                        .map(|v| v.as_str().unwrap_or("").to_string())
                        .unwrap_or_default(),
                    m.letter.clone(),
                    m.count.to_string(),
                ]
            })
            .collect();
        print_rows(&["rules", "class", "published", "count"], &m, format, out)?;
        writeln!(
            out,
            "\nPublished letters by the state of the year's emissions:"
        )?;
        let l: Vec<Vec<String>> = r
            .letters_by_emissions
            .iter()
            .map(|l| {
                vec![
                    l.letter.clone(),
                    l.emissions.to_string(),
                    l.count.to_string(),
                ]
            })
            .collect();
        print_rows(&["letter", "emissions", "count"], &l, format, out)?;
    }
    Ok(())
}
