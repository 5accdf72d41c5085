//! Two laptops' stores sharing through two real Syncthing instances on loopback (a test binary
//! of its own that prints its counts, run by the README test command, which installs
//! Debian's `syncthing`): edits on both, online and with one laptop offline, converge; the
//! conflict and the delete made without seeing a change are surfaced on both; nothing is lost.

#![allow(clippy::unwrap_used, clippy::print_stdout)]

mod cluster;

use cluster::Cluster;
use std::time::Duration;
use vinculo_core::*;

#[path = "../core/fixtures.rs"]
#[allow(dead_code)]
mod fixtures;
use fixtures::all_records;

const PATIENCE: Duration = Duration::from_secs(180);

fn laptop(dir: &std::path::Path, who: &str) -> Store {
    let (store, _) = Store::create_encrypted(dir, "la frase de la oficina", KdfParams::MINIMUM).unwrap();
    store.set_audit_user(who);
    store
}

/// The records as the office shares them (each laptop's own revision and time left out).
fn shared_view(s: &Store) -> Vec<serde_json::Value> {
    all_records(s)
        .into_iter()
        .map(|r| {
            let mut v = serde_json::to_value(&r).unwrap();
            let o = v["record"].as_object_mut().unwrap();
            o.remove("revision");
            o.remove("updatedAt");
            v
        })
        .collect()
}

/// Both laptops go over their folders until each has applied every change the other made.
fn converge(a: &Store, b: &Store) -> Duration {
    Cluster::wait_until("the two laptops to converge", PATIENCE, || {
        a.sync_office().unwrap();
        b.sync_office().unwrap();
        let (sa, sb) = (a.office_status().unwrap(), b.office_status().unwrap());
        let made = |s: &share::OfficeStatus| s.laptops.iter().find(|l| l.this).map(|l| l.applied).unwrap();
        let got = |s: &share::OfficeStatus, from: &str| {
            s.laptops.iter().find(|l| l.laptop == from).map(|l| l.applied).unwrap_or(0)
        };
        sa.waiting == 0
            && sb.waiting == 0
            && got(&sa, &sb.laptop) == made(&sb)
            && got(&sb, &sa.laptop) == made(&sa)
            && shared_view(a) == shared_view(b)
    })
}

fn main() {
    let root = tempfile::tempdir().unwrap();
    let mut cluster = Cluster::start(root.path(), 2);
    let a = laptop(&root.path().join("a"), "Laura");
    let b = laptop(&root.path().join("b"), "Diego");
    a.create_office(cluster.folder(0), "Laptop de Laura").unwrap();
    let code = a.invite_laptop().unwrap();
    // Syncthing brings the office and the invitation to Diego's folder.
    let first =
        Cluster::wait_until("the office in the second folder", PATIENCE, || cluster.has_invitation(1));
    b.join_office(cluster.folder(1), &code.display(), "Laptop de Diego").unwrap();

    // Online: each adds records.
    let mut made = Vec::new();
    for i in 0..15 {
        made.push(
            a.save_organization(fixtures::org(&format!("ORG{i}"), &format!("Organismo {i}"))).unwrap().id,
        );
        made.push(b.save_contact(fixtures::contact(&format!("Persona {i}"), None)).unwrap().id);
    }
    let online = converge(&a, &b);

    // Diego's laptop goes offline; both go on working.
    cluster.pause(1);
    let shared_org = made[0].clone();
    let person = made[1].clone();
    let mut on_a = a.get::<Organization>(&shared_org).unwrap();
    on_a.city = "Ginebra".into();
    a.save_organization(on_a).unwrap();
    let kept = a.get::<Contact>(&person).unwrap();
    a.delete_contact(&person, kept.revision).unwrap();
    std::thread::sleep(Duration::from_millis(5));
    let mut on_b = b.get::<Organization>(&shared_org).unwrap();
    on_b.city = "Nueva York".into();
    b.save_organization(on_b).unwrap();
    let mut fixed = b.get::<Contact>(&person).unwrap();
    fixed.post = "Directora".into();
    b.save_contact(fixed).unwrap();
    for i in 15..20 {
        made.push(
            a.save_organization(fixtures::org(&format!("ORG{i}"), &format!("Organismo {i}"))).unwrap().id,
        );
        made.push(b.save_contact(fixtures::contact(&format!("Persona {i}"), None)).unwrap().id);
    }
    a.sync_office().unwrap();
    b.sync_office().unwrap();
    std::thread::sleep(Duration::from_secs(2));
    b.sync_office().unwrap();
    assert!(b.get::<Organization>(&made[30]).is_err(), "offline: nothing of Laura's came");
    cluster.resume(1);
    let offline = converge(&a, &b);

    // Counts.
    let (sa, sb) = (a.office_status().unwrap(), b.office_status().unwrap());
    let made_changes: u64 =
        [&sa, &sb].iter().map(|s| s.laptops.iter().find(|l| l.this).unwrap().applied).sum();
    let applied: u64 =
        [&sa, &sb].iter().map(|s| s.laptops.iter().filter(|l| !l.this).map(|l| l.applied).sum::<u64>()).sum();
    let lost = made.iter().filter(|id| a.get_any(id).is_err() || b.get_any(id).is_err()).count();
    let conflicts: Vec<usize> = [&a, &b].iter().map(|s| s.office_status().unwrap().conflicts.len()).collect();
    let copies: usize = walk(cluster.folder(0))
        .chain(walk(cluster.folder(1)))
        .filter(|p| p.contains(".sync-conflict-"))
        .count();
    println!(
        "syncthing: 2 laptops over 2 Syncthing instances on loopback: changes made {made_changes}, changes applied {applied}, \
         conflicts {} (one field changed on both, one delete that missed a change), lost {lost}, sync-conflict copies {copies}; \
         first sync {:.1} s, converged online in {:.1} s and after being offline in {:.1} s",
        conflicts[0],
        first.as_secs_f64(),
        online.as_secs_f64(),
        offline.as_secs_f64()
    );
    let mut failures = Vec::new();
    if applied != made_changes {
        failures.push(format!("{applied} applied of {made_changes} made"));
    }
    if lost != 0 {
        failures.push(format!("{lost} records lost"));
    }
    if conflicts != [2, 2] {
        failures.push(format!("conflicts {conflicts:?}, expected 2 on each"));
    }
    let org = a.get::<Organization>(&shared_org).unwrap();
    let sharing = a.record_sharing(&shared_org).unwrap();
    if org.city != "Nueva York"
        || sharing.conflicts.first().map(|c| c.value.clone()) != Some("Ginebra".into())
    {
        failures.push(format!(
            "the later city should stand with the other as a conflict: {} / {:?}",
            org.city, sharing.conflicts
        ));
    }
    if b.record_sharing(&person).unwrap().deleted_by.is_none() {
        failures.push("the delete that missed Diego's change is not waiting for confirmation".into());
    }
    if copies != 0 {
        failures.push(format!("{copies} sync-conflict copies"));
    }
    let ok = failures.is_empty();
    for f in &failures {
        println!("syncthing: FAILED: {f}");
    }
    println!(
        "test result: {}. {} passed; {} failed",
        if ok { "ok" } else { "FAILED" },
        usize::from(ok),
        usize::from(!ok)
    );
    drop(cluster);
    if !ok {
        std::process::exit(1);
    }
}

fn walk(dir: &std::path::Path) -> impl Iterator<Item = String> {
    fixtures::files_under(dir).into_iter().map(|p| p.display().to_string())
}
