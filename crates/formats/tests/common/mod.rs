//! Helpers shared by the format tests.
#![allow(dead_code)]

use std::path::PathBuf;
use terminus_vector::{Coord, Feature, Geometry, Polygon, Value};

pub use terminus_testdata::shared_data;

/// Every GeoJSON file under `../shared/data/boundaries` and `places`.
pub fn all_shared_geojson() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in ["boundaries/am_az", "boundaries/kg_tj", "places"] {
        if let Some(d) = shared_data(dir) {
            let mut files: Vec<PathBuf> = std::fs::read_dir(d)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "geojson"))
                .collect();
            files.sort();
            out.extend(files);
        }
    }
    out
}

pub const TOL: f64 = 1e-9;

fn close(a: &Coord, b: &Coord) -> bool {
    (a.x - b.x).abs() <= TOL
        && (a.y - b.y).abs() <= TOL
        && a.z.is_some() == b.z.is_some()
        && match (a.z, b.z) {
            (Some(x), Some(y)) => (x - y).abs() <= TOL,
            _ => true,
        }
}

fn same_path(a: &[Coord], b: &[Coord]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(p, q)| close(p, q))
}

/// Same ring, possibly traversed the other way from the same start.
fn same_ring_any_direction(a: &[Coord], b: &[Coord]) -> bool {
    if same_path(a, b) {
        return true;
    }
    let rev: Vec<Coord> = b.iter().rev().copied().collect();
    same_path(a, &rev)
}

fn same_polygon(a: &Polygon, b: &Polygon, any_direction: bool) -> bool {
    a.rings.len() == b.rings.len()
        && a.rings.iter().zip(&b.rings).all(|(r, s)| {
            if any_direction {
                same_ring_any_direction(r, s)
            } else {
                same_path(r, s)
            }
        })
}

/// How strictly geometries must agree.
#[derive(Clone, Copy, Debug)]
pub struct Leniency {
    /// A one-part multi-geometry may come back single (Shapefile).
    pub single_multi: bool,
    /// Rings may come back reversed (Shapefile re-orients them).
    pub ring_direction: bool,
    /// The rings of a multipolygon may come back grouped into polygons
    /// differently (Shapefile regroups holes by containment, so a hole the
    /// source put outside its shell moves to the polygon that contains it).
    pub ring_grouping: bool,
}

pub const STRICT: Leniency = Leniency {
    single_multi: false,
    ring_direction: false,
    ring_grouping: false,
};

fn as_multi(g: &Geometry) -> Geometry {
    match g {
        Geometry::LineString(p) => Geometry::MultiLineString(vec![p.clone()]),
        Geometry::Polygon(p) => Geometry::MultiPolygon(vec![p.clone()]),
        other => other.clone(),
    }
}

/// Geometry equality within [`TOL`], vertex by vertex.
pub fn same_geometry(a: &Geometry, b: &Geometry, l: Leniency) -> bool {
    let (a, b) = if l.single_multi {
        (as_multi(a), as_multi(b))
    } else {
        (a.clone(), b.clone())
    };
    match (&a, &b) {
        (Geometry::Point(p), Geometry::Point(q)) => close(p, q),
        (Geometry::LineString(p), Geometry::LineString(q))
        | (Geometry::MultiPoint(p), Geometry::MultiPoint(q)) => same_path(p, q),
        (Geometry::Polygon(p), Geometry::Polygon(q)) => same_polygon(p, q, l.ring_direction),
        (Geometry::MultiLineString(p), Geometry::MultiLineString(q)) => {
            p.len() == q.len() && p.iter().zip(q).all(|(x, y)| same_path(x, y))
        }
        (Geometry::MultiPolygon(p), Geometry::MultiPolygon(q)) if l.ring_grouping => {
            let rings =
                |ps: &Vec<Polygon>| ps.iter().flat_map(|x| x.rings.clone()).collect::<Vec<_>>();
            let (ra, rb) = (rings(p), rings(q));
            let mut used = vec![false; rb.len()];
            ra.len() == rb.len()
                && ra.iter().all(|r| {
                    let hit = rb
                        .iter()
                        .enumerate()
                        .find(|(k, s)| !used[*k] && same_ring_any_direction(r, s))
                        .map(|(k, _)| k);
                    hit.map(|k| used[k] = true).is_some()
                })
        }
        (Geometry::MultiPolygon(p), Geometry::MultiPolygon(q)) => {
            // Shapefile may list a multipolygon's parts in another order only
            // if holes were re-homed; compare in order first, then as a set.
            p.len() == q.len()
                && (p
                    .iter()
                    .zip(q)
                    .all(|(x, y)| same_polygon(x, y, l.ring_direction))
                    || p.iter()
                        .all(|x| q.iter().any(|y| same_polygon(x, y, l.ring_direction))))
        }
        (Geometry::GeometryCollection(p), Geometry::GeometryCollection(q)) => {
            p.len() == q.len() && p.iter().zip(q).all(|(x, y)| same_geometry(x, y, l))
        }
        _ => false,
    }
}

/// Attribute equality, a missing key counting as null, numbers compared
/// exactly (integers may come back as integral reals where a format has one
/// numeric type).
pub fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Json(x), Value::Json(y)) => x == y,
        (Value::Json(x), Value::String(s)) | (Value::String(s), Value::Json(x)) => {
            &x.to_string() == s
        }
        _ => a == b,
    }
}

/// Compare attributes of two features; `rename` maps source names to the
/// names the format stores (Shapefile cuts them to 10 bytes).
pub fn attribute_mismatch(
    a: &Feature,
    b: &Feature,
    rename: &dyn Fn(&str) -> String,
) -> Option<String> {
    for (k, v) in &a.properties {
        let k2 = rename(k);
        let w = b.properties.get(&k2).unwrap_or(&Value::Null);
        if !same_value(v, w) {
            return Some(format!("attribute {k:?}: {v:?} became {w:?}"));
        }
    }
    None
}
