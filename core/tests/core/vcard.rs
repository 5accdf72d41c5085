//! vCard files in: the cards Outlook, Google Contacts, Apple Contacts, Thunderbird and
//! Evolution write (`fixtures/vcard/`, from the test suites of ez-vcard and
//! FolkerKinzel.VCards, with their licences) read into the spreadsheet import's plan,
//! imported, and imported again without a duplicate; damaged files imported but for the parts
//! that cannot be read, each named; and people written as vCard 4.0 and 3.0 and read back.

use crate::fixtures::{all_records, org, store};
use vinculo_core::briefing::Lang;
use vinculo_core::table::{
    RememberedColumns, RowAction, TableFormat, TablePlan, TableRequest, TableTarget, Workbook,
};
use vinculo_core::vcard::{VcardVersion, uid_of};
use vinculo_core::{AnyRecord, Code, Contact, Labeled, Organization, Store};

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vcard").join(name);
    std::fs::read(path).expect("the fixture")
}

/// The sheet a vCard file becomes, imported with the mapping the file gives.
fn request(book: &Workbook) -> TableRequest {
    let offer =
        RememberedColumns::default().offer(&book.sheets[0], TableTarget::Contact, true, None).unwrap();
    TableRequest {
        sheet: 0,
        target: TableTarget::Contact,
        headers: true,
        start: None,
        mapping: offer.mapping,
    }
}

fn import(s: &Store, bytes: &[u8]) -> TablePlan {
    let book = Workbook::open(bytes, Lang::Es).expect("a vCard file");
    assert_eq!(book.format, TableFormat::Vcard);
    s.import_table(&book, &request(&book), &mut |_, _, _| {}).expect("imported")
}

fn people(s: &Store) -> Vec<Contact> {
    all_records(s)
        .into_iter()
        .filter_map(|r| match r {
            AnyRecord::Contact(c) => Some(c),
            _ => None,
        })
        .collect()
}

fn person(s: &Store, name: &str) -> Contact {
    people(s).into_iter().find(|c| c.full_name == name).unwrap_or_else(|| panic!("{name} imported"))
}

fn organization_of(s: &Store, c: &Contact) -> String {
    let id = c.organization_id.as_ref().expect("an organization");
    s.get::<Organization>(id).expect("it exists").name_es
}

fn labels(list: &[Labeled]) -> Vec<(&str, &str)> {
    list.iter().map(|l| (l.label.as_str(), l.value.as_str())).collect()
}

#[test]
fn cards_from_outlook_google_apple_thunderbird_and_evolution_import_with_their_fields() {
    // (file, created, refused)
    let expected = [
        ("Outlook v2.vcf", 1, 0),
        ("John_Doe_MS_OUTLOOK.vcf", 1, 0),
        ("outlook-2007.vcf", 1, 0),
        ("outlook-2003.vcf", 0, 1),
        ("gmail-single.vcf", 1, 0),
        ("gmail-list.vcf", 3, 0),
        ("John_Doe_IPHONE.vcf", 1, 0),
        ("John_Doe_MAC_ADDRESS_BOOK.vcf", 1, 0),
        ("thunderbird-MoreFunctionsForAddressBook-extension.vcf", 1, 0),
        ("v4.vcf", 1, 1),
        ("John_Doe_EVOLUTION.vcf", 1, 0),
        ("rfc6350-example.vcf", 1, 0),
        ("German-windows-1252.vcf", 1, 0),
        ("v3Utf16Bom.vcf", 2, 0),
    ];
    for (file, created, refused) in expected {
        let t = store();
        let plan = import(&t, &fixture(file));
        assert_eq!((plan.created, plan.refused), (created, refused), "{file}: {plan:#?}");
        assert_eq!(people(&t).len(), created, "{file}");
        // Imported again: every card finds its person (by UID, e-mail or name), nothing written.
        let book = Workbook::open(&fixture(file), Lang::Es).unwrap();
        let again = t.plan_table(&book, &request(&book)).unwrap();
        assert_eq!((again.created, again.merged, again.written), (0, 0, 0), "{file} again: {again:#?}");
    }

    // Outlook 2.1: the honorific out of the formatted name, the phones by TYPE, the company.
    let t = store();
    import(&t, &fixture("Outlook v2.vcf"));
    let max = person(&t, "Max Anderer Mustermann sen.");
    assert_eq!((max.honorific.as_str(), max.post.as_str()), ("Herr", "Musterposition"));
    assert_eq!(organization_of(&t, &max), "Musterfirma GmbH");
    assert_eq!(labels(&max.emails), [("Correo", "max.mustermann@musterfirma.de")]);
    assert_eq!(
        labels(&max.phones),
        [
            ("Oficina", "+49 (0611) 123456 - 11"),
            ("Personal", "+49 (0611) 123456 - 12"),
            ("Móvil", "+49 (0611) 123456 - 14"),
            ("Fax", "+49 (0611) 123456 - 13"),
        ]
    );
    assert_eq!(max.notes, "Hier noch ein paar notizen");

    // Outlook 2003 writes placeholders for phones: the card is refused, and why is said.
    let t = store();
    let plan = import(&t, &fixture("outlook-2003.vcf"));
    assert_eq!(plan.rows[0].action, RowAction::Refuse);
    assert!(plan.rows[0].violations.iter().all(|v| v.field == "phone" && v.code == Code::InvalidPhone));

    // Google: a mobile and an untyped phone, the note's lines kept.
    let t = store();
    import(&t, &fixture("gmail-single.vcf"));
    let greg = person(&t, "Greg Dartmouth");
    assert_eq!(labels(&greg.phones), [("Móvil", "555 555 1111"), ("Teléfono", "555 555 2222")]);
    assert!(greg.notes.starts_with("This is GMail's note field.\nIt should be added"));

    // Thunderbird: five e-mails, categories as tags.
    let t = store();
    import(&t, &fixture("thunderbird-MoreFunctionsForAddressBook-extension.vcf"));
    let john = person(&t, "John Doe");
    assert_eq!(john.emails.len(), 5);
    assert_eq!(john.tags, ["category1", "category2", "category3"]);

    // Evolution and Thunderbird 4.0: the card's UID is kept on the person.
    let t = store();
    import(&t, &fixture("v4.vcf"));
    assert_eq!(person(&t, "Möhrke Gerda").uids, ["9e49143d-201c-46cc-b1ca-b84cac8211e9"]);

    // RFC 6350's own example: a `tel:` URI with its extension, languages.
    let t = store();
    import(&t, &fixture("rfc6350-example.vcf"));
    let simon = person(&t, "Simon Perreault");
    assert!(simon.phones.iter().any(|p| p.value == "+1-418-656-9254 ext. 102"), "{:?}", simon.phones);
    assert_eq!(simon.languages, ["fr", "en"]);

    // Old exports: raw Windows-1252, and UTF-16 with a byte-order mark.
    let t = store();
    import(&t, &fixture("German-windows-1252.vcf"));
    person(&t, "Sören Täve Nüßlebaum");
    let t = store();
    import(&t, &fixture("v3Utf16Bom.vcf"));
    assert_eq!(person(&t, "KMS Außenstelle").emails[0].value, "blablö@blub.com");
}

#[test]
fn a_card_that_changed_address_is_found_by_its_uid() {
    let t = store();
    import(&t, &fixture("v4.vcf"));
    let mut gerda = person(&t, "Möhrke Gerda");
    gerda.emails = vec![Labeled { label: "Oficina".into(), value: "gerda@kita.example".into() }];
    gerda.full_name = "Gerda Möhrke".into();
    t.save_contact(gerda).unwrap();
    let book = Workbook::open(&fixture("v4.vcf"), Lang::Es).unwrap();
    let plan = t.import_table(&book, &request(&book), &mut |_, _, _| {}).unwrap();
    let row = &plan.rows[0];
    assert_eq!(
        (row.action, row.likeness),
        (RowAction::Merge, Some(vinculo_core::Likeness::SameUid)),
        "{row:#?}"
    );
    assert_eq!(plan.created, 0, "no second Gerda");
    // The card, last changed in 2019, adds the address it has and undoes none of the edits.
    assert_eq!(row.fields, ["emails"]);
    assert_eq!(person(&t, "Gerda Möhrke").emails.len(), 2);
}

#[test]
fn an_honorific_is_taken_out_of_the_name_only_as_a_word_and_groups_are_no_people() {
    let cards = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Soto;Ingrid;;Ing;\r\nFN:Ingrid Soto\r\nEND:VCARD\r\n\
                 BEGIN:VCARD\r\nVERSION:3.0\r\nN:Ruiz;Ana;;Dra.;\r\nFN:Dra. Ana Ruiz\r\nEND:VCARD\r\n\
                 BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Equipo de enlace\r\nX-ADDRESSBOOKSERVER-KIND:group\r\nEND:VCARD\r\n";
    let t = store();
    import(&t, cards.as_bytes());
    let names: Vec<(String, String)> = people(&t).into_iter().map(|c| (c.honorific, c.full_name)).collect();
    assert!(names.contains(&("Ing".into(), "Ingrid Soto".into())), "{names:?}");
    assert!(names.contains(&("Dra.".into(), "Ana Ruiz".into())), "{names:?}");
    assert_eq!(names.len(), 2, "Apple's group is no person");
}

#[test]
fn a_damaged_file_imports_what_can_be_read_and_names_what_cannot() {
    // Cards of Google's export with, between them, a stray line, an organization's card, and
    // the last card cut off (the file ends inside it).
    let list = String::from_utf8(fixture("gmail-list.vcf")).unwrap();
    let (first, rest) = list.split_at(list.match_indices("BEGIN:VCARD").nth(1).expect("the second card").0);
    let cut = &rest[..rest.rfind("END:VCARD").expect("the last card's end")];
    let damaged = format!(
        "{first}esto no es parte de ninguna tarjeta\nBEGIN:VCARD\nVERSION:4.0\nKIND:org\nFN:ONU Mujeres\nEND:VCARD\n{cut}"
    );
    let book = Workbook::open(damaged.as_bytes(), Lang::Es).unwrap();
    let skipped: Vec<(Code, Option<serde_json::Value>)> =
        book.skipped.iter().map(|v| (v.code, v.params.get("n").cloned())).collect();
    assert_eq!(
        skipped,
        [
            (Code::UnreadableEntry, None),
            (Code::NotAPerson, Some(serde_json::json!(2))),
            (Code::CutOff, Some(serde_json::json!(4))),
        ],
        "{:#?}",
        book.skipped
    );
    assert_eq!(book.skipped[0].params["text"], "esto no es parte de ninguna tarjeta");
    let t = store();
    let plan = t.import_table(&book, &request(&book), &mut |_, _, _| {}).unwrap();
    assert_eq!(plan.created, 2, "Arnold Smith and Chris Beatle: {plan:#?}");
    // A row's number is its card's (the header row not counted): Chris is the third card.
    let rows: Vec<(usize, &str)> = plan.rows.iter().map(|r| (r.row, r.title.as_str())).collect();
    assert_eq!(rows, [(1, "Arnold Smith"), (3, "Chris Beatle")]);

    // FolkerKinzel's cut-off Outlook card: named, not imported.
    let book = Workbook::open(&fixture("Cropped_2_1.vcf"), Lang::Es).unwrap();
    assert_eq!(book.skipped[0].code, Code::CutOff);
    let rows = &book.sheets[0].rows;
    assert!(rows.len() == 2 && rows[1].is_empty(), "the header and the card's empty row: {rows:?}");

    // Not a vCard file at all: refused as such.
    let e = Workbook::open(b"BEGIN:VCARD\n", Lang::Es).map(|b| b.skipped);
    assert_eq!(e.unwrap()[0].code, Code::CutOff);
    assert!(vinculo_core::vcard::read(b"hola", Lang::Es).is_err());
}

#[test]
fn people_go_out_as_vcard_4_and_3_and_come_back_as_they_were() {
    let t = store();
    let unw = t
        .save_organization(org("ONU Mujeres", "Entidad de las Naciones Unidas para la Igualdad de Género"))
        .unwrap();
    let ana = t
        .save_contact(Contact {
            full_name: "Ana Sofía Núñez «Nana» Peña".into(),
            honorific: "Mtra.".into(),
            post: "Directora; Oficina de País, México".into(),
            organization_id: Some(unw.id.clone()),
            emails: vec![Labeled { label: "Oficina".into(), value: "ana.nunez@unwomen.org".into() }],
            phones: vec![
                Labeled { label: "Móvil".into(), value: "+52 55 1234 5678".into() },
                Labeled { label: "Oficina".into(), value: "+52 (55) 5000-1234 ext. 215".into() },
            ],
            languages: vec!["es".into(), "en".into()],
            preferred_language: Some("es".into()),
            notes: "Prefiere reuniones por la mañana.\n¿Confirmar agenda?".into(),
            tags: vec!["género".into(), "aliada, clave".into()],
            ..Contact::default()
        })
        .unwrap();
    let li = t
        .save_contact(Contact {
            full_name: "李娜".into(),
            emails: vec![Labeled { label: "Personal".into(), value: "li.na@example.org".into() }],
            notes: "Datos sensibles: no salen en una tarjeta.".into(),
            sensitive_data: true,
            ..Contact::default()
        })
        .unwrap();
    for version in [VcardVersion::V4, VcardVersion::V3] {
        let text = t.vcards(&[ana.id.clone(), li.id.clone()], version).unwrap();
        let header = if version == VcardVersion::V4 { "VERSION:4.0" } else { "VERSION:3.0" };
        assert_eq!(text.matches(header).count(), 2, "{text}");
        assert!(text.contains(&format!("UID:{}", uid_of(&ana.id))), "{text}");
        assert!(!text.contains("Datos sensibles"), "a sensitive person's notes stay home");
        assert!(text.lines().all(|l| l.len() <= 75), "lines folded at 75 octets");

        // Into another laptop: the same people, their organization made by name.
        let other = store();
        let plan = import(&other, text.as_bytes());
        assert_eq!((plan.created, plan.refused), (2, 0), "{version:?}: {plan:#?}");
        let back = person(&other, &ana.full_name);
        assert_eq!((back.honorific.as_str(), back.post.as_str()), ("Mtra.", ana.post.as_str()));
        assert_eq!(labels(&back.emails), [("Oficina", "ana.nunez@unwomen.org")]);
        assert_eq!(
            labels(&back.phones),
            [("Móvil", "+52 55 1234 5678"), ("Oficina", "+52 (55) 5000-1234 ext. 215")]
        );
        assert_eq!(back.tags, ana.tags);
        assert_eq!(back.notes, ana.notes);
        assert_eq!(organization_of(&other, &back), unw.name_es);
        assert_eq!(back.uids, [uid_of(&ana.id)]);
        assert!(person(&other, "李娜").notes.is_empty());
        if version == VcardVersion::V4 {
            assert_eq!(back.languages, ["es", "en"]);
        }
        // Back into the laptop it came from: each card finds its own person by its UID.
        let book = Workbook::open(text.as_bytes(), Lang::Es).unwrap();
        let plan = t.plan_table(&book, &request(&book)).unwrap();
        assert_eq!((plan.created, plan.written), (0, 0), "{plan:#?}");
        assert!(plan.rows.iter().all(|r| r.likeness == Some(vinculo_core::Likeness::SameUid)));
    }
}
