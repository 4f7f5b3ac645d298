//! A packed R-tree of line segments, built in line order.
//!
//! Boundary lines come as long runs of short, consecutive segments:
//! neighbours along the line are neighbours in space. So instead of
//! sorting a million segments into tiles (the STR bulk load an R*-tree
//! does, O(n log n) with most of the time in selection), the tree packs
//! them as they come — every [`NODE`] consecutive segments make a leaf
//! node, every [`NODE`] consecutive nodes a parent — in one O(n) pass, as
//! Flatbush packs a Hilbert-sorted list (Agafonkin's Flatbush; Kamel &
//! Faloutsos 1993), the line order standing in for the Hilbert order. A
//! line that doubles back makes overlapping nodes, which costs some
//! query time but never a wrong answer: queries visit every node whose
//! box could hold a result.
//!
//! Queries: segments whose boxes meet a box, and segments in increasing
//! exact (planar) distance from a point — incremental best-first search
//! (Hjaltason & Samet 1999), exact for segments, bounded by boxes above.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// A point of the plane.
pub type Xy = [f64; 2];

/// Children per node.
pub const NODE: usize = 16;

/// The tree: segments in the order given, and the boxes of every level.
#[derive(Debug, Clone, Default)]
pub struct PackedSegments {
    segments: Vec<[Xy; 2]>,
    /// Boxes (min x, min y, max x, max y) of all levels above the
    /// segments, the lowest level first.
    boxes: Vec<[f64; 4]>,
    /// Where each level starts in `boxes`, and one past the last.
    levels: Vec<usize>,
}

/// The box of a segment: min x, min y, max x, max y.
pub fn seg_box(s: &[Xy; 2]) -> [f64; 4] {
    [
        s[0][0].min(s[1][0]),
        s[0][1].min(s[1][1]),
        s[0][0].max(s[1][0]),
        s[0][1].max(s[1][1]),
    ]
}

/// The box holding both.
pub fn union(a: [f64; 4], b: [f64; 4]) -> [f64; 4] {
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[2].max(b[2]),
        a[3].max(b[3]),
    ]
}

/// Squared distance from `p` to a box (0 inside).
fn box_dist2(b: &[f64; 4], p: Xy) -> f64 {
    let dx = (b[0] - p[0]).max(0.0).max(p[0] - b[2]);
    let dy = (b[1] - p[1]).max(0.0).max(p[1] - b[3]);
    dx * dx + dy * dy
}

/// Squared distance from `p` to the segment `s`.
pub fn segment_dist2(s: &[Xy; 2], p: Xy) -> f64 {
    let (a, b) = (s[0], s[1]);
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (x, y) = (a[0] + t * dx - p[0], a[1] + t * dy - p[1]);
    x * x + y * y
}

impl PackedSegments {
    /// Pack `segments` in the order given.
    pub fn new(segments: Vec<[Xy; 2]>) -> PackedSegments {
        let mut boxes: Vec<[f64; 4]> = segments
            .chunks(NODE)
            .map(|c| c.iter().map(seg_box).reduce(union).unwrap_or([0.0; 4]))
            .collect();
        let mut levels = vec![0, boxes.len()];
        let mut start = 0;
        while levels[levels.len() - 1] - start > 1 {
            let end = levels[levels.len() - 1];
            let parents: Vec<[f64; 4]> = boxes[start..end]
                .chunks(NODE)
                .map(|c| c.iter().copied().reduce(union).unwrap_or([0.0; 4]))
                .collect();
            boxes.extend(parents);
            start = end;
            levels.push(boxes.len());
        }
        PackedSegments {
            segments,
            boxes,
            levels,
        }
    }

    /// The segments, in the order given.
    pub fn segments(&self) -> &[[Xy; 2]] {
        &self.segments
    }

    /// Number of segments.
    pub fn len(&self) -> usize {
        self.segments.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.segments.is_empty()
    }

    /// Number of box levels above the segments.
    fn height(&self) -> usize {
        self.levels.len() - 1
    }

    /// The box of node `i` of `level` (1 = over the segments).
    fn node(&self, level: usize, i: usize) -> &[f64; 4] {
        &self.boxes[self.levels[level - 1] + i]
    }

    /// Children of node `i` at `level`: their index range one level down
    /// (segments at level 1).
    fn children(&self, level: usize, i: usize) -> std::ops::Range<usize> {
        let below = if level == 1 {
            self.segments.len()
        } else {
            self.levels[level - 1] - self.levels[level - 2]
        };
        i * NODE..((i + 1) * NODE).min(below)
    }

    /// Run `visit` on every run of [`NODE`] consecutive segments (in
    /// parallel) with the segments whose boxes meet the run's box, in
    /// increasing order, and collect the answers in run order: one descent
    /// per run instead of one per segment, for all-pairs searches along
    /// lines.
    pub fn map_runs<T: Send>(
        &self,
        visit: impl Fn(std::ops::Range<usize>, &[usize]) -> T + Sync,
    ) -> Vec<T> {
        use rayon::prelude::*;
        let n = self.segments.len();
        (0..n.div_ceil(NODE))
            .into_par_iter()
            .map(|c| {
                let run = c * NODE..((c + 1) * NODE).min(n);
                let mut near: Vec<usize> =
                    match self.segments[run.clone()].iter().map(seg_box).reduce(union) {
                        Some(env) => self.intersecting(env).collect(),
                        None => Vec::new(),
                    };
                near.sort_unstable();
                visit(run, &near)
            })
            .collect()
    }

    /// The segments whose boxes meet `query` (min x, min y, max x, max y).
    pub fn intersecting(&self, query: [f64; 4]) -> Intersecting<'_> {
        let mut stack = Vec::with_capacity(64);
        let h = self.height();
        if h > 0 && !self.segments.is_empty() {
            let top = self.levels[h] - self.levels[h - 1];
            for i in 0..top {
                stack.push((h, i));
            }
        }
        Intersecting {
            tree: self,
            query,
            stack,
            leaf: 0..0,
        }
    }

    /// The squared distance from `p` to the nearest segment (`None` when
    /// there are none): the first answer of [`nearest`](Self::nearest),
    /// found depth-first — children visited nearest box first, a branch
    /// dropped once its box is no nearer than the best segment so far —
    /// with no queue to keep, several times cheaper for this one answer.
    pub fn nearest_distance2(&self, p: Xy) -> Option<f64> {
        let h = self.height();
        if h == 0 || self.segments.is_empty() {
            return None;
        }
        let mut best = f64::INFINITY;
        // (level, node, squared distance to its box)
        let mut stack: Vec<(usize, usize, f64)> = Vec::with_capacity(8 * NODE);
        let top = self.levels[h] - self.levels[h - 1];
        for i in 0..top {
            stack.push((h, i, box_dist2(self.node(h, i), p)));
        }
        let mut kids: Vec<(usize, f64)> = Vec::with_capacity(NODE);
        while let Some((level, i, d2)) = stack.pop() {
            if d2 >= best {
                continue;
            }
            let children = self.children(level, i);
            if level == 1 {
                for k in children {
                    best = best.min(segment_dist2(&self.segments[k], p));
                }
                continue;
            }
            kids.clear();
            kids.extend(
                children
                    .map(|k| (k, box_dist2(self.node(level - 1, k), p)))
                    .filter(|&(_, d)| d < best),
            );
            // Farthest pushed first, so the nearest is searched first.
            kids.sort_unstable_by(|x, y| y.1.total_cmp(&x.1));
            stack.extend(kids.iter().map(|&(k, d)| (level - 1, k, d)));
        }
        Some(best)
    }

    /// The segments in increasing distance from `p`, with their squared
    /// distances. Ties come in no particular order.
    pub fn nearest(&self, p: Xy) -> Nearest<'_> {
        let mut heap = BinaryHeap::with_capacity(64);
        let h = self.height();
        if h > 0 && !self.segments.is_empty() {
            let top = self.levels[h] - self.levels[h - 1];
            for i in 0..top {
                heap.push(Entry {
                    d2: box_dist2(self.node(h, i), p),
                    level: h,
                    index: i,
                });
            }
        }
        Nearest {
            tree: self,
            p,
            heap,
        }
    }
}

/// Iterator of [`PackedSegments::intersecting`].
pub struct Intersecting<'a> {
    tree: &'a PackedSegments,
    query: [f64; 4],
    stack: Vec<(usize, usize)>,
    leaf: std::ops::Range<usize>,
}

/// Whether two boxes meet (touching counts).
pub fn meets(a: &[f64; 4], b: &[f64; 4]) -> bool {
    a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3]
}

impl Iterator for Intersecting<'_> {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        loop {
            for k in self.leaf.by_ref() {
                if meets(&seg_box(&self.tree.segments[k]), &self.query) {
                    return Some(k);
                }
            }
            let (level, i) = self.stack.pop()?;
            if !meets(self.tree.node(level, i), &self.query) {
                continue;
            }
            let kids = self.tree.children(level, i);
            if level == 1 {
                self.leaf = kids;
            } else {
                self.stack.extend(kids.map(|k| (level - 1, k)));
            }
        }
    }
}

/// An entry of the search: a node (level ≥ 1) or a segment (level 0),
/// ordered nearest first.
#[derive(Debug, Clone, Copy)]
struct Entry {
    d2: f64,
    level: usize,
    index: usize,
}

impl PartialEq for Entry {
    fn eq(&self, o: &Entry) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, o: &Entry) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Entry {
    fn cmp(&self, o: &Entry) -> Ordering {
        // Reversed: BinaryHeap pops the greatest. At equal distance a
        // segment comes before a node (its distance is exact).
        o.d2.total_cmp(&self.d2)
            .then_with(|| o.level.cmp(&self.level))
            .then_with(|| o.index.cmp(&self.index))
    }
}

/// Iterator of [`PackedSegments::nearest`]: (segment, squared distance).
pub struct Nearest<'a> {
    tree: &'a PackedSegments,
    p: Xy,
    heap: BinaryHeap<Entry>,
}

impl Iterator for Nearest<'_> {
    type Item = (usize, f64);
    fn next(&mut self) -> Option<(usize, f64)> {
        while let Some(e) = self.heap.pop() {
            if e.level == 0 {
                return Some((e.index, e.d2));
            }
            for k in self.tree.children(e.level, e.index) {
                let d2 = if e.level == 1 {
                    segment_dist2(&self.tree.segments[k], self.p)
                } else {
                    box_dist2(self.tree.node(e.level - 1, k), self.p)
                };
                self.heap.push(Entry {
                    d2,
                    level: e.level - 1,
                    index: k,
                });
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A wandering line that doubles back, and scattered queries: the
    /// tree's answers equal brute force.
    #[test]
    fn answers_equal_brute_force() {
        let mut pts = Vec::new();
        let mut state = 12345u64;
        let mut rnd = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 11) as f64) / ((1u64 << 53) as f64)
        };
        let (mut x, mut y) = (0.0, 0.0);
        for i in 0..5000 {
            // Out and back twice, with noise.
            let dir = if (i / 1250) % 2 == 0 { 1.0 } else { -1.0 };
            x += dir * (1.0 + rnd());
            y += rnd() - 0.5;
            pts.push([x, y]);
        }
        let segs: Vec<[Xy; 2]> = pts.windows(2).map(|w| [w[0], w[1]]).collect();
        let tree = PackedSegments::new(segs.clone());
        assert_eq!(tree.len(), 4999);
        for _ in 0..300 {
            let p = [rnd() * 1400.0 - 50.0, rnd() * 80.0 - 40.0];
            // Nearest: the whole order equals sorting all distances.
            let mut brute: Vec<f64> = segs.iter().map(|s| segment_dist2(s, p)).collect();
            brute.sort_by(f64::total_cmp);
            let got: Vec<f64> = tree.nearest(p).take(50).map(|(_, d)| d).collect();
            assert_eq!(got, brute[..50].to_vec());
            let (k, d) = tree.nearest(p).next().unwrap();
            assert_eq!(segment_dist2(&segs[k], p), d);
            assert_eq!(tree.nearest_distance2(p), Some(brute[0]));
            // Intersecting: the same set as a scan.
            let q = [p[0] - 5.0, p[1] - 3.0, p[0] + 5.0, p[1] + 3.0];
            let mut a: Vec<usize> = tree.intersecting(q).collect();
            a.sort();
            let b: Vec<usize> = (0..segs.len())
                .filter(|&k| meets(&seg_box(&segs[k]), &q))
                .collect();
            assert_eq!(a, b);
        }
        assert_eq!(tree.nearest([0.0, 0.0]).count(), 4999);
    }

    #[test]
    fn empty_and_tiny_trees() {
        let t = PackedSegments::new(Vec::new());
        assert!(t.nearest([0.0, 0.0]).next().is_none());
        assert_eq!(t.nearest_distance2([0.0, 0.0]), None);
        assert!(t.intersecting([0.0, 0.0, 1.0, 1.0]).next().is_none());
        let t = PackedSegments::new(vec![[[0.0, 0.0], [1.0, 0.0]]]);
        assert_eq!(t.nearest([0.5, 2.0]).next(), Some((0, 4.0)));
        assert_eq!(t.nearest_distance2([0.5, 2.0]), Some(4.0));
        assert_eq!(
            t.intersecting([0.5, -1.0, 0.6, 1.0]).collect::<Vec<_>>(),
            vec![0]
        );
        assert!(t.intersecting([0.5, 0.1, 0.6, 1.0]).next().is_none());
    }
}
