//! The bulletin's charts, drawn from figures the engine computed ([`crate::figures`]) as SVG
//! with plotters; [`png`] rasterises any of them with resvg.
//!
//! - [`calendar`]: the AQI calendar, one square per day in the HJ 633 category colour (openair's
//!   `calendarPlot`, the monitoring centres' calendars);
//! - [`monthly`]: monthly PM2.5, this year against last year;
//! - [`map`]: the districts coloured by PM2.5 (a GeoJSON of district polygons);
//! - [`timeseries`]: daily PM2.5, PM10, NO2 and O3 (MDA8);
//! - [`variation`]: openair's `timeVariation` (hour of day, day of week);
//! - [`trend`]: monthly means with the Theil–Sen line and its 95 % band (openair's `TheilSen`).
//!
//! Text stays text in the SVG (font family [`FONT`]); the HTML report shows it with the reader's
//! fonts, and PNG and PDF use the system's (Noto CJK for Chinese).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::document::Lang;
use crate::figures::{CalendarDay, DailySeries, DistrictFigure, MonthPair, TrendFigure};
use lantian_trend::variation::TimeVariation;

/// Font families of every chart text (CJK first so Chinese never falls back to boxes).
pub const FONT: &str = "Noto Sans CJK SC, Noto Sans, DejaVu Sans, sans-serif";

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("drawing the chart: {0}")]
    Draw(String),
    #[error("the GeoJSON {file}: {why}")]
    GeoJson { file: String, why: String },
    #[error("the chart has nothing to draw: {0}")]
    Empty(&'static str),
    #[error("rasterising the SVG: {0}")]
    Png(String),
}

pub(crate) fn draw_err<E: std::fmt::Debug>(e: E) -> ChartError {
    ChartError::Draw(format!("{e:?}"))
}

/// The HJ 633 category colours (Table 2), level 1 (优, green) to 6 (严重污染, maroon).
pub const CATEGORY_RGB: [[u8; 3]; 6] = [
    [0, 228, 0],
    [255, 255, 0],
    [255, 126, 0],
    [255, 0, 0],
    [153, 0, 76],
    [126, 0, 35],
];
const NO_DATA: RGBColor = RGBColor(221, 221, 221);

pub(crate) fn font(size: f64) -> TextStyle<'static> {
    TextStyle::from((FONT, size).into_font()).color(&BLACK)
}

fn centred(size: f64) -> TextStyle<'static> {
    font(size).pos(Pos::new(HPos::Center, VPos::Center))
}

fn category_names(lang: Lang) -> [&'static str; 6] {
    match lang {
        Lang::Zh => ["优", "良", "轻度污染", "中度污染", "重度污染", "严重污染"],
        Lang::En => [
            "Excellent",
            "Good",
            "Lightly polluted",
            "Moderately polluted",
            "Heavily polluted",
            "Severely polluted",
        ],
    }
}

fn month_name(m: u32, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{m}月"),
        Lang::En => [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ][m as usize - 1]
            .to_string(),
    }
}

/// The frame of a map of points in longitude and latitude: the box of the points and of the
/// district outlines, padded by 2 %, drawn `w_px` wide with the height that keeps distances
/// true at the middle latitude (a degree of longitude is cos φ of a degree of latitude), within
/// 200–900 pixels; the plot starts at (10, 40), below the title.
pub(crate) struct MapFrame {
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
    pub w_px: f64,
    pub h_px: f64,
}

impl MapFrame {
    pub(crate) fn of(points: &[(f64, f64)], shapes: Option<&DistrictShapes>) -> MapFrame {
        let outline = shapes
            .into_iter()
            .flat_map(|s| s.districts.values().flatten().flatten().copied());
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for (x, y) in points.iter().copied().chain(outline) {
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
        let pad = 0.02 * (x1 - x0).max(y1 - y0).max(0.01);
        let (x0, x1, y0, y1) = (x0 - pad, x1 + pad, y0 - pad, y1 + pad);
        let k = ((y0 + y1) / 2.0).to_radians().cos();
        let w_px = 560.0;
        let h_px = (w_px * (y1 - y0) / ((x1 - x0) * k)).clamp(200.0, 900.0);
        MapFrame {
            x0,
            x1,
            y0,
            y1,
            w_px,
            h_px,
        }
    }

    /// The pixel of a longitude and latitude.
    pub(crate) fn px(&self, (x, y): (f64, f64)) -> (i32, i32) {
        (
            (10.0 + (x - self.x0) / (self.x1 - self.x0) * self.w_px) as i32,
            (40.0 + (self.y1 - y) / (self.y1 - self.y0) * self.h_px) as i32,
        )
    }

    /// The district outlines, light grey with a thin border, under whatever is drawn next.
    pub(crate) fn draw_districts(
        &self,
        root: &DrawingArea<SVGBackend, Shift>,
        shapes: Option<&DistrictShapes>,
    ) -> Result<(), ChartError> {
        for rings in shapes.into_iter().flat_map(|s| s.districts.values()) {
            for r in rings {
                let p: Vec<(i32, i32)> = r.iter().map(|q| self.px(*q)).collect();
                root.draw(&Polygon::new(p.clone(), RGBColor(245, 245, 245).filled()))
                    .map_err(draw_err)?;
                root.draw(&PathElement::new(p, BLACK.mix(0.35).stroke_width(1)))
                    .map_err(draw_err)?;
            }
        }
        Ok(())
    }
}

pub(crate) fn svg_of(
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<SVGBackend, Shift>) -> Result<(), ChartError>,
) -> Result<String, ChartError> {
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, size).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        draw(&root)?;
        root.present().map_err(draw_err)?;
    }
    Ok(buf)
}

/// The cell of a calendar day: which month panel, and its column (weekday, Monday first) and
/// row (week of the month) inside it. Public so that tests can find a day's square.
pub fn calendar_cell(date: NaiveDate) -> (u32, u32, u32) {
    let first = date.with_day(1).expect("day 1");
    let offset = first.weekday().num_days_from_monday();
    let col = date.weekday().num_days_from_monday();
    let row = (date.day() - 1 + offset) / 7;
    (date.month(), col, row)
}

/// The AQI calendar: a panel per month (weeks in rows, Monday first), one square per day in
/// its category colour with the day's AQI in it; grey without a valid AQI. Every square carries
/// `class="aqi-level-N"` (or `aqi-none`) and `data-date`, so the calendar can be checked.
pub fn calendar(days: &[CalendarDay], title: &str, lang: Lang) -> Result<String, ChartError> {
    if days.is_empty() {
        return Err(ChartError::Empty("no day in the period"));
    }
    let months: Vec<(i32, u32)> = {
        let mut m: Vec<(i32, u32)> = days
            .iter()
            .map(|d| (d.date.year(), d.date.month()))
            .collect();
        m.dedup();
        m
    };
    let cols = if months.len() >= 4 {
        4
    } else {
        months.len() as u32
    };
    let rows = (months.len() as u32).div_ceil(cols);
    let cell = 26u32;
    let panel_w = cell * 7 + 16;
    let panel_h = cell * 6 + 40;
    let width = cols * panel_w + 20;
    let legend_h = 40;
    let height = rows * panel_h + 50 + legend_h;
    let weekdays = match lang {
        Lang::Zh => ["一", "二", "三", "四", "五", "六", "日"],
        Lang::En => ["M", "T", "W", "T", "F", "S", "S"],
    };
    let mut svg = svg_of((width, height), |root| {
        root.draw(&Text::new(title.to_string(), (10, 20), font(18.0)))
            .map_err(draw_err)?;
        for (k, (y, m)) in months.iter().enumerate() {
            let px = 10 + (k as u32 % cols) * panel_w;
            let py = 40 + (k as u32 / cols) * panel_h;
            let name = match lang {
                Lang::Zh => format!("{y}年{m}月"),
                Lang::En => format!("{} {y}", month_name(*m, lang)),
            };
            root.draw(&Text::new(
                name,
                ((px + cell * 7 / 2) as i32, py as i32 + 8),
                centred(13.0),
            ))
            .map_err(draw_err)?;
            for (i, w) in weekdays.iter().enumerate() {
                root.draw(&Text::new(
                    w.to_string(),
                    ((px + i as u32 * cell + cell / 2) as i32, py as i32 + 24),
                    centred(10.0),
                ))
                .map_err(draw_err)?;
            }
        }
        Ok(())
    })?;
    // The squares are written as plain SVG with a class and the date, so that they can be
    // identified (plotters has no attribute hook); they go before the closing tag.
    let mut squares = String::new();
    for d in days {
        let k = months
            .iter()
            .position(|m| *m == (d.date.year(), d.date.month()))
            .expect("month listed") as u32;
        let (_, col, row) = calendar_cell(d.date);
        let x = 10 + (k % cols) * panel_w + col * cell;
        let y = 40 + (k / cols) * panel_h + 32 + row * cell;
        let (fill, class) = match d.level {
            Some(l) => {
                let c = CATEGORY_RGB[l as usize - 1];
                (
                    format!("rgb({},{},{})", c[0], c[1], c[2]),
                    format!("aqi-level-{l}"),
                )
            }
            None => ("rgb(221,221,221)".to_string(), "aqi-none".to_string()),
        };
        let label = d.aqi.map(|a| a.to_string()).unwrap_or_default();
        let text_colour = if d.level.is_some_and(|l| l >= 4) {
            "white"
        } else {
            "black"
        };
        squares += &format!(
            "<g class=\"{class}\" data-date=\"{}\" data-aqi=\"{label}\"><title>{} AQI {}{}</title><rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{w}\" fill=\"{fill}\" stroke=\"white\"/><text x=\"{tx}\" y=\"{ty1}\" font-family=\"{FONT}\" font-size=\"7\" fill=\"{text_colour}\">{}</text><text x=\"{tx2}\" y=\"{ty2}\" text-anchor=\"middle\" font-family=\"{FONT}\" font-size=\"9\" fill=\"{text_colour}\">{label}</text></g>\n",
            d.date,
            d.date,
            if label.is_empty() { "—" } else { &label },
            if d.primary.is_empty() {
                String::new()
            } else {
                format!(" ({})", d.primary)
            },
            d.date.day(),
            w = cell - 2,
            tx = x + 2,
            ty1 = y + 8,
            tx2 = x + cell / 2 - 1,
            ty2 = y + cell - 6,
        );
    }
    // Legend.
    let ly = rows * panel_h + 50;
    let names = category_names(lang);
    let mut lx = 10u32;
    for (i, n) in names.iter().enumerate() {
        let c = CATEGORY_RGB[i];
        squares += &format!(
            "<rect x=\"{lx}\" y=\"{ly}\" width=\"14\" height=\"14\" fill=\"rgb({},{},{})\"/><text x=\"{}\" y=\"{}\" font-family=\"{FONT}\" font-size=\"11\">{n}</text>\n",
            c[0],
            c[1],
            c[2],
            lx + 18,
            ly + 11
        );
        let per_char = if lang == Lang::Zh { 11 } else { 6 };
        lx += 18 + per_char * n.chars().count() as u32 + 16;
    }
    squares += &format!(
        "<rect x=\"{lx}\" y=\"{ly}\" width=\"14\" height=\"14\" fill=\"rgb(221,221,221)\"/><text x=\"{}\" y=\"{}\" font-family=\"{FONT}\" font-size=\"11\">{}</text>\n",
        lx + 18,
        ly + 11,
        match lang {
            Lang::Zh => "无数据",
            Lang::En => "No data",
        }
    );
    let end = svg
        .rfind("</svg>")
        .ok_or(ChartError::Draw("no </svg>".into()))?;
    svg.insert_str(end, &squares);
    Ok(svg)
}

/// Monthly PM2.5: bars of this period's months beside last year's.
pub fn monthly(months: &[MonthPair], title: &str, lang: Lang) -> Result<String, ChartError> {
    if months.is_empty() {
        return Err(ChartError::Empty("no month"));
    }
    let top = months
        .iter()
        .flat_map(|m| [m.current, m.baseline])
        .flatten()
        .fold(0.0f64, f64::max)
        .max(10.0)
        * 1.15;
    let n = months.len();
    let (cur_name, base_name) = match lang {
        Lang::Zh => ("本年", "上年同期"),
        Lang::En => ("This year", "A year earlier"),
    };
    svg_of((720, 360), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(title, font(16.0))
            .margin(12)
            .x_label_area_size(30)
            .y_label_area_size(50)
            .build_cartesian_2d(0.0..n as f64, 0.0..top)
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .light_line_style(WHITE)
            .y_label_formatter(&|v| format!("{v:.0}"))
            .y_desc("PM2.5 (µg/m³)")
            .label_style(font(11.0))
            .axis_desc_style(font(12.0))
            .draw()
            .map_err(draw_err)?;
        let blue = RGBColor(49, 130, 189);
        let grey = RGBColor(170, 170, 170);
        // Last year's bar on the left of each month, this year's on the right.
        type Pick = fn(&MonthPair) -> Option<f64>;
        let bars: [(Pick, f64, RGBColor, &str); 2] = [
            (|m| m.baseline, 0.12, grey, base_name),
            (|m| m.current, 0.52, blue, cur_name),
        ];
        for (pick, left, colour, name) in bars {
            chart
                .draw_series(months.iter().enumerate().filter_map(|(i, m)| {
                    pick(m).map(|v| {
                        Rectangle::new(
                            [(i as f64 + left, 0.0), (i as f64 + left + 0.36, v)],
                            colour.filled(),
                        )
                    })
                }))
                .map_err(draw_err)?
                .label(name)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 12, y + 5)], colour.filled())
                });
        }
        chart
            .draw_series(months.iter().enumerate().filter_map(|(i, m)| {
                m.current.map(|v| {
                    Text::new(
                        format!("{v:.0}"),
                        (i as f64 + 0.70, v + top * 0.03),
                        centred(10.0),
                    )
                })
            }))
            .map_err(draw_err)?;
        for (i, m) in months.iter().enumerate() {
            let (x, y) = chart.backend_coord(&(i as f64 + 0.5, 0.0));
            root.draw(&Text::new(
                month_name(m.month, lang),
                (x, y + 14),
                centred(11.0),
            ))
            .map_err(draw_err)?;
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .label_font(font(11.0))
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(draw_err)?;
        Ok(())
    })
}

/// A district polygon set read from GeoJSON: name → rings of (longitude, latitude).
#[derive(Clone, Debug, Default)]
pub struct DistrictShapes {
    pub districts: BTreeMap<String, Vec<Vec<(f64, f64)>>>,
}

impl DistrictShapes {
    /// Read a GeoJSON FeatureCollection whose features have a `name` property (the DataV /
    /// Aliyun layout of `110100_full.json`), Polygon or MultiPolygon geometries.
    pub fn parse(file: &str, text: &str) -> Result<DistrictShapes, ChartError> {
        let err = |why: String| ChartError::GeoJson {
            file: file.to_string(),
            why,
        };
        let gj: geojson::GeoJson = text.parse().map_err(|e| err(format!("{e}")))?;
        let geojson::GeoJson::FeatureCollection(fc) = gj else {
            return Err(err("not a FeatureCollection".into()));
        };
        let mut out = DistrictShapes::default();
        for (i, f) in fc.features.iter().enumerate() {
            let name = f
                .property("name")
                .and_then(|n| n.as_str())
                .ok_or_else(|| err(format!("feature {i} has no \"name\" property")))?
                .to_string();
            let Some(g) = &f.geometry else {
                return Err(err(format!("feature {i} ({name}) has no geometry")));
            };
            let rings: Vec<Vec<(f64, f64)>> = match &g.value {
                geojson::GeometryValue::Polygon { coordinates: p } => {
                    p.iter().take(1).map(|r| ring(r)).collect()
                }
                geojson::GeometryValue::MultiPolygon { coordinates: mp } => mp
                    .iter()
                    .filter_map(|p| p.first().map(|r| ring(r)))
                    .collect(),
                _ => return Err(err(format!("feature {i} ({name}) is not a polygon"))),
            };
            out.districts.entry(name).or_default().extend(rings);
        }
        if out.districts.is_empty() {
            return Err(err("no feature".into()));
        }
        Ok(out)
    }
}

fn ring(r: &[geojson::Position]) -> Vec<(f64, f64)> {
    r.iter()
        .filter(|p| p.len() >= 2)
        .map(|p| (p[0], p[1]))
        .collect()
}

/// The colour of a value on the map's scale (light yellow at `lo` to dark red at `hi`).
pub fn map_colour(v: f64, lo: f64, hi: f64) -> RGBColor {
    let t = if hi > lo {
        ((v - lo) / (hi - lo)).clamp(0.0, 1.0)
    } else {
        0.5
    };
    let (a, b) = ([255.0, 237.0, 160.0], [189.0, 0.0, 38.0]);
    let mix = |i: usize| (a[i] + (b[i] - a[i]) * t).round() as u8;
    RGBColor(mix(0), mix(1), mix(2))
}

/// The districts coloured by their published PM2.5, each labelled with its name and value.
/// Districts of the figures missing from the shapes (e.g. the E-Town development area, not an
/// administrative district) are listed under the map.
pub fn map(
    shapes: &DistrictShapes,
    districts: &[DistrictFigure],
    title: &str,
    lang: Lang,
) -> Result<String, ChartError> {
    let values: BTreeMap<&str, f64> = districts
        .iter()
        .filter_map(|d| d.pm25.map(|v| (d.name_zh.as_str(), v)))
        .collect();
    if values.is_empty() {
        return Err(ChartError::Empty("no district has a PM2.5 value"));
    }
    let lo = values.values().copied().fold(f64::INFINITY, f64::min);
    let hi = values.values().copied().fold(f64::NEG_INFINITY, f64::max);
    let pts = shapes.districts.values().flatten().flatten();
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y) in pts {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    // Equirectangular, x scaled by cos(latitude) so the city keeps its shape.
    let k = ((y0 + y1) / 2.0).to_radians().cos();
    let (w, h) = (560.0, 560.0 * (y1 - y0) / ((x1 - x0) * k));
    let (width, height) = (w as u32 + 200, h as u32 + 70);
    let px = |(x, y): (f64, f64)| -> (i32, i32) {
        (
            (20.0 + (x - x0) / (x1 - x0) * w) as i32,
            (45.0 + (y1 - y) / (y1 - y0) * h) as i32,
        )
    };
    let name_of = |zh: &str| -> String {
        match lang {
            Lang::Zh => zh.to_string(),
            Lang::En => districts
                .iter()
                .find(|d| d.name_zh == zh)
                .map(|d| d.name_en.clone())
                .unwrap_or_else(|| zh.to_string()),
        }
    };
    let missing: Vec<String> = districts
        .iter()
        .filter(|d| !shapes.districts.contains_key(&d.name_zh))
        .map(|d| {
            format!(
                "{} {}",
                name_of(&d.name_zh),
                crate::text::conc("PM2.5", d.pm25)
            )
        })
        .collect();
    svg_of((width, height), |root| {
        root.draw(&Text::new(title.to_string(), (10, 22), font(16.0)))
            .map_err(draw_err)?;
        for (name, rings) in &shapes.districts {
            let fill = values
                .get(name.as_str())
                .map(|v| map_colour(*v, lo, hi))
                .unwrap_or(NO_DATA);
            for r in rings {
                let p: Vec<(i32, i32)> = r.iter().map(|q| px(*q)).collect();
                root.draw(&Polygon::new(p.clone(), fill.filled()))
                    .map_err(draw_err)?;
                root.draw(&PathElement::new(p, BLACK.mix(0.5).stroke_width(1)))
                    .map_err(draw_err)?;
            }
        }
        for (name, rings) in &shapes.districts {
            // Label at the mean of the largest ring's vertices.
            let Some(r) = rings.iter().max_by_key(|r| r.len()) else {
                continue;
            };
            let c = (
                r.iter().map(|p| p.0).sum::<f64>() / r.len() as f64,
                r.iter().map(|p| p.1).sum::<f64>() / r.len() as f64,
            );
            let (cx, cy) = px(c);
            let value = values
                .get(name.as_str())
                .map(|v| format!("{v:.0}"))
                .unwrap_or("—".into());
            let short = name_of(name).trim_end_matches('区').to_string();
            root.draw(&Text::new(short, (cx, cy - 6), centred(10.0)))
                .map_err(draw_err)?;
            root.draw(&Text::new(value, (cx, cy + 7), centred(11.0)))
                .map_err(draw_err)?;
        }
        // Legend: the scale from the lowest to the highest district.
        let lx = w as i32 + 50;
        for i in 0..=20 {
            let v = lo + (hi - lo) * i as f64 / 20.0;
            let y = 60 + (20 - i) * 8;
            root.draw(&Rectangle::new(
                [(lx, y), (lx + 18, y + 8)],
                map_colour(v, lo, hi).filled(),
            ))
            .map_err(draw_err)?;
        }
        root.draw(&Text::new(format!("{hi:.0}"), (lx + 24, 66), font(11.0)))
            .map_err(draw_err)?;
        root.draw(&Text::new(format!("{lo:.0}"), (lx + 24, 226), font(11.0)))
            .map_err(draw_err)?;
        root.draw(&Text::new("PM2.5 µg/m³", (lx, 45), font(11.0)))
            .map_err(draw_err)?;
        if !missing.is_empty() {
            let note = match lang {
                Lang::Zh => format!("不在地图中：{}", missing.join("，")),
                Lang::En => format!("Not on the map: {}", missing.join(", ")),
            };
            root.draw(&Text::new(note, (20, height as i32 - 14), font(11.0)))
                .map_err(draw_err)?;
        }
        Ok(())
    })
}

fn day_index(first: NaiveDate, d: NaiveDate) -> f64 {
    (d - first).num_days() as f64
}

const LINE_COLOURS: [RGBColor; 4] = [
    RGBColor(215, 48, 39),
    RGBColor(120, 120, 120),
    RGBColor(69, 117, 180),
    RGBColor(26, 152, 80),
];

/// Daily series as lines (gaps where a day has no value).
pub fn timeseries(series: &[DailySeries], title: &str, lang: Lang) -> Result<String, ChartError> {
    let first = series
        .iter()
        .flat_map(|s| s.values.first().map(|v| v.0))
        .min()
        .ok_or(ChartError::Empty("no day"))?;
    let last = series
        .iter()
        .flat_map(|s| s.values.last().map(|v| v.0))
        .max()
        .ok_or(ChartError::Empty("no day"))?;
    let top = series
        .iter()
        .flat_map(|s| s.values.iter().filter_map(|v| v.1))
        .fold(0.0f64, f64::max)
        .max(10.0)
        * 1.05;
    let span = day_index(first, last).max(1.0);
    svg_of((900, 340), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(title, font(16.0))
            .margin(12)
            .x_label_area_size(30)
            .y_label_area_size(50)
            .build_cartesian_2d(0.0..span, 0.0..top)
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .x_labels(12)
            .light_line_style(WHITE)
            .y_label_formatter(&|v| format!("{v:.0}"))
            .x_label_formatter(&|x| {
                let d = first + chrono::Duration::days(x.round() as i64);
                match lang {
                    Lang::Zh => format!("{}/{}", d.month(), d.day()),
                    Lang::En => d.format("%d %b").to_string(),
                }
            })
            .y_desc("µg/m³")
            .label_style(font(11.0))
            .axis_desc_style(font(12.0))
            .draw()
            .map_err(draw_err)?;
        for (k, s) in series.iter().enumerate() {
            let colour = LINE_COLOURS[k % LINE_COLOURS.len()];
            // Split at gaps so that a missing day is not bridged.
            let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
            for (d, v) in &s.values {
                match v {
                    Some(v) => runs
                        .last_mut()
                        .expect("a run")
                        .push((day_index(first, *d), *v)),
                    None => {
                        if !runs.last().expect("a run").is_empty() {
                            runs.push(Vec::new());
                        }
                    }
                }
            }
            let mut labelled = false;
            for r in runs.into_iter().filter(|r| !r.is_empty()) {
                let drawn = chart
                    .draw_series(LineSeries::new(r, colour.stroke_width(1)))
                    .map_err(draw_err)?;
                if !labelled {
                    drawn.label(s.pollutant).legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 14, y)], colour.stroke_width(2))
                    });
                    labelled = true;
                }
            }
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .label_font(font(11.0))
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(draw_err)?;
        Ok(())
    })
}

/// openair's `timeVariation`: two panels, the hour-of-day and day-of-week means of each
/// pollutant with their 95 % intervals shaded.
pub fn variation(tv: &[TimeVariation], title: &str, lang: Lang) -> Result<String, ChartError> {
    if tv.is_empty() {
        return Err(ChartError::Empty("no pollutant"));
    }
    let top = tv
        .iter()
        .flat_map(|t| t.hour.iter().chain(&t.weekday))
        .filter_map(|p| p.upper.or(p.mean))
        .fold(0.0f64, f64::max)
        .max(10.0)
        * 1.05;
    let weekdays = match lang {
        Lang::Zh => ["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    };
    svg_of((900, 340), |root| {
        root.draw(&Text::new(title.to_string(), (10, 20), font(16.0)))
            .map_err(draw_err)?;
        let body = root.margin(30, 0, 0, 0);
        let (left, right) = body.split_horizontally(520);
        let panels: [(&DrawingArea<SVGBackend, Shift>, bool); 2] = [(&left, true), (&right, false)];
        for (area, by_hour) in panels {
            let n = if by_hour { 23.0 } else { 6.0 };
            let mut chart = ChartBuilder::on(area)
                .margin(10)
                .x_label_area_size(30)
                .y_label_area_size(45)
                .build_cartesian_2d(-0.3..n + 0.3, 0.0..top)
                .map_err(draw_err)?;
            chart
                .configure_mesh()
                .x_labels(if by_hour { 12 } else { 7 })
                .light_line_style(WHITE)
                .y_label_formatter(&|v| format!("{v:.0}"))
                .x_label_formatter(&|x: &f64| {
                    let i = x.round() as usize;
                    if (x - i as f64).abs() > 0.01 {
                        return String::new();
                    }
                    if by_hour {
                        format!("{i}")
                    } else {
                        weekdays.get(i).map(|s| s.to_string()).unwrap_or_default()
                    }
                })
                .x_desc(match (by_hour, lang) {
                    (true, Lang::Zh) => "时（北京时间，时段起点）",
                    (true, Lang::En) => "hour (Beijing time, start of hour)",
                    (false, Lang::Zh) => "星期",
                    (false, Lang::En) => "day of week",
                })
                .y_desc("µg/m³")
                .label_style(font(10.0))
                .axis_desc_style(font(11.0))
                .draw()
                .map_err(draw_err)?;
            for (k, t) in tv.iter().enumerate() {
                let colour = LINE_COLOURS[k % LINE_COLOURS.len()];
                let pts = if by_hour { &t.hour } else { &t.weekday };
                let band: Vec<(f64, f64)> = pts
                    .iter()
                    .filter_map(|p| p.upper.map(|u| (p.at as f64, u)))
                    .chain(
                        pts.iter()
                            .rev()
                            .filter_map(|p| p.lower.map(|l| (p.at as f64, l))),
                    )
                    .collect();
                if band.len() > 2 {
                    chart
                        .draw_series(std::iter::once(Polygon::new(
                            band,
                            colour.mix(0.2).filled(),
                        )))
                        .map_err(draw_err)?;
                }
                let line: Vec<(f64, f64)> = pts
                    .iter()
                    .filter_map(|p| p.mean.map(|m| (p.at as f64, m)))
                    .collect();
                let drawn = chart
                    .draw_series(LineSeries::new(line, colour.stroke_width(2)))
                    .map_err(draw_err)?;
                if by_hour {
                    let name = t.pollutant.clone();
                    drawn.label(name).legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 14, y)], colour.stroke_width(2))
                    });
                }
            }
            if by_hour {
                chart
                    .configure_series_labels()
                    .background_style(WHITE.mix(0.8))
                    .border_style(BLACK)
                    .label_font(font(10.0))
                    .position(SeriesLabelPosition::UpperLeft)
                    .draw()
                    .map_err(draw_err)?;
            }
        }
        Ok(())
    })
}

/// Monthly means with the Theil–Sen line and the band between the lines of the slope's 95 %
/// bounds (openair's `TheilSen`: dashed lines through the same middle point; shaded here).
pub fn trend(t: &TrendFigure, title: &str, lang: Lang) -> Result<String, ChartError> {
    let first = t.months.first().ok_or(ChartError::Empty("no month"))?.0;
    let last = t.months.last().ok_or(ChartError::Empty("no month"))?.0;
    let x = |d: NaiveDate| d.year() as f64 + (d.ordinal0() as f64) / 365.25;
    let values: Vec<f64> = t.months.iter().filter_map(|m| m.1).collect();
    let top = values
        .iter()
        .copied()
        .chain(t.band_upper.iter().map(|p| p.1))
        .fold(0.0f64, f64::max)
        * 1.08;
    let bottom = values
        .iter()
        .copied()
        .chain(t.band_lower.iter().map(|p| p.1))
        .fold(f64::INFINITY, f64::min)
        .min(0.0);
    let caption = match lang {
        Lang::Zh => format!(
            "{title}  斜率 {:+.2} [{:+.2}, {:+.2}] µg/m³/年 {}",
            t.slope, t.slope_lower, t.slope_upper, t.stars
        ),
        Lang::En => format!(
            "{title}  slope {:+.2} [{:+.2}, {:+.2}] µg/m³/yr {}",
            t.slope, t.slope_lower, t.slope_upper, t.stars
        ),
    };
    svg_of((900, 340), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(caption, font(15.0))
            .margin(12)
            .x_label_area_size(30)
            .y_label_area_size(50)
            .build_cartesian_2d(
                first.year() as f64..(last.year() + 1) as f64,
                bottom..top.max(10.0),
            )
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .light_line_style(WHITE)
            .y_label_formatter(&|v| format!("{v:.0}"))
            .x_labels((last.year() - first.year() + 2) as usize)
            .x_label_formatter(&|v| {
                if (v - v.round()).abs() < 0.01 {
                    format!("{:.0}", v.round())
                } else {
                    String::new()
                }
            })
            .y_desc(if t.deseasonalised {
                match lang {
                    Lang::Zh => "PM2.5（去季节）µg/m³",
                    Lang::En => "PM2.5 (deseasonalised) µg/m³",
                }
            } else {
                "PM2.5 µg/m³"
            })
            .label_style(font(11.0))
            .axis_desc_style(font(12.0))
            .draw()
            .map_err(draw_err)?;
        let red = RGBColor(215, 48, 39);
        let band = vec![
            (x(t.band_lower[0].0), t.band_lower[0].1),
            (x(t.band_lower[1].0), t.band_lower[1].1),
            (x(t.band_upper[1].0), t.band_upper[1].1),
            (x(t.band_upper[0].0), t.band_upper[0].1),
        ];
        chart
            .draw_series(std::iter::once(Polygon::new(band, red.mix(0.18).filled())))
            .map_err(draw_err)?;
        chart
            .draw_series(LineSeries::new(
                t.months.iter().filter_map(|m| m.1.map(|v| (x(m.0), v))),
                RGBColor(49, 130, 189).stroke_width(1),
            ))
            .map_err(draw_err)?;
        chart
            .draw_series(t.months.iter().filter_map(|m| {
                m.1.map(|v| Circle::new((x(m.0), v), 2, RGBColor(49, 130, 189).filled()))
            }))
            .map_err(draw_err)?;
        chart
            .draw_series(LineSeries::new(
                t.line.iter().map(|p| (x(p.0), p.1)),
                red.stroke_width(2),
            ))
            .map_err(draw_err)?;
        Ok(())
    })
}

/// The SVG as a PNG, `scale` × its size, text in the system's fonts (Noto CJK for Chinese).
pub fn png(svg: &str, scale: f32) -> Result<Vec<u8>, ChartError> {
    use resvg::{tiny_skia, usvg};
    use std::sync::OnceLock;
    static FONTS: OnceLock<std::sync::Arc<usvg::fontdb::Database>> = OnceLock::new();
    let fonts = FONTS.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_system_fonts();
        std::sync::Arc::new(db)
    });
    let opt = usvg::Options {
        fontdb: fonts.clone(),
        ..Default::default()
    };
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| ChartError::Png(e.to_string()))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or(ChartError::Png("empty size".into()))?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or(ChartError::Png("cannot allocate the image".into()))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| ChartError::Png(e.to_string()))
}
