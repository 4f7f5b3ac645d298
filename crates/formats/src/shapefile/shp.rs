//! The `.shp` geometry file and its `.shx` index.

use crate::{FormatError, Result};
use std::path::Path;
use terminus_vector::ring::{signed_area2, RingIndex};
use terminus_vector::{Bbox, Coord, Geometry, GeometryType, Layer, Polygon};

const NULL: i32 = 0;
const POINT: i32 = 1;
const POLYLINE: i32 = 3;
const POLYGON: i32 = 5;
const MULTIPOINT: i32 = 8;
const Z: i32 = 10;

fn be_i32(b: &[u8], at: usize) -> i32 {
    i32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}
fn le_i32(b: &[u8], at: usize) -> i32 {
    i32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}
fn le_f64(b: &[u8], at: usize) -> f64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    f64::from_le_bytes(a)
}

/// Read every shape, in file order (`None` for null shapes).
pub(super) fn read(path: &Path, b: &[u8]) -> Result<Vec<Option<Geometry>>> {
    if b.len() < 100 || be_i32(b, 0) != 9994 {
        return Err(FormatError::malformed(
            path,
            "header",
            "not a shapefile (.shp must start with file code 9994)",
        ));
    }
    // The length is in 16-bit words; a negative one (a crafted header) is
    // not a length.
    let words = be_i32(b, 24);
    if words < 50 {
        return Err(FormatError::malformed(
            path,
            "header",
            format!("the header gives the file a length of {words} words; a shapefile has at least its 50-word header"),
        ));
    }
    let declared_len = words as usize * 2;
    let end = declared_len.min(b.len());
    if declared_len > b.len() {
        return Err(FormatError::malformed(
            path,
            "header",
            format!(
                "the header says {declared_len} bytes but the file has {}: truncated?",
                b.len()
            ),
        ));
    }
    let mut out = Vec::new();
    let mut pos = 100;
    while pos + 8 <= end {
        let number = be_i32(b, pos);
        let len = be_i32(b, pos + 4);
        let at = format!("record {number} (byte {pos})");
        if len < 2 {
            return Err(FormatError::malformed(
                path,
                at,
                format!("content length {len} words is too short"),
            ));
        }
        let start = pos + 8;
        let stop = start + len as usize * 2;
        if stop > end {
            return Err(FormatError::malformed(
                path,
                at,
                "record runs past the end of the file: truncated?",
            ));
        }
        let g = shape(&b[start..stop]).map_err(|m| FormatError::malformed(path, at, m))?;
        out.push(g);
        pos = stop;
    }
    Ok(out)
}

fn shape(c: &[u8]) -> std::result::Result<Option<Geometry>, String> {
    let t = le_i32(c, 0);
    let need = |n: usize| -> std::result::Result<(), String> {
        if c.len() < n {
            Err(format!(
                "shape of type {t} needs {n} bytes, record has {}",
                c.len()
            ))
        } else {
            Ok(())
        }
    };
    let base = t % 10;
    let has_z = (11..=18).contains(&t);
    match (t, base) {
        (NULL, _) => Ok(None),
        (1 | 11 | 21, _) => {
            need(20 + if has_z { 8 } else { 0 })?;
            let z = has_z.then(|| le_f64(c, 20));
            Ok(Some(Geometry::Point(mk(le_f64(c, 4), le_f64(c, 12), z))))
        }
        (8 | 18 | 28, _) => {
            need(40)?;
            let n = le_i32(c, 36);
            if n < 0 || n as usize > c.len() / 16 {
                return Err(format!(
                    "point count {n} is impossible for a {}-byte record",
                    c.len()
                ));
            }
            let n = n as usize;
            let pts_at = 40;
            need(pts_at + 16 * n)?;
            let z_at = pts_at + 16 * n + 16;
            if has_z {
                need(z_at + 8 * n)?;
            }
            let pts = (0..n)
                .map(|i| {
                    mk(
                        le_f64(c, pts_at + 16 * i),
                        le_f64(c, pts_at + 16 * i + 8),
                        has_z.then(|| le_f64(c, z_at + 8 * i)),
                    )
                })
                .collect();
            Ok(Some(Geometry::MultiPoint(pts)))
        }
        (3 | 13 | 23 | 5 | 15 | 25, _) => {
            need(44)?;
            let np = le_i32(c, 36);
            let n = le_i32(c, 40);
            if np < 0 || n < 0 || np as usize > c.len() / 4 || n as usize > c.len() / 16 {
                return Err(format!(
                    "part count {np} / point count {n} impossible for a {}-byte record",
                    c.len()
                ));
            }
            let (np, n) = (np as usize, n as usize);
            let parts_at = 44;
            let pts_at = parts_at + 4 * np;
            need(pts_at + 16 * n)?;
            let z_at = pts_at + 16 * n + 16;
            if has_z {
                need(z_at + 8 * n)?;
            }
            let mut starts: Vec<usize> = Vec::with_capacity(np);
            for i in 0..np {
                let s = le_i32(c, parts_at + 4 * i);
                if s < 0 || s as usize > n || starts.last().is_some_and(|&p| p > s as usize) {
                    return Err(format!(
                        "part {i} starts at point {s}, outside 0..{n} or out of order"
                    ));
                }
                starts.push(s as usize);
            }
            let pt = |i: usize| {
                mk(
                    le_f64(c, pts_at + 16 * i),
                    le_f64(c, pts_at + 16 * i + 8),
                    has_z.then(|| le_f64(c, z_at + 8 * i)),
                )
            };
            let parts: Vec<Vec<Coord>> = (0..np)
                .map(|i| {
                    let stop = starts.get(i + 1).copied().unwrap_or(n);
                    (starts[i]..stop).map(pt).collect()
                })
                .collect();
            if base == POLYLINE {
                Ok(Some(match parts.len() {
                    1 => Geometry::LineString(parts.into_iter().next().unwrap_or_default()),
                    _ => Geometry::MultiLineString(parts),
                }))
            } else {
                Ok(Some(assemble_polygons(parts)))
            }
        }
        (31, _) => Err("MultiPatch shapes are not supported".into()),
        _ => Err(format!("unknown shape type {t}")),
    }
}

fn mk(x: f64, y: f64, z: Option<f64>) -> Coord {
    // NaN heights (how Terminus writes a missing height) read as absent.
    Coord {
        x,
        y,
        z: z.filter(|z| !z.is_nan()),
    }
}

/// Shells are clockwise, holes counter-clockwise; each hole goes to the
/// smallest shell containing it (a hole in no shell is kept as a shell, as
/// GDAL does: counter-clockwise already, as RFC 7946 wants a shell). Output
/// rings follow RFC 7946: shells counter-clockwise, holes clockwise.
fn assemble_polygons(rings: Vec<Vec<Coord>>) -> Geometry {
    let mut shells: Vec<(Vec<Coord>, f64)> = Vec::new();
    let mut holes: Vec<Vec<Coord>> = Vec::new();
    for r in rings {
        let a = signed_area2(&r);
        if a <= 0.0 {
            shells.push((r, a.abs()));
        } else {
            holes.push(r);
        }
    }
    // Each shell indexed once: a country with thousands of lakes would
    // otherwise cost holes × shell vertices.
    let host_of: Vec<Option<usize>> = {
        let indexed: Vec<(Option<Bbox>, RingIndex)> = shells
            .iter()
            .map(|(s, _)| (Geometry::LineString(s.clone()).bbox(), RingIndex::new(s)))
            .collect();
        holes
            .iter()
            .map(|h| {
                let hb = Geometry::LineString(h.clone()).bbox();
                indexed
                    .iter()
                    .enumerate()
                    .filter(|(_, (sb, _))| match (sb, &hb) {
                        (Some(sb), Some(hb)) => sb.intersects(hb),
                        _ => false,
                    })
                    .filter(|(_, (_, idx))| idx.contains_ring(h))
                    .min_by(|a, b| shells[a.0].1.total_cmp(&shells[b.0].1))
                    .map(|(i, _)| i)
            })
            .collect()
    };
    let mut polys: Vec<Vec<Vec<Coord>>> = shells
        .into_iter()
        .map(|(mut s, _)| {
            s.reverse();
            vec![s]
        })
        .collect();
    for (mut h, host) in holes.into_iter().zip(host_of) {
        match host {
            Some(i) => {
                h.reverse();
                polys[i].push(h);
            }
            None => polys.push(vec![h]),
        }
    }
    let mut polys: Vec<Polygon> = polys.into_iter().map(Polygon::new).collect();
    if polys.len() == 1 {
        Geometry::Polygon(polys.pop().unwrap_or_default())
    } else {
        Geometry::MultiPolygon(polys)
    }
}

/// The shape type for a layer's geometries, or why there is none.
fn shape_type(path: &Path, layer: &Layer) -> Result<i32> {
    let types = layer.geometry_types();
    let singles: std::collections::BTreeSet<GeometryType> =
        types.iter().map(|t| t.single()).collect();
    let base = match singles.iter().collect::<Vec<_>>().as_slice() {
        [] => NULL,
        [GeometryType::Point] if !types.contains(&GeometryType::MultiPoint) => POINT,
        [GeometryType::Point] => MULTIPOINT,
        [GeometryType::LineString] => POLYLINE,
        [GeometryType::Polygon] => POLYGON,
        _ => {
            return Err(FormatError::unsupported(
                path,
                format!(
                    "a shapefile holds one kind of geometry and layer {:?} has {}: write GeoPackage, or split the layer",
                    layer.name,
                    types.iter().map(|t| t.name()).collect::<Vec<_>>().join(", ")
                ),
            ))
        }
    };
    Ok(if base != NULL && layer.has_z() {
        base + Z
    } else {
        base
    })
}

struct Out {
    b: Vec<u8>,
}

impl Out {
    fn i32_le(&mut self, v: i32) {
        self.b.extend_from_slice(&v.to_le_bytes());
    }
    fn i32_be(&mut self, v: i32) {
        self.b.extend_from_slice(&v.to_be_bytes());
    }
    fn f64(&mut self, v: f64) {
        self.b.extend_from_slice(&v.to_le_bytes());
    }
    fn bbox(&mut self, b: &Bbox) {
        for v in [b.min_x, b.min_y, b.max_x, b.max_y] {
            self.f64(v);
        }
    }
}

fn header(out: &mut Out, len_bytes: usize, t: i32, bbox: &Bbox, zr: (f64, f64)) {
    out.i32_be(9994);
    for _ in 0..5 {
        out.i32_be(0);
    }
    out.i32_be((len_bytes / 2) as i32);
    out.i32_le(1000);
    out.i32_le(t);
    out.bbox(bbox);
    for v in [zr.0, zr.1, 0.0, 0.0] {
        out.f64(v);
    }
}

fn z_range(g: &Geometry) -> (f64, f64) {
    g.coords()
        .filter_map(|c| c.z)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), z| {
            (lo.min(z), hi.max(z))
        })
}

/// The content of one shape record.
fn record(t: i32, g: Option<&Geometry>) -> Vec<u8> {
    let mut o = Out { b: Vec::new() };
    let has_z = t > Z;
    let Some(g) = g else {
        o.i32_le(NULL);
        return o.b;
    };
    o.i32_le(t);
    let bbox = g.bbox().unwrap_or(Bbox {
        min_x: 0.0,
        min_y: 0.0,
        max_x: 0.0,
        max_y: 0.0,
    });
    let z_of = |c: &Coord| c.z.unwrap_or(f64::NAN);
    match t % Z {
        POINT => {
            if let Geometry::Point(c) = g {
                o.f64(c.x);
                o.f64(c.y);
                if has_z {
                    o.f64(z_of(c));
                    o.f64(0.0);
                }
            }
        }
        MULTIPOINT => {
            let pts: Vec<&Coord> = g.coords().collect();
            o.bbox(&bbox);
            o.i32_le(pts.len() as i32);
            for c in &pts {
                o.f64(c.x);
                o.f64(c.y);
            }
            if has_z {
                let (lo, hi) = z_range(g);
                o.f64(lo);
                o.f64(hi);
                for c in &pts {
                    o.f64(z_of(c));
                }
            }
        }
        _ => {
            // PolyLine or Polygon: parts in order; polygon shells clockwise,
            // holes counter-clockwise, whatever the input's orientation.
            let parts: Vec<Vec<Coord>> = if t % Z == POLYGON {
                g.polygons()
                    .into_iter()
                    .flat_map(|p| {
                        p.rings.iter().enumerate().map(|(i, r)| {
                            let mut r = r.clone();
                            let ccw = signed_area2(&r) > 0.0;
                            if (i == 0) == ccw {
                                r.reverse();
                            }
                            r
                        })
                    })
                    .collect()
            } else {
                g.paths().into_iter().map(<[Coord]>::to_vec).collect()
            };
            let n: usize = parts.iter().map(Vec::len).sum();
            o.bbox(&bbox);
            o.i32_le(parts.len() as i32);
            o.i32_le(n as i32);
            let mut start = 0;
            for p in &parts {
                o.i32_le(start as i32);
                start += p.len();
            }
            for c in parts.iter().flatten() {
                o.f64(c.x);
                o.f64(c.y);
            }
            if has_z {
                let (lo, hi) = z_range(g);
                o.f64(lo);
                o.f64(hi);
                for c in parts.iter().flatten() {
                    o.f64(z_of(c));
                }
            }
        }
    }
    o.b
}

/// Encode `.shp` and `.shx`.
pub(super) fn write(path: &Path, layer: &Layer) -> Result<(Vec<u8>, Vec<u8>)> {
    let t = shape_type(path, layer)?;
    for (i, f) in layer.features.iter().enumerate() {
        if let Some(g) = &f.geometry {
            if g.vertex_count() > i32::MAX as usize / 16 {
                return Err(FormatError::unsupported(
                    path,
                    format!("feature {i} is too large for a shapefile record"),
                ));
            }
        }
    }
    let mut body = Out { b: Vec::new() };
    let mut index = Out { b: Vec::new() };
    for (i, f) in layer.features.iter().enumerate() {
        let content = record(t, f.geometry.as_ref());
        index.i32_be(((100 + body.b.len()) / 2) as i32);
        index.i32_be((content.len() / 2) as i32);
        body.i32_be(i as i32 + 1);
        body.i32_be((content.len() / 2) as i32);
        body.b.extend_from_slice(&content);
    }
    if body.b.len() + 100 > i32::MAX as usize {
        return Err(FormatError::unsupported(
            path,
            "more than 2 GiB of geometry: too large for a shapefile; write GeoPackage",
        ));
    }
    let bbox = layer.bbox().unwrap_or(Bbox {
        min_x: 0.0,
        min_y: 0.0,
        max_x: 0.0,
        max_y: 0.0,
    });
    let zr = layer
        .features
        .iter()
        .filter_map(|f| f.geometry.as_ref())
        .map(z_range)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |a, b| {
            (a.0.min(b.0), a.1.max(b.1))
        });
    let zr = if zr.0.is_finite() { zr } else { (0.0, 0.0) };
    let mut shp = Out {
        b: Vec::with_capacity(100 + body.b.len()),
    };
    header(&mut shp, 100 + body.b.len(), t, &bbox, zr);
    shp.b.extend_from_slice(&body.b);
    let mut shx = Out {
        b: Vec::with_capacity(100 + index.b.len()),
    };
    header(&mut shx, 100 + index.b.len(), t, &bbox, zr);
    shx.b.extend_from_slice(&index.b);
    Ok((shp.b, shx.b))
}
