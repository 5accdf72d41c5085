//! Erasing a person for good (the *cancelación* of ARCO rights): once deleted, nothing of them
//! stays readable in the data folder. Deleting a record leaves its bytes in sled's old
//! segments, in the backups and in the stores set aside; so the store is rebuilt from its
//! records (the old files, set aside by the swap, are deleted), every backup that holds the
//! person or names them is rewritten without them, and every store set aside that holds them
//! (or does not open, and so might) is deleted. The audit log names records by id and fields
//! by name only: it holds nothing of them.

use super::restore::open_building;
use super::{backup_bytes, backup_dir, read_backup};
use crate::crypto::DataKey;
use crate::error::{Error, Result};
use crate::exchange::Export;
use crate::fsio::write_atomically;
use crate::model::{AnyRecord, Id};
use crate::store::{
    ASIDE_DIR, Audit, BUILDING_DIR, BackupName, LastBackup, Store, backups_on_disk,
    complete_interrupted_swap, remembered_seq, swap_in,
};
use jiff::Timestamp;
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

/// What erasing did, for the user to be told.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Erased {
    /// Backups that held the person or named them, rewritten without them.
    pub backups_rewritten: usize,
    /// Backups that could not be read (damaged), deleted: they might hold the person.
    pub backups_removed: usize,
    /// Stores set aside that held the person, or did not open, deleted.
    pub set_aside_removed: usize,
    /// Records of the store that still named the person, and no longer do.
    pub references_cleared: usize,
}

/// `records` without the record `id`, what belongs to it (the documents attached to the
/// person) and any reference to it; and whether anything
/// was taken out, and how many records lost a reference.
fn scrub(records: Vec<AnyRecord>, id: &Id) -> (Vec<AnyRecord>, bool, usize) {
    let before = records.len();
    let mut cleared = 0;
    let kept: Vec<AnyRecord> = records
        .into_iter()
        .filter(|r| r.id() != id && r.belongs_to() != Some(id))
        .map(|mut r| {
            if r.references().contains(&id) {
                r.retarget(id, None);
                cleared += 1;
            }
            r
        })
        .collect();
    let changed = kept.len() != before || cleared > 0;
    (kept, changed, cleared)
}

/// Erases the record `id` (a person) from everything under `root` (its store closed): the
/// store, its backups and the stores set aside. `key` is the store's data key (`None` for a
/// plain store). Run again after an interruption, it finishes the work.
pub fn erase(root: &Path, id: &Id, now: Timestamp, key: Option<&DataKey>) -> Result<Erased> {
    complete_interrupted_swap(root)?;
    let mut done = Erased::default();
    // Backups first, their new names remembered: the store remembers its last backup by name.
    let mut renamed = HashMap::new();
    for (name, entry) in backups_on_disk(root) {
        let path = entry.path();
        let export = match read_backup(&path, key) {
            Ok(export) => export,
            // The disk refused: stop, nothing is lost (run again, it goes on).
            Err(e @ (Error::Io(_) | Error::DiskFull)) => return Err(e),
            // Damaged, or sealed with a key this store does not have: it may hold the person.
            Err(_) => {
                std::fs::remove_file(&path)?;
                done.backups_removed += 1;
                continue;
            }
        };
        let (records, changed, _) = scrub(export.records(), id);
        if !changed {
            continue;
        }
        let new_name = BackupName { records: records.len(), ..name }.file_name();
        let json = Export::new(records, export.exported_at).with_files(export.files).to_json();
        write_atomically(&path.with_file_name(&new_name), &backup_bytes(&json, key))?;
        if new_name != entry.file_name().to_string_lossy() {
            std::fs::remove_file(&path)?;
        }
        renamed.insert(entry.file_name().to_string_lossy().into_owned(), new_name);
        done.backups_rewritten += 1;
    }
    for entry in std::fs::read_dir(root.join(ASIDE_DIR)).into_iter().flatten().filter_map(|e| e.ok()) {
        let holds = Store::open_with_key(&entry.path(), key.cloned()).and_then(|s| {
            let records = s.read_all();
            s.close()?;
            Ok(scrub(records?, id).1)
        });
        match holds {
            Ok(false) => {}
            // One that is in use or that the disk refuses to read is not deleted: stop.
            Err(e @ (Error::Io(_) | Error::DiskFull | Error::Locked)) => return Err(e),
            // Holds the person, or does not open (damaged, another key): it may.
            Ok(true) | Err(_) => {
                std::fs::remove_dir_all(entry.path())?;
                done.set_aside_removed += 1;
            }
        }
    }
    // The store, rebuilt from its records without the person; its old files deleted.
    let from = Store::open_with_key(root, key.cloned())?;
    let (last_backup, changed_since) = (from.last_backup(), from.changed_since_backup());
    // Scrubbed first: the person's own documents are not read (a damaged one stops nothing).
    let read = from.read_all().and_then(|records| {
        let (records, _, cleared) = scrub(records, id);
        Ok((from.read_files(&records)?, records, cleared))
    });
    from.close()?;
    let (files, records, cleared) = read?;
    done.references_cleared = cleared;
    let store = open_building(root, key)?;
    store.insert_batch_checked(records, &files, false, Audit::Silent)?;
    store.raise_seq(remembered_seq(root).unwrap_or(0) + 1)?;
    // Remembered under its new name; forgotten if it was deleted as unreadable.
    let last_backup = last_backup
        .map(|last| LastBackup { name: renamed.get(&last.name).cloned().unwrap_or(last.name), ..last })
        .filter(|last| backup_dir(root).join(&last.name).is_file());
    if let Some(last) = last_backup {
        let seq = store.seq() - u64::from(changed_since);
        store.remember_backup(&LastBackup { seq, ..last })?;
    }
    if let Some(old) = swap_in(root, store, BUILDING_DIR, now)? {
        std::fs::remove_dir_all(root.join(ASIDE_DIR).join(old))?;
    }
    Ok(done)
}
