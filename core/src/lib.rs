//! # vinculo-core
//!
//! Everything Vínculo knows, without any user interface: the records of the liaison office
//! (organizations, contacts, meetings, agreements, commitments), their validation, a durable
//! [`Store`] on sled, search across every record, the derived views (home, one organization)
//! and the sample data.
//!
//! This crate never depends on Tauri, reads no environment variable and no home directory:
//! every path is passed in. Errors carry codes and fields, never user-facing prose.

pub mod backup;
pub mod briefing;
mod catalog;
mod codec;
mod error;
mod exchange;
pub mod model;
mod sample;
mod search;
mod settings;
mod state;
mod store;
pub mod text;
pub mod validate;
mod views;
mod wal;

pub use error::{Code, Error, Result, Violation};
pub use exchange::{
    Conflict, Duplicate, EXPORT_FORMAT, EXPORT_VERSION, Export, ImportChoices, ImportPlan, ImportReport,
    ImportStep, Likeness,
};
pub use model::*;
pub use search::{MAX_HITS, SearchField, SearchHit, SearchResults, search_fields};
pub use settings::Settings;
pub use store::{
    DeleteReport, Opened, OrgDeletion, Removal, SCHEMA_VERSION, Store, WithCommitments, write_atomically,
};
pub use views::{
    AgreementItem, ChangeItem, CommitmentItem, ContactItem, HOME_ITEMS, HORIZON_DAYS, HomeSection,
    HomeTotals, HomeView, MeetingItem, OrganizationItem, OrganizationOverview, PersonItem, RECENT_CHANGES,
    RecordList, office_today,
};
