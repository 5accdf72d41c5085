//! Normalization and validation of every record before it is stored.
//!
//! Each `check_*` function cleans the record in place (NFC, control characters, whitespace,
//! canonical dates) and returns every rule it breaks. References are checked against a
//! [`Lookup`] so that this module needs no store.

use crate::error::{Code, Violation};
use crate::model::{
    Activity, Agreement, AnyRecord, Commitment, CommitmentSource, Contact, Document, Id, Labeled,
    MAX_DOCUMENT_BYTES, Meeting, Organization, RecordKind,
};
use crate::text::{clean_line, clean_name, clean_text, fold};
use jiff::civil::Date;

/// Names and titles: at most this many characters.
pub const MAX_NAME_CHARS: usize = 300;
/// Free text (notes, minutes, agenda…): at most this many bytes of UTF-8.
pub const MAX_TEXT_BYTES: usize = 100 * 1024;
/// Short single-line values: labels, acronyms, honorifics, tags.
pub const MAX_SHORT_CHARS: usize = 80;
pub const MAX_URL_CHARS: usize = 2048;
pub const MAX_EMAIL_CHARS: usize = 254;
/// Entries in a list (e-mails, tags, attendees, commitments of one save…).
pub const MAX_LIST: usize = 200;
pub const MIN_YEAR: i16 = 1900;
pub const MAX_YEAR: i16 = 2200;
/// A meeting lasts at most a week.
pub const MAX_DURATION_MINUTES: u32 = 7 * 24 * 60;
/// Notice windows beyond ten years make no sense.
pub const MAX_NOTICE_DAYS: u32 = 3650;
/// People an activity reaches: more than a country's electorate is a typing error.
pub const MAX_PEOPLE: u32 = 100_000_000;
/// Hours of training one person takes in one activity (a diploma course runs to a few hundred).
pub const MAX_HOURS: f64 = 2000.0;
/// A contribution's amount, in pesos.
pub const MAX_AMOUNT: f64 = 1e12;

/// What validation needs to know about the rest of the store.
pub(crate) trait Lookup {
    fn exists(&self, kind: RecordKind, id: &Id) -> bool;
    fn agreement_parent(&self, id: &Id) -> Option<Id>;
    /// The agreement holding this folio (compared folded), if any.
    fn folio_owner(&self, folded_folio: &str) -> Option<Id>;
}

/// Collects violations while cleaning fields.
struct Check<'a> {
    prefix: String,
    lookup: &'a dyn Lookup,
    found: Vec<Violation>,
}

impl<'a> Check<'a> {
    fn new(prefix: &str, lookup: &'a dyn Lookup) -> Check<'a> {
        Check { prefix: prefix.to_owned(), lookup, found: Vec::new() }
    }

    fn path(&self, field: &str) -> String {
        format!("{}{}", self.prefix, field)
    }

    fn push(&mut self, field: &str, code: Code) -> &mut Violation {
        let path = self.path(field);
        self.found.push(Violation::new(path, code));
        self.found.last_mut().expect("just pushed")
    }

    fn too_long(&mut self, field: &str, max: usize, unit: &str) {
        let v = self.push(field, Code::TooLong);
        v.params.insert("max".into(), max.into());
        v.params.insert("unit".into(), unit.into());
    }

    fn required(&mut self, field: &str, value: &str) {
        if value.is_empty() {
            self.push(field, Code::Required);
        }
    }

    fn chars(&mut self, field: &str, value: &str, max: usize) {
        if value.chars().count() > max {
            self.too_long(field, max, "chars");
        }
    }

    /// A name or title.
    fn name(&mut self, field: &str, value: &mut String, required: bool) {
        *value = clean_name(value);
        if required {
            self.required(field, value);
        }
        self.chars(field, value, MAX_NAME_CHARS);
    }

    /// A short name (an acronym): a name of at most [`MAX_SHORT_CHARS`].
    fn short_name(&mut self, field: &str, value: &mut String) {
        *value = clean_name(value);
        self.chars(field, value, MAX_SHORT_CHARS);
    }

    /// A single-line value up to `max` characters.
    fn line(&mut self, field: &str, value: &mut String, max: usize) {
        *value = clean_line(value);
        self.chars(field, value, max);
    }

    /// Multi-line free text.
    fn text(&mut self, field: &str, value: &mut String) {
        *value = clean_text(value);
        if value.len() > MAX_TEXT_BYTES {
            self.too_long(field, MAX_TEXT_BYTES, "bytes");
        }
    }

    /// Whether a violation was already found for `field`.
    fn has(&self, field: &str) -> bool {
        let path = self.path(field);
        self.found.iter().any(|v| v.field == path)
    }

    /// A count of at most `max`.
    fn count(&mut self, field: &str, value: Option<u32>, max: u32) {
        if value.is_some_and(|n| n > max) {
            let v = self.push(field, Code::OutOfRange);
            v.params.insert("min".into(), 0.into());
            v.params.insert("max".into(), max.into());
        }
    }

    /// A quantity within `min..=max`, kept to two decimals.
    fn amount(&mut self, field: &str, value: &mut Option<f64>, min: f64, max: f64) {
        let Some(n) = *value else { return };
        if !n.is_finite() || n < min || n > max {
            let v = self.push(field, Code::OutOfRange);
            v.params.insert("min".into(), min.into());
            v.params.insert("max".into(), max.into());
        } else {
            *value = Some((n * 100.0).round() / 100.0);
        }
    }

    fn list_len<T>(&mut self, field: &str, list: &[T]) {
        if list.len() > MAX_LIST {
            self.push(field, Code::TooMany).params.insert("max".into(), MAX_LIST.into());
        }
    }

    fn date(&mut self, field: &str, value: &mut Option<String>) -> Option<Date> {
        let raw = clean_line(value.as_deref().unwrap_or(""));
        if raw.is_empty() {
            *value = None;
            return None;
        }
        match parse_date(&raw) {
            Some(date) if (MIN_YEAR..=MAX_YEAR).contains(&date.year()) => {
                *value = Some(date.to_string());
                Some(date)
            }
            Some(_) => {
                let v = self.push(field, Code::OutOfRange);
                v.params.insert("min".into(), MIN_YEAR.into());
                v.params.insert("max".into(), MAX_YEAR.into());
                None
            }
            None => {
                self.push(field, Code::InvalidDate);
                None
            }
        }
    }

    fn required_date(&mut self, field: &str, value: &mut String) -> Option<Date> {
        let mut opt = Some(std::mem::take(value));
        let date = self.date(field, &mut opt);
        match opt {
            Some(s) => *value = s,
            None if !self.has(field) => {
                self.push(field, Code::Required);
            }
            None => {}
        }
        date
    }

    fn date_range(&mut self, end_field: &str, start: Option<Date>, end: Option<Date>) {
        if let (Some(start), Some(end)) = (start, end)
            && end < start
        {
            self.push(end_field, Code::EndBeforeStart);
        }
    }

    fn reference(&mut self, field: &str, id: &Option<Id>, kind: RecordKind) {
        if let Some(id) = id {
            self.reference_one(field, id, kind);
        }
    }

    fn reference_one(&mut self, field: &str, id: &Id, kind: RecordKind) {
        if !self.lookup.exists(kind, id) {
            let v = self.push(field, Code::MissingReference);
            v.params.insert("kind".into(), serde_json::to_value(kind).unwrap_or_default());
        }
    }

    fn references(&mut self, field: &str, ids: &mut Vec<Id>, kind: RecordKind) {
        dedup(ids);
        self.list_len(field, ids);
        for (i, id) in ids.iter().enumerate() {
            self.reference_one(&format!("{field}[{i}]"), id, kind);
        }
    }

    fn url(&mut self, field: &str, value: &mut String) {
        *value = clean_line(value);
        if value.is_empty() {
            return;
        }
        if !value.contains("://") && !value.contains(':') && value.contains('.') {
            *value = format!("https://{value}");
        }
        if value.chars().count() > MAX_URL_CHARS {
            self.too_long(field, MAX_URL_CHARS, "chars");
        } else if !is_web_url(value) {
            self.push(field, Code::InvalidUrl);
        }
    }

    fn tags(&mut self, field: &str, tags: &mut Vec<String>) {
        let mut seen = Vec::new();
        tags.retain_mut(|t| {
            *t = clean_name(t);
            let key = fold(t);
            let keep = !t.is_empty() && !seen.contains(&key);
            seen.push(key);
            keep
        });
        self.list_len(field, tags);
        for (i, tag) in tags.iter().enumerate() {
            self.chars(&format!("{field}[{i}]"), tag, MAX_SHORT_CHARS);
        }
    }

    /// Labelled values: drops entries with neither label nor value, checks each value with
    /// `valid` and normalizes it with `normalize`.
    fn labeled(
        &mut self,
        field: &str,
        list: &mut Vec<Labeled>,
        code: Code,
        normalize: fn(&str) -> String,
        valid: fn(&str) -> bool,
    ) {
        for entry in list.iter_mut() {
            entry.label = clean_line(&entry.label);
            entry.value = normalize(&clean_line(&entry.value));
        }
        list.retain(|e| !(e.label.is_empty() && e.value.is_empty()));
        self.list_len(field, list);
        for (i, entry) in list.iter().enumerate() {
            self.chars(&format!("{field}[{i}].label"), &entry.label, MAX_SHORT_CHARS);
            let value_field = format!("{field}[{i}].value");
            if entry.value.is_empty() {
                self.push(&value_field, Code::Required);
            } else if entry.value.chars().count() > MAX_EMAIL_CHARS {
                self.too_long(&value_field, MAX_EMAIL_CHARS, "chars");
            } else if !valid(&entry.value) {
                self.push(&value_field, code);
            }
        }
    }

    /// Identifiers from other programs: single lines, each once, none empty.
    fn uids(&mut self, field: &str, uids: &mut Vec<String>) {
        let mut seen = Vec::new();
        uids.retain_mut(|u| {
            *u = clean_line(u);
            let keep = !u.is_empty() && !seen.contains(u);
            seen.push(u.clone());
            keep
        });
        self.list_len(field, uids);
        for (i, uid) in uids.iter().enumerate() {
            self.chars(&format!("{field}[{i}]"), uid, MAX_URL_CHARS);
        }
    }

    fn language(&mut self, field: &str, value: &mut String) {
        *value = clean_line(value).to_ascii_lowercase().replace('_', "-");
        if !is_language_tag(value) {
            self.push(field, Code::InvalidLanguage);
        }
    }
}

fn dedup<T: Eq + std::hash::Hash + Clone>(items: &mut Vec<T>) {
    let mut seen = std::collections::HashSet::new();
    items.retain(|item| seen.insert(item.clone()));
}

/// `YYYY-MM-DD` only, and a real day of the calendar.
pub fn parse_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return None;
    }
    let year: i16 = s[0..4].parse().ok()?;
    let month: i8 = s[5..7].parse().ok()?;
    let day: i8 = s[8..10].parse().ok()?;
    Date::new(year, month, day).ok()
}

/// `H:MM` or `HH:MM`, 24-hour clock; returns the canonical `HH:MM`.
pub fn parse_time(s: &str) -> Option<String> {
    let (h, m) = s.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    if !h.bytes().chain(m.bytes()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (h, m): (u8, u8) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then(|| format!("{h:02}:{m:02}"))
}

/// A plausible e-mail address: one `@`, a local part without spaces or specials, a domain of
/// at least two labels with a top-level domain of letters.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else { return false };
    let local_ok = !local.is_empty()
        && local.chars().count() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| !c.is_whitespace() && !c.is_control() && !"()<>[]\\,;:@\"".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.chars().count() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels.last().is_some_and(|tld| tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic));
    local_ok && domain_ok
}

fn normalize_email(s: &str) -> String {
    match s.rsplit_once('@') {
        Some((local, domain)) => format!("{local}@{}", domain.to_lowercase()),
        None => s.to_owned(),
    }
}

/// A phone number as people write them: an optional leading `+`, 7 to 15 digits with spaces,
/// dashes, dots, slashes or parentheses between them, and an optional extension
/// (`ext. 123`, `extensión 12`, `x12`, `#12`). `+52 (55) 5483-3800 ext. 123` is one.
pub fn is_phone(s: &str) -> bool {
    let lower = s.to_lowercase();
    let (main, extension) = split_extension(&lower);
    if let Some(ext) = extension {
        let ext = ext.trim_start_matches([' ', '.', ':']).trim();
        if ext.is_empty() || ext.len() > 6 || !ext.bytes().all(|c| c.is_ascii_digit()) {
            return false;
        }
    }
    let main = main.trim().trim_end_matches(',').trim();
    let body = main.strip_prefix('+').unwrap_or(main);
    let digits = body.bytes().filter(u8::is_ascii_digit).count();
    let mut depth = 0i32;
    let chars_ok = body.chars().all(|c| {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        depth >= 0 && (c.is_ascii_digit() || " -./()".contains(c))
    });
    chars_ok
        && depth == 0
        && (7..=15).contains(&digits)
        && body.starts_with(|c: char| c.is_ascii_digit() || c == '(')
}

fn split_extension(s: &str) -> (&str, Option<&str>) {
    for marker in ["extensión", "extension", "ext", "x", "#"] {
        if let Some(at) = s.find(marker) {
            return (&s[..at], Some(&s[at + marker.len()..]));
        }
    }
    (s, None)
}

fn is_web_url(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    let Some(rest) = rest else { return false };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or("");
    let host = host.split(':').next().unwrap_or("");
    !host.is_empty()
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        && host.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.')
}

/// `es`, `en`, `fra`, `es-mx`: a language, optionally with a region.
fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let lang = parts.next().unwrap_or("");
    let lang_ok = (2..=3).contains(&lang.len()) && lang.bytes().all(|c| c.is_ascii_lowercase());
    let rest_ok = parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|c| c.is_ascii_alphanumeric()));
    lang_ok && rest_ok
}

fn into_result(check: Check<'_>) -> Vec<Violation> {
    check.found
}

pub(crate) fn check_organization(org: &mut Organization, lookup: &dyn Lookup) -> Vec<Violation> {
    let mut c = Check::new("", lookup);
    c.name("nameEs", &mut org.name_es, false);
    c.name("nameEn", &mut org.name_en, false);
    if org.name_es.is_empty() && org.name_en.is_empty() {
        c.push("nameEs", Code::Required);
    }
    c.short_name("acronymEs", &mut org.acronym_es);
    c.short_name("acronymEn", &mut org.acronym_en);
    org.country = clean_line(&org.country).to_ascii_uppercase();
    let is_code = org.country.len() == 2 && org.country.bytes().all(|b| b.is_ascii_uppercase());
    if !org.country.is_empty() && !is_code {
        c.push("country", Code::InvalidCountry);
    }
    c.line("city", &mut org.city, MAX_NAME_CHARS);
    c.url("website", &mut org.website);
    org.themes.sort();
    org.themes.dedup();
    c.reference("responsibleId", &org.responsible_id, RecordKind::Contact);
    c.text("notes", &mut org.notes);
    c.tags("tags", &mut org.tags);
    into_result(c)
}

pub(crate) fn check_contact(contact: &mut Contact, lookup: &dyn Lookup) -> Vec<Violation> {
    let mut c = Check::new("", lookup);
    c.name("fullName", &mut contact.full_name, true);
    c.line("honorific", &mut contact.honorific, MAX_SHORT_CHARS);
    c.line("post", &mut contact.post, MAX_NAME_CHARS);
    c.reference("organizationId", &contact.organization_id, RecordKind::Organization);
    c.date("postSince", &mut contact.post_since);
    c.list_len("postHistory", &contact.post_history);
    for (i, entry) in contact.post_history.iter_mut().enumerate() {
        let at = |f: &str| format!("postHistory[{i}].{f}");
        c.line(&at("post"), &mut entry.post, MAX_NAME_CHARS);
        c.name(&at("organizationName"), &mut entry.organization_name, false);
        c.reference(&at("organizationId"), &entry.organization_id, RecordKind::Organization);
        let from = c.date(&at("from"), &mut entry.from);
        let until = c.date(&at("until"), &mut entry.until);
        c.date_range(&at("until"), from, until);
    }
    c.labeled("emails", &mut contact.emails, Code::InvalidEmail, normalize_email, is_email);
    c.labeled("phones", &mut contact.phones, Code::InvalidPhone, str::to_owned, is_phone);
    let mut seen = Vec::new();
    contact.languages.retain(|l| {
        let key = clean_line(l).to_ascii_lowercase();
        let keep = !key.is_empty() && !seen.contains(&key);
        seen.push(key);
        keep
    });
    for (i, lang) in contact.languages.iter_mut().enumerate() {
        c.language(&format!("languages[{i}]"), lang);
    }
    c.list_len("languages", &contact.languages);
    if let Some(pref) = &mut contact.preferred_language {
        if clean_line(pref).is_empty() {
            contact.preferred_language = None;
        } else {
            c.language("preferredLanguage", pref);
            if !contact.languages.contains(pref) {
                contact.languages.push(pref.clone());
            }
        }
    }
    c.text("notes", &mut contact.notes);
    c.tags("tags", &mut contact.tags);
    c.date("privacyNoticeDate", &mut contact.privacy_notice_date);
    if contact.privacy_notice_date.is_some() && !contact.privacy_notice_given {
        c.push("privacyNoticeDate", Code::NoticeNotGiven);
    }
    c.uids("uids", &mut contact.uids);
    into_result(c)
}

pub(crate) fn check_meeting(meeting: &mut Meeting, lookup: &dyn Lookup) -> Vec<Violation> {
    let mut c = Check::new("", lookup);
    c.name("title", &mut meeting.title, true);
    c.required_date("date", &mut meeting.date);
    if let Some(time) = &meeting.time {
        let raw = clean_line(time);
        if raw.is_empty() {
            meeting.time = None;
        } else {
            match parse_time(&raw) {
                Some(t) => meeting.time = Some(t),
                None => {
                    c.push("time", Code::InvalidTime);
                }
            }
        }
    }
    if let Some(d) = meeting.duration_minutes
        && (d == 0 || d > MAX_DURATION_MINUTES)
    {
        let v = c.push("durationMinutes", Code::OutOfRange);
        v.params.insert("min".into(), 1.into());
        v.params.insert("max".into(), MAX_DURATION_MINUTES.into());
    }
    meeting.time_zone = clean_line(&meeting.time_zone);
    if meeting.time_zone.is_empty() {
        meeting.time_zone = crate::model::DEFAULT_TIME_ZONE.to_owned();
    }
    if jiff::tz::db().get(&meeting.time_zone).is_err() {
        c.push("timeZone", Code::InvalidTimeZone);
    }
    c.line("place", &mut meeting.place, MAX_NAME_CHARS);
    c.url("link", &mut meeting.link);
    c.references("organizationIds", &mut meeting.organization_ids, RecordKind::Organization);
    c.references("counterpartAttendees", &mut meeting.counterpart_attendees, RecordKind::Contact);
    c.references("iecmDelegation", &mut meeting.iecm_delegation, RecordKind::Contact);
    c.text("objective", &mut meeting.objective);
    c.text("agenda", &mut meeting.agenda);
    c.text("talkingPoints", &mut meeting.talking_points);
    c.text("sensitiveTopics", &mut meeting.sensitive_topics);
    c.text("minutes", &mut meeting.minutes);
    c.line("invitationUid", &mut meeting.invitation_uid, MAX_URL_CHARS);
    into_result(c)
}

pub(crate) fn check_agreement(agreement: &mut Agreement, lookup: &dyn Lookup) -> Vec<Violation> {
    let mut c = Check::new("", lookup);
    c.line("folio", &mut agreement.folio, MAX_SHORT_CHARS);
    if !agreement.folio.is_empty()
        && let Some(owner) = lookup.folio_owner(&fold(&agreement.folio))
        && owner != agreement.id
    {
        c.push("folio", Code::DuplicateFolio);
    }
    c.name("title", &mut agreement.title, true);
    c.text("purpose", &mut agreement.purpose);
    c.references("counterpartIds", &mut agreement.counterpart_ids, RecordKind::Organization);
    if agreement.counterpart_ids.is_empty() {
        c.push("counterpartIds", Code::Required);
    }
    if let Some(parent) = &agreement.parent_id {
        if !agreement.id.is_empty() && descends_from(parent, &agreement.id, lookup) {
            c.push("parentId", Code::ReferenceCycle);
        } else {
            c.reference_one("parentId", parent, RecordKind::Agreement);
        }
    }
    c.date("signedOn", &mut agreement.signed_on);
    let from = c.date("validFrom", &mut agreement.valid_from);
    let until = c.date("validUntil", &mut agreement.valid_until);
    c.date_range("validUntil", from, until);
    if agreement.notice_days.is_some_and(|d| d > MAX_NOTICE_DAYS) {
        let v = c.push("noticeDays", Code::OutOfRange);
        v.params.insert("min".into(), 0.into());
        v.params.insert("max".into(), MAX_NOTICE_DAYS.into());
    }
    c.line("iecmArea", &mut agreement.iecm_area, MAX_NAME_CHARS);
    c.reference("iecmContactId", &agreement.iecm_contact_id, RecordKind::Contact);
    c.reference("counterpartContactId", &agreement.counterpart_contact_id, RecordKind::Contact);
    c.text("notes", &mut agreement.notes);
    agreement.document_refs.iter_mut().for_each(|d| *d = clean_line(d));
    agreement.document_refs.retain(|d| !d.is_empty());
    c.list_len("documentRefs", &agreement.document_refs);
    for (i, d) in agreement.document_refs.iter().enumerate() {
        c.chars(&format!("documentRefs[{i}]"), d, MAX_URL_CHARS);
    }
    into_result(c)
}

pub(crate) fn check_activity(activity: &mut Activity, lookup: &dyn Lookup) -> Vec<Violation> {
    let mut c = Check::new("", lookup);
    c.name("title", &mut activity.title, true);
    c.references("partnerIds", &mut activity.partner_ids, RecordKind::Organization);
    if activity.partner_ids.is_empty() {
        c.push("partnerIds", Code::Required);
    }
    c.reference("agreementId", &activity.agreement_id, RecordKind::Agreement);
    dedup(&mut activity.themes);
    let starts = c.date("startsOn", &mut activity.starts_on);
    let ends = c.date("endsOn", &mut activity.ends_on);
    if activity.ends_on.is_some() && activity.starts_on.is_none() && !c.has("startsOn") {
        c.push("startsOn", Code::Required);
    }
    c.date_range("endsOn", starts, ends);
    c.line("place", &mut activity.place, MAX_NAME_CHARS);
    c.url("link", &mut activity.link);
    c.line("iecmArea", &mut activity.iecm_area, MAX_NAME_CHARS);
    c.text("description", &mut activity.description);
    dedup(&mut activity.beneficiaries);
    c.count("peopleReached", activity.people_reached, MAX_PEOPLE);
    // Women and men are part of the people reached when those are given, else they make them.
    let total = activity.people_reached.unwrap_or(MAX_PEOPLE);
    c.count("womenReached", activity.women_reached, total);
    c.count("menReached", activity.men_reached, total.saturating_sub(activity.women_reached.unwrap_or(0)));
    c.text("products", &mut activity.products);
    // Rows left blank are dropped by the form before sending, so the indices here are its own.
    c.list_len("resources", &activity.resources);
    for (i, r) in activity.resources.iter_mut().enumerate() {
        c.line(&format!("resources[{i}].description"), &mut r.description, MAX_NAME_CHARS);
        c.required(&format!("resources[{i}].description"), &r.description.clone());
        c.amount(&format!("resources[{i}].amount"), &mut r.amount, 0.0, MAX_AMOUNT);
    }
    c.list_len("participants", &activity.participants);
    let mut seen: Vec<Id> = Vec::new();
    for (i, p) in activity.participants.iter_mut().enumerate() {
        let at = format!("participants[{i}].");
        if seen.contains(&p.contact_id) {
            c.push(&format!("{at}contactId"), Code::DuplicateEntry);
        } else {
            c.reference_one(&format!("{at}contactId"), &p.contact_id, RecordKind::Contact);
            seen.push(p.contact_id.clone());
        }
        c.amount(&format!("{at}hours"), &mut p.hours, 0.5, MAX_HOURS);
        c.line(&format!("{at}certificate"), &mut p.certificate, MAX_NAME_CHARS);
    }
    c.text("notes", &mut activity.notes);
    into_result(c)
}

/// A hash as a document names its file by: 64 lowercase hex digits (BLAKE2b-256).
pub(crate) fn is_content_hash(hash: &str) -> bool {
    hash.len() == 64 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Extensions of programs, scripts and shortcuts, which the system would run rather than show:
/// a directory keeps documents, and handing one of these to the system is how a file from
/// someone else's export would take over a laptop.
const RUNNABLE: &[&str] = &[
    "app",
    "appimage",
    "application",
    "bat",
    "bin",
    "cmd",
    "com",
    "command",
    "cpl",
    "desktop",
    "dll",
    "exe",
    "gadget",
    "hta",
    "inf",
    "ins",
    "jar",
    "js",
    "jse",
    "lnk",
    "msc",
    "msi",
    "msp",
    "pif",
    "ps1",
    "psm1",
    "reg",
    "run",
    "scf",
    "scr",
    "sh",
    "url",
    "vb",
    "vbe",
    "vbs",
    "ws",
    "wsc",
    "wsf",
    "wsh",
];

/// Whether a file called `name` is one the system would run rather than show.
pub(crate) fn unsafe_to_open(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(_, ext)| RUNNABLE.contains(&ext.trim().to_lowercase().as_str()))
}

/// Checks a document's record (its bytes are the store's to check: see `store/documents.rs`).
pub(crate) fn check_document(document: &mut Document, lookup: &dyn Lookup) -> Vec<Violation> {
    let mut c = Check::new("", lookup);
    match document.record_id.kind() {
        Some(kind) if kind != RecordKind::Document => c.reference_one("recordId", &document.record_id, kind),
        _ => {
            c.push("recordId", Code::InvalidId);
        }
    }
    // Cleaned like every name: no bidi controls to make `factura\u{202e}fdp.exe` read `facturaexe.pdf`.
    c.name("name", &mut document.name, true);
    if unsafe_to_open(&document.name) {
        c.push("name", Code::UnsafeFileType);
    }
    if !is_content_hash(&document.hash) {
        c.push("hash", Code::MalformedFile);
    }
    if document.size > MAX_DOCUMENT_BYTES {
        c.push("size", Code::FileTooLarge).params.insert("max".into(), MAX_DOCUMENT_BYTES.into());
    }
    c.line("note", &mut document.note, MAX_NAME_CHARS);
    into_result(c)
}

/// Checks a record of any kind (commitments without a field prefix).
pub(crate) fn check_any(record: &mut AnyRecord, lookup: &dyn Lookup) -> Vec<Violation> {
    match record {
        AnyRecord::Organization(o) => check_organization(o, lookup),
        AnyRecord::Contact(c) => check_contact(c, lookup),
        AnyRecord::Meeting(m) => check_meeting(m, lookup),
        AnyRecord::Agreement(a) => check_agreement(a, lookup),
        AnyRecord::Commitment(c) => check_commitment(c, "", lookup),
        AnyRecord::Activity(a) => check_activity(a, lookup),
        AnyRecord::Document(d) => check_document(d, lookup),
    }
}

/// Whether `start` is `ancestor` or hangs (through parents) from it.
fn descends_from(start: &Id, ancestor: &Id, lookup: &dyn Lookup) -> bool {
    let mut current = Some(start.clone());
    let mut steps = 0;
    while let Some(id) = current {
        if &id == ancestor {
            return true;
        }
        steps += 1;
        if steps > 10_000 {
            return true;
        }
        current = lookup.agreement_parent(&id);
    }
    false
}

/// `prefix` places the fields inside a parent save (`commitments[2].`).
pub(crate) fn check_commitment(
    commitment: &mut Commitment,
    prefix: &str,
    lookup: &dyn Lookup,
) -> Vec<Violation> {
    let mut c = Check::new(prefix, lookup);
    c.text("description", &mut commitment.description);
    c.required("description", &commitment.description.clone());
    match &commitment.source {
        Some(CommitmentSource::Meeting(id)) => c.reference_one("source", id, RecordKind::Meeting),
        Some(CommitmentSource::Agreement(id)) => c.reference_one("source", id, RecordKind::Agreement),
        Some(CommitmentSource::Activity(id)) => c.reference_one("source", id, RecordKind::Activity),
        None => {
            c.push("source", Code::Required);
        }
    }
    c.reference("ownerId", &commitment.owner_id, RecordKind::Contact);
    c.date("dueOn", &mut commitment.due_on);
    if commitment.status == crate::model::CommitmentStatus::Done {
        c.date("doneOn", &mut commitment.done_on);
    } else {
        commitment.done_on = None;
    }
    c.text("evidence", &mut commitment.evidence);
    into_result(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_people_write() {
        for ok in [
            "+52 (55) 5483-3800 ext. 123",
            "55 5483 3800",
            "+1 202-555-0143",
            "5483-3800 x12",
            "(55) 5483.3800",
        ] {
            assert!(is_phone(ok), "{ok}");
        }
        for bad in [
            "123",
            "call me",
            "+52 55 5483 3800 ext.",
            "55-5483-3800-1234-5678-9",
            "+52 (55 5483 3800",
            "55)5483(3800",
        ] {
            assert!(!is_phone(bad), "{bad}");
        }
    }

    #[test]
    fn emails() {
        for ok in ["ana.lopez@unwomen.org", "x@iecm.mx", "josé@correo.méxico.mx"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in
            ["ana", "ana@", "@x.org", "ana@org", "ana lopez@x.org", "a..b@x.org", "ana@x.o", "ana@-x.org"]
        {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn dates_and_times() {
        assert!(parse_date("2024-02-29").is_some());
        assert!(parse_date("2026-02-30").is_none());
        assert!(parse_date("2026-2-3").is_none());
        assert_eq!(parse_time("9:05").as_deref(), Some("09:05"));
        assert!(parse_time("24:00").is_none());
        assert!(parse_time("12:5").is_none());
    }
}
