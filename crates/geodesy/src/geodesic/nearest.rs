//! The nearest point of a geodesic segment, or of a polyline of geodesic
//! segments, to a given point: geodesic distance-to-line, with the side.

use super::{check, GeodesicError, Gnomonic};
use crate::measure::InverseGeodesic;

/// The point of a segment or polyline nearest to a query point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Nearest {
    /// Latitude of the nearest point, degrees.
    pub lat: f64,
    /// Longitude of the nearest point, degrees.
    pub lon: f64,
    /// Geodesic distance from the query point, metres.
    pub distance: f64,
    /// Index of the segment (0 for a single segment).
    pub segment: usize,
    /// Distance along that segment from its start, metres.
    pub along: f64,
    /// +1 when the query point lies left of the line (seen along its
    /// direction), −1 right, 0 on it.
    pub side: i8,
}

/// Nearest point of the geodesic segment A→B to P (all (lat, lon) degrees).
///
/// Converges to the foot of the geodesic perpendicular from P when it falls
/// inside the segment (the right angle is exact at the gnomonic centre), else
/// to the nearer end. Accuracy: nanometres, as the geodesic solutions.
///
/// ```
/// use terminus_geodesy::{geodesic::{nearest_on_segment, Gnomonic}, Ellipsoid};
/// let g = Gnomonic::new(Ellipsoid::WGS84);
/// // A point 0.01° north of the equator, against a segment along the equator.
/// let n = nearest_on_segment(&g, (0.0, 0.0), (0.0, 1.0), (0.01, 0.5)).unwrap();
/// assert!(n.lat.abs() < 1e-12 && (n.lon - 0.5).abs() < 1e-12);
/// assert!((n.distance - 1105.7427).abs() < 1e-3); // 0.01° of meridian at the equator
/// assert_eq!(n.side, 1);
/// ```
pub fn nearest_on_segment(
    g: &Gnomonic,
    a: (f64, f64),
    b: (f64, f64),
    p: (f64, f64),
) -> Result<Nearest, GeodesicError> {
    for q in [a, b, p] {
        check(q.0, q.1)?;
    }
    let geod = g.geodesic();
    let seg_len: f64 = geod.inverse(a.0, a.1, b.0, b.1);
    let finish = |lat: f64, lon: f64, side: i8| -> Nearest {
        let distance: f64 = geod.inverse(p.0, p.1, lat, lon);
        let along: f64 = geod.inverse(a.0, a.1, lat, lon);
        Nearest {
            lat,
            lon,
            distance,
            segment: 0,
            along,
            side,
        }
    };
    if seg_len == 0.0 {
        return Ok(finish(a.0, a.1, 0));
    }
    // Start at the end nearer to P.
    let (da, db): (f64, f64) = (
        geod.inverse(p.0, p.1, a.0, a.1),
        geod.inverse(p.0, p.1, b.0, b.1),
    );
    let mut c = if da <= db { a } else { b };
    for step in 0..30 {
        let (ax, ay) = g.forward(c.0, c.1, a.0, a.1)?;
        let (bx, by) = g.forward(c.0, c.1, b.0, b.1)?;
        let (px, py) = g.forward(c.0, c.1, p.0, p.1)?;
        let (dx, dy) = (bx - ax, by - ay);
        let len2 = dx * dx + dy * dy;
        let t = (((px - ax) * dx + (py - ay) * dy) / len2).clamp(0.0, 1.0);
        let cross = dx * (py - ay) - dy * (px - ax);
        let side = if cross > 0.0 {
            1
        } else if cross < 0.0 {
            -1
        } else {
            0
        };
        if t == 0.0 {
            return Ok(finish(a.0, a.1, side));
        }
        if t == 1.0 {
            return Ok(finish(b.0, b.1, side));
        }
        let (fx, fy) = (ax + t * dx, ay + t * dy);
        let next = g.reverse(c.0, c.1, fx, fy)?;
        let moved = fx.hypot(fy);
        let settled = next == c;
        c = next;
        // The centre moves by under 10 nm: the foot is found. With P far
        // from a short segment the iteration can hover a few tens of
        // nanometres about the foot (the rounding of P's projection, scaled
        // by the lever of the distance), alternating between two centres:
        // after a few steps, under a micrometre is the foot too — the
        // distance is stationary there, so it is unaffected.
        if moved < 1e-8 || settled || (step >= 5 && moved < 1e-6) {
            return Ok(finish(c.0, c.1, side));
        }
    }
    Err(GeodesicError::NoConvergence)
}

/// Nearest point of a polyline of geodesic segments to P.
pub fn nearest_on_polyline(
    g: &Gnomonic,
    line: &[(f64, f64)],
    p: (f64, f64),
) -> Result<Nearest, GeodesicError> {
    match line {
        [] => Err(GeodesicError::Degenerate("empty polyline")),
        [only] => {
            check(only.0, only.1)?;
            let d: f64 = g.geodesic().inverse(p.0, p.1, only.0, only.1);
            Ok(Nearest {
                lat: only.0,
                lon: only.1,
                distance: d,
                segment: 0,
                along: 0.0,
                side: 0,
            })
        }
        _ => {
            let mut best: Option<Nearest> = None;
            for (i, w) in line.windows(2).enumerate() {
                let mut n = nearest_on_segment(g, w[0], w[1], p)?;
                n.segment = i;
                if best.is_none_or(|b| n.distance < b.distance) {
                    best = Some(n);
                }
            }
            best.ok_or(GeodesicError::Degenerate("empty polyline"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::DirectGeodesic;
    use crate::Ellipsoid;

    /// A short segment seen from 50 km: the iteration used to hover about
    /// the foot at 20 nm and report no convergence. The answer is no
    /// farther than any point of the segment sampled every 10 cm.
    #[test]
    fn far_point_short_segment_converges() {
        let g = Gnomonic::new(Ellipsoid::WGS84);
        let (a, b, p) = (
            (39.47027, 46.52854),
            (39.47373, 46.52615),
            (39.24651337901452, 45.986684506055504),
        );
        let n = nearest_on_segment(&g, a, b, p).unwrap();
        let geod = g.geodesic();
        let (len, azi, _, _): (f64, f64, f64, f64) = geod.inverse(a.0, a.1, b.0, b.1);
        let mut best = f64::INFINITY;
        for k in 0..=(len * 10.0) as usize {
            let (la, lo, _): (f64, f64, f64) = geod.direct(a.0, a.1, azi, k as f64 / 10.0);
            let d: f64 = geod.inverse(p.0, p.1, la, lo);
            best = best.min(d);
        }
        assert!(
            n.distance <= best + 1e-9 && n.distance > best - 1e-3,
            "{} vs sampled {best}",
            n.distance
        );
        assert!(n.along > 0.0 && n.along < len);
    }
}
