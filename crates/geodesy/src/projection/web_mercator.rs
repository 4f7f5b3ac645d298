//! Popular Visualisation Pseudo-Mercator (EPSG method 1024, EPSG:3857):
//! spherical Mercator formulas applied to ellipsoidal coordinates, with the
//! sphere's radius the WGS 84 semi-major axis. For display only: it is not
//! conformal on the ellipsoid, and its distances and areas are wrong by up to
//! 0.7 % even at the equator, growing with latitude. Terminus never measures in it.

const A: f64 = 6_378_137.0;

/// Latitude, longitude (degrees) → x, y (metres).
///
/// ```
/// use terminus_geodesy::projection::web_mercator::{forward, inverse};
/// let (x, y) = forward(40.0, 45.0);
/// let (lat, lon) = inverse(x, y);
/// assert!((lat - 40.0).abs() < 1e-12 && (lon - 45.0).abs() < 1e-12);
/// ```
pub fn forward(lat: f64, lon: f64) -> (f64, f64) {
    let phi = lat.to_radians();
    (
        A * lon.to_radians(),
        A * (std::f64::consts::FRAC_PI_4 + phi / 2.0).tan().ln(),
    )
}

/// x, y (metres) → latitude, longitude (degrees).
pub fn inverse(x: f64, y: f64) -> (f64, f64) {
    (
        (2.0 * (y / A).exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees(),
        (x / A).to_degrees(),
    )
}
