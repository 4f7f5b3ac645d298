//! Popular Visualisation Pseudo-Mercator (EPSG method 1024, EPSG:3857):
//! spherical Mercator formulas applied to ellipsoidal coordinates, with the
//! sphere's radius the WGS 84 semi-major axis. For display only: it is not
//! conformal on the ellipsoid, and its distances and areas are wrong by up to
//! 0.7 % even at the equator, growing with latitude. Terminus never measures in it.

use crate::{EastNorth, LatLon};

const A: f64 = 6_378_137.0;

/// Latitude, longitude (degrees) → x, y (metres).
///
/// ```
/// use terminus_geodesy::projection::web_mercator::{forward, inverse};
/// use terminus_geodesy::LatLon;
/// let g = forward(LatLon::new(40.0, 45.0));
/// let p = inverse(g);
/// assert!((p.lat - 40.0).abs() < 1e-12 && (p.lon - 45.0).abs() < 1e-12);
/// ```
pub fn forward(p: LatLon) -> EastNorth {
    let phi = p.lat.to_radians();
    EastNorth::new(
        A * p.lon.to_radians(),
        A * (std::f64::consts::FRAC_PI_4 + phi / 2.0).tan().ln(),
    )
}

/// x, y (metres) → latitude, longitude (degrees).
pub fn inverse(g: EastNorth) -> LatLon {
    LatLon::new(
        (2.0 * (g.northing / A).exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees(),
        (g.easting / A).to_degrees(),
    )
}
