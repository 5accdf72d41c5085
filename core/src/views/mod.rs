//! Views derived from the records, computed from the in-memory catalog at a given instant (so
//! tests pin the date): the home screen ("Esta semana", `home.rs`), the lists (`lists.rs`) and
//! everything about one organization (`organization.rs`), made of the items defined here.

mod activities;
mod audit;
mod home;
mod lists;
mod organization;
mod report;

pub use activities::{ActivityPage, ParticipationItem, Training};
pub use audit::{AUDIT_PAGE, AuditFilter, AuditQuery, AuditRecord, AuditRow, AuditView};
pub use home::{ChangeItem, HOME_ITEMS, HORIZON_DAYS, HomeSection, HomeTotals, HomeView, RECENT_CHANGES};
pub use lists::{
    ContactItem, DocumentItem, ListPage, ListQuery, ListSort, MAX_LIST_PAGE, MAX_LIST_TEXT, OrganizationItem,
    RecordList,
};
pub use organization::{OrganizationOverview, PersonItem};
pub use report::{
    ActivityRow, CommitmentFigures, MAX_REPORT_DAYS, MAX_REPORT_YEARS, Reach, ReportPeriod, StrategyReport,
    Tally, Trainee,
};

use crate::index::catalog::{Catalog, Detail, Entry};
use crate::index::key::Slot;
use crate::model::{
    ActivityKind, ActivityStatus, AgreementKind, AgreementStatus, CommitmentStatus, DEFAULT_TIME_ZONE, Id,
    Modality, Party, RecordRef,
};
use crate::text::fold;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

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
pub struct ActivityItem {
    pub id: Id,
    pub title: String,
    pub kind: ActivityKind,
    pub status: ActivityStatus,
    pub starts_on: Option<String>,
    /// The last day (the first, for a one-day activity).
    pub ends_on: Option<String>,
    pub partners: Vec<RecordRef>,
    /// The instrument it executes.
    pub agreement: Option<RecordRef>,
}

/// References to organizations, named by acronym when they have one: in a line that lists
/// several, "ONU Mujeres" reads better than the full official name.
pub(super) fn refs(catalog: &Catalog, slots: &[Slot]) -> Vec<RecordRef> {
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

pub(super) fn days_between(from: Date, to: Date) -> i32 {
    from.until(to).map(|span| span.get_days()).unwrap_or(0)
}

pub(super) fn meeting_item(catalog: &Catalog, s: &Entry<'_>) -> Option<MeetingItem> {
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

pub(super) fn commitment_item(catalog: &Catalog, s: &Entry<'_>, today: Date) -> Option<CommitmentItem> {
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

pub(super) fn activity_item(catalog: &Catalog, s: &Entry<'_>) -> Option<ActivityItem> {
    let Detail::Activity { kind, status, starts, ends, .. } = &s.detail else { return None };
    Some(ActivityItem {
        id: s.id(),
        title: s.title().to_owned(),
        kind: *kind,
        status: *status,
        starts_on: starts.map(|d| d.to_string()),
        ends_on: ends.map(|d| d.to_string()),
        partners: refs(catalog, s.organizations()),
        agreement: s.agreement().and_then(|slot| catalog.at(slot)).map(|e| e.to_ref()),
    })
}

/// Newest first (by first day, undated last), then by title.
/// Activities the soonest to start first (the home view's, a report's).
pub(crate) fn sort_activities_soonest(items: &mut [ActivityItem]) {
    items.sort_by(|a, b| (&a.starts_on, &a.title).cmp(&(&b.starts_on, &b.title)));
}

pub(crate) fn sort_activities(items: &mut [ActivityItem]) {
    items.sort_by(|a, b| {
        (a.starts_on.is_none(), &b.starts_on, &a.title).cmp(&(b.starts_on.is_none(), &a.starts_on, &b.title))
    });
}

/// Where a live agreement stands, `days_left` before its end.
#[derive(PartialEq, Eq)]
pub(super) enum Ending {
    /// Past its end (*vigencia concluida*).
    Expired,
    /// Within its notice window (*por vencer*).
    Expiring,
    Later,
}

pub(super) fn ending(days_left: i32, notice_days: u32) -> Ending {
    if days_left < 0 {
        Ending::Expired
    } else if days_left <= notice_days as i32 {
        Ending::Expiring
    } else {
        Ending::Later
    }
}

pub(super) fn agreement_item(catalog: &Catalog, s: &Entry<'_>, today: Date) -> Option<AgreementItem> {
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
