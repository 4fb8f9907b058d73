//! Checking a bulletin against the engine: every figure the English Markdown report shows is
//! found again from `lantian assess --format json` (city, by district, with the same target) for
//! the same query, and the Chinese report, the HTML and the PDF show the same figures.

use lantian_assess::change::change;
use serde_json::Value;

/// The tables of a Markdown document: rows of cells (header and rule rows left out).
pub fn md_tables(md: &str) -> Vec<Vec<Vec<String>>> {
    let mut tables = Vec::new();
    let mut cur: Vec<Vec<String>> = Vec::new();
    for line in md.lines() {
        if line.starts_with('|') {
            // Split on unescaped pipes.
            let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
            let mut cells = Vec::new();
            let mut cell = String::new();
            let mut chars = inner.chars().peekable();
            while let Some(c) = chars.next() {
                if c == '\\' && chars.peek().is_some() {
                    cell.push(chars.next().unwrap());
                } else if c == '|' {
                    cells.push(cell.trim().to_string());
                    cell.clear();
                } else {
                    cell.push(c);
                }
            }
            cells.push(cell.trim().to_string());
            cur.push(cells);
        } else if !cur.is_empty() {
            // Drop the header and the rule.
            tables.push(cur.split_off(2));
            cur.clear();
        }
    }
    tables
}

fn published(stats: &Value, pollutant: &str, statistic: &Value) -> Option<f64> {
    stats["stats"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["pollutant"] == pollutant && &s["statistic"] == statistic)
        .and_then(|s| s["published"].as_f64())
}

fn conc(p: &str, v: Option<f64>) -> String {
    match v {
        Some(v) if p == "CO" => format!("{v:.1}"),
        Some(v) => format!("{v:.0}"),
        None => "—".into(),
    }
}

fn signed(c: Option<f64>) -> String {
    match c {
        Some(p) if p < 0.0 => format!("−{:.1}%", -p),
        Some(p) if p > 0.0 => format!("+{p:.1}%"),
        Some(_) => "0.0%".into(),
        None => "—".into(),
    }
}

fn pct(cur: Option<f64>, base: Option<f64>) -> Option<f64> {
    change(cur?, base?).percent
}

fn en_change(p: f64) -> String {
    if p < 0.0 {
        format!("down {:.1}% year on year", -p)
    } else if p > 0.0 {
        format!("up {p:.1}% year on year")
    } else {
        "unchanged year on year".into()
    }
}

fn en_days(d: i64) -> String {
    if d > 0 {
        format!("{d} more than a year earlier")
    } else if d < 0 {
        format!("{} fewer than a year earlier", -d)
    } else {
        "as many as a year earlier".into()
    }
}

fn zh_change(p: f64) -> String {
    if p < 0.0 {
        format!("同比下降{:.1}%", -p)
    } else if p > 0.0 {
        format!("同比上升{p:.1}%")
    } else {
        "同比持平".into()
    }
}

fn zh_days(d: i64) -> String {
    if d > 0 {
        format!("同比增加{d}天")
    } else if d < 0 {
        format!("同比减少{}天", -d)
    } else {
        "与上年同期持平".into()
    }
}

fn int(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not an integer: {v}"))
}

/// The figures of the lead, as the engine gives them: (PM2.5, its change, excellent-or-good
/// days, ratio, their change, excellent days, their change, heavy days, their change).
pub struct Lead {
    pub pm25: String,
    pub pm25_change: Option<f64>,
    pub good: i64,
    pub ratio: String,
    pub good_delta: Option<i64>,
    pub excellent: i64,
    pub excellent_delta: Option<i64>,
    pub heavy: i64,
    pub heavy_delta: Option<i64>,
}

pub fn lead_of(city: &Value) -> Lead {
    let cur = &city["current"];
    let base = &city["baseline"];
    let mean = serde_json::json!("Mean");
    let pm = published(&cur["stats"], "PM2.5", &mean);
    let bpm = if base.is_null() {
        None
    } else {
        published(&base["stats"], "PM2.5", &mean)
    };
    let d = &cur["days"];
    let bd = &base["days"];
    let delta = |f: &dyn Fn(&Value) -> i64| (!base.is_null()).then(|| f(d) - f(bd));
    Lead {
        pm25: conc("PM2.5", pm),
        pm25_change: pct(pm, bpm),
        good: int(&d["excellent_or_good"]),
        ratio: format!("{:.1}", d["excellent_or_good_ratio"].as_f64().unwrap()),
        good_delta: delta(&|x| int(&x["excellent_or_good"])),
        excellent: int(&d["by_level"][0]),
        excellent_delta: delta(&|x| int(&x["by_level"][0])),
        heavy: int(&d["heavy"]),
        heavy_delta: delta(&|x| int(&x["heavy"])),
    }
}

/// Check the English Markdown against the engine's JSON: `city` from `assess --format json
/// --target PM2.5=35`, `districts` from `assess --by district --format json`.
pub fn check_en_markdown(md: &str, city: &Value, districts: &Value) {
    let l = lead_of(city);
    let lead = md
        .lines()
        .find(|x| x.starts_with("**In "))
        .expect("the lead");
    assert!(
        lead.contains(&format!("of PM2.5 in Beijing was {} µg/m³", l.pm25)),
        "{lead}"
    );
    if let Some(c) = l.pm25_change {
        assert!(lead.contains(&format!("µg/m³, {}", en_change(c))), "{lead}");
    }
    assert!(
        lead.contains(&format!(
            "There were {} excellent or good days ({}% of valid days)",
            l.good, l.ratio
        )),
        "{lead}"
    );
    if let Some(d) = l.good_delta {
        assert!(
            lead.contains(&format!("of valid days), {}", en_days(d))),
            "{lead}"
        );
    }
    assert!(
        lead.contains(&format!("; {} of them w", l.excellent)),
        "{lead}"
    );
    if let Some(d) = l.excellent_delta {
        assert!(
            lead.contains(&format!("excellent ({})", en_days(d))),
            "{lead}"
        );
    }
    assert!(
        lead.contains(&format!(". {} day", l.heavy)) && lead.contains("heavily polluted or worse"),
        "{lead}"
    );
    if let Some(d) = l.heavy_delta {
        assert!(lead.contains(&en_days(d)), "{lead}");
    }

    let tables = md_tables(md);
    let cur = &city["current"];
    let base = &city["baseline"];
    // Table 1: the six headline figures; table 2: the 24-h percentiles.
    let mut seen = 0;
    let mut first_of = std::collections::BTreeSet::new();
    for s in cur["stats"]["stats"].as_array().unwrap() {
        let p = s["pollutant"].as_str().unwrap();
        let table = if first_of.insert(p.to_string()) { 0 } else { 1 };
        let v = s["published"].as_f64();
        let b = if base.is_null() {
            None
        } else {
            published(&base["stats"], p, &s["statistic"])
        };
        let row = tables[table]
            .iter()
            .find(|r| r[0] == p && r[2].starts_with(&format!("{} ", conc(p, v))))
            .unwrap_or_else(|| panic!("no row for {p} {} in {:?}", conc(p, v), tables[table]));
        assert_eq!(row[3], conc(p, b), "{p} baseline");
        assert_eq!(row[4], signed(pct(v, b)), "{p} change");
        let c = &s["completeness"];
        assert_eq!(
            row[7],
            format!(
                "{}/{}{}",
                c["valid"],
                c["expected"],
                if c["meets_rule"] == true { "" } else { " *" }
            ),
            "{p} completeness"
        );
        // Compliance of this statistic.
        let check = cur["compliance"]["pollutants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["pollutant"] == p)
            .and_then(|x| {
                x["checks"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|c| c["label"] == s["label"])
                    .cloned()
            });
        if let Some(c) = check {
            assert_eq!(row[5], conc(p, c["limit"].as_f64()), "{p} limit");
            let expect = if c["complies"] == true {
                "meets".to_string()
            } else {
                format!(
                    "exceeds ({:.2}×)",
                    c["exceedance_multiple"].as_f64().unwrap()
                )
            };
            assert_eq!(row[6], expect, "{p} compliance");
        }
        seen += 1;
    }
    assert!(seen >= 6);
    // The composite index.
    if let Some(ci) = cur["composite"]["published"].as_f64() {
        assert!(
            md.contains(&format!("The composite air quality index was {ci:.2}")),
            "composite {ci}"
        );
        if let Some(b) = base["composite"]["published"].as_f64() {
            assert!(md.contains(&format!(
                "({b:.2} a year earlier), {}",
                en_change(change(ci, b).percent.unwrap())
            )));
        }
        assert!(md.contains(&format!(
            "the largest single index was that of {}.",
            cur["composite"]["leading"].as_str().unwrap()
        )));
    }
    // The district table, row by row.
    let rows = districts["rows"].as_array().unwrap();
    if rows.len() > 1 {
        let table = tables
            .iter()
            .find(|t| {
                t.len() == rows.len() && t[0].len() == 8 && t.iter().all(|r| r[7].contains('/'))
            })
            .expect("the district table");
        for (r, row) in rows.iter().zip(table) {
            let pm = published(&r["current"]["stats"], "PM2.5", &serde_json::json!("Mean"));
            let bpm = if r["baseline"].is_null() {
                None
            } else {
                published(&r["baseline"]["stats"], "PM2.5", &serde_json::json!("Mean"))
            };
            let rank = |v: &Value| v.as_u64().map(|x| x.to_string()).unwrap_or("—".into());
            assert_eq!(row[0], rank(&r["rank_pm25"]), "{row:?}");
            assert_eq!(row[2], conc("PM2.5", pm), "{row:?}");
            assert_eq!(row[3], conc("PM2.5", bpm), "{row:?}");
            assert_eq!(row[4], signed(r["pm25_change_percent"].as_f64()), "{row:?}");
            assert_eq!(row[5], rank(&r["rank_improvement"]), "{row:?}");
            assert_eq!(
                row[6],
                r["current"]["composite"]["published"]
                    .as_f64()
                    .map(|c| format!("{c:.2}"))
                    .unwrap_or("—".into()),
                "{row:?}"
            );
            assert_eq!(
                row[7],
                format!(
                    "{}/{}",
                    r["current"]["days"]["excellent_or_good"], r["current"]["days"]["valid"]
                ),
                "{row:?}"
            );
        }
    }
    // Sand dust: the count and both ways of PM2.5 and PM10.
    let dust = city["sand_dust"]["days"]
        .as_array()
        .map(|d| d.len())
        .unwrap_or(0);
    if dust > 0 {
        let und = &cur["stats_undeducted"];
        let mean = serde_json::json!("Mean");
        assert!(md.contains(&format!(
            "The period had {dust} sand-dust day{}",
            if dust == 1 { "" } else { "s" }
        )));
        assert!(md.contains(&format!(
            "With them deducted, PM2.5 was {} and PM10 {} µg/m³; without the deduction, PM2.5 was {} and PM10 {} µg/m³.",
            conc("PM2.5", published(&cur["stats"], "PM2.5", &mean)),
            conc("PM10", published(&cur["stats"], "PM10", &mean)),
            conc("PM2.5", published(und, "PM2.5", &mean)),
            conc("PM10", published(und, "PM10", &mean)),
        )), "dust paragraph");
    }
    // The target.
    for t in city["targets"].as_array().unwrap() {
        let mean = t["mean_so_far"]
            .as_f64()
            .map(|m| format!("{m:.1}"))
            .unwrap_or("—".into());
        assert!(
            md.contains(&format!(
                "{} valid days averaged {mean} µg/m³",
                t["valid_days"]
            )),
            "target {t}"
        );
        if let Some(r) = t["required_mean"].as_f64() {
            assert!(md.contains(&format!(
                "the remaining {} days must average {} {r:.1} µg/m³",
                t["days_left"],
                if t["required_inclusive"] == true {
                    "at most"
                } else {
                    "below"
                }
            )));
        }
    }
}

/// The Chinese Markdown shows the same lead and the same table cells.
pub fn check_zh_markdown(zh: &str, en: &str, city: &Value) {
    let l = lead_of(city);
    let lead = zh.lines().find(|x| x.starts_with("**")).expect("the lead");
    assert!(lead.contains("PM2.5"), "{lead}");
    assert!(lead.contains(&format!("为{}微克/立方米", l.pm25)), "{lead}");
    if let Some(c) = l.pm25_change {
        assert!(lead.contains(&zh_change(c)), "{lead}");
    }
    assert!(
        lead.contains(&format!("优良天数{}天，优良天数比例为{}%", l.good, l.ratio)),
        "{lead}"
    );
    assert!(
        lead.contains(&format!("其中优级天数{}天", l.excellent)),
        "{lead}"
    );
    assert!(lead.contains(&format!("重污染天数{}天", l.heavy)), "{lead}");
    for d in [l.good_delta, l.excellent_delta, l.heavy_delta]
        .into_iter()
        .flatten()
    {
        assert!(lead.contains(&zh_days(d)), "{lead}");
    }
    // Every numeric cell of the English tables is in the Chinese tables at the same place.
    let (te, tz) = (md_tables(en), md_tables(zh));
    assert_eq!(te.len(), tz.len());
    for (a, b) in te.iter().zip(&tz) {
        assert_eq!(a.len(), b.len());
        for (ra, rb) in a.iter().zip(b) {
            // Column 1 is words (a statistic or a name), whose digits differ by language.
            for (ca, cb) in ra
                .iter()
                .zip(rb)
                .enumerate()
                .filter(|(i, _)| *i != 1)
                .map(|(_, c)| c)
            {
                let numeric = |s: &str| {
                    s.chars()
                        .filter(|c| c.is_ascii_digit() || *c == '.' || *c == '/')
                        .collect::<String>()
                };
                if ca
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_digit() || c == '+' || c == '−')
                {
                    assert_eq!(numeric(ca), numeric(cb), "{ra:?} / {rb:?}");
                }
            }
        }
    }
}

/// The HTML holds the same table cells as the Markdown (both render one document).
pub fn check_html(html: &str, md: &str) {
    assert!(html.starts_with("<!DOCTYPE html>"));
    // Self-contained: no external resource.
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));
    for t in md_tables(md) {
        for r in t {
            let cells: String = r
                .iter()
                .map(|c| {
                    c.replace('&', "&amp;")
                        .replace('<', "&lt;")
                        .replace('>', "&gt;")
                        .replace('"', "&quot;")
                })
                .map(|c| format!("{c}</td>"))
                .collect::<Vec<_>>()
                .join("");
            let flat: String = html.replace("<td class=\"r\">", "").replace("<td>", "");
            assert!(flat.contains(&cells), "row {r:?} not in the HTML");
        }
    }
}

/// `pdftoppm` page 1 of `pdf` to a greyscale PGM: at least 2 % of the pixels inked and some dark
/// (text), i.e. not a blank page.
pub fn assert_page_one_not_blank(pdf: &std::path::Path) {
    let prefix = pdf.with_extension("p1");
    let o = std::process::Command::new("pdftoppm")
        .args(["-f", "1", "-l", "1", "-r", "40", "-gray", "-singlefile"])
        .arg(pdf)
        .arg(&prefix)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pgm = std::fs::read(pdf.with_extension("p1.pgm")).unwrap();
    // Binary PGM: "P5 <w> <h> <max>" separated by whitespace, then one byte a pixel.
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while pgm[i].is_ascii_whitespace() {
            i += 1;
        }
        let s = i;
        while !pgm[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&pgm[s..i]).to_string());
    }
    assert_eq!(fields[0], "P5");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let px = &pgm[i + 1..];
    assert_eq!(px.len(), w * h);
    let inked = px.iter().filter(|&&p| p < 200).count();
    let dark = px.iter().filter(|&&p| p < 80).count();
    assert!(
        inked * 50 > w * h,
        "{}: page 1 is blank ({inked} of {} pixels inked)",
        pdf.display(),
        w * h
    );
    assert!(
        dark > 200,
        "{}: page 1 has no text ({dark} dark pixels)",
        pdf.display()
    );
}
