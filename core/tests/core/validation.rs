use crate::fixtures::*;
use vinculo_core::*;

#[test]
fn an_organization_needs_a_name_in_some_language() {
    let s = store();
    let err =
        s.save_organization(Organization { acronym_es: "X".into(), ..Organization::default() }).unwrap_err();
    has(err, "nameEs", Code::Required);
    let saved =
        s.save_organization(Organization { name_en: "UN Women".into(), ..Organization::default() }).unwrap();
    assert_eq!(saved.display_name(), "UN Women");
}

#[test]
fn names_are_limited_to_300_characters_counted_as_characters() {
    let s = store();
    let ok = "ñ".repeat(300);
    assert!(s.save_contact(contact(&ok, None)).is_ok(), "300 two-byte characters are fine");
    let err = s.save_contact(contact(&"a".repeat(5000), None)).unwrap_err();
    match err {
        Error::Invalid(v) => {
            assert_eq!(v[0].field, "fullName");
            assert_eq!(v[0].code, Code::TooLong);
            assert_eq!(v[0].params["max"], 300);
            assert_eq!(v[0].params["unit"], "chars");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(s.len(), 1, "nothing saved by the failed call");
}

#[test]
fn free_text_is_limited_to_100_kb() {
    let s = store();
    let o = s.save_organization(org("A", "Alfa")).unwrap();
    let mut m = meeting("Reunión", "2026-11-30", &[&o.id]);
    m.minutes = "x".repeat(100 * 1024);
    assert!(s.save_meeting(with(m.clone(), vec![]), &[]).is_ok());
    m.minutes.push('y');
    has(s.save_meeting(with(m, vec![]), &[]).unwrap_err(), "minutes", Code::TooLong);
}

#[test]
fn emails_and_phones_are_checked_at_their_position() {
    let s = store();
    let mut c = contact("Ana", None);
    c.emails = vec![
        Labeled { label: "Oficina".into(), value: "ana@unwomen.org".into() },
        Labeled { label: "Personal".into(), value: "ana(at)gmail".into() },
    ];
    c.phones = vec![Labeled { label: "Oficina".into(), value: "+52 (55) 5483-3800 ext. 123".into() }];
    let found = violations(s.save_contact(c.clone()).unwrap_err());
    assert_eq!(found, vec![("emails[1].value".to_owned(), Code::InvalidEmail)]);

    c.emails[1].value = "ana@gmail.com".into();
    c.phones.push(Labeled { label: "Móvil".into(), value: "no tengo".into() });
    has(s.save_contact(c.clone()).unwrap_err(), "phones[1].value", Code::InvalidPhone);

    c.phones.pop();
    let saved = s.save_contact(c).unwrap();
    assert_eq!(saved.phones[0].value, "+52 (55) 5483-3800 ext. 123");
}

#[test]
fn a_label_without_a_value_is_an_error_and_empty_rows_are_dropped() {
    let s = store();
    let mut c = contact("Ana", None);
    c.emails = vec![Labeled::default(), Labeled { label: "Oficina".into(), value: " ".into() }];
    has(s.save_contact(c.clone()).unwrap_err(), "emails[0].value", Code::Required);
    c.emails.pop();
    assert!(s.save_contact(c).unwrap().emails.is_empty());
}

#[test]
fn dates_must_be_real_and_validity_must_end_after_it_starts() {
    let s = store();
    let o = s.save_organization(org("A", "Alfa")).unwrap();
    let mut a = agreement("Convenio", &[&o.id]);
    a.signed_on = Some("2026-02-30".into());
    has(
        s.save_agreement(WithCommitments { record: a.clone(), commitments: vec![] }, &[]).unwrap_err(),
        "signedOn",
        Code::InvalidDate,
    );

    a.signed_on = Some("2024-02-29".into());
    a.valid_from = Some("2026-01-01".into());
    a.valid_until = Some("2025-12-31".into());
    has(
        s.save_agreement(WithCommitments { record: a.clone(), commitments: vec![] }, &[]).unwrap_err(),
        "validUntil",
        Code::EndBeforeStart,
    );

    a.valid_until = Some("2026-01-01".into());
    let saved = s.save_agreement(WithCommitments { record: a, commitments: vec![] }, &[]).unwrap();
    assert_eq!(saved.record.signed_on.as_deref(), Some("2024-02-29"));
}

#[test]
fn meeting_date_time_duration_and_zone_are_checked() {
    let s = store();
    let mut m = meeting("R", "", &[]);
    has(s.save_meeting(with(m.clone(), vec![]), &[]).unwrap_err(), "date", Code::Required);
    m.date = "2026-11-31".into();
    has(s.save_meeting(with(m.clone(), vec![]), &[]).unwrap_err(), "date", Code::InvalidDate);
    m.date = "2026-11-30".into();
    m.time = Some("25:00".into());
    m.duration_minutes = Some(0);
    m.time_zone = "Mars/Olympus".into();
    let found = violations(s.save_meeting(with(m.clone(), vec![]), &[]).unwrap_err());
    assert_eq!(
        found,
        vec![
            ("time".to_owned(), Code::InvalidTime),
            ("durationMinutes".to_owned(), Code::OutOfRange),
            ("timeZone".to_owned(), Code::InvalidTimeZone)
        ]
    );
    m.time = Some("9:30".into());
    m.duration_minutes = Some(90);
    m.time_zone = "Europe/Stockholm".into();
    let saved = s.save_meeting(with(m, vec![]), &[]).unwrap().record;
    assert_eq!(saved.time.as_deref(), Some("09:30"));
    assert_eq!(saved.starts_at().unwrap().to_string(), "2026-11-30T08:30:00Z");
}

#[test]
fn references_must_exist_and_be_of_the_right_kind() {
    let s = store();
    let o = s.save_organization(org("A", "Alfa")).unwrap();
    let ghost = Id::new(RecordKind::Contact);
    let mut c = contact("Ana", Some(&ghost));
    has(s.save_contact(c.clone()).unwrap_err(), "organizationId", Code::MissingReference);
    c.organization_id = Some(o.id.clone());
    let ana = s.save_contact(c).unwrap();

    let m = meeting("R", "2026-11-30", &[&ana.id]);
    has(s.save_meeting(with(m, vec![]), &[]).unwrap_err(), "organizationIds[0]", Code::MissingReference);

    let mut a = agreement("Convenio", &[]);
    has(
        s.save_agreement(WithCommitments { record: a.clone(), commitments: vec![] }, &[]).unwrap_err(),
        "counterpartIds",
        Code::Required,
    );
    a.counterpart_ids = vec![o.id.clone()];
    a.parent_id = Some(Id::new(RecordKind::Agreement));
    has(
        s.save_agreement(WithCommitments { record: a, commitments: vec![] }, &[]).unwrap_err(),
        "parentId",
        Code::MissingReference,
    );
    assert_eq!(s.len(), 2);
}

#[test]
fn text_is_normalized_and_names_lose_invisible_characters() {
    let s = store();
    let mut c = contact("  Jose\u{301}\u{202E} Pen\u{303}a\u{200B} Nieto \n", None);
    c.notes = "Primera línea\r\nSegunda\u{7} línea\u{0}\twith tab\n\n".into();
    c.post = "Director\tGeneral".into();
    let saved = s.save_contact(c).unwrap();
    assert_eq!(saved.full_name, "José Peña Nieto");
    assert_eq!(saved.notes, "Primera línea\nSegunda línea\twith tab");
    assert_eq!(saved.post, "Director General");
    assert!(saved.full_name.chars().all(|ch| !('\u{200B}'..='\u{202E}').contains(&ch)));
}

#[test]
fn every_violation_is_reported_at_once() {
    let s = store();
    let mut o = Organization {
        website: "javascript:alert(1)".into(),
        country: "Mexico".into(),
        ..Organization::default()
    };
    o.tags = vec!["a".repeat(81)];
    let found = violations(s.save_organization(o).unwrap_err());
    let fields: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(fields, ["nameEs", "country", "website", "tags[0]"]);
}

#[test]
fn websites_without_a_scheme_get_https() {
    let s = store();
    let mut o = org("A", "Alfa");
    o.website = "www.iecm.mx".into();
    assert_eq!(s.save_organization(o).unwrap().website, "https://www.iecm.mx");
}

#[test]
fn folios_are_unique_ignoring_case_and_accents() {
    let s = store();
    let o = s.save_organization(org("A", "Alfa")).unwrap();
    let mut a = agreement("Uno", &[&o.id]);
    a.folio = "IECM/CM/012/2022".into();
    let first = s.save_agreement(WithCommitments { record: a.clone(), commitments: vec![] }, &[]).unwrap();
    a.folio = "iecm/cm/012/2022".into();
    has(
        s.save_agreement(WithCommitments { record: a, commitments: vec![] }, &[]).unwrap_err(),
        "folio",
        Code::DuplicateFolio,
    );
    // Saving the holder of the folio again is fine.
    assert!(s.save_agreement(first, &[]).is_ok());
}

#[test]
fn an_agreement_cannot_hang_from_itself_or_its_descendants() {
    let s = store();
    let o = s.save_organization(org("A", "Alfa")).unwrap();
    let marco = s
        .save_agreement(WithCommitments { record: agreement("Marco", &[&o.id]), commitments: vec![] }, &[])
        .unwrap()
        .record;
    let mut child = agreement("Específico", &[&o.id]);
    child.parent_id = Some(marco.id.clone());
    let child = s.save_agreement(WithCommitments { record: child, commitments: vec![] }, &[]).unwrap().record;

    let mut looped = marco.clone();
    looped.parent_id = Some(child.id.clone());
    has(
        s.save_agreement(WithCommitments { record: looped, commitments: vec![] }, &[]).unwrap_err(),
        "parentId",
        Code::ReferenceCycle,
    );
    let mut own = marco;
    own.parent_id = Some(own.id.clone());
    has(
        s.save_agreement(WithCommitments { record: own, commitments: vec![] }, &[]).unwrap_err(),
        "parentId",
        Code::ReferenceCycle,
    );
}

#[test]
fn a_privacy_notice_date_needs_the_notice_given() {
    let s = store();
    let mut c = contact("Ana", None);
    c.privacy_notice_date = Some("2026-11-01".into());
    has(s.save_contact(c.clone()).unwrap_err(), "privacyNoticeDate", Code::NoticeNotGiven);
    c.privacy_notice_given = true;
    assert!(s.save_contact(c).is_ok());
}

#[test]
fn commitment_errors_are_placed_inside_the_parent_save() {
    let s = store();
    let m = meeting("R", "2026-11-30", &[]);
    let bad = vec![commitment("Enviar minuta", Some("2026-11-31")), commitment("", None)];
    let found = violations(s.save_meeting(with(m, bad), &[]).unwrap_err());
    assert_eq!(
        found,
        vec![
            ("commitments[0].dueOn".to_owned(), Code::InvalidDate),
            ("commitments[1].description".to_owned(), Code::Required)
        ]
    );
    assert!(s.is_empty(), "neither the meeting nor the valid commitment was saved");
}

#[test]
fn ids_from_outside_are_checked() {
    assert!(Id::parse("org_0193f5c2a1b27c3d8e9f0a1b2c3d4e5f").is_some());
    assert!(Id::parse("org_xyz").is_none());
    assert!(Id::parse("usr_0193f5c2a1b27c3d8e9f0a1b2c3d4e5f").is_none());
    assert!(Id::parse("Ana López").is_none());
    let s = store();
    let c = Contact {
        id: Id::parse("org_0193f5c2a1b27c3d8e9f0a1b2c3d4e5f").unwrap(),
        revision: 1,
        ..contact("Ana", None)
    };
    has(s.save_contact(c).unwrap_err(), "id", Code::InvalidId);
}

#[test]
fn violations_serialize_as_code_field_params() {
    let v = Violation::new("validUntil", Code::EndBeforeStart);
    let json = serde_json::to_value(&v).unwrap();
    assert_eq!(json, serde_json::json!({"code": "endBeforeStart", "field": "validUntil", "params": {}}));
}
