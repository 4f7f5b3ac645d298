//! The local plane in which topology is decided.
//!
//! An ellipsoidal gnomonic projection (Karney 2013, §8) centred on the
//! compared lines: geodesics through the centre are straight, and a geodesic
//! segment of a few kilometres anywhere within ~1,000 km of it departs from
//! the straight chord by far less than a millimetre. So crossing, touching
//! and containment are decided here with exact predicates, while every
//! length, area, width and crossing position Terminus reports is computed
//! on the ellipsoid from the original coordinates.

use crate::CompareError;
use rayon::prelude::*;
use terminus_geodesy::geodesic::Gnomonic;
use terminus_geodesy::Ellipsoid;

/// A planar point, metres in the gnomonic frame.
pub type Xy = [f64; 2];

/// The gnomonic frame centred at (lat0, lon0).
#[derive(Debug, Clone)]
pub struct Frame {
    gnomonic: Gnomonic,
    lat0: f64,
    lon0: f64,
}

impl Frame {
    /// A frame centred on the middle of the bounding box of `points`
    /// (lat, lon), longitudes unwrapped around the first point.
    pub fn around<'a>(
        ellipsoid: Ellipsoid,
        points: impl IntoIterator<Item = &'a (f64, f64)>,
    ) -> Result<Frame, CompareError> {
        let mut it = points.into_iter();
        let first = *it
            .next()
            .ok_or(CompareError::Empty("no coordinates to compare"))?;
        let (mut s, mut n, mut w, mut e) = (first.0, first.0, first.1, first.1);
        for &(lat, lon) in it {
            let lon = first.1 + ang_diff(first.1, lon);
            s = s.min(lat);
            n = n.max(lat);
            w = w.min(lon);
            e = e.max(lon);
        }
        if n - s > 60.0 || e - w > 60.0 {
            return Err(CompareError::TooLarge {
                lat_span: n - s,
                lon_span: e - w,
            });
        }
        Ok(Frame {
            gnomonic: Gnomonic::new(ellipsoid),
            lat0: (s + n) / 2.0,
            lon0: (w + e) / 2.0,
        })
    }

    /// The gnomonic solver (and through it the geodesic one).
    pub fn gnomonic(&self) -> &Gnomonic {
        &self.gnomonic
    }

    /// (lat, lon) → plane.
    pub fn xy(&self, p: (f64, f64)) -> Result<Xy, CompareError> {
        let (x, y) = self
            .gnomonic
            .forward(self.lat0, self.lon0, p.0, p.1)
            .map_err(|_| CompareError::TooLarge {
                lat_span: f64::NAN,
                lon_span: f64::NAN,
            })?;
        Ok([x, y])
    }

    /// Many points at once, on all cores.
    pub fn xys(&self, pts: &[(f64, f64)]) -> Result<Vec<Xy>, CompareError> {
        pts.par_iter().map(|&p| self.xy(p)).collect()
    }

    /// Plane → (lat, lon).
    pub fn latlon(&self, p: Xy) -> (f64, f64) {
        // Inside the horizon the reverse projection always converges; a
        // failure would be a bug, so fall back to the centre visibly.
        self.gnomonic
            .reverse(self.lat0, self.lon0, p[0], p[1])
            .unwrap_or((f64::NAN, f64::NAN))
    }
}

/// `b − a` in degrees, reduced to (−180, 180].
pub(crate) fn ang_diff(a: f64, b: f64) -> f64 {
    let mut d = (b - a) % 360.0;
    if d > 180.0 {
        d -= 360.0;
    } else if d <= -180.0 {
        d += 360.0;
    }
    d
}
