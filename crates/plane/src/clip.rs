//! A line clipped to polygons (a corridor, a section's area).
//!
//! In the gnomonic frame geodesics are straight lines, so where a line's
//! geodesic segment crosses a polygon's geodesic edge is where their
//! images cross on the plane: the cut points are found there and mapped
//! back, exact to the frame's rounding (nanometres over a few hundred
//! kilometres). What lies between two cuts is inside or outside as its
//! midpoint is (crossing number on the plane, exact for geodesic rings).

use crate::frame::{Frame, Xy};
use crate::ring::in_polygon;
use crate::{LatLon, PlaneError};

/// The runs of `line` ((lat, lon)) inside any of `polygons` (each its
/// rings of (lat, lon): the outer ring, then holes), in order along the
/// line: its own vertices inside, and a vertex where each run enters or
/// leaves.
///
/// ```
/// use terminus_geodesy::Ellipsoid;
/// use terminus_plane::clip::clip_to_polygons;
/// use terminus_plane::frame::Frame;
/// // The equator from 0°E to 2°E through a square from 0.5°E to 1.5°E:
/// // one run, entering and leaving on the square's meridian edges.
/// let line = [(0.0, 0.0), (0.0, 2.0)];
/// let square = vec![vec![(-1.0, 0.5), (-1.0, 1.5), (1.0, 1.5), (1.0, 0.5), (-1.0, 0.5)]];
/// let frame = Frame::around(Ellipsoid::WGS84, line.iter()).unwrap();
/// let runs = clip_to_polygons(&frame, &line, &[square]).unwrap();
/// assert_eq!(runs.len(), 1);
/// assert!(runs[0][0].0.abs() < 1e-9 && (runs[0][0].1 - 0.5).abs() < 1e-9);
/// assert!((runs[0][1].1 - 1.5).abs() < 1e-9);
/// ```
pub fn clip_to_polygons(
    frame: &Frame,
    line: &[LatLon],
    polygons: &[Vec<Vec<LatLon>>],
) -> Result<Vec<Vec<LatLon>>, PlaneError> {
    let xy = frame.xys(line)?;
    let mut rings: Vec<Vec<Vec<Xy>>> = Vec::with_capacity(polygons.len());
    for p in polygons {
        rings.push(p.iter().map(|r| frame.xys(r)).collect::<Result<_, _>>()?);
    }
    let inside = |p: Xy| rings.iter().any(|r| in_polygon(p, r));
    let mut runs: Vec<Vec<LatLon>> = Vec::new();
    let mut run: Vec<LatLon> = Vec::new();
    if let (Some(&first), Some(&p0)) = (line.first(), xy.first()) {
        if inside(p0) {
            run.push(first);
        }
    }
    for i in 1..xy.len() {
        let (p, q) = (xy[i - 1], xy[i]);
        // Where this segment crosses any ring's edge, along it.
        let mut cuts: Vec<f64> = Vec::new();
        for ring in rings.iter().flatten() {
            for w in ring.windows(2) {
                if let Some(t) = crossing(p, q, w[0], w[1]) {
                    cuts.push(t);
                }
            }
        }
        cuts.sort_by(f64::total_cmp);
        cuts.dedup_by(|a, b| (*a - *b).abs() < 1e-15);
        let at = |t: f64| -> Xy { [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])] };
        let mut from = 0.0;
        for t in cuts.into_iter().chain([1.0]) {
            if t <= from {
                continue;
            }
            let is_in = inside(at(0.5 * (from + t)));
            let end = if t >= 1.0 {
                line[i]
            } else {
                frame.latlon(at(t))
            };
            if is_in {
                if run.is_empty() {
                    run.push(if from <= 0.0 {
                        line[i - 1]
                    } else {
                        frame.latlon(at(from))
                    });
                }
                run.push(end);
            } else if !run.is_empty() {
                runs.push(std::mem::take(&mut run));
            }
            from = t;
        }
    }
    if run.len() >= 2 {
        runs.push(run);
    }
    runs.retain(|r| r.len() >= 2);
    Ok(runs)
}

/// Where segment p→q crosses segment a→b, as a fraction of p→q (strictly
/// inside it, ends touching included on a→b), if they cross at one point.
fn crossing(p: Xy, q: Xy, a: Xy, b: Xy) -> Option<f64> {
    let r = [q[0] - p[0], q[1] - p[1]];
    let s = [b[0] - a[0], b[1] - a[1]];
    let den = r[0] * s[1] - r[1] * s[0];
    if den == 0.0 {
        return None;
    }
    let ap = [a[0] - p[0], a[1] - p[1]];
    let t = (ap[0] * s[1] - ap[1] * s[0]) / den;
    let u = (ap[0] * r[1] - ap[1] * r[0]) / den;
    (t > 0.0 && t < 1.0 && (0.0..=1.0).contains(&u)).then_some(t)
}
