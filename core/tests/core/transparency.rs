//! The transparency export: the instruments signed in a period, in the SIPOT format of
//! convenios, read back from the workbook (calamine) and the CSV file it writes.

use crate::fixtures::{agreement, has, org, store};
use calamine::{Data, Reader};
use vinculo_core::transparency::{COLUMNS, KINDS, TransparencyFormat, TransparencyRequest};
use vinculo_core::{AgreementKind, AgreementStatus, Code, Sector, WithCommitments};

fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 12, 6)
}

#[test]
fn the_instruments_signed_in_a_period_go_out_in_the_sipot_format() {
    let t = store();
    let mut ndi = org("NDI", "Instituto Nacional Demócrata");
    ndi.sector = Sector::Social;
    let ndi = t.save_organization(ndi).unwrap();
    let unam = t.save_organization(org("UNAM", "Universidad Nacional Autónoma de México")).unwrap();
    let save = |title: &str, signed: Option<&str>, status: AgreementStatus, orgs: &[&vinculo_core::Id]| {
        let mut a = agreement(title, orgs);
        a.signed_on = signed.map(str::to_owned);
        a.status = status;
        a.valid_from = signed.map(str::to_owned);
        t.save_agreement(WithCommitments { record: a, commitments: vec![] }, &[]).unwrap().record
    };
    let mut marco = agreement("Convenio marco «Democracia» con el NDI y la UNAM", &[&ndi.id, &unam.id]);
    marco.folio = "IECM/CM/2026-07".into();
    marco.status = AgreementStatus::InForce;
    marco.signed_on = Some("2026-05-14".into());
    marco.valid_from = Some("2026-05-14".into());
    marco.purpose =
        "=HYPERLINK(\"https://x.example\") Colaborar en educación cívica; formación de observadoras.".into();
    marco.public_money = true;
    marco.document_refs =
        vec!["Archivo 3, caja 12".into(), "https://iecm.mx/convenios/cm-2026-07.pdf".into()];
    let marco = t.save_agreement(WithCommitments { record: marco, commitments: vec![] }, &[]).unwrap().record;
    let mut adenda = agreement("Adenda 1", &[&ndi.id]);
    adenda.kind = AgreementKind::Addendum;
    adenda.parent_id = Some(marco.id.clone());
    adenda.status = AgreementStatus::InForce;
    adenda.signed_on = Some("2026-11-02".into());
    adenda.valid_until = Some("2027-11-01".into());
    adenda.document_refs = vec!["https://iecm.mx/convenios/cm-2026-07-adenda-1.pdf".into()];
    t.save_agreement(WithCommitments { record: adenda, commitments: vec![] }, &[]).unwrap();
    save("Firmado el año anterior", Some("2025-12-31"), AgreementStatus::InForce, &[&unam.id]);
    save("En negociación", None, AgreementStatus::Negotiation, &[&unam.id]);

    // The whole year, as CSV: the marco and its addendum, oldest first.
    let year = TransparencyRequest { year: 2026, quarter: None };
    let file =
        t.transparency(&year, TransparencyFormat::Csv, "Unidad Técnica de Vinculación", today()).unwrap();
    assert_eq!(file.rows, 2);
    assert!(file.bytes.starts_with(b"\xEF\xBB\xBF"), "a BOM, for Excel");
    let mut csv = csv::Reader::from_reader(&file.bytes[3..]);
    let headers: Vec<String> = csv.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(headers, COLUMNS.map(|(h, _)| h.to_owned()));
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    let row = &rows[0];
    assert_eq!(&row[0], "2026");
    assert_eq!((&row[1], &row[2]), ("01/01/2026", "31/12/2026"));
    assert_eq!(&row[3], KINDS[3], "its first counterpart is of the social sector: concertación");
    assert_eq!(&row[4], marco.title);
    assert_eq!(&row[5], "14/05/2026");
    assert_eq!(
        &row[6], "Unidad Técnica de Vinculación",
        "the area of the settings when the instrument names none"
    );
    assert_eq!(&row[7], "Instituto Nacional Demócrata; Universidad Nacional Autónoma de México");
    assert_eq!(&row[8], format!("'{}", marco.purpose), "no formula in a file anyone opens");
    assert_eq!(&row[9], "Recursos públicos del IECM");
    assert_eq!((&row[11], &row[12]), ("14/05/2026", ""));
    assert_eq!(
        &row[14], "https://iecm.mx/convenios/cm-2026-07.pdf",
        "the first web address of its documents"
    );
    assert_eq!(&row[15], "https://iecm.mx/convenios/cm-2026-07-adenda-1.pdf", "its addendum's");
    assert_eq!((&row[17], &row[18]), ("06/12/2026", "06/12/2026"));
    assert!(
        row[19].contains("Folio interno: IECM/CM/2026-07") && row[19].contains("Vigencia indefinida"),
        "{}",
        &row[19]
    );
    assert_eq!(&rows[1][4], "Adenda 1");

    // The second quarter, as a workbook laid out as the platform's templates.
    let q2 = TransparencyRequest { year: 2026, quarter: Some(2) };
    let file = t.transparency(&q2, TransparencyFormat::Xlsx, "UTVOE", today()).unwrap();
    assert_eq!(file.rows, 1);
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(file.bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["Reporte de Formatos", "Hidden_1", "Tabla_convenios"]);
    let sheet = book.worksheet_range("Reporte de Formatos").unwrap();
    let cell = |r: u32, c: u32| sheet.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(cell(2, 1), Data::String("A121Fr35_Convenios".into()));
    assert_eq!(cell(5, 0), Data::String("Tabla Campos".into()));
    for (c, (header, _)) in COLUMNS.iter().enumerate() {
        assert_eq!(cell(6, c as u32), Data::String((*header).into()));
    }
    assert_eq!(cell(7, 4), Data::String(marco.title.clone()));
    let Data::DateTime(signed) = cell(7, 5) else { panic!("a date cell: {:?}", cell(7, 5)) };
    let (y, m, d, ..) = signed.to_ymd_hms_milli();
    assert_eq!((y, m, d), (2026, 5, 14));
    assert_eq!(cell(7, 7), Data::String("1".into()), "the row's number in the table of counterparts");
    assert_eq!(cell(8, 4), Data::Empty, "one instrument in the quarter");
    let table = book.worksheet_range("Tabla_convenios").unwrap();
    let names: Vec<(String, String)> =
        table.rows().skip(1).map(|r| (r[0].to_string(), r[4].to_string())).collect();
    assert_eq!(
        names,
        [
            ("1".into(), "Instituto Nacional Demócrata".into()),
            ("1".into(), "Universidad Nacional Autónoma de México".into())
        ]
    );
    let kinds = book.worksheet_range("Hidden_1").unwrap();
    assert_eq!(kinds.rows().map(|r| r[0].to_string()).collect::<Vec<_>>(), KINDS);

    // A period the format does not take.
    has(
        t.transparency(
            &TransparencyRequest { year: 2026, quarter: Some(5) },
            TransparencyFormat::Csv,
            "",
            today(),
        )
        .unwrap_err(),
        "quarter",
        Code::OutOfRange,
    );
    has(
        t.transparency(
            &TransparencyRequest { year: 1999, quarter: None },
            TransparencyFormat::Csv,
            "",
            today(),
        )
        .unwrap_err(),
        "year",
        Code::OutOfRange,
    );
}
