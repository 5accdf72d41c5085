//! `store.keys`: the store's data key, wrapped by the passphrase and by the recovery key
//! (format in `docs/encryption.md`).
//!
//! Each *slot* holds a salt, the data key sealed with the key Argon2id derives from its secret
//! and that salt, and a check: an empty value sealed with the same derived key. The check
//! tells a wrong secret (the check does not open) from a damaged wrapped key (the check opens,
//! the key does not). Changing the passphrase rewrites this file only: the data key, and so
//! every record, stays as it is.

use super::files::{ASIDE_DIR, KEYS_FILE};
use crate::crypto::{DataKey, KEY_BYTES, KdfParams, RecoveryKey, random_bytes};
use crate::error::{Code, Error, Result};
use crate::fsio::write_atomically;
use serde::{Deserialize, Serialize};
use std::path::Path;
use zeroize::Zeroizing;

const FORMAT: &str = "vinculo-keys";
const VERSION: u32 = 1;
const SALT_BYTES: usize = 16;
/// The shortest passphrase accepted, in characters.
pub const MIN_PASSPHRASE_CHARS: usize = 10;

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct KeyFile {
    format: String,
    version: u32,
    kdf: Kdf,
    passphrase: Slot,
    recovery: Slot,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Kdf {
    algorithm: String,
    #[serde(flatten)]
    params: KdfParams,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Slot {
    #[serde(with = "hex")]
    salt: Vec<u8>,
    #[serde(with = "hex")]
    wrapped: Vec<u8>,
    #[serde(with = "hex")]
    check: Vec<u8>,
}

/// Which secret unlocks a store.
#[derive(Debug)]
pub enum Secret<'a> {
    Passphrase(&'a str),
    Recovery(&'a RecoveryKey),
}

impl Secret<'_> {
    fn slot_name(&self) -> &'static str {
        match self {
            Secret::Passphrase(_) => "passphrase",
            Secret::Recovery(_) => "recovery",
        }
    }

    fn bytes(&self) -> &[u8] {
        match self {
            Secret::Passphrase(p) => p.as_bytes(),
            Secret::Recovery(r) => r.bytes(),
        }
    }

    /// The field an error about this secret is shown at.
    pub fn field(&self) -> &'static str {
        match self {
            Secret::Passphrase(_) => "passphrase",
            Secret::Recovery(_) => "recoveryKey",
        }
    }
}

/// What a slot binds its values to: the file's format, version and the slot's name.
fn bound_to(slot: &str, part: &str) -> Vec<u8> {
    format!("{FORMAT}/{VERSION}/{slot}/{part}").into_bytes()
}

fn make_slot(params: &KdfParams, secret: &Secret<'_>, data_key: &DataKey) -> Slot {
    let salt: [u8; SALT_BYTES] = random_bytes();
    let wrapping = params.derive(secret.bytes(), &salt);
    let name = secret.slot_name();
    Slot {
        salt: salt.to_vec(),
        wrapped: wrapping.seal(&bound_to(name, "key"), data_key.bytes()),
        check: wrapping.seal(&bound_to(name, "check"), &[]),
    }
}

/// A passphrase the store accepts: at least [`MIN_PASSPHRASE_CHARS`] characters, not all
/// blank.
pub fn check_passphrase(passphrase: &str) -> Result<()> {
    check_new_passphrase("passphrase", passphrase)
}

fn check_new_passphrase(field: &str, passphrase: &str) -> Result<()> {
    if passphrase.trim().chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(Error::Invalid(vec![
            crate::error::Violation::new(field, Code::WeakPassphrase).with("min", MIN_PASSPHRASE_CHARS),
        ]));
    }
    Ok(())
}

/// Whether the store under `root` is encrypted (has a key file).
pub fn is_encrypted(root: &Path) -> bool {
    root.join(KEYS_FILE).exists()
}

/// Makes the key file of a new encrypted store under `root`: a random data key wrapped by
/// `passphrase` and by a new recovery key, which is returned to be shown once.
pub(crate) fn create(root: &Path, passphrase: &str, params: KdfParams) -> Result<(DataKey, RecoveryKey)> {
    check_passphrase(passphrase)?;
    let data_key = DataKey::random();
    let recovery = RecoveryKey::random();
    let file = KeyFile {
        format: FORMAT.into(),
        version: VERSION,
        kdf: Kdf { algorithm: "argon2id".into(), params },
        passphrase: make_slot(&params, &Secret::Passphrase(passphrase), &data_key),
        recovery: make_slot(&params, &Secret::Recovery(&recovery), &data_key),
    };
    write(root, &file)?;
    Ok((data_key, recovery))
}

fn write(root: &Path, file: &KeyFile) -> Result<()> {
    std::fs::create_dir_all(root)?;
    let body = serde_json::to_vec_pretty(file).expect("the key file serializes");
    write_atomically(&root.join(KEYS_FILE), &body)
}

fn damaged(what: &str) -> Error {
    Error::Corrupt { detail: format!("{KEYS_FILE}: {what}") }
}

fn read(root: &Path) -> Result<KeyFile> {
    let bytes = std::fs::read(root.join(KEYS_FILE))?;
    let file: KeyFile = serde_json::from_slice(&bytes).map_err(|_| damaged("unreadable"))?;
    if file.format != FORMAT {
        return Err(damaged("names another format"));
    }
    if file.version > VERSION {
        return Err(Error::NewerSchema { found: file.version, supported: VERSION });
    }
    if file.kdf.algorithm != "argon2id" || !file.kdf.params.within_bounds() {
        return Err(damaged("unknown key derivation"));
    }
    if [&file.passphrase, &file.recovery].iter().any(|s| s.salt.len() != SALT_BYTES) {
        return Err(damaged("a salt of the wrong length"));
    }
    Ok(file)
}

/// The data key of the store under `root`, unwrapped with `secret`. A wrong secret is
/// [`Code::WrongPassphrase`] (or [`Code::WrongRecoveryKey`]) at its field; a key file whose
/// wrapped key is damaged is [`Code::DamagedKey`].
pub(crate) fn unlock(root: &Path, secret: &Secret<'_>) -> Result<DataKey> {
    unwrap(&read(root)?, secret)
}

/// The data key `file` wraps, unwrapped with `secret` (see [`unlock`]).
fn unwrap(file: &KeyFile, secret: &Secret<'_>) -> Result<DataKey> {
    let slot = match secret {
        Secret::Passphrase(_) => &file.passphrase,
        Secret::Recovery(_) => &file.recovery,
    };
    let wrapping = file.kdf.params.derive(secret.bytes(), &slot.salt);
    let name = secret.slot_name();
    if wrapping.open(&bound_to(name, "check"), &slot.check).is_err() {
        let code = match secret {
            Secret::Passphrase(_) => Code::WrongPassphrase,
            Secret::Recovery(_) => Code::WrongRecoveryKey,
        };
        return Err(Error::invalid(secret.field(), code));
    }
    let bytes = wrapping
        .open(&bound_to(name, "key"), &slot.wrapped)
        .map_err(|_| Error::invalid(secret.field(), Code::DamagedKey))?;
    let bytes: [u8; KEY_BYTES] =
        bytes.as_slice().try_into().map_err(|_| Error::invalid(secret.field(), Code::DamagedKey))?;
    Ok(DataKey::from_bytes(Zeroizing::new(bytes)))
}

/// Wraps the data key with a new passphrase, after checking the current one: only key files
/// change — this store's, and those of the stores set aside beside it that hold the same key
/// (the same recovery slot), so that the old passphrase opens none of them any more. A wrong
/// current passphrase is reported at `current`, a weak new one at `newPassphrase`.
pub(crate) fn change_passphrase(root: &Path, current: &str, new: &str) -> Result<()> {
    check_new_passphrase("newPassphrase", new)?;
    let mut file = read(root)?;
    let data_key = unwrap(&file, &Secret::Passphrase(current)).map_err(|e| match e {
        Error::Invalid(mut found) => {
            found.iter_mut().for_each(|v| v.field = "current".into());
            Error::Invalid(found)
        }
        other => other,
    })?;
    let old_recovery = (file.recovery.salt.clone(), file.recovery.wrapped.clone());
    file.passphrase = make_slot(&file.kdf.params, &Secret::Passphrase(new), &data_key);
    write(root, &file)?;
    for entry in std::fs::read_dir(root.join(ASIDE_DIR)).into_iter().flatten().flatten() {
        let aside = entry.path();
        if read(&aside).is_ok_and(|f| (f.recovery.salt, f.recovery.wrapped) == old_recovery) {
            write(&aside, &file)?;
        }
    }
    Ok(())
}

/// Gives the store being built under `to` the key file of the store under `from`, so that it
/// opens with the same secrets once swapped in.
pub(crate) fn copy_keys(from: &Path, to: &Path) -> Result<()> {
    let bytes = std::fs::read(from.join(KEYS_FILE))?;
    write_atomically(&to.join(KEYS_FILE), &bytes)
}

/// Bytes as lower-case hexadecimal in JSON.
mod hex {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::crypto::to_hex(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        crate::crypto::from_hex(&String::deserialize(d)?)
            .ok_or_else(|| serde::de::Error::custom("not hexadecimal"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(e: Error) -> Option<(String, Code)> {
        match e {
            Error::Invalid(v) => v.first().map(|v| (v.field.clone(), v.code)),
            _ => None,
        }
    }

    #[test]
    fn the_passphrase_and_the_recovery_key_unwrap_the_same_key_and_nothing_else_does() {
        let dir = tempfile::tempdir().expect("a folder");
        let (key, recovery) = create(dir.path(), "una frase larga", KdfParams::MINIMUM).expect("made");
        let by_pass = unlock(dir.path(), &Secret::Passphrase("una frase larga")).expect("opens");
        assert_eq!(by_pass.bytes(), key.bytes());
        let by_recovery = unlock(dir.path(), &Secret::Recovery(&recovery)).expect("opens");
        assert_eq!(by_recovery.bytes(), key.bytes());
        assert_eq!(
            unlock(dir.path(), &Secret::Passphrase("una frase larga ")).err().and_then(code),
            Some(("passphrase".into(), Code::WrongPassphrase))
        );
        assert_eq!(
            unlock(dir.path(), &Secret::Recovery(&RecoveryKey::random())).err().and_then(code),
            Some(("recoveryKey".into(), Code::WrongRecoveryKey))
        );
        assert_eq!(
            create(dir.path(), "corta", KdfParams::MINIMUM).err().and_then(code),
            Some(("passphrase".into(), Code::WeakPassphrase))
        );
    }

    #[test]
    fn changing_the_passphrase_rewraps_the_same_key() {
        let dir = tempfile::tempdir().expect("a folder");
        let (key, recovery) = create(dir.path(), "la primera frase", KdfParams::MINIMUM).expect("made");
        assert_eq!(
            change_passphrase(dir.path(), "otra cosa distinta", "la segunda frase").err().and_then(code),
            Some(("current".into(), Code::WrongPassphrase))
        );
        change_passphrase(dir.path(), "la primera frase", "la segunda frase").expect("changed");
        assert!(unlock(dir.path(), &Secret::Passphrase("la primera frase")).is_err());
        let again = unlock(dir.path(), &Secret::Passphrase("la segunda frase")).expect("opens");
        assert_eq!(again.bytes(), key.bytes());
        assert_eq!(
            unlock(dir.path(), &Secret::Recovery(&recovery)).map(|k| *k.bytes()).ok(),
            Some(*key.bytes())
        );
    }

    #[test]
    fn a_damaged_wrapped_key_is_told_apart_from_a_wrong_passphrase() {
        let dir = tempfile::tempdir().expect("a folder");
        create(dir.path(), "una frase larga", KdfParams::MINIMUM).expect("made");
        let mut file = read(dir.path()).expect("reads");
        file.passphrase.wrapped[30] ^= 0x40;
        write(dir.path(), &file).expect("written");
        assert_eq!(
            unlock(dir.path(), &Secret::Passphrase("una frase larga")).err().and_then(code),
            Some(("passphrase".into(), Code::DamagedKey))
        );
        std::fs::write(dir.path().join(KEYS_FILE), b"{\"format\":").expect("written");
        assert!(matches!(
            unlock(dir.path(), &Secret::Passphrase("una frase larga")),
            Err(Error::Corrupt { .. })
        ));
        let cheap = serde_json::json!({"format": FORMAT, "version": 1,
            "kdf": {"algorithm": "argon2id", "memoryKiB": 8, "iterations": 1, "parallelism": 1},
            "passphrase": {"salt": "", "wrapped": "", "check": ""},
            "recovery": {"salt": "", "wrapped": "", "check": ""}});
        std::fs::write(dir.path().join(KEYS_FILE), cheap.to_string()).expect("written");
        assert!(matches!(unlock(dir.path(), &Secret::Passphrase("x")), Err(Error::Corrupt { .. })));
    }
}
