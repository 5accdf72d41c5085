//! The core's error type. It carries structure, never user-facing prose: the shell turns it into
//! `{kind, code, field, params}` and the UI translates the code.

use crate::model::{AnyRecord, Id, RecordKind, RecordRef};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Input that breaks a rule. Never empty; all violations found, in field order.
    #[error("invalid input: {}", summary(.0))]
    Invalid(Vec<Violation>),

    #[error("{kind:?} {id} not found")]
    NotFound { kind: RecordKind, id: Id },

    /// The caller saved or deleted with a revision that is no longer current.
    #[error("stale revision {expected} for {}: current is {}", current.id(), current.revision())]
    Conflict { expected: u64, current: Box<AnyRecord> },

    /// A delete that would leave references dangling; `by` lists what refers to the record.
    #[error("{id} is referenced by {} records", by.len())]
    Referenced { id: Id, by: Vec<RecordRef> },

    /// Sample data can only be loaded into a store with no records.
    #[error("the store already holds records")]
    NotEmpty,

    /// Another process (a second app instance) has the store open.
    #[error("the store is in use by another process")]
    Locked,

    /// The store is encrypted and opens only with its passphrase or recovery key (or the
    /// operation needs an encrypted store).
    #[error("the store is encrypted")]
    Encrypted,

    /// The store was written by a newer version of Vínculo; it was left untouched.
    #[error("store schema {found} is newer than supported {supported}")]
    NewerSchema { found: u32, supported: u32 },

    /// The store's files are damaged. `detail` names the part, never record contents.
    #[error("the store is damaged: {detail}")]
    Corrupt { detail: String },

    /// The disk is full; nothing was acknowledged.
    #[error("the disk is full")]
    DiskFull,

    #[error("storage I/O failed: {0}")]
    Io(std::io::Error),

    /// A document could not be produced (a bug: the fonts and layout are the program's own).
    #[error("rendering failed: {detail}")]
    Render { detail: String },
}

fn summary(violations: &[Violation]) -> String {
    let parts: Vec<String> = violations.iter().map(|v| format!("{}:{:?}", v.field, v.code)).collect();
    parts.join(", ")
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        match e.kind() {
            std::io::ErrorKind::StorageFull => Error::DiskFull,
            std::io::ErrorKind::WouldBlock => Error::Locked,
            _ => Error::Io(e),
        }
    }
}

impl Error {
    /// The kind of I/O error this is, or would be (`Other` for what is not one).
    pub(crate) fn io_kind(&self) -> std::io::ErrorKind {
        match self {
            Error::DiskFull => std::io::ErrorKind::StorageFull,
            Error::Io(e) => e.kind(),
            _ => std::io::ErrorKind::Other,
        }
    }

    pub fn invalid(field: impl Into<String>, code: Code) -> Error {
        Error::Invalid(vec![Violation::new(field, code)])
    }

    /// The error for an id that names no record (an id of no known kind is an invalid id).
    pub(crate) fn not_found(id: &Id) -> Error {
        match id.kind() {
            Some(kind) => Error::NotFound { kind, id: id.clone() },
            None => Error::invalid("id", Code::InvalidId),
        }
    }
}

/// One broken rule, at one field.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Violation {
    pub code: Code,
    /// The field's path in the record's JSON: `nameEs`, `emails[1].value`, `commitments[0].dueOn`.
    pub field: String,
    /// Values the message needs (`max`, `min`, `kind`…).
    pub params: BTreeMap<String, Value>,
}

impl Violation {
    pub fn new(field: impl Into<String>, code: Code) -> Violation {
        Violation { code, field: field.into(), params: BTreeMap::new() }
    }

    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Violation {
        self.params.insert(key.to_owned(), value.into());
        self
    }
}

/// What rule a value broke. The UI has a message for each, in each language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Code {
    Required,
    /// Longer than `max` characters (names) or bytes (free text, `unit` says which).
    TooLong,
    /// More than `max` entries in a list.
    TooMany,
    InvalidEmail,
    InvalidPhone,
    InvalidUrl,
    /// Not a real calendar date in `YYYY-MM-DD`.
    InvalidDate,
    /// Not a time of day in `HH:MM`.
    InvalidTime,
    InvalidTimeZone,
    InvalidCountry,
    InvalidLanguage,
    InvalidId,
    /// A number outside `min`..=`max`, or a date outside the years `min`..=`max`.
    OutOfRange,
    /// An end before its start.
    EndBeforeStart,
    /// A period longer than `maxYears` years.
    PeriodTooLong,
    /// A referenced record that does not exist (or is of another `kind`).
    MissingReference,
    /// A record cannot point at itself or at its own descendants.
    ReferenceCycle,
    /// Another agreement already has this folio.
    DuplicateFolio,
    /// A privacy-notice date without the notice marked as given.
    NoticeNotGiven,
    /// A commitment saved with a parent it does not belong to.
    WrongParent,
    /// Not one of the `allowed` values.
    InvalidChoice,
    /// A cell that should hold a number holds `value`.
    NotANumber,
    /// A cell that should say yes or no says `value`.
    NotYesOrNo,
    /// The same record listed twice in one save (or both saved and removed).
    DuplicateEntry,
    /// A file that is not one of Vínculo's exports.
    ForeignFile,
    /// An export from a newer Vínculo (`found`, `supported`).
    NewerFile,
    /// An export that is damaged or incomplete.
    MalformedFile,
    /// A part of a file (card `n` of a vCard file, `text` its start) that could not be read:
    /// skipped, the rest read.
    UnreadableEntry,
    /// Card `n` of a vCard file ends before its end (the file is cut off): skipped.
    CutOff,
    /// Card `n` of a vCard file is an organization's, a group's or a place's: not imported
    /// as a person.
    NotAPerson,
    /// An iCalendar file without a single event.
    NoEvents,
    /// Event `n` of an invitation is a cancellation: nothing to import.
    Cancelled,
    /// Event `n` of a calendar is a deadline this app exported, not a meeting.
    NotAMeeting,
    /// Event `n` of a calendar has no start date it can be placed on.
    NoDate,
    /// Event `n` of a calendar is in a time zone (`zone`) the file defines with summer time
    /// and the time-zone database does not know: its hour cannot be told.
    UnknownTimeZone,
    /// A file larger than `max` bytes (a document).
    FileTooLarge,
    /// A document whose file is in neither the store nor the export that brings it.
    MissingFile,
    /// The file of document `name` is missing from the data folder or changed there: it cannot
    /// be read.
    DamagedFile,
    /// A program, script or shortcut (a name ending in `.exe`, `.bat`, `.desktop`…): not kept
    /// as a document, which the system would run rather than show.
    UnsafeFileType,
    /// A backup file that does not decompress or parse; nothing was restored.
    DamagedBackup,
    /// A passphrase shorter than `min` characters.
    WeakPassphrase,
    /// The passphrase does not unlock the store.
    WrongPassphrase,
    /// The recovery key does not unlock the store.
    WrongRecoveryKey,
    /// A file protected with a passphrase, read without one.
    PassphraseNeeded,
    /// Two entries of a new passphrase that differ.
    PassphraseMismatch,
    /// Not a recovery key: 32 characters (eight groups of four) of Crockford's base32.
    MalformedRecoveryKey,
    /// Too many wrong passphrases: the next try is possible in `seconds`.
    TooManyAttempts,
    /// Sharing with the office needs an encrypted store (its keys are kept in it).
    SharingNeedsEncryption,
    /// This laptop already shares with an office.
    AlreadySharing,
    /// This laptop does not share with an office.
    NotSharing,
    /// The shared folder cannot be reached (a drive not mounted, a folder removed).
    FolderUnreachable,
    /// The folder already holds an office: join it instead.
    FolderHasOffice,
    /// The folder holds no office (or the sync engine has not brought it yet).
    NotAnOfficeFolder,
    /// Not an invitation code: 32 characters (eight groups of four) of Crockford's base32.
    MalformedInviteCode,
    /// No invitation in the folder opens with this code (used, or not arrived yet).
    WrongInviteCode,
    /// The invitation is more than seven days old.
    InviteExpired,
    /// No such laptop in the office (or this laptop itself).
    UnknownLaptop,
    /// No conflict on this field of the record (settled meanwhile).
    NoConflict,
    /// The office's folder has changes of this laptop its store never made: the store was put
    /// back from an older copy (a store set aside). It must join the office again.
    StoreBehindOffice,
    /// The secret is right but the wrapped key in `store.keys` is damaged; the other secret
    /// (passphrase or recovery key) may still open the store.
    DamagedKey,
}
