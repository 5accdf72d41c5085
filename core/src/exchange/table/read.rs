//! A spreadsheet's cells, whatever wrote it: workbooks (.xlsx, .xls, .ods) through calamine,
//! CSV through the csv crate once its bytes are decoded (UTF-8 with or without BOM, UTF-16
//! with BOM as Excel's "Unicode text", otherwise Windows-1252) and its separator found.

use crate::error::{Code, Error, Result, Violation};
use calamine::{Data, Reader};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::HashMap;
use std::io::Cursor;

/// One cell as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// A cell the workbook formats as a date (its serial number read as a day).
    Date(Date),
    /// Several values of one kind, each whole (a vCard's categories or languages).
    List(Vec<String>),
}

impl Cell {
    /// The cell as text: numbers without a needless `.0`, dates as `AAAA-MM-DD`.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.trim().to_owned(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::List(values) => values.join("; "),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            Cell::List(values) => values.iter().all(|v| v.trim().is_empty()),
            _ => false,
        }
    }
}

/// The kind of file a table was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum TableFormat {
    Xlsx,
    Xls,
    Ods,
    Csv,
    /// A vCard file (`.vcf`): one sheet of people, its columns' fields fixed.
    Vcard,
}

impl TableFormat {
    /// Its usual extension (the audit log's detail).
    pub fn extension(self) -> &'static str {
        match self {
            TableFormat::Xlsx => "xlsx",
            TableFormat::Xls => "xls",
            TableFormat::Ods => "ods",
            TableFormat::Csv => "csv",
            TableFormat::Vcard => "vcf",
        }
    }
}

/// A sheet: its name and its rows, the first of them usually the headers.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
    /// The field of each column when the file itself says it (a vCard file): offered as
    /// the mapping, and not remembered.
    pub mapping: Option<Vec<Option<String>>>,
}

/// Every sheet of a file (a CSV has one, named after nothing).
#[derive(Debug, Clone, PartialEq)]
pub struct Workbook {
    pub format: TableFormat,
    pub sheets: Vec<Sheet>,
    /// The parts of the file that could not be read, and why (`field` names the part, a
    /// vCard file's `card` with its number `n`): the rest is imported.
    pub skipped: Vec<Violation>,
}

/// A file that is not a spreadsheet this reads, or a damaged one.
fn unreadable() -> Error {
    Error::Invalid(vec![Violation::new("file", Code::MalformedFile)])
}

impl Workbook {
    /// Reads a workbook or a CSV file. A zip or an OLE file is a workbook (refused when
    /// damaged); anything else is read as CSV text. Rows keep their places (row `n` of the
    /// sheet is `rows[n - 1]`, empty or not) and lose their trailing empty cells.
    pub fn read(bytes: &[u8]) -> Result<Workbook> {
        let is_zip = bytes.starts_with(b"PK\x03\x04");
        let is_ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
        let mut book = if is_zip || is_ole { read_workbook(bytes)? } else { read_csv(bytes)? };
        for sheet in &mut book.sheets {
            for row in &mut sheet.rows {
                while row.last().is_some_and(Cell::is_empty) {
                    row.pop();
                }
            }
        }
        Ok(book)
    }
}

/// The most a workbook may hold once inflated: an office's list of thousands of instruments
/// is a few MB; a zip that inflates to more is refused before it is.
pub const MAX_INFLATED_BYTES: u64 = 512 * 1024 * 1024;

/// Refuses a zip (.xlsx, .ods) whose parts add up to more than [`MAX_INFLATED_BYTES`], reading
/// only its directory: a small file can hold gigabytes of repeated cells.
fn check_inflated_size(bytes: &[u8]) -> Result<()> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| unreadable())?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        total = total.saturating_add(zip.by_index_raw(i).map_err(|_| unreadable())?.size());
    }
    if total > MAX_INFLATED_BYTES {
        return Err(Error::Invalid(vec![
            Violation::new("file", Code::TooLong).with("max", MAX_INFLATED_BYTES).with("unit", "bytes"),
        ]));
    }
    Ok(())
}

fn read_workbook(bytes: &[u8]) -> Result<Workbook> {
    if bytes.starts_with(b"PK\x03\x04") {
        check_inflated_size(bytes)?;
    }
    let mut sheets = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|_| unreadable())?;
    let format = match sheets {
        calamine::Sheets::Xls(_) => TableFormat::Xls,
        calamine::Sheets::Ods(_) => TableFormat::Ods,
        _ => TableFormat::Xlsx,
    };
    let mut out = Vec::new();
    for name in sheets.sheet_names() {
        let range = sheets.worksheet_range(&name).map_err(|_| unreadable())?;
        // The range starts at its first used cell: keep rows and columns where the sheet has them.
        let (top, left) = range.start().map_or((0, 0), |(row, col)| (row as usize, col as usize));
        let rows =
            std::iter::repeat_n(Vec::new(), top)
                .chain(range.rows().map(|row| {
                    std::iter::repeat_n(Cell::Empty, left).chain(row.iter().map(cell_of)).collect()
                }))
                .collect();
        out.push(Sheet { name, rows, mapping: None });
    }
    Ok(Workbook { format, sheets: out, skipped: Vec::new() })
}

fn cell_of(data: &Data) -> Cell {
    match data {
        Data::Empty | Data::Error(_) => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            Date::new(y as i16, m as i8, d as i8).map_or(Cell::Number(dt.as_f64()), Cell::Date)
        }
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::DateTimeIso(s) => {
            s.get(..10).and_then(|d| d.parse().ok()).map_or(Cell::Text(s.clone()), Cell::Date)
        }
        Data::DurationIso(s) => Cell::Text(s.clone()),
    }
}

/// The text of a CSV or vCard file's bytes: UTF-8 with or without BOM, UTF-16 with BOM,
/// otherwise Windows-1252.
pub(crate) fn decode(bytes: &[u8]) -> String {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding.decode_without_bom_handling(&bytes[bom..]).0.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

/// Whether the text of `bytes` begins (after a byte-order mark and blank lines) with `line`,
/// compared without case.
pub(crate) fn begins_with(bytes: &[u8], line: &str) -> bool {
    let head = decode(&bytes[..bytes.len().min(1024)]);
    let head = head.trim_start_matches('\u{feff}').trim_start();
    head.get(..line.len()).is_some_and(|s| s.eq_ignore_ascii_case(line))
}

fn read_csv(bytes: &[u8]) -> Result<Workbook> {
    let text = decode(bytes);
    if text.contains('\0') {
        return Err(unreadable());
    }
    let delimiter = guess_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // The csv crate skips blank lines; a spreadsheet program shows them as empty rows, and the
    // rows after them keep the numbers it gives them. A record's position is where the one
    // before it ended: its row is the line breaks up to its first character, less those
    // inside quoted cells (they stay in their row).
    let (bytes, mut scanned, mut breaks, mut quoted) = (text.as_bytes(), 0, 0, 0);
    for record in reader.records() {
        let record = record.map_err(|_| unreadable())?;
        let mut start = record.position().map_or(scanned, |p| p.byte() as usize).max(scanned);
        while bytes.get(start).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
            start += 1;
        }
        breaks += bytes[scanned..start.min(bytes.len())].iter().filter(|b| **b == b'\n').count();
        scanned = start.min(bytes.len());
        rows.resize((breaks - quoted).max(rows.len()), Vec::new());
        quoted += record.iter().map(|f| f.matches('\n').count()).sum::<usize>();
        rows.push(
            record
                .iter()
                .map(|s| if s.trim().is_empty() { Cell::Empty } else { Cell::Text(s.to_owned()) })
                .collect(),
        );
    }
    Ok(Workbook {
        format: TableFormat::Csv,
        sheets: vec![Sheet { name: String::new(), rows, mapping: None }],
        skipped: Vec::new(),
    })
}

/// The separator that splits the first rows most evenly into the most columns: `,`, `;`
/// (Excel in Spanish locales) or a tab. The rows' commonest width counts, so a title above
/// the table (one cell, or a comma in a `;` file) does not decide.
fn guess_delimiter(text: &str) -> u8 {
    let score = |d: u8| {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(d)
            .from_reader(text.as_bytes());
        let mut counts: HashMap<usize, usize> = HashMap::new();
        for width in reader.records().take(20).map_while(|r| r.ok()).map(|r| r.len()) {
            *counts.entry(width).or_default() += 1;
        }
        counts
            .into_iter()
            .filter(|(width, _)| *width >= 2)
            .map(|(width, n)| (n, width))
            .max()
            .unwrap_or((0, 0))
    };
    [b',', b';', b'\t'].into_iter().rev().max_by_key(|d| score(*d)).unwrap_or(b',')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_separator_is_the_one_that_splits_rows_evenly() {
        assert_eq!(guess_delimiter("a;b;c\n1;2,5;3\n"), b';');
        assert_eq!(guess_delimiter("a,b,c\n1,\"2;5\",3\n"), b',');
        assert_eq!(guess_delimiter("a\tb\n1\t2\n"), b'\t');
        assert_eq!(guess_delimiter("Convenios, 2026\n\na;b;c\n1;2;3\n4;5;6\n"), b';', "a title with a comma");
        assert_eq!(guess_delimiter("Lista\na;b\n1;2\n"), b';', "a title of one cell");
        assert_eq!(guess_delimiter("solo\n"), b',', "nothing splits: a comma");
    }

    #[test]
    fn a_workbook_that_would_inflate_past_the_limit_is_refused_unread() {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored =
            zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        zip.start_file("xl/worksheets/sheet1.xml", stored).expect("entry");
        zip.write_all(b"<worksheet/>").expect("write");
        let mut bytes = zip.finish().expect("zip").into_inner();
        assert!(check_inflated_size(&bytes).is_ok());
        // The directory says the part inflates to 4 GB, as a zip bomb's does.
        let directory = bytes.windows(4).position(|w| w == b"PK\x01\x02").expect("the central directory");
        bytes[directory + 24..directory + 28].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
        let refused = Workbook::read(&bytes).map(|_| ()).expect_err("refused");
        assert!(
            matches!(&refused, Error::Invalid(v) if v[0].field == "file" && v[0].code == Code::TooLong),
            "{refused:?}"
        );
    }

    #[test]
    fn text_is_decoded_from_what_the_bytes_are() {
        assert_eq!(decode(b"\xEF\xBB\xBFa\xC3\xB1o"), "año");
        assert_eq!(decode(b"a\xF1o"), "año");
        assert_eq!(decode(b"\xFF\xFEa\x00\xF1\x00"), "añ");
    }
}
