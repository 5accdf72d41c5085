//! The one place record bytes are made and read. Every value stored in a record tree passes
//! through [`encode`] and [`decode`], so encryption at rest can be added here without touching
//! callers: a new format byte, and the old one still read.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Format byte of the values written today: JSON of the record.
const FORMAT_JSON: u8 = 1;

#[derive(Debug, thiserror::Error)]
pub(crate) enum CodecError {
    #[error("empty value")]
    Empty,
    #[error("unknown value format {0}")]
    UnknownFormat(u8),
    #[error("malformed value: {0}")]
    Malformed(#[from] serde_json::Error),
}

pub(crate) fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    let mut out = vec![FORMAT_JSON];
    serde_json::to_writer(&mut out, value).expect("records are plain data and always serialize");
    out
}

pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError> {
    match bytes.split_first() {
        None => Err(CodecError::Empty),
        Some((&FORMAT_JSON, body)) => Ok(serde_json::from_slice(body)?),
        Some((&other, _)) => Err(CodecError::UnknownFormat(other)),
    }
}
