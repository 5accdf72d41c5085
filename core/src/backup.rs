//! Backups beside the store, and putting one back.
//!
//! A backup is an [`Export`] of the whole store taken while writes wait, gzip-compressed into
//! `<root>/backups/vinculo-<UTC time>-<kind>-<records>-<change number>.json.gz`. It is written to a temporary
//! file, read back and compared record by record (checksums) with what was taken, and only
//! then renamed into place: a backup under its final name has been verified.
//!
//! Restoring a backup builds the new store beside the current one (a store set aside earlier
//! is used where it lies), sets the current one aside under `<root>/set-aside/<UTC time>/` and
//! moves the new one in. A marker file makes the swap complete after a crash
//! ([`complete_interrupted_swap`], which [`Store::open`] runs first).

use crate::error::{Error, Result};
use crate::exchange::Export;
use crate::store::{STORE_FILES, Store, write_atomically, write_atomically_checked};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

const BACKUP_DIR: &str = "backups";
pub const ASIDE_DIR: &str = "set-aside";
const BUILDING_DIR: &str = ".incoming";
const SWAP_MARKER: &str = "swap.json";

/// How many days, and then weeks, of backups are kept (the newest of each).
pub const KEEP_DAYS: usize = 7;
pub const KEEP_WEEKS: usize = 4;

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

/// What the store remembers of its last backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LastBackup {
    pub name: String,
    pub taken_at: Timestamp,
    /// The store's change number when it was taken.
    pub seq: u64,
}

/// A store set aside by a restore (or by starting afresh after damage), which can be put back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetAside {
    pub name: String,
    pub set_aside_at: Timestamp,
}

fn stamp(at: Timestamp) -> String {
    at.strftime("%Y%m%dT%H%M%SZ").to_string()
}

fn parse_stamp(s: &str) -> Option<Timestamp> {
    jiff::civil::DateTime::strptime("%Y%m%dT%H%M%SZ", s).ok()?.in_tz("UTC").ok().map(|z| z.timestamp())
}

fn backup_name(at: Timestamp, kind: BackupKind, records: usize, seq: u64) -> String {
    format!("vinculo-{}-{}-{records}-{seq}.json.gz", stamp(at), kind.word())
}

fn parse_backup_name(name: &str) -> Option<(Timestamp, BackupKind, usize, u64)> {
    let rest = name.strip_prefix("vinculo-")?.strip_suffix(".json.gz")?;
    let mut parts = rest.split('-');
    let at = parse_stamp(parts.next()?)?;
    let kind = BackupKind::from_word(parts.next()?)?;
    let records = parts.next()?.parse().ok()?;
    let seq = parts.next()?.parse().ok()?;
    parts.next().is_none().then_some((at, kind, records, seq))
}

/// Where the backups of the store under `root` are.
pub fn backup_dir(root: &Path) -> PathBuf {
    root.join(BACKUP_DIR)
}

/// The highest change number anything beside the store under `root` remembers: `store.seq`
/// and the backups (each taken after its change number was durable). A store that opens
/// below it lost changes; a store swapped in starts above it.
pub(crate) fn remembered_seq(root: &Path) -> Option<u64> {
    let file = crate::store::read_seq_file(&root.join(crate::store::SEQ_FILE));
    let backups = list_backups(root).into_iter().map(|b| b.seq).max();
    file.into_iter().chain(backups).max()
}

fn seq_floor(root: &Path) -> u64 {
    remembered_seq(root).unwrap_or(0)
}

/// The backups of the store under `root`, newest first.
pub fn list_backups(root: &Path) -> Vec<Backup> {
    let mut out: Vec<Backup> = std::fs::read_dir(backup_dir(root))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_owned();
            let (taken_at, kind, records, seq) = parse_backup_name(&name)?;
            let bytes = e.metadata().ok()?.len();
            Some(Backup { name, taken_at, kind, records, seq, bytes })
        })
        .collect();
    out.sort_by(|a, b| (b.taken_at, &b.name).cmp(&(a.taken_at, &a.name)));
    out
}

/// Reads a backup file back into the export it holds; a damaged one is refused as
/// [`Code::DamagedBackup`](crate::error::Code::DamagedBackup).
pub fn read_backup(path: &Path) -> Result<Export> {
    let damaged = || Error::invalid("backup", crate::error::Code::DamagedBackup);
    let file = std::fs::File::open(path)?;
    let mut json = Vec::new();
    flate2::read::GzDecoder::new(file).read_to_end(&mut json).map_err(|_| damaged())?;
    Export::parse(&json).map_err(|_| damaged())
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
        let date = crate::views::office_today(b.taken_at);
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

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).expect("writing to memory");
    enc.finish().expect("writing to memory")
}

impl Store {
    /// Whether a backup of `kind` is due: a daily one when the store has records and none was
    /// taken on the office's day of `now`; one on quit when something changed since the last.
    pub fn backup_due(&self, kind: BackupKind, now: Timestamp) -> bool {
        let today = crate::views::office_today(now);
        match kind {
            BackupKind::Daily => {
                !self.is_empty()
                    && self.last_backup().is_none_or(|b| crate::views::office_today(b.taken_at) < today)
            }
            BackupKind::Quit => !self.is_empty() && self.changed_since_backup(),
            BackupKind::Manual => true,
        }
    }

    /// Takes a verified backup into the store's backups folder (see the module's description)
    /// and remembers it.
    pub fn backup(&self, kind: BackupKind, now: Timestamp) -> Result<Backup> {
        let (snapshot, seq) = self.snapshot(now)?;
        let name = backup_name(now, kind, snapshot.len(), seq);
        let body = gzip(&snapshot.to_json());
        write_atomically_checked(&backup_dir(self.root()).join(&name), &body, |written| {
            // Read back from disk, not from memory.
            let back = read_backup(written)
                .map_err(|_| Error::Corrupt { detail: "a backup read back does not parse".into() })?;
            if back.checksums() != snapshot.checksums() {
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
            let at = parse_stamp(name.split('-').next()?)?;
            e.path().join("store").is_dir().then_some(SetAside { name, set_aside_at: at })
        })
        .collect();
    out.sort_by(|a, b| b.name.cmp(&a.name));
    out
}

#[derive(Debug, Serialize, Deserialize)]
struct SwapMarker {
    /// Where the incoming store is, relative to the root: the building directory, or the
    /// place a set-aside store lies.
    from: String,
    /// Where the store being replaced goes (empty when there is none).
    aside: String,
    /// The files the incoming store has.
    incoming: Vec<String>,
}

/// A single, visible path component (a name from a list, never a path).
fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && !name.contains(['/', '\\']) && !name.starts_with('.')
}

/// An empty building directory under `root`, for a store to be swapped in.
fn fresh_building_dir(root: &Path) -> Result<PathBuf> {
    let building = root.join(BUILDING_DIR);
    if building.exists() {
        std::fs::remove_dir_all(&building)?;
    }
    Ok(building)
}

/// Replaces the store under `root` (closed) with the records of its backup `name` (one
/// [`list_backups`] lists). The current store, if any, is set aside first; returns the name it
/// was set aside under.
pub fn restore_backup(root: &Path, name: &str, now: Timestamp) -> Result<Option<String>> {
    complete_interrupted_swap(root)?;
    let path = backup_dir(root).join(name);
    let parsed = parse_backup_name(name).filter(|_| is_plain_name(name) && path.is_file());
    let Some((taken_at, ..)) = parsed else {
        return Err(Error::invalid("name", crate::error::Code::InvalidChoice));
    };
    let export = read_backup(&path)?;
    let store = Store::open(&fresh_building_dir(root)?)?;
    store.insert_batch(export.records())?;
    // It holds what the backup holds: nothing has changed since that backup.
    store.raise_seq(seq_floor(root) + 1)?;
    store.remember_backup(&LastBackup { name: name.to_owned(), taken_at, seq: store.seq() })?;
    swap_in(root, store, BUILDING_DIR, now)
}

/// Puts back the store set aside as `name`, setting the current one aside in its turn.
pub fn restore_set_aside(root: &Path, name: &str, now: Timestamp) -> Result<Option<String>> {
    complete_interrupted_swap(root)?;
    if !is_plain_name(name) || !root.join(ASIDE_DIR).join(name).join("store").is_dir() {
        return Err(Error::invalid("name", crate::error::Code::InvalidChoice));
    }
    // Opened where it lies: one that does not open (damaged) stays set aside, untouched.
    let from = format!("{ASIDE_DIR}/{name}");
    let store = Store::open(&root.join(&from))?;
    swap_in(root, store, &from, now)
}

/// Sets the store under `root` (closed) aside, so that the next open starts an empty one.
pub fn set_aside(root: &Path, now: Timestamp) -> Result<Option<String>> {
    complete_interrupted_swap(root)?;
    // A real, empty store.
    let store = Store::open(&fresh_building_dir(root)?)?;
    swap_in(root, store, BUILDING_DIR, now)
}

/// Sets the current store aside and moves `store`, open at `from` (relative to `root`), into
/// its place, closed, with its change number above everything remembered beside `root` (so it
/// is never mistaken for one that lost changes). The marker written first lets
/// [`complete_interrupted_swap`] finish the job after a crash.
fn swap_in(root: &Path, store: Store, from: &str, now: Timestamp) -> Result<Option<String>> {
    store.raise_seq(seq_floor(root) + 1)?;
    store.close()?;
    let incoming = root.join(from);
    let has_current = STORE_FILES.iter().any(|f| root.join(f).exists());
    let aside = if has_current { Some(unique_aside_name(root, now)) } else { None };
    let marker = SwapMarker {
        from: from.to_owned(),
        aside: aside.clone().unwrap_or_default(),
        incoming: STORE_FILES.iter().filter(|f| incoming.join(f).exists()).map(|f| f.to_string()).collect(),
    };
    write_atomically(&root.join(SWAP_MARKER), &serde_json::to_vec(&marker).expect("serializes"))?;
    complete_interrupted_swap(root)?;
    Ok(aside)
}

fn unique_aside_name(root: &Path, now: Timestamp) -> String {
    let base = stamp(now);
    let mut name = base.clone();
    let mut n = 1;
    while root.join(ASIDE_DIR).join(&name).exists() {
        n += 1;
        name = format!("{base}-{n}");
    }
    name
}

/// Finishes a swap a crash interrupted (nothing to do without the marker). File by file: the
/// current one goes aside and the incoming one takes its place; a file already moved is not
/// moved again, so running this any number of times ends in the same place.
pub fn complete_interrupted_swap(root: &Path) -> Result<()> {
    let marker_path = root.join(SWAP_MARKER);
    let Ok(bytes) = std::fs::read(&marker_path) else { return Ok(()) };
    let marker: SwapMarker = serde_json::from_slice(&bytes)
        .map_err(|_| Error::Corrupt { detail: "the swap marker is unreadable".into() })?;
    let from_ok = marker.from == BUILDING_DIR
        || marker.from.strip_prefix(&format!("{ASIDE_DIR}/")).is_some_and(is_plain_name);
    if !from_ok || !(marker.aside.is_empty() || is_plain_name(&marker.aside)) {
        return Err(Error::Corrupt { detail: "the swap marker names a place outside the store".into() });
    }
    let incoming = root.join(&marker.from);
    let aside = root.join(ASIDE_DIR).join(&marker.aside);
    let set_aside = |f: &str| -> Result<()> {
        if marker.aside.is_empty() {
            return Err(Error::Corrupt { detail: "a swap with no place to set the store aside".into() });
        }
        std::fs::create_dir_all(&aside)?;
        std::fs::rename(root.join(f), aside.join(f))?;
        Ok(())
    };
    for f in STORE_FILES {
        if marker.incoming.iter().any(|i| i == f) {
            // Not swapped yet while the incoming file is still waiting.
            if incoming.join(f).exists() {
                if root.join(f).exists() {
                    set_aside(f)?;
                }
                std::fs::rename(incoming.join(f), root.join(f))?;
            }
        } else if root.join(f).exists() {
            set_aside(f)?;
        }
    }
    if !marker.aside.is_empty() && aside.exists() {
        crate::store::sync_dir(&aside)?;
    }
    crate::store::sync_dir(root)?;
    std::fs::remove_file(&marker_path)?;
    if incoming.exists() {
        std::fs::remove_dir_all(&incoming)?;
    }
    crate::store::sync_dir(root)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_say_when_why_and_how_many() {
        let at: Timestamp = "2026-11-25T11:30:05Z".parse().expect("a time");
        let name = backup_name(at, BackupKind::Quit, 178, 42);
        assert_eq!(name, "vinculo-20261125T113005Z-quit-178-42.json.gz");
        assert_eq!(parse_backup_name(&name), Some((at, BackupKind::Quit, 178, 42)));
        assert_eq!(parse_backup_name("vinculo-x-quit-1.json.gz"), None);
        assert_eq!(parse_backup_name("notes.txt"), None);
    }
}
