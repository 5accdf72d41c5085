//! The records of DOMAIN.md as plain data.
//!
//! Every record carries the same bookkeeping (`id`, `revision`, `createdAt`, `updatedAt`,
//! `sample`); the store owns those fields and fills them on save. Dates cross the IPC boundary
//! as strings (`YYYY-MM-DD`, `HH:MM`) so that a bad one reaches validation and gets a field
//! error, instead of failing deserialization with prose.

mod activity;
mod agreement;
mod commitment;
mod contact;
mod document;
mod meeting;
mod organization;

pub use activity::{
    Activity, ActivityKind, ActivityStatus, Beneficiary, Participant, Resource, ResourceKind,
};
pub use agreement::{Agreement, AgreementKind, AgreementStatus, DEFAULT_NOTICE_DAYS, Renewal};
pub use commitment::{Commitment, CommitmentSource, CommitmentStatus, Party};
pub use contact::{Contact, Labeled, PostRecord};
pub use document::{Document, MAX_DOCUMENT_BYTES};
pub use meeting::{DEFAULT_TIME_ZONE, Meeting, Modality};
pub use organization::{OrgKind, Organization, RelationshipStatus, Scope, Sector, Theme};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The seven kinds of record the store keeps, one sled tree each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RecordKind {
    Organization,
    Contact,
    Meeting,
    Agreement,
    Commitment,
    Activity,
    Document,
}

impl RecordKind {
    pub const ALL: [RecordKind; 7] = [
        RecordKind::Organization,
        RecordKind::Contact,
        RecordKind::Meeting,
        RecordKind::Agreement,
        RecordKind::Commitment,
        RecordKind::Activity,
        RecordKind::Document,
    ];

    /// The id prefix, which is also the sled tree name.
    pub fn prefix(self) -> &'static str {
        match self {
            RecordKind::Organization => "org",
            RecordKind::Contact => "per",
            RecordKind::Meeting => "mtg",
            RecordKind::Agreement => "agr",
            RecordKind::Commitment => "cmt",
            RecordKind::Activity => "act",
            RecordKind::Document => "doc",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn of_id(id: &Id) -> Option<RecordKind> {
        let prefix = id.0.split('_').next()?;
        RecordKind::ALL.into_iter().find(|k| k.prefix() == prefix)
    }
}

/// An opaque record id: a kind prefix and a UUIDv7 in hex (`org_0193…`). Never personal data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Id(String);

impl Id {
    pub fn new(kind: RecordKind) -> Id {
        Id(format!("{}_{}", kind.prefix(), uuid::Uuid::now_v7().simple()))
    }

    /// Parses an id received from outside. `None` when it is not the shape the store makes.
    pub fn parse(s: &str) -> Option<Id> {
        let (prefix, hex) = s.split_once('_')?;
        let well_formed = RecordKind::ALL.iter().any(|k| k.prefix() == prefix)
            && hex.len() == 32
            && hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        well_formed.then(|| Id(s.to_owned()))
    }

    /// An id the store made before, rebuilt from its parts (see `catalog::Key`).
    pub(crate) fn trusted(s: String) -> Id {
        Id(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn kind(&self) -> Option<RecordKind> {
        RecordKind::of_id(self)
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The bookkeeping every record carries. The store sets all of it; callers only send back the
/// `id` and `revision` they loaded (an empty id and revision 0 for a new record).
pub trait Record: Clone + Serialize + for<'de> Deserialize<'de> {
    const KIND: RecordKind;
    fn id(&self) -> &Id;
    fn revision(&self) -> u64;
    fn is_sample(&self) -> bool;
    fn stamp(&mut self, id: Id, revision: u64, created_at: Timestamp, updated_at: Timestamp);
    fn set_sample(&mut self, sample: bool);
    fn created_at(&self) -> Option<Timestamp>;
    fn updated_at(&self) -> Option<Timestamp>;
    fn kind_of(&self) -> RecordKind {
        Self::KIND
    }
}

macro_rules! impl_record {
    ($ty:ty, $kind:expr) => {
        impl $crate::model::Record for $ty {
            const KIND: $crate::model::RecordKind = $kind;
            fn id(&self) -> &$crate::model::Id {
                &self.id
            }
            fn revision(&self) -> u64 {
                self.revision
            }
            fn is_sample(&self) -> bool {
                self.sample
            }
            fn stamp(
                &mut self,
                id: $crate::model::Id,
                revision: u64,
                created_at: jiff::Timestamp,
                updated_at: jiff::Timestamp,
            ) {
                self.id = id;
                self.revision = revision;
                self.created_at = Some(created_at);
                self.updated_at = Some(updated_at);
            }
            fn set_sample(&mut self, sample: bool) {
                self.sample = sample;
            }
            fn created_at(&self) -> Option<jiff::Timestamp> {
                self.created_at
            }
            fn updated_at(&self) -> Option<jiff::Timestamp> {
                self.updated_at
            }
        }
    };
}
pub(crate) use impl_record;

/// Any record, for code that handles all kinds alike (bulk loads, the index, references).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "record", rename_all = "camelCase")]
pub enum AnyRecord {
    Organization(Organization),
    Contact(Contact),
    Meeting(Meeting),
    Agreement(Agreement),
    Commitment(Commitment),
    Activity(Activity),
    Document(Document),
}

/// Runs `$body` with `$r` bound to the record inside any variant.
macro_rules! each_record {
    ($value:expr, $r:ident => $body:expr) => {
        match $value {
            AnyRecord::Organization($r) => $body,
            AnyRecord::Contact($r) => $body,
            AnyRecord::Meeting($r) => $body,
            AnyRecord::Agreement($r) => $body,
            AnyRecord::Commitment($r) => $body,
            AnyRecord::Activity($r) => $body,
            AnyRecord::Document($r) => $body,
        }
    };
}

pub(crate) use each_record;

/// Longest description a commitment's title keeps.
const TITLE_CHARS: usize = 160;

impl AnyRecord {
    /// The name a record is shown by: an organization's name (Spanish first), a person's name,
    /// a meeting's or agreement's title, the first line of a commitment.
    pub fn title(&self) -> String {
        match self {
            AnyRecord::Organization(o) => o.display_name().to_owned(),
            AnyRecord::Contact(c) => c.full_name.clone(),
            AnyRecord::Meeting(m) => m.title.clone(),
            AnyRecord::Agreement(a) => a.title.clone(),
            AnyRecord::Activity(a) => a.title.clone(),
            AnyRecord::Document(d) => d.name.clone(),
            AnyRecord::Commitment(c) => {
                let first_line = c.description.lines().next().unwrap_or("");
                match first_line.char_indices().nth(TITLE_CHARS) {
                    Some((at, _)) => format!("{}…", &first_line[..at]),
                    None if first_line.len() < c.description.len() => format!("{first_line}…"),
                    None => first_line.to_owned(),
                }
            }
        }
    }

    pub fn kind(&self) -> RecordKind {
        each_record!(self, r => Record::kind_of(r))
    }

    pub fn id(&self) -> &Id {
        each_record!(self, r => &r.id)
    }

    pub fn revision(&self) -> u64 {
        each_record!(self, r => r.revision)
    }

    pub fn is_sample(&self) -> bool {
        each_record!(self, r => r.sample)
    }

    pub fn created_at(&self) -> Option<Timestamp> {
        each_record!(self, r => r.created_at)
    }

    pub fn updated_at(&self) -> Option<Timestamp> {
        each_record!(self, r => r.updated_at)
    }

    pub(crate) fn stamp(&mut self, id: Id, revision: u64, created_at: Timestamp, updated_at: Timestamp) {
        each_record!(self, r => Record::stamp(r, id, revision, created_at, updated_at))
    }

    pub(crate) fn set_revision(&mut self, revision: u64) {
        each_record!(self, r => r.revision = revision)
    }

    pub(crate) fn set_sample(&mut self, sample: bool) {
        each_record!(self, r => r.sample = sample)
    }

    /// Every record id this record points at.
    pub fn references(&self) -> Vec<&Id> {
        each_record!(self, r => r.references())
    }

    /// Points every reference to `from` at `to` instead, or drops it when `to` is `None`.
    pub(crate) fn retarget(&mut self, from: &Id, to: Option<&Id>) {
        match self {
            AnyRecord::Organization(r) => retarget_opt(&mut r.responsible_id, from, to),
            AnyRecord::Contact(r) => {
                retarget_opt(&mut r.organization_id, from, to);
                for entry in &mut r.post_history {
                    retarget_opt(&mut entry.organization_id, from, to);
                }
            }
            AnyRecord::Meeting(r) => {
                retarget_list(&mut r.organization_ids, from, to);
                retarget_list(&mut r.counterpart_attendees, from, to);
                retarget_list(&mut r.iecm_delegation, from, to);
            }
            AnyRecord::Agreement(r) => {
                retarget_list(&mut r.counterpart_ids, from, to);
                retarget_opt(&mut r.parent_id, from, to);
                retarget_opt(&mut r.iecm_contact_id, from, to);
                retarget_opt(&mut r.counterpart_contact_id, from, to);
            }
            AnyRecord::Commitment(r) => retarget_opt(&mut r.owner_id, from, to),
            AnyRecord::Activity(r) => {
                retarget_list(&mut r.partner_ids, from, to);
                retarget_opt(&mut r.agreement_id, from, to);
                retarget_participants(&mut r.participants, from, to);
            }
            // A document goes with its record (see `owner`); a merge moves it.
            AnyRecord::Document(r) => {
                if let Some(to) = to
                    && &r.record_id == from
                {
                    r.record_id = to.clone();
                }
            }
        }
    }

    /// The record this one belongs to and goes with when it is deleted: a commitment's
    /// meeting, agreement or activity; a document's record.
    pub fn belongs_to(&self) -> Option<&Id> {
        match self {
            AnyRecord::Commitment(c) => c.source.as_ref().map(CommitmentSource::id),
            AnyRecord::Document(d) => Some(&d.record_id),
            _ => None,
        }
    }
}

fn retarget_opt(slot: &mut Option<Id>, from: &Id, to: Option<&Id>) {
    if slot.as_ref() == Some(from) {
        *slot = to.cloned();
    }
}

/// A participant whose person is merged into another keeps their hours under the other; one
/// whose person goes is dropped, and a person listed twice is kept once.
fn retarget_participants(list: &mut Vec<Participant>, from: &Id, to: Option<&Id>) {
    if !list.iter().any(|p| &p.contact_id == from) {
        return;
    }
    let mut out: Vec<Participant> = Vec::with_capacity(list.len());
    for mut p in list.drain(..) {
        if &p.contact_id == from {
            match to {
                Some(to) => p.contact_id = to.clone(),
                None => continue,
            }
        }
        if !out.iter().any(|o| o.contact_id == p.contact_id) {
            out.push(p);
        }
    }
    *list = out;
}

fn retarget_list(list: &mut Vec<Id>, from: &Id, to: Option<&Id>) {
    if !list.contains(from) {
        return;
    }
    let mut out: Vec<Id> = Vec::with_capacity(list.len());
    for id in list.drain(..) {
        let id = if &id == from { to.cloned() } else { Some(id) };
        if let Some(id) = id
            && !out.contains(&id)
        {
            out.push(id);
        }
    }
    *list = out;
}

macro_rules! any_record_from {
    ($($variant:ident),*) => {$(
        impl From<$variant> for AnyRecord {
            fn from(r: $variant) -> AnyRecord {
                AnyRecord::$variant(r)
            }
        }
    )*};
}
any_record_from!(Organization, Contact, Meeting, Agreement, Commitment, Activity, Document);

/// A short, human-facing handle on a record: what lists, search results, reference listings
/// and the home view show. Names, never personal data beyond what the screen shows anyway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordRef {
    pub kind: RecordKind,
    pub id: Id,
    pub title: String,
}

/// A meeting, agreement or activity together with its commitments: what is loaded and what is saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WithCommitments<P> {
    pub record: P,
    #[serde(default)]
    pub commitments: Vec<Commitment>,
}
