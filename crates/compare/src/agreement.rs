//! Agreement: the stretches of one line that lie within a tolerance of
//! another, measured as the geodesic distance to the other line's nearest
//! point.
//!
//! Each segment is sampled at most a quarter of the tolerance apart (in
//! the plane, which overstates ground distance, so on the ground they are
//! closer still). A sample is decided by the planar distance bounds where
//! they suffice and solved on the ellipsoid where they do not; a stretch
//! begins and ends where the exact distance equals the tolerance, found by
//! bisection to 1 mm. The distance to a line changes by at most the
//! distance moved, so between samples it can exceed the tolerance by at
//! most an eighth of it.

use crate::discrepancy::PreparedLine;
use crate::frame::{Frame, Xy};
use crate::index::SegmentIndex;
use crate::LatLon;
use serde::Serialize;
use terminus_geodesy::measure::path_length_with;

/// A stretch of one line within tolerance of another.
#[derive(Debug, Clone, Serialize)]
pub struct Stretch {
    /// The line it is a stretch of.
    pub line: String,
    /// The line it agrees with.
    pub other: String,
    /// Which piece of `line`.
    pub piece: usize,
    /// Its vertices, (lat, lon).
    pub points: Vec<LatLon>,
    /// Geodesic length, metres.
    pub length_m: f64,
}

/// Whether the point `p` (image) / `ll` lies within `tol` of `other`.
fn within(
    frame: &Frame,
    radius: f64,
    other: &SegmentIndex,
    p: Xy,
    ll: Option<LatLon>,
    tol: f64,
) -> bool {
    let (lo, hi) = other.bounds(radius, p);
    if hi <= tol {
        return true;
    }
    if lo > tol {
        return false;
    }
    let ll = ll.unwrap_or_else(|| frame.latlon(p));
    other
        .closest(frame, radius, ll, p)
        .is_some_and(|c| c.distance <= tol)
}

/// The agreed stretches of `line` against `other`, and their total length.
pub(crate) fn stretches(
    frame: &Frame,
    radius: f64,
    line: &PreparedLine,
    other_name: &str,
    other: &SegmentIndex,
    tol: f64,
) -> (Vec<Stretch>, f64) {
    let g = frame.gnomonic().geodesic();
    let step = tol / 4.0;
    let mut out = Vec::new();
    let mut total = 0.0;
    for (piece, (ll, xy)) in line.pieces.iter().enumerate() {
        // Samples: (image, position when it is a vertex).
        let mut samples: Vec<(Xy, Option<LatLon>)> = Vec::with_capacity(xy.len());
        for i in 0..xy.len() {
            samples.push((xy[i], Some(ll[i])));
            if i + 1 < xy.len() {
                let (a, b) = (xy[i], xy[i + 1]);
                let len = (b[0] - a[0]).hypot(b[1] - a[1]);
                let n = (len / step).ceil() as usize;
                for k in 1..n {
                    let t = k as f64 / n as f64;
                    samples.push(([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])], None));
                }
            }
        }
        let flags: Vec<bool> = {
            use rayon::prelude::*;
            samples
                .par_iter()
                .map(|&(p, l)| within(frame, radius, other, p, l, tol))
                .collect()
        };
        // Runs of agreed samples, with their ends bisected.
        let mut k = 0;
        while k < samples.len() {
            if !flags[k] {
                k += 1;
                continue;
            }
            let start = k;
            while k + 1 < samples.len() && flags[k + 1] {
                k += 1;
            }
            let end = k;
            let mut pts: Vec<LatLon> = Vec::new();
            if start > 0 {
                let p = bisect(
                    frame,
                    radius,
                    other,
                    tol,
                    samples[start - 1].0,
                    samples[start].0,
                );
                pts.push(frame.latlon(p));
            }
            for s in &samples[start..=end] {
                if let Some(l) = s.1 {
                    pts.push(l);
                } else if s.0 == samples[start].0 || s.0 == samples[end].0 {
                    pts.push(frame.latlon(s.0));
                }
            }
            if end + 1 < samples.len() {
                let p = bisect(
                    frame,
                    radius,
                    other,
                    tol,
                    samples[end + 1].0,
                    samples[end].0,
                );
                pts.push(frame.latlon(p));
            }
            pts.dedup();
            if pts.len() >= 2 {
                let length_m = path_length_with(g, pts.iter().map(|&(la, lo)| (lo, la)));
                total += length_m;
                out.push(Stretch {
                    line: line.name.clone(),
                    other: other_name.to_string(),
                    piece,
                    points: pts,
                    length_m,
                });
            }
            k += 1;
        }
    }
    (out, total)
}

/// The point between `out` (beyond tolerance) and `inn` (within) where
/// the distance equals the tolerance, to 1 mm.
fn bisect(frame: &Frame, radius: f64, other: &SegmentIndex, tol: f64, out: Xy, inn: Xy) -> Xy {
    let (mut a, mut b) = (out, inn);
    for _ in 0..40 {
        if (a[0] - b[0]).hypot(a[1] - b[1]) < 1e-3 {
            break;
        }
        let m = [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0];
        if within(frame, radius, other, m, None, tol) {
            b = m;
        } else {
            a = m;
        }
    }
    b
}
