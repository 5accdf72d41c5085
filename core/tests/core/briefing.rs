//! The briefing note: what each section holds, what is left out, the order of commitments, the
//! file name, both languages, and a PDF that comes out. (The PDF read back as text, its boxes
//! and fonts are checked with poppler and qpdf in `tests/pdf`, from the README test command.)

use crate::fixtures::*;
use vinculo_core::briefing::{self, Block};
use vinculo_core::*;

pub(crate) fn es() -> Settings {
    Settings::default()
}

pub(crate) fn headings(note: &briefing::Note) -> Vec<String> {
    note.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading(h) => Some(h.clone()),
            _ => None,
        })
        .collect()
}

pub(crate) fn text_of(note: &briefing::Note) -> String {
    let mut out = String::new();
    for b in &note.blocks {
        match b {
            Block::Heading(t) | Block::Subheading(t) | Block::Paragraph(t) => out.push_str(t),
            Block::Bullets(items) => out.push_str(&items.join("\n")),
            Block::Fields(rows) => rows.iter().for_each(|(k, v)| out.push_str(&format!("{k}: {v}\n"))),
            Block::Bars(b) => {
                b.rows.iter().for_each(|r| out.push_str(&format!("{}: {}\n", r.label, r.shown)))
            }
            Block::Table(t) => {
                t.columns.iter().for_each(|(c, _)| out.push_str(c));
                t.rows.iter().flatten().for_each(|c| out.push_str(&format!("{}\n{}\n", c.text, c.note)));
            }
        }
        out.push('\n');
    }
    out
}

fn unw_meeting(s: &Store) -> Id {
    let unw = s.search("UN Women", 1).hits[0].record.id.clone();
    let overview = s.organization_overview(&unw, at("2026-11-24")).unwrap();
    overview.meetings.iter().find(|m| m.title.starts_with("Segunda sesión")).unwrap().id.clone()
}

#[test]
fn the_sample_meeting_note_has_every_section_in_order() {
    let s = store();
    s.load_sample(at("2026-11-24")).unwrap();
    let note = s.meeting_note(&unw_meeting(&s), at("2026-11-24"), &es()).unwrap();
    assert_eq!(
        headings(&note),
        [
            "1. Datos de la reunión",
            "2. Objetivo de la reunión",
            "3. Perfil de la contraparte",
            "4. Asistentes",
            "5. Antecedentes",
            "6. Instrumentos jurídicos",
            "7. Actividades conjuntas",
            "8. Compromisos abiertos",
            "9. Puntos de conversación y temas sensibles",
        ]
    );
    let text = text_of(&note);
    for expected in [
        "30 nov 2026, 11:30",
        "Híbrida",
        "Delegación de la contraparte",
        "Dra. Ana Sofía Castillo Reyes (Especialista de Programa en Participación Política)",
        "Entidad de las Naciones Unidas para la Igualdad de Género y el Empoderamiento de las Mujeres",
        "ONU Mujeres · UN Women",
        "Agencia de la ONU",
        "Lic. Diego Hernández Ruiz (Subdirector de Cooperación Internacional)",
        "ana.castillo@unwomen.ejemplo.org (Oficina)",
        "español (preferido), inglés",
        "Seguimiento de la agenda de participación política de las mujeres",
        "Se revisaron los avances del programa conjunto.",
        "IECM/CM/012/2022",
        "faltan 45 días",
        "venció hace 7 días",
        "Proponer tres sedes",
        "El calendario de talleres comprometido por el IECM está retrasado.",
    ] {
        assert!(text.contains(expected), "«{expected}» missing from\n{text}");
    }
    assert_eq!(note.file_name, "2026-11-30_ONU-Mujeres_nota-informativa.pdf");
    assert!(note.furniture.taken_at.starts_with("Datos al 24 nov 2026, 12:00 h"));
}

#[test]
fn open_commitments_come_overdue_first_and_closed_ones_not_at_all() {
    let s = store();
    let o = s.save_organization(org("KAS", "Fundación Konrad Adenauer")).unwrap();
    let m = s
        .save_meeting(
            with(
                meeting("Reunión con KAS", "2026-12-10", &[&o.id]),
                vec![
                    commitment("Vence en diez días", Some("2026-12-04")),
                    commitment("Vencido hace tres días", Some("2026-11-21")),
                    commitment("Sin fecha", None),
                    commitment("Vencido hace diez días", Some("2026-11-14")),
                    Commitment {
                        status: CommitmentStatus::Done,
                        ..commitment("Ya cumplido", Some("2026-11-01"))
                    },
                ],
            ),
            &[],
        )
        .unwrap();
    let note = s.meeting_note(&m.record.id, at("2026-11-24"), &es()).unwrap();
    let table = note
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Table(t) if t.columns[0].0 == "Compromiso" => Some(t),
            _ => None,
        })
        .expect("the commitments table");
    let order: Vec<&str> = table.rows.iter().map(|r| r[0].text.as_str()).collect();
    assert_eq!(
        order,
        ["Vencido hace diez días", "Vencido hace tres días", "Vence en diez días", "Sin fecha"]
    );
    assert_eq!((table.rows[0][3].text.as_str(), table.rows[0][3].alert), ("venció hace 10 días", true));
    assert!(!table.rows[2][3].alert, "not yet due is no alert");
}

#[test]
fn a_meeting_with_two_organizations_lists_what_they_share_once_in_order() {
    let s = store();
    let a = s.save_organization(org("ONU Mujeres", "ONU Mujeres")).unwrap();
    let b = s.save_organization(org("PNUD", "Programa de las Naciones Unidas para el Desarrollo")).unwrap();
    let live = |title: &str, until: &str, orgs: &[&Id]| Agreement {
        status: AgreementStatus::InForce,
        valid_from: Some("2025-01-01".into()),
        valid_until: Some(until.into()),
        ..agreement(title, orgs)
    };
    let shared = WithCommitments {
        record: live("Convenio tripartito", "2027-06-30", &[&a.id, &b.id]),
        commitments: vec![commitment("Zeta: informe conjunto", Some("2026-12-20"))],
    };
    s.save_agreement(shared, &[]).unwrap();
    let only_b =
        WithCommitments { record: live("Convenio con PNUD", "2027-01-31", &[&b.id]), commitments: vec![] };
    s.save_agreement(only_b, &[]).unwrap();
    let past = with(
        meeting("Reunión tripartita anterior", "2026-10-01", &[&a.id, &b.id]),
        vec![commitment("Ágora: enviar la minuta", Some("2026-12-20"))],
    );
    s.save_meeting(past, &[]).unwrap();
    let m = s
        .save_meeting(with(meeting("Reunión tripartita", "2026-12-10", &[&a.id, &b.id]), vec![]), &[])
        .unwrap();

    let note = s.meeting_note(&m.record.id, at("2026-11-24"), &es()).unwrap();
    let first_column = |heading: &str| -> Vec<String> {
        note.blocks
            .iter()
            .find_map(|b| match b {
                Block::Table(t) if t.columns[0].0 == heading => {
                    Some(t.rows.iter().map(|r| r[0].text.clone()).collect())
                }
                _ => None,
            })
            .unwrap_or_else(|| panic!("a table headed {heading}"))
    };
    assert_eq!(
        first_column("Instrumento"),
        ["Convenio con PNUD", "Convenio tripartito"],
        "once each, soonest to end first"
    );
    assert_eq!(
        first_column("Compromiso"),
        ["Ágora: enviar la minuta", "Zeta: informe conjunto"],
        "once each, by title as lists sort"
    );
    let history = note
        .blocks
        .iter()
        .filter(|b| matches!(b, Block::Subheading(t) if t.contains("Reunión tripartita anterior")))
        .count();
    assert_eq!(history, 1, "the earlier meeting once in the history");
}

#[test]
fn empty_sections_are_left_out_and_numbers_close_up() {
    let s = store();
    let o = s.save_organization(org("", "Organismo sin acrónimo")).unwrap();
    let m = s
        .save_meeting(
            with(
                Meeting {
                    objective: "Conocernos.".into(),
                    ..meeting("Primera reunión", "2026-12-01", &[&o.id])
                },
                vec![],
            ),
            &[],
        )
        .unwrap();
    let note = s.meeting_note(&m.record.id, at("2026-11-24"), &es()).unwrap();
    assert_eq!(
        headings(&note),
        ["1. Datos de la reunión", "2. Objetivo de la reunión", "3. Perfil de la contraparte"]
    );
    assert_eq!(note.file_name, "2026-12-01_organismo_nota-informativa.pdf", "no free text in the name");
    let ficha = s.organization_note(&o.id, at("2026-11-24"), &es()).unwrap();
    assert_eq!(headings(&ficha), ["1. Perfil de la contraparte"]);
    assert_eq!(ficha.furniture.title, "Ficha informativa");
    assert_eq!(ficha.file_name, "2026-11-24_organismo_nota-informativa.pdf");
}

#[test]
fn the_note_speaks_english_on_a4_when_the_settings_say_so() {
    let s = store();
    s.load_sample(at("2026-11-24")).unwrap();
    let settings = Settings { language: "en".into(), paper: "a4".into(), ..Settings::default() };
    let note = s.meeting_note(&unw_meeting(&s), at("2026-11-24"), &settings).unwrap();
    assert_eq!(headings(&note)[0], "1. Meeting details");
    assert_eq!(note.furniture.title, "Briefing note");
    assert_eq!(note.paper, briefing::Paper::A4);
    let text = text_of(&note);
    assert!(
        text.contains("30 Nov 2026, 11:30") && text.contains("UN agency") && text.contains("45 days left")
    );
}

#[test]
fn a_foreign_meeting_says_its_zone_and_the_office_time() {
    let s = store();
    s.load_sample(at("2026-11-24")).unwrap();
    let idea = s.search("IDEA Internacional", 1).hits[0].record.id.clone();
    let view = s.organization_overview(&idea, at("2026-11-24")).unwrap();
    let m = view.meetings.iter().find(|m| m.time_zone == "Europe/Stockholm").unwrap();
    let note = s.meeting_note(&m.id, at("2026-11-24"), &es()).unwrap();
    let text = text_of(&note);
    assert!(text.contains("6 dic 2026, 17:00 (Europe/Stockholm)"), "{text}");
    assert!(text.contains("En Ciudad de México: 6 dic 2026, 10:00"), "{text}");
}

#[test]
fn a_note_renders_to_a_pdf_with_subset_fonts() {
    let s = store();
    s.load_sample(at("2026-11-24")).unwrap();
    let note = s.meeting_note(&unw_meeting(&s), at("2026-11-24"), &es()).unwrap();
    let rendered = briefing::render(&note).unwrap();
    assert!(rendered.bytes.starts_with(b"%PDF-"));
    assert!(rendered.pages >= 2);
    // Four Noto faces whole weigh about 2 MB: subset, the note is a small fraction of it.
    assert!(rendered.bytes.len() < 300_000, "{} bytes", rendered.bytes.len());
    let other = s.search("KAS", 1).hits[0].record.id.clone();
    let ficha = briefing::render(&s.organization_note(&other, at("2026-11-24"), &es()).unwrap()).unwrap();
    assert_eq!(ficha.pages, 1);
}

#[test]
fn fonts_and_their_licences_are_shipped() {
    let licenses = briefing::font_licenses();
    assert_eq!(licenses.iter().map(|l| l.name).collect::<Vec<_>>(), ["Noto Sans", "DejaVu Sans"]);
    assert!(licenses[0].text.contains("SIL OPEN FONT LICENSE") && licenses[0].text.contains("Version 1.1"));
    assert!(licenses[1].text.contains("Bitstream"));
}

/// A partner with a long history: 600 instruments and 40 earlier meetings. The ficha keeps the
/// most recent meetings and the instruments in force first, as many as the settings say, and
/// counts the rest; raising the limits shows more. The PDF stays short.
#[test]
fn a_long_history_is_bounded_by_the_settings_and_the_rest_is_counted() {
    let s = store();
    let o = s.save_organization(org("KAS", "Fundación Konrad Adenauer")).unwrap();
    for i in 0..600 {
        let mut a = agreement(&format!("Instrumento {i:03}"), &[&o.id]);
        // One in twenty in force (30): they come first.
        if i % 20 == 0 {
            a.status = AgreementStatus::InForce;
            a.valid_from = Some("2025-01-01".into());
            a.valid_until = Some(format!("2027-{:02}-01", 1 + i / 60));
        }
        s.save_agreement(WithCommitments { record: a, commitments: vec![] }, &[]).unwrap();
    }
    for i in 0..40 {
        let day = jiff::civil::date(2023, 1, 1).checked_add(jiff::Span::new().days(i * 20)).unwrap();
        s.save_meeting(with(meeting(&format!("Reunión {i:02}"), &day.to_string(), &[&o.id]), vec![]), &[])
            .unwrap();
    }
    let rows = |note: &briefing::Note| -> Vec<(String, String)> {
        note.blocks
            .iter()
            .find_map(|b| match b {
                Block::Table(t) if t.columns[0].0 == "Instrumento" => {
                    Some(t.rows.iter().map(|r| (r[0].text.clone(), r[1].text.clone())).collect())
                }
                _ => None,
            })
            .unwrap()
    };
    let meetings = |note: &briefing::Note| -> Vec<String> {
        note.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Subheading(t) => t.split(" · ").nth(1).map(str::to_owned),
                _ => None,
            })
            .collect()
    };

    let note = s.organization_note(&o.id, at("2026-11-24"), &es()).unwrap();
    let listed = rows(&note);
    assert_eq!(listed.len(), 20, "the default: twenty instruments");
    assert!(listed.iter().all(|(_, status)| status == "Vigente"), "those in force first: {listed:?}");
    assert_eq!(meetings(&note), ["Reunión 39", "Reunión 38", "Reunión 37", "Reunión 36", "Reunión 35"]);
    let text = text_of(&note);
    assert!(text.contains("Se muestran 20 de 600 instrumentos, primero los vigentes"), "{text}");
    assert!(text.contains("Se muestran las 5 reuniones más recientes de 40"), "{text}");
    let short = briefing::render(&note).unwrap();
    assert!(short.pages <= 5, "a note, not a register: {} pages", short.pages);

    let more = Settings { note_agreements: 100, note_meetings: 40, ..es() };
    let note = s.organization_note(&o.id, at("2026-11-24"), &more).unwrap();
    let listed = rows(&note);
    assert_eq!(listed.len(), 100);
    assert_eq!(listed.iter().filter(|(_, status)| status == "Vigente").count(), 30);
    assert_eq!(meetings(&note).len(), 40);
    let text = text_of(&note);
    assert!(text.contains("Se muestran 100 de 600 instrumentos"), "{text}");
    assert!(!text.contains("reuniones más recientes de"), "all forty shown, nothing to count: {text}");

    // Out of range is refused at its field.
    let mut wrong = Settings { note_agreements: 0, note_meetings: 501, ..es() };
    let Err(Error::Invalid(found)) = wrong.validate() else { panic!("refused") };
    let fields: Vec<&str> = found.iter().map(|v| v.field.as_str()).collect();
    assert_eq!(fields, ["noteMeetings", "noteAgreements"]);
}
