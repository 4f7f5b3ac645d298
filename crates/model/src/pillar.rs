//! Pillars (boundary markers, monuments).

use crate::{Height, Position};
use serde::{Deserialize, Serialize};

/// What a pillar marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PillarKind {
    /// At a turning point.
    Main,
    /// Between turning points, so that each pillar sees the next.
    Intermediate,
    /// On a river bank, one of a pair across the water.
    River,
    /// Where three boundaries, or two sections, meet.
    Junction,
    /// Anything else (a road crossing, a marker in a settlement).
    Special,
}

/// A surveyed position of a built pillar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Survey {
    /// Where the survey found the pillar.
    pub position: Position,
    /// When (ISO 8601 date).
    pub date: String,
    /// How: "GNSS RTK", "static GNSS 2 h", "total station from TP-12".
    pub method: String,
}

/// A boundary marker: where it was planned and where it was built.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pillar {
    /// Number, e.g. "TG-012" or "TG-012/1" for an intermediate.
    pub number: String,
    /// What it marks.
    pub kind: PillarKind,
    /// The section's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// Where the line says it goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned: Option<Position>,
    /// Where it stands, as surveyed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub surveys: Vec<Survey>,
    /// Height of the ground at the pillar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<Height>,
}
