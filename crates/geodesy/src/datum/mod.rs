//! Datums and datum transformations: geographic ↔ geocentric, and the
//! Helmert transformations of the EPSG dataset (methods 9603 geocentric
//! translations, 9606 position vector, 9607 coordinate frame), with every
//! EPSG Pulkovo 1942 → WGS 84 transformation and its accuracy and area of use.
//!
//! Method: EPSG Guidance Note 7-2 (IOGP Publication 373-7-2), §4.4.1 (geographic
//! ↔ geocentric) and §4.4.3 (Helmert), in the linearised small-angle form the
//! EPSG formulas and PROJ's `helmert` use. Position vector and coordinate
//! frame differ only in the sign of the rotations: EPSG gives each
//! transformation with its convention, and using the other one is the classic
//! SK-42 error (tens of metres for EPSG:1808).
//!
//! As in EPSG's "geog2D domain" and PROJ, the source height is taken as 0 on
//! the source ellipsoid and the target height is discarded.

mod pulkovo_to_wgs84;

use crate::{Ellipsoid, LatLon};

/// Helmert convention, by EPSG method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelmertMethod {
    /// EPSG:9603, translations only.
    GeocentricTranslation,
    /// EPSG:9606, rotations of the position vector.
    PositionVector,
    /// EPSG:9607, rotations of the coordinate frame (opposite signs).
    CoordinateFrame,
}

impl HelmertMethod {
    /// The EPSG method code.
    pub fn epsg(self) -> u32 {
        match self {
            HelmertMethod::GeocentricTranslation => 9603,
            HelmertMethod::PositionVector => 9606,
            HelmertMethod::CoordinateFrame => 9607,
        }
    }
}

/// Helmert parameters as EPSG states them: translations in metres,
/// rotations in arc-seconds, scale difference in parts per million.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Helmert {
    /// Convention.
    pub method: HelmertMethod,
    /// X translation, m.
    pub tx: f64,
    /// Y translation, m.
    pub ty: f64,
    /// Z translation, m.
    pub tz: f64,
    /// X rotation, arc-seconds.
    pub rx: f64,
    /// Y rotation, arc-seconds.
    pub ry: f64,
    /// Z rotation, arc-seconds.
    pub rz: f64,
    /// Scale difference, ppm.
    pub ds_ppm: f64,
}

/// A geographic area of use, in degrees; `west > east` crosses the antimeridian.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AreaOfUse {
    /// EPSG extent code.
    pub code: u32,
    /// EPSG extent name.
    pub name: &'static str,
    /// Southern bound.
    pub south: f64,
    /// Northern bound.
    pub north: f64,
    /// Western bound.
    pub west: f64,
    /// Eastern bound.
    pub east: f64,
}

impl AreaOfUse {
    /// Whether the point lies in the bounding box.
    pub fn contains(&self, at: LatLon) -> bool {
        let LatLon { lat, lon } = at;
        let lon_in = if self.west <= self.east {
            lon >= self.west && lon <= self.east
        } else {
            lon >= self.west || lon <= self.east
        };
        lat >= self.south && lat <= self.north && lon_in
    }

    /// Geodesic distance in metres (WGS 84) from the point to the nearest
    /// point of the box; 0 inside.
    pub fn distance_outside_m(&self, at: LatLon) -> f64 {
        let LatLon { lat, lon } = at;
        if self.contains(at) {
            return 0.0;
        }
        let clat = lat.clamp(self.south, self.north);
        let wrap = |d: f64| ((d + 540.0) % 360.0) - 180.0;
        let (dw, de) = (wrap(lon - self.west).abs(), wrap(lon - self.east).abs());
        let lon_in = if self.west <= self.east {
            lon >= self.west && lon <= self.east
        } else {
            lon >= self.west || lon <= self.east
        };
        let clon = if lon_in {
            lon
        } else if dw < de {
            self.west
        } else {
            self.east
        };
        crate::measure::path_length(
            &Ellipsoid::WGS84,
            [crate::LatLon::new(lat, lon), crate::LatLon::new(clat, clon)],
        )
    }
}

/// A datum transformation of the EPSG dataset.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transformation {
    /// EPSG code.
    pub code: u32,
    /// EPSG name.
    pub name: &'static str,
    /// Accuracy EPSG states, metres.
    pub accuracy_m: f64,
    /// Parameters.
    pub helmert: Helmert,
    /// Where it may be used.
    pub area: AreaOfUse,
    /// Deprecated by EPSG.
    pub deprecated: bool,
    /// EPSG's remarks (derivation, stations).
    pub remarks: &'static str,
}

/// Every Pulkovo 1942 (EPSG:4284) → WGS 84 (EPSG:4326) transformation Terminus knows.
pub fn pulkovo_1942_to_wgs84() -> &'static [Transformation] {
    pulkovo_to_wgs84::PULKOVO_1942_TO_WGS84
}

/// A transformation by EPSG code.
pub fn transformation(code: u32) -> Option<&'static Transformation> {
    pulkovo_1942_to_wgs84().iter().find(|t| t.code == code)
}

/// The transformations valid at a point, most accurate first (deprecated
/// ones excluded), as EPSG's (and PROJ's) default choice ranks them.
///
/// ```
/// use terminus_geodesy::{datum::valid_at, LatLon};
/// // At 40.1°N 45.5°E (Armenia–Azerbaijan) the default is EPSG:15865 (4.5 m).
/// assert_eq!(valid_at(LatLon::new(40.1, 45.5))[0].code, 15865);
/// ```
pub fn valid_at(at: crate::LatLon) -> Vec<&'static Transformation> {
    let mut v: Vec<&Transformation> = pulkovo_1942_to_wgs84()
        .iter()
        .filter(|t| !t.deprecated && t.area.contains(at))
        .collect();
    v.sort_by(|a, b| {
        a.accuracy_m
            .total_cmp(&b.accuracy_m)
            .then(a.code.cmp(&b.code))
    });
    v
}

/// Geographic (degrees, metres) → geocentric X, Y, Z (metres).
pub fn geodetic_to_geocentric(e: &Ellipsoid, lat: f64, lon: f64, h: f64) -> [f64; 3] {
    let e2 = e.f() * (2.0 - e.f());
    let (sp, cp) = lat.to_radians().sin_cos();
    let (sl, cl) = lon.to_radians().sin_cos();
    let n = e.a / (1.0 - e2 * sp * sp).sqrt();
    [
        (n + h) * cp * cl,
        (n + h) * cp * sl,
        (n * (1.0 - e2) + h) * sp,
    ]
}

/// Geocentric → geographic (degrees, metres), by Bowring's formula refined
/// with Newton steps on the latitude until it changes by under 1e-15 rad
/// (sub-nanometre for terrestrial points).
pub fn geocentric_to_geodetic(e: &Ellipsoid, xyz: [f64; 3]) -> (LatLon, f64) {
    let [x, y, z] = xyz;
    let a = e.a;
    let f = e.f();
    let e2 = f * (2.0 - f);
    let b = a * (1.0 - f);
    let ep2 = e2 / (1.0 - e2);
    let p = x.hypot(y);
    let lon = y.atan2(x);
    if p == 0.0 {
        let lat = if z >= 0.0 { 90.0 } else { -90.0 };
        return (LatLon::new(lat, lon.to_degrees()), z.abs() - b);
    }
    // Bowring (1976) starting value.
    let theta = (z * a).atan2(p * b);
    let (st, ct) = theta.sin_cos();
    let mut phi = (z + ep2 * b * st * st * st).atan2(p - e2 * a * ct * ct * ct);
    for _ in 0..5 {
        let sp = phi.sin();
        let n = a / (1.0 - e2 * sp * sp).sqrt();
        let next = (z + e2 * n * sp).atan2(p);
        let done = (next - phi).abs() < 1e-15;
        phi = next;
        if done {
            break;
        }
    }
    let (sp, cp) = phi.sin_cos();
    let n = a / (1.0 - e2 * sp * sp).sqrt();
    let h = if cp.abs() > 1e-10 {
        p / cp - n
    } else {
        z.abs() / sp.abs() - n * (1.0 - e2)
    };
    (LatLon::new(phi.to_degrees(), lon.to_degrees()), h)
}

impl Helmert {
    fn matrix(&self) -> [[f64; 3]; 3] {
        let k = std::f64::consts::PI / (180.0 * 3600.0);
        let (mut rx, mut ry, mut rz) = (self.rx * k, self.ry * k, self.rz * k);
        if self.method == HelmertMethod::CoordinateFrame {
            rx = -rx;
            ry = -ry;
            rz = -rz;
        }
        // Position-vector rotation, linearised (EPSG GN 7-2 §4.4.3.1).
        [[1.0, -rz, ry], [rz, 1.0, -rx], [-ry, rx, 1.0]]
    }

    /// Apply to geocentric coordinates: X' = T + (1 + ds) R X.
    pub fn forward(&self, v: [f64; 3]) -> [f64; 3] {
        let r = self.matrix();
        let s = 1.0 + self.ds_ppm * 1e-6;
        let t = [self.tx, self.ty, self.tz];
        let mut out = [0.0; 3];
        for i in 0..3 {
            out[i] = t[i] + s * (r[i][0] * v[0] + r[i][1] * v[1] + r[i][2] * v[2]);
        }
        out
    }

    /// The reverse, as PROJ's `helmert` computes it: X = Rᵀ (X' − T) / (1 + ds).
    pub fn reverse(&self, v: [f64; 3]) -> [f64; 3] {
        let r = self.matrix();
        let s = 1.0 + self.ds_ppm * 1e-6;
        let d = [
            (v[0] - self.tx) / s,
            (v[1] - self.ty) / s,
            (v[2] - self.tz) / s,
        ];
        let mut out = [0.0; 3];
        for i in 0..3 {
            out[i] = r[0][i] * d[0] + r[1][i] * d[1] + r[2][i] * d[2];
        }
        out
    }
}

impl Transformation {
    /// Pulkovo 1942 latitude, longitude → WGS 84 latitude, longitude (degrees).
    pub fn forward(&self, p: LatLon) -> LatLon {
        let v = geodetic_to_geocentric(&Ellipsoid::KRASSOWSKY_1940, p.lat, p.lon, 0.0);
        geocentric_to_geodetic(&Ellipsoid::WGS84, self.helmert.forward(v)).0
    }

    /// WGS 84 latitude, longitude → Pulkovo 1942 latitude, longitude
    /// (degrees): the exact inverse of [`Transformation::forward`].
    ///
    /// Both directions work on the ellipsoid's surface (height 0), as
    /// PROJ's 2D pipelines do, so the plain reversed Helmert (EPSG GN 7-2
    /// §4.4.3.1, what PROJ computes) is not quite the inverse: the height
    /// the forward step gives up is not zero on the other ellipsoid, and a
    /// point sent to WGS 84 and back moves by millimetres (5.7 mm at
    /// 40.1°N 45.5°E through EPSG:1808). A commission's turning point must
    /// come back as it was given, so the reversed Helmert is only the first
    /// guess: fixed-point steps on the forward map (whose Jacobian is the
    /// identity to 1e-5) bring the round trip under 1e-11° (a micrometre);
    /// the answer differs from PROJ's reverse by those millimetres.
    pub fn reverse(&self, p: LatLon) -> LatLon {
        let LatLon { lat, lon } = p;
        let v = geodetic_to_geocentric(&Ellipsoid::WGS84, lat, lon, 0.0);
        let LatLon {
            lat: mut la,
            lon: mut lo,
        } = geocentric_to_geodetic(&Ellipsoid::KRASSOWSKY_1940, self.helmert.reverse(v)).0;
        for _ in 0..4 {
            let LatLon { lat: fla, lon: flo } = self.forward(LatLon::new(la, lo));
            let (dla, mut dlo) = (fla - lat, flo - lon);
            if dlo > 180.0 {
                dlo -= 360.0;
            } else if dlo < -180.0 {
                dlo += 360.0;
            }
            la -= dla;
            lo -= dlo;
            if dla.abs() < 1e-13 && dlo.abs() < 1e-13 {
                break;
            }
        }
        LatLon::new(la, lo)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geocentric_round_trip() {
        for &(lat, lon, h) in &[
            (40.1, 45.5, 0.0),
            (-89.9, 10.0, 1000.0),
            (0.0, -179.0, -50.0),
            (89.999999, 0.0, 3.0),
        ] {
            let v = geodetic_to_geocentric(&Ellipsoid::WGS84, lat, lon, h);
            let (LatLon { lat: la, lon: lo }, hh) = geocentric_to_geodetic(&Ellipsoid::WGS84, v);
            assert!(
                (la - lat).abs() < 1e-12 && (lo - lon).abs() < 1e-12 && (hh - h).abs() < 1e-8,
                "{lat} {lon} {h}: {la} {lo} {hh}"
            );
        }
    }

    #[test]
    fn the_two_caucasus_choices_differ_by_metres() {
        // DOMAIN.md: at 40.1°N 45.5°E, EPSG:15865 and EPSG:1808 differ by 5.3 m.
        let at = LatLon::new(40.1, 45.5);
        let a = transformation(15865).unwrap().forward(at);
        let b = transformation(1808).unwrap().forward(at);
        let d = crate::measure::path_length(&Ellipsoid::WGS84, [a, b]);
        assert!((d - 5.3).abs() < 0.1, "{d}");
    }

    #[test]
    fn wrong_rotation_convention_is_tens_of_metres_off() {
        let right = transformation(1808).unwrap();
        let mut wrong = *right;
        wrong.helmert.method = HelmertMethod::CoordinateFrame;
        let a = right.forward(LatLon::new(40.1, 45.5));
        let b = wrong.forward(LatLon::new(40.1, 45.5));
        let d = crate::measure::path_length(&Ellipsoid::WGS84, [a, b]);
        assert!(d > 10.0, "{d}");
    }

    #[test]
    fn antimeridian_areas() {
        let fsu = transformation(15865).unwrap().area;
        assert!(
            fsu.contains(LatLon::new(60.0, 170.0))
                && fsu.contains(LatLon::new(65.0, -170.0))
                && !fsu.contains(LatLon::new(60.0, 0.0))
        );
        assert!(fsu.distance_outside_m(LatLon::new(30.0, 45.0)) > 500_000.0);
    }
}
