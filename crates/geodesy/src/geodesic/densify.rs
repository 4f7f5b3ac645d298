//! Densification of a geodesic segment.

use super::{check, GeodesicError};
use crate::measure::{DirectGeodesic, InverseGeodesic};
use crate::{Geodesic, LatLon};

/// Points along the geodesic A→B, equally spaced at most `spacing` metres
/// apart, A and B included.
///
/// ```
/// use terminus_geodesy::{geodesic::densify_by_spacing, Ellipsoid, LatLon};
/// let g = Ellipsoid::WGS84.geodesic();
/// let (a, b) = (LatLon::new(40.0, 45.0), LatLon::new(40.0, 46.0));
/// let pts = densify_by_spacing(&g, a, b, 10_000.0).unwrap();
/// assert_eq!(pts.len(), 10); // 85.3 km in 9 steps of 9.48 km
/// ```
pub fn densify_by_spacing(
    g: &Geodesic,
    a: LatLon,
    b: LatLon,
    spacing: f64,
) -> Result<Vec<LatLon>, GeodesicError> {
    let (a, b) = (a.tuple(), b.tuple());
    check(a.0, a.1)?;
    check(b.0, b.1)?;
    if !(spacing.is_finite() && spacing > 0.0) {
        return Err(GeodesicError::Degenerate(
            "spacing must be a positive number of metres",
        ));
    }
    let (s12, azi1, _azi2, _a12): (f64, f64, f64, f64) = g.inverse(a.0, a.1, b.0, b.1);
    let n = (s12 / spacing).ceil().max(1.0);
    if n > 1e7 {
        return Err(GeodesicError::Degenerate(
            "more than 10 million points: choose a larger spacing",
        ));
    }
    let n = n as usize;
    let mut out = Vec::with_capacity(n + 1);
    out.push(LatLon::from_pair(a));
    for k in 1..n {
        let (lat, lon): (f64, f64) = g.direct(a.0, a.1, azi1, s12 * k as f64 / n as f64);
        out.push(LatLon::new(lat, lon));
    }
    out.push(LatLon::from_pair(b));
    Ok(out)
}

/// Points along the geodesic A→B such that the straight chord between
/// consecutive points, drawn in longitude/latitude as GIS software draws a
/// segment, departs from the geodesic by at most `tolerance` metres
/// (measured at each piece's midpoint, where the departure of a short arc
/// is largest; pieces are halved until they pass).
pub fn densify_by_tolerance(
    g: &Geodesic,
    a: LatLon,
    b: LatLon,
    tolerance: f64,
) -> Result<Vec<LatLon>, GeodesicError> {
    let (a, b) = (a.tuple(), b.tuple());
    check(a.0, a.1)?;
    check(b.0, b.1)?;
    if !(tolerance.is_finite() && tolerance > 0.0) {
        return Err(GeodesicError::Degenerate(
            "tolerance must be a positive number of metres",
        ));
    }
    let mut out = vec![a];
    let mut count = 0usize;
    split(g, a, b, tolerance, 0, &mut out, &mut count)?;
    Ok(out
        .into_iter()
        .map(|(lat, lon)| LatLon::new(lat, lon))
        .collect())
}

fn split(
    g: &Geodesic,
    a: (f64, f64),
    b: (f64, f64),
    tol: f64,
    depth: usize,
    out: &mut Vec<(f64, f64)>,
    count: &mut usize,
) -> Result<(), GeodesicError> {
    let (s12, azi1, _azi2, _a12): (f64, f64, f64, f64) = g.inverse(a.0, a.1, b.0, b.1);
    let (mlat, mlon): (f64, f64) = g.direct(a.0, a.1, azi1, s12 / 2.0);
    let dlon = ((b.1 - a.1 + 540.0) % 360.0) - 180.0;
    let chord = ((a.0 + b.0) / 2.0, a.1 + dlon / 2.0);
    let dev: f64 = g.inverse(mlat, mlon, chord.0, chord.1);
    if dev <= tol || depth >= 40 {
        out.push(b);
        return Ok(());
    }
    *count += 1;
    if *count > 10_000_000 {
        return Err(GeodesicError::Degenerate(
            "more than 10 million points: choose a larger tolerance",
        ));
    }
    split(g, a, (mlat, mlon), tol, depth + 1, out, count)?;
    split(g, (mlat, mlon), b, tol, depth + 1, out, count)
}
