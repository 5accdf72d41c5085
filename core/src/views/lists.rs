//! The list screens: every record of a kind with the columns its list shows.

use super::{
    ActivityItem, AgreementItem, CommitmentItem, MeetingItem, activity_item, agreement_item, commitment_item,
    meeting_item, short_ref, sort_activities, sort_commitments,
};
use crate::clock::office_today;
use crate::error::{Error, Result};
use crate::index::catalog::{Catalog, Detail, Entry};
use crate::model::{Id, OrgKind, RecordKind, RecordRef, RelationshipStatus};
use crate::store::Store;
use crate::text::fold;
use jiff::Timestamp;
use serde::Serialize;

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
    items.sort_by_cached_key(|i| (std::cmp::Reverse(i.attached_at), fold(&i.title), i.id.clone()));
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
    Activity(Vec<ActivityItem>),
    Document(Vec<DocumentItem>),
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
                RecordKind::Activity => {
                    let mut items: Vec<ActivityItem> =
                        of_kind().filter_map(|s| activity_item(catalog, &s)).collect();
                    sort_activities(&mut items);
                    RecordList::Activity(items)
                }
                RecordKind::Commitment => {
                    let mut items: Vec<CommitmentItem> =
                        of_kind().filter_map(|s| commitment_item(catalog, &s, today)).collect();
                    sort_commitments(&mut items);
                    RecordList::Commitment(items)
                }
                RecordKind::Document => {
                    let mut items: Vec<DocumentItem> =
                        of_kind().filter_map(|s| document_item(catalog, &s)).collect();
                    sort_documents(&mut items);
                    RecordList::Document(items)
                }
            }
        })
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
