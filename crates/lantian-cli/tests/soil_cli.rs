//! `lantian soil` through the real binary: the Hunan cropland categories against an
//! independent pandas recomputation (`soil_recompute.py`, written from the standard, not from
//! Lantian's code), the CUMCM city's exceedances per functional zone and metal, Meuse zinc's
//! surface against scikit-gstat, the bad inputs that must be named, a list record killed at
//! several moments, and the generated Beijing model read back.

mod common;

use common::bin;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

fn soil_in(store: Option<&Path>, args: &[&str]) -> (bool, String, String) {
    let mut cmd = Command::new(bin());
    if let Some(st) = store {
        cmd.arg("--store").arg(st);
    }
    let out = cmd
        .arg("soil")
        .args(args)
        .env("RUST_BACKTRACE", "0")
        .env_remove("LANTIAN_STORE")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn soil(args: &[&str]) -> (bool, String, String) {
    soil_in(None, args)
}

fn soil_ok(args: &[&str]) -> String {
    let (ok, out, err) = soil(args);
    assert!(ok, "lantian soil {args:?} failed: {err}");
    out
}

fn json(args: &[&str]) -> Value {
    let out = soil_ok(args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn list_ok(store: &Path, args: &[&str]) -> String {
    let mut a = vec!["list"];
    a.extend_from_slice(args);
    let (ok, out, err) = soil_in(Some(store), &a);
    assert!(ok, "lantian soil {a:?} failed: {err}");
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

/// Samples per level of one standard's shares in a screening: level → count.
fn shares(v: &Value, key: &str) -> BTreeMap<String, u64> {
    v[key]["rows"]
        .as_array()
        .unwrap_or_else(|| panic!("no {key} in the screening"))
        .iter()
        .map(|r| {
            (
                r["level"].as_str().unwrap().to_string(),
                r["samples"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn counts(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
    pairs.iter().map(|(k, n)| (k.to_string(), *n)).collect()
}

/// A group's samples per level of one standard, from a screening grouped.
fn group_levels(v: &Value, group: &str, standard: &str) -> BTreeMap<String, u64> {
    let g = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == group)
        .unwrap_or_else(|| panic!("no group {group}"));
    g[standard]["levels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["level"].as_str().unwrap().to_string(),
                l["samples"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn hunan_categories_are_those_of_an_independent_recomputation() {
    let Some(file) = lantian_testdata::shared_path(
        "soil_hunan_cropland_cd/pri_Cd_data.csv",
        "the Hunan screening needs the cropland cadmium samples",
    ) else {
        return;
    };
    let v = json(&[
        "screen",
        "--samples",
        &s(&file),
        "--group-by",
        "land_use",
        "--format",
        "json",
    ]);
    // 83 paddy and 53 upland samples, every one screened in its pH band and counted.
    assert_eq!(v["samples"].as_array().unwrap().len(), 136);
    assert_eq!(v["gb15618"]["completeness"]["counted"], 136);
    assert_eq!(v["gb15618"]["completeness"]["expected"], 136);
    assert!(v["gb36600"].is_null());
    let (pp, su, sc) = ("priority_protection", "safe_utilisation", "strict_control");
    assert_eq!(
        shares(&v, "gb15618"),
        counts(&[(pp, 76), (su, 60), (sc, 0)])
    );
    assert_eq!(
        group_levels(&v, "Paddy", "gb15618"),
        counts(&[(pp, 55), (su, 28), (sc, 0)])
    );
    assert_eq!(
        group_levels(&v, "Upland", "gb15618"),
        counts(&[(pp, 21), (su, 32), (sc, 0)])
    );
    // Cd is the only item: 60 samples above their band's screening value, none above the
    // control value; the largest Pi is an upland sample at 3.12 times 0.3 mg/kg.
    let cd = &v["items"][0];
    assert_eq!(
        (&cd["item"], &cd["above_screening"], &cd["above_upper"]),
        (&Value::from("Cd"), &Value::from(60), &Value::from(0))
    );

    let dir = tempfile::tempdir().unwrap();
    let theirs = dir.path().join("categories.csv");
    let script =
        Path::new(&std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
            .join("tests/soil_recompute.py");
    let python = std::env::var("LANTIAN_PYTHON").unwrap_or_else(|_| "python3".into());
    let out = Command::new(&python)
        .arg(&script)
        .args(["--hunan", &s(&file), "--out", &s(&theirs)])
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
    let pandas: Vec<(String, String)> = std::fs::read_to_string(&theirs)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            (c[0].to_string(), c[4].to_string())
        })
        .collect();
    let lantian: Vec<(String, String)> = v["samples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["sample"].as_str().unwrap().to_string(),
                x["level"].as_str().unwrap_or("(none)").to_string(),
            )
        })
        .collect();
    assert_eq!(pandas.len(), 136);
    let differ: Vec<_> = lantian
        .iter()
        .zip(&pandas)
        .filter(|(a, b)| a != b)
        .take(5)
        .collect();
    assert!(differ.is_empty(), "first differences: {differ:?}");
}

/// The exceedances CSV as (group, item) → (samples, above screening, above upper, open,
/// no value).
fn items_table(csv: &str) -> BTreeMap<(String, String), [u64; 5]> {
    csv.lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            let n = |k: usize| c[k].parse::<u64>().unwrap();
            (
                (c[0].to_string(), c[1].to_string()),
                [n(3), n(4), n(5), n(6), n(7)],
            )
        })
        .collect()
}

#[test]
fn cumcm_exceedances_per_functional_zone_and_metal() {
    let Some(file) = lantian_testdata::shared_path(
        "soil_cumcm2011a_china_city/cumcm2011a_urban_topsoil_metals.csv",
        "the CUMCM screening needs the city's topsoil samples",
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let items = dir.path().join("items.csv");
    let v = json(&[
        "screen",
        "--samples",
        &s(&file),
        "--group-by",
        "zone",
        "--items-csv",
        &s(&items),
        "--format",
        "json",
    ]);
    // The zones and the classes they are screened as, as the reader maps them.
    let mapping: Vec<(String, String, u64)> = v["land_classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["land_use"].as_str().unwrap().to_string(),
                l["land_class"].as_str().unwrap().to_string(),
                l["samples"].as_u64().unwrap(),
            )
        })
        .collect();
    let want: Vec<(String, String, u64)> = [
        ("1 生活区 living", "construction_first", 44),
        ("2 工业区 industrial", "construction_second", 36),
        ("3 山区 mountain", "other_farmland", 66),
        ("4 主干道路区 traffic", "construction_second", 138),
        ("5 公园绿地区 park/green", "construction_first", 35),
    ]
    .iter()
    .map(|(a, b, n)| (a.to_string(), b.to_string(), *n))
    .collect();
    assert_eq!(mapping, want);
    // Construction land: one sample of the living zone above lead's first-class screening
    // value (400 mg/kg), none above an intervention value.
    assert_eq!(
        shares(&v, "gb36600"),
        counts(&[
            ("negligible", 252),
            ("within_background", 0),
            ("investigate_and_assess", 1),
            ("control_or_remediation", 0),
        ])
    );
    // The mountain zone has no pH: 59 of its 66 samples are within the lowest screening value
    // of every band, 7 cannot be placed without one.
    assert_eq!(v["gb15618"]["completeness"]["counted"], 59);
    assert_eq!(v["gb15618"]["completeness"]["expected"], 66);
    let t = items_table(&std::fs::read_to_string(&items).unwrap());
    let z1 = "1 生活区 living".to_string();
    assert_eq!(t[&(z1.clone(), "Pb".into())], [44, 1, 0, 0, 0]);
    // Zinc and total chromium: GB 36600 has no value, said per sample.
    assert_eq!(t[&(z1, "Zn".into())], [0, 0, 0, 0, 44]);
    assert_eq!(t[&("all".into(), "Cr".into())], [66, 0, 0, 1, 253]);
    assert_eq!(
        t[&("3 山区 mountain".into(), "Cd".into())],
        [66, 0, 0, 3, 0]
    );

    // The whole city screened as farmland (GB 15618 "other", no pH: every band), for reference.
    let f = dir.path().join("farmland.csv");
    let v = json(&[
        "screen",
        "--samples",
        &s(&file),
        "--group-by",
        "zone",
        "--land-class",
        "other_farmland",
        "--items-csv",
        &s(&f),
        "--format",
        "json",
    ]);
    let (pp, su, sc) = ("priority_protection", "safe_utilisation", "strict_control");
    assert_eq!(
        shares(&v, "gb15618"),
        counts(&[(pp, 162), (su, 51), (sc, 4)])
    );
    assert_eq!(v["gb15618"]["completeness"]["counted"], 217);
    assert_eq!(v["gb15618"]["completeness"]["expected"], 319);
    assert_eq!(
        group_levels(&v, "4 主干道路区 traffic", "gb15618"),
        counts(&[(pp, 50), (su, 34), (sc, 3)])
    );
    let t = items_table(&std::fs::read_to_string(&f).unwrap());
    let z4 = "4 主干道路区 traffic".to_string();
    assert_eq!(t[&(z4.clone(), "Zn".into())], [138, 27, 0, 19, 0]);
    assert_eq!(t[&(z4, "Hg".into())], [138, 3, 3, 2, 0]);
    assert_eq!(t[&("all".into(), "Cd".into())], [319, 29, 0, 95, 0]);
    assert_eq!(t[&("all".into(), "Hg".into())], [319, 4, 4, 5, 0]);
    let note = v["notes"].to_string();
    assert!(note.contains("253 had another class"), "{note}");
}

fn within(got: f64, want: f64, rel: f64, what: &str) {
    let r = (got - want).abs() / want.abs();
    assert!(r <= rel, "{what}: {got} vs scikit-gstat {want} ({r:.3e})");
}

#[test]
fn meuse_zinc_surface_is_scikit_gstats() {
    let Some(file) = lantian_testdata::shared_path(
        "soil_meuse/meuse.txt",
        "the surface's comparison with scikit-gstat needs the Meuse samples",
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let grid = dir.path().join("grid.csv");
    let v = json(&[
        "surface",
        "--samples",
        &s(&file),
        "--item",
        "Zn",
        "--threshold",
        "500",
        "--csv",
        &s(&grid),
        "--format",
        "json",
    ]);
    // scikit-gstat 1.0.26's numbers for Meuse zinc (crates/lantian-geostat/tests/meuse.rs).
    assert_eq!(v["samples_used"], 155);
    let f = &v["variogram"]["fitted"];
    within(
        f["effective_range"].as_f64().unwrap(),
        860.0403200020572,
        0.05,
        "effective range",
    );
    within(
        f["partial_sill"].as_f64().unwrap(),
        123146.07897116324,
        0.05,
        "sill",
    );
    assert_eq!(f["nugget"].as_f64(), Some(0.0));
    let cv = &v["cross_validation"];
    within(
        cv["rmse"].as_f64().unwrap(),
        223.5732727713016,
        0.05,
        "cross-validated RMSE",
    );
    assert_eq!(cv["predicted"], 154);
    assert_eq!(v["grid"]["estimated"], 7817);
    assert_eq!(v["above"]["nodes_in_region"], 4896);
    let above = v["above"]["nodes_above"].as_u64().unwrap();
    assert!(above.abs_diff(1412) <= 2, "{above}");
    assert_eq!(
        std::fs::read_to_string(&grid).unwrap().lines().count(),
        1 + 100 * 100
    );
    // Every sample on the map with its verdict: the pastures and fields are GB 15618 "other"
    // land, the woods and gardens not classed.
    assert_eq!(v["samples"].as_array().unwrap().len(), 155);
    // Meuse has several land classes and no pH: no single screening value to default to.
    let (ok, _, err) = soil(&["surface", "--samples", &s(&file), "--item", "Zn"]);
    assert!(!ok);
    assert!(
        err.contains("--threshold") && err.contains("several land classes"),
        "{err}"
    );
    let (ok, _, err) = soil(&["surface", "--samples", &s(&file), "--item", "Zx"]);
    assert!(!ok && err.contains("--item Zx: no sample has it"), "{err}");
}

const LONG: &str = "point,date,depth,item,value,unit,flag\n\
    P1,2024-05-01,0-20 cm,pH,6.O,,\n\
    P1,2024-05-01,0-20 cm,Cd,0.25,mg/kg,\n\
    P1,2024-05-01,0-20 cm,Pb,40,mg/L,\n\
    P2,2024-05-01,0-20 cm,pH,7.0,,\n\
    P2,2024-05-01,0-20 cm,Cd,0.7,mg/kg,\n";

const POINTS: &str = "point,x,y,crs,land_use,land_class,soil_type,topography,district,plot\n\
    P1,116.3,40.0,EPSG:4326,旱地,other_farmland,,,,\n\
    P2,116.4,40.1,EPSG:4326,水田,paddy,,,,\n";

const HUNAN: &str = "Data to derive cadmium regression model.,,,,,,,,,,\n\
    Unit:,,,,mg/kg,mg/kg,mg/kg,mg/L,g/kg,%,\n\
    X,Y,land_use,pH,SoilCdtot,RiceCd,StrawCd,SoilCdavi,OC,Clay,source\n\
    111.8,26.56,Upland,4.4,0.28,NA,NA,0.07,10.0,45.7,mea_clay\n\
    112.0,26.59,Paddy,7..2,0.36,NA,NA,0.01,9.4,40.8,mea_clay\n";

fn history_len(store: &Path) -> usize {
    let v: Value = serde_json::from_str(&list_ok(store, &["history", "--format", "json"])).unwrap();
    v["events"].as_array().unwrap().len()
}

#[test]
fn bad_inputs_are_named_and_refusals_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("samples.csv"), LONG).unwrap();
    std::fs::write(d.join("points.csv"), POINTS).unwrap();
    let problems = d.join("problems.txt");
    // A pH that is not a number and a unit that is not a content's: named with file, line and
    // field; the rest is screened, and each sample says what of it was not read.
    let (ok, out, err) = soil(&[
        "screen",
        "--samples",
        &s(&d.join("samples.csv")),
        "--problems",
        &s(&problems),
        "--format",
        "json",
    ]);
    assert!(ok, "{err}");
    assert!(err.contains("2 cells or rows not read"), "{err}");
    let p = std::fs::read_to_string(&problems).unwrap();
    let lines: Vec<&str> = p.lines().collect();
    assert_eq!(lines.len(), 2, "{p}");
    assert!(
        lines[0].contains("samples.csv:2: value: not a pH") && lines[0].contains("\"6.O\""),
        "{p}"
    );
    assert!(
        lines[1].contains("samples.csv:4: unit: unit \"mg/L\" is not a soil content unit"),
        "{p}"
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    let p1 = &v["samples"][0];
    assert_eq!(p1["sample"], "P1");
    assert_eq!(p1["unread"].as_array().unwrap().len(), 2);
    assert!(
        v["notes"]
            .to_string()
            .contains("1 samples have cells that could not be read")
    );
    // P2, paddy at pH 7.0: Cd 0.7 above the screening value 0.6, safe utilisation.
    assert_eq!(v["samples"][1]["level"], "safe_utilisation");
    assert_eq!(v["samples"][1]["unread"].as_array().unwrap().len(), 0);

    // A Hunan file with a pH that is not one: the sample is screened without pH and says so.
    std::fs::write(d.join("hunan.csv"), HUNAN).unwrap();
    let (ok, out, err) = soil(&[
        "screen",
        "--samples",
        &s(&d.join("hunan.csv")),
        "--format",
        "json",
    ]);
    assert!(ok, "{err}");
    assert!(err.contains("hunan.csv:5: pH: not a pH"), "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(
        v["samples"][1]["unread"][0]
            .as_str()
            .unwrap()
            .contains("hunan.csv:5: pH")
    );
    assert!(v["samples"][1]["level"].is_null());
    assert!(
        v["samples"][1]["reason"]
            .as_str()
            .unwrap()
            .contains("pH not measured")
    );

    // A unit line the reader cannot take refuses the file: non-zero, named, nothing written.
    std::fs::write(
        d.join("hunan_ug.csv"),
        HUNAN.replace("Unit:,,,,mg/kg", "Unit:,,,,µg/kg"),
    )
    .unwrap();
    let items = d.join("items.csv");
    let (ok, out, err) = soil(&[
        "screen",
        "--samples",
        &s(&d.join("hunan_ug.csv")),
        "--items-csv",
        &s(&items),
    ]);
    assert!(!ok && out.is_empty(), "{out}");
    assert!(
        err.contains("hunan_ug.csv:2") && err.contains("SoilCdtot"),
        "{err}"
    );
    assert!(!items.exists());
    // A file of no soil layout, and a land class that is not one.
    std::fs::write(d.join("water.csv"), "section,time,item,value,unit\n").unwrap();
    let (ok, _, err) = soil(&["screen", "--samples", &s(&d.join("water.csv"))]);
    assert!(!ok && err.contains("water.csv: not a soil layout"), "{err}");
    let (ok, _, err) = soil(&[
        "screen",
        "--samples",
        &s(&d.join("samples.csv")),
        "--land-class",
        "meadow",
    ]);
    assert!(!ok && err.contains("meadow"), "{err}");

    // The list: a step skipped, a reason missing, a status that is not one. Each is named
    // (file, line, field, or plot, from, to), refuses its batch, and leaves the history alone.
    let st = d.join("store");
    std::fs::write(
        d.join("ok.csv"),
        "plot,date,status,by,reason,evidence\n\
         A,2024-01-10,listed,市生态环境局,调查表明超过筛选值,调查报告; 风险评估报告\n",
    )
    .unwrap();
    list_ok(&st, &["record", "--events", &s(&d.join("ok.csv"))]);
    assert_eq!(history_len(&st), 1);
    std::fs::write(
        d.join("skip.csv"),
        "plot,date,status,by,reason,evidence\n\
         B,2024-02-01,listed,局,超过筛选值,报告\n\
         A,2024-03-01,removed,局,治理完成,报告\n",
    )
    .unwrap();
    let (ok, _, err) = soil_in(
        Some(&st),
        &["list", "record", "--events", &s(&d.join("skip.csv"))],
    );
    assert!(!ok);
    assert!(
        err.contains(
            "skip.csv:3: plot A: listed → removed on 2024-03-01 is refused (it skips a step)"
        ),
        "{err}"
    );
    assert!(err.contains("nothing is recorded"), "{err}");
    std::fs::write(
        d.join("reason.csv"),
        "plot,date,status,by,reason,evidence\n\
         A,2024-03-01,under_control,局,,方案\n\
         C,2024-03-01,listedd,局,超过,报告\n",
    )
    .unwrap();
    let (ok, _, err) = soil_in(
        Some(&st),
        &["list", "record", "--events", &s(&d.join("reason.csv"))],
    );
    assert!(!ok);
    assert!(err.contains("reason.csv:2: reason: every change"), "{err}");
    assert!(err.contains("reason.csv:3: status: not a status"), "{err}");
    let (ok, _, err) = soil_in(
        Some(&st),
        &[
            "list",
            "record",
            "--plot",
            "A",
            "--date",
            "2024-04-01",
            "--status",
            "effect_evaluated",
            "--by",
            "局",
            "--reason",
            "评估",
            "--evidence",
            "报告",
        ],
    );
    assert!(!ok);
    assert!(
        err.contains("plot A: listed → effect evaluated on 2024-04-01 is refused"),
        "{err}"
    );
    assert_eq!(history_len(&st), 1);
    // Events out of date order for a plot.
    let (ok, _, err) = soil_in(
        Some(&st),
        &[
            "list",
            "record",
            "--plot",
            "A",
            "--date",
            "2023-12-01",
            "--status",
            "under_control",
            "--by",
            "局",
            "--reason",
            "管控",
            "--evidence",
            "方案",
        ],
    );
    assert!(
        !ok && err.contains("dated before the plot's last event"),
        "{err}"
    );
    assert_eq!(history_len(&st), 1);
}

/// A large batch of list events: `plots` plots, each listed, put under control or remediation,
/// evaluated and removed.
fn many_events(plots: usize) -> String {
    let mut out = String::from("plot,date,status,by,reason,evidence\n");
    for p in 0..plots {
        let mid = if p % 3 == 0 {
            "under_remediation"
        } else {
            "under_control"
        };
        for (m, status) in ["listed", mid, "effect_evaluated", "removed"]
            .iter()
            .enumerate()
        {
            out.push_str(&format!(
                "K{p:05},2023-{:02}-{:02},{status},区生态环境局,第{m}步,报告 K{p:05}-{m}; 评审意见\n",
                m + 1,
                1 + p % 28
            ));
        }
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// The history as (plot, date, to) in the order recorded.
fn history(store: &Path) -> Vec<(String, String, String)> {
    let v: Value = serde_json::from_str(&list_ok(store, &["history", "--format", "json"])).unwrap();
    v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["plot"].as_str().unwrap().to_string(),
                e["date"].as_str().unwrap().to_string(),
                e["to"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_killed_list_record_leaves_the_old_history_or_the_whole_batch() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let base = d.join("base");
    std::fs::write(d.join("old.csv"), many_events(5).replace('K', "OLD")).unwrap();
    list_ok(&base, &["record", "--events", &s(&d.join("old.csv"))]);
    let old = history(&base);
    assert_eq!(old.len(), 20);
    let batch = d.join("batch.csv");
    std::fs::write(&batch, many_events(1500)).unwrap();
    // A run to the end, timed: what every store must hold once its rerun completes.
    let clean = d.join("clean");
    copy_dir(&base, &clean);
    let t0 = Instant::now();
    list_ok(&clean, &["record", "--events", &s(&batch)]);
    let full = t0.elapsed();
    let want = history(&clean);
    assert_eq!(want.len(), 20 + 6000);
    assert_eq!(want[..20], old[..]);

    let record = |store: &Path| {
        Command::new(bin())
            .arg("--store")
            .arg(store)
            .args(["soil", "list", "record", "--events", &s(&batch)])
            .env_remove("LANTIAN_STORE")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let (mut killed, mut as_before, mut whole) = (0, 0, 0);
    // From the start of the run to just past its usual end, most of them late, where the
    // batch is written and committed.
    let moments = [0.0, 0.2, 0.4, 0.6, 0.75, 0.85, 0.9, 0.95, 1.0, 1.05];
    for (k, at) in moments.iter().enumerate() {
        let st = d.join(format!("kill{k}"));
        copy_dir(&base, &st);
        let mut child = record(&st);
        std::thread::sleep(full.mul_f64(*at));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            killed += 1;
        }
        child.wait().unwrap();
        let h = history(&st);
        if h == old {
            as_before += 1;
        } else {
            assert_eq!(h, want, "kill {k}: a part of the batch is in the history");
            whole += 1;
        }
        // The same record run again completes the store to what a clean run gives.
        list_ok(&st, &["record", "--events", &s(&batch)]);
        assert_eq!(history(&st), want, "kill {k}: the rerun");
    }
    eprintln!(
        "a run takes {full:?}; {killed} runs killed: {as_before} left the old history, {whole} \
         the whole batch"
    );
    assert!(
        killed >= 3,
        "only {killed} runs were killed before they ended"
    );
    assert!(as_before >= 1, "no kill landed before the commit");
    // The whole batch, run once more, is recognised as recorded and changes nothing.
    let again = list_ok(&clean, &["record", "--events", &s(&batch)]);
    assert!(again.contains("nothing to record"), "{again}");
    assert_eq!(history(&clean), want);
}

#[test]
fn the_generated_model_is_read_back_with_the_counts_it_was_made_with() {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("bj");
    let out = soil_ok(&["generate", "--out", &s(&m), "--seed", "1", "--year", "2024"]);
    assert!(out.contains("500 network points"), "{out}");
    for f in [
        "points.csv",
        "network_samples.csv",
        "plot_samples.csv",
        "plots.csv",
        "list_events.csv",
        "classes.csv",
        "combinations.csv",
    ] {
        assert!(m.join(f).is_file(), "{f}");
    }
    // Every sample and plot, screened: the network's 500 points and the plots' 206 samples.
    let v = json(&[
        "screen",
        "--samples",
        &s(&m),
        "--plots",
        &s(&m.join("plots.csv")),
        "--format",
        "json",
    ]);
    assert_eq!(v["samples"].as_array().unwrap().len(), 706);
    assert_eq!(v["problems"], 0);
    let (pp, su, sc) = ("priority_protection", "safe_utilisation", "strict_control");
    assert_eq!(
        shares(&v, "gb15618"),
        counts(&[(pp, 226), (su, 21), (sc, 2)])
    );
    // The 130 forest points have no class: they count against both standards' completeness.
    assert_eq!(v["gb15618"]["completeness"]["counted"], 249);
    assert_eq!(v["gb15618"]["completeness"]["expected"], 379);
    assert_eq!(
        shares(&v, "gb36600"),
        counts(&[
            ("negligible", 301),
            ("within_background", 0),
            ("investigate_and_assess", 19),
            ("control_or_remediation", 7),
        ])
    );
    // The plots as the model made them: 5 above an intervention value, 12 above a screening
    // value only, 23 below; every one counted by area.
    let area = &v["area_gb36600"];
    let plots: Vec<u64> = area["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["plots"].as_u64().unwrap())
        .collect();
    assert_eq!(plots, [23, 0, 12, 5]);
    assert_eq!(area["completeness"]["counted"], 40);
    assert!(area["not_counted"].as_array().unwrap().is_empty());

    // The network's coverage: every class of every dimension, 17 of the 18 land-use × soil-type
    // combinations that exist; the chestnut orchards on brown earth have no point.
    let c = json(&[
        "coverage",
        "--points",
        &s(&m.join("network_samples.csv")),
        "--classes",
        &s(&m.join("classes.csv")),
        "--combinations",
        &s(&m.join("combinations.csv")),
        "--format",
        "json",
    ]);
    assert_eq!(c["points"], 500);
    for d in c["dimensions"].as_array().unwrap() {
        assert!(d["empty"].as_array().unwrap().is_empty(), "{d}");
        assert!(d["not_in_city"].as_array().unwrap().is_empty(), "{d}");
    }
    assert_eq!(
        (
            c["cross"]["existing"].as_u64(),
            c["cross"]["covered"].as_u64()
        ),
        (Some(18), Some(17))
    );
    assert_eq!(c["cross"]["empty"][0]["row"], "园地");
    assert_eq!(c["cross"]["empty"][0]["column"], "棕壤");
    assert!(
        c["cross"]["outside_existing"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // The list: 44 events of 17 plots, 12 plots still on it at the end of 2024.
    let st = dir.path().join("store");
    let events = s(&m.join("list_events.csv"));
    let r: Value = serde_json::from_str(&list_ok(
        &st,
        &["record", "--events", &events, "--format", "json"],
    ))
    .unwrap();
    assert_eq!(
        (r["recorded"].as_u64(), r["plots"].as_u64()),
        (Some(44), Some(17))
    );
    let a: Value = serde_json::from_str(&list_ok(
        &st,
        &["as-of", "--date", "2024-12-31", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(a["entries"].as_array().unwrap().len(), 12);
    let by: Vec<u64> = a["by_status"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["plots"].as_u64().unwrap())
        .collect();
    assert_eq!(by, [0, 3, 9, 0]);
    let ch: Value = serde_json::from_str(&list_ok(
        &st,
        &[
            "changes",
            "--from",
            "2023-12-31",
            "--to",
            "2024-12-31",
            "--format",
            "json",
        ],
    ))
    .unwrap();
    let n = |k: &str| ch[k].as_array().unwrap().len();
    assert_eq!((n("entered"), n("status_changes"), n("removed")), (6, 8, 3));
    // Recorded again: nothing new.
    let again = list_ok(&st, &["record", "--events", &events]);
    assert!(
        again.contains("nothing to record: all 44 events"),
        "{again}"
    );
    assert_eq!(history_len(&st), 44);
}
