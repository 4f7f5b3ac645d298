//! OGC API – Features – Part 1: Core (OGC 17-069r4): landing page,
//! conformance, collections, items with `bbox`, `limit` and paging
//! (`offset`, `next` links), GeoJSON; CRS84 only (longitude, latitude on
//! WGS 84), as Core requires. QGIS and GDAL (`OAPIF:`) add the layers
//! directly.

use crate::http::{caller, ApiError};
use crate::policy::{allow, Action, Caller};
use crate::state::{Item, Service, COLLECTIONS};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

const CONFORMANCE: [&str; 3] = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
];

/// The largest `limit` served.
pub const MAX_LIMIT: usize = 10_000;

/// `http://host` as the client addressed the service.
pub fn base(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// Only JSON is served: `f` may ask for it or be absent.
fn check_format(q: &HashMap<String, String>) -> Result<(), ApiError> {
    match q.get("f").map(String::as_str) {
        None
        | Some("json")
        | Some("geojson")
        | Some("application/json")
        | Some("application/geo+json") => Ok(()),
        Some(other) => Err(ApiError::bad(format!(
            "f={other}: this service answers in JSON only (f=json)"
        ))),
    }
}

/// `GET /`.
pub async fn landing(
    State(s): State<Arc<Service>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    check_format(&q)?;
    allow(None, Action::ReadDescription)?;
    let b = base(&headers);
    Ok(Json(json!({
        "title": format!("Terminus — commission {}", s.commission),
        "commission": s.commission,
        "description": "The commission's signed record: sections, proposals, the agreed line and its pillars (OGC API – Features), and the record itself (JSON API).",
        "links": [
            {"href": format!("{b}/"), "rel": "self", "type": "application/json", "title": "This document"},
            {"href": format!("{b}/openapi.json"), "rel": "service-desc", "type": "application/vnd.oai.openapi+json;version=3.0", "title": "The API definition"},
            {"href": format!("{b}/conformance"), "rel": "conformance", "type": "application/json", "title": "Conformance classes"},
            {"href": format!("{b}/collections"), "rel": "data", "type": "application/json", "title": "Collections"},
        ]
    })))
}

/// `GET /conformance`.
pub async fn conformance(
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    check_format(&q)?;
    Ok(Json(json!({ "conformsTo": CONFORMANCE })))
}

/// Whether the caller reads the negotiation (not only agreed content).
pub(crate) fn negotiates(c: Option<&Caller>) -> bool {
    allow(c, Action::ReadNegotiation).is_ok()
}

/// The collections this caller may open.
pub(crate) fn visible(c: Option<&Caller>) -> Vec<(&'static str, &'static str)> {
    COLLECTIONS
        .iter()
        .copied()
        .filter(|(name, _)| *name != "proposals" || negotiates(c))
        .collect()
}

fn collection_json(b: &str, name: &str, title: &str, extent: Option<[f64; 4]>) -> Value {
    let mut v = json!({
        "id": name,
        "title": title,
        "itemType": "feature",
        "crs": ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"],
        "links": [
            {"href": format!("{b}/collections/{name}"), "rel": "self", "type": "application/json"},
            {"href": format!("{b}/collections/{name}/items"), "rel": "items", "type": "application/geo+json", "title": "Features"},
        ]
    });
    if let Some(e) = extent {
        v["extent"] = json!({"spatial": {"bbox": [e], "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}});
    }
    v
}

/// The items of `name` this caller may read, or why not.
pub(crate) fn items_for<'a>(
    c: Option<&Caller>,
    name: &str,
    cols: &'a crate::state::Collections,
) -> Result<Vec<&'a Item>, ApiError> {
    let Some(all) = cols.by_name.get(name) else {
        return Err(ApiError::not_found(format!(
            "no collection \"{name}\"; there are {}",
            COLLECTIONS.map(|c| c.0).join(", ")
        )));
    };
    allow(c, Action::ReadAgreed)?;
    let negotiation = negotiates(c);
    match name {
        "proposals" => {
            allow(c, Action::ReadNegotiation)?;
            let mut v: Vec<&Item> = all.iter().collect();
            if let Some(c) = c {
                if allow(Some(c), Action::ReadDrafts { party: &c.party }).is_ok() {
                    v.extend(cols.drafts.get(&c.party).into_iter().flatten());
                }
            }
            Ok(v)
        }
        _ => Ok(all.iter().filter(|i| negotiation || i.agreed).collect()),
    }
}

fn extent(items: &[&Item]) -> Option<[f64; 4]> {
    let mut e: Option<[f64; 4]> = None;
    for b in items.iter().filter_map(|i| i.bbox) {
        e = Some(match e {
            None => b,
            Some(e) => [
                e[0].min(b[0]),
                e[1].min(b[1]),
                e[2].max(b[2]),
                e[3].max(b[3]),
            ],
        });
    }
    e
}

/// `GET /collections`.
pub async fn collections(
    State(s): State<Arc<Service>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    check_format(&q)?;
    let c = caller(&s, &headers)?;
    allow(c.as_ref(), Action::ReadAgreed)?;
    let cols = s.collections();
    let b = base(&headers);
    let list: Vec<Value> = visible(c.as_ref())
        .into_iter()
        .map(|(name, title)| {
            let items = items_for(c.as_ref(), name, &cols).unwrap_or_default();
            collection_json(&b, name, title, extent(&items))
        })
        .collect();
    Ok(Json(json!({
        "links": [{"href": format!("{b}/collections"), "rel": "self", "type": "application/json"}],
        "collections": list,
    })))
}

/// `GET /collections/{name}`.
pub async fn collection(
    State(s): State<Arc<Service>>,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    check_format(&q)?;
    let c = caller(&s, &headers)?;
    let cols = s.collections();
    let items = items_for(c.as_ref(), &name, &cols)?;
    let title = COLLECTIONS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|c| c.1)
        .unwrap_or("");
    Ok(Json(collection_json(
        &base(&headers),
        &name,
        title,
        extent(&items),
    )))
}

/// A query's `bbox`: west, south, east, north (a 6-number box's heights
/// are ignored); west > east crosses the antimeridian.
fn parse_bbox(text: &str) -> Result<[f64; 4], ApiError> {
    let n: Result<Vec<f64>, _> = text.split(',').map(|t| t.trim().parse::<f64>()).collect();
    let n = n.map_err(|_| {
        ApiError::bad(format!(
            "bbox={text}: give four numbers, west,south,east,north (degrees)"
        ))
    })?;
    let b = match n.len() {
        4 => [n[0], n[1], n[2], n[3]],
        6 => [n[0], n[1], n[3], n[4]],
        k => {
            return Err(ApiError::bad(format!(
                "bbox={text}: {k} numbers; give four (west,south,east,north) or six"
            )))
        }
    };
    if b.iter().any(|x| !x.is_finite())
        || !(-180.0..=180.0).contains(&b[0])
        || !(-180.0..=180.0).contains(&b[2])
        || !(-90.0..=90.0).contains(&b[1])
        || !(-90.0..=90.0).contains(&b[3])
    {
        return Err(ApiError::bad(format!(
            "bbox={text}: longitudes within ±180°, latitudes within ±90° (CRS84: longitude first)"
        )));
    }
    if b[1] > b[3] {
        return Err(ApiError::bad(format!(
            "bbox={text}: south ({}) is north of north ({})",
            b[1], b[3]
        )));
    }
    Ok(b)
}

fn intersects(item: Option<[f64; 4]>, q: [f64; 4]) -> bool {
    let Some(i) = item else { return false };
    if i[1] > q[3] || i[3] < q[1] {
        return false;
    }
    let overlaps = |w: f64, e: f64| i[0] <= e && i[2] >= w;
    if q[0] <= q[2] {
        overlaps(q[0], q[2])
    } else {
        overlaps(q[0], 180.0) || overlaps(-180.0, q[2])
    }
}

fn parse_count(
    q: &HashMap<String, String>,
    key: &str,
    default: usize,
    min: usize,
    max: usize,
) -> Result<usize, ApiError> {
    match q.get(key) {
        None => Ok(default),
        Some(t) => match t.trim().parse::<usize>() {
            Ok(v) if (min..=max).contains(&v) => Ok(v),
            _ => Err(ApiError::bad(format!(
                "{key}={t}: give a whole number from {min} to {max}"
            ))),
        },
    }
}

/// `GET /collections/{name}/items`.
pub async fn items(
    State(s): State<Arc<Service>>,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    check_format(&q)?;
    let known = ["bbox", "limit", "offset", "f", "skipGeometry"];
    if let Some(k) = q.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(ApiError::bad(format!(
            "unknown parameter {k}: items take bbox, limit, offset, skipGeometry and f"
        )));
    }
    let skip = match q.get("skipGeometry").map(String::as_str) {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return Err(ApiError::bad(format!(
                "skipGeometry={other}: true or false"
            )))
        }
    };
    let c = caller(&s, &headers)?;
    let cols = s.collections();
    let all = items_for(c.as_ref(), &name, &cols)?;
    let limit = parse_count(&q, "limit", 10, 1, MAX_LIMIT)?;
    let offset = parse_count(&q, "offset", 0, 0, usize::MAX)?;
    let bbox = q.get("bbox").map(|t| parse_bbox(t)).transpose()?;
    let matched: Vec<&Item> = match bbox {
        Some(b) => all.into_iter().filter(|i| intersects(i.bbox, b)).collect(),
        None => all,
    };
    let page: Vec<&Item> = matched.iter().skip(offset).take(limit).copied().collect();
    let b = base(&headers);
    let mut query = String::new();
    if let Some(t) = q.get("bbox") {
        query.push_str(&format!("&bbox={}", t.replace(' ', "")));
    }
    if skip {
        query.push_str("&skipGeometry=true");
    }
    let here = format!("{b}/collections/{name}/items?limit={limit}{query}");
    let mut links = vec![
        json!({"href": format!("{here}&offset={offset}"), "rel": "self", "type": "application/geo+json"}),
        json!({"href": format!("{b}/collections/{name}"), "rel": "collection", "type": "application/json"}),
    ];
    if offset + page.len() < matched.len() {
        links.push(json!({"href": format!("{here}&offset={}", offset + page.len()), "rel": "next", "type": "application/geo+json"}));
    }
    if offset > 0 {
        links.push(json!({"href": format!("{here}&offset={}", offset.saturating_sub(limit)), "rel": "prev", "type": "application/geo+json"}));
    }
    let mut out = String::with_capacity(256 + page.iter().map(|i| i.json.len() + 1).sum::<usize>());
    out.push_str("{\"type\":\"FeatureCollection\",\"numberMatched\":");
    out.push_str(&matched.len().to_string());
    out.push_str(",\"numberReturned\":");
    out.push_str(&page.len().to_string());
    out.push_str(",\"links\":");
    out.push_str(&serde_json::to_string(&links).unwrap_or_else(|_| "[]".into()));
    out.push_str(",\"features\":[");
    for (k, i) in page.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        out.push_str(if skip { &i.brief } else { &i.json });
    }
    out.push_str("]}");
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], out).into_response())
}

/// `GET /collections/{name}/items/{id}`.
pub async fn item(
    State(s): State<Arc<Service>>,
    headers: HeaderMap,
    Path((name, id)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    check_format(&q)?;
    let c = caller(&s, &headers)?;
    let cols = s.collections();
    let all = items_for(c.as_ref(), &name, &cols)?;
    let Some(i) = all.into_iter().find(|i| i.id == id) else {
        return Err(ApiError::not_found(format!(
            "collection {name} has no feature {id} (that you may read)"
        )));
    };
    Ok((
        [(header::CONTENT_TYPE, "application/geo+json")],
        i.json.clone(),
    )
        .into_response())
}
