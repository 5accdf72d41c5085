//! Reading records: from sled (whole records) and from the projection (names, references,
//! search). A reader never sees part of a change.

use super::codec::decode_any;
use super::{Store, relock};
use crate::error::{Code, Error, Result};
use crate::index::search::SearchResults;
use crate::model::{
    Activity, Agreement, AnyRecord, Commitment, Id, Meeting, Record, RecordKind, RecordRef, WithCommitments,
};

impl Store {
    fn tree(&self, kind: RecordKind) -> &sled::Tree {
        &self.trees.records[kind.index()]
    }

    /// The stored bytes of a record, never from the middle of a change.
    fn read(&self, kind: RecordKind, id: &Id) -> Result<Option<sled::IVec>> {
        let _whole = relock(self.applying.read());
        Ok(self.tree(kind).get(id.as_str().as_bytes())?)
    }

    /// One record by id.
    pub fn get<R: Record>(&self, id: &Id) -> Result<R> {
        let bytes =
            self.read(R::KIND, id)?.ok_or_else(|| Error::NotFound { kind: R::KIND, id: id.clone() })?;
        super::codec::decode(self.key.as_ref(), id.as_str().as_bytes(), &bytes)
            .map_err(|e| Error::Corrupt { detail: format!("record {id}: {e}") })
    }

    /// One record of any kind, by id.
    pub fn get_any(&self, id: &Id) -> Result<AnyRecord> {
        let kind = id.kind().ok_or_else(|| Error::invalid("id", Code::InvalidId))?;
        let bytes = self.read(kind, id)?.ok_or_else(|| Error::NotFound { kind, id: id.clone() })?;
        decode_any(self.key.as_ref(), kind, id.as_str().as_bytes(), &bytes)
            .map_err(|e| Error::Corrupt { detail: format!("record {id}: {e}") })
    }

    /// Every record, read from sled itself (not from the projection), sorted by id. The caller
    /// holds the writer when it needs one point in time.
    pub(crate) fn read_all(&self) -> Result<Vec<AnyRecord>> {
        let mut all = Vec::with_capacity(self.len());
        for kind in RecordKind::ALL {
            for entry in self.tree(kind).iter() {
                let (key, value) = entry?;
                all.push(decode_any(self.key.as_ref(), kind, &key, &value).map_err(|e| Error::Corrupt {
                    detail: format!(
                        "record {} in tree {}: {e}",
                        String::from_utf8_lossy(&key),
                        kind.prefix()
                    ),
                })?);
            }
        }
        all.sort_by(|a, b| a.id().cmp(b.id()));
        Ok(all)
    }

    /// A meeting with its commitments.
    pub fn get_meeting(&self, id: &Id) -> Result<WithCommitments<Meeting>> {
        let record = self.get::<Meeting>(id)?;
        Ok(WithCommitments { record, commitments: self.commitments_of(id)? })
    }

    /// An agreement with its commitments.
    pub fn get_agreement(&self, id: &Id) -> Result<WithCommitments<Agreement>> {
        let record = self.get::<Agreement>(id)?;
        Ok(WithCommitments { record, commitments: self.commitments_of(id)? })
    }

    /// An activity with its commitments.
    pub fn get_activity(&self, id: &Id) -> Result<WithCommitments<Activity>> {
        let record = self.get::<Activity>(id)?;
        Ok(WithCommitments { record, commitments: self.commitments_of(id)? })
    }

    /// The commitments hanging from a meeting, agreement or activity, by due date (undated last).
    pub fn commitments_of(&self, source: &Id) -> Result<Vec<Commitment>> {
        self.commitments_among(source, Vec::new())
    }

    /// [`Store::commitments_of`], taking those in `known` as they are instead of reading them.
    pub(crate) fn commitments_among(
        &self,
        source: &Id,
        mut known: Vec<Commitment>,
    ) -> Result<Vec<Commitment>> {
        let ids: Vec<Id> = self.with_catalog(|catalog| {
            catalog
                .slot(source)
                .map_or_else(Vec::new, |slot| catalog.commitments_of(slot).map(|s| s.id()).collect())
        });
        let mut out = Vec::with_capacity(ids.len());
        for id in &ids {
            if let Some(at) = known.iter().position(|c| &c.id == id) {
                out.push(known.swap_remove(at));
                continue;
            }
            match self.get::<Commitment>(id) {
                Ok(c) => out.push(c),
                // Deleted between reading the catalog and reading sled.
                Err(Error::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        out.sort_by(|a, b| {
            (a.due_date().is_none(), a.due_date(), a.created_at, &a.id).cmp(&(
                b.due_date().is_none(),
                b.due_date(),
                b.created_at,
                &b.id,
            ))
        });
        Ok(out)
    }

    /// Every record of a kind, as references sorted by title.
    pub fn list(&self, kind: RecordKind) -> Vec<RecordRef> {
        let mut out: Vec<(String, RecordRef)> = self.with_catalog(|catalog| {
            catalog.of_kind(kind).map(|s| (crate::text::fold(s.title()), s.to_ref())).collect()
        });
        out.sort_by(|a, b| (&a.0, &a.1.id).cmp(&(&b.0, &b.1.id)));
        out.into_iter().map(|(_, r)| r).collect()
    }

    /// The records of `ids` that exist, named: what a form shows for the references it holds.
    pub fn named(&self, ids: &[Id]) -> Vec<RecordRef> {
        self.with_catalog(|catalog| ids.iter().filter_map(|id| catalog.get(id)).map(|e| e.to_ref()).collect())
    }

    /// The records `id` points at (its organizations, people, parent…), named: what its page
    /// links to. [`Error::NotFound`] when there is no such record.
    pub fn links(&self, id: &Id) -> Result<Vec<RecordRef>> {
        self.with_catalog(|catalog| {
            let summary = catalog.get(id).ok_or_else(|| Error::not_found(id))?;
            Ok(summary.refs().iter().filter_map(|&r| catalog.at(r)).map(|e| e.to_ref()).collect())
        })
    }

    /// The records that refer to `id`: what a delete would touch. [`Error::NotFound`] when
    /// there is no such record.
    pub fn references(&self, id: &Id) -> Result<Vec<RecordRef>> {
        let mut out = self.with_catalog(|catalog| {
            let slot = catalog.slot(id).ok_or_else(|| Error::not_found(id))?;
            Ok::<_, Error>(catalog.referrers(slot).map(|s| s.to_ref()).collect::<Vec<_>>())
        })?;
        sort_refs(&mut out);
        Ok(out)
    }

    /// Searches every kind of record. At most `limit` hits (capped at [`crate::MAX_HITS`]).
    pub fn search(&self, query: &str, limit: usize) -> SearchResults {
        let projection = self.projection();
        projection.search.search(query, limit, &projection.catalog)
    }
}

/// References in the order pages list them: by kind, then title.
pub(crate) fn sort_refs(refs: &mut [RecordRef]) {
    refs.sort_by(|a, b| (a.kind, &a.title, &a.id).cmp(&(b.kind, &b.title, &b.id)));
}
