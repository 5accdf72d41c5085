//! The import that merges an export file into a store: a plan first (new, newer, older,
//! conflicts, likely duplicates), then one atomic change as the user chose.

use super::Export;
use crate::error::{Error, Result};
use crate::index::catalog::Detail;
use crate::index::key::Key;
use crate::model::{AnyRecord, Id, RecordKind, RecordRef};
use crate::store::{Audit, AuditEvent, Change, Store};
use crate::text::fold;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Why an incoming record looks like one already here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Likeness {
    /// The same identifier in another address book (a vCard's `UID`), or a card this app wrote.
    SameUid,
    SameEmail,
    SameAcronym,
    SameName,
    SameFolio,
    /// An instrument without a folio, known by its title.
    SameTitle,
}

/// An incoming record that looks like a record already in the store.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Duplicate {
    pub incoming: RecordRef,
    pub existing: RecordRef,
    pub likeness: Likeness,
}

/// A record changed on both sides since they last agreed (same revision, different content).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Conflict {
    pub record: RecordRef,
    pub local_updated_at: Option<Timestamp>,
    pub incoming_updated_at: Option<Timestamp>,
}

/// What an import would do, for the user to look at before anything is written.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportPlan {
    pub total: usize,
    /// Records not in the store (not counting likely duplicates).
    pub added: usize,
    /// Records the file holds a newer revision of: they will replace the store's.
    pub updated: Vec<RecordRef>,
    /// Records the store holds as they are in the file.
    pub unchanged: usize,
    /// Records the store holds a newer revision of: the store's are kept.
    pub older: usize,
    /// Same revision, different content: the store's are kept unless chosen otherwise.
    pub conflicts: Vec<Conflict>,
    /// New records that look like records already here: kept as new unless chosen to merge.
    pub duplicates: Vec<Duplicate>,
}

/// The user's choices on a plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImportChoices {
    /// Incoming records (likely duplicates) to merge into the record already here: they are
    /// not imported, and what refers to them refers to that record instead.
    #[serde(default)]
    pub merge: Vec<Id>,
    /// Records in conflict for which the file's version is taken.
    #[serde(default)]
    pub take_incoming: Vec<Id>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub added: usize,
    pub updated: usize,
    pub merged: usize,
    pub kept: usize,
}

/// Where a long import is: `(done, of)` records, per step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ImportStep {
    Checking,
    Writing,
}

/// Folded keys that make two records of a kind likely the same.
pub(super) fn likeness_keys(r: &AnyRecord) -> Vec<(Likeness, String)> {
    let folded = |s: &str| fold(s).split_whitespace().collect::<Vec<_>>().join(" ");
    let mut keys = Vec::new();
    match r {
        AnyRecord::Organization(o) => {
            for a in [&o.acronym_es, &o.acronym_en] {
                if !a.trim().is_empty() {
                    keys.push((Likeness::SameAcronym, folded(a)));
                }
            }
            for n in [&o.name_es, &o.name_en] {
                if !n.trim().is_empty() {
                    keys.push((Likeness::SameName, folded(n)));
                }
            }
        }
        AnyRecord::Contact(c) => {
            if !c.id.is_empty() {
                keys.push((Likeness::SameUid, crate::exchange::vcard::uid_of(&c.id)));
            }
            for uid in &c.uids {
                keys.push((Likeness::SameUid, uid.trim().to_lowercase()));
            }
            for e in &c.emails {
                if !e.value.trim().is_empty() {
                    keys.push((Likeness::SameEmail, e.value.trim().to_lowercase()));
                }
            }
            keys.push((Likeness::SameName, folded(&c.full_name)));
        }
        AnyRecord::Agreement(a) if !a.folio.trim().is_empty() => {
            keys.push((Likeness::SameFolio, folded(&a.folio)))
        }
        AnyRecord::Agreement(a) if !a.title.trim().is_empty() => {
            keys.push((Likeness::SameTitle, folded(&a.title)))
        }
        _ => {}
    }
    keys
}

fn reference(r: &AnyRecord) -> RecordRef {
    RecordRef { kind: r.kind(), id: r.id().clone(), title: r.title() }
}

/// How one incoming record relates to the store.
enum Fate {
    Add,
    Update,
    Unchanged,
    Older,
    /// Same revision, different content; carries the store's revision.
    Conflict(u64),
}

impl Store {
    fn fates(&self, file: &Export) -> Result<Vec<(AnyRecord, Fate)>> {
        let mut out = Vec::with_capacity(file.len());
        for incoming in file.records() {
            let fate = match self.get_any(incoming.id()) {
                Err(Error::NotFound { .. }) => Fate::Add,
                Err(e) => return Err(e),
                Ok(local) if local == incoming => Fate::Unchanged,
                Ok(local) => match incoming.revision().cmp(&local.revision()) {
                    std::cmp::Ordering::Greater => Fate::Update,
                    std::cmp::Ordering::Less => Fate::Older,
                    std::cmp::Ordering::Equal => Fate::Conflict(local.revision()),
                },
            };
            out.push((incoming, fate));
        }
        Ok(out)
    }

    /// What importing `file` would do. Reads only.
    pub fn plan_import(&self, file: &Export) -> Result<ImportPlan> {
        let fates = self.fates(file)?;
        let mut plan = ImportPlan { total: fates.len(), ..ImportPlan::default() };
        let existing = self.likeness_index();
        for (r, fate) in &fates {
            match fate {
                Fate::Add => match likely_duplicate(&existing, r) {
                    Some((likeness, existing)) => {
                        plan.duplicates.push(Duplicate { incoming: reference(r), existing, likeness })
                    }
                    None => plan.added += 1,
                },
                Fate::Update => plan.updated.push(reference(r)),
                Fate::Unchanged => plan.unchanged += 1,
                Fate::Older => plan.older += 1,
                Fate::Conflict(_) => {
                    let local = self.get_any(r.id())?;
                    plan.conflicts.push(Conflict {
                        record: reference(r),
                        local_updated_at: local.updated_at(),
                        incoming_updated_at: r.updated_at(),
                    });
                }
            }
        }
        Ok(plan)
    }

    /// The folded likeness keys of the store's organizations, contacts and agreements.
    pub(super) fn likeness_index(&self) -> HashMap<(RecordKind, Likeness, String), RecordRef> {
        let mut index = HashMap::new();
        for kind in [RecordKind::Organization, RecordKind::Contact, RecordKind::Agreement] {
            for r in self.list(kind) {
                if let Ok(record) = self.get_any(&r.id) {
                    for (likeness, key) in likeness_keys(&record) {
                        index.entry((kind, likeness, key)).or_insert_with(|| r.clone());
                    }
                }
            }
        }
        index
    }

    /// Imports `file` as the user chose, in one atomic change: everything or nothing. The
    /// plan is made again under the write lock, so nothing that changed meanwhile is lost.
    /// `progress` hears how far it got.
    pub fn import(
        &self,
        file: &Export,
        choices: &ImportChoices,
        progress: &mut dyn FnMut(ImportStep, usize, usize),
    ) -> Result<ImportReport> {
        let mut writer = self.lock_writer();
        let fates = self.fates(file)?;
        let existing = self.likeness_index();
        let merge: HashSet<&Id> = choices.merge.iter().collect();
        let take: HashSet<&Id> = choices.take_incoming.iter().collect();
        let mut report = ImportReport::default();
        // Duplicates chosen to merge: what refers to them refers to the record here.
        let mut merged_into: HashMap<Id, Id> = HashMap::new();
        for (r, fate) in &fates {
            if matches!(fate, Fate::Add)
                && merge.contains(r.id())
                && let Some((_, here)) = likely_duplicate(&existing, r)
            {
                merged_into.insert(r.id().clone(), here.id);
            }
        }
        let mut puts = Vec::new();
        for (mut r, fate) in fates {
            let keep = match fate {
                Fate::Add if merged_into.contains_key(r.id()) => {
                    report.merged += 1;
                    false
                }
                Fate::Add => {
                    report.added += 1;
                    true
                }
                Fate::Update => {
                    report.updated += 1;
                    true
                }
                Fate::Conflict(local) if take.contains(r.id()) => {
                    // A revision of its own, so that a copy still holding the other side of
                    // the conflict sees this one as newer, not as the same conflict again.
                    r.set_revision(local + 1);
                    report.updated += 1;
                    true
                }
                Fate::Unchanged | Fate::Older | Fate::Conflict(_) => {
                    report.kept += 1;
                    false
                }
            };
            if keep {
                for (from, to) in &merged_into {
                    r.retarget(from, Some(to));
                }
                puts.push(r);
            }
        }
        // A folio is unique: an agreement kept beside one that has its folio gets a mark.
        let replaced: HashSet<Key> = puts.iter().filter_map(|r| Key::of(r.id())).collect();
        let mut folios: HashSet<String> = self.with_catalog(|catalog| {
            catalog
                .of_kind(RecordKind::Agreement)
                .filter(|s| !replaced.contains(&s.key))
                .filter_map(|s| match &s.detail {
                    Detail::Agreement { folio, .. } if folio.len > 0 => Some(fold(s.text(*folio))),
                    _ => None,
                })
                .collect()
        });
        for r in &mut puts {
            if let AnyRecord::Agreement(a) = r
                && !a.folio.is_empty()
            {
                let base = a.folio.clone();
                let mut n = 1;
                while !folios.insert(fold(&a.folio)) {
                    n += 1;
                    a.folio = format!("{base} ({n})");
                }
            }
        }
        // Check every record against the store as it will be.
        let total = puts.len();
        let violations = self.check_batch(&mut puts, |i, _, _| {
            if i % 500 == 0 {
                progress(ImportStep::Checking, i, total);
            }
            Vec::new()
        });
        if !violations.is_empty() {
            return Err(Error::Invalid(violations));
        }
        progress(ImportStep::Writing, 0, total);
        self.put_files_for(&writer, &puts, &file.files)?;
        let documents_change = puts.iter().any(|r| r.kind() == RecordKind::Document);
        if !puts.is_empty() {
            self.commit(
                &mut writer,
                Change { puts, audit: Audit::Summary(AuditEvent::Imported), ..Change::default() },
            )?;
        }
        if documents_change {
            // A document that took another file leaves its old one to no one.
            let _ = self.sweep_files(&writer);
        }
        progress(ImportStep::Writing, total, total);
        Ok(report)
    }
}

fn likely_duplicate(
    existing: &HashMap<(RecordKind, Likeness, String), RecordRef>,
    r: &AnyRecord,
) -> Option<(Likeness, RecordRef)> {
    likeness_keys(r).into_iter().find_map(|(likeness, key)| {
        existing.get(&(r.kind(), likeness, key)).map(|here| (likeness, here.clone()))
    })
}
