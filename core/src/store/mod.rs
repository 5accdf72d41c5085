//! The durable store, the engine under everything else: the only code that names sled.
//!
//! What lies where in the data folder is in `files.rs`. sled holds one tree per record kind,
//! `meta` (the schema version, the number of the last change, `seq`, written with every change,
//! last; the store's id and the last backup taken) and `journal`. `store.seq` repeats that
//! number after each change, outside sled: sled recovers a damaged log by dropping what follows
//! the damage without a word, and a store that opens with a smaller number than its `store.seq`
//! has lost changes — it is reported damaged instead of opening short.
//!
//! Every change goes through [`Store::commit`] (`commit.rs`): its writes go to the write-ahead
//! log (`wal.rs`), synced, then to sled (so a meeting and its commitments land together or not
//! at all: a crash in between leaves the log to complete them), and only then the in-memory
//! projection (`crate::index`) is updated and the caller is answered. A change too large for the
//! log (an import) goes to sled in one transaction instead, made durable at once. sled's own
//! files are made durable (its `flush`, which on Linux only calls `sync_file_range`, then a
//! real `fsync`) at checkpoints.
//!
//! Each change also writes its entry in the `journal` (`journal.rs`), a ring: which records it
//! touched. Opening (`open.rs`) reads `store.state` and replays the journal entries after it
//! (after a crash, the changes made since the projection was last saved), instead of reading
//! every record. Reading records is `read.rs`; their bytes are made and read in `codec.rs`;
//! schema migrations are `migrate.rs`; putting one store in the place of another, `swap.rs`.
//!
//! The editing rules (saves, deletes, batches), the views, exchange and backups live above,
//! in their own modules, over the few crate-visible methods here.

mod audit;
mod codec;
mod commit;
mod documents;
mod files;
mod journal;
mod keys;
mod migrate;
mod open;
mod read;
mod swap;
mod sync;
mod wal;

pub use audit::{AuditEntry, AuditEvent, Event, Verification};
pub(crate) use audit::{changed_fields, is_sealed as audit_is_sealed, reseal as reseal_audit};
pub(crate) use commit::{Audit, Change};
pub use documents::{Files, content_hash};
pub use files::{ASIDE_DIR, BackupKind, backup_dir, has_store};
pub(crate) use files::{
    BUILDING_DIR, BackupName, STORE_DIR, backups_on_disk, parse_time_label, remembered_seq,
};
pub(crate) use keys::copy_keys;
pub use keys::{MIN_PASSPHRASE_CHARS, Secret, check_passphrase, is_encrypted};
pub(crate) use read::sort_refs;
pub use swap::complete_interrupted_swap;
pub(crate) use swap::{fresh_building_dir, is_plain_name, swap_in};
pub use sync::{Cursor, Frame, SyncState};
pub(crate) use sync::{Hints, OFFICE_KEY, Origin, json_of, record_of, seal as seal_meta};

use crate::crypto::{DataKey, KdfParams, RecoveryKey};
use crate::error::{Error, Result};
use crate::index::Projection;
use crate::index::catalog::Catalog;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use wal::Wal;

/// The schema this build writes. Bump it with a migration in `migrate.rs`.
pub const SCHEMA_VERSION: u32 = 5;

const SCHEMA_KEY: &[u8] = b"schema";
const SEQ_KEY: &[u8] = b"seq";
const LAST_BACKUP_KEY: &[u8] = b"lastBackup";
/// A random number naming this store, so that a saved projection is never read into another.
const STORE_ID_KEY: &[u8] = b"storeId";

/// How the projection was had when the store opened: what a slow start is told by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "from")]
pub enum Opened {
    /// From the projection saved beside the store, and this many journal entries after it.
    Saved { replayed: usize },
    /// From every record, because the saved projection could not be used (`why`).
    Rebuilt { why: &'static str },
}

/// What the store remembers of its last backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LastBackup {
    pub name: String,
    pub taken_at: Timestamp,
    /// The store's change number when it was taken.
    pub seq: u64,
}

/// What writers hold while they write (one at a time).
#[derive(Debug)]
pub(crate) struct Writer {
    /// The highest blob file already fsynced.
    blobs_synced: u64,
    /// `store.seq`, kept open and rewritten in place after every change.
    seq_file: File,
    /// The change the saved `store.state` holds (`None` when it had to be rebuilt).
    projection_saved_at: Option<u64>,
    /// The write-ahead log that makes each change durable (see `wal.rs`).
    wal: Wal,
    /// A write failed part-way (sled refused part of a change, or making it durable failed):
    /// sled, the projection and the log may disagree until the store is reopened, which
    /// replays the log. Until then every change is refused, as that write was, and the
    /// projection is not saved.
    broken: Option<std::io::ErrorKind>,
    /// The audit log, appended to with every change (see `audit.rs`).
    audit: audit::AuditLog,
    /// While the store shares with the office: this laptop's standing (see `sync.rs`).
    sync: Option<SyncState>,
}

/// sled's trees, as the store keeps them open.
#[derive(Debug)]
struct Trees {
    /// One per record kind, in [`RecordKind::ALL`](crate::model::RecordKind::ALL) order.
    records: [sled::Tree; crate::model::RecordKind::ALL.len()],
    meta: sled::Tree,
    journal: sled::Tree,
}

/// The open store. Cheap to share (`&Store` from any thread); writes are serialized.
#[derive(Debug)]
pub struct Store {
    root: PathBuf,
    db: sled::Db,
    trees: Trees,
    id: u128,
    /// sled's log file, kept open to fsync it after every flush.
    log_file: File,
    writer: Mutex<Writer>,
    /// The audit log's index, once it has been read (see `audit.rs`).
    audit_index: Mutex<audit::Index>,
    /// Held (for writing) while sled is given a change, one write at a time: readers of
    /// records hold it for reading, so they see a change whole or not at all.
    applying: RwLock<()>,
    projection: RwLock<Projection>,
    opened: Opened,
    /// Held by a pass over the office's shared folder (`share/`): one at a time, so that two
    /// never append the same changes to this laptop's file.
    sharing: Mutex<()>,
    /// The data key of an encrypted store (`None` for a plain one): records, the log's
    /// entries, the saved projection and backups are sealed with it. Wiped when the store is
    /// dropped.
    key: Option<DataKey>,
}

fn relock<T>(r: std::result::Result<T, PoisonError<T>>) -> T {
    r.unwrap_or_else(PoisonError::into_inner)
}

impl Store {
    /// Opens (creating if needed) the store under `root`. Refuses a store written by a newer
    /// schema without touching it, reports a store locked by another process as
    /// [`Error::Locked`], and a damaged one as [`Error::Corrupt`] (sled can panic inside
    /// `open` on damaged files; that panic is caught here).
    ///
    /// This opens a plain store (one without `store.keys`), or makes one; an encrypted store
    /// is [`Error::Encrypted`] here and opens with [`Store::unlock`].
    pub fn open(root: &Path) -> Result<Store> {
        open::open(root, None)
    }

    /// Makes a new encrypted store under `root`, its data key wrapped by `passphrase` (at
    /// least [`MIN_PASSPHRASE_CHARS`] characters) and by the recovery key returned, to be
    /// shown once. Refused where a store already is.
    pub fn create_encrypted(
        root: &Path,
        passphrase: &str,
        params: KdfParams,
    ) -> Result<(Store, RecoveryKey)> {
        if root.join(STORE_DIR).exists() || is_encrypted(root) {
            return Err(Error::NotEmpty);
        }
        let (key, recovery) = keys::create(root, passphrase, params)?;
        Ok((open::open(root, Some(key))?, recovery))
    }

    /// Opens the encrypted store under `root` with its passphrase or its recovery key. A
    /// wrong one is an [`Error::Invalid`] at its field and opens nothing.
    pub fn unlock(root: &Path, secret: &Secret<'_>) -> Result<Store> {
        open::open(root, Some(Store::unwrap_key(root, secret)?))
    }

    /// The data key of the encrypted store under `root`, unwrapped with `secret`: the first
    /// half of [`Store::unlock`], for a caller that keeps the key even when the store then
    /// does not open (damaged, held by another process) and must be restored or retried.
    pub fn unwrap_key(root: &Path, secret: &Secret<'_>) -> Result<DataKey> {
        keys::unlock(root, secret)
    }

    /// Opens the store under `root` with the data key another store had (`None`: a plain
    /// store): to reopen a store without asking again, or to build a store to be swapped in
    /// for it.
    pub fn open_with_key(root: &Path, key: Option<DataKey>) -> Result<Store> {
        open::open(root, key)
    }

    /// The data key of an encrypted store.
    pub fn data_key(&self) -> Option<&DataKey> {
        self.key.as_ref()
    }

    /// Wraps the data key with a new passphrase, after checking the current one. Only
    /// `store.keys` is rewritten; the records stay as they are.
    pub fn change_passphrase(&self, current: &str, new: &str) -> Result<()> {
        if self.key.is_none() {
            return Err(Error::Encrypted);
        }
        let _writer = self.lock_writer();
        keys::change_passphrase(&self.root, current, new)
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
            self.save_projection(&mut writer);
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

    /// Saves the projection beside the store (a cache: failing to only means the next open
    /// rebuilds it). Not after a failed write or a panic while updating it: it may not match
    /// sled, and the projection saved earlier, with the journal, still leads to it.
    fn save_projection(&self, writer: &mut Writer) {
        let Ok(seq) = self.read_seq() else { return };
        if writer.projection_saved_at == Some(seq) || writer.broken.is_some() || self.projection.is_poisoned()
        {
            return;
        }
        let at = crate::index::saved::SavedAt { store: self.id, seq };
        let mut projection = self.projection_mut();
        projection.catalog.compact();
        let path = self.root.join(files::STATE_FILE);
        if crate::index::saved::save(&path, &projection, at, self.key.as_ref()).is_ok() {
            writer.projection_saved_at = Some(seq);
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// How the projection was had when the store opened.
    pub fn opened(&self) -> Opened {
        self.opened
    }

    /// The number of the last change made to the store (every save, delete and batch counts
    /// one). Backups remember it, to tell whether anything changed since.
    pub fn seq(&self) -> u64 {
        self.read_seq().unwrap_or(0)
    }

    /// The number of the last change `meta` holds.
    fn read_seq(&self) -> Result<u64> {
        read_seq(&self.trees.meta)
    }

    /// How many records the store holds, of every kind.
    pub fn len(&self) -> usize {
        self.projection().catalog.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What the store remembers of its last backup, if it has one.
    pub fn last_backup(&self) -> Option<LastBackup> {
        let bytes = self.trees.meta.get(LAST_BACKUP_KEY).ok()??;
        serde_json::from_slice(&bytes).ok()
    }

    /// Whether anything changed since the last backup (always, when there is none).
    pub fn changed_since_backup(&self) -> bool {
        self.last_backup().is_none_or(|b| self.seq() > b.seq)
    }

    /// Writers take turns: the one holding this is the only one writing.
    pub(crate) fn lock_sharing(&self) -> MutexGuard<'_, ()> {
        relock(self.sharing.lock())
    }

    pub(crate) fn lock_writer(&self) -> MutexGuard<'_, Writer> {
        relock(self.writer.lock())
    }

    /// The catalog and search index, as of the last committed change.
    pub(crate) fn projection(&self) -> RwLockReadGuard<'_, Projection> {
        relock(self.projection.read())
    }

    fn projection_mut(&self) -> RwLockWriteGuard<'_, Projection> {
        relock(self.projection.write())
    }

    pub(crate) fn with_catalog<T>(&self, f: impl FnOnce(&Catalog) -> T) -> T {
        f(&self.projection().catalog)
    }
}

impl From<sled::Error> for Error {
    fn from(e: sled::Error) -> Error {
        match e {
            // sled reports its file lock as a plain `Other` error with this text.
            sled::Error::Io(io) if io.to_string().starts_with("could not acquire lock") => Error::Locked,
            sled::Error::Io(io) => io.into(),
            sled::Error::Corruption { .. } | sled::Error::ReportableBug(_) => {
                Error::Corrupt { detail: e.to_string() }
            }
            other => Error::Corrupt { detail: other.to_string() },
        }
    }
}

/// The error of a sled transaction (ours never abort).
fn transaction_error(e: sled::transaction::TransactionError<()>) -> Error {
    match e {
        sled::transaction::TransactionError::Storage(e) => e.into(),
        sled::transaction::TransactionError::Abort(()) => unreachable!("these transactions never abort"),
    }
}

/// The number of the last change `meta` holds.
fn read_seq(meta: &sled::Tree) -> Result<u64> {
    match meta.get(SEQ_KEY)? {
        None => Ok(0),
        Some(bytes) => <[u8; 8]>::try_from(bytes.as_ref())
            .map(u64::from_be_bytes)
            .map_err(|_| Error::Corrupt { detail: "change counter in meta tree".into() }),
    }
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
        let last = LastBackup { name: "copia".into(), taken_at: Timestamp::now(), seq };
        assert!(refused(store.remember_backup(&last)));
        assert_eq!(store.seq(), seq);
    }
}
