//! Comparison of claim lines: where candidate boundaries agree, where they
//! diverge, and what each divergence gives to whom — on the ellipsoid.
//!
//! Given two or more lines (each a set of pieces: the main line, an
//! exclave's ring, a separate section), [`compare`] finds for every pair
//!
//! * the **agreement**: the stretches of each line within a tolerance of the
//!   other (geodesic distance to the nearest point of the other line), with
//!   their geodesic lengths ([`agreement`]);
//! * the **discrepancies**: the polygons enclosed between the two lines —
//!   the bounded faces of their planar arrangement ([`arrangement`]) — each
//!   with its geodesic area, its widest point both ways (the directed
//!   Hausdorff distances between the two lines' stretches that bound it),
//!   its length along each line, the section and party each line gives it
//!   to, and the places and roads inside ([`discrepancy`]);
//!
//! and between two parties' territory polygons, the **overlaps** (ground
//! both claim) and **gaps** (ground neither claims), with enclaves and
//! exclaves ([`territory`]).
//!
//! Which side is whose: with territory polygons, each piece of each line is
//! oriented by sampling points either side of it ([`sides`]); without, the
//! sides are "left of" and "right of" the first line as digitised, and the
//! pieces of the other lines are aligned with it.
//!
//! Accuracy: lengths, areas and distances are geodesic (Karney 2013 via
//! `geographiclib-rs`; nanometres, and 0.1 m² for areas of this size);
//! crossing points are Karney 2023 intersections. Topology is decided with
//! exact predicates in a gnomonic plane, where a geodesic segment of a few
//! kilometres departs from a straight line by under a millimetre: a
//! discrepancy narrower than that may be merged with its neighbour.
//! Agreement is sampled along each line every quarter of the tolerance, so
//! a stretch's ends are exact to the bisection (1 mm) and between samples
//! the distance can exceed the tolerance by at most an eighth of it.

pub use terminus_plane::{chain, frame, index, packed};

pub mod agreement;
pub mod arrangement;
pub mod discrepancy;
pub mod gaps;
mod prepared;
mod profile;
pub mod sides;
pub mod spurs;
pub mod territory;

use serde::Serialize;
use std::collections::BTreeMap;
use terminus_geodesy::Ellipsoid;

pub use agreement::Stretch;
pub use discrepancy::{AffectedPlace, Discrepancy, RoadInside};
pub use territory::{TerritoryComparison, TerritoryPart};

/// A position, (latitude, longitude) in degrees on the comparison's ellipsoid.
pub type LatLon = (f64, f64);

/// A polygon: its outer ring, then holes, each a closed ring of positions.
pub type PolygonRings = Vec<Vec<LatLon>>;

/// One candidate boundary: a name and its pieces (open lines or closed
/// rings, e.g. an exclave's boundary).
#[derive(Debug, Clone)]
pub struct ClaimLine {
    /// What the line is called in the report (`--names`).
    pub name: String,
    /// Its pieces, each two or more positions.
    pub pieces: Vec<Vec<LatLon>>,
}

/// A party's territory as some source draws it.
#[derive(Debug, Clone)]
pub struct Territory {
    /// The party (delegation, state).
    pub party: String,
    /// Its polygons (with holes: enclaves of the other, lakes).
    pub polygons: Vec<PolygonRings>,
}

/// A named section of the boundary, as an area.
#[derive(Debug, Clone)]
pub struct Section {
    /// Its name, e.g. "Tavush–Gazakh".
    pub name: String,
    /// Its polygons.
    pub polygons: Vec<PolygonRings>,
}

/// A settlement or other named point.
#[derive(Debug, Clone, Serialize)]
pub struct Place {
    /// Its name.
    pub name: String,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
}

/// A road or track.
#[derive(Debug, Clone)]
pub struct Road {
    /// Its name (or id).
    pub name: String,
    /// Its pieces.
    pub pieces: Vec<Vec<LatLon>>,
}

/// Everything compared.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// Two or more claim lines.
    pub lines: Vec<ClaimLine>,
    /// None, or the two parties' territories.
    pub territories: Vec<Territory>,
    /// Named sections.
    pub sections: Vec<Section>,
    /// Places.
    pub places: Vec<Place>,
    /// Roads.
    pub roads: Vec<Road>,
}

/// How to compare.
#[derive(Debug, Clone)]
pub struct Options {
    /// Lines closer than this agree, metres.
    pub tolerance_m: f64,
    /// Gaps between pieces of one line up to this long are bridged by a
    /// geodesic (reported), metres.
    pub bridge_m: f64,
    /// An end of one line within this of an end of the other is joined to
    /// it, closing the region between them there (reported), metres.
    pub join_m: f64,
    /// Pieces up to this long that leave a junction of three or more
    /// pieces and end free are set aside as spurs (stubs of other borders
    /// at a tripoint; listed in the warnings), metres; 0 keeps them.
    pub spur_m: f64,
    /// Compare every line with this one only (index), instead of all pairs.
    pub reference: Option<usize>,
    /// Further tolerances at which to measure the agreement too (the
    /// polygons and their widths are the same; what counts as agreed and
    /// as a discrepancy changes), metres.
    pub more_tolerances: Vec<f64>,
    /// Measure the agreement (the stretches within tolerance, walked
    /// along both lines). A caller that needs only the areas and gains
    /// (the median's gains against each claim) turns it off: `agreement`
    /// and `agreement_at` are then empty and the agreed lengths NaN
    /// (null in JSON), never a false zero.
    pub agreement: bool,
    /// Measure each face's widest point exactly. Off, a face's width is
    /// sought only until it is shown to exceed the tolerance: every
    /// `beyond_tolerance` (and so every count, area and gain) is the same,
    /// but `max_width_m` and the directed widths of a face beyond the
    /// tolerance are then lower bounds. For callers that read only the
    /// areas and gains (the median's gains against each claim).
    pub exact_widths: bool,
    /// The ellipsoid of the coordinates.
    pub ellipsoid: Ellipsoid,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            tolerance_m: 100.0,
            bridge_m: 10_000.0,
            join_m: 10_000.0,
            spur_m: 5_000.0,
            reference: None,
            more_tolerances: Vec::new(),
            agreement: true,
            exact_widths: true,
            ellipsoid: Ellipsoid::WGS84,
        }
    }
}

/// Why a comparison could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    /// Nothing to compare.
    #[error("{0}")]
    Empty(&'static str),
    /// Fewer than two lines.
    #[error("give at least two claim lines to compare (got {0})")]
    TooFewLines(usize),
    /// A parameter out of range.
    #[error("{0}")]
    BadParameter(String),
    /// A piece of a line is unusable.
    #[error("line \"{line}\", piece {piece}: {problem}")]
    BadPiece {
        /// The line.
        line: String,
        /// Its piece.
        piece: usize,
        /// What is wrong.
        problem: String,
    },
    /// A line crosses itself: which stretch of the boundary is meant?
    #[error("line \"{line}\" crosses itself: piece {piece_a}, segment {segment_a} (from vertex {segment_a}) crosses piece {piece_b}, segment {segment_b}, near {lat:.6}°, {lon:.6}°; fix the line (terminus validate shows every such place)")]
    SelfCrossing {
        /// The line.
        line: String,
        /// First piece.
        piece_a: u32,
        /// Its segment.
        segment_a: u32,
        /// Second piece.
        piece_b: u32,
        /// Its segment.
        segment_b: u32,
        /// Where, latitude.
        lat: f64,
        /// Where, longitude.
        lon: f64,
    },
    /// The data spans more than a local frame can hold.
    #[error("the compared data spans too far ({lat_span:.1}° of latitude, {lon_span:.1}° of longitude; at most 60° each)")]
    TooLarge {
        /// Latitude span, degrees.
        lat_span: f64,
        /// Longitude span, degrees.
        lon_span: f64,
    },
    /// Two lines have nothing to do with each other.
    #[error("lines \"{a}\" and \"{b}\" do not come within {distance_m:.0} m of each other anywhere (nearest approach {nearest_m:.0} m): nothing to compare")]
    Disjoint {
        /// First line.
        a: String,
        /// Second line.
        b: String,
        /// The distance asked for.
        distance_m: f64,
        /// Their nearest approach.
        nearest_m: f64,
    },
    /// A territory polygon is unusable.
    #[error("territory of {party}: {problem}")]
    BadTerritory {
        /// The party.
        party: String,
        /// What is wrong.
        problem: String,
    },
}

/// A line's own figures.
#[derive(Debug, Clone, Serialize)]
pub struct LineSummary {
    /// Its name.
    pub name: String,
    /// Geodesic length of all its pieces, metres.
    pub length_m: f64,
    /// Number of pieces.
    pub pieces: usize,
    /// Number of vertices.
    pub vertices: usize,
    /// Which party each piece leaves on its left and right, as found.
    pub sides: Vec<sides::PieceSides>,
}

/// The comparison of two lines.
#[derive(Debug, Clone, Serialize)]
pub struct PairComparison {
    /// First line's name.
    pub a: String,
    /// Second line's name.
    pub b: String,
    /// Length of the first line within tolerance of the second, metres.
    pub agreed_length_a_m: f64,
    /// Length of the second line within tolerance of the first, metres.
    pub agreed_length_b_m: f64,
    /// Mean of the two agreed lengths, metres (symmetric in a and b).
    pub agreed_length_m: f64,
    /// Agreed lengths over total lengths, both lines together.
    pub agreed_share: f64,
    /// Discrepancies wider than the tolerance.
    pub discrepancy_count: usize,
    /// Their total geodesic area, m².
    pub discrepancy_area_m2: f64,
    /// The widest of them, metres.
    pub max_width_m: f64,
    /// Area each party (or side) gains if line a is adopted rather than b, m².
    pub gain_m2: BTreeMap<String, f64>,
    /// Polygons between the lines no wider than the tolerance: count.
    pub within_tolerance_count: usize,
    /// Their total area, m².
    pub within_tolerance_area_m2: f64,
    /// Areas one line alone draws (an enclave or exclave the other lacks):
    /// count. Not discrepancies, not gains.
    pub one_source_count: usize,
    /// Their total area, m².
    pub one_source_area_m2: f64,
    /// All area enclosed between the lines and given to different parties
    /// by them, m² (discrepancies + within tolerance + drawn by one line).
    pub area_between_m2: f64,
    /// Areas enclosed (with bridges or joins) that both lines give to the
    /// same party: count.
    pub same_side_count: usize,
    /// Their total area, m².
    pub same_side_area_m2: f64,
    /// The agreement at each tolerance asked for, the comparison's own
    /// first.
    pub agreement_at: Vec<AgreementAt>,
    /// Gaps in a line bridged to close it, with their lengths.
    pub bridges: Vec<Closure>,
    /// Ends of the two lines joined to close the region between them.
    pub joins: Vec<Closure>,
    /// The agreed stretches of both lines.
    #[serde(skip)]
    pub agreement: Vec<Stretch>,
    /// The discrepancies, largest first (then those within tolerance, then
    /// same-side areas).
    #[serde(skip)]
    pub discrepancies: Vec<Discrepancy>,
}

/// Agreement and discrepancies of a pair at one tolerance.
#[derive(Debug, Clone, Serialize)]
pub struct AgreementAt {
    /// The tolerance, metres.
    pub tolerance_m: f64,
    /// Length of line a within it of line b, metres.
    pub agreed_length_a_m: f64,
    /// Length of line b within it of line a, metres.
    pub agreed_length_b_m: f64,
    /// Agreed lengths over total lengths, both lines together.
    pub agreed_share: f64,
    /// Polygons between the lines wider than it (those drawn by one line
    /// alone and same-side areas apart).
    pub discrepancy_count: usize,
    /// Their area, m².
    pub discrepancy_area_m2: f64,
}

/// A geodesic added to close a region: a bridge across a gap in one line,
/// or a join between the ends of two.
#[derive(Debug, Clone, Serialize)]
pub struct Closure {
    /// Which line (for a bridge), or "a–b" for a join.
    pub line: String,
    /// From, (lat, lon).
    pub from: LatLon,
    /// To, (lat, lon).
    pub to: LatLon,
    /// Its geodesic length, metres.
    pub length_m: f64,
}

/// The whole comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// Tolerance used, metres.
    pub tolerance_m: f64,
    /// Each line.
    pub lines: Vec<LineSummary>,
    /// Each pair compared.
    pub pairs: Vec<PairComparison>,
    /// Overlaps of the two territories (ground both claim).
    pub overlaps: Vec<TerritoryPart>,
    /// Gaps between the two territories (ground neither claims, enclosed by both).
    pub gaps: Vec<TerritoryPart>,
    /// Enclaves and exclaves of each territory.
    pub territory: Option<TerritoryComparison>,
    /// Things the user should know (sides undecided, pieces skipped …).
    pub warnings: Vec<String>,
    /// Each line's pieces, (lat, lon), by name (for maps).
    #[serde(skip)]
    pub line_geometry: BTreeMap<String, Vec<Vec<LatLon>>>,
}

/// Compare the lines (all pairs, or each with the reference).
pub fn compare(inputs: &Inputs, options: &Options) -> Result<Comparison, CompareError> {
    discrepancy::run(inputs, options)
}

impl From<terminus_plane::PlaneError> for CompareError {
    fn from(e: terminus_plane::PlaneError) -> CompareError {
        match e {
            terminus_plane::PlaneError::Empty(what) => CompareError::Empty(what),
            terminus_plane::PlaneError::TooLarge { lat_span, lon_span } => {
                CompareError::TooLarge { lat_span, lon_span }
            }
        }
    }
}
