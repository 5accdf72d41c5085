//! # vinculo-core
//!
//! Everything Vínculo knows, without any user interface: the records of the liaison office
//! (organizations, contacts, meetings, agreements, commitments), their validation, a durable
//! [`Store`] on sled, search across every record, the derived views (home, one organization)
//! and the sample data.
//!
//! This crate never depends on Tauri, reads no environment variable and no home directory:
//! every path is passed in. Errors carry codes and fields, never user-facing prose.
//!
//! The modules are layered, each using only those below it (ARCHITECTURE.md has the layers,
//! and `tests/core/tidy.rs` holds the code to them):
//! `text`, `model` → `clock`, `error`, `labels` → `crypto`, `fsio`, `validate` → `settings` → `index` → `store`
//! → `edit`, `views` → `exchange` → `backup` → `briefing`.

pub mod backup;
pub mod briefing;
mod clock;
mod crypto;
mod edit;
mod error;
mod exchange;
mod fsio;
mod index;
mod labels;
pub mod merge;
pub mod model;
mod settings;
pub mod share;
mod store;
pub mod text;
pub mod validate;
mod views;

pub use clock::office_today;
pub use crypto::{DataKey, KdfParams, RecoveryKey};
pub use edit::{DeleteReport, OrgDeletion, Removal};
pub use error::{Code, Error, Result, Violation};
pub use exchange::{
    Conflict, Duplicate, EXPORT_FORMAT, EXPORT_VERSION, Export, ImportChoices, ImportPlan, ImportReport,
    ImportStep, Likeness, SEALED_EXPORT_FORMAT, calendar, report, table, transparency, vcard,
};
pub use fsio::write_atomically;
pub use index::search::{MAX_HITS, SearchField, SearchHit, SearchResults, search_fields};
pub use model::*;
pub use settings::Settings;
pub use store::{
    AuditEntry, AuditEvent, Cursor, Event, Files, Frame, MIN_PASSPHRASE_CHARS, Opened, SCHEMA_VERSION,
    Secret, Store, SyncState, Verification, check_passphrase, content_hash, has_store, is_encrypted,
};
pub use views::{
    AUDIT_PAGE, ActivityItem, ActivityPage, ActivityRow, AgreementItem, AuditFilter, AuditQuery, AuditRecord,
    AuditRow, AuditView, ChangeItem, CommitmentFigures, CommitmentItem, ContactItem, DocumentItem,
    HOME_ITEMS, HORIZON_DAYS, HomeSection, HomeTotals, HomeView, ListPage, ListQuery, ListSort,
    MAX_LIST_PAGE, MAX_LIST_TEXT, MAX_REPORT_DAYS, MAX_REPORT_YEARS, MeetingItem, OrganizationItem,
    OrganizationOverview, ParticipationItem, PersonItem, RECENT_CHANGES, Reach, RecordList, ReportPeriod,
    StrategyReport, Tally, Trainee, Training,
};
