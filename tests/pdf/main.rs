//! The briefing note read back the way a reader would: `pdftotext` must give back every field's
//! text (Spanish, Greek, Cyrillic, a 500-character unbroken string, 60 attendees, 20,000-character
//! minutes), no word may lie outside the margins (`pdftotext -bbox`), `qpdf --check` must pass,
//! every font must be embedded (`pdffonts`), and the outline and metadata must be there. The
//! pages are rendered to PNG under `target/tmp/pdf/` to look at. Needs poppler-utils and qpdf:
//! `cargo xtask test` installs them.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use vinculo_core::briefing::{self, FOOTER_BAND, HEADER_BAND, MARGIN_X, MARGIN_Y, Paper};
use vinculo_core::*;

const PT: f32 = 72.0 / 25.4;

fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("`{tool}` is not installed ({e}): run `cargo xtask test`, which installs it")
    });
    assert!(out.status.success(), "{tool} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn out_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pdf").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn no_space(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn at(date: &str) -> jiff::Timestamp {
    let d: jiff::civil::Date = date.parse().unwrap();
    d.at(9, 0, 0, 0).in_tz("America/Mexico_City").unwrap().timestamp()
}

/// A meeting that pushes the note: accents and punctuation of Spanish, Greek and Cyrillic
/// names, a 500-character string with no break, 60 attendees, 20,000 characters of minutes.
struct Heavy {
    store: Store,
    _dir: tempfile::TempDir,
    meeting: Id,
    /// Every text the note must show, as stored.
    fields: Vec<String>,
}

fn heavy() -> Heavy {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut fields = Vec::new();
    let org = store
        .save_organization(Organization {
            name_es: "Organización para la Cooperación Electoral «Ñandú» — Año Ibero-Americano".into(),
            name_en: "Organisation for Electoral Co-operation".into(),
            acronym_es: "OCE-Ñandú".into(),
            acronym_en: "OEC".into(),
            kind: OrgKind::Intergovernmental,
            country: "ES".into(),
            city: "Cádiz".into(),
            website: "https://www.cooperacion-electoral.ejemplo.org/es/quienes-somos/programas".into(),
            themes: vec![Theme::GenderEquality, Theme::HumanRights],
            ..Organization::default()
        })
        .unwrap();
    fields.extend([org.name_es.clone(), org.name_en.clone(), org.website.clone(), "Cádiz".into()]);
    let mut attendees = Vec::new();
    let greek = ["Αικατερίνη Παπαδοπούλου", "Γιώργος Νικολάου"];
    let cyrillic = ["Анна Сергеевна Иванова", "Дмитрий Петрович Смирнов"];
    for n in 0..60 {
        let name = match n {
            0 | 1 => greek[n].to_owned(),
            2 | 3 => cyrillic[n - 2].to_owned(),
            _ => format!("María José Núñez Güemes {n}"),
        };
        let c = store
            .save_contact(Contact {
                full_name: name.clone(),
                honorific: if n % 3 == 0 { "Dra.".into() } else { String::new() },
                post: format!("Coordinadora de Participación Ciudadana y Asuntos Internacionales {n}"),
                organization_id: Some(org.id.clone()),
                emails: vec![Labeled {
                    label: "Oficina".into(),
                    value: format!(
                        "persona.{n}.coordinacion.internacional@cooperacion-electoral.ejemplo.org"
                    ),
                }],
                phones: vec![Labeled {
                    label: "Móvil".into(),
                    value: format!("+34 956 {:03} {:03}", n, 100 + n),
                }],
                languages: vec!["es".into(), "en".into(), "el".into()],
                ..Contact::default()
            })
            .unwrap();
        fields.extend([name, c.emails[0].value.clone(), c.phones[0].value.clone()]);
        attendees.push(c.id);
    }
    let unbroken: String = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".chars().cycle().take(500).collect();
    let spanish =
        "¿Qué acordó la Comisión? ¡Todo! Él dijo «sí» — ñandú, pingüino, acción, camión, útil, Ibáñez.";
    let minutes: String = {
        let sentence = "Se revisó el avance del programa conjunto de participación política de las mujeres y se acordó un calendario de talleres en las dieciséis demarcaciones. ";
        sentence.repeat(20_000 / sentence.chars().count() + 1).chars().take(20_000).collect()
    };
    let past = store
        .save_meeting(
            WithCommitments {
                record: Meeting {
                    title: "Reunión anterior de seguimiento".into(),
                    date: "2026-09-15".into(),
                    organization_ids: vec![org.id.clone()],
                    minutes: minutes.trim().to_owned(),
                    ..Meeting::default()
                },
                commitments: vec![Commitment {
                    description: "Entregar la minuta firmada por ambas partes.".into(),
                    due_on: Some("2026-10-01".into()),
                    party: Party::Counterpart,
                    ..Commitment::default()
                }],
            },
            &[],
        )
        .unwrap();
    fields.extend([past.record.minutes.clone(), past.commitments[0].description.clone()]);
    let meeting = store
        .save_meeting(
            WithCommitments {
                record: Meeting {
                    title: format!("Reunión de trabajo: {spanish}"),
                    date: "2026-12-02".into(),
                    time: Some("10:00".into()),
                    duration_minutes: Some(120),
                    place: "Sala «Benito Juárez», Huizache 25, Ciudad de México".into(),
                    organization_ids: vec![org.id.clone()],
                    counterpart_attendees: attendees,
                    objective: format!("Objetivo: {spanish} Referencia del expediente: {unbroken}"),
                    talking_points: "• Agradecer la hospitalidad.\n• Proponer un convenio específico — con cláusula de protección de datos.".into(),
                    sensitive_topics: "La contraparte pidió reserva sobre el presupuesto.".into(),
                    ..Meeting::default()
                },
                commitments: vec![Commitment {
                    description: "Enviar la propuesta de convenio específico.".into(),
                    due_on: Some("2026-11-20".into()),
                    ..Commitment::default()
                }],
            },
            &[],
        )
        .unwrap();
    fields.extend([
        meeting.record.title.clone(),
        meeting.record.place.clone(),
        meeting.record.objective.clone(),
        "Agradecer la hospitalidad.".into(),
        "Proponer un convenio específico — con cláusula de protección de datos.".into(),
        meeting.record.sensitive_topics.clone(),
        meeting.commitments[0].description.clone(),
    ]);
    let agreement = store
        .save_agreement(
            WithCommitments {
                record: Agreement {
                    kind: AgreementKind::FrameworkAgreement,
                    folio: "IECM/CM/099/2025".into(),
                    title: "Convenio marco de colaboración en materia de fortalecimiento democrático".into(),
                    counterpart_ids: vec![org.id.clone()],
                    status: AgreementStatus::InForce,
                    valid_from: Some("2025-01-15".into()),
                    valid_until: Some("2027-01-14".into()),
                    ..Agreement::default()
                },
                commitments: vec![],
            },
            &[],
        )
        .unwrap();
    fields.extend([agreement.record.folio.clone(), agreement.record.title.clone()]);
    Heavy { store, _dir: dir, meeting: meeting.record.id, fields }
}

/// What `pdftotext -raw` reads inside the content area of every page (the running header and
/// footer cropped away), whitespace removed.
fn content_text(pdf: &Path, paper: Paper, pages: usize) -> String {
    let top = (MARGIN_Y + HEADER_BAND) * PT;
    let height = (paper.height - 2.0 * MARGIN_Y - HEADER_BAND - FOOTER_BAND) * PT;
    let mut all = String::new();
    for page in 1..=pages {
        let p = page.to_string();
        all.push_str(&run(
            "pdftotext",
            &[
                "-raw",
                "-enc",
                "UTF-8",
                "-f",
                &p,
                "-l",
                &p,
                "-x",
                "0",
                "-y",
                &format!("{top:.0}"),
                "-W",
                &format!("{:.0}", paper.width * PT),
                "-H",
                &format!("{height:.0}"),
                pdf.to_str().unwrap(),
                "-",
            ],
        ));
    }
    no_space(&all)
}

#[test]
fn the_heavy_note_reads_back_whole_within_its_margins() {
    let h = heavy();
    let settings = Settings::default();
    let note = h.store.meeting_note(&h.meeting, at("2026-11-25"), &settings).unwrap();
    let started = std::time::Instant::now();
    let rendered = briefing::render(&note).unwrap();
    let took = started.elapsed();
    let dir = out_dir("heavy");
    let pdf = dir.join(&note.file_name);
    std::fs::write(&pdf, &rendered.bytes).unwrap();
    eprintln!(
        "heavy note: {} pages, {} KB, rendered in {:.0} ms (test profile) → {}",
        rendered.pages,
        rendered.bytes.len() / 1024,
        took.as_secs_f64() * 1e3,
        pdf.display()
    );
    assert!(rendered.pages >= 10, "{} pages", rendered.pages);

    // Every field's text, whitespace aside, in the order it was written.
    let paper = Paper::LETTER;
    let text = content_text(&pdf, paper, rendered.pages);
    for field in &h.fields {
        for line in field.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let line = no_space(line.trim_start_matches('•'));
            assert!(text.contains(&line), "not read back: «{}»", &line[..line.len().min(120)]);
        }
    }
    // The whole text, furniture included, speaks Spanish: «Página 1 de N» and «Uso interno».
    let whole = run("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
    assert!(whole.contains(&format!("Página 1 de {}", rendered.pages)) && whole.contains("Uso interno"));
    assert!(whole.contains("NOTA INFORMATIVA"));

    // No word outside the margins (a point of tolerance for glyph outlines).
    let bbox = run("pdftotext", &["-bbox", pdf.to_str().unwrap(), "-"]);
    let attr = |tag: &str, name: &str| -> f32 {
        let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[at..].split('"').next().unwrap().parse().unwrap()
    };
    let (left, right) = (MARGIN_X * PT - 1.0, (paper.width - MARGIN_X) * PT + 1.0);
    let (top, bottom) = (MARGIN_Y * PT - 1.0, (paper.height - MARGIN_Y) * PT + 1.0);
    let mut words = 0;
    for tag in bbox.split("<word ").skip(1) {
        let (x0, y0, x1, y1) = (attr(tag, "xMin"), attr(tag, "yMin"), attr(tag, "xMax"), attr(tag, "yMax"));
        let word = tag.split('>').nth(1).unwrap_or("").split('<').next().unwrap_or("");
        assert!(
            x0 >= left && x1 <= right && y0 >= top && y1 <= bottom,
            "«{word}» at ({x0},{y0})–({x1},{y1})"
        );
        words += 1;
    }
    assert!(words > 3000, "{words} words");

    let check = run("qpdf", &["--check", pdf.to_str().unwrap()]);
    assert!(check.contains("No syntax or stream encoding errors found"), "{check}");
    let fonts = run("pdffonts", &[pdf.to_str().unwrap()]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty());
    for row in &rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type encoding emb sub uni object ID: embedded, subset, with a ToUnicode map.
        let n = cols.len();
        assert_eq!((cols[n - 5], cols[n - 4], cols[n - 3]), ("yes", "yes", "yes"), "{row}");
        let name = cols[0].split_once('+').map(|(_, name)| name).unwrap_or_default();
        assert!(name.starts_with("NotoSans-") || name.starts_with("DejaVuSans"), "{row}");
    }
    let info = run("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(info.contains("Title:") && info.contains("Nota informativa — Reunión de trabajo"), "{info}");
    assert!(info.contains("Subject:") && info.contains("CreationDate:") && info.contains("2026"), "{info}");
    assert!(info.contains("Page size:       612 x 792 pts (letter)"), "{info}");
    let outline = run("qpdf", &["--json=2", "--json-key=outlines", pdf.to_str().unwrap()]);
    for heading in ["1. Datos de la reunión", "4. Asistentes", "5. Antecedentes", "7. Compromisos abiertos"]
    {
        assert!(outline.contains(heading), "outline lacks {heading}: {outline}");
    }

    // Pages as images, to look at.
    run("pdftoppm", &["-png", "-r", "60", pdf.to_str().unwrap(), dir.join("page").to_str().unwrap()]);
}

#[test]
fn the_sample_note_in_both_languages_and_papers() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let now = at("2026-11-24");
    store.load_sample(now).unwrap();
    let unw = store.search("UN Women", 1).hits[0].record.id.clone();
    let next = store
        .organization_overview(&unw, now)
        .unwrap()
        .meetings
        .into_iter()
        .find(|m| m.title.starts_with("Segunda sesión"))
        .unwrap();
    let out = out_dir("sample");
    for (language, paper, size) in [("es", "letter", "612 x 792"), ("en", "a4", "595.276 x 841.89")] {
        let settings = Settings { language: language.into(), paper: paper.into(), ..Settings::default() };
        let rendered = briefing::render(&store.meeting_note(&next.id, now, &settings).unwrap()).unwrap();
        let pdf = out.join(format!("{language}-{paper}.pdf"));
        std::fs::write(&pdf, &rendered.bytes).unwrap();
        let info = run("pdfinfo", &[pdf.to_str().unwrap()]);
        assert!(info.contains(size), "{language} {paper}: {info}");
        let text = run("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
        let expected = if language == "es" { "Perfil de la contraparte" } else { "Counterpart profile" };
        assert!(text.contains(expected), "{text}");
        run(
            "pdftoppm",
            &[
                "-png",
                "-r",
                "80",
                pdf.to_str().unwrap(),
                out.join(format!("{language}-{paper}")).to_str().unwrap(),
            ],
        );
        run("qpdf", &["--check", pdf.to_str().unwrap()]);
    }
}

/// Names in the scripts of the partners' regions, in the note's heading, its fields and its
/// tables: Arabic joined and right to left, Hebrew, Chinese, Japanese, Korean, an emoji; read
/// back by pdftotext in logical order, the system faces that drew them embedded. A character
/// no face anywhere has (U+0378, unassigned) still prints as the visible mark.
#[test]
fn names_in_every_script_print_as_their_owners_write_them() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let org = store
        .save_organization(Organization {
            name_es: "المفوضية العليا المستقلة للانتخابات".into(),
            name_en: "ועדת הבחירות המרכזית".into(),
            acronym_es: "IHEC ✓".into(),
            acronym_en: "Ա ა \u{378}".into(),
            ..Organization::default()
        })
        .unwrap();
    let names = ["محمد بن سلمان", "שרה לוי", "王小明", "やまだ 山田太郎", "김민준", "Sara López 🌍✨"];
    for name in names {
        store
            .save_contact(Contact {
                full_name: name.into(),
                post: format!("Enlace {name}"),
                organization_id: Some(org.id.clone()),
                ..Contact::default()
            })
            .unwrap();
    }
    let rendered =
        briefing::render(&store.organization_note(&org.id, at("2026-11-25"), &Settings::default()).unwrap())
            .unwrap();
    let out = out_dir("scripts");
    let pdf = out.join("scripts.pdf");
    std::fs::write(&pdf, &rendered.bytes).unwrap();
    // pdftotext marks a right-to-left run with embedding controls; the letters are what count.
    let text: String = run("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"])
        .chars()
        .filter(|c| !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        .collect();
    for name in names.iter().chain(&["المفوضية العليا المستقلة للانتخابات", "ועדת הבחירות המרכזית"])
    {
        assert!(text.contains(name), "{name} reads back as written: {text}");
    }
    for name in names {
        assert!(text.contains(&format!("Enlace {name}")), "a name within a Spanish cell: {text}");
    }
    assert!(text.contains("IHEC ✓"), "DejaVu draws the check mark: {text}");
    assert!(text.contains("Ա ა \u{FFFD}"), "Armenian and Georgian from DejaVu, the unknown marked: {text}");
    let fonts = run("pdffonts", &[pdf.to_str().unwrap()]);
    for face in ["NotoSansCJK", "Symbola", "DejaVuSans"] {
        assert!(fonts.contains(face), "{face} embedded: {fonts}");
    }
    assert!(!fonts.contains("Color"), "a colour bitmap face cannot be drawn in a PDF: {fonts}");
    assert!(
        fonts.lines().skip(2).all(|l| l.contains(" yes yes yes ")),
        "every face embedded and subset: {fonts}"
    );
    run("qpdf", &["--check", pdf.to_str().unwrap()]);
    run("pdftoppm", &["-png", "-r", "90", pdf.to_str().unwrap(), out.join("page").to_str().unwrap()]);
}

/// The *informe del titular* of a person of the sample, after a change to her record: every
/// field of it, the meetings she attended and the commitments she owes, and her record's
/// history read back from the PDF, in both languages.
#[test]
fn the_titular_report_holds_the_record_where_it_appears_and_its_history() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store.set_audit_user("rmartinez");
    let now = at("2026-11-24");
    store.load_sample(now).unwrap();
    let refs_of = |id: &Id| store.references(id).unwrap();
    // The sample's person named in the most records.
    let list = store.list_page(&ListQuery::of(RecordKind::Contact, MAX_LIST_PAGE), now).unwrap();
    let RecordList::Contact(items) = list.rows else { panic!("contacts") };
    let mut people: Vec<Contact> = items.iter().map(|i| store.get(&i.id).unwrap()).collect();
    people.sort_by_key(|p| std::cmp::Reverse(refs_of(&p.id).len()));
    let mut person = people.remove(0);
    let meetings: Vec<Meeting> = refs_of(&person.id)
        .iter()
        .filter(|r| r.kind == RecordKind::Meeting)
        .map(|r| store.get(&r.id).unwrap())
        .collect();
    assert!(!meetings.is_empty(), "{} attends a meeting", person.full_name);
    person.notes = "Prefiere comunicación por escrito.".into();
    person.emails.push(Labeled { label: "personal".into(), value: "titular.prueba@ejemplo.org".into() });
    // The identifier her card had in an address book it was imported from.
    person.uids.push("9e49143d-201c-46cc-b1ca-b84cac8211e9".into());
    let person = store.save_contact(person).unwrap();
    // A scan of her signed consent, attached to her record: named in the report, not reproduced.
    store.attach_document(&person.id, "Aviso de privacidad firmado.pdf", &[b'%'; 48_000]).unwrap();
    let out = out_dir("titular");
    for (language, words) in [
        (
            "es",
            [
                "Informe del titular",
                "Datos personales",
                "Reuniones en que participó",
                "Historial del registro",
                "Modificado",
                "Documentos adjuntos a su registro",
                "Aviso de privacidad firmado.pdf",
            ],
        ),
        (
            "en",
            [
                "Data subject report",
                "Personal data",
                "Meetings attended",
                "History of the record",
                "Changed",
                "Documents attached to their record",
                "47 KB",
            ],
        ),
    ] {
        let settings = Settings { language: language.into(), ..Settings::default() };
        let note = store.titular_report(&person.id, now, &settings).unwrap();
        assert!(!note.file_name.contains(person.full_name.split(' ').next().unwrap()), "{}", note.file_name);
        assert!(note.file_name.contains(person.id.as_str()), "{}", note.file_name);
        let rendered = briefing::render(&note).unwrap();
        let pdf = out.join(format!("{language}.pdf"));
        std::fs::write(&pdf, &rendered.bytes).unwrap();
        let text = no_space(&run("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]));
        let mut expected: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
        expected.extend([
            person.full_name.clone(),
            person.post.clone(),
            "titular.prueba@ejemplo.org".into(),
            "Prefiere comunicación por escrito.".into(),
            "9e49143d-201c-46cc-b1ca-b84cac8211e9".into(),
            "rmartinez".into(),
        ]);
        expected.extend(meetings.iter().map(|m| m.title.clone()));
        for e in expected.iter().filter(|e| !e.is_empty()) {
            assert!(text.contains(&no_space(e)), "{language}: «{e}» not in the report");
        }
        run("qpdf", &["--check", pdf.to_str().unwrap()]);
        run("pdftoppm", &["-png", "-r", "80", pdf.to_str().unwrap(), out.join(language).to_str().unwrap()]);
    }
}

/// The strategy's report on the sample's year, in both languages: its text reads back, its
/// charts are vector rectangles, the file passes qpdf, and its pages are written as PNGs to look at.
#[test]
fn the_strategy_report_reads_back_with_its_charts() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store.load_sample(at("2026-11-25")).unwrap();
    let period = ReportPeriod { from: "2026-01-01".into(), until: "2026-12-31".into() };
    let out = out_dir("report");
    for (language, expected) in [
        (
            "es",
            [
                "Informe de la Estrategia de Cooperación Interinstitucional",
                "Cumplidos a tiempo",
                "Agencia de la ONU",
            ],
        ),
        (
            "en",
            ["Report on the Interinstitutional Cooperation Strategy", "Fulfilled on time", "Staff training"],
        ),
    ] {
        let settings = Settings { language: language.into(), ..Settings::default() };
        let note = store.report_note(&period, at("2026-11-25"), &settings).unwrap();
        let laid = briefing::lay_out(&note.blocks, &note.furniture, note.paper);
        let bars = laid
            .pages
            .iter()
            .flat_map(|p| &p.items)
            .filter(|i| matches!(i, briefing::Item::Rect { .. }))
            .count();
        assert!(bars >= 10, "{language}: the charts' bars are drawn: {bars} rectangles");
        let rendered = briefing::render(&note).unwrap();
        let pdf = out.join(format!("{language}.pdf"));
        std::fs::write(&pdf, &rendered.bytes).unwrap();
        let text = run("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
        for needle in expected {
            assert!(no_space(&text).contains(&no_space(needle)), "{language}: {needle:?} not in:\n{text}");
        }
        run("pdftoppm", &["-png", "-r", "80", pdf.to_str().unwrap(), out.join(language).to_str().unwrap()]);
        run("qpdf", &["--check", pdf.to_str().unwrap()]);
    }
}
