//! Spreadsheets in: workbooks and CSV files written by other programs
//! (`fixtures/tables/make.py`), mapped, planned row by row, imported atomically, and imported
//! again without changing anything.

use crate::fixtures::{all_records, org, store};
use vinculo_core::table::{RememberedColumns, RowAction, TableFormat, TableRequest, TableTarget, Workbook};
use vinculo_core::{
    Agreement, AgreementKind, AgreementStatus, AnyRecord, AuditEvent, Code, Contact, ImportStep, RecordKind,
};

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tables").join(name);
    std::fs::read(path).expect("the fixture")
}

/// The sheet's guessed mapping as a request.
fn guessed(book: &Workbook, sheet: usize, target: TableTarget) -> TableRequest {
    let offer = RememberedColumns::default().offer(&book.sheets[sheet], target, true, None).unwrap();
    TableRequest { sheet, target, headers: true, start: None, mapping: offer.mapping }
}

fn agreements(s: &vinculo_core::Store) -> Vec<Agreement> {
    all_records(s)
        .into_iter()
        .filter_map(|r| match r {
            AnyRecord::Agreement(a) => Some(a),
            _ => None,
        })
        .collect()
}

/// The instruments fixture, as every format holds it: 7 rows from row 4, three refused
/// (an impossible date, a status that is not one, no counterpart), one merged into an
/// earlier row of the same file.
#[test]
fn the_instruments_workbook_imports_alike_from_xlsx_xls_ods_and_excel_csv() {
    for (file, format) in [
        ("instruments.xlsx", TableFormat::Xlsx),
        ("instruments.xls", TableFormat::Xls),
        ("instruments.ods", TableFormat::Ods),
        ("instruments-excel-es.csv", TableFormat::Csv),
    ] {
        let file = file.replace("instruments", "instrumentos");
        let book = Workbook::read(&fixture(&file)).expect(&file);
        assert_eq!(book.format, format, "{file}");
        let t = store();
        t.store.save_organization(org("PNUD", "Programa de las Naciones Unidas para el Desarrollo")).unwrap();
        let request = guessed(&book, 0, TableTarget::Agreement);
        let expected: Vec<Option<&str>> = vec![
            None,
            Some("folio"),
            Some("title"),
            Some("kind"),
            Some("counterparts"),
            Some("signedOn"),
            Some("validFrom"),
            Some("validUntil"),
            Some("status"),
            Some("iecmArea"),
            Some("notes"),
        ];
        assert_eq!(request.mapping.iter().map(Option::as_deref).collect::<Vec<_>>(), expected, "{file}");

        let plan = t.store.plan_table(&book, &request).unwrap();
        let csv_offset = usize::from(format == TableFormat::Csv) * 2;
        let row = |n: usize| plan.rows.iter().find(|r| r.row + csv_offset == n).expect("the row");
        assert_eq!(
            (plan.created, plan.merged, plan.unchanged, plan.refused),
            (3, 1, 0, 3),
            "{file}: {plan:#?}"
        );
        assert_eq!(row(4).action, RowAction::Create);
        assert_eq!(row(7).violations[0].field, "signedOn", "{file}");
        assert_eq!(row(7).violations[0].code, Code::InvalidDate, "{file}");
        assert_eq!(row(8).violations[0].field, "status", "{file}");
        assert_eq!(row(8).violations[0].params["value"], "Quién sabe", "{file}");
        assert_eq!(row(9).violations[0].field, "counterparts", "{file}");
        assert_eq!(row(10).action, RowAction::Merge, "{file}: the same folio as row 4");
        assert_eq!(row(10).fields, vec!["notes"], "{file}");
        assert_eq!(row(10).same_as_row.map(|r| r + csv_offset), Some(4), "{file}");
        // PNUD is here; ONU Mujeres, IDEA Internacional (and the refused rows' partners: not).
        let mut new_orgs = plan.new_organizations.clone();
        new_orgs.sort();
        assert_eq!(new_orgs, vec!["IDEA Internacional", "ONU Mujeres"], "{file}");
        assert_eq!(plan.written, 3 + 2, "{file}: the merged row's record once, two organizations");

        let mut steps = Vec::new();
        let done =
            t.store.import_table(&book, &request, &mut |step, n, of| steps.push((step, n, of))).unwrap();
        assert_eq!(done, plan, "{file}: the import did what the plan said");
        let rows = plan.rows.len();
        assert_eq!(steps.first(), Some(&(ImportStep::Checking, 0, rows)), "{file}: {steps:?}");
        assert_eq!(steps.last(), Some(&(ImportStep::Writing, 5, 5)), "{file}: every record written");
        let list = agreements(&t.store);
        assert_eq!(list.len(), 3, "{file}");
        let framework = list.iter().find(|a| a.folio == "IECM/CONV/001/2024").unwrap();
        assert_eq!(framework.kind, AgreementKind::FrameworkAgreement);
        assert_eq!(framework.status, AgreementStatus::InForce);
        assert_eq!(framework.signed_on.as_deref(), Some("2024-03-08"), "{file}");
        assert_eq!(framework.valid_until.as_deref(), Some("2027-03-07"), "{file}");
        assert_eq!(framework.iecm_area, "UTVOE");
        assert!(framework.notes.contains("incluye anexo técnico"), "{file}: a line break inside a cell");
        assert!(framework.notes.contains("se une a ella"), "{file}: the merged row's note is added");
        let letter = list.iter().find(|a| a.folio == "IECM/CONV/002/2024").unwrap();
        assert_eq!(letter.signed_on.as_deref(), Some("2024-05-15"), "{file}: dd/mm/aaaa");
        assert_eq!(letter.kind, AgreementKind::LetterOfIntent);
        assert_eq!(letter.status, AgreementStatus::Concluded);
        let specific = list.iter().find(|a| a.folio == "IECM/CONV/003/2024").unwrap();
        assert_eq!(specific.signed_on.as_deref(), Some("2024-07-27"), "{file}: a serial number");
        assert_eq!(specific.counterpart_ids.len(), 2, "{file}: PNUD; ONU Mujeres");
        assert_eq!(t.store.list(RecordKind::Organization).len(), 3, "{file}: PNUD found, two made");
        // Each record the import wrote is in the audit log, with the fields it set.
        let (log, _) = t.store.audit_log().unwrap();
        let created: Vec<_> = log.iter().filter(|e| e.event == AuditEvent::Created).collect();
        assert_eq!(created.len(), 1 + 3 + 2, "{file}: PNUD saved, three instruments, two organizations");
        assert!(created.iter().any(|e| e.fields.contains(&"counterpartIds".to_owned())), "{file}");

        // The same file again changes nothing.
        let before = all_records(&t.store);
        let again = t.store.import_table(&book, &request, &mut |_, _, _| {}).unwrap();
        assert_eq!((again.created, again.merged, again.unchanged, again.refused), (0, 0, 4, 3), "{file}");
        assert_eq!(again.written, 0, "{file}");
        assert!(again.new_organizations.is_empty());
        assert_eq!(all_records(&t.store), before, "{file}: a second import writes nothing");
    }
}

#[test]
fn an_outlook_contacts_csv_imports_people_with_their_organizations() {
    let book = Workbook::read(&fixture("contactos-outlook.csv")).unwrap();
    let t = store();
    let undp =
        t.store.save_organization(org("PNUD", "Programa de las Naciones Unidas para el Desarrollo")).unwrap();
    let request = guessed(&book, 0, TableTarget::Contact);
    let m: Vec<Option<&str>> = request.mapping.iter().map(Option::as_deref).collect();
    assert_eq!(
        m,
        vec![
            Some("givenName"),
            None,
            Some("familyName"),
            Some("honorific"),
            Some("organization"),
            Some("post"),
            Some("phone"),
            Some("phone"),
            Some("email"),
            Some("email"),
            Some("notes"),
            Some("tags")
        ]
    );
    let plan = t.store.import_table(&book, &request, &mut |_, _, _| {}).unwrap();
    assert_eq!((plan.created, plan.refused), (2, 2), "{plan:#?}");
    let refused: Vec<(usize, &str)> = plan
        .rows
        .iter()
        .filter(|r| r.action == RowAction::Refuse)
        .flat_map(|r| r.violations.iter().map(move |v| (r.row, v.field.as_str())))
        .collect();
    assert!(refused.contains(&(4, "fullName")), "{refused:?}");
    assert!(refused.contains(&(5, "email")) && refused.contains(&(5, "phone")), "{refused:?}");
    let people: Vec<Contact> = all_records(&t.store)
        .into_iter()
        .filter_map(|r| match r {
            AnyRecord::Contact(c) => Some(c),
            _ => None,
        })
        .collect();
    let mj = people.iter().find(|c| c.full_name == "María José Núñez Peña").expect("UTF-8 with BOM");
    assert_eq!(mj.honorific, "Dra.");
    assert_eq!(mj.post, "Representante en México");
    assert_eq!(
        mj.emails.iter().map(|e| e.value.as_str()).collect::<Vec<_>>(),
        ["mj.nunez@unwomen.org", "mjn@example.org"]
    );
    assert_eq!(mj.emails[0].label, "E-mail Address");
    assert_eq!(mj.phones.len(), 2);
    assert_eq!(mj.tags, ["Género", "Estratégico"]);
    assert!(mj.notes.contains("mañana,\nen español"));
    let unwomen = mj.organization_id.clone().expect("an organization");
    assert_ne!(unwomen, undp.id);
    assert!(plan.new_organizations.contains(&"ONU Mujeres".to_owned()));
    assert!(!plan.new_organizations.contains(&"PNUD".to_owned()), "the refused row's PNUD is here anyway");

    // Merged by e-mail: a new post moves the old one to the history.
    let mut changed = book.clone();
    changed.sheets[0].rows[1][5] = vinculo_core::table::Cell::Text("Directora regional".into());
    let again = t.store.import_table(&changed, &request, &mut |_, _, _| {}).unwrap();
    assert_eq!((again.created, again.merged, again.unchanged), (0, 1, 1), "{again:#?}");
    let mj: Contact = t.store.get(&mj.id).unwrap();
    assert_eq!(mj.post, "Directora regional");
    assert_eq!(mj.post_history[0].post, "Representante en México");
}

#[test]
fn a_request_that_does_not_fit_the_file_is_refused_at_its_field() {
    let book = Workbook::read(&fixture("instrumentos.xlsx")).unwrap();
    assert_eq!(book.sheets.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["Instrumentos", "Notas"]);
    let t = store();
    let mut request = guessed(&book, 0, TableTarget::Agreement);
    let field_of = |r: &TableRequest| match t.store.plan_table(&book, r) {
        Err(vinculo_core::Error::Invalid(v)) => (v[0].field.clone(), v[0].code),
        other => panic!("refused, not {other:?}"),
    };
    request.sheet = 5;
    assert_eq!(field_of(&request), ("sheet".into(), Code::OutOfRange));
    request.sheet = 0;
    request.mapping[0] = Some("folio".into());
    assert_eq!(field_of(&request), ("mapping[1]".into(), Code::DuplicateEntry));
    request.mapping[0] = Some("fullName".into());
    assert_eq!(field_of(&request), ("mapping[0]".into(), Code::InvalidChoice));
    request.mapping = vec![Some("folio".into())];
    assert_eq!(field_of(&request), ("mapping".into(), Code::Required));
    request.mapping = vec![None; 40];
    assert_eq!(field_of(&request), ("mapping".into(), Code::TooMany));
    assert_eq!(
        Workbook::read(b"PK\x03\x04 not a zip").map(|_| ()).map_err(crate::fixtures::violations),
        Err(vec![("file".into(), Code::MalformedFile)])
    );
    assert!(t.store.is_empty(), "nothing written");
}

#[test]
fn remembered_columns_come_back_for_the_same_headers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("import-columns.json");
    let book = Workbook::read(&fixture("instrumentos.xlsx")).unwrap();
    let sheet = &book.sheets[0];
    let mut memory = RememberedColumns::load(&path);
    let mut mapping = memory.offer(sheet, TableTarget::Agreement, true, None).unwrap().mapping;
    mapping[0] = Some("noticeDays".into());
    mapping[10] = None;
    memory
        .remember(&path, TableTarget::Agreement, &sheet.headers(sheet.start(None).unwrap(), true), &mapping)
        .unwrap();
    let back = RememberedColumns::load(&path).offer(sheet, TableTarget::Agreement, true, None).unwrap();
    assert_eq!(back.mapping, mapping);
    assert_eq!(back.headers[2], "Denominación del convenio");
    assert!(back.fields.iter().any(|f| f.name == "validUntil"));
}

/// A list with the name split as offices write it, "Nombre" and "Apellidos": the surname is
/// kept, and two people who share a first name stay two people.
#[test]
fn a_name_split_into_nombre_and_apellidos_keeps_the_surname() {
    let book = Workbook::read(
        "Nombre;Apellidos;Cargo\r\nAna;López Ruiz;Directora\r\nAna;Pérez;Asesora\r\n".as_bytes(),
    )
    .unwrap();
    let request = guessed(&book, 0, TableTarget::Contact);
    let t = store();
    let plan = t.store.import_table(&book, &request, &mut |_, _, _| {}).unwrap();
    assert_eq!((plan.created, plan.merged), (2, 0), "{plan:#?}");
    let mut names: Vec<String> = all_records(&t.store)
        .into_iter()
        .filter_map(|r| match r {
            AnyRecord::Contact(c) => Some(c.full_name),
            _ => None,
        })
        .collect();
    names.sort();
    assert_eq!(names, ["Ana López Ruiz", "Ana Pérez"]);
}

/// A sheet is first shown as the kind of record whose guessed mapping fills the most of its
/// columns; instruments, the office's own list, when nothing tells.
#[test]
fn a_sheet_is_taken_for_the_kind_of_record_its_headers_fill_most() {
    let likely = |csv: &str| {
        let book = Workbook::read(csv.as_bytes()).unwrap();
        book.preview(&RememberedColumns::default())[0].target
    };
    assert_eq!(
        likely("Nombre completo;Correo electrónico;Teléfono\r\nAna;ana@x.org;55\r\n"),
        TableTarget::Contact
    );
    assert_eq!(likely("Folio;Denominación del convenio;Contraparte\r\nA;B;C\r\n"), TableTarget::Agreement);
    assert_eq!(likely("Siglas;Sitio web;Ciudad\r\nPNUD;undp.org;Nueva York\r\n"), TableTarget::Organization);
    assert_eq!(likely("x;y;z\r\n1;2;3\r\n"), TableTarget::Agreement, "the first on a tie");
}

/// Instruments without a folio are known again by their title: the same list imported twice
/// writes nothing the second time.
#[test]
fn instruments_without_a_folio_are_not_doubled_by_a_second_import() {
    let book = Workbook::read(
        "Denominación;Contraparte;Estado\r\nCarta de intención;PNUD;vigente\r\nMemorándum;ONU Mujeres;vigente\r\n"
            .as_bytes(),
    )
    .unwrap();
    let request = guessed(&book, 0, TableTarget::Agreement);
    let t = store();
    let first = t.store.import_table(&book, &request, &mut |_, _, _| {}).unwrap();
    assert_eq!(first.created, 2, "{first:#?}");
    let again = t.store.import_table(&book, &request, &mut |_, _, _| {}).unwrap();
    assert_eq!((again.created, again.unchanged, again.written), (0, 2, 0), "{again:#?}");
    assert_eq!(agreements(&t.store).len(), 2);
}

/// A CSV row keeps the number the spreadsheet program shows for it, blank lines above
/// it or not and line breaks in its cells or not, so a refused row can be found in the file.
#[test]
fn a_csv_row_is_numbered_as_the_file_numbers_it_after_blank_lines() {
    let book = Workbook::read(
        "Lista de instrumentos\r\n\r\nFolio;Denominación;Contraparte;Estado\r\nA-1;\"Carta\r\nde intención\";PNUD;vigente\r\n\r\n\r\nA-2;Memorándum;PNUD;inventado\r\n"
            .as_bytes(),
    )
    .unwrap();
    let request = guessed(&book, 0, TableTarget::Agreement);
    let plan = store().store.plan_table(&book, &request).unwrap();
    let numbers: Vec<(usize, RowAction)> = plan.rows.iter().map(|r| (r.row, r.action)).collect();
    assert_eq!(numbers, [(4, RowAction::Create), (7, RowAction::Refuse)], "{plan:#?}");
}

/// A block of two cells above the table («Fecha de corte: | 31/12/2024») looks like its start:
/// the user says where the table begins, and the headers, the preview and the rows follow.
/// Cells that are not what their field takes are refused saying what they are not.
#[test]
fn the_user_says_where_the_table_begins_and_each_cell_is_refused_for_what_it_is() {
    let csv = "Fecha de corte:;31/12/2024\r\n\r\nFolio;Denominación;Contraparte;Firma;Días de aviso;Recursos públicos\r\n\
               A-1;Carta de intención;PNUD;15/05/99;noventa;sí\r\n\
               A-2;Memorándum;PNUD;01/02/24;9000;quizá\r\n\
               A-3;Convenio;{long};01/02/24;30;no\r\n";
    let csv = csv.replace("{long}", &"Organización ".repeat(40));
    let book = Workbook::read(csv.as_bytes()).unwrap();
    let sheet = &book.sheets[0];
    let memory = RememberedColumns::default();
    let guessed = memory.offer(sheet, TableTarget::Agreement, true, None).unwrap();
    assert_eq!(
        (guessed.start, guessed.headers[0].as_str()),
        (1, "Fecha de corte:"),
        "the block looks like the start"
    );
    let offer = memory.offer(sheet, TableTarget::Agreement, true, Some(3)).unwrap();
    assert_eq!(offer.start, 3);
    assert_eq!(
        offer.headers,
        ["Folio", "Denominación", "Contraparte", "Firma", "Días de aviso", "Recursos públicos"]
    );
    assert_eq!(offer.first[1][0], "A-1", "the preview starts at the table");
    let request = TableRequest {
        sheet: 0,
        target: TableTarget::Agreement,
        headers: true,
        start: Some(3),
        mapping: offer.mapping.clone(),
    };
    let plan = store().store.plan_table(&book, &request).unwrap();
    let refused = |n: usize| {
        plan.rows
            .iter()
            .find(|r| r.row == n)
            .expect("the row")
            .violations
            .iter()
            .map(|v| {
                (
                    v.field.clone(),
                    v.code,
                    v.params.get("value").and_then(|x| x.as_str()).unwrap_or("").to_owned(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(refused(4), [("noticeDays".into(), Code::NotANumber, "noventa".into())], "{plan:#?}");
    assert_eq!(
        refused(5),
        [
            ("noticeDays".into(), Code::OutOfRange, "9000".into()),
            ("publicMoney".into(), Code::NotYesOrNo, "quizá".into())
        ]
    );
    let long = refused(6);
    assert_eq!(
        (long[0].0.as_str(), long[0].1),
        ("counterparts", Code::TooLong),
        "a name no organization can have: {long:?}"
    );
    // Two-digit years as Excel reads them: 99 is 1999.
    let mut fixed = request.clone();
    fixed.mapping[4] = None;
    fixed.mapping[5] = None;
    let plan = store().store.plan_table(&book, &fixed).unwrap();
    assert_eq!(plan.rows[0].action, RowAction::Create, "{plan:#?}");
    // A start past the sheet's end is refused at its field.
    let far = TableRequest { start: Some(99), ..request };
    let e = store().store.plan_table(&book, &far).unwrap_err();
    crate::fixtures::has(e, "start", Code::OutOfRange);
    assert!(memory.offer(sheet, TableTarget::Agreement, true, Some(0)).is_err());
}

/// csv-spectrum's edge cases (`fixtures/csv-spectrum/`, its CSV files and the records each
/// must give, BSD-2-Clause): quotes, commas and line breaks inside cells, CRLF, UTF-8, empty
/// cells. Each file reads as the records its JSON says (`location_coordinates`' JSON, one
/// object, gives another phone number than its CSV holds: that column is left out there).
#[test]
fn csv_spectrum_files_read_as_their_records() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/csv-spectrum");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir.join("csvs")).expect("the fixtures") {
        let path = entry.expect("an entry").path();
        let name = path.file_stem().and_then(|s| s.to_str()).expect("a name").to_owned();
        let json: serde_json::Value = serde_json::from_slice(
            &std::fs::read(dir.join(format!("json/{name}.json"))).expect("its records"),
        )
        .expect("json");
        let mut json: Vec<serde_json::Map<String, serde_json::Value>> = match json {
            serde_json::Value::Array(list) => {
                list.into_iter().filter_map(|v| v.as_object().cloned()).collect()
            }
            serde_json::Value::Object(one) => vec![one],
            other => panic!("{name}: {other}"),
        };
        let book = Workbook::read(&std::fs::read(&path).expect("read")).expect(&name);
        let text = |c: &vinculo_core::table::Cell| match c {
            vinculo_core::table::Cell::Text(s) => s.clone(),
            vinculo_core::table::Cell::Empty => String::new(),
            other => panic!("{name}: a CSV cell is text, got {other:?}"),
        };
        let rows: Vec<Vec<String>> =
            book.sheets[0].rows.iter().map(|r| r.iter().map(text).collect()).collect();
        let (headers, body) = rows.split_first().expect("a header row");
        let records: Vec<serde_json::Map<String, serde_json::Value>> = body
            .iter()
            .map(|row| {
                headers
                    .iter()
                    .enumerate()
                    .map(|(i, h)| {
                        (h.clone(), serde_json::Value::String(row.get(i).cloned().unwrap_or_default()))
                    })
                    .collect()
            })
            .collect();
        let mut records = records;
        if name == "location_coordinates" {
            for r in records.iter_mut().chain(json.iter_mut()) {
                r.remove("Contact Phone Number");
            }
        }
        assert_eq!(records, json, "{name}");
        checked += 1;
    }
    assert_eq!(checked, 12, "every file of the suite");
}

/// A "last changed" column whose day is none (a US date) tells nothing: the row is taken as
/// new, not as older than the record.
#[test]
fn a_last_changed_day_that_is_no_day_does_not_hold_a_row_back() {
    let csv = |post: &str| {
        format!("Nombre;Cargo;Correo;Última modificación\r\nAna Ruiz;{post};ana@ejemplo.org;12/31/2026\r\n")
    };
    let t = store();
    let import = |text: String| {
        let book = Workbook::read(text.as_bytes()).unwrap();
        let request = guessed(&book, 0, TableTarget::Contact);
        assert!(request.mapping.contains(&Some("revisedOn".into())), "{request:?}");
        t.store.import_table(&book, &request, &mut |_, _, _| {}).unwrap()
    };
    import(csv("Directora"));
    let plan = import(csv("Subdirectora"));
    assert_eq!(plan.rows[0].action, RowAction::Merge, "{plan:#?}");
    let ana = all_records(&t.store).into_iter().find_map(|r| match r {
        AnyRecord::Contact(c) => Some(c),
        _ => None,
    });
    assert_eq!(ana.expect("Ana").post, "Subdirectora");
}
