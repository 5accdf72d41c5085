//! Text hygiene (what is stored) and folding (what search compares).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Bidi embeddings, overrides, isolates and marks: they can make a name read differently from
/// what it is, so names drop them.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Zero-width characters that hide inside a name.
fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{180E}')
}

/// Multi-line free text: NFC, line breaks made `\n`, control characters other than newline and
/// tab removed, trailing whitespace trimmed.
pub fn clean_text(s: &str) -> String {
    // Most text arrives clean (NFC, no carriage returns nor other control characters): then
    // only the trailing whitespace goes, without composing it again character by character.
    if is_nfc(s) && !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return s.trim_end().to_owned();
    }
    let unified = s.replace("\r\n", "\n").replace('\r', "\n");
    let cleaned: String = unified.nfc().filter(|&c| c == '\n' || c == '\t' || !c.is_control()).collect();
    cleaned.trim_end().to_owned()
}

/// Adds a paragraph to multi-line text (notes, an agenda) unless the text already holds it:
/// cleaned as a save cleans it, after a blank line.
pub(crate) fn append_paragraph(text: &mut String, paragraph: &str) {
    let paragraph = clean_text(paragraph);
    let paragraph = paragraph.trim();
    if paragraph.is_empty() || text.contains(paragraph) {
        return;
    }
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(paragraph);
}

/// A single-line value (post, city, label…): NFC, no control characters, whitespace runs
/// collapsed to one space, trimmed.
pub fn clean_line(s: &str) -> String {
    let line = |c: char| if c.is_control() { ' ' } else { c };
    if is_nfc(s) { collapse(s.chars().map(line)) } else { collapse(s.nfc().map(line)) }
}

/// A name or title: a single line that also drops bidi controls and zero-width characters.
pub fn clean_name(s: &str) -> String {
    let keep = |c: &char| !is_bidi_control(*c) && !is_zero_width(*c);
    let line = |c: char| if c.is_control() { ' ' } else { c };
    if is_nfc(s) {
        collapse(s.chars().filter(keep).map(line))
    } else {
        collapse(s.nfc().filter(keep).map(line))
    }
}

/// Whether `s` is already in NFC, by the standard's quick check (which answers "maybe" for a
/// few rare characters: those take the slow way).
fn is_nfc(s: &str) -> bool {
    s.is_ascii() || unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes
}

fn collapse(chars: impl Iterator<Item = char>) -> String {
    let mut out = String::new();
    let mut pending_space = false;
    for c in chars {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Whether one of `acronyms` names the Institute itself (its own organization record, whose
/// people are its staff and its delegation).
pub fn is_the_iecm<'a>(acronyms: impl IntoIterator<Item = &'a str>) -> bool {
    acronyms.into_iter().any(|a| fold(a) == "iecm")
}

/// Folds text for matching, never for display: compatibility-decomposed, combining marks
/// dropped (á→a, ñ→n, ü→u), lower-cased.
///
/// ASCII runs are only lower-cased: an ASCII character decomposes to itself and is a starter,
/// which no combining mark reorders across, so decomposing the text between them alone gives
/// the same result as decomposing all of it (a test compares both on every kind of text).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while !rest.is_empty() {
        let ascii = rest.bytes().position(|b| !b.is_ascii()).unwrap_or(rest.len());
        out.extend(rest[..ascii].bytes().map(|b| char::from(b.to_ascii_lowercase())));
        rest = &rest[ascii..];
        let other = rest.bytes().position(|b| b.is_ascii()).unwrap_or(rest.len());
        out.extend(rest[..other].nfkd().filter(|&c| !is_combining_mark(c)).flat_map(char::to_lowercase));
        rest = &rest[other..];
    }
    out
}

/// Folded, with runs of anything but letters and digits made one space: how a header or a
/// label written by hand is compared (`"Fin de vigencia:"` and `"fin  de vigencia"` alike).
pub fn fold_words(s: &str) -> String {
    words(&fold(s)).collect::<Vec<_>>().join(" ")
}

/// Splits folded text into words: runs of letters and digits.
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_removes_accents_and_case() {
        assert_eq!(fold("Igualdad de GÉNERO, Niñez"), "igualdad de genero, ninez");
    }

    #[test]
    fn folding_by_ascii_runs_equals_folding_the_whole_text() {
        let whole = |s: &str| -> String {
            s.nfkd().filter(|&c| !is_combining_mark(c)).flat_map(char::to_lowercase).collect()
        };
        for s in [
            "Igualdad de GÉNERO, Niñez",
            "e\u{301}E\u{301}\u{327}a\u{308}\u{301}",
            "ﬁnanzas ½ Ⅻ ＡＢＣ №5",
            "İstanbul ΣΊΣΥΦΟΣ Ольга",
            "«¿Qué?» — ¡Sí! \u{1E9B}\u{323}",
            "محمد 中文 한국어",
            "",
        ] {
            assert_eq!(fold(s), whole(s), "{s}");
        }
    }

    #[test]
    fn names_lose_bidi_and_zero_width_but_keep_letters() {
        assert_eq!(clean_name("  Ana\u{202E}\u{200B} María\n López "), "Ana María López");
        assert_eq!(clean_name("محمد"), "محمد");
    }

    #[test]
    fn text_keeps_newlines_and_tabs_only() {
        assert_eq!(clean_text("a\r\nb\u{7}\tc\u{0}"), "a\nb\tc");
    }

    #[test]
    fn clean_text_is_the_same_however_it_gets_there() {
        // Already clean: the quick way. Not: the slow way. Both give the same as composing.
        for s in ["Minuta\n\tcon acuerdos  \n", "Me\u{301}xico\r\nsí", "a\u{7}b", "Niño ≠ Nin\u{303}o", ""]
        {
            let slow: String = s
                .replace("\r\n", "\n")
                .replace('\r', "\n")
                .nfc()
                .filter(|&c| c == '\n' || c == '\t' || !c.is_control())
                .collect();
            assert_eq!(clean_text(s), slow.trim_end(), "{s:?}");
        }
        assert_eq!(clean_name("  José\u{200B}  Pe\u{301}rez "), "José Pérez");
        assert_eq!(clean_line("  José\t Pérez \u{7}"), "José Pérez");
    }

    #[test]
    fn nfc_composes() {
        assert_eq!(clean_line("Me\u{301}xico"), "México");
    }
}
