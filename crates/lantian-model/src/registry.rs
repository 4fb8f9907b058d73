//! The station registry: which stations exist, where, and what role they play.
//!
//! Lantian ships Beijing's network in both generations (`data/beijing_stations.csv`, embedded
//! in the binary): the 35 sites of 2013–2021 (`东四` … `东四环`) and the 35 sites of the
//! renamed and partly re-sited network used from 2021 (`东城东四` … `房山燕山`). A user registry in
//! the same CSV layout can be loaded on top (its rows replace shipped rows with the same code).
//!
//! ## Continuation between generations
//! A station of the new network `continues` an old one only where the evidence says it is the
//! same site:
//! - the twelve national (CNEMC) sites keep their national code across the rename, and the
//!   CNEMC national file of 2023-01-20..23 equals the BJMEMC file of the new name in 99.6–100 %
//!   of hourly values for each of `1001A`..`1012A` (checked by a test against `../shared/data`);
//! - `云岗` → `丰台云岗` and `亦庄` → `亦庄开发区` keep the site name (no national code to confirm).
//!
//! The other district sites (e.g. `房山` and `房山良乡`) have no such evidence and are *not*
//! linked; a long-term series across them needs a user decision, not a name match.
//!
//! ## Coordinates
//! The shipped file gives no `longitude`/`latitude`: they come from public station lists
//! ([`crate::station_list`]), applied by [`Registry::locate`]:
//! 1. a station whose `national_code` is in CNEMC's national list (`站点列表-2022.02.13起.csv`)
//!    takes that row's coordinates; both generations of the twelve national sites carry the code;
//! 2. an old-network station whose `name_en` or alias is a KDD Cup 2018 id (`dongsi_aq` ↔
//!    `Dongsi`) takes that list's; all 35 ids of the published list match one station each;
//! 3. a new-network station that `continues` an old one, with continuation evidence, and has no
//!    coordinates of its own, takes the old one's: the twelve national sites (which step 1
//!    already placed) and `丰台云岗` and `亦庄开发区`;
//! 4. coordinates a user registry gives are never overwritten.
//!
//! With both published lists, 49 of the 70 shipped stations get coordinates: the 35 old
//! stations and 14 new ones; the other 21 new stations have no national code in the registry and
//! no continuation, so they stay without. Where two sources place one station, the national
//! list wins and the distance is reported: the twelve national sites agree with the KDD list
//! within 34–102 m, except 万寿西宫 (863 m), 顺义 (1,152 m) and 万柳 (2,881 m). The national list
//! is dated 2022-02-13, after the rename, so for those three it may give the new site's place
//! rather than the old one's; the report keeps the distance visible for that reason.
//! Two more observations, not acted on: the national list has `3672A 丰台云岗` 799 m from the
//! KDD list's `云岗`, and eleven other new stations (`3281A 延庆夏都` …) under codes the registry
//! does not carry.
//!
//! **Datum.** Neither list states its datum. Against each other they agree to a median of
//! 0.0002° in longitude and 0.00005° in latitude (about 20 m, the KDD list's rounding), so they
//! share one. The district polygons (`geo_beijing/110100_full.json`) are DataV's, commonly
//! described as GCJ-02, which in Beijing lies about 0.0062° east and 0.0014° north of WGS-84
//! (about 560 m). Of 34 stations with a district polygon, 31 fall inside their own district as
//! published and 33 after a WGS-84 → GCJ-02 shift (the two that move in are 前门 and 永定门内,
//! 105 m and 416 m outside 东城区's edge): a hint that the lists are WGS-84, not proof, so
//! nothing is converted; a map may show stations up to about 0.6 km from the polygons' frame.
//!
//! CSV columns: `code,name_zh,name_en,district_zh,district_en,network,role,national_code,
//! longitude,latitude,active_from,active_to,continues,continuation_evidence,aliases[,kind]`
//! where `role` is one of `urban, suburban, control, regional, traffic, unknown`, dates are
//! `YYYY-MM-DD`, and `aliases` is a `;`-separated list. `kind` (optional, anywhere in the
//! header) is the [`SiteKind`]: `air` (the default, also for an empty field, so every registry
//! written before sites had kinds reads as it did), `water-section`, `soil-point` or
//! `emitting-unit`. A site of another kind than air must have role `unknown` (or empty): the
//! roles are the air network's, and an assessment role would put a water section into a city's
//! air average.

use crate::station::{SiteKind, Station, StationRole};
use crate::station_list::{
    Disagreement, ListFormat, LocateReport, Located, Placement, StationList, distance_m, kdd_key,
    name_key,
};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::path::Path;

/// The Beijing registry shipped with Lantian.
pub const BEIJING_STATIONS_CSV: &str = include_str!("../data/beijing_stations.csv");

/// An error in a registry file, with its place.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
    #[error("{file}:{line}: {message}")]
    Row {
        file: String,
        line: u64,
        message: String,
    },
}

/// A set of stations, looked up by code or alias.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    stations: Vec<Station>,
    by_code: HashMap<String, usize>,
    by_alias: HashMap<String, usize>,
}

const COLUMNS: [&str; 16] = [
    "code",
    "name_zh",
    "name_en",
    "district_zh",
    "district_en",
    "network",
    "role",
    "national_code",
    "longitude",
    "latitude",
    "active_from",
    "active_to",
    "continues",
    "continuation_evidence",
    "aliases",
    "kind",
];

impl Registry {
    /// The shipped Beijing registry.
    pub fn beijing() -> Registry {
        Registry::from_csv_str(BEIJING_STATIONS_CSV, "beijing_stations.csv")
            .expect("the shipped registry is valid (tested)")
    }

    /// Read a registry from a CSV file.
    pub fn from_csv_file(path: &Path) -> Result<Registry, RegistryError> {
        let text = std::fs::read_to_string(path).map_err(|source| RegistryError::Io {
            file: path.display().to_string(),
            source,
        })?;
        Registry::from_csv_str(&text, &path.display().to_string())
    }

    /// Parse a registry from CSV text; `file` names it in errors.
    pub fn from_csv_str(text: &str, file: &str) -> Result<Registry, RegistryError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        // The csv reader numbers the lines of a CRLF file one short (it counts a record's start
        // before the LF of the line before): read LF only, so errors name the right line.
        let text = text.replace("\r\n", "\n");
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(false)
            .from_reader(text.as_bytes());
        let err = |line: u64, message: String| RegistryError::Row {
            file: file.to_string(),
            line,
            message,
        };
        let headers = rdr
            .headers()
            .map_err(|e| err(1, format!("bad header: {e}")))?
            .clone();
        let idx: Vec<Option<usize>> = COLUMNS
            .iter()
            .map(|c| headers.iter().position(|h| h.trim() == *c))
            .collect();
        for (c, i) in COLUMNS.iter().zip(&idx).take(7) {
            if i.is_none() {
                return Err(err(1, format!("missing required column `{c}`")));
            }
        }
        let mut reg = Registry::default();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line());
                err(line, e.to_string())
            })?;
            let line = rec.position().map_or(0, |p| p.line());
            let get = |k: usize| -> &str { idx[k].and_then(|i| rec.get(i)).unwrap_or("").trim() };
            let opt = |k: usize| -> Option<String> {
                let v = get(k);
                (!v.is_empty()).then(|| v.to_string())
            };
            let num = |k: usize| -> Result<Option<f64>, RegistryError> {
                let v = get(k);
                if v.is_empty() {
                    return Ok(None);
                }
                v.parse::<f64>()
                    .map(Some)
                    .map_err(|_| err(line, format!("field `{}`: not a number: {v:?}", COLUMNS[k])))
            };
            let date = |k: usize| -> Result<Option<NaiveDate>, RegistryError> {
                let v = get(k);
                if v.is_empty() {
                    return Ok(None);
                }
                NaiveDate::parse_from_str(v, "%Y-%m-%d")
                    .map(Some)
                    .map_err(|_| {
                        err(
                            line,
                            format!("field `{}`: not a YYYY-MM-DD date: {v:?}", COLUMNS[k]),
                        )
                    })
            };
            let code = get(0).to_string();
            if code.is_empty() {
                return Err(err(line, "field `code` is empty".into()));
            }
            let role: StationRole = get(6)
                .parse()
                .map_err(|m: String| err(line, format!("field `role`: {m}")))?;
            let kind: SiteKind = get(15)
                .parse()
                .map_err(|m: String| err(line, format!("field `kind`: {m}")))?;
            if kind != SiteKind::AirStation && role != StationRole::Unknown {
                return Err(err(
                    line,
                    format!(
                        "field `role`: {role} is an air station role; a {kind} site must have role unknown"
                    ),
                ));
            }
            let station = Station {
                code,
                kind,
                name_zh: get(1).to_string(),
                name_en: get(2).to_string(),
                district_zh: get(3).to_string(),
                district_en: get(4).to_string(),
                network: get(5).to_string(),
                role,
                national_code: opt(7),
                longitude: num(8)?,
                latitude: num(9)?,
                active_from: date(10)?,
                active_to: date(11)?,
                continues: opt(12),
                continuation_evidence: opt(13),
                aliases: get(14)
                    .split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect(),
            };
            if reg.by_code.contains_key(&station.code) {
                return Err(err(
                    line,
                    format!("station code {:?} appears twice", station.code),
                ));
            }
            reg.insert(station);
        }
        Ok(reg)
    }

    fn insert(&mut self, station: Station) {
        let i = match self.by_code.get(&station.code) {
            Some(&i) => {
                self.stations[i] = station;
                i
            }
            None => {
                self.stations.push(station);
                self.stations.len() - 1
            }
        };
        let s = &self.stations[i];
        self.by_code.insert(s.code.clone(), i);
        for a in &s.aliases {
            self.by_alias.insert(a.clone(), i);
        }
    }

    /// Add or replace stations from another registry (a user's file over the shipped one).
    pub fn merge(&mut self, other: Registry) {
        for s in other.stations {
            self.insert(s);
        }
    }

    /// Look a station up by its code, then by alias (e.g. UCI's `Dongsi` is `东四`).
    pub fn get(&self, code_or_alias: &str) -> Option<&Station> {
        self.by_code
            .get(code_or_alias)
            .or_else(|| self.by_alias.get(code_or_alias))
            .map(|&i| &self.stations[i])
    }

    /// Look a station up by its CNEMC national code, preferring the newest network.
    pub fn by_national_code(&self, code: &str) -> Option<&Station> {
        self.stations
            .iter()
            .rev()
            .find(|s| s.national_code.as_deref() == Some(code))
    }

    /// Give stations the coordinates of the station lists (see the module's "Coordinates"):
    /// national lists by `national_code`, KDD Cup 2018 lists by name, then continuations; a
    /// station's own coordinates are kept. The report says where each came from, which sources
    /// disagree and by how much, and which stations still have none.
    pub fn locate(&mut self, lists: &[StationList]) -> LocateReport {
        let mut report = LocateReport::default();
        let n = self.stations.len();
        let mut candidates: Vec<Vec<((f64, f64), Placement)>> = vec![Vec::new(); n];
        // The national lists first, whatever the order given: they are the official source.
        for list in lists
            .iter()
            .filter(|l| l.format == ListFormat::CnemcNational)
        {
            let by_code: HashMap<&str, _> = list.sites.iter().map(|s| (s.id.as_str(), s)).collect();
            for (i, st) in self.stations.iter().enumerate() {
                let Some(site) = st.national_code.as_deref().and_then(|c| by_code.get(c)) else {
                    continue;
                };
                if let (Some(lon), Some(lat)) = (site.longitude, site.latitude) {
                    candidates[i].push((
                        (lon, lat),
                        Placement::National {
                            file: list.file.clone(),
                            line: site.line,
                            code: site.id.clone(),
                        },
                    ));
                }
            }
        }
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, st) in self.stations.iter().enumerate() {
            let mut keys: Vec<String> = std::iter::once(&st.name_en)
                .chain(&st.aliases)
                .map(|k| name_key(k))
                .filter(|k| !k.is_empty())
                .collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                by_key.entry(k).or_default().push(i);
            }
        }
        for list in lists.iter().filter(|l| l.format == ListFormat::KddCup2018) {
            for site in &list.sites {
                let (Some(lon), Some(lat)) = (site.longitude, site.latitude) else {
                    continue;
                };
                let found = by_key.get(&kdd_key(&site.id));
                // The list predates the 2021 rename: where a station and the one that continues
                // it share the name (`Dingling`, `Dingling (control)`), the list's is the old one.
                let listed: Vec<usize> = found
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|&i| {
                        let cont = self.stations[i].continues.as_deref();
                        !found
                            .into_iter()
                            .flatten()
                            .any(|&j| cont == Some(self.stations[j].code.as_str()))
                    })
                    .collect();
                match (listed.as_slice(), found) {
                    (&[i], _) => candidates[i].push((
                        (lon, lat),
                        Placement::Kdd {
                            file: list.file.clone(),
                            line: site.line,
                            id: site.id.clone(),
                        },
                    )),
                    (_, found) => report.unmatched.push((
                        list.file.clone(),
                        site.id.clone(),
                        found
                            .into_iter()
                            .flatten()
                            .map(|&i| self.stations[i].code.clone())
                            .collect(),
                    )),
                }
            }
        }
        for (st, found) in self.stations.iter_mut().zip(candidates) {
            let own = match (st.longitude, st.latitude) {
                (Some(lon), Some(lat)) => Some(((lon, lat), Placement::Registry)),
                // One coordinate only: the user's, not ours to complete.
                (Some(_), None) | (None, Some(_)) => continue,
                (None, None) => None,
            };
            let all: Vec<_> = own.into_iter().chain(found).collect();
            let Some((at, kept)) = all.first().cloned() else {
                continue;
            };
            for (p, other) in &all[1..] {
                report.disagreements.push(Disagreement {
                    station: st.code.clone(),
                    kept: kept.clone(),
                    other: other.clone(),
                    distance_m: distance_m(at, *p),
                });
            }
            if kept == Placement::Registry {
                report.kept.push(st.code.clone());
            } else {
                (st.longitude, st.latitude) = (Some(at.0), Some(at.1));
                report.located.push(Located {
                    station: st.code.clone(),
                    longitude: at.0,
                    latitude: at.1,
                    placement: kept,
                });
            }
        }
        // Continuations: the registry links a new station to an old one only on evidence that it
        // is the same site (module docs), so the old site's place is the new one's.
        for i in 0..n {
            let st = &self.stations[i];
            if st.longitude.is_some() || st.latitude.is_some() {
                continue;
            }
            let (Some(from), Some(_evidence)) = (&st.continues, &st.continuation_evidence) else {
                continue;
            };
            let Some(&j) = self.by_code.get(from).or_else(|| self.by_alias.get(from)) else {
                continue;
            };
            let old = &self.stations[j];
            let (Some(lon), Some(lat)) = (old.longitude, old.latitude) else {
                continue;
            };
            let from = old.code.clone();
            let st = &mut self.stations[i];
            (st.longitude, st.latitude) = (Some(lon), Some(lat));
            report.located.push(Located {
                station: st.code.clone(),
                longitude: lon,
                latitude: lat,
                placement: Placement::Continued { from },
            });
        }
        let order: HashMap<&str, usize> = self
            .stations
            .iter()
            .enumerate()
            .map(|(i, s)| (s.code.as_str(), i))
            .collect();
        report.located.sort_by_key(|l| order[l.station.as_str()]);
        report.unlocated = self
            .stations
            .iter()
            .filter(|s| s.longitude.is_none() || s.latitude.is_none())
            .map(|s| s.code.clone())
            .collect();
        report
    }

    pub fn stations(&self) -> &[Station] {
        &self.stations
    }

    pub fn len(&self) -> usize {
        self.stations.len()
    }

    pub fn is_empty(&self) -> bool {
        self.stations.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_registry_has_both_generations() {
        let r = Registry::beijing();
        let old = r
            .stations()
            .iter()
            .filter(|s| s.network == "bjmemc-2013")
            .count();
        let new = r
            .stations()
            .iter()
            .filter(|s| s.network == "bjmemc-2021")
            .count();
        assert_eq!((old, new), (35, 35));
        // Roles of the old network as commonly cited: 12 urban, 11 suburban, 1 control,
        // 6 regional, 5 traffic.
        let count = |role| {
            r.stations()
                .iter()
                .filter(|s| s.network == "bjmemc-2013" && s.role == role)
                .count()
        };
        assert_eq!(count(StationRole::UrbanAssessment), 12);
        assert_eq!(count(StationRole::SuburbanAssessment), 11);
        assert_eq!(count(StationRole::Control), 1);
        assert_eq!(count(StationRole::RegionalBackground), 6);
        assert_eq!(count(StationRole::Traffic), 5);
    }

    #[test]
    fn continuations_point_at_real_old_stations() {
        let r = Registry::beijing();
        let mut n = 0;
        for s in r.stations() {
            if let Some(old) = &s.continues {
                n += 1;
                let o = r.get(old).expect("continued station exists");
                assert_eq!(o.network, "bjmemc-2013");
                assert!(s.continuation_evidence.is_some(), "{}", s.code);
                if let (Some(a), Some(b)) = (&s.national_code, &o.national_code) {
                    assert_eq!(
                        a, b,
                        "{} continues {} with another national code",
                        s.code, o.code
                    );
                }
            }
        }
        assert_eq!(n, 14);
    }

    #[test]
    fn aliases_and_national_codes_resolve() {
        let r = Registry::beijing();
        assert_eq!(r.get("Dongsi").unwrap().code, "东四");
        assert_eq!(r.by_national_code("1003A").unwrap().code, "东城东四");
        assert_eq!(r.get("定陵(对照点)").unwrap().role, StationRole::Control);
        assert!(r.get("nowhere").is_none());
    }

    #[test]
    fn bad_rows_name_file_line_and_field() {
        let csv = "code,name_zh,name_en,district_zh,district_en,network,role,longitude\n\
                   A,甲,A,区,D,n,urban,116.4\nB,乙,B,区,D,n,harbour,\n";
        let e = Registry::from_csv_str(csv, "mine.csv")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("mine.csv:3:"), "{e}");
        assert!(e.contains("role"), "{e}");
        // The same rows saved with CRLF line ends (as Excel saves them): the same line.
        let e = Registry::from_csv_str(&csv.replace('\n', "\r\n"), "mine.csv")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("mine.csv:3:"), "{e}");
        let csv = "code,name_zh,name_en,district_zh,district_en,network,role,longitude\n\
                   A,甲,A,区,D,n,urban,east\n";
        let e = Registry::from_csv_str(csv, "mine.csv")
            .unwrap_err()
            .to_string();
        assert!(e.contains("mine.csv:2:") && e.contains("longitude"), "{e}");
        let e = Registry::from_csv_str("code,name_zh\nA,甲\n", "m.csv")
            .unwrap_err()
            .to_string();
        assert!(e.contains("missing required column `name_en`"), "{e}");
    }

    #[test]
    fn user_registry_replaces_and_extends() {
        let mut r = Registry::beijing();
        let n = r.len();
        let mine = Registry::from_csv_str(
            "code,name_zh,name_en,district_zh,district_en,network,role,longitude,latitude\n\
             东四,东四,Dongsi,东城区,Dongcheng,bjmemc-2013,urban,116.417,39.929\n\
             X1,新站,New,朝阳区,Chaoyang,mine,traffic,,\n",
            "mine.csv",
        )
        .unwrap();
        r.merge(mine);
        assert_eq!(r.len(), n + 1);
        assert_eq!(r.get("东四").unwrap().longitude, Some(116.417));
        assert_eq!(r.get("X1").unwrap().role, StationRole::Traffic);
        assert_eq!(r.get("X1").unwrap().kind, SiteKind::AirStation);
    }

    #[test]
    fn every_shipped_station_is_an_air_station() {
        let r = Registry::beijing();
        assert_eq!(r.len(), 70);
        assert!(r.stations().iter().all(|s| s.kind == SiteKind::AirStation));
    }

    #[test]
    fn sites_of_other_media_read_with_their_kind() {
        let csv = "code,name_zh,name_en,district_zh,district_en,network,role,kind\n\
                   WS01,沙河闸,Shahe sluice,昌平区,Changping,bj-water,,water-section\n\
                   SP01/0-20cm,土壤点1,Soil point 1,顺义区,Shunyi,bj-soil,unknown,soil-point\n\
                   EU0001,某电厂,A power plant,,,cets,,emitting-unit\n\
                   A1,空气站,Air,,,mine,urban,\n";
        let r = Registry::from_csv_str(csv, "sites.csv").unwrap();
        let kind = |c: &str| r.get(c).unwrap().kind;
        assert_eq!(kind("WS01"), SiteKind::WaterSection);
        assert_eq!(kind("SP01/0-20cm"), SiteKind::SoilPoint);
        assert_eq!(kind("EU0001"), SiteKind::EmittingUnit);
        assert_eq!(kind("A1"), SiteKind::AirStation);
        assert_eq!(r.get("WS01").unwrap().role, StationRole::Unknown);
        assert!(!r.get("WS01").unwrap().role.is_assessment());
    }

    #[test]
    fn a_site_of_another_medium_cannot_take_an_air_role() {
        let csv = "code,name_zh,name_en,district_zh,district_en,network,role,kind\n\
                   WS01,沙河闸,Shahe sluice,昌平区,Changping,bj-water,urban,water-section\n";
        let e = Registry::from_csv_str(csv, "sites.csv")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "sites.csv:2: field `role`: urban is an air station role; a water-section site must have role unknown"
        );
        let csv = "code,name_zh,name_en,district_zh,district_en,network,role,kind\n\
                   X,甲,A,,,n,unknown,lake\n";
        let e = Registry::from_csv_str(csv, "sites.csv")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("sites.csv:2: field `kind`: unknown site kind \"lake\""),
            "{e}"
        );
    }
}
