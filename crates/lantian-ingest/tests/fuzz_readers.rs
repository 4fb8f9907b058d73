//! Every reader on generated and mutated inputs: no panic, no hang, no output larger than the
//! input can hold, and every diagnostic short and naming its file.
//!
//! The seeds are small hand-written files of each format and, where `../shared/data` is there,
//! the first lines of real files of each kind; proptest applies sequences of mutations to them
//! (bytes flipped, inserted and deleted, lines duplicated, swapped and cut, separators and line
//! ends changed, invalid UTF-8 and NUL bytes, a field of megabytes, a truncated or corrupted
//! gzip stream). A failing input is shrunk by proptest and printed; keep it as a regression
//! case below.
//!
//! `LANTIAN_FUZZ_CASES` sets the number of cases per seed (default 48: about a minute in a
//! debug build); the long run of `docs/reliability.md` sets it higher. `LANTIAN_FUZZ_VOLUME`
//! sets the inputs per seed of the volume run (small mutations only; default 200).

mod common;

use common::{apply, cases, mutation_of, volume};
use lantian_ingest::{FileStatus, read_bytes};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::io::Write;
use std::time::{Duration, Instant};

/// Longest printed diagnostic allowed: file name, line, field and a message quoting at most a
/// short excerpt of a field.
const MAX_DIAGNOSTIC_CHARS: usize = 1200;
/// A reader that takes longer than this on one input of at most a few megabytes hangs.
const HANG: Duration = Duration::from_secs(20);

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// Hand-written seeds: (file name, bytes), one or more per format.
fn seeds() -> Vec<(String, Vec<u8>)> {
    let mut s: Vec<(String, Vec<u8>)> = vec![
        (
            "beijing_all_20230101.csv".into(),
            "date,hour,type,东城东四,东城天坛,西城官园\n\
             20230101,0,PM2.5,12,15,\n20230101,0,PM2.5_24h,20,22,21\n\
             20230101,0,PM10,30,-1,33\n20230101,0,AQI,40,45,\n\
             20230101,1,PM2.5,13,16,14\n20230101,1,PM10,31,35,34\n"
                .into(),
        ),
        (
            "beijing_extra_20230101.csv".into(),
            "date,hour,type,东四,天坛\n20230101,0,SO2,3,4\n20230101,0,NO2,30,31\n\
             20230101,0,CO,0.4,0.5\n20230101,0,O3,60,61\n20230101,0,O3_8h,55,56\n"
                .into(),
        ),
        (
            "china_sites_20230120.csv".into(),
            "date,hour,type,1001A,1002A,1003A\n20230120,0,AQI,50,60,70\n\
             20230120,0,PM2.5,30,40,50\n20230120,0,PM2.5_24h,31,41,51\n\
             20230120,0,CO,0.5,0.6,0.7\n20230120,0,O3_8h_24h,80,90,100\n"
                .into(),
        ),
        (
            "PRSA_Data_Aotizhongxin_20130301-20170228.csv".into(),
            "\"No\",\"year\",\"month\",\"day\",\"hour\",\"PM2.5\",\"PM10\",\"SO2\",\"NO2\",\"CO\",\"O3\",\"TEMP\",\"PRES\",\"DEWP\",\"RAIN\",\"wd\",\"WSPM\",\"station\"\n\
             1,2013,3,1,0,4,4,4,7,300,77,-0.7,1023,-18.8,0,\"NNW\",4.4,\"Aotizhongxin\"\n\
             2,2013,3,1,1,8,8,4,7,300,77,-1.1,1023.2,-18.2,0,\"N\",4.7,\"Aotizhongxin\"\n\
             3,2013,3,1,2,NA,7,5,10,300,73,-1.1,1023.5,-18.2,0,\"NNW\",5.6,\"Aotizhongxin\"\n"
                .into(),
        ),
        (
            "PRSA_data_2010.1.1-2014.12.31.csv".into(),
            "No,year,month,day,hour,pm2.5,DEWP,TEMP,PRES,cbwd,Iws,Is,Ir\n\
             1,2010,1,1,0,NA,-21,-11,1021,NW,1.79,0,0\n\
             25,2010,1,2,0,129,-16,-4,1020,SE,1.79,0,0\n"
                .into(),
        ),
        (
            "aq_data.csv".into(),
            "date,no2,bg.no2,ws,wd,air_temp\n\
             2001-01-01 00:00:00,39.5,24.1,3.1,230,5.2\n\
             2001-01-01 01:00:00,NA,25.0,3.5,240,5.0\n"
                .into(),
        ),
        (
            "mine.csv".into(),
            "station,time,pollutant,value,unit,averaging\n\
             S1,2023-01-01 01:00,CO,600,ug/m3,\n\
             S1,2023-01-01 01:00,PM2.5,35,ug/m3,24h\n\
             S1,2023-01-01T02:00:00+08:00,PM2.5,<2,ug/m3,\n\
             S1,2023-01-02,water.do,7.5,mg/L,day\n"
                .into(),
        ),
    ];
    // The same contents gzipped (the AQEval file is distributed so).
    let gz: Vec<(String, Vec<u8>)> = s
        .iter()
        .filter(|(n, _)| n == "aq_data.csv" || n == "mine.csv")
        .map(|(n, b)| (format!("{n}.gz"), gzip(b)))
        .collect();
    s.extend(gz);
    s.extend(real_seeds());
    s
}

/// The first 40 lines of one real file per shared folder the readers know, when present.
fn real_seeds() -> Vec<(String, Vec<u8>)> {
    let Some(root) = lantian_testdata::shared_path("", "real seeds for the reader fuzzing") else {
        return Vec::new();
    };
    let picks = [
        "quotsoft_beijing/2016/beijing_all_20160315.csv",
        "quotsoft_beijing/2023/beijing_extra_20230216.csv",
        "cnemc_china_sites/china_sites_20230121.csv",
        "uci_beijing_multisite/PRSA_Data_Dongsi_20130301-20170228.csv",
    ];
    picks
        .iter()
        .filter_map(|p| {
            let bytes = std::fs::read(root.join(p)).ok()?;
            let head: Vec<u8> = bytes
                .split_inclusive(|&b| b == b'\n')
                .take(40)
                .flatten()
                .copied()
                .collect();
            let name = p.rsplit('/').next().unwrap().to_string();
            Some((name, head))
        })
        .collect()
}

/// What must hold for any input; `plain` is the file's bytes before any gzip wrapper (its
/// lines are the ones diagnostics count).
fn check(name: &str, bytes: &[u8], plain: &[u8]) -> Result<(), TestCaseError> {
    // A gzip seed's lines are those of what it holds (as far as it inflates).
    let inflated;
    let plain = if plain.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        let _ = std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(plain), &mut out);
        inflated = out;
        &inflated[..]
    } else {
        plain
    };
    let start = Instant::now();
    let out = read_bytes(name, bytes);
    let took = start.elapsed();
    prop_assert!(took < HANG, "{name}: {} bytes took {took:?}", bytes.len());
    let r = &out.report;
    // A value needs at least one byte of its own: more values than bytes means values were
    // made up (or memory grows with something other than the input).
    prop_assert!(
        out.observations.len() <= plain.len().max(1),
        "{name}: {} values from {} bytes",
        out.observations.len(),
        plain.len()
    );
    if let FileStatus::Rejected(reason) = &r.status {
        prop_assert!(
            out.observations.is_empty(),
            "{name}: rejected but values kept"
        );
        let said = reason.to_string();
        prop_assert!(
            said.chars().count() <= MAX_DIAGNOSTIC_CHARS,
            "{name}: rejection of {} characters: {}…",
            said.chars().count(),
            said.chars().take(200).collect::<String>()
        );
    }
    let lines = plain.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    for d in &r.diagnostics {
        prop_assert_eq!(&d.file, name);
        let said = d.to_string();
        prop_assert!(
            said.chars().count() <= MAX_DIAGNOSTIC_CHARS,
            "{name}: diagnostic of {} characters: {}…",
            said.chars().count(),
            said.chars().take(200).collect::<String>()
        );
        if let Some(line) = d.line {
            prop_assert!(
                line >= 1 && line <= lines.max(1),
                "{name}: line {line} of a {lines}-line file: {said}"
            );
        }
    }
    Ok(())
}

#[test]
fn every_reader_survives_mutated_inputs() {
    let seeds = seeds();
    let mut tried = 0u64;
    for (name, seed) in &seeds {
        // The seed itself is read without a rejection.
        let out = read_bytes(name, seed);
        assert!(
            matches!(out.report.status, FileStatus::Read),
            "{name}: the seed is rejected: {:?}",
            out.report.status
        );
        let mut runner = TestRunner::new(Config {
            cases: cases(),
            failure_persistence: None,
            ..Config::default()
        });
        let strategy = proptest::collection::vec(mutation_of(true), 1..6);
        runner
            .run(&strategy, |ms| {
                let bytes = ms.iter().fold(seed.clone(), apply);
                check(name, &bytes, &bytes)?;
                // The same bytes under a gzip wrapper go through the same reader.
                check(&format!("{name}.gz"), &gzip(&bytes), &bytes)
            })
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        tried += u64::from(cases()) * 2;
    }
    eprintln!(
        "fuzz_readers: {tried} inputs over {} seeds ({} cases each)",
        seeds.len(),
        cases()
    );
}

/// The volume run: many small mutations of every seed (each input about its seed's size), for
/// the number of inputs rather than their size.
#[test]
fn every_reader_survives_a_volume_of_small_mutations() {
    let seeds = seeds();
    let start = Instant::now();
    for (name, seed) in &seeds {
        let mut runner = TestRunner::new(Config {
            cases: volume(),
            failure_persistence: None,
            ..Config::default()
        });
        runner
            .run(&proptest::collection::vec(mutation_of(false), 1..6), |ms| {
                let bytes = ms.iter().fold(seed.clone(), apply);
                check(name, &bytes, &bytes)
            })
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    eprintln!(
        "fuzz_readers: volume: {} inputs over {} seeds in {:.1} s",
        u64::from(volume()) * seeds.len() as u64,
        seeds.len(),
        start.elapsed().as_secs_f64()
    );
}

/// Found by the volume run: a quote inserted in a daily grid's header made it one or two fields
/// long (the quoted field runs to the end of the file), and the reader sliced past its end.
#[test]
fn found_by_fuzzing_a_quote_that_swallows_the_header() {
    for text in [
        "date,hour,\"type,东城东四\n20230101,0,PM2.5,12\n",
        "\"date,hour,type,东城东四\n20230101,0,PM2.5,12\n",
    ] {
        let out = read_bytes("beijing_all_20230101.csv", text.as_bytes());
        assert!(
            out.observations.is_empty(),
            "{text:?}: {:?}",
            out.observations
        );
        assert!(out.report.stations.is_empty());
    }
}

/// Found by the volume run: a header of control bytes, each escaped to six characters in the
/// rejection, made a message of over 1,300 characters.
#[test]
fn found_by_fuzzing_an_escaped_header_is_cut() {
    let text = "\u{10}".repeat(512) + "\n1,2\n";
    let out = read_bytes("beijing_extra_20230101.csv", text.as_bytes());
    let FileStatus::Rejected(reason) = &out.report.status else {
        panic!("{:?}", out.report.status)
    };
    let said = reason.to_string();
    assert!(
        said.chars().count() < 600,
        "{} characters",
        said.chars().count()
    );
    assert!(
        said.starts_with("line 1: header not recognised as any supported format: \"\\u{10}"),
        "{said}"
    );
}

#[test]
fn a_corrupt_or_truncated_gzip_is_rejected_not_read() {
    let gz = gzip(b"date,no2,bg.no2\n2001-01-01 00:00:00,1,2\n");
    for cut in [3, 10, gz.len() - 4] {
        let out = read_bytes("aq_data.csv.gz", &gz[..cut]);
        assert!(
            matches!(out.report.status, FileStatus::Rejected(_)),
            "cut at {cut}: {:?}",
            out.report.status
        );
    }
}

/// Inputs the fuzzing found, kept: a station name, a date and a variable of 100,000
/// characters each were echoed whole into a diagnostic.
#[test]
fn found_by_fuzzing_long_names_and_fields_are_cut() {
    let long = "9".repeat(100_000);
    let nines = "9".repeat(40);
    let grid =
        format!("date,hour,type,东城东四,{long}\n20230101,1,PM2.5,12,x\n{long},0,PM2.5,1,2\n");
    let out = read_bytes("beijing_all_20230101.csv", grid.as_bytes());
    let said: Vec<String> = out
        .report
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert_eq!(
        said,
        [
            format!(
                "beijing_all_20230101.csv:2 [{nines}…]: bad-number: not a number: \"x\"; value not stored"
            ),
            format!(
                "beijing_all_20230101.csv:3 [date/hour]: bad-time: cannot read date \"{nines}\"… \
                 (100000 characters) hour \"0\"; row skipped (2 values)"
            ),
        ]
    );
    // A message built outside the reader (the model's "unknown variable") is cut at 1,000.
    let csv = format!("station,time,pollutant,value\nS1,2023-01-01 01:00,{long},5\n");
    let out = read_bytes("mine.csv", csv.as_bytes());
    let d = &out.report.diagnostics[0];
    assert_eq!(
        d.message.chars().count(),
        1000 + "… (cut at 1000 of 100032 characters)".chars().count()
    );
    assert!(
        d.message.starts_with("unknown variable \"999"),
        "{}",
        d.message
    );
    assert!(d.message.ends_with("… (cut at 1000 of 100032 characters)"));
}
