//! Features: a geometry, an identifier and ordered attributes.

use crate::{Geometry, Value};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// A feature identifier as the source gave it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FeatureId {
    /// A number (GeoJSON numeric id, GeoPackage fid).
    Int(i64),
    /// Text (GeoJSON string id, KML `id` attribute).
    String(String),
}

impl std::fmt::Display for FeatureId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FeatureId::Int(i) => write!(f, "{i}"),
            FeatureId::String(s) => write!(f, "{s:?}"),
        }
    }
}

/// One feature. A missing geometry (`None`) is allowed, as in GeoJSON.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Feature {
    /// Identifier, when the source had one.
    pub id: Option<FeatureId>,
    /// The geometry, if any.
    pub geometry: Option<Geometry>,
    /// Attributes in source order.
    pub properties: IndexMap<String, Value>,
}

impl Feature {
    /// A feature with a geometry and no attributes.
    pub fn new(geometry: Geometry) -> Feature {
        Feature {
            id: None,
            geometry: Some(geometry),
            properties: IndexMap::new(),
        }
    }

    /// Builder: add an attribute.
    pub fn with(mut self, key: &str, value: Value) -> Feature {
        self.properties.insert(key.to_string(), value);
        self
    }
}
