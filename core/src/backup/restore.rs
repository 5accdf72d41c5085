//! Putting a backup, or a store set aside, in place of the store; or an empty one.

use super::{backup_dir, read_backup};
use crate::crypto::DataKey;
use crate::error::{Code, Error, Result};
use crate::store::{
    ASIDE_DIR, Audit, BUILDING_DIR, BackupName, LastBackup, STORE_DIR, Store, complete_interrupted_swap,
    copy_keys, fresh_building_dir, is_encrypted, is_plain_name, remembered_seq, swap_in,
};
use jiff::Timestamp;
use std::path::Path;

/// Replaces the store under `root` (closed) with the records of its backup `name` (one
/// [`list_backups`](super::list_backups) lists). The current store, if any, is set aside
/// first; returns the name it was set aside under.
///
/// `key` is the store's data key (`None` for a plain store): it opens a sealed backup, and the
/// store built from it is encrypted with it.
pub fn restore_backup(
    root: &Path,
    name: &str,
    now: Timestamp,
    key: Option<&DataKey>,
) -> Result<Option<String>> {
    complete_interrupted_swap(root)?;
    let path = backup_dir(root).join(name);
    let parsed = BackupName::parse(name).filter(|_| is_plain_name(name) && path.is_file());
    let Some(BackupName { taken_at, .. }) = parsed else {
        return Err(Error::invalid("name", Code::InvalidChoice));
    };
    let export = read_backup(&path, key)?;
    let store = open_building(root, key)?;
    store.insert_batch_checked(export.records(), &export.files, false, Audit::Silent)?;
    // It holds what the backup holds: nothing has changed since that backup.
    store.raise_seq(remembered_seq(root).unwrap_or(0) + 1)?;
    store.remember_backup(&LastBackup { name: name.to_owned(), taken_at, seq: store.seq() })?;
    swap_in(root, store, BUILDING_DIR, now)
}

/// Puts back the store set aside as `name`, setting the current one aside in its turn. An
/// encrypted one opens with `key`, the current store's data key.
pub fn restore_set_aside(
    root: &Path,
    name: &str,
    now: Timestamp,
    key: Option<&DataKey>,
) -> Result<Option<String>> {
    complete_interrupted_swap(root)?;
    if !is_plain_name(name) || !root.join(ASIDE_DIR).join(name).join(STORE_DIR).is_dir() {
        return Err(Error::invalid("name", Code::InvalidChoice));
    }
    // Opened where it lies: one that does not open (damaged) stays set aside, untouched.
    let from = format!("{ASIDE_DIR}/{name}");
    let at = root.join(&from);
    // An encrypted store takes no plain one in its place (unlocking encrypts those).
    if key.is_some() != is_encrypted(&at) {
        return Err(Error::invalid("name", Code::InvalidChoice));
    }
    let store = Store::open_with_key(&at, key.cloned())?;
    swap_in(root, store, &from, now)
}

/// Sets the store under `root` (closed) aside, so that the next open starts an empty one
/// (encrypted with `key`, when it is the data key of the store set aside).
pub fn set_aside(root: &Path, now: Timestamp, key: Option<&DataKey>) -> Result<Option<String>> {
    complete_interrupted_swap(root)?;
    // A real, empty store.
    let store = open_building(root, key)?;
    swap_in(root, store, BUILDING_DIR, now)
}

/// A new store in the building folder, to be swapped in under `root`; encrypted with `key`
/// (the data key of the store under `root`, whose `store.keys` it takes).
pub(super) fn open_building(root: &Path, key: Option<&DataKey>) -> Result<Store> {
    let building = fresh_building_dir(root)?;
    if key.is_some() {
        copy_keys(root, &building)?;
    }
    Store::open_with_key(&building, key.cloned())
}
