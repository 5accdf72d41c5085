use crate::fixtures::*;
use vinculo_core::*;

fn first(s: &Store, q: &str) -> SearchHit {
    let results = s.search(q, 10);
    results.hits.into_iter().next().unwrap_or_else(|| panic!("no hit for {q:?}"))
}

#[test]
fn an_organization_is_found_by_either_name_or_acronym_in_either_language() {
    let s = store();
    s.load_sample(at("2026-11-24")).unwrap();
    let unw = first(&s, "ONU Mujeres");
    assert_eq!(
        unw.record.title,
        "Entidad de las Naciones Unidas para la Igualdad de Género y el Empoderamiento de las Mujeres"
    );
    for q in [
        "onu mujeres",
        "UN Women",
        "un women",
        "igualdad de genero",
        "IGUALDAD DE GÉNERO",
        "empowerment of women",
        "igual gen",
    ] {
        assert_eq!(first(&s, q).record.id, unw.record.id, "{q}");
    }
}

#[test]
fn an_exact_acronym_ranks_first_then_an_exact_name() {
    let s = store();
    let kas = s.save_organization(org("KAS", "Fundación Konrad Adenauer")).unwrap();
    let mut noisy = org("KASA", "Kasa de la Cultura");
    noisy.notes = "Contacto de KAS en Berlín".into();
    s.save_organization(noisy).unwrap();
    s.save_meeting(with(meeting("Reunión con KAS", "2026-11-20", &[&kas.id]), vec![]), &[]).unwrap();
    let results = s.search("kas", 10);
    assert_eq!(results.total, 3);
    assert_eq!(results.hits[0].record.id, kas.id);
    assert_eq!(results.hits[0].matched_field, SearchField::AcronymEs);

    let exact_name = s.save_organization(org("X", "Kas")).unwrap();
    let results = s.search("kas", 10);
    assert_eq!(results.hits[0].record.id, kas.id, "acronym before name");
    assert_eq!(results.hits[1].record.id, exact_name.id);
    assert_eq!(results.hits[1].matched_field, SearchField::NameEs);
}

#[test]
fn people_are_found_by_name_post_and_email() {
    let s = store();
    let mut c = contact("María José Núñez", None);
    c.post = "Directora de Asuntos Internacionales".into();
    c.emails = vec![Labeled { label: "Oficina".into(), value: "mj.nunez@oas.org".into() }];
    let c = s.save_contact(c).unwrap();
    for (q, field) in [
        ("maria jose nunez", SearchField::FullName),
        ("núñez", SearchField::FullName),
        ("directora asuntos", SearchField::Post),
        ("mj.nunez@oas.org", SearchField::Emails),
        ("oas.org", SearchField::Emails),
    ] {
        let hit = first(&s, q);
        assert_eq!((hit.record.id.clone(), hit.matched_field), (c.id.clone(), field), "{q}");
    }
}

#[test]
fn meetings_by_title_and_minutes_agreements_by_title_and_folio() {
    let s = store();
    let o = s.save_organization(org("OEA", "Organización de los Estados Americanos")).unwrap();
    let mut m = meeting("Misión de observación", "2026-11-20", &[&o.id]);
    m.minutes = "Se acordó un taller sobre ciberseguridad electoral.".into();
    let m = s.save_meeting(with(m, vec![]), &[]).unwrap().record;
    let mut a = agreement("Convenio de apoyo técnico", &[&o.id]);
    a.folio = "IECM/CA/045/2025".into();
    let a = s.save_agreement(WithCommitments { record: a, commitments: vec![] }, &[]).unwrap().record;

    let hit = first(&s, "ciberseg");
    assert_eq!((hit.record.id, hit.matched_field), (m.id.clone(), SearchField::Minutes));
    assert_eq!(first(&s, "observacion").record.id, m.id);
    let hit = first(&s, "IECM/CA/045/2025");
    assert_eq!((hit.record.id, hit.matched_field), (a.id.clone(), SearchField::Folio));
    assert_eq!(first(&s, "apoyo tecnico").record.id, a.id);
}

#[test]
fn every_word_must_match_as_a_prefix() {
    let s = store();
    s.save_organization(org("A", "Instituto Nacional Electoral")).unwrap();
    s.save_organization(org("B", "Instituto de Investigaciones Jurídicas")).unwrap();
    assert_eq!(s.search("instituto", 10).total, 2);
    assert_eq!(s.search("inst elec", 10).total, 1);
    assert_eq!(s.search("instituto zzz", 10).total, 0);
    assert_eq!(s.search("  ¿¡!?  ", 10).total, 0, "a query without words finds nothing");
}

#[test]
fn the_index_follows_every_save_and_delete() {
    let s = store();
    let o = s.save_organization(org("CEPAL", "Comisión Económica para América Latina")).unwrap();
    assert_eq!(s.search("comision economica", 5).total, 1);
    let mut renamed = o.clone();
    renamed.name_es = "Otra cosa".into();
    let renamed = s.save_organization(renamed).unwrap();
    assert_eq!(s.search("comision economica", 5).total, 0);
    assert_eq!(s.search("otra cosa", 5).total, 1);
    s.delete_organization(&renamed.id, renamed.revision, &OrgDeletion::Refuse).unwrap();
    assert_eq!(s.search("otra", 5).total, 0);
    assert_eq!(s.search("cepal", 5).total, 0);
}

#[test]
fn hits_are_capped_and_total_counts_them_all() {
    let s = store();
    let records: Vec<AnyRecord> =
        (0..120).map(|i| org(&format!("R{i}"), &format!("Red ciudadana {i}")).into()).collect();
    s.insert_batch(records).unwrap();
    let results = s.search("red", 500);
    assert_eq!(results.total, 120);
    assert_eq!(results.hits.len(), MAX_HITS);
    assert_eq!(s.search("red", 7).hits.len(), 7);
}

#[test]
fn search_does_not_scan_100k_records() {
    let s = store();
    let orgs: Vec<Organization> = (0..500)
        .map(|i| Organization {
            id: Id::new(RecordKind::Organization),
            ..org(&format!("ORG{i}"), &format!("Organismo {i}"))
        })
        .collect();
    let given = ["Ana", "Luis", "María", "José", "Sofía", "Carlos", "Lucía", "Jorge", "Elena", "Miguel"];
    let family = [
        "García",
        "Hernández",
        "López",
        "Martínez",
        "González",
        "Pérez",
        "Rodríguez",
        "Sánchez",
        "Ramírez",
        "Cruz",
    ];
    let mut records: Vec<AnyRecord> = Vec::with_capacity(100_500);
    for i in 0..100_000usize {
        let name = format!("{} {} {}", given[i % 10], family[(i / 10) % 10], family[(i / 100) % 10]);
        let mut c =
            Contact { id: Id::new(RecordKind::Contact), ..contact(&name, Some(&orgs[i % orgs.len()].id)) };
        c.post = "Coordinación de proyectos".into();
        c.emails = vec![Labeled { label: "Oficina".into(), value: format!("persona{i}@ejemplo.org") }];
        records.push(c.into());
    }
    let target = records[77_777].id().clone();
    records.extend(orgs.into_iter().map(AnyRecord::from));
    s.insert_batch(records).unwrap();
    assert_eq!(s.len(), 100_500);

    let selective = s.search("persona77777@ejemplo.org", 10);
    assert_eq!(selective.hits[0].record.id, target);
    assert_eq!(selective.hits[0].matched_field, SearchField::Emails);
    assert!(selective.examined <= 10, "examined {}", selective.examined);

    let by_acronym = s.search("ORG123", 10);
    assert_eq!(by_acronym.hits[0].record.kind, RecordKind::Organization);
    assert!(by_acronym.examined <= 5, "examined {}", by_acronym.examined);

    // Two common words: the rarer one drives, so far fewer than all records are examined.
    let two_words = s.search("lucia ramirez", 10);
    assert_eq!(two_words.total, 1_900, "Lucía with Ramírez as either surname");
    assert!(two_words.examined <= 10_000, "examined {}", two_words.examined);

    // A word every contact shares does examine them all: the bound is the index's, not a cap.
    assert_eq!(s.search("coordinacion", 10).examined, 100_000);
}

#[test]
fn name_matches_outrank_mixed_matches_which_outrank_body_matches() {
    let s = store();
    let mut body = meeting("Sesión", "2026-11-20", &[]);
    body.minutes = "Se habló de la red ciudadana.".into();
    let body = s.save_meeting(with(body, vec![]), &[]).unwrap().record;
    let mut mixed = meeting("Red de observación", "2026-11-21", &[]);
    mixed.minutes = "Con participación ciudadana.".into();
    let mixed = s.save_meeting(with(mixed, vec![]), &[]).unwrap().record;
    let named = s.save_organization(org("RC", "Red Ciudadana por la Democracia")).unwrap();
    let ids: Vec<Id> = s.search("red ciudadana", 10).hits.into_iter().map(|h| h.record.id).collect();
    assert_eq!(ids, vec![named.id, mixed.id, body.id]);
}

#[test]
fn hits_of_equal_rank_come_in_title_order() {
    let s = store();
    let records: Vec<AnyRecord> = ["Zeta", "Álamo", "beta", "Ñandú", "alfa"]
        .iter()
        .enumerate()
        .map(|(i, name)| org(&format!("X{i}"), &format!("{name} observatorio")).into())
        .collect();
    s.insert_batch(records).unwrap();
    let titles: Vec<String> = s.search("observatorio", 3).hits.into_iter().map(|h| h.record.title).collect();
    assert_eq!(
        titles,
        ["Álamo observatorio", "alfa observatorio", "beta observatorio"],
        "accents ignored: alamo < alfa"
    );
}
