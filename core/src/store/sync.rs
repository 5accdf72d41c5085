//! What the store keeps for sharing with the office (`docs/sharing.md`), in its `meta` tree,
//! written in the same changes as the records so that a crash keeps both or neither:
//!
//! - `sync:state`: this laptop's id, its clock, the number of its next change, and how far it
//!   has applied each colleague's file (`Cursor`);
//! - `sync:e:<id>`: each record's merge [`Entry`] (clocks, conflicts, deletes);
//! - `sync:o:<n>`: this laptop's changes not yet appended to its file in the shared folder;
//! - `sync:office`: the office's keys and this laptop's, kept by `share/`.
//!
//! Every value is sealed with the store's data key, bound to its name. While the store shares,
//! [`Store::commit`] stamps each local change here (`stamp_local`); a colleague's change comes
//! in already merged, with the cursor it moves (`Origin::Remote`).

use super::codec::decode_any;
use super::{Store, Writer};
use crate::crypto::DataKey;
use crate::error::{Error, Result};
use crate::merge::{self, Clock, Entry, RecordChange, Stamp};
use crate::model::{AnyRecord, Id, RecordKind};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

pub(crate) const STATE_KEY: &[u8] = b"sync:state";
pub(crate) const OFFICE_KEY: &[u8] = b"sync:office";
const ENTRY_PREFIX: &str = "sync:e:";
const OUTBOX_PREFIX: &[u8] = b"sync:o:";
/// Present for each record with a conflict or a delete waiting for confirmation.
const FLAG_PREFIX: &str = "sync:c:";

/// Where this laptop stands in a colleague's file of changes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// The file (`000001.vnc` is 1) and the byte after the last change applied.
    pub file: u32,
    pub offset: u64,
    /// The number of the last change applied.
    pub seq: u64,
}

/// This laptop's standing in the office.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncState {
    pub laptop: String,
    pub clock: Clock,
    /// The number the next change made here will carry.
    pub next_seq: u64,
    pub cursors: BTreeMap<String, Cursor>,
    /// When each laptop's last change applied here was made (ms since the epoch).
    #[serde(default)]
    pub last_change: BTreeMap<String, u64>,
    /// Whether the records this laptop held before it shared have all been published.
    #[serde(default)]
    pub published: bool,
}

impl SyncState {
    pub(crate) fn seen(&self) -> BTreeMap<String, u64> {
        self.cursors.iter().filter(|(_, c)| c.seq > 0).map(|(l, c)| (l.clone(), c.seq)).collect()
    }
}

/// One change of this laptop as its file carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Frame {
    pub stamp: Stamp,
    /// The user name of who made it (the settings').
    pub who: String,
    pub changes: Vec<RecordChange>,
    /// The hashes of documents' files the changes name, which travel beside the file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
}

/// Where a change comes from.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) enum Origin {
    /// Made on this laptop: stamped and queued for the office while the store shares.
    #[default]
    Local,
    /// A colleague's change, already merged: the entries it wrote are in the change's meta
    /// writes, and applying it moves `laptop`'s cursor to `cursor`.
    Remote { laptop: String, cursor: Cursor, stamp: Stamp, who: String },
    /// Not the office's business (a store being built to replace another).
    Quiet,
}

/// What a local change asks of the merge beyond its puts and deletes.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Hints {
    /// Fields written even though unchanged (a conflict settled by keeping the value).
    pub force: BTreeMap<Id, Vec<String>>,
    /// Records kept after a colleague deleted them.
    pub keep: Vec<Id>,
    /// Every put sent whole, as if new (a laptop's records when it starts sharing).
    pub publish: bool,
}

pub(crate) fn entry_key(id: &Id) -> Vec<u8> {
    format!("{ENTRY_PREFIX}{id}").into_bytes()
}

fn outbox_key(seq: u64) -> Vec<u8> {
    let mut k = OUTBOX_PREFIX.to_vec();
    k.extend_from_slice(&seq.to_be_bytes());
    k
}

/// A value of the `meta` tree as stored: sealed and bound to its name in an encrypted store.
pub(crate) fn seal(key: Option<&DataKey>, name: &[u8], plain: &[u8]) -> Vec<u8> {
    match key {
        Some(key) => key.seal(&[b"vinculo-meta:".as_slice(), name].concat(), plain),
        None => plain.to_vec(),
    }
}

fn open_value(key: Option<&DataKey>, name: &[u8], stored: &[u8]) -> Result<Vec<u8>> {
    match key {
        Some(key) => key
            .open(&[b"vinculo-meta:".as_slice(), name].concat(), stored)
            .map(|v| v.to_vec())
            .map_err(|_| Error::Corrupt { detail: "a sharing value does not open".into() }),
        None => Ok(stored.to_vec()),
    }
}

pub(crate) fn json_of(record: &AnyRecord) -> Map<String, Value> {
    match crate::model::each_record!(record, r => serde_json::to_value(r)) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

/// A record read back from the fields a merge left (`None` if they no longer make one).
pub(crate) fn record_of(kind: RecordKind, values: &Map<String, Value>) -> Option<AnyRecord> {
    let v = Value::Object(values.clone());
    let r = match kind {
        RecordKind::Organization => AnyRecord::Organization(serde_json::from_value(v).ok()?),
        RecordKind::Contact => AnyRecord::Contact(serde_json::from_value(v).ok()?),
        RecordKind::Meeting => AnyRecord::Meeting(serde_json::from_value(v).ok()?),
        RecordKind::Agreement => AnyRecord::Agreement(serde_json::from_value(v).ok()?),
        RecordKind::Commitment => AnyRecord::Commitment(serde_json::from_value(v).ok()?),
        RecordKind::Activity => AnyRecord::Activity(serde_json::from_value(v).ok()?),
        RecordKind::Document => AnyRecord::Document(serde_json::from_value(v).ok()?),
    };
    Some(r)
}

impl Store {
    /// A value of the `meta` tree, opened.
    pub(crate) fn meta_get(&self, name: &[u8]) -> Result<Option<Vec<u8>>> {
        match self.trees.meta.get(name)? {
            Some(v) => Ok(Some(open_value(self.key.as_ref(), name, &v)?)),
            None => Ok(None),
        }
    }

    pub(crate) fn sync_state(&self) -> Result<Option<SyncState>> {
        Ok(match self.meta_get(STATE_KEY)? {
            Some(bytes) => Some(
                serde_json::from_slice(&bytes)
                    .map_err(|e| Error::Corrupt { detail: format!("sharing state: {e}") })?,
            ),
            None => None,
        })
    }

    /// A record's merge entry.
    pub(crate) fn sync_entry(&self, id: &Id) -> Result<Option<Entry>> {
        let name = entry_key(id);
        Ok(match self.meta_get(&name)? {
            Some(bytes) => Some(
                serde_json::from_slice(&bytes)
                    .map_err(|e| Error::Corrupt { detail: format!("sharing entry {id}: {e}") })?,
            ),
            None => None,
        })
    }

    /// The meta writes that store `entry` of a record whose fields are `values`, and flag it
    /// when it has something to settle.
    pub(crate) fn entry_writes(
        &self,
        id: &Id,
        entry: &Entry,
        values: &Map<String, Value>,
    ) -> [(Vec<u8>, Option<Vec<u8>>); 2] {
        let name = entry_key(id);
        let bytes = serde_json::to_vec(entry).expect("an entry serializes");
        let sealed = seal(self.key.as_ref(), &name, &bytes);
        let pending = match entry.presence() {
            merge::Presence::DeletePending => true,
            merge::Presence::Gone => false,
            merge::Presence::Present => !entry.conflicts(values).is_empty(),
        };
        let flag = format!("{FLAG_PREFIX}{id}").into_bytes();
        [(name, Some(sealed)), (flag, pending.then(Vec::new))]
    }

    /// The records with a conflict or a delete to confirm.
    pub(crate) fn flagged(&self) -> Result<Vec<Id>> {
        let mut out = Vec::new();
        for item in self.trees.meta.scan_prefix(FLAG_PREFIX.as_bytes()) {
            let (name, _) = item?;
            let text = String::from_utf8_lossy(&name[FLAG_PREFIX.len()..]).into_owned();
            out.extend(Id::parse(&text));
        }
        Ok(out)
    }

    /// The user name this laptop's changes are logged under.
    pub(crate) fn audit_user(&self) -> String {
        self.lock_writer().audit.who.clone()
    }

    pub(crate) fn state_write(&self, state: &SyncState) -> (Vec<u8>, Option<Vec<u8>>) {
        let bytes = serde_json::to_vec(state).expect("the state serializes");
        (STATE_KEY.to_vec(), Some(seal(self.key.as_ref(), STATE_KEY, &bytes)))
    }

    /// This laptop's changes waiting to be appended to its file, oldest first.
    pub(crate) fn outbox(&self) -> Result<Vec<Frame>> {
        let mut out = Vec::new();
        for item in self.trees.meta.scan_prefix(OUTBOX_PREFIX) {
            let (name, value) = item?;
            let bytes = open_value(self.key.as_ref(), &name, &value)?;
            out.push(
                serde_json::from_slice(&bytes)
                    .map_err(|e| Error::Corrupt { detail: format!("sharing outbox: {e}") })?,
            );
        }
        Ok(out)
    }

    /// Forgets the queued changes up to `seq`, now in this laptop's file. Outside the log: a
    /// crash that brings some back only has them skipped again (the file has them).
    pub(crate) fn forget_outbox(&self, seq: u64) -> Result<()> {
        let _writer = self.lock_writer();
        for item in self.trees.meta.range(outbox_key(0)..=outbox_key(seq)) {
            let (name, _) = item?;
            self.trees.meta.remove(name)?;
        }
        Ok(())
    }

    /// Stamps a local change while the store shares: each put and delete becomes a
    /// [`RecordChange`] merged into its entry, the change is queued for the office, and the
    /// state moves on. Puts come back with their lists in the merge's order, so that every
    /// laptop holds the same record. Returns the state to keep once the change is durable.
    pub(super) fn stamp_local(
        &self,
        writer: &Writer,
        puts: &mut [AnyRecord],
        deletes: &[(RecordKind, Id)],
        hints: &Hints,
        meta: &mut Vec<(Vec<u8>, Option<Vec<u8>>)>,
    ) -> Result<Option<SyncState>> {
        let Some(mut state) = writer.sync.clone() else { return Ok(None) };
        let now = jiff::Timestamp::now().as_millisecond().max(0) as u64;
        let stamp =
            Stamp { hlc: state.clock.tick(now, &state.laptop), seq: state.next_seq, seen: state.seen() };
        let mut changes = Vec::new();
        let mut files = Vec::new();
        let old_of = |kind: RecordKind, id: &Id| -> Result<Option<AnyRecord>> {
            let key = id.as_str().as_bytes();
            Ok(match self.trees.records[kind.index()].get(key)? {
                Some(bytes) => decode_any(self.key.as_ref(), kind, key, &bytes).ok(),
                None => None,
            })
        };
        for put in puts.iter_mut() {
            let id = put.id().clone();
            // Sent whole when publishing, and when the office has not had it yet (saved while
            // this laptop's records are being published).
            let unpublished = !state.published && self.sync_entry(&id)?.is_none();
            let old = if hints.publish || unpublished {
                None
            } else {
                old_of(put.kind(), &id)?.map(|r| json_of(&r))
            };
            let new = json_of(put);
            let force = hints.force.get(&id).map(Vec::as_slice).unwrap_or(&[]);
            let change = merge::diff(id.as_str(), put.kind(), old.as_ref(), &new, force);
            if change.is_empty() {
                continue;
            }
            let mut entry = self.sync_entry(&id)?.unwrap_or_else(|| Entry::new(put.kind()));
            let mut merged = old.unwrap_or_default();
            merge::apply(&mut entry, &mut merged, &change, &stamp);
            entry.last = None;
            // The record as saved, its lists in the order every laptop gives them.
            let is_list = |k: &String| change.add.contains_key(k) || change.remove.contains_key(k);
            let lists: Vec<(String, Value)> = merged.into_iter().filter(|(k, _)| is_list(k)).collect();
            let reordered = !lists.is_empty();
            let mut values = new;
            values.extend(lists);
            if reordered && let Some(r) = record_of(put.kind(), &values) {
                *put = r;
            }
            if let AnyRecord::Document(d) = &*put {
                files.push(d.hash.clone());
            }
            meta.extend(self.entry_writes(&id, &entry, &values));
            changes.push(change);
        }
        let keep_changes = hints.keep.iter().map(|id| (id, Some(false)));
        for (id, deleted) in deletes.iter().map(|(_, id)| (id, Some(true))).chain(keep_changes) {
            let kind = id.kind().ok_or_else(|| Error::Corrupt { detail: format!("id {id}") })?;
            let mut entry = self.sync_entry(id)?.unwrap_or_else(|| Entry::new(kind));
            let change =
                RecordChange { id: id.to_string(), kind: Some(kind), deleted, ..RecordChange::default() };
            let mut values = old_of(kind, id)?.map(|r| json_of(&r)).unwrap_or_default();
            merge::apply(&mut entry, &mut values, &change, &stamp);
            if deleted == Some(true) {
                entry.last = Some(values.clone());
            }
            meta.extend(self.entry_writes(id, &entry, &values));
            changes.push(change);
        }
        // The records these changes name hear of them (see `merge::Entry::named_by`).
        let written: Vec<Id> = puts.iter().map(|p| p.id().clone()).collect();
        for named in changes.iter().flat_map(merge::named_ids) {
            let Some(id) = Id::parse(&named) else { continue };
            if written.contains(&id) {
                continue;
            }
            let Some(mut entry) = self.sync_entry(&id)? else { continue };
            let kind = entry.kind;
            entry.named_by(&stamp);
            let values = old_of(kind, &id)?.map(|r| json_of(&r)).unwrap_or_default();
            meta.extend(self.entry_writes(&id, &entry, &values));
        }
        if changes.is_empty() {
            return Ok(None);
        }
        state.last_change.insert(state.laptop.clone(), stamp.hlc.ms);
        let frame = Frame { stamp, who: writer.audit.who.clone(), changes, files };
        let name = outbox_key(state.next_seq);
        let bytes = serde_json::to_vec(&frame).expect("a frame serializes");
        meta.push((name.clone(), Some(seal(self.key.as_ref(), &name, &bytes))));
        state.next_seq += 1;
        meta.push(self.state_write(&state));
        Ok(Some(state))
    }
}
