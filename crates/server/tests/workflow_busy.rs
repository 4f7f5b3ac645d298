//! Beyond one workflow per core the service answers 503 at once, with
//! Retry-After, instead of queueing (its own test binary: it holds every
//! slot while it runs).

mod common;

use axum::http::StatusCode;
use serde_json::json;
use terminus_server::Config;

#[tokio::test]
async fn a_busy_service_says_so_at_once() {
    let f = common::fixture(Config {
        rate_per_s: 1e6,
        burst: 1e6,
        ..Config::default()
    });
    let slots = terminus_server::workflows::slots();
    let held = slots
        .acquire_many(slots.available_permits() as u32)
        .await
        .unwrap();
    let line = json!({"type": "LineString", "coordinates": [[45.0, 41.0], [45.1, 41.1]]});
    let body = json!({"lines": [{"name": "a", "geojson": line}, {"name": "b", "geojson": line}]});
    let (s, text) = f
        .call(
            Some("arm-head"),
            "POST",
            "/api/workflows/compare",
            Some(body.to_string()),
        )
        .await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{text}");
    assert!(text.contains("try again"), "{text}");
    drop(held);
    // With the slots free again, the same request is answered.
    let (s, text) = f
        .call(
            Some("arm-head"),
            "POST",
            "/api/workflows/compare",
            Some(body.to_string()),
        )
        .await;
    assert_ne!(s, StatusCode::SERVICE_UNAVAILABLE, "{text}");
}
