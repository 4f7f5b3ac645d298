//! Geodesic length and area of geometries, on the ellipsoid of their CRS.
//!
//! Method and accuracy: `terminus_geodesy::measure` (Karney 2013): lengths to
//! nanometres, areas to about 0.1 m². Projected coordinates (UTM,
//! Gauss–Krüger) are first unprojected to their own datum's latitude and
//! longitude (Karney 2011), and each segment is then measured as the geodesic
//! between its ends — the ellipsoidal measure, not the grid's.

use crate::Coord;
use crate::{Geometry, Layer};
use terminus_geodesy::crs::transform::CrsTransform;
use terminus_geodesy::{measure, Crs, Geodesic};

/// Why a geometry cannot be measured on the ellipsoid.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MeasureError {
    /// The CRS is not in the registry, so its ellipsoid is unknown.
    #[error(
        "geodesic measures need a known ellipsoid; {0} is not in the EPSG registry of Terminus"
    )]
    NotGeographic(String),
}

/// Geodesic length and area.
pub trait GeodesicMeasure {
    /// Length in metres of all linear parts (LineStrings; polygons are not
    /// counted, see [`GeodesicMeasure::geodesic_perimeter`]).
    fn geodesic_length(&self, crs: &Crs) -> Result<f64, MeasureError>;
    /// Perimeter in metres of all polygon rings.
    fn geodesic_perimeter(&self, crs: &Crs) -> Result<f64, MeasureError>;
    /// Area in m² of all polygons: |exterior| − Σ|holes|, whatever the
    /// rings' orientation.
    fn geodesic_area(&self, crs: &Crs) -> Result<f64, MeasureError>;
}

/// The solver on the CRS's ellipsoid and the map from stored (x, y) to
/// (longitude, latitude) on it (`None` when already geographic).
fn solver(crs: &Crs) -> Result<(Geodesic, Option<CrsTransform>), MeasureError> {
    if crs.is_geographic() {
        if let Some(e) = crs.ellipsoid() {
            return Ok((e.geodesic(), None));
        }
    }
    let (t, e) =
        CrsTransform::unprojecting(crs).map_err(|_| MeasureError::NotGeographic(crs.id()))?;
    Ok((e.geodesic(), Some(t)))
}

fn lonlat<'a>(
    t: &'a Option<CrsTransform>,
    p: &'a [Coord],
) -> impl Iterator<Item = (f64, f64)> + 'a {
    p.iter().map(move |c| match t {
        None => (c.x, c.y),
        Some(t) => t.apply(c.x, c.y).unwrap_or((f64::NAN, f64::NAN)),
    })
}

impl GeodesicMeasure for Geometry {
    fn geodesic_length(&self, crs: &Crs) -> Result<f64, MeasureError> {
        let (g, t) = solver(crs)?;
        Ok(self
            .paths()
            .iter()
            .map(|p| measure::path_length_with(&g, lonlat(&t, p)))
            .sum())
    }

    fn geodesic_perimeter(&self, crs: &Crs) -> Result<f64, MeasureError> {
        let (g, t) = solver(crs)?;
        Ok(self
            .polygons()
            .iter()
            .flat_map(|p| &p.rings)
            .map(|r| measure::path_length_with(&g, lonlat(&t, r)))
            .sum())
    }

    fn geodesic_area(&self, crs: &Crs) -> Result<f64, MeasureError> {
        let (g, t) = solver(crs)?;
        let mut total = 0.0;
        for p in self.polygons() {
            for (i, r) in p.rings.iter().enumerate() {
                let a = measure::ring_area_with(&g, lonlat(&t, r)).abs();
                total += if i == 0 { a } else { -a };
            }
        }
        Ok(total)
    }
}

/// Totals for a layer.
pub fn layer_totals(layer: &Layer) -> Result<(f64, f64), MeasureError> {
    let mut length = 0.0;
    let mut area = 0.0;
    for g in layer.features.iter().filter_map(|f| f.geometry.as_ref()) {
        length += g.geodesic_length(&layer.crs)?;
        area += g.geodesic_area(&layer.crs)?;
    }
    Ok((length, area))
}
