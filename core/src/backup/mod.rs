//! Backups beside the store, and putting one back.
//!
//! A backup is an [`Export`] of the whole store taken while writes wait, gzip-compressed into
//! `<root>/backups/vinculo-<UTC time>-<kind>-<records>-<change number>.json.gz`. It is written to
//! a temporary file, read back and compared record by record (checksums) with what was taken, and only
//! then renamed into place: a backup under its final name has been verified.
//!
//! Restoring a backup builds the new store beside the current one (a store set aside earlier
//! is used where it lies), sets the current one aside under `<root>/set-aside/<UTC time>/` and
//! moves the new one in (`restore.rs`; the swap itself is the store's, see `store/swap.rs`).
//!
//! An encrypted store's backups are sealed with its data key (`VNCBKSLD`, then the gzip'd
//! export sealed), under the same names; a store restored from one is encrypted with the same
//! key, and its `store.keys` goes with it.

mod encrypt;
mod erase;
mod restore;

pub use crate::store::{ASIDE_DIR, BackupKind, LastBackup, backup_dir, complete_interrupted_swap};
pub use encrypt::{Sealed, encrypt_store, seal_leftovers};
pub use erase::{Erased, erase};
pub use restore::{restore_backup, restore_set_aside, set_aside};

use crate::clock::office_today;
use crate::crypto::DataKey;
use crate::error::{Code, Error, Result};
use crate::exchange::{Export, gzip};
use crate::fsio::write_atomically_checked;
use crate::store::{BackupName, STORE_DIR, Store, backups_on_disk, parse_time_label};
use jiff::Timestamp;
use serde::Serialize;
use std::io::Read;
use std::path::Path;

/// How many days, and then weeks, of backups are kept (the newest of each).
pub const KEEP_DAYS: usize = 7;
pub const KEEP_WEEKS: usize = 4;

/// A backup on disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Backup {
    /// The file's name (all a caller needs to name it back).
    pub name: String,
    pub taken_at: Timestamp,
    pub kind: BackupKind,
    pub records: usize,
    /// The store's change number when it was taken.
    pub seq: u64,
    pub bytes: u64,
}

/// A store set aside by a restore (or by starting afresh after damage), which can be put back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetAside {
    pub name: String,
    pub set_aside_at: Timestamp,
}

/// The backups of the store under `root`, newest first.
pub fn list_backups(root: &Path) -> Vec<Backup> {
    let mut out: Vec<Backup> = backups_on_disk(root)
        .into_iter()
        .filter_map(|(b, e)| {
            let name = e.file_name().to_str()?.to_owned();
            let bytes = e.metadata().ok()?.len();
            Some(Backup { name, taken_at: b.taken_at, kind: b.kind, records: b.records, seq: b.seq, bytes })
        })
        .collect();
    out.sort_by(|a, b| (b.taken_at, &b.name).cmp(&(a.taken_at, &a.name)));
    out
}

/// The first bytes of an encrypted store's backup: the gzip'd export after them is sealed
/// with the store's data key, bound to these bytes.
const SEALED_MAGIC: &[u8; 8] = b"VNCBKSLD";

/// Reads a backup file back into the export it holds, opening it with `key` when it is
/// sealed; a damaged one, or one sealed with another key, is refused as
/// [`Code::DamagedBackup`].
pub fn read_backup(path: &Path, key: Option<&DataKey>) -> Result<Export> {
    let damaged = || Error::invalid("backup", Code::DamagedBackup);
    let bytes = std::fs::read(path)?;
    let gzipped = match (bytes.strip_prefix(SEALED_MAGIC), key) {
        (Some(sealed), Some(key)) => key.open(SEALED_MAGIC, sealed).map_err(|_| damaged())?,
        (None, _) => zeroize::Zeroizing::new(bytes),
        (Some(_), None) => return Err(Error::Encrypted),
    };
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(gzipped.as_slice()).read_to_end(&mut json).map_err(|_| damaged())?;
    Export::parse(&json).map_err(|_| damaged())
}

/// A backup's bytes: the export gzip'd, sealed when the store has a data key.
fn backup_bytes(json: &[u8], key: Option<&DataKey>) -> Vec<u8> {
    let gzipped = gzip(json);
    match key {
        None => gzipped,
        Some(key) => {
            let mut out = SEALED_MAGIC.to_vec();
            key.seal_into(SEALED_MAGIC, &gzipped, &mut out);
            out
        }
    }
}

/// Deletes the backups the rotation no longer keeps: the newest backup of each of the last
/// [`KEEP_DAYS`] days that have one, then the newest of each of [`KEEP_WEEKS`] earlier weeks
/// (weeks with no backup kept yet); the newest backup is always kept. Returns what it deleted.
pub fn prune(root: &Path) -> Result<Vec<String>> {
    let dir = backup_dir(root);
    let mut days = std::collections::HashSet::new();
    let mut weeks = std::collections::HashSet::new();
    let mut weekly = 0;
    let mut deleted = Vec::new();
    for b in list_backups(root) {
        let date = office_today(b.taken_at);
        let iso = date.iso_week_date();
        let week = (iso.year(), iso.week());
        let keep = if days.len() < KEEP_DAYS || days.contains(&date) {
            days.insert(date) // the first (newest) of its day
        } else if weekly < KEEP_WEEKS && !weeks.contains(&week) {
            weekly += 1;
            true
        } else {
            false
        };
        if keep {
            weeks.insert(week);
        } else {
            std::fs::remove_file(dir.join(&b.name))?;
            deleted.push(b.name);
        }
    }
    Ok(deleted)
}

impl Store {
    /// Whether a backup of `kind` is due: a daily one when the store has records and none was
    /// taken on the office's day of `now`; one on quit when something changed since the last.
    pub fn backup_due(&self, kind: BackupKind, now: Timestamp) -> bool {
        let today = office_today(now);
        match kind {
            BackupKind::Daily => {
                !self.is_empty() && self.last_backup().is_none_or(|b| office_today(b.taken_at) < today)
            }
            BackupKind::Quit => !self.is_empty() && self.changed_since_backup(),
            BackupKind::Manual => true,
        }
    }

    /// Takes a verified backup into the store's backups folder (see the module's description)
    /// and remembers it.
    pub fn backup(&self, kind: BackupKind, now: Timestamp) -> Result<Backup> {
        let (snapshot, seq) = self.snapshot(now)?;
        let name = BackupName { taken_at: now, kind, records: snapshot.len(), seq }.file_name();
        let body = backup_bytes(&snapshot.to_json(), self.data_key());
        write_atomically_checked(&backup_dir(self.root()).join(&name), &body, |written| {
            // Read back from disk, not from memory.
            let back = read_backup(written, self.data_key())
                .map_err(|_| Error::Corrupt { detail: "a backup read back does not parse".into() })?;
            if back.checksums() != snapshot.checksums() || back.files.0.keys().ne(snapshot.files.0.keys()) {
                return Err(Error::Corrupt { detail: "a backup read back differs from the store".into() });
            }
            Ok(())
        })?;
        let last = LastBackup { name: name.clone(), taken_at: now, seq };
        self.remember_backup(&last)?;
        Ok(Backup { name, taken_at: now, kind, records: snapshot.len(), seq, bytes: body.len() as u64 })
    }
}

/// The stores set aside under `root`, newest first.
pub fn list_set_aside(root: &Path) -> Vec<SetAside> {
    let mut out: Vec<SetAside> = std::fs::read_dir(root.join(ASIDE_DIR))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_owned();
            let at = parse_time_label(name.split('-').next()?)?;
            e.path().join(STORE_DIR).is_dir().then_some(SetAside { name, set_aside_at: at })
        })
        .collect();
    out.sort_by(|a, b| b.name.cmp(&a.name));
    out
}
