//! `lantian quickstart`: the main job on a fresh machine. Ingest Beijing 2023 (from
//! `../shared/data` when present, else fetched from the public archive), then one screen:
//! the ingest summary, the coverage in one line (the full table written beside the store, or
//! printed with `--verbose`), the year's daily AQI by category under HJ 633—2012 and —2026,
//! the bulletin's figures, and the bulletins written in Chinese and English. Then the first
//! half of 2024 (the shared files run to early June) and the five-campaign report of that
//! half-year on the example plan built in: the seed's own bulletin, computed.

use crate::args::{OutFormat, SelArgs};
use crate::commands::{aqi, assess, coverage, fetch, ingest, report};
use crate::summary;
use anyhow::Result;
use chrono::NaiveDate;
use lantian_app::options::StandardChoice;
use lantian_model::Registry;
use lantian_store::Store;
use lantian_store::ingest::IngestOptions;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct QuickstartArgs {
    /// Where the shared data is.
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// Print the coverage of every station and pollutant (245 rows), not only its summary.
    #[arg(long)]
    verbose: bool,
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, m, d).expect("a 2023 date")
}

pub async fn run(store_path: &Path, reg: &Registry, a: &QuickstartArgs) -> Result<()> {
    let store = Store::open(store_path).await?;
    let dir = a.data.join("quotsoft_beijing").join("2023");
    let dir = if dir.is_dir() {
        println!("Ingesting Beijing 2023 from {}", dir.display());
        dir
    } else {
        let out = store_path.join("downloads");
        println!(
            "{} not found: fetching Beijing 2023 from {}",
            dir.display(),
            lantian_fetch::DEFAULT_BASE_URL
        );
        fetch::fetch(
            fetch::Net::Beijing,
            day(1, 1),
            day(12, 31),
            lantian_fetch::DEFAULT_BASE_URL,
            &out,
        )?;
        out
    };
    let s = ingest::ingest(&store, &[dir], &IngestOptions::default(), false).await?;
    summary::print(&s, reg, false, &mut std::io::stdout())?;

    let sel = SelArgs {
        source: vec!["bjmemc".into()],
        from: Some(day(1, 1)),
        to: Some(day(12, 31)),
        ..Default::default()
    }
    .selection(true);
    let rows = lantian_store::query::coverage(&store, &sel).await?;
    let c = lantian_app::coverage::summarise(&rows);
    let pct = |x: Option<f64>| {
        x.map(|x| format!("{:.1} %", 100.0 * x))
            .unwrap_or("-".into())
    };
    println!(
        "\nCoverage of hourly values, Beijing 2023: {} stations × {} variables, {} of {} hours valid ({}; median series {}), {} flagged{}",
        c.stations,
        c.variables.len(),
        c.valid_hours,
        c.expected_hours,
        pct(c.completeness()),
        pct(c.median_completeness),
        c.flagged,
        c.lowest
            .as_ref()
            .map(|(s, v, x)| format!("; least complete: {s} {v} {}", pct(Some(*x))))
            .unwrap_or_default()
    );
    if a.verbose {
        coverage::coverage(&store, &sel, OutFormat::Table).await?;
    } else {
        let path = store_path.join("coverage-2023.csv");
        let mut f = std::fs::File::create(&path)?;
        coverage::write(&rows, OutFormat::Csv, &mut f)?;
        println!(
            "  per station and pollutant: {} (or `lantian coverage --source bjmemc --from 2023-01-01 --to 2023-12-31`)",
            path.display()
        );
    }

    println!(
        "\nDaily AQI of Beijing 2023 (mean of all stations' hourly values), \
         under the rules of the time and recomputed under HJ 633—2026:"
    );
    for standard in ["hj633-2012", "hj633-2026"] {
        let args = aqi::SeriesArgs {
            region: Some("beijing".into()),
            source: vec!["bjmemc".into()],
            from: Some(day(1, 1)),
            to: Some(day(12, 31)),
            daily: true,
            summary: true,
            standard: standard
                .parse::<StandardChoice>()
                .map_err(|e| anyhow::anyhow!("{e}"))?,
            ..Default::default()
        };
        aqi::over_store(&store, reg, &args).await?;
    }
    println!(
        "\nThe bulletin's figures for Beijing 2023 (HJ 663: the assessment stations, \
         sand-dust days detected; `lantian assess --help` for more):"
    );
    assess::run(store_path, reg, &assess::AssessArgs::for_period("2023")).await?;
    // The bulletin itself, in both languages (`lantian report --help` for PDF and more).
    let dir = store_path.join("bulletins");
    std::fs::create_dir_all(&dir)?;
    println!("\nThe 2023 bulletin (`lantian report`):");
    for lang in ["zh", "en"] {
        let out = dir.join(format!("beijing-2023-{lang}.html"));
        let out_s = out.to_string_lossy().to_string();
        let args = report::ReportArgs::from_args(&[
            "--period", "2023", "--lang", lang, "--format", "html", "--out", &out_s,
        ]);
        report::run_report(store_path, reg, &args).await?;
    }
    campaigns(&store, store_path, reg, a).await?;
    println!(
        "\nServe the API and the live dashboard on http://127.0.0.1:8080/ with \
         `cargo run -p lantian-cli -- serve` (docs/serve.md)."
    );
    Ok(())
}

/// Ingest the first half of 2024 and write the five-campaign report of it (the example plan).
async fn campaigns(
    store: &Store,
    store_path: &Path,
    reg: &Registry,
    a: &QuickstartArgs,
) -> Result<()> {
    let d24 = |m, d| NaiveDate::from_ymd_opt(2024, m, d).expect("a 2024 date");
    let shared = a.data.join("quotsoft_beijing").join("2024");
    let files: Vec<PathBuf> = if shared.is_dir() {
        println!(
            "\nIngesting Beijing, first half of 2024, from {}",
            shared.display()
        );
        let mut f: Vec<PathBuf> = std::fs::read_dir(&shared)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                // beijing_all_YYYYMMDD.csv: January to June (the 1 July file holds the last
                // hour of 30 June, and is read too).
                let stem = p.file_stem().and_then(|n| n.to_str()).unwrap_or("");
                let stamp = stem.rsplit('_').next().unwrap_or("");
                stamp.len() == 8
                    && (("20240101"..="20240630").contains(&stamp) || stamp == "20240701")
            })
            .collect();
        f.sort();
        f
    } else {
        let out = store_path.join("downloads-2024");
        println!(
            "\n{} not found: fetching Beijing, first half of 2024, from {}",
            shared.display(),
            lantian_fetch::DEFAULT_BASE_URL
        );
        fetch::fetch(
            fetch::Net::Beijing,
            d24(1, 1),
            d24(6, 30),
            lantian_fetch::DEFAULT_BASE_URL,
            &out,
        )?;
        vec![out]
    };
    let s = ingest::ingest(store, &files, &IngestOptions::default(), false).await?;
    summary::print(&s, reg, false, &mut std::io::stdout())?;
    let dir = store_path.join("bulletins");
    println!(
        "\nThe five campaigns, first half of 2024 (`lantian report --campaigns`; the example plan \
         plans/beijing-2024: published measures and indicators, modelled progress):"
    );
    for lang in ["zh", "en"] {
        let out = dir.join(format!("beijing-2024-H1-campaigns-{lang}.html"));
        let out_s = out.to_string_lossy().to_string();
        let args = report::ReportArgs::from_args(&[
            "--campaigns",
            "--period",
            "2024-H1",
            "--lang",
            lang,
            "--format",
            "html",
            "--out",
            &out_s,
        ]);
        if lang == "zh" {
            let answer = report::campaigns_answer(store_path, reg, &args).await?;
            let doc = lantian_report::campaigns::document(
                &answer.figures,
                lantian_report::document::Lang::Zh,
            );
            for p in &doc.lead {
                println!("  {p}");
            }
        }
        report::run_report(store_path, reg, &args).await?;
    }
    Ok(())
}
