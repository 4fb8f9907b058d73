//! The sections file: one row per monitoring section.
//!
//! `code,name_zh,name_en,body,province,basin,water,district,upstream,downstream,inflow_section,target,lat,lon`
//!
//! `body` is `river` or `lake` (lakes and reservoirs: GB 3838's lake limits of total phosphorus);
//! `target` the functional class (I–V, Ⅲ, Ⅲ类 …) or empty for a section without one;
//! `upstream`/`downstream` the districts a boundary section divides (both or neither);
//! `inflow_section` the section where the water entered the upstream district, when it did.
//! A section without a target is kept and assessed; only "meets its target" and the
//! compensation, which need one, say it is missing.

use super::Problem;
use lantian_water::{Section, WaterBody, WaterClass};

/// The columns, in order (the header must name them; extra columns are refused so a misspelt
/// one is not ignored).
pub const COLUMNS: [&str; 14] = [
    "code",
    "name_zh",
    "name_en",
    "body",
    "province",
    "basin",
    "water",
    "district",
    "upstream",
    "downstream",
    "inflow_section",
    "target",
    "lat",
    "lon",
];

/// The sections read and the rows that could not be.
#[derive(Debug, Clone, Default)]
pub struct Sections {
    pub sections: Vec<Section>,
    pub problems: Vec<Problem>,
}

/// Read a sections file. A row with a problem is left out and named; the others are kept.
pub fn read_sections(file: &str, text: &str) -> Result<Sections, Problem> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut line_of = crate::text::LineOf::new(text.trim_start_matches('\u{feff}'));
    let header = super::header_of(file, &mut rdr)?;
    if header != COLUMNS {
        return Err(Problem::new(
            file,
            1,
            "header",
            &header.join(","),
            format!("a sections file has the columns {}", COLUMNS.join(",")),
        ));
    }
    let mut out = Sections::default();
    let mut seen = std::collections::HashMap::new();
    let mut names: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    for rec in rdr.records() {
        let (rec, line) = match super::record(file, rec, COLUMNS.len(), &mut line_of) {
            Ok(x) => x,
            Err(p) => {
                out.problems.push(p);
                continue;
            }
        };
        let f = |k: usize| rec[k].trim().to_string();
        let opt = |k: usize| Some(f(k)).filter(|s| !s.is_empty());
        let bad = |k: usize, why: String| Problem::new(file, line, COLUMNS[k], &rec[k], why);
        let code = f(0);
        if code.is_empty() {
            out.problems.push(bad(0, "a section needs a code".into()));
            continue;
        }
        let body = match f(3).to_ascii_lowercase().as_str() {
            "river" | "河流" => WaterBody::River,
            "lake" | "reservoir" | "湖库" | "湖泊" | "水库" => WaterBody::Lake,
            _ => {
                out.problems.push(bad(
                    3,
                    "body is river or lake (lakes and reservoirs)".into(),
                ));
                continue;
            }
        };
        let target = match opt(11) {
            None => None,
            Some(t) => match WaterClass::parse(&t) {
                Some(c) => Some(c),
                None => {
                    out.problems
                        .push(bad(11, "a target class is I, II, III, IV or V".into()));
                    continue;
                }
            },
        };
        let coord =
            |k: usize, range: std::ops::RangeInclusive<f64>| -> Result<Option<f64>, Problem> {
                match opt(k) {
                    None => Ok(None),
                    Some(t) => t
                        .parse::<f64>()
                        .ok()
                        .filter(|v| range.contains(v))
                        .map(Some)
                        .ok_or_else(|| bad(k, format!("not a coordinate in {range:?}"))),
                }
            };
        let (lat, lon) = match (coord(12, -90.0..=90.0), coord(13, -180.0..=180.0)) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(p), _) | (_, Err(p)) => {
                out.problems.push(p);
                continue;
            }
        };
        let (upstream, downstream) = (opt(8), opt(9));
        if upstream.is_some() != downstream.is_some() {
            out.problems.push(bad(
                if upstream.is_some() { 9 } else { 8 },
                "a boundary section names both the upstream and the downstream district".into(),
            ));
            continue;
        }
        // The automatic-station layout names sections, so two sections of one name could not
        // be told apart there.
        if let Some(first) = names.get(f(1).as_str()) {
            out.problems.push(bad(
                1,
                format!("the name is already the section's on line {first}; the first is kept"),
            ));
            continue;
        }
        if let Some(first) = seen.insert(code.clone(), line) {
            out.problems.push(bad(
                0,
                format!("the section {code} is already on line {first}; the first is kept"),
            ));
            continue;
        }
        names.insert(f(1), line);
        out.sections.push(Section {
            code,
            name_zh: f(1),
            name_en: f(2),
            body,
            province: f(4),
            basin: f(5),
            water: f(6),
            district: f(7),
            upstream,
            downstream,
            inflow_section: opt(10),
            target,
            lat,
            lon,
        });
    }
    Ok(out)
}

/// Write sections in the same layout.
pub fn write_sections(sections: &[Section]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS).expect("in memory");
    for s in sections {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        let n = |v: Option<f64>| v.map(|x| format!("{x:.4}")).unwrap_or_default();
        w.write_record([
            s.code.clone(),
            s.name_zh.clone(),
            s.name_en.clone(),
            match s.body {
                WaterBody::River => "river".into(),
                WaterBody::Lake => "lake".into(),
            },
            s.province.clone(),
            s.basin.clone(),
            s.water.clone(),
            s.district.clone(),
            o(&s.upstream),
            o(&s.downstream),
            o(&s.inflow_section),
            s.target.map(|t| t.to_string()).unwrap_or_default(),
            n(s.lat),
            n(s.lon),
        ])
        .expect("in memory");
    }
    String::from_utf8(w.into_inner().expect("in memory")).expect("UTF-8 in, UTF-8 out")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_read_and_bad_rows_are_named() {
        let text = format!(
            "{}\nBJ01,沙河闸,Shahe Sluice,river,北京市,海河流域,温榆河,昌平区,昌平区,顺义区,,IV,40.13,116.28\n\
             BJ02,密云水库,Miyun Reservoir,lake,北京市,海河流域,密云水库,密云区,,,,II,40.5,116.9\n\
             BJ03,某断面,X,sea,北京市,海河流域,x,x,,,,III,,\n\
             BJ04,某断面,X,river,北京市,海河流域,x,x,,,,VI,,\n\
             BJ05,无目标,No target,river,北京市,海河流域,x,x,,,,,,\n\
             BJ06,半边,Half,river,北京市,海河流域,x,x,昌平区,,,III,,\n\
             BJ01,重复,Again,river,北京市,海河流域,x,x,,,,III,,\n\
             BJ07,沙河闸,Same name,river,北京市,海河流域,x,x,,,,III,,\n",
            COLUMNS.join(",")
        );
        let s = read_sections("s.csv", &text).unwrap();
        let codes: Vec<&str> = s.sections.iter().map(|x| x.code.as_str()).collect();
        assert_eq!(codes, ["BJ01", "BJ02", "BJ05"]);
        assert!(s.sections[0].is_boundary());
        assert_eq!(s.sections[1].body, WaterBody::Lake);
        assert_eq!(s.sections[1].target, Some(WaterClass::II));
        assert_eq!(s.sections[2].target, None);
        let msgs: Vec<String> = s.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(msgs.len(), 5, "{msgs:#?}");
        assert!(msgs[4].starts_with("s.csv:9: name_zh:"), "{}", msgs[4]);
        assert!(msgs[0].starts_with("s.csv:4: body:"), "{}", msgs[0]);
        assert!(msgs[1].starts_with("s.csv:5: target:"), "{}", msgs[1]);
        assert!(msgs[2].starts_with("s.csv:7: downstream:"), "{}", msgs[2]);
        assert!(msgs[3].contains("already on line 2"), "{}", msgs[3]);
        // And back.
        let again = read_sections("t.csv", &write_sections(&s.sections)).unwrap();
        assert_eq!(again.sections.len(), 3);
        assert_eq!(again.sections[0].name_zh, "沙河闸");
        assert!(read_sections("u.csv", "code,name\nA,B\n").is_err());
    }
}
