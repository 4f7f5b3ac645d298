//! D∞ flow directions and accumulation: D. G. Tarboton (1997), "A new
//! method for the determination of flow directions and upslope areas in
//! grid digital elevation models", Water Resources Research 33(2), 309–319.
//!
//! Each cell's flow leaves along the steepest of the eight triangular
//! facets formed with a cardinal and a diagonal neighbour, as an angle;
//! the flow is shared between the two neighbours that bracket the angle,
//! in proportion to its closeness to each. Cell distances come from the
//! [`CellMetric`](crate::flow::CellMetric): on a geographic grid the facets
//! are not squares, so the facet's own angle limit atan(d₂/d₁) is used.

use crate::dem::Dem;
use crate::flow::CellMetric;
use std::f64::consts::PI;

/// No flow (an outlet: the edge, a void, a pit or flat).
pub const NONE: f32 = -1.0;

/// Neighbour offset (dc, dr; rows run south) at each multiple of 45°
/// counter-clockwise from east: E, NE, N, NW, W, SW, S, SE.
const RING: [(isize, isize); 8] = [
    (1, 0),
    (1, -1),
    (0, -1),
    (-1, -1),
    (-1, 0),
    (-1, 1),
    (0, 1),
    (1, 1),
];

/// Flow angles, radians counter-clockwise from east in [0, 2π), or
/// [`NONE`]. Edge cells are outlets.
pub fn dinf(dem: &Dem, metric: CellMetric) -> Vec<f32> {
    use rayon::prelude::*;
    let (w, h) = (dem.width, dem.height);
    let z = &dem.data;
    let mut out = vec![NONE; w * h];
    out.par_chunks_mut(w).enumerate().for_each(|(r, row)| {
        let (ew, ns) = match metric {
            CellMetric::Ellipsoid => {
                let (a, b, _) = dem.cell_size_m(r);
                (a, b)
            }
            CellMetric::CrsUnits => (dem.georef.dx, dem.georef.dy),
            _ => (1.0, 1.0),
        };
        for (c, o) in row.iter_mut().enumerate() {
            if c == 0 || r == 0 || c + 1 == w || r + 1 == h {
                continue;
            }
            let e0 = z[r * w + c] as f64;
            if e0.is_nan() {
                continue;
            }
            let at = |k: usize| {
                let (dc, dr) = RING[k % 8];
                z[(r as isize + dr) as usize * w + (c as isize + dc) as usize] as f64
            };
            let mut best: Option<(f64, f64)> = None; // (slope, angle)
            for f in 0..8 {
                // Facet f lies between RING[f] and RING[f+1]; one of them is
                // cardinal (even index), the other diagonal.
                let (card, diag, sign, base) = if f % 2 == 0 {
                    (f, f + 1, 1.0, f as f64)
                } else {
                    (f + 1, f, -1.0, (f + 1) as f64)
                };
                let (e1, e2) = (at(card), at(diag));
                if e1.is_nan() || e2.is_nan() {
                    continue;
                }
                // Distances: d1 to the cardinal neighbour, d2 across to the diagonal.
                let horizontal = card % 4 == 0;
                let (d1, d2) = if horizontal { (ew, ns) } else { (ns, ew) };
                let s1 = (e0 - e1) / d1;
                let s2 = (e1 - e2) / d2;
                let limit = (d2 / d1).atan();
                let (mut rr, mut s) = (s2.atan2(s1), s1.hypot(s2));
                if rr < 0.0 {
                    rr = 0.0;
                    s = s1;
                } else if rr > limit {
                    rr = limit;
                    s = (e0 - e2) / d1.hypot(d2);
                }
                if s <= 0.0 {
                    continue;
                }
                // The angle in the facet, as a share of the facet's 45°.
                let share = rr / limit * (PI / 4.0);
                let angle = base * (PI / 4.0) + sign * share;
                if best.is_none_or(|(bs, _)| s > bs) {
                    best = Some((s, angle.rem_euclid(2.0 * PI)));
                }
            }
            if let Some((_, a)) = best {
                *o = a as f32;
            }
        }
    });
    out
}

/// The two receivers of a D∞ angle and their shares: ((offset, share), (offset, share)).
fn receivers(angle: f32) -> [((isize, isize), f64); 2] {
    let a = angle as f64 / (PI / 4.0);
    let k = a.floor();
    let mut p2 = a - k;
    let k = (k as usize) % 8;
    // An angle on a sector's boundary, stored as f32, lands a hair inside
    // the next sector (π/4 rounds up in f32): a share below the angle's
    // precision would send a trace of flow to a cell that may be higher,
    // and close a loop. Such shares are the boundary itself.
    const EPS: f64 = 1e-6;
    if p2 < EPS {
        p2 = 0.0;
    } else if p2 > 1.0 - EPS {
        p2 = 1.0;
    }
    [(RING[k], 1.0 - p2), (RING[(k + 1) % 8], p2)]
}

/// D∞ accumulation: the area (in cells, each cell contributing 1)
/// draining through each cell, shared along the D∞ angles; 0 on voids.
/// Kahn's order over the (at most two) receivers of each cell.
pub fn accumulation(angles: &[f32], valid: &[bool], w: usize) -> Vec<f64> {
    let n = angles.len();
    let h = n / w;
    let recv = |i: usize| -> Vec<(usize, f64)> {
        if !valid[i] || angles[i] < 0.0 {
            return Vec::new();
        }
        let (c, r) = ((i % w) as isize, (i / w) as isize);
        receivers(angles[i])
            .into_iter()
            .filter(|&(_, p)| p > 1e-12)
            .filter_map(|((dc, dr), p)| {
                let (nc, nr) = (c + dc, r + dr);
                (nc >= 0
                    && nr >= 0
                    && (nc as usize) < w
                    && (nr as usize) < h
                    && valid[nr as usize * w + nc as usize])
                    .then(|| (nr as usize * w + nc as usize, p))
            })
            .collect()
    };
    let mut indeg = vec![0u8; n];
    for i in 0..n {
        for (j, _) in recv(i) {
            indeg[j] += 1;
        }
    }
    let mut acc: Vec<f64> = valid.iter().map(|&v| v as u8 as f64).collect();
    let mut stack: Vec<usize> = (0..n).filter(|&i| valid[i] && indeg[i] == 0).collect();
    while let Some(i) = stack.pop() {
        for (j, p) in recv(i) {
            acc[j] += acc[i] * p;
            indeg[j] -= 1;
            if indeg[j] == 0 {
                stack.push(j);
            }
        }
    }
    acc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dem::{Georef, SampleType};
    use terminus_geodesy::Crs;

    fn plane(angle_deg: f64) -> Dem {
        let n = 9;
        let g = Georef {
            x0: 0.0,
            y0: 1.0,
            dx: 0.001,
            dy: 0.001,
            crs: Crs::WGS84,
            pixel_is_point: false,
        };
        let mut d = Dem::empty(n, n, g, SampleType::F32, None);
        let (s, c) = angle_deg.to_radians().sin_cos();
        for r in 0..n {
            for col in 0..n {
                // Falls towards the angle (east = 0°, north = 90°; rows run south).
                d.data[r * n + col] = (1000.0 - 10.0 * (c * col as f64 - s * r as f64)) as f32;
            }
        }
        d
    }

    /// On a plane falling towards 30° the angle is 30° and the flow is
    /// shared 1/3 east, 2/3 north-east — the nearer neighbour more, as
    /// Tarboton (1997) has it. (RichDEM 3.0's FlowProportions gives the
    /// reverse on the same plane, 2/3 east, 1/3 north-east.)
    #[test]
    fn a_plane_gives_its_angle_and_shares() {
        for want in [0.0, 30.0, 45.0, 100.0, 200.0, 315.0] {
            let d = plane(want);
            let a = dinf(&d, CellMetric::Grid);
            let got = (a[4 * 9 + 4] as f64).to_degrees();
            // (Heights are f32: a few 1e-4° of rounding.)
            assert!((got - want).abs() < 1e-3, "plane at {want}°: {got}°");
        }
        let r = receivers(30f32.to_radians());
        assert_eq!((r[0].0, r[1].0), ((1, 0), (1, -1)));
        assert!((r[0].1 - 1.0 / 3.0).abs() < 1e-6 && (r[1].1 - 2.0 / 3.0).abs() < 1e-6);
    }

    /// Accumulation conserves the cells: what leaves by the outlets is all there is.
    #[test]
    fn accumulation_conserves_cells() {
        let d = plane(30.0);
        let a = dinf(&d, CellMetric::Grid);
        let valid = vec![true; 81];
        let acc = accumulation(&a, &valid, 9);
        let out: f64 = (0..81).filter(|&i| a[i] < 0.0).map(|i| acc[i]).sum();
        assert!((out - 81.0).abs() < 1e-9, "{out}");
    }
}
