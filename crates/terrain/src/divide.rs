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

/// One line of a water-parting, on the ellipsoid.
#[derive(Debug, Clone)]
pub struct DivideLine {
    /// Vertices, (lat, lon) on WGS 84, simplified as asked.
    pub points: Vec<(f64, f64)>,
    /// Geodesic length, metres.
    pub length_m: f64,
    /// Highest point: height (m) and (lat, lon).
    pub highest: (f32, (f64, f64)),
    /// Lowest point (the lowest pass): height and (lat, lon).
    pub lowest: (f32, (f64, f64)),
}

/// A water-parting between two drainage areas.
#[derive(Debug, Clone)]
pub struct WaterParting {
    /// Cells draining to side A, and to side B.
    pub cells: (usize, usize),
    /// The pour points as snapped, (lat, lon), side A then side B.
    pub outlets: Vec<(f64, f64)>,
    /// Its lines, longest first.
    pub lines: Vec<DivideLine>,
}

impl WaterParting {
    /// Total geodesic length, metres.
    pub fn length_m(&self) -> f64 {
        self.lines.iter().map(|l| l.length_m).sum()
    }
}

/// How to find a water-parting.
pub struct WaterPartingOptions<'a> {
    /// Pour points of side A, (lat, lon) WGS 84.
    pub a: &'a [(f64, f64)],
    /// Pour points of side B.
    pub b: &'a [(f64, f64)],
    /// Cells seeding side A directly, unsnapped (the cells of a stream
    /// line, or inside a seed polygon), as row-major indices.
    pub seeds_a: &'a [usize],
    /// Cells seeding side B.
    pub seeds_b: &'a [usize],
    /// Snap each pour point to the largest accumulation within this, metres.
    pub snap_m: f64,
    /// Douglas–Peucker tolerance, metres (0: every cell edge).
    pub simplify_m: f64,
    /// Slope metric for D8.
    pub metric: crate::flow::CellMetric,
    /// The DEM's (x, y) → (lat, lon).
    pub to_wgs84: &'a dyn Fn(f64, f64) -> Option<(f64, f64)>,
    /// (lat, lon) → the DEM's (x, y).
    pub from_wgs84: &'a dyn Fn(f64, f64) -> Option<(f64, f64)>,
}

/// The water-parting between the drainage areas of two sets of pour points:
/// the DEM filled (+ε) and drained by D8 in memory, pour points snapped to
/// the largest accumulation nearby, basins labelled, the divide traced
/// along cell edges and measured on the ellipsoid.
pub fn water_parting(
    dem: &Dem,
    o: &WaterPartingOptions<'_>,
) -> Result<WaterParting, crate::TerrainError> {
    use crate::flow::{accumulation, basins, d8};
    use crate::TerrainError;
    dem.range()?;
    let mut filled = dem.clone();
    crate::fill(&mut filled, crate::NodataAs::Outlet, true);
    let dir = d8(&filled, o.metric);
    let valid: Vec<bool> = filled.data.iter().map(|v| !v.is_nan()).collect();
    let acc = accumulation(&dir, &valid, filled.width);
    let (cw, ch, _) = filled.cell_size_m(filled.height / 2);
    let reach = (o.snap_m / cw.min(ch)).ceil() as isize;
    let mut outlets = Vec::new();
    let mut snapped = Vec::new();
    for (label, side, pts, seeds) in [(1u32, 'A', o.a, o.seeds_a), (2u32, 'B', o.b, o.seeds_b)] {
        if pts.is_empty() && seeds.is_empty() {
            return Err(TerrainError::OutsideDem(format!(
                "side {side} has no pour points or seed cells"
            )));
        }
        outlets.extend(
            seeds
                .iter()
                .filter(|&&i| i < valid.len() && valid[i])
                .map(|&i| (i, label)),
        );
        for (k, &(lat, lon)) in pts.iter().enumerate() {
            let outside = || {
                TerrainError::OutsideDem(format!(
                    "side {side}, pour point {} ({lat:.5}°N, {lon:.5}°E) lies outside the DEM",
                    k + 1
                ))
            };
            let (x, y) = (o.from_wgs84)(lat, lon).ok_or_else(outside)?;
            let (c, r) = filled
                .georef
                .cell_at(x, y, filled.width, filled.height)
                .ok_or_else(outside)?;
            let mut best = (r * filled.width + c, 0u32);
            for dr in -reach..=reach {
                for dc in -reach..=reach {
                    let (nc, nr) = (c as isize + dc, r as isize + dr);
                    if nc < 0
                        || nr < 0
                        || nc as usize >= filled.width
                        || nr as usize >= filled.height
                    {
                        continue;
                    }
                    let i = nr as usize * filled.width + nc as usize;
                    if acc[i] > best.1 {
                        best = (i, acc[i]);
                    }
                }
            }
            outlets.push((best.0, label));
            let (x, y) = filled
                .georef
                .center(best.0 % filled.width, best.0 / filled.width);
            snapped.push((o.to_wgs84)(x, y).unwrap_or((f64::NAN, f64::NAN)));
        }
    }
    let labels = basins(&dir, &valid, filled.width, &outlets);
    let count = |l: u32| labels.iter().filter(|&&x| x == l).count();
    let cells = (count(1), count(2));
    let raw = divide(dem, &labels, 1, 2);
    if raw.is_empty() {
        return Err(TerrainError::OutsideDem(format!(
            "the two drainage areas ({} and {} cells) do not touch anywhere on this DEM: no divide between them",
            cells.0, cells.1
        )));
    }
    let lines = measure_lines(&raw, &dem.georef, o.simplify_m, o.to_wgs84)?;
    Ok(WaterParting {
        cells,
        outlets: snapped,
        lines,
    })
}

/// The divide's grid lines on the ellipsoid: vertices in (lat, lon),
/// simplified within `simplify_m` in a local plane, geodesic length, and
/// the highest and lowest points (from the unsimplified cell edges).
fn measure_lines(
    raw: &[Vec<DividePoint>],
    georef: &crate::dem::Georef,
    simplify_m: f64,
    to_wgs84: &dyn Fn(f64, f64) -> Option<(f64, f64)>,
) -> Result<Vec<DivideLine>, crate::TerrainError> {
    use crate::TerrainError;
    use terminus_geodesy::measure::InverseGeodesic;
    let err = |e: terminus_plane::PlaneError| TerrainError::OutsideDem(e.to_string());
    let all: Vec<Vec<(f64, f64)>> = raw
        .iter()
        .map(|l| {
            l.iter()
                .map(|p| {
                    to_wgs84(
                        georef.x0 + p.col as f64 * georef.dx,
                        georef.y0 - p.row as f64 * georef.dy,
                    )
                    .ok_or_else(|| {
                        TerrainError::OutsideDem("a divide vertex has no WGS 84 position".into())
                    })
                })
                .collect()
        })
        .collect::<Result<_, _>>()?;
    let frame = terminus_plane::frame::Frame::around(
        terminus_geodesy::Ellipsoid::WGS84,
        all.iter().flatten(),
    )
    .map_err(err)?;
    let g = terminus_geodesy::Ellipsoid::WGS84.geodesic();
    let mut lines = Vec::new();
    for (l, pts) in raw.iter().zip(&all) {
        let xy = frame.xys(pts).map_err(err)?;
        let points: Vec<(f64, f64)> = simplify(&xy, simplify_m)
            .into_iter()
            .map(|k| pts[k])
            .collect();
        let length_m = points
            .windows(2)
            .map(|w| -> f64 { g.inverse(w[0].0, w[0].1, w[1].0, w[1].1) })
            .sum();
        let mut highest = (f32::MIN, (0.0, 0.0));
        let mut lowest = (f32::MAX, (0.0, 0.0));
        for (p, &q) in l.iter().zip(pts) {
            if p.height > highest.0 {
                highest = (p.height, q);
            }
            if p.height < lowest.0 {
                lowest = (p.height, q);
            }
        }
        lines.push(DivideLine {
            points,
            length_m,
            highest,
            lowest,
        });
    }
    Ok(lines)
}

/// Distances from a line set (sampled every `step` metres along it) to a
/// claim line, geodesic: (samples, median, 95th percentile, max), metres.
pub fn distances_to(
    lines: &[Vec<(f64, f64)>],
    claim: &[Vec<(f64, f64)>],
    step: f64,
) -> Result<(usize, f64, f64, f64), crate::TerrainError> {
    let mut d: Vec<f64> = sampled_distances(lines, claim, step)?
        .into_iter()
        .map(|s| s.1)
        .collect();
    d.sort_by(f64::total_cmp);
    let q = |f: f64| {
        d.get(((d.len() as f64 - 1.0) * f).round() as usize)
            .copied()
            .unwrap_or(f64::NAN)
    };
    Ok((d.len(), q(0.5), q(0.95), q(1.0)))
}

/// A point along a line, (lat, lon), with its distance to another, metres.
pub type DistanceSample = ((f64, f64), f64);

/// Points every `step` metres along `lines` (each line's start and end
/// included), in order, each with its geodesic distance to `claim`.
pub fn sampled_distances(
    lines: &[Vec<(f64, f64)>],
    claim: &[Vec<(f64, f64)>],
    step: f64,
) -> Result<Vec<DistanceSample>, crate::TerrainError> {
    use terminus_plane::{chain::Chain, frame::Frame, index::SegmentIndex};
    let err = |e: terminus_plane::PlaneError| crate::TerrainError::OutsideDem(e.to_string());
    let frame = Frame::around(
        terminus_geodesy::Ellipsoid::WGS84,
        lines.iter().chain(claim).flatten(),
    )
    .map_err(err)?;
    let pieces: Vec<terminus_plane::index::Piece> = claim
        .iter()
        .filter(|p| p.len() >= 2)
        .map(|p| Ok((p.clone(), frame.xys(p).map_err(err)?)))
        .collect::<Result<_, crate::TerrainError>>()?;
    let index = SegmentIndex::from_pieces(&pieces);
    let mut d = Vec::new();
    for l in lines {
        let chain = Chain::new(frame.xys(l).map_err(err)?, l.clone());
        for s in chain.samples(step) {
            let p = chain.at(s);
            let ll = frame.latlon(p);
            if let Some(c) = index.closest(&frame, frame.radius(), ll, p) {
                d.push((ll, c.distance));
            }
        }
    }
    Ok(d)
}

/// The water-parting in a corridor around a claim line, where the two
/// sides of the corridor define the drainage areas: the DEM clipped to the
/// corridor (cells farther than `half_width` from the line become voids),
/// filled (+ε) and drained by D8 with the voids and the edge as outlets;
/// each outlet is on the line's left or right (looked up in a local plane
/// with the compare engine's side test), and the divide is traced between
/// the cells draining left and those draining right.
pub fn water_parting_in_corridor(
    dem: &Dem,
    line: &[Vec<(f64, f64)>],
    half_width: f64,
    simplify_m: f64,
    to_wgs84: &(dyn Fn(f64, f64) -> Option<(f64, f64)> + Sync),
    from_wgs84: &dyn Fn(f64, f64) -> Option<(f64, f64)>,
) -> Result<WaterParting, crate::TerrainError> {
    use crate::flow::{all_outlets, basins, d8, CellMetric};
    use crate::TerrainError;
    let (mut corridor, _) = crate::window::corridor(dem, line, half_width, to_wgs84, from_wgs84)?;
    let original = corridor.clone();
    crate::fill(&mut corridor, crate::NodataAs::Outlet, true);
    let dir = d8(&corridor, CellMetric::Ellipsoid);
    let valid: Vec<bool> = corridor.data.iter().map(|v| !v.is_nan()).collect();
    let pts: Vec<(f64, f64)> = line.iter().flatten().copied().collect();
    let frame =
        terminus_plane::frame::Frame::around(terminus_geodesy::Ellipsoid::WGS84, pts.iter())
            .map_err(|e| TerrainError::OutsideDem(e.to_string()))?;
    let pieces: Vec<terminus_plane::index::Piece> = line
        .iter()
        .filter(|p| p.len() >= 2)
        .map(|p| {
            Ok((
                p.clone(),
                frame
                    .xys(p)
                    .map_err(|e| TerrainError::OutsideDem(e.to_string()))?,
            ))
        })
        .collect::<Result<_, TerrainError>>()?;
    let index = terminus_plane::index::SegmentIndex::from_pieces(&pieces);
    let g = &corridor.georef;
    let outlets: Vec<(usize, u32)> = all_outlets(&dir, &valid)
        .into_iter()
        .filter_map(|(i, _)| {
            let (x, y) = g.center(i % corridor.width, i / corridor.width);
            let p = frame.xy(to_wgs84(x, y)?).ok()?;
            let (_, side) = index.side(p)?;
            (side != 0).then_some((i, if side > 0 { 1 } else { 2 }))
        })
        .collect();
    let labels = basins(&dir, &valid, corridor.width, &outlets);
    let count = |l: u32| labels.iter().filter(|&&x| x == l).count();
    let cells = (count(1), count(2));
    let raw = divide(&original, &labels, 1, 2);
    if raw.is_empty() {
        return Err(TerrainError::OutsideDem(
            "no divide between the corridor's two sides".into(),
        ));
    }
    let lines = measure_lines(&raw, g, simplify_m, to_wgs84)?;
    Ok(WaterParting {
        cells,
        outlets: Vec::new(),
        lines,
    })
}
