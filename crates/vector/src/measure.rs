//! Geodesic length and area of geometries, on the ellipsoid of their CRS.
//!
//! Method and accuracy: `terminus_geodesy::measure` (Karney 2013): lengths to
//! nanometres, areas to about 0.1 m². Only geographic CRSs are measured here;
//! projected coordinates need inverse projection (the geodesy issue).

use crate::{Geometry, Layer};
use terminus_geodesy::{measure, Crs, Geodesic};

/// Why a geometry cannot be measured on the ellipsoid.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MeasureError {
    /// The CRS is projected or unknown.
    #[error("geodesic measures need longitude/latitude on a known ellipsoid; {0} is not a geographic CRS Terminus can invert yet")]
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

fn solver(crs: &Crs) -> Result<Geodesic, MeasureError> {
    match crs.ellipsoid() {
        Some(e) if crs.is_geographic() => Ok(e.geodesic()),
        _ => Err(MeasureError::NotGeographic(crs.id())),
    }
}

impl GeodesicMeasure for Geometry {
    fn geodesic_length(&self, crs: &Crs) -> Result<f64, MeasureError> {
        let g = solver(crs)?;
        Ok(self
            .paths()
            .iter()
            .map(|p| measure::path_length_with(&g, p.iter().map(|c| (c.x, c.y))))
            .sum())
    }

    fn geodesic_perimeter(&self, crs: &Crs) -> Result<f64, MeasureError> {
        let g = solver(crs)?;
        Ok(self
            .polygons()
            .iter()
            .flat_map(|p| &p.rings)
            .map(|r| measure::path_length_with(&g, r.iter().map(|c| (c.x, c.y))))
            .sum())
    }

    fn geodesic_area(&self, crs: &Crs) -> Result<f64, MeasureError> {
        let g = solver(crs)?;
        let mut total = 0.0;
        for p in self.polygons() {
            for (i, r) in p.rings.iter().enumerate() {
                let a = measure::ring_area_with(&g, r.iter().map(|c| (c.x, c.y))).abs();
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
