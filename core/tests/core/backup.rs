//! Backups: verified snapshots beside the store, rotated; restoring one sets the current store
//! aside, and putting that back undoes it.

use crate::fixtures::*;
use crate::migration::all_records;
use vinculo_core::backup::{self, BackupKind};
use vinculo_core::*;

#[test]
fn a_backup_is_verified_remembered_and_reads_back_as_the_store() {
    let s = store();
    s.load_sample(at("2026-11-24")).unwrap();
    assert!(s.changed_since_backup(), "never backed up");
    let dir = s.dir.path().join("backups");
    let b = s.backup(&dir, BackupKind::Manual, at("2026-11-25")).unwrap();
    assert!(b.name.ends_with(&format!("-manual-{}-{}.json.gz", s.len(), s.seq())), "{}", b.name);
    assert_eq!(b.seq, s.seq());
    assert_eq!(backup::list_backups(&dir), std::slice::from_ref(&b));
    assert!(!s.changed_since_backup());
    assert_eq!(s.last_backup().unwrap().name, b.name);
    let mut back = backup::read_backup(&dir.join(&b.name)).unwrap().records();
    back.sort_by(|a, b| a.id().cmp(b.id()));
    assert_eq!(back, all_records(&s));
    assert!(b.bytes < 8_000, "compressed: {} bytes", b.bytes);
    s.save_organization(org("X", "Cambio posterior")).unwrap();
    assert!(s.changed_since_backup());
    // Nothing half-written is ever listed.
    assert!(
        std::fs::read_dir(&dir).unwrap().all(|e| !e.unwrap().file_name().to_string_lossy().starts_with('.'))
    );
}

#[test]
fn rotation_keeps_seven_days_and_four_weeks() {
    let dir = tempfile::tempdir().unwrap();
    let mut day: jiff::Timestamp = "2026-11-25T20:00:00Z".parse().unwrap();
    for _ in 0..60 {
        for hour in [0, 3] {
            let at = day.checked_sub(jiff::SignedDuration::from_hours(hour)).unwrap();
            let name = format!("vinculo-{}-daily-10-1.json.gz", at.strftime("%Y%m%dT%H%M%SZ"));
            std::fs::write(dir.path().join(name), b"").unwrap();
        }
        day = day.checked_sub(jiff::SignedDuration::from_hours(24)).unwrap();
    }
    let deleted = backup::prune(dir.path()).unwrap();
    let kept = backup::list_backups(dir.path());
    assert_eq!(kept.len() + deleted.len(), 120);
    assert_eq!(kept.len(), 7 + 4, "the newest of each of the last 7 days, then of 4 earlier weeks");
    let days: std::collections::HashSet<_> =
        kept.iter().map(|b| b.taken_at.strftime("%F").to_string()).collect();
    assert_eq!(days.len(), 11, "one a day at most");
    assert_eq!(kept[0].taken_at, "2026-11-25T20:00:00Z".parse().unwrap(), "the newest stays");
    assert!(backup::prune(dir.path()).unwrap().is_empty(), "stable");
}

#[test]
fn restoring_sets_the_store_aside_and_putting_that_back_undoes_it() {
    let s = store();
    s.load_sample(at("2026-11-24")).unwrap();
    let dir = s.dir.path().join("backups");
    let b = s.backup(&dir, BackupKind::Daily, at("2026-11-25")).unwrap();
    let at_backup = all_records(&s);
    let later = s.save_organization(org("NUEVO", "Organismo posterior al respaldo")).unwrap();
    let with_later = all_records(&s);
    let TestStore { store, dir: root } = s;
    store.close().unwrap();

    let aside = backup::restore_backup(root.path(), &dir.join(&b.name), at("2026-11-26")).unwrap().unwrap();
    let s = Store::open(root.path()).unwrap();
    assert_eq!(all_records(&s), at_backup);
    assert!(s.get::<Organization>(&later.id).is_err());
    s.close().unwrap();
    let asides = backup::list_set_aside(root.path());
    assert_eq!(asides[0].name, aside);

    backup::restore_set_aside(root.path(), &aside, at("2026-11-27")).unwrap();
    let s = Store::open(root.path()).unwrap();
    assert_eq!(all_records(&s), with_later, "undone");
    s.close().unwrap();
    assert_eq!(backup::list_set_aside(root.path()).len(), 1, "the restored store is now the one aside");
}

#[test]
fn a_damaged_store_is_set_aside_and_the_newest_backup_restores() {
    let s = store();
    s.load_sample(at("2026-11-24")).unwrap();
    let dir = s.dir.path().join("backups");
    s.backup(&dir, BackupKind::Daily, at("2026-11-24")).unwrap();
    s.save_organization(org("OTRO", "Otro organismo")).unwrap();
    let newest = s.backup(&dir, BackupKind::Quit, at("2026-11-25")).unwrap();
    let expected = all_records(&s);
    let TestStore { store, dir: root } = s;
    store.close().unwrap();
    let db = root.path().join("store/db");
    let len = std::fs::metadata(&db).unwrap().len();
    let f = std::fs::OpenOptions::new().write(true).open(&db).unwrap();
    f.set_len(len / 3).unwrap();
    drop(f);
    assert!(matches!(Store::open(root.path()), Err(Error::Corrupt { .. })));
    assert_eq!(backup::list_backups(&dir)[0].name, newest.name);
    let aside =
        backup::restore_backup(root.path(), &dir.join(&newest.name), at("2026-11-26")).unwrap().unwrap();
    let s = Store::open(root.path()).unwrap();
    assert_eq!(all_records(&s), expected);
    assert!(
        root.path().join("set-aside").join(&aside).join("store/db").exists(),
        "the damaged files are kept"
    );
}

#[test]
fn a_swap_interrupted_at_any_step_completes() {
    // Set a store aside, for a fresh one, failing after each possible number of renames.
    for cut in 0..=3 {
        let s = store();
        s.save_organization(org("A", "Alfa")).unwrap();
        let TestStore { store, dir: root } = s;
        store.close().unwrap();
        // What `set_aside` does, stopped after `cut` of its three renames.
        let marker = serde_json::json!({"aside": "20261125T000000Z", "incoming": []});
        std::fs::create_dir_all(root.path().join(".incoming")).unwrap();
        std::fs::write(root.path().join("swap.json"), marker.to_string()).unwrap();
        let aside = root.path().join("set-aside/20261125T000000Z");
        std::fs::create_dir_all(&aside).unwrap();
        for f in ["store", "store.version", "store.seq"].iter().take(cut) {
            std::fs::rename(root.path().join(f), aside.join(f)).unwrap();
        }
        backup::complete_interrupted_swap(root.path()).unwrap();
        assert!(!root.path().join("swap.json").exists());
        let s = Store::open(root.path()).unwrap();
        assert!(s.is_empty(), "cut {cut}: a fresh store");
        s.close().unwrap();
        assert_eq!(backup::list_set_aside(root.path()).len(), 1, "cut {cut}");
        backup::restore_set_aside(root.path(), "20261125T000000Z", at("2026-11-26")).unwrap();
        assert_eq!(Store::open(root.path()).unwrap().len(), 1, "cut {cut}: the old store is whole");
    }
}
