//! KML 2.2 (OGC 07-147r2) and KMZ (zipped KML), the formats of Google Earth
//! and of most field teams' phones.
//!
//! Reading: each `Folder` (and the `Document` itself, for placemarks not in
//! a folder) is a layer. A `Placemark`'s `id` is its feature id; `name`,
//! `description`, `ExtendedData/Data` and `SchemaData/SimpleData` are its
//! attributes, typed by the document's `Schema` where one is declared.
//! Geometries: Point, LineString, LinearRing, Polygon, MultiGeometry,
//! `gx:Track` and `gx:MultiTrack` (as lines).
//!
//! Writing: one `Folder` per layer with a typed `Schema`, attributes as
//! `SchemaData`. KML coordinates are WGS 84 longitude/latitude by definition
//! (OGC 07-147r2 §6.2), so layers in any other CRS are refused rather than
//! mislabelled.

use crate::xml::{self, esc, line_of, Element};
use crate::{atomic_write, FormatError, ReadOptions, Result};
use indexmap::IndexMap;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::Path;
use terminus_geodesy::Crs;
use terminus_vector::{
    Coord, Dataset, Feature, FeatureId, Field, FieldKind, Geometry, Layer, Polygon, Value,
};

/// Read a `.kml` file.
pub fn read(path: &Path, opts: &ReadOptions) -> Result<Dataset> {
    let text = std::fs::read_to_string(path).map_err(|e| FormatError::io(path, e))?;
    parse_document(path, &text, opts)
}

/// The most a KMZ's KML may inflate to (a 1-million-vertex line is about
/// 40 MB of KML).
pub const MAX_KML_BYTES: u64 = 512 << 20;

/// Read a `.kmz` file (its `doc.kml`, or the first `.kml` inside).
pub fn read_kmz(path: &Path, opts: &ReadOptions) -> Result<Dataset> {
    let file = std::fs::File::open(path).map_err(|e| FormatError::io(path, e))?;
    let mut zip = zip::ZipArchive::new(file)
        .map_err(|e| FormatError::malformed(path, "", format!("not a KMZ (zip) file: {e}")))?;
    let names: Vec<String> = zip.file_names().map(str::to_string).collect();
    let name = names
        .iter()
        .find(|n| n.eq_ignore_ascii_case("doc.kml"))
        .or_else(|| {
            names
                .iter()
                .find(|n| n.to_ascii_lowercase().ends_with(".kml"))
        })
        .ok_or_else(|| FormatError::malformed(path, "", "the KMZ holds no .kml file"))?
        .clone();
    let mut entry = zip
        .by_name(&name)
        .map_err(|e| FormatError::malformed(path, name.clone(), e.to_string()))?;
    // The inflated size is capped as it is read (the size the archive
    // declares may lie): a 2 MB KMZ that inflates to gigabytes is refused.
    let mut text = String::new();
    let read = std::io::Read::take(&mut entry, MAX_KML_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| FormatError::malformed(path, name.clone(), e.to_string()))?;
    if read as u64 > MAX_KML_BYTES {
        return Err(FormatError::malformed(
            path,
            name,
            format!(
                "it inflates to more than {} MiB; a KMZ's KML is refused beyond that (unzip it and read the .kml, or split it)",
                MAX_KML_BYTES >> 20
            ),
        ));
    }
    parse_document(path, &text, opts)
}

fn parse_document(path: &Path, text: &str, opts: &ReadOptions) -> Result<Dataset> {
    if let Some(c) = &opts.crs {
        if *c != Crs::WGS84 {
            return Err(FormatError::crs(
                path,
                format!(
                    "KML is WGS 84 by definition; --crs {} contradicts it",
                    c.id()
                ),
            ));
        }
    }
    let root = xml::parse(text).map_err(|m| FormatError::malformed(path, "", m))?;
    if root.name != "kml" {
        return Err(FormatError::malformed(
            path,
            "",
            format!("root element is <{}>, not <kml>", root.name),
        ));
    }
    // Declared attribute types, by schema id and name.
    let mut schemas: HashMap<String, Vec<Field>> = HashMap::new();
    collect_schemas(&root, &mut schemas);
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("layer")
        .to_string();
    let mut r = KmlReader {
        path,
        text,
        schemas,
        layers: Vec::new(),
        index: 0,
    };
    r.container(&root, &stem)?;
    Ok(Dataset {
        layers: r
            .layers
            .into_iter()
            .filter(|l| !l.features.is_empty())
            .collect(),
    })
}

fn collect_schemas(el: &Element, out: &mut HashMap<String, Vec<Field>>) {
    for c in &el.children {
        if c.name == "Schema" {
            let id = c.attr("id").or(c.attr("name")).unwrap_or("").to_string();
            let fields = c
                .children_named("SimpleField")
                .map(|f| Field {
                    name: f.attr("name").unwrap_or("").to_string(),
                    kind: match f
                        .attr("type")
                        .unwrap_or("string")
                        .to_ascii_lowercase()
                        .as_str()
                    {
                        "int" | "uint" | "short" | "ushort" => FieldKind::Integer,
                        "float" | "double" => FieldKind::Real,
                        "bool" => FieldKind::Bool,
                        _ => FieldKind::String,
                    },
                })
                .collect();
            out.insert(id, fields);
        } else {
            collect_schemas(c, out);
        }
    }
}

struct KmlReader<'a> {
    path: &'a Path,
    text: &'a str,
    schemas: HashMap<String, Vec<Field>>,
    layers: Vec<Layer>,
    /// Placemark index in document order, for error messages.
    index: usize,
}

impl KmlReader<'_> {
    fn err(&self, el: &Element, what: String) -> FormatError {
        FormatError::malformed(
            self.path,
            format!(
                "line {}, placemark {}",
                line_of(self.text, el.pos),
                self.index
            ),
            what,
        )
    }

    /// A Document or Folder: its own placemarks form a layer; sub-folders
    /// form their own.
    fn container(&mut self, el: &Element, default_name: &str) -> Result<()> {
        let name = el
            .child_text("name")
            .filter(|n| !n.is_empty())
            .unwrap_or(default_name)
            .to_string();
        let slot = self.layers.len();
        self.layers.push(Layer::new(name.clone(), Crs::WGS84));
        for c in &el.children {
            match c.name.as_str() {
                "Placemark" => {
                    let f = self.placemark(c)?;
                    self.layers[slot].features.push(f);
                    self.index += 1;
                }
                "Document" | "Folder" => self.container(c, &name)?,
                _ => {}
            }
        }
        // Declared kinds of the layer: those of schemas its placemarks use.
        let mut declared: Vec<Field> = Vec::new();
        for f in &self.layers[slot].features {
            for (k, _) in &f.properties {
                if declared.iter().all(|d| &d.name != k) {
                    if let Some(field) = self.schemas.values().flatten().find(|s| &s.name == k) {
                        declared.push(field.clone());
                    }
                }
            }
        }
        self.layers[slot].declared_fields = declared;
        Ok(())
    }

    fn placemark(&self, pm: &Element) -> Result<Feature> {
        let mut props: IndexMap<String, Value> = IndexMap::new();
        for key in ["name", "description"] {
            if let Some(t) = pm.child(key) {
                props.insert(key.to_string(), Value::String(t.text.trim().to_string()));
            }
        }
        if let Some(ext) = pm.child("ExtendedData") {
            for d in ext.children_named("Data") {
                let name = d.attr("name").unwrap_or("").to_string();
                let v = d.child_text("value").unwrap_or("");
                props.insert(
                    name,
                    if v.is_empty() {
                        Value::Null
                    } else {
                        Value::String(v.to_string())
                    },
                );
            }
            for sd in ext.children_named("SchemaData") {
                let schema = sd.attr("schemaUrl").unwrap_or("").trim_start_matches('#');
                let fields = self.schemas.get(schema);
                for s in sd.children_named("SimpleData") {
                    let name = s.attr("name").unwrap_or("").to_string();
                    let kind = fields
                        .and_then(|fs| fs.iter().find(|f| f.name == name))
                        .map_or(FieldKind::String, |f| f.kind);
                    let t = s.text.trim();
                    let v = if t.is_empty() && kind != FieldKind::String {
                        Value::Null
                    } else {
                        Value::from_text(t, kind)
                    };
                    props.insert(name, v);
                }
            }
        }
        let geometry = pm
            .children
            .iter()
            .find(|c| is_geometry(&c.name))
            .map(|g| self.geometry(g))
            .transpose()?;
        Ok(Feature {
            id: pm.attr("id").map(|s| FeatureId::String(s.to_string())),
            geometry,
            properties: props,
        })
    }

    fn coords(&self, el: &Element) -> Result<Vec<Coord>> {
        let text = el.child_text("coordinates").unwrap_or("");
        let mut out = Vec::new();
        for (k, tuple) in text.split_whitespace().enumerate() {
            let nums: Vec<&str> = tuple.split(',').collect();
            if nums.len() < 2 || nums.len() > 3 {
                return Err(self.err(
                    el,
                    format!("coordinate tuple {k} {tuple:?} is not lon,lat[,alt]"),
                ));
            }
            let mut v = [0.0f64; 3];
            for (i, n) in nums.iter().enumerate() {
                v[i] = n.trim().parse::<f64>().map_err(|_| {
                    self.err(
                        el,
                        format!("coordinate tuple {k} {tuple:?}: {n:?} is not a number"),
                    )
                })?;
            }
            out.push(Coord {
                x: v[0],
                y: v[1],
                z: (nums.len() == 3).then_some(v[2]),
            });
        }
        Ok(out)
    }

    fn geometry(&self, g: &Element) -> Result<Geometry> {
        Ok(match g.name.as_str() {
            "Point" => {
                let c = self.coords(g)?;
                match c.as_slice() {
                    [p] => Geometry::Point(*p),
                    _ => {
                        return Err(self.err(
                            g,
                            format!(
                                "a Point needs exactly one coordinate tuple, found {}",
                                c.len()
                            ),
                        ))
                    }
                }
            }
            "LineString" | "LinearRing" => Geometry::LineString(self.coords(g)?),
            "Polygon" => {
                let ring = |b: &Element| -> Result<Vec<Coord>> {
                    match b.child("LinearRing") {
                        Some(r) => self.coords(r),
                        None => Err(self.err(b, "boundary without a LinearRing".into())),
                    }
                };
                let outer = g
                    .child("outerBoundaryIs")
                    .ok_or_else(|| self.err(g, "Polygon without outerBoundaryIs".into()))?;
                let mut rings = vec![ring(outer)?];
                for inner in g.children_named("innerBoundaryIs") {
                    // KML allows several LinearRings in one innerBoundaryIs.
                    for r in inner.children_named("LinearRing") {
                        rings.push(self.coords(r)?);
                    }
                }
                Geometry::Polygon(Polygon::new(rings))
            }
            "Track" => {
                let mut pts = Vec::new();
                for c in g.children_named("coord") {
                    let n: Vec<f64> = c
                        .text
                        .split_whitespace()
                        .map(|t| t.parse::<f64>())
                        .collect::<std::result::Result<_, _>>()
                        .map_err(|_| {
                            self.err(
                                c,
                                format!("gx:coord {:?} is not 'lon lat [alt]'", c.text.trim()),
                            )
                        })?;
                    match n.as_slice() {
                        [x, y] => pts.push(Coord::xy(*x, *y)),
                        [x, y, z] => pts.push(Coord::xyz(*x, *y, *z)),
                        _ => {
                            return Err(self.err(
                                c,
                                format!("gx:coord {:?} is not 'lon lat [alt]'", c.text.trim()),
                            ))
                        }
                    }
                }
                Geometry::LineString(pts)
            }
            "MultiGeometry" | "MultiTrack" => {
                let parts: Vec<Geometry> = g
                    .children
                    .iter()
                    .filter(|c| is_geometry(&c.name))
                    .map(|c| self.geometry(c))
                    .collect::<Result<_>>()?;
                homogenise(parts)
            }
            other => return Err(self.err(g, format!("unsupported geometry <{other}>"))),
        })
    }
}

fn is_geometry(name: &str) -> bool {
    matches!(
        name,
        "Point"
            | "LineString"
            | "LinearRing"
            | "Polygon"
            | "MultiGeometry"
            | "Track"
            | "MultiTrack"
    )
}

/// A MultiGeometry of one kind becomes the matching multi type.
fn homogenise(parts: Vec<Geometry>) -> Geometry {
    if !parts.is_empty() && parts.iter().all(|p| matches!(p, Geometry::Point(_))) {
        return Geometry::MultiPoint(
            parts
                .into_iter()
                .filter_map(|p| {
                    if let Geometry::Point(c) = p {
                        Some(c)
                    } else {
                        None
                    }
                })
                .collect(),
        );
    }
    if !parts.is_empty() && parts.iter().all(|p| matches!(p, Geometry::LineString(_))) {
        return Geometry::MultiLineString(
            parts
                .into_iter()
                .filter_map(|p| {
                    if let Geometry::LineString(l) = p {
                        Some(l)
                    } else {
                        None
                    }
                })
                .collect(),
        );
    }
    if !parts.is_empty() && parts.iter().all(|p| matches!(p, Geometry::Polygon(_))) {
        return Geometry::MultiPolygon(
            parts
                .into_iter()
                .filter_map(|p| {
                    if let Geometry::Polygon(q) = p {
                        Some(q)
                    } else {
                        None
                    }
                })
                .collect(),
        );
    }
    Geometry::GeometryCollection(parts)
}

fn kml_type(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Integer => "int",
        FieldKind::Real => "double",
        FieldKind::Bool => "bool",
        _ => "string",
    }
}

fn schema_id(i: usize, layer: &Layer) -> String {
    let clean: String = layer
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("s{i}_{clean}")
}

/// The KML text of a dataset.
pub fn to_kml(path: &Path, ds: &Dataset) -> Result<String> {
    to_kml_styled(path, ds, &[])
}

/// A shared style: a Placemark whose text attribute `styleUrl` is
/// `#id` is drawn with it (Google Earth, QGIS).
#[derive(Debug, Clone, PartialEq)]
pub struct KmlStyle {
    /// Its id.
    pub id: String,
    /// Icon and label colour, KML's `aabbggrr`.
    pub color: String,
    /// Icon scale (1 = the default size).
    pub icon_scale: f64,
    /// Line width, pixels.
    pub line_width: f64,
}

/// KML text of `ds` with shared `styles` in its Document.
pub fn to_kml_styled(path: &Path, ds: &Dataset, styles: &[KmlStyle]) -> Result<String> {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n");
    let doc_name = path
        .file_stem()
        .and_then(|n| n.to_str())
        .unwrap_or("terminus");
    s.push_str(&format!("<name>{}</name>\n", esc(doc_name)));
    for st in styles {
        s.push_str(&format!(
            "<Style id=\"{}\"><IconStyle><color>{c}</color><scale>{}</scale></IconStyle><LabelStyle><color>{c}</color></LabelStyle><LineStyle><color>{c}</color><width>{}</width></LineStyle></Style>\n",
            esc(&st.id),
            st.icon_scale,
            st.line_width,
            c = esc(&st.color),
        ));
    }
    for (i, layer) in ds.layers.iter().enumerate() {
        if layer.crs != Crs::WGS84 {
            return Err(FormatError::unsupported(
                path,
                format!(
                    "KML holds only WGS 84 longitude/latitude and layer {:?} is in {}: convert with --to-crs EPSG:4326 (and --op to name the datum transformation)",
                    layer.name,
                    layer.crs.id()
                ),
            ));
        }
        let fields: Vec<Field> = layer
            .fields()
            .into_iter()
            .filter(|f| !is_element_field(f))
            .collect();
        let sid = schema_id(i, layer);
        s.push_str(&format!(
            "<Schema name=\"{}\" id=\"{}\">\n",
            esc(&layer.name),
            esc(&sid)
        ));
        for f in &fields {
            s.push_str(&format!(
                "  <SimpleField name=\"{}\" type=\"{}\"/>\n",
                esc(&f.name),
                kml_type(f.kind)
            ));
        }
        s.push_str("</Schema>\n");
    }
    for (i, layer) in ds.layers.iter().enumerate() {
        let all = layer.fields();
        let fields: Vec<&Field> = all.iter().filter(|f| !is_element_field(f)).collect();
        // KML's order: name, description, then styleUrl.
        let mut elements: Vec<&Field> = all.iter().filter(|f| is_element_field(f)).collect();
        elements.sort_by_key(|f| match f.name.as_str() {
            "name" => 0,
            "description" => 1,
            _ => 2,
        });
        let sid = schema_id(i, layer);
        s.push_str(&format!("<Folder>\n<name>{}</name>\n", esc(&layer.name)));
        for (k, f) in layer.features.iter().enumerate() {
            match &f.id {
                Some(FeatureId::String(id)) => {
                    s.push_str(&format!("<Placemark id=\"{}\">\n", esc(id)))
                }
                Some(FeatureId::Int(id)) => s.push_str(&format!("<Placemark id=\"{id}\">\n")),
                None => s.push_str("<Placemark>\n"),
            }
            for e in &elements {
                if let Some(Value::String(v)) = f.properties.get(&e.name) {
                    s.push_str(&format!("  <{0}>{1}</{0}>\n", e.name, esc(v)));
                }
            }
            if !fields.is_empty() {
                s.push_str(&format!(
                    "  <ExtendedData><SchemaData schemaUrl=\"#{}\">\n",
                    esc(&sid)
                ));
                for fd in &fields {
                    if let Some(v) = f.properties.get(&fd.name).and_then(Value::to_text) {
                        s.push_str(&format!(
                            "    <SimpleData name=\"{}\">{}</SimpleData>\n",
                            esc(&fd.name),
                            esc(&v)
                        ));
                    }
                }
                s.push_str("  </SchemaData></ExtendedData>\n");
            }
            if let Some(g) = &f.geometry {
                write_geometry(&mut s, g).map_err(|m| {
                    FormatError::unsupported(
                        path,
                        format!("layer {:?}, feature {k}: {m}", layer.name),
                    )
                })?;
            }
            s.push_str("</Placemark>\n");
        }
        s.push_str("</Folder>\n");
    }
    s.push_str("</Document>\n</kml>\n");
    Ok(s)
}

/// `name`, `description` and `styleUrl` of text kind go to the
/// Placemark's own elements.
fn is_element_field(f: &Field) -> bool {
    (f.name == "name" || f.name == "description" || f.name == "styleUrl")
        && f.kind == FieldKind::String
}

fn coords(s: &mut String, p: &[Coord]) -> std::result::Result<(), String> {
    s.push_str("<coordinates>");
    for (i, c) in p.iter().enumerate() {
        if !c.x.is_finite() || !c.y.is_finite() {
            return Err(format!("vertex {i} is not finite"));
        }
        if i > 0 {
            s.push(' ');
        }
        s.push_str(&format!("{},{}", c.x, c.y));
        if let Some(z) = c.z {
            s.push_str(&format!(",{z}"));
        }
    }
    s.push_str("</coordinates>");
    Ok(())
}

fn altitude(s: &mut String, g: &Geometry) {
    if g.has_z() {
        s.push_str("<altitudeMode>absolute</altitudeMode>");
    }
}

fn write_geometry(s: &mut String, g: &Geometry) -> std::result::Result<(), String> {
    match g {
        Geometry::Point(c) => {
            s.push_str("<Point>");
            altitude(s, g);
            coords(s, std::slice::from_ref(c))?;
            s.push_str("</Point>");
        }
        Geometry::LineString(p) => {
            s.push_str("<LineString>");
            altitude(s, g);
            coords(s, p)?;
            s.push_str("</LineString>");
        }
        Geometry::Polygon(p) => {
            s.push_str("<Polygon>");
            altitude(s, g);
            for (i, r) in p.rings.iter().enumerate() {
                s.push_str(if i == 0 {
                    "<outerBoundaryIs><LinearRing>"
                } else {
                    "<innerBoundaryIs><LinearRing>"
                });
                coords(s, r)?;
                s.push_str(if i == 0 {
                    "</LinearRing></outerBoundaryIs>"
                } else {
                    "</LinearRing></innerBoundaryIs>"
                });
            }
            s.push_str("</Polygon>");
        }
        Geometry::MultiPoint(ps) => {
            s.push_str("<MultiGeometry>");
            for c in ps {
                write_geometry(s, &Geometry::Point(*c))?;
            }
            s.push_str("</MultiGeometry>");
        }
        Geometry::MultiLineString(ps) => {
            s.push_str("<MultiGeometry>");
            for p in ps {
                write_geometry(s, &Geometry::LineString(p.clone()))?;
            }
            s.push_str("</MultiGeometry>");
        }
        Geometry::MultiPolygon(ps) => {
            s.push_str("<MultiGeometry>");
            for p in ps {
                write_geometry(s, &Geometry::Polygon(p.clone()))?;
            }
            s.push_str("</MultiGeometry>");
        }
        Geometry::GeometryCollection(gs) => {
            s.push_str("<MultiGeometry>");
            for m in gs {
                write_geometry(s, m)?;
            }
            s.push_str("</MultiGeometry>");
        }
    }
    s.push('\n');
    Ok(())
}

/// Write a `.kml` file.
pub fn write(path: &Path, ds: &Dataset) -> Result<()> {
    write_styled(path, ds, &[])
}

/// Write a `.kml` file with shared styles.
pub fn write_styled(path: &Path, ds: &Dataset, styles: &[KmlStyle]) -> Result<()> {
    let text = to_kml_styled(path, ds, styles)?;
    atomic_write(path, |tmp| {
        std::fs::write(tmp, text.as_bytes()).map_err(|e| FormatError::io(path, e))
    })
}

/// Write a `.kmz` file: `doc.kml`, deflated.
pub fn write_kmz(path: &Path, ds: &Dataset) -> Result<()> {
    let text = to_kml(path, ds)?;
    atomic_write(path, |tmp| {
        let file = std::fs::File::create(tmp).map_err(|e| FormatError::io(path, e))?;
        let mut zip = zip::ZipWriter::new(file);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let zerr = |e: zip::result::ZipError| FormatError::unsupported(path, format!("zip: {e}"));
        zip.start_file("doc.kml", opts).map_err(zerr)?;
        zip.write_all(text.as_bytes())
            .map_err(|e| FormatError::io(path, e))?;
        zip.finish().map_err(zerr)?;
        Ok(())
    })
}
