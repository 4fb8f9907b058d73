//! The bulletin's figures: everything a report or a chart shows, computed here (by the engine's
//! functions) and only placed by the renderers. Nothing in [`crate::text`], [`crate::charts`] or
//! [`crate::render`] does arithmetic on a figure; they format what is here.
//!
//! A [`Bulletin`] is serialisable: `lantian report --format json` writes it, and the tests
//! compare every number a rendered report shows with it and with `lantian assess`.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use lantian_aqi::Standard;
use lantian_assess::area::{AreaAssessment, AreaComparison};
use lantian_assess::change::{Change, change};
use lantian_assess::days::{DayPractice, counted_aqi};
use lantian_assess::dust::DustSource;
use lantian_assess::period::Period;
use lantian_assess::ranking::rank;
use lantian_assess::stats::{DayValues, period_stats_with_dust};

/// A region's names.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegionName {
    pub code: String,
    pub zh: String,
    pub en: String,
}

/// The sand-dust days of the period and of the baseline.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DustNote {
    /// `None`: no deduction was asked for.
    pub source: Option<DustSource>,
    pub days: Vec<NaiveDate>,
    pub baseline_days: Vec<NaiveDate>,
}

/// One district (or station) of the ranking.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DistrictFigure {
    pub name_zh: String,
    pub name_en: String,
    pub stations: usize,
    /// Published PM2.5 (sand-dust deducted).
    pub pm25: Option<f64>,
    pub pm25_valid_days: usize,
    pub pm25_days: usize,
    pub pm25_rule_met: bool,
    pub baseline_pm25: Option<f64>,
    pub pm25_change: Option<Change>,
    pub composite: Option<f64>,
    pub excellent_or_good: usize,
    pub valid_days: usize,
    /// Competition ranks (1 = cleanest / most improved).
    pub rank_pm25: Option<usize>,
    pub rank_composite: Option<usize>,
    pub rank_improvement: Option<usize>,
}

/// Rank districts (current and optional baseline assessment each) as `lantian assess --by
/// district` does: by published PM2.5, by composite index, by PM2.5 change. Sorted by the PM2.5
/// rank, then name.
/// A district's Chinese and English names, its assessment and its baseline's.
pub type DistrictRow = (String, String, AreaAssessment, Option<AreaAssessment>);

pub fn district_figures(rows: &[DistrictRow]) -> Vec<DistrictFigure> {
    let pm = |a: &AreaAssessment| a.stats.headline("PM2.5").and_then(|s| s.published);
    let improvement = |cur: &AreaAssessment, base: &Option<AreaAssessment>| match (
        pm(cur),
        base.as_ref().and_then(pm),
    ) {
        (Some(x), Some(y)) => Some(change(x, y)),
        _ => None,
    };
    let ranks = |f: &dyn Fn(&DistrictRow) -> Option<f64>| {
        rank(&rows.iter().map(|r| (r.0.clone(), f(r))).collect::<Vec<_>>())
            .into_iter()
            .map(|r| (r.name, r.rank))
            .collect::<BTreeMap<_, _>>()
    };
    let by_pm = ranks(&|r| pm(&r.2));
    let by_ci = ranks(&|r| r.2.composite.as_ref().map(|c| c.published));
    let by_impr = ranks(&|r| improvement(&r.2, &r.3).and_then(|c| c.percent));
    let mut out: Vec<DistrictFigure> = rows
        .iter()
        .map(|(zh, en, cur, base)| {
            let s = cur.stats.headline("PM2.5");
            DistrictFigure {
                name_zh: zh.clone(),
                name_en: en.clone(),
                stations: cur.stations.len(),
                pm25: pm(cur),
                pm25_valid_days: s.map(|s| s.completeness.valid).unwrap_or(0),
                pm25_days: s.map(|s| s.completeness.expected).unwrap_or(0),
                pm25_rule_met: s.is_some_and(|s| s.completeness.meets_rule),
                baseline_pm25: base.as_ref().and_then(pm),
                pm25_change: improvement(cur, base),
                composite: cur.composite.as_ref().map(|c| c.published),
                excellent_or_good: cur.days.excellent_or_good,
                valid_days: cur.days.valid,
                rank_pm25: by_pm[zh],
                rank_composite: by_ci[zh],
                rank_improvement: by_impr[zh],
            }
        })
        .collect();
    out.sort_by(|a, b| {
        (a.rank_pm25.unwrap_or(usize::MAX), &a.name_zh)
            .cmp(&(b.rank_pm25.unwrap_or(usize::MAX), &b.name_zh))
    });
    out
}

/// One day of the AQI calendar.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarDay {
    pub date: NaiveDate,
    /// Daily AQI; `None` when the day has no valid AQI (or it is published as NA).
    pub aqi: Option<i32>,
    /// HJ 633 category level 1 (优) ..= 6 (严重污染).
    pub level: Option<u8>,
    /// Primary pollutant(s) as published ("PM2.5", "O3_8h").
    pub primary: String,
    /// The edition that rated the day.
    pub standard: String,
}

/// The daily AQI of every day of `period` (one entry per day, in order), rated as the day
/// counts are (`standard`, or the edition in force on each date).
pub fn calendar(
    period: &Period,
    daily: &BTreeMap<NaiveDate, DayValues>,
    standard: Option<Standard>,
    practice: DayPractice,
) -> Result<Vec<CalendarDay>, lantian_aqi::AqiError> {
    period
        .dates()
        .map(|date| {
            let s = standard.unwrap_or_else(|| Standard::china_for_date(date));
            // The days as the day counts count them: a day the practice leaves out is blank.
            let (aqi, r) = match daily.get(&date) {
                Some(v) => {
                    let (aqi, r) = counted_aqi(s, practice, v)?;
                    (aqi, aqi.map(|_| r))
                }
                None => (None, None),
            };
            Ok(CalendarDay {
                date,
                aqi,
                level: aqi.map(|a| s.category(a).level),
                primary: r.map(|r| r.primary_names()).unwrap_or_default(),
                standard: s.id().to_string(),
            })
        })
        .collect()
}

/// One month of the "this year against last year" chart.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthPair {
    pub month: u32,
    /// Published PM2.5 of the month (sand-dust deducted), this period's year.
    pub current: Option<f64>,
    pub current_valid_days: usize,
    pub baseline: Option<f64>,
    pub baseline_valid_days: usize,
    pub change: Option<Change>,
}

/// Monthly published PM2.5 of the months of `period` against the same months of `baseline`
/// (HJ 663 monthly means; a month counts only its days inside the period).
pub fn monthly_pm25(
    period: &Period,
    daily: &BTreeMap<NaiveDate, DayValues>,
    dust: &BTreeSet<NaiveDate>,
    baseline: Option<(
        &Period,
        &BTreeMap<NaiveDate, DayValues>,
        &BTreeSet<NaiveDate>,
    )>,
) -> Vec<MonthPair> {
    let month_of = |p: &Period, m: u32| -> Option<Period> {
        let first = NaiveDate::from_ymd_opt(p.first.year(), m, 1)?.max(p.first);
        let next = if m == 12 {
            NaiveDate::from_ymd_opt(p.first.year() + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(p.first.year(), m + 1, 1)?
        };
        let last = next.pred_opt()?.min(p.last);
        Period::range(first, last)
    };
    let stat = |p: &Period, d: &BTreeMap<NaiveDate, DayValues>, dust: &BTreeSet<NaiveDate>| {
        let s = period_stats_with_dust(p, d, dust);
        let h = s.headline("PM2.5").cloned();
        (
            h.as_ref().and_then(|h| h.published),
            h.map(|h| h.completeness.valid).unwrap_or(0),
        )
    };
    // Months of the period (a period within one calendar year, or the first year of a range).
    let months: Vec<u32> = period
        .dates()
        .filter(|d| d.year() == period.first.year())
        .map(|d| d.month())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    months
        .into_iter()
        .filter_map(|m| {
            let p = month_of(period, m)?;
            let (current, current_valid_days) = stat(&p, daily, dust);
            let (baseline, baseline_valid_days) = match baseline {
                Some((bp, bd, bdust)) => match month_of(bp, m) {
                    Some(q) => stat(&q, bd, bdust),
                    None => (None, 0),
                },
                None => (None, 0),
            };
            Some(MonthPair {
                month: m,
                current,
                current_valid_days,
                baseline,
                baseline_valid_days,
                change: match (current, baseline) {
                    (Some(x), Some(y)) => Some(change(x, y)),
                    _ => None,
                },
            })
        })
        .collect()
}

/// A daily series of one pollutant (for the time-series chart).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DailySeries {
    pub pollutant: &'static str,
    pub unit: &'static str,
    pub values: Vec<(NaiveDate, Option<f64>)>,
}

/// The daily values of PM2.5, PM10, NO2 and O3 (MDA8) over `period`.
pub fn daily_series(period: &Period, daily: &BTreeMap<NaiveDate, DayValues>) -> Vec<DailySeries> {
    type Pick = fn(&DayValues) -> Option<f64>;
    let pick: [(&'static str, Pick); 4] = [
        ("PM2.5", |v| v.pm25),
        ("PM10", |v| v.pm10),
        ("NO2", |v| v.no2),
        ("O3_8h", |v| v.o3_mda8),
    ];
    pick.iter()
        .map(|(p, f)| DailySeries {
            pollutant: p,
            unit: "µg/m³",
            values: period
                .dates()
                .map(|d| (d, daily.get(&d).and_then(f)))
                .collect(),
        })
        .collect()
}

/// Progress toward an annual target (lantian-assess's arithmetic).
pub use lantian_assess::target::TargetProgress;

/// Where a target came from.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TargetSource {
    /// Given by the user (`--target`).
    Given,
    /// None was given: the GB 3095 Grade II annual limit of PM2.5 (35 µg/m³), i.e. attainment.
    Gb3095GradeII,
}

/// The weather-normalised change between the baseline and the period (lantian-deweather's
/// attribution), when weather data were given.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deweathered {
    pub pollutant: String,
    /// Observed means of the two periods (µg/m³).
    pub observed_baseline: f64,
    pub observed_current: f64,
    /// Emission-driven (normalised) change in percent of the baseline mean, with its interval.
    pub emission_percent: f64,
    pub emission_percent_lower: f64,
    pub emission_percent_upper: f64,
    /// Weather-driven part, percent points.
    pub weather_percent: f64,
    pub weather_percent_lower: f64,
    pub weather_percent_upper: f64,
    /// Observed change, percent.
    pub observed_percent: f64,
    pub model_r2: f64,
    pub weather_source: String,
}

/// A monthly series with its Theil–Sen trend (openair's `TheilSen`), for the trend chart.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrendFigure {
    pub pollutant: String,
    /// (first day of month, mean as fitted: deseasonalised when `deseasonalised`).
    pub months: Vec<(NaiveDate, Option<f64>)>,
    pub deseasonalised: bool,
    /// µg/m³ a year, with the bootstrap interval.
    pub slope: f64,
    pub slope_lower: f64,
    pub slope_upper: f64,
    pub slope_percent: f64,
    pub p: f64,
    pub stars: String,
    /// The line and its band at the first and last month, drawn as openair does: the three lines
    /// meet at the middle of the series.
    pub line: [(NaiveDate, f64); 2],
    pub band_lower: [(NaiveDate, f64); 2],
    pub band_upper: [(NaiveDate, f64); 2],
}

/// The trend as drawn: the fitted monthly values, the line, and the band between the lines of
/// the slope's bounds, all three through the line's value at the middle of the series (as
/// openair draws its dashed interval lines).
impl TrendFigure {
    pub fn of(
        pollutant: &str,
        t: &lantian_trend::trend::Trend,
        months: &[lantian_trend::trend::Month],
    ) -> TrendFigure {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch");
        let x = |d: NaiveDate| (d - epoch).num_days() as f64 / 365.0;
        let (a, b) = (t.first_month, t.last_month);
        let line = |d: NaiveDate| t.intercept + t.slope * x(d);
        let mid = x(a) + (x(b) - x(a)) / 2.0;
        let at_mid = t.intercept + t.slope * mid;
        let bound = |slope: f64, d: NaiveDate| at_mid + slope * (x(d) - mid);
        // The values fitted: deseasonalised when the trend was.
        let fitted: Vec<(NaiveDate, Option<f64>)> = if t.fitted.is_empty() {
            months.iter().map(|m| (m.first_day, m.mean)).collect()
        } else {
            t.fitted.iter().map(|(d, v)| (*d, Some(*v))).collect()
        };
        TrendFigure {
            pollutant: pollutant.to_string(),
            months: fitted,
            deseasonalised: t.deseasonalised,
            slope: t.slope,
            slope_lower: t.slope_lower,
            slope_upper: t.slope_upper,
            slope_percent: t.slope_percent,
            p: t.p,
            stars: t.stars.to_string(),
            line: [(a, line(a)), (b, line(b))],
            band_lower: [(a, bound(t.slope_lower, a)), (b, bound(t.slope_lower, b))],
            band_upper: [(a, bound(t.slope_upper, a)), (b, bound(t.slope_upper, b))],
        }
    }
}

/// Mean by hour of day and by day of week (openair's `timeVariation`).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VariationFigure {
    pub pollutants: Vec<lantian_trend::variation::TimeVariation>,
}

/// Which standards the bulletin used.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Standards {
    /// AQI editions that rated days of the period (ids, e.g. "hj633-2012").
    pub aqi: Vec<String>,
    /// The limits of compliance and the composite index ("GB 3095—2012").
    pub limits: String,
}

/// Everything a bulletin shows.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Bulletin {
    pub region: RegionName,
    pub period: Period,
    pub baseline_period: Option<Period>,
    pub current: AreaAssessment,
    pub baseline: Option<AreaAssessment>,
    pub comparison: Option<AreaComparison>,
    pub dust: DustNote,
    pub districts: Vec<DistrictFigure>,
    pub targets: Vec<TargetProgress>,
    pub target_source: TargetSource,
    pub deweathered: Option<Deweathered>,
    /// Why there is no weather-normalised change, when there is none.
    pub deweathered_absent: Option<String>,
    pub calendar: Vec<CalendarDay>,
    pub monthly: Vec<MonthPair>,
    pub daily: Vec<DailySeries>,
    pub variation: VariationFigure,
    pub trend: Option<TrendFigure>,
    pub standards: Standards,
    /// Last date with any data in the period (a bulletin "截至").
    pub data_through: Option<NaiveDate>,
    /// The water section's figures, when the bulletin was given sections and readings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub water: Option<crate::water::WaterFigures>,
    /// The soil section's figures, when the bulletin was given soil samples.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub soil: Option<crate::soil::SoilFigures>,
    /// The climate section's figures, when the bulletin was given a market's books.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub climate: Option<crate::climate::ClimateFigures>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use lantian_assess::area::assess_area;
    use lantian_assess::composite::GB3095_2012;

    fn day(pm25: f64) -> DayValues {
        DayValues {
            so2: Some(3.0),
            no2: Some(30.0),
            co: Some(0.6),
            pm10: Some(pm25 * 1.2),
            pm25: Some(pm25),
            o3_mda8: Some(90.0),
            o3_max_1h: Some(110.0),
        }
    }

    /// 2023: PM2.5 = day of month × 5 µg/m³ (5 .. 155), every day present except 2023-02-10.
    fn year() -> BTreeMap<NaiveDate, DayValues> {
        Period::parse("2023")
            .unwrap()
            .dates()
            .filter(|d| *d != NaiveDate::from_ymd_opt(2023, 2, 10).unwrap())
            .map(|d| (d, day(d.day() as f64 * 5.0)))
            .collect()
    }

    #[test]
    fn calendar_has_one_cell_per_day_in_the_right_class() {
        let p = Period::parse("2023").unwrap();
        let daily = year();
        let cal = calendar(&p, &daily, None, DayPractice::Standard).unwrap();
        assert_eq!(cal.len(), 365);
        assert_eq!(cal[0].date, p.first);
        assert_eq!(cal[364].date, p.last);
        // 2023-02-10 has no data: no AQI, no class.
        let gap = &cal[31 + 9];
        assert_eq!(gap.date, NaiveDate::from_ymd_opt(2023, 2, 10).unwrap());
        assert_eq!((gap.aqi, gap.level), (None, None));
        // PM2.5 35 (7th): IAQI 50 → 优 (level 1); 40 (8th) → IAQI 57 良; 75 (15th) → 100 良;
        // 80 (16th) → 107 轻度; 150 (30th) → 200 中度; 155 (31st) → 205 重度. PM2.5 rules every
        // day above 50 (PM10 = 1.2 × PM2.5 has the lower IAQI).
        let at = |m, d| {
            cal.iter()
                .find(|c| c.date == NaiveDate::from_ymd_opt(2023, m, d).unwrap())
                .unwrap()
        };
        assert_eq!((at(1, 7).aqi, at(1, 7).level), (Some(50), Some(1)));
        assert_eq!(at(1, 7).primary, "");
        assert_eq!((at(1, 8).aqi, at(1, 8).level), (Some(57), Some(2)));
        assert_eq!((at(1, 15).aqi, at(1, 15).level), (Some(100), Some(2)));
        assert_eq!((at(1, 16).aqi, at(1, 16).level), (Some(107), Some(3)));
        assert_eq!((at(1, 30).aqi, at(1, 30).level), (Some(200), Some(4)));
        assert_eq!((at(1, 31).aqi, at(1, 31).level), (Some(205), Some(5)));
        assert_eq!(at(1, 31).primary, "PM2.5");
        // The calendar counts what the assessment counts.
        let a = assess_area(&p, vec![], &daily, &BTreeSet::new(), None, &GB3095_2012).unwrap();
        for level in 1..=6u8 {
            let n = cal.iter().filter(|c| c.level == Some(level)).count();
            assert_eq!(n, a.days.by_level[level as usize - 1], "level {level}");
        }
    }

    #[test]
    fn the_calendar_leaves_out_the_days_the_day_rule_does_not_count() {
        let p = Period::parse("2023-01").unwrap();
        let mut daily = year();
        // 01-07 loses its PM: rated on the gases it is 优 (O3 MDA8 90 → IAQI 45); 01-31 loses its
        // PM10 and stays 重度 on its PM2.5 (155 → 205).
        let d = |k| NaiveDate::from_ymd_opt(2023, 1, k).unwrap();
        let seventh = daily.get_mut(&d(7)).unwrap();
        (seventh.pm25, seventh.pm10) = (None, None);
        daily.get_mut(&d(31)).unwrap().pm10 = None;
        let std = calendar(&p, &daily, None, DayPractice::Standard).unwrap();
        let bj = calendar(&p, &daily, None, DayPractice::Beijing).unwrap();
        assert_eq!((std[6].aqi, std[6].level), (Some(45), Some(1)));
        assert_eq!(
            (bj[6].aqi, bj[6].level, bj[6].primary.as_str()),
            (None, None, "")
        );
        assert_eq!((bj[30].aqi, bj[30].level), (Some(205), Some(5)));
        assert_eq!(bj[30].primary, "PM2.5");
        // Every other day is the same under both.
        for (a, b) in std.iter().zip(&bj).filter(|(a, _)| a.date != d(7)) {
            assert_eq!((a.aqi, a.level), (b.aqi, b.level), "{}", a.date);
        }
    }

    #[test]
    fn monthly_pairs_by_hand() {
        let p = Period::parse("2023-H1").unwrap();
        let daily = year();
        // The baseline: the same shape plus 10 µg/m³.
        let base_p = p.previous_year();
        let base: BTreeMap<NaiveDate, DayValues> = base_p
            .dates()
            .map(|d| (d, day(d.day() as f64 * 5.0 + 10.0)))
            .collect();
        let none = BTreeSet::new();
        let m = monthly_pm25(&p, &daily, &none, Some((&base_p, &base, &none)));
        assert_eq!(m.len(), 6);
        // January: mean of 5..155 step 5 = 80; baseline 90 → −11.1 %.
        assert_eq!(m[0].current, Some(80.0));
        assert_eq!(m[0].baseline, Some(90.0));
        assert_eq!(m[0].change.as_ref().unwrap().percent, Some(-11.1));
        // February 2023 without the 10th: (5 + … + 140 − 50) / 27 = 1980 / 27 = 73.3 → 73;
        // 27 valid days of 28.
        assert_eq!(m[1].current, Some(73.0));
        assert_eq!(m[1].current_valid_days, 27);
        assert_eq!(m[5].month, 6);
    }

    #[test]
    fn trend_band_meets_the_line_in_the_middle() {
        use lantian_trend::bootstrap::Bootstrap;
        use lantian_trend::trend::{Month, trend};
        // 48 months falling 3 µg/m³ a year with a little noise.
        let months: Vec<Month> = (0..48)
            .map(|i| Month {
                first_day: NaiveDate::from_ymd_opt(2019 + i / 12, 1 + (i % 12) as u32, 1).unwrap(),
                mean: Some(50.0 - 0.25 * i as f64 + if i % 2 == 0 { 0.5 } else { -0.5 }),
            })
            .collect();
        let b = Bootstrap {
            resamples: 199,
            autocorrelation: false,
            alpha: 0.05,
            seed: 1,
        };
        let t = trend(&months, false, &b).unwrap();
        let f = TrendFigure::of("PM2.5", &t, &months);
        assert_eq!(f.months.len(), 48);
        assert!((f.slope + 3.0).abs() < 0.2, "slope {}", f.slope);
        // The three lines meet at the middle: the band is narrowest there and the line lies
        // inside it at both ends.
        for k in 0..2 {
            let (lo, mid, hi) = (f.band_lower[k].1, f.line[k].1, f.band_upper[k].1);
            assert!(lo.min(hi) <= mid + 1e-9 && mid <= lo.max(hi) + 1e-9);
        }
        let half = |k: usize| (f.band_upper[k].1 - f.band_lower[k].1).abs() / 2.0;
        let span_years = (f.line[1].0 - f.line[0].0).num_days() as f64 / 365.0;
        let expected = (f.slope_upper - f.slope_lower) / 2.0 * span_years / 2.0;
        assert!((half(0) - expected).abs() < 1e-6 && (half(1) - expected).abs() < 1e-6);
    }

    #[test]
    fn district_ranks() {
        let p = Period::parse("2023-01").unwrap();
        let a = |pm: f64| {
            let d: BTreeMap<NaiveDate, DayValues> = p.dates().map(|x| (x, day(pm))).collect();
            assess_area(
                &p,
                vec!["x".into()],
                &d,
                &BTreeSet::new(),
                None,
                &GB3095_2012,
            )
            .unwrap()
        };
        let rows = vec![
            (
                "海淀区".to_string(),
                "Haidian".to_string(),
                a(40.0),
                Some(a(50.0)),
            ),
            (
                "东城区".to_string(),
                "Dongcheng".to_string(),
                a(30.0),
                Some(a(31.0)),
            ),
            ("西城区".to_string(), "Xicheng".to_string(), a(40.0), None),
        ];
        let f = district_figures(&rows);
        let names: Vec<&str> = f.iter().map(|x| x.name_en.as_str()).collect();
        // 30 first; the two 40s tie at rank 2 (competition ranking), ordered by name.
        assert_eq!(names, ["Dongcheng", "Haidian", "Xicheng"]);
        assert_eq!(
            f.iter().map(|x| x.rank_pm25).collect::<Vec<_>>(),
            [Some(1), Some(2), Some(2)]
        );
        // Improvement: Haidian −20 % ranks before Dongcheng −3.2 %; Xicheng has no baseline.
        assert_eq!(f[1].pm25_change.as_ref().unwrap().percent, Some(-20.0));
        assert_eq!(f[1].rank_improvement, Some(1));
        assert_eq!(f[0].rank_improvement, Some(2));
        assert_eq!(f[2].rank_improvement, None);
    }
}
