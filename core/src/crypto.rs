//! The keys and the sealing of encryption at rest.
//!
//! A store's records, its log's entries, its saved projection and its backups are sealed with
//! its *data key*, 32 random bytes, under XChaCha20-Poly1305: a sealed value is a random
//! 24-byte nonce followed by the ciphertext and its 16-byte tag. What a value is bound to (a
//! record's id, a file's header or kind) goes in as associated data, so a sealed value moved to
//! another place, or to another store, does not open. The data key is never written as it is:
//! `store/keys.rs` keeps it wrapped (sealed) by keys derived with Argon2id from the passphrase
//! and from the recovery key.
//!
//! Keys live in memory only and are wiped when dropped (`zeroize`); the store drops its own
//! when it is locked.

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::{Zeroize, Zeroizing};

/// The bytes a sealed value adds to what it seals: the nonce and the tag.
pub(crate) const SEAL_OVERHEAD: usize = NONCE_BYTES + 16;
const NONCE_BYTES: usize = 24;
pub(crate) const KEY_BYTES: usize = 32;

/// A sealed value that does not open: another key, other associated data, or damage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a sealed value does not open with this key")]
pub(crate) struct Unopened;

/// A symmetric key: a store's data key, or a key that wraps one.
#[derive(Clone)]
pub struct DataKey(Zeroizing<[u8; KEY_BYTES]>);

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(…)")
    }
}

/// Two keys are equal when their bytes are (compared without an early exit).
impl PartialEq for DataKey {
    fn eq(&self, other: &DataKey) -> bool {
        self.0.iter().zip(other.0.iter()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    }
}

impl DataKey {
    /// A new random key, from the operating system's generator.
    pub(crate) fn random() -> DataKey {
        let mut key = XChaCha20Poly1305::generate_key(&mut OsRng);
        let out = DataKey(Zeroizing::new(key.into()));
        key.zeroize();
        out
    }

    pub(crate) fn from_bytes(bytes: Zeroizing<[u8; KEY_BYTES]>) -> DataKey {
        DataKey(bytes)
    }

    pub(crate) fn bytes(&self) -> &[u8; KEY_BYTES] {
        &self.0
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(self.0.as_ref().into())
    }

    /// `plain` sealed, bound to `bound_to`: nonce, then ciphertext and tag.
    pub(crate) fn seal(&self, bound_to: &[u8], plain: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(SEAL_OVERHEAD + plain.len());
        self.seal_into(bound_to, plain, &mut out);
        out
    }

    /// [`DataKey::seal`], appended to `out`.
    pub(crate) fn seal_into(&self, bound_to: &[u8], plain: &[u8], out: &mut Vec<u8>) {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .cipher()
            .encrypt(&nonce, Payload { msg: plain, aad: bound_to })
            .expect("sealing in memory does not fail");
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
    }

    /// What `sealed` holds, if it was sealed with this key and bound to `bound_to`.
    pub(crate) fn open(&self, bound_to: &[u8], sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, Unopened> {
        if sealed.len() < SEAL_OVERHEAD {
            return Err(Unopened);
        }
        let (nonce, body) = sealed.split_at(NONCE_BYTES);
        self.cipher()
            .decrypt(XNonce::from_slice(nonce), Payload { msg: body, aad: bound_to })
            .map(Zeroizing::new)
            .map_err(|_| Unopened)
    }
}

/// Argon2id's costs, kept beside what they protect so that they can be raised later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KdfParams {
    #[serde(rename = "memoryKiB")]
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl KdfParams {
    /// What a new store gets: 128 MiB and 5 passes, 0.48 s on the machine the project is
    /// built on (64 MiB × 3 took 0.14 s, 128 MiB × 4 0.40 s). Memory-hard, so that guessing
    /// passphrases on a stolen laptop's files costs what it costs here, per guess.
    pub const OFFICE: KdfParams = KdfParams { memory_kib: 128 * 1024, iterations: 5, parallelism: 1 };
    /// The smallest costs accepted from a file: below them a key file is refused as damaged
    /// (a file that asks for no work protects nothing).
    pub const MINIMUM: KdfParams = KdfParams { memory_kib: 8 * 1024, iterations: 1, parallelism: 1 };
    /// The largest accepted from a file (a damaged one, or a protected export someone else
    /// made), so that it cannot ask for more memory or time than a laptop gives: 512 MiB,
    /// 16 passes, 4 lanes (about 4× today's costs).
    const MAXIMUM: KdfParams = KdfParams { memory_kib: 512 * 1024, iterations: 16, parallelism: 4 };

    pub(crate) fn within_bounds(&self) -> bool {
        let (lo, hi) = (KdfParams::MINIMUM, KdfParams::MAXIMUM);
        (lo.memory_kib..=hi.memory_kib).contains(&self.memory_kib)
            && (lo.iterations..=hi.iterations).contains(&self.iterations)
            && (lo.parallelism..=hi.parallelism).contains(&self.parallelism)
    }

    /// The key `secret` and `salt` derive.
    pub(crate) fn derive(&self, secret: &[u8], salt: &[u8]) -> DataKey {
        let params = argon2::Params::new(self.memory_kib, self.iterations, self.parallelism, Some(KEY_BYTES))
            .expect("parameters within bounds");
        let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let mut out = Zeroizing::new([0u8; KEY_BYTES]);
        argon.hash_password_into(secret, salt, out.as_mut()).expect("salt and output lengths are fixed");
        DataKey(out)
    }
}

/// `n` random bytes.
pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    use chacha20poly1305::aead::rand_core::RngCore;
    let mut out = [0u8; N];
    OsRng.fill_bytes(&mut out);
    out
}

/// Bytes as lower-case hexadecimal (how the key file and protected exports carry them).
pub(crate) fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// [`to_hex`] read back; `None` when `text` is not hexadecimal.
pub(crate) fn from_hex(text: &str) -> Option<Vec<u8>> {
    let digit = |c: u8| (c as char).to_digit(16).map(|v| v as u8);
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    bytes.chunks(2).map(|p| Some((digit(p[0])? << 4) | digit(p[1])?)).collect()
}

/// The recovery key: 20 random bytes written as 32 characters of Crockford's base32 in
/// groups of four (`7KQ2-M9XD-…`), to be printed or written down once. Reading it back
/// ignores case, spaces and dashes, and takes `O` for `0` and `I`, `L` for `1`.
pub struct RecoveryKey(Zeroizing<[u8; RECOVERY_BYTES]>);

const RECOVERY_BYTES: usize = 20;
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

impl std::fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryKey(…)")
    }
}

impl RecoveryKey {
    pub(crate) fn random() -> RecoveryKey {
        RecoveryKey(Zeroizing::new(random_bytes()))
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        self.0.as_ref()
    }

    /// The key as it is shown and printed: eight groups of four characters.
    pub fn display(&self) -> Zeroizing<String> {
        let mut out = Zeroizing::new(String::with_capacity(39));
        let mut bits: u32 = 0;
        let mut count = 0;
        let mut written = 0;
        for &byte in self.0.iter() {
            bits = (bits << 8) | u32::from(byte);
            count += 8;
            while count >= 5 {
                count -= 5;
                if written > 0 && written % 4 == 0 {
                    out.push('-');
                }
                out.push(char::from(CROCKFORD[((bits >> count) & 31) as usize]));
                written += 1;
            }
        }
        bits.zeroize();
        out
    }

    /// A recovery key as typed; `None` when it is not one (wrong length or characters).
    pub fn parse(text: &str) -> Option<RecoveryKey> {
        let mut out = Zeroizing::new([0u8; RECOVERY_BYTES]);
        let mut bits: u64 = 0;
        let mut count = 0;
        let mut at = 0;
        for c in text.chars().filter(|c| !c.is_whitespace() && *c != '-') {
            let c = match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            };
            let value = CROCKFORD.iter().position(|&d| char::from(d) == c)? as u64;
            bits = (bits << 5) | value;
            count += 5;
            if count >= 8 {
                count -= 8;
                *out.get_mut(at)? = (bits >> count) as u8;
                at += 1;
            }
        }
        bits.zeroize();
        (at == RECOVERY_BYTES && count == 0).then_some(RecoveryKey(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_with_its_key_and_where_it_was_bound() {
        let key = DataKey::random();
        let sealed = key.seal(b"org-1", b"Konrad Adenauer");
        assert_eq!(sealed.len(), SEAL_OVERHEAD + 15);
        assert!(!sealed.windows(6).any(|w| w == b"Konrad"));
        assert_eq!(key.open(b"org-1", &sealed).as_deref().map(Vec::as_slice), Ok(&b"Konrad Adenauer"[..]));
        assert_eq!(key.open(b"org-2", &sealed), Err(Unopened));
        assert_eq!(DataKey::random().open(b"org-1", &sealed), Err(Unopened));
        let mut damaged = sealed.clone();
        damaged[30] ^= 1;
        assert_eq!(key.open(b"org-1", &damaged), Err(Unopened));
        assert_eq!(key.open(b"org-1", &sealed[..10]), Err(Unopened));
        assert_ne!(key.seal(b"org-1", b"x"), key.seal(b"org-1", b"x"), "a fresh nonce each time");
    }

    #[test]
    fn recovery_keys_read_back_as_typed() {
        let key = RecoveryKey::random();
        let shown = key.display();
        assert_eq!(shown.len(), 39);
        assert_eq!(shown.split('-').count(), 8);
        let typed = shown.to_lowercase().replace('-', " ").replace('0', "o").replace('1', "l");
        assert_eq!(RecoveryKey::parse(&typed).map(|k| k.bytes().to_vec()), Some(key.bytes().to_vec()));
        assert!(RecoveryKey::parse(&shown[..35]).is_none());
        assert!(RecoveryKey::parse(&format!("{}U", &*shown)).is_none(), "U is not a Crockford digit");
        assert!(RecoveryKey::parse("").is_none());
    }

    #[test]
    fn derivation_depends_on_secret_salt_and_costs() {
        let p = KdfParams::MINIMUM;
        let a = p.derive(b"secret", &[1; 16]);
        assert_eq!(a.bytes(), p.derive(b"secret", &[1; 16]).bytes());
        assert_ne!(a.bytes(), p.derive(b"secret", &[2; 16]).bytes());
        assert_ne!(a.bytes(), p.derive(b"Secret", &[1; 16]).bytes());
        assert_ne!(a.bytes(), KdfParams { iterations: 2, ..p }.derive(b"secret", &[1; 16]).bytes());
        assert!(KdfParams::OFFICE.within_bounds() && p.within_bounds());
        assert!(!KdfParams { memory_kib: 1, ..p }.within_bounds());
    }
}
