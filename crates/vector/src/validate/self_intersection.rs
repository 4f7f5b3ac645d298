//! Self-intersections of rings (invalid) and self-crossings of lines
//! (suspicious), found among segments whose boxes meet in an R*-tree, with Shewchuk's
//! exact orientation predicate (`robust::orient2d`) so that no crossing is
//! missed or invented by rounding.

use super::vertices::PER_PATH_LIMIT;
use super::{Check, Location, Severity, Sink};
use crate::{Coord, Polygon};
use robust::{orient2d, Coord as RCoord};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

#[derive(Clone, Copy)]
struct Segment {
    a: Coord,
    b: Coord,
    ring: usize,
    index: usize,
    /// Segments in this ring (for adjacency of the closing segment).
    count: usize,
    min_x: f64,
    max_x: f64,
    min_y: f64,
    max_y: f64,
}

fn rc(c: &Coord) -> RCoord<f64> {
    RCoord { x: c.x, y: c.y }
}

fn orient(a: &Coord, b: &Coord, c: &Coord) -> f64 {
    orient2d(rc(a), rc(b), rc(c))
}

fn on_segment(a: &Coord, b: &Coord, p: &Coord) -> bool {
    p.x >= a.x.min(b.x) && p.x <= a.x.max(b.x) && p.y >= a.y.min(b.y) && p.y <= a.y.max(b.y)
}

#[derive(Debug, PartialEq)]
enum Contact {
    None,
    /// Interiors cross at one point.
    Cross,
    /// They meet at an endpoint of one of them.
    Touch,
    /// Collinear and sharing a stretch.
    Overlap,
}

fn contact(s: &Segment, t: &Segment) -> Contact {
    let (a, b, c, d) = (&s.a, &s.b, &t.a, &t.b);
    let o1 = orient(a, b, c);
    let o2 = orient(a, b, d);
    let o3 = orient(c, d, a);
    let o4 = orient(c, d, b);
    if o1 == 0.0 && o2 == 0.0 {
        // Collinear: overlap if their extents share more than a point.
        let (lo, hi) = if (a.x - b.x).abs() >= (a.y - b.y).abs() {
            (
                a.x.min(b.x).max(c.x.min(d.x)),
                a.x.max(b.x).min(c.x.max(d.x)),
            )
        } else {
            (
                a.y.min(b.y).max(c.y.min(d.y)),
                a.y.max(b.y).min(c.y.max(d.y)),
            )
        };
        return if lo < hi {
            Contact::Overlap
        } else if lo == hi {
            Contact::Touch
        } else {
            Contact::None
        };
    }
    if o1 * o2 < 0.0 && o3 * o4 < 0.0 {
        return Contact::Cross;
    }
    if (o1 == 0.0 && on_segment(a, b, c))
        || (o2 == 0.0 && on_segment(a, b, d))
        || (o3 == 0.0 && on_segment(c, d, a))
        || (o4 == 0.0 && on_segment(c, d, b))
    {
        return Contact::Touch;
    }
    Contact::None
}

fn adjacent(s: &Segment, t: &Segment, closed: bool) -> bool {
    s.ring == t.ring
        && (s.index.abs_diff(t.index) == 1
            || (closed
                && s.count > 2
                && ((s.index == 0 && t.index == s.count - 1)
                    || (t.index == 0 && s.index == s.count - 1))))
}

/// Where two touching segments meet: the endpoint of one lying on the other.
fn touch_point(s: &Segment, t: &Segment) -> Option<Coord> {
    [(&t.a, s), (&t.b, s), (&s.a, t), (&s.b, t)]
        .into_iter()
        .find(|(p, seg)| orient(&seg.a, &seg.b, p) == 0.0 && on_segment(&seg.a, &seg.b, p))
        .map(|(p, _)| *p)
}

fn crossing_point(s: &Segment, t: &Segment) -> Coord {
    let (x1, y1, x2, y2) = (s.a.x, s.a.y, s.b.x, s.b.y);
    let (x3, y3, x4, y4) = (t.a.x, t.a.y, t.b.x, t.b.y);
    let den = (x1 - x2) * (y3 - y4) - (y1 - y2) * (x3 - x4);
    if den == 0.0 {
        return t.a;
    }
    let u = ((x1 - x3) * (y3 - y4) - (y1 - y3) * (x3 - x4)) / den;
    Coord::xy(x1 + u * (x2 - x1), y1 + u * (y2 - y1))
}

fn segments<'a>(paths: impl Iterator<Item = &'a [Coord]>) -> Vec<Segment> {
    let mut out = Vec::new();
    for (ring, p) in paths.enumerate() {
        let count = p.len().saturating_sub(1);
        for (index, w) in p.windows(2).enumerate() {
            if w[0].same_xy(&w[1])
                || !(w[0].x.is_finite()
                    && w[0].y.is_finite()
                    && w[1].x.is_finite()
                    && w[1].y.is_finite())
            {
                continue; // duplicates and non-finite values are reported elsewhere
            }
            out.push(Segment {
                a: w[0],
                b: w[1],
                ring,
                index,
                count,
                min_x: w[0].x.min(w[1].x),
                max_x: w[0].x.max(w[1].x),
                min_y: w[0].y.min(w[1].y),
                max_y: w[0].y.max(w[1].y),
            });
        }
    }
    out
}

/// Visit each pair of segments whose bounding boxes meet, once, through an
/// R*-tree of the segments (Beckmann et al. 1990, via `rstar`): O(n log n)
/// for the million-vertex rings of world datasets, where a plain sweep on x
/// degenerates along north–south coasts.
fn sweep(segs: &[Segment], mut f: impl FnMut(&Segment, &Segment) -> bool) {
    let boxes: Vec<GeomWithData<Rectangle<[f64; 2]>, usize>> = segs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            GeomWithData::new(
                Rectangle::from_corners([s.min_x, s.min_y], [s.max_x, s.max_y]),
                i,
            )
        })
        .collect();
    let tree = RTree::bulk_load(boxes);
    for (i, s) in segs.iter().enumerate() {
        let env = AABB::from_corners([s.min_x, s.min_y], [s.max_x, s.max_y]);
        for hit in tree.locate_in_envelope_intersecting(&env) {
            if hit.data > i && !f(s, &segs[hit.data]) {
                return;
            }
        }
    }
}

/// Rings of one polygon: no ring may cross or touch itself (except its
/// neighbouring segments at their shared vertex), and two rings may touch at
/// single points but not cross or share a stretch (OGC Simple Features 6.1.11).
pub(super) fn check_polygon(p: &Polygon, loc: &Location, sink: &mut Sink) {
    let segs = segments(p.rings.iter().map(Vec::as_slice));
    let mut found = 0usize;
    // A ring that passes twice through one point touches there with up to
    // four segment pairs: report the point once.
    let mut seen: std::collections::HashSet<(usize, usize, u64, u64)> =
        std::collections::HashSet::new();
    sweep(&segs, |s, t| {
        if adjacent(s, t, true) {
            // Neighbours share a vertex; only a fold back along each other matters,
            // and the spike check reports that.
            return true;
        }
        let c = contact(s, t);
        let bad = match c {
            Contact::None => false,
            Contact::Cross | Contact::Overlap => true,
            Contact::Touch => s.ring == t.ring,
        };
        if bad {
            let (first, second) = if (s.ring, s.index) <= (t.ring, t.index) {
                (s, t)
            } else {
                (t, s)
            };
            let at = match c {
                Contact::Touch => {
                    touch_point(first, second).unwrap_or_else(|| crossing_point(first, second))
                }
                _ => crossing_point(first, second),
            };
            if c == Contact::Touch
                && !seen.insert((first.ring, second.ring, at.x.to_bits(), at.y.to_bits()))
            {
                return true;
            }
            if found < PER_PATH_LIMIT {
                let what = match c {
                    Contact::Cross => "crosses",
                    Contact::Overlap => "runs along",
                    _ => "touches (the ring passes twice through this point)",
                };
                let l = Location {
                    ring: Some(first.ring),
                    vertex: Some(first.index),
                    position: Some([at.x, at.y]),
                    ..loc.clone()
                };
                let other = if first.ring == second.ring {
                    format!("its own segment {}", second.index)
                } else {
                    format!("segment {} of ring {}", second.index, second.ring)
                };
                sink.push(
                    Severity::Error,
                    Check::SelfIntersection,
                    l,
                    format!(
                        "segment {} (from vertex {}) {what} {other}",
                        first.index, first.index
                    ),
                );
            }
            found += 1;
        }
        true
    });
    if found > PER_PATH_LIMIT {
        sink.push(
            Severity::Error,
            Check::SelfIntersection,
            loc.clone(),
            format!(
                "{} more self-intersections in this polygon",
                found - PER_PATH_LIMIT
            ),
        );
    }
}

/// A boundary line that crosses itself is legal in Simple Features but
/// almost always a digitising error: reported as a warning.
pub(super) fn check_line(p: &[Coord], loc: &Location, sink: &mut Sink) {
    let segs = segments(std::iter::once(p));
    let mut found = 0usize;
    sweep(&segs, |s, t| {
        if !adjacent(s, t, false) && contact(s, t) == Contact::Cross {
            if found < PER_PATH_LIMIT {
                let (first, second) = if s.index < t.index { (s, t) } else { (t, s) };
                let at = crossing_point(first, second);
                sink.push(
                    Severity::Warning,
                    Check::SelfCrossingLine,
                    Location {
                        vertex: Some(first.index),
                        position: Some([at.x, at.y]),
                        ..loc.clone()
                    },
                    format!(
                        "segment {} crosses segment {} of the same line",
                        first.index, second.index
                    ),
                );
            }
            found += 1;
        }
        true
    });
    if found > PER_PATH_LIMIT {
        sink.push(
            Severity::Warning,
            Check::SelfCrossingLine,
            loc.clone(),
            format!(
                "{} more self-crossings in this line",
                found - PER_PATH_LIMIT
            ),
        );
    }
}
