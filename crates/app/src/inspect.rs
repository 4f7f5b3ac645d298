//! Inspecting a file: layers, features, geometry types, vertices, extent,
//! CRS, geodesic length and area, as `terminus info` prints them and the
//! demo records them.

use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use terminus_vector::measure::measure_layer;
use terminus_vector::{Dataset, Layer};

/// Facts about one layer (`terminus info --json`; docs/formats.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerFacts {
    /// The layer's name.
    pub name: String,
    /// Its CRS, as an id (`EPSG:4326`) or verbatim.
    pub crs: String,
    /// The CRS's name.
    pub crs_name: String,
    /// Features.
    pub features: usize,
    /// Features without a geometry.
    pub null_geometries: usize,
    /// Features by geometry type.
    pub geometry_types: BTreeMap<String, usize>,
    /// Vertices.
    pub vertices: usize,
    /// Whether any vertex has a height.
    pub has_z: bool,
    /// `[min_x, min_y, max_x, max_y]` in the layer's CRS.
    pub bbox: Option<[f64; 4]>,
    /// Attribute fields.
    pub fields: Vec<FieldFacts>,
    /// Geodesic length of the lines, metres (geographic CRS only).
    pub geodesic_length_m: Option<f64>,
    /// Geodesic perimeter of the polygons' rings, metres.
    pub geodesic_perimeter_m: Option<f64>,
    /// Geodesic area of the polygons, m².
    pub geodesic_area_m2: Option<f64>,
    /// Why the measures are missing, when they are.
    pub measure_note: Option<String>,
}

/// An attribute field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldFacts {
    /// Its name.
    pub name: String,
    /// Its kind (`Text`, `Integer`, `Real` …).
    pub kind: String,
}

/// Facts about a file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DatasetFacts {
    /// The file.
    pub file: String,
    /// Its format, when recognised by its name.
    pub format: Option<&'static str>,
    /// Each layer.
    pub layers: Vec<LayerFacts>,
}

/// Facts about one layer.
pub fn layer_facts(layer: &Layer) -> LayerFacts {
    let mut geometry_types: BTreeMap<String, usize> = BTreeMap::new();
    let mut null_geometries = 0usize;
    for f in &layer.features {
        match &f.geometry {
            Some(g) => {
                *geometry_types
                    .entry(g.geometry_type().name().to_string())
                    .or_default() += 1
            }
            None => null_geometries += 1,
        }
    }
    let (length, perimeter, area, measure_note) = match measure_layer(layer) {
        Ok(m) => (Some(m.length_m), Some(m.perimeter_m), Some(m.area_m2), None),
        Err(e) => (None, None, None, Some(e.to_string())),
    };
    LayerFacts {
        name: layer.name.clone(),
        crs: layer.crs.id(),
        crs_name: layer.crs.name(),
        features: layer.features.len(),
        null_geometries,
        geometry_types,
        vertices: layer.vertex_count(),
        has_z: layer.has_z(),
        bbox: layer.bbox().map(|b| [b.min_x, b.min_y, b.max_x, b.max_y]),
        fields: layer
            .fields()
            .iter()
            .map(|f| FieldFacts {
                name: f.name.clone(),
                kind: format!("{:?}", f.kind),
            })
            .collect(),
        geodesic_length_m: length,
        geodesic_perimeter_m: perimeter,
        geodesic_area_m2: area,
        measure_note,
    }
}

/// Facts about a dataset.
pub fn dataset_facts(path: &Path, ds: &Dataset) -> DatasetFacts {
    DatasetFacts {
        file: path.display().to_string(),
        format: terminus_formats::Format::from_path(path).map(|f| f.name()),
        layers: ds.layers.iter().map(layer_facts).collect(),
    }
}

/// Human-readable rendering of [`DatasetFacts`].
pub fn render_text(v: &DatasetFacts) -> String {
    let mut out = String::new();
    out.push_str(&format!("{} ({})\n", v.file, v.format.unwrap_or("")));
    for l in &v.layers {
        out.push_str(&format!("\nlayer {:?}\n", l.name));
        out.push_str(&format!("  CRS:        {} ({})\n", l.crs, l.crs_name));
        let types: Vec<String> = l
            .geometry_types
            .iter()
            .map(|(k, n)| format!("{k} × {n}"))
            .collect();
        out.push_str(&format!(
            "  features:   {}{}\n",
            l.features,
            if l.null_geometries > 0 {
                format!(" ({} without geometry)", l.null_geometries)
            } else {
                String::new()
            }
        ));
        out.push_str(&format!(
            "  geometry:   {}\n",
            if types.is_empty() {
                "none".into()
            } else {
                types.join(", ")
            }
        ));
        out.push_str(&format!(
            "  vertices:   {}{}\n",
            l.vertices,
            if l.has_z { " (with heights)" } else { "" }
        ));
        if let Some(n) = l.bbox {
            out.push_str(&format!(
                "  extent:     x {} … {}, y {} … {}\n",
                n[0], n[2], n[1], n[3]
            ));
        }
        if let Some(len) = l.geodesic_length_m {
            if len > 0.0 {
                out.push_str(&format!(
                    "  length:     {:.3} km (geodesic, lines)\n",
                    len / 1000.0
                ));
            }
            let per = l.geodesic_perimeter_m.unwrap_or(0.0);
            if per > 0.0 {
                out.push_str(&format!(
                    "  perimeter:  {:.3} km (geodesic, polygon rings)\n",
                    per / 1000.0
                ));
                out.push_str(&format!(
                    "  area:       {:.3} km² (geodesic)\n",
                    l.geodesic_area_m2.unwrap_or(0.0) / 1e6
                ));
            }
        } else if let Some(note) = &l.measure_note {
            out.push_str(&format!("  measures:   unavailable: {note}\n"));
        }
        let fields: Vec<String> = l
            .fields
            .iter()
            .map(|f| format!("{} ({})", f.name, f.kind))
            .collect();
        if !fields.is_empty() {
            out.push_str(&format!("  fields:     {}\n", fields.join(", ")));
        }
    }
    out
}
