//! The bulletin's climate section: the carbon market's year (units covered, verified emissions,
//! compliance, offsets used) and green electricity bought (share, emissions avoided, the plan's
//! progress). The figures are computed by `lantian-carbon`; this module only writes them.

use crate::document::{Align, Block, Lang, Section, Table};
use serde::Serialize;

/// The carbon market's figures for the bulletin's year.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClimateFigures {
    pub market_zh: String,
    pub market_en: String,
    pub year: i32,
    /// Units with books for the year.
    pub units: u64,
    pub verified: u64,
    pub compliant: u64,
    pub shortfall: u64,
    pub not_reported: u64,
    /// Compliant among the verified, in percent (`None` without verified units).
    pub compliance_pct: Option<f64>,
    pub emissions_t: f64,
    pub offsets_counted_t: f64,
    pub offsets_refused_t: f64,
    pub shortfall_t: f64,
    pub green: Option<GreenFigures>,
    /// The rules behind these figures that are not confirmed (named in the section's note).
    pub unconfirmed: Vec<String>,
}

/// Green electricity bought in the bulletin's year.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GreenFigures {
    pub consumption_mwh: f64,
    pub green_mwh: f64,
    pub green_share_pct: Option<f64>,
    pub location_based_t: f64,
    pub market_based_t: f64,
    pub avoided_t: f64,
    /// The grid factor and its source.
    pub factor: String,
    /// The plan's progress: share of the way done, and of a straight path.
    pub plan_done_pct: Option<f64>,
    pub plan_path_pct: Option<f64>,
}

/// 万吨 with two decimals from 10,000 t (zh), kilotonnes with one from 1,000 t (en); whole
/// tonnes below.
fn tonnes(t: f64, lang: Lang) -> String {
    match lang {
        Lang::Zh if t >= 10_000.0 => format!("{:.2}万吨", t / 10_000.0),
        Lang::Zh => format!("{t:.0}吨"),
        Lang::En if t >= 1_000.0 => format!("{:.1} kt", t / 1_000.0),
        Lang::En => format!("{t:.0} t"),
    }
}

/// 万千瓦时 (zh; 1 MWh = 0.1 万千瓦时) or GWh (en).
fn energy(mwh: f64, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{:.1}万千瓦时", mwh / 10.0),
        Lang::En => format!("{:.2} GWh", mwh / 1_000.0),
    }
}

fn pct(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| format!("{v:.1}%"))
}

/// The climate section.
pub fn section(c: &ClimateFigures, lang: Lang) -> Section {
    let zh = lang == Lang::Zh;
    let mut blocks = Vec::new();
    let market = if zh { &c.market_zh } else { &c.market_en };
    blocks.push(Block::Paragraph(if zh {
        format!(
            "{}年，{}纳入单位{}家，核查排放量{}二氧化碳；已核查的{}家中{}家足额清缴、{}家未足额清缴（缺口{}），履约率{}；{}家未按期报告排放。用于清缴的抵消量{}{}。",
            c.year,
            market,
            c.units,
            tonnes(c.emissions_t, lang),
            c.verified,
            c.compliant,
            c.shortfall,
            tonnes(c.shortfall_t, lang),
            pct(c.compliance_pct),
            c.not_reported,
            tonnes(c.offsets_counted_t, lang),
            if c.offsets_refused_t > 0.0 {
                format!("，另有{}超出抵消规则未计入", tonnes(c.offsets_refused_t, lang))
            } else {
                String::new()
            },
        )
    } else {
        format!(
            "In {}, the {} covered {} units with {} of verified CO2. Of the {} verified, {} surrendered enough and {} fell short (by {} in all): a compliance rate of {}; {} did not report in time. Offsets covered {}{}.",
            c.year,
            market,
            c.units,
            tonnes(c.emissions_t, lang),
            c.verified,
            c.compliant,
            c.shortfall,
            tonnes(c.shortfall_t, lang),
            pct(c.compliance_pct),
            c.not_reported,
            tonnes(c.offsets_counted_t, lang),
            if c.offsets_refused_t > 0.0 {
                format!("; {} more broke the offset rules and did not count", tonnes(c.offsets_refused_t, lang))
            } else {
                String::new()
            },
        )
    }));
    let mut rows = vec![
        vec![
            if zh {
                "纳入单位（家）"
            } else {
                "units covered"
            }
            .to_string(),
            c.units.to_string(),
        ],
        vec![
            if zh {
                "核查排放量"
            } else {
                "verified emissions"
            }
            .to_string(),
            tonnes(c.emissions_t, lang),
        ],
        vec![
            if zh { "履约率" } else { "compliance rate" }.to_string(),
            pct(c.compliance_pct),
        ],
        vec![
            if zh { "抵消量" } else { "offsets used" }.to_string(),
            tonnes(c.offsets_counted_t, lang),
        ],
    ];
    if let Some(g) = &c.green {
        blocks.push(Block::Paragraph(if zh {
            format!(
                "通过市场购买绿色电力{}，占用电量的{}；绿电按零排放计（市场法），比按电网平均排放因子计（位置法）减少排放{}{}。",
                energy(g.green_mwh, lang),
                pct(g.green_share_pct),
                tonnes(g.avoided_t, lang),
                match (g.plan_done_pct, g.plan_path_pct) {
                    (Some(d), Some(p)) => format!("；绿电消费计划完成{d:.1}%（按进度应完成{p:.1}%）"),
                    _ => String::new(),
                }
            )
        } else {
            format!(
                "Green electricity bought on the market: {}, {} of consumption; counted at zero (market-based) it avoided {} against the grid average (location-based){}.",
                energy(g.green_mwh, lang),
                pct(g.green_share_pct),
                tonnes(g.avoided_t, lang),
                match (g.plan_done_pct, g.plan_path_pct) {
                    (Some(d), Some(p)) => format!("; the green-electricity plan is {d:.1}% done against {p:.1}% on a straight path"),
                    _ => String::new(),
                }
            )
        }));
        rows.push(vec![
            if zh {
                "绿电占比"
            } else {
                "green electricity share"
            }
            .to_string(),
            pct(g.green_share_pct),
        ]);
        rows.push(vec![
            if zh {
                "绿电减排量"
            } else {
                "emissions avoided"
            }
            .to_string(),
            tonnes(g.avoided_t, lang),
        ]);
    }
    let mut note = match lang {
        Lang::Zh => "履约：清缴配额与计入的抵消量不少于核查排放量；抵消量不超过当年配额的5%，其中京外项目不超过2.5%。".to_string(),
        Lang::En => "Compliance: allowances and counted offsets at least the verified emissions; offsets at most 5% of the year's allocation, at most 2.5% from outside Beijing.".to_string(),
    };
    if let Some(g) = &c.green {
        note.push_str(&match lang {
            Lang::Zh => format!("电网排放因子：{}。", g.factor),
            Lang::En => format!(" Grid factor: {}.", g.factor),
        });
    }
    if !c.unconfirmed.is_empty() {
        note.push_str(&match lang {
            Lang::Zh => format!("未经原文核实的规则：{}。", c.unconfirmed.join("；")),
            Lang::En => format!(
                " Rules not confirmed against their texts: {}.",
                c.unconfirmed.join("; ")
            ),
        });
    }
    blocks.push(Block::Table(Table {
        header: vec![
            if zh { "指标" } else { "indicator" }.into(),
            c.year.to_string(),
        ],
        align: vec![Align::Left, Align::Right],
        rows,
        note: Some(note),
    }));
    Section {
        heading: if zh {
            "应对气候变化".into()
        } else {
            "Climate".into()
        },
        blocks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures() -> ClimateFigures {
        ClimateFigures {
            market_zh: "北京市碳排放权交易市场".into(),
            market_en: "Beijing carbon emissions trading market".into(),
            year: 2023,
            units: 3,
            verified: 2,
            compliant: 1,
            shortfall: 1,
            not_reported: 1,
            compliance_pct: Some(50.0),
            emissions_t: 13_000.0,
            offsets_counted_t: 245.0,
            offsets_refused_t: 15.0,
            shortfall_t: 5.0,
            green: Some(GreenFigures {
                consumption_mwh: 15_000.0,
                green_mwh: 4_000.0,
                green_share_pct: Some(26.666),
                location_based_t: 8_554.5,
                market_based_t: 6_273.3,
                avoided_t: 2_281.2,
                factor: "china-national 2022, 0.5703 t/MWh".into(),
                plan_done_pct: Some(25.0),
                plan_path_pct: Some(33.333),
            }),
            unconfirmed: vec!["penalty 5–10 × price".into()],
        }
    }

    #[test]
    fn chinese_words_and_units() {
        let s = section(&figures(), Lang::Zh);
        assert_eq!(s.heading, "应对气候变化");
        let Block::Paragraph(p) = &s.blocks[0] else {
            panic!()
        };
        assert!(
            p.starts_with(
                "2023年，北京市碳排放权交易市场纳入单位3家，核查排放量1.30万吨二氧化碳；"
            ),
            "{p}"
        );
        assert!(p.contains("履约率50.0%"), "{p}");
        assert!(
            p.contains("（缺口5吨）")
                && p.contains("用于清缴的抵消量245吨，另有15吨超出抵消规则未计入"),
            "{p}"
        );
        let Block::Paragraph(g) = &s.blocks[1] else {
            panic!()
        };
        assert!(
            g.starts_with("通过市场购买绿色电力400.0万千瓦时，占用电量的26.7%"),
            "{g}"
        );
        assert!(g.contains("减少排放2281吨"), "{g}");
        assert!(
            g.contains("绿电消费计划完成25.0%（按进度应完成33.3%）"),
            "{g}"
        );
        let Block::Table(t) = &s.blocks[2] else {
            panic!()
        };
        assert_eq!(t.rows.len(), 6);
        assert!(
            t.note
                .as_ref()
                .unwrap()
                .contains("未经原文核实的规则：penalty")
        );
    }

    #[test]
    fn english_without_green() {
        let mut f = figures();
        f.green = None;
        f.offsets_refused_t = 0.0;
        f.compliance_pct = None;
        let s = section(&f, Lang::En);
        let Block::Paragraph(p) = &s.blocks[0] else {
            panic!()
        };
        assert!(p.starts_with("In 2023, the Beijing carbon emissions trading market covered 3 units with 13.0 kt of verified CO2."), "{p}");
        assert!(p.contains("a compliance rate of —"), "{p}");
        assert!(p.ends_with("Offsets covered 245 t."), "{p}");
        assert_eq!(s.blocks.len(), 2);
    }
}
