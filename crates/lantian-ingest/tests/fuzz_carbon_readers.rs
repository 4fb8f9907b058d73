//! The carbon readers on generated and mutated inputs: the EUTL panel (each of its five files in
//! turn), a market's books, surrenders and electricity, and the offset registries' listings. No
//! panic, no hang, no more rows than lines, and every problem short, naming its file and a line
//! of it.
//!
//! Mutations as in `fuzz_readers.rs` (bytes flipped, inserted, deleted; lines duplicated,
//! swapped, cut; separators changed; invalid UTF-8 made text with replacement characters, as a
//! file read lossily; fields of megabytes). `LANTIAN_FUZZ_CASES` sets the cases per seed
//! (default 48); `LANTIAN_FUZZ_VOLUME` the inputs per seed of the volume run (small mutations
//! only; default 200).

mod common;

use common::{apply, cases, mutation_of, volume};
use lantian_ingest::carbon_books::{parse_books, parse_electricity, parse_surrenders};
use lantian_ingest::eu_ets::{Problem, parse_panel};
use lantian_ingest::offset_registry::{Listing, parse_file};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::time::{Duration, Instant};

const MAX_PROBLEM_CHARS: usize = 1200;
const HANG: Duration = Duration::from_secs(20);

const PANEL: [(&str, &str); 5] = [
    (
        "installations.csv",
        "account_id,installation_id,installation_name,permit_id,country,main_activity\n\
         1,10,\"Plant, A\",P1,DE,20-Combustion of fuels\n2,20,B,P2,BG,21-Refining\n3,30,C,P3,IT,20-Combustion\n",
    ),
    (
        "verified_emissions.csv",
        "account_id,2007,2008,2009\n1,100,200,Not Reported\n2,50,Excluded,\n3,0,10,10\n",
    ),
    (
        "allocated_allowances.csv",
        "account_id,2007,2008,2009\n1,90,180,659284  129360  *****\n2,,,\n3,1,1,1\n",
    ),
    (
        "units_surrendered.csv",
        "account_id,2007,2008,2009\n1,100,150,\n2,,60,\n3,0,10,10\n",
    ),
    (
        "compliance_code.csv",
        "account_id,2007,2008,2009\n1,A,B,C\n2,B*,E*,\n3,A,A,-\n",
    ),
];
const BOOKS: &str = "unit,name,year,direct_t,indirect_t,emissions,free_allocation_t,auctioned_t,surrendered_t\n\
    U1,Plant,2023,3000,2000,5000,4800,100,4750\nU2,Mall,2023,1000,3999,Not Reported,,,100\n\
    U3,Depot,2024,8200,0,8200,9000,,8100\n";
const SURRENDERS: &str = "unit,year,kind,origin,vintage,project,tonnes\n\
    U1,2023,ccer,in-region,2022,a,200\nU1,2023,ccer,Hebei,2022,b,60\nU3,2024,verra,Kenya,2021,c,5\n";
const POWER: &str = "unit,year,consumption_mwh,green_mwh\nU1,2023,10000,4000\nU2,2023,5000,0\n";
const VERRA: &str = "Issuance Date,Vintage Start,Vintage End,ID,Name,Country/Area,Project Type,Methodology,Total Vintage Quantity,Quantity Issued,Serial Number,Retirement/Cancellation Date,Retirement Beneficiary\n\
    2026-04-03,2020-01-01,2020-12-31,1340,Bale,Ethiopia,AFOLU,VM0015,\"1,454,054\",425,S1,2026-04-10,X\n\
    2026-04-02,2022-01-01,2022-10-31,3005,Tongxu,China,Energy,ACM0010,\"100,897\",187,S2,,\n";
const GOLD: &str = "Vintage,Credit Status,Quantity,GSID,Project Name,Country,Product Type,Project Type,Serial Number,Retirement Date,Using Entity\n\
    2025,Retired,5354,11603,Cooking,Kenya,VER,EE,GS1-1,2026-04-10,Hilti\n2022,Canceled,3,7,W,India,CER,PV,GS1-2,,\n";

/// A real carbon file, when `../shared/data` is there.
fn real_text(sub: &str, file: &str) -> Option<String> {
    let root = lantian_testdata::shared_path("", "real seeds for the carbon reader fuzzing")?;
    std::fs::read_to_string(root.join(sub).join(file)).ok()
}

/// The header and the first `n` records of a CSV text, cut at a record's end (a quoted field
/// may span lines).
fn head_records(text: &str, n: usize) -> String {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let end = rdr
        .records()
        .nth(n)
        .and_then(|r| r.ok())
        .and_then(|r| r.position().map(|p| p.byte() as usize))
        .unwrap_or(text.len());
    text[..end].to_string()
}

/// The first 40 records of a real listing.
fn real(sub: &str, file: &str) -> Option<String> {
    Some(head_records(&real_text(sub, file)?, 40))
}

/// A consistent head of the real panel: its first 40 installations and their rows in the
/// yearly tables.
fn real_panel() -> Option<[String; 5]> {
    let texts: Vec<String> = PANEL
        .iter()
        .map(|(f, _)| real_text("carbon_eu_ets", f))
        .collect::<Option<_>>()?;
    let installations = head_records(&texts[0], 40);
    let ids: std::collections::HashSet<&str> = installations
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .collect();
    let pick = |t: &str| -> String {
        let mut lines = t.lines();
        let mut out = format!("{}\n", lines.next().unwrap_or(""));
        for l in lines.filter(|l| l.split(',').next().is_some_and(|id| ids.contains(id))) {
            out.push_str(l);
            out.push('\n');
        }
        out
    };
    let tables = [
        pick(&texts[1]),
        pick(&texts[2]),
        pick(&texts[3]),
        pick(&texts[4]),
    ];
    let [a, b, c, d] = tables;
    Some([installations.clone(), a, b, c, d])
}

/// Every problem short, naming one of `files`, at a line the file has.
fn check_problems(problems: &[Problem], files: &[(&str, &str)]) -> Result<(), TestCaseError> {
    for p in problems {
        let said = p.to_string();
        prop_assert!(
            said.chars().count() <= MAX_PROBLEM_CHARS,
            "problem of {} characters: {}…",
            said.chars().count(),
            said.chars().take(200).collect::<String>()
        );
        let Some((_, text)) = files.iter().find(|(f, _)| *f == p.file) else {
            return Err(TestCaseError::fail(format!(
                "a problem names no file read: {said}"
            )));
        };
        // CSV ends a line at LF, CR or CRLF.
        let lines = (text.matches('\n').count() + text.matches('\r').count()) as u64 + 1;
        prop_assert!(
            p.line >= 1 && p.line <= lines,
            "line {} of a {lines}-line file: {said}",
            p.line
        );
    }
    Ok(())
}

/// `cases()` inputs of every mutation (`large`), or `volume()` inputs of small ones.
fn run_with(
    name: &str,
    seed: &[u8],
    large: bool,
    f: impl Fn(&str) -> Result<(), TestCaseError>,
) -> u64 {
    let cases = if large { cases() } else { volume() };
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&proptest::collection::vec(mutation_of(large), 1..6), |ms| {
            let bytes = ms.iter().fold(seed.to_vec(), apply);
            // The files are read as text; bytes that are not UTF-8 reach the readers as U+FFFD.
            let text = String::from_utf8_lossy(&bytes);
            let start = Instant::now();
            f(&text)?;
            prop_assert!(
                start.elapsed() < HANG,
                "{name}: {} bytes took {:?}",
                bytes.len(),
                start.elapsed()
            );
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    u64::from(cases)
}

fn panel(large: bool) {
    let mut seeds: Vec<[String; 5]> = vec![PANEL.map(|(_, t)| t.to_string())];
    seeds.extend(real_panel());
    let mut tried = 0;
    for seed in &seeds {
        // The seed itself reads without a problem.
        let p = parse_panel(&seed[0], &seed[1], &seed[2], &seed[3], &seed[4]).unwrap();
        assert!(
            p.problems.is_empty(),
            "{} problems, the first {:?}",
            p.problems.len(),
            p.problems.first()
        );
        assert!(!p.installations.is_empty());
        for k in 0..5 {
            tried += run_with(PANEL[k].0, seed[k].as_bytes(), large, |text| {
                let mut files: Vec<(&str, &str)> = PANEL
                    .iter()
                    .zip(seed)
                    .map(|((f, _), t)| (*f, t.as_str()))
                    .collect();
                files[k].1 = text;
                let t: Vec<&str> = files.iter().map(|(_, t)| *t).collect();
                // A bad header is an error naming its file; anything else is read.
                match parse_panel(t[0], t[1], t[2], t[3], t[4]) {
                    Ok(p) => {
                        let rows =
                            files[0].1.matches('\n').count() + files[0].1.matches('\r').count() + 1;
                        prop_assert!(p.installations.len() <= rows);
                        check_problems(&p.problems, &files)?;
                    }
                    Err(e) => {
                        let said = e.to_string();
                        prop_assert!(
                            said.chars().count() <= 4 * MAX_PROBLEM_CHARS
                                || said.contains("line 1"),
                            "{}",
                            said.chars().take(200).collect::<String>()
                        );
                        prop_assert!(PANEL.iter().any(|(f, _)| said.starts_with(f)), "{said}");
                    }
                }
                Ok(())
            });
        }
    }
    eprintln!(
        "fuzz_carbon_readers: panel{}: {tried} inputs",
        if large { "" } else { ", volume" }
    );
}

fn books_and_listings(large: bool) {
    let mut tried = 0;
    tried += run_with("books.csv", BOOKS.as_bytes(), large, |text| {
        if let Ok(b) = parse_books("books.csv", text) {
            check_problems(&b.problems, &[("books.csv", text)])?;
        }
        Ok(())
    });
    tried += run_with("surrenders.csv", SURRENDERS.as_bytes(), large, |text| {
        let mut b = parse_books("books.csv", BOOKS).unwrap();
        if parse_surrenders("surrenders.csv", text, &mut b).is_ok() {
            check_problems(
                &b.problems,
                &[("books.csv", BOOKS), ("surrenders.csv", text)],
            )?;
        }
        Ok(())
    });
    tried += run_with("power.csv", POWER.as_bytes(), large, |text| {
        if let Ok((rows, problems)) = parse_electricity("power.csv", text) {
            prop_assert!(rows.len() <= text.matches('\n').count() + text.matches('\r').count() + 1);
            check_problems(&problems, &[("power.csv", text)])?;
        }
        Ok(())
    });
    let mut listings = vec![
        ("verra_transactions.csv", VERRA.to_string()),
        ("gold-standard_retirements.csv", GOLD.to_string()),
        (
            "gold-standard_issuances.csv",
            GOLD.replace(",Retirement Date,Using Entity", "")
                .replace(",2026-04-10,Hilti", "")
                .replace(",,\n", "\n"),
        ),
    ];
    for f in [
        "verra_projects.csv",
        "verra_transactions.csv",
        "gold-standard_projects.csv",
        "gold-standard_issuances.csv",
        "gold-standard_retirements.csv",
    ] {
        if let Some(t) = real("carbon_offsets_samples", f) {
            listings.push((f, t));
        }
    }
    for (file, seed) in &listings {
        let mut l = Listing::default();
        assert!(parse_file(file, seed, &mut l));
        assert!(
            l.problems.is_empty(),
            "{file}: {} problems, the first {:?}",
            l.problems.len(),
            l.problems.first()
        );
        tried += run_with(file, seed.as_bytes(), large, |text| {
            let mut l = Listing::default();
            parse_file(file, text, &mut l);
            prop_assert!(
                l.batches.len() + l.projects.len()
                    <= text.matches('\n').count() + text.matches('\r').count() + 1
            );
            check_problems(&l.problems, &[(file, text)])
        });
    }
    eprintln!(
        "fuzz_carbon_readers: books and listings{}: {tried} inputs",
        if large { "" } else { ", volume" }
    );
}

#[test]
fn the_eu_ets_panel_survives_mutated_files() {
    panel(true);
}

#[test]
fn books_surrenders_electricity_and_listings_survive_mutated_files() {
    books_and_listings(true);
}

/// The volume run: many small mutations (`LANTIAN_FUZZ_VOLUME` per seed and file).
#[test]
fn the_carbon_readers_survive_a_volume_of_small_mutations() {
    let start = Instant::now();
    panel(false);
    books_and_listings(false);
    eprintln!(
        "fuzz_carbon_readers: volume in {:.1} s",
        start.elapsed().as_secs_f64()
    );
}
