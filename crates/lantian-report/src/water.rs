//! The bulletin's water section: the share of sections in classes I–III and worse than V, the
//! grade and its change from a year earlier in the 2011 method's words, the main pollutants,
//! a map of the sections coloured by class, and what the districts paid each other for the
//! water crossing their boundaries. The figures are computed by `lantian-water`; this module
//! only writes them.

use crate::charts::{ChartError, DistrictShapes};
use crate::document::{Align, Block, Lang, Section, Table};
use serde::Serialize;

/// One section on the map.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaterPoint {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub lat: f64,
    pub lon: f64,
    /// I = 0 … 劣V = 5; none when the section has no class for the period.
    pub class_index: Option<usize>,
}

/// An item and the share of sections above class III.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PollutantShare {
    pub name_zh: String,
    pub name_en: String,
    pub rate_pct: f64,
}

/// A district's compensation balance (positive receives).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DistrictBalance {
    pub district: String,
    pub cny: f64,
}

/// The compensation of the period.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompensationFigures {
    pub rules: String,
    pub section_months: usize,
    pub total_cny: f64,
    pub balances: Vec<DistrictBalance>,
    pub unjudged: usize,
    pub unconfirmed: Vec<String>,
}

/// The water section's figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaterFigures {
    pub period: String,
    /// Sections with readings in the period, and those with a class (the others lack complete
    /// means: said in the section).
    pub sections: usize,
    pub classed: usize,
    /// Sections per class, I … 劣V.
    pub class_counts: [usize; 6],
    pub good_pct: f64,
    pub worse_than_v_pct: f64,
    pub grade_zh: Option<String>,
    pub grade_en: Option<String>,
    pub with_target: usize,
    pub meeting_target: usize,
    pub previous_period: Option<String>,
    pub previous_good_pct: Option<f64>,
    pub previous_worse_than_v_pct: Option<f64>,
    /// The change in the method's words, over the sections classed in both periods.
    pub change_zh: Option<String>,
    pub change_en: Option<String>,
    pub improved: Option<bool>,
    pub main_pollutants: Vec<PollutantShare>,
    pub points: Vec<WaterPoint>,
    pub compensation: Option<CompensationFigures>,
}

const CLASS_ZH: [&str; 6] = ["Ⅰ类", "Ⅱ类", "Ⅲ类", "Ⅳ类", "Ⅴ类", "劣Ⅴ类"];
const CLASS_EN: [&str; 6] = ["I", "II", "III", "IV", "V", "worse than V"];

/// The method's colours: I–II blue, III green, IV yellow, V orange, 劣V red.
pub const CLASS_COLOURS: [(u8, u8, u8); 6] = [
    (0, 112, 192),
    (0, 112, 192),
    (0, 176, 80),
    (255, 217, 0),
    (255, 140, 0),
    (220, 0, 0),
];

fn cny(v: f64, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{:.1}万元", v / 10_000.0),
        Lang::En => format!("CNY {:.2} m", v / 1_000_000.0),
    }
}

/// The water section.
pub fn section(w: &WaterFigures, lang: Lang) -> Section {
    let zh = lang == Lang::Zh;
    let mut blocks = Vec::new();
    let change = match (&w.previous_good_pct, &w.previous_worse_than_v_pct) {
        (Some(g0), Some(b0)) => {
            let dg = w.good_pct - g0;
            let db = w.worse_than_v_pct - b0;
            Some(if zh {
                format!(
                    "与{}相比，Ⅰ～Ⅲ类断面比例{}{:.1}个百分点，劣Ⅴ类断面比例{}{:.1}个百分点，水质{}。",
                    w.previous_period.as_deref().unwrap_or(""),
                    if dg >= 0.0 { "上升" } else { "下降" },
                    dg.abs(),
                    if db >= 0.0 { "上升" } else { "下降" },
                    db.abs(),
                    w.change_zh.as_deref().unwrap_or("")
                )
            } else {
                format!(
                    "Against {}, the share in classes I–III {} by {:.1} points and the share worse than V {} by {:.1} points: {}.",
                    w.previous_period.as_deref().unwrap_or(""),
                    if dg >= 0.0 { "rose" } else { "fell" },
                    dg.abs(),
                    if db >= 0.0 { "rose" } else { "fell" },
                    db.abs(),
                    w.change_en.as_deref().unwrap_or("")
                )
            })
        }
        _ => None,
    };
    let pollutants = if w.main_pollutants.is_empty() {
        String::new()
    } else if zh {
        format!(
            "主要污染指标为{}。",
            w.main_pollutants
                .iter()
                .map(|p| format!("{}（超标断面比例{:.1}%）", p.name_zh, p.rate_pct))
                .collect::<Vec<_>>()
                .join("、")
        )
    } else {
        format!(
            " The main pollutants were {}.",
            w.main_pollutants
                .iter()
                .map(|p| format!(
                    "{} ({:.1} % of sections above class III)",
                    p.name_en, p.rate_pct
                ))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    blocks.push(Block::Paragraph(if zh {
        format!(
            "{}，{}个地表水监测断面中{}个有评价结果，Ⅰ～Ⅲ类水质断面占{:.1}%，劣Ⅴ类断面占{:.1}%{}；{}个有水质目标的断面中{}个达标。{}{}",
            w.period,
            w.sections,
            w.classed,
            w.good_pct,
            w.worse_than_v_pct,
            w.grade_zh
                .as_ref()
                .map(|g| format!("，水质状况为{g}"))
                .unwrap_or_default(),
            w.with_target,
            w.meeting_target,
            change.unwrap_or_default(),
            pollutants
        )
    } else {
        format!(
            "In {}, {} of {} surface-water sections had a class: {:.1} % were in classes I–III and {:.1} % worse than class V{}; {} of the {} sections with a target met it. {}{}",
            w.period,
            w.classed,
            w.sections,
            w.good_pct,
            w.worse_than_v_pct,
            w.grade_en
                .as_ref()
                .map(|g| format!(" (water quality {g})"))
                .unwrap_or_default(),
            w.meeting_target,
            w.with_target,
            change.unwrap_or_default(),
            pollutants
        )
    }));
    let n = w.classed.max(1) as f64;
    blocks.push(Block::Table(Table {
        header: if zh {
            vec!["水质类别".into(), "断面数".into(), "比例".into()]
        } else {
            vec!["class".into(), "sections".into(), "share".into()]
        },
        align: vec![Align::Left, Align::Right, Align::Right],
        rows: (0..6)
            .map(|k| {
                vec![
                    if zh { CLASS_ZH[k] } else { CLASS_EN[k] }.to_string(),
                    w.class_counts[k].to_string(),
                    format!("{:.1}%", 100.0 * w.class_counts[k] as f64 / n),
                ]
            })
            .collect(),
        note: Some(if zh {
            "依据GB 3838—2002与《地表水环境质量评价办法（试行）》：21项指标单因子评价，月均值需当月四分之三的自动监测数据或一次手工采样，年均值需三分之二的月份。".into()
        } else {
            "GB 3838—2002 and the 2011 assessment method: single-factor class over 21 items; a monthly mean needs three quarters of the month's automatic readings or a grab sample, a longer period two thirds of its months.".into()
        }),
    }));
    if !w.points.is_empty() {
        blocks.push(Block::Chart {
            name: "water-map".into(),
            caption: if zh {
                "监测断面水质类别".into()
            } else {
                "Sections by water class".into()
            },
        });
    }
    if let Some(c) = &w.compensation {
        blocks.push(Block::Paragraph(if zh {
            format!(
                "按{}，{}个断面·月共核算补偿金{}。",
                c.rules,
                c.section_months,
                cny(c.total_cny, lang)
            )
        } else {
            format!(
                "Under {}, {} section-months came to {} of compensation.",
                c.rules,
                c.section_months,
                cny(c.total_cny, lang)
            )
        }));
        blocks.push(Block::Table(Table {
            header: if zh {
                vec!["区".into(), "收支（正为收入）".into()]
            } else {
                vec!["district".into(), "balance (+ receives)".into()]
            },
            align: vec![Align::Left, Align::Right],
            rows: c
                .balances
                .iter()
                .filter(|b| b.cny != 0.0)
                .map(|b| vec![b.district.clone(), cny(b.cny, lang)])
                .collect(),
            note: (!c.unconfirmed.is_empty() || c.unjudged > 0).then(|| {
                let mut parts = Vec::new();
                if c.unjudged > 0 {
                    parts.push(if zh {
                        format!("{}项断面·月·指标缺少完整月均值，未核算", c.unjudged)
                    } else {
                        format!(
                            "{} section-month items lacked a complete mean and were not charged",
                            c.unjudged
                        )
                    });
                }
                for u in &c.unconfirmed {
                    parts.push(format!("UNCONFIRMED: {u}"));
                }
                parts.join("; ")
            }),
        }));
    }
    Section {
        heading: if zh {
            "碧水：地表水环境质量".into()
        } else {
            "Clear water: surface-water quality".into()
        },
        blocks,
    }
}

/// The sections as dots coloured by class, over the district outlines when they are given.
pub fn map(
    w: &WaterFigures,
    shapes: Option<&DistrictShapes>,
    lang: Lang,
) -> Result<String, ChartError> {
    use plotters::prelude::*;
    if w.points.is_empty() {
        return Err(ChartError::Empty("no section has a position"));
    }
    let pts: Vec<(f64, f64)> = w.points.iter().map(|p| (p.lon, p.lat)).collect();
    let frame = crate::charts::MapFrame::of(&pts, shapes);
    let (w_px, h_px) = (frame.w_px, frame.h_px);
    let (width, height) = (w_px as u32 + 170, h_px as u32 + 60);
    let px = |q: (f64, f64)| frame.px(q);
    let title = match lang {
        Lang::Zh => format!("{} 监测断面水质类别", w.period),
        Lang::En => format!("Sections by water class, {}", w.period),
    };
    crate::charts::svg_of((width, height), |root| {
        let e = crate::charts::draw_err;
        root.draw(&Text::new(
            title.clone(),
            (10, 22),
            crate::charts::font(16.0),
        ))
        .map_err(e)?;
        frame.draw_districts(root, shapes)?;
        for p in &w.points {
            let (r, g, b) = p.class_index.map_or((170, 170, 170), |k| CLASS_COLOURS[k]);
            let c = px((p.lon, p.lat));
            root.draw(&Circle::new(c, 6, RGBColor(r, g, b).filled()))
                .map_err(e)?;
            root.draw(&Circle::new(c, 6, BLACK.stroke_width(1)))
                .map_err(e)?;
        }
        let lx = w_px as i32 + 30;
        let labels: Vec<String> = (0..6)
            .map(|k| match lang {
                Lang::Zh => CLASS_ZH[k].to_string(),
                Lang::En => CLASS_EN[k].to_string(),
            })
            .chain(std::iter::once(match lang {
                Lang::Zh => "无评价结果".to_string(),
                Lang::En => "no class".to_string(),
            }))
            .collect();
        for (i, label) in labels.iter().enumerate() {
            let y = 60 + 22 * i as i32;
            let (r, g, b) = CLASS_COLOURS.get(i).copied().unwrap_or((170, 170, 170));
            root.draw(&Circle::new((lx, y), 6, RGBColor(r, g, b).filled()))
                .map_err(e)?;
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
