//! A commission's DEMs as the service serves them: their extent and
//! voids, hillshade tiles for the web map, and the line-of-sight profile
//! between two points.
//!
//! The tiles are on the web-Mercator XYZ grid (256 pixels, EPSG:3857 as
//! web maps tile it): a picture for the eye, never measured. Each pixel's
//! centre is taken back to WGS 84 and shaded where it falls on the DEM —
//! Horn's gradient lit from 315° at 45°, blended between the four cells
//! around the pixel (`DemSampler::hillshade_smooth`), the
//! convention of topographic maps — so the relief is the DEM's own, at any
//! zoom; where the pixel misses the DEM or a neighbour cell is void it is
//! transparent. The profile is `terminus los`'s (`crate::sight`).

use crate::demarcate::failure;
use crate::failure::Failure;
use std::path::Path;
use std::sync::Arc;
use terminus_demarcation::los::SightSettings;
use terminus_demarcation::sampler::DemSampler;
use terminus_geodesy::Xy;
use terminus_terrain::Dem;

/// A DEM loaded for serving.
#[derive(Debug, Clone)]
pub struct ServedDem {
    /// Its name in the service's URLs: the file's stem.
    pub name: String,
    /// The file, SHA-256 and size, as provenance records them.
    pub file: crate::input::FileHash,
    /// Its CRS.
    pub crs: String,
    /// Its extent on WGS 84: west, south, east, north (degrees).
    pub bounds: [f64; 4],
    /// Width and height in cells.
    pub size: [usize; 2],
    /// Voids inside the terrain (nodata not reaching the grid's edge):
    /// count and cells. A profile or sight line across one is refused.
    pub interior_voids: usize,
    /// Their cells.
    pub void_cells: usize,
    /// The grid.
    pub dem: Arc<Dem>,
}

/// Load the DEM at `path` for serving, named by its file's stem.
pub fn serve_dem(path: &Path) -> Result<ServedDem, Failure> {
    let dem = super::load_dem(path, None)?;
    let file = crate::input::hash_file(path)?;
    let road = super::dem_road(&dem, path, None)?;
    // The extent: the grid's outer edge, 32 points a side, on WGS 84.
    let g = &dem.georef;
    let (w, h) = (dem.width as f64, dem.height as f64);
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for k in 0..=32 {
        let t = k as f64 / 32.0;
        for (c, r) in [(t * w, 0.0), (t * w, h), (0.0, t * h), (w, t * h)] {
            let p = Xy::new(g.x0 + c * g.dx, g.y0 - r * g.dy);
            let q = road.to_wgs84(p).map_err(|e| {
                Failure::usage(format!(
                    "{}: a corner of the DEM has no place on WGS 84: {e}",
                    path.display()
                ))
            })?;
            b = [
                b[0].min(q.lon),
                b[1].min(q.lat),
                b[2].max(q.lon),
                b[3].max(q.lat),
            ];
        }
    }
    let voids: Vec<_> = terminus_terrain::voids::find_voids(&dem)
        .into_iter()
        .filter(|v| !v.touches_edge)
        .collect();
    Ok(ServedDem {
        name: path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "dem".into()),
        file,
        crs: dem.georef.crs.id(),
        bounds: b,
        size: [dem.width, dem.height],
        interior_voids: voids.len(),
        void_cells: voids.iter().map(|v| v.cells.len()).sum(),
        dem: Arc::new(dem),
    })
}

/// Pixels a side of a tile.
pub const TILE: u32 = 256;

/// The deepest zoom served (about 2 cm a pixel at the equator: far below
/// any DEM's cell).
pub const MAX_ZOOM: u32 = 22;

/// West, south, east, north of web-Mercator tile `z/x/y`.
pub fn tile_bounds(z: u32, x: u32, y: u32) -> [f64; 4] {
    let n = f64::from(1u32 << z);
    let lon = |x: f64| x / n * 360.0 - 180.0;
    let lat = |y: f64| {
        (std::f64::consts::PI * (1.0 - 2.0 * y / n))
            .sinh()
            .atan()
            .to_degrees()
    };
    let (x, y) = (f64::from(x), f64::from(y));
    [lon(x), lat(y + 1.0), lon(x + 1.0), lat(y)]
}

/// The hillshade tile `z/x/y` of `dem` as a PNG (transparent off the DEM
/// and over voids).
pub fn relief_tile(dem: &ServedDem, z: u32, x: u32, y: u32) -> Result<Vec<u8>, Failure> {
    if z > MAX_ZOOM || x >= 1u32 << z || y >= 1u32 << z {
        return Err(Failure::usage(format!(
            "tile {z}/{x}/{y} does not exist: zoom 0 to {MAX_ZOOM}, x and y from 0 to 2^zoom − 1"
        )));
    }
    let px = (TILE * TILE) as usize;
    let mut rgba = vec![[0u8; 4]; px];
    let t = tile_bounds(z, x, y);
    let b = dem.bounds;
    if t[0] <= b[2] && b[0] <= t[2] && t[1] <= b[3] && b[1] <= t[3] {
        let s = DemSampler::new(&dem.dem).map_err(failure)?;
        let n = f64::from(1u32 << z);
        let tile = f64::from(TILE);
        for (i, out) in rgba.iter_mut().enumerate() {
            let (c, r) = ((i as u32 % TILE) as f64, (i as u32 / TILE) as f64);
            let lon = (f64::from(x) + (c + 0.5) / tile) / n * 360.0 - 180.0;
            let my = f64::from(y) + (r + 0.5) / tile;
            let lat = (std::f64::consts::PI * (1.0 - 2.0 * my / n))
                .sinh()
                .atan()
                .to_degrees();
            if let Some(v) = s.hillshade_smooth(lat, lon) {
                let g = (v.clamp(0.0, 1.0) * 255.0).round() as u8;
                *out = [g, g, g, 150];
            }
        }
    }
    terminus_cartography::rgba_png(TILE, TILE, &rgba).map_err(|e| Failure::failed(e.to_string()))
}

/// The line of sight between two pillars (or any two points), as the
/// pillar plan decides `visible_next`: pillar heights 1.5 m unless given,
/// refraction 0.13, the earth's curvature applied. Refused across a void
/// or off the DEM, with the reason.
pub fn profile(
    dem: &ServedDem,
    from: (f64, f64),
    to: (f64, f64),
    heights: (f64, f64),
) -> Result<(terminus_demarcation::los::Sight, SightSettings), Failure> {
    let settings = SightSettings {
        height_from: heights.0,
        height_to: heights.1,
        refraction: 0.13,
        curvature: true,
        step: None,
    };
    let sight = crate::sight::sight(&dem.dem, from, to, &settings)?;
    Ok((sight, settings))
}
