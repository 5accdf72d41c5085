//! The office's spreadsheets in (format notes in `docs/spreadsheet-import.md`): a workbook or
//! CSV file read into sheets (`read`), its columns mapped to the fields of organizations,
//! people or instruments (`fields`), and a plan of what each row will do — create a record,
//! merge into the likely duplicate already here (the rules of the export import), change
//! nothing, or be refused and why — made again under the write lock and written as one
//! atomic change.

mod fields;
mod read;

pub use fields::{FIELDS, FieldSpec, Shape, TableTarget};
pub use read::{Cell, Sheet, TableFormat, Workbook};
pub(crate) use read::{begins_with, decode};

use crate::error::{Code, Error, Result, Violation};
use crate::exchange::import::{ImportStep, Likeness, likeness_keys};
use crate::index::catalog::Pending;
use crate::labels::Lang;
use crate::model::{AnyRecord, Id, Organization, RecordKind, RecordRef};
use crate::store::{Change, Store, changed_fields};
use crate::text::{append_paragraph, fold, fold_words};
use crate::validate;
use fields::Value;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// How many rows of each sheet a preview shows.
pub const PREVIEW_ROWS: usize = 8;

/// A sheet as the mapping step shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SheetPreview {
    pub name: String,
    pub rows: usize,
    pub width: usize,
    /// The row its table most likely begins at, as the spreadsheet program numbers it.
    pub start: usize,
    /// What its rows most likely are (`RememberedColumns::likely_target`).
    pub target: TableTarget,
}

impl Workbook {
    /// Reads a file the import takes, told by its bytes: a workbook (.xlsx, .xls, .ods), a
    /// vCard file, or a CSV file. Headers a vCard file's sheet gets are in `lang`.
    pub fn open(bytes: &[u8], lang: Lang) -> Result<Workbook> {
        if crate::exchange::vcard::is_vcard(bytes) {
            crate::exchange::vcard::read(bytes, lang)
        } else {
            Workbook::read(bytes)
        }
    }

    /// What its rows can become, in the order to offer them: a vCard file holds people.
    pub fn targets(&self) -> Vec<TableTarget> {
        match self.format {
            TableFormat::Vcard => vec![TableTarget::Contact],
            _ => TableTarget::ALL.to_vec(),
        }
    }

    /// Every sheet as the mapping step first shows it, with what its rows most likely are.
    pub fn preview(&self, remembered: &RememberedColumns) -> Vec<SheetPreview> {
        self.sheets
            .iter()
            .map(|s| {
                let start = s.guessed_start();
                SheetPreview {
                    name: s.name.clone(),
                    rows: s.rows[start..].iter().filter(|r| !r.is_empty()).count(),
                    width: s.width(),
                    start: start + 1,
                    target: remembered.likely_target(s),
                }
            })
            .collect()
    }

    /// Sheet `i`; refused, naming the sheets there are, when there is none.
    pub fn sheet(&self, i: usize) -> Result<&Sheet> {
        self.sheets.get(i).ok_or_else(|| {
            Error::Invalid(vec![
                Violation::new("sheet", Code::OutOfRange)
                    .with("min", 0)
                    .with("max", self.sheets.len().saturating_sub(1)),
            ])
        })
    }
}

impl Sheet {
    /// Its widest row's number of cells.
    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// Where its table most likely begins (from 0): the first row with two cells or more (a
    /// title above it, as offices put on their lists, is not a row of the table), else the
    /// first not empty.
    fn guessed_start(&self) -> usize {
        let filled = |r: &Vec<Cell>| r.iter().filter(|c| !c.is_empty()).count();
        self.rows
            .iter()
            .position(|r| filled(r) >= 2)
            .or_else(|| self.rows.iter().position(|r| filled(r) >= 1))
            .unwrap_or(self.rows.len())
    }

    /// Where its table begins (from 0): at `chosen`, a row's number as the spreadsheet
    /// program shows it (from 1), when the user says so (a block of two cells above the table,
    /// «Fecha de corte: | 31/12/2024», looks like the table's start); else where it most
    /// likely does.
    pub fn start(&self, chosen: Option<usize>) -> Result<usize> {
        let rows = self.rows.len().max(1);
        match chosen {
            None => Ok(self.guessed_start()),
            Some(n) if (1..=rows).contains(&n) => Ok(n - 1),
            Some(_) => Err(Error::Invalid(vec![
                Violation::new("start", Code::OutOfRange).with("min", 1).with("max", rows),
            ])),
        }
    }

    /// The headers: the cells of the row at `start` as text when it names the columns (`named`),
    /// else empty.
    pub fn headers(&self, start: usize, named: bool) -> Vec<String> {
        let first = self.rows.get(start);
        (0..self.width())
            .map(|i| match first.and_then(|r| r.get(i)) {
                Some(cell) if named => cell.text(),
                _ => String::new(),
            })
            .collect()
    }

    /// Its first rows from `start` (empty ones left out), as text: what the mapping shows.
    fn first_rows(&self, start: usize) -> Vec<Vec<String>> {
        self.rows[start.min(self.rows.len())..]
            .iter()
            .filter(|r| !r.is_empty())
            .take(PREVIEW_ROWS)
            .map(|r| r.iter().map(Cell::text).collect())
            .collect()
    }
}

/// What to import from a sheet: the sheet (by position), what its rows are, whether the first
/// row names the columns, and the field each column fills (`None`: not imported).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TableRequest {
    pub sheet: usize,
    pub target: TableTarget,
    pub headers: bool,
    /// The row the table begins at, as the spreadsheet program numbers it (from 1); where it
    /// most likely does when not given.
    #[serde(default)]
    pub start: Option<usize>,
    pub mapping: Vec<Option<String>>,
}

/// What a row will do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum RowAction {
    Create,
    /// Its values go into a record already here (or made by an earlier row).
    Merge,
    /// The record it matches already holds every value it has.
    Unchanged,
    Refuse,
}

/// One row of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RowPlan {
    /// The row's number as its file shows it (from 1): in a sheet as the spreadsheet program
    /// numbers it; in a vCard file, its card's (the sheet's header row not counted).
    pub row: usize,
    pub action: RowAction,
    pub title: String,
    /// The record of the store it merges into or matches.
    pub existing: Option<RecordRef>,
    /// The earlier row whose record it merges into or matches.
    pub same_as_row: Option<usize>,
    pub likeness: Option<Likeness>,
    /// The fields a merge changes.
    pub fields: Vec<String>,
    /// Why it is refused: fields named as in the records (`emails[0].value`, `signedOn`) or
    /// as mapped (`status`), with the text that could not be read as `value`.
    pub violations: Vec<Violation>,
}

/// What importing a sheet would do (or did).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TablePlan {
    pub created: usize,
    pub merged: usize,
    pub unchanged: usize,
    pub refused: usize,
    /// Organizations the rows name that are not here: created with the import.
    pub new_organizations: Vec<String>,
    /// How many records the import writes (rows merged into one record count once, and the
    /// organizations made count too).
    pub written: usize,
    pub rows: Vec<RowPlan>,
}

/// The columns' fields as a mapping step offers them: the headers, the fields guessed, and
/// every field of the target.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MappingOffer {
    pub headers: Vec<String>,
    pub mapping: Vec<Option<String>>,
    pub fields: Vec<&'static FieldSpec>,
    /// The row the table begins at (from 1), and its first rows from there, as text.
    pub start: usize,
    pub first: Vec<Vec<String>>,
}

/// The columns the user mapped before, per target, by folded header: remembered for the next
/// file with the same headers. Kept in a small JSON file the caller names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RememberedColumns {
    pub version: u32,
    pub columns: BTreeMap<TableTarget, BTreeMap<String, Option<String>>>,
}

/// The remembered columns' file version this build writes and reads.
pub const REMEMBERED_COLUMNS_VERSION: u32 = 1;

impl RememberedColumns {
    /// Reads `path`; nothing remembered when it is missing, damaged or from a newer version.
    pub fn load(path: &Path) -> RememberedColumns {
        std::fs::read(path)
            .ok()
            .and_then(|b| serde_json::from_slice::<RememberedColumns>(&b).ok())
            .filter(|r| r.version == REMEMBERED_COLUMNS_VERSION)
            .unwrap_or_default()
    }

    /// Remembers `request`'s mapping of `headers` (named columns only) and writes `path`.
    pub fn remember(
        &mut self,
        path: &Path,
        target: TableTarget,
        headers: &[String],
        mapping: &[Option<String>],
    ) -> Result<()> {
        let of_target = self.columns.entry(target).or_default();
        for (header, field) in headers.iter().zip(mapping) {
            let folded = fold_words(header);
            if !folded.is_empty() {
                of_target.insert(folded, field.clone());
            }
        }
        self.version = REMEMBERED_COLUMNS_VERSION;
        crate::fsio::write_atomically(path, &serde_json::to_vec_pretty(self).expect("strings serialize"))
    }

    /// What `sheet`'s rows most likely are: the target whose offered mapping of its headers
    /// fills the most columns (the first of `TableTarget::ALL` on a tie).
    pub fn likely_target(&self, sheet: &Sheet) -> TableTarget {
        if sheet.mapping.is_some() {
            return TableTarget::Contact;
        }
        let start = sheet.guessed_start();
        let filled = |t: TableTarget| self.offer_at(sheet, t, true, start).mapping.iter().flatten().count();
        let mut best = TableTarget::ALL[0];
        for t in TableTarget::ALL {
            if filled(t) > filled(best) {
                best = t;
            }
        }
        best
    }

    /// The fields `sheet`'s columns most likely fill as `target`, its table beginning at row
    /// `start` (from 1; where it most likely does when not given) and that row naming the
    /// columns when `headers`.
    pub fn offer(
        &self,
        sheet: &Sheet,
        target: TableTarget,
        headers: bool,
        start: Option<usize>,
    ) -> Result<MappingOffer> {
        Ok(self.offer_at(sheet, target, headers, sheet.start(start)?))
    }

    fn offer_at(&self, sheet: &Sheet, target: TableTarget, named: bool, start: usize) -> MappingOffer {
        let headers = sheet.headers(start, named);
        let mapping = match &sheet.mapping {
            Some(fixed) => fixed.clone(),
            None => {
                let remembered = self.columns.get(&target);
                fields::guess(target, &headers, &|h| remembered.and_then(|m| m.get(h).cloned()))
            }
        };
        MappingOffer {
            headers,
            mapping,
            fields: target.fields().collect(),
            start: start + 1,
            first: sheet.first_rows(start),
        }
    }
}

/// The field a record's violation is about, as the mapping names it.
fn mapped_field(target: TableTarget, record_field: &str) -> &str {
    let base = record_field.split(['[', '.']).next().unwrap_or(record_field);
    match (target, base) {
        (TableTarget::Contact, "emails") => "email",
        (TableTarget::Contact, "phones") => "phone",
        (TableTarget::Contact, "organizationId") => "organization",
        (TableTarget::Agreement, "counterpartIds") => "counterparts",
        _ => base,
    }
}

impl TableRequest {
    /// Checks the request against the workbook: the sheet exists, every field named is one of
    /// the target's, a field that cannot repeat is given once, and the field that names a
    /// record is mapped.
    fn check<'a>(&self, book: &'a Workbook) -> Result<(&'a Sheet, usize)> {
        let sheet = book.sheet(self.sheet)?;
        let start = sheet.start(self.start)?;
        let mut found = Vec::new();
        if self.mapping.len() > sheet.width().max(1) {
            found.push(Violation::new("mapping", Code::TooMany).with("max", sheet.width()));
        }
        let mut seen: Vec<&str> = Vec::new();
        for (i, name) in self.mapping.iter().enumerate() {
            let Some(name) = name else { continue };
            match self.target.field(name) {
                None => found.push(Violation::new(format!("mapping[{i}]"), Code::InvalidChoice)),
                Some(spec) if !spec.repeat && seen.contains(&spec.name) => {
                    found.push(Violation::new(format!("mapping[{i}]"), Code::DuplicateEntry))
                }
                Some(spec) => seen.push(spec.name),
            }
        }
        let naming: &[&str] = match self.target {
            TableTarget::Organization => &["nameEs", "nameEn"],
            TableTarget::Contact => &["fullName", "givenName", "familyName"],
            TableTarget::Agreement => &["title"],
        };
        if found.is_empty() && !naming.iter().any(|n| seen.contains(n)) {
            found.push(Violation::new("mapping", Code::Required).with("field", naming[0]));
        }
        if found.is_empty() { Ok((sheet, start)) } else { Err(Error::Invalid(found)) }
    }
}

/// A record's likeness keys, by kind.
type Keys = HashMap<(RecordKind, Likeness, String), Slot>;

/// Where a record a row matches is.
#[derive(Debug, Clone)]
enum Slot {
    /// In the store (not touched yet by this import).
    Here(RecordRef),
    /// In the import's records, at this position.
    Made(usize),
}

/// Where a record the import writes comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// Made by the row of this number.
    Row(usize),
    /// A record of the store a row merges into.
    Store,
    /// An organization the rows named and the store lacked.
    Named,
}

/// The work of planning a sheet: the records it writes, and a plan row for each sheet row.
struct Draft {
    puts: Vec<AnyRecord>,
    /// Where each put comes from.
    origins: Vec<Origin>,
    /// Records of the store the import changes, by id: where they are in `puts`.
    touched: HashMap<Id, usize>,
    plan: TablePlan,
}

impl Store {
    /// What importing `request`'s sheet of `book` would do. Reads only.
    pub fn plan_table(&self, book: &Workbook, request: &TableRequest) -> Result<TablePlan> {
        Ok(self.draft_table(book, request, Timestamp::now(), &mut |_, _, _| {})?.plan)
    }

    /// Imports `request`'s sheet of `book` as its plan says, in one atomic change (each record
    /// logged as created or updated). The plan is made again under the write lock. `progress`
    /// hears how far it got. Returns the plan it carried out.
    pub fn import_table(
        &self,
        book: &Workbook,
        request: &TableRequest,
        progress: &mut dyn FnMut(ImportStep, usize, usize),
    ) -> Result<TablePlan> {
        let mut writer = self.lock_writer();
        let draft = self.draft_table(book, request, Timestamp::now(), progress)?;
        let total = draft.puts.len();
        progress(ImportStep::Writing, 0, total);
        if !draft.puts.is_empty() {
            // What every save checks, once more over the whole change (the plan checked each
            // row against the store and the rows before it).
            let mut puts = draft.puts;
            let violations = self.check_batch(&mut puts, |_, _, _| Vec::new());
            if !violations.is_empty() {
                return Err(Error::Invalid(violations));
            }
            self.commit(&mut writer, Change { puts, ..Change::default() })?;
        }
        progress(ImportStep::Writing, total, total);
        Ok(draft.plan)
    }

    fn draft_table(
        &self,
        book: &Workbook,
        request: &TableRequest,
        now: Timestamp,
        progress: &mut dyn FnMut(ImportStep, usize, usize),
    ) -> Result<Draft> {
        let (sheet, table_start) = request.check(book)?;
        let target = request.target;
        let headers = sheet.headers(table_start, request.headers);
        let columns: Vec<(usize, &FieldSpec)> = request
            .mapping
            .iter()
            .enumerate()
            .filter_map(|(i, name)| Some((i, target.field(name.as_deref()?)?)))
            .collect();
        let mut keys: Keys =
            self.likeness_index().into_iter().map(|(k, here)| (k, Slot::Here(here))).collect();
        let mut draft = Draft {
            puts: Vec::new(),
            origins: Vec::new(),
            touched: HashMap::new(),
            plan: TablePlan::default(),
        };
        let mut added: HashMap<Id, RecordKind> = HashMap::new();
        let no_parents = HashMap::new();
        let projection = self.projection();
        let start = (table_start + usize::from(request.headers)).min(sheet.rows.len());
        let body = &sheet.rows[start..];
        let first = if book.format == TableFormat::Vcard { start } else { start + 1 };
        for (n, row) in body.iter().enumerate() {
            if n % 250 == 0 {
                progress(ImportStep::Checking, n, body.len());
            }
            if row.iter().all(Cell::is_empty) {
                continue;
            }
            let mut plan = RowPlan {
                row: first + n,
                action: RowAction::Create,
                title: String::new(),
                existing: None,
                same_as_row: None,
                likeness: None,
                fields: Vec::new(),
                violations: Vec::new(),
            };
            // The row's values, read; what cannot be read refuses the row.
            let mut values = Vec::new();
            for (col, spec) in &columns {
                let Some(cell) = row.get(*col).filter(|c| !c.is_empty()) else { continue };
                match fields::read(spec, cell) {
                    Ok(v) => values.push((*spec, headers[*col].clone(), v)),
                    Err(refused) => plan.violations.push(refused),
                }
            }
            // Organizations the row names: found here or among the import's, else made; a name
            // no organization could have (too long) refuses the row.
            let mut orgs = HashMap::new();
            for (spec, _, v) in &values {
                if let Value::Names(names) = v {
                    for name in names {
                        match draft.organization_named(name, &mut keys, &mut added, now) {
                            Ok(id) => {
                                orgs.insert(name.clone(), id);
                            }
                            Err(refused) => plan.violations.extend(refused.into_iter().map(|v| Violation {
                                field: spec.name.to_owned(),
                                ..v.with("value", name.as_str())
                            })),
                        }
                    }
                }
            }
            let mut fresh = blank(target);
            apply(&mut fresh, &values, &orgs);
            plan.title = fresh.title();
            let matched = likeness_keys(&fresh).into_iter().find_map(|(likeness, key)| {
                keys.get(&(target.kind(), likeness, key)).map(|s| (likeness, draft.resolve(s)))
            });
            let (base, slot) = match matched {
                Some((likeness, Slot::Here(here))) => {
                    plan.likeness = Some(likeness);
                    plan.existing = Some(here.clone());
                    (Some(self.get_any(&here.id)?), None)
                }
                Some((likeness, Slot::Made(i))) => {
                    plan.likeness = Some(likeness);
                    match draft.origins[i] {
                        Origin::Row(row) => plan.same_as_row = Some(row),
                        _ => plan.existing = Some(reference(&draft.puts[i])),
                    }
                    (Some(draft.puts[i].clone()), Some(i))
                }
                None => (None, None),
            };
            let mut record = base.clone().unwrap_or_else(|| {
                let mut r = blank(target);
                r.stamp(Id::new(target.kind()), 1, now, now);
                r
            });
            apply(&mut record, &values, &orgs);
            let lookup = Pending { catalog: &projection.catalog, added: &added, parents: &no_parents };
            if plan.violations.is_empty() {
                plan.violations = validate::check_any(&mut record, &lookup);
            }
            // A new post moves the one before into the person's history, as a save does.
            if let (Some(AnyRecord::Contact(old)), AnyRecord::Contact(new)) = (&base, &mut record)
                && plan.violations.is_empty()
            {
                crate::edit::record_post_change(old, new, &projection.catalog);
            }
            if !plan.violations.is_empty() {
                for v in &mut plan.violations {
                    v.field = mapped_field(target, &v.field).to_owned();
                }
                plan.action = RowAction::Refuse;
                draft.plan.refused += 1;
                draft.plan.rows.push(plan);
                continue;
            }
            match &base {
                Some(base) if *base == record => {
                    plan.action = RowAction::Unchanged;
                    draft.plan.unchanged += 1;
                }
                Some(base) => {
                    plan.action = RowAction::Merge;
                    plan.fields = changed_fields(Some(base), &record);
                    draft.plan.merged += 1;
                    if slot.is_none() {
                        // A record of the store: a new revision of it.
                        let (id, created) = (base.id().clone(), base.created_at().unwrap_or(now));
                        record.stamp(id, base.revision() + 1, created, now);
                    }
                    draft.put(record, slot, &mut keys, Origin::Store);
                }
                None => {
                    draft.plan.created += 1;
                    added.insert(record.id().clone(), target.kind());
                    draft.put(record, None, &mut keys, Origin::Row(plan.row));
                }
            }
            draft.plan.rows.push(plan);
        }
        progress(ImportStep::Checking, body.len(), body.len());
        draft.drop_unused_organizations();
        draft.plan.written = draft.puts.len();
        Ok(draft)
    }
}

impl Draft {
    /// Adds or replaces a record of the import, and indexes it by its likeness keys.
    fn put(&mut self, record: AnyRecord, slot: Option<usize>, keys: &mut Keys, origin: Origin) {
        let i = match slot {
            Some(i) => {
                self.puts[i] = record;
                i
            }
            None => {
                self.touched.insert(record.id().clone(), self.puts.len());
                self.puts.push(record);
                self.origins.push(origin);
                self.puts.len() - 1
            }
        };
        for (likeness, key) in likeness_keys(&self.puts[i]) {
            keys.insert((self.puts[i].kind(), likeness, key), Slot::Made(i));
        }
    }

    /// Where a record a row matched is now: a record of the store this import already
    /// changed is the import's copy.
    fn resolve(&self, slot: &Slot) -> Slot {
        match slot {
            Slot::Here(here) => self.touched.get(&here.id).map_or_else(|| slot.clone(), |i| Slot::Made(*i)),
            made => made.clone(),
        }
    }

    /// The organization `name` (an acronym or a name) refers to: one here, one of the
    /// import's, or a new one made now (kept only if a record that is imported names it).
    fn organization_named(
        &mut self,
        name: &str,
        keys: &mut Keys,
        added: &mut HashMap<Id, RecordKind>,
        now: Timestamp,
    ) -> std::result::Result<Id, Vec<Violation>> {
        let probe = AnyRecord::Organization(Organization {
            name_es: name.to_owned(),
            acronym_es: name.to_owned(),
            ..Organization::default()
        });
        for (likeness, key) in likeness_keys(&probe) {
            match keys.get(&(RecordKind::Organization, likeness, key)) {
                Some(Slot::Here(here)) => return Ok(here.id.clone()),
                Some(Slot::Made(i)) => return Ok(self.puts[*i].id().clone()),
                None => {}
            }
        }
        // A word without spaces (`PNUD`, `IDEA`) is an acronym as well as the name.
        let acronym =
            if name.contains(' ') || name.chars().count() > 12 { String::new() } else { name.to_owned() };
        let mut record = AnyRecord::Organization(Organization {
            name_es: name.to_owned(),
            acronym_es: acronym,
            ..Organization::default()
        });
        record.stamp(Id::new(RecordKind::Organization), 1, now, now);
        let refused = validate::check_any(&mut record, &NoLookup);
        if !refused.is_empty() {
            return Err(refused);
        }
        let id = record.id().clone();
        added.insert(id.clone(), RecordKind::Organization);
        self.put(record, None, keys, Origin::Named);
        Ok(id)
    }

    /// Drops the organizations made for rows that were then refused, and lists the others.
    fn drop_unused_organizations(&mut self) {
        let used: std::collections::HashSet<Id> = self
            .puts
            .iter()
            .zip(&self.origins)
            .filter(|(_, origin)| **origin != Origin::Named)
            .flat_map(|(r, _)| r.references().into_iter().cloned().collect::<Vec<_>>())
            .collect();
        let keep: Vec<bool> = self
            .origins
            .iter()
            .zip(&self.puts)
            .map(|(o, r)| *o != Origin::Named || used.contains(r.id()))
            .collect();
        let mut flags = keep.iter();
        self.puts.retain(|_| *flags.next().unwrap_or(&true));
        let mut flags = keep.iter();
        self.origins.retain(|_| *flags.next().unwrap_or(&true));
        self.plan.new_organizations = self
            .puts
            .iter()
            .zip(&self.origins)
            .filter(|(_, origin)| **origin == Origin::Named)
            .map(|(r, _)| r.title())
            .collect();
    }
}

/// A lookup that knows no record: an organization made from a name refers to nothing.
struct NoLookup;

impl validate::Lookup for NoLookup {
    fn exists(&self, _: RecordKind, _: &Id) -> bool {
        false
    }
    fn agreement_parent(&self, _: &Id) -> Option<Id> {
        None
    }
    fn folio_owner(&self, _: &str) -> Option<Id> {
        None
    }
}

fn reference(r: &AnyRecord) -> RecordRef {
    RecordRef { kind: r.kind(), id: r.id().clone(), title: r.title() }
}

fn blank(target: TableTarget) -> AnyRecord {
    match target {
        TableTarget::Organization => AnyRecord::Organization(Default::default()),
        TableTarget::Contact => AnyRecord::Contact(Default::default()),
        TableTarget::Agreement => AnyRecord::Agreement(Default::default()),
    }
}

/// Sets an enum field to the value a cell named.
fn set<T: serde::de::DeserializeOwned>(slot: &mut T, v: &Value) {
    if let Value::Choice(name) = v
        && let Ok(value) = serde_json::from_value(serde_json::Value::String((*name).to_owned()))
    {
        *slot = value;
    }
}

/// Adds a value to a list unless an equal one (compared folded) is there.
fn add_unique(list: &mut Vec<String>, value: String) {
    let folded = fold(&value);
    if !list.iter().any(|v| fold(v) == folded) {
        list.push(value);
    }
}

/// Puts a row's values into `record`: a value replaces the field's, a list's entries are
/// added to the record's (so a row merged into a record adds what it has and loses nothing).
fn apply(record: &mut AnyRecord, values: &[(&FieldSpec, String, Value)], orgs: &HashMap<String, Id>) {
    let names = |v: &Value| match v {
        Value::Names(n) => n.iter().filter_map(|n| orgs.get(n).cloned()).collect(),
        _ => Vec::new(),
    };
    let text = |v: &Value| match v {
        Value::Text(s) | Value::Date(s) => s.clone(),
        Value::Choice(c) => (*c).to_owned(),
        _ => String::new(),
    };
    let mut given = String::new();
    let mut family = String::new();
    let mut emails = Vec::new();
    let mut phones = Vec::new();
    match record {
        AnyRecord::Organization(o) => {
            for (spec, _, v) in values {
                match (spec.name, v) {
                    ("nameEs", _) => o.name_es = text(v),
                    ("nameEn", _) => o.name_en = text(v),
                    ("acronymEs", _) => o.acronym_es = text(v),
                    ("acronymEn", _) => o.acronym_en = text(v),
                    ("kind", _) => set(&mut o.kind, v),
                    ("scope", _) => set(&mut o.scope, v),
                    ("sector", _) => set(&mut o.sector, v),
                    ("relationship", _) => set(&mut o.relationship, v),
                    ("country", _) => {
                        o.country = Lang::country_code(&text(v)).map_or_else(|| text(v), str::to_owned)
                    }
                    ("city", _) => o.city = text(v),
                    ("website", _) => o.website = text(v),
                    ("themes", Value::Choices(list)) => {
                        for t in list {
                            if let Ok(theme) =
                                serde_json::from_value(serde_json::Value::String((*t).to_owned()))
                                && !o.themes.contains(&theme)
                            {
                                o.themes.push(theme);
                            }
                        }
                    }
                    ("notes", _) => append_paragraph(&mut o.notes, &text(v)),
                    ("tags", Value::List(list)) => {
                        list.iter().for_each(|t| add_unique(&mut o.tags, t.clone()))
                    }
                    _ => {}
                }
            }
        }
        AnyRecord::Contact(c) => {
            // A row that says when it was last changed (a card's REV), no later than the
            // record, only fills what the record lacks: importing an old card again does not
            // undo the office's edits (its e-mails, phones and tags are still added).
            let stale = c.updated_at.is_some_and(|at| {
                let ours = crate::clock::office_today(at).to_string();
                values.iter().any(|(s, _, v)| {
                    // A day that is none (text a column held) tells nothing.
                    s.name == "revisedOn"
                        && matches!(v, Value::Date(d) if validate::parse_date(d).is_some() && *d <= ours)
                })
            });
            let take = |current: &String| !stale || current.trim().is_empty();
            for (spec, header, v) in values {
                match (spec.name, v) {
                    ("fullName", _) if take(&c.full_name) => c.full_name = text(v),
                    ("givenName", _) => given = text(v),
                    ("familyName", _) => family = text(v),
                    ("honorific", _) if take(&c.honorific) => c.honorific = text(v),
                    ("post", _) if take(&c.post) => c.post = text(v),
                    ("organization", _) if !stale || c.organization_id.is_none() => {
                        if let Some(id) = names(v).into_iter().next() {
                            c.organization_id = Some(id);
                        }
                    }
                    ("email", _) => emails.push((header.clone(), text(v))),
                    ("phone", _) => phones.push((header.clone(), text(v))),
                    ("languages", Value::List(list)) => {
                        for l in list {
                            let code = Lang::language_code(l).map_or_else(|| l.to_lowercase(), str::to_owned);
                            add_unique(&mut c.languages, code);
                        }
                    }
                    ("notes", _) => append_paragraph(&mut c.notes, &text(v)),
                    ("tags", Value::List(list)) => {
                        list.iter().for_each(|t| add_unique(&mut c.tags, t.clone()))
                    }
                    // A card this app wrote names the person by her own id: nothing to keep.
                    ("uid", _) if !text(v).eq_ignore_ascii_case(&crate::exchange::vcard::uid_of(&c.id)) => {
                        add_unique(&mut c.uids, text(v))
                    }
                    _ => {}
                }
            }
            if c.full_name.trim().is_empty()
                || (!given.is_empty() || !family.is_empty())
                    && values.iter().all(|(s, ..)| s.name != "fullName")
            {
                let joined = [given.trim(), family.trim()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                if !joined.is_empty() {
                    c.full_name = joined;
                }
            } else if !family.trim().is_empty() && !fold(&c.full_name).contains(&fold(family.trim())) {
                // "Nombre" beside "Apellidos" holds the given name only: the surname joins it.
                c.full_name = format!("{} {}", c.full_name.trim(), family.trim());
            }
            for (list, found) in [(&mut c.emails, emails), (&mut c.phones, phones)] {
                for entry in fields::labeled(&found) {
                    let same = |e: &crate::model::Labeled| {
                        let digits = |s: &str| {
                            s.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_lowercase()
                        };
                        digits(&e.value) == digits(&entry.value)
                    };
                    if !list.iter().any(same) {
                        list.push(entry);
                    }
                }
            }
        }
        AnyRecord::Agreement(a) => {
            for (spec, _, v) in values {
                match (spec.name, v) {
                    ("folio", _) => a.folio = text(v),
                    ("title", _) => a.title = text(v),
                    ("kind", _) => set(&mut a.kind, v),
                    ("purpose", _) => a.purpose = text(v),
                    ("counterparts", _) => {
                        for id in names(v) {
                            if !a.counterpart_ids.contains(&id) {
                                a.counterpart_ids.push(id);
                            }
                        }
                    }
                    ("status", _) => set(&mut a.status, v),
                    ("signedOn", _) => a.signed_on = Some(text(v)),
                    ("validFrom", _) => a.valid_from = Some(text(v)),
                    ("validUntil", _) => a.valid_until = Some(text(v)),
                    ("renewal", _) => set(&mut a.renewal, v),
                    ("noticeDays", Value::Number(n)) => a.notice_days = Some(*n),
                    ("iecmArea", _) => a.iecm_area = text(v),
                    ("publicMoney", Value::Flag(b)) => a.public_money = *b,
                    ("notes", _) => append_paragraph(&mut a.notes, &text(v)),
                    _ => {}
                }
            }
        }
        AnyRecord::Meeting(_)
        | AnyRecord::Commitment(_)
        | AnyRecord::Activity(_)
        | AnyRecord::Document(_) => {}
    }
}
