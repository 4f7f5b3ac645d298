//! The water-parting line between two drainage areas: the cell edges
//! where a cell of one basin meets a cell of the other (4-neighbour
//! adjacency), chained into lines along the grid, with the terrain height
//! along them (the mean of the two cells either side) and its highest
//! point and passes (local lows). The lines run on cell boundaries, so
//! they are exact to the DEM's resolution; simplification (Douglas–Peucker
//! in a local gnomonic plane, tolerance in metres) is the caller's choice.

use crate::dem::Dem;

/// A point of the divide: grid vertex (col, row) and the height there.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DividePoint {
    /// Grid-vertex column (0 = the DEM's west edge).
    pub col: usize,
    /// Grid-vertex row (0 = the DEM's north edge).
    pub row: usize,
    /// Terrain height of the divide at the edge leading to this point, m.
    pub height: f32,
}

/// The divide between labels `a` and `b`: polylines of grid vertices, the
/// longest first.
pub fn divide(dem: &Dem, labels: &[u32], a: u32, b: u32) -> Vec<Vec<DividePoint>> {
    let (w, h) = (dem.width, dem.height);
    let vw = w + 1;
    let id = |c: usize, r: usize| r * vw + c;
    // Edges between grid vertices, with heights.
    let mut edges: Vec<(usize, usize, f32)> = Vec::new();
    let pair = |x: u32, y: u32| (x == a && y == b) || (x == b && y == a);
    for r in 0..h {
        for c in 0..w {
            let l = labels[r * w + c];
            if c + 1 < w && pair(l, labels[r * w + c + 1]) {
                let z = (dem.get(c, r) + dem.get(c + 1, r)) / 2.0;
                edges.push((id(c + 1, r), id(c + 1, r + 1), z));
            }
            if r + 1 < h && pair(l, labels[(r + 1) * w + c]) {
                let z = (dem.get(c, r) + dem.get(c, r + 1)) / 2.0;
                edges.push((id(c, r + 1), id(c + 1, r + 1), z));
            }
        }
    }
    // Adjacency of grid vertices.
    let mut adj: std::collections::HashMap<usize, Vec<usize>> = std::collections::HashMap::new();
    for (k, &(u, v, _)) in edges.iter().enumerate() {
        adj.entry(u).or_default().push(k);
        adj.entry(v).or_default().push(k);
    }
    let mut used = vec![false; edges.len()];
    let point = |v: usize, z: f32| DividePoint {
        col: v % vw,
        row: v / vw,
        height: z,
    };
    let walk = |start: usize, used: &mut Vec<bool>| -> Vec<DividePoint> {
        let mut line = Vec::new();
        let mut v = start;
        let mut z_in = f32::NAN;
        loop {
            line.push(point(v, z_in));
            let next = adj[&v].iter().copied().find(|&k| !used[k]);
            let Some(k) = next else { break };
            used[k] = true;
            let (p, q, z) = edges[k];
            z_in = z;
            v = if p == v { q } else { p };
            // Stop at a junction (degree ≠ 2) after stepping onto it.
            if adj[&v].len() != 2 {
                line.push(point(v, z_in));
                break;
            }
        }
        // The first point takes its edge's height.
        if line.len() >= 2 {
            line[0].height = line[1].height;
        }
        line
    };
    let mut lines = Vec::new();
    // Open chains from ends and junctions, then closed loops.
    let mut starts: Vec<usize> = adj
        .iter()
        .filter(|(_, ks)| ks.len() != 2)
        .map(|(&v, _)| v)
        .collect();
    starts.sort_unstable();
    for s in starts {
        while adj[&s].iter().any(|&k| !used[k]) {
            lines.push(walk(s, &mut used));
        }
    }
    for k in 0..edges.len() {
        if !used[k] {
            lines.push(walk(edges[k].0, &mut used));
        }
    }
    lines.retain(|l| l.len() >= 2);
    lines.sort_by_key(|l| std::cmp::Reverse(l.len()));
    lines
}

/// Douglas–Peucker on planar points within `tol`: the indices kept.
pub fn simplify(xy: &[[f64; 2]], tol: f64) -> Vec<usize> {
    if xy.len() <= 2 || tol <= 0.0 {
        return (0..xy.len()).collect();
    }
    let mut keep = vec![false; xy.len()];
    keep[0] = true;
    keep[xy.len() - 1] = true;
    let mut stack = vec![(0usize, xy.len() - 1)];
    while let Some((i, j)) = stack.pop() {
        let (a, b) = (xy[i], xy[j]);
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let len = dx.hypot(dy);
        let mut best = (0.0, i);
        for (k, p) in xy.iter().enumerate().take(j).skip(i + 1) {
            let d = if len == 0.0 {
                (p[0] - a[0]).hypot(p[1] - a[1])
            } else {
                ((p[0] - a[0]) * dy - (p[1] - a[1]) * dx).abs() / len
            };
            if d > best.0 {
                best = (d, k);
            }
        }
        if best.0 > tol {
            keep[best.1] = true;
            stack.push((i, best.1));
            stack.push((best.1, j));
        }
    }
    (0..xy.len()).filter(|&k| keep[k]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dem::{Georef, SampleType};
    use terminus_geodesy::Crs;

    /// Two basins split by a straight north–south boundary after column 4:
    /// one line down the grid edge x = 5, the whole height of the grid.
    #[test]
    fn a_straight_divide() {
        let g = Georef {
            x0: 0.0,
            y0: 10.0,
            dx: 1.0,
            dy: 1.0,
            crs: Crs::WGS84,
            pixel_is_point: false,
        };
        let mut d = Dem::empty(10, 10, g, SampleType::F32, None);
        d.data
            .iter_mut()
            .enumerate()
            .for_each(|(i, v)| *v = 100.0 + (i / 10) as f32);
        let labels: Vec<u32> = (0..100).map(|i| if i % 10 < 5 { 1 } else { 2 }).collect();
        let lines = divide(&d, &labels, 1, 2);
        assert_eq!(lines.len(), 1);
        let l = &lines[0];
        assert_eq!(l.len(), 11);
        assert!(l.iter().all(|p| p.col == 5));
        let rows: Vec<usize> = l.iter().map(|p| p.row).collect();
        assert!(rows == (0..=10).collect::<Vec<_>>() || rows == (0..=10).rev().collect::<Vec<_>>());
        // Heights are those of the rows either side of each edge.
        assert!(l.iter().all(|p| (100.0..=109.0).contains(&p.height)));
        // A straight line simplifies to its two ends.
        let xy: Vec<[f64; 2]> = l.iter().map(|p| [p.col as f64, p.row as f64]).collect();
        assert_eq!(simplify(&xy, 0.1), vec![0, 10]);
    }
}
