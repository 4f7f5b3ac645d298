//! `GET /api/tiles/{collection}/{z}/{x}/{y}.mvt`: the record's lines as
//! Mapbox Vector Tiles, so that a claim line of a million vertices pans
//! and zooms as smoothly as a short one — each tile carries at most one
//! vertex per grid unit of it (`terminus_cartography::tiles`).
//!
//! A tile holds exactly the items of the collection the caller may read
//! (`ogc::items_for`, the policy's answer: the caller's party's drafts
//! among the proposals, nothing of the negotiation for observers), each
//! with its properties (nested values as JSON text). Lines are projected
//! once and cached by the item's content, across versions of the record.

use crate::http::{caller, ApiError};
use crate::ogc::items_for;
use crate::state::{Item, Service};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::sync::Arc;
use terminus_cartography::tiles::{encode_tile, TileFeature, TileLine, TileValue};

/// The collections served as tiles (the lines; pillars are few).
pub const TILED: [&str; 3] = ["sections", "proposals", "agreed_line"];

/// The deepest zoom tiled.
pub const MAX_ZOOM: u32 = 24;

fn parts(geometry: &Value) -> (Vec<Vec<(f64, f64)>>, bool) {
    let pos = |p: &Value| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?));
    let line = |l: &Value| -> Vec<(f64, f64)> {
        l.as_array()
            .map(|a| a.iter().filter_map(pos).collect())
            .unwrap_or_default()
    };
    let c = &geometry["coordinates"];
    match geometry["type"].as_str() {
        Some("LineString") => (vec![line(c)], false),
        Some("MultiLineString") => (
            c.as_array()
                .map(|a| a.iter().map(line).collect())
                .unwrap_or_default(),
            false,
        ),
        Some("Point") => (pos(c).map(|p| vec![vec![p]]).unwrap_or_default(), true),
        Some("MultiPoint") => (line(c).into_iter().map(|p| vec![p]).collect(), true),
        _ => (Vec::new(), false),
    }
}

/// An item as tiles draw it: its line projected once, its properties.
pub struct Tiled {
    /// The line (or points), projected and indexed.
    pub line: TileLine,
    /// Its properties, flat.
    pub properties: Vec<(String, TileValue)>,
    /// Points rather than a line.
    pub points: bool,
}

impl Tiled {
    fn of(item: &Item) -> Tiled {
        let v: Value = serde_json::from_str(&item.json).unwrap_or(Value::Null);
        let (p, points) = parts(&v["geometry"]);
        // The item's id goes with it, so that the page can ask for its
        // exact geometry (`/collections/{c}/items/{id}`).
        let mut properties = properties(&v["properties"]);
        properties.push(("_id".into(), TileValue::Text(item.id.clone())));
        Tiled {
            line: TileLine::new(&p),
            properties,
            points,
        }
    }
}

fn properties(v: &Value) -> Vec<(String, TileValue)> {
    let Some(map) = v.as_object() else {
        return Vec::new();
    };
    map.iter()
        .filter_map(|(k, v)| {
            let t = match v {
                Value::Null => return None,
                Value::Bool(b) => TileValue::Bool(*b),
                Value::Number(n) => match n.as_i64() {
                    Some(i) => TileValue::Int(i),
                    None => TileValue::Number(n.as_f64()?),
                },
                Value::String(s) => TileValue::Text(s.clone()),
                other => TileValue::Text(other.to_string()),
            };
            Some((k.clone(), t))
        })
        .collect()
}

/// `GET /api/tiles/{collection}/{z}/{x}/{y}.mvt` (members only).
pub async fn tile(
    State(s): State<Arc<Service>>,
    headers: HeaderMap,
    Path((collection, z, x, y)): Path<(String, String, String, String)>,
) -> Result<Response, ApiError> {
    let c = caller(&s, &headers)?;
    if !TILED.contains(&collection.as_str()) {
        return Err(ApiError::not_found(format!(
            "no tiles of \"{collection}\": the lines of {} are tiled",
            TILED.join(", ")
        )));
    }
    let number = |what: &str, t: &str| {
        t.parse::<u32>().map_err(|_| {
            ApiError::bad(format!(
                "{what} = {t:?}: tiles are /api/tiles/COLLECTION/z/x/y.mvt with whole numbers"
            ))
        })
    };
    let y = y.strip_suffix(".mvt").ok_or_else(|| {
        ApiError::not_found(format!(
            "vector tiles end in .mvt: /api/tiles/{collection}/{z}/{x}/{y}.mvt"
        ))
    })?;
    let (z, x, y) = (number("z", &z)?, number("x", &x)?, number("y", y)?);
    if z > MAX_ZOOM || x >= 1u32 << z || y >= 1u32 << z {
        return Err(ApiError::bad(format!(
            "tile {z}/{x}/{y} does not exist: zoom 0 to {MAX_ZOOM}, x and y from 0 to 2^zoom − 1"
        )));
    }
    let cols = s.collections();
    // Asked here, so that a caller who may not read the collection is
    // refused before any work.
    items_for(c.as_ref(), &collection, &cols)?;
    let bytes = tokio::task::spawn_blocking(move || {
        let items: Vec<&Item> = items_for(c.as_ref(), &collection, &cols).unwrap_or_default();
        let tiled: Vec<Arc<Tiled>> = items
            .iter()
            .map(|item| {
                let key = item.content;
                if let Some(t) = crate::state::held(&cols.tile_lines).get(&key) {
                    return t.clone();
                }
                let t = Arc::new(Tiled::of(item));
                crate::state::held(&cols.tile_lines).insert(key, t.clone());
                t
            })
            .collect();
        let features: Vec<TileFeature> = tiled
            .iter()
            .enumerate()
            .map(|(i, t)| TileFeature {
                id: i as u64 + 1,
                properties: t.properties.clone(),
                line: &t.line,
                points: t.points,
            })
            .collect();
        encode_tile(&[(collection.as_str(), features)], z, x, y)
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.mapbox-vector-tile"),
            (header::CACHE_CONTROL, "private, no-cache"),
        ],
        bytes,
    )
        .into_response())
}
