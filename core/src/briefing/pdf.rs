//! The one module that names printpdf: pages of positioned items → PDF bytes, with the fonts
//! subset to the characters the note uses (allsorts, which printpdf already builds on), the
//! section bookmarks, and the title, subject, author and dates in the metadata.

use super::fonts::{Face, Fonts};
use super::layout::{Item, Laid, Rgb};
use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions,
    Point, Pt, Rect, TextItem,
};
use std::collections::{BTreeMap, BTreeSet};

/// What the document says about itself.
#[derive(Debug, Clone)]
pub struct Meta {
    pub title: String,
    pub subject: String,
    pub author: String,
    pub created: jiff::Timestamp,
}

/// Renders laid-out pages to PDF bytes.
pub fn render(laid: &Laid, meta: &Meta) -> Result<Vec<u8>, String> {
    let fonts = Fonts::get();
    let mut doc = PdfDocument::new(&meta.title);
    let info = &mut doc.metadata.info;
    info.subject = meta.subject.clone();
    info.author = meta.author.clone();
    info.creator = "Vínculo".into();
    info.producer = format!("Vínculo {}", env!("CARGO_PKG_VERSION"));
    let when = printpdf::OffsetDateTime::from_unix_timestamp(meta.created.as_second())
        .map_err(|e| format!("creation date: {e}"))?;
    info.creation_date = when;
    info.modification_date = when;
    info.metadata_date = when;

    // Each face that draws something, subset to the characters it draws.
    let mut used: BTreeMap<Face, BTreeSet<char>> = BTreeMap::new();
    for item in laid.pages.iter().flat_map(|p| &p.items) {
        if let Item::Text { face, text, .. } = item {
            used.entry(*face).or_default().extend(text.chars());
        }
    }
    let mut ids: BTreeMap<Face, FontId> = BTreeMap::new();
    for (face, chars) in &used {
        let bytes = subset(fonts, *face, chars)?;
        let mut warnings = Vec::new();
        let mut parsed = ParsedFont::from_bytes(&bytes, 0, &mut warnings)
            .ok_or_else(|| format!("the subset of {face:?} does not parse"))?;
        // A subset is named with a six-letter tag before the face's name (ISO 32000-1, 9.6.4).
        parsed.font_name = Some(format!("{}+{}", subset_tag(chars), face.postscript_name()));
        ids.insert(*face, doc.add_font(&parsed));
    }

    let height = laid.paper.height;
    let pt = |mm: f32| Pt::from(Mm(mm));
    let point = |x: f32, y: f32| Point { x: pt(x), y: pt(height - y) };
    let color = |c: Rgb| {
        Color::Rgb(printpdf::Rgb {
            r: f32::from(c.0) / 255.0,
            g: f32::from(c.1) / 255.0,
            b: f32::from(c.2) / 255.0,
            icc_profile: None,
        })
    };
    let mut pages = Vec::with_capacity(laid.pages.len());
    for page in &laid.pages {
        let mut ops = Vec::new();
        for item in &page.items {
            match item {
                Item::Text { x, y, size, face, text, color: c } => {
                    let font = ids.get(face).cloned().ok_or("a face without a font")?;
                    ops.extend([
                        Op::StartTextSection,
                        Op::SetFillColor { col: color(*c) },
                        Op::SetFont { font: PdfFontHandle::External(font), size: Pt(*size) },
                        Op::SetTextCursor { pos: point(*x, *y) },
                        Op::ShowText { items: vec![TextItem::Text(text.clone())] },
                        Op::EndTextSection,
                    ]);
                }
                Item::Line { x1, y1, x2, y2, width_pt, color: c } => ops.extend([
                    Op::SetOutlineColor { col: color(*c) },
                    Op::SetOutlineThickness { pt: Pt(*width_pt) },
                    Op::DrawLine {
                        line: Line {
                            points: vec![
                                LinePoint { p: point(*x1, *y1), bezier: false },
                                LinePoint { p: point(*x2, *y2), bezier: false },
                            ],
                            is_closed: false,
                        },
                    },
                ]),
                Item::Rect { x, y, w, h, color: c } => ops.extend([
                    Op::SetFillColor { col: color(*c) },
                    Op::DrawRectangle {
                        rectangle: Rect {
                            x: pt(*x),
                            y: pt(height - y - h),
                            width: pt(*w),
                            height: pt(*h),
                            mode: Some(printpdf::PaintMode::Fill),
                            winding_order: None,
                        },
                    },
                ]),
            }
        }
        pages.push(PdfPage::new(Mm(laid.paper.width), Mm(height), ops));
    }
    doc.with_pages(pages);
    for (title, page) in &laid.bookmarks {
        doc.add_bookmark(title, page + 1);
    }
    let mut warnings = Vec::new();
    let opts = PdfSaveOptions { subset_fonts: false, ..PdfSaveOptions::default() };
    Ok(doc.save(&opts, &mut warnings))
}

/// `face` cut down to the glyphs of `chars` (and `.notdef`), with a Unicode cmap for them.
fn subset(fonts: &Fonts, face: Face, chars: &BTreeSet<char>) -> Result<Vec<u8>, String> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{CmapTarget, SubsetProfile};
    let glyphs: BTreeSet<u16> = chars.iter().map(|c| fonts.glyph(face, *c)).filter(|g| *g != 0).collect();
    let ids: Vec<u16> = std::iter::once(0).chain(glyphs).collect();
    let scope = ReadScope::new(face.bytes());
    let data = scope.read::<FontData<'_>>().map_err(|e| format!("{face:?}: {e}"))?;
    let provider = data.table_provider(0).map_err(|e| format!("{face:?}: {e}"))?;
    allsorts::subset::subset(&provider, &ids, &SubsetProfile::Minimal, CmapTarget::Unicode)
        .map_err(|e| format!("subsetting {face:?}: {e}"))
}

/// Six capital letters that name a subset, from the characters it holds.
fn subset_tag(chars: &BTreeSet<char>) -> String {
    // FNV-1a over the characters: stable from run to run, different for different subsets.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for c in chars {
        hash = (hash ^ u64::from(u32::from(*c))).wrapping_mul(0x0100_0000_01b3);
    }
    (0..6).map(|i| char::from(b'A' + ((hash >> (i * 8)) % 26) as u8)).collect()
}
