//! Delimitation engines: lines constructed from the parties' geography.
//!
//! - [`side`]: a party's side (bank, shore, claim line) as indexed
//!   geodesic segments, and its nearest *base point* to any position.
//! - [`median`]: the strict equidistance (median) line between two sides,
//!   traced on the ellipsoid, with its turning points and their base
//!   points; weighted (ratio) lines.
//! - [`tripoint`]: the point equidistant from three sides and the three
//!   lines meeting there.
//! - [`compromise`]: the median of two claim lines that cross, region by
//!   region between them (the comparison engine finds the regions).
//!
//! Every distance is geodesic on the ellipsoid (Karney 2013 through
//! GeographicLib's algorithms); the local gnomonic frame of
//! `terminus_compare::frame` only finds candidates.

pub mod compromise;
pub mod median;
pub mod side;
pub mod synthetic;
pub mod tripoint;

pub use compromise::{compromise_median, CompromiseMedian, SkippedRegion};
pub use median::{
    densify_on_line, median_line, MedianLine, MedianOptions, MedianVertex, VertexKind,
};
pub use side::Side;
pub use side::{BasePoint, Feature};
pub use tripoint::{tri_junction, TriJunction, TriPoint};

/// What can go wrong constructing a line.
#[derive(Debug, thiserror::Error)]
pub enum DelimitationError {
    /// An empty or degenerate side.
    #[error("side \"{side}\": {problem}")]
    BadSide {
        /// The side's name.
        side: String,
        /// What is wrong.
        problem: String,
    },
    /// The two sides touch or cross where the line is sought.
    #[error("the sides \"{a}\" and \"{b}\" touch or cross near {lat:.7}°, {lon:.7}°: no equidistance line runs between them there")]
    SidesMeet {
        /// First side.
        a: String,
        /// Second side.
        b: String,
        /// Where, degrees.
        lat: f64,
        /// Where, degrees.
        lon: f64,
    },
    /// A parameter out of range.
    #[error("{0}")]
    BadParameter(String),
    /// The tracing did not converge (report this as a bug, with the input).
    #[error("the equidistance line could not be traced near {lat:.7}°, {lon:.7}°: {why}")]
    NoConvergence {
        /// Where, degrees.
        lat: f64,
        /// Where, degrees.
        lon: f64,
        /// What failed.
        why: String,
    },
    /// From the comparison engine's frame.
    #[error(transparent)]
    Frame(#[from] terminus_compare::CompareError),
    /// From the geodesy layer.
    #[error(transparent)]
    Geodesic(#[from] terminus_geodesy::geodesic::GeodesicError),
}
