//! The local plane that the line engines share: a gnomonic frame around
//! the data (geodesics are straight lines in it, so crossings and
//! containment are decided on the plane and measured on the ellipsoid),
//! a packed segment tree, a segment index that answers nearest-segment
//! queries with exact geodesic distances, arc-length chains, and point in
//! ring.
//!
//! Used by `terminus-compare` (discrepancies), `terminus-delimitation`
//! (equidistance) and `terminus-terrain` (corridors, divides). It knows
//! nothing of claims, parties or DEMs.

pub mod chain;
pub mod clip;
pub mod frame;
pub mod index;
pub mod packed;
pub mod ring;

/// (latitude, longitude), degrees.
pub type LatLon = (f64, f64);

/// Why a local frame cannot be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlaneError {
    /// Nothing to place.
    #[error("{0}")]
    Empty(&'static str),
    /// The data spans more than a local frame can hold.
    #[error("the compared data spans too far ({lat_span:.1}° of latitude, {lon_span:.1}° of longitude; at most 60° each)")]
    TooLarge {
        /// Latitude span, degrees.
        lat_span: f64,
        /// Longitude span, degrees.
        lon_span: f64,
    },
}
