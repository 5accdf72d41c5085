//! The typefaces of the briefing note and the shaping of its text.
//!
//! Compiled into the program: Noto Sans 2.004 in four faces, and DejaVu Sans for what Noto
//! lacks (✓, Armenian, Georgian, Arabic, Hebrew…). For a character neither has (Chinese,
//! Japanese, Korean, emoji…) the system's fonts are searched once (`fontdb`), Noto and DejaVu
//! families first, and a face with outlines for it is used (a colour bitmap face, such as Noto
//! Color Emoji, cannot be drawn in a PDF and is passed over). When no face has it, the
//! replacement mark is drawn: visible, never a silent blank.
//!
//! A line is split into runs of one direction by the Unicode bidirectional algorithm
//! (`unicode-bidi`), each run into pieces one face draws, and each piece shaped with
//! `rustybuzz` (HarfBuzz's shaping in Rust): Arabic letters joined, ligatures, marks placed,
//! right-to-left runs laid right to left. Every glyph remembers the text it stands for, so that
//! a reader copying from the PDF gets the name back in its logical order. Widths come from the
//! same shaping on the very bytes the PDF embeds, so what the layout measures is what prints.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use unicode_bidi::BidiInfo;

/// A face of the note's typeface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Style {
    Regular,
    Bold,
    Italic,
    BoldItalic,
}

impl Style {
    fn bold(self) -> bool {
        matches!(self, Style::Bold | Style::BoldItalic)
    }

    fn italic(self) -> bool {
        matches!(self, Style::Italic | Style::BoldItalic)
    }
}

/// A face that draws text: one of the embedded ones, or a system face found for a script they
/// lack (numbered in the order they were first needed in this process).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Face(u16);

/// The embedded font files: the face, its bytes and PostScript name, in [`Face`] order.
const EMBEDDED: [(&[u8], &str); 6] = [
    (include_bytes!("../../fonts/NotoSans-Regular.ttf"), "NotoSans-Regular"),
    (include_bytes!("../../fonts/NotoSans-Bold.ttf"), "NotoSans-Bold"),
    (include_bytes!("../../fonts/NotoSans-Italic.ttf"), "NotoSans-Italic"),
    (include_bytes!("../../fonts/NotoSans-BoldItalic.ttf"), "NotoSans-BoldItalic"),
    (include_bytes!("../../fonts/DejaVuSans.ttf"), "DejaVuSans"),
    (include_bytes!("../../fonts/DejaVuSans-Bold.ttf"), "DejaVuSans-Bold"),
];

impl Face {
    pub const NOTO_REGULAR: Face = Face(0);
    pub const NOTO_BOLD: Face = Face(1);
    pub const NOTO_ITALIC: Face = Face(2);
    pub const NOTO_BOLD_ITALIC: Face = Face(3);
    pub const DEJAVU: Face = Face(4);
    pub const DEJAVU_BOLD: Face = Face(5);

    /// Whether the face is compiled into the program (else it is the system's).
    pub fn is_embedded(self) -> bool {
        usize::from(self.0) < EMBEDDED.len()
    }
}

/// What to draw for a character no face has: visible, never a silent blank.
pub const REPLACEMENT: char = '\u{FFFD}';

/// The typeface a licence covers, as the About screen lists it.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FontLicense {
    pub name: &'static str,
    pub version: &'static str,
    pub license: &'static str,
    pub text: &'static str,
}

/// The licences of the embedded typefaces, shipped with the program.
pub fn font_licenses() -> Vec<FontLicense> {
    vec![
        FontLicense {
            name: "Noto Sans",
            version: "2.004",
            license: "OFL-1.1",
            text: include_str!("../../fonts/LICENSE-NotoSans.txt"),
        },
        FontLicense {
            name: "DejaVu Sans",
            version: "2.37",
            license: "Bitstream-Vera",
            text: include_str!("../../fonts/LICENSE-DejaVu.txt"),
        },
    ]
}

/// Points per millimetre.
pub const PT_PER_MM: f32 = 72.0 / 25.4;

/// A face ready to shape with: its file's bytes, the face's index in it, and its name.
struct Loaded {
    bytes: &'static [u8],
    index: u32,
    name: String,
    face: rustybuzz::Face<'static>,
    /// Ours: every glyph it maps has an outline (a system face's are checked one by one).
    embedded: bool,
}

impl Loaded {
    fn new(bytes: &'static [u8], index: u32, name: String, embedded: bool) -> Option<Loaded> {
        let face = rustybuzz::Face::from_slice(bytes, index)?;
        Some(Loaded { bytes, index, name, face, embedded })
    }

    fn units_to_mm(&self, units: i32, size_pt: f32) -> f32 {
        units as f32 / self.face.units_per_em() as f32 * size_pt / PT_PER_MM
    }

    fn draws(&self, c: char) -> bool {
        if self.embedded { self.face.glyph_index(c).is_some_and(|g| g.0 != 0) } else { draws(&self.face, c) }
    }
}

/// Whether `face` draws `c` with an outline (a space needs none; a colour bitmap is no outline).
fn draws(face: &ttf_parser::Face<'_>, c: char) -> bool {
    struct Nothing;
    impl ttf_parser::OutlineBuilder for Nothing {
        fn move_to(&mut self, _: f32, _: f32) {}
        fn line_to(&mut self, _: f32, _: f32) {}
        fn quad_to(&mut self, _: f32, _: f32, _: f32, _: f32) {}
        fn curve_to(&mut self, _: f32, _: f32, _: f32, _: f32, _: f32, _: f32) {}
        fn close(&mut self) {}
    }
    let Some(glyph) = face.glyph_index(c).filter(|g| g.0 != 0) else { return false };
    c.is_whitespace() || face.outline_glyph(glyph, &mut Nothing).is_some()
}

/// A glyph placed in a run: `x` from the run's left edge and `rise` above its baseline, in
/// millimetres, and the text it stands for, as it is drawn left to right (empty for the second
/// glyph of one character).
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub id: u16,
    pub x: f32,
    pub rise: f32,
    pub text: String,
}

/// Glyphs of one face, in the order they are drawn (left to right), as wide as `width` mm;
/// `text` is what they say, in logical order.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub face: Face,
    pub glyphs: Vec<Glyph>,
    pub width: f32,
    pub text: String,
}

/// The faces of the note, once per process: the embedded ones parsed at first use, the system's
/// searched and loaded when a character needs one.
pub struct Fonts {
    embedded: Vec<Loaded>,
    system: Mutex<System>,
    /// Shaping plans by face, direction and script: compiling one costs more than shaping a word.
    plans: Mutex<HashMap<(Face, bool, rustybuzz::Script), Arc<rustybuzz::ShapePlan>>>,
    /// Widths at 1 pt of the words measured, by style (a width grows with the size, linearly):
    /// a note measures the same words many times, and wrapping measures every word.
    widths: Mutex<[HashMap<Box<str>, f32>; 4]>,
}

/// The most widths kept per style; past it they are forgotten and measured again.
const KEPT_WIDTHS: usize = 20_000;

/// The system's faces this process has needed, and the answers already given.
#[derive(Default)]
struct System {
    database: Option<fontdb::Database>,
    loaded: Vec<&'static Loaded>,
    /// (bold, italic, character) → the face that draws it, if any.
    chosen: HashMap<(bool, bool, char), Option<Face>>,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fonts").field("embedded", &self.embedded.len()).finish_non_exhaustive()
    }
}

impl Fonts {
    pub fn get() -> &'static Fonts {
        static FONTS: OnceLock<Fonts> = OnceLock::new();
        FONTS.get_or_init(|| Fonts {
            embedded: EMBEDDED
                .iter()
                .map(|(bytes, name)| {
                    Loaded::new(bytes, 0, (*name).to_owned(), true).expect("the embedded fonts are valid")
                })
                .collect(),
            system: Mutex::new(System::default()),
            plans: Mutex::new(HashMap::new()),
            widths: Mutex::new(Default::default()),
        })
    }

    fn loaded(&self, face: Face) -> &Loaded {
        match self.embedded.get(usize::from(face.0)) {
            Some(loaded) => loaded,
            None => {
                let system = self.system.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                system.loaded[usize::from(face.0) - self.embedded.len()]
            }
        }
    }

    /// The face's file bytes, the face's index in it, and its PostScript name.
    pub fn file(&self, face: Face) -> (&[u8], u32, &str) {
        let loaded = self.loaded(face);
        (loaded.bytes, loaded.index, &loaded.name)
    }

    /// The face that draws `c` in `style`: Noto when it has the character, else DejaVu, else a
    /// system face; `None` when no face has it (draw [`REPLACEMENT`] instead).
    pub fn face_for(&self, style: Style, c: char) -> Option<Face> {
        let noto = match style {
            Style::Regular => Face::NOTO_REGULAR,
            Style::Bold => Face::NOTO_BOLD,
            Style::Italic => Face::NOTO_ITALIC,
            Style::BoldItalic => Face::NOTO_BOLD_ITALIC,
        };
        let dejavu = if style.bold() { Face::DEJAVU_BOLD } else { Face::DEJAVU };
        if let Some(face) = [noto, dejavu].into_iter().find(|f| self.loaded(*f).draws(c)) {
            return Some(face);
        }
        if c.is_whitespace() || is_default_ignorable(c) {
            // A space the faces lack (U+3000 between a Japanese name's parts) is shaped as a
            // space of its width, an invisible character hidden: HarfBuzz does both.
            return Some(noto);
        }
        if c.is_control() {
            return None;
        }
        let mut system = self.system.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let key = (style.bold(), style.italic(), c);
        if let Some(known) = system.chosen.get(&key) {
            return *known;
        }
        let found = system.find(self.embedded.len(), style, c);
        system.chosen.insert(key, found);
        found
    }

    /// Shapes one line of `text` for drawing: runs in the order they are drawn, left to right.
    /// The paragraph's direction is that of its first strong character (as `dir="auto"`);
    /// control characters become spaces, and a character no face has becomes the mark.
    pub fn shape(&self, style: Style, size_pt: f32, text: &str) -> Vec<Run> {
        let text: String = text
            .chars()
            .map(|c| if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') { ' ' } else { c })
            .collect();
        if text.is_empty() {
            return Vec::new();
        }
        let bidi = BidiInfo::new(&text, None);
        let mut out = Vec::new();
        for paragraph in &bidi.paragraphs {
            let (levels, runs) = bidi.visual_runs(paragraph, paragraph.range.clone());
            for range in runs {
                let rtl = levels[range.start].is_rtl();
                let mut pieces = self.pieces(style, &text[range]);
                if rtl {
                    pieces.reverse();
                }
                out.extend(
                    pieces.into_iter().map(|(face, piece)| self.shape_piece(face, size_pt, &piece, rtl)),
                );
            }
        }
        out
    }

    /// The width of `text` in `style` at `size_pt`, in millimetres, as [`Fonts::shape`] draws it.
    pub fn width_mm(&self, style: Style, size_pt: f32, text: &str) -> f32 {
        let known = self.widths.lock().unwrap_or_else(std::sync::PoisonError::into_inner)[style as usize]
            .get(text)
            .copied();
        let at_one = known.unwrap_or_else(|| {
            let measured = self.shape(style, 1.0, text).iter().map(|r| r.width).sum();
            let mut widths = self.widths.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let of_style = &mut widths[style as usize];
            if of_style.len() >= KEPT_WIDTHS {
                of_style.clear();
            }
            of_style.insert(text.into(), measured);
            measured
        });
        at_one * size_pt
    }

    /// Splits text of one direction into pieces one face each draws, in logical order.
    fn pieces(&self, style: Style, text: &str) -> Vec<(Face, String)> {
        let mut out: Vec<(Face, String)> = Vec::new();
        for c in text.chars() {
            // A combining mark goes with the face of the letter it sits on, when that face has it.
            let (face, c) = match out.last() {
                Some((face, _)) if is_mark(c) && self.loaded(*face).draws(c) => (*face, c),
                _ => match self.face_for(style, c) {
                    Some(face) => (face, c),
                    None => (self.face_for(style, REPLACEMENT).unwrap_or(Face::DEJAVU), REPLACEMENT),
                },
            };
            match out.last_mut() {
                Some((f, s)) if *f == face || (c == ' ' && self.loaded(*f).draws(' ')) => s.push(c),
                _ => out.push((face, c.to_string())),
            }
        }
        out
    }

    fn shape_piece(&self, face: Face, size_pt: f32, text: &str, rtl: bool) -> Run {
        let loaded = self.loaded(face);
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(if rtl {
            rustybuzz::Direction::RightToLeft
        } else {
            rustybuzz::Direction::LeftToRight
        });
        buffer.set_cluster_level(rustybuzz::BufferClusterLevel::Characters);
        buffer.guess_segment_properties();
        let plan = {
            let mut plans = self.plans.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let key = (face, rtl, buffer.script());
            Arc::clone(plans.entry(key).or_insert_with(|| {
                Arc::new(rustybuzz::ShapePlan::new(
                    &loaded.face,
                    buffer.direction(),
                    Some(buffer.script()),
                    None,
                    &[],
                ))
            }))
        };
        let shaped = rustybuzz::shape_with_plan(&loaded.face, &plan, buffer);
        let infos = shaped.glyph_infos();
        // Where each cluster's text ends: the next larger cluster start, or the end.
        let mut starts: Vec<usize> = infos.iter().map(|i| i.cluster as usize).collect();
        starts.sort_unstable();
        starts.dedup();
        let end_of = |start: usize| starts.iter().find(|s| **s > start).copied().unwrap_or(text.len());
        let mut given = vec![false; text.len() + 1];
        let mut pen = 0.0f32;
        let mut glyphs = Vec::with_capacity(infos.len());
        for (info, pos) in infos.iter().zip(shaped.glyph_positions()) {
            let start = info.cluster as usize;
            let said: String = if std::mem::replace(&mut given[start], true) {
                String::new()
            } else if rtl {
                // Readers (poppler, pdf.js) reverse a right-to-left word character by
                // character, a ligature's characters with the rest: so a lam-alef says its
                // letters in the order they are drawn, and reads back in logical order.
                text.get(start..end_of(start)).unwrap_or_default().chars().rev().collect()
            } else {
                text.get(start..end_of(start)).unwrap_or_default().to_owned()
            };
            glyphs.push(Glyph {
                id: u16::try_from(info.glyph_id).unwrap_or(0),
                x: pen + loaded.units_to_mm(pos.x_offset, size_pt),
                rise: loaded.units_to_mm(pos.y_offset, size_pt),
                text: said,
            });
            pen += loaded.units_to_mm(pos.x_advance, size_pt);
        }
        Run { face, glyphs, width: pen, text: text.to_owned() }
    }

    /// The face's ascender, as a fraction of the font size.
    pub fn ascent(&self, face: Face) -> f32 {
        let f = &self.loaded(face).face;
        f32::from(f.ascender()) / f.units_per_em() as f32
    }
}

/// A default-ignorable character (Unicode's DerivedCoreProperties): invisible, never a mark.
fn is_default_ignorable(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F | 0xFEFF
        | 0xFFA0 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A | 0xE0000..=0xE0FFF)
}

/// A combining mark (general categories Mn, Mc, Me), approximated by the ranges names use.
fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x05BF | 0x05C1..=0x05C2 | 0x05C4..=0x05C5
        | 0x05C7 | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06DC | 0x06DF..=0x06E4
        | 0x06E7..=0x06E8 | 0x06EA..=0x06ED | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF
        | 0x3099..=0x309A | 0xFE00..=0xFE0F | 0xFE20..=0xFE2F | 0x1F3FB..=0x1F3FF | 0xE0100..=0xE01EF)
        || c == '\u{200D}'
}

impl System {
    /// The system face that draws `c` best in `style`: Noto and DejaVu families first, then the
    /// rest by name; within a family the weight and slant closest to the style's. Loaded and
    /// numbered after the embedded faces the first time it is chosen.
    fn find(&mut self, embedded: usize, style: Style, c: char) -> Option<Face> {
        let wanted_weight: i32 = if style.bold() { 700 } else { 400 };
        // A face already loaded for another character is asked first.
        if let Some(i) = self.loaded.iter().position(|l| l.draws(c)) {
            return u16::try_from(embedded + i).ok().map(Face);
        }
        let database = self.database.get_or_insert_with(|| {
            let mut db = fontdb::Database::new();
            db.load_system_fonts();
            db
        });
        let path_of = |info: &fontdb::FaceInfo| match &info.source {
            fontdb::Source::File(p) | fontdb::Source::SharedFile(p, _) => Some(p.clone()),
            fontdb::Source::Binary(_) => None,
        };
        let mut faces: Vec<&fontdb::FaceInfo> = database.faces().collect();
        faces.sort_by_cached_key(|f| {
            let family = f.families.first().map(|(name, _)| name.clone()).unwrap_or_default();
            let rank =
                ["Noto Sans", "DejaVu Sans", "Noto"].iter().position(|p| family.starts_with(p)).unwrap_or(3);
            let weight = (i32::from(f.weight.0) - wanted_weight).abs();
            let slant = (f.style != fontdb::Style::Normal) != style.italic();
            (rank, family, weight, slant, path_of(f), f.index)
        });
        // A cheap look through the database's own mapping; only the chosen face's file is read.
        let found = faces.into_iter().find(|info| {
            path_of(info).is_some()
                && database
                    .with_face_data(info.id, |data, index| {
                        ttf_parser::Face::parse(data, index).is_ok_and(|face| draws(&face, c))
                    })
                    .unwrap_or(false)
        })?;
        let found = (path_of(found)?, found.index, found.post_script_name.clone());
        let (path, index, name) = found;
        let bytes: &'static [u8] = Box::leak(std::fs::read(&path).ok()?.into_boxed_slice());
        let loaded: &'static Loaded =
            Box::leak(Box::new(Loaded::new(bytes, index, postscript(&name), false)?));
        self.loaded.push(loaded);
        u16::try_from(embedded + self.loaded.len() - 1).ok().map(Face)
    }
}

/// A PostScript name a PDF can carry (ISO 32000-1, 9.6.2: no spaces or delimiters).
fn postscript(name: &str) -> String {
    let name: String = name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').take(60).collect();
    if name.is_empty() { "SystemFace".to_owned() } else { name }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(runs: &[Run]) -> Vec<(Face, &str)> {
        runs.iter().map(|r| (r.face, r.text.as_str())).collect()
    }

    /// The glyphs' texts as drawn, left to right.
    fn drawn(runs: &[Run]) -> Vec<&str> {
        runs.iter().flat_map(|r| r.glyphs.iter().map(|g| g.text.as_str())).collect()
    }

    #[test]
    fn spanish_is_noto_symbols_fall_back_and_the_unknown_is_visible() {
        let fonts = Fonts::get();
        for c in "áéíóúüñÁÉÍÓÚÜÑ¿¡«»—ΑλφаЖя".chars() {
            assert_eq!(fonts.face_for(Style::Regular, c), Some(Face::NOTO_REGULAR), "{c}");
        }
        assert_eq!(fonts.face_for(Style::Regular, '✓'), Some(Face::DEJAVU));
        assert_eq!(fonts.face_for(Style::Bold, 'Ա'), Some(Face::DEJAVU_BOLD), "Armenian");
        assert_eq!(fonts.face_for(Style::Regular, 'ა'), Some(Face::DEJAVU), "Georgian");
        assert_eq!(fonts.face_for(Style::Regular, 'ש'), Some(Face::DEJAVU), "Hebrew");
        // U+0378 is unassigned: no face anywhere has it, so the mark is drawn in its place.
        let runs = fonts.shape(Style::Regular, 10.0, "Sí ✓ \u{378}");
        assert_eq!(
            texts(&runs),
            vec![(Face::NOTO_REGULAR, "Sí "), (Face::DEJAVU, "✓ "), (Face::NOTO_REGULAR, "\u{FFFD}")]
        );
        assert!(fonts.width_mm(Style::Regular, 10.0, "\u{378}") > 1.0, "the mark takes room");
        // The ideographic space between a Japanese name's parts is a space, not a mark; an
        // Arabic letter mark is invisible.
        let runs = fonts.shape(Style::Regular, 10.0, "a\u{3000}b\u{61C}");
        assert!(runs.iter().all(|r| !r.text.contains(REPLACEMENT)), "{runs:?}");
        assert!(
            fonts.width_mm(Style::Regular, 10.0, "a\u{3000}b") > fonts.width_mm(Style::Regular, 10.0, "a b")
        );
    }

    #[test]
    fn widths_come_from_the_font() {
        let fonts = Fonts::get();
        let m = fonts.width_mm(Style::Regular, 10.0, "m");
        let i = fonts.width_mm(Style::Regular, 10.0, "i");
        assert!(m > 2.0 * i, "proportional: m {m} i {i}");
        assert!((fonts.width_mm(Style::Regular, 20.0, "m") - 2.0 * m).abs() < 1e-4, "scales with size");
        assert!(
            fonts.width_mm(Style::Bold, 10.0, "Vínculo") > fonts.width_mm(Style::Regular, 10.0, "Vínculo")
        );
        assert!(
            fonts.width_mm(Style::Regular, 10.0, "a\u{a0}b") > fonts.width_mm(Style::Regular, 10.0, "ab")
        );
        let run = &fonts.shape(Style::Regular, 10.0, "Vínculo")[0];
        assert!(run.glyphs.windows(2).all(|w| w[0].x < w[1].x), "left to right: {run:?}");
        assert!((run.width - fonts.width_mm(Style::Regular, 10.0, "Vínculo")).abs() < 1e-5);
    }

    #[test]
    fn arabic_is_joined_and_laid_right_to_left_and_each_glyph_keeps_its_letter() {
        let fonts = Fonts::get();
        // Muhammad: four letters that join (initial, medial, medial, final forms).
        let runs = fonts.shape(Style::Regular, 10.0, "محمد");
        assert_eq!(texts(&runs), vec![(Face::DEJAVU, "محمد")]);
        assert_eq!(drawn(&runs), ["د", "م", "ح", "م"], "the last letter is drawn leftmost");
        let isolated = |c: char| fonts.loaded(Face::DEJAVU).face.glyph_index(c).map(|g| g.0);
        let first = runs[0].glyphs.last().expect("four glyphs");
        assert_ne!(Some(first.id), isolated('م'), "the first meem takes its initial form");
        // Lam and alef join into one glyph that stands for both letters, said as drawn (alef
        // on the left), so that a reader reversing the word gets lam, alef.
        let lam_alef = fonts.shape(Style::Regular, 10.0, "لا");
        assert_eq!(drawn(&lam_alef), ["ال"]);
    }

    #[test]
    fn mixed_lines_keep_each_run_in_its_own_direction() {
        let fonts = Fonts::get();
        // A Spanish line with a Hebrew name inside: the line reads left to right, the name
        // right to left.
        let runs = fonts.shape(Style::Regular, 10.0, "Embajada שלום ante la ONU");
        assert_eq!(drawn(&runs).concat(), "Embajada םולש ante la ONU");
        // A number after a right-to-left name stays with it, as the bidirectional algorithm says.
        let runs = fonts.shape(Style::Regular, 10.0, "Embajada שלום 2026");
        assert_eq!(drawn(&runs).concat(), "Embajada 2026 םולש");
        // A line that starts in Arabic is a right-to-left paragraph: its Latin part is drawn first.
        let runs = fonts.shape(Style::Regular, 10.0, "جامعة القاهرة ONU");
        assert_eq!(runs.first().map(|r| r.text.as_str()), Some("ONU"));
        // One that starts in Latin is a left-to-right paragraph: its Latin part is drawn first.
        let runs = fonts.shape(Style::Regular, 10.0, "ONU جامعة");
        assert_eq!(runs.first().map(|r| r.text.as_str()), Some("ONU "));
    }
}
