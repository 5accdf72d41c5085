//! Attaching files to records, and naming them.

use super::next_revision;
use crate::error::{Code, Error, Result, Violation};
use crate::model::{Document, Id, MAX_DOCUMENT_BYTES};
use crate::store::{Change, Store, content_hash};
use crate::validate;
use jiff::Timestamp;

impl Store {
    /// Attaches `bytes`, the file called `name`, to the record `record_id`, in one durable
    /// change: the file is kept (once, however many records it is attached to) before its
    /// record is committed. A file over [`MAX_DOCUMENT_BYTES`] is refused at `file`.
    pub fn attach_document(&self, record_id: &Id, name: &str, bytes: &[u8]) -> Result<Document> {
        if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
            return Err(too_large());
        }
        let mut writer = self.lock_writer();
        let mut document = Document {
            record_id: record_id.clone(),
            name: name.to_owned(),
            hash: content_hash(bytes),
            size: bytes.len() as u64,
            ..Document::default()
        };
        let violations = self.with_catalog(|catalog| validate::check_document(&mut document, catalog));
        if !violations.is_empty() {
            return Err(Error::Invalid(violations));
        }
        next_revision(&mut document, None, Timestamp::now());
        self.put_file(&writer, bytes)?;
        self.commit(&mut writer, Change { puts: vec![document.clone().into()], ..Change::default() })?;
        Ok(document)
    }

    /// Saves a document's name and note. Its file and its record stay as they were: a new
    /// document is attached with [`Store::attach_document`].
    pub fn save_document(&self, document: Document) -> Result<Document> {
        self.save_single(document, |d, catalog, old| {
            let Some(old) = old else { return vec![Violation::new("file", Code::Required)] };
            let mut violations = Vec::new();
            if d.record_id != old.record_id {
                violations.push(Violation::new("recordId", Code::WrongParent));
            }
            d.hash.clone_from(&old.hash);
            d.size = old.size;
            violations.extend(validate::check_document(d, catalog));
            violations
        })
    }

    /// Deletes a document; its file goes when no other document names it.
    pub fn delete_document(&self, id: &Id, revision: u64) -> Result<super::DeleteReport> {
        self.delete_simple(crate::model::RecordKind::Document, id, revision)
    }
}

/// A file over the limit, at the `file` field.
fn too_large() -> Error {
    Error::Invalid(vec![Violation::new("file", Code::FileTooLarge).with("max", MAX_DOCUMENT_BYTES)])
}
