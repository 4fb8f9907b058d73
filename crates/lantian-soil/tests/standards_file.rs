//! The tables in the code against the tables in `../shared/standards/soil-china.md`, the
//! reading of the standards they were typed from: every value of GB 36600 Table 1, the Table 2
//! items of its Additions, and GB 15618 Tables 1–3, cell by cell.

use lantian_soil::gb15618::{self, Item, PhBand, RowLand};
use lantian_soil::gb36600::{self, TableRef};
use std::path::PathBuf;

fn standards_file() -> Option<String> {
    let root = lantian_testdata::workspace_root();
    let dir = root
        .parent()
        .map_or(root.clone(), |p| p.to_path_buf())
        .join("shared/standards");
    let require = std::env::var(lantian_testdata::REQUIRE_DATA_VAR).ok();
    let path: PathBuf = lantian_testdata::resolve(
        &dir,
        "soil-china.md",
        "the standards' tables, to check the code's against",
        require.as_deref(),
    )?;
    Some(std::fs::read_to_string(path).unwrap())
}

/// The cells of the markdown table rows under each `#`-heading.
fn tables(text: &str) -> Vec<(String, Vec<Vec<String>>)> {
    let mut out: Vec<(String, Vec<Vec<String>>)> = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('#') {
            out.push((t.to_string(), Vec::new()));
        } else if t.starts_with('|') && !t.starts_with("|---") && !t.starts_with("| ---") {
            let cells: Vec<String> = t
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect();
            if let Some((_, rows)) = out.last_mut() {
                rows.push(cells);
            }
        }
    }
    out
}

fn section<'a>(all: &'a [(String, Vec<Vec<String>>)], starts: &str) -> &'a [Vec<String>] {
    &all.iter()
        .find(|(h, _)| h.starts_with(starts))
        .unwrap_or_else(|| panic!("no section {starts}"))
        .1[1..] // without the heading row
}

fn num(s: &str) -> f64 {
    s.parse()
        .unwrap_or_else(|_| panic!("{s:?} is not a number"))
}

#[test]
fn gb36600_as_in_the_standards_file() {
    let Some(text) = standards_file() else {
        return;
    };
    let all = tables(&text);
    let t1 = section(&all, "### Table 1 – 45 basic items");
    assert_eq!(t1.len(), 45);
    for cells in t1 {
        let number: u8 = cells[0].parse().unwrap();
        let cas = &cells[2];
        let row = gb36600::TABLE
            .iter()
            .find(|r| r.cas == cas)
            .unwrap_or_else(|| panic!("item {number}, CAS {cas}: no row"));
        assert_eq!(row.table, TableRef::One { number }, "{cas}");
        assert_eq!(
            [row.screening, row.intervention].concat(),
            cells[3..7].iter().map(|c| num(c)).collect::<Vec<_>>(),
            "item {number} {cas}"
        );
        // Items 35–45 are UNCONFIRMED in the file, but benzo[a]pyrene since confirmed.
        assert_eq!(row.confirmed, number <= 34 || number == 39, "item {number}");
    }
    let additions = section(&all, "## Additions");
    let mut t2 = 0;
    for cells in additions.iter().filter(|c| c.len() == 6) {
        let key = if cells[1] == "–" {
            "C10-C40"
        } else {
            cells[1].as_str()
        };
        let row = gb36600::row(key).unwrap_or_else(|| panic!("{cells:?}"));
        assert_eq!(
            [row.screening, row.intervention].concat(),
            cells[2..6].iter().map(|c| num(c)).collect::<Vec<_>>(),
            "{key}"
        );
        assert!(row.confirmed, "{key}");
        if row.table == TableRef::Two {
            t2 += 1;
        }
    }
    assert_eq!(t2, 7);
}

#[test]
fn gb15618_as_in_the_standards_file() {
    let Some(text) = standards_file() else {
        return;
    };
    let all = tables(&text);
    let t1 = section(&all, "### Table 1 – screening values");
    assert_eq!(t1.len(), gb15618::TABLE1.len());
    for cells in t1 {
        let item = Item::parse(&cells[0]).unwrap();
        let land = match cells[1].split(' ').next().unwrap() {
            "paddy" => RowLand::Paddy,
            "orchard" => RowLand::Orchard,
            "other" => RowLand::Other,
            "all" => RowLand::All,
            l => panic!("land {l}"),
        };
        let row = gb15618::TABLE1
            .iter()
            .find(|r| r.item == item && r.land == land)
            .unwrap();
        for band in PhBand::ALL {
            assert_eq!(
                row.mg_kg[band.index()],
                num(&cells[2 + band.index()]),
                "{cells:?}"
            );
        }
    }
    let t3 = section(&all, "### Table 3 – control values");
    assert_eq!(t3.len(), gb15618::TABLE3.len());
    for cells in t3 {
        let item = Item::parse(&cells[0]).unwrap();
        let row = gb15618::TABLE3.iter().find(|r| r.item == item).unwrap();
        let file: Vec<f64> = cells[1..5].iter().map(|c| num(c)).collect();
        assert_eq!(row.mg_kg.to_vec(), file, "{item:?}");
    }
    // Table 2 is a sentence: "HCH (六六六 total) 0.10; DDT (滴滴涕 total) 0.10; benzo[a]pyrene 0.55."
    let line = text
        .lines()
        .skip_while(|l| !l.starts_with("### Table 2 – other items"))
        .nth(1)
        .unwrap();
    let values: Vec<f64> = line
        .trim_end_matches('.')
        .split(';')
        .map(|part| num(part.split_whitespace().last().unwrap()))
        .collect();
    let code: Vec<f64> = gb15618::TABLE2.iter().map(|r| r.mg_kg).collect();
    assert_eq!(code, values);
}
