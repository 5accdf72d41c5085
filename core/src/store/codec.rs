//! The one place record bytes are made and read. Every value stored in a record tree passes
//! through [`encode`] and [`decode`], so encryption at rest can be added here without touching
//! callers: a new format byte, and the old ones still read.

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
}

pub(crate) fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    let json = serde_json::to_vec(value).expect("records are plain data and always serialize");
    let mut out = Vec::with_capacity(1 + 4 + json.len() / 2);
    out.push(FORMAT_JSON_LZ4);
    out.extend_from_slice(&lz4_flex::block::compress_prepend_size(&json));
    out
}

pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError> {
    match bytes.split_first() {
        None => Err(CodecError::Empty),
        Some((&FORMAT_JSON, body)) => Ok(serde_json::from_slice(body)?),
        Some((&FORMAT_JSON_LZ4, body)) => {
            let len = body
                .get(..4)
                .map_or(usize::MAX, |b| u32::from_le_bytes(b.try_into().expect("4 bytes")) as usize);
            if len > MAX_JSON_BYTES {
                return Err(CodecError::Compression);
            }
            let json =
                lz4_flex::block::decompress_size_prepended(body).map_err(|_| CodecError::Compression)?;
            Ok(serde_json::from_slice(&json)?)
        }
        Some((&other, _)) => Err(CodecError::UnknownFormat(other)),
    }
}

/// The bytes of a record of any kind.
pub(crate) fn encode_any(record: &AnyRecord) -> Vec<u8> {
    crate::model::each_record!(record, r => encode(r))
}

/// A record read from the tree of `kind`.
pub(crate) fn decode_any(kind: RecordKind, bytes: &[u8]) -> Result<AnyRecord, CodecError> {
    Ok(match kind {
        RecordKind::Organization => AnyRecord::Organization(decode(bytes)?),
        RecordKind::Contact => AnyRecord::Contact(decode(bytes)?),
        RecordKind::Meeting => AnyRecord::Meeting(decode(bytes)?),
        RecordKind::Agreement => AnyRecord::Agreement(decode(bytes)?),
        RecordKind::Commitment => AnyRecord::Commitment(decode(bytes)?),
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
        let bytes = encode(&meeting);
        assert!(bytes.len() < serde_json::to_vec(&meeting).unwrap_or_default().len() / 2);
        assert_eq!(decode::<AnyRecord>(&bytes).ok(), Some(meeting.clone()));
        let mut json = vec![FORMAT_JSON];
        json.extend(serde_json::to_vec(&meeting).unwrap_or_default());
        assert_eq!(decode::<AnyRecord>(&json).ok(), Some(meeting));
    }

    #[test]
    fn a_damaged_value_is_an_error_not_a_crash_or_a_huge_allocation() {
        let mut bytes = encode(&AnyRecord::from(Meeting { minutes: "x".repeat(1000), ..Meeting::default() }));
        bytes[1..5].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(decode::<AnyRecord>(&bytes), Err(CodecError::Compression)));
        let mut bytes = encode(&AnyRecord::from(Meeting::default()));
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        bytes.truncate(last - 2);
        assert!(decode::<AnyRecord>(&bytes).is_err());
        assert!(matches!(decode::<AnyRecord>(&[9, 1, 2]), Err(CodecError::UnknownFormat(9))));
    }
}
