//! Calendars in and out (`docs/calendar.md`). Out: meetings (one, or those of a period) and
//! the deadlines of open commitments and of instruments (end of validity, notice date) as an
//! iCalendar file, each event with a `UID` made from its record's id and a `SEQUENCE` from its
//! revision (a file exported again updates the events Outlook or Thunderbird already hold),
//! and a `VTIMEZONE` for every zone its times are written in (calcard builds them from the
//! time-zone database). In: an invitation (`.ics`) as a meeting, its attendees matched to the
//! people of the directory by e-mail; importing the same invitation again updates that
//! meeting.

use super::table::{RowAction, begins_with, decode};
use crate::error::{Code, Error, Result, Violation};
use crate::index::catalog::Detail;
use crate::labels::Lang;
use crate::model::{
    Agreement, AgreementStatus, AnyRecord, Commitment, CommitmentStatus, Contact, DEFAULT_TIME_ZONE, Id,
    Meeting, Modality, Organization, RecordKind, RecordRef,
};
use crate::store::{Change, Store, changed_fields};
use crate::text::{append_paragraph, is_the_iecm};
use crate::validate;
use calcard::common::PartialDateTime;
use calcard::icalendar::{
    ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarEntry, ICalendarParameter,
    ICalendarParameterName, ICalendarParticipationRole, ICalendarProperty, ICalendarTransparency,
    ICalendarValue, ICalendarValueType, Uri,
};
use calcard::{Entry, Parser};
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The domain of the `UID`s this app writes: `<record id>[-<what>]@vinculo.iecm.mx`.
const UID_DOMAIN: &str = "vinculo.iecm.mx";
/// A meeting without a duration is written as lasting an hour.
const DEFAULT_MINUTES: i64 = 60;
/// The longest period one export covers.
const MAX_PERIOD_DAYS: i32 = 3 * 366;
/// How much of a commitment's description an event's title carries.
const TITLE_CHARS: usize = 120;

/// What a calendar export of a period holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CalendarRequest {
    /// The first and last day (`YYYY-MM-DD`), in the office's calendar.
    pub from: String,
    pub until: String,
    pub meetings: bool,
    /// The due dates of open commitments.
    pub commitments: bool,
    /// The end of validity and the notice date of instruments not concluded.
    pub agreements: bool,
}

/// An iCalendar file made, and how many events it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarFile {
    pub text: String,
    pub events: usize,
}

/// The `UID` of the event a record gives (`what` tells a record's several events apart).
pub fn event_uid(id: &Id, what: &str) -> String {
    if what.is_empty() { format!("{id}@{UID_DOMAIN}") } else { format!("{id}-{what}@{UID_DOMAIN}") }
}

/// Whether an event's `UID` is one this app wrote (`event_uid`).
fn is_own(uid: &str) -> bool {
    uid.ends_with(&format!("@{UID_DOMAIN}"))
}

impl CalendarRequest {
    fn check(&self) -> Result<(Date, Date)> {
        let mut found = Vec::new();
        let day = |field: &str, value: &str, found: &mut Vec<Violation>| {
            let d = validate::parse_date(value.trim());
            if d.is_none() {
                found.push(Violation::new(field, Code::InvalidDate));
            }
            d
        };
        let from = day("from", &self.from, &mut found);
        let until = day("until", &self.until, &mut found);
        if let (Some(from), Some(until)) = (from, until) {
            if until < from {
                found.push(Violation::new("until", Code::EndBeforeStart));
            } else if (until - from).get_days() > MAX_PERIOD_DAYS {
                found.push(Violation::new("until", Code::OutOfRange).with("max", MAX_PERIOD_DAYS));
            }
        }
        if !(self.meetings || self.commitments || self.agreements) {
            found.push(Violation::new("kinds", Code::Required));
        }
        match (from, until) {
            (Some(from), Some(until)) if found.is_empty() => Ok((from, until)),
            _ => Err(Error::Invalid(found)),
        }
    }
}

/// The events of a file being made, with what they need from the store.
struct Builder<'a> {
    store: &'a Store,
    lang: Lang,
    now: Timestamp,
    ical: ICalendar,
    names: HashMap<Id, (String, Option<String>)>,
    /// The first and last day written (seconds, as if UTC): what the zones must cover.
    span: Option<(i64, i64)>,
}

impl<'a> Builder<'a> {
    fn new(store: &'a Store, lang: Lang, now: Timestamp) -> Builder<'a> {
        let mut root = ICalendarComponent::new(ICalendarComponentType::VCalendar);
        root.add_property(ICalendarProperty::Version, "2.0".to_owned());
        root.add_property(ICalendarProperty::Prodid, "-//IECM//Vínculo//ES".to_owned());
        root.entries
            .push(ICalendarEntry::new(ICalendarProperty::Calscale).with_value("GREGORIAN".to_owned()));
        root.entries.push(ICalendarEntry::new(ICalendarProperty::Method).with_value("PUBLISH".to_owned()));
        root.entries.push(
            ICalendarEntry::new(ICalendarProperty::Other("X-WR-TIMEZONE".into()))
                .with_value(DEFAULT_TIME_ZONE.to_owned()),
        );
        Builder {
            store,
            lang,
            now,
            ical: ICalendar { components: vec![root] },
            names: HashMap::new(),
            span: None,
        }
    }

    fn push(&mut self, event: ICalendarComponent) {
        let at = self.ical.components.len() as u32;
        self.ical.components.push(event);
        self.ical.components[0].component_ids.push(at);
    }

    /// A person's name and first e-mail.
    fn person(&mut self, id: &Id) -> Result<(String, Option<String>)> {
        if let Some(found) = self.names.get(id) {
            return Ok(found.clone());
        }
        let c: Contact = self.store.get(id)?;
        let found = (c.full_name.clone(), c.emails.first().map(|e| e.value.clone()));
        self.names.insert(id.clone(), found.clone());
        Ok(found)
    }

    /// The properties every event has: its `UID`, when it was stamped, its revision.
    fn event(
        &self,
        uid: String,
        revision: u64,
        updated: Option<Timestamp>,
        title: &str,
    ) -> ICalendarComponent {
        let mut e = ICalendarComponent::new(ICalendarComponentType::VEvent);
        e.add_uid(&uid);
        e.add_dtstamp(utc(self.now));
        if let Some(updated) = updated {
            e.add_property(ICalendarProperty::LastModified, utc(updated));
        }
        e.add_sequence(revision as i64);
        e.add_property(ICalendarProperty::Summary, title.to_owned());
        e
    }

    fn meeting(&mut self, m: &Meeting) -> Result<()> {
        // A meeting that came from an invitation goes out as that invitation's event (its UID,
        // its organizer's SEQUENCE): the calendar that holds it updates it, not a copy.
        let (uid, sequence) = if m.invitation_uid.is_empty() {
            (event_uid(&m.id, ""), m.revision.max(u64::from(m.invitation_sequence)))
        } else {
            (m.invitation_uid.clone(), u64::from(m.invitation_sequence))
        };
        let mut e = self.event(uid, sequence, m.updated_at, &m.title);
        let Ok(date) = m.date.parse::<Date>() else { return Ok(()) };
        if let Ok(at) = TimeZone::UTC.to_timestamp(date.to_datetime(Time::midnight())) {
            let at = at.as_second();
            self.span = Some(self.span.map_or((at, at), |(a, b)| (a.min(at), b.max(at))));
        }
        match m.time.as_deref().and_then(|t| t.parse::<Time>().ok()) {
            Some(time) => {
                let start = date.to_datetime(time);
                let minutes = m.duration_minutes.map_or(DEFAULT_MINUTES, i64::from);
                let end = start.checked_add(minutes.minutes()).unwrap_or(start);
                for (property, at) in [(ICalendarProperty::Dtstart, start), (ICalendarProperty::Dtend, end)] {
                    e.entries.push(
                        ICalendarEntry::new(property)
                            .with_param(ICalendarParameter::tzid(m.time_zone.clone()))
                            .with_value(local(at)),
                    );
                }
            }
            None => all_day(&mut e, date),
        }
        if !m.place.is_empty() {
            e.add_property(ICalendarProperty::Location, m.place.clone());
        }
        if !m.link.is_empty() {
            e.add_property(ICalendarProperty::Url, ICalendarValue::Uri(Uri::Location(m.link.clone())));
        }
        // What a calendar shows its owner: the objective, the agenda and the link. Talking
        // points, sensitive topics and minutes stay in Vínculo (calendars travel to phones
        // and servers).
        let mut description = Vec::new();
        for (key, text) in [("section.objective", &m.objective), ("section.agenda", &m.agenda)] {
            if !text.is_empty() {
                description.push(format!("{}:\n{}", self.lang.t(key), text));
            }
        }
        if !m.link.is_empty() {
            description.push(m.link.clone());
        }
        if !description.is_empty() {
            e.add_property(ICalendarProperty::Description, description.join("\n\n"));
        }
        for (ids, role) in [
            (&m.counterpart_attendees, ICalendarParticipationRole::ReqParticipant),
            (&m.iecm_delegation, ICalendarParticipationRole::ReqParticipant),
        ] {
            for id in ids {
                let (name, email) = self.person(id)?;
                if let Some(email) = email {
                    e.entries.push(
                        ICalendarEntry::new(ICalendarProperty::Attendee)
                            .with_param(ICalendarParameter::cn(name))
                            .with_param(ICalendarParameter::role(role.clone()))
                            .with_value(ICalendarValue::Uri(Uri::Location(format!("mailto:{email}")))),
                    );
                }
            }
        }
        self.push(e);
        Ok(())
    }

    /// A deadline: an all-day event that does not make the day busy.
    fn deadline(
        &mut self,
        uid: String,
        revision: u64,
        updated: Option<Timestamp>,
        day: Date,
        title: &str,
        text: String,
    ) {
        let mut e = self.event(uid, revision, updated, title);
        all_day(&mut e, day);
        e.entries.push(
            ICalendarEntry::new(ICalendarProperty::Transp)
                .with_value(ICalendarValue::Transparency(ICalendarTransparency::Transparent)),
        );
        if !text.is_empty() {
            e.add_property(ICalendarProperty::Description, text);
        }
        self.push(e);
    }

    fn commitment(&mut self, c: &Commitment) -> Result<()> {
        let Some(due) = c.due_on.as_deref().and_then(|d| d.parse::<Date>().ok()) else { return Ok(()) };
        let short: String = c.description.chars().take(TITLE_CHARS).collect();
        let title = format!("{}: {short}", self.lang.t("calendar.due"));
        let mut text = vec![c.description.clone()];
        if let Some(owner) = &c.owner_id {
            text.push(format!("{}: {}", self.lang.t("calendar.owner"), self.person(owner)?.0));
        }
        let source = match &c.source {
            Some(source) => self.store.get_any(source.id()).ok(),
            None => None,
        };
        if let Some(source) = source {
            text.push(source.title());
        }
        self.deadline(event_uid(&c.id, "due"), c.revision, c.updated_at, due, &title, text.join("\n"));
        Ok(())
    }

    /// An instrument's end of validity and its notice date, those inside `range`.
    fn agreement(&mut self, a: &Agreement, range: (Date, Date)) {
        let Some(end) = a.valid_until_date() else { return };
        let days = a.notice_days_or_default();
        let notice = end.checked_sub(i64::from(days).days()).unwrap_or(end);
        let described =
            if a.folio.is_empty() { a.title.clone() } else { format!("{} ({})", a.title, a.folio) };
        let inside = |d: Date| range.0 <= d && d <= range.1;
        if inside(end) {
            let title = format!("{}: {}", self.lang.t("calendar.ends"), a.title);
            self.deadline(event_uid(&a.id, "end"), a.revision, a.updated_at, end, &title, described.clone());
        }
        if inside(notice) && days > 0 {
            let title =
                format!("{}: {}", self.lang.t("calendar.notice").replace("{n}", &days.to_string()), a.title);
            self.deadline(event_uid(&a.id, "notice"), a.revision, a.updated_at, notice, &title, described);
        }
    }

    /// The file: the office's zone defined (`X-WR-TIMEZONE` names it the calendar's own), and
    /// every other zone a time is written in.
    fn finish(mut self) -> CalendarFile {
        let events = self.ical.components[0].component_ids.len();
        const MONTH: i64 = 31 * 24 * 3600;
        let now = self.now.as_second();
        let (first, last) = self.span.unwrap_or((now, now));
        self.ical.add_timezone(DEFAULT_TIME_ZONE, first.min(now) - MONTH, last.max(now) + MONTH);
        self.ical.add_missing_timezones();
        CalendarFile { text: self.ical.to_string(), events }
    }
}

fn all_day(e: &mut ICalendarComponent, day: Date) {
    let next = day.tomorrow().unwrap_or(day);
    for (property, d) in [(ICalendarProperty::Dtstart, day), (ICalendarProperty::Dtend, next)] {
        e.entries.push(
            ICalendarEntry::new(property)
                .with_param(ICalendarParameter::value(ICalendarValueType::Date))
                .with_value(date_only(d)),
        );
    }
}

fn date_only(d: Date) -> PartialDateTime {
    PartialDateTime {
        year: Some(d.year() as u16),
        month: Some(d.month() as u8),
        day: Some(d.day() as u8),
        ..PartialDateTime::default()
    }
}

fn local(at: DateTime) -> PartialDateTime {
    PartialDateTime {
        hour: Some(at.hour() as u8),
        minute: Some(at.minute() as u8),
        second: Some(0),
        ..date_only(at.date())
    }
}

fn utc(at: Timestamp) -> PartialDateTime {
    let at = TimeZone::UTC.to_datetime(at);
    PartialDateTime { second: Some(at.second() as u8), tz_hour: Some(0), tz_minute: Some(0), ..local(at) }
}

impl Store {
    /// One meeting as an iCalendar file.
    pub fn meeting_calendar(&self, id: &Id, lang: Lang, now: Timestamp) -> Result<CalendarFile> {
        let meeting: Meeting = self.get(id)?;
        let mut b = Builder::new(self, lang, now);
        b.meeting(&meeting)?;
        Ok(b.finish())
    }

    /// The meetings and deadlines of a period as an iCalendar file.
    pub fn calendar(&self, request: &CalendarRequest, lang: Lang, now: Timestamp) -> Result<CalendarFile> {
        let (from, until) = request.check()?;
        let inside = |d: &Option<Date>| d.is_some_and(|d| from <= d && d <= until);
        let wanted: Vec<Id> = self.with_catalog(|catalog| {
            let mut ids = Vec::new();
            for kind in [RecordKind::Meeting, RecordKind::Commitment, RecordKind::Agreement] {
                for entry in catalog.of_kind(kind) {
                    let take = match &entry.detail {
                        Detail::Meeting { date, .. } => request.meetings && inside(date),
                        Detail::Commitment { due, status, .. } => {
                            request.commitments
                                && matches!(status, CommitmentStatus::Pending | CommitmentStatus::InProgress)
                                && inside(due)
                        }
                        Detail::Agreement { valid_until, status, notice_days, .. } => {
                            let notice =
                                valid_until.and_then(|d| d.checked_sub(i64::from(*notice_days).days()).ok());
                            request.agreements
                                && !matches!(status, AgreementStatus::Concluded | AgreementStatus::Rescinded)
                                && (inside(valid_until) || inside(&notice))
                        }
                        _ => false,
                    };
                    if take {
                        ids.push(entry.id());
                    }
                }
            }
            ids
        });
        let mut b = Builder::new(self, lang, now);
        for id in &wanted {
            match self.get_any(id)? {
                AnyRecord::Meeting(m) => b.meeting(&m)?,
                AnyRecord::Commitment(c) => b.commitment(&c)?,
                AnyRecord::Agreement(a) => b.agreement(&a, (from, until)),
                _ => {}
            }
        }
        Ok(b.finish())
    }
}

// ---------------------------------------------------------------------------------------
// Invitations in.

/// A meeting an invitation describes, as read from the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Invited {
    /// The event's number in the file (from 1), skipped events counted.
    pub n: usize,
    /// Its `UID`: what the meeting it becomes is found by.
    pub uid: String,
    pub meeting: Meeting,
    /// The attendees and the organizer: e-mail (lower case) and name.
    pub people: Vec<(String, String)>,
    /// The event repeats: only its first date is imported.
    pub recurring: bool,
}

/// The meetings an invitation file holds, and the events that are not meetings to import.
#[derive(Debug, Clone, PartialEq)]
pub struct Invitations {
    pub events: Vec<Invited>,
    /// Events left out, and why (`field` `event` with its number `n`).
    pub skipped: Vec<Violation>,
}

/// What importing one event of an invitation does.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InvitationRow {
    /// The event's number in the file (from 1).
    pub n: usize,
    pub action: RowAction,
    /// The meeting it becomes or updates.
    pub id: Option<Id>,
    pub title: String,
    pub date: String,
    pub time: Option<String>,
    pub time_zone: String,
    /// When it starts, for the office's clock beside another zone's.
    pub starts_at: Option<Timestamp>,
    /// The meeting it updates (or matches).
    pub existing: Option<RecordRef>,
    /// People of the directory found by their e-mail, on each side.
    pub counterparts: Vec<RecordRef>,
    pub delegation: Vec<RecordRef>,
    /// Attendees not in the directory, by name (by e-mail when the file gives no name):
    /// written into the meeting's agenda.
    pub unknown: Vec<String>,
    /// The fields an update changes.
    pub fields: Vec<String>,
    pub recurring: bool,
    pub violations: Vec<Violation>,
}

/// What importing an invitation does (or did).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InvitationPlan {
    pub rows: Vec<InvitationRow>,
    pub skipped: Vec<Violation>,
    /// How many meetings it writes.
    pub written: usize,
}

/// Whether `bytes` look like an iCalendar file.
pub fn is_calendar(bytes: &[u8]) -> bool {
    begins_with(bytes, "begin:vcalendar")
}

/// Reads an invitation (or any iCalendar file): each event a meeting to import.
pub fn read_invitations(bytes: &[u8], lang: Lang) -> Result<Invitations> {
    if !is_calendar(bytes) {
        return Err(Error::invalid("file", Code::MalformedFile));
    }
    let text = decode(bytes);
    let mut parser = Parser::new(&text);
    let mut out = Invitations { events: Vec::new(), skipped: Vec::new() };
    let mut n = 0;
    loop {
        match parser.entry() {
            Entry::Eof | Entry::TooManyComponents => break,
            Entry::ICalendar(ical) => read_calendar(&ical, lang, &mut n, &mut out),
            Entry::InvalidLine(line) if line.trim().is_empty() => {}
            _ => out.skipped.push(Violation::new("file", Code::UnreadableEntry)),
        }
    }
    if out.events.is_empty() && out.skipped.is_empty() {
        return Err(Error::invalid("file", Code::NoEvents));
    }
    Ok(out)
}

fn read_calendar(ical: &ICalendar, lang: Lang, n: &mut usize, out: &mut Invitations) {
    let cancelled =
        ical.components.first().and_then(|root| root.property(&ICalendarProperty::Method)).is_some_and(|m| {
            m.values
                .first()
                .and_then(ICalendarValue::as_text)
                .is_some_and(|t| t.eq_ignore_ascii_case("cancel"))
        });
    let zones = ical.build_tz_resolver();
    for event in ical.components.iter().filter(|c| c.component_type == ICalendarComponentType::VEvent) {
        // An exception to a repeating event (RECURRENCE-ID) belongs to the event it changes.
        if event.has_property(&ICalendarProperty::RecurrenceId) {
            continue;
        }
        *n += 1;
        let text = |p: ICalendarProperty| {
            event
                .property(&p)
                .and_then(|e| e.values.first())
                .and_then(ICalendarValue::as_text)
                .unwrap_or("")
                .trim()
                .to_owned()
        };
        let uid = text(ICalendarProperty::Uid);
        if cancelled {
            out.skipped.push(Violation::new("event", Code::Cancelled).with("n", *n));
            continue;
        }
        // An event this app wrote for a deadline is not a meeting.
        if is_own(&uid) && !uid.starts_with("mtg_") {
            out.skipped.push(Violation::new("event", Code::NotAMeeting).with("n", *n));
            continue;
        }
        let start = match event.property(&ICalendarProperty::Dtstart).map(|e| when(e, ical, &zones)) {
            Some(Ok(start)) => start,
            Some(Err(refused)) => {
                out.skipped.push(refused.with("n", *n));
                continue;
            }
            None => {
                out.skipped.push(Violation::new("event", Code::NoDate).with("n", *n));
                continue;
            }
        };
        let end = event.property(&ICalendarProperty::Dtend).and_then(|e| when(e, ical, &zones).ok());
        let minutes = match (
            start.instant,
            end.and_then(|e| e.instant),
            event.property(&ICalendarProperty::Duration),
        ) {
            // The time between two instants: right across a change of summer time, or zones.
            (Some(from), Some(to), _) => to.duration_since(from).as_secs() / 60,
            (Some(_), None, Some(d)) => match d.values.first() {
                Some(ICalendarValue::Duration(d)) if !d.neg => {
                    let days = i64::from(d.weeks).saturating_mul(7).saturating_add(i64::from(d.days));
                    days.saturating_mul(24 * 60)
                        .saturating_add(i64::from(d.hours).saturating_mul(60))
                        .saturating_add(i64::from(d.minutes))
                }
                _ => 0,
            },
            _ => 0,
        };
        let sequence = event
            .property(&ICalendarProperty::Sequence)
            .and_then(|e| e.values.first())
            .and_then(|v| match v {
                ICalendarValue::Integer(i) => u32::try_from(*i).ok(),
                _ => None,
            })
            .unwrap_or(0);
        let timed = start.instant.is_some();
        let mut m = Meeting {
            title: text(ICalendarProperty::Summary),
            date: start.at.date().to_string(),
            time: timed.then(|| format!("{:02}:{:02}", start.at.hour(), start.at.minute())),
            duration_minutes: (minutes > 0)
                .then(|| u32::try_from(minutes.min(i64::from(validate::MAX_DURATION_MINUTES))).unwrap_or(0)),
            time_zone: start.zone,
            place: text(ICalendarProperty::Location),
            agenda: text(ICalendarProperty::Description),
            invitation_uid: if is_own(&uid) { String::new() } else { uid.clone() },
            // Its `SEQUENCE`: the organizer's revision of it; for an event this app wrote, the
            // revision the meeting had where it was exported.
            invitation_sequence: sequence,
            ..Meeting::default()
        };
        if m.title.is_empty() {
            m.title = lang.t("calendar.untitled").to_owned();
        }
        m.link = meeting_link(event, &m.place, &m.agenda).unwrap_or_default();
        m.modality = match (m.link.is_empty(), m.place.is_empty() || m.place.starts_with("http")) {
            (true, _) => Modality::InPerson,
            (false, true) => Modality::Virtual,
            (false, false) => Modality::Hybrid,
        };
        if m.place.starts_with("http") {
            m.place.clear();
        }
        let mut people = Vec::new();
        for property in [ICalendarProperty::Organizer, ICalendarProperty::Attendee] {
            for entry in event.properties(&property) {
                let address = entry.values.first().and_then(ICalendarValue::as_text).unwrap_or("");
                let email = address
                    .strip_prefix("mailto:")
                    .or_else(|| address.strip_prefix("MAILTO:"))
                    .unwrap_or(address)
                    .trim()
                    .to_lowercase();
                let name = entry
                    .parameter(&ICalendarParameterName::Cn)
                    .and_then(|v| v.as_text())
                    .unwrap_or("")
                    .trim()
                    .to_owned();
                if validate::is_email(&email) && !people.iter().any(|(e, _): &(String, String)| *e == email) {
                    people.push((email, name));
                }
            }
        }
        let recurring =
            event.has_property(&ICalendarProperty::Rrule) || event.has_property(&ICalendarProperty::Rdate);
        out.events.push(Invited { n: *n, uid, meeting: m, people, recurring });
    }
}

/// When an event's date property says.
struct When {
    /// The day and time on the clock of `zone`.
    at: DateTime,
    zone: String,
    /// The instant, for a time (none for a whole day).
    instant: Option<Timestamp>,
}

/// When an event's date property says, in which zone: the zone's own name when the file
/// names one the time-zone database knows (Outlook's Windows names included); a time in UTC,
/// at an offset, or in a zone the file defines with one offset only, moved to the office's
/// clock; a floating time on the office's clock. A zone of the file's own with several
/// offsets (summer time) is refused, naming it, rather than guessed.
fn when(
    entry: &ICalendarEntry,
    ical: &ICalendar,
    zones: &calcard::icalendar::timezone::TzResolver<&str>,
) -> std::result::Result<When, Violation> {
    let no_date = || Violation::new("event", Code::NoDate);
    let value = entry.values.first().and_then(ICalendarValue::as_partial_date_time).ok_or_else(no_date)?;
    let date = day_of(value).ok_or_else(no_date)?;
    let office_zone = || TimeZone::get(DEFAULT_TIME_ZONE).map_err(|_| no_date());
    let Some(hour) = value.hour else {
        return Ok(When {
            at: date.to_datetime(Time::midnight()),
            zone: DEFAULT_TIME_ZONE.to_owned(),
            instant: None,
        });
    };
    let time = Time::new(hour as i8, value.minute.unwrap_or(0) as i8, 0, 0).map_err(|_| no_date())?;
    let local = date.to_datetime(time);
    let on_office_clock = |instant: Timestamp| -> std::result::Result<When, Violation> {
        Ok(When {
            at: office_zone()?.to_datetime(instant),
            zone: DEFAULT_TIME_ZONE.to_owned(),
            instant: Some(instant),
        })
    };
    if let Some(offset) = offset_of(value) {
        return on_office_clock(offset.to_timestamp(local).map_err(|_| no_date())?);
    }
    let Some(tzid) = entry.tz_id() else {
        let instant = office_zone()?.to_timestamp(local).map_err(|_| no_date())?;
        return Ok(When { at: local, zone: DEFAULT_TIME_ZONE.to_owned(), instant: Some(instant) });
    };
    let in_zone = |name: String, zone: TimeZone| -> std::result::Result<When, Violation> {
        let instant = zone.to_timestamp(local).map_err(|_| no_date())?;
        Ok(When { at: local, zone: name, instant: Some(instant) })
    };
    // A zone named as the database names it; else the file's own definition when it has one
    // offset (it is then exact, where a guess from a name like «(UTC+05:30) Chennai» may not
    // be); else the name resolved (Outlook's Windows names).
    if let Ok(zone) = jiff::tz::db().get(tzid) {
        return in_zone(tzid.to_owned(), zone);
    }
    if let Some(offset) = fixed_offset(ical, tzid) {
        return on_office_clock(offset.to_timestamp(local).map_err(|_| no_date())?);
    }
    let named = zones.resolve(tzid).and_then(|tz| tz.name()).and_then(|name| {
        let zone = jiff::tz::db().get(&name).ok()?;
        Some((name.into_owned(), zone))
    });
    match named {
        Some((name, zone)) => in_zone(name, zone),
        None => Err(Violation::new("event", Code::UnknownTimeZone).with("zone", tzid)),
    }
}

/// The day a date or date-time says.
pub(super) fn day_of(value: &PartialDateTime) -> Option<Date> {
    Date::new(value.year? as i16, value.month? as i8, value.day? as i8).ok()
}

/// A UTC offset a date-time carries (`Z`, `-0600`).
pub(super) fn offset_of(value: &PartialDateTime) -> Option<jiff::tz::Offset> {
    let seconds = i32::from(value.tz_hour?) * 3600 + i32::from(value.tz_minute.unwrap_or(0)) * 60;
    jiff::tz::Offset::from_seconds(if value.tz_minus { -seconds } else { seconds }).ok()
}

/// The one offset of a zone the file defines itself (`VTIMEZONE` with `TZID` `tzid`), when
/// all its observances share it.
fn fixed_offset(ical: &ICalendar, tzid: &str) -> Option<jiff::tz::Offset> {
    let zone = ical.components.iter().find(|c| {
        c.component_type == ICalendarComponentType::VTimezone
            && c.property(&ICalendarProperty::Tzid)
                .and_then(|e| e.values.first())
                .and_then(ICalendarValue::as_text)
                .is_some_and(|t| t == tzid)
    })?;
    let offsets: Vec<jiff::tz::Offset> = zone
        .component_ids
        .iter()
        .filter_map(|i| ical.components.get(*i as usize))
        .filter_map(|o| o.property(&ICalendarProperty::Tzoffsetto)?.values.first()?.as_partial_date_time())
        .filter_map(offset_of)
        .collect();
    let first = *offsets.first()?;
    offsets.iter().all(|o| *o == first).then_some(first)
}

/// The link of an online meeting: the one the program names (Teams, Google Meet), the event's
/// URL, or the first web address in its place or description.
fn meeting_link(event: &ICalendarComponent, place: &str, description: &str) -> Option<String> {
    let named =
        ["X-MICROSOFT-SKYPETEAMSMEETINGURL", "X-MICROSOFT-ONLINEMEETINGCONFLINK", "X-GOOGLE-CONFERENCE"]
            .into_iter()
            .chain(std::iter::once("URL"))
            .find_map(|name| {
                let property = if name == "URL" {
                    ICalendarProperty::Url
                } else {
                    ICalendarProperty::Other(name.into())
                };
                event
                    .property(&property)
                    .and_then(|e| e.values.first())
                    .and_then(ICalendarValue::as_text)
                    .map(str::to_owned)
            });
    named
        .or_else(|| {
            [place, description].into_iter().find_map(|text| {
                text.split(|c: char| c.is_whitespace() || "<>\"()".contains(c))
                    .find(|w| w.starts_with("https://") || w.starts_with("http://"))
                    .map(str::to_owned)
            })
        })
        .filter(|l| l.chars().count() <= validate::MAX_URL_CHARS)
}

/// The meeting an invitation with this `UID` becomes: its id derived from the `UID` (so that
/// importing the invitation again finds it without a scan), or the meeting this app exported
/// under it.
fn meeting_id_of(uid: &str) -> Option<Id> {
    if let Some(own) = uid.strip_suffix(&format!("@{UID_DOMAIN}")).and_then(Id::parse) {
        return (own.kind() == Some(RecordKind::Meeting)).then_some(own);
    }
    if uid.is_empty() {
        return None;
    }
    use blake2::Digest;
    let hash = blake2::Blake2b512::digest(format!("vinculo-invitation:{uid}").as_bytes());
    let hex: String = hash.iter().take(16).map(|b| format!("{b:02x}")).collect();
    Id::parse(&format!("{}_{hex}", RecordKind::Meeting.prefix()))
}

impl Store {
    /// What importing `invitations` would do. Reads only.
    pub fn plan_invitations(&self, invitations: &Invitations, lang: Lang) -> Result<InvitationPlan> {
        Ok(self.draft_invitations(invitations, lang, Timestamp::now())?.0)
    }

    /// Imports `invitations` as planned again under the write lock, in one atomic change.
    pub fn import_invitations(&self, invitations: &Invitations, lang: Lang) -> Result<InvitationPlan> {
        let mut writer = self.lock_writer();
        let (plan, mut puts) = self.draft_invitations(invitations, lang, Timestamp::now())?;
        if !puts.is_empty() {
            let violations = self.check_batch(&mut puts, |_, _, _| Vec::new());
            if !violations.is_empty() {
                return Err(Error::Invalid(violations));
            }
            self.commit(&mut writer, Change { puts, ..Change::default() })?;
        }
        Ok(plan)
    }

    fn draft_invitations(
        &self,
        invitations: &Invitations,
        lang: Lang,
        now: Timestamp,
    ) -> Result<(InvitationPlan, Vec<AnyRecord>)> {
        // Who an e-mail is (found through the search index, not by reading every person), and
        // on which side: the IECM's own people are its delegation.
        let mut people: HashMap<String, Option<(RecordRef, Option<Id>, bool)>> = HashMap::new();
        let mut iecm: HashMap<Id, bool> = HashMap::new();
        let mut person = |email: &str| -> Result<Option<(RecordRef, Option<Id>, bool)>> {
            if let Some(known) = people.get(email) {
                return Ok(known.clone());
            }
            let mut found = None;
            for hit in
                self.search(email, 10).hits.into_iter().filter(|h| h.record.kind == RecordKind::Contact)
            {
                let c: Contact = self.get(&hit.record.id)?;
                if !c.emails.iter().any(|e| e.value.trim().eq_ignore_ascii_case(email)) {
                    continue;
                }
                let ours = match &c.organization_id {
                    Some(org) => match iecm.get(org) {
                        Some(ours) => *ours,
                        None => {
                            let o: Organization = self.get(org)?;
                            let ours = is_the_iecm([o.acronym_es.as_str(), &o.acronym_en]);
                            iecm.insert(org.clone(), ours);
                            ours
                        }
                    },
                    None => false,
                };
                found = Some((hit.record, c.organization_id.clone(), ours));
                break;
            }
            people.insert(email.to_owned(), found.clone());
            Ok(found)
        };
        let projection = self.projection();
        let (no_parents, no_added) = (HashMap::new(), HashMap::new());
        let mut plan = InvitationPlan { skipped: invitations.skipped.clone(), ..InvitationPlan::default() };
        let mut puts: Vec<AnyRecord> = Vec::new();
        for invited in &invitations.events {
            let mut fresh = invited.meeting.clone();
            let mut row = InvitationRow {
                n: invited.n,
                action: RowAction::Create,
                id: None,
                title: fresh.title.clone(),
                date: fresh.date.clone(),
                time: fresh.time.clone(),
                time_zone: fresh.time_zone.clone(),
                starts_at: fresh.starts_at(),
                existing: None,
                counterparts: Vec::new(),
                delegation: Vec::new(),
                unknown: Vec::new(),
                fields: Vec::new(),
                recurring: invited.recurring,
                violations: Vec::new(),
            };
            for (email, name) in &invited.people {
                match person(email)? {
                    Some((person, org, ours)) => {
                        let (side, list) = if ours {
                            (&mut fresh.iecm_delegation, &mut row.delegation)
                        } else {
                            (&mut fresh.counterpart_attendees, &mut row.counterparts)
                        };
                        if !side.contains(&person.id) {
                            side.push(person.id.clone());
                            list.push(person.clone());
                        }
                        if let Some(org) = org.filter(|_| !ours)
                            && !fresh.organization_ids.contains(&org)
                        {
                            fresh.organization_ids.push(org);
                        }
                    }
                    // By name: an e-mail of someone outside the directory is kept only when
                    // the invitation gives nothing else to know them by.
                    None if name.is_empty() => row.unknown.push(email.clone()),
                    None => row.unknown.push(name.clone()),
                }
            }
            if !row.unknown.is_empty() {
                let line = format!("{}: {}", lang.t("calendar.others"), row.unknown.join(", "));
                append_paragraph(&mut fresh.agenda, &line);
            }
            let id = meeting_id_of(&invited.uid).unwrap_or_else(|| Id::new(RecordKind::Meeting));
            let existing: Option<Meeting> = match self.get::<Meeting>(&id) {
                Ok(m) => Some(m),
                Err(Error::NotFound { .. }) => None,
                Err(e) => return Err(e),
            };
            let mut record = match &existing {
                // The same invitation twice in one file: the first one counts.
                _ if puts.iter().any(|p| p.id() == &id) => {
                    row.action = RowAction::Unchanged;
                    plan.rows.push(row);
                    continue;
                }
                Some(old) => {
                    row.existing = Some(RecordRef {
                        kind: RecordKind::Meeting,
                        id: id.clone(),
                        title: old.title.clone(),
                    });
                    // The file's when and where count only when it is newer than what the
                    // meeting was last taken from (the organizer moved it; for an export of
                    // this app, a later revision), so importing it again does not undo the
                    // office's own edits. An export's description is the meeting's objective,
                    // agenda and link under their headings: no agenda to add to its own.
                    let own = is_own(&invited.uid);
                    let held = u64::from(old.invitation_sequence).max(if own { old.revision } else { 0 });
                    if own {
                        fresh.agenda.clear();
                    }
                    merge(old.clone(), &fresh, u64::from(fresh.invitation_sequence) > held)
                }
                None => {
                    let mut m = fresh;
                    m.id = id.clone();
                    m
                }
            };
            let lookup = crate::index::catalog::Pending {
                catalog: &projection.catalog,
                added: &no_added,
                parents: &no_parents,
            };
            let mut any = AnyRecord::Meeting(record.clone());
            row.violations = validate::check_any(&mut any, &lookup);
            if let AnyRecord::Meeting(m) = any {
                record = m;
            }
            if row.violations.is_empty() {
                row.id = Some(id.clone());
            }
            // What the meeting will say (it keeps its own when the file is not newer).
            (row.date, row.time, row.time_zone, row.starts_at) =
                (record.date.clone(), record.time.clone(), record.time_zone.clone(), record.starts_at());
            if !row.violations.is_empty() {
                row.action = RowAction::Refuse;
            } else if let Some(old) = &existing {
                let mut cleaned = old.clone();
                cleaned.revision = record.revision;
                if cleaned == record {
                    row.action = RowAction::Unchanged;
                } else {
                    row.action = RowAction::Merge;
                    row.fields = changed_fields(
                        Some(&AnyRecord::Meeting(old.clone())),
                        &AnyRecord::Meeting(record.clone()),
                    );
                    let mut any = AnyRecord::Meeting(record);
                    any.stamp(id, old.revision + 1, old.created_at.unwrap_or(now), now);
                    puts.push(any);
                }
            } else {
                let mut any = AnyRecord::Meeting(record);
                any.stamp(id, 1, now, now);
                puts.push(any);
            }
            plan.rows.push(row);
        }
        plan.written = puts.len();
        Ok((plan, puts))
    }
}

/// A meeting already here updated from its invitation. When the invitation is `newer` than
/// what the meeting was last taken from, when, where and what it is called are the
/// invitation's, and the agenda gains its text unless it holds it already; its people and
/// organizations are always added. The rest is the office's.
fn merge(mut m: Meeting, invited: &Meeting, newer: bool) -> Meeting {
    if newer {
        m.title = invited.title.clone();
        m.date = invited.date.clone();
        m.time = invited.time.clone();
        m.duration_minutes = invited.duration_minutes;
        // A whole-day event says nothing of a zone: the meeting keeps its own.
        if invited.time.is_some() {
            m.time_zone = invited.time_zone.clone();
        }
        if !invited.place.is_empty() {
            m.place = invited.place.clone();
        }
        if !invited.link.is_empty() {
            m.link = invited.link.clone();
            m.modality = invited.modality;
        }
        append_paragraph(&mut m.agenda, &invited.agenda);
        if !invited.invitation_uid.is_empty() {
            m.invitation_uid = invited.invitation_uid.clone();
        }
        m.invitation_sequence = invited.invitation_sequence;
    }
    for (mine, theirs) in [
        (&mut m.organization_ids, &invited.organization_ids),
        (&mut m.counterpart_attendees, &invited.counterpart_attendees),
        (&mut m.iecm_delegation, &invited.iecm_delegation),
    ] {
        for id in theirs {
            if !mine.contains(id) {
                mine.push(id.clone());
            }
        }
    }
    m
}
