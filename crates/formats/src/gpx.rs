//! GPX 1.1 (and 1.0): what GNSS receivers read and record.
//!
//! Reading gives up to three layers, as GDAL names them: `waypoints`
//! (points, `ele` as height), `routes` (lines) and `tracks` (multi-lines, one
//! part per `trkseg`). The standard child elements (`name`, `time`, `desc`,
//! `sym` …) are attributes; so are the simple elements inside
//! `<extensions>`, which is where Terminus writes every other attribute
//! (`<terminus:attr name=".." type="..">`), so nothing is lost.
//!
//! Writing: points become `wpt`, lines `rte`, multi-lines `trk`. GPX is WGS 84
//! by definition: other CRSs, polygons and multipoints are refused.

use crate::xml::{self, esc, line_of, Element};
use crate::{atomic_write, FormatError, ReadOptions, Result};
use indexmap::IndexMap;
use std::path::Path;
use terminus_geodesy::Crs;
use terminus_vector::{Coord, Dataset, Feature, FieldKind, Geometry, Layer, Value};

/// Namespace of Terminus' GPX extension elements.
pub const EXTENSION_NS: &str = "urn:terminus:gpx:1";

/// Standard GPX elements of wpt/rte/trk that are kept as attributes, in the
/// order the GPX 1.1 schema requires them.
const STANDARD: &[&str] = &[
    "time",
    "magvar",
    "geoidheight",
    "name",
    "cmt",
    "desc",
    "src",
    "sym",
    "type",
    "fix",
    "sat",
    "hdop",
    "vdop",
    "pdop",
    "ageofdgpsdata",
    "dgpsid",
    "number",
];

/// Read a `.gpx` file.
pub fn read(path: &Path, opts: &ReadOptions) -> Result<Dataset> {
    if let Some(c) = &opts.crs {
        if *c != Crs::WGS84 {
            return Err(FormatError::crs(
                path,
                format!(
                    "GPX is WGS 84 by definition; --crs {} contradicts it",
                    c.id()
                ),
            ));
        }
    }
    let text = std::fs::read_to_string(path).map_err(|e| FormatError::io(path, e))?;
    let root = xml::parse(&text).map_err(|m| FormatError::malformed(path, "", m))?;
    if root.name != "gpx" {
        return Err(FormatError::malformed(
            path,
            "",
            format!("root element is <{}>, not <gpx>", root.name),
        ));
    }
    let mut wpts = Layer::new("waypoints", Crs::WGS84);
    let mut rtes = Layer::new("routes", Crs::WGS84);
    let mut trks = Layer::new("tracks", Crs::WGS84);
    let err = |el: &Element, what: String| {
        FormatError::malformed(
            path,
            format!("line {}, <{}>", line_of(&text, el.pos), el.name),
            what,
        )
    };
    let point = |el: &Element| -> Result<Coord> {
        let num = |k: &str| -> Result<f64> {
            let v = el
                .attr(k)
                .ok_or_else(|| err(el, format!("missing attribute {k}")))?;
            v.trim()
                .parse::<f64>()
                .map_err(|_| err(el, format!("{k}={v:?} is not a number")))
        };
        let lat = num("lat")?;
        let lon = num("lon")?;
        if lat.abs() > 90.0 || lon.abs() > 180.0 {
            return Err(err(
                el,
                format!("lat={lat} lon={lon} is out of range (lat ±90°, lon ±180°): swapped?"),
            ));
        }
        let z = match el.child_text("ele") {
            Some(t) if !t.is_empty() => Some(
                t.parse::<f64>()
                    .map_err(|_| err(el, format!("ele {t:?} is not a number")))?,
            ),
            _ => None,
        };
        Ok(Coord { x: lon, y: lat, z })
    };
    for c in &root.children {
        match c.name.as_str() {
            "wpt" => wpts.features.push(Feature {
                id: None,
                geometry: Some(Geometry::Point(point(c)?)),
                properties: attributes(c),
            }),
            "rte" => {
                let pts = c
                    .children_named("rtept")
                    .map(point)
                    .collect::<Result<Vec<_>>>()?;
                rtes.features.push(Feature {
                    id: None,
                    geometry: Some(Geometry::LineString(pts)),
                    properties: attributes(c),
                });
            }
            "trk" => {
                let segs = c
                    .children_named("trkseg")
                    .map(|s| {
                        s.children_named("trkpt")
                            .map(point)
                            .collect::<Result<Vec<_>>>()
                    })
                    .collect::<Result<Vec<_>>>()?;
                trks.features.push(Feature {
                    id: None,
                    geometry: Some(Geometry::MultiLineString(segs)),
                    properties: attributes(c),
                });
            }
            _ => {}
        }
    }
    Ok(Dataset {
        layers: [wpts, rtes, trks]
            .into_iter()
            .filter(|l| !l.features.is_empty())
            .collect(),
    })
}

fn attributes(el: &Element) -> IndexMap<String, Value> {
    let mut props = IndexMap::new();
    for c in &el.children {
        if STANDARD.contains(&c.name.as_str()) && c.children.is_empty() {
            props.insert(c.name.clone(), Value::String(c.text.trim().to_string()));
        }
    }
    if let Some(ext) = el.child("extensions") {
        for c in &ext.children {
            if !c.children.is_empty() {
                continue;
            }
            let (name, kind) = match (c.name.as_str(), c.attr("name")) {
                ("attr", Some(n)) => (n.to_string(), kind_of(c.attr("type").unwrap_or("string"))),
                (n, _) => (n.to_string(), FieldKind::String),
            };
            let t = c.text.trim();
            let v = if c.attr("null") == Some("true") {
                Value::Null
            } else {
                Value::from_text(t, kind)
            };
            props.insert(name, v);
        }
    }
    props
}

fn kind_of(t: &str) -> FieldKind {
    match t {
        "integer" => FieldKind::Integer,
        "real" => FieldKind::Real,
        "boolean" => FieldKind::Bool,
        "json" => FieldKind::Json,
        _ => FieldKind::String,
    }
}

fn kind_name(k: FieldKind) -> &'static str {
    match k {
        FieldKind::Integer => "integer",
        FieldKind::Real => "real",
        FieldKind::Bool => "boolean",
        FieldKind::Json => "json",
        _ => "string",
    }
}

fn pt(s: &mut String, tag: &str, c: &Coord, inner: &str) {
    s.push_str(&format!("<{tag} lat=\"{}\" lon=\"{}\">", c.y, c.x));
    if let Some(z) = c.z {
        s.push_str(&format!("<ele>{z}</ele>"));
    }
    s.push_str(inner);
    s.push_str(&format!("</{tag}>\n"));
}

/// The standard elements and the extensions of one feature.
fn feature_elements(f: &Feature, layer: &Layer) -> String {
    let mut s = String::new();
    for key in STANDARD {
        if let Some(Value::String(v)) = f.properties.get(*key) {
            s.push_str(&format!("<{key}>{}</{key}>", esc(v)));
        }
    }
    let fields = layer.fields();
    let others: Vec<_> = fields
        .iter()
        .filter(|fd| {
            !(STANDARD.contains(&fd.name.as_str())
                && matches!(f.properties.get(&fd.name), Some(Value::String(_))))
        })
        .filter(|fd| f.properties.contains_key(&fd.name))
        .collect();
    if !others.is_empty() {
        s.push_str("<extensions>");
        for fd in others {
            let v = &f.properties[&fd.name];
            match v.to_text() {
                Some(t) => s.push_str(&format!(
                    "<terminus:attr name=\"{}\" type=\"{}\">{}</terminus:attr>",
                    esc(&fd.name),
                    kind_name(fd.kind),
                    esc(&t)
                )),
                None => s.push_str(&format!(
                    "<terminus:attr name=\"{}\" null=\"true\"/>",
                    esc(&fd.name)
                )),
            }
        }
        s.push_str("</extensions>");
    }
    s
}

/// Write a `.gpx` file.
pub fn write(path: &Path, ds: &Dataset) -> Result<()> {
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx version=\"1.1\" creator=\"Terminus\" xmlns=\"http://www.topografix.com/GPX/1/1\" xmlns:terminus=\"{EXTENSION_NS}\">\n"
    );
    // GPX 1.1 orders all wpt before rte before trk.
    let mut wpt = String::new();
    let mut rte = String::new();
    let mut trk = String::new();
    for layer in &ds.layers {
        if layer.crs != Crs::WGS84 {
            return Err(FormatError::unsupported(
                path,
                format!("GPX holds only WGS 84 and layer {:?} is in {}: convert with --to-crs EPSG:4326 (and --op to name the datum transformation)", layer.name, layer.crs.id()),
            ));
        }
        for (k, f) in layer.features.iter().enumerate() {
            let inner = feature_elements(f, layer);
            match &f.geometry {
                Some(Geometry::Point(c)) => pt(&mut wpt, "wpt", c, &inner),
                Some(Geometry::LineString(p)) => {
                    rte.push_str("<rte>");
                    rte.push_str(&inner);
                    rte.push('\n');
                    for c in p {
                        pt(&mut rte, "rtept", c, "");
                    }
                    rte.push_str("</rte>\n");
                }
                Some(Geometry::MultiLineString(ps)) => {
                    trk.push_str("<trk>");
                    trk.push_str(&inner);
                    trk.push('\n');
                    for p in ps {
                        trk.push_str("<trkseg>\n");
                        for c in p {
                            pt(&mut trk, "trkpt", c, "");
                        }
                        trk.push_str("</trkseg>\n");
                    }
                    trk.push_str("</trk>\n");
                }
                Some(other) => {
                    return Err(FormatError::unsupported(
                        path,
                        format!(
                            "layer {:?}, feature {k}: GPX holds points, routes and tracks, not a {}: write KML or GeoPackage",
                            layer.name,
                            other.geometry_type()
                        ),
                    ))
                }
                None => {
                    return Err(FormatError::unsupported(path, format!("layer {:?}, feature {k}: GPX cannot hold a feature without a position", layer.name)))
                }
            }
        }
    }
    s.push_str(&wpt);
    s.push_str(&rte);
    s.push_str(&trk);
    s.push_str("</gpx>\n");
    atomic_write(path, |tmp| {
        std::fs::write(tmp, s.as_bytes()).map_err(|e| FormatError::io(path, e))
    })
}
