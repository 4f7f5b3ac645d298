//! The intersection of two geodesic segments.

use super::{check, GeodesicError, Gnomonic};
use crate::measure::InverseGeodesic;

/// Where two geodesics cross.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SegmentIntersection {
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Distance from the first segment's start, metres (negative: before it).
    pub along_first: f64,
    /// Distance from the second segment's start, metres.
    pub along_second: f64,
    /// Whether the crossing lies within both segments.
    pub within_both: bool,
}

/// The crossing of the geodesics through A1→B1 and A2→B2 nearest to them,
/// by gnomonic iteration (Karney 2013, §8): at convergence both geodesics
/// pass through the projection's centre, where they are exactly straight, so
/// the planar intersection there is the ellipsoidal one. `None` when the
/// geodesics are parallel in the projection (no crossing nearby).
///
/// ```
/// use terminus_geodesy::{geodesic::{intersect_segments, Gnomonic}, Ellipsoid};
/// let g = Gnomonic::new(Ellipsoid::WGS84);
/// // The equator and the meridian of 0.5°E cross at (0, 0.5).
/// let x = intersect_segments(&g, (0.0, 0.0), (0.0, 1.0), (-1.0, 0.5), (1.0, 0.5)).unwrap().unwrap();
/// assert!(x.lat.abs() < 1e-12 && (x.lon - 0.5).abs() < 1e-12 && x.within_both);
/// ```
pub fn intersect_segments(
    g: &Gnomonic,
    a1: (f64, f64),
    b1: (f64, f64),
    a2: (f64, f64),
    b2: (f64, f64),
) -> Result<Option<SegmentIntersection>, GeodesicError> {
    for q in [a1, b1, a2, b2] {
        check(q.0, q.1)?;
    }
    let geod = g.geodesic();
    let (l1, l2): (f64, f64) = (
        geod.inverse(a1.0, a1.1, b1.0, b1.1),
        geod.inverse(a2.0, a2.1, b2.0, b2.1),
    );
    if l1 == 0.0 || l2 == 0.0 {
        return Err(GeodesicError::Degenerate(
            "a segment of zero length has no direction",
        ));
    }
    let mut c = a1;
    for _ in 0..30 {
        let p = |q: (f64, f64)| g.forward(c.0, c.1, q.0, q.1);
        let ((x1, y1), (x2, y2), (x3, y3), (x4, y4)) = (p(a1)?, p(b1)?, p(a2)?, p(b2)?);
        let den = (x1 - x2) * (y3 - y4) - (y1 - y2) * (x3 - x4);
        if den == 0.0 || !den.is_finite() {
            return Ok(None);
        }
        let t = ((x1 - x3) * (y3 - y4) - (y1 - y3) * (x3 - x4)) / den;
        let (fx, fy) = (x1 + t * (x2 - x1), y1 + t * (y2 - y1));
        let next = g.reverse(c.0, c.1, fx, fy)?;
        let moved = fx.hypot(fy);
        let settled = next == c;
        c = next;
        // Converged once the planar solution is within 10 nm of the centre:
        // the iteration then hovers at the nanometre of f64 rounding.
        if moved < 1e-8 || settled {
            // Signed distances along each segment, from the gnomonic frame at c.
            let along = |a: (f64, f64), b: (f64, f64)| -> Result<f64, GeodesicError> {
                let (ax, ay) = g.forward(c.0, c.1, a.0, a.1)?;
                let (bx, by) = g.forward(c.0, c.1, b.0, b.1)?;
                let d: f64 = geod.inverse(a.0, a.1, c.0, c.1);
                // c is at the origin: it lies before A if the origin is behind A along A→B.
                let behind = (0.0 - ax) * (bx - ax) + (0.0 - ay) * (by - ay) < 0.0;
                Ok(if behind { -d } else { d })
            };
            let s1 = along(a1, b1)?;
            let s2 = along(a2, b2)?;
            let tol = 1e-9;
            let within_both = s1 >= -tol && s1 <= l1 + tol && s2 >= -tol && s2 <= l2 + tol;
            return Ok(Some(SegmentIntersection {
                lat: c.0,
                lon: c.1,
                along_first: s1,
                along_second: s2,
                within_both,
            }));
        }
    }
    Err(GeodesicError::NoConvergence)
}
