//! Backups: verified snapshots beside the store, rotated; restoring one sets the current store
//! aside, and putting that back undoes it.

use crate::fixtures::*;
use vinculo_core::backup::{self, BackupKind};
use vinculo_core::*;

#[test]
fn a_backup_is_verified_remembered_and_reads_back_as_the_store() {
    let s = store();
    s.load_sample(at("2026-11-24")).unwrap();
    assert!(s.changed_since_backup(), "never backed up");
    let dir = backup::backup_dir(s.dir.path());
    let b = s.backup(BackupKind::Manual, at("2026-11-25")).unwrap();
    assert!(b.name.ends_with(&format!("-manual-{}-{}.json.gz", s.len(), s.seq())), "{}", b.name);
    assert_eq!(b.seq, s.seq());
    assert_eq!(backup::list_backups(s.dir.path()), std::slice::from_ref(&b));
    assert!(!s.changed_since_backup());
    assert_eq!(s.last_backup().unwrap().name, b.name);
    let mut back = backup::read_backup(&dir.join(&b.name), None).unwrap().records();
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
    let root = tempfile::tempdir().unwrap();
    let dir = backup::backup_dir(root.path());
    std::fs::create_dir_all(&dir).unwrap();
    let mut day: jiff::Timestamp = "2026-11-25T20:00:00Z".parse().unwrap();
    for _ in 0..60 {
        for hour in [0, 3] {
            let at = day.checked_sub(jiff::SignedDuration::from_hours(hour)).unwrap();
            let name = format!("vinculo-{}-daily-10-1.json.gz", at.strftime("%Y%m%dT%H%M%SZ"));
            std::fs::write(dir.join(name), b"").unwrap();
        }
        day = day.checked_sub(jiff::SignedDuration::from_hours(24)).unwrap();
    }
    let deleted = backup::prune(root.path()).unwrap();
    let kept = backup::list_backups(root.path());
    assert_eq!(kept.len() + deleted.len(), 120);
    assert_eq!(kept.len(), 7 + 4, "the newest of each of the last 7 days, then of 4 earlier weeks");
    let days: std::collections::HashSet<_> =
        kept.iter().map(|b| b.taken_at.strftime("%F").to_string()).collect();
    assert_eq!(days.len(), 11, "one a day at most");
    assert_eq!(kept[0].taken_at, "2026-11-25T20:00:00Z".parse().unwrap(), "the newest stays");
    assert!(backup::prune(root.path()).unwrap().is_empty(), "stable");
}

#[test]
fn restoring_sets_the_store_aside_and_putting_that_back_undoes_it() {
    let s = store();
    s.load_sample(at("2026-11-24")).unwrap();
    let b = s.backup(BackupKind::Daily, at("2026-11-25")).unwrap();
    let at_backup = all_records(&s);
    let later = s.save_organization(org("NUEVO", "Organismo posterior al respaldo")).unwrap();
    let with_later = all_records(&s);
    let root = s.close();

    let aside = backup::restore_backup(root.path(), &b.name, at("2026-11-26"), None).unwrap().unwrap();
    let s = Store::open(root.path()).unwrap();
    assert_eq!(all_records(&s), at_backup);
    assert!(s.get::<Organization>(&later.id).is_err());
    // The restored store is that backup: nothing changed since it, so no backup is due on quit.
    assert_eq!(s.last_backup().map(|l| (l.name, l.taken_at)), Some((b.name.clone(), b.taken_at)));
    assert!(!s.changed_since_backup());
    assert!(!s.backup_due(BackupKind::Quit, at("2026-11-26")));
    s.close().unwrap();
    let asides = backup::list_set_aside(root.path());
    assert_eq!(asides[0].name, aside);

    backup::restore_set_aside(root.path(), &aside, at("2026-11-27"), None).unwrap();
    let s = Store::open(root.path()).unwrap();
    assert_eq!(all_records(&s), with_later, "undone");
    s.close().unwrap();
    assert_eq!(backup::list_set_aside(root.path()).len(), 1, "the restored store is now the one aside");
}

#[test]
fn a_damaged_store_is_set_aside_and_the_newest_backup_restores() {
    let s = store();
    s.load_sample(at("2026-11-24")).unwrap();
    s.backup(BackupKind::Daily, at("2026-11-24")).unwrap();
    s.save_organization(org("OTRO", "Otro organismo")).unwrap();
    let newest = s.backup(BackupKind::Quit, at("2026-11-25")).unwrap();
    let expected = all_records(&s);
    let root = s.close();
    cut_log(root.path());
    assert!(matches!(Store::open(root.path()), Err(Error::Corrupt { .. })));
    assert_eq!(backup::list_backups(root.path())[0].name, newest.name);
    let aside = backup::restore_backup(root.path(), &newest.name, at("2026-11-26"), None).unwrap().unwrap();
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
        let root = s.close();
        // What `set_aside` does, stopped after `cut` of its three renames.
        let marker = serde_json::json!({"from": ".incoming", "aside": "20261125T000000Z", "incoming": []});
        std::fs::create_dir_all(root.path().join(".incoming")).unwrap();
        std::fs::write(root.path().join("swap.json"), marker.to_string()).unwrap();
        let aside = root.path().join("set-aside/20261125T000000Z");
        std::fs::create_dir_all(&aside).unwrap();
        for f in ["store", "store.version", "store.seq"].iter().take(cut) {
            std::fs::rename(root.path().join(f), aside.join(f)).unwrap();
        }
        // Opening the store (as the app does at start) finishes the swap first.
        let s = Store::open(root.path()).unwrap();
        assert!(!root.path().join("swap.json").exists());
        assert!(s.is_empty(), "cut {cut}: a fresh store");
        s.close().unwrap();
        assert_eq!(backup::list_set_aside(root.path()).len(), 1, "cut {cut}");
        backup::restore_set_aside(root.path(), "20261125T000000Z", at("2026-11-26"), None).unwrap();
        assert_eq!(Store::open(root.path()).unwrap().len(), 1, "cut {cut}: the old store is whole");
    }
}

#[test]
fn putting_back_a_set_aside_store_interrupted_at_any_step_completes() {
    for cut in 0..=6 {
        let s = store();
        s.save_organization(org("ACTUAL", "El almacén actual")).unwrap();
        let root = s.close();
        // A store set aside earlier, with its own record.
        let earlier = Store::open(&root.path().join("set-aside/20261120T000000Z")).unwrap();
        earlier.save_organization(org("ANTES", "El almacén apartado")).unwrap();
        earlier.close().unwrap();
        // What `restore_set_aside` does, stopped after `cut` of its six renames.
        let files = ["store", "store.version", "store.seq"];
        let marker = serde_json::json!({
            "from": "set-aside/20261120T000000Z", "aside": "20261125T000000Z", "incoming": files,
        });
        std::fs::write(root.path().join("swap.json"), marker.to_string()).unwrap();
        let (from, aside) =
            (root.path().join("set-aside/20261120T000000Z"), root.path().join("set-aside/20261125T000000Z"));
        std::fs::create_dir_all(&aside).unwrap();
        let renames = files
            .iter()
            .flat_map(|f| [(root.path().join(f), aside.join(f)), (from.join(f), root.path().join(f))]);
        for (a, b) in renames.take(cut) {
            std::fs::rename(a, b).unwrap();
        }
        let s = Store::open(root.path()).unwrap();
        let titles: Vec<String> = s.list(RecordKind::Organization).into_iter().map(|r| r.title).collect();
        assert!(titles.len() == 1 && titles[0].contains("apartado"), "cut {cut}: {titles:?}");
        s.close().unwrap();
        let asides = backup::list_set_aside(root.path());
        assert_eq!(asides.len(), 1, "cut {cut}: the emptied place is gone, the current store is aside");
        assert_eq!(Store::open(&aside).unwrap().len(), 1, "cut {cut}: the current store is whole");
    }
}

#[test]
fn a_set_aside_store_that_does_not_open_stays_set_aside() {
    let s = store();
    s.save_organization(org("ACTUAL", "El almacén actual")).unwrap();
    let root = s.close();
    let place = root.path().join("set-aside/20261120T000000Z");
    let earlier = Store::open(&place).unwrap();
    earlier.load_sample(at("2026-11-20")).unwrap();
    earlier.close().unwrap();
    cut_log(&place);
    let db = place.join("store/db");

    let refused = backup::restore_set_aside(root.path(), "20261120T000000Z", at("2026-11-25"), None);
    assert!(matches!(refused, Err(Error::Corrupt { .. })), "{refused:?}");
    assert_eq!(backup::list_set_aside(root.path())[0].name, "20261120T000000Z", "still listed");
    assert!(db.exists(), "kept where it lay");
    assert_eq!(Store::open(root.path()).unwrap().len(), 1, "the current store stays");
    // Not removed by whatever comes next either.
    backup::set_aside(root.path(), at("2026-11-26"), None).unwrap();
    assert!(db.exists());
    assert_eq!(backup::list_set_aside(root.path()).len(), 2);
}

#[test]
fn a_damaged_backup_restores_nothing() {
    let s = store();
    s.save_organization(org("ACTUAL", "El almacén actual")).unwrap();
    let bad = "vinculo-20261125T000000Z-daily-1-1.json.gz";
    let dir = backup::backup_dir(s.dir.path());
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(bad), b"\x1f\x8b not really gzip").unwrap();
    let root = s.close();
    let refused = backup::restore_backup(root.path(), bad, at("2026-11-26"), None);
    match refused {
        Err(Error::Invalid(v)) => {
            assert_eq!((v[0].field.as_str(), v[0].code), ("backup", Code::DamagedBackup))
        }
        other => panic!("{other:?}"),
    }
    // A name that is not one of the listed backups is no choice at all.
    for name in ["../store/db", "vinculo-x.json.gz", "vinculo-20261125T000000Z-daily-1-9.json.gz"] {
        match backup::restore_backup(root.path(), name, at("2026-11-26"), None) {
            Err(Error::Invalid(v)) => {
                assert_eq!((v[0].field.as_str(), v[0].code), ("name", Code::InvalidChoice))
            }
            other => panic!("{name}: {other:?}"),
        }
    }
    assert_eq!(Store::open(root.path()).unwrap().len(), 1);
    assert!(backup::list_set_aside(root.path()).is_empty());
}

#[test]
fn a_swap_marker_naming_a_place_outside_the_store_is_refused() {
    let s = store();
    s.save_organization(org("ACTUAL", "El almacén actual")).unwrap();
    let root = s.close();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("keep.txt"), b"x").unwrap();
    let outside_path = outside.path().to_str().unwrap().to_owned();
    for from in ["", "..", "../x", "set-aside/../..", "set-aside/.hidden", "/tmp", &outside_path] {
        let marker = serde_json::json!({"from": from, "aside": "20261125T000000Z", "incoming": []});
        std::fs::write(root.path().join("swap.json"), marker.to_string()).unwrap();
        assert!(matches!(Store::open(root.path()), Err(Error::Corrupt { .. })), "{from:?}");
    }
    std::fs::remove_file(root.path().join("swap.json")).unwrap();
    assert_eq!(Store::open(root.path()).unwrap().len(), 1, "nothing moved or removed");
    assert!(outside.path().join("keep.txt").exists(), "nothing outside touched");
}
