//! A plain store made an encrypted one in place, and the plain copies it leaves sealed or gone.
//!
//! The encrypted store is built beside the plain one (in the building folder, every record
//! copied in one change) and swapped in like a restore, so an interruption leaves either the
//! plain store or the encrypted one, whole. What is left in the clear afterwards (the plain
//! store the swap set aside, older stores set aside, backups taken before) is dealt with by
//! [`seal_leftovers`], which runs after the swap and again at every unlock until nothing is
//! left: backups are sealed again under their names, plain stores set aside are deleted (the
//! user is told before converting; their records are in the backups).

use super::{SEALED_MAGIC, backup_bytes, list_set_aside, read_backup};
use crate::crypto::{DataKey, KdfParams, RecoveryKey};
use crate::error::Result;
use crate::fsio::write_atomically;
use crate::store::{
    ASIDE_DIR, BUILDING_DIR, Store, backups_on_disk, complete_interrupted_swap, fresh_building_dir,
    is_encrypted, remembered_seq, swap_in,
};
use jiff::Timestamp;
use std::path::Path;

/// What [`seal_leftovers`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Sealed {
    /// Backups taken in the clear, sealed again under their names.
    pub backups: usize,
    /// Backups taken in the clear that no longer read (damaged), deleted.
    pub damaged_backups: usize,
    /// Plain stores set aside, deleted.
    pub set_aside: usize,
}

/// Makes the plain store under `root` (closed) an encrypted one with `passphrase`, and seals
/// or deletes the plain copies beside it; returns the recovery key, to be shown once, and the
/// new data key, to open the store with.
pub fn encrypt_store(
    root: &Path,
    passphrase: &str,
    params: KdfParams,
    now: Timestamp,
) -> Result<(RecoveryKey, DataKey)> {
    complete_interrupted_swap(root)?;
    if is_encrypted(root) {
        return Err(crate::error::Error::Encrypted);
    }
    crate::store::check_passphrase(passphrase)?;
    let plain = Store::open(root)?;
    let records = plain.read_all()?;
    let (last_backup, changed) = (plain.last_backup(), plain.changed_since_backup());
    plain.close()?;
    let (store, recovery) = Store::create_encrypted(&fresh_building_dir(root)?, passphrase, params)?;
    store.insert_batch(records)?;
    // Above every change number remembered beside the plain store, as a restore does.
    store.raise_seq(remembered_seq(root).unwrap_or(0) + 1)?;
    if let Some(last) = last_backup {
        // Still "changed since the last backup" if the plain store was.
        let seq = store.seq() - u64::from(changed);
        store.remember_backup(&crate::store::LastBackup { seq, ..last })?;
    }
    let key = store.data_key().cloned().ok_or(crate::error::Error::Encrypted)?;
    swap_in(root, store, BUILDING_DIR, now)?;
    seal_leftovers(root, &key)?;
    Ok((recovery, key))
}

/// Seals the backups under `root` taken in the clear with `key` (the data key of the
/// encrypted store there), and deletes the plain stores set aside. Nothing to do is cheap: a
/// look at the first bytes of each backup.
pub fn seal_leftovers(root: &Path, key: &DataKey) -> Result<Sealed> {
    let mut done = Sealed::default();
    for (_, entry) in backups_on_disk(root) {
        let path = entry.path();
        let mut head = [0u8; 8];
        let read = std::fs::File::open(&path).and_then(|mut f| std::io::Read::read(&mut f, &mut head))?;
        if read == head.len() && &head == SEALED_MAGIC {
            continue;
        }
        match read_backup(&path, None) {
            Ok(export) => {
                write_atomically(&path, &backup_bytes(&export.to_json(), Some(key)))?;
                done.backups += 1;
            }
            // Damaged: nothing can restore it, and what is readable of it is in the clear.
            Err(_) => {
                std::fs::remove_file(&path)?;
                done.damaged_backups += 1;
            }
        }
    }
    for aside in list_set_aside(root) {
        let dir = root.join(ASIDE_DIR).join(&aside.name);
        if !is_encrypted(&dir) {
            std::fs::remove_dir_all(&dir)?;
            done.set_aside += 1;
        }
    }
    Ok(done)
}
