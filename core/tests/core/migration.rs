//! Stores written by earlier schemas open in this one, every record intact.

use crate::fixtures::*;
use vinculo_core::*;

/// The change number `store.seq` holds.
fn seq_file(dir: &std::path::Path) -> u64 {
    std::fs::read_to_string(dir.join("store.seq")).unwrap().trim().parse().unwrap()
}

fn version_file(dir: &std::path::Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("store.version")).unwrap()).unwrap()
}

#[test]
fn a_schema_1_store_migrates_with_every_record_intact() {
    let dir = fixture_v1();
    assert_eq!(version_file(dir.path())["schema"], 1);
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(SCHEMA_VERSION, 5);
    assert_eq!(all_records(&s), fixture_v1_records());
    assert_eq!(s.len(), 178);
    // Schema 2 counts changes from here on.
    let before = s.seq();
    let o = s
        .save_organization(Organization { name_es: "Nuevo organismo".into(), ..Organization::default() })
        .unwrap();
    assert_eq!(s.seq(), before + 1);
    s.close().unwrap();
    assert_eq!(version_file(dir.path())["schema"], 5);
    assert_eq!(seq_file(dir.path()), before + 1);
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(s.len(), 179);
    assert!(s.get::<Organization>(&o.id).is_ok());
    assert_eq!(
        s.search("UN Women", 1).hits[0].record.title,
        "Entidad de las Naciones Unidas para la Igualdad de Género y el Empoderamiento de las Mujeres"
    );
}

#[test]
fn a_store_that_lost_changes_it_had_made_durable_is_reported_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(dir.path()).unwrap();
    s.save_organization(Organization { name_es: "Uno".into(), ..Organization::default() }).unwrap();
    let seq = s.seq();
    s.close().unwrap();
    // As if sled had dropped the last change: the counter outside it is ahead.
    std::fs::write(dir.path().join("store.seq"), (seq + 1).to_string()).unwrap();
    assert!(matches!(Store::open(dir.path()), Err(Error::Corrupt { .. })));
    // A counter behind (a crash between the change and its note) is no damage.
    std::fs::write(dir.path().join("store.seq"), (seq - 1).to_string()).unwrap();
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(s.len(), 1);
    s.close().unwrap();
    assert_eq!(seq_file(dir.path()), seq);
}
