//! Bad input to the service: a clear 4xx with a reason, and nothing
//! stored (the record and the drafts unchanged).

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{json, Value};
use terminus_ledger::keys::MemberKey;
use terminus_server::Config;

fn config() -> Config {
    Config {
        rate_per_s: 1e6,
        burst: 1e6,
        max_body: 64 * 1024,
        ..Config::default()
    }
}

async fn drafts(f: &Fixture, m: &str) -> usize {
    let (_, b) = f.call(Some(m), "GET", "/api/drafts", None).await;
    let v: Value = serde_json::from_str(&b).unwrap();
    v["drafts"].as_array().unwrap().len()
}

/// Post and expect `status` with a reason containing `says`; nothing stored.
async fn refused(
    f: &Fixture,
    m: Option<&str>,
    uri: &str,
    body: String,
    status: StatusCode,
    says: &str,
) {
    let (events, d) = (f.events(), drafts(f, "arm-head").await);
    let (s, b) = f.call(m, "POST", uri, Some(body)).await;
    assert_eq!(s, status, "{uri}: {b}");
    let v: Value =
        serde_json::from_str(&b).unwrap_or_else(|e| panic!("{uri}: not JSON ({e}): {b}"));
    let reason = v["reason"].as_str().unwrap();
    assert!(
        reason.contains(says),
        "{uri}: reason {reason:?} does not say {says:?}"
    );
    assert_eq!(v["code"], status.as_u16());
    assert_eq!(f.events(), events, "{uri}: an event was stored");
    assert_eq!(drafts(f, "arm-head").await, d, "{uri}: a draft was stored");
}

#[tokio::test]
async fn malformed_geojson_in_a_proposal_is_refused_with_the_place() {
    let f = fixture(config());
    let post = |b: Value| f.draft(b, "arm-head", "arm-head");
    refused(
        &f,
        Some("arm-head"),
        "/api/drafts",
        "{\"section\": \"North\", \"geometry\": {".into(),
        StatusCode::BAD_REQUEST,
        "line 1, column",
    )
    .await;
    refused(
        &f,
        Some("arm-head"),
        "/api/drafts",
        post(json!({"section": "North", "line": {"type": "Polygon", "coordinates": []}})),
        StatusCode::UNPROCESSABLE_ENTITY,
        "not an array of [longitude, latitude] positions",
    )
    .await;
    refused(
        &f,
        Some("arm-head"),
        "/api/drafts",
        post(json!({"section": "North", "line": [[45.0, 41.0], ["x", 41.1]]})),
        StatusCode::UNPROCESSABLE_ENTITY,
        "vertex 1",
    )
    .await;
    refused(
        &f,
        Some("arm-head"),
        "/api/drafts",
        post(json!({"section": "North", "line": [[45.0, 41.0]]})),
        StatusCode::UNPROCESSABLE_ENTITY,
        "1 position",
    )
    .await;
    // Latitude and longitude swapped past the pole.
    refused(
        &f,
        Some("arm-head"),
        "/api/drafts",
        post(json!({"section": "North", "line": [[41.0, 45.0], [41.1, 95.1]]})),
        StatusCode::UNPROCESSABLE_ENTITY,
        "vertex 1 (41.1, 95.1)",
    )
    .await;
    refused(
        &f,
        Some("arm-head"),
        "/api/drafts",
        post(json!({"kind": "proposal", "line": [[45.0, 41.0], [45.1, 41.1]]})),
        StatusCode::UNPROCESSABLE_ENTITY,
        "names no \"section\"",
    )
    .await;
    // A draft signed by someone else than its author.
    refused(
        &f,
        Some("arm-head"),
        "/api/drafts",
        f.draft(
            json!({"section": "North", "text": "x", "kind": "comment"}),
            "arm-head",
            "arm-expert",
        ),
        StatusCode::UNPROCESSABLE_ENTITY,
        "signature",
    )
    .await;
    // The same in a signed event: the record's own check.
    let e = f.next_event(
        "proposal",
        json!({"section": "East", "line": [[45.0, 41.0], [200.0, 41.1]]}),
        "arm-head",
        "arm-head",
    );
    refused(
        &f,
        Some("arm-head"),
        "/api/events",
        serde_json::to_string(&e).unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "vertex 1",
    )
    .await;
    refused(
        &f,
        Some("arm-head"),
        "/api/events",
        "{\"seq\": 9".into(),
        StatusCode::BAD_REQUEST,
        "not a signed event",
    )
    .await;
}

#[tokio::test]
async fn signatures_by_non_members_revoked_keys_or_over_other_bytes_are_refused() {
    let f = fixture(config());
    // A stranger's key, with a token of its own making.
    let stranger = MemberKey::generate();
    let token = terminus_ledger::token::issue(&stranger, "AM-AZ", "stranger", now() + 600);
    let req = axum::http::Request::builder()
        .method("GET")
        .uri("/api/events")
        .header("authorization", format!("Bearer {token}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let res = tower::ServiceExt::oneshot(f.app.clone(), req)
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    // A token for arm-head signed by another key.
    let forged = terminus_ledger::token::issue(&stranger, "AM-AZ", "arm-head", now() + 600);
    let req = axum::http::Request::builder()
        .uri("/api/events")
        .header("authorization", format!("Bearer {forged}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let res = tower::ServiceExt::oneshot(f.app.clone(), req)
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    // An event by arm-head signed with arm-expert's key.
    let e = f.next_event(
        "comment",
        json!({"section": "North", "text": "x"}),
        "arm-head",
        "arm-expert",
    );
    refused(
        &f,
        Some("arm-head"),
        "/api/events",
        serde_json::to_string(&e).unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "signature",
    )
    .await;
    // A signature over different bytes: signed, then one coordinate
    // changed at the 9th decimal.
    let mut e = f.next_event(
        "proposal",
        json!({"section": "East", "line": [[45.0, 41.0], [45.123456789, 41.1]]}),
        "arm-head",
        "arm-head",
    );
    e.body = terminus_ledger::record::canonical_raw(
        &json!({"section": "East", "line": [[45.0, 41.0], [45.123456788, 41.1]]}),
    );
    refused(
        &f,
        Some("arm-head"),
        "/api/events",
        serde_json::to_string(&e).unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "signature",
    )
    .await;
    // An old signature replayed: an event already in the record, sent again.
    let (_, b) = f.call(Some("arm-head"), "GET", "/api/events/1", None).await;
    refused(
        &f,
        Some("arm-head"),
        "/api/events",
        b,
        StatusCode::CONFLICT,
        "fetch the log and sign again",
    )
    .await;
    // Revoke arm-expert (by ARM's head): their token and their signatures
    // stop working at once.
    let expert = json!({"id": "arm-expert", "party": "ARM", "role": "expert", "public_key": f.keys["arm-expert"].public_hex()});
    let e = f.next_event("revoke", json!({"member": expert}), "arm-head", "arm-head");
    let (s, b) = f
        .call(
            Some("arm-head"),
            "POST",
            "/api/events",
            Some(serde_json::to_string(&e).unwrap()),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let (s, b) = f.call(Some("arm-expert"), "GET", "/api/events", None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{b}");
    assert!(b.contains("revoked"), "{b}");
    let e = f.next_event(
        "comment",
        json!({"section": "North", "text": "after revocation"}),
        "arm-expert",
        "arm-expert",
    );
    refused(
        &f,
        Some("arm-expert"),
        "/api/events",
        serde_json::to_string(&e).unwrap(),
        StatusCode::UNAUTHORIZED,
        "revoked",
    )
    .await;
}

#[tokio::test]
async fn oversized_bodies_unknown_sections_and_bad_queries_are_refused() {
    let f = fixture(config());
    let big = json!({"section": "North", "text": "x".repeat(100 * 1024)}).to_string();
    refused(
        &f,
        Some("arm-head"),
        "/api/drafts",
        big.clone(),
        StatusCode::PAYLOAD_TOO_LARGE,
        "larger than",
    )
    .await;
    refused(
        &f,
        Some("arm-head"),
        "/api/events",
        big,
        StatusCode::PAYLOAD_TOO_LARGE,
        "larger than",
    )
    .await;
    // Unknown sections.
    let draft = f.draft(json!({"section": "Nowhere", "kind": "counter_proposal", "line": [[45.0, 41.0], [45.1, 41.1]]}), "arm-head", "arm-head");
    refused(
        &f,
        Some("arm-head"),
        "/api/drafts",
        draft,
        StatusCode::UNPROCESSABLE_ENTITY,
        "section \"Nowhere\" is unknown",
    )
    .await;
    let e = f.next_event(
        "counter_proposal",
        json!({"section": "Nowhere", "line": [[45.0, 41.0], [45.1, 41.1]]}),
        "aze-head",
        "aze-head",
    );
    refused(
        &f,
        Some("aze-head"),
        "/api/events",
        serde_json::to_string(&e).unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "section \"Nowhere\" is unknown",
    )
    .await;
    // A pillar catalogue for a section that is not agreed.
    let e = f.next_event("attachment", json!({"section": "North", "what": "pillar_catalogue", "terms_sha256": "00", "replaces": null, "pillars": []}), "aze-head", "aze-head");
    refused(
        &f,
        Some("aze-head"),
        "/api/events",
        serde_json::to_string(&e).unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "is not agreed",
    )
    .await;
    // Queries.
    for (uri, says) in [
        ("/collections/agreed_line/items?limit=0", "limit=0"),
        ("/collections/agreed_line/items?limit=10001", "limit=10001"),
        ("/collections/agreed_line/items?bbox=1,2,3", "3 numbers"),
        (
            "/collections/agreed_line/items?bbox=46,40,47,39",
            "south (40) is north of north (39)",
        ),
        (
            "/collections/agreed_line/items?bbox=39,46,40,95",
            "latitudes within ±90°",
        ),
        (
            "/collections/agreed_line/items?colour=red",
            "unknown parameter colour",
        ),
        ("/collections/agreed_line/items?f=html", "JSON only"),
        ("/collections/rivers/items", "no collection \"rivers\""),
        ("/collections/agreed_line/items/99", "no feature 99"),
        ("/api/events/99", "no event 99"),
        ("/api/proofs/inclusion?seq=99", "need seq < size"),
        ("/api/proofs/consistency?first=0", "need 0 < first"),
        ("/nowhere", "no such resource"),
    ] {
        let (s, b) = f.call(Some("arm-head"), "GET", uri, None).await;
        assert!(s.is_client_error(), "{uri}: {s} {b}");
        let v: Value = serde_json::from_str(&b).unwrap();
        assert!(v["reason"].as_str().unwrap().contains(says), "{uri}: {b}");
    }
}

#[tokio::test]
async fn a_client_over_its_rate_gets_429_with_retry_after() {
    let f = fixture(Config {
        rate_per_s: 1.0,
        burst: 5.0,
        ..Config::default()
    });
    // The limit counts by member once their token is verified (the first
    // call, counted on the address): every call sends the same one.
    let token = f.token("arm-head");
    let mut limited = 0;
    for _ in 0..8 {
        let req = axum::http::Request::builder()
            .uri("/api/commission")
            .header("authorization", format!("Bearer {token}"))
            .body(axum::body::Body::empty())
            .unwrap();
        let res = tower::ServiceExt::oneshot(f.app.clone(), req)
            .await
            .unwrap();
        if res.status() == StatusCode::TOO_MANY_REQUESTS {
            assert!(res.headers().contains_key("retry-after"));
            limited += 1;
        }
    }
    // One call on the address, then a burst of 5 at 1/s for the member:
    // the last two of eight quick calls wait (one, if a second passed).
    assert!((1..=2).contains(&limited), "{limited} limited");
}

/// An event whose body is not canonical JSON (two meanings, a number no
/// double holds, a lone surrogate, a second spelling) is refused; the log
/// stays servable, and every event it serves verifies from the served
/// bytes alone.
#[tokio::test]
async fn non_canonical_bodies_are_refused_and_the_log_serves_signed_bytes() {
    let f = fixture(config());
    let bodies = [
        r#"{"text":1e400}"#,
        r#"{"text":"\ud800"}"#,
        r#"{"text":"we accept","text":"we reject"}"#,
        r#"{"text": "spaces"}"#,
        r#"{"n":1.0E+2,"text":"x"}"#,
        r#"{"n":-0,"text":"x"}"#,
        r#""a bare string""#,
        r#"{"text":"x","section":"North"}"#,
    ];
    for body in bodies {
        // Signed by its author over the body's own text: only the
        // record's rules can refuse it.
        let mut e = f.next_event("comment", json!({}), "arm-head", "arm-head");
        e.body = serde_json::value::RawValue::from_string(body.to_string()).unwrap();
        e.signature = f.keys["arm-head"].sign(&e.signed_bytes());
        let text = serde_json::to_string(&e).unwrap();
        assert!(text.contains(body), "{text}");
        refused(
            &f,
            Some("arm-head"),
            "/api/events",
            text,
            StatusCode::UNPROCESSABLE_ENTITY,
            "body",
        )
        .await;
    }
    // Unknown kinds and bad times too.
    let mut e = f.next_event("decree", json!({"text": "x"}), "arm-head", "arm-head");
    e.signature = f.keys["arm-head"].sign(&e.signed_bytes());
    let text = serde_json::to_string(&e).unwrap();
    refused(
        &f,
        Some("arm-head"),
        "/api/events",
        text,
        StatusCode::UNPROCESSABLE_ENTITY,
        "kind",
    )
    .await;
    let mut e = f.next_event("comment", json!({"text": "x"}), "arm-head", "arm-head");
    e.time = "yesterday".into();
    e.signature = f.keys["arm-head"].sign(&e.signed_bytes());
    let text = serde_json::to_string(&e).unwrap();
    refused(
        &f,
        Some("arm-head"),
        "/api/events",
        text,
        StatusCode::UNPROCESSABLE_ENTITY,
        "RFC 3339",
    )
    .await;

    // The log: served, and each event's signature checks from the bytes.
    let (s, b) = f.call(Some("aze-expert"), "GET", "/api/events", None).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    #[derive(serde::Deserialize)]
    struct Page {
        size: u64,
        events: Vec<terminus_ledger::record::Event>,
    }
    let page: Page = serde_json::from_str(&b).unwrap();
    assert_eq!(page.size, f.events());
    let r = terminus_ledger::record::Record {
        commission: "AM-AZ".into(),
        events: page.events,
        heads: vec![],
    };
    let v = terminus_ledger::record::verify(&r).unwrap();
    assert_eq!(v.events, f.events());
    // One event alone, the same bytes as in the page.
    let (s, one) = f
        .call(Some("aze-expert"), "GET", "/api/events/1", None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(b.contains(&one), "{one}");
}

/// A tree head already kept, resent as it was or with its hex in upper
/// case, is a conflict or malformed (409, 422) — never a 500; drafts are
/// numbered per party; an observer's draft is refused by the store itself.
#[tokio::test]
async fn heads_resent_drafts_numbered_per_party_observers_draft_nothing() {
    let f = fixture(config());
    let (size, root) = {
        let store = f.service.lock_store();
        (store.replay().len(), store.replay().root())
    };
    let h = terminus_ledger::record::TreeHead::sign(
        "AM-AZ",
        size,
        &root,
        ("aze-head", &f.keys["aze-head"]),
    );
    let text = serde_json::to_string(&h).unwrap();
    let (s, b) = f
        .call(
            Some("aze-head"),
            "POST",
            "/api/tree-heads",
            Some(text.clone()),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    refused(
        &f,
        Some("aze-head"),
        "/api/tree-heads",
        text,
        StatusCode::CONFLICT,
        "already kept",
    )
    .await;
    let mut upper = h.clone();
    upper.signature = upper.signature.to_uppercase();
    refused(
        &f,
        Some("aze-head"),
        "/api/tree-heads",
        serde_json::to_string(&upper).unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "lower-case",
    )
    .await;
    let mut empty = h.clone();
    empty.size = 0;
    refused(
        &f,
        Some("aze-head"),
        "/api/tree-heads",
        serde_json::to_string(&empty).unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "one event or more",
    )
    .await;

    // Each party counts its own drafts from 1.
    let post = |who: &str| {
        f.draft(
            json!({"section": "North", "kind": "comment", "text": "n"}),
            who,
            who,
        )
    };
    let (s, b) = f
        .call(
            Some("aze-head"),
            "POST",
            "/api/drafts",
            Some(post("aze-head")),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let v: Value = serde_json::from_str(&b).unwrap();
    assert_eq!(v["id"], 2, "AZE's second draft: {b}");
    let (_, b) = f
        .call(
            Some("arm-head"),
            "POST",
            "/api/drafts",
            Some(post("arm-head")),
        )
        .await;
    let v: Value = serde_json::from_str(&b).unwrap();
    assert_eq!(v["id"], 2, "ARM's second draft: {b}");

    // The store refuses an observer's draft (as the service does).
    let d = terminus_ledger::draft::Draft::sign(
        "AM-AZ",
        "ARM",
        ("arm-observer", &f.keys["arm-observer"]),
        "2026-11-28T12:00:00Z",
        json!({"section": "North", "kind": "comment", "text": "x"}),
    );
    let e = f.service.lock_store().add_draft(&d).unwrap_err();
    assert!(e.to_string().contains("observer"), "{e}");
}

/// Abuse of the rate limit: thousands of distinct, large Authorization
/// headers from one address neither escape the limit nor grow the
/// service's memory (the buckets are keyed by address until a token is
/// verified); other spellings of a valid token are refused; a member
/// sharing the attacker's address still gets through.
#[tokio::test]
async fn distinct_headers_neither_escape_the_rate_nor_grow_memory() {
    let f = fixture(Config {
        rate_per_s: 1.0,
        burst: 20.0,
        ..Config::default()
    });
    let send = |auth: String| {
        let app = f.app.clone();
        async move {
            let req = axum::http::Request::builder()
                .uri("/")
                .header("authorization", auth)
                .body(axum::body::Body::empty())
                .unwrap();
            tower::ServiceExt::oneshot(app, req).await.unwrap().status()
        }
    };
    let big = "x".repeat(100_000);
    let mut passed = 0;
    for i in 0..2_000 {
        let s = send(format!("Bearer tmn1.{i}{big}")).await;
        if s != StatusCode::TOO_MANY_REQUESTS {
            passed += 1;
        }
    }
    // The burst, and perhaps a refill or two while the loop ran.
    assert!((20..=25).contains(&passed), "{passed} passed");
    assert!(f.service.buckets.lock().unwrap().len() <= 2);
    assert_eq!(f.service.tokens.lock().unwrap().len(), 0);

    // Other spellings of a valid token: 401, never a second client.
    let t = f.token("arm-expert");
    let (head, sig) = t.rsplit_once('.').unwrap();
    for variant in [
        format!("Bearer  {t}"),
        format!("Bearer {t} "),
        format!("Bearer {head}.{}", sig.to_uppercase()),
        format!("bearer {t}"),
    ] {
        let fresh = fixture(Config::default());
        let req = axum::http::Request::builder()
            .uri("/api/commission")
            .header("authorization", variant.clone())
            .body(axum::body::Body::empty())
            .unwrap();
        let s = tower::ServiceExt::oneshot(fresh.app.clone(), req)
            .await
            .unwrap()
            .status();
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{variant}");
    }

    // The member behind the same (exhausted) address is verified and
    // counted on their own bucket.
    let s = send(format!("Bearer {}", f.token("aze-expert"))).await;
    assert_eq!(s, StatusCode::OK);
}

/// A revocation written into the served SQLite file by another process
/// (`terminus sign`, `ledger import`) is taken in: the next append signed
/// on it is kept (not 500, not 409), and the revoked member is refused.
#[tokio::test]
async fn writes_by_another_process_to_the_served_file_are_seen() {
    use terminus_ledger::store::SqliteStore;
    let f = fixture(config());
    let (s, _) = f
        .call(Some("arm-expert"), "GET", "/api/commission", None)
        .await;
    assert_eq!(s, StatusCode::OK);
    // Another process: the ARM head revokes the ARM expert in the file.
    {
        let mut other = SqliteStore::open(&f.path, "AM-AZ").unwrap();
        let mut r = other.record().unwrap();
        r.append(
            "revoke",
            json!({"member": {"id": "arm-expert"}}),
            ("arm-head", &f.keys["arm-head"]),
            "2026-11-28T13:00:00Z",
        );
        other.append(r.events.last().unwrap()).unwrap();
    }
    // The service's next append is signed on the file as it now stands.
    let outside = SqliteStore::open(&f.path, "AM-AZ").unwrap();
    let mut e = f.next_event("comment", json!({"text": "after"}), "aze-head", "aze-head");
    e.seq = outside.replay().len();
    e.prev = outside.replay().prev().to_string();
    e.signature = f.keys["aze-head"].sign(&e.signed_bytes());
    let (s, b) = f
        .call(
            Some("aze-head"),
            "POST",
            "/api/events",
            Some(serde_json::to_string(&e).unwrap()),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let (s, b) = f
        .call(Some("arm-expert"), "GET", "/api/commission", None)
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{b}");
    // And with no append in between, the watcher's refresh does it.
    {
        let mut other = SqliteStore::open(&f.path, "AM-AZ").unwrap();
        let mut r = other.record().unwrap();
        r.append(
            "revoke",
            json!({"member": {"id": "aze-expert"}}),
            ("aze-head", &f.keys["aze-head"]),
            "2026-11-28T13:01:00Z",
        );
        other.append(r.events.last().unwrap()).unwrap();
    }
    {
        let mut store = f.service.lock_store();
        f.service.refresh(&mut **store).unwrap();
    }
    let (s, _) = f
        .call(Some("aze-expert"), "GET", "/api/commission", None)
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}
