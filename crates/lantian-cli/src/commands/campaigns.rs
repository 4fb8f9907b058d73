//! `lantian campaigns`: the plan behind the five campaigns (docs/campaigns.md). `progress`
//! says how much of each measure's work is done against its time, by unit and campaign;
//! `record` appends progress reports or indicator values to the store; `indicators` shows the
//! registry against baselines and targets; `gep` computes the districts' GEP-R accounts and
//! the compensation; `effect` asks whether a measure worked; `generate` writes a plan of any
//! size for timing. The bulletin is `lantian report --campaigns`.

use crate::args::{OutFormat, cli_error};
use crate::table::print_rows;
use anyhow::{Context, Result};
use chrono::NaiveDate;
use lantian_app::campaigns::effect::{EffectRequest, effect};
use lantian_app::campaigns::gep::{GepSources, accounts};
use lantian_app::campaigns::{
    self, PlanSources, ProgressRequest, read_updates_file, read_values_file,
};
use lantian_app::deweather::Weather;
use lantian_campaigns::Campaign;
use lantian_store::Store;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct CampaignsArgs {
    #[command(subcommand)]
    command: CampaignsCommand,
}

#[derive(clap::Subcommand)]
enum CampaignsCommand {
    /// Progress against time on a date: work done and expected per measure, lead unit and
    /// campaign, the measures behind schedule, overdue or done early, and whether "half the
    /// time, half the tasks" holds.
    Progress(ProgressArgs),
    /// Append progress reports (--updates) or indicator values (--values) to the store, each
    /// checked against the plan; a file with any problem records nothing.
    Record(RecordArgs),
    /// The plan's indicators on a date against their baselines and targets, each value with its
    /// source.
    Indicators(IndicatorsArgs),
    /// The GEP-R accounts of the districts for a year (physical quantity × price, nine
    /// accounts), the city's sum, the change over the year before and the compensation between
    /// paired districts.
    Gep(GepArgs),
    /// Did a measure work? The weather-normalised change of its target pollutant around its
    /// start, and the break point nearest it (a coincidence in time is not proof).
    Effect(EffectArgs),
    /// Write a generated plan of any size (plan.toml, measures.csv, milestones.csv,
    /// updates.csv) for timing; not a city's plan.
    Generate(GenerateArgs),
}

#[derive(clap::Args, Clone)]
pub struct PlanArg {
    /// The plan folder (plan.toml; measures.csv and milestones.csv for measures kept flat;
    /// updates.csv, indicator_values.csv); default: the example plan built in
    /// (plans/beijing-2024).
    #[arg(long, value_name = "DIR")]
    pub plan: Option<PathBuf>,
}

impl PlanArg {
    pub fn sources(&self) -> PlanSources {
        PlanSources {
            dir: self.plan.clone(),
        }
    }
}

fn campaign(s: &str) -> Result<Campaign, String> {
    Campaign::parse(s).ok_or_else(|| {
        format!(
            "not a campaign: {s} (one of {})",
            Campaign::ALL.map(|c| c.code()).join(", ")
        )
    })
}

#[derive(clap::Args)]
struct ProgressArgs {
    #[command(flatten)]
    plan: PlanArg,
    /// The date (default: today).
    #[arg(long)]
    as_of: Option<NaiveDate>,
    /// Only this campaign's measures (blue_sky, clear_water, pure_land, climate, ecology).
    #[arg(long, value_parser = campaign)]
    campaign: Option<Campaign>,
    /// Only the measures this unit leads.
    #[arg(long)]
    unit: Option<String>,
    /// Write every measure's row (measure, done, expected, time_elapsed, status, finished) to
    /// this CSV.
    #[arg(long, value_name = "FILE")]
    measures_csv: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    format: OutFormat,
}

#[derive(clap::Args)]
struct RecordArgs {
    #[command(flatten)]
    plan: PlanArg,
    /// Progress reports: measure,milestone,date,percent,evidence,by.
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with = "values",
        required_unless_present = "values"
    )]
    updates: Option<PathBuf>,
    /// Indicator values: indicator,date,value,source,by,evidence.
    #[arg(long, value_name = "FILE")]
    values: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    format: OutFormat,
}

#[derive(clap::Args)]
struct IndicatorsArgs {
    #[command(flatten)]
    plan: PlanArg,
    #[arg(long)]
    as_of: Option<NaiveDate>,
    #[arg(long, value_parser = campaign)]
    campaign: Option<Campaign>,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    format: OutFormat,
}

#[derive(clap::Args)]
pub struct GepArg {
    /// The GEP-R inputs table (docs/gep.md); default: the example plan's model inputs.
    #[arg(long = "gep-inputs", value_name = "FILE")]
    pub inputs: Option<PathBuf>,
    /// The compensation rule (TOML); default: the example's 2025 rule with the example inputs.
    #[arg(long = "gep-rule", value_name = "FILE")]
    pub rule: Option<PathBuf>,
    /// A parameter over its default, ID=VALUE (e.g. carbon_price=80); repeatable.
    #[arg(long = "gep-param", value_name = "ID=VALUE", value_parser = param)]
    pub parameters: Vec<(String, f64)>,
}

impl GepArg {
    pub fn sources(&self) -> GepSources {
        GepSources {
            inputs: self.inputs.clone(),
            rule: self.rule.clone(),
            parameters: self.parameters.clone(),
        }
    }
}

fn param(s: &str) -> Result<(String, f64), String> {
    let (k, v) = s
        .split_once('=')
        .ok_or_else(|| format!("{s}: write ID=VALUE"))?;
    let v: f64 = v
        .trim()
        .parse()
        .map_err(|_| format!("{s}: {v} is not a number"))?;
    Ok((k.trim().to_string(), v))
}

#[derive(clap::Args)]
struct GepArgs {
    #[command(flatten)]
    gep: GepArg,
    /// The year (default: the latest of the inputs).
    #[arg(long)]
    year: Option<i32>,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    format: OutFormat,
}

#[derive(clap::Args)]
struct EffectArgs {
    /// The measure's id in the plan.
    measure: String,
    #[command(flatten)]
    plan: PlanArg,
    /// Station code(s) as stored; with several, their mean.
    #[arg(long, required = true)]
    station: Vec<String>,
    /// The pollutant (default: the measure's target pollutant).
    #[arg(long)]
    pollutant: Option<String>,
    /// Days compared before and after the start.
    #[arg(long, default_value_t = 90)]
    window_days: u32,
    /// Meteorological variables as stored, comma-separated [default: ws,wd,temp,dewp,pres,rain].
    #[arg(long, value_delimiter = ',')]
    weather: Option<Vec<String>>,
    /// Take the weather from another station of the store.
    #[arg(long)]
    weather_station: Option<String>,
    /// Weather resamples.
    #[arg(long, default_value_t = 300)]
    resamples: usize,
    /// Days per value of the break search (0: no search).
    #[arg(long, default_value_t = 7)]
    break_days: u32,
    #[arg(long, default_value_t = 8, allow_negative_numbers = true)]
    utc_offset: i32,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    format: OutFormat,
}

#[derive(clap::Args)]
struct GenerateArgs {
    /// The folder to write.
    #[arg(long)]
    out: PathBuf,
    #[arg(long, default_value_t = 10_000)]
    measures: usize,
    #[arg(long, default_value_t = 100_000)]
    updates: usize,
    #[arg(long, default_value_t = 2024)]
    year: i32,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub async fn run(store_path: &Path, a: &CampaignsArgs) -> Result<()> {
    let out = &mut std::io::stdout().lock();
    match &a.command {
        CampaignsCommand::Progress(x) => progress(store_path, x, out).await,
        CampaignsCommand::Record(x) => record(store_path, x, out).await,
        CampaignsCommand::Indicators(x) => indicators(store_path, x, out).await,
        CampaignsCommand::Gep(x) => gep(x, out),
        CampaignsCommand::Effect(x) => run_effect(store_path, x, out).await,
        CampaignsCommand::Generate(x) => generate(x),
    }
}

/// The store when one exists at the path (a query never creates one).
async fn store_if_any(path: &Path) -> Result<Option<Store>> {
    if path.exists() {
        Ok(Some(Store::open(path).await?))
    } else {
        Ok(None)
    }
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn pct(x: f64) -> String {
    format!("{:.1}", x * 100.0)
}

async fn progress(store_path: &Path, x: &ProgressArgs, out: &mut dyn Write) -> Result<()> {
    let store = store_if_any(store_path).await?;
    let plan = campaigns::load(store.as_ref(), &x.plan.sources())
        .await
        .map_err(cli_error)?;
    let req = ProgressRequest {
        as_of: x.as_of.unwrap_or_else(today),
        campaign: x.campaign,
        unit: x.unit.clone(),
    };
    let a = campaigns::progress(&plan, &req).map_err(cli_error)?;
    if let Some(path) = &x.measures_csv {
        let mut s = String::from("measure,done,expected,time_elapsed,status,finished\n");
        for m in &a.progress.measures {
            let status = serde_json::to_value(m.status)?;
            s.push_str(&format!(
                "{},{:.6},{:.6},{:.6},{},{}\n",
                m.id,
                m.done,
                m.expected,
                m.time_elapsed,
                status.as_str().unwrap_or_default(),
                m.finished.map(|d| d.to_string()).unwrap_or_default()
            ));
        }
        std::fs::write(path, s).with_context(|| format!("writing {}", path.display()))?;
    }
    if x.format == OutFormat::Json {
        writeln!(out, "{}", lantian_app::sorted_json(&a).map_err(cli_error)?)?;
        return Ok(());
    }
    let p = &a.progress;
    let header = [
        "group",
        "measures",
        "done %",
        "expected %",
        "time %",
        "behind",
        "overdue",
        "done",
        "pace",
    ];
    let row = |name: String, s: &lantian_campaigns::progress::Summary| {
        use lantian_campaigns::progress::Status;
        let n = |st: Status| s.by_status.get(&st).copied().unwrap_or(0);
        vec![
            name,
            s.measures.to_string(),
            pct(s.done),
            pct(s.expected),
            pct(s.time_elapsed),
            n(Status::Behind).to_string(),
            n(Status::Overdue).to_string(),
            (n(Status::DoneEarly) + n(Status::DoneOnTime) + n(Status::DoneLate)).to_string(),
            if s.half_time_half_tasks {
                "half the time, half the tasks".into()
            } else if s.keeps_pace {
                "keeps pace".into()
            } else {
                "behind time".into()
            },
        ]
    };
    let mut rows = vec![row("all".into(), &p.total)];
    for (c, s) in &p.by_campaign {
        rows.push(row(c.code().to_string(), s));
    }
    for (u, s) in &p.by_unit {
        rows.push(row(format!("unit: {u}"), s));
    }
    if x.format == OutFormat::Table {
        writeln!(
            out,
            "{} — {} ({}), as of {}",
            a.plan_en, a.plan_zh, a.origin, p.as_of
        )?;
    }
    print_rows(&header, &rows, x.format, out)?;
    if x.format == OutFormat::Table {
        let late: Vec<_> = p.measures.iter().filter(|m| m.status.is_late()).collect();
        if !late.is_empty() {
            writeln!(out, "\nlate ({}):", late.len())?;
            for m in late.iter().take(20) {
                writeln!(
                    out,
                    "  {} ({}): {} % done, {} % expected, {}, deadline {}",
                    m.id,
                    m.lead,
                    pct(m.done),
                    pct(m.expected),
                    m.status.name_en(),
                    m.deadline
                )?;
            }
            if late.len() > 20 {
                writeln!(
                    out,
                    "  … and {} more (--format json lists all)",
                    late.len() - 20
                )?;
            }
        }
        if p.unmatched_updates > 0 {
            writeln!(
                out,
                "{} reports name a measure or milestone the plan does not have (not counted)",
                p.unmatched_updates
            )?;
        }
    }
    Ok(())
}

async fn record(store_path: &Path, x: &RecordArgs, out: &mut dyn Write) -> Result<()> {
    let store = Store::open(store_path).await?;
    let plan = campaigns::load(Some(&store), &x.plan.sources())
        .await
        .map_err(cli_error)?;
    let (r, what) = match (&x.updates, &x.values) {
        (Some(f), _) => {
            let rows = read_updates_file(&plan, f).map_err(cli_error)?;
            (
                campaigns::record_updates(&store, &plan, &rows)
                    .await
                    .map_err(cli_error)?,
                "progress reports",
            )
        }
        (None, Some(f)) => {
            let rows = read_values_file(&plan, f).map_err(cli_error)?;
            (
                campaigns::record_values(&store, &plan, &rows)
                    .await
                    .map_err(cli_error)?,
                "indicator values",
            )
        }
        (None, None) => anyhow::bail!("give --updates FILE or --values FILE"),
    };
    if x.format == OutFormat::Json {
        writeln!(out, "{}", lantian_app::sorted_json(&r).map_err(cli_error)?)?;
    } else {
        writeln!(
            out,
            "{} {what} read: {} recorded, {} already recorded before",
            r.given, r.recorded, r.already_recorded
        )?;
    }
    Ok(())
}

fn opt(v: Option<f64>, d: usize) -> String {
    v.map(|v| format!("{v:.d$}")).unwrap_or_default()
}

async fn indicators(store_path: &Path, x: &IndicatorsArgs, out: &mut dyn Write) -> Result<()> {
    let store = store_if_any(store_path).await?;
    let plan = campaigns::load(store.as_ref(), &x.plan.sources())
        .await
        .map_err(cli_error)?;
    let a = campaigns::indicators(&plan, x.as_of.unwrap_or_else(today), x.campaign, &[]);
    if x.format == OutFormat::Json {
        writeln!(out, "{}", lantian_app::sorted_json(&a).map_err(cli_error)?)?;
        return Ok(());
    }
    let rows: Vec<Vec<String>> = a
        .iter()
        .map(|i| {
            let s = &i.standing;
            let v = s.latest.as_ref();
            vec![
                i.indicator.id.clone(),
                i.indicator.name_en.clone(),
                v.map(|v| format!("{}", v.value)).unwrap_or_default(),
                i.indicator.unit.clone(),
                v.map(|v| v.date.to_string()).unwrap_or_default(),
                i.indicator
                    .baseline
                    .map(|b| format!("{}", b.value))
                    .unwrap_or_default(),
                i.indicator
                    .target
                    .map(|t| format!("{}", t.value))
                    .unwrap_or_default(),
                opt(s.change_percent, 1),
                s.target_met
                    .map(|m| if m { "yes" } else { "no" }.to_string())
                    .unwrap_or_default(),
                match v.map(|v| &v.source) {
                    Some(lantian_campaigns::indicator::Source::Entered { by, .. }) => {
                        format!("entered by {by}")
                    }
                    Some(lantian_campaigns::indicator::Source::Computed { engine, .. }) => {
                        format!("computed ({engine})")
                    }
                    None if i.indicator.computed.is_some() => {
                        "computed by the bulletin (lantian report --campaigns)".into()
                    }
                    None => "no value yet".into(),
                },
            ]
        })
        .collect();
    print_rows(
        &[
            "indicator",
            "name",
            "value",
            "unit",
            "date",
            "baseline",
            "target",
            "change %",
            "met",
            "source",
        ],
        &rows,
        x.format,
        out,
    )
}

fn gep(x: &GepArgs, out: &mut dyn Write) -> Result<()> {
    let a = accounts(&x.gep.sources(), x.year).map_err(cli_error)?;
    if x.format == OutFormat::Json {
        writeln!(out, "{}", lantian_app::sorted_json(&a).map_err(cli_error)?)?;
        return Ok(());
    }
    let bn = |v: f64| format!("{:.2}", v / 1e9);
    let rows: Vec<Vec<String>> = a
        .districts
        .iter()
        .map(|d| {
            let c = a.changes.iter().find(|c| c.district == d.district);
            vec![
                d.district.clone(),
                bn(d.total_cny),
                format!("{}/{}", d.completeness.computed, d.completeness.expected),
                c.map(|c| bn(c.before_cny)).unwrap_or_default(),
                c.and_then(|c| c.change_percent)
                    .map(|p| format!("{p:.2}"))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    if x.format == OutFormat::Table {
        writeln!(
            out,
            "GEP-R {} ({}{}), CNY bn; city {} {}",
            a.year,
            a.inputs,
            if a.model { ", a model" } else { "" },
            bn(a.city.total_cny),
            a.city_change
                .as_ref()
                .and_then(|c| c.change_percent)
                .map(|p| format!("({p:+.2} % on {})", a.year - 1))
                .unwrap_or_default()
        )?;
    }
    print_rows(
        &["district", "GEP-R", "accounts", "year before", "change %"],
        &rows,
        x.format,
        out,
    )?;
    if x.format == OutFormat::Table && !a.compensation.is_empty() {
        writeln!(
            out,
            "\ncompensation ({}):",
            a.rule.as_ref().map(|r| r.source.as_str()).unwrap_or("")
        )?;
        for p in &a.compensation {
            for t in &p.transfers {
                writeln!(
                    out,
                    "  {} → {}: CNY {:.2} m ({})",
                    t.payer,
                    t.payee,
                    t.amount_cny / 1e6,
                    t.why
                )?;
            }
            if p.transfers.is_empty() {
                writeln!(
                    out,
                    "  {} – {}: nothing ({:?})",
                    p.a.district, p.b.district, p.case
                )?;
            }
        }
    }
    Ok(())
}

async fn run_effect(store_path: &Path, x: &EffectArgs, out: &mut dyn Write) -> Result<()> {
    let store = Store::open(store_path).await?;
    let plan = campaigns::load(Some(&store), &x.plan.sources())
        .await
        .map_err(cli_error)?;
    let m = plan
        .measure(&x.measure)
        .with_context(|| format!("measure {} is not in the plan ({})", x.measure, plan.origin))?;
    let reader = store.matrix_reader(&[]).await?;
    let variables = x.weather.clone().unwrap_or_else(Weather::default_variables);
    let mut req = EffectRequest::new(x.station.clone());
    req.pollutant = x.pollutant.clone();
    req.window_days = x.window_days;
    req.weather = match &x.weather_station {
        Some(s) => Weather::Station {
            station: s.clone(),
            variables,
        },
        None => Weather::Store { variables },
    };
    req.resamples = x.resamples;
    req.break_days = x.break_days;
    req.utc_offset = x.utc_offset;
    let e = effect(&reader, m, &req, &|_| {}).map_err(cli_error)?;
    if x.format == OutFormat::Json {
        writeln!(out, "{}", lantian_app::sorted_json(&e).map_err(cli_error)?)?;
        return Ok(());
    }
    writeln!(
        out,
        "{} {} ({}), {} from {}, {} days either side, {}:",
        e.measure,
        e.title_en,
        e.title_zh,
        e.pollutant,
        e.start,
        e.window_days,
        e.stations.join(", ")
    )?;
    writeln!(
        out,
        "  observed mean {:.1} before, {:.1} after; weather-normalised change {:+.1} (95 % interval {:+.1} to {:+.1}); weather's part {:+.1}",
        e.observed_before,
        e.observed_after,
        e.change,
        e.change_lower,
        e.change_upper,
        e.weather_change
    )?;
    match &e.placebo {
        Some(p) => writeln!(
            out,
            "  the same windows a year earlier (from {}): {:+.1} (95 % interval {:+.1} to {:+.1}); the change net of it {:+.1}",
            p.start, p.change, p.change_lower, p.change_upper, p.net_change
        )?,
        None => writeln!(out, "  {}", e.placebo_note.clone().unwrap_or_default())?,
    }
    match &e.nearest_break {
        Some(b) => writeln!(
            out,
            "  nearest break: {} at {} ({} days from the start; interval {} to {}{})",
            b.date,
            b.station,
            b.days_from_start,
            b.lower.map(|d| d.to_string()).unwrap_or("NA".into()),
            b.upper.map(|d| d.to_string()).unwrap_or("NA".into()),
            if b.start_within_interval {
                ", the start within it"
            } else {
                ""
            }
        )?,
        None => writeln!(
            out,
            "  no break: {}",
            e.breaks_note.clone().unwrap_or_default()
        )?,
    }
    writeln!(out, "  {}", e.caution_en)?;
    Ok(())
}

fn generate(x: &GenerateArgs) -> Result<()> {
    let g = lantian_synth::plan::generate(x.seed, x.year, x.measures, x.updates);
    std::fs::create_dir_all(&x.out).with_context(|| format!("creating {}", x.out.display()))?;
    for (name, text) in [
        ("plan.toml", g.plan_toml(x.year)),
        ("measures.csv", g.measures_csv()),
        ("milestones.csv", g.milestones_csv()),
        ("updates.csv", g.updates_csv()),
    ] {
        let p = x.out.join(name);
        std::fs::write(&p, text).with_context(|| format!("writing {}", p.display()))?;
    }
    eprintln!(
        "wrote {} measures and {} reports to {} (a generated plan for timing, not a city's)",
        g.measures.len(),
        g.updates.len(),
        x.out.display()
    );
    Ok(())
}
