//! A claim line: one party's (or one source's) version of the boundary.

use crate::Status;
use serde::{Deserialize, Serialize};
use terminus_geodesy::Crs;
use terminus_vector::{Feature, Geometry, Layer, Value};

/// A line as a party claims it or a source draws it.
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
    /// A LineString or MultiLineString.
    pub geometry: Geometry,
}

/// Why a layer cannot be a claim line.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClaimLineError {
    /// No line features.
    #[error("layer {0:?} has no LineString or MultiLineString features to make a claim line of")]
    NoLines(String),
}

impl ClaimLine {
    /// The lines of a layer (all its LineString and MultiLineString
    /// features, in order) as one claim line in the layer's CRS.
    pub fn from_layer(
        id: &str,
        name: &str,
        layer: &Layer,
        status: Status,
    ) -> Result<ClaimLine, ClaimLineError> {
        let parts: Vec<Vec<terminus_vector::Coord>> = layer
            .features
            .iter()
            .filter_map(|f| f.geometry.as_ref())
            .flat_map(|g| g.paths().into_iter().map(<[_]>::to_vec))
            .collect();
        if parts.is_empty() {
            return Err(ClaimLineError::NoLines(layer.name.clone()));
        }
        let geometry = if parts.len() == 1 {
            Geometry::LineString(parts.into_iter().next().unwrap_or_default())
        } else {
            Geometry::MultiLineString(parts)
        };
        Ok(ClaimLine {
            id: id.to_string(),
            name: name.to_string(),
            party: None,
            source: None,
            status,
            crs: layer.crs.clone(),
            geometry,
        })
    }

    /// As a feature (with id, name, party, source and status as attributes)
    /// for writing in any vector format.
    pub fn to_feature(&self) -> Feature {
        let mut f = Feature::new(self.geometry.clone())
            .with("id", Value::String(self.id.clone()))
            .with("name", Value::String(self.name.clone()));
        if let Some(p) = &self.party {
            f = f.with("party", Value::String(p.clone()));
        }
        if let Some(s) = &self.source {
            f = f.with("source", Value::String(s.clone()));
        }
        let status = serde_json::to_value(self.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        f.with("status", Value::String(status))
    }
}
