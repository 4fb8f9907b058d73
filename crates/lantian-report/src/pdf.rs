//! PDF through typst, used as a library: the bulletin is written as typst markup
//! ([`crate::render::typst`]), its charts are handed over as SVG files of a virtual file system,
//! and typst lays it out and writes the PDF.
//!
//! Fonts: typst's embedded Latin fonts (Libertinus Serif, New Computer Modern, DejaVu Sans Mono)
//! plus every font of the system. Chinese needs a CJK font on the system; the markup asks for
//! Noto Serif CJK SC / Noto Sans CJK SC (Debian and Ubuntu: `fonts-noto-cjk`). Without one,
//! [`render_pdf`] refuses with [`PdfError::NoCjkFont`] rather than print boxes.

use std::collections::HashMap;
use std::sync::OnceLock;

use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::fonts::FontStore;

/// The CJK families the bulletin's markup names, in order of preference.
pub const CJK_FAMILIES: [&str; 4] = [
    "Noto Serif CJK SC",
    "Noto Sans CJK SC",
    "Source Han Serif SC",
    "Source Han Sans SC",
];

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error(
        "no Chinese font found on this system (looked for {families}); install one, e.g. `apt-get install fonts-noto-cjk` on Debian/Ubuntu"
    )]
    NoCjkFont { families: String },
    #[error("typst could not lay the bulletin out: {0}")]
    Typeset(String),
}

/// The fonts, scanned once per process (scanning reads only the font headers).
fn fonts() -> &'static FontStore {
    static FONTS: OnceLock<FontStore> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut store = FontStore::new();
        store.extend(typst_kit::fonts::embedded());
        store.extend(typst_kit::fonts::system());
        store
    })
}

/// The CJK family of [`CJK_FAMILIES`] present on this system, if any.
pub fn cjk_family() -> Option<&'static str> {
    let book = fonts().book();
    CJK_FAMILIES
        .into_iter()
        .find(|f| book.contains_family(&f.to_lowercase()))
}

struct BulletinWorld {
    library: LazyHash<Library>,
    main: FileId,
    source: Source,
    files: HashMap<FileId, Bytes>,
}

fn file_id(path: &str) -> FileId {
    RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new(path).expect("a plain relative path"),
    )
    .intern()
}

impl World for BulletinWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        fonts().book()
    }
    fn main(&self) -> FileId {
        self.main
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main {
            Ok(self.source.clone())
        } else {
            Err(FileError::NotSource)
        }
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main {
            return Ok(Bytes::from_string(self.source.text().to_string()));
        }
        self.files.get(&id).cloned().ok_or(FileError::AccessDenied)
    }
    fn font(&self, index: usize) -> Option<Font> {
        fonts().font(index)
    }
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        // The bulletin's date comes from its data, never from the clock, so the same data give
        // the same PDF.
        None
    }
}

fn describe(errors: &[SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|e| e.message.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Lays out `markup` (typst) with `files` (name → bytes, e.g. `calendar.svg`) beside it and
/// returns the PDF. `needs_cjk` makes a missing Chinese font an error.
pub fn render_pdf(
    markup: &str,
    files: &[(String, Vec<u8>)],
    needs_cjk: bool,
) -> Result<Vec<u8>, PdfError> {
    if needs_cjk && cjk_family().is_none() {
        return Err(PdfError::NoCjkFont {
            families: CJK_FAMILIES.join(", "),
        });
    }
    let main = file_id("/bulletin.typ");
    let world = BulletinWorld {
        library: LazyHash::new(Library::default()),
        main,
        source: Source::new(main, markup.to_string()),
        files: files
            .iter()
            .map(|(name, bytes)| (file_id(&format!("/{name}")), Bytes::new(bytes.clone())))
            .collect(),
    };
    let doc: typst_layout::PagedDocument = typst::compile(&world)
        .output
        .map_err(|e| PdfError::Typeset(describe(&e)))?;
    let pdf = typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default())
        .map_err(|e| PdfError::Typeset(describe(&e)));
    // typst memoises its work in a process-wide cache that only grows unless evicted: a server
    // typesetting ever new bulletins would hold tens of megabytes for each. A bulletin is
    // typeset once per request (the server keeps the PDF), so nothing is kept for the next.
    typst::comemo::evict(0);
    pdf
}
