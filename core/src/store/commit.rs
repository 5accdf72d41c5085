//! Every write: a change made durable in the write-ahead log, given to sled whole, then
//! followed by the projection; and the checkpoints that make sled durable itself.

use super::audit::{self, AUDIT_TREE, AuditEvent, Event};
use super::codec::{decode_any, encode_any};
use super::files::{STORE_DIR, seq_text, write_seq_file};
use super::sync::SyncState;
use super::sync::{Hints, Origin};
use super::wal::{self, Write};
use super::{LAST_BACKUP_KEY, LastBackup, SEQ_KEY, Store, Trees, Writer, journal, relock, transaction_error};
use crate::crypto::DataKey;
use crate::error::{Error, Result};
use crate::fsio::sync_dir;
use crate::index::key::Key;
use crate::model::{AnyRecord, Id, RecordKind};
use std::fs::File;
use std::sync::MutexGuard;

/// A set of puts and deletes applied atomically.
#[derive(Debug, Default)]
pub(crate) struct Change {
    pub puts: Vec<AnyRecord>,
    pub deletes: Vec<(RecordKind, Id)>,
    pub audit: Audit,
    /// Values of the `meta` tree written with it (the sharing's, see `sync.rs`), sealed.
    pub meta: Vec<(Vec<u8>, Option<Vec<u8>>)>,
    pub origin: Origin,
    pub hints: Hints,
}

/// What the audit log says of a change.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Audit {
    /// An entry per record: created or updated (with the fields changed), or deleted.
    #[default]
    Each,
    /// One entry for the whole change, with how many records it wrote (an import).
    Summary(AuditEvent),
    /// None: a store being built to take another's place, whose log goes on.
    Silent,
}

/// The trees a change writes, by the number its writes (and the log's entries) name them
/// with: the first five record trees (in `RecordKind::ALL` order), then `meta`, then
/// `journal`, then (after the audit log's [`AUDIT_TREE`]) the trees of kinds that came later,
/// so that a log written before they came still names the others as it did.
const META_TREE: u8 = 5;
const JOURNAL_TREE: u8 = 6;
const ACTIVITY_TREE: u8 = 8;
const DOCUMENT_TREE: u8 = 9;

/// How many trees a change can write.
pub(super) const WRITABLE_TREES: usize = 9;

impl Trees {
    /// The trees in the order of their numbers, the audit log's left out.
    pub(super) fn by_index(&self) -> [&sled::Tree; WRITABLE_TREES] {
        let [a, b, c, d, e, f, g] = &self.records;
        [a, b, c, d, e, &self.meta, &self.journal, f, g]
    }
}

/// Where the tree numbered `tree` is in [`Trees::by_index`]; `None` for a number that names
/// no tree (the audit log's, or a damaged entry's).
pub(super) fn position(tree: u8) -> Option<usize> {
    match tree {
        0..=6 => Some(usize::from(tree)),
        ACTIVITY_TREE => Some(7),
        DOCUMENT_TREE => Some(8),
        _ => None,
    }
}

/// The index the log names the tree of `kind` by.
fn tree_of(kind: RecordKind) -> u8 {
    match kind {
        RecordKind::Activity => ACTIVITY_TREE,
        RecordKind::Document => DOCUMENT_TREE,
        kind => kind.index() as u8,
    }
}

/// A change as the bytes it writes: each record encoded, the journal's entry and the new
/// change number.
struct Encoded<'a> {
    puts: Vec<(u8, Vec<u8>, Vec<u8>)>,
    deletes: Vec<(u8, Vec<u8>)>,
    meta: &'a [(Vec<u8>, Option<Vec<u8>>)],
    journal_slot: [u8; 2],
    journal_entry: Vec<u8>,
    seq: [u8; 8],
}

impl<'a> Encoded<'a> {
    fn of(change: &'a Change, seq: u64, key: Option<&DataKey>) -> Encoded<'a> {
        let touched: Vec<Key> = change
            .puts
            .iter()
            .map(AnyRecord::id)
            .chain(change.deletes.iter().map(|(_, id)| id))
            .filter_map(Key::of)
            .collect();
        Encoded {
            puts: change
                .puts
                .iter()
                .map(|r| (tree_of(r.kind()), r.id().as_str().as_bytes().to_vec(), encode_any(key, r)))
                .collect(),
            deletes: change
                .deletes
                .iter()
                .map(|(k, id)| (tree_of(*k), id.as_str().as_bytes().to_vec()))
                .collect(),
            meta: &change.meta,
            journal_slot: journal::slot(seq),
            journal_entry: journal::entry(seq, seq - 1, &touched),
            seq: seq.to_be_bytes(),
        }
    }

    /// The writes of the change, the counter last: sled's files hold a prefix of its writes,
    /// and one holding the new counter holds all of the change.
    fn writes(&self) -> Vec<Write<'_>> {
        let mut writes: Vec<Write<'_>> = self
            .puts
            .iter()
            .map(|(tree, key, value)| (*tree, key.as_slice(), Some(value.as_slice())))
            .chain(self.deletes.iter().map(|(tree, key)| (*tree, key.as_slice(), None)))
            .chain(self.meta.iter().map(|(key, value)| (META_TREE, key.as_slice(), value.as_deref())))
            .collect();
        writes.push((JOURNAL_TREE, &self.journal_slot, Some(&self.journal_entry)));
        writes.push((META_TREE, SEQ_KEY, Some(&self.seq)));
        writes
    }
}

impl Store {
    /// Refuses every write after one failed part-way (the shell reopens the store after a
    /// storage error): sled may hold part of a change the log has, which the next open
    /// completes, and a write now could move the counter past it.
    fn writable(&self, writer: &Writer) -> Result<()> {
        match writer.broken.or(self.projection.is_poisoned().then_some(std::io::ErrorKind::Other)) {
            Some(kind) => {
                Err(std::io::Error::new(kind, "an earlier write failed: the store must be reopened").into())
            }
            None => Ok(()),
        }
    }

    /// Applies a change atomically and durably, then updates the projection. Every change is
    /// counted (see `store.seq`) and journaled (see `journal.rs`); writers take turns, so the
    /// next number is this one.
    pub(crate) fn commit(&self, writer: &mut MutexGuard<'_, Writer>, mut change: Change) -> Result<()> {
        self.writable(writer)?;
        let sync = self.stamp(writer, &mut change)?;
        let seq = self.read_seq()? + 1;
        let key = self.key.as_ref();
        let encoded = Encoded::of(&change, seq, key);
        let events = self.audit_events(&change)?;
        let (entries, bodies) = writer.audit.prepare(key, jiff::Timestamp::now(), events)?;
        let numbers: Vec<[u8; 8]> = entries.iter().map(|e| e.n.to_be_bytes()).collect();
        let mut writes = encoded.writes();
        let to_sled = writes.len();
        writes
            .extend(numbers.iter().zip(&bodies).map(|(n, b)| (AUDIT_TREE, n.as_slice(), Some(b.as_slice()))));
        let entry = wal::entry(seq, &writes);
        let large = entry.len() as u64 > wal::WAL_BYTES / 4;
        if !large {
            // Durable in the log before sled has any of it: a crash while sled is given the
            // change leaves part of it, which the next open completes from the log.
            if !writer.wal.fits(entry.len()) {
                self.make_durable(writer)?;
            }
            // A failed fsync may have left the entry on the disk or not: reopening settles it.
            writer.wal.append(&entry).inspect_err(|e| writer.broken = Some(e.kind()))?;
        } else {
            // Not in the log, and sled may write the change out on its own at any moment:
            // the entries are made durable first (a crash before sled has the change leaves an
            // entry for a change that did not happen, never a change without its entry).
            writer.audit.append(&entries, &bodies).and_then(|()| writer.audit.sync())?;
        }
        self.give_sled(writer, &change, &writes[..to_sled], large)?;
        if !large {
            // Durable with the change, in the log; in the audit log's file once synced (a
            // crash before leaves the next open to append them from the log).
            writer.audit.append(&entries, &bodies).inspect_err(|e| writer.broken = Some(e.io_kind()))?;
        }
        if large {
            // Not in the log: durable once sled is.
            self.make_durable(writer)?;
        }
        // A hint that may lag (see `read_seq_file`): the change is durable, so failing to
        // write it does not fail the save. Rewritten in place, at a fixed width: no
        // truncation, no new inode, no metadata to flush.
        use std::io::{Seek, Write};
        let file = &mut writer.seq_file;
        let _ = file.seek(std::io::SeekFrom::Start(0)).and_then(|_| file.write_all(seq_text(seq).as_bytes()));
        if sync.is_some() {
            writer.sync = sync;
        }
        Ok(())
    }

    /// The sharing's part of a change (see `sync.rs`): a local one stamped and queued, a
    /// colleague's moving its cursor. Returns the state to keep once the change is durable.
    fn stamp(&self, writer: &Writer, change: &mut Change) -> Result<Option<SyncState>> {
        let mut meta = std::mem::take(&mut change.meta);
        let state = match &change.origin {
            Origin::Local => {
                self.stamp_local(writer, &mut change.puts, &change.deletes, &change.hints, &mut meta)?
            }
            Origin::Remote { laptop, cursor, stamp, .. } => {
                let mut state = writer
                    .sync
                    .clone()
                    .ok_or_else(|| Error::invalid("sharing", crate::error::Code::NotSharing))?;
                state.cursors.insert(laptop.clone(), *cursor);
                if stamp.hlc.ms > 0 {
                    state.clock.observe(&stamp.hlc);
                    state.last_change.insert(laptop.clone(), stamp.hlc.ms);
                }
                meta.push(self.state_write(&state));
                Some(state)
            }
            Origin::Quiet => None,
        };
        change.meta = meta;
        Ok(state)
    }

    /// Starts (or stops, with `None`) stamping this store's changes for the office.
    pub(crate) fn set_sync_state(&self, state: Option<SyncState>) -> Result<()> {
        let mut writer = self.lock_writer();
        self.writable(&writer)?;
        let change = Change {
            meta: vec![match &state {
                Some(s) => self.state_write(s),
                None => (super::sync::STATE_KEY.to_vec(), None),
            }],
            origin: Origin::Quiet,
            audit: Audit::Silent,
            ..Change::default()
        };
        self.commit(&mut writer, change)?;
        writer.sync = state;
        Ok(())
    }

    /// Gives sled the writes of `change` and has the projection follow, while readers wait:
    /// they see all of the change, in sled and in the projection, or none of it. A large change
    /// goes in one transaction (the log does not hold it); the others write by write (a sled
    /// transaction writes its log at once, a second write to the disk per change).
    fn give_sled(
        &self,
        writer: &mut Writer,
        change: &Change,
        writes: &[Write<'_>],
        large: bool,
    ) -> Result<()> {
        let _applying = relock(self.applying.write());
        let trees = self.trees.by_index();
        let applied = if large { apply_in_transaction(&trees, writes) } else { apply(&trees, writes) };
        let applied = applied.inspect_err(|e| {
            if !large {
                // sled took part of the change: the log holds all of it for the next open.
                writer.broken = Some(e.io_kind());
            }
        })?;
        let (replaced, deleted) = applied.split_at(change.puts.len());
        let earlier = |values: &[Option<sled::IVec>], ids: &mut dyn Iterator<Item = (RecordKind, &Id)>| {
            values
                .iter()
                .zip(ids)
                .map(|(v, (kind, id))| {
                    v.as_ref()
                        .and_then(|v| decode_any(self.key.as_ref(), kind, id.as_str().as_bytes(), v).ok())
                })
                .collect::<Vec<_>>()
        };
        let replaced = earlier(replaced, &mut change.puts.iter().map(|r| (r.kind(), r.id())));
        let deleted = earlier(
            &deleted[..change.deletes.len()],
            &mut change.deletes.iter().map(|(kind, id)| (*kind, id)),
        );
        self.projection_mut().apply(&change.puts, &replaced, &change.deletes, &deleted);
        Ok(())
    }

    /// Makes everything sled holds durable in its own files (a checkpoint: the log can start
    /// over). `flush` writes sled's buffers; on Linux it only calls `sync_file_range`, which
    /// does not persist file metadata nor flush the drive's cache: fsync the log file and any
    /// new blob files (sled writes large values to `blobs/` without syncing them).
    pub(super) fn make_durable(&self, writer: &mut Writer) -> Result<()> {
        let synced = self
            .db
            .flush()
            .map_err(Error::from)
            // The data and what reading it needs (its size), not the times of the file.
            .and_then(|_| Ok(self.log_file.sync_data()?))
            .and_then(|_| self.sync_new_blobs(writer))
            // The log starts over: the audit entries it held must be in their file for good.
            .and_then(|_| writer.audit.sync());
        match &synced {
            Ok(()) => writer.wal.restart(),
            // What sled holds is not known to be on the disk: the store must be reopened.
            Err(e) => writer.broken = Some(e.io_kind()),
        }
        synced
    }

    pub(super) fn sync_new_blobs(&self, writer: &mut Writer) -> Result<()> {
        let blobs_synced = &mut writer.blobs_synced;
        let dir = self.root.join(STORE_DIR).join("blobs");
        let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(()) };
        let mut newest = *blobs_synced;
        for entry in entries {
            let entry = entry?;
            let Some(lsn) = entry.file_name().to_str().and_then(|n| n.parse::<u64>().ok()) else { continue };
            if lsn > *blobs_synced {
                match File::open(entry.path()) {
                    Ok(f) => f.sync_all()?,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                    Err(e) => return Err(e.into()),
                }
                newest = newest.max(lsn);
            }
        }
        if newest > *blobs_synced {
            sync_dir(&dir)?;
            *blobs_synced = newest;
        }
        Ok(())
    }

    /// Moves the change counter up to `at_least` (a store put in place of another continues
    /// beyond every number remembered beside it).
    pub(crate) fn raise_seq(&self, at_least: u64) -> Result<()> {
        let mut writer = self.lock_writer();
        self.writable(&writer)?;
        let from = self.read_seq()?;
        let seq = from.max(at_least);
        if seq != from {
            // The journal hears of the jump, so a saved projection still reaches the new number.
            self.trees.journal.insert(journal::slot(seq), journal::entry(seq, from, &[]))?;
        }
        self.trees.meta.insert(SEQ_KEY, &seq.to_be_bytes())?;
        self.make_durable(&mut writer)?;
        write_seq_file(&self.root, seq)
    }

    /// The audit log's entries for `change`: each record's from what sled holds of it now.
    fn audit_events(&self, change: &Change) -> Result<Vec<(AuditEvent, Event)>> {
        Ok(match change.audit {
            Audit::Silent => Vec::new(),
            Audit::Summary(event) => {
                let count = (change.puts.len() + change.deletes.len()) as u64;
                vec![(event, Event { count: Some(count), ..Event::default() })]
            }
            Audit::Each => {
                let who = match &change.origin {
                    Origin::Remote { who, laptop, .. } => Some((who.clone(), laptop.clone())),
                    _ => None,
                };
                let mut out = Vec::with_capacity(change.puts.len() + change.deletes.len());
                for r in &change.puts {
                    let id = r.id().as_str().as_bytes();
                    let old = match self.trees.records[r.kind().index()].get(id)? {
                        Some(bytes) => decode_any(self.key.as_ref(), r.kind(), id, &bytes).ok(),
                        None => None,
                    };
                    let event = if old.is_some() { AuditEvent::Updated } else { AuditEvent::Created };
                    let fields = audit::changed_fields(old.as_ref(), r);
                    // Saved again as it was (a meeting's commitments go with each save of it).
                    if old.is_some() && fields.is_empty() {
                        continue;
                    }
                    out.push((event, Event { record: Some(r.id().clone()), fields, ..Event::default() }));
                }
                for (_, id) in &change.deletes {
                    out.push((AuditEvent::Deleted, Event { record: Some(id.clone()), ..Event::default() }));
                }
                // A colleague's change names its author, and the laptop it came from.
                if let Some((who, laptop)) = who {
                    for (_, e) in &mut out {
                        e.who = Some(who.clone());
                        e.detail = laptop.clone();
                    }
                }
                out
            }
        })
    }

    /// Logs an event that changes no record (an export, a backup, a lock), durably.
    pub fn log_event(&self, event: AuditEvent, details: Event) -> Result<()> {
        let mut writer = self.lock_writer();
        self.writable(&writer)?;
        let (entries, bodies) =
            writer.audit.prepare(self.key.as_ref(), jiff::Timestamp::now(), vec![(event, details)])?;
        writer.audit.append(&entries, &bodies)?;
        writer.audit.sync()
    }

    /// Who the audit log's entries name from now on (the user name in the settings).
    pub fn set_audit_user(&self, who: &str) {
        self.lock_writer().audit.who = who.to_owned();
    }

    /// The audit log's entries `admits(at, event, record)` lets through, newest first (at most
    /// `limit` read back), from the index kept in memory and extended with what was appended.
    pub(crate) fn audit_select(
        &self,
        limit: usize,
        admits: impl Fn(jiff::Timestamp, AuditEvent, Option<&Id>) -> bool,
    ) -> Result<audit::Selected> {
        let upto = self.lock_writer().audit.written();
        let mut index = relock(self.audit_index.lock());
        index.extend(&self.root, self.key.as_ref(), upto)?;
        index.select(&self.root, self.key.as_ref(), limit, admits)
    }

    /// Every entry of the audit log, oldest first, and whether its chain holds.
    pub fn audit_log(&self) -> Result<(Vec<audit::AuditEntry>, audit::Verification)> {
        // What is whole now; saves go on meanwhile, appending after it.
        let upto = self.lock_writer().audit.written();
        audit::read(&self.root, self.key.as_ref(), upto)
    }

    pub(crate) fn remember_backup(&self, last: &LastBackup) -> Result<()> {
        let mut writer = self.lock_writer();
        self.writable(&writer)?;
        self.trees.meta.insert(LAST_BACKUP_KEY, serde_json::to_vec(last).expect("serializes"))?;
        self.make_durable(&mut writer)
    }
}

/// Gives sled `writes` one by one. Returns what each replaced.
fn apply(trees: &[&sled::Tree; WRITABLE_TREES], writes: &[Write<'_>]) -> Result<Vec<Option<sled::IVec>>> {
    writes
        .iter()
        .map(|&(tree, key, value)| {
            let tree = trees[position(tree).expect("a change writes only the trees it names")];
            Ok(match value {
                Some(value) => tree.insert(key, value)?,
                None => tree.remove(key)?,
            })
        })
        .collect()
}

/// Gives sled `writes` in one transaction: all of them land or none. Returns what each
/// replaced.
pub(super) fn apply_in_transaction(
    trees: &[&sled::Tree; WRITABLE_TREES],
    writes: &[Write<'_>],
) -> Result<Vec<Option<sled::IVec>>> {
    use sled::Transactional;
    use sled::transaction::{ConflictableTransactionError, TransactionalTree};
    trees[..]
        .transaction(|tx: &Vec<TransactionalTree>| {
            let mut earlier = Vec::with_capacity(writes.len());
            for &(tree, key, value) in writes {
                let tree = &tx[position(tree).expect("the caller checked every write's tree")];
                earlier.push(match value {
                    Some(value) => tree.insert(key, value)?,
                    None => tree.remove(key)?,
                });
            }
            Ok::<_, ConflictableTransactionError<()>>(earlier)
        })
        .map_err(transaction_error)
}
