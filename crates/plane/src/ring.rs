//! Point in ring on the local plane.

use crate::frame::Xy;

/// Crossing-number point-in-ring (ring open or closed).
pub fn point_in_ring(p: Xy, ring: &[Xy]) -> bool {
    let mut inside = false;
    let n = ring.len();
    if n < 3 {
        return false;
    }
    let mut j = n - 1;
    for i in 0..n {
        let (a, b) = (ring[i], ring[j]);
        if (a[1] > p[1]) != (b[1] > p[1]) {
            let x = a[0] + (p[1] - a[1]) / (b[1] - a[1]) * (b[0] - a[0]);
            if p[0] < x {
                inside = !inside;
            }
        }
        j = i;
    }
    inside
}

pub fn bbox(r: &[Xy]) -> [f64; 4] {
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for p in r {
        b[0] = b[0].min(p[0]);
        b[1] = b[1].min(p[1]);
        b[2] = b[2].max(p[0]);
        b[3] = b[3].max(p[1]);
    }
    b
}

/// Inside the outer ring and outside every hole.
pub fn in_polygon(p: Xy, rings: &[Vec<Xy>]) -> bool {
    match rings.split_first() {
        Some((outer, holes)) => {
            point_in_ring(p, outer) && !holes.iter().any(|h| point_in_ring(p, h))
        }
        None => false,
    }
}

/// A point surely inside the polygon: on the horizontal line through the
/// middle of its box (or, failing that, through other heights), the middle
/// of the widest stretch inside.
pub fn point_on_surface(rings: &[Vec<Xy>]) -> Option<Xy> {
    let bb = bbox(&rings[0]);
    for frac in [0.5, 0.3, 0.7, 0.1, 0.9, 0.41, 0.59, 0.2, 0.8] {
        let y = bb[1] + frac * (bb[3] - bb[1]);
        let mut xs: Vec<f64> = Vec::new();
        for r in rings {
            for e in r.windows(2) {
                let (a, b) = (e[0], e[1]);
                if (a[1] > y) != (b[1] > y) {
                    xs.push(a[0] + (y - a[1]) / (b[1] - a[1]) * (b[0] - a[0]));
                }
            }
        }
        xs.sort_by(f64::total_cmp);
        let best = xs
            .chunks_exact(2)
            .map(|c| (c[1] - c[0], (c[0] + c[1]) / 2.0))
            .max_by(|x, y| x.0.total_cmp(&y.0));
        if let Some((w, x)) = best {
            if w > 0.0 && in_polygon([x, y], rings) {
                return Some([x, y]);
            }
        }
    }
    None
}
