//! Screening real sample sets (`../shared/data/soil_*`, see PROVENANCE.md), against counts
//! computed apart from the engine: a short script applying the standards' values to the same
//! files (GB 15618 Cd rows and Table 3 for Hunan; GB 36600 As, Cd, Cu, Pb, Hg, Ni for the
//! CUMCM city), whose results are the literals below.

use lantian_soil::gb15618::Category;
use lantian_soil::gb36600::{Risk, Uses};
use lantian_soil::screen::{Outcome, ScreenOptions, screen};
use lantian_soil::shares::sample_shares;
use lantian_soil::{Content, LandClass, Sample, Value};

fn sample(id: String, land: Option<LandClass>, ph: Option<f64>, contents: Vec<Content>) -> Sample {
    Sample {
        id,
        x: None,
        y: None,
        crs: String::new(),
        depth: None,
        land_use: None,
        land_class: land,
        soil_type: None,
        topography: None,
        district: None,
        plot: None,
        date: None,
        ph,
        contents,
        file: String::new(),
        line: 0,
    }
}

fn measured(item: &str, mg_kg: f64, unit: Option<&str>) -> Content {
    Content {
        item: item.to_string(),
        value: Value::Measured { mg_kg },
        source_unit: unit.map(str::to_string),
    }
}

/// Hunan cropland: 136 samples, 83 paddy and 53 upland, with pH and total Cd.
#[test]
fn hunan_cropland_cadmium() {
    let Some(path) = lantian_testdata::shared_path(
        "soil_hunan_cropland_cd/pri_Cd_data.csv",
        "GB 15618 categories of the Hunan cropland samples",
    ) else {
        return;
    };
    let text = std::fs::read_to_string(path).unwrap();
    let samples: Vec<Sample> = text
        .lines()
        .skip(3)
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            let f: Vec<&str> = l.split(',').collect();
            let land = match f[2] {
                "Paddy" => LandClass::Paddy,
                "Upland" => LandClass::OtherFarmland,
                other => panic!("land use {other}"),
            };
            let ph: f64 = f[3].parse().unwrap();
            let cd: f64 = f[4].parse().unwrap();
            sample(
                i.to_string(),
                Some(land),
                Some(ph),
                vec![measured("Cd", cd, None)],
            )
        })
        .collect();
    assert_eq!(samples.len(), 136);
    let results: Vec<_> = samples
        .iter()
        .map(|s| screen(s, &ScreenOptions::default()))
        .collect();
    let count = |land: LandClass| -> Vec<usize> {
        let of_land: Vec<_> = results
            .iter()
            .filter(|r| r.land_class == Some(land))
            .cloned()
            .collect();
        sample_shares::<Category>(&of_land)
            .rows
            .iter()
            .map(|r| r.samples)
            .collect()
    };
    assert_eq!(count(LandClass::Paddy), [55, 28, 0]);
    assert_eq!(count(LandClass::OtherFarmland), [21, 32, 0]);
    let all = sample_shares::<Category>(&results);
    assert_eq!(all.completeness.counted, 136);
    assert!(all.not_counted.is_empty());
    // One item: the Nemerow index is its Pi.
    for r in &results {
        let Outcome::Gb15618(a) = &r.outcome else {
            panic!()
        };
        let n = a.nemerow.computed().unwrap();
        assert_eq!(n.p, a.items[0].pi.unwrap().value);
    }
}

/// The CUMCM 2011 city: zones 1 (living: first-class land), 2 (industrial) and 4 (traffic:
/// second-class); 3 (mountain) and 5 (parks, which GB 36600 splits between the classes) are
/// given no class. Cd and Hg are in ng/g.
#[test]
fn cumcm_city_construction_land() {
    let Some(path) = lantian_testdata::shared_path(
        "soil_cumcm2011a_china_city/cumcm2011a_urban_topsoil_metals.csv",
        "GB 36600 screening of the CUMCM 2011 city",
    ) else {
        return;
    };
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(
        header,
        [
            "x", "y", "z", "area", "As", "Cd", "Cr", "Cu", "Hg", "Ni", "Pb", "Zn"
        ]
    );
    let samples: Vec<Sample> = lines
        .enumerate()
        .map(|(i, l)| {
            let f: Vec<f64> = l.split(',').map(|v| v.parse().unwrap()).collect();
            let land = match f[3] as u8 {
                1 => Some(LandClass::ConstructionFirst),
                2 | 4 => Some(LandClass::ConstructionSecond),
                _ => None,
            };
            let contents = header[4..]
                .iter()
                .zip(&f[4..])
                .map(|(&item, &v)| match item {
                    "Cd" | "Hg" => measured(item, v / 1000.0, Some("ng/g")),
                    _ => measured(item, v, None),
                })
                .collect();
            sample(i.to_string(), land, None, contents)
        })
        .collect();
    assert_eq!(samples.len(), 319);
    let results: Vec<_> = samples
        .iter()
        .map(|s| screen(s, &ScreenOptions::default()))
        .collect();
    let risk = sample_shares::<Risk>(&results);
    let n: Vec<usize> = risk.rows.iter().map(|r| r.samples).collect();
    // 43 + 33 + 133 + 3 + 5 negligible; one living-zone sample above lead's 400 mg/kg.
    assert_eq!(n, [217, 0, 1, 0]);
    assert_eq!(risk.not_counted.len(), 66 + 35);
    assert!(
        risk.not_counted
            .iter()
            .all(|n| n.reason == "not screened: land class unknown")
    );
    let uses = sample_shares::<Uses>(&results);
    let u: Vec<usize> = uses.rows.iter().map(|r| r.samples).collect();
    assert_eq!(u, [209, 9, 0]);
    // Chromium (total) and zinc: not assessed, said so.
    let Outcome::Gb36600(c) = &results[0].outcome else {
        panic!()
    };
    let zn = c.items.iter().find(|i| i.item == "Zn").unwrap();
    assert_eq!(
        zn.verdict.reason(),
        Some("not assessed: GB 36600—2018 has no value for Zn")
    );
    assert_eq!(c.nemerow.computed().unwrap().items, 6);
}
