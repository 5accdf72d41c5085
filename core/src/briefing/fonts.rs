//! The typefaces of the briefing note, compiled into the program: Noto Sans 2.004 in four faces,
//! and DejaVu Sans for the characters Noto lacks (✓, Armenian, Georgian…). Text is measured with
//! `ttf-parser` on the very bytes the PDF embeds, so what the layout measures is what prints.

use std::sync::OnceLock;

/// A face of the note's typeface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Style {
    Regular,
    Bold,
    Italic,
    BoldItalic,
}

/// One of the embedded font files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    NotoRegular,
    NotoBold,
    NotoItalic,
    NotoBoldItalic,
    DejaVu,
    DejaVuBold,
}

impl Face {
    pub const ALL: [Face; 6] = [
        Face::NotoRegular,
        Face::NotoBold,
        Face::NotoItalic,
        Face::NotoBoldItalic,
        Face::DejaVu,
        Face::DejaVuBold,
    ];

    /// The font file's bytes.
    pub fn bytes(self) -> &'static [u8] {
        match self {
            Face::NotoRegular => include_bytes!("../../fonts/NotoSans-Regular.ttf"),
            Face::NotoBold => include_bytes!("../../fonts/NotoSans-Bold.ttf"),
            Face::NotoItalic => include_bytes!("../../fonts/NotoSans-Italic.ttf"),
            Face::NotoBoldItalic => include_bytes!("../../fonts/NotoSans-BoldItalic.ttf"),
            Face::DejaVu => include_bytes!("../../fonts/DejaVuSans.ttf"),
            Face::DejaVuBold => include_bytes!("../../fonts/DejaVuSans-Bold.ttf"),
        }
    }

    /// The face's PostScript name, as the PDF names the font.
    pub fn postscript_name(self) -> &'static str {
        match self {
            Face::NotoRegular => "NotoSans-Regular",
            Face::NotoBold => "NotoSans-Bold",
            Face::NotoItalic => "NotoSans-Italic",
            Face::NotoBoldItalic => "NotoSans-BoldItalic",
            Face::DejaVu => "DejaVuSans",
            Face::DejaVuBold => "DejaVuSans-Bold",
        }
    }

    fn index(self) -> usize {
        self as usize
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

/// The parsed faces, once per process.
pub struct Fonts {
    faces: Vec<ttf_parser::Face<'static>>,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fonts").field("faces", &self.faces.len()).finish()
    }
}

/// Points per millimetre.
pub const PT_PER_MM: f32 = 72.0 / 25.4;

impl Fonts {
    pub fn get() -> &'static Fonts {
        static FONTS: OnceLock<Fonts> = OnceLock::new();
        FONTS.get_or_init(|| Fonts {
            faces: Face::ALL
                .iter()
                .map(|f| ttf_parser::Face::parse(f.bytes(), 0).expect("the embedded fonts are valid"))
                .collect(),
        })
    }

    fn face(&self, face: Face) -> &ttf_parser::Face<'static> {
        &self.faces[face.index()]
    }

    /// The face that draws `c` in `style`: Noto when it has the character, else DejaVu;
    /// `None` when neither has it (draw [`REPLACEMENT`] instead).
    pub fn face_for(&self, style: Style, c: char) -> Option<Face> {
        let noto = match style {
            Style::Regular => Face::NotoRegular,
            Style::Bold => Face::NotoBold,
            Style::Italic => Face::NotoItalic,
            Style::BoldItalic => Face::NotoBoldItalic,
        };
        let fallback = match style {
            Style::Bold | Style::BoldItalic => Face::DejaVuBold,
            Style::Regular | Style::Italic => Face::DejaVu,
        };
        [noto, fallback].into_iter().find(|f| self.has(*f, c))
    }

    fn has(&self, face: Face, c: char) -> bool {
        self.face(face).glyph_index(c).is_some_and(|g| g.0 != 0)
    }

    /// The glyph of `c` in `face` (0, `.notdef`, when it has none).
    pub fn glyph(&self, face: Face, c: char) -> u16 {
        self.face(face).glyph_index(c).map_or(0, |g| g.0)
    }

    /// The advance of `c` in `face` at `size_pt`, in millimetres.
    pub fn advance_mm(&self, face: Face, c: char, size_pt: f32) -> f32 {
        let f = self.face(face);
        let units = f.glyph_index(c).and_then(|g| f.glyph_hor_advance(g)).unwrap_or(0);
        f32::from(units) / f32::from(f.units_per_em()) * size_pt / PT_PER_MM
    }

    /// Splits `text` into runs that one face each can draw, characters no face has replaced
    /// by [`REPLACEMENT`]. Control characters other than tab become spaces.
    pub fn runs(&self, style: Style, text: &str) -> Vec<(Face, String)> {
        let mut out: Vec<(Face, String)> = Vec::new();
        for c in text.chars() {
            let c = if c.is_control() { ' ' } else { c };
            let (face, c) = match self.face_for(style, c) {
                Some(face) => (face, c),
                None => (self.face_for(style, REPLACEMENT).unwrap_or(Face::DejaVu), REPLACEMENT),
            };
            match out.last_mut() {
                Some((f, s)) if *f == face => s.push(c),
                _ => out.push((face, c.to_string())),
            }
        }
        out
    }

    /// The width of `text` in `style` at `size_pt`, in millimetres, as [`Fonts::runs`] draws it.
    pub fn width_mm(&self, style: Style, size_pt: f32, text: &str) -> f32 {
        self.runs(style, text)
            .iter()
            .map(|(face, s)| s.chars().map(|c| self.advance_mm(*face, c, size_pt)).sum::<f32>())
            .sum()
    }

    /// The face's ascender, as a fraction of the font size.
    pub fn ascent(&self, face: Face) -> f32 {
        let f = self.face(face);
        f32::from(f.ascender()) / f32::from(f.units_per_em())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanish_is_noto_symbols_fall_back_and_the_unknown_is_visible() {
        let fonts = Fonts::get();
        for c in "áéíóúüñÁÉÍÓÚÜÑ¿¡«»—ΑλφаЖя".chars() {
            assert_eq!(fonts.face_for(Style::Regular, c), Some(Face::NotoRegular), "{c}");
        }
        assert_eq!(fonts.face_for(Style::Regular, '✓'), Some(Face::DejaVu));
        assert_eq!(fonts.face_for(Style::Bold, 'Ա'), Some(Face::DejaVuBold), "Armenian");
        assert_eq!(fonts.face_for(Style::Regular, 'ა'), Some(Face::DejaVu), "Georgian");
        // A CJK ideograph: in neither face, so it is drawn as the replacement mark.
        let runs = fonts.runs(Style::Regular, "Sí ✓ 中");
        assert_eq!(
            runs,
            vec![
                (Face::NotoRegular, "Sí ".to_owned()),
                (Face::DejaVu, "✓".to_owned()),
                (Face::NotoRegular, " \u{FFFD}".to_owned()),
            ]
        );
        assert!(fonts.width_mm(Style::Regular, 10.0, "\u{FFFD}") > 1.0, "the mark takes room");
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
    }
}
