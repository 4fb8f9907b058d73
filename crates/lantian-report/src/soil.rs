//! The bulletin's soil section: agricultural-land samples by GB 15618 category and construction
//! land by GB 36600 risk (samples, and plots by area), each with its completeness; how the
//! monitoring network covers the city's land uses, soil types, topography and districts; the
//! risk-control and remediation list at the period's end and what changed on it during the
//! period; a map of the samples by category. The figures are computed by `lantian-soil` (through
//! the application layer); this module only writes them.
//!
//! Every status sentence is a reading of a figure: "every class has a point" is written only
//! when no class is empty, and a share is a number, never "full" or "most".

use crate::charts::{ChartError, DistrictShapes};
use crate::document::{Align, Block, Lang, Section, Table};
use chrono::NaiveDate;
use lantian_assess::period::Period;
use serde::Serialize;

/// A level of a standard and its samples.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LevelShare {
    /// The engine's code (`priority_protection`, `investigate_and_assess` …).
    pub level: String,
    pub name_zh: String,
    pub name_en: String,
    pub samples: usize,
    /// Of the samples counted, in percent; none when none was counted.
    pub share_pct: Option<f64>,
}

/// Samples by the levels of one standard.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LevelShares {
    /// `GB 15618—2018` or `GB 36600—2018`.
    pub standard: String,
    /// Samples screened by this standard.
    pub screened: usize,
    /// Every level, best first (zero counts included).
    pub rows: Vec<LevelShare>,
    /// Samples with one level, of the samples in scope (those screened by this standard and
    /// those screened by neither for want of a land class, which could be either).
    pub counted: usize,
    pub expected: usize,
    pub completeness_pct: Option<f64>,
    /// Screened by this standard but not placeable in one level (a detection limit above a
    /// screening value, no pH and the bands disagree).
    pub undecided: usize,
}

/// A level of GB 36600 and its plots.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlotLevel {
    pub level: String,
    pub name_zh: String,
    pub name_en: String,
    pub plots: usize,
    pub area_m2: f64,
    /// Of the area counted, in percent.
    pub share_pct: Option<f64>,
}

/// Construction plots by the level of their worst sample, with their area.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlotShares {
    pub standard: String,
    pub rows: Vec<PlotLevel>,
    /// Plots with a level and an area, of the plots in scope.
    pub counted: usize,
    pub expected: usize,
    pub completeness_pct: Option<f64>,
    pub area_counted_m2: f64,
    pub area_expected_m2: f64,
}

/// The network's coverage along one dimension of the city's classes.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DimensionFigures {
    /// `land_use`, `soil_type`, `topography`, `district` (or another the classes file names).
    pub dimension: String,
    pub name_zh: String,
    pub name_en: String,
    /// The city's classes along it, and those with a point.
    pub classes: usize,
    pub covered: usize,
    pub share_pct: Option<f64>,
    /// The classes without a point, in the city's order.
    pub empty: Vec<String>,
    /// Points whose class is not one of the city's (either the point or the list is wrong).
    pub not_in_city: usize,
}

/// A combination of two dimensions' classes.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CellFigure {
    pub row: String,
    pub column: String,
}

/// The cross matrix of two dimensions.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CrossFigures {
    pub rows: String,
    pub columns: String,
    pub rows_zh: String,
    pub rows_en: String,
    pub columns_zh: String,
    pub columns_en: String,
    /// Whether the combinations that exist were given (else every combination is taken to).
    pub existing_given: bool,
    pub existing: usize,
    pub covered: usize,
    pub share_pct: Option<f64>,
    /// Combinations that exist with no point.
    pub empty: Vec<CellFigure>,
}

/// How the monitoring network covers the city.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoverageFigures {
    /// The network's points (plot-investigation points are not the network's).
    pub points: usize,
    /// Points left out as a plot's.
    pub plot_points: usize,
    pub dimensions: Vec<DimensionFigures>,
    pub cross: Option<CrossFigures>,
}

/// Plots in one status of the list.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusFigure {
    pub status: String,
    pub name_zh: String,
    pub name_en: String,
    pub plots: usize,
}

/// The risk-control and remediation list at the period's end and what changed during it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListFigures {
    /// The list at the end of this date.
    pub as_of: NaiveDate,
    pub on_list: usize,
    /// Plots per status on the list, in the list's order.
    pub by_status: Vec<StatusFigure>,
    /// The changes dated after `after` up to `as_of`.
    pub after: NaiveDate,
    /// Plots listed (or listed again), and removed, in date order.
    pub entered: Vec<String>,
    pub removed: Vec<String>,
    /// Steps within the list (listed → under control …).
    pub moved: usize,
    /// Events in the stored history.
    pub history: usize,
}

/// The standard a sample on the map was screened by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SoilStandard {
    Gb15618,
    Gb36600,
}

/// A sample on the map.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SoilPoint {
    pub sample: String,
    pub lon: f64,
    pub lat: f64,
    /// None when the sample was screened by neither standard.
    pub standard: Option<SoilStandard>,
    /// The level's place among its standard's levels, best first; none without a single level.
    pub level_index: Option<usize>,
}

/// The soil section's figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SoilFigures {
    pub period: Period,
    pub samples: usize,
    /// The sampling dates, first and last (the samples are not restricted to the period: a
    /// plot is investigated once, years before it leaves the list).
    pub first_sampled: Option<NaiveDate>,
    pub last_sampled: Option<NaiveDate>,
    /// Samples without a land class, screened by neither standard (forest …).
    pub not_screened: usize,
    pub farmland: Option<LevelShares>,
    pub construction: Option<LevelShares>,
    /// Construction plots by area, when plots were given.
    pub construction_plots: Option<PlotShares>,
    /// When the city's classes were given.
    pub coverage: Option<CoverageFigures>,
    /// When the list was read from a store.
    pub list: Option<ListFigures>,
    pub points: Vec<SoilPoint>,
    /// Values kept with a note (a land use outside a set's table …).
    pub flagged: usize,
    /// Samples that are the generated model's, and what to say about them.
    pub model_samples: usize,
    pub model_note_zh: Option<String>,
    pub model_note_en: Option<String>,
}

/// GB 15618's categories on the map: green, amber, red.
pub const CATEGORY_COLOURS: [(u8, u8, u8); 3] = [(0, 176, 80), (255, 192, 0), (220, 0, 0)];
/// GB 36600's risks on the map: blue, light blue, orange, purple.
pub const RISK_COLOURS: [(u8, u8, u8); 4] = [
    (0, 112, 192),
    (120, 170, 220),
    (255, 140, 0),
    (112, 48, 160),
];
const NO_LEVEL: (u8, u8, u8) = (170, 170, 170);

fn pct(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| format!("{v:.1}%"))
}

/// Hectares from m², one decimal.
fn ha(m2: f64) -> String {
    format!("{:.1}", m2 / 10_000.0)
}

fn date(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Zh => d.format("%Y年%-m月%-d日").to_string(),
        Lang::En => d.format("%-d %B %Y").to_string(),
    }
}

/// Items joined in the language's way ("a、b、c"; "a, b and c").
fn joined(items: &[String], lang: Lang) -> String {
    match (lang, items) {
        (Lang::Zh, _) => items.join("、"),
        (Lang::En, [rest @ .., last]) if !rest.is_empty() => {
            format!("{} and {last}", rest.join(", "))
        }
        (Lang::En, _) => items.join(", "),
    }
}

/// A level's name in running text and in the map's legend: GB 36600's names are sentences
/// ("不高于土壤环境背景值，不纳入污染地块管理"), of which the first clause names the level.
fn short(name: &str) -> &str {
    name.split([',', '，', ':']).next().unwrap_or(name)
}

fn level_list(s: &LevelShares, lang: Lang) -> String {
    let parts: Vec<String> = s
        .rows
        .iter()
        .map(|r| match lang {
            Lang::Zh => format!(
                "{}{}个（{}）",
                short(&r.name_zh),
                r.samples,
                pct(r.share_pct)
            ),
            Lang::En => format!("{} {} ({})", short(&r.name_en), r.samples, pct(r.share_pct)),
        })
        .collect();
    joined(&parts, lang)
}

/// "N of M samples had a level (x %)", with what was not counted and why.
fn counted_sentence(
    s: &LevelShares,
    not_screened: usize,
    what: (&str, &str),
    lang: Lang,
) -> String {
    let mut missing = Vec::new();
    if not_screened > 0 {
        missing.push(match lang {
            Lang::Zh => format!("无土地类别未筛查的{not_screened}个样品计为缺失"),
            Lang::En => {
                format!("the {not_screened} samples screened by neither standard count as missing")
            }
        });
    }
    if s.undecided > 0 {
        missing.push(match lang {
            Lang::Zh => format!("{}个样品无法判定单一等级", s.undecided),
            Lang::En => format!("{} could not be placed in one level", s.undecided),
        });
    }
    let missing = if missing.is_empty() {
        String::new()
    } else {
        match lang {
            Lang::Zh => format!("；{}", missing.join("，")),
            Lang::En => format!("; {}", missing.join(", ")),
        }
    };
    let how_many = match (lang, s.counted == s.screened) {
        (Lang::Zh, true) => format!("{}样品{}个均判定了等级", what.0, s.screened),
        (Lang::Zh, false) => format!("{}样品{}个中{}个判定了等级", what.0, s.screened, s.counted),
        (Lang::En, true) => format!("all {} {} samples had one level", s.screened, what.1),
        (Lang::En, false) => format!(
            "{} of the {} {} samples had one level",
            s.counted, s.screened, what.1
        ),
    };
    match lang {
        Lang::Zh => format!(
            "按{}，{}（完整率{}，{}/{}{}）：{}。",
            s.standard,
            how_many,
            pct(s.completeness_pct),
            s.counted,
            s.expected,
            missing,
            level_list(s, lang)
        ),
        Lang::En => format!(
            "By {}, {} (completeness {}, {} of {}{}): {}.",
            s.standard,
            how_many,
            pct(s.completeness_pct),
            s.counted,
            s.expected,
            missing,
            level_list(s, lang)
        ),
    }
}

fn level_table(s: &LevelShares, lang: Lang, note: String) -> Table {
    let zh = lang == Lang::Zh;
    Table {
        header: if zh {
            vec!["等级".into(), "样品数".into(), "比例".into()]
        } else {
            vec!["level".into(), "samples".into(), "share".into()]
        },
        align: vec![Align::Left, Align::Right, Align::Right],
        rows: s
            .rows
            .iter()
            .map(|r| {
                vec![
                    if zh { &r.name_zh } else { &r.name_en }.clone(),
                    r.samples.to_string(),
                    pct(r.share_pct),
                ]
            })
            .collect(),
        note: Some(note),
    }
}

fn coverage_blocks(c: &CoverageFigures, lang: Lang) -> Vec<Block> {
    let zh = lang == Lang::Zh;
    let mut out = Vec::new();
    let dims: Vec<String> = c
        .dimensions
        .iter()
        .map(|d| {
            if zh {
                format!(
                    "{}{}类中{}类有点位（{}）",
                    d.name_zh,
                    d.classes,
                    d.covered,
                    pct(d.share_pct)
                )
            } else {
                format!(
                    "{} of {} {} classes ({})",
                    d.covered,
                    d.classes,
                    d.name_en,
                    pct(d.share_pct)
                )
            }
        })
        .collect();
    let plot_points = match (c.plot_points, zh) {
        (0, _) => String::new(),
        (n, true) => format!("（不含{n}个地块调查点位）"),
        (n, false) => format!(" (the {n} plot-investigation points are not the network's)"),
    };
    let mut text = if zh {
        format!(
            "土壤环境监测网{}个点位{}：{}。",
            c.points,
            plot_points,
            joined(&dims, lang)
        )
    } else {
        format!(
            "The soil monitoring network's {} points{} cover {}.",
            c.points,
            plot_points,
            joined(&dims, lang)
        )
    };
    let empties: Vec<String> = c
        .dimensions
        .iter()
        .filter(|d| !d.empty.is_empty())
        .map(|d| {
            if zh {
                format!("{}：{}", d.name_zh, joined(&d.empty, lang))
            } else {
                format!("{}: {}", d.name_en, joined(&d.empty, lang))
            }
        })
        .collect();
    let all_classes = c.dimensions.iter().all(|d| d.empty.is_empty());
    if all_classes && !c.dimensions.is_empty() {
        let names: Vec<String> = c
            .dimensions
            .iter()
            .map(|d| {
                if zh {
                    d.name_zh.clone()
                } else {
                    d.name_en.clone()
                }
            })
            .collect();
        text += &if zh {
            format!("全市{}的各类均有点位。", joined(&names, lang))
        } else {
            format!(
                " Every class of the city's {} has a point.",
                joined(&names, lang)
            )
        };
    } else if !empties.is_empty() {
        text += &if zh {
            format!("无点位的类别：{}。", empties.join("；"))
        } else {
            format!(" Classes without a point: {}.", empties.join("; "))
        };
    }
    let outside: Vec<String> = c
        .dimensions
        .iter()
        .filter(|d| d.not_in_city > 0)
        .map(|d| {
            if zh {
                format!("{}{}个", d.name_zh, d.not_in_city)
            } else {
                format!("{} {}", d.name_en, d.not_in_city)
            }
        })
        .collect();
    if !outside.is_empty() {
        text += &if zh {
            format!("类别不在全市类别表中的点位：{}。", outside.join("，"))
        } else {
            format!(
                " Points whose class is not among the city's: {}.",
                outside.join(", ")
            )
        };
    }
    if let Some(x) = &c.cross {
        let cells: Vec<String> = x
            .empty
            .iter()
            .map(|e| format!("{}×{}", e.row, e.column))
            .collect();
        let assumed = match (x.existing_given, zh) {
            (true, _) => "",
            (false, true) => "（未给出实际存在的组合，按全部组合计）",
            (false, false) => " (the combinations that exist were not given: all are counted)",
        };
        text += &if zh {
            format!(
                "全市存在的{}×{}组合{}个{}，{}个有点位（{}）{}",
                x.rows_zh,
                x.columns_zh,
                x.existing,
                assumed,
                x.covered,
                pct(x.share_pct),
                if cells.is_empty() {
                    "，各组合均有点位。".to_string()
                } else {
                    format!("；无点位的组合：{}。", joined(&cells, lang))
                }
            )
        } else {
            format!(
                " Of the {} combinations of {} and {} found in the city{}, {} have a point ({}){}",
                x.existing,
                x.rows_en,
                x.columns_en,
                assumed,
                x.covered,
                pct(x.share_pct),
                if cells.is_empty() {
                    ".".to_string()
                } else {
                    format!("; without one: {}.", joined(&cells, lang))
                }
            )
        };
    }
    out.push(Block::Paragraph(text));
    out
}

fn list_paragraph(l: &ListFigures, period: &str, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    if l.history == 0 {
        return if zh {
            "建设用地土壤污染风险管控和修复名录在库中尚无记录。".into()
        } else {
            "The store holds no event of the risk-control and remediation list of construction land."
                .into()
        };
    }
    let statuses: Vec<String> = l
        .by_status
        .iter()
        .map(|s| {
            if zh {
                format!("{}{}个", s.name_zh, s.plots)
            } else {
                format!("{} {}", s.name_en, s.plots)
            }
        })
        .collect();
    let ids = |v: &[String]| -> String {
        if v.is_empty() {
            String::new()
        } else if zh {
            format!("（{}）", joined(v, lang))
        } else {
            format!(" ({})", joined(v, lang))
        }
    };
    if zh {
        format!(
            "截至{}，建设用地土壤污染风险管控和修复名录内有地块{}个（{}）。{}内新列入名录{}个{}，移出名录{}个{}，名录内地块状态变化{}次。",
            date(l.as_of, lang),
            l.on_list,
            joined(&statuses, lang),
            period,
            l.entered.len(),
            ids(&l.entered),
            l.removed.len(),
            ids(&l.removed),
            l.moved
        )
    } else {
        format!(
            "On {}, {} plots were on the risk-control and remediation list of construction land ({}). During {}, {} plots entered the list{}, {} were removed{} and plots on it moved on {} times.",
            date(l.as_of, lang),
            l.on_list,
            joined(&statuses, lang),
            period,
            l.entered.len(),
            ids(&l.entered),
            l.removed.len(),
            ids(&l.removed),
            l.moved
        )
    }
}

/// The soil section.
pub fn section(s: &SoilFigures, lang: Lang) -> Section {
    let zh = lang == Lang::Zh;
    let period = crate::text::period_name(&s.period, lang);
    let mut blocks = Vec::new();
    let screened = |x: &Option<LevelShares>| x.as_ref().map_or(0, |l| l.screened);
    let dates = match (s.first_sampled, s.last_sampled) {
        (Some(a), Some(b)) if a == b => {
            if zh {
                format!("，采样于{}", date(a, lang))
            } else {
                format!(", taken on {}", date(a, lang))
            }
        }
        (Some(a), Some(b)) => {
            if zh {
                format!("，采样于{}至{}", date(a, lang), date(b, lang))
            } else {
                format!(", taken from {} to {}", date(a, lang), date(b, lang))
            }
        }
        _ => String::new(),
    };
    blocks.push(Block::Paragraph(if zh {
        format!(
            "本公报采用土壤样品{}个{}：农用地样品{}个按GB 15618—2018筛查，建设用地样品{}个按GB 36600—2018筛查，{}个无土地类别（如林地），未筛查。",
            s.samples,
            dates,
            screened(&s.farmland),
            screened(&s.construction),
            s.not_screened
        )
    } else {
        format!(
            "The bulletin uses {} soil samples{}: {} of agricultural land screened by GB 15618—2018, {} of construction land by GB 36600—2018, and {} without a land class (forest, for one), screened by neither.",
            s.samples,
            dates,
            screened(&s.farmland),
            screened(&s.construction),
            s.not_screened
        )
    }));
    if let Some(f) = &s.farmland {
        blocks.push(Block::Paragraph(counted_sentence(
            f,
            s.not_screened,
            ("农用地", "agricultural-land"),
            lang,
        )));
        blocks.push(Block::Table(level_table(
            f,
            lang,
            if zh {
                "依据GB 15618—2018：按pH分档比较筛选值与管制值，样品取其最差项目的类别；低于检出限且检出限高于筛选值、或无pH而各档结论不一的，不判定单一类别。".into()
            } else {
                "GB 15618—2018: contents against the screening and control values of the sample's pH band; a sample takes its worst item's category; one whose detection limit is above a screening value, or without pH where the bands disagree, has no single category.".into()
            },
        )));
    }
    if let Some(c) = &s.construction {
        blocks.push(Block::Paragraph(counted_sentence(
            c,
            s.not_screened,
            ("建设用地", "construction-land"),
            lang,
        )));
        blocks.push(Block::Table(level_table(
            c,
            lang,
            if zh {
                "依据GB 36600—2018：第一类、第二类用地的筛选值与管制值；砷不高于当地背景值的不纳入污染地块管理。".into()
            } else {
                "GB 36600—2018: the screening and intervention values of first- and second-class land; arsenic at most the local background is not managed as contamination.".into()
            },
        )));
    }
    if let Some(p) = &s.construction_plots {
        let rows: Vec<String> = p
            .rows
            .iter()
            .map(|r| {
                if zh {
                    format!(
                        "{}{}个、{}公顷（{}）",
                        short(&r.name_zh),
                        r.plots,
                        ha(r.area_m2),
                        pct(r.share_pct)
                    )
                } else {
                    format!(
                        "{} {} ({} ha, {})",
                        short(&r.name_en),
                        r.plots,
                        ha(r.area_m2),
                        pct(r.share_pct)
                    )
                }
            })
            .collect();
        blocks.push(Block::Paragraph(if zh {
            format!(
                "建设用地地块{}个、{}公顷中，{}个地块、{}公顷判定了等级（按地块数完整率{}），地块取其最差样品的等级，按面积计：{}。",
                p.expected,
                ha(p.area_expected_m2),
                p.counted,
                ha(p.area_counted_m2),
                pct(p.completeness_pct),
                joined(&rows, lang)
            )
        } else {
            format!(
                "Of {} construction plots ({} ha), {} ({} ha) had a level (completeness by plot {}); a plot takes its worst sample's level. By area: {}.",
                p.expected,
                ha(p.area_expected_m2),
                p.counted,
                ha(p.area_counted_m2),
                pct(p.completeness_pct),
                joined(&rows, lang)
            )
        }));
        blocks.push(Block::Table(Table {
            header: if zh {
                vec![
                    "等级".into(),
                    "地块数".into(),
                    "面积（公顷）".into(),
                    "面积比例".into(),
                ]
            } else {
                vec![
                    "level".into(),
                    "plots".into(),
                    "area (ha)".into(),
                    "share of area".into(),
                ]
            },
            align: vec![Align::Left, Align::Right, Align::Right, Align::Right],
            rows: p
                .rows
                .iter()
                .map(|r| {
                    vec![
                        if zh { &r.name_zh } else { &r.name_en }.clone(),
                        r.plots.to_string(),
                        ha(r.area_m2),
                        pct(r.share_pct),
                    ]
                })
                .collect(),
            note: None,
        }));
    }
    if !s.points.is_empty() {
        blocks.push(Block::Chart {
            name: "soil-map".into(),
            caption: if zh {
                "土壤样品筛查等级".into()
            } else {
                "Samples by screening level".into()
            },
        });
    }
    if let Some(c) = &s.coverage {
        blocks.extend(coverage_blocks(c, lang));
    }
    if let Some(l) = &s.list {
        blocks.push(Block::Paragraph(list_paragraph(l, &period, lang)));
    }
    let mut notes = Vec::new();
    if s.flagged > 0 {
        notes.push(if zh {
            format!("{}个数值保留但附注（如土地利用不在数据集的类别表中），详见 lantian soil screen --problems。", s.flagged)
        } else {
            format!(
                "{} values were kept with a note (a land use outside its set's table, for one): lantian soil screen --problems lists them.",
                s.flagged
            )
        });
    }
    if let Some(n) = if zh {
        &s.model_note_zh
    } else {
        &s.model_note_en
    } {
        notes.push(n.clone());
    }
    if !notes.is_empty() {
        blocks.push(Block::Note(notes.join(" ")));
    }
    Section {
        heading: if zh {
            "净土：土壤环境质量".into()
        } else {
            "Clean soil: soil quality".into()
        },
        blocks,
    }
}

/// The samples as dots (agricultural land) and squares (construction land) coloured by level,
/// over the district outlines when they are given.
pub fn map(
    s: &SoilFigures,
    shapes: Option<&DistrictShapes>,
    lang: Lang,
) -> Result<String, ChartError> {
    use plotters::prelude::*;
    if s.points.is_empty() {
        return Err(ChartError::Empty("no sample has a longitude and latitude"));
    }
    let pts: Vec<(f64, f64)> = s.points.iter().map(|p| (p.lon, p.lat)).collect();
    let frame = crate::charts::MapFrame::of(&pts, shapes);
    let (w_px, h_px) = (frame.w_px, frame.h_px);
    let legend_w = 250;
    let (width, height) = (w_px as u32 + legend_w, (h_px as u32 + 60).max(260));
    let px = |q: (f64, f64)| frame.px(q);
    let period = crate::text::period_name(&s.period, lang);
    let title = match lang {
        Lang::Zh => format!("{period}土壤样品筛查等级"),
        Lang::En => format!("Soil samples by screening level, {period}"),
    };
    let colour = |p: &SoilPoint| -> (u8, u8, u8) {
        match (p.standard, p.level_index) {
            (Some(SoilStandard::Gb15618), Some(i)) => {
                CATEGORY_COLOURS.get(i).copied().unwrap_or(NO_LEVEL)
            }
            (Some(SoilStandard::Gb36600), Some(i)) => {
                RISK_COLOURS.get(i).copied().unwrap_or(NO_LEVEL)
            }
            _ => NO_LEVEL,
        }
    };
    // The legend's rows: (square?, colour, label), from the levels the figures carry.
    let names = |l: &Option<LevelShares>| -> Vec<String> {
        l.as_ref().map_or(Vec::new(), |l| {
            l.rows
                .iter()
                .map(|r| match lang {
                    Lang::Zh => r.name_zh.clone(),
                    Lang::En => r.name_en.clone(),
                })
                .collect()
        })
    };
    let mut legend: Vec<(bool, (u8, u8, u8), String)> = Vec::new();
    for (i, n) in names(&s.farmland).into_iter().enumerate() {
        legend.push((
            false,
            CATEGORY_COLOURS.get(i).copied().unwrap_or(NO_LEVEL),
            n,
        ));
    }
    for (i, n) in names(&s.construction).into_iter().enumerate() {
        legend.push((
            true,
            RISK_COLOURS.get(i).copied().unwrap_or(NO_LEVEL),
            short(&n).to_string(),
        ));
    }
    legend.push((
        false,
        NO_LEVEL,
        match lang {
            Lang::Zh => "未筛查或无单一等级".into(),
            Lang::En => "not screened, or no single level".into(),
        },
    ));
    crate::charts::svg_of((width, height), |root| {
        let e = crate::charts::draw_err;
        root.draw(&Text::new(
            title.clone(),
            (10, 22),
            crate::charts::font(16.0),
        ))
        .map_err(e)?;
        frame.draw_districts(root, shapes)?;
        // Worse levels drawn last, so that a hotspot is not hidden under its neighbours.
        let mut order: Vec<&SoilPoint> = s.points.iter().collect();
        order.sort_by_key(|p| p.level_index.map_or(0, |i| i + 1));
        for p in order {
            let (r, g, b) = colour(p);
            let (cx, cy) = px((p.lon, p.lat));
            if p.standard == Some(SoilStandard::Gb36600) {
                let c = [(cx - 4, cy - 4), (cx + 4, cy + 4)];
                root.draw(&Rectangle::new(c, RGBColor(r, g, b).filled()))
                    .map_err(e)?;
                root.draw(&Rectangle::new(c, BLACK.stroke_width(1)))
                    .map_err(e)?;
            } else {
                root.draw(&Circle::new((cx, cy), 4, RGBColor(r, g, b).filled()))
                    .map_err(e)?;
                root.draw(&Circle::new((cx, cy), 4, BLACK.mix(0.6).stroke_width(1)))
                    .map_err(e)?;
            }
        }
        let lx = w_px as i32 + 30;
        for (i, (square, (r, g, b), label)) in legend.iter().enumerate() {
            let y = 60 + 22 * i as i32;
            if *square {
                root.draw(&Rectangle::new(
                    [(lx - 5, y - 5), (lx + 5, y + 5)],
                    RGBColor(*r, *g, *b).filled(),
                ))
                .map_err(e)?;
            } else {
                root.draw(&Circle::new((lx, y), 5, RGBColor(*r, *g, *b).filled()))
                    .map_err(e)?;
            }
            root.draw(&Text::new(
                label.clone(),
                (lx + 12, y - 7),
                crate::charts::font(12.0),
            ))
            .map_err(e)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shares(standard: &str, counts: &[(&str, usize)], not_counted: usize) -> LevelShares {
        let counted: usize = counts.iter().map(|c| c.1).sum();
        LevelShares {
            standard: standard.into(),
            screened: counted + not_counted,
            rows: counts
                .iter()
                .map(|(name, n)| LevelShare {
                    level: name.to_string(),
                    name_zh: name.to_string(),
                    name_en: name.to_string(),
                    samples: *n,
                    share_pct: Some(100.0 * *n as f64 / counted as f64),
                })
                .collect(),
            counted,
            expected: counted + not_counted,
            completeness_pct: Some(100.0 * counted as f64 / (counted + not_counted) as f64),
            undecided: not_counted,
        }
    }

    fn figures() -> SoilFigures {
        SoilFigures {
            period: Period::parse("2024").unwrap(),
            samples: 12,
            first_sampled: NaiveDate::from_ymd_opt(2024, 4, 1),
            last_sampled: NaiveDate::from_ymd_opt(2024, 10, 30),
            not_screened: 0,
            farmland: Some(shares(
                "GB 15618—2018",
                &[("priority", 8), ("safe", 1), ("strict", 0)],
                1,
            )),
            construction: None,
            construction_plots: None,
            coverage: Some(CoverageFigures {
                points: 10,
                plot_points: 0,
                dimensions: vec![
                    DimensionFigures {
                        dimension: "land_use".into(),
                        name_zh: "土地利用类型".into(),
                        name_en: "land use".into(),
                        classes: 3,
                        covered: 3,
                        share_pct: Some(100.0),
                        empty: Vec::new(),
                        not_in_city: 0,
                    },
                    DimensionFigures {
                        dimension: "soil_type".into(),
                        name_zh: "土壤类型".into(),
                        name_en: "soil type".into(),
                        classes: 2,
                        covered: 1,
                        share_pct: Some(50.0),
                        empty: vec!["棕壤".into()],
                        not_in_city: 0,
                    },
                ],
                cross: None,
            }),
            list: None,
            points: vec![SoilPoint {
                sample: "P1".into(),
                lon: 116.3,
                lat: 40.0,
                standard: Some(SoilStandard::Gb15618),
                level_index: Some(1),
            }],
            flagged: 0,
            model_samples: 0,
            model_note_zh: None,
            model_note_en: None,
        }
    }

    fn text(s: &Section) -> String {
        s.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(p) | Block::Note(p) => Some(p.clone()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn a_class_without_a_point_is_named_and_no_full_coverage_is_claimed() {
        let f = figures();
        let zh = text(&section(&f, Lang::Zh));
        assert!(zh.contains("无点位的类别：土壤类型：棕壤。"), "{zh}");
        assert!(!zh.contains("均有点位"), "{zh}");
        let en = text(&section(&f, Lang::En));
        assert!(en.contains("1 of 2 soil type classes (50.0%)"), "{en}");
        assert!(!en.contains("Every class"), "{en}");
        // Covered everywhere: then, and only then, it is said.
        let mut full = f.clone();
        let d = &mut full.coverage.as_mut().unwrap().dimensions[1];
        (d.covered, d.share_pct, d.empty) = (2, Some(100.0), Vec::new());
        let zh = text(&section(&full, Lang::Zh));
        assert!(
            zh.contains("全市土地利用类型、土壤类型的各类均有点位。"),
            "{zh}"
        );
    }

    #[test]
    fn what_is_not_counted_is_said_with_its_completeness() {
        let f = figures();
        let zh = text(&section(&f, Lang::Zh));
        assert!(
            zh.contains(
                "农用地样品10个中9个判定了等级（完整率90.0%，9/10；1个样品无法判定单一等级）"
            ),
            "{zh}"
        );
        let en = text(&section(&f, Lang::En));
        assert!(en.contains("9 of the 10 agricultural-land samples had one level (completeness 90.0%, 9 of 10; 1 could not be placed in one level)"), "{en}");
        assert!(
            en.contains("taken from 1 April 2024 to 30 October 2024"),
            "{en}"
        );
    }

    #[test]
    fn the_map_draws_every_sample_and_its_legend() {
        let svg = map(&figures(), None, Lang::En).unwrap();
        assert!(svg.contains("Soil samples by screening level, 2024"));
        assert!(svg.contains("safe"));
        let mut none = figures();
        none.points.clear();
        assert!(map(&none, None, Lang::Zh).is_err());
    }
}
