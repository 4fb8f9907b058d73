//! A [`Document`] into Markdown, a self-contained HTML file (charts inline as SVG) or typst
//! markup (for the PDF). Renderers escape and place the text; they never compute.

use std::collections::BTreeMap;

use crate::document::{Align, Block, Document, Lang, Table};

/// Charts by name (`calendar`, `monthly`, `map`, `timeseries`, `variation`, `trend`) → SVG.
pub type Charts = BTreeMap<String, String>;

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
        .replace('*', "\\*")
        .replace('_', "\\_")
}

/// Markdown. Charts are linked as `{chart_dir}/{name}.svg` (files the caller writes) when
/// `chart_dir` is given, and left out with a note otherwise.
pub fn markdown(doc: &Document, charts: &Charts, chart_dir: Option<&str>) -> String {
    let mut out = format!("# {}\n\n", md_escape(&doc.title));
    if !doc.subtitle.is_empty() {
        out += &format!("*{}*\n\n", md_escape(&doc.subtitle));
    }
    for p in &doc.lead {
        out += &format!("**{}**\n\n", md_escape(p));
    }
    for s in &doc.sections {
        out += &format!("## {}\n\n", md_escape(&s.heading));
        for b in &s.blocks {
            match b {
                Block::Paragraph(p) => out += &format!("{}\n\n", md_escape(p)),
                Block::Note(p) => out += &format!("> {}\n\n", md_escape(p)),
                Block::List(items) => {
                    for i in items {
                        out += &format!("- {}\n", md_escape(i));
                    }
                    out += "\n";
                }
                Block::Table(t) => out += &md_table(t),
                Block::Chart { name, caption } => {
                    if !charts.contains_key(name) {
                        continue;
                    }
                    match chart_dir {
                        Some(dir) => {
                            out += &format!("![{}]({dir}/{name}.svg)\n\n", md_escape(caption))
                        }
                        None => {
                            out += &format!(
                                "*{}: {}*\n\n",
                                md_escape(caption),
                                match doc.lang {
                                    Lang::Zh => "图表需以 --out 输出到文件",
                                    Lang::En => "charts are written with --out",
                                }
                            )
                        }
                    }
                }
            }
        }
    }
    out += &format!("---\n\n{}\n", md_escape(&doc.footer));
    out
}

fn md_table(t: &Table) -> String {
    let mut out = format!(
        "| {} |\n",
        t.header
            .iter()
            .map(|h| md_escape(h))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    out += &format!(
        "|{}|\n",
        t.align
            .iter()
            .map(|a| match a {
                Align::Left => " --- ",
                Align::Right => " ---: ",
            })
            .collect::<Vec<_>>()
            .join("|")
    );
    for r in &t.rows {
        out += &format!(
            "| {} |\n",
            r.iter()
                .map(|c| md_escape(c))
                .collect::<Vec<_>>()
                .join(" | ")
        );
    }
    out += "\n";
    if let Some(n) = &t.note {
        out += &format!("{}\n\n", md_escape(n));
    }
    out
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const CSS: &str = "body{font-family:'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222;line-height:1.6}\
h1{font-size:1.7em;border-bottom:3px solid #1f78b4;padding-bottom:.2em}h2{font-size:1.25em;margin-top:1.6em;color:#1f4e79}\
.lead{font-size:1.08em;background:#eef5fb;border-left:4px solid #1f78b4;padding:.6em 1em}\
table{border-collapse:collapse;margin:.6em 0;font-size:.92em}th,td{border:1px solid #bbb;padding:.25em .6em}th{background:#f0f0f0}\
td.r{text-align:right;font-variant-numeric:tabular-nums}.note{font-size:.85em;color:#555}\
figure{margin:1em 0}figure svg{max-width:100%;height:auto}figcaption{font-size:.85em;color:#555}footer{margin-top:2em;font-size:.85em;color:#666}";

/// One HTML file; charts inline as SVG, no external resource.
pub fn html(doc: &Document, charts: &Charts) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        doc.lang.code(),
        html_escape(&doc.title),
        html_escape(&doc.title)
    );
    if !doc.subtitle.is_empty() {
        out += &format!("<p><em>{}</em></p>\n", html_escape(&doc.subtitle));
    }
    for p in &doc.lead {
        out += &format!("<p class=\"lead\">{}</p>\n", html_escape(p));
    }
    for s in &doc.sections {
        out += &format!("<section>\n<h2>{}</h2>\n", html_escape(&s.heading));
        for b in &s.blocks {
            match b {
                Block::Paragraph(p) => out += &format!("<p>{}</p>\n", html_escape(p)),
                Block::Note(p) => out += &format!("<p class=\"note\">{}</p>\n", html_escape(p)),
                Block::List(items) => {
                    out += "<ul>\n";
                    for i in items {
                        out += &format!("<li>{}</li>\n", html_escape(i));
                    }
                    out += "</ul>\n";
                }
                Block::Table(t) => {
                    out += "<table>\n<thead><tr>";
                    for h in &t.header {
                        out += &format!("<th>{}</th>", html_escape(h));
                    }
                    out += "</tr></thead>\n<tbody>\n";
                    for r in &t.rows {
                        out += "<tr>";
                        for (i, c) in r.iter().enumerate() {
                            let class = match t.align.get(i) {
                                Some(Align::Right) => " class=\"r\"",
                                _ => "",
                            };
                            out += &format!("<td{class}>{}</td>", html_escape(c));
                        }
                        out += "</tr>\n";
                    }
                    out += "</tbody>\n</table>\n";
                    if let Some(n) = &t.note {
                        out += &format!("<p class=\"note\">{}</p>\n", html_escape(n));
                    }
                }
                Block::Chart { name, caption } => {
                    if let Some(svg) = charts.get(name) {
                        // The SVG's own XML declaration (if any) must not sit inside HTML.
                        let body = svg
                            .trim_start()
                            .strip_prefix("<?xml")
                            .and_then(|r| r.split_once("?>").map(|x| x.1))
                            .unwrap_or(svg);
                        out += &format!(
                            "<figure id=\"chart-{name}\">\n{body}\n<figcaption>{}</figcaption>\n</figure>\n",
                            html_escape(caption)
                        );
                    }
                }
            }
        }
        out += "</section>\n";
    }
    out += &format!(
        "<footer>{}</footer>\n</body>\n</html>\n",
        html_escape(&doc.footer)
    );
    out
}

/// A typst string literal (every piece of text goes in as a string, so no character of the
/// bulletin can be read as markup).
fn ts(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out += "\\\"",
            '\\' => out += "\\\\",
            '\n' => out += "\\n",
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// typst markup of the bulletin; charts are the files `{name}.svg` beside it (see
/// [`crate::pdf::render_pdf`]). `cjk_family` is the Chinese font to use.
pub fn typst(doc: &Document, charts: &Charts, cjk_serif: &str, cjk_sans: &str) -> String {
    let (body_font, heading_font, lang) = match doc.lang {
        Lang::Zh => (
            format!("(\"Libertinus Serif\", {})", ts(cjk_serif)),
            format!("(\"Libertinus Serif\", {})", ts(cjk_sans)),
            "zh",
        ),
        Lang::En => (
            format!("(\"Libertinus Serif\", {})", ts(cjk_serif)),
            format!("(\"Libertinus Serif\", {})", ts(cjk_sans)),
            "en",
        ),
    };
    let mut out = format!(
        "#set document(title: {title})\n\
         #set page(paper: \"a4\", margin: (x: 2cm, y: 2.2cm), numbering: \"1 / 1\", header: align(right, text(size: 8pt, fill: gray, {title})))\n\
         #set text(font: {body_font}, size: 10.5pt, lang: \"{lang}\")\n\
         #set par(justify: true, leading: 0.75em)\n\
         #show heading: set text(font: {heading_font}, fill: rgb(\"#1f4e79\"))\n\
         #set table(stroke: 0.5pt + gray, inset: 4pt)\n\n",
        title = ts(&doc.title)
    );
    out += &format!(
        "#align(center, text(size: 18pt, weight: \"bold\", font: {heading_font}, {}))\n",
        ts(&doc.title)
    );
    if !doc.subtitle.is_empty() {
        out += &format!(
            "#align(center, text(size: 11pt, fill: gray, {}))\n",
            ts(&doc.subtitle)
        );
    }
    for p in &doc.lead {
        out += &format!(
            "#block(fill: rgb(\"#eef5fb\"), inset: 8pt, stroke: (left: 3pt + rgb(\"#1f78b4\")), width: 100%, text(weight: \"bold\", {}))\n",
            ts(p)
        );
    }
    for s in &doc.sections {
        out += &format!("\n#heading(level: 2, {})\n", ts(&s.heading));
        for b in &s.blocks {
            match b {
                Block::Paragraph(p) => out += &format!("#par({})\n", ts(p)),
                Block::Note(p) => out += &format!("#text(size: 8.5pt, fill: gray, {})\n", ts(p)),
                Block::List(items) => {
                    out += &format!(
                        "#list({})\n",
                        items.iter().map(|i| ts(i)).collect::<Vec<_>>().join(", ")
                    );
                }
                Block::Table(t) => {
                    let aligns: Vec<&str> = t
                        .align
                        .iter()
                        .map(|a| match a {
                            Align::Left => "left",
                            Align::Right => "right",
                        })
                        .collect();
                    out += &format!(
                        "#text(size: 8.5pt, table(columns: {}, align: ({}), table.header({}),\n",
                        t.header.len(),
                        aligns.join(", "),
                        t.header
                            .iter()
                            .map(|h| format!("text(weight: \"bold\", {})", ts(h)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                    for r in &t.rows {
                        out += &format!(
                            "  {},\n",
                            r.iter().map(|c| ts(c)).collect::<Vec<_>>().join(", ")
                        );
                    }
                    out += "))\n";
                    if let Some(n) = &t.note {
                        out += &format!("#text(size: 8pt, fill: gray, {})\n", ts(n));
                    }
                }
                Block::Chart { name, caption } => {
                    if charts.contains_key(name) {
                        // The map is tall: bounded so that it shares its page with the table.
                        let size = if name == "map" {
                            "height: 10cm"
                        } else {
                            "width: 100%"
                        };
                        out += &format!(
                            "#figure(image({}, {size}), caption: {})\n",
                            ts(&format!("{name}.svg")),
                            ts(caption)
                        );
                    }
                }
            }
        }
    }
    out += &format!(
        "\n#v(1em)\n#line(length: 100%, stroke: 0.5pt + gray)\n#text(size: 8pt, fill: gray, {})\n",
        ts(&doc.footer)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Section;

    fn doc() -> Document {
        Document {
            lang: Lang::En,
            title: "A <b> & \"c\" | d".into(),
            subtitle: String::new(),
            lead: vec!["PM2.5 was 34 µg/m³, down 8.1% year on year.".into()],
            sections: vec![Section {
                heading: "Table".into(),
                blocks: vec![
                    Block::Table(Table {
                        header: vec!["a".into(), "b".into()],
                        align: vec![Align::Left, Align::Right],
                        rows: vec![vec!["x|y".into(), "1".into()]],
                        note: None,
                    }),
                    Block::Chart {
                        name: "calendar".into(),
                        caption: "cap".into(),
                    },
                ],
            }],
            footer: "f".into(),
        }
    }

    #[test]
    fn escaping() {
        let charts: Charts = [("calendar".to_string(), "<svg></svg>".to_string())].into();
        let h = html(&doc(), &charts);
        assert!(h.contains("<title>A &lt;b&gt; &amp; &quot;c&quot; | d</title>"));
        assert!(h.contains("<figure id=\"chart-calendar\">\n<svg></svg>"));
        let m = markdown(&doc(), &charts, Some("r"));
        assert!(m.contains("| x\\|y | 1 |"));
        assert!(m.contains("|------|") || m.contains("| --- | ---: |"));
        assert!(m.contains("![cap](r/calendar.svg)"));
        let t = typst(&doc(), &charts, "Noto Serif CJK SC", "Noto Sans CJK SC");
        assert!(t.contains("\"A <b> & \\\"c\\\" | d\""));
        assert!(t.contains("image(\"calendar.svg\""));
    }
}
