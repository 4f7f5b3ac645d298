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
