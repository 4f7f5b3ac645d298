//! Tri-points: where three parties' territories meet across water (a lake
//! shared by three states, a confluence), the point equidistant from all
//! three sides and the three median lines that meet there.
//!
//! Method: the median of the first two sides is traced
//! ([`crate::median_line`]); where the third side's distance falls below
//! theirs along it, the tri-point is solved by Newton's method on
//! (d_A − d_B, d_A − d_C) with each side's nearest feature re-found every
//! step, to 1e-8 m. Each pair's median is then cut there, keeping the part
//! where the third side is farther, so every line starts at the tri-point.
//! Each pair's second side is taken in the orientation that pairs its ends
//! with the first's (median lines run between the sides' end pairs).

use crate::median::{median_line, MedianLine, MedianOptions, MedianVertex, VertexKind};
use crate::side::{BasePoint, Side};
use crate::DelimitationError;
use terminus_geodesy::measure::{DirectGeodesic, InverseGeodesic};
use terminus_plane::frame::Frame;

/// The point equidistant from three sides.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TriPoint {
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// The common geodesic distance, metres.
    pub distance: f64,
    /// The base point on each side, in the order the sides were given.
    pub base: [BasePoint; 3],
}

/// A tri-point and the three median lines that meet there.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TriJunction {
    /// The tri-point.
    pub point: TriPoint,
    /// The lines between sides (0, 1), (1, 2) and (2, 0), each from the
    /// tri-point outward; `base_a`/`base_b` of each vertex refer to the
    /// pair's first and second side.
    pub lines: Vec<((usize, usize), MedianLine)>,
}

/// The tri-point of three sides (indexed in one `frame`) and the lines
/// meeting there. Strict equidistance only: weights other than 1:1 are
/// refused.
pub fn tri_junction(
    frame: &Frame,
    sides: [&Side; 3],
    options: &MedianOptions,
) -> Result<TriJunction, DelimitationError> {
    options.check()?;
    if options.weights.0 != options.weights.1 {
        return Err(DelimitationError::BadParameter(
            "a tri-point is equidistant from all three sides: weights must be 1:1".into(),
        ));
    }
    let geod = frame.gnomonic().geodesic();
    let pairs = [(0usize, 1usize, 2usize), (1, 2, 0), (2, 0, 1)];
    let mut lines = Vec::new();
    let mut point: Option<TriPoint> = None;
    for (i, j, k) in pairs {
        let second = oriented(frame, sides[i], sides[j])?;
        let full = median_line(frame, sides[i], &second, options)?;
        // h = d_third − d_pair along the line: the tri-point where it
        // changes sign.
        let mut h = Vec::with_capacity(full.vertices.len());
        for v in &full.vertices {
            let third = sides[k].nearest(frame, (v.lat, v.lon))?.distance;
            h.push(third - v.base_a[0].distance);
        }
        let Some(cross) =
            (0..h.len().saturating_sub(1)).find(|&n| (h[n] >= 0.0) != (h[n + 1] >= 0.0))
        else {
            return Err(DelimitationError::BadParameter(format!(
                "the median of \"{}\" and \"{}\" never comes nearer to \"{}\" than to them: no tri-point between the three",
                sides[i].name(),
                sides[j].name(),
                sides[k].name()
            )));
        };
        let t = match &point {
            Some(t) => t.clone(),
            None => {
                let (p, q) = (&full.vertices[cross], &full.vertices[cross + 1]);
                let w = h[cross] / (h[cross] - h[cross + 1]);
                let (len, az, _, _): (f64, f64, f64, f64) =
                    geod.inverse(p.lat, p.lon, q.lat, q.lon);
                let (lat, lon): (f64, f64) = geod.direct(p.lat, p.lon, az, w * len);
                let t = solve(frame, sides, (lat, lon), len.max(1.0))?;
                point = Some(t.clone());
                t
            }
        };
        // Keep the part where the third side is farther, from the
        // tri-point outward.
        let mut kept: Vec<MedianVertex> = if h[0] >= 0.0 {
            full.vertices[..=cross].iter().rev().cloned().collect()
        } else {
            full.vertices[cross + 1..].to_vec()
        };
        let (bi, bj) = (t.base[i], t.base[j]);
        kept.insert(
            0,
            MedianVertex {
                lat: t.lat,
                lon: t.lon,
                kind: VertexKind::Start,
                base_a: vec![bi],
                base_b: vec![bj],
            },
        );
        if let Some(last) = kept.last_mut() {
            last.kind = VertexKind::End;
        }
        for v in kept.iter_mut().skip(1) {
            if v.kind == VertexKind::Start {
                v.kind = VertexKind::End;
            }
        }
        lines.push(((i, j), MedianLine::new(geod, kept, full.traced_points)));
    }
    let point = point.ok_or_else(|| DelimitationError::BadParameter("no tri-point".into()))?;
    Ok(TriJunction { point, lines })
}

/// `second`, or `second` reversed, whichever pairs its ends with
/// `first`'s (first with first, last with last) more closely.
fn oriented(frame: &Frame, first: &Side, second: &Side) -> Result<Side, DelimitationError> {
    let geod = frame.gnomonic().geodesic();
    let ends = |s: &Side| {
        let p = s.parts();
        (p[0][0], *p[p.len() - 1].last().unwrap_or(&p[0][0]))
    };
    let d = |x: (f64, f64), y: (f64, f64)| -> f64 { geod.inverse(x.0, x.1, y.0, y.1) };
    let (f0, f1) = ends(first);
    let (s0, s1) = ends(second);
    let parts: Vec<Vec<(f64, f64)>> = if d(f0, s0) + d(f1, s1) <= d(f0, s1) + d(f1, s0) {
        second.parts().to_vec()
    } else {
        second
            .parts()
            .iter()
            .rev()
            .map(|p| p.iter().rev().copied().collect())
            .collect()
    };
    Side::new(second.name(), parts, frame)
}

/// Newton's method on (d_0 − d_1, d_0 − d_2) from `x`, moving at most
/// `reach` metres.
fn solve(
    frame: &Frame,
    sides: [&Side; 3],
    mut x: (f64, f64),
    reach: f64,
) -> Result<TriPoint, DelimitationError> {
    let geod = frame.gnomonic().geodesic();
    let start = x;
    for _ in 0..60 {
        let b = [
            sides[0].nearest(frame, x)?,
            sides[1].nearest(frame, x)?,
            sides[2].nearest(frame, x)?,
        ];
        // Unit vectors (east, north) away from each base point.
        let u = b.map(|p| {
            let (_, _, az, _): (f64, f64, f64, f64) = geod.inverse(p.lat, p.lon, x.0, x.1);
            let (s, c) = az.to_radians().sin_cos();
            (s, c)
        });
        let g1 = b[0].distance - b[1].distance;
        let g2 = b[0].distance - b[2].distance;
        if g1.abs() < 1e-8 && g2.abs() < 1e-8 {
            return Ok(TriPoint {
                lat: x.0,
                lon: x.1,
                distance: (b[0].distance + b[1].distance + b[2].distance) / 3.0,
                base: b,
            });
        }
        let r1 = (u[0].0 - u[1].0, u[0].1 - u[1].1);
        let r2 = (u[0].0 - u[2].0, u[0].1 - u[2].1);
        let det = r1.0 * r2.1 - r1.1 * r2.0;
        if det.abs() < 1e-12 {
            break;
        }
        let de = (-g1 * r2.1 + g2 * r1.1) / det;
        let dn = (-g2 * r1.0 + g1 * r2.0) / det;
        let step = de.hypot(dn);
        let az = de.atan2(dn).to_degrees();
        let (lat, lon): (f64, f64) = geod.direct(x.0, x.1, az, step);
        x = (lat, lon);
        let moved: f64 = geod.inverse(start.0, start.1, x.0, x.1);
        if moved > 10.0 * reach {
            break;
        }
    }
    Err(DelimitationError::NoConvergence {
        lat: start.0,
        lon: start.1,
        why: "no point equidistant from all three sides nearby".into(),
    })
}
