//! A polyline measured by its planar arc length, for sampling at a fixed
//! spacing whatever its vertex density (a line digitised every metre and
//! one digitised every kilometre are sampled alike).

use crate::frame::Xy;
use crate::LatLon;

/// A polyline with cumulative planar lengths.
#[derive(Debug, Clone)]
pub struct Chain {
    /// Vertices in the frame.
    pub xy: Vec<Xy>,
    /// Vertices on the ellipsoid.
    pub ll: Vec<LatLon>,
    /// Planar arc length at each vertex.
    pub cum: Vec<f64>,
}

impl Chain {
    /// A chain through the given vertices.
    pub fn new(xy: Vec<Xy>, ll: Vec<LatLon>) -> Chain {
        let mut cum = Vec::with_capacity(xy.len());
        let mut s = 0.0;
        for i in 0..xy.len() {
            if i > 0 {
                // Plane metres: no overflow to guard against, and sqrt is
                // several times cheaper than hypot over a million steps.
                let (dx, dy) = (xy[i][0] - xy[i - 1][0], xy[i][1] - xy[i - 1][1]);
                s += (dx * dx + dy * dy).sqrt();
            }
            cum.push(s);
        }
        Chain { xy, ll, cum }
    }

    /// Its planar length.
    pub fn length(&self) -> f64 {
        self.cum.last().copied().unwrap_or(0.0)
    }

    /// The point at arc length `s` (clamped to the chain).
    pub fn at(&self, s: f64) -> Xy {
        let s = s.clamp(0.0, self.length());
        let i = self.cum.partition_point(|&c| c < s);
        if i == 0 {
            return self.xy[0];
        }
        let (a, b) = (self.xy[i - 1], self.xy[i]);
        let span = self.cum[i] - self.cum[i - 1];
        let t = if span > 0.0 {
            (s - self.cum[i - 1]) / span
        } else {
            0.0
        };
        [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]
    }

    /// Arc lengths of samples at most `step` apart, both ends included.
    pub fn samples(&self, step: f64) -> Vec<f64> {
        let len = self.length();
        let n = ((len / step).ceil() as usize).max(1);
        (0..=n).map(|k| len * k as f64 / n as f64).collect()
    }
}
