//! The home screen, "Esta semana": what needs the office now.

use super::lists::RecordList;
use super::{
    ActivityItem, AgreementItem, CommitmentItem, Ending, MeetingItem, activity_item, agreement_item,
    commitment_item, days_between, ending, meeting_item, sort_activities_soonest, sort_commitments,
};
use crate::clock::office_today;
use crate::index::catalog::{Catalog, Detail, Entry, NO_DATE};
use crate::index::key::Slot;
use crate::model::{Id, RecordKind, RecordRef};
use crate::store::Store;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Commitments due within this many days count as due soon; meetings and activities starting
/// within it as upcoming.
pub const HORIZON_DAYS: i32 = 14;
/// How many recent changes the home view lists.
pub const RECENT_CHANGES: usize = 10;
/// Most items each other section of the home view lists (the most pressing); the rest are
/// counted in [`HomeView::totals`] and found in the lists.
pub const HOME_ITEMS: usize = 25;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HomeView {
    /// The office's date the view was computed for (`YYYY-MM-DD`).
    pub today: String,
    /// Meetings from today through the horizon, soonest first.
    pub upcoming_meetings: Vec<MeetingItem>,
    /// Planned or ongoing activities under way today or starting through the horizon,
    /// soonest first.
    pub activities: Vec<ActivityItem>,
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
    pub activities: usize,
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
/// [`Store::list_page`] all of it, in the same order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum HomeSection {
    UpcomingMeetings,
    Activities,
    OverdueCommitments,
    DueSoonCommitments,
    ExpiringAgreements,
    ExpiredAgreements,
}

impl HomeSection {
    /// The kind of the records the section lists.
    pub fn kind(self) -> RecordKind {
        match self {
            HomeSection::UpcomingMeetings => RecordKind::Meeting,
            HomeSection::Activities => RecordKind::Activity,
            HomeSection::OverdueCommitments | HomeSection::DueSoonCommitments => RecordKind::Commitment,
            HomeSection::ExpiringAgreements | HomeSection::ExpiredAgreements => RecordKind::Agreement,
        }
    }
}

/// The records of each [`HomeSection`] on `today`, each with the date it is ordered by.
struct Sections {
    meetings: Vec<(Option<Timestamp>, Slot)>,
    activities: Vec<(Date, Slot)>,
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
        let activities = catalog
            .of_kind(RecordKind::Activity)
            .filter_map(|s| match s.detail {
                Detail::Activity { status, starts: Some(start), ends, .. }
                    if status.is_open() && start <= horizon && ends.unwrap_or(start) >= today =>
                {
                    Some((start, s.slot))
                }
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
            activities,
            overdue: between(&catalog.open_due, Date::MIN, today.yesterday().unwrap_or(Date::MIN)),
            due_soon: between(&catalog.open_due, today, horizon),
            expiring,
            expired,
        }
    }

    fn totals(&self) -> HomeTotals {
        HomeTotals {
            upcoming_meetings: self.meetings.len(),
            activities: self.activities.len(),
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

/// The first `limit` activities, the soonest to start first.
fn first_activities(catalog: &Catalog, keyed: Vec<(Date, Slot)>, limit: usize) -> Vec<ActivityItem> {
    first_by_date(
        keyed,
        limit,
        |slot| activity_item(catalog, &catalog.at(slot)?),
        |items| sort_activities_soonest(items),
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
pub struct ChangeItem {
    #[serde(flatten)]
    pub record: RecordRef,
    pub updated_at: Option<Timestamp>,
}

impl Store {
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
                activities: first_activities(catalog, sections.activities, HOME_ITEMS),
                overdue_commitments: first_commitments(catalog, today, sections.overdue, HOME_ITEMS),
                due_soon_commitments: first_commitments(catalog, today, sections.due_soon, HOME_ITEMS),
                expiring_agreements: first_agreements(catalog, today, sections.expiring, HOME_ITEMS),
                expired_agreements: first_agreements(catalog, today, sections.expired, HOME_ITEMS),
                recent_changes: recent_changes(catalog),
            }
        })
    }
}

/// Every item of `section` on `today`, in the home's order.
pub(super) fn section_list(catalog: &Catalog, section: HomeSection, today: Date) -> RecordList {
    let sections = Sections::of(catalog, today);
    let all = usize::MAX;
    match section {
        HomeSection::UpcomingMeetings => RecordList::Meeting(first_meetings(catalog, sections.meetings, all)),
        HomeSection::Activities => RecordList::Activity(first_activities(catalog, sections.activities, all)),
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
