//! The peer an engineer would otherwise pick: SQLite (bundled, through rusqlite) in WAL mode with
//! `synchronous=FULL`, the records as JSON rows and an FTS5 index over the same text the app
//! searches, folded the same way (case and accents, `unicode61 remove_diacritics 2`), ranked
//! with bm25, name-like fields weighted ten to one.

use rusqlite::{Connection, params};
use std::path::Path;
use vinculo_core::AnyRecord;

pub struct Peer {
    conn: Connection,
}

/// A record's title, then its text in the two columns the FTS table has: what names it (the
/// app's primary fields: names, acronyms, titles, e-mails, folios) and the rest, taken from the
/// app's own list of what it searches.
fn columns(record: &AnyRecord) -> (String, String, String) {
    let (mut names, mut rest) = (Vec::new(), Vec::new());
    for (field, text) in vinculo_core::search_fields(record) {
        if field.is_primary() { &mut names } else { &mut rest }.push(text);
    }
    (record.title(), names.join("\n"), rest.join("\n"))
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
        put.execute(params![record.id().as_str(), record.kind().prefix(), title, body])?;
        let rowid = tx.last_insert_rowid();
        let mut index = tx.prepare_cached("INSERT INTO search(rowid, names, rest) VALUES (?1, ?2, ?3)")?;
        index.execute(params![rowid, names, rest])?;
        Ok(())
    }

    /// Writes records in one transaction, committed with WAL and `synchronous=FULL`: the bulk
    /// load, and a durable save (a meeting and its commitments).
    pub fn write<'a>(&mut self, records: impl IntoIterator<Item = &'a AnyRecord>) -> rusqlite::Result<()> {
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

    /// What a list screen over SQLite asks for: the first `limit` records of `kind` (its id
    /// prefix) by title, those holding every word of `text` as a prefix when it has words,
    /// and how many there are. Uses the index [`Peer::index_lists`] makes.
    pub fn list(
        &self,
        kind: &str,
        text: &str,
        limit: usize,
    ) -> rusqlite::Result<(usize, Vec<(String, String)>)> {
        let folded = vinculo_core::text::fold(text);
        let expression =
            vinculo_core::text::words(&folded).map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" ");
        let (count, rows) = if expression.is_empty() {
            (
                "SELECT count(*) FROM records WHERE kind = ?1 AND ?2 = ''",
                "SELECT id, body FROM records WHERE kind = ?1 AND ?2 = '' ORDER BY title LIMIT ?3",
            )
        } else {
            (
                "SELECT count(*) FROM search JOIN records r ON r.rowid = search.rowid
                 WHERE r.kind = ?1 AND search MATCH ?2",
                "SELECT r.id, r.body FROM search JOIN records r ON r.rowid = search.rowid
                 WHERE r.kind = ?1 AND search MATCH ?2 ORDER BY r.title LIMIT ?3",
            )
        };
        let total: i64 =
            self.conn.prepare_cached(count)?.query_row(params![kind, expression], |row| row.get(0))?;
        let mut stmt = self.conn.prepare_cached(rows)?;
        let found =
            stmt.query_map(params![kind, expression, limit as i64], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok((total as usize, found.collect::<rusqlite::Result<_>>()?))
    }

    /// The index a list screen over SQLite would keep: by kind, then title.
    pub fn index_lists(&self) -> rusqlite::Result<()> {
        self.conn.execute_batch("CREATE INDEX IF NOT EXISTS records_by_title ON records(kind, title)")
    }

    /// The report's figures by SQL over the records' JSON, as an app keeping JSON in SQLite
    /// would: the period's activities by kind with the people reached, the commitments due in
    /// it by status (and how many on time), the instruments signed in it, and the
    /// organizations in active collaboration by kind. Returns the rows the queries gave.
    pub fn report(&self, from: &str, until: &str) -> rusqlite::Result<usize> {
        const QUERIES: [&str; 4] = [
            "SELECT json_extract(body, '$.record.kind') AS k, count(*),
                    sum(coalesce(json_extract(body, '$.record.peopleReached'), 0)),
                    sum(coalesce(json_extract(body, '$.record.womenReached'), 0)),
                    sum(coalesce(json_extract(body, '$.record.menReached'), 0))
             FROM records WHERE kind = 'act' AND json_extract(body, '$.record.status') <> 'cancelled'
               AND json_extract(body, '$.record.startsOn') <= ?2
               AND coalesce(json_extract(body, '$.record.endsOn'), json_extract(body, '$.record.startsOn')) >= ?1
             GROUP BY k",
            "SELECT json_extract(body, '$.record.status') AS s, count(*),
                    sum(json_extract(body, '$.record.doneOn') <= json_extract(body, '$.record.dueOn'))
             FROM records WHERE kind = 'cmt' AND json_extract(body, '$.record.dueOn') BETWEEN ?1 AND ?2
             GROUP BY s",
            "SELECT count(*) FROM records
             WHERE kind = 'agr' AND json_extract(body, '$.record.signedOn') BETWEEN ?1 AND ?2",
            "SELECT json_extract(body, '$.record.kind') AS k, count(*) FROM records
             WHERE kind = 'org' AND json_extract(body, '$.record.relationship') = 'activeCollaboration'
               AND ?1 <= ?2
             GROUP BY k",
        ];
        let mut rows = 0;
        for query in QUERIES {
            let mut stmt = self.conn.prepare_cached(query)?;
            rows += stmt.query_map(params![from, until], |_| Ok(()))?.count();
        }
        Ok(rows)
    }

    /// Checkpoints the WAL into the database, as a quiet app would before closing.
    pub fn close(self) -> rusqlite::Result<()> {
        self.conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")?;
        self.conn.close().map_err(|(_, e)| e)
    }
}
