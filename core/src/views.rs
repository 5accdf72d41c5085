//! Views derived from the records: the home screen ("Esta semana") and everything about one
//! organization. Computed from the in-memory catalog at a given instant, so tests pin the date.

use crate::catalog::{Catalog, Detail, Summary};
use crate::error::Result;
use crate::model::{
    AgreementKind, AgreementStatus, CommitmentStatus, DEFAULT_TIME_ZONE, Id, Modality, OrgKind, Organization,
    Party, RecordKind, RecordRef, RelationshipStatus,
};
use crate::store::Store;
use crate::text::fold;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

/// Commitments due within this many days count as due soon; meetings within it as upcoming.
pub const HORIZON_DAYS: i32 = 14;
/// How many recent changes the home view lists.
pub const RECENT_CHANGES: usize = 10;

/// The office's calendar day at `now`.
pub fn office_today(now: Timestamp) -> Date {
    office_now(now).date()
}

/// `now` on the office's clock (Mexico City).
pub(crate) fn office_now(now: Timestamp) -> jiff::ZonedDateTime {
    let tz = jiff::tz::db().get(DEFAULT_TIME_ZONE).expect("the bundled time-zone database has Mexico City");
    now.to_zoned_datetime(tz)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HomeView {
    /// The office's date the view was computed for (`YYYY-MM-DD`).
    pub today: String,
    /// Meetings from today through the horizon, soonest first.
    pub upcoming_meetings: Vec<MeetingItem>,
    /// Open commitments past their due date, most overdue first.
    pub overdue_commitments: Vec<CommitmentItem>,
    /// Open commitments due from today through the horizon.
    pub due_soon_commitments: Vec<CommitmentItem>,
    /// Signed or in-force agreements ending within their notice window (*por vencer*).
    pub expiring_agreements: Vec<AgreementItem>,
    /// Signed or in-force agreements whose end date has passed.
    pub expired_agreements: Vec<AgreementItem>,
    /// The latest changes to any record, newest first.
    pub recent_changes: Vec<ChangeItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingItem {
    pub id: Id,
    pub title: String,
    pub date: Option<String>,
    pub time: Option<String>,
    pub time_zone: String,
    pub modality: Modality,
    pub starts_at: Option<Timestamp>,
    pub organizations: Vec<RecordRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommitmentItem {
    pub id: Id,
    /// The revision, so the commitment can be marked done from where it is shown.
    pub revision: u64,
    pub title: String,
    pub status: CommitmentStatus,
    pub party: Party,
    pub due_on: Option<String>,
    /// Days from today to the due date (negative when overdue).
    pub days_left: Option<i32>,
    pub owner: Option<RecordRef>,
    pub source: Option<RecordRef>,
    pub organizations: Vec<RecordRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AgreementItem {
    pub id: Id,
    pub title: String,
    pub kind: AgreementKind,
    pub folio: String,
    pub status: AgreementStatus,
    pub valid_until: Option<String>,
    /// Days from today to the end of validity (negative once ended).
    pub days_left: Option<i32>,
    pub notice_days: u32,
    /// Live and within its notice window (*por vencer*).
    pub expiring: bool,
    /// Live but past its end date.
    pub expired: bool,
    pub counterparts: Vec<RecordRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeItem {
    #[serde(flatten)]
    pub record: RecordRef,
    pub updated_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PersonItem {
    #[serde(flatten)]
    pub record: RecordRef,
    pub post: String,
}

/// Everything about one organization.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationOverview {
    pub organization: Organization,
    /// Its people today, by name.
    pub people: Vec<PersonItem>,
    /// People who held a post there before (from their post history).
    pub former_people: Vec<PersonItem>,
    /// Its meetings, newest first.
    pub meetings: Vec<MeetingItem>,
    pub agreements: Vec<AgreementItem>,
    /// Open commitments on both sides: overdue first, then by due date, undated last.
    pub open_commitments: Vec<CommitmentItem>,
}

/// References to organizations, named by acronym when they have one: in a line that lists
/// several, "ONU Mujeres" reads better than the full official name.
fn refs(catalog: &Catalog, ids: &[Id]) -> Vec<RecordRef> {
    ids.iter().filter_map(|id| catalog.get(id)).map(short_ref).collect()
}

pub(crate) fn short_ref(s: &Summary) -> RecordRef {
    let mut r = s.to_ref();
    if let Detail::Organization { acronym, .. } = &s.detail
        && !acronym.is_empty()
    {
        r.title = acronym.clone();
    }
    r
}

fn days_between(from: Date, to: Date) -> i32 {
    from.until(to).map(|span| span.get_days()).unwrap_or(0)
}

fn meeting_item(catalog: &Catalog, s: &Summary) -> Option<MeetingItem> {
    let Detail::Meeting { starts_at, date, time, time_zone, modality, organization_ids } = &s.detail else {
        return None;
    };
    Some(MeetingItem {
        id: s.id.clone(),
        title: s.title.clone(),
        date: date.map(|d| d.to_string()),
        time: time.clone(),
        time_zone: time_zone.clone(),
        modality: *modality,
        starts_at: *starts_at,
        organizations: refs(catalog, organization_ids),
    })
}

fn commitment_item(catalog: &Catalog, s: &Summary, today: Date) -> Option<CommitmentItem> {
    let Detail::Commitment { source, party, owner_id, due, status } = &s.detail else { return None };
    let source_summary = source.as_ref().and_then(|src| catalog.get(src.id()));
    let organizations = match source_summary.map(|s| &s.detail) {
        Some(Detail::Meeting { organization_ids, .. }) => refs(catalog, organization_ids),
        Some(Detail::Agreement { counterpart_ids, .. }) => refs(catalog, counterpart_ids),
        _ => Vec::new(),
    };
    Some(CommitmentItem {
        id: s.id.clone(),
        revision: s.revision,
        title: s.title.clone(),
        status: *status,
        party: *party,
        due_on: due.map(|d| d.to_string()),
        days_left: due.map(|d| days_between(today, d)),
        owner: owner_id.as_ref().and_then(|id| catalog.get(id)).map(Summary::to_ref),
        source: source_summary.map(Summary::to_ref),
        organizations,
    })
}

fn agreement_item(catalog: &Catalog, s: &Summary, today: Date) -> Option<AgreementItem> {
    let Detail::Agreement { kind, folio, status, valid_until, notice_days, counterpart_ids, .. } = &s.detail
    else {
        return None;
    };
    let days_left = valid_until.map(|d| days_between(today, d));
    let live = status.is_live();
    Some(AgreementItem {
        id: s.id.clone(),
        title: s.title.clone(),
        kind: *kind,
        folio: folio.clone(),
        status: *status,
        valid_until: valid_until.map(|d| d.to_string()),
        days_left,
        notice_days: *notice_days,
        expiring: live && days_left.is_some_and(|d| d >= 0 && d <= *notice_days as i32),
        expired: live && days_left.is_some_and(|d| d < 0),
        counterparts: refs(catalog, counterpart_ids),
    })
}

/// Open before closed; then overdue first (most overdue first), then by due date, undated
/// last; then by title.
pub(crate) fn sort_commitments(items: &mut [CommitmentItem]) {
    items.sort_by_cached_key(|c| (!c.status.is_open(), c.days_left.is_none(), c.days_left, fold(&c.title)));
}

/// Live before ended; then the soonest to end first, open-ended last; then by title.
pub(crate) fn sort_agreements(items: &mut [AgreementItem]) {
    items.sort_by(|a, b| {
        (!a.status.is_live(), a.days_left.is_none(), a.days_left, &a.title).cmp(&(
            !b.status.is_live(),
            b.days_left.is_none(),
            b.days_left,
            &b.title,
        ))
    });
}

/// Keeps the first of each record in `items` (lists gathered from several organizations).
pub(crate) fn unique_by_id<T>(items: &mut Vec<T>, id: impl Fn(&T) -> &Id) {
    let mut seen = std::collections::HashSet::new();
    items.retain(|item| seen.insert(id(item).clone()));
}

/// One organization in a list.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationItem {
    pub id: Id,
    pub title: String,
    pub acronym: String,
    pub kind: OrgKind,
    pub relationship: RelationshipStatus,
    pub country: String,
    pub updated_at: Option<Timestamp>,
}

/// One person in a list.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactItem {
    pub id: Id,
    pub title: String,
    pub post: String,
    pub email: String,
    pub organization: Option<RecordRef>,
    pub updated_at: Option<Timestamp>,
}

/// Every record of one kind, as the list screens show them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "items", rename_all = "camelCase")]
pub enum RecordList {
    Organization(Vec<OrganizationItem>),
    Contact(Vec<ContactItem>),
    Meeting(Vec<MeetingItem>),
    Agreement(Vec<AgreementItem>),
    Commitment(Vec<CommitmentItem>),
}

impl Store {
    /// Every record of `kind`, with the columns its list shows, sorted by title (meetings by
    /// date, newest first; commitments overdue first). Days are counted from `now`.
    pub fn list_items(&self, kind: RecordKind, now: Timestamp) -> RecordList {
        let today = office_today(now);
        self.with_catalog(|catalog| {
            let of_kind = || catalog.of_kind(kind);
            match kind {
                RecordKind::Organization => {
                    let mut items: Vec<OrganizationItem> = of_kind()
                        .filter_map(|s| match &s.detail {
                            Detail::Organization { acronym, kind, relationship, country } => {
                                Some(OrganizationItem {
                                    id: s.id.clone(),
                                    title: s.title.clone(),
                                    acronym: acronym.clone(),
                                    kind: *kind,
                                    relationship: *relationship,
                                    country: country.clone(),
                                    updated_at: s.updated_at,
                                })
                            }
                            _ => None,
                        })
                        .collect();
                    items.sort_by_cached_key(|i| (fold(&i.title), i.id.clone()));
                    RecordList::Organization(items)
                }
                RecordKind::Contact => {
                    let mut items: Vec<ContactItem> = of_kind()
                        .filter_map(|s| match &s.detail {
                            Detail::Contact { organization_id, post, email } => Some(ContactItem {
                                id: s.id.clone(),
                                title: s.title.clone(),
                                post: post.clone(),
                                email: email.clone(),
                                organization: organization_id
                                    .as_ref()
                                    .and_then(|id| catalog.get(id))
                                    .map(short_ref),
                                updated_at: s.updated_at,
                            }),
                            _ => None,
                        })
                        .collect();
                    items.sort_by_cached_key(|i| (fold(&i.title), i.id.clone()));
                    RecordList::Contact(items)
                }
                RecordKind::Meeting => {
                    let mut items: Vec<MeetingItem> =
                        of_kind().filter_map(|s| meeting_item(catalog, s)).collect();
                    items.sort_by(|a, b| (b.starts_at, &b.title).cmp(&(a.starts_at, &a.title)));
                    RecordList::Meeting(items)
                }
                RecordKind::Agreement => {
                    let mut items: Vec<AgreementItem> =
                        of_kind().filter_map(|s| agreement_item(catalog, s, today)).collect();
                    items.sort_by_cached_key(|i| (fold(&i.title), i.id.clone()));
                    RecordList::Agreement(items)
                }
                RecordKind::Commitment => {
                    let mut items: Vec<CommitmentItem> =
                        of_kind().filter_map(|s| commitment_item(catalog, s, today)).collect();
                    sort_commitments(&mut items);
                    RecordList::Commitment(items)
                }
            }
        })
    }

    /// The commitments of one meeting or agreement as the screens show them (owner, days left),
    /// open ones first, as of `now`.
    /// [`Error::NotFound`] when there is no such record.
    pub fn commitment_items(&self, source: &Id, now: Timestamp) -> Result<Vec<CommitmentItem>> {
        let today = office_today(now);
        self.with_catalog(|catalog| {
            catalog.get(source).ok_or_else(|| crate::store::not_found(source))?;
            let mut items: Vec<CommitmentItem> = catalog
                .referrers(source)
                .filter(|s| matches!(&s.detail, Detail::Commitment { source: Some(src), .. } if src.id() == source))
                .filter_map(|s| commitment_item(catalog, s, today))
                .collect();
            sort_commitments(&mut items);
            Ok(items)
        })
    }

    /// What needs the office this week, as of `now`.
    pub fn home(&self, now: Timestamp) -> HomeView {
        let today = office_today(now);
        let horizon = today.saturating_add(jiff::Span::new().days(HORIZON_DAYS));
        self.with_catalog(|catalog| {
            let mut upcoming: Vec<MeetingItem> = catalog
                .of_kind(RecordKind::Meeting)
                .filter(|s| {
                    // The office's calendar decides "this week", whatever the meeting's own zone.
                    let day = match &s.detail {
                        Detail::Meeting { starts_at: Some(t), .. } => Some(office_today(*t)),
                        Detail::Meeting { date, .. } => *date,
                        _ => None,
                    };
                    day.is_some_and(|d| d >= today && d <= horizon)
                })
                .filter_map(|s| meeting_item(catalog, s))
                .collect();
            upcoming.sort_by(|a, b| (a.starts_at, &a.title).cmp(&(b.starts_at, &b.title)));

            let mut overdue = Vec::new();
            let mut due_soon = Vec::new();
            for s in catalog.of_kind(RecordKind::Commitment) {
                let Detail::Commitment { due: Some(due), status, .. } = &s.detail else { continue };
                if !status.is_open() || *due > horizon {
                    continue;
                }
                let Some(item) = commitment_item(catalog, s, today) else { continue };
                if *due < today { overdue.push(item) } else { due_soon.push(item) }
            }
            sort_commitments(&mut overdue);
            sort_commitments(&mut due_soon);

            let mut expiring = Vec::new();
            let mut expired = Vec::new();
            for s in catalog.of_kind(RecordKind::Agreement) {
                let Some(item) = agreement_item(catalog, s, today) else { continue };
                if item.expiring {
                    expiring.push(item);
                } else if item.expired {
                    expired.push(item);
                }
            }
            expiring.sort_by_key(|a| (a.days_left, a.title.clone()));
            expired.sort_by_key(|a| (a.days_left, a.title.clone()));

            let mut recent: Vec<&Summary> = catalog.all().filter(|s| s.updated_at.is_some()).collect();
            let by_newest =
                |a: &&Summary, b: &&Summary| b.updated_at.cmp(&a.updated_at).then_with(|| a.id.cmp(&b.id));
            if recent.len() > RECENT_CHANGES {
                recent.select_nth_unstable_by(RECENT_CHANGES, by_newest);
                recent.truncate(RECENT_CHANGES);
            }
            recent.sort_by(by_newest);

            HomeView {
                today: today.to_string(),
                upcoming_meetings: upcoming,
                overdue_commitments: overdue,
                due_soon_commitments: due_soon,
                expiring_agreements: expiring,
                expired_agreements: expired,
                recent_changes: recent
                    .into_iter()
                    .map(|s| ChangeItem { record: s.to_ref(), updated_at: s.updated_at })
                    .collect(),
            }
        })
    }

    /// Everything about one organization, as of `now`.
    pub fn organization_overview(&self, id: &Id, now: Timestamp) -> Result<OrganizationOverview> {
        let organization: Organization = self.get(id)?;
        let today = office_today(now);
        Ok(self.with_catalog(|catalog| {
            let mut people = Vec::new();
            let mut meetings = Vec::new();
            let mut agreements = Vec::new();
            let mut sources: Vec<&Id> = Vec::new();
            for s in catalog.referrers(id) {
                match &s.detail {
                    Detail::Contact { organization_id, post, .. } if organization_id.as_ref() == Some(id) => {
                        people.push(PersonItem { record: s.to_ref(), post: post.clone() });
                    }
                    Detail::Meeting { .. } => {
                        sources.push(&s.id);
                        meetings.extend(meeting_item(catalog, s));
                    }
                    Detail::Agreement { counterpart_ids, .. } if counterpart_ids.contains(id) => {
                        sources.push(&s.id);
                        agreements.extend(agreement_item(catalog, s, today));
                    }
                    _ => {}
                }
            }
            let mut former_people: Vec<PersonItem> = catalog
                .referrers(id)
                .filter(|s| s.kind == RecordKind::Contact && !people.iter().any(|p| p.record.id == s.id))
                .map(|s| PersonItem { record: s.to_ref(), post: String::new() })
                .collect();
            if !former_people.is_empty() {
                // The post they held there comes from the contact's own history.
                for p in &mut former_people {
                    if let Ok(contact) = self.get::<crate::model::Contact>(&p.record.id)
                        && let Some(h) =
                            contact.post_history.iter().find(|h| h.organization_id.as_ref() == Some(id))
                    {
                        p.post = h.post.clone();
                    }
                }
            }
            let mut open_commitments: Vec<CommitmentItem> = sources
                .iter()
                .flat_map(|source| catalog.referrers(source))
                .filter(|s| {
                    matches!(&s.detail, Detail::Commitment { status, source: Some(src), .. }
                        if status.is_open() && sources.contains(&src.id()))
                })
                .filter_map(|s| commitment_item(catalog, s, today))
                .collect();
            unique_by_id(&mut open_commitments, |c| &c.id);
            sort_commitments(&mut open_commitments);

            people.sort_by_key(|p| fold(&p.record.title));
            former_people.sort_by_key(|p| fold(&p.record.title));
            meetings.sort_by(|a, b| (b.starts_at, &b.title).cmp(&(a.starts_at, &a.title)));
            sort_agreements(&mut agreements);
            OrganizationOverview {
                organization,
                people,
                former_people,
                meetings,
                agreements,
                open_commitments,
            }
        }))
    }
}
