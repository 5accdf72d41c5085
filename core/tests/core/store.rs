use crate::fixtures::*;
use vinculo_core::*;

#[test]
fn a_new_record_gets_an_opaque_id_revision_and_timestamps() {
    let s = store();
    let saved = s.save_contact(contact("Ana López", None)).unwrap();
    assert!(saved.id.as_str().starts_with("per_"));
    assert!(!saved.id.as_str().contains("Ana"), "ids never carry personal data");
    assert_eq!(Id::parse(saved.id.as_str()), Some(saved.id.clone()));
    assert_eq!(saved.revision, 1);
    assert!(saved.created_at.is_some());
    assert_eq!(saved.created_at, saved.updated_at);
    assert_eq!(s.get::<Contact>(&saved.id).unwrap(), saved);
}

#[test]
fn an_update_bumps_the_revision_and_keeps_created_at() {
    let s = store();
    let first = s.save_contact(contact("Ana", None)).unwrap();
    let mut edit = first.clone();
    edit.notes = "Prefiere reuniones por la mañana.".into();
    let second = s.save_contact(edit).unwrap();
    assert_eq!(second.revision, 2);
    assert_eq!(second.created_at, first.created_at);
    assert!(second.updated_at >= first.updated_at);
}

#[test]
fn a_stale_revision_is_a_conflict_carrying_the_current_record() {
    let s = store();
    let loaded = s.save_organization(org("KAS", "Fundación Konrad Adenauer")).unwrap();
    let mut theirs = loaded.clone();
    theirs.notes = "Cambio de otra pantalla".into();
    s.save_organization(theirs).unwrap();

    let mut mine = loaded;
    mine.notes = "Mi cambio".into();
    match s.save_organization(mine).unwrap_err() {
        Error::Conflict { expected, current } => {
            assert_eq!(expected, 1);
            let AnyRecord::Organization(current) = *current else { panic!("an organization") };
            assert_eq!(current.revision, 2);
            assert_eq!(current.notes, "Cambio de otra pantalla");
        }
        other => panic!("{other:?}"),
    }
    let stored: Organization = s.get(&s.list(RecordKind::Organization)[0].id).unwrap();
    assert_eq!(stored.notes, "Cambio de otra pantalla", "nothing overwritten");
}

#[test]
fn deletes_check_the_revision_too() {
    let s = store();
    let c = s.save_contact(contact("Ana", None)).unwrap();
    s.save_contact(c.clone()).unwrap();
    assert!(matches!(s.delete_contact(&c.id, 1).unwrap_err(), Error::Conflict { .. }));
    assert!(s.delete_contact(&c.id, 2).is_ok());
    assert!(matches!(s.get::<Contact>(&c.id).unwrap_err(), Error::NotFound { .. }));
}

#[test]
fn saving_an_unknown_id_is_not_found() {
    let s = store();
    let c = Contact { id: Id::new(RecordKind::Contact), revision: 3, ..contact("Ana", None) };
    assert!(matches!(s.save_contact(c).unwrap_err(), Error::NotFound { kind: RecordKind::Contact, .. }));
}

#[test]
fn a_meeting_and_its_commitments_are_saved_and_loaded_together() {
    let s = store();
    let o = s.save_organization(org("ONU Mujeres", "ONU Mujeres")).unwrap();
    let ana = s.save_contact(contact("Ana", Some(&o.id))).unwrap();
    let mut c1 = commitment("Enviar calendario", Some("2026-12-01"));
    c1.owner_id = Some(ana.id.clone());
    c1.party = Party::Counterpart;
    let saved = s
        .save_meeting(
            with(
                meeting("Seguimiento", "2026-11-20", &[&o.id]),
                vec![c1, commitment("Compartir guía", None)],
            ),
            &[],
        )
        .unwrap();
    assert_eq!(saved.commitments.len(), 2);
    for c in &saved.commitments {
        assert_eq!(c.source, Some(CommitmentSource::Meeting(saved.record.id.clone())));
        assert_eq!(c.revision, 1);
    }
    assert_eq!(saved.commitments[0].description, "Enviar calendario", "dated first");
    assert_eq!(s.get_meeting(&saved.record.id).unwrap(), saved);
}

#[test]
fn editing_a_meeting_updates_adds_and_removes_commitments_atomically() {
    let s = store();
    let saved = s
        .save_meeting(
            with(meeting("R", "2026-11-20", &[]), vec![commitment("A", None), commitment("B", None)]),
            &[],
        )
        .unwrap();
    let (a, b) = (saved.commitments[0].clone(), saved.commitments[1].clone());
    let mut a_done = a.clone();
    a_done.status = CommitmentStatus::Done;
    a_done.evidence = "Oficio IECM/UTVOE/123/2026".into();
    let removal = Removal { id: b.id.clone(), revision: b.revision };
    let edited = s
        .save_meeting(
            WithCommitments {
                record: saved.record.clone(),
                commitments: vec![a_done, commitment("C", None)],
            },
            &[removal],
        )
        .unwrap();
    let descriptions: Vec<&str> = edited.commitments.iter().map(|c| c.description.as_str()).collect();
    assert_eq!(descriptions, ["A", "C"]);
    assert_eq!(edited.commitments[0].status, CommitmentStatus::Done);
    assert_eq!(edited.commitments[0].revision, 2);
    assert_eq!(edited.record.revision, 2);
    assert!(s.get::<Commitment>(&b.id).is_err());
}

#[test]
fn a_stale_commitment_fails_the_whole_meeting_save() {
    let s = store();
    let saved =
        s.save_meeting(with(meeting("R", "2026-11-20", &[]), vec![commitment("A", None)]), &[]).unwrap();
    // Marked done elsewhere meanwhile.
    let mut elsewhere = saved.commitments[0].clone();
    elsewhere.status = CommitmentStatus::Done;
    s.save_commitment(elsewhere).unwrap();

    let mut form = saved.clone();
    form.record.title = "Nuevo título".into();
    form.commitments[0].description = "A (editado)".into();
    assert!(matches!(s.save_meeting(form, &[]).unwrap_err(), Error::Conflict { .. }));
    let now = s.get_meeting(&saved.record.id).unwrap();
    assert_eq!(now.record.title, "R", "the meeting was not saved either");
    assert_eq!(now.commitments[0].status, CommitmentStatus::Done);
}

#[test]
fn a_commitment_cannot_be_moved_or_removed_through_another_parent() {
    let s = store();
    let one =
        s.save_meeting(with(meeting("Uno", "2026-11-20", &[]), vec![commitment("A", None)]), &[]).unwrap();
    let two = s.save_meeting(with(meeting("Dos", "2026-11-21", &[]), vec![]), &[]).unwrap();
    let stolen = WithCommitments { record: two.record.clone(), commitments: one.commitments.clone() };
    has(s.save_meeting(stolen, &[]).unwrap_err(), "commitments[0].source", Code::WrongParent);
    let removal = Removal { id: one.commitments[0].id.clone(), revision: 1 };
    has(s.save_meeting(two, &[removal]).unwrap_err(), "removedCommitments[0]", Code::WrongParent);
    assert_eq!(s.get_meeting(&one.record.id).unwrap().commitments.len(), 1);
}

#[test]
fn a_standalone_commitment_needs_its_parent() {
    let s = store();
    has(s.save_commitment(commitment("Suelto", None)).unwrap_err(), "source", Code::Required);
    let ghost = CommitmentSource::Agreement(Id::new(RecordKind::Agreement));
    has(
        s.save_commitment(Commitment { source: Some(ghost), ..commitment("x", None) }).unwrap_err(),
        "source",
        Code::MissingReference,
    );
}

#[test]
fn everything_survives_close_and_reopen() {
    let s = store();
    s.load_sample(at("2026-11-24")).unwrap();
    let o = s.save_organization(org("ODCA", "Organización Demócrata Cristiana de América")).unwrap();
    let before: Vec<AnyRecord> =
        RecordKind::ALL.into_iter().flat_map(|k| s.list(k)).map(|r| s.get_any(&r.id).unwrap()).collect();
    let home_before = s.home(at("2026-11-24"));
    let s = s.reopen();
    let after: Vec<AnyRecord> =
        RecordKind::ALL.into_iter().flat_map(|k| s.list(k)).map(|r| s.get_any(&r.id).unwrap()).collect();
    assert_eq!(before, after);
    assert_eq!(s.home(at("2026-11-24")), home_before);
    assert_eq!(s.search("ODCA", 5).hits[0].record.id, o.id, "the index is rebuilt on open");
}

#[test]
fn a_second_open_of_an_open_store_is_locked_not_a_crash() {
    let s = store();
    let second = Store::open(s.dir.path()).unwrap_err();
    assert!(matches!(second, Error::Locked), "{second:?}");
    let s = s.reopen();
    assert!(s.is_empty());
}

#[test]
fn a_store_from_a_newer_version_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    Store::open(dir.path()).unwrap().close().unwrap();
    let version_file = dir.path().join("store.version");
    let newer = format!(r#"{{"format":"vinculo-store","schema":{}}}"#, SCHEMA_VERSION + 1);
    std::fs::write(&version_file, &newer).unwrap();
    let before = snapshot(dir.path());
    match Store::open(dir.path()).unwrap_err() {
        Error::NewerSchema { found, supported } => {
            assert_eq!(found, SCHEMA_VERSION + 1);
            assert_eq!(supported, SCHEMA_VERSION);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(snapshot(dir.path()), before, "no file was touched");
}

#[test]
fn a_new_store_writes_its_schema_version_beside_it() {
    let s = store();
    let text = std::fs::read_to_string(s.dir.path().join("store.version")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["schema"], SCHEMA_VERSION);
    assert_eq!(json["format"], "vinculo-store");
}

#[test]
fn a_damaged_version_file_is_reported_as_damage() {
    let dir = tempfile::tempdir().unwrap();
    Store::open(dir.path()).unwrap().close().unwrap();
    std::fs::write(dir.path().join("store.version"), b"\x00garbage").unwrap();
    assert!(matches!(Store::open(dir.path()).unwrap_err(), Error::Corrupt { .. }));
}

#[test]
fn damaged_store_files_open_or_give_an_error_never_a_panic() {
    let mut outcomes = std::collections::BTreeMap::<&str, usize>::new();
    for seed in 0..30u64 {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        s.load_sample(at("2026-11-24")).unwrap();
        let expected = s.len();
        s.close().unwrap();
        let db = dir.path().join("store").join("db");
        let mut bytes = std::fs::read(&db).unwrap();
        // Aim the damage at the part of the file that holds data.
        let used = bytes.iter().rposition(|&b| b != 0).map_or(bytes.len(), |p| p + 1);
        let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407) | 1;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        match seed % 3 {
            0 => {
                for _ in 0..16 {
                    let at = (next() as usize) % used;
                    bytes[at] = next() as u8;
                }
            }
            1 => bytes.truncate((next() as usize) % used),
            _ => {
                let at = (next() as usize) % used;
                let end = (at + 4096).min(bytes.len());
                bytes[at..end].fill(0);
            }
        }
        std::fs::write(&db, &bytes).unwrap();
        let outcome = std::panic::catch_unwind(|| Store::open(dir.path()).map(|s| s.len()));
        let label = match outcome {
            Err(_) => "panicked",
            Ok(Ok(n)) if n == expected => "opened intact",
            Ok(Ok(_)) => "opened with records missing",
            Ok(Err(Error::Corrupt { .. })) => "reported as damaged",
            Ok(Err(e)) => {
                eprintln!("seed {seed}: {e:?}");
                "other error"
            }
        };
        *outcomes.entry(label).or_default() += 1;
    }
    eprintln!("damaged stores: {outcomes:?}");
    assert_eq!(outcomes.get("panicked"), None, "{outcomes:?}");
    assert_eq!(outcomes.get("other error"), None, "{outcomes:?}");
    // sled replays its log up to the damage and drops the rest without a word; the change
    // counter outside sled (`store.seq`) turns that into a report of damage.
    assert_eq!(outcomes.get("opened with records missing"), None, "{outcomes:?}");
}

#[test]
fn the_store_can_be_closed_and_reopened_many_times_in_one_process() {
    let mut s = store();
    for i in 0..5 {
        s.save_organization(org(&format!("O{i}"), &format!("Organización {i}"))).unwrap();
        s = s.reopen();
    }
    assert_eq!(s.list(RecordKind::Organization).len(), 5);
}

#[test]
fn a_change_of_post_goes_into_the_history() {
    let s = store();
    let unw = s.save_organization(org("ONU Mujeres", "ONU Mujeres")).unwrap();
    let pnud =
        s.save_organization(org("PNUD", "Programa de las Naciones Unidas para el Desarrollo")).unwrap();
    let mut c = contact("Ana", Some(&unw.id));
    c.post = "Oficial de programa".into();
    c.post_since = Some("2022-03-01".into());
    let ana = s.save_contact(c).unwrap();
    assert!(ana.post_history.is_empty());

    let before = office_today(jiff::Timestamp::now()).to_string();
    let mut moved = ana.clone();
    moved.organization_id = Some(pnud.id.clone());
    moved.post = "Coordinadora de gobernanza".into();
    let moved = s.save_contact(moved).unwrap();
    assert_eq!(moved.post_history.len(), 1);
    let h = &moved.post_history[0];
    assert_eq!(h.post, "Oficial de programa");
    assert_eq!(h.organization_id.as_ref(), Some(&unw.id));
    assert_eq!(h.organization_name, "ONU Mujeres");
    assert_eq!(h.from.as_deref(), Some("2022-03-01"));
    let today = office_today(jiff::Timestamp::now()).to_string();
    assert!(h.until.as_deref() == Some(today.as_str()) || h.until.as_deref() == Some(before.as_str()));
    assert_eq!(moved.post_since, h.until);

    // A save that does not change post or organization adds nothing.
    let again = s.save_contact(moved).unwrap();
    assert_eq!(again.post_history.len(), 1);

    // The old organization lists her as a former member.
    let overview = s.organization_overview(&unw.id, jiff::Timestamp::now()).unwrap();
    assert!(overview.people.is_empty());
    assert_eq!(overview.former_people[0].record.id, ana.id);
    assert_eq!(overview.former_people[0].post, "Oficial de programa");
}

#[test]
fn deleting_a_referenced_organization_is_refused_with_the_list() {
    let s = store();
    let o = s.save_organization(org("KAS", "Fundación Konrad Adenauer")).unwrap();
    s.save_contact(contact("Ana", Some(&o.id))).unwrap();
    s.save_meeting(with(meeting("Reunión con KAS", "2026-11-20", &[&o.id]), vec![]), &[]).unwrap();
    match s.delete_organization(&o.id, o.revision, &OrgDeletion::Refuse).unwrap_err() {
        Error::Referenced { id, by } => {
            assert_eq!(id, o.id);
            let titles: Vec<(RecordKind, &str)> = by.iter().map(|r| (r.kind, r.title.as_str())).collect();
            assert_eq!(titles, [(RecordKind::Contact, "Ana"), (RecordKind::Meeting, "Reunión con KAS")]);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(s.len(), 3);
    assert_eq!(s.references(&o.id).unwrap().len(), 2);
}

#[test]
fn an_unreferenced_organization_deletes_under_refuse() {
    let s = store();
    let o = s.save_organization(org("KAS", "KAS")).unwrap();
    let report = s.delete_organization(&o.id, 1, &OrgDeletion::Refuse).unwrap();
    assert_eq!(report.deleted.len(), 1);
    assert!(s.is_empty());
}

#[test]
fn deleting_an_organization_by_reassigning_moves_every_reference() {
    let s = store();
    let old = s.save_organization(org("IDEA", "IDEA Internacional (duplicado)")).unwrap();
    let keep =
        s.save_organization(org("IDEA Internacional", "Instituto Internacional para la Democracia")).unwrap();
    let ana = s.save_contact(contact("Ana", Some(&old.id))).unwrap();
    let m =
        s.save_meeting(with(meeting("R", "2026-11-20", &[&old.id, &keep.id]), vec![]), &[]).unwrap().record;
    let a = s
        .save_agreement(WithCommitments { record: agreement("Carta", &[&old.id]), commitments: vec![] }, &[])
        .unwrap()
        .record;

    let report = s.delete_organization(&old.id, 1, &OrgDeletion::Reassign { to: keep.id.clone() }).unwrap();
    assert_eq!(report.deleted.len(), 1);
    assert_eq!(report.updated.len(), 3);
    assert_eq!(s.get::<Contact>(&ana.id).unwrap().organization_id, Some(keep.id.clone()));
    assert_eq!(
        s.get::<Meeting>(&m.id).unwrap().organization_ids,
        vec![keep.id.clone()],
        "merged without duplicates"
    );
    let a = s.get::<Agreement>(&a.id).unwrap();
    assert_eq!(a.counterpart_ids, vec![keep.id.clone()]);
    assert_eq!(a.revision, 2, "a changed record gets a new revision");
    assert_no_dangling(&s);

    let bad = s.delete_organization(&keep.id, 1, &OrgDeletion::Reassign { to: keep.id.clone() }).unwrap_err();
    has(bad, "to", Code::MissingReference);
}

#[test]
fn deleting_an_organization_in_cascade_leaves_nothing_dangling() {
    let s = store();
    let kas = s.save_organization(org("KAS", "Fundación Konrad Adenauer")).unwrap();
    let oea = s.save_organization(org("OEA", "Organización de los Estados Americanos")).unwrap();
    let ana = s.save_contact(contact("Ana", Some(&kas.id))).unwrap();
    let mut luis = contact("Luis", Some(&oea.id));
    luis.post_history = vec![PostRecord {
        post: "Asesor".into(),
        organization_id: Some(kas.id.clone()),
        organization_name: "Fundación Konrad Adenauer".into(),
        ..PostRecord::default()
    }];
    let luis = s.save_contact(luis).unwrap();
    let mut only_kas = meeting("Solo KAS", "2026-11-20", &[&kas.id]);
    only_kas.counterpart_attendees = vec![ana.id.clone()];
    let only_kas = s.save_meeting(with(only_kas, vec![commitment("A", None)]), &[]).unwrap();
    let mut shared = meeting("KAS y OEA", "2026-11-21", &[&kas.id, &oea.id]);
    shared.counterpart_attendees = vec![ana.id.clone(), luis.id.clone()];
    let mut owed = commitment("B", None);
    owed.owner_id = Some(ana.id.clone());
    let shared = s.save_meeting(with(shared, vec![owed]), &[]).unwrap();
    let marco = s
        .save_agreement(
            WithCommitments {
                record: agreement("Marco KAS", &[&kas.id]),
                commitments: vec![commitment("C", None)],
            },
            &[],
        )
        .unwrap();
    let mut child = agreement("Adenda KAS-OEA", &[&kas.id, &oea.id]);
    child.parent_id = Some(marco.record.id.clone());
    let child = s.save_agreement(WithCommitments { record: child, commitments: vec![] }, &[]).unwrap().record;

    s.delete_organization(&kas.id, 1, &OrgDeletion::Cascade).unwrap();

    assert!(s.get::<Contact>(&ana.id).is_err(), "its people are deleted");
    assert!(s.get::<Meeting>(&only_kas.record.id).is_err());
    assert!(s.get::<Commitment>(&only_kas.commitments[0].id).is_err(), "with their commitments");
    assert!(s.get::<Agreement>(&marco.record.id).is_err());
    let shared_now = s.get_meeting(&shared.record.id).unwrap();
    assert_eq!(shared_now.record.organization_ids, vec![oea.id.clone()]);
    assert_eq!(shared_now.record.counterpart_attendees, vec![luis.id.clone()]);
    assert_eq!(shared_now.commitments[0].owner_id, None);
    let child = s.get::<Agreement>(&child.id).unwrap();
    assert_eq!((child.counterpart_ids, child.parent_id), (vec![oea.id.clone()], None));
    let luis = s.get::<Contact>(&luis.id).unwrap();
    assert_eq!(luis.post_history[0].organization_id, None);
    assert_eq!(
        luis.post_history[0].organization_name, "Fundación Konrad Adenauer",
        "history still reads right"
    );
    assert_no_dangling(&s);
}

#[test]
fn deleting_a_person_removes_them_everywhere() {
    let s = store();
    let o = s.save_organization(org("ONU Mujeres", "ONU Mujeres")).unwrap();
    let ana = s.save_contact(contact("Ana", Some(&o.id))).unwrap();
    let mut o2 = o.clone();
    o2.responsible_id = Some(ana.id.clone());
    s.save_organization(o2).unwrap();
    let mut m = meeting("R", "2026-11-20", &[&o.id]);
    m.counterpart_attendees = vec![ana.id.clone()];
    let mut c = commitment("A", None);
    c.owner_id = Some(ana.id.clone());
    let m = s.save_meeting(with(m, vec![c]), &[]).unwrap();
    let mut a = agreement("Marco", &[&o.id]);
    a.counterpart_contact_id = Some(ana.id.clone());
    s.save_agreement(WithCommitments { record: a, commitments: vec![] }, &[]).unwrap();

    let report = s.delete_contact(&ana.id, 1).unwrap();
    assert_eq!(report.deleted.len(), 1);
    assert_eq!(report.updated.len(), 4);
    assert!(s.search("Ana", 10).hits.is_empty(), "gone from search");
    let m = s.get_meeting(&m.record.id).unwrap();
    assert!(m.record.counterpart_attendees.is_empty());
    assert_eq!(m.commitments[0].owner_id, None);
    assert_no_dangling(&s);
}

#[test]
fn deleting_a_meeting_deletes_its_commitments() {
    let s = store();
    let m = s
        .save_meeting(
            with(meeting("R", "2026-11-20", &[]), vec![commitment("A", None), commitment("B", None)]),
            &[],
        )
        .unwrap();
    let report = s.delete_meeting(&m.record.id, 1).unwrap();
    assert_eq!(report.deleted.len(), 3);
    assert!(s.is_empty());
}

#[test]
fn deleting_a_marco_detaches_its_children() {
    let s = store();
    let o = s.save_organization(org("A", "Alfa")).unwrap();
    let marco = s
        .save_agreement(WithCommitments { record: agreement("Marco", &[&o.id]), commitments: vec![] }, &[])
        .unwrap()
        .record;
    let mut child = agreement("Adenda", &[&o.id]);
    child.parent_id = Some(marco.id.clone());
    let child = s.save_agreement(WithCommitments { record: child, commitments: vec![] }, &[]).unwrap().record;
    assert_eq!(s.references(&marco.id).unwrap()[0].id, child.id);
    s.delete_agreement(&marco.id, 1).unwrap();
    assert_eq!(s.get::<Agreement>(&child.id).unwrap().parent_id, None);
}

#[test]
fn sample_data_loads_once_and_is_removable() {
    let s = store();
    let n = s.load_sample(at("2026-11-24")).unwrap();
    assert!(n > 20);
    assert!(matches!(s.load_sample(at("2026-11-24")).unwrap_err(), Error::NotEmpty));
    let orgs = s.list(RecordKind::Organization);
    for acronym in [
        "ONU Mujeres",
        "PNUD",
        "IDEA Internacional",
        "NDI",
        "OIDP",
        "OEA",
        "OSF",
        "CEPAL",
        "UNICEF",
        "ACNUDH",
        "KAS",
        "IECM",
    ] {
        let hit = &s.search(acronym, 1).hits[0];
        assert_eq!(hit.record.kind, RecordKind::Organization, "{acronym}");
        let o: Organization = s.get(&hit.record.id).unwrap();
        assert!(o.sample);
        assert_eq!(o.acronym_es, acronym);
    }
    assert_eq!(orgs.len(), 12);
    assert_no_dangling(&s);
    let report = s.remove_sample().unwrap();
    assert_eq!(report.deleted.len(), n);
    assert!(s.is_empty());
}

#[test]
fn removing_the_sample_keeps_what_the_user_built_on() {
    let s = store();
    s.load_sample(at("2026-11-24")).unwrap();
    let unw_id = s.search("ONU Mujeres", 1).hits[0].record.id.clone();
    let mine = s.save_contact(contact("Persona real", Some(&unw_id))).unwrap();
    // Editing a sample record makes it the user's.
    let kas_id = s.search("KAS", 1).hits[0].record.id.clone();
    let mut kas: Organization = s.get(&kas_id).unwrap();
    kas.notes = "Contacto real desde 2025".into();
    assert!(!s.save_organization(kas).unwrap().sample);

    s.remove_sample().unwrap();
    let unw: Organization = s.get(&unw_id).unwrap();
    assert!(!unw.sample, "kept and now the user's");
    assert!(s.get::<Contact>(&mine.id).is_ok());
    assert!(s.get::<Organization>(&kas_id).is_ok());
    assert_eq!(s.list(RecordKind::Organization).len(), 2);
    assert_no_dangling(&s);
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_commitment_cannot_be_saved_and_removed_in_one_save() {
    let s = store();
    let saved =
        s.save_meeting(with(meeting("R", "2026-11-20", &[]), vec![commitment("A", None)]), &[]).unwrap();
    let c = saved.commitments[0].clone();
    let removal = Removal { id: c.id.clone(), revision: c.revision };
    let err = s
        .save_meeting(
            WithCommitments { record: saved.record.clone(), commitments: vec![c.clone()] },
            &[removal],
        )
        .unwrap_err();
    has(err, "commitments[0].id", Code::DuplicateEntry);
    let twice = WithCommitments { record: saved.record.clone(), commitments: vec![c.clone(), c] };
    has(s.save_meeting(twice, &[]).unwrap_err(), "commitments[1].id", Code::DuplicateEntry);
    assert_eq!(s.get_meeting(&saved.record.id).unwrap().commitments.len(), 1);
}

#[test]
fn removing_a_commitment_changed_meanwhile_is_a_conflict() {
    let s = store();
    let saved =
        s.save_meeting(with(meeting("R", "2026-11-20", &[]), vec![commitment("A", None)]), &[]).unwrap();
    let mut elsewhere = saved.commitments[0].clone();
    elsewhere.status = CommitmentStatus::Done;
    s.save_commitment(elsewhere).unwrap();
    let removal = Removal { id: saved.commitments[0].id.clone(), revision: 1 };
    assert!(matches!(
        s.save_meeting(with(saved.record.clone(), vec![]), &[removal]).unwrap_err(),
        Error::Conflict { .. }
    ));
    assert_eq!(s.get_meeting(&saved.record.id).unwrap().commitments.len(), 1);
}

#[test]
fn an_unchanged_commitment_keeps_its_revision_when_its_meeting_is_saved() {
    let s = store();
    let saved = s
        .save_meeting(
            with(meeting("R", "2026-11-20", &[]), vec![commitment("A", None), commitment("B", None)]),
            &[],
        )
        .unwrap();
    let mut form = saved.clone();
    form.record.title = "R2".into();
    form.commitments[1].description = "B editado".into();
    let after = s.save_meeting(form, &[]).unwrap();
    assert_eq!(after.commitments[0].revision, 1, "untouched");
    assert_eq!(after.commitments[0].updated_at, saved.commitments[0].updated_at);
    assert_eq!(after.commitments[1].revision, 2);
}

#[test]
fn a_commitment_saved_alone_cannot_change_its_parent() {
    let s = store();
    let one =
        s.save_meeting(with(meeting("Uno", "2026-11-20", &[]), vec![commitment("A", None)]), &[]).unwrap();
    let two = s.save_meeting(with(meeting("Dos", "2026-11-21", &[]), vec![]), &[]).unwrap();
    let mut moved = one.commitments[0].clone();
    moved.source = Some(CommitmentSource::Meeting(two.record.id.clone()));
    has(s.save_commitment(moved).unwrap_err(), "source", Code::WrongParent);
}

#[test]
fn a_batch_checks_ids_folios_and_cycles_within_itself() {
    let s = store();
    let o = org("A", "Alfa");
    let wrong_kind = Organization { id: Id::new(RecordKind::Contact), ..org("B", "Beta") };
    has(s.insert_batch(vec![wrong_kind.into()]).unwrap_err(), "records[0].id", Code::InvalidId);
    let o = Organization { id: Id::new(RecordKind::Organization), ..o };
    has(
        s.insert_batch(vec![o.clone().into(), o.clone().into()]).unwrap_err(),
        "records[1].id",
        Code::InvalidId,
    );

    let mut a1 = Agreement { id: Id::new(RecordKind::Agreement), ..agreement("Uno", &[&o.id]) };
    let mut a2 = Agreement { id: Id::new(RecordKind::Agreement), ..agreement("Dos", &[&o.id]) };
    a1.folio = "A-1 ".into();
    a2.folio = "a-1".into();
    let err = s.insert_batch(vec![o.clone().into(), a1.clone().into(), a2.clone().into()]).unwrap_err();
    has(err, "records[2].folio", Code::DuplicateFolio);

    a2.folio = "A-2".into();
    a1.parent_id = Some(a2.id.clone());
    a2.parent_id = Some(a1.id.clone());
    let err = s.insert_batch(vec![o.clone().into(), a1.into(), a2.into()]).unwrap_err();
    has(err, "records[1].parentId", Code::ReferenceCycle);
    assert!(s.is_empty());
}

#[test]
fn removing_the_sample_keeps_what_a_kept_record_needs_to_stay_valid() {
    let s = store();
    s.load_sample(at("2026-11-24")).unwrap();
    let marco_id = s.search("IECM/CM/012/2022", 1).hits[0].record.id.clone();
    let marco = s.get_agreement(&marco_id).unwrap();
    // The user adds a commitment of their own to the sample marco.
    let mut mine = commitment("Revisar la renovación", Some("2026-12-15"));
    mine.source = Some(CommitmentSource::Agreement(marco_id.clone()));
    s.save_commitment(mine).unwrap();

    s.remove_sample().unwrap();
    let kept = s.get::<Agreement>(&marco_id).unwrap();
    assert!(!kept.sample);
    assert_eq!(kept.counterpart_ids, marco.record.counterpart_ids, "its counterpart stays with it");
    assert_eq!(kept.iecm_contact_id, None, "the fictional follow-up contact is gone");
    assert!(
        s.save_agreement(WithCommitments { record: kept, commitments: vec![] }, &[]).is_ok(),
        "still valid"
    );
    assert_no_dangling(&s);
}

#[test]
fn a_schema_version_of_zero_is_damage_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(dir.path()).unwrap();
    s.save_organization(org("A", "Alfa")).unwrap();
    s.close().unwrap();
    std::fs::write(dir.path().join("store.version"), br#"{"format":"vinculo-store","schema":0}"#).unwrap();
    // The meta tree still says 1, so the store opens; the file is rewritten.
    assert!(Store::open(dir.path()).is_ok());
}

#[test]
fn links_name_what_a_record_points_at_and_references_what_points_at_it() {
    let s = store();
    let o = s.save_organization(org("OEA", "Organización de los Estados Americanos")).unwrap();
    let ana = s.save_contact(contact("Ana", Some(&o.id))).unwrap();
    let mut m = meeting("R", "2026-11-20", &[&o.id]);
    m.counterpart_attendees = vec![ana.id.clone()];
    let m = s.save_meeting(with(m, vec![]), &[]).unwrap().record;
    let mut links: Vec<(RecordKind, String)> =
        s.links(&m.id).unwrap().into_iter().map(|r| (r.kind, r.title)).collect();
    links.sort();
    assert_eq!(
        links,
        [
            (RecordKind::Organization, "Organización de los Estados Americanos".to_owned()),
            (RecordKind::Contact, "Ana".to_owned())
        ]
    );
    assert_eq!(s.references(&ana.id).unwrap()[0].id, m.id);
    assert!(matches!(s.links(&Id::new(RecordKind::Meeting)), Err(Error::NotFound { .. })));
    assert!(matches!(s.references(&Id::new(RecordKind::Contact)), Err(Error::NotFound { .. })));
}

#[test]
fn changes_lost_from_sled_s_files_come_back_from_the_write_ahead_log() {
    let s = store();
    let ids: Vec<Id> = (0..30)
        .map(|i| s.save_organization(org(&format!("O{i}"), &format!("Organismo {i}"))).unwrap().id)
        .collect();
    let expected = all_records(&s);
    let dir = s.close();
    cut_sled_log(dir.path());
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(all_records(&s), expected);
    assert!(ids.iter().all(|id| s.get::<Organization>(id).is_ok()));
    // And what came back is durable in sled itself: blanking the log changes nothing now.
    let dir = TestStore { store: s, dir }.close();
    let wal = dir.path().join("store.wal");
    std::fs::write(&wal, vec![0u8; std::fs::metadata(&wal).unwrap().len() as usize]).unwrap();
    assert_eq!(all_records(&Store::open(dir.path()).unwrap()), expected);
}

#[test]
fn a_write_ahead_log_of_the_wrong_size_is_still_replayed_then_made_whole() {
    let s = store();
    for i in 0..30 {
        s.save_organization(org(&format!("O{i}"), &format!("Organismo {i}"))).unwrap();
    }
    let expected = all_records(&s);
    let dir = s.close();
    cut_sled_log(dir.path());
    let wal = dir.path().join("store.wal");
    let size = std::fs::metadata(&wal).unwrap().len();
    let f = std::fs::OpenOptions::new().write(true).open(&wal).unwrap();
    f.set_len(size + 4096).unwrap();
    drop(f);
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(all_records(&s), expected);
    assert_eq!(std::fs::metadata(&wal).unwrap().len(), size);
    s.save_organization(org("N", "Nuevo")).unwrap();
    let dir = TestStore { store: s, dir }.close();
    assert_eq!(Store::open(dir.path()).unwrap().len(), 31);
}

#[test]
fn a_write_ahead_log_that_skips_changes_the_store_lacks_is_damage() {
    let s = store();
    // More than one log's worth, so the log has started over since the first saves (minutes
    // that do not compress away: every word a number of its own).
    let mut n: u64 = 1;
    for i in 0..80 {
        let mut m = meeting(&format!("Reunión {i}"), "2026-11-20", &[]);
        m.minutes = (0..3000)
            .map(|_| {
                n = n.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                format!("{:x}", n >> 20)
            })
            .collect::<Vec<_>>()
            .join(" ");
        s.save_meeting(with(m, vec![]), &[]).unwrap();
    }
    let dir = s.close();
    cut_sled_log(dir.path());
    assert!(matches!(Store::open(dir.path()), Err(Error::Corrupt { .. })));
}

#[test]
fn a_store_killed_while_sled_wrote_its_snapshot_opens_whole() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let saved = store.save_organization(org("IDEA", "Instituto Internacional para la Democracia")).unwrap();
    store.close().unwrap();
    // sled writes a snapshot to `snap.<lsn>.generating`, then renames it; killed in between,
    // the half-written file stays, and sled 0.34 reads it as the newest snapshot.
    std::fs::write(dir.path().join("store/snap.FFFFFFFFFFFFFFFF.generating"), b"half a snapshot").unwrap();
    let store = Store::open(dir.path()).expect("opens");
    assert_eq!(store.get::<Organization>(&saved.id).unwrap(), saved);
    assert!(!dir.path().join("store/snap.FFFFFFFFFFFFFFFF.generating").exists());
}
