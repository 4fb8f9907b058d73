//! The US Water Quality Portal's (WQP, USGS/EPA/NWQMC) "narrow result" export: one result a
//! row, in the WQX column names (`MonitoringLocationIdentifier`, `ActivityStartDate`,
//! `CharacteristicName`, `ResultMeasureValue`, …), comma- or tab-separated.
//!
//! Every result is a laboratory or field result of a sampling activity: [`Origin::Grab`]. The
//! section is the `MonitoringLocationIdentifier`.
//!
//! **Time.** `ActivityStartDate` (YYYY-MM-DD) and `ActivityStartTime/Time` are the clock time
//! at the site, and `ActivityStartTime/TimeZoneCode` says which clock (`EST`, `EDT`, …). A
//! reading's time is local standard time, so a daylight-saving time goes back one hour (`EDT`
//! 12:25 is 11:25 EST) and a standard time is kept. A row without a time is dated 00:00 of its
//! date, unshifted: with no clock time there is nothing to convert, and shifting a date-only
//! row back an hour would move it to the day before. A time in `UTC`/`GMT` or in a zone this
//! reader does not know, or a time with no zone, is kept as written and reported: the site's own
//! standard zone is not in the row, so no offset can be chosen for it.
//!
//! **Determinands.** A characteristic is a GB 3838 item only where it measures the same thing
//! ([`ITEM_RULES`]: the name, the sample fraction and, for nitrogen and phosphorus species, the
//! basis "as N"/"as P"), and its unit is converted with [`to_item_unit`]. A unit that cannot be
//! converted, or a basis that is not the item's, is reported, and the result is kept as a
//! determinand of its own so nothing is lost. Every other characteristic is kept as
//! `wqp.<CharacteristicName>` (`/<ResultSampleFractionText>` when a fraction is given: total,
//! dissolved and suspended nitrogen are different determinands) in its own unit, with the
//! `MethodSpecificationName` added to the unit when there is one (`mg/l as N`).
//!
//! **Detection.** A `ResultDetectionConditionText` saying the result is below a limit ("Not
//! Detected", "Present Below Quantification Limit", …) gives
//! [`Measurement::BelowDetection`] at `DetectionQuantitationLimitMeasure/MeasureValue` (in its
//! own unit, converted like a value), or at `ResultMeasureValue` when only that is given (some
//! providers write the limit there), and [`Measurement::NotDetected`] when no limit is given.
//!
//! **Flags.** `ResultStatusIdentifier` "Rejected" is [`Flag::Bad`]; every other status
//! (Accepted, Final, Historical, Preliminary, Validated) is ok. A value with a detection
//! condition that is not a below-limit one ("Present Above Quantification Limit", "Systematic
//! Contamination") is kept as doubtful and reported. The status and the `MeasureQualifierCode`,
//! as written and joined by `"; "` when both are given, are the reading's `source_flag`; the
//! qualifier's letters are not interpreted (their meaning is the provider's).
//!
//! A value kept with a note (a unit or basis that is not the item's, a time kept as written, an
//! unknown detection condition) is a [`Problem`] marked [`Problem::kept`]: a note, not a loss.
//!
//! **Rows not read.** Each is a [`Problem`] naming line and field: quality-control samples that
//! are not the site's water (equipment, field and trip blanks, spikes, reference samples;
//! replicates, duplicates and splits are read; the bare "Quality Control Sample" does not say
//! which it is and is not read), media other than water, groundwater (the surface-water
//! standard does not apply to it), no location, an unreadable date (the export writes
//! YYYY-MM-DD; `10/28/2021` is not guessed), an empty value without a detection condition, a
//! value that is not a number, a row whose field count is not the header's.

use super::{Problem, WaterFile, to_item_unit};
use lantian_model::Flag;
use lantian_water::{Determinand, Item, Measurement, Origin, Reading};
use std::collections::HashMap;
use std::sync::Arc;

const LOCATION: &str = "MonitoringLocationIdentifier";
const DATE: &str = "ActivityStartDate";
const TIME: &str = "ActivityStartTime/Time";
const ZONE: &str = "ActivityStartTime/TimeZoneCode";
const ACTIVITY: &str = "ActivityTypeCode";
const MEDIA: &str = "ActivityMediaName";
const SUBDIVISION: &str = "ActivityMediaSubdivisionName";
const NAME: &str = "CharacteristicName";
const FRACTION: &str = "ResultSampleFractionText";
const VALUE: &str = "ResultMeasureValue";
const UNIT: &str = "ResultMeasure/MeasureUnitCode";
const CONDITION: &str = "ResultDetectionConditionText";
const LIMIT: &str = "DetectionQuantitationLimitMeasure/MeasureValue";
const LIMIT_UNIT: &str = "DetectionQuantitationLimitMeasure/MeasureUnitCode";
const STATUS: &str = "ResultStatusIdentifier";
const QUALIFIER: &str = "MeasureQualifierCode";
const SPECIFICATION: &str = "MethodSpecificationName";

/// Columns without which nothing can be read.
pub const REQUIRED: [&str; 5] = [LOCATION, DATE, NAME, VALUE, UNIT];

/// Columns read when present (empty when absent).
const OPTIONAL: [&str; 12] = [
    TIME,
    ZONE,
    ACTIVITY,
    MEDIA,
    SUBDIVISION,
    FRACTION,
    CONDITION,
    LIMIT,
    LIMIT_UNIT,
    STATUS,
    QUALIFIER,
    SPECIFICATION,
];

/// The hours to add to a clock time in a WQX time-zone code to get that zone's standard time:
/// 0 for a standard time, −1 for a daylight-saving time; `None` for UTC/GMT (the site's own
/// standard zone is not known from it) and for codes this reader does not know.
pub fn to_standard_hours(zone: &str) -> Option<i64> {
    let z = zone.trim().to_ascii_uppercase();
    match z.as_str() {
        // Eastern, Central, Mountain, Pacific, Alaska, Hawaii–Aleutian, Atlantic (Puerto Rico,
        // Virgin Islands), Newfoundland, Samoa, Guam/Chamorro (no daylight saving).
        "EST" | "CST" | "MST" | "PST" | "AKST" | "HST" | "AST" | "NST" | "SST" | "GST" | "CHST" => {
            Some(0)
        }
        "EDT" | "CDT" | "MDT" | "PDT" | "AKDT" | "HDT" | "ADT" | "NDT" => Some(-1),
        _ => None,
    }
}

/// Detection conditions meaning "the true value is below a limit" (WQX's domain for
/// `ResultDetectionConditionText`, compared without case).
const BELOW_LIMIT: &[&str] = &[
    "not detected",
    "*non-detect",
    "below detection limit",
    "below method detection limit",
    "below reporting limit",
    "below quantification limit",
    "present below quantification limit",
    "detected not quantified",
    "between inst detect and quant limit",
];

fn is_below_limit(condition: &str) -> bool {
    BELOW_LIMIT
        .iter()
        .any(|c| c.eq_ignore_ascii_case(condition.trim()))
}

/// How a characteristic's basis must be stated for it to be the item.
#[derive(Debug, Clone, Copy)]
pub enum Basis {
    /// No basis (temperature, pH, oxygen, metals).
    Any,
    /// The element itself: no `MethodSpecificationName`, or "as <element>" (total nitrogen is
    /// nitrogen; total phosphorus is phosphorus).
    Element(&'static str),
    /// "as <element>" must be stated, in `MethodSpecificationName` or the unit (`mg/l as N`):
    /// ammonia and nitrate are also reported as NH₄ or NO₃, 1.29 and 4.43 times the N figure.
    Stated(&'static str),
}

/// A WQP characteristic that is a GB 3838 item.
#[derive(Debug, Clone, Copy)]
pub struct ItemRule {
    pub name: &'static str,
    /// Fractions (`ResultSampleFractionText`) that are the item's; "" is no fraction given.
    pub fractions: &'static [&'static str],
    pub item: Item,
    pub basis: Basis,
}

const ANY: &[&str] = &["", "Total", "Dissolved"];
const TOTAL: &[&str] = &["Total"];
const TOTAL_OR_NONE: &[&str] = &["", "Total"];

const fn rule(
    name: &'static str,
    fractions: &'static [&'static str],
    item: Item,
    basis: Basis,
) -> ItemRule {
    ItemRule {
        name,
        fractions,
        item,
        basis,
    }
}

/// The WQP characteristics (WQX names) that are GB 3838 items.
///
/// - Ammonia: GB 3838's 氨氮 is NH₃ + NH₄⁺ as N; WQX's "Ammonia and ammonium" and "Ammonia"
///   are that total (the un-ionised form alone is "Ammonia, un-ionized", not mapped), "as N"
///   stated. Total or dissolved: ammonium is dissolved.
/// - Nitrogen / phosphorus: only the total fraction is GB 3838's TN and TP (dissolved and
///   suspended are parts of it).
/// - Metals, cyanide and sulfide: GB 3838 analyses the unfiltered sample, so only "Total".
/// - Anions (fluoride, sulfate, chloride, nitrate): dissolved species, total or dissolved.
/// - Not mapped: the permanganate index, volatile phenol, petroleum and anionic surfactant
///   are defined by Chinese methods that WQP characteristics do not match.
pub const ITEM_RULES: &[ItemRule] = &[
    rule(
        "Temperature, water",
        &[],
        Item::WaterTemperature,
        Basis::Any,
    ),
    rule("pH", &[], Item::Ph, Basis::Any),
    rule(
        "Dissolved oxygen (DO)",
        &[],
        Item::DissolvedOxygen,
        Basis::Any,
    ),
    rule(
        "Ammonia and ammonium",
        ANY,
        Item::AmmoniaNitrogen,
        Basis::Stated("N"),
    ),
    rule("Ammonia", ANY, Item::AmmoniaNitrogen, Basis::Stated("N")),
    rule(
        "Ammonia-nitrogen",
        ANY,
        Item::AmmoniaNitrogen,
        Basis::Element("N"),
    ),
    rule("Nitrogen", TOTAL, Item::TotalNitrogen, Basis::Element("N")),
    rule(
        "Nitrogen, mixed forms (NH3), (NH4), organic, (NO2) and (NO3)",
        TOTAL_OR_NONE,
        Item::TotalNitrogen,
        Basis::Element("N"),
    ),
    rule(
        "Phosphorus",
        TOTAL,
        Item::TotalPhosphorus,
        Basis::Element("P"),
    ),
    rule("Nitrate", ANY, Item::Nitrate, Basis::Stated("N")),
    rule("Chemical oxygen demand", &[], Item::Cod, Basis::Any),
    rule(
        "Biochemical oxygen demand, standard conditions",
        &[],
        Item::Bod5,
        Basis::Any,
    ),
    rule("Fecal Coliform", &[], Item::FecalColiform, Basis::Any),
    rule("Copper", TOTAL, Item::Copper, Basis::Any),
    rule("Zinc", TOTAL, Item::Zinc, Basis::Any),
    rule("Selenium", TOTAL, Item::Selenium, Basis::Any),
    rule("Arsenic", TOTAL, Item::Arsenic, Basis::Any),
    rule("Mercury", TOTAL, Item::Mercury, Basis::Any),
    rule("Cadmium", TOTAL, Item::Cadmium, Basis::Any),
    rule("Chromium(VI)", TOTAL_OR_NONE, Item::Chromium6, Basis::Any),
    rule("Lead", TOTAL, Item::Lead, Basis::Any),
    rule("Cyanide", TOTAL, Item::Cyanide, Basis::Any),
    rule("Sulfide", TOTAL, Item::Sulfide, Basis::Any),
    rule("Iron", TOTAL, Item::Iron, Basis::Any),
    rule("Manganese", TOTAL, Item::Manganese, Basis::Any),
    rule("Fluoride", ANY, Item::Fluoride, Basis::Any),
    rule("Sulfate", ANY, Item::Sulfate, Basis::Any),
    rule("Chloride", ANY, Item::Chloride, Basis::Any),
];

/// The rule for a characteristic and fraction (an empty `fractions` list takes any fraction).
pub fn item_rule(name: &str, fraction: &str) -> Option<&'static ItemRule> {
    ITEM_RULES.iter().find(|r| {
        r.name.eq_ignore_ascii_case(name.trim())
            && (r.fractions.is_empty()
                || r.fractions
                    .iter()
                    .any(|f| f.eq_ignore_ascii_case(fraction.trim())))
    })
}

/// The code of a characteristic kept as is: `wqp.Conductivity`, `wqp.Nitrogen/Dissolved`.
pub fn other_code(name: &str, fraction: &str) -> String {
    match fraction.trim() {
        "" => format!("wqp.{}", name.trim()),
        f => format!("wqp.{}/{f}", name.trim()),
    }
}

/// The unit of a characteristic kept as is: the unit, and the method specification when the
/// unit does not already say it (`mg/l` + `as N` → `mg/l as N`).
fn other_unit(unit: &str, spec: &str) -> String {
    let (unit, spec) = (unit.trim(), spec.trim());
    if spec.is_empty() || unit.to_ascii_lowercase().contains(" as ") {
        unit.to_string()
    } else if unit.is_empty() {
        spec.to_string()
    } else {
        format!("{unit} {spec}")
    }
}

/// The basis stated for a result: `MethodSpecificationName`, or what follows " as " in the unit.
fn stated_basis<'a>(spec: &'a str, unit: &'a str) -> Option<&'a str> {
    let spec = spec.trim();
    if !spec.is_empty() {
        return Some(spec.strip_prefix("as ").unwrap_or(spec).trim());
    }
    let lower = unit.to_ascii_lowercase();
    lower.find(" as ").map(|i| unit[i + 4..].trim())
}

/// Whether an `ActivityTypeCode` is a quality-control sample that is not the site's water
/// (blanks, spikes, reference material); replicates, duplicates and splits are.
fn is_blank_or_spike(activity: &str) -> bool {
    let a = activity.to_ascii_lowercase();
    a.starts_with("quality control")
        && !["replicate", "duplicate", "split"]
            .iter()
            .any(|k| a.contains(k))
}

fn positive(cell: &str) -> Option<f64> {
    cell.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v > 0.0)
}

/// Column positions of the header.
struct Header {
    index: HashMap<&'static str, usize>,
}

impl Header {
    fn get<'r>(&self, rec: &'r csv::StringRecord, name: &str) -> &'r str {
        self.index
            .get(name)
            .and_then(|&i| rec.get(i))
            .map_or("", str::trim)
    }
}

/// Read a WQP narrow-result export. `file` names it in readings and problems.
pub fn read_wqp(file: &str, text: &str) -> WaterFile {
    let mut out = WaterFile::default();
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.contains('\t') && !first_line.contains(',') {
        b'\t'
    } else {
        b','
    };
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut line_of = crate::text::LineOf::new(text);
    let names = match super::header_of(file, &mut rdr) {
        Ok(h) => h,
        Err(p) => {
            out.problems.push(p);
            return out;
        }
    };
    let mut index = HashMap::new();
    for col in REQUIRED.iter().chain(OPTIONAL.iter()) {
        if let Some(i) = names.iter().position(|n| n == col) {
            index.insert(*col, i);
        }
    }
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|c| !index.contains_key(c))
        .collect();
    if !missing.is_empty() {
        out.problems.push(Problem::new(
            file,
            1,
            "header",
            &names.join(","),
            format!(
                "not a WQP narrow-result export: columns missing: {}; nothing is read",
                missing.join(", ")
            ),
        ));
        return out;
    }
    let header = Header { index };
    let file_arc: Arc<str> = file.into();
    let mut sections: HashMap<String, Arc<str>> = HashMap::new();
    let mut source_flags: HashMap<String, Arc<str>> = HashMap::new();
    for rec in rdr.records() {
        out.rows += 1;
        let (rec, line) = match super::record(file, rec, names.len(), &mut line_of) {
            Ok(x) => x,
            Err(p) => {
                out.problems.push(p);
                continue;
            }
        };
        let g = |name: &str| header.get(&rec, name);
        let mut problem = |field: &str, value: &str, message: String| {
            out.problems
                .push(Problem::new(file, line, field, value, message));
        };
        // Notes on a value that is kept: added, marked kept, only if the row gives a reading.
        let mut notes = Vec::new();
        let mut note = |field: &str, value: &str, message: String| {
            notes.push(Problem::new(file, line, field, value, message).kept());
        };

        // Rows that are not the site's surface water.
        let activity = g(ACTIVITY);
        if is_blank_or_spike(activity) {
            problem(
                ACTIVITY,
                activity,
                "a quality-control sample, not the water at the site; the row is not read".into(),
            );
            continue;
        }
        let media = g(MEDIA);
        if !media.is_empty() && !media.eq_ignore_ascii_case("Water") {
            problem(
                MEDIA,
                media,
                "not a water sample; the row is not read".into(),
            );
            continue;
        }
        let subdivision = g(SUBDIVISION);
        if subdivision.to_ascii_lowercase().contains("groundwater") {
            problem(
                SUBDIVISION,
                subdivision,
                "groundwater, not surface water; the row is not read".into(),
            );
            continue;
        }

        let mut unreadable = false;
        let location = g(LOCATION);
        if location.is_empty() {
            problem(
                LOCATION,
                "",
                "no monitoring location; the row is not read".into(),
            );
            unreadable = true;
        }
        let date_text = g(DATE);
        let date = chrono::NaiveDate::parse_from_str(date_text, "%Y-%m-%d").ok();
        if date.is_none() {
            problem(
                DATE,
                date_text,
                "not a date (YYYY-MM-DD); the row is not read".into(),
            );
            unreadable = true;
        }
        let name = g(NAME);
        if name.is_empty() {
            problem(NAME, "", "no characteristic; the row is not read".into());
            unreadable = true;
        }

        // The result: a value, or a limit it is below.
        let condition = g(CONDITION);
        let value = g(VALUE);
        let unit = g(UNIT);
        let limit = g(LIMIT);
        let limit_unit_cell = g(LIMIT_UNIT);
        let (limit_unit, limit_unit_field) = if limit_unit_cell.is_empty() {
            (unit, UNIT)
        } else {
            (limit_unit_cell, LIMIT_UNIT)
        };
        let mut doubtful = false;
        let result: Option<(Measurement, &str, &str)> = if is_below_limit(condition) {
            if !limit.is_empty() {
                Some(match positive(limit) {
                    Some(l) => (Measurement::BelowDetection(l), limit_unit, limit_unit_field),
                    None => {
                        note(
                            LIMIT,
                            limit,
                            format!(
                                "{condition:?} with a limit that is not a positive number; kept \
                                 as not detected"
                            ),
                        );
                        (Measurement::NotDetected, limit_unit, limit_unit_field)
                    }
                })
            } else if !value.is_empty() {
                Some(match positive(value) {
                    Some(v) => (Measurement::BelowDetection(v), unit, UNIT),
                    None => {
                        note(
                            VALUE,
                            value,
                            format!(
                                "{condition:?} with a value that is not a positive number; kept \
                                 as not detected"
                            ),
                        );
                        (Measurement::NotDetected, unit, UNIT)
                    }
                })
            } else if unit.is_empty() {
                Some((Measurement::NotDetected, limit_unit, limit_unit_field))
            } else {
                Some((Measurement::NotDetected, unit, UNIT))
            }
        } else if value.is_empty() {
            let message = if condition.is_empty() {
                "no value and no detection condition; no reading".to_string()
            } else {
                format!("no value, and {condition:?} is not a below-limit condition; no reading")
            };
            problem(VALUE, "", message);
            None
        } else {
            let number = value
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .map(Measurement::Value)
                .or_else(|| Measurement::parse(value));
            match number {
                Some(m) => {
                    if !condition.is_empty() {
                        note(
                            CONDITION,
                            condition,
                            "not a below-limit condition this reader knows; the value is kept as \
                             doubtful"
                                .into(),
                        );
                        doubtful = true;
                    }
                    Some((m, unit, UNIT))
                }
                None => {
                    problem(VALUE, value, "not a number; no reading".into());
                    None
                }
            }
        };
        let (Some((measurement, m_unit, unit_field)), Some(date), false) =
            (result, date, unreadable)
        else {
            continue;
        };

        // The time, in local standard time.
        let time_text = g(TIME);
        let zone = g(ZONE);
        let time = if time_text.is_empty() {
            date.and_time(chrono::NaiveTime::MIN)
        } else {
            match ["%H:%M:%S", "%H:%M"]
                .iter()
                .find_map(|f| chrono::NaiveTime::parse_from_str(time_text, f).ok())
            {
                None => {
                    note(
                        TIME,
                        time_text,
                        "not a time (HH:MM:SS); the reading is dated 00:00 of its date".into(),
                    );
                    date.and_time(chrono::NaiveTime::MIN)
                }
                Some(t) => {
                    let clock = date.and_time(t);
                    match to_standard_hours(zone) {
                        Some(h) => clock + chrono::TimeDelta::hours(h),
                        None => {
                            let why = if zone.is_empty() {
                                "no time zone given".to_string()
                            } else if ["UTC", "GMT", "Z"]
                                .iter()
                                .any(|u| u.eq_ignore_ascii_case(zone))
                            {
                                format!("{zone} does not say the site's standard zone")
                            } else {
                                format!("unknown time zone {zone:?}")
                            };
                            note(ZONE, zone, format!("{why}; the time is kept as written"));
                            clock
                        }
                    }
                }
            }
        };

        // What was measured, in the item's unit where it is an item.
        let fraction = g(FRACTION);
        let spec = g(SPECIFICATION);
        let other = || Determinand::other(&other_code(name, fraction), &other_unit(m_unit, spec));
        let (determinand, measurement) = match item_rule(name, fraction) {
            Some(r) => {
                let basis = stated_basis(spec, m_unit);
                let basis_ok = match r.basis {
                    Basis::Any => true,
                    Basis::Element(e) => basis.is_none_or(|b| b.eq_ignore_ascii_case(e)),
                    Basis::Stated(e) => basis.is_some_and(|b| b.eq_ignore_ascii_case(e)),
                };
                let convert = |v: f64| to_item_unit(r.item, m_unit, v);
                let converted = match measurement {
                    Measurement::Value(v) => convert(v).map(Measurement::Value),
                    Measurement::BelowDetection(l) => convert(l).map(Measurement::BelowDetection),
                    Measurement::NotDetected => Ok(Measurement::NotDetected),
                };
                match (basis_ok, converted) {
                    (false, _) => {
                        let (field, cell) = if spec.is_empty() {
                            (unit_field, m_unit)
                        } else {
                            (SPECIFICATION, spec)
                        };
                        let d = other();
                        note(
                            field,
                            cell,
                            format!(
                                "{} must be reported as {} ({:?} given); kept as {} in {}",
                                r.item.code(),
                                match r.basis {
                                    Basis::Element(e) | Basis::Stated(e) => e,
                                    Basis::Any => "",
                                },
                                basis.unwrap_or("no basis"),
                                d.code(),
                                d.unit()
                            ),
                        );
                        (d, measurement)
                    }
                    (true, Ok(m)) => (Determinand::Item(r.item), m),
                    (true, Err(e)) => {
                        let d = other();
                        note(
                            unit_field,
                            m_unit,
                            format!("{e}; kept as {} in {:?}", d.code(), d.unit()),
                        );
                        (d, measurement)
                    }
                }
            }
            None => {
                if m_unit.is_empty() && measurement != Measurement::NotDetected {
                    note(
                        unit_field,
                        "",
                        format!(
                            "no unit; kept as {} without one",
                            other_code(name, fraction)
                        ),
                    );
                }
                (other(), measurement)
            }
        };

        let status = g(STATUS);
        let qualifier = g(QUALIFIER);
        let flag = if status.eq_ignore_ascii_case("Rejected") {
            Flag::Bad
        } else if doubtful {
            Flag::Doubtful
        } else {
            Flag::Ok
        };
        let source_flag = match (status.is_empty(), qualifier.is_empty()) {
            (true, true) => None,
            (false, true) => Some(status.to_string()),
            (true, false) => Some(qualifier.to_string()),
            (false, false) => Some(format!("{status}; {qualifier}")),
        }
        .map(|s| {
            source_flags
                .entry(s)
                .or_insert_with_key(|k| k.as_str().into())
                .clone()
        });
        let section = sections
            .entry(location.to_string())
            .or_insert_with_key(|k| k.as_str().into())
            .clone();
        out.readings.push(Reading {
            section,
            time,
            determinand,
            measurement,
            flag,
            source_flag,
            origin: Origin::Grab,
            file: file_arc.clone(),
            line,
        });
        out.problems.extend(notes);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_go_to_standard_time() {
        assert_eq!(to_standard_hours("EST"), Some(0));
        assert_eq!(to_standard_hours("edt"), Some(-1));
        assert_eq!(to_standard_hours("AKDT"), Some(-1));
        assert_eq!(to_standard_hours("UTC"), None);
        assert_eq!(to_standard_hours("XYZ"), None);
    }

    #[test]
    fn rules_need_the_fraction_and_basis() {
        assert_eq!(
            item_rule("Nitrogen", "Total").map(|r| r.item),
            Some(Item::TotalNitrogen)
        );
        assert!(item_rule("Nitrogen", "Dissolved").is_none());
        assert!(item_rule("Conductivity", "").is_none());
        assert_eq!(stated_basis("as N", "mg/l"), Some("N"));
        assert_eq!(stated_basis("", "mg/l as N"), Some("N"));
        assert_eq!(stated_basis("", "mg/l"), None);
        assert_eq!(other_unit("mg/l", "as N"), "mg/l as N");
        assert_eq!(other_unit("mg/l as N", "as N"), "mg/l as N");
        assert_eq!(
            other_code("Nitrogen", "Suspended"),
            "wqp.Nitrogen/Suspended"
        );
    }
}
