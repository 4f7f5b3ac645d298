//! Voids (nodata cells inside a DEM) filled by Laplace interpolation from
//! their edges.
//!
//! Each void — a 4-connected region of nodata cells — is filled with the
//! discrete harmonic surface that meets the valid cells around it: every
//! filled cell is the weighted mean of its four neighbours, the weights
//! 1/Δx² east–west and 1/Δy² north–south from the ground cell size of its
//! row on the ellipsoid (so a geographic DEM's narrowing cells are not
//! taken as square). Neighbours outside the grid are left out (a natural
//! boundary): a void on the DEM's edge is filled from its inner side, level
//! across the edge (no slope is invented beyond the data).
//! The linear system of each void is symmetric positive definite and is
//! solved by conjugate gradients with a Jacobi preconditioner to a
//! relative residual of 1e-12.
//!
//! Properties, tested: any surface linear in the grid's columns and rows
//! (a plane in the DEM's CRS) is given back exactly where it was cut out
//! inside the DEM (to the solver's tolerance: micrometres); a filled value
//! lies between
//! the lowest and the highest valid height around its void (the discrete
//! maximum principle); valid cells are never changed. This is the method
//! of GDAL's `gdal_fillnodata` family and GRASS `r.fillnulls`' "bilinear"
//! cousin in spirit, but exact rather than iterated to a stopping rule.

use crate::{Dem, TerrainError};

/// One void and how it was filled.
#[derive(Debug, Clone, PartialEq)]
pub struct FilledVoid {
    /// Cells filled.
    pub cells: usize,
    /// Its bounding box in cells: first column, first row, last column, last row.
    pub bounds: [usize; 4],
    /// Valid cells around it, the heights it was filled from.
    pub edge_cells: usize,
    /// The lowest and highest of those heights, metres.
    pub edge_range_m: [f64; 2],
    /// The lowest value filled in, metres.
    pub lowest_m: f64,
    /// The highest value filled in, metres.
    pub highest_m: f64,
    /// Conjugate-gradient iterations the solve took.
    pub iterations: usize,
}

/// What filling the voids did.
#[derive(Debug, Clone, PartialEq)]
pub struct VoidFill {
    /// The method: always `laplace` (harmonic interpolation from the edge).
    pub method: &'static str,
    /// Every void filled, largest first.
    pub voids: Vec<FilledVoid>,
    /// Cells filled in all.
    pub cells: usize,
}

/// Fill every void of `dem` in place (see the module's documentation).
/// A DEM with no valid cell at all has nothing to fill from: an error.
pub fn fill_voids(dem: &mut Dem) -> Result<VoidFill, TerrainError> {
    fill_voids_where(dem, |_| true)
}

/// Fill the voids inside the terrain only: nodata reaching the grid's
/// edge (beyond the DEM's coverage) stays nodata — the DEM's edge, not a
/// hole in it.
pub fn fill_interior_voids(dem: &mut Dem) -> Result<VoidFill, TerrainError> {
    let (w, h) = (dem.width, dem.height);
    fill_voids_where(dem, |cells| {
        !cells.iter().any(|&i| {
            let (c, r) = (i % w, i / w);
            c == 0 || r == 0 || c + 1 == w || r + 1 == h
        })
    })
}

/// Fill the voids whose cells `which` accepts.
fn fill_voids_where(
    dem: &mut Dem,
    which: impl Fn(&[usize]) -> bool,
) -> Result<VoidFill, TerrainError> {
    let h = dem.height;
    if dem.valid_cells() == 0 {
        return Err(TerrainError::AllNodata);
    }
    // Edge weights: east–west within a row, north–south between rows.
    let sizes: Vec<(f64, f64)> = (0..h)
        .map(|r| {
            let (cw, ch, _) = dem.cell_size_m(r);
            (cw, ch)
        })
        .collect();
    let wx: Vec<f64> = sizes.iter().map(|&(cw, _)| 1.0 / (cw * cw)).collect();
    let wy: Vec<f64> = (0..h.saturating_sub(1))
        .map(|r| {
            let ch = (sizes[r].1 + sizes[r + 1].1) / 2.0;
            1.0 / (ch * ch)
        })
        .collect();
    let (label, voids) = label_voids(dem);
    let mut out = Vec::with_capacity(voids.len());
    for cells in voids.iter().filter(|c| which(c)) {
        out.push(solve(dem, cells, &label, &wx, &wy)?);
    }
    out.sort_by_key(|v| std::cmp::Reverse(v.cells));
    Ok(VoidFill {
        method: "laplace",
        cells: out.iter().map(|v| v.cells).sum(),
        voids: out,
    })
}

/// A void as found: a 4-connected run of nodata cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Void {
    /// Its cells, row-major indices.
    pub cells: Vec<usize>,
    /// Its bounding box in cells: first column, first row, last column, last row.
    pub bounds: [usize; 4],
    /// Whether it reaches the grid's edge (nodata beyond the DEM's
    /// coverage, a collar) rather than lying inside the terrain.
    pub touches_edge: bool,
}

/// Every void of `dem`, largest first.
pub fn find_voids(dem: &Dem) -> Vec<Void> {
    let (w, h) = (dem.width, dem.height);
    let mut out: Vec<Void> = label_voids(dem)
        .1
        .into_iter()
        .map(|cells| {
            let mut b = [usize::MAX, usize::MAX, 0, 0];
            for &i in &cells {
                let (c, r) = (i % w, i / w);
                b = [b[0].min(c), b[1].min(r), b[2].max(c), b[3].max(r)];
            }
            let touches_edge = b[0] == 0 || b[1] == 0 || b[2] + 1 == w || b[3] + 1 == h;
            Void {
                cells,
                bounds: b,
                touches_edge,
            }
        })
        .collect();
    out.sort_by_key(|v| std::cmp::Reverse(v.cells.len()));
    out
}

/// Label the voids (4-connected): each cell's void (`usize::MAX` for a
/// valid cell) and each void's cells.
fn label_voids(dem: &Dem) -> (Vec<usize>, Vec<Vec<usize>>) {
    let (w, h) = (dem.width, dem.height);
    let mut label = vec![usize::MAX; w * h];
    let mut voids: Vec<Vec<usize>> = Vec::new();
    for start in 0..w * h {
        if !dem.data[start].is_nan() || label[start] != usize::MAX {
            continue;
        }
        let id = voids.len();
        let mut cells = vec![start];
        label[start] = id;
        let mut k = 0;
        while k < cells.len() {
            let i = cells[k];
            k += 1;
            for j in neighbours(i, w, h).into_iter().flatten() {
                if dem.data[j].is_nan() && label[j] == usize::MAX {
                    label[j] = id;
                    cells.push(j);
                }
            }
        }
        voids.push(cells);
    }
    (label, voids)
}

/// The four neighbours of cell `i` that lie in the grid: west, east,
/// north, south.
fn neighbours(i: usize, w: usize, h: usize) -> [Option<usize>; 4] {
    let (c, r) = (i % w, i / w);
    [
        (c > 0).then(|| i - 1),
        (c + 1 < w).then(|| i + 1),
        (r > 0).then(|| i - w),
        (r + 1 < h).then(|| i + w),
    ]
}

/// The weight of the edge between `i` and its neighbour `j`.
fn weight(i: usize, j: usize, w: usize, wx: &[f64], wy: &[f64]) -> f64 {
    let (ri, rj) = (i / w, j / w);
    if ri == rj {
        wx[ri]
    } else {
        wy[ri.min(rj)]
    }
}

/// Solve one void's harmonic system and write its heights.
fn solve(
    dem: &mut Dem,
    cells: &[usize],
    label: &[usize],
    wx: &[f64],
    wy: &[f64],
) -> Result<FilledVoid, TerrainError> {
    let (w, h) = (dem.width, dem.height);
    let n = cells.len();
    let id = label[cells[0]];
    // Index of each void cell within the system.
    let mut index = std::collections::HashMap::with_capacity(n);
    for (k, &i) in cells.iter().enumerate() {
        index.insert(i, k);
    }
    // A x = b: diag = Σ weights, off-diagonals −w to void neighbours, the
    // valid neighbours' heights on the right.
    let mut diag = vec![0.0; n];
    let mut b = vec![0.0; n];
    let mut links: Vec<[(usize, f64); 4]> = vec![[(usize::MAX, 0.0); 4]; n];
    let mut edge = std::collections::HashSet::new();
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for (k, &i) in cells.iter().enumerate() {
        for (s, j) in neighbours(i, w, h).into_iter().enumerate() {
            let Some(j) = j else { continue };
            let wt = weight(i, j, w, wx, wy);
            diag[k] += wt;
            if label[j] == id {
                links[k][s] = (index[&j], wt);
            } else {
                let z = dem.data[j] as f64;
                b[k] += wt * z;
                edge.insert(j);
                lo = lo.min(z);
                hi = hi.max(z);
            }
        }
    }
    if edge.is_empty() {
        // A maximal void has only valid cells or the grid's edge around it:
        // with a valid cell anywhere, it has one beside it.
        return Err(TerrainError::AllNodata);
    }
    let apply = |x: &[f64], y: &mut [f64]| {
        for k in 0..n {
            let mut v = diag[k] * x[k];
            for &(j, wt) in &links[k] {
                if j != usize::MAX {
                    v -= wt * x[j];
                }
            }
            y[k] = v;
        }
    };
    // Start from the mean of the edge: the solution lies within its range.
    let mut x = vec![(lo + hi) / 2.0; n];
    let mut r = vec![0.0; n];
    apply(&x, &mut r);
    for k in 0..n {
        r[k] = b[k] - r[k];
    }
    let mut z: Vec<f64> = (0..n).map(|k| r[k] / diag[k]).collect();
    let mut p = z.clone();
    let mut rz: f64 = r.iter().zip(&z).map(|(a, b)| a * b).sum();
    let norm_b = b
        .iter()
        .map(|v| v * v)
        .sum::<f64>()
        .sqrt()
        .max(f64::MIN_POSITIVE);
    let mut ap = vec![0.0; n];
    let mut iterations = 0;
    let limit = 20 * n + 100;
    let mut converged = false;
    while iterations < limit {
        let rn = r.iter().map(|v| v * v).sum::<f64>().sqrt();
        if rn <= 1e-12 * norm_b {
            converged = true;
            break;
        }
        apply(&p, &mut ap);
        let pap: f64 = p.iter().zip(&ap).map(|(a, b)| a * b).sum();
        if pap <= 0.0 || !pap.is_finite() {
            break;
        }
        let alpha = rz / pap;
        for k in 0..n {
            x[k] += alpha * p[k];
            r[k] -= alpha * ap[k];
        }
        for k in 0..n {
            z[k] = r[k] / diag[k];
        }
        let rz_new: f64 = r.iter().zip(&z).map(|(a, b)| a * b).sum();
        let beta = rz_new / rz;
        rz = rz_new;
        for k in 0..n {
            p[k] = z[k] + beta * p[k];
        }
        iterations += 1;
    }
    if !converged {
        let (c, r) = (cells[0] % w, cells[0] / w);
        return Err(TerrainError::Invalid(format!(
            "the void of {n} cells at column {c}, row {r} did not converge in {iterations} iterations"
        )));
    }
    let (mut fill_lo, mut fill_hi) = (f64::INFINITY, f64::NEG_INFINITY);
    let (mut c0, mut r0, mut c1, mut r1) = (usize::MAX, usize::MAX, 0, 0);
    for (k, &i) in cells.iter().enumerate() {
        let v = x[k];
        dem.data[i] = v as f32;
        fill_lo = fill_lo.min(v);
        fill_hi = fill_hi.max(v);
        let (c, r) = (i % w, i / w);
        (c0, r0, c1, r1) = (c0.min(c), r0.min(r), c1.max(c), r1.max(r));
    }
    Ok(FilledVoid {
        cells: n,
        bounds: [c0, r0, c1, r1],
        edge_cells: edge.len(),
        edge_range_m: [lo, hi],
        lowest_m: fill_lo,
        highest_m: fill_hi,
        iterations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Georef, SampleType};
    use terminus_geodesy::Crs;

    fn plane(w: usize, h: usize, georef: Georef) -> Dem {
        let mut d = Dem::empty(w, h, georef, SampleType::F32, None);
        for r in 0..h {
            for c in 0..w {
                d.data[r * w + c] = (1000.0 + 3.25 * c as f64 - 1.75 * r as f64) as f32;
            }
        }
        d
    }

    fn utm() -> Georef {
        Georef {
            crs: Crs::Epsg(32643),
            x0: 500_000.0,
            y0: 4_400_000.0,
            dx: 30.0,
            dy: 30.0,
            pixel_is_point: false,
        }
    }

    fn geographic() -> Georef {
        Georef {
            crs: Crs::WGS84,
            x0: 72.0,
            y0: 40.0,
            dx: 1.0 / 240.0,
            dy: 1.0 / 240.0,
            pixel_is_point: false,
        }
    }

    /// A plane with holes inside it (a disc and a one-cell-wide slot) is
    /// given back to 1 mm, in a projected and in a geographic DEM (whose
    /// cells narrow northwards: a plane in the grid is still harmonic).
    #[test]
    fn a_plane_with_holes_comes_back() {
        for georef in [utm(), geographic()] {
            let (w, h) = (60, 40);
            let truth = plane(w, h, georef.clone());
            let mut d = truth.clone();
            let mut cut = 0;
            for r in 0..h {
                for c in 0..w {
                    let hole = ((c as f64 - 30.0).powi(2) + (r as f64 - 20.0).powi(2)) < 81.0
                        || (c == 50 && (5..35).contains(&r));
                    if hole {
                        d.data[r * w + c] = f32::NAN;
                        cut += 1;
                    }
                }
            }
            let f = fill_voids(&mut d).unwrap();
            assert_eq!(f.cells, cut);
            assert_eq!(f.voids.len(), 2);
            for (a, b) in d.data.iter().zip(&truth.data) {
                assert!((a - b).abs() < 1e-3, "{a} vs {b}");
            }
        }
    }

    /// A void on the DEM's edge and one in its corner: filled from the
    /// inside, within the heights around them, the rest untouched.
    #[test]
    fn voids_on_the_edge_are_filled_from_inside() {
        let (w, h) = (40, 30);
        let truth = plane(w, h, utm());
        let mut d = truth.clone();
        for r in 0..h {
            for c in 0..w {
                if (c < 4 && r > 24) || (r == 0 && (20..30).contains(&c)) {
                    d.data[r * w + c] = f32::NAN;
                }
            }
        }
        let before = d.clone();
        let f = fill_voids(&mut d).unwrap();
        assert_eq!(f.voids.len(), 2);
        for v in &f.voids {
            let [lo, hi] = v.edge_range_m;
            assert!(v.lowest_m >= lo - 1e-3 && v.highest_m <= hi + 1e-3, "{v:?}");
        }
        assert_eq!(d.valid_cells(), w * h);
        for (a, b) in d.data.iter().zip(&before.data) {
            assert!(b.is_nan() || a.to_bits() == b.to_bits());
        }
    }

    /// Valid cells never change; every filled value lies within its
    /// void's edge heights.
    #[test]
    fn the_fill_keeps_valid_cells_and_stays_within_its_edge() {
        let (w, h) = (30, 30);
        let mut d = Dem::empty(w, h, utm(), SampleType::F32, None);
        for i in 0..w * h {
            let (c, r) = ((i % w) as f32, (i / w) as f32);
            d.data[i] = 500.0 + 40.0 * (c / 3.0).sin() * (r / 5.0).cos();
        }
        let before = d.clone();
        for r in 10..20 {
            for c in 8..22 {
                d.data[r * w + c] = f32::NAN;
            }
        }
        let f = fill_voids(&mut d).unwrap();
        let v = &f.voids[0];
        let [lo, hi] = v.edge_range_m;
        for i in 0..w * h {
            let (c, r) = (i % w, i / w);
            if (10..20).contains(&r) && (8..22).contains(&c) {
                let z = d.data[i] as f64;
                assert!(z >= lo - 1e-3 && z <= hi + 1e-3, "{z} outside {lo}..{hi}");
            } else {
                assert_eq!(d.data[i].to_bits(), before.data[i].to_bits());
            }
        }
        assert!(v.iterations > 0 && v.edge_cells == 2 * 14 + 2 * 10);
    }

    #[test]
    fn a_dem_without_valid_cells_is_refused() {
        let mut d = Dem::empty(5, 5, utm(), SampleType::F32, None);
        assert!(fill_voids(&mut d).is_err());
    }
}
