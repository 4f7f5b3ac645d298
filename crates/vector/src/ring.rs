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
/// For many tests against one ring, build a [`RingIndex`] once.
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
    RingIndex::new(outer).contains_ring(inner)
}

/// A ring prepared for many containment tests: its edges bucketed by
/// latitude band, so a point test reads only the edges of its band
/// (O(√n) per test on real boundaries instead of O(n)), and its vertex set
/// for [`RingIndex::contains_ring`].
pub struct RingIndex<'a> {
    ring: &'a [Coord],
    min_y: f64,
    band: f64,
    buckets: Vec<Vec<u32>>,
    vertices: HashSet<(u64, u64)>,
}

impl<'a> RingIndex<'a> {
    /// Index `ring` (closed or not).
    pub fn new(ring: &'a [Coord]) -> RingIndex<'a> {
        let n = ring.len();
        let (mut min_y, mut max_y) = (f64::INFINITY, f64::NEG_INFINITY);
        for c in ring.iter().filter(|c| c.y.is_finite()) {
            min_y = min_y.min(c.y);
            max_y = max_y.max(c.y);
        }
        let count = ((n as f64).sqrt() as usize).clamp(1, 4096);
        let height = (max_y - min_y).max(f64::MIN_POSITIVE);
        let band = height / count as f64;
        let mut buckets = vec![Vec::new(); count];
        if n >= 2 && min_y.is_finite() {
            for i in 0..n {
                let (a, b) = (&ring[i], &ring[(i + 1) % n]);
                if !(a.y.is_finite() && b.y.is_finite()) {
                    continue;
                }
                let lo = (((a.y.min(b.y) - min_y) / band) as usize).min(count - 1);
                let hi = (((a.y.max(b.y) - min_y) / band) as usize).min(count - 1);
                for bucket in &mut buckets[lo..=hi] {
                    bucket.push(i as u32);
                }
            }
        }
        RingIndex {
            ring,
            min_y,
            band,
            buckets,
            vertices: ring
                .iter()
                .map(|c| (c.x.to_bits(), c.y.to_bits()))
                .collect(),
        }
    }

    /// Crossing-number test as [`point_in_ring`], reading one band of edges.
    pub fn contains_point(&self, p: &Coord) -> bool {
        let n = self.ring.len();
        if n < 3 || !p.y.is_finite() || self.buckets.is_empty() {
            return false;
        }
        let k = (p.y - self.min_y) / self.band;
        if k.is_nan() || k < 0.0 || k as usize > self.buckets.len() {
            return false;
        }
        let k = (k as usize).min(self.buckets.len() - 1);
        let mut c = false;
        for &i in &self.buckets[k] {
            let i = i as usize;
            let (a, b) = (&self.ring[(i + 1) % n], &self.ring[i]);
            if (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
                c = !c;
            }
        }
        c
    }

    /// Whether `inner` lies inside this ring (see [`ring_in_ring`]).
    pub fn contains_ring(&self, inner: &[Coord]) -> bool {
        let probe = inner
            .iter()
            .find(|c| !self.vertices.contains(&(c.x.to_bits(), c.y.to_bits())))
            .copied()
            .or_else(|| match inner {
                [a, b, ..] => Some(Coord::xy((a.x + b.x) / 2.0, (a.y + b.y) / 2.0)),
                _ => None,
            });
        probe.is_some_and(|p| self.contains_point(&p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The banded index answers exactly as the plain crossing-number test.
    #[test]
    fn index_agrees_with_plain_test() {
        // A star-shaped ring with 200 spikes.
        let ring: Vec<Coord> = (0..=400)
            .map(|i| {
                let t = i as f64 / 400.0 * std::f64::consts::TAU;
                let r = if i % 2 == 0 { 1.0 } else { 0.4 };
                Coord::xy(r * t.cos(), r * t.sin())
            })
            .collect();
        let idx = RingIndex::new(&ring);
        for i in 0..100 {
            for j in 0..100 {
                let p = Coord::xy(-1.2 + i as f64 * 0.024, -1.2 + j as f64 * 0.024 + 1e-7);
                assert_eq!(idx.contains_point(&p), point_in_ring(&p, &ring), "{p:?}");
            }
        }
    }
}
