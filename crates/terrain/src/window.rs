//! Mosaics of several DEM tiles into one grid, and windows (clips) of a
//! DEM — a bounding box, or a corridor around a line so that work stays
//! proportional to the border, not the country.

use crate::dem::{Dem, Georef};
use crate::TerrainError;

/// Join tiles on the same grid (same CRS and cell size, aligned origins)
/// into one DEM covering them all; where tiles overlap (SRTM tiles share
/// their edge rows), the first valid value wins. Cells no tile covers are
/// nodata.
pub fn mosaic(tiles: &[Dem]) -> Result<Dem, TerrainError> {
    let first = tiles
        .first()
        .ok_or(TerrainError::Mosaic("no tiles to mosaic".into()))?;
    let g0 = &first.georef;
    let (mut w, mut n, mut e, mut s) = (
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
    );
    for (k, t) in tiles.iter().enumerate() {
        let g = &t.georef;
        if g.crs != g0.crs {
            return Err(TerrainError::Mosaic(format!(
                "tile {k} is in {}, tile 0 in {}",
                g.crs.id(),
                g0.crs.id()
            )));
        }
        if (g.dx - g0.dx).abs() > 1e-9 * g0.dx || (g.dy - g0.dy).abs() > 1e-9 * g0.dy {
            return Err(TerrainError::Mosaic(format!(
                "tile {k} has cells of {} × {}, tile 0 of {} × {}: resample first",
                g.dx, g.dy, g0.dx, g0.dy
            )));
        }
        let off = |a: f64, b: f64, d: f64| {
            let k = (a - b) / d;
            (k - k.round()).abs()
        };
        if off(g.x0, g0.x0, g0.dx) > 1e-6 || off(g.y0, g0.y0, g0.dy) > 1e-6 {
            return Err(TerrainError::Mosaic(format!(
                "tile {k} is not aligned with tile 0's grid"
            )));
        }
        w = w.min(g.x0);
        n = n.max(g.y0);
        e = e.max(g.x0 + t.width as f64 * g.dx);
        s = s.min(g.y0 - t.height as f64 * g.dy);
    }
    let width = ((e - w) / g0.dx).round() as usize;
    let height = ((n - s) / g0.dy).round() as usize;
    let georef = Georef {
        x0: w,
        y0: n,
        ..g0.clone()
    };
    let mut out = Dem::empty(width, height, georef, first.sample, first.nodata);
    for t in tiles {
        let c0 = ((t.georef.x0 - w) / g0.dx).round() as usize;
        let r0 = ((n - t.georef.y0) / g0.dy).round() as usize;
        for r in 0..t.height {
            for c in 0..t.width {
                let i = (r0 + r) * width + c0 + c;
                if out.data[i].is_nan() {
                    out.data[i] = t.get(c, r);
                }
            }
        }
    }
    Ok(out)
}

/// The part of `dem` inside the box (west, south, east, north) in its CRS,
/// whole cells (any cell the box touches).
pub fn clip_box(
    dem: &Dem,
    west: f64,
    south: f64,
    east: f64,
    north: f64,
) -> Result<Dem, TerrainError> {
    let g = &dem.georef;
    let c0 = (((west - g.x0) / g.dx).floor().max(0.0)) as usize;
    let c1 = (((east - g.x0) / g.dx).ceil().min(dem.width as f64)) as usize;
    let r0 = (((g.y0 - north) / g.dy).floor().max(0.0)) as usize;
    let r1 = (((g.y0 - south) / g.dy).ceil().min(dem.height as f64)) as usize;
    if c0 >= c1 || r0 >= r1 {
        return Err(TerrainError::OutsideDem(format!(
            "the box {west}, {south} – {east}, {north} does not overlap the DEM ({} – {}, {} – {})",
            g.x0,
            g.x0 + dem.width as f64 * g.dx,
            g.y0 - dem.height as f64 * g.dy,
            g.y0
        )));
    }
    let georef = Georef {
        x0: g.x0 + c0 as f64 * g.dx,
        y0: g.y0 - r0 as f64 * g.dy,
        ..g.clone()
    };
    let mut out = Dem::empty(c1 - c0, r1 - r0, georef, dem.sample, dem.nodata);
    for r in r0..r1 {
        let src = &dem.data[r * dem.width + c0..r * dem.width + c1];
        out.data[(r - r0) * (c1 - c0)..(r - r0 + 1) * (c1 - c0)].copy_from_slice(src);
    }
    Ok(out)
}

/// The corridor of `distance` metres either side of a line (pieces of
/// (lat, lon) on WGS 84): the DEM clipped to the corridor's box and every
/// cell whose centre lies farther than `distance` from the line (geodesic
/// distance to its nearest point) set to nodata. `to_wgs84` maps the DEM's
/// (x, y) to (lat, lon) and `from_wgs84` back (identity for a WGS 84 DEM).
/// Cells are decided by planar distance bounds in a local gnomonic frame
/// and, where those cannot decide, solved on the ellipsoid.
pub fn corridor(
    dem: &Dem,
    line: &[Vec<(f64, f64)>],
    distance: f64,
    to_wgs84: &(dyn Fn(f64, f64) -> Option<(f64, f64)> + Sync),
    from_wgs84: &dyn Fn(f64, f64) -> Option<(f64, f64)>,
) -> Result<(Dem, usize), TerrainError> {
    use terminus_geodesy::measure::DirectGeodesic;
    if !(distance.is_finite() && distance > 0.0 && distance < 1e6) {
        return Err(TerrainError::OutsideDem(format!(
            "corridor half-width {distance} m: give a positive distance under 1,000 km"
        )));
    }
    let pts: Vec<(f64, f64)> = line.iter().flatten().copied().collect();
    if pts.len() < 2 {
        return Err(TerrainError::OutsideDem(
            "the corridor's line has fewer than two vertices".into(),
        ));
    }
    let e = terminus_geodesy::Ellipsoid::WGS84;
    let g = e.geodesic();
    // The corridor's box: every vertex pushed `distance` in the four directions.
    let (mut w, mut s, mut east, mut n) = (
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    );
    for &(lat, lon) in &pts {
        for azi in [0.0, 90.0, 180.0, 270.0] {
            let (la, lo, _): (f64, f64, f64) = g.direct(lat, lon, azi, distance * 1.01);
            for (x, y) in [from_wgs84(la, lo), from_wgs84(lat, lon)]
                .into_iter()
                .flatten()
            {
                w = w.min(x);
                east = east.max(x);
                s = s.min(y);
                n = n.max(y);
            }
        }
    }
    let mut out = clip_box(dem, w, s, east, n)?;
    let inside = corridor_mask(&out, line, distance, to_wgs84)?;
    let mut kept = 0;
    for (v, keep) in out.data.iter_mut().zip(inside) {
        if !keep {
            *v = f32::NAN;
        } else if !v.is_nan() {
            kept += 1;
        }
    }
    Ok((out, kept))
}

/// Which cells of `dem` lie within `distance` metres (geodesic) of the
/// line (pieces of (lat, lon) on WGS 84); `to_wgs84` maps the DEM's (x, y)
/// to (lat, lon). Decided as in [`corridor`], without clipping.
pub fn corridor_mask(
    dem: &Dem,
    line: &[Vec<(f64, f64)>],
    distance: f64,
    to_wgs84: &(dyn Fn(f64, f64) -> Option<(f64, f64)> + Sync),
) -> Result<Vec<bool>, TerrainError> {
    use terminus_plane::frame::Frame;
    use terminus_plane::index::SegmentIndex;
    let pts: Vec<(f64, f64)> = line.iter().flatten().copied().collect();
    if pts.len() < 2 || !(distance.is_finite() && distance > 0.0) {
        return Err(TerrainError::OutsideDem(
            "a corridor needs a line of two or more vertices and a positive width".into(),
        ));
    }
    let frame = Frame::around(terminus_geodesy::Ellipsoid::WGS84, pts.iter())
        .map_err(|e| TerrainError::OutsideDem(e.to_string()))?;
    let pieces: Vec<terminus_plane::index::Piece> = line
        .iter()
        .filter(|p| p.len() >= 2)
        .map(|p| {
            Ok((
                p.clone(),
                frame
                    .xys(p)
                    .map_err(|e| TerrainError::OutsideDem(e.to_string()))?,
            ))
        })
        .collect::<Result<_, TerrainError>>()?;
    let index = SegmentIndex::from_pieces(&pieces);
    let radius = frame.radius();
    use rayon::prelude::*;
    let g = &dem.georef;
    Ok((0..dem.width * dem.height)
        .into_par_iter()
        .map(|i| {
            let (x, y) = g.center(i % dem.width, i / dem.width);
            let Some((lat, lon)) = to_wgs84(x, y) else {
                return false;
            };
            let Ok(p) = frame.xy((lat, lon)) else {
                return false;
            };
            let (lo, hi) = index.bounds(radius, p);
            if hi <= distance {
                return true;
            }
            if lo > distance {
                return false;
            }
            index
                .closest(&frame, radius, (lat, lon), p)
                .is_some_and(|c| c.distance <= distance)
        })
        .collect())
}
