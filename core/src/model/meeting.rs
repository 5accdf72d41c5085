use super::{Id, RecordKind, impl_record};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// The office's time zone, used when a meeting does not name another.
pub const DEFAULT_TIME_ZONE: &str = "America/Mexico_City";

/// A meeting (*reunión*). Its commitments are separate records that point back at it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Meeting {
    pub id: Id,
    pub revision: u64,
    pub created_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
    pub sample: bool,

    pub title: String,
    /// `YYYY-MM-DD`, in `time_zone`.
    pub date: String,
    /// `HH:MM` (24 h), in `time_zone`; none for an all-day or not yet timed meeting.
    pub time: Option<String>,
    pub duration_minutes: Option<u32>,
    /// IANA zone name; America/Mexico_City unless the meeting is elsewhere.
    pub time_zone: String,
    pub modality: Modality,
    pub place: String,
    pub link: String,
    pub organization_ids: Vec<Id>,
    /// The counterpart's people (contacts).
    pub counterpart_attendees: Vec<Id>,
    /// The IECM delegation (contacts of the IECM's organization record).
    pub iecm_delegation: Vec<Id>,
    pub objective: String,
    pub agenda: String,
    pub talking_points: String,
    pub sensitive_topics: String,
    pub minutes: String,
    /// The `UID` of the calendar invitation it was imported from: importing that invitation
    /// again updates this meeting instead of adding another.
    pub invitation_uid: String,
    /// That invitation's `SEQUENCE` when it was last taken (for a calendar file this app
    /// exported, the meeting's revision there): a later one (the organizer moved the meeting)
    /// updates when and where; the same one again leaves the office's edits.
    pub invitation_sequence: u32,
}
impl_record!(Meeting, RecordKind::Meeting);

impl Default for Meeting {
    fn default() -> Meeting {
        Meeting {
            id: Id::default(),
            revision: 0,
            created_at: None,
            updated_at: None,
            sample: false,
            title: String::new(),
            date: String::new(),
            time: None,
            duration_minutes: None,
            time_zone: DEFAULT_TIME_ZONE.to_owned(),
            modality: Modality::default(),
            place: String::new(),
            link: String::new(),
            organization_ids: Vec::new(),
            counterpart_attendees: Vec::new(),
            iecm_delegation: Vec::new(),
            objective: String::new(),
            agenda: String::new(),
            talking_points: String::new(),
            sensitive_topics: String::new(),
            minutes: String::new(),
            invitation_uid: String::new(),
            invitation_sequence: 0,
        }
    }
}

impl Meeting {
    pub fn references(&self) -> Vec<&Id> {
        self.organization_ids.iter().chain(&self.counterpart_attendees).chain(&self.iecm_delegation).collect()
    }

    /// When the meeting starts, as an instant (midnight in its zone when it has no time).
    /// `None` only for a record that never passed validation.
    pub fn starts_at(&self) -> Option<Timestamp> {
        let date: jiff::civil::Date = self.date.parse().ok()?;
        let time = match &self.time {
            Some(t) => t.parse::<jiff::civil::Time>().ok()?,
            None => jiff::civil::Time::midnight(),
        };
        let zoned = date.to_datetime(time).in_tz(&self.time_zone).ok()?;
        Some(zoned.timestamp())
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Modality {
    #[default]
    InPerson,
    Virtual,
    Hybrid,
}

impl Modality {
    /// Every value, in declaration order (what a saved state stores as the index).
    pub const ALL: [Modality; 3] = [Modality::InPerson, Modality::Virtual, Modality::Hybrid];
}
