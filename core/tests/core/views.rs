use crate::fixtures::*;
use vinculo_core::*;

#[test]
fn the_home_view_at_a_fixed_date() {
    let s = store();
    let o = s.save_organization(org("ONU Mujeres", "ONU Mujeres")).unwrap();
    let ana = s.save_contact(contact("Ana", Some(&o.id))).unwrap();
    let mut late = commitment("Enviar calendario", Some("2026-11-10"));
    late.owner_id = Some(ana.id.clone());
    let mut very_late = commitment("Enviar minuta", Some("2026-10-01"));
    very_late.status = CommitmentStatus::InProgress;
    let mut done = commitment("Compartir guía", Some("2026-11-01"));
    done.status = CommitmentStatus::Done;
    let soon = commitment("Confirmar sede", Some("2026-12-08"));
    let later = commitment("Informe anual", Some("2026-12-09"));
    let undated = commitment("Algún día", None);
    let past = s
        .save_meeting(
            with(
                meeting("Pasada", "2026-11-01", &[&o.id]),
                vec![late, very_late, done, soon, later, undated],
            ),
            &[],
        )
        .unwrap();
    let mut next = meeting("Próxima", "2026-11-30", &[&o.id]);
    next.time = Some("10:00".into());
    let next = s.save_meeting(with(next, vec![]), &[]).unwrap().record;
    let mut today_early = meeting("Hoy temprano", "2026-11-24", &[&o.id]);
    today_early.time = Some("08:00".into());
    let today_early = s.save_meeting(with(today_early, vec![]), &[]).unwrap().record;
    s.save_meeting(with(meeting("Muy lejos", "2026-12-09", &[&o.id]), vec![]), &[]).unwrap();

    let agreement_ending = |title: &str, until: &str, status: AgreementStatus, notice: Option<u32>| {
        let mut a = agreement(title, &[&o.id]);
        a.valid_until = Some(until.into());
        a.status = status;
        a.notice_days = notice;
        s.save_agreement(WithCommitments { record: a, commitments: vec![] }, &[]).unwrap().record
    };
    let por_vencer = agreement_ending("Marco", "2027-01-23", AgreementStatus::InForce, None);
    agreement_ending("Lejano", "2027-02-23", AgreementStatus::InForce, None);
    let short_notice = agreement_ending("Aviso corto", "2026-12-20", AgreementStatus::Signed, Some(30));
    agreement_ending("Fuera de aviso", "2026-12-30", AgreementStatus::Signed, Some(30));
    let expired = agreement_ending("Vencido", "2026-11-23", AgreementStatus::InForce, None);
    agreement_ending("Concluido", "2026-11-23", AgreementStatus::Concluded, None);
    agreement_ending("En gestión", "2026-12-01", AgreementStatus::Negotiation, None);

    let home = s.home(at("2026-11-24"));
    assert_eq!(home.today, "2026-11-24");
    let titles = |items: &[CommitmentItem]| items.iter().map(|c| c.title.clone()).collect::<Vec<_>>();
    assert_eq!(titles(&home.overdue_commitments), ["Enviar minuta", "Enviar calendario"]);
    assert_eq!(home.overdue_commitments[1].days_left, Some(-14));
    assert_eq!(home.overdue_commitments[1].owner.as_ref().map(|o| o.id.clone()), Some(ana.id.clone()));
    assert_eq!(
        home.overdue_commitments[1].source.as_ref().map(|s| s.id.clone()),
        Some(past.record.id.clone())
    );
    assert_eq!(home.overdue_commitments[1].organizations[0].id, o.id);
    assert_eq!(titles(&home.due_soon_commitments), ["Confirmar sede"]);
    assert_eq!(home.due_soon_commitments[0].days_left, Some(14));

    let meetings: Vec<&Id> = home.upcoming_meetings.iter().map(|m| &m.id).collect();
    assert_eq!(meetings, [&today_early.id, &next.id]);

    let expiring: Vec<(&str, Option<i32>)> =
        home.expiring_agreements.iter().map(|a| (a.title.as_str(), a.days_left)).collect();
    assert_eq!(expiring, [("Aviso corto", Some(26)), ("Marco", Some(60))]);
    assert!(home.expiring_agreements.iter().all(|a| a.expiring && !a.expired));
    assert_eq!(home.expiring_agreements[1].id, por_vencer.id);
    assert_eq!(home.expiring_agreements[0].id, short_notice.id);
    assert_eq!(home.expired_agreements.len(), 1);
    assert_eq!(home.expired_agreements[0].id, expired.id);
    assert_eq!(home.expired_agreements[0].days_left, Some(-1));

    assert_eq!(home.recent_changes.len(), RECENT_CHANGES);
    let times: Vec<_> = home.recent_changes.iter().map(|c| c.updated_at).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
}

#[test]
fn marking_a_commitment_done_takes_it_off_the_home_view() {
    let s = store();
    s.load_sample(at("2026-11-24")).unwrap();
    let home = s.home(at("2026-11-24"));
    assert_eq!(home.overdue_commitments.len(), 1);
    assert_eq!(home.expiring_agreements.len(), 1);
    assert_eq!(home.expiring_agreements[0].days_left, Some(45));
    assert_eq!(home.upcoming_meetings.len(), 2);
    assert_eq!(home.due_soon_commitments.len(), 1);

    let item = &home.overdue_commitments[0];
    let mut c: Commitment = s.get(&item.id).unwrap();
    assert_eq!(c.revision, item.revision);
    c.status = CommitmentStatus::Done;
    c.evidence = "Enviado por oficio".into();
    s.save_commitment(c).unwrap();
    assert!(s.home(at("2026-11-24")).overdue_commitments.is_empty());
}

#[test]
fn the_office_day_is_mexico_city_s() {
    // 05:30 UTC on the 25th is still the 24th in Mexico City (UTC-6).
    let t: jiff::Timestamp = "2026-11-25T05:30:00Z".parse().unwrap();
    assert_eq!(office_today(t).to_string(), "2026-11-24");
}

#[test]
fn an_organization_overview_gathers_its_people_meetings_agreements_and_open_commitments() {
    let s = store();
    let o = s.save_organization(org("IDEA", "IDEA Internacional")).unwrap();
    let other = s.save_organization(org("OEA", "OEA")).unwrap();
    let mut tomas = contact("Tomás", Some(&o.id));
    tomas.post = "Jefe de programa".into();
    let tomas = s.save_contact(tomas).unwrap();
    s.save_contact(contact("Otro", Some(&other.id))).unwrap();
    let m1 = s
        .save_meeting(
            with(
                meeting("Primera", "2026-10-01", &[&o.id]),
                vec![commitment("Sin fecha", None), commitment("Vencido", Some("2026-11-01"))],
            ),
            &[],
        )
        .unwrap();
    let mut closed = commitment("Cerrado", Some("2026-10-15"));
    closed.status = CommitmentStatus::Cancelled;
    let m2 = s
        .save_meeting(with(meeting("Segunda", "2026-11-20", &[&o.id, &other.id]), vec![closed]), &[])
        .unwrap();
    s.save_meeting(with(meeting("Ajena", "2026-11-21", &[&other.id]), vec![commitment("Ajeno", None)]), &[])
        .unwrap();
    let a = s
        .save_agreement(
            WithCommitments {
                record: agreement("Carta", &[&o.id]),
                commitments: vec![commitment("Firmar", Some("2026-12-01"))],
            },
            &[],
        )
        .unwrap();

    let view = s.organization_overview(&o.id, at("2026-11-24")).unwrap();
    assert_eq!(view.organization.id, o.id);
    assert_eq!(view.people.len(), 1);
    assert_eq!(
        (view.people[0].record.id.clone(), view.people[0].post.as_str()),
        (tomas.id, "Jefe de programa")
    );
    let meetings: Vec<&Id> = view.meetings.iter().map(|m| &m.id).collect();
    assert_eq!(meetings, [&m2.record.id, &m1.record.id], "newest first");
    assert_eq!(view.agreements.len(), 1);
    assert_eq!(view.agreements[0].id, a.record.id);
    let open: Vec<&str> = view.open_commitments.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(open, ["Vencido", "Firmar", "Sin fecha"]);
    assert!(matches!(
        s.organization_overview(&Id::new(RecordKind::Organization), at("2026-11-24")).unwrap_err(),
        Error::NotFound { .. }
    ));
}

#[test]
fn list_items_carry_the_columns_of_each_list() {
    let s = store();
    s.load_sample(at("2026-11-24")).unwrap();
    let RecordList::Organization(orgs) = list_of(&s, RecordKind::Organization, at("2026-11-24")) else {
        panic!("organizations")
    };
    assert_eq!(orgs.len(), 12);
    let titles: Vec<&str> = orgs.iter().map(|o| o.title.as_str()).collect();
    let mut sorted = titles.clone();
    sorted.sort_by_key(|t| text::fold(t));
    assert_eq!(titles, sorted, "by title, ignoring accents");
    let unw = orgs.iter().find(|o| o.acronym == "ONU Mujeres").unwrap();
    assert_eq!(
        (unw.kind, unw.relationship, unw.country.as_str()),
        (OrgKind::UnAgency, RelationshipStatus::ActiveCollaboration, "MX")
    );

    let RecordList::Contact(people) = list_of(&s, RecordKind::Contact, at("2026-11-24")) else {
        panic!("contacts")
    };
    let ana = people.iter().find(|p| p.title == "Ana Sofía Castillo Reyes").unwrap();
    assert_eq!(ana.email, "ana.castillo@unwomen.ejemplo.org");
    assert_eq!(ana.organization.as_ref().unwrap().id, unw.id);

    let RecordList::Meeting(meetings) = list_of(&s, RecordKind::Meeting, at("2026-11-24")) else {
        panic!("meetings")
    };
    assert_eq!(meetings.len(), 4);
    assert!(meetings.windows(2).all(|w| w[0].starts_at >= w[1].starts_at), "newest first");

    let RecordList::Agreement(agreements) = list_of(&s, RecordKind::Agreement, at("2026-11-24")) else {
        panic!("agreements")
    };
    let marco = agreements.iter().find(|a| a.folio == "IECM/CM/012/2022").unwrap();
    assert_eq!(
        (marco.kind, marco.expiring, marco.days_left),
        (AgreementKind::FrameworkAgreement, true, Some(45))
    );

    let RecordList::Commitment(commitments) = list_of(&s, RecordKind::Commitment, at("2026-11-24")) else {
        panic!("commitments")
    };
    assert_eq!(commitments.len(), 5);
    assert_eq!(commitments[0].days_left, Some(-7), "open ones first, the most overdue first");
    assert_eq!(commitments[4].status, CommitmentStatus::Done, "closed ones last");
}

#[test]
fn settings_validate_persist_and_fall_back_to_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.json");
    assert_eq!(Settings::load(&path), Settings::default());
    assert_eq!(Settings::default().language, "es");
    let mut bad = Settings {
        language: "fr".into(),
        paper: "legal".into(),
        institution: " ".into(),
        ..Settings::default()
    };
    let found = violations(bad.save(&path).unwrap_err());
    assert_eq!(
        found,
        vec![
            ("language".to_owned(), Code::InvalidChoice),
            ("paper".to_owned(), Code::InvalidChoice),
            ("institution".to_owned(), Code::Required)
        ]
    );
    assert!(!path.exists(), "nothing written");
    let mut good = Settings { language: "EN".into(), paper: "a4".into(), ..Settings::default() };
    good.save(&path).unwrap();
    assert_eq!(Settings::load(&path).language, "en");
    std::fs::write(&path, b"{not json").unwrap();
    assert_eq!(Settings::load(&path), Settings::default());
    // A file from a version that knew fewer settings: what it has is kept, the rest defaulted.
    std::fs::write(&path, br#"{"language": "en", "institution": "IECM"}"#).unwrap();
    assert_eq!(
        Settings::load(&path),
        Settings { language: "en".into(), institution: "IECM".into(), ..Settings::default() }
    );
    // On the wire every field is required.
    assert!(serde_json::from_str::<Settings>(r#"{"language": "en"}"#).is_err());
}

#[test]
fn upcoming_meetings_follow_the_office_calendar_whatever_their_zone() {
    let s = store();
    // 05:00 in Tokyo on 9 December is 14:00 on the 8th in Mexico City: inside the 14-day horizon.
    let mut tokyo = meeting("Tokio", "2026-12-09", &[]);
    tokyo.time = Some("05:00".into());
    tokyo.time_zone = "Asia/Tokyo".into();
    let tokyo = s.save_meeting(with(tokyo, vec![]), &[]).unwrap().record;
    // 20:00 in Mexico City on the 8th is already the 9th in Tokyo, and still inside.
    let mut late = meeting("Tarde", "2026-12-08", &[]);
    late.time = Some("20:00".into());
    let late = s.save_meeting(with(late, vec![]), &[]).unwrap().record;
    // 05:00 in Madrid on the 24th is 22:00 on the 23rd in Mexico City: yesterday.
    let mut yesterday = meeting("Ayer", "2026-11-24", &[]);
    yesterday.time = Some("05:00".into());
    yesterday.time_zone = "Europe/Madrid".into();
    s.save_meeting(with(yesterday, vec![]), &[]).unwrap();

    let ids: Vec<Id> = s.home(at("2026-11-24")).upcoming_meetings.into_iter().map(|m| m.id).collect();
    assert_eq!(ids, vec![tokyo.id, late.id]);
}

#[test]
fn the_commitments_of_one_meeting_as_the_screens_show_them() {
    let s = store();
    let o = s.save_organization(org("OEA", "OEA")).unwrap();
    let luis = s.save_contact(contact("Luis", Some(&o.id))).unwrap();
    let mut owed = commitment("Enviar informe", Some("2026-11-20"));
    owed.owner_id = Some(luis.id.clone());
    let mut closed = commitment("Cerrado", Some("2026-10-01"));
    closed.status = CommitmentStatus::Done;
    let m = s
        .save_meeting(
            with(meeting("R", "2026-11-01", &[&o.id]), vec![closed, owed, commitment("Sin fecha", None)]),
            &[],
        )
        .unwrap();
    s.save_meeting(with(meeting("Otra", "2026-11-02", &[&o.id]), vec![commitment("Ajeno", None)]), &[])
        .unwrap();

    let items = s.commitment_items(&m.record.id, at("2026-11-24")).unwrap();
    assert!(matches!(
        s.commitment_items(&Id::new(RecordKind::Meeting), at("2026-11-24")),
        Err(Error::NotFound { .. })
    ));
    let titles: Vec<&str> = items.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Enviar informe", "Sin fecha", "Cerrado"],
        "open first, then closed; only this meeting's"
    );
    assert_eq!(items[0].days_left, Some(-4));
    assert_eq!(items[0].owner.as_ref().map(|o| o.title.as_str()), Some("Luis"));
    assert_eq!(items[0].organizations[0].title, "OEA");
}

#[test]
fn a_crowded_home_view_lists_the_most_pressing_and_counts_the_rest() {
    let s = store();
    let o = s.save_organization(org("OEA", "Organización de los Estados Americanos")).unwrap();
    // Forty meetings over the next days, several on one day; eighty overdue commitments.
    let mut records: Vec<AnyRecord> = Vec::new();
    let mut commitments: Vec<AnyRecord> = Vec::new();
    for i in 0..40 {
        let day = format!("2026-11-{:02}", 25 + i % 5);
        let mut m = meeting(&format!("Reunión {:02}", 39 - i), &day, &[&o.id]);
        m.id = Id::new(RecordKind::Meeting);
        for j in 0..2 {
            let mut c =
                commitment(&format!("Compromiso {i}-{j}"), Some(&format!("2026-10-{:02}", 1 + (i + j) % 28)));
            c.id = Id::new(RecordKind::Commitment);
            c.source = Some(CommitmentSource::Meeting(m.id.clone()));
            commitments.push(c.into());
        }
        records.push(m.into());
    }
    records.extend(commitments);
    s.insert_batch(records).unwrap();
    let home = s.home(at("2026-11-24"));
    assert_eq!(home.totals.upcoming_meetings, 40);
    assert_eq!(home.totals.overdue_commitments, 80);
    assert_eq!(home.upcoming_meetings.len(), HOME_ITEMS);
    assert_eq!(home.overdue_commitments.len(), HOME_ITEMS);
    // The soonest days first, and within a day by title: the 25 of 2026-11-25 … -29 in order.
    let all = match list_of(&s, RecordKind::Meeting, at("2026-11-24")) {
        RecordList::Meeting(items) => items,
        _ => unreachable!(),
    };
    let mut expected: Vec<(Option<String>, String)> =
        all.iter().map(|m| (m.date.clone(), m.title.clone())).collect();
    expected.sort();
    let shown: Vec<(Option<String>, String)> =
        home.upcoming_meetings.iter().map(|m| (m.date.clone(), m.title.clone())).collect();
    assert_eq!(shown, expected[..HOME_ITEMS]);
    // The most overdue first.
    let days: Vec<i32> = home.overdue_commitments.iter().filter_map(|c| c.days_left).collect();
    assert!(days.windows(2).all(|w| w[0] <= w[1]), "{days:?}");
    assert_eq!(days[0], -54, "2026-10-01 is 54 days before 2026-11-24");

    // «Ver todos» lists every item of the section, the home's first in the same order.
    let RecordList::Meeting(meetings) = section_of(&s, HomeSection::UpcomingMeetings, at("2026-11-24"))
    else {
        panic!("a section of meetings lists meetings");
    };
    assert_eq!(meetings.len(), 40);
    assert_eq!(meetings[..HOME_ITEMS], home.upcoming_meetings[..]);
    let RecordList::Commitment(overdue) = section_of(&s, HomeSection::OverdueCommitments, at("2026-11-24"))
    else {
        panic!("a section of commitments lists commitments");
    };
    assert_eq!(overdue.len(), 80);
    assert_eq!(overdue[..HOME_ITEMS], home.overdue_commitments[..]);
    assert!(overdue.iter().all(|c| c.days_left.is_some_and(|d| d < 0)));
    // Nothing is due soon: the section is empty, not the list of every commitment.
    let RecordList::Commitment(due_soon) = section_of(&s, HomeSection::DueSoonCommitments, at("2026-11-24"))
    else {
        panic!("a section of commitments lists commitments");
    };
    assert!(due_soon.is_empty());
}

#[test]
fn a_list_is_filtered_sorted_counted_and_sent_one_window_at_a_time() {
    let s = store();
    let now = at("2026-11-24");
    let unw = s.save_organization(org("ONU Mujeres", "ONU Mujeres")).unwrap();
    let mut ine = org("INE", "Instituto Nacional Electoral");
    ine.kind = OrgKind::ElectoralIne;
    let ine = s.save_organization(ine).unwrap();
    // 30 people, every third at INE.
    for i in 0..30 {
        let at_ine = i % 3 == 0;
        let name = format!("Persona {i:02} {}", if at_ine { "Zapata" } else { "Álvarez" });
        s.save_contact(contact(&name, Some(if at_ine { &ine.id } else { &unw.id }))).unwrap();
    }
    let page = |q: &ListQuery| s.list_page(q, now).unwrap();
    let titles = |p: &ListPage| -> Vec<String> {
        let RecordList::Contact(items) = &p.rows else { panic!("contacts") };
        items.iter().map(|c| c.title.clone()).collect()
    };

    // Windows of the default order (by name), and the count of all.
    let mut q = ListQuery::of(RecordKind::Contact, 10);
    let first = page(&q);
    assert_eq!((first.total, first.offset, titles(&first).len()), (30, 0, 10));
    assert_eq!(titles(&first)[0], "Persona 00 Zapata");
    q.offset = 25;
    let last = page(&q);
    assert_eq!(
        titles(&last),
        (25..30)
            .map(|i| format!("Persona {i:02} {}", if i % 3 == 0 { "Zapata" } else { "Álvarez" }))
            .collect::<Vec<_>>()
    );
    q.offset = 40;
    assert_eq!((page(&q).total, titles(&page(&q)).len()), (30, 0), "past the end: nothing, still counted");

    // Words as prefixes, accents ignored; an organization's name finds its people.
    let mut q = ListQuery::of(RecordKind::Contact, 500);
    q.text = "alvarez pers".into();
    assert_eq!(page(&q).total, 20);
    q.text = "INE".into();
    assert_eq!(page(&q).total, 10, "the people of INE");
    q.text = "zapata ine".into();
    assert_eq!(page(&q).total, 10, "a word of the person's and a word of her organization's name");
    q.text = "alvarez ine".into();
    assert_eq!(page(&q).total, 0, "nobody at INE is Álvarez");
    q.text = "nadie".into();
    assert_eq!(page(&q).total, 0);

    // A filter by organization, and another order.
    let mut q = ListQuery::of(RecordKind::Contact, 500);
    q.filters.insert("organizationId".into(), ine.id.to_string());
    assert_eq!(page(&q).total, 10);
    q.filters.insert("organizationId".into(), String::new());
    assert_eq!(page(&q).total, 30, "an empty filter filters nothing");

    // The whole text equal to an acronym comes first, then the others in the list's order.
    let mut q = ListQuery::of(RecordKind::Organization, 5);
    q.text = "ine".into();
    let RecordList::Organization(orgs) = page(&q).rows else { panic!() };
    assert_eq!(orgs[0].acronym, "INE");
    let mut q = ListQuery::of(RecordKind::Organization, 5);
    q.filters.insert("kind".into(), "electoralIne".into());
    assert_eq!(page(&q).total, 1);

    // A save changes what the next page shows (the cached order is dropped).
    s.save_contact(contact("Aarón Primero", Some(&ine.id))).unwrap();
    let q = ListQuery::of(RecordKind::Contact, 1);
    assert_eq!((page(&q).total, titles(&page(&q))), (31, vec!["Aarón Primero".to_owned()]));
    let mut by_update = ListQuery::of(RecordKind::Contact, 1);
    by_update.sort = Some(ListSort::Updated);
    assert_eq!(titles(&page(&by_update)), vec!["Aarón Primero".to_owned()], "last changed first");
    // Every row's id, its window ignored.
    let mut ids = ListQuery::of(RecordKind::Contact, 1);
    ids.text = "zapata".into();
    assert_eq!(s.list_ids(&ids, now).unwrap().len(), 10);

    // What is not a query is refused at its field.
    let fields = |q: ListQuery| match s.list_page(&q, now) {
        Err(Error::Invalid(v)) => v.into_iter().map(|v| (v.field, v.code)).collect::<Vec<_>>(),
        other => panic!("not refused: {other:?}"),
    };
    let mut bad = ListQuery::of(RecordKind::Contact, 0);
    bad.sort = Some(ListSort::Due);
    bad.text = "x".repeat(MAX_LIST_TEXT + 1);
    bad.filters.insert("organizationId".into(), "nope".into());
    bad.filters.insert("status".into(), String::new());
    assert_eq!(
        fields(bad),
        vec![
            ("limit".into(), Code::OutOfRange),
            ("text".into(), Code::TooLong),
            ("sort".into(), Code::InvalidChoice),
            ("filters.organizationId".into(), Code::InvalidId),
            ("filters".into(), Code::InvalidChoice),
        ]
    );
    let mut bad = ListQuery::of(RecordKind::Organization, 10);
    bad.filters.insert("kind".into(), "bank".into());
    assert_eq!(fields(bad), vec![("filters.kind".into(), Code::InvalidChoice)]);
    let mut bad = ListQuery::of(RecordKind::Contact, 10);
    bad.section = Some(HomeSection::OverdueCommitments);
    assert_eq!(fields(bad), vec![("section".into(), Code::InvalidChoice)]);
}

#[test]
fn a_home_section_is_listed_in_its_own_order_and_filtered_like_a_list() {
    let s = store();
    let now = at("2026-11-24");
    s.load_sample(now).unwrap();
    // The home view lists the first of the section in its order (the sample has fewer than it shows).
    let all = s.home(now).overdue_commitments;
    assert!(!all.is_empty() && all.len() < HOME_ITEMS);
    let mut q = ListQuery::of(RecordKind::Commitment, 500);
    q.section = Some(HomeSection::OverdueCommitments);
    let page = s.list_page(&q, now).unwrap();
    assert_eq!(page.total, all.len());
    assert_eq!(page.rows, RecordList::Commitment(all.clone()));
    q.filters.insert("status".into(), "done".into());
    assert_eq!(s.list_page(&q, now).unwrap().total, 0, "no overdue commitment is done");
}

#[test]
fn windows_of_a_list_put_together_are_the_whole_list() {
    let s = store();
    let now = at("2026-11-24");
    s.load_sample(now).unwrap();
    for kind in RecordKind::ALL {
        let whole = serde_json::to_value(list_of(&s, kind, now)).unwrap()["items"].clone();
        let n = whole.as_array().map_or(0, Vec::len);
        assert!(n > 0, "{kind:?}: the sample has some");
        let mut joined = Vec::new();
        let mut q = ListQuery::of(kind, 3);
        while q.offset < n {
            let page = s.list_page(&q, now).unwrap();
            assert_eq!(page.total, n);
            joined.extend(serde_json::to_value(&page).unwrap()["items"].as_array().unwrap().clone());
            q.offset += 3;
        }
        assert_eq!(serde_json::Value::Array(joined), whole, "{kind:?}");
    }
}
