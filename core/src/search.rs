//! The search index: an inverted index of folded words, kept in memory beside sled.
//!
//! Every query word matches as a prefix ("igual gen" finds "Igualdad de Género"); all words
//! must match. The word whose prefix matches the fewest postings drives the search: only the
//! records in its postings are examined, each checked against the other words through its own
//! sorted term list. Results are ranked: the whole query equal to an acronym, then to a name,
//! title, e-mail or folio, then all words in name-like fields, then anywhere.

use crate::model::{AnyRecord, Id, RecordKind, RecordRef};
use crate::text::{fold, words};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

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
}

impl SearchField {
    const ALL: [SearchField; 22] = [
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
    ];

    fn bit(self) -> u32 {
        1 << (self as u8)
    }

    fn is_acronym(self) -> bool {
        matches!(self, SearchField::AcronymEs | SearchField::AcronymEn)
    }

    /// Fields that name the record: a match here outranks a match in its body, and their whole
    /// value is compared to the whole query for the top ranks.
    fn is_primary(self) -> bool {
        (self as u8) <= (SearchField::Emails as u8)
    }
}

/// The primary fields of every kind, as a mask.
const PRIMARY_MASK: u32 = (1 << (SearchField::Emails as u8 + 1)) - 1;

/// The searchable text of a record, field by field.
fn fields(record: &AnyRecord) -> Vec<(SearchField, &str)> {
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
    }
    out.retain(|(_, text)| !text.is_empty());
    out
}

type TermId = u32;
type Slot = u32;

/// One record's occurrence of a term: the record's slot and the fields it occurs in.
#[derive(Debug, Clone, Copy)]
struct Posting {
    slot: Slot,
    fields: u32,
}

#[derive(Debug)]
struct Doc {
    id: Id,
    kind: RecordKind,
    /// The doc's terms, to take it out of their postings.
    terms: Vec<TermId>,
    /// Its exact keys (folded whole values of name-like fields), to take it out of `keys`.
    keys: Vec<Box<str>>,
    /// Its folded title: orders hits of equal score.
    sort_key: Box<str>,
    /// The first 16 bytes of `sort_key`, to pick the top hits without touching strings.
    sort_prefix: u128,
}

#[derive(Debug, Default)]
struct Term {
    text: Box<str>,
    /// Sorted by slot.
    postings: Vec<Posting>,
}

#[derive(Debug, Default)]
pub(crate) struct SearchIndex {
    vocab: BTreeMap<Box<str>, TermId>,
    terms: Vec<Term>,
    free_terms: Vec<TermId>,
    /// Folded whole values of name-like fields → the docs holding them, for the top ranks.
    keys: HashMap<Box<str>, Vec<(Slot, SearchField)>>,
    docs: Vec<Option<Doc>>,
    free_slots: Vec<Slot>,
    slots: HashMap<Id, Slot>,
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
    /// How many records the search examined to answer: a measure of the index's selectivity.
    pub examined: usize,
}

/// Most hits a query returns.
pub const MAX_HITS: usize = 50;

/// The terms one query word matches as a prefix.
struct WordMatch {
    /// Term ids, each with whether it is the word itself.
    terms: Vec<(TermId, bool)>,
    /// Postings of all those terms together.
    cost: usize,
}

/// A record still in the running, with what the words matched so far tell about it.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    slot: Slot,
    /// Fields every word matched in.
    all: u32,
    /// Fields any word matched in.
    any: u32,
    /// Words that matched a whole term, not only a prefix.
    exact_words: u32,
}

impl SearchIndex {
    pub fn upsert(&mut self, record: &AnyRecord) {
        self.remove(record.id());
        let mut by_term: HashMap<TermId, u32> = HashMap::new();
        let mut keys: Vec<(SearchField, String)> = Vec::new();
        for (field, text) in fields(record) {
            let folded = fold(text);
            for word in words(&folded) {
                let term = self.intern(word);
                *by_term.entry(term).or_default() |= field.bit();
            }
            if field.is_primary() {
                let key = normalize_key(&folded);
                if !key.is_empty() && !keys.iter().any(|(f, k)| *f == field && *k == key) {
                    keys.push((field, key));
                }
            }
        }
        let slot = match self.free_slots.pop() {
            Some(slot) => slot,
            None => {
                self.docs.push(None);
                u32::try_from(self.docs.len() - 1).expect("fewer than 4 billion records")
            }
        };
        let mut terms = Vec::with_capacity(by_term.len());
        for (term, fields) in by_term {
            let postings = &mut self.terms[term as usize].postings;
            let at = postings.partition_point(|p| p.slot < slot);
            postings.insert(at, Posting { slot, fields });
            terms.push(term);
        }
        let mut doc_keys = Vec::with_capacity(keys.len());
        for (field, key) in keys {
            let key: Box<str> = key.into_boxed_str();
            self.keys.entry(key.clone()).or_default().push((slot, field));
            doc_keys.push(key);
        }
        let sort_key = fold(&crate::catalog::title_of(record)).into_boxed_str();
        let mut prefix = [0u8; 16];
        let n = sort_key.len().min(16);
        prefix[..n].copy_from_slice(&sort_key.as_bytes()[..n]);
        let sort_prefix = u128::from_be_bytes(prefix);
        self.docs[slot as usize] = Some(Doc {
            id: record.id().clone(),
            kind: record.kind(),
            terms,
            keys: doc_keys,
            sort_key,
            sort_prefix,
        });
        self.slots.insert(record.id().clone(), slot);
    }

    pub fn remove(&mut self, id: &Id) {
        let Some(slot) = self.slots.remove(id) else { return };
        let doc = self.docs[slot as usize].take().expect("slot map and docs agree");
        for term in doc.terms {
            let entry = &mut self.terms[term as usize];
            if let Ok(at) = entry.postings.binary_search_by_key(&slot, |p| p.slot) {
                entry.postings.remove(at);
            }
            if entry.postings.is_empty() {
                self.vocab.remove(&entry.text);
                entry.text = Box::from("");
                self.free_terms.push(term);
            }
        }
        for key in doc.keys {
            if let Some(holders) = self.keys.get_mut(&key) {
                holders.retain(|(s, _)| *s != slot);
                if holders.is_empty() {
                    self.keys.remove(&key);
                }
            }
        }
        self.free_slots.push(slot);
    }

    fn intern(&mut self, word: &str) -> TermId {
        if let Some(&id) = self.vocab.get(word) {
            return id;
        }
        let text: Box<str> = Box::from(word);
        let id = match self.free_terms.pop() {
            Some(id) => {
                self.terms[id as usize] = Term { text: text.clone(), postings: Vec::new() };
                id
            }
            None => {
                self.terms.push(Term { text: text.clone(), postings: Vec::new() });
                u32::try_from(self.terms.len() - 1).expect("fewer than 4 billion terms")
            }
        };
        self.vocab.insert(text, id);
        id
    }

    /// The terms starting with `word`, and how many postings they hold together.
    fn prefix_terms(&self, word: &str) -> WordMatch {
        let mut terms = Vec::new();
        let mut cost = 0;
        let from = (std::ops::Bound::Included(word), std::ops::Bound::Unbounded);
        for (text, &id) in self.vocab.range::<str, _>(from) {
            if !text.starts_with(word) {
                break;
            }
            terms.push((id, **text == *word));
            cost += self.terms[id as usize].postings.len();
        }
        WordMatch { terms, cost }
    }

    /// The union of a word's postings, sorted by slot: fields OR-ed, and whether the word
    /// matched a whole term there.
    fn union(&self, m: &WordMatch) -> Vec<(Posting, bool)> {
        let mut out: Vec<(Posting, bool)> = Vec::with_capacity(m.cost);
        for &(term, exact) in &m.terms {
            out.extend(self.terms[term as usize].postings.iter().map(|&p| (p, exact)));
        }
        if m.terms.len() > 1 {
            out.sort_unstable_by_key(|(p, _)| p.slot);
            out.dedup_by(|later, kept| {
                if later.0.slot == kept.0.slot {
                    kept.0.fields |= later.0.fields;
                    kept.1 |= later.1;
                    true
                } else {
                    false
                }
            });
        }
        out
    }

    /// Where the word occurs in one record, looked up term by term.
    fn probe(&self, m: &WordMatch, slot: Slot) -> Option<(u32, bool)> {
        let mut found: Option<(u32, bool)> = None;
        for &(term, exact) in &m.terms {
            let postings = &self.terms[term as usize].postings;
            if let Ok(at) = postings.binary_search_by_key(&slot, |p| p.slot) {
                let (fields, was_exact) = found.unwrap_or((0, false));
                found = Some((fields | postings[at].fields, was_exact | exact));
            }
        }
        found
    }

    /// Runs `query`; `title` names each hit for display.
    pub fn search(&self, query: &str, limit: usize, title: impl Fn(&Id) -> String) -> SearchResults {
        let folded = fold(query);
        let mut unique: Vec<&str> = Vec::new();
        for w in words(&folded) {
            if !unique.contains(&w) {
                unique.push(w);
            }
        }
        if unique.is_empty() {
            return SearchResults { hits: Vec::new(), total: 0, examined: 0 };
        }
        let mut matches: Vec<WordMatch> = unique.iter().map(|w| self.prefix_terms(w)).collect();
        matches.sort_by_key(|m| m.cost);
        let (driver, others) = matches.split_first().expect("at least one word");

        // The rarest word names the candidates; the others can only narrow them down.
        let mut candidates: Vec<Candidate> = self
            .union(driver)
            .into_iter()
            .map(|(p, exact)| Candidate {
                slot: p.slot,
                all: p.fields,
                any: p.fields,
                exact_words: u32::from(exact),
            })
            .collect();
        let examined = candidates.len();
        for m in others {
            if candidates.is_empty() {
                break;
            }
            // Few candidates against a common word: look each one up. Otherwise merge.
            let probe_cost = candidates.len() * m.terms.len() * 20;
            if probe_cost < m.cost {
                candidates.retain_mut(|c| match self.probe(m, c.slot) {
                    Some((fields, exact)) => {
                        c.all &= fields;
                        c.any |= fields;
                        c.exact_words += u32::from(exact);
                        true
                    }
                    None => false,
                });
            } else {
                let word = self.union(m);
                let mut i = 0;
                candidates.retain_mut(|c| {
                    while i < word.len() && word[i].0.slot < c.slot {
                        i += 1;
                    }
                    match word.get(i) {
                        Some((p, exact)) if p.slot == c.slot => {
                            c.all &= p.fields;
                            c.any |= p.fields;
                            c.exact_words += u32::from(*exact);
                            true
                        }
                        _ => false,
                    }
                });
            }
        }

        let whole_query = normalize_key(&folded);
        let exact_keys: &[(Slot, SearchField)] =
            self.keys.get(whole_query.as_str()).map_or(&[], Vec::as_slice);
        let total = candidates.len();
        let mut scored: Vec<(Score, u128, Slot, SearchField)> = candidates
            .into_iter()
            .map(|c| {
                let exact_key = exact_keys
                    .iter()
                    .filter(|(slot, _)| *slot == c.slot)
                    .map(|(_, f)| *f)
                    .min_by_key(|f| *f as u8);
                let tier = match exact_key {
                    Some(f) if f.is_acronym() => 0,
                    Some(_) => 1,
                    None if c.all & PRIMARY_MASK != 0 => 2,
                    None if c.any & PRIMARY_MASK != 0 => 3,
                    None => 4,
                };
                let matched = exact_key.unwrap_or_else(|| best_field(if c.all != 0 { c.all } else { c.any }));
                let doc = self.docs[c.slot as usize].as_ref().expect("postings point at live docs");
                let score = Score { tier, missing_exact: u32::MAX - c.exact_words, kind: doc.kind };
                (score, doc.sort_prefix, c.slot, matched)
            })
            .collect();
        let limit = limit.min(MAX_HITS);
        let doc = |slot: Slot| self.docs[slot as usize].as_ref().expect("postings point at live docs");
        // Pick the top hits on integers (score, title prefix, slot); order them by whole title.
        if scored.len() > limit {
            scored.select_nth_unstable_by_key(limit, |&(score, prefix, slot, _)| (score, prefix, slot));
            scored.truncate(limit);
        }
        scored.sort_by(|a, b| (a.0, &doc(a.2).sort_key, a.2).cmp(&(b.0, &doc(b.2).sort_key, b.2)));
        let hits = scored
            .into_iter()
            .map(|(_, _, slot, matched_field)| {
                let d = doc(slot);
                SearchHit {
                    record: RecordRef { kind: d.kind, id: d.id.clone(), title: title(&d.id) },
                    matched_field,
                }
            })
            .collect();
        SearchResults { hits, total, examined }
    }
}

/// Orders hits: lower is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Score {
    tier: u8,
    missing_exact: u32,
    kind: RecordKind,
}

fn best_field(mask: u32) -> SearchField {
    SearchField::ALL.into_iter().find(|f| mask & f.bit() != 0).unwrap_or(SearchField::Notes)
}

/// A folded value reduced to its words separated by single spaces, for whole-value comparison.
fn normalize_key(folded: &str) -> String {
    words(folded).collect::<Vec<_>>().join(" ")
}
