//! Schema migrations, run on open. Each runs in one transaction that also records the new
//! version, so a crash leaves the store at `n` or at `n + 1`; each is tested against a store
//! written by every earlier schema (`core/tests/fixtures/`).

use super::{SCHEMA_KEY, SCHEMA_VERSION, SEQ_KEY, transaction_error};
use crate::error::Result;

/// Migrations from version `n` to `n + 1`, at index `n - 1`.
const MIGRATIONS: &[fn(&sled::Db, &sled::Tree) -> Result<()>] =
    &[migrate_1_to_2, migrate_2_to_3, migrate_3_to_4, migrate_4_to_5];

/// Brings a store written by schema `stored` to [`SCHEMA_VERSION`].
pub(super) fn migrate(db: &sled::Db, meta: &sled::Tree, stored: u32) -> Result<()> {
    for version in stored..SCHEMA_VERSION {
        MIGRATIONS[(version - 1) as usize](db, meta)?;
    }
    meta.insert(SCHEMA_KEY, &SCHEMA_VERSION.to_be_bytes())?;
    Ok(())
}

/// Schema 2 counts changes (`seq`, for `store.seq`) and remembers the last backup.
fn migrate_1_to_2(_db: &sled::Db, meta: &sled::Tree) -> Result<()> {
    use sled::transaction::ConflictableTransactionError;
    meta.transaction(|tx| {
        if tx.get(SEQ_KEY)?.is_none() {
            // The changes schema 1 made were not counted: they count as one.
            tx.insert(SEQ_KEY, &1u64.to_be_bytes())?;
        }
        tx.insert(SCHEMA_KEY, &2u32.to_be_bytes())?;
        Ok::<(), ConflictableTransactionError<()>>(())
    })
    .map_err(transaction_error)
}

/// Schema 3 adds activities (their tree is made on open) and commitments that hang from one:
/// nothing stored changes shape, but a build of schema 2 must not open a store that may hold
/// them (it would not read those commitments).
fn migrate_2_to_3(_db: &sled::Db, meta: &sled::Tree) -> Result<()> {
    meta.insert(SCHEMA_KEY, &3u32.to_be_bytes())?;
    Ok(())
}

/// Schema 4 adds documents (their tree is made on open, their files kept beside the store): a
/// build of schema 3 must not open a store that may hold them (it would lose their files when
/// it swapped the store for another, and would not delete them with their record).
fn migrate_3_to_4(_db: &sled::Db, meta: &sled::Tree) -> Result<()> {
    meta.insert(SCHEMA_KEY, &4u32.to_be_bytes())?;
    Ok(())
}

/// Schema 5 may share with an office (`sync.rs`): a build of schema 4 must not open a store
/// that does, for its changes would not be stamped and would never reach the office.
fn migrate_4_to_5(_db: &sled::Db, meta: &sled::Tree) -> Result<()> {
    meta.insert(SCHEMA_KEY, &5u32.to_be_bytes())?;
    Ok(())
}
