//! Deletes that leave nothing dangling: each planned first (what goes with the record, what
//! only loses a reference to it), then committed as one change.

use super::bump;
use crate::error::{Code, Error, Result, Violation};
use crate::index::catalog::{Catalog, Detail, Entry};
use crate::model::{AnyRecord, Id, RecordKind, RecordRef};
use crate::store::{Change, Store, Writer, sort_refs};
use crate::validate::Lookup;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::MutexGuard;

/// What to do with the records that refer to an organization being deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "policy", rename_all = "camelCase")]
pub enum OrgDeletion {
    /// Refuse with [`Error::Referenced`] if anything refers to it.
    Refuse,
    /// Point every reference at another organization (a merge).
    Reassign { to: Id },
    /// Delete its people, and the meetings, agreements and activities that involve only it
    /// (with their commitments); drop it from the ones shared with other organizations.
    Cascade,
}

/// What a delete did besides removing the record itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteReport {
    pub deleted: Vec<RecordRef>,
    pub updated: Vec<RecordRef>,
}

impl Store {
    /// Deletes an organization; `policy` says what happens to what refers to it.
    pub fn delete_organization(&self, id: &Id, revision: u64, policy: &OrgDeletion) -> Result<DeleteReport> {
        let mut writer = self.lock_writer();
        self.check_revision(RecordKind::Organization, id, revision)?;
        let mut plan = Plan::new(self);
        {
            let projection = self.projection();
            let catalog = &projection.catalog;
            let org = catalog.slot(id).ok_or_else(|| Error::not_found(id))?;
            let referrers: Vec<Entry<'_>> = catalog.referrers(org).collect();
            // Its documents are its own: they go with it (or move with a merge), refusing nothing.
            let others = || referrers.iter().filter(|r| r.belongs_to() != Some(org));
            match policy {
                OrgDeletion::Refuse if others().next().is_some() => {
                    let mut by: Vec<RecordRef> = others().map(|s| s.to_ref()).collect();
                    sort_refs(&mut by);
                    return Err(Error::Referenced { id: id.clone(), by });
                }
                OrgDeletion::Refuse => {}
                OrgDeletion::Reassign { to } => {
                    if to == id || !catalog.exists(RecordKind::Organization, to) {
                        return Err(Error::Invalid(vec![
                            Violation::new("to", Code::MissingReference).with("kind", "organization"),
                        ]));
                    }
                    for r in &referrers {
                        plan.retarget(&r.id(), id, Some(to))?;
                    }
                }
                OrgDeletion::Cascade => {
                    for r in &referrers {
                        let sole = match &r.detail {
                            Detail::Contact { .. } => r.organization() == Some(org),
                            Detail::Meeting { .. } | Detail::Agreement { .. } | Detail::Activity { .. } => {
                                r.organizations() == [org]
                            }
                            _ => false,
                        };
                        if sole {
                            plan.delete(catalog, &r.id())?;
                        }
                    }
                }
            }
            plan.delete(catalog, id)?;
        }
        self.commit_plan(&mut writer, plan)
    }

    /// Deletes a person for good. Meetings, agreements, commitments and organizations that
    /// named them are updated so that nothing points at them any more.
    pub fn delete_contact(&self, id: &Id, revision: u64) -> Result<DeleteReport> {
        self.delete_simple(RecordKind::Contact, id, revision)
    }

    /// Deletes a meeting and its commitments.
    pub fn delete_meeting(&self, id: &Id, revision: u64) -> Result<DeleteReport> {
        self.delete_simple(RecordKind::Meeting, id, revision)
    }

    /// Deletes an agreement and its commitments; agreements that hung from it lose their parent.
    pub fn delete_agreement(&self, id: &Id, revision: u64) -> Result<DeleteReport> {
        self.delete_simple(RecordKind::Agreement, id, revision)
    }

    /// Deletes an activity and its commitments.
    pub fn delete_activity(&self, id: &Id, revision: u64) -> Result<DeleteReport> {
        self.delete_simple(RecordKind::Activity, id, revision)
    }

    pub fn delete_commitment(&self, id: &Id, revision: u64) -> Result<DeleteReport> {
        self.delete_simple(RecordKind::Commitment, id, revision)
    }

    pub(super) fn delete_simple(&self, kind: RecordKind, id: &Id, revision: u64) -> Result<DeleteReport> {
        let mut writer = self.lock_writer();
        self.check_revision(kind, id, revision)?;
        let mut plan = Plan::new(self);
        self.with_catalog(|catalog| plan.delete(catalog, id))?;
        self.commit_plan(&mut writer, plan)
    }

    fn check_revision(&self, kind: RecordKind, id: &Id, revision: u64) -> Result<()> {
        let current = self.get_any(id)?;
        if current.kind() != kind {
            return Err(Error::NotFound { kind, id: id.clone() });
        }
        if current.revision() != revision {
            return Err(Error::Conflict { expected: revision, current: Box::new(current) });
        }
        Ok(())
    }

    pub(super) fn commit_plan(
        &self,
        writer: &mut MutexGuard<'_, Writer>,
        plan: Plan<'_>,
    ) -> Result<DeleteReport> {
        let now = Timestamp::now();
        let projection = self.projection();
        let title = |kind: RecordKind, id: &Id| RecordRef {
            kind,
            id: id.clone(),
            title: projection.catalog.get(id).map(|s| s.title().to_owned()).unwrap_or_default(),
        };
        let mut report = DeleteReport::default();
        let mut change = Change::default();
        for (kind, id) in &plan.deleted {
            report.deleted.push(title(*kind, id));
            change.deletes.push((*kind, id.clone()));
        }
        for mut record in plan.changed.into_values() {
            report.updated.push(title(record.kind(), record.id()));
            bump(&mut record, now);
            change.puts.push(record);
        }
        drop(projection);
        sort_refs(&mut report.updated);
        let documents_go = change.deletes.iter().any(|(kind, _)| *kind == RecordKind::Document);
        self.commit(writer, change)?;
        if documents_go {
            // The change is durable; a file that cannot be removed now goes at the next open.
            let _ = self.sweep_files(writer);
        }
        Ok(report)
    }
}

/// Deletions and the updates they force, gathered before anything is written.
pub(super) struct Plan<'a> {
    store: &'a Store,
    pub(super) deleted: Vec<(RecordKind, Id)>,
    deleted_set: HashSet<Id>,
    pub(super) changed: HashMap<Id, AnyRecord>,
}

impl<'a> Plan<'a> {
    pub(super) fn new(store: &'a Store) -> Plan<'a> {
        Plan { store, deleted: Vec::new(), deleted_set: HashSet::new(), changed: HashMap::new() }
    }

    /// Deletes `id`; its commitments and documents go with it, every other reference to it is
    /// dropped.
    pub(super) fn delete(&mut self, catalog: &Catalog, id: &Id) -> Result<()> {
        let Some(summary) = catalog.get(id) else {
            return Err(Error::NotFound {
                kind: id.kind().unwrap_or(RecordKind::Organization),
                id: id.clone(),
            });
        };
        if !self.deleted_set.insert(id.clone()) {
            return Ok(());
        }
        self.deleted.push((summary.kind(), id.clone()));
        self.changed.remove(id);
        let slot = catalog.slot(id).expect("a record in the catalog has a slot");
        let referrers: Vec<(Id, bool)> =
            catalog.referrers(slot).map(|r| (r.id(), r.belongs_to() == Some(slot))).collect();
        for (referrer, owned) in referrers {
            if self.deleted_set.contains(&referrer) {
                continue;
            }
            // Moved to another record by this plan already (a merge's documents).
            let moved = self.changed.get(&referrer).is_some_and(|r| r.belongs_to() != Some(id));
            if owned && !moved {
                self.delete(catalog, &referrer)?;
            } else {
                self.retarget(&referrer, id, None)?;
            }
        }
        Ok(())
    }

    fn retarget(&mut self, record: &Id, from: &Id, to: Option<&Id>) -> Result<()> {
        if self.deleted_set.contains(record) {
            return Ok(());
        }
        if !self.changed.contains_key(record) {
            let current = self.store.get_any(record)?;
            self.changed.insert(record.clone(), current);
        }
        self.changed.get_mut(record).expect("inserted above").retarget(from, to);
        Ok(())
    }
}
