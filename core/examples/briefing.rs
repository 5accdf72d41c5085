//! Writes the sample briefing note, so anyone can see one without the app:
//! `cargo run -p vinculo-core --example briefing -- OUT.pdf [es|en] [letter|a4]`.
//! The sample (the strategic allies and a short scenario around UN Women) is loaded into a
//! temporary store; the note is the one for the next meeting with UN Women.

use std::time::Instant;
use vinculo_core::briefing;
use vinculo_core::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = args.next().ok_or("usage: briefing OUT.pdf [es|en] [letter|a4]")?;
    let language = args.next().unwrap_or_else(|| "es".into());
    let paper = args.next().unwrap_or_else(|| "letter".into());
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
    let started = Instant::now();
    let note = store.meeting_note(&next.id, now, &settings)?;
    let rendered = briefing::render(&note)?;
    let took = started.elapsed();
    std::fs::write(&out, &rendered.bytes)?;
    eprintln!(
        "{out}: {} pages, {} KB, made in {:.1} ms (the app would propose «{}»)",
        rendered.pages,
        rendered.bytes.len() / 1024,
        took.as_secs_f64() * 1e3,
        rendered.file_name
    );
    store.close()?;
    Ok(())
}
