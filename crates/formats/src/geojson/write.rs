//! Streaming GeoJSON writer.

use crate::{temp_sibling, FormatError, LayerSink, Result};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use terminus_geodesy::Crs;
use terminus_vector::{Coord, Feature, FeatureId, Field, Geometry, Polygon};

/// Writes one layer as a GeoJSON FeatureCollection. Layers not in WGS 84
/// get the 2008 `crs` member (as GDAL writes it), since RFC 7946 has none.
pub struct GeoJsonWriter {
    path: PathBuf,
    tmp: PathBuf,
    out: Option<BufWriter<File>>,
    layers: usize,
    features: usize,
    layer_name: String,
    buf: Vec<u8>,
}

impl GeoJsonWriter {
    /// Start writing `path` (through a temporary sibling file).
    pub fn create(path: &Path) -> Result<GeoJsonWriter> {
        let tmp = temp_sibling(path);
        let file = File::create(&tmp).map_err(|e| FormatError::io(path, e))?;
        Ok(GeoJsonWriter {
            path: path.to_path_buf(),
            tmp,
            out: Some(BufWriter::with_capacity(1 << 20, file)),
            layers: 0,
            features: 0,
            layer_name: String::new(),
            buf: Vec::with_capacity(1 << 16),
        })
    }

    fn out(&mut self) -> Result<&mut BufWriter<File>> {
        let path = &self.path;
        self.out
            .as_mut()
            .ok_or_else(|| FormatError::unsupported(path, "writer already finished"))
    }

    fn io(&self, e: std::io::Error) -> FormatError {
        FormatError::io(&self.path, e)
    }
}

impl Drop for GeoJsonWriter {
    fn drop(&mut self) {
        if self.out.is_some() {
            // Not finished: leave nothing half-written behind.
            self.out = None;
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

impl LayerSink for GeoJsonWriter {
    fn begin_layer(&mut self, name: &str, crs: &Crs, _declared: &[Field]) -> Result<()> {
        self.layers += 1;
        if self.layers > 1 {
            return Err(FormatError::unsupported(
                &self.path,
                format!(
                    "GeoJSON holds one layer, and the input has more ({:?}, {name:?}, …): pick one with --layer, or write GeoPackage",
                    self.layer_name
                ),
            ));
        }
        self.layer_name = name.to_string();
        let mut head = String::from("{\"type\":\"FeatureCollection\",\"name\":");
        head.push_str(&serde_json::to_string(name).unwrap_or_else(|_| "\"layer\"".into()));
        if *crs != Crs::WGS84 {
            let crs_name = match crs {
                Crs::Epsg(code) => format!("urn:ogc:def:crs:EPSG::{code}"),
                Crs::Custom(text) => text.clone(),
            };
            head.push_str(",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":");
            head.push_str(&serde_json::to_string(&crs_name).unwrap_or_default());
            head.push_str("}}");
        }
        head.push_str(",\"features\":[\n");
        let r = self.out()?.write_all(head.as_bytes());
        r.map_err(|e| self.io(e))
    }

    fn feature(&mut self, f: Feature) -> Result<()> {
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        if self.features > 0 {
            buf.extend_from_slice(b",\n");
        }
        let index = self.features;
        let res = encode_feature(&mut buf, &f).map_err(|(what, vertex)| {
            FormatError::unsupported(
                &self.path,
                format!("feature {index}, vertex {vertex}: {what}; GeoJSON cannot hold it"),
            )
        });
        let res = res.and_then(|()| {
            let r = self.out()?.write_all(&buf);
            r.map_err(|e| self.io(e))
        });
        self.buf = buf;
        self.features += 1;
        res
    }

    fn end_layer(&mut self) -> Result<()> {
        let r = self.out()?.write_all(b"\n]}\n");
        r.map_err(|e| self.io(e))
    }

    fn finish(&mut self) -> Result<()> {
        if self.layers == 0 {
            return Err(FormatError::unsupported(
                &self.path,
                "nothing to write: the input has no layers",
            ));
        }
        let mut out = self
            .out
            .take()
            .ok_or_else(|| FormatError::unsupported(&self.path, "finished twice"))?;
        out.flush().map_err(|e| self.io(e))?;
        drop(out);
        std::fs::rename(&self.tmp, &self.path).map_err(|e| self.io(e))
    }
}

type EncodeError = (&'static str, usize);

/// Encode one feature as a GeoJSON object.
pub(crate) fn encode_feature(
    buf: &mut Vec<u8>,
    f: &Feature,
) -> std::result::Result<(), EncodeError> {
    buf.extend_from_slice(b"{\"type\":\"Feature\"");
    match &f.id {
        Some(FeatureId::Int(i)) => {
            buf.extend_from_slice(b",\"id\":");
            buf.extend_from_slice(i.to_string().as_bytes());
        }
        Some(FeatureId::String(s)) => {
            buf.extend_from_slice(b",\"id\":");
            let _ = serde_json::to_writer(&mut *buf, s);
        }
        None => {}
    }
    buf.extend_from_slice(b",\"properties\":{");
    for (i, (k, v)) in f.properties.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        let _ = serde_json::to_writer(&mut *buf, k);
        buf.push(b':');
        let _ = serde_json::to_writer(&mut *buf, &v.to_json());
    }
    buf.extend_from_slice(b"},\"geometry\":");
    match &f.geometry {
        Some(g) => {
            let mut vertex = 0usize;
            encode_geometry(buf, g, &mut vertex)?;
        }
        None => buf.extend_from_slice(b"null"),
    }
    buf.push(b'}');
    Ok(())
}

fn encode_geometry(
    buf: &mut Vec<u8>,
    g: &Geometry,
    v: &mut usize,
) -> std::result::Result<(), EncodeError> {
    buf.extend_from_slice(b"{\"type\":\"");
    buf.extend_from_slice(g.geometry_type().name().as_bytes());
    if let Geometry::GeometryCollection(gs) = g {
        buf.extend_from_slice(b"\",\"geometries\":[");
        for (i, m) in gs.iter().enumerate() {
            if i > 0 {
                buf.push(b',');
            }
            encode_geometry(buf, m, v)?;
        }
        buf.extend_from_slice(b"]}");
        return Ok(());
    }
    buf.extend_from_slice(b"\",\"coordinates\":");
    match g {
        Geometry::Point(c) => position(buf, c, v)?,
        Geometry::LineString(p) | Geometry::MultiPoint(p) => path(buf, p, v)?,
        Geometry::Polygon(p) => polygon(buf, p, v)?,
        Geometry::MultiLineString(ps) => {
            buf.push(b'[');
            for (i, p) in ps.iter().enumerate() {
                if i > 0 {
                    buf.push(b',');
                }
                path(buf, p, v)?;
            }
            buf.push(b']');
        }
        Geometry::MultiPolygon(ps) => {
            buf.push(b'[');
            for (i, p) in ps.iter().enumerate() {
                if i > 0 {
                    buf.push(b',');
                }
                polygon(buf, p, v)?;
            }
            buf.push(b']');
        }
        Geometry::GeometryCollection(_) => unreachable!("handled above"),
    }
    buf.push(b'}');
    Ok(())
}

fn polygon(buf: &mut Vec<u8>, p: &Polygon, v: &mut usize) -> std::result::Result<(), EncodeError> {
    buf.push(b'[');
    for (i, r) in p.rings.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        path(buf, r, v)?;
    }
    buf.push(b']');
    Ok(())
}

fn path(buf: &mut Vec<u8>, p: &[Coord], v: &mut usize) -> std::result::Result<(), EncodeError> {
    buf.push(b'[');
    for (i, c) in p.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        position(buf, c, v)?;
    }
    buf.push(b']');
    Ok(())
}

fn number(buf: &mut Vec<u8>, x: f64, v: usize) -> std::result::Result<(), EncodeError> {
    if !x.is_finite() {
        return Err(("coordinate is not a finite number", v));
    }
    let mut b = ryu::Buffer::new();
    let s = b.format_finite(x);
    // Ryū writes integral values as "45.0": valid JSON, kept.
    buf.extend_from_slice(s.as_bytes());
    Ok(())
}

fn position(buf: &mut Vec<u8>, c: &Coord, v: &mut usize) -> std::result::Result<(), EncodeError> {
    buf.push(b'[');
    number(buf, c.x, *v)?;
    buf.push(b',');
    number(buf, c.y, *v)?;
    if let Some(z) = c.z {
        buf.push(b',');
        number(buf, z, *v)?;
    }
    buf.push(b']');
    *v += 1;
    Ok(())
}
