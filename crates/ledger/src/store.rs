//! The record kept in SQLite: one file, no server to install.
//!
//! Write-ahead logging with `synchronous = FULL` (an acknowledged append
//! survives a crash), foreign keys on, the schema versioned in its own
//! `terminus_meta` table and migrated on open (tables prefixed
//! `terminus_`, so that they can sit inside a GeoPackage bundle, which
//! owns `user_version`). The tables are append-only:
//! triggers refuse UPDATE and DELETE. Every event is checked by the
//! record's [`Replay`] before it is kept, and the whole record is replayed
//! when the file is opened, so a file changed behind Terminus' back (the
//! triggers dropped, a row edited) is refused with the first event that
//! fails named.

use crate::record::{Event, Record, RecordError, Replay, TreeHead};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::value::RawValue;
use std::path::Path;

/// What can go wrong with the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// From SQLite.
    #[error("the record's database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The record (as stored, or the event offered) fails verification.
    #[error(transparent)]
    Record(#[from] RecordError),
    /// Already kept, or in conflict with what is kept (a second head by
    /// one signer at one size).
    #[error("{0}")]
    Conflict(String),
    /// Anything else, said plainly.
    #[error("{0}")]
    Other(String),
}

/// The conflict of a tree head with the one `h.signer` already has kept
/// at `h.size` (signature `kept`).
pub(crate) fn head_kept(h: &TreeHead, kept: &str) -> StoreError {
    StoreError::Conflict(if kept == h.signature {
        format!(
            "the tree head at size {} signed by {} is already kept",
            h.size, h.signer
        )
    } else {
        format!(
            "{} already signed a tree head at size {}, with another signature; one is kept per signer and size",
            h.signer, h.size
        )
    })
}

/// The schema version this code writes.
const VERSION: i64 = 2;

const SCHEMA_V1: &str = "
CREATE TABLE terminus_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
CREATE TABLE terminus_commission (id TEXT PRIMARY KEY NOT NULL);
CREATE TABLE terminus_events (
    seq INTEGER PRIMARY KEY NOT NULL,
    commission TEXT NOT NULL REFERENCES terminus_commission(id),
    kind TEXT NOT NULL,
    author TEXT NOT NULL,
    time TEXT NOT NULL,
    prev TEXT NOT NULL,
    body TEXT NOT NULL,
    signature TEXT NOT NULL
);
CREATE TABLE terminus_tree_heads (
    size INTEGER NOT NULL,
    root TEXT NOT NULL,
    signer TEXT NOT NULL,
    signature TEXT NOT NULL,
    PRIMARY KEY (size, signer)
);
CREATE TRIGGER events_append_only_u BEFORE UPDATE ON terminus_events
  BEGIN SELECT RAISE(ABORT, 'the record is append-only: an event is never changed'); END;
CREATE TRIGGER events_append_only_d BEFORE DELETE ON terminus_events
  BEGIN SELECT RAISE(ABORT, 'the record is append-only: an event is never deleted'); END;
CREATE TRIGGER heads_append_only_u BEFORE UPDATE ON terminus_tree_heads
  BEGIN SELECT RAISE(ABORT, 'the record is append-only: a tree head is never changed'); END;
CREATE TRIGGER heads_append_only_d BEFORE DELETE ON terminus_tree_heads
  BEGIN SELECT RAISE(ABORT, 'the record is append-only: a tree head is never deleted'); END;
CREATE TRIGGER commission_fixed_u BEFORE UPDATE ON terminus_commission
  BEGIN SELECT RAISE(ABORT, 'a commission''s identifier is never changed'); END;
CREATE TRIGGER commission_fixed_d BEFORE DELETE ON terminus_commission
  BEGIN SELECT RAISE(ABORT, 'a commission is never deleted'); END;
";

/// Version 2: a delegation's drafts, outside the common log (the other
/// party never sees them), signed by their authors; append-only like the
/// log.
const SCHEMA_V2: &str = "
CREATE TABLE terminus_drafts (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    party TEXT NOT NULL,
    author TEXT NOT NULL,
    time TEXT NOT NULL,
    body TEXT NOT NULL,
    signature TEXT NOT NULL
);
CREATE INDEX terminus_drafts_party ON terminus_drafts(party);
CREATE TRIGGER drafts_append_only_u BEFORE UPDATE ON terminus_drafts
  BEGIN SELECT RAISE(ABORT, 'a draft is never changed: write a new one'); END;
CREATE TRIGGER drafts_append_only_d BEFORE DELETE ON terminus_drafts
  BEGIN SELECT RAISE(ABORT, 'a draft is never deleted'); END;
";

pub use crate::draft::Draft;

/// What a commission's record is kept in: SQLite here; another backend
/// (a database server) implements the same operations with the same
/// guarantees — every event checked by [`Replay`] before it is kept,
/// durable when `append` returns, nothing changed or deleted.
pub trait RecordStore: Send {
    /// The commission.
    fn commission(&self) -> &str;
    /// Everything kept, in order.
    fn record(&mut self) -> Result<Record, StoreError>;
    /// The record's state as replayed.
    fn replay(&self) -> &Replay;
    /// Keep `e` if it is the valid next event.
    fn append(&mut self, e: &Event) -> Result<(), StoreError>;
    /// Keep a signed tree head if it matches the record.
    fn add_head(&mut self, h: &TreeHead) -> Result<(), StoreError>;
    /// Keep a draft signed by a current member of its party; its number.
    fn add_draft(&mut self, d: &Draft) -> Result<u64, StoreError>;
    /// A party's drafts, oldest first.
    fn drafts(&mut self, party: &str) -> Result<Vec<Draft>, StoreError>;
    /// Keep the events of `record` beyond those already kept, and its
    /// signed tree heads not yet kept (each checked as by `append` and
    /// `add_head`): how a merged or freshly built record is stored.
    fn keep(&mut self, record: &Record) -> Result<(), StoreError> {
        let heads = self.record()?.heads;
        let from = self.replay().len() as usize;
        for e in record.events.iter().skip(from) {
            self.append(e)?;
        }
        for h in record.heads.iter().filter(|h| !heads.contains(h)) {
            self.add_head(h)?;
        }
        Ok(())
    }
    /// Take in what other services sharing the store wrote since (events
    /// checked as on opening); whether anything was new. A store only
    /// this process writes has nothing to take in.
    fn refresh(&mut self) -> Result<bool, StoreError> {
        Ok(false)
    }
}

impl RecordStore for SqliteStore {
    fn commission(&self) -> &str {
        &self.commission
    }
    fn record(&mut self) -> Result<Record, StoreError> {
        self.read()
    }
    fn replay(&self) -> &Replay {
        &self.replay
    }
    fn append(&mut self, e: &Event) -> Result<(), StoreError> {
        SqliteStore::append(self, e)
    }
    /// All of `record`'s new events and tree heads in one transaction: an
    /// import or export cut off at any moment keeps all of them or none.
    fn keep(&mut self, record: &Record) -> Result<(), StoreError> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let kept = (|| -> Result<(), StoreError> {
            let heads = self.read()?.heads;
            let from = self.replay.len() as usize;
            for e in record.events.iter().skip(from) {
                SqliteStore::append(self, e)?;
            }
            for h in record.heads.iter().filter(|h| !heads.contains(h)) {
                SqliteStore::add_head(self, h)?;
            }
            Ok(())
        })();
        match kept {
            Ok(()) => {
                self.conn.execute_batch("COMMIT")?;
                Ok(())
            }
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                self.replay = replay_stored(&self.read()?, &SqliteStore::drafts(self, None)?)?;
                Err(e)
            }
        }
    }
    fn add_head(&mut self, h: &TreeHead) -> Result<(), StoreError> {
        SqliteStore::add_head(self, h)
    }
    fn add_draft(&mut self, d: &Draft) -> Result<u64, StoreError> {
        SqliteStore::add_draft(self, d)
    }
    fn drafts(&mut self, party: &str) -> Result<Vec<Draft>, StoreError> {
        SqliteStore::drafts(self, Some(party))
    }
    /// Writes by other processes (`terminus sign`, `ledger import` on the
    /// file a service is serving) are seen through SQLite's
    /// `PRAGMA data_version`, which moves when another connection
    /// commits; what they wrote is checked as on opening before it is
    /// taken in.
    fn refresh(&mut self) -> Result<bool, StoreError> {
        let v: i64 = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?;
        if v == self.data_version {
            return Ok(false);
        }
        let record = self.read()?;
        let mut next = self.replay.clone();
        for e in record.events.iter().skip(next.len() as usize) {
            next.apply(e)?;
        }
        for h in &record.heads {
            next.check_head(h)?;
        }
        check_drafts(&next, &SqliteStore::drafts(self, None)?)?;
        self.replay = next;
        self.data_version = v;
        Ok(true)
    }
}

/// A commission's record in an SQLite file.
pub struct SqliteStore {
    conn: Connection,
    commission: String,
    replay: Replay,
    /// SQLite's `data_version` when the state was last read: it moves
    /// when another connection commits.
    data_version: i64,
}

impl SqliteStore {
    /// Open (or create) the record of `commission` at `path`, replaying
    /// and verifying everything stored.
    pub fn open(path: &Path, commission: &str) -> Result<SqliteStore, StoreError> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // The schema version lives in our own table, not in
        // `user_version`: a bundle is also a GeoPackage, which owns that.
        let has_meta: bool = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'terminus_meta'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n > 0)?;
        let version: i64 = if has_meta {
            conn.query_row(
                "SELECT value FROM terminus_meta WHERE key = 'schema_version'",
                [],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
        } else {
            0
        };
        // Migrations run in one transaction each, from the stored version
        // up to this one.
        match version {
            0 => {
                conn.execute_batch(&format!(
                    "BEGIN; {SCHEMA_V1} {SCHEMA_V2} INSERT INTO terminus_meta (key, value) VALUES ('schema_version', '{VERSION}'); COMMIT;"
                ))?;
            }
            1 => {
                conn.execute_batch(&format!(
                    "BEGIN; {SCHEMA_V2} UPDATE terminus_meta SET value = '{VERSION}' WHERE key = 'schema_version'; COMMIT;"
                ))?;
            }
            VERSION => {}
            v => {
                return Err(StoreError::Other(format!(
                    "{}: schema version {v} was written by a newer Terminus (this one reads up to {VERSION})",
                    path.display()
                )))
            }
        }
        let stored: Option<String> = conn
            .query_row("SELECT id FROM terminus_commission", [], |r| r.get(0))
            .optional()?;
        match stored {
            None => {
                conn.execute(
                    "INSERT INTO terminus_commission (id) VALUES (?1)",
                    params![commission],
                )?;
            }
            Some(id) if id == commission => {}
            Some(id) => {
                return Err(StoreError::Other(format!(
                    "{} holds the record of commission \"{id}\", not \"{commission}\"",
                    path.display()
                )))
            }
        }
        let mut store = SqliteStore {
            conn,
            commission: commission.to_string(),
            replay: Replay::new(commission),
            data_version: 0,
        };
        store.data_version = store
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?;
        let record = store.read()?;
        store.replay = replay_stored(&record, &store.drafts(None)?)?;
        Ok(store)
    }

    /// Everything stored, in order (not re-verified: [`SqliteStore::open`]
    /// did that, and every append since was checked).
    pub fn record(&self) -> Result<Record, StoreError> {
        self.read()
    }

    fn read(&self) -> Result<Record, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT seq, commission, kind, author, time, prev, body, signature FROM terminus_events ORDER BY seq",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
            ))
        })?;
        let mut events = Vec::new();
        for row in rows {
            let (seq, commission, kind, author, time, prev, body, signature) = row?;
            let body = RawValue::from_string(body).map_err(|e| {
                StoreError::Other(format!("event {seq}: its stored body is not JSON: {e}"))
            })?;
            events.push(Event {
                seq: seq as u64,
                commission,
                kind,
                author,
                time,
                prev,
                body,
                signature,
            });
        }
        let mut st = self.conn.prepare(
            "SELECT size, root, signer, signature FROM terminus_tree_heads ORDER BY size, signer",
        )?;
        let heads = st
            .query_map([], |r| {
                Ok(TreeHead {
                    size: r.get::<_, i64>(0)? as u64,
                    root: r.get(1)?,
                    signer: r.get(2)?,
                    signature: r.get(3)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Record {
            commission: self.commission.clone(),
            events,
            heads,
        })
    }

    /// Events kept.
    pub fn len(&self) -> u64 {
        self.replay.len()
    }

    /// Whether nothing is kept yet.
    pub fn is_empty(&self) -> bool {
        self.replay.is_empty()
    }

    /// The leaf hash the next event must link to, hex.
    pub fn prev(&self) -> &str {
        self.replay.prev()
    }

    /// Keep `e` if it is the valid next event; otherwise nothing is
    /// stored and the reason is returned. Durable when this returns.
    pub fn append(&mut self, e: &Event) -> Result<(), StoreError> {
        // `apply` changes nothing when it refuses, so the state is not
        // copied first (a copy grows with the log).
        self.replay.apply(e)?;
        if let Err(err) = self.conn.execute(
            "INSERT INTO terminus_events (seq, commission, kind, author, time, prev, body, signature) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![e.seq as i64, e.commission, e.kind, e.author, e.time, e.prev, e.body.get(), e.signature],
        ) {
            // Not kept (disk full, say): back to what is stored.
            self.replay = replay_stored(&self.read()?, &SqliteStore::drafts(self, None)?)?;
            return Err(err.into());
        }
        Ok(())
    }

    /// Seal the file as a complete bundle: record in `terminus_meta` the
    /// log's size and root and the number of signed tree heads, so that
    /// `verify` can tell a whole bundle from one cut short (an export
    /// interrupted before it finished). Written last, in one transaction.
    pub fn seal(&mut self) -> Result<Seal, StoreError> {
        let heads: i64 =
            self.conn
                .query_row("SELECT count(*) FROM terminus_tree_heads", [], |r| r.get(0))?;
        let seal = Seal {
            size: self.replay.len(),
            root: self.replay.root(),
            heads: heads as u64,
        };
        let tx = self.conn.transaction()?;
        for (k, v) in [
            ("bundle_size", seal.size.to_string()),
            ("bundle_root", seal.root.clone()),
            ("bundle_heads", seal.heads.to_string()),
        ] {
            tx.execute(
                "INSERT OR REPLACE INTO terminus_meta (key, value) VALUES (?1, ?2)",
                params![k, v],
            )?;
        }
        tx.commit()?;
        Ok(seal)
    }

    /// Close the file as one self-contained file (rollback journal, no
    /// write-ahead log beside it): what a bundle sent to the other
    /// delegation must be.
    pub fn into_single_file(self) -> Result<(), StoreError> {
        self.conn
            .pragma_update(None, "journal_mode", "DELETE")
            .map_err(StoreError::from)
    }

    /// The record's state as replayed: members, agreed sections, the
    /// latest attachments.
    pub fn replay(&self) -> &Replay {
        &self.replay
    }

    /// Keep a draft signed by a current member of its party; its number.
    pub fn add_draft(&mut self, d: &Draft) -> Result<u64, StoreError> {
        d.check(&self.replay, true).map_err(|why| {
            StoreError::Other(format!("draft by {}: {why}; not stored", d.author))
        })?;
        let text = String::from_utf8(crate::canonical::canonical(&d.body))
            .map_err(|e| StoreError::Other(e.to_string()))?;
        self.conn.execute(
            "INSERT INTO terminus_drafts (party, author, time, body, signature) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![d.party, d.author, d.time, text, d.signature],
        )?;
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM terminus_drafts WHERE party = ?1",
            params![d.party],
            |r| r.get(0),
        )?;
        Ok(n as u64)
    }

    /// The drafts of `party` (all parties: `None`), oldest first.
    pub fn drafts(&self, party: Option<&str>) -> Result<Vec<Draft>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT id, party, author, time, body, signature FROM terminus_drafts WHERE ?1 IS NULL OR party = ?1 ORDER BY id",
        )?;
        let rows = st.query_map(params![party], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, party, author, time, body, signature) = row?;
            let body = serde_json::from_str(&body).map_err(|e| {
                StoreError::Other(format!("draft {id}: its stored body is not JSON: {e}"))
            })?;
            out.push(Draft {
                id: id as u64,
                party,
                author,
                time,
                body,
                signature,
            });
        }
        crate::draft::number_by_party(&mut out);
        Ok(out)
    }

    /// Keep a signed tree head if it matches the record.
    pub fn add_head(&mut self, h: &TreeHead) -> Result<(), StoreError> {
        self.replay.check_head(h)?;
        let kept: Option<String> = self
            .conn
            .query_row(
                "SELECT signature FROM terminus_tree_heads WHERE size = ?1 AND signer = ?2",
                params![h.size as i64, h.signer],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(sig) = kept {
            return Err(head_kept(h, &sig));
        }
        self.conn.execute(
            "INSERT INTO terminus_tree_heads (size, root, signer, signature) VALUES (?1, ?2, ?3, ?4)",
            params![h.size as i64, h.root, h.signer, h.signature],
        )?;
        Ok(())
    }
}

/// A stored record replayed from its first event — every event, every
/// signed tree head, and every draft's signature — as a store checks it
/// when opened; the first failure named.
pub(crate) fn replay_stored(record: &Record, drafts: &[Draft]) -> Result<Replay, StoreError> {
    let mut replay = Replay::new(&record.commission);
    for e in &record.events {
        replay.apply(e)?;
    }
    for h in &record.heads {
        replay.check_head(h)?;
    }
    check_drafts(&replay, drafts)?;
    Ok(replay)
}

/// Every stored draft signed by its author, who is or was a member of its
/// party; the first that is not is named.
pub(crate) fn check_drafts(replay: &Replay, drafts: &[Draft]) -> Result<(), StoreError> {
    for d in drafts {
        d.check(replay, false).map_err(|why| {
            StoreError::Other(format!(
                "draft {} ({} by {}): {why}: it was changed in the database",
                d.id, d.party, d.author
            ))
        })?;
    }
    Ok(())
}

/// What a complete bundle says of itself ([`SqliteStore::seal`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seal {
    /// Events in the log.
    pub size: u64,
    /// The log's tree head, hex.
    pub root: String,
    /// Signed tree heads kept.
    pub heads: u64,
}

/// The seal of a bundle, read without changing the file; `None` when the
/// file carries none (a store, or a bundle whose export did not finish).
pub fn load_seal(path: &Path) -> Result<Option<Seal>, StoreError> {
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let get = |k: &str| -> Result<Option<String>, StoreError> {
        Ok(conn
            .query_row(
                "SELECT value FROM terminus_meta WHERE key = ?1",
                params![k],
                |r| r.get(0),
            )
            .optional()?)
    };
    let (Some(size), Some(root), Some(heads)) = (
        get("bundle_size")?,
        get("bundle_root")?,
        get("bundle_heads")?,
    ) else {
        return Ok(None);
    };
    let num = |t: &str, what: &str| {
        t.parse::<u64>().map_err(|_| {
            StoreError::Other(format!("the bundle's seal: {what} \"{t}\" is not a count"))
        })
    };
    Ok(Some(Seal {
        size: num(&size, "bundle_size")?,
        root,
        heads: num(&heads, "bundle_heads")?,
    }))
}

/// The drafts in an SQLite file (a store; a bundle has none), read
/// without changing the file; empty when the file has no drafts table.
pub fn load_drafts(path: &Path) -> Result<Vec<Draft>, StoreError> {
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let has: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'terminus_drafts'",
        [],
        |r| r.get(0),
    )?;
    if has == 0 {
        return Ok(Vec::new());
    }
    let store = SqliteStore {
        conn,
        commission: String::new(),
        replay: Replay::default(),
        data_version: 0,
    };
    store.drafts(None)
}

/// The record in an SQLite file (a store or a bundle), read without
/// changing the file. Not verified here: [`crate::record::verify`] or
/// [`crate::record::merge`] does that, and names what fails.
pub fn load_record(path: &Path) -> Result<Record, StoreError> {
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let has: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('terminus_commission', 'terminus_events', 'terminus_tree_heads')",
        [],
        |r| r.get(0),
    )?;
    if has != 3 {
        return Err(StoreError::Other(format!(
            "{} holds no commission record (no terminus_events table)",
            path.display()
        )));
    }
    let commission: String = conn
        .query_row("SELECT id FROM terminus_commission", [], |r| r.get(0))
        .optional()?
        .ok_or_else(|| {
            StoreError::Other(format!(
                "{}: the record names no commission",
                path.display()
            ))
        })?;
    let store = SqliteStore {
        conn,
        commission,
        replay: Replay::default(),
        data_version: 0,
    };
    store.read()
}
