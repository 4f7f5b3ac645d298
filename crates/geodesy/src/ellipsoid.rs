//! Reference ellipsoids.
//!
//! Parameters are the EPSG dataset's defining values (semi-major axis `a` in
//! metres and inverse flattening `1/f`).

use serde::{Deserialize, Serialize};

/// A reference ellipsoid of revolution, defined by its semi-major axis and
/// inverse flattening.
///
/// ```
/// use terminus_geodesy::Ellipsoid;
/// let k = Ellipsoid::KRASSOWSKY_1940;
/// assert_eq!(k.a, 6_378_245.0);
/// assert!((k.b() - 6_356_863.018_773).abs() < 1e-6);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Ellipsoid {
    /// Name as the EPSG dataset spells it.
    pub name: &'static str,
    /// EPSG code of the ellipsoid, where it has one.
    pub epsg: Option<u32>,
    /// Semi-major axis, metres.
    pub a: f64,
    /// Inverse flattening 1/f (0 would be a sphere; not used here).
    pub inv_f: f64,
}

impl Ellipsoid {
    /// WGS 84 (EPSG:7030): a = 6378137 m, 1/f = 298.257223563.
    pub const WGS84: Ellipsoid = Ellipsoid {
        name: "WGS 84",
        epsg: Some(7030),
        a: 6_378_137.0,
        inv_f: 298.257_223_563,
    };
    /// GRS 1980 (EPSG:7019): a = 6378137 m, 1/f = 298.257222101.
    pub const GRS80: Ellipsoid = Ellipsoid {
        name: "GRS 1980",
        epsg: Some(7019),
        a: 6_378_137.0,
        inv_f: 298.257_222_101,
    };
    /// Krassowsky 1940 (EPSG:7024), the ellipsoid of Pulkovo 1942 (SK-42):
    /// a = 6378245 m, 1/f = 298.3.
    pub const KRASSOWSKY_1940: Ellipsoid = Ellipsoid {
        name: "Krassowsky 1940",
        epsg: Some(7024),
        a: 6_378_245.0,
        inv_f: 298.3,
    };

    /// Any ellipsoid from a and 1/f.
    pub const fn new(name: &'static str, a: f64, inv_f: f64) -> Ellipsoid {
        Ellipsoid {
            name,
            epsg: None,
            a,
            inv_f,
        }
    }

    /// Flattening f.
    pub fn f(&self) -> f64 {
        1.0 / self.inv_f
    }

    /// First eccentricity squared, e² = f (2 − f).
    pub fn e2(&self) -> f64 {
        let f = self.f();
        f * (2.0 - f)
    }

    /// Semi-minor axis b = a (1 − f), metres.
    pub fn b(&self) -> f64 {
        self.a * (1.0 - self.f())
    }

    /// The `geographiclib-rs` solver for this ellipsoid.
    pub fn geodesic(&self) -> geographiclib_rs::Geodesic {
        geographiclib_rs::Geodesic::new(self.a, self.f())
    }
}
