//! `POST /api/bundles/verify`: a bundle verified by the service through the
//! application layer, as `terminus ledger verify` verifies it.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

async fn post(f: &common::Fixture, bytes: Vec<u8>) -> (StatusCode, Value) {
    let req = Request::builder()
        .method("POST")
        .uri("/api/bundles/verify")
        .header("host", "test.invalid")
        .header("content-type", "application/geopackage+sqlite3")
        .body(Body::from(bytes))
        .unwrap();
    let res = f.app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_bundle_is_verified_and_a_tampered_one_is_not() {
    let f = common::fixture(Default::default());
    let bundle = f.dir.path().join("am-az.gpkg");
    let (events, heads, agreed) =
        terminus_app::ledger::export_bundle(&f.path, "AM-AZ", &bundle).unwrap();
    assert_eq!((events, heads, agreed), (5, 0, 1));
    let bytes = std::fs::read(&bundle).unwrap();

    // Anyone may ask; the answer is the one `terminus ledger verify` gives.
    let (status, v) = post(&f, bytes.clone()).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["valid"], true, "{v}");
    assert_eq!(v["events"], 5);
    assert_eq!(v["this_commission"], true);
    assert!(v["agreed"]["South"]["terms_sha256"].is_string(), "{v}");
    let local = terminus_app::ledger::verification_json(
        &terminus_app::ledger::verify_file_with_witness(&bundle, None).unwrap(),
    );
    assert_eq!(v["root"], local["root"]);

    // A pillar moved in the bundle's layer: refused, naming the layer.
    let tampered = f.dir.path().join("tampered.gpkg");
    std::fs::copy(&bundle, &tampered).unwrap();
    {
        let db = rusqlite::Connection::open(&tampered).unwrap();
        // The R-tree triggers call GeoPackage SQL functions plain SQLite
        // lacks; someone editing the file drops them first.
        let triggers: Vec<String> = db
            .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for t in triggers {
            db.execute(&format!("DROP TRIGGER \"{t}\""), []).unwrap();
        }
        let n = db
            .execute("UPDATE pillars SET number = 'X' WHERE rowid = 1", [])
            .unwrap();
        assert_eq!(n, 1);
    }
    let (status, v) = post(&f, std::fs::read(&tampered).unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["valid"], false, "{v}");
    assert!(v["reason"].as_str().unwrap().contains("pillars"), "{v}");

    // Not a bundle at all, or nothing.
    let (status, v) = post(&f, bytes[..bytes.len() / 3].to_vec()).await;
    assert!(
        status == StatusCode::UNPROCESSABLE_ENTITY || v["valid"] == false,
        "{status} {v}"
    );
    let (status, _) = post(&f, Vec::new()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
