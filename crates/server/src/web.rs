//! The commission's workspace: a single-page web app served from the
//! binary itself (issue 19).
//!
//! Every file the page loads is embedded at build time (`web/`): the
//! page's own modules and MapLibre GL JS, vendored from the npm registry
//! by `tools/web/vendor.sh` with their hashes in
//! `web/vendor/maplibre-gl/SHA256SUMS` (checked by the tests), so
//! `cargo build` never needs npm and the page needs no network beyond the
//! service: no tile server, CDN or web font. The page is served with a
//! Content-Security-Policy that lets it reach its own origin only, so a
//! request leaving the service is refused by the browser itself.
//!
//! `GET /` answers the page to a browser (`Accept: text/html`, or
//! `f=html`) and the OGC API landing document to everyone else, so QGIS,
//! GDAL and scripts see the service as before.

use crate::state::Service;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::Arc;

/// One embedded file: its path under `/web/`, media type and bytes.
pub struct Asset {
    /// Path under `/web/`.
    pub path: &'static str,
    /// Its media type.
    pub media_type: &'static str,
    /// Its bytes.
    pub bytes: &'static [u8],
}

macro_rules! asset {
    ($path:literal, $media:expr) => {
        Asset {
            path: $path,
            media_type: $media,
            bytes: include_bytes!(concat!("../web/", $path)),
        }
    };
}

const JS: &str = "text/javascript; charset=utf-8";

/// Everything the page loads.
pub const ASSETS: [Asset; 19] = [
    asset!("index.html", "text/html; charset=utf-8"),
    asset!("app.css", "text/css; charset=utf-8"),
    asset!("app.js", JS),
    asset!("i18n.js", JS),
    asset!("sign-in.js", JS),
    asset!("map.js", JS),
    asset!("api.js", JS),
    asset!("dom.js", JS),
    asset!("compare.js", JS),
    asset!("drafts.js", JS),
    asset!("profile.js", JS),
    asset!("compromise.js", JS),
    asset!("verify.js", JS),
    asset!("agreements.js", JS),
    asset!("vendor/maplibre-gl/maplibre-gl.mjs", JS),
    asset!("vendor/maplibre-gl/maplibre-gl-shared.mjs", JS),
    asset!("vendor/maplibre-gl/maplibre-gl-worker.mjs", JS),
    asset!(
        "vendor/maplibre-gl/maplibre-gl.css",
        "text/css; charset=utf-8"
    ),
    asset!(
        "vendor/maplibre-gl/LICENSE.txt",
        "text/plain; charset=utf-8"
    ),
];

/// The page's own origin only; MapLibre's workers start from `blob:`
/// URLs and its canvases read `data:`/`blob:` images; inline styles are
/// what MapLibre sets on its controls.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; connect-src 'self'; \
     script-src 'self'; worker-src 'self' blob:; child-src 'self' blob:; \
     img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; font-src 'self'; \
     object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

fn answer(a: &Asset) -> Response {
    let mut r = a.bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(a.media_type));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    // The page and its modules change with the binary: revalidate.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

/// Whether the client asks for the page rather than the landing document.
fn wants_page(headers: &HeaderMap, q: &HashMap<String, String>) -> bool {
    match q.get("f").map(String::as_str) {
        Some("html") => true,
        Some(_) => false,
        None => headers
            .get(header::ACCEPT)
            .and_then(|a| a.to_str().ok())
            .is_some_and(|a| a.contains("text/html")),
    }
}

/// `GET /`: the page to a browser, the OGC API landing to the rest.
pub async fn root(
    state: State<Arc<Service>>,
    headers: HeaderMap,
    q: Query<HashMap<String, String>>,
) -> Response {
    if wants_page(&headers, &q.0) {
        return answer(&ASSETS[0]);
    }
    crate::ogc::landing(state, headers, q).await.into_response()
}

/// `GET /web/{*file}`: an embedded file.
pub async fn file(Path(path): Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.path == path) {
        Some(a) => answer(a),
        None => crate::http::ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no such file of the web workspace: /web/{path}"),
        )
        .into_response(),
    }
}
