//! Coordinate operations between registry CRSs: inverse projection,
//! datum transformation (Pulkovo 1942 ↔ WGS 84 by a named EPSG Helmert
//! transformation), forward projection.
//!
//! The datum step is always explicit: [`CrsTransform::new`] takes the EPSG
//! code to use, or a location at which to choose EPSG's most accurate
//! transformation for the area (the choice PROJ makes too), and
//! [`CrsTransform::operation`] says which one it is.

use super::registry::CrsDefinition;
use super::{Crs, CrsKind};
use crate::datum::{self, Transformation};
use crate::projection::{web_mercator, TransverseMercator};

/// Why a transformation cannot be built or applied.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TransformError {
    /// A CRS outside the registry.
    #[error("{0} is not in the EPSG registry of Terminus, so it cannot be transformed yet")]
    UnknownCrs(String),
    /// No operation between these datums.
    #[error("no transformation from {0} to {1}: Terminus transforms between WGS 84 and Pulkovo 1942 (and their projections)")]
    NoPath(String, String),
    /// The named operation does not join these datums.
    #[error("EPSG:{0} is not a Pulkovo 1942 ↔ WGS 84 transformation Terminus knows; `terminus crs ops` lists them")]
    UnknownOperation(u32),
    /// No transformation is valid at the point.
    #[error("no Pulkovo 1942 → WGS 84 transformation has an area of use containing {0}°N {1}°E; name one with --op")]
    NoneValidAt(f64, f64),
    /// Coordinates that are not a position.
    #[error("latitude {0}° is beyond ±90°")]
    LatitudeOutOfRange(f64),
    /// Non-finite input.
    #[error("coordinates must be finite numbers")]
    NonFinite,
}

#[derive(Debug, Clone)]
enum Projector {
    Geographic,
    Tm(Box<TransverseMercator>),
    WebMercator,
}

impl Projector {
    fn of(def: &CrsDefinition) -> Projector {
        match def.kind {
            CrsKind::Geographic => Projector::Geographic,
            CrsKind::WebMercator => Projector::WebMercator,
            CrsKind::TransverseMercator {
                lat0: _,
                lon0,
                k0,
                false_easting,
                false_northing,
            } => Projector::Tm(Box::new(TransverseMercator::new(
                def.ellipsoid,
                lon0,
                k0,
                false_easting,
                false_northing,
            ))),
        }
    }
    /// x, y → lat, lon on the CRS's own datum.
    fn unproject(&self, x: f64, y: f64) -> (f64, f64) {
        match self {
            Projector::Geographic => (y, x),
            Projector::Tm(tm) => tm.inverse(x, y),
            Projector::WebMercator => web_mercator::inverse(x, y),
        }
    }
    fn project(&self, lat: f64, lon: f64) -> (f64, f64) {
        match self {
            Projector::Geographic => (lon, lat),
            Projector::Tm(tm) => tm.forward(lat, lon),
            Projector::WebMercator => web_mercator::forward(lat, lon),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum DatumStep {
    None,
    PulkovoToWgs84(&'static Transformation),
    Wgs84ToPulkovo(&'static Transformation),
}

/// A transformation from one registry CRS to another.
///
/// ```
/// use terminus_geodesy::{crs::transform::CrsTransform, Crs};
/// // Pulkovo 1942 / Gauss-Kruger zone 8 → WGS 84, through EPSG:15865.
/// let t = CrsTransform::new(&Crs::Epsg(28408), &Crs::WGS84, Some(15865), None).unwrap();
/// let (lon, lat) = t.apply(8_542_635.386, 4_440_830.949).unwrap();
/// assert!((lat - 40.0999).abs() < 1e-3 && (lon - 45.4988).abs() < 1e-3);
/// assert_eq!(t.operation().unwrap().code, 15865);
/// ```
#[derive(Debug, Clone)]
pub struct CrsTransform {
    src: Projector,
    dst: Projector,
    datum: DatumStep,
}

fn def(c: &Crs) -> Result<CrsDefinition, TransformError> {
    c.definition()
        .ok_or_else(|| TransformError::UnknownCrs(c.id()))
}

impl CrsTransform {
    /// Build the transformation from `src` to `dst`. Across datums, `op`
    /// names the EPSG transformation; without it, `at` (latitude,
    /// longitude) picks the most accurate one valid there.
    pub fn new(
        src: &Crs,
        dst: &Crs,
        op: Option<u32>,
        at: Option<(f64, f64)>,
    ) -> Result<CrsTransform, TransformError> {
        let (s, d) = (def(src)?, def(dst)?);
        let datum = match (s.datum_code, d.datum_code) {
            (a, b) if a == b => DatumStep::None,
            (6284, 6326) | (6326, 6284) => {
                let t = match op {
                    Some(code) => {
                        datum::transformation(code).ok_or(TransformError::UnknownOperation(code))?
                    }
                    None => {
                        let (lat, lon) =
                            at.ok_or(TransformError::NoneValidAt(f64::NAN, f64::NAN))?;
                        *datum::valid_at(lat, lon)
                            .first()
                            .ok_or(TransformError::NoneValidAt(lat, lon))?
                    }
                };
                if s.datum_code == 6284 {
                    DatumStep::PulkovoToWgs84(t)
                } else {
                    DatumStep::Wgs84ToPulkovo(t)
                }
            }
            _ => return Err(TransformError::NoPath(src.id(), dst.id())),
        };
        Ok(CrsTransform {
            src: Projector::of(&s),
            dst: Projector::of(&d),
            datum,
        })
    }

    /// The datum transformation used, if the datums differ.
    pub fn operation(&self) -> Option<&'static Transformation> {
        match self.datum {
            DatumStep::None => None,
            DatumStep::PulkovoToWgs84(t) | DatumStep::Wgs84ToPulkovo(t) => Some(t),
        }
    }

    /// Geographic position (on the source datum) of a source coordinate.
    pub fn source_geographic(&self, x: f64, y: f64) -> (f64, f64) {
        self.src.unproject(x, y)
    }

    /// Transform (x, y) = (easting or longitude, northing or latitude).
    pub fn apply(&self, x: f64, y: f64) -> Result<(f64, f64), TransformError> {
        if !x.is_finite() || !y.is_finite() {
            return Err(TransformError::NonFinite);
        }
        if matches!(self.src, Projector::Geographic) && y.abs() > 90.0 {
            return Err(TransformError::LatitudeOutOfRange(y));
        }
        let (lat, lon) = self.src.unproject(x, y);
        let (lat, lon) = match self.datum {
            DatumStep::None => (lat, lon),
            DatumStep::PulkovoToWgs84(t) => t.forward(lat, lon),
            DatumStep::Wgs84ToPulkovo(t) => t.reverse(lat, lon),
        };
        Ok(self.dst.project(lat, lon))
    }
}
