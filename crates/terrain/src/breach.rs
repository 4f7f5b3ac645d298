//! Depression breaching: J. B. Lindsay (2016), "Efficient hybrid
//! breaching-filling sink removal methods for flow path enforcement in
//! digital elevation models", Hydrological Processes 30, 846–857 — the
//! least-cost variant (as WhiteboxTools' BreachDepressionsLeastCost).
//!
//! Pits are taken from the lowest up. From each, a least-cost search
//! (Dijkstra, 8 neighbours) looks for the nearest way out — a cell lower
//! than the pit, or an outlet (the edge, a void) — where entering a cell
//! costs the depth it would have to be cut (its height above the pit; a
//! tiny length term breaks ties toward shorter channels). The channel found
//! is cut so that heights fall strictly along it from the pit; a channel
//! longer than `max_length` cells or deeper than `max_depth` is not cut,
//! and what is left is filled (the hybrid method), so the result drains
//! everywhere. Breaching changes the DEM less than filling where valleys
//! are dammed by a narrow obstruction (a road embankment, a DEM artefact).

use crate::dem::Dem;
use crate::fill::N8;
use crate::queue::Cheapest;
use std::collections::{BinaryHeap, HashMap};

/// What breaching did.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct BreachReport {
    /// Pits found.
    pub pits: usize,
    /// Pits drained by a cut channel.
    pub breached: usize,
    /// Cells lowered by the channels.
    pub cells_lowered: usize,
    /// Cells raised by filling what could not be breached.
    pub cells_filled: usize,
}

fn next_down(x: f32) -> f32 {
    if x.is_nan() || x == f32::NEG_INFINITY {
        return x;
    }
    if x == 0.0 {
        return -f32::from_bits(1);
    }
    let b = x.to_bits();
    f32::from_bits(if x > 0.0 { b - 1 } else { b + 1 })
}

/// Breach the depressions of `dem` in place (then fill the rest, +ε, so
/// every cell drains). `max_length`: the longest channel, in cells;
/// `max_depth`: the deepest cut, metres.
pub fn breach(dem: &mut Dem, max_length: usize, max_depth: f32) -> BreachReport {
    let (w, h) = (dem.width, dem.height);
    let original = dem.data.clone();
    let z = &mut dem.data;
    let edge = |i: usize| {
        let (c, r) = (i % w, i / w);
        c == 0 || r == 0 || c + 1 == w || r + 1 == h
    };
    let neighbours = move |i: usize| {
        let (c, r) = ((i % w) as isize, (i / w) as isize);
        N8.iter().filter_map(move |&(dc, dr)| {
            let (nc, nr) = (c + dc, r + dr);
            (nc >= 0 && nr >= 0 && (nc as usize) < w && (nr as usize) < h)
                .then(|| nr as usize * w + nc as usize)
        })
    };
    let is_pit = |z: &[f32], i: usize| {
        !z[i].is_nan()
            && !edge(i)
            && neighbours(i).all(|n| !z[n].is_nan() && z[n] >= z[i])
            && neighbours(i).any(|n| z[n] > z[i])
    };
    let mut pits: Vec<usize> = (0..w * h).filter(|&i| is_pit(z, i)).collect();
    pits.sort_by(|&a, &b| z[a].total_cmp(&z[b]).then(a.cmp(&b)));
    let mut report = BreachReport {
        pits: pits.len(),
        ..Default::default()
    };
    for p in pits {
        if !is_pit(z, p) {
            continue; // drained by an earlier channel
        }
        let zp = z[p];
        // Dijkstra over cut depth, with (steps, predecessor) per visited cell.
        let mut seen: HashMap<usize, (f64, usize, usize)> = HashMap::new(); // cell -> (cost, steps, prev)
        let mut heap = BinaryHeap::new();
        seen.insert(p, (0.0, 0, p));
        heap.push(Cheapest(0.0, p));
        let mut exit = None;
        while let Some(Cheapest(cost, i)) = heap.pop() {
            let (best, steps, _) = seen[&i];
            if cost > best {
                continue;
            }
            if i != p && (z[i] < zp || edge(i) || neighbours(i).any(|n| z[n].is_nan())) {
                exit = Some(i);
                break;
            }
            if steps >= max_length {
                continue;
            }
            for n in neighbours(i) {
                if z[n].is_nan() {
                    continue;
                }
                let cut = (z[n] - zp).max(0.0);
                if cut > max_depth {
                    continue;
                }
                let c = cost + cut as f64 + 1e-6;
                if seen.get(&n).is_none_or(|&(b, _, _)| c < b) {
                    seen.insert(n, (c, steps + 1, i));
                    heap.push(Cheapest(c, n));
                }
            }
        }
        let Some(t) = exit else { continue };
        // The channel, pit first; cut so heights fall strictly from the pit.
        let mut path = vec![t];
        while *path.last().unwrap_or(&p) != p {
            let prev = seen[path.last().unwrap_or(&p)].2;
            path.push(prev);
        }
        path.reverse();
        let mut level = zp;
        for &i in &path[1..] {
            level = next_down(level);
            if z[i] > level {
                z[i] = level;
                report.cells_lowered += 1;
            } else {
                level = z[i];
            }
        }
        report.breached += 1;
    }
    // The hybrid step: fill (+ε) what was not breached.
    crate::fill::fill(dem, crate::fill::NodataAs::Outlet, true);
    report.cells_filled = dem
        .data
        .iter()
        .zip(&original)
        .filter(|(a, b)| a > b)
        .count();
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dem::{Georef, SampleType};
    use terminus_geodesy::Crs;

    /// A valley dammed by a one-cell-wide wall: breaching cuts the wall
    /// (a few cells lowered) where filling would raise the whole lake.
    #[test]
    fn a_dam_is_cut_not_filled() {
        let (w, h) = (30, 9);
        let g = Georef {
            x0: 0.0,
            y0: 1.0,
            dx: 0.001,
            dy: 0.001,
            crs: Crs::WGS84,
            pixel_is_point: false,
        };
        let mut d = Dem::empty(w, h, g, SampleType::F32, None);
        for r in 0..h {
            for c in 0..w {
                // A valley along row 4 falling to the east, walls either side.
                let valley = 100.0 - c as f32 + 20.0 * (r as f32 - 4.0).abs();
                d.data[r * w + c] = if c == 20 { valley + 15.0 } else { valley };
            }
        }
        let mut filled = d.clone();
        crate::fill::fill(&mut filled, crate::fill::NodataAs::Outlet, true);
        let raised_by_fill = filled
            .data
            .iter()
            .zip(&d.data)
            .filter(|(a, b)| a > b)
            .count();
        let mut b = d.clone();
        let rep = breach(&mut b, 50, 100.0);
        assert!(
            rep.breached >= 1 && rep.cells_lowered >= 1 && rep.cells_lowered <= 3,
            "{rep:?}"
        );
        assert!(
            rep.cells_filled < raised_by_fill,
            "{rep:?} vs fill {raised_by_fill}"
        );
        // The valley floor now falls all the way east.
        for c in 1..w - 1 {
            assert!(b.get(c + 1, 4) < b.get(c, 4), "row 4 rises at column {c}");
        }
    }
}
