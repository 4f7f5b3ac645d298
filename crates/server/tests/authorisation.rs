//! The authorisation matrix: every role × every endpoint × own/other
//! party × draft/shared/agreed content. Exactly the allowed reads and
//! writes succeed, and no response to anyone outside a party carries that
//! party's draft (0 leaks).
//!
//! The expected outcomes are written out here from the rules, not
//! computed with the service's policy, so the test can fail.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{json, Value};
use terminus_server::Config;

fn generous() -> Config {
    Config {
        rate_per_s: 1e6,
        burst: 1e6,
        ..Config::default()
    }
}

/// Who reads the negotiation (shared proposals, log, proofs).
fn negotiates(m: Option<&str>) -> bool {
    m.is_some_and(|m| role_of(m) != "observer")
}

fn expect_read(m: Option<&str>, negotiation: bool) -> StatusCode {
    match m {
        None => StatusCode::UNAUTHORIZED,
        Some(_) if negotiation && !negotiates(m) => StatusCode::FORBIDDEN,
        Some(_) => StatusCode::OK,
    }
}

fn callers() -> Vec<Option<&'static str>> {
    let mut v: Vec<Option<&str>> = MEMBERS.iter().map(|m| Some(m.0)).collect();
    v.push(None);
    v
}

#[tokio::test]
async fn every_role_reads_and_writes_exactly_what_it_may() {
    let f = fixture(generous());
    let mut checked = 0;
    let mut leaks = Vec::new();
    for m in callers() {
        let who = m.unwrap_or("anonymous");
        let mut check = |status: StatusCode, want: StatusCode, body: &str, what: &str| {
            assert_eq!(status, want, "{who}: {what}: {body}");
            for (party, marker) in [("ARM", "secret-ARM-draft"), ("AZE", "secret-AZE-draft")] {
                let may = m.is_some_and(|m| party_of(m) == party && role_of(m) != "observer");
                if body.contains(marker) && !may {
                    leaks.push(format!("{who}: {what} shows {party}'s draft"));
                }
            }
            checked += 1;
        };
        // The service's description: everyone.
        for uri in ["/", "/conformance", "/openapi.json"] {
            let (s, b) = f.call(m, "GET", uri, None).await;
            check(s, StatusCode::OK, &b, uri);
        }
        // Agreed content and who is who: every member.
        for uri in [
            "/collections",
            "/collections/sections",
            "/collections/sections/items",
            "/collections/agreed_line",
            "/collections/agreed_line/items",
            "/collections/agreed_line/items/1",
            "/collections/pillars/items",
            "/collections/pillars/items/2",
            "/api/commission",
            "/api/sections",
        ] {
            let (s, b) = f.call(m, "GET", uri, None).await;
            check(s, expect_read(m, false), &b, uri);
            if s == StatusCode::OK && uri.ends_with("/items") {
                let v: Value = serde_json::from_str(&b).unwrap();
                let n = v["features"].as_array().unwrap().len();
                let want = match uri {
                    // North is under negotiation: observers do not see it.
                    "/collections/sections/items" => {
                        if negotiates(m) {
                            2
                        } else {
                            1
                        }
                    }
                    "/collections/agreed_line/items" => 1,
                    "/collections/pillars/items" => 2,
                    _ => unreachable!(),
                };
                assert_eq!(n, want, "{who}: {uri}");
                assert_eq!(v["numberMatched"], want, "{who}: {uri}");
            }
            if s == StatusCode::OK && uri == "/collections" {
                let v: Value = serde_json::from_str(&b).unwrap();
                let ids: Vec<&str> = v["collections"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["id"].as_str().unwrap())
                    .collect();
                assert_eq!(ids.contains(&"proposals"), negotiates(m), "{who}: {ids:?}");
            }
            if s == StatusCode::OK && uri == "/api/sections" {
                let v: Value = serde_json::from_str(&b).unwrap();
                assert_eq!(
                    v["sections"].as_array().unwrap().len(),
                    if negotiates(m) { 2 } else { 1 },
                    "{who}"
                );
            }
        }
        // The negotiation: not observers.
        for uri in [
            "/collections/proposals",
            "/collections/proposals/items",
            "/collections/proposals/items/event-1",
            "/api/events",
            "/api/events/1",
            "/api/tree-head",
            "/api/proofs/inclusion?seq=1",
            "/api/proofs/consistency?first=2",
        ] {
            let (s, b) = f.call(m, "GET", uri, None).await;
            check(s, expect_read(m, true), &b, uri);
            if s == StatusCode::OK && uri == "/collections/proposals/items" {
                // The shared proposal and the caller's own party's draft.
                let v: Value = serde_json::from_str(&b).unwrap();
                let own_draft = m.is_some_and(|m| party_of(m) != "mediator");
                assert_eq!(
                    v["numberMatched"],
                    if own_draft { 2 } else { 1 },
                    "{who}: {b}"
                );
            }
        }
        // Drafts: the own party's only. Each party numbers its drafts
        // from 1, so draft 1 is the caller's party's own first draft —
        // never the other's, whose existence and count are not disclosed.
        for uri in ["/collections/proposals/items/draft-1", "/api/drafts/1"] {
            let (s, b) = f.call(m, "GET", uri, None).await;
            let want = match m {
                None => StatusCode::UNAUTHORIZED,
                Some(x) if role_of(x) == "observer" => StatusCode::FORBIDDEN,
                // The mediator has no draft (yet).
                Some(x) if party_of(x) == "mediator" => StatusCode::NOT_FOUND,
                Some(_) => StatusCode::OK,
            };
            check(s, want, &b, uri);
            if let (StatusCode::OK, Some(x)) = (s, m) {
                let own = party_of(x);
                let other = if own == "ARM" { "AZE" } else { "ARM" };
                assert!(
                    b.contains(&format!("secret-{own}-draft")),
                    "{who}: {uri}: {b}"
                );
                assert!(
                    !b.contains(&format!("secret-{other}-draft")),
                    "{who}: {uri}: {b}"
                );
            }
        }
        let (s, b) = f.call(m, "GET", "/api/drafts", None).await;
        check(s, expect_read(m, true), &b, "/api/drafts");
        if s == StatusCode::OK {
            // Only the caller's party's drafts (earlier callers of the
            // same party add theirs as the loop goes on).
            let v: Value = serde_json::from_str(&b).unwrap();
            let party = party_of(m.unwrap());
            let drafts = v["drafts"].as_array().unwrap();
            assert!(drafts.iter().all(|d| d["party"] == party), "{who}: {b}");
            let first = match party {
                "ARM" | "AZE" => Some(1),
                _ => None,
            };
            assert_eq!(
                drafts
                    .iter()
                    .any(|d| Some(d["id"].as_u64().unwrap()) == first),
                first.is_some(),
                "{who}: {b}"
            );
        }
        // Writes: a draft; an event signed by the caller; a tree head.
        let before = f.events();
        let author = m.unwrap_or("arm-head");
        let draft = f.draft(
            json!({"section": "North", "kind": "comment", "text": format!("note by {who}")}),
            author,
            author,
        );
        let (s, b) = f.call(m, "POST", "/api/drafts", Some(draft)).await;
        let want_write = match m {
            None => StatusCode::UNAUTHORIZED,
            Some(x) if role_of(x) == "observer" => StatusCode::FORBIDDEN,
            Some(_) => StatusCode::CREATED,
        };
        check(s, want_write, &b, "POST /api/drafts");
        // Another member's signed draft, posted by the caller: refused.
        let other = if author == "arm-expert" {
            "arm-head"
        } else {
            "arm-expert"
        };
        let draft = f.draft(
            json!({"section": "North", "kind": "comment", "text": "relayed"}),
            other,
            other,
        );
        let (s, b) = f.call(m, "POST", "/api/drafts", Some(draft)).await;
        let want = if m.is_none() {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::FORBIDDEN
        };
        check(s, want, &b, "POST /api/drafts as another member");
        let e = f.next_event(
            "comment",
            json!({"section": "North", "text": format!("by {who}")}),
            author,
            author,
        );
        let (s, b) = f
            .call(
                m,
                "POST",
                "/api/events",
                Some(serde_json::to_string(&e).unwrap()),
            )
            .await;
        check(s, want_write, &b, "POST /api/events");
        assert_eq!(
            f.events(),
            before + u64::from(s == StatusCode::CREATED),
            "{who}"
        );
        // Another member's event, correctly signed by them, relayed by the
        // caller: refused (a member appends only their own events).
        let other = if author == "aze-head" {
            "arm-head"
        } else {
            "aze-head"
        };
        let e = f.next_event(
            "comment",
            json!({"section": "North", "text": "relayed"}),
            other,
            other,
        );
        let (s, b) = f
            .call(
                m,
                "POST",
                "/api/events",
                Some(serde_json::to_string(&e).unwrap()),
            )
            .await;
        let want = if m.is_none() {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::FORBIDDEN
        };
        check(s, want, &b, "POST /api/events as another member");
        // A tree head signed by the caller.
        let (size, root) = {
            let st = f.service.store.lock().unwrap();
            (st.replay().len(), st.replay().root())
        };
        let head_bytes = terminus_ledger::canonical::canonical(
            &json!({"commission": "AM-AZ", "size": size, "root": root}),
        );
        let h = json!({"size": size, "root": root, "signer": author, "signature": f.keys[author].sign(&head_bytes)});
        let (s, b) = f
            .call(m, "POST", "/api/tree-heads", Some(h.to_string()))
            .await;
        check(s, want_write, &b, "POST /api/tree-heads");
    }
    assert!(leaks.is_empty(), "leaks: {leaks:#?}");
    // 8 callers × 29 requests.
    assert_eq!(checked, 8 * 29);
    // What was written is a valid record.
    let record = f.service.store.lock().unwrap().record().unwrap();
    terminus_ledger::record::verify(&record).unwrap();
}
