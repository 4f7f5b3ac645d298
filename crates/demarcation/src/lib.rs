//! The demarcation engine: from an agreed line to pillars on the ground.
//!
//! * [`sampler`]: heights and slopes of a DEM at any (lat, lon), bilinear
//!   between cell centres, whatever the DEM's CRS.
//! * [`los`]: line of sight between two points with earth curvature on the
//!   ellipsoid and refraction — symmetric by construction.
//! * [`viewshed`]: every cell a point sees, by GDAL's approximation or by an
//!   exact sweep.
//! * [`plan`]: pillars along a line — main pillars at turning points,
//!   pillars at crossings and on river banks, intermediates so that each sees
//!   the next.
//! * [`catalogue`]: the pillar catalogue (geographic, UTM and Pulkovo 1942
//!   Gauss–Krüger coordinates, heights, azimuths and distances, sheets).
//! * [`survey`]: surveyed pillars against the plan and the line.
//!
//! Architecture invariant: takes coordinates and DEMs, not files; the CLI
//! reads and writes.

pub mod catalogue;
pub mod los;
pub mod plan;
pub mod sampler;
pub mod survey;
pub mod viewshed;

pub use los::{line_of_sight, Sight, SightSettings};
pub use sampler::DemSampler;

/// Why a demarcation computation could not be done.
#[derive(Debug, thiserror::Error)]
pub enum DemarcationError {
    /// A point lies outside the DEM.
    #[error("{what} at {lat:.6}°N {lon:.6}°E lies outside the DEM")]
    OutsideDem {
        /// Which point ("the observer", "the line at 12,345 m").
        what: String,
        /// Latitude, degrees.
        lat: f64,
        /// Longitude, degrees.
        lon: f64,
    },
    /// A point falls on a void (nodata) of the DEM.
    #[error("{what} at {lat:.6}°N {lon:.6}°E falls on a void (nodata) of the DEM")]
    Void {
        /// Which point.
        what: String,
        /// Latitude, degrees.
        lat: f64,
        /// Longitude, degrees.
        lon: f64,
    },
    /// The DEM's CRS cannot be used.
    #[error("the DEM's CRS {0} cannot be used: {1}")]
    DemCrs(String, String),
    /// A parameter out of its sensible range.
    #[error("{0}")]
    BadParameter(String),
    /// A geodesic construction failed.
    #[error("{0}")]
    Geodesic(#[from] terminus_geodesy::geodesic::GeodesicError),
    /// Surveyed pillars that do not match the catalogue.
    #[error("{0}")]
    Survey(String),
}
