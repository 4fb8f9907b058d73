//! The Beijing bulletins from the real archive (../shared/data): Beijing 2023, 2023-H1 and
//! 2024 January–May, in Chinese and English, as Markdown, HTML and PDF, each from one command;
//! every figure of each report equals `lantian assess`'s (and the trend `lantian trend`'s) for
//! the same query. Skipped, with a message, where ../shared/data is absent.

mod common;

use common::bulletin::{
    assert_page_one_not_blank, check_en_markdown, check_html, check_zh_markdown,
};
use common::lantian_ok;
use std::path::Path;

fn json(st: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&lantian_ok(st, args)).unwrap()
}

#[test]
fn beijing_bulletins_2023_2023h1_and_2024_jan_may() {
    let needs = "the Beijing bulletins need the real archive and the district boundaries";
    let (Some(bj), Some(geo)) = (
        lantian_testdata::shared_path("quotsoft_beijing", needs),
        lantian_testdata::shared_path("geo_beijing/110100_full.json", needs),
    ) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let st = tmp.path().join("store");
    // 2022 (the baselines) to 2024; the trend chart covers the two years up to each period.
    let dirs: Vec<String> = ["2022", "2023", "2024"]
        .iter()
        .map(|y| bj.join(y).to_str().unwrap().to_string())
        .collect();
    lantian_ok(
        &st,
        &[
            &["ingest", "--quiet"],
            &dirs.iter().map(String::as_str).collect::<Vec<_>>()[..],
        ]
        .concat(),
    );
    let geo = geo.to_str().unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    for (period, trend_from, trend_to) in [
        ("2023", "2022-01-01", "2023-12-01"),
        ("2023-H1", "2021-07-01", "2023-06-01"),
        ("2024-YTD-05-31", "2022-06-01", "2024-05-01"),
    ] {
        let q = ["--period", period];
        let city = json(
            &st,
            &[
                &["assess"],
                &q[..],
                &["--target", "PM2.5=35", "--format", "json"],
            ]
            .concat(),
        );
        let districts = json(
            &st,
            &[
                &["assess"],
                &q[..],
                &["--by", "district", "--format", "json"],
            ]
            .concat(),
        );
        let mut files = Vec::new();
        for lang in ["en", "zh"] {
            for format in ["md", "html", "pdf", "json"] {
                let file = out.join(format!("{period}-{lang}.{format}"));
                lantian_ok(
                    &st,
                    &[
                        &["report"],
                        &q[..],
                        &["--lang", lang, "--format", format, "--geojson", geo],
                        &["--trend-years", "2", "--out", file.to_str().unwrap()],
                    ]
                    .concat(),
                );
                files.push(file);
            }
        }
        let read = |lang: &str, f: &str| {
            std::fs::read_to_string(out.join(format!("{period}-{lang}.{f}"))).unwrap()
        };
        let en = read("en", "md");
        check_en_markdown(&en, &city, &districts);
        let zh = read("zh", "md");
        check_zh_markdown(&zh, &en, &city);
        check_html(&read("en", "html"), &en);
        check_html(&read("zh", "html"), &zh);
        // The district map and all other charts are in the HTML.
        let html = read("en", "html");
        for c in [
            "calendar",
            "monthly",
            "map",
            "timeseries",
            "variation",
            "trend",
        ] {
            assert!(
                html.contains(&format!("<figure id=\"chart-{c}\">")),
                "{period}: {c}"
            );
        }
        // The JSON figures are the engine's.
        let b: serde_json::Value = serde_json::from_str(&read("en", "json")).unwrap();
        assert_eq!(b["current"], city["current"], "{period}");
        assert_eq!(b["baseline"], city["baseline"], "{period}");
        assert_eq!(b["targets"], city["targets"], "{period}");
        // The trend is `lantian trend`'s for the same months.
        let t = json(
            &st,
            &[
                "trend", "--region", "beijing", "--from", trend_from, "--to", trend_to, "--format",
                "json",
            ],
        );
        let slope = t[0]["trend"]["slope"].as_f64().unwrap();
        assert_eq!(
            b["trend"]["slope"].as_f64().unwrap(),
            slope,
            "{period} trend"
        );
        assert!(
            en.contains(&format!("is {slope:+.2} µg/m³ a year")),
            "{period} trend text"
        );
        // The PDFs render, with the Chinese in a CJK font.
        if std::process::Command::new("pdftoppm")
            .arg("-v")
            .output()
            .is_ok()
        {
            for lang in ["en", "zh"] {
                let pdf = out.join(format!("{period}-{lang}.pdf"));
                assert_page_one_not_blank(&pdf);
            }
            let fonts = std::process::Command::new("pdffonts")
                .arg(out.join(format!("{period}-zh.pdf")))
                .output()
                .unwrap();
            assert!(String::from_utf8_lossy(&fonts.stdout).contains("CJK"));
        } else {
            eprintln!("skipped the PDF page check: pdftoppm not installed (poppler-utils)");
        }
    }
    // The 2022 archive misses a third of the first half's PM2.5 days: the comparison says so.
    let h1 = std::fs::read_to_string(out.join("2023-H1-en.md")).unwrap();
    assert!(
        h1.contains("**Caution: the data are incomplete"),
        "2023-H1 caution"
    );
    // 2024 January–May is named as bulletins name it.
    let zh = std::fs::read_to_string(out.join("2024-YTD-05-31-zh.md")).unwrap();
    assert!(
        zh.starts_with("# 北京市2024年1—5月空气质量状况"),
        "{}",
        &zh[..80]
    );
    assert!(zh.contains("PM2.5累计浓度为"));
    let en = std::fs::read_to_string(out.join("2024-YTD-05-31-en.md")).unwrap();
    assert!(
        en.starts_with("# Air quality in Beijing: January–May 2024"),
        "{}",
        &en[..80]
    );
}
