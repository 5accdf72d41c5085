//! The in-memory projection of the store: one small summary per record and who refers to whom.
//!
//! Rebuilt from sled on open and kept in step with every committed change, so that lists,
//! reference checks and the derived views never scan or decode the store. Long text (notes,
//! minutes) stays on disk.

use crate::model::{
    AgreementKind, AgreementStatus, AnyRecord, CommitmentSource, CommitmentStatus, Id, Modality, OrgKind,
    Party, RecordKind, RecordRef, RelationshipStatus,
};
use crate::text::fold;
use crate::validate::Lookup;
use jiff::Timestamp;
use jiff::civil::Date;
use std::collections::{HashMap, HashSet};

/// What the catalog keeps of one record.
#[derive(Debug, Clone)]
pub(crate) struct Summary {
    pub kind: RecordKind,
    pub id: Id,
    pub revision: u64,
    pub title: String,
    pub updated_at: Option<Timestamp>,
    pub sample: bool,
    pub refs: Vec<Id>,
    pub detail: Detail,
}

#[derive(Debug, Clone)]
pub(crate) enum Detail {
    Organization {
        acronym: String,
        kind: OrgKind,
        relationship: RelationshipStatus,
        country: String,
    },
    Contact {
        organization_id: Option<Id>,
        post: String,
        email: String,
    },
    Meeting {
        starts_at: Option<Timestamp>,
        date: Option<Date>,
        time: Option<String>,
        time_zone: String,
        modality: Modality,
        organization_ids: Vec<Id>,
    },
    Agreement {
        kind: AgreementKind,
        folio: String,
        status: AgreementStatus,
        valid_until: Option<Date>,
        notice_days: u32,
        counterpart_ids: Vec<Id>,
        parent_id: Option<Id>,
    },
    Commitment {
        source: Option<CommitmentSource>,
        party: Party,
        owner_id: Option<Id>,
        due: Option<Date>,
        status: CommitmentStatus,
    },
}

/// Longest description kept in memory for a commitment's title.
const TITLE_CHARS: usize = 160;

/// The name a record is shown by: an organization's name (Spanish first), a person's name,
/// a meeting's or agreement's title, the first line of a commitment.
pub(crate) fn title_of(record: &AnyRecord) -> String {
    match record {
        AnyRecord::Organization(o) => o.display_name().to_owned(),
        AnyRecord::Contact(c) => c.full_name.clone(),
        AnyRecord::Meeting(m) => m.title.clone(),
        AnyRecord::Agreement(a) => a.title.clone(),
        AnyRecord::Commitment(c) => truncate(&c.description, TITLE_CHARS),
    }
}

impl Summary {
    pub fn of(record: &AnyRecord) -> Summary {
        let title = title_of(record);
        let detail = match record {
            AnyRecord::Organization(o) => Detail::Organization {
                acronym: o.display_acronym().to_owned(),
                kind: o.kind,
                relationship: o.relationship,
                country: o.country.clone(),
            },
            AnyRecord::Contact(c) => Detail::Contact {
                organization_id: c.organization_id.clone(),
                post: c.post.clone(),
                email: c.emails.first().map(|e| e.value.clone()).unwrap_or_default(),
            },
            AnyRecord::Meeting(m) => Detail::Meeting {
                starts_at: m.starts_at(),
                date: m.date.parse().ok(),
                time: m.time.clone(),
                time_zone: m.time_zone.clone(),
                modality: m.modality,
                organization_ids: m.organization_ids.clone(),
            },
            AnyRecord::Agreement(a) => Detail::Agreement {
                kind: a.kind,
                folio: a.folio.clone(),
                status: a.status,
                valid_until: a.valid_until_date(),
                notice_days: a.notice_days_or_default(),
                counterpart_ids: a.counterpart_ids.clone(),
                parent_id: a.parent_id.clone(),
            },
            AnyRecord::Commitment(c) => Detail::Commitment {
                source: c.source.clone(),
                party: c.party,
                owner_id: c.owner_id.clone(),
                due: c.due_date(),
                status: c.status,
            },
        };
        Summary {
            kind: record.kind(),
            id: record.id().clone(),
            revision: record.revision(),
            title,
            updated_at: record.updated_at(),
            sample: record.is_sample(),
            refs: record.references().into_iter().cloned().collect(),
            detail,
        }
    }

    pub fn to_ref(&self) -> RecordRef {
        RecordRef { kind: self.kind, id: self.id.clone(), title: self.title.clone() }
    }
}

fn truncate(s: &str, max: usize) -> String {
    let first_line = s.lines().next().unwrap_or("");
    match first_line.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &first_line[..at]),
        None if first_line.len() < s.len() => format!("{first_line}…"),
        None => first_line.to_owned(),
    }
}

#[derive(Debug, Default)]
pub(crate) struct Catalog {
    records: HashMap<Id, Summary>,
    /// For each record, the records that refer to it.
    referrers: HashMap<Id, HashSet<Id>>,
    /// Folded folio → agreement.
    folios: HashMap<String, Id>,
}

impl Catalog {
    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn get(&self, id: &Id) -> Option<&Summary> {
        self.records.get(id)
    }

    pub fn all(&self) -> impl Iterator<Item = &Summary> {
        self.records.values()
    }

    pub fn of_kind(&self, kind: RecordKind) -> impl Iterator<Item = &Summary> {
        self.records.values().filter(move |s| s.kind == kind)
    }

    /// The records that refer to `id`, in no particular order.
    pub fn referrers(&self, id: &Id) -> impl Iterator<Item = &Summary> {
        self.referrers.get(id).into_iter().flatten().filter_map(|r| self.records.get(r))
    }

    pub fn upsert(&mut self, record: &AnyRecord) {
        self.remove(record.id());
        let summary = Summary::of(record);
        for target in &summary.refs {
            self.referrers.entry(target.clone()).or_default().insert(summary.id.clone());
        }
        if let Detail::Agreement { folio, .. } = &summary.detail
            && !folio.is_empty()
        {
            self.folios.insert(fold(folio), summary.id.clone());
        }
        self.records.insert(summary.id.clone(), summary);
    }

    pub fn remove(&mut self, id: &Id) {
        let Some(old) = self.records.remove(id) else { return };
        for target in &old.refs {
            if let Some(set) = self.referrers.get_mut(target) {
                set.remove(id);
                if set.is_empty() {
                    self.referrers.remove(target);
                }
            }
        }
        if let Detail::Agreement { folio, .. } = &old.detail {
            let key = fold(folio);
            if self.folios.get(&key) == Some(id) {
                self.folios.remove(&key);
            }
        }
    }
}

impl Lookup for Catalog {
    fn exists(&self, kind: RecordKind, id: &Id) -> bool {
        self.records.get(id).is_some_and(|s| s.kind == kind)
    }

    fn agreement_parent(&self, id: &Id) -> Option<Id> {
        match &self.records.get(id)?.detail {
            Detail::Agreement { parent_id, .. } => parent_id.clone(),
            _ => None,
        }
    }

    fn folio_owner(&self, folded_folio: &str) -> Option<Id> {
        self.folios.get(folded_folio).cloned()
    }
}

/// A catalog seen with some records about to change: validation of a multi-record save checks
/// references against the records being saved in the same change, too.
pub(crate) struct Pending<'a> {
    pub catalog: &'a Catalog,
    pub added: &'a HashMap<Id, RecordKind>,
    /// Parents of agreements being saved in the same change.
    pub parents: &'a HashMap<Id, Id>,
}

impl Lookup for Pending<'_> {
    fn exists(&self, kind: RecordKind, id: &Id) -> bool {
        self.added.get(id) == Some(&kind) || self.catalog.exists(kind, id)
    }

    fn agreement_parent(&self, id: &Id) -> Option<Id> {
        match self.parents.get(id) {
            Some(parent) => Some(parent.clone()),
            None => self.catalog.agreement_parent(id),
        }
    }

    fn folio_owner(&self, folded_folio: &str) -> Option<Id> {
        self.catalog.folio_owner(folded_folio)
    }
}
