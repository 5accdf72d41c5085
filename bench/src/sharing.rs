//! The office's sharing: a colleague's changes applied, and a save on one laptop seen on
//! another through two real Syncthing instances on loopback (the sharing test's cluster).

#[path = "../../core/tests/syncthing/cluster.rs"]
mod cluster;

use crate::stats::{Figure, Stats};
use crate::{Options, Result, reps, say};
use cluster::Cluster;
use std::path::Path;
use std::time::{Duration, Instant};
use vinculo_core::{KdfParams, Organization, Store};

fn laptop(dir: &Path, who: &str) -> Result<Store> {
    let (store, _) = Store::create_encrypted(dir, "la frase de la oficina", KdfParams::MINIMUM)?;
    store.set_audit_user(who);
    Ok(store)
}

fn org(i: usize) -> Organization {
    Organization {
        acronym_es: format!("ORG{i}"),
        name_es: format!("Organismo aliado número {i}"),
        notes: "Aliado para la agenda de educación cívica y participación ciudadana. ".repeat(4),
        ..Organization::default()
    }
}

/// Laptop B applies the changes laptop A made (one new organization per change), against the
/// same organizations saved on B itself, each durably.
pub fn apply_remote(o: &Options, dir: &Path) -> Result<Figure> {
    let count = if o.smoke { 200 } else { 10_000 };
    let dir = dir.join("sharing-apply");
    let _ = std::fs::remove_dir_all(&dir);
    let folder = dir.join("office");
    std::fs::create_dir_all(&folder)?;
    let a = laptop(&dir.join("a"), "Laura")?;
    let b = laptop(&dir.join("b"), "Diego")?;
    a.create_office(&folder, "Laptop de Laura")?;
    let code = a.invite_laptop()?;
    b.join_office(&folder, &code.display(), "Laptop de Diego")?;
    for i in 0..count {
        a.save_organization(org(i))?;
    }
    a.sync_office()?;
    let t = Instant::now();
    let report = b.sync_office()?;
    let applied = t.elapsed();
    assert_eq!(report.applied, count, "every change applied");
    let c = laptop(&dir.join("c"), "Ana")?;
    let t = Instant::now();
    for i in 0..count {
        c.save_organization(org(i))?;
    }
    let saved = t.elapsed();
    say(&format!(
        "  {count} remote changes applied in {:.2} s, saved locally in {:.2} s",
        applied.as_secs_f64(),
        saved.as_secs_f64()
    ));
    let per = |d: Duration| d.as_secs_f64() * 1e3 / count as f64;
    Ok(Figure::new(&format!("apply a colleague's {count} changes"), None, "ms", Stats::single(applied.as_secs_f64() * 1e3))
        .peer(&format!("the same {count} records saved on this laptop, each durably"), Stats::single(saved.as_secs_f64() * 1e3))
        .note(format!(
            "read from the shared folder, opened (XChaCha20-Poly1305), merged field by field and committed with the cursor, one durable change each: {:.3} ms a change against {:.3} ms a local save",
            per(applied),
            per(saved)
        )))
}

/// A save on laptop A until laptop B shows it, through Syncthing on loopback (each laptop
/// going over its folder as the app does), against a plain file written in A's folder until
/// it is in B's.
pub fn save_to_seen(o: &Options, dir: &Path) -> Result<Figure> {
    let dir = dir.join("sharing-syncthing");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let cluster = Cluster::start(&dir, 2);
    let a = laptop(&dir.join("a"), "Laura")?;
    let b = laptop(&dir.join("b"), "Diego")?;
    a.create_office(cluster.folder(0), "Laptop de Laura")?;
    let code = a.invite_laptop()?;
    let patience = Duration::from_secs(120);
    Cluster::wait_until("the office in the second folder", patience, || cluster.has_invitation(1));
    b.join_office(cluster.folder(1), &code.display(), "Laptop de Diego")?;
    let (mut ours, mut files) = (Vec::new(), Vec::new());
    for i in 0..reps(o, 15) {
        let t = Instant::now();
        let saved = a.save_organization(org(i))?;
        a.sync_office()?;
        Cluster::wait_until("the save on the other laptop", patience, || {
            b.sync_office().is_ok() && b.get::<Organization>(&saved.id).is_ok()
        });
        ours.push(t.elapsed());
        let name = format!("plain-{i}.txt");
        let t = Instant::now();
        vinculo_core::write_atomically(&cluster.folder(0).join(&name), format!("nota {i}").as_bytes())?;
        Cluster::wait_until("the file in the other folder", patience, || {
            cluster.folder(1).join(&name).exists()
        });
        files.push(t.elapsed());
    }
    Ok(Figure::new("save on one laptop to shown on another, Syncthing", None, "ms", Stats::millis(&ours))
        .peer("a plain file written in one folder until it is in the other", Stats::millis(&files))
        .note("two Syncthing 1.19 instances on loopback (file watcher delay 1 s); the laptops go over their folders every 20 ms here, every 2 s in the app"))
}
