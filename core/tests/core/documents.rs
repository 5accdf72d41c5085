//! Documents attached to records: kept once per content, sealed in an encrypted store, listed
//! and searched by name, gone with their record, and carried by exports, imports, backups,
//! restores and encryption.

use crate::briefing::{es, headings, text_of};
use crate::fixtures::*;
use std::path::Path;
use vinculo_core::backup::{self, BackupKind};
use vinculo_core::*;

const SIGNED: &[u8] = b"%PDF-1.7 Convenio especifico firmado por ambas partes";
const MINUTES: &[u8] = b"Minuta aprobada de la reunion de trabajo";

/// An organization and an instrument with it.
fn instrument(s: &Store) -> (Organization, Agreement) {
    let unw = s.save_organization(org("ONU Mujeres", "ONU Mujeres")).unwrap();
    let a = s
        .save_agreement(
            WithCommitments { record: agreement("Convenio específico", &[&unw.id]), commitments: vec![] },
            &[],
        )
        .unwrap()
        .record;
    (unw, a)
}

/// The files in the store's documents folder.
fn files_in(root: &Path) -> Vec<std::path::PathBuf> {
    match std::fs::read_dir(root.join("documents")) {
        Ok(entries) => entries.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    }
}

fn holds(bytes: &[u8], needle: &[u8]) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_document_is_attached_listed_searched_and_read_back() {
    let s = store();
    let (_, a) = instrument(&s);
    let d = s.attach_document(&a.id, "  Convenio firmado.pdf ", SIGNED).unwrap();
    assert_eq!(d.name, "Convenio firmado.pdf", "cleaned like any name");
    assert_eq!((d.size, d.hash.as_str()), (SIGNED.len() as u64, content_hash(SIGNED).as_str()));
    assert_eq!(d.revision, 1);
    let listed = s.documents_of(&a.id).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].title.as_str(), listed[0].size), ("Convenio firmado.pdf", SIGNED.len() as u64));
    assert_eq!(listed[0].record.as_ref().map(|r| &r.id), Some(&a.id));
    let (record, bytes) = s.document_file(&d.id).unwrap();
    assert_eq!((record, bytes.as_slice()), (d.clone(), SIGNED));
    // Plain store: the file is named by its hash and holds the bytes after its header.
    let files = files_in(s.root());
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].file_name().unwrap().to_str().unwrap(), d.hash);
    // Searched by name, and by its note once it has one.
    let hits = s.search("firmado", 10);
    assert!(hits.hits.iter().any(|h| h.record.id == d.id), "{hits:?}");
    let noted =
        s.save_document(Document { note: "Versión escaneada con rúbricas".into(), ..d.clone() }).unwrap();
    assert_eq!((noted.revision, noted.hash.as_str()), (2, d.hash.as_str()));
    assert!(s.search("rubricas", 10).hits.iter().any(|h| h.record.id == d.id));
    // After reopening, from the saved projection and from the records.
    let s = s.reopen();
    assert_eq!(s.documents_of(&a.id).unwrap().len(), 1);
    assert_eq!(s.document_file(&d.id).unwrap().1.as_slice(), SIGNED);
    let RecordList::Document(all) = list_of(&s, RecordKind::Document, at("2026-12-06")) else { panic!() };
    assert_eq!(all.len(), 1);
}

#[test]
fn what_a_document_cannot_be() {
    let s = store();
    let (unw, a) = instrument(&s);
    let big = vec![0u8; MAX_DOCUMENT_BYTES as usize + 1];
    let Error::Invalid(v) = s.attach_document(&a.id, "video.mp4", &big).unwrap_err() else { panic!() };
    assert_eq!((v.len(), v[0].field.as_str(), v[0].code), (1, "file", Code::FileTooLarge));
    assert_eq!(v[0].params["max"], 25 * 1024 * 1024);
    has(s.attach_document(&a.id, " \t", MINUTES).unwrap_err(), "name", Code::Required);
    let gone = Id::new(RecordKind::Meeting);
    has(s.attach_document(&gone, "minuta.pdf", MINUTES).unwrap_err(), "recordId", Code::MissingReference);
    let d = s.attach_document(&unw.id, "minuta.pdf", MINUTES).unwrap();
    has(s.attach_document(&d.id, "otra.pdf", MINUTES).unwrap_err(), "recordId", Code::InvalidId);
    // A document is renamed, never moved to another record nor given other bytes.
    has(
        s.save_document(Document { record_id: a.id.clone(), ..d.clone() }).unwrap_err(),
        "recordId",
        Code::WrongParent,
    );
    let kept = s.save_document(Document { hash: content_hash(SIGNED), size: 1, ..d.clone() }).unwrap();
    assert_eq!((kept.hash, kept.size), (d.hash.clone(), d.size));
    has(
        s.save_document(Document { id: Id::default(), revision: 0, ..d }).unwrap_err(),
        "file",
        Code::Required,
    );
    assert_eq!(s.list(RecordKind::Document).len(), 1, "nothing refused was kept");
    assert_eq!(files_in(s.root()).len(), 1);
}

#[test]
fn the_same_file_is_kept_once_and_goes_with_the_last_document_naming_it() {
    let s = store();
    let (unw, a) = instrument(&s);
    let on_instrument = s.attach_document(&a.id, "convenio.pdf", SIGNED).unwrap();
    let on_partner = s.attach_document(&unw.id, "copia del convenio.pdf", SIGNED).unwrap();
    assert_eq!(files_in(s.root()).len(), 1, "one content, one file");
    s.delete_document(&on_partner.id, on_partner.revision).unwrap();
    assert_eq!(s.document_file(&on_instrument.id).unwrap().1.as_slice(), SIGNED, "still named");
    s.delete_document(&on_instrument.id, on_instrument.revision).unwrap();
    assert_eq!(files_in(s.root()), Vec::<std::path::PathBuf>::new(), "no document names it");
}

#[test]
fn deleting_a_record_deletes_its_documents_and_their_files() {
    let s = store();
    let (unw, a) = instrument(&s);
    let mut m = meeting("Reunión de arranque", "2026-11-20", &[&unw.id]);
    m.title = "Reunión de arranque".into();
    let m = s.save_meeting(with(m, vec![]), &[]).unwrap().record;
    s.attach_document(&a.id, "convenio.pdf", SIGNED).unwrap();
    s.attach_document(&m.id, "minuta.pdf", MINUTES).unwrap();
    let report = s.delete_agreement(&a.id, a.revision).unwrap();
    assert!(report.deleted.iter().any(|r| r.kind == RecordKind::Document), "{report:?}");
    assert_eq!(s.list(RecordKind::Document).len(), 1);
    assert_eq!(files_in(s.root()).len(), 1, "the convenio's file went");
    // An organization whose only records are its own documents is not "referenced" by them.
    let lone = s.save_organization(org("KAS", "Fundación Konrad Adenauer")).unwrap();
    s.attach_document(&lone.id, "carta.pdf", b"carta de intencion").unwrap();
    s.delete_organization(&lone.id, lone.revision, &OrgDeletion::Refuse).unwrap();
    // Merged into another, an organization's documents move to it.
    let dup = s.save_organization(org("UNW", "UN Women")).unwrap();
    let moved = s.attach_document(&dup.id, "ficha.pdf", b"ficha institucional").unwrap();
    s.delete_organization(&dup.id, dup.revision, &OrgDeletion::Reassign { to: unw.id.clone() }).unwrap();
    assert_eq!(s.get::<Document>(&moved.id).unwrap().record_id, unw.id);
    // The meeting's minutes go with the organization deleted with everything.
    let unw = s.get::<Organization>(&unw.id).unwrap();
    s.delete_organization(&unw.id, unw.revision, &OrgDeletion::Cascade).unwrap();
    assert_eq!(s.list(RecordKind::Document).len(), 0);
    assert_eq!(files_in(s.root()), Vec::<std::path::PathBuf>::new());
    assert_no_dangling(&s);
}

#[test]
fn an_encrypted_store_seals_the_file_and_hides_its_hash() {
    let dir = tempfile::tempdir().unwrap();
    let (s, _) = Store::create_encrypted(dir.path(), "la frase de la oficina", KdfParams::MINIMUM).unwrap();
    let (_, a) = instrument(&s);
    let d = s.attach_document(&a.id, "convenio.pdf", SIGNED).unwrap();
    let files = files_in(dir.path());
    assert_eq!(files.len(), 1);
    assert_ne!(files[0].file_name().unwrap().to_str().unwrap(), d.hash, "named by a keyed hash");
    let raw = std::fs::read(&files[0]).unwrap();
    assert!(!holds(&raw, SIGNED) && !holds(&raw, b"Convenio"), "sealed");
    assert_eq!(s.document_file(&d.id).unwrap().1.as_slice(), SIGNED);
    // A file changed on disk is reported, never handed over.
    let mut damaged = raw.clone();
    *damaged.last_mut().unwrap() ^= 1;
    std::fs::write(&files[0], &damaged).unwrap();
    let Error::Invalid(v) = s.document_file(&d.id).unwrap_err() else { panic!() };
    assert_eq!((v[0].field.as_str(), v[0].code), ("file", Code::DamagedFile));
    assert_eq!(v[0].params["name"], "convenio.pdf", "the document is named");
    std::fs::write(&files[0], &raw).unwrap();
    // A file nobody names (an interrupted write's) is swept when the store opens.
    let key = s.data_key().cloned();
    std::fs::write(dir.path().join("documents/.stray.tmp"), b"half").unwrap();
    s.close().unwrap();
    let s = Store::open_with_key(dir.path(), key).unwrap();
    assert_eq!(files_in(dir.path()).len(), 1);
    assert_eq!(s.document_file(&d.id).unwrap().1.as_slice(), SIGNED);
}

#[test]
fn exports_and_imports_carry_the_files() {
    let s = store();
    let (_, a) = instrument(&s);
    let d = s.attach_document(&a.id, "convenio.pdf", SIGNED).unwrap();
    let export = s.export(at("2026-12-06")).unwrap();
    assert_eq!(export.version, 3);
    assert_eq!(export.documents, vec![d.clone()]);
    assert_eq!(export.files.0.get(&d.hash).map(Vec::as_slice), Some(SIGNED));
    let json = export.to_json();
    assert!(!holds(&json, SIGNED), "base64 in the file");
    let back = Export::parse(&json).unwrap();
    assert_eq!(back, export);

    let other = store();
    other.import(&back, &ImportChoices::default(), &mut |_, _, _| {}).unwrap();
    assert_eq!(other.document_file(&d.id).unwrap().1.as_slice(), SIGNED);
    assert_eq!(other.documents_of(&a.id).unwrap().len(), 1);

    // A file that is not what its hash says is damage; a document without its file is refused.
    let mut tampered: serde_json::Value = serde_json::from_slice(&json).unwrap();
    tampered["files"][&d.hash] = serde_json::json!("b3Rybw==");
    let e = Export::parse(&serde_json::to_vec(&tampered).unwrap()).unwrap_err();
    has(e, "file", Code::MalformedFile);
    let mut without = back.clone();
    without.files = Files::default();
    let third = store();
    let e = third.import(&without, &ImportChoices::default(), &mut |_, _, _| {}).unwrap_err();
    assert!(violations(e).iter().any(|(f, c)| f.ends_with(".hash") && *c == Code::MissingFile));
    assert_eq!(third.len(), 0, "nothing imported");
}

#[test]
fn backups_restore_the_files_and_encrypting_a_store_seals_them() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(dir.path()).unwrap();
    let (_, a) = instrument(&s);
    let d = s.attach_document(&a.id, "convenio.pdf", SIGNED).unwrap();
    let taken = s.backup(BackupKind::Manual, at("2026-12-01")).unwrap();
    s.delete_document(&d.id, d.revision).unwrap();
    s.close().unwrap();
    assert_eq!(files_in(dir.path()).len(), 0);
    backup::restore_backup(dir.path(), &taken.name, at("2026-12-02"), None).unwrap();
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(s.document_file(&d.id).unwrap().1.as_slice(), SIGNED, "restored with its file");
    s.close().unwrap();

    let (_, key) =
        backup::encrypt_store(dir.path(), "la frase de la oficina", KdfParams::MINIMUM, at("2026-12-03"))
            .unwrap();
    let files = files_in(dir.path());
    assert_eq!(files.len(), 1);
    assert!(!holds(&std::fs::read(&files[0]).unwrap(), SIGNED), "sealed once encrypted");
    let s = Store::open_with_key(dir.path(), Some(key.clone())).unwrap();
    assert_eq!(s.document_file(&d.id).unwrap().1.as_slice(), SIGNED);
    // The backup taken in the clear is sealed with its file inside, and restores it.
    backup::seal_leftovers(dir.path(), &key, at("2026-12-03")).unwrap();
    s.close().unwrap();
    let sealed = backup::read_backup(&backup::backup_dir(dir.path()).join(&taken.name), Some(&key)).unwrap();
    assert_eq!(sealed.files.0.get(&d.hash).map(Vec::as_slice), Some(SIGNED));
    assert!(!holds(&std::fs::read(backup::backup_dir(dir.path()).join(&taken.name)).unwrap(), b"Convenio"));
}

#[test]
fn the_sample_brings_a_signed_agreement_and_takes_it_away() {
    let s = store();
    s.load_sample(at("2026-12-06")).unwrap();
    let listed = s.list(RecordKind::Document);
    assert_eq!(listed.len(), 1);
    let (d, bytes) = s.document_file(&listed[0].id).unwrap();
    assert!(bytes.starts_with(b"%PDF-1.4") && d.sample);
    assert!(s.get::<Agreement>(&d.record_id).unwrap().title.contains("específico"));
    assert_eq!(files_in(s.root()).len(), 1);
    s.remove_sample().unwrap();
    assert_eq!(s.len(), 0);
    assert_eq!(files_in(s.root()), Vec::<std::path::PathBuf>::new());
}

#[test]
fn the_informe_del_titular_names_the_documents_attached_to_the_person() {
    let s = store();
    let person = s.save_contact(contact("Ana Pérez Gómez", None)).unwrap();
    s.attach_document(&person.id, "Consentimiento firmado.pdf", &[7u8; 3600]).unwrap();
    let report = s.titular_report(&person.id, at("2026-12-06"), &es()).unwrap();
    assert!(
        headings(&report).iter().any(|h| h.ends_with("Documentos adjuntos a su registro")),
        "{:?}",
        headings(&report)
    );
    let text = text_of(&report);
    assert!(text.contains("Consentimiento firmado.pdf") && text.contains("3.5 KB"), "{text}");
}

#[test]
fn programs_and_scripts_are_not_kept_and_a_name_cannot_hide_its_extension() {
    let s = store();
    let (_, a) = instrument(&s);
    for name in ["instalador.exe", "macro.VBS", "lanzador.desktop", "script.sh "] {
        has(s.attach_document(&a.id, name, MINUTES).unwrap_err(), "name", Code::UnsafeFileType);
    }
    // A right-to-left override would show "factura\u{202e}fdp.exe" as "facturaexe.pdf".
    let e = s.attach_document(&a.id, "factura\u{202e}fdp.exe", MINUTES).unwrap_err();
    has(e, "name", Code::UnsafeFileType);
    let kept = s.attach_document(&a.id, "informe\u{200b}.pdf", MINUTES).unwrap();
    assert_eq!(kept.name, "informe.pdf");
}

#[test]
fn an_import_checks_each_file_against_the_size_its_document_says() {
    let s = store();
    let (_, a) = instrument(&s);
    s.attach_document(&a.id, "convenio.pdf", SIGNED).unwrap();
    let mut export = s.export(at("2026-12-06")).unwrap();
    export.documents[0].size = 0;
    let other = store();
    let e = other.import(&export, &ImportChoices::default(), &mut |_, _, _| {}).unwrap_err();
    assert!(violations(e).iter().any(|(f, c)| f.ends_with(".size") && *c == Code::MalformedFile));
    assert_eq!(other.len(), 0);
}
