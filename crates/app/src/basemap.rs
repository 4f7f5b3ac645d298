//! The web map's base map of countries and places: what a commission's
//! workspace draws under its lines with no tile server, from the bundled
//! public-domain Natural Earth polygons (Armenia, Azerbaijan) and the
//! files the service is given (`terminus serve --countries FILE --places
//! FILE`, any format and CRS the input road reads).
//!
//! Names are kept in every language a feature carries (`name`, `NAME`,
//! `city`, …, and `name_ru`, `NAME_RU`, `name:ru`, … for language codes of
//! two or three letters), so the page labels in the language chosen where
//! the data has it and falls back to the default name where not.
//! Country outlines are served as vector tiles (a national polygon from
//! OpenStreetMap has millions of vertices), places as GeoJSON. A picture
//! for the eye: nothing is measured on it.

use crate::failure::Failure;
use crate::input::{FileHash, InputOptions};
use serde::Serialize;
use serde_json::{json, Value as Json};
use std::collections::BTreeMap;
use std::path::Path;
use terminus_cartography::tiles::{encode_tile, TileFeature, TileLine, TileValue};
use terminus_vector::{Feature, Geometry, Value};

/// A feature's names: "" for the default, else by language code
/// (lower-case).
pub type Names = BTreeMap<String, String>;

/// Where a layer of the base map came from.
#[derive(Debug, Clone, Serialize)]
pub struct BasemapSource {
    /// "countries" or "places".
    pub layer: &'static str,
    /// The file (path as given, SHA-256, size), or the bundled sample's
    /// name.
    pub file: FileHash,
    /// Features taken.
    pub features: usize,
    /// The input road's notes (CRS moved, features left out).
    pub notes: Vec<String>,
}

/// The countries and places of a service's base map.
#[derive(Debug, Default)]
pub struct Basemap {
    countries: Vec<(Names, TileLine)>,
    places: Vec<Json>,
    /// Where each layer came from.
    pub sources: Vec<BasemapSource>,
}

/// The names of a feature's properties, see the module's description.
pub fn names(properties: impl IntoIterator<Item = (String, String)>) -> Names {
    // The default: the first present of these, in this order.
    const DEFAULT: [&str; 5] = ["name", "city", "asciiname", "admin", "title"];
    let mut out = Names::new();
    let mut best = DEFAULT.len();
    for (k, v) in properties {
        if v.trim().is_empty() {
            continue;
        }
        let lower = k.to_ascii_lowercase();
        let lang = lower
            .strip_prefix("name_")
            .or_else(|| lower.strip_prefix("name:"))
            .filter(|l| (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_lowercase()));
        if let Some(l) = lang {
            out.entry(l.to_string()).or_insert(v);
        } else if let Some(rank) = DEFAULT.iter().position(|n| *n == lower) {
            if rank < best {
                best = rank;
                out.insert(String::new(), v);
            }
        }
    }
    out
}

fn text_properties(f: &Feature) -> Vec<(String, String)> {
    f.properties
        .iter()
        .filter_map(|(k, v)| match v {
            Value::String(s) => Some((k.clone(), s.clone())),
            _ => None,
        })
        .collect()
}

fn rings_of(g: &Geometry, out: &mut Vec<Vec<(f64, f64)>>) {
    match g {
        Geometry::Polygon(p) => out.extend(
            p.rings
                .iter()
                .map(|r| r.iter().map(|c| (c.x, c.y)).collect()),
        ),
        Geometry::MultiPolygon(ps) => {
            for p in ps {
                rings_of(&Geometry::Polygon(p.clone()), out);
            }
        }
        Geometry::LineString(l) => out.push(l.iter().map(|c| (c.x, c.y)).collect()),
        Geometry::MultiLineString(ls) => {
            out.extend(ls.iter().map(|l| l.iter().map(|c| (c.x, c.y)).collect()))
        }
        Geometry::GeometryCollection(gs) => {
            for g in gs {
                rings_of(g, out);
            }
        }
        Geometry::Point(_) | Geometry::MultiPoint(_) => {}
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

impl Basemap {
    /// The bundled Natural Earth 5.1.1 polygons of Armenia and Azerbaijan
    /// (public domain; see data/README.md).
    pub fn bundled() -> Basemap {
        let mut b = Basemap::default();
        for (name, text) in crate::demo::bundled_countries() {
            let Ok(doc) = serde_json::from_str::<Json>(text) else {
                continue;
            };
            let mut n = 0;
            for f in doc["features"].as_array().into_iter().flatten() {
                let props: Vec<(String, String)> = f["properties"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                    .collect();
                let mut parts = Vec::new();
                let polys: Vec<&Json> = match f["geometry"]["type"].as_str() {
                    Some("Polygon") => vec![&f["geometry"]["coordinates"]],
                    Some("MultiPolygon") => f["geometry"]["coordinates"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .collect(),
                    _ => Vec::new(),
                };
                for poly in polys {
                    for ring in poly.as_array().into_iter().flatten() {
                        parts.push(
                            ring.as_array()
                                .into_iter()
                                .flatten()
                                .filter_map(|p| Some((p[0].as_f64()?, p[1].as_f64()?)))
                                .collect(),
                        );
                    }
                }
                b.countries.push((names(props), TileLine::new(&parts)));
                n += 1;
            }
            b.sources.push(BasemapSource {
                layer: "countries",
                file: FileHash {
                    path: format!("bundled: {name}"),
                    sha256: {
                        use sha2::Digest;
                        hex::encode(sha2::Sha256::digest(text.as_bytes()))
                    },
                    bytes: text.len() as u64,
                },
                features: n,
                notes: Vec::new(),
            });
        }
        b
    }

    /// Add the countries (polygons or lines) of `path`.
    pub fn add_countries(&mut self, path: &Path, input: &InputOptions) -> Result<(), Failure> {
        let r = crate::input::read(path, input)?;
        let mut notes = r.notes();
        let (mut n, mut points) = (0, 0);
        for layer in &r.dataset.layers {
            for f in &layer.features {
                let mut parts = Vec::new();
                if let Some(g) = &f.geometry {
                    rings_of(g, &mut parts);
                }
                if parts.is_empty() {
                    points += 1;
                    continue;
                }
                self.countries
                    .push((names(text_properties(f)), TileLine::new(&parts)));
                n += 1;
            }
        }
        if points > 0 {
            notes.push(format!(
                "{}: {points} feature(s) with no polygon or line left out of the countries",
                path.display()
            ));
        }
        if n == 0 {
            return Err(Failure::usage(format!(
                "{}: no polygons or lines to draw as countries",
                path.display()
            )));
        }
        self.sources.push(BasemapSource {
            layer: "countries",
            file: crate::input::hash_file(path)?,
            features: n,
            notes,
        });
        Ok(())
    }

    /// Add the places (points) of `path`, with their names and
    /// population (`population`, `POP_MAX`, … where given).
    pub fn add_places(&mut self, path: &Path, input: &InputOptions) -> Result<(), Failure> {
        let r = crate::input::read(path, input)?;
        let mut notes = r.notes();
        let (mut n, mut other) = (0, 0);
        for layer in &r.dataset.layers {
            for (i, f) in layer.features.iter().enumerate() {
                let Some(Geometry::Point(c)) = &f.geometry else {
                    other += 1;
                    continue;
                };
                let mut nm = names(text_properties(f));
                if !nm.contains_key("") {
                    nm.insert(
                        String::new(),
                        crate::shapes::name_of(f, None, format!("place {}", i + 1)),
                    );
                }
                let population = f
                    .properties
                    .iter()
                    .find(|(k, _)| {
                        matches!(
                            k.to_ascii_lowercase().as_str(),
                            "population" | "pop_max" | "pop"
                        )
                    })
                    .and_then(|(_, v)| number(v));
                let mut props = serde_json::Map::new();
                for (lang, name) in &nm {
                    let key = if lang.is_empty() {
                        "name".to_string()
                    } else {
                        format!("name_{lang}")
                    };
                    props.insert(key, json!(name));
                }
                props.insert("population".into(), json!(population));
                self.places.push(json!({
                    "type": "Feature",
                    "properties": props,
                    "geometry": {"type": "Point", "coordinates": [c.x, c.y]},
                }));
                n += 1;
            }
        }
        if other > 0 {
            notes.push(format!(
                "{}: {other} feature(s) that are not points left out of the places",
                path.display()
            ));
        }
        if n == 0 {
            return Err(Failure::usage(format!(
                "{}: no points to draw as places",
                path.display()
            )));
        }
        self.sources.push(BasemapSource {
            layer: "places",
            file: crate::input::hash_file(path)?,
            features: n,
            notes,
        });
        Ok(())
    }

    /// Places held.
    pub fn place_count(&self) -> usize {
        self.places.len()
    }

    /// The places as a GeoJSON FeatureCollection (WGS 84): `name`,
    /// `name_<lang>` for each language the data has, `population`.
    pub fn places(&self) -> Json {
        json!({"type": "FeatureCollection", "features": self.places})
    }

    /// Tile `z/x/y` of the country outlines (layer `countries`, lines
    /// with `name` and `name_<lang>`) as MVT 2.1; empty when no country
    /// is in the tile.
    pub fn countries_tile(&self, z: u32, x: u32, y: u32) -> Vec<u8> {
        let features: Vec<TileFeature<'_>> = self
            .countries
            .iter()
            .enumerate()
            .map(|(i, (nm, line))| TileFeature {
                id: i as u64 + 1,
                properties: nm
                    .iter()
                    .map(|(lang, name)| {
                        let key = if lang.is_empty() {
                            "name".to_string()
                        } else {
                            format!("name_{lang}")
                        };
                        (key, TileValue::Text(name.clone()))
                    })
                    .collect(),
                line,
                points: false,
            })
            .collect();
        encode_tile(&[("countries", features)], z, x, y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nm(p: &[(&str, &str)]) -> Names {
        names(p.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    #[test]
    fn names_are_kept_by_language_with_a_default() {
        let n = nm(&[
            ("NAME", "Armenia"),
            ("NAME_RU", "Армения"),
            ("name:hy", "Հայաստան"),
            ("name_long", "Republic of Armenia"),
            ("ISO_A3", "ARM"),
        ]);
        assert_eq!(n[""], "Armenia");
        assert_eq!(n["ru"], "Армения");
        assert_eq!(n["hy"], "Հայաստան");
        assert!(!n.contains_key("long"), "name_long is no language");
        assert_eq!(n.len(), 3);
        // `name` wins over `city`, whichever comes first; blanks are no names.
        let n = nm(&[
            ("city", "Kornidzor"),
            ("name", "Korindzor"),
            ("name_ru", " "),
        ]);
        assert_eq!(n[""], "Korindzor");
        assert!(!n.contains_key("ru"));
    }

    #[test]
    fn files_with_nothing_to_draw_are_refused_naming_them() {
        let dir = tempfile::tempdir().unwrap();
        let lines = dir.path().join("lines.geojson");
        std::fs::write(&lines, r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"a"},"geometry":{"type":"LineString","coordinates":[[45,40],[45.1,40.1]]}}]}"#).unwrap();
        let points = dir.path().join("points.geojson");
        std::fs::write(&points, r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"p"},"geometry":{"type":"Point","coordinates":[45,40]}}]}"#).unwrap();
        let mut b = Basemap::default();
        let e = b.add_places(&lines, &Default::default()).unwrap_err();
        assert!(
            e.message.contains("lines.geojson: no points"),
            "{}",
            e.message
        );
        let e = b.add_countries(&points, &Default::default()).unwrap_err();
        assert!(
            e.message.contains("points.geojson: no polygons or lines"),
            "{}",
            e.message
        );
        assert!(b.sources.is_empty());
        b.add_places(&points, &Default::default()).unwrap();
        assert_eq!((b.place_count(), b.sources[0].features), (1, 1));
    }

    #[test]
    fn the_bundled_countries_are_armenia_and_azerbaijan() {
        let b = Basemap::bundled();
        let names: Vec<&str> = b.countries.iter().map(|(n, _)| n[""].as_str()).collect();
        assert_eq!(names, ["Armenia", "Azerbaijan"]);
        assert!(b.sources.iter().all(|s| s.file.sha256.len() == 64));
        // The zoom-6 tile of 45°E 40°N holds both.
        let p = terminus_cartography::tiles::mercator(45.2, 40.0);
        let t = b.countries_tile(6, (p[0] * 64.0) as u32, (p[1] * 64.0) as u32);
        assert!(t.windows(7).any(|w| w == b"Armenia"));
        assert!(t.windows(10).any(|w| w == b"Azerbaijan"));
        assert!(b.countries_tile(6, 0, 0).is_empty());
    }
}
