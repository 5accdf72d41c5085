//! The audit log (*bitácora*): `<root>/audit.log`, one entry per record a change touched and
//! per export, import, backup, restore, lock and unlock, append-only and hash-chained (each
//! entry holds the BLAKE2b-256 hash of the entry before it), sealed like the records in an
//! encrypted store. An entry names a record by its id and a change by the names of the fields
//! it changed: no value of a field is copied in, so deleting a person for good leaves nothing
//! of them here.
//!
//! The file lies beside the store, not in it: a restore, or starting afresh after damage, puts
//! another store in place, and the log goes on. It is written with the change it records: its
//! entries travel in the change's entry of the write-ahead log (as writes to a tree numbered
//! [`AUDIT_TREE`] that sled does not have), are appended to the file once sled has the change,
//! and the file is synced when sled is (a checkpoint); opening appends what the log holds and
//! the file lacks, so an entry is durable exactly when its change is. Events that change no
//! record are appended and synced at once. The format is in `docs/audit-log.md`.

use super::codec::{decode, encode};
use super::files::AUDIT_FILE;
use crate::crypto::DataKey;
use crate::error::{Error, Result};
use crate::model::{AnyRecord, Id};
use blake2::Digest;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The tree number an entry of the audit log goes under in the write-ahead log.
pub(super) const AUDIT_TREE: u8 = 7;
/// The file's first bytes: the format and its version.
const MAGIC: &[u8; 8] = b"VNCAUD01";
/// A frame: its body's length, the entry's number, the body, the length again (so that the
/// last frame is found from the end).
const FRAME_HEAD: usize = 4 + 8;
const FRAME_TAIL: usize = 4;
/// The longest body a frame may say it has (an entry is a few hundred bytes).
const MAX_BODY: usize = 1 << 20;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AuditEvent {
    Created,
    Updated,
    Deleted,
    /// A person's data removed for good from the store's files, backups and stores set aside.
    Erased,
    Imported,
    Exported,
    SampleLoaded,
    BackupTaken,
    Restored,
    StartedAfresh,
    Locked,
    Unlocked,
    Encrypted,
    PassphraseChanged,
    BriefingExported,
    /// The *informe del titular* of a person, exported for an access request.
    TitularReport,
    /// A document's file written in the clear and handed to the system's program for it.
    DocumentOpened,
}

impl AuditEvent {
    pub const ALL: [AuditEvent; 17] = [
        AuditEvent::Created,
        AuditEvent::Updated,
        AuditEvent::Deleted,
        AuditEvent::Erased,
        AuditEvent::Imported,
        AuditEvent::Exported,
        AuditEvent::SampleLoaded,
        AuditEvent::BackupTaken,
        AuditEvent::Restored,
        AuditEvent::StartedAfresh,
        AuditEvent::Locked,
        AuditEvent::Unlocked,
        AuditEvent::Encrypted,
        AuditEvent::PassphraseChanged,
        AuditEvent::BriefingExported,
        AuditEvent::TitularReport,
        AuditEvent::DocumentOpened,
    ];
}

/// An event to log: what happened, to which record, and how many records or which backup.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Event {
    pub record: Option<Id>,
    pub fields: Vec<String>,
    pub count: Option<u64>,
    /// A backup's or a format's name, or the laptop a colleague's change came from: never a
    /// person's data.
    pub detail: String,
    /// Who made it, when not this laptop's user (a colleague's change).
    pub who: Option<String>,
}

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    /// Its number: 1, 2, 3… with no gap.
    pub n: u64,
    pub at: Timestamp,
    /// The laptop's user name, as set in the settings.
    pub who: String,
    pub event: AuditEvent,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<Id>,
    /// The names of the fields a change set or changed (never their values).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
    /// The hash of the entry before, in hex (empty for the first).
    pub prev: String,
}

impl AuditEntry {
    /// The hash the next entry holds: BLAKE2b-256 of this one's JSON.
    pub fn hash(&self) -> String {
        let json = serde_json::to_vec(self).expect("an entry serializes");
        let digest = blake2::Blake2b::<blake2::digest::consts::U32>::digest(&json);
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Whether the chain holds: every entry in order, each holding the hash of the one before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verification {
    pub entries: u64,
    pub intact: bool,
    /// The first entry that does not follow (missing, damaged, out of order or altered).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub broken_at: Option<u64>,
}

/// The chain as far as it has been read: how many entries, the first that does not follow,
/// and the hash the next one must hold. The full read and the index both follow it.
#[derive(Debug, Default)]
struct Chain {
    entries: u64,
    broken_at: Option<u64>,
    prev: String,
}

impl Chain {
    /// Takes the next frame (number `n`, `body`): its entry if it opens, the chain checked.
    fn take(&mut self, key: Option<&DataKey>, n: u64, body: &[u8]) -> Option<AuditEntry> {
        self.entries += 1;
        let expected = self.entries;
        match decode::<AuditEntry>(key, &bound_to(n), body) {
            Ok(entry) => {
                if entry.n != expected || n != expected || entry.prev != self.prev {
                    self.broken_at.get_or_insert(expected);
                }
                self.prev = entry.hash();
                Some(entry)
            }
            Err(_) => {
                self.broken_at.get_or_insert(expected);
                self.prev = String::new();
                None
            }
        }
    }

    /// Bytes after the last whole frame (from `end`): damage, unless a crash cut the last
    /// entry short (one never acknowledged, or one the write-ahead log gives back).
    fn tail(&mut self, bytes: &[u8], end: usize) {
        if bytes.len() > end && !torn_tail(bytes, end) {
            self.broken_at.get_or_insert(self.entries + 1);
        }
    }

    fn verification(&self) -> Verification {
        Verification { entries: self.entries, intact: self.broken_at.is_none(), broken_at: self.broken_at }
    }
}

/// The associated data an entry is sealed with: its number, so an entry cannot be moved.
fn bound_to(n: u64) -> [u8; 14] {
    let mut ad = *b"audit:\0\0\0\0\0\0\0\0";
    ad[6..].copy_from_slice(&n.to_be_bytes());
    ad
}

/// An entry's body, as the file and the write-ahead log hold it.
fn body(key: Option<&DataKey>, entry: &AuditEntry) -> Vec<u8> {
    encode(key, &bound_to(entry.n), entry)
}

fn frame(n: u64, body: &[u8]) -> Vec<u8> {
    let len = (body.len() as u32).to_le_bytes();
    let mut out = Vec::with_capacity(FRAME_HEAD + body.len() + FRAME_TAIL);
    out.extend_from_slice(&len);
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(body);
    out.extend_from_slice(&len);
    out
}

/// The frames of a file's bytes after its magic, in order, as (number, body, end offset);
/// stops at the first that is cut short or malformed (an empty body, a length that does not
/// repeat, a number out of sequence).
fn frames(bytes: &[u8]) -> Vec<(u64, &[u8], usize)> {
    let mut out = Vec::new();
    let mut at = MAGIC.len();
    while let Some(head) = bytes.get(at..at + FRAME_HEAD) {
        let len = u32::from_le_bytes(head[..4].try_into().expect("4 bytes")) as usize;
        let n = u64::from_le_bytes(head[4..].try_into().expect("8 bytes"));
        let end = at + FRAME_HEAD + len + FRAME_TAIL;
        let Some(tail) = bytes.get(end - FRAME_TAIL..end).filter(|_| (1..=MAX_BODY).contains(&len)) else {
            break;
        };
        if tail != &head[..4] || out.last().is_some_and(|&(last, _, _)| n != last + 1) {
            break;
        }
        out.push((n, &bytes[at + FRAME_HEAD..end - FRAME_TAIL], end));
        at = end;
    }
    out
}

/// Whether the bytes after the last whole frame (from `end`) are what a crash leaves: a frame
/// that runs past the end of the file, or zeros (space the file system gave and nothing
/// wrote). Anything else is damage, kept and reported.
fn torn_tail(bytes: &[u8], end: usize) -> bool {
    let rest = &bytes[end..];
    let runs_past = match rest.get(..4) {
        Some(len) => {
            end + FRAME_HEAD + u32::from_le_bytes(len.try_into().expect("4 bytes")) as usize + FRAME_TAIL
                > bytes.len()
        }
        None => true,
    };
    runs_past || rest.iter().all(|&b| b == 0)
}

/// The audit log of a store, as its writer holds it.
#[derive(Debug)]
pub(crate) struct AuditLog {
    path: PathBuf,
    /// Open for appending once the log has been read (on the first entry written).
    file: Option<File>,
    /// The number and hash of the last entry.
    head: (u64, String),
    /// Where the last whole frame ends: a failed append is cut back to it.
    end: u64,
    /// Entries appended since the file was last synced.
    unsynced: bool,
    /// Who the entries name.
    pub(super) who: String,
}

impl AuditLog {
    pub(super) fn new(root: &Path) -> AuditLog {
        AuditLog {
            path: root.join(AUDIT_FILE),
            file: None,
            head: (0, String::new()),
            end: MAGIC.len() as u64,
            unsynced: false,
            who: String::new(),
        }
    }

    /// Opens the file for appending, made if missing; a tail cut short by a crash (an entry
    /// written but not synced, whose change the write-ahead log still holds) is cut off.
    fn open(&mut self, key: Option<&DataKey>) -> Result<&mut File> {
        if self.file.is_none() {
            let mut file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&self.path)?;
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes)?;
            if bytes.len() < MAGIC.len() {
                file.set_len(0)?;
                file.write_all(MAGIC)?;
                file.sync_all()?;
                crate::fsio::sync_dir(self.path.parent().expect("a file in a folder"))?;
                self.head = (0, String::new());
                self.end = MAGIC.len() as u64;
            } else {
                if &bytes[..MAGIC.len()] != MAGIC {
                    return Err(Error::Corrupt { detail: "audit.log is not an audit log".into() });
                }
                let frames = frames(&bytes);
                let end = frames.last().map_or(MAGIC.len(), |f| f.2);
                self.head = match frames.last() {
                    None => (0, String::new()),
                    Some(&(n, body, _)) => {
                        // One that does not open leaves a head no entry after it matches: the
                        // chain shows the break.
                        let hash = decode::<AuditEntry>(key, &bound_to(n), body).map(|e| e.hash());
                        (n, hash.unwrap_or_default())
                    }
                };
                // A tail a crash cut short goes; damage stays for the chain to show (new
                // entries go after it, where a reader stops at the damage).
                if end < bytes.len() && torn_tail(&bytes, end) {
                    file.set_len(end as u64)?;
                    self.end = end as u64;
                } else {
                    self.end = bytes.len() as u64;
                }
            }
            file.seek(SeekFrom::End(0))?;
            self.file = Some(file);
        }
        Ok(self.file.as_mut().expect("opened above"))
    }

    /// The entries for `events` (in order), chained after the last one, and their bodies; not
    /// written yet. No events, no file opened.
    pub(super) fn prepare(
        &mut self,
        key: Option<&DataKey>,
        at: Timestamp,
        events: Vec<(AuditEvent, Event)>,
    ) -> Result<(Vec<AuditEntry>, Vec<Vec<u8>>)> {
        if events.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        self.open(key)?;
        let (mut n, mut prev) = self.head.clone();
        let mut out = Vec::with_capacity(events.len());
        for (event, e) in events {
            n += 1;
            let entry = AuditEntry {
                n,
                at,
                who: e.who.unwrap_or_else(|| self.who.clone()),
                event,
                record: e.record,
                fields: e.fields,
                count: e.count,
                detail: e.detail,
                prev,
            };
            prev = entry.hash();
            out.push(entry);
        }
        let bodies = out.iter().map(|e| body(key, e)).collect();
        Ok((out, bodies))
    }

    /// Appends entries made by [`AuditLog::prepare`] (their bodies), not synced: the change
    /// they record is durable in the write-ahead log, which holds them too.
    pub(super) fn append(&mut self, entries: &[AuditEntry], bodies: &[Vec<u8>]) -> Result<()> {
        let Some(last) = entries.last() else { return Ok(()) };
        let numbered: Vec<(u64, &[u8])> =
            entries.iter().zip(bodies).map(|(e, b)| (e.n, b.as_slice())).collect();
        self.write_frames(&numbered, (last.n, last.hash()))
    }

    /// Writes `frames` (number, body) after the last whole one; cut back to it when the write
    /// fails (a full disk), so that no half frame is left for later ones to follow.
    fn write_frames(&mut self, frames: &[(u64, &[u8])], head: (u64, String)) -> Result<()> {
        let mut bytes = Vec::new();
        for (n, body) in frames {
            bytes.extend(frame(*n, body));
        }
        let end = self.end;
        let file = self.file.as_mut().expect("opened first");
        if let Err(e) = file.write_all(&bytes) {
            let _ = file.set_len(end).and_then(|()| file.seek(SeekFrom::End(0)).map(drop));
            return Err(e.into());
        }
        self.end += bytes.len() as u64;
        self.head = head;
        self.unsynced = true;
        Ok(())
    }

    /// Makes what was appended durable.
    pub(super) fn sync(&mut self) -> Result<()> {
        if self.unsynced
            && let Some(file) = &self.file
        {
            file.sync_data()?;
            self.unsynced = false;
        }
        Ok(())
    }

    /// Appends, after opening, the entries the write-ahead log holds that the file lacks
    /// (`logged`: number and body, in the log's order), and syncs them.
    pub(super) fn recover(&mut self, key: Option<&DataKey>, logged: &[(u64, Vec<u8>)]) -> Result<()> {
        if logged.is_empty() {
            return Ok(());
        }
        self.open(key)?;
        let head = self.head.0;
        let missing: Vec<(u64, &[u8])> =
            logged.iter().filter(|(n, _)| *n > head).map(|(n, b)| (*n, b.as_slice())).collect();
        let Some(&(n, body)) = missing.last() else { return Ok(()) };
        let hash = decode::<AuditEntry>(key, &bound_to(n), body).map(|e| e.hash()).unwrap_or_default();
        self.write_frames(&missing, (n, hash))?;
        self.sync()
    }

    /// How long the file is: what a reader may read while entries are appended after it.
    pub(super) fn written(&self) -> u64 {
        if self.file.is_some() { self.end } else { u64::MAX }
    }
}

/// Every entry of the audit log under `root` that opens with `key`, in order, and whether
/// the chain holds; of the file's first `upto` bytes (what was whole when the read began).
pub(crate) fn read(root: &Path, key: Option<&DataKey>, upto: u64) -> Result<(Vec<AuditEntry>, Verification)> {
    let mut bytes = match std::fs::read(root.join(AUDIT_FILE)) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    bytes.truncate(usize::try_from(upto).unwrap_or(usize::MAX));
    let mut chain = Chain::default();
    if !bytes.is_empty() && !bytes.starts_with(MAGIC) {
        chain.broken_at = Some(1);
        return Ok((Vec::new(), chain.verification()));
    }
    let frames = frames(&bytes);
    let entries = frames.iter().filter_map(|&(n, body, _)| chain.take(key, n, body)).collect();
    chain.tail(&bytes, frames.last().map_or(MAGIC.len(), |f| f.2));
    let verification = chain.verification();
    Ok((entries, verification))
}

/// Rewrites the audit log under `root` sealed with `to` (a store being encrypted), atomically;
/// the chain is of the entries, not of their bytes, and holds as it did.
pub(crate) fn reseal(root: &Path, from: Option<&DataKey>, to: Option<&DataKey>) -> Result<()> {
    let path = root.join(AUDIT_FILE);
    if !path.exists() {
        return Ok(());
    }
    let (entries, _) = read(root, from, u64::MAX)?;
    let mut bytes = MAGIC.to_vec();
    for entry in &entries {
        bytes.extend(frame(entry.n, &body(to, entry)));
    }
    crate::fsio::write_atomically(&path, &bytes)
}

/// Whether the audit log under `root` holds entries sealed for an encrypted store (its first
/// entry's format byte); `None` when it holds none.
pub(crate) fn is_sealed(root: &Path) -> Option<bool> {
    let mut head = [0u8; MAGIC.len() + FRAME_HEAD + 1];
    let mut file = File::open(root.join(AUDIT_FILE)).ok()?;
    file.read_exact(&mut head).ok()?;
    (&head[..MAGIC.len()] == MAGIC).then(|| head[head.len() - 1] == super::codec::FORMAT_SEALED)
}

/// The names of the fields `new` sets (when `old` is `None`) or changes, as its JSON names
/// them; what every save stamps (revision, times) is left out.
pub(crate) fn changed_fields(old: Option<&AnyRecord>, new: &AnyRecord) -> Vec<String> {
    const STAMPS: [&str; 5] = ["id", "revision", "createdAt", "updatedAt", "sample"];
    let object = |r: &AnyRecord| match crate::model::each_record!(r, x => serde_json::to_value(x)) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    let new = object(new);
    let old = old.map(object);
    // A flag is always named, set or not: naming it only when set would tell its value.
    let empty = |v: &serde_json::Value| match v {
        serde_json::Value::Null => true,
        serde_json::Value::String(s) => s.is_empty(),
        serde_json::Value::Array(a) => a.is_empty(),
        _ => false,
    };
    new.iter()
        .filter(|(k, _)| !STAMPS.contains(&k.as_str()))
        .filter(|(k, v)| match &old {
            None => !empty(v),
            Some(old) => old.get(*k).is_none_or(|o| o != *v),
        })
        .map(|(k, _)| k.clone())
        .collect()
}

/// What the screens filter the audit log by, for each entry, and where its frame lies: kept
/// in memory once the log has been read, and extended with what was appended since, so that
/// a record's history or a page of the log decodes only the entries it shows.
#[derive(Debug, Default)]
pub(crate) struct Index {
    metas: Vec<Meta>,
    /// The records the entries name, each once.
    ids: Vec<Id>,
    slots: std::collections::HashMap<Id, u32>,
    chain: Chain,
    /// Where the frames read end (after the magic, at first).
    upto: usize,
}

#[derive(Debug, Clone, Copy)]
struct Meta {
    /// Where its frame starts in the file.
    offset: u64,
    at: Timestamp,
    event: AuditEvent,
    record: Option<u32>,
}

/// The entries the index admits, as [`Index::select`] gives them.
pub(crate) struct Selected {
    pub matched: usize,
    /// Newest first, each with whether the record it names was erased for good later.
    pub entries: Vec<(AuditEntry, bool)>,
    pub verification: Verification,
}

impl Index {
    /// Reads what the file under `root` holds past what is indexed, up to `upto` bytes.
    pub(crate) fn extend(&mut self, root: &Path, key: Option<&DataKey>, upto: u64) -> Result<()> {
        let mut file = match File::open(root.join(AUDIT_FILE)) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e.into()),
        };
        let len = file.metadata()?.len().min(upto) as usize;
        if self.upto == 0 {
            let mut magic = [0u8; MAGIC.len()];
            if len < MAGIC.len() {
                return Ok(());
            }
            file.read_exact(&mut magic)?;
            if &magic != MAGIC {
                self.chain.broken_at = Some(1);
                self.upto = len;
                return Ok(());
            }
            self.upto = MAGIC.len();
        }
        if len <= self.upto {
            return Ok(());
        }
        // The new bytes, behind a stand-in magic so that `frames` reads them from its start.
        let mut bytes = MAGIC.to_vec();
        bytes.resize(MAGIC.len() + len - self.upto, 0);
        file.seek(SeekFrom::Start(self.upto as u64))?;
        file.read_exact(&mut bytes[MAGIC.len()..])?;
        let base = self.upto - MAGIC.len();
        let mut found = frames(&bytes);
        // Numbers go on from what was read before.
        if found.first().is_some_and(|&(n, _, _)| n != self.chain.entries + 1) {
            found.clear();
        }
        let mut frame_at = MAGIC.len();
        for &(n, body, end) in &found {
            if let Some(entry) = self.chain.take(key, n, body) {
                let record = entry.record.map(|id| match self.slots.get(&id) {
                    Some(&slot) => slot,
                    None => {
                        self.ids.push(id.clone());
                        self.slots.insert(id, self.ids.len() as u32 - 1);
                        self.ids.len() as u32 - 1
                    }
                });
                let offset = (base + frame_at) as u64;
                self.metas.push(Meta { offset, at: entry.at, event: entry.event, record });
            }
            frame_at = end;
        }
        let end = found.last().map_or(MAGIC.len(), |f| f.2);
        self.chain.tail(&bytes, end);
        // Past damage nothing more reads: what follows it is not indexed, and the break stays.
        self.upto =
            if self.chain.broken_at.is_some() && bytes.len() > end { base + bytes.len() } else { base + end };
        Ok(())
    }

    /// The entries `admits(at, event, record)` lets through, newest first, at most `limit`
    /// of them read back from the file.
    pub(crate) fn select(
        &self,
        root: &Path,
        key: Option<&DataKey>,
        limit: usize,
        admits: impl Fn(Timestamp, AuditEvent, Option<&Id>) -> bool,
    ) -> Result<Selected> {
        let erased: std::collections::HashSet<u32> =
            self.metas.iter().filter(|m| m.event == AuditEvent::Erased).filter_map(|m| m.record).collect();
        let mut matched = 0;
        let mut offsets = Vec::new();
        for m in self.metas.iter().rev() {
            if admits(m.at, m.event, m.record.map(|slot| &self.ids[slot as usize])) {
                matched += 1;
                if offsets.len() < limit {
                    offsets.push((m.offset, m.record.is_some_and(|slot| erased.contains(&slot))));
                }
            }
        }
        let mut entries = Vec::with_capacity(offsets.len());
        if !offsets.is_empty() {
            let mut file = File::open(root.join(AUDIT_FILE))?;
            for (offset, erased) in offsets {
                let mut head = [0u8; FRAME_HEAD];
                file.seek(SeekFrom::Start(offset))?;
                file.read_exact(&mut head)?;
                let len = u32::from_le_bytes(head[..4].try_into().expect("4 bytes")) as usize;
                let n = u64::from_le_bytes(head[4..].try_into().expect("8 bytes"));
                let mut body = vec![0u8; len];
                file.read_exact(&mut body)?;
                // Indexed from these very bytes: one that no longer opens was changed since.
                let entry = decode::<AuditEntry>(key, &bound_to(n), &body)
                    .map_err(|_| Error::Corrupt { detail: "audit.log changed while open".into() })?;
                entries.push((entry, erased));
            }
        }
        Ok(Selected { matched, entries, verification: self.chain.verification() })
    }
}
