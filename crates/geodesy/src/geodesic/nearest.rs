//! The nearest point of a geodesic segment, or of a polyline of geodesic
//! segments, to a given point: geodesic distance-to-line, with the side.

use super::{check, GeodesicError, Gnomonic};
use crate::measure::InverseGeodesic;
use crate::LatLon;

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

/// Nearest point of the geodesic segment A→B to P.
///
/// Converges to the foot of the geodesic perpendicular from P when it falls
/// inside the segment (the right angle is exact at the gnomonic centre), else
/// to the nearer end. Accuracy: nanometres, as the geodesic solutions.
///
/// ```
/// use terminus_geodesy::{geodesic::{nearest_on_segment, Gnomonic}, Ellipsoid, LatLon};
/// let g = Gnomonic::new(Ellipsoid::WGS84);
/// // A point 0.01° north of the equator, against a segment along the equator.
/// let (a, b) = (LatLon::new(0.0, 0.0), LatLon::new(0.0, 1.0));
/// let n = nearest_on_segment(&g, a, b, LatLon::new(0.01, 0.5)).unwrap();
/// assert!(n.lat.abs() < 1e-12 && (n.lon - 0.5).abs() < 1e-12);
/// assert!((n.distance - 1105.7427).abs() < 1e-3); // 0.01° of meridian at the equator
/// assert_eq!(n.side, 1);
/// ```
pub fn nearest_on_segment(
    g: &Gnomonic,
    a: crate::LatLon,
    b: crate::LatLon,
    p: crate::LatLon,
) -> Result<Nearest, GeodesicError> {
    let (a, b, p) = (a.tuple(), b.tuple(), p.tuple());
    for q in [a, b, p] {
        check(q.0, q.1)?;
    }
    let geod = g.geodesic();
    let (seg_len, azi1, azi2, _): (f64, f64, f64, f64) = geod.inverse(a.0, a.1, b.0, b.1);
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
    if let Some(n) = along_track(geod, (a, azi1), (b, azi2), seg_len, p) {
        return Ok(n);
    }
    by_gnomonic(g, a, b, p)
}

/// The same foot by Karney's gnomonic iteration (Karney 2013, §8: the
/// perpendicular is exact at the projection's centre, moved to the foot
/// each step): slower, the fallback of [`along_track`].
fn by_gnomonic(
    g: &Gnomonic,
    a: (f64, f64),
    b: (f64, f64),
    p: (f64, f64),
) -> Result<Nearest, GeodesicError> {
    let geod = g.geodesic();
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

/// The foot of the perpendicular from `p` on the geodesic from `a` at
/// azimuth `azi1`, clamped to its first `len` metres, by Newton steps along
/// the line: at the current point F the along-track offset of P follows
/// from the right spherical triangle F–P–foot, tan Δs/R = tan(d/R)·cos α (α
/// the angle at F between the line and the geodesic to P), and the
/// ellipsoidal solutions are recomputed at F + Δs (Baselga and
/// Martínez-Llario 2018, "Intersection and point-to-line solutions for
/// geodesics on the ellipsoid", Stud. Geophys. Geod. 62, 353–363). The
/// fixed point α = 90° is exact whatever R; R (the authalic radius) only
/// sets the rate, linear with ratio ~f for distances well under R.
/// `None` if it has not settled (to 1 nm + 1e-12 of the distance) in 20 steps (the caller then
/// falls back to the gnomonic iteration).
fn along_track(
    geod: &crate::Geodesic,
    (a, azi1): ((f64, f64), f64),
    (b, azi2): ((f64, f64), f64),
    len: f64,
    p: (f64, f64),
) -> Option<Nearest> {
    use geographiclib_rs::geodesic_capability as caps;
    const R: f64 = 6_371_007.2;
    let mask = caps::LATITUDE | caps::LONGITUDE | caps::AZIMUTH | caps::DISTANCE_IN;
    let line = geographiclib_rs::GeodesicLine::new(geod, a.0, a.1, azi1, Some(mask), None, None);
    let (mut s, mut f, mut az_line) = (0.0, a, azi1);
    // Each end may be reached once by clamping; pushed outward again
    // there, that end is the nearest point.
    let mut clamped_at: Option<f64> = None;
    for _ in 0..20 {
        let (d, az_p, _, _): (f64, f64, f64, f64) = geod.inverse(f.0, f.1, p.0, p.1);
        let (sin_a, cos_a) = (az_p - az_line).to_radians().sin_cos();
        let side = if d == 0.0 {
            0
        } else if sin_a < 0.0 {
            1
        } else if sin_a > 0.0 {
            -1
        } else {
            0
        };
        let ds = R * ((d / R).tan() * cos_a).atan();
        let next = (s + ds).clamp(0.0, len);
        // Azimuths carry ~1e-13 rad of rounding: Δs settles at ~1e-13·d.
        let settled = (next - s).abs() < 1e-9 + 1e-12 * d || d < 1e-9;
        if settled || clamped_at == Some(next) && next == s {
            return Some(Nearest {
                lat: f.0,
                lon: f.1,
                distance: d,
                segment: 0,
                along: s,
                side,
            });
        }
        if next == 0.0 || next == len {
            clamped_at = Some(next);
        }
        s = next;
        // The ends exactly, not the line's rendering of them.
        (f, az_line) = if s == 0.0 {
            (a, azi1)
        } else if s == len {
            (b, azi2)
        } else {
            let (_, lat, lon, az, ..) = line._gen_position(false, s, mask);
            ((lat, lon), az)
        };
    }
    None
}

/// Nearest point of a polyline of geodesic segments to P.
pub fn nearest_on_polyline(
    g: &Gnomonic,
    line: &[LatLon],
    p: LatLon,
) -> Result<Nearest, GeodesicError> {
    match line {
        [] => Err(GeodesicError::Degenerate("empty polyline")),
        [only] => {
            check(only.lat, only.lon)?;
            let d: f64 = g.geodesic().inverse(p.lat, p.lon, only.lat, only.lon);
            Ok(Nearest {
                lat: only.lat,
                lon: only.lon,
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
        let n = nearest_on_segment(
            &g,
            crate::LatLon::from_pair(a),
            crate::LatLon::from_pair(b),
            crate::LatLon::from_pair(p),
        )
        .unwrap();
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

#[cfg(test)]
mod along_track_tests {
    use super::*;
    use crate::measure::DirectGeodesic;
    use crate::Ellipsoid;

    /// The Newton steps along the line and the gnomonic iteration are two
    /// methods for one foot: on 3,000 random segments (1 m–100 km, all
    /// latitudes to ±80°) and points up to 50 km away they agree.
    #[test]
    fn along_track_agrees_with_the_gnomonic_iteration() {
        let g = Gnomonic::new(Ellipsoid::WGS84);
        let geod = g.geodesic();
        let mut seed: u64 = 7;
        let mut rnd = move || {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut interior = 0;
        for _ in 0..3000 {
            let a = (160.0 * rnd() - 80.0, 360.0 * rnd() - 180.0);
            let len = 10f64.powf(5.0 * rnd());
            let (blat, blon): (f64, f64) = geod.direct(a.0, a.1, 360.0 * rnd(), len);
            let (plat, plon): (f64, f64) = geod.direct(a.0, a.1, 360.0 * rnd(), 50_000.0 * rnd());
            let (b, p) = ((blat, blon), (plat, plon));
            let (_, azi1, azi2, _): (f64, f64, f64, f64) = geod.inverse(a.0, a.1, b.0, b.1);
            let fast = along_track(geod, (a, azi1), (b, azi2), len, p).expect("settles");
            let slow = by_gnomonic(&g, a, b, p).unwrap();
            let apart: f64 = geod.inverse(fast.lat, fast.lon, slow.lat, slow.lon);
            assert!(
                (fast.distance - slow.distance).abs() < 1e-8 && apart < 1e-5,
                "{a:?} {b:?} {p:?}: {fast:?} vs {slow:?}"
            );
            assert!((fast.along - slow.along).abs() < 1e-5);
            if fast.distance > 1.0 {
                assert_eq!(fast.side, slow.side);
            }
            if fast.along > 0.0 && fast.along < len {
                interior += 1;
            }
        }
        // Both kinds of answer are exercised.
        assert!(interior > 150 && interior < 2850, "{interior}");
    }
}
