//! `terminus convert IN OUT`

use super::{print_json, InputArgs};
use crate::failure::Failure;
use std::path::PathBuf;
use terminus_app::convert::{convert, ConvertRequest};
use terminus_formats::Format;
use terminus_geodesy::Crs;

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
    /// Label each feature with this attribute (its `name`: what KML and GPX show), e.g. --name-field number.
    #[arg(long, value_name = "FIELD")]
    pub name_field: Option<String>,
    /// Print a JSON summary.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub input_args: InputArgs,
}

/// Run `terminus convert`.
pub fn run(args: Args) -> Result<u8, Failure> {
    let format = match &args.to {
        Some(name) => Some(
            Format::from_name(name)
                .ok_or_else(|| Failure::usage(format!("--to {name}: unknown format")))?,
        ),
        None => None,
    };
    let to_crs = args
        .to_crs
        .as_deref()
        .map(|t| Crs::parse(t).map_err(|e| Failure::usage(format!("--to-crs: {e}"))))
        .transpose()?;
    let (options, bar) = args.input_args.options(&args.input)?;
    let req = ConvertRequest {
        input: args.input.clone(),
        output: args.output.clone(),
        format,
        layer: args.layer.clone(),
        to_crs,
        overwrite: args.overwrite,
        name_field: args.name_field.clone(),
        options,
    };
    let done = convert(&req);
    bar.finish_and_clear();
    let done = done?;
    for u in &done.datum_transformations {
        eprintln!("transformed with {u}");
    }
    if args.json {
        print_json(&serde_json::to_value(&done).unwrap_or_default());
    } else {
        eprintln!(
            "wrote {} ({}): {} layer(s), {} features, {} vertices in {:.2} s",
            done.output, done.format, done.layers, done.features, done.vertices, done.seconds
        );
    }
    Ok(0)
}
