//! Inspecting a file: layers, features, geometry types, vertices, extent,
//! CRS, geodesic length and area, as `terminus info` prints them and the
//! demo records them.

use serde_json::json;
use std::collections::BTreeMap;
use std::path::Path;
use terminus_vector::measure::measure_layer;
use terminus_vector::{Dataset, Layer};

/// Facts about one layer.
pub fn layer_json(layer: &Layer) -> serde_json::Value {
    let mut types: BTreeMap<&str, usize> = BTreeMap::new();
    let mut null_geometries = 0usize;
    for f in &layer.features {
        match &f.geometry {
            Some(g) => *types.entry(g.geometry_type().name()).or_default() += 1,
            None => null_geometries += 1,
        }
    }
    let (length, perimeter, area, measure_note) = match measure_layer(layer) {
        Ok(m) => (Some(m.length_m), Some(m.perimeter_m), Some(m.area_m2), None),
        Err(e) => (None, None, None, Some(e.to_string())),
    };
    let bbox = layer
        .bbox()
        .map(|b| json!([b.min_x, b.min_y, b.max_x, b.max_y]));
    json!({
        "name": layer.name,
        "crs": layer.crs.id(),
        "crs_name": layer.crs.name(),
        "features": layer.features.len(),
        "null_geometries": null_geometries,
        "geometry_types": types,
        "vertices": layer.vertex_count(),
        "has_z": layer.has_z(),
        "bbox": bbox,
        "fields": layer.fields().iter().map(|f| json!({"name": f.name, "kind": format!("{:?}", f.kind)})).collect::<Vec<_>>(),
        "geodesic_length_m": length,
        "geodesic_perimeter_m": perimeter,
        "geodesic_area_m2": area,
        "measure_note": measure_note,
    })
}

/// Facts about a dataset.
pub fn dataset_json(path: &Path, ds: &Dataset) -> serde_json::Value {
    json!({
        "file": path.display().to_string(),
        "format": terminus_formats::Format::from_path(path).map(|f| f.name()),
        "layers": ds.layers.iter().map(layer_json).collect::<Vec<_>>(),
    })
}

/// Human-readable rendering of [`dataset_json`].
pub fn render_text(v: &serde_json::Value) -> String {
    let mut out = String::new();
    let s = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    out.push_str(&format!("{} ({})\n", s(&v["file"]), s(&v["format"])));
    for l in v["layers"].as_array().into_iter().flatten() {
        out.push_str(&format!("\nlayer {:?}\n", s(&l["name"])));
        out.push_str(&format!(
            "  CRS:        {} ({})\n",
            s(&l["crs"]),
            s(&l["crs_name"])
        ));
        let types: Vec<String> = l["geometry_types"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, n)| format!("{k} × {n}"))
            .collect();
        out.push_str(&format!(
            "  features:   {}{}\n",
            l["features"],
            if l["null_geometries"].as_u64().unwrap_or(0) > 0 {
                format!(" ({} without geometry)", l["null_geometries"])
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
            l["vertices"],
            if l["has_z"].as_bool() == Some(true) {
                " (with heights)"
            } else {
                ""
            }
        ));
        if let Some(b) = l["bbox"].as_array() {
            let n: Vec<f64> = b.iter().filter_map(|x| x.as_f64()).collect();
            if n.len() == 4 {
                out.push_str(&format!(
                    "  extent:     x {} … {}, y {} … {}\n",
                    n[0], n[2], n[1], n[3]
                ));
            }
        }
        if let Some(len) = l["geodesic_length_m"].as_f64() {
            if len > 0.0 {
                out.push_str(&format!(
                    "  length:     {:.3} km (geodesic, lines)\n",
                    len / 1000.0
                ));
            }
            let per = l["geodesic_perimeter_m"].as_f64().unwrap_or(0.0);
            if per > 0.0 {
                out.push_str(&format!(
                    "  perimeter:  {:.3} km (geodesic, polygon rings)\n",
                    per / 1000.0
                ));
                out.push_str(&format!(
                    "  area:       {:.3} km² (geodesic)\n",
                    l["geodesic_area_m2"].as_f64().unwrap_or(0.0) / 1e6
                ));
            }
        } else if let Some(note) = l["measure_note"].as_str() {
            out.push_str(&format!("  measures:   unavailable: {note}\n"));
        }
        let fields: Vec<String> = l["fields"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| format!("{} ({})", s(&f["name"]), s(&f["kind"])))
            .collect();
        if !fields.is_empty() {
            out.push_str(&format!("  fields:     {}\n", fields.join(", ")));
        }
    }
    out
}
