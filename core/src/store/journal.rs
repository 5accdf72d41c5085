//! The journal: which records each change touched, so that opening after a crash brings the
//! saved projection up to date instead of rebuilding it.
//!
//! A tree used as a ring: change `n` is written in slot `n % JOURNAL_SLOTS`, over the entry of
//! a change that many before. A tree that only grew (one new key per change) made sled's files
//! grow four times faster than the records did; a ring rewrites the same keys. After a crash
//! that many changes past the saved projection, it is rebuilt instead.

use crate::error::Result;
use crate::index::key::Key;
use crate::model::RecordKind;

/// The journal's tree.
pub(super) const JOURNAL_TREE: &str = "journal";
const JOURNAL_SLOTS: u64 = 4096;

/// The journal key of change `seq`.
pub(super) fn slot(seq: u64) -> [u8; 2] {
    ((seq % JOURNAL_SLOTS) as u16).to_be_bytes()
}

/// A journal entry: the number of the change, of the change before it (they differ by more
/// than one after a restore raised the counter), then the records it touched.
pub(super) fn entry(seq: u64, before: u64, touched: &[Key]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + touched.len() * 17);
    out.extend_from_slice(&seq.to_be_bytes());
    out.extend_from_slice(&before.to_be_bytes());
    for key in touched {
        out.push(key.kind as u8);
        out.extend_from_slice(&key.bits().to_be_bytes());
    }
    out
}

fn read_entry(bytes: &[u8]) -> Option<(u64, u64, Vec<Key>)> {
    let (seq, rest) = bytes.split_at_checked(8)?;
    let (before, rest) = rest.split_at_checked(8)?;
    let seq = u64::from_be_bytes(seq.try_into().ok()?);
    let before = u64::from_be_bytes(before.try_into().ok()?);
    if rest.len() % 17 != 0 {
        return None;
    }
    let keys = rest
        .chunks_exact(17)
        .map(|c| {
            let kind = *RecordKind::ALL.get(usize::from(c[0]))?;
            Some(Key::new(kind, u128::from_be_bytes(c[1..].try_into().ok()?)))
        })
        .collect::<Option<Vec<Key>>>()?;
    Some((seq, before, keys))
}

/// What the changes after `from` up to `to` touched, each record once, with how many changes
/// those were; or why the journal does not tell (an entry damaged, or a change missing: the
/// ring has moved past it).
pub(super) fn touched_between(
    journal: &sled::Tree,
    from: u64,
    to: u64,
) -> Result<std::result::Result<(Vec<Key>, usize), &'static str>> {
    // The changes after `from`, each following the one before (the ring holds the latest ones).
    let mut entries = Vec::new();
    for entry in journal.iter() {
        let (_, value) = entry?;
        let Some(entry) = read_entry(&value) else { return Ok(Err("journal entry")) };
        if entry.0 > from && entry.0 <= to {
            entries.push(entry);
        }
    }
    entries.sort_unstable_by_key(|e| e.0);
    let changes = entries.len();
    let mut touched: Vec<Key> = Vec::new();
    let mut reached = from;
    for (seq, before, keys) in entries {
        if before != reached {
            return Ok(Err("journal gap"));
        }
        reached = seq;
        touched.extend(keys);
    }
    if reached != to {
        return Ok(Err("journal gap"));
    }
    touched.sort_unstable();
    touched.dedup();
    Ok(Ok((touched, changes)))
}
