//! Drainage over flats: R. Barnes, C. Lehman, D. Mulla (2014), "An
//! efficient assignment of drainage direction over flat surfaces in raster
//! digital elevation models", Computers & Geosciences 62, 128–135.
//!
//! A plain Priority-Flood fill leaves flats (filled depressions, and flat
//! valley floors) where D8 finds no lower neighbour. Each flat is labelled
//! from its low edges (cells that drain, next to flat cells of the same
//! height); two breadth-first gradients are combined — away from higher
//! terrain (from the flat's high edges) and towards lower terrain (from
//! its low edges, weighted double) — and each flat cell then drains to the
//! neighbour of the same flat with the smallest combined value. Flow thus
//! leaves the flat by its outlets, keeping off its rim: no heights are
//! changed.

use crate::dem::Dem;
use crate::fill::N8;
use crate::flow::NO_FLOW;
use std::collections::VecDeque;

/// Give every flat cell of `dir` (D8 directions of a plain-filled `dem`) a
/// direction. Returns how many cells got one. Flats with no outlet (a
/// DEM not filled first) are left as they are.
pub fn resolve_flats(dem: &Dem, dir: &mut [u8]) -> usize {
    let (w, h) = (dem.width, dem.height);
    let z = &dem.data;
    let n = w * h;
    let nb = |i: usize| {
        let (c, r) = ((i % w) as isize, (i / w) as isize);
        // RichDEM's neighbour order for ties: W, NW, N, NE, E, SE, S, SW.
        [4usize, 5, 6, 7, 0, 1, 2, 3]
            .into_iter()
            .filter_map(move |k| {
                let (dc, dr) = N8[k];
                let (nc, nr) = (c + dc, r + dr);
                (nc >= 0 && nr >= 0 && (nc as usize) < w && (nr as usize) < h)
                    .then(|| (k, nr as usize * w + nc as usize))
            })
    };
    let edge = |i: usize| {
        let (c, r) = (i % w, i / w);
        c == 0 || r == 0 || c + 1 == w || r + 1 == h
    };
    let flat = |i: usize, dir: &[u8]| dir[i] == NO_FLOW && !z[i].is_nan() && !edge(i);
    // High edges: flat cells next to higher ground. Low edges: draining
    // cells next to a flat cell of the same height.
    let mut high: Vec<usize> = Vec::new();
    let mut low: Vec<usize> = Vec::new();
    for i in 0..n {
        if z[i].is_nan() {
            continue;
        }
        if flat(i, dir) {
            if nb(i).any(|(_, j)| !z[j].is_nan() && z[j] > z[i]) {
                high.push(i);
            }
        } else if (dir[i] != NO_FLOW || edge(i)) && nb(i).any(|(_, j)| flat(j, dir) && z[j] == z[i])
        {
            // (Edge cells drain off the grid: they are outlets too.)
            low.push(i);
        }
    }
    if low.is_empty() {
        return 0;
    }
    // Label each flat by flooding over equal heights from its low edges.
    let mut label = vec![0u32; n];
    let mut next = 1u32;
    for &s in &low {
        if label[s] != 0 {
            continue;
        }
        let mut q = VecDeque::from([s]);
        label[s] = next;
        while let Some(i) = q.pop_front() {
            for (_, j) in nb(i) {
                if label[j] == 0 && z[j] == z[s] {
                    label[j] = next;
                    q.push_back(j);
                }
            }
        }
        next += 1;
    }
    let high: Vec<usize> = high.into_iter().filter(|&i| label[i] != 0).collect();
    // Gradient away from higher terrain.
    let mut mask = vec![0i32; n];
    let mut flat_height = vec![0i32; next as usize];
    let mut q: VecDeque<(usize, i32)> = high.iter().map(|&i| (i, 1)).collect();
    while let Some((i, loops)) = q.pop_front() {
        if mask[i] > 0 {
            continue;
        }
        mask[i] = loops;
        flat_height[label[i] as usize] = loops;
        for (_, j) in nb(i) {
            if label[j] == label[i] && flat(j, dir) {
                q.push_back((j, loops + 1));
            }
        }
    }
    // Towards lower terrain, combined: cells reached by the first gradient
    // become (height − away) + 2·towards, the others 2·towards.
    for m in mask.iter_mut() {
        *m = -*m;
    }
    let mut q: VecDeque<(usize, i32)> = low.iter().map(|&i| (i, 1)).collect();
    while let Some((i, loops)) = q.pop_front() {
        if mask[i] > 0 {
            continue;
        }
        mask[i] = if mask[i] < 0 {
            flat_height[label[i] as usize] + mask[i] + 2 * loops
        } else {
            2 * loops
        };
        for (_, j) in nb(i) {
            if label[j] == label[i] && flat(j, dir) {
                q.push_back((j, loops + 1));
            }
        }
    }
    // Each flat cell drains to the neighbour of its flat with the smallest mask.
    let mut set = 0;
    let flats: Vec<usize> = (0..n).filter(|&i| label[i] != 0 && flat(i, dir)).collect();
    for i in flats {
        let mut best: Option<(i32, u8)> = None;
        for (k, j) in nb(i) {
            if label[j] != label[i] || mask[j] >= mask[i] {
                continue;
            }
            if best.is_none_or(|(m, _)| mask[j] < m) {
                best = Some((mask[j], k as u8));
            }
        }
        if let Some((_, k)) = best {
            dir[i] = k;
            set += 1;
        }
    }
    set
}
