//! Streaming GeoJSON reader.

use crate::{FormatError, LayerSink, ReadOptions, Result};
use indexmap::IndexMap;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;
use std::io::{BufReader, Read};
use std::path::Path;
use terminus_geodesy::Crs;
use terminus_vector::{Coord, Feature, FeatureId, Geometry, Polygon, Value};

/// Read a GeoJSON file (FeatureCollection, Feature or bare geometry) into
/// `sink` as one layer named after the file (or its `name` member).
pub fn read_into(path: &Path, opts: &ReadOptions, sink: &mut dyn LayerSink) -> Result<()> {
    read_with_limit(path, opts, sink, IN_MEMORY_LIMIT)
}

/// Files up to this size are parsed from memory, larger ones streamed.
const IN_MEMORY_LIMIT: u64 = 256 << 20;

fn read_with_limit(
    path: &Path,
    opts: &ReadOptions,
    sink: &mut dyn LayerSink,
    in_memory_limit: u64,
) -> Result<()> {
    let file = std::fs::File::open(path).map_err(|e| FormatError::io(path, e))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(u64::MAX);
    let mut reader = ProgressRead {
        inner: file,
        read: 0,
        reported: 0,
        progress: opts.progress.clone(),
    };
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("layer")
        .to_string();
    let mut state = State {
        path,
        sink,
        layer_name: stem,
        crs: None,
        assumed: opts.crs.clone(),
        started: false,
        feature_index: 0,
        in_features: false,
        failure: None,
    };
    // Files that fit comfortably in memory are read whole and parsed from
    // the slice: serde_json's slice reader is about twice as fast as its
    // byte-at-a-time reader (0.1 s less per 35 MB line). Larger files
    // stream, so memory stays bounded by the geometry itself.
    let outcome = if size <= in_memory_limit {
        let mut bytes = Vec::with_capacity(size as usize + 1);
        reader
            .read_to_end(&mut bytes)
            .map_err(|e| FormatError::io(path, e))?;
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        TopSeed { state: &mut state }
            .deserialize(&mut de)
            .and_then(|()| de.end())
    } else {
        let mut de =
            serde_json::Deserializer::from_reader(BufReader::with_capacity(1 << 20, reader));
        TopSeed { state: &mut state }
            .deserialize(&mut de)
            .and_then(|()| de.end())
    };
    if let Some(err) = state.failure.take() {
        return Err(err);
    }
    if let Err(e) = outcome {
        let at = if state.in_features {
            format!(
                "feature {}, line {}, column {}",
                state.feature_index,
                e.line(),
                e.column()
            )
        } else {
            format!("line {}, column {}", e.line(), e.column())
        };
        let msg = e.to_string();
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        let msg = if e.is_eof() {
            format!("the file ends early ({msg}): truncated?")
        } else {
            msg
        };
        return Err(FormatError::malformed(path, at, msg));
    }
    if !state.started {
        state.begin()?;
    }
    state.sink.end_layer()
}

struct ProgressRead<R> {
    inner: R,
    read: u64,
    reported: u64,
    progress: Option<crate::ByteProgress>,
}

impl<R: Read> Read for ProgressRead<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if let Some(p) = &self.progress {
            if self.read - self.reported >= 1 << 20 || n == 0 {
                self.reported = self.read;
                p(self.read);
            }
        }
        Ok(n)
    }
}

struct State<'a> {
    path: &'a Path,
    sink: &'a mut dyn LayerSink,
    layer_name: String,
    /// The CRS the file declares in a `crs` member.
    crs: Option<Crs>,
    /// The CRS the user says the file is in.
    assumed: Option<Crs>,
    started: bool,
    feature_index: usize,
    in_features: bool,
    failure: Option<FormatError>,
}

impl State<'_> {
    fn layer_crs(&self) -> Crs {
        self.crs
            .clone()
            .or_else(|| self.assumed.clone())
            .unwrap_or(Crs::WGS84)
    }

    fn begin(&mut self) -> Result<()> {
        self.started = true;
        let crs = self.layer_crs();
        self.sink.begin_layer(&self.layer_name, &crs, &[])
    }

    fn set_crs(&mut self, member: serde_json::Value) -> Result<()> {
        let path = self.path;
        let name = member
            .get("properties")
            .and_then(|p| p.get("name"))
            .and_then(|n| n.as_str())
            .ok_or_else(|| {
                FormatError::crs(
                    path,
                    format!("the `crs` member {member} is not of the form {{\"type\":\"name\",\"properties\":{{\"name\":\"EPSG:…\"}}}}; linked CRSs are not supported"),
                )
            })?;
        let crs =
            Crs::parse(name).map_err(|e| FormatError::crs(path, format!("`crs` member: {e}")))?;
        if let Some(assumed) = &self.assumed {
            if assumed != &crs {
                return Err(FormatError::crs(
                    path,
                    format!(
                        "the file declares {} but --crs says {}",
                        crs.id(),
                        assumed.id()
                    ),
                ));
            }
        }
        if self.started && crs != self.layer_crs() {
            return Err(FormatError::crs(
                path,
                "the `crs` member comes after the features; Terminus reads files that declare their CRS before the features",
            ));
        }
        self.crs = Some(crs);
        Ok(())
    }

    fn fail<E: de::Error>(&mut self, err: FormatError) -> E {
        self.failure = Some(err);
        E::custom("stopped")
    }
}

/// The top-level object.
struct TopSeed<'s, 'a> {
    state: &'s mut State<'a>,
}

impl<'de> DeserializeSeed<'de> for TopSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TopSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a GeoJSON object (FeatureCollection, Feature or geometry)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        let state = self.state;
        let mut rest = serde_json::Map::new();
        let mut had_features = false;
        let mut kind: Option<String> = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "features" => {
                    had_features = true;
                    map.next_value_seed(FeaturesSeed { state: &mut *state })?;
                }
                "crs" => {
                    let v: serde_json::Value = map.next_value()?;
                    if !v.is_null() {
                        if let Err(e) = state.set_crs(v) {
                            return Err(state.fail(e));
                        }
                    }
                }
                "name" if kind.as_deref() != Some("Feature") => {
                    let v: serde_json::Value = map.next_value()?;
                    if let Some(s) = v.as_str() {
                        state.layer_name = s.to_string();
                    }
                    rest.insert(key, v);
                }
                "type" => {
                    let v: String = map.next_value()?;
                    kind = Some(v.clone());
                    rest.insert(key, serde_json::Value::String(v));
                }
                _ => {
                    let v: serde_json::Value = map.next_value()?;
                    rest.insert(key, v);
                }
            }
        }
        match kind.as_deref() {
            Some("FeatureCollection") => {
                if !had_features {
                    return Err(de::Error::custom(
                        "FeatureCollection without a `features` array",
                    ));
                }
                Ok(())
            }
            Some("Feature") => {
                let f = FeatureSeed
                    .deserialize(serde_json::Value::Object(rest))
                    .map_err(de::Error::custom)?;
                emit(state, f)
            }
            Some(t) if GEOMETRY_TYPES.contains(&t) => {
                let g = GeometrySeed
                    .deserialize(serde_json::Value::Object(rest))
                    .map_err(de::Error::custom)?;
                emit(
                    state,
                    Feature {
                        geometry: Some(g),
                        ..Default::default()
                    },
                )
            }
            Some(t) => Err(de::Error::custom(format!(
                "unknown GeoJSON type {t:?}; expected FeatureCollection, Feature or a geometry"
            ))),
            None => Err(de::Error::custom("no `type` member: this is not GeoJSON")),
        }
    }
}

fn emit<E: de::Error>(state: &mut State, f: Feature) -> std::result::Result<(), E> {
    if !state.started {
        if let Err(e) = state.begin() {
            return Err(state.fail(e));
        }
    }
    if let Err(e) = state.sink.feature(f) {
        return Err(state.fail(e));
    }
    Ok(())
}

const GEOMETRY_TYPES: [&str; 7] = [
    "Point",
    "LineString",
    "Polygon",
    "MultiPoint",
    "MultiLineString",
    "MultiPolygon",
    "GeometryCollection",
];

struct FeaturesSeed<'s, 'a> {
    state: &'s mut State<'a>,
}

impl<'de> DeserializeSeed<'de> for FeaturesSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for FeaturesSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of features")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        let state = self.state;
        state.in_features = true;
        while let Some(f) = seq.next_element_seed(FeatureSeed)? {
            emit(state, f)?;
            state.feature_index += 1;
        }
        state.in_features = false;
        Ok(())
    }
}

/// One feature.
struct FeatureSeed;

impl<'de> DeserializeSeed<'de> for FeatureSeed {
    type Value = Feature;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Feature, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FeatureSeed {
    type Value = Feature;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a GeoJSON Feature object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Feature, A::Error> {
        let mut feature = Feature::default();
        let mut kind: Option<String> = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "type" => kind = Some(map.next_value()?),
                "id" => {
                    let v: serde_json::Value = map.next_value()?;
                    feature.id = match v {
                        serde_json::Value::Number(n) if n.is_i64() => {
                            n.as_i64().map(FeatureId::Int)
                        }
                        serde_json::Value::Number(n) => Some(FeatureId::String(n.to_string())),
                        serde_json::Value::String(s) => Some(FeatureId::String(s)),
                        serde_json::Value::Null => None,
                        other => {
                            return Err(de::Error::custom(format!(
                                "feature id must be a string or number, found {other}"
                            )))
                        }
                    };
                }
                "geometry" => feature.geometry = map.next_value_seed(OptionalGeometrySeed)?,
                "properties" => {
                    let props: Option<IndexMap<String, serde_json::Value>> = map.next_value()?;
                    feature.properties = props
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(k, v)| (k, Value::from_json(v)))
                        .collect();
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        match kind.as_deref() {
            Some("Feature") => Ok(feature),
            Some(other) => Err(de::Error::custom(format!(
                "expected a Feature, found type {other:?}"
            ))),
            None => Err(de::Error::custom("feature without \"type\": \"Feature\"")),
        }
    }
}

struct OptionalGeometrySeed;

impl<'de> DeserializeSeed<'de> for OptionalGeometrySeed {
    type Value = Option<Geometry>;
    fn deserialize<D: Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Option<Geometry>, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for OptionalGeometrySeed {
    type Value = Option<Geometry>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a geometry or null")
    }
    fn visit_none<E: de::Error>(self) -> std::result::Result<Option<Geometry>, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> std::result::Result<Option<Geometry>, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Option<Geometry>, D::Error> {
        GeometrySeed.deserialize(d).map(Some)
    }
}

/// One geometry object.
struct GeometrySeed;

impl<'de> DeserializeSeed<'de> for GeometrySeed {
    type Value = Geometry;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Geometry, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for GeometrySeed {
    type Value = Geometry;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a GeoJSON geometry object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Geometry, A::Error> {
        let mut kind: Option<String> = None;
        let mut tree: Option<CoordTree> = None;
        let mut members: Option<Vec<Geometry>> = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "type" => kind = Some(map.next_value()?),
                "coordinates" => {
                    let mut t = CoordTree::default();
                    map.next_value_seed(NestedSeed {
                        tree: &mut t,
                        level: 0,
                    })?;
                    tree = Some(t);
                }
                "geometries" => members = Some(map.next_value_seed(GeometryListSeed)?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let kind = kind.ok_or_else(|| de::Error::custom("geometry without a `type`"))?;
        if kind == "GeometryCollection" {
            return members
                .map(Geometry::GeometryCollection)
                .ok_or_else(|| de::Error::custom("GeometryCollection without `geometries`"));
        }
        let tree =
            tree.ok_or_else(|| de::Error::custom(format!("{kind} without `coordinates`")))?;
        tree.build(&kind).map_err(de::Error::custom)
    }
}

struct GeometryListSeed;

impl<'de> DeserializeSeed<'de> for GeometryListSeed {
    type Value = Vec<Geometry>;
    fn deserialize<D: Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Vec<Geometry>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for GeometryListSeed {
    type Value = Vec<Geometry>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of geometries")
    }
    fn visit_seq<A: SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Vec<Geometry>, A::Error> {
        let mut out = Vec::new();
        while let Some(g) = seq.next_element_seed(GeometrySeed)? {
            out.push(g);
        }
        Ok(out)
    }
}

/// Nested coordinate arrays, parsed without knowing the geometry type yet
/// (`coordinates` may come before `type`): positions in one flat list, and
/// for each nesting level the element counts of its arrays in closing
/// order. The k-th array at level L owns the next `counts[L][k]` arrays (or
/// positions) of level L + 1.
#[derive(Default)]
struct CoordTree {
    positions: Vec<Coord>,
    counts: [Vec<usize>; 4],
    /// Nesting level of the position arrays.
    position_level: Option<usize>,
}

impl CoordTree {
    fn build(self, kind: &str) -> std::result::Result<Geometry, String> {
        let want = match kind {
            "Point" => 0,
            "LineString" | "MultiPoint" => 1,
            "Polygon" | "MultiLineString" => 2,
            "MultiPolygon" => 3,
            other => return Err(format!("unknown geometry type {other:?}")),
        };
        if let Some(level) = self.position_level {
            if level != want {
                return Err(format!(
                    "{kind} coordinates must nest positions {want} arrays deep, found {level}"
                ));
            }
        }
        if self.counts.get(want).is_some_and(|c| !c.is_empty())
            || self.counts.iter().skip(want + 1).any(|c| !c.is_empty())
        {
            return Err(format!(
                "{kind} coordinates contain an empty position or nest too deep"
            ));
        }
        let CoordTree {
            positions, counts, ..
        } = self;
        let mut pos = positions.into_iter();
        let take = |it: &mut std::vec::IntoIter<Coord>, n: usize| -> Vec<Coord> {
            it.by_ref().take(n).collect()
        };
        Ok(match want {
            0 => match pos.next() {
                Some(c) => Geometry::Point(c),
                None => return Err("Point with empty coordinates".into()),
            },
            1 if kind == "LineString" => Geometry::LineString(pos.collect()),
            1 => Geometry::MultiPoint(pos.collect()),
            2 => {
                let parts: Vec<Vec<Coord>> = counts[1].iter().map(|&n| take(&mut pos, n)).collect();
                if kind == "Polygon" {
                    Geometry::Polygon(Polygon::new(parts))
                } else {
                    Geometry::MultiLineString(parts)
                }
            }
            _ => {
                let mut rings = counts[2].iter().map(|&n| take(&mut pos, n));
                Geometry::MultiPolygon(
                    counts[1]
                        .iter()
                        .map(|&n| Polygon::new(rings.by_ref().take(n).collect()))
                        .collect(),
                )
            }
        })
    }
}

struct NestedSeed<'t> {
    tree: &'t mut CoordTree,
    level: usize,
}

impl<'de> DeserializeSeed<'de> for NestedSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

enum Element {
    Number(f64),
    Array,
}

struct ElementSeed<'t> {
    tree: &'t mut CoordTree,
    level: usize,
}

impl<'de> DeserializeSeed<'de> for ElementSeed<'_> {
    type Value = Element;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Element, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ElementSeed<'_> {
    type Value = Element;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number or an array of coordinates")
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Element, E> {
        Ok(Element::Number(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Element, E> {
        Ok(Element::Number(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Element, E> {
        Ok(Element::Number(v as f64))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> std::result::Result<Element, A::Error> {
        NestedSeed {
            tree: self.tree,
            level: self.level,
        }
        .visit_seq(seq)?;
        Ok(Element::Array)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Element, E> {
        Err(E::custom(format!(
            "coordinate {v:?} is a string, not a number"
        )))
    }
    fn visit_unit<E: de::Error>(self) -> std::result::Result<Element, E> {
        Err(E::custom("coordinate is null, not a number"))
    }
}

impl<'de> Visitor<'de> for NestedSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of coordinates")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        let level = self.level;
        let tree = self.tree;
        let mut numbers = [0.0f64; 3];
        let mut n_numbers = 0usize;
        let mut n_arrays = 0usize;
        while let Some(e) = seq.next_element_seed(ElementSeed {
            tree: &mut *tree,
            level: level + 1,
        })? {
            match e {
                Element::Number(v) => {
                    if n_arrays > 0 {
                        return Err(de::Error::custom("an array mixes numbers and arrays"));
                    }
                    if n_numbers < 3 {
                        numbers[n_numbers] = v;
                    }
                    n_numbers += 1;
                }
                Element::Array => {
                    if n_numbers > 0 {
                        return Err(de::Error::custom("an array mixes numbers and arrays"));
                    }
                    n_arrays += 1;
                }
            }
        }
        if n_numbers > 0 {
            if n_numbers < 2 {
                return Err(de::Error::custom("a position needs at least 2 numbers"));
            }
            match tree.position_level {
                Some(l) if l != level => {
                    return Err(de::Error::custom("positions at different nesting depths"));
                }
                _ => tree.position_level = Some(level),
            }
            // Extra elements beyond the third (measures) are ignored, as RFC 7946 §3.1.1 allows.
            tree.positions.push(if n_numbers >= 3 {
                Coord::xyz(numbers[0], numbers[1], numbers[2])
            } else {
                Coord::xy(numbers[0], numbers[1])
            });
        } else if level < tree.counts.len() {
            tree.counts[level].push(n_arrays);
        } else {
            return Err(de::Error::custom("coordinates nested too deep"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sink::DatasetCollector;

    /// What a file reads as (or the error it gives), parsed from memory
    /// and streamed.
    fn both_ways(text: &str) -> [std::result::Result<String, String>; 2] {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("line.geojson");
        std::fs::write(&path, text).expect("write the sample");
        [u64::MAX, 0].map(|limit| {
            let mut sink = DatasetCollector::default();
            read_with_limit(&path, &ReadOptions::default(), &mut sink, limit)
                .map(|()| format!("{:?}", sink.into_dataset()))
                .map_err(|e| e.to_string())
        })
    }

    #[test]
    fn memory_and_streaming_read_the_same_features_and_the_same_errors() {
        let good = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"name":"A"},"geometry":{"type":"LineString","coordinates":[[45.0,41.0],[45.1,41.05]]}},
            {"type":"Feature","properties":{"name":"B"},"geometry":{"type":"Point","coordinates":[46.5,39.25]}}]}"#;
        let [memory, streamed] = both_ways(good);
        let memory = memory.expect("a valid file reads");
        assert!(
            memory.contains("45.1") && memory.contains("39.25"),
            "{memory}"
        );
        assert_eq!(Ok(memory), streamed);

        let cut = &good[..good.len() - 40];
        let [memory, streamed] = both_ways(cut);
        let memory = memory.expect_err("a truncated file is refused");
        assert!(memory.contains("ends early"), "{memory}");
        assert_eq!(Err(memory), streamed);

        let bad = good.replace("41.05", "41.0.5");
        let [memory, streamed] = both_ways(&bad);
        let memory = memory.expect_err("a malformed number is refused");
        assert!(
            memory.contains("feature 0") && memory.contains("line 2"),
            "{memory}"
        );
        assert_eq!(Err(memory), streamed);
    }
}
