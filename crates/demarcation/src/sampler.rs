//! Heights and slopes of a DEM at any latitude and longitude.
//!
//! Heights are interpolated bilinearly between the four surrounding cell
//! centres (the surface GDAL's and QGIS's profile tools use); within half a
//! cell of the grid's edge the edge cells are extended. A void (NaN) among
//! the cells that carry weight makes the height unknown: it is reported,
//! never filled silently.

use crate::DemarcationError;
use terminus_geodesy::crs::transform::CrsTransform;
use terminus_geodesy::{Crs, Ellipsoid, LatLon, Xy};
use terminus_terrain::Dem;

/// A DEM ready to be sampled at WGS 84 positions.
pub struct DemSampler<'a> {
    dem: &'a Dem,
    /// WGS 84 → DEM CRS; `None` when the DEM is in WGS 84 degrees.
    to_dem: Option<CrsTransform>,
    /// DEM CRS → WGS 84, for cell centres.
    ellipsoid: Ellipsoid,
}

/// Why a height could not be had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Miss {
    /// Outside the grid.
    Outside,
    /// On a void.
    Void,
}

impl<'a> DemSampler<'a> {
    /// Prepare `dem` for sampling. `at` (lat, lon) picks the datum
    /// transformation when the DEM is on Pulkovo 1942; the DEM's centre is
    /// used otherwise.
    pub fn new(dem: &'a Dem) -> Result<DemSampler<'a>, DemarcationError> {
        let crs = &dem.georef.crs;
        if dem.width == 0 || dem.height == 0 {
            return Err(DemarcationError::BadParameter(
                "the DEM has no cells".into(),
            ));
        }
        let id = crs.id();
        let ellipsoid = crs.ellipsoid().unwrap_or(Ellipsoid::WGS84);
        if *crs == Crs::WGS84 || id == "EPSG:4326" {
            return Ok(DemSampler {
                dem,
                to_dem: None,
                ellipsoid: Ellipsoid::WGS84,
            });
        }
        let (cx, cy) = dem.georef.center(dem.width / 2, dem.height / 2);
        let unproject = CrsTransform::new(crs, crs, None, None)
            .map_err(|e| DemarcationError::DemCrs(id.clone(), e.to_string()))?;
        let centre = unproject.source_geographic(Xy::new(cx, cy));
        let to_dem = CrsTransform::new(&Crs::WGS84, crs, None, Some(centre))
            .map_err(|e| DemarcationError::DemCrs(id.clone(), e.to_string()))?;
        Ok(DemSampler {
            dem,
            to_dem: Some(to_dem),
            ellipsoid,
        })
    }

    /// The DEM.
    pub fn dem(&self) -> &Dem {
        self.dem
    }

    /// The ellipsoid of the DEM's CRS (WGS 84 when it names none).
    pub fn ellipsoid(&self) -> Ellipsoid {
        self.ellipsoid
    }

    /// (x, y) in the DEM's CRS of a WGS 84 position.
    pub fn grid_xy(&self, lat: f64, lon: f64) -> Option<(f64, f64)> {
        match &self.to_dem {
            None => Some((lon, lat)),
            Some(t) => t
                .apply(Xy::from_latlon(LatLon::new(lat, lon)))
                .ok()
                .map(|p| (p.x, p.y)),
        }
    }

    /// Fractional cell coordinates of (x, y): column and row of the cell
    /// centres' lattice (0 at the first centre).
    fn frac(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let g = &self.dem.georef;
        let fx = (x - g.x0) / g.dx - 0.5;
        let fy = (g.y0 - y) / g.dy - 0.5;
        let (w, h) = (self.dem.width as f64, self.dem.height as f64);
        // Inside the grid's outer edge (half a cell beyond the last centre).
        (fx >= -0.5 && fy >= -0.5 && fx <= w - 0.5 && fy <= h - 0.5)
            .then_some((fx.clamp(0.0, w - 1.0), fy.clamp(0.0, h - 1.0)))
    }

    /// Bilinear height at (x, y) in the DEM's CRS.
    pub fn height_xy(&self, x: f64, y: f64) -> Result<f64, Miss> {
        let (fx, fy) = self.frac(x, y).ok_or(Miss::Outside)?;
        let (c0, r0) = (fx.floor() as usize, fy.floor() as usize);
        let (c1, r1) = (
            (c0 + 1).min(self.dem.width - 1),
            (r0 + 1).min(self.dem.height - 1),
        );
        let (tx, ty) = (fx - c0 as f64, fy - r0 as f64);
        let mut sum = 0.0;
        for (c, r, w) in [
            (c0, r0, (1.0 - tx) * (1.0 - ty)),
            (c1, r0, tx * (1.0 - ty)),
            (c0, r1, (1.0 - tx) * ty),
            (c1, r1, tx * ty),
        ] {
            if w > 0.0 {
                let z = self.dem.get(c, r);
                if z.is_nan() {
                    return Err(Miss::Void);
                }
                sum += w * z as f64;
            }
        }
        Ok(sum)
    }

    /// Bilinear height at a WGS 84 position.
    pub fn height(&self, lat: f64, lon: f64) -> Result<f64, Miss> {
        let (x, y) = self.grid_xy(lat, lon).ok_or(Miss::Outside)?;
        self.height_xy(x, y)
    }

    /// Height with the miss turned into an error naming `what`.
    pub fn height_or_error(&self, lat: f64, lon: f64, what: &str) -> Result<f64, DemarcationError> {
        self.height(lat, lon).map_err(|m| match m {
            Miss::Outside => DemarcationError::OutsideDem {
                what: what.to_string(),
                lat,
                lon,
            },
            Miss::Void => DemarcationError::Void {
                what: what.to_string(),
                lat,
                lon,
            },
        })
    }

    /// Ground size of a cell near latitude `lat`: (east–west, north–south)
    /// in metres (meridian and prime-vertical radii for geographic DEMs).
    pub fn cell_metres(&self, lat: f64) -> (f64, f64) {
        let g = &self.dem.georef;
        if g.crs.is_geographic() {
            let e = self.ellipsoid;
            let (n, m) = radii(&e, lat);
            (
                n * lat.to_radians().cos() * g.dx.to_radians(),
                m * g.dy.to_radians(),
            )
        } else {
            (g.dx, g.dy)
        }
    }

    /// Slope of the ground at a WGS 84 position, degrees: Horn's (1981)
    /// 3 × 3 gradient at the nearest cell, with ground cell sizes in metres.
    /// `None` outside the grid or where a neighbour is void.
    pub fn slope_deg(&self, lat: f64, lon: f64) -> Option<f64> {
        let (dzdx, dzdy) = self.gradient(lat, lon)?;
        let s = (dzdx * dzdx + dzdy * dzdy).sqrt().atan().to_degrees();
        s.is_finite().then_some(s)
    }

    /// Hillshade at a WGS 84 position, 0 (dark) to 1 (lit): Lambertian
    /// reflectance of the ground's normal (Horn's gradient, as
    /// `slope_deg`) lit from azimuth 315° at 45° altitude, the convention
    /// of topographic maps (and of GDAL's `gdaldem hillshade`). `None`
    /// outside the grid or where a neighbour is void.
    pub fn hillshade(&self, lat: f64, lon: f64) -> Option<f64> {
        let (dzdx, dzdy) = self.gradient(lat, lon)?;
        Self::lambert(dzdx, dzdy)
    }

    /// Hillshade at a WGS 84 position as `hillshade` computes it at the
    /// four cells around it, blended bilinearly (so a map drawn at many
    /// pixels per cell shows slopes, not cell blocks). `None` outside the
    /// grid or where every one of the four is void-adjacent; the cells
    /// that have a value share the weight.
    pub fn hillshade_smooth(&self, lat: f64, lon: f64) -> Option<f64> {
        let (x, y) = self.grid_xy(lat, lon)?;
        let (fx, fy) = self.frac(x, y)?;
        let (w, h) = (self.dem.width, self.dem.height);
        if w < 3 || h < 3 {
            return None;
        }
        let (c0, r0) = (fx.floor() as usize, fy.floor() as usize);
        let (tx, ty) = (fx - c0 as f64, fy - r0 as f64);
        let (mut sum, mut weight) = (0.0, 0.0);
        for (c, r, wt) in [
            (c0, r0, (1.0 - tx) * (1.0 - ty)),
            (c0 + 1, r0, tx * (1.0 - ty)),
            (c0, r0 + 1, (1.0 - tx) * ty),
            (c0 + 1, r0 + 1, tx * ty),
        ] {
            // (Cell sizes in metres taken at `lat`: they vary by parts
            // in a million over one cell.)
            if let Some(v) = self
                .gradient_at(c.min(w - 1), r.min(h - 1), lat)
                .and_then(|(dx, dy)| Self::lambert(dx, dy))
            {
                sum += wt * v;
                weight += wt;
            }
        }
        (weight > 0.0).then(|| sum / weight)
    }

    /// Lambertian reflectance of the ground with gradient (∂z/∂east,
    /// ∂z/∂south) lit from azimuth 315° at 45° altitude.
    fn lambert(dzdx: f64, dzdy: f64) -> Option<f64> {
        // Normal (−∂z/∂east, −∂z/∂north, 1); rows run south, so
        // ∂z/∂north = −dzdy.
        let (nx, ny, nz) = (-dzdx, dzdy, 1.0);
        let norm = (nx * nx + ny * ny + nz * nz).sqrt();
        let (az, alt) = (315f64.to_radians(), 45f64.to_radians());
        let (lx, ly, lz) = (az.sin() * alt.cos(), az.cos() * alt.cos(), alt.sin());
        let v = (nx * lx + ny * ly + nz * lz) / norm;
        v.is_finite().then_some(v.max(0.0))
    }

    /// Horn's (1981) 3 × 3 gradient at the nearest cell: (∂z/∂east,
    /// ∂z/∂south), ground metres.
    fn gradient(&self, lat: f64, lon: f64) -> Option<(f64, f64)> {
        let (x, y) = self.grid_xy(lat, lon)?;
        let (fx, fy) = self.frac(x, y)?;
        self.gradient_at(fx.round() as usize, fy.round() as usize, lat)
    }

    /// Horn's gradient at cell (c, r) (kept one cell inside the grid), the
    /// cells' ground sizes taken at latitude `lat`.
    fn gradient_at(&self, c: usize, r: usize, lat: f64) -> Option<(f64, f64)> {
        let (w, h) = (self.dem.width, self.dem.height);
        if w < 3 || h < 3 {
            return None;
        }
        let c = c.clamp(1, w - 2);
        let r = r.clamp(1, h - 2);
        let z = |dc: isize, dr: isize| -> f64 {
            self.dem
                .get((c as isize + dc) as usize, (r as isize + dr) as usize) as f64
        };
        let (ew, ns) = self.cell_metres(lat);
        let dzdx = ((z(1, -1) + 2.0 * z(1, 0) + z(1, 1)) - (z(-1, -1) + 2.0 * z(-1, 0) + z(-1, 1)))
            / (8.0 * ew);
        let dzdy = ((z(-1, 1) + 2.0 * z(0, 1) + z(1, 1)) - (z(-1, -1) + 2.0 * z(0, -1) + z(1, -1)))
            / (8.0 * ns);
        (dzdx.is_finite() && dzdy.is_finite()).then_some((dzdx, dzdy))
    }
}

/// Prime-vertical (N) and meridian (M) radii of curvature at `lat`, metres.
pub fn radii(e: &Ellipsoid, lat: f64) -> (f64, f64) {
    let e2 = e.e2();
    let s = lat.to_radians().sin();
    let w2 = 1.0 - e2 * s * s;
    let n = e.a / w2.sqrt();
    (n, e.a * (1.0 - e2) / (w2 * w2.sqrt()))
}

/// Radius of curvature of the normal section in azimuth `azi` (degrees) at
/// `lat`: Euler's formula 1/R = cos²α/M + sin²α/N.
pub fn radius_in_azimuth(e: &Ellipsoid, lat: f64, azi: f64) -> f64 {
    let (n, m) = radii(e, lat);
    let (s, c) = azi.to_radians().sin_cos();
    1.0 / (c * c / m + s * s / n)
}
