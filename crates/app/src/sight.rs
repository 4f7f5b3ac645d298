//! Intervisibility on a DEM: the line of sight between two points and the
//! viewshed of one, with the hint a field team needs when a point misses
//! the DEM only because latitude and longitude were given the wrong way
//! round.

use crate::demarcate::failure;
use crate::failure::Failure;
use serde::Serialize;
use std::path::Path;
use terminus_demarcation::los::{line_of_sight, ProfilePoint, Sight, SightSettings};
use terminus_demarcation::sampler::DemSampler;
use terminus_demarcation::viewshed::{viewshed, Viewshed, ViewshedSettings};
use terminus_terrain::Dem;

/// When a point misses the DEM but its coordinates swapped would hit it,
/// say so.
fn swapped_hint(s: &DemSampler, points: &[((f64, f64), &str)], f: Failure) -> Failure {
    for &((lat, lon), what) in points {
        if s.height(lat, lon).is_err() && lon.abs() <= 90.0 && s.height(lon, lat).is_ok() {
            return f.hint(format!(
                "--{what} {lat},{lon} is off the DEM but {lon},{lat} is on it: did you give LON,LAT? Terminus expects LAT,LON"
            ));
        }
    }
    f
}

/// The line of sight from `from` to `to` ((lat, lon) on WGS 84) over `dem`.
pub fn sight(
    dem: &Dem,
    from: (f64, f64),
    to: (f64, f64),
    settings: &SightSettings,
) -> Result<Sight, Failure> {
    let s = DemSampler::new(dem).map_err(failure)?;
    line_of_sight(&s, from, to, settings)
        .map_err(|e| swapped_hint(&s, &[(from, "from"), (to, "to")], failure(e)))
}

/// A line of sight in brief (`terminus los --json`; docs/demarcation.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SightSummary {
    /// Whether each end sees the other.
    pub visible: bool,
    /// Geodesic distance, metres.
    pub distance_m: f64,
    /// Geodesic azimuth at the observer, degrees.
    pub azimuth_deg: f64,
    /// Smallest clearance of the sight line over the ground, metres
    /// (negative when blocked; none when no sample lies between the ends).
    pub min_clearance_m: Option<f64>,
    /// The first blocking sample seen from the observer.
    pub blocking: Option<ProfilePoint>,
    /// Ground height at the observer, metres.
    pub ground_from_m: f64,
    /// Ground height at the target, metres.
    pub ground_to_m: f64,
    /// Samples of the profile.
    pub samples: usize,
    /// The refraction coefficient used.
    pub refraction: f64,
    /// Whether the earth's curvature was applied.
    pub curvature: bool,
    /// The DEM's voids under the sight line and what was done (set by the
    /// caller that checked them).
    pub voids: Option<crate::terrain::VoidsMet>,
}

/// The documented summary of a line of sight.
pub fn summary(sight: &Sight, settings: &SightSettings) -> SightSummary {
    SightSummary {
        visible: sight.visible,
        distance_m: sight.distance_m,
        azimuth_deg: sight.azimuth_deg,
        min_clearance_m: sight
            .min_clearance_m
            .is_finite()
            .then_some(sight.min_clearance_m),
        blocking: sight.blocking,
        ground_from_m: sight.ground_from_m,
        ground_to_m: sight.ground_to_m,
        samples: sight.profile.len(),
        refraction: settings.refraction,
        curvature: settings.curvature,
        voids: None,
    }
}

/// The sight's profile as CSV: distance, position, ground, sight line, clearance.
pub fn profile_csv(sight: &Sight) -> String {
    let mut csv = String::from("distance_m,lat,lon,ground_m,sight_m,clearance_m\n");
    for q in &sight.profile {
        csv.push_str(&format!(
            "{:.3},{:.9},{:.9},{:.3},{:.3},{:.3}\n",
            q.distance_m, q.lat, q.lon, q.ground_m, q.sight_m, q.clearance_m
        ));
    }
    csv
}

/// The viewshed of `at` ((lat, lon) on WGS 84) over `dem`.
pub fn view(dem: &Dem, at: (f64, f64), settings: &ViewshedSettings) -> Result<Viewshed, Failure> {
    viewshed(dem, at, settings).map_err(|e| {
        let f = failure(e);
        match DemSampler::new(dem) {
            Ok(s) => swapped_hint(&s, &[(at, "at")], f),
            Err(_) => f,
        }
    })
}

/// Write a viewshed as a one-byte GeoTIFF (1 visible, 0 not).
pub fn write_viewshed(path: &Path, v: &Viewshed) -> Result<(), Failure> {
    let value = |c: usize, r: usize| v.cells[r * v.width + c] as f64;
    let grid = terminus_terrain::geotiff::Grid {
        width: v.width,
        height: v.height,
        georef: &v.georef,
        nodata: None,
        sample: terminus_terrain::SampleType::U8,
        value: &value,
    };
    terminus_terrain::geotiff::write_grid(path, &grid).map_err(|e| Failure::failed(e.to_string()))
}

/// A viewshed in brief (`terminus viewshed --json`; docs/demarcation.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ViewshedSummary {
    /// Cells in range the observer sees.
    pub visible_cells: usize,
    /// Cells in range (voids excluded).
    pub in_range_cells: usize,
    /// Void cells in range (never visible, never blocking).
    pub void_cells: usize,
    /// Visible over in range.
    pub visible_share: f64,
    /// The observer's eye, metres (ground plus height).
    pub eye_m: f64,
    /// Columns of the grid written.
    pub width: usize,
    /// Rows.
    pub height: usize,
    /// `exact`, `gdal` or `gdal-3.6`.
    pub method: String,
    /// Seconds reading the DEM.
    pub read_s: f64,
    /// Seconds computing.
    pub compute_s: f64,
    /// Seconds writing the GeoTIFF.
    pub write_s: f64,
    /// The GeoTIFF written.
    pub out: String,
}

/// The summary of a viewshed computed with `method`, its timings and file.
pub fn viewshed_summary(
    v: &Viewshed,
    method: &str,
    seconds: [f64; 3],
    out: &Path,
) -> ViewshedSummary {
    ViewshedSummary {
        visible_cells: v.visible_cells,
        in_range_cells: v.in_range_cells,
        void_cells: v.void_cells,
        visible_share: v.visible_cells as f64 / v.in_range_cells.max(1) as f64,
        eye_m: v.eye_m,
        width: v.width,
        height: v.height,
        method: method.to_string(),
        read_s: seconds[0],
        compute_s: seconds[1],
        write_s: seconds[2],
        out: out.display().to_string(),
    }
}
