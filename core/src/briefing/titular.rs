//! The *informe del titular*: everything the office holds about one person, for an access
//! request under ARCO rights: the record itself with every field, where it appears (meetings,
//! agreements, commitments, organizations), the documents attached to it, and its history from
//! the audit log (who changed which fields, when). Laid out and rendered like a briefing note.

use super::layout::{Block, Cell, Paper};
use super::note::{Builder, Note, fields, furniture, honorific_name};
use crate::clock::office_today;
use crate::error::Result;
use crate::model::{Agreement, Commitment, Contact, Id, Meeting, Organization, RecordKind};
use crate::settings::Settings;
use crate::store::Store;
use crate::views::AuditFilter;
use jiff::Timestamp;

impl Builder<'_> {
    fn yes_no(&self, v: bool) -> String {
        self.t(if v { "yes" } else { "no" }).to_owned()
    }

    /// Section 1: every field of the record, as held.
    fn personal_data(&self, c: &Contact) -> Vec<Block> {
        let l = self.lang;
        let labeled =
            |list: &[crate::model::Labeled]| {
                list.iter()
                    .map(|e| {
                        if e.label.is_empty() {
                            e.value.clone()
                        } else {
                            format!("{} ({})", e.value, e.label)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            };
        let languages: Vec<String> = c.languages.iter().map(|code| l.language_name(code)).collect();
        let notice = match (&c.privacy_notice_given, &c.privacy_notice_date) {
            (true, Some(date)) => format!("{} · {}", self.yes_no(true), l.date(date)),
            (given, _) => self.yes_no(*given),
        };
        let instant =
            |t: Option<Timestamp>| t.map(|t| l.date(&office_today(t).to_string())).unwrap_or_default();
        fields(vec![
            (self.t("f.fullName"), c.full_name.clone()),
            (self.t("f.honorific"), c.honorific.clone()),
            (self.t("f.post"), c.post.clone()),
            (
                self.t("f.organization"),
                c.organization_id.as_ref().and_then(|id| self.title_of(id)).unwrap_or_default(),
            ),
            (self.t("f.postSince"), c.post_since.as_deref().map(|d| l.date(d)).unwrap_or_default()),
            (self.t("f.emails"), labeled(&c.emails)),
            (self.t("f.phones"), labeled(&c.phones)),
            (self.t("f.languages"), languages.join(", ")),
            (
                self.t("f.preferredLanguage"),
                c.preferred_language.as_deref().map(|x| l.language_name(x)).unwrap_or_default(),
            ),
            (self.t("f.privacyNotice"), notice),
            (self.t("f.sensitiveData"), self.yes_no(c.sensitive_data)),
            (self.t("f.tags"), c.tags.join(", ")),
            (self.t("f.notes"), c.notes.clone()),
            (self.t("f.uids"), c.uids.join("\n")),
            (self.t("f.createdAt"), instant(c.created_at)),
            (self.t("f.updatedAt"), instant(c.updated_at)),
        ])
    }

    fn post_history(&self, c: &Contact) -> Vec<Block> {
        let l = self.lang;
        let rows = c
            .post_history
            .iter()
            .map(|p| {
                let org = p.organization_id.as_ref().and_then(|id| self.title_of(id));
                let when = format!(
                    "{} – {}",
                    p.from.as_deref().map(|d| l.date(d)).unwrap_or_else(|| "…".into()),
                    p.until.as_deref().map(|d| l.date(d)).unwrap_or_else(|| "…".into())
                );
                vec![
                    Cell::from(p.post.clone()),
                    Cell::from(org.unwrap_or_else(|| p.organization_name.clone())),
                    when.into(),
                ]
            })
            .collect();
        self.table(&[("col.post", 0.4), ("col.organization", 0.35), ("col.period", 0.25)], rows)
    }

    /// Sections 3 to 8: the records that name the person, by kind, with the part they play, and
    /// the documents attached to her record.
    fn appearances(&mut self, id: &Id) -> Result<()> {
        let l = self.lang;
        let refs = self.store.references(id)?;
        let of = |kind: RecordKind| refs.iter().filter(move |r| r.kind == kind);
        let mut meetings: Vec<Meeting> =
            of(RecordKind::Meeting).filter_map(|r| self.store.get(&r.id).ok()).collect();
        meetings.sort_by(|a, b| b.date.cmp(&a.date));
        let rows = meetings
            .iter()
            .map(|m| {
                let role =
                    if m.counterpart_attendees.contains(id) { "role.counterpart" } else { "role.iecm" };
                vec![Cell::from(l.date(&m.date)), Cell::from(m.title.clone()), Cell::from(self.t(role))]
            })
            .collect();
        let body = self.table(&[("col.date", 0.18), ("col.meeting", 0.57), ("col.role", 0.25)], rows);
        self.section("section.meetingsAttended", body);
        let rows = of(RecordKind::Agreement)
            .filter_map(|r| self.store.get::<Agreement>(&r.id).ok())
            .map(|a| {
                let role = if a.iecm_contact_id.as_ref() == Some(id) {
                    "role.iecmContact"
                } else {
                    "role.counterpartContact"
                };
                vec![
                    Cell::from(a.title.clone()),
                    l.label("agreementStatus", &a.status).into(),
                    Cell::from(self.t(role)),
                ]
            })
            .collect();
        let body = self.table(&[("col.agreement", 0.55), ("col.status", 0.2), ("col.role", 0.25)], rows);
        self.section("section.agreementsNamed", body);
        let rows = self
            .store
            .participations(id)?
            .items
            .into_iter()
            .map(|p| {
                let mut training: Vec<String> = Vec::new();
                training.extend(p.hours.map(|h| self.t("hours").replace("{n}", &format_hours(h))));
                if p.completed {
                    training.push(self.t("completed").to_owned());
                }
                if !p.certificate.is_empty() {
                    training.push(p.certificate.clone());
                }
                vec![
                    Cell::from(p.activity.starts_on.as_deref().map(|d| l.date(d)).unwrap_or_default()),
                    Cell::with_note(p.activity.title.clone(), l.label("activityKind", &p.activity.kind)),
                    Cell::from(training.join("\n")),
                ]
            })
            .collect();
        let body = self.table(&[("col.date", 0.18), ("col.activity", 0.5), ("col.training", 0.32)], rows);
        self.section("section.activitiesTaken", body);
        let rows = of(RecordKind::Commitment)
            .filter_map(|r| self.store.get::<Commitment>(&r.id).ok())
            .map(|c| {
                let source = c.source.as_ref().and_then(|s| self.title_of(s.id())).unwrap_or_default();
                vec![
                    Cell::with_note(c.description.clone(), source),
                    c.due_on.as_deref().map(|d| l.date(d)).unwrap_or_default().into(),
                    l.label("commitmentStatus", &c.status).into(),
                ]
            })
            .collect();
        let body = self.table(&[("col.commitment", 0.6), ("col.due", 0.18), ("col.status", 0.22)], rows);
        self.section("section.commitmentsOwned", body);
        let orgs: Vec<String> = of(RecordKind::Organization)
            .filter_map(|r| self.store.get::<Organization>(&r.id).ok())
            .map(|o| format!("{}: {}", self.t("role.responsible"), o.display_name()))
            .collect();
        self.section(
            "section.organizations",
            if orgs.is_empty() { Vec::new() } else { vec![Block::Bullets(orgs)] },
        );
        // Files about the person (a scanned ID, a signed consent): named, not reproduced.
        let rows = self
            .store
            .documents_of(id)?
            .into_iter()
            .map(|d| {
                let attached =
                    d.attached_at.map(|t| l.date(&office_today(t).to_string())).unwrap_or_default();
                vec![Cell::from(d.title), Cell::from(format_size(d.size)), Cell::from(attached)]
            })
            .collect();
        let body = self.table(&[("col.document", 0.6), ("col.size", 0.15), ("col.attached", 0.25)], rows);
        self.section("section.documentsAttached", body);
        Ok(())
    }

    /// Section 9: the record's history from the audit log: when, who, what, which fields.
    fn record_history(&self, id: &Id) -> Result<Vec<Block>> {
        let l = self.lang;
        // All of it: an access report is whole.
        let filter = AuditFilter { record: Some(id.clone()), ..AuditFilter::default() };
        let view = self.store.audit_page(&filter, usize::MAX)?;
        let rows = view
            .rows
            .iter()
            .rev()
            .map(|row| {
                let fields: Vec<&str> = row
                    .fields
                    .iter()
                    .map(|f| match self.t(&format!("f.{f}")) {
                        "" => f.as_str(),
                        label => label,
                    })
                    .collect();
                vec![
                    Cell::from(l.date(&office_today(row.at).to_string())),
                    Cell::from(row.who.clone()),
                    Cell::from(l.label("auditEvent", &row.event)),
                    Cell::from(fields.join(", ")),
                ]
            })
            .collect();
        Ok(self
            .table(&[("col.date", 0.16), ("col.who", 0.2), ("col.event", 0.2), ("col.fields", 0.44)], rows))
    }
}

impl Store {
    /// The *informe del titular* of the person `id`, as of `now`. Its file name carries the
    /// date and the record's id, never the person's name.
    pub fn titular_report(&self, id: &Id, now: Timestamp, settings: &Settings) -> Result<Note> {
        let person: Contact = self.get(id)?;
        let lang = settings.lang();
        let mut b = Builder::new(self, settings, now);
        b.blocks.push(Block::Paragraph(lang.t("titular.intro").to_owned()));
        let data = b.personal_data(&person);
        b.section("section.personalData", data);
        let posts = b.post_history(&person);
        b.section("section.postHistory", posts);
        b.appearances(id)?;
        let history = b.record_history(id)?;
        b.section("section.recordHistory", history);
        Ok(Note {
            blocks: b.blocks,
            furniture: furniture(settings, lang, "title.titular", &honorific_name(&person), now),
            paper: Paper::from_setting(&settings.paper),
            file_name: format!("{}_{}_{}.pdf", office_today(now), id.as_str(), lang.t("titularFileWord")),
            taken_at: now,
        })
    }
}

/// A file's size as people read it: "850 B", "3.5 KB", "2.4 MB" (units of 1,024).
fn format_size(bytes: u64) -> String {
    let (value, unit) = match bytes {
        0..1024 => return format!("{bytes} B"),
        1024..1_048_576 => (bytes as f64 / 1024.0, "KB"),
        _ => (bytes as f64 / 1_048_576.0, "MB"),
    };
    if value >= 10.0 { format!("{value:.0} {unit}") } else { format!("{value:.1} {unit}") }
}

/// Hours as the office writes them: `8`, `1.5` (a comma in neither language: it is a count).
pub(crate) fn format_hours(hours: f64) -> String {
    let text = format!("{hours:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}
