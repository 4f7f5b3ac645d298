//! The commission's DEMs over HTTP (`terminus serve --dem FILE`): what
//! they are, the relief the web map draws, and line-of-sight profiles —
//! the application layer's (`terminus_app::terrain::relief`), not copies.
//!
//! - `GET /api/dems`: each DEM's name, file and SHA-256, CRS, extent on
//!   WGS 84, size and interior voids.
//! - `GET /api/relief/{dem}/{z}/{x}/{y}.png`: a hillshade tile (XYZ,
//!   web-Mercator, 256 px; transparent off the DEM and over voids).
//! - `GET /api/terrain/{dem}/{z}/{x}/{y}.mvt`: the base map's contours
//!   (at the interval the zoom calls for) and streams (Strahler order),
//!   as vector tiles.
//! - `GET /api/basemap`, `/api/basemap/places`,
//!   `/api/basemap/countries/{z}/{x}/{y}.mvt`: the base map's countries
//!   (outlines, vector tiles) and places (GeoJSON), names by language,
//!   with where they came from (`terminus_app::basemap`).
//! - `GET /api/profile?from=LAT,LON&to=LAT,LON[&height_from=&height_to=]
//!   [&dem=NAME]`: the line of sight and its profile, as `terminus los`
//!   and the pillar plan compute it (pillar heights 1.5 m by default);
//!   refused across a void or off the DEM, with the reason.
//!
//! Members only (what the commission's DEMs show is the commission's);
//! tiles and profiles are computed on the blocking pool, a profile
//! holding a workflow slot like any workflow.

use crate::http::{caller, ApiError};
use crate::policy::{allow, Action};
use crate::state::Service;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;
use terminus_app::terrain::relief::{self, ServedDem};

fn dem_json(d: &ServedDem) -> Value {
    json!({
        "name": d.name,
        "file": d.file.path.rsplit(['/', '\\']).next().unwrap_or(&d.file.path),
        "sha256": d.file.sha256,
        "bytes": d.file.bytes,
        "crs": d.crs,
        "bounds": d.bounds,
        "size": d.size,
        "interior_voids": d.interior_voids,
        "void_cells": d.void_cells,
        "tiles": format!("/api/relief/{}/{{z}}/{{x}}/{{y}}.png", d.name),
        "terrain_tiles": format!("/api/terrain/{}/{{z}}/{{x}}/{{y}}.mvt", d.name),
        // Below this zoom a terrain tile's window holds more than
        // `CONTOUR_MAX_CELLS` cells: streams only, no contours (said, not
        // left for the eye to miss).
        "contours_from_zoom": relief::contours_from_zoom(d.size, d.bounds),
        "contour_max_cells": relief::CONTOUR_MAX_CELLS,
        "drainage_min_area_km2": relief::DRAINAGE_MIN_AREA_KM2,
        // The streams' figures and what was done with voids, once traced
        // (at the first terrain tile); null before.
        "drainage": relief::drainage_facts(d),
    })
}

/// `GET /api/dems`.
pub async fn dems(
    State(s): State<Arc<Service>>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let c = caller(&s, &headers)?;
    allow(c.as_ref(), Action::ReadAgreed)?;
    Ok(Json(
        json!({"dems": s.dems.iter().map(dem_json).collect::<Vec<_>>()}),
    ))
}

pub(crate) fn find<'a>(s: &'a Service, name: Option<&str>) -> Result<&'a ServedDem, ApiError> {
    let names = || {
        s.dems
            .iter()
            .map(|d| d.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match name {
        Some(n) => s.dems.iter().find(|d| d.name == n).ok_or_else(|| {
            ApiError::not_found(format!(
                "no DEM \"{n}\" is served; there are: {}",
                if s.dems.is_empty() {
                    "none".into()
                } else {
                    names()
                }
            ))
        }),
        None => s.dems.first().ok_or_else(|| {
            ApiError::not_found(
                "this service has no DEM: start it with `terminus serve --dem FILE`",
            )
        }),
    }
}

/// A tile's z, x, y from the path under `base` (e.g. `/api/relief/NAME`),
/// its last part ending in `.{ext}`.
fn tile_path(
    base: &str,
    ext: &str,
    z: &str,
    x: &str,
    y: &str,
) -> Result<(u32, u32, u32), ApiError> {
    let number = |what: &str, t: &str| {
        t.parse::<u32>().map_err(|_| {
            ApiError::bad(format!(
                "{what} = {t:?}: tiles are {base}/z/x/y.{ext} with whole numbers"
            ))
        })
    };
    let last = y.strip_suffix(&format!(".{ext}")).ok_or_else(|| {
        ApiError::not_found(format!("these tiles are .{ext}: {base}/{z}/{x}/{y}.{ext}"))
    })?;
    let (z, x, y) = (number("z", z)?, number("x", x)?, number("y", last)?);
    if z > relief::MAX_ZOOM || x >= 1u32 << z || y >= 1u32 << z {
        return Err(ApiError::bad(format!(
            "tile {z}/{x}/{y} does not exist: zoom 0 to {}, x and y from 0 to 2^zoom − 1",
            relief::MAX_ZOOM
        )));
    }
    Ok((z, x, y))
}

/// A tile made on the blocking pool by `make`, answered as `content_type`
/// (cached by the browser for an hour: a DEM's tiles do not change while
/// it is served).
async fn tile_answer(
    content_type: &'static str,
    make: impl FnOnce() -> Result<Vec<u8>, ApiError> + Send + 'static,
) -> Result<Response, ApiError> {
    let bytes = tokio::task::spawn_blocking(make)
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))??;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "private, max-age=3600"),
        ],
        bytes,
    )
        .into_response())
}

/// `GET /api/relief/{dem}/{z}/{x}/{y}.png`.
pub async fn relief_tile(
    State(s): State<Arc<Service>>,
    headers: HeaderMap,
    Path(path): Path<(String, String, String, String)>,
) -> Result<Response, ApiError> {
    let c = caller(&s, &headers)?;
    allow(c.as_ref(), Action::ReadAgreed)?;
    let (z, x, y) = tile_path(
        &format!("/api/relief/{}", path.0),
        "png",
        &path.1,
        &path.2,
        &path.3,
    )?;
    let d = find(&s, Some(&path.0))?.clone();
    tile_answer("image/png", move || {
        relief::relief_tile(&d, z, x, y).map_err(|f| ApiError::bad(f.message))
    })
    .await
}

/// `GET /api/terrain/{dem}/{z}/{x}/{y}.mvt`: contours and streams.
pub async fn terrain_tile(
    State(s): State<Arc<Service>>,
    headers: HeaderMap,
    Path(path): Path<(String, String, String, String)>,
) -> Result<Response, ApiError> {
    let c = caller(&s, &headers)?;
    allow(c.as_ref(), Action::ReadAgreed)?;
    let (z, x, y) = tile_path(
        &format!("/api/terrain/{}", path.0),
        "mvt",
        &path.1,
        &path.2,
        &path.3,
    )?;
    let d = find(&s, Some(&path.0))?.clone();
    tile_answer("application/vnd.mapbox-vector-tile", move || {
        relief::terrain_tile(&d, z, x, y).map_err(|f| ApiError::bad(f.message))
    })
    .await
}

fn latlon(q: &HashMap<String, String>, key: &str) -> Result<(f64, f64), ApiError> {
    let t = q
        .get(key)
        .ok_or_else(|| ApiError::bad(format!("give {key}=LAT,LON (degrees, WGS 84)")))?;
    let bad = || ApiError::bad(format!("{key}={t}: give LAT,LON in degrees on WGS 84"));
    let (a, b) = t.split_once(',').ok_or_else(bad)?;
    let (lat, lon): (f64, f64) = (
        a.trim().parse().map_err(|_| bad())?,
        b.trim().parse().map_err(|_| bad())?,
    );
    if !(lat.is_finite() && lon.is_finite() && lat.abs() <= 90.0 && lon.abs() <= 180.0) {
        return Err(bad());
    }
    Ok((lat, lon))
}

fn height(q: &HashMap<String, String>, key: &str) -> Result<f64, ApiError> {
    match q.get(key) {
        None => Ok(1.5),
        Some(t) => t
            .parse::<f64>()
            .ok()
            .filter(|h| h.is_finite() && (0.0..=1000.0).contains(h))
            .ok_or_else(|| ApiError::bad(format!("{key}={t}: a height above ground, 0 to 1000 m"))),
    }
}

/// `GET /api/profile`.
pub async fn profile(
    State(s): State<Arc<Service>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let c = caller(&s, &headers)?;
    allow(c.as_ref(), Action::RunWorkflow)?;
    let from = latlon(&q, "from")?;
    let to = latlon(&q, "to")?;
    let heights = (height(&q, "height_from")?, height(&q, "height_to")?);
    let d = find(&s, q.get("dem").map(String::as_str))?.clone();
    let Ok(_slot) = crate::workflows::slots().try_acquire() else {
        return Ok(crate::workflows::busy());
    };
    let (name, sha256) = (d.name.clone(), d.file.sha256.clone());
    let (sight, settings) =
        tokio::task::spawn_blocking(move || relief::profile(&d, from, to, heights))
            .await
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
            .map_err(|f| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, f.message))?;
    let summary = terminus_app::sight::summary(&sight, &settings);
    // The profile as [distance, ground, sight line] rows, at most 2,000
    // (every sample when fewer; else evenly picked, the ends and the
    // lowest clearance kept).
    let n = sight.profile.len();
    let stride = n.div_ceil(2000).max(1);
    let worst = sight
        .profile
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.clearance_m.total_cmp(&b.1.clearance_m))
        .map(|(i, _)| i);
    let rows: Vec<[f64; 3]> = sight
        .profile
        .iter()
        .enumerate()
        .filter(|(i, _)| i % stride == 0 || *i + 1 == n || Some(*i) == worst)
        .map(|(_, p)| [p.distance_m, p.ground_m, p.sight_m])
        .collect();
    Ok(Json(json!({
        "dem": name,
        "dem_sha256": sha256,
        "from": [from.0, from.1],
        "to": [to.0, to.1],
        "summary": summary,
        "profile": rows,
        "heights_m": [heights.0, heights.1],
    }))
    .into_response())
}

/// `GET /api/basemap`: where the base map's countries and places come
/// from (files, SHA-256, features, the input road's notes).
pub async fn basemap(
    State(s): State<Arc<Service>>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let c = caller(&s, &headers)?;
    allow(c.as_ref(), Action::ReadAgreed)?;
    Ok(Json(json!({
        "sources": s.basemap.sources,
        "countries_tiles": "/api/basemap/countries/{z}/{x}/{y}.mvt",
        "places": "/api/basemap/places",
    })))
}

/// `GET /api/basemap/places`: the places, GeoJSON with names by language.
pub async fn basemap_places(
    State(s): State<Arc<Service>>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let c = caller(&s, &headers)?;
    allow(c.as_ref(), Action::ReadAgreed)?;
    Ok(Json(s.basemap.places()))
}

/// `GET /api/basemap/countries/{z}/{x}/{y}.mvt`: country outlines.
pub async fn basemap_countries(
    State(s): State<Arc<Service>>,
    headers: HeaderMap,
    Path((z, x, y)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    let c = caller(&s, &headers)?;
    allow(c.as_ref(), Action::ReadAgreed)?;
    let (z, x, y) = tile_path("/api/basemap/countries", "mvt", &z, &x, &y)?;
    let b = s.basemap.clone();
    tile_answer("application/vnd.mapbox-vector-tile", move || {
        Ok(b.countries_tile(z, x, y))
    })
    .await
}
