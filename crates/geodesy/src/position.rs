//! Typed positions: a geographic position is a [`LatLon`] (named fields,
//! latitude first as geodesists write it), so a longitude passed where a
//! latitude is expected does not compile. A tuple never converts into one
//! silently: build it with [`LatLon::new`] where the order is known.
//!
//! Which datum a position is on is the caller's to know and carry (a
//! `Crs` beside it); the routines that take one say which ellipsoid they
//! assume.

use serde::{Deserialize, Serialize};

/// A geographic position, degrees.
///
/// ```
/// use terminus_geodesy::LatLon;
/// let yerevan = LatLon::new(40.1811, 44.5136);
/// assert_eq!((yerevan.lat, yerevan.lon), (40.1811, 44.5136));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LatLon {
    /// Latitude, degrees north (−90…90).
    pub lat: f64,
    /// Longitude, degrees east.
    pub lon: f64,
}

impl LatLon {
    /// A position from its latitude and longitude, in that order.
    pub const fn new(lat: f64, lon: f64) -> LatLon {
        LatLon { lat, lon }
    }

    /// From an engine's `(latitude, longitude)` pair: named for the order it
    /// assumes, so the call says which order it has (no `From` tuple).
    pub const fn from_pair(p: (f64, f64)) -> LatLon {
        LatLon { lat: p.0, lon: p.1 }
    }

    /// As the (latitude, longitude) tuple the engines' arrays hold.
    pub const fn tuple(self) -> (f64, f64) {
        (self.lat, self.lon)
    }

    /// Whether the latitude is within ±90° and both are finite.
    pub fn is_valid(self) -> bool {
        self.lat.is_finite() && self.lon.is_finite() && self.lat.abs() <= 90.0
    }
}

impl std::fmt::Display for LatLon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.6}°N {:.6}°E", self.lat, self.lon)
    }
}

/// A projected (grid) coordinate, metres: easting and northing with the
/// projection's false origin included. A Gauss–Krüger "X" is the northing
/// and its "Y" the easting (with the zone number as its prefix): the
/// names here are the unambiguous ones, so a GK table read as (X, Y) must
/// say which it put where.
///
/// ```
/// use terminus_geodesy::EastNorth;
/// // GK zone 8 (EPSG:28408): the zone number leads the easting.
/// let tp = EastNorth::new(8_542_635.386, 4_440_830.949);
/// assert_eq!(tp.zone_prefix(), Some(8));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EastNorth {
    /// Easting, metres.
    pub easting: f64,
    /// Northing, metres.
    pub northing: f64,
}

impl EastNorth {
    /// A grid coordinate from its easting and northing, in that order.
    pub const fn new(easting: f64, northing: f64) -> EastNorth {
        EastNorth { easting, northing }
    }

    /// The Gauss–Krüger zone number that leads a prefixed easting (the
    /// millions: 8 for 8 542 635 m), if the easting carries one.
    pub fn zone_prefix(self) -> Option<u32> {
        let z = (self.easting / 1_000_000.0).floor();
        (self.easting.is_finite() && (1.0..=60.0).contains(&z)).then_some(z as u32)
    }
}

/// A coordinate in a CRS's own axes, whichever kind the CRS is: `x` is
/// east (longitude in degrees for a geographic CRS, easting in metres for
/// a projected one) and `y` is north, whatever axis order the CRS's EPSG
/// definition gives (that matters only in files). It is what a
/// [`CrsTransform`](crate::crs::CrsTransform) takes and gives, since one
/// transformation may go from a grid to degrees or back; the conversions
/// to [`LatLon`] and [`EastNorth`] are named, never implicit.
///
/// ```
/// use terminus_geodesy::{LatLon, Xy};
/// let p = Xy::from_latlon(LatLon::new(40.18, 44.51));
/// assert_eq!((p.x, p.y), (44.51, 40.18));
/// assert_eq!(p.latlon(), LatLon::new(40.18, 44.51));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Xy {
    /// East: longitude (degrees) or easting (metres).
    pub x: f64,
    /// North: latitude (degrees) or northing (metres).
    pub y: f64,
}

impl Xy {
    /// From its east and north values, in that order.
    pub const fn new(x: f64, y: f64) -> Xy {
        Xy { x, y }
    }
    /// A geographic position as x = longitude, y = latitude.
    pub const fn from_latlon(p: LatLon) -> Xy {
        Xy { x: p.lon, y: p.lat }
    }
    /// A grid coordinate as x = easting, y = northing.
    pub const fn from_grid(p: EastNorth) -> Xy {
        Xy {
            x: p.easting,
            y: p.northing,
        }
    }
    /// Read as a geographic position (the CRS is geographic).
    pub const fn latlon(self) -> LatLon {
        LatLon {
            lat: self.y,
            lon: self.x,
        }
    }
    /// Read as a grid coordinate (the CRS is projected).
    pub const fn grid(self) -> EastNorth {
        EastNorth {
            easting: self.x,
            northing: self.y,
        }
    }
}
