//! Coordinate operations between CRSs of the registry and PROJ-string CRSs:
//! inverse projection, datum transformation through WGS 84 (Pulkovo 1942 by
//! a named EPSG Helmert transformation, PROJ strings by their `+towgs84`),
//! forward projection.
//!
//! The datum step is always explicit: [`CrsTransform::new`] takes the EPSG
//! code to use, or a location at which to choose EPSG's most accurate
//! transformation for the area (the choice PROJ makes too), and
//! [`CrsTransform::operation`] says which one it is.

use super::proj_string::{parse_proj, ProjDatum};
use super::{Crs, CrsKind};
use crate::datum::{self, Helmert, Transformation};
use crate::projection::{web_mercator, TransverseMercator};
use crate::{Ellipsoid, LatLon, Xy};

/// Why a transformation cannot be built or applied.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TransformError {
    /// A CRS neither in the registry nor a PROJ string.
    #[error("{0} is not in the EPSG registry of Terminus and is not a PROJ string, so it cannot be transformed")]
    UnknownCrs(String),
    /// The named operation does not join these datums.
    #[error("EPSG:{0} is not a Pulkovo 1942 ↔ WGS 84 transformation Terminus knows; `terminus crs ops` lists them")]
    UnknownOperation(u32),
    /// No transformation named and no position to choose one at.
    #[error("no Pulkovo 1942 → WGS 84 transformation named and no position to choose one at: name one with --op")]
    NoPosition,
    /// No transformation is valid at the point.
    #[error("no Pulkovo 1942 → WGS 84 transformation has an area of use containing {0}°N {1}°E; name one with --op")]
    NoneValidAt(f64, f64),
    /// Coordinates that are not a position.
    #[error("latitude {0}° is beyond ±90°")]
    LatitudeOutOfRange(f64),
    /// Non-finite input.
    #[error("coordinates must be finite numbers")]
    NonFinite,
    /// A PROJ string Terminus cannot use.
    #[error("PROJ string: {0}")]
    BadProjString(String),
    /// A CRS whose datum is not stated.
    #[error(
        "{0} does not say its datum (no +towgs84 and not WGS 84): add +towgs84= or use an EPSG CRS"
    )]
    UnknownDatum(String),
}

#[derive(Debug, Clone)]
enum Projector {
    Geographic,
    Tm(Box<TransverseMercator>),
    WebMercator,
}

impl Projector {
    fn new(ellipsoid: Ellipsoid, kind: CrsKind) -> Projector {
        match kind {
            CrsKind::Geographic => Projector::Geographic,
            CrsKind::WebMercator => Projector::WebMercator,
            CrsKind::TransverseMercator {
                lat0: _,
                lon0,
                k0,
                false_easting,
                false_northing,
            } => Projector::Tm(Box::new(TransverseMercator::new(
                ellipsoid,
                lon0,
                k0,
                false_easting,
                false_northing,
            ))),
        }
    }
    /// x, y → lat, lon on the CRS's own datum.
    fn unproject(&self, p: Xy) -> LatLon {
        match self {
            Projector::Geographic => p.latlon(),
            Projector::Tm(tm) => tm.inverse(p.grid()),
            Projector::WebMercator => web_mercator::inverse(p.grid()),
        }
    }
    fn project(&self, p: LatLon) -> Xy {
        match self {
            Projector::Geographic => Xy::from_latlon(p),
            Projector::Tm(tm) => Xy::from_grid(tm.forward(p)),
            Projector::WebMercator => Xy::from_grid(web_mercator::forward(p)),
        }
    }
}

/// How a side's datum reaches WGS 84.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Datum {
    Wgs84,
    Pulkovo,
    Shift(Helmert, Ellipsoid),
    Unknown,
}

/// One leg between a datum and WGS 84.
#[derive(Debug, Clone, Copy)]
enum Leg {
    Pulkovo(&'static Transformation),
    Shift(Helmert, Ellipsoid),
}

impl Leg {
    /// Datum → WGS 84.
    fn datum_to_wgs84(self, lat: f64, lon: f64) -> (f64, f64) {
        match self {
            Leg::Pulkovo(t) => t.forward(LatLon::new(lat, lon)).tuple(),
            Leg::Shift(h, e) => {
                let v = datum::geodetic_to_geocentric(&e, lat, lon, 0.0);
                datum::geocentric_to_geodetic(&Ellipsoid::WGS84, h.forward(v))
                    .0
                    .tuple()
            }
        }
    }
    /// WGS 84 → datum.
    fn wgs84_to_datum(self, lat: f64, lon: f64) -> (f64, f64) {
        match self {
            Leg::Pulkovo(t) => t.reverse(LatLon::new(lat, lon)).tuple(),
            Leg::Shift(h, e) => {
                let v = datum::geodetic_to_geocentric(&Ellipsoid::WGS84, lat, lon, 0.0);
                datum::geocentric_to_geodetic(&e, h.reverse(v)).0.tuple()
            }
        }
    }
}

struct Side {
    projector: Projector,
    datum: Datum,
}

fn side(c: &Crs) -> Result<Side, TransformError> {
    if let Some(d) = c.definition() {
        let datum = match d.datum_code {
            6326 => Datum::Wgs84,
            6284 => Datum::Pulkovo,
            _ => Datum::Unknown,
        };
        return Ok(Side {
            projector: Projector::new(d.ellipsoid, d.kind),
            datum,
        });
    }
    match c {
        Crs::Custom(text) if text.contains("+proj=") => {
            let d = parse_proj(text).map_err(TransformError::BadProjString)?;
            let datum = match d.datum {
                ProjDatum::Wgs84 => Datum::Wgs84,
                ProjDatum::ToWgs84(h) => Datum::Shift(h, d.ellipsoid),
                ProjDatum::Unknown => Datum::Unknown,
            };
            Ok(Side {
                projector: Projector::new(d.ellipsoid, d.kind),
                datum,
            })
        }
        _ => Err(TransformError::UnknownCrs(c.id())),
    }
}

/// A transformation from one CRS to another.
///
/// ```
/// use terminus_geodesy::{crs::transform::CrsTransform, Crs, EastNorth, Xy};
/// // Pulkovo 1942 / Gauss-Kruger zone 8 → WGS 84, through EPSG:15865.
/// let t = CrsTransform::new(&Crs::Epsg(28408), &Crs::WGS84, Some(15865), None).unwrap();
/// let gk = EastNorth::new(8_542_635.386, 4_440_830.949);
/// let p = t.apply(Xy::from_grid(gk)).unwrap().latlon();
/// let (lat, lon) = (p.lat, p.lon);
/// assert!((lat - 40.0999).abs() < 1e-3 && (lon - 45.4988).abs() < 1e-3);
/// assert_eq!(t.operation().unwrap().code, 15865);
/// ```
#[derive(Debug, Clone)]
pub struct CrsTransform {
    src: Projector,
    dst: Projector,
    /// Source datum → WGS 84, then WGS 84 → target datum; both `None` when
    /// the datums are the same.
    to_hub: Option<Leg>,
    from_hub: Option<Leg>,
}

impl CrsTransform {
    /// Build the transformation from `src` to `dst`. Through Pulkovo 1942,
    /// `op` names the EPSG transformation; without it, `at` (a position on
    /// the source datum) picks the most accurate one valid there.
    pub fn new(
        src: &Crs,
        dst: &Crs,
        op: Option<u32>,
        at: Option<LatLon>,
    ) -> Result<CrsTransform, TransformError> {
        let (s, d) = (side(src)?, side(dst)?);
        let pulkovo_op = || -> Result<&'static Transformation, TransformError> {
            match op {
                Some(code) => {
                    datum::transformation(code).ok_or(TransformError::UnknownOperation(code))
                }
                None => {
                    // No position to choose at: say so, not "NaN°N NaN°E".
                    let at = at.ok_or(TransformError::NoPosition)?;
                    datum::valid_at(at)
                        .first()
                        .copied()
                        .ok_or(TransformError::NoneValidAt(at.lat, at.lon))
                }
            }
        };
        let leg = |datum: Datum, who: &Crs| -> Result<Option<Leg>, TransformError> {
            Ok(match datum {
                Datum::Wgs84 => None,
                Datum::Pulkovo => Some(Leg::Pulkovo(pulkovo_op()?)),
                Datum::Shift(h, e) => Some(Leg::Shift(h, e)),
                Datum::Unknown => return Err(TransformError::UnknownDatum(who.id())),
            })
        };
        let same = s.datum == d.datum && (s.datum != Datum::Unknown || src == dst);
        let (to_hub, from_hub) = if same {
            (None, None)
        } else {
            (leg(s.datum, src)?, leg(d.datum, dst)?)
        };
        Ok(CrsTransform {
            src: s.projector,
            dst: d.projector,
            to_hub,
            from_hub,
        })
    }

    /// From `crs` to latitude/longitude on its own datum and ellipsoid (no
    /// datum step: only the projection undone), with that ellipsoid. Works
    /// for registry CRSs and PROJ strings alike, whether or not the datum is
    /// stated: what geodesic measures need.
    pub fn unprojecting(crs: &Crs) -> Result<(CrsTransform, Ellipsoid), TransformError> {
        let ellipsoid = match crs.definition() {
            Some(d) => d.ellipsoid,
            None => match crs {
                Crs::Custom(text) if text.contains("+proj=") => {
                    parse_proj(text)
                        .map_err(TransformError::BadProjString)?
                        .ellipsoid
                }
                _ => return Err(TransformError::UnknownCrs(crs.id())),
            },
        };
        let s = side(crs)?;
        Ok((
            CrsTransform {
                src: s.projector,
                dst: Projector::Geographic,
                to_hub: None,
                from_hub: None,
            },
            ellipsoid,
        ))
    }

    /// The EPSG Pulkovo 1942 ↔ WGS 84 transformation used, if any.
    pub fn operation(&self) -> Option<&'static Transformation> {
        [self.to_hub, self.from_hub]
            .into_iter()
            .flatten()
            .find_map(|l| match l {
                Leg::Pulkovo(t) => Some(t),
                Leg::Shift(..) => None,
            })
    }

    /// Geographic position (on the source datum) of a source coordinate.
    pub fn source_geographic(&self, p: Xy) -> LatLon {
        self.src.unproject(p)
    }

    /// Transform a coordinate in the source CRS's axes to the target's
    /// (each [`Xy`]: x east, y north).
    ///
    /// ```
    /// use terminus_geodesy::{crs::transform::CrsTransform, Crs, LatLon, Xy};
    /// // WGS 84 → UTM 38N (EPSG:32638), no datum change.
    /// let t = CrsTransform::new(&Crs::WGS84, &Crs::Epsg(32638), None, None).unwrap();
    /// let g = t.apply(Xy::from_latlon(LatLon::new(40.0, 45.0))).unwrap().grid();
    /// assert!((g.easting - 500_000.0).abs() < 1e-6);
    /// ```
    pub fn apply(&self, p: Xy) -> Result<Xy, TransformError> {
        if !p.x.is_finite() || !p.y.is_finite() {
            return Err(TransformError::NonFinite);
        }
        if matches!(self.src, Projector::Geographic) && p.y.abs() > 90.0 {
            return Err(TransformError::LatitudeOutOfRange(p.y));
        }
        let LatLon { mut lat, mut lon } = self.src.unproject(p);
        if let Some(l) = self.to_hub {
            (lat, lon) = l.datum_to_wgs84(lat, lon);
        }
        if let Some(l) = self.from_hub {
            (lat, lon) = l.wgs84_to_datum(lat, lon);
        }
        Ok(self.dst.project(LatLon::new(lat, lon)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PROJ string spelling out EPSG:28408 with EPSG:1267's parameters
    /// (coordinate frame, so the rotations' signs flip for PROJ's
    /// position-vector +towgs84) agrees with the registry path through 1267.
    #[test]
    fn proj_string_with_towgs84_matches_the_registry() {
        let proj = Crs::Custom("+proj=tmerc +lat_0=0 +lon_0=45 +k=1 +x_0=8500000 +y_0=0 +ellps=krass +towgs84=23.92,-141.27,-80.9,0,0.35,0.82,-0.12 +units=m +no_defs".into());
        let a = CrsTransform::new(&proj, &Crs::WGS84, None, None).unwrap();
        let b = CrsTransform::new(&Crs::Epsg(28408), &Crs::WGS84, Some(1267), None).unwrap();
        let (x, y) = (8_542_635.386, 4_440_830.949);
        let gk = Xy::new(x, y);
        let (p, q) = (a.apply(gk).unwrap(), b.apply(gk).unwrap());
        assert!(
            (p.x - q.x).abs() < 1e-12 && (p.y - q.y).abs() < 1e-12,
            "{p:?} {q:?}"
        );
        assert!(a.operation().is_none());
        // And back.
        let back = CrsTransform::new(&Crs::WGS84, &proj, None, None)
            .unwrap()
            .apply(p)
            .unwrap();
        assert!(
            (back.x - x).abs() < 1e-3 && (back.y - y).abs() < 1e-3,
            "{back:?}"
        );
    }

    #[test]
    fn undated_proj_strings_are_refused_across_datums() {
        let krass = Crs::Custom("+proj=longlat +ellps=krass".into());
        let e = CrsTransform::new(&krass, &Crs::WGS84, None, None).unwrap_err();
        assert!(matches!(e, TransformError::UnknownDatum(_)));
        assert!(CrsTransform::new(&krass, &krass, None, None).is_ok());
        let utm = Crs::Custom("+proj=utm +zone=38 +datum=WGS84".into());
        assert!(CrsTransform::new(&utm, &Crs::WGS84, None, None).is_ok());
        let bad = Crs::Custom("+proj=lcc +lat_1=40 +ellps=WGS84".into());
        assert!(matches!(
            CrsTransform::new(&bad, &Crs::WGS84, None, None),
            Err(TransformError::BadProjString(_))
        ));
    }
}
