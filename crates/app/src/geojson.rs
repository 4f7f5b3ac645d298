//! A workflow's layers as GeoJSON values, for front-ends that answer in
//! JSON (the service, the web workspace) rather than write files: RFC 7946
//! FeatureCollections, positions `[longitude, latitude]` on WGS 84.

use serde_json::{json, Value};
use terminus_vector::Layer;

/// `layer` (on WGS 84) as a GeoJSON FeatureCollection named after it, each
/// feature with its id (1-based, in layer order) and its attributes.
pub fn feature_collection(layer: &Layer) -> Value {
    let features: Vec<Value> = layer
        .features
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let properties: serde_json::Map<String, Value> = f
                .properties
                .iter()
                .map(|(k, v)| (k.clone(), v.to_json()))
                .collect();
            json!({
                "type": "Feature",
                "id": i + 1,
                "geometry": f.geometry,
                "properties": properties,
            })
        })
        .collect();
    json!({"type": "FeatureCollection", "name": layer.name, "features": features})
}

#[cfg(test)]
mod tests {
    use super::*;
    use terminus_geodesy::Crs;
    use terminus_vector::{Coord, Feature, Geometry, Value as Attr};

    #[test]
    fn a_layer_is_a_feature_collection_in_lon_lat() {
        let mut l = Layer::new("discrepancies", Crs::WGS84);
        l.features.push(
            Feature::new(Geometry::LineString(vec![
                Coord::xy(45.0, 40.0),
                Coord::xy(45.1, 40.1),
            ]))
            .with("area_m2", Attr::Float(12.5)),
        );
        let v = feature_collection(&l);
        assert_eq!(v["name"], "discrepancies");
        let f = &v["features"][0];
        assert_eq!(f["id"], 1);
        assert_eq!(f["geometry"]["type"], "LineString");
        assert_eq!(f["geometry"]["coordinates"][1], json!([45.1, 40.1]));
        assert_eq!(f["properties"]["area_m2"], 12.5);
    }
}
