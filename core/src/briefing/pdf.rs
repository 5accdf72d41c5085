//! The one module that names printpdf: pages of positioned items → PDF bytes, with the fonts
//! subset to the glyphs the note draws (allsorts, which printpdf already builds on), each glyph
//! mapped back to the text it stands for (so a reader copies names as they are written), the
//! section bookmarks, and the title, subject, author and dates in the metadata.

use super::fonts::{Face, Fonts};
use super::layout::{Item, Laid, Rgb};
use printpdf::{
    Codepoint, Color, FontId, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rect, TextItem, TextMatrix,
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

    // Each face that draws something, subset to the glyphs it draws; each glyph says the text
    // of its first appearance that says any (a glyph means the same wherever it is drawn).
    let mut used: BTreeMap<Face, BTreeMap<u16, String>> = BTreeMap::new();
    for item in laid.pages.iter().flat_map(|p| &p.items) {
        if let Item::Text { face, glyphs, .. } = item {
            let said = used.entry(*face).or_default();
            for g in glyphs {
                let text = said.entry(g.id).or_default();
                if text.is_empty() {
                    text.clone_from(&g.text);
                }
            }
        }
    }
    let mut fonts_in: BTreeMap<Face, Subset> = BTreeMap::new();
    for (face, said) in used {
        let (bytes, renumbered) = subset(fonts, face, said.keys())?;
        let mut warnings = Vec::new();
        let mut parsed = ParsedFont::from_bytes(&bytes, 0, &mut warnings)
            .ok_or_else(|| format!("the subset of {face:?} does not parse"))?;
        // A subset is named with a six-letter tag before the face's name (ISO 32000-1, 9.6.4).
        parsed.font_name = Some(format!("{}+{}", subset_tag(said.keys()), fonts.file(face).2));
        fonts_in.insert(face, Subset { id: doc.add_font(&parsed), renumbered, said });
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
                Item::Text { x, y, size, face, glyphs, color: c, .. } => {
                    let font = fonts_in.get(face).ok_or("a face without a font")?;
                    ops.extend([
                        Op::StartTextSection,
                        Op::SetFillColor { col: color(*c) },
                        Op::SetFont { font: PdfFontHandle::External(font.id.clone()), size: Pt(*size) },
                    ]);
                    // Every glyph where shaping put it; printpdf joins a baseline's glyphs into
                    // one TJ whose kerns give these very positions.
                    for g in glyphs {
                        let at = point(x + g.x, y - g.rise);
                        let gid = font.renumbered.get(&g.id).copied().unwrap_or(0);
                        // Empty for a glyph that says nothing (printpdf leaves it out of ToUnicode;
                        // without a text it would map the glyph to U+FFFD).
                        let said = Some(font.said.get(&g.id).cloned().unwrap_or_default());
                        ops.extend([
                            Op::SetTextMatrix { matrix: TextMatrix::Translate(at.x, at.y) },
                            Op::ShowText {
                                items: vec![TextItem::GlyphIds(vec![Codepoint {
                                    gid,
                                    offset: 0.0,
                                    cid: said,
                                }])],
                            },
                        ]);
                    }
                    ops.push(Op::EndTextSection);
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

/// A face as the document holds it: its font, the subset's number for each of the face's
/// glyphs, and the text each glyph stands for.
struct Subset {
    id: FontId,
    renumbered: BTreeMap<u16, u16>,
    said: BTreeMap<u16, String>,
}

/// `face` cut down to `glyphs` (and `.notdef`), with a Unicode cmap for the characters they
/// draw; and the new number of each glyph (its place in the subset).
fn subset<'a>(
    fonts: &Fonts,
    face: Face,
    glyphs: impl Iterator<Item = &'a u16>,
) -> Result<(Vec<u8>, BTreeMap<u16, u16>), String> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{CmapTarget, SubsetProfile};
    let glyphs: BTreeSet<u16> = glyphs.copied().filter(|g| *g != 0).collect();
    let ids: Vec<u16> = std::iter::once(0).chain(glyphs).collect();
    let (bytes, index, _) = fonts.file(face);
    let scope = ReadScope::new(bytes);
    let data = scope.read::<FontData<'_>>().map_err(|e| format!("{face:?}: {e}"))?;
    let provider = data.table_provider(index as usize).map_err(|e| format!("{face:?}: {e}"))?;
    let bytes = allsorts::subset::subset(&provider, &ids, &SubsetProfile::Minimal, CmapTarget::Unicode)
        .map_err(|e| format!("subsetting {face:?}: {e}"))?;
    let renumbered = ids.iter().enumerate().map(|(new, old)| (*old, new as u16)).collect();
    Ok((bytes, renumbered))
}

/// Six capital letters that name a subset, from the glyphs it holds.
fn subset_tag<'a>(glyphs: impl Iterator<Item = &'a u16>) -> String {
    // FNV-1a over the glyphs: stable from run to run, different for different subsets.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for g in glyphs {
        hash = (hash ^ u64::from(*g)).wrapping_mul(0x0100_0000_01b3);
    }
    (0..6).map(|i| char::from(b'A' + ((hash >> (i * 8)) % 26) as u8)).collect()
}
