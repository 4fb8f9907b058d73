//! Every chart: its data (what each mark stands for) and its rendering (a valid SVG that
//! rasterises to a non-blank PNG with the expected colours).

use chrono::{Datelike, NaiveDate};
use lantian_assess::change::change;
use lantian_assess::days::DayPractice;
use lantian_assess::period::Period;
use lantian_assess::stats::DayValues;
use lantian_report::charts::{self, CATEGORY_RGB, DistrictShapes};
use lantian_report::document::Lang;
use lantian_report::figures::{
    CalendarDay, DailySeries, DistrictFigure, MonthPair, TrendFigure, calendar, daily_series,
};
use lantian_trend::variation::time_variation;
use std::collections::BTreeMap;

/// The texts of an SVG (plotters writes `<text …>\nTEXT\n</text>`).
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let body = &t[t.find('>')? + 1..t.find("</text>")?];
            Some(body.trim().to_string())
        })
        .collect()
}

/// Decode a PNG and count the pixels of each colour (exact RGB).
fn pixels(png: &[u8]) -> (u32, u32, BTreeMap<[u8; 3], usize>) {
    let p = resvg::tiny_skia::Pixmap::decode_png(png).expect("a PNG");
    let mut counts = BTreeMap::new();
    for px in p.pixels() {
        let c = px.demultiply();
        *counts.entry([c.red(), c.green(), c.blue()]).or_insert(0) += 1;
    }
    (p.width(), p.height(), counts)
}

fn not_blank(png: &[u8]) -> BTreeMap<[u8; 3], usize> {
    let (w, h, counts) = pixels(png);
    assert!(w > 100 && h > 100, "{w}×{h}");
    let white = counts.get(&[255, 255, 255]).copied().unwrap_or(0);
    let total = (w * h) as usize;
    assert!(
        white < total * 98 / 100,
        "the image is blank ({white} of {total} white)"
    );
    counts
}

fn days_of(levels: &[(NaiveDate, Option<u8>)]) -> Vec<CalendarDay> {
    levels
        .iter()
        .map(|(d, l)| CalendarDay {
            date: *d,
            aqi: l.map(|l| [30, 70, 120, 170, 250, 350][l as usize - 1]),
            level: *l,
            primary: String::new(),
            standard: "hj633-2012".into(),
        })
        .collect()
}

#[test]
fn calendar_has_one_square_per_day_in_its_category_colour() {
    // 2023-H1: the level cycles 1..6 with every 7th day missing.
    let p = Period::parse("2023-H1").unwrap();
    let levels: Vec<(NaiveDate, Option<u8>)> = p
        .dates()
        .enumerate()
        .map(|(i, d)| {
            (
                d,
                if i % 7 == 6 {
                    None
                } else {
                    Some((i % 6) as u8 + 1)
                },
            )
        })
        .collect();
    let days = days_of(&levels);
    let svg = charts::calendar(&days, "日历", Lang::Zh).unwrap();
    // One square per day, with its date and class.
    let squares: Vec<&str> = svg
        .match_indices("<g class=\"aqi-")
        .map(|(i, _)| &svg[i..])
        .collect();
    assert_eq!(squares.len(), 181);
    for (d, l) in &levels {
        let key = format!("data-date=\"{d}\"");
        let g = squares
            .iter()
            .find(|s| s[..s.find('>').unwrap()].contains(&key))
            .unwrap_or_else(|| panic!("no square for {d}"));
        let head = &g[..g.find("</g>").unwrap()];
        match l {
            Some(l) => {
                let c = CATEGORY_RGB[*l as usize - 1];
                assert!(
                    head.starts_with(&format!("<g class=\"aqi-level-{l}\"")),
                    "{d}: {head}"
                );
                assert!(head.contains(&format!("fill=\"rgb({},{},{})\"", c[0], c[1], c[2])));
            }
            None => assert!(head.starts_with("<g class=\"aqi-none\""), "{d}"),
        }
    }
    // Monday-first weeks: 2023-01-01 is a Sunday, the last column of the first row.
    assert_eq!(
        charts::calendar_cell(NaiveDate::from_ymd_opt(2023, 1, 1).unwrap()),
        (1, 6, 0)
    );
    assert_eq!(
        charts::calendar_cell(NaiveDate::from_ymd_opt(2023, 1, 2).unwrap()),
        (1, 0, 1)
    );
    // Rendered: each category colour is on the picture.
    let counts = not_blank(&charts::png(&svg, 1.0).unwrap());
    for c in CATEGORY_RGB {
        assert!(
            counts.get(&c).copied().unwrap_or(0) > 100,
            "colour {c:?} missing"
        );
    }
}

#[test]
fn calendar_of_engine_days_matches_the_aqi_of_each_day() {
    // Through the engine: a day of PM2.5 80 is 轻度 (IAQI 107), its square says 107.
    let p = Period::parse("2023-02").unwrap();
    let daily: BTreeMap<NaiveDate, DayValues> = p
        .dates()
        .map(|d| {
            (
                d,
                DayValues {
                    pm25: Some(if d.day() == 14 { 80.0 } else { 20.0 }),
                    pm10: Some(30.0),
                    so2: Some(3.0),
                    no2: Some(20.0),
                    co: Some(0.4),
                    o3_mda8: Some(60.0),
                    o3_max_1h: Some(70.0),
                },
            )
        })
        .collect();
    let days = calendar(&p, &daily, None, DayPractice::Standard).unwrap();
    let svg = charts::calendar(&days, "Feb", Lang::En).unwrap();
    assert_eq!(svg.matches("class=\"aqi-level-1\"").count(), 27);
    assert!(svg.contains("<g class=\"aqi-level-3\" data-date=\"2023-02-14\" data-aqi=\"107\">"));
}

fn month(m: u32, cur: Option<f64>, base: Option<f64>) -> MonthPair {
    MonthPair {
        month: m,
        current: cur,
        current_valid_days: 30,
        baseline: base,
        baseline_valid_days: 30,
        change: cur.zip(base).map(|(c, b)| change(c, b)),
    }
}

#[test]
fn monthly_bars() {
    let months = vec![
        month(1, Some(40.0), Some(50.0)),
        month(2, Some(30.0), None),
        month(3, None, Some(20.0)),
    ];
    let svg = charts::monthly(&months, "PM2.5", Lang::En).unwrap();
    // Two current bars (blue), two baseline bars (grey), one legend swatch each.
    assert_eq!(svg.matches("fill=\"#3182BD\"").count(), 2 + 1);
    assert_eq!(svg.matches("fill=\"#AAAAAA\"").count(), 2 + 1);
    // Labels of the current values and the months.
    let t = texts(&svg);
    for x in [
        "40",
        "30",
        "Jan",
        "Feb",
        "Mar",
        "This year",
        "A year earlier",
    ] {
        assert!(t.iter().any(|y| y == x), "{x} in {t:?}");
    }
    let counts = not_blank(&charts::png(&svg, 1.0).unwrap());
    assert!(counts.get(&[49, 130, 189]).copied().unwrap_or(0) > 500);
}

const SQUARES: &str = r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"name":"甲区"},"geometry":{"type":"Polygon","coordinates":[[[116.0,40.0],[116.2,40.0],[116.2,40.2],[116.0,40.2],[116.0,40.0]]]}},
 {"type":"Feature","properties":{"name":"乙区"},"geometry":{"type":"MultiPolygon","coordinates":[[[[116.2,40.0],[116.4,40.0],[116.4,40.2],[116.2,40.2],[116.2,40.0]]]]}}]}"#;

fn district(zh: &str, en: &str, pm25: f64) -> DistrictFigure {
    DistrictFigure {
        name_zh: zh.into(),
        name_en: en.into(),
        stations: 1,
        pm25: Some(pm25),
        pm25_valid_days: 365,
        pm25_days: 365,
        pm25_rule_met: true,
        baseline_pm25: None,
        pm25_change: None,
        composite: None,
        excellent_or_good: 300,
        valid_days: 365,
        rank_pm25: None,
        rank_composite: None,
        rank_improvement: None,
    }
}

#[test]
fn map_colours_each_district_by_its_value() {
    let shapes = DistrictShapes::parse("squares.json", SQUARES).unwrap();
    assert_eq!(shapes.districts.len(), 2);
    let d = vec![
        district("甲区", "Jia", 30.0),
        district("乙区", "Yi", 40.0),
        district("开发区", "E-Town", 35.0),
    ];
    let svg = charts::map(&shapes, &d, "PM2.5", Lang::En).unwrap();
    // The cleanest district gets the scale's low end, the dirtiest its high end.
    let lo = charts::map_colour(30.0, 30.0, 40.0);
    let hi = charts::map_colour(40.0, 30.0, 40.0);
    assert_eq!((lo.0, lo.1, lo.2), (255, 237, 160));
    assert_eq!((hi.0, hi.1, hi.2), (189, 0, 38));
    let t = texts(&svg);
    for x in ["Jia", "Yi", "30", "40"] {
        assert!(t.iter().any(|y| y == x), "{x} in {t:?}");
    }
    // A district without a polygon is listed under the map, not lost.
    assert!(t.iter().any(|y| y == "Not on the map: E-Town 35"), "{t:?}");
    let counts = not_blank(&charts::png(&svg, 1.0).unwrap());
    assert!(counts.get(&[189, 0, 38]).copied().unwrap_or(0) > 1000);
    assert!(counts.get(&[255, 237, 160]).copied().unwrap_or(0) > 1000);
    // Bad GeoJSON names the file and the feature.
    let bad = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":null}]}"#;
    let e = DistrictShapes::parse("x.json", bad)
        .unwrap_err()
        .to_string();
    assert!(e.contains("x.json") && e.contains("feature 0"), "{e}");
}

#[test]
fn timeseries_breaks_lines_at_missing_days() {
    let p = Period::parse("2023-01").unwrap();
    let daily: BTreeMap<NaiveDate, DayValues> = p
        .dates()
        .filter(|d| d.day() != 10)
        .map(|d| {
            (
                d,
                DayValues {
                    pm25: Some(d.day() as f64),
                    pm10: Some(50.0),
                    no2: Some(30.0),
                    o3_mda8: Some(80.0),
                    ..Default::default()
                },
            )
        })
        .collect();
    let series: Vec<DailySeries> = daily_series(&p, &daily);
    assert_eq!(series.len(), 4);
    assert!(series.iter().all(|s| s.values.len() == 31));
    assert_eq!(
        series[0].values[9],
        (NaiveDate::from_ymd_opt(2023, 1, 10).unwrap(), None)
    );
    let svg = charts::timeseries(&series, "Jan", Lang::En).unwrap();
    // The gap splits each pollutant's line in two: two polylines in PM2.5's colour, and its
    // legend swatch.
    assert_eq!(svg.matches("stroke=\"#D73027\"").count(), 2 + 1);
    assert!(texts(&svg).iter().any(|t| t == "O3_8h"));
    not_blank(&charts::png(&svg, 1.0).unwrap());
}

#[test]
fn variation_and_trend_render() {
    let start = NaiveDate::from_ymd_opt(2023, 1, 2)
        .unwrap()
        .and_hms_opt(1, 0, 0)
        .unwrap();
    let v: Vec<Option<f64>> = (0..24 * 28).map(|i| Some(20.0 + (i % 24) as f64)).collect();
    let tv = vec![time_variation("NO2", "µg/m³", start, &v)];
    let svg = charts::variation(&tv, "日变化", Lang::Zh).unwrap();
    let t = texts(&svg);
    assert!(
        t.iter().any(|x| x == "周一") && t.iter().any(|x| x == "NO2"),
        "{t:?}"
    );
    not_blank(&charts::png(&svg, 1.0).unwrap());

    use lantian_trend::bootstrap::Bootstrap;
    use lantian_trend::trend::{Month, trend};
    let months: Vec<Month> = (0..36)
        .map(|i| Month {
            first_day: NaiveDate::from_ymd_opt(2021 + i / 12, 1 + (i % 12) as u32, 1).unwrap(),
            mean: Some(45.0 - 0.3 * i as f64 + (i % 3) as f64),
        })
        .collect();
    let b = Bootstrap {
        resamples: 99,
        autocorrelation: false,
        alpha: 0.05,
        seed: 1,
    };
    let t = trend(&months, false, &b).unwrap();
    let f = TrendFigure::of("PM2.5", &t, &months);
    let svg = charts::trend(&f, "PM2.5", Lang::En).unwrap();
    // One marker per month.
    assert_eq!(svg.matches("<circle").count(), 36);
    let t = texts(&svg);
    assert!(
        t.iter().any(|x| x == "2021") && t.iter().any(|x| x == "2023"),
        "{t:?}"
    );
    let counts = not_blank(&charts::png(&svg, 1.0).unwrap());
    assert!(
        counts.get(&[215, 48, 39]).copied().unwrap_or(0) > 200,
        "the trend line"
    );
}

#[test]
fn empty_charts_are_refused_with_a_reason() {
    let e = charts::monthly(&[], "x", Lang::En).unwrap_err().to_string();
    assert!(e.contains("nothing to draw"), "{e}");
    let e = charts::calendar(&[], "x", Lang::En)
        .unwrap_err()
        .to_string();
    assert!(e.contains("nothing to draw"), "{e}");
}
