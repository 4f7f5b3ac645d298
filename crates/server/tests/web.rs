//! The web workspace as the service serves it (issue 19): the page to
//! browsers and the landing document to everyone else at `/`; every file
//! the page loads embedded, with the policy that keeps it on the service;
//! the vendored MapLibre files byte for byte what SHA256SUMS records; and
//! `you.may` — what the page shows controls for — the policy's own answer.

mod common;

use common::{fixture, party_of, MEMBERS};
use serde_json::Value;
use sha2::{Digest, Sha256};
use terminus_server::web::{ASSETS, CONTENT_SECURITY_POLICY};
use terminus_server::Config;

#[test]
fn the_vendored_files_are_the_ones_their_hash_list_names() {
    let sums = include_str!("../web/vendor/maplibre-gl/SHA256SUMS");
    let mut checked = 0;
    for line in sums.lines() {
        let (hash, name) = line.split_once("  ").unwrap();
        let path = format!("vendor/maplibre-gl/{name}");
        let a = ASSETS
            .iter()
            .find(|a| a.path == path)
            .unwrap_or_else(|| panic!("{path} is in SHA256SUMS but not embedded"));
        assert_eq!(hex::encode(Sha256::digest(a.bytes)), hash, "{path}");
        checked += 1;
    }
    // Every vendored file embedded is in the list.
    let vendored = ASSETS
        .iter()
        .filter(|a| a.path.starts_with("vendor/"))
        .count();
    assert_eq!(checked, vendored);
    assert_eq!(checked, 5);
}

/// Every module and stylesheet the page names is embedded (a file added
/// to `web/` but not to `ASSETS` would be a 404 in the browser).
#[test]
fn every_file_the_page_names_is_embedded() {
    let names = |text: &str| -> Vec<String> {
        let mut out = Vec::new();
        for quote in ['"', '`'] {
            for part in text.split(quote).skip(1).step_by(2) {
                if part.starts_with("./") || part.starts_with("/web/") {
                    out.push(part.to_string());
                }
            }
        }
        out
    };
    let mut seen = 0;
    for a in ASSETS.iter().filter(|a| {
        !a.path.starts_with("vendor/") && a.path.ends_with(".js") || a.path == "index.html"
    }) {
        let text = std::str::from_utf8(a.bytes).unwrap();
        for name in names(text) {
            let path = name
                .trim_start_matches("/web/")
                .trim_start_matches("./")
                .to_string();
            assert!(
                ASSETS.iter().any(|x| x.path == path),
                "{} names {name}, which is not embedded",
                a.path
            );
            seen += 1;
        }
    }
    // index.html: 3, app.js: 3, map.js: 1.
    assert!(seen >= 7, "{seen}");
}

async fn get(app: &axum::Router, uri: &str, accept: &str) -> (u16, Vec<(String, String)>, String) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let req = axum::http::Request::builder()
        .uri(uri)
        .header("host", "test.invalid")
        .header("accept", accept)
        .body(axum::body::Body::empty())
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status().as_u16();
    let headers = res
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

fn header<'a>(h: &'a [(String, String)], name: &str) -> Option<&'a str> {
    h.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn browsers_get_the_page_and_clients_the_landing_document() {
    let f = fixture(Config::default());
    let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    let (s, h, body) = get(&f.app, "/", browser).await;
    assert_eq!(s, 200);
    assert!(body.starts_with("<!doctype html>"), "{body}");
    assert_eq!(header(&h, "content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(
        header(&h, "content-security-policy"),
        Some(CONTENT_SECURITY_POLICY)
    );
    assert!(CONTENT_SECURITY_POLICY.starts_with("default-src 'self';"));
    assert!(CONTENT_SECURITY_POLICY.contains("connect-src 'self';"));
    // f=html asks for the page whatever the Accept header says.
    let (s, _, body) = get(&f.app, "/?f=html", "application/json").await;
    assert_eq!(s, 200);
    assert!(body.starts_with("<!doctype html>"));
    // QGIS, GDAL, curl: the landing document, now naming the commission.
    for accept in ["application/json", "*/*", ""] {
        let (s, h, body) = get(&f.app, "/", accept).await;
        assert_eq!(s, 200, "{accept}");
        assert_eq!(header(&h, "content-type"), Some("application/json"));
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["commission"], "AM-AZ");
    }
    let (s, _, _) = get(&f.app, "/?f=json", browser).await;
    assert_eq!(s, 200);
    // The page's files, with their media types.
    for (path, media) in [
        ("/web/app.js", "text/javascript; charset=utf-8"),
        ("/web/app.css", "text/css; charset=utf-8"),
        (
            "/web/vendor/maplibre-gl/maplibre-gl.mjs",
            "text/javascript; charset=utf-8",
        ),
        (
            "/web/vendor/maplibre-gl/LICENSE.txt",
            "text/plain; charset=utf-8",
        ),
    ] {
        let (s, h, body) = get(&f.app, path, "*/*").await;
        assert_eq!(s, 200, "{path}");
        assert_eq!(header(&h, "content-type"), Some(media), "{path}");
        assert_eq!(header(&h, "x-content-type-options"), Some("nosniff"));
        assert!(!body.is_empty());
    }
    // Nothing but the embedded files: no path escapes, no directory.
    for path in [
        "/web/",
        "/web/../Cargo.toml",
        "/web/%2e%2e/Cargo.toml",
        "/web/vendor/maplibre-gl/",
        "/web/nothing.js",
        "/web/app.js/",
    ] {
        let (s, _, body) = get(&f.app, path, "*/*").await;
        assert_eq!(s, 404, "{path}: {body}");
        assert!(body.contains("reason"), "{path}: {body}");
    }
}

/// What the page offers each member is what the policy allows them.
#[tokio::test]
async fn you_may_is_the_policy_answer_for_each_member() {
    use terminus_server::policy::{allow, Action, Caller};
    let f = fixture(Config::default());
    for (member, party, role) in MEMBERS {
        let (s, body) = f.call(Some(member), "GET", "/api/commission", None).await;
        assert_eq!(s.as_u16(), 200, "{member}: {body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        let you = &v["you"];
        assert_eq!(you["member"], member);
        assert_eq!(you["party"], party);
        assert_eq!(you["role"], role);
        let c = Caller {
            member: member.into(),
            party: party.into(),
            role: role.into(),
        };
        let may = |a| allow(Some(&c), a).is_ok();
        assert_eq!(
            you["may"]["read_negotiation"],
            may(Action::ReadNegotiation),
            "{member}"
        );
        assert_eq!(
            you["may"]["read_drafts"],
            may(Action::ReadDrafts {
                party: party_of(member)
            }),
            "{member}"
        );
        assert_eq!(
            you["may"]["write_draft"],
            may(Action::WriteDraft { party }),
            "{member}"
        );
        assert_eq!(
            you["may"]["append"],
            may(Action::Append { author: member }),
            "{member}"
        );
        // And the answers differ by role: observers neither read the
        // negotiation nor write; everyone else does.
        let observer = role == "observer";
        assert_eq!(you["may"]["read_negotiation"], !observer, "{member}");
        assert_eq!(you["may"]["append"], !observer, "{member}");
        // Each endpoint agrees with what `may` promised.
        let (s, _) = f.call(Some(member), "GET", "/api/events", None).await;
        assert_eq!(s.is_success(), !observer, "{member}");
        let (s, _) = f.call(Some(member), "GET", "/api/drafts", None).await;
        assert_eq!(s.is_success(), !observer, "{member}");
    }
    // Anonymous: no `you` at all (and no reading of the commission).
    let (s, _) = f.call(None, "GET", "/api/commission", None).await;
    assert_eq!(s.as_u16(), 401);
}
