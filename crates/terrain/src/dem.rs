//! A digital elevation model: a grid of heights with its georeferencing.

use crate::TerrainError;
use terminus_geodesy::Crs;

/// How the file stored its samples (kept so outputs can be written back in
/// the same type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleType {
    /// 8-bit unsigned.
    U8,
    /// 16-bit signed (SRTM, GEBCO).
    I16,
    /// 16-bit unsigned.
    U16,
    /// 32-bit signed.
    I32,
    /// 32-bit unsigned.
    U32,
    /// 32-bit float.
    F32,
    /// 64-bit float (held as f32 in memory: 7 significant digits, a
    /// millimetre at 8,000 m).
    F64,
}

impl SampleType {
    /// Whether the type holds integers.
    pub fn is_integer(self) -> bool {
        !matches!(self, SampleType::F32 | SampleType::F64)
    }
}

/// Where the grid lies: cell (col, row)'s area spans
/// x ∈ [x0 + col·dx, x0 + (col+1)·dx], y ∈ [y0 − (row+1)·dy, y0 − row·dy]
/// in the CRS's east/north units (degrees for geographic CRSs).
#[derive(Debug, Clone, PartialEq)]
pub struct Georef {
    /// West edge of column 0.
    pub x0: f64,
    /// North edge of row 0.
    pub y0: f64,
    /// Cell width (positive).
    pub dx: f64,
    /// Cell height (positive; rows run southwards).
    pub dy: f64,
    /// The CRS.
    pub crs: Crs,
    /// Whether the source declared its samples as points on the grid
    /// (GeoTIFF PixelIsPoint, SRTM): the same grid, only the file's
    /// tie-point convention differs (half a cell), kept for writing back.
    pub pixel_is_point: bool,
}

impl Georef {
    /// Centre of cell (col, row), (x, y) in the CRS.
    pub fn center(&self, col: usize, row: usize) -> (f64, f64) {
        (
            self.x0 + (col as f64 + 0.5) * self.dx,
            self.y0 - (row as f64 + 0.5) * self.dy,
        )
    }

    /// The cell containing (x, y), if any on a grid of `w` × `h`.
    pub fn cell_at(&self, x: f64, y: f64, w: usize, h: usize) -> Option<(usize, usize)> {
        let c = ((x - self.x0) / self.dx).floor();
        let r = ((self.y0 - y) / self.dy).floor();
        (c >= 0.0 && r >= 0.0 && (c as usize) < w && (r as usize) < h)
            .then_some((c as usize, r as usize))
    }
}

/// The most cells a DEM may have here (2³⁰ ≈ 1.07 × 10⁹, 4 GiB of heights):
/// a header declaring more is refused before anything is allocated —
/// clip or tile the grid first (`terminus terrain clip`, gdal_translate
/// -srcwin).
pub const MAX_CELLS: usize = 1 << 30;

/// `width × height` if a DEM of that size may be held, else why not.
pub fn cells(width: usize, height: usize) -> Result<usize, String> {
    width
        .checked_mul(height)
        .filter(|&n| n <= MAX_CELLS)
        .ok_or_else(|| {
            format!(
                "{width} × {height} cells is more than the {MAX_CELLS} a DEM may have here: clip or tile it first"
            )
        })
}

/// A DEM in memory: heights as f32 (exact for 16-bit integer sources),
/// row-major from the north-west corner, with nodata as NaN.
#[derive(Debug, Clone)]
pub struct Dem {
    /// Columns.
    pub width: usize,
    /// Rows.
    pub height: usize,
    /// Heights, metres; NaN where the source had nodata or a void.
    pub data: Vec<f32>,
    /// The nodata value the source declared (written back on output).
    pub nodata: Option<f64>,
    /// The source's sample type.
    pub sample: SampleType,
    /// Georeferencing.
    pub georef: Georef,
}

impl Dem {
    /// A DEM of `width` × `height` filled with NaN.
    pub fn empty(
        width: usize,
        height: usize,
        georef: Georef,
        sample: SampleType,
        nodata: Option<f64>,
    ) -> Dem {
        Dem {
            width,
            height,
            data: vec![f32::NAN; width * height],
            nodata,
            sample,
            georef,
        }
    }

    /// Height at (col, row), NaN for nodata.
    pub fn get(&self, col: usize, row: usize) -> f32 {
        self.data[row * self.width + col]
    }

    /// Number of cells with a height.
    pub fn valid_cells(&self) -> usize {
        self.data.iter().filter(|v| !v.is_nan()).count()
    }

    /// (min, max) of the valid heights, or an error when all are nodata.
    pub fn range(&self) -> Result<(f32, f32), TerrainError> {
        let mut it = self.data.iter().filter(|v| !v.is_nan());
        let first = *it.next().ok_or(TerrainError::AllNodata)?;
        Ok(it.fold((first, first), |(lo, hi), &v| (lo.min(v), hi.max(v))))
    }

    /// Ground size of a cell of row `row`, (east–west, north–south) in
    /// metres, and its area in m². For a geographic DEM these are measured
    /// on the ellipsoid: the width along the row's central parallel
    /// (N cos φ Δλ), the height as the meridian arc between the row's edges
    /// (geodesic), the area as the exact ellipsoidal quadrangle between two
    /// parallels and two meridians (authalic formula). For a projected DEM
    /// they are the grid's own sizes.
    pub fn cell_size_m(&self, row: usize) -> (f64, f64, f64) {
        let g = &self.georef;
        match g.crs.definition() {
            Some(def) if g.crs.is_geographic() => {
                let e = def.ellipsoid;
                let north = g.y0 - row as f64 * g.dy;
                let south = north - g.dy;
                let mid = (north + south) / 2.0;
                let e2 = e.e2();
                let s = mid.to_radians().sin();
                let n = e.a / (1.0 - e2 * s * s).sqrt();
                let width = n * mid.to_radians().cos() * g.dx.to_radians();
                let geod = e.geodesic();
                use terminus_geodesy::measure::InverseGeodesic;
                let height: f64 = geod.inverse(south, 0.0, north, 0.0);
                let area = quadrangle_area(e.a, e2, south, north, g.dx);
                (width, height, area)
            }
            _ => (g.dx, g.dy, g.dx * g.dy),
        }
    }
}

/// Area of the ellipsoidal quadrangle between parallels `s` and `n`
/// (degrees) spanning `dlon` degrees of longitude: b²·Δλ·[F(φ)] with
/// F(φ) = sinφ / (2(1 − e² sin²φ)) + atanh(e sinφ) / (2e) (the authalic
/// integral; e.g. Snyder 1987, eq. 3-12).
pub fn quadrangle_area(a: f64, e2: f64, s: f64, n: f64, dlon: f64) -> f64 {
    let e = e2.sqrt();
    let b2 = a * a * (1.0 - e2);
    let f = |phi: f64| {
        let x = phi.to_radians().sin();
        x / (2.0 * (1.0 - e2 * x * x)) + (e * x).atanh() / (2.0 * e)
    };
    b2 * dlon.to_radians() * (f(n) - f(s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use terminus_geodesy::measure::ring_area;
    use terminus_geodesy::Ellipsoid;

    /// The quadrangle formula against GeographicLib's polygon area of the
    /// same cell: edges along parallels are not geodesics, so compare on a
    /// cell small enough that the difference (∝ Δλ³) vanishes: 15″.
    #[test]
    fn quadrangle_area_matches_polygon_area_for_small_cells() {
        let e = Ellipsoid::WGS84;
        let d = 15.0 / 3600.0;
        let (s, w) = (39.5, 72.0);
        let q = quadrangle_area(e.a, e.e2(), s, s + d, d);
        let ring = [(w, s), (w + d, s), (w + d, s + d), (w, s + d), (w, s)]
            .map(|(lon, lat)| terminus_geodesy::LatLon::new(lat, lon));
        let p = ring_area(&e, ring);
        assert!((q - p).abs() / p < 1e-7, "{q} vs {p}");
        // Two hemispheres make the whole ellipsoid.
        let hemi = quadrangle_area(e.a, e.e2(), 0.0, 90.0, 360.0);
        let total = e.geodesic().area();
        assert!(
            (2.0 * hemi - total).abs() / total < 1e-12,
            "{} vs {total}",
            2.0 * hemi
        );
    }
}
