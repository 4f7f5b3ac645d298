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
//! ```
//! use terminus_plane::frame::Frame;
//! use terminus_delimitation::{median_line, MedianOptions, Side};
//! use terminus_geodesy::Ellipsoid;
//! // Two banks along the meridians 10.0°E and 10.2°E: by the ellipsoid's
//! // symmetry the median is the meridian halfway, with no turning point.
//! let west = vec![(40.0, 10.0), (40.5, 10.0), (41.0, 10.0)];
//! let east = vec![(40.0, 10.2), (40.3, 10.2), (41.0, 10.2)];
//! let frame = Frame::around(Ellipsoid::WGS84, west.iter().chain(&east)).unwrap();
//! let a = Side::new("west", vec![west], &frame).unwrap();
//! let b = Side::new("east", vec![east], &frame).unwrap();
//! let m = median_line(&frame, &a, &b, &MedianOptions::default()).unwrap();
//! assert!(m.vertices.iter().all(|v| (v.lon - 10.1).abs() < 1e-9));
//! assert_eq!(m.turning_points().count(), 0);
//! // Every vertex at one distance from both banks (to 1e-8 m).
//! let v = &m.vertices[1];
//! assert!((v.base_a[0].distance - v.base_b[0].distance).abs() < 1e-8);
//! ```
//!
//! Every distance is geodesic on the ellipsoid (Karney 2013 through
//! GeographicLib's algorithms); the local gnomonic frame of
//! `terminus_plane::frame` only finds candidates.

pub mod compromise;
pub mod median;
pub mod side;
pub mod synthetic;
pub mod tripoint;
pub mod turning;

pub use compromise::{
    compromise_median, ring_pieces, ClaimSpur, CompromiseMedian, CompromiseRing, Construction,
    LoosePiece, RegionNote, Stretch,
};
pub use median::{
    densify_on_line, median_line, MedianLine, MedianOptions, MedianVertex, VertexKind,
};
pub use side::Side;
pub use side::{BasePoint, Feature};
pub use tripoint::{tri_junction, TriJunction, TriPoint};
pub use turning::{turning_point_line, turning_points, Discarded, TurningPoints};

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
    /// From the local plane (the frame around the data).
    #[error(transparent)]
    Frame(#[from] terminus_plane::PlaneError),
    /// From the comparison engine (the compromise's regions).
    #[error(transparent)]
    Compare(#[from] terminus_compare::CompareError),
    /// From the geodesy layer.
    #[error(transparent)]
    Geodesic(#[from] terminus_geodesy::geodesic::GeodesicError),
}
