//! One file's observations in columns: the store's layout, read straight from a file.
//!
//! A national daily file holds about 600,000 values of some 2,000 stations. As [`Observation`]s
//! they take about 130 bytes each (two shared names, an optional reason, a date); in columns,
//! with the station and source names held once and referred to by number, about 35. Reading
//! into columns and handing the columns to the store spares the allocation, the page faults
//! and the copying of the row form, which were half the time of a national ingest.
//!
//! [`ObservationColumns::observations`] gives the row form back, value for value, for the code
//! that needs one value at a time (revision checks, oracles, tests).

use crate::{Averaging, Flag, Observation, Source, Unit, Variable};
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// Observations of one file, column by column. Row `i` of every per-value vector describes
/// the same value. The readers return them sorted by (station, variable, averaging, time
/// end), or, where a file holds several averaging windows of a whole network (the national
/// and Beijing hourly files), by (averaging, station, variable, time end): the order of the
/// store's data files, which keep each window's rows together.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ObservationColumns {
    /// The sources named by `source`.
    pub sources: Vec<Source>,
    /// The station names named by `station`.
    pub stations: Vec<Arc<str>>,
    /// The file every value was read from.
    pub source_file: Arc<str>,
    /// Per value: an index into `sources`.
    pub source: Vec<u16>,
    /// Per value: an index into `stations`.
    pub station: Vec<u32>,
    pub variable: Vec<Variable>,
    pub averaging: Vec<Averaging>,
    /// End of the averaging window, µs since 1970-01-01 UTC.
    pub time_end: Vec<i64>,
    /// Per value: the number; 0 in the rows of `no_value`.
    pub value: Vec<f64>,
    /// The rows that carry no number (a withdrawn value), ascending; none in a file as read.
    /// Kept apart so that the numbers are one plain vector, the store's column as it is.
    pub no_value: Vec<u32>,
    pub unit: Vec<Unit>,
    pub flag: Vec<Flag>,
    /// The reasons of the few flagged values, as (row, reason), rows ascending.
    pub flag_reason: Vec<(u32, String)>,
    /// 1-based line of the source file.
    pub source_line: Vec<u64>,
}

impl ObservationColumns {
    /// The number of values.
    pub fn len(&self) -> usize {
        self.station.len()
    }

    pub fn is_empty(&self) -> bool {
        self.station.is_empty()
    }

    /// Columns of `obs`, in their order. The source file is the first value's (the readers
    /// give all values of a file the same one); an empty set has none.
    pub fn from_observations(obs: Vec<Observation>) -> ObservationColumns {
        let mut c = ObservationColumns {
            source_file: obs
                .first()
                .map_or_else(|| Arc::from(""), |o| o.source_file.clone()),
            ..Default::default()
        };
        let n = obs.len();
        c.source.reserve(n);
        c.station.reserve(n);
        c.variable.reserve(n);
        c.averaging.reserve(n);
        c.time_end.reserve(n);
        c.value.reserve(n);
        c.unit.reserve(n);
        c.flag.reserve(n);
        c.source_line.reserve(n);
        let mut station_index: std::collections::HashMap<Arc<str>, u32> = Default::default();
        for (i, o) in obs.into_iter().enumerate() {
            let s = match c.sources.iter().position(|s| *s == o.source) {
                Some(s) => s,
                None => {
                    c.sources.push(o.source);
                    c.sources.len() - 1
                }
            };
            c.source.push(s as u16);
            let next = station_index.len() as u32;
            let st = *station_index.entry(o.station.clone()).or_insert_with(|| {
                c.stations.push(o.station.clone());
                next
            });
            c.station.push(st);
            c.variable.push(o.variable);
            c.averaging.push(o.averaging);
            c.time_end.push(o.time_end.timestamp_micros());
            if o.value.is_none() {
                c.no_value.push(i as u32);
            }
            c.value.push(o.value.unwrap_or(0.0));
            c.unit.push(o.unit);
            c.flag.push(o.flag);
            if let Some(r) = o.flag_reason {
                c.flag_reason.push((i as u32, r));
            }
            c.source_line.push(o.source_line);
        }
        c
    }

    /// The values one at a time, in order.
    pub fn observations(&self) -> impl Iterator<Item = Observation> + '_ {
        let mut reasons = self.flag_reason.iter().peekable();
        let mut no_value = self.no_value.iter().peekable();
        (0..self.len()).map(move |i| {
            let value = match no_value.peek() {
                Some(&&r) if r as usize == i => {
                    no_value.next();
                    None
                }
                _ => Some(self.value[i]),
            };
            let flag_reason = match reasons.peek() {
                Some((r, _)) if *r as usize == i => reasons.next().map(|(_, s)| s.clone()),
                _ => None,
            };
            Observation {
                source: self.sources[self.source[i] as usize].clone(),
                station: self.stations[self.station[i] as usize].clone(),
                variable: self.variable[i],
                averaging: self.averaging[i],
                time_end: DateTime::<Utc>::from_timestamp_micros(self.time_end[i])
                    .expect("a stored time is in chrono's range"),
                value,
                unit: self.unit[i],
                flag: self.flag[i],
                flag_reason,
                source_file: self.source_file.clone(),
                source_line: self.source_line[i],
            }
        })
    }

    /// The values as observations.
    pub fn into_observations(self) -> Vec<Observation> {
        self.observations().collect()
    }

    /// The first and last `time_end` (µs), if there are values.
    pub fn time_range(&self) -> Option<(i64, i64)> {
        // One pass for both ends.
        let first = *self.time_end.first()?;
        Some(
            self.time_end
                .iter()
                .fold((first, first), |(lo, hi), &t| (lo.min(t), hi.max(t))),
        )
    }

    /// The sources that have values, in `sources` order (the name lists may hold more).
    pub fn present_sources(&self) -> Vec<&Source> {
        present(&self.sources, &self.source)
    }

    /// The stations that have values, in `stations` order (a reader's list of the header's
    /// stations may hold some without any).
    pub fn present_stations(&self) -> Vec<&Arc<str>> {
        present(&self.stations, &self.station)
    }

    /// The number of row `i`, if it has one.
    pub fn value(&self, i: usize) -> Option<f64> {
        if !self.no_value.is_empty() && self.no_value.binary_search(&(i as u32)).is_ok() {
            None
        } else {
            Some(self.value[i])
        }
    }

    /// The reason of row `i`, if it has one.
    pub fn reason(&self, i: usize) -> Option<&str> {
        self.flag_reason
            .binary_search_by_key(&(i as u32), |(r, _)| *r)
            .ok()
            .map(|k| self.flag_reason[k].1.as_str())
    }
}

/// The entries of `names` that `index` refers to.
fn present<'a, T, I: Copy + Into<u64>>(names: &'a [T], index: &[I]) -> Vec<&'a T> {
    let mut used = vec![false; names.len()];
    for &i in index {
        used[i.into() as usize] = true;
    }
    names
        .iter()
        .zip(used)
        .filter_map(|(n, u)| u.then_some(n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Pollutant;

    fn obs(station: &str, hour: u32, value: Option<f64>, reason: Option<&str>) -> Observation {
        Observation {
            source: Source::Cnemc,
            station: Arc::from(station),
            variable: Variable::Pollutant(Pollutant::Pm2_5),
            averaging: Averaging::Hour1,
            time_end: DateTime::<Utc>::from_timestamp(3600 * i64::from(hour), 0).unwrap(),
            value,
            unit: Unit::UgM3,
            flag: if reason.is_some() {
                Flag::Doubtful
            } else {
                Flag::Ok
            },
            flag_reason: reason.map(String::from),
            source_file: Arc::from("f.csv"),
            source_line: u64::from(hour) + 2,
        }
    }

    #[test]
    fn columns_give_back_the_same_observations() {
        let o = vec![
            obs("1001A", 1, Some(12.0), None),
            obs("1001A", 2, None, Some("withdrawn")),
            obs("1002A", 1, Some(3.5), None),
            obs("1001A", 3, Some(1500.0), Some("doubtful: too high")),
        ];
        let c = ObservationColumns::from_observations(o.clone());
        assert_eq!(c.len(), 4);
        assert_eq!(c.stations.len(), 2, "names are held once");
        assert_eq!(c.station, vec![0, 0, 1, 0]);
        assert_eq!(c.flag_reason.len(), 2);
        assert_eq!(c.no_value, vec![1]);
        assert_eq!(c.value, vec![12.0, 0.0, 3.5, 1500.0]);
        assert_eq!(
            (c.value(0), c.value(1), c.value(2)),
            (Some(12.0), None, Some(3.5))
        );
        assert_eq!(c.reason(3), Some("doubtful: too high"));
        assert_eq!(c.reason(2), None);
        assert_eq!(c.time_range(), Some((3_600_000_000, 10_800_000_000)));
        assert_eq!(c.present_sources(), vec![&Source::Cnemc]);
        assert_eq!(c.present_stations().len(), 2);
        assert_eq!(c.into_observations(), o);
    }

    #[test]
    fn an_empty_set_has_no_values() {
        let c = ObservationColumns::from_observations(Vec::new());
        assert!(c.is_empty());
        assert_eq!(c.time_range(), None);
        assert!(c.present_stations().is_empty());
        assert!(c.into_observations().is_empty());
    }
}
