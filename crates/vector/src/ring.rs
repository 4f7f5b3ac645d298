//! Planar predicates on rings in their own coordinates: orientation and
//! containment. Used where the question is topological (which hole belongs
//! to which shell, which way a ring runs), not metric: lengths and areas are
//! geodesic ([`crate::measure`]).

use crate::Coord;
use std::collections::HashSet;

/// Twice the signed planar area of a ring (positive when counter-clockwise).
///
/// ```
/// use terminus_vector::{ring::signed_area2, Coord};
/// let ccw = [Coord::xy(0.0, 0.0), Coord::xy(1.0, 0.0), Coord::xy(0.0, 1.0), Coord::xy(0.0, 0.0)];
/// assert_eq!(signed_area2(&ccw), 1.0);
/// ```
pub fn signed_area2(ring: &[Coord]) -> f64 {
    let n = ring.len();
    if n < 3 {
        return 0.0;
    }
    // Relative to the first vertex, to keep precision far from the origin.
    let (ox, oy) = (ring[0].x, ring[0].y);
    let mut s = 0.0;
    for i in 0..n {
        let a = &ring[i];
        let b = &ring[(i + 1) % n];
        s += (a.x - ox) * (b.y - oy) - (b.x - ox) * (a.y - oy);
    }
    s
}

/// Crossing-number test: is `p` inside `ring`? Points on the boundary may go
/// either way; see [`ring_in_ring`] for a test that avoids them.
pub fn point_in_ring(p: &Coord, ring: &[Coord]) -> bool {
    let n = ring.len();
    if n < 3 {
        return false;
    }
    let mut c = false;
    let mut j = n - 1;
    for i in 0..n {
        let (a, b) = (&ring[i], &ring[j]);
        if (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
            c = !c;
        }
        j = i;
    }
    c
}

/// Whether `inner` lies inside `outer`, for rings that do not cross: tested
/// at the first vertex of `inner` that is not a vertex of `outer` (a hole may
/// touch its shell at vertices), else at the midpoint of its first segment.
///
/// ```
/// use terminus_vector::{ring::ring_in_ring, Coord};
/// let sq = |a: f64, b: f64| vec![Coord::xy(a, a), Coord::xy(b, a), Coord::xy(b, b), Coord::xy(a, b), Coord::xy(a, a)];
/// assert!(ring_in_ring(&sq(1.0, 2.0), &sq(0.0, 3.0)));
/// assert!(!ring_in_ring(&sq(4.0, 5.0), &sq(0.0, 3.0)));
/// // Touching the shell at a corner still counts as inside.
/// assert!(ring_in_ring(&sq(0.0, 1.0), &sq(0.0, 3.0)));
/// ```
pub fn ring_in_ring(inner: &[Coord], outer: &[Coord]) -> bool {
    let on_outer: HashSet<(u64, u64)> = outer
        .iter()
        .map(|c| (c.x.to_bits(), c.y.to_bits()))
        .collect();
    let probe = inner
        .iter()
        .find(|c| !on_outer.contains(&(c.x.to_bits(), c.y.to_bits())))
        .copied()
        .or_else(|| match inner {
            [a, b, ..] => Some(Coord::xy((a.x + b.x) / 2.0, (a.y + b.y) / 2.0)),
            _ => None,
        });
    probe.is_some_and(|p| point_in_ring(&p, outer))
}
