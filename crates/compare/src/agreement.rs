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
use crate::frame::{Frame, Xy};
use crate::index::{SegmentIndex, SLACK};
use crate::prepared::PreparedLine;
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

/// Whether the point `p` (image) lies within `tol` of `other`, and how
/// far (ground metres, a lower bound) its distance is from `tol`.
fn within(frame: &Frame, radius: f64, other: &SegmentIndex, p: Xy, tol: f64) -> (bool, f64) {
    let (lo, hi) = other.bounds(radius, p);
    if hi <= tol {
        return (true, tol - hi);
    }
    if lo > tol {
        return (false, lo - tol);
    }
    match other.closest(frame, radius, frame.latlon(p), p) {
        Some(c) => (c.distance <= tol, (c.distance - tol).abs()),
        None => (false, 0.0),
    }
}

/// Whether each sample (arc lengths along `chain`, ascending) lies within
/// `tol` of `other` — the same answers as deciding every one of them, in
/// far fewer questions.
///
/// The distance to a line changes by at most the ground distance moved,
/// and the plane overstates ground distance by at most the index's slack
/// (the bounds of [`SegmentIndex::bounds`] rest on the same fact). So a
/// sample whose distance is `m` from the tolerance decides every later
/// sample less than `m / (1 + slack)` along the chain (less a micrometre
/// for rounding): at 100 m tolerance, a stretch 3 km from the other line
/// is settled by one question every 2.9 km instead of every 25 m.
fn decide(
    frame: &Frame,
    radius: f64,
    other: &SegmentIndex,
    chain: &Chain,
    at: &[f64],
    tol: f64,
) -> Vec<bool> {
    let mut flags = Vec::with_capacity(at.len());
    let mut k = 0;
    while k < at.len() {
        let s = at[k];
        let (flag, margin) = within(frame, radius, other, chain.at(s), tol);
        let reach = margin / (1.0 + SLACK) - 1e-6;
        flags.push(flag);
        k += 1;
        while k < at.len() && at[k] - s < reach {
            flags.push(flag);
            k += 1;
        }
    }
    flags
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
    for (piece, (ll, xy)) in line.pieces.iter().enumerate() {
        let chain = Chain::new(xy.clone(), ll.clone());
        let at: Vec<f64> = chain.samples(step);
        // Runs of samples decided in parallel, each run in order.
        let flags: Vec<bool> = at
            .par_chunks(1024)
            .flat_map_iter(|run| decide(frame, radius, other, &chain, run, tol))
            .collect();
        // Runs of agreed samples (first, last), their ends then bisected
        // along the chain, the runs in parallel.
        let mut runs: Vec<(usize, usize)> = Vec::new();
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
            runs.push((start, k));
            k += 1;
        }
        let found: Vec<Stretch> = runs
            .into_par_iter()
            .filter_map(|(start, end)| {
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
                if pts.len() < 2 {
                    return None;
                }
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
                Some(Stretch {
                    line: line.name.clone(),
                    other: other_name.to_string(),
                    piece,
                    points: pts,
                    length_m,
                })
            })
            .collect();
        out.extend(found);
    }
    // Summed in order, as the stretches lie along the line.
    let total = out.iter().map(|s| s.length_m).sum();
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
