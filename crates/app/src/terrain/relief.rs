//! A commission's DEMs as the service serves them: their extent and
//! voids, hillshade tiles for the web map, and the line-of-sight profile
//! between two points.
//!
//! The tiles are on the web-Mercator XYZ grid (256 pixels, EPSG:3857 as
//! web maps tile it): a picture for the eye, never measured. Each pixel's
//! centre is taken back to WGS 84 and shaded where it falls on the DEM —
//! Horn's gradient lit from 315° at 45°, blended between the four cells
//! around the pixel (`DemSampler::hillshade_smooth`), the
//! convention of topographic maps — so the relief is the DEM's own, at any
//! zoom; where the pixel misses the DEM or a neighbour cell is void it is
//! transparent. The profile is `terminus los`'s (`crate::sight`).

use crate::demarcate::failure;
use crate::failure::Failure;
use std::path::Path;
use std::sync::Arc;
use terminus_cartography::tiles::{encode_tile, TileFeature, TileLine, TileValue};
use terminus_demarcation::los::SightSettings;
use terminus_demarcation::sampler::DemSampler;
use terminus_geodesy::Xy;
use terminus_terrain::Dem;

/// A DEM loaded for serving.
#[derive(Debug, Clone)]
pub struct ServedDem {
    /// Its name in the service's URLs: the file's stem.
    pub name: String,
    /// The file, SHA-256 and size, as provenance records them.
    pub file: crate::input::FileHash,
    /// Its CRS.
    pub crs: String,
    /// Its extent on WGS 84: west, south, east, north (degrees).
    pub bounds: [f64; 4],
    /// Width and height in cells.
    pub size: [usize; 2],
    /// Voids inside the terrain (nodata not reaching the grid's edge):
    /// count and cells. A profile or sight line across one is refused.
    pub interior_voids: usize,
    /// Their cells.
    pub void_cells: usize,
    /// The grid.
    pub dem: Arc<Dem>,
    /// Its stream network for the base map, traced on first use.
    pub drainage: Arc<std::sync::OnceLock<Result<Arc<Drainage>, String>>>,
}

/// A DEM's stream network as the base map draws it: the segments of
/// `terminus terrain streams` (filled with +ε, D8 on the ellipsoid,
/// Strahler orders) of every cell draining at least
/// [`DRAINAGE_MIN_AREA_KM2`], voids taken as outlets (streams end in
/// them), projected for tiling by order.
#[derive(Debug)]
pub struct Drainage {
    /// The segments of each Strahler order, ready to tile.
    pub orders: Vec<(u8, TileLine)>,
    /// Segments in all.
    pub segments: usize,
    /// Their geodesic length, metres.
    pub length_m: f64,
    /// The threshold, cells.
    pub threshold: u32,
    /// What was done with the DEM's voids, in words.
    pub voids: String,
}

/// The catchment a cell must drain to be drawn as a stream on the base
/// map, km²: independent of the DEM's resolution.
pub const DRAINAGE_MIN_AREA_KM2: f64 = 20.0;

/// Load the DEM at `path` for serving, named by its file's stem.
pub fn serve_dem(path: &Path) -> Result<ServedDem, Failure> {
    let dem = super::load_dem(path, None)?;
    let file = crate::input::hash_file(path)?;
    let road = super::dem_road(&dem, path, None)?;
    // The extent: the grid's outer edge, 32 points a side, on WGS 84.
    let g = &dem.georef;
    let (w, h) = (dem.width as f64, dem.height as f64);
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for k in 0..=32 {
        let t = k as f64 / 32.0;
        for (c, r) in [(t * w, 0.0), (t * w, h), (0.0, t * h), (w, t * h)] {
            let p = Xy::new(g.x0 + c * g.dx, g.y0 - r * g.dy);
            let q = road.to_wgs84(p).map_err(|e| {
                Failure::usage(format!(
                    "{}: a corner of the DEM has no place on WGS 84: {e}",
                    path.display()
                ))
            })?;
            b = [
                b[0].min(q.lon),
                b[1].min(q.lat),
                b[2].max(q.lon),
                b[3].max(q.lat),
            ];
        }
    }
    let voids: Vec<_> = terminus_terrain::voids::find_voids(&dem)
        .into_iter()
        .filter(|v| !v.touches_edge)
        .collect();
    Ok(ServedDem {
        name: path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "dem".into()),
        file,
        crs: dem.georef.crs.id(),
        bounds: b,
        size: [dem.width, dem.height],
        interior_voids: voids.len(),
        void_cells: voids.iter().map(|v| v.cells.len()).sum(),
        dem: Arc::new(dem),
        drainage: Arc::default(),
    })
}

/// Pixels a side of a tile.
pub const TILE: u32 = 256;

/// The deepest zoom served (about 2 cm a pixel at the equator: far below
/// any DEM's cell).
pub const MAX_ZOOM: u32 = 22;

/// West, south, east, north of web-Mercator tile `z/x/y`.
pub fn tile_bounds(z: u32, x: u32, y: u32) -> [f64; 4] {
    let n = f64::from(1u32 << z);
    let lon = |x: f64| x / n * 360.0 - 180.0;
    let lat = |y: f64| {
        (std::f64::consts::PI * (1.0 - 2.0 * y / n))
            .sinh()
            .atan()
            .to_degrees()
    };
    let (x, y) = (f64::from(x), f64::from(y));
    [lon(x), lat(y + 1.0), lon(x + 1.0), lat(y)]
}

/// The hillshade tile `z/x/y` of `dem` as a PNG (transparent off the DEM
/// and over voids).
pub fn relief_tile(dem: &ServedDem, z: u32, x: u32, y: u32) -> Result<Vec<u8>, Failure> {
    if z > MAX_ZOOM || x >= 1u32 << z || y >= 1u32 << z {
        return Err(Failure::usage(format!(
            "tile {z}/{x}/{y} does not exist: zoom 0 to {MAX_ZOOM}, x and y from 0 to 2^zoom − 1"
        )));
    }
    let px = (TILE * TILE) as usize;
    let mut rgba = vec![[0u8; 4]; px];
    let t = tile_bounds(z, x, y);
    let b = dem.bounds;
    if t[0] <= b[2] && b[0] <= t[2] && t[1] <= b[3] && b[1] <= t[3] {
        let s = DemSampler::new(&dem.dem).map_err(failure)?;
        let n = f64::from(1u32 << z);
        let tile = f64::from(TILE);
        for (i, out) in rgba.iter_mut().enumerate() {
            let (c, r) = ((i as u32 % TILE) as f64, (i as u32 / TILE) as f64);
            let lon = (f64::from(x) + (c + 0.5) / tile) / n * 360.0 - 180.0;
            let my = f64::from(y) + (r + 0.5) / tile;
            let lat = (std::f64::consts::PI * (1.0 - 2.0 * my / n))
                .sinh()
                .atan()
                .to_degrees();
            if let Some(v) = s.hillshade_smooth(lat, lon) {
                let g = (v.clamp(0.0, 1.0) * 255.0).round() as u8;
                *out = [g, g, g, 150];
            }
        }
    }
    terminus_cartography::rgba_png(TILE, TILE, &rgba).map_err(|e| Failure::failed(e.to_string()))
}

/// The contour interval drawn at zoom `z` over a DEM of cells
/// `cell_m` metres wide, metres: the interval a topographic map of that
/// scale uses (500 m at zoom 8, about 1:2,000,000, down to 10 m from
/// zoom 14), never finer than a twentieth of a cell's width — contours
/// closer than the DEM resolves would draw its interpolation, not the
/// ground.
pub fn contour_interval(z: u32, cell_m: f64) -> f64 {
    let by_zoom = match z {
        0..=8 => 500.0,
        9 => 250.0,
        10 => 200.0,
        11 => 100.0,
        12 => 50.0,
        13 => 25.0,
        _ => 10.0,
    };
    let floor = [10.0, 20.0, 25.0, 50.0, 100.0, 200.0, 250.0, 500.0]
        .into_iter()
        .find(|&i| i >= cell_m / 20.0)
        .unwrap_or(1000.0);
    f64::max(by_zoom, floor)
}

/// The most DEM cells a tile's contours are traced over: beyond it (a
/// fine DEM at a small zoom) the tile carries no contours, only streams.
pub const CONTOUR_MAX_CELLS: usize = 4_000_000;

/// The smallest zoom at which a terrain tile over a DEM of `size` cells
/// (width, height) covering `bounds` (west, south, east, north, degrees
/// on WGS 84) carries contours: where a tile's window (the tile and an
/// eighth of it around, on the DEM's grid, clamped to the DEM) holds at
/// most [`CONTOUR_MAX_CELLS`]. An estimate from the DEM's mean cell size
/// in degrees and the web-Mercator tile's height at the DEM's middle
/// latitude (each tile still decides by its own window); below it tiles
/// carry streams only, and `/api/dems` and the page say so.
pub fn contours_from_zoom(size: [usize; 2], bounds: [f64; 4]) -> u32 {
    let [w, h] = size.map(|v| v.max(1) as f64);
    let (dx, dy) = ((bounds[2] - bounds[0]) / w, (bounds[3] - bounds[1]) / h);
    let mid = (0.5 * (bounds[1] + bounds[3])).to_radians();
    (0..=22)
        .find(|&z| {
            let span = 360.0 / f64::from(1u32 << z) * 1.25;
            let cols = (span / dx.max(f64::MIN_POSITIVE) + 3.0).min(w);
            let rows = (span * mid.cos() / dy.max(f64::MIN_POSITIVE) + 3.0).min(h);
            cols * rows <= CONTOUR_MAX_CELLS as f64
        })
        .unwrap_or(22)
}

/// Every fifth contour is an index contour (drawn heavier, labelled).
pub const INDEX_EVERY: f64 = 5.0;

/// What is known of `dem`'s stream network for its description: its
/// figures and what was done with the DEM's voids once traced, the
/// reason when it could not be, None before the first terrain tile.
pub fn drainage_facts(dem: &ServedDem) -> Option<serde_json::Value> {
    dem.drainage.get().map(|d| match d {
        Ok(d) => serde_json::json!({
            "min_area_km2": DRAINAGE_MIN_AREA_KM2,
            "threshold_cells": d.threshold,
            "segments": d.segments,
            "length_m": d.length_m,
            "voids": d.voids,
        }),
        Err(why) => serde_json::json!({ "error": why }),
    })
}

/// The stream network of `dem`, traced on first use (see [`Drainage`]).
pub fn drainage(dem: &ServedDem) -> Result<Arc<Drainage>, Failure> {
    dem.drainage
        .get_or_init(|| {
            let path = Path::new(&dem.file.path);
            let net = super::streams(
                path,
                terminus_terrain::flow::CellMetric::Ellipsoid,
                None,
                Some(DRAINAGE_MIN_AREA_KM2),
                super::VoidPolicy::Outlet,
            )
            .map_err(|f| f.message)?;
            let mut by_order: std::collections::BTreeMap<u8, Vec<Vec<(f64, f64)>>> =
                Default::default();
            for f in net.geojson["features"].as_array().into_iter().flatten() {
                let order = f["properties"]["order"].as_u64().unwrap_or(1).min(255) as u8;
                let pts: Vec<(f64, f64)> = f["geometry"]["coordinates"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|p| Some((p[0].as_f64()?, p[1].as_f64()?)))
                    .collect();
                by_order.entry(order).or_default().push(pts);
            }
            Ok(Arc::new(Drainage {
                orders: by_order
                    .into_iter()
                    .map(|(o, parts)| (o, TileLine::new(&parts)))
                    .collect(),
                segments: net.segments,
                length_m: net.length_m,
                threshold: net.threshold,
                voids: net.voids.done,
            }))
        })
        .clone()
        .map_err(Failure::failed)
}

/// The base map's terrain tile `z/x/y` of `dem` as MVT 2.1: layer
/// `contours` (lines with `elevation_m` and `index`, at
/// [`contour_interval`], traced by `terminus_terrain::contour` on the
/// DEM's own grid and taken to WGS 84 by the DEM's road) and layer
/// `streams` (the [`drainage`] segments with their Strahler `order`).
/// A picture for the eye, never measured.
pub fn terrain_tile(dem: &ServedDem, z: u32, x: u32, y: u32) -> Result<Vec<u8>, Failure> {
    use terminus_terrain::contour::{contours, levels, Window};
    if z > MAX_ZOOM || x >= 1u32 << z || y >= 1u32 << z {
        return Err(Failure::usage(format!(
            "tile {z}/{x}/{y} does not exist: zoom 0 to {MAX_ZOOM}, x and y from 0 to 2^zoom − 1"
        )));
    }
    let t = tile_bounds(z, x, y);
    let b = dem.bounds;
    if !(t[0] <= b[2] && b[0] <= t[2] && t[1] <= b[3] && b[1] <= t[3]) {
        return Ok(Vec::new());
    }
    let d = &dem.dem;
    let g = &d.georef;
    let road = super::dem_road(d, Path::new(&dem.file.path), None)?;
    // The tile (with an eighth of it around, for strokes across its
    // edges) on the DEM's grid: its outline's points in the DEM's CRS.
    let (mw, mh) = ((t[2] - t[0]) / 8.0, (t[3] - t[1]) / 8.0);
    let (w0, s0, e0, n0) = (t[0] - mw, t[1] - mh, t[2] + mw, t[3] + mh);
    let mut cols = (f64::INFINITY, f64::NEG_INFINITY);
    let mut rows = (f64::INFINITY, f64::NEG_INFINITY);
    for k in 0..=8 {
        let f = f64::from(k) / 8.0;
        for (lon, lat) in [
            (w0 + f * (e0 - w0), s0),
            (w0 + f * (e0 - w0), n0),
            (w0, s0 + f * (n0 - s0)),
            (e0, s0 + f * (n0 - s0)),
        ] {
            if let Ok(p) = road.from_wgs84(terminus_geodesy::LatLon::new(lat, lon)) {
                let c = (p.x - g.x0) / g.dx - 0.5;
                let r = (g.y0 - p.y) / g.dy - 0.5;
                cols = (cols.0.min(c), cols.1.max(c));
                rows = (rows.0.min(r), rows.1.max(r));
            }
        }
    }
    let clamp = |v: f64, hi: usize| v.clamp(0.0, hi as f64) as usize;
    let window = Window {
        c0: clamp(cols.0.floor() - 1.0, d.width - 1),
        r0: clamp(rows.0.floor() - 1.0, d.height - 1),
        c1: clamp(cols.1.ceil() + 1.0, d.width - 1),
        r1: clamp(rows.1.ceil() + 1.0, d.height - 1),
    };
    let cells = (window.c1 + 1 - window.c0) * (window.r1 + 1 - window.r0);
    let mut contour_lines: Vec<(f64, TileLine)> = Vec::new();
    let (cell_w, cell_h, _) = d.cell_size_m((window.r0 + window.r1) / 2);
    let interval = contour_interval(z, cell_w.max(cell_h));
    if cols.0.is_finite() && cells <= CONTOUR_MAX_CELLS {
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for r in window.r0..=window.r1 {
            for c in window.c0..=window.c1 {
                let v = d.get(c, r) as f64;
                if v.is_finite() {
                    lo = lo.min(v);
                    hi = hi.max(v);
                }
            }
        }
        let lv = levels(lo, hi, interval);
        // Each level's lines, (lon, lat) parts.
        type Parts = Vec<Vec<(f64, f64)>>;
        let mut by_level: Vec<(f64, Parts)> = lv.iter().map(|&l| (l, Vec::new())).collect();
        for c in contours(d, window, &lv) {
            let pts: Vec<(f64, f64)> = c
                .points
                .iter()
                .filter_map(|&(x, y)| road.to_wgs84(Xy::new(x, y)).ok())
                .map(|p| (p.lon, p.lat))
                .collect();
            if let Some(slot) = by_level.iter_mut().find(|(l, _)| *l == c.level) {
                slot.1.push(pts);
            }
        }
        contour_lines = by_level
            .into_iter()
            .filter(|(_, parts)| !parts.is_empty())
            .map(|(l, parts)| (l, TileLine::new(&parts)))
            .collect();
    }
    let contour_features: Vec<TileFeature<'_>> = contour_lines
        .iter()
        .enumerate()
        .map(|(i, (level, line))| TileFeature {
            id: i as u64 + 1,
            properties: vec![
                ("elevation_m".into(), TileValue::Int(*level as i64)),
                (
                    "index".into(),
                    TileValue::Bool((level / (interval * INDEX_EVERY)).fract() == 0.0),
                ),
                ("interval_m".into(), TileValue::Int(interval as i64)),
            ],
            line,
            points: false,
        })
        .collect();
    // (A stream network that cannot be traced leaves the contours drawn;
    // `/api/dems` says why.)
    let streams = drainage(dem).ok();
    let stream_features: Vec<TileFeature<'_>> = streams
        .iter()
        .flat_map(|d| d.orders.iter())
        .map(|(order, line)| TileFeature {
            id: u64::from(*order),
            properties: vec![("order".into(), TileValue::Int(i64::from(*order)))],
            line,
            points: false,
        })
        .collect();
    Ok(encode_tile(
        &[("contours", contour_features), ("streams", stream_features)],
        z,
        x,
        y,
    ))
}

/// The line of sight between two pillars (or any two points), as the
/// pillar plan decides `visible_next`: pillar heights 1.5 m unless given,
/// refraction 0.13, the earth's curvature applied. Refused across a void
/// or off the DEM, with the reason.
pub fn profile(
    dem: &ServedDem,
    from: (f64, f64),
    to: (f64, f64),
    heights: (f64, f64),
) -> Result<(terminus_demarcation::los::Sight, SightSettings), Failure> {
    let settings = SightSettings {
        height_from: heights.0,
        height_to: heights.1,
        refraction: 0.13,
        curvature: true,
        step: None,
    };
    let sight = crate::sight::sight(&dem.dem, from, to, &settings)?;
    Ok((sight, settings))
}

#[cfg(test)]
mod from_zoom_tests {
    use super::*;

    #[test]
    fn a_small_dem_has_contours_at_every_zoom_and_a_fine_one_from_where_a_tile_holds_few_enough_cells(
    ) {
        // 600 × 400 cells: under the limit whole.
        assert_eq!(contours_from_zoom([600, 400], [70.0, 39.0, 72.5, 40.67]), 0);
        // A 1″ DEM (0.000278°) of 10° × 10° at 40°N, 36,000 × 36,000
        // cells: at zoom 6 a window spans 7.03° × 5.39° → 25,300 ×
        // 19,400 cells; zoom 8: 1.76° × 1.35° → 6,330 × 4,850 = 30.7M;
        // zoom 9: 0.879° × 0.673° → 3,160 × 2,420 = 7.6M; zoom 10:
        // 0.439° × 0.337° → 1,580 × 1,210 = 1.9M, the first under 4M.
        assert_eq!(
            contours_from_zoom([36_000, 36_000], [70.0, 35.0, 80.0, 45.0]),
            10
        );
    }
}
