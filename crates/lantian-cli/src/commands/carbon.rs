//! `lantian carbon`: the carbon market's books. `oracle` recomputes the EU Transaction Log's
//! compliance letters from the panel's figures and reports the match per year, per trading
//! period and per class of mismatch (docs/carbon.md).

use crate::args::{OutFormat, cli_error};
use crate::table::print_rows;
use anyhow::Result;
use lantian_app::carbon::{self, MatchRow, OracleReport, OracleRequest, OracleRules};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct CarbonArgs {
    #[command(subcommand)]
    command: CarbonCommand,
}

#[derive(clap::Subcommand)]
enum CarbonCommand {
    /// Recompute the EU ETS compliance letters (A/B) of every installation-year from verified
    /// emissions and units surrendered, and compare with the letters the EUTL published.
    Oracle(OracleArgs),
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
    }
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
