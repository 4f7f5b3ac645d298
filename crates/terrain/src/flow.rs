//! D8 flow directions (O'Callaghan & Mark 1984: each cell drains to the
//! neighbour of steepest descent), flow accumulation (cells counted in
//! topological order, Kahn's algorithm: O(n), no recursion), and drainage
//! basins (every cell labelled with the outlet it drains to).
//!
//! Slopes divide the drop by the distance between cell centres. With
//! [`CellMetric::Ellipsoid`] (the default) that distance is measured on the
//! ellipsoid — on a geographic DEM a cell 15″ wide is 359 m east–west but
//! 463 m north–south at 39°N, and which neighbour is steepest depends on
//! it; [`CellMetric::Grid`] uses the grid's own units (cells as squares of
//! side dx, diagonals √2·dx), as RichDEM and most tools do on geographic
//! grids, for comparison with them.

use crate::dem::Dem;
use crate::fill::N8;

/// No downslope neighbour: an outlet (edge, next to a void, or a flat or
/// pit left unresolved).
pub const NO_FLOW: u8 = 255;

/// The order neighbours are tried in, so that ties go to the first:
/// W, NW, N, NE, E, SE, S, SW (RichDEM's order, so results compare).
const SCAN: [usize; 8] = [4, 5, 6, 7, 0, 1, 2, 3];

/// How distances between cell centres are measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CellMetric {
    /// On the ellipsoid (projected DEMs: the grid's metres).
    #[default]
    Ellipsoid,
    /// In grid units, cells taken as squares.
    Grid,
    /// In the CRS's units, the cell's own width and height (degrees on a
    /// geographic grid, to the last bit as the file gives them), as
    /// WhiteboxTools' D8Pointer does.
    CrsUnits,
    /// No distance at all: the lowest neighbour (the largest drop), as
    /// RichDEM's D8 does (measured: it sends a cell 101 m above its north
    /// neighbour to a north-east one 118 m lower, where the slope per unit
    /// distance is 83).
    Drop,
}

/// D8 directions: for each cell the index into the 8 neighbours
/// (E, SE, S, SW, W, NW, N, NE — see [`N8`]) of its steepest descent, or
/// [`NO_FLOW`]. Ties go to the first of W, NW, N, NE, E, SE, S, SW. Nodata cells, cells
/// with no lower neighbour, and every cell on the grid's edge (the edge
/// drains off the grid) get [`NO_FLOW`].
pub fn d8(dem: &Dem, metric: CellMetric) -> Vec<u8> {
    d8_with(dem, metric, D8Rules::RICHDEM)
}

/// Conventions D8 tools differ in: whether edge cells are outlets, and the
/// order in which neighbours are tried (ties go to the first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct D8Rules {
    /// Edge cells drain off the grid (RichDEM), or like any other cell,
    /// to their steepest lower neighbour in the grid (WhiteboxTools).
    pub edge_outlets: bool,
    /// Neighbours in the order tried, as indices into [`N8`].
    pub scan: [usize; 8],
}

impl D8Rules {
    /// RichDEM's: edges are outlets; W, NW, N, NE, E, SE, S, SW.
    pub const RICHDEM: D8Rules = D8Rules {
        edge_outlets: true,
        scan: SCAN,
    };
    /// WhiteboxTools' D8Pointer: edges drain inward too; NE, E, SE, S, SW, W, NW, N.
    pub const WHITEBOX: D8Rules = D8Rules {
        edge_outlets: false,
        scan: [7, 0, 1, 2, 3, 4, 5, 6],
    };
}

/// As [`d8`], under the given tool's [`D8Rules`].
pub fn d8_with(dem: &Dem, metric: CellMetric, rules: D8Rules) -> Vec<u8> {
    let edge_outlets = rules.edge_outlets;
    use rayon::prelude::*;
    let (w, h) = (dem.width, dem.height);
    // Neighbour distances per row: east–west, north–south, diagonal.
    let dist: Vec<[f64; 3]> = (0..h)
        .map(|r| match metric {
            CellMetric::Grid => [1.0, 1.0, std::f64::consts::SQRT_2],
            CellMetric::Drop => [1.0, 1.0, 1.0],
            CellMetric::CrsUnits => {
                let g = &dem.georef;
                [g.dx, g.dy, g.dx.hypot(g.dy)]
            }
            CellMetric::Ellipsoid => {
                let (ew, ns, _) = dem.cell_size_m(r);
                [ew, ns, ew.hypot(ns)]
            }
        })
        .collect();
    let z = &dem.data;
    let mut dir = vec![NO_FLOW; w * h];
    dir.par_chunks_mut(w).enumerate().for_each(|(r, row)| {
        for (c, out) in row.iter_mut().enumerate() {
            let zi = z[r * w + c];
            // The edge drains off the grid: edge cells are outlets (as in
            // RichDEM and WhiteboxTools), and so are nodata cells.
            if zi.is_nan() || (edge_outlets && (c == 0 || r == 0 || c + 1 == w || r + 1 == h)) {
                continue;
            }
            let mut best = (0.0f64, NO_FLOW);
            for k in rules.scan {
                let (dc, dr) = N8[k];
                let (nc, nr) = (c as isize + dc, r as isize + dr);
                if nc < 0 || nr < 0 || nc as usize >= w || nr as usize >= h {
                    continue;
                }
                let zn = z[nr as usize * w + nc as usize];
                if zn.is_nan() || zn >= zi {
                    continue;
                }
                let d = if dc != 0 && dr != 0 {
                    dist[r][2]
                } else if dc != 0 {
                    dist[r][0]
                } else {
                    dist[r][1]
                };
                let slope = (zi - zn) as f64 / d;
                if slope > best.0 {
                    best = (slope, k as u8);
                }
            }
            *out = best.1;
        }
    });
    dir
}

fn downstream(i: usize, d: u8, w: usize) -> usize {
    let (dc, dr) = N8[d as usize];
    ((i / w) as isize + dr) as usize * w + ((i % w) as isize + dc) as usize
}

/// Flow accumulation: the number of cells (itself included) draining
/// through each cell; 0 on nodata. Kahn's topological order over the D8
/// graph, so it is linear and needs no recursion; the total over outlets
/// equals the number of valid cells (conservation).
pub fn accumulation(dir: &[u8], valid: &[bool], w: usize) -> Vec<u32> {
    let n = dir.len();
    let mut donors = vec![0u8; n];
    for i in 0..n {
        if valid[i] && dir[i] != NO_FLOW {
            donors[downstream(i, dir[i], w)] += 1;
        }
    }
    let mut acc: Vec<u32> = valid.iter().map(|&v| v as u32).collect();
    // From every source, walk downstream while each cell reached has
    // received from all its donors: Kahn's order without a queue (no
    // memory beyond the two grids — 5 bytes a cell).
    // A cell done (it has passed its flow on) is marked DONE, so that the
    // scan does not start from it again when its donors reach zero.
    const DONE: u8 = u8::MAX;
    for s in 0..n {
        if !valid[s] || donors[s] != 0 {
            continue;
        }
        let mut i = s;
        donors[i] = DONE;
        while dir[i] != NO_FLOW {
            let j = downstream(i, dir[i], w);
            acc[j] += acc[i];
            donors[j] -= 1;
            if donors[j] != 0 {
                break;
            }
            donors[j] = DONE;
            i = j;
        }
    }
    acc
}

/// Basin labels: each valid cell gets the label of the outlet it drains
/// to; `outlets` gives labelled cells (pour points, or every NO_FLOW cell
/// for the basins of the grid's edge), 1-based labels, 0 for cells that
/// reach none of them. Labels spread upstream by a queue, O(n).
pub fn basins(dir: &[u8], valid: &[bool], w: usize, outlets: &[(usize, u32)]) -> Vec<u32> {
    let n = dir.len();
    // Labels by walking down from each cell to the first labelled cell (or
    // a dead end), then labelling the walk: each cell is walked once, so
    // it is O(n), and needs only the label grid (4 bytes a cell) and the
    // walk. Unreached cells are marked on the way (UNREACHED) so that no
    // walk repeats.
    const UNREACHED: u32 = u32::MAX;
    let mut label = vec![0u32; n];
    for &(i, l) in outlets {
        if valid[i] && label[i] == 0 {
            label[i] = l;
        }
    }
    let mut walk: Vec<usize> = Vec::new();
    for s in 0..n {
        if !valid[s] || label[s] != 0 {
            continue;
        }
        walk.clear();
        let mut i = s;
        let found = loop {
            if label[i] != 0 {
                break label[i];
            }
            walk.push(i);
            if dir[i] == NO_FLOW {
                break UNREACHED;
            }
            let j = downstream(i, dir[i], w);
            if !valid[j] {
                break UNREACHED;
            }
            i = j;
        };
        for &k in &walk {
            label[k] = found;
        }
    }
    for l in label.iter_mut() {
        if *l == UNREACHED {
            *l = 0;
        }
    }
    label
}

/// Every cell that drains nowhere further (NO_FLOW) as an outlet, labelled
/// 1, 2, … in row-major order: the basins that together cover the grid.
pub fn all_outlets(dir: &[u8], valid: &[bool]) -> Vec<(usize, u32)> {
    (0..dir.len())
        .filter(|&i| valid[i] && dir[i] == NO_FLOW)
        .enumerate()
        .map(|(k, i)| (i, k as u32 + 1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dem::{Georef, SampleType};
    use terminus_geodesy::Crs;

    fn tilted(w: usize, h: usize) -> Dem {
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
                // Falls to the east, and a little to the south.
                d.data[r * w + c] = 100.0 - c as f32 * 2.0 - r as f32 * 0.1;
            }
        }
        d
    }

    #[test]
    fn a_tilted_plane_drains_east_and_conserves_cells() {
        let d = tilted(20, 10);
        let dir = d8(&d, CellMetric::Grid);
        // Interior cells go east (drop 2 over 1, against 2.1 over √2 to the
        // south-east); the edge cells are outlets.
        for (i, &k) in dir.iter().enumerate() {
            let (c, r) = (i % 20, i / 20);
            let edge = c == 0 || r == 0 || c == 19 || r == 9;
            assert_eq!(k, if edge { NO_FLOW } else { 0 }, "cell {c},{r}");
        }
        let valid = vec![true; 200];
        let acc = accumulation(&dir, &valid, 20);
        let outlets = all_outlets(&dir, &valid);
        let total: u32 = outlets.iter().map(|&(i, _)| acc[i]).sum();
        assert_eq!(total, 200);
        let lab = basins(&dir, &valid, 20, &outlets);
        assert!(lab.iter().all(|&l| l > 0), "every cell reaches an outlet");
    }

    /// A Y of two order-1 streams joining into an order-2 stream.
    #[test]
    fn streams_and_strahler_orders() {
        // 5 × 5: two tributaries from the north corners meet at (2, 2),
        // then flow south to the outlet at (2, 4).
        let w = 5;
        let mut dir = vec![NO_FLOW; 25];
        let set = |dir: &mut Vec<u8>, c: usize, r: usize, d: u8| dir[r * w + c] = d;
        set(&mut dir, 0, 0, 1); // SE
        set(&mut dir, 1, 1, 1); // SE → (2, 2)
        set(&mut dir, 4, 0, 3); // SW
        set(&mut dir, 3, 1, 3); // SW → (2, 2)
        set(&mut dir, 2, 2, 2); // S
        set(&mut dir, 2, 3, 2); // S → (2, 4), an outlet
        let valid: Vec<bool> = (0..25)
            .map(|i| [0, 6, 4, 8, 12, 17, 22].contains(&i))
            .collect();
        let acc = accumulation(&dir, &valid, w);
        assert_eq!(acc[22], 7);
        let s = streams(&dir, &acc, 1, w);
        assert_eq!(s.len(), 3);
        let trunk = s.iter().find(|x| x.cells[0] == 12).unwrap();
        assert_eq!((trunk.cells.clone(), trunk.order), (vec![12, 17, 22], 2));
        assert!(s
            .iter()
            .filter(|x| x.cells[0] != 12)
            .all(|x| x.order == 1 && *x.cells.last().unwrap() == 12));
    }
}

/// A stream segment: the cells from a source or a junction down to the next
/// junction or an outlet (the last cell is shared with the next segment),
/// with its Strahler order (Strahler 1957).
#[derive(Debug, Clone, PartialEq)]
pub struct Stream {
    /// Cell indices, downstream order.
    pub cells: Vec<usize>,
    /// Strahler order of the segment.
    pub order: u8,
}

/// The stream network: every cell whose accumulation reaches `threshold`
/// cells, cut into segments at junctions (two or more stream cells flowing
/// in), each with its Strahler order.
pub fn streams(dir: &[u8], acc: &[u32], threshold: u32, w: usize) -> Vec<Stream> {
    let n = dir.len();
    let is_stream = |i: usize| acc[i] >= threshold.max(1);
    let mut inflow = vec![0u8; n];
    for (i, &d) in dir.iter().enumerate() {
        if is_stream(i) && d != NO_FLOW {
            let j = downstream(i, d, w);
            if is_stream(j) {
                inflow[j] += 1;
            }
        }
    }
    // Strahler orders in topological order (sources first).
    let mut order = vec![0u8; n];
    let mut best = vec![(0u8, 0u8); n]; // (highest order flowing in, how many with it)
    let mut pending = inflow.clone();
    let mut stack: Vec<usize> = (0..n).filter(|&i| is_stream(i) && inflow[i] == 0).collect();
    while let Some(i) = stack.pop() {
        let (m, k) = best[i];
        order[i] = if m == 0 {
            1
        } else if k >= 2 {
            m + 1
        } else {
            m
        };
        if dir[i] == NO_FLOW {
            continue;
        }
        let j = downstream(i, dir[i], w);
        if !is_stream(j) {
            continue;
        }
        let b = &mut best[j];
        if order[i] > b.0 {
            *b = (order[i], 1);
        } else if order[i] == b.0 {
            b.1 += 1;
        }
        pending[j] -= 1;
        if pending[j] == 0 {
            stack.push(j);
        }
    }
    // Segments start at sources and at the cell below each junction's
    // arrivals, i.e. at cells with inflow ≠ 1; each runs down to the next
    // such cell (included) or to an outlet.
    let mut out = Vec::new();
    for s in 0..n {
        if !is_stream(s) || inflow[s] == 1 {
            continue;
        }
        let mut cells = vec![s];
        let mut i = s;
        while dir[i] != NO_FLOW {
            let j = downstream(i, dir[i], w);
            if !is_stream(j) {
                break;
            }
            cells.push(j);
            if inflow[j] != 1 {
                break;
            }
            i = j;
        }
        if cells.len() >= 2 {
            out.push(Stream {
                order: order[s],
                cells,
            });
        }
    }
    // Junction cells also start the segment below them (done above, since
    // their inflow is ≥ 2); a junction right at an outlet makes none.
    out
}

/// Sub-basins: the area draining directly to each stream segment (the
/// network split at its junctions), labelled 1, 2, … in the order of
/// `streams`; a segment's last cell (the junction) belongs to the segment
/// below it.
pub fn sub_basins(dir: &[u8], valid: &[bool], w: usize, streams: &[Stream]) -> Vec<u32> {
    let mut seeds: Vec<(usize, u32)> = Vec::new();
    let mut taken = vec![false; dir.len()];
    // Segments' own cells first (all but the shared last one), then the
    // network's final outlets.
    for (k, s) in streams.iter().enumerate() {
        for &i in &s.cells[..s.cells.len() - 1] {
            if !taken[i] {
                taken[i] = true;
                seeds.push((i, k as u32 + 1));
            }
        }
    }
    for (k, s) in streams.iter().enumerate() {
        let last = *s.cells.last().unwrap_or(&s.cells[0]);
        if !taken[last] {
            taken[last] = true;
            seeds.push((last, k as u32 + 1));
        }
    }
    basins(dir, valid, w, &seeds)
}
