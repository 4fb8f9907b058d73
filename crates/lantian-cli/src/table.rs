//! Tables for people (aligned columns, CJK counted as two), CSV and JSON from rows of cells:
//! the output of `stations`, `coverage` and `sql`, whose columns are known only at run time.

use crate::args::OutFormat;
use anyhow::Result;
use std::io::Write;

/// Query results as a table.
pub fn print_batches(
    batches: &[lantian_store::RecordBatch],
    format: OutFormat,
    out: &mut dyn Write,
) -> Result<()> {
    let Some(first) = batches.first() else {
        writeln!(out, "(no rows)")?;
        return Ok(());
    };
    let header: Vec<String> = first
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    let mut rows = Vec::new();
    for b in batches {
        let b = &lantian_store::query::normalize(b)?;
        for i in 0..b.num_rows() {
            rows.push(
                (0..b.num_columns())
                    .map(|c| lantian_store::query::cell(b, c, i))
                    .collect(),
            );
        }
    }
    let h: Vec<&str> = header.iter().map(String::as_str).collect();
    print_rows(&h, &rows, format, out)
}

/// Rows of cells under `header`.
pub fn print_rows(
    header: &[&str],
    rows: &[Vec<String>],
    format: OutFormat,
    out: &mut dyn Write,
) -> Result<()> {
    match format {
        OutFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(header)?;
            for r in rows {
                w.write_record(r)?;
            }
            w.flush()?;
        }
        OutFormat::Json => {
            let arr: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    serde_json::Value::Object(
                        header
                            .iter()
                            .zip(r)
                            .map(|(h, v)| (h.to_string(), serde_json::Value::String(v.clone())))
                            .collect(),
                    )
                })
                .collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&arr)?)?;
        }
        OutFormat::Table => {
            let mut width: Vec<usize> = header.iter().map(|h| display_width(h)).collect();
            for r in rows {
                for (i, c) in r.iter().enumerate() {
                    width[i] = width[i].max(display_width(c));
                }
            }
            let line = |cells: &[String], out: &mut dyn Write| -> std::io::Result<()> {
                let mut s = String::new();
                for (i, c) in cells.iter().enumerate() {
                    s.push_str(c);
                    s.push_str(&" ".repeat(width[i] - display_width(c) + 2));
                }
                writeln!(out, "{}", s.trim_end())
            };
            line(
                &header.iter().map(|h| h.to_string()).collect::<Vec<_>>(),
                out,
            )?;
            for r in rows {
                line(r, out)?;
            }
            writeln!(out, "({} rows)", rows.len())?;
        }
    }
    Ok(())
}

/// Terminal width of a string: CJK ideographs take two columns.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if ('\u{2e80}'..='\u{9fff}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c) {
                2
            } else {
                1
            }
        })
        .sum()
}
