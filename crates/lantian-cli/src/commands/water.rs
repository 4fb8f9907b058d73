//! `lantian water`: surface water by GB 3838—2002 and the 2011 assessment method. `assess`
//! classes every section over a period (and its months), grades rivers, basins, districts and
//! the network, and compares with a year earlier; `sections` lists the sections with what the
//! readings hold; `compensation` charges the boundary sections under a rule table;
//! `generate` writes Beijing's river network (or a national one) as a model (docs/water.md).

use crate::args::{OutFormat, cli_error};
use crate::table::print_rows;
use anyhow::{Context, Result};
use lantian_app::water::{self, WaterSources};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct WaterArgs {
    #[command(subcommand)]
    command: WaterCommand,
}

#[derive(clap::Subcommand)]
enum WaterCommand {
    /// Class every section over a period from its period means (months need three quarters of
    /// their automatic readings or a grab sample; longer periods two thirds of their months),
    /// with limiting items, exceedance multiples and main pollutants; the grades of every river,
    /// basin, district, province and the network; and the change from a year earlier.
    Assess(AssessArgs),
    /// The sections, their targets and boundaries, and how many readings each has.
    Sections(SourceArgs),
    /// What each district pays or receives for the water leaving it at boundary sections, per
    /// section, month and item, under a rule table (Beijing's 2014 scheme by default).
    Compensation(CompensationArgs),
    /// Write a model of Beijing's river network (sections on the real rivers, automatic
    /// readings every 4 hours, monthly grab samples), or a national network of automatic
    /// stations, deterministic from a seed.
    Generate(GenerateArgs),
}

#[derive(clap::Args)]
struct SourceArgs {
    /// The sections file: code,name_zh,name_en,body,province,basin,water,district,upstream,
    /// downstream,inflow_section,target,lat,lon. Without it every section in the readings is a
    /// river section without a target.
    #[arg(long)]
    sections: Option<PathBuf>,
    /// Reading files or folders: China's automatic-station layout, grab samples
    /// (section,time,item,value,unit[,flag]), NOAA SWMP, the Water Quality Portal; .gz allowed.
    #[arg(long = "readings", required = true, num_args = 1..)]
    readings: Vec<PathBuf>,
    /// Scheduled automatic readings a day (6 in China's network; 96 is taken for SWMP sondes).
    #[arg(long)]
    automatic_per_day: Option<u32>,
    /// Write every cell or row not read (file, line, field, why) to this file.
    #[arg(long, value_name = "FILE")]
    problems: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    format: OutFormat,
}

#[derive(clap::Args)]
struct AssessArgs {
    #[command(flatten)]
    src: SourceArgs,
    /// The period: a year (2024), half (2024-H1), quarter (2024-Q3) or month (2024-07).
    #[arg(long)]
    period: String,
    /// Also class each month of the period.
    #[arg(long)]
    months: bool,
    /// Write the classes (section,period,class) to this CSV.
    #[arg(long, value_name = "FILE")]
    classes_csv: Option<PathBuf>,
    /// Write the grades (level,name,period,sections,good,worse_than_v,grade) to this CSV.
    #[arg(long, value_name = "FILE")]
    grades_csv: Option<PathBuf>,
}

#[derive(clap::Args)]
struct CompensationArgs {
    #[command(flatten)]
    src: SourceArgs,
    #[arg(long)]
    period: String,
    /// A rule table in JSON (the shape of docs/water.md); Beijing's 2014 scheme by default.
    #[arg(long, value_name = "FILE")]
    rules: Option<PathBuf>,
}

#[derive(clap::Args)]
struct GenerateArgs {
    /// The folder to write (sections.csv, auto_<year>.csv, grab_<year>.csv).
    #[arg(long)]
    out: PathBuf,
    /// The years (Beijing: each year's automatic and grab files).
    #[arg(long, value_delimiter = ',', default_value = "2023,2024")]
    years: Vec<i32>,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Instead of Beijing: a national network of this many automatic stations, one file per
    /// province, for the first of --years.
    #[arg(long)]
    national: Option<usize>,
}

pub fn run(a: &WaterArgs) -> Result<()> {
    match &a.command {
        WaterCommand::Assess(x) => assess(x),
        WaterCommand::Sections(x) => sections(x),
        WaterCommand::Compensation(x) => compensation(x),
        WaterCommand::Generate(x) => generate(x),
    }
}

fn load(a: &SourceArgs) -> Result<water::WaterData> {
    let data = water::load(&WaterSources {
        sections: a.sections.clone(),
        readings: a.readings.clone(),
        automatic_per_day: a.automatic_per_day,
    })
    .map_err(cli_error)?;
    super::report_problems(
        &data.problems,
        &data.flagged,
        "values kept but flagged bad (impossible values), left out of every mean",
        a.problems.as_deref(),
    )?;
    Ok(data)
}

fn assess(a: &AssessArgs) -> Result<()> {
    let period = water::period(&a.period).map_err(cli_error)?;
    let data = load(&a.src)?;
    let r = water::assess(&data, period, a.months).map_err(cli_error)?;
    let classes =
        (a.classes_csv.is_some() || a.src.format == OutFormat::Csv).then(|| water::classes_csv(&r));
    if let (Some(p), Some(csv)) = (&a.classes_csv, &classes) {
        std::fs::write(p, csv).with_context(|| p.display().to_string())?;
    }
    if let Some(p) = &a.grades_csv {
        std::fs::write(p, water::grades_csv(&r)).with_context(|| p.display().to_string())?;
    }
    let out = &mut std::io::stdout().lock();
    match a.src.format {
        OutFormat::Json => {
            writeln!(out, "{}", lantian_app::sorted_json(&r).map_err(cli_error)?)?;
        }
        OutFormat::Csv => out.write_all(classes.as_deref().unwrap_or_default().as_bytes())?,
        OutFormat::Table => {
            let rows: Vec<Vec<String>> = r
                .sections
                .iter()
                .chain(&r.months)
                .map(|s| {
                    vec![
                        s.code.clone(),
                        s.name_zh.clone(),
                        s.water.clone(),
                        s.period.clone(),
                        s.class.clone().unwrap_or("-".into()),
                        s.target.clone().unwrap_or("-".into()),
                        match s.meets_target {
                            Some(true) => "yes".into(),
                            Some(false) => "no".into(),
                            None => "-".into(),
                        },
                        s.main_pollutants.join(" "),
                        s.previous_class.clone().unwrap_or("-".into()),
                        s.items_assessed.to_string(),
                        s.incomplete.join(" "),
                    ]
                })
                .collect();
            print_rows(
                &[
                    "section",
                    "name",
                    "water",
                    "period",
                    "class",
                    "target",
                    "meets",
                    "main pollutants",
                    "a year earlier",
                    "items",
                    "incomplete",
                ],
                &rows,
                OutFormat::Table,
                out,
            )?;
            writeln!(out)?;
            let grades: Vec<Vec<String>> = r
                .grades
                .iter()
                .filter(|g| g.level != "province" || g.sections >= 5)
                .map(|g| {
                    vec![
                        g.level.clone(),
                        g.name.clone(),
                        g.sections.to_string(),
                        format!("{:.1}", g.good_pct),
                        format!("{:.1}", g.worse_than_v_pct),
                        g.grade_zh.clone().unwrap_or("-".into()),
                    ]
                })
                .collect();
            print_rows(
                &["level", "name", "sections", "I–III %", "劣V %", "grade"],
                &grades,
                OutFormat::Table,
                out,
            )?;
            let counts = r.class_counts;
            writeln!(
                out,
                "\n{}: {} sections classed (I {}, II {}, III {}, IV {}, V {}, 劣V {})",
                r.period,
                counts.iter().sum::<usize>(),
                counts[0],
                counts[1],
                counts[2],
                counts[3],
                counts[4],
                counts[5]
            )?;
            if !r.main_pollutants.is_empty() {
                let mp: Vec<String> = r
                    .main_pollutants
                    .iter()
                    .map(|p| format!("{} {:.1} %", p.name_zh, p.rate_pct))
                    .collect();
                writeln!(
                    out,
                    "main pollutants (share of sections above III): {}",
                    mp.join(", ")
                )?;
            }
            if let Some(c) = &r.change {
                writeln!(
                    out,
                    "against {}: I–III {:.1} % → {:.1} %, 劣V {:.1} % → {:.1} % over {} sections: {} ({})",
                    c.previous_period,
                    c.previous_good_pct,
                    c.good_pct,
                    c.previous_worse_than_v_pct,
                    c.worse_than_v_pct,
                    c.sections,
                    c.change_zh,
                    c.change_en
                )?;
            }
            for n in &r.notes {
                writeln!(out, "note: {n}")?;
            }
        }
    }
    out.flush()?;
    // The command ends here: the process gives its memory back whole, faster than freeing the
    // readings' accumulators and tens of thousands of rows one by one.
    std::mem::forget(r);
    std::mem::forget(data);
    Ok(())
}

fn sections(a: &SourceArgs) -> Result<()> {
    let data = load(a)?;
    let rows = water::sections(&data);
    let out = &mut std::io::stdout().lock();
    if a.format == OutFormat::Json {
        writeln!(
            out,
            "{}",
            lantian_app::sorted_json(&rows).map_err(cli_error)?
        )?;
        return Ok(());
    }
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|s| {
            vec![
                s.code.clone(),
                s.name_zh.clone(),
                s.body.clone(),
                s.water.clone(),
                s.district.clone(),
                match (&s.upstream, &s.downstream) {
                    (Some(u), Some(d)) => format!("{u} → {d}"),
                    _ => "-".into(),
                },
                s.target.clone().unwrap_or("-".into()),
                s.readings.to_string(),
                s.years
                    .iter()
                    .map(|y| y.to_string())
                    .collect::<Vec<_>>()
                    .join(" "),
            ]
        })
        .collect();
    print_rows(
        &[
            "section", "name", "body", "water", "district", "boundary", "target", "readings",
            "years",
        ],
        &table,
        a.format,
        out,
    )
}

fn compensation(a: &CompensationArgs) -> Result<()> {
    let period = water::period(&a.period).map_err(cli_error)?;
    let table = water::rules(a.rules.as_deref()).map_err(cli_error)?;
    let data = load(&a.src)?;
    let r = water::compensation(&data, period, &table).map_err(cli_error)?;
    let out = &mut std::io::stdout().lock();
    if a.src.format == OutFormat::Json {
        writeln!(out, "{}", lantian_app::sorted_json(&r).map_err(cli_error)?)?;
        return Ok(());
    }
    let rows: Vec<Vec<String>> = r
        .charges
        .iter()
        .map(|c| {
            vec![
                c.section.clone(),
                c.name_zh.clone(),
                c.month.clone(),
                format!("{} → {}", c.upstream, c.receiver),
                c.item.clone(),
                c.target.clone(),
                c.inflow_class.clone().unwrap_or("-".into()),
                c.outflow_class.clone(),
                c.rule.clone(),
                c.classes.to_string(),
                format!("{:.0}", c.amount_cny),
            ]
        })
        .collect();
    print_rows(
        &[
            "section",
            "name",
            "month",
            "pays → receives",
            "item",
            "target",
            "inflow",
            "outflow",
            "rule",
            "classes",
            "CNY",
        ],
        &rows,
        a.src.format,
        out,
    )?;
    if a.src.format == OutFormat::Table {
        writeln!(
            out,
            "\n{} ({}): {} boundary sections, {} section-months, total CNY {:.0}",
            r.rules, r.period, r.boundary_sections, r.section_months, r.total_cny
        )?;
        for b in &r.balances {
            writeln!(out, "  {:<8} {:>14.0}", b.district, b.balance_cny)?;
        }
        if !r.unjudged.is_empty() {
            writeln!(
                out,
                "{} section-month items could not be judged (no complete mean or no class), e.g. {} {} {}: {}",
                r.unjudged.len(),
                r.unjudged[0].section,
                r.unjudged[0].month,
                r.unjudged[0].item,
                r.unjudged[0].why
            )?;
        }
        if !r.without_target.is_empty() {
            writeln!(
                out,
                "boundary sections without a target class, not charged: {}",
                r.without_target.join(", ")
            )?;
        }
        for u in &r.unconfirmed {
            writeln!(out, "UNCONFIRMED: {u}")?;
        }
    }
    Ok(())
}

fn generate(a: &GenerateArgs) -> Result<()> {
    let s = match a.national {
        Some(n) => {
            let year = *a.years.first().context("--years is empty")?;
            lantian_synth::water::generate_national(&a.out, n, year, a.seed)?
        }
        None => lantian_synth::water::generate_beijing(&a.out, &a.years, a.seed)?,
    };
    println!(
        "{}: {} sections, {} automatic rows, {} grab rows, {} files (a model, not data: docs/water.md)",
        a.out.display(),
        s.sections,
        s.auto_rows,
        s.grab_rows,
        s.files.len()
    );
    Ok(())
}
