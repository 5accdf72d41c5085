//! The audit log (bitácora): every change and event, who and which fields, chained so that a
//! missing or altered entry shows, durable with the change it records, and kept across
//! restores.

use crate::fixtures::*;
use std::path::Path;
use vinculo_core::backup::{self, BackupKind};
use vinculo_core::*;

/// The entries, oldest first, as (event, record, fields).
fn entries(s: &Store) -> Vec<(AuditEvent, Option<Id>, Vec<String>)> {
    let (entries, verification) = s.audit_log().unwrap();
    assert!(verification.intact, "{verification:?}");
    entries.into_iter().map(|e| (e.event, e.record, e.fields)).collect()
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

/// The frames of an audit log file, as byte ranges (the format in docs/audit-log.md).
fn frames(bytes: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut at = 8;
    while at + 12 <= bytes.len() {
        let len = u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        let end = at + 12 + len + 4;
        out.push(at..end);
        at = end;
    }
    out
}

#[test]
fn every_change_is_logged_with_who_and_which_fields_never_their_values() {
    let s = store();
    s.set_audit_user("rmartinez");
    let org = s.save_organization(org("FZQ", "Fundación Zacatlán Quetzalli")).unwrap();
    let mut person = contact("Xóchitl Itzpapálotl Quintero", Some(&org.id));
    person.emails = vec![Labeled { label: "trabajo".into(), value: "xochitl.quintero@ejemplo.org".into() }];
    let mut person = s.save_contact(person).unwrap();
    person.post = "Directora de Programas".into();
    let person = s.save_contact(person).unwrap();
    // Saved again as it is: nothing changed, nothing logged.
    let person = s.save_contact(person).unwrap();
    s.delete_contact(&person.id, person.revision).unwrap();
    s.log_event(
        AuditEvent::Exported,
        Event { count: Some(1), detail: "protected".into(), ..Event::default() },
    )
    .unwrap();
    let logged = entries(&s);
    assert_eq!(logged.len(), 5, "{logged:?}");
    assert_eq!(logged[0].0, AuditEvent::Created);
    assert_eq!(logged[0].1.as_ref(), Some(&org.id));
    assert_eq!(logged[1].0, AuditEvent::Created);
    assert!(logged[1].2.contains(&"fullName".to_owned()) && logged[1].2.contains(&"emails".to_owned()));
    assert!(!logged[1].2.contains(&"post".to_owned()), "an empty field is not set: {:?}", logged[1].2);
    // A new post moves the old one to the history: the save changed three fields.
    assert_eq!(
        logged[2],
        (AuditEvent::Updated, Some(person.id.clone()), strings(&["post", "postHistory", "postSince"]))
    );
    assert_eq!(logged[3], (AuditEvent::Deleted, Some(person.id.clone()), Vec::new()));
    assert_eq!(logged[4].0, AuditEvent::Exported);
    let (all, _) = s.audit_log().unwrap();
    assert!(all.iter().all(|e| e.who == "rmartinez"));
    assert!(all.windows(2).all(|w| w[1].prev == w[0].hash() && w[1].n == w[0].n + 1));
    // The values are nowhere in the log: neither the name, nor the e-mail, nor the new post.
    let json = serde_json::to_string(&all).unwrap();
    for value in ["Xóchitl", "xochitl.quintero@ejemplo.org", "Directora", "Zacatlán"] {
        assert!(!json.contains(value), "{value} copied into the log");
    }
}

#[test]
fn the_view_filters_by_record_event_and_day_and_names_records_as_they_are_now() {
    let s = store();
    let org = s.save_organization(org("FZQ", "Fundación Zacatlán Quetzalli")).unwrap();
    let person = s.save_contact(contact("Ana Pérez", Some(&org.id))).unwrap();
    s.delete_contact(&person.id, person.revision).unwrap();
    let all = s.audit_view(&AuditFilter::default()).unwrap();
    assert_eq!((all.matched, all.rows.len()), (3, 3));
    assert!(all.verification.intact);
    assert_eq!(all.rows[0].event, AuditEvent::Deleted, "newest first");
    assert_eq!(all.rows[0].record.as_ref().unwrap().title, None, "a deleted record has no title");
    assert_eq!(all.rows[2].record.as_ref().unwrap().title.as_deref(), Some("Fundación Zacatlán Quetzalli"));
    let of_person =
        s.audit_view(&AuditFilter { record: Some(person.id.clone()), ..AuditFilter::default() }).unwrap();
    assert_eq!(
        of_person.rows.iter().map(|r| r.event).collect::<Vec<_>>(),
        [AuditEvent::Deleted, AuditEvent::Created]
    );
    let deletions =
        s.audit_view(&AuditFilter { events: vec![AuditEvent::Deleted], ..AuditFilter::default() }).unwrap();
    assert_eq!(deletions.matched, 1);
    let today = office_today(jiff::Timestamp::now());
    let tomorrow = today.tomorrow().unwrap();
    let from_tomorrow =
        s.audit_view(&AuditFilter { from: Some(tomorrow), ..AuditFilter::default() }).unwrap();
    assert_eq!(from_tomorrow.matched, 0);
    let up_to_today = s.audit_view(&AuditFilter { to: Some(today), ..AuditFilter::default() }).unwrap();
    assert_eq!(up_to_today.matched, 3);
}

#[test]
fn a_query_from_a_screen_is_checked_field_by_field() {
    let bad = AuditQuery {
        record: Some("con_nope".into()),
        events: vec![],
        from: Some("2026-02-30".into()),
        to: Some("ayer".into()),
    };
    assert_eq!(
        violations(bad.filter().unwrap_err()),
        [
            ("record".to_owned(), Code::InvalidId),
            ("from".into(), Code::InvalidDate),
            ("to".into(), Code::InvalidDate)
        ]
    );
    let reversed = AuditQuery {
        from: Some("2026-12-04".into()),
        to: Some("2026-12-01".into()),
        ..AuditQuery::default()
    };
    assert_eq!(violations(reversed.filter().unwrap_err()), [("to".to_owned(), Code::EndBeforeStart)]);
    let blank = AuditQuery { record: Some(" ".into()), from: Some(String::new()), ..AuditQuery::default() };
    assert_eq!(blank.filter().unwrap(), AuditFilter::default());
}

#[test]
fn a_missing_damaged_or_reordered_entry_breaks_the_chain_where_it_happened() {
    let s = store();
    for i in 0..4 {
        s.save_organization(org(&format!("O{i}"), &format!("Organismo {i}"))).unwrap();
    }
    let dir = s.close();
    let path = dir.path().join("audit.log");
    let good = std::fs::read(&path).unwrap();
    let f = frames(&good);
    assert_eq!(f.len(), 4);
    let check = |bytes: Vec<u8>, broken_at: u64| {
        let len = bytes.len() as u64;
        std::fs::write(&path, bytes).unwrap();
        let s = Store::open(dir.path()).unwrap();
        let (_, v) = s.audit_log().unwrap();
        assert_eq!((v.intact, v.broken_at), (false, Some(broken_at)), "{v:?}");
        assert_eq!(s.audit_view(&AuditFilter::default()).unwrap().verification, v, "the index says the same");
        // An entry logged now goes after the damage, which is kept, not cut off.
        s.log_event(AuditEvent::Locked, Event::default()).unwrap();
        assert!(std::fs::metadata(&path).unwrap().len() > len, "nothing of the file was cut");
        assert_eq!(s.audit_log().unwrap().1.broken_at, Some(broken_at));
        assert_eq!(s.audit_view(&AuditFilter::default()).unwrap().verification.broken_at, Some(broken_at));
        s.close().unwrap();
    };
    // The second entry taken out.
    check([&good[..f[1].start], &good[f[1].end..]].concat(), 2);
    // The third one's body damaged.
    let mut damaged = good.clone();
    damaged[f[2].end - 6] ^= 0x55;
    check(damaged, 3);
    // The last two swapped.
    check([&good[..f[2].start], &good[f[3].clone()], &good[f[2].clone()]].concat(), 3);
    std::fs::write(&path, &good).unwrap();
    let s = Store::open(dir.path()).unwrap();
    assert!(s.audit_log().unwrap().1.intact, "the file as it was verifies");
}

/// Copies `from` to `to` recursively (a store's folder as a crash leaves it).
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn an_entry_its_file_lost_in_a_crash_comes_back_from_the_write_ahead_log() {
    let s = store();
    s.save_organization(org("FZQ", "Fundación Zacatlán Quetzalli")).unwrap();
    let before = std::fs::metadata(s.dir.path().join("audit.log")).unwrap().len();
    let person = s.save_contact(contact("Ana Pérez", None)).unwrap();
    // The folder as a crash leaves it: the change in the write-ahead log, its entry not yet
    // in the audit log's file.
    let crashed = tempfile::tempdir().unwrap();
    copy_dir(s.dir.path(), crashed.path());
    let file = std::fs::OpenOptions::new().write(true).open(crashed.path().join("audit.log")).unwrap();
    file.set_len(before).unwrap();
    drop(file);
    let again = Store::open(crashed.path()).unwrap();
    let logged = entries(&again);
    assert_eq!(logged.len(), 2, "{logged:?}");
    assert_eq!(logged[1].1.as_ref(), Some(&person.id));
    again.close().unwrap();
    // Half an entry (a write the crash cut short) is cut off, and the chain goes on.
    let log = crashed.path().join("audit.log");
    let mut bytes = std::fs::read(&log).unwrap();
    bytes.extend_from_slice(&[40, 0, 0, 0, 3, 0, 0]);
    std::fs::write(&log, bytes).unwrap();
    let again = Store::open(crashed.path()).unwrap();
    assert_eq!(entries(&again).len(), 2, "not damage: a crash's leftover");
    again.save_organization(org("OTRO", "Otro organismo")).unwrap();
    assert_eq!(entries(&again).len(), 3);
    again.close().unwrap();
    // Zeros the file system gave the file and nothing wrote: the same.
    let mut bytes = std::fs::read(&log).unwrap();
    bytes.extend_from_slice(&[0; 64]);
    std::fs::write(&log, bytes).unwrap();
    let again = Store::open(crashed.path()).unwrap();
    again.log_event(AuditEvent::Unlocked, Event::default()).unwrap();
    assert_eq!(entries(&again).len(), 4);
}

#[test]
fn the_log_goes_on_across_a_restore_and_records_the_backup_restored() {
    let s = store();
    s.save_organization(org("FZQ", "Fundación Zacatlán Quetzalli")).unwrap();
    let taken = s.backup(BackupKind::Manual, at("2026-11-25")).unwrap();
    s.save_organization(org("OTRO", "Otro organismo")).unwrap();
    let dir = s.close();
    backup::restore_backup(dir.path(), &taken.name, at("2026-11-26"), None).unwrap();
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(s.len(), 1, "the backup's records");
    s.log_event(AuditEvent::Restored, Event { detail: taken.name.clone(), ..Event::default() }).unwrap();
    s.save_organization(org("TERCERO", "Tercer organismo")).unwrap();
    let logged = entries(&s);
    assert_eq!(
        logged.iter().map(|e| e.0).collect::<Vec<_>>(),
        [AuditEvent::Created, AuditEvent::Created, AuditEvent::Restored, AuditEvent::Created],
        "what happened before the restore stays in the log"
    );
}

#[test]
fn an_encrypted_stores_log_is_sealed_and_reads_back_with_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let (s, _) = Store::create_encrypted(dir.path(), "la frase de la oficina", KdfParams::MINIMUM).unwrap();
    let org = s.save_organization(org("FZQ", "Fundación Zacatlán Quetzalli")).unwrap();
    s.log_event(AuditEvent::Locked, Event::default()).unwrap();
    let raw = std::fs::read(dir.path().join("audit.log")).unwrap();
    let contains = |needle: &[u8]| raw.windows(needle.len()).any(|w| w == needle);
    assert!(raw.starts_with(b"VNCAUD01"));
    for plain in [org.id.as_str().as_bytes(), b"created", b"locked", b"prev"] {
        assert!(!contains(plain), "{} in the clear", String::from_utf8_lossy(plain));
    }
    assert_eq!(entries(&s).len(), 2);
    let key = s.data_key().cloned();
    s.close().unwrap();
    let s = Store::open_with_key(dir.path(), key).unwrap();
    assert_eq!(entries(&s)[0].1.as_ref(), Some(&org.id));
}

#[test]
fn the_index_the_screens_read_keeps_up_with_every_append() {
    let s = store();
    let same = |s: &Store| {
        let (all, verification) = s.audit_log().unwrap();
        let view = s.audit_view(&AuditFilter::default()).unwrap();
        assert_eq!(view.verification, verification);
        assert_eq!(view.matched, all.len());
        let numbers: Vec<u64> = view.rows.iter().map(|r| r.n).collect();
        let expected: Vec<u64> = all.iter().rev().map(|e| e.n).collect();
        assert_eq!(numbers, expected);
    };
    let first = s.save_organization(org("FZQ", "Fundación Zacatlán Quetzalli")).unwrap();
    same(&s);
    for i in 0..30 {
        s.save_contact(contact(&format!("Persona {i}"), Some(&first.id))).unwrap();
        if i % 7 == 0 {
            s.log_event(AuditEvent::BackupTaken, Event::default()).unwrap();
            same(&s);
        }
    }
    s.insert_batch((0..5).map(|i| contact(&format!("Importada {i}"), None).into()).collect()).unwrap();
    same(&s);
    let of_org =
        s.audit_view(&AuditFilter { record: Some(first.id.clone()), ..AuditFilter::default() }).unwrap();
    assert_eq!(of_org.matched, 1);
    let s = s.reopen();
    s.save_organization(org("OTRO", "Otro organismo")).unwrap();
    same(&s);
}
