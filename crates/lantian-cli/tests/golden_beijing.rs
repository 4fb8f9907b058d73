//! Golden outputs over the Beijing store (../shared/data): the answers that people and scripts
//! rely on, byte for byte, from the command line and from the HTTP API.
//!
//! The files under `tests/golden/` were written by the command line as it stood before the
//! application layer took the use cases out of it; any change of a figure, a word or a column
//! shows here as a diff. To accept an intended change, run the test with `LANTIAN_BLESS=1`
//! (it rewrites the files) and list the difference and its reason in the commit message.
//!
//! The annual assessment needs the whole archive (2014–2024), so the store is the archive's;
//! the other answers are for 2023 and its first half, the bulletin's reference periods.

mod common;

use common::lantian_ok;
use common::serve::Server;
use std::path::{Path, PathBuf};

fn golden_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden"))
}

/// The Beijing archive, `quotsoft_beijing/<year>/`.
fn beijing() -> Option<PathBuf> {
    lantian_testdata::shared_path(
        "quotsoft_beijing",
        "the golden outputs need the Beijing archive",
    )
}

/// Compares `got` with the golden file `name` (or writes it under `LANTIAN_BLESS=1`); returns
/// the name on a mismatch so that one run lists every difference.
fn check(name: &str, got: &[u8], mismatches: &mut Vec<String>) {
    let path = golden_dir().join(name);
    if std::env::var("LANTIAN_BLESS").as_deref() == Ok("1") {
        std::fs::create_dir_all(golden_dir()).unwrap();
        std::fs::write(&path, got).unwrap();
        return;
    }
    let want = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with LANTIAN_BLESS=1 to write it)",
            path.display()
        )
    });
    if want != got {
        // The answer as it is now, beside the test's other files, to diff by hand.
        let now = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("golden-now");
        std::fs::create_dir_all(&now).unwrap();
        std::fs::write(now.join(name), got).unwrap();
        let w = String::from_utf8_lossy(&want);
        let g = String::from_utf8_lossy(got);
        let first = w
            .lines()
            .zip(g.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b)
            .map(|(i, (a, b))| format!("line {}: golden {a:?}, now {b:?}", i + 1))
            .unwrap_or_else(|| {
                format!(
                    "{} lines golden, {} now",
                    w.lines().count(),
                    g.lines().count()
                )
            });
        mismatches.push(format!(
            "{name}: {first} (now: {})",
            now.join(name).display()
        ));
    }
}

fn run(st: &Path, args: &[&str]) -> Vec<u8> {
    lantian_ok(st, args).into_bytes()
}

#[test]
fn beijing_answers_are_unchanged() {
    let Some(bj) = beijing() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let st = tmp.path().join("store");
    lantian_ok(&st, &["ingest", "--quiet", bj.to_str().unwrap()]);
    let mut bad = Vec::new();

    // The command line.
    let cli: &[(&str, &[&str])] = &[
        ("assess_2023.txt", &["assess", "--period", "2023"]),
        (
            "assess_2023.json",
            &["assess", "--period", "2023", "--format", "json"],
        ),
        (
            "assess_2023-H1_by_district.txt",
            &["assess", "--period", "2023-H1", "--by", "district"],
        ),
        (
            "assess_2023-H1_by_district.json",
            &[
                "assess", "--period", "2023-H1", "--by", "district", "--format", "json",
            ],
        ),
        (
            "aqi_daily_2023.csv",
            &[
                "aqi",
                "--region",
                "beijing",
                "--from",
                "2023-01-01",
                "--to",
                "2023-12-31",
                "--daily",
                "--format",
                "csv",
            ],
        ),
        (
            "aqi_daily_2023_summary.txt",
            &[
                "aqi",
                "--region",
                "beijing",
                "--from",
                "2023-01-01",
                "--to",
                "2023-12-31",
                "--daily",
                "--summary",
            ],
        ),
        (
            "report_2023_zh.json",
            &[
                "report", "--period", "2023", "--lang", "zh", "--format", "json",
            ],
        ),
    ];
    for (name, args) in cli {
        check(name, &run(&st, args), &mut bad);
    }

    // The annual assessment of every station and the city, 2014–2024.
    let annual = tmp.path().join("annual.csv");
    lantian_ok(
        &st,
        &[
            "assess",
            "annual",
            "--from",
            "2014",
            "--to",
            "2024",
            "--out",
            annual.to_str().unwrap(),
        ],
    );
    check(
        "assess_annual_2014-2024.csv",
        &std::fs::read(&annual).unwrap(),
        &mut bad,
    );

    // The bulletin as Markdown, in both languages (its charts are SVG files beside it).
    for lang in ["zh", "en"] {
        let out = tmp.path().join(format!("bulletin_{lang}.md"));
        lantian_ok(
            &st,
            &[
                "report",
                "--period",
                "2023",
                "--lang",
                lang,
                "--format",
                "md",
                "--out",
                out.to_str().unwrap(),
            ],
        );
        check(
            &format!("report_2023_{lang}.md"),
            &std::fs::read(&out).unwrap(),
            &mut bad,
        );
    }

    // The API's answers to the same questions.
    let server = Server::start(&st, &[], &[]);
    let api: &[(&str, &str)] = &[
        ("api_assessment_2023.json", "/api/v1/assessment?period=2023"),
        ("api_ranking_2023-H1.json", "/api/v1/ranking?period=2023-H1"),
        (
            "api_ranking_2023-H1.csv",
            "/api/v1/ranking?period=2023-H1&format=csv",
        ),
        (
            "api_daily_2023.json",
            "/api/v1/series/daily?region=beijing&from=2023-01-01&to=2023-12-31",
        ),
        ("api_calendar_2023.json", "/api/v1/calendar?period=2023"),
        (
            "api_report_2023_en.json",
            "/api/v1/report?period=2023&lang=en&format=json",
        ),
        (
            "api_report_2023_zh.md",
            "/api/v1/report?period=2023&lang=zh&format=md",
        ),
    ];
    for (name, path) in api {
        let a = server.get(path);
        assert_eq!(a.status, 200, "{path}: {}", a.text());
        check(name, a.text().as_bytes(), &mut bad);
    }

    assert!(
        bad.is_empty(),
        "answers differ from the golden files:\n{}",
        bad.join("\n")
    );
}
