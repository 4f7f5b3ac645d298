//! The record's lines as vector tiles hold what the caller may read and
//! nothing else: the party's own drafts among the proposals, none of the
//! other party's; observers get no proposal tiles at all; anonymous
//! callers nothing. (MapLibre decodes and draws them in tests/browser.rs.)

mod common;

use axum::body::Body;
use common::fixture;
use http_body_util::BodyExt;
use terminus_server::Config;
use tower::ServiceExt;

async fn tile(f: &common::Fixture, member: Option<&str>, uri: &str) -> (u16, Vec<u8>, String) {
    let mut req = axum::http::Request::builder()
        .uri(uri)
        .header("host", "test.invalid");
    if let Some(m) = member {
        req = req.header("authorization", format!("Bearer {}", f.token(m)));
    }
    let res = f
        .app
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status().as_u16();
    let ct = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (
        status,
        res.into_body().collect().await.unwrap().to_bytes().to_vec(),
        ct,
    )
}

fn has(bytes: &[u8], text: &str) -> bool {
    bytes.windows(text.len()).any(|w| w == text.as_bytes())
}

#[tokio::test]
async fn tiles_hold_what_the_caller_may_read() {
    let f = fixture(Config::default());
    // Tile 5/20/11 holds the fixture's North lines (proposals, drafts),
    // 5/20/12 its South section, each some 40 units long (at zoom 0 they
    // would be under half a pixel and left out).
    let at = |lon: f64, lat: f64| {
        let p = terminus_cartography::tiles::mercator(lon, lat);
        ((p[0] * 32.0) as u32, (p[1] * 32.0) as u32)
    };
    assert_eq!((at(45.0, 41.0), at(46.0, 39.0)), ((20, 11), (20, 12)));
    let (s, arm, ct) = tile(&f, Some("arm-expert"), "/api/tiles/proposals/5/20/11.mvt").await;
    assert_eq!(s, 200);
    assert_eq!(ct, "application/vnd.mapbox-vector-tile");
    assert!(has(&arm, "proposals"));
    assert!(has(&arm, "secret-ARM-draft"), "ARM's own draft");
    assert!(!has(&arm, "secret-AZE-draft"), "AZE's draft in ARM's tile");
    assert!(has(&arm, "Natural Earth 5.1.1"), "the shared proposal");
    let (_, aze, _) = tile(&f, Some("aze-head"), "/api/tiles/proposals/5/20/11.mvt").await;
    assert!(has(&aze, "secret-AZE-draft") && !has(&aze, "secret-ARM-draft"));
    // Observers: no proposals; sections only agreed.
    let (s, _, _) = tile(&f, Some("arm-observer"), "/api/tiles/proposals/5/20/11.mvt").await;
    assert_eq!(s, 403);
    let (s, sec, _) = tile(&f, Some("arm-observer"), "/api/tiles/sections/5/20/12.mvt").await;
    assert_eq!(s, 200);
    assert!(has(&sec, "South"), "observers see agreed sections");
    let (_, north, _) = tile(&f, Some("arm-observer"), "/api/tiles/sections/5/20/11.mvt").await;
    assert!(
        north.is_empty(),
        "observers see no section under negotiation"
    );
    let (_, north, _) = tile(&f, Some("arm-head"), "/api/tiles/sections/5/20/11.mvt").await;
    assert!(has(&north, "North"));
    // A tile away from every line: an empty tile, not an error.
    let (s, empty, _) = tile(&f, Some("arm-head"), "/api/tiles/sections/4/0/0.mvt").await;
    assert_eq!(s, 200);
    assert!(empty.is_empty());
    // Anonymous: nothing; bad tiles: refused with the reason.
    assert_eq!(
        tile(&f, None, "/api/tiles/sections/5/20/12.mvt").await.0,
        401
    );
    for (uri, status) in [
        ("/api/tiles/pillars/5/20/12.mvt", 404),
        ("/api/tiles/sections/0/0/0.png", 404),
        ("/api/tiles/sections/1/2/0.mvt", 400),
        ("/api/tiles/sections/25/0/0.mvt", 400),
        ("/api/tiles/sections/a/0/0.mvt", 400),
    ] {
        let (s, b, _) = tile(&f, Some("arm-head"), uri).await;
        assert_eq!(s, status, "{uri}: {}", String::from_utf8_lossy(&b));
        assert!(String::from_utf8_lossy(&b).contains("reason"), "{uri}");
    }
}
