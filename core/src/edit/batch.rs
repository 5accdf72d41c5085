//! Many new records in one atomic change: sample data, imports, restores and test fixtures.

use crate::error::{Code, Error, Result, Violation};
use crate::index::catalog::{Catalog, Pending};
use crate::model::{AnyRecord, Id, RecordKind};
use crate::store::{Audit, AuditEvent, Change, Files, Store};
use crate::text::fold;
use crate::validate;
use jiff::Timestamp;
use std::collections::{HashMap, HashSet};

impl Store {
    /// Loads many new records in one atomic change with one durable flush: the batch path for
    /// sample data, imports and test fixtures. Records without an id get one; references may
    /// point at other records of the same batch.
    /// The audit log says records were imported, and how many.
    pub fn insert_batch(&self, records: Vec<AnyRecord>) -> Result<usize> {
        self.insert_batch_checked(records, &Files::default(), false, Audit::Summary(AuditEvent::Imported))
    }

    /// [`Store::insert_batch`], refusing with [`Error::NotEmpty`] when `require_empty` and the
    /// store holds records (checked under the write lock), logged as `audit` says. The files of
    /// its documents are taken from `files` (or are in the store already).
    pub(crate) fn insert_batch_checked(
        &self,
        mut records: Vec<AnyRecord>,
        files: &Files,
        require_empty: bool,
        audit: Audit,
    ) -> Result<usize> {
        let mut writer = self.lock_writer();
        if require_empty && !self.is_empty() {
            return Err(Error::NotEmpty);
        }
        let now = Timestamp::now();
        for r in &mut records {
            if r.id().is_empty() {
                r.stamp(Id::new(r.kind()), 0, now, now);
            }
        }
        let mut folios: HashSet<String> = HashSet::new();
        let violations = self.check_batch(&mut records, |i, r, catalog| {
            let mut more = Vec::new();
            if catalog.get(r.id()).is_some() {
                more.push(Violation::new(format!("records[{i}].id"), Code::InvalidId));
            }
            // Folios must also differ within the batch (compared once cleaned).
            if let AnyRecord::Agreement(a) = r
                && !a.folio.is_empty()
                && !folios.insert(fold(&a.folio))
            {
                more.push(Violation::new(format!("records[{i}].folio"), Code::DuplicateFolio));
            }
            more
        });
        if !violations.is_empty() {
            return Err(Error::Invalid(violations));
        }
        for r in &mut records {
            let created = r.created_at().unwrap_or(now);
            let updated = r.updated_at().unwrap_or(now);
            let revision = r.revision().max(1);
            let id = r.id().clone();
            r.stamp(id, revision, created, updated);
        }
        self.put_files_for(&writer, &records, files)?;
        let n = records.len();
        self.commit(&mut writer, Change { puts: records, audit, ..Change::default() })?;
        Ok(n)
    }

    /// Checks (and cleans, as every save does) a batch of records as they will stand with the
    /// store: each id well formed and given once, each record valid against the store and the
    /// rest of the batch. Violations are named `records[i].<field>`; `each` adds the caller's
    /// own for record `i`, once it is cleaned.
    pub(crate) fn check_batch(
        &self,
        records: &mut [AnyRecord],
        mut each: impl FnMut(usize, &AnyRecord, &Catalog) -> Vec<Violation>,
    ) -> Vec<Violation> {
        let mut violations = Vec::new();
        let mut added: HashMap<Id, RecordKind> = HashMap::new();
        let mut parents: HashMap<Id, Id> = HashMap::new();
        for (i, r) in records.iter().enumerate() {
            let kind = r.kind();
            let well_formed = Id::parse(r.id().as_str()).and_then(|id| id.kind()) == Some(kind);
            if !well_formed || added.insert(r.id().clone(), kind).is_some() {
                violations.push(Violation::new(format!("records[{i}].id"), Code::InvalidId));
            }
            if let AnyRecord::Agreement(a) = r
                && let Some(parent) = &a.parent_id
            {
                parents.insert(a.id.clone(), parent.clone());
            }
        }
        let projection = self.projection();
        let lookup = Pending { catalog: &projection.catalog, added: &added, parents: &parents };
        for (i, r) in records.iter_mut().enumerate() {
            violations.extend(validate::check_any(r, &lookup).into_iter().map(|mut v| {
                v.field = format!("records[{i}].{}", v.field);
                v
            }));
            violations.extend(each(i, r, &projection.catalog));
        }
        violations
    }
}
