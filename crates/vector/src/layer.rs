//! Layers (features in one CRS) and datasets (named layers of one file).

use crate::{Bbox, Feature, FieldKind, GeometryType};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use terminus_geodesy::Crs;

/// A named attribute column and the kind that holds all its values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    /// Attribute name.
    pub name: String,
    /// Unified kind; `String` when values disagree.
    pub kind: FieldKind,
}

/// Features that share one CRS.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Layer {
    /// Layer name (table, folder, file stem).
    pub name: String,
    /// The CRS of every coordinate in the layer.
    pub crs: Crs,
    /// The features.
    pub features: Vec<Feature>,
    /// Declared field kinds, when the source declared them (DBF, GeoPackage,
    /// KML Schema); other fields are inferred by [`Layer::fields`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub declared_fields: Vec<Field>,
}

impl Layer {
    /// An empty layer.
    pub fn new(name: impl Into<String>, crs: Crs) -> Layer {
        Layer {
            name: name.into(),
            crs,
            features: Vec::new(),
            declared_fields: Vec::new(),
        }
    }

    /// The attribute columns: declared ones first, then every other property
    /// name in order of first appearance, each with the kind unifying its
    /// non-null values (a column of nulls only is `String`).
    pub fn fields(&self) -> Vec<Field> {
        let mut out: Vec<Field> = self.declared_fields.clone();
        let mut inferred: indexmap::IndexMap<&str, Option<FieldKind>> = indexmap::IndexMap::new();
        for f in &self.features {
            for (k, v) in &f.properties {
                let slot = inferred.entry(k.as_str()).or_insert(None);
                if let Some(kind) = v.kind() {
                    *slot = Some(slot.map_or(kind, |s| s.unify(kind)));
                }
            }
        }
        for (name, kind) in inferred {
            if out.iter().all(|f| f.name != name) {
                out.push(Field {
                    name: name.to_string(),
                    kind: kind.unwrap_or(FieldKind::String),
                });
            }
        }
        out
    }

    /// The distinct geometry types present.
    pub fn geometry_types(&self) -> BTreeSet<GeometryType> {
        self.features
            .iter()
            .filter_map(|f| f.geometry.as_ref().map(|g| g.geometry_type()))
            .collect()
    }

    /// Total stored vertices.
    pub fn vertex_count(&self) -> usize {
        self.features
            .iter()
            .filter_map(|f| f.geometry.as_ref())
            .map(|g| g.vertex_count())
            .sum()
    }

    /// Bounding box of all features.
    pub fn bbox(&self) -> Option<Bbox> {
        let mut out: Option<Bbox> = None;
        for b in self
            .features
            .iter()
            .filter_map(|f| f.geometry.as_ref()?.bbox())
        {
            match &mut out {
                Some(o) => o.union(&b),
                None => out = Some(b),
            }
        }
        out
    }

    /// True when any geometry has heights.
    pub fn has_z(&self) -> bool {
        self.features
            .iter()
            .filter_map(|f| f.geometry.as_ref())
            .any(|g| g.has_z())
    }
}

/// The layers of one file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Dataset {
    /// Layers in file order.
    pub layers: Vec<Layer>,
}

impl Dataset {
    /// The layer called `name`.
    pub fn layer(&self, name: &str) -> Option<&Layer> {
        self.layers.iter().find(|l| l.name == name)
    }
    /// Total features over all layers.
    pub fn feature_count(&self) -> usize {
        self.layers.iter().map(|l| l.features.len()).sum()
    }
}
