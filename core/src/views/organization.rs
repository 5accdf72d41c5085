//! Everything about one organization: its people, meetings, agreements, activities and open
//! commitments.

use super::{
    ActivityItem, AgreementItem, CommitmentItem, MeetingItem, activity_item, agreement_item, commitment_item,
    meeting_item, sort_activities, sort_agreements, sort_commitments, unique_by_id,
};
use crate::clock::office_today;
use crate::error::Result;
use crate::index::catalog::Detail;
use crate::index::key::Slot;
use crate::model::{Contact, Id, Organization, RecordRef};
use crate::store::Store;
use crate::text::fold;
use jiff::Timestamp;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PersonItem {
    #[serde(flatten)]
    pub record: RecordRef,
    pub post: String,
}

/// Everything about one organization.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationOverview {
    pub organization: Organization,
    /// Its people today, by name.
    pub people: Vec<PersonItem>,
    /// People who held a post there before (from their post history).
    pub former_people: Vec<PersonItem>,
    /// Its meetings, newest first.
    pub meetings: Vec<MeetingItem>,
    pub agreements: Vec<AgreementItem>,
    /// The activities it is a partner in, newest first.
    pub activities: Vec<ActivityItem>,
    /// Open commitments on both sides: overdue first, then by due date, undated last.
    pub open_commitments: Vec<CommitmentItem>,
}

impl Store {
    /// Everything about one organization, as of `now`.
    pub fn organization_overview(&self, id: &Id, now: Timestamp) -> Result<OrganizationOverview> {
        let organization: Organization = self.get(id)?;
        let today = office_today(now);
        let mut overview = self.with_catalog(|catalog| {
            let Some(org) = catalog.slot(id) else {
                return OrganizationOverview {
                    organization: organization.clone(),
                    people: Vec::new(),
                    former_people: Vec::new(),
                    meetings: Vec::new(),
                    agreements: Vec::new(),
                    activities: Vec::new(),
                    open_commitments: Vec::new(),
                };
            };
            let mut people = Vec::new();
            let mut former_people = Vec::new();
            let mut meetings = Vec::new();
            let mut agreements = Vec::new();
            let mut activities = Vec::new();
            let mut sources: Vec<Slot> = Vec::new();
            for s in catalog.referrers(org) {
                match &s.detail {
                    Detail::Contact { post, .. } if s.organization() == Some(org) => {
                        people.push(PersonItem { record: s.to_ref(), post: s.text(*post).to_owned() });
                    }
                    Detail::Contact { .. } => {
                        former_people.push(PersonItem { record: s.to_ref(), post: String::new() })
                    }
                    Detail::Meeting { .. } => {
                        sources.push(s.slot);
                        meetings.extend(meeting_item(catalog, &s));
                    }
                    Detail::Agreement { .. } if s.organizations().contains(&org) => {
                        sources.push(s.slot);
                        agreements.extend(agreement_item(catalog, &s, today));
                    }
                    Detail::Activity { .. } if s.organizations().contains(&org) => {
                        sources.push(s.slot);
                        activities.extend(activity_item(catalog, &s));
                    }
                    _ => {}
                }
            }
            let mut open_commitments: Vec<CommitmentItem> = sources
                .iter()
                .flat_map(|&source| catalog.referrers(source))
                .filter(|s| {
                    matches!(&s.detail, Detail::Commitment { status, .. } if status.is_open())
                        && s.source().is_some_and(|src| sources.contains(&src))
                })
                .filter_map(|s| commitment_item(catalog, &s, today))
                .collect();
            unique_by_id(&mut open_commitments, |c| &c.id);
            sort_commitments(&mut open_commitments);

            people.sort_by_key(|p| fold(&p.record.title));
            former_people.sort_by_key(|p| fold(&p.record.title));
            meetings.sort_by(|a, b| (b.starts_at, &b.title).cmp(&(a.starts_at, &a.title)));
            sort_agreements(&mut agreements);
            sort_activities(&mut activities);
            OrganizationOverview {
                organization: organization.clone(),
                people,
                former_people,
                meetings,
                agreements,
                activities,
                open_commitments,
            }
        });
        // The post they held there comes from the contact's own history.
        let former: Vec<Id> = overview.former_people.iter().map(|p| p.record.id.clone()).collect();
        for (p, contact_id) in overview.former_people.iter_mut().zip(former) {
            if let Ok(contact) = self.get::<Contact>(&contact_id)
                && let Some(h) = contact.post_history.iter().find(|h| h.organization_id.as_ref() == Some(id))
            {
                p.post = h.post.clone();
            }
        }
        Ok(overview)
    }
}
