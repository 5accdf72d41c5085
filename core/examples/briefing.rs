//! Writes the sample briefing note, so anyone can see one without the app:
//! `cargo run -p vinculo-core --example briefing -- OUT.pdf [es|en] [letter|a4] [heavy]`.
//! The sample (the strategic allies and a short scenario around UN Women) is loaded into a
//! temporary store; the note is the one for the next meeting with UN Women. `heavy` adds 50
//! attendees and three long past meetings, for a note of about ten pages. Prints the pages,
//! the size and how long the note took (the median of 20 renderings).

use std::time::Instant;
use vinculo_core::briefing;
use vinculo_core::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = args.next().ok_or("usage: briefing OUT.pdf [es|en] [letter|a4]")?;
    let language = args.next().unwrap_or_else(|| "es".into());
    let paper = args.next().unwrap_or_else(|| "letter".into());
    let heavy = args.next().is_some_and(|a| a == "heavy");
    let settings = Settings { language, paper, ..Settings::default() };
    let dir = tempfile::tempdir()?;
    let store = Store::open(dir.path())?;
    let now = jiff::Timestamp::now();
    store.load_sample(now)?;
    let unw = store
        .search("UN Women", 1)
        .hits
        .first()
        .map(|h| h.record.id.clone())
        .ok_or("no UN Women in the sample")?;
    let next = store
        .organization_overview(&unw, now)?
        .meetings
        .into_iter()
        .filter(|m| m.starts_at.is_some_and(|at| at > now))
        .min_by_key(|m| m.starts_at)
        .ok_or("no upcoming meeting in the sample")?;
    if heavy {
        add_weight(&store, &unw, &next.id)?;
    }
    let mut times = Vec::new();
    let mut made = None;
    for _ in 0..20 {
        let started = Instant::now();
        let note = store.meeting_note(&next.id, now, &settings)?;
        let rendered = briefing::render(&note)?;
        made = Some((note, rendered));
        times.push(started.elapsed());
    }
    times.sort();
    let took = times[times.len() / 2];
    let (note, rendered) = made.ok_or("rendered")?;
    std::fs::write(&out, &rendered.bytes)?;
    eprintln!(
        "{out}: {} pages, {} KB, made in {:.1} ms, median of 20 (the app would propose «{}»)",
        rendered.pages,
        rendered.bytes.len() / 1024,
        took.as_secs_f64() * 1e3,
        note.file_name
    );
    store.close()?;
    Ok(())
}

/// Fifty more attendees and three past meetings with long minutes, on the sample's meeting.
fn add_weight(store: &Store, org: &Id, meeting: &Id) -> Result<(), Box<dyn std::error::Error>> {
    let mut attendees = Vec::new();
    for n in 1..=50 {
        let c = store.save_contact(Contact {
            full_name: format!("Integrante de la delegación {n}"),
            post: "Oficial de Programa, Gobernanza y Participación Política".into(),
            organization_id: Some(org.clone()),
            emails: vec![Labeled {
                label: "Oficina".into(),
                value: format!("integrante.{n}@unwomen.ejemplo.org"),
            }],
            phones: vec![Labeled { label: "Oficina".into(), value: format!("+52 55 5000 {:04}", 1000 + n) }],
            languages: vec!["es".into(), "en".into()],
            ..Contact::default()
        })?;
        attendees.push(c.id);
    }
    let mut next = store.get_meeting(meeting)?;
    next.record.counterpart_attendees.extend(attendees);
    store.save_meeting(next, &[])?;
    let paragraph = "Se revisaron los avances del programa conjunto, los compromisos pendientes de cada parte y el calendario de actividades para el siguiente semestre. ";
    for (n, date) in ["2026-06-10", "2026-03-18", "2025-11-05"].into_iter().enumerate() {
        store.save_meeting(
            WithCommitments {
                record: Meeting {
                    title: format!("Sesión de seguimiento {}", n + 1),
                    date: date.into(),
                    organization_ids: vec![org.clone()],
                    minutes: paragraph.repeat(42).trim().to_owned(),
                    ..Meeting::default()
                },
                commitments: vec![],
            },
            &[],
        )?;
    }
    Ok(())
}
