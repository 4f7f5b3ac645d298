//! Turning points: the vertices of the delimited line.

use crate::Position;
use serde::{Deserialize, Serialize};

/// A vertex of the delimited line. Between consecutive turning points a
/// treaty's "straight line" is the geodesic on the ellipsoid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TurningPoint {
    /// Number as the protocol gives it, e.g. "TG-07".
    pub number: String,
    /// Where.
    pub position: Position,
    /// The source of the position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Remark (a road junction, a summit, a river confluence).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}
