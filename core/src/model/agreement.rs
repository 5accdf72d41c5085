use super::{Id, RecordKind, impl_record};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// A legal instrument (*instrumento jurídico*): a convenio, a letter of intent, an addendum…
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Agreement {
    pub id: Id,
    pub revision: u64,
    pub created_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
    pub sample: bool,

    pub kind: AgreementKind,
    /// Internal folio; unique among agreements when not empty.
    pub folio: String,
    pub title: String,
    /// The *objeto* of the instrument.
    pub purpose: String,
    /// One or more counterpart organizations.
    pub counterpart_ids: Vec<Id>,
    /// The marco a convenio específico or an adenda hangs from.
    pub parent_id: Option<Id>,
    pub status: AgreementStatus,
    pub signed_on: Option<String>,
    pub valid_from: Option<String>,
    /// None: open-ended (or not yet known while in negotiation).
    pub valid_until: Option<String>,
    pub renewal: Renewal,
    /// How many days before the end the office must act; 90 when not set.
    pub notice_days: Option<u32>,
    /// The IECM area responsible.
    pub iecm_area: String,
    pub iecm_contact_id: Option<Id>,
    pub counterpart_contact_id: Option<Id>,
    /// Whether it commits public money.
    pub public_money: bool,
    pub notes: String,
    /// Where the signed document is (archive location, file name, URL).
    pub document_refs: Vec<String>,
}
impl_record!(Agreement, RecordKind::Agreement);

/// Notice window used when an agreement does not set its own.
pub const DEFAULT_NOTICE_DAYS: u32 = 90;

impl Agreement {
    pub fn references(&self) -> Vec<&Id> {
        self.counterpart_ids
            .iter()
            .chain(&self.parent_id)
            .chain(&self.iecm_contact_id)
            .chain(&self.counterpart_contact_id)
            .collect()
    }

    pub fn notice_days_or_default(&self) -> u32 {
        self.notice_days.unwrap_or(DEFAULT_NOTICE_DAYS)
    }

    pub fn valid_until_date(&self) -> Option<jiff::civil::Date> {
        self.valid_until.as_deref()?.parse().ok()
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AgreementKind {
    #[default]
    FrameworkAgreement,
    SpecificAgreement,
    SupportAgreement,
    LetterOfIntent,
    Memorandum,
    InterinstitutionalAgreement,
    Addendum,
}

impl AgreementKind {
    /// Every value, in declaration order (what a saved state stores as the index).
    pub const ALL: [AgreementKind; 7] = [
        AgreementKind::FrameworkAgreement,
        AgreementKind::SpecificAgreement,
        AgreementKind::SupportAgreement,
        AgreementKind::LetterOfIntent,
        AgreementKind::Memorandum,
        AgreementKind::InterinstitutionalAgreement,
        AgreementKind::Addendum,
    ];
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AgreementStatus {
    #[default]
    Negotiation,
    LegalReview,
    Signed,
    InForce,
    Concluded,
    Rescinded,
}

impl AgreementStatus {
    /// Every value, in declaration order (what a saved state stores as the index).
    pub const ALL: [AgreementStatus; 6] = [
        AgreementStatus::Negotiation,
        AgreementStatus::LegalReview,
        AgreementStatus::Signed,
        AgreementStatus::InForce,
        AgreementStatus::Concluded,
        AgreementStatus::Rescinded,
    ];
}

impl AgreementStatus {
    /// Signed or in force: the states in which an end date matters.
    pub fn is_live(self) -> bool {
        matches!(self, AgreementStatus::Signed | AgreementStatus::InForce)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Renewal {
    #[default]
    None,
    Automatic,
    WrittenAgreement,
}
