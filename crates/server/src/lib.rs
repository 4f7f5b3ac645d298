//! The commission's service: its signed record over HTTP.
//!
//! - [`policy`]: who may do what — the one place it is decided.
//! - [`http`]: tokens, the rate limit, errors as JSON with a reason.
//! - [`ogc`]: OGC API – Features – Part 1: Core (sections, proposals
//!   visible to the caller, the agreed line, pillars).
//! - [`api`]: the JSON API (the log, tree heads, proofs, appends,
//!   drafts), described by `openapi.json` (served at `/openapi.json`).
//! - [`state`]: the store, the record as last written, and the derived
//!   collections.
//! - [`stream`]: Server-Sent Events telling an open page that what its
//!   caller may see has changed.
//! - [`terrain`]: the commission's DEMs — relief tiles for the web map,
//!   line-of-sight profiles (`terminus serve --dem`).
//! - [`tiles`]: the record's lines as vector tiles for the web map.
//! - [`web`]: the commission's workspace, a single-page web app embedded
//!   in the binary, served at `/` to browsers.
//! - [`workflows`]: the application layer's workflows (compare, median,
//!   validate, sheets)
//!   on lines sent or held by the record, answered with their summaries,
//!   layers and provenance.
//!
//! Members authenticate with tokens they make offline with their own key
//! ([`terminus_ledger::token`]); the service never holds a secret. Writes
//! are events the members signed on their side; the service checks each
//! (signature, chain, the record's rules) before keeping it, and keeps it
//! durably before it answers 201.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use terminus_ledger::store::SqliteStore;
//! use terminus_server::{Config, Service};
//! let store = SqliteStore::open(std::path::Path::new("am-az.sqlite"), "AM-AZ")?;
//! let service = Service::new(Box::new(store), Config::default())?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! terminus_server::serve(service, listener).await?;
//! # Ok(()) }
//! ```

pub mod api;
pub mod connections;
pub mod http;
pub mod ogc;
pub mod policy;
pub mod state;
pub mod stream;
pub mod terrain;
pub mod tiles;
pub mod web;
pub mod workflows;

pub use state::{Config, Service};
pub use terminus_ledger::record::rfc3339;

use axum::extract::DefaultBodyLimit;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use std::sync::Arc;

/// The OpenAPI 3.0 document of the service.
pub const OPENAPI: &str = include_str!("openapi.json");

async fn openapi() -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "application/vnd.oai.openapi+json;version=3.0",
        )],
        OPENAPI,
    )
}

async fn fallback(uri: axum::http::Uri) -> http::ApiError {
    http::ApiError::not_found(format!(
        "no such resource: {}; see /openapi.json",
        uri.path()
    ))
}

fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    http::ApiError::new(
        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        "the service failed on this request (a fault in Terminus: please report it)",
    )
    .into_response()
}

/// The service's routes, limits and rate limit over `service`.
pub fn router(service: Arc<Service>) -> Router {
    let max_body = service.config.max_body;
    Router::new()
        .route("/", get(web::root))
        .route("/web/{*file}", get(web::file))
        .route("/conformance", get(ogc::conformance))
        .route("/openapi.json", get(openapi))
        .route("/collections", get(ogc::collections))
        .route("/collections/{name}", get(ogc::collection))
        .route("/collections/{name}/items", get(ogc::items))
        .route("/collections/{name}/items/{id}", get(ogc::item))
        .route("/api/commission", get(api::commission))
        .route("/api/events", get(api::events).post(api::append))
        .route("/api/events/{seq}", get(api::event))
        .route("/api/tree-head", get(api::tree_head))
        .route("/api/tree-heads", axum::routing::post(api::add_head))
        .route("/api/proofs/inclusion", get(api::inclusion))
        .route("/api/proofs/consistency", get(api::consistency))
        .route("/api/sections", get(api::sections))
        .route("/api/stream", get(stream::stream))
        .route("/api/dems", get(terrain::dems))
        .route("/api/relief/{dem}/{z}/{x}/{y}", get(terrain::relief_tile))
        .route("/api/terrain/{dem}/{z}/{x}/{y}", get(terrain::terrain_tile))
        .route("/api/basemap", get(terrain::basemap))
        .route("/api/basemap/places", get(terrain::basemap_places))
        .route(
            "/api/basemap/countries/{z}/{x}/{y}",
            get(terrain::basemap_countries),
        )
        .route("/api/profile", get(terrain::profile))
        .route("/api/tiles/{collection}/{z}/{x}/{y}", get(tiles::tile))
        .route("/api/drafts", get(api::drafts).post(api::add_draft))
        .route("/api/drafts/{id}", get(api::draft))
        .route(
            "/api/bundles/verify",
            axum::routing::post(api::verify_bundle),
        )
        .route(
            "/api/workflows/compare",
            axum::routing::post(workflows::compare),
        )
        .route(
            "/api/workflows/median",
            axum::routing::post(workflows::median),
        )
        .route(
            "/api/workflows/validate",
            axum::routing::post(workflows::validate),
        )
        .route(
            "/api/workflows/sheets",
            axum::routing::post(workflows::sheets),
        )
        .route(
            "/api/workflows/water-parting",
            axum::routing::post(workflows::water_parting),
        )
        .fallback(fallback)
        // Defence in depth: a handler that panics answers 500 with a
        // reason and the service goes on (no handler is meant to panic).
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panicked))
        .layer(axum::middleware::from_fn_with_state(
            service.clone(),
            http::rate_limit,
        ))
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(service)
}

/// Serve `service` on `listener` until Ctrl-C or SIGTERM.
///
/// Connections are HTTP/1.1 with limits against clients that hold them
/// (slowloris): a request's headers must arrive within
/// `header_timeout_s` (an idle keep-alive connection is closed after as
/// long), at most 32 KiB of them; its body be read and answered within
/// `request_timeout_s`; at most `max_connections_per_address` connections
/// from one address and `max_connections` in all — a connection over
/// either is closed at once.
pub async fn serve(
    service: impl Into<Arc<Service>>,
    listener: tokio::net::TcpListener,
) -> std::io::Result<()> {
    use std::time::Duration;
    let service: Arc<Service> = service.into();
    // Services sharing a store see each other's writes within a second,
    // open pages included (and writes to an SQLite file by other
    // processes): a look every quarter second costs one count query when
    // nothing changed.
    let watcher = service.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_millis(250));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let s = watcher.clone();
            let _ = tokio::task::spawn_blocking(move || {
                let mut store = s.lock_store();
                if let Err(e) = s.refresh(&mut **store) {
                    eprintln!("terminus serve: the shared store: {e}");
                }
            })
            .await;
        }
    });
    let config = service.config.clone();
    let app = router(service).layer(tower_http::timeout::TimeoutLayer::with_status_code(
        axum::http::StatusCode::REQUEST_TIMEOUT,
        Duration::from_secs(config.request_timeout_s),
    ));
    let connections = Arc::new(connections::Connections::new(
        config.max_connections_per_address,
        config.max_connections,
    ));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut stop = std::pin::pin!(shutdown());
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of descriptors, say: wait, do not spin.
                    eprintln!("terminus serve: accept: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut stop => break,
        };
        let Some(slot) = connections.take(peer.ip()) else {
            drop(stream);
            continue;
        };
        let svc = hyper_util::service::TowerToHyperService::new(
            app.clone()
                .layer(axum::Extension(axum::extract::ConnectInfo(peer))),
        );
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(hyper_util::rt::TokioTimer::new())
            .header_read_timeout(Duration::from_secs(config.header_timeout_s))
            .max_buf_size(32 * 1024)
            .serve_connection(hyper_util::rt::TokioIo::new(stream), svc);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
            drop(slot);
        });
    }
    // Requests in flight finish (appends are durable before they answer);
    // connections still open after 10 s are dropped.
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(Duration::from_secs(10)) => {}
    }
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
