//! A bulletin as a document: title, sections of paragraphs, tables and charts. [`crate::text`]
//! writes it from a [`crate::figures::Bulletin`] in Chinese or English; [`crate::render`]
//! turns it into Markdown, HTML or typst. Every string here is final text: renderers only escape
//! and place it.

/// Chinese or English.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s.to_ascii_lowercase().as_str() {
            "zh" | "cn" | "zh-cn" | "chinese" => Some(Lang::Zh),
            "en" | "english" => Some(Lang::En),
            _ => None,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
}

/// Column alignment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub header: Vec<String>,
    pub align: Vec<Align>,
    pub rows: Vec<Vec<String>>,
    /// A line under the table (sources, footnotes).
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Paragraph(String),
    /// A list of short statements.
    List(Vec<String>),
    Table(Table),
    /// A chart by name (its SVG is supplied to the renderer), with a caption.
    Chart {
        name: String,
        caption: String,
    },
    /// A smaller-print note.
    Note(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    pub heading: String,
    pub blocks: Vec<Block>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub lang: Lang,
    pub title: String,
    pub subtitle: String,
    /// The lead paragraph (the headline figures).
    pub lead: Vec<String>,
    pub sections: Vec<Section>,
    pub footer: String,
}
