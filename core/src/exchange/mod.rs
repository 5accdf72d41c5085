//! Everything in a store as one file, and back: the versioned export format (documented in
//! `docs/export-format.md`), the consistent snapshot every export and backup is made of, and
//! the import that merges a file into a store — same id by revision and `updatedAt`, likely
//! duplicates listed for the user to merge or keep, nothing overwritten without saying so.

pub mod calendar;
mod import;
pub mod report;
mod sealed;
pub mod table;
pub mod transparency;
pub mod vcard;

pub use import::{Conflict, Duplicate, ImportChoices, ImportPlan, ImportReport, ImportStep, Likeness};
pub use sealed::SEALED_EXPORT_FORMAT;
pub(crate) use sealed::gzip;

use crate::error::{Code, Error, Result, Violation};
use crate::model::{
    Activity, Agreement, AnyRecord, Commitment, Contact, Document, Id, Meeting, Organization,
};
use crate::store::{Files, SCHEMA_VERSION, Store};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the `format` field of an export says.
pub const EXPORT_FORMAT: &str = "vinculo-export";
/// The export format's version this build writes and reads.
pub const EXPORT_VERSION: u32 = 3;

/// A whole store at one point in time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Export {
    pub format: String,
    pub version: u32,
    pub exported_at: Timestamp,
    /// The schema of the store it was taken from (informative).
    pub schema: u32,
    #[serde(default)]
    pub organizations: Vec<Organization>,
    #[serde(default)]
    pub contacts: Vec<Contact>,
    #[serde(default)]
    pub meetings: Vec<Meeting>,
    #[serde(default)]
    pub agreements: Vec<Agreement>,
    #[serde(default)]
    pub commitments: Vec<Commitment>,
    #[serde(default)]
    pub activities: Vec<Activity>,
    #[serde(default)]
    pub documents: Vec<Document>,
    /// The bytes of the documents' files, by hash (each named by a document).
    #[serde(default, skip_serializing_if = "Files::is_empty")]
    pub files: Files,
}

impl Export {
    /// An export of `records`, taken at `at`.
    pub fn new(records: Vec<AnyRecord>, at: Timestamp) -> Export {
        let mut e = Export {
            format: EXPORT_FORMAT.into(),
            version: EXPORT_VERSION,
            exported_at: at,
            schema: SCHEMA_VERSION,
            organizations: Vec::new(),
            contacts: Vec::new(),
            meetings: Vec::new(),
            agreements: Vec::new(),
            commitments: Vec::new(),
            activities: Vec::new(),
            documents: Vec::new(),
            files: Files::default(),
        };
        for r in records {
            match r {
                AnyRecord::Organization(r) => e.organizations.push(r),
                AnyRecord::Contact(r) => e.contacts.push(r),
                AnyRecord::Meeting(r) => e.meetings.push(r),
                AnyRecord::Agreement(r) => e.agreements.push(r),
                AnyRecord::Commitment(r) => e.commitments.push(r),
                AnyRecord::Activity(r) => e.activities.push(r),
                AnyRecord::Document(r) => e.documents.push(r),
            }
        }
        e
    }

    /// The export with the files of its documents, taken from `files` (others left out).
    pub fn with_files(mut self, mut files: Files) -> Export {
        let named: std::collections::HashSet<&str> = self.documents.iter().map(|d| d.hash.as_str()).collect();
        files.0.retain(|hash, _| named.contains(hash.as_str()));
        self.files = files;
        self
    }

    /// Every record, organizations first (the order an import needs nothing of).
    pub fn records(&self) -> Vec<AnyRecord> {
        let o = self.organizations.iter().cloned().map(AnyRecord::from);
        let c = self.contacts.iter().cloned().map(AnyRecord::from);
        let m = self.meetings.iter().cloned().map(AnyRecord::from);
        let a = self.agreements.iter().cloned().map(AnyRecord::from);
        let v = self.activities.iter().cloned().map(AnyRecord::from);
        let k = self.commitments.iter().cloned().map(AnyRecord::from);
        let d = self.documents.iter().cloned().map(AnyRecord::from);
        o.chain(c).chain(m).chain(a).chain(v).chain(k).chain(d).collect()
    }

    pub fn len(&self) -> usize {
        self.organizations.len()
            + self.contacts.len()
            + self.meetings.len()
            + self.agreements.len()
            + self.commitments.len()
            + self.activities.len()
            + self.documents.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The file's bytes: compact JSON.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("records serialize")
    }

    /// Reads an export file. A file of another kind, a newer version or broken JSON is
    /// refused with a violation of field `file` (`foreignFile`, `newerFile`, `malformedFile`).
    pub fn parse(bytes: &[u8]) -> Result<Export> {
        #[derive(Deserialize)]
        struct Head {
            format: Option<String>,
            version: Option<u32>,
        }
        let file_error = |code| Error::Invalid(vec![Violation::new("file", code)]);
        let head: Head = serde_json::from_slice(bytes).map_err(|_| file_error(Code::ForeignFile))?;
        if head.format.as_deref() != Some(EXPORT_FORMAT) {
            return Err(file_error(Code::ForeignFile));
        }
        match head.version {
            Some(v) if v > EXPORT_VERSION => {
                return Err(Error::Invalid(vec![
                    Violation::new("file", Code::NewerFile)
                        .with("found", v)
                        .with("supported", EXPORT_VERSION),
                ]));
            }
            Some(_) => {}
            None => return Err(file_error(Code::MalformedFile)),
        }
        let export: Export = serde_json::from_slice(bytes).map_err(|_| file_error(Code::MalformedFile))?;
        // A file that is not what its hash says is damage, not a document.
        if !export.files.all_whole() {
            return Err(file_error(Code::MalformedFile));
        }
        Ok(export)
    }

    /// A checksum of each record (its canonical bytes), by id: two snapshots hold the same
    /// records exactly when these are equal.
    pub fn checksums(&self) -> BTreeMap<Id, u64> {
        self.records().iter().map(|r| (r.id().clone(), checksum(r))).collect()
    }
}

/// FNV-1a over a record's JSON: enough to tell a copy from a changed or damaged one.
fn checksum(record: &AnyRecord) -> u64 {
    let bytes = serde_json::to_vec(record).expect("records serialize");
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

impl Store {
    /// Everything in the store at one point in time (writes wait meanwhile), sorted by id.
    pub fn export(&self, at: Timestamp) -> Result<Export> {
        self.snapshot(at).map(|(export, _)| export)
    }

    /// [`Store::export`], with the number of the last change it holds.
    pub(crate) fn snapshot(&self, at: Timestamp) -> Result<(Export, u64)> {
        let _writer = self.lock_writer();
        let records = self.read_all()?;
        let files = self.read_files(&records)?;
        Ok((Export::new(records, at).with_files(files), self.seq()))
    }
}
