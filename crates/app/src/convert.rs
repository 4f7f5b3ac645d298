//! Converting a file from one format (and CRS) to another, streaming where
//! both ends can: every coordinate checked against its declared CRS on the
//! way, transformed (when asked) through a named transformation, counted.

use crate::failure::Failure;
use crate::input::{format_of, FitCheck, InputOptions};
use std::path::{Path, PathBuf};
use std::time::Instant;
use terminus_formats::{Format, LayerFilter, LayerSink, WriteOptions};
use terminus_geodesy::crs::transform::CrsTransform;
use terminus_geodesy::Crs;
use terminus_vector::{Feature, Field, Value};

/// What to convert.
#[derive(Clone, Default)]
pub struct ConvertRequest {
    /// The input file.
    pub input: PathBuf,
    /// The output file.
    pub output: PathBuf,
    /// The output format (default: from the output's extension).
    pub format: Option<Format>,
    /// Convert only this layer.
    pub layer: Option<String>,
    /// Transform the coordinates to this CRS.
    pub to_crs: Option<Crs>,
    /// Replace an existing output.
    pub overwrite: bool,
    /// Label each feature with this attribute: its text becomes `name`,
    /// the label KML and GPX show (a pillar's number, a place's name).
    pub name_field: Option<String>,
    /// How to read the input (its CRS, the transformation, CSV columns).
    pub options: InputOptions,
}

/// What a conversion wrote.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Converted {
    /// The input, as given.
    pub input: String,
    /// The output, as given.
    pub output: String,
    /// The output format's name.
    pub format: String,
    /// Layers written.
    pub layers: usize,
    /// Features written.
    pub features: usize,
    /// Vertices written.
    pub vertices: usize,
    /// The datum transformations taken (EPSG code, name, accuracy).
    pub datum_transformations: Vec<String>,
    /// Wall time, seconds.
    pub seconds: f64,
}

/// Convert `req.input` into `req.output`.
pub fn convert(req: &ConvertRequest) -> Result<Converted, Failure> {
    let started = Instant::now();
    let in_format = format_of(&req.input)?;
    let out_format = match req.format {
        Some(f) => f,
        None => Format::from_path(&req.output).ok_or_else(|| {
            Failure::usage(format!(
                "{}: cannot tell the output format from the extension",
                req.output.display()
            ))
            .hint("use .geojson, .gpkg, .shp, .kml, .kmz, .gpx, .csv or .wkt, or say --to FORMAT")
        })?,
    };
    if !req.input.exists() {
        return Err(Failure::usage(format!(
            "{}: no such file",
            req.input.display()
        )));
    }
    let parent = req
        .output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !parent.is_dir() {
        return Err(Failure::failed(format!(
            "{}: the output folder {} does not exist",
            req.output.display(),
            parent.display()
        )));
    }
    let opts = terminus_formats::ReadOptions {
        crs: req.options.crs.clone(),
        csv: req.options.csv.clone(),
        progress: req.options.progress.clone(),
    };
    let mut writer = terminus_formats::create(
        &req.output,
        out_format,
        &WriteOptions {
            overwrite: req.overwrite,
        },
    )?;
    // Read everything into `target`, counting what passes.
    let drive =
        |target: &mut dyn LayerSink| -> (terminus_formats::Result<()>, usize, usize, usize) {
            // Coordinates that cannot be in their declared CRS are refused
            // before anything is written (transformed, GK without its zone
            // prefix lands in the Atlantic).
            let mut checked = FitCheck::new(target, &req.input);
            let mut labelled = Label {
                inner: &mut checked,
                field: req.name_field.as_deref(),
                layer: String::new(),
                seen: false,
                count: 0,
                path: &req.input,
            };
            let mut counting = Counting {
                inner: &mut labelled,
                layers: 0,
                features: 0,
                vertices: 0,
            };
            let result = match &req.layer {
                Some(name) => {
                    let mut filter = LayerFilter::new(&mut counting, name, &req.input);
                    terminus_formats::read_into(&req.input, in_format, &opts, &mut filter)
                        .and_then(|()| filter.finish())
                }
                None => terminus_formats::read_into(&req.input, in_format, &opts, &mut counting)
                    .and_then(|()| counting.finish()),
            };
            (
                result,
                counting.layers,
                counting.features,
                counting.vertices,
            )
        };
    let mut used: Vec<String> = Vec::new();
    let (result, layers, features, vertices) = match &req.to_crs {
        Some(to) => {
            let mut r = Reproject {
                inner: writer.as_mut(),
                to: to.clone(),
                op: req.options.op,
                from: None,
                transform: None,
                used: Vec::new(),
            };
            let out = drive(&mut r);
            used = r.used;
            out
        }
        None => drive(writer.as_mut()),
    };
    result?;
    Ok(Converted {
        input: req.input.display().to_string(),
        output: req.output.display().to_string(),
        format: out_format.name().to_string(),
        layers,
        features,
        vertices,
        datum_transformations: used,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Transforms every coordinate on its way to the writer. The datum
/// transformation is fixed at the first coordinate of each layer and reported.
struct Reproject<'a> {
    inner: &'a mut dyn LayerSink,
    to: Crs,
    op: Option<u32>,
    from: Option<Crs>,
    transform: Option<CrsTransform>,
    used: Vec<String>,
}

impl LayerSink for Reproject<'_> {
    fn begin_layer(
        &mut self,
        name: &str,
        crs: &Crs,
        declared: &[Field],
    ) -> terminus_formats::Result<()> {
        self.from = Some(crs.clone());
        self.transform = None;
        self.inner.begin_layer(name, &self.to, declared)
    }
    fn feature(&mut self, mut f: Feature) -> terminus_formats::Result<()> {
        let from = self.from.clone().unwrap_or(Crs::WGS84);
        if let Some(g) = f.geometry.as_mut() {
            if self.transform.is_none() {
                let at = g.coords().next().and_then(|c| {
                    CrsTransform::new(&from, &from, None, None)
                        .ok()
                        .map(|t| t.source_geographic(c.to_xy()))
                });
                let t = CrsTransform::new(&from, &self.to, self.op, at).map_err(|e| {
                    terminus_formats::FormatError::Unsupported {
                        path: std::path::PathBuf::from(self.to.id()),
                        message: e.to_string(),
                    }
                })?;
                if let Some(o) = t.operation() {
                    self.used
                        .push(format!("EPSG:{} ({}, {} m)", o.code, o.name, o.accuracy_m));
                }
                self.transform = Some(t);
            }
            if let Some(t) = &self.transform {
                let mut bad = None;
                g.map_coords(&mut |c| match t.apply(c.to_xy()) {
                    Ok(p) => {
                        c.x = p.x;
                        c.y = p.y;
                    }
                    Err(e) => bad = Some(e),
                });
                if let Some(e) = bad {
                    return Err(terminus_formats::FormatError::Unsupported {
                        path: std::path::PathBuf::from(self.to.id()),
                        message: format!("cannot transform a coordinate: {e}"),
                    });
                }
            }
        }
        self.inner.feature(f)
    }
    fn end_layer(&mut self) -> terminus_formats::Result<()> {
        self.inner.end_layer()
    }
    fn finish(&mut self) -> terminus_formats::Result<()> {
        self.inner.finish()
    }
}

/// Counts what passes through.
/// Sets each feature's `name` (the label KML and GPX show) from the
/// attribute asked for; a layer where no feature has it is refused, naming
/// the layer (a null value leaves that feature unlabelled).
struct Label<'a> {
    inner: &'a mut dyn LayerSink,
    field: Option<&'a str>,
    layer: String,
    seen: bool,
    count: usize,
    path: &'a Path,
}

impl LayerSink for Label<'_> {
    fn begin_layer(
        &mut self,
        name: &str,
        crs: &Crs,
        declared: &[Field],
    ) -> terminus_formats::Result<()> {
        self.layer = name.to_string();
        self.seen = false;
        self.count = 0;
        let mut declared = declared.to_vec();
        if self.field.is_some() && !declared.is_empty() {
            match declared.iter_mut().find(|f| f.name == "name") {
                Some(f) => f.kind = terminus_vector::FieldKind::String,
                None => declared.push(Field {
                    name: "name".into(),
                    kind: terminus_vector::FieldKind::String,
                }),
            }
        }
        self.inner.begin_layer(name, crs, &declared)
    }
    fn feature(&mut self, mut f: Feature) -> terminus_formats::Result<()> {
        self.count += 1;
        if let Some(field) = self.field {
            if let Some(v) = f.properties.get(field) {
                self.seen = true;
                if let Some(text) = v.to_text() {
                    f.properties.insert("name".into(), Value::String(text));
                }
            }
        }
        self.inner.feature(f)
    }
    fn end_layer(&mut self) -> terminus_formats::Result<()> {
        if let (Some(field), false, true) = (self.field, self.seen, self.count > 0) {
            return Err(terminus_formats::FormatError::Unsupported {
                path: self.path.to_path_buf(),
                message: format!(
                    "--name-field {field}: no feature of layer {:?} has that attribute",
                    self.layer
                ),
            });
        }
        self.inner.end_layer()
    }
    fn finish(&mut self) -> terminus_formats::Result<()> {
        self.inner.finish()
    }
}

struct Counting<'a> {
    inner: &'a mut dyn LayerSink,
    layers: usize,
    features: usize,
    vertices: usize,
}

impl LayerSink for Counting<'_> {
    fn begin_layer(
        &mut self,
        name: &str,
        crs: &Crs,
        declared: &[Field],
    ) -> terminus_formats::Result<()> {
        self.layers += 1;
        self.inner.begin_layer(name, crs, declared)
    }
    fn feature(&mut self, f: Feature) -> terminus_formats::Result<()> {
        self.features += 1;
        self.vertices += f.geometry.as_ref().map_or(0, |g| g.vertex_count());
        self.inner.feature(f)
    }
    fn end_layer(&mut self) -> terminus_formats::Result<()> {
        self.inner.end_layer()
    }
    fn finish(&mut self) -> terminus_formats::Result<()> {
        self.inner.finish()
    }
}
