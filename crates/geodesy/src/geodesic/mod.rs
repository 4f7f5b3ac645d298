//! Geodesic constructions beyond the direct and inverse problems that
//! `geographiclib-rs` solves: the intersection of two geodesics (Karney
//! 2023, see [`intersect`]); the ellipsoidal gnomonic projection, and with
//! it the nearest point of a geodesic segment or polyline to a point;
//! densification; clipping to a latitude/longitude box.
//!
//! Method of the nearest point: the gnomonic iterations of C. F. F. Karney (2013), "Algorithms
//! for geodesics", J. Geodesy 87, §8: the ellipsoidal gnomonic projection
//! maps geodesics through its centre to straight lines exactly and others
//! nearly so; re-centring the projection on the planar solution converges
//! in a few steps to the solution on the ellipsoid, where, at the centre,
//! azimuths and straightness are exact. Valid while all points lie within
//! about 9,000 km of each other (the gnomonic horizon); boundary work is far
//! inside that.

pub mod clip;
pub mod densify;
pub mod gnomonic;
pub mod intersect;
pub mod nearest;
pub mod short;

pub use densify::{densify_by_spacing, densify_by_tolerance};
pub use gnomonic::Gnomonic;
pub use intersect::{closest_intersection, intersect_segments, GeodesicRay, SegmentIntersection};
pub use nearest::{nearest_on_polyline, nearest_on_segment, Nearest};

/// Why a construction failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GeodesicError {
    /// A point is beyond the gnomonic horizon of another.
    #[error("points too far apart for the gnomonic construction (beyond ~9,000 km)")]
    BeyondHorizon,
    /// The iteration did not settle.
    #[error("the iteration did not converge")]
    NoConvergence,
    /// Degenerate input (a zero-length segment where a direction is needed, an empty polyline).
    #[error("{0}")]
    Degenerate(&'static str),
    /// A latitude beyond ±90° or a non-finite number.
    #[error("invalid position ({0}, {1})")]
    InvalidPosition(f64, f64),
}

pub(crate) fn check(lat: f64, lon: f64) -> Result<(), GeodesicError> {
    if lat.is_finite() && lon.is_finite() && lat.abs() <= 90.0 {
        Ok(())
    } else {
        Err(GeodesicError::InvalidPosition(lat, lon))
    }
}
