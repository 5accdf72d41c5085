//! The pure layout of a note: blocks of text, fields and tables → pages of positioned items, in
//! millimetres from the page's top-left corner. No PDF here: the renderer only draws what this
//! placed, so everything about wrapping and page breaks is tested without parsing PDFs.
//!
//! Rules: lines break at spaces and after dashes and slashes; a word wider than its column (a
//! long e-mail or URL) is split, preferably after `@ . / - _ ? & = #`; non-breaking spaces hold.
//! Paragraphs are justified word by word (PDF word spacing does not apply to embedded fonts).
//! A heading stays with what follows it; a table's header row is repeated on every page it
//! spans and never left alone at a page's foot; a row that does not fit moves whole to the
//! next page, and only a row taller than a page splits, between its lines.

use super::fonts::{Face, Fonts, Glyph, PT_PER_MM, Run, Style};

/// Width and height of the paper, in millimetres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Paper {
    pub width: f32,
    pub height: f32,
}

impl Paper {
    /// US Letter, *Carta* in Mexico: 8½ × 11 in.
    pub const LETTER: Paper = Paper { width: 215.9, height: 279.4 };
    pub const A4: Paper = Paper { width: 210.0, height: 297.0 };

    /// `letter` or `a4`, as in the settings (anything else is Letter).
    pub fn from_setting(s: &str) -> Paper {
        if s == "a4" { Paper::A4 } else { Paper::LETTER }
    }
}

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub u8, pub u8, pub u8);

pub const INK: Rgb = Rgb(29, 42, 48);
pub const MUTED: Rgb = Rgb(82, 97, 106);
pub const ACCENT: Rgb = Rgb(15, 76, 92);
pub const RULE: Rgb = Rgb(196, 190, 178);
pub const HEADER_FILL: Rgb = Rgb(227, 238, 240);
pub const ALERT: Rgb = Rgb(155, 44, 31);
/// The bars of a chart.
pub const BAR: Rgb = Rgb(58, 128, 145);

/// What a note is made of, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section heading: bookmarked, kept with what follows.
    Heading(String),
    /// A heading inside a section (a past meeting in the history).
    Subheading(String),
    /// Justified text; `\n` breaks the line.
    Paragraph(String),
    /// Items with a bullet and a hanging indent.
    Bullets(Vec<String>),
    /// Label–value pairs.
    Fields(Vec<(String, String)>),
    Table(Table),
    /// A horizontal bar chart, drawn as rectangles (vectors): rows move whole between pages.
    Bars(Bars),
}

/// One bar per row: its label on the left, its length in proportion to the largest value, and
/// the value as written (`shown`) after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Bars {
    pub rows: Vec<Bar>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub shown: String,
}

/// A table: columns as (title, fraction of the width), rows of cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<(String, f32)>,
    pub rows: Vec<Vec<Cell>>,
}

/// A table cell: its text, a note under it in a quieter colour (where a commitment comes from,
/// an agreement's title under its kind and folio), and whether the text is an alert (overdue).
/// `\n` breaks a line in either.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    pub text: String,
    pub note: String,
    pub alert: bool,
}

impl Cell {
    pub fn with_note(text: impl Into<String>, note: impl Into<String>) -> Cell {
        Cell { text: text.into(), note: note.into(), alert: false }
    }

    pub fn alert(text: impl Into<String>, note: impl Into<String>) -> Cell {
        Cell { text: text.into(), note: note.into(), alert: true }
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell { text, ..Cell::default() }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell { text: text.to_owned(), ..Cell::default() }
    }
}

/// What the page furniture says.
#[derive(Debug, Clone, PartialEq)]
pub struct Furniture {
    pub institution: String,
    pub area: String,
    /// "Nota informativa".
    pub title: String,
    pub subject: String,
    /// "Datos al 25 nov 2026, 10:31 h (Ciudad de México)".
    pub taken_at: String,
    /// "Uso interno".
    pub internal: String,
    /// "Página {n} de {m}".
    pub page_label: String,
}

/// Something drawn on a page. `y` of text is its baseline; all in millimetres from the top-left.
/// Text is glyphs of one face placed from `x` (left to right, `width` wide); `text` is what they
/// say, in logical order.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Text { x: f32, y: f32, size: f32, face: Face, glyphs: Vec<Glyph>, width: f32, text: String, color: Rgb },
    Line { x1: f32, y1: f32, x2: f32, y2: f32, width_pt: f32, color: Rgb },
    Rect { x: f32, y: f32, w: f32, h: f32, color: Rgb },
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub items: Vec<Item>,
}

/// A note laid out: its pages and the bookmarks of its section headings (title, page index).
#[derive(Debug, Clone, PartialEq)]
pub struct Laid {
    pub paper: Paper,
    pub pages: Vec<Page>,
    pub bookmarks: Vec<(String, usize)>,
}

/// The page's margins, in millimetres: nothing is drawn outside them.
pub const MARGIN_X: f32 = 20.0;
pub const MARGIN_Y: f32 = 16.0;

const BODY: f32 = 10.0;
const BODY_LEAD: f32 = 1.38;
const SMALL: f32 = 8.6;
const SMALL_LEAD: f32 = 1.3;
const HEADING: f32 = 12.5;
const SUBHEADING: f32 = 10.5;
const CELL_PAD: f32 = 1.4;
const BULLET_INDENT: f32 = 4.5;

fn lead(size: f32, factor: f32) -> f32 {
    size * factor / PT_PER_MM
}

// ---------------------------------------------------------------- wrapping

/// A piece of a line: a word (or a part of one), and whether a space follows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Seg {
    pub text: String,
    pub width: f32,
    pub space_after: bool,
}

/// A wrapped line; `last` when it ends a paragraph or a hard line break (not justified).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub segs: Vec<Seg>,
    pub last: bool,
}

impl Line {
    pub fn text(&self) -> String {
        let mut out = String::new();
        for s in &self.segs {
            out.push_str(&s.text);
            if s.space_after {
                out.push(' ');
            }
        }
        out.trim_end().to_owned()
    }
}

/// Characters a line may break after, keeping them on the first line.
fn breaks_after(c: char) -> bool {
    matches!(c, '-' | '/' | '–' | '—' | '\u{2010}')
}

/// Where an over-long word (an e-mail, a URL) had best be split.
fn soft_split_after(c: char) -> bool {
    matches!(c, '@' | '.' | '/' | '-' | '_' | '?' | '&' | '=' | '#' | ':' | '+' | ',' | ';')
}

/// Wraps `text` into lines no wider than `width` millimetres.
pub fn wrap(fonts: &Fonts, style: Style, size: f32, text: &str, width: f32) -> Vec<Line> {
    let space = fonts.width_mm(style, size, " ");
    let mut lines = Vec::new();
    for hard in text.split('\n') {
        let pieces = pieces(fonts, style, size, hard);
        let mut line: Vec<Seg> = Vec::new();
        let mut used = 0.0f32;
        for piece in pieces {
            let gap = line.last().map_or(0.0, |s| if s.space_after { space } else { 0.0 });
            if !line.is_empty() && used + gap + piece.width > width + 1e-3 {
                lines.push(Line { segs: std::mem::take(&mut line), last: false });
            }
            if line.is_empty() && piece.width > width + 1e-3 {
                // Alone and still too wide: split it; all but its last part are lines.
                let mut parts = split_long(fonts, style, size, &piece, width);
                let tail = parts.pop().expect("at least one part");
                lines.extend(parts.into_iter().map(|p| Line { segs: vec![p], last: false }));
                used = tail.width;
                line.push(tail);
            } else {
                used = if line.is_empty() { piece.width } else { used + gap + piece.width };
                line.push(piece);
            }
        }
        lines.push(Line { segs: line, last: true });
    }
    lines
}

/// The unbreakable pieces of a line of text.
fn pieces(fonts: &Fonts, style: Style, size: f32, text: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    let mut current = String::new();
    let flush = |current: &mut String, space_after: bool, out: &mut Vec<Seg>| {
        if !current.is_empty() {
            out.push(Seg {
                width: fonts.width_mm(style, size, current),
                text: std::mem::take(current),
                space_after,
            });
        } else if space_after && let Some(last) = out.last_mut() {
            last.space_after = true;
        }
    };
    for c in text.chars() {
        if c == ' ' || c == '\t' {
            flush(&mut current, true, &mut out);
        } else {
            current.push(c);
            if breaks_after(c) {
                flush(&mut current, false, &mut out);
            }
        }
    }
    flush(&mut current, false, &mut out);
    if let Some(last) = out.last_mut() {
        last.space_after = false;
    }
    out
}

/// Splits a word wider than `width` into parts that fit, after a soft split point when one is
/// near the end of the part, else between any two characters. Nothing is added or lost.
fn split_long(fonts: &Fonts, style: Style, size: f32, seg: &Seg, width: f32) -> Vec<Seg> {
    let chars: Vec<char> = seg.text.chars().collect();
    let mut parts = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        // The longest prefix that fits (at least one character).
        let mut end = start;
        let mut used = 0.0;
        while end < chars.len() {
            let w = fonts.width_mm(style, size, &chars[end].to_string());
            if end > start && used + w > width + 1e-3 {
                break;
            }
            used += w;
            end += 1;
        }
        if end < chars.len() {
            // Prefer a soft split point in the last third of the part.
            let floor = start + (end - start) * 2 / 3;
            if let Some(at) = (floor.max(start + 1)..end).rev().find(|&i| soft_split_after(chars[i - 1])) {
                end = at;
            }
        }
        let text: String = chars[start..end].iter().collect();
        let last = end == chars.len();
        parts.push(Seg {
            width: fonts.width_mm(style, size, &text),
            text,
            space_after: last && seg.space_after,
        });
        start = end;
    }
    parts
}

// ---------------------------------------------------------------- pages

struct Writer<'a> {
    fonts: &'a Fonts,
    paper: Paper,
    furniture: &'a Furniture,
    pages: Vec<Page>,
    bookmarks: Vec<(String, usize)>,
    y: f32,
}

impl Writer<'_> {
    fn left(&self) -> f32 {
        MARGIN_X
    }

    fn width(&self) -> f32 {
        self.paper.width - 2.0 * MARGIN_X
    }

    /// The lowest y content may reach (the footer sits below it).
    fn bottom(&self) -> f32 {
        self.paper.height - MARGIN_Y - footer_height()
    }

    fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("a page is open")
    }

    fn room(&self) -> f32 {
        self.bottom() - self.y
    }

    /// The height content may use on a fresh page after the first.
    fn page_room(&self) -> f32 {
        self.bottom() - (MARGIN_Y + running_header_height())
    }

    fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = MARGIN_Y + running_header_height();
    }

    /// Draws `text` (one line) with its left edge at `x` and its baseline at `y`.
    fn text(&mut self, x: f32, y: f32, style: Style, size: f32, color: Rgb, text: &str) {
        let items = text_items(self.fonts, x, y, style, size, color, text);
        self.page().items.extend(items);
    }

    /// Draws a wrapped line; justified to `width` (the room shared among its spaces) unless it
    /// is the last of its paragraph.
    #[allow(clippy::too_many_arguments)]
    fn line(
        &mut self,
        line: &Line,
        x: f32,
        baseline: f32,
        width: f32,
        style: Style,
        size: f32,
        color: Rgb,
        justify: bool,
    ) {
        let text = line.text();
        let runs = self.fonts.shape(style, size, &text);
        let gaps = runs.iter().flat_map(|r| &r.glyphs).filter(|g| g.text == " ").count();
        let natural: f32 = runs.iter().map(|r| r.width).sum();
        let extra =
            if justify && !line.last && gaps > 0 { ((width - natural) / gaps as f32).max(0.0) } else { 0.0 };
        self.page().items.extend(place(runs, x, baseline, size, color, extra));
    }

    fn ascent(&self, size: f32) -> f32 {
        self.fonts.ascent(Face::NOTO_REGULAR) * size / PT_PER_MM
    }

    // ------------------------------------------------------------ blocks

    fn heading(&mut self, title: &str, next: Option<&Block>) {
        let before = 5.0;
        let h = lead(HEADING, 1.25) + 2.2;
        let need = before + h + next.map_or(0.0, |b| self.first_unit(b));
        if self.room() < need.min(self.page_room()) {
            self.new_page();
        } else if !self.at_top() {
            self.y += before;
        }
        self.bookmarks.push((title.to_owned(), self.pages.len() - 1));
        let baseline = self.y + self.ascent(HEADING);
        self.text(self.left(), baseline, Style::Bold, HEADING, ACCENT, title);
        let rule_y = self.y + lead(HEADING, 1.25) + 0.6;
        let (x1, x2) = (self.left(), self.left() + self.width());
        self.page().items.push(Item::Line { x1, y1: rule_y, x2, y2: rule_y, width_pt: 0.6, color: ACCENT });
        self.y += h;
    }

    fn subheading(&mut self, title: &str, next: Option<&Block>) {
        let before = 3.0;
        let lines = wrap(self.fonts, Style::Bold, SUBHEADING, title, self.width());
        let lh = lead(SUBHEADING, 1.3);
        let h = lh * lines.len() as f32 + 1.2;
        let need = before + h + next.map_or(0.0, |b| self.first_unit(b));
        if self.room() < need.min(self.page_room()) {
            self.new_page();
        } else if !self.at_top() {
            self.y += before;
        }
        for line in &lines {
            let baseline = self.y + self.ascent(SUBHEADING);
            let text = line.text();
            self.text(self.left(), baseline, Style::Bold, SUBHEADING, INK, &text);
            self.y += lh;
        }
        self.y += 1.2;
    }

    fn at_top(&self) -> bool {
        (self.y - (MARGIN_Y + running_header_height())).abs() < 1e-3 || self.page_is_empty()
    }

    fn page_is_empty(&self) -> bool {
        self.pages.last().is_none_or(|p| p.items.is_empty())
    }

    /// A paragraph's lines, with orphan and widow control: never one line alone at the foot
    /// of a page or at the head of the next.
    fn paragraph(&mut self, text: &str, x: f32, width: f32) {
        let lines = wrap(self.fonts, Style::Regular, BODY, text, width);
        let lh = lead(BODY, BODY_LEAD);
        let mut i = 0;
        while i < lines.len() {
            let fit = ((self.room() + 1e-3) / lh).floor().max(0.0) as usize;
            let left = lines.len() - i;
            let mut take = fit.min(left);
            if take < left {
                if take == 1 && left > 1 {
                    take = 0;
                } else if left - take == 1 && take > 2 {
                    take -= 1;
                }
            }
            if take == 0 {
                self.new_page();
                continue;
            }
            for line in &lines[i..i + take] {
                let baseline = self.y + self.ascent(BODY);
                self.line(line, x, baseline, width, Style::Regular, BODY, INK, true);
                self.y += lh;
            }
            i += take;
        }
        self.y += 1.6;
    }

    fn bullets(&mut self, items: &[String]) {
        let lh = lead(BODY, BODY_LEAD);
        for item in items {
            let width = self.width() - BULLET_INDENT;
            let lines = wrap(self.fonts, Style::Regular, BODY, item, width);
            // An item moves whole unless it is longer than a page.
            if self.room() < lh * lines.len() as f32 && lh * lines.len() as f32 <= self.page_room() {
                self.new_page();
            }
            for (n, line) in lines.iter().enumerate() {
                if self.room() < lh {
                    self.new_page();
                }
                let baseline = self.y + self.ascent(BODY);
                if n == 0 {
                    self.text(self.left() + 0.8, baseline, Style::Regular, BODY, ACCENT, "•");
                }
                self.line(
                    line,
                    self.left() + BULLET_INDENT,
                    baseline,
                    width,
                    Style::Regular,
                    BODY,
                    INK,
                    false,
                );
                self.y += lh;
            }
            self.y += 0.6;
        }
        self.y += 1.0;
    }

    /// The height a block needs at the least to start on this page (what a heading keeps).
    fn first_unit(&self, block: &Block) -> f32 {
        match block {
            Block::Heading(_) | Block::Subheading(_) => lead(HEADING, 1.25) + 8.0,
            Block::Paragraph(text) => {
                let lines = wrap(self.fonts, Style::Regular, BODY, text, self.width()).len().min(2);
                lead(BODY, BODY_LEAD) * lines as f32
            }
            Block::Bullets(_) => lead(BODY, BODY_LEAD) * 2.0,
            Block::Fields(rows) => self.table_start(&fields_table(rows), false),
            Block::Table(table) => self.table_start(table, true),
            Block::Bars(bars) => bars.rows.first().map_or(0.0, |bar| self.bar_height(bar)),
        }
    }

    /// The share of the width a chart's labels take.
    fn bar_label_width(&self) -> f32 {
        self.width() * 0.36
    }

    fn bar_height(&self, bar: &Bar) -> f32 {
        let lines = wrap(self.fonts, Style::Regular, SMALL, &bar.label, self.bar_label_width()).len().max(1);
        lines as f32 * lead(SMALL, SMALL_LEAD) + 2.0 * CELL_PAD
    }

    /// A bar chart: each row's label wrapped on the left, its bar from a common axis, its
    /// value after the bar.
    fn bars(&mut self, bars: &Bars) {
        let label_w = self.bar_label_width();
        let value_w = bars
            .rows
            .iter()
            .map(|b| self.fonts.width_mm(Style::Bold, SMALL, &b.shown))
            .fold(0.0f32, f32::max);
        let axis = self.left() + label_w + 3.0;
        let span = (self.width() - label_w - 3.0 - value_w - 2.5).max(10.0);
        let max = bars.rows.iter().map(|b| b.value).fold(0.0f64, f64::max);
        let line_h = lead(SMALL, SMALL_LEAD);
        for bar in &bars.rows {
            let h = self.bar_height(bar);
            if h > self.room() {
                self.new_page();
            }
            let top = self.y;
            let lines = wrap(self.fonts, Style::Regular, SMALL, &bar.label, label_w);
            for (i, line) in lines.iter().enumerate() {
                let baseline = top + CELL_PAD + i as f32 * line_h + self.ascent(SMALL);
                let (x, y) = (self.left(), baseline);
                self.line(line, x, y, label_w, Style::Regular, SMALL, INK, false);
            }
            let length = if max > 0.0 { (bar.value / max) as f32 * span } else { 0.0 };
            let bar_h = line_h * 0.8;
            let bar_top = top + CELL_PAD + (line_h - bar_h) / 2.0;
            if length > 0.0 {
                self.page().items.push(Item::Rect { x: axis, y: bar_top, w: length, h: bar_h, color: BAR });
            }
            let baseline = top + CELL_PAD + self.ascent(SMALL);
            self.text(axis + length + 1.5, baseline, Style::Bold, SMALL, INK, &bar.shown);
            // The axis the bars start from, row by row (a chart may go on to the next page).
            self.page().items.push(Item::Line {
                x1: axis,
                y1: top,
                x2: axis,
                y2: top + h,
                width_pt: 0.6,
                color: RULE,
            });
            self.y = top + h;
        }
        self.y += 2.5;
    }

    // ------------------------------------------------------------ tables

    fn header_cells(&self, table: &Table) -> Row {
        let widths = self.column_widths(table);
        let cells = table
            .columns
            .iter()
            .zip(&widths)
            .map(|((title, _), w)| self.styled(title, Style::Bold, SMALL, ACCENT, w - 2.0 * CELL_PAD))
            .collect();
        Row { cells, lead: lead(SMALL, SMALL_LEAD), size: SMALL }
    }

    fn styled(&self, text: &str, style: Style, size: f32, color: Rgb, width: f32) -> Vec<Styled> {
        if text.is_empty() {
            return Vec::new();
        }
        wrap(self.fonts, style, size, text, width)
            .into_iter()
            .map(|line| Styled { line, style, size, color })
            .collect()
    }

    fn column_widths(&self, table: &Table) -> Vec<f32> {
        let total: f32 = table.columns.iter().map(|(_, f)| f).sum();
        table.columns.iter().map(|(_, f)| self.width() * f / total).collect()
    }

    /// Each row's cells, wrapped to their columns; `grid` for a table, else a list of fields
    /// (a quiet bold label, then the value at the body size).
    fn cells(&self, table: &Table, grid: bool) -> Vec<Row> {
        let widths = self.column_widths(table);
        let size = if grid { SMALL } else { BODY };
        table
            .rows
            .iter()
            .map(|row| Row {
                cells: row
                    .iter()
                    .zip(&widths)
                    .enumerate()
                    .map(|(i, (cell, w))| {
                        let width = w - 2.0 * CELL_PAD;
                        let mut lines = if !grid && i == 0 {
                            self.styled(&cell.text, Style::Bold, SMALL, MUTED, width)
                        } else if cell.alert {
                            self.styled(&cell.text, Style::Bold, size, ALERT, width)
                        } else {
                            self.styled(&cell.text, Style::Regular, size, INK, width)
                        };
                        lines.extend(self.styled(&cell.note, Style::Regular, size, MUTED, width));
                        lines
                    })
                    .collect(),
                lead: lead(size, if grid { SMALL_LEAD } else { BODY_LEAD }),
                size,
            })
            .collect()
    }

    fn draw_header(&mut self, table: &Table, header: &Row) {
        let h = header.height();
        let (x, w, y) = (self.left(), self.width(), self.y);
        self.page().items.push(Item::Rect { x, y, w, h, color: HEADER_FILL });
        self.draw_cells(table, header, 0, header.lines());
        self.y += h;
    }

    /// Draws lines `from..to` of a row's cells at the current y (one baseline for the row).
    fn draw_cells(&mut self, table: &Table, row: &Row, from: usize, to: usize) {
        let widths = self.column_widths(table);
        let first = self.y + CELL_PAD + self.ascent(row.size);
        let mut cx = self.left();
        for (lines, cw) in row.cells.iter().zip(&widths) {
            let mut baseline = first;
            for s in lines.iter().skip(from).take(to.saturating_sub(from)) {
                self.line(
                    &s.line,
                    cx + CELL_PAD,
                    baseline,
                    cw - 2.0 * CELL_PAD,
                    s.style,
                    s.size,
                    s.color,
                    false,
                );
                baseline += row.lead;
            }
            cx += cw;
        }
    }

    /// Draws lines `from..to` of a row (all of them when the row is not split), and its rule.
    fn draw_row_part(&mut self, table: &Table, row: &Row, from: usize, to: usize) {
        let h = (to - from) as f32 * row.lead + 2.0 * CELL_PAD;
        self.draw_cells(table, row, from, to);
        let (x1, x2, y) = (self.left(), self.left() + self.width(), self.y + h);
        self.page().items.push(Item::Line { x1, y1: y, x2, y2: y, width_pt: 0.4, color: RULE });
        self.y += h;
    }

    /// The height a table needs to start on this page: its header and its first row (the
    /// first row's first page, when it is taller than a page). A header never stands alone.
    fn table_start(&self, table: &Table, grid: bool) -> f32 {
        let header_h = if grid { self.header_cells(table).height() } else { 0.0 };
        let first = self.cells(table, grid).first().map_or(0.0, |r| {
            let one_line = r.lead + 2.0 * CELL_PAD;
            r.height().min(self.page_room() - header_h).max(one_line)
        });
        header_h + first
    }

    fn table(&mut self, table: &Table, grid: bool) {
        let rows = self.cells(table, grid);
        let header = grid.then(|| self.header_cells(table));
        let header_h = header.as_ref().map_or(0.0, Row::height);
        if self.room() < self.table_start(table, grid) {
            self.new_page();
        }
        if let Some(header) = &header {
            self.draw_header(table, header);
        }
        for row in &rows {
            let h = row.height();
            if h <= self.room() {
                self.draw_row_part(table, row, 0, row.lines());
                continue;
            }
            if h <= self.page_room() - header_h {
                // Moves whole to the next page, under a repeated header.
                self.new_page();
                if let Some(header) = &header {
                    self.draw_header(table, header);
                }
                self.draw_row_part(table, row, 0, row.lines());
                continue;
            }
            // Taller than a page: split between its lines.
            let mut from = 0;
            while from < row.lines() {
                let fit = (((self.room() - 2.0 * CELL_PAD) + 1e-3) / row.lead).floor().max(0.0) as usize;
                if fit == 0 {
                    self.new_page();
                    if let Some(header) = &header {
                        self.draw_header(table, header);
                    }
                    continue;
                }
                let to = (from + fit).min(row.lines());
                self.draw_row_part(table, row, from, to);
                from = to;
            }
        }
        self.y += 2.5;
    }
}

/// A line of a cell, with how it is drawn.
struct Styled {
    line: Line,
    style: Style,
    size: f32,
    color: Rgb,
}

/// A table row wrapped into its columns.
struct Row {
    cells: Vec<Vec<Styled>>,
    lead: f32,
    size: f32,
}

impl Row {
    fn lines(&self) -> usize {
        self.cells.iter().map(Vec::len).max().unwrap_or(1).max(1)
    }

    fn height(&self) -> f32 {
        self.lines() as f32 * self.lead + 2.0 * CELL_PAD
    }
}

fn fields_table(rows: &[(String, String)]) -> Table {
    Table {
        columns: vec![(String::new(), 0.3), (String::new(), 0.7)],
        rows: rows.iter().map(|(k, v)| vec![Cell::from(k.as_str()), Cell::from(v.as_str())]).collect(),
    }
}

/// The band under the top margin that holds the running header (pages 2 and on).
pub const HEADER_BAND: f32 = 9.0;
/// The band above the bottom margin that holds the footer.
pub const FOOTER_BAND: f32 = 8.0;

fn running_header_height() -> f32 {
    HEADER_BAND
}

fn footer_height() -> f32 {
    FOOTER_BAND
}

/// Lays a note out on `paper`.
pub fn lay_out(blocks: &[Block], furniture: &Furniture, paper: Paper) -> Laid {
    let fonts = Fonts::get();
    let mut w =
        Writer { fonts, paper, furniture, pages: vec![Page::default()], bookmarks: Vec::new(), y: MARGIN_Y };
    first_page_head(&mut w);
    for (i, block) in blocks.iter().enumerate() {
        let next = blocks.get(i + 1);
        match block {
            Block::Heading(title) => w.heading(title, next),
            Block::Subheading(title) => w.subheading(title, next),
            Block::Paragraph(text) => {
                let (x, width) = (w.left(), w.width());
                w.paragraph(text, x, width);
            }
            Block::Bullets(items) => w.bullets(items),
            Block::Fields(rows) => w.table(&fields_table(rows), false),
            Block::Table(table) => w.table(table, true),
            Block::Bars(bars) => w.bars(bars),
        }
    }
    furnish(&mut w);
    Laid { paper, pages: w.pages, bookmarks: w.bookmarks }
}

/// The head of page 1: institution and area, "Uso interno", the title, the subject and when
/// the data was taken.
fn first_page_head(w: &mut Writer<'_>) {
    let f = w.furniture;
    let (left, width) = (w.left(), w.width());
    let mut y = MARGIN_Y;
    let internal_w = w.fonts.width_mm(Style::Bold, SMALL, &f.internal);
    let top = y + w.ascent(SMALL);
    w.text(left + width - internal_w, top, Style::Bold, SMALL, ACCENT, &f.internal);
    for (text, style, size, color) in
        [(f.institution.as_str(), Style::Bold, 10.5, INK), (f.area.as_str(), Style::Regular, 9.0, MUTED)]
    {
        for line in wrap(w.fonts, style, size, text, width - internal_w - 6.0) {
            let baseline = y + w.ascent(size);
            w.text(left, baseline, style, size, color, &line.text());
            y += lead(size, 1.3);
        }
    }
    y += 2.5;
    w.page().items.push(Item::Line {
        x1: left,
        y1: y,
        x2: left + width,
        y2: y,
        width_pt: 1.2,
        color: ACCENT,
    });
    y += 5.0;
    // A long title (the strategy's report) wraps rather than running past the margin.
    let title_size = 17.0;
    for line in wrap(w.fonts, Style::Bold, title_size, &f.title.to_uppercase(), width) {
        let baseline = y + w.ascent(title_size);
        w.text(left, baseline, Style::Bold, title_size, ACCENT, &line.text());
        y += lead(title_size, 1.3);
    }
    y += 0.5;
    for line in wrap(w.fonts, Style::Bold, 13.0, &f.subject, width) {
        let baseline = y + w.ascent(13.0);
        w.text(left, baseline, Style::Bold, 13.0, INK, &line.text());
        y += lead(13.0, 1.3);
    }
    y += 1.0;
    let baseline = y + w.ascent(SMALL);
    w.text(left, baseline, Style::Italic, SMALL, MUTED, &f.taken_at);
    y += lead(SMALL, 1.3) + 2.0;
    w.page().items.push(Item::Line { x1: left, y1: y, x2: left + width, y2: y, width_pt: 0.4, color: RULE });
    w.y = y + 3.0;
}

/// The items that draw `text` (one line), its left edge at `x` and its baseline at `y`.
fn text_items(fonts: &Fonts, x: f32, y: f32, style: Style, size: f32, color: Rgb, text: &str) -> Vec<Item> {
    place(fonts.shape(style, size, text), x, y, size, color, 0.0)
}

/// Shaped runs placed one after another from `x`, `spacing` mm more after every space.
fn place(runs: Vec<Run>, x: f32, y: f32, size: f32, color: Rgb, spacing: f32) -> Vec<Item> {
    let mut cursor = x;
    runs.into_iter()
        .map(|run| {
            let mut shift = 0.0;
            let glyphs = run
                .glyphs
                .into_iter()
                .map(|mut g| {
                    g.x += shift;
                    if g.text == " " {
                        shift += spacing;
                    }
                    g
                })
                .collect();
            let width = run.width + shift;
            let item =
                Item::Text { x: cursor, y, size, face: run.face, glyphs, width, text: run.text, color };
            cursor += width;
            item
        })
        .collect()
}

/// The running header from page 2 and the footer of every page, now that the count is known.
fn furnish(w: &mut Writer<'_>) {
    let total = w.pages.len();
    let (fonts, f) = (w.fonts, w.furniture);
    let (left, width) = (w.left(), w.width());
    let small_ascent = w.ascent(SMALL);
    for n in 0..total {
        let mut items = Vec::new();
        let internal_w = fonts.width_mm(Style::Bold, SMALL, &f.internal);
        if n > 0 {
            let y = MARGIN_Y + small_ascent;
            let head = ellipsize(fonts, &format!("{} · {}", f.title, f.subject), width - internal_w - 8.0);
            items.extend(text_items(fonts, left, y, Style::Regular, SMALL, MUTED, &head));
            items.extend(text_items(
                fonts,
                left + width - internal_w,
                y,
                Style::Bold,
                SMALL,
                ACCENT,
                &f.internal,
            ));
            let rule = MARGIN_Y + 5.0;
            items.push(Item::Line {
                x1: left,
                y1: rule,
                x2: left + width,
                y2: rule,
                width_pt: 0.4,
                color: RULE,
            });
        }
        let rule = w.paper.height - MARGIN_Y - footer_height() + 2.5;
        items.push(Item::Line { x1: left, y1: rule, x2: left + width, y2: rule, width_pt: 0.4, color: RULE });
        let y = w.paper.height - MARGIN_Y - 1.2;
        let label = f.page_label.replace("{n}", &(n + 1).to_string()).replace("{m}", &total.to_string());
        let label_w = fonts.width_mm(Style::Regular, SMALL, &label);
        let foot = ellipsize(fonts, &format!("{} · {}", f.institution, f.internal), width - label_w - 8.0);
        items.extend(text_items(fonts, left, y, Style::Regular, SMALL, MUTED, &foot));
        items.extend(text_items(fonts, left + width - label_w, y, Style::Regular, SMALL, MUTED, &label));
        w.pages[n].items.extend(items);
    }
}

/// `text` cut to fit `width` at the small size, with an ellipsis when cut.
fn ellipsize(fonts: &Fonts, text: &str, width: f32) -> String {
    if fonts.width_mm(Style::Regular, SMALL, text) <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    for c in text.chars() {
        out.push(c);
        if fonts.width_mm(Style::Regular, SMALL, &format!("{out}…")) > width {
            out.pop();
            break;
        }
    }
    format!("{}…", out.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    const W: f32 = 60.0;

    fn texts(lines: &[Line]) -> Vec<String> {
        lines.iter().map(Line::text).collect()
    }

    fn furniture() -> Furniture {
        Furniture {
            institution: "Instituto Electoral de la Ciudad de México".into(),
            area: "Unidad Técnica de Vinculación con Organismos Externos".into(),
            title: "Nota informativa".into(),
            subject: "Reunión de prueba".into(),
            taken_at: "Datos al 25 nov 2026, 10:31 h (Ciudad de México)".into(),
            internal: "Uso interno".into(),
            page_label: "Página {n} de {m}".into(),
        }
    }

    fn all_text(page: &Page) -> String {
        page.items
            .iter()
            .filter_map(|i| match i {
                Item::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Text items with their baselines, in page order.
    fn baselines(page: &Page, needle: &str) -> Vec<f32> {
        page.items
            .iter()
            .filter_map(|i| match i {
                Item::Text { text, y, .. } if text.contains(needle) => Some(*y),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn lines_fit_their_width_and_lose_nothing() {
        let fonts = Fonts::get();
        let text = "La Comisión de Vinculación con Organismos Externos acordó revisar el programa de \
                    capacitación 2027 con ONU Mujeres, ¿y qué opina la contraparte? «Muy bien», dijo.";
        let lines = wrap(fonts, Style::Regular, 10.0, text, W);
        assert!(lines.len() > 2);
        for line in &lines {
            let w: f32 = line.segs.iter().map(|s| s.width).sum::<f32>();
            assert!(w <= W + 0.01, "{} is {w} mm", line.text());
        }
        assert_eq!(texts(&lines).join(" "), text);
        assert!(lines.last().expect("a line").last && lines.iter().rev().skip(1).all(|l| !l.last));
    }

    #[test]
    fn breaks_after_dashes_and_slashes_but_never_at_a_non_breaking_space() {
        let fonts = Fonts::get();
        // Each width holds the first line exactly, and not a character more.
        let fits = |first: &str| fonts.width_mm(Style::Regular, 10.0, first) + 0.05;
        let lines = wrap(
            fonts,
            Style::Regular,
            10.0,
            "aaaa bbbbbbbbbb-cccccccccccccccc",
            fits("aaaa bbbbbbbbbb-ccc"),
        );
        assert_eq!(texts(&lines), ["aaaa bbbbbbbbbb-", "cccccccccccccccc"]);
        let lines =
            wrap(fonts, Style::Regular, 10.0, "xxxxxxxx IECM/CE/031/2024", fits("xxxxxxxx IECM/CE/03"));
        assert_eq!(texts(&lines), ["xxxxxxxx IECM/CE/", "031/2024"]);
        let lines = wrap(fonts, Style::Regular, 10.0, "hoy — mañana", fits("hoy — ma"));
        assert_eq!(texts(&lines), ["hoy —", "mañana"]);
        let nbsp = "xxxxxxxxxxxx 45\u{a0}días";
        let lines = wrap(fonts, Style::Regular, 10.0, nbsp, fits("xxxxxxxxxxxx 45\u{a0}dí"));
        assert_eq!(texts(&lines), ["xxxxxxxxxxxx", "45\u{a0}días"], "the number stays with its unit");
    }

    #[test]
    fn long_emails_and_urls_split_at_their_joints_and_an_unbroken_string_anywhere() {
        let fonts = Fonts::get();
        let email = "mariana.quiroga.nunez.oficial.de.programa@unwomen.ejemplo.org";
        let lines = wrap(fonts, Style::Regular, 10.0, email, 40.0);
        assert!(lines.len() >= 2);
        assert_eq!(lines.iter().map(Line::text).collect::<String>(), email, "nothing added or lost");
        for line in &lines[..lines.len() - 1] {
            let last = line.text().chars().last().expect("a character");
            assert!(".@-_".contains(last), "split after a joint, not inside a word: {}", line.text());
        }
        let url = "https://www.ejemplo.org/programas/participacion-politica/documentos?anio=2026&tema=genero";
        let lines = wrap(fonts, Style::Regular, 10.0, url, 40.0);
        assert_eq!(lines.iter().map(Line::text).collect::<String>(), url);
        let blob = "x".repeat(500);
        let lines = wrap(fonts, Style::Regular, 10.0, &blob, W);
        assert!(lines.len() > 5);
        assert_eq!(lines.iter().map(Line::text).collect::<String>(), blob);
        for line in &lines {
            assert!(line.segs.iter().map(|s| s.width).sum::<f32>() <= W + 0.01);
        }
    }

    #[test]
    fn hard_breaks_end_lines_and_are_not_justified() {
        let fonts = Fonts::get();
        let lines = wrap(fonts, Style::Regular, 10.0, "• Uno\n• Dos\n\n• Tres", W);
        assert_eq!(texts(&lines), ["• Uno", "• Dos", "", "• Tres"]);
        assert!(lines.iter().all(|l| l.last));
    }

    #[test]
    fn justified_lines_reach_the_right_edge_word_by_word_and_the_last_does_not() {
        let text = "palabra ".repeat(200);
        let laid = lay_out(&[Block::Paragraph(text.trim().to_owned())], &furniture(), Paper::LETTER);
        let right = Paper::LETTER.width - MARGIN_X;
        let page = &laid.pages[0];
        // Per line: its extent, and where each word starts (its "p").
        let mut by_line: BTreeMap<i32, Vec<(f32, f32)>> = BTreeMap::new();
        let mut starts: BTreeMap<i32, Vec<f32>> = BTreeMap::new();
        let fonts = Fonts::get();
        let natural = fonts.width_mm(Style::Regular, BODY, "palabra ");
        for item in &page.items {
            if let Item::Text { x, y, width, text, glyphs, .. } = item
                && text.contains("palabra")
            {
                by_line.entry((*y * 100.0) as i32).or_default().push((*x, *x + width));
                starts
                    .entry((*y * 100.0) as i32)
                    .or_default()
                    .extend(glyphs.iter().filter(|g| g.text == "p").map(|g| x + g.x));
            }
        }
        let lines: Vec<&Vec<(f32, f32)>> = by_line.values().collect();
        assert!(lines.len() > 10);
        for words in &lines[..lines.len() - 1] {
            let end = words.iter().map(|w| w.1).fold(0.0, f32::max);
            assert!((end - right).abs() < 0.05, "justified to {right}, ends at {end}");
        }
        let starts: Vec<&Vec<f32>> = starts.values().collect();
        for words in &starts[..starts.len() - 1] {
            assert!(words.len() > 3);
            let steps: Vec<f32> = words.windows(2).map(|w| w[1] - w[0]).collect();
            assert!(steps.iter().all(|s| (s - steps[0]).abs() < 0.01), "the room is shared alike: {steps:?}");
            assert!(steps[0] > natural + 0.01, "word by word, wider than set solid: {steps:?} vs {natural}");
        }
        let last_end = lines.last().expect("a last line").iter().map(|w| w.1).fold(0.0, f32::max);
        assert!(last_end < right - 1.0, "the last line is not stretched");
    }

    #[test]
    fn a_heading_never_ends_a_page() {
        // Fill page 1 so that only a heading's height is left, then a heading and a paragraph.
        let mut blocks = vec![Block::Paragraph("relleno ".repeat(10))];
        for n in 0..60 {
            blocks.push(Block::Heading(format!("Sección {n}")));
            blocks.push(Block::Paragraph("texto de la sección ".repeat(6 + n % 7)));
        }
        let laid = lay_out(&blocks, &furniture(), Paper::LETTER);
        assert!(laid.pages.len() > 3);
        for (title, page) in &laid.bookmarks {
            let page = &laid.pages[*page];
            let heading_y =
                baselines(page, title).first().copied().expect("the heading is on its bookmarked page");
            let below = page.items.iter().any(
                |i| matches!(i, Item::Text { text, y, .. } if text.starts_with("texto") && *y > heading_y),
            );
            assert!(below, "«{title}» has its text below it on the same page");
        }
    }

    #[test]
    fn a_heading_stays_with_the_first_row_of_its_table() {
        // A first row of five lines under a heading, placed lower and lower down page 1.
        let tall = Table {
            columns: vec![("Compromiso".into(), 0.5), ("Situación".into(), 0.5)],
            rows: vec![vec![
                Cell::with_note("uno dos tres cuatro cinco seis siete ocho nueve diez ".repeat(6), "nota"),
                "ok".into(),
            ]],
        };
        for filler in (40..800).step_by(7) {
            let blocks = vec![
                Block::Paragraph("relleno ".repeat(filler)),
                Block::Heading("7. Compromisos abiertos".into()),
                Block::Table(tall.clone()),
            ];
            let laid = lay_out(&blocks, &furniture(), Paper::LETTER);
            let (_, page) = laid.bookmarks[0];
            assert!(
                all_text(&laid.pages[page]).contains("nota"),
                "filler {filler}: the heading went on without its table"
            );
        }
    }

    fn table(rows: usize, cell: impl Fn(usize) -> String) -> Table {
        Table {
            columns: vec![("Nombre".into(), 0.3), ("Cargo".into(), 0.3), ("Contacto".into(), 0.4)],
            rows: (0..rows)
                .map(|r| {
                    vec![format!("Persona {r}").into(), cell(r).into(), format!("p{r}@ejemplo.org").into()]
                })
                .collect(),
        }
    }

    #[test]
    fn table_rows_move_whole_and_the_header_repeats_on_every_page() {
        let t = table(90, |r| "cargo largo ".repeat(1 + r % 4));
        let laid =
            lay_out(&[Block::Heading("Asistentes".into()), Block::Table(t)], &furniture(), Paper::LETTER);
        assert!(laid.pages.len() >= 3, "{} pages", laid.pages.len());
        for (n, page) in laid.pages.iter().enumerate() {
            let text = all_text(page);
            assert!(
                text.contains("Nombre") && text.contains("Contacto"),
                "page {} repeats the header",
                n + 1
            );
        }
        // Every row is on exactly one page, whole: its name and its e-mail together.
        for r in 0..90 {
            let on: Vec<usize> = laid
                .pages
                .iter()
                .enumerate()
                .filter(|(_, p)| all_text(p).contains(&format!("p{r}@ejemplo.org")))
                .map(|(i, _)| i)
                .collect();
            assert_eq!(on.len(), 1, "row {r}");
            assert!(all_text(&laid.pages[on[0]]).contains(&format!("Persona {r}")), "row {r} split");
        }
        // Nothing below the content area.
        let bottom = Paper::LETTER.height - MARGIN_Y;
        for page in &laid.pages {
            for item in &page.items {
                if let Item::Text { y, .. } = item {
                    assert!(*y <= bottom + 0.01);
                }
            }
        }
    }

    #[test]
    fn only_a_row_taller_than_a_page_splits_between_its_lines() {
        let huge = "línea de una celda enorme ".repeat(400);
        let t = Table {
            columns: vec![("Compromiso".into(), 0.6), ("Situación".into(), 0.4)],
            rows: vec![
                vec!["antes".into(), "ok".into()],
                vec![Cell::with_note(huge.clone(), "nota"), Cell::alert("venció hace 3 días", "pendiente")],
                vec!["después".into(), "ok".into()],
            ],
        };
        let laid = lay_out(&[Block::Table(t)], &furniture(), Paper::LETTER);
        assert!(laid.pages.len() >= 3);
        let words: usize = laid.pages.iter().map(|p| all_text(p).matches("enorme").count()).sum();
        assert_eq!(words, 400, "every line drawn once");
        let alert = laid.pages.iter().flat_map(|p| &p.items).any(
            |i| matches!(i, Item::Text { text, color, face, .. } if text.starts_with("venció") && *color == ALERT && *face == Face::NOTO_BOLD),
        );
        assert!(alert, "an overdue situation stands out");
        for page in &laid.pages {
            assert!(all_text(page).contains("Compromiso"), "the header repeats");
        }
    }

    #[test]
    fn a_header_row_is_never_left_alone_at_the_foot_of_a_page() {
        for filler in 30..60 {
            let blocks = vec![
                Block::Paragraph("relleno del principio ".repeat(filler * 3)),
                Block::Table(table(3, |_| "cargo".into())),
            ];
            let laid = lay_out(&blocks, &furniture(), Paper::LETTER);
            for page in &laid.pages {
                let text = all_text(page);
                if text.contains("Contacto") {
                    assert!(text.contains("Persona"), "filler {filler}: a header with no row under it");
                }
            }
        }
    }

    #[test]
    fn furniture_says_page_n_of_m_and_runs_a_header_from_page_two() {
        let blocks = vec![Block::Paragraph("texto ".repeat(3000))];
        let laid = lay_out(&blocks, &furniture(), Paper::A4);
        let m = laid.pages.len();
        assert!(m >= 3);
        for (n, page) in laid.pages.iter().enumerate() {
            let text = all_text(page);
            assert!(text.contains(&format!("Página {} de {m}", n + 1)), "page {}", n + 1);
            assert!(text.contains("Uso interno"));
            assert_eq!(text.contains("NOTA INFORMATIVA"), n == 0, "the title block only on page 1");
            assert_eq!(
                text.contains("Nota informativa · Reunión de prueba"),
                n > 0,
                "running header from page 2"
            );
        }
        assert_eq!(laid.paper, Paper::A4);
    }
}
