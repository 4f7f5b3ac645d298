//! The record kept in PostgreSQL with PostGIS: the second backend, for a
//! commission whose users outgrow one machine.
//!
//! The same guarantees as [`crate::store::SqliteStore`], by the same
//! means: every event checked by the record's [`Replay`] before it is
//! kept; durable when `append` returns (a committed transaction, with
//! PostgreSQL's default `synchronous_commit = on`); tables append-only
//! (PL/pgSQL triggers refuse UPDATE, DELETE and TRUNCATE); the whole
//! record replayed and verified when opened. One database holds any
//! number of commissions (rows are keyed by commission). Lines of
//! proposals, counter-proposals, amendments and agreements, and of
//! drafts, are also kept as PostGIS `geometry(LineString, 4326)` so the
//! commission's GIS can query them in SQL; the signed text stays the
//! record.
//!
//! Several services may share the database: an append first takes in
//! the events others appended since (read and checked), inside the
//! transaction that holds the commission's row lock, so two writers can
//! never both append at the same position.

use crate::record::{Event, Record, Replay, TreeHead};
use crate::store::{Draft, RecordStore, StoreError};
use postgres::{Client, NoTls};
use serde_json::value::RawValue;

/// The schema version this code writes.
const VERSION: i64 = 1;

const SCHEMA_V1: &str = "
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE TABLE terminus_commission (id TEXT PRIMARY KEY);
CREATE TABLE terminus_events (
    commission TEXT NOT NULL REFERENCES terminus_commission(id),
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    author TEXT NOT NULL,
    time TEXT NOT NULL,
    prev TEXT NOT NULL,
    body TEXT NOT NULL,
    signature TEXT NOT NULL,
    geom geometry(LineString, 4326),
    PRIMARY KEY (commission, seq)
);
CREATE TABLE terminus_tree_heads (
    commission TEXT NOT NULL REFERENCES terminus_commission(id),
    size BIGINT NOT NULL,
    root TEXT NOT NULL,
    signer TEXT NOT NULL,
    signature TEXT NOT NULL,
    PRIMARY KEY (commission, size, signer)
);
CREATE TABLE terminus_drafts (
    id BIGSERIAL PRIMARY KEY,
    commission TEXT NOT NULL REFERENCES terminus_commission(id),
    party TEXT NOT NULL,
    author TEXT NOT NULL,
    time TEXT NOT NULL,
    body TEXT NOT NULL,
    signature TEXT NOT NULL,
    geom geometry(LineString, 4326)
);
CREATE INDEX terminus_drafts_party ON terminus_drafts (commission, party);
CREATE FUNCTION terminus_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'the record is append-only: % on % is never allowed', TG_OP, TG_TABLE_NAME;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON terminus_events
  FOR EACH ROW EXECUTE FUNCTION terminus_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON terminus_events
  FOR EACH STATEMENT EXECUTE FUNCTION terminus_append_only();
CREATE TRIGGER heads_append_only BEFORE UPDATE OR DELETE ON terminus_tree_heads
  FOR EACH ROW EXECUTE FUNCTION terminus_append_only();
CREATE TRIGGER heads_no_truncate BEFORE TRUNCATE ON terminus_tree_heads
  FOR EACH STATEMENT EXECUTE FUNCTION terminus_append_only();
CREATE TRIGGER drafts_append_only BEFORE UPDATE OR DELETE ON terminus_drafts
  FOR EACH ROW EXECUTE FUNCTION terminus_append_only();
CREATE TRIGGER drafts_no_truncate BEFORE TRUNCATE ON terminus_drafts
  FOR EACH STATEMENT EXECUTE FUNCTION terminus_append_only();
CREATE TRIGGER commission_fixed BEFORE UPDATE OR DELETE ON terminus_commission
  FOR EACH ROW EXECUTE FUNCTION terminus_append_only();
";

/// A commission's record in a PostgreSQL database.
pub struct PostgresStore {
    client: Client,
    commission: String,
    replay: Replay,
    /// Rows seen: events, tree heads, drafts (to notice other writers).
    seen: (i64, i64, i64),
}

fn pg(e: postgres::Error) -> StoreError {
    StoreError::Other(format!("PostgreSQL: {}", describe(&e)))
}

/// The server's own message where there is one ("db error" alone says
/// nothing).
fn describe(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(d) => format!("{} ({d})", db.message()),
            None => db.message().to_string(),
        },
        None => e.to_string(),
    }
}

/// A line as GeoJSON text for PostGIS, if the body has one.
fn geojson_line(body: &serde_json::Value) -> Option<String> {
    let line = crate::views::line_of(body)?;
    Some(
        serde_json::json!({"type": "LineString", "coordinates": line.iter().map(|p| [p.0, p.1]).collect::<Vec<_>>()})
            .to_string(),
    )
}

impl PostgresStore {
    /// Connect to `url` (`postgres://user@host/db`, libpq's key=value form
    /// also works) and open (or create) the record of `commission`,
    /// replaying and verifying everything stored. The schema is created
    /// or migrated first; PostGIS must be installable in the database.
    pub fn open(url: &str, commission: &str) -> Result<PostgresStore, StoreError> {
        let mut client = Client::connect(url, NoTls).map_err(|e| {
            StoreError::Other(format!(
                "cannot connect to PostgreSQL at {}: {}",
                redact(url),
                describe(&e)
            ))
        })?;
        let mut tx = client.transaction().map_err(pg)?;
        // One migrator at a time.
        tx.execute("SELECT pg_advisory_xact_lock(7250001)", &[])
            .map_err(pg)?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS terminus_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        )
        .map_err(pg)?;
        let version: i64 = tx
            .query_opt(
                "SELECT value FROM terminus_meta WHERE key = 'schema_version'",
                &[],
            )
            .map_err(pg)?
            .and_then(|r| r.get::<_, String>(0).parse().ok())
            .unwrap_or(0);
        match version {
            0 => {
                tx.batch_execute(SCHEMA_V1).map_err(|e| {
                    StoreError::Other(format!(
                        "PostgreSQL: cannot create the record's tables (PostGIS must be installed: Debian's postgis package): {}",
                        describe(&e)
                    ))
                })?;
                tx.execute(
                    "INSERT INTO terminus_meta (key, value) VALUES ('schema_version', $1)",
                    &[&VERSION.to_string()],
                )
                .map_err(pg)?;
            }
            VERSION => {}
            v => {
                return Err(StoreError::Other(format!(
                    "the database's schema version {v} was written by a newer Terminus (this one reads up to {VERSION})"
                )))
            }
        }
        tx.execute(
            "INSERT INTO terminus_commission (id) VALUES ($1) ON CONFLICT DO NOTHING",
            &[&commission],
        )
        .map_err(pg)?;
        tx.commit().map_err(pg)?;
        let mut store = PostgresStore {
            client,
            commission: commission.to_string(),
            replay: Replay::new(commission),
            seen: (0, 0, 0),
        };
        store.seen = store.counts()?;
        let record = store.read()?;
        let drafts = store.read_drafts(None)?;
        store.replay = crate::store::replay_stored(&record, &drafts)?;
        Ok(store)
    }

    fn events_from(
        client: &mut impl postgres::GenericClient,
        commission: &str,
        from: i64,
    ) -> Result<Vec<Event>, StoreError> {
        let rows = client
            .query(
                "SELECT seq, kind, author, time, prev, body, signature FROM terminus_events WHERE commission = $1 AND seq >= $2 ORDER BY seq",
                &[&commission, &from],
            )
            .map_err(pg)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let seq: i64 = r.get(0);
            let body: String = r.get(5);
            let body = RawValue::from_string(body).map_err(|e| {
                StoreError::Other(format!("event {seq}: its stored body is not JSON: {e}"))
            })?;
            out.push(Event {
                seq: seq as u64,
                commission: commission.to_string(),
                kind: r.get(1),
                author: r.get(2),
                time: r.get(3),
                prev: r.get(4),
                body,
                signature: r.get(6),
            });
        }
        Ok(out)
    }

    fn read(&mut self) -> Result<Record, StoreError> {
        let events = Self::events_from(&mut self.client, &self.commission, 0)?;
        let heads = self
            .client
            .query(
                "SELECT size, root, signer, signature FROM terminus_tree_heads WHERE commission = $1 ORDER BY size, signer",
                &[&self.commission],
            )
            .map_err(pg)?
            .into_iter()
            .map(|r| TreeHead {
                size: r.get::<_, i64>(0) as u64,
                root: r.get(1),
                signer: r.get(2),
                signature: r.get(3),
            })
            .collect();
        Ok(Record {
            commission: self.commission.clone(),
            events,
            heads,
        })
    }
}

impl PostgresStore {
    fn counts(&mut self) -> Result<(i64, i64, i64), StoreError> {
        let r = self
            .client
            .query_one(
                "SELECT (SELECT count(*) FROM terminus_events WHERE commission = $1),
                        (SELECT count(*) FROM terminus_tree_heads WHERE commission = $1),
                        (SELECT count(*) FROM terminus_drafts WHERE commission = $1)",
                &[&self.commission],
            )
            .map_err(pg)?;
        Ok((r.get(0), r.get(1), r.get(2)))
    }

    fn read_drafts(&mut self, party: Option<&str>) -> Result<Vec<Draft>, StoreError> {
        let rows = self
            .client
            .query(
                "SELECT id, party, author, time, body, signature FROM terminus_drafts WHERE commission = $1 AND ($2::TEXT IS NULL OR party = $2) ORDER BY id",
                &[&self.commission, &party],
            )
            .map_err(pg)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let id: i64 = r.get(0);
            let body: String = r.get(4);
            let body = serde_json::from_str(&body).map_err(|e| {
                StoreError::Other(format!("draft {id}: its stored body is not JSON: {e}"))
            })?;
            out.push(Draft {
                id: id as u64,
                party: r.get(1),
                author: r.get(2),
                time: r.get(3),
                body,
                signature: r.get(5),
            });
        }
        crate::draft::number_by_party(&mut out);
        Ok(out)
    }
}

/// A connection string without its password.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let cred = &url[s + 3..at];
            match cred.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl RecordStore for PostgresStore {
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
        let mut tx = self.client.transaction().map_err(pg)?;
        // The commission's row lock serialises writers across services.
        tx.execute(
            "SELECT id FROM terminus_commission WHERE id = $1 FOR UPDATE",
            &[&self.commission],
        )
        .map_err(pg)?;
        // Take in what other writers appended since, then check this
        // event (`apply` changes nothing when it refuses, so the state is
        // not copied first; a copy grows with the log).
        for other in Self::events_from(&mut tx, &self.commission, self.replay.len() as i64)? {
            self.replay.apply(&other)?;
        }
        self.replay.apply(e)?;
        let geom = geojson_line(&e.body_value());
        let kept = tx.execute(
            "INSERT INTO terminus_events (commission, seq, kind, author, time, prev, body, signature, geom) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, ST_SetSRID(ST_GeomFromGeoJSON($9), 4326))",
            &[&self.commission, &(e.seq as i64), &e.kind, &e.author, &e.time, &e.prev, &e.body.get(), &e.signature, &geom],
        )
        .and_then(|_| tx.commit());
        if let Err(err) = kept {
            // Not kept: back to what is stored.
            let record = self.read()?;
            let drafts = self.read_drafts(None)?;
            self.replay = crate::store::replay_stored(&record, &drafts)?;
            return Err(pg(err));
        }
        self.seen.0 = self.replay.len() as i64;
        Ok(())
    }

    fn add_head(&mut self, h: &TreeHead) -> Result<(), StoreError> {
        self.replay.check_head(h)?;
        let kept = self
            .client
            .query_opt(
                "SELECT signature FROM terminus_tree_heads WHERE commission = $1 AND size = $2 AND signer = $3",
                &[&self.commission, &(h.size as i64), &h.signer],
            )
            .map_err(pg)?;
        if let Some(row) = kept {
            return Err(crate::store::head_kept(h, &row.get::<_, String>(0)));
        }
        self.client
            .execute(
                "INSERT INTO terminus_tree_heads (commission, size, root, signer, signature) VALUES ($1, $2, $3, $4, $5)",
                &[&self.commission, &(h.size as i64), &h.root, &h.signer, &h.signature],
            )
            .map_err(pg)?;
        self.seen.1 += 1;
        Ok(())
    }

    fn add_draft(&mut self, d: &Draft) -> Result<u64, StoreError> {
        d.check(&self.replay, true).map_err(|why| {
            StoreError::Other(format!("draft by {}: {why}; not stored", d.author))
        })?;
        let text = String::from_utf8(crate::canonical::canonical(&d.body))
            .map_err(|e| StoreError::Other(e.to_string()))?;
        let geom = geojson_line(&d.body);
        let row = self
            .client
            .query_one(
                "INSERT INTO terminus_drafts (commission, party, author, time, body, signature, geom) VALUES ($1, $2, $3, $4, $5, $6, ST_SetSRID(ST_GeomFromGeoJSON($7), 4326)) RETURNING id",
                &[&self.commission, &d.party, &d.author, &d.time, &text, &d.signature, &geom],
            )
            .map_err(pg)?;
        self.seen.2 += 1;
        let id: i64 = row.get(0);
        let n = self
            .client
            .query_one(
                "SELECT count(*) FROM terminus_drafts WHERE commission = $1 AND party = $2 AND id <= $3",
                &[&self.commission, &d.party, &id],
            )
            .map_err(pg)?;
        Ok(n.get::<_, i64>(0) as u64)
    }

    fn drafts(&mut self, party: &str) -> Result<Vec<Draft>, StoreError> {
        self.read_drafts(Some(party))
    }

    fn refresh(&mut self) -> Result<bool, StoreError> {
        let counts = self.counts()?;
        if counts == self.seen {
            return Ok(false);
        }
        // Others' events are checked as on opening before they are taken
        // in; then every head and draft against the longer record.
        let mut next = self.replay.clone();
        for e in Self::events_from(&mut self.client, &self.commission, next.len() as i64)? {
            next.apply(&e)?;
        }
        let record = self.read()?;
        let drafts = self.read_drafts(None)?;
        for h in &record.heads {
            next.check_head(h)?;
        }
        crate::store::check_drafts(&next, &drafts)?;
        self.replay = next;
        self.seen = counts;
        Ok(true)
    }
}
