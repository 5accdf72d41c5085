//! The durable store: the only module that names sled.
//!
//! Layout of a store directory (the caller passes its path):
//!
//! ```text
//! <root>/store.version   {"format":"vinculo-store","schema":N}, read before sled opens
//! <root>/store/          the sled database: one tree per record kind, `meta` and `journal`
//! <root>/store.wal       the write-ahead log that makes each change durable (see `wal.rs`)
//! <root>/store.seq       the number of the last change made durable, kept outside sled
//! <root>/store.state     the catalog and search index as of some change (see `state.rs`)
//! ```
//!
//! `meta` holds the schema version, the number of the last change (`seq`, written with every
//! change, last), the store's id and the last backup taken. `store.seq` repeats that number
//! after each change, outside sled: sled recovers a damaged log by dropping what follows the
//! damage without a word, and a store that opens with a smaller number than its `store.seq`
//! has lost changes — it is reported damaged instead of opening short.
//!
//! Every change goes through [`Store::commit`]: its writes go to the write-ahead log, synced,
//! then to sled (so a meeting and its commitments land together or not at all: a crash in
//! between leaves the log to complete them), and only then the in-memory catalog and search
//! index are updated and the caller is answered. A change too large for the log (an import)
//! goes to sled in one transaction instead, made durable at once. sled's own files are made durable (its
//! `flush`, which on Linux only calls `sync_file_range`, then a real `fsync`) at checkpoints.
//!
//! Each change also writes its entry in the `journal`, a ring: which records it touched.
//! Opening reads `store.state` and replays the journal entries after it (after a crash, the
//! changes made since the state was last saved), instead of reading every record.

use crate::catalog::{Catalog, Detail, Entry, Key, Pending, Slot};
use crate::codec;
use crate::error::{Code, Error, Result, Violation};
use crate::model::{
    Agreement, AnyRecord, Commitment, CommitmentSource, Contact, Id, Meeting, Organization, PostRecord,
    Record, RecordKind, RecordRef,
};
use crate::search::{SearchIndex, SearchResults};
use crate::validate::{self, Lookup};
use crate::wal::{Op, Wal};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// The schema this build writes. Bump it with a migration in [`MIGRATIONS`].
pub const SCHEMA_VERSION: u32 = 2;

/// Migrations from version `n` to `n + 1`, at index `n - 1`. Each runs in one transaction
/// that also records the new version, so a crash leaves the store at `n` or at `n + 1`.
const MIGRATIONS: &[fn(&sled::Db, &sled::Tree) -> Result<()>] = &[migrate_1_to_2];

/// Schema 2 counts changes (`seq`, for `store.seq`) and remembers the last backup.
fn migrate_1_to_2(_db: &sled::Db, meta: &sled::Tree) -> Result<()> {
    use sled::transaction::ConflictableTransactionError;
    meta.transaction(|tx| {
        if tx.get(SEQ_KEY)?.is_none() {
            // The changes schema 1 made were not counted: they count as one.
            tx.insert(SEQ_KEY, &1u64.to_be_bytes())?;
        }
        tx.insert(SCHEMA_KEY, &2u32.to_be_bytes())?;
        Ok::<(), ConflictableTransactionError<()>>(())
    })
    .map_err(transaction_error)
}

fn transaction_error(e: sled::transaction::TransactionError<()>) -> Error {
    match e {
        sled::transaction::TransactionError::Storage(e) => e.into(),
        sled::transaction::TransactionError::Abort(()) => unreachable!("these transactions never abort"),
    }
}

/// sled's page cache. Our own catalog answers lists and views, so sled's cache only serves
/// record reads: 64 MiB is plenty on a laptop (sled's default is 1 GiB).
const CACHE_BYTES: u64 = 64 * 1024 * 1024;

const VERSION_FILE: &str = "store.version";
const STORE_DIR: &str = "store";
pub(crate) const SEQ_FILE: &str = "store.seq";
const SCHEMA_KEY: &[u8] = b"schema";
const SEQ_KEY: &[u8] = b"seq";
const LAST_BACKUP_KEY: &[u8] = b"lastBackup";
/// A random number naming this store, so that a saved state is never read into another.
const STORE_ID_KEY: &[u8] = b"storeId";
const JOURNAL_TREE: &str = "journal";
/// The journal is a ring: change `n` is written in slot `n % JOURNAL_SLOTS`, over the entry of
/// a change that many before. A tree that only grew (one new key per change) made sled's
/// files grow four times faster than the records did; a ring rewrites the same keys. After a
/// crash that many changes past the saved state, the state is rebuilt instead.
const JOURNAL_SLOTS: u64 = 4096;
pub(crate) const STATE_FILE: &str = "store.state";

/// The files that make up a store under its root, as they are moved when one store is set
/// aside for another.
pub(crate) const STORE_FILES: [&str; 5] =
    [STORE_DIR, VERSION_FILE, SEQ_FILE, STATE_FILE, crate::wal::WAL_FILE];
/// The trees a change writes, by their index in a change's transaction: the record trees
/// (in [`RecordKind::ALL`] order), then these.
const META_TREE: usize = 5;
const JOURNAL_TREE_AT: usize = 6;

#[derive(Debug, Serialize, Deserialize)]
struct VersionFile {
    format: String,
    schema: u32,
}
const FORMAT_NAME: &str = "vinculo-store";

/// A commitment to remove while saving its meeting or agreement, with the revision the caller
/// saw (so a commitment changed meanwhile is not removed blindly).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Removal {
    pub id: Id,
    pub revision: u64,
}

/// A meeting or agreement together with its commitments: what is loaded and what is saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WithCommitments<P> {
    pub record: P,
    #[serde(default)]
    pub commitments: Vec<Commitment>,
}

/// What to do with the records that refer to an organization being deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "policy", rename_all = "camelCase")]
pub enum OrgDeletion {
    /// Refuse with [`Error::Referenced`] if anything refers to it.
    Refuse,
    /// Point every reference at another organization (a merge).
    Reassign { to: Id },
    /// Delete its people, and the meetings and agreements that involve only it (with their
    /// commitments); drop it from the ones shared with other organizations.
    Cascade,
}

/// What a delete did besides removing the record itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteReport {
    pub deleted: Vec<RecordRef>,
    pub updated: Vec<RecordRef>,
}

#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) catalog: Catalog,
    pub(crate) index: SearchIndex,
}

impl State {
    /// Adds records read from the store (a rebuild, or what changed since the state was saved).
    pub(crate) fn add(&mut self, records: &[AnyRecord]) {
        let slots = self.catalog.upsert_all(&records.iter().collect::<Vec<_>>());
        for (record, slot) in records.iter().zip(slots) {
            self.index.insert(slot, record);
        }
    }

    /// Follows one committed change: `replaced` holds the earlier versions of `change.puts` and
    /// `deleted` those of `change.deletes` (`None` where there was none, or it did not decode).
    fn apply(&mut self, change: &Change, replaced: &[Option<AnyRecord>], deleted: &[Option<AnyRecord>]) {
        let earlier = change
            .puts
            .iter()
            .map(AnyRecord::id)
            .zip(replaced)
            .chain(change.deletes.iter().map(|(_, id)| id).zip(deleted));
        let mut unknown = roaring::RoaringBitmap::new();
        for (id, old) in earlier {
            let Some(slot) = self.catalog.slot(id) else {
                continue;
            };
            match old {
                Some(old) => self.index.remove(slot, old),
                // What the index holds of it is not known: take it out of every term.
                None => {
                    unknown.insert(slot);
                }
            }
        }
        self.index.remove_all(&unknown);
        for (_, id) in &change.deletes {
            self.catalog.remove(id);
        }
        self.add(&change.puts);
    }
}

/// A set of puts and deletes applied atomically.
#[derive(Debug, Default)]
struct Change {
    puts: Vec<AnyRecord>,
    deletes: Vec<(RecordKind, Id)>,
}

/// How the catalog and index were had when the store opened: what a slow start is told by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "from")]
pub enum Opened {
    /// From the state saved beside the store, and this many journal entries after it.
    Saved { replayed: usize },
    /// From every record, because the saved state could not be used (`why`).
    Rebuilt { why: &'static str },
}

/// What writers hold while they write (one at a time).
#[derive(Debug)]
pub(crate) struct Writer {
    /// The highest blob file already fsynced.
    blobs_synced: u64,
    /// `store.seq`, kept open and rewritten in place after every change.
    seq_file: File,
    /// The change the saved `store.state` holds (`None` when it had to be rebuilt).
    state_saved: Option<u64>,
    /// The write-ahead log that makes each change durable (see `wal.rs`).
    wal: Wal,
    /// A write failed part-way (sled refused part of a change, or making it durable failed):
    /// sled, the catalog and the log may disagree until the store is reopened, which replays
    /// the log. Until then every change is refused, as that write was, and the state is not
    /// saved.
    broken: Option<std::io::ErrorKind>,
}

/// The open store. Cheap to share (`&Store` from any thread); writes are serialized.
#[derive(Debug)]
pub struct Store {
    root: PathBuf,
    db: sled::Db,
    trees: [sled::Tree; 5],
    meta: sled::Tree,
    journal: sled::Tree,
    id: u128,
    /// sled's log file, kept open to fsync it after every flush.
    log_file: File,
    writer: Mutex<Writer>,
    /// Held (for writing) while sled is given a change, one write at a time: readers of
    /// records hold it for reading, so they see a change whole or not at all.
    applying: RwLock<()>,
    state: RwLock<State>,
    opened: Opened,
}

fn relock<T>(r: std::result::Result<T, PoisonError<T>>) -> T {
    r.unwrap_or_else(PoisonError::into_inner)
}

impl Store {
    /// Opens (creating if needed) the store under `root`. Refuses a store written by a newer
    /// schema without touching it, reports a store locked by another process as
    /// [`Error::Locked`], and a damaged one as [`Error::Corrupt`] (sled can panic inside
    /// `open` on damaged files; that panic is caught here).
    pub fn open(root: &Path) -> Result<Store> {
        match std::panic::catch_unwind(|| Store::open_unguarded(root)) {
            Ok(result) => result.map_err(damage_while_opening),
            Err(panic) => Err(Error::Corrupt { detail: panic_text(&panic) }),
        }
    }

    fn open_unguarded(root: &Path) -> Result<Store> {
        std::fs::create_dir_all(root)?;
        // A restore a crash interrupted ends first, or the store would open half swapped.
        crate::backup::complete_interrupted_swap(root)?;
        let version_path = root.join(VERSION_FILE);
        let store_path = root.join(STORE_DIR);
        let file_version = read_version_file(&version_path)?;
        if let Some(found) = file_version {
            if found > SCHEMA_VERSION {
                return Err(Error::NewerSchema { found, supported: SCHEMA_VERSION });
            }
        } else if !store_path.exists() {
            write_version_file(root, SCHEMA_VERSION)?;
        }

        remove_unfinished_snapshots(&store_path)?;
        let config = sled::Config::new().path(&store_path).cache_capacity(CACHE_BYTES);
        let db = config.open()?;
        let has_records = db
            .tree_names()
            .iter()
            .any(|n| RecordKind::ALL.iter().any(|k| k.prefix().as_bytes() == n.as_ref()));
        let meta = db.open_tree("meta")?;
        let trees = RecordKind::ALL.map(|k| db.open_tree(k.prefix()));
        let [a, b, c, d, e] = trees;
        let trees = [a?, b?, c?, d?, e?];
        let journal = db.open_tree(JOURNAL_TREE)?;
        // The changes made durable in the log but not yet in sled's own files, written by the
        // schema the store had then: before any migration.
        let mut wal = Wal::open(root)?;
        replay_log(&wal, &trees, &meta, &journal)?;
        let stored = match meta.get(SCHEMA_KEY)? {
            Some(bytes) => {
                let arr: [u8; 4] = bytes
                    .as_ref()
                    .try_into()
                    .map_err(|_| Error::Corrupt { detail: "schema version in meta tree".into() })?;
                u32::from_be_bytes(arr)
            }
            None if has_records => file_version.unwrap_or(1),
            None => SCHEMA_VERSION,
        };
        if stored > SCHEMA_VERSION {
            return Err(Error::NewerSchema { found: stored, supported: SCHEMA_VERSION });
        }
        if stored == 0 {
            return Err(Error::Corrupt { detail: "schema version 0".into() });
        }
        if stored < SCHEMA_VERSION {
            // The saved catalog and index describe the records as they were.
            match std::fs::remove_file(root.join(STATE_FILE)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
                _ => {}
            }
        }
        for version in stored..SCHEMA_VERSION {
            MIGRATIONS[(version - 1) as usize](&db, &meta)?;
        }
        meta.insert(SCHEMA_KEY, &SCHEMA_VERSION.to_be_bytes())?;
        // Changes lost to damage sled recovered from in silence: `store.seq`, or else the
        // newest backup beside the store, remembers a later change than the store holds.
        let seq = read_seq(&meta)?;
        if let Some(expected) = crate::backup::remembered_seq(root)
            && expected > seq
        {
            return Err(Error::Corrupt {
                detail: format!("the store holds change {seq} but change {expected} was made durable"),
            });
        }
        let id = match meta.get(STORE_ID_KEY)?.and_then(|b| <[u8; 16]>::try_from(b.as_ref()).ok()) {
            Some(bytes) => u128::from_be_bytes(bytes),
            None => {
                let id = uuid::Uuid::now_v7().as_u128();
                meta.insert(STORE_ID_KEY, &id.to_be_bytes())?;
                id
            }
        };
        db.flush()?;
        sync_dir(&store_path)?;
        let log_file = std::fs::OpenOptions::new().read(true).write(true).open(store_path.join("db"))?;
        log_file.sync_all()?;
        wal.make_whole(root)?;
        if file_version != Some(SCHEMA_VERSION) {
            write_version_file(root, SCHEMA_VERSION)?;
        }
        let seq_path = root.join(SEQ_FILE);
        write_seq_file(&seq_path, seq)?;
        let seq_file = std::fs::OpenOptions::new().write(true).open(&seq_path)?;

        let (state, state_saved, opened) = match restore_state(root, id, seq, &trees, &journal)? {
            Ok((state, saved, replayed)) => (state, Some(saved), Opened::Saved { replayed }),
            Err(why) => (rebuild_state(&trees)?, None, Opened::Rebuilt { why }),
        };
        let store = Store {
            root: root.to_owned(),
            db,
            trees,
            meta,
            journal,
            id,
            log_file,
            writer: Mutex::new(Writer { blobs_synced: 0, seq_file, state_saved, wal, broken: None }),
            applying: RwLock::new(()),
            state: RwLock::new(state),
            opened,
        };
        {
            let mut writer = store.lock_writer();
            store.sync_new_blobs(&mut writer)?;
            if writer.state_saved.is_none() {
                // Rebuilt: save it now, so that the next start reads it instead.
                store.save_state(&mut writer);
            }
        }
        Ok(store)
    }

    /// Saves the catalog and index beside the store (a cache: failing to only means the next
    /// open rebuilds them). Not after a failed write or a panic while updating them: they may
    /// not match sled, and the state saved earlier, with the journal, still leads to it.
    fn save_state(&self, writer: &mut Writer) {
        let Ok(seq) = read_seq(&self.meta) else { return };
        if writer.state_saved == Some(seq) || writer.broken.is_some() || self.state.is_poisoned() {
            return;
        }
        let stamp = crate::state::Stamp { store: self.id, seq };
        let mut state = self.write_state();
        state.catalog.compact();
        if crate::state::save(&self.root.join(STATE_FILE), &state, stamp).is_ok() {
            writer.state_saved = Some(seq);
        }
    }

    /// How the catalog and index were had when the store opened.
    pub fn opened(&self) -> Opened {
        self.opened
    }

    /// What the store remembers of its last backup, if it has one.
    pub fn last_backup(&self) -> Option<crate::backup::LastBackup> {
        let bytes = self.meta.get(LAST_BACKUP_KEY).ok()??;
        serde_json::from_slice(&bytes).ok()
    }

    /// Whether anything changed since the last backup (always, when there is none).
    pub fn changed_since_backup(&self) -> bool {
        self.last_backup().is_none_or(|b| self.seq() > b.seq)
    }

    /// Moves the change counter up to `at_least` (a store put in place of another continues
    /// beyond every number remembered beside it).
    pub(crate) fn raise_seq(&self, at_least: u64) -> Result<()> {
        let mut writer = self.lock_writer();
        self.writable(&writer)?;
        let from = read_seq(&self.meta)?;
        let seq = from.max(at_least);
        if seq != from {
            // The journal hears of the jump, so a saved state still reaches the new number.
            self.journal.insert(journal_slot(seq), journal_entry(seq, from, &[]))?;
        }
        self.meta.insert(SEQ_KEY, &seq.to_be_bytes())?;
        self.make_durable(&mut writer)?;
        write_seq_file(&self.root.join(SEQ_FILE), seq)
    }

    pub(crate) fn remember_backup(&self, last: &crate::backup::LastBackup) -> Result<()> {
        let mut writer = self.lock_writer();
        self.writable(&writer)?;
        self.meta.insert(LAST_BACKUP_KEY, serde_json::to_vec(last).expect("serializes"))?;
        self.make_durable(&mut writer)
    }

    /// Every record, read from sled itself (not from the catalog), sorted by id. The caller
    /// holds the write lock when it needs one point in time.
    pub(crate) fn read_all(&self) -> Result<Vec<AnyRecord>> {
        let mut all = Vec::with_capacity(self.len());
        for (kind, tree) in RecordKind::ALL.into_iter().zip(&self.trees) {
            for entry in tree.iter() {
                let (key, value) = entry?;
                all.push(decode_any(kind, &value).map_err(|e| Error::Corrupt {
                    detail: format!(
                        "record {} in tree {}: {e}",
                        String::from_utf8_lossy(&key),
                        kind.prefix()
                    ),
                })?);
            }
        }
        all.sort_by(|a, b| a.id().cmp(b.id()));
        Ok(all)
    }

    /// Writes `puts` (new or replacing records, already checked) as one change.
    pub(crate) fn commit_puts(
        &self,
        writer: &mut MutexGuard<'_, Writer>,
        puts: Vec<AnyRecord>,
    ) -> Result<()> {
        self.commit(writer, Change { puts, deletes: vec![] })
    }

    /// Flushes and closes the store, releasing its lock so that it can be opened again.
    ///
    /// sled lets go of its files from background threads some time after the last handle is
    /// dropped; this returns once it has (the file lock sled holds is free again, tried for up
    /// to five seconds), so the same store can be opened, moved or restored right after.
    pub fn close(self) -> Result<()> {
        let mut writer = self.lock_writer();
        let durable = self.make_durable(&mut writer);
        if durable.is_ok() {
            self.save_state(&mut writer);
        }
        drop(writer);
        let db_file = self.root.join(STORE_DIR).join("db");
        drop(self);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        let file = File::open(&db_file)?;
        loop {
            match file.try_lock() {
                Ok(()) => {
                    file.unlock()?;
                    return durable;
                }
                Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                Err(std::fs::TryLockError::WouldBlock) => return Err(Error::Locked),
                Err(std::fs::TryLockError::Error(e)) => return Err(e.into()),
            }
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub(crate) fn lock_writer(&self) -> MutexGuard<'_, Writer> {
        relock(self.writer.lock())
    }

    pub(crate) fn read_state(&self) -> RwLockReadGuard<'_, State> {
        relock(self.state.read())
    }

    fn write_state(&self) -> RwLockWriteGuard<'_, State> {
        relock(self.state.write())
    }

    fn tree(&self, kind: RecordKind) -> &sled::Tree {
        &self.trees[kind.index()]
    }

    /// The number of the last change made to the store (every save, delete and batch counts
    /// one). Backups remember it, to tell whether anything changed since.
    pub fn seq(&self) -> u64 {
        read_seq(&self.meta).unwrap_or(0)
    }

    /// How many records the store holds, of every kind.
    pub fn len(&self) -> usize {
        self.read_state().catalog.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    // ---------------------------------------------------------------- reading

    /// The stored bytes of a record, never from the middle of a change.
    fn read(&self, kind: RecordKind, id: &Id) -> Result<Option<sled::IVec>> {
        let _whole = relock(self.applying.read());
        Ok(self.tree(kind).get(id.as_str().as_bytes())?)
    }

    /// One record by id.
    pub fn get<R: Record>(&self, id: &Id) -> Result<R> {
        let bytes =
            self.read(R::KIND, id)?.ok_or_else(|| Error::NotFound { kind: R::KIND, id: id.clone() })?;
        codec::decode(&bytes).map_err(|e| Error::Corrupt { detail: format!("record {id}: {e}") })
    }

    /// One record of any kind, by id.
    pub fn get_any(&self, id: &Id) -> Result<AnyRecord> {
        let kind = id.kind().ok_or_else(|| Error::invalid("id", Code::InvalidId))?;
        let bytes = self.read(kind, id)?.ok_or_else(|| Error::NotFound { kind, id: id.clone() })?;
        decode_any(kind, &bytes).map_err(|e| Error::Corrupt { detail: format!("record {id}: {e}") })
    }

    /// A meeting with its commitments.
    pub fn get_meeting(&self, id: &Id) -> Result<WithCommitments<Meeting>> {
        let record = self.get::<Meeting>(id)?;
        Ok(WithCommitments { record, commitments: self.commitments_of(id)? })
    }

    /// An agreement with its commitments.
    pub fn get_agreement(&self, id: &Id) -> Result<WithCommitments<Agreement>> {
        let record = self.get::<Agreement>(id)?;
        Ok(WithCommitments { record, commitments: self.commitments_of(id)? })
    }

    /// The commitments hanging from a meeting or agreement, by due date (undated last).
    pub fn commitments_of(&self, source: &Id) -> Result<Vec<Commitment>> {
        self.commitments_among(source, Vec::new())
    }

    /// [`Store::commitments_of`], taking those in `known` as they are instead of reading them.
    fn commitments_among(&self, source: &Id, mut known: Vec<Commitment>) -> Result<Vec<Commitment>> {
        let ids: Vec<Id> = {
            let state = self.read_state();
            let catalog = &state.catalog;
            catalog
                .slot(source)
                .map_or_else(Vec::new, |slot| catalog.commitments_of(slot).map(|s| s.id()).collect())
        };
        let mut out = Vec::with_capacity(ids.len());
        for id in &ids {
            if let Some(at) = known.iter().position(|c| &c.id == id) {
                out.push(known.swap_remove(at));
                continue;
            }
            match self.get::<Commitment>(id) {
                Ok(c) => out.push(c),
                // Deleted between reading the catalog and reading sled.
                Err(Error::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        out.sort_by(|a, b| {
            (a.due_date().is_none(), a.due_date(), a.created_at, &a.id).cmp(&(
                b.due_date().is_none(),
                b.due_date(),
                b.created_at,
                &b.id,
            ))
        });
        Ok(out)
    }

    /// Every record of a kind, as references sorted by title.
    pub fn list(&self, kind: RecordKind) -> Vec<RecordRef> {
        let state = self.read_state();
        let mut out: Vec<(String, RecordRef)> =
            state.catalog.of_kind(kind).map(|s| (crate::text::fold(s.title()), s.to_ref())).collect();
        out.sort_by(|a, b| (&a.0, &a.1.id).cmp(&(&b.0, &b.1.id)));
        out.into_iter().map(|(_, r)| r).collect()
    }

    /// The records `id` points at (its organizations, people, parent…), named: what its page
    /// links to.
    /// [`Error::NotFound`] when there is no such record.
    pub fn links(&self, id: &Id) -> Result<Vec<RecordRef>> {
        let state = self.read_state();
        let summary = state.catalog.get(id).ok_or_else(|| not_found(id))?;
        Ok(summary.refs().iter().filter_map(|&r| state.catalog.at(r)).map(|e| e.to_ref()).collect())
    }

    /// The records that refer to `id`: what a delete would touch. [`Error::NotFound`] when
    /// there is no such record.
    pub fn references(&self, id: &Id) -> Result<Vec<RecordRef>> {
        let state = self.read_state();
        let slot = state.catalog.slot(id).ok_or_else(|| not_found(id))?;
        let mut out: Vec<RecordRef> = state.catalog.referrers(slot).map(|s| s.to_ref()).collect();
        sort_refs(&mut out);
        Ok(out)
    }

    /// Searches every kind of record. At most `limit` hits (capped at [`crate::MAX_HITS`]).
    pub fn search(&self, query: &str, limit: usize) -> SearchResults {
        let state = self.read_state();
        state.index.search(query, limit, &state.catalog)
    }

    pub(crate) fn with_catalog<T>(&self, f: impl FnOnce(&Catalog) -> T) -> T {
        f(&self.read_state().catalog)
    }

    // ---------------------------------------------------------------- saving

    pub fn save_organization(&self, org: Organization) -> Result<Organization> {
        self.save_single(org, |org, lookup, _| validate::check_organization(org, lookup))
    }

    /// Saves a contact. When the post or organization changes, the previous one is added to
    /// the post history (unless the caller already added it) and `postSince` moves to today.
    pub fn save_contact(&self, contact: Contact) -> Result<Contact> {
        self.save_single(contact, |contact, lookup, old| {
            let violations = validate::check_contact(contact, lookup);
            if violations.is_empty()
                && let Some(old) = old
            {
                record_post_change(old, contact, lookup);
            }
            violations
        })
    }

    /// Saves one commitment on its own (for example, to mark it done from the home view).
    /// Its meeting or agreement cannot change.
    pub fn save_commitment(&self, commitment: Commitment) -> Result<Commitment> {
        self.save_single(commitment, |c, lookup, old| {
            let mut violations = validate::check_commitment(c, "", lookup);
            if old.is_some_and(|old| old.source != c.source) {
                violations.push(Violation::new("source", Code::WrongParent));
            }
            violations
        })
    }

    fn save_single<R>(
        &self,
        mut record: R,
        check: impl FnOnce(&mut R, &Catalog, Option<&R>) -> Vec<Violation>,
    ) -> Result<R>
    where
        R: Record + Into<AnyRecord>,
    {
        let mut writer = self.lock_writer();
        let old = self.current_for_save(&record)?;
        let violations = check(&mut record, &self.read_state().catalog, old.as_ref());
        if !violations.is_empty() {
            return Err(Error::Invalid(violations));
        }
        stamp(&mut record, old.as_ref(), Timestamp::now());
        record.set_sample(false);
        self.commit(&mut writer, Change { puts: vec![record.clone().into()], deletes: vec![] })?;
        Ok(record)
    }

    /// The stored version of a record about to be saved: `None` for a new one (empty id),
    /// [`Error::NotFound`] for an unknown id, [`Error::Conflict`] when the caller's revision is
    /// not the current one.
    fn current_for_save<R: Record + Into<AnyRecord>>(&self, record: &R) -> Result<Option<R>> {
        if record.id().is_empty() {
            return Ok(None);
        }
        if Id::parse(record.id().as_str()).and_then(|id| id.kind()) != Some(R::KIND) {
            return Err(Error::invalid("id", Code::InvalidId));
        }
        let current: R = self.get(record.id())?;
        if current.revision() != record.revision() {
            return Err(Error::Conflict { expected: record.revision(), current: Box::new(current.into()) });
        }
        Ok(Some(current))
    }

    /// Saves a meeting with its commitments in one atomic change: commitments without id are
    /// created, the others updated (revision-checked), and `removed` ones deleted.
    pub fn save_meeting(
        &self,
        save: WithCommitments<Meeting>,
        removed: &[Removal],
    ) -> Result<WithCommitments<Meeting>> {
        let saved = self.save_parent(save, removed, validate::check_meeting, CommitmentSource::Meeting)?;
        Ok(saved)
    }

    /// Saves an agreement with its commitments, like [`Store::save_meeting`].
    pub fn save_agreement(
        &self,
        save: WithCommitments<Agreement>,
        removed: &[Removal],
    ) -> Result<WithCommitments<Agreement>> {
        self.save_parent(save, removed, validate::check_agreement, CommitmentSource::Agreement)
    }

    fn save_parent<P>(
        &self,
        save: WithCommitments<P>,
        removed: &[Removal],
        check: fn(&mut P, &dyn Lookup) -> Vec<Violation>,
        source_of: fn(Id) -> CommitmentSource,
    ) -> Result<WithCommitments<P>>
    where
        P: Record + Into<AnyRecord>,
    {
        let WithCommitments { record: mut parent, mut commitments } = save;
        let mut writer = self.lock_writer();
        let old = self.current_for_save(&parent)?;
        let now = Timestamp::now();
        let parent_id = if parent.id().is_empty() { Id::new(P::KIND) } else { parent.id().clone() };
        let source = source_of(parent_id.clone());

        let mut violations = Vec::new();
        let mut olds: Vec<Option<Commitment>> = Vec::with_capacity(commitments.len());
        let mut added: HashMap<Id, RecordKind> = HashMap::new();
        added.insert(parent_id.clone(), P::KIND);
        {
            let state = self.read_state();
            let lookup = Pending { catalog: &state.catalog, added: &added, parents: &HashMap::new() };
            // Validate the parent as the store will see it (an id of its own for cycles).
            violations.extend(check(&mut parent, &lookup));
            if commitments.len() > validate::MAX_LIST {
                violations.push(Violation::new("commitments", Code::TooMany).with("max", validate::MAX_LIST));
            }
            let mut listed: HashSet<Id> = removed.iter().map(|r| r.id.clone()).collect();
            for (i, c) in commitments.iter_mut().enumerate() {
                let prefix = format!("commitments[{i}].");
                if c.source.as_ref().is_some_and(|s| s != &source) {
                    violations.push(Violation::new(format!("{prefix}source"), Code::WrongParent));
                    olds.push(None);
                    continue;
                }
                if !c.id.is_empty() && !listed.insert(c.id.clone()) {
                    // Listed twice, or both saved and removed: refuse rather than guess.
                    violations.push(Violation::new(format!("{prefix}id"), Code::DuplicateEntry));
                    olds.push(None);
                    continue;
                }
                c.source = Some(source.clone());
                let old_c = self.current_for_save(c).map_err(|e| at_field(e, &prefix))?;
                if let Some(o) = &old_c
                    && o.source.as_ref() != Some(&source)
                {
                    violations.push(Violation::new(format!("{prefix}source"), Code::WrongParent));
                }
                violations.extend(validate::check_commitment(c, &prefix, &lookup));
                olds.push(old_c);
            }
        }
        let mut deletes = Vec::new();
        for (i, r) in removed.iter().enumerate() {
            let current: Commitment =
                self.get(&r.id).map_err(|e| at_field(e, &format!("removedCommitments[{i}].")))?;
            if current.source.as_ref() != Some(&source) {
                violations.push(Violation::new(format!("removedCommitments[{i}]"), Code::WrongParent));
            } else if current.revision != r.revision {
                return Err(Error::Conflict { expected: r.revision, current: Box::new(current.into()) });
            }
            deletes.push((RecordKind::Commitment, r.id.clone()));
        }
        if !violations.is_empty() {
            return Err(Error::Invalid(violations));
        }

        match &old {
            Some(old) => stamp(&mut parent, Some(old), now),
            None => parent.stamp(parent_id, 1, now, now),
        }
        parent.set_sample(false);
        let mut puts: Vec<AnyRecord> = vec![parent.clone().into()];
        for (mut c, old_c) in commitments.into_iter().zip(olds) {
            if let Some(old_c) = &old_c {
                // An unchanged commitment keeps its revision: a screen that loaded it stays current.
                let mut same = c.clone();
                same.created_at = old_c.created_at;
                same.updated_at = old_c.updated_at;
                same.sample = old_c.sample;
                if &same == old_c {
                    continue;
                }
            }
            stamp(&mut c, old_c.as_ref(), now);
            c.set_sample(false);
            puts.push(c.into());
        }
        // What was just written is at hand: only the commitments left as they were are read.
        let written: Vec<Commitment> = puts
            .iter()
            .filter_map(|r| match r {
                AnyRecord::Commitment(c) => Some(c.clone()),
                _ => None,
            })
            .collect();
        self.commit(&mut writer, Change { puts, deletes })?;
        drop(writer);
        let commitments = self.commitments_among(parent.id(), written)?;
        Ok(WithCommitments { record: parent, commitments })
    }

    // ---------------------------------------------------------------- deleting

    /// Deletes an organization; `policy` says what happens to what refers to it.
    pub fn delete_organization(&self, id: &Id, revision: u64, policy: &OrgDeletion) -> Result<DeleteReport> {
        let mut writer = self.lock_writer();
        self.check_revision(RecordKind::Organization, id, revision)?;
        let mut plan = Plan::new(self);
        {
            let state = self.read_state();
            let org = state.catalog.slot(id).ok_or_else(|| not_found(id))?;
            let referrers: Vec<Entry<'_>> = state.catalog.referrers(org).collect();
            match policy {
                OrgDeletion::Refuse if !referrers.is_empty() => {
                    let mut by: Vec<RecordRef> = referrers.iter().map(|s| s.to_ref()).collect();
                    sort_refs(&mut by);
                    return Err(Error::Referenced { id: id.clone(), by });
                }
                OrgDeletion::Refuse => {}
                OrgDeletion::Reassign { to } => {
                    if to == id || !state.catalog.exists(RecordKind::Organization, to) {
                        return Err(Error::Invalid(vec![
                            Violation::new("to", Code::MissingReference).with("kind", "organization"),
                        ]));
                    }
                    for r in &referrers {
                        plan.retarget(&r.id(), id, Some(to))?;
                    }
                }
                OrgDeletion::Cascade => {
                    for r in &referrers {
                        let sole = match &r.detail {
                            Detail::Contact { .. } => r.organization() == Some(org),
                            Detail::Meeting { .. } | Detail::Agreement { .. } => r.organizations() == [org],
                            _ => false,
                        };
                        if sole {
                            plan.delete(&state.catalog, &r.id())?;
                        }
                    }
                }
            }
            plan.delete(&state.catalog, id)?;
        }
        self.commit_plan(&mut writer, plan)
    }

    /// Deletes a person for good. Meetings, agreements, commitments and organizations that
    /// named them are updated so that nothing points at them any more.
    pub fn delete_contact(&self, id: &Id, revision: u64) -> Result<DeleteReport> {
        self.delete_simple(RecordKind::Contact, id, revision)
    }

    /// Deletes a meeting and its commitments.
    pub fn delete_meeting(&self, id: &Id, revision: u64) -> Result<DeleteReport> {
        self.delete_simple(RecordKind::Meeting, id, revision)
    }

    /// Deletes an agreement and its commitments; agreements that hung from it lose their parent.
    pub fn delete_agreement(&self, id: &Id, revision: u64) -> Result<DeleteReport> {
        self.delete_simple(RecordKind::Agreement, id, revision)
    }

    pub fn delete_commitment(&self, id: &Id, revision: u64) -> Result<DeleteReport> {
        self.delete_simple(RecordKind::Commitment, id, revision)
    }

    fn delete_simple(&self, kind: RecordKind, id: &Id, revision: u64) -> Result<DeleteReport> {
        let mut writer = self.lock_writer();
        self.check_revision(kind, id, revision)?;
        let mut plan = Plan::new(self);
        plan.delete(&self.read_state().catalog, id)?;
        self.commit_plan(&mut writer, plan)
    }

    fn check_revision(&self, kind: RecordKind, id: &Id, revision: u64) -> Result<()> {
        let current = self.get_any(id)?;
        if current.kind() != kind {
            return Err(Error::NotFound { kind, id: id.clone() });
        }
        if current.revision() != revision {
            return Err(Error::Conflict { expected: revision, current: Box::new(current) });
        }
        Ok(())
    }

    fn commit_plan(&self, writer: &mut MutexGuard<'_, Writer>, plan: Plan<'_>) -> Result<DeleteReport> {
        let now = Timestamp::now();
        let state = self.read_state();
        let title = |kind: RecordKind, id: &Id| RecordRef {
            kind,
            id: id.clone(),
            title: state.catalog.get(id).map(|s| s.title().to_owned()).unwrap_or_default(),
        };
        let mut report = DeleteReport::default();
        let mut change = Change::default();
        for (kind, id) in &plan.deleted {
            report.deleted.push(title(*kind, id));
            change.deletes.push((*kind, id.clone()));
        }
        for mut record in plan.changed.into_values() {
            report.updated.push(title(record.kind(), record.id()));
            bump(&mut record, now);
            change.puts.push(record);
        }
        drop(state);
        sort_refs(&mut report.updated);
        self.commit(writer, change)?;
        Ok(report)
    }

    // ---------------------------------------------------------------- bulk and sample

    /// Loads many new records in one atomic change with one durable flush: the batch path for
    /// sample data, imports and test fixtures. Records without an id get one; references may
    /// point at other records of the same batch.
    pub fn insert_batch(&self, records: Vec<AnyRecord>) -> Result<usize> {
        self.insert_batch_checked(records, false)
    }

    /// [`Store::insert_batch`], refusing with [`Error::NotEmpty`] when `require_empty` and the
    /// store holds records (checked under the write lock).
    pub(crate) fn insert_batch_checked(
        &self,
        mut records: Vec<AnyRecord>,
        require_empty: bool,
    ) -> Result<usize> {
        let mut writer = self.lock_writer();
        if require_empty && !self.is_empty() {
            return Err(Error::NotEmpty);
        }
        let now = Timestamp::now();
        for r in &mut records {
            if r.id().is_empty() {
                r.stamp(Id::new(r.kind()), 0, now, now);
            }
        }
        let mut folios: HashSet<String> = HashSet::new();
        let violations = self.check_batch(&mut records, |i, r, catalog| {
            let mut more = Vec::new();
            if catalog.get(r.id()).is_some() {
                more.push(Violation::new(format!("records[{i}].id"), Code::InvalidId));
            }
            // Folios must also differ within the batch (compared once cleaned).
            if let AnyRecord::Agreement(a) = r
                && !a.folio.is_empty()
                && !folios.insert(crate::text::fold(&a.folio))
            {
                more.push(Violation::new(format!("records[{i}].folio"), Code::DuplicateFolio));
            }
            more
        });
        if !violations.is_empty() {
            return Err(Error::Invalid(violations));
        }
        for r in &mut records {
            let created = r.created_at().unwrap_or(now);
            let updated = r.updated_at().unwrap_or(now);
            let revision = r.revision().max(1);
            let id = r.id().clone();
            r.stamp(id, revision, created, updated);
        }
        let n = records.len();
        self.commit(&mut writer, Change { puts: records, deletes: vec![] })?;
        Ok(n)
    }

    /// Checks (and cleans, as every save does) a batch of records as they will stand with the
    /// store: each id well formed and given once, each record valid against the store and the
    /// rest of the batch. Violations are named `records[i].<field>`; `each` adds the caller's
    /// own for record `i`, once it is cleaned.
    pub(crate) fn check_batch(
        &self,
        records: &mut [AnyRecord],
        mut each: impl FnMut(usize, &AnyRecord, &Catalog) -> Vec<Violation>,
    ) -> Vec<Violation> {
        let mut violations = Vec::new();
        let mut added: HashMap<Id, RecordKind> = HashMap::new();
        let mut parents: HashMap<Id, Id> = HashMap::new();
        for (i, r) in records.iter().enumerate() {
            let kind = r.kind();
            let well_formed = Id::parse(r.id().as_str()).and_then(|id| id.kind()) == Some(kind);
            if !well_formed || added.insert(r.id().clone(), kind).is_some() {
                violations.push(Violation::new(format!("records[{i}].id"), Code::InvalidId));
            }
            if let AnyRecord::Agreement(a) = r
                && let Some(parent) = &a.parent_id
            {
                parents.insert(a.id.clone(), parent.clone());
            }
        }
        let state = self.read_state();
        let lookup = Pending { catalog: &state.catalog, added: &added, parents: &parents };
        for (i, r) in records.iter_mut().enumerate() {
            violations.extend(validate::check_any(r, &lookup).into_iter().map(|mut v| {
                v.field = format!("records[{i}].{}", v.field);
                v
            }));
            violations.extend(each(i, r, &state.catalog));
        }
        violations
    }

    /// Removes every record still marked as sample. A sample record that one of the user's
    /// own records refers to (a sample organization the user added a contact to, say) is
    /// kept and becomes the user's. Returns what was removed and what was updated.
    pub fn remove_sample(&self) -> Result<DeleteReport> {
        let mut writer = self.lock_writer();
        let (plan_deleted, kept) = {
            let state = self.read_state();
            // Keep the sample records the user's own records point at, and what those need to
            // stay valid (an agreement's counterparts, a commitment's meeting or agreement);
            // their other references to removed records are dropped like any deleted reference.
            let catalog = &state.catalog;
            let is_sample = |slot: Slot| catalog.at(slot).is_some_and(|t| t.sample);
            let mut keep: HashSet<Slot> = catalog
                .all()
                .filter(|s| !s.sample)
                .flat_map(|s| s.refs().iter().copied())
                .filter(|&slot| is_sample(slot))
                .collect();
            let mut stack: Vec<Slot> = keep.iter().copied().collect();
            while let Some(slot) = stack.pop() {
                let required: Vec<Slot> = match catalog.at(slot) {
                    Some(s) if matches!(s.detail, Detail::Commitment { .. }) => {
                        s.source().into_iter().collect()
                    }
                    Some(s) if matches!(s.detail, Detail::Agreement { .. }) => s.organizations().to_vec(),
                    _ => Vec::new(),
                };
                for r in required {
                    if is_sample(r) && keep.insert(r) {
                        stack.push(r);
                    }
                }
            }
            let doomed: Vec<(RecordKind, Id)> = catalog
                .all()
                .filter(|s| s.sample && !keep.contains(&s.slot))
                .map(|s| (s.kind(), s.id()))
                .collect();
            let kept: Vec<Id> = keep.into_iter().filter_map(|slot| catalog.id_at(slot)).collect();
            (doomed, kept)
        };
        let mut plan = Plan::new(self);
        {
            let state = self.read_state();
            for (_, id) in &plan_deleted {
                plan.delete(&state.catalog, id)?;
            }
        }
        for id in kept {
            let mut record = match plan.changed.remove(&id) {
                Some(r) => r,
                None => self.get_any(&id)?,
            };
            record.set_sample(false);
            plan.changed.insert(id, record);
        }
        self.commit_plan(&mut writer, plan)
    }

    // ---------------------------------------------------------------- durability

    /// Refuses every write after one failed part-way (the shell reopens the store after a
    /// storage error): sled may hold part of a change the log has, which the next open
    /// completes, and a write now could move the counter past it.
    fn writable(&self, writer: &Writer) -> Result<()> {
        match writer.broken.or(self.state.is_poisoned().then_some(std::io::ErrorKind::Other)) {
            Some(kind) => {
                Err(std::io::Error::new(kind, "an earlier write failed: the store must be reopened").into())
            }
            None => Ok(()),
        }
    }

    /// Applies a change atomically and durably, then updates the catalog and the index.
    fn commit(&self, writer: &mut MutexGuard<'_, Writer>, change: Change) -> Result<()> {
        self.writable(writer)?;
        let puts: Vec<(usize, Vec<u8>, Vec<u8>)> = change
            .puts
            .iter()
            .map(|r| (r.kind().index(), r.id().as_str().as_bytes().to_vec(), encode_any(r)))
            .collect();
        let deletes: Vec<(usize, Vec<u8>)> =
            change.deletes.iter().map(|(k, id)| (k.index(), id.as_str().as_bytes().to_vec())).collect();
        let touched: Vec<Key> = change
            .puts
            .iter()
            .map(AnyRecord::id)
            .chain(change.deletes.iter().map(|(_, id)| id))
            .filter_map(Key::of)
            .collect();
        // Every change is counted (see `store.seq`) and journaled (see `state.rs`); writers
        // take turns, so the next number is this one.
        let seq = read_seq(&self.meta)? + 1;
        let seq_bytes = seq.to_be_bytes();
        let slot = journal_slot(seq);
        let journaled = journal_entry(seq, seq - 1, &touched);
        // The writes of the change, the counter last: sled's files hold a prefix of its
        // writes, and one holding the new counter holds all of the change.
        let mut writes: Vec<crate::wal::Write<'_>> = puts
            .iter()
            .map(|(tree, key, value)| (*tree as u8, key.as_slice(), Some(value.as_slice())))
            .chain(deletes.iter().map(|(tree, key)| (*tree as u8, key.as_slice(), None)))
            .collect();
        writes.push((JOURNAL_TREE_AT as u8, &slot, Some(&journaled)));
        writes.push((META_TREE as u8, SEQ_KEY, Some(&seq_bytes)));
        let entry = crate::wal::entry(seq, &writes);
        let large = entry.len() as u64 > crate::wal::WAL_BYTES / 4;
        if !large {
            // Durable in the log before sled has any of it: a crash while sled is given the
            // change leaves part of it, which the next open completes from the log.
            if !writer.wal.fits(entry.len()) {
                self.make_durable(writer)?;
            }
            // A failed fsync may have left the entry on the disk or not: reopening settles it.
            writer.wal.append(&entry).inspect_err(|e| writer.broken = Some(e.kind()))?;
        }
        {
            // Readers see all of the change, in sled and in the catalog, or none of it.
            let _applying = relock(self.applying.write());
            let applied = if large { self.apply_in_one_transaction(&writes) } else { self.apply(&writes) };
            let applied = applied.inspect_err(|e| {
                if !large {
                    // sled took part of the change: the log holds all of it for the next open.
                    writer.broken = Some(e.io_kind());
                }
            })?;
            let (replaced, deleted) = applied.split_at(puts.len());
            let earlier = |values: &[Option<sled::IVec>], kinds: &mut dyn Iterator<Item = RecordKind>| {
                values
                    .iter()
                    .zip(kinds)
                    .map(|(v, kind)| v.as_ref().and_then(|v| decode_any(kind, v).ok()))
                    .collect::<Vec<_>>()
            };
            let replaced = earlier(replaced, &mut change.puts.iter().map(AnyRecord::kind));
            let deleted =
                earlier(&deleted[..change.deletes.len()], &mut change.deletes.iter().map(|(kind, _)| *kind));
            self.write_state().apply(&change, &replaced, &deleted);
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
        Ok(())
    }

    fn change_trees(&self) -> [&sled::Tree; 7] {
        change_trees(&self.trees, &self.meta, &self.journal)
    }

    /// Gives sled the writes of a change one by one (no transaction: a sled transaction writes
    /// its log at once, a second write to the disk per change). Returns what each write replaced.
    fn apply(&self, writes: &[crate::wal::Write<'_>]) -> Result<Vec<Option<sled::IVec>>> {
        let trees = self.change_trees();
        writes
            .iter()
            .map(|&(tree, key, value)| {
                let tree = trees[usize::from(tree)];
                Ok(match value {
                    Some(value) => tree.insert(key, value)?,
                    None => tree.remove(key)?,
                })
            })
            .collect()
    }

    /// Gives sled the writes of a large change in one transaction (all of it or none lands;
    /// the log does not hold it). Returns what each write replaced.
    fn apply_in_one_transaction(&self, writes: &[crate::wal::Write<'_>]) -> Result<Vec<Option<sled::IVec>>> {
        apply_in_transaction(&self.change_trees(), writes)
    }

    /// Makes everything sled holds durable in its own files (a checkpoint: the log can start
    /// over). `flush` writes sled's buffers; on Linux it only calls `sync_file_range`, which
    /// does not persist file metadata nor flush the drive's cache: fsync the log file and any
    /// new blob files (sled writes large values to `blobs/` without syncing them).
    fn make_durable(&self, writer: &mut Writer) -> Result<()> {
        let synced = self
            .db
            .flush()
            .map_err(Error::from)
            // The data and what reading it needs (its size), not the times of the file.
            .and_then(|_| Ok(self.log_file.sync_data()?))
            .and_then(|_| self.sync_new_blobs(writer));
        match &synced {
            Ok(()) => writer.wal.restart(),
            // What sled holds is not known to be on the disk: the store must be reopened.
            Err(e) => writer.broken = Some(e.io_kind()),
        }
        synced
    }

    fn sync_new_blobs(&self, writer: &mut Writer) -> Result<()> {
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
}

/// Deletions and the updates they force, gathered before anything is written.
struct Plan<'a> {
    store: &'a Store,
    deleted: Vec<(RecordKind, Id)>,
    deleted_set: HashSet<Id>,
    changed: HashMap<Id, AnyRecord>,
}

impl<'a> Plan<'a> {
    fn new(store: &'a Store) -> Plan<'a> {
        Plan { store, deleted: Vec::new(), deleted_set: HashSet::new(), changed: HashMap::new() }
    }

    /// Deletes `id`; its commitments go with it, every other reference to it is dropped.
    fn delete(&mut self, catalog: &Catalog, id: &Id) -> Result<()> {
        let Some(summary) = catalog.get(id) else {
            return Err(Error::NotFound {
                kind: id.kind().unwrap_or(RecordKind::Organization),
                id: id.clone(),
            });
        };
        if !self.deleted_set.insert(id.clone()) {
            return Ok(());
        }
        self.deleted.push((summary.kind(), id.clone()));
        self.changed.remove(id);
        let slot = catalog.slot(id).expect("a record in the catalog has a slot");
        let referrers: Vec<(Id, bool)> =
            catalog.referrers(slot).map(|r| (r.id(), r.source() == Some(slot))).collect();
        for (referrer, owned) in referrers {
            if self.deleted_set.contains(&referrer) {
                continue;
            }
            if owned {
                self.delete(catalog, &referrer)?;
            } else {
                self.retarget(&referrer, id, None)?;
            }
        }
        Ok(())
    }

    fn retarget(&mut self, record: &Id, from: &Id, to: Option<&Id>) -> Result<()> {
        if self.deleted_set.contains(record) {
            return Ok(());
        }
        if !self.changed.contains_key(record) {
            let current = self.store.get_any(record)?;
            self.changed.insert(record.clone(), current);
        }
        self.changed.get_mut(record).expect("inserted above").retarget(from, to);
        Ok(())
    }
}

fn sort_refs(refs: &mut [RecordRef]) {
    refs.sort_by(|a, b| (a.kind, &a.title, &a.id).cmp(&(b.kind, &b.title, &b.id)));
}

/// The error for an id that names no record (an id of no known kind is an invalid id).
pub(crate) fn not_found(id: &Id) -> Error {
    match id.kind() {
        Some(kind) => Error::NotFound { kind, id: id.clone() },
        None => Error::invalid("id", Code::InvalidId),
    }
}

/// Places an id error of a record inside a parent save at that record's fields.
fn at_field(e: Error, prefix: &str) -> Error {
    match e {
        Error::Invalid(violations) => Error::Invalid(
            violations
                .into_iter()
                .map(|mut v| {
                    v.field = format!("{prefix}{}", v.field);
                    v
                })
                .collect(),
        ),
        other => other,
    }
}

/// Fills the bookkeeping of a record about to be saved by a user.
fn stamp<R: Record>(record: &mut R, old: Option<&R>, now: Timestamp) {
    match old {
        Some(old) => {
            let created = old.created_at().unwrap_or(now);
            record.stamp(old.id().clone(), old.revision() + 1, created, now)
        }
        None => record.stamp(Id::new(R::KIND), 1, now, now),
    }
}

/// A system-made change to a record (a reference dropped): new revision, same sample flag.
fn bump(record: &mut AnyRecord, now: Timestamp) {
    let revision = record.revision() + 1;
    let id = record.id().clone();
    let created = record.created_at().unwrap_or(now);
    record.stamp(id, revision, created, now);
}

/// Adds the previous post to a contact's history when post or organization changed.
fn record_post_change(old: &Contact, new: &mut Contact, catalog: &Catalog) {
    let changed = old.post != new.post || old.organization_id != new.organization_id;
    if !changed || (old.post.is_empty() && old.organization_id.is_none()) {
        return;
    }
    let already = new
        .post_history
        .first()
        .is_some_and(|h| h.post == old.post && h.organization_id == old.organization_id);
    let today = crate::views::office_today(Timestamp::now()).to_string();
    if !already {
        let organization_name = old
            .organization_id
            .as_ref()
            .and_then(|id| catalog.get(id))
            .map(|s| s.title().to_owned())
            .unwrap_or_default();
        new.post_history.insert(
            0,
            PostRecord {
                post: old.post.clone(),
                organization_id: old.organization_id.clone(),
                organization_name,
                from: old.post_since.clone(),
                until: Some(today.clone()),
            },
        );
    }
    if new.post_since == old.post_since {
        new.post_since = Some(today);
    }
}

/// Applies to sled the changes the write-ahead log holds after the one sled holds, each in one
/// transaction (sled may hold part of the last: all of it lands again); the caller then makes
/// sled durable. A log that skips a change sled lacks is damage.
fn replay_log(wal: &Wal, trees: &[sled::Tree; 5], meta: &sled::Tree, journal: &sled::Tree) -> Result<()> {
    let mut seq = read_seq(meta)?;
    let mut replayed = false;
    for (entry_seq, ops) in wal.entries()? {
        if entry_seq <= seq {
            continue;
        }
        if entry_seq != seq + 1 {
            return Err(Error::Corrupt {
                detail: format!("the log resumes at change {entry_seq} but the store holds change {seq}"),
            });
        }
        let all = change_trees(trees, meta, journal);
        let writes: Vec<crate::wal::Write<'_>> = ops
            .iter()
            .map(|op| match op {
                Op::Put { tree, key, value } => (*tree, key.as_slice(), Some(value.as_slice())),
                Op::Remove { tree, key } => (*tree, key.as_slice(), None),
            })
            .collect();
        if writes.iter().any(|&(tree, _, _)| usize::from(tree) >= all.len()) {
            return Err(Error::Corrupt { detail: format!("log entry {entry_seq} names no tree") });
        }
        apply_in_transaction(&all, &writes)?;
        seq = entry_seq;
        replayed = true;
    }
    if replayed && read_seq(meta)? != seq {
        return Err(Error::Corrupt { detail: "a log entry did not carry its change number".into() });
    }
    Ok(())
}

/// sled writes a snapshot of its page table to `snap.<lsn>.generating`, syncs it, then renames
/// it; a process killed before the rename leaves the file, which sled 0.34 takes for its
/// newest snapshot and refuses to open over ("Read corrupted data"). Without it sled is as it
/// was before it began the snapshot (the older snapshot and the log hold everything), so it
/// goes — unless another process holds the store (sled locks its `db` file), whose snapshot
/// may be under way: then sled's open reports the lock.
fn remove_unfinished_snapshots(sled_dir: &Path) -> Result<()> {
    let _held = match File::open(sled_dir.join("db")) {
        Ok(db) => match db.try_lock() {
            Ok(()) => db,
            Err(std::fs::TryLockError::WouldBlock) => return Ok(()),
            Err(std::fs::TryLockError::Error(e)) => return Err(e.into()),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let entries = match std::fs::read_dir(sled_dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("snap.") && name.ends_with(".generating") {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// The trees a change writes, by the index its writes (and the log's entries) name them with
/// (see [`META_TREE`]).
fn change_trees<'a>(
    trees: &'a [sled::Tree; 5],
    meta: &'a sled::Tree,
    journal: &'a sled::Tree,
) -> [&'a sled::Tree; 7] {
    let [a, b, c, d, e] = trees;
    [a, b, c, d, e, meta, journal]
}

/// Gives sled `writes` in one transaction: all of them land or none. Returns what each
/// replaced.
fn apply_in_transaction(
    trees: &[&sled::Tree; 7],
    writes: &[crate::wal::Write<'_>],
) -> Result<Vec<Option<sled::IVec>>> {
    use sled::Transactional;
    use sled::transaction::{ConflictableTransactionError, TransactionalTree};
    trees[..]
        .transaction(|tx: &Vec<TransactionalTree>| {
            let mut earlier = Vec::with_capacity(writes.len());
            for &(tree, key, value) in writes {
                let tree = &tx[usize::from(tree)];
                earlier.push(match value {
                    Some(value) => tree.insert(key, value)?,
                    None => tree.remove(key)?,
                });
            }
            Ok::<_, ConflictableTransactionError<()>>(earlier)
        })
        .map_err(transaction_error)
}

/// The journal key of change `seq`.
fn journal_slot(seq: u64) -> [u8; 2] {
    ((seq % JOURNAL_SLOTS) as u16).to_be_bytes()
}

/// A journal entry: the number of the change, of the change before it (they differ by more
/// than one after a restore raised the counter), then the records it touched.
fn journal_entry(seq: u64, before: u64, touched: &[Key]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + touched.len() * 17);
    out.extend_from_slice(&seq.to_be_bytes());
    out.extend_from_slice(&before.to_be_bytes());
    for key in touched {
        out.push(key.kind as u8);
        out.extend_from_slice(&key.bits().to_be_bytes());
    }
    out
}

fn read_journal_entry(bytes: &[u8]) -> Option<(u64, u64, Vec<Key>)> {
    let (seq, rest) = bytes.split_at_checked(8)?;
    let (before, rest) = rest.split_at_checked(8)?;
    let seq = u64::from_be_bytes(seq.try_into().ok()?);
    let before = u64::from_be_bytes(before.try_into().ok()?);
    if rest.len() % 17 != 0 {
        return None;
    }
    let keys = rest
        .chunks_exact(17)
        .map(|c| {
            let kind = *RecordKind::ALL.get(usize::from(c[0]))?;
            Some(Key::new(kind, u128::from_be_bytes(c[1..].try_into().ok()?)))
        })
        .collect::<Option<Vec<Key>>>()?;
    Some((seq, before, keys))
}

/// The saved state brought up to change `seq` with the journal, with the change the saved
/// file holds and how many journal entries were replayed; or why there is no usable one
/// (missing, damaged, another store's, or the journal does not reach it).
fn restore_state(
    root: &Path,
    id: u128,
    seq: u64,
    trees: &[sled::Tree; 5],
    journal: &sled::Tree,
) -> Result<std::result::Result<(State, u64, usize), &'static str>> {
    let (stamp, mut state) = match crate::state::load(&root.join(STATE_FILE)) {
        Ok(loaded) => loaded,
        Err(crate::state::Unusable(why)) => return Ok(Err(why)),
    };
    if stamp.store != id {
        return Ok(Err("another store's"));
    }
    if stamp.seq > seq {
        return Ok(Err("ahead of the store"));
    }
    // The changes after it, each following the one before (the ring holds the latest ones).
    let mut entries = Vec::new();
    for entry in journal.iter() {
        let (_, value) = entry?;
        let Some(entry) = read_journal_entry(&value) else { return Ok(Err("journal entry")) };
        if entry.0 > stamp.seq && entry.0 <= seq {
            entries.push(entry);
        }
    }
    entries.sort_unstable_by_key(|e| e.0);
    let mut touched: Vec<Key> = Vec::new();
    let mut reached = stamp.seq;
    let replayed = entries.len();
    for (entry_seq, before, keys) in entries {
        if before != reached {
            return Ok(Err("journal gap"));
        }
        reached = entry_seq;
        touched.extend(keys);
    }
    if reached != seq {
        return Ok(Err("journal gap"));
    }
    touched.sort_unstable();
    touched.dedup();
    // What the state holds of them goes; what the store holds of them now comes in.
    let stale: roaring::RoaringBitmap = touched.iter().filter_map(|k| state.catalog.slot_of_key(k)).collect();
    state.index.remove_all(&stale);
    let mut current = Vec::new();
    for key in &touched {
        let id = key.id();
        match trees[key.kind.index()].get(id.as_str().as_bytes())? {
            Some(bytes) => current.push(
                decode_any(key.kind, &bytes)
                    .map_err(|e| Error::Corrupt { detail: format!("record {id}: {e}") })?,
            ),
            None => {
                state.catalog.remove(&id);
            }
        }
    }
    state.add(&current);
    Ok(Ok((state, stamp.seq, replayed)))
}

/// The state made from every record in the store.
fn rebuild_state(trees: &[sled::Tree; 5]) -> Result<State> {
    let mut state = State::default();
    for (kind, tree) in RecordKind::ALL.into_iter().zip(trees) {
        let mut batch = Vec::with_capacity(4096);
        for entry in tree.iter() {
            let (key, value) = entry?;
            let record = decode_any(kind, &value).map_err(|e| Error::Corrupt {
                detail: format!("record {} in tree {}: {e}", String::from_utf8_lossy(&key), kind.prefix()),
            })?;
            if Key::of(record.id()).is_none_or(|k| k.kind != kind) {
                return Err(Error::Corrupt {
                    detail: format!(
                        "record {} in tree {} has a malformed id",
                        String::from_utf8_lossy(&key),
                        kind.prefix()
                    ),
                });
            }
            batch.push(record);
            if batch.len() == batch.capacity() {
                state.add(&batch);
                batch.clear();
            }
        }
        state.add(&batch);
    }
    Ok(state)
}

fn encode_any(record: &AnyRecord) -> Vec<u8> {
    crate::model::each_record!(record, r => codec::encode(r))
}

fn decode_any(kind: RecordKind, bytes: &[u8]) -> Result<AnyRecord, codec::CodecError> {
    Ok(match kind {
        RecordKind::Organization => AnyRecord::Organization(codec::decode(bytes)?),
        RecordKind::Contact => AnyRecord::Contact(codec::decode(bytes)?),
        RecordKind::Meeting => AnyRecord::Meeting(codec::decode(bytes)?),
        RecordKind::Agreement => AnyRecord::Agreement(codec::decode(bytes)?),
        RecordKind::Commitment => AnyRecord::Commitment(codec::decode(bytes)?),
    })
}

fn decode_seq(bytes: &[u8]) -> Option<u64> {
    <[u8; 8]>::try_from(bytes).ok().map(u64::from_be_bytes)
}

/// The number of the last change `meta` holds.
fn read_seq(meta: &sled::Tree) -> Result<u64> {
    match meta.get(SEQ_KEY)? {
        None => Ok(0),
        Some(bytes) => {
            decode_seq(&bytes).ok_or_else(|| Error::Corrupt { detail: "change counter in meta tree".into() })
        }
    }
}

/// `store.seq`, when it is there and whole (it is a hint: written after each durable change,
/// without an fsync of its own, so after a crash it may lag — never lead).
pub(crate) fn read_seq_file(path: &Path) -> Option<u64> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// `store.seq` holds the number at a fixed width, so that rewriting it in place never leaves
/// a longer number's tail behind.
fn seq_text(seq: u64) -> String {
    format!("{seq:020}")
}

fn write_seq_file(path: &Path, seq: u64) -> Result<()> {
    std::fs::write(path, seq_text(seq))?;
    Ok(())
}

fn read_version_file(path: &Path) -> Result<Option<u32>> {
    match std::fs::read(path) {
        Ok(bytes) => {
            let parsed: VersionFile = serde_json::from_slice(&bytes)
                .map_err(|_| Error::Corrupt { detail: format!("{VERSION_FILE} is unreadable") })?;
            if parsed.format != FORMAT_NAME {
                return Err(Error::Corrupt { detail: format!("{VERSION_FILE} names another format") });
            }
            Ok(Some(parsed.schema))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

fn write_version_file(root: &Path, schema: u32) -> Result<()> {
    let body = serde_json::to_vec(&VersionFile { format: FORMAT_NAME.into(), schema })
        .expect("a two-field struct serializes");
    write_atomically(&root.join(VERSION_FILE), &body)
}

/// Replaces `path` with `body` so that a crash leaves the old file or the new one, never half:
/// temporary file, fsync, rename, fsync of the directory. On failure (a full disk) the
/// temporary file is removed and the old file, if any, is untouched.
pub fn write_atomically(path: &Path, body: &[u8]) -> Result<()> {
    write_atomically_checked(path, body, |_| Ok(()))
}

/// [`write_atomically`], running `check` on the temporary file (written and synced) before it
/// takes the name; when `check` fails the temporary file goes and the old file stays.
pub(crate) fn write_atomically_checked(
    path: &Path,
    body: &[u8],
    check: impl FnOnce(&Path) -> Result<()>,
) -> Result<()> {
    use std::io::Write;
    let dir = path.parent().ok_or_else(|| Error::Io(std::io::ErrorKind::InvalidInput.into()))?;
    std::fs::create_dir_all(dir)?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(path.file_name().unwrap_or_default());
    tmp_name.push(".tmp");
    let tmp = dir.join(tmp_name);
    let written = File::create(&tmp)
        .and_then(|mut f| {
            f.write_all(body)?;
            f.sync_all()
        })
        .map_err(Error::from)
        .and_then(|()| check(&tmp))
        .and_then(|()| std::fs::rename(&tmp, path).map_err(Error::from));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    sync_dir(dir)
}

pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// While opening, sled reports damaged files as plain I/O errors (short reads, bad data, at
/// open or when it first reads a page); they are damage, not a failing disk. Lock, full disk
/// and permission errors stay what they are.
fn damage_while_opening(e: Error) -> Error {
    use std::io::ErrorKind as K;
    match e {
        Error::Io(io) if !matches!(io.kind(), K::PermissionDenied | K::ReadOnlyFilesystem) => {
            Error::Corrupt { detail: format!("sled could not read its files: {io}") }
        }
        other => other,
    }
}

fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    let text = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    format!("sled panicked while opening: {}", text.chars().take(200).collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn after_a_write_failed_part_way_nothing_more_is_written_until_reopened() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let store = Store::open(dir.path()).expect("opens");
        store.lock_writer().broken = Some(std::io::ErrorKind::StorageFull);
        let seq = store.seq();
        let refused = |r: Result<()>| matches!(r, Err(e) if e.io_kind() == std::io::ErrorKind::StorageFull);
        assert!(refused(store.raise_seq(seq + 100)), "the counter stays");
        let last = crate::backup::LastBackup { name: "copia".into(), taken_at: Timestamp::now(), seq };
        assert!(refused(store.remember_backup(&last)));
        assert_eq!(store.seq(), seq);
    }
}
