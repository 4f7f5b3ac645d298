//! The Soviet topographic map sheets a line crosses, at any scale: the
//! line read through the input road in whatever CRS it comes, taken to
//! Pulkovo 1942 through one named transformation (the line's own when it
//! came through one), densified every 100 m on the Krassowsky ellipsoid.

use crate::failure::Failure;
use crate::input::InputOptions;
use std::path::Path;
use terminus_geodesy::geodesic::densify::densify_by_spacing;
use terminus_geodesy::nomenclature::{sheets_along, Scale, Sheet};
use terminus_geodesy::{Crs, Ellipsoid};

/// The sheets along a line, the transformation used, and the input road's notes.
pub struct SheetsAlong {
    /// The sheets, in the order the line meets them.
    pub sheets: Vec<Sheet>,
    /// The WGS 84 → Pulkovo 1942 transformation (EPSG code).
    pub op: Option<u32>,
    /// The input road's notes.
    pub notes: Vec<String>,
}

/// The sheets of scale `sc` the line in `along` crosses.
pub fn sheets(along: &Path, sc: Scale, input: &InputOptions) -> Result<SheetsAlong, Failure> {
    // Onto WGS 84 through the input road (whatever the line's CRS: UTM,
    // Gauss–Krüger, SK-42), then to Pulkovo 1942 through one named
    // transformation: the line's own when it came through one.
    let read = crate::input::read(along, input)?;
    let op = match read.road()?.and_then(|r| r.operation_code()) {
        Some(code) => Some(code),
        None => input.op,
    };
    let ds = &read.dataset;
    let first = ds
        .layers
        .iter()
        .flat_map(|l| &l.features)
        .filter_map(|f| f.geometry.as_ref())
        .flat_map(|g| g.coords())
        .next()
        .map(|c| terminus_geodesy::LatLon::new(c.y, c.x));
    let pulkovo = crate::Road::new(&Crs::Epsg(4284), op, first)?;
    let used_op = pulkovo.operation_code();
    let notes = read.notes();
    let to_pulkovo = |x: f64, y: f64| -> Result<(f64, f64), Failure> {
        let (lon, lat) = pulkovo
            .from_wgs84(x, y)
            .map_err(|e| Failure::failed(e.to_string()))?;
        Ok((lat, lon))
    };
    let g = Ellipsoid::KRASSOWSKY_1940.geodesic();
    let mut all: Vec<Sheet> = Vec::new();
    for layer in &ds.layers {
        for f in &layer.features {
            let Some(geom) = &f.geometry else { continue };
            let mut parts: Vec<Vec<(f64, f64)>> = geom
                .paths()
                .iter()
                .map(|p| p.iter().map(|c| (c.x, c.y)).collect())
                .collect();
            for p in geom.polygons() {
                parts.extend(
                    p.rings
                        .iter()
                        .map(|r| r.iter().map(|c| (c.x, c.y)).collect()),
                );
            }
            if let terminus_vector::Geometry::Point(c) = geom {
                parts.push(vec![(c.x, c.y)]);
            }
            for part in parts {
                let pts: Vec<(f64, f64)> = part
                    .iter()
                    .map(|&(x, y)| to_pulkovo(x, y))
                    .collect::<Result<_, _>>()?;
                let mut dense = vec![];
                if pts.len() == 1 {
                    dense.push(pts[0]);
                }
                for w in pts.windows(2) {
                    let seg = densify_by_spacing(
                        &g,
                        terminus_geodesy::LatLon::from_pair(w[0]),
                        terminus_geodesy::LatLon::from_pair(w[1]),
                        100.0,
                    )
                    .map_err(|e| Failure::failed(e.to_string()))?;
                    if !dense.is_empty() {
                        dense.pop();
                    }
                    dense.extend(seg.into_iter().map(terminus_geodesy::LatLon::tuple));
                }
                for s in sheets_along(&dense, sc).map_err(|e| Failure::usage(e.to_string()))? {
                    if all.iter().all(|x| x.id != s.id) {
                        all.push(s);
                    }
                }
            }
        }
    }
    Ok(SheetsAlong {
        sheets: all,
        op: used_op,
        notes,
    })
}

/// A sheet's outline on WGS 84 (8 points per edge, its edges being
/// parallels and meridians of Pulkovo 1942), through `op` or EPSG's most
/// accurate at the sheet's centre: the EPSG code used and the ring as
/// [longitude, latitude].
pub fn outline_wgs84(s: &Sheet, op: Option<u32>) -> Result<(u32, Vec<[f64; 2]>), Failure> {
    let t = terminus_geodesy::crs::transform::CrsTransform::new(
        &Crs::Epsg(4284),
        &Crs::WGS84,
        op,
        Some(terminus_geodesy::LatLon::new(
            (s.south + s.north) / 2.0,
            (s.west + s.east) / 2.0,
        )),
    )
    .map_err(|e| Failure::failed(e.to_string()))?;
    let code = t.operation().map(|o| o.code).unwrap_or(0);
    // Sheet edges are parallels and meridians: 8 points per edge.
    let mut ring = Vec::new();
    let corners = [
        (s.south, s.west),
        (s.south, s.east),
        (s.north, s.east),
        (s.north, s.west),
        (s.south, s.west),
    ];
    for w in corners.windows(2) {
        for k in 0..8 {
            let f = k as f64 / 8.0;
            let (lat, lon) = (
                w[0].0 + f * (w[1].0 - w[0].0),
                w[0].1 + f * (w[1].1 - w[0].1),
            );
            let (x, y) = t
                .apply(lon, lat)
                .map_err(|e| Failure::failed(e.to_string()))?;
            ring.push([x, y]);
        }
    }
    ring.push(ring[0]);
    Ok((code, ring))
}
