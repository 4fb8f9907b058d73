//! The five-campaign bulletin (`lantian report --campaigns`): the city's half-year report on
//! its plan, computed from the engines and the plan.
//!
//! Every number has one origin:
//!
//! - the air headline and the blue-sky status: the assessment of the period and of the same
//!   period a year earlier (the bulletin's own figures, `lantian assess`);
//! - the clear-water status: the water section's figures (`lantian water assess`) when readings
//!   are given; the pure-land status: the risk-control list in the store (and the soil samples
//!   when given); the climate status: the carbon market's compliance (`lantian carbon
//!   compliance`) when books are given; the ecology status: the GEP-R accounts
//!   ([`super::gep`]);
//! - progress: the plan's measures and reports ([`super::progress`]) on the period's last day;
//! - indicators: the plan's dated values, and the values the engines computed above (each with
//!   the query that gives it back).
//!
//! A status sentence says "improved" only when its figure did: each campaign's rule is in
//! [`status_of`]'s arms. Where the data behind a status are not given, the section says so
//! instead of guessing.

use super::effect::{EffectRequest, effect};
use super::gep::{GepAnswer, GepSources, accounts};
use super::{IndicatorAnswer, Plan, PlanSources, ProgressRequest, indicators, load, progress};
use crate::deweather::OnProgress;
use crate::error::{AppError, Result};
use crate::report::{BulletinRequest, bulletin_in_store};
use chrono::Datelike;
use lantian_campaigns::Campaign;
use lantian_campaigns::indicator::{Source, Value};
use lantian_campaigns::progress::summarise;
use lantian_model::Registry;
use lantian_report::campaigns::{
    AirHeadline, CampaignFigures, CampaignsFigures, EffectRow, IndicatorRow, MeasureRow, Missing,
    NextStep, StatusFigure, StatusSentence, Trend,
};
use lantian_report::document::Lang;
use lantian_report::figures::Bulletin;
use lantian_report::text::period_name;
use lantian_store::Store;
use lantian_store::matrix::MatrixReader;
use serde::Serialize;

/// What the campaigns bulletin is computed from.
#[derive(Debug, Clone)]
pub struct CampaignsRequest {
    /// The region, the period and the media's sources (water readings, soil samples, a
    /// market's books), as for the air bulletin.
    pub bulletin: BulletinRequest,
    pub plan: PlanSources,
    pub gep: GepSources,
    /// Measures whose effect is sought, each with its stations and window.
    pub effects: Vec<(String, EffectRequest)>,
}

/// The bulletin's figures and everything they were taken from.
#[derive(Debug, Clone, Serialize)]
pub struct CampaignsAnswer {
    pub figures: CampaignsFigures,
    /// The engines' outputs behind the figures.
    pub air: Bulletin,
    pub indicators: Vec<IndicatorAnswer>,
    pub gep: Option<GepAnswer>,
    pub plan_origin: String,
}

/// The campaigns bulletin of `req`.
pub async fn figures(
    store: &Store,
    reader: &MatrixReader,
    reg: &Registry,
    req: &CampaignsRequest,
    on_progress: &OnProgress<'_>,
) -> Result<CampaignsAnswer> {
    let plan = load(Some(store), &req.plan).await?;
    let mut breq = req.bulletin.clone();
    // The campaigns bulletin shows no trend chart: its months are not read.
    breq.trend_years = 0;
    let air = bulletin_in_store(store, reader, reg, &breq).await?;
    let period = &breq.period;
    let as_of = period.last;
    let gep = match accounts(&req.gep, Some(as_of.year())) {
        Ok(g) => Some(g),
        // The period's year has no accounts (they are published a year later): the latest
        // year before it.
        Err(AppError::BadParameter {
            parameter: "year", ..
        }) => accounts(&req.gep, None)
            .ok()
            .filter(|g| g.year < as_of.year()),
        Err(e) => return Err(e),
    };
    // The risk-control list on the same day a year earlier, for the pure-land sentence.
    let list_year_before = match air.soil.as_ref().and_then(|s| s.list.as_ref()) {
        Some(_) => match as_of.checked_sub_months(chrono::Months::new(12)) {
            Some(d) => Some(store.soil_list_as_of(d).await?.len()),
            None => None,
        },
        None => None,
    };
    let computed = computed_values(&air, gep.as_ref(), &breq, &plan.files.indicators);
    let inds = indicators(&plan, as_of, None, &computed);
    let prog = progress(
        &plan,
        &ProgressRequest {
            as_of,
            campaign: None,
            unit: None,
        },
    )?;
    let mut effects = Vec::new();
    for (id, ereq) in &req.effects {
        let m = plan.measure(id).ok_or_else(|| {
            AppError::bad(
                "effect",
                id,
                format!("measure {id} is not in the plan ({})", plan.origin),
            )
        })?;
        let e = effect(reader, m, ereq, on_progress)?;
        effects.push(EffectRow {
            measure: e.measure.clone(),
            title_zh: e.title_zh.clone(),
            title_en: e.title_en.clone(),
            pollutant: e.pollutant.clone(),
            start: e.start,
            window_days: e.window_days,
            before: Some(e.observed_before),
            after: Some(e.observed_after),
            change: Some(e.change),
            change_low: Some(e.change_lower),
            change_high: Some(e.change_upper),
            break_date: e.nearest_break.as_ref().map(|b| b.date),
            break_low: e.nearest_break.as_ref().and_then(|b| b.lower),
            break_high: e.nearest_break.as_ref().and_then(|b| b.upper),
            note: match (&e.placebo, &e.breaks_note) {
                (Some(p), b) => Some(format!(
                    "a year earlier {:+.1} ({:+.1} to {:+.1}), net {:+.1} µg/m³{}",
                    p.change,
                    p.change_lower,
                    p.change_upper,
                    p.net_change,
                    b.as_ref().map(|b| format!("; {b}")).unwrap_or_default()
                )),
                (None, b) => match (&e.placebo_note, b) {
                    (Some(p), Some(b)) => Some(format!("{p}; {b}")),
                    (p, b) => p.clone().or(b.clone()),
                },
            },
        });
    }
    let campaigns = Campaign::ALL
        .iter()
        .map(|&c| {
            campaign_figures(
                c,
                &plan,
                &prog.progress,
                &inds,
                &air,
                gep.as_ref(),
                list_year_before,
            )
        })
        .collect();
    let figures = CampaignsFigures {
        region_zh: air.region.zh.clone(),
        region_en: air.region.en.clone(),
        period_zh: period_name(period, Lang::Zh),
        period_en: period_name(period, Lang::En),
        from: period.first,
        to: period.last,
        as_of,
        plan_name_zh: plan.files.plan.name_zh.clone(),
        plan_name_en: plan.files.plan.name_en.clone(),
        headline: headline(&air),
        progress: prog.progress.total.clone(),
        campaigns,
        burn_up: prog.burn_up.clone(),
        effects,
    };
    Ok(CampaignsAnswer {
        figures,
        air,
        indicators: inds,
        gep,
        plan_origin: plan.origin,
    })
}

/// The air headline: the period's published PM2.5 and day counts, and a year earlier's.
pub fn headline(b: &Bulletin) -> AirHeadline {
    let pm = |a: &lantian_assess::area::AreaAssessment| {
        a.stats.headline("PM2.5").and_then(|s| s.published)
    };
    let excellent = |a: &lantian_assess::area::AreaAssessment| {
        (a.days.valid > 0).then_some(a.days.by_level[0] as u32)
    };
    let good = |a: &lantian_assess::area::AreaAssessment| {
        (a.days.valid > 0).then_some(a.days.excellent_or_good as u32)
    };
    let base = b.baseline.as_ref();
    let change = b.comparison.as_ref().and_then(|c| {
        c.figures
            .iter()
            .find(|f| f.pollutant == "PM2.5")
            .and_then(|f| f.change.percent)
    });
    AirHeadline {
        pm25: pm(&b.current),
        pm25_baseline: base.and_then(pm),
        pm25_change_percent: change,
        excellent_days: excellent(&b.current),
        excellent_days_baseline: base.and_then(excellent),
        good_days: good(&b.current),
        good_days_baseline: base.and_then(good),
        days_assessed: b.current.days.valid as u32,
        days_in_period: b.current.days.days as u32,
    }
}

/// The command that gives an engine figure back.
fn query(kind: &str, req: &BulletinRequest) -> String {
    format!(
        "lantian {kind} --region {} --period {}",
        req.region, req.period
    )
}

/// The engine figures an indicator may be (`computed = "…"` in a plan): `air.pm25_cumulative`,
/// `air.excellent_days` (优), `air.good_days` (优良: excellent or good), `air.good_days_share`,
/// `water.class_i_iii_share`, `water.worse_than_v_share`, `soil.strict_control_share`,
/// `climate.compliance_rate`, `ecology.gep_r_total` (亿元).
pub const ENGINE_FIGURES: [&str; 9] = [
    "air.pm25_cumulative",
    "air.excellent_days",
    "air.good_days",
    "air.good_days_share",
    "water.class_i_iii_share",
    "water.worse_than_v_share",
    "soil.strict_control_share",
    "climate.compliance_rate",
    "ecology.gep_r_total",
];

/// The values the engines computed for the period, dated its last day, one for each indicator
/// of `registry` that is an engine figure the period has.
pub fn computed_values(
    b: &Bulletin,
    gep: Option<&GepAnswer>,
    req: &BulletinRequest,
    registry: &[lantian_campaigns::indicator::Indicator],
) -> Vec<Value> {
    let date = req.period.last;
    let mut out = Vec::new();
    let mut push = |key: &str, value: Option<f64>, engine: &str, q: String| {
        let Some(v) = value.filter(|v| v.is_finite()) else {
            return;
        };
        for i in registry
            .iter()
            .filter(|i| i.computed.as_deref() == Some(key))
        {
            out.push(Value {
                indicator: i.id.clone(),
                date,
                value: v,
                source: Source::Computed {
                    engine: engine.to_string(),
                    query: q.clone(),
                },
            });
        }
    };
    let h = headline(b);
    push("air.pm25_cumulative", h.pm25, "air", query("assess", req));
    push(
        "air.excellent_days",
        h.excellent_days.map(f64::from),
        "air",
        query("assess", req),
    );
    push(
        "air.good_days",
        h.good_days.map(f64::from),
        "air",
        query("assess", req),
    );
    push(
        "air.good_days_share",
        b.current.days.excellent_or_good_ratio,
        "air",
        query("assess", req),
    );
    if let Some(w) = &b.water {
        let q = format!("lantian water assess --period {}", req.period);
        push(
            "water.class_i_iii_share",
            Some(w.good_pct),
            "water",
            q.clone(),
        );
        push(
            "water.worse_than_v_share",
            Some(w.worse_than_v_pct),
            "water",
            q,
        );
    }
    if let Some(s) = &b.soil {
        let strict = s.farmland.as_ref().and_then(|f| {
            f.rows
                .iter()
                .find(|r| r.level == "strict_control")
                .and_then(|r| r.share_pct)
        });
        push(
            "soil.strict_control_share",
            strict,
            "soil",
            "lantian soil screen".to_string(),
        );
    }
    if let Some(c) = &b.climate {
        push(
            "climate.compliance_rate",
            c.compliance_pct,
            "carbon",
            format!("lantian carbon compliance --year {}", c.year),
        );
    }
    if let Some(g) = gep {
        push(
            "ecology.gep_r_total",
            Some(g.city.total_cny / 1e8),
            "gep",
            format!("lantian campaigns gep --year {}", g.year),
        );
    }
    // An engine figure is dated the day its period ends; the GEP-R of an earlier year keeps
    // the bulletin's date, as the latest known.
    out
}

/// Decimals of an engine figure as published: concentrations and days whole (GB/T 8170 as the
/// assessment rounds them), shares and GEP-R (亿元) to one decimal.
fn engine_decimals(key: &str) -> usize {
    match key {
        "air.pm25_cumulative" | "air.excellent_days" | "air.good_days" => 0,
        _ => 1,
    }
}

/// Decimals of a published value: as many as its shortest form has, at most three.
fn decimals_of(v: f64) -> usize {
    let s = format!("{v}");
    s.split_once('.').map_or(0, |(_, f)| f.len().min(3))
}

fn trend_of(delta: f64) -> Trend {
    if delta > 0.0 {
        Trend::Improved
    } else if delta < 0.0 {
        Trend::Worsened
    } else {
        Trend::Stable
    }
}

/// A campaign's status sentence from its engine's figures, or why there is none.
pub fn status_of(
    c: Campaign,
    b: &Bulletin,
    gep: Option<&GepAnswer>,
    list_year_before: Option<usize>,
) -> std::result::Result<StatusSentence, Missing> {
    let missing = |zh: &str, en: &str| Missing {
        zh: zh.into(),
        en: en.into(),
    };
    let fig = |zh: &str, en: &str, unit: &str, value: f64, baseline: Option<f64>, decimals| {
        StatusFigure {
            name_zh: zh.into(),
            name_en: en.into(),
            unit: unit.into(),
            value,
            baseline,
            decimals,
        }
    };
    match c {
        // Air improved when the published PM2.5 fell year on year.
        Campaign::BlueSky => {
            let h = headline(b);
            match (h.pm25, h.pm25_baseline) {
                (Some(now), Some(before)) => Ok(StatusSentence {
                    trend: trend_of(before - now),
                    figure: fig(
                        "PM2.5累计浓度",
                        "cumulative PM2.5",
                        "µg/m³",
                        now,
                        Some(before),
                        0,
                    ),
                }),
                (None, _) => Err(missing(
                    "库中无本期空气质量数据",
                    "the store holds no air data for the period",
                )),
                (Some(_), None) => Err(missing(
                    "库中无上年同期空气质量数据",
                    "the store holds no air data for the same period a year earlier",
                )),
            }
        }
        // Water: the method's own year-on-year verdict over the sections classed in both
        // periods (GB 3838 practice: the share of classes I–III up, or 劣V down, without the
        // other moving the wrong way).
        Campaign::ClearWater => {
            let Some(w) = &b.water else {
                return Err(missing(
                    "未提供水质监测数据",
                    "no water readings were given",
                ));
            };
            let Some(improved) = w.improved else {
                return Err(missing(
                    "水质监测数据不含上年同期",
                    "the water readings hold no period a year earlier",
                ));
            };
            let same = w.previous_good_pct == Some(w.good_pct)
                && w.previous_worse_than_v_pct == Some(w.worse_than_v_pct);
            let trend = if improved {
                Trend::Improved
            } else if same {
                Trend::Stable
            } else {
                Trend::Worsened
            };
            Ok(StatusSentence {
                trend,
                figure: fig(
                    "Ⅰ～Ⅲ类水体断面比例",
                    "sections in classes I–III",
                    "%",
                    w.good_pct,
                    w.previous_good_pct,
                    1,
                ),
            })
        }
        // Soil: the risk-control list of construction land shrank (improved), held (stable)
        // or grew (worsened) against the same day a year earlier.
        Campaign::PureLand => {
            let Some(list) = b.soil.as_ref().and_then(|s| s.list.as_ref()) else {
                return Err(missing(
                    "未提供土壤监测数据（风险管控名录随之读取）",
                    "no soil samples were given (the risk-control list is read with them)",
                ));
            };
            let before = list_year_before.unwrap_or(0) as f64;
            Ok(StatusSentence {
                trend: trend_of(before - list.on_list as f64),
                figure: fig(
                    "名录内地块",
                    "plots on the risk-control list",
                    "",
                    list.on_list as f64,
                    Some(before),
                    0,
                ),
            })
        }
        // Climate: every verified unit of the carbon market complied.
        Campaign::Climate => {
            let Some(pct) = b.climate.as_ref().and_then(|c| c.compliance_pct) else {
                return Err(missing(
                    "未提供碳市场履约数据",
                    "no carbon market books were given",
                ));
            };
            Ok(StatusSentence {
                trend: if pct >= 100.0 {
                    Trend::Improved
                } else {
                    Trend::Worsened
                },
                figure: fig(
                    "碳市场履约率",
                    "carbon-market compliance",
                    "%",
                    pct,
                    None,
                    1,
                ),
            })
        }
        // Ecology: the city's GEP-R grew over the year before.
        Campaign::Ecology => {
            let Some(g) = gep else {
                return Err(missing(
                    "无本年度或上一年度的GEP-R核算",
                    "no GEP-R accounts for the period's year or the one before",
                ));
            };
            let Some(cc) = &g.city_change else {
                return Err(Missing {
                    zh: format!("GEP-R核算数据不含{}年之前的年份", g.year),
                    en: format!("the GEP-R inputs hold no year before {}", g.year),
                });
            };
            Ok(StatusSentence {
                trend: trend_of(cc.change_cny),
                figure: fig(
                    &format!("{}年GEP-R", g.year),
                    &format!("GEP-R {}", g.year),
                    "亿元",
                    cc.after_cny / 1e8,
                    Some(cc.before_cny / 1e8),
                    1,
                ),
            })
        }
    }
}

fn source_text(v: &Value) -> String {
    match &v.source {
        Source::Entered { by, evidence } => format!("entered by {by}: {evidence}"),
        Source::Computed { engine, query } => format!("computed ({engine}): {query}"),
    }
}

fn campaign_figures(
    c: Campaign,
    plan: &Plan,
    p: &lantian_campaigns::progress::Progress,
    inds: &[IndicatorAnswer],
    air: &Bulletin,
    gep: Option<&GepAnswer>,
    list_year_before: Option<usize>,
) -> CampaignFigures {
    // The progress is of every measure of the plan, in the plan's order: each row beside its
    // measure.
    let pairs: Vec<_> = p
        .measures
        .iter()
        .zip(&plan.files.measures)
        .filter(|(r, _)| r.campaign == c)
        .collect();
    debug_assert!(pairs.iter().all(|(r, m)| r.id == m.id));
    let rows: Vec<_> = pairs.iter().map(|(r, _)| *r).collect();
    let summary = summarise(rows.iter().copied());
    let measures = pairs
        .iter()
        .map(|(r, m)| MeasureRow {
            id: r.id.clone(),
            title_zh: m.title_zh.clone(),
            title_en: m.title_en.clone(),
            lead: r.lead.clone(),
            deadline: r.deadline,
            done: r.done,
            expected: r.expected,
            status: r.status,
            finished: r.finished,
        })
        .collect();
    let next_steps = pairs
        .iter()
        .filter(|(r, _)| !r.status.is_done())
        .map(|(r, m)| {
            let open: Vec<_> = m
                .milestones
                .iter()
                .zip(&r.milestones)
                .filter(|(_, p)| p.percent < 100.0)
                .map(|(x, _)| x)
                .collect();
            NextStep {
                measure: r.id.clone(),
                title_zh: m.title_zh.clone(),
                title_en: m.title_en.clone(),
                open_milestones_zh: open.iter().map(|x| x.name_zh.clone()).collect(),
                open_milestones_en: open.iter().map(|x| x.name_en.clone()).collect(),
                deadline: r.deadline,
            }
        })
        .collect();
    let indicators = inds
        .iter()
        .filter(|i| i.indicator.campaign == c)
        .map(|i| {
            let s = &i.standing;
            let v = s.latest.as_ref();
            IndicatorRow {
                id: i.indicator.id.clone(),
                name_zh: i.indicator.name_zh.clone(),
                name_en: i.indicator.name_en.clone(),
                unit: i.indicator.unit.clone(),
                value: v.map(|v| v.value),
                date: v.map(|v| v.date),
                baseline: i.indicator.baseline.map(|b| b.value),
                target: i.indicator.target.map(|t| t.value),
                change_percent: s.change_percent.map(|x| (x * 10.0).round() / 10.0),
                target_met: s.target_met,
                // One number of decimals for the row: as many as any of its published numbers
                // has, so each reads back as written; an engine figure is published with its
                // engine's decimals, whatever its unrounded value.
                decimals: [
                    v.filter(|_| i.indicator.computed.is_none())
                        .map(|v| v.value),
                    i.indicator.baseline.map(|b| b.value),
                    i.indicator.target.map(|t| t.value),
                ]
                .into_iter()
                .flatten()
                .map(decimals_of)
                .chain(i.indicator.computed.as_deref().map(engine_decimals))
                .max()
                .unwrap_or(0),
                source: v.map(source_text).unwrap_or_else(|| {
                    i.indicator
                        .computed
                        .as_ref()
                        .map(|q| format!("computed ({q}): not computed for this report"))
                        .unwrap_or_else(|| "no value yet".into())
                }),
            }
        })
        .collect();
    let (status, placeholder) = match status_of(c, air, gep, list_year_before) {
        Ok(s) => (Some(s), None),
        Err(why) => (None, Some(why)),
    };
    CampaignFigures {
        campaign: c,
        status,
        summary,
        measures,
        indicators,
        next_steps,
        placeholder,
    }
}

/// The bulletin in `format`: its figures and sources as JSON, or the document (Markdown with
/// its burn-up chart written to `chart_dir`, HTML, PDF).
pub fn render(
    a: &CampaignsAnswer,
    lang: crate::options::Language,
    format: crate::options::ReportFormat,
    chart_dir: Option<&crate::report::ChartDir>,
) -> Result<Vec<u8>> {
    use crate::options::ReportFormat;
    if format == ReportFormat::Json {
        return crate::sorted_json(a).map(String::into_bytes);
    }
    let lang: Lang = lang.into();
    let mut svgs = lantian_report::render::Charts::new();
    if !a.figures.burn_up.is_empty() {
        let svg = lantian_report::campaigns::burn_up_chart(&a.figures, lang)
            .map_err(crate::report::chart_err)?;
        svgs.insert("campaigns-burn-up".into(), svg);
    }
    let doc = lantian_report::campaigns::document(&a.figures, lang);
    crate::report::render_document(&doc, &svgs, format, chart_dir)
}
