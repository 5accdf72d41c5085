//! Nothing acknowledged is lost, proven with figures (a test binary of its own that prints
//! them, run by the README test command):
//!
//! - kill -9 during writes: a writer process on the store's public API (meetings with their
//!   commitments, deletes, batch imports) killed at random moments, the store reopened and
//!   checked: every acknowledged change present, no multi-record change half applied;
//! - kill -9 during the migration of a schema 1 store;
//! - kill -9 while a colleague's changes are applied from the office's shared folder: each
//!   applied once, in order, none lost;
//! - damaged stores (random bytes, zeroed blocks, truncation, deleted files): never a panic,
//!   either clean or reported damaged, and the newest backup restores;
//! - a full disk and a read-only data folder (tmpfs mounts: CI runs as root): an error, no
//!   crash, nothing acknowledged lost, and saving works again once space returns.

#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use vinculo_core::backup::{self, BackupKind};
use vinculo_core::*;

/// The core tests' fixtures (this binary uses a few of them).
#[path = "../core/fixtures.rs"]
#[allow(dead_code)]
mod fixtures;
use fixtures::{all_records, fixture_v1, fixture_v1_records};

const CHILD: &str = "VINCULO_DURABILITY_CHILD";

/// Every store here but the migrated fixture's (written by schema 1, in the clear) is
/// encrypted, as the app makes them: the figures hold with encryption on. The key derivation
/// runs at its least cost (`KdfParams::MINIMUM`): it is not what is measured, and each of the
/// 200 writers killed unwraps the key once.
const PASSPHRASE: &str = "la frase de la prueba de durabilidad";

/// Opens the encrypted store under `dir`, making it the first time.
fn open(dir: &Path) -> Result<Store> {
    if is_encrypted(dir) {
        Store::unlock(dir, &Secret::Passphrase(PASSPHRASE))
    } else {
        Store::create_encrypted(dir, PASSPHRASE, KdfParams::MINIMUM).map(|(store, _)| store)
    }
}

fn main() {
    if let Ok(mode) = std::env::var(CHILD) {
        let dir = PathBuf::from(std::env::var("VINCULO_DURABILITY_DIR").unwrap());
        let seed: u64 = std::env::var("VINCULO_DURABILITY_SEED").unwrap().parse().unwrap();
        match mode.as_str() {
            "writer" => writer(&dir, seed),
            "migrate" => {
                Store::open(&dir).unwrap().close().unwrap();
            }
            "apply" => {
                open(&dir).unwrap().sync_office().unwrap();
            }
            other => panic!("unknown child mode {other}"),
        }
        return;
    }
    let cycles: usize = std::env::var("VINCULO_KILL_CYCLES").ok().and_then(|s| s.parse().ok()).unwrap_or(200);
    let results = [
        ("kill -9 during writes", kill_during_writes(cycles)),
        ("kill -9 during migration", kill_during_migration(40)),
        ("kill -9 while applying a colleague's changes", kill_during_apply(24)),
        ("damaged stores", damaged_stores(60)),
        ("full disk", full_disk()),
        ("read-only data folder", read_only()),
    ];
    let failed: Vec<&(&str, Result<(), String>)> = results.iter().filter(|(_, r)| r.is_err()).collect();
    for (name, r) in &results {
        match r {
            Ok(()) => println!("durability: {name}: ok"),
            Err(e) => println!("durability: {name}: FAILED: {e}"),
        }
    }
    // The line `cargo xtask test` adds up.
    println!(
        "test result: {}. {} passed; {} failed",
        if failed.is_empty() { "ok" } else { "FAILED" },
        results.len() - failed.len(),
        failed.len()
    );
    if !failed.is_empty() {
        std::process::exit(1);
    }
}

/// A small deterministic generator (xorshift), so a failing cycle can be replayed.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize].as_secs_f64() * 1e3
}

// ------------------------------------------------------------------ kill -9 during writes

/// The child: writes until it is killed, acknowledging each change in `acks` (fsynced) only
/// once the store has returned from it.
fn writer(dir: &Path, seed: u64) {
    let store = open(dir).unwrap();
    let mut acks = std::fs::OpenOptions::new().create(true).append(true).open(dir.join("acks")).unwrap();
    let mut ack = |line: String| {
        acks.write_all(format!("{line}\n").as_bytes()).unwrap();
        acks.sync_data().unwrap();
    };
    let org = match store.list(RecordKind::Organization).first() {
        Some(o) => o.id.clone(),
        None => {
            store
                .save_organization(Organization { name_es: "Organismo".into(), ..Organization::default() })
                .unwrap()
                .id
        }
    };
    let mut rng = Rng::new(seed);
    let mut mine: Vec<Id> = Vec::new();
    for n in 0.. {
        match rng.below(10) {
            0..=5 => {
                let k = rng.below(4) as usize;
                let saved = store
                    .save_meeting(
                        WithCommitments {
                            record: Meeting {
                                title: format!("S{seed}-{n} k={k}"),
                                date: "2026-12-01".into(),
                                organization_ids: vec![org.clone()],
                                ..Meeting::default()
                            },
                            commitments: (0..k)
                                .map(|i| Commitment {
                                    description: format!("compromiso {i}"),
                                    ..Commitment::default()
                                })
                                .collect(),
                        },
                        &[],
                    )
                    .unwrap();
                ack(format!("save {} {k}", saved.record.id));
                mine.push(saved.record.id);
            }
            6 | 7 if !mine.is_empty() => {
                let id = mine.swap_remove(rng.below(mine.len() as u64) as usize);
                let revision = store.get::<Meeting>(&id).unwrap().revision;
                // Said first: killed after the delete and before its acknowledgement, the
                // meeting is gone though its save is the last thing acknowledged of it.
                ack(format!("deleting {id}"));
                store.delete_meeting(&id, revision).unwrap();
                ack(format!("del {id}"));
            }
            _ => {
                let tag = format!("B{seed}-{n}");
                let batch: Vec<AnyRecord> = (0..20)
                    .map(|i| {
                        Contact {
                            full_name: format!("Persona {i}"),
                            notes: tag.clone(),
                            ..Contact::default()
                        }
                        .into()
                    })
                    .collect();
                store.insert_batch(batch).unwrap();
                ack(format!("batch {tag} 20"));
            }
        }
    }
}

fn kill_during_writes(cycles: usize) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let mut rng = Rng::new(7);
    let (mut acknowledged, mut lost, mut torn) = (0usize, 0usize, 0usize);
    // The audit log after each reopen: its chain must hold, and every acknowledged save must
    // have its entry (an entry is durable with its change).
    let (mut audit_entries, mut audit_broken, mut unlogged) = (0u64, 0usize, 0usize);
    let mut reopen = Vec::new();
    for cycle in 0..cycles {
        let mut child = Command::new(&exe)
            .env(CHILD, "writer")
            .env("VINCULO_DURABILITY_DIR", dir.path())
            .env("VINCULO_DURABILITY_SEED", cycle.to_string())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(5 + rng.below(60)));
        child.kill().unwrap();
        child.wait().unwrap();
        let started = Instant::now();
        let store = open(dir.path()).map_err(|e| format!("cycle {cycle}: the store does not reopen: {e}"))?;
        reopen.push(started.elapsed());

        let acks = std::fs::read_to_string(dir.path().join("acks")).unwrap_or_default();
        // A line cut by the kill was never acknowledged.
        let whole =
            if acks.ends_with('\n') { &acks[..] } else { &acks[..acks.rfind('\n').map_or(0, |i| i + 1)] };
        let mut meetings: HashMap<String, Option<usize>> = HashMap::new();
        let mut batches: Vec<(String, usize)> = Vec::new();
        // A delete under way when its writer was killed may or may not have happened.
        let mut deleting: Option<String> = None;
        for line in whole.lines() {
            let parts: Vec<&str> = line.split(' ').collect();
            match parts[..] {
                ["save", id, k] => {
                    meetings.insert(id.to_owned(), Some(k.parse().unwrap()));
                }
                ["deleting", id] => deleting = Some(id.to_owned()),
                ["del", id] => {
                    meetings.insert(id.to_owned(), None);
                    deleting = None;
                }
                ["batch", tag, n] => batches.push((tag.to_owned(), n.parse().unwrap())),
                ["kept", _] => deleting = None,
                _ => return Err(format!("cycle {cycle}: a strange acknowledgement {line}")),
            }
        }
        if let Some(id) = &deleting {
            // Settled now, and written down, since the next writer does not know it: the
            // delete happened (then it stands as acknowledged) or it did not.
            let gone = store.get::<Meeting>(&Id::parse(id).unwrap()).is_err();
            if gone {
                meetings.insert(id.clone(), None);
            }
            let line = if gone { format!("del {id}\n") } else { format!("kept {id}\n") };
            std::fs::OpenOptions::new()
                .append(true)
                .open(dir.path().join("acks"))
                .and_then(|mut f| f.write_all(line.as_bytes()))
                .unwrap();
        }
        acknowledged = meetings.len() + batches.len();
        let mut tags: HashMap<String, usize> = HashMap::new();
        for c in store.list(RecordKind::Contact) {
            let contact: Contact = store.get(&c.id).unwrap();
            *tags.entry(contact.notes).or_default() += 1;
        }
        for (id, expected) in &meetings {
            let id = Id::parse(id).unwrap();
            match (expected, store.get_meeting(&id)) {
                (Some(k), Ok(m)) if m.commitments.len() == *k => {}
                (None, Err(Error::NotFound { .. })) => {}
                (expected, found) => {
                    if lost == 0 {
                        eprintln!(
                            "cycle {cycle}: meeting {id} acknowledged as {expected:?}, found {:?}",
                            found.map(|m| m.commitments.len())
                        );
                    }
                    lost += 1;
                }
            }
        }
        for (tag, n) in &batches {
            if tags.get(tag) != Some(n) {
                if lost < 5 {
                    eprintln!("cycle {cycle}: batch {tag} acknowledged with {n}, found {:?}", tags.get(tag));
                }
                lost += 1;
            }
        }
        let (entries, verification) =
            store.audit_log().map_err(|e| format!("cycle {cycle}: the audit log does not read: {e}"))?;
        if !verification.intact {
            if audit_broken == 0 {
                eprintln!("cycle {cycle}: the audit log's chain breaks: {verification:?}");
            }
            audit_broken += 1;
        }
        audit_entries = verification.entries;
        let logged: std::collections::HashSet<&Id> =
            entries.iter().filter_map(|e| e.record.as_ref()).collect();
        for (id, expected) in &meetings {
            if expected.is_some() && !logged.contains(&Id::parse(id).unwrap()) {
                unlogged += 1;
            }
        }
        // Whatever was not acknowledged yet is all there or not at all.
        for m in store.list(RecordKind::Meeting) {
            let k: usize = m.title.rsplit("k=").next().and_then(|k| k.parse().ok()).unwrap_or(usize::MAX);
            if k != usize::MAX && store.commitments_of(&m.id).unwrap().len() != k {
                torn += 1;
            }
        }
        for (tag, n) in &tags {
            if tag.starts_with('B') && *n != 20 {
                torn += 1;
            }
        }
        for c in store.list(RecordKind::Commitment) {
            let source = store.get::<Commitment>(&c.id).unwrap().source;
            if source.is_none_or(|s| store.get_any(s.id()).is_err()) {
                torn += 1;
            }
        }
        store.close().unwrap();
    }
    reopen.sort();
    println!(
        "durability: kill -9 during writes: cycles {cycles}, acknowledged {acknowledged}, lost {lost}, torn {torn}, reopen p50 {:.1} ms p95 {:.1} ms",
        percentile(&reopen, 0.5),
        percentile(&reopen, 0.95)
    );
    println!(
        "durability: audit log after each kill: {audit_entries} entries, chain broken in {audit_broken} of {cycles} reopens, {unlogged} acknowledged saves without their entry"
    );
    if lost > 0 || torn > 0 || acknowledged == 0 {
        return Err(format!("lost {lost}, torn {torn}, acknowledged {acknowledged}"));
    }
    if audit_broken > 0 || unlogged > 0 || audit_entries == 0 {
        return Err(format!("audit log: broken in {audit_broken} reopens, {unlogged} saves unlogged"));
    }
    Ok(())
}

// ------------------------------------------------------------------ kill -9 during migration

fn kill_during_migration(cycles: usize) -> Result<(), String> {
    let expected = fixture_v1_records();
    let exe = std::env::current_exe().unwrap();
    let mut rng = Rng::new(11);
    let mut killed = 0;
    for cycle in 0..cycles {
        let dir = fixture_v1();
        let mut child = Command::new(&exe)
            .env(CHILD, "migrate")
            .env("VINCULO_DURABILITY_DIR", dir.path())
            .env("VINCULO_DURABILITY_SEED", "0")
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(rng.below(40_000)));
        let _ = child.kill();
        let status = child.wait().unwrap();
        if !status.success() {
            killed += 1;
        }
        let store = Store::open(dir.path()).map_err(|e| format!("cycle {cycle}: {e}"))?;
        if all_records(&store) != expected {
            return Err(format!("cycle {cycle}: the migrated store differs from the fixture"));
        }
        store.close().unwrap();
        let version: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("store.version")).unwrap()).unwrap();
        if version["schema"] != SCHEMA_VERSION {
            return Err(format!("cycle {cycle}: store.version says {}", version["schema"]));
        }
    }
    println!(
        "durability: kill -9 during migration: cycles {cycles}, killed before the end {killed}, every store migrated intact"
    );
    if killed == 0 {
        return Err("no kill landed before the migration ended".into());
    }
    Ok(())
}

// ------------------------------------------------------------------ kill -9 during applying

/// How many organizations the colleague creates, then changes once each.
const COLLEAGUE_ORGS: usize = 150;

/// Laptop B applies laptop A's changes (an organization created per change, then each
/// changed) and is killed at a random moment; reopened, it must hold exactly the changes up to
/// where its cursor says, then catch up with each applied once (the audit log names each
/// record change of A's once).
fn kill_during_apply(cycles: usize) -> Result<(), String> {
    let exe = std::env::current_exe().unwrap();
    let folder = tempfile::tempdir().unwrap();
    let a_dir = tempfile::tempdir().unwrap();
    let b_dir = tempfile::tempdir().unwrap();
    let a = open(a_dir.path()).unwrap();
    a.set_audit_user("Laura");
    a.create_office(folder.path(), "Laptop de Laura").unwrap();
    let code = a.invite_laptop().unwrap();
    let b = open(b_dir.path()).unwrap();
    b.set_audit_user("Diego");
    b.join_office(folder.path(), &code.display(), "Laptop de Diego").unwrap();
    b.close().unwrap();
    let mut ids = Vec::new();
    for i in 0..COLLEAGUE_ORGS {
        ids.push(a.save_organization(org_named(format!("Organismo {i}"))).unwrap().id);
    }
    for id in &ids {
        let mut o = a.get::<Organization>(id).unwrap();
        o.notes = "segunda versión".into();
        a.save_organization(o).unwrap();
    }
    let sent = a.sync_office().unwrap().sent;
    let laura = a.office_status().unwrap().laptop;
    let expected_frames = 2 * COLLEAGUE_ORGS;
    if sent < expected_frames {
        return Err(format!("laptop A sent {sent} changes, not {expected_frames}"));
    }
    let apply = |dir: &Path| {
        Command::new(&exe)
            .env(CHILD, "apply")
            .env("VINCULO_DURABILITY_DIR", dir)
            .env("VINCULO_DURABILITY_SEED", "0")
            .spawn()
            .unwrap()
    };
    // How long the whole applying takes here (start included): the kills land within it,
    // on a fast machine as on a slow one.
    let whole = {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(b_dir.path(), dir.path());
        let t = Instant::now();
        apply(dir.path()).wait().unwrap();
        t.elapsed()
    };
    let mut rng = Rng::new(23);
    let (mut killed, mut partial) = (0, 0);
    for cycle in 0..cycles {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(b_dir.path(), dir.path());
        let mut child = apply(dir.path());
        std::thread::sleep(Duration::from_micros(rng.below(whole.as_micros() as u64 + 1)));
        let _ = child.kill();
        if !child.wait().unwrap().success() {
            killed += 1;
        }
        let store = open(dir.path()).map_err(|e| format!("cycle {cycle}: {e}"))?;
        let status = store.office_status().map_err(|e| format!("cycle {cycle}: {e}"))?;
        let applied = status.laptops.iter().find(|l| l.laptop == laura).map_or(0, |l| l.applied) as usize;
        let check = |store: &Store, upto: usize| -> Result<(), String> {
            let orgs: Vec<Organization> =
                ids.iter().filter_map(|id| store.get::<Organization>(id).ok()).collect();
            let changed = orgs.iter().filter(|o| o.notes == "segunda versión").count();
            let want = (upto.min(COLLEAGUE_ORGS), upto.saturating_sub(COLLEAGUE_ORGS));
            if (orgs.len(), changed) != want {
                return Err(format!(
                    "cycle {cycle}: cursor at {upto}: {} organizations ({changed} changed), expected {want:?}",
                    orgs.len()
                ));
            }
            Ok(())
        };
        // Exactly what the cursor says: no change half applied, none applied beyond it.
        check(&store, applied)?;
        if applied > 0 && applied < expected_frames {
            partial += 1;
        }
        // Catching up applies the rest, each once.
        store.sync_office().map_err(|e| format!("cycle {cycle}: {e}"))?;
        check(&store, expected_frames)?;
        let (log, verification) = store.audit_log().unwrap();
        if !verification.intact {
            return Err(format!("cycle {cycle}: the audit log does not verify: {verification:?}"));
        }
        let from_laura = log.iter().filter(|e| e.who == "Laura" && e.record.is_some()).count();
        if from_laura != expected_frames {
            return Err(format!(
                "cycle {cycle}: {from_laura} audit entries for Laura's {expected_frames} changes"
            ));
        }
        store.close().unwrap();
    }
    println!(
        "durability: kill -9 while applying a colleague's changes ({} ms whole): cycles {cycles}, killed before the end {killed}, \
         stopped part-way {partial}; every store held exactly the changes its cursor named, then caught up: \
         {expected_frames} changes applied once each, lost 0",
        whole.as_millis()
    );
    if partial == 0 {
        return Err("no kill landed part-way through the applying".into());
    }
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

// ------------------------------------------------------------------ damaged stores

fn damaged_stores(trials: u64) -> Result<(), String> {
    let (mut crashes, mut clean, mut detected, mut recovered, mut silent) = (0, 0, 0, 0, 0);
    for seed in 0..trials {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let store = open(root).unwrap();
        store.load_sample("2026-11-24T18:00:00Z".parse().unwrap()).unwrap();
        store.backup(BackupKind::Daily, "2026-11-24T19:00:00Z".parse().unwrap()).unwrap();
        for n in 0..(seed % 5) {
            store
                .save_organization(Organization {
                    name_es: format!("Organismo {seed}-{n}"),
                    ..Organization::default()
                })
                .unwrap();
        }
        let newest = store.backup(BackupKind::Quit, "2026-11-24T20:00:00Z".parse().unwrap()).unwrap();
        let expected = all_records(&store);
        store.close().unwrap();

        let mut rng = Rng::new(seed);
        let db = root.join("store/db");
        let mut bytes = std::fs::read(&db).unwrap();
        let used = bytes.iter().rposition(|&b| b != 0).map_or(bytes.len(), |p| p + 1);
        match seed % 5 {
            0 => {
                for _ in 0..16 {
                    let at = rng.below(used as u64) as usize;
                    bytes[at] = rng.next() as u8;
                }
                std::fs::write(&db, &bytes).unwrap();
            }
            1 => {
                let at = rng.below(used as u64) as usize;
                let end = (at + 4096).min(bytes.len());
                bytes[at..end].fill(0);
                std::fs::write(&db, &bytes).unwrap();
            }
            2 => {
                bytes.truncate(rng.below(used as u64) as usize);
                std::fs::write(&db, &bytes).unwrap();
            }
            3 => {
                let file = ["store/db", "store/conf", "store.version"][rng.below(3) as usize];
                std::fs::remove_file(root.join(file)).unwrap();
            }
            _ => {
                // Two kinds at once: a damaged log and its counter gone.
                bytes.truncate(used / 2);
                std::fs::write(&db, &bytes).unwrap();
                std::fs::remove_file(root.join("store.seq")).unwrap();
            }
        }
        let opened = std::panic::catch_unwind(|| open(root).map(|s| (all_records(&s), s)));
        match opened {
            Err(_) => crashes += 1,
            Ok(Ok((records, s))) => {
                s.close().unwrap();
                if records == expected {
                    clean += 1;
                    continue;
                }
                // Opened short: a loss nothing beside the store could tell.
                silent += 1;
            }
            Ok(Err(_)) => detected += 1,
        }
        let key = Store::unwrap_key(root, &Secret::Passphrase(PASSPHRASE)).ok();
        backup::restore_backup(root, &newest.name, "2026-11-25T10:00:00Z".parse().unwrap(), key.as_ref())
            .map_err(|e| format!("seed {seed}: restoring: {e}"))?;
        let s = open(root).map_err(|e| format!("seed {seed}: after restoring: {e}"))?;
        if all_records(&s) == expected {
            recovered += 1;
        }
        s.close().unwrap();
    }
    println!(
        "durability: damaged stores: trials {trials}, crashes {crashes}, opened intact {clean}, reported damaged {detected}, opened short {silent}, recovered from the newest backup {recovered}"
    );
    if crashes > 0 || silent > 0 || recovered != detected {
        return Err(format!("crashes {crashes}, opened short {silent}, recovered {recovered} of {detected}"));
    }
    Ok(())
}

// ------------------------------------------------------------------ full disk and read-only

/// A tmpfs of `size` mounted on a new directory, unmounted when dropped.
struct Mount(tempfile::TempDir);

impl Mount {
    fn tmpfs(size: &str) -> Result<Mount, String> {
        let dir = tempfile::tempdir().unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            return Err("cannot mount a tmpfs: these checks run as root (CI does)".into());
        }
        Ok(Mount(dir))
    }

    fn remount(&self, options: &str) {
        let ok = Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(self.0.path())
            .status()
            .unwrap();
        assert!(ok.success(), "remount {options}");
    }

    fn path(&self) -> PathBuf {
        self.0.path().join("data")
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.0.path()).status();
    }
}

fn org_named(name: String) -> Organization {
    Organization { name_es: name, notes: "x".repeat(2000), ..Organization::default() }
}

fn full_disk() -> Result<(), String> {
    let mount = Mount::tmpfs("2m")?;
    let root = mount.path();
    let store = open(&root).map_err(|e| format!("open: {e}"))?;
    let mut acked = Vec::new();
    let mut refusals = Vec::new();
    for n in 0..4000 {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            store.save_organization(org_named(format!("O{n}")))
        })) {
            Err(_) => return Err(format!("a panic on save {n}")),
            Ok(Ok(o)) => acked.push(o.id),
            Ok(Err(e)) => {
                refusals.push(format!("{e:?}").split([' ', '(', '{']).next().unwrap_or_default().to_owned());
                if refusals.len() > 5 {
                    break;
                }
            }
        }
    }
    if refusals.is_empty() {
        return Err("the disk never filled".into());
    }
    if refusals.iter().any(|r| r != "DiskFull") {
        return Err(format!("refusals other than a full disk: {refusals:?}"));
    }
    // Space returns. sled refuses every write after an I/O error until it is reopened (the
    // app reopens its store after such an error): reopened, it saves again, and everything
    // acknowledged is there.
    mount.remount("size=64m");
    let _ = store.close();
    let store = open(&root).map_err(|e| format!("reopen: {e}"))?;
    acked.push(
        store
            .save_organization(org_named("después".into()))
            .map_err(|e| format!("after space returned: {e}"))?
            .id,
    );
    let missing = acked.iter().filter(|id| store.get::<Organization>(id).is_err()).count();
    println!(
        "durability: full disk: acknowledged {}, refused {} (disk full), lost {missing}, saves again once space returns",
        acked.len(),
        refusals.len()
    );
    store.close().unwrap();
    if missing > 0 { Err(format!("{missing} acknowledged saves lost")) } else { Ok(()) }
}

fn read_only() -> Result<(), String> {
    let mount = Mount::tmpfs("64m")?;
    let root = mount.path();
    let store = open(&root).map_err(|e| format!("open: {e}"))?;
    let mut acked: Vec<Id> =
        (0..20).map(|n| store.save_organization(org_named(format!("O{n}"))).unwrap().id).collect();
    store.close().unwrap();
    // The data folder read-only (a remount: root ignores file permissions). Linux refuses to
    // remount read-only under an open file written to, so the store is closed first: this is
    // the laptop that starts with its data folder read-only.
    mount.remount("ro");
    let opened = std::panic::catch_unwind(|| open(&root).map(|_| ()));
    let refused = match opened {
        Err(_) => return Err("a panic opening a read-only store".into()),
        Ok(Err(Error::Io(e))) if e.kind() == std::io::ErrorKind::ReadOnlyFilesystem => "read-only",
        Ok(other) => return Err(format!("opening read-only gave {other:?}")),
    };
    let written = std::panic::catch_unwind(|| write_atomically(&root.join("settings.json"), b"{}"));
    let settings = match written {
        Err(_) => return Err("a panic writing settings to a read-only folder".into()),
        Ok(Err(Error::Io(e))) if e.kind() == std::io::ErrorKind::ReadOnlyFilesystem => "read-only",
        Ok(other) => return Err(format!("writing settings read-only gave {other:?}")),
    };
    mount.remount("rw");
    let store = open(&root).map_err(|e| format!("reopen: {e}"))?;
    acked
        .push(store.save_organization(org_named("después".into())).map_err(|e| format!("after rw: {e}"))?.id);
    let missing = acked.iter().filter(|id| store.get::<Organization>(id).is_err()).count();
    println!(
        "durability: read-only data folder: opening refused as {refused}, settings refused as {settings}, lost {missing}, saves again once writable"
    );
    store.close().unwrap();
    if missing > 0 { Err(format!("{missing} acknowledged saves lost")) } else { Ok(()) }
}
