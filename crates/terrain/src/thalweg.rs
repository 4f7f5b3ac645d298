//! The thalweg: the line of lowest points along a valley between two
//! points, as a least-cost path over the DEM (Dijkstra on the 8-connected
//! grid), where a step into a cell costs its ground length (on the
//! ellipsoid) times the cell's height above the lowest cell of the search
//! area plus one metre — so the path keeps to the valley floor, and among
//! floors of equal height takes the shortest way. The search is confined
//! to a corridor (cells within a distance of a guide line: the reach as
//! the user drew it, or the straight line between the ends), which keeps
//! it in the valley meant and the work proportional to the reach.

use crate::dem::Dem;
use crate::fill::N8;
use crate::queue::Cheapest;
use crate::TerrainError;
use std::collections::BinaryHeap;

/// A thalweg: its cells (downstream or as asked: from `from` to `to`).
#[derive(Debug, Clone)]
pub struct Thalweg {
    /// Cell indices along the path.
    pub cells: Vec<usize>,
    /// Heights along it, metres.
    pub heights: Vec<f32>,
}

/// The least-cost path from cell `from` to cell `to` over the cells
/// `allowed` marks (the corridor), on `dem`.
pub fn thalweg(
    dem: &Dem,
    from: usize,
    to: usize,
    allowed: &[bool],
) -> Result<Thalweg, TerrainError> {
    let (w, h) = (dem.width, dem.height);
    let z = &dem.data;
    for (what, c) in [("start", from), ("end", to)] {
        if c >= w * h || !allowed[c] || z[c].is_nan() {
            return Err(TerrainError::OutsideDem(format!(
                "the thalweg's {what} is outside the search corridor or on a void"
            )));
        }
    }
    let zmin = (0..w * h)
        .filter(|&i| allowed[i] && !z[i].is_nan())
        .map(|i| z[i])
        .fold(f32::INFINITY, f32::min);
    // Step lengths per row: east–west, north–south, diagonal.
    let steps: Vec<[f64; 3]> = (0..h)
        .map(|r| {
            let (ew, ns, _) = dem.cell_size_m(r);
            [ew, ns, ew.hypot(ns)]
        })
        .collect();
    let mut cost = vec![f64::INFINITY; w * h];
    let mut prev = vec![u32::MAX; w * h];
    let mut heap = BinaryHeap::new();
    cost[from] = 0.0;
    heap.push(Cheapest(0.0, from));
    while let Some(Cheapest(c0, i)) = heap.pop() {
        if i == to {
            break;
        }
        if c0 > cost[i] {
            continue;
        }
        let (c, r) = ((i % w) as isize, (i / w) as isize);
        for &(dc, dr) in &N8 {
            let (nc, nr) = (c + dc, r + dr);
            if nc < 0 || nr < 0 || nc as usize >= w || nr as usize >= h {
                continue;
            }
            let j = nr as usize * w + nc as usize;
            if !allowed[j] || z[j].is_nan() {
                continue;
            }
            let s = &steps[r as usize];
            let len = if dc != 0 && dr != 0 {
                s[2]
            } else if dc != 0 {
                s[0]
            } else {
                s[1]
            };
            let nc0 = c0 + len * ((z[j] - zmin) as f64 + 1.0);
            if nc0 < cost[j] {
                cost[j] = nc0;
                prev[j] = i as u32;
                heap.push(Cheapest(nc0, j));
            }
        }
    }
    if cost[to].is_infinite() {
        return Err(TerrainError::OutsideDem(
            "no path joins the thalweg's ends within the corridor: widen it".into(),
        ));
    }
    let mut cells = vec![to];
    while *cells.last().unwrap_or(&from) != from {
        let p = prev[*cells.last().unwrap_or(&from)];
        if p == u32::MAX {
            break;
        }
        cells.push(p as usize);
    }
    cells.reverse();
    let heights = cells.iter().map(|&i| z[i]).collect();
    Ok(Thalweg { cells, heights })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dem::{Georef, SampleType};
    use terminus_geodesy::Crs;

    /// A V-shaped valley whose floor wanders: the thalweg follows the floor,
    /// not the straight line between the ends.
    #[test]
    fn follows_the_valley_floor() {
        let (w, h) = (40, 30);
        let g = Georef {
            x0: 72.0,
            y0: 40.0,
            dx: 0.001,
            dy: 0.001,
            crs: Crs::WGS84,
            pixel_is_point: false,
        };
        let mut d = Dem::empty(w, h, g, SampleType::F32, None);
        let floor = |c: usize| 15.0 + 8.0 * ((c as f64) / 6.0).sin();
        for r in 0..h {
            for c in 0..w {
                d.data[r * w + c] =
                    (1000.0 - 2.0 * c as f64 + 30.0 * (r as f64 - floor(c)).abs()) as f32;
            }
        }
        let start = floor(0).round() as usize * w;
        let end = floor(w - 1).round() as usize * w + w - 1;
        let t = thalweg(&d, start, end, &vec![true; w * h]).unwrap();
        for &i in &t.cells {
            let (c, r) = (i % w, i / w);
            assert!(
                (r as f64 - floor(c)).abs() <= 1.0,
                "cell {c},{r} off the floor {}",
                floor(c)
            );
        }
        assert_eq!(*t.cells.first().unwrap(), start);
        assert_eq!(*t.cells.last().unwrap(), end);
    }
}
