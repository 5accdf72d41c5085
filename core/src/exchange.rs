//! Everything in a store as one file, and back: the versioned export format (documented in
//! `docs/export-format.md`), the consistent snapshot every export and backup is made of, and
//! the import that merges a file into a store — same id by revision and `updatedAt`, likely
//! duplicates listed for the user to merge or keep, nothing overwritten without saying so.

use crate::error::{Code, Error, Result, Violation};
use crate::model::{
    Agreement, AnyRecord, Commitment, Contact, Id, Meeting, Organization, RecordKind, RecordRef,
};
use crate::store::{SCHEMA_VERSION, Store};
use crate::text::fold;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// What the `format` field of an export says.
pub const EXPORT_FORMAT: &str = "vinculo-export";
/// The export format's version this build writes and reads.
pub const EXPORT_VERSION: u32 = 1;

/// A whole store at one point in time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Export {
    pub format: String,
    pub version: u32,
    pub exported_at: Timestamp,
    /// The schema of the store it was taken from (informative).
    pub schema: u32,
    #[serde(default)]
    pub organizations: Vec<Organization>,
    #[serde(default)]
    pub contacts: Vec<Contact>,
    #[serde(default)]
    pub meetings: Vec<Meeting>,
    #[serde(default)]
    pub agreements: Vec<Agreement>,
    #[serde(default)]
    pub commitments: Vec<Commitment>,
}

impl Export {
    /// An export of `records`, taken at `at`.
    pub fn new(records: Vec<AnyRecord>, at: Timestamp) -> Export {
        let mut e = Export {
            format: EXPORT_FORMAT.into(),
            version: EXPORT_VERSION,
            exported_at: at,
            schema: SCHEMA_VERSION,
            organizations: Vec::new(),
            contacts: Vec::new(),
            meetings: Vec::new(),
            agreements: Vec::new(),
            commitments: Vec::new(),
        };
        for r in records {
            match r {
                AnyRecord::Organization(r) => e.organizations.push(r),
                AnyRecord::Contact(r) => e.contacts.push(r),
                AnyRecord::Meeting(r) => e.meetings.push(r),
                AnyRecord::Agreement(r) => e.agreements.push(r),
                AnyRecord::Commitment(r) => e.commitments.push(r),
            }
        }
        e
    }

    /// Every record, organizations first (the order an import needs nothing of).
    pub fn records(&self) -> Vec<AnyRecord> {
        let o = self.organizations.iter().cloned().map(AnyRecord::from);
        let c = self.contacts.iter().cloned().map(AnyRecord::from);
        let m = self.meetings.iter().cloned().map(AnyRecord::from);
        let a = self.agreements.iter().cloned().map(AnyRecord::from);
        let k = self.commitments.iter().cloned().map(AnyRecord::from);
        o.chain(c).chain(m).chain(a).chain(k).collect()
    }

    pub fn len(&self) -> usize {
        self.organizations.len()
            + self.contacts.len()
            + self.meetings.len()
            + self.agreements.len()
            + self.commitments.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The file's bytes: compact JSON.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("records serialize")
    }

    /// Reads an export file. A file of another kind, a newer version or broken JSON is
    /// refused with a violation of field `file` (`foreignFile`, `newerFile`, `malformedFile`).
    pub fn parse(bytes: &[u8]) -> Result<Export> {
        #[derive(Deserialize)]
        struct Head {
            format: Option<String>,
            version: Option<u32>,
        }
        let file_error = |code| Error::Invalid(vec![Violation::new("file", code)]);
        let head: Head = serde_json::from_slice(bytes).map_err(|_| file_error(Code::ForeignFile))?;
        if head.format.as_deref() != Some(EXPORT_FORMAT) {
            return Err(file_error(Code::ForeignFile));
        }
        match head.version {
            Some(v) if v > EXPORT_VERSION => {
                return Err(Error::Invalid(vec![
                    Violation::new("file", Code::NewerFile)
                        .with("found", v)
                        .with("supported", EXPORT_VERSION),
                ]));
            }
            Some(_) => {}
            None => return Err(file_error(Code::MalformedFile)),
        }
        serde_json::from_slice(bytes).map_err(|_| file_error(Code::MalformedFile))
    }

    /// A checksum of each record (its canonical bytes), by id: two snapshots hold the same
    /// records exactly when these are equal.
    pub fn checksums(&self) -> BTreeMap<Id, u64> {
        self.records().iter().map(|r| (r.id().clone(), checksum(r))).collect()
    }
}

/// FNV-1a over a record's JSON: enough to tell a copy from a changed or damaged one.
fn checksum(record: &AnyRecord) -> u64 {
    let bytes = serde_json::to_vec(record).expect("records serialize");
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

/// Why an incoming record looks like one already here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Likeness {
    SameEmail,
    SameAcronym,
    SameName,
    SameFolio,
}

/// An incoming record that looks like a record already in the store.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Duplicate {
    pub incoming: RecordRef,
    pub existing: RecordRef,
    pub likeness: Likeness,
}

/// A record changed on both sides since they last agreed (same revision, different content).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Conflict {
    pub record: RecordRef,
    pub local_updated_at: Option<Timestamp>,
    pub incoming_updated_at: Option<Timestamp>,
}

/// What an import would do, for the user to look at before anything is written.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportPlan {
    pub total: usize,
    /// Records not in the store (not counting likely duplicates).
    pub added: usize,
    /// Records the file holds a newer revision of: they will replace the store's.
    pub updated: Vec<RecordRef>,
    /// Records the store holds as they are in the file.
    pub unchanged: usize,
    /// Records the store holds a newer revision of: the store's are kept.
    pub older: usize,
    /// Same revision, different content: the store's are kept unless chosen otherwise.
    pub conflicts: Vec<Conflict>,
    /// New records that look like records already here: kept as new unless chosen to merge.
    pub duplicates: Vec<Duplicate>,
}

/// The user's choices on a plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImportChoices {
    /// Incoming records (likely duplicates) to merge into the record already here: they are
    /// not imported, and what refers to them refers to that record instead.
    #[serde(default)]
    pub merge: Vec<Id>,
    /// Records in conflict for which the file's version is taken.
    #[serde(default)]
    pub take_incoming: Vec<Id>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub added: usize,
    pub updated: usize,
    pub merged: usize,
    pub kept: usize,
}

/// Where a long import is: `(done, of)` records, per step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ImportStep {
    Checking,
    Writing,
}

/// Folded keys that make two records of a kind likely the same.
fn likeness_keys(r: &AnyRecord) -> Vec<(Likeness, String)> {
    let folded = |s: &str| fold(s).split_whitespace().collect::<Vec<_>>().join(" ");
    let mut keys = Vec::new();
    match r {
        AnyRecord::Organization(o) => {
            for a in [&o.acronym_es, &o.acronym_en] {
                if !a.trim().is_empty() {
                    keys.push((Likeness::SameAcronym, folded(a)));
                }
            }
            for n in [&o.name_es, &o.name_en] {
                if !n.trim().is_empty() {
                    keys.push((Likeness::SameName, folded(n)));
                }
            }
        }
        AnyRecord::Contact(c) => {
            for e in &c.emails {
                if !e.value.trim().is_empty() {
                    keys.push((Likeness::SameEmail, e.value.trim().to_lowercase()));
                }
            }
            keys.push((Likeness::SameName, folded(&c.full_name)));
        }
        AnyRecord::Agreement(a) if !a.folio.trim().is_empty() => {
            keys.push((Likeness::SameFolio, folded(&a.folio)))
        }
        _ => {}
    }
    keys
}

fn reference(r: &AnyRecord) -> RecordRef {
    RecordRef { kind: r.kind(), id: r.id().clone(), title: r.title() }
}

/// How one incoming record relates to the store.
enum Fate {
    Add,
    Update,
    Unchanged,
    Older,
    /// Same revision, different content; carries the store's revision.
    Conflict(u64),
}

impl Store {
    /// Everything in the store at one point in time (writes wait meanwhile), sorted by id.
    pub fn export(&self, at: Timestamp) -> Result<Export> {
        self.snapshot(at).map(|(export, _)| export)
    }

    /// [`Store::export`], with the number of the last change it holds.
    pub(crate) fn snapshot(&self, at: Timestamp) -> Result<(Export, u64)> {
        let _writer = self.lock_writer();
        Ok((Export::new(self.read_all()?, at), self.seq()))
    }

    fn fates(&self, file: &Export) -> Result<Vec<(AnyRecord, Fate)>> {
        let mut out = Vec::with_capacity(file.len());
        for incoming in file.records() {
            let fate = match self.get_any(incoming.id()) {
                Err(Error::NotFound { .. }) => Fate::Add,
                Err(e) => return Err(e),
                Ok(local) if local == incoming => Fate::Unchanged,
                Ok(local) => match incoming.revision().cmp(&local.revision()) {
                    std::cmp::Ordering::Greater => Fate::Update,
                    std::cmp::Ordering::Less => Fate::Older,
                    std::cmp::Ordering::Equal => Fate::Conflict(local.revision()),
                },
            };
            out.push((incoming, fate));
        }
        Ok(out)
    }

    /// What importing `file` would do. Reads only.
    pub fn plan_import(&self, file: &Export) -> Result<ImportPlan> {
        let fates = self.fates(file)?;
        let mut plan = ImportPlan { total: fates.len(), ..ImportPlan::default() };
        let existing = self.likeness_index();
        for (r, fate) in &fates {
            match fate {
                Fate::Add => match likely_duplicate(&existing, r) {
                    Some((likeness, existing)) => {
                        plan.duplicates.push(Duplicate { incoming: reference(r), existing, likeness })
                    }
                    None => plan.added += 1,
                },
                Fate::Update => plan.updated.push(reference(r)),
                Fate::Unchanged => plan.unchanged += 1,
                Fate::Older => plan.older += 1,
                Fate::Conflict(_) => {
                    let local = self.get_any(r.id())?;
                    plan.conflicts.push(Conflict {
                        record: reference(r),
                        local_updated_at: local.updated_at(),
                        incoming_updated_at: r.updated_at(),
                    });
                }
            }
        }
        Ok(plan)
    }

    /// The folded likeness keys of the store's organizations, contacts and agreements.
    fn likeness_index(&self) -> HashMap<(RecordKind, Likeness, String), RecordRef> {
        let mut index = HashMap::new();
        for kind in [RecordKind::Organization, RecordKind::Contact, RecordKind::Agreement] {
            for r in self.list(kind) {
                if let Ok(record) = self.get_any(&r.id) {
                    for (likeness, key) in likeness_keys(&record) {
                        index.entry((kind, likeness, key)).or_insert_with(|| r.clone());
                    }
                }
            }
        }
        index
    }

    /// Imports `file` as the user chose, in one atomic change: everything or nothing. The
    /// plan is made again under the write lock, so nothing that changed meanwhile is lost.
    /// `progress` hears how far it got.
    pub fn import(
        &self,
        file: &Export,
        choices: &ImportChoices,
        progress: &mut dyn FnMut(ImportStep, usize, usize),
    ) -> Result<ImportReport> {
        let mut writer = self.lock_writer();
        let fates = self.fates(file)?;
        let existing = self.likeness_index();
        let merge: HashSet<&Id> = choices.merge.iter().collect();
        let take: HashSet<&Id> = choices.take_incoming.iter().collect();
        let mut report = ImportReport::default();
        // Duplicates chosen to merge: what refers to them refers to the record here.
        let mut merged_into: HashMap<Id, Id> = HashMap::new();
        for (r, fate) in &fates {
            if matches!(fate, Fate::Add)
                && merge.contains(r.id())
                && let Some((_, here)) = likely_duplicate(&existing, r)
            {
                merged_into.insert(r.id().clone(), here.id);
            }
        }
        let mut puts = Vec::new();
        for (mut r, fate) in fates {
            let keep = match fate {
                Fate::Add if merged_into.contains_key(r.id()) => {
                    report.merged += 1;
                    false
                }
                Fate::Add => {
                    report.added += 1;
                    true
                }
                Fate::Update => {
                    report.updated += 1;
                    true
                }
                Fate::Conflict(local) if take.contains(r.id()) => {
                    // A revision of its own, so that a copy still holding the other side of
                    // the conflict sees this one as newer, not as the same conflict again.
                    r.set_revision(local + 1);
                    report.updated += 1;
                    true
                }
                Fate::Unchanged | Fate::Older | Fate::Conflict(_) => {
                    report.kept += 1;
                    false
                }
            };
            if keep {
                for (from, to) in &merged_into {
                    r.retarget(from, Some(to));
                }
                puts.push(r);
            }
        }
        // A folio is unique: an agreement kept beside one that has its folio gets a mark.
        let replaced: HashSet<crate::catalog::Key> =
            puts.iter().filter_map(|r| crate::catalog::Key::of(r.id())).collect();
        let mut folios: HashSet<String> = self
            .read_state()
            .catalog
            .of_kind(RecordKind::Agreement)
            .filter(|s| !replaced.contains(&s.key))
            .filter_map(|s| match &s.detail {
                crate::catalog::Detail::Agreement { folio, .. } if folio.len > 0 => {
                    Some(fold(s.text(*folio)))
                }
                _ => None,
            })
            .collect();
        for r in &mut puts {
            if let AnyRecord::Agreement(a) = r
                && !a.folio.is_empty()
            {
                let base = a.folio.clone();
                let mut n = 1;
                while !folios.insert(fold(&a.folio)) {
                    n += 1;
                    a.folio = format!("{base} ({n})");
                }
            }
        }
        // Check every record against the store as it will be.
        let total = puts.len();
        let violations = self.check_batch(&mut puts, |i, _, _| {
            if i % 500 == 0 {
                progress(ImportStep::Checking, i, total);
            }
            Vec::new()
        });
        if !violations.is_empty() {
            return Err(Error::Invalid(violations));
        }
        progress(ImportStep::Writing, 0, total);
        if !puts.is_empty() {
            self.commit_puts(&mut writer, puts)?;
        }
        progress(ImportStep::Writing, total, total);
        Ok(report)
    }
}

fn likely_duplicate(
    existing: &HashMap<(RecordKind, Likeness, String), RecordRef>,
    r: &AnyRecord,
) -> Option<(Likeness, RecordRef)> {
    likeness_keys(r).into_iter().find_map(|(likeness, key)| {
        existing.get(&(r.kind(), likeness, key)).map(|here| (likeness, here.clone()))
    })
}
