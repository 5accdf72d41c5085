//! The list screens: the records of a kind (or of a home section) with the columns its list
//! shows, filtered, sorted and counted here over the catalog, and sent one window of rows at
//! a time; the pickers ask the same way as the user types.

use super::home::{HomeSection, section_list};
use super::{
    ActivityItem, AgreementItem, CommitmentItem, MeetingItem, activity_item, agreement_item, commitment_item,
    meeting_item, short_ref, sort_commitments,
};
use crate::clock::office_today;
use crate::error::{Code, Error, Result, Violation};
use crate::index::Projection;
use crate::index::catalog::{Catalog, Detail, Entry};
use crate::index::key::Slot;
use crate::model::{
    ActivityKind, ActivityStatus, AgreementKind, AgreementStatus, CommitmentStatus, Id, Modality, OrgKind,
    Party, RecordKind, RecordRef, RelationshipStatus,
};
use crate::store::Store;
use crate::text::fold;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::BTreeMap;

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

/// One document: on its record's page, and in the list of every document.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentItem {
    pub id: Id,
    pub revision: u64,
    pub title: String,
    pub size: u64,
    /// The record it is attached to.
    pub record: Option<RecordRef>,
    pub attached_at: Option<Timestamp>,
}

fn organization_item(s: &Entry<'_>) -> Option<OrganizationItem> {
    let Detail::Organization { acronym, kind, relationship, country } = &s.detail else { return None };
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

fn contact_item(catalog: &Catalog, s: &Entry<'_>) -> Option<ContactItem> {
    let Detail::Contact { post, email, .. } = &s.detail else { return None };
    Some(ContactItem {
        id: s.id(),
        title: s.title().to_owned(),
        post: s.text(*post).to_owned(),
        email: s.text(*email).to_owned(),
        organization: s.organization().and_then(|slot| catalog.at(slot)).map(|e| short_ref(&e)),
        updated_at: s.updated_at,
    })
}

fn document_item(catalog: &Catalog, s: &Entry<'_>) -> Option<DocumentItem> {
    let Detail::Document { size, attached, .. } = s.detail else { return None };
    Some(DocumentItem {
        id: s.id(),
        revision: s.revision,
        title: s.title().to_owned(),
        size,
        record: s.attached_to().and_then(|slot| catalog.at(slot)).map(|e| e.to_ref()),
        attached_at: attached,
    })
}

/// Newest first, then by name.
fn sort_documents(items: &mut [DocumentItem]) {
    items.sort_by_cached_key(|i| (Reverse(i.attached_at), fold(&i.title), i.id.clone()));
}

/// Rows of one kind, as the list screens show them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "items", rename_all = "camelCase")]
pub enum RecordList {
    Organization(Vec<OrganizationItem>),
    Contact(Vec<ContactItem>),
    Meeting(Vec<MeetingItem>),
    Agreement(Vec<AgreementItem>),
    Commitment(Vec<CommitmentItem>),
    Activity(Vec<ActivityItem>),
    Document(Vec<DocumentItem>),
}

impl RecordList {
    /// The rows of `kind` in `slots`, in their order, with days counted from `today`.
    fn of(catalog: &Catalog, kind: RecordKind, slots: &[Slot], today: Date) -> RecordList {
        fn rows<'c, T>(
            catalog: &'c Catalog,
            slots: &[Slot],
            item: impl Fn(&Entry<'c>) -> Option<T>,
        ) -> Vec<T> {
            slots.iter().filter_map(|&slot| catalog.at(slot)).filter_map(|e| item(&e)).collect()
        }
        match kind {
            RecordKind::Organization => RecordList::Organization(rows(catalog, slots, organization_item)),
            RecordKind::Contact => RecordList::Contact(rows(catalog, slots, |e| contact_item(catalog, e))),
            RecordKind::Meeting => RecordList::Meeting(rows(catalog, slots, |e| meeting_item(catalog, e))),
            RecordKind::Agreement => {
                RecordList::Agreement(rows(catalog, slots, |e| agreement_item(catalog, e, today)))
            }
            RecordKind::Commitment => {
                RecordList::Commitment(rows(catalog, slots, |e| commitment_item(catalog, e, today)))
            }
            RecordKind::Activity => RecordList::Activity(rows(catalog, slots, |e| activity_item(catalog, e))),
            RecordKind::Document => RecordList::Document(rows(catalog, slots, |e| document_item(catalog, e))),
        }
    }

    fn ids(&self) -> Vec<&Id> {
        match self {
            RecordList::Organization(v) => v.iter().map(|i| &i.id).collect(),
            RecordList::Contact(v) => v.iter().map(|i| &i.id).collect(),
            RecordList::Meeting(v) => v.iter().map(|i| &i.id).collect(),
            RecordList::Agreement(v) => v.iter().map(|i| &i.id).collect(),
            RecordList::Commitment(v) => v.iter().map(|i| &i.id).collect(),
            RecordList::Activity(v) => v.iter().map(|i| &i.id).collect(),
            RecordList::Document(v) => v.iter().map(|i| &i.id).collect(),
        }
    }
}

/// The most rows one page of a list carries.
pub const MAX_LIST_PAGE: usize = 500;
/// The longest text a list is filtered by (as search's queries).
pub const MAX_LIST_TEXT: usize = 500;

/// The orders a list offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ListSort {
    /// By name or title, accents and case ignored.
    Title,
    /// Last changed first.
    Updated,
    /// Meetings newest first; activities newest first, undated last.
    Date,
    /// Agreements the soonest to end first, open-ended last.
    ValidUntil,
    /// Documents newest first.
    Added,
    /// Commitments open first, most overdue first, undated last.
    Due,
}

impl ListSort {
    /// The orders the list of `kind` offers, its default first.
    pub fn of(kind: RecordKind) -> &'static [ListSort] {
        use ListSort::*;
        match kind {
            RecordKind::Organization | RecordKind::Contact => &[Title, Updated],
            RecordKind::Meeting | RecordKind::Activity => &[Date, Title],
            RecordKind::Agreement => &[Title, ValidUntil],
            RecordKind::Document => &[Added, Title],
            RecordKind::Commitment => &[Due, Title],
        }
    }
}

/// One window of a list as a screen or a picker asks for it, to be checked: the records of
/// `kind` (or of a home `section`) that hold every word of `text` (as prefixes, in any of
/// their fields or their organizations' names) and pass the `filters` (by name, as the list
/// screen names them; an empty value filters nothing), in the order `sort` (the list's
/// default when absent), from row `offset`, at most `limit` of them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListQuery {
    pub kind: RecordKind,
    #[serde(default)]
    pub section: Option<HomeSection>,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub filters: BTreeMap<String, String>,
    #[serde(default)]
    pub sort: Option<ListSort>,
    #[serde(default)]
    pub offset: usize,
    /// Required of a page (1 to [`MAX_LIST_PAGE`]); [`Store::list_ids`] takes every row.
    #[serde(default)]
    pub limit: usize,
}

impl ListQuery {
    /// The first `limit` rows of every record of `kind`, in the list's default order.
    pub fn of(kind: RecordKind, limit: usize) -> ListQuery {
        ListQuery {
            kind,
            section: None,
            text: String::new(),
            filters: BTreeMap::new(),
            sort: None,
            offset: 0,
            limit,
        }
    }
}

/// One window of a list's rows, and how many rows the list has.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListPage {
    /// The rows that pass the text and the filters.
    pub total: usize,
    /// The position of the first row sent.
    pub offset: usize,
    #[serde(flatten)]
    pub rows: RecordList,
}

/// What a list's filter keeps, as checked.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Filter {
    OrgKind(OrgKind),
    Relationship(RelationshipStatus),
    /// A contact's organization, or one of a meeting's or an activity's organizations.
    Organization(Option<Slot>),
    Modality(Modality),
    AgreementStatus(AgreementStatus),
    AgreementKind(AgreementKind),
    ActivityStatus(ActivityStatus),
    ActivityKind(ActivityKind),
    /// The kind of the record a document is attached to.
    AttachedTo(RecordKind),
    CommitmentStatus(CommitmentStatus),
    Party(Party),
}

impl Filter {
    /// The filters of each kind's list, by the names the screens give them.
    fn names(kind: RecordKind) -> &'static [&'static str] {
        match kind {
            RecordKind::Organization => &["kind", "relationship"],
            RecordKind::Contact => &["organizationId"],
            RecordKind::Meeting => &["organizationIds", "modality"],
            RecordKind::Agreement => &["status", "kind"],
            RecordKind::Activity => &["status", "kind", "partnerIds"],
            RecordKind::Document => &["recordKind"],
            RecordKind::Commitment => &["status", "party"],
        }
    }

    /// The filter `name` of `kind`'s list set to `raw`.
    fn parse(catalog: &Catalog, kind: RecordKind, name: &str, raw: &str) -> Result<Filter> {
        let field = format!("filters.{name}");
        Ok(match (kind, name) {
            (RecordKind::Organization, "kind") => Filter::OrgKind(choice(&field, raw, &OrgKind::ALL)?),
            (RecordKind::Organization, "relationship") => {
                Filter::Relationship(choice(&field, raw, &RelationshipStatus::ALL)?)
            }
            (RecordKind::Contact, "organizationId")
            | (RecordKind::Meeting, "organizationIds")
            | (RecordKind::Activity, "partnerIds") => match Id::parse(raw) {
                Some(id) if id.kind() == Some(RecordKind::Organization) => {
                    Filter::Organization(catalog.slot(&id))
                }
                _ => return Err(Error::invalid(field, Code::InvalidId)),
            },
            (RecordKind::Meeting, "modality") => Filter::Modality(choice(&field, raw, &Modality::ALL)?),
            (RecordKind::Agreement, "status") => {
                Filter::AgreementStatus(choice(&field, raw, &AgreementStatus::ALL)?)
            }
            (RecordKind::Agreement, "kind") => {
                Filter::AgreementKind(choice(&field, raw, &AgreementKind::ALL)?)
            }
            (RecordKind::Activity, "status") => {
                Filter::ActivityStatus(choice(&field, raw, &ActivityStatus::ALL)?)
            }
            (RecordKind::Activity, "kind") => Filter::ActivityKind(choice(&field, raw, &ActivityKind::ALL)?),
            (RecordKind::Document, "recordKind") => {
                Filter::AttachedTo(choice(&field, raw, &RecordKind::ALL)?)
            }
            (RecordKind::Commitment, "status") => {
                Filter::CommitmentStatus(choice(&field, raw, &CommitmentStatus::ALL)?)
            }
            (RecordKind::Commitment, "party") => Filter::Party(choice(&field, raw, &Party::ALL)?),
            _ => {
                let v = Violation::new("filters", Code::InvalidChoice)
                    .with("allowed", Filter::names(kind).to_vec());
                return Err(Error::Invalid(vec![v]));
            }
        })
    }

    fn keeps(&self, catalog: &Catalog, e: &Entry<'_>) -> bool {
        match (*self, &e.detail) {
            (Filter::OrgKind(want), Detail::Organization { kind, .. }) => *kind == want,
            (Filter::Relationship(want), Detail::Organization { relationship, .. }) => *relationship == want,
            (Filter::Organization(want), Detail::Contact { .. }) => {
                want.is_some() && e.organization() == want
            }
            (Filter::Organization(want), _) => want.is_some_and(|slot| e.organizations().contains(&slot)),
            (Filter::Modality(want), Detail::Meeting { modality, .. }) => *modality == want,
            (Filter::AgreementStatus(want), Detail::Agreement { status, .. }) => *status == want,
            (Filter::AgreementKind(want), Detail::Agreement { kind, .. }) => *kind == want,
            (Filter::ActivityStatus(want), Detail::Activity { status, .. }) => *status == want,
            (Filter::ActivityKind(want), Detail::Activity { kind, .. }) => *kind == want,
            (Filter::AttachedTo(want), Detail::Document { .. }) => {
                e.attached_to().and_then(|slot| catalog.at(slot)).is_some_and(|r| r.kind() == want)
            }
            (Filter::CommitmentStatus(want), Detail::Commitment { status, .. }) => *status == want,
            (Filter::Party(want), Detail::Commitment { party, .. }) => *party == want,
            _ => false,
        }
    }
}

/// `raw` as one of `all`, or the error at `field` that lists them.
fn choice<T: DeserializeOwned + Serialize>(field: &str, raw: &str, all: &[T]) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(raw.to_owned())).map_err(|_| {
        let allowed: Vec<serde_json::Value> =
            all.iter().filter_map(|v| serde_json::to_value(v).ok()).collect();
        Error::Invalid(vec![Violation::new(field, Code::InvalidChoice).with("allowed", allowed)])
    })
}

/// A [`ListQuery`] once checked against the catalog.
struct Plan {
    kind: RecordKind,
    section: Option<HomeSection>,
    text: String,
    filters: Vec<Filter>,
    sort: ListSort,
}

impl Plan {
    /// The query's plan (of a `page` of rows, or of all of them), or every value of it that is
    /// not one (at its field).
    fn of(query: &ListQuery, catalog: &Catalog, page: bool) -> Result<Plan> {
        let mut found = Vec::new();
        if page && !(1..=MAX_LIST_PAGE).contains(&query.limit) {
            found.push(Violation::new("limit", Code::OutOfRange).with("min", 1).with("max", MAX_LIST_PAGE));
        }
        // No list has more rows than the catalog has slots.
        if query.offset > u32::MAX as usize {
            found.push(Violation::new("offset", Code::OutOfRange).with("min", 0).with("max", u32::MAX));
        }
        if query.text.chars().count() > MAX_LIST_TEXT {
            found
                .push(Violation::new("text", Code::TooLong).with("max", MAX_LIST_TEXT).with("unit", "chars"));
        }
        let sorts = ListSort::of(query.kind);
        let sort = query.sort.unwrap_or(sorts[0]);
        if !sorts.contains(&sort) {
            found.push(Violation::new("sort", Code::InvalidChoice).with("allowed", serde_json::json!(sorts)));
        }
        if query.section.is_some_and(|section| section.kind() != query.kind) {
            found.push(Violation::new("section", Code::InvalidChoice));
        }
        let mut filters = Vec::new();
        for (name, raw) in &query.filters {
            // An empty value filters nothing (the screen's «Todos»), when the filter is one.
            if raw.is_empty() && Filter::names(query.kind).contains(&name.as_str()) {
                continue;
            }
            match Filter::parse(catalog, query.kind, name, raw) {
                Ok(f) => filters.push(f),
                Err(Error::Invalid(v)) => found.extend(v),
                Err(e) => return Err(e),
            }
        }
        if !found.is_empty() {
            return Err(Error::Invalid(found));
        }
        Ok(Plan {
            kind: query.kind,
            section: query.section,
            text: query.text.trim().to_owned(),
            filters,
            sort,
        })
    }

    /// The rows in `window` of the list, and how many rows it has.
    fn select(&self, p: &Projection, today: Date, window: std::ops::Range<usize>) -> (usize, Vec<Slot>) {
        let catalog = &p.catalog;
        let order = match self.section {
            None => ordered(p, self.kind, self.sort),
            Some(section) => {
                let list = section_list(catalog, section, today);
                let mut slots: Vec<Slot> = list.ids().into_iter().filter_map(|id| catalog.slot(id)).collect();
                if self.sort != ListSort::of(self.kind)[0] {
                    resort(p, &mut slots, self.sort);
                }
                slots.into()
            }
        };
        let kept = |slot: Slot| catalog.at(slot).filter(|e| self.filters.iter().all(|f| f.keeps(catalog, e)));
        let mut total = 0;
        let mut rows = Vec::new();
        let mut take = |slot: Slot| {
            if window.contains(&total) {
                rows.push(slot);
            }
            total += 1;
        };
        match (!self.text.is_empty()).then(|| p.search.matching(&self.text)).flatten() {
            None => order.iter().filter(|&&slot| kept(slot).is_some()).for_each(|&slot| take(slot)),
            // The records named by the whole text first; then the others that hold each of its
            // words, or whose organizations (people, instruments…) have it in their names.
            Some(matching) => {
                let exact = &matching.exact;
                order
                    .iter()
                    .filter(|&&slot| exact.contains(slot) && kept(slot).is_some())
                    .for_each(|&slot| take(slot));
                for &slot in order.iter().filter(|&&slot| !exact.contains(slot)) {
                    if kept(slot).is_some_and(|e| matching.holds(slot, e.refs())) {
                        take(slot);
                    }
                }
            }
        }
        (total, rows)
    }
}

/// The slots of every record of `kind` in the order `sort`: made once per change to the catalog.
fn ordered(p: &Projection, kind: RecordKind, sort: ListSort) -> std::sync::Arc<[Slot]> {
    p.catalog.order((kind, sort as u8), |catalog| {
        let default = ListSort::of(kind)[0];
        if sort != default {
            let mut slots = ordered(p, kind, default).to_vec();
            resort(p, &mut slots, sort);
            return slots;
        }
        let mut entries: Vec<Entry<'_>> = catalog.of_kind(kind).collect();
        match &sort {
            ListSort::Title => return titled(p, entries, |_| ()),
            ListSort::Date if kind == RecordKind::Meeting => entries.sort_by(|a, b| {
                let starts = |e: &Entry<'_>| match e.detail {
                    Detail::Meeting { starts_at, .. } => starts_at,
                    _ => None,
                };
                (starts(b), b.title()).cmp(&(starts(a), a.title()))
            }),
            ListSort::Date => entries.sort_by_cached_key(|e| {
                let starts = match e.detail {
                    Detail::Activity { starts, .. } => starts,
                    _ => None,
                };
                (starts.is_none(), Reverse(starts), e.title())
            }),
            ListSort::Added => {
                return titled(p, entries, |e| match e.detail {
                    Detail::Document { attached, .. } => Reverse(attached),
                    _ => Reverse(None),
                });
            }
            ListSort::Due => {
                return titled(p, entries, |e| match e.detail {
                    Detail::Commitment { status, due, .. } => (!status.is_open(), due.is_none(), due),
                    _ => (true, true, None),
                });
            }
            ListSort::Updated | ListSort::ValidUntil => unreachable!("not a list's default order"),
        }
        entries.into_iter().map(|e| e.slot).collect()
    })
}

/// Sorts `slots` by `sort` (one of the orders a list offers besides its default), keeping
/// the order they had among equals; undated records last.
fn resort(p: &Projection, slots: &mut [Slot], sort: ListSort) {
    let entry = |slot: Slot| p.catalog.at(slot);
    match sort {
        ListSort::Title => by_title(p, slots, |_| ()),
        ListSort::Updated => slots.sort_by_cached_key(|&s| {
            entry(s).and_then(|e| e.updated_at).map_or((true, None), |t| (false, Some(Reverse(t))))
        }),
        ListSort::ValidUntil => slots.sort_by_cached_key(|&s| match entry(s).map(|e| e.detail.clone()) {
            Some(Detail::Agreement { valid_until: Some(d), .. }) => (false, Some(d)),
            _ => (true, None),
        }),
        ListSort::Date | ListSort::Added | ListSort::Due => {}
    }
}

/// The slots of `entries` by `group`, then by title (accents and case ignored), then by id:
/// see [`by_title`].
fn titled<K: Ord>(p: &Projection, mut entries: Vec<Entry<'_>>, group: impl Fn(&Entry<'_>) -> K) -> Vec<Slot> {
    entries.sort_by_key(|e| e.key);
    let mut slots: Vec<Slot> = entries.iter().map(|e| e.slot).collect();
    by_title(p, &mut slots, |slot| p.catalog.at(slot).map(|e| group(&e)));
    slots
}

/// Sorts `slots` by `group`, then by title, accents and case ignored, keeping the order they
/// had among equals. Titles are compared by the search index's first 16 folded bytes, and
/// whole only among those that share them: folding every title of a kind costs more than
/// the sort.
fn by_title<K: Ord>(p: &Projection, slots: &mut [Slot], group: impl Fn(Slot) -> K) {
    slots.sort_by_cached_key(|&s| (group(s), p.search.prefix(s)));
    for run in slots.chunk_by_mut(|&a, &b| p.search.prefix(a) == p.search.prefix(b) && group(a) == group(b)) {
        if run.len() > 1 {
            run.sort_by_cached_key(|&s| p.catalog.at(s).map(|e| fold(e.title())));
        }
    }
}

impl Store {
    /// One window of a list, as of `now`: [`Error::Invalid`] for a query that is not one.
    pub fn list_page(&self, query: &ListQuery, now: Timestamp) -> Result<ListPage> {
        let today = office_today(now);
        let projection = self.projection();
        let catalog = &projection.catalog;
        let plan = Plan::of(query, catalog, true)?;
        let (total, slots) =
            plan.select(&projection, today, query.offset..query.offset.saturating_add(query.limit));
        Ok(ListPage { total, offset: query.offset, rows: RecordList::of(catalog, plan.kind, &slots, today) })
    }

    /// The ids of every row of a list (its window ignored): what a list's export takes.
    pub fn list_ids(&self, query: &ListQuery, now: Timestamp) -> Result<Vec<Id>> {
        let projection = self.projection();
        let plan = Plan::of(query, &projection.catalog, false)?;
        let (_, slots) = plan.select(&projection, office_today(now), 0..usize::MAX);
        Ok(slots.into_iter().filter_map(|slot| projection.catalog.id_at(slot)).collect())
    }

    /// The documents attached to the record `id`, newest first.
    /// [`Error::NotFound`] when there is no such record.
    pub fn documents_of(&self, id: &Id) -> Result<Vec<DocumentItem>> {
        self.with_catalog(|catalog| {
            let slot = catalog.slot(id).ok_or_else(|| Error::not_found(id))?;
            let mut items: Vec<DocumentItem> = catalog
                .referrers(slot)
                .filter(|s| s.attached_to() == Some(slot))
                .filter_map(|s| document_item(catalog, &s))
                .collect();
            sort_documents(&mut items);
            Ok(items)
        })
    }

    /// The commitments of one meeting or agreement as the screens show them (owner, days left),
    /// open ones first, as of `now`.
    /// [`Error::NotFound`] when there is no such record.
    pub fn commitment_items(&self, source: &Id, now: Timestamp) -> Result<Vec<CommitmentItem>> {
        let today = office_today(now);
        self.with_catalog(|catalog| {
            let slot = catalog.slot(source).ok_or_else(|| Error::not_found(source))?;
            let mut items: Vec<CommitmentItem> =
                catalog.commitments_of(slot).filter_map(|s| commitment_item(catalog, &s, today)).collect();
            sort_commitments(&mut items);
            Ok(items)
        })
    }
}
