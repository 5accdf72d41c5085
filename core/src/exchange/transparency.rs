//! The transparency export (`docs/transparency.md`): the instruments signed in a period as the
//! format of *convenios* the transparency obligations ask the IECM to publish (Ley de
//! Transparencia de la Ciudad de México, art. 121, fr. XXXV; Ley General, art. 70, fr. XXXIII;
//! the SIPOT format of the Lineamientos Técnicos Generales), as an Excel workbook laid out as
//! the Plataforma Nacional de Transparencia's templates are (its format sheet, the catalog's
//! hidden sheet, the table of counterparts), or as CSV.

use crate::error::{Code, Error, Result, Violation};
use crate::index::catalog::Detail;
use crate::labels::Lang;
use crate::model::{Agreement, AgreementKind, AgreementStatus, Id, Organization, RecordKind, Sector};
use crate::store::Store;
use jiff::civil::Date;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};
use serde::{Deserialize, Serialize};

/// The format's short name and title, as the Plataforma Nacional de Transparencia names it.
pub const FORMAT_NAME: &str = "A121Fr35_Convenios";
const FORMAT_TITLE: &str = "Convenios de coordinación, de concertación con el sector social o privado";
const FORMAT_DESCRIPTION: &str =
    "Los convenios de coordinación de concertación con los sectores público, social y privado";

/// The format's columns, in order, with the SIPOT field type of each (1 short text, 2 long
/// text, 4 date, 7 web page, 9 catalog, 10 table, 12 year, 13 update date, 14 note).
pub const COLUMNS: [(&str, u8); 20] = [
    ("Ejercicio", 12),
    ("Fecha de inicio del periodo que se informa", 4),
    ("Fecha de término del periodo que se informa", 4),
    ("Tipo de convenio (catálogo)", 9),
    ("Denominación del convenio", 2),
    ("Fecha de firma del convenio", 4),
    ("Unidad administrativa responsable del seguimiento", 1),
    ("Persona(s) con quien se celebra el convenio (Tabla_convenios)", 10),
    ("Objetivo(s) del convenio", 2),
    ("Fuente de los recursos que se emplearán", 1),
    ("Descripción y/o monto de los recursos públicos entregados", 2),
    ("Inicio del periodo de vigencia del convenio", 4),
    ("Término del periodo de vigencia del convenio", 4),
    ("Fecha de publicación en DOF u otro medio oficial", 4),
    ("Hipervínculo al documento, en su caso, a la versión pública", 7),
    ("Hipervínculo al documento con modificaciones, en su caso", 7),
    ("Área(s) responsable(s) que genera(n), posee(n), publica(n) y actualizan la información", 2),
    ("Fecha de validación", 4),
    ("Fecha de actualización", 13),
    ("Nota", 14),
];

/// The catalog of *Tipo de convenio*.
pub const KINDS: [&str; 5] = [
    "De coordinación con el sector público",
    "De coordinación con el sector social",
    "De coordinación con el sector privado",
    "De concertación con el sector social",
    "De concertación con el sector privado",
];

/// The columns of the table of counterparts (`Tabla_convenios`).
pub const COUNTERPART_COLUMNS: [&str; 5] =
    ["ID", "Nombre(s)", "Primer apellido", "Segundo apellido", "Denominación o razón social"];

/// The period reported: a year, or one of its quarters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TransparencyRequest {
    pub year: i16,
    /// 1 to 4; none for the whole year.
    pub quarter: Option<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TransparencyFormat {
    Xlsx,
    Csv,
}

/// A file made, and how many instruments it reports.
#[derive(Debug, Clone, PartialEq)]
pub struct TransparencyFile {
    pub bytes: Vec<u8>,
    pub rows: usize,
}

/// A cell of the report: text, or a day.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Text(String),
    Day(Option<Date>),
}

/// One instrument as the format's row, and its counterparts for the table.
struct Row {
    values: Vec<Value>,
    counterparts: Vec<String>,
}

impl TransparencyRequest {
    /// The first and last day of the period.
    pub fn period(&self) -> Result<(Date, Date)> {
        let quarter_ok = self.quarter.is_none_or(|q| (1..=4).contains(&q));
        if !(2000..=2100).contains(&self.year) || !quarter_ok {
            let field = if quarter_ok { "year" } else { "quarter" };
            return Err(Error::Invalid(vec![Violation::new(field, Code::OutOfRange)]));
        }
        let (first, last) = match self.quarter {
            Some(q) => (3 * q as i8 - 2, 3 * q as i8),
            None => (1, 12),
        };
        let start = Date::new(self.year, first, 1).map_err(|_| Error::invalid("year", Code::OutOfRange))?;
        let end = Date::new(self.year, last, 1)
            .map_err(|_| Error::invalid("year", Code::OutOfRange))?
            .last_of_month();
        Ok((start, end))
    }
}

fn dmy(d: Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

/// The *Tipo de convenio* of an instrument, from its first counterpart's sector.
fn kind_of(sector: Option<Sector>) -> &'static str {
    match sector {
        Some(Sector::Social) => KINDS[3],
        Some(Sector::Private) => KINDS[4],
        _ => KINDS[0],
    }
}

/// The first web address among an instrument's document references.
fn link(refs: &[String]) -> String {
    refs.iter().find(|r| r.starts_with("https://") || r.starts_with("http://")).cloned().unwrap_or_default()
}

impl Store {
    /// The instruments signed in the period (signed, in force, concluded or rescinded, with a
    /// signing date in it), oldest first, as the transparency format; `area` is the area the
    /// settings name, for the instruments that name none and for the area that publishes.
    pub fn transparency(
        &self,
        request: &TransparencyRequest,
        format: TransparencyFormat,
        area: &str,
        today: Date,
    ) -> Result<TransparencyFile> {
        let (start, end) = request.period()?;
        let ids: Vec<Id> = self.with_catalog(|catalog| {
            catalog
                .of_kind(RecordKind::Agreement)
                .filter(|e| {
                    matches!(
                        e.detail,
                        Detail::Agreement {
                            status: AgreementStatus::Signed
                                | AgreementStatus::InForce
                                | AgreementStatus::Concluded
                                | AgreementStatus::Rescinded,
                            ..
                        }
                    )
                })
                .map(|e| e.id())
                .collect()
        });
        let mut signed: Vec<Agreement> = Vec::new();
        for id in &ids {
            let a: Agreement = self.get(id)?;
            if a.signed_on
                .as_deref()
                .and_then(|d| d.parse::<Date>().ok())
                .is_some_and(|d| start <= d && d <= end)
            {
                signed.push(a);
            }
        }
        signed.sort_by(|a, b| (&a.signed_on, &a.folio, &a.title).cmp(&(&b.signed_on, &b.folio, &b.title)));
        // Addenda that modify an instrument point at their parent.
        let addenda: Vec<Agreement> = self
            .with_catalog(|catalog| {
                catalog
                    .of_kind(RecordKind::Agreement)
                    .filter(|e| {
                        matches!(
                            e.detail,
                            Detail::Agreement { kind: AgreementKind::Addendum, has_parent: true, .. }
                        )
                    })
                    .map(|e| e.id())
                    .collect::<Vec<_>>()
            })
            .iter()
            .filter_map(|id| self.get(id).ok())
            .collect();
        let mut rows = Vec::with_capacity(signed.len());
        for a in &signed {
            let orgs: Vec<Organization> =
                a.counterpart_ids.iter().filter_map(|id| self.get(id).ok()).collect();
            let day = |s: &Option<String>| Value::Day(s.as_deref().and_then(|d| d.parse().ok()));
            let text = |s: &str| Value::Text(s.to_owned());
            let mut note = Vec::new();
            if !a.folio.is_empty() {
                note.push(format!("Folio interno: {}", a.folio));
            }
            note.push(format!("Estado: {}", Lang::Es.label("agreementStatus", &a.status)));
            if a.valid_until.is_none() {
                note.push("Vigencia indefinida".to_owned());
            }
            if a.public_money {
                note.push("Compromete recursos públicos; el monto consta en el instrumento".to_owned());
            }
            let modified = addenda
                .iter()
                .filter(|d| d.parent_id.as_ref() == Some(&a.id))
                .map(|d| link(&d.document_refs))
                .find(|l| !l.is_empty())
                .unwrap_or_default();
            let values = vec![
                Value::Text(request.year.to_string()),
                Value::Day(Some(start)),
                Value::Day(Some(end)),
                text(kind_of(orgs.first().map(|o| o.sector))),
                text(&a.title),
                day(&a.signed_on),
                text(if a.iecm_area.is_empty() { area } else { &a.iecm_area }),
                Value::Text(String::new()),
                text(&a.purpose),
                text(if a.public_money {
                    "Recursos públicos del IECM"
                } else {
                    "No se comprometen recursos públicos"
                }),
                Value::Text(String::new()),
                day(&a.valid_from),
                day(&a.valid_until),
                Value::Day(None),
                text(&link(&a.document_refs)),
                text(&modified),
                text(area),
                Value::Day(Some(today)),
                Value::Day(Some(today)),
                text(&note.join(". ")),
            ];
            let counterparts = orgs.iter().map(|o| o.display_name().to_owned()).collect();
            rows.push(Row { values, counterparts });
        }
        let bytes = match format {
            TransparencyFormat::Csv => csv(&rows)?,
            TransparencyFormat::Xlsx => xlsx(&rows).map_err(|e| Error::Render { detail: e.to_string() })?,
        };
        Ok(TransparencyFile { bytes, rows: rows.len() })
    }
}

/// A cell's text as a spreadsheet shows it, never as a formula: a value that begins with
/// `=`, `+`, `-`, `@`, a tab or a carriage return gets an apostrophe first (OWASP's advice
/// against formula injection; a file for publication is opened by anyone).
fn inert(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() }
}

/// CSV as Excel in Mexico reads it: UTF-8 with a byte-order mark, commas, `dd/mm/aaaa`, CRLF.
/// One file cannot hold the table of counterparts: their names share their column.
fn csv(rows: &[Row]) -> Result<Vec<u8>> {
    let mut out = Vec::from(*b"\xEF\xBB\xBF");
    {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
        let io = |e: csv::Error| Error::Render { detail: e.to_string() };
        w.write_record(COLUMNS.iter().map(|(h, _)| *h)).map_err(io)?;
        for row in rows {
            let cells: Vec<String> = row
                .values
                .iter()
                .enumerate()
                .map(|(i, v)| match v {
                    _ if i == 7 => inert(&row.counterparts.join("; ")),
                    Value::Text(s) => inert(s),
                    Value::Day(d) => d.map(dmy).unwrap_or_default(),
                })
                .collect();
            w.write_record(&cells).map_err(io)?;
        }
        w.flush().map_err(|e| Error::Render { detail: e.to_string() })?;
    }
    Ok(out)
}

/// The workbook, laid out as the Plataforma Nacional de Transparencia's templates: on
/// *Reporte de Formatos* a hidden first row, the title block (rows 2–3), the hidden row of
/// field types (4) and of field ids (5, empty: the platform's own), *Tabla Campos* (6), the
/// headers (7) and a row per instrument from row 8; *Hidden_1* the catalog; *Tabla_convenios*
/// the counterparts, each row carrying the number its instrument's row gives.
fn xlsx(rows: &[Row]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let sheet = book.add_worksheet().set_name("Reporte de Formatos")?;
    sheet.write_string(0, 0, "1")?;
    sheet.set_row_hidden(0)?;
    for (c, label) in ["TÍTULO", "NOMBRE CORTO", "DESCRIPCIÓN"].into_iter().enumerate() {
        sheet.write_string_with_format(1, c as u16, label, &bold)?;
    }
    sheet.write_string(2, 0, FORMAT_TITLE)?;
    sheet.write_string(2, 1, FORMAT_NAME)?;
    sheet.write_string(2, 2, FORMAT_DESCRIPTION)?;
    for (c, (header, kind)) in COLUMNS.iter().enumerate() {
        sheet.write_string(3, c as u16, kind.to_string())?;
        sheet.write_string_with_format(6, c as u16, *header, &bold)?;
        sheet.set_column_width(c as u16, 24)?;
    }
    sheet.set_row_hidden(3)?;
    sheet.set_row_hidden(4)?;
    sheet.write_string_with_format(5, 0, "Tabla Campos", &bold)?;
    let mut table = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let at = 7 + r as u32;
        let number = (r + 1).to_string();
        for (c, value) in row.values.iter().enumerate() {
            match value {
                _ if c == 7 => {
                    sheet.write_string(at, c as u16, &number)?;
                }
                Value::Text(s) if !s.is_empty() => {
                    sheet.write_string(at, c as u16, s)?;
                }
                Value::Day(Some(d)) => {
                    // A day Excel cannot hold (before 1900) is written as its text.
                    match ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8) {
                        Ok(day) => sheet.write_datetime_with_format(at, c as u16, day, &date)?,
                        Err(_) => sheet.write_string(at, c as u16, dmy(*d))?,
                    };
                }
                _ => {}
            }
        }
        table.extend(row.counterparts.iter().map(|name| (number.clone(), name.clone())));
    }
    let hidden = book.add_worksheet().set_name("Hidden_1")?;
    for (r, kind) in KINDS.iter().enumerate() {
        hidden.write_string(r as u32, 0, *kind)?;
    }
    hidden.set_hidden(true);
    let counterparts = book.add_worksheet().set_name("Tabla_convenios")?;
    for (c, header) in COUNTERPART_COLUMNS.iter().enumerate() {
        counterparts.write_string_with_format(0, c as u16, *header, &bold)?;
        counterparts.set_column_width(c as u16, 28)?;
    }
    for (r, (number, name)) in table.iter().enumerate() {
        counterparts.write_string(1 + r as u32, 0, number)?;
        counterparts.write_string(1 + r as u32, 4, name)?;
    }
    book.save_to_buffer()
}
