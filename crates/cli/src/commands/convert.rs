//! `terminus convert IN OUT`

use super::{input_format, print_json, InputArgs};
use crate::failure::Failure;
use serde_json::json;
use std::path::PathBuf;
use std::time::Instant;
use terminus_formats::{Format, LayerFilter, LayerSink, WriteOptions};
use terminus_geodesy::crs::transform::CrsTransform;
use terminus_geodesy::Crs;
use terminus_vector::{Feature, Field};

/// Arguments of `terminus convert`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:
  terminus convert border.geojson border.gpkg
  terminus convert border.gpkg border.kml --layer naturalearth10m_ARM_AZE_shared
  terminus convert pillars.csv pillars.gpx --crs EPSG:4326 --lat-column B --lon-column L
  terminus convert sk42.csv sk42.gpkg --crs EPSG:28408 --y-column X --x-column Y

The output format follows the extension (or --to). Coordinates are written
exactly as read (shortest round-trip decimal form); no format conversion moves
a vertex. Formats that hold only WGS 84 (KML, GPX) refuse other CRSs rather
than mislabel them. GeoJSON → GeoPackage streams: memory stays bounded by the
largest feature. Existing output is never replaced without --overwrite, and a
failed conversion leaves no partial file.")]
pub struct Args {
    /// Input file.
    pub input: PathBuf,
    /// Output file.
    pub output: PathBuf,
    /// Convert only this layer (GeoPackage table, KML folder, GPX waypoints/routes/tracks).
    #[arg(long)]
    pub layer: Option<String>,
    /// Output format, when the extension does not say: geojson, gpkg, shp, kml, kmz, gpx, csv, wkt.
    #[arg(long, value_name = "FORMAT")]
    pub to: Option<String>,
    /// Replace existing output.
    #[arg(long)]
    pub overwrite: bool,
    /// Transform the coordinates to this CRS, e.g. EPSG:4326 (needed to write KML or GPX from a grid).
    #[arg(long, value_name = "CRS")]
    pub to_crs: Option<String>,
    /// Print a JSON summary.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub input_args: InputArgs,
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
                        .map(|t| t.source_geographic(c.x, c.y))
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
                g.map_coords(&mut |c| match t.apply(c.x, c.y) {
                    Ok((x, y)) => {
                        c.x = x;
                        c.y = y;
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

/// Run `terminus convert`.
pub fn run(args: Args) -> Result<u8, Failure> {
    let started = Instant::now();
    let in_format = input_format(&args.input)?;
    let out_format = match &args.to {
        Some(name) => Format::from_name(name)
            .ok_or_else(|| Failure::usage(format!("--to {name}: unknown format")))?,
        None => Format::from_path(&args.output).ok_or_else(|| {
            Failure::usage(format!(
                "{}: cannot tell the output format from the extension",
                args.output.display()
            ))
            .hint("use .geojson, .gpkg, .shp, .kml, .kmz, .gpx, .csv or .wkt, or say --to FORMAT")
        })?,
    };
    if !args.input.exists() {
        return Err(Failure::usage(format!(
            "{}: no such file",
            args.input.display()
        )));
    }
    let parent = args
        .output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    if !parent.is_dir() {
        return Err(Failure::failed(format!(
            "{}: the output folder {} does not exist",
            args.output.display(),
            parent.display()
        )));
    }
    let (options, bar) = args.input_args.options(&args.input)?;
    let opts = terminus_formats::ReadOptions {
        crs: options.crs.clone(),
        csv: options.csv.clone(),
        progress: options.progress.clone(),
    };
    let mut writer = terminus_formats::create(
        &args.output,
        out_format,
        &WriteOptions {
            overwrite: args.overwrite,
        },
    )?;
    let to_crs = args
        .to_crs
        .as_deref()
        .map(|t| Crs::parse(t).map_err(|e| Failure::usage(format!("--to-crs: {e}"))))
        .transpose()?;
    let op = options.op;
    // Read everything into `target`, counting what passes.
    let drive =
        |target: &mut dyn LayerSink| -> (terminus_formats::Result<()>, usize, usize, usize) {
            // Coordinates that cannot be in their declared CRS are refused
            // before anything is written (transformed, GK without its zone
            // prefix lands in the Atlantic).
            let mut checked = terminus_app::input::FitCheck::new(target, &args.input);
            let mut counting = Counting {
                inner: &mut checked,
                layers: 0,
                features: 0,
                vertices: 0,
            };
            let result = match &args.layer {
                Some(name) => {
                    let mut filter = LayerFilter::new(&mut counting, name, &args.input);
                    terminus_formats::read_into(&args.input, in_format, &opts, &mut filter)
                        .and_then(|()| filter.finish())
                }
                None => terminus_formats::read_into(&args.input, in_format, &opts, &mut counting)
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
    let (result, layers, features, vertices) = match to_crs {
        Some(to) => {
            let mut r = Reproject {
                inner: writer.as_mut(),
                to,
                op,
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
    bar.finish_and_clear();
    result?;
    for u in &used {
        eprintln!("transformed with {u}");
    }
    let summary = json!({
        "input": args.input.display().to_string(),
        "output": args.output.display().to_string(),
        "format": out_format.name(),
        "layers": layers,
        "features": features,
        "vertices": vertices,
        "datum_transformations": used,
        "seconds": started.elapsed().as_secs_f64(),
    });
    if args.json {
        print_json(&summary);
    } else {
        eprintln!(
            "wrote {} ({}): {} layer(s), {} features, {} vertices in {:.2} s",
            args.output.display(),
            out_format.name(),
            layers,
            features,
            vertices,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(0)
}
