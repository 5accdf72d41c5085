//! What lies where in the data folder, and how the names that carry numbers are spelled.
//!
//! ```text
//! <root>/store.version   {"format":"vinculo-store","schema":N}, read before sled opens
//! <root>/store.keys      an encrypted store's data key, wrapped (see `keys.rs`)
//! <root>/store/          the sled database: one tree per record kind, `meta` and `journal`
//! <root>/store.wal       the write-ahead log that makes each change durable (see `wal.rs`)
//! <root>/store.seq       the number of the last change made durable, kept outside sled
//! <root>/store.state     the catalog and search index as of some change (`index/saved.rs`)
//! <root>/documents/      the files attached to records, one per content (see `documents.rs`)
//! <root>/audit.log       the audit log, hash-chained, kept across swaps (see `audit.rs`)
//! <root>/backups/        vinculo-<UTC time>-<kind>-<records>-<change number>.json.gz
//! <root>/set-aside/<UTC time>/   a store a restore set aside, its files as above
//! <root>/.incoming/      a store being built to be swapped in
//! <root>/swap.json       the marker of a swap under way (see `swap.rs`)
//! ```
//!
//! The store reads the change numbers the backups' names carry: each backup was taken after
//! its change was durable, so a store that opens below one of them has lost changes.

use crate::error::{Error, Result};
use crate::fsio::write_atomically;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub(crate) const VERSION_FILE: &str = "store.version";
/// sled's directory.
pub(crate) const STORE_DIR: &str = "store";
pub(crate) const SEQ_FILE: &str = "store.seq";
pub(crate) const STATE_FILE: &str = "store.state";
pub(crate) const WAL_FILE: &str = "store.wal";
pub(crate) const KEYS_FILE: &str = "store.keys";
/// The audit log (see `audit.rs`): beside the store, not one of its files (a swap leaves it).
pub(crate) const AUDIT_FILE: &str = "audit.log";
/// The files that make up a store under its root, as they are moved when one store is set
/// aside for another.
pub(crate) const STORE_FILES: [&str; 7] =
    [STORE_DIR, VERSION_FILE, SEQ_FILE, STATE_FILE, WAL_FILE, KEYS_FILE, super::documents::DOCUMENTS_DIR];

pub(crate) const BACKUP_DIR: &str = "backups";
pub const ASIDE_DIR: &str = "set-aside";
pub(crate) const BUILDING_DIR: &str = ".incoming";
pub(crate) const SWAP_MARKER: &str = "swap.json";

#[derive(Debug, Serialize, Deserialize)]
struct VersionFile {
    format: String,
    schema: u32,
}
const FORMAT_NAME: &str = "vinculo-store";

/// The schema `store.version` names, `None` when there is no such file.
pub(crate) fn read_version_file(root: &Path) -> Result<Option<u32>> {
    match std::fs::read(root.join(VERSION_FILE)) {
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

pub(crate) fn write_version_file(root: &Path, schema: u32) -> Result<()> {
    let body = serde_json::to_vec(&VersionFile { format: FORMAT_NAME.into(), schema })
        .expect("a two-field struct serializes");
    write_atomically(&root.join(VERSION_FILE), &body)
}

/// `store.seq`, when it is there and whole (it is a hint: written after each durable change,
/// without an fsync of its own, so after a crash it may lag — never lead).
pub(crate) fn read_seq_file(root: &Path) -> Option<u64> {
    std::fs::read_to_string(root.join(SEQ_FILE)).ok()?.trim().parse().ok()
}

/// `store.seq` holds the number at a fixed width, so that rewriting it in place never leaves
/// a longer number's tail behind.
pub(crate) fn seq_text(seq: u64) -> String {
    format!("{seq:020}")
}

pub(crate) fn write_seq_file(root: &Path, seq: u64) -> Result<()> {
    std::fs::write(root.join(SEQ_FILE), seq_text(seq))?;
    Ok(())
}

/// An instant as the names of backups and set-aside stores spell it: `20261125T113005Z`.
pub(crate) fn time_label(at: Timestamp) -> String {
    at.strftime("%Y%m%dT%H%M%SZ").to_string()
}

pub(crate) fn parse_time_label(s: &str) -> Option<Timestamp> {
    jiff::civil::DateTime::strptime("%Y%m%dT%H%M%SZ", s).ok()?.in_tz("UTC").ok().map(|z| z.timestamp())
}

/// Why a backup was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum BackupKind {
    /// The first start of a day.
    Daily,
    /// Closing the app after changes.
    Quit,
    /// Asked for.
    Manual,
}

impl BackupKind {
    fn word(self) -> &'static str {
        match self {
            BackupKind::Daily => "daily",
            BackupKind::Quit => "quit",
            BackupKind::Manual => "manual",
        }
    }

    fn from_word(s: &str) -> Option<BackupKind> {
        [BackupKind::Daily, BackupKind::Quit, BackupKind::Manual].into_iter().find(|k| k.word() == s)
    }
}

/// What a backup's file name says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BackupName {
    pub taken_at: Timestamp,
    pub kind: BackupKind,
    pub records: usize,
    /// The store's change number when it was taken.
    pub seq: u64,
}

impl BackupName {
    pub(crate) fn file_name(&self) -> String {
        format!(
            "vinculo-{}-{}-{}-{}.json.gz",
            time_label(self.taken_at),
            self.kind.word(),
            self.records,
            self.seq
        )
    }

    pub(crate) fn parse(name: &str) -> Option<BackupName> {
        let rest = name.strip_prefix("vinculo-")?.strip_suffix(".json.gz")?;
        let mut parts = rest.split('-');
        let taken_at = parse_time_label(parts.next()?)?;
        let kind = BackupKind::from_word(parts.next()?)?;
        let records = parts.next()?.parse().ok()?;
        let seq = parts.next()?.parse().ok()?;
        parts.next().is_none().then_some(BackupName { taken_at, kind, records, seq })
    }
}

/// Whether there is a store under `root` (plain or encrypted), or only, at most, settings.
pub fn has_store(root: &Path) -> bool {
    root.join(STORE_DIR).exists() || root.join(KEYS_FILE).exists()
}

/// Where the backups of the store under `root` are.
pub fn backup_dir(root: &Path) -> PathBuf {
    root.join(BACKUP_DIR)
}

/// The backups under `root`, as their names say, in no particular order.
pub(crate) fn backups_on_disk(root: &Path) -> Vec<(BackupName, std::fs::DirEntry)> {
    std::fs::read_dir(backup_dir(root))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter_map(|e| Some((BackupName::parse(e.file_name().to_str()?)?, e)))
        .collect()
}

/// The highest change number anything beside the store under `root` remembers: `store.seq`
/// and the backups (each taken after its change number was durable). A store that opens
/// below it lost changes; a store swapped in starts above it.
pub(crate) fn remembered_seq(root: &Path) -> Option<u64> {
    let backups = backups_on_disk(root).into_iter().map(|(b, _)| b.seq).max();
    read_seq_file(root).into_iter().chain(backups).max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backup_names_say_when_why_and_how_many() {
        let at: Timestamp = "2026-11-25T11:30:05Z".parse().expect("a time");
        let name = BackupName { taken_at: at, kind: BackupKind::Quit, records: 178, seq: 42 };
        assert_eq!(name.file_name(), "vinculo-20261125T113005Z-quit-178-42.json.gz");
        assert_eq!(BackupName::parse(&name.file_name()), Some(name));
        assert_eq!(BackupName::parse("vinculo-x-quit-1.json.gz"), None);
        assert_eq!(BackupName::parse("notes.txt"), None);
    }
}
