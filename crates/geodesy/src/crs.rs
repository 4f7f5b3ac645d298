//! Coordinate reference systems.
//!
//! Every coordinate in Terminus carries its CRS. A [`Crs`] is either an EPSG
//! code that Terminus knows (see [`registry`]) or a definition Terminus does
//! not know, carried verbatim (WKT or PROJ text) so that nothing a user saved
//! is lost when it is written out again.
//!
//! In memory, coordinates are always `(x, y)` = (easting, northing) or
//! (longitude, latitude), whatever axis order the EPSG definition declares
//! ("traditional GIS order", as GDAL's `OAMS_TRADITIONAL_GIS_ORDER`); axis
//! order matters only at the edges, where a format declares its own order.

mod parse;
pub mod proj_string;
pub mod registry;
pub mod transform;
mod wkt;

use crate::Ellipsoid;
use serde::{Deserialize, Serialize};
use std::fmt;

pub use parse::parse_wkt_tree;

/// A coordinate reference system.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Crs {
    /// A CRS of the EPSG dataset that Terminus knows (parameters in [`registry`]).
    Epsg(u32),
    /// A CRS Terminus does not know, carried verbatim: its WKT (any flavour)
    /// or PROJ string. Geodesic measures are unavailable for it.
    Custom(String),
}

/// What kind of CRS a registry entry is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CrsKind {
    /// Geographic 2D: longitude and latitude in degrees on `ellipsoid`.
    Geographic,
    /// Transverse Mercator projection of a geographic CRS.
    TransverseMercator {
        /// Latitude of natural origin, degrees.
        lat0: f64,
        /// Longitude of natural origin (central meridian), degrees.
        lon0: f64,
        /// Scale factor at natural origin.
        k0: f64,
        /// False easting, metres.
        false_easting: f64,
        /// False northing, metres.
        false_northing: f64,
    },
    /// Popular Visualisation Pseudo-Mercator (EPSG method 1024), display only.
    WebMercator,
}

/// Axis order that the EPSG definition declares (informative: Terminus holds
/// coordinates as (x = east, y = north) in memory).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AxisOrder {
    /// Latitude, longitude (EPSG geographic CRSs such as 4326 and 4284).
    LatLon,
    /// Easting, northing (UTM, Web Mercator).
    EastNorth,
    /// Northing (X), easting (Y): Soviet Gauss–Krüger grids.
    NorthEast,
}

/// Errors from naming or parsing a CRS.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CrsError {
    /// An EPSG code that is not in Terminus' registry.
    #[error("EPSG:{0} is not a CRS Terminus knows (known: EPSG:4326, 4284, 3857, 32601–32660, 32701–32760, 28404–28432, 2492–2522, 2523–2549); give its WKT or PROJ string instead")]
    UnknownEpsg(u32),
    /// Text that is neither an EPSG reference, a WKT nor a PROJ string.
    #[error("cannot understand CRS {0:?}: expected e.g. EPSG:4326, urn:ogc:def:crs:EPSG::32638, a WKT definition or a +proj= string")]
    Unrecognised(String),
}

impl Crs {
    /// WGS 84 geographic, EPSG:4326: the CRS of GeoJSON, KML and GPX.
    pub const WGS84: Crs = Crs::Epsg(4326);

    /// Parse any common way of naming a CRS: `EPSG:4326`, `4326`,
    /// `urn:ogc:def:crs:EPSG::4326`, `urn:ogc:def:crs:OGC:1.3:CRS84`,
    /// `http://www.opengis.net/def/crs/EPSG/0/4326`, WKT 1 or 2 (OGC or ESRI
    /// flavour), or a PROJ string. A WKT or PROJ text that names a CRS in the
    /// registry becomes [`Crs::Epsg`]; any other is kept verbatim.
    ///
    /// ```
    /// use terminus_geodesy::Crs;
    /// assert_eq!(Crs::parse("urn:ogc:def:crs:EPSG::32638").unwrap(), Crs::Epsg(32638));
    /// assert_eq!(Crs::parse("OGC:CRS84").unwrap(), Crs::WGS84);
    /// assert!(Crs::parse("EPSG:999999").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Crs, CrsError> {
        parse::parse_crs(text)
    }

    /// The EPSG code, when this is a registry CRS.
    pub fn epsg(&self) -> Option<u32> {
        match self {
            Crs::Epsg(c) => Some(*c),
            Crs::Custom(_) => None,
        }
    }

    /// The registry definition, when Terminus knows this CRS.
    pub fn definition(&self) -> Option<registry::CrsDefinition> {
        self.epsg().and_then(registry::lookup)
    }

    /// Human name, e.g. "WGS 84 / UTM zone 38N"; for a custom CRS its WKT name
    /// or the start of its text.
    pub fn name(&self) -> String {
        match self {
            Crs::Epsg(c) => registry::lookup(*c)
                .map(|d| d.name)
                .unwrap_or_else(|| format!("EPSG:{c}")),
            Crs::Custom(text) => parse::wkt_name(text).unwrap_or_else(|| {
                let t: String = text.chars().take(60).collect();
                t
            }),
        }
    }

    /// True for a geographic (longitude/latitude) CRS of the registry.
    pub fn is_geographic(&self) -> bool {
        matches!(self.definition().map(|d| d.kind), Some(CrsKind::Geographic))
    }

    /// The ellipsoid, when known.
    pub fn ellipsoid(&self) -> Option<Ellipsoid> {
        self.definition().map(|d| d.ellipsoid)
    }

    /// OGC WKT 1 (with EPSG AUTHORITY nodes, the form GDAL and the
    /// GeoPackage `gpkg_spatial_ref_sys` table use); a custom CRS returns its
    /// own text.
    pub fn to_wkt(&self) -> String {
        match self {
            Crs::Epsg(c) => registry::lookup(*c)
                .map(|d| wkt::ogc_wkt1(&d))
                .unwrap_or_default(),
            Crs::Custom(text) => text.clone(),
        }
    }

    /// Short identifier, `EPSG:4326`, or the custom CRS' name.
    pub fn id(&self) -> String {
        match self {
            Crs::Epsg(c) => format!("EPSG:{c}"),
            Crs::Custom(_) => self.name(),
        }
    }
}

impl fmt::Display for Crs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Crs::Epsg(c) => write!(f, "EPSG:{c} ({})", self.name()),
            Crs::Custom(_) => write!(f, "{} (not in the EPSG registry of Terminus)", self.name()),
        }
    }
}

impl From<Crs> for String {
    fn from(c: Crs) -> String {
        match c {
            Crs::Epsg(code) => format!("EPSG:{code}"),
            Crs::Custom(text) => text,
        }
    }
}

impl TryFrom<String> for Crs {
    type Error = CrsError;
    fn try_from(s: String) -> Result<Crs, CrsError> {
        Crs::parse(&s)
    }
}
