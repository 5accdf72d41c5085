//! vCard files in and out (`docs/vcard.md`). A `.vcf` written by Outlook, Google Contacts,
//! Apple Contacts or Thunderbird — vCard 2.1, 3.0 or 4.0, several cards, folded lines,
//! quoted-printable and the charsets of old exports — is read by calcard into one sheet of
//! people, which the spreadsheet import plans and imports as it does a workbook's (the same
//! review, duplicate rules and atomic change). People are written as vCard 4.0, or 3.0 for
//! Outlook, each with a `UID` made from its id, so that a card imported back finds its person.

use super::calendar::{day_of, offset_of};
use super::table::{Cell, Sheet, TableFormat, Workbook, begins_with, decode};
use crate::error::{Code, Error, Result, Violation};
use crate::labels::Lang;
use crate::model::{Contact, Id, Labeled};
use crate::store::Store;
use crate::text::fold_words;
use calcard::vcard::{
    VCard, VCardEntry, VCardKind, VCardParameter, VCardParameterName, VCardParameterValue, VCardProperty,
    VCardType, VCardValue, VCardVersion,
};
use calcard::{Entry, Parser};
use serde::{Deserialize, Serialize};

/// How much of a part of a file that could not be read the user is shown.
const SNIPPET_CHARS: usize = 60;

/// The vCard version a file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum VcardVersion {
    /// vCard 4.0 (RFC 6350): Thunderbird, Apple and Google Contacts, Nextcloud.
    #[serde(rename = "4.0")]
    V4,
    /// vCard 3.0 (RFC 2426): what Outlook reads best.
    #[serde(rename = "3.0")]
    V3,
}

/// The `UID` this app gives a person's card: `urn:uuid:` and the UUID of its id.
pub fn uid_of(id: &Id) -> String {
    let hex = id.as_str().split_once('_').map_or("", |(_, hex)| hex);
    if hex.len() == 32 {
        let (a, rest) = hex.split_at(8);
        let (b, rest) = rest.split_at(4);
        let (c, rest) = rest.split_at(4);
        let (d, e) = rest.split_at(4);
        format!("urn:uuid:{a}-{b}-{c}-{d}-{e}")
    } else {
        id.as_str().to_owned()
    }
}

/// Whether `bytes` are a vCard file: its first line (after a byte-order mark and blank lines)
/// opens a card.
pub fn is_vcard(bytes: &[u8]) -> bool {
    begins_with(bytes, "begin:vcard")
}

/// A column of the sheet a vCard file becomes: the field it fills, and for e-mails and phones
/// the label its values get (the column's header).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Column {
    Name,
    Honorific,
    Organization,
    Post,
    Email(String),
    Phone(String),
    Languages,
    Notes,
    Tags,
    Uid,
    /// When the card was last changed (`REV`): an older card does not undo the office's edits.
    Revised,
}

impl Column {
    fn field(&self) -> &'static str {
        match self {
            Column::Name => "fullName",
            Column::Honorific => "honorific",
            Column::Organization => "organization",
            Column::Post => "post",
            Column::Email(_) => "email",
            Column::Phone(_) => "phone",
            Column::Languages => "languages",
            Column::Notes => "notes",
            Column::Tags => "tags",
            Column::Uid => "uid",
            Column::Revised => "revisedOn",
        }
    }

    fn header(&self, lang: Lang) -> String {
        match self {
            Column::Email(label) | Column::Phone(label) => label.clone(),
            other => lang.t(&format!("vcard.{}", other.field())).to_owned(),
        }
    }

    /// The order columns take in the sheet: names first, e-mails and phones in the order the
    /// file first names their labels, then the rest.
    fn rank(&self) -> u8 {
        match self {
            Column::Name => 0,
            Column::Honorific => 1,
            Column::Organization => 2,
            Column::Post => 3,
            Column::Email(_) => 4,
            Column::Phone(_) => 5,
            Column::Languages => 6,
            Column::Notes => 7,
            Column::Tags => 8,
            Column::Uid => 9,
            Column::Revised => 10,
        }
    }
}

/// Reads a vCard file into one sheet of people with the fields of its columns fixed, and the
/// parts that could not be read (`Workbook::skipped`). Refused only when it holds no card.
pub fn read(bytes: &[u8], lang: Lang) -> Result<Workbook> {
    let text = decode(bytes);
    let cut_off = unterminated_cards(&text);
    let mut parser = Parser::new(&text);
    // One entry per card, in the file's order: a person's cells, or none for a card skipped
    // (its row is left empty, so that a row's number is its card's).
    let mut people: Vec<Option<Vec<(Column, String)>>> = Vec::new();
    let mut skipped = Vec::new();
    let mut cards = 0usize;
    loop {
        match parser.entry() {
            Entry::Eof | Entry::TooManyComponents => break,
            Entry::VCard(card) => {
                cards += 1;
                if cut_off.contains(&cards) {
                    skipped.push(Violation::new("card", Code::CutOff).with("n", cards));
                    people.push(None);
                } else if is_person(&card) {
                    people.push(Some(person(&card, lang)));
                } else {
                    skipped.push(Violation::new("card", Code::NotAPerson).with("n", cards));
                    people.push(None);
                }
            }
            Entry::InvalidLine(line) if line.trim().is_empty() => {}
            Entry::InvalidLine(line) => {
                skipped.push(Violation::new("file", Code::UnreadableEntry).with("text", snippet(&line)))
            }
            Entry::UnterminatedComponent(_) => {
                cards += 1;
                skipped.push(Violation::new("card", Code::CutOff).with("n", cards));
                people.push(None);
            }
            // Calendar data, a stray END (and whatever later versions of the parser report).
            _ => skipped.push(Violation::new("file", Code::UnreadableEntry)),
        }
    }
    if cards == 0 {
        return Err(Error::invalid("file", Code::MalformedFile));
    }
    let mut columns: Vec<Column> = vec![Column::Name];
    for person in people.iter().flatten() {
        for (column, _) in person {
            if !columns.contains(column) {
                columns.push(column.clone());
            }
        }
    }
    // A stable sort: e-mails and phones keep the order their labels first came in.
    columns.sort_by_key(Column::rank);
    let mut rows = vec![columns.iter().map(|c| Cell::Text(c.header(lang))).collect::<Vec<_>>()];
    for person in &people {
        let Some(person) = person else {
            rows.push(Vec::new());
            continue;
        };
        rows.push(
            columns
                .iter()
                .map(|column| {
                    let mut values: Vec<String> =
                        person.iter().filter(|(c, _)| c == column).map(|(_, v)| v.clone()).collect();
                    match (values.len(), column) {
                        (0, _) => Cell::Empty,
                        (_, Column::Notes) => Cell::Text(values.join("\n\n")),
                        (1, _) => Cell::Text(values.remove(0)),
                        // Several values share the cell, each whole (a tag may hold a comma).
                        _ => Cell::List(values),
                    }
                })
                .collect(),
        );
    }
    let mapping = columns.iter().map(|c| Some(c.field().to_owned())).collect();
    let name = lang.t("vcard.sheet").to_owned();
    Ok(Workbook {
        format: TableFormat::Vcard,
        sheets: vec![Sheet { name, rows, mapping: Some(mapping) }],
        skipped,
    })
}

/// The numbers (from 1) of the cards that begin and never end: the file was cut off, or
/// another card began before the end of this one. What was read of them may be cut short.
fn unterminated_cards(text: &str) -> Vec<usize> {
    let (mut cards, mut open, mut cut) = (0, false, Vec::new());
    for line in text.lines() {
        let line = line.trim_start_matches('\u{feff}').trim();
        if line.eq_ignore_ascii_case("begin:vcard") {
            if open {
                cut.push(cards);
            }
            cards += 1;
            open = true;
        } else if line.eq_ignore_ascii_case("end:vcard") {
            open = false;
        }
    }
    if open {
        cut.push(cards);
    }
    cut
}

fn snippet(line: &str) -> String {
    let line = line.trim();
    match line.char_indices().nth(SNIPPET_CHARS) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.to_owned(),
    }
}

/// A card of a person (vCard 4.0's `KIND` says so, or says nothing): not one of an
/// organization, a group or a place.
fn is_person(card: &VCard) -> bool {
    let kind_ok = card.entries.iter().filter(|e| e.name == VCardProperty::Kind).all(|e| {
        e.values.iter().all(|v| matches!(v, VCardValue::Kind(VCardKind::Individual) | VCardValue::Text(_)))
    });
    // Apple's groups say so in a property of their own.
    let apple_group = card.entries.iter().any(|e| {
        matches!(&e.name, VCardProperty::Other(name) if name.eq_ignore_ascii_case("X-ADDRESSBOOKSERVER-KIND"))
            && e.values.iter().any(|v| text_of(v).eq_ignore_ascii_case("group"))
    });
    kind_ok && !apple_group
}

/// A value's text: a component list joined by spaces.
fn text_of(value: &VCardValue) -> String {
    match value {
        VCardValue::Text(s) => s.trim().to_owned(),
        VCardValue::Component(parts) => {
            parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ")
        }
        _ => String::new(),
    }
}

/// The cells of one card, by column.
fn person(card: &VCard, lang: Lang) -> Vec<(Column, String)> {
    let mut out = Vec::new();
    let first = |property: VCardProperty| -> Option<&VCardEntry> {
        card.entries.iter().find(|e| e.name == property && e.values.iter().any(|v| !text_of(v).is_empty()))
    };
    // N: family; given; additional; prefix; suffix.
    let n: Vec<String> =
        first(VCardProperty::N).map(|e| e.values.iter().map(text_of).collect()).unwrap_or_default();
    let part = |i: usize| n.get(i).cloned().unwrap_or_default();
    let honorific = part(3);
    let formatted =
        first(VCardProperty::Fn).map(|e| e.values.iter().map(text_of).collect::<Vec<_>>().join(" "));
    let name = match formatted {
        // Outlook writes the honorific into the formatted name too: it has a field of its own.
        Some(f) if !honorific.is_empty() => f
            .strip_prefix(&honorific)
            .filter(|rest| rest.starts_with(char::is_whitespace))
            .map_or(f.clone(), |rest| rest.trim().to_owned()),
        Some(f) => f,
        None => [part(1), part(2), part(0), part(4)]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
    };
    out.push((Column::Name, name));
    out.push((Column::Honorific, honorific));
    if let Some(org) = first(VCardProperty::Org) {
        // The organization's name; a department after it is not an organization of its own.
        out.push((Column::Organization, org.values.first().map(text_of).unwrap_or_default()));
    }
    if let Some(title) = first(VCardProperty::Title) {
        out.push((Column::Post, title.values.iter().map(text_of).collect::<Vec<_>>().join(" ")));
    }
    for entry in &card.entries {
        let value = || entry.values.iter().map(text_of).collect::<Vec<_>>().join(" ");
        match entry.name {
            VCardProperty::Email => out.push((Column::Email(label(entry, lang, true)), value())),
            VCardProperty::Tel => {
                // vCard 4.0 may write a `tel:` URI, its extension as `;ext=`.
                let number = value();
                let number = number.strip_prefix("tel:").unwrap_or(&number).replace(";ext=", " ext. ");
                out.push((Column::Phone(label(entry, lang, false)), number));
            }
            VCardProperty::Lang => out.push((Column::Languages, value())),
            VCardProperty::Note => out.push((Column::Notes, value())),
            VCardProperty::Categories => {
                out.extend(entry.values.iter().map(text_of).map(|t| (Column::Tags, t)));
            }
            VCardProperty::Uid => out.push((Column::Uid, value())),
            VCardProperty::Rev => {
                let day = entry.values.iter().find_map(|v| match v {
                    VCardValue::PartialDateTime(d) => revised_day(d),
                    // A day alone, which the parser leaves as text: `20190602`, `2019-06-02`.
                    VCardValue::Text(t) => {
                        let digits: String = t.chars().filter(char::is_ascii_digit).take(8).collect();
                        let (y, m, d) = (digits.get(..4)?, digits.get(4..6)?, digits.get(6..8)?);
                        jiff::civil::Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
                    }
                    _ => None,
                });
                out.extend(day.map(|d| (Column::Revised, d.to_string())));
            }
            _ => {}
        }
    }
    out.retain(|(_, v)| !v.trim().is_empty());
    out
}

/// The office's day a card was last changed (`REV`): a time in UTC or at an offset is moved to
/// the office's clock (what the person's own last change is compared with); a day alone is
/// taken as it is.
fn revised_day(rev: &calcard::common::PartialDateTime) -> Option<jiff::civil::Date> {
    let day = day_of(rev)?;
    let (Some(hour), Some(offset)) = (rev.hour, offset_of(rev)) else { return Some(day) };
    let time = jiff::civil::Time::new(
        hour as i8,
        rev.minute.unwrap_or(0) as i8,
        rev.second.unwrap_or(0).min(59) as i8,
        0,
    )
    .ok()?;
    Some(crate::clock::office_today(offset.to_timestamp(day.to_datetime(time)).ok()?))
}

/// The label an e-mail or a phone gets from its `TYPE`: the office's words for work, home,
/// mobile, fax and pager, else the kind of value itself.
fn label(entry: &VCardEntry, lang: Lang, email: bool) -> String {
    let mut types = Vec::new();
    for p in &entry.params {
        match (&p.name, &p.value) {
            (VCardParameterName::Type, VCardParameterValue::Type(t)) => types.push(t.clone()),
            (VCardParameterName::Type, VCardParameterValue::Text(t)) => {
                // Old cards name types freely: `x-mobil`, `CELL` as text.
                match fold_words(t).as_str() {
                    "cell" | "mobile" | "x mobil" | "movil" | "celular" => types.push(VCardType::Cell),
                    "work" | "trabajo" | "oficina" => types.push(VCardType::Work),
                    "home" | "casa" => types.push(VCardType::Home),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    let key = [
        (VCardType::Cell, "vcard.cell"),
        (VCardType::Fax, "vcard.fax"),
        (VCardType::Pager, "vcard.pager"),
        (VCardType::Work, "vcard.work"),
        (VCardType::Home, "vcard.home"),
    ]
    .into_iter()
    .find(|(t, _)| types.contains(t))
    .map_or(if email { "vcard.email" } else { "vcard.phone" }, |(_, key)| key);
    lang.t(key).to_owned()
}

/// The `TYPE` a label says, when it names one the other programs know.
fn type_of(label: &str, email: bool) -> Option<VCardType> {
    let words = fold_words(label);
    let has = |list: &[&str]| words.split(' ').any(|w| list.contains(&w));
    if !email && has(&["movil", "celular", "cel", "mobile", "cell"]) {
        Some(VCardType::Cell)
    } else if !email && has(&["fax"]) {
        Some(VCardType::Fax)
    } else if has(&["oficina", "trabajo", "institucional", "work", "office", "business"]) {
        Some(VCardType::Work)
    } else if has(&["personal", "casa", "particular", "home", "private"]) {
        Some(VCardType::Home)
    } else {
        None
    }
}

/// One person's card. A person marked as holding sensitive data goes without notes.
fn card(contact: &Contact, organization: Option<String>, version: VCardVersion) -> VCard {
    use VCardProperty as P;
    let text = |s: &str| VCardValue::Text(s.to_owned());
    let mut entries = vec![
        VCardEntry::new(P::Prodid).with_value("-//IECM//Vínculo//ES".to_owned()),
        VCardEntry::new(P::Uid).with_value(uid_of(&contact.id)),
        VCardEntry::new(P::Fn).with_value(contact.full_name.clone()),
        // Only the formatted name is kept: the structured name gives it whole as the given
        // name (guessing a surname out of it would be wrong for most names).
        VCardEntry::new(P::N).with_values(vec![
            text(""),
            text(&contact.full_name),
            text(""),
            text(&contact.honorific),
            text(""),
        ]),
    ];
    if let Some(org) = organization.filter(|o| !o.is_empty()) {
        entries.push(VCardEntry::new(P::Org).with_value(org));
    }
    if !contact.post.is_empty() {
        entries.push(VCardEntry::new(P::Title).with_value(contact.post.clone()));
    }
    for (property, list, email) in [(P::Email, &contact.emails, true), (P::Tel, &contact.phones, false)] {
        for Labeled { label, value } in list {
            let mut entry = VCardEntry::new(property.clone()).with_value(value.clone());
            if let Some(t) = type_of(label, email) {
                entry.add_param(VCardParameter::typ(t));
            }
            entries.push(entry);
        }
    }
    // LANG is vCard 4.0's: 3.0 has no property for it.
    for language in contact.languages.iter().filter(|_| version == VCardVersion::V4_0) {
        let mut entry = VCardEntry::new(P::Lang).with_value(language.clone());
        if contact.preferred_language.as_ref() == Some(language) {
            entry.add_param(VCardParameter::pref(1u32));
        }
        entries.push(entry);
    }
    if !contact.tags.is_empty() {
        entries
            .push(VCardEntry::new(P::Categories).with_values(contact.tags.iter().map(|t| text(t)).collect()));
    }
    if !contact.notes.is_empty() && !contact.sensitive_data {
        entries.push(VCardEntry::new(P::Note).with_value(contact.notes.clone()));
    }
    if let Some(updated) = contact.updated_at {
        let stamp = updated.strftime("%Y%m%dT%H%M%SZ").to_string();
        entries.push(VCardEntry::new(P::Rev).with_value(stamp));
    }
    VCard { entries }
}

impl Store {
    /// The people `ids` names as one vCard file, in `version`, in the order given. Each
    /// person's organization is named by its name in Spanish (or English).
    pub fn vcards(&self, ids: &[Id], version: VcardVersion) -> Result<String> {
        let version = match version {
            VcardVersion::V4 => VCardVersion::V4_0,
            VcardVersion::V3 => VCardVersion::V3_0,
        };
        let mut out = String::new();
        for id in ids {
            let contact: Contact = self.get(id)?;
            let organization = match &contact.organization_id {
                Some(org) => Some(self.get::<crate::model::Organization>(org)?.display_name().to_owned()),
                None => None,
            };
            card(&contact, organization, version)
                .write_to(&mut out, version)
                .expect("writing to a String cannot fail");
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rev(text: &str) -> calcard::common::PartialDateTime {
        let card = VCard::parse(format!("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:x\r\nREV:{text}\r\nEND:VCARD\r\n"))
            .expect("a card");
        let entry = card.entries.into_iter().find(|e| e.name == VCardProperty::Rev).expect("REV");
        match entry.values.into_iter().next() {
            Some(VCardValue::PartialDateTime(d)) => d,
            other => panic!("not a date: {other:?}"),
        }
    }

    fn revised_column(text: &str) -> Option<String> {
        let card = VCard::parse(format!("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:x\r\nREV:{text}\r\nEND:VCARD\r\n"))
            .expect("a card");
        person(&card, Lang::Es).into_iter().find(|(c, _)| *c == Column::Revised).map(|(_, v)| v)
    }

    #[test]
    fn a_card_is_dated_by_the_office_day_of_its_last_change() {
        // 01:30 UTC on the 6th is 19:30 on the 5th in Mexico City.
        assert_eq!(revised_day(&rev("20261206T013000Z")), jiff::civil::Date::new(2026, 12, 5).ok());
        assert_eq!(revised_day(&rev("20261206T180000Z")), jiff::civil::Date::new(2026, 12, 6).ok());
        assert_eq!(revised_column("20190602").as_deref(), Some("2019-06-02"), "a day alone");
        assert_eq!(revised_column("20261206T013000Z").as_deref(), Some("2026-12-05"));
    }
}
