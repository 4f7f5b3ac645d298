//! Contour lines of a DEM: marching squares (Lorensen & Cline 1987, in
//! its two-dimensional form) on the grid of cell centres.
//!
//! Each square of four neighbouring cell centres is classified by which
//! corners lie at or above the level; where an edge's two corners fall on
//! opposite sides, the contour crosses it at the point linear
//! interpolation between the corners puts at the level — so every vertex
//! of a contour lies on a grid edge and the DEM interpolated along that
//! edge equals the level to rounding (tested). A saddle (two opposite
//! corners above, two below) is resolved by the mean of the four corners,
//! the usual asymptotic-decider stand-in. Segments are joined into lines
//! by the edges they share, exactly (by edge index, never by comparing
//! coordinates): a contour closed inside the window comes back as a
//! closed ring (first vertex repeated last), one leaving it as an open
//! line.
//!
//! A square with a void (NaN) corner draws nothing: contours stop at the
//! edge of a void rather than run across it.

use crate::Dem;

/// A contour line: its level and vertices, (x, y) in the DEM's CRS.
#[derive(Debug, Clone, PartialEq)]
pub struct Contour {
    /// The level, metres.
    pub level: f64,
    /// Vertices in order; a closed ring repeats its first vertex last.
    pub points: Vec<(f64, f64)>,
    /// Whether it closes on itself inside the window.
    pub closed: bool,
}

/// A window of cell centres: columns `c0..=c1`, rows `r0..=r1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// First column.
    pub c0: usize,
    /// First row.
    pub r0: usize,
    /// Last column.
    pub c1: usize,
    /// Last row.
    pub r1: usize,
}

impl Window {
    /// The whole grid of `dem`.
    pub fn all(dem: &Dem) -> Window {
        Window {
            c0: 0,
            r0: 0,
            c1: dem.width.saturating_sub(1),
            r1: dem.height.saturating_sub(1),
        }
    }
}

/// The levels `interval` apart (multiples of it) between `lo` and `hi`.
pub fn levels(lo: f64, hi: f64, interval: f64) -> Vec<f64> {
    if !(interval > 0.0 && lo.is_finite() && hi.is_finite() && lo <= hi) {
        return Vec::new();
    }
    let first = (lo / interval).ceil() as i64;
    let last = (hi / interval).floor() as i64;
    (first..=last).map(|k| k as f64 * interval).collect()
}

/// The contours of `dem` at `levels` inside `window` (clamped to the
/// grid), line by line per level in the order of `levels`.
pub fn contours(dem: &Dem, window: Window, levels: &[f64]) -> Vec<Contour> {
    let (w, h) = (dem.width, dem.height);
    if w < 2 || h < 2 {
        return Vec::new();
    }
    let c1 = window.c1.min(w - 1);
    let r1 = window.r1.min(h - 1);
    if window.c0 >= c1 || window.r0 >= r1 {
        return Vec::new();
    }
    let mut out = Vec::new();
    // Edge indices: the horizontal edge from centre (c, r) to (c+1, r) is
    // 2(rw + c); the vertical one from (c, r) to (c, r+1) is 2(rw + c) + 1.
    let hor = |c: usize, r: usize| 2 * (r * w + c);
    let ver = |c: usize, r: usize| 2 * (r * w + c) + 1;
    for &level in levels {
        if !level.is_finite() {
            continue;
        }
        let mut segments: Vec<[usize; 2]> = Vec::new();
        for r in window.r0..r1 {
            for c in window.c0..c1 {
                let v = [
                    dem.get(c, r) as f64,
                    dem.get(c + 1, r) as f64,
                    dem.get(c + 1, r + 1) as f64,
                    dem.get(c, r + 1) as f64,
                ];
                if v.iter().any(|x| x.is_nan()) {
                    continue;
                }
                let above = |i: usize| u8::from(v[i] >= level);
                let case = above(0) | above(1) << 1 | above(2) << 2 | above(3) << 3;
                // Edges of the square: top, right, bottom, left.
                let e = [hor(c, r), ver(c + 1, r), hor(c, r + 1), ver(c, r)];
                let (t, ri, b, l) = (e[0], e[1], e[2], e[3]);
                let centre_above = (v.iter().sum::<f64>() / 4.0) >= level;
                match case {
                    0 | 15 => {}
                    1 | 14 => segments.push([l, t]),
                    2 | 13 => segments.push([t, ri]),
                    3 | 12 => segments.push([l, ri]),
                    4 | 11 => segments.push([ri, b]),
                    6 | 9 => segments.push([t, b]),
                    7 | 8 => segments.push([l, b]),
                    5 => {
                        // Top-left and bottom-right above.
                        if centre_above {
                            segments.push([l, b]);
                            segments.push([t, ri]);
                        } else {
                            segments.push([l, t]);
                            segments.push([ri, b]);
                        }
                    }
                    10 => {
                        // Top-right and bottom-left above.
                        if centre_above {
                            segments.push([l, t]);
                            segments.push([ri, b]);
                        } else {
                            segments.push([t, ri]);
                            segments.push([l, b]);
                        }
                    }
                    _ => unreachable!("four bits"),
                }
            }
        }
        let point = |edge: usize| -> (f64, f64) {
            let cell = edge / 2;
            let (c, r) = (cell % w, cell / w);
            let (c2, r2) = if edge.is_multiple_of(2) {
                (c + 1, r)
            } else {
                (c, r + 1)
            };
            let (a, b) = (dem.get(c, r) as f64, dem.get(c2, r2) as f64);
            let t = (level - a) / (b - a);
            let (x0, y0) = dem.georef.center(c, r);
            let (x1, y1) = dem.georef.center(c2, r2);
            (x0 + t * (x1 - x0), y0 + t * (y1 - y0))
        };
        for (chain, closed) in join(&segments) {
            out.push(Contour {
                level,
                points: chain.iter().map(|&e| point(e)).collect(),
                closed,
            });
        }
    }
    out
}

/// Segments (pairs of edge indices) joined into chains of edges: open
/// chains first walked from an end, then the rings (first edge repeated
/// last). An edge is met by at most two segments (the two squares that
/// share it).
fn join(segments: &[[usize; 2]]) -> Vec<(Vec<usize>, bool)> {
    use std::collections::HashMap;
    let mut at: HashMap<usize, [usize; 2]> = HashMap::with_capacity(segments.len() * 2);
    const NONE: usize = usize::MAX;
    for (i, s) in segments.iter().enumerate() {
        for &e in s {
            let slot = at.entry(e).or_insert([NONE, NONE]);
            if slot[0] == NONE {
                slot[0] = i;
            } else {
                slot[1] = i;
            }
        }
    }
    let mut used = vec![false; segments.len()];
    let mut out = Vec::new();
    let walk = |start_seg: usize, from: usize, used: &mut Vec<bool>| -> Vec<usize> {
        let mut chain = vec![from];
        let (mut seg, mut edge) = (start_seg, from);
        loop {
            used[seg] = true;
            let s = segments[seg];
            let next = if s[0] == edge { s[1] } else { s[0] };
            chain.push(next);
            let slot = at[&next];
            let other = if slot[0] == seg { slot[1] } else { slot[0] };
            if other == NONE || used[other] {
                return chain;
            }
            seg = other;
            edge = next;
        }
    };
    // Open chains start at an edge met once.
    for (i, s) in segments.iter().enumerate() {
        if used[i] {
            continue;
        }
        for &e in s {
            if at[&e][1] == NONE && !used[i] {
                out.push((walk(i, e, &mut used), false));
            }
        }
    }
    for i in 0..segments.len() {
        if !used[i] {
            let chain = walk(i, segments[i][0], &mut used);
            out.push((chain, true));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Georef, SampleType};
    use terminus_geodesy::Crs;

    fn grid(w: usize, h: usize, f: impl Fn(f64, f64) -> f32) -> Dem {
        let georef = Georef {
            x0: 0.0,
            y0: h as f64,
            dx: 1.0,
            dy: 1.0,
            crs: Crs::Epsg(32643),
            pixel_is_point: false,
        };
        let mut d = Dem::empty(w, h, georef, SampleType::F32, None);
        for r in 0..h {
            for c in 0..w {
                let (x, y) = d.georef.center(c, r);
                d.data[r * w + c] = f(x, y);
            }
        }
        d
    }

    /// The DEM interpolated linearly along the grid edge a point lies on.
    fn on_edge(d: &Dem, (x, y): (f64, f64)) -> f64 {
        let c = (x - 0.5).floor() as usize;
        let r = (d.georef.y0 - y - 0.5).floor() as usize;
        let (fx, fy) = (x - 0.5 - c as f64, d.georef.y0 - y - 0.5 - r as f64);
        if fy.abs() < 1e-12 {
            let (a, b) = (d.get(c, r) as f64, d.get(c + 1, r) as f64);
            a + fx * (b - a)
        } else {
            assert!(fx.abs() < 1e-12, "({x}, {y}) lies on no grid edge");
            let (a, b) = (d.get(c, r) as f64, d.get(c, r + 1) as f64);
            a + fy * (b - a)
        }
    }

    #[test]
    fn a_tilted_plane_gives_straight_open_contours_at_their_levels() {
        // z = 10 x + 3 y: every level crosses the window once, open.
        let d = grid(20, 15, |x, y| (10.0 * x + 3.0 * y) as f32);
        let lv = levels(0.0, 300.0, 25.0);
        assert_eq!(lv.first(), Some(&0.0));
        assert_eq!(lv.last(), Some(&300.0));
        let cs = contours(&d, Window::all(&d), &lv);
        // Levels the cell centres span: 10·0.5+3·0.5 = 6.5 up to 10·19.5+3·14.5 = 238.5.
        let inside: Vec<f64> = lv
            .iter()
            .copied()
            .filter(|&l| l > 6.5 && l <= 238.5)
            .collect();
        let got: Vec<f64> = cs.iter().map(|c| c.level).collect();
        assert_eq!(got, inside);
        for c in &cs {
            assert!(!c.closed);
            for &p in &c.points {
                assert!((10.0 * p.0 + 3.0 * p.1 - c.level).abs() < 1e-9);
                assert!((on_edge(&d, p) - c.level).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn a_peak_gives_closed_rings_and_a_void_opens_them() {
        // A cone 1,000 m high, centred in the grid.
        let cone = |x: f64, y: f64| (1000.0 - 40.0 * ((x - 20.0).hypot(y - 20.0))) as f32;
        let d = grid(40, 40, cone);
        let lv = [400.0, 600.0, 800.0];
        let cs = contours(&d, Window::all(&d), &lv);
        assert_eq!(cs.len(), 3);
        for c in &cs {
            assert!(c.closed, "{}", c.level);
            assert_eq!(c.points.first(), c.points.last());
            let radius = (1000.0 - c.level) / 40.0;
            for &p in &c.points {
                assert!((on_edge(&d, p) - c.level).abs() < 1e-6);
                // Linear interpolation of a cone along an edge: within a
                // cell of the true circle.
                assert!(((p.0 - 20.0).hypot(p.1 - 20.0) - radius).abs() < 0.5);
            }
        }
        // A void on the 600 m ring (radius 10): that ring opens; the others stay closed.
        let mut holed = d.clone();
        let (c, r) = (20 + 10, 20);
        holed.data[r * 40 + c] = f32::NAN;
        let cs = contours(&holed, Window::all(&holed), &lv);
        let ring = |l: f64| cs.iter().filter(|c| c.level == l).collect::<Vec<_>>();
        assert!(ring(400.0)[0].closed && ring(800.0)[0].closed);
        assert_eq!(ring(600.0).len(), 1);
        assert!(!ring(600.0)[0].closed);
        // A window cuts the rings into open lines.
        let half = contours(
            &d,
            Window {
                c0: 0,
                r0: 0,
                c1: 20,
                r1: 39,
            },
            &lv,
        );
        assert!(half.iter().all(|c| !c.closed));
        assert_eq!(half.len(), 3);
    }

    #[test]
    fn a_saddle_is_resolved_by_the_centre() {
        // Corners 0, 10 / 10, 0 in a 2 × 2 grid, level 5: mean 5 ≥ 5, so
        // the two high corners join through the centre (two segments
        // cutting off the low corners).
        let d = grid(2, 2, |x, y| if (x < 1.0) == (y < 1.0) { 10.0 } else { 0.0 });
        let cs = contours(&d, Window::all(&d), &[5.0]);
        assert_eq!(cs.len(), 2);
        for c in &cs {
            assert_eq!(c.points.len(), 2);
            for &p in &c.points {
                assert!((on_edge(&d, p) - 5.0).abs() < 1e-12);
            }
        }
        // Nothing at a level outside the heights, nothing on a flat grid.
        assert!(contours(&d, Window::all(&d), &[20.0]).is_empty());
        let flat = grid(5, 5, |_, _| 100.0);
        assert!(contours(&flat, Window::all(&flat), &[100.0, 50.0]).is_empty());
        assert!(levels(10.0, 5.0, 1.0).is_empty());
        assert!(levels(0.0, 5.0, 0.0).is_empty());
    }
}
