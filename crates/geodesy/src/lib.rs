//! Geodesy and coordinate reference systems: the bottom layer of Terminus.
//!
//! * [`Ellipsoid`]: reference ellipsoids (WGS 84, GRS 80, Krassowsky 1940, any a and 1/f).
//! * [`Crs`]: a coordinate reference system, identified by EPSG code or carried
//!   verbatim as WKT / PROJ text when Terminus does not know it, so that no
//!   coordinate is ever without its CRS.
//! * [`measure`]: geodesic lengths and areas on the ellipsoid (Karney 2013, via
//!   `geographiclib-rs`; errors below 15 nm for lengths).
//!
//! Architecture invariant: this crate knows nothing about files, features or
//! the boundary model. Everything above depends on it; it depends on nothing of
//! Terminus.

pub mod angle;
pub mod crs;
pub mod datum;
pub mod ellipsoid;
pub mod geodesic;
pub mod measure;
pub mod nomenclature;
pub mod position;
pub mod projection;

pub use crs::{AxisOrder, Crs, CrsError, CrsKind};
pub use ellipsoid::Ellipsoid;
/// The output masks of [`GeodesicLine`] positions.
pub use geographiclib_rs::capability as geodesic_capability;
/// The geodesic solver of `geographiclib-rs` (Karney 2013), re-exported so that
/// higher crates need not name that crate.
pub use geographiclib_rs::Geodesic;
/// A geodesic line of `geographiclib-rs`, for many points along one geodesic
/// (positions at distances without solving the direct problem afresh).
pub use geographiclib_rs::GeodesicLine;
pub use position::{EastNorth, LatLon, Xy};
