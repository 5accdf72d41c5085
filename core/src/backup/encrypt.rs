//! A plain store made an encrypted one in place, and the plain copies it leaves sealed.
//!
//! The encrypted store is built beside the plain one (in the building folder, every record
//! copied in one change) and swapped in like a restore, so an interruption leaves either the
//! plain store or the encrypted one, whole. What is left in the clear afterwards (the plain
//! store the swap set aside, older stores set aside, backups taken before) is dealt with by
//! [`seal_leftovers`], which the caller runs after the conversion and at every unlock until
//! nothing is left: backups are sealed again under their names, and each plain store set aside
//! is rebuilt encrypted where it lies (swapped in the same way) and its plain files deleted —
//! except the plain copy the conversion itself set aside, which holds what the new store
//! holds, and is deleted once the new store is in place.

use super::{SEALED_MAGIC, backup_bytes, list_set_aside, read_backup};
use crate::crypto::{DataKey, KdfParams, RecoveryKey};
use crate::error::{Code, Error, Result};
use crate::fsio::write_atomically;
use crate::store::{
    ASIDE_DIR, Audit, BUILDING_DIR, Store, audit_is_sealed, backups_on_disk, complete_interrupted_swap,
    copy_keys, fresh_building_dir, is_encrypted, remembered_seq, reseal_audit, swap_in,
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
    /// Plain stores set aside, rebuilt encrypted.
    pub set_aside: usize,
    /// Plain stores set aside that do not open (damaged): left as they are.
    pub unreadable_set_aside: usize,
    /// The audit log, sealed again.
    pub audit_log: bool,
}

/// Makes the plain store under `root` (closed) an encrypted one with `passphrase`; returns the
/// recovery key, to be shown once, and the new data key, to open the store with. The plain
/// copies beside it are left for [`seal_leftovers`] (which the caller runs next).
pub fn encrypt_store(
    root: &Path,
    passphrase: &str,
    params: KdfParams,
    now: Timestamp,
) -> Result<(RecoveryKey, DataKey)> {
    complete_interrupted_swap(root)?;
    if is_encrypted(root) {
        return Err(Error::Encrypted);
    }
    crate::store::check_passphrase(passphrase)?;
    let (store, recovery) = Store::create_encrypted(&fresh_building_dir(root)?, passphrase, params)?;
    copy_into(root, &store)?;
    let key = store.data_key().cloned().ok_or(Error::Encrypted)?;
    let aside = swap_in(root, store, BUILDING_DIR, now)?;
    // The plain copy just set aside holds what the encrypted store now holds.
    if let Some(aside) = aside {
        std::fs::remove_dir_all(root.join(ASIDE_DIR).join(aside))?;
    }
    Ok((recovery, key))
}

/// Copies every record of the plain store under `plain` (closed) into the new encrypted
/// `store`, above every change number remembered beside the plain one, and with its last
/// backup (still "changed since" if the plain store was).
fn copy_into(plain: &Path, store: &Store) -> Result<()> {
    let from = Store::open(plain)?;
    let records = from.read_all()?;
    let files = from.read_files(&records)?;
    let (last_backup, changed) = (from.last_backup(), from.changed_since_backup());
    from.close()?;
    store.insert_batch_checked(records, &files, false, Audit::Silent)?;
    store.raise_seq(remembered_seq(plain).unwrap_or(0) + 1)?;
    if let Some(last) = last_backup {
        let seq = store.seq() - u64::from(changed);
        store.remember_backup(&crate::store::LastBackup { seq, ..last })?;
    }
    Ok(())
}

/// Seals the backups under `root` taken in the clear with `key` (the data key of the
/// encrypted store there), and rebuilds each plain store set aside encrypted with it. Nothing
/// to do is cheap: a look at the first bytes of each backup and at each store set aside.
pub fn seal_leftovers(root: &Path, key: &DataKey, now: Timestamp) -> Result<Sealed> {
    let mut done = Sealed::default();
    // The audit log, written in the clear until the store was encrypted.
    if audit_is_sealed(root) == Some(false) {
        reseal_audit(root, None, Some(key))?;
        done.audit_log = true;
    }
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
            Err(Error::Invalid(v)) if v.iter().any(|v| v.code == Code::DamagedBackup) => {
                std::fs::remove_file(&path)?;
                done.damaged_backups += 1;
            }
            Err(e) => return Err(e),
        }
    }
    for aside in list_set_aside(root) {
        let dir = root.join(ASIDE_DIR).join(&aside.name);
        if is_encrypted(&dir) {
            continue;
        }
        let building = fresh_building_dir(&dir)?;
        copy_keys(root, &building)?;
        let store = Store::open_with_key(&building, Some(key.clone()))?;
        if copy_into(&dir, &store).is_err() {
            store.close()?;
            std::fs::remove_dir_all(&building)?;
            done.unreadable_set_aside += 1;
            continue;
        }
        // Swapped in where it lies; the plain files it replaces are set aside inside it, and go.
        if let Some(plain) = swap_in(&dir, store, BUILDING_DIR, now)? {
            std::fs::remove_dir_all(dir.join(ASIDE_DIR).join(plain))?;
        }
        done.set_aside += 1;
    }
    Ok(done)
}
