use super::{Id, Party, RecordKind, Theme, impl_record};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// A joint activity or project (*actividad / proyecto*) carried out with partners: a workshop,
/// a course, a comparative study, an observation mission… Its follow-up commitments are
/// separate records that point back at it, as a meeting's do.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Activity {
    pub id: Id,
    pub revision: u64,
    pub created_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
    pub sample: bool,

    pub title: String,
    pub kind: ActivityKind,
    pub status: ActivityStatus,
    /// The partner organizations.
    pub partner_ids: Vec<Id>,
    /// The instrument (convenio) the activity executes, if any.
    pub agreement_id: Option<Id>,
    pub themes: Vec<Theme>,
    /// `YYYY-MM-DD`.
    pub starts_on: Option<String>,
    /// `YYYY-MM-DD`, not before `starts_on`; none for a one-day activity.
    pub ends_on: Option<String>,
    pub place: String,
    pub link: String,
    /// The IECM area responsible.
    pub iecm_area: String,
    pub description: String,
    /// Who it benefits.
    pub beneficiaries: Vec<Beneficiary>,
    /// People reached, and of them women and men where recorded. When only women and men
    /// are recorded, the people reached are their sum ([`Activity::reached`]), not stored.
    pub people_reached: Option<u32>,
    pub women_reached: Option<u32>,
    pub men_reached: Option<u32>,
    /// What it produced (a report, a guide, a course's materials…), one per line.
    pub products: String,
    /// What each party contributes.
    pub resources: Vec<Resource>,
    /// The people who took part (contacts); for a course or workshop, the IECM's staff trained,
    /// with hours, completion and certificate.
    pub participants: Vec<Participant>,
    pub notes: String,
}
impl_record!(Activity, RecordKind::Activity);

impl Activity {
    pub fn references(&self) -> Vec<&Id> {
        self.partner_ids
            .iter()
            .chain(&self.agreement_id)
            .chain(self.participants.iter().map(|p| &p.contact_id))
            .collect()
    }

    /// The people reached: as recorded, or women and men added up when only they are.
    pub fn reached(&self) -> Option<u32> {
        self.people_reached.or_else(|| match (self.women_reached, self.men_reached) {
            (None, None) => None,
            (w, m) => Some(w.unwrap_or(0).saturating_add(m.unwrap_or(0))),
        })
    }

    pub fn start_date(&self) -> Option<jiff::civil::Date> {
        self.starts_on.as_deref()?.parse().ok()
    }

    /// The last day: `ends_on`, or the first day of a one-day activity.
    pub fn end_date(&self) -> Option<jiff::civil::Date> {
        self.ends_on.as_deref().and_then(|d| d.parse().ok()).or_else(|| self.start_date())
    }
}

/// One person's part in an activity.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Participant {
    pub contact_id: Id,
    /// Hours of training taken (two decimals are kept).
    pub hours: Option<f64>,
    /// Whether the person completed it.
    pub completed: bool,
    /// The certificate or constancia (its folio or where it is), when one was given.
    pub certificate: String,
}

/// What one party puts into an activity.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Resource {
    pub party: Party,
    pub kind: ResourceKind,
    pub description: String,
    /// For money: the amount, in Mexican pesos unless the description says otherwise.
    pub amount: Option<f64>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ActivityKind {
    #[default]
    Workshop,
    Course,
    Forum,
    ComparativeStudy,
    Research,
    TechnicalAssistance,
    GoodPracticeExchange,
    ObservationMission,
    JointProject,
    RiskManagement,
    Other,
}

impl ActivityKind {
    /// Every value, in declaration order (what a saved state stores as the index).
    pub const ALL: [ActivityKind; 11] = [
        ActivityKind::Workshop,
        ActivityKind::Course,
        ActivityKind::Forum,
        ActivityKind::ComparativeStudy,
        ActivityKind::Research,
        ActivityKind::TechnicalAssistance,
        ActivityKind::GoodPracticeExchange,
        ActivityKind::ObservationMission,
        ActivityKind::JointProject,
        ActivityKind::RiskManagement,
        ActivityKind::Other,
    ];

    /// A course or a workshop: what trains the Institute's staff.
    pub fn is_training(self) -> bool {
        matches!(self, ActivityKind::Workshop | ActivityKind::Course)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ActivityStatus {
    #[default]
    Planned,
    InProgress,
    Concluded,
    Cancelled,
}

impl ActivityStatus {
    /// Every value, in declaration order (what a saved state stores as the index).
    pub const ALL: [ActivityStatus; 4] = [
        ActivityStatus::Planned,
        ActivityStatus::InProgress,
        ActivityStatus::Concluded,
        ActivityStatus::Cancelled,
    ];

    /// Planned or under way.
    pub fn is_open(self) -> bool {
        matches!(self, ActivityStatus::Planned | ActivityStatus::InProgress)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Beneficiary {
    #[default]
    Citizens,
    ElectoralStaff,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ResourceKind {
    #[default]
    Money,
    Experts,
    Venue,
    Materials,
    Other,
}
