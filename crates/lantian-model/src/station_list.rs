//! Station lists: published coordinates of monitoring stations, read so that a
//! [`Registry`](crate::Registry) can place its stations ([`Registry::locate`](crate::Registry::locate)).
//!
//! Two public list formats are read, told apart by their header:
//!
//! - **the CNEMC national list** (`站点列表-2022.02.13起.csv`): `监测点编码,监测点名称,城市,经度,
//!   纬度,对照点`, one row per national station (`1001A,万寿西宫,北京,116.3621,39.8784,N`). It is
//!   matched by the registry's `national_code`. Ten rows of the published list have no
//!   coordinates (eight empty, two `-`); such rows are read as "listed, not located", not as an
//!   error. [`ListFormat::CnemcNational`].
//! - **the KDD Cup 2018 list of Beijing's 2013–2021 network**: `监测点ID,经度,纬度` with pinyin ids
//!   (`dongsi_aq,116.417,39.929`). It is matched by name: the id without `_aq`, compared with the
//!   registry's `name_en` (without its parenthesised gloss: `Aotizhongxin (Olympic Centre)` is
//!   `aotizhongxin`) and aliases, ignoring case and spaces (`Fengtai Huayuan` is
//!   `fengtaihuayuan`). Three ids are spelt otherwise; see [`KDD_SPELLINGS`].
//!   [`ListFormat::KddCup2018`].
//!
//! Both files as published are UTF-8 without BOM, LF line ends; a BOM is skipped, and a file that
//! is not UTF-8 (a list re-saved as GBK) is an error naming its first bad line.
//!
//! Neither list states its datum (the [`registry`](crate::registry) module says what was measured); coordinates are
//! read and applied as published, never converted.
//!
//! ```
//! use lantian_model::{Registry, station_list::{StationList, Placement}};
//!
//! let national = StationList::from_csv_str(
//!     "监测点编码,监测点名称,城市,经度,纬度,对照点\n1003A,东四,北京,116.4174,39.9289,N\n",
//!     "national.csv",
//! ).unwrap();
//! let kdd = StationList::from_csv_str(
//!     "监测点ID,经度,纬度\ndongsi_aq,116.417,39.929\ntiantan_aq,116.407,39.886\n",
//!     "kdd.csv",
//! ).unwrap();
//! let mut reg = Registry::beijing();
//! let report = reg.locate(&[national, kdd]);
//! // 东四 is in both lists: the national list's coordinates are kept, the distance recorded.
//! let dongsi = reg.get("东四").unwrap();
//! assert_eq!((dongsi.longitude, dongsi.latitude), (Some(116.4174), Some(39.9289)));
//! let d = report.disagreements.iter().find(|d| d.station == "东四").unwrap();
//! assert_eq!(d.distance_m.round(), 36.0);
//! // 东城东四 has the national code 1003A too; 东城天坛 continues 天坛 (same site).
//! assert!(matches!(report.placement("东城东四"), Some(Placement::National { .. })));
//! assert!(matches!(report.placement("东城天坛"), Some(Placement::Continued { .. })));
//! assert_eq!(reg.get("东城天坛").unwrap().longitude, Some(116.407));
//! ```

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

/// Which published list a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFormat {
    /// CNEMC's national station list: `监测点编码,监测点名称,城市,经度,纬度,对照点`.
    CnemcNational,
    /// The KDD Cup 2018 list of Beijing's 2013–2021 stations: `监测点ID,经度,纬度`.
    KddCup2018,
}

impl ListFormat {
    /// The column that identifies a row, as the file's header names it.
    fn id_column(self) -> &'static str {
        match self {
            ListFormat::CnemcNational => "监测点编码",
            ListFormat::KddCup2018 => "监测点ID",
        }
    }
}

impl fmt::Display for ListFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ListFormat::CnemcNational => "CNEMC national station list",
            ListFormat::KddCup2018 => "KDD Cup 2018 Beijing station list",
        })
    }
}

/// KDD Cup 2018 ids whose pinyin is not the registry's `name_en`, as (id without `_aq`, the
/// registry's normalised `name_en`). Each was checked against the coordinates:
/// - `yanqin`: 延庆 with the final g dropped; at 115.972, 40.453, 20 m from the national list's
///   延庆夏都 (3281A), the new network's station in 延庆 town;
/// - `pingchang`: 昌平 with its syllables swapped; at 116.23, 40.217, 34 m from 1010A 昌平镇,
///   the national code the registry gives 昌平;
/// - `miyunshuiku`: 密云水库 in pinyin, where the registry translates it (`Miyun Reservoir`).
///
/// With these, all 35 ids of the published list match one registry station each (tested).
pub const KDD_SPELLINGS: [(&str, &str); 3] = [
    ("yanqin", "yanqing"),
    ("pingchang", "changping"),
    ("miyunshuiku", "miyunreservoir"),
];

/// One row of a station list.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedSite {
    /// The national code (`1001A`) or the KDD id (`dongsi_aq`).
    pub id: String,
    /// 监测点名称 (national list only).
    pub name: Option<String>,
    /// 城市 (national list only).
    pub city: Option<String>,
    /// Degrees east; `None` where the list gives no coordinates.
    pub longitude: Option<f64>,
    /// Degrees north; `None` where the list gives no coordinates.
    pub latitude: Option<f64>,
    /// The line of the file the row is on (the header is line 1).
    pub line: u64,
}

/// A station list read from one file.
#[derive(Debug, Clone, PartialEq)]
pub struct StationList {
    /// The file, as given (it names the list in errors and reports).
    pub file: String,
    pub format: ListFormat,
    pub sites: Vec<ListedSite>,
}

/// An error in a station list, with its place.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum StationListError {
    #[error("{file}: cannot read: {message}")]
    Io { file: String, message: String },
    #[error("{file}:{line}: not UTF-8 (a station list re-saved as GBK? save it as UTF-8)")]
    NotUtf8 { file: String, line: u64 },
    #[error(
        "{file}:1: not a known station list: the header {header:?} is neither the CNEMC list's \
         (监测点编码,监测点名称,城市,经度,纬度,对照点) nor the KDD Cup 2018 list's (监测点ID,经度,纬度)"
    )]
    UnknownHeader { file: String, header: String },
    #[error("{file}:{line}: {message}")]
    Csv {
        file: String,
        line: u64,
        message: String,
    },
    #[error("{file}:{line}: field `{field}` is empty")]
    Empty {
        file: String,
        line: u64,
        field: String,
    },
    #[error("{file}:{line}: field `{field}`: not a number: {value:?}")]
    NotANumber {
        file: String,
        line: u64,
        field: String,
        value: String,
    },
    #[error("{file}:{line}: field `{field}`: {value} is outside {min}..{max}")]
    OutOfRange {
        file: String,
        line: u64,
        field: String,
        value: f64,
        min: f64,
        max: f64,
    },
    #[error(
        "{file}:{line}: field `{field}` is empty while the other coordinate is given ({other:?})"
    )]
    HalfCoordinate {
        file: String,
        line: u64,
        field: String,
        other: String,
    },
    #[error("{file}:{line}: field `{field}`: {code:?} appears twice (first on line {first_line})")]
    Duplicate {
        file: String,
        line: u64,
        field: String,
        code: String,
        first_line: u64,
    },
}

impl StationList {
    /// Read a station list; its format is known from its header.
    pub fn from_path(path: &Path) -> Result<StationList, StationListError> {
        let file = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| StationListError::Io {
            file: file.clone(),
            message: e.to_string(),
        })?;
        StationList::from_bytes(&bytes, &file)
    }

    /// Read a station list from the bytes of a file; `file` names it in errors.
    pub fn from_bytes(bytes: &[u8], file: &str) -> Result<StationList, StationListError> {
        let text = std::str::from_utf8(bytes).map_err(|e| StationListError::NotUtf8 {
            file: file.to_string(),
            line: 1 + bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64,
        })?;
        StationList::from_csv_str(text, file)
    }

    /// Read a station list from CSV text; `file` names it in errors.
    pub fn from_csv_str(text: &str, file: &str) -> Result<StationList, StationListError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        // The csv reader numbers the lines of a CRLF file one short (it counts a record's start
        // before the LF of the line before): read LF only, so errors name the right line.
        let text = text.replace("\r\n", "\n");
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(false)
            .from_reader(text.as_bytes());
        let csv_err = |e: csv::Error| StationListError::Csv {
            file: file.to_string(),
            line: e.position().map_or(1, |p| p.line()),
            message: e.to_string(),
        };
        let headers: Vec<String> = rdr
            .headers()
            .map_err(csv_err)?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let col = |name: &str| headers.iter().position(|h| h == name);
        let unknown = || StationListError::UnknownHeader {
            file: file.to_string(),
            header: headers.join(","),
        };
        let format = match (col("监测点编码"), col("监测点ID")) {
            (Some(_), _) => ListFormat::CnemcNational,
            (None, Some(_)) => ListFormat::KddCup2018,
            (None, None) => return Err(unknown()),
        };
        let id_col = col(format.id_column()).ok_or_else(unknown)?;
        let (lon_col, lat_col) = match (col("经度"), col("纬度")) {
            (Some(a), Some(b)) => (a, b),
            _ => return Err(unknown()),
        };
        let (name_col, city_col) = (col("监测点名称"), col("城市"));
        let mut sites = Vec::new();
        let mut seen: HashMap<String, u64> = HashMap::new();
        for rec in rdr.records() {
            let rec = rec.map_err(csv_err)?;
            let line = rec.position().map_or(0, |p| p.line());
            let get = |i: usize| rec.get(i).unwrap_or("").trim();
            let id = get(id_col).to_string();
            if id.is_empty() {
                return Err(StationListError::Empty {
                    file: file.to_string(),
                    line,
                    field: headers[id_col].clone(),
                });
            }
            if let Some(&first_line) = seen.get(&id) {
                return Err(StationListError::Duplicate {
                    file: file.to_string(),
                    line,
                    field: headers[id_col].clone(),
                    code: id,
                    first_line,
                });
            }
            seen.insert(id.clone(), line);
            let (lon, lat) = (get(lon_col), get(lat_col));
            // The national list leaves ten stations without coordinates, as empty fields or `-`.
            let missing = |v: &str| v.is_empty() || v == "-";
            let (longitude, latitude) = match (missing(lon), missing(lat)) {
                (true, true) => (None, None),
                (false, false) => (
                    Some(coordinate(file, line, &headers[lon_col], lon, 180.0)?),
                    Some(coordinate(file, line, &headers[lat_col], lat, 90.0)?),
                ),
                (lon_missing, _) => {
                    let (field, other) = if lon_missing {
                        (lon_col, lat)
                    } else {
                        (lat_col, lon)
                    };
                    return Err(StationListError::HalfCoordinate {
                        file: file.to_string(),
                        line,
                        field: headers[field].clone(),
                        other: other.to_string(),
                    });
                }
            };
            let text = |c: Option<usize>| c.map(|i| get(i).to_string()).filter(|s| !s.is_empty());
            sites.push(ListedSite {
                id,
                name: text(name_col),
                city: text(city_col),
                longitude,
                latitude,
                line,
            });
        }
        Ok(StationList {
            file: file.to_string(),
            format,
            sites,
        })
    }

    /// The row of `id`, if listed.
    pub fn get(&self, id: &str) -> Option<&ListedSite> {
        self.sites.iter().find(|s| s.id == id)
    }
}

/// A coordinate in degrees, within ±`limit`.
fn coordinate(
    file: &str,
    line: u64,
    field: &str,
    value: &str,
    limit: f64,
) -> Result<f64, StationListError> {
    let v: f64 = value.parse().map_err(|_| StationListError::NotANumber {
        file: file.to_string(),
        line,
        field: field.to_string(),
        value: value.to_string(),
    })?;
    if !v.is_finite() {
        return Err(StationListError::NotANumber {
            file: file.to_string(),
            line,
            field: field.to_string(),
            value: value.to_string(),
        });
    }
    if !(-limit..=limit).contains(&v) {
        return Err(StationListError::OutOfRange {
            file: file.to_string(),
            line,
            field: field.to_string(),
            value: v,
            min: -limit,
            max: limit,
        });
    }
    Ok(v)
}

/// A name as the KDD list spells it: lower case, no spaces, no parenthesised gloss.
pub(crate) fn name_key(name: &str) -> String {
    let bare = name.split('(').next().unwrap_or(name);
    bare.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The registry key a KDD id stands for (`dongsi_aq` → `dongsi`, `yanqin_aq` → `yanqing`).
pub(crate) fn kdd_key(id: &str) -> String {
    let key = name_key(id.strip_suffix("_aq").unwrap_or(id));
    KDD_SPELLINGS
        .iter()
        .find(|(kdd, _)| *kdd == key)
        .map_or(key, |(_, registry)| registry.to_string())
}

/// Where a station's coordinates came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Placement {
    /// The station's `national_code` in a CNEMC national list.
    National {
        file: String,
        line: u64,
        code: String,
    },
    /// The station's name or alias as a KDD Cup 2018 id.
    Kdd { file: String, line: u64, id: String },
    /// The coordinates of the station it `continues`, which the registry's continuation evidence
    /// says is the same site.
    Continued { from: String },
    /// The registry's own `longitude`/`latitude` (never overwritten).
    Registry,
}

impl fmt::Display for Placement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Placement::National { file, line, code } => write!(f, "{file}:{line} ({code})"),
            Placement::Kdd { file, line, id } => write!(f, "{file}:{line} ({id})"),
            Placement::Continued { from } => write!(f, "continues {from}"),
            Placement::Registry => f.write_str("registry"),
        }
    }
}

/// A station that got coordinates from a list (or from the station it continues).
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    pub station: String,
    pub longitude: f64,
    pub latitude: f64,
    pub placement: Placement,
}

/// Two sources giving one station different coordinates: the one kept, the other, and how far
/// apart they are.
#[derive(Debug, Clone, PartialEq)]
pub struct Disagreement {
    pub station: String,
    pub kept: Placement,
    pub other: Placement,
    /// Great-circle distance in metres ([`distance_m`]).
    pub distance_m: f64,
}

/// What [`Registry::locate`](crate::Registry::locate) did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LocateReport {
    /// Stations that got coordinates, in registry order.
    pub located: Vec<Located>,
    /// Stations whose registry already gave coordinates: kept as they are.
    pub kept: Vec<String>,
    /// Stations that two sources place differently (the kept one first).
    pub disagreements: Vec<Disagreement>,
    /// Stations that still have no coordinates, in registry order.
    pub unlocated: Vec<String>,
    /// KDD ids that match no registry station, or more than one (`file`, `id`, the stations).
    pub unmatched: Vec<(String, String, Vec<String>)>,
}

impl LocateReport {
    /// How a station was placed (`Registry` if it kept its own coordinates).
    pub fn placement(&self, station: &str) -> Option<&Placement> {
        if self.kept.iter().any(|s| s == station) {
            return Some(&Placement::Registry);
        }
        self.located
            .iter()
            .find(|l| l.station == station)
            .map(|l| &l.placement)
    }
}

/// Mean Earth radius (IUGG, metres): the distances here are for reports, a sphere is enough.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Great-circle (haversine) distance in metres between two (longitude, latitude) points.
pub fn distance_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (l1, p1) = (a.0.to_radians(), a.1.to_radians());
    let (l2, p2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((p2 - p1) / 2.0).sin().powi(2) + p1.cos() * p2.cos() * ((l2 - l1) / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Registry;

    const NATIONAL: &str = "监测点编码,监测点名称,城市,经度,纬度,对照点\n\
        1001A,万寿西宫,北京,116.3621,39.8784,N\n\
        1007A,海淀万柳,北京,116.2878,39.9611,N\n\
        1045A,市政府,秦皇岛,-,-,N\n\
        1202A,环境监测站,镇江,,,N\n";
    const KDD: &str = "监测点ID,经度,纬度\n\
        wanshouxigong_aq,116.352,39.878\n\
        wanliu_aq,116.287,39.987\n\
        aotizhongxin_aq,116.397,39.982\n\
        fengtaihuayuan_aq,116.279,39.863\n\
        yungang_aq,116.146,39.824\n\
        yanqin_aq,115.972,40.453\n\
        pingchang_aq,116.23,40.217\n\
        miyunshuiku_aq,116.911,40.499\n\
        fangshan_aq,116.136,39.742\n\
        dingling_aq,116.22,40.292\n\
        nowhere_aq,116.0,40.0\n";

    fn lists() -> [StationList; 2] {
        [
            StationList::from_csv_str(NATIONAL, "national.csv").unwrap(),
            StationList::from_csv_str(KDD, "kdd.csv").unwrap(),
        ]
    }

    #[test]
    fn both_formats_are_read_with_their_quirks() {
        let [n, k] = lists();
        assert_eq!(n.format, ListFormat::CnemcNational);
        assert_eq!(k.format, ListFormat::KddCup2018);
        assert_eq!(n.sites.len(), 4);
        let wsxg = n.get("1001A").unwrap();
        assert_eq!(wsxg.name.as_deref(), Some("万寿西宫"));
        assert_eq!(wsxg.city.as_deref(), Some("北京"));
        assert_eq!(
            (wsxg.longitude, wsxg.latitude, wsxg.line),
            (Some(116.3621), Some(39.8784), 2)
        );
        // `-` and empty fields: listed without coordinates.
        for id in ["1045A", "1202A"] {
            let s = n.get(id).unwrap();
            assert_eq!((s.longitude, s.latitude), (None, None), "{id}");
        }
        assert_eq!(k.get("dongsi_aq"), None);
        assert_eq!(k.get("yanqin_aq").unwrap().longitude, Some(115.972));
        assert_eq!(k.get("yanqin_aq").unwrap().name, None);
        // A BOM and CRLF line ends read the same.
        let bom = format!("\u{feff}{}", KDD.replace('\n', "\r\n"));
        let k2 = StationList::from_csv_str(&bom, "kdd.csv").unwrap();
        assert_eq!(k2.sites, k.sites);
    }

    fn err(text: &str) -> String {
        StationList::from_csv_str(text, "list.csv")
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn bad_rows_name_file_line_and_field() {
        let h =
            "监测点编码,监测点名称,城市,经度,纬度,对照点\n1001A,万寿西宫,北京,116.3621,39.8784,N\n";
        assert_eq!(
            err(&format!("{h}1002A,定陵,北京,east,40.29,Y\n")),
            "list.csv:3: field `经度`: not a number: \"east\""
        );
        assert_eq!(
            err(&format!("{h}1002A,定陵,北京,216.22,40.29,Y\n")),
            "list.csv:3: field `经度`: 216.22 is outside -180..180"
        );
        assert_eq!(
            err(&format!("{h}1002A,定陵,北京,116.22,-91,Y\n")),
            "list.csv:3: field `纬度`: -91 is outside -90..90"
        );
        assert_eq!(
            err(&format!("{h}1002A,定陵,北京,116.22,NaN,Y\n")),
            "list.csv:3: field `纬度`: not a number: \"NaN\""
        );
        assert_eq!(
            err(&format!("{h}1002A,定陵,北京,116.22,,Y\n")),
            "list.csv:3: field `纬度` is empty while the other coordinate is given (\"116.22\")"
        );
        assert_eq!(
            err(&format!(
                "{h}1002A,定陵,北京,116.22,40.29,Y\n1001A,又一个,北京,116,40,N\n"
            )),
            "list.csv:4: field `监测点编码`: \"1001A\" appears twice (first on line 2)"
        );
        assert_eq!(
            err(&format!("{h},无码,北京,116,40,N\n")),
            "list.csv:3: field `监测点编码` is empty"
        );
        assert_eq!(
            err("监测点ID,经度,纬度\ndongsi_aq,116.417,39.929\ndongsi_aq,116.417,39.929\n"),
            "list.csv:3: field `监测点ID`: \"dongsi_aq\" appears twice (first on line 2)"
        );
        let e = err("code,lon,lat\nA,1,2\n");
        assert!(
            e.starts_with("list.csv:1: not a known station list: the header \"code,lon,lat\""),
            "{e}"
        );
        let e = err(&format!("{h}1002A,定陵,北京,116.22\n"));
        assert!(e.starts_with("list.csv:3: "), "{e}");
        // GBK bytes of 北京 on line 3.
        let mut gbk = h.as_bytes().to_vec();
        gbk.extend_from_slice(b"1002A,x,\xb1\xb1\xbe\xa9,116,40,N\n");
        assert_eq!(
            StationList::from_bytes(&gbk, "list.csv")
                .unwrap_err()
                .to_string(),
            "list.csv:3: not UTF-8 (a station list re-saved as GBK? save it as UTF-8)"
        );
    }

    #[test]
    fn kdd_ids_normalise_to_registry_names() {
        assert_eq!(kdd_key("dongsi_aq"), "dongsi");
        assert_eq!(kdd_key("yanqin_aq"), "yanqing");
        assert_eq!(name_key("Aotizhongxin (Olympic Centre)"), "aotizhongxin");
        assert_eq!(name_key("Fengtai Huayuan"), "fengtaihuayuan");
        assert_eq!(name_key("Miyun Reservoir"), "miyunreservoir");
    }

    #[test]
    fn locate_applies_national_then_kdd_then_continuation() {
        let mut reg = Registry::beijing();
        let report = reg.locate(&lists());
        let at = |c: &str| {
            let s = reg.get(c).unwrap();
            (s.longitude, s.latitude)
        };
        // National code: both generations of 1001A take the national list's coordinates.
        assert_eq!(at("万寿西宫"), (Some(116.3621), Some(39.8784)));
        assert_eq!(at("西城万寿西宫"), (Some(116.3621), Some(39.8784)));
        assert_eq!(
            report.placement("西城万寿西宫"),
            Some(&Placement::National {
                file: "national.csv".into(),
                line: 2,
                code: "1001A".into()
            })
        );
        // KDD by name, by a spelling of the table, by the gloss-less English name.
        assert_eq!(at("丰台花园"), (Some(116.279), Some(39.863)));
        assert_eq!(at("延庆"), (Some(115.972), Some(40.453)));
        assert_eq!(at("昌平"), (Some(116.23), Some(40.217)));
        assert_eq!(at("密云水库"), (Some(116.911), Some(40.499)));
        assert_eq!(at("奥体中心"), (Some(116.397), Some(39.982)));
        assert_eq!(
            report.placement("密云水库"),
            Some(&Placement::Kdd {
                file: "kdd.csv".into(),
                line: 9,
                id: "miyunshuiku_aq".into()
            })
        );
        // Continuation: 丰台云岗 continues 云岗 (same site), 朝阳奥体中心 continues 奥体中心
        // (1011A, not in this national list); 房山良乡 has no evidence of being 房山's site.
        assert_eq!(at("丰台云岗"), (Some(116.146), Some(39.824)));
        assert_eq!(
            report.placement("丰台云岗"),
            Some(&Placement::Continued {
                from: "云岗".into()
            })
        );
        assert_eq!(at("朝阳奥体中心"), (Some(116.397), Some(39.982)));
        assert_eq!(at("房山"), (Some(116.136), Some(39.742)));
        assert_eq!(at("房山良乡"), (None, None));
        assert!(report.unlocated.contains(&"房山良乡".to_string()));
        // `Dingling` is both 定陵 and `Dingling (control)`, 定陵(对照点), which continues it: the
        // list's is the old one, and the new one continues it.
        assert_eq!(
            report.placement("定陵").map(ToString::to_string).as_deref(),
            Some("kdd.csv:11 (dingling_aq)")
        );
        assert_eq!(at("定陵(对照点)"), (Some(116.22), Some(40.292)));
        // 2 national codes × 2 generations; 8 old stations by KDD id (万寿西宫 and 万柳 are
        // already placed); 4 continuations of those (朝阳奥体中心, 昌平镇, 丰台云岗, 定陵(对照点)).
        assert_eq!(report.located.len(), 4 + 8 + 4);
        assert_eq!(report.unlocated.len(), 70 - 16);
        // The two sites in both lists: national kept, the distance recorded.
        let d: Vec<(&str, f64)> = report
            .disagreements
            .iter()
            .map(|d| (d.station.as_str(), (d.distance_m * 10.0).round() / 10.0))
            .collect();
        assert_eq!(d, vec![("万寿西宫", 863.0), ("万柳", 2880.8)]);
        assert!(matches!(
            report.disagreements[0].kept,
            Placement::National { .. }
        ));
        assert!(matches!(
            report.disagreements[0].other,
            Placement::Kdd { .. }
        ));
        // An id matching nothing is reported.
        assert_eq!(
            report.unmatched,
            vec![(
                "kdd.csv".to_string(),
                "nowhere_aq".to_string(),
                Vec::<String>::new()
            )]
        );
    }

    #[test]
    fn locate_never_overwrites_a_user_registrys_coordinates() {
        let mut reg = Registry::beijing();
        reg.merge(
            Registry::from_csv_str(
                "code,name_zh,name_en,district_zh,district_en,network,role,national_code,longitude,latitude\n\
                 万寿西宫,万寿西宫,Wanshouxigong,西城区,Xicheng,bjmemc-2013,urban,1001A,116.36,39.88\n",
                "mine.csv",
            )
            .unwrap(),
        );
        let report = reg.locate(&lists());
        let s = reg.get("万寿西宫").unwrap();
        assert_eq!((s.longitude, s.latitude), (Some(116.36), Some(39.88)));
        assert_eq!(report.placement("万寿西宫"), Some(&Placement::Registry));
        assert_eq!(report.kept, vec!["万寿西宫".to_string()]);
        // Its national code still places the new generation's station.
        assert_eq!(reg.get("西城万寿西宫").unwrap().longitude, Some(116.3621));
        // Its disagreements with both lists are recorded too.
        let d: Vec<(&Placement, &str, f64)> = report
            .disagreements
            .iter()
            .filter(|d| d.station == "万寿西宫")
            .map(|d| {
                let other = match &d.other {
                    Placement::National { code, .. } => code.as_str(),
                    Placement::Kdd { id, .. } => id.as_str(),
                    _ => "",
                };
                (&d.kept, other, (d.distance_m * 10.0).round() / 10.0)
            })
            .collect();
        assert_eq!(
            d,
            vec![
                (&Placement::Registry, "1001A", 252.5),
                (&Placement::Registry, "wanshouxigong_aq", 718.0)
            ]
        );
    }

    #[test]
    fn an_id_matching_two_stations_places_neither() {
        let mut reg = Registry::beijing();
        reg.merge(
            Registry::from_csv_str(
                "code,name_zh,name_en,district_zh,district_en,network,role\n\
                 X1,某站,Fangshan,房山区,Fangshan,mine,urban\n",
                "mine.csv",
            )
            .unwrap(),
        );
        let report = reg.locate(&lists());
        assert_eq!(reg.get("房山").unwrap().longitude, None);
        assert_eq!(reg.get("X1").unwrap().longitude, None);
        assert_eq!(
            report.unmatched[0],
            (
                "kdd.csv".to_string(),
                "fangshan_aq".to_string(),
                vec!["房山".to_string(), "X1".to_string()]
            )
        );
    }

    #[test]
    fn distances_are_great_circle_metres() {
        // One degree of latitude on the mean sphere.
        assert_eq!(distance_m((116.0, 39.0), (116.0, 40.0)).round(), 111_195.0);
        assert_eq!(distance_m((116.4, 39.9), (116.4, 39.9)), 0.0);
    }
}
