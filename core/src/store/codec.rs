//! The one place record bytes are made and read. Every value stored in a record tree passes
//! through [`encode`] and [`decode`]: a format byte, then the record. An encrypted store's
//! values are sealed with its data key and bound to the record's id (see `crate::crypto`), so a
//! value copied under another id, or into another store, does not open; a plain store's
//! values are not, and each refuses the other's.

use crate::crypto::DataKey;
use crate::model::{AnyRecord, RecordKind};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Format byte of the values written before: JSON of the record.
const FORMAT_JSON: u8 = 1;
/// Format byte of the values written today: JSON of the record, compressed as one LZ4 block
/// preceded by its length. A record is a few hundred bytes to a few kilobytes of text:
/// compressed, it takes 0.72 of the space on disk and in sled's cache, for a few
/// microseconds each way.
const FORMAT_JSON_LZ4: u8 = 2;
/// Format byte of an encrypted store's values: the bytes of format 2 after its format byte,
/// sealed (nonce, ciphertext, tag) and bound to the record's id.
pub(super) const FORMAT_SEALED: u8 = 3;
/// The longest JSON a value may say it holds (a record is at most a few megabytes: free text
/// fields are limited to 100 KB), so that a damaged length cannot ask for any memory.
const MAX_JSON_BYTES: usize = 64 << 20;

#[derive(Debug, thiserror::Error)]
pub(crate) enum CodecError {
    #[error("empty value")]
    Empty,
    #[error("unknown value format {0}")]
    UnknownFormat(u8),
    #[error("malformed value: {0}")]
    Malformed(#[from] serde_json::Error),
    #[error("damaged compression")]
    Compression,
    /// A sealed value that does not open with this store's key under this id: another
    /// store's, moved from another record, or damaged.
    #[error("the value does not open with this store's key")]
    Unopened,
    /// A plain value in an encrypted store, or a sealed one in a plain store.
    #[error("the value is {}", if *.0 { "sealed, in a store without a key" } else { "plain, in an encrypted store" })]
    WrongSealing(bool),
}

/// The bytes stored for `value` under the key `id`, sealed when the store has a data key.
pub(crate) fn encode<T: Serialize>(key: Option<&DataKey>, id: &[u8], value: &T) -> Vec<u8> {
    let json = serde_json::to_vec(value).expect("records are plain data and always serialize");
    let compressed = lz4_flex::block::compress_prepend_size(&json);
    let mut out = Vec::with_capacity(1 + crate::crypto::SEAL_OVERHEAD + compressed.len());
    match key {
        None => {
            out.push(FORMAT_JSON_LZ4);
            out.extend_from_slice(&compressed);
        }
        Some(key) => {
            out.push(FORMAT_SEALED);
            key.seal_into(id, &compressed, &mut out);
        }
    }
    out
}

/// The value stored under the key `id`.
pub(crate) fn decode<T: DeserializeOwned>(
    key: Option<&DataKey>,
    id: &[u8],
    bytes: &[u8],
) -> Result<T, CodecError> {
    let (&format, body) = bytes.split_first().ok_or(CodecError::Empty)?;
    match (format, key) {
        (FORMAT_SEALED, Some(key)) => {
            let opened = key.open(id, body).map_err(|_| CodecError::Unopened)?;
            decompress(&opened)
        }
        (FORMAT_SEALED, None) => Err(CodecError::WrongSealing(true)),
        (FORMAT_JSON | FORMAT_JSON_LZ4, Some(_)) => Err(CodecError::WrongSealing(false)),
        (FORMAT_JSON, None) => Ok(serde_json::from_slice(body)?),
        (FORMAT_JSON_LZ4, None) => decompress(body),
        (other, _) => Err(CodecError::UnknownFormat(other)),
    }
}

/// A value of format 2, after its format byte.
fn decompress<T: DeserializeOwned>(body: &[u8]) -> Result<T, CodecError> {
    let len =
        body.get(..4).map_or(usize::MAX, |b| u32::from_le_bytes(b.try_into().expect("4 bytes")) as usize);
    if len > MAX_JSON_BYTES {
        return Err(CodecError::Compression);
    }
    let json = lz4_flex::block::decompress_size_prepended(body).map_err(|_| CodecError::Compression)?;
    Ok(serde_json::from_slice(&json)?)
}

/// The bytes of a record of any kind.
pub(crate) fn encode_any(key: Option<&DataKey>, record: &AnyRecord) -> Vec<u8> {
    let id = record.id().as_str().as_bytes();
    crate::model::each_record!(record, r => encode(key, id, r))
}

/// A record read from the tree of `kind`, under the key `id`.
pub(crate) fn decode_any(
    key: Option<&DataKey>,
    kind: RecordKind,
    id: &[u8],
    bytes: &[u8],
) -> Result<AnyRecord, CodecError> {
    Ok(match kind {
        RecordKind::Organization => AnyRecord::Organization(decode(key, id, bytes)?),
        RecordKind::Contact => AnyRecord::Contact(decode(key, id, bytes)?),
        RecordKind::Meeting => AnyRecord::Meeting(decode(key, id, bytes)?),
        RecordKind::Agreement => AnyRecord::Agreement(decode(key, id, bytes)?),
        RecordKind::Commitment => AnyRecord::Commitment(decode(key, id, bytes)?),
        RecordKind::Activity => AnyRecord::Activity(decode(key, id, bytes)?),
        RecordKind::Document => AnyRecord::Document(decode(key, id, bytes)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Meeting;

    #[test]
    fn values_round_trip_and_the_earlier_format_still_reads() {
        let meeting: AnyRecord =
            Meeting { title: "Reunión".into(), minutes: "Se acordó… ".repeat(200), ..Meeting::default() }
                .into();
        let bytes = encode(None, b"m", &meeting);
        assert!(bytes.len() < serde_json::to_vec(&meeting).unwrap_or_default().len() / 2);
        assert_eq!(decode::<AnyRecord>(None, b"m", &bytes).ok(), Some(meeting.clone()));
        let mut json = vec![FORMAT_JSON];
        json.extend(serde_json::to_vec(&meeting).unwrap_or_default());
        assert_eq!(decode::<AnyRecord>(None, b"m", &json).ok(), Some(meeting));
    }

    #[test]
    fn sealed_values_open_only_under_their_id_with_their_key() {
        let key = DataKey::random();
        let meeting: AnyRecord =
            Meeting { title: "Reunión con ONU Mujeres".into(), ..Meeting::default() }.into();
        let bytes = encode(Some(&key), b"mtg-1", &meeting);
        assert_eq!(bytes[0], FORMAT_SEALED);
        assert!(!bytes.windows(5).any(|w| w == b"Reuni" || w == b"Mujer"));
        assert_eq!(decode::<AnyRecord>(Some(&key), b"mtg-1", &bytes).ok(), Some(meeting.clone()));
        assert!(matches!(decode::<AnyRecord>(Some(&key), b"mtg-2", &bytes), Err(CodecError::Unopened)));
        let other = DataKey::random();
        assert!(matches!(decode::<AnyRecord>(Some(&other), b"mtg-1", &bytes), Err(CodecError::Unopened)));
        assert!(matches!(decode::<AnyRecord>(None, b"mtg-1", &bytes), Err(CodecError::WrongSealing(true))));
        let plain = encode(None, b"mtg-1", &meeting);
        assert!(matches!(
            decode::<AnyRecord>(Some(&key), b"mtg-1", &plain),
            Err(CodecError::WrongSealing(false))
        ));
    }

    #[test]
    fn a_damaged_value_is_an_error_not_a_crash_or_a_huge_allocation() {
        let long = AnyRecord::from(Meeting { minutes: "x".repeat(1000), ..Meeting::default() });
        let mut bytes = encode(None, b"m", &long);
        bytes[1..5].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(decode::<AnyRecord>(None, b"m", &bytes), Err(CodecError::Compression)));
        let mut bytes = encode(None, b"m", &AnyRecord::from(Meeting::default()));
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        bytes.truncate(last - 2);
        assert!(decode::<AnyRecord>(None, b"m", &bytes).is_err());
        assert!(matches!(decode::<AnyRecord>(None, b"m", &[9, 1, 2]), Err(CodecError::UnknownFormat(9))));
    }
}
