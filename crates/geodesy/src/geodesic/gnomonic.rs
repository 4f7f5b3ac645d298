//! The ellipsoidal gnomonic projection (Karney 2013, §8).

use super::GeodesicError;
use crate::measure::{DirectGeodesic, InverseGeodesic};
use crate::{Ellipsoid, Geodesic};

/// The gnomonic projection of an ellipsoid about a centre point.
///
/// ```
/// use terminus_geodesy::{geodesic::Gnomonic, Ellipsoid};
/// let g = Gnomonic::new(Ellipsoid::WGS84);
/// let (x, y) = g.forward(40.0, 45.0, 40.5, 45.7).unwrap();
/// let (lat, lon) = g.reverse(40.0, 45.0, x, y).unwrap();
/// assert!((lat - 40.5).abs() < 1e-12 && (lon - 45.7).abs() < 1e-12);
/// ```
#[derive(Debug, Clone)]
pub struct Gnomonic {
    geod: Geodesic,
    a: f64,
}

impl Gnomonic {
    /// On `ellipsoid`.
    pub fn new(ellipsoid: Ellipsoid) -> Gnomonic {
        Gnomonic {
            geod: ellipsoid.geodesic(),
            a: ellipsoid.a,
        }
    }

    /// The solver.
    pub fn geodesic(&self) -> &Geodesic {
        &self.geod
    }

    /// (lat, lon) → (x, y) metres, for the projection centred at (lat0, lon0).
    pub fn forward(
        &self,
        lat0: f64,
        lon0: f64,
        lat: f64,
        lon: f64,
    ) -> Result<(f64, f64), GeodesicError> {
        let (_s12, azi0, _azi2, m12, m12_scale, _m21, _s, _a12): (
            f64,
            f64,
            f64,
            f64,
            f64,
            f64,
            f64,
            f64,
        ) = self.geod.inverse(lat0, lon0, lat, lon);
        if m12_scale <= 0.0 {
            return Err(GeodesicError::BeyondHorizon);
        }
        let rho = m12 / m12_scale;
        let (s, c) = azi0.to_radians().sin_cos();
        Ok((rho * s, rho * c))
    }

    /// (x, y) metres → (lat, lon), by Newton's method on s12 with
    /// d(m12/M12)/ds12 = 1/M12² (Karney 2013, eq. 91).
    pub fn reverse(
        &self,
        lat0: f64,
        lon0: f64,
        x: f64,
        y: f64,
    ) -> Result<(f64, f64), GeodesicError> {
        let azi0 = x.atan2(y).to_degrees();
        let mut rho = x.hypot(y);
        let mut s = self.a * (rho / self.a).atan();
        let little = rho <= self.a;
        if !little {
            rho = 1.0 / rho;
        }
        let eps = 0.01 * f64::EPSILON.sqrt();
        let mut trip = false;
        for _ in 0..20 {
            let (lat, lon, _azi, m, mm, _m21, _ss, _a12): (f64, f64, f64, f64, f64, f64, f64, f64) =
                self.geod.direct(lat0, lon0, azi0, s);
            if trip {
                return Ok((lat, lon));
            }
            let ds = if little {
                (m - rho * mm) * mm
            } else {
                (rho * m - mm) * m
            };
            s -= ds;
            if ds.is_nan() {
                return Err(GeodesicError::NoConvergence);
            }
            if ds.abs() < eps * self.a {
                trip = true;
            }
        }
        Err(GeodesicError::NoConvergence)
    }
}
