//! The activities a record takes part in: those an instrument is carried out by, and those a
//! person took part in with the training she took in them.

use super::{ActivityItem, activity_item, sort_activities};
use crate::error::{Error, Result};
use crate::index::catalog::Detail;
use crate::model::{Activity, Id, WithCommitments};
use crate::store::Store;
use serde::Serialize;

/// One person's part in one activity.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ParticipationItem {
    pub activity: ActivityItem,
    /// Hours of training taken.
    pub hours: Option<f64>,
    pub completed: bool,
    pub certificate: String,
}

/// A person's training: the activities she took part in, newest first, and over them her hours
/// and how many she completed (what her page totals).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Training {
    pub items: Vec<ParticipationItem>,
    pub hours: f64,
    pub completed: usize,
}

/// An activity as its page shows it: the record with its commitments, and the people it
/// reached ([`Activity::reached`]: as recorded, or women and men added up).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityPage {
    #[serde(flatten)]
    pub loaded: WithCommitments<Activity>,
    pub reached: Option<u32>,
}

impl Store {
    /// The activity `id` with its commitments and the people it reached.
    pub fn activity_page(&self, id: &Id) -> Result<ActivityPage> {
        let loaded = self.get_activity(id)?;
        let reached = loaded.record.reached();
        Ok(ActivityPage { loaded, reached })
    }

    /// The activities that carry out the instrument `id`, newest first. [`Error::NotFound`]
    /// when there is no such instrument.
    pub fn activities_of_agreement(&self, id: &Id) -> Result<Vec<ActivityItem>> {
        self.with_catalog(|catalog| {
            let agreement = catalog.slot(id).ok_or_else(|| Error::not_found(id))?;
            let mut items: Vec<ActivityItem> = catalog
                .referrers(agreement)
                .filter(|s| s.agreement() == Some(agreement))
                .filter_map(|s| activity_item(catalog, &s))
                .collect();
            sort_activities(&mut items);
            Ok(items)
        })
    }

    /// The activities the person `id` took part in, newest first, each with their hours,
    /// completion and certificate, and their totals. [`Error::NotFound`] when there is no such
    /// person.
    pub fn participations(&self, id: &Id) -> Result<Training> {
        let items: Vec<ActivityItem> = self.with_catalog(|catalog| {
            let person = catalog.slot(id).ok_or_else(|| Error::not_found(id))?;
            let mut items: Vec<ActivityItem> = catalog
                .referrers(person)
                .filter(|s| matches!(s.detail, Detail::Activity { .. }) && s.participants().contains(&person))
                .filter_map(|s| activity_item(catalog, &s))
                .collect();
            sort_activities(&mut items);
            Ok::<_, Error>(items)
        })?;
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let activity: Activity = self.get(&item.id)?;
            let Some(p) = activity.participants.into_iter().find(|p| &p.contact_id == id) else { continue };
            out.push(ParticipationItem {
                activity: item,
                hours: p.hours,
                completed: p.completed,
                certificate: p.certificate,
            });
        }
        let hours = out.iter().filter_map(|p| p.hours).sum();
        let completed = out.iter().filter(|p| p.completed).count();
        Ok(Training { items: out, hours, completed })
    }
}
