//! The peer an engineer would otherwise pick: SQLite (bundled, through rusqlite) in WAL mode with
//! `synchronous=FULL`, the records as JSON rows and an FTS5 index over the same text the app
//! searches, folded the same way (case and accents, `unicode61 remove_diacritics 2`), ranked
//! with bm25, name-like fields weighted ten to one.

use rusqlite::{Connection, params};
use std::path::Path;
use vinculo_core::{AnyRecord, RecordKind};

pub struct Peer {
    conn: Connection,
}

/// The text of a record in the two columns the FTS table has: what names it (names, acronyms,
/// titles, e-mails, folios) and the rest (posts, notes, minutes…), as the app's index splits them.
fn columns(record: &AnyRecord) -> (String, String, String) {
    let join =
        |parts: &[&str]| parts.iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join("\n");
    match record {
        AnyRecord::Organization(o) => (
            o.display_name().to_owned(),
            join(&[&o.acronym_es, &o.acronym_en, &o.name_es, &o.name_en]),
            join(&[&o.city, &o.notes, &o.tags.join("\n")]),
        ),
        AnyRecord::Contact(c) => {
            let emails: Vec<&str> = c.emails.iter().map(|e| e.value.as_str()).collect();
            let phones: Vec<&str> = c.phones.iter().map(|p| p.value.as_str()).collect();
            (
                c.full_name.clone(),
                join(&[&c.full_name, &emails.join("\n")]),
                join(&[&c.post, &c.notes, &phones.join("\n"), &c.tags.join("\n")]),
            )
        }
        AnyRecord::Meeting(m) => (
            m.title.clone(),
            m.title.clone(),
            join(&[&m.place, &m.objective, &m.agenda, &m.minutes, &m.talking_points]),
        ),
        AnyRecord::Agreement(a) => {
            (a.title.clone(), join(&[&a.title, &a.folio]), join(&[&a.purpose, &a.iecm_area, &a.notes]))
        }
        AnyRecord::Commitment(c) => {
            (c.description.lines().next().unwrap_or("").to_owned(), c.description.clone(), c.evidence.clone())
        }
    }
}

fn kind_name(kind: RecordKind) -> &'static str {
    kind.prefix()
}

impl Peer {
    /// Opens (creating) the database at `path`, as an app would at start.
    pub fn open(path: &Path) -> rusqlite::Result<Peer> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS records(
                 rowid INTEGER PRIMARY KEY,
                 id TEXT NOT NULL UNIQUE,
                 kind TEXT NOT NULL,
                 title TEXT NOT NULL,
                 body TEXT NOT NULL);
             CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5(
                 names, rest, tokenize = 'unicode61 remove_diacritics 2');",
        )?;
        Ok(Peer { conn })
    }

    fn insert(tx: &rusqlite::Transaction<'_>, record: &AnyRecord) -> rusqlite::Result<()> {
        let (title, names, rest) = columns(record);
        let body = serde_json::to_string(record).expect("records serialize");
        let mut put =
            tx.prepare_cached("INSERT INTO records(id, kind, title, body) VALUES (?1, ?2, ?3, ?4)")?;
        put.execute(params![record.id().as_str(), kind_name(record.kind()), title, body])?;
        let rowid = tx.last_insert_rowid();
        let mut index = tx.prepare_cached("INSERT INTO search(rowid, names, rest) VALUES (?1, ?2, ?3)")?;
        index.execute(params![rowid, names, rest])?;
        Ok(())
    }

    /// Loads records in one transaction (the bulk path, not timed against anything).
    pub fn load<'a>(&mut self, records: impl Iterator<Item = &'a AnyRecord>) -> rusqlite::Result<()> {
        let tx = self.conn.transaction()?;
        for r in records {
            Peer::insert(&tx, r)?;
        }
        tx.commit()
    }

    /// A durable save: the records (a meeting and its commitments) in one transaction,
    /// committed with WAL and `synchronous=FULL`.
    pub fn save(&mut self, records: &[AnyRecord]) -> rusqlite::Result<()> {
        let tx = self.conn.transaction()?;
        for r in records {
            Peer::insert(&tx, r)?;
        }
        tx.commit()
    }

    /// The top 50 (or `limit`) records matching every word of `query` as a prefix, best first.
    pub fn search(&self, query: &str, limit: usize) -> rusqlite::Result<Vec<(String, String)>> {
        let folded = vinculo_core::text::fold(query);
        let expression =
            vinculo_core::text::words(&folded).map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" ");
        if expression.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.id, r.title FROM search JOIN records r ON r.rowid = search.rowid
             WHERE search MATCH ?1 ORDER BY bm25(search, 10.0, 1.0) LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![expression, limit as i64], |row| Ok((row.get(0)?, row.get(1)?)))?;
        rows.collect()
    }

    /// Checkpoints the WAL into the database, as a quiet app would before closing.
    pub fn close(self) -> rusqlite::Result<()> {
        self.conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")?;
        self.conn.close().map_err(|(_, e)| e)
    }
}
