//! A claim line made ready for the comparison: projected into the local
//! frame, indexed, its sides found, its pieces bridged, its geodesic edge
//! terms computed once. Made by `discrepancy::run`, read by `agreement`.

use crate::frame::Xy;
use crate::index::SegmentIndex;
use crate::sides::PieceSides;
use crate::LatLon;
use terminus_geodesy::measure::EdgeTerm;

/// A line projected into the frame, indexed, with its sides.
pub(crate) struct PreparedLine {
    pub name: String,
    pub pieces: Vec<(Vec<LatLon>, Vec<Xy>)>,
    pub index: SegmentIndex,
    pub sides: Vec<PieceSides>,
    pub bridges: Vec<(LatLon, Xy, LatLon, Xy)>,
    /// Each piece's segments' geodesic terms (length and area term).
    pub terms: Vec<Vec<EdgeTerm>>,
    /// Ends left open after bridging: (position, image).
    pub free_ends: Vec<(LatLon, Xy)>,
    /// Per piece, the vertices where the line touches itself (a ring
    /// closing, pieces meeting): nodes of every arrangement.
    pub touches: Vec<Vec<u32>>,
}
