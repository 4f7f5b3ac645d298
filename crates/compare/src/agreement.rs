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

use crate::chain::Chain;
use crate::discrepancy::PreparedLine;
use crate::frame::{Frame, Xy};
use crate::index::SegmentIndex;
use crate::LatLon;
use serde::Serialize;
use terminus_geodesy::measure::InverseGeodesic;

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
    use rayon::prelude::*;
    let g = frame.gnomonic().geodesic();
    let step = tol / 4.0;
    let mut out = Vec::new();
    let mut total = 0.0;
    for (piece, (ll, xy)) in line.pieces.iter().enumerate() {
        let chain = Chain::new(xy.clone(), ll.clone());
        let at: Vec<f64> = chain.samples(step);
        let flags: Vec<bool> = at
            .par_iter()
            .map(|&s| within(frame, radius, other, chain.at(s), None, tol))
            .collect();
        // Runs of agreed samples, their ends bisected along the chain.
        let mut k = 0;
        while k < at.len() {
            if !flags[k] {
                k += 1;
                continue;
            }
            let start = k;
            while k + 1 < at.len() && flags[k + 1] {
                k += 1;
            }
            let end = k;
            let s0 = if start > 0 {
                bisect(frame, radius, other, tol, &chain, at[start - 1], at[start])
            } else {
                0.0
            };
            let s1 = if end + 1 < at.len() {
                bisect(frame, radius, other, tol, &chain, at[end + 1], at[end])
            } else {
                chain.length()
            };
            let mut pts: Vec<LatLon> = vec![if s0 == 0.0 {
                ll[0]
            } else {
                frame.latlon(chain.at(s0))
            }];
            let first = chain.cum.partition_point(|&c| c <= s0);
            let last = chain.cum.partition_point(|&c| c < s1);
            pts.extend_from_slice(&ll[first..last.max(first)]);
            pts.push(if s1 >= chain.length() {
                ll[ll.len() - 1]
            } else {
                frame.latlon(chain.at(s1))
            });
            pts.dedup();
            if pts.len() >= 2 {
                // The line's own vertices between the ends: their edges'
                // geodesic lengths are known already (the area terms);
                // only the two end pieces are solved here.
                let inv = |a: LatLon, b: LatLon| -> f64 {
                    if a == b {
                        0.0
                    } else {
                        g.inverse(a.0, a.1, b.0, b.1)
                    }
                };
                let (p0, p1) = (pts[0], pts[pts.len() - 1]);
                let length_m: f64 = if first < last {
                    inv(p0, ll[first])
                        + line.terms[piece][first..last - 1]
                            .iter()
                            .map(|t| t.length)
                            .sum::<f64>()
                        + inv(ll[last - 1], p1)
                } else {
                    inv(p0, p1)
                };
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

/// The arc length between `out` (beyond tolerance) and `inn` (within)
/// where the distance equals the tolerance, to 1 mm: bisection while the
/// planar bounds decide, then regula falsi (Illinois variant) on the exact
/// geodesic distance, which converges in a handful of solutions.
fn bisect(
    frame: &Frame,
    radius: f64,
    other: &SegmentIndex,
    tol: f64,
    chain: &Chain,
    out: f64,
    inn: f64,
) -> f64 {
    let (mut a, mut b) = (out, inn);
    // Bisection on the bounds alone while they decide.
    while (a - b).abs() > 1e-3 {
        let m = (a + b) / 2.0;
        let (lo, hi) = other.bounds(radius, chain.at(m));
        if hi <= tol {
            b = m;
        } else if lo > tol {
            a = m;
        } else {
            break;
        }
    }
    let f = |s: f64| -> f64 {
        let p = chain.at(s);
        other
            .closest(frame, radius, frame.latlon(p), p)
            .map_or(f64::INFINITY, |c| c.distance - tol)
    };
    let (mut fa, mut fb) = (f(a), f(b));
    if !(fa > 0.0 && fb <= 0.0) {
        // The ends disagree with the samples (rounding at the threshold):
        // fall back on plain bisection with exact distances.
        while (a - b).abs() > 1e-3 {
            let m = (a + b) / 2.0;
            if f(m) <= 0.0 {
                b = m;
            } else {
                a = m;
            }
        }
        return b;
    }
    let mut side = 0;
    for _ in 0..200 {
        if (a - b).abs() <= 1e-3 {
            break;
        }
        let m = (a * fb - b * fa) / (fb - fa);
        let m = if m.is_finite() && (m - a) * (m - b) < 0.0 {
            m
        } else {
            (a + b) / 2.0
        };
        let fm = f(m);
        if fm == 0.0 {
            return m;
        }
        if fm > 0.0 {
            a = m;
            fa = fm;
            if side == -1 {
                fb /= 2.0;
            }
            side = -1;
        } else {
            b = m;
            fb = fm;
            if side == 1 {
                fa /= 2.0;
            }
            side = 1;
        }
    }
    b
}
