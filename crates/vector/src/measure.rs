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

/// The positions of `p` (x = longitude, y = latitude once unprojected
/// by `t`) as typed positions.
fn lonlat<'a>(
    t: &'a Option<CrsTransform>,
    p: &'a [Coord],
) -> impl Iterator<Item = terminus_geodesy::LatLon> + 'a {
    p.iter().map(move |c| {
        match t {
            None => c.to_xy().latlon(),
            // An unprojectable vertex measures as NaN: the length or area
            // says so rather than leaving the vertex out.
            Some(t) => t
                .apply(c.to_xy())
                .map(|p| p.latlon())
                .unwrap_or(terminus_geodesy::LatLon::new(f64::NAN, f64::NAN)),
        }
    })
}

fn length_with(g: &Geodesic, t: &Option<CrsTransform>, geom: &Geometry) -> f64 {
    geom.paths()
        .iter()
        .map(|p| measure::path_length_with(g, lonlat(t, p)))
        .sum()
}

/// Ring perimeters as PolygonArea sums them (closing edge included), so
/// that this and [`measure_layer`] agree to the last bit.
fn perimeter_with(g: &Geodesic, t: &Option<CrsTransform>, geom: &Geometry) -> f64 {
    geom.polygons()
        .iter()
        .flat_map(|p| &p.rings)
        .map(|r| measure::ring_perimeter_area_with(g, lonlat(t, r)).0)
        .sum()
}

fn area_with(g: &Geodesic, t: &Option<CrsTransform>, geom: &Geometry) -> f64 {
    let mut total = 0.0;
    for p in geom.polygons() {
        for (i, r) in p.rings.iter().enumerate() {
            let a = measure::ring_area_with(g, lonlat(t, r)).abs();
            total += if i == 0 { a } else { -a };
        }
    }
    total
}

impl GeodesicMeasure for Geometry {
    fn geodesic_length(&self, crs: &Crs) -> Result<f64, MeasureError> {
        let (g, t) = solver(crs)?;
        Ok(length_with(&g, &t, self))
    }

    fn geodesic_perimeter(&self, crs: &Crs) -> Result<f64, MeasureError> {
        let (g, t) = solver(crs)?;
        Ok(perimeter_with(&g, &t, self))
    }

    fn geodesic_area(&self, crs: &Crs) -> Result<f64, MeasureError> {
        let (g, t) = solver(crs)?;
        Ok(area_with(&g, &t, self))
    }
}

/// Geodesic totals of a layer.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LayerMeasures {
    /// Length of all lines, metres.
    pub length_m: f64,
    /// Perimeter of all polygon rings, metres.
    pub perimeter_m: f64,
    /// Area of all polygons (holes subtracted), m².
    pub area_m2: f64,
}

/// Length, perimeter and area of a whole layer, with one solver (and one
/// inverse projection) for all its features.
pub fn measure_layer(layer: &Layer) -> Result<LayerMeasures, MeasureError> {
    let (g, t) = solver(&layer.crs)?;
    let mut m = LayerMeasures::default();
    for geom in layer.features.iter().filter_map(|f| f.geometry.as_ref()) {
        m.length_m += length_with(&g, &t, geom);
        for p in geom.polygons() {
            for (i, r) in p.rings.iter().enumerate() {
                // PolygonArea closes the ring itself: a repeated closing
                // vertex adds a zero edge to neither total.
                let (per, a) = measure::ring_perimeter_area_with(&g, lonlat(&t, r));
                m.perimeter_m += per;
                m.area_m2 += if i == 0 { a.abs() } else { -a.abs() };
            }
        }
    }
    Ok(m)
}
