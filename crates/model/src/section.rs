//! Sections: named stretches of a boundary, each agreed on its own.

use crate::{Status, TurningPoint};
use serde::{Deserialize, Serialize};

/// A named stretch of the boundary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Identifier, e.g. "TG".
    pub id: String,
    /// Name, e.g. "Tavush–Gazakh".
    pub name: String,
    /// Where it stands.
    pub status: Status,
    /// Claim lines tabled for this section (ids).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claim_lines: Vec<String>,
    /// The turning points of the agreed (or proposed) line, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub turning_points: Vec<TurningPoint>,
}
