//! An export protected with a passphrase, for a file that leaves the laptop: the export's
//! JSON, gzip'd and sealed with a key Argon2id derives from the passphrase (format in
//! `docs/export-format.md`). The file is JSON itself, so that it says what it is.

use super::Export;
use crate::crypto::{KdfParams, from_hex as unhex, random_bytes, to_hex as hex};
use crate::error::{Code, Error, Result, Violation};
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};

/// What the `format` field of a protected export says.
pub const SEALED_EXPORT_FORMAT: &str = "vinculo-export-sealed";
const SEALED_EXPORT_VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SealedExport {
    format: String,
    version: u32,
    kdf: KdfParams,
    salt: String,
    sealed: String,
}

fn bound_to() -> Vec<u8> {
    format!("{SEALED_EXPORT_FORMAT}/{SEALED_EXPORT_VERSION}").into_bytes()
}

/// `json` gzip-compressed.
pub(crate) fn gzip(json: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(json).expect("writing to memory");
    enc.finish().expect("writing to memory")
}

impl Export {
    /// The export as a file protected by `passphrase` (at least
    /// [`MIN_PASSPHRASE_CHARS`](crate::MIN_PASSPHRASE_CHARS) characters).
    pub fn to_sealed_json(&self, passphrase: &str, params: KdfParams) -> Result<Vec<u8>> {
        crate::store::check_passphrase(passphrase)?;
        let salt: [u8; 16] = random_bytes();
        let key = params.derive(passphrase.as_bytes(), &salt);
        let sealed = key.seal(&bound_to(), &gzip(&self.to_json()));
        let file = SealedExport {
            format: SEALED_EXPORT_FORMAT.into(),
            version: SEALED_EXPORT_VERSION,
            kdf: params,
            salt: hex(&salt),
            sealed: hex(&sealed),
        };
        Ok(serde_json::to_vec(&file).expect("the envelope serializes"))
    }

    /// Reads an export file, plain or protected. A protected one without a passphrase is
    /// [`Code::PassphraseNeeded`], with a wrong one [`Code::WrongPassphrase`] (both at
    /// `passphrase`); otherwise as [`Export::parse`].
    pub fn read(bytes: &[u8], passphrase: Option<&str>) -> Result<Export> {
        #[derive(Deserialize)]
        struct Head {
            format: Option<String>,
        }
        let head: Option<Head> = serde_json::from_slice(bytes).ok();
        if head.and_then(|h| h.format).as_deref() != Some(SEALED_EXPORT_FORMAT) {
            return Export::parse(bytes);
        }
        let malformed = || Error::Invalid(vec![Violation::new("file", Code::MalformedFile)]);
        let file: SealedExport = serde_json::from_slice(bytes).map_err(|_| malformed())?;
        if file.version > SEALED_EXPORT_VERSION {
            return Err(Error::Invalid(vec![
                Violation::new("file", Code::NewerFile)
                    .with("found", file.version)
                    .with("supported", SEALED_EXPORT_VERSION),
            ]));
        }
        let Some(passphrase) = passphrase else {
            return Err(Error::invalid("passphrase", Code::PassphraseNeeded));
        };
        let salt = unhex(&file.salt).filter(|s| s.len() == 16).ok_or_else(malformed)?;
        let sealed = unhex(&file.sealed).ok_or_else(malformed)?;
        if !file.kdf.within_bounds() {
            return Err(malformed());
        }
        let key = file.kdf.derive(passphrase.as_bytes(), &salt);
        let gzipped = key
            .open(&bound_to(), &sealed)
            .map_err(|_| Error::invalid("passphrase", Code::WrongPassphrase))?;
        let mut json = Vec::new();
        flate2::read::GzDecoder::new(gzipped.as_slice()).read_to_end(&mut json).map_err(|_| malformed())?;
        Export::parse(&json)
    }
}
