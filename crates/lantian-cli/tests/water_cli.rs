//! `lantian water`: a generated year classed by Lantian and by an independent pandas
//! recomputation (`water_recompute.py`, written from the standard, not from Lantian's code),
//! the bad inputs the assessment must name, and the compensation's books balancing.

mod common;

use common::bin;
use std::path::Path;
use std::process::Command;

fn water(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(bin())
        .arg("water")
        .args(args)
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn water_ok(args: &[&str]) -> String {
    let (ok, out, err) = water(args);
    assert!(ok, "lantian water {args:?} failed: {err}");
    out
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

/// Whether a missing pandas fails the test (CI installs it) or skips it.
fn pandas_required() -> bool {
    lantian_testdata::is_required(std::env::var("LANTIAN_REQUIRE_DATA").ok().as_deref())
        || std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

#[test]
fn a_generated_year_is_classed_as_an_independent_recomputation_classes_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("bj");
    water_ok(&[
        "generate",
        "--out",
        &s(&data),
        "--years",
        "2024",
        "--seed",
        "5",
    ]);
    let (classes, grades) = (
        dir.path().join("classes.csv"),
        dir.path().join("grades.csv"),
    );
    water_ok(&[
        "assess",
        "--sections",
        &s(&data.join("sections.csv")),
        "--readings",
        &s(&data),
        "--period",
        "2024",
        "--months",
        "--classes-csv",
        &s(&classes),
        "--grades-csv",
        &s(&grades),
    ]);
    let (py_classes, py_grades) = (
        dir.path().join("py_classes.csv"),
        dir.path().join("py_grades.csv"),
    );
    let script =
        Path::new(&std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
            .join("tests/water_recompute.py");
    let python = std::env::var("LANTIAN_PYTHON").unwrap_or_else(|_| "python3".into());
    let out = Command::new(&python)
        .arg(&script)
        .args(["--sections", &s(&data.join("sections.csv"))])
        .args(["--auto", &s(&data.join("auto_2024.csv"))])
        .args(["--grab", &s(&data.join("grab_2024.csv"))])
        .args([
            "--year",
            "2024",
            "--classes",
            &s(&py_classes),
            "--grades",
            &s(&py_grades),
        ])
        .output();
    let out = match out {
        Ok(o) => o,
        Err(e) => {
            assert!(!pandas_required(), "{python}: {e}");
            eprintln!("SKIP the independent recomputation: {python}: {e}");
            return;
        }
    };
    if out.status.code() == Some(3) {
        assert!(
            !pandas_required(),
            "the independent recomputation needs pandas (pip install pandas)"
        );
        eprintln!("SKIP the independent recomputation: pandas is not installed for {python}");
        return;
    }
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lantian = std::fs::read_to_string(&classes).unwrap();
    let pandas = std::fs::read_to_string(&py_classes).unwrap();
    // 36 sections × (12 months + the year), every one classed.
    assert_eq!(lantian.lines().count(), 1 + 36 * 13);
    let differ: Vec<(&str, &str)> = lantian
        .lines()
        .zip(pandas.lines())
        .filter(|(a, b)| a != b)
        .take(5)
        .collect();
    assert!(differ.is_empty(), "first differences: {differ:?}");
    assert_eq!(lantian.lines().count(), pandas.lines().count());
    // The grades (the recomputation has no district level).
    let ours: Vec<String> = std::fs::read_to_string(&grades)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("district,"))
        .map(String::from)
        .collect();
    let theirs: Vec<String> = std::fs::read_to_string(&py_grades)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    assert_eq!(ours, theirs);
}

const SECTIONS: &str = "code,name_zh,name_en,body,province,basin,water,district,upstream,downstream,inflow_section,target,lat,lon\n\
    A1,上游,Upstream,river,北京市,海河流域,测试河,甲区,,,,III,40.0,116.0\n\
    A2,出境,Outlet,river,北京市,海河流域,测试河,甲区,甲区,乙区,A1,III,39.9,116.1\n\
    A3,无目标,No target,river,北京市,海河流域,测试河,乙区,乙区,丙区,,,39.8,116.2\n";

/// A month of grab samples: COD, NH3-N, TP at the three sections, and the bad rows.
fn grab() -> String {
    let mut g = String::from("section,time,item,value,unit,flag\n");
    for (sec, cod, nh3, tp) in [
        ("A1", "18", "0.8", "0.15"), // III
        ("A2", "25", "1.2", "0.25"), // IV: one class worse than its inflow
        ("A3", "35", "1.8", "0.35"), // V, no target
    ] {
        for (item, v) in [("water.COD", cod), ("water.NH3-N", nh3), ("water.TP", tp)] {
            g.push_str(&format!("{sec},2024-03-12 10:00,{item},{v},mg/L,\n"));
        }
    }
    // An unknown item, a unit that cannot be converted, and cadmium below a detection limit
    // above class I's 0.001 mg/L.
    g.push_str("A1,2024-03-12 10:00,water.radium,1,mg/L,\n");
    g.push_str("A1,2024-03-12 10:00,water.Pb,3,mg/kg,\n");
    g.push_str("A1,2024-03-12 10:00,water.Cd,<0.004,mg/L,\n");
    g
}

#[test]
fn bad_inputs_are_named_and_nothing_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let sections = dir.path().join("sections.csv");
    std::fs::write(&sections, SECTIONS).unwrap();
    let g = dir.path().join("grab.csv");
    std::fs::write(&g, grab()).unwrap();
    let problems = dir.path().join("problems.txt");
    let (ok, out, err) = water(&[
        "assess",
        "--sections",
        &s(&sections),
        "--readings",
        &s(&g),
        "--period",
        "2024-03",
        "--problems",
        &s(&problems),
        "--format",
        "json",
    ]);
    assert!(ok, "{err}");
    // The unknown item and the unit are named with file, line and field, on stderr and in full
    // in the problems file.
    let p = std::fs::read_to_string(&problems).unwrap();
    let lines: Vec<&str> = p.lines().collect();
    assert_eq!(lines.len(), 2, "{p}");
    assert!(lines[0].contains("grab.csv:11: item: not an item"), "{p}");
    assert!(
        lines[1]
            .contains("grab.csv:12: unit: unit \"mg/kg\" cannot be converted to mg/L for water.Pb"),
        "{p}"
    );
    assert!(err.contains("2 cells or rows not read"), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let a1 = &v["sections"][0];
    assert_eq!(a1["code"], "A1");
    assert_eq!(a1["class"], "III");
    // Cadmium below 0.004 mg/L: kept, no class, and the section classed from the others.
    let cd = a1["means"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["item"] == "water.Cd")
        .unwrap();
    assert_eq!(cd["mean"], "<0.004");
    assert!(cd["class"].is_null());
    // The section without a target: classed, no "meets", and a note that names it.
    let a3 = &v["sections"][2];
    assert_eq!(
        (a3["class"].as_str(), a3["meets_target"].is_null()),
        (Some("V"), true)
    );
    let notes = v["notes"].to_string();
    assert!(
        notes.contains("1 sections have no target class") && notes.contains("A3"),
        "{notes}"
    );
    // The same cadmium through the engine's words, in the table's problem column.
    let text = water_ok(&[
        "assess",
        "--sections",
        &s(&sections),
        "--readings",
        &s(&g),
        "--period",
        "2024-03",
    ]);
    assert!(text.contains("A1") && text.contains("III"), "{text}");

    // Compensation: A2 leaves 甲区 one class worse than it came in, for every item (3 × CNY
    // 300,000 paid by 甲区 to 乙区); A3, without a target, is named and not charged.
    let c: serde_json::Value = serde_json::from_str(&water_ok(&[
        "compensation",
        "--sections",
        &s(&sections),
        "--readings",
        &s(&g),
        "--period",
        "2024-03",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(c["total_cny"].as_f64(), Some(900_000.0));
    assert_eq!(c["charges"].as_array().unwrap().len(), 3);
    assert_eq!(c["without_target"][0], "A3");
    let bal: Vec<(String, f64)> = c["balances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["district"].as_str().unwrap().to_string(),
                b["balance_cny"].as_f64().unwrap(),
            )
        })
        .collect();
    assert!(bal.contains(&("甲区".into(), -900_000.0)), "{bal:?}");
    assert!(bal.contains(&("乙区".into(), 900_000.0)), "{bal:?}");

    // A sections file with a bad row is refused by name: an assessment does not leave a
    // section out.
    let bad = dir.path().join("bad_sections.csv");
    std::fs::write(&bad, SECTIONS.replace(",III,40.0", ",VI,40.0")).unwrap();
    let (ok, _, err) = water(&[
        "assess",
        "--sections",
        &s(&bad),
        "--readings",
        &s(&g),
        "--period",
        "2024-03",
    ]);
    assert!(!ok && err.contains("bad_sections.csv:2: target"), "{err}");
    // A period that is not one.
    let (ok, _, err) = water(&["assess", "--readings", &s(&g), "--period", "2024-13"]);
    assert!(!ok && err.contains("2024-13"), "{err}");
}

#[test]
fn the_compensation_of_a_generated_year_balances() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("bj");
    water_ok(&[
        "generate",
        "--out",
        &s(&data),
        "--years",
        "2024",
        "--seed",
        "5",
    ]);
    let c: serde_json::Value = serde_json::from_str(&water_ok(&[
        "compensation",
        "--sections",
        &s(&data.join("sections.csv")),
        "--readings",
        &s(&data),
        "--period",
        "2024",
        "--format",
        "json",
    ]))
    .unwrap();
    let charges = c["charges"].as_array().unwrap();
    let total: f64 = charges
        .iter()
        .map(|x| x["amount_cny"].as_f64().unwrap())
        .sum();
    assert_eq!(c["total_cny"].as_f64(), Some(total));
    assert!(total > 0.0);
    // Every charge is a whole number of classes at the rule's rate.
    for x in charges {
        let rate = if x["rule"].as_str().unwrap().starts_with("not worsened") {
            150_000.0
        } else {
            300_000.0
        };
        assert_eq!(
            x["amount_cny"].as_f64(),
            Some(rate * x["classes"].as_f64().unwrap()),
            "{x}"
        );
    }
    // What districts pay, others receive (water leaving the city goes to its pool).
    let sum: f64 = c["balances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["balance_cny"].as_f64().unwrap())
        .sum();
    assert!(sum.abs() < 1e-6, "{sum}");
    assert!(c["balances"].to_string().contains("市级统筹"));
    // 24 boundary sections × 12 months.
    assert_eq!(
        (
            c["boundary_sections"].as_u64(),
            c["section_months"].as_u64()
        ),
        (Some(24), Some(288))
    );
}
