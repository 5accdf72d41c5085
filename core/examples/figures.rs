//! Prints the figures the core's closing note quotes: durable save latency (a meeting with
//! three commitments) on the given directory's disk and on tmpfs, where fsync costs nothing,
//! and search latency at 10k and 100k contacts.
//!
//! `cargo run --release -p vinculo-core --example figures -- [DIR]` (DIR defaults to a
//! temporary directory under the system's temp dir).

use std::time::{Duration, Instant};
use vinculo_core::*;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn report(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    eprintln!(
        "{label:<44} n={:<5} p50={:>9.3} ms  p95={:>9.3} ms  max={:>9.3} ms",
        samples.len(),
        percentile(&samples, 0.5).as_secs_f64() * 1e3,
        percentile(&samples, 0.95).as_secs_f64() * 1e3,
        samples.last().map_or(0.0, |d| d.as_secs_f64() * 1e3),
    );
}

fn saves(dir: &std::path::Path, label: &str) {
    let store = Store::open(dir).expect("open");
    let org = store
        .save_organization(Organization {
            name_es: "Organismo".into(),
            acronym_es: "ORG".into(),
            ..Default::default()
        })
        .expect("org");
    let mut samples = Vec::new();
    for i in 0..200 {
        let meeting = Meeting {
            title: format!("Reunión de seguimiento {i}"),
            date: "2026-11-30".into(),
            organization_ids: vec![org.id.clone()],
            minutes: "Se acordó intercambiar materiales de capacitación. ".repeat(20),
            ..Default::default()
        };
        let commitments = (0..3)
            .map(|j| Commitment { description: format!("Compromiso {j}"), ..Default::default() })
            .collect();
        let started = Instant::now();
        store.save_meeting(WithCommitments { record: meeting, commitments }, &[]).expect("save");
        samples.push(started.elapsed());
    }
    report(label, samples);
}

fn searches(n: usize) {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(dir.path()).expect("open");
    let given = [
        "Ana", "Luis", "María", "José", "Sofía", "Carlos", "Lucía", "Jorge", "Elena", "Miguel", "Beatriz",
        "Raúl",
    ];
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
        "Núñez",
        "Ortiz",
        "Castillo",
        "Reyes",
        "Morales",
    ];
    let posts = [
        "Directora de Asuntos Internacionales",
        "Oficial de programa",
        "Coordinador de proyectos",
        "Asesora jurídica",
        "Jefe de cooperación",
    ];
    let orgs: Vec<Organization> = (0..n / 20)
        .map(|i| Organization {
            id: Id::new(RecordKind::Organization),
            name_es: format!("Instituto de Participación Ciudadana {i}"),
            acronym_es: format!("IPC{i}"),
            ..Default::default()
        })
        .collect();
    let mut records: Vec<AnyRecord> = Vec::with_capacity(n + orgs.len());
    for i in 0..n {
        records.push(
            Contact {
                full_name: format!("{} {} {}", given[i % 12], family[(i / 12) % 15], family[(i / 180) % 15]),
                post: posts[i % 5].into(),
                organization_id: Some(orgs[i % orgs.len()].id.clone()),
                emails: vec![Labeled { label: "Oficina".into(), value: format!("persona{i}@ejemplo.org") }],
                ..Default::default()
            }
            .into(),
        );
    }
    records.extend(orgs.into_iter().map(AnyRecord::from));
    let started = Instant::now();
    store.insert_batch(records).expect("load");
    eprintln!("loaded {n} contacts in {:.1} s", started.elapsed().as_secs_f64());
    let queries = [
        "lucia",
        "ramirez",
        "maria jose",
        "nunez cas",
        "directora asuntos",
        "IPC42",
        "persona4242@ejemplo.org",
        "garcia lopez",
        "ofi",
        "participacion ciudadana",
    ];
    let mut samples = Vec::new();
    for _ in 0..20 {
        for q in queries {
            let started = Instant::now();
            let r = store.search(q, 50);
            samples.push(started.elapsed());
            std::hint::black_box(r);
        }
    }
    report(&format!("search, {n} contacts, 10-query mix"), samples);
    if std::env::var_os("PER_QUERY").is_some() {
        for q in queries {
            let started = Instant::now();
            let r = store.search(q, 50);
            eprintln!(
                "  {q:<28} {:>8.3} ms total={} examined={}",
                started.elapsed().as_secs_f64() * 1e3,
                r.total,
                r.examined
            );
        }
    }
    let reopened = Instant::now();
    store.close().expect("close");
    let store = Store::open(dir.path()).expect("reopen");
    eprintln!("reopen to search-ready at {n} contacts: {:.0} ms", reopened.elapsed().as_secs_f64() * 1e3);
    drop(store);
}

fn main() {
    let disk = match std::env::args().nth(1) {
        Some(dir) => tempfile::tempdir_in(dir),
        None => tempfile::tempdir(),
    }
    .expect("temp dir on disk");
    saves(disk.path(), "durable save (meeting + 3), disk");
    if std::path::Path::new("/dev/shm").is_dir() {
        let shm = tempfile::tempdir_in("/dev/shm").expect("tmpfs dir");
        saves(shm.path(), "same save on tmpfs (fsync is free)");
    }
    searches(10_000);
    searches(100_000);
}
