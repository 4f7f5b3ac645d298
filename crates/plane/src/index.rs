//! Distance from a point to a set of geodesic segments, indexed.
//!
//! Candidates come from a packed R-tree in the gnomonic frame, built in
//! line order ([`crate::packed`]); the answer is
//! solved on the ellipsoid (`terminus_geodesy::geodesic::nearest_on_segment`,
//! nanometres) whenever the planar bounds cannot decide a question alone.
//! The gnomonic scale is at least 1 everywhere and at most 1/cos²θ at
//! angular distance θ from the centre, which gives those bounds.

use crate::frame::{Frame, Xy};
use crate::packed::{meets, seg_box, PackedSegments};
use terminus_geodesy::geodesic::nearest_on_segment;
use terminus_geodesy::measure::InverseGeodesic;
use terminus_geodesy::LatLon;

/// Slack for the ellipsoid's departure from the spherical scale bounds (relative).
pub const SLACK: f64 = 2e-3;

/// A piece of a line: its vertices (lat, lon) and their images.
pub type Piece = (Vec<(f64, f64)>, Vec<Xy>);

/// A segment, its ends in the plane and on the ellipsoid, and where it came from.
#[derive(Debug, Clone, Copy)]
pub struct IndexedSegment {
    /// Ends, (lat, lon).
    pub ll: [(f64, f64); 2],
    /// Ends in the frame.
    pub xy: [Xy; 2],
    /// Piece (or part) the segment belongs to.
    pub piece: u32,
    /// Its index within that piece.
    pub index: u32,
}

/// Two segments of one line that cross or overlap, and where (image).
pub type SelfCrossing = Box<(IndexedSegment, IndexedSegment, Xy)>;

/// The nearest point found.
#[derive(Debug, Clone, Copy)]
pub struct Closest {
    /// Geodesic distance, metres.
    pub distance: f64,
    /// The nearest point, (lat, lon).
    pub at: (f64, f64),
    /// The segment it lies on.
    pub segment: IndexedSegment,
    /// +1 left of the segment's direction, −1 right, 0 on it.
    pub side: i8,
}

/// A packed R-tree of segments.
pub struct SegmentIndex {
    tree: PackedSegments,
    segments: Vec<IndexedSegment>,
}

impl SegmentIndex {
    /// Index `segments` (in line order: the tree packs them as given).
    pub fn new(segments: Vec<IndexedSegment>) -> SegmentIndex {
        SegmentIndex {
            tree: PackedSegments::new(segments.iter().map(|s| s.xy).collect()),
            segments,
        }
    }

    /// Index the pieces of a polyline set ((lat, lon) and their images).
    pub fn from_pieces(pieces: &[Piece]) -> SegmentIndex {
        let mut segs = Vec::new();
        for (p, (ll, xy)) in pieces.iter().enumerate() {
            for i in 1..ll.len() {
                segs.push(IndexedSegment {
                    ll: [ll[i - 1], ll[i]],
                    xy: [xy[i - 1], xy[i]],
                    piece: p as u32,
                    index: (i - 1) as u32,
                });
            }
        }
        SegmentIndex::new(segs)
    }

    /// Where these segments touch each other at a vertex (away from the
    /// vertex two consecutive segments of a piece share): each such vertex
    /// as (piece, vertex index), sorted — or, should two of them cross
    /// properly or overlap along a stretch, the first such place (in
    /// segment order) with the crossing's image. Touching — a piece ending
    /// on another, a ring closing, consecutive segments — is allowed.
    /// Exact predicates (`robust`).
    pub fn self_contacts(&self) -> Result<Vec<(u32, u32)>, SelfCrossing> {
        use robust::{orient2d, Coord};
        let c = |p: Xy| Coord { x: p[0], y: p[1] };
        let between = |a: Xy, b: Xy, p: Xy| {
            if a[0] != b[0] {
                (a[0] < p[0] && p[0] < b[0]) || (b[0] < p[0] && p[0] < a[0])
            } else {
                (a[1] < p[1] && p[1] < b[1]) || (b[1] < p[1] && p[1] < a[1])
            }
        };
        let boxes = self.tree.segments();
        let runs = self.tree.map_runs(|run, near| {
            let near_boxes: Vec<[f64; 4]> = near.iter().map(|&j| seg_box(&boxes[j])).collect();
            let mut contacts = Vec::new();
            for i in run {
                let s = self.segments[i];
                let (a, b) = (s.xy[0], s.xy[1]);
                let env = seg_box(&boxes[i]);
                for (&j, near_box) in near.iter().zip(&near_boxes) {
                    if j <= i || !meets(near_box, &env) {
                        continue;
                    }
                    let t = self.segments[j];
                    let (p, q) = (t.xy[0], t.xy[1]);
                    // The next segment of the same piece shares `b`: it can
                    // only overlap this one, by turning straight back, which
                    // needs its far end on this segment's line.
                    let next = t.piece == s.piece && t.index == s.index + 1 && p == b;
                    if next && orient2d(c(a), c(b), c(q)) != 0.0 {
                        continue;
                    }
                    let o1 = orient2d(c(a), c(b), c(p));
                    let o2 = orient2d(c(a), c(b), c(q));
                    let o3 = orient2d(c(p), c(q), c(a));
                    let o4 = orient2d(c(p), c(q), c(b));
                    let proper = o1 * o2 < 0.0 && o3 * o4 < 0.0;
                    let overlap = o1 == 0.0
                        && o2 == 0.0
                        && (between(a, b, p)
                            || between(a, b, q)
                            || between(p, q, a)
                            || between(p, q, b)
                            || (a == p && b == q)
                            || (a == q && b == p));
                    if proper || overlap {
                        let d = (b[0] - a[0]) * (q[1] - p[1]) - (b[1] - a[1]) * (q[0] - p[0]);
                        let u = if d != 0.0 {
                            ((p[0] - a[0]) * (q[1] - p[1]) - (p[1] - a[1]) * (q[0] - p[0])) / d
                        } else {
                            0.0
                        };
                        let at = [a[0] + u * (b[0] - a[0]), a[1] + u * (b[1] - a[1])];
                        return Err(Box::new((s, t, at)));
                    }
                    if next {
                        continue;
                    }
                    for (k, x) in [a, b].into_iter().enumerate() {
                        for (m, y) in [p, q].into_iter().enumerate() {
                            if x == y {
                                contacts.push((s.piece, s.index + k as u32));
                                contacts.push((t.piece, t.index + m as u32));
                            }
                        }
                    }
                }
            }
            Ok(contacts)
        });
        let mut all = Vec::new();
        for run in runs {
            all.extend(run?);
        }
        all.sort_unstable();
        all.dedup();
        Ok(all)
    }

    /// Whether there is nothing to measure against.
    pub fn is_empty(&self) -> bool {
        self.segments.is_empty()
    }

    /// Lower and upper bounds of the geodesic distance from the point with
    /// image `p` to the nearest segment, from the plane alone.
    pub fn bounds(&self, frame_radius: f64, p: Xy) -> (f64, f64) {
        match self.tree.nearest_distance2(p) {
            None => (f64::INFINITY, f64::INFINITY),
            Some(d2) => {
                let d = d2.sqrt();
                let scale = scale_floor(frame_radius, p);
                (d * scale * (1.0 - SLACK), d * (1.0 + SLACK))
            }
        }
    }

    /// The nearest point on the ellipsoid: planar candidates that could be
    /// nearest, each solved geodesically.
    pub fn closest(
        &self,
        frame: &Frame,
        frame_radius: f64,
        ll: (f64, f64),
        p: Xy,
    ) -> Option<Closest> {
        // Candidates in order of planar distance; a candidate whose planar
        // distance, scaled by the least scale here, exceeds the best
        // geodesic distance so far cannot be nearer: stop there.
        let floor = scale_floor(frame_radius, p) * (1.0 - SLACK);
        let mut best: Option<Closest> = None;
        for (cand, d2) in self.tree.nearest(p) {
            if let Some(b) = best {
                if d2.sqrt() * floor > b.distance + 1e-9 {
                    break;
                }
            }
            let s = self.segments[cand];
            let found = match nearest_on_segment(
                frame.gnomonic(),
                LatLon::from_pair(s.ll[0]),
                LatLon::from_pair(s.ll[1]),
                LatLon::from_pair(ll),
            ) {
                Ok(n) => Closest {
                    distance: n.distance,
                    at: (n.lat, n.lon),
                    segment: s,
                    side: n.side,
                },
                // (Not expected since the hover fix in the geodesy layer.)
                // The nearer end is an upper bound, never an underestimate.
                Err(_) => {
                    let g = frame.gnomonic().geodesic();
                    let d = |q: (f64, f64)| -> f64 { g.inverse(ll.0, ll.1, q.0, q.1) };
                    let (d0, d1) = (d(s.ll[0]), d(s.ll[1]));
                    let (distance, at) = if d0 <= d1 {
                        (d0, s.ll[0])
                    } else {
                        (d1, s.ll[1])
                    };
                    Closest {
                        distance,
                        at,
                        segment: s,
                        side: 0,
                    }
                }
            };
            if best.is_none_or(|b| found.distance < b.distance) {
                best = Some(found);
            }
        }
        best
    }

    /// The planar nearest segment and the side of `p` relative to the
    /// line there, corner-aware: where the nearest point is a shared vertex
    /// of two segments, the side is that of the wedge `p` lies in.
    pub fn side(&self, p: Xy) -> Option<(IndexedSegment, i8)> {
        let mut it = self.tree.nearest(p);
        let (first, d0) = it.next()?;
        let s = self.segments[first];
        let cross = |s: &IndexedSegment| {
            let (a, b) = (s.xy[0], s.xy[1]);
            (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])
        };
        // A tie at a shared vertex: look at the neighbour segment too.
        if let Some((second, d1)) = it.next() {
            let t = self.segments[second];
            if d1 <= d0 * (1.0 + 1e-12) && t.piece == s.piece && t.index.abs_diff(s.index) == 1 {
                let (inc, out) = if t.index < s.index { (t, s) } else { (s, t) };
                let (ci, co) = (cross(&inc), cross(&out));
                let d_in = [inc.xy[1][0] - inc.xy[0][0], inc.xy[1][1] - inc.xy[0][1]];
                let d_out = [out.xy[1][0] - out.xy[0][0], out.xy[1][1] - out.xy[0][1]];
                let turn = d_in[0] * d_out[1] - d_in[1] * d_out[0];
                // Left turn: the left side is the narrow wedge (left of both).
                let left = if turn > 0.0 {
                    ci > 0.0 && co > 0.0
                } else {
                    ci > 0.0 || co > 0.0
                };
                return Some((s, if left { 1 } else { -1 }));
            }
        }
        let c = cross(&s);
        Some((
            s,
            if c > 0.0 {
                1
            } else if c < 0.0 {
                -1
            } else {
                0
            },
        ))
    }
}

/// The least gnomonic scale at image point `p`: cos² of its angular
/// distance from the centre (radial scale 1/cos²θ ≥ azimuthal 1/cosθ ≥ 1).
fn scale_floor(radius: f64, p: Xy) -> f64 {
    let t = (p[0] * p[0] + p[1] * p[1]).sqrt() / radius;
    1.0 / (1.0 + t * t)
}
