//! The activities a record takes part in: those an instrument is carried out by, and those a
//! person took part in with the training she took in them.

use super::{ActivityItem, activity_item, sort_activities};
use crate::error::{Error, Result};
use crate::index::catalog::Detail;
use crate::model::{Activity, Id};
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

impl Store {
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
    /// completion and certificate. [`Error::NotFound`] when there is no such person.
    pub fn participations(&self, id: &Id) -> Result<Vec<ParticipationItem>> {
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
        Ok(out)
    }
}
