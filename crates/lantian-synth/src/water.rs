//! Surface-water monitoring, generated: Beijing's river network and a national network of
//! automatic stations, in China's automatic-station layout and as monthly grab samples.
//!
//! **A model, not data.** No Beijing section data could be obtained. The sections sit on the
//! real rivers, lakes and district boundaries (北运河, 温榆河, 清河, 凉水河, 永定河, 潮白河, 拒马河,
//! 密云水库 …) at approximate positions; their levels are chosen so the class mix is plausible for
//! the city (reservoirs and mountain rivers in classes I–III, the plain's rivers that carry
//! treated sewage in IV–V, a few 劣V). What the model has, and why:
//!
//! - **Levels**: each section has a pollution level 0–4 (about classes II, III, IV, V, 劣V);
//!   permanganate index, ammonia nitrogen and total phosphorus are log-normal around the level's
//!   values (σ 0.2 per reading, plus a slow weekly component), total nitrogen follows ammonia;
//! - **Seasons**: water temperature 2–28 °C (a cosine peaking late July); dissolved oxygen from
//!   its saturation at that temperature (less as the level rises); ammonia higher in winter
//!   (cold water nitrifies slowly), phosphorus higher in summer;
//! - **Storm flow**: four to six episodes from June to September, one to three days each, when
//!   first flush raises phosphorus (× 2–3), the permanganate index (× 1.5–2) and turbidity, and
//!   lowers oxygen;
//! - **Improvement**: concentrations fall 7 % a year (the plain's rivers were being cleaned), so a
//!   year-on-year comparison has something to find, and a test can check it is found;
//! - **Sensor faults**: maintenance of a day or two several times a year (status 维护, no values),
//!   one fault of 2–10 days (status 故障, values present and wrong), single missing cells (`--`),
//!   and now and then a negative phosphorus reading.
//!
//! Everything is a pure function of `(seed, section, time)`.

use crate::{SynthError, mix};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use lantian_water::{Item, Measurement, Section, WaterBody, WaterClass, item_class};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

/// (code, name, English name, body, basin-side river or lake, district, upstream, downstream,
/// inflow section, target, lat, lon, level)
type Row = (
    &'static str,
    &'static str,
    &'static str,
    WaterBody,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    WaterClass,
    f64,
    f64,
    u8,
);

use WaterBody::{Lake, River};
use WaterClass::{II, III, IV, V};

/// Beijing's sections (approximate positions; levels are the model's).
const BEIJING: &[Row] = &[
    (
        "BJ01",
        "密云水库",
        "Miyun Reservoir",
        Lake,
        "密云水库",
        "密云区",
        None,
        None,
        None,
        II,
        40.50,
        116.95,
        0,
    ),
    (
        "BJ02",
        "怀柔水库",
        "Huairou Reservoir",
        Lake,
        "怀柔水库",
        "怀柔区",
        None,
        None,
        None,
        II,
        40.32,
        116.60,
        0,
    ),
    (
        "BJ03",
        "官厅水库",
        "Guanting Reservoir",
        Lake,
        "官厅水库",
        "延庆区",
        None,
        None,
        None,
        IV,
        40.36,
        115.78,
        2,
    ),
    (
        "BJ04",
        "十三陵水库",
        "Ming Tombs Reservoir",
        Lake,
        "十三陵水库",
        "昌平区",
        None,
        None,
        None,
        III,
        40.25,
        116.26,
        1,
    ),
    (
        "BJ05",
        "金海湖",
        "Jinhai Lake",
        Lake,
        "金海湖",
        "平谷区",
        None,
        None,
        None,
        III,
        40.17,
        117.31,
        1,
    ),
    (
        "BJ06",
        "昆明湖",
        "Kunming Lake",
        Lake,
        "昆明湖",
        "海淀区",
        None,
        None,
        None,
        III,
        39.99,
        116.27,
        1,
    ),
    (
        "BJ07",
        "古北口",
        "Gubeikou",
        River,
        "潮河",
        "密云区",
        Some("河北省"),
        Some("密云区"),
        None,
        II,
        40.69,
        117.15,
        0,
    ),
    (
        "BJ08",
        "白河堡",
        "Baihebao",
        River,
        "白河",
        "延庆区",
        Some("延庆区"),
        Some("怀柔区"),
        None,
        II,
        40.62,
        116.13,
        0,
    ),
    (
        "BJ09",
        "苏庄",
        "Suzhuang",
        River,
        "潮白河",
        "顺义区",
        Some("怀柔区"),
        Some("顺义区"),
        None,
        III,
        40.30,
        116.73,
        1,
    ),
    (
        "BJ10",
        "河南村闸",
        "Henancun Sluice",
        River,
        "潮白河",
        "顺义区",
        Some("顺义区"),
        Some("通州区"),
        Some("BJ09"),
        III,
        40.05,
        116.78,
        1,
    ),
    (
        "BJ11",
        "吴村",
        "Wucun",
        River,
        "潮白河",
        "通州区",
        Some("通州区"),
        Some("河北省"),
        Some("BJ10"),
        IV,
        39.78,
        116.86,
        2,
    ),
    (
        "BJ12",
        "沙河闸",
        "Shahe Sluice",
        River,
        "温榆河",
        "昌平区",
        None,
        None,
        None,
        IV,
        40.13,
        116.28,
        2,
    ),
    (
        "BJ13",
        "鲁疃",
        "Lutuan",
        River,
        "温榆河",
        "顺义区",
        Some("昌平区"),
        Some("顺义区"),
        Some("BJ12"),
        IV,
        40.12,
        116.45,
        2,
    ),
    (
        "BJ14",
        "北关闸",
        "Beiguan Sluice",
        River,
        "温榆河",
        "通州区",
        Some("朝阳区"),
        Some("通州区"),
        Some("BJ13"),
        IV,
        39.92,
        116.66,
        3,
    ),
    (
        "BJ15",
        "榆林庄",
        "Yulinzhuang",
        River,
        "北运河",
        "通州区",
        Some("通州区"),
        Some("河北省"),
        Some("BJ14"),
        IV,
        39.76,
        116.75,
        3,
    ),
    (
        "BJ16",
        "清河闸",
        "Qinghe Sluice",
        River,
        "清河",
        "海淀区",
        Some("海淀区"),
        Some("朝阳区"),
        None,
        IV,
        40.03,
        116.35,
        2,
    ),
    (
        "BJ17",
        "沈家坟",
        "Shenjiafen",
        River,
        "清河",
        "朝阳区",
        Some("朝阳区"),
        Some("顺义区"),
        Some("BJ16"),
        IV,
        40.05,
        116.45,
        3,
    ),
    (
        "BJ18",
        "坝河口",
        "Bahe Mouth",
        River,
        "坝河",
        "朝阳区",
        None,
        None,
        None,
        V,
        39.99,
        116.55,
        3,
    ),
    (
        "BJ19",
        "高碑店",
        "Gaobeidian",
        River,
        "通惠河",
        "朝阳区",
        None,
        None,
        None,
        V,
        39.90,
        116.52,
        3,
    ),
    (
        "BJ20",
        "乐家花园",
        "Lejia Huayuan",
        River,
        "通惠河",
        "朝阳区",
        Some("朝阳区"),
        Some("通州区"),
        Some("BJ19"),
        V,
        39.90,
        116.62,
        4,
    ),
    (
        "BJ21",
        "大红门闸",
        "Dahongmen Sluice",
        River,
        "凉水河",
        "丰台区",
        Some("丰台区"),
        Some("朝阳区"),
        None,
        V,
        39.84,
        116.40,
        3,
    ),
    (
        "BJ22",
        "马驹桥",
        "Majuqiao",
        River,
        "凉水河",
        "大兴区",
        Some("大兴区"),
        Some("通州区"),
        Some("BJ21"),
        V,
        39.76,
        116.56,
        4,
    ),
    (
        "BJ23",
        "榆林庄南",
        "Yulinzhuang South",
        River,
        "凉水河",
        "通州区",
        Some("通州区"),
        Some("河北省"),
        Some("BJ22"),
        V,
        39.73,
        116.72,
        3,
    ),
    (
        "BJ24",
        "沿河城",
        "Yanhecheng",
        River,
        "永定河",
        "门头沟区",
        Some("河北省"),
        Some("门头沟区"),
        None,
        III,
        40.02,
        115.76,
        1,
    ),
    (
        "BJ25",
        "三家店",
        "Sanjiadian",
        River,
        "永定河",
        "门头沟区",
        Some("门头沟区"),
        Some("石景山区"),
        Some("BJ24"),
        III,
        39.96,
        116.10,
        1,
    ),
    (
        "BJ26",
        "卢沟桥",
        "Lugou Bridge",
        River,
        "永定河",
        "丰台区",
        Some("石景山区"),
        Some("丰台区"),
        Some("BJ25"),
        III,
        39.85,
        116.21,
        1,
    ),
    (
        "BJ27",
        "固安大桥",
        "Gu'an Bridge",
        River,
        "永定河",
        "大兴区",
        Some("大兴区"),
        Some("河北省"),
        Some("BJ26"),
        IV,
        39.48,
        116.30,
        2,
    ),
    (
        "BJ28",
        "张坊",
        "Zhangfang",
        River,
        "拒马河",
        "房山区",
        Some("河北省"),
        Some("房山区"),
        None,
        II,
        39.56,
        115.69,
        0,
    ),
    (
        "BJ29",
        "祖村",
        "Zucun",
        River,
        "大石河",
        "房山区",
        Some("房山区"),
        Some("河北省"),
        None,
        IV,
        39.60,
        116.05,
        2,
    ),
    (
        "BJ30",
        "妫水河入库口",
        "Guishui Inlet",
        River,
        "妫水河",
        "延庆区",
        None,
        None,
        None,
        III,
        40.44,
        115.90,
        1,
    ),
    (
        "BJ31",
        "东店",
        "Dongdian",
        River,
        "泃河",
        "平谷区",
        Some("平谷区"),
        Some("河北省"),
        None,
        III,
        40.13,
        117.20,
        1,
    ),
    (
        "BJ32",
        "龙河出境",
        "Longhe Outlet",
        River,
        "龙河",
        "大兴区",
        Some("大兴区"),
        Some("河北省"),
        None,
        V,
        39.50,
        116.50,
        4,
    ),
    (
        "BJ33",
        "南沙河",
        "Nanshahe",
        River,
        "南沙河",
        "海淀区",
        Some("海淀区"),
        Some("昌平区"),
        None,
        IV,
        40.10,
        116.22,
        2,
    ),
    (
        "BJ34",
        "萧太后河",
        "Xiaotaihou River",
        River,
        "萧太后河",
        "朝阳区",
        Some("朝阳区"),
        Some("通州区"),
        None,
        V,
        39.86,
        116.58,
        3,
    ),
    (
        "BJ35",
        "亮马河",
        "Liangma River",
        River,
        "亮马河",
        "朝阳区",
        None,
        None,
        None,
        IV,
        39.95,
        116.47,
        2,
    ),
    (
        "BJ36",
        "什刹海",
        "Shichahai",
        Lake,
        "什刹海",
        "西城区",
        None,
        None,
        None,
        III,
        39.94,
        116.39,
        1,
    ),
];

/// Beijing's sections, with the model's pollution level of each.
pub fn beijing_sections() -> Vec<(Section, u8)> {
    BEIJING
        .iter()
        .map(|r| {
            (
                Section {
                    code: r.0.into(),
                    name_zh: r.1.into(),
                    name_en: r.2.into(),
                    body: r.3,
                    province: "北京市".into(),
                    basin: "海河流域".into(),
                    water: r.4.into(),
                    district: r.5.into(),
                    upstream: r.6.map(Into::into),
                    downstream: r.7.map(Into::into),
                    inflow_section: r.8.map(Into::into),
                    target: Some(r.9),
                    lat: Some(r.10),
                    lon: Some(r.11),
                },
                r.12,
            )
        })
        .collect()
}

const PROVINCES: [&str; 31] = [
    "北京市",
    "天津市",
    "河北省",
    "山西省",
    "内蒙古自治区",
    "辽宁省",
    "吉林省",
    "黑龙江省",
    "上海市",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "广西壮族自治区",
    "海南省",
    "重庆市",
    "四川省",
    "贵州省",
    "云南省",
    "西藏自治区",
    "陕西省",
    "甘肃省",
    "青海省",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
];

const BASINS: [&str; 10] = [
    "长江流域",
    "黄河流域",
    "珠江流域",
    "松花江流域",
    "淮河流域",
    "海河流域",
    "辽河流域",
    "浙闽片河流",
    "西北诸河",
    "西南诸河",
];

/// A national network of `n` automatic stations over the 31 provinces and ten basins, with a
/// class mix near the national one of recent years (about nine in ten sections in I–III, one
/// in a hundred 劣V).
pub fn national_sections(n: usize, seed: u64) -> Vec<(Section, u8)> {
    (0..n)
        .map(|i| {
            let mut rng = ChaCha8Rng::seed_from_u64(mix(&[seed, 21, i as u64]));
            let u: f64 = rng.random();
            let level = match u {
                u if u < 0.35 => 0,
                u if u < 0.86 => 1,
                u if u < 0.95 => 2,
                u if u < 0.99 => 3,
                _ => 4,
            };
            let lake = rng.random::<f64>() < 0.1;
            let p = i % PROVINCES.len();
            (
                Section {
                    code: format!("N{i:04}"),
                    name_zh: format!(
                        "{}{:03}号断面",
                        PROVINCES[p].trim_end_matches(['省', '市']),
                        i
                    ),
                    name_en: format!("Section {i}"),
                    body: if lake { Lake } else { River },
                    province: PROVINCES[p].into(),
                    basin: BASINS[(i / 7) % BASINS.len()].into(),
                    water: format!("河流{}", i % 400),
                    district: String::new(),
                    upstream: None,
                    downstream: None,
                    inflow_section: None,
                    target: Some([II, III, III, IV, V][level as usize]),
                    lat: Some(18.0 + 35.0 * rng.random::<f64>()),
                    lon: Some(75.0 + 60.0 * rng.random::<f64>()),
                },
                level,
            )
        })
        .collect()
}

/// Per-level medians: permanganate index, ammonia nitrogen, total phosphorus (river), oxygen
/// deficit below saturation (mg/L).
const LEVELS: [[f64; 4]; 5] = [
    [2.6, 0.12, 0.04, 0.5],
    [4.2, 0.38, 0.12, 1.2],
    [5.7, 0.72, 0.19, 2.2],
    [7.6, 1.10, 0.27, 3.2],
    [10.5, 1.75, 0.38, 4.5],
];

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    StandardNormal.sample(rng)
}

/// What a section's year holds: storm days, maintenance and fault days.
struct YearPlan {
    storm: Vec<(u32, f64)>,
    maintenance: Vec<u32>,
    fault: Vec<u32>,
    weekly: Vec<f64>,
}

fn plan(seed: u64, idx: usize, year: i32) -> YearPlan {
    let mut rng = ChaCha8Rng::seed_from_u64(mix(&[seed, 22, idx as u64, year as u64]));
    let mut storm = Vec::new();
    for _ in 0..rng.random_range(4..=6) {
        let start = rng.random_range(152..=262u32);
        let strength = rng.random_range(2.0..3.0);
        for d in 0..rng.random_range(1..=3u32) {
            storm.push((start + d, strength));
        }
    }
    let mut maintenance = Vec::new();
    for _ in 0..rng.random_range(3..=5) {
        let start = rng.random_range(1..=360u32);
        for d in 0..rng.random_range(1..=2u32) {
            maintenance.push(start + d);
        }
    }
    let fault_start = rng.random_range(1..=355u32);
    let fault = (fault_start..fault_start + rng.random_range(2..=10u32)).collect();
    let weekly = (0..54).map(|_| 0.12 * normal(&mut rng)).collect();
    YearPlan {
        storm,
        maintenance,
        fault,
        weekly,
    }
}

/// Saturation of dissolved oxygen in fresh water at `t` °C (mg/L; the APHA polynomial's
/// shape, close enough for a model).
fn do_saturation(t: f64) -> f64 {
    14.62 - 0.3898 * t + 0.006969 * t * t - 0.00005897 * t * t * t
}

/// One automatic reading: temperature, pH, DO, conductivity, turbidity, CODMn, NH3-N, TP, TN,
/// chlorophyll-a, algal density.
#[derive(Debug, Clone, Copy)]
struct AutoValues([f64; 11]);

fn reading(
    rng: &mut ChaCha8Rng,
    section: &Section,
    level: u8,
    p: &YearPlan,
    at: NaiveDateTime,
) -> AutoValues {
    let doy = at.ordinal();
    let hour = at.hour_f();
    let year_factor = 0.93f64.powi(at.year() - 2020);
    let season = (2.0 * std::f64::consts::PI * (f64::from(doy) - 205.0) / 365.25).cos();
    let temp = 15.0
        + 12.5 * season
        + 1.2 * ((hour - 15.0) / 24.0 * std::f64::consts::TAU).cos()
        + 0.5 * normal(rng);
    let temp = temp.max(0.2);
    let storm = p
        .storm
        .iter()
        .find(|(d, _)| *d == doy)
        .map_or(1.0, |(_, s)| *s);
    let week = p.weekly[(doy as usize / 7).min(53)];
    let l = LEVELS[level as usize];
    let ln = |rng: &mut ChaCha8Rng, sd: f64| (sd * normal(rng) + week).exp();
    let codmn = l[0] * year_factor * ln(rng, 0.18) * (1.0 + (storm - 1.0) * 0.5);
    let nh3 = l[1] * year_factor * ln(rng, 0.22) * (1.0 - 0.35 * season);
    let lake_tp = if section.body == Lake { 0.35 } else { 1.0 };
    let tp = l[2] * lake_tp * year_factor * ln(rng, 0.2) * (1.0 + 0.2 * season) * storm;
    let tn = (nh3 * 2.2 + 1.0 + 0.3 * level as f64) * ln(rng, 0.1);
    let diurnal = 0.6 * ((hour - 14.0) / 24.0 * std::f64::consts::TAU).cos();
    let dox =
        (do_saturation(temp) - l[3] - (storm - 1.0) * 1.2 + diurnal + 0.4 * normal(rng)).max(0.3);
    let ph = 7.9 + 0.25 * normal(rng) + if level == 0 { 0.2 } else { 0.0 };
    let cond = 350.0 + 120.0 * level as f64 + 30.0 * normal(rng);
    let turb = (6.0 + 3.0 * level as f64) * ln(rng, 0.3) * storm * storm;
    let chla = if section.body == Lake {
        0.004 * (1.0 + season) * ln(rng, 0.4) * (1.0 + level as f64)
    } else {
        0.002 * ln(rng, 0.4)
    };
    let algae = chla * 4.0e8 * ln(rng, 0.2);
    AutoValues([temp, ph, dox, cond, turb, codmn, nh3, tp, tn, chla, algae])
}

trait HourF {
    fn hour_f(&self) -> f64;
}

impl HourF for NaiveDateTime {
    fn hour_f(&self) -> f64 {
        use chrono::Timelike;
        f64::from(self.hour()) + f64::from(self.minute()) / 60.0
    }
}

/// The published class of one reading: the worst of pH, DO, CODMn, NH3-N and TP.
fn published_class(v: &AutoValues, body: WaterBody) -> WaterClass {
    [
        (Item::Ph, v.0[1]),
        (Item::DissolvedOxygen, v.0[2]),
        (Item::PermanganateIndex, v.0[5]),
        (Item::AmmoniaNitrogen, v.0[6]),
        (Item::TotalPhosphorus, v.0[7]),
    ]
    .iter()
    .filter_map(|&(i, x)| item_class(i, Measurement::Value(x), body).ok().flatten())
    .max()
    .unwrap_or(WaterClass::I)
}

/// Append one section's year of automatic rows (every 4 hours) to `out`.
pub fn auto_rows(seed: u64, idx: usize, section: &Section, level: u8, year: i32, out: &mut String) {
    let p = plan(seed, idx, year);
    let mut rng = ChaCha8Rng::seed_from_u64(mix(&[seed, 23, idx as u64, year as u64]));
    let mut day = NaiveDate::from_ymd_opt(year, 1, 1).expect("a valid year");
    while day.year() == year {
        let doy = day.ordinal();
        for h in [0u32, 4, 8, 12, 16, 20] {
            let at = day.and_hms_opt(h, 0, 0).expect("a valid hour");
            let mut v = reading(&mut rng, section, level, &p, at);
            let maintenance = p.maintenance.contains(&doy);
            let fault = p.fault.contains(&doy);
            if fault {
                // A drifting sensor: oxygen stuck low, ammonia reading high.
                v.0[2] = 0.8 + 0.1 * normal(&mut rng);
                v.0[6] *= 4.0;
            }
            let _ = write!(
                out,
                "{},{},{},{},",
                section.province,
                section.basin,
                section.name_zh,
                at.format("%Y-%m-%d %H:%M")
            );
            if maintenance {
                out.push_str("--,--,--,--,--,--,--,--,--,--,--,--,维护\n");
                continue;
            }
            let class = published_class(&v, section.body);
            let _ = write!(out, "{},", class.name_zh().trim_end_matches('类'));
            let digits = [1, 2, 2, 1, 1, 1, 2, 3, 2, 4, 0];
            for (k, x) in v.0.iter().enumerate() {
                let missing = rng.random::<f64>() < 0.01;
                if missing {
                    out.push_str("--,");
                } else if k == 7 && rng.random::<f64>() < 0.0005 {
                    out.push_str("-0.010,");
                } else if k == 10 {
                    let _ = write!(out, "{:.3e},", x);
                } else {
                    let _ = write!(out, "{:.*},", digits[k], x);
                }
            }
            out.push_str(if fault { "故障\n" } else { "正常\n" });
        }
        day = day.succ_opt().expect("a next day");
    }
}

/// Append one section's monthly grab samples of a year (every Table 1 item; metals often
/// below their detection limits, some in µg/L as laboratories report them).
pub fn grab_rows(seed: u64, idx: usize, section: &Section, level: u8, year: i32, out: &mut String) {
    let mut rng = ChaCha8Rng::seed_from_u64(mix(&[seed, 24, idx as u64, year as u64]));
    let p = plan(seed, idx, year);
    for month in 1..=12u32 {
        let day =
            NaiveDate::from_ymd_opt(year, month, rng.random_range(8..=20)).expect("a valid date");
        let at = day.and_hms_opt(10, 0, 0).expect("a valid hour");
        let v = reading(&mut rng, section, level, &p, at);
        let t = at.format("%Y-%m-%d %H:%M");
        let lvl = f64::from(level);
        let mut row = |item: &str, value: String, unit: &str| {
            let _ = writeln!(out, "{},{t},{item},{value},{unit},", section.code);
        };
        row("water.temp", format!("{:.1}", v.0[0]), "degC");
        row("water.pH", format!("{:.2}", v.0[1]), "pH");
        row("water.DO", format!("{:.2}", v.0[2]), "mg/L");
        row("water.CODMn", format!("{:.1}", v.0[5]), "mg/L");
        row(
            "water.COD",
            format!("{:.0}", (v.0[5] * 3.2).max(4.0)),
            "mg/L",
        );
        row(
            "water.BOD5",
            format!("{:.1}", (v.0[5] * 0.55).max(0.5)),
            "mg/L",
        );
        row("water.NH3-N", format!("{:.3}", v.0[6]), "mg/L");
        row("water.TP", format!("{:.3}", v.0[7].max(0.005)), "mg/L");
        row("water.TN", format!("{:.2}", v.0[8]), "mg/L");
        let mut maybe =
            |rng: &mut ChaCha8Rng, item: &str, dl: f64, typical: f64, unit: &str, k: f64| {
                let x = typical * (1.0 + 0.5 * lvl) * (0.4 * normal(rng)).exp();
                let value = if x < dl {
                    format!("<{}", dl * k)
                } else {
                    format!("{:.5}", x * k)
                        .trim_end_matches('0')
                        .trim_end_matches('.')
                        .to_string()
                };
                row(item, value, unit);
            };
        maybe(&mut rng, "water.Cu", 0.001, 0.002, "mg/L", 1.0);
        maybe(&mut rng, "water.Zn", 0.005, 0.01, "mg/L", 1.0);
        maybe(&mut rng, "water.F", 0.05, 0.35, "mg/L", 1.0);
        maybe(&mut rng, "water.Se", 0.0004, 0.0003, "mg/L", 1.0);
        maybe(&mut rng, "water.As", 0.0003, 0.0012, "ug/L", 1000.0);
        maybe(&mut rng, "water.Hg", 0.00004, 0.00002, "mg/L", 1.0);
        maybe(&mut rng, "water.Cd", 0.0005, 0.0003, "ug/L", 1000.0);
        maybe(&mut rng, "water.Cr6+", 0.004, 0.002, "mg/L", 1.0);
        maybe(&mut rng, "water.Pb", 0.0025, 0.0015, "ug/L", 1000.0);
        maybe(&mut rng, "water.CN", 0.004, 0.001, "mg/L", 1.0);
        maybe(&mut rng, "water.phenol", 0.0003, 0.0004, "mg/L", 1.0);
        maybe(&mut rng, "water.oil", 0.01, 0.012, "mg/L", 1.0);
        maybe(&mut rng, "water.LAS", 0.05, 0.04, "mg/L", 1.0);
        maybe(&mut rng, "water.S2-", 0.005, 0.004, "mg/L", 1.0);
        let fc = 800.0 * (1.0 + 2.0 * lvl * lvl) * (0.6 * normal(&mut rng)).exp();
        row("water.FC", format!("{:.0}", fc), "count/L");
    }
}

/// What [`generate_beijing`] and [`generate_national`] wrote.
#[derive(Debug, Clone, Default)]
pub struct WaterSummary {
    pub sections: usize,
    pub files: Vec<String>,
    pub auto_rows: u64,
    pub grab_rows: u64,
}

fn write_file(path: &Path, text: &str) -> Result<(), SynthError> {
    let io = |e: std::io::Error| SynthError::Io {
        path: path.display().to_string(),
        source: e,
    };
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).map_err(io)?);
    f.write_all(text.as_bytes()).map_err(io)?;
    f.flush().map_err(io)
}

/// Beijing's sections for `years`: `sections.csv`, `auto_<year>.csv` (automatic layout) and
/// `grab_<year>.csv` (monthly grab samples) in `dir`.
pub fn generate_beijing(dir: &Path, years: &[i32], seed: u64) -> Result<WaterSummary, SynthError> {
    let io = |e: std::io::Error| SynthError::Io {
        path: dir.display().to_string(),
        source: e,
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let secs = beijing_sections();
    let mut sum = WaterSummary {
        sections: secs.len(),
        ..Default::default()
    };
    let plain: Vec<Section> = secs.iter().map(|(s, _)| s.clone()).collect();
    write_file(
        &dir.join("sections.csv"),
        &lantian_ingest::water::sections::write_sections(&plain),
    )?;
    sum.files.push("sections.csv".into());
    for &year in years {
        let mut auto = String::from(lantian_ingest::water::auto::HEADER);
        auto.push('\n');
        let mut grab = String::from(lantian_ingest::water::grab::HEADER);
        grab.push('\n');
        for (i, (s, level)) in secs.iter().enumerate() {
            auto_rows(seed, i, s, *level, year, &mut auto);
            grab_rows(seed, i, s, *level, year, &mut grab);
        }
        sum.auto_rows += auto.lines().count() as u64 - 1;
        sum.grab_rows += grab.lines().count() as u64 - 1;
        let (a, g) = (format!("auto_{year}.csv"), format!("grab_{year}.csv"));
        write_file(&dir.join(&a), &auto)?;
        write_file(&dir.join(&g), &grab)?;
        sum.files.extend([a, g]);
    }
    Ok(sum)
}

/// A national network of `n` automatic stations for `year`: `sections.csv` and one automatic
/// file per province, `auto_<year>_<NN>.csv`, written in parallel.
pub fn generate_national(
    dir: &Path,
    n: usize,
    year: i32,
    seed: u64,
) -> Result<WaterSummary, SynthError> {
    use rayon::prelude::*;
    let io = |e: std::io::Error| SynthError::Io {
        path: dir.display().to_string(),
        source: e,
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let secs = national_sections(n, seed);
    let plain: Vec<Section> = secs.iter().map(|(s, _)| s.clone()).collect();
    write_file(
        &dir.join("sections.csv"),
        &lantian_ingest::water::sections::write_sections(&plain),
    )?;
    let results: Vec<Result<(String, u64), SynthError>> = (0..PROVINCES.len())
        .into_par_iter()
        .map(|p| {
            let mut text = String::from(lantian_ingest::water::auto::HEADER);
            text.push('\n');
            for (i, (s, level)) in secs
                .iter()
                .enumerate()
                .filter(|(i, _)| i % PROVINCES.len() == p)
            {
                auto_rows(seed, i, s, *level, year, &mut text);
            }
            let name = format!("auto_{year}_{p:02}.csv");
            let rows = text.lines().count() as u64 - 1;
            write_file(&dir.join(&name), &text)?;
            Ok((name, rows))
        })
        .collect();
    let mut sum = WaterSummary {
        sections: n,
        files: vec!["sections.csv".into()],
        ..Default::default()
    };
    for r in results {
        let (name, rows) = r?;
        sum.files.push(name);
        sum.auto_rows += rows;
    }
    Ok(sum)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_bytes_and_the_layout_reads_back() {
        let (s, level) = &beijing_sections()[13];
        let mut a = String::from(lantian_ingest::water::auto::HEADER);
        a.push('\n');
        auto_rows(7, 13, s, *level, 2024, &mut a);
        let mut b = String::from(lantian_ingest::water::auto::HEADER);
        b.push('\n');
        auto_rows(7, 13, s, *level, 2024, &mut b);
        assert_eq!(a, b);
        // 366 days × 6 readings.
        assert_eq!(a.lines().count(), 1 + 366 * 6);
        let read = lantian_ingest::water::auto::read_auto("a.csv", &a);
        assert_eq!(read.rows, 366 * 6);
        // The only problems are the negative phosphorus readings the model writes.
        assert!(
            read.problems
                .iter()
                .all(|p| p.message.starts_with("impossible") && p.value == "-0.010"),
            "{:?}",
            read.problems.first()
        );
        let mut g = String::from(lantian_ingest::water::grab::HEADER);
        g.push('\n');
        grab_rows(7, 13, s, *level, 2024, &mut g);
        let read = lantian_ingest::water::grab::read_grab("g.csv", &g);
        assert_eq!(read.readings.len(), 12 * 24);
        assert!(read.problems.is_empty(), "{:?}", read.problems.first());
    }

    #[test]
    fn beijing_sections_are_a_network() {
        let secs = beijing_sections();
        assert!(secs.len() >= 30);
        for (s, _) in &secs {
            if let Some(inflow) = &s.inflow_section {
                assert!(secs.iter().any(|(x, _)| &x.code == inflow), "{inflow}");
            }
        }
        for river in [
            "北运河",
            "温榆河",
            "清河",
            "凉水河",
            "永定河",
            "潮白河",
            "拒马河",
            "密云水库",
        ] {
            assert!(secs.iter().any(|(s, _)| s.water == river), "{river}");
        }
    }
}
