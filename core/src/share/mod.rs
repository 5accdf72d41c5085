//! One office, many laptops: the directory shared through a folder a sync engine (Syncthing,
//! a cloud drive) carries between them (`docs/sharing.md`). Nothing of ours runs as a server.
//!
//! Each laptop appends its changes, sealed with the office's key, to its own files under
//! `changes/<laptop>/` (one writer per file, so the sync engine never sees two laptops write
//! the same file), and applies its colleagues' in the order they were made (`seen`): a change
//! is applied once every change its laptop had applied is, so a person never arrives before
//! her organization. Applying is one store change with the cursor it moves, so a crash
//! applies a change once or not at all. How changes merge is `crate::merge`; the keys are
//! `keys.rs`; the folder's files `folder.rs`.

mod folder;
mod keys;

pub use keys::Laptop;

use crate::crypto::{DataKey, RecoveryKey, to_hex};
use crate::error::{Code, Error, Result};
use crate::merge::{self, Entry, Presence, Stamp};
use crate::model::{AnyRecord, Id, RecordRef};
use crate::store::{
    Audit, Change, Cursor, Frame, Hints, OFFICE_KEY, Origin, Store, SyncState, json_of, record_of, seal_meta,
};
use folder::OFFICE_FILE;
use keys::Secrets;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// How many of a colleague's changes are read from the folder at once.
const READ_BATCH: usize = 256;
/// How many records a laptop's first publication puts in one change.
const PUBLISH_BATCH: usize = 1000;

/// The office as this laptop sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OfficeStatus {
    pub laptop: String,
    pub name: String,
    pub folder: PathBuf,
    pub laptops: Vec<LaptopStatus>,
    /// Changes made here not yet in the folder (it was out of reach).
    pub waiting: usize,
    /// Records with a conflict or a delete to confirm.
    pub conflicts: Vec<RecordRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LaptopStatus {
    pub laptop: String,
    pub name: String,
    pub who: String,
    pub this: bool,
    pub removed: bool,
    /// How many of its changes this laptop has applied (its own: made).
    pub applied: u64,
    /// When its last change applied here was made.
    pub last_change: Option<jiff::Timestamp>,
    /// When it last went over the folder, as it last said (this laptop: its own last pass).
    pub synced: Option<jiff::Timestamp>,
}

/// What one pass over the folder did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    /// This laptop's changes appended to its file.
    pub sent: usize,
    /// Colleagues' changes applied.
    pub applied: usize,
    /// The records they changed, with who and when.
    pub incoming: Vec<Incoming>,
    /// Changes of a removed laptop made after its removal: not applied.
    pub refused: usize,
    /// Changes waiting for others they depend on, a key this laptop lacks or a document's file.
    pub waiting: usize,
    /// A colleague's changes sealed with a key this laptop was not given (it may have been
    /// removed from the office).
    pub missing_key: bool,
    /// Files of ours a sync engine copied aside (`.sync-conflict-…`): reported, never read.
    pub conflict_copies: Vec<String>,
    /// Files of changes that do not open or follow: their laptop's changes stop there.
    pub damaged: Vec<String>,
    /// The laptops of the office known after the pass (this one included).
    pub laptops: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Incoming {
    pub id: Id,
    pub who: String,
    pub at: jiff::Timestamp,
    pub deleted: bool,
}

/// Who made a change, as the record's page says it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Author {
    pub who: String,
    pub laptop: String,
    pub at: jiff::Timestamp,
    pub hlc: String,
}

/// A value that lost to a colleague's concurrent change, kept for the user to settle.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConflictView {
    pub field: String,
    pub value: Value,
    pub by: Author,
    /// Who wrote the value the record holds.
    pub current: Author,
}

/// What a record's page shows of the office's changes to it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordSharing {
    pub conflicts: Vec<ConflictView>,
    /// A colleague deleted it without having seen every change to it: kept until confirmed.
    pub deleted_by: Option<Author>,
}

#[derive(Debug, Serialize, Deserialize)]
struct OfficeFile {
    format: u32,
    office: String,
}

/// A record a colleague's change touches: its merge entry, its fields, and the record the
/// store holds now (`None`: not there, or deleted).
type TouchedRecord = (Entry, Map<String, Value>, Option<AnyRecord>);
type Touched = BTreeMap<Id, TouchedRecord>;

fn frame_bound(office: &str, laptop: &str, seq: u64) -> Vec<u8> {
    format!("vinculo-change:{office}:{laptop}:{seq}").into_bytes()
}

fn file_name_of(key: &DataKey, hash: &str) -> String {
    use blake2::digest::{Mac, consts::U32};
    let mut mac = blake2::Blake2bMac::<U32>::new_from_slice(key.bytes()).expect("a 32-byte key fits");
    mac.update(b"vinculo-shared-file:");
    mac.update(hash.as_bytes());
    format!("{}.vncf", to_hex(&mac.finalize().into_bytes()))
}

fn millis_to_time(ms: u64) -> jiff::Timestamp {
    jiff::Timestamp::from_millisecond(ms as i64).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

impl Store {
    fn secrets(&self) -> Result<Secrets> {
        let bytes = self.meta_get(OFFICE_KEY)?.ok_or_else(|| Error::invalid("sharing", Code::NotSharing))?;
        serde_json::from_slice(&bytes).map_err(|e| Error::Corrupt { detail: format!("office keys: {e}") })
    }

    fn save_secrets(&self, secrets: &Secrets) -> Result<()> {
        let bytes = serde_json::to_vec(secrets).expect("serializes");
        let sealed = seal_meta(self.data_key(), OFFICE_KEY, &bytes);
        let mut writer = self.lock_writer();
        let change = Change {
            meta: vec![(OFFICE_KEY.to_vec(), Some(sealed))],
            origin: Origin::Quiet,
            audit: Audit::Silent,
            ..Change::default()
        };
        self.commit(&mut writer, change)
    }

    /// Whether this store shares with an office.
    pub fn is_sharing(&self) -> Result<bool> {
        Ok(self.sync_state()?.is_some())
    }

    fn shareable(&self, folder: &Path) -> Result<()> {
        if self.data_key().is_none() {
            return Err(Error::invalid("sharing", Code::SharingNeedsEncryption));
        }
        if self.is_sharing()? {
            return Err(Error::invalid("sharing", Code::AlreadySharing));
        }
        if !folder.is_dir() {
            return Err(Error::invalid("folder", Code::FolderUnreachable));
        }
        Ok(())
    }

    /// Makes `folder` the office's shared folder, with this laptop (named `name`) its first
    /// member, and publishes every record of the store to it.
    pub fn create_office(&self, folder: &Path, name: &str) -> Result<OfficeStatus> {
        self.shareable(folder)?;
        if folder.join(OFFICE_FILE).exists() {
            return Err(Error::invalid("folder", Code::FolderHasOffice));
        }
        let laptop = to_hex(&crate::crypto::random_bytes::<8>());
        let office = to_hex(&crate::crypto::random_bytes::<16>());
        let key_id = keys::key_id(0, &laptop);
        let mut secrets = Secrets {
            office: office.clone(),
            folder: folder.to_owned(),
            laptop: laptop.clone(),
            name: laptop_name(name)?,
            secret: keys::new_secret(),
            keys: BTreeMap::from([(key_id.clone(), keys::new_key_hex())]),
            laptops: BTreeMap::new(),
            removed: BTreeMap::new(),
        };
        crate::fsio::write_atomically(
            &folder.join(OFFICE_FILE),
            &serde_json::to_vec_pretty(&OfficeFile { format: 1, office }).expect("serializes"),
        )?;
        let members = BTreeMap::from([(laptop.clone(), secrets.public_key())]);
        keys::write_key_file(folder, &key_id, &secrets.keys[&key_id], &members, &BTreeMap::new())?;
        self.begin_sharing(&mut secrets)
    }

    /// Joins the office whose shared folder is `folder` (already carried here by the sync
    /// engine) with the one-time `code` a colleague's laptop showed, and publishes this
    /// laptop's records to it.
    pub fn join_office(&self, folder: &Path, code: &str, name: &str) -> Result<OfficeStatus> {
        self.shareable(folder)?;
        let office: OfficeFile = std::fs::read(folder.join(OFFICE_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or_else(|| Error::invalid("folder", Code::NotAnOfficeFolder))?;
        let name = laptop_name(name)?;
        let (office_id, office_keys, invitation) = keys::accept_invite(folder, code)?;
        if office_id != office.office {
            return Err(Error::invalid("code", Code::WrongInviteCode));
        }
        let mut secrets = Secrets {
            office: office_id,
            folder: folder.to_owned(),
            laptop: to_hex(&crate::crypto::random_bytes::<8>()),
            name,
            secret: keys::new_secret(),
            keys: office_keys,
            laptops: BTreeMap::new(),
            removed: BTreeMap::new(),
        };
        let status = self.begin_sharing(&mut secrets)?;
        std::fs::remove_file(invitation)?;
        Ok(status)
    }

    fn begin_sharing(&self, secrets: &mut Secrets) -> Result<OfficeStatus> {
        let _pass = self.lock_sharing();
        let me = Laptop {
            laptop: secrets.laptop.clone(),
            name: secrets.name.clone(),
            who: self.audit_user(),
            public_key: secrets.public_key(),
            joined: jiff::Timestamp::now(),
            synced: None,
        };
        keys::write_laptop(&secrets.folder, secrets, &me)?;
        secrets.laptops.insert(me.laptop.clone(), me);
        self.save_secrets(secrets)?;
        let state = SyncState { laptop: secrets.laptop.clone(), next_seq: 1, ..SyncState::default() };
        self.set_sync_state(Some(state))?;
        // The office's records first (the same record on both sides takes the office's
        // values), then this laptop's own are published, by the pass.
        self.pass()?;
        self.office_status()
    }

    /// The records the office has not heard of from this laptop (none of its changes named
    /// them: they were here before it shared), sent whole. Resumed by the next pass if cut
    /// short.
    fn publish_unpublished(&self) -> Result<()> {
        let mut writer = self.lock_writer();
        let records: Vec<AnyRecord> = self
            .read_all()?
            .into_iter()
            .filter(|r| self.sync_entry(r.id()).is_ok_and(|e| e.is_none()))
            .collect();
        for chunk in records.chunks(PUBLISH_BATCH) {
            let change = Change {
                puts: chunk.to_vec(),
                hints: Hints { publish: true, ..Hints::default() },
                audit: Audit::Silent,
                ..Change::default()
            };
            self.commit(&mut writer, change)?;
        }
        let mut state = self.sync_state()?.ok_or_else(|| Error::invalid("sharing", Code::NotSharing))?;
        state.published = true;
        drop(writer);
        self.set_sync_state(Some(state))
    }

    /// A one-time code that lets a new laptop join the office (valid seven days). Its keys go
    /// in the folder sealed with the code; the code goes by another way (said, written).
    pub fn invite_laptop(&self) -> Result<RecoveryKey> {
        let secrets = self.secrets()?;
        keys::write_invite(&secrets.folder, &secrets)
    }

    /// Removes a laptop from the office: a new key, handed to every other member, seals the
    /// changes from now on, and the removed laptop's changes after the last one applied here
    /// are refused everywhere.
    pub fn remove_laptop(&self, laptop: &str) -> Result<OfficeStatus> {
        let _pass = self.lock_sharing();
        self.pass()?;
        let mut secrets = self.secrets()?;
        let state = self.sync_state()?.ok_or_else(|| Error::invalid("sharing", Code::NotSharing))?;
        if laptop == secrets.laptop || !secrets.laptops.contains_key(laptop) {
            return Err(Error::invalid("laptop", Code::UnknownLaptop));
        }
        let upto = state.cursors.get(laptop).map_or(0, |c| c.seq);
        secrets.removed.insert(laptop.to_owned(), upto);
        let folder = secrets.folder.clone();
        let (laptops, _) = keys::read_laptops(&folder, &secrets)?;
        let listed: BTreeSet<String> = keys::current_members(&folder, &secrets).into_iter().collect();
        let members: BTreeMap<String, String> = laptops
            .into_iter()
            .filter(|(l, fresh)| *fresh || listed.contains(&l.laptop))
            .filter(|(l, _)| !secrets.removed.contains_key(&l.laptop))
            .map(|(l, _)| (l.laptop, l.public_key))
            .collect();
        let id = keys::key_id(keys::next_generation(&secrets), &secrets.laptop);
        let key = keys::new_key_hex();
        keys::write_key_file(&folder, &id, &key, &members, &secrets.removed)?;
        secrets.keys.insert(id, key);
        let me = secrets.laptops[&secrets.laptop].clone();
        keys::write_laptop(&folder, &secrets, &me)?;
        self.save_secrets(&secrets)?;
        self.office_status()
    }

    /// One pass over the folder: this laptop's changes appended to its file, new keys and
    /// laptops read, colleagues' changes applied. Safe to run at any time, offline included
    /// (what cannot be reached waits for the next pass).
    pub fn sync_office(&self) -> Result<SyncReport> {
        let _pass = self.lock_sharing();
        self.pass()
    }

    /// [`Store::sync_office`], its caller holding the sharing's lock.
    fn pass(&self) -> Result<SyncReport> {
        let mut secrets = self.secrets()?;
        let folder = secrets.folder.clone();
        if !folder.is_dir() {
            return Err(Error::invalid("folder", Code::FolderUnreachable));
        }
        let mut report = SyncReport::default();
        report.conflict_copies.extend(keys::learn_keys(&folder, &mut secrets)?);
        let (laptops, copies) = keys::read_laptops(&folder, &secrets)?;
        report.conflict_copies.extend(copies);
        // A laptop counts once the newest key was made for it or its file is sealed with it:
        // a removed laptop, which keeps the older keys, cannot add one.
        let listed: BTreeSet<String> = keys::current_members(&folder, &secrets).into_iter().collect();
        let mut changed = false;
        for (laptop, _) in laptops.into_iter().filter(|(l, fresh)| *fresh || listed.contains(&l.laptop)) {
            if secrets.laptops.get(&laptop.laptop) != Some(&laptop) {
                secrets.laptops.insert(laptop.laptop.clone(), laptop);
                changed = true;
            }
        }
        let stored = self.secrets()?;
        if changed || stored.keys != secrets.keys || stored.removed != secrets.removed {
            self.save_secrets(&secrets)?;
        }
        self.pull(&secrets, &mut report)?;
        if !self.sync_state()?.is_some_and(|s| s.published) {
            self.publish_unpublished()?;
        }
        report.sent = self.push(&secrets)?;
        // This laptop's last sync, for its colleagues: when something moved, and now and then.
        let now = jiff::Timestamp::now();
        let me = secrets.laptops.get(&secrets.laptop).cloned();
        if let Some(mut me) = me
            && (report.sent > 0
                || report.applied > 0
                || me.synced.is_none_or(|at| now.duration_since(at) > keys::SYNCED_EVERY))
        {
            me.synced = Some(now);
            keys::write_laptop(&folder, &secrets, &me)?;
            secrets.laptops.insert(me.laptop.clone(), me);
            self.save_secrets(&secrets)?;
        }
        for laptop in secrets.laptops.keys() {
            let (_, copies) = folder::change_files(&folder, laptop)?;
            report.conflict_copies.extend(copies);
        }
        report.conflict_copies.sort();
        report.conflict_copies.dedup();
        report.laptops = secrets.laptops.len();
        Ok(report)
    }

    /// Appends the changes made here and not yet in the folder to this laptop's file, with
    /// the documents' files they name.
    fn push(&self, secrets: &Secrets) -> Result<usize> {
        let folder = &secrets.folder;
        let done = folder::last_seq(folder, &secrets.laptop)?;
        let state = self.sync_state()?.ok_or_else(|| Error::invalid("sharing", Code::NotSharing))?;
        let queued = self.outbox()?;
        // The folder has changes of this laptop its store never made (the store was put back
        // from an older copy): its changes would reuse numbers its colleagues have. Changes
        // queued and already in the file (a crash before they were forgotten) are the same.
        let behind = state.next_seq <= done
            || queued
                .iter()
                .filter(|f| f.stamp.seq <= done)
                .any(|f| self.sent_frame(secrets, f.stamp.seq).as_ref() != Some(&f.stamp));
        if behind {
            return Err(Error::invalid("sharing", Code::StoreBehindOffice));
        }
        let outbox: Vec<Frame> = queued.into_iter().filter(|f| f.stamp.seq > done).collect();
        if outbox.is_empty() {
            if done > 0 {
                self.forget_outbox(done)?;
            }
            return Ok(0);
        }
        let (key_id, key) = secrets.current();
        let mut raw = Vec::with_capacity(outbox.len());
        for frame in &outbox {
            let mut frame = frame.clone();
            // A document removed before its change went out has no file left: the change goes
            // without it (its delete follows), so that no colleague waits for it forever.
            let mut files = Vec::new();
            for hash in std::mem::take(&mut frame.files) {
                if self.put_shared_file(folder, &key, &hash)? {
                    files.push(hash);
                }
            }
            frame.files = files;
            let plain = lz4_flex::compress_prepend_size(&serde_json::to_vec(&frame).expect("serializes"));
            let sealed = key.seal(&frame_bound(&secrets.office, &secrets.laptop, frame.stamp.seq), &plain);
            raw.push((frame.stamp.seq, key_id.clone(), sealed));
        }
        folder::append_frames(folder, &secrets.laptop, &raw)?;
        let last = outbox.last().map_or(done, |f| f.stamp.seq);
        self.forget_outbox(last)?;
        Ok(outbox.len())
    }

    /// The stamp of this laptop's change `seq` as its file holds it.
    fn sent_frame(&self, secrets: &Secrets, seq: u64) -> Option<Stamp> {
        let raw = folder::read_frames(&secrets.folder, &secrets.laptop, (0, 0), usize::MAX)
            .ok()?
            .into_iter()
            .find(|r| r.seq == seq)?;
        let key = secrets.key(&raw.key_id)?;
        let plain = key.open(&frame_bound(&secrets.office, &secrets.laptop, seq), &raw.sealed).ok()?;
        let plain = lz4_flex::decompress_size_prepended(&plain).ok()?;
        serde_json::from_slice::<Frame>(&plain).ok().map(|f| f.stamp)
    }

    /// Writes a document's file into the folder, sealed with the office's key, unless there.
    /// `false` when this laptop no longer has it (its document was deleted since).
    fn put_shared_file(&self, folder: &Path, key: &DataKey, hash: &str) -> Result<bool> {
        let dir = folder.join("files");
        let path = dir.join(file_name_of(key, hash));
        if path.exists() {
            return Ok(true);
        }
        let Ok(bytes) = self.read_file(hash) else { return Ok(false) };
        std::fs::create_dir_all(&dir)?;
        crate::fsio::write_atomically(&path, &key.seal(format!("vinculo-file:{hash}").as_bytes(), &bytes))?;
        Ok(true)
    }

    /// A document's file from the folder, checked against its hash; `None` until it arrives.
    fn shared_file(folder: &Path, key: &DataKey, hash: &str) -> Option<Vec<u8>> {
        let sealed = std::fs::read(folder.join("files").join(file_name_of(key, hash))).ok()?;
        let plain = key.open(format!("vinculo-file:{hash}").as_bytes(), &sealed).ok()?;
        (crate::store::content_hash(&plain) == hash).then(|| plain.to_vec())
    }

    fn pull(&self, secrets: &Secrets, report: &mut SyncReport) -> Result<()> {
        let folder = &secrets.folder;
        let mut blocked: BTreeSet<String> = BTreeSet::new();
        loop {
            let mut progress = false;
            for laptop in secrets.laptops.keys().filter(|l| **l != secrets.laptop) {
                if blocked.contains(laptop) {
                    continue;
                }
                let state = self.sync_state()?.ok_or_else(|| Error::invalid("sharing", Code::NotSharing))?;
                let cursor = state.cursors.get(laptop).copied().unwrap_or_default();
                let frames = folder::read_frames(folder, laptop, (cursor.file, cursor.offset), READ_BATCH)?;
                let mut cursor = cursor;
                for raw in frames {
                    let next = Cursor { file: raw.next.0, offset: raw.next.1, seq: raw.seq };
                    if raw.seq != cursor.seq + 1 {
                        report.damaged.push(format!("changes/{laptop}"));
                        blocked.insert(laptop.clone());
                        break;
                    }
                    if secrets.removed.get(laptop).is_some_and(|&upto| raw.seq > upto) {
                        // Made after its laptop was removed: passed over, never applied.
                        self.apply_frame(secrets, laptop, None, next)?;
                        report.refused += 1;
                        cursor = next;
                        progress = true;
                        continue;
                    }
                    let Some(key) = secrets.key(&raw.key_id) else {
                        report.missing_key = true;
                        report.waiting += 1;
                        blocked.insert(laptop.clone());
                        break;
                    };
                    let frame = key
                        .open(&frame_bound(&secrets.office, laptop, raw.seq), &raw.sealed)
                        .ok()
                        .and_then(|p| lz4_flex::decompress_size_prepended(&p).ok())
                        .and_then(|p| serde_json::from_slice::<Frame>(&p).ok())
                        .filter(|f| f.stamp.seq == raw.seq && f.stamp.hlc.laptop == *laptop);
                    let Some(frame) = frame else {
                        report.damaged.push(format!("changes/{laptop}"));
                        blocked.insert(laptop.clone());
                        break;
                    };
                    let state =
                        self.sync_state()?.ok_or_else(|| Error::invalid("sharing", Code::NotSharing))?;
                    let ready = frame.stamp.seen.iter().all(|(other, &seq)| {
                        let seq = secrets.removed.get(other).map_or(seq, |&upto| seq.min(upto));
                        *other == secrets.laptop || state.cursors.get(other).is_some_and(|c| c.seq >= seq)
                    });
                    let files: Option<Vec<Vec<u8>>> =
                        frame.files.iter().map(|h| self.file_at_hand(folder, &key, h)).collect();
                    let (true, Some(files)) = (ready, files) else {
                        report.waiting += 1;
                        break;
                    };
                    let Some(incoming) = self.apply_frame(secrets, laptop, Some((&frame, files)), next)?
                    else {
                        report.damaged.push(format!("changes/{laptop}"));
                        blocked.insert(laptop.clone());
                        break;
                    };
                    report.incoming.extend(incoming);
                    report.applied += 1;
                    cursor = next;
                    progress = true;
                }
            }
            if !progress {
                return Ok(());
            }
        }
    }

    /// A document's file this laptop has, or that the folder brings (`None`: not yet there).
    fn file_at_hand(&self, folder: &Path, key: &DataKey, hash: &str) -> Option<Vec<u8>> {
        match self.read_file(hash) {
            Ok(bytes) => Some(bytes.to_vec()),
            Err(_) => Store::shared_file(folder, key, hash),
        }
    }

    /// Applies a colleague's change (`None`: one passed over) and moves its cursor, in one
    /// store change.
    fn apply_frame(
        &self,
        secrets: &Secrets,
        laptop: &str,
        frame: Option<(&Frame, Vec<Vec<u8>>)>,
        cursor: Cursor,
    ) -> Result<Option<Vec<Incoming>>> {
        let mut writer = self.lock_writer();
        let who = |stamp: &Stamp| self.who_of(secrets, &stamp.hlc.laptop);
        let Some((frame, files)) = frame else {
            let stamp = Stamp {
                hlc: merge::Hlc { ms: 0, n: 0, laptop: laptop.into() },
                seq: cursor.seq,
                seen: BTreeMap::new(),
            };
            let origin = Origin::Remote { laptop: laptop.into(), cursor, stamp, who: String::new() };
            self.commit(&mut writer, Change { origin, audit: Audit::Silent, ..Change::default() })?;
            return Ok(Some(Vec::new()));
        };
        for bytes in &files {
            self.put_file(&writer, bytes)?;
        }
        let at = millis_to_time(frame.stamp.hlc.ms);
        // Each record the change touches (or that a delete it missed must keep): its entry,
        // its fields, and whether the store has it now.
        let mut touched: Touched = BTreeMap::new();
        let mut incoming = Vec::new();
        for rc in &frame.changes {
            let Some(id) = Id::parse(&rc.id) else { continue };
            let (entry, values, _) = self.touch(&mut touched, &id)?;
            merge::apply(entry, values, rc, &frame.stamp);
            incoming.push(Incoming { id, who: who(&frame.stamp), at, deleted: rc.deleted == Some(true) });
        }
        // The records the change names (a person's organization, a meeting's people) hear
        // of it: a delete that had not seen it keeps them (see `merge::Entry::named_by`).
        let changed: BTreeSet<Id> = touched.keys().cloned().collect();
        for rc in &frame.changes {
            for named in merge::named_ids(rc).iter().filter_map(|n| Id::parse(n)) {
                if touched.contains_key(&named) || self.sync_entry(&named)?.is_some() {
                    self.touch(&mut touched, &named)?.0.named_by(&frame.stamp);
                }
            }
        }
        let mut puts: Vec<AnyRecord> = Vec::new();
        let mut deletes = Vec::new();
        let mut meta = Vec::new();
        for (id, (mut entry, mut values, current)) in touched {
            let kind = entry.kind;
            let present = entry.presence() != Presence::Gone;
            if !changed.contains(&id) && present == current.is_some() {
                // Only named: its entry changes, the record stays as it is.
                meta.extend(self.entry_writes(&id, &entry, &values));
                continue;
            }
            values.insert("id".into(), Value::String(id.to_string()));
            let revision = current.as_ref().map_or(0, AnyRecord::revision) + 1;
            values.insert("revision".into(), revision.into());
            values.insert("updatedAt".into(), serde_json::to_value(at).expect("serializes"));
            match entry.presence() {
                Presence::Gone => {
                    if current.is_some() {
                        deletes.push((kind, id.clone()));
                    }
                    entry.last = Some(values.clone());
                }
                Presence::Present | Presence::DeletePending => {
                    entry.last = None;
                    // A record this build cannot read (from a newer one): nothing is applied,
                    // and the laptop's changes stop here, reported.
                    let Some(record) = record_of(kind, &values) else { return Ok(None) };
                    puts.push(record);
                }
            }
            meta.extend(self.entry_writes(&id, &entry, &values));
        }
        let origin = Origin::Remote {
            laptop: laptop.into(),
            cursor,
            stamp: frame.stamp.clone(),
            who: who(&frame.stamp),
        };
        self.commit(&mut writer, Change { puts, deletes, meta, origin, ..Change::default() })?;
        Ok(Some(incoming))
    }

    /// The entry, fields and current record of `id` among those a change touches, read the
    /// first time.
    fn touch<'t>(&self, touched: &'t mut Touched, id: &Id) -> Result<&'t mut TouchedRecord> {
        if !touched.contains_key(id) {
            let kind = id.kind().ok_or_else(|| Error::invalid("id", Code::InvalidId))?;
            let current = match self.get_any(id) {
                Ok(r) => Some(r),
                Err(Error::NotFound { .. }) => None,
                Err(e) => return Err(e),
            };
            let entry = self.sync_entry(id)?.unwrap_or_else(|| Entry::new(kind));
            let values = match &current {
                Some(r) => json_of(r),
                None => entry.last.clone().unwrap_or_default(),
            };
            touched.insert(id.clone(), (entry, values, current));
        }
        Ok(touched.get_mut(id).expect("inserted above"))
    }

    fn who_of(&self, secrets: &Secrets, laptop: &str) -> String {
        secrets.laptops.get(laptop).map(|l| l.who.clone()).unwrap_or_else(|| laptop.to_owned())
    }

    fn author(&self, secrets: &Secrets, stamp: &Stamp) -> Author {
        let laptop = secrets.laptops.get(&stamp.hlc.laptop);
        Author {
            who: laptop.map(|l| l.who.clone()).unwrap_or_default(),
            laptop: laptop.map(|l| l.name.clone()).unwrap_or_else(|| stamp.hlc.laptop.clone()),
            at: millis_to_time(stamp.hlc.ms),
            hlc: format!("{}.{}.{}", stamp.hlc.ms, stamp.hlc.n, stamp.hlc.laptop),
        }
    }

    /// The office as this laptop sees it: colleagues' laptops, how far each is applied, what
    /// waits to be sent, and the records with something to settle.
    pub fn office_status(&self) -> Result<OfficeStatus> {
        let secrets = self.secrets()?;
        let state = self.sync_state()?.ok_or_else(|| Error::invalid("sharing", Code::NotSharing))?;
        let mut laptops: Vec<LaptopStatus> = secrets
            .laptops
            .values()
            .map(|l| {
                let this = l.laptop == secrets.laptop;
                LaptopStatus {
                    laptop: l.laptop.clone(),
                    name: l.name.clone(),
                    who: l.who.clone(),
                    this,
                    removed: secrets.removed.contains_key(&l.laptop),
                    applied: if this {
                        state.next_seq - 1
                    } else {
                        state.cursors.get(&l.laptop).map_or(0, |c| c.seq)
                    },
                    last_change: state.last_change.get(&l.laptop).map(|&ms| millis_to_time(ms)),
                    synced: l.synced,
                }
            })
            .collect();
        laptops.sort_by(|a, b| b.this.cmp(&a.this).then(a.name.cmp(&b.name)));
        let mut conflicts = Vec::new();
        for id in self.flagged()? {
            if let Ok(r) = self.get_any(&id) {
                conflicts.push(RecordRef { kind: r.kind(), id: id.clone(), title: r.title() });
            }
        }
        Ok(OfficeStatus {
            laptop: secrets.laptop.clone(),
            name: secrets.name.clone(),
            folder: secrets.folder.clone(),
            laptops,
            waiting: self.outbox()?.len(),
            conflicts,
        })
    }

    /// What a record's page shows of the office's changes to it (nothing when not sharing).
    pub fn record_sharing(&self, id: &Id) -> Result<RecordSharing> {
        let values = json_of(&self.get_any(id)?);
        if !self.is_sharing()? {
            return Ok(RecordSharing::default());
        }
        let Some(entry) = self.sync_entry(id)? else { return Ok(RecordSharing::default()) };
        let secrets = self.secrets()?;
        let conflicts = entry
            .conflicts(&values)
            .into_iter()
            .map(|c| ConflictView {
                field: c.field,
                value: c.value,
                by: self.author(&secrets, &c.stamp),
                current: self.author(&secrets, &c.winner),
            })
            .collect();
        let deleted_by = match entry.presence() {
            Presence::DeletePending => entry.deleted_by().map(|s| self.author(&secrets, s)),
            _ => None,
        };
        Ok(RecordSharing { conflicts, deleted_by })
    }

    /// Settles a conflict on `field` of a record: keeps the value it holds, or takes the
    /// colleague's (`revert`: the conflict's `hlc` as [`Author::hlc`] gave it). Either way it
    /// is a change made knowing both, which settles it on every laptop.
    pub fn settle_conflict(
        &self,
        id: &Id,
        revision: u64,
        field: &str,
        revert: Option<&str>,
    ) -> Result<AnyRecord> {
        let mut writer = self.lock_writer();
        let current = self.get_any(id)?;
        if current.revision() != revision {
            return Err(Error::Conflict { expected: revision, current: Box::new(current) });
        }
        let entry = self.sync_entry(id)?.ok_or_else(|| Error::invalid("field", Code::NoConflict))?;
        let mut values = json_of(&current);
        let conflicts = entry.conflicts(&values);
        let secrets = self.secrets()?;
        let Some(conflict) = conflicts
            .iter()
            .find(|c| c.field == field && revert.is_none_or(|h| self.author(&secrets, &c.stamp).hlc == h))
        else {
            return Err(Error::invalid("field", Code::NoConflict));
        };
        if revert.is_some() {
            values.insert(field.to_owned(), conflict.value.clone());
        }
        let mut record =
            record_of(current.kind(), &values).ok_or_else(|| Error::invalid("field", Code::NoConflict))?;
        crate::edit::bump(&mut record, jiff::Timestamp::now());
        let hints =
            Hints { force: BTreeMap::from([(id.clone(), vec![field.to_owned()])]), ..Hints::default() };
        self.commit(&mut writer, Change { puts: vec![record.clone()], hints, ..Change::default() })?;
        Ok(record)
    }

    /// Keeps a record a colleague deleted without having seen every change to it (deleting
    /// it is the usual delete, which then knows every change).
    pub fn keep_record(&self, id: &Id) -> Result<()> {
        let mut writer = self.lock_writer();
        let current = self.get_any(id)?;
        let hints = Hints { keep: vec![id.clone()], ..Hints::default() };
        let mut record = current;
        crate::edit::bump(&mut record, jiff::Timestamp::now());
        self.commit(
            &mut writer,
            Change { puts: vec![record], hints, audit: Audit::Silent, ..Change::default() },
        )
    }
}

/// A laptop's name as colleagues see it, cleaned; refused at `name` when empty or over 80
/// characters.
pub fn laptop_name(name: &str) -> Result<String> {
    let name = crate::text::clean_name(name);
    if name.is_empty() {
        return Err(Error::invalid("name", Code::Required));
    }
    if name.chars().count() > 80 {
        return Err(Error::Invalid(vec![
            crate::error::Violation::new("name", Code::TooLong).with("max", 80),
        ]));
    }
    Ok(name)
}
