//! The audit log as the screens show it: newest first, filtered by record, kind of event and
//! office days, each entry's record named by its title today (or known to be gone).

use crate::clock::office_today;
use crate::error::{Code, Error, Result, Violation};
use crate::model::{Id, RecordKind};
use crate::store::{AuditEvent, Store, Verification};
use crate::validate::parse_date;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The most entries one answer holds; `matched` says how many there were.
pub const AUDIT_PAGE: usize = 500;

/// Which entries to show: every condition given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub record: Option<Id>,
    /// Any of these (all when empty).
    pub events: Vec<AuditEvent>,
    /// From this office day on, inclusive.
    pub from: Option<Date>,
    /// Up to this office day, inclusive.
    pub to: Option<Date>,
}

/// A filter as a screen sends it (days as `YYYY-MM-DD`, empty for none), to be checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuditQuery {
    #[serde(default)]
    pub record: Option<String>,
    #[serde(default)]
    pub events: Vec<AuditEvent>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
}

impl AuditQuery {
    /// The filter, or every value that is not one (at its field).
    pub fn filter(self) -> Result<AuditFilter> {
        let mut found = Vec::new();
        let text = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        let record = text(self.record).and_then(|raw| {
            let id = Id::parse(&raw);
            if id.is_none() {
                found.push(Violation::new("record", Code::InvalidId));
            }
            id
        });
        let mut day = |field: &str, v: Option<String>| {
            text(v).and_then(|raw| {
                let date = parse_date(&raw);
                if date.is_none() {
                    found.push(Violation::new(field, Code::InvalidDate));
                }
                date
            })
        };
        let (from, to) = (day("from", self.from), day("to", self.to));
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            found.push(Violation::new("to", Code::EndBeforeStart));
        }
        if !found.is_empty() {
            return Err(Error::Invalid(found));
        }
        Ok(AuditFilter { record, events: self.events, from, to })
    }
}

/// A record an entry names, as it is now.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditRecord {
    pub id: Id,
    pub kind: Option<RecordKind>,
    /// `None` once the record is deleted.
    pub title: Option<String>,
}

/// One entry, for a screen.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditRow {
    pub n: u64,
    pub at: Timestamp,
    pub who: String,
    pub event: AuditEvent,
    pub record: Option<AuditRecord>,
    pub fields: Vec<String>,
    pub count: Option<u64>,
    pub detail: String,
    /// The record it names was erased for good (an *erased* entry came later).
    pub erased: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditView {
    /// Newest first, at most [`AUDIT_PAGE`].
    pub rows: Vec<AuditRow>,
    /// How many entries the filter matched.
    pub matched: usize,
    /// Whether the whole chain holds (not only the entries shown).
    pub verification: Verification,
}

impl Store {
    /// The audit log's entries `filter` admits, newest first, at most [`AUDIT_PAGE`].
    pub fn audit_view(&self, filter: &AuditFilter) -> Result<AuditView> {
        self.audit_page(filter, AUDIT_PAGE)
    }

    /// [`Store::audit_view`] with at most `limit` rows.
    pub(crate) fn audit_page(&self, filter: &AuditFilter, limit: usize) -> Result<AuditView> {
        let dated = filter.from.is_some() || filter.to.is_some();
        let selected = self.audit_select(limit, |at, event, record| {
            filter.record.as_ref().is_none_or(|id| record == Some(id))
                && (filter.events.is_empty() || filter.events.contains(&event))
                && (!dated || {
                    let day = office_today(at);
                    filter.from.is_none_or(|from| day >= from) && filter.to.is_none_or(|to| day <= to)
                })
        })?;
        let rows = self.with_catalog(|catalog| {
            selected
                .entries
                .into_iter()
                .map(|(e, erased)| AuditRow {
                    n: e.n,
                    at: e.at,
                    who: e.who,
                    event: e.event,
                    erased,
                    record: e.record.map(|id| AuditRecord {
                        kind: id.kind(),
                        title: catalog.get(&id).map(|s| s.title().to_owned()),
                        id,
                    }),
                    fields: e.fields,
                    count: e.count,
                    detail: e.detail,
                })
                .collect()
        });
        Ok(AuditView { rows, matched: selected.matched, verification: selected.verification })
    }
}
