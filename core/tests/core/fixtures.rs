use vinculo_core::*;

pub struct TestStore {
    pub store: Store,
    pub dir: tempfile::TempDir,
}

impl std::ops::Deref for TestStore {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.store
    }
}

impl TestStore {
    /// Closes and reopens the store on the same directory.
    pub fn reopen(self) -> TestStore {
        let dir = self.close();
        let store = Store::open(dir.path()).expect("reopen");
        TestStore { store, dir }
    }

    /// Closes the store and hands back its directory.
    pub fn close(self) -> tempfile::TempDir {
        let TestStore { store, dir } = self;
        store.close().expect("close");
        dir
    }
}

/// Cuts the sled log of the (closed) store under `root` to a third and blanks its write-ahead
/// log (which could otherwise give the lost changes back): a damaged store.
pub fn cut_log(root: &std::path::Path) {
    cut_sled_log(root);
    let wal = root.join("store.wal");
    let len = std::fs::metadata(&wal).expect("the write-ahead log").len();
    std::fs::write(&wal, vec![0u8; len as usize]).expect("blank");
}

/// Cuts the sled log of the (closed) store under `root` to a third.
pub fn cut_sled_log(root: &std::path::Path) {
    let f = std::fs::OpenOptions::new().write(true).open(root.join("store/db")).expect("the log");
    f.set_len(f.metadata().expect("metadata").len() / 3).expect("cut");
}

pub fn store() -> TestStore {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path()).expect("open a fresh store");
    TestStore { store, dir }
}

pub fn org(acronym: &str, name_es: &str) -> Organization {
    Organization { acronym_es: acronym.into(), name_es: name_es.into(), ..Organization::default() }
}

pub fn contact(name: &str, org: Option<&Id>) -> Contact {
    Contact { full_name: name.into(), organization_id: org.cloned(), ..Contact::default() }
}

pub fn meeting(title: &str, date: &str, orgs: &[&Id]) -> Meeting {
    Meeting {
        title: title.into(),
        date: date.into(),
        organization_ids: orgs.iter().map(|&i| i.clone()).collect(),
        ..Meeting::default()
    }
}

pub fn agreement(title: &str, orgs: &[&Id]) -> Agreement {
    Agreement {
        title: title.into(),
        counterpart_ids: orgs.iter().map(|&i| i.clone()).collect(),
        ..Agreement::default()
    }
}

pub fn commitment(description: &str, due: Option<&str>) -> Commitment {
    Commitment { description: description.into(), due_on: due.map(str::to_owned), ..Commitment::default() }
}

pub fn with(record: Meeting, commitments: Vec<Commitment>) -> WithCommitments<Meeting> {
    WithCommitments { record, commitments }
}

pub fn violations(err: Error) -> Vec<(String, Code)> {
    match err {
        Error::Invalid(v) => v.into_iter().map(|v| (v.field, v.code)).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

pub fn has(err: Error, field: &str, code: Code) {
    let found = violations(err);
    assert!(found.iter().any(|(f, c)| f == field && *c == code), "expected {field}:{code:?} in {found:?}");
}

/// An instant at noon in Mexico City on `date`.
pub fn at(date: &str) -> jiff::Timestamp {
    let d: jiff::civil::Date = date.parse().expect("a test date");
    d.at(12, 0, 0, 0).in_tz("America/Mexico_City").expect("zone").timestamp()
}

/// Every reference of every record points at a record that exists.
pub fn assert_no_dangling(store: &Store) {
    for kind in RecordKind::ALL {
        for r in store.list(kind) {
            let record = store.get_any(&r.id).expect("listed records load");
            for target in record.references() {
                assert!(store.get_any(target).is_ok(), "{} points at missing {}", r.id, target);
            }
        }
    }
}

/// A copy of the fixture store written by schema 1, in a temporary directory.
pub fn fixture_v1() -> tempfile::TempDir {
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/store-v1");
    let dir = tempfile::tempdir().unwrap();
    for file in ["store.version", "store/conf", "store/db"] {
        let to = dir.path().join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from.join(file), to).unwrap();
    }
    dir
}

/// The fixture's records as schema 1 read them.
pub fn fixture_v1_records() -> Vec<AnyRecord> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/store-v1.records.json");
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

pub fn all_records(s: &Store) -> Vec<AnyRecord> {
    let mut all: Vec<AnyRecord> =
        RecordKind::ALL.iter().flat_map(|k| s.list(*k)).map(|r| s.get_any(&r.id).unwrap()).collect();
    all.sort_by(|a, b| a.id().cmp(b.id()));
    all
}

/// Every file under `root`, recursively.
pub fn files_under(root: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![root.to_owned()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() { dirs.push(path) } else { out.push(path) }
        }
    }
    out
}

/// Every row of the list of `kind` as of `now` (the fixtures' lists fit in one page).
pub fn list_of(s: &Store, kind: RecordKind, now: jiff::Timestamp) -> RecordList {
    let page = s.list_page(&ListQuery::of(kind, MAX_LIST_PAGE), now).expect("a list");
    assert!(page.total <= MAX_LIST_PAGE, "one page holds the list");
    page.rows
}

/// Every row of a home section as of `now`, as its «Ver todos» lists it.
pub fn section_of(s: &Store, section: HomeSection, now: jiff::Timestamp) -> RecordList {
    let mut q = ListQuery::of(section.kind(), MAX_LIST_PAGE);
    q.section = Some(section);
    s.list_page(&q, now).expect("a section").rows
}
