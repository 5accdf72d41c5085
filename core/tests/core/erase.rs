//! Erasing a person for good (ARCO *cancelación*): afterwards no file under the data folder,
//! read raw, decompressed, or decrypted and opened as the app opens it, holds their name, their
//! e-mail or their phone; what does not hold them is kept.

use crate::fixtures::*;
use std::io::Read;
use std::path::Path;
use vinculo_core::backup::{self, BackupKind};
use vinculo_core::*;

const NAME: &str = "Xóchitl Itzpapálotl Quintero";
const EMAIL: &str = "xochitl.quintero@ejemplo.org";
const PHONE: &str = "1234 9876";

/// Every way the data folder can be read: each file raw and, when gzip'd, decompressed; each
/// backup opened with `key`; each store (the live one and those set aside) opened with `key`
/// and its records written out.
fn readable(root: &Path, key: Option<&DataKey>) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for path in files_under(root) {
        let raw = std::fs::read(&path).unwrap();
        if raw.starts_with(&[0x1f, 0x8b]) {
            let mut plain = Vec::new();
            if flate2::read::GzDecoder::new(raw.as_slice()).read_to_end(&mut plain).is_ok() {
                out.push((format!("{} (gunzip)", path.display()), plain));
            }
        }
        out.push((path.display().to_string(), raw));
    }
    for b in backup::list_backups(root) {
        let export = backup::read_backup(&backup::backup_dir(root).join(&b.name), key).unwrap();
        out.push((format!("backup {}", b.name), export.to_json()));
        for (hash, bytes) in &export.files.0 {
            out.push((format!("backup {}, file {hash}", b.name), bytes.clone()));
        }
    }
    let stores = std::iter::once(root.to_owned())
        .chain(backup::list_set_aside(root).into_iter().map(|a| root.join(backup::ASIDE_DIR).join(a.name)));
    for at in stores {
        let s = Store::open_with_key(&at, key.cloned()).unwrap();
        out.push((format!("store {}", at.display()), serde_json::to_vec(&all_records(&s)).unwrap()));
        for d in s.list(RecordKind::Document) {
            out.push((
                format!("store {}, document {}", at.display(), d.id),
                s.document_file(&d.id).unwrap().1.to_vec(),
            ));
        }
        s.close().unwrap();
    }
    out
}

/// Where in `views` the person's data can be read.
fn hits(views: &[(String, Vec<u8>)]) -> Vec<String> {
    let mut found = Vec::new();
    for (what, bytes) in views {
        for needle in [NAME, EMAIL, PHONE] {
            if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                found.push(format!("{needle} in {what}"));
            }
        }
    }
    found
}

/// A person with a document (a scanned ID card) attached, a colleague, a meeting both attended
/// and a commitment she owes; a backup; a change and a backup more; a restore of the first (the store then is set aside); a damaged
/// backup file. Returns the person's id, the meeting's and the colleague's.
fn office(s: &Store) -> (Contact, Id, Id) {
    let org = s.save_organization(org("FZQ", "Fundación Zacatlán Quetzalli")).unwrap();
    let mut person = contact(NAME, Some(&org.id));
    person.emails = vec![Labeled { label: "trabajo".into(), value: EMAIL.into() }];
    person.phones = vec![Labeled { label: "móvil".into(), value: format!("+52 55 {PHONE}") }];
    let person = s.save_contact(person).unwrap();
    let scan = format!("Credencial escaneada. Correo: {EMAIL}");
    s.attach_document(&person.id, "credencial.pdf", scan.as_bytes()).unwrap();
    let colleague = s.save_contact(contact("Ana Pérez Gómez", Some(&org.id))).unwrap();
    let mut m = meeting("Reunión de seguimiento", "2026-11-20", &[&org.id]);
    m.counterpart_attendees = vec![person.id.clone(), colleague.id.clone()];
    let mut owed = commitment("Enviar el programa de trabajo", Some("2026-12-01"));
    owed.owner_id = Some(person.id.clone());
    let m = s.save_meeting(with(m, vec![owed]), &[]).unwrap();
    s.attach_document(&m.record.id, "minuta.pdf", b"Minuta de la reunion de seguimiento").unwrap();
    (person, m.record.id, colleague.id)
}

fn erase_everywhere(dir: &Path, key: Option<DataKey>) {
    let open = |dir: &Path| Store::open_with_key(dir, key.clone()).unwrap();
    let s = open(dir);
    let (person, meeting, colleague) = office(&s);
    let first = s.backup(BackupKind::Manual, at("2026-11-24")).unwrap();
    s.save_organization(org("OTRO", "Otro organismo")).unwrap();
    s.backup(BackupKind::Manual, at("2026-11-25")).unwrap();
    s.close().unwrap();
    backup::restore_backup(dir, &first.name, at("2026-11-26"), key.as_ref()).unwrap();
    let damaged = backup::backup_dir(dir).join("vinculo-20261123T120000Z-manual-9-1.json.gz");
    std::fs::write(&damaged, b"not a backup at all").unwrap();
    assert!(
        !hits(&readable_without(dir, key.as_ref(), &damaged)).is_empty(),
        "the control: the person is there"
    );
    let s = open(dir);
    s.delete_contact(&person.id, s.get::<Contact>(&person.id).unwrap().revision).unwrap();
    s.close().unwrap();
    // Deleted, the person is still readable in the backups and the store set aside.
    assert!(!hits(&readable_without(dir, key.as_ref(), &damaged)).is_empty(), "a delete alone leaves copies");

    let erased = backup::erase(dir, &person.id, at("2026-11-27"), key.as_ref()).unwrap();
    assert_eq!(
        (erased.backups_rewritten, erased.backups_removed, erased.set_aside_removed),
        (2, 1, 1),
        "{erased:?}"
    );
    assert_eq!(hits(&readable(dir, key.as_ref())), Vec::<String>::new());

    // What was not the person's is kept: the backups, the meeting, the colleague.
    assert_eq!(backup::list_backups(dir).len(), 2);
    let s = open(dir);
    let m: Meeting = s.get(&meeting).unwrap();
    assert_eq!(m.counterpart_attendees, std::slice::from_ref(&colleague));
    assert!(s.commitments_of(&meeting).unwrap().iter().all(|c| c.owner_id.is_none()));
    assert!(s.get::<Contact>(&colleague).is_ok());
    assert!(s.get::<Contact>(&person.id).is_err());
    let minutes = s.documents_of(&meeting).unwrap();
    assert_eq!(minutes.len(), 1, "the meeting's document stays");
    assert_eq!(s.document_file(&minutes[0].id).unwrap().1.as_slice(), b"Minuta de la reunion de seguimiento");
    assert_eq!(s.list(RecordKind::Document).len(), 1, "hers went with her");
    for b in backup::list_backups(dir) {
        let export = backup::read_backup(&backup::backup_dir(dir).join(&b.name), key.as_ref()).unwrap();
        assert_eq!(export.len(), b.records, "the name says how many records it holds");
        assert!(export.contacts.iter().any(|c| c.id == colleague));
    }
    // The store remembers its last backup under its new name.
    let last = s.last_backup().unwrap().name;
    assert!(backup::backup_dir(dir).join(&last).is_file(), "{last}");
    assert!(s.changed_since_backup(), "the delete came after that backup");
    assert_no_dangling(&s);
}

/// [`readable`] with the damaged backup (which `read_backup` refuses) left out.
fn readable_without(dir: &Path, key: Option<&DataKey>, damaged: &Path) -> Vec<(String, Vec<u8>)> {
    let kept = std::fs::read(damaged).unwrap();
    std::fs::remove_file(damaged).unwrap();
    let views = readable(dir, key);
    std::fs::write(damaged, kept).unwrap();
    views
}

#[test]
fn a_person_erased_from_a_plain_store_is_nowhere_in_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    erase_everywhere(dir.path(), None);
}

#[test]
fn a_person_erased_from_an_encrypted_store_is_nowhere_even_decrypted() {
    let dir = tempfile::tempdir().unwrap();
    let (s, _) = Store::create_encrypted(dir.path(), "la frase de la oficina", KdfParams::MINIMUM).unwrap();
    let key = s.data_key().cloned();
    s.close().unwrap();
    erase_everywhere(dir.path(), key);
}
