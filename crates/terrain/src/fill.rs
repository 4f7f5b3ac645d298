//! Depression filling by Priority-Flood (R. Barnes, C. Lehman, D. Mulla
//! (2014), "Priority-Flood: An optimal depression-filling and
//! watershed-labeling algorithm for digital elevation models", Computers &
//! Geosciences 62, 117–127): Algorithm 2 (a priority queue for the
//! flooding front plus a plain queue for cells inside a pit, which need no
//! ordering), and Algorithm 3 (+ε: each cell raised to just above the cell
//! it was reached from, so that every cell then drains, with no flats).
//!
//! Seeds (the outlets): every valid cell on the DEM's edge, and — with
//! `NodataAs::Outlet`, the default, as RichDEM does — every valid cell next
//! to a nodata cell; with `NodataAs::Barrier` nodata cells are walls and
//! only the edge drains. Connectivity: 8 neighbours.

use crate::dem::Dem;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

/// What nodata cells (voids) are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NodataAs {
    /// Water may leave through them (they are outlets, like the edge).
    #[default]
    Outlet,
    /// Walls: nothing drains into them.
    Barrier,
}

#[derive(PartialEq)]
struct Front(f32, u32);
impl Eq for Front {}
impl PartialOrd for Front {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Front {
    // A min-heap on height, ties by cell index (deterministic).
    fn cmp(&self, o: &Self) -> Ordering {
        o.0.total_cmp(&self.0).then(o.1.cmp(&self.1))
    }
}

/// The 8 neighbours' offsets (dc, dr), rows running south: E, SE, S, SW, W, NW, N, NE.
pub const N8: [(isize, isize); 8] = [
    (1, 0),
    (1, 1),
    (0, 1),
    (-1, 1),
    (-1, 0),
    (-1, -1),
    (0, -1),
    (1, -1),
];

/// Fill the depressions of `dem` in place. With `epsilon`, cells of a
/// filled depression rise by the smallest f32 step (Algorithm 3) so the
/// surface drains everywhere; without, they are set level to the spill
/// height (the unique minimal depression-free surface). Returns the number
/// of cells raised.
pub fn fill(dem: &mut Dem, nodata: NodataAs, epsilon: bool) -> usize {
    fill_seeded(dem, nodata, epsilon, false)
}

/// How the grid's edge drains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EdgeRule {
    /// Every edge cell is an outlet (RichDEM; water may leave the grid
    /// anywhere along its edge).
    #[default]
    Outlet,
    /// WhiteboxTools' FillDepressions: water leaves a depression only into
    /// a strictly lower cell, never off the edge. An edge cell then stays a
    /// sink only if it has no lower neighbour and its plateau (the cells of
    /// the same height joined to it) holds no interior cell — else it is
    /// part of a depression and filled with it.
    Whitebox,
}

/// As [`fill`], with the edge drained by `edges`.
pub fn fill_with_edges(dem: &mut Dem, nodata: NodataAs, epsilon: bool, edges: EdgeRule) -> usize {
    fill_seeded(dem, nodata, epsilon, edges == EdgeRule::Whitebox)
}

fn fill_seeded(dem: &mut Dem, nodata: NodataAs, epsilon: bool, edge_minima_only: bool) -> usize {
    let (w, h) = (dem.width, dem.height);
    let z = &mut dem.data;
    let mut closed = vec![false; w * h];
    let mut open: BinaryHeap<Front> = BinaryHeap::new();
    let mut pit: VecDeque<u32> = VecDeque::new();
    let neighbours = |i: usize| {
        let (c, r) = ((i % w) as isize, (i / w) as isize);
        N8.iter().filter_map(move |&(dc, dr)| {
            let (nc, nr) = (c + dc, r + dr);
            (nc >= 0 && nr >= 0 && (nc as usize) < w && (nr as usize) < h)
                .then(|| nr as usize * w + nc as usize)
        })
    };
    // Whether the plateau of equal height around edge cell `s` holds an
    // interior cell (WhiteboxTools' rule; see EdgeRule::Whitebox).
    let plateau_reaches_interior = |s: usize| {
        let mut seen = std::collections::HashSet::from([s]);
        let mut stack = vec![s];
        while let Some(i) = stack.pop() {
            let (c, r) = (i % w, i / w);
            if c > 0 && r > 0 && c + 1 < w && r + 1 < h {
                return true;
            }
            for n in neighbours(i) {
                if z[n] == z[s] && seen.insert(n) {
                    stack.push(n);
                }
            }
        }
        false
    };
    for i in 0..w * h {
        if z[i].is_nan() {
            closed[i] = true;
            continue;
        }
        let (c, r) = (i % w, i / w);
        let mut edge = c == 0 || r == 0 || c + 1 == w || r + 1 == h;
        if edge && edge_minima_only {
            edge = !neighbours(i).any(|n| !z[n].is_nan() && z[n] < z[i])
                && !plateau_reaches_interior(i);
        }
        let by_void = nodata == NodataAs::Outlet && neighbours(i).any(|n| z[n].is_nan());
        if edge || by_void {
            closed[i] = true;
            open.push(Front(z[i], i as u32));
        }
    }
    let mut raised = 0;
    loop {
        let i = if let Some(i) = pit.pop_front() {
            i as usize
        } else if let Some(Front(_, i)) = open.pop() {
            i as usize
        } else {
            break;
        };
        let zi = z[i];
        for n in neighbours(i) {
            if closed[n] {
                continue;
            }
            closed[n] = true;
            if z[n] <= zi {
                // In a depression (or on a flat): raise to the spill
                // height (+ε: just above the cell it was reached from).
                let level = if epsilon { next_up(zi) } else { zi };
                if z[n] != level {
                    z[n] = level;
                    raised += 1;
                }
                pit.push_back(n as u32);
            } else {
                open.push(Front(z[n], n as u32));
            }
        }
    }
    raised
}

/// The next representable f32 above `x` (Rust's f32::next_up, spelled out
/// for older toolchains' sake).
fn next_up(x: f32) -> f32 {
    if x.is_nan() || x == f32::INFINITY {
        return x;
    }
    if x == 0.0 {
        return f32::from_bits(1);
    }
    let b = x.to_bits();
    f32::from_bits(if x > 0.0 { b + 1 } else { b - 1 })
}
