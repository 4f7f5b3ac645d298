//! The one input road: a file → its declared CRS (or the one the user
//! named) → WGS 84 through one named transformation, every coordinate
//! checked, the file's hash and the road taken recorded.
//!
//! Every workflow reads vectors through [`read`], so every front-end gets
//! the same guarantees:
//! - **No assumed CRS.** A format that does not define its CRS (CSV, WKT, a
//!   Shapefile without `.prj`, GeoPackage with an undefined SRS) must be
//!   given one ([`InputOptions::crs`]); GeoJSON, KML and GPX are WGS 84 by
//!   their specifications.
//! - **Coordinates that cannot be in the declared CRS are refused** with the
//!   likely cause (`terminus_vector::validate::crs_fit`): metres labelled
//!   as degrees, a Gauss–Krüger zone prefix missing or wrong, X and Y
//!   exchanged, a position outside its zone.
//! - **One named transformation per layer** ([`Road`]), kept so that a
//!   result written back in the user's CRS goes through the same EPSG
//!   operation: a coordinate the commission supplied comes back unchanged.
//! - **Nothing untransformable passes**: a coordinate that cannot be
//!   transformed is an error naming the file, layer, feature and vertex.
//! - Data lying outside the area of use of the transformation is recorded
//!   as a warning in [`Input::warnings`], which reports and `--json` carry.

use crate::failure::Failure;
use crate::road::Road;
use serde::Serialize;
use sha2::Digest as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use terminus_formats::csv::CsvOptions;
use terminus_formats::{ByteProgress, Format, ReadOptions};
use terminus_geodesy::Crs;
use terminus_vector::validate::{crs_fit, Severity};
use terminus_vector::{Coord, Dataset, Feature, Geometry, Layer, Value};

/// What the user said about an input: the same options for every command
/// that reads vectors.
#[derive(Clone, Default)]
pub struct InputOptions {
    /// The CRS of a file whose format does not define one (`--crs`).
    pub crs: Option<Crs>,
    /// The EPSG datum transformation to use (`--op`), both ways; without
    /// it, EPSG's most accurate one valid at the data is chosen and named.
    pub op: Option<u32>,
    /// Coordinate-table columns and delimiter.
    pub csv: CsvOptions,
    /// Read a table of points (one turning point per row) as one line, in
    /// row order or by [`InputOptions::order_column`].
    pub as_line: bool,
    /// With `as_line`: the column giving each point's place along the line.
    pub order_column: Option<String>,
    /// Bytes-read callback for a progress bar.
    pub progress: Option<ByteProgress>,
    /// Do not hash the file: for a run that writes no result folder and
    /// so no provenance (`--json` only). The hash is taken while reading,
    /// on a second thread; 2–3 % of a large comparison's CPU.
    pub skip_hash: bool,
}

impl std::fmt::Debug for InputOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InputOptions")
            .field("crs", &self.crs)
            .field("op", &self.op)
            .field("csv", &self.csv)
            .field("as_line", &self.as_line)
            .field("order_column", &self.order_column)
            .field("skip_hash", &self.skip_hash)
            .finish()
    }
}

/// One file of an input, with its SHA-256.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FileHash {
    /// The path as given.
    pub path: String,
    /// SHA-256 of its bytes, lower-case hex.
    pub sha256: String,
    /// Its size in bytes.
    pub bytes: u64,
}

/// A layer as read, and the road it took to WGS 84.
#[derive(Debug, Clone)]
pub struct LayerRoad {
    /// Layer name.
    pub layer: String,
    /// The road from the layer's CRS to WGS 84 (and back).
    pub road: Road,
}

/// A file read onto WGS 84.
#[derive(Debug, Clone)]
pub struct Input {
    /// The path as given.
    pub path: PathBuf,
    /// The format.
    pub format: Format,
    /// The file and its sidecars (.dbf, .shx, .prj, .cpg, .csvt), hashed.
    pub files: Vec<FileHash>,
    /// Every layer, in WGS 84 (EPSG:4326, x = longitude, y = latitude).
    pub dataset: Dataset,
    /// The road each layer took, in layer order.
    pub roads: Vec<LayerRoad>,
    /// What a reader of the result must know (data outside a
    /// transformation's area of use, points joined into a line).
    pub warnings: Vec<String>,
}

impl Input {
    /// One line per layer that was moved, and every warning: what a
    /// command prints and its report carries.
    pub fn notes(&self) -> Vec<String> {
        let mut out = Vec::new();
        for l in &self.roads {
            if l.road.is_identity() {
                continue;
            }
            let how = l
                .road
                .operation()
                .map(|o| format!(" with EPSG:{} ({}, {} m)", o.code, o.name, o.accuracy_m))
                .unwrap_or_default();
            out.push(format!(
                "{} (layer \"{}\") transformed from {} to EPSG:4326{how}",
                self.path.display(),
                l.layer,
                l.road.crs().id()
            ));
        }
        out.extend(self.warnings.iter().cloned());
        out
    }

    /// The file's stem, for naming what came from it.
    pub fn stem(&self) -> String {
        stem(&self.path)
    }

    /// The one road all layers took; `None` when the file is empty. Layers
    /// in different CRSs are an error here: a workflow writing results in
    /// the user's CRS needs one.
    pub fn road(&self) -> Result<Option<&Road>, Failure> {
        let mut roads = self.roads.iter().map(|l| &l.road);
        let Some(first) = roads.next() else {
            return Ok(None);
        };
        for r in roads {
            if r.crs() != first.crs() || r.operation_code() != first.operation_code() {
                return Err(Failure::usage(format!(
                    "{}: layers in different CRSs ({} and {}): give one layer",
                    self.path.display(),
                    first.crs().id(),
                    r.crs().id()
                )));
            }
        }
        Ok(Some(first))
    }
}

/// A path's file stem (or the whole path).
pub fn stem(p: &Path) -> String {
    p.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

/// The format of an input file, or a usage error with the list.
pub fn format_of(path: &Path) -> Result<Format, Failure> {
    Format::from_path(path).ok_or_else(|| {
        Failure::usage(format!("{}: unknown format", path.display())).hint(
            "Terminus reads .geojson/.json, .gpkg, .shp, .kml, .kmz, .gpx, .csv/.tsv/.txt and .wkt",
        )
    })
}

/// Read `path` as it is, in its own CRS (no transformation): what `info`,
/// `validate` and `convert` need. Coordinates are checked against the CRS
/// only by [`read`]; `validate` reports them as findings instead.
pub fn read_as_is(
    path: &Path,
    options: &InputOptions,
) -> Result<(Dataset, Vec<FileHash>), Failure> {
    format_of(path)?;
    if !path.exists() {
        return Err(Failure::usage(format!("{}: no such file", path.display())));
    }
    let opts = ReadOptions {
        crs: options.crs.clone(),
        csv: options.csv.clone(),
        progress: options.progress.clone(),
    };
    // Hash while reading: the hash costs no time on a second core.
    let (ds, files) = std::thread::scope(|s| {
        let hashing = s.spawn(|| {
            if options.skip_hash {
                Ok(Vec::new())
            } else {
                hash_files(path)
            }
        });
        let ds = terminus_formats::read(path, &opts).map_err(Failure::from);
        let files = hashing
            .join()
            .unwrap_or_else(|_| Err(Failure::failed("hashing the input failed")));
        (ds, files)
    });
    let mut ds = ds?;
    let files = files?;
    if options.as_line {
        ds = points_as_line(path, ds, options.order_column.as_deref())?;
    }
    Ok((ds, files))
}

/// Read `path` onto WGS 84 through the input road (see the module
/// documentation).
pub fn read(path: &Path, options: &InputOptions) -> Result<Input, Failure> {
    let format = format_of(path)?;
    let (mut dataset, files) = read_as_is(path, options)?;
    let mut roads = Vec::with_capacity(dataset.layers.len());
    let mut warnings = Vec::new();
    if options.as_line {
        warnings.push(format!(
            "{}: the points were joined into one line in {}",
            path.display(),
            match &options.order_column {
                Some(c) => format!("the order of column {c:?}"),
                None => "row order".to_string(),
            }
        ));
    }
    for layer in &mut dataset.layers {
        check_fit(path, layer)?;
        let road = onto_wgs84(path, layer, options.op)?;
        if let Some(w) = road.outside_area_warning(path, layer) {
            warnings.push(w);
        }
        roads.push(LayerRoad {
            layer: layer.name.clone(),
            road,
        });
    }
    Ok(Input {
        path: path.to_path_buf(),
        format,
        files,
        dataset,
        roads,
        warnings,
    })
}

/// Refuse a layer whose coordinates cannot be in its declared CRS.
fn check_fit(path: &Path, layer: &Layer) -> Result<(), Failure> {
    let findings = crs_fit::crs_fit(layer);
    if let Some(f) = findings.iter().find(|f| f.severity == Severity::Error) {
        return Err(
            Failure::usage(format!("{}: {}: {}", path.display(), f.location, f.message))
                .hint("check the CRS with `terminus validate`; name the right one with --crs"),
        );
    }
    Ok(())
}

/// Move `layer` onto WGS 84 through one named road, refusing any
/// coordinate that cannot be transformed (naming feature and vertex).
fn onto_wgs84(path: &Path, layer: &mut Layer, op: Option<u32>) -> Result<Road, Failure> {
    let first = layer
        .features
        .iter()
        .filter_map(|f| f.geometry.as_ref())
        .flat_map(|g| g.coords())
        .find(|c| c.x.is_finite() && c.y.is_finite())
        .map(|c| c.to_xy());
    let road = Road::at_data(&layer.crs, op, first).map_err(|e| {
        e.context(format!(
            "{}: layer \"{}\" in {}",
            path.display(),
            layer.name,
            layer.crs.id()
        ))
    })?;
    if road.is_identity() {
        return Ok(road);
    }
    for (fi, f) in layer.features.iter_mut().enumerate() {
        let Some(g) = f.geometry.as_mut() else {
            continue;
        };
        let mut bad: Option<(usize, Coord, String)> = None;
        let mut vi = 0usize;
        g.map_coords(&mut |c| {
            if bad.is_none() {
                match road.to_wgs84(c.to_xy()) {
                    Ok(p) => {
                        c.x = p.lon;
                        c.y = p.lat;
                    }
                    Err(e) => bad = Some((vi, *c, e.to_string())),
                }
            }
            vi += 1;
        });
        if let Some((v, c, e)) = bad {
            return Err(Failure::usage(format!(
                "{}: layer \"{}\", feature {fi}, vertex {v} ({}, {}): cannot transform from {} to WGS 84: {e}",
                path.display(),
                layer.name,
                c.x,
                c.y,
                layer.crs.id()
            )));
        }
    }
    layer.crs = Crs::WGS84;
    Ok(road)
}

/// SHA-256 of `path` and of its sidecars that exist.
pub fn hash_files(path: &Path) -> Result<Vec<FileHash>, Failure> {
    let mut out = vec![hash_file(path)?];
    let sidecars: &[&str] = match Format::from_path(path) {
        Some(Format::Shapefile) => &["shx", "dbf", "prj", "cpg"],
        Some(Format::Csv) => &["prj", "csvt"],
        _ => &[],
    };
    for ext in sidecars {
        for e in [ext.to_string(), ext.to_ascii_uppercase()] {
            let p = path.with_extension(&e);
            if p.is_file() {
                out.push(hash_file(&p)?);
                break;
            }
        }
    }
    Ok(out)
}

/// SHA-256 of one file.
pub fn hash_file(path: &Path) -> Result<FileHash, Failure> {
    let mut f = std::fs::File::open(path)
        .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
    let mut h = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut bytes = 0u64;
    loop {
        let n = f
            .read(&mut buf)
            .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
        if n == 0 {
            break;
        }
        bytes += n as u64;
        h.update(&buf[..n]);
    }
    Ok(FileHash {
        path: path.display().to_string(),
        sha256: hex::encode(h.finalize()),
        bytes,
    })
}

/// A table of points (one turning point per row) as one line: in file
/// order, or ordered by `order_column` (numbers; decimal commas accepted).
fn points_as_line(
    path: &Path,
    ds: Dataset,
    order_column: Option<&str>,
) -> Result<Dataset, Failure> {
    let mut layers = Vec::new();
    for layer in ds.layers {
        let mut points: Vec<(f64, usize, Coord)> = Vec::with_capacity(layer.features.len());
        for (fi, f) in layer.features.iter().enumerate() {
            let c = match &f.geometry {
                Some(Geometry::Point(c)) => *c,
                None => continue,
                Some(g) => {
                    return Err(Failure::usage(format!(
                        "{}: layer \"{}\", feature {fi}: --as-line joins points, not a {}",
                        path.display(),
                        layer.name,
                        g.geometry_type().name()
                    )))
                }
            };
            let key = match order_column {
                None => fi as f64,
                Some(col) => order_key(f, col).ok_or_else(|| {
                    Failure::usage(format!(
                        "{}: layer \"{}\", feature {fi}: --order-column {col:?}: no number",
                        path.display(),
                        layer.name
                    ))
                })?,
            };
            points.push((key, fi, c));
        }
        if points.len() < 2 {
            return Err(Failure::usage(format!(
                "{}: layer \"{}\": {} point(s); a line needs at least two",
                path.display(),
                layer.name,
                points.len()
            )));
        }
        points.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        if let Some(w) = points
            .windows(2)
            .find(|w| w[0].0 == w[1].0 && order_column.is_some())
        {
            return Err(Failure::usage(format!(
                "{}: features {} and {} have the same place {} in --order-column",
                path.display(),
                w[0].1,
                w[1].1,
                w[0].0
            )));
        }
        let mut line = Layer::new(&layer.name, layer.crs.clone());
        let mut f = Feature::new(Geometry::LineString(
            points.into_iter().map(|(_, _, c)| c).collect(),
        ));
        f.properties
            .insert("source".into(), Value::String(path.display().to_string()));
        line.features.push(f);
        layers.push(line);
    }
    Ok(Dataset { layers })
}

fn order_key(f: &Feature, col: &str) -> Option<f64> {
    match f.properties.get(col)? {
        Value::Int(i) => Some(*i as f64),
        Value::Float(x) => Some(*x),
        Value::String(s) => s.trim().replace(',', ".").parse().ok(),
        _ => None,
    }
}

/// A [`terminus_formats::LayerSink`] that passes features through after
/// checking every coordinate against its layer's declared CRS
/// (`CrsFit`): what a streaming conversion uses so that it never writes
/// coordinates that cannot be in the CRS they are labelled with.
pub struct FitCheck<'a> {
    inner: &'a mut dyn terminus_formats::LayerSink,
    path: PathBuf,
    layer: String,
    index: usize,
    fit: Option<terminus_vector::validate::crs_fit::CrsFit>,
}

impl<'a> FitCheck<'a> {
    /// Check what `path`'s reader pushes, then pass it to `inner`.
    pub fn new(inner: &'a mut dyn terminus_formats::LayerSink, path: &Path) -> FitCheck<'a> {
        FitCheck {
            inner,
            path: path.to_path_buf(),
            layer: String::new(),
            index: 0,
            fit: None,
        }
    }
}

impl terminus_formats::LayerSink for FitCheck<'_> {
    fn begin_layer(
        &mut self,
        name: &str,
        crs: &Crs,
        declared: &[terminus_vector::Field],
    ) -> terminus_formats::Result<()> {
        self.layer = name.to_string();
        self.index = 0;
        self.fit = terminus_vector::validate::crs_fit::CrsFit::new(crs);
        self.inner.begin_layer(name, crs, declared)
    }
    fn feature(&mut self, f: Feature) -> terminus_formats::Result<()> {
        if let (Some(fit), Some(g)) = (&self.fit, &f.geometry) {
            let mut bad: Option<(usize, String)> = None;
            g.for_each_run(&mut |first, run| {
                if bad.is_some() || fit.run_fits_at_a_glance(run) {
                    return;
                }
                bad = run
                    .iter()
                    .enumerate()
                    .find_map(|(k, c)| fit.check(c).map(|(_, why)| (first + k, why)));
            });
            if let Some((v, why)) = bad {
                return Err(terminus_formats::FormatError::malformed(
                    &self.path,
                    format!(
                        "layer \"{}\", feature {}, vertex {v}",
                        self.layer, self.index
                    ),
                    why,
                ));
            }
        }
        self.index += 1;
        self.inner.feature(f)
    }
    fn end_layer(&mut self) -> terminus_formats::Result<()> {
        self.inner.end_layer()
    }
    fn finish(&mut self) -> terminus_formats::Result<()> {
        self.inner.finish()
    }
}
