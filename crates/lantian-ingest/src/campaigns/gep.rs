//! The GEP-R input table and the compensation rule file (formats in `docs/gep.md`).
//!
//! - `inputs.csv`: `#` comment lines, then the header `district,account,part,input,unit` and one
//!   column per year; each line one input of one part of one account of one district, an empty
//!   cell "not given" for that year (never 0). Each non-empty cell becomes an
//!   [`InputRow`] with its line; the engine's [`from_rows`] checks units, parts and duplicates
//!   and names the line of any row it refuses.
//! - `rule_*.toml`: the fields of [`Rule`], checked with [`Rule::check`].

use crate::eu_ets::Problem;
use lantian_campaigns::gep::{DistrictInputs, GepError, InputRow, Rule, from_rows};

const KEYS: [&str; 5] = ["district", "account", "part", "input", "unit"];

/// Read an inputs table's text into the districts' inputs. A wrong header, a year column that
/// is not a year, a cell that is not a number, and every refusal of the engine name the file,
/// line and field.
pub fn read_inputs_str(file: &str, text: &str) -> Result<Vec<DistrictInputs>, Problem> {
    let mut rows = Vec::new();
    let mut years: Option<Vec<i32>> = None;
    for (i, line) in text.lines().enumerate() {
        let no = i as u64 + 1;
        let line = line.trim_start_matches('\u{feff}');
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes());
        let rec = match r.records().next() {
            Some(Ok(rec)) => rec,
            _ => return Err(Problem::new(file, no, "", line, "not a CSV line")),
        };
        let cells: Vec<&str> = rec.iter().map(str::trim).collect();
        let Some(ys) = &years else {
            if cells.len() < 6 || cells[..5] != KEYS {
                return Err(Problem::new(
                    file,
                    no,
                    "header",
                    line,
                    "a GEP-R inputs table's header is district,account,part,input,unit and one column per year",
                ));
            }
            let mut parsed = Vec::new();
            for c in &cells[5..] {
                match c.parse::<i32>() {
                    Ok(y) if (1900..=2200).contains(&y) && c.len() == 4 => parsed.push(y),
                    _ => {
                        return Err(Problem::new(
                            file,
                            no,
                            c,
                            c,
                            "a year column's name is a four-digit year",
                        ));
                    }
                }
            }
            years = Some(parsed);
            continue;
        };
        if cells.len() != 5 + ys.len() {
            return Err(Problem::new(
                file,
                no,
                "",
                line,
                format!(
                    "{} fields where the header has {}",
                    cells.len(),
                    5 + ys.len()
                ),
            ));
        }
        for (k, y) in ys.iter().enumerate() {
            let cell = cells[5 + k];
            if cell.is_empty() {
                continue;
            }
            let value: f64 = cell
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| Problem::new(file, no, &y.to_string(), cell, "not a number"))?;
            rows.push(InputRow {
                line: no as usize,
                district: cells[0].to_string(),
                year: *y,
                account: cells[1].to_string(),
                part: cells[2].to_string(),
                input: cells[3].to_string(),
                value,
                unit: cells[4].to_string(),
            });
        }
    }
    if years.is_none() {
        return Err(Problem::new(
            file,
            1,
            "header",
            "",
            "no header: the file holds only comments",
        ));
    }
    from_rows(&rows).map_err(|e| match e {
        GepError::AtRow { line, error, .. } => {
            let row = rows.iter().find(|r| r.line == line);
            let field = row.map(|r| r.year.to_string()).unwrap_or_default();
            let value = row.map(|r| r.input.clone()).unwrap_or_default();
            Problem::new(file, line as u64, &field, &value, error.to_string())
        }
        e => Problem::new(file, 0, "", "", e.to_string()),
    })
}

/// Read a compensation rule file's text.
pub fn read_rule_str(file: &str, text: &str) -> Result<Rule, Problem> {
    let rule: Rule = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() as u64 + 1)
            .unwrap_or(0);
        Problem::new(file, line, "", "", e.message().to_string())
    })?;
    rule.check()
        .map_err(|e| Problem::new(file, 0, "", "", e.to_string()))?;
    Ok(rule)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_is_read_by_year_and_bad_cells_named() {
        let text = "# model\ndistrict,account,part,input,unit,2023,2024\n\
                    延庆区,carbon_sequestration,all,nep_t_c,t C,100,\n";
        let d = read_inputs_str("inputs.csv", text).unwrap();
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].district.as_str(), d[0].year), ("延庆区", 2023));
        let bad = "district,account,part,input,unit,2023\n延庆区,carbon_sequestration,all,nep_t_c,t C,lots\n";
        let e = read_inputs_str("inputs.csv", bad).unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (2, "2023"));
        let header = "district,account,input,unit,2023\n";
        assert_eq!(
            read_inputs_str("inputs.csv", header).unwrap_err().field,
            "header"
        );
    }

    #[test]
    fn the_example_files_are_read() {
        let dir = format!(
            "{}/../../plans/beijing-2024/gep/",
            std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(format!("{dir}inputs.csv")).unwrap();
        let d = read_inputs_str("inputs.csv", &text).unwrap();
        // 16 districts and 经开区, two years.
        assert_eq!(d.len(), 34);
        let rule = std::fs::read_to_string(format!("{dir}rule_2025.toml")).unwrap();
        let r = read_rule_str("rule_2025.toml", &rule).unwrap();
        assert_eq!(r.pairs.len(), 7);
        // The same rule as the engine's own table, but for the wording of its source.
        let built_in = Rule::beijing_2025();
        assert_eq!(
            (&r.pairs, r.amount, r.growth_target_percent),
            (
                &built_in.pairs,
                built_in.amount,
                built_in.growth_target_percent
            )
        );
    }
}
