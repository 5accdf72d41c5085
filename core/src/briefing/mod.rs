//! The briefing note (*nota informativa*): the records behind a meeting or an organization
//! (`note`), laid out on pages (`layout`, pure and tested without PDFs), drawn with the
//! embedded fonts (`fonts`) by the one module that knows printpdf (`pdf`). Returns bytes; the
//! caller writes the file.

mod fonts;
mod layout;
mod note;
mod pdf;
mod report;
mod titular;

pub use crate::labels::Lang;
pub use fonts::{Face, FontLicense, Fonts, Glyph, REPLACEMENT, Run, Style, font_licenses};
pub use layout::{
    Bar, Bars, Block, Cell, FOOTER_BAND, Furniture, HEADER_BAND, Item, Laid, Line, MARGIN_X, MARGIN_Y, Page,
    Paper, Table, lay_out, wrap,
};
pub use note::Note;

use crate::error::{Error, Result};

/// A rendered note: the PDF's bytes and how many pages it has.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub pages: usize,
}

/// Lays `note` out and renders it to PDF.
pub fn render(note: &Note) -> Result<Rendered> {
    let laid = lay_out(&note.blocks, &note.furniture, note.paper);
    let meta = pdf::Meta {
        title: format!("{} — {}", note.furniture.title, note.furniture.subject),
        subject: note.furniture.subject.clone(),
        author: [note.furniture.institution.as_str(), note.furniture.area.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · "),
        created: note.taken_at,
    };
    let bytes = pdf::render(&laid, &meta).map_err(|detail| Error::Render { detail })?;
    Ok(Rendered { bytes, pages: laid.pages.len() })
}
