//! One store suite, run against both backends: SQLite always, and
//! PostgreSQL with PostGIS when `TERMINUS_TEST_POSTGRES` gives a
//! connection string (libpq key=value form, e.g.
//! `host=127.0.0.1 user=terminus password=terminus dbname=terminus_test`;
//! `.ci/run` installs and starts Debian's postgresql and postgis and sets
//! it). Each PostgreSQL case runs in a schema of its own.
//!
//! What every backend must do: keep what it acknowledged across
//! reopening; store nothing invalid; refuse UPDATE and DELETE through SQL;
//! refuse, on opening, a database changed behind Terminus' back (triggers
//! dropped), naming the event or tree head; keep drafts per party,
//! append-only.

mod common;

use serde_json::json;
use terminus_ledger::draft::Draft;
use terminus_ledger::keys::MemberKey;
use terminus_ledger::record::{section_terms, verify, Record};
use terminus_ledger::store::{RecordStore, SqliteStore, StoreError};

trait Backend {
    fn name(&self) -> &'static str;
    fn open(&self) -> Result<Box<dyn RecordStore>, StoreError>;
    /// Run SQL on the database directly, as someone with access would.
    fn sql(&self, sql: &str) -> Result<(), String>;
    /// Drop the append-only triggers.
    fn drop_triggers(&self);
}

struct Sqlite {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
}

impl Backend for Sqlite {
    fn name(&self) -> &'static str {
        "SQLite"
    }
    fn open(&self) -> Result<Box<dyn RecordStore>, StoreError> {
        Ok(Box::new(SqliteStore::open(&self.path, "AM-AZ")?))
    }
    fn sql(&self, sql: &str) -> Result<(), String> {
        let c = rusqlite::Connection::open(&self.path).unwrap();
        c.execute_batch(sql).map_err(|e| e.to_string())
    }
    fn drop_triggers(&self) {
        self.sql(
            "DROP TRIGGER events_append_only_u; DROP TRIGGER events_append_only_d;
             DROP TRIGGER heads_append_only_u; DROP TRIGGER heads_append_only_d;
             DROP TRIGGER drafts_append_only_u; DROP TRIGGER drafts_append_only_d;",
        )
        .unwrap();
    }
}

struct Postgres {
    conn: String,
    schema: String,
}

impl Postgres {
    fn admin(&self) -> postgres::Client {
        let base = std::env::var("TERMINUS_TEST_POSTGRES").unwrap();
        postgres::Client::connect(&base, postgres::NoTls).unwrap()
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = self
            .admin()
            .batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
    }
}

impl Backend for Postgres {
    fn name(&self) -> &'static str {
        "PostgreSQL"
    }
    fn open(&self) -> Result<Box<dyn RecordStore>, StoreError> {
        Ok(Box::new(terminus_ledger::postgres::PostgresStore::open(
            &self.conn, "AM-AZ",
        )?))
    }
    fn sql(&self, sql: &str) -> Result<(), String> {
        let mut c = postgres::Client::connect(&self.conn, postgres::NoTls).unwrap();
        c.batch_execute(sql).map_err(|e| match e.as_db_error() {
            Some(db) => db.message().to_string(),
            None => e.to_string(),
        })
    }
    fn drop_triggers(&self) {
        self.sql(
            "DROP TRIGGER events_append_only ON terminus_events;
             DROP TRIGGER heads_append_only ON terminus_tree_heads;
             DROP TRIGGER drafts_append_only ON terminus_drafts;",
        )
        .unwrap();
    }
}

/// Fresh databases of every backend available.
fn backends() -> Vec<Box<dyn Backend>> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("record.sqlite");
    let mut v: Vec<Box<dyn Backend>> = vec![Box::new(Sqlite { _dir: dir, path })];
    match std::env::var("TERMINUS_TEST_POSTGRES") {
        Ok(base) => {
            use std::sync::atomic::{AtomicU32, Ordering};
            static N: AtomicU32 = AtomicU32::new(0);
            let schema = format!(
                "t{}_{}",
                std::process::id(),
                N.fetch_add(1, Ordering::SeqCst)
            );
            let mut admin = postgres::Client::connect(&base, postgres::NoTls)
                .unwrap_or_else(|e| panic!("TERMINUS_TEST_POSTGRES={base}: {e}"));
            // PostGIS once, in public; each case's tables in its own schema.
            admin
                .batch_execute(&format!(
                    "BEGIN;
                     SELECT pg_advisory_xact_lock(7250001);
                     CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public;
                     COMMIT;
                     CREATE SCHEMA {schema};"
                ))
                .unwrap();
            let conn = format!("{base} options='-c search_path={schema},public'");
            v.push(Box::new(Postgres { conn, schema }));
        }
        Err(_) => eprintln!(
            "TERMINUS_TEST_POSTGRES is not set: the store suite ran on SQLite only (.ci/run runs it on PostgreSQL too)"
        ),
    }
    v
}

fn sample() -> (Record, MemberKey, MemberKey) {
    let (mut r, arm, aze) = common::two_heads("2026-11-28T10:00:00Z");
    r.append(
        "proposal",
        json!({"section": "Tavush–Gazakh", "line": [[45.1318, 41.07935], [45.17, 41.05]]}),
        ("arm-head", &arm),
        "2026-11-28T10:01:00Z",
    );
    r.append(
        "agreement",
        json!({"terms": section_terms("Tavush–Gazakh", &terminus_model::Crs::WGS84, 9, &[(45.1318, 41.07935), (45.17, 41.05)], "basis", "protocol")}),
        ("aze-head", &aze),
        "2026-11-28T10:02:00Z",
    );
    r.sign_head(("aze-head", &aze));
    (r, arm, aze)
}

fn fill(b: &dyn Backend) -> (Record, MemberKey) {
    fill_both(b).0
}

fn fill_both(b: &dyn Backend) -> ((Record, MemberKey), MemberKey) {
    let (r, arm, aze) = sample();
    let mut s = b.open().unwrap();
    s.keep(&r).unwrap();
    ((r, arm), aze)
}

#[test]
fn kept_across_reopening_and_verifiable() {
    for b in backends() {
        fill(b.as_ref());
        let mut s = b.open().unwrap();
        assert_eq!(s.replay().len(), 3, "{}", b.name());
        let r = s.record().unwrap();
        assert_eq!(r.heads.len(), 1, "{}", b.name());
        assert_eq!(verify(&r).unwrap().events, 3, "{}", b.name());
        assert_eq!(
            s.replay().agreed().len(),
            0,
            "{}: one head signed",
            b.name()
        );
    }
}

#[test]
fn an_invalid_event_is_not_stored() {
    for b in backends() {
        let (_, arm) = fill(b.as_ref());
        let mut s = b.open().unwrap();
        let (other, _, _) = sample();
        let e = s.append(&other.events[1]).unwrap_err();
        assert!(matches!(e, StoreError::Record(_)), "{}: {e}", b.name());
        let mut r = s.record().unwrap();
        let stranger = MemberKey::generate();
        r.append(
            "comment",
            json!({"text": "x"}),
            ("stranger", &stranger),
            "2026-11-28T12:00:00Z",
        );
        let e = s.append(r.events.last().unwrap()).unwrap_err();
        assert!(e.to_string().contains("not a member"), "{}: {e}", b.name());
        let mut r = s.record().unwrap();
        r.append(
            "comment",
            json!({"text": "agreed"}),
            ("arm-head", &arm),
            "2026-11-28T12:00:00Z",
        );
        s.append(r.events.last().unwrap()).unwrap();
        drop(s);
        assert_eq!(b.open().unwrap().replay().len(), 4, "{}", b.name());
    }
}

#[test]
fn rows_cannot_be_changed_or_deleted_through_sql() {
    for b in backends() {
        let (_, arm) = fill(b.as_ref());
        b.open()
            .unwrap()
            .add_draft(&Draft::sign(
                "AM-AZ",
                "ARM",
                ("arm-head", &arm),
                "2026-11-28T12:00:00Z",
                json!({"section": "S", "text": "x"}),
            ))
            .unwrap();
        for sql in [
            "UPDATE terminus_events SET body = '{}' WHERE seq = 1",
            "DELETE FROM terminus_events WHERE seq = 2",
            "UPDATE terminus_tree_heads SET root = '00'",
            "DELETE FROM terminus_tree_heads",
            "UPDATE terminus_commission SET id = 'X'",
            "UPDATE terminus_drafts SET body = '{}'",
            "DELETE FROM terminus_drafts",
        ] {
            let e = b.sql(sql).unwrap_err();
            assert!(e.contains("never"), "{}: {sql}: {e}", b.name());
        }
        let mut s = b.open().unwrap();
        assert_eq!(s.replay().len(), 3);
        assert_eq!(s.drafts("ARM").unwrap().len(), 1);
    }
}

#[test]
fn a_database_changed_behind_terminus_back_is_refused_on_opening() {
    let cases: [(&str, &str); 9] = [
        ("UPDATE terminus_events SET body = replace(body, '41.07935', '41.07936') WHERE seq = 1", "event 1"),
        ("UPDATE terminus_events SET signature = (SELECT signature FROM terminus_events WHERE seq = 0) WHERE seq = 1", "event 1"),
        ("UPDATE terminus_events SET author = 'aze-head' WHERE seq = 1", "event 1"),
        ("UPDATE terminus_events SET time = '2026-11-28T09:00:00Z' WHERE seq = 2", "event 2"),
        ("UPDATE terminus_events SET kind = 'comment' WHERE seq = 2", "event 2"),
        ("UPDATE terminus_events SET prev = '' WHERE seq = 2", "event 2"),
        ("DELETE FROM terminus_events WHERE seq = 1", "event 2"),
        ("UPDATE terminus_tree_heads SET root = (CASE WHEN substr(root, 1, 1) = '0' THEN '1' ELSE '0' END) || substr(root, 2)", "tree head"),
        ("DELETE FROM terminus_events WHERE seq = 2", "tree head"),
    ];
    let drafts: [(&str, &str); 3] = [
        (
            "UPDATE terminus_drafts SET body = replace(body, '45.2', '45.3')",
            "draft",
        ),
        ("UPDATE terminus_drafts SET party = 'AZE'", "draft"),
        ("UPDATE terminus_drafts SET time = 't2'", "draft"),
    ];
    for (sql, named) in cases.into_iter().chain(drafts) {
        for b in backends() {
            let (_, arm) = fill(b.as_ref());
            b.open()
                .unwrap()
                .add_draft(&Draft::sign(
                    "AM-AZ",
                    "ARM",
                    ("arm-head", &arm),
                    "2026-11-28T12:00:00Z",
                    json!({"section": "Tavush–Gazakh", "kind": "counter_proposal", "line": [[45.1, 41.0], [45.2, 41.1]]}),
                ))
                .unwrap();
            b.drop_triggers();
            b.sql(sql).unwrap();
            let e = b
                .open()
                .err()
                .unwrap_or_else(|| panic!("{}: {sql}: opened", b.name()));
            assert!(e.to_string().contains(named), "{}: {sql}: {e}", b.name());
        }
    }
}

#[test]
fn drafts_are_kept_per_party_in_order() {
    for b in backends() {
        let ((_, arm), aze) = fill_both(b.as_ref());
        let mut s = b.open().unwrap();
        let line = json!({"section": "Tavush–Gazakh", "kind": "counter_proposal", "line": [[45.1, 41.0], [45.2, 41.1]]});
        let draft = |party: &str, who: (&str, &MemberKey), body| {
            Draft::sign("AM-AZ", party, who, "2026-11-28T12:00:00Z", body)
        };
        let a1 = s
            .add_draft(&draft("ARM", ("arm-head", &arm), line.clone()))
            .unwrap();
        let z1 = s
            .add_draft(&draft(
                "AZE",
                ("aze-head", &aze),
                json!({"section": "Tavush–Gazakh", "text": "AZE only"}),
            ))
            .unwrap();
        let a2 = s
            .add_draft(&draft(
                "ARM",
                ("arm-head", &arm),
                json!({"section": "Tavush–Gazakh", "text": "second"}),
            ))
            .unwrap();
        // Signed by someone else, or claiming another party: not stored.
        let e = s
            .add_draft(&draft("ARM", ("arm-head", &aze), json!({"text": "forged"})))
            .unwrap_err();
        assert!(e.to_string().contains("signature"), "{}: {e}", b.name());
        let e = s
            .add_draft(&draft(
                "AZE",
                ("arm-head", &arm),
                json!({"text": "wrong party"}),
            ))
            .unwrap_err();
        assert!(
            e.to_string().contains("is of party ARM"),
            "{}: {e}",
            b.name()
        );
        // Numbered within each party: AZE's first is 1 whatever ARM kept.
        assert_eq!((a1, z1, a2), (1, 1, 2), "{}", b.name());
        drop(s);
        let mut s = b.open().unwrap();
        let arm = s.drafts("ARM").unwrap();
        assert_eq!(
            arm.iter().map(|d| d.id).collect::<Vec<_>>(),
            vec![a1, a2],
            "{}",
            b.name()
        );
        use terminus_ledger::canonical::canonical;
        assert_eq!(canonical(&arm[0].body), canonical(&line), "{}", b.name());
        assert_eq!(s.drafts("AZE").unwrap().len(), 1, "{}", b.name());
        assert!(s.drafts("KGZ").unwrap().is_empty());
    }
}

#[test]
fn postgres_two_services_append_in_turn_and_lines_are_postgis_geometry() {
    let Some(b) = backends().into_iter().find(|b| b.name() == "PostgreSQL") else {
        eprintln!("TERMINUS_TEST_POSTGRES is not set: the two-writer PostgreSQL case did not run");
        return;
    };
    let (r, arm) = fill(b.as_ref());
    let (mut one, mut two) = (b.open().unwrap(), b.open().unwrap());
    let mut rec = r.clone();
    rec.append(
        "comment",
        json!({"text": "by one"}),
        ("arm-head", &arm),
        "2026-11-28T12:00:00Z",
    );
    one.append(rec.events.last().unwrap()).unwrap();
    // Service two has not seen event 3, but takes it in before its own.
    rec.append(
        "comment",
        json!({"text": "by two"}),
        ("arm-head", &arm),
        "2026-11-28T12:00:00Z",
    );
    two.append(rec.events.last().unwrap()).unwrap();
    assert_eq!(two.replay().len(), 5);
    // Service one now offers an event at position 4, which two filled.
    let mut stale = r.clone();
    stale.append(
        "comment",
        json!({"text": "by one"}),
        ("arm-head", &arm),
        "2026-11-28T12:00:00Z",
    );
    stale.append(
        "comment",
        json!({"text": "late"}),
        ("arm-head", &arm),
        "2026-11-28T12:00:00Z",
    );
    let e = one.append(stale.events.last().unwrap()).unwrap_err();
    assert!(e.to_string().contains("event 4"), "{e}");
    let mut s = b.open().unwrap();
    assert_eq!(s.replay().len(), 5);
    verify(&s.record().unwrap()).unwrap();
    // The proposal's and the agreement's lines, as PostGIS sees them.
    b.sql("DO $$ BEGIN IF (SELECT count(*) FROM terminus_events WHERE geom IS NOT NULL AND ST_NPoints(geom) = 2 AND ST_SRID(geom) = 4326) <> 2 THEN RAISE EXCEPTION 'expected two lines of two points on EPSG:4326'; END IF; END $$")
        .unwrap();
    // GeodSolve -i -p 9: 41.07935 45.1318 41.05 45.17 → 4575.314651163 m
    // (PostGIS measures geography on the ellipsoid with GeographicLib).
    b.sql("DO $$ BEGIN IF abs(ST_Length((SELECT geom FROM terminus_events WHERE seq = 1)::geography) - 4575.314651163) > 1e-6 THEN RAISE EXCEPTION 'length %', ST_Length((SELECT geom FROM terminus_events WHERE seq = 1)::geography); END IF; END $$")
        .unwrap();
}

#[test]
fn sqlite_one_file_one_commission_and_version_1_files_are_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("record.sqlite");
    let b = Sqlite {
        _dir: tempfile::tempdir().unwrap(),
        path: path.clone(),
    };
    fill(&b);
    let e = SqliteStore::open(&path, "KG-TJ").err().unwrap();
    assert!(
        e.to_string()
            .contains("holds the record of commission \"AM-AZ\""),
        "{e}"
    );
    // A file as schema version 1 wrote it: no drafts table.
    b.sql(
        "DROP TABLE terminus_drafts; UPDATE terminus_meta SET value = '1' WHERE key = 'schema_version';",
    )
    .unwrap();
    let mut s = SqliteStore::open(&path, "AM-AZ").unwrap();
    assert_eq!(s.len(), 3);
    let arm = MemberKey::generate();
    let e = s
        .add_draft(&Draft::sign(
            "AM-AZ",
            "ARM",
            ("arm-head", &arm),
            "2026-11-28T12:00:00Z",
            json!({"section": "S"}),
        ))
        .unwrap_err();
    assert!(e.to_string().contains("signature"), "{e}");
    assert!(s.drafts(Some("ARM")).unwrap().is_empty());
    let c = rusqlite::Connection::open(&path).unwrap();
    let v: String = c
        .query_row(
            "SELECT value FROM terminus_meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(v, "2");
    // A file from a newer Terminus is refused, not guessed at.
    c.execute(
        "UPDATE terminus_meta SET value = '9' WHERE key = 'schema_version'",
        [],
    )
    .unwrap();
    let e = SqliteStore::open(&path, "AM-AZ").err().unwrap();
    assert!(e.to_string().contains("newer Terminus"), "{e}");
}
