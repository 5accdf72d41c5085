//! The office's editing rules over the store: saves (revision-checked, validated, stamped),
//! deletes that leave nothing dangling (`delete.rs`), batches of new records (`batch.rs`) and
//! the sample data (`sample.rs`). Every change is one [`Change`] given to [`Store::commit`].

mod batch;
mod delete;
mod documents;
pub(crate) mod sample;

pub use delete::{DeleteReport, OrgDeletion};

use crate::clock::office_today;
use crate::error::{Code, Error, Result, Violation};
use crate::index::catalog::{Catalog, Pending};
use crate::model::{
    Activity, Agreement, AnyRecord, Commitment, CommitmentSource, CommitmentStatus, Contact, Id, Meeting,
    Organization, PostRecord, Record, RecordKind, WithCommitments,
};
use crate::store::{Change, Store};
use crate::validate::{self, Lookup};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// A commitment to remove while saving its meeting or agreement, with the revision the caller
/// saw (so a commitment changed meanwhile is not removed blindly).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Removal {
    pub id: Id,
    pub revision: u64,
}

/// The validation of a meeting, an agreement or an activity.
type Check<P> = fn(&mut P, &dyn Lookup) -> Vec<Violation>;

impl Store {
    pub fn save_organization(&self, org: Organization) -> Result<Organization> {
        self.save_single(org, |org, lookup, _| validate::check_organization(org, lookup))
    }

    /// Saves a contact. When the post or organization changes, the previous one is added to
    /// the post history (unless the caller already added it) and `postSince` moves to today.
    pub fn save_contact(&self, contact: Contact) -> Result<Contact> {
        self.save_single(contact, |contact, lookup, old| {
            let violations = validate::check_contact(contact, lookup);
            if violations.is_empty()
                && let Some(old) = old
            {
                record_post_change(old, contact, lookup);
            }
            violations
        })
    }

    /// Saves one commitment on its own (for example, to mark it done from the home view).
    /// Its meeting or agreement cannot change.
    pub fn save_commitment(&self, commitment: Commitment) -> Result<Commitment> {
        self.save_single(commitment, |c, lookup, old| {
            date_fulfilment(c, old);
            let mut violations = validate::check_commitment(c, "", lookup);
            if old.is_some_and(|old| old.source != c.source) {
                violations.push(Violation::new("source", Code::WrongParent));
            }
            violations
        })
    }

    pub(super) fn save_single<R>(
        &self,
        mut record: R,
        check: impl FnOnce(&mut R, &Catalog, Option<&R>) -> Vec<Violation>,
    ) -> Result<R>
    where
        R: Record + Into<AnyRecord>,
    {
        let mut writer = self.lock_writer();
        let old = self.current_for_save(&record)?;
        let violations = self.with_catalog(|catalog| check(&mut record, catalog, old.as_ref()));
        if !violations.is_empty() {
            return Err(Error::Invalid(violations));
        }
        next_revision(&mut record, old.as_ref(), Timestamp::now());
        record.set_sample(false);
        self.commit(&mut writer, Change { puts: vec![record.clone().into()], ..Change::default() })?;
        Ok(record)
    }

    /// The stored version of a record about to be saved: `None` for a new one (empty id),
    /// [`Error::NotFound`] for an unknown id, [`Error::Conflict`] when the caller's revision is
    /// not the current one.
    fn current_for_save<R: Record + Into<AnyRecord>>(&self, record: &R) -> Result<Option<R>> {
        if record.id().is_empty() {
            return Ok(None);
        }
        if Id::parse(record.id().as_str()).and_then(|id| id.kind()) != Some(R::KIND) {
            return Err(Error::invalid("id", Code::InvalidId));
        }
        let current: R = self.get(record.id())?;
        if current.revision() != record.revision() {
            return Err(Error::Conflict { expected: record.revision(), current: Box::new(current.into()) });
        }
        Ok(Some(current))
    }

    /// Saves a meeting with its commitments in one atomic change: commitments without id are
    /// created, the others updated (revision-checked), and `removed` ones deleted.
    pub fn save_meeting(
        &self,
        save: WithCommitments<Meeting>,
        removed: &[Removal],
    ) -> Result<WithCommitments<Meeting>> {
        self.save_parent(save, removed, validate::check_meeting, CommitmentSource::Meeting)
    }

    /// Saves an agreement with its commitments, like [`Store::save_meeting`].
    pub fn save_agreement(
        &self,
        save: WithCommitments<Agreement>,
        removed: &[Removal],
    ) -> Result<WithCommitments<Agreement>> {
        self.save_parent(save, removed, validate::check_agreement, CommitmentSource::Agreement)
    }

    /// Saves an activity with its follow-up commitments, like [`Store::save_meeting`].
    pub fn save_activity(
        &self,
        save: WithCommitments<Activity>,
        removed: &[Removal],
    ) -> Result<WithCommitments<Activity>> {
        self.save_parent(save, removed, validate::check_activity, CommitmentSource::Activity)
    }

    fn save_parent<P>(
        &self,
        save: WithCommitments<P>,
        removed: &[Removal],
        check: Check<P>,
        source_of: fn(Id) -> CommitmentSource,
    ) -> Result<WithCommitments<P>>
    where
        P: Record + Into<AnyRecord>,
    {
        let WithCommitments { record: mut parent, mut commitments } = save;
        let mut writer = self.lock_writer();
        let old = self.current_for_save(&parent)?;
        let parent_id = if parent.id().is_empty() { Id::new(P::KIND) } else { parent.id().clone() };
        let source = source_of(parent_id.clone());
        let mut violations = Vec::new();
        let olds = self.check_with_commitments(
            (&mut parent, &parent_id, check),
            &mut commitments,
            removed,
            &source,
            &mut violations,
        )?;
        let deletes = self.removals(removed, &source, &mut violations)?;
        if !violations.is_empty() {
            return Err(Error::Invalid(violations));
        }

        let now = Timestamp::now();
        match &old {
            Some(old) => next_revision(&mut parent, Some(old), now),
            None => parent.stamp(parent_id, 1, now, now),
        }
        parent.set_sample(false);
        let mut puts: Vec<AnyRecord> = vec![parent.clone().into()];
        let changed = changed_commitments(commitments, olds, now);
        puts.extend(changed.iter().cloned().map(AnyRecord::from));
        self.commit(&mut writer, Change { puts, deletes, ..Change::default() })?;
        drop(writer);
        // What was just written is at hand: only the commitments left as they were are read.
        let commitments = self.commitments_among(parent.id(), changed)?;
        Ok(WithCommitments { record: parent, commitments })
    }

    /// Checks a parent and its commitments as the store will see them (the parent with an id
    /// of its own, for cycles), adding what is wrong to `violations`; returns the stored
    /// version of each commitment (`None` for new ones).
    fn check_with_commitments<P>(
        &self,
        (parent, parent_id, check): (&mut P, &Id, Check<P>),
        commitments: &mut [Commitment],
        removed: &[Removal],
        source: &CommitmentSource,
        violations: &mut Vec<Violation>,
    ) -> Result<Vec<Option<Commitment>>>
    where
        P: Record,
    {
        let added: HashMap<Id, RecordKind> = HashMap::from([(parent_id.clone(), P::KIND)]);
        let projection = self.projection();
        let lookup = Pending { catalog: &projection.catalog, added: &added, parents: &HashMap::new() };
        violations.extend(check(parent, &lookup));
        if commitments.len() > validate::MAX_LIST {
            violations.push(Violation::new("commitments", Code::TooMany).with("max", validate::MAX_LIST));
        }
        let mut listed: HashSet<Id> = removed.iter().map(|r| r.id.clone()).collect();
        let mut olds = Vec::with_capacity(commitments.len());
        for (i, c) in commitments.iter_mut().enumerate() {
            let prefix = format!("commitments[{i}].");
            if c.source.as_ref().is_some_and(|s| s != source) {
                violations.push(Violation::new(format!("{prefix}source"), Code::WrongParent));
                olds.push(None);
                continue;
            }
            if !c.id.is_empty() && !listed.insert(c.id.clone()) {
                // Listed twice, or both saved and removed: refuse rather than guess.
                violations.push(Violation::new(format!("{prefix}id"), Code::DuplicateEntry));
                olds.push(None);
                continue;
            }
            c.source = Some(source.clone());
            let old = self.current_for_save(c).map_err(|e| at_field(e, &prefix))?;
            if old.as_ref().is_some_and(|o| o.source.as_ref() != Some(source)) {
                violations.push(Violation::new(format!("{prefix}source"), Code::WrongParent));
            }
            date_fulfilment(c, old.as_ref());
            violations.extend(validate::check_commitment(c, &prefix, &lookup));
            olds.push(old);
        }
        Ok(olds)
    }

    /// The commitments a parent save removes, each checked to hang from `source` and to be at
    /// the revision the caller saw.
    fn removals(
        &self,
        removed: &[Removal],
        source: &CommitmentSource,
        violations: &mut Vec<Violation>,
    ) -> Result<Vec<(RecordKind, Id)>> {
        let mut deletes = Vec::with_capacity(removed.len());
        for (i, r) in removed.iter().enumerate() {
            let current: Commitment =
                self.get(&r.id).map_err(|e| at_field(e, &format!("removedCommitments[{i}].")))?;
            if current.source.as_ref() != Some(source) {
                violations.push(Violation::new(format!("removedCommitments[{i}]"), Code::WrongParent));
            } else if current.revision != r.revision {
                return Err(Error::Conflict { expected: r.revision, current: Box::new(current.into()) });
            }
            deletes.push((RecordKind::Commitment, r.id.clone()));
        }
        Ok(deletes)
    }
}

/// The commitments of a parent save that are new or changed, stamped; an unchanged one keeps
/// its revision, so a screen that loaded it stays current.
fn changed_commitments(
    commitments: Vec<Commitment>,
    olds: Vec<Option<Commitment>>,
    now: Timestamp,
) -> Vec<Commitment> {
    let mut out = Vec::with_capacity(commitments.len());
    for (mut c, old) in commitments.into_iter().zip(olds) {
        if let Some(old) = &old {
            let mut same = c.clone();
            same.created_at = old.created_at;
            same.updated_at = old.updated_at;
            same.sample = old.sample;
            if &same == old {
                continue;
            }
        }
        next_revision(&mut c, old.as_ref(), now);
        c.set_sample(false);
        out.push(c);
    }
    out
}

/// Dates a commitment's fulfilment today (the office's day) when it has just been marked done
/// without a day (a day given is kept; validation clears it from an open one).
fn date_fulfilment(c: &mut Commitment, before: Option<&Commitment>) {
    let just_done = before.is_none_or(|b| b.status != CommitmentStatus::Done);
    if c.status == CommitmentStatus::Done && c.done_on.is_none() && just_done {
        c.done_on = Some(office_today(Timestamp::now()).to_string());
    }
}

/// Places an id error of a record inside a parent save at that record's fields.
fn at_field(e: Error, prefix: &str) -> Error {
    match e {
        Error::Invalid(violations) => Error::Invalid(
            violations
                .into_iter()
                .map(|mut v| {
                    v.field = format!("{prefix}{}", v.field);
                    v
                })
                .collect(),
        ),
        other => other,
    }
}

/// Fills the bookkeeping of a record a user saves: a new id and revision 1, or the next
/// revision of `old`.
fn next_revision<R: Record>(record: &mut R, old: Option<&R>, now: Timestamp) {
    match old {
        Some(old) => {
            let created = old.created_at().unwrap_or(now);
            record.stamp(old.id().clone(), old.revision() + 1, created, now)
        }
        None => record.stamp(Id::new(R::KIND), 1, now, now),
    }
}

/// A system-made change to a record (a reference dropped): new revision, same sample flag.
pub(crate) fn bump(record: &mut AnyRecord, now: Timestamp) {
    let revision = record.revision() + 1;
    let id = record.id().clone();
    let created = record.created_at().unwrap_or(now);
    record.stamp(id, revision, created, now);
}

/// Adds the previous post to a contact's history when post or organization changed.
pub(crate) fn record_post_change(old: &Contact, new: &mut Contact, catalog: &Catalog) {
    let changed = old.post != new.post || old.organization_id != new.organization_id;
    if !changed || (old.post.is_empty() && old.organization_id.is_none()) {
        return;
    }
    let already = new
        .post_history
        .first()
        .is_some_and(|h| h.post == old.post && h.organization_id == old.organization_id);
    let today = office_today(Timestamp::now()).to_string();
    if !already {
        let organization_name = old
            .organization_id
            .as_ref()
            .and_then(|id| catalog.get(id))
            .map(|s| s.title().to_owned())
            .unwrap_or_default();
        new.post_history.insert(
            0,
            PostRecord {
                post: old.post.clone(),
                organization_id: old.organization_id.clone(),
                organization_name,
                from: old.post_since.clone(),
                until: Some(today.clone()),
            },
        );
    }
    if new.post_since == old.post_since {
        new.post_since = Some(today);
    }
}
