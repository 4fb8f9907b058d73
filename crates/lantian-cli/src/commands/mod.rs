//! One module per command: its arguments, the call into `lantian-app` (or the store for the
//! data commands), and its printing.

pub mod aqi;
pub mod assess;
pub mod campaigns;
pub mod carbon;
pub mod coverage;
pub mod deweather;
pub mod export;
pub mod fetch;
pub mod generate;
pub mod ingest;
pub mod migrate;
pub mod quickstart;
pub mod report;
pub mod serve;
pub mod soil;
pub mod sql;
pub mod stations;
pub mod trend;
pub mod water;

/// What a campaign's readers could not take (`problems`) and what they kept with a note
/// (`flagged`): all of it written to `file` when one is given (`--problems`), the count and the
/// first five problems on standard error either way.
pub(crate) fn report_problems(
    problems: &[String],
    flagged: &[String],
    flagged_what: &str,
    file: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    use anyhow::Context;
    if let Some(p) = file {
        let mut text = String::new();
        for line in problems.iter().chain(flagged) {
            text.push_str(line);
            text.push('\n');
        }
        std::fs::write(p, text).with_context(|| p.display().to_string())?;
    }
    if !problems.is_empty() {
        let whole = if file.is_some() {
            " (all in --problems)"
        } else {
            " (all with --problems FILE)"
        };
        eprintln!(
            "{} cells or rows not read{whole}; the first:",
            problems.len()
        );
        for p in problems.iter().take(5) {
            eprintln!("  {p}");
        }
    }
    if !flagged.is_empty() {
        let listed = if file.is_some() {
            " (listed in --problems)"
        } else {
            ""
        };
        eprintln!("{} {flagged_what}{listed}", flagged.len());
    }
    Ok(())
}
