//! `/api/stream` tells each member's page when what *they* may see has
//! changed, and nothing else: the other delegation's drafts are not
//! announced to them (their timing would leak), the negotiation is not
//! announced to observers, and a revoked member's stream ends with the
//! reason.

mod common;

use axum::body::Body;
use common::fixture;
use http_body_util::BodyExt;
use serde_json::json;
use std::time::Duration;
use terminus_server::Config;
use tower::ServiceExt;

/// A stream opened as `member`, read event by event.
struct Stream {
    body: Body,
    buf: String,
}

impl Stream {
    async fn open(f: &common::Fixture, member: &str) -> Stream {
        let req = axum::http::Request::builder()
            .uri("/api/stream")
            .header("host", "test.invalid")
            .header("authorization", format!("Bearer {}", f.token(member)))
            .body(Body::empty())
            .unwrap();
        let res = f.app.clone().oneshot(req).await.unwrap();
        assert_eq!(res.status().as_u16(), 200, "{member}");
        assert_eq!(
            res.headers()["content-type"].to_str().unwrap(),
            "text/event-stream"
        );
        Stream {
            body: res.into_body(),
            buf: String::new(),
        }
    }

    /// The next event's name, or None if none comes within `wait`.
    async fn next(&mut self, wait: Duration) -> Option<String> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(i) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..i + 2).collect();
                if let Some(name) = block.lines().find_map(|l| l.strip_prefix("event: ")) {
                    return Some(name.to_string());
                }
                continue; // a keep-alive comment
            }
            let frame = tokio::time::timeout_at(deadline, self.body.frame())
                .await
                .ok()??
                .unwrap();
            if let Ok(data) = frame.into_data() {
                self.buf.push_str(&String::from_utf8_lossy(&data));
            }
        }
    }
}

const QUIET: Duration = Duration::from_millis(400);
const SOON: Duration = Duration::from_secs(2);

#[tokio::test]
async fn each_page_hears_of_what_its_member_may_see_and_of_nothing_else() {
    let f = fixture(Config::default());
    let mut arm = Stream::open(&f, "arm-head").await;
    let mut aze = Stream::open(&f, "aze-head").await;
    let mut observer = Stream::open(&f, "aze-observer").await;
    for s in [&mut arm, &mut aze, &mut observer] {
        assert_eq!(s.next(SOON).await.as_deref(), Some("open"));
    }
    // ARM saves a draft: ARM's page hears of it; AZE's and the
    // observer's hear nothing.
    let draft = f.draft(
        json!({"section": "North", "kind": "counter_proposal", "line": [[45.0, 41.0], [45.07, 41.1]], "source": "ARM draft 2"}),
        "arm-expert",
        "arm-expert",
    );
    let (s, b) = f
        .call(Some("arm-expert"), "POST", "/api/drafts", Some(draft))
        .await;
    assert_eq!(s.as_u16(), 201, "{b}");
    assert_eq!(arm.next(SOON).await.as_deref(), Some("changed"));
    assert_eq!(aze.next(QUIET).await, None, "AZE heard of ARM's draft");
    assert_eq!(observer.next(QUIET).await, None);
    // ARM's head comments in the record: both heads hear of it, the
    // observer (who does not read the negotiation) does not.
    let e = f.next_event(
        "comment",
        json!({"section": "North", "text": "see the draft"}),
        "arm-head",
        "arm-head",
    );
    let (s, b) = f
        .call(
            Some("arm-head"),
            "POST",
            "/api/events",
            Some(serde_json::to_string(&e).unwrap()),
        )
        .await;
    assert_eq!(s.as_u16(), 201, "{b}");
    assert_eq!(arm.next(SOON).await.as_deref(), Some("changed"));
    assert_eq!(aze.next(SOON).await.as_deref(), Some("changed"));
    assert_eq!(
        observer.next(QUIET).await,
        None,
        "the observer heard of a comment"
    );
    // AZE's head revokes their expert; then the expert's stream, at the
    // next change, says why and ends.
    let mut expert = Stream::open(&f, "aze-expert").await;
    assert_eq!(expert.next(SOON).await.as_deref(), Some("open"));
    let revoked = json!({"id": "aze-expert", "party": "AZE", "role": "expert", "public_key": f.keys["aze-expert"].public_hex()});
    let e = f.next_event(
        "revoke",
        json!({ "member": revoked }),
        "aze-head",
        "aze-head",
    );
    let (s, b) = f
        .call(
            Some("aze-head"),
            "POST",
            "/api/events",
            Some(serde_json::to_string(&e).unwrap()),
        )
        .await;
    assert_eq!(s.as_u16(), 201, "{b}");
    assert_eq!(expert.next(SOON).await.as_deref(), Some("signed-out"));
    assert_eq!(expert.next(QUIET).await, None, "the stream goes on");
    // Anonymous callers get no stream.
    let (s, _) = f.call(None, "GET", "/api/stream", None).await;
    assert_eq!(s.as_u16(), 401);
}
