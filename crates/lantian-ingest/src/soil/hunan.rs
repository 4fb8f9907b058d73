//! Cropland cadmium in Hunan (about 26.3–26.8°N): 136 samples of a published study.
//!
//! ```text
//! Data to derive cadmium regression model.,,,,,,,,,,
//! Unit:,,,,mg/kg,mg/kg,mg/kg,mg/L,g/kg,%,
//! X,Y,land_use,pH,SoilCdtot,RiceCd,StrawCd,SoilCdavi,OC,Clay,source
//! ```
//!
//! A title line and a unit line come before the column names. The unit line is checked: a file
//! whose `SoilCdtot` is not in mg/kg, or whose pH has a unit, is refused with a message, since
//! a content read in the wrong unit would be screened a thousand times off.
//!
//! - `X`, `Y`: longitude and latitude (WGS 84, `EPSG:4326`);
//! - `land_use`: `Paddy` → [`LandClass::Paddy`], `Upland` → [`LandClass::OtherFarmland`]
//!   (GB 15618's "other": upland is dry cropland);
//! - `pH`; `SoilCdtot`: total soil cadmium, the content `Cd` in mg/kg.
//!
//! The other columns are not GB 15618 items and are listed in
//! [`SoilFile::unused_columns`](super::SoilFile::unused_columns) with their units as the unit
//! line gives them: `RiceCd` and `StrawCd` (cadmium in the plant, not the soil), `SoilCdavi`
//! (available cadmium in an extract, mg/L, not a content of dry soil), `OC`, `Clay`, and
//! `source` (whether the clay was measured or estimated). The file has no sample identifiers:
//! a sample's `id` is its row number.

use super::wide::{Column, LandUse, Layout, Role, as_written};
use super::{Problem, SoilFile};
use lantian_soil::LandClass;

/// The column names (the file's third line).
pub const COLUMNS: [&str; 11] = [
    "X",
    "Y",
    "land_use",
    "pH",
    "SoilCdtot",
    "RiceCd",
    "StrawCd",
    "SoilCdavi",
    "OC",
    "Clay",
    "source",
];

/// The header is looked for within the first lines.
pub const HEADER_WITHIN: usize = 5;

/// The land uses and their classes.
pub const LAND_USES: [(&str, LandClass); 2] = [
    ("Paddy", LandClass::Paddy),
    ("Upland", LandClass::OtherFarmland),
];

fn land(cell: &str) -> Result<LandUse, String> {
    let t = cell.trim();
    LAND_USES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(t))
        .map(|&(_, class)| (t.to_string(), Some(class)))
        .ok_or_else(|| "not a land use of the set (Paddy, Upland)".into())
}

const fn unused(name: &'static str, unit: &'static str, why: &'static str) -> Column {
    Column {
        name,
        unit,
        role: Role::Unused { why },
    }
}

const LAYOUT_COLUMNS: [Column; 11] = [
    Column {
        name: "X",
        unit: "",
        role: Role::X,
    },
    Column {
        name: "Y",
        unit: "",
        role: Role::Y,
    },
    Column {
        name: "land_use",
        unit: "",
        role: Role::LandUse,
    },
    Column {
        name: "pH",
        unit: "",
        role: Role::Ph,
    },
    Column {
        name: "SoilCdtot",
        unit: "mg/kg",
        role: Role::Content { item: "Cd" },
    },
    unused(
        "RiceCd",
        "mg/kg",
        "cadmium in the rice grain: a plant content, not soil (GB 2762 food limits, not GB 15618)",
    ),
    unused(
        "StrawCd",
        "mg/kg",
        "cadmium in the rice straw: a plant content, not soil",
    ),
    unused(
        "SoilCdavi",
        "mg/L",
        "available cadmium in a soil extract: not a content of dry soil, not a GB 15618 item",
    ),
    unused("OC", "g/kg", "organic carbon: not a GB 15618 item"),
    unused("Clay", "%", "clay fraction: not a GB 15618 item"),
    unused(
        "source",
        "",
        "whether the clay was measured (mea_clay) or estimated (est_clay)",
    ),
];

const LAYOUT: Layout = Layout {
    columns: &LAYOUT_COLUMNS,
    crs: "EPSG:4326",
    coord_exp: 0,
    lon_lat: true,
    land,
    soil: as_written,
};

/// Read the Hunan file: its unit line checked, then the rows.
pub fn read_hunan(file: &str, text: &str) -> Result<SoilFile, Problem> {
    let text = text.trim_start_matches('\u{feff}');
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut line_of = crate::text::LineOf::new(text);
    let head: Vec<(csv::StringRecord, u64)> = rdr
        .records()
        .take(HEADER_WITHIN)
        .map_while(Result::ok)
        .map(|r| {
            let line = r.position().map_or(0, |p| line_of.of(p));
            (r, line)
        })
        .collect();
    let cells =
        |r: &csv::StringRecord| -> Vec<String> { r.iter().map(|c| c.trim().to_string()).collect() };
    let Some(at) = head
        .iter()
        .position(|(r, _)| super::starts_with(&cells(r), &COLUMNS[..5]))
    else {
        return Err(Problem::new(
            file,
            1,
            "header",
            "",
            format!(
                "no line {} within the first {HEADER_WITHIN} lines",
                COLUMNS.join(",")
            ),
        ));
    };
    let header_line = head[at].1;
    let units = match at.checked_sub(1).map(|u| &head[u]) {
        Some((r, _))
            if r.get(0)
                .is_some_and(|c| c.trim().to_ascii_lowercase().starts_with("unit")) =>
        {
            cells(r)
        }
        _ => {
            return Err(Problem::new(
                file,
                header_line,
                "unit line",
                "",
                "the line before the column names gives their units (Unit:,,,,mg/kg,…); \
                 without it the contents' unit is unknown and the file is not read",
            ));
        }
    };
    let unit_line = head[at - 1].1;
    let unit_of = |name: &str| -> &str {
        COLUMNS
            .iter()
            .position(|c| *c == name)
            .and_then(|k| units.get(k))
            .map_or("", String::as_str)
    };
    let cd = unit_of("SoilCdtot");
    if !super::is_mg_kg(cd) {
        return Err(Problem::new(
            file,
            unit_line,
            "SoilCdtot",
            cd,
            "the unit of SoilCdtot must be mg/kg; the file is not read",
        ));
    }
    let ph = unit_of("pH");
    if !ph.is_empty() {
        return Err(Problem::new(
            file,
            unit_line,
            "pH",
            ph,
            "pH has no unit; a unit here means the columns are not the set's; the file is not \
             read",
        ));
    }
    let mut out = super::wide::read(file, text, at, &LAYOUT)?;
    for u in &mut out.unused_columns {
        let given = unit_of(&u.name);
        u.unit = (!given.is_empty()).then(|| given.to_string());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_is_the_header() {
        assert_eq!(LAYOUT.names(), COLUMNS);
    }
}
