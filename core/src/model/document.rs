use super::{Id, RecordKind, impl_record};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// The largest file a document may hold: 25 MiB (a scanned, signed convenio of a hundred
/// pages fits; a video does not).
pub const MAX_DOCUMENT_BYTES: u64 = 25 * 1024 * 1024;

/// A file attached to a record (the signed PDF of a convenio, the minutes of a meeting, a
/// study an activity produced). The record holds what the file is called and its content's
/// hash; the bytes are kept apart, sealed and named by that hash (see `store/documents.rs`), so
/// the same file attached twice is stored once.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Document {
    pub id: Id,
    pub revision: u64,
    pub created_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
    pub sample: bool,

    /// The record it is attached to (any record but a document). Deleting that record
    /// deletes the document.
    pub record_id: Id,
    /// The file's name, as it was attached (what it is listed and searched by).
    pub name: String,
    /// The BLAKE2b-256 of the file's bytes, in lowercase hex. Set by the store.
    pub hash: String,
    /// The file's size in bytes. Set by the store.
    pub size: u64,
    /// A word on what it is ("versión firmada", "minuta aprobada").
    pub note: String,
}
impl_record!(Document, RecordKind::Document);

impl Document {
    pub fn references(&self) -> Vec<&Id> {
        vec![&self.record_id]
    }
}
