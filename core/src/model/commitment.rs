use super::{Id, RecordKind, impl_record};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// A commitment (*acuerdo / compromiso*), from a meeting, an agreement or an activity.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Commitment {
    pub id: Id,
    pub revision: u64,
    pub created_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
    pub sample: bool,

    pub description: String,
    /// The meeting, agreement or activity it hangs from. Set by the store when saved with its parent.
    pub source: Option<CommitmentSource>,
    /// Which side owes it.
    pub party: Party,
    /// Who owes it (a contact), if named.
    pub owner_id: Option<Id>,
    pub due_on: Option<String>,
    pub status: CommitmentStatus,
    /// The office's day it was fulfilled (`YYYY-MM-DD`): set when it is marked done, unless
    /// given; cleared when it is open again. Whether it was on time is read from it.
    pub done_on: Option<String>,
    /// A note of the evidence when fulfilled.
    pub evidence: String,
}
impl_record!(Commitment, RecordKind::Commitment);

impl Commitment {
    pub fn references(&self) -> Vec<&Id> {
        self.source.as_ref().map(CommitmentSource::id).into_iter().chain(&self.owner_id).collect()
    }

    pub fn due_date(&self) -> Option<jiff::civil::Date> {
        self.due_on.as_deref()?.parse().ok()
    }

    pub fn done_date(&self) -> Option<jiff::civil::Date> {
        self.done_on.as_deref()?.parse().ok()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "camelCase")]
pub enum CommitmentSource {
    Meeting(Id),
    Agreement(Id),
    Activity(Id),
}

impl CommitmentSource {
    pub fn id(&self) -> &Id {
        match self {
            CommitmentSource::Meeting(id)
            | CommitmentSource::Agreement(id)
            | CommitmentSource::Activity(id) => id,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Party {
    #[default]
    Iecm,
    Counterpart,
}

impl Party {
    /// Every value, in declaration order (what a saved state stores as the index).
    pub const ALL: [Party; 2] = [Party::Iecm, Party::Counterpart];
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CommitmentStatus {
    #[default]
    Pending,
    InProgress,
    Done,
    Cancelled,
}

impl CommitmentStatus {
    /// Every value, in declaration order (what a saved state stores as the index).
    pub const ALL: [CommitmentStatus; 4] = [
        CommitmentStatus::Pending,
        CommitmentStatus::InProgress,
        CommitmentStatus::Done,
        CommitmentStatus::Cancelled,
    ];
}

impl CommitmentStatus {
    pub fn is_open(self) -> bool {
        matches!(self, CommitmentStatus::Pending | CommitmentStatus::InProgress)
    }
}
