//! Intervisibility on a DEM: the line of sight between two points and the
//! viewshed of one, with the hint a field team needs when a point misses
//! the DEM only because latitude and longitude were given the wrong way
//! round.

use crate::demarcate::failure;
use crate::failure::Failure;
use std::path::Path;
use terminus_demarcation::los::{line_of_sight, Sight, SightSettings};
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

/// The documented JSON form of a line of sight.
pub fn sight_json(sight: &Sight, settings: &SightSettings) -> serde_json::Value {
    serde_json::json!({
        "visible": sight.visible,
        "distance_m": sight.distance_m,
        "azimuth_deg": sight.azimuth_deg,
        "min_clearance_m": if sight.min_clearance_m.is_finite() { Some(sight.min_clearance_m) } else { None },
        "blocking": sight.blocking.map(|b| serde_json::json!({
            "lat": b.lat, "lon": b.lon, "distance_m": b.distance_m,
            "ground_m": b.ground_m, "sight_m": b.sight_m, "clearance_m": b.clearance_m,
        })),
        "ground_from_m": sight.ground_from_m,
        "ground_to_m": sight.ground_to_m,
        "samples": sight.profile.len(),
        "refraction": settings.refraction,
        "curvature": settings.curvature,
    })
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
