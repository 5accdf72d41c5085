//! The search index: folded words → for each field they occur in, the set of records (slots)
//! holding them there, as compressed bitmaps; kept in memory beside sled and saved with the
//! catalog between sessions (`state.rs`).
//!
//! Every query word matches as a prefix ("igual gen" finds "Igualdad de Género"); all words
//! must match. A query is answered with set operations, never record by record: each word's
//! records (per field, united over the terms it is a prefix of) are intersected, and the
//! ranks are sets too: the whole query equal to an acronym, then to a name, title, e-mail or
//! folio (an exact-value map), then all words in one name-like field, then some word in one,
//! then anywhere. Within a rank, records where more words matched a whole term come first,
//! then by kind, then by title; only the records of the last rank a page needs are looked at
//! one by one, to take the first titles.

use super::catalog::Catalog;
use super::key::Slot;
use crate::model::{AnyRecord, RecordKind, RecordRef};
use crate::text::{fold, words};
use roaring::{MultiOps, RoaringBitmap};
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// What a query matches, for a list to filter by.
#[derive(Debug)]
pub(crate) struct Matching {
    /// For each word: the records holding it in any field, and those holding it in a name,
    /// acronym, title or e-mail.
    words: Vec<(Bits, Bits)>,
    /// The records whose name, acronym, title, e-mail or folio is the whole query.
    pub exact: RoaringBitmap,
}

impl Matching {
    /// Whether each word is in the record in `slot`, or in the name of one it refers to
    /// (`refs`): «ana ine» finds Ana at the INE.
    pub fn holds(&self, slot: Slot, refs: &[Slot]) -> bool {
        self.words.iter().all(|(any, named)| any.has(slot) || refs.iter().any(|&r| named.has(r)))
    }
}

/// A set of slots as one bit each: a list asks it of every record it goes through, and a
/// bit is cheaper to read than a compressed bitmap's.
#[derive(Debug, Default)]
struct Bits(Vec<u64>);

impl Bits {
    fn of(set: &RoaringBitmap) -> Bits {
        let mut words = vec![0u64; set.max().map_or(0, |last| last as usize / 64 + 1)];
        for slot in set {
            words[slot as usize / 64] |= 1 << (slot % 64);
        }
        Bits(words)
    }

    fn has(&self, slot: Slot) -> bool {
        self.0.get(slot as usize / 64).is_some_and(|w| (w >> (slot % 64)) & 1 == 1)
    }
}

/// The fields search looks in, reported as the field a result matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
#[repr(u8)]
pub enum SearchField {
    AcronymEs,
    AcronymEn,
    NameEs,
    NameEn,
    FullName,
    Title,
    Folio,
    Emails,
    Post,
    Description,
    Phones,
    Tags,
    City,
    Place,
    Purpose,
    Objective,
    Agenda,
    Minutes,
    TalkingPoints,
    Notes,
    Evidence,
    IecmArea,
    Products,
}

impl SearchField {
    pub(crate) const ALL: [SearchField; 23] = [
        SearchField::AcronymEs,
        SearchField::AcronymEn,
        SearchField::NameEs,
        SearchField::NameEn,
        SearchField::FullName,
        SearchField::Title,
        SearchField::Folio,
        SearchField::Emails,
        SearchField::Post,
        SearchField::Description,
        SearchField::Phones,
        SearchField::Tags,
        SearchField::City,
        SearchField::Place,
        SearchField::Purpose,
        SearchField::Objective,
        SearchField::Agenda,
        SearchField::Minutes,
        SearchField::TalkingPoints,
        SearchField::Notes,
        SearchField::Evidence,
        SearchField::IecmArea,
        SearchField::Products,
    ];

    fn bit(self) -> u32 {
        1 << (self as u8)
    }

    pub(crate) fn from_index(i: u8) -> Option<SearchField> {
        SearchField::ALL.get(usize::from(i)).copied()
    }

    fn is_acronym(self) -> bool {
        matches!(self, SearchField::AcronymEs | SearchField::AcronymEn)
    }

    /// Fields that name the record: a match here outranks a match in its body, and their whole
    /// value is compared to the whole query for the top ranks.
    pub fn is_primary(self) -> bool {
        (self as u8) <= (SearchField::Emails as u8)
    }
}

/// How many fields are primary: they come first in [`SearchField::ALL`].
const PRIMARY: usize = SearchField::Emails as usize + 1;

/// The searchable text of a record, field by field (empty fields left out).
pub fn search_fields(record: &AnyRecord) -> Vec<(SearchField, &str)> {
    use SearchField as F;
    let mut out: Vec<(SearchField, &str)> = Vec::new();
    match record {
        AnyRecord::Organization(o) => {
            out.extend([
                (F::AcronymEs, o.acronym_es.as_str()),
                (F::AcronymEn, &o.acronym_en),
                (F::NameEs, &o.name_es),
                (F::NameEn, &o.name_en),
                (F::City, &o.city),
                (F::Notes, &o.notes),
            ]);
            out.extend(o.tags.iter().map(|t| (F::Tags, t.as_str())));
        }
        AnyRecord::Contact(c) => {
            out.extend([(F::FullName, c.full_name.as_str()), (F::Post, &c.post), (F::Notes, &c.notes)]);
            out.extend(c.emails.iter().map(|e| (F::Emails, e.value.as_str())));
            out.extend(c.phones.iter().map(|p| (F::Phones, p.value.as_str())));
            out.extend(c.tags.iter().map(|t| (F::Tags, t.as_str())));
        }
        AnyRecord::Meeting(m) => out.extend([
            (F::Title, m.title.as_str()),
            (F::Place, &m.place),
            (F::Objective, &m.objective),
            (F::Agenda, &m.agenda),
            (F::Minutes, &m.minutes),
            (F::TalkingPoints, &m.talking_points),
        ]),
        AnyRecord::Agreement(a) => out.extend([
            (F::Title, a.title.as_str()),
            (F::Folio, &a.folio),
            (F::Purpose, &a.purpose),
            (F::IecmArea, &a.iecm_area),
            (F::Notes, &a.notes),
        ]),
        AnyRecord::Commitment(c) => {
            out.extend([(F::Description, c.description.as_str()), (F::Evidence, &c.evidence)])
        }
        AnyRecord::Activity(a) => out.extend([
            (F::Title, a.title.as_str()),
            (F::Place, &a.place),
            (F::Description, &a.description),
            (F::Products, &a.products),
            (F::IecmArea, &a.iecm_area),
            (F::Notes, &a.notes),
        ]),
        AnyRecord::Document(d) => out.extend([(F::Title, d.name.as_str()), (F::Notes, &d.note)]),
    }
    out.retain(|(_, text)| !text.is_empty());
    out
}

/// What one record puts in the index: its words with the fields they occur in, and the
/// hashes of the whole values of its name-like fields.
struct Analysis {
    /// The folded text of each field, which `terms` borrows from.
    folded: Vec<(SearchField, String)>,
    keys: Vec<(SearchField, u64)>,
}

impl Analysis {
    fn of(record: &AnyRecord) -> Analysis {
        let folded: Vec<(SearchField, String)> =
            search_fields(record).into_iter().map(|(f, t)| (f, fold(t))).collect();
        let mut keys: Vec<(SearchField, u64)> = Vec::new();
        for (field, text) in folded.iter().filter(|(f, _)| f.is_primary()) {
            let key = normalize_key(text);
            if !key.is_empty() && !keys.contains(&(*field, key_hash(&key))) {
                keys.push((*field, key_hash(&key)));
            }
        }
        Analysis { folded, keys }
    }

    /// Each word once, with the fields it occurs in.
    fn terms(&self) -> FxHashMap<&str, u32> {
        let mut terms: FxHashMap<&str, u32> = FxHashMap::default();
        for (field, text) in &self.folded {
            for word in words(text) {
                *terms.entry(word).or_default() |= field.bit();
            }
        }
        terms
    }
}

/// The records a term occurs in, per field (only the fields it occurs in).
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Term {
    pub(crate) fields: Vec<(SearchField, RoaringBitmap)>,
}

impl Term {
    fn insert(&mut self, field: SearchField, slot: Slot) {
        match self.fields.iter_mut().find(|(f, _)| *f == field) {
            Some((_, set)) => {
                set.insert(slot);
            }
            None => {
                let at = self.fields.partition_point(|(f, _)| (*f as u8) < (field as u8));
                let mut set = RoaringBitmap::new();
                set.insert(slot);
                self.fields.insert(at, (field, set));
            }
        }
    }
}

/// Holders of one exact whole value: most values have one.
pub(crate) type Holders = Vec<(Slot, SearchField)>;

#[derive(Debug, Default)]
pub(crate) struct SearchIndex {
    pub(crate) vocab: BTreeMap<Box<str>, Term>,
    /// FNV-1a hash of a folded whole value of a name-like field → the records holding it.
    pub(crate) keys: FxHashMap<u64, Holders>,
    /// Per slot: the first 16 bytes of the folded title, to order hits without strings.
    pub(crate) prefixes: Vec<u128>,
}

/// One search hit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    #[serde(flatten)]
    pub record: RecordRef,
    /// The field that matched best.
    pub matched_field: SearchField,
}

/// The outcome of a query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    /// How many records matched in all (hits are capped).
    pub total: usize,
    /// How many records the search looked at one by one to rank them: a measure of the
    /// index's selectivity.
    pub examined: usize,
}

/// Most hits a query returns.
pub const MAX_HITS: usize = 50;

/// Orders hits: lower is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Score {
    tier: u8,
    missing_exact: u32,
    kind: RecordKind,
}

/// What one query word matched: per field, the records where one of the terms it is a
/// prefix of occurs there; and the records holding the word itself as a whole term.
struct Word<'a> {
    by_field: Vec<(SearchField, Cow<'a, RoaringBitmap>)>,
    any: Cow<'a, RoaringBitmap>,
    exact: RoaringBitmap,
}

impl Word<'_> {
    fn field(&self, field: SearchField) -> Option<&RoaringBitmap> {
        self.by_field.iter().find(|(f, _)| *f == field).map(|(_, s)| s.as_ref())
    }

    /// The fields where it matched in record `slot`, as a mask.
    fn mask(&self, slot: Slot) -> u32 {
        self.by_field.iter().filter(|(_, s)| s.contains(slot)).fold(0, |m, (f, _)| m | f.bit())
    }
}

fn prefix_of(title: &str) -> u128 {
    let folded = fold(title);
    let mut prefix = [0u8; 16];
    let n = folded.len().min(16);
    prefix[..n].copy_from_slice(&folded.as_bytes()[..n]);
    u128::from_be_bytes(prefix)
}

impl SearchIndex {
    /// The title prefix of `slot`: its first 16 folded bytes, compared as a number (zero for a
    /// slot it never held).
    pub(crate) fn prefix(&self, slot: Slot) -> u128 {
        self.prefixes.get(slot as usize).copied().unwrap_or(0)
    }

    /// Adds `record` (new in `slot`, or its earlier version removed first).
    pub fn insert(&mut self, slot: Slot, record: &AnyRecord) {
        let analysis = Analysis::of(record);
        for (word, mask) in analysis.terms() {
            let term = match self.vocab.get_mut(word) {
                Some(term) => term,
                None => self.vocab.entry(word.into()).or_default(),
            };
            for field in SearchField::ALL.into_iter().filter(|f| mask & f.bit() != 0) {
                term.insert(field, slot);
            }
        }
        for (field, hash) in analysis.keys {
            self.keys.entry(hash).or_default().push((slot, field));
        }
        let i = slot as usize;
        if self.prefixes.len() <= i {
            self.prefixes.resize(i + 1, 0);
        }
        self.prefixes[i] = prefix_of(&record.title());
    }

    /// Takes `record`, as it was indexed in `slot`, out of the index.
    pub fn remove(&mut self, slot: Slot, record: &AnyRecord) {
        let analysis = Analysis::of(record);
        for (word, mask) in analysis.terms() {
            let Some(term) = self.vocab.get_mut(word) else { continue };
            term.fields.retain_mut(|(field, set)| {
                if mask & field.bit() != 0 {
                    set.remove(slot);
                }
                !set.is_empty()
            });
            if term.fields.is_empty() {
                self.vocab.remove(word);
            }
        }
        for (field, hash) in analysis.keys {
            if let Some(holders) = self.keys.get_mut(&hash) {
                holders.retain(|&(s, f)| (s, f) != (slot, field));
                if holders.is_empty() {
                    self.keys.remove(&hash);
                }
            }
        }
    }

    /// Takes every record in `slots` out of the index without knowing what they held (after
    /// changes the index missed): one pass over every term.
    pub fn remove_all(&mut self, slots: &RoaringBitmap) {
        if slots.is_empty() {
            return;
        }
        self.vocab.retain(|_, term| {
            term.fields.retain_mut(|(_, set)| {
                *set -= slots;
                !set.is_empty()
            });
            !term.fields.is_empty()
        });
        self.keys.retain(|_, holders| {
            holders.retain(|(s, _)| !slots.contains(*s));
            !holders.is_empty()
        });
    }

    /// What `word` matches as a prefix; `None` when no term starts with it.
    fn word(&self, word: &str) -> Option<Word<'_>> {
        let from = (std::ops::Bound::Included(word), std::ops::Bound::Unbounded);
        let matched: Vec<(&str, &Term)> = self
            .vocab
            .range::<str, _>(from)
            .take_while(|(text, _)| text.starts_with(word))
            .map(|(text, term)| (&**text, term))
            .collect();
        if matched.is_empty() {
            return None;
        }
        let exact = matched
            .iter()
            .find(|(text, _)| *text == word)
            .map(|(_, term)| term.fields.iter().map(|(_, s)| s).union())
            .unwrap_or_default();
        let mut per_field: [Vec<&RoaringBitmap>; SearchField::ALL.len()] = Default::default();
        for (_, term) in &matched {
            for (field, set) in &term.fields {
                per_field[*field as usize].push(set);
            }
        }
        let by_field: Vec<(SearchField, Cow<'_, RoaringBitmap>)> = SearchField::ALL
            .into_iter()
            .zip(per_field)
            .filter_map(|(field, sets)| match sets.as_slice() {
                [] => None,
                [only] => Some((field, Cow::Borrowed(*only))),
                _ => Some((field, Cow::Owned(sets.into_iter().union()))),
            })
            .collect();
        let any = match by_field.as_slice() {
            [(_, Cow::Borrowed(only))] => Cow::Borrowed(*only),
            many => Cow::Owned(many.iter().map(|(_, s)| s.as_ref()).union()),
        };
        Some(Word { by_field, any, exact })
    }

    /// The distinct words of a folded query, each with what it matches: `None` when a word
    /// matches nothing, empty when the query has no words.
    fn query_words(&self, folded: &str) -> Option<Vec<Word<'_>>> {
        let mut unique: Vec<&str> = Vec::new();
        for w in words(folded) {
            if !unique.contains(&w) {
                unique.push(w);
            }
        }
        unique.iter().map(|w| self.word(w)).collect()
    }

    /// What `query` matches, word by word, for a list to filter by; `None` for a query of no
    /// words.
    pub fn matching(&self, query: &str) -> Option<Matching> {
        let folded = fold(query);
        let Some(matched) = self.query_words(&folded) else {
            // A word no term starts with: nothing holds it.
            return Some(Matching { words: vec![Default::default()], exact: RoaringBitmap::new() });
        };
        if matched.is_empty() {
            return None;
        }
        let words: Vec<(Bits, Bits)> = matched
            .iter()
            .map(|w| {
                let named: RoaringBitmap =
                    w.by_field.iter().filter(|(f, _)| f.is_primary()).map(|(_, s)| s.as_ref()).union();
                (Bits::of(&w.any), Bits::of(&named))
            })
            .collect();
        let exact = self
            .keys
            .get(&key_hash(&normalize_key(&folded)))
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|&(slot, _)| slot)
            .filter(|&slot| words.iter().all(|(any, _)| any.has(slot)))
            .collect();
        Some(Matching { words, exact })
    }

    /// Runs `query`; the catalog tells each record's kind and names the hits.
    pub fn search(&self, query: &str, limit: usize, catalog: &Catalog) -> SearchResults {
        let none = SearchResults { hits: Vec::new(), total: 0, examined: 0 };
        let folded = fold(query);
        let Some(mut matched) = self.query_words(&folded) else { return none };
        if matched.is_empty() {
            return none;
        }
        matched.sort_by_key(|w| w.any.len());
        let all: RoaringBitmap = matched.iter().map(|w| w.any.as_ref()).intersection();
        let total = all.len() as usize;
        let limit = limit.min(MAX_HITS);
        if total == 0 || limit == 0 {
            return SearchResults { hits: Vec::new(), total, examined: 0 };
        }

        let mut ranked = Ranking {
            index: self,
            kinds: &catalog.kinds,
            words: &matched,
            limit,
            hits: Vec::new(),
            examined: 0,
        };
        // The whole query equal to a name-like field's whole value: acronyms first.
        let key = normalize_key(&folded);
        let mut exact_values = RoaringBitmap::new();
        let mut holders: Vec<(Slot, SearchField)> = self
            .keys
            .get(&key_hash(&key))
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter(|(slot, _)| all.contains(*slot))
            .copied()
            .collect();
        holders.sort_by_key(|&(slot, field)| (slot, field as u8));
        holders.dedup_by_key(|(slot, _)| *slot);
        for (slot, field) in holders {
            exact_values.insert(slot);
            let tier = if field.is_acronym() { 0 } else { 1 };
            ranked.push(tier, slot, Some(field));
        }
        ranked.examined += exact_values.len() as usize;
        // All words in one name-like field; then some word in one; then anywhere.
        let in_one_primary: RoaringBitmap = SearchField::ALL[..PRIMARY]
            .iter()
            .filter_map(|&f| matched.iter().map(|w| w.field(f)).collect::<Option<Vec<_>>>())
            .map(|sets| sets.into_iter().intersection())
            .union();
        let named = &in_one_primary - &exact_values;
        ranked.tier(2, &named);
        if !ranked.full() {
            let some_primary: RoaringBitmap = matched
                .iter()
                .flat_map(|w| w.by_field.iter().filter(|(f, _)| f.is_primary()).map(|(_, s)| s.as_ref()))
                .union();
            let some_primary = (&some_primary & &all) - &in_one_primary - &exact_values;
            ranked.tier(3, &some_primary);
            if !ranked.full() {
                let rest = &all - &in_one_primary - &some_primary - &exact_values;
                ranked.tier(4, &rest);
            }
        }
        let examined = ranked.examined;
        let mut hits = ranked.hits;
        // Equal scores in title order: the 16-byte prefixes decide, whole titles on a tie.
        hits.sort_by_key(|h| (h.score, self.prefix(h.slot), h.slot));
        hits.truncate(limit);
        let mut named_hits: Vec<(SearchHit, (Score, u128, String, Slot))> = hits
            .into_iter()
            .filter_map(|h| {
                let record = catalog.at(h.slot)?.to_ref();
                let field = h.field.unwrap_or_else(|| self.best_field(&matched, h.slot));
                let order = (h.score, self.prefix(h.slot), String::new(), h.slot);
                Some((SearchHit { record, matched_field: field }, order))
            })
            .collect();
        let ties = named_hits.windows(2).any(|w| (w[0].1.0, w[0].1.1) == (w[1].1.0, w[1].1.1));
        if ties {
            for (hit, order) in &mut named_hits {
                order.2 = fold(&hit.record.title);
            }
            named_hits.sort_by(|a, b| a.1.cmp(&b.1));
        }
        SearchResults { hits: named_hits.into_iter().map(|(h, _)| h).collect(), total, examined }
    }

    /// The field a hit is reported under: the first where all words matched, or else the
    /// first where any did.
    fn best_field(&self, words: &[Word<'_>], slot: Slot) -> SearchField {
        let masks: Vec<u32> = words.iter().map(|w| w.mask(slot)).collect();
        let all = masks.iter().fold(u32::MAX, |a, m| a & m);
        let any = masks.iter().fold(0, |a, m| a | m);
        let mask = if all != 0 { all } else { any };
        SearchField::ALL.into_iter().find(|f| mask & f.bit() != 0).unwrap_or(SearchField::Notes)
    }
}

struct Hit {
    score: Score,
    slot: Slot,
    field: Option<SearchField>,
}

/// The hits of one query, filled rank by rank until the page is full.
struct Ranking<'i, 'w> {
    index: &'i SearchIndex,
    kinds: &'i [RoaringBitmap; RecordKind::ALL.len()],
    words: &'w [Word<'i>],
    limit: usize,
    hits: Vec<Hit>,
    examined: usize,
}

impl Ranking<'_, '_> {
    fn full(&self) -> bool {
        self.hits.len() >= self.limit
    }

    fn push(&mut self, tier: u8, slot: Slot, field: Option<SearchField>) {
        let kind = RecordKind::ALL
            .into_iter()
            .find(|k| self.kinds[k.index()].contains(slot))
            .unwrap_or(RecordKind::Commitment);
        let exact = self.words.iter().filter(|w| w.exact.contains(slot)).count() as u32;
        let missing_exact = self.words.len() as u32 - exact;
        self.hits.push(Hit { score: Score { tier, missing_exact, kind }, slot, field });
    }

    /// Adds the best of `set` (all of one tier) until the page is full: by how many words
    /// matched a whole term, then kind, then title.
    fn tier(&mut self, tier: u8, set: &RoaringBitmap) {
        if set.is_empty() || self.full() {
            return;
        }
        let words = self.words.len();
        // at_least[j]: the records of `set` where at least j words matched a whole term.
        let mut at_least: Vec<RoaringBitmap> = vec![RoaringBitmap::new(); words + 2];
        at_least[0] = set.clone();
        for w in self.words {
            if w.exact.is_empty() {
                continue;
            }
            for j in (1..=words).rev() {
                let more = &at_least[j - 1] & &w.exact;
                at_least[j] |= more;
            }
        }
        for j in (0..=words).rev() {
            let class = &at_least[j] - &at_least[j + 1];
            for kind in RecordKind::ALL {
                if self.full() {
                    return;
                }
                let of_kind = &class & &self.kinds[kind.index()];
                if of_kind.is_empty() {
                    continue;
                }
                let need = self.limit - self.hits.len();
                let mut best: Vec<(u128, Slot)> =
                    of_kind.iter().map(|slot| (self.index.prefix(slot), slot)).collect();
                self.examined += best.len();
                if best.len() > need {
                    best.select_nth_unstable(need);
                    best.truncate(need);
                }
                let missing_exact = (words - j) as u32;
                for (_, slot) in best {
                    self.hits.push(Hit { score: Score { tier, missing_exact, kind }, slot, field: None });
                }
            }
        }
    }
}

/// A folded value reduced to its words separated by single spaces, for whole-value comparison.
fn normalize_key(folded: &str) -> String {
    words(folded).collect::<Vec<_>>().join(" ")
}

/// FNV-1a, 64 bits: the exact-value map is saved between sessions, so its hash must never
/// change with a library's version.
fn key_hash(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}
