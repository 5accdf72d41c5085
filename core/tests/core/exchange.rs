//! Export and import: one documented file, merged by revision, duplicates shown, nothing
//! written unless all of it can be.

use crate::fixtures::*;
use vinculo_core::*;

fn no_progress() -> impl FnMut(ImportStep, usize, usize) {
    |_, _, _| {}
}

#[test]
fn export_import_into_an_empty_store_and_export_again_gives_the_same_records() {
    let a = store();
    a.load_sample(at("2026-11-24")).unwrap();
    let first = a.export(at("2026-11-25")).unwrap();
    assert_eq!(first.format, "vinculo-export");
    assert_eq!(first.len(), a.len());
    let bytes = first.to_json();
    let b = store();
    let plan = b.plan_import(&Export::parse(&bytes).unwrap()).unwrap();
    assert_eq!(
        (plan.total, plan.added, plan.duplicates.len(), plan.updated.len()),
        (first.len(), first.len(), 0, 0)
    );
    let report =
        b.import(&Export::parse(&bytes).unwrap(), &ImportChoices::default(), &mut no_progress()).unwrap();
    assert_eq!(report.added, first.len());
    let again = b.export(at("2026-11-25")).unwrap();
    assert_eq!(again, first, "the same records, field for field");
    assert_eq!(all_records(&b), all_records(&a));
    // Importing the same file again changes nothing.
    let seq = b.seq();
    let plan = b.plan_import(&first).unwrap();
    assert_eq!(plan.unchanged, first.len());
    let report = b.import(&first, &ImportChoices::default(), &mut no_progress()).unwrap();
    assert_eq!((report.added, report.updated, report.kept), (0, 0, first.len()));
    assert_eq!(b.seq(), seq, "nothing written");
}

#[test]
fn the_same_record_merges_by_revision_and_a_tie_with_different_content_is_a_choice() {
    let here = store();
    let base = here.save_organization(org("KAS", "Fundación Konrad Adenauer")).unwrap();
    let other = here.save_organization(org("OSF", "Open Society Foundations")).unwrap();
    let tie = here.save_organization(org("NDI", "Instituto Nacional Demócrata")).unwrap();
    // The other laptop: a copy of this store, then its own edits.
    let there = store();
    there
        .import(&here.export(at("2026-11-25")).unwrap(), &ImportChoices::default(), &mut no_progress())
        .unwrap();
    there.save_organization(Organization { city: "Berlín".into(), ..base.clone() }).unwrap();
    let mut osf = there.get::<Organization>(&other.id).unwrap();
    osf.city = "Nueva York".into();
    there.save_organization(osf).unwrap();
    there.save_organization(Organization { notes: "editado allá".into(), ..tie.clone() }).unwrap();
    // Meanwhile here: OSF edited twice (newer than there), NDI once (a tie with there).
    let osf1 = here.save_organization(Organization { notes: "uno".into(), ..other.clone() }).unwrap();
    here.save_organization(Organization { notes: "dos".into(), ..osf1 }).unwrap();
    here.save_organization(Organization { notes: "editado aquí".into(), ..tie.clone() }).unwrap();

    let file = there.export(at("2026-11-26")).unwrap();
    let plan = here.plan_import(&file).unwrap();
    assert_eq!(plan.updated.iter().map(|r| r.id.clone()).collect::<Vec<_>>(), std::slice::from_ref(&base.id));
    assert_eq!(plan.older, 1, "OSF is newer here");
    assert_eq!(plan.conflicts.len(), 1);
    assert_eq!(plan.conflicts[0].record.id, tie.id);
    let report = here.import(&file, &ImportChoices::default(), &mut no_progress()).unwrap();
    assert_eq!((report.updated, report.kept), (1, 2));
    assert_eq!(here.get::<Organization>(&base.id).unwrap().city, "Berlín");
    assert_eq!(here.get::<Organization>(&other.id).unwrap().notes, "dos");
    assert_eq!(here.get::<Organization>(&tie.id).unwrap().notes, "editado aquí", "not overwritten unasked");
    let take = ImportChoices { take_incoming: vec![tie.id.clone()], ..ImportChoices::default() };
    here.import(&file, &take, &mut no_progress()).unwrap();
    let taken = here.get::<Organization>(&tie.id).unwrap();
    assert_eq!(taken.notes, "editado allá", "taken when chosen");
    assert_eq!(taken.revision, tie.revision + 2, "the choice is a revision of its own");
    // Back on the other laptop the choice arrives as a newer revision, not the same tie again.
    let back = there.plan_import(&here.export(at("2026-11-27")).unwrap()).unwrap();
    assert!(back.conflicts.is_empty(), "{:?}", back.conflicts);
    assert!(back.updated.iter().any(|r| r.id == tie.id));
}

#[test]
fn likely_duplicates_are_listed_and_merge_or_stay_as_chosen() {
    let here = store();
    let kas = here.save_organization(org("KAS", "Fundación Konrad Adenauer")).unwrap();
    let ana = here
        .save_contact(Contact {
            emails: vec![Labeled { label: "Oficina".into(), value: "ana@kas.ejemplo.de".into() }],
            ..contact("Ana Müller", Some(&kas.id))
        })
        .unwrap();
    // Another laptop typed them in on its own: other ids, same acronym and e-mail.
    let there = store();
    let kas2 = there.save_organization(org("kas", "Konrad-Adenauer-Stiftung")).unwrap();
    let ana2 = there
        .save_contact(Contact {
            emails: vec![Labeled { label: "".into(), value: "ANA@kas.ejemplo.de".into() }],
            ..contact("Ana Muller", Some(&kas2.id))
        })
        .unwrap();
    let m = there
        .save_meeting(
            with(
                Meeting {
                    counterpart_attendees: vec![ana2.id.clone()],
                    ..meeting("Reunión en Berlín", "2026-12-03", &[&kas2.id])
                },
                vec![],
            ),
            &[],
        )
        .unwrap();
    let file = there.export(at("2026-11-25")).unwrap();
    let plan = here.plan_import(&file).unwrap();
    let dups: Vec<(Id, Id, Likeness)> =
        plan.duplicates.iter().map(|d| (d.incoming.id.clone(), d.existing.id.clone(), d.likeness)).collect();
    assert_eq!(
        dups,
        [
            (kas2.id.clone(), kas.id.clone(), Likeness::SameAcronym),
            (ana2.id.clone(), ana.id.clone(), Likeness::SameEmail)
        ]
    );
    assert_eq!(plan.added, 1, "the meeting");

    // Merged: the meeting points at the records already here.
    let merge = ImportChoices { merge: vec![kas2.id.clone(), ana2.id.clone()], ..ImportChoices::default() };
    let merged = store();
    merged
        .import(&here.export(at("2026-11-25")).unwrap(), &ImportChoices::default(), &mut no_progress())
        .unwrap();
    let report = merged.import(&file, &merge, &mut no_progress()).unwrap();
    assert_eq!((report.added, report.merged), (1, 2));
    let meeting = merged.get::<Meeting>(&m.record.id).unwrap();
    assert_eq!(
        (meeting.organization_ids.clone(), meeting.counterpart_attendees.clone()),
        (vec![kas.id.clone()], vec![ana.id.clone()])
    );
    assert_eq!(merged.list(RecordKind::Organization).len(), 1);
    assert_no_dangling(&merged);
    // Kept: both are there.
    let report = here.import(&file, &ImportChoices::default(), &mut no_progress()).unwrap();
    assert_eq!(report.added, 3);
    assert_eq!(here.list(RecordKind::Organization).len(), 2);
    assert_no_dangling(&here);
}

#[test]
fn an_agreement_kept_beside_one_with_its_folio_gets_a_mark() {
    let here = store();
    let o =
        here.save_organization(org("PNUD", "Programa de las Naciones Unidas para el Desarrollo")).unwrap();
    here.save_agreement(
        WithCommitments {
            record: Agreement { folio: "IECM/CE/001/2026".into(), ..agreement("Convenio aquí", &[&o.id]) },
            commitments: vec![],
        },
        &[],
    )
    .unwrap();
    let there = store();
    there
        .import(
            &Export::new(vec![o.clone().into()], at("2026-11-25")),
            &ImportChoices::default(),
            &mut no_progress(),
        )
        .unwrap();
    let theirs = there
        .save_agreement(
            WithCommitments {
                record: Agreement {
                    folio: "iecm/ce/001/2026".into(),
                    ..agreement("Convenio allá", &[&o.id])
                },
                commitments: vec![],
            },
            &[],
        )
        .unwrap();
    let file = there.export(at("2026-11-26")).unwrap();
    let plan = here.plan_import(&file).unwrap();
    assert_eq!(plan.duplicates[0].likeness, Likeness::SameFolio);
    here.import(&file, &ImportChoices::default(), &mut no_progress()).unwrap();
    assert_eq!(here.get::<Agreement>(&theirs.record.id).unwrap().folio, "iecm/ce/001/2026 (2)");
}

#[test]
fn a_foreign_newer_malformed_or_inconsistent_file_is_refused_and_changes_nothing() {
    let s = store();
    s.load_sample(at("2026-11-24")).unwrap();
    let before = (s.seq(), all_records(&s));
    let code = |r: Result<Export>| match r {
        Err(Error::Invalid(v)) => (v[0].field.clone(), v[0].code),
        other => panic!("{other:?}"),
    };
    assert_eq!(code(Export::parse(b"%PDF-1.7")), ("file".into(), Code::ForeignFile));
    assert_eq!(code(Export::parse(br#"{"hello": "world"}"#)), ("file".into(), Code::ForeignFile));
    assert_eq!(
        code(Export::parse(br#"{"format": "vinculo-export", "version": 99}"#)),
        ("file".into(), Code::NewerFile)
    );
    assert_eq!(
        code(Export::parse(br#"{"format": "vinculo-export", "version": 1, "exportedAt": "2026-11-25T00:00:00Z", "schema": 2, "contacts": 7}"#)),
        ("file".into(), Code::MalformedFile)
    );
    // Well formed, but a meeting points at an organization neither here nor in the file.
    let elsewhere = store();
    let ghost = elsewhere.save_organization(org("X", "Organismo que no viene")).unwrap();
    let m =
        elsewhere.save_meeting(with(meeting("Reunión", "2026-12-01", &[&ghost.id]), vec![]), &[]).unwrap();
    let file = Export::new(vec![m.record.into()], at("2026-11-25"));
    match s.import(&file, &ImportChoices::default(), &mut no_progress()) {
        Err(Error::Invalid(v)) => assert!(v.iter().any(|v| v.code == Code::MissingReference), "{v:?}"),
        other => panic!("{other:?}"),
    }
    // The same record twice in one file (two versions of it): refused, not both written.
    let dup = elsewhere.save_organization(org("D", "Organismo repetido")).unwrap();
    let twice = Organization { city: "Bogotá".into(), ..dup.clone() };
    let file = Export::new(vec![dup.into(), twice.into()], at("2026-11-25"));
    match s.import(&file, &ImportChoices::default(), &mut no_progress()) {
        Err(Error::Invalid(v)) => {
            assert!(
                v.iter().any(|v| (v.field.as_str(), v.code) == ("records[1].id", Code::InvalidId)),
                "{v:?}"
            )
        }
        other => panic!("{other:?}"),
    }
    assert_eq!((s.seq(), all_records(&s)), before, "nothing written");
}

#[test]
fn ten_thousand_records_import_at_once_with_progress() {
    let source = store();
    let o =
        source.save_organization(org("PNUD", "Programa de las Naciones Unidas para el Desarrollo")).unwrap();
    let people: Vec<AnyRecord> = (0..10_000)
        .map(|n| {
            Contact {
                emails: vec![Labeled { label: "Oficina".into(), value: format!("p{n}@undp.ejemplo.org") }],
                ..contact(&format!("Persona {n}"), Some(&o.id))
            }
            .into()
        })
        .collect();
    source.insert_batch(people).unwrap();
    let file = source.export(at("2026-11-25")).unwrap();
    let target = store();
    let mut steps = Vec::new();
    let started = std::time::Instant::now();
    let report = target
        .import(&file, &ImportChoices::default(), &mut |step, done, of| steps.push((step, done, of)))
        .unwrap();
    eprintln!("import of {} records: {:.2} s", file.len(), started.elapsed().as_secs_f64());
    assert_eq!(report.added, 10_001);
    assert_eq!(target.len(), 10_001);
    assert!(steps.iter().filter(|s| s.0 == ImportStep::Checking).count() >= 20, "progress while checking");
    assert_eq!(steps.last(), Some(&(ImportStep::Writing, 10_001, 10_001)));
    assert_eq!(target.search("p9999@undp.ejemplo.org", 1).hits.len(), 1, "searchable at once");
}
