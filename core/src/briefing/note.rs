//! The records behind a briefing note, in the note's order: from a meeting, the whole *nota
//! informativa*; from an organization, the same without the meeting's parts (a *ficha*). Each
//! section comes from the records and is left out when it would be empty.

use super::layout::{Block, Cell, Furniture, Paper, Table};
use crate::clock::{office_now, office_today};
use crate::error::Result;
use crate::labels::Lang;
use crate::model::{
    Activity, ActivityStatus, Agreement, Contact, DEFAULT_TIME_ZONE, Id, Meeting, Organization,
};
use crate::settings::Settings;
use crate::store::Store;
use crate::text::fold;
use crate::views::{
    ActivityItem, AgreementItem, CommitmentItem, MeetingItem, short_ref, sort_activities, sort_agreements,
    sort_commitments, unique_by_id,
};
use jiff::Timestamp;

/// How many activities the joint activities show (the most recent; the rest are counted).
pub const NOTE_ACTIVITIES: usize = 10;

/// Delegations up to this size are named in the meeting's data; larger ones are counted.
const LISTED_DELEGATION: usize = 8;

/// A note ready to lay out: its blocks, what its pages say, its paper and file name.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub blocks: Vec<Block>,
    pub furniture: Furniture,
    pub paper: Paper,
    /// `AAAA-MM-DD_<acronym>_nota-informativa.pdf`: no person's name, no free text.
    pub file_name: String,
    /// When the data was read.
    pub taken_at: Timestamp,
}

pub(super) struct Builder<'a> {
    pub(super) store: &'a Store,
    /// How much of a long history the note shows (`noteMeetings`, `noteAgreements`).
    pub(super) settings: &'a Settings,
    pub(super) lang: Lang,
    pub(super) now: Timestamp,
    pub(super) blocks: Vec<Block>,
    pub(super) sections: usize,
}

impl<'a> Builder<'a> {
    pub(super) fn new(store: &'a Store, settings: &'a Settings, now: Timestamp) -> Builder<'a> {
        Builder { store, settings, lang: settings.lang(), now, blocks: Vec::new(), sections: 0 }
    }

    /// "The 10 most recent of 37 are shown.", when `shown` is less than `total`.
    fn more(&self, key: &str, shown: usize, total: usize) -> Option<Block> {
        (shown < total).then(|| {
            Block::Paragraph(
                self.t(key).replace("{shown}", &count(shown as u64)).replace("{total}", &count(total as u64)),
            )
        })
    }

    pub(super) fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    /// A numbered section, left out when it has nothing to say.
    pub(super) fn section(&mut self, key: &str, body: Vec<Block>) {
        if !body.is_empty() {
            self.sections += 1;
            self.blocks.push(Block::Heading(format!("{}. {}", self.sections, self.t(key))));
            self.blocks.extend(body);
        }
    }

    /// Texts under their subheadings (those left empty left out), as one section's body.
    fn texts(&self, parts: &[(&str, &str)]) -> Vec<Block> {
        let present: Vec<(&str, &str)> =
            parts.iter().map(|(k, t)| (*k, t.trim())).filter(|(_, t)| !t.is_empty()).collect();
        let titled = present.len() > 1;
        present
            .into_iter()
            .flat_map(|(key, text)| {
                let head = titled.then(|| Block::Subheading(self.t(key).to_owned()));
                head.into_iter().chain([Block::Paragraph(text.to_owned())])
            })
            .collect()
    }

    /// A table whose columns are titled by the note's words (`key`, fraction of the width);
    /// nothing when it has no rows.
    pub(super) fn table(&self, columns: &[(&str, f32)], rows: Vec<Vec<Cell>>) -> Vec<Block> {
        if rows.is_empty() {
            return Vec::new();
        }
        let columns = columns.iter().map(|(k, f)| (self.t(k).to_owned(), *f)).collect();
        vec![Block::Table(Table { columns, rows })]
    }

    /// A text of the note's own with its `{name}`s filled.
    pub(super) fn phrase(&self, key: &str, params: &[(&str, String)]) -> String {
        params
            .iter()
            .fold(self.t(key).to_owned(), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
    }

    /// ` (31 mujeres, 17 hombres)` when women or men were recorded among people reached.
    pub(super) fn split(&self, women: u64, men: u64) -> String {
        if women + men == 0 {
            return String::new();
        }
        format!(" ({})", self.phrase("reachedSplit", &[("w", count(women)), ("m", count(men))]))
    }

    pub(super) fn title_of(&self, id: &Id) -> Option<String> {
        self.store.with_catalog(|c| c.get(id).map(|s| s.title().to_owned()))
    }

    /// "Name (post)", or the name alone.
    fn person(&self, id: &Id) -> Option<String> {
        let c: Contact = self.store.get(id).ok()?;
        let name = honorific_name(&c);
        Some(if c.post.is_empty() { name } else { format!("{name} ({})", c.post) })
    }

    fn profile(&self, org: &Organization) -> Vec<Block> {
        let l = self.lang;
        let acronyms: Vec<&str> = [org.acronym_es.as_str(), org.acronym_en.as_str()]
            .into_iter()
            .filter(|a| !a.is_empty())
            .collect();
        let place: Vec<String> = [
            (!org.country.is_empty()).then(|| l.country_name(&org.country)),
            (!org.city.is_empty()).then(|| org.city.clone()),
        ]
        .into_iter()
        .flatten()
        .collect();
        let themes: Vec<&str> = org.themes.iter().map(|t| l.label("theme", t)).collect();
        fields(vec![
            (self.t("f.nameEs"), org.name_es.clone()),
            (self.t("f.nameEn"), org.name_en.clone()),
            (self.t("f.acronyms"), acronyms.join(" · ")),
            (self.t("f.kind"), l.label("orgKind", &org.kind).to_owned()),
            (self.t("f.scope"), l.label("scope", &org.scope).to_owned()),
            (self.t("f.sector"), l.label("sector", &org.sector).to_owned()),
            (self.t("f.country"), place.join(", ")),
            (self.t("f.website"), org.website.clone()),
            (self.t("f.themes"), themes.join(", ")),
            (self.t("f.relationship"), l.label("relationship", &org.relationship).to_owned()),
            (
                self.t("f.responsible"),
                org.responsible_id.as_ref().and_then(|id| self.person(id)).unwrap_or_default(),
            ),
        ])
    }

    /// People as a table: name, post, organization (when several), languages, contact details.
    fn people_table(&self, ids: &[Id], with_org: bool) -> Option<Block> {
        let l = self.lang;
        let rows: Vec<Vec<Cell>> = ids
            .iter()
            .filter_map(|id| self.store.get::<Contact>(id).ok())
            .map(|c| {
                let languages: Vec<String> = c
                    .languages
                    .iter()
                    .map(|code| {
                        let name = l.language_name(code);
                        if c.preferred_language.as_deref() == Some(code.as_str()) {
                            format!("{name} ({})", self.t("preferred"))
                        } else {
                            name
                        }
                    })
                    .collect();
                let contact: Vec<String> = c
                    .emails
                    .iter()
                    .chain(&c.phones)
                    .map(|e| {
                        if e.label.is_empty() {
                            e.value.clone()
                        } else {
                            format!("{} ({})", e.value, e.label)
                        }
                    })
                    .collect();
                let mut row = vec![Cell::from(honorific_name(&c)), Cell::from(c.post.clone())];
                if with_org {
                    // The acronym reads faster in a narrow column; the full name is in the profile.
                    let org = c.organization_id.as_ref().and_then(|id| {
                        self.store.with_catalog(|catalog| catalog.get(id).map(|s| short_ref(&s).title))
                    });
                    row.push(Cell::from(org.unwrap_or_default()));
                }
                row.extend([Cell::from(languages.join(", ")), Cell::from(contact.join("\n"))]);
                row
            })
            .collect();
        if rows.is_empty() {
            return None;
        }
        let mut columns = vec![(self.t("col.name"), 0.21), (self.t("col.post"), 0.2)];
        if with_org {
            columns.push((self.t("col.organization"), 0.17));
        }
        columns.extend([(self.t("col.languages"), 0.14), (self.t("col.contact"), 0.28)]);
        Some(Block::Table(Table {
            columns: columns.into_iter().map(|(t, f)| (t.to_owned(), f)).collect(),
            rows,
        }))
    }

    /// The latest meetings before `before` (as many as the settings say), with what was
    /// recorded and agreed in each; how many more there are.
    fn history(&self, meetings: &[MeetingItem], skip: Option<&Id>, before: Option<Timestamp>) -> Vec<Block> {
        let l = self.lang;
        let mut earlier: Vec<&MeetingItem> = meetings
            .iter()
            .filter(|m| Some(&m.id) != skip)
            .filter(|m| match (m.starts_at, before) {
                (Some(at), Some(limit)) => at < limit,
                (Some(at), None) => at <= self.now,
                (None, _) => false,
            })
            .collect();
        earlier.sort_by_key(|m| std::cmp::Reverse(m.starts_at));
        let shown = earlier.len().min(self.settings.note_meetings as usize);
        let mut out = Vec::new();
        for item in &earlier[..shown] {
            let Ok(m) = self.store.get::<Meeting>(&item.id) else { continue };
            out.push(Block::Subheading(format!("{} · {}", l.date(&m.date), m.title)));
            if !m.minutes.trim().is_empty() {
                out.push(Block::Paragraph(m.minutes.trim().to_owned()));
            }
            let agreed: Vec<String> = self
                .store
                .commitments_of(&m.id)
                .unwrap_or_default()
                .iter()
                .map(|c| {
                    let who = c.owner_id.as_ref().and_then(|id| self.title_of(id));
                    let party = l.label("party", &c.party);
                    let mut parts = vec![who.map_or_else(|| party.to_owned(), |w| format!("{party}: {w}"))];
                    parts.extend(c.due_on.as_deref().map(|d| l.date(d)));
                    parts.push(l.label("commitmentStatus", &c.status).to_lowercase());
                    format!("{} ({})", c.description, parts.join(", "))
                })
                .collect();
            if !agreed.is_empty() {
                out.push(Block::Bullets(agreed));
            }
        }
        out.extend(self.more("moreMeetings", shown, earlier.len()));
        out
    }

    /// The instruments in the order given (those in force first), as many as the settings say;
    /// how many more there are.
    pub(super) fn agreements(&self, items: &[AgreementItem]) -> Vec<Block> {
        let l = self.lang;
        let shown = items.len().min(self.settings.note_agreements as usize);
        let rows: Vec<Vec<Cell>> = items[..shown]
            .iter()
            .filter_map(|item| self.store.get::<Agreement>(&item.id).ok().map(|a| (item, a)))
            .map(|(item, a)| {
                let head = [l.label("agreementKind", &a.kind), a.folio.as_str()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" · ");
                let validity = match (&a.valid_from, &a.valid_until) {
                    (Some(from), Some(until)) => format!("{} – {}", l.date(from), l.date(until)),
                    (None, Some(until)) => format!("{} {}", self.t("until"), l.date(until)),
                    (Some(from), None) => {
                        format!("{} {} · {}", self.t("from"), l.date(from), self.t("openEnded"))
                    }
                    (None, None) if a.status.is_live() => self.t("openEnded").to_owned(),
                    (None, None) => String::new(),
                };
                let expiry = match item.days_left {
                    Some(days) if item.expired => Cell::alert(l.days(days, true), ""),
                    Some(days) if a.status.is_live() => Cell::from(l.days(days, true)),
                    _ => Cell::default(),
                };
                vec![
                    Cell::with_note(a.title.clone(), head),
                    l.label("agreementStatus", &a.status).into(),
                    validity.into(),
                    expiry,
                ]
            })
            .collect();
        let mut out = self.table(
            &[("col.agreement", 0.46), ("col.status", 0.14), ("col.validity", 0.24), ("col.expiry", 0.16)],
            rows,
        );
        out.extend(self.more("moreAgreements", shown, items.len()));
        out
    }

    /// The activities with the organizations, newest first (cancelled ones left out), the
    /// most recent [`NOTE_ACTIVITIES`] of them.
    pub(super) fn activities(&self, items: &[ActivityItem]) -> Vec<Block> {
        let l = self.lang;
        let live: Vec<&ActivityItem> =
            items.iter().filter(|a| a.status != ActivityStatus::Cancelled).collect();
        let rows: Vec<Vec<Cell>> = live
            .iter()
            .take(NOTE_ACTIVITIES)
            .filter_map(|item| self.store.get::<Activity>(&item.id).ok())
            .map(|a| {
                let head = [l.label("activityKind", &a.kind).to_owned()]
                    .into_iter()
                    .chain(a.agreement_id.as_ref().and_then(|id| self.title_of(id)))
                    .collect::<Vec<_>>()
                    .join(" · ");
                let dates = l.date_range(a.starts_on.as_deref(), a.ends_on.as_deref());
                let mut results: Vec<String> = Vec::new();
                if let Some(n) = a.reached() {
                    let (women, men) =
                        (a.women_reached.unwrap_or(0).into(), a.men_reached.unwrap_or(0).into());
                    results.push(format!(
                        "{}{}",
                        self.t("reached").replace("{n}", &count(n)),
                        self.split(women, men)
                    ));
                }
                results.extend(a.products.lines().map(str::trim).find(|p| !p.is_empty()).map(str::to_owned));
                vec![
                    Cell::with_note(a.title.clone(), head),
                    dates.into(),
                    l.label("activityStatus", &a.status).into(),
                    results.join("\n").into(),
                ]
            })
            .collect();
        let mut out = self.table(
            &[("col.activity", 0.38), ("col.dates", 0.24), ("col.status", 0.12), ("col.results", 0.26)],
            rows,
        );
        out.extend(self.more("moreActivities", NOTE_ACTIVITIES.min(live.len()), live.len()));
        out
    }

    /// The open commitments, in the order the lists give them (overdue first).
    pub(super) fn commitments(&self, items: &[CommitmentItem]) -> Vec<Block> {
        let l = self.lang;
        let rows: Vec<Vec<Cell>> = items
            .iter()
            .map(|c| {
                let owner = c.owner.as_ref().map(|o| o.title.clone()).unwrap_or_default();
                let status = l.label("commitmentStatus", &c.status);
                let situation = match c.days_left {
                    Some(days) if days < 0 => Cell::alert(l.days(days, false), status),
                    Some(days) => Cell::with_note(l.days(days, false), status),
                    None => Cell::from(status),
                };
                let source = c.source.as_ref().map(|s| s.title.clone()).unwrap_or_default();
                vec![
                    Cell::with_note(c.title.clone(), source),
                    Cell::with_note(l.label("party", &c.party), owner),
                    c.due_on.as_deref().map(|d| l.date(d)).unwrap_or_default().into(),
                    situation,
                ]
            })
            .collect();
        self.table(
            &[("col.commitment", 0.42), ("col.owner", 0.21), ("col.due", 0.15), ("col.situation", 0.22)],
            rows,
        )
    }
}

/// `n` as the office writes counts: "1,234".
pub(super) fn count(n: impl Into<u64>) -> String {
    let digits = n.into().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub(super) fn fields(pairs: Vec<(&str, String)>) -> Vec<Block> {
    let rows: Vec<(String, String)> =
        pairs.into_iter().filter(|(_, v)| !v.trim().is_empty()).map(|(k, v)| (k.to_owned(), v)).collect();
    if rows.is_empty() { Vec::new() } else { vec![Block::Fields(rows)] }
}

pub(super) fn honorific_name(c: &Contact) -> String {
    if c.honorific.is_empty() { c.full_name.clone() } else { format!("{} {}", c.honorific, c.full_name) }
}

/// `ONU Mujeres` → `ONU-Mujeres`: letters and digits of the acronym, accents folded, for a
/// file name that any system accepts. No acronym: `organismo`.
fn file_token(acronym: &str) -> String {
    let folded = fold(acronym);
    let token: String = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let original: String =
        acronym.chars().filter(|c| c.is_ascii_alphanumeric() || *c == ' ' || *c == '-').collect();
    // Keep the acronym's own capitals when it is plain ASCII.
    let cased = original
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let chosen = if cased.eq_ignore_ascii_case(&token) { cased } else { token };
    if chosen.is_empty() { "organismo".to_owned() } else { chosen.chars().take(40).collect() }
}

fn hh_mm(z: &jiff::ZonedDateTime) -> String {
    format!("{:02}:{:02}", z.hour(), z.minute())
}

pub(super) fn furniture(
    settings: &Settings,
    lang: Lang,
    title_key: &str,
    subject: &str,
    now: Timestamp,
) -> Furniture {
    let local = office_now(now);
    let taken_at = lang
        .t("takenAt")
        .replace("{date}", &lang.date(&local.date().to_string()))
        .replace("{time}", &hh_mm(&local));
    Furniture {
        institution: settings.institution.clone(),
        area: settings.area.clone(),
        title: lang.t(title_key).to_owned(),
        subject: subject.to_owned(),
        taken_at,
        internal: lang.t("internal").to_owned(),
        page_label: lang.t("page").to_owned(),
    }
}

impl Builder<'_> {
    /// Section 1, the meeting's data: when (and when that is in Mexico City, for a meeting
    /// held in another zone), how long, how, where, and both delegations.
    fn meeting_data(&self, meeting: &Meeting) -> Vec<Block> {
        let l = self.lang;
        let mut when = l.date(&meeting.date);
        if let Some(time) = &meeting.time {
            when.push_str(&format!(", {time}"));
        }
        let foreign_zone = meeting.time_zone != DEFAULT_TIME_ZONE;
        if foreign_zone {
            when.push_str(&format!(" ({})", meeting.time_zone));
        }
        let office_time = match (foreign_zone, &meeting.time, meeting.starts_at()) {
            (true, Some(_), Some(at)) => {
                let z = office_now(at);
                format!("{}, {}", l.date(&z.date().to_string()), hh_mm(&z))
            }
            _ => String::new(),
        };
        // A long delegation is counted here; the attendees' section lists everyone.
        let delegation = |ids: &[Id]| {
            if ids.len() > LISTED_DELEGATION {
                self.t("f.manyPeople").replace("{n}", &ids.len().to_string())
            } else {
                ids.iter().filter_map(|id| self.person(id)).collect::<Vec<_>>().join("\n")
            }
        };
        let duration = meeting.duration_minutes.map(|m| self.t("f.minutes").replace("{n}", &m.to_string()));
        fields(vec![
            (self.t("f.date"), when),
            (self.t("f.officeTime"), office_time),
            (self.t("f.duration"), duration.unwrap_or_default()),
            (self.t("f.modality"), l.label("modality", &meeting.modality).to_owned()),
            (self.t("f.place"), meeting.place.clone()),
            (self.t("f.link"), meeting.link.clone()),
            (self.t("f.counterpartDelegation"), delegation(&meeting.counterpart_attendees)),
            (self.t("f.iecmDelegation"), delegation(&meeting.iecm_delegation)),
        ])
    }

    /// Section 3: each organization's profile, under its name when there are several.
    fn profiles(&self, orgs: &[Organization]) -> Vec<Block> {
        let mut profile = Vec::new();
        for org in orgs {
            if orgs.len() > 1 {
                profile.push(Block::Subheading(org.display_name().to_owned()));
            }
            profile.extend(self.profile(org));
        }
        profile
    }

    /// Sections 5 to 8: the history, agreements, activities and open commitments of the meeting's organizations (what
    /// they share, a meeting or agreement with several, comes once), and the meeting's own
    /// open commitments, even with no organization on it.
    fn relations(&mut self, meeting: &Meeting, orgs: &[Organization]) -> Result<()> {
        let (store, now) = (self.store, self.now);
        let overviews: Vec<_> =
            orgs.iter().filter_map(|o| store.organization_overview(&o.id, now).ok()).collect();
        let mut meetings: Vec<MeetingItem> = overviews.iter().flat_map(|o| o.meetings.clone()).collect();
        unique_by_id(&mut meetings, |m| &m.id);
        let history = self.history(&meetings, Some(&meeting.id), meeting.starts_at());
        self.section("section.history", history);
        let mut agreements: Vec<AgreementItem> =
            overviews.iter().flat_map(|o| o.agreements.clone()).collect();
        unique_by_id(&mut agreements, |a| &a.id);
        sort_agreements(&mut agreements);
        let agreements = self.agreements(&agreements);
        self.section("section.agreements", agreements);
        let mut activities: Vec<ActivityItem> = overviews.iter().flat_map(|o| o.activities.clone()).collect();
        unique_by_id(&mut activities, |a| &a.id);
        sort_activities(&mut activities);
        let activities = self.activities(&activities);
        self.section("section.activities", activities);
        let mut open: Vec<CommitmentItem> =
            overviews.iter().flat_map(|o| o.open_commitments.clone()).collect();
        open.extend(store.commitment_items(&meeting.id, now)?.into_iter().filter(|c| c.status.is_open()));
        unique_by_id(&mut open, |c| &c.id);
        sort_commitments(&mut open);
        let open = self.commitments(&open);
        self.section("section.commitments", open);
        Ok(())
    }
}

/// The heading of a section made of up to two texts: the one present, or `both` for the two.
fn pair_key<'k>(first: (&'k str, &str), second: (&'k str, &str), both: &'k str) -> &'k str {
    match (first.1.trim().is_empty(), second.1.trim().is_empty()) {
        (false, false) => both,
        (true, _) => second.0,
        (false, true) => first.0,
    }
}

impl Store {
    /// The briefing note for a meeting, with the data as of `now`.
    pub fn meeting_note(&self, id: &Id, now: Timestamp, settings: &Settings) -> Result<Note> {
        let meeting: Meeting = self.get(id)?;
        let lang = settings.lang();
        let mut b = Builder::new(self, settings, now);
        let orgs: Vec<Organization> =
            meeting.organization_ids.iter().filter_map(|o| self.get(o).ok()).collect();

        let data = b.meeting_data(&meeting);
        b.section("section.meeting", data);
        // 2. Objective and agenda (titled by the objective when there is one).
        let objective = ("section.objective", meeting.objective.as_str());
        let agenda = ("section.agenda", meeting.agenda.as_str());
        let body = b.texts(&[objective, agenda]);
        b.section(pair_key(objective, agenda, "section.objective"), body);
        let profile = b.profiles(&orgs);
        b.section("section.profile", profile);
        // 4. Attendees: the counterpart's first, then the IECM's.
        let attendees: Vec<Id> =
            meeting.counterpart_attendees.iter().chain(&meeting.iecm_delegation).cloned().collect();
        let table = b.people_table(&attendees, true);
        b.section("section.attendees", table.into_iter().collect());
        b.relations(&meeting, &orgs)?;
        // 8. What to say, and what to handle with care.
        let talking = ("section.talkingPoints", meeting.talking_points.as_str());
        let sensitive = ("section.sensitive", meeting.sensitive_topics.as_str());
        let body = b.texts(&[talking, sensitive]);
        b.section(pair_key(talking, sensitive, "section.talk"), body);

        let acronym = orgs.first().map(|o| o.display_acronym().to_owned()).unwrap_or_default();
        let date = if meeting.date.parse::<jiff::civil::Date>().is_ok() {
            meeting.date.clone()
        } else {
            office_today(now).to_string()
        };
        Ok(Note {
            blocks: b.blocks,
            furniture: furniture(settings, lang, "title.meeting", &meeting.title, now),
            paper: Paper::from_setting(&settings.paper),
            file_name: format!("{date}_{}_{}.pdf", file_token(&acronym), lang.t("fileWord")),
            taken_at: now,
        })
    }

    /// The *ficha* of an organization: its profile, people, history, agreements and open
    /// commitments, as of `now`.
    pub fn organization_note(&self, id: &Id, now: Timestamp, settings: &Settings) -> Result<Note> {
        let view = self.organization_overview(id, now)?;
        let org = &view.organization;
        let lang = settings.lang();
        let mut b = Builder::new(self, settings, now);
        let profile = b.profile(org);
        b.section("section.profile", profile);
        let people: Vec<Id> = view.people.iter().map(|p| p.record.id.clone()).collect();
        let table = b.people_table(&people, false);
        b.section("section.people", table.into_iter().collect());
        let history = b.history(&view.meetings, None, None);
        b.section("section.history", history);
        let agreements = b.agreements(&view.agreements);
        b.section("section.agreements", agreements);
        let activities = b.activities(&view.activities);
        b.section("section.activities", activities);
        let open = b.commitments(&view.open_commitments);
        b.section("section.commitments", open);
        Ok(Note {
            blocks: b.blocks,
            furniture: furniture(settings, lang, "title.organization", org.display_name(), now),
            paper: Paper::from_setting(&settings.paper),
            file_name: format!(
                "{}_{}_{}.pdf",
                office_today(now),
                file_token(org.display_acronym()),
                lang.t("fileWord")
            ),
            taken_at: now,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::file_token;

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(super::count(7u64), "7");
        assert_eq!(super::count(1234u64), "1,234");
        assert_eq!(super::count(1_234_567u64), "1,234,567");
    }

    #[test]
    fn file_names_carry_the_acronym_only() {
        assert_eq!(file_token("ONU Mujeres"), "ONU-Mujeres");
        assert_eq!(file_token("IDEA Internacional"), "IDEA-Internacional");
        assert_eq!(file_token("ACNUDH"), "ACNUDH");
        assert_eq!(file_token("Inst. Café/Ñandú"), "inst-cafe-nandu");
        assert_eq!(file_token(""), "organismo");
        assert_eq!(file_token("../../etc"), "etc");
    }
}
