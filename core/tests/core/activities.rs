//! Joint activities: validation, references, deletes, where they show, and the training of the
//! Institute's staff.

use crate::briefing::{es, headings, text_of};
use crate::fixtures::*;
use vinculo_core::*;

fn activity(title: &str, partners: &[&Id]) -> Activity {
    Activity {
        title: title.into(),
        partner_ids: partners.iter().map(|&id| id.clone()).collect(),
        ..Activity::default()
    }
}

fn save(s: &Store, a: Activity, commitments: Vec<Commitment>) -> WithCommitments<Activity> {
    s.save_activity(WithCommitments { record: a, commitments }, &[]).unwrap()
}

fn participant(who: &Id, hours: Option<f64>) -> Participant {
    Participant { contact_id: who.clone(), hours, ..Participant::default() }
}

/// An organization, an instrument with it, one person of the IECM and one of the partner.
struct World {
    unw: Organization,
    marco: Agreement,
    diego: Contact,
    ana: Contact,
}

fn world(s: &Store) -> World {
    let iecm = s.save_organization(org("IECM", "Instituto Electoral de la Ciudad de México")).unwrap();
    let unw = s.save_organization(org("ONU Mujeres", "ONU Mujeres")).unwrap();
    let marco = s
        .save_agreement(
            WithCommitments { record: agreement("Convenio marco", &[&unw.id]), commitments: vec![] },
            &[],
        )
        .unwrap()
        .record;
    let diego = s.save_contact(contact("Diego Hernández", Some(&iecm.id))).unwrap();
    let ana = s.save_contact(contact("Ana Castillo", Some(&unw.id))).unwrap();
    World { unw, marco, diego, ana }
}

#[test]
fn an_activity_is_saved_with_its_commitments_and_shows_where_the_office_looks() {
    let s = store();
    let w = world(&s);
    let mut a = activity("Taller sobre violencia política", &[&w.unw.id]);
    a.kind = ActivityKind::Workshop;
    a.status = ActivityStatus::Planned;
    a.agreement_id = Some(w.marco.id.clone());
    a.themes = vec![Theme::GenderEquality, Theme::Training, Theme::GenderEquality];
    a.starts_on = Some("2026-11-30".into());
    a.ends_on = Some("2026-12-01".into());
    a.products = "Memoria del taller".into();
    a.participants = vec![participant(&w.diego.id, Some(7.5)), participant(&w.ana.id, None)];
    let mut follow = commitment("Enviar la memoria", Some("2026-12-15"));
    follow.owner_id = Some(w.diego.id.clone());
    let saved = save(&s, a, vec![follow]);
    let id = saved.record.id.clone();
    assert_eq!(id.kind(), Some(RecordKind::Activity));
    assert_eq!(saved.record.themes, [Theme::GenderEquality, Theme::Training], "each theme once");
    assert_eq!(saved.commitments.len(), 1);
    assert_eq!(saved.commitments[0].source, Some(CommitmentSource::Activity(id.clone())));
    assert_eq!(s.get_activity(&id).unwrap(), saved);

    // On its partner's page, with its open commitment; on its instrument's page.
    let view = s.organization_overview(&w.unw.id, at("2026-11-24")).unwrap();
    assert_eq!(view.activities.iter().map(|a| &a.id).collect::<Vec<_>>(), [&id]);
    assert_eq!(view.activities[0].agreement.as_ref().map(|r| &r.id), Some(&w.marco.id));
    assert_eq!(view.activities[0].ends_on.as_deref(), Some("2026-12-01"));
    assert_eq!(
        view.open_commitments.iter().map(|c| c.title.as_str()).collect::<Vec<_>>(),
        ["Enviar la memoria"]
    );
    let named = s.references(&w.marco.id).unwrap();
    assert!(named.iter().any(|r| r.id == id && r.kind == RecordKind::Activity), "{named:?}");
    let carrying = s.activities_of_agreement(&w.marco.id).unwrap();
    assert_eq!(carrying.iter().map(|a| &a.id).collect::<Vec<_>>(), [&id]);
    assert!(s.activities_of_agreement(&w.ana.id).unwrap().is_empty(), "she takes part; she is no instrument");
    let unknown = Id::new(RecordKind::Agreement);
    assert!(matches!(s.activities_of_agreement(&unknown).unwrap_err(), Error::NotFound { .. }));

    // In search, by its title and by its products.
    assert_eq!(s.search("violencia politica", 5).hits[0].record.id, id);
    let hit = &s.search("memoria del taller", 5).hits[0];
    assert_eq!((&hit.record.id, hit.matched_field), (&id, SearchField::Products));

    // In its list, and on the home view while it is under way or about to start.
    let RecordList::Activity(items) = list_of(&s, RecordKind::Activity, at("2026-11-24")) else { panic!() };
    assert_eq!(
        (items.len(), items[0].kind, items[0].status),
        (1, ActivityKind::Workshop, ActivityStatus::Planned)
    );
    let home = s.home(at("2026-11-24"));
    assert_eq!((home.totals.activities, home.activities[0].id.clone()), (1, id.clone()));
    assert_eq!(s.home(at("2026-12-01")).totals.activities, 1, "still under way on its last day");
    assert_eq!(s.home(at("2026-12-02")).totals.activities, 0, "over");
    assert_eq!(s.home(at("2026-11-01")).totals.activities, 0, "beyond the horizon");
    let RecordList::Activity(section) = section_of(&s, HomeSection::Activities, at("2026-11-24")) else {
        panic!()
    };
    assert_eq!(section.len(), 1);

    // A person's page lists what they took part in, with their hours.
    let taken = s.participations(&w.diego.id).unwrap();
    assert_eq!(
        (taken.items.len(), taken.items[0].hours, taken.items[0].activity.id.clone()),
        (1, Some(7.5), id.clone())
    );
    assert_eq!(taken.hours, 7.5);
    assert!(s.participations(&s.save_contact(contact("Nadie", None)).unwrap().id).unwrap().items.is_empty());

    // The same after a reopen (the saved projection carries the activity's summary).
    let s = s.reopen();
    let again = s.home(at("2026-11-24"));
    assert_eq!(again.activities, home.activities);
    assert_eq!(s.participations(&w.diego.id).unwrap(), taken);
}

#[test]
fn activity_validation_names_every_field_at_fault() {
    let s = store();
    let w = world(&s);
    let mut a = activity("", &[]);
    a.starts_on = Some("2026-12-10".into());
    a.ends_on = Some("2026-12-01".into());
    a.agreement_id = Some(w.unw.id.clone());
    a.people_reached = Some(10);
    a.women_reached = Some(8);
    a.men_reached = Some(5);
    a.link = "no es un enlace".into();
    a.participants = vec![
        participant(&w.diego.id, Some(0.0)),
        participant(&w.diego.id, None),
        participant(&w.unw.id, Some(3000.0)),
    ];
    a.resources =
        vec![Resource { amount: Some(-5.0), description: "Viáticos".into(), ..Resource::default() }];
    let found =
        violations(s.save_activity(WithCommitments { record: a, commitments: vec![] }, &[]).unwrap_err());
    let mut expected = vec![
        ("title", Code::Required),
        ("partnerIds", Code::Required),
        ("agreementId", Code::MissingReference),
        ("endsOn", Code::EndBeforeStart),
        ("link", Code::InvalidUrl),
        ("menReached", Code::OutOfRange),
        ("resources[0].amount", Code::OutOfRange),
        ("participants[0].hours", Code::OutOfRange),
        ("participants[1].contactId", Code::DuplicateEntry),
        ("participants[2].contactId", Code::MissingReference),
        ("participants[2].hours", Code::OutOfRange),
    ];
    let mut found: Vec<(&str, Code)> = found.iter().map(|(f, c)| (f.as_str(), *c)).collect();
    found.sort_by_key(|(f, c)| format!("{f} {c:?}"));
    expected.sort_by_key(|(f, c)| format!("{f} {c:?}"));
    assert_eq!(found, expected);

    // An end without a start; the people reached counted from women and men when not given;
    // a resource with neither description nor amount dropped.
    let mut a = activity("Foro", &[&w.unw.id]);
    a.ends_on = Some("2026-12-01".into());
    has(
        s.save_activity(WithCommitments { record: a.clone(), commitments: vec![] }, &[]).unwrap_err(),
        "startsOn",
        Code::Required,
    );
    a.ends_on = None;
    a.women_reached = Some(30);
    a.men_reached = Some(12);
    a.resources = vec![Resource { amount: Some(1500.456), ..Resource::default() }];
    has(
        s.save_activity(WithCommitments { record: a.clone(), commitments: vec![] }, &[]).unwrap_err(),
        "resources[0].description",
        Code::Required,
    );
    a.resources[0].description = "Viáticos".into();
    let saved = save(&s, a, vec![]).record;
    assert_eq!((saved.people_reached, saved.reached()), (None, Some(42)), "counted, not stored");
    assert_eq!(saved.resources[0].amount, Some(1500.46));
    assert_eq!(saved.end_date(), saved.start_date(), "a one-day activity ends the day it starts");
}

#[test]
fn deletes_take_an_activity_s_commitments_and_leave_nothing_dangling() {
    let s = store();
    let w = world(&s);
    let mut a = activity("Curso", &[&w.unw.id]);
    a.agreement_id = Some(w.marco.id.clone());
    a.participants = vec![participant(&w.ana.id, Some(2.0)), participant(&w.diego.id, Some(2.0))];
    let saved = save(&s, a, vec![commitment("Enviar constancias", None)]);
    let commitment_id = saved.commitments[0].id.clone();

    // A person deleted leaves the activity's participants; an instrument deleted, its link.
    s.delete_contact(&w.ana.id, w.ana.revision).unwrap();
    let report = s.delete_agreement(&w.marco.id, w.marco.revision).unwrap();
    assert!(report.updated.iter().any(|r| r.id == saved.record.id));
    let now = s.get_activity(&saved.record.id).unwrap().record;
    assert_eq!(now.participants.iter().map(|p| &p.contact_id).collect::<Vec<_>>(), [&w.diego.id]);
    assert_eq!(now.agreement_id, None);
    assert_no_dangling(&s);

    // The activity deleted takes its commitment with it.
    let report = s.delete_activity(&now.id, now.revision).unwrap();
    assert!(report.deleted.iter().any(|r| r.id == commitment_id));
    assert!(matches!(s.get_any(&commitment_id).unwrap_err(), Error::NotFound { .. }));

    // An organization deleted with everything takes the activities it alone is partner in.
    let other = s.save_organization(org("PNUD", "PNUD")).unwrap();
    let alone = save(&s, activity("Solo ONU Mujeres", &[&w.unw.id]), vec![]).record;
    let shared = save(&s, activity("Con el PNUD", &[&w.unw.id, &other.id]), vec![]).record;
    let unw = s.get::<Organization>(&w.unw.id).unwrap();
    s.delete_organization(&unw.id, unw.revision, &OrgDeletion::Cascade).unwrap();
    assert!(s.get::<Activity>(&alone.id).is_err());
    assert_eq!(s.get::<Activity>(&shared.id).unwrap().partner_ids, std::slice::from_ref(&other.id));
    assert_no_dangling(&s);
}

#[test]
fn activities_travel_in_exports_and_come_back_whole() {
    let s = store();
    s.load_sample(at("2026-11-24")).unwrap();
    let export = s.export(at("2026-11-24")).unwrap();
    assert_eq!(export.version, 3);
    assert_eq!(export.activities.len(), 5);
    let back = Export::parse(&export.to_json()).unwrap();
    assert_eq!(back, export);
    let other = store();
    assert_eq!(other.plan_import(&back).unwrap().added, export.len());
    other.import(&back, &ImportChoices::default(), &mut |_, _, _| {}).unwrap();
    assert_eq!(other.export(at("2026-11-24")).unwrap().checksums(), export.checksums());
}

#[test]
fn the_notes_show_joint_activities_and_the_titular_report_the_training() {
    let s = store();
    s.load_sample(at("2026-11-24")).unwrap();
    let unw = s.search("UN Women", 1).hits[0].record.id.clone();
    let note = s.organization_note(&unw, at("2026-11-24"), &es()).unwrap();
    assert!(headings(&note).contains(&"5. Actividades conjuntas".to_owned()), "{:?}", headings(&note));
    let text = text_of(&note);
    for expected in [
        "Taller sobre violencia política contra las mujeres en razón de género",
        "Taller · Convenio específico para el programa de formación en liderazgo político de mujeres",
        "25 sep 2026 – 26 sep 2026",
        "48 personas (31 mujeres, 17 hombres)",
        "Curso en línea: liderazgo político de las mujeres",
        "Enviar a ONU Mujeres la lista final de participantes",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
    let diego = s.search("Diego Hernández", 1).hits[0].record.id.clone();
    let report = s.titular_report(&diego, at("2026-11-24"), &es()).unwrap();
    let text = text_of(&report);
    assert!(
        headings(&report).iter().any(|h| h.ends_with("Actividades y formación")),
        "{:?}",
        headings(&report)
    );
    for expected in ["8 h\nConcluida\nConstancia ONU Mujeres MX-2026-015", "12 h", "Curso"] {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
}

#[test]
fn activities_sled_lost_come_back_from_the_write_ahead_log() {
    let s = store();
    let w = world(&s);
    let mut a = activity("Taller registrado en el log", &[&w.unw.id]);
    a.participants = vec![participant(&w.diego.id, Some(3.0))];
    let saved = save(&s, a, vec![commitment("Enviar memoria", None)]);
    let expected = s.export(at("2026-11-24")).unwrap().checksums();
    let dir = s.close();
    // sled keeps a third of its log: the activity is in the write-ahead log only.
    cut_sled_log(dir.path());
    let s = Store::open(dir.path()).expect("the log replays an activity's writes");
    assert_eq!(s.get_activity(&saved.record.id).unwrap(), saved);
    assert_eq!(s.export(at("2026-11-24")).unwrap().checksums(), expected);
}
