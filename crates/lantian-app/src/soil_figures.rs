//! The bulletin's soil figures, from the same use cases as `lantian soil`: the samples screened
//! ([`crate::soil::screen`]), the network's coverage ([`crate::soil::coverage`]) and the
//! risk-control list on the period's last day and its changes during the period
//! ([`crate::soil::list_as_of`], [`crate::soil::list_changes`]). Nothing is computed here that
//! those do not compute; this module picks the figures a bulletin prints and puts them in
//! `lantian-report`'s words.
//!
//! The samples are not restricted to the period: a plot is investigated once and stays on the
//! list for years, and a network is sampled on its own cycle. The figures say when the samples
//! were taken instead.
//!
//! ```
//! use lantian_app::soil::SoilSources;
//! use lantian_app::soil_figures::soil_figures_with_list;
//! use lantian_assess::period::Period;
//! let dir = std::env::temp_dir().join(format!("lantian-soil-figures-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! std::fs::write(dir.join("samples.csv"), "point,date,depth,item,value,unit,flag\n\
//!     P1,2024-05-01,0-20 cm,pH,6.0,,\nP1,2024-05-01,0-20 cm,Cd,0.6,mg/kg,\n\
//!     P2,2024-05-02,0-20 cm,pH,6.0,,\nP2,2024-05-02,0-20 cm,Cd,0.2,mg/kg,\n").unwrap();
//! std::fs::write(dir.join("points.csv"), "point,x,y,crs,land_use,land_class,soil_type,topography,district,plot\n\
//!     P1,116.3,40.0,EPSG:4326,水田,paddy,,,,\nP2,116.4,40.1,EPSG:4326,水田,paddy,,,,\n").unwrap();
//! let src = SoilSources { samples: vec![dir.join("samples.csv")], ..Default::default() };
//! let f = soil_figures_with_list(&src, None, &Period::parse("2024").unwrap())?;
//! let farmland = f.farmland.as_ref().unwrap();
//! // Paddy at pH 6.0, Cd screening value 0.4: one sample in priority protection, one in safe
//! // utilisation, both counted.
//! assert_eq!((farmland.rows[0].samples, farmland.rows[1].samples), (1, 1));
//! assert_eq!(farmland.completeness_pct, Some(100.0));
//! assert_eq!(f.points.len(), 2);
//! assert!(f.coverage.is_none() && f.list.is_none() && f.model_note_en.is_none());
//! # std::fs::remove_dir_all(&dir).unwrap();
//! # Ok::<(), lantian_app::AppError>(())
//! ```

use crate::error::{AppError, Result};
use crate::soil::{self, ListAsOf, SampleRow, SoilData, SoilSources};
use lantian_assess::period::Period;
use lantian_report::soil::{
    CellFigure, CoverageFigures, CrossFigures, DimensionFigures, LevelShare, LevelShares,
    ListFigures, PlotLevel, PlotShares, SoilFigures, SoilPoint, SoilStandard, StatusFigure,
};
use lantian_soil::Level;
use lantian_soil::list::Changes;
use lantian_soil::shares::{AreaShares, SampleShares};
use lantian_store::Store;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// The soil figures of `period`: the samples of `src` screened and counted, the network's
/// coverage when the city's classes are given, and the list from `store`'s history when a store
/// is given.
pub async fn soil_figures(
    src: &SoilSources,
    store: Option<&Store>,
    period: &Period,
) -> Result<SoilFigures> {
    let list = match store {
        Some(s) => Some(list_of(s, period).await?),
        None => None,
    };
    soil_figures_with_list(src, list, period)
}

/// The list on the period's last day and what changed after the day before it began.
pub async fn list_of(store: &Store, period: &Period) -> Result<(ListAsOf, Changes)> {
    let before = period
        .first
        .pred_opt()
        .ok_or_else(|| AppError::bad("period", period, "begins at the calendar's start"))?;
    Ok((
        soil::list_as_of(store, period.last).await?,
        soil::list_changes(store, before, period.last).await?,
    ))
}

/// [`soil_figures`] with the list already read (`None`: no list in the figures).
pub fn soil_figures_with_list(
    src: &SoilSources,
    list: Option<(ListAsOf, Changes)>,
    period: &Period,
) -> Result<SoilFigures> {
    let data = soil::load(src)?;
    if let Some(first) = data.problems.first() {
        return Err(AppError::BadInput(format!(
            "the soil section needs every sample cell read ({} cells or rows not read, the \
             first: {first}; `lantian soil screen --problems FILE` lists them all)",
            data.problems.len()
        )));
    }
    let s = soil::screen(&data, None)?;
    let dates: BTreeSet<chrono::NaiveDate> = data.samples.iter().filter_map(|x| x.date).collect();
    let screened_by = |standard: &str| {
        s.samples
            .iter()
            .filter(|r| r.standard == Some(standard))
            .count()
    };
    let undecided_by = |standard: &str| {
        s.samples
            .iter()
            .filter(|r| r.standard == Some(standard) && r.level.is_none())
            .count()
    };
    let farmland = s
        .gb15618
        .as_ref()
        .map(|sh| level_shares(sh, screened_by(sh.standard), undecided_by(sh.standard)));
    let construction = s
        .gb36600
        .as_ref()
        .map(|sh| level_shares(sh, screened_by(sh.standard), undecided_by(sh.standard)));
    let construction_plots = s.area_gb36600.as_ref().map(plot_shares);
    let coverage = match &data.classes {
        Some(_) => Some(coverage_figures(&data)?),
        None => None,
    };
    let model_samples = model_samples(&data);
    let (model_note_zh, model_note_en) = model_note(model_samples, data.samples.len());
    Ok(SoilFigures {
        period: period.clone(),
        samples: data.samples.len(),
        first_sampled: dates.first().copied(),
        last_sampled: dates.last().copied(),
        not_screened: s.samples.iter().filter(|r| r.standard.is_none()).count(),
        farmland,
        construction,
        construction_plots,
        coverage,
        list: list.map(|(a, c)| list_figures(a, c)),
        points: s.samples.iter().filter_map(|r| point(r, &s)).collect(),
        flagged: data.flagged.len(),
        model_samples,
        model_note_zh,
        model_note_en,
    })
}

/// The engine's code of a level (`priority_protection`), as the JSON of `lantian soil` writes it.
fn code<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

fn percent(fraction: Option<f64>) -> Option<f64> {
    fraction.map(|f| 100.0 * f)
}

fn level_shares<L: Level>(s: &SampleShares<L>, screened: usize, undecided: usize) -> LevelShares {
    LevelShares {
        standard: s.standard.to_string(),
        screened,
        rows: s
            .rows
            .iter()
            .map(|r| LevelShare {
                level: code(&r.level),
                name_zh: r.name_zh.to_string(),
                name_en: r.name_en.to_string(),
                samples: r.samples,
                share_pct: percent(r.share),
            })
            .collect(),
        counted: s.completeness.counted,
        expected: s.completeness.expected,
        completeness_pct: percent(s.completeness.share),
        undecided,
    }
}

fn plot_shares<L: Level>(a: &AreaShares<L>) -> PlotShares {
    PlotShares {
        standard: a.standard.to_string(),
        rows: a
            .rows
            .iter()
            .map(|r| PlotLevel {
                level: code(&r.level),
                name_zh: r.name_zh.to_string(),
                name_en: r.name_en.to_string(),
                plots: r.plots,
                area_m2: r.area_m2,
                share_pct: percent(r.share),
            })
            .collect(),
        counted: a.completeness.counted,
        expected: a.completeness.expected,
        completeness_pct: percent(a.completeness.share),
        area_counted_m2: a.area_counted_m2,
        area_expected_m2: a.area_expected_m2,
    }
}

/// A sample on the map: only samples in longitude and latitude, which the district outlines
/// share (a projected set's metres would need its projection).
fn point(r: &SampleRow, s: &soil::SoilScreening) -> Option<SoilPoint> {
    if !r.crs.eq_ignore_ascii_case("EPSG:4326") {
        return None;
    }
    let (lon, lat) = (r.x?, r.y?);
    let standard = match r.standard {
        Some(lantian_soil::gb15618::STANDARD) => Some(SoilStandard::Gb15618),
        Some(lantian_soil::gb36600::STANDARD) => Some(SoilStandard::Gb36600),
        _ => None,
    };
    let levels: Vec<String> = match standard {
        Some(SoilStandard::Gb15618) => s.gb15618.as_ref().map_or(Vec::new(), |x| {
            x.rows.iter().map(|r| code(&r.level)).collect()
        }),
        Some(SoilStandard::Gb36600) => s.gb36600.as_ref().map_or(Vec::new(), |x| {
            x.rows.iter().map(|r| code(&r.level)).collect()
        }),
        None => Vec::new(),
    };
    Some(SoilPoint {
        sample: r.sample.clone(),
        lon,
        lat,
        standard,
        level_index: r
            .level
            .as_ref()
            .and_then(|l| levels.iter().position(|k| k == l)),
    })
}

fn dimension_names(d: &str) -> (String, String) {
    let (zh, en) = match d {
        "land_use" => ("土地利用类型", "land use"),
        "soil_type" => ("土壤类型", "soil type"),
        "topography" => ("地形", "topography"),
        "district" => ("行政区", "district"),
        other => (other, other),
    };
    (zh.to_string(), en.to_string())
}

/// The survey's usual cross matrix.
const CROSS: (&str, &str) = ("land_use", "soil_type");

/// The coverage of the network: the points of the samples that are not a plot's (a plot's
/// investigation points are where a site was suspected, not where the network samples), and
/// the points of the points files given.
fn coverage_figures(data: &SoilData) -> Result<CoverageFigures> {
    let of_plots: BTreeSet<&str> = data
        .samples
        .iter()
        .filter(|s| s.plot.is_some())
        .map(|s| s.id.as_str())
        .collect();
    let mut network = data.clone();
    network.points.retain(|p| !of_plots.contains(p.id.as_str()));
    let plot_points = data.points.len() - network.points.len();
    let dims = network.classes.as_deref().unwrap_or_default();
    let has = |name: &str| dims.iter().any(|d| d.name == name);
    // The cross matrix when the city's classes have both of its dimensions; the dimensions
    // alone otherwise.
    let (dimensions, cross) = if has(CROSS.0) && has(CROSS.1) {
        let c = soil::coverage(&network, CROSS.0, CROSS.1)?;
        (c.dimensions, Some(c.cross))
    } else if network.points.is_empty() {
        return Err(AppError::BadInput(
            "the soil section's coverage needs the network's points (samples not of a plot, or \
             a points.csv)"
                .into(),
        ));
    } else {
        (lantian_soil::coverage(&network.points, dims), None)
    };
    Ok(CoverageFigures {
        points: network.points.len(),
        plot_points,
        dimensions: dimensions
            .iter()
            .map(|d| {
                let (name_zh, name_en) = dimension_names(&d.dimension);
                DimensionFigures {
                    dimension: d.dimension.clone(),
                    name_zh,
                    name_en,
                    classes: d.classes.len(),
                    covered: d.covered.len(),
                    share_pct: percent(d.share_covered),
                    empty: d.empty.clone(),
                    not_in_city: d.not_in_city.len(),
                }
            })
            .collect(),
        cross: cross.map(|x| {
            let (rows_zh, rows_en) = dimension_names(&x.rows);
            let (columns_zh, columns_en) = dimension_names(&x.columns);
            CrossFigures {
                rows: x.rows.clone(),
                columns: x.columns.clone(),
                rows_zh,
                rows_en,
                columns_zh,
                columns_en,
                existing_given: x.existing_given,
                existing: x.existing,
                covered: x.covered,
                share_pct: percent(x.share_covered),
                empty: x
                    .empty
                    .iter()
                    .map(|c| CellFigure {
                        row: c.row.clone(),
                        column: c.column.clone(),
                    })
                    .collect(),
            }
        }),
    })
}

fn list_figures(a: ListAsOf, c: Changes) -> ListFigures {
    ListFigures {
        as_of: a.date,
        on_list: a.entries.len(),
        by_status: a
            .by_status
            .iter()
            .map(|s| StatusFigure {
                status: s.status.clone(),
                name_zh: s.name_zh.to_string(),
                name_en: s.name_en.to_string(),
                plots: s.plots,
            })
            .collect(),
        after: c.after,
        entered: c.entered.iter().map(|e| e.plot.clone()).collect(),
        removed: c.removed.iter().map(|e| e.plot.clone()).collect(),
        moved: c.status_changes.len(),
        history: a.history,
    }
}

/// The samples that are `lantian-synth`'s model of Beijing. The model numbers its network's
/// points district by district with counts that do not depend on the seed, and its plots are
/// fixed places; so a sample is the model's when its point has a model id in the district the
/// model gives that id (or its plot a model plot id in that plot's district). A survey that
/// happened to use the same ids would also have to place every one in the same district.
fn model_samples(data: &SoilData) -> usize {
    use lantian_synth::soil::{PLOTS, network_points};
    let network: HashMap<String, &str> = network_points(0)
        .into_iter()
        .map(|p| (p.id, p.district))
        .collect();
    let plots: HashMap<String, &str> = PLOTS
        .iter()
        .enumerate()
        .map(|(i, p)| (format!("BJ-P{:02}", i + 1), p.1))
        .collect();
    data.samples
        .iter()
        .filter(|s| {
            let district = s.district.as_deref();
            match &s.plot {
                Some(plot) => plots.get(plot).copied() == district && district.is_some(),
                None => network.get(&s.id).copied() == district && district.is_some(),
            }
        })
        .count()
}

/// The model's own sentence when every sample is the model's; a count when some are.
fn model_note(model: usize, samples: usize) -> (Option<String>, Option<String>) {
    if model == 0 {
        return (None, None);
    }
    let (zh, en) = lantian_synth::soil::MODEL_NOTE
        .split_once(" / ")
        .unwrap_or((
            lantian_synth::soil::MODEL_NOTE,
            lantian_synth::soil::MODEL_NOTE,
        ));
    if model == samples {
        (
            Some(format!("{zh}。")),
            Some(format!("{}.", capitalised(en))),
        )
    } else {
        (
            Some(format!("{samples}个样品中{model}个为{zh}。")),
            Some(format!("{model} of the {samples} samples are {en}.")),
        )
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!(
            "lantian-soil-figures-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    /// Two paddy samples at pH 6.0 (Cd screening value 0.4, control value 2.0), at points
    /// `ids` in `districts`.
    fn write(d: &Path, ids: [&str; 2], districts: [&str; 2]) -> SoilSources {
        std::fs::write(
            d.join("samples.csv"),
            format!(
                "point,date,depth,item,value,unit,flag\n\
                 {a},2024-05-01,0-20 cm,pH,6.0,,\n{a},2024-05-01,0-20 cm,Cd,0.6,mg/kg,\n\
                 {b},2024-06-02,0-20 cm,pH,6.0,,\n{b},2024-06-02,0-20 cm,Cd,0.2,mg/kg,\n",
                a = ids[0],
                b = ids[1]
            ),
        )
        .unwrap();
        std::fs::write(
            d.join("points.csv"),
            format!(
                "point,x,y,crs,land_use,land_class,soil_type,topography,district,plot\n\
                 {},116.3,40.0,EPSG:4326,水田,paddy,,,{},\n{},116.4,40.1,EPSG:4326,水田,paddy,,,{},\n",
                ids[0], districts[0], ids[1], districts[1]
            ),
        )
        .unwrap();
        SoilSources {
            samples: vec![d.join("samples.csv")],
            ..Default::default()
        }
    }

    #[test]
    fn report_soil_figures_are_the_screenings() {
        let d = dir("screen");
        let f = soil_figures_with_list(
            &write(&d, ["P1", "P2"], ["海淀区", "海淀区"]),
            None,
            &Period::parse("2024").unwrap(),
        )
        .unwrap();
        let farmland = f.farmland.as_ref().unwrap();
        assert_eq!(farmland.standard, "GB 15618—2018");
        assert_eq!(
            (farmland.screened, farmland.counted, farmland.expected),
            (2, 2, 2)
        );
        let rows: Vec<(&str, usize)> = farmland
            .rows
            .iter()
            .map(|r| (r.level.as_str(), r.samples))
            .collect();
        assert_eq!(
            rows,
            [
                ("priority_protection", 1),
                ("safe_utilisation", 1),
                ("strict_control", 0)
            ]
        );
        assert_eq!(farmland.rows[1].share_pct, Some(50.0));
        assert!(f.construction.is_none() && f.construction_plots.is_none());
        assert_eq!(
            (f.first_sampled, f.last_sampled),
            (
                chrono::NaiveDate::from_ymd_opt(2024, 5, 1),
                chrono::NaiveDate::from_ymd_opt(2024, 6, 2)
            )
        );
        // On the map: P1 in safe utilisation (index 1), P2 in priority protection.
        let levels: Vec<_> = f
            .points
            .iter()
            .map(|p| (p.sample.as_str(), p.level_index))
            .collect();
        assert_eq!(levels, [("P1", Some(1)), ("P2", Some(0))]);
        // No classes, no store: no coverage, no list; nothing is the model's.
        assert!(f.coverage.is_none() && f.list.is_none());
        assert_eq!((f.model_samples, f.model_note_en.as_deref()), (0, None));
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn report_soil_figures_recognise_the_model_by_its_ids_in_their_districts() {
        let first = lantian_synth::soil::network_points(7).remove(0);
        let period = Period::parse("2024").unwrap();
        let d = dir("model");
        // The model's first point where the model puts it, and a point of another survey.
        let f = soil_figures_with_list(
            &write(&d, [&first.id, "X1"], [first.district, "海淀区"]),
            None,
            &period,
        )
        .unwrap();
        assert_eq!(f.model_samples, 1);
        assert_eq!(
            f.model_note_en.as_deref(),
            Some(
                "1 of the 2 samples are generated by a model (lantian-synth soil), not a survey of Beijing's soil."
            )
        );
        // The same id in another district is not the model's.
        let other = if first.district == "海淀区" {
            "朝阳区"
        } else {
            "海淀区"
        };
        let f = soil_figures_with_list(
            &write(&d, [&first.id, "X1"], [other, "海淀区"]),
            None,
            &period,
        )
        .unwrap();
        assert_eq!((f.model_samples, f.model_note_zh), (0, None));
        std::fs::remove_dir_all(&d).unwrap();
    }
}
