//! The bulletin's words, in Chinese and in English, written the way each is written by those
//! who publish such bulletins: 累计浓度, 同比下降, 优良天数, 重污染天数; "cumulative
//! concentration", "year on year", "excellent or good days", "heavy-pollution days".
//!
//! Numbers are formatted here, never computed: every figure comes from the
//! [`Bulletin`](crate::figures::Bulletin), in the precision it is published with (µg/m³ as
//! integers, CO to 0.1 mg/m³, changes to 0.1 %, the composite index to 0.01).

use chrono::{Datelike, NaiveDate};
use lantian_assess::change::Change;
use lantian_assess::dust::DustSource;
use lantian_assess::period::{Period, PeriodKind};
use lantian_assess::stats::{PollutantStat, Statistic};
use lantian_assess::target::TargetStatus;

use crate::document::{Align, Block, Document, Lang, Section, Table};
use crate::figures::{Bulletin, TargetProgress, TargetSource};

const UG_ZH: &str = "微克/立方米";
const UG_EN: &str = "µg/m³";

/// "2023年上半年" / "the first half of 2023".
pub fn period_name(p: &Period, lang: Lang) -> String {
    let y = p.first.year();
    let month_end = p
        .last
        .succ_opt()
        .is_some_and(|n| n.month() != p.last.month());
    let en_month = |m: u32| {
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ][m as usize - 1]
    };
    let en_date = |d: NaiveDate| format!("{} {} {}", d.day(), en_month(d.month()), d.year());
    match (lang, p.kind) {
        (Lang::Zh, PeriodKind::Year) => format!("{y}年"),
        (Lang::En, PeriodKind::Year) => format!("{y}"),
        (Lang::Zh, PeriodKind::Half(h)) => {
            format!("{y}年{}", if h == 1 { "上半年" } else { "下半年" })
        }
        (Lang::En, PeriodKind::Half(h)) => {
            format!(
                "the {} half of {y}",
                if h == 1 { "first" } else { "second" }
            )
        }
        (Lang::Zh, PeriodKind::Quarter(q)) => {
            format!("{y}年第{}季度", ["一", "二", "三", "四"][q as usize - 1])
        }
        (Lang::En, PeriodKind::Quarter(q)) => format!(
            "the {} quarter of {y}",
            ["first", "second", "third", "fourth"][q as usize - 1]
        ),
        (Lang::Zh, PeriodKind::Month) => format!("{y}年{}月", p.first.month()),
        (Lang::En, PeriodKind::Month) => format!("{} {y}", en_month(p.first.month())),
        (Lang::Zh, PeriodKind::YearToDate) if month_end => {
            format!("{y}年1—{}月", p.last.month())
        }
        (Lang::En, PeriodKind::YearToDate) if month_end => {
            if p.last.month() == 1 {
                format!("January {y}")
            } else {
                format!("January–{} {y}", en_month(p.last.month()))
            }
        }
        (Lang::Zh, PeriodKind::YearToDate) => {
            format!("{y}年1月1日至{}月{}日", p.last.month(), p.last.day())
        }
        (Lang::En, PeriodKind::YearToDate) => {
            format!(
                "1 January to {} {} {y}",
                p.last.day(),
                en_month(p.last.month())
            )
        }
        (Lang::Zh, PeriodKind::Range) => format!(
            "{}年{}月{}日至{}年{}月{}日",
            p.first.year(),
            p.first.month(),
            p.first.day(),
            p.last.year(),
            p.last.month(),
            p.last.day()
        ),
        (Lang::En, PeriodKind::Range) => format!("{} to {}", en_date(p.first), en_date(p.last)),
    }
}

/// The name of the period concentration: 年均浓度 for a year, 月均浓度 for a month, 累计浓度
/// otherwise (how Beijing's monthly and half-year releases name it).
fn concentration_word(p: &Period, lang: Lang) -> &'static str {
    match (lang, p.kind) {
        (Lang::Zh, PeriodKind::Year) => "年均浓度",
        (Lang::Zh, PeriodKind::Month) => "月均浓度",
        (Lang::Zh, _) => "累计浓度",
        (Lang::En, PeriodKind::Year) => "annual mean concentration",
        (Lang::En, PeriodKind::Month) => "monthly mean concentration",
        (Lang::En, _) => "cumulative concentration",
    }
}

/// A published concentration as printed.
pub fn conc(pollutant: &str, v: Option<f64>) -> String {
    match v {
        Some(v) if pollutant == "CO" => format!("{v:.1}"),
        Some(v) => format!("{v:.0}"),
        None => "—".into(),
    }
}

fn unit(pollutant: &str, lang: Lang) -> &'static str {
    match (pollutant == "CO", lang) {
        (true, Lang::Zh) => "毫克/立方米",
        (true, Lang::En) => "mg/m³",
        (false, Lang::Zh) => UG_ZH,
        (false, Lang::En) => UG_EN,
    }
}

/// "同比下降8.1%" / "down 8.1% year on year" (`yoy` false: without "year on year").
pub fn percent_change(c: &Change, lang: Lang, yoy: bool) -> String {
    let Some(p) = c.percent else {
        return match lang {
            Lang::Zh => "无可比基数".into(),
            Lang::En => "no baseline to compare".into(),
        };
    };
    match lang {
        Lang::Zh => {
            let pre = if yoy { "同比" } else { "" };
            if p < 0.0 {
                format!("{pre}下降{:.1}%", -p)
            } else if p > 0.0 {
                format!("{pre}上升{p:.1}%")
            } else {
                format!("{pre}持平")
            }
        }
        Lang::En => {
            let post = if yoy { " year on year" } else { "" };
            if p < 0.0 {
                format!("down {:.1}%{post}", -p)
            } else if p > 0.0 {
                format!("up {p:.1}%{post}")
            } else {
                format!("unchanged{post}")
            }
        }
    }
}

/// A signed percent for tables: "−8.1%", "+2.0%", "0.0%".
pub fn signed_percent(c: Option<&Change>) -> String {
    match c.and_then(|c| c.percent) {
        Some(p) if p < 0.0 => format!("−{:.1}%", -p),
        Some(p) if p > 0.0 => format!("+{p:.1}%"),
        Some(_) => "0.0%".into(),
        None => "—".into(),
    }
}

/// "增加3天" / "3 more" (days); `noun` for English ("days").
fn days_change(d: i64, lang: Lang) -> String {
    match lang {
        Lang::Zh if d > 0 => format!("同比增加{d}天"),
        Lang::Zh if d < 0 => format!("同比减少{}天", -d),
        Lang::Zh => "与上年同期持平".into(),
        Lang::En if d > 0 => format!("{d} more than a year earlier"),
        Lang::En if d < 0 => format!("{} fewer than a year earlier", -d),
        Lang::En => "as many as a year earlier".into(),
    }
}

fn day_word(n: usize) -> &'static str {
    if n == 1 { "day" } else { "days" }
}

fn date_zh(d: NaiveDate) -> String {
    format!("{}月{}日", d.month(), d.day())
}

fn date_en(d: NaiveDate) -> String {
    format!("{} {}", d.day(), d.format("%b"))
}

/// The statistic of a row, in words.
fn statistic_name(s: &PollutantStat, period: &Period, lang: Lang) -> String {
    let year = period.kind == PeriodKind::Year;
    match (lang, s.statistic) {
        (Lang::Zh, Statistic::Mean) => if year { "年平均" } else { "平均浓度" }.into(),
        (Lang::En, Statistic::Mean) => if year { "annual mean" } else { "mean" }.into(),
        (Lang::Zh, Statistic::Percentile(p)) if s.pollutant == "O3" => {
            format!("日最大8小时平均第{p}百分位数")
        }
        (Lang::En, Statistic::Percentile(p)) if s.pollutant == "O3" => {
            format!("{p}th percentile of daily max 8-h mean")
        }
        (Lang::Zh, Statistic::Percentile(p)) => format!("日均值第{p}百分位数"),
        (Lang::En, Statistic::Percentile(p)) => format!("{p}th percentile of daily means"),
    }
}

fn pollutant_label(p: &str) -> &str {
    match p {
        "PM2.5" => "PM2.5",
        "O3" => "O3",
        other => other,
    }
}

/// The lead: PM2.5, days, heavy days (and the composite index).
fn lead(b: &Bulletin, lang: Lang) -> Vec<String> {
    let pname = period_name(&b.period, lang);
    let word = concentration_word(&b.period, lang);
    let pm = b.current.stats.headline("PM2.5").and_then(|s| s.published);
    let cmp = b.comparison.as_ref();
    let pm_change = cmp.and_then(|c| c.figure("PM2.5"));
    let d = &b.current.days;
    let region = match lang {
        Lang::Zh => &b.region.zh,
        Lang::En => &b.region.en,
    };
    let mut out = Vec::new();
    match lang {
        Lang::Zh => {
            let mut s = format!("{pname}，{region}PM2.5{word}为{}{UG_ZH}", conc("PM2.5", pm));
            if let Some(c) = pm_change {
                s += &format!("，{}", percent_change(c, lang, true));
            }
            s += &format!(
                "；优良天数{}天，优良天数比例为{}%",
                d.excellent_or_good,
                d.excellent_or_good_ratio
                    .map(|r| format!("{r:.1}"))
                    .unwrap_or("—".into())
            );
            if let Some(c) = cmp {
                s += &format!("，{}", days_change(c.excellent_or_good_days, lang));
                if let Some(p) = c.excellent_or_good_ratio_points {
                    s += &format!("（比例{}）", points_zh(p));
                }
            }
            s += &format!("；其中优级天数{}天", d.by_level[0]);
            if let Some(c) = cmp {
                s += &format!("，{}", days_change(c.excellent_days, lang));
            }
            s += &format!("；重污染天数{}天", d.heavy);
            if let Some(c) = cmp {
                s += &format!("，{}", days_change(c.heavy_days, lang));
            }
            let dust_heavy = heavy_dust_days(b);
            if dust_heavy > 0 {
                s += &format!("（含{dust_heavy}天沙尘）");
            }
            s += "。";
            out.push(s);
        }
        Lang::En => {
            let mut s = format!(
                "In {pname}, the {word} of PM2.5 in {region} was {} {UG_EN}",
                conc("PM2.5", pm)
            );
            if let Some(c) = pm_change {
                s += &format!(", {}", percent_change(c, lang, true));
            }
            s += ". ";
            s += &format!(
                "There were {} excellent or good {} ({}% of valid days)",
                d.excellent_or_good,
                day_word(d.excellent_or_good),
                d.excellent_or_good_ratio
                    .map(|r| format!("{r:.1}"))
                    .unwrap_or("—".into())
            );
            if let Some(c) = cmp {
                s += &format!(", {}", days_change(c.excellent_or_good_days, lang));
                if let Some(p) = c.excellent_or_good_ratio_points {
                    s += &format!(" (the ratio {})", points_en(p));
                }
            }
            s += &format!(
                "; {} of them {} excellent",
                d.by_level[0],
                if d.by_level[0] == 1 { "was" } else { "were" }
            );
            if let Some(c) = cmp {
                s += &format!(" ({})", days_change(c.excellent_days, lang));
            }
            s += &format!(
                ". {} {} heavily polluted or worse",
                d.heavy,
                if d.heavy == 1 { "day was" } else { "days were" }
            );
            let dust_heavy = heavy_dust_days(b);
            if dust_heavy > 0 {
                s += &match (d.heavy, dust_heavy) {
                    (1, _) => " (a sand-dust day)".to_string(),
                    (_, 1) => " (one of them a sand-dust day)".to_string(),
                    (_, n) => format!(" ({n} of them sand-dust days)"),
                };
            }
            if let Some(c) = cmp {
                s += &format!(", {}", days_change(c.heavy_days, lang));
            }
            s += ".";
            out.push(s);
        }
    }
    if let Some(c) = comparison_caution(b, lang) {
        out.push(c);
    }
    out
}

fn points_zh(p: f64) -> String {
    if p > 0.0 {
        format!("上升{p:.1}个百分点")
    } else if p < 0.0 {
        format!("下降{:.1}个百分点", -p)
    } else {
        "持平".into()
    }
}

fn points_en(p: f64) -> String {
    if p > 0.0 {
        format!("{p:.1} points higher")
    } else if p < 0.0 {
        format!("{:.1} points lower", -p)
    } else {
        "unchanged".into()
    }
}

/// A comparison with an incomplete period misleads (a baseline with a third of its days missing
/// has fewer good days to count): said next to the headline when either period's PM2.5 falls
/// short of the GB 3095 Table 4 rule, or the baseline rated fewer than 90 % as many days.
fn comparison_caution(b: &Bulletin, lang: Lang) -> Option<String> {
    let base = b.baseline.as_ref()?;
    let pm = |a: &lantian_assess::area::AreaAssessment| {
        a.stats.headline("PM2.5").map(|s| {
            (
                s.completeness.valid,
                s.completeness.expected,
                s.completeness.meets_rule,
            )
        })
    };
    let (bv, be, bok) = pm(base)?;
    let (cv, ce, cok) = pm(&b.current)?;
    let fewer_days = (base.days.valid as f64) < 0.9 * b.current.days.valid as f64;
    if bok && cok && !fewer_days {
        return None;
    }
    let bp = b
        .baseline_period
        .as_ref()
        .map(|p| period_name(p, lang))
        .unwrap_or_default();
    Some(match lang {
        Lang::Zh => format!(
            "注意：数据不完整，同比结果仅供参考（PM2.5 有效天数：本期{cv}/{ce}天，{bp}{bv}/{be}天；AQI 可评价天数：本期{}天，{bp}{}天）。",
            b.current.days.valid, base.days.valid
        ),
        Lang::En => format!(
            "Caution: the data are incomplete, so the year-on-year comparisons are indicative only (PM2.5 valid days: {cv} of {ce} in this period, {bv} of {be} in {bp}; days with an AQI: {} and {}).",
            b.current.days.valid, base.days.valid
        ),
    })
}

/// Heavy days that are sand-dust days (counted, not deducted, as CNEMC counts them).
fn heavy_dust_days(b: &Bulletin) -> usize {
    b.calendar
        .iter()
        .filter(|c| c.level.is_some_and(|l| l >= 5) && b.dust.days.contains(&c.date))
        .count()
}

/// The table of the six headline figures (`short_term` false) or of the percentiles compared
/// with the 24-hour limits (`short_term` true).
fn pollutant_table(b: &Bulletin, lang: Lang, short_term: bool) -> Option<Block> {
    let header = match lang {
        Lang::Zh => vec![
            "污染物",
            "评价指标",
            "浓度",
            "上年同期",
            "同比",
            "二级标准限值",
            "达标情况",
            "有效天数",
        ],
        Lang::En => vec![
            "Pollutant",
            "Statistic",
            "Concentration",
            "A year earlier",
            "Year on year",
            "Grade II limit",
            "Compliance",
            "Valid days",
        ],
    };
    let mut rows = Vec::new();
    for s in &b.current.stats.stats {
        let headline = b.current.stats.headline(s.pollutant) == Some(s);
        if headline == short_term {
            continue;
        }
        let base = b.baseline.as_ref().and_then(|x| {
            x.stats
                .stats
                .iter()
                .find(|y| y.pollutant == s.pollutant && y.statistic == s.statistic)
        });
        let ch = b.comparison.as_ref().and_then(|c| {
            c.figures
                .iter()
                .find(|f| f.pollutant == s.pollutant && f.label == s.label)
                .map(|f| &f.change)
        });
        let check = b
            .current
            .compliance
            .pollutants
            .iter()
            .find(|p| p.pollutant == s.pollutant)
            .and_then(|p| {
                p.checks
                    .iter()
                    .find(|c| c.label == s.label || same_statistic(c.label, s))
            });
        let (limit, comp) = match check {
            Some(c) => (
                conc(s.pollutant, Some(c.limit)),
                match (c.complies, lang) {
                    (true, Lang::Zh) => "达标".to_string(),
                    (true, Lang::En) => "meets".to_string(),
                    (false, Lang::Zh) => {
                        format!("超标{:.2}倍", c.exceedance_multiple.unwrap_or(0.0))
                    }
                    (false, Lang::En) => {
                        format!("exceeds ({:.2}×)", c.exceedance_multiple.unwrap_or(0.0))
                    }
                },
            ),
            None => ("—".into(), "—".into()),
        };
        rows.push(vec![
            pollutant_label(s.pollutant).to_string(),
            statistic_name(s, &b.period, lang),
            format!(
                "{} {}",
                conc(s.pollutant, s.published),
                unit(s.pollutant, lang)
            ),
            conc(s.pollutant, base.and_then(|x| x.published)),
            signed_percent(ch),
            limit,
            comp,
            format!(
                "{}/{}{}",
                s.completeness.valid,
                s.completeness.expected,
                if s.completeness.meets_rule { "" } else { " *" }
            ),
        ]);
    }
    if rows.is_empty() {
        return None;
    }
    let note = match lang {
        Lang::Zh if short_term => "各污染物日均值的百分位数与 24 小时平均浓度限值比较；PM10、PM2.5 扣除沙尘影响。".to_string(),
        Lang::En if short_term => "Percentiles of the daily means against the 24-hour limits; PM10 and PM2.5 with sand-dust days deducted.".to_string(),
        Lang::Zh => format!(
            "PM10、PM2.5 为扣除沙尘影响后的浓度；限值为 {} 二级标准{}；带 * 的有效天数不满足 GB 3095 表4 的统计有效性要求。",
            limits_name(&b.standards.limits, lang),
            if b.period.kind == PeriodKind::Year {
                ""
            } else {
                "（年限值，对非全年时段仅作参考）"
            }
        ),
        Lang::En => format!(
            "PM10 and PM2.5 with sand-dust days deducted. Limits: {} Grade II{}. Valid days marked * fall short of the GB 3095 Table 4 validity rule.",
            limits_name(&b.standards.limits, lang),
            if b.period.kind == PeriodKind::Year {
                ""
            } else {
                " (annual limits, indicative for a period shorter than a year)"
            }
        ),
    };
    Some(Block::Table(Table {
        header: header.into_iter().map(String::from).collect(),
        align: vec![
            Align::Left,
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Left,
            Align::Right,
        ],
        rows,
        note: Some(note),
    }))
}

/// Compliance labels are English phrases of lantian-assess; match a check to its row by
/// statistic where the labels differ.
fn same_statistic(check_label: &str, s: &PollutantStat) -> bool {
    match s.statistic {
        Statistic::Mean => check_label.contains("mean") && !check_label.contains("percentile"),
        Statistic::Percentile(p) => check_label.contains(&format!("{p}th")),
    }
}

fn limits_name(name: &str, _lang: Lang) -> String {
    // "GB 3095—2012 class II" → "GB 3095—2012".
    name.split(" class").next().unwrap_or(name).to_string()
}

fn composite_paragraph(b: &Bulletin, lang: Lang) -> Option<String> {
    let ci = b.current.composite.as_ref()?;
    let ch = b.comparison.as_ref().and_then(|c| c.composite.as_ref());
    Some(match lang {
        Lang::Zh => {
            let mut s = format!("环境空气质量综合指数为{:.2}", ci.published);
            if let Some(c) = ch {
                s += &format!(
                    "（上年同期{:.2}），{}",
                    c.baseline,
                    percent_change(c, lang, true)
                );
            }
            s += &format!("；单项指数最大的污染物为{}。", pollutant_label(ci.leading));
            s
        }
        Lang::En => {
            let mut s = format!("The composite air quality index was {:.2}", ci.published);
            if let Some(c) = ch {
                s += &format!(
                    " ({:.2} a year earlier), {}",
                    c.baseline,
                    percent_change(c, lang, true)
                );
            }
            s += &format!(
                "; the largest single index was that of {}.",
                pollutant_label(ci.leading)
            );
            s
        }
    })
}

fn district_table(b: &Bulletin, lang: Lang) -> Option<Block> {
    if b.districts.is_empty() {
        return None;
    }
    let header = match lang {
        Lang::Zh => vec![
            "排名",
            "区",
            "PM2.5",
            "上年同期",
            "同比",
            "改善排名",
            "综合指数",
            "优良天数",
        ],
        Lang::En => vec![
            "Rank",
            "District",
            "PM2.5",
            "A year earlier",
            "Year on year",
            "Improvement rank",
            "Composite index",
            "Excellent or good days",
        ],
    };
    let r = |x: Option<usize>| x.map(|v| v.to_string()).unwrap_or("—".into());
    let rows = b
        .districts
        .iter()
        .map(|d| {
            vec![
                r(d.rank_pm25),
                match lang {
                    Lang::Zh => d.name_zh.clone(),
                    Lang::En => d.name_en.clone(),
                },
                conc("PM2.5", d.pm25),
                conc("PM2.5", d.baseline_pm25),
                signed_percent(d.pm25_change.as_ref()),
                r(d.rank_improvement),
                d.composite.map(|c| format!("{c:.2}")).unwrap_or("—".into()),
                format!("{}/{}", d.excellent_or_good, d.valid_days),
            ]
        })
        .collect();
    Some(Block::Table(Table {
        header: header.into_iter().map(String::from).collect(),
        align: vec![
            Align::Right,
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
        ],
        rows,
        note: Some(match lang {
            Lang::Zh => "按 PM2.5 浓度（µg/m³，扣除沙尘）由低到高排名，并列同名次；改善排名按同比变化幅度。".into(),
            Lang::En => "Ranked by PM2.5 (µg/m³, sand-dust deducted), lowest first; ties share a rank. Improvement rank: by the year-on-year change.".into(),
        }),
    }))
}

fn dust_paragraph(b: &Bulletin, lang: Lang) -> String {
    let Some(src) = &b.dust.source else {
        return match lang {
            Lang::Zh => "本期未扣除沙尘天气影响。".into(),
            Lang::En => "No sand-dust deduction was applied.".into(),
        };
    };
    let n = b.dust.days.len();
    let pm = |s: &lantian_assess::stats::PeriodStats, p: &str| {
        conc(p, s.headline(p).and_then(|x| x.published))
    };
    let how = match (src, lang) {
        (DustSource::List(f), Lang::Zh) => format!("依据沙尘天清单 {f}"),
        (DustSource::List(f), Lang::En) => format!("from the list {f}"),
        (DustSource::Detected, Lang::Zh) => {
            "按 PM10>150 µg/m³ 且 PM2.5/PM10≤0.35 自动识别".to_string()
        }
        (DustSource::Detected, Lang::En) => {
            "detected as PM10 > 150 µg/m³ with PM2.5/PM10 ≤ 0.35".to_string()
        }
    };
    let (d, u) = (&b.current.stats, &b.current.stats_undeducted);
    match lang {
        Lang::Zh => {
            if n == 0 {
                return format!("本期无沙尘天（{how}）。");
            }
            let dates: Vec<String> = b.dust.days.iter().map(|d| date_zh(*d)).collect();
            format!(
                "本期共有{n}个沙尘天（{how}：{}）。扣除沙尘影响后，PM2.5 浓度为{}、PM10 为{}{UG_ZH}；不扣除沙尘影响，PM2.5 为{}、PM10 为{}{UG_ZH}。天数统计按规定保留沙尘天。",
                dates.join("、"),
                pm(d, "PM2.5"),
                pm(d, "PM10"),
                pm(u, "PM2.5"),
                pm(u, "PM10")
            )
        }
        Lang::En => {
            if n == 0 {
                return format!("There was no sand-dust day in the period ({how}).");
            }
            let dates: Vec<String> = b.dust.days.iter().map(|d| date_en(*d)).collect();
            format!(
                "The period had {n} sand-dust {} ({how}: {}). With them deducted, PM2.5 was {} and PM10 {} {UG_EN}; without the deduction, PM2.5 was {} and PM10 {} {UG_EN}. Day counts keep the sand-dust days, as the rules require.",
                day_word(n),
                dates.join(", "),
                pm(d, "PM2.5"),
                pm(d, "PM10"),
                pm(u, "PM2.5"),
                pm(u, "PM10")
            )
        }
    }
}

fn target_paragraphs(b: &Bulletin, lang: Lang) -> Vec<String> {
    let source = match (&b.target_source, lang) {
        (TargetSource::Given, Lang::Zh) => "年度目标",
        (TargetSource::Given, Lang::En) => "Progress toward the annual target",
        (TargetSource::Gb3095GradeII, Lang::Zh) => {
            "未给定年度目标，以 GB 3095 二级标准年均限值为目标"
        }
        (TargetSource::Gb3095GradeII, Lang::En) => {
            "No annual target was given; against the GB 3095 Grade II annual limit"
        }
    };
    b.targets
        .iter()
        .map(|t| match (t, lang) {
            (TargetProgress::Concentration(c), Lang::Zh) => {
                let mean = c.mean_so_far.map(|m| format!("{m:.1}")).unwrap_or("—".into());
                let status = match c.status {
                    TargetStatus::Met => "全年已达到目标".to_string(),
                    TargetStatus::Missed => "全年未达到目标".to_string(),
                    TargetStatus::Reachable => format!(
                        "余下{}天平均浓度须{}{}{UG_ZH}方可实现目标",
                        c.days_left,
                        if c.required_inclusive { "不高于" } else { "低于" },
                        c.required_mean.map(|r| format!("{r:.1}")).unwrap_or("—".into())
                    ),
                    TargetStatus::OutOfReach => "余下天数无论如何均无法实现目标".to_string(),
                };
                format!(
                    "{source}（{} 年均浓度≤{}{UG_ZH}）：截至{}，{}有效天平均{}{UG_ZH}，{status}。",
                    pollutant_label(&c.pollutant),
                    c.target,
                    date_zh(c.as_of),
                    c.valid_days,
                    mean
                )
            }
            (TargetProgress::Concentration(c), Lang::En) => {
                let mean = c.mean_so_far.map(|m| format!("{m:.1}")).unwrap_or("—".into());
                let status = match c.status {
                    TargetStatus::Met => "the year met the target".to_string(),
                    TargetStatus::Missed => "the year missed the target".to_string(),
                    TargetStatus::Reachable => format!(
                        "the remaining {} days must average {} {} {UG_EN} to meet it",
                        c.days_left,
                        if c.required_inclusive { "at most" } else { "below" },
                        c.required_mean.map(|r| format!("{r:.1}")).unwrap_or("—".into())
                    ),
                    TargetStatus::OutOfReach => {
                        "the target is out of reach whatever the remaining days bring".to_string()
                    }
                };
                format!(
                    "{source} (annual mean {} ≤ {} {UG_EN}): to {}, {} valid days averaged {} {UG_EN}; {status}.",
                    pollutant_label(&c.pollutant),
                    c.target,
                    date_en(c.as_of),
                    c.valid_days,
                    mean
                )
            }
            (TargetProgress::Days(d), Lang::Zh) => format!(
                "优良天数目标{}天：截至{}已有{}天，余下{}天中还需{}天优良（{}）。",
                d.target,
                date_zh(d.as_of),
                d.so_far,
                d.days_left,
                d.needed,
                match d.status {
                    TargetStatus::Met => "已实现",
                    TargetStatus::Missed => "未实现",
                    TargetStatus::Reachable => "可实现",
                    TargetStatus::OutOfReach => "已无法实现",
                }
            ),
            (TargetProgress::Days(d), Lang::En) => format!(
                "Target of {} excellent or good days: {} to {}; {} more needed in the {} days left ({}).",
                d.target,
                d.so_far,
                date_en(d.as_of),
                d.needed,
                d.days_left,
                match d.status {
                    TargetStatus::Met => "met",
                    TargetStatus::Missed => "missed",
                    TargetStatus::Reachable => "within reach",
                    TargetStatus::OutOfReach => "out of reach",
                }
            ),
        })
        .collect()
}

fn deweather_paragraph(b: &Bulletin, lang: Lang) -> String {
    match (&b.deweathered, lang) {
        (Some(w), Lang::Zh) => format!(
            "剔除气象条件影响后（气象数据：{}；模型样本外 R²={:.2}；建模小时均值由{:.1}变为{:.1}{UG_ZH}），{} 同比变化{:+.1}%（95%区间 {:+.1}% 至 {:+.1}%），为排放变化所致；气象条件贡献{:+.1}个百分点（{:+.1} 至 {:+.1}）；实测变化{:+.1}%。",
            w.weather_source,
            w.model_r2,
            w.observed_baseline,
            w.observed_current,
            w.pollutant,
            w.emission_percent,
            w.emission_percent_lower,
            w.emission_percent_upper,
            w.weather_percent,
            w.weather_percent_lower,
            w.weather_percent_upper,
            w.observed_percent
        ),
        (Some(w), Lang::En) => format!(
            "With the weather normalised (weather data: {}; out-of-sample R² {:.2}; hourly means of the modelled hours {:.1} → {:.1} {UG_EN}), {} changed by {:+.1}% year on year (95% interval {:+.1}% to {:+.1}%), the part due to emissions; the weather contributed {:+.1} points ({:+.1} to {:+.1}); the observed change was {:+.1}%.",
            w.weather_source,
            w.model_r2,
            w.observed_baseline,
            w.observed_current,
            w.pollutant,
            w.emission_percent,
            w.emission_percent_lower,
            w.emission_percent_upper,
            w.weather_percent,
            w.weather_percent_lower,
            w.weather_percent_upper,
            w.observed_percent
        ),
        (None, Lang::Zh) => {
            "未提供气象数据（风速、风向、温度、湿度等），本期未做气象归一化分析；提供气象数据后，可用 lantian attribute 将变化分解为排放和气象两部分。".into()
        }
        (None, Lang::En) => {
            "No weather data (wind speed and direction, temperature, humidity…) were given, so the change is not weather-normalised; with weather data, lantian attribute splits it into the parts due to emissions and to the weather.".into()
        }
    }
}

fn completeness_list(b: &Bulletin, lang: Lang) -> Vec<String> {
    let mut out: Vec<String> = b
        .current
        .stats
        .stats
        .iter()
        .filter(|s| {
            s.statistic == Statistic::Mean || b.current.stats.headline(s.pollutant) == Some(s)
        })
        .map(|s| {
            let c = &s.completeness;
            match lang {
                Lang::Zh => format!(
                    "{}：有效{}天/应有{}天{}，{}",
                    pollutant_label(s.pollutant),
                    c.valid,
                    c.expected,
                    if c.excluded > 0 {
                        format!("（另扣除沙尘天{}天）", c.excluded)
                    } else {
                        String::new()
                    },
                    if c.meets_rule {
                        "满足有效性要求"
                    } else {
                        "不满足有效性要求"
                    }
                ),
                Lang::En => format!(
                    "{}: {} valid of {} days{}, {}",
                    pollutant_label(s.pollutant),
                    c.valid,
                    c.expected,
                    if c.excluded > 0 {
                        format!(" ({} sand-dust days set aside)", c.excluded)
                    } else {
                        String::new()
                    },
                    if c.meets_rule {
                        "meets the validity rule"
                    } else {
                        "falls short of the validity rule"
                    }
                ),
            }
        })
        .collect();
    let d = &b.current.days;
    out.push(match lang {
        Lang::Zh => format!(
            "AQI：{}天中{}天可评价{}",
            d.days,
            d.valid,
            if d.partial > 0 {
                format!("（其中{}天缺少部分污染物）", d.partial)
            } else {
                String::new()
            }
        ),
        Lang::En => format!(
            "AQI: {} of {} days rated{}",
            d.valid,
            d.days,
            if d.partial > 0 {
                format!(" ({} without all six pollutants)", d.partial)
            } else {
                String::new()
            }
        ),
    });
    if let Some(t) = b.data_through
        && t < b.period.last
    {
        out.push(match lang {
            Lang::Zh => format!(
                "数据截至{}，此后{}天无数据",
                date_zh(t),
                (b.period.last - t).num_days()
            ),
            Lang::En => format!(
                "data end on {}; the {} days after have none",
                date_en(t),
                (b.period.last - t).num_days()
            ),
        });
    }
    out
}

fn standards_paragraph(b: &Bulletin, lang: Lang) -> String {
    let aqi: Vec<String> = b
        .standards
        .aqi
        .iter()
        .map(|id| match id.as_str() {
            "hj633-2012" => "HJ 633—2012".to_string(),
            "hj633-2026" => "HJ 633—2026".to_string(),
            other => other.to_string(),
        })
        .collect();
    match lang {
        Lang::Zh => format!(
            "空气质量指数（AQI）依据 {} 计算；浓度统计与评价依据 HJ 663 与 {}（二级标准）；日均值有效性依据 GB 3095 表4；浓度数值按 GB/T 8170 修约。",
            aqi.join("、"),
            limits_name(&b.standards.limits, lang)
        ),
        Lang::En => format!(
            "AQI under {}; statistics and assessment under HJ 663 and {} (Grade II); daily-value validity under GB 3095 Table 4; figures rounded under GB/T 8170.",
            aqi.join(" and "),
            limits_name(&b.standards.limits, lang)
        ),
    }
}

/// The whole bulletin as a document.
pub fn document(b: &Bulletin, lang: Lang) -> Document {
    let pname = period_name(&b.period, lang);
    let (title, subtitle) = match lang {
        Lang::Zh => (
            format!("{}{}空气质量状况", b.region.zh, pname),
            b.baseline_period
                .as_ref()
                .map(|p| format!("与{}同期比较", period_name(p, lang)))
                .unwrap_or_default(),
        ),
        Lang::En => (
            format!("Air quality in {}: {}", b.region.en, capitalise(&pname)),
            b.baseline_period
                .as_ref()
                .map(|p| format!("Compared with {}", period_name(p, lang)))
                .unwrap_or_default(),
        ),
    };
    let h = |zh: &str, en: &str| match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    };
    let mut sections = Vec::new();
    let mut overview: Vec<Block> = pollutant_table(b, lang, false).into_iter().collect();
    if let Some(p) = composite_paragraph(b, lang) {
        overview.push(Block::Paragraph(p));
    }
    if let Some(t) = pollutant_table(b, lang, true) {
        overview.push(Block::Paragraph(h(
            "与 24 小时平均浓度限值比较：",
            "Against the 24-hour limits:",
        )));
        overview.push(t);
    }
    sections.push(Section {
        heading: h("主要污染物浓度", "Pollutant concentrations"),
        blocks: overview,
    });
    sections.push(Section {
        heading: h("空气质量日历", "AQI calendar"),
        blocks: vec![Block::Chart {
            name: "calendar".into(),
            caption: h(
                "每日空气质量指数（AQI）类别，颜色为 HJ 633 规定的类别颜色",
                "Daily AQI by category, in the HJ 633 category colours",
            ),
        }],
    });
    sections.push(Section {
        heading: h("PM2.5 月均浓度同比", "Monthly PM2.5, this year and last"),
        blocks: vec![Block::Chart {
            name: "monthly".into(),
            caption: h(
                "各月 PM2.5 浓度（扣除沙尘）与上年同期比较",
                "Monthly PM2.5 (sand-dust deducted) against the same months a year earlier",
            ),
        }],
    });
    let mut districts = Vec::new();
    if let Some(t) = district_table(b, lang) {
        districts.push(Block::Chart {
            name: "map".into(),
            caption: h("各区 PM2.5 浓度", "PM2.5 by district"),
        });
        districts.push(t);
    }
    if !districts.is_empty() {
        sections.push(Section {
            heading: h("各区排名", "District ranking"),
            blocks: districts,
        });
    }
    sections.push(Section {
        heading: h("沙尘天气影响", "Sand and dust"),
        blocks: vec![Block::Paragraph(dust_paragraph(b, lang))],
    });
    let targets = target_paragraphs(b, lang);
    if !targets.is_empty() {
        sections.push(Section {
            heading: h("年度目标进展", "Progress toward the annual target"),
            blocks: targets.into_iter().map(Block::Paragraph).collect(),
        });
    }
    let mut trend = vec![Block::Paragraph(deweather_paragraph(b, lang))];
    if let Some(t) = &b.trend {
        trend.push(Block::Paragraph(match lang {
            Lang::Zh => format!(
                "{}至{} PM2.5 月均浓度（{}）的 Theil–Sen 趋势为每年{:+.2}{UG_ZH}（95%区间 {:+.2} 至 {:+.2}，每年{:+.1}%，p={:.3}）。",
                t.months.first().map(|m| format!("{}年{}月", m.0.year(), m.0.month())).unwrap_or_default(),
                t.months.last().map(|m| format!("{}年{}月", m.0.year(), m.0.month())).unwrap_or_default(),
                if t.deseasonalised { "已去季节" } else { "未去季节" },
                t.slope,
                t.slope_lower,
                t.slope_upper,
                t.slope_percent,
                t.p
            ),
            Lang::En => format!(
                "The Theil–Sen trend of monthly PM2.5 ({}) from {} to {} is {:+.2} {UG_EN} a year (95% interval {:+.2} to {:+.2}; {:+.1}% a year; p = {:.3}).",
                if t.deseasonalised { "deseasonalised" } else { "not deseasonalised" },
                t.months.first().map(|m| m.0.format("%b %Y").to_string()).unwrap_or_default(),
                t.months.last().map(|m| m.0.format("%b %Y").to_string()).unwrap_or_default(),
                t.slope,
                t.slope_lower,
                t.slope_upper,
                t.slope_percent,
                t.p
            ),
        }));
        trend.push(Block::Chart {
            name: "trend".into(),
            caption: h(
                "PM2.5 月均浓度及 Theil–Sen 趋势（阴影为斜率 95% 置信区间）",
                "Monthly PM2.5 with its Theil–Sen trend (shaded: 95% interval of the slope)",
            ),
        });
    }
    sections.push(Section {
        heading: h("趋势与气象影响", "Trend and weather"),
        blocks: trend,
    });
    sections.push(Section {
        heading: h("污染物变化特征", "How the pollutants varied"),
        blocks: vec![
            Block::Chart {
                name: "timeseries".into(),
                caption: h(
                    "PM2.5、PM10、NO2 日均浓度与 O3 日最大8小时平均浓度",
                    "Daily PM2.5, PM10 and NO2, and the daily maximum 8-h O3",
                ),
            },
            Block::Chart {
                name: "variation".into(),
                caption: h(
                    "日变化与周变化（均值及其 95% 区间）",
                    "By hour of day and day of week (means and their 95% intervals)",
                ),
            },
        ],
    });
    if let Some(w) = &b.water {
        sections.push(crate::water::section(w, lang));
    }
    if let Some(s) = &b.soil {
        sections.push(crate::soil::section(s, lang));
    }
    if let Some(c) = &b.climate {
        sections.push(crate::climate::section(c, lang));
    }
    let mut data = vec![Block::List(completeness_list(b, lang))];
    data.push(Block::Paragraph(standards_paragraph(b, lang)));
    sections.push(Section {
        heading: h("数据完整性与评价依据", "Data completeness and standards"),
        blocks: data,
    });
    Document {
        lang,
        title,
        subtitle,
        lead: lead(b, lang),
        sections,
        footer: match lang {
            Lang::Zh => format!(
                "本报告由蓝天（Lantian）依据监测数据自动生成；评价站点 {} 个。",
                b.current.stations.len()
            ),
            Lang::En => format!(
                "Written by Lantian from the monitoring data; {} assessment stations.",
                b.current.stations.len()
            ),
        },
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lantian_assess::change::change;

    #[test]
    fn period_names() {
        let n = |s: &str, l| period_name(&Period::parse(s).unwrap(), l);
        assert_eq!(n("2023", Lang::Zh), "2023年");
        assert_eq!(n("2023-H1", Lang::Zh), "2023年上半年");
        assert_eq!(n("2023-H1", Lang::En), "the first half of 2023");
        assert_eq!(n("2023-Q3", Lang::Zh), "2023年第三季度");
        assert_eq!(n("2023-05", Lang::En), "May 2023");
        assert_eq!(n("2024-YTD-05-31", Lang::Zh), "2024年1—5月");
        assert_eq!(n("2024-YTD-05-31", Lang::En), "January–May 2024");
        assert_eq!(n("2024-YTD-06-04", Lang::Zh), "2024年1月1日至6月4日");
        assert_eq!(n("2024-YTD-06-04", Lang::En), "1 January to 4 June 2024");
    }

    #[test]
    fn changes_as_bulletins_print_them() {
        let c = change(34.0, 37.0);
        assert_eq!(percent_change(&c, Lang::Zh, true), "同比下降8.1%");
        assert_eq!(percent_change(&c, Lang::En, true), "down 8.1% year on year");
        assert_eq!(signed_percent(Some(&c)), "−8.1%");
        let up = change(51.0, 50.0);
        assert_eq!(percent_change(&up, Lang::Zh, true), "同比上升2.0%");
        assert_eq!(
            percent_change(&change(5.0, 5.0), Lang::En, true),
            "unchanged year on year"
        );
        assert_eq!(days_change(3, Lang::Zh), "同比增加3天");
        assert_eq!(days_change(-2, Lang::En), "2 fewer than a year earlier");
        assert_eq!(conc("CO", Some(1.0)), "1.0");
        assert_eq!(conc("PM2.5", Some(34.0)), "34");
    }
}
