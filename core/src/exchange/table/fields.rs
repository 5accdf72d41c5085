//! The fields a spreadsheet's columns can fill, per kind of record; the headers each is
//! known by, in Spanish and English (folded); and a cell's value read into a field.

use super::read::Cell;
use crate::error::{Code, Violation};
use crate::labels::Lang;
use crate::model::{Labeled, RecordKind};
use crate::text::fold_words;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// What the rows of a sheet become.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TableTarget {
    Organization,
    Contact,
    Agreement,
}

impl TableTarget {
    /// Every target, in the order the import offers them: instruments first (the office's
    /// own list), and first on a tie when guessing what a sheet holds.
    pub const ALL: [TableTarget; 3] =
        [TableTarget::Agreement, TableTarget::Organization, TableTarget::Contact];

    pub fn kind(self) -> RecordKind {
        match self {
            TableTarget::Organization => RecordKind::Organization,
            TableTarget::Contact => RecordKind::Contact,
            TableTarget::Agreement => RecordKind::Agreement,
        }
    }

    /// The fields its columns can fill, in the order the mapping offers them.
    pub fn fields(self) -> impl Iterator<Item = &'static FieldSpec> {
        FIELDS.iter().filter(move |f| f.target == self)
    }

    pub fn field(self, name: &str) -> Option<&'static FieldSpec> {
        self.fields().find(|f| f.name == name)
    }
}

/// How a field's cells are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Shape {
    Text,
    /// A day: `AAAA-MM-DD`, `dd/mm/aaaa`, `dd-mm-aaaa`, or a workbook's date or serial number.
    Date,
    /// One of an enum's values (named by its label in either language): the group.
    Choice(&'static str),
    /// Several of an enum's values, separated by `;` or `,`.
    Choices(&'static str),
    /// Words separated by `;` or `,` (tags, languages).
    List,
    Number,
    Flag,
    /// Organizations named by acronym or name, separated by `;` or line breaks: found, or
    /// created by the import.
    Organizations,
}

/// A field a column can fill. `repeat`: several columns may fill it (e-mails, phones).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldSpec {
    #[serde(skip)]
    pub target: TableTarget,
    pub name: &'static str,
    pub shape: Shape,
    pub repeat: bool,
    /// Headers it is known by, folded (Spanish and English, and what Outlook and Google write).
    #[serde(skip)]
    pub headers: &'static [&'static str],
}

const fn f(
    target: TableTarget,
    name: &'static str,
    shape: Shape,
    repeat: bool,
    headers: &'static [&'static str],
) -> FieldSpec {
    FieldSpec { target, name, shape, repeat, headers }
}

use Shape::*;
use TableTarget::{Agreement as A, Contact as C, Organization as O};

/// Every field, per target. Headers are matched folded, punctuation made spaces.
pub const FIELDS: &[FieldSpec] = &[
    f(
        O,
        "nameEs",
        Text,
        false,
        &[
            "nombre",
            "nombre en espanol",
            "nombre es",
            "organizacion",
            "organismo",
            "institucion",
            "nombre de la organizacion",
            "razon social",
            "name",
        ],
    ),
    f(
        O,
        "nameEn",
        Text,
        false,
        &["nombre en ingles", "nombre en", "name en", "english name", "name in english"],
    ),
    f(O, "acronymEs", Text, false, &["siglas", "acronimo", "siglas en espanol", "acronym"]),
    f(O, "acronymEn", Text, false, &["siglas en ingles", "acronym en", "english acronym"]),
    f(
        O,
        "kind",
        Choice("orgKind"),
        false,
        &["tipo", "tipo de organizacion", "tipo de organismo", "kind", "type"],
    ),
    f(O, "scope", Choice("scope"), false, &["ambito", "alcance", "scope"]),
    f(O, "sector", Choice("sector"), false, &["sector"]),
    f(O, "country", Text, false, &["pais", "country", "pais sede"]),
    f(O, "city", Text, false, &["ciudad", "city", "sede"]),
    f(O, "website", Text, false, &["sitio web", "pagina web", "web", "url", "website", "pagina"]),
    f(
        O,
        "themes",
        Choices("theme"),
        false,
        &["temas", "areas tematicas", "tematica", "themes", "thematic areas"],
    ),
    f(
        O,
        "relationship",
        Choice("relationship"),
        false,
        &["relacion", "estado de la relacion", "relationship", "status"],
    ),
    f(O, "notes", Text, true, &["notas", "observaciones", "comentarios", "notes", "comments"]),
    f(O, "tags", List, false, &["etiquetas", "tags", "categorias"]),
    f(C, "fullName", Text, false, &["nombre", "nombre completo", "name", "full name", "display name"]),
    f(C, "givenName", Text, false, &["nombre s", "nombres", "first name", "given name"]),
    f(C, "familyName", Text, false, &["apellidos", "apellido", "last name", "family name", "surname"]),
    f(
        C,
        "honorific",
        Text,
        false,
        &["tratamiento", "titulo", "title", "honorific", "name prefix", "prefijo"],
    ),
    f(C, "post", Text, false, &["cargo", "puesto", "job title", "position", "post", "organization 1 title"]),
    f(
        C,
        "organization",
        Organizations,
        false,
        &[
            "organizacion",
            "organismo",
            "institucion",
            "empresa",
            "dependencia",
            "company",
            "organization",
            "organization 1 name",
        ],
    ),
    f(
        C,
        "email",
        Text,
        true,
        &[
            "correo",
            "correo electronico",
            "email",
            "e mail",
            "e mail address",
            "email address",
            "e mail 2 address",
            "e mail 3 address",
            "e mail 1 value",
            "e mail 2 value",
            "correo alterno",
        ],
    ),
    f(
        C,
        "phone",
        Text,
        true,
        &[
            "telefono",
            "tel",
            "celular",
            "movil",
            "phone",
            "mobile",
            "mobile phone",
            "business phone",
            "home phone",
            "phone 1 value",
            "phone 2 value",
            "telefono de oficina",
        ],
    ),
    f(C, "languages", List, false, &["idiomas", "idioma", "languages", "language"]),
    f(C, "notes", Text, true, &["notas", "observaciones", "comentarios", "notes"]),
    f(C, "tags", List, false, &["etiquetas", "tags", "categories", "categorias"]),
    f(C, "uid", Text, false, &["uid", "vcard uid", "identificador externo"]),
    f(
        C,
        "revisedOn",
        Date,
        false,
        &["ultima modificacion", "modificado", "modificada", "rev", "last modified", "revised"],
    ),
    f(
        A,
        "folio",
        Text,
        false,
        &["folio", "clave", "numero de instrumento", "numero de convenio", "numero de folio"],
    ),
    f(
        A,
        "title",
        Text,
        false,
        &[
            "titulo",
            "nombre",
            "nombre del instrumento",
            "denominacion",
            "denominacion del convenio",
            "instrumento",
            "convenio",
            "title",
            "name",
        ],
    ),
    f(
        A,
        "kind",
        Choice("agreementKind"),
        false,
        &["tipo", "tipo de instrumento", "tipo de convenio", "kind", "type"],
    ),
    f(
        A,
        "purpose",
        Text,
        false,
        &["objeto", "objetivo", "objetivos", "objeto del convenio", "purpose", "objective"],
    ),
    f(
        A,
        "counterparts",
        Organizations,
        false,
        &[
            "contraparte",
            "contrapartes",
            "organizacion",
            "organismo",
            "institucion",
            "con quien se celebra",
            "counterpart",
            "counterparts",
            "partner",
        ],
    ),
    f(A, "status", Choice("agreementStatus"), false, &["estado", "estatus", "situacion", "status"]),
    f(
        A,
        "signedOn",
        Date,
        false,
        &["fecha de firma", "firma", "fecha de suscripcion", "signed", "signed on", "date signed"],
    ),
    f(
        A,
        "validFrom",
        Date,
        false,
        &[
            "inicio de vigencia",
            "vigencia desde",
            "inicio",
            "desde",
            "fecha de inicio",
            "valid from",
            "start",
        ],
    ),
    f(
        A,
        "validUntil",
        Date,
        false,
        &[
            "fin de vigencia",
            "termino de vigencia",
            "vigencia hasta",
            "vigencia",
            "vence",
            "vencimiento",
            "hasta",
            "fecha de termino",
            "valid until",
            "end",
            "expiry",
            "expires",
        ],
    ),
    f(A, "renewal", Choice("renewal"), false, &["renovacion", "renewal"]),
    f(A, "noticeDays", Number, false, &["dias de aviso", "aviso", "aviso dias", "notice days", "notice"]),
    f(
        A,
        "iecmArea",
        Text,
        false,
        &[
            "area",
            "area responsable",
            "unidad responsable",
            "area del iecm",
            "unidad administrativa",
            "area iecm",
            "iecm area",
        ],
    ),
    f(A, "publicMoney", Flag, false, &["recursos publicos", "recursos", "public money"]),
    f(A, "notes", Text, true, &["notas", "observaciones", "comentarios", "notes"]),
];

/// The field each header most likely names (or none): a remembered choice first, then an
/// exact header match; a field that cannot repeat is given to its first column only.
pub fn guess(
    target: TableTarget,
    headers: &[String],
    remembered: &dyn Fn(&str) -> Option<Option<String>>,
) -> Vec<Option<String>> {
    let mut taken: Vec<&str> = Vec::new();
    headers
        .iter()
        .map(|h| {
            let folded = fold_words(h);
            let field = match remembered(&folded) {
                Some(choice) => choice.and_then(|name| target.field(&name)),
                None => target.fields().find(|f| f.headers.contains(&folded.as_str())),
            }?;
            if !field.repeat && taken.contains(&field.name) {
                return None;
            }
            taken.push(field.name);
            Some(field.name.to_owned())
        })
        .collect()
}

/// A cell read for a field.
pub enum Value {
    Text(String),
    /// A day as `AAAA-MM-DD`, or the text as written when it is not one (validation names it).
    Date(String),
    Choice(&'static str),
    Choices(Vec<&'static str>),
    List(Vec<String>),
    Number(u32),
    Flag(bool),
    Names(Vec<String>),
}

/// Splits a list cell: `;` and line breaks always, `,` too unless `keep_commas`.
fn split(s: &str, keep_commas: bool) -> Vec<String> {
    s.split(|c| c == ';' || c == '\n' || (!keep_commas && c == ','))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The largest number of days a notice window may hold (`validate::MAX_NOTICE_DAYS`).
const MAX_NUMBER: f64 = crate::validate::MAX_NOTICE_DAYS as f64;

/// A cell read as `spec`'s value; refused, with the text that could not be read as `value`
/// (a choice that is none, a number out of range or not a number, a yes/no that is neither).
pub fn read(spec: &FieldSpec, cell: &Cell) -> Result<Value, Violation> {
    let text = cell.text();
    let refuse = |code: Code, text: &str| Violation::new(spec.name, code).with("value", text);
    Ok(match spec.shape {
        Text => Value::Text(text),
        Date => Value::Date(match cell {
            Cell::Date(d) => d.to_string(),
            Cell::Number(n) => serial_date(*n).map_or(text, |d| d.to_string()),
            // A CSV saved from a workbook whose date column was not formatted carries the
            // serial number as text.
            _ => day(&text)
                .or_else(|| text.trim().parse::<u32>().ok().and_then(|n| serial_date(n.into())))
                .map_or(text, |d| d.to_string()),
        }),
        Choice(group) => Value::Choice(
            Lang::enum_value(group, &text)
                .or_else(|| alias(group, &text))
                .ok_or_else(|| refuse(Code::InvalidChoice, &text))?,
        ),
        Choices(group) => Value::Choices(
            split(&text, false)
                .iter()
                .map(|p| Lang::enum_value(group, p).ok_or_else(|| refuse(Code::InvalidChoice, p)))
                .collect::<Result<_, _>>()?,
        ),
        List => Value::List(match cell {
            Cell::List(values) => {
                values.iter().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()).collect()
            }
            _ => split(&text, false),
        }),
        Number => {
            let n = text.trim().parse::<f64>().map_err(|_| refuse(Code::NotANumber, &text))?;
            if n.fract() != 0.0 || !(0.0..=MAX_NUMBER).contains(&n) {
                return Err(refuse(Code::OutOfRange, &text).with("min", 0).with("max", MAX_NUMBER as u32));
            }
            Value::Number(n as u32)
        }
        Flag => Value::Flag(match cell {
            Cell::Bool(b) => *b,
            Cell::Number(n) => *n != 0.0,
            _ => match fold_words(&text).as_str() {
                "si" | "yes" | "x" | "true" | "verdadero" | "1" => true,
                "no" | "false" | "falso" | "0" | "" => false,
                _ => return Err(refuse(Code::NotYesOrNo, &text)),
            },
        }),
        Organizations => Value::Names(split(&text, true)),
    })
}

/// Words offices write for some values that are not the interface's labels.
fn alias(group: &str, text: &str) -> Option<&'static str> {
    Some(match (group, fold_words(text).as_str()) {
        ("agreementStatus", "vigente" | "activo" | "en vigor") => "inForce",
        ("agreementStatus", "firmado" | "suscrito") => "signed",
        ("agreementStatus", "negociacion" | "en negociacion" | "en tramite") => "negotiation",
        ("agreementStatus", "concluido" | "terminado" | "vencido" | "expired") => "concluded",
        ("agreementStatus", "rescindido" | "cancelado") => "rescinded",
        ("agreementKind", "convenio marco" | "marco") => "frameworkAgreement",
        ("agreementKind", "convenio especifico" | "especifico") => "specificAgreement",
        ("agreementKind", "convenio de apoyo" | "convenio de colaboracion" | "colaboracion") => {
            "supportAgreement"
        }
        ("agreementKind", "carta de intencion" | "carta intencion") => "letterOfIntent",
        ("agreementKind", "memorandum de entendimiento" | "memorando" | "mou") => "memorandum",
        ("agreementKind", "adenda" | "addendum" | "convenio modificatorio") => "addendum",
        _ => return None,
    })
}

/// A day written `AAAA-MM-DD`, `dd/mm/aaaa` or `dd-mm-aaaa` (the office writes day first).
pub fn day(s: &str) -> Option<Date> {
    let s = s.trim();
    let s = s.split([' ', 'T']).next().unwrap_or(s);
    if let Ok(d) = s.parse::<Date>() {
        return Some(d);
    }
    let parts: Vec<&str> = s.split(['/', '-', '.']).collect();
    let [d, m, y] = parts[..] else { return None };
    let (d, m, y): (i8, i8, i16) = (d.parse().ok()?, m.parse().ok()?, y.parse().ok()?);
    // Two digits as Excel reads them: 00–29 this century, 30–99 the last.
    let y = match y {
        0..=29 => 2000 + y,
        30..=99 => 1900 + y,
        _ => y,
    };
    Date::new(y, m, d).ok()
}

/// A spreadsheet's serial day number (days since 1899-12-30, as Excel and LibreOffice count
/// in the 1900 system) as a day, when it is a plausible one (years 1950–2100).
fn serial_date(n: f64) -> Option<Date> {
    if !(18_264.0..=73_051.0).contains(&n) {
        return None;
    }
    let epoch = Date::new(1899, 12, 30).ok()?;
    epoch.checked_add(jiff::Span::new().days(n.floor() as i64)).ok()
}

/// E-mails or phones from the cells of their columns, labelled with the column's header.
pub fn labeled(values: &[(String, String)]) -> Vec<Labeled> {
    values
        .iter()
        .flat_map(|(header, v)| split(v, false).into_iter().map(move |value| (header, value)))
        .map(|(header, value)| Labeled { label: header.clone(), value })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_read_as_the_office_writes_them() {
        assert_eq!(day("24/11/2026"), Date::new(2026, 11, 24).ok());
        assert_eq!(day("2026-11-24"), Date::new(2026, 11, 24).ok());
        assert_eq!(day("05-01-27"), Date::new(2027, 1, 5).ok());
        assert_eq!(day("31/12/99"), Date::new(1999, 12, 31).ok(), "the IECM signs since 1999");
        assert_eq!(day("31/02/2026"), None);
        assert_eq!(serial_date(46350.0), Date::new(2026, 11, 24).ok());
        assert_eq!(serial_date(12.0), None);
    }

    #[test]
    fn headers_are_guessed_once_per_field_and_remembered_choices_win() {
        let headers: Vec<String> = ["Folio", "Denominación del convenio", "Fecha de firma", "Folio", "Algo"]
            .map(String::from)
            .to_vec();
        let none = |_: &str| None;
        let got = guess(TableTarget::Agreement, &headers, &none);
        assert_eq!(
            got,
            vec![Some("folio".into()), Some("title".into()), Some("signedOn".into()), None, None]
        );
        let remembered = |h: &str| (h == "algo").then(|| Some("purpose".to_owned()));
        assert_eq!(guess(TableTarget::Agreement, &headers, &remembered)[4].as_deref(), Some("purpose"));
    }

    #[test]
    fn aliases_name_values_the_labels_have() {
        for (group, text) in
            [("agreementStatus", "Vigente"), ("agreementKind", "MOU"), ("agreementKind", "Adenda")]
        {
            let value = alias(group, text).expect("an alias");
            assert!(Lang::enum_values(group).contains(&value), "{group}.{value}");
        }
    }

    #[test]
    fn every_choice_names_a_group_the_labels_have() {
        for spec in FIELDS {
            if let Choice(g) | Choices(g) = spec.shape {
                assert!(!Lang::enum_values(g).is_empty(), "{g} has labels");
            }
        }
    }
}
