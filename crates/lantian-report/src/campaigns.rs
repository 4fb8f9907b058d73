//! The five campaigns' bulletin: the city's half-year report on its ecological-environment
//! work ("PM2.5 累计浓度 34 微克/立方米，同比下降 8.1%，优级天数同比增加 3 天"; "100 余项
//! 关键措施……实现时间过半、任务过半") written from a [`CampaignsFigures`].
//!
//! The figures are computed elsewhere: the air headline by the assessment engine, the progress
//! by `lantian-campaigns`, the indicators from the registry's dated values, the effects by the
//! weather-normalised before/after comparison. This module only writes them, and every number
//! it prints comes from one of the small formatting functions below with a fixed rule:
//!
//! - [`share`]: a 0–1 share as a percent with one decimal (0.5523 → `55.2`);
//! - [`concentration`]: a published concentration as an integer (34.0 → `34`);
//! - [`percent`]: a percent already computed, one decimal, sign left to the words;
//! - [`signed`]: a signed number for tables (`−8.1`, `+2.0`, `0.0`);
//! - [`value`]: an indicator or status figure with its own number of decimals;
//! - [`EFFECT_DECIMALS`]: the decimals of the effects table (means of modelled hours, not
//!   published figures);
//! - day counts as integers, and the difference of two of them ([`day_change`]).
//!
//! So a test can recompute every printed number from the figures (see this module's tests).
//!
//! ```
//! use lantian_report::campaigns::{share, signed, value, year_on_year};
//! use lantian_report::document::Lang;
//!
//! assert_eq!(share(0.5523), "55.2");
//! assert_eq!(value(1.234, 2), "1.23");
//! assert_eq!(signed(-2.34, 1), "−2.3");
//! assert_eq!(year_on_year(-8.1, Lang::Zh), "同比下降8.1%");
//! ```

use chrono::NaiveDate;
use lantian_campaigns::campaign::Campaign;
use lantian_campaigns::progress::{BurnPoint, Status, Summary};
use serde::Serialize;

use crate::charts::ChartError;
use crate::document::{Align, Block, Document, Lang, Section, Table};

/// Everything the campaigns bulletin prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampaignsFigures {
    pub region_zh: String,
    pub region_en: String,
    /// "2024年上半年".
    pub period_zh: String,
    /// "the first half of 2024".
    pub period_en: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The date the progress is computed on.
    pub as_of: NaiveDate,
    pub plan_name_zh: String,
    pub plan_name_en: String,
    pub headline: AirHeadline,
    /// The whole plan's progress on `as_of`.
    pub progress: Summary,
    /// One per campaign that has figures; written in [`Campaign::ALL`] order.
    pub campaigns: Vec<CampaignFigures>,
    pub burn_up: Vec<BurnPoint>,
    pub effects: Vec<EffectRow>,
}

/// The air headline of the period, as published; `None` where the store has no data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AirHeadline {
    /// PM2.5 cumulative concentration, µg/m³, already rounded as published (integer).
    pub pm25: Option<f64>,
    pub pm25_baseline: Option<f64>,
    /// Year on year, percent, one decimal.
    pub pm25_change_percent: Option<f64>,
    pub excellent_days: Option<u32>,
    pub excellent_days_baseline: Option<u32>,
    /// Excellent or good days.
    pub good_days: Option<u32>,
    pub good_days_baseline: Option<u32>,
    pub days_assessed: u32,
    pub days_in_period: u32,
}

/// One campaign's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampaignFigures {
    pub campaign: Campaign,
    pub status: Option<StatusSentence>,
    pub summary: Summary,
    pub measures: Vec<MeasureRow>,
    pub indicators: Vec<IndicatorRow>,
    pub next_steps: Vec<NextStep>,
    /// Some: the engine data behind the status sentence were not given, and why.
    pub placeholder: Option<Missing>,
}

/// Why a section has no status sentence, in both languages ("no water readings were given").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Missing {
    pub zh: String,
    pub en: String,
}

/// The campaign's state in a sentence: which way it went, and the figure that says so.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusSentence {
    pub trend: Trend,
    pub figure: StatusFigure,
}

/// Which way a campaign's state went against a year earlier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    Improved,
    Stable,
    Worsened,
}

/// The figure behind a status sentence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusFigure {
    pub name_zh: String,
    pub name_en: String,
    /// As written after the number (`µg/m³`, `%`, `亿元`).
    pub unit: String,
    pub value: f64,
    pub baseline: Option<f64>,
    pub decimals: usize,
}

/// A measure's row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureRow {
    pub id: String,
    pub title_zh: String,
    pub title_en: String,
    pub lead: String,
    pub deadline: NaiveDate,
    /// Work done, 0–1.
    pub done: f64,
    /// Work expected by the plan, 0–1.
    pub expected: f64,
    pub status: Status,
    pub finished: Option<NaiveDate>,
}

/// An indicator's row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorRow {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    pub unit: String,
    pub value: Option<f64>,
    pub date: Option<NaiveDate>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    /// Against the baseline, percent, one decimal.
    pub change_percent: Option<f64>,
    pub target_met: Option<bool>,
    pub decimals: usize,
    /// Already a human text: "entered by 市交通委: …" or "computed: <engine query>".
    pub source: String,
}

/// What is left of a measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NextStep {
    pub measure: String,
    pub title_zh: String,
    pub title_en: String,
    pub open_milestones_zh: Vec<String>,
    pub open_milestones_en: Vec<String>,
    pub deadline: NaiveDate,
}

/// A measure's weather-normalised before/after comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EffectRow {
    pub measure: String,
    pub title_zh: String,
    pub title_en: String,
    pub pollutant: String,
    pub start: NaiveDate,
    /// Days compared on each side of the start.
    pub window_days: u32,
    pub before: Option<f64>,
    pub after: Option<f64>,
    /// µg/m³, weather-normalised, with its 95 % interval.
    pub change: Option<f64>,
    pub change_low: Option<f64>,
    pub change_high: Option<f64>,
    /// A structural break in the normalised series, with its 95 % interval.
    pub break_date: Option<NaiveDate>,
    pub break_low: Option<NaiveDate>,
    pub break_high: Option<NaiveDate>,
    pub note: Option<String>,
}

/// The decimals of the effects table (µg/m³).
pub const EFFECT_DECIMALS: usize = 1;

// ---------------------------------------------------------------------------------------------
// Numbers: the only ways a number gets into the text.

/// A 0–1 share as a percent with one decimal: 0.5523 → "55.2".
pub fn share(x: f64) -> String {
    format!("{:.1}", x * 100.0)
}

/// A published concentration as an integer: 34.0 → "34".
pub fn concentration(v: f64) -> String {
    format!("{v:.0}")
}

/// A percent already computed, one decimal, without its sign (the words carry it).
pub fn percent(p: f64) -> String {
    format!("{:.1}", p.abs())
}

/// A number with `decimals` decimals.
pub fn value(v: f64, decimals: usize) -> String {
    format!("{v:.decimals$}")
}

/// A signed number for tables: "−8.1", "+2.0", and "0.0" for what rounds to zero.
pub fn signed(v: f64, decimals: usize) -> String {
    let s = format!("{:.decimals$}", v.abs());
    if s.chars().all(|c| c == '0' || c == '.') {
        s
    } else if v < 0.0 {
        format!("−{s}")
    } else {
        format!("+{s}")
    }
}

/// A percent change in words: "同比下降8.1%" / "down 8.1% year on year" (as
/// [`crate::text::percent_change`] writes it).
pub fn year_on_year(p: f64, lang: Lang) -> String {
    let s = percent(p);
    let zero = s.chars().all(|c| c == '0' || c == '.');
    match lang {
        Lang::Zh if zero => "同比持平".into(),
        Lang::Zh if p < 0.0 => format!("同比下降{s}%"),
        Lang::Zh => format!("同比上升{s}%"),
        Lang::En if zero => "unchanged year on year".into(),
        Lang::En if p < 0.0 => format!("down {s}% year on year"),
        Lang::En => format!("up {s}% year on year"),
    }
}

/// Days against a year earlier: "同比增加3天" / "3 more than a year earlier".
pub fn day_change(n: u32, baseline: u32, lang: Lang) -> String {
    let d = i64::from(n) - i64::from(baseline);
    match lang {
        Lang::Zh if d > 0 => format!("同比增加{d}天"),
        Lang::Zh if d < 0 => format!("同比减少{}天", -d),
        Lang::Zh => "与上年同期持平".into(),
        Lang::En if d > 0 => format!("{d} more than a year earlier"),
        Lang::En if d < 0 => format!("{} fewer than a year earlier", -d),
        Lang::En => "as many as a year earlier".into(),
    }
}

/// A date in running text: "2024年6月30日" / "30 June 2024".
pub fn date(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Zh => d.format("%Y年%-m月%-d日").to_string(),
        Lang::En => d.format("%-d %B %Y").to_string(),
    }
}

/// A date in a table: "2024-06-30".
pub fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A number and its unit: no space in Chinese, nor before `%` in English.
/// Units as each language writes them: a plan writes a unit once, in Chinese or as a symbol
/// (`天`, `亿元`, `µg/m³`); the other language's words are here. A unit not in the table is
/// written as given.
pub const UNIT_WORDS: &[(&str, &str, &str)] = &[
    ("µg/m³", "微克/立方米", "µg/m³"),
    ("天", "天", "days"),
    ("亿元", "亿元", "hundred million CNY"),
    ("万辆", "万辆", "ten thousand vehicles"),
    ("亩", "亩", "mu"),
    ("家", "家", "units"),
    // Counts of things named in the indicator's name: no word in English.
    ("个", "个", ""),
    ("处", "处", ""),
];

/// `unit` in `lang`'s words.
pub fn unit_words(unit: &str, lang: Lang) -> &str {
    UNIT_WORDS
        .iter()
        .find(|(u, _, _)| *u == unit)
        .map_or(unit, |(_, zh, en)| pick(lang, zh, en))
}

fn with_unit(v: &str, unit: &str, lang: Lang) -> String {
    let unit = unit_words(unit, lang);
    if lang == Lang::Zh || unit.is_empty() || unit.starts_with('%') {
        format!("{v}{unit}")
    } else {
        format!("{v} {unit}")
    }
}

fn days_en(n: u32) -> String {
    format!("{n} {}", if n == 1 { "day" } else { "days" })
}

fn pick<'a>(lang: Lang, zh: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

const DASH: &str = "—";

// ---------------------------------------------------------------------------------------------
// Words.

/// The words of a campaign's state: "空气质量同比改善" / "Air quality improved year on year".
pub fn trend_words(campaign: Campaign, trend: Trend, lang: Lang) -> &'static str {
    use Campaign::*;
    use Trend::*;
    match (campaign, trend, lang) {
        (BlueSky, Improved, Lang::Zh) => "空气质量同比改善",
        (BlueSky, Improved, Lang::En) => "Air quality improved year on year",
        (BlueSky, Stable, Lang::Zh) => "空气质量同比保持稳定",
        (BlueSky, Stable, Lang::En) => "Air quality held steady year on year",
        (BlueSky, Worsened, Lang::Zh) => "空气质量同比未改善",
        (BlueSky, Worsened, Lang::En) => "Air quality did not improve year on year",
        (ClearWater, Improved, Lang::Zh) => "水生态环境质量同比改善",
        (ClearWater, Improved, Lang::En) => {
            "The water ecological environment improved year on year"
        }
        (ClearWater, Stable, Lang::Zh) => "水生态环境质量同比保持稳定",
        (ClearWater, Stable, Lang::En) => {
            "The water ecological environment held steady year on year"
        }
        (ClearWater, Worsened, Lang::Zh) => "水生态环境质量同比有所下降",
        (ClearWater, Worsened, Lang::En) => {
            "The water ecological environment declined year on year"
        }
        (PureLand, Improved, Lang::Zh) => "土壤环境质量总体稳定，土壤污染风险得到管控",
        (PureLand, Improved, Lang::En) => {
            "Soil quality was stable overall and soil pollution risks were brought under control"
        }
        (PureLand, Stable, Lang::Zh) => "土壤环境质量总体稳定",
        (PureLand, Stable, Lang::En) => "Soil quality was stable overall",
        (PureLand, Worsened, Lang::Zh) => "土壤污染风险同比有所上升",
        (PureLand, Worsened, Lang::En) => "Soil pollution risks rose year on year",
        (Climate, Improved, Lang::Zh) => "碳市场履约水平同比提升",
        (Climate, Improved, Lang::En) => "Carbon-market compliance rose year on year",
        (Climate, Stable, Lang::Zh) => "碳市场履约水平同比保持稳定",
        (Climate, Stable, Lang::En) => "Carbon-market compliance held steady year on year",
        (Climate, Worsened, Lang::Zh) => "碳市场履约水平同比有所下降",
        (Climate, Worsened, Lang::En) => "Carbon-market compliance fell year on year",
        (Ecology, Improved, Lang::Zh) => "生态系统调节服务价值同比增长",
        (Ecology, Improved, Lang::En) => {
            "The value of ecosystem regulating services grew year on year"
        }
        (Ecology, Stable, Lang::Zh) => "生态系统调节服务价值同比基本持平",
        (Ecology, Stable, Lang::En) => {
            "The value of ecosystem regulating services held level year on year"
        }
        (Ecology, Worsened, Lang::Zh) => "生态系统调节服务价值同比下降",
        (Ecology, Worsened, Lang::En) => {
            "The value of ecosystem regulating services fell year on year"
        }
    }
}

/// A campaign's status sentence with its figure: "空气质量同比改善（PM2.5累计浓度 34微克/立方米，
/// 上年同期 37微克/立方米）。"
pub fn status_sentence(campaign: Campaign, s: &StatusSentence, lang: Lang) -> String {
    let f = &s.figure;
    let words = trend_words(campaign, s.trend, lang);
    let v = with_unit(&value(f.value, f.decimals), &f.unit, lang);
    let base = f
        .baseline
        .map(|b| with_unit(&value(b, f.decimals), &f.unit, lang));
    match lang {
        Lang::Zh => format!(
            "{words}（{} {v}{}）。",
            f.name_zh,
            base.map(|b| format!("，上年同期 {b}")).unwrap_or_default()
        ),
        Lang::En => format!(
            "{words} ({} {v}{}).",
            f.name_en,
            base.map(|b| format!("; {b} a year earlier"))
                .unwrap_or_default()
        ),
    }
}

/// What a section says when the data behind its status sentence were not given.
pub fn placeholder_sentence(reason: &Missing, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("本节状况判断缺失：{}，无法判断同比变化。", reason.zh),
        Lang::En => format!(
            "The status sentence of this section is missing: {}, so the change from a year earlier cannot be judged.",
            reason.en
        ),
    }
}

/// The air headline: PM2.5, excellent-or-good and excellent days, with their changes.
fn headline(f: &CampaignsFigures, lang: Lang) -> String {
    let h = &f.headline;
    let nothing = h.pm25.is_none() && h.good_days.is_none() && h.excellent_days.is_none();
    let zh = lang == Lang::Zh;
    if nothing {
        return if zh {
            format!("{}，库中无本期空气质量数据。", f.period_zh)
        } else {
            format!(
                "In {}, there are no air data in the store for this period.",
                f.period_en
            )
        };
    }
    let ug = pick(lang, "微克/立方米", "µg/m³");
    let pm = match h.pm25 {
        Some(v) => {
            let change = h
                .pm25_change_percent
                .map(|p| format!("{}{}", pick(lang, "，", ", "), year_on_year(p, lang)))
                .unwrap_or_default();
            let base = h
                .pm25_baseline
                .map(|b| {
                    let b = with_unit(&concentration(b), ug, lang);
                    if zh {
                        format!("（上年同期{b}）")
                    } else {
                        format!(" ({b} a year earlier)")
                    }
                })
                .unwrap_or_default();
            let v = with_unit(&concentration(v), ug, lang);
            if zh {
                format!(
                    "{}，{}PM2.5累计浓度为{v}{change}{base}",
                    f.period_zh, f.region_zh
                )
            } else {
                format!(
                    "In {}, the cumulative concentration of PM2.5 in {} was {v}{change}{base}.",
                    f.period_en, f.region_en
                )
            }
        }
        None => {
            if zh {
                format!("{}，库中无本期PM2.5数据", f.period_zh)
            } else {
                format!(
                    "In {}, there are no PM2.5 data in the store for this period.",
                    f.period_en
                )
            }
        }
    };
    let versus = |n: u32, b: Option<u32>| {
        b.map(|b| format!("{}{}", pick(lang, "，", ", "), day_change(n, b, lang)))
            .unwrap_or_default()
    };
    let good = h.good_days.map(|g| {
        let c = versus(g, h.good_days_baseline);
        if zh {
            format!("优良天数{g}天{c}")
        } else {
            format!(
                "There were {g} excellent or good {}{c}",
                if g == 1 { "day" } else { "days" }
            )
        }
    });
    let excellent = h.excellent_days.map(|e| {
        let c = versus(e, h.excellent_days_baseline);
        match (zh, good.is_some()) {
            (true, true) => format!("其中优级天数{e}天{c}"),
            (true, false) => format!("优级天数{e}天{c}"),
            (false, true) => format!(
                "{e} of them {} excellent{c}",
                if e == 1 { "was" } else { "were" }
            ),
            (false, false) => format!(
                "There were {e} excellent {}{c}",
                if e == 1 { "day" } else { "days" }
            ),
        }
    });
    let assessed = if zh {
        format!(
            "本期{}天中{}天有空气质量评价结果",
            h.days_in_period, h.days_assessed
        )
    } else {
        format!(
            "{} of {} were assessed.",
            h.days_assessed,
            days_en(h.days_in_period)
        )
    };
    if zh {
        let parts: Vec<String> = [Some(pm), good, excellent, Some(assessed)]
            .into_iter()
            .flatten()
            .collect();
        format!("{}。", parts.join("；"))
    } else {
        let days = match (good, excellent) {
            (Some(g), Some(e)) => Some(format!("{g}; {e}.")),
            (Some(x), None) | (None, Some(x)) => Some(format!("{x}.")),
            (None, None) => None,
        };
        [Some(pm), days, Some(assessed)]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The plan's progress in one statement; "时间过半、任务过半" only when the engine said so.
fn progress_statement(f: &CampaignsFigures, lang: Lang) -> String {
    let s = &f.progress;
    match lang {
        Lang::Zh => format!(
            "截至{}，{}共{}项措施，平均时间进度{}%，工作进度{}%（按计划应完成{}%），{}。",
            date(f.as_of, lang),
            f.plan_name_zh,
            s.measures,
            share(s.time_elapsed),
            share(s.done),
            share(s.expected),
            if s.half_time_half_tasks {
                "实现“时间过半、任务过半”"
            } else if s.time_elapsed == 0.0 {
                "尚无措施进入实施期"
            } else if s.keeps_pace {
                "工作进度不慢于时间进度"
            } else {
                "工作进度落后于时间进度"
            }
        ),
        Lang::En => format!(
            "As of {}, the {} measures of {} were {}% through their time and {}% through their work ({}% expected by the plan): {}.",
            date(f.as_of, lang),
            s.measures,
            f.plan_name_en,
            share(s.time_elapsed),
            share(s.done),
            share(s.expected),
            if s.half_time_half_tasks {
                "half the time, half the tasks"
            } else if s.time_elapsed == 0.0 {
                "no measure had begun its time yet"
            } else if s.keeps_pace {
                "the work keeps pace with the time"
            } else {
                "the work is behind the time"
            }
        ),
    }
}

fn status_name(s: Status, lang: Lang) -> &'static str {
    pick(lang, s.name_zh(), s.name_en())
}

/// "1项已开始的措施尚无进展报告。" (a leading space in English), or nothing.
fn without_reports(s: &Summary, lang: Lang) -> String {
    match (s.without_reports, lang) {
        (0, _) => String::new(),
        (n, Lang::Zh) => format!("{n}项已开始的措施尚无进展报告。"),
        (1, Lang::En) => " 1 started measure has no progress report yet.".into(),
        (n, Lang::En) => format!(" {n} started measures have no progress report yet."),
    }
}

/// "提前完成1项、按进度推进3项" / "1 done early, 3 on schedule".
fn status_counts(s: &Summary, lang: Lang) -> String {
    let parts: Vec<String> = Status::ALL
        .iter()
        .filter_map(|st| {
            let n = s.by_status.get(st).copied().unwrap_or(0);
            (n > 0).then(|| match lang {
                Lang::Zh => format!("{}{n}项", st.name_zh()),
                Lang::En => format!("{n} {}", st.name_en()),
            })
        })
        .collect();
    parts.join(pick(lang, "、", ", "))
}

fn measure_title(m: &MeasureRow, lang: Lang) -> &str {
    pick(lang, &m.title_zh, &m.title_en)
}

/// A campaign's progress: its measures, the work done, the counts by status, the late ones named.
fn progress_paragraph(c: &CampaignFigures, lang: Lang) -> String {
    let s = &c.summary;
    if s.measures == 0 {
        return pick(lang, "本领域无计划措施。", "The plan has no measure here.").into();
    }
    let mut out = match lang {
        Lang::Zh => format!(
            "本领域共{}项措施，平均工作进度{}%（按计划应完成{}%，时间进度{}%）；其中{}。",
            s.measures,
            share(s.done),
            share(s.expected),
            share(s.time_elapsed),
            status_counts(s, lang)
        ),
        Lang::En => format!(
            "{} {}, {}% of the work done on average ({}% expected by the plan, {}% of the time elapsed): {}.",
            s.measures,
            if s.measures == 1 {
                "measure"
            } else {
                "measures"
            },
            share(s.done),
            share(s.expected),
            share(s.time_elapsed),
            status_counts(s, lang)
        ),
    };
    let late: Vec<String> = c
        .measures
        .iter()
        .filter(|m| m.status.is_late())
        .map(|m| match lang {
            Lang::Zh => format!(
                "{} {}（{}，{}，完成{}%，应完成{}%）",
                m.id,
                m.title_zh,
                m.lead,
                m.status.name_zh(),
                share(m.done),
                share(m.expected)
            ),
            Lang::En => format!(
                "{} {} ({}; {}, {}% done of {}% expected)",
                m.id,
                m.title_en,
                m.lead,
                m.status.name_en(),
                share(m.done),
                share(m.expected)
            ),
        })
        .collect();
    if !late.is_empty() {
        out += &match lang {
            Lang::Zh => format!("进度滞后或逾期的措施：{}。", late.join("；")),
            Lang::En => format!(" Behind or overdue: {}.", late.join("; ")),
        };
    }
    out += &without_reports(s, lang);
    out
}

fn measures_table(c: &CampaignFigures, lang: Lang) -> Block {
    let header = match lang {
        Lang::Zh => [
            "编号",
            "措施",
            "牵头单位",
            "工作进度",
            "应完成",
            "截止日期",
            "状态",
        ],
        Lang::En => [
            "id", "measure", "lead", "done", "expected", "deadline", "status",
        ],
    };
    let rows = c
        .measures
        .iter()
        .map(|m| {
            let status = match m.finished {
                Some(d) if m.status.is_done() => match lang {
                    Lang::Zh => format!("{}（{}）", m.status.name_zh(), iso(d)),
                    Lang::En => format!("{} ({})", m.status.name_en(), iso(d)),
                },
                _ => status_name(m.status, lang).to_string(),
            };
            vec![
                m.id.clone(),
                measure_title(m, lang).to_string(),
                m.lead.clone(),
                format!("{}%", share(m.done)),
                format!("{}%", share(m.expected)),
                iso(m.deadline),
                status,
            ]
        })
        .collect();
    Block::Table(Table {
        header: header.into_iter().map(String::from).collect(),
        align: vec![
            Align::Left,
            Align::Left,
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Left,
            Align::Left,
        ],
        rows,
        note: None,
    })
}

fn indicators_table(c: &CampaignFigures, lang: Lang) -> Block {
    let header = match lang {
        Lang::Zh => [
            "指标",
            "数值",
            "日期",
            "基准值",
            "目标值",
            "较基准变化",
            "是否达到目标",
            "来源",
        ],
        Lang::En => [
            "indicator",
            "value",
            "date",
            "baseline",
            "target",
            "vs baseline",
            "target met",
            "source",
        ],
    };
    let num = |v: Option<f64>, i: &IndicatorRow| {
        v.map_or(DASH.to_string(), |v| {
            with_unit(&value(v, i.decimals), &i.unit, lang)
        })
    };
    let rows = c
        .indicators
        .iter()
        .map(|i| {
            vec![
                pick(lang, &i.name_zh, &i.name_en).to_string(),
                num(i.value, i),
                i.date.map_or(DASH.to_string(), iso),
                num(i.baseline, i),
                num(i.target, i),
                i.change_percent
                    .map_or(DASH.to_string(), |p| format!("{}%", signed(p, 1))),
                match i.target_met {
                    Some(true) => pick(lang, "已达到", "met"),
                    Some(false) => pick(lang, "未达到", "not met"),
                    None => DASH,
                }
                .to_string(),
                i.source.clone(),
            ]
        })
        .collect();
    Block::Table(Table {
        header: header.into_iter().map(String::from).collect(),
        align: vec![
            Align::Left,
            Align::Right,
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Left,
            Align::Left,
        ],
        rows,
        note: Some(
            pick(
                lang,
                "数值为截至报告日期最近一次带日期的指标值；来源注明录入单位及依据，或计算所用的查询。",
                "Each value is the indicator's latest dated value on the report's date; the source names who entered it and on what evidence, or the query that computes it.",
            )
            .into(),
        ),
    })
}

fn next_steps(c: &CampaignFigures, lang: Lang) -> Vec<String> {
    c.next_steps
        .iter()
        .map(|n| {
            let (title, open, sep) = match lang {
                Lang::Zh => (&n.title_zh, &n.open_milestones_zh, "、"),
                Lang::En => (&n.title_en, &n.open_milestones_en, ", "),
            };
            let open = open.join(sep);
            match (lang, open.is_empty()) {
                (Lang::Zh, false) => format!(
                    "{} {}：{}（截止{}）",
                    n.measure,
                    title,
                    open,
                    date(n.deadline, lang)
                ),
                (Lang::Zh, true) => {
                    format!("{} {}（截止{}）", n.measure, title, date(n.deadline, lang))
                }
                (Lang::En, false) => format!(
                    "{} {}: {} (due {})",
                    n.measure,
                    title,
                    open,
                    date(n.deadline, lang)
                ),
                (Lang::En, true) => {
                    format!("{} {} (due {})", n.measure, title, date(n.deadline, lang))
                }
            }
        })
        .collect()
}

/// One campaign's section: status sentence (or what is missing), progress, measures,
/// indicators, next steps.
pub fn campaign_section(c: &CampaignFigures, lang: Lang) -> Section {
    let mut blocks = vec![Block::Paragraph(match (&c.placeholder, &c.status) {
        (Some(why), _) => placeholder_sentence(why, lang),
        (None, Some(s)) => status_sentence(c.campaign, s, lang),
        (None, None) => pick(
            lang,
            "本期未给出状况指标。",
            "No status figure was given for this period.",
        )
        .into(),
    })];
    blocks.push(Block::Paragraph(progress_paragraph(c, lang)));
    if !c.measures.is_empty() {
        blocks.push(measures_table(c, lang));
    }
    if !c.indicators.is_empty() {
        blocks.push(indicators_table(c, lang));
    }
    let steps = next_steps(c, lang);
    if !steps.is_empty() {
        blocks.push(Block::Paragraph(
            pick(lang, "下一步工作：", "Next steps:").into(),
        ));
        blocks.push(Block::List(steps));
    }
    Section {
        heading: pick(lang, c.campaign.name_zh(), c.campaign.name_en()).into(),
        blocks,
    }
}

fn effect_interval(v: Option<f64>, lo: Option<f64>, hi: Option<f64>) -> String {
    match (v, lo, hi) {
        (Some(v), Some(lo), Some(hi)) => format!(
            "{} [{}, {}]",
            signed(v, EFFECT_DECIMALS),
            signed(lo, EFFECT_DECIMALS),
            signed(hi, EFFECT_DECIMALS)
        ),
        (Some(v), _, _) => signed(v, EFFECT_DECIMALS),
        (None, _, _) => DASH.into(),
    }
}

fn break_interval(e: &EffectRow) -> String {
    match (e.break_date, e.break_low, e.break_high) {
        (Some(d), Some(lo), Some(hi)) => format!("{} [{}, {}]", iso(d), iso(lo), iso(hi)),
        (Some(d), _, _) => iso(d),
        (None, _, _) => DASH.into(),
    }
}

/// "Did the measures work?": the weather-normalised change around each measure's start, with
/// the caution that a coincidence in time is not proof.
fn effects_section(f: &CampaignsFigures, lang: Lang) -> Section {
    let header = match lang {
        Lang::Zh => [
            "措施",
            "污染物",
            "实施日期",
            "比较窗口",
            "实施前（微克/立方米）",
            "实施后（微克/立方米）",
            "变化（95%区间）",
            "突变日期（95%区间）",
            "说明",
        ],
        Lang::En => [
            "measure",
            "pollutant",
            "start",
            "window",
            "before (µg/m³)",
            "after (µg/m³)",
            "change (95% interval)",
            "break date (95% interval)",
            "note",
        ],
    };
    let rows = f
        .effects
        .iter()
        .map(|e| {
            vec![
                format!("{} {}", e.measure, pick(lang, &e.title_zh, &e.title_en)),
                e.pollutant.clone(),
                iso(e.start),
                match lang {
                    Lang::Zh => format!("前后各{}天", e.window_days),
                    Lang::En => format!("{} each side", days_en(e.window_days)),
                },
                e.before.map_or(DASH.into(), |v| value(v, EFFECT_DECIMALS)),
                e.after.map_or(DASH.into(), |v| value(v, EFFECT_DECIMALS)),
                effect_interval(e.change, e.change_low, e.change_high),
                break_interval(e),
                e.note.clone().unwrap_or_else(|| DASH.into()),
            ]
        })
        .collect();
    Section {
        heading: pick(lang, "措施成效", "Did the measures work?").into(),
        blocks: vec![
            Block::Paragraph(
                pick(
                    lang,
                    "下表比较各措施实施前后相同天数内剔除气象条件影响后的浓度；变化为实施后减实施前，方括号内为其95%区间；突变日期为归一化序列中检测到的结构性变化及其95%区间。",
                    "The table compares the weather-normalised concentrations in equal windows before and after each measure began; the change is after minus before, with its 95% interval in brackets; the break date is a structural change found in the normalised series, with its 95% interval.",
                )
                .into(),
            ),
            Block::Table(Table {
                header: header.into_iter().map(String::from).collect(),
                align: vec![
                    Align::Left,
                    Align::Left,
                    Align::Left,
                    Align::Left,
                    Align::Right,
                    Align::Right,
                    Align::Right,
                    Align::Left,
                    Align::Left,
                ],
                rows,
                note: None,
            }),
            Block::Note(
                pick(
                    lang,
                    "时间上的巧合不等于因果：措施实施后浓度下降，也可能源于同期的其他措施、其他排放变化或区域传输；气象归一化只剔除了气象条件的影响。",
                    "A coincidence in time is not proof: a fall after a measure began may come from other measures of the same time, other changes in emissions or regional transport; weather normalisation removes only the part due to the weather.",
                )
                .into(),
            ),
        ],
    }
}

/// The whole plan: a row per campaign, and the burn-up chart.
fn progress_section(f: &CampaignsFigures, lang: Lang) -> Section {
    let header = match lang {
        Lang::Zh => [
            "领域",
            "措施数",
            "工作进度",
            "应完成",
            "时间进度",
            "进度滞后",
            "逾期未完成",
        ],
        Lang::En => [
            "campaign", "measures", "done", "expected", "time", "behind", "overdue",
        ],
    };
    let row = |name: &str, s: &Summary| {
        vec![
            name.to_string(),
            s.measures.to_string(),
            format!("{}%", share(s.done)),
            format!("{}%", share(s.expected)),
            format!("{}%", share(s.time_elapsed)),
            s.by_status
                .get(&Status::Behind)
                .copied()
                .unwrap_or(0)
                .to_string(),
            s.by_status
                .get(&Status::Overdue)
                .copied()
                .unwrap_or(0)
                .to_string(),
        ]
    };
    let mut rows: Vec<Vec<String>> = ordered(f)
        .map(|c| {
            row(
                pick(lang, c.campaign.name_zh(), c.campaign.name_en()),
                &c.summary,
            )
        })
        .collect();
    rows.push(row(pick(lang, "合计", "all"), &f.progress));
    let mut blocks = vec![
        Block::Paragraph(plan_counts(f, lang)),
        Block::Table(Table {
            header: header.into_iter().map(String::from).collect(),
            align: vec![
                Align::Left,
                Align::Right,
                Align::Right,
                Align::Right,
                Align::Right,
                Align::Right,
                Align::Right,
            ],
            rows,
            note: Some(
                pick(
                    lang,
                    "工作进度为各里程碑按权重加权的完成比例；应完成为按里程碑计划日期（无计划日期时按时间进度）应完成的比例；各领域及合计为所含措施的平均值，每项措施计一次。",
                    "Done: the weighted share of a measure's milestones reported done; expected: the share its milestones' due dates (or else its time elapsed) call for; a campaign's and the plan's figures are means over their measures, each counted once.",
                )
                .into(),
            ),
        }),
    ];
    if f.burn_up.is_empty() {
        blocks.push(Block::Note(
            pick(
                lang,
                "未给出工作量累计序列，无累计图。",
                "No burn-up series was given, so there is no chart.",
            )
            .into(),
        ));
    } else {
        blocks.push(Block::Chart {
            name: "campaigns-burn-up".into(),
            caption: pick(
                lang,
                "已完成与按计划应完成的工作量（各措施平均）",
                "Work done and work expected (mean over the measures)",
            )
            .into(),
        });
    }
    Section {
        heading: pick(lang, "总体进度", "Overall progress").into(),
        blocks,
    }
}

/// The whole plan's measures by status: "全部11项措施中，按进度推进5项、……".
fn plan_counts(f: &CampaignsFigures, lang: Lang) -> String {
    let s = &f.progress;
    let mut out = match lang {
        Lang::Zh => format!("全部{}项措施中，{}。", s.measures, status_counts(s, lang)),
        Lang::En => format!(
            "Of all {} {}: {}.",
            s.measures,
            if s.measures == 1 {
                "measure"
            } else {
                "measures"
            },
            status_counts(s, lang)
        ),
    };
    out += &without_reports(s, lang);
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// The campaigns' figures in [`Campaign::ALL`] order.
fn ordered(f: &CampaignsFigures) -> impl Iterator<Item = &CampaignFigures> {
    Campaign::ALL
        .into_iter()
        .flat_map(move |k| f.campaigns.iter().filter(move |c| c.campaign == k))
}

/// The campaigns bulletin as a document.
pub fn document(f: &CampaignsFigures, lang: Lang) -> Document {
    let (title, subtitle) = match lang {
        Lang::Zh => (
            format!("{}{}生态环境保护工作进展", f.region_zh, f.period_zh),
            format!("{}　截至{}", f.plan_name_zh, date(f.as_of, lang)),
        ),
        Lang::En => (
            format!(
                "{}: progress of the five campaigns, {}",
                f.region_en, f.period_en
            ),
            capitalise(&format!(
                "{}, as of {}",
                f.plan_name_en,
                date(f.as_of, lang)
            )),
        ),
    };
    let mut sections: Vec<Section> = ordered(f).map(|c| campaign_section(c, lang)).collect();
    if !f.effects.is_empty() {
        sections.push(effects_section(f, lang));
    }
    sections.push(progress_section(f, lang));
    sections.push(Section {
        heading: pick(lang, "数据来源", "Sources").into(),
        blocks: vec![Block::Paragraph(match lang {
            Lang::Zh => format!(
                "本报告中的每个数字都是引擎的输出或带日期的指标值：空气质量为{}至{}的监测评价结果；措施进度由措施台账和进展报告按{}计算；指标值注明了录入单位及依据，或计算所用的查询。",
                date(f.from, lang),
                date(f.to, lang),
                date(f.as_of, lang)
            ),
            Lang::En => format!(
                "Every number is an engine output or a dated indicator value: the air figures assess the monitoring data from {} to {}; the progress is computed from the plan and its progress reports as of {}; each indicator value names who entered it and on what evidence, or the query that computes it.",
                date(f.from, lang),
                date(f.to, lang),
                date(f.as_of, lang)
            ),
        })],
    });
    Document {
        lang,
        title,
        subtitle,
        lead: vec![headline(f, lang), progress_statement(f, lang)],
        sections,
        footer: pick(
            lang,
            "本报告由蓝天（Lantian）依据措施台账、进展报告、指标登记与监测数据自动生成。",
            "Written by Lantian from the plan, its progress reports, the indicator registry and the monitoring data.",
        )
        .into(),
    }
}

/// The burn-up chart: the work done and the work expected (0–100 %) on each date of
/// `f.burn_up`, as SVG (chart `campaigns-burn-up`).
pub fn burn_up_chart(f: &CampaignsFigures, lang: Lang) -> Result<String, ChartError> {
    use crate::charts::{draw_err, font, svg_of};
    use chrono::Datelike;
    use plotters::prelude::*;
    let dates = f.burn_up.iter().map(|p| p.date);
    let first = dates
        .clone()
        .min()
        .ok_or(ChartError::Empty("no burn-up point"))?
        .min(f.from);
    let last = dates.max().unwrap_or(first).max(f.to);
    let span = ((last - first).num_days() as f64).max(1.0);
    let x = |d: NaiveDate| (d - first).num_days() as f64;
    let title = match lang {
        Lang::Zh => format!("{}：工作量累计", f.plan_name_zh),
        Lang::En => format!("{}: burn-up", f.plan_name_en),
    };
    let (done_name, expected_name) = match lang {
        Lang::Zh => ("已完成", "按计划应完成"),
        Lang::En => ("Work done", "Work expected"),
    };
    svg_of((760, 360), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(title, font(16.0))
            .margin(12)
            .x_label_area_size(30)
            .y_label_area_size(50)
            .build_cartesian_2d(0.0..span, 0.0..100.0)
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .x_labels(8)
            .light_line_style(WHITE)
            .y_label_formatter(&|v| format!("{v:.0}%"))
            .x_label_formatter(&|v| {
                let d = first + chrono::Duration::days(v.round() as i64);
                match lang {
                    Lang::Zh => format!("{}/{}", d.month(), d.day()),
                    Lang::En => d.format("%d %b").to_string(),
                }
            })
            .y_desc(pick(lang, "工作量（%）", "work (%)"))
            .label_style(font(11.0))
            .axis_desc_style(font(12.0))
            .draw()
            .map_err(draw_err)?;
        type Pick = fn(&BurnPoint) -> f64;
        let series: [(Pick, RGBColor, &str); 2] = [
            (|p| p.expected, RGBColor(150, 150, 150), expected_name),
            (|p| p.done, RGBColor(49, 130, 189), done_name),
        ];
        for (get, colour, name) in series {
            let pts: Vec<(f64, f64)> = f
                .burn_up
                .iter()
                .map(|p| (x(p.date), 100.0 * get(p)))
                .collect();
            chart
                .draw_series(LineSeries::new(pts.clone(), colour.stroke_width(2)))
                .map_err(draw_err)?
                .label(name)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 14, y)], colour.stroke_width(2))
                });
            chart
                .draw_series(pts.into_iter().map(|p| Circle::new(p, 3, colour.filled())))
                .map_err(draw_err)?;
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .label_font(font(11.0))
            .position(SeriesLabelPosition::UpperLeft)
            .draw()
            .map_err(draw_err)?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn summary(
        measures: usize,
        done: f64,
        expected: f64,
        time: f64,
        counts: &[(Status, usize)],
        half: bool,
    ) -> Summary {
        let mut by_status: BTreeMap<Status, usize> = Status::ALL.iter().map(|s| (*s, 0)).collect();
        for (s, n) in counts {
            by_status.insert(*s, *n);
        }
        Summary {
            measures,
            done,
            expected,
            time_elapsed: time,
            by_status,
            without_reports: 0,
            half_time_half_tasks: half,
            keeps_pace: time > 0.0 && done >= time,
        }
    }

    fn measure(id: &str, done: f64, expected: f64, status: Status) -> MeasureRow {
        MeasureRow {
            id: id.into(),
            title_zh: format!("措施{id}"),
            title_en: format!("Measure {id}"),
            lead: "市生态环境局".into(),
            deadline: d("2024-12-31"),
            done,
            expected,
            status,
            finished: status.is_done().then(|| d("2024-05-20")),
        }
    }

    fn figure(name: &str, unit: &str, v: f64, b: f64, decimals: usize) -> StatusFigure {
        StatusFigure {
            name_zh: name.into(),
            name_en: name.into(),
            unit: unit.into(),
            value: v,
            baseline: Some(b),
            decimals,
        }
    }

    fn campaign(c: Campaign, status: Option<StatusSentence>) -> CampaignFigures {
        CampaignFigures {
            campaign: c,
            status,
            summary: summary(
                2,
                0.6,
                0.4973,
                0.4973,
                &[(Status::OnSchedule, 1), (Status::DoneEarly, 1)],
                true,
            ),
            measures: vec![
                measure(&format!("{}-01", c.code()), 0.2, 0.4973, Status::OnSchedule),
                measure(&format!("{}-02", c.code()), 1.0, 0.4973, Status::DoneEarly),
            ],
            indicators: vec![],
            next_steps: vec![],
            placeholder: None,
        }
    }

    fn figures() -> CampaignsFigures {
        let mut blue = campaign(
            Campaign::BlueSky,
            Some(StatusSentence {
                trend: Trend::Improved,
                figure: figure("PM2.5累计浓度", "µg/m³", 34.0, 37.0, 0),
            }),
        );
        blue.summary = summary(
            3,
            0.5523,
            0.4973,
            0.4973,
            &[
                (Status::OnSchedule, 1),
                (Status::DoneEarly, 1),
                (Status::Behind, 1),
            ],
            true,
        );
        blue.summary.without_reports = 1;
        blue.measures
            .push(measure("BS-03", 0.2631, 0.4973, Status::Behind));
        blue.measures[2].title_zh = "道路扬尘治理".into();
        blue.measures[2].title_en = "Road dust control".into();
        blue.indicators = vec![
            IndicatorRow {
                id: "nev".into(),
                name_zh: "新能源汽车保有量".into(),
                name_en: "New-energy vehicles".into(),
                unit: "万辆".into(),
                value: Some(84.26),
                date: Some(d("2024-06-30")),
                baseline: Some(70.0),
                target: Some(100.0),
                change_percent: Some(20.4),
                target_met: Some(false),
                decimals: 1,
                source: "entered by 市交通委: 2024年6月统计月报".into(),
            },
            IndicatorRow {
                id: "dust".into(),
                name_zh: "道路尘负荷".into(),
                name_en: "Road dust load".into(),
                unit: "g/m²".into(),
                value: None,
                date: None,
                baseline: Some(0.316),
                target: Some(0.25),
                change_percent: None,
                target_met: None,
                decimals: 2,
                source: "computed: dust.load_mean".into(),
            },
        ];
        blue.next_steps = vec![NextStep {
            measure: "BS-03".into(),
            title_zh: "道路扬尘治理".into(),
            title_en: "Road dust control".into(),
            open_milestones_zh: vec!["主干道机扫".into(), "考核".into()],
            open_milestones_en: vec!["sweeping of trunk roads".into(), "assessment".into()],
            deadline: d("2024-12-31"),
        }];
        let mut water = campaign(Campaign::ClearWater, None);
        water.placeholder = Some(Missing {
            zh: "未提供水质监测数据".into(),
            en: "no water readings were given".into(),
        });
        let land = campaign(
            Campaign::PureLand,
            Some(StatusSentence {
                trend: Trend::Stable,
                figure: figure("严格管控类样品比例", "%", 1.25, 1.3, 2),
            }),
        );
        let climate = campaign(
            Campaign::Climate,
            Some(StatusSentence {
                trend: Trend::Improved,
                figure: figure("碳市场履约率", "%", 99.6, 98.7, 1),
            }),
        );
        let ecology = campaign(
            Campaign::Ecology,
            Some(StatusSentence {
                trend: Trend::Worsened,
                figure: figure("GEP-R", "亿元", 4173.16, 4201.5, 1),
            }),
        );
        CampaignsFigures {
            region_zh: "北京市".into(),
            region_en: "Beijing".into(),
            period_zh: "2024年上半年".into(),
            period_en: "the first half of 2024".into(),
            from: d("2024-01-01"),
            to: d("2024-06-30"),
            as_of: d("2024-06-30"),
            plan_name_zh: "2024年生态环境保护工作要点".into(),
            plan_name_en: "the 2024 work plan".into(),
            headline: AirHeadline {
                pm25: Some(34.0),
                pm25_baseline: Some(37.0),
                pm25_change_percent: Some(-8.1),
                excellent_days: Some(70),
                excellent_days_baseline: Some(67),
                good_days: Some(139),
                good_days_baseline: Some(141),
                days_assessed: 181,
                days_in_period: 182,
            },
            progress: summary(
                11,
                0.5612,
                0.4973,
                0.4973,
                &[
                    (Status::OnSchedule, 5),
                    (Status::DoneEarly, 5),
                    (Status::Behind, 1),
                ],
                true,
            ),
            // Out of order on purpose: the document follows Campaign::ALL.
            campaigns: vec![ecology, climate, land, water, blue],
            burn_up: vec![
                BurnPoint {
                    date: d("2024-01-31"),
                    done: 0.05,
                    expected: 0.0847,
                },
                BurnPoint {
                    date: d("2024-03-31"),
                    done: 0.25,
                    expected: 0.2486,
                },
                BurnPoint {
                    date: d("2024-06-30"),
                    done: 0.5612,
                    expected: 0.4973,
                },
            ],
            effects: vec![EffectRow {
                measure: "BS-03".into(),
                title_zh: "道路扬尘治理".into(),
                title_en: "Road dust control".into(),
                pollutant: "PM10".into(),
                start: d("2024-03-01"),
                window_days: 28,
                before: Some(61.44),
                after: Some(55.06),
                change: Some(-4.27),
                change_low: Some(-7.93),
                change_high: Some(-0.61),
                break_date: Some(d("2024-03-04")),
                break_low: Some(d("2024-02-26")),
                break_high: Some(d("2024-03-12")),
                note: Some("同期另有2项措施".into()),
            }],
        }
    }

    fn markdown(f: &CampaignsFigures, lang: Lang) -> String {
        crate::render::markdown(&document(f, lang), &Default::default(), None)
    }

    #[test]
    fn the_formatting_rules() {
        assert_eq!(share(0.5523), "55.2");
        assert_eq!(share(1.0), "100.0");
        assert_eq!(concentration(34.0), "34");
        assert_eq!(percent(-8.1), "8.1");
        assert_eq!(value(84.26, 1), "84.3");
        assert_eq!(value(4173.0, 0), "4173");
        assert_eq!(signed(-8.1, 1), "−8.1");
        assert_eq!(signed(2.0, 1), "+2.0");
        assert_eq!(signed(-0.04, 1), "0.0");
        assert_eq!(day_change(70, 67, Lang::Zh), "同比增加3天");
        assert_eq!(
            day_change(139, 141, Lang::En),
            "2 fewer than a year earlier"
        );
        // The same words as the air bulletin's.
        let c = lantian_assess::change::change(34.0, 37.0);
        for lang in [Lang::Zh, Lang::En] {
            assert_eq!(
                year_on_year(c.percent.unwrap(), lang),
                crate::text::percent_change(&c, lang, true)
            );
        }
        assert_eq!(year_on_year(0.0, Lang::Zh), "同比持平");
        assert_eq!(year_on_year(2.0, Lang::En), "up 2.0% year on year");
    }

    #[test]
    fn the_headline_in_both_languages() {
        let f = figures();
        let zh = document(&f, Lang::Zh);
        assert_eq!(zh.title, "北京市2024年上半年生态环境保护工作进展");
        assert_eq!(
            zh.lead[0],
            "2024年上半年，北京市PM2.5累计浓度为34微克/立方米，同比下降8.1%（上年同期37微克/立方米）；优良天数139天，同比减少2天；其中优级天数70天，同比增加3天；本期182天中181天有空气质量评价结果。"
        );
        assert_eq!(
            zh.lead[1],
            "截至2024年6月30日，2024年生态环境保护工作要点共11项措施，平均时间进度49.7%，工作进度56.1%（按计划应完成49.7%），实现“时间过半、任务过半”。"
        );
        let en = document(&f, Lang::En);
        assert_eq!(
            en.title,
            "Beijing: progress of the five campaigns, the first half of 2024"
        );
        assert_eq!(
            en.lead[0],
            "In the first half of 2024, the cumulative concentration of PM2.5 in Beijing was 34 µg/m³, down 8.1% year on year (37 µg/m³ a year earlier). There were 139 excellent or good days, 2 fewer than a year earlier; 70 of them were excellent, 3 more than a year earlier. 181 of 182 days were assessed."
        );
        assert_eq!(
            en.lead[1],
            "As of 30 June 2024, the 11 measures of the 2024 work plan were 49.7% through their time and 56.1% through their work (49.7% expected by the plan): half the time, half the tasks."
        );
    }

    #[test]
    fn no_air_data_is_said() {
        let mut f = figures();
        f.headline = AirHeadline {
            pm25: None,
            pm25_baseline: None,
            pm25_change_percent: None,
            excellent_days: None,
            excellent_days_baseline: None,
            good_days: None,
            good_days_baseline: None,
            days_assessed: 0,
            days_in_period: 182,
        };
        assert_eq!(
            document(&f, Lang::Zh).lead[0],
            "2024年上半年，库中无本期空气质量数据。"
        );
        assert_eq!(
            document(&f, Lang::En).lead[0],
            "In the first half of 2024, there are no air data in the store for this period."
        );
    }

    #[test]
    fn missing_pm25_is_said_and_the_days_still_given() {
        let mut f = figures();
        f.headline.pm25 = None;
        f.headline.pm25_baseline = None;
        f.headline.pm25_change_percent = None;
        f.headline.good_days = None;
        assert_eq!(
            document(&f, Lang::Zh).lead[0],
            "2024年上半年，库中无本期PM2.5数据；优级天数70天，同比增加3天；本期182天中181天有空气质量评价结果。"
        );
        assert_eq!(
            document(&f, Lang::En).lead[0],
            "In the first half of 2024, there are no PM2.5 data in the store for this period. There were 70 excellent days, 3 more than a year earlier. 181 of 182 days were assessed."
        );
    }

    #[test]
    fn half_the_time_half_the_tasks_only_when_computed() {
        let mut f = figures();
        for (half, pace) in [(true, true), (false, true), (false, false)] {
            f.progress.half_time_half_tasks = half;
            f.progress.keeps_pace = pace;
            let zh = markdown(&f, Lang::Zh);
            let en = markdown(&f, Lang::En);
            assert_eq!(zh.contains("时间过半、任务过半"), half);
            assert_eq!(en.contains("half the time, half the tasks"), half);
            assert_eq!(zh.contains("工作进度落后于时间进度"), !pace);
            assert_eq!(en.contains("the work is behind the time"), !pace);
        }
    }

    #[test]
    fn status_sentences_follow_the_trend() {
        let fig = figure("X", "%", 1.0, 2.0, 1);
        for c in Campaign::ALL {
            for lang in [Lang::Zh, Lang::En] {
                let s = |trend| {
                    status_sentence(
                        c,
                        &StatusSentence {
                            trend,
                            figure: fig.clone(),
                        },
                        lang,
                    )
                };
                let (up, same, down) = (s(Trend::Improved), s(Trend::Stable), s(Trend::Worsened));
                assert_ne!(up, down, "{c} {lang:?}");
                assert_ne!(up, same, "{c} {lang:?}");
                assert_ne!(same, down, "{c} {lang:?}");
            }
        }
        let f = figures();
        let zh = markdown(&f, Lang::Zh);
        let en = markdown(&f, Lang::En);
        for s in [
            "空气质量同比改善（PM2.5累计浓度 34微克/立方米，上年同期 37微克/立方米）。",
            "土壤环境质量总体稳定（严格管控类样品比例 1.25%，上年同期 1.30%）。",
            "碳市场履约水平同比提升（碳市场履约率 99.6%，上年同期 98.7%）。",
            "生态系统调节服务价值同比下降（GEP-R 4173.2亿元，上年同期 4201.5亿元）。",
        ] {
            assert!(zh.contains(s), "{s}\n{zh}");
        }
        for s in [
            "Air quality improved year on year (PM2.5累计浓度 34 µg/m³; 37 µg/m³ a year earlier).",
            "Soil quality was stable overall (严格管控类样品比例 1.25%; 1.30% a year earlier).",
            "The value of ecosystem regulating services fell year on year (GEP-R 4173.2 hundred million CNY; 4201.5 hundred million CNY a year earlier).",
        ] {
            assert!(en.contains(s), "{s}\n{en}");
        }
        assert_eq!(
            trend_words(Campaign::BlueSky, Trend::Worsened, Lang::Zh),
            "空气质量同比未改善"
        );
        assert_eq!(
            trend_words(Campaign::BlueSky, Trend::Worsened, Lang::En),
            "Air quality did not improve year on year"
        );
        assert_eq!(
            trend_words(Campaign::ClearWater, Trend::Improved, Lang::Zh),
            "水生态环境质量同比改善"
        );
        assert_eq!(
            trend_words(Campaign::ClearWater, Trend::Worsened, Lang::Zh),
            "水生态环境质量同比有所下降"
        );
        // Flipping the figures' trend flips the document's sentence.
        let mut g = f.clone();
        for c in &mut g.campaigns {
            if let Some(s) = &mut c.status {
                s.trend = Trend::Worsened;
            }
        }
        let zh2 = markdown(&g, Lang::Zh);
        assert!(zh2.contains("空气质量同比未改善（"));
        assert!(!zh2.contains("空气质量同比改善（"));
        assert!(zh2.contains("土壤污染风险同比有所上升（"));
        assert!(zh2.contains("碳市场履约水平同比有所下降（"));
    }

    #[test]
    fn a_placeholder_says_what_is_missing_and_why() {
        let f = figures();
        let zh = document(&f, Lang::Zh);
        let water = zh
            .sections
            .iter()
            .find(|s| s.heading == "碧水攻坚战")
            .unwrap();
        assert_eq!(
            water.blocks[0],
            Block::Paragraph("本节状况判断缺失：未提供水质监测数据，无法判断同比变化。".into())
        );
        let en = document(&f, Lang::En);
        let water = en
            .sections
            .iter()
            .find(|s| s.heading == "Clear water")
            .unwrap();
        assert_eq!(
            water.blocks[0],
            Block::Paragraph(
                "The status sentence of this section is missing: no water readings were given, so the change from a year earlier cannot be judged."
                    .into()
            )
        );
    }

    #[test]
    fn sections_in_campaign_order_then_effects_progress_and_sources() {
        let f = figures();
        let doc = document(&f, Lang::En);
        let headings: Vec<&str> = doc.sections.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(
            headings,
            [
                "Blue sky (air)",
                "Clear water",
                "Pure land (soil)",
                "Climate",
                "Ecology",
                "Did the measures work?",
                "Overall progress",
                "Sources"
            ]
        );
        let md = markdown(&f, Lang::En);
        assert!(md.contains("A coincidence in time is not proof"));
        assert!(markdown(&f, Lang::Zh).contains("时间上的巧合不等于因果"));
        // The late measure is named with its figures.
        assert!(md.contains(
            "Behind or overdue: BS-03 Road dust control (市生态环境局; behind schedule, 26.3% done of 49.7% expected)."
        ));
        assert!(md.contains(
            "- BS-03 Road dust control: sweeping of trunk roads, assessment (due 31 December 2024)"
        ));
        let burn = doc
            .sections
            .iter()
            .flat_map(|s| &s.blocks)
            .any(|b| matches!(b, Block::Chart { name, .. } if name == "campaigns-burn-up"));
        assert!(burn);
        let mut g = f.clone();
        g.effects.clear();
        assert!(!markdown(&g, Lang::En).contains("Did the measures work?"));
    }

    /// Digit runs with at most one decimal point: "−8.1%" gives "8.1".
    fn numbers(s: &str) -> Vec<String> {
        let c: Vec<char> = s.chars().collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < c.len() {
            if c[i].is_ascii_digit() {
                let mut j = i;
                let mut dot = false;
                while j < c.len()
                    && (c[j].is_ascii_digit()
                        || (c[j] == '.' && !dot && j + 1 < c.len() && c[j + 1].is_ascii_digit()))
                {
                    dot |= c[j] == '.';
                    j += 1;
                }
                out.push(c[i..j].iter().collect());
                i = j;
            } else {
                i += 1;
            }
        }
        out
    }

    /// Every number the figures can print, by the module's rules.
    fn printable(f: &CampaignsFigures) -> BTreeSet<String> {
        let mut v: Vec<String> = Vec::new();
        let h = &f.headline;
        v.extend(h.pm25.map(concentration));
        v.extend(h.pm25_baseline.map(concentration));
        v.extend(h.pm25_change_percent.map(percent));
        for (n, b) in [
            (h.excellent_days, h.excellent_days_baseline),
            (h.good_days, h.good_days_baseline),
        ] {
            v.extend(n.map(|n| n.to_string()));
            if let (Some(n), Some(b)) = (n, b) {
                v.push(n.abs_diff(b).to_string());
            }
        }
        v.push(h.days_assessed.to_string());
        v.push(h.days_in_period.to_string());
        let mut summary = |s: &Summary| {
            v.push(s.measures.to_string());
            v.push(s.without_reports.to_string());
            v.extend([share(s.done), share(s.expected), share(s.time_elapsed)]);
            v.extend(s.by_status.values().map(|n| n.to_string()));
        };
        summary(&f.progress);
        for c in &f.campaigns {
            summary(&c.summary);
        }
        for c in &f.campaigns {
            if let Some(s) = &c.status {
                let x = &s.figure;
                v.push(value(x.value, x.decimals));
                v.extend(x.baseline.map(|b| value(b, x.decimals)));
            }
            for m in &c.measures {
                v.extend([share(m.done), share(m.expected)]);
            }
            for i in &c.indicators {
                for x in [i.value, i.baseline, i.target].into_iter().flatten() {
                    v.push(value(x, i.decimals));
                }
                v.extend(i.change_percent.map(|p| signed(p, 1)));
            }
        }
        for e in &f.effects {
            v.push(e.window_days.to_string());
            for x in [e.before, e.after, e.change, e.change_low, e.change_high]
                .into_iter()
                .flatten()
            {
                v.push(signed(x, EFFECT_DECIMALS));
            }
        }
        // The level of every interval the text names.
        v.push("95".into());
        v.iter().flat_map(|s| numbers(s)).collect()
    }

    /// The figures' own texts (names, ids, sources, periods) and their dates: quoted, not
    /// numbers of this module's making.
    fn quoted(f: &CampaignsFigures) -> Vec<String> {
        let mut t: Vec<String> = vec![
            f.region_zh.clone(),
            f.region_en.clone(),
            f.period_zh.clone(),
            f.period_en.clone(),
            f.plan_name_zh.clone(),
            f.plan_name_en.clone(),
            // At the start of the English subtitle.
            capitalise(&f.plan_name_en),
            "PM2.5".into(),
        ];
        let mut dates = vec![f.from, f.to, f.as_of];
        dates.extend(f.burn_up.iter().map(|p| p.date));
        for c in &f.campaigns {
            if let Some(m) = &c.placeholder {
                t.extend([m.zh.clone(), m.en.clone()]);
            }
            if let Some(s) = &c.status {
                t.extend([s.figure.name_zh.clone(), s.figure.name_en.clone()]);
                t.push(s.figure.unit.clone());
                t.extend(
                    UNIT_WORDS
                        .iter()
                        .flat_map(|(_, zh, en)| [zh.to_string(), en.to_string()]),
                );
            }
            for m in &c.measures {
                t.extend([
                    m.id.clone(),
                    m.title_zh.clone(),
                    m.title_en.clone(),
                    m.lead.clone(),
                ]);
                dates.push(m.deadline);
                dates.extend(m.finished);
            }
            for i in &c.indicators {
                t.extend([
                    i.name_zh.clone(),
                    i.name_en.clone(),
                    i.unit.clone(),
                    i.source.clone(),
                ]);
                dates.extend(i.date);
            }
            for n in &c.next_steps {
                t.extend([n.measure.clone(), n.title_zh.clone(), n.title_en.clone()]);
                t.extend(n.open_milestones_zh.iter().cloned());
                t.extend(n.open_milestones_en.iter().cloned());
                dates.push(n.deadline);
            }
        }
        for e in &f.effects {
            t.extend([
                e.measure.clone(),
                e.title_zh.clone(),
                e.title_en.clone(),
                e.pollutant.clone(),
            ]);
            t.extend(e.note.clone());
            dates.push(e.start);
            dates.extend(
                [e.break_date, e.break_low, e.break_high]
                    .into_iter()
                    .flatten(),
            );
        }
        for x in dates {
            t.extend([iso(x), date(x, Lang::Zh), date(x, Lang::En)]);
        }
        // Only texts with digits matter; as the Markdown renderer escapes them.
        let mut t: Vec<String> = t
            .into_iter()
            .filter(|s| s.chars().any(|c| c.is_ascii_digit()))
            .map(|s| {
                s.replace('|', "\\|")
                    .replace('*', "\\*")
                    .replace('_', "\\_")
            })
            .collect();
        t.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
        t
    }

    #[test]
    fn every_printed_number_comes_from_the_figures() {
        let f = figures();
        let allowed = printable(&f);
        let quoted = quoted(&f);
        for lang in [Lang::Zh, Lang::En] {
            let mut md = markdown(&f, lang);
            for q in &quoted {
                md = md.replace(q.as_str(), " ");
            }
            let found = numbers(&md);
            let stray: Vec<&String> = found.iter().filter(|n| !allowed.contains(*n)).collect();
            assert!(
                stray.is_empty(),
                "{lang:?}: {stray:?} not from the figures\n{md}"
            );
            // Not vacuous: the headline's, the progress's and the effects' numbers are there.
            for n in [
                "34", "8.1", "37", "3", "56.1", "49.7", "26.3", "84.3", "4.3", "7.9",
            ] {
                assert!(found.iter().any(|x| x == n), "{lang:?}: {n} missing\n{md}");
            }
        }
    }

    #[test]
    fn the_burn_up_chart_is_svg_with_both_series() {
        let f = figures();
        for lang in [Lang::Zh, Lang::En] {
            let svg = burn_up_chart(&f, lang).unwrap();
            assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
            // Parses as SVG (resvg renders it).
            assert!(!crate::charts::png(&svg, 0.5).unwrap().is_empty());
            let (done, expected) = match lang {
                Lang::Zh => ("已完成", "按计划应完成"),
                Lang::En => ("Work done", "Work expected"),
            };
            assert!(svg.contains(done) && svg.contains(expected));
            // One polyline per series with a vertex per burn-up point (plus the legend's).
            let lines: Vec<&str> = svg
                .split("<polyline")
                .skip(1)
                .filter_map(|p| p.split("points=\"").nth(1))
                .filter_map(|p| p.split('"').next())
                .filter(|p| p.split_whitespace().count() == f.burn_up.len())
                .collect();
            assert_eq!(lines.len(), 2, "{svg}");
            // The done series ends higher (smaller y) than the expected one at the last point.
            let last_y = |p: &str| -> f64 {
                p.split_whitespace()
                    .last()
                    .and_then(|xy| xy.split(',').nth(1))
                    .unwrap()
                    .parse()
                    .unwrap()
            };
            assert!(last_y(lines[1]) < last_y(lines[0]));
        }
        let mut g = f;
        g.burn_up.clear();
        assert!(matches!(
            burn_up_chart(&g, Lang::En),
            Err(ChartError::Empty(_))
        ));
    }
}
