//! The office's keys (`docs/sharing.md`).
//!
//! The office shares a key that seals every change in the folder. Each laptop also has a key
//! pair of its own (X25519): a new office key is handed to each member sealed to its public
//! key (a NaCl sealed box), so removing a laptop is making a new key and handing it to everyone
//! else. The first key reaches a new laptop through an invitation: the keys sealed with a
//! one-time code (shown on the inviting laptop, typed on the new one), which never crosses
//! the folder in the clear. A laptop's public key is published sealed with an office key, so
//! that only a member can add a laptop.

use super::folder::{self, INVITES_DIR, KEYS_DIR, LAPTOPS_DIR};
use crate::crypto::{DataKey, KdfParams, RecoveryKey, from_hex, random_bytes, to_hex};
use crate::error::{Code, Error, Result};
use crate::fsio::write_atomically;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use zeroize::Zeroizing;

/// How long an invitation can be used.
const INVITE_DAYS: i64 = 7;

/// What this laptop keeps of the office, sealed in its store.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Secrets {
    pub office: String,
    pub folder: std::path::PathBuf,
    /// This laptop's id in the office.
    pub laptop: String,
    /// This laptop's name as colleagues see it ("Laptop de Laura").
    pub name: String,
    /// Its X25519 secret key (hex).
    pub secret: String,
    /// Every office key known, by id (`00003-<laptop>`: the generation, who made it).
    pub keys: BTreeMap<String, String>,
    /// The laptops of the office as last read: id → what they published.
    #[serde(default)]
    pub laptops: BTreeMap<String, Laptop>,
    /// Laptops removed, and the last of their changes accepted.
    #[serde(default)]
    pub removed: BTreeMap<String, u64>,
}

/// What a laptop publishes of itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Laptop {
    pub laptop: String,
    pub name: String,
    /// Its user's name (the settings').
    pub who: String,
    pub public_key: String,
    pub joined: jiff::Timestamp,
    /// When it last went over the folder and sent or applied something (at least every
    /// [`SYNCED_EVERY`] while it runs): what colleagues see as its last sync.
    #[serde(default)]
    pub synced: Option<jiff::Timestamp>,
}

/// How often a laptop that neither sends nor receives says it is still there.
pub const SYNCED_EVERY: jiff::SignedDuration = jiff::SignedDuration::from_mins(5);

impl Secrets {
    /// The newest key: changes are sealed with it.
    pub fn current(&self) -> (&String, DataKey) {
        let (id, hex) = self.keys.iter().next_back().expect("an office has a key");
        (id, key_from_hex(hex))
    }

    pub fn key(&self, id: &str) -> Option<DataKey> {
        self.keys.get(id).map(|hex| key_from_hex(hex))
    }

    fn secret_key(&self) -> crypto_box::SecretKey {
        let bytes: [u8; 32] = from_hex(&self.secret).and_then(|b| b.try_into().ok()).expect("a key we wrote");
        crypto_box::SecretKey::from(bytes)
    }

    pub fn public_key(&self) -> String {
        to_hex(self.secret_key().public_key().as_bytes())
    }
}

fn key_from_hex(hex: &str) -> DataKey {
    let bytes: [u8; 32] = from_hex(hex).and_then(|b| b.try_into().ok()).expect("a key we wrote");
    DataKey::from_bytes(Zeroizing::new(bytes))
}

pub(crate) fn key_id(generation: u32, laptop: &str) -> String {
    format!("{generation:05}-{laptop}")
}

fn generation(id: &str) -> u32 {
    id.split('-').next().and_then(|g| g.parse().ok()).unwrap_or(0)
}

/// A new key pair for this laptop (its secret as hex).
pub(crate) fn new_secret() -> String {
    to_hex(&random_bytes::<32>())
}

pub(crate) fn new_key_hex() -> String {
    to_hex(&random_bytes::<32>())
}

/// A file of keys: a new office key sealed to each member's public key, and what it was made
/// for (members, removals), sealed with the key itself so that only members can read it.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct KeyFile {
    id: String,
    boxes: BTreeMap<String, String>,
    body: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct KeyBody {
    members: Vec<String>,
    removed: BTreeMap<String, u64>,
}

fn bound(what: &str, id: &str) -> Vec<u8> {
    format!("vinculo-{what}:{id}").into_bytes()
}

/// Writes a new office key for `members` (laptop → public key), recording `removed`.
pub(crate) fn write_key_file(
    folder: &Path,
    id: &str,
    key_hex: &str,
    members: &BTreeMap<String, String>,
    removed: &BTreeMap<String, u64>,
) -> Result<()> {
    let key = key_from_hex(key_hex);
    let mut boxes = BTreeMap::new();
    for (laptop, public) in members {
        let Some(public) = from_hex(public).and_then(|b| <[u8; 32]>::try_from(b).ok()) else { continue };
        let sealed = crypto_box::PublicKey::from(public)
            .seal(&mut crypto_box::aead::OsRng, key.bytes())
            .map_err(|_| Error::Corrupt { detail: "sealing a key".into() })?;
        boxes.insert(laptop.clone(), to_hex(&sealed));
    }
    let body = KeyBody { members: members.keys().cloned().collect(), removed: removed.clone() };
    let body = to_hex(&key.seal(&bound("keys", id), &serde_json::to_vec(&body).expect("serializes")));
    let file = KeyFile { id: id.to_owned(), boxes, body };
    write_json(folder, KEYS_DIR, &format!("{id}.json"), &file)
}

fn write_json<T: Serialize>(folder: &Path, dir: &str, name: &str, value: &T) -> Result<()> {
    let dir = folder.join(dir);
    std::fs::create_dir_all(&dir)?;
    write_atomically(&dir.join(name), &serde_json::to_vec_pretty(value).expect("serializes"))?;
    Ok(())
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Option<T> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

/// Reads the folder's key files: learns the keys sealed to this laptop, and the removals
/// those keys vouch for. Returns the conflict copies found.
pub(crate) fn learn_keys(folder: &Path, secrets: &mut Secrets) -> Result<Vec<String>> {
    let (files, copies) = folder::json_files(folder, KEYS_DIR)?;
    let me = secrets.laptop.clone();
    let sk = secrets.secret_key();
    for path in files {
        let Some(file) = read_json::<KeyFile>(&path) else { continue };
        if !secrets.keys.contains_key(&file.id)
            && let Some(sealed) = file.boxes.get(&me).and_then(|h| from_hex(h))
            && let Ok(key) = sk.unseal(&sealed)
            && key.len() == 32
        {
            secrets.keys.insert(file.id.clone(), to_hex(&key));
        }
        let Some(key) = secrets.key(&file.id) else { continue };
        let Some(body) = from_hex(&file.body).and_then(|b| key.open(&bound("keys", &file.id), &b).ok())
        else {
            continue;
        };
        // A key made by a laptop removed from the office is not the office's.
        let maker = file.id.split_once('-').map(|(_, by)| by.to_owned()).unwrap_or_default();
        if secrets.removed.contains_key(&maker) {
            secrets.keys.remove(&file.id);
            continue;
        }
        if let Ok(body) = serde_json::from_slice::<KeyBody>(&body) {
            for (laptop, upto) in body.removed {
                let at = secrets.removed.entry(laptop).or_insert(upto);
                *at = (*at).min(upto);
            }
        }
    }
    Ok(copies)
}

/// The members the newest key was made for.
pub(crate) fn current_members(folder: &Path, secrets: &Secrets) -> Vec<String> {
    let (id, key) = secrets.current();
    let Some(file) = read_json::<KeyFile>(&folder.join(KEYS_DIR).join(format!("{id}.json"))) else {
        return Vec::new();
    };
    from_hex(&file.body)
        .and_then(|b| key.open(&bound("keys", id), &b).ok())
        .and_then(|b| serde_json::from_slice::<KeyBody>(&b).ok())
        .map(|b| b.members)
        .unwrap_or_default()
}

/// A laptop's file: what it publishes, sealed with an office key (only a member can write one).
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct LaptopFile {
    laptop: String,
    key_id: String,
    body: String,
}

pub(crate) fn write_laptop(folder: &Path, secrets: &Secrets, me: &Laptop) -> Result<()> {
    let (key_id, key) = secrets.current();
    let body = to_hex(&key.seal(&bound("laptop", &me.laptop), &serde_json::to_vec(me).expect("serializes")));
    let file = LaptopFile { laptop: me.laptop.clone(), key_id: key_id.clone(), body };
    write_json(folder, LAPTOPS_DIR, &format!("{}.json", me.laptop), &file)
}

/// The laptops whose files open with a key this laptop has; `fresh` says which opened with
/// the newest key. Returns them and the conflict copies found.
/// The laptops read, each with whether its file opened with the newest key, and the conflict
/// copies found beside them.
pub(crate) type LaptopsRead = (Vec<(Laptop, bool)>, Vec<String>);

pub(crate) fn read_laptops(folder: &Path, secrets: &Secrets) -> Result<LaptopsRead> {
    let (files, copies) = folder::json_files(folder, LAPTOPS_DIR)?;
    let (current, _) = secrets.current();
    let mut out = Vec::new();
    for path in files {
        let Some(file) = read_json::<LaptopFile>(&path) else { continue };
        let Some(key) = secrets.key(&file.key_id) else { continue };
        let opened = from_hex(&file.body).and_then(|b| key.open(&bound("laptop", &file.laptop), &b).ok());
        if let Some(laptop) = opened.and_then(|b| serde_json::from_slice::<Laptop>(&b).ok())
            && laptop.laptop == file.laptop
        {
            let fresh = &file.key_id == current;
            out.push((laptop, fresh));
        }
    }
    Ok((out, copies))
}

/// An invitation: the office's keys sealed with a key derived from a one-time code.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct InviteFile {
    id: String,
    salt: String,
    expires: jiff::Timestamp,
    body: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct InviteBody {
    office: String,
    keys: BTreeMap<String, String>,
}

/// Writes an invitation to the office, returning the code to give the new laptop's user.
/// The code (160 random bits, written like a recovery key) is the secret: the file alone
/// opens nothing.
pub(crate) fn write_invite(folder: &Path, secrets: &Secrets) -> Result<RecoveryKey> {
    let code = RecoveryKey::random();
    let salt = random_bytes::<16>();
    let id = to_hex(&random_bytes::<8>());
    let key = KdfParams::MINIMUM.derive(code.bytes(), &salt);
    let body = InviteBody { office: secrets.office.clone(), keys: secrets.keys.clone() };
    let sealed = key.seal(&bound("invite", &id), &serde_json::to_vec(&body).expect("serializes"));
    let expires = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_hours(24 * INVITE_DAYS))
        .expect("within range");
    let file = InviteFile { id: id.clone(), salt: to_hex(&salt), expires, body: to_hex(&sealed) };
    write_json(folder, INVITES_DIR, &format!("{id}.json"), &file)?;
    Ok(code)
}

/// An invitation opened: the office's id, its keys, and the invitation's file (deleted once
/// the laptop has joined: it is used once).
pub(crate) type Accepted = (String, BTreeMap<String, String>, std::path::PathBuf);

/// Opens the invitation `code` was made for. An unknown or expired code is refused at `code`.
pub(crate) fn accept_invite(folder: &Path, code: &str) -> Result<Accepted> {
    let code = RecoveryKey::parse(code).ok_or_else(|| Error::invalid("code", Code::MalformedInviteCode))?;
    let (files, _) = folder::json_files(folder, INVITES_DIR)?;
    let now = jiff::Timestamp::now();
    for path in files {
        let Some(file) = read_json::<InviteFile>(&path) else { continue };
        let Some(salt) = from_hex(&file.salt) else { continue };
        let key = KdfParams::MINIMUM.derive(code.bytes(), &salt);
        let Some(body) = from_hex(&file.body).and_then(|b| key.open(&bound("invite", &file.id), &b).ok())
        else {
            continue;
        };
        if file.expires < now {
            let _ = std::fs::remove_file(&path);
            return Err(Error::invalid("code", Code::InviteExpired));
        }
        let body: InviteBody =
            serde_json::from_slice(&body).map_err(|_| Error::invalid("code", Code::WrongInviteCode))?;
        return Ok((body.office, body.keys, path));
    }
    Err(Error::invalid("code", Code::WrongInviteCode))
}

/// The generation after every key known.
pub(crate) fn next_generation(secrets: &Secrets) -> u32 {
    secrets.keys.keys().map(|id| generation(id)).max().unwrap_or(0) + 1
}
