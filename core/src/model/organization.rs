use super::{Id, RecordKind, impl_record};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// An organization (*organismo*). The IECM itself is one, and its staff are its contacts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Organization {
    pub id: Id,
    pub revision: u64,
    pub created_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
    pub sample: bool,

    pub name_es: String,
    pub name_en: String,
    pub acronym_es: String,
    pub acronym_en: String,
    pub kind: OrgKind,
    pub scope: Scope,
    pub sector: Sector,
    /// ISO 3166-1 alpha-2, upper case (`MX`), or empty.
    pub country: String,
    pub city: String,
    pub website: String,
    pub themes: Vec<Theme>,
    pub relationship: RelationshipStatus,
    /// The IECM person responsible for the relationship (a contact).
    pub responsible_id: Option<Id>,
    pub notes: String,
    pub tags: Vec<String>,
}
impl_record!(Organization, RecordKind::Organization);

impl Organization {
    /// The name to show: Spanish first, English when there is no Spanish name.
    pub fn display_name(&self) -> &str {
        if self.name_es.is_empty() { &self.name_en } else { &self.name_es }
    }

    /// The acronym to show, Spanish first.
    pub fn display_acronym(&self) -> &str {
        if self.acronym_es.is_empty() { &self.acronym_en } else { &self.acronym_es }
    }

    pub fn references(&self) -> Vec<&Id> {
        self.responsible_id.iter().collect()
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum OrgKind {
    UnAgency,
    Intergovernmental,
    /// Instituto Nacional Electoral.
    ElectoralIne,
    /// Organismo Público Local Electoral (a state electoral body).
    ElectoralOple,
    ElectoralForeign,
    Government,
    Legislature,
    University,
    #[default]
    Ngo,
    Foundation,
    Private,
}

impl OrgKind {
    /// Every value, in declaration order (what a saved state stores as the index).
    pub const ALL: [OrgKind; 11] = [
        OrgKind::UnAgency,
        OrgKind::Intergovernmental,
        OrgKind::ElectoralIne,
        OrgKind::ElectoralOple,
        OrgKind::ElectoralForeign,
        OrgKind::Government,
        OrgKind::Legislature,
        OrgKind::University,
        OrgKind::Ngo,
        OrgKind::Foundation,
        OrgKind::Private,
    ];
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Scope {
    Local,
    #[default]
    National,
    International,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Sector {
    #[default]
    Public,
    Private,
    Social,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Theme {
    CitizenParticipation,
    HumanRights,
    GenderEquality,
    CivicEducation,
    DemocraticStrengthening,
    ElectoralTechnology,
    Training,
    Research,
    RiskManagement,
}

impl Theme {
    /// Every value, in declaration order.
    pub const ALL: [Theme; 9] = [
        Theme::CitizenParticipation,
        Theme::HumanRights,
        Theme::GenderEquality,
        Theme::CivicEducation,
        Theme::DemocraticStrengthening,
        Theme::ElectoralTechnology,
        Theme::Training,
        Theme::Research,
        Theme::RiskManagement,
    ];
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RelationshipStatus {
    #[default]
    Prospect,
    InContact,
    ActiveCollaboration,
    Inactive,
}

impl RelationshipStatus {
    /// Every value, in declaration order (what a saved state stores as the index).
    pub const ALL: [RelationshipStatus; 4] = [
        RelationshipStatus::Prospect,
        RelationshipStatus::InContact,
        RelationshipStatus::ActiveCollaboration,
        RelationshipStatus::Inactive,
    ];
}
