//! A commission for the service's tests: two delegations (ARM, AZE) with a
//! head, an expert and an observer each, and a mediator; one section
//! under negotiation ("North", proposed by ARM), one agreed ("South",
//! signed by both heads, with a pillar catalogue), and one draft per party
//! that the other must never see.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Arc;
use terminus_ledger::draft::Draft;
use terminus_ledger::keys::MemberKey;
use terminus_ledger::record::{section_terms, Event, Member, Record};
use terminus_ledger::store::{RecordStore, SqliteStore};
use terminus_server::{Config, Service};
use tower::ServiceExt;

pub const MEMBERS: [(&str, &str, &str); 7] = [
    ("arm-head", "ARM", "head"),
    ("arm-expert", "ARM", "expert"),
    ("arm-observer", "ARM", "observer"),
    ("aze-head", "AZE", "head"),
    ("aze-expert", "AZE", "expert"),
    ("aze-observer", "AZE", "observer"),
    ("osce", "mediator", "mediator"),
];

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub path: std::path::PathBuf,
    pub keys: BTreeMap<String, MemberKey>,
    pub service: Arc<Service>,
    pub app: axum::Router,
}

pub const SOUTH: [(f64, f64); 3] = [(46.0, 39.0), (46.1, 39.1), (46.2, 39.15)];

/// Build the record in a fresh store and serve it (not over a socket).
pub fn fixture(config: Config) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("am-az.sqlite");
    let store = SqliteStore::open(&path, "AM-AZ").unwrap();
    fixture_in(Box::new(store), dir, path, config)
}

/// The same commission kept in `store` (empty), e.g. a PostgreSQL store.
pub fn fixture_in(
    mut store: Box<dyn RecordStore>,
    dir: tempfile::TempDir,
    path: std::path::PathBuf,
    config: Config,
) -> Fixture {
    let keys: BTreeMap<String, MemberKey> = MEMBERS
        .iter()
        .map(|(id, _, _)| (id.to_string(), MemberKey::generate()))
        .collect();
    let members: Vec<Member> = MEMBERS
        .iter()
        .map(|(id, p, r)| Member::new(id, p, r, &keys[*id]))
        .collect();
    let k = |id: &'static str| (id, &keys[id]);
    let mut r = Record::found("AM-AZ", &members, k("arm-head"), "2026-11-28T10:00:00Z");
    r.append(
        "proposal",
        json!({"section": "North", "crs": "EPSG:4326", "line": [[45.0, 41.0], [45.1, 41.1]], "source": "Natural Earth 5.1.1"}),
        k("arm-head"),
        "2026-11-28T10:01:00Z",
    );
    let terms = section_terms(
        "South",
        &terminus_model::Crs::WGS84,
        9,
        &SOUTH,
        "compromise median",
        "Protocol …",
    );
    r.append(
        "agreement",
        json!({"terms": terms}),
        k("arm-head"),
        "2026-11-28T12:00:00Z",
    );
    r.append(
        "agreement",
        json!({"terms": terms}),
        k("aze-head"),
        "2026-11-28T12:00:00Z",
    );
    // The terms' hash as the record states it.
    let terms_sha = terminus_ledger::record::verify(&r).unwrap().agreed["South"]
        .terms_sha256
        .clone();
    r.append(
        "attachment",
        json!({"section": "South", "what": "pillar_catalogue", "terms_sha256": terms_sha, "replaces": null,
               "pillars": [{"number": "1", "lon": 46.0, "lat": 39.0}, {"number": "2", "lon": 46.1, "lat": 39.1}]}),
        k("aze-expert"),
        "2026-11-28T12:00:00Z",
    );
    store.keep(&r).unwrap();
    store
        .add_draft(&Draft::sign("AM-AZ", "ARM", k("arm-expert"), "2026-11-28T12:00:00Z", json!({"section": "North", "kind": "counter_proposal", "line": [[45.0, 41.0], [45.05, 41.2]], "source": "secret-ARM-draft"})))
        .unwrap();
    store
        .add_draft(&Draft::sign("AM-AZ", "AZE", k("aze-expert"), "2026-11-28T12:00:00Z", json!({"section": "North", "kind": "counter_proposal", "line": [[45.0, 41.0], [45.2, 41.0]], "source": "secret-AZE-draft"})))
        .unwrap();
    let service = Arc::new(Service::new(store, config).unwrap());
    let app = terminus_server::router(service.clone());
    Fixture {
        dir,
        path,
        keys,
        service,
        app,
    }
}

impl Fixture {
    pub fn token(&self, member: &str) -> String {
        terminus_ledger::token::issue(&self.keys[member], "AM-AZ", member, now() + 3600)
    }

    /// The next event of the record, by `author`, signed with `signer`'s key.
    pub fn next_event(&self, kind: &str, body: Value, author: &str, signer: &str) -> Event {
        let store = self.service.store.lock().unwrap();
        let replay = store.replay();
        let mut e = Event {
            seq: replay.len(),
            commission: "AM-AZ".into(),
            kind: kind.into(),
            author: author.into(),
            time: "2026-11-28T11:00:00Z".into(),
            prev: replay.prev().to_string(),
            body: terminus_ledger::record::canonical_raw(&body),
            signature: String::new(),
        };
        e.signature = self.keys[signer].sign(&e.signed_bytes());
        e
    }

    /// A draft by `author` (of their party), signed with `signer`'s key,
    /// as JSON to post.
    pub fn draft(&self, body: Value, author: &str, signer: &str) -> String {
        let d = Draft::sign(
            "AM-AZ",
            party_of(author),
            (author, &self.keys[signer]),
            "2026-11-28T11:00:00Z",
            body,
        );
        serde_json::to_string(&d).unwrap()
    }

    pub fn events(&self) -> u64 {
        self.service.store.lock().unwrap().replay().len()
    }

    /// Send a request as `member` (None: anonymous); status and body.
    pub async fn call(
        &self,
        member: Option<&str>,
        method: &str,
        uri: &str,
        body: Option<String>,
    ) -> (StatusCode, String) {
        let mut req = Request::builder()
            .method(method)
            .uri(uri)
            .header("host", "test.invalid");
        if let Some(m) = member {
            req = req.header("authorization", format!("Bearer {}", self.token(m)));
        }
        if body.is_some() {
            req = req.header("content-type", "application/json");
        }
        let req = req
            .body(body.map(Body::from).unwrap_or_else(Body::empty))
            .unwrap();
        let res = self.app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }
}

pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

pub fn party_of(member: &str) -> &'static str {
    MEMBERS.iter().find(|m| m.0 == member).unwrap().1
}

pub fn role_of(member: &str) -> &'static str {
    MEMBERS.iter().find(|m| m.0 == member).unwrap().2
}

pub fn reopen(path: &std::path::Path) -> Box<dyn RecordStore> {
    Box::new(SqliteStore::open(path, "AM-AZ").unwrap())
}

/// A PostgreSQL schema of its own for one test, dropped after it:
/// `TERMINUS_TEST_POSTGRES` (set by `.ci/run`) with a search path. None —
/// the test SKIPPED, said so — when it is not set; under CI=true a
/// missing server is a failure.
pub struct PostgresSchema {
    pub url: String,
    base: String,
    schema: String,
}

pub fn postgres_schema() -> Option<PostgresSchema> {
    let Ok(base) = std::env::var("TERMINUS_TEST_POSTGRES") else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but TERMINUS_TEST_POSTGRES is not set: .ci/run starts PostgreSQL"
        );
        eprintln!(
            "SKIPPED: TERMINUS_TEST_POSTGRES is not set (.ci/run starts PostgreSQL and sets it)"
        );
        return None;
    };
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let schema = format!(
        "srv{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    );
    let mut admin = postgres::Client::connect(&base, postgres::NoTls)
        .unwrap_or_else(|e| panic!("TERMINUS_TEST_POSTGRES={base}: {e}"));
    admin
        .batch_execute(&format!(
            "BEGIN;
             SELECT pg_advisory_xact_lock(7250001);
             CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public;
             COMMIT;
             CREATE SCHEMA {schema};"
        ))
        .unwrap();
    let url = format!("{base} options='-c search_path={schema},public'");
    Some(PostgresSchema { url, base, schema })
}

impl Drop for PostgresSchema {
    fn drop(&mut self) {
        if let Ok(mut admin) = postgres::Client::connect(&self.base, postgres::NoTls) {
            let _ = admin.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema));
        }
    }
}
