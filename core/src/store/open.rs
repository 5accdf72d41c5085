//! Opening a store: a swap a crash interrupted is finished, the version file checked before
//! sled sees anything, sled opened (behind `catch_unwind`: it can panic on damaged files), the
//! write-ahead log replayed, the schema migrated, losses detected, and the projection loaded
//! from `store.state` and the journal, or rebuilt from every record.

use super::audit::{AUDIT_TREE, AuditLog};
use super::codec::decode_any;
use super::commit::{self, apply_in_transaction};
use super::files::{
    SEQ_FILE, STATE_FILE, STORE_DIR, read_version_file, remembered_seq, write_seq_file, write_version_file,
};
use super::journal::{self, JOURNAL_TREE};
use super::keys::is_encrypted;
use super::swap::complete_interrupted_swap;
use super::wal::{Op, Wal, Write};
use super::{Opened, SCHEMA_KEY, SCHEMA_VERSION, STORE_ID_KEY, Store, Trees, Writer, migrate, read_seq};
use crate::crypto::DataKey;
use crate::error::{Error, Result};
use crate::fsio::sync_dir;
use crate::index::Projection;
use crate::index::key::Key;
use crate::index::saved::{self, Unusable};
use crate::model::RecordKind;
use std::fs::File;
use std::path::Path;
use std::sync::{Mutex, RwLock};

/// sled's page cache. The projection answers lists and views, so sled's cache only serves
/// record reads: 64 MiB is plenty on a laptop (sled's default is 1 GiB).
const CACHE_BYTES: u64 = 64 * 1024 * 1024;

/// [`Store::open`]: damage sled reports (or panics on) while opening is [`Error::Corrupt`].
pub(super) fn open(root: &Path, key: Option<DataKey>) -> Result<Store> {
    match std::panic::catch_unwind(|| open_unguarded(root, key)) {
        Ok(result) => result.map_err(damage_while_opening),
        Err(panic) => Err(Error::Corrupt { detail: panic_text(&panic) }),
    }
}

fn open_unguarded(root: &Path, key: Option<DataKey>) -> Result<Store> {
    std::fs::create_dir_all(root)?;
    // A restore a crash interrupted ends first, or the store would open half swapped.
    complete_interrupted_swap(root)?;
    match (&key, is_encrypted(root)) {
        (None, true) => return Err(Error::Encrypted),
        // A key for a folder without a key file: records sealed with a key written nowhere.
        (Some(_), false) => {
            return Err(Error::Corrupt { detail: "a key given for a store without store.keys".into() });
        }
        _ => {}
    }
    let file_version = check_version_file(root)?;
    let (db, trees, has_records) = open_sled(root)?;
    // The changes made durable in the log but not yet in sled's own files, written by the
    // schema the store had then: before any migration.
    let mut wal = Wal::open(root)?;
    let logged_audit = replay_log(&wal, &trees)?;
    migrate_schema(root, &db, &trees.meta, file_version, has_records)?;
    let seq = read_seq(&trees.meta)?;
    // Changes lost to damage sled recovered from in silence: `store.seq`, or else the newest
    // backup beside the store, remembers a later change than the store holds.
    if let Some(expected) = remembered_seq(root)
        && expected > seq
    {
        return Err(Error::Corrupt {
            detail: format!("the store holds change {seq} but change {expected} was made durable"),
        });
    }
    let id = store_id(&trees.meta)?;
    // What the log held is in sled now, durably: the log can start over.
    db.flush()?;
    sync_dir(&root.join(STORE_DIR))?;
    let log_file =
        std::fs::OpenOptions::new().read(true).write(true).open(root.join(STORE_DIR).join("db"))?;
    log_file.sync_all()?;
    wal.make_whole(root)?;
    if file_version != Some(SCHEMA_VERSION) {
        write_version_file(root, SCHEMA_VERSION)?;
    }
    write_seq_file(root, seq)?;
    let seq_file = std::fs::OpenOptions::new().write(true).open(root.join(SEQ_FILE))?;

    let (projection, projection_saved_at, opened) =
        match load_projection(root, id, seq, &trees, key.as_ref())? {
            Ok((projection, saved_at, replayed)) => (projection, Some(saved_at), Opened::Saved { replayed }),
            Err(why) => (rebuild_projection(&trees, key.as_ref())?, None, Opened::Rebuilt { why }),
        };
    let store = Store {
        root: root.to_owned(),
        db,
        trees,
        id,
        log_file,
        writer: Mutex::new(Writer {
            blobs_synced: 0,
            seq_file,
            projection_saved_at,
            wal,
            broken: None,
            audit: AuditLog::new(root),
            sync: None,
        }),
        audit_index: Mutex::new(Default::default()),
        sharing: Mutex::new(()),
        applying: RwLock::new(()),
        projection: RwLock::new(projection),
        opened,
        key,
    };
    {
        let mut writer = store.lock_writer();
        // The audit entries of changes sled has and the audit log may lack (not yet synced).
        writer.audit.recover(store.key.as_ref(), &logged_audit)?;
        store.sync_new_blobs(&mut writer)?;
        writer.sync = store.sync_state()?;
        // Files a delete could not remove, or a write left when it was cut short. Failing
        // (a read-only folder) leaves them to the next open.
        let _ = store.sweep_files(&writer);
        if writer.projection_saved_at.is_none() {
            // Rebuilt: save it now, so that the next start reads it instead.
            store.save_projection(&mut writer);
        }
    }
    Ok(store)
}

/// The schema `store.version` names: a newer one than this build's is refused before sled
/// opens anything; a new store gets the file first.
fn check_version_file(root: &Path) -> Result<Option<u32>> {
    let file_version = read_version_file(root)?;
    if let Some(found) = file_version {
        if found > SCHEMA_VERSION {
            return Err(Error::NewerSchema { found, supported: SCHEMA_VERSION });
        }
    } else if !root.join(STORE_DIR).exists() {
        write_version_file(root, SCHEMA_VERSION)?;
    }
    Ok(file_version)
}

/// sled's database and its trees, and whether it held any record tree before (a store of
/// schema 1 has no version in `meta`).
fn open_sled(root: &Path) -> Result<(sled::Db, Trees, bool)> {
    let sled_dir = root.join(STORE_DIR);
    remove_unfinished_snapshots(&sled_dir)?;
    let db = sled::Config::new().path(&sled_dir).cache_capacity(CACHE_BYTES).open()?;
    let has_records =
        db.tree_names().iter().any(|n| RecordKind::ALL.iter().any(|k| k.prefix().as_bytes() == n.as_ref()));
    let meta = db.open_tree("meta")?;
    let [a, b, c, d, e, f, g] = RecordKind::ALL.map(|k| db.open_tree(k.prefix()));
    let records = [a?, b?, c?, d?, e?, f?, g?];
    let journal = db.open_tree(JOURNAL_TREE)?;
    Ok((db, Trees { records, meta, journal }, has_records))
}

/// Brings the store to this build's schema (see `migrate.rs`).
fn migrate_schema(
    root: &Path,
    db: &sled::Db,
    meta: &sled::Tree,
    file_version: Option<u32>,
    has_records: bool,
) -> Result<()> {
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
        // The saved projection describes the records as they were.
        match std::fs::remove_file(root.join(STATE_FILE)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
    }
    migrate::migrate(db, meta, stored)
}

/// The store's id, made the first time.
fn store_id(meta: &sled::Tree) -> Result<u128> {
    Ok(match meta.get(STORE_ID_KEY)?.and_then(|b| <[u8; 16]>::try_from(b.as_ref()).ok()) {
        Some(bytes) => u128::from_be_bytes(bytes),
        None => {
            let id = uuid::Uuid::now_v7().as_u128();
            meta.insert(STORE_ID_KEY, &id.to_be_bytes())?;
            id
        }
    })
}

/// Applies to sled the changes the write-ahead log holds after the one sled holds, each in one
/// transaction (sled may hold part of the last: all of it lands again); the caller then makes
/// sled durable. A log that skips a change sled lacks is damage. Returns the audit entries
/// (number, body) of every change the log holds, for the audit log to take those it lacks.
fn replay_log(wal: &Wal, trees: &Trees) -> Result<Vec<(u64, Vec<u8>)>> {
    let mut seq = read_seq(&trees.meta)?;
    let mut replayed = false;
    let all = trees.by_index();
    let mut audit = Vec::new();
    for (entry_seq, mut ops) in wal.entries()? {
        let (entries, rest): (Vec<Op>, Vec<Op>) =
            ops.drain(..).partition(|op| matches!(op, Op::Put { tree: AUDIT_TREE, .. }));
        ops = rest;
        for op in entries {
            if let Op::Put { key, value, .. } = op
                && let Ok(n) = <[u8; 8]>::try_from(key.as_slice())
            {
                audit.push((u64::from_be_bytes(n), value));
            }
        }
        if entry_seq <= seq {
            continue;
        }
        if entry_seq != seq + 1 {
            return Err(Error::Corrupt {
                detail: format!("the log resumes at change {entry_seq} but the store holds change {seq}"),
            });
        }
        let writes: Vec<Write<'_>> = ops.iter().map(Op::as_write).collect();
        if writes.iter().any(|&(tree, _, _)| commit::position(tree).is_none()) {
            return Err(Error::Corrupt { detail: format!("log entry {entry_seq} names no tree") });
        }
        apply_in_transaction(&all, &writes)?;
        seq = entry_seq;
        replayed = true;
    }
    if replayed && read_seq(&trees.meta)? != seq {
        return Err(Error::Corrupt { detail: "a log entry did not carry its change number".into() });
    }
    Ok(audit)
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

/// The saved projection brought up to change `seq` with the journal, with the change the saved
/// file holds and how many journal entries were replayed; or why there is no usable one
/// (missing, damaged, another store's, or the journal does not reach it).
fn load_projection(
    root: &Path,
    id: u128,
    seq: u64,
    trees: &Trees,
    data_key: Option<&DataKey>,
) -> Result<std::result::Result<(Projection, u64, usize), &'static str>> {
    let (saved_at, mut projection) = match saved::load(&root.join(STATE_FILE), data_key) {
        Ok(loaded) => loaded,
        Err(Unusable(why)) => return Ok(Err(why)),
    };
    if saved_at.store != id {
        return Ok(Err("another store's"));
    }
    if saved_at.seq > seq {
        return Ok(Err("ahead of the store"));
    }
    let (touched, replayed) = match journal::touched_between(&trees.journal, saved_at.seq, seq)? {
        Ok(found) => found,
        Err(why) => return Ok(Err(why)),
    };
    // What the projection holds of them goes; what the store holds of them now comes in.
    let stale: roaring::RoaringBitmap =
        touched.iter().filter_map(|k| projection.catalog.slot_of_key(k)).collect();
    projection.search.remove_all(&stale);
    let mut current = Vec::new();
    for key in &touched {
        let id = key.id();
        match trees.records[key.kind.index()].get(id.as_str().as_bytes())? {
            Some(bytes) => current.push(
                decode_any(data_key, key.kind, id.as_str().as_bytes(), &bytes)
                    .map_err(|e| Error::Corrupt { detail: format!("record {id}: {e}") })?,
            ),
            None => {
                projection.catalog.remove(&id);
            }
        }
    }
    projection.add(&current);
    Ok(Ok((projection, saved_at.seq, replayed)))
}

/// The projection made from every record in the store.
fn rebuild_projection(trees: &Trees, data_key: Option<&DataKey>) -> Result<Projection> {
    let mut projection = Projection::default();
    for (kind, tree) in RecordKind::ALL.into_iter().zip(&trees.records) {
        let mut batch = Vec::with_capacity(4096);
        for entry in tree.iter() {
            let (key, value) = entry?;
            let record = decode_any(data_key, kind, &key, &value).map_err(|e| Error::Corrupt {
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
                projection.add(&batch);
                batch.clear();
            }
        }
        projection.add(&batch);
    }
    Ok(projection)
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
