//! The in-memory projection of the store: what lists, reference checks, search and the views
//! read instead of decoding records. Rebuilt from the records, or loaded from `store.state`
//! (`saved.rs`), and kept in step with every committed change by the store.
//!
//! - `key.rs`: slots (a dense number per record) and keys (an id in 24 bytes);
//! - `catalog.rs`: a fixed-size summary of every record and who refers to whom;
//! - `search.rs`: folded words and exact values to the slots holding them;
//! - `saved.rs`: the two saved beside the store between sessions.

pub(crate) mod catalog;
pub(crate) mod key;
pub(crate) mod saved;
pub(crate) mod search;

use crate::model::{AnyRecord, Id, RecordKind};
use catalog::Catalog;
use search::SearchIndex;

/// The catalog and the search index, kept together: they share slots.
#[derive(Debug, Default)]
pub(crate) struct Projection {
    pub(crate) catalog: Catalog,
    pub(crate) search: SearchIndex,
}

impl Projection {
    /// Adds records read from the store (a rebuild, or what changed since it was saved).
    pub(crate) fn add(&mut self, records: &[AnyRecord]) {
        let slots = self.catalog.upsert_all(&records.iter().collect::<Vec<_>>());
        for (record, slot) in records.iter().zip(slots) {
            self.search.insert(slot, record);
        }
    }

    /// Follows one committed change: `puts` written over `replaced` (their earlier versions),
    /// and the records under `deletes` removed, `deleted` their last versions (`None` where
    /// there was none, or it did not decode).
    pub(crate) fn apply(
        &mut self,
        puts: &[AnyRecord],
        replaced: &[Option<AnyRecord>],
        deletes: &[(RecordKind, Id)],
        deleted: &[Option<AnyRecord>],
    ) {
        let earlier =
            puts.iter().map(AnyRecord::id).zip(replaced).chain(deletes.iter().map(|(_, id)| id).zip(deleted));
        let mut unknown = roaring::RoaringBitmap::new();
        for (id, old) in earlier {
            let Some(slot) = self.catalog.slot(id) else {
                continue;
            };
            match old {
                Some(old) => self.search.remove(slot, old),
                // What the index holds of it is not known: take it out of every term.
                None => {
                    unknown.insert(slot);
                }
            }
        }
        self.search.remove_all(&unknown);
        for (_, id) in deletes {
            self.catalog.remove(id);
        }
        self.add(puts);
    }
}
