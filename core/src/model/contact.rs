use super::{Id, RecordKind, impl_record};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// A person (*persona*) at an organization.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Contact {
    pub id: Id,
    pub revision: u64,
    pub created_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
    pub sample: bool,

    pub full_name: String,
    /// Honorific or protocol title: "Mtra.", "Dr.", "Excma. Sra.".
    pub honorific: String,
    /// The post (*cargo*) held today.
    pub post: String,
    pub organization_id: Option<Id>,
    /// Since when the current post is held (`YYYY-MM-DD`), if known.
    pub post_since: Option<String>,
    /// Earlier posts, newest first. The store appends to it when post or organization change.
    pub post_history: Vec<PostRecord>,
    pub emails: Vec<Labeled>,
    pub phones: Vec<Labeled>,
    /// ISO 639-1 codes (`es`, `en`, `fr`…).
    pub languages: Vec<String>,
    pub preferred_language: Option<String>,
    pub notes: String,
    pub tags: Vec<String>,
    /// Whether the privacy notice (*aviso de privacidad*) was given…
    pub privacy_notice_given: bool,
    /// …and when (`YYYY-MM-DD`).
    pub privacy_notice_date: Option<String>,
    /// The record holds sensitive personal data.
    pub sensitive_data: bool,
    /// The identifiers other address books gave this person (a vCard's `UID`), so that their
    /// files imported again find the person instead of adding a second one.
    pub uids: Vec<String>,
}
impl_record!(Contact, RecordKind::Contact);

impl Contact {
    pub fn references(&self) -> Vec<&Id> {
        self.organization_id
            .iter()
            .chain(self.post_history.iter().filter_map(|p| p.organization_id.as_ref()))
            .collect()
    }
}

/// An e-mail address or phone number with its label ("oficina", "móvil", "personal").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Labeled {
    pub label: String,
    pub value: String,
}

/// A post a person held before. The organization's name is kept as it was, so the history
/// still reads right after that organization is deleted (its id is then cleared).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PostRecord {
    pub post: String,
    pub organization_id: Option<Id>,
    pub organization_name: String,
    pub from: Option<String>,
    pub until: Option<String>,
}
