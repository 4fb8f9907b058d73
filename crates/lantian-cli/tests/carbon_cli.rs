//! `lantian carbon` through the binary: a small Beijing market worked by hand, its bad rows, the
//! registry samples and the EU ETS oracle.

mod common;
use common::{lantian, lantian_ok};
use std::path::Path;

/// Three units in Beijing, 2023–2024.
/// - U1 Plant: 3,000 + 2,000 t direct and indirect (must join at 5,000); 5,000 t verified;
///   allocation 4,800 + 100 = 4,900, so offsets may cover 5 % = 245 t, 2.5 % = 122.5 t from
///   outside Beijing. Surrendered 4,750 allowances, 200 t CCER from Beijing and 60 t from Hebei:
///   the Beijing 200 count, then 45 of Hebei's 60 (the 245 cap), 15 refused. 4,995 against
///   5,000: 5 t short; with CNY 100 a tonne and 3–5 × the price: CNY 1,500–2,500.
/// - U2 Mall: 1,000 + 3,999 t (below 5,000); "Not Reported" for 2023 with 100 t surrendered.
/// - U3 Depot: 2023 compliant with 1,000 t to spare; 2024 100 t short (yearly settlement: the
///   2023 surplus does not help), 5–10 × the price from 2024: CNY 50,000–100,000.
const BOOKS: &str =
    "unit,name,year,direct_t,indirect_t,emissions,free_allocation_t,auctioned_t,surrendered_t
U1,Plant,2023,3000,2000,5000,4800,100,4750
U2,Mall,2023,1000,3999,Not Reported,,,100
U3,Depot,2023,8000,0,8000,9000,,9000
U3,Depot,2024,8200,0,8200,9000,,8100
";
const SURRENDERS: &str = "unit,year,kind,origin,vintage,project,tonnes
U1,2023,ccer,in-region,2022,Miyun forestry,200
U1,2023,ccer,Hebei,2022,Zhangjiakou wind,60
";

fn files(dir: &Path, books: &str, surrenders: &str) -> (String, String) {
    let b = dir.join("books.csv");
    let s = dir.join("surrenders.csv");
    std::fs::write(&b, books).unwrap();
    std::fs::write(&s, surrenders).unwrap();
    (b.display().to_string(), s.display().to_string())
}

#[test]
fn units_at_the_threshold() {
    let dir = tempfile::tempdir().unwrap();
    let (b, _) = files(dir.path(), BOOKS, SURRENDERS);
    let out = lantian_ok(
        dir.path(),
        &["carbon", "units", "--books", &b, "--format", "csv"],
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "unit,name,year,counted_t,threshold_t,decision");
    assert_eq!(lines[1], "U1,Plant,2023,5000,5000,must join");
    assert_eq!(lines[2], "U2,Mall,2023,4999,5000,below");
    assert_eq!(lines[3], "U3,Depot,2023,8000,5000,must join");
}

#[test]
fn compliance_worked_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let (b, s) = files(dir.path(), BOOKS, SURRENDERS);
    let out = lantian_ok(
        dir.path(),
        &[
            "carbon",
            "compliance",
            "--books",
            &b,
            "--surrenders",
            &s,
            "--price",
            "100",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = v["rows"].as_array().unwrap();
    let row = |unit: &str, year: i64| {
        rows.iter()
            .find(|r| r["unit"] == unit && r["year"] == year)
            .unwrap()
    };
    let u1 = row("U1", 2023);
    assert_eq!(u1["offsets"]["counted_t"], 245.0);
    assert_eq!(u1["offsets"]["refused_t"], 15.0);
    assert_eq!(
        u1["offsets"]["parcels"][1]["refusal"]["reason"],
        "above_cap"
    );
    assert_eq!(u1["surrendered_t"], 4995.0);
    assert_eq!(u1["status"], "shortfall");
    assert_eq!(u1["shortfall_t"], 5.0);
    assert_eq!(
        (
            u1["penalty"]["low"].as_f64(),
            u1["penalty"]["high"].as_f64()
        ),
        (Some(1500.0), Some(2500.0))
    );
    assert_eq!(row("U2", 2023)["status"], "not_reported");
    assert_eq!(row("U2", 2023)["balance_t"], 100.0);
    let u3 = row("U3", 2024);
    assert_eq!(
        (u3["carried_in_t"].as_f64(), u3["balance_t"].as_f64()),
        (Some(0.0), Some(-100.0))
    );
    assert_eq!(
        (
            u3["penalty"]["low"].as_f64(),
            u3["penalty"]["high"].as_f64()
        ),
        (Some(50_000.0), Some(100_000.0))
    );
    let y2023 = &v["years"][0];
    assert_eq!(y2023["units"], 3);
    assert_eq!(
        (y2023["compliant"].as_u64(), y2023["shortfall"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(y2023["not_reported"], 1);
    assert_eq!(y2023["compliance_pct"], 50.0);
    assert_eq!(y2023["emissions_t"], 13_000.0);
    // The surrender before verification is a finding, not a loss.
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2);
    assert_eq!(
        (&findings[0][0], &findings[0][1]["finding"]),
        (&"U1".into(), &"offsets_refused".into())
    );
    assert_eq!(findings[0][1]["refused_t"], 15.0);
    assert_eq!(
        (&findings[1][0], &findings[1][1]["finding"]),
        (&"U2".into(), &"surrender_before_verification".into())
    );
}

#[test]
fn bad_books_are_named_and_nothing_is_joined_silently() {
    let dir = tempfile::tempdir().unwrap();
    let books = format!("{BOOKS}U4,Bad,2023,,,-7,,,\nU5,Text,2023,,,lots,,,\n");
    let surrenders = format!("{SURRENDERS}U9,2023,ccer,in-region,2022,x,1\n");
    let (b, s) = files(dir.path(), &books, &surrenders);
    let out = lantian_ok(
        dir.path(),
        &["carbon", "compliance", "--books", &b, "--surrenders", &s],
    );
    assert!(out.contains("3 rows or cells not read"), "{out}");
    assert!(
        out.contains(
            "books.csv:6: emissions: negative verified emissions; the row is not read (\"-7\")"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "books.csv:7: emissions: \"lots\" is neither a number of tonnes nor a registry state"
        ),
        "{out}"
    );
    assert!(out.contains("surrenders.csv:4: unit: unknown unit: not in the books; the parcel is not joined (\"U9\")"), "{out}");
    // A file that is not books at all stops with its name.
    let (b, _) = files(dir.path(), "a,b\n1,2\n", "");
    let (ok, _, err) = lantian(dir.path(), &["carbon", "compliance", "--books", &b]);
    assert!(!ok);
    assert!(
        err.contains("books.csv: line 1: columns missing: unit, year, emissions"),
        "{err}"
    );
    let (ok, _, err) = lantian(
        dir.path(),
        &["carbon", "units", "--books", &b, "--scheme", "mars"],
    );
    assert!(!ok);
    assert!(
        err.contains("'mars' is not a scheme (beijing, china-national, eu-ets)"),
        "{err}"
    );
}

#[test]
fn registry_samples_are_not_eligible_in_beijing() {
    let Some(dir) = lantian_testdata::shared_path("carbon_offsets_samples", "offset eligibility")
    else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = lantian_ok(
        tmp.path(),
        &[
            "carbon",
            "offsets",
            "--scheme",
            "beijing",
            "--year",
            "2024",
            "--listings",
            dir.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // 200 Verra batches, 100 Gold Standard issuances and 100 retirements; 50 + 50 projects.
    assert_eq!(v["batches"].as_array().unwrap().len(), 400);
    assert_eq!(v["projects"], 100);
    assert!(
        v["problems"].as_array().unwrap().is_empty(),
        "{}",
        v["problems"]
    );
    assert_eq!(v["eligible_t"], 0.0);
    // China has 7 Verra projects in the sample.
    let china = v["projects_by_country"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c[0] == "China")
        .unwrap();
    assert_eq!(china[1], 7);
    // Every batch is refused at least for its kind; retired ones also as no longer held.
    for b in v["batches"].as_array().unwrap() {
        let reasons: Vec<&str> = b["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["reason"].as_str().unwrap())
            .collect();
        assert!(reasons.contains(&"not_accepted"), "{b}");
        assert_eq!(
            reasons.contains(&"no_longer_held"),
            b["status"] != "issued",
            "{b}"
        );
    }
}

#[test]
fn the_oracle_command() {
    let Some(dir) = lantian_testdata::shared_path("carbon_eu_ets", "the EU ETS oracle command")
    else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let letters = tmp.path().join("letters.csv");
    let out = lantian_ok(
        tmp.path(),
        &[
            "carbon",
            "oracle",
            "--data",
            dir.to_str().unwrap(),
            "--format",
            "csv",
            "--letters",
            letters.to_str().unwrap(),
        ],
    );
    let all = out.lines().find(|l| l.starts_with("all,")).unwrap();
    assert_eq!(all, "all,167219,26833,99.806,99.862,99.516,99.170");
    let written = std::fs::read_to_string(&letters).unwrap();
    assert_eq!(written.lines().count(), 172_164); // header + every published letter
    assert!(written.starts_with("account_id,year,published,recomputed\n93707,2005,A,A\n"));
    // A folder without the panel is named.
    let (ok, _, err) = lantian(
        tmp.path(),
        &["carbon", "oracle", "--data", tmp.path().to_str().unwrap()],
    );
    assert!(!ok);
    assert!(
        err.contains("installations.csv") && err.contains("the folder must hold"),
        "{err}"
    );
}

#[test]
fn green_electricity_both_ways_and_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    let power = dir.path().join("power.csv");
    std::fs::write(
        &power,
        "unit,year,consumption_mwh,green_mwh\nU1,2023,10000,4000\nU2,2023,5000,0\nU1,2024,10000,6000\nU2,2024,x,0\n",
    )
    .unwrap();
    let p = power.to_str().unwrap();
    let out = lantian_ok(
        dir.path(),
        &[
            "carbon",
            "green",
            "--electricity",
            p,
            "--plan",
            "2022:1000:2025:13000",
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // 2023 and 2024 use the 2022 national factor, 0.5703 t/MWh (the latest published before).
    let u1 = &v["rows"][0];
    assert_eq!(u1["factor_t_per_mwh"], 0.5703);
    assert!((u1["avoided_t"].as_f64().unwrap() - 2_281.2).abs() < 1e-6);
    let y = &v["years"][0];
    assert_eq!(
        (
            y["consumption_mwh"].as_f64(),
            y["green_counted_mwh"].as_f64()
        ),
        (Some(15_000.0), Some(4_000.0))
    );
    assert!((y["market_based_t"].as_f64().unwrap() - 11_000.0 * 0.5703).abs() < 1e-6);
    // Plan 1,000 → 13,000 MWh over 2022–2025: 4,000 in 2023 is 25 % done against a 33.3 % path.
    assert_eq!(y["plan"]["done_pct"], 25.0);
    assert_eq!(y["plan"]["on_track"], false);
    assert_eq!(
        v["problems"][0],
        "power.csv:5: consumption_mwh: must be a number of MWh, zero or more; the row is not read (\"x\")"
    );
    // A year with no published factor, and a plan that cannot be read, are named.
    std::fs::write(&power, "unit,year,consumption_mwh,green_mwh\nU1,2019,1,1\n").unwrap();
    let (ok, _, err) = lantian(dir.path(), &["carbon", "green", "--electricity", p]);
    assert!(!ok);
    assert!(err.contains("no emission factor for 2019"), "{err}");
    let (ok, _, err) = lantian(
        dir.path(),
        &[
            "carbon",
            "green",
            "--electricity",
            p,
            "--plan",
            "2025:1:2022:3",
        ],
    );
    assert!(!ok);
    assert!(
        err.contains("the target year must follow the base year"),
        "{err}"
    );
    let out = lantian_ok(
        dir.path(),
        &[
            "carbon",
            "green",
            "--electricity",
            p,
            "--factor",
            "0.6",
            "--format",
            "csv",
        ],
    );
    assert_eq!(out.lines().nth(1), Some("U1,2019,1,1,100.0,0.6,1,0,1"));
}
