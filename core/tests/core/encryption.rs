//! Encryption at rest: what an encrypted store leaves on the disk, and how it refuses what
//! is not its own.

use crate::fixtures::*;
use std::path::Path;
use vinculo_core::backup::{self, BackupKind};
use vinculo_core::*;

const PASSPHRASE: &str = "la frase de la oficina";

/// Strings only the records below hold, in the forms the store could keep them: as written,
/// and folded as the search index keeps words.
const KNOWN: [&str; 8] = [
    "Xóchitl Itzpapálotl Quintero",
    "Itzpapálotl",
    "itzpapalotl",
    "xochitl.quintero@ejemplo.org",
    "55 1234 9876",
    "Fundación Zacatlán Quetzalli",
    "zacatlan",
    "cláusula del tlacuache",
];

fn encrypted_store() -> (tempfile::TempDir, Store, RecoveryKey) {
    let dir = tempfile::tempdir().unwrap();
    let (store, recovery) = Store::create_encrypted(dir.path(), PASSPHRASE, KdfParams::MINIMUM).unwrap();
    (dir, store, recovery)
}

/// Writes the records KNOWN names: an organization, a person, a meeting with minutes and a
/// commitment; takes a backup.
fn write_known(store: &Store) -> Id {
    let org = store.save_organization(org("FZQ", "Fundación Zacatlán Quetzalli")).unwrap();
    let mut person = contact("Xóchitl Itzpapálotl Quintero", Some(&org.id));
    person.emails = vec![Labeled { label: "trabajo".into(), value: "xochitl.quintero@ejemplo.org".into() }];
    person.phones = vec![Labeled { label: "móvil".into(), value: "+52 55 1234 9876".into() }];
    let person = store.save_contact(person).unwrap();
    let mut m = meeting("Reunión con la Fundación Zacatlán Quetzalli", "2026-11-20", &[&org.id]);
    m.minutes = "Se revisó la cláusula del tlacuache con Xóchitl Itzpapálotl Quintero.".into();
    m.counterpart_attendees = vec![person.id.clone()];
    store
        .save_meeting(with(m, vec![commitment("Enviar la cláusula del tlacuache", Some("2026-12-01"))]), &[])
        .unwrap();
    store.backup(BackupKind::Manual, at("2026-11-25")).unwrap();
    person.id
}

/// Each (file, string) where a file under `root` holds one of `strings`, raw.
fn hits(root: &Path, strings: &[&str]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for file in files_under(root) {
        let bytes = std::fs::read(&file).unwrap();
        for s in strings {
            if bytes.windows(s.len()).any(|w| w == s.as_bytes()) {
                found.push((file.strip_prefix(root).unwrap().display().to_string(), (*s).to_owned()));
            }
        }
    }
    found
}

#[test]
#[allow(unused_qualifications)] // `store` is a local too
fn nothing_written_through_an_encrypted_store_is_readable_in_its_files() {
    let (dir, store, _) = encrypted_store();
    write_known(&store);
    // Open: sled's files, the log, the backup.
    assert_eq!(hits(dir.path(), &KNOWN), vec![], "while open");
    store.close().unwrap();
    // Closed: the saved projection (titles and search words) is written too.
    assert!(dir.path().join("store.state").is_file());
    assert_eq!(hits(dir.path(), &KNOWN), vec![], "after closing");
    let store = Store::unlock(dir.path(), &Secret::Passphrase(PASSPHRASE)).unwrap();
    assert_eq!(store.opened(), Opened::Saved { replayed: 0 }, "the sealed projection reads back");
    assert_eq!(store.search("itzpapalotl", 10).total, 2, "the person and the meeting");
    assert_eq!(store.search("tlacuache", 10).total, 2, "the minutes and the commitment");

    // The same records in a plain store are there to be read: the search above can fail.
    let plain = crate::fixtures::store();
    write_known(&plain);
    let plain = plain.close();
    let found: std::collections::BTreeSet<String> =
        hits(plain.path(), &KNOWN).into_iter().map(|h| h.1).collect();
    // (Words repeated in the compressed saved state may not appear whole there.)
    assert!(
        KNOWN.iter().filter(|s| **s != "zacatlan").all(|s| found.contains(*s)),
        "a plain store: {found:?}"
    );
}

#[test]
fn a_wrong_passphrase_opens_nothing_and_loses_nothing() {
    let (dir, store, recovery) = encrypted_store();
    write_known(&store);
    let records = all_records(&store);
    store.close().unwrap();
    let before = files_under(dir.path()).into_iter().map(|f| std::fs::read(f).unwrap()).collect::<Vec<_>>();
    has(
        Store::unlock(dir.path(), &Secret::Passphrase("la frase de la oficinA")).unwrap_err(),
        "passphrase",
        Code::WrongPassphrase,
    );
    has(
        Store::unlock(dir.path(), &Secret::Recovery(&RecoveryKey::parse(&"0".repeat(32)).unwrap()))
            .unwrap_err(),
        "recoveryKey",
        Code::WrongRecoveryKey,
    );
    assert!(matches!(Store::open(dir.path()), Err(Error::Encrypted)), "no key, no store");
    let after = files_under(dir.path()).into_iter().map(|f| std::fs::read(f).unwrap()).collect::<Vec<_>>();
    assert_eq!(before, after, "refusals write nothing");
    let typed = recovery.display().to_lowercase();
    let store = Store::unlock(dir.path(), &Secret::Recovery(&RecoveryKey::parse(&typed).unwrap())).unwrap();
    assert_eq!(all_records(&store), records);
}

#[test]
fn a_damaged_wrapped_key_is_a_clear_error_and_the_recovery_key_still_opens() {
    let (dir, store, recovery) = encrypted_store();
    write_known(&store);
    store.close().unwrap();
    let path = dir.path().join("store.keys");
    let mut keys: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let wrapped = keys["passphrase"]["wrapped"].as_str().unwrap().to_owned();
    let flipped = if wrapped.as_bytes()[60] == b'0' { '1' } else { '0' };
    let damaged = format!("{}{flipped}{}", &wrapped[..60], &wrapped[61..]);
    keys["passphrase"]["wrapped"] = damaged.into();
    std::fs::write(&path, keys.to_string()).unwrap();
    has(
        Store::unlock(dir.path(), &Secret::Passphrase(PASSPHRASE)).unwrap_err(),
        "passphrase",
        Code::DamagedKey,
    );
    let store = Store::unlock(dir.path(), &Secret::Recovery(&recovery)).unwrap();
    assert_eq!(store.search("zacatlan", 10).total, 2);
}

#[test]
fn a_record_copied_from_another_store_or_another_id_does_not_open() {
    let (dir_a, a, _) = encrypted_store();
    let (dir_b, b, _) = encrypted_store();
    let in_a = a.save_organization(org("A", "Organización de la tienda A")).unwrap();
    let in_b = b.save_organization(org("B", "Organización de la tienda B")).unwrap();
    let other_in_b = b.save_organization(org("B2", "Otra de la tienda B")).unwrap();
    a.close().unwrap();
    b.close().unwrap();
    let value_in = |root: &Path, id: &Id| {
        let db = sled::open(root.join("store")).unwrap();
        let v = db.open_tree("org").unwrap().get(id.as_str()).unwrap().unwrap();
        drop(db);
        v
    };
    let from_a = value_in(dir_a.path(), &in_a.id);
    let from_b = value_in(dir_b.path(), &other_in_b.id);
    {
        let db = sled::open(dir_b.path().join("store")).unwrap();
        let tree = db.open_tree("org").unwrap();
        tree.insert(in_b.id.as_str(), from_a).unwrap(); // another store's record
        tree.insert(other_in_b.id.as_str(), from_b.clone()).unwrap(); // its own, unchanged
        db.flush().unwrap();
    }
    std::thread::sleep(std::time::Duration::from_millis(100)); // sled's threads let go of the lock
    let b = Store::unlock(dir_b.path(), &Secret::Passphrase(PASSPHRASE)).unwrap();
    match b.get::<Organization>(&in_b.id) {
        Err(Error::Corrupt { detail }) => assert!(detail.contains("does not open"), "{detail}"),
        other => panic!("another store's record read as {other:?}"),
    }
    assert_eq!(b.get::<Organization>(&other_in_b.id).unwrap().name_es, "Otra de la tienda B");
}

#[test]
fn changing_the_passphrase_rewrites_only_the_key_file() {
    let (dir, store, recovery) = encrypted_store();
    write_known(&store);
    // A version set aside by a restore, with its own copy of the key file.
    let taken = store.backup(BackupKind::Manual, at("2026-11-26")).unwrap();
    let key = store.data_key().cloned();
    store.close().unwrap();
    let aside =
        backup::restore_backup(dir.path(), &taken.name, at("2026-11-26"), key.as_ref()).unwrap().unwrap();
    let aside = dir.path().join("set-aside").join(aside);
    let store = Store::unlock(dir.path(), &Secret::Passphrase(PASSPHRASE)).unwrap();
    let snapshot = |root: &Path| {
        files_under(root)
            .into_iter()
            .filter(|f| !f.starts_with(root.join("store")) && !f.starts_with(root.join("set-aside")))
            .map(|f| (f.strip_prefix(root).unwrap().display().to_string(), std::fs::read(&f).unwrap()))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let before = snapshot(dir.path());
    has(
        store.change_passphrase("no es la frase", "una frase completamente nueva").unwrap_err(),
        "current",
        Code::WrongPassphrase,
    );
    has(store.change_passphrase(PASSPHRASE, "corta").unwrap_err(), "newPassphrase", Code::WeakPassphrase);
    store.change_passphrase(PASSPHRASE, "una frase completamente nueva").unwrap();
    let after = snapshot(dir.path());
    // The version set aside no longer opens with the old passphrase either.
    has(
        Store::unwrap_key(&aside, &Secret::Passphrase(PASSPHRASE)).unwrap_err(),
        "passphrase",
        Code::WrongPassphrase,
    );
    assert!(Store::unwrap_key(&aside, &Secret::Passphrase("una frase completamente nueva")).ok() == key);
    let changed: Vec<&String> = before.keys().filter(|k| before.get(*k) != after.get(*k)).collect();
    assert_eq!(changed, vec!["store.keys"]);
    let records = all_records(&store);
    store.close().unwrap();
    has(
        Store::unlock(dir.path(), &Secret::Passphrase(PASSPHRASE)).unwrap_err(),
        "passphrase",
        Code::WrongPassphrase,
    );
    let store = Store::unlock(dir.path(), &Secret::Passphrase("una frase completamente nueva")).unwrap();
    assert_eq!(all_records(&store), records);
    drop(store);
    Store::unlock(dir.path(), &Secret::Recovery(&recovery)).unwrap();
}

#[test]
fn sealed_backups_restore_into_an_encrypted_store_with_the_same_secrets() {
    let (dir, store, _) = encrypted_store();
    write_known(&store);
    let taken = backup::list_backups(dir.path()).remove(0);
    let key = store.data_key().cloned();
    let records = all_records(&store);
    store.save_organization(org("X", "Después de la copia")).unwrap();
    store.close().unwrap();
    let path = backup::backup_dir(dir.path()).join(&taken.name);
    assert!(matches!(backup::read_backup(&path, None), Err(Error::Encrypted)));
    let (_, other, _) = encrypted_store();
    has(backup::read_backup(&path, other.data_key()).unwrap_err(), "backup", Code::DamagedBackup);
    backup::restore_backup(dir.path(), &taken.name, at("2026-11-26"), key.as_ref()).unwrap();
    assert!(matches!(Store::open(dir.path()), Err(Error::Encrypted)), "the restored store is encrypted");
    let store = Store::unlock(dir.path(), &Secret::Passphrase(PASSPHRASE)).unwrap();
    assert_eq!(all_records(&store), records);
    drop(store);
    assert_eq!(hits(dir.path(), &KNOWN), vec![], "the restored store and the one set aside");
}

#[test]
fn an_encrypted_store_is_made_only_where_there_is_none() {
    let plain = store();
    let root = plain.dir.path().to_owned();
    assert!(matches!(Store::create_encrypted(&root, PASSPHRASE, KdfParams::MINIMUM), Err(Error::NotEmpty)));
    let dir = tempfile::tempdir().unwrap();
    has(
        Store::create_encrypted(dir.path(), "corta", KdfParams::MINIMUM).unwrap_err(),
        "passphrase",
        Code::WeakPassphrase,
    );
    assert!(
        !is_encrypted(dir.path()) && std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "nothing made"
    );
}

#[test]
fn a_plain_store_is_encrypted_in_place_and_its_plain_copies_sealed() {
    let plain = store();
    write_known(&plain);
    // A store set aside in the clear, by a restore of a later backup.
    plain.save_organization(org("Y", "Antes de la segunda copia")).unwrap();
    let second = plain.backup(BackupKind::Manual, at("2026-11-25")).unwrap();
    let dir = plain.close();
    backup::restore_backup(dir.path(), &second.name, at("2026-11-25"), None).unwrap();
    let plain = Store::open(dir.path()).unwrap();
    plain.save_organization(org("Z", "Después de la copia")).unwrap();
    let records = all_records(&plain);
    let seq = plain.seq();
    plain.close().unwrap();
    assert!(!hits(dir.path(), &KNOWN).is_empty());

    let (recovery, key) =
        backup::encrypt_store(dir.path(), PASSPHRASE, KdfParams::MINIMUM, at("2026-11-26")).unwrap();
    let aside = backup::list_set_aside(dir.path());
    assert_eq!(aside.len(), 1, "the plain copy the conversion set aside is gone; the older one stays");
    let done = backup::seal_leftovers(dir.path(), &key, at("2026-11-26")).unwrap();
    assert_eq!((done.backups, done.set_aside, done.damaged_backups, done.unreadable_set_aside), (2, 1, 0, 0));
    assert_eq!(hits(dir.path(), &KNOWN), vec![], "no plain copy left");
    assert_eq!(backup::list_set_aside(dir.path()), aside, "the store set aside is kept, encrypted");
    let store = Store::unlock(dir.path(), &Secret::Recovery(&recovery)).unwrap();
    assert!(store.data_key() == Some(&key), "the key the conversion gave");
    assert_eq!(all_records(&store), records, "nothing lost");
    assert!(store.seq() > seq);
    assert!(store.changed_since_backup(), "a change came after the last backup");
    for b in backup::list_backups(dir.path()) {
        let path = backup::backup_dir(dir.path()).join(&b.name);
        assert_eq!(backup::read_backup(&path, store.data_key()).unwrap().len(), b.records, "{}", b.name);
    }
    // Nothing left to do the next time.
    assert_eq!(
        backup::seal_leftovers(dir.path(), &key, at("2026-11-27")).unwrap(),
        backup::Sealed::default()
    );
    drop(store);
    assert!(matches!(
        backup::encrypt_store(dir.path(), PASSPHRASE, KdfParams::MINIMUM, at("2026-11-27")),
        Err(Error::Encrypted)
    ));
    // The store set aside opens with the same key and can be put back.
    backup::restore_set_aside(dir.path(), &aside[0].name, at("2026-11-27"), Some(&key)).unwrap();
    let back = Store::unlock(dir.path(), &Secret::Passphrase(PASSPHRASE)).unwrap();
    assert_eq!(back.len(), records.len() - 1, "the store before the last change");
}

#[test]
fn an_export_protected_by_a_passphrase_holds_nothing_readable_and_opens_only_with_it() {
    let (_dir, store, _) = encrypted_store();
    write_known(&store);
    let export = store.export(at("2026-11-26")).unwrap();
    let bytes = export.to_sealed_json("una frase para el archivo", KdfParams::MINIMUM).unwrap();
    for s in KNOWN {
        assert!(!bytes.windows(s.len()).any(|w| w == s.as_bytes()), "{s} readable in the protected export");
    }
    let name = KNOWN[0].as_bytes();
    assert!(
        export.to_json().windows(name.len()).any(|w| w == name),
        "the plain export holds it: the check can fail"
    );
    has(Export::read(&bytes, None).unwrap_err(), "passphrase", Code::PassphraseNeeded);
    has(
        Export::read(&bytes, Some("otra frase cualquiera")).unwrap_err(),
        "passphrase",
        Code::WrongPassphrase,
    );
    assert_eq!(
        Export::read(&bytes, Some("una frase para el archivo")).unwrap().checksums(),
        export.checksums()
    );
    assert_eq!(
        Export::read(&export.to_json(), None).unwrap().checksums(),
        export.checksums(),
        "a plain one reads too"
    );
    has(export.to_sealed_json("corta", KdfParams::MINIMUM).unwrap_err(), "passphrase", Code::WeakPassphrase);
    let mut damaged: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    damaged["sealed"] = "00".into();
    has(
        Export::read(damaged.to_string().as_bytes(), Some("una frase para el archivo")).unwrap_err(),
        "passphrase",
        Code::WrongPassphrase,
    );
}
