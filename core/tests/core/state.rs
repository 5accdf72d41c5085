//! The catalog and search index saved beside the store: a store opened from them answers
//! exactly as one that rebuilt them from every record, after a clean close, after a crash
//! (its journal brings them up to date), and when the saved file is damaged or another's.

use crate::fixtures::*;
use serde_json::{Value, json};
use vinculo_core::*;

/// A store with some of everything, changed in every way a store changes.
fn busy_store() -> TestStore {
    let s = store();
    s.load_sample(at("2026-11-20")).unwrap();
    let o = s.save_organization(org("RED", "Red por la Participación Ciudadana")).unwrap();
    let other = s.save_organization(org("OBS", "Observatorio Electoral Ñuñoa")).unwrap();
    let ana = s.save_contact(contact("Ana Núñez Ibáñez", Some(&o.id))).unwrap();
    let luis = s.save_contact(contact("Luis Peña", Some(&other.id))).unwrap();
    let mut m = meeting("Mesa de trabajo sobre igualdad de género", "2026-11-26", &[&o.id, &other.id]);
    m.counterpart_attendees = vec![ana.id.clone(), luis.id.clone()];
    m.minutes = "Se acordó un taller de educación cívica «para juventudes».".into();
    s.save_meeting(with(m, vec![commitment("Enviar la nota conceptual", Some("2026-11-10"))]), &[]).unwrap();
    // An edit that moves a person, one that renames, a delete, a cascade.
    let mut moved = s.get::<Contact>(&ana.id).unwrap();
    moved.organization_id = Some(other.id.clone());
    moved.post = "Coordinadora".into();
    s.save_contact(moved).unwrap();
    let mut renamed = s.get::<Organization>(&o.id).unwrap();
    renamed.name_es = "Red Ciudadana de Observación".into();
    s.save_organization(renamed).unwrap();
    let luis = s.get::<Contact>(&luis.id).unwrap();
    s.delete_contact(&luis.id, luis.revision).unwrap();
    let kas = s.search("KAS", 1).hits[0].record.id.clone();
    let kas = s.get::<Organization>(&kas).unwrap();
    s.delete_organization(&kas.id, kas.revision, &OrgDeletion::Cascade).unwrap();
    s
}

/// Everything the screens ask of a store, as one comparable value.
fn answers(s: &Store) -> Value {
    let now = at("2026-11-24");
    let mut words: Vec<String> = Vec::new();
    let mut per_record = Vec::new();
    for kind in RecordKind::ALL {
        for r in s.list(kind) {
            for w in text::fold(&r.title).split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() > 2) {
                words.push(w.to_owned());
                words.push(w[..3].to_owned());
            }
            per_record.push(json!([r.id, s.references(&r.id).unwrap(), s.links(&r.id).unwrap()]));
            if kind == RecordKind::Organization {
                per_record.push(serde_json::to_value(s.organization_overview(&r.id, now).unwrap()).unwrap());
            }
        }
    }
    words.sort();
    words.dedup();
    let pairs: Vec<String> = words.windows(2).step_by(7).map(|w| format!("{} {}", w[0], w[1])).collect();
    let searches: Vec<Value> =
        words.iter().chain(&pairs).map(|q| serde_json::to_value(s.search(q, 50)).unwrap()).collect();
    json!({
        "len": s.len(),
        "lists": RecordKind::ALL.map(|k| serde_json::to_value(list_of(s, k, now)).unwrap()),
        "home": serde_json::to_value(s.home(now)).unwrap(),
        "records": per_record,
        "searches": searches,
    })
}

/// Opens the store under `dir` once the one dropped without closing has let go of it.
fn open_after_crash(dir: &std::path::Path) -> Store {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match Store::open(dir) {
            Err(Error::Locked) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(20))
            }
            other => return other.unwrap(),
        }
    }
}

#[test]
fn a_reopened_store_reads_its_saved_state_and_answers_as_a_rebuilt_one() {
    let s = busy_store();
    let before = answers(&s);
    assert!(before["searches"].as_array().unwrap().len() > 100, "the comparison asks many questions");
    let s = s.reopen();
    assert_eq!(s.opened(), Opened::Saved { replayed: 0 });
    assert_eq!(answers(&s), before);
    let dir = s.close();
    std::fs::remove_file(dir.path().join("store.state")).unwrap();
    let s = Store::open(dir.path()).unwrap();
    assert!(matches!(s.opened(), Opened::Rebuilt { .. }));
    assert_eq!(answers(&s), before);
    s.close().unwrap();
    // Rebuilt once, saved again.
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(s.opened(), Opened::Saved { replayed: 0 });
}

#[test]
fn after_a_crash_the_journal_brings_the_saved_state_up_to_date() {
    let dir = busy_store().close();
    let s = Store::open(dir.path()).unwrap();
    // Changes after the state was saved: an edit, a delete, a batch, the sample removed.
    let unw = s.search("UN Women", 1).hits[0].record.id.clone();
    let mut unw = s.get::<Organization>(&unw).unwrap();
    unw.notes = "Nueva representante en México.".into();
    s.save_organization(unw).unwrap();
    let ana = s.search("ana nunez", 1).hits[0].record.id.clone();
    let ana = s.get::<Contact>(&ana).unwrap();
    s.delete_contact(&ana.id, ana.revision).unwrap();
    let batch: Vec<AnyRecord> =
        (0..30).map(|i| org(&format!("B{i}"), &format!("Colectivo {i}")).into()).collect();
    s.insert_batch(batch).unwrap();
    s.remove_sample().unwrap();
    let before = answers(&s);
    // No close: the saved state stays as it was before these changes.
    drop(s);
    let s = open_after_crash(dir.path());
    assert_eq!(s.opened(), Opened::Saved { replayed: 4 });
    assert_eq!(answers(&s), before);
    s.close().unwrap();
    std::fs::remove_file(dir.path().join("store.state")).unwrap();
    let rebuilt = Store::open(dir.path()).unwrap();
    assert_eq!(answers(&rebuilt), before);
}

#[test]
fn a_damaged_or_foreign_saved_state_is_rebuilt() {
    let s = busy_store();
    let before = answers(&s);
    let dir = s.close();
    let path = dir.path().join("store.state");
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x40;
    std::fs::write(&path, &bytes).unwrap();
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(s.opened(), Opened::Rebuilt { why: "checksum" });
    assert_eq!(answers(&s), before);
    s.close().unwrap();

    // Another store's state, even at the same change number, is never read into this one.
    let other = store();
    other.load_sample(at("2026-11-20")).unwrap();
    let other_dir = other.close();
    std::fs::copy(other_dir.path().join("store.state"), &path).unwrap();
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(s.opened(), Opened::Rebuilt { why: "another store's" });
    assert_eq!(answers(&s), before);

    // Cut short: unusable too.
    s.close().unwrap();
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 3]).unwrap();
    let s = Store::open(dir.path()).unwrap();
    assert!(matches!(s.opened(), Opened::Rebuilt { .. }));
    assert_eq!(answers(&s), before);
}

#[test]
fn after_a_crash_past_what_the_journal_holds_the_state_is_rebuilt() {
    let dir = busy_store().close();
    let s = Store::open(dir.path()).unwrap();
    // More changes than the journal's ring keeps: the oldest of them are no longer there.
    let o = s.save_organization(org("VUELTAS", "Organismo que cambia mucho")).unwrap();
    let mut current = o;
    for i in 0..4200 {
        current.city = format!("Ciudad {i}");
        current = s.save_organization(current).unwrap();
    }
    let before = answers(&s);
    drop(s);
    let s = open_after_crash(dir.path());
    assert_eq!(s.opened(), Opened::Rebuilt { why: "journal gap" });
    assert_eq!(answers(&s), before);
}
