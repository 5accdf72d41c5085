//! The bytes of documents: one file each under `<root>/documents/`, named by their content, so
//! the same file attached twice (or to two records) is kept once. The format is in
//! `docs/documents.md`.
//!
//! A document's record (`model::Document`) holds the BLAKE2b-256 of the file's bytes. In a
//! plain store the file is named by that hash; in an encrypted one by a hash of it keyed with
//! the data key (so the folder does not tell anyone holding a copy of a known file that it is
//! there), and the bytes are sealed with the data key, bound to the hash. Reading checks the
//! bytes against the hash either way: a damaged file is reported, never handed over.
//!
//! Files are written before the change that adds their records is committed, and files no
//! record names are deleted after a change that deletes documents and when the store opens;
//! both under the writer lock, so a file is never swept between being written and being named.

use super::{Store, Writer};
use crate::crypto::DataKey;
use crate::error::{Code, Error, Result, Violation};
use crate::fsio::{sync_dir, write_atomically};
use crate::model::{AnyRecord, Document, RecordKind};
use crate::validate::is_content_hash;
use blake2::digest::{Digest, KeyInit, Mac};
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::MutexGuard;
use zeroize::Zeroizing;

/// The folder under the store's root.
pub(crate) const DOCUMENTS_DIR: &str = "documents";
/// The first bytes of a document's file: the format and its version.
const MAGIC: &[u8; 8] = b"VNCDOC01";
/// After the magic: the bytes as they are, or sealed with the data key.
const PLAIN: u8 = 0;
const SEALED: u8 = 1;

/// The BLAKE2b-256 of `bytes`, in lowercase hex: what a document's record names its file by.
pub fn content_hash(bytes: &[u8]) -> String {
    crate::crypto::to_hex(&blake2::Blake2b::<blake2::digest::consts::U32>::digest(bytes))
}

/// What a sealed file is bound to: its header and the hash of what it holds.
fn bound_to(hash: &str) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.push(SEALED);
    out.extend_from_slice(hash.as_bytes());
    out
}

/// The name of the file holding the bytes of `hash`.
fn file_name(key: Option<&DataKey>, hash: &str) -> String {
    match key {
        None => hash.to_owned(),
        Some(key) => {
            let mut mac =
                <blake2::Blake2bMac<blake2::digest::consts::U32> as KeyInit>::new_from_slice(key.bytes())
                    .expect("a 32-byte key suits BLAKE2b");
            mac.update(b"vinculo-document-name:");
            mac.update(hash.as_bytes());
            crate::crypto::to_hex(&mac.finalize().into_bytes())
        }
    }
}

/// The file's bytes for `plain`, whose hash is `hash`.
fn encode(key: Option<&DataKey>, hash: &str, plain: &[u8]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    match key {
        None => {
            out.push(PLAIN);
            out.extend_from_slice(plain);
        }
        Some(key) => {
            out.push(SEALED);
            key.seal_into(&bound_to(hash), plain, &mut out);
        }
    }
    out
}

/// A document's file that is missing or does not hold what its hash says: the document
/// cannot be read (its record can still be deleted, or a backup restored).
fn damaged() -> Error {
    Error::Invalid(vec![Violation::new("file", Code::DamagedFile)])
}

/// [`damaged`], naming the document whose file it is (a backup that stops on it says which).
fn naming(e: Error, document: &Document) -> Error {
    match e {
        Error::Invalid(mut v) if v.iter().any(|v| v.code == Code::DamagedFile) => {
            v.iter_mut().for_each(|v| {
                v.params.insert("name".into(), document.name.clone().into());
            });
            Error::Invalid(v)
        }
        other => other,
    }
}

/// What the file `bytes` holds, checked against `hash`.
fn decode(key: Option<&DataKey>, hash: &str, bytes: Vec<u8>) -> Result<Zeroizing<Vec<u8>>> {
    let body = bytes.strip_prefix(MAGIC.as_slice()).ok_or_else(damaged)?;
    let plain = match (body.split_first(), key) {
        (Some((&PLAIN, plain)), None) => Zeroizing::new(plain.to_vec()),
        (Some((&SEALED, sealed)), Some(key)) => key.open(&bound_to(hash), sealed).map_err(|_| damaged())?,
        _ => return Err(damaged()),
    };
    if content_hash(&plain) != hash {
        return Err(damaged());
    }
    Ok(plain)
}

impl Store {
    fn documents_dir(&self) -> PathBuf {
        self.root.join(DOCUMENTS_DIR)
    }

    /// Keeps `plain` as the file of its hash, returned (the writer lock held: see the module).
    /// A file already there is kept as it is when it reads back whole.
    pub(crate) fn put_file(&self, _writer: &MutexGuard<'_, Writer>, plain: &[u8]) -> Result<String> {
        let hash = content_hash(plain);
        if self.read_file(&hash).is_err() {
            let dir = self.documents_dir();
            if !dir.exists() {
                // The folder's own entry in the root, durable before a record names a file in it.
                std::fs::create_dir_all(&dir)?;
                sync_dir(&self.root)?;
            }
            let path = dir.join(file_name(self.key.as_ref(), &hash));
            write_atomically(&path, &encode(self.key.as_ref(), &hash, plain))?;
        }
        Ok(hash)
    }

    /// Keeps every file of `files` (by hash) that a document of `records` names, checking
    /// each; reports the first document whose file is neither here nor in `files` as
    /// [`Error::Invalid`] at `records[i].hash`.
    pub(crate) fn put_files_for(
        &self,
        writer: &MutexGuard<'_, Writer>,
        records: &[AnyRecord],
        files: &Files,
    ) -> Result<()> {
        let mut kept: HashSet<&str> = HashSet::new();
        for (i, r) in records.iter().enumerate() {
            let AnyRecord::Document(d) = r else { continue };
            if !is_content_hash(&d.hash) || kept.contains(d.hash.as_str()) {
                continue;
            }
            // The size a record says is the file's: the limit is checked on it.
            let fits = |bytes: &[u8]| bytes.len() as u64 == d.size;
            match files.0.get(&d.hash) {
                Some(bytes) if content_hash(bytes) == d.hash && fits(bytes) => {
                    self.put_file(writer, bytes)?;
                }
                Some(_) => {
                    let wrong = Violation::new(format!("records[{i}].size"), Code::MalformedFile);
                    return Err(Error::Invalid(vec![wrong]));
                }
                None if self.read_file(&d.hash).is_ok_and(|b| fits(&b)) => {}
                None => {
                    let missing = Violation::new(format!("records[{i}].hash"), Code::MissingFile);
                    return Err(Error::Invalid(vec![missing]));
                }
            }
            kept.insert(&d.hash);
        }
        Ok(())
    }

    /// The bytes of the file of `hash`, checked.
    pub(crate) fn read_file(&self, hash: &str) -> Result<Zeroizing<Vec<u8>>> {
        if !is_content_hash(hash) {
            return Err(damaged());
        }
        let path = self.documents_dir().join(file_name(self.key.as_ref(), hash));
        let bytes = std::fs::read(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => damaged(),
            _ => e.into(),
        })?;
        decode(self.key.as_ref(), hash, bytes)
    }

    /// The file of every document in `records`, by hash.
    pub(crate) fn read_files(&self, records: &[AnyRecord]) -> Result<Files> {
        let mut files = Files::default();
        for r in records {
            if let AnyRecord::Document(d) = r
                && !files.0.contains_key(&d.hash)
            {
                let bytes = self.read_file(&d.hash).map_err(|e| naming(e, d))?;
                files.0.insert(d.hash.clone(), bytes.to_vec());
            }
        }
        Ok(files)
    }

    /// A document's record and its file's bytes.
    pub fn document_file(&self, id: &crate::model::Id) -> Result<(Document, Zeroizing<Vec<u8>>)> {
        let document: Document = self.get(id)?;
        let bytes = self.read_file(&document.hash).map_err(|e| naming(e, &document))?;
        Ok((document, bytes))
    }

    /// Deletes the files no document names any more (and what an interrupted write left);
    /// returns how many. The writer lock held: see the module.
    pub(crate) fn sweep_files(&self, _writer: &MutexGuard<'_, Writer>) -> Result<usize> {
        let dir = self.documents_dir();
        let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(0) };
        let mut named: HashSet<String> = HashSet::new();
        for entry in self.trees.records[RecordKind::Document.index()].iter() {
            let (id, value) = entry?;
            let record = super::codec::decode_any(self.key.as_ref(), RecordKind::Document, &id, &value)
                .map_err(|e| Error::Corrupt { detail: format!("a document's record: {e}") })?;
            if let AnyRecord::Document(d) = record {
                named.insert(file_name(self.key.as_ref(), &d.hash));
            }
        }
        let mut removed = 0;
        for entry in entries {
            let entry = entry?;
            if !named.contains(entry.file_name().to_string_lossy().as_ref()) {
                std::fs::remove_file(entry.path())?;
                removed += 1;
            }
        }
        if removed > 0 {
            sync_dir(&dir)?;
        }
        Ok(removed)
    }
}

/// Documents' bytes by the hash of each: what an export carries beside its records (as
/// base64 strings in the file).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Files(pub BTreeMap<String, Vec<u8>>);

impl Files {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether each file is the one its hash names.
    pub(crate) fn all_whole(&self) -> bool {
        self.0.iter().all(|(hash, bytes)| &content_hash(bytes) == hash)
    }
}

impl serde::Serialize for Files {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use base64::Engine;
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (hash, bytes) in &self.0 {
            map.serialize_entry(hash, &base64::engine::general_purpose::STANDARD.encode(bytes))?;
        }
        map.end()
    }
}

impl<'de> serde::Deserialize<'de> for Files {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Files, D::Error> {
        use base64::Engine;
        let encoded: BTreeMap<String, String> = BTreeMap::deserialize(d)?;
        encoded
            .into_iter()
            .map(|(hash, text)| {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(text.as_bytes())
                    .map_err(serde::de::Error::custom)?;
                Ok((hash, bytes))
            })
            .collect::<std::result::Result<_, _>>()
            .map(Files)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_file_opens_only_under_its_own_hash() {
        let key = DataKey::random();
        let plain = b"%PDF-1.7 convenio firmado";
        let hash = content_hash(plain);
        let file = encode(Some(&key), &hash, plain);
        assert!(!file.windows(plain.len()).any(|w| w == plain), "sealed, not in the clear");
        assert_eq!(decode(Some(&key), &hash, file.clone()).expect("opens").as_slice(), plain);
        let other = content_hash(b"otro");
        assert!(decode(Some(&key), &other, file.clone()).is_err(), "bound to its hash");
        assert!(decode(None, &hash, file).is_err(), "a plain store does not read it");
        assert_ne!(file_name(Some(&key), &hash), hash, "the name does not tell the content");
        assert_eq!(file_name(None, &hash), hash);
    }

    #[test]
    fn a_plain_file_that_changed_is_damaged() {
        let plain = b"minuta";
        let hash = content_hash(plain);
        let mut file = encode(None, &hash, plain);
        assert_eq!(decode(None, &hash, file.clone()).expect("reads").as_slice(), plain);
        *file.last_mut().expect("bytes") ^= 1;
        assert!(
            matches!(decode(None, &hash, file), Err(Error::Invalid(v)) if v[0].code == Code::DamagedFile)
        );
    }
}
