//! The soil readers on small hand-written files with exact expectations (units, detection
//! limits, every kind of bad cell), and on the real survey sets of `../shared/data`, whose
//! every file is accounted for here.

use chrono::NaiveDate;
use lantian_ingest::soil::long::{read_long, read_points};
use lantian_ingest::soil::plots::{read_list_events, read_plots};
use lantian_ingest::soil::{
    Problem, SoilError, SoilFile, cumcm, hunan, jura, meuse, read_path, read_str,
};
use lantian_soil::{LandClass, Sample, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn measured(mg_kg: f64) -> Value {
    Value::Measured { mg_kg }
}

fn below(limit_mg_kg: f64) -> Value {
    Value::BelowDetection { limit_mg_kg }
}

/// The sample read from `line`.
fn at(f: &SoilFile, line: usize) -> &Sample {
    let found: Vec<&Sample> = f.samples.iter().filter(|s| s.line == line).collect();
    assert_eq!(found.len(), 1, "line {line}: {:#?}", f.samples);
    found[0]
}

/// The problems as `file:line: field: …` text.
fn messages(f: &[Problem]) -> Vec<String> {
    f.iter().map(|p| p.to_string()).collect()
}

/// The one problem at `line` in `field`.
fn problem<'a>(f: &'a SoilFile, line: u64, field: &str) -> &'a Problem {
    let found: Vec<&Problem> = f
        .problems
        .iter()
        .filter(|p| p.line == line && p.field == field)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "{line} {field}: {:#?}",
        messages(&f.problems)
    );
    found[0]
}

// ---------------------------------------------------------------------------------------------
// Hand-written files.

#[test]
fn cumcm_converts_ng_g_and_keeps_the_rest_of_a_bad_row() {
    let text = "x,y,z,area,As,Cd,Cr,Cu,Hg,Ni,Pb,Zn\n\
                74.0,781.0,5.0,4.0,7.84,153.8,44.31,20.56,266.0,18.2,35.38,72.35\n\
                1373,731,11,1,abc,-146.2,45.05,<0.5,ND,NA,36.18,94.59\n\
                1321,1791,28,7,4.9,439.2,29.07,64.56,109,10.6,74.32,218.37\n\
                0,1787,4,2,6.56\n\
                x1,1787,4,5,6.56,223.9,40.08,25.17,950,15.4,32.28,117.35\n";
    let f = read_str("c.csv", text).unwrap();
    assert_eq!(f.rows, 5);
    assert_eq!(f.samples.len(), 4);
    let s = at(&f, 2);
    assert_eq!(s.id, "1");
    assert_eq!(s.crs, "local grid, m");
    // 153.8 ng/g is 0.1538 mg/kg exactly as the text "0.1538" parses.
    assert_eq!(s.content("Cd").unwrap().value, measured(0.1538));
    assert_eq!(
        s.content("Cd").unwrap().value,
        measured("0.1538".parse().unwrap())
    );
    assert_eq!(s.content("Hg").unwrap().value, measured(0.266));
    assert_eq!(s.content("Zn").unwrap().value, measured(72.35));
    assert_eq!(s.contents.len(), 8);
    // Row 3: As text, Cd negative, Hg ND without a limit: each a problem; Cu below detection
    // and the others kept; Ni NA is not measured.
    let s = at(&f, 3);
    assert_eq!(s.land_class, Some(LandClass::ConstructionFirst));
    assert_eq!(s.land_use.as_deref(), Some("1 生活区 living"));
    let items: Vec<&str> = s.contents.iter().map(|c| c.item.as_str()).collect();
    assert_eq!(items, ["Cr", "Cu", "Pb", "Zn"]);
    assert_eq!(s.content("Cu").unwrap().value, below(0.5));
    assert!(problem(&f, 3, "As").message.starts_with("not a number"));
    assert!(problem(&f, 3, "Cd").message.contains("negative"));
    assert!(problem(&f, 3, "Hg").message.contains("no detection limit"));
    assert_eq!(f.not_measured, 1);
    // Row 4: zone 7 kept as written, unclassed, the contents read.
    let s = at(&f, 4);
    assert_eq!(s.land_use.as_deref(), Some("7"));
    assert_eq!(s.land_class, None);
    assert_eq!(s.contents.len(), 8);
    assert!(problem(&f, 4, "area").kept);
    // Row 5 is short: not read, named. Row 6: x is text, the rest read.
    assert!(problem(&f, 5, "row").message.contains("5 fields"));
    let s = at(&f, 6);
    assert_eq!((s.x, s.y), (None, Some(1787.0)));
    assert_eq!(s.id, "5");
    let msgs = messages(&f.problems);
    assert_eq!(msgs.len(), 6, "{msgs:#?}");
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("c.csv:6: x: not a coordinate")),
        "{msgs:#?}"
    );
    assert_eq!(f.unused_columns.len(), 1);
    assert_eq!(f.unused_columns[0].name, "z");
    assert_eq!(f.unused_columns[0].unit.as_deref(), Some("m"));
}

#[test]
fn a_header_that_is_not_the_sets_is_refused() {
    let e = cumcm::read_cumcm("c.csv", "x,y,z,area,As,Cd\n1,2,3,4,5,6\n").unwrap_err();
    assert!(e.to_string().starts_with("c.csv:1: header:"), "{e}");
    let e = jura::read_jura("j.csv", "").unwrap_err();
    assert_eq!((e.line, e.field.as_str()), (1, "header"));
    let e = meuse::read_meuse("m.txt", "\"x\",\"y\"\n").unwrap_err();
    assert_eq!(e.field, "header");
}

const HUNAN_HEAD: &str = "Data to derive cadmium regression model.,,,,,,,,,,\n\
                          Unit:,,,,mg/kg,mg/kg,mg/kg,mg/L,g/kg,%,\n\
                          X,Y,land_use,pH,SoilCdtot,RiceCd,StrawCd,SoilCdavi,OC,Clay,source\n";

#[test]
fn hunan_reads_after_its_unit_line() {
    let text = format!(
        "{HUNAN_HEAD}\
         111.8052778,26.56888889,Upland,4.4,0.2826324,NA,NA,0.07989,10.0175,45.755,mea_clay\n\
         111.9788889,26.43305556,Paddy,5.1,0.6500298,0.166,0.705,0.25768,12.416,3.969,mea_clay\n\
         111.9,26.5,Paddy,15,0.5,,,5.00E-05,17.1,3.7,est_clay\n\
         111.9,96.5,Forest,6.0,high,,,0.1,17.1,3.7,est_clay\n\
         111.9,26.5,Paddy,NA,NA,,,0.1,17.1,3.7,est_clay\n"
    );
    let f = read_str("h.csv", &text).unwrap();
    assert_eq!(f.rows, 5);
    assert_eq!(f.samples.len(), 5);
    let s = at(&f, 4);
    assert_eq!(s.crs, "EPSG:4326");
    assert_eq!((s.x, s.y), (Some(111.8052778), Some(26.56888889)));
    assert_eq!(s.land_class, Some(LandClass::OtherFarmland));
    assert_eq!(s.ph, Some(4.4));
    assert_eq!(s.contents.len(), 1);
    let cd = s.content("Cd").unwrap();
    assert_eq!(cd.value, measured(0.2826324));
    assert_eq!(cd.source_unit, None);
    assert_eq!(at(&f, 5).land_class, Some(LandClass::Paddy));
    // pH 15: not taken, the Cd kept.
    let s = at(&f, 6);
    assert_eq!(s.ph, None);
    assert_eq!(s.content("Cd").unwrap().value, measured(0.5));
    assert!(problem(&f, 6, "pH").message.contains("between 0 and 14"));
    // A latitude of 96.5, an unknown land use, a Cd in words: each named, the pH kept.
    let s = at(&f, 7);
    assert_eq!(s.ph, Some(6.0));
    assert_eq!(s.y, None);
    assert_eq!(s.land_use.as_deref(), Some("Forest"));
    assert_eq!(s.land_class, None);
    assert!(s.contents.is_empty());
    assert!(problem(&f, 7, "Y").message.contains("latitude"));
    assert!(problem(&f, 7, "land_use").kept);
    assert!(
        problem(&f, 7, "SoilCdtot")
            .message
            .starts_with("not a number")
    );
    assert_eq!(f.problems.len(), 4, "{:#?}", messages(&f.problems));
    // Not measured: pH and SoilCdtot of the last row (the plant columns are not read).
    assert_eq!(f.not_measured, 2);
    let unused: Vec<(&str, Option<&str>)> = f
        .unused_columns
        .iter()
        .map(|u| (u.name.as_str(), u.unit.as_deref()))
        .collect();
    assert_eq!(
        unused,
        [
            ("RiceCd", Some("mg/kg")),
            ("StrawCd", Some("mg/kg")),
            ("SoilCdavi", Some("mg/L")),
            ("OC", Some("g/kg")),
            ("Clay", Some("%")),
            ("source", None),
        ]
    );
}

#[test]
fn hunan_with_another_unit_is_refused() {
    let text = HUNAN_HEAD.replacen("Unit:,,,,mg/kg", "Unit:,,,,µg/kg", 1)
        + "111.8,26.5,Upland,4.4,282.6,NA,NA,0.07989,10.0175,45.755,mea_clay\n";
    let e = read_str("h.csv", &text).unwrap_err();
    let SoilError::Refused(p) = &e else {
        panic!("{e}")
    };
    assert_eq!(
        (p.line, p.field.as_str(), p.value.as_str()),
        (2, "SoilCdtot", "µg/kg")
    );
    assert!(
        e.to_string()
            .starts_with("h.csv:2: SoilCdtot: the unit of SoilCdtot must be mg/kg")
    );
    // Without the unit line the unit is unknown.
    let text = "Data to derive cadmium regression model.,,,,,,,,,,\n\
                X,Y,land_use,pH,SoilCdtot,RiceCd,StrawCd,SoilCdavi,OC,Clay,source\n\
                111.8,26.5,Upland,4.4,0.28,NA,NA,0.07989,10.0175,45.755,mea_clay\n";
    let e = hunan::read_hunan("h.csv", text).unwrap_err();
    assert_eq!((e.line, e.field.as_str()), (2, "unit line"));
    // A pH with a unit means the columns moved.
    let text = HUNAN_HEAD.replacen("Unit:,,,,", "Unit:,,,mg/kg,", 1);
    let e = hunan::read_hunan("h.csv", &text).unwrap_err();
    assert_eq!(e.field, "pH");
}

#[test]
fn jura_and_meuse_rows() {
    let text = format!(
        "{}\n2.386,3.077,6.85,47.13,Tillage,Sequanian,1.74,9.32,38.32,-25.72,21.32,77.36,92.56\n\
         4.61,x,6.87,47.14,Forest,Kimmeridgian,1.384,12.68,30.76,7.48,20.72,48.0,46.8\n",
        jura::COLUMNS.join(",")
    );
    let f = read_str("jura_val.csv", &text).unwrap();
    let s = at(&f, 2);
    assert_eq!((s.x, s.y), (Some(2386.0), Some(3077.0)));
    assert_eq!(s.land_class, Some(LandClass::OtherFarmland));
    assert_eq!(s.contents.len(), 6);
    assert!(s.content("Cu").is_none());
    assert!(problem(&f, 2, "Cu").message.contains("negative"));
    assert_eq!(at(&f, 3).y, None);
    assert!(
        problem(&f, 3, "Yloc")
            .message
            .starts_with("not a coordinate")
    );
    assert_eq!(f.problems.len(), 2);
    let names: Vec<&str> = f.unused_columns.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["long", "lat"]);

    let text = "\"x\",\"y\",\"cadmium\",\"copper\",\"lead\",\"zinc\",\"elev\",\"dist\",\"om\",\"ffreq\",\"soil\",\"lime\",\"landuse\",\"dist.m\"\n\
                181072,333611,11.7,85,299,1022,7.909,0.00135803,13.6,\"1\",\"1\",\"1\",\"Ah\",50\n\
                181298,333484,2.6,81,116,257,7.655,0.190094,NA,\"1\",\"4\",\"0\",NA,270\n\
                179466,330381,0.8,21,51,162,9.406,0.358606,5.7,\"3\",\"3\",\"0\",\"Fh\",460\n";
    let f = read_str("meuse.txt", text).unwrap();
    assert_eq!(f.samples.len(), 3);
    let s = at(&f, 2);
    assert_eq!(s.crs, "EPSG:28992");
    assert_eq!((s.x, s.y), (Some(181072.0), Some(333611.0)));
    assert_eq!(s.soil_type.as_deref(), Some("1 Rd10A"));
    assert_eq!(s.land_use.as_deref(), Some("Ah"));
    assert_eq!(s.land_class, Some(LandClass::OtherFarmland));
    let zn = s.content("Zn").unwrap();
    assert_eq!(zn.value, measured(1022.0));
    assert_eq!(zn.source_unit.as_deref(), Some("ppm"));
    // Soil unit 4 is kept as written and named; the landuse NA is not measured (om is not read).
    let s = at(&f, 3);
    assert_eq!(s.soil_type.as_deref(), Some("4"));
    assert_eq!(s.land_use, None);
    assert!(problem(&f, 3, "soil").kept);
    assert_eq!(f.not_measured, 1);
    assert_eq!(at(&f, 4).land_class, Some(LandClass::Orchard));
    assert_eq!(f.problems.len(), 1);
    assert_eq!(f.unused_columns.len(), 6);
}

const POINTS: &str = "point,x,y,crs,land_use,land_class,soil_type,topography,district,plot\n\
                      P1,116.3,39.9,EPSG:4326,水田,paddy,红壤,平原,昌平区,D1\n\
                      P2,116.4,95,EPSG:4326,菜地,vegetable,,,,\n\
                      P1,0,0,EPSG:4326,,,,,,\n\
                      ,1,1,,,,,,,\n\
                      P3,500,600,,,construction_first,,,,D2\n";

#[test]
fn points_are_read_and_bad_cells_named() {
    let p = read_points("points.csv", POINTS).unwrap();
    assert_eq!(p.rows, 5);
    let ids: Vec<&str> = p.items.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(ids, ["P1", "P2", "P3"]);
    let p1 = &p.items[0];
    assert_eq!((p1.x, p1.y), (Some(116.3), Some(39.9)));
    assert_eq!(p1.land_class, Some(LandClass::Paddy));
    assert_eq!(p1.plot.as_deref(), Some("D1"));
    assert_eq!(p1.soil_type.as_deref(), Some("红壤"));
    let p2 = &p.items[1];
    assert_eq!((p2.x, p2.y, p2.land_class), (Some(116.4), None, None));
    let msgs = messages(&p.problems);
    assert_eq!(msgs.len(), 5, "{msgs:#?}");
    assert!(msgs[0].starts_with("points.csv:3: y: outside"), "{msgs:#?}");
    assert!(
        msgs[1].starts_with("points.csv:3: land_class: unknown land class"),
        "{msgs:#?}"
    );
    assert!(msgs[2].contains("already on line 2"), "{msgs:#?}");
    assert!(msgs[3].starts_with("points.csv:5: point:"), "{msgs:#?}");
    assert!(
        msgs[4].starts_with("points.csv:6: crs: coordinates without"),
        "{msgs:#?}"
    );
    assert!(p.problems[4].kept);
}

const LONG: &str = "point,date,depth,item,value,unit,flag,dl\n\
    P1,2024-04-02,0-20 cm,Cd,153.8,ng/g,,\n\
    P1,2024-04-02,0-20 cm,pH,6.8,,,\n\
    P1,2024-04-02,0-20 cm,Hg,<10,µg/kg,ok,\n\
    P1,2024-04-02,0-20 cm,As,0.01L,mg/kg,,\n\
    P1,2024-04-02,0-20 cm,71-43-2,ND,mg/kg,,0.0019\n\
    P1,2024-04-02,0-20 cm,Pb,ND,mg/kg,,\n\
    P1,2024-04-02,0-20 cm,Cu,12,mg/L,,\n\
    P1,2024-04-02,0-20 cm,Cd,0.3,mg/kg,,\n\
    P1,2024-04-02,20-40 cm,镉,0.12,mg/kg,doubtful,\n\
    P1,2024-04-02,20-40 cm,pH,15,,,\n\
    P1,2024-04-02,20-40 cm,Zn,1.5,g/kg,,\n\
    P1,2024-04-02,20-40 cm,Ni,-3,mg/kg,,\n\
    P1,2024-04-02,20-40 cm,Cr,80,mg/kg,bad,\n\
    P1,2024-04-02,20-40 cm,Cr6+,NA,mg/kg,,\n\
    P2,2024-04-03,,Cu,x,mg/kg,,\n\
    P2,2024-04-03,,CD,1,mg/kg,,\n\
    P2,02/04/2024,,Cu,1,mg/kg,,\n\
    P2,2024-04-03,,Cu,25,µg/g,maybe,\n\
    P9,,,Co,8,mg/kg,,\n\
    P2,2024-04-03,,pH,6,mg/kg,,\n";

#[test]
fn long_rows_group_into_samples() {
    let points = read_points("points.csv", POINTS).unwrap();
    let f = read_long("long.csv", LONG, Some(&points)).unwrap();
    assert_eq!(f.rows, 20);
    let keys: Vec<(&str, Option<&str>, usize)> = f
        .samples
        .iter()
        .map(|s| (s.id.as_str(), s.depth.as_deref(), s.line))
        .collect();
    assert_eq!(
        keys,
        [
            ("P1", Some("0-20 cm"), 2),
            ("P1", Some("20-40 cm"), 10),
            ("P2", None, 16),
            ("P9", None, 20),
        ]
    );
    let top = &f.samples[0];
    assert_eq!(top.date, NaiveDate::from_ymd_opt(2024, 4, 2));
    assert_eq!(top.ph, Some(6.8));
    assert_eq!(top.land_class, Some(LandClass::Paddy));
    assert_eq!((top.x, top.y), (Some(116.3), Some(39.9)));
    assert_eq!(top.crs, "EPSG:4326");
    assert_eq!(top.plot.as_deref(), Some("D1"));
    assert_eq!(top.district.as_deref(), Some("昌平区"));
    let cd = top.content("Cd").unwrap();
    assert_eq!(cd.value, measured(0.1538));
    assert_eq!(cd.source_unit.as_deref(), Some("ng/g"));
    assert_eq!(top.content("Hg").unwrap().value, below(0.01));
    assert_eq!(
        top.content("Hg").unwrap().source_unit.as_deref(),
        Some("µg/kg")
    );
    assert_eq!(top.content("As").unwrap().value, below(0.01));
    assert_eq!(top.content("71-43-2").unwrap().value, below(0.0019));
    assert!(top.content("Pb").is_none());
    assert!(top.content("Cu").is_none());
    assert_eq!(top.contents.len(), 4);
    let sub = &f.samples[1];
    assert_eq!(sub.content("Cd").unwrap().value, measured(0.12));
    assert_eq!(sub.content("Zn").unwrap().value, measured(1500.0));
    assert_eq!(sub.ph, None);
    assert_eq!(sub.contents.len(), 2);
    // P2: the doubtful-free Cu rows all fail; the pH with a unit is not taken.
    assert!(f.samples[2].contents.is_empty());
    assert_eq!(f.samples[2].ph, None);
    assert_eq!(f.samples[3].crs, "");
    assert_eq!(f.samples[3].content("Co").unwrap().value, measured(8.0));
    assert_eq!(f.not_measured, 1);

    let msgs = messages(&f.problems);
    let expected = [
        "long.csv:7: value: not detected, and no detection limit",
        "long.csv:8: unit: unit \"mg/L\" is not a soil content unit",
        "long.csv:9: item: the item is already given for this sample on line 2",
        "long.csv:10: flag: flagged doubtful by the source: taken",
        "long.csv:11: value: a pH lies between 0 and 14",
        "long.csv:13: value: a content cannot be negative",
        "long.csv:14: flag: flagged bad by the source: not taken",
        "long.csv:16: value: not a number",
        "long.csv:17: item: not an item",
        "long.csv:18: date: not a date",
        "long.csv:19: flag: a flag is ok, doubtful or bad",
        "long.csv:20: point: the point is not in points.csv",
        "long.csv:21: unit: pH has no unit",
    ];
    assert_eq!(msgs.len(), expected.len(), "{msgs:#?}");
    for (m, e) in msgs.iter().zip(expected) {
        assert!(m.starts_with(e), "{m} does not start with {e}");
    }
    let kept: Vec<u64> = f
        .problems
        .iter()
        .filter(|p| p.kept)
        .map(|p| p.line)
        .collect();
    assert_eq!(kept, [10, 20]);
}

#[test]
fn long_without_points_and_with_a_bad_header() {
    let text = "point,date,depth,item,value,unit,flag\nA,,,Pb,ND,mg/kg,\nA,,,Pb,30,mg/kg,\n";
    let f = read_long("l.csv", text, None).unwrap();
    assert_eq!(f.samples.len(), 1);
    assert_eq!(f.samples[0].content("Pb").unwrap().value, measured(30.0));
    assert_eq!(f.samples[0].crs, "");
    assert_eq!(messages(&f.problems).len(), 1);
    assert!(f.problems[0].message.contains("no detection limit"));
    let e = read_long("l.csv", "point,date,depth,item,value\n", None).unwrap_err();
    assert_eq!(e.field, "header");
    let e = read_long(
        "l.csv",
        "point,date,depth,item,value,unit,flag,limit\n",
        None,
    )
    .unwrap_err();
    assert!(e.message.contains("[,dl]"), "{e}");
}

/// A fresh folder for files a test writes.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lantian-soil-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_long_file_on_disk_takes_its_points_beside_it() {
    let dir = scratch("long");
    let long = dir.join("results.csv");
    std::fs::write(&long, LONG).unwrap();
    let without = read_path(&long).unwrap();
    assert_eq!(without.samples[0].land_class, None);
    std::fs::write(dir.join("points.csv"), POINTS).unwrap();
    let with = read_path(&long).unwrap();
    assert_eq!(with.samples[0].land_class, Some(LandClass::Paddy));
    // The points' problems come first, then the samples'.
    assert_eq!(with.problems.len(), 5 + 13);
    assert!(with.problems[0].file.ends_with("points.csv"));
    assert!(with.problems[5].file.ends_with("results.csv"));
    // The points file itself is not samples.
    let e = read_path(&dir.join("points.csv")).unwrap_err();
    assert!(matches!(e, SoilError::NotSamples { .. }), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn plots_and_list_events() {
    let text = "plot,name,area_m2,district,land_class,planned_use\n\
                D1,东方化工厂旧址,12500.5,朝阳区,construction_second,居住用地\n\
                D2,某农田,-5,昌平区,paddy,\n\
                D1,重复,1,,,\n\
                D3,,,,housing,\n";
    let p = read_plots("plots.csv", text).unwrap();
    assert_eq!(p.rows, 4);
    let ids: Vec<&str> = p.items.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(ids, ["D1", "D2", "D3"]);
    let d1 = &p.items[0];
    assert_eq!(d1.name.as_deref(), Some("东方化工厂旧址"));
    assert_eq!(d1.area_m2, Some(12500.5));
    assert_eq!(d1.land_class, Some(LandClass::ConstructionSecond));
    assert_eq!(d1.planned_use.as_deref(), Some("居住用地"));
    assert_eq!((d1.file.as_str(), d1.line), ("plots.csv", 2));
    assert_eq!(p.items[1].area_m2, None);
    assert_eq!(p.items[1].land_class, Some(LandClass::Paddy));
    assert_eq!(p.items[2].land_class, None);
    let msgs = messages(&p.problems);
    assert_eq!(msgs.len(), 3, "{msgs:#?}");
    assert!(msgs[0].starts_with("plots.csv:3: area_m2:"));
    assert!(msgs[1].starts_with("plots.csv:4: plot:"));
    assert!(msgs[2].starts_with("plots.csv:5: land_class:"));

    let text = "plot,date,status,by,reason,evidence\n\
                D1,2024-05-01,listed,区生态环境局,GB 36600 管制值,报告 2024-17\n\
                D1,2024-13-01,delisted,,,\n\
                D2,2024-06-01,,,,\n\
                ,2024-06-01,listed,,,\n\
                D2,2024-06-02,listed,,,\n";
    let e = read_list_events("list_events.csv", text).unwrap();
    assert_eq!(e.rows, 5);
    assert_eq!(e.items.len(), 2);
    let first = &e.items[0];
    assert_eq!(first.plot, "D1");
    assert_eq!(first.date, NaiveDate::from_ymd_opt(2024, 5, 1).unwrap());
    assert_eq!(first.status, "listed");
    assert_eq!(first.by.as_deref(), Some("区生态环境局"));
    assert_eq!(first.evidence.as_deref(), Some("报告 2024-17"));
    assert_eq!((first.file.as_str(), first.line), ("list_events.csv", 2));
    assert_eq!(e.items[1].by, None);
    let fields: Vec<(u64, &str)> = e
        .problems
        .iter()
        .map(|p| (p.line, p.field.as_str()))
        .collect();
    assert_eq!(fields, [(3, "date"), (4, "status"), (5, "plot")]);
    assert!(read_plots("p.csv", "plot,name\n").is_err());
    assert!(read_list_events("e.csv", "plot,date,status\n").is_err());
}

// ---------------------------------------------------------------------------------------------
// Real data.

/// The soil folders of `../shared/data`: each data file with its reader's sample count, and the
/// R files the CSVs were converted from (R's binary format, not read; PROVENANCE.md).
struct SoilFolder {
    folder: &'static str,
    data: &'static [(&'static str, usize)],
    originals: &'static [&'static str],
}

const SOIL_FOLDERS: &[SoilFolder] = &[
    SoilFolder {
        folder: "soil_cumcm2011a_china_city",
        data: &[("cumcm2011a_urban_topsoil_metals.csv", 319)],
        originals: &["cumcm2011a.RData"],
    },
    SoilFolder {
        folder: "soil_hunan_cropland_cd",
        data: &[("pri_Cd_data.csv", 136)],
        originals: &[],
    },
    SoilFolder {
        folder: "soil_jura",
        data: &[("jura_pred.csv", 259), ("jura_val.csv", 100)],
        originals: &["jura.rda"],
    },
    SoilFolder {
        folder: "soil_meuse",
        data: &[("meuse.txt", 155)],
        originals: &[],
    },
];

fn shared(sub: &str, needs: &str) -> Option<PathBuf> {
    lantian_testdata::shared_path(sub, needs)
}

/// Read a real file whole: every data line is a sample (none of these files has a bad row),
/// no problem, and the rows counted.
fn read_whole(path: &Path, first_line: usize, rows: usize) -> SoilFile {
    let f = read_path(path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(f.rows as usize, rows, "{}", path.display());
    assert_eq!(f.samples.len(), rows);
    assert!(f.problems.is_empty(), "{:#?}", messages(&f.problems));
    let lines: Vec<usize> = f.samples.iter().map(|s| s.line).collect();
    assert_eq!(lines, (first_line..first_line + rows).collect::<Vec<_>>());
    let ids: Vec<String> = f.samples.iter().map(|s| s.id.clone()).collect();
    assert_eq!(ids, (1..=rows).map(|n| n.to_string()).collect::<Vec<_>>());
    f
}

/// The raw cells of a CSV column, apart from the reader (plain split: these files quote no
/// commas).
fn raw_column(text: &str, skip: usize, name: &str) -> Vec<String> {
    let mut lines = text.lines().skip(skip);
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(|c| c.trim_matches('"').to_string())
        .collect();
    let k = header.iter().position(|h| h == name).unwrap();
    lines
        .map(|l| l.split(',').nth(k).unwrap().trim_matches('"').to_string())
        .collect()
}

fn counts<'a>(it: impl Iterator<Item = &'a str>) -> BTreeMap<&'a str, usize> {
    let mut m = BTreeMap::new();
    for x in it {
        *m.entry(x).or_default() += 1;
    }
    m
}

#[test]
fn every_soil_file_is_claimed_by_its_reader() {
    for SoilFolder {
        folder,
        data,
        originals,
    } in SOIL_FOLDERS
    {
        let Some(dir) = shared(folder, "the soil readers claim every soil file") else {
            return;
        };
        let found: BTreeSet<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        let named: BTreeSet<String> = data
            .iter()
            .map(|(n, _)| n.to_string())
            .chain(originals.iter().map(|n| n.to_string()))
            .collect();
        assert_eq!(found, named, "{folder}");
        for (name, samples) in *data {
            let f = read_path(&dir.join(name)).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(f.samples.len(), *samples, "{folder}/{name}");
        }
        for name in *originals {
            let e = read_path(&dir.join(name)).unwrap_err();
            assert!(
                matches!(e, SoilError::Unreadable(_)),
                "{folder}/{name}: {e}"
            );
        }
    }
}

#[test]
fn cumcm_whole() {
    let Some(path) = shared(
        "soil_cumcm2011a_china_city/cumcm2011a_urban_topsoil_metals.csv",
        "the CUMCM reader on the contest's file",
    ) else {
        return;
    };
    let f = read_whole(&path, 2, 319);
    assert!(f.samples.iter().all(|s| s.contents.len() == 8));
    assert_eq!(f.not_measured, 0);
    let zones = counts(f.samples.iter().map(|s| s.land_use.as_deref().unwrap()));
    assert_eq!(
        zones,
        BTreeMap::from([
            ("1 生活区 living", 44),
            ("2 工业区 industrial", 36),
            ("3 山区 mountain", 66),
            ("4 主干道路区 traffic", 138),
            ("5 公园绿地区 park/green", 35),
        ])
    );
    let classes = counts(f.samples.iter().map(|s| s.land_class.unwrap().code()));
    assert_eq!(
        classes,
        BTreeMap::from([
            ("construction_first", 44 + 35),
            ("construction_second", 36 + 138),
            ("other_farmland", 66),
        ])
    );
    // Recomputed from the raw cells: the zones, and Cd, Hg (ng/g) and Zn (µg/g) in mg/kg.
    let text = std::fs::read_to_string(&path).unwrap();
    let raw_zones = counts(raw_column(&text, 0, "area").iter().map(String::as_str))
        .into_values()
        .collect::<Vec<_>>();
    assert_eq!(raw_zones, [44, 36, 66, 138, 35]);
    for (item, per_mg_kg) in [("Cd", 1000.0), ("Hg", 1000.0), ("Zn", 1.0)] {
        let raw = raw_column(&text, 0, item);
        for (s, cell) in f.samples.iter().zip(&raw) {
            let Value::Measured { mg_kg } = s.content(item).unwrap().value else {
                panic!("{item} line {}", s.line)
            };
            let direct = cell.parse::<f64>().unwrap() / per_mg_kg;
            assert!(
                (mg_kg - direct).abs() <= direct * 1e-15,
                "{item} {cell}: {mg_kg}"
            );
        }
    }
    // The extremes of the set (Hg 16000 ng/g is 16 mg/kg).
    let max = |item: &str| {
        f.samples
            .iter()
            .filter_map(|s| match s.content(item)?.value {
                Value::Measured { mg_kg } => Some(mg_kg),
                Value::BelowDetection { .. } => None,
            })
            .fold(f64::MIN, f64::max)
    };
    assert_eq!(max("Hg"), 16.0);
    assert_eq!(max("Cd"), 1.6198);
    assert!(
        f.samples
            .iter()
            .all(|s| s.ph.is_none() && s.crs == "local grid, m")
    );
    assert_eq!(f.unused_columns[0].name, "z");
}

#[test]
fn hunan_whole() {
    let Some(path) = shared(
        "soil_hunan_cropland_cd/pri_Cd_data.csv",
        "the Hunan reader on the published cadmium data",
    ) else {
        return;
    };
    let f = read_whole(&path, 4, 136);
    let classes = counts(f.samples.iter().map(|s| s.land_class.unwrap().code()));
    assert_eq!(
        classes,
        BTreeMap::from([("other_farmland", 53), ("paddy", 83)])
    );
    let uses = counts(f.samples.iter().map(|s| s.land_use.as_deref().unwrap()));
    assert_eq!(uses, BTreeMap::from([("Paddy", 83), ("Upland", 53)]));
    assert!(
        f.samples
            .iter()
            .all(|s| s.contents.len() == 1 && s.content("Cd").is_some() && s.crs == "EPSG:4326")
    );
    let ph: Vec<f64> = f.samples.iter().map(|s| s.ph.unwrap()).collect();
    let (lo, hi) = ph
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
    assert_eq!((lo, hi), (4.0, 7.94));
    assert!(
        f.samples
            .iter()
            .all(|s| (26.0..27.0).contains(&s.y.unwrap()))
    );
    // The cadmium as the raw cells give it.
    let text = std::fs::read_to_string(&path).unwrap();
    let raw = raw_column(&text, 2, "SoilCdtot");
    for (s, cell) in f.samples.iter().zip(&raw) {
        assert_eq!(
            s.content("Cd").unwrap().value,
            measured(cell.parse().unwrap())
        );
    }
    // The plant and extract columns are accounted for, not screened (their NA not counted).
    assert_eq!(f.unused_columns.len(), 6);
    assert_eq!(f.not_measured, 0);
}

#[test]
fn jura_whole() {
    for (name, rows, forest, tillage) in
        [("jura_pred.csv", 259, 33, 5), ("jura_val.csv", 100, 18, 3)]
    {
        let Some(path) = shared(
            &format!("soil_jura/{name}"),
            "the Jura reader on gstat's prediction and validation sets",
        ) else {
            return;
        };
        let f = read_whole(&path, 2, rows);
        assert!(f.samples.iter().all(|s| s.contents.len() == 7));
        let uses = counts(f.samples.iter().map(|s| s.land_use.as_deref().unwrap()));
        assert_eq!(uses["Forest"], forest);
        assert_eq!(uses["Tillage"], tillage);
        assert_eq!(
            f.samples.iter().filter(|s| s.land_class.is_none()).count(),
            forest
        );
        // The grid in m: the set spans about 5.2 km × 5.9 km.
        assert!(f.samples.iter().all(|s| {
            let (x, y) = (s.x.unwrap(), s.y.unwrap());
            (0.0..=6000.0).contains(&x) && (0.0..=6000.0).contains(&y)
        }));
        let rocks: BTreeSet<&str> = f
            .samples
            .iter()
            .map(|s| s.soil_type.as_deref().unwrap())
            .collect();
        assert_eq!(
            rocks,
            BTreeSet::from([
                "Argovian",
                "Kimmeridgian",
                "Portlandian",
                "Quaternary",
                "Sequanian"
            ])
        );
    }
}

#[test]
fn meuse_whole() {
    let Some(path) = shared("soil_meuse/meuse.txt", "the Meuse reader on sp's meuse") else {
        return;
    };
    let f = read_whole(&path, 2, 155);
    assert!(f.samples.iter().all(|s| s.contents.len() == 4));
    // One land use is NA.
    assert_eq!(f.not_measured, 1);
    assert_eq!(f.samples.iter().filter(|s| s.land_use.is_none()).count(), 1);
    let classes = counts(
        f.samples
            .iter()
            .map(|s| s.land_class.map_or("none", |c| c.code())),
    );
    // W 50, Ah 39, Am 22, Fw 10, Ab 8, Bw 6, Ag 5, Aa 2 → other; Fh 1 → orchard; Ga 3, B 3,
    // STA 2, SPO 1, DEN 1, Tv 1 and the NA → none.
    assert_eq!(
        classes,
        BTreeMap::from([("none", 12), ("orchard", 1), ("other_farmland", 142)])
    );
    let soils = counts(f.samples.iter().map(|s| s.soil_type.as_deref().unwrap()));
    assert_eq!(
        soils,
        BTreeMap::from([("1 Rd10A", 97), ("2 Rd90C/VII", 46), ("3 Bkd26/VII", 12)])
    );
    // Zinc, the kriging example's variable, as the raw cells give it.
    let text = std::fs::read_to_string(&path).unwrap();
    let raw = raw_column(&text, 0, "zinc");
    for (s, cell) in f.samples.iter().zip(&raw) {
        assert_eq!(
            s.content("Zn").unwrap().value,
            measured(cell.parse().unwrap())
        );
    }
}
