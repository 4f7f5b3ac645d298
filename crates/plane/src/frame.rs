//! The local plane in which topology is decided.
//!
//! A gnomonic projection of the Gauss conformal sphere (the sphere of
//! radius √(ρ₀ν₀) osculating the ellipsoid at the centre's latitude, as in
//! EPSG's oblique stereographic, method 9809, Guidance Note 7-2 §3.3.1).
//! The conformal map's scale differs from 1 by ~e²·Δφ³ (under 4e-5 ten
//! degrees from the centre), so ellipsoidal geodesics become curves on the
//! sphere that depart from great circles by a geodesic curvature of that
//! order; the gnomonic projection draws great circles straight. A geodesic
//! segment of 10 km within 500 km of the centre thus departs from its
//! straight chord by about 0.1 mm. Crossing, touching and containment are
//! decided here with exact predicates, while every length, area, width and
//! crossing position Terminus reports is computed on the ellipsoid from
//! the original coordinates.
//!
//! Cost: a few trigonometric calls per point (the ellipsoidal gnomonic
//! needs a geodesic inverse problem per point, ~20 times dearer).

use crate::PlaneError;
use rayon::prelude::*;
use terminus_geodesy::geodesic::Gnomonic;
use terminus_geodesy::Ellipsoid;

/// A planar point, metres in the frame.
pub type Xy = [f64; 2];

/// The frame centred at (lat0, lon0).
#[derive(Debug, Clone)]
pub struct Frame {
    gnomonic: Gnomonic,
    e: f64,
    lon0: f64,
    /// Gauss sphere: radius, exponent n, constant c, centre's conformal latitude.
    radius: f64,
    n: f64,
    c: f64,
    sin_chi0: f64,
    cos_chi0: f64,
}

impl Frame {
    /// A frame centred on the middle of the bounding box of `points`
    /// (lat, lon), longitudes unwrapped around the first point.
    pub fn around<'a>(
        ellipsoid: Ellipsoid,
        points: impl IntoIterator<Item = &'a (f64, f64)>,
    ) -> Result<Frame, PlaneError> {
        let mut it = points.into_iter();
        let first = *it
            .next()
            .ok_or(PlaneError::Empty("no coordinates to compare"))?;
        let (mut s, mut n, mut w, mut e) = (first.0, first.0, first.1, first.1);
        for &(lat, lon) in it {
            let lon = first.1 + ang_diff(first.1, lon);
            s = s.min(lat);
            n = n.max(lat);
            w = w.min(lon);
            e = e.max(lon);
        }
        if n - s > 40.0 || e - w > 40.0 {
            return Err(PlaneError::TooLarge {
                lat_span: n - s,
                lon_span: e - w,
            });
        }
        Ok(Frame::centred(ellipsoid, (s + n) / 2.0, (w + e) / 2.0))
    }

    /// The frame centred at (lat0, lon0).
    pub fn centred(ellipsoid: Ellipsoid, lat0: f64, lon0: f64) -> Frame {
        let e2 = ellipsoid.e2();
        let e = e2.sqrt();
        let (sp, cp) = lat0.to_radians().sin_cos();
        let w = 1.0 - e2 * sp * sp;
        let rho = ellipsoid.a * (1.0 - e2) / (w * w.sqrt());
        let nu = ellipsoid.a / w.sqrt();
        let n = (1.0 + e2 * cp.powi(4) / (1.0 - e2)).sqrt();
        let s1 = (1.0 + sp) / (1.0 - sp);
        let s2 = (1.0 - e * sp) / (1.0 + e * sp);
        let w1 = (s1 * s2.powf(e)).powf(n);
        let sin_chi = (w1 - 1.0) / (w1 + 1.0);
        let c = (n + sp) * (1.0 - sin_chi) / ((n - sp) * (1.0 + sin_chi));
        let w2 = c * w1;
        let sin_chi0 = (w2 - 1.0) / (w2 + 1.0);
        Frame {
            gnomonic: Gnomonic::new(ellipsoid),
            e,
            lon0,
            radius: (rho * nu).sqrt(),
            n,
            c,
            sin_chi0,
            cos_chi0: (1.0 - sin_chi0 * sin_chi0).sqrt(),
        }
    }

    /// The geodesic solvers (the ellipsoidal gnomonic, and through it the
    /// direct and inverse problems).
    pub fn gnomonic(&self) -> &Gnomonic {
        &self.gnomonic
    }

    /// Radius of the Gauss sphere, metres (for the projection's scale bounds).
    pub fn radius(&self) -> f64 {
        self.radius
    }

    /// (lat, lon) → plane.
    pub fn xy(&self, p: (f64, f64)) -> Result<Xy, PlaneError> {
        let (sp, _) = p.0.to_radians().sin_cos();
        let lam = self.n * ang_diff(self.lon0, p.1).to_radians();
        let sa = (1.0 + sp) / (1.0 - sp);
        let sb = (1.0 - self.e * sp) / (1.0 + self.e * sp);
        let w = self.c * (sa * sb.powf(self.e)).powf(self.n);
        let sin_chi = if w.is_finite() {
            (w - 1.0) / (w + 1.0)
        } else {
            1.0
        };
        let cos_chi = (1.0 - sin_chi * sin_chi).max(0.0).sqrt();
        let (sl, cl) = lam.sin_cos();
        let cos_c = self.sin_chi0 * sin_chi + self.cos_chi0 * cos_chi * cl;
        // Beyond ~80° from the centre the gnomonic plane runs out.
        if cos_c <= 0.17 || !cos_c.is_finite() {
            return Err(PlaneError::TooLarge {
                lat_span: f64::NAN,
                lon_span: f64::NAN,
            });
        }
        Ok([
            self.radius * cos_chi * sl / cos_c,
            self.radius * (self.cos_chi0 * sin_chi - self.sin_chi0 * cos_chi * cl) / cos_c,
        ])
    }

    /// Many points at once, on all cores.
    pub fn xys(&self, pts: &[(f64, f64)]) -> Result<Vec<Xy>, PlaneError> {
        pts.par_iter().map(|&p| self.xy(p)).collect()
    }

    /// Plane → (lat, lon): the gnomonic and the conformal latitude inverted
    /// (the latter by EPSG's iteration for the isometric latitude, to 1e-15 rad).
    pub fn latlon(&self, p: Xy) -> (f64, f64) {
        let rho = p[0].hypot(p[1]);
        let (sin_chi, lam) = if rho == 0.0 {
            (self.sin_chi0, 0.0)
        } else {
            let cc = (rho / self.radius).atan();
            let (sc, ccos) = cc.sin_cos();
            (
                ccos * self.sin_chi0 + p[1] * sc * self.cos_chi0 / rho,
                (p[0] * sc).atan2(rho * self.cos_chi0 * ccos - p[1] * self.sin_chi0 * sc),
            )
        };
        let lon = self.lon0 + (lam / self.n).to_degrees();
        let psi = 0.5 * ((1.0 + sin_chi) / (self.c * (1.0 - sin_chi))).ln() / self.n;
        let mut phi = 2.0 * psi.exp().atan() - std::f64::consts::FRAC_PI_2;
        for _ in 0..20 {
            let s = phi.sin();
            let psi_i = ((phi / 2.0 + std::f64::consts::FRAC_PI_4).tan()
                * ((1.0 - self.e * s) / (1.0 + self.e * s)).powf(self.e / 2.0))
            .ln();
            let next = phi
                - (psi_i - psi) * phi.cos() * (1.0 - self.e * self.e * s * s)
                    / (1.0 - self.e * self.e);
            let done = (next - phi).abs() < 1e-15;
            phi = next;
            if done {
                break;
            }
        }
        (phi.to_degrees(), lon)
    }
}

/// `b − a` in degrees, reduced to (−180, 180].
pub fn ang_diff(a: f64, b: f64) -> f64 {
    let mut d = (b - a) % 360.0;
    if d > 180.0 {
        d -= 360.0;
    } else if d <= -180.0 {
        d += 360.0;
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use terminus_geodesy::measure::{DirectGeodesic, InverseGeodesic};

    /// There and back to 10 nm; and a geodesic of 10 km, 400 km from the
    /// centre, stays within 1 mm of its chord.
    #[test]
    fn round_trip_and_straightness() {
        let f = Frame::centred(Ellipsoid::WGS84, 40.0, 45.0);
        let g = Ellipsoid::WGS84.geodesic();
        for &(lat, lon) in &[(40.0, 45.0), (43.5, 41.0), (36.2, 49.7), (40.0001, 45.0002)] {
            let (la, lo) = f.latlon(f.xy((lat, lon)).unwrap());
            let d: f64 = g.inverse(lat, lon, la, lo);
            assert!(d < 1e-8, "{d} m at {lat},{lon}");
        }
        let start = (43.3, 47.6);
        for azi in [0.0, 37.0, 90.0, 135.0] {
            let (la, lo, _): (f64, f64, f64) = g.direct(start.0, start.1, azi, 10_000.0);
            let (mla, mlo, _): (f64, f64, f64) = g.direct(start.0, start.1, azi, 5_000.0);
            let (a, b, m) = (
                f.xy(start).unwrap(),
                f.xy((la, lo)).unwrap(),
                f.xy((mla, mlo)).unwrap(),
            );
            let cross = ((b[0] - a[0]) * (m[1] - a[1]) - (b[1] - a[1]) * (m[0] - a[0])).abs();
            let off = cross / (b[0] - a[0]).hypot(b[1] - a[1]);
            assert!(
                off < 1e-3,
                "midpoint {off} m off the chord at azimuth {azi}"
            );
        }
    }

    /// Planar distances bound the geodesic ones as the index assumes.
    #[test]
    fn scale_bounds() {
        let f = Frame::centred(Ellipsoid::WGS84, 40.0, 45.0);
        let g = Ellipsoid::WGS84.geodesic();
        for &(lat, lon) in &[(40.0, 45.0), (44.0, 40.0), (36.0, 50.0), (40.0, 52.0)] {
            for azi in [0.0, 45.0, 90.0, 160.0] {
                let (la, lo, _): (f64, f64, f64) = g.direct(lat, lon, azi, 1_000.0);
                let (a, b) = (f.xy((lat, lon)).unwrap(), f.xy((la, lo)).unwrap());
                let planar = (b[0] - a[0]).hypot(b[1] - a[1]);
                let t = a[0].hypot(a[1]) / f.radius();
                let floor = 1.0 / (1.0 + t * t);
                assert!(
                    planar * floor * (1.0 - 2e-3) <= 1_000.0 && 1_000.0 <= planar * (1.0 + 2e-3),
                    "{planar} at {lat},{lon} azi {azi}"
                );
            }
        }
    }
}
