//! Merging the office's changes: what a record is after every laptop's changes to it, in
//! whatever order they arrive (`docs/sharing.md`).
//!
//! Every change a laptop makes carries a [`Stamp`]: a hybrid logical clock (its wall time, a
//! counter, the laptop's id), its number in the laptop's own file of changes, and how far it
//! had read each colleague's file (`seen`). From the numbers, one change *knew* another when
//! it was made after it on the same laptop, or after its laptop had read it.
//!
//! - A plain field holds the value of the latest write (by clock) among its *heads*: the
//!   writes no other write to it knew. A head that lost is a **conflict** (two people changed
//!   the field since they last met), kept with its value and who wrote it when, until someone
//!   writes the field again knowing both (keeping one, or reverting to the other).
//! - A list of plain values (tags, themes, attendees) is a set: each element present or
//!   removed by its own latest write, so concurrent additions are all kept.
//! - A delete removes the record only when it knew every write to it: a write the deleter had
//!   not seen keeps the record, marked as deleted by a colleague, for the user to confirm or
//!   keep.
//!
//! Heads, elements and the delete are all decided by the set of changes, not by their order,
//! so laptops that saw the same changes hold the same records. Pure: no store, no files.

use crate::model::RecordKind;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The fields no change carries: each laptop keeps its own revision (its forms' check against
/// overwriting) and the time it last changed the record; the id is the record's address.
pub const LOCAL_FIELDS: [&str; 3] = ["id", "revision", "updatedAt"];

/// A hybrid logical clock: ordered by wall time, then counter, then laptop, so that two
/// changes are never equal and a change is later than every change its laptop knew.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Hlc {
    pub ms: u64,
    pub n: u32,
    pub laptop: String,
}

/// A laptop's clock: the latest time it made or heard of.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    pub ms: u64,
    pub n: u32,
}

impl Clock {
    /// The clock of a new change, later than everything made or heard before, even when the
    /// wall clock went back.
    pub fn tick(&mut self, now_ms: u64, laptop: &str) -> Hlc {
        if now_ms > self.ms {
            self.ms = now_ms;
            self.n = 0;
        } else if self.n == u32::MAX {
            // A counter run out (a colleague's clock far ahead): the next millisecond.
            self.ms += 1;
            self.n = 0;
        } else {
            self.n += 1;
        }
        Hlc { ms: self.ms, n: self.n, laptop: laptop.to_owned() }
    }

    /// Hears of a change made elsewhere: later changes here come after it.
    pub fn observe(&mut self, hlc: &Hlc) {
        if (hlc.ms, hlc.n) > (self.ms, self.n) {
            self.ms = hlc.ms;
            self.n = hlc.n;
        }
    }
}

/// Who made a change, when, and what its laptop had seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub hlc: Hlc,
    /// Its number in its laptop's file of changes (1, 2, 3…).
    pub seq: u64,
    /// For each colleague's laptop, the last of its changes this one had applied.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub seen: BTreeMap<String, u64>,
}

impl Stamp {
    /// Whether this change was made knowing `other` (after it on the same laptop, or after
    /// applying it).
    pub fn knew(&self, other: &Stamp) -> bool {
        if self.hlc.laptop == other.hlc.laptop {
            return self.seq >= other.seq;
        }
        self.seen.get(&other.hlc.laptop).is_some_and(|&s| s >= other.seq)
    }
}

/// What one change does to one record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordChange {
    pub id: String,
    pub kind: Option<RecordKind>,
    /// Plain fields written (a list of records, such as participants, is a plain field).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub set: Map<String, Value>,
    /// Elements added to and removed from lists of plain values.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub add: BTreeMap<String, Vec<Value>>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub remove: BTreeMap<String, Vec<Value>>,
    /// `Some(true)`: deleted; `Some(false)`: kept after a colleague's delete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<bool>,
}

impl RecordChange {
    pub fn is_empty(&self) -> bool {
        self.set.is_empty() && self.add.is_empty() && self.remove.is_empty() && self.deleted.is_none()
    }
}

/// A plain field: the write whose value the record holds, and the other heads (conflicts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldClock {
    /// Index into [`Entry::stamps`].
    pub w: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub others: Vec<(u32, Value)>,
}

/// An element of a list: present or removed, by its latest write.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElementClock {
    pub w: u32,
    pub present: bool,
}

/// The delete, or the keeping after a colleague's delete, that came last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Removal {
    pub w: u32,
    pub deleted: bool,
}

/// Everything the merge keeps of one record beside the record itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub kind: RecordKind,
    /// The stamps the clocks below point at, each once.
    pub stamps: Vec<Stamp>,
    #[serde(default)]
    pub fields: BTreeMap<String, FieldClock>,
    /// Per list field, per element (as JSON text).
    #[serde(default)]
    pub elements: BTreeMap<String, BTreeMap<String, ElementClock>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removal: Option<Removal>,
    /// The latest write of each laptop that named this record in another (a person added to
    /// an organization): a delete that had not seen it (the organization deleted meanwhile)
    /// keeps the record until confirmed, as for a write to it. The latest of each laptop is
    /// enough: a delete that knew it knew the earlier ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub named_by: Vec<u32>,
    /// The record's fields while it is deleted, so that a colleague's change it had not
    /// seen can bring it back whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<Map<String, Value>>,
}

/// A field's value that lost to a concurrent one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub field: String,
    pub value: Value,
    pub stamp: Stamp,
    /// The write whose value the record holds.
    pub winner: Stamp,
}

/// Whether the record is there after a merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Present,
    /// Deleted by a colleague who had not seen every change to it: kept until confirmed.
    DeletePending,
    Gone,
}

impl Entry {
    pub fn new(kind: RecordKind) -> Entry {
        Entry {
            kind,
            stamps: Vec::new(),
            fields: BTreeMap::new(),
            elements: BTreeMap::new(),
            removal: None,
            named_by: Vec::new(),
            last: None,
        }
    }

    /// Records that `stamp`, a write to another record, named this one.
    pub fn named_by(&mut self, stamp: &Stamp) {
        let later = self
            .named_by
            .iter()
            .map(|&w| self.stamp(w))
            .any(|s| s.hlc.laptop == stamp.hlc.laptop && s.seq >= stamp.seq);
        if later {
            return;
        }
        let laptop = stamp.hlc.laptop.clone();
        let stamps = &self.stamps;
        self.named_by.retain(|&w| stamps[w as usize].hlc.laptop != laptop);
        let w = self.intern(stamp);
        self.named_by.push(w);
        self.compact();
    }

    fn stamp(&self, w: u32) -> &Stamp {
        &self.stamps[w as usize]
    }

    fn intern(&mut self, stamp: &Stamp) -> u32 {
        match self.stamps.iter().position(|s| s == stamp) {
            Some(i) => i as u32,
            None => {
                self.stamps.push(stamp.clone());
                (self.stamps.len() - 1) as u32
            }
        }
    }

    /// Drops the stamps nothing points at any more, and numbers the rest in clock order.
    fn compact(&mut self) {
        let mut used = vec![false; self.stamps.len()];
        for f in self.fields.values() {
            used[f.w as usize] = true;
            for (w, _) in &f.others {
                used[*w as usize] = true;
            }
        }
        for e in self.elements.values().flat_map(|m| m.values()) {
            used[e.w as usize] = true;
        }
        if let Some(r) = &self.removal {
            used[r.w as usize] = true;
        }
        for w in &self.named_by {
            used[*w as usize] = true;
        }
        // Kept in the order of their clocks, so that the same writes make the same entry
        // whatever order they came in.
        let mut order: Vec<usize> = (0..self.stamps.len()).filter(|&i| used[i]).collect();
        order.sort_by(|&a, &b| self.stamps[a].hlc.cmp(&self.stamps[b].hlc));
        let mut map = vec![0u32; self.stamps.len()];
        let mut kept = Vec::with_capacity(order.len());
        for i in order {
            map[i] = kept.len() as u32;
            kept.push(self.stamps[i].clone());
        }
        self.stamps = kept;
        for f in self.fields.values_mut() {
            f.w = map[f.w as usize];
            for (w, _) in &mut f.others {
                *w = map[*w as usize];
            }
        }
        for e in self.elements.values_mut().flat_map(|m| m.values_mut()) {
            e.w = map[e.w as usize];
        }
        if let Some(r) = &mut self.removal {
            r.w = map[r.w as usize];
        }
        for w in &mut self.named_by {
            *w = map[*w as usize];
        }
        self.named_by.sort_unstable();
    }

    /// The writes to the record: every field's and element's.
    fn writes(&self) -> impl Iterator<Item = &Stamp> {
        self.fields
            .values()
            .flat_map(|f| std::iter::once(f.w).chain(f.others.iter().map(|(w, _)| *w)))
            .chain(self.elements.values().flat_map(|m| m.values().map(|e| e.w)))
            .chain(self.named_by.iter().copied())
            .map(|w| self.stamp(w))
    }

    pub fn presence(&self) -> Presence {
        match &self.removal {
            Some(r) if r.deleted => {
                let delete = self.stamp(r.w);
                if self.writes().all(|w| delete.knew(w)) { Presence::Gone } else { Presence::DeletePending }
            }
            _ => Presence::Present,
        }
    }

    /// Who deleted the record, when it is deleted or waiting for confirmation.
    pub fn deleted_by(&self) -> Option<&Stamp> {
        self.removal.as_ref().filter(|r| r.deleted).map(|r| self.stamp(r.w))
    }

    /// The values that lost to a concurrent write and differ from the record's, per field.
    pub fn conflicts(&self, values: &Map<String, Value>) -> Vec<Conflict> {
        let mut out = Vec::new();
        for (field, clock) in &self.fields {
            let current = values.get(field).unwrap_or(&Value::Null);
            for (w, value) in &clock.others {
                if value != current {
                    out.push(Conflict {
                        field: field.clone(),
                        value: value.clone(),
                        stamp: self.stamp(*w).clone(),
                        winner: self.stamp(clock.w).clone(),
                    });
                }
            }
        }
        out
    }

    /// The latest clock among the record's writes (its last change, as the office saw it).
    pub fn latest(&self) -> Option<&Hlc> {
        self.stamps.iter().map(|s| &s.hlc).max()
    }
}

/// Whether a field's value is a list of plain values, merged as a set. A list of records (an
/// activity's participants, a person's posts) is a plain field: its rows change together.
fn is_set(value: &Value) -> bool {
    matches!(value, Value::Array(items) if items.iter().all(|v| !v.is_object() && !v.is_array()))
}

/// The record ids the values a change writes name (references, in fields, lists and rows).
pub fn named_ids(change: &RecordChange) -> Vec<String> {
    fn walk(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::String(s) if crate::model::Id::parse(s).is_some() && !out.contains(s) => {
                out.push(s.clone())
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            Value::Object(map) => map.values().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for value in change.set.values().chain(change.add.values().flatten()) {
        walk(value, &mut out);
    }
    out.retain(|id| *id != change.id);
    out
}

fn is_empty_list(v: &Value) -> bool {
    v.as_array().is_some_and(Vec::is_empty)
}

fn element_key(v: &Value) -> String {
    serde_json::to_string(v).expect("JSON values serialize")
}

/// The change that turns `old` (nothing for a new record) into `new`, both records as JSON
/// objects. Lists of plain values change element by element. `force` names fields written
/// even when unchanged (a conflict settled by keeping the value the record holds).
pub fn diff(
    id: &str,
    kind: RecordKind,
    old: Option<&Map<String, Value>>,
    new: &Map<String, Value>,
    force: &[String],
) -> RecordChange {
    let mut change = RecordChange { id: id.to_owned(), kind: Some(kind), ..RecordChange::default() };
    let empty = Map::new();
    let old_map = old.unwrap_or(&empty);
    let mut names: Vec<&String> = new.keys().chain(old_map.keys()).collect();
    names.sort();
    names.dedup();
    for name in names {
        if LOCAL_FIELDS.contains(&name.as_str()) {
            continue;
        }
        let before = old_map.get(name).unwrap_or(&Value::Null);
        let after = new.get(name).unwrap_or(&Value::Null);
        let forced = force.iter().any(|f| f == name);
        let set_like = |v: &Value| v.is_null() || is_set(v);
        // A list emptied may be left out of the record (serde's skip): still a list.
        let after_set = is_set(after) || (after.is_null() && is_set(before));
        if !forced && set_like(before) && after_set {
            let items = |v: &Value| v.as_array().cloned().unwrap_or_default();
            let (b, a) = (items(before), items(after));
            let added: Vec<Value> = a.iter().filter(|v| !b.contains(v)).cloned().collect();
            let removed: Vec<Value> = b.iter().filter(|v| !a.contains(v)).cloned().collect();
            // A new record's empty list sends nothing (read back as its default, empty): a list
            // written once as a field and once as elements would not merge the same both ways.
            if !added.is_empty() {
                change.add.insert(name.clone(), added);
            }
            if !removed.is_empty() {
                change.remove.insert(name.clone(), removed);
            }
        } else if forced || (before != after && !(old.is_none() && is_empty_list(after))) {
            change.set.insert(name.clone(), after.clone());
        }
    }
    change
}

/// Applies `change`, made as `stamp`, to a record's `entry` and `values` (its fields as a JSON
/// object: the record, or what was kept of it while deleted). Applying a change twice, or
/// changes in another order, gives the same result.
pub fn apply(entry: &mut Entry, values: &mut Map<String, Value>, change: &RecordChange, stamp: &Stamp) {
    let w = entry.intern(stamp);
    for (field, value) in &change.set {
        match entry.fields.get(field).cloned() {
            None => {
                entry.fields.insert(field.clone(), FieldClock { w, others: Vec::new() });
                values.insert(field.clone(), value.clone());
            }
            Some(clock) => {
                let mut heads: Vec<(u32, Value)> =
                    std::iter::once((clock.w, values.get(field).cloned().unwrap_or(Value::Null)))
                        .chain(clock.others)
                        .collect();
                if heads.iter().any(|(h, _)| entry.stamp(*h) == stamp || entry.stamp(*h).knew(stamp)) {
                    // Already applied, or superseded by a write that knew it.
                    continue;
                }
                heads.retain(|(h, _)| !stamp.knew(entry.stamp(*h)));
                heads.push((w, value.clone()));
                let winner = (0..heads.len())
                    .max_by(|&a, &b| entry.stamp(heads[a].0).hlc.cmp(&entry.stamp(heads[b].0).hlc))
                    .expect("the new write is a head");
                let (wv, value) = heads.swap_remove(winner);
                heads.sort_by(|a, b| entry.stamp(a.0).hlc.cmp(&entry.stamp(b.0).hlc));
                entry.fields.insert(field.clone(), FieldClock { w: wv, others: heads });
                values.insert(field.clone(), value);
            }
        }
    }
    let lists: Vec<&String> = change.add.keys().chain(change.remove.keys()).collect();
    for (field, items, present) in change
        .add
        .iter()
        .map(|(f, items)| (f, items, true))
        .chain(change.remove.iter().map(|(f, items)| (f, items, false)))
    {
        let elements = entry.elements.entry(field.clone()).or_default();
        for item in items {
            let key = element_key(item);
            let newer = elements.get(&key).is_none_or(|e| entry.stamps[e.w as usize].hlc < stamp.hlc);
            if newer {
                elements.insert(key, ElementClock { w, present });
            }
        }
    }
    for field in lists {
        let elements = &entry.elements[field];
        let mut present: Vec<(&Hlc, &String)> = elements
            .iter()
            .filter(|(_, e)| e.present)
            .map(|(k, e)| (&entry.stamps[e.w as usize].hlc, k))
            .collect();
        present.sort();
        let list = present
            .into_iter()
            .map(|(_, k)| serde_json::from_str(k).expect("an element is JSON we wrote"))
            .collect();
        values.insert(field.clone(), Value::Array(list));
    }
    if let Some(deleted) = change.deleted {
        let newer = entry.removal.as_ref().is_none_or(|r| entry.stamps[r.w as usize].hlc < stamp.hlc);
        if newer {
            entry.removal = Some(Removal { w, deleted });
        }
    }
    entry.compact();
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn stamp(laptop: &str, ms: u64, seq: u64, seen: &[(&str, u64)]) -> Stamp {
        Stamp {
            hlc: Hlc { ms, n: 0, laptop: laptop.into() },
            seq,
            seen: seen.iter().map(|(l, s)| ((*l).to_owned(), *s)).collect(),
        }
    }

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().expect("an object").clone()
    }

    #[test]
    fn concurrent_writes_to_a_field_keep_the_later_and_the_other_as_a_conflict() {
        let base = obj(json!({"id": "org_1", "name": "PNUD", "tags": ["a"]}));
        let create = diff("org_1", RecordKind::Organization, None, &base, &[]);
        let s0 = stamp("A", 1, 1, &[]);
        let mut e = Entry::new(RecordKind::Organization);
        let mut v = Map::new();
        apply(&mut e, &mut v, &create, &s0);
        assert_eq!(v["name"], json!("PNUD"));
        // A and B both rename, each knowing the creation only.
        let a = diff(
            "org_1",
            RecordKind::Organization,
            Some(&v),
            &obj(json!({"name": "UNDP", "tags": ["a", "b"]})),
            &[],
        );
        let b = diff(
            "org_1",
            RecordKind::Organization,
            Some(&v),
            &obj(json!({"name": "PNUD México", "tags": ["c"]})),
            &[],
        );
        let sa = stamp("A", 5, 2, &[]);
        let sb = stamp("B", 7, 1, &[("A", 1)]);
        let (mut e1, mut v1) = (e.clone(), v.clone());
        apply(&mut e1, &mut v1, &a, &sa);
        apply(&mut e1, &mut v1, &b, &sb);
        let (mut e2, mut v2) = (e.clone(), v.clone());
        apply(&mut e2, &mut v2, &b, &sb);
        apply(&mut e2, &mut v2, &a, &sa);
        apply(&mut e2, &mut v2, &a, &sa);
        assert_eq!((&e1, &v1), (&e2, &v2));
        assert_eq!(v1["name"], json!("PNUD México"));
        // "a" removed by B, "b" added by A, "c" added by B.
        assert_eq!(v1["tags"], json!(["b", "c"]));
        let conflicts = e1.conflicts(&v1);
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0].value, json!("UNDP"));
        assert_eq!(conflicts[0].stamp.hlc.laptop, "A");
        // Settled by a write that knew both: no conflict left.
        let keep = diff("org_1", RecordKind::Organization, Some(&v1), &v1, &["name".into()]);
        apply(&mut e1, &mut v1, &keep, &stamp("A", 9, 3, &[("B", 1)]));
        assert!(e1.conflicts(&v1).is_empty());
        assert_eq!(v1["name"], json!("PNUD México"));
    }

    #[test]
    fn a_delete_waits_for_confirmation_when_it_missed_a_change() {
        let mut e = Entry::new(RecordKind::Contact);
        let mut v = Map::new();
        let create = diff("per_1", RecordKind::Contact, None, &obj(json!({"name": "Ana"})), &[]);
        apply(&mut e, &mut v, &create, &stamp("A", 1, 1, &[]));
        let delete = RecordChange { id: "per_1".into(), deleted: Some(true), ..RecordChange::default() };
        let mut seen_all = e.clone();
        apply(&mut seen_all, &mut v.clone(), &delete, &stamp("B", 3, 1, &[("A", 1)]));
        assert_eq!(seen_all.presence(), Presence::Gone);
        // A renamed her while B, who had not seen it, deleted her.
        let rename = diff("per_1", RecordKind::Contact, Some(&v), &obj(json!({"name": "Ana María"})), &[]);
        apply(&mut e, &mut v, &rename, &stamp("A", 2, 2, &[]));
        apply(&mut e, &mut v, &delete, &stamp("B", 3, 1, &[("A", 1)]));
        assert_eq!(e.presence(), Presence::DeletePending);
        assert_eq!(e.deleted_by().map(|s| s.hlc.laptop.as_str()), Some("B"));
    }
}
