//! How well a monitoring network covers the city: per dimension (land use, soil type,
//! topography, district …) which of the city's classes have a point and which are empty, and
//! the cross matrix of two dimensions.
//!
//! The city's classes are what exists; the share covered is of those. For the cross matrix the
//! cells that exist may be given (not every soil type occurs under every land use); without that
//! list every combination is taken to exist. A point whose class is not in the city's list, or
//! that falls in a combination said not to exist, is reported, never dropped: either the point
//! or the list is wrong, and the user decides which.

use crate::sample::Sample;
use serde::Serialize;
use std::collections::BTreeMap;

/// A monitoring point with its class along each dimension.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    pub id: String,
    /// Dimension name → class.
    pub classes: BTreeMap<String, String>,
}

impl Point {
    /// A sample as a point, with the dimensions `land_use`, `soil_type`, `topography` and
    /// `district` it has.
    pub fn from_sample(s: &Sample) -> Point {
        let mut classes = BTreeMap::new();
        for (dim, class) in [
            ("land_use", &s.land_use),
            ("soil_type", &s.soil_type),
            ("topography", &s.topography),
            ("district", &s.district),
        ] {
            if let Some(c) = class {
                classes.insert(dim.to_string(), c.clone());
            }
        }
        Point {
            id: s.id.clone(),
            classes,
        }
    }
}

/// A dimension and the classes that exist in the city along it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dimension {
    pub name: String,
    pub classes: Vec<String>,
}

/// A class and its number of points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassCount {
    pub class: String,
    pub points: usize,
}

/// A point whose class along a dimension is not one of the city's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointClass {
    pub point: String,
    pub dimension: String,
    pub class: String,
}

/// The coverage along one dimension.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DimensionCoverage {
    pub dimension: String,
    /// Every class of the city, in its order, with its points (zero when empty).
    pub classes: Vec<ClassCount>,
    pub covered: Vec<String>,
    pub empty: Vec<String>,
    /// covered / classes of the city; `None` when the city lists none.
    pub share_covered: Option<f64>,
    pub not_in_city: Vec<PointClass>,
    /// Points with no class along this dimension.
    pub unclassified: Vec<String>,
}

fn distinct(classes: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in classes {
        if !out.contains(c) {
            out.push(c.clone());
        }
    }
    out
}

/// The coverage along one dimension.
pub fn dimension_coverage(points: &[Point], dim: &Dimension) -> DimensionCoverage {
    let classes = distinct(&dim.classes);
    let mut counts = vec![0usize; classes.len()];
    let mut not_in_city = Vec::new();
    let mut unclassified = Vec::new();
    for p in points {
        match p.classes.get(&dim.name) {
            None => unclassified.push(p.id.clone()),
            Some(c) => match classes.iter().position(|k| k == c) {
                Some(k) => counts[k] += 1,
                None => not_in_city.push(PointClass {
                    point: p.id.clone(),
                    dimension: dim.name.clone(),
                    class: c.clone(),
                }),
            },
        }
    }
    let (covered, empty): (Vec<_>, Vec<_>) =
        classes.iter().zip(&counts).partition(|(_, n)| **n > 0);
    let covered: Vec<String> = covered.into_iter().map(|(c, _)| c.clone()).collect();
    DimensionCoverage {
        dimension: dim.name.clone(),
        share_covered: (!classes.is_empty()).then(|| covered.len() as f64 / classes.len() as f64),
        classes: classes
            .iter()
            .zip(&counts)
            .map(|(c, &n)| ClassCount {
                class: c.clone(),
                points: n,
            })
            .collect(),
        covered,
        empty: empty.into_iter().map(|(c, _)| c.clone()).collect(),
        not_in_city,
        unclassified,
    }
}

/// The coverage along each of the city's dimensions.
pub fn coverage(points: &[Point], city: &[Dimension]) -> Vec<DimensionCoverage> {
    city.iter().map(|d| dimension_coverage(points, d)).collect()
}

/// A cell of the cross matrix.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct CellRef {
    pub row: String,
    pub column: String,
}

/// Points in a combination said not to exist.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellPoints {
    pub cell: CellRef,
    pub points: Vec<String>,
}

/// The cross matrix of two dimensions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrossCoverage {
    pub rows: String,
    pub columns: String,
    pub row_classes: Vec<String>,
    pub column_classes: Vec<String>,
    /// Points per cell, `counts[row][column]`.
    pub counts: Vec<Vec<usize>>,
    /// Whether the existing cells were given (else every combination exists).
    pub existing_given: bool,
    /// Cells that exist.
    pub existing: usize,
    /// Existing cells with a point.
    pub covered: usize,
    /// covered / existing; `None` when no cell exists.
    pub share_covered: Option<f64>,
    /// Existing cells with no point.
    pub empty: Vec<CellRef>,
    /// Points in cells said not to exist.
    pub outside_existing: Vec<CellPoints>,
    /// Points with a class not in the city's list, along either dimension.
    pub not_in_city: Vec<PointClass>,
    /// Points without a class along either dimension.
    pub unclassified: Vec<String>,
    /// Existing cells given whose classes are not in the city's lists.
    pub unknown_existing: Vec<CellRef>,
}

/// The cross matrix of `rows` × `columns`; `existing` lists the combinations found in the city
/// (row class, column class), `None` for all.
pub fn cross(
    points: &[Point],
    rows: &Dimension,
    columns: &Dimension,
    existing: Option<&[(String, String)]>,
) -> CrossCoverage {
    let rc = distinct(&rows.classes);
    let cc = distinct(&columns.classes);
    let mut counts = vec![vec![0usize; cc.len()]; rc.len()];
    let mut members: BTreeMap<(usize, usize), Vec<String>> = BTreeMap::new();
    let mut not_in_city = Vec::new();
    let mut unclassified = Vec::new();
    for p in points {
        let (Some(r), Some(c)) = (p.classes.get(&rows.name), p.classes.get(&columns.name)) else {
            unclassified.push(p.id.clone());
            continue;
        };
        let i = rc.iter().position(|k| k == r);
        let j = cc.iter().position(|k| k == c);
        for (found, dim, class) in [(i, rows, r), (j, columns, c)] {
            if found.is_none() {
                not_in_city.push(PointClass {
                    point: p.id.clone(),
                    dimension: dim.name.clone(),
                    class: class.clone(),
                });
            }
        }
        if let (Some(i), Some(j)) = (i, j) {
            counts[i][j] += 1;
            members.entry((i, j)).or_default().push(p.id.clone());
        }
    }
    let mut exists = vec![vec![existing.is_none(); cc.len()]; rc.len()];
    let mut unknown_existing = Vec::new();
    for (r, c) in existing.unwrap_or_default() {
        match (
            rc.iter().position(|k| k == r),
            cc.iter().position(|k| k == c),
        ) {
            (Some(i), Some(j)) => exists[i][j] = true,
            _ => unknown_existing.push(CellRef {
                row: r.clone(),
                column: c.clone(),
            }),
        }
    }
    let cell = |i: usize, j: usize| CellRef {
        row: rc[i].clone(),
        column: cc[j].clone(),
    };
    let mut empty = Vec::new();
    let mut outside_existing = Vec::new();
    let (mut n_existing, mut covered) = (0, 0);
    for i in 0..rc.len() {
        for j in 0..cc.len() {
            match (exists[i][j], counts[i][j] > 0) {
                (true, true) => {
                    n_existing += 1;
                    covered += 1;
                }
                (true, false) => {
                    n_existing += 1;
                    empty.push(cell(i, j));
                }
                (false, true) => outside_existing.push(CellPoints {
                    cell: cell(i, j),
                    points: members.remove(&(i, j)).unwrap_or_default(),
                }),
                (false, false) => {}
            }
        }
    }
    CrossCoverage {
        rows: rows.name.clone(),
        columns: columns.name.clone(),
        row_classes: rc,
        column_classes: cc,
        counts,
        existing_given: existing.is_some(),
        existing: n_existing,
        covered,
        share_covered: (n_existing > 0).then(|| covered as f64 / n_existing as f64),
        empty,
        outside_existing,
        not_in_city,
        unclassified,
        unknown_existing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(id: &str, pairs: &[(&str, &str)]) -> Point {
        Point {
            id: id.to_string(),
            classes: pairs
                .iter()
                .map(|(d, c)| (d.to_string(), c.to_string()))
                .collect(),
        }
    }

    fn dim(name: &str, classes: &[&str]) -> Dimension {
        Dimension {
            name: name.to_string(),
            classes: classes.iter().map(|c| c.to_string()).collect(),
        }
    }

    fn network() -> Vec<Point> {
        vec![
            point("p1", &[("land_use", "paddy"), ("soil", "red")]),
            point("p2", &[("land_use", "paddy"), ("soil", "red")]),
            point("p3", &[("land_use", "upland"), ("soil", "yellow")]),
            point("p4", &[("land_use", "orchard"), ("soil", "purple")]),
            point("p5", &[("land_use", "wetland"), ("soil", "red")]),
            point("p6", &[("soil", "red")]),
        ]
    }

    #[test]
    fn one_dimension() {
        let land = dim(
            "land_use",
            &["paddy", "upland", "orchard", "grassland", "paddy"],
        );
        let c = dimension_coverage(&network(), &land);
        let counts: Vec<(&str, usize)> = c
            .classes
            .iter()
            .map(|k| (k.class.as_str(), k.points))
            .collect();
        assert_eq!(
            counts,
            [
                ("paddy", 2),
                ("upland", 1),
                ("orchard", 1),
                ("grassland", 0)
            ]
        );
        assert_eq!(c.covered, ["paddy", "upland", "orchard"]);
        assert_eq!(c.empty, ["grassland"]);
        assert_eq!(c.share_covered, Some(0.75));
        assert_eq!(
            c.not_in_city,
            [PointClass {
                point: "p5".into(),
                dimension: "land_use".into(),
                class: "wetland".into()
            }]
        );
        assert_eq!(c.unclassified, ["p6"]);
        let all = coverage(&network(), &[land, dim("soil", &["red", "yellow"])]);
        assert_eq!(all[1].share_covered, Some(1.0));
        assert_eq!(all[1].not_in_city[0].class, "purple");
        assert_eq!(dimension_coverage(&[], &dim("x", &[])).share_covered, None);
    }

    #[test]
    fn cross_matrix() {
        let land = dim("land_use", &["paddy", "upland"]);
        let soil = dim("soil", &["red", "yellow"]);
        // Every combination exists: 4 cells, 2 covered (paddy×red, upland×yellow).
        let x = cross(&network(), &land, &soil, None);
        assert_eq!(x.counts, [[2, 0], [0, 1]]);
        assert_eq!((x.existing, x.covered, x.share_covered), (4, 2, Some(0.5)));
        assert_eq!(
            x.empty,
            [
                CellRef {
                    row: "paddy".into(),
                    column: "yellow".into()
                },
                CellRef {
                    row: "upland".into(),
                    column: "red".into()
                }
            ]
        );
        // p4 (orchard, purple) and p5 (wetland) are reported, p6 is unclassified.
        let misfits: Vec<(&str, &str)> = x
            .not_in_city
            .iter()
            .map(|p| (p.point.as_str(), p.class.as_str()))
            .collect();
        assert_eq!(
            misfits,
            [("p4", "orchard"), ("p4", "purple"), ("p5", "wetland")]
        );
        assert_eq!(x.unclassified, ["p6"]);
        // Only paddy×red and paddy×yellow exist: upland×yellow holds a point outside them.
        let ex = [
            ("paddy".to_string(), "red".to_string()),
            ("paddy".to_string(), "yellow".to_string()),
            ("forest".to_string(), "red".to_string()),
        ];
        let y = cross(&network(), &land, &soil, Some(&ex));
        assert_eq!((y.existing, y.covered, y.share_covered), (2, 1, Some(0.5)));
        assert_eq!(
            y.empty,
            [CellRef {
                row: "paddy".into(),
                column: "yellow".into()
            }]
        );
        assert_eq!(y.outside_existing.len(), 1);
        assert_eq!(y.outside_existing[0].points, ["p3"]);
        assert_eq!(y.unknown_existing[0].row, "forest");
        assert!(y.existing_given);
    }

    #[test]
    fn a_sample_is_a_point() {
        let s = Sample {
            id: "S9".into(),
            x: None,
            y: None,
            crs: String::new(),
            depth: None,
            land_use: Some("Paddy".into()),
            land_class: None,
            soil_type: None,
            topography: Some("plain".into()),
            district: Some("Haidian".into()),
            plot: None,
            date: None,
            ph: None,
            contents: vec![],
            file: String::new(),
            line: 0,
        };
        let p = Point::from_sample(&s);
        assert_eq!(p.classes.len(), 3);
        assert_eq!(p.classes["district"], "Haidian");
        assert!(!p.classes.contains_key("soil_type"));
    }
}
