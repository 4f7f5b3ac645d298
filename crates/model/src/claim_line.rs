//! A claim line: one party's (or one source's) version of the boundary.

use crate::Status;
use serde::{Deserialize, Serialize};
use terminus_geodesy::Crs;

/// A claim line's geometry: a GeoJSON LineString or MultiLineString in the
/// claim line's CRS, positions `[x, y]` (easting or longitude first). Any
/// other geometry is refused when read: a claim line is a line by its type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "coordinates")]
pub enum LineGeometry {
    /// One path.
    LineString(Vec<[f64; 2]>),
    /// Several paths (a line broken by an exclave, or drawn in pieces).
    MultiLineString(Vec<Vec<[f64; 2]>>),
}

impl LineGeometry {
    /// The paths, one or several.
    pub fn paths(&self) -> Vec<&[[f64; 2]]> {
        match self {
            LineGeometry::LineString(p) => vec![p.as_slice()],
            LineGeometry::MultiLineString(ps) => ps.iter().map(Vec::as_slice).collect(),
        }
    }

    /// Positions in all.
    pub fn vertex_count(&self) -> usize {
        self.paths().iter().map(|p| p.len()).sum()
    }

    /// One path as a LineString, several as a MultiLineString; `None` when
    /// there is none.
    pub fn from_paths(mut paths: Vec<Vec<[f64; 2]>>) -> Option<LineGeometry> {
        match paths.len() {
            0 => None,
            1 => paths.pop().map(LineGeometry::LineString),
            _ => Some(LineGeometry::MultiLineString(paths)),
        }
    }
}

/// A line as a party claims it or a source draws it.
///
/// ```
/// use terminus_model::{ClaimLine, LineGeometry, Status};
/// use terminus_geodesy::Crs;
/// let line = ClaimLine {
///     id: "am-2024".into(),
///     name: "Armenian proposal, Tavush".into(),
///     party: Some("AM".into()),
///     source: None,
///     status: Status::Proposed,
///     crs: Crs::WGS84,
///     geometry: LineGeometry::LineString(vec![[45.3761, 41.1622], [45.3897, 41.1488]]),
/// };
/// let json = serde_json::to_value(&line).unwrap();
/// assert_eq!(json["geometry"]["type"], "LineString");
/// assert_eq!(json["geometry"]["coordinates"][1][0], 45.3897);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimLine {
    /// Identifier.
    pub id: String,
    /// Name, e.g. "Natural Earth 10m" or "Armenian proposal of 2024-03-12".
    pub name: String,
    /// The claiming party's id, when it is a party's line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party: Option<String>,
    /// The source's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Where it stands.
    pub status: Status,
    /// The CRS of `geometry`.
    pub crs: Crs,
    /// The line.
    pub geometry: LineGeometry,
}
