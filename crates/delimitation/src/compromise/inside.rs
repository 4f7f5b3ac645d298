//! Keeping a fallback median inside its region, and simple.
//!
//! A median by arc length or by matched points need not stay inside a
//! region that is not convex, and where it leaves it, it can cross the
//! next region's piece or itself. The repair works in the frame's
//! gnomonic plane, where every geodesic is a straight line (so what is
//! found there is exact on the ellipsoid up to the frame's rounding):
//!
//! 1. where the line leaves the region (at X) and comes back (at Y), the
//!    stretch outside is replaced by the region's boundary from X to Y,
//!    the shorter way round — the compromise follows a claim there, which
//!    is inside the region's closure and never crosses a neighbour (the
//!    neighbours meet the region only at its contacts);
//! 2. then every loop the line makes is cut at its crossing (the first
//!    crossing segment pair, outermost first), until none is left.
//!
//! Both steps are counted and said in the region's note.

use terminus_plane::frame::Xy;

/// What the repair did.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct Repair {
    /// Stretches outside the region replaced by its boundary.
    pub excursions: usize,
    /// Loops cut.
    pub loops: usize,
}

fn sub(a: Xy, b: Xy) -> Xy {
    [a[0] - b[0], a[1] - b[1]]
}

fn cross(a: Xy, b: Xy) -> f64 {
    a[0] * b[1] - a[1] * b[0]
}

/// Where segment p–q meets segment a–b properly: (t along p–q, u along
/// a–b), both in [0, 1]; `None` for parallel segments.
fn meet(p: Xy, q: Xy, a: Xy, b: Xy) -> Option<(f64, f64)> {
    let (r, s) = (sub(q, p), sub(b, a));
    let d = cross(r, s);
    if d == 0.0 {
        return None;
    }
    let ap = sub(a, p);
    let (t, u) = (cross(ap, s) / d, cross(ap, r) / d);
    ((0.0..=1.0).contains(&t) && (0.0..=1.0).contains(&u)).then_some((t, u))
}

fn at(p: Xy, q: Xy, t: f64) -> Xy {
    [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]
}

fn len(a: Xy, b: Xy) -> f64 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

/// The line `line` (its ends on the boundary of the closed ring `ring`,
/// unclosed) kept inside the ring and made simple.
pub(super) fn keep_inside(ring: &[Xy], line: &[Xy]) -> (Vec<Xy>, Repair) {
    let mut repair = Repair::default();
    let n = ring.len();
    if line.len() < 2 || n < 3 {
        return (line.to_vec(), repair);
    }
    // The ring path from a point on edge e1 to a point on edge e2, the
    // shorter way round (ring vertices only).
    let path = |e1: usize, x: Xy, e2: usize, y: Xy| -> Vec<Xy> {
        let mut fwd = Vec::new();
        let mut k = e1;
        while k != e2 {
            k = (k + 1) % n;
            fwd.push(ring[k]);
        }
        let mut back = Vec::new();
        let mut k = e1;
        while k != e2 {
            back.push(ring[k]);
            k = (k + n - 1) % n;
        }
        let length = |v: &[Xy]| -> f64 {
            let mut s = 0.0;
            let mut at = x;
            for &p in v.iter().chain([&y]) {
                s += len(at, p);
                at = p;
            }
            s
        };
        if length(&back) < length(&fwd) {
            back
        } else {
            fwd
        }
    };
    // 1. Excursions. (The ends lie on the boundary: crossings within a
    // millionth of a segment of them are the ends themselves.)
    let last = line.len() - 2;
    let mut out = vec![line[0]];
    let mut outside: Option<(usize, Xy)> = None;
    for (i, w) in line.windows(2).enumerate() {
        let (p, q) = (w[0], w[1]);
        let mut hits: Vec<(f64, usize, Xy)> = Vec::new();
        for e in 0..n {
            let (a, b) = (ring[e], ring[(e + 1) % n]);
            if let Some((t, _)) = meet(p, q, a, b) {
                if (i == 0 && t < 1e-6) || (i == last && t > 1.0 - 1e-6) {
                    continue;
                }
                hits.push((t, e, at(p, q, t)));
            }
        }
        hits.sort_by(|x, y| x.0.total_cmp(&y.0));
        // (Touching a ring vertex gives the same point twice.)
        hits.dedup_by(|x, y| len(x.2, y.2) < 1e-9);
        for (_, e, x) in hits {
            match outside.take() {
                None => {
                    out.push(x);
                    outside = Some((e, x));
                }
                Some((e1, x1)) => {
                    out.extend(path(e1, x1, e, x));
                    out.push(x);
                    repair.excursions += 1;
                }
            }
        }
        if outside.is_none() {
            out.push(q);
        } else if i == last {
            // Ends outside (it should not): back along the boundary to
            // the nearest ring edge of the end.
            if let Some((e1, x1)) = outside.take() {
                let e2 = (0..n)
                    .min_by(|&j, &k| len(ring[j], q).total_cmp(&len(ring[k], q)))
                    .unwrap_or(e1);
                out.extend(path(e1, x1, e2, ring[e2]));
                out.push(q);
                repair.excursions += 1;
            }
        }
    }
    out.dedup_by(|x, y| len(*x, *y) < 1e-9);
    // 2. Loops: cut at the first crossing, the farthest segment first.
    'again: loop {
        let m = out.len();
        for i in 0..m.saturating_sub(1) {
            for j in ((i + 2)..m.saturating_sub(1)).rev() {
                if let Some((t, u)) = meet(out[i], out[i + 1], out[j], out[j + 1]) {
                    // Adjacent through a shared end, or touching at an end
                    // of the later segment: not a loop.
                    if (j == i + 1) || (t == 1.0 && u == 0.0) {
                        continue;
                    }
                    let x = at(out[i], out[i + 1], t);
                    out.splice(i + 1..=j, [x]);
                    out.dedup_by(|x, y| len(*x, *y) < 1e-9);
                    repair.loops += 1;
                    continue 'again;
                }
            }
        }
        break;
    }
    (out, repair)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A U-shaped region; a line from one tip to the other that cuts
    /// across the gap outside it comes back along its inner boundary.
    #[test]
    fn an_excursion_follows_the_boundary_and_a_loop_is_cut() {
        // U: outer 0..10 × 0..10, the notch 3..7 × 3..10 cut out.
        let ring: Vec<Xy> = vec![
            [0.0, 10.0],
            [0.0, 0.0],
            [10.0, 0.0],
            [10.0, 10.0],
            [7.0, 10.0],
            [7.0, 3.0],
            [3.0, 3.0],
            [3.0, 10.0],
        ];
        // From the left tip's top edge to the right tip's, straight
        // across the notch at y = 8.
        let line = vec![[1.5, 10.0], [1.5, 8.0], [8.5, 8.0], [8.5, 10.0]];
        let (out, r) = keep_inside(&ring, &line);
        assert_eq!(r.excursions, 1);
        assert_eq!(
            out,
            vec![
                [1.5, 10.0],
                [1.5, 8.0],
                [3.0, 8.0],
                [3.0, 3.0],
                [7.0, 3.0],
                [7.0, 8.0],
                [8.5, 8.0],
                [8.5, 10.0]
            ]
        );
        // A line with a loop inside a square.
        let square: Vec<Xy> = vec![[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]];
        let line = vec![
            [0.0, 5.0],
            [6.0, 5.0],
            [6.0, 7.0],
            [4.0, 7.0],
            [4.0, 3.0],
            [10.0, 3.0],
        ];
        let (out, r) = keep_inside(&square, &line);
        assert_eq!((r.excursions, r.loops), (0, 1));
        assert_eq!(out, vec![[0.0, 5.0], [4.0, 5.0], [4.0, 3.0], [10.0, 3.0]]);
    }
}
