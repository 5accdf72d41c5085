//! Views derived from the records: the home screen ("Esta semana") and everything about one
//! organization. Computed from the in-memory catalog at a given instant, so tests pin the date.

use crate::catalog::{Catalog, Detail, Entry, NO_DATE, Slot};
use crate::error::Result;
use crate::model::{
    AgreementKind, AgreementStatus, CommitmentStatus, DEFAULT_TIME_ZONE, Id, Modality, OrgKind, Organization,
    Party, RecordKind, RecordRef, RelationshipStatus,
};
use crate::store::Store;
use crate::text::fold;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Commitments due within this many days count as due soon; meetings within it as upcoming.
pub const HORIZON_DAYS: i32 = 14;
/// How many recent changes the home view lists.
pub const RECENT_CHANGES: usize = 10;
/// Most items each other section of the home view lists (the most pressing); the rest are
/// counted in [`HomeView::totals`] and found in the lists.
pub const HOME_ITEMS: usize = 25;

/// The office's calendar day at `now`.
pub fn office_today(now: Timestamp) -> Date {
    office_zone().to_datetime(now).date()
}

/// `now` on the office's clock (Mexico City).
pub(crate) fn office_now(now: Timestamp) -> jiff::ZonedDateTime {
    now.to_zoned_datetime(office_zone().clone())
}

/// The office's time zone, looked up once: every meeting's day is reckoned in it.
fn office_zone() -> &'static jiff::tz::TimeZone {
    static ZONE: std::sync::OnceLock<jiff::tz::TimeZone> = std::sync::OnceLock::new();
    ZONE.get_or_init(|| {
        jiff::tz::db().get(DEFAULT_TIME_ZONE).expect("the bundled time-zone database has Mexico City")
    })
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
    /// How many items each section has in all: the lists show the first [`HOME_ITEMS`].
    pub totals: HomeTotals,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HomeTotals {
    pub upcoming_meetings: usize,
    pub overdue_commitments: usize,
    pub due_soon_commitments: usize,
    pub expiring_agreements: usize,
    pub expired_agreements: usize,
}

/// The first `limit` of the records `keyed` by date, in `sort`'s order: every record dated up
/// to the last one kept is built and sorted, so records of one day are ordered by title, not
/// by chance; the others are never built.
fn first_by_date<K: Ord + Copy, T>(
    mut keyed: Vec<(K, Slot)>,
    limit: usize,
    build: impl FnMut(Slot) -> Option<T>,
    sort: impl FnOnce(&mut Vec<T>),
) -> Vec<T> {
    if keyed.len() > limit && limit > 0 {
        keyed.select_nth_unstable_by_key(limit - 1, |k| k.0);
        let last = keyed[limit - 1].0;
        keyed.retain(|k| k.0 <= last);
    }
    let mut items: Vec<T> = keyed.into_iter().map(|(_, slot)| slot).filter_map(build).collect();
    sort(&mut items);
    items.truncate(limit);
    items
}

/// A section of the home view that lists records: the home shows its first [`HOME_ITEMS`],
/// [`Store::home_section`] all of it, in the same order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum HomeSection {
    UpcomingMeetings,
    OverdueCommitments,
    DueSoonCommitments,
    ExpiringAgreements,
    ExpiredAgreements,
}

/// The records of each [`HomeSection`] on `today`, each with the date it is ordered by.
struct Sections {
    meetings: Vec<(Option<Timestamp>, Slot)>,
    overdue: Vec<(Date, Slot)>,
    due_soon: Vec<(Date, Slot)>,
    expiring: Vec<(Date, Slot)>,
    expired: Vec<(Date, Slot)>,
}

impl Sections {
    /// Reads the catalog's date columns only: no record is built.
    fn of(catalog: &Catalog, today: Date) -> Sections {
        let horizon = today.saturating_add(jiff::Span::new().days(HORIZON_DAYS));
        // The slots whose date in `column` falls within `from..=to`, with that date.
        let between = |column: &[Date], from: Date, to: Date| -> Vec<(Date, Slot)> {
            column
                .iter()
                .enumerate()
                .filter(|&(_, d)| (from..=to).contains(d))
                .map(|(i, d)| (*d, i as Slot))
                .collect()
        };
        let meetings = between(&catalog.meeting_day, today, horizon)
            .into_iter()
            .filter_map(|(_, slot)| match catalog.at(slot)?.detail {
                Detail::Meeting { starts_at, .. } => Some((starts_at, slot)),
                _ => None,
            })
            .collect();
        let (mut expiring, mut expired) = (Vec::new(), Vec::new());
        for (until, slot) in between(&catalog.live_until, Date::MIN, NO_DATE.yesterday().unwrap_or(NO_DATE)) {
            let Some(Detail::Agreement { notice_days, .. }) = catalog.at(slot).map(|s| s.detail.clone())
            else {
                continue;
            };
            match ending(days_between(today, until), notice_days) {
                Ending::Expired => expired.push((until, slot)),
                Ending::Expiring => expiring.push((until, slot)),
                Ending::Later => {}
            }
        }
        Sections {
            meetings,
            overdue: between(&catalog.open_due, Date::MIN, today.yesterday().unwrap_or(Date::MIN)),
            due_soon: between(&catalog.open_due, today, horizon),
            expiring,
            expired,
        }
    }

    fn totals(&self) -> HomeTotals {
        HomeTotals {
            upcoming_meetings: self.meetings.len(),
            overdue_commitments: self.overdue.len(),
            due_soon_commitments: self.due_soon.len(),
            expiring_agreements: self.expiring.len(),
            expired_agreements: self.expired.len(),
        }
    }
}

/// The first `limit` upcoming meetings, soonest first.
fn first_meetings(
    catalog: &Catalog,
    keyed: Vec<(Option<Timestamp>, Slot)>,
    limit: usize,
) -> Vec<MeetingItem> {
    first_by_date(
        keyed,
        limit,
        |slot| meeting_item(catalog, &catalog.at(slot)?),
        |items| items.sort_by(|a, b| (a.starts_at, &a.title).cmp(&(b.starts_at, &b.title))),
    )
}

/// The first `limit` commitments, most overdue first.
fn first_commitments(
    catalog: &Catalog,
    today: Date,
    keyed: Vec<(Date, Slot)>,
    limit: usize,
) -> Vec<CommitmentItem> {
    first_by_date(
        keyed,
        limit,
        |slot| commitment_item(catalog, &catalog.at(slot)?, today),
        |items| sort_commitments(items),
    )
}

/// The first `limit` agreements, the soonest to end first.
fn first_agreements(
    catalog: &Catalog,
    today: Date,
    keyed: Vec<(Date, Slot)>,
    limit: usize,
) -> Vec<AgreementItem> {
    first_by_date(
        keyed,
        limit,
        |slot| agreement_item(catalog, &catalog.at(slot)?, today),
        |items| items.sort_by_key(|a| (a.days_left, a.title.clone())),
    )
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
fn refs(catalog: &Catalog, slots: &[Slot]) -> Vec<RecordRef> {
    slots.iter().filter_map(|&slot| catalog.at(slot)).map(|e| short_ref(&e)).collect()
}

pub(crate) fn short_ref(s: &Entry<'_>) -> RecordRef {
    let mut r = s.to_ref();
    if let Detail::Organization { acronym, .. } = &s.detail
        && acronym.len > 0
    {
        r.title = s.text(*acronym).to_owned();
    }
    r
}

fn days_between(from: Date, to: Date) -> i32 {
    from.until(to).map(|span| span.get_days()).unwrap_or(0)
}

fn meeting_item(catalog: &Catalog, s: &Entry<'_>) -> Option<MeetingItem> {
    let Detail::Meeting { starts_at, date, time, time_zone, modality, .. } = &s.detail else {
        return None;
    };
    Some(MeetingItem {
        id: s.id(),
        title: s.title().to_owned(),
        date: date.map(|d| d.to_string()),
        time: time.map(|m| format!("{:02}:{:02}", m / 60, m % 60)),
        time_zone: time_zone.map_or(DEFAULT_TIME_ZONE, |z| s.text(z)).to_owned(),
        modality: *modality,
        starts_at: *starts_at,
        organizations: refs(catalog, s.organizations()),
    })
}

fn commitment_item(catalog: &Catalog, s: &Entry<'_>, today: Date) -> Option<CommitmentItem> {
    let Detail::Commitment { party, due, status, .. } = &s.detail else { return None };
    let source = s.source().and_then(|slot| catalog.at(slot));
    Some(CommitmentItem {
        id: s.id(),
        revision: s.revision,
        title: s.title().to_owned(),
        status: *status,
        party: *party,
        due_on: due.map(|d| d.to_string()),
        days_left: due.map(|d| days_between(today, d)),
        owner: s.owner().and_then(|slot| catalog.at(slot)).map(|e| e.to_ref()),
        source: source.map(|e| e.to_ref()),
        organizations: source.map_or_else(Vec::new, |src| refs(catalog, src.organizations())),
    })
}

/// Where a live agreement stands, `days_left` before its end.
#[derive(PartialEq, Eq)]
enum Ending {
    /// Past its end (*vigencia concluida*).
    Expired,
    /// Within its notice window (*por vencer*).
    Expiring,
    Later,
}

fn ending(days_left: i32, notice_days: u32) -> Ending {
    if days_left < 0 {
        Ending::Expired
    } else if days_left <= notice_days as i32 {
        Ending::Expiring
    } else {
        Ending::Later
    }
}

fn agreement_item(catalog: &Catalog, s: &Entry<'_>, today: Date) -> Option<AgreementItem> {
    let Detail::Agreement { kind, folio, status, valid_until, notice_days, .. } = &s.detail else {
        return None;
    };
    let days_left = valid_until.map(|d| days_between(today, d));
    let live = status.is_live();
    Some(AgreementItem {
        id: s.id(),
        title: s.title().to_owned(),
        kind: *kind,
        folio: s.text(*folio).to_owned(),
        status: *status,
        valid_until: valid_until.map(|d| d.to_string()),
        days_left,
        notice_days: *notice_days,
        expiring: live && days_left.is_some_and(|d| ending(d, *notice_days) == Ending::Expiring),
        expired: live && days_left.is_some_and(|d| ending(d, *notice_days) == Ending::Expired),
        counterparts: refs(catalog, s.organizations()),
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
                                    id: s.id(),
                                    title: s.title().to_owned(),
                                    acronym: s.text(*acronym).to_owned(),
                                    kind: *kind,
                                    relationship: *relationship,
                                    country: s.text(*country).to_owned(),
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
                            Detail::Contact { post, email, .. } => Some(ContactItem {
                                id: s.id(),
                                title: s.title().to_owned(),
                                post: s.text(*post).to_owned(),
                                email: s.text(*email).to_owned(),
                                organization: s
                                    .organization()
                                    .and_then(|slot| catalog.at(slot))
                                    .map(|e| short_ref(&e)),
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
                        of_kind().filter_map(|s| meeting_item(catalog, &s)).collect();
                    items.sort_by(|a, b| (b.starts_at, &b.title).cmp(&(a.starts_at, &a.title)));
                    RecordList::Meeting(items)
                }
                RecordKind::Agreement => {
                    let mut items: Vec<AgreementItem> =
                        of_kind().filter_map(|s| agreement_item(catalog, &s, today)).collect();
                    items.sort_by_cached_key(|i| (fold(&i.title), i.id.clone()));
                    RecordList::Agreement(items)
                }
                RecordKind::Commitment => {
                    let mut items: Vec<CommitmentItem> =
                        of_kind().filter_map(|s| commitment_item(catalog, &s, today)).collect();
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
            let slot = catalog.slot(source).ok_or_else(|| crate::store::not_found(source))?;
            let mut items: Vec<CommitmentItem> =
                catalog.commitments_of(slot).filter_map(|s| commitment_item(catalog, &s, today)).collect();
            sort_commitments(&mut items);
            Ok(items)
        })
    }

    /// What needs the office this week, as of `now`: the most pressing items of each section
    /// and how many there are. Reads the catalog's columns and builds only what it shows, so
    /// it costs about the same with a hundred records or a million.
    pub fn home(&self, now: Timestamp) -> HomeView {
        let today = office_today(now);
        self.with_catalog(|catalog| {
            let sections = Sections::of(catalog, today);
            HomeView {
                today: today.to_string(),
                totals: sections.totals(),
                upcoming_meetings: first_meetings(catalog, sections.meetings, HOME_ITEMS),
                overdue_commitments: first_commitments(catalog, today, sections.overdue, HOME_ITEMS),
                due_soon_commitments: first_commitments(catalog, today, sections.due_soon, HOME_ITEMS),
                expiring_agreements: first_agreements(catalog, today, sections.expiring, HOME_ITEMS),
                expired_agreements: first_agreements(catalog, today, sections.expired, HOME_ITEMS),
                recent_changes: recent_changes(catalog),
            }
        })
    }

    /// Every item of one section of the home view as of `now`, in the home's order: what its
    /// «Ver todos» opens.
    pub fn home_section(&self, section: HomeSection, now: Timestamp) -> RecordList {
        let today = office_today(now);
        self.with_catalog(|catalog| {
            let sections = Sections::of(catalog, today);
            let all = usize::MAX;
            match section {
                HomeSection::UpcomingMeetings => {
                    RecordList::Meeting(first_meetings(catalog, sections.meetings, all))
                }
                HomeSection::OverdueCommitments => {
                    RecordList::Commitment(first_commitments(catalog, today, sections.overdue, all))
                }
                HomeSection::DueSoonCommitments => {
                    RecordList::Commitment(first_commitments(catalog, today, sections.due_soon, all))
                }
                HomeSection::ExpiringAgreements => {
                    RecordList::Agreement(first_agreements(catalog, today, sections.expiring, all))
                }
                HomeSection::ExpiredAgreements => {
                    RecordList::Agreement(first_agreements(catalog, today, sections.expired, all))
                }
            }
        })
    }

    /// Everything about one organization, as of `now`.
    pub fn organization_overview(&self, id: &Id, now: Timestamp) -> Result<OrganizationOverview> {
        let organization: Organization = self.get(id)?;
        let today = office_today(now);
        let mut overview = self.with_catalog(|catalog| {
            let Some(org) = catalog.slot(id) else {
                return OrganizationOverview {
                    organization: organization.clone(),
                    people: Vec::new(),
                    former_people: Vec::new(),
                    meetings: Vec::new(),
                    agreements: Vec::new(),
                    open_commitments: Vec::new(),
                };
            };
            let mut people = Vec::new();
            let mut former_people = Vec::new();
            let mut meetings = Vec::new();
            let mut agreements = Vec::new();
            let mut sources: Vec<Slot> = Vec::new();
            for s in catalog.referrers(org) {
                match &s.detail {
                    Detail::Contact { post, .. } if s.organization() == Some(org) => {
                        people.push(PersonItem { record: s.to_ref(), post: s.text(*post).to_owned() });
                    }
                    Detail::Contact { .. } => {
                        former_people.push(PersonItem { record: s.to_ref(), post: String::new() })
                    }
                    Detail::Meeting { .. } => {
                        sources.push(s.slot);
                        meetings.extend(meeting_item(catalog, &s));
                    }
                    Detail::Agreement { .. } if s.organizations().contains(&org) => {
                        sources.push(s.slot);
                        agreements.extend(agreement_item(catalog, &s, today));
                    }
                    _ => {}
                }
            }
            let mut open_commitments: Vec<CommitmentItem> = sources
                .iter()
                .flat_map(|&source| catalog.referrers(source))
                .filter(|s| {
                    matches!(&s.detail, Detail::Commitment { status, .. } if status.is_open())
                        && s.source().is_some_and(|src| sources.contains(&src))
                })
                .filter_map(|s| commitment_item(catalog, &s, today))
                .collect();
            unique_by_id(&mut open_commitments, |c| &c.id);
            sort_commitments(&mut open_commitments);

            people.sort_by_key(|p| fold(&p.record.title));
            former_people.sort_by_key(|p| fold(&p.record.title));
            meetings.sort_by(|a, b| (b.starts_at, &b.title).cmp(&(a.starts_at, &a.title)));
            sort_agreements(&mut agreements);
            OrganizationOverview {
                organization: organization.clone(),
                people,
                former_people,
                meetings,
                agreements,
                open_commitments,
            }
        });
        // The post they held there comes from the contact's own history.
        let former: Vec<Id> = overview.former_people.iter().map(|p| p.record.id.clone()).collect();
        for (p, contact_id) in overview.former_people.iter_mut().zip(former) {
            if let Ok(contact) = self.get::<crate::model::Contact>(&contact_id)
                && let Some(h) = contact.post_history.iter().find(|h| h.organization_id.as_ref() == Some(id))
            {
                p.post = h.post.clone();
            }
        }
        Ok(overview)
    }
}

/// The latest changes to any record, newest first (ties by id).
fn recent_changes(catalog: &Catalog) -> Vec<ChangeItem> {
    // One pass for the newest times, a second for every record at least that new.
    let mut newest: Vec<i128> = Vec::with_capacity(RECENT_CHANGES + 1);
    for &t in &catalog.updated {
        if t != i128::MIN && (newest.len() < RECENT_CHANGES || newest.last().is_some_and(|&last| t > last)) {
            let at = newest.partition_point(|&n| n >= t);
            newest.insert(at, t);
            newest.truncate(RECENT_CHANGES);
        }
    }
    let Some(&floor) = newest.last() else { return Vec::new() };
    let mut picked: Vec<(Entry<'_>, Id)> = catalog
        .updated
        .iter()
        .enumerate()
        .filter(|&(_, &t)| t != i128::MIN && t >= floor)
        .filter_map(|(slot, _)| catalog.at(slot as Slot))
        .map(|s| (s, s.id()))
        .collect();
    picked.sort_by(|a, b| b.0.updated_at.cmp(&a.0.updated_at).then_with(|| a.1.cmp(&b.1)));
    picked.truncate(RECENT_CHANGES);
    picked.into_iter().map(|(s, _)| ChangeItem { record: s.to_ref(), updated_at: s.updated_at }).collect()
}
