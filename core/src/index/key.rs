//! How the in-memory projection names records: a [`Slot`] (a dense number per record, shared by
//! the catalog and the search index) and a [`Key`] (an id in 24 bytes).

use crate::model::{Id, RecordKind};

/// A record's place in the catalog and the search index.
pub(crate) type Slot = u32;

/// An id in 24 bytes: its kind and the 128 bits of its hex part (as two halves, so that it
/// needs no 16-byte alignment). Every id the store makes has this shape (`org_` and 32
/// lowercase hex digits), so the two convert exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Key {
    pub kind: RecordKind,
    high: u64,
    low: u64,
}

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        // The low half of a UUIDv7 is random: enough for a hash table.
        h.write_u64(self.low ^ self.kind as u64);
    }
}

impl Key {
    /// The key of a well-formed id; `None` for anything else (an id no record can have).
    pub fn of(id: &Id) -> Option<Key> {
        let (prefix, hex) = id.as_str().split_once('_')?;
        let kind = RecordKind::ALL.into_iter().find(|k| k.prefix() == prefix)?;
        let canonical =
            hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        canonical.then(|| Key::new(kind, u128::from_str_radix(hex, 16).expect("checked: 32 hex digits")))
    }

    pub fn new(kind: RecordKind, bits: u128) -> Key {
        Key { kind, high: (bits >> 64) as u64, low: bits as u64 }
    }

    pub fn bits(self) -> u128 {
        (u128::from(self.high) << 64) | u128::from(self.low)
    }

    pub fn id(self) -> Id {
        Id::trusted(format!("{}_{:032x}", self.kind.prefix(), self.bits()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_ids_convert_exactly() {
        let id = Id::new(RecordKind::Meeting);
        let key = Key::of(&id).expect("a new id is well formed");
        assert_eq!(key.kind, RecordKind::Meeting);
        assert_eq!(key.id(), id);
        for bad in
            ["mtg_0193", "xyz_0193aaaaaaaaaaaaaaaaaaaaaaaaaaaa", "mtg_0193AAAAAAAAAAAAAAAAAAAAAAAAAAAA", ""]
        {
            assert_eq!(Key::of(&Id::trusted(bad.into())), None, "{bad}");
        }
    }
}
