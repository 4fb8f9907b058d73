//! `lantian soil`: soil screening by GB 15618—2018 and GB 36600—2018. `screen` gives each
//! sample's verdict and the shares by category (samples, and plots' areas) with their
//! completeness, and the exceedances per item and group; `coverage` says which of the city's
//! classes the network covers; `surface` interpolates one item (variogram, cross-validation,
//! grid, the share of the area above a threshold); `list` keeps the risk-control and
//! restoration list in the store; `generate` writes Beijing's soil network as a model
//! (docs/soil.md).

use crate::args::{OutFormat, cli_error, words};
use crate::table::print_rows;
use anyhow::{Context, Result};
use lantian_app::soil::{
    self, AreaShares, Event, GridSize, GroupBy, LandClass, ListInput, SoilData, SoilSources,
    Status, SurfaceMethod, SurfaceRequest, VariogramModel,
};
use lantian_store::Store;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct SoilArgs {
    #[command(subcommand)]
    command: SoilCommand,
}

#[derive(clap::Subcommand)]
enum SoilCommand {
    /// Screen every sample by the standard of its land: agricultural land by GB 15618—2018 (by
    /// pH band), construction land by GB 36600—2018. Each sample's category or risk, Pi,
    /// Nemerow index and exceedances; samples (and plots' areas) per category with their
    /// completeness; exceedances per item, and per group with --group-by.
    Screen(ScreenArgs),
    /// Which of the city's land uses, soil types, topographies and districts have a point, and
    /// the cross matrix of two of them with its empty cells.
    Coverage(CoverageArgs),
    /// Interpolate one item over the samples (ordinary kriging or inverse distance): the
    /// variogram, leave-one-out errors, a grid, and the share of the samples' convex hull above
    /// a threshold.
    Surface(SurfaceArgs),
    /// The risk-control and restoration list of construction land, kept in the store as its
    /// history of events: record events, the list on a date, what changed, a plot's history.
    List(ListArgs),
    /// Write a model of Beijing's soil monitoring network (samples, points, plots, list events,
    /// the city's classes), deterministic from a seed.
    Generate(GenerateArgs),
}

#[derive(clap::Args)]
struct SourceArgs {
    /// Sample files or folders: the CUMCM 2011 A, Hunan, Jura and Meuse sets, or the long CSV
    /// point,date,depth,item,value,unit,flag[,dl] with its points.csv beside it; .gz allowed.
    #[arg(long = "samples", required = true, num_args = 1..)]
    samples: Vec<PathBuf>,
    /// Screen every sample as this land class, in place of its set's (e.g. a set without
    /// classes, or CUMCM screened as farmland for reference).
    #[arg(long, value_parser = words::<LandClass>(soil::LAND_CLASS_NAMES))]
    land_class: Option<LandClass>,
    /// The local soil background of arsenic, mg/kg (GB 36600 Table 1 note ①).
    #[arg(long, value_name = "MG_KG")]
    arsenic_background: Option<f64>,
    /// Write every cell or row not read (file, line, field, why) to this file.
    #[arg(long, value_name = "FILE")]
    problems: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    format: OutFormat,
}

#[derive(clap::Args)]
struct ScreenArgs {
    #[command(flatten)]
    src: SourceArgs,
    /// plots.csv (plot,name,area_m2,district,land_class,planned_use): shares by area, a plot
    /// taking its worst sample's level.
    #[arg(long, value_name = "FILE")]
    plots: Option<PathBuf>,
    /// Count samples and exceedances per group of this field.
    #[arg(long, value_parser = words::<GroupBy>(GroupBy::NAMES))]
    group_by: Option<GroupBy>,
    /// Write the exceedances per group and item to this CSV.
    #[arg(long, value_name = "FILE")]
    items_csv: Option<PathBuf>,
}

#[derive(clap::Args)]
struct CoverageArgs {
    /// The network's points: points.csv, or sample files or folders.
    #[arg(long = "points", required = true, num_args = 1..)]
    points: Vec<PathBuf>,
    /// The city's classes: dimension,class[,share].
    #[arg(long, value_name = "FILE")]
    classes: PathBuf,
    /// The combinations that exist: row_dimension,row_class,col_dimension,col_class. Without
    /// it every combination of the matrix is taken to exist.
    #[arg(long, value_name = "FILE")]
    combinations: Option<PathBuf>,
    /// The matrix's rows and columns.
    #[arg(long, default_value = "land_use")]
    rows: String,
    #[arg(long, default_value = "soil_type")]
    cols: String,
    #[arg(long, value_name = "FILE")]
    problems: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    format: OutFormat,
}

#[derive(clap::Args)]
struct SurfaceArgs {
    #[command(flatten)]
    src: SourceArgs,
    /// The item (Zn, Cd, Pb …; a CAS number for organics).
    #[arg(long)]
    item: String,
    #[arg(long, default_value = "kriging", value_parser = words::<SurfaceMethod>(SurfaceMethod::NAMES))]
    method: SurfaceMethod,
    /// The variogram model fitted.
    #[arg(long, default_value = "spherical", value_parser = variogram_model)]
    model: VariogramModel,
    /// Nodes along x and y over the samples' extent.
    #[arg(long, default_value = "100x100", value_parser = grid_size)]
    grid: GridSize,
    /// mg/kg. Default: the item's screening value, when every sample has the same one (one
    /// land class and, for GB 15618, one pH band).
    #[arg(long, value_name = "MG_KG")]
    threshold: Option<f64>,
    /// Write the grid (x,y,estimate,variance) to this CSV.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
}

fn variogram_model(s: &str) -> Result<VariogramModel, String> {
    soil::variogram_model(s).map_err(|e| e.to_string())
}

fn grid_size(s: &str) -> Result<GridSize, String> {
    s.parse::<GridSize>().map_err(|e| match e {
        lantian_app::AppError::BadParameter { reason, .. } => reason,
        e => e.to_string(),
    })
}

#[derive(clap::Args)]
struct ListArgs {
    #[command(subcommand)]
    command: ListCommand,
}

#[derive(clap::Subcommand)]
enum ListCommand {
    /// Record events (a list-events file, or one event) after checking them against the whole
    /// stored history: one refused event refuses the batch, and nothing is written.
    Record(RecordArgs),
    /// The plots on the list at the end of a date, with their status.
    AsOf(AsOfArgs),
    /// What changed after one date up to another: plots listed, moved on, removed.
    Changes(ChangesArgs),
    /// A plot's events (every plot's without --plot), in the order recorded.
    History(HistoryArgs),
}

#[derive(clap::Args)]
struct RecordArgs {
    /// list_events.csv: plot,date,status,by,reason,evidence (documents separated by ;).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["plot", "date", "status", "by", "reason", "evidence"])]
    events: Option<PathBuf>,
    /// One event: the plot, its date, the status it moves to, who, why, and the evidence.
    #[arg(long, requires_all = ["date", "status", "by", "reason", "evidence"])]
    plot: Option<String>,
    #[arg(long)]
    date: Option<chrono::NaiveDate>,
    /// listed, under_control, under_remediation, effect_evaluated or removed (or the Chinese
    /// name: 列入名录, 风险管控中, 修复中, 效果评估完成, 移出名录).
    #[arg(long, value_parser = status)]
    status: Option<Status>,
    #[arg(long)]
    by: Option<String>,
    #[arg(long)]
    reason: Option<String>,
    /// A document the change rests on (repeatable).
    #[arg(long)]
    evidence: Vec<String>,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    format: OutFormat,
}

fn status(s: &str) -> Result<Status, String> {
    Status::parse(s).ok_or_else(|| {
        let codes: Vec<&str> = Status::ALL.iter().map(|s| s.code()).collect();
        format!("not a status of the list ({})", codes.join(", "))
    })
}

#[derive(clap::Args)]
struct AsOfArgs {
    #[arg(long)]
    date: chrono::NaiveDate,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    format: OutFormat,
}

#[derive(clap::Args)]
struct ChangesArgs {
    /// Changes after this date…
    #[arg(long)]
    from: chrono::NaiveDate,
    /// …up to this one (inclusive).
    #[arg(long)]
    to: chrono::NaiveDate,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    format: OutFormat,
}

#[derive(clap::Args)]
struct HistoryArgs {
    #[arg(long)]
    plot: Option<String>,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    format: OutFormat,
}

#[derive(clap::Args)]
struct GenerateArgs {
    /// The folder to write (samples, points.csv, plots.csv, list_events.csv, classes.csv,
    /// combinations.csv).
    #[arg(long)]
    out: PathBuf,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The survey year.
    #[arg(long, default_value_t = 2024)]
    year: i32,
}

pub async fn run(store: &Path, a: &SoilArgs) -> Result<()> {
    match &a.command {
        SoilCommand::Screen(x) => screen(x),
        SoilCommand::Coverage(x) => coverage(x),
        SoilCommand::Surface(x) => surface(x),
        SoilCommand::List(x) => list(store, x).await,
        SoilCommand::Generate(x) => generate(x),
    }
}

/// Read the sources, write and summarise their problems as `lantian water` does.
fn load(src: &SoilSources, problems: Option<&Path>) -> Result<SoilData> {
    let data = soil::load(src).map_err(cli_error)?;
    super::report_problems(
        &data.problems,
        &data.flagged,
        "values kept with a note (e.g. a land use the set's table does not class)",
        problems,
    )?;
    Ok(data)
}

fn sources(a: &SourceArgs) -> SoilSources {
    SoilSources {
        samples: a.samples.clone(),
        land_class: a.land_class,
        arsenic_background: a.arsenic_background,
        ..SoilSources::default()
    }
}

fn pct(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("{:.1}", 100.0 * v))
}

fn dash(v: &Option<String>) -> String {
    v.clone().unwrap_or("-".into())
}

/// A verdict in a cell: the level, or the range it lies in.
fn verdict_cell(level: &Option<String>, best: &Option<String>, worst: &Option<String>) -> String {
    match (level, best, worst) {
        (Some(l), _, _) => l.clone(),
        (None, Some(b), Some(w)) => format!("{b} .. {w}"),
        _ => "-".into(),
    }
}

fn screen(a: &ScreenArgs) -> Result<()> {
    let mut src = sources(&a.src);
    src.plots = a.plots.clone();
    let data = load(&src, a.src.problems.as_deref())?;
    let r = soil::screen(&data, a.group_by).map_err(cli_error)?;
    if let Some(p) = &a.items_csv {
        std::fs::write(p, soil::items_csv(&r)).with_context(|| p.display().to_string())?;
    }
    let out = &mut std::io::stdout().lock();
    match a.src.format {
        OutFormat::Json => writeln!(out, "{}", lantian_app::sorted_json(&r).map_err(cli_error)?)?,
        OutFormat::Csv => out.write_all(soil::samples_csv(&r).as_bytes())?,
        OutFormat::Table => screen_table(&r, out)?,
    }
    Ok(())
}

fn screen_table(r: &soil::SoilScreening, out: &mut dyn Write) -> Result<()> {
    // Every sample is in --format csv/json; a person is shown those that need a look.
    let rows: Vec<Vec<String>> = r
        .samples
        .iter()
        .filter(|s| !s.above_screening.is_empty() || s.level.is_none() || !s.unread.is_empty())
        .map(|s| {
            vec![
                s.sample.clone(),
                s.land_class.map_or("-".into(), |c| c.code().into()),
                s.ph.map_or("-".into(), |p| p.to_string()),
                verdict_cell(&s.level, &s.best, &s.worst),
                s.nemerow.map_or("-".into(), |p| {
                    format!("{}{p:.2}", if s.nemerow_upper_bound { "≤" } else { "" })
                }),
                s.above_screening.join(" "),
                s.above_upper.join(" "),
                s.reason.clone().unwrap_or_default(),
                s.unread.len().to_string(),
            ]
        })
        .collect();
    writeln!(
        out,
        "{} samples; {} above a screening value, without a single level, or with cells not read:",
        r.samples.len(),
        rows.len()
    )?;
    print_rows(
        &[
            "sample",
            "land class",
            "pH",
            "level",
            "Nemerow",
            "above S",
            "above control",
            "why open",
            "cells not read",
        ],
        &rows,
        OutFormat::Table,
        out,
    )?;
    let mut shares: Vec<Vec<String>> = Vec::new();
    let mut share_rows =
        |standard: &str, c: (usize, usize), rows: Vec<(String, &str, usize, Option<f64>)>| {
            for (code, zh, n, share) in rows {
                shares.push(vec![
                    standard.to_string(),
                    code,
                    zh.to_string(),
                    n.to_string(),
                    pct(share),
                    format!("{} of {}", c.0, c.1),
                ]);
            }
        };
    if let Some(s) = &r.gb15618 {
        share_rows(
            s.standard,
            (s.completeness.counted, s.completeness.expected),
            s.rows
                .iter()
                .map(|x| (soil_code(&x.level), x.name_zh, x.samples, x.share))
                .collect(),
        );
    }
    if let Some(s) = &r.gb36600 {
        share_rows(
            s.standard,
            (s.completeness.counted, s.completeness.expected),
            s.rows
                .iter()
                .map(|x| (soil_code(&x.level), x.name_zh, x.samples, x.share))
                .collect(),
        );
    }
    writeln!(out)?;
    print_rows(
        &["standard", "level", "类别", "samples", "%", "counted"],
        &shares,
        OutFormat::Table,
        out,
    )?;
    for (title, a) in [
        (
            "GB 15618—2018, plots by area",
            r.area_gb15618.as_ref().map(area_rows),
        ),
        (
            "GB 36600—2018, plots by area",
            r.area_gb36600.as_ref().map(area_rows),
        ),
    ] {
        if let Some((rows, counted, expected, m2, m2_expected)) = a {
            writeln!(
                out,
                "\n{title}: {counted} of {expected} plots counted, {:.1} of {:.1} ha",
                m2 / 1e4,
                m2_expected / 1e4
            )?;
            let rows: Vec<Vec<String>> = rows
                .into_iter()
                .map(|(code, plots, area, share)| {
                    vec![
                        code,
                        plots.to_string(),
                        format!("{:.2}", area / 1e4),
                        pct(share),
                    ]
                })
                .collect();
            print_rows(
                &["level", "plots", "ha", "% of area"],
                &rows,
                OutFormat::Table,
                out,
            )?;
        }
    }
    writeln!(out)?;
    let items: Vec<Vec<String>> = r.items.iter().chain(&r.group_items).map(item_row).collect();
    print_rows(
        &[
            "group",
            "item",
            "samples",
            "above S",
            "above control",
            "open",
            "no value",
            "% above S",
            "max Pi",
        ],
        &items,
        OutFormat::Table,
        out,
    )?;
    if let Some(g) = r.group_by {
        writeln!(out, "\nsamples per {g} and level:")?;
        let rows: Vec<Vec<String>> = r
            .groups
            .iter()
            .flat_map(|row| {
                [&row.gb15618, &row.gb36600]
                    .into_iter()
                    .flatten()
                    .map(|c| {
                        let mut cells = vec![
                            row.group.clone(),
                            c.standard.to_string(),
                            format!("{} of {}", c.counted, c.expected),
                        ];
                        let levels: Vec<String> = c
                            .levels
                            .iter()
                            .map(|l| format!("{} {}", l.level, l.samples))
                            .collect();
                        cells.push(levels.join(", "));
                        cells.push(row.not_screened.to_string());
                        cells
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        print_rows(
            &[
                g.name(),
                "standard",
                "counted",
                "samples by level",
                "not screened",
            ],
            &rows,
            OutFormat::Table,
            out,
        )?;
    }
    writeln!(out, "\nland uses and the classes they are screened as:")?;
    let classes: Vec<Vec<String>> = r
        .land_classes
        .iter()
        .map(|l| {
            vec![
                l.land_use.clone().unwrap_or("-".into()),
                l.land_class
                    .map_or("not classed".into(), |c| c.code().into()),
                l.samples.to_string(),
            ]
        })
        .collect();
    print_rows(
        &["land use", "land class", "samples"],
        &classes,
        OutFormat::Table,
        out,
    )?;
    for n in &r.notes {
        writeln!(out, "note: {n}")?;
    }
    Ok(())
}

type AreaRows = (
    Vec<(String, usize, f64, Option<f64>)>,
    usize,
    usize,
    f64,
    f64,
);

fn area_rows<L: serde::Serialize + Copy>(a: &AreaShares<L>) -> AreaRows {
    (
        a.rows
            .iter()
            .map(|r| (soil_code(&r.level), r.plots, r.area_m2, r.share))
            .collect(),
        a.completeness.counted,
        a.completeness.expected,
        a.area_counted_m2,
        a.area_expected_m2,
    )
}

fn soil_code<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

fn item_row(i: &soil::ItemExceedance) -> Vec<String> {
    vec![
        i.group.clone(),
        i.item.clone(),
        i.samples.to_string(),
        i.above_screening.to_string(),
        i.above_upper.to_string(),
        i.not_decidable.to_string(),
        i.no_value.to_string(),
        pct(i.share_above_screening),
        i.max_pi.map_or("-".into(), |p| format!("{p:.2}")),
    ]
}

fn coverage(a: &CoverageArgs) -> Result<()> {
    let src = SoilSources {
        samples: a.points.clone(),
        classes: Some(a.classes.clone()),
        combinations: a.combinations.clone(),
        ..SoilSources::default()
    };
    let data = load(&src, a.problems.as_deref())?;
    let r = soil::coverage(&data, &a.rows, &a.cols).map_err(cli_error)?;
    let out = &mut std::io::stdout().lock();
    if a.format == OutFormat::Json {
        writeln!(out, "{}", lantian_app::sorted_json(&r).map_err(cli_error)?)?;
        return Ok(());
    }
    let rows: Vec<Vec<String>> = r
        .dimensions
        .iter()
        .flat_map(|d| {
            d.classes
                .iter()
                .map(|c| vec![d.dimension.clone(), c.class.clone(), c.points.to_string()])
        })
        .collect();
    print_rows(&["dimension", "class", "points"], &rows, a.format, out)?;
    if a.format == OutFormat::Csv {
        return Ok(());
    }
    writeln!(out, "\n{} points", r.points)?;
    for d in &r.dimensions {
        writeln!(
            out,
            "{}: {} of {} classes covered ({} %){}",
            d.dimension,
            d.covered.len(),
            d.classes.len(),
            pct(d.share_covered),
            if d.empty.is_empty() {
                String::new()
            } else {
                format!("; empty: {}", d.empty.join(", "))
            }
        )?;
        if !d.not_in_city.is_empty() {
            writeln!(
                out,
                "  {} points in a class the city's list does not have, e.g. {} ({})",
                d.not_in_city.len(),
                d.not_in_city[0].point,
                d.not_in_city[0].class
            )?;
        }
    }
    let c = &r.cross;
    writeln!(
        out,
        "\n{} × {} (points per cell; · a cell said not to exist):",
        c.rows, c.columns
    )?;
    let mut header = vec![c.rows.as_str()];
    header.extend(c.column_classes.iter().map(String::as_str));
    let empty: std::collections::BTreeSet<(&str, &str)> = c
        .empty
        .iter()
        .map(|e| (e.row.as_str(), e.column.as_str()))
        .collect();
    let matrix: Vec<Vec<String>> = c
        .row_classes
        .iter()
        .zip(&c.counts)
        .map(|(rc, counts)| {
            let mut row = vec![rc.clone()];
            for (cc, n) in c.column_classes.iter().zip(counts) {
                row.push(if *n > 0 {
                    n.to_string()
                } else if empty.contains(&(rc.as_str(), cc.as_str())) {
                    "0".into()
                } else {
                    "·".into()
                });
            }
            row
        })
        .collect();
    print_rows(&header, &matrix, OutFormat::Table, out)?;
    writeln!(
        out,
        "{} of {} existing cells covered ({} %); {} empty",
        c.covered,
        c.existing,
        pct(c.share_covered),
        c.empty.len()
    )?;
    for p in &c.outside_existing {
        writeln!(
            out,
            "  {} points in {} × {}, a combination said not to exist: {}",
            p.points.len(),
            p.cell.row,
            p.cell.column,
            p.points.join(" ")
        )?;
    }
    for n in &r.notes {
        writeln!(out, "note: {n}")?;
    }
    Ok(())
}

fn surface(a: &SurfaceArgs) -> Result<()> {
    let data = load(&sources(&a.src), a.src.problems.as_deref())?;
    let req = SurfaceRequest {
        item: a.item.clone(),
        method: a.method,
        model: a.model,
        grid: a.grid,
        threshold: a.threshold,
    };
    let r = soil::surface(&data, &req).map_err(cli_error)?;
    if let Some(p) = &a.csv {
        std::fs::write(p, soil::grid_csv(&r)).with_context(|| p.display().to_string())?;
    }
    let out = &mut std::io::stdout().lock();
    match a.src.format {
        OutFormat::Json => writeln!(out, "{}", lantian_app::sorted_json(&r).map_err(cli_error)?)?,
        OutFormat::Csv => out.write_all(soil::grid_csv(&r).as_bytes())?,
        OutFormat::Table => {
            writeln!(
                out,
                "{} ({}), {} samples used, {} left out; coordinates {} (distances in {})",
                r.item,
                r.unit,
                r.samples_used,
                r.left_out.len(),
                r.crs,
                r.distance_unit
            )?;
            match &r.variogram {
                Some(v) => {
                    writeln!(
                        out,
                        "variogram: {} model, effective range {:.6}, partial sill {:.6}, nugget {}, \
                         fit RMSE {}",
                        v.fitted.model.name(),
                        v.fitted.effective_range,
                        v.fitted.partial_sill,
                        v.fitted.nugget,
                        v.fitted.rmse.map_or("-".into(), |x| format!("{x:.6}"))
                    )?;
                    let lags: Vec<Vec<String>> = v
                        .empirical
                        .lags
                        .iter()
                        .map(|l| {
                            vec![
                                format!("{:.1}", l.lower_edge),
                                format!("{:.1}", l.upper_edge),
                                l.pairs.to_string(),
                                l.semivariance.map_or("-".into(), |g| format!("{g:.6}")),
                            ]
                        })
                        .collect();
                    print_rows(
                        &["from", "to", "pairs", "semivariance"],
                        &lags,
                        OutFormat::Table,
                        out,
                    )?;
                }
                None => writeln!(
                    out,
                    "no variogram: {}",
                    r.variogram_error.as_deref().unwrap_or("-")
                )?,
            }
            let cv = &r.cross_validation;
            writeln!(
                out,
                "leave-one-out ({}): {} of {} samples estimated, RMSE {}, MAE {}, mean error {}",
                soil_code(&cv.method),
                cv.predicted,
                cv.samples,
                cv.rmse.map_or("-".into(), |x| format!("{x:.6}")),
                cv.mae.map_or("-".into(), |x| format!("{x:.6}")),
                cv.mean_error.map_or("-".into(), |x| format!("{x:.6}"))
            )?;
            writeln!(
                out,
                "grid {} × {}: {} nodes estimated",
                r.grid.nx, r.grid.ny, r.grid.estimated
            )?;
            writeln!(
                out,
                "above {} mg/kg ({}): {} of the {} nodes estimated in the samples' convex hull \
                 ({} nodes in it), {} %",
                r.threshold.mg_kg,
                r.threshold.from,
                r.above.nodes_above,
                r.above.nodes_estimated,
                r.above.nodes_in_region,
                pct(r.above.share)
            )?;
            for l in r.left_out.iter().take(5) {
                writeln!(
                    out,
                    "left out: {}:{} sample {}: {}",
                    l.file, l.line, l.sample, l.reason
                )?;
            }
            if r.left_out.len() > 5 {
                writeln!(
                    out,
                    "left out: … {} more (all in --format json)",
                    r.left_out.len() - 5
                )?;
            }
            for n in &r.notes {
                writeln!(out, "note: {n}")?;
            }
        }
    }
    Ok(())
}

async fn list(store_path: &Path, a: &ListArgs) -> Result<()> {
    let store = Store::open(store_path).await?;
    let out = &mut std::io::stdout().lock();
    match &a.command {
        ListCommand::Record(x) => {
            let input = match (&x.events, &x.plot) {
                (Some(f), _) => ListInput::File(f.clone()),
                (None, Some(plot)) => ListInput::One(Event {
                    plot: plot.clone(),
                    date: x.date.context("--date is required with --plot")?,
                    status_to: x.status.context("--status is required with --plot")?,
                    by: x.by.clone().unwrap_or_default(),
                    reason: x.reason.clone().unwrap_or_default(),
                    evidence: x.evidence.clone(),
                }),
                (None, None) => anyhow::bail!(
                    "give --events FILE, or one event with --plot, --date, --status, --by, \
                     --reason and --evidence"
                ),
            };
            let r = soil::list_record(&store, &input).await.map_err(cli_error)?;
            if x.format == OutFormat::Json {
                writeln!(out, "{}", lantian_app::sorted_json(&r).map_err(cli_error)?)?;
            } else if r.recorded == 0 {
                writeln!(
                    out,
                    "nothing to record: all {} events read{} are already in the history, which \
                     holds {} events",
                    r.events,
                    r.file
                        .as_ref()
                        .map(|f| format!(" from {f}"))
                        .unwrap_or_default(),
                    r.history_after
                )?;
            } else {
                writeln!(
                    out,
                    "{} events read{}: {} recorded (of {} plots){}; the history holds {} events",
                    r.events,
                    r.file
                        .as_ref()
                        .map(|f| format!(" from {f}"))
                        .unwrap_or_default(),
                    r.recorded,
                    r.plots,
                    if r.already_recorded > 0 {
                        format!(", {} already in the history", r.already_recorded)
                    } else {
                        String::new()
                    },
                    r.history_after
                )?;
            }
        }
        ListCommand::AsOf(x) => {
            let r = soil::list_as_of(&store, x.date).await.map_err(cli_error)?;
            if x.format == OutFormat::Json {
                writeln!(out, "{}", lantian_app::sorted_json(&r).map_err(cli_error)?)?;
                return Ok(());
            }
            let rows: Vec<Vec<String>> = r
                .entries
                .iter()
                .map(|e| {
                    vec![
                        e.plot.clone(),
                        e.status.code().into(),
                        e.status.name_zh().into(),
                        e.since.to_string(),
                        e.listed_on.to_string(),
                    ]
                })
                .collect();
            print_rows(
                &["plot", "status", "状态", "since", "listed on"],
                &rows,
                x.format,
                out,
            )?;
            if x.format == OutFormat::Table {
                let counts: Vec<String> = r
                    .by_status
                    .iter()
                    .map(|c| format!("{} {}", c.name_zh, c.plots))
                    .collect();
                writeln!(
                    out,
                    "\n{}: {} plots on the list ({})",
                    r.date,
                    r.entries.len(),
                    counts.join(", ")
                )?;
            }
        }
        ListCommand::Changes(x) => {
            let r = soil::list_changes(&store, x.from, x.to)
                .await
                .map_err(cli_error)?;
            if x.format == OutFormat::Json {
                writeln!(out, "{}", lantian_app::sorted_json(&r).map_err(cli_error)?)?;
                return Ok(());
            }
            let rows: Vec<Vec<String>> = [
                ("entered", &r.entered),
                ("moved", &r.status_changes),
                ("removed", &r.removed),
            ]
            .into_iter()
            .flat_map(|(kind, changes)| {
                changes.iter().map(move |c| {
                    vec![
                        kind.to_string(),
                        c.plot.clone(),
                        c.date.to_string(),
                        c.from.map_or("not listed".into(), |s| s.code().to_string()),
                        c.to.code().into(),
                        c.by.clone(),
                        c.reason.clone(),
                    ]
                })
            })
            .collect();
            print_rows(
                &["change", "plot", "date", "from", "to", "by", "reason"],
                &rows,
                x.format,
                out,
            )?;
            if x.format == OutFormat::Table {
                writeln!(
                    out,
                    "\nafter {} up to {}: {} listed, {} moved on, {} removed",
                    r.after,
                    r.up_to,
                    r.entered.len(),
                    r.status_changes.len(),
                    r.removed.len()
                )?;
            }
        }
        ListCommand::History(x) => {
            let r = soil::list_history(&store, x.plot.as_deref())
                .await
                .map_err(cli_error)?;
            if x.format == OutFormat::Json {
                writeln!(out, "{}", lantian_app::sorted_json(&r).map_err(cli_error)?)?;
                return Ok(());
            }
            let rows: Vec<Vec<String>> = r
                .events
                .iter()
                .map(|e| {
                    vec![
                        e.seq.to_string(),
                        e.plot.clone(),
                        e.date.to_string(),
                        dash(&e.from),
                        e.to.clone(),
                        e.by.clone(),
                        e.reason.clone(),
                        e.evidence.join("; "),
                        e.recorded_at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
                    ]
                })
                .collect();
            print_rows(
                &[
                    "seq", "plot", "date", "from", "to", "by", "reason", "evidence", "recorded",
                ],
                &rows,
                x.format,
                out,
            )?;
        }
    }
    Ok(())
}

fn generate(a: &GenerateArgs) -> Result<()> {
    let model = lantian_synth::soil::generate_beijing(a.seed, a.year);
    let files = model
        .write(&a.out)
        .with_context(|| a.out.display().to_string())?;
    let c = model.counts();
    println!(
        "{}: {} network points with {} samples ({} rows), {} plots with {} samples ({} rows), \
         {} list events ({} plots on the list at the end of {}), {} classes, {} combinations; \
         {} files (a model, not data: docs/soil.md)",
        a.out.display(),
        c.network_points,
        c.network_samples,
        c.network_rows,
        c.plots,
        c.plot_samples,
        c.plot_rows,
        c.list_events,
        c.on_list_at_end,
        a.year,
        c.classes,
        c.combinations,
        files.len()
    );
    Ok(())
}
