//! The in-memory projection of the store: one small summary per record and who refers to whom.
//!
//! Kept in step with every committed change (and saved beside the store between sessions, see
//! `saved.rs`), so that lists, reference checks and the derived views never scan or decode the
//! store. Long text (notes, minutes) stays on disk.
//!
//! Records live in *slots*: a dense number per record, shared with the search index. A record
//! keeps its slot while it lives; references between records are slots, and ids are kept as
//! compact [`Key`]s (kind and 128 bits) made back into [`Id`]s only for what leaves the core.
//! The columns the home view scans (meeting days, open commitments' due dates, live
//! agreements' ends, last changes) are kept as flat arrays beside the summaries.

use super::key::{Key, Slot};
use crate::clock::office_today;
use crate::model::{
    ActivityKind, ActivityStatus, AgreementKind, AgreementStatus, AnyRecord, CommitmentStatus,
    DEFAULT_TIME_ZONE, Id, Modality, OrgKind, Party, RecordKind, RecordRef, RelationshipStatus,
};
use crate::text::fold;
use crate::validate::{Lookup, parse_time};
use jiff::Timestamp;
use jiff::civil::Date;
use roaring::RoaringBitmap;
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// The summaries by slot, the arenas they point into, and the orphans' keys.
pub(crate) struct Parts<'a> {
    pub entries: &'a [Option<Summary>],
    pub text: &'a str,
    pub ref_lists: &'a [Slot],
    pub orphans: &'a FxHashMap<Slot, Key>,
}

/// A span of one of the catalog's arenas: a string of its text, or a list of its references.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Text {
    pub at: u32,
    pub len: u32,
}

/// What the catalog keeps of one record: fixed-size, its strings and references in the
/// catalog's arenas (one allocation for all records, not several per record). `refs` holds
/// the record's references in the order of [`AnyRecord::references`], and [`Detail`] says
/// how many of them are what.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Summary {
    pub key: Key,
    pub revision: u64,
    pub updated_at: Option<Timestamp>,
    pub title: Text,
    pub refs: Text,
    pub sample: bool,
    pub detail: Detail,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Detail {
    Organization {
        acronym: Text,
        kind: OrgKind,
        relationship: RelationshipStatus,
        country: Text,
    },
    /// `refs`: its organization first (when `has_organization`), then those of its post history.
    Contact {
        has_organization: bool,
        post: Text,
        email: Text,
    },
    /// `refs`: its `organizations` organizations first, then attendees and delegation.
    Meeting {
        starts_at: Option<Timestamp>,
        date: Option<Date>,
        /// Minutes past midnight.
        time: Option<u16>,
        /// `None` for the office's own zone.
        time_zone: Option<Text>,
        modality: Modality,
        organizations: u16,
    },
    /// `refs`: its `counterparts` counterparts first, then its parent (when `has_parent`),
    /// then the follow-up contacts.
    Agreement {
        kind: AgreementKind,
        folio: Text,
        status: AgreementStatus,
        signed: Option<Date>,
        valid_from: Option<Date>,
        valid_until: Option<Date>,
        notice_days: u32,
        counterparts: u16,
        has_parent: bool,
    },
    /// `refs`: its `partners` partners first, then its instrument (when `has_agreement`), then
    /// its participants.
    Activity {
        kind: ActivityKind,
        status: ActivityStatus,
        starts: Option<Date>,
        ends: Option<Date>,
        partners: u16,
        has_agreement: bool,
    },
    /// `refs`: its meeting, agreement or activity first (when `has_source`), then its owner
    /// (when `has_owner`).
    Commitment {
        has_source: bool,
        has_owner: bool,
        party: Party,
        due: Option<Date>,
        status: CommitmentStatus,
    },
    /// `refs`: the record it is attached to (when `has_record`).
    Document {
        has_record: bool,
        size: u64,
        /// When it was attached (renaming it is a later change).
        attached: Option<Timestamp>,
    },
}

impl Summary {
    /// The handles of its strings in the catalog's text arena: its title, then its detail's.
    pub fn texts(&self) -> impl Iterator<Item = Text> {
        let detail = match &self.detail {
            Detail::Organization { acronym, country, .. } => [Some(*acronym), Some(*country)],
            Detail::Contact { post, email, .. } => [Some(*post), Some(*email)],
            Detail::Meeting { time_zone, .. } => [*time_zone, None],
            Detail::Agreement { folio, .. } => [Some(*folio), None],
            Detail::Commitment { .. } | Detail::Activity { .. } | Detail::Document { .. } => [None, None],
        };
        std::iter::once(self.title).chain(detail.into_iter().flatten())
    }

    /// [`Summary::texts`], to move them.
    fn texts_mut(&mut self) -> impl Iterator<Item = &mut Text> {
        let Summary { title, detail, .. } = self;
        let detail = match detail {
            Detail::Organization { acronym, country, .. } => [Some(acronym), Some(country)],
            Detail::Contact { post, email, .. } => [Some(post), Some(email)],
            Detail::Meeting { time_zone, .. } => [time_zone.as_mut(), None],
            Detail::Agreement { folio, .. } => [Some(folio), None],
            Detail::Commitment { .. } | Detail::Activity { .. } | Detail::Document { .. } => [None, None],
        };
        std::iter::once(title).chain(detail.into_iter().flatten())
    }
}

fn count(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// A record in the catalog, with what it needs to read its strings and references.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry<'a> {
    pub slot: Slot,
    summary: &'a Summary,
    catalog: &'a Catalog,
}

impl std::ops::Deref for Entry<'_> {
    type Target = Summary;
    fn deref(&self) -> &Summary {
        self.summary
    }
}

impl<'a> Entry<'a> {
    pub fn kind(&self) -> RecordKind {
        self.key.kind
    }

    pub fn id(&self) -> Id {
        self.key.id()
    }

    pub fn text(&self, t: Text) -> &'a str {
        self.catalog.text(t)
    }

    pub fn title(&self) -> &'a str {
        self.catalog.text(self.summary.title)
    }

    pub fn refs(&self) -> &'a [Slot] {
        self.catalog.refs(self.summary.refs)
    }

    pub fn to_ref(self) -> RecordRef {
        RecordRef { kind: self.key.kind, id: self.id(), title: self.title().to_owned() }
    }

    /// A contact's organization today.
    pub fn organization(&self) -> Option<Slot> {
        match self.detail {
            Detail::Contact { has_organization: true, .. } => self.refs().first().copied(),
            _ => None,
        }
    }

    /// A meeting's organizations, an agreement's counterparts or an activity's partners.
    pub fn organizations(&self) -> &'a [Slot] {
        let refs = self.refs();
        match self.detail {
            Detail::Meeting { organizations: n, .. }
            | Detail::Agreement { counterparts: n, .. }
            | Detail::Activity { partners: n, .. } => &refs[..usize::from(n).min(refs.len())],
            _ => &[],
        }
    }

    /// An agreement's parent.
    pub fn parent(&self) -> Option<Slot> {
        match self.detail {
            Detail::Agreement { counterparts, has_parent: true, .. } => {
                self.refs().get(usize::from(counterparts)).copied()
            }
            _ => None,
        }
    }

    /// The instrument an activity executes.
    pub fn agreement(&self) -> Option<Slot> {
        match self.detail {
            Detail::Activity { partners, has_agreement: true, .. } => {
                self.refs().get(usize::from(partners)).copied()
            }
            _ => None,
        }
    }

    /// An activity's participants.
    pub fn participants(&self) -> &'a [Slot] {
        let refs = self.refs();
        match self.detail {
            Detail::Activity { partners, has_agreement, .. } => {
                refs.get(usize::from(partners) + usize::from(has_agreement)..).unwrap_or(&[])
            }
            _ => &[],
        }
    }

    /// A commitment's meeting, agreement or activity.
    pub fn source(&self) -> Option<Slot> {
        match self.detail {
            Detail::Commitment { has_source: true, .. } => self.refs().first().copied(),
            _ => None,
        }
    }

    /// Who owes a commitment.
    pub fn owner(&self) -> Option<Slot> {
        match self.detail {
            Detail::Commitment { has_owner: true, .. } => self.refs().last().copied(),
            _ => None,
        }
    }

    /// The record a document is attached to.
    pub fn attached_to(&self) -> Option<Slot> {
        match self.detail {
            Detail::Document { has_record: true, .. } => self.refs().first().copied(),
            _ => None,
        }
    }

    /// The record this one goes with when it is deleted: a commitment's source, a document's
    /// record (see [`AnyRecord::belongs_to`]).
    pub fn belongs_to(&self) -> Option<Slot> {
        self.source().or_else(|| self.attached_to())
    }
}

/// The slots in `refs`, each once (a person can be both attendee and delegate): a handful, so
/// looking back costs less than a set.
fn distinct(refs: &[Slot]) -> impl Iterator<Item = Slot> + '_ {
    refs.iter().enumerate().filter(|&(i, r)| !refs[..i].contains(r)).map(|(_, &r)| r)
}

/// Orders of slots by their maker's key (a kind and which of its orders).
type Orders = FxHashMap<(RecordKind, u8), Arc<[Slot]>>;

/// Marks "none" in the date columns, sorted after every real date.
pub(crate) const NO_DATE: Date = Date::MAX;

#[derive(Debug, Default)]
pub(crate) struct Catalog {
    entries: Vec<Option<Summary>>,
    /// Every summary's strings, one after the other.
    text: String,
    /// Every summary's references, one list after the other.
    ref_lists: Vec<Slot>,
    /// Bytes of `text` and slots of `ref_lists` no summary uses any more.
    garbage: (usize, usize),
    slots: FxHashMap<Key, Slot>,
    free: Vec<Slot>,
    /// For each slot, the slots that refer to it.
    referrers: Vec<Vec<Slot>>,
    /// Slots with a key but no record: of records removed while something still referred to
    /// them, or referred to before they came (a rebuild meets records in any order). Freed,
    /// and their key forgotten, once nothing refers to them, so that no reference ever lands
    /// on another record; a record that comes under the key takes the slot.
    orphans: FxHashMap<Slot, Key>,
    /// Folded folio → agreement.
    folios: HashMap<Box<str>, Slot>,
    /// The slots of each kind's records.
    pub(crate) kinds: [RoaringBitmap; RecordKind::ALL.len()],
    /// Columns the home view scans, by slot ([`NO_DATE`] / `i128::MIN` where they do not apply).
    pub(crate) meeting_day: Vec<Date>,
    pub(crate) open_due: Vec<Date>,
    pub(crate) live_until: Vec<Date>,
    pub(crate) updated: Vec<i128>,
    /// Orders of slots derived from the summaries (the list screens' sorts), by their maker's
    /// key: made on first use, dropped on every change.
    orders: Mutex<Orders>,
}

impl Catalog {
    pub fn len(&self) -> usize {
        self.kinds.iter().map(|k| k.len() as usize).sum()
    }

    /// One past the highest slot in use: the size of the slot-indexed arrays.
    pub fn slot_count(&self) -> usize {
        self.entries.len()
    }

    pub fn text(&self, t: Text) -> &str {
        self.text.get(t.at as usize..(t.at as usize + t.len as usize)).unwrap_or("")
    }

    fn refs(&self, t: Text) -> &[Slot] {
        self.ref_lists.get(t.at as usize..(t.at as usize + t.len as usize)).unwrap_or(&[])
    }

    /// The slot of the record `id`, when the catalog holds it.
    pub fn slot(&self, id: &Id) -> Option<Slot> {
        self.slot_of_key(&Key::of(id)?)
    }

    /// The slot of the record under `key`, when the catalog holds it.
    pub fn slot_of_key(&self, key: &Key) -> Option<Slot> {
        self.slots.get(key).copied().filter(|&slot| self.at(slot).is_some())
    }

    pub fn get(&self, id: &Id) -> Option<Entry<'_>> {
        self.at(self.slot(id)?)
    }

    pub fn at(&self, slot: Slot) -> Option<Entry<'_>> {
        let summary = self.entries.get(slot as usize)?.as_ref()?;
        Some(Entry { slot, summary, catalog: self })
    }

    /// The id of the record in `slot`.
    pub fn id_at(&self, slot: Slot) -> Option<Id> {
        self.at(slot).map(|e| e.id())
    }

    pub fn all(&self) -> impl Iterator<Item = Entry<'_>> {
        self.entries
            .iter()
            .enumerate()
            .filter_map(|(i, s)| Some(Entry { slot: i as Slot, summary: s.as_ref()?, catalog: self }))
    }

    pub fn of_kind(&self, kind: RecordKind) -> impl Iterator<Item = Entry<'_>> {
        self.kinds[kind.index()].iter().filter_map(|slot| self.at(slot))
    }

    /// The order cached under `key`, made by `make` when there is none since the last change.
    pub fn order(&self, key: (RecordKind, u8), make: impl FnOnce(&Catalog) -> Vec<Slot>) -> Arc<[Slot]> {
        if let Some(order) = self.orders.lock().unwrap_or_else(PoisonError::into_inner).get(&key) {
            return order.clone();
        }
        // Made outside the lock: two readers may both make it, and one keeps it.
        let order: Arc<[Slot]> = make(self).into();
        self.orders.lock().unwrap_or_else(PoisonError::into_inner).insert(key, order.clone());
        order
    }

    /// The commitments of the meeting, agreement or activity in `slot`, in no particular order.
    pub fn commitments_of(&self, slot: Slot) -> impl Iterator<Item = Entry<'_>> {
        self.referrers(slot).filter(move |s| s.source() == Some(slot))
    }

    /// The records that refer to `slot`, in no particular order.
    pub fn referrers(&self, slot: Slot) -> impl Iterator<Item = Entry<'_>> {
        self.referrers.get(slot as usize).into_iter().flatten().filter_map(|&r| self.at(r))
    }

    fn add_text(&mut self, s: &str) -> Text {
        let at = u32::try_from(self.text.len()).expect("less than 4 GiB of names");
        self.text.push_str(s);
        Text { at, len: s.len() as u32 }
    }

    /// The slot a change gives `key`: its own, or a new one, an orphan until a record is
    /// placed in it.
    fn slot_for(&mut self, key: Key) -> Slot {
        if let Some(&slot) = self.slots.get(&key) {
            return slot;
        }
        let slot = match self.free.pop() {
            Some(slot) => slot,
            None => {
                self.entries.push(None);
                self.referrers.push(Vec::new());
                self.meeting_day.push(NO_DATE);
                self.open_due.push(NO_DATE);
                self.live_until.push(NO_DATE);
                self.updated.push(i128::MIN);
                u32::try_from(self.entries.len() - 1).expect("fewer than 4 billion records")
            }
        };
        self.slots.insert(key, slot);
        self.orphans.insert(slot, key);
        slot
    }

    /// What the catalog keeps of `record`, its strings added to the arena and its references
    /// made slots (a record not seen yet gets its slot now: a rebuild meets records in any
    /// order, and a change may refer to records it adds).
    fn summarize(&mut self, record: &AnyRecord, key: Key) -> Summary {
        let mut refs: Vec<Slot> = Vec::new();
        let resolve =
            |this: &mut Catalog, refs: &mut Vec<Slot>, ids: &mut dyn Iterator<Item = &Id>| -> usize {
                let before = refs.len();
                refs.extend(ids.filter_map(|id| Some(this.slot_for(Key::of(id)?))));
                refs.len() - before
            };
        let detail = match record {
            AnyRecord::Organization(o) => {
                resolve(self, &mut refs, &mut o.responsible_id.iter());
                Detail::Organization {
                    acronym: self.add_text(o.display_acronym()),
                    kind: o.kind,
                    relationship: o.relationship,
                    country: self.add_text(&o.country),
                }
            }
            AnyRecord::Contact(c) => {
                let has_organization = resolve(self, &mut refs, &mut c.organization_id.iter()) > 0;
                resolve(
                    self,
                    &mut refs,
                    &mut c.post_history.iter().filter_map(|p| p.organization_id.as_ref()),
                );
                Detail::Contact {
                    has_organization,
                    post: self.add_text(&c.post),
                    email: self.add_text(c.emails.first().map_or("", |e| e.value.as_str())),
                }
            }
            AnyRecord::Meeting(m) => {
                let organizations = count(resolve(self, &mut refs, &mut m.organization_ids.iter()));
                resolve(self, &mut refs, &mut m.counterpart_attendees.iter().chain(&m.iecm_delegation));
                let time = m
                    .time
                    .as_deref()
                    .and_then(parse_time)
                    .and_then(|t| Some(t[..2].parse::<u16>().ok()? * 60 + t[3..].parse::<u16>().ok()?));
                Detail::Meeting {
                    starts_at: m.starts_at(),
                    date: m.date.parse().ok(),
                    time,
                    time_zone: (m.time_zone != DEFAULT_TIME_ZONE).then(|| self.add_text(&m.time_zone)),
                    modality: m.modality,
                    organizations,
                }
            }
            AnyRecord::Agreement(a) => {
                let counterparts = count(resolve(self, &mut refs, &mut a.counterpart_ids.iter()));
                let has_parent = resolve(self, &mut refs, &mut a.parent_id.iter()) > 0;
                resolve(self, &mut refs, &mut a.iecm_contact_id.iter().chain(&a.counterpart_contact_id));
                Detail::Agreement {
                    kind: a.kind,
                    folio: self.add_text(&a.folio),
                    status: a.status,
                    signed: a.signed_on.as_deref().and_then(|d| d.parse().ok()),
                    valid_from: a.valid_from.as_deref().and_then(|d| d.parse().ok()),
                    valid_until: a.valid_until_date(),
                    notice_days: a.notice_days_or_default(),
                    counterparts,
                    has_parent,
                }
            }
            AnyRecord::Activity(a) => {
                let partners = count(resolve(self, &mut refs, &mut a.partner_ids.iter()));
                let has_agreement = resolve(self, &mut refs, &mut a.agreement_id.iter()) > 0;
                resolve(self, &mut refs, &mut a.participants.iter().map(|p| &p.contact_id));
                Detail::Activity {
                    kind: a.kind,
                    status: a.status,
                    starts: a.start_date(),
                    ends: a.end_date(),
                    partners,
                    has_agreement,
                }
            }
            AnyRecord::Commitment(c) => {
                let has_source = resolve(self, &mut refs, &mut c.source.iter().map(|s| s.id())) > 0;
                let has_owner = resolve(self, &mut refs, &mut c.owner_id.iter()) > 0;
                Detail::Commitment {
                    has_source,
                    has_owner,
                    party: c.party,
                    due: c.due_date(),
                    status: c.status,
                }
            }
            AnyRecord::Document(d) => {
                let has_record = resolve(self, &mut refs, &mut std::iter::once(&d.record_id)) > 0;
                Detail::Document { has_record, size: d.size, attached: d.created_at }
            }
        };
        let at = u32::try_from(self.ref_lists.len()).expect("fewer than 4 billion references");
        self.ref_lists.extend_from_slice(&refs);
        Summary {
            key,
            revision: record.revision(),
            updated_at: record.updated_at(),
            title: self.add_text(&record.title()),
            refs: Text { at, len: refs.len() as u32 },
            sample: record.is_sample(),
            detail,
        }
    }

    /// Writes the records of one change (each with a well-formed id): every record of it gets
    /// a slot first, so references among them resolve. Returns their slots, in order.
    pub fn upsert_all(&mut self, records: &[&AnyRecord]) -> Vec<Slot> {
        self.orders.get_mut().unwrap_or_else(PoisonError::into_inner).clear();
        let keys: Vec<Key> =
            records.iter().map(|r| Key::of(r.id()).expect("stored records have well-formed ids")).collect();
        let slots: Vec<Slot> = keys.iter().map(|k| self.slot_for(*k)).collect();
        for ((record, key), slot) in records.iter().zip(keys).zip(&slots) {
            let summary = self.summarize(record, key);
            self.place(*slot, summary);
        }
        self.compact_if_wasteful();
        slots
    }

    /// The office's calendar day of a meeting (the office's calendar decides "this week",
    /// whatever the meeting's own zone).
    fn office_day(detail: &Detail) -> Option<Date> {
        match detail {
            Detail::Meeting { starts_at: Some(t), .. } => Some(office_today(*t)),
            Detail::Meeting { date, .. } => *date,
            _ => None,
        }
    }

    /// Puts `summary` in `slot` (given by [`Catalog::slot_for`]), replacing what was there.
    fn place(&mut self, slot: Slot, summary: Summary) {
        self.unplace(slot);
        self.orphans.remove(&slot);
        let i = slot as usize;
        let refs =
            self.ref_lists.get(summary.refs.at as usize..(summary.refs.at + summary.refs.len) as usize);
        for target in distinct(refs.unwrap_or(&[])) {
            self.referrers[target as usize].push(slot);
        }
        self.columns(slot, &summary);
        self.entries[i] = Some(summary);
    }

    /// Files the record in `slot` under its kind, its folio and the home view's columns.
    fn columns(&mut self, slot: Slot, summary: &Summary) {
        let i = slot as usize;
        if let Detail::Agreement { folio, .. } = &summary.detail
            && folio.len > 0
        {
            self.folios.insert(fold(self.text(*folio)).into(), slot);
        }
        self.meeting_day[i] = Catalog::office_day(&summary.detail).unwrap_or(NO_DATE);
        self.open_due[i] = match summary.detail {
            Detail::Commitment { due: Some(due), status, .. } if status.is_open() => due,
            _ => NO_DATE,
        };
        self.live_until[i] = match summary.detail {
            Detail::Agreement { valid_until: Some(until), status, .. } if status.is_live() => until,
            _ => NO_DATE,
        };
        self.updated[i] = summary.updated_at.map_or(i128::MIN, |t| t.as_nanosecond());
        self.kinds[summary.key.kind.index()].insert(slot);
    }

    /// The arena space a summary takes.
    fn footprint(s: &Summary) -> (usize, usize) {
        (s.texts().map(|t| t.len as usize).sum(), s.refs.len as usize)
    }

    /// Takes the summary out of `slot`, keeping the slot.
    fn unplace(&mut self, slot: Slot) -> Option<Summary> {
        let i = slot as usize;
        let old = self.entries.get_mut(i)?.take()?;
        let refs = self.ref_lists.get(old.refs.at as usize..(old.refs.at + old.refs.len) as usize);
        for target in distinct(refs.unwrap_or(&[])) {
            let list = &mut self.referrers[target as usize];
            if let Some(at) = list.iter().position(|&r| r == slot) {
                list.swap_remove(at);
            }
            if list.is_empty()
                && let Some(key) = self.orphans.remove(&target)
            {
                self.slots.remove(&key);
                self.free.push(target);
            }
        }
        if let Detail::Agreement { folio, .. } = &old.detail {
            let key = fold(self.text(*folio));
            if self.folios.get(key.as_str()) == Some(&slot) {
                self.folios.remove(key.as_str());
            }
        }
        self.meeting_day[i] = NO_DATE;
        self.open_due[i] = NO_DATE;
        self.live_until[i] = NO_DATE;
        self.updated[i] = i128::MIN;
        self.kinds[old.key.kind.index()].remove(slot);
        let (text, refs) = Catalog::footprint(&old);
        self.garbage.0 += text;
        self.garbage.1 += refs;
        Some(old)
    }

    /// Compacts the arenas once most of them are garbage (records changed many times).
    fn compact_if_wasteful(&mut self) {
        let wasteful = |garbage: usize, total: usize| garbage > 1 << 20 && garbage * 2 > total;
        if wasteful(self.garbage.0, self.text.len()) || wasteful(self.garbage.1 * 4, self.ref_lists.len() * 4)
        {
            self.compact();
        }
    }

    /// Copies the live strings and references into new arenas, leaving the garbage behind (a
    /// saved state carries only what is live).
    pub fn compact(&mut self) {
        if self.garbage == (0, 0) {
            return;
        }
        let mut text = String::with_capacity(self.text.len() - self.garbage.0);
        let mut ref_lists = Vec::with_capacity(self.ref_lists.len() - self.garbage.1);
        let mut copy = |t: &mut Text, old: &str| {
            let s = old.get(t.at as usize..(t.at + t.len) as usize).unwrap_or("");
            t.at = text.len() as u32;
            text.push_str(s);
        };
        for s in self.entries.iter_mut().flatten() {
            for t in s.texts_mut() {
                copy(t, &self.text);
            }
            let refs =
                self.ref_lists.get(s.refs.at as usize..(s.refs.at + s.refs.len) as usize).unwrap_or(&[]);
            s.refs.at = ref_lists.len() as u32;
            ref_lists.extend_from_slice(refs);
        }
        self.text = text;
        self.ref_lists = ref_lists;
        self.garbage = (0, 0);
    }

    /// Removes the record `id`, freeing its slot once nothing refers to it. Returns the slot
    /// it had.
    pub fn remove(&mut self, id: &Id) -> Option<Slot> {
        let key = Key::of(id)?;
        let slot = *self.slots.get(&key)?;
        self.orders.get_mut().unwrap_or_else(PoisonError::into_inner).clear();
        self.unplace(slot);
        if self.referrers[slot as usize].is_empty() {
            self.slots.remove(&key);
            self.free.push(slot);
        } else {
            self.orphans.insert(slot, key);
        }
        Some(slot)
    }

    /// The catalog holding `entries` at their slots, over the arenas their handles point into,
    /// with its `orphans` (as saved by `saved.rs`): the lookups and columns are derived from
    /// them, in passes over all of them at once rather than record by record.
    pub fn from_parts(
        entries: Vec<Option<Summary>>,
        text: String,
        ref_lists: Vec<Slot>,
        orphans: Vec<(Slot, Key)>,
    ) -> Catalog {
        let n = entries.len();
        let mut catalog = Catalog {
            text,
            ref_lists,
            slots: FxHashMap::with_capacity_and_hasher(n, Default::default()),
            meeting_day: vec![NO_DATE; n],
            open_due: vec![NO_DATE; n],
            live_until: vec![NO_DATE; n],
            updated: vec![i128::MIN; n],
            ..Catalog::default()
        };
        let mut referred = vec![0u32; n];
        for (i, entry) in entries.iter().enumerate() {
            let Some(summary) = entry else { continue };
            let slot = i as Slot;
            catalog.slots.insert(summary.key, slot);
            catalog.columns(slot, summary);
            for target in distinct(catalog.refs(summary.refs)) {
                if let Some(count) = referred.get_mut(target as usize) {
                    *count += 1;
                }
            }
        }
        catalog.referrers = referred.into_iter().map(|count| Vec::with_capacity(count as usize)).collect();
        for (i, summary) in entries.iter().enumerate() {
            let Some(summary) = summary else { continue };
            let refs = catalog
                .ref_lists
                .get(summary.refs.at as usize..(summary.refs.at + summary.refs.len) as usize);
            for target in distinct(refs.unwrap_or(&[])) {
                if let Some(list) = catalog.referrers.get_mut(target as usize) {
                    list.push(i as Slot);
                }
            }
        }
        // An orphan keeps its key while something refers to it.
        for (slot, key) in orphans {
            let empty = entries.get(slot as usize).is_some_and(Option::is_none);
            if empty && !catalog.referrers[slot as usize].is_empty() && !catalog.slots.contains_key(&key) {
                catalog.slots.insert(key, slot);
                catalog.orphans.insert(slot, key);
            }
        }
        // Free: the empty slots nothing refers to (a reference to a record that is not there
        // keeps its slot, so that it never lands on another record).
        catalog.free = (0..n)
            .rev()
            .filter(|&i| entries[i].is_none() && catalog.referrers[i].is_empty())
            .map(|i| i as Slot)
            .collect();
        catalog.entries = entries;
        catalog
    }

    /// What `saved.rs` saves, for [`Catalog::from_parts`] to make the catalog again.
    pub fn parts(&self) -> Parts<'_> {
        Parts { entries: &self.entries, text: &self.text, ref_lists: &self.ref_lists, orphans: &self.orphans }
    }
}

impl Lookup for Catalog {
    fn exists(&self, kind: RecordKind, id: &Id) -> bool {
        self.get(id).is_some_and(|s| s.key.kind == kind)
    }

    fn agreement_parent(&self, id: &Id) -> Option<Id> {
        self.id_at(self.get(id)?.parent()?)
    }

    fn folio_owner(&self, folded_folio: &str) -> Option<Id> {
        self.id_at(*self.folios.get(folded_folio)?)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn org(name: &str) -> AnyRecord {
        let mut o = crate::model::Organization { name_es: name.into(), ..Default::default() };
        o.id = Id::new(RecordKind::Organization);
        o.into()
    }

    fn person(name: &str, organization: Option<&Id>) -> AnyRecord {
        let mut c = crate::model::Contact { full_name: name.into(), ..Default::default() };
        c.id = Id::new(RecordKind::Contact);
        c.organization_id = organization.cloned();
        c.into()
    }

    /// The catalog as `saved.rs` saves and loads it.
    fn saved(catalog: &Catalog) -> Catalog {
        let p = catalog.parts();
        let orphans = p.orphans.iter().map(|(&slot, &key)| (slot, key)).collect();
        Catalog::from_parts(p.entries.to_vec(), p.text.to_owned(), p.ref_lists.to_vec(), orphans)
    }

    #[test]
    fn a_reference_to_a_removed_record_never_lands_on_another() {
        let (gone, other) = (org("Se va"), org("Llega"));
        let mut catalog = Catalog::default();
        let left = person("Ana", Some(gone.id()));
        catalog.upsert_all(&[&gone, &left]);
        let slot = catalog.slot(gone.id()).expect("placed");
        catalog.remove(gone.id());
        assert!(catalog.get(gone.id()).is_none());
        catalog.upsert_all(&[&other]);
        assert_ne!(catalog.slot(other.id()), Some(slot));
        assert_eq!(catalog.referrers(catalog.slot(other.id()).expect("placed")).count(), 0);
        // The same through a saved catalog.
        let mut loaded = saved(&catalog);
        let late = org("Tarde");
        loaded.upsert_all(&[&late]);
        assert_ne!(loaded.slot(late.id()), Some(slot));
        // Once nothing refers to it, the slot is used again.
        let mut again = left.clone();
        if let AnyRecord::Contact(c) = &mut again {
            c.organization_id = None;
        }
        catalog.upsert_all(&[&again]);
        let next = org("Después");
        catalog.upsert_all(&[&next]);
        assert_eq!(catalog.slot(next.id()), Some(slot));
    }

    #[test]
    fn a_record_referred_to_before_it_comes_takes_the_slot_its_referrers_hold() {
        let late = org("Llega después");
        let ana = person("Ana", Some(late.id()));
        let mut alone = ana.clone();
        if let AnyRecord::Contact(c) = &mut alone {
            c.organization_id = None;
        }
        let mut catalog = Catalog::default();
        catalog.upsert_all(&[&ana]);
        assert!(catalog.get(late.id()).is_none());
        let mut loaded = saved(&catalog);
        loaded.upsert_all(&[&late]);
        let slot = loaded.slot(late.id()).expect("placed");
        assert_eq!(loaded.referrers(slot).map(|e| e.id()).collect::<Vec<_>>(), [ana.id().clone()]);
        // Once nothing refers to it, its slot is free for the next record, in this catalog and
        // in one saved and loaded.
        for mut catalog in [saved(&catalog), catalog] {
            catalog.upsert_all(&[&alone]);
            let slots = catalog.slot_count();
            catalog.upsert_all(&[&org("Otra")]);
            assert_eq!(catalog.slot_count(), slots, "the freed slot is used again");
        }
    }

    #[test]
    fn the_catalog_keeps_each_record_s_references_in_the_models_order() {
        let records = crate::edit::sample::sample_records(Date::constant(2026, 11, 24));
        let mut catalog = Catalog::default();
        catalog.upsert_all(&records.iter().collect::<Vec<_>>());
        assert!(records.iter().filter(|r| r.references().len() > 1).count() > 5, "the sample refers");
        for record in &records {
            let entry = catalog.get(record.id()).expect("placed");
            let kept: Vec<Id> = entry.refs().iter().filter_map(|&s| catalog.id_at(s)).collect();
            let model: Vec<Id> = record.references().into_iter().cloned().collect();
            assert_eq!(kept, model, "{}", record.title());
        }
    }
}
