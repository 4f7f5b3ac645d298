//! One module per subcommand.

pub mod compare;
pub mod compare_maps;
pub mod convert;
pub mod crs;
pub mod demarcate;
pub mod demo;
pub mod geodesic;
pub mod info;
pub mod ledger;
pub mod median;
pub mod serve;
pub mod sheet;
pub mod terrain;
pub mod validate;

use crate::failure::Failure;
use crate::progress;
use std::path::Path;
use terminus_formats::{csv::CsvOptions, Format, ReadOptions};
use terminus_geodesy::Crs;
use terminus_vector::Dataset;

/// How to read input files: the CRS of files that do not state one, and the
/// columns of coordinate tables.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct InputArgs {
    /// CRS of input that does not state one (CSV, WKT, Shapefile without .prj), e.g. EPSG:4326, EPSG:28408, EPSG:32638, a WKT or +proj string.
    #[arg(long, value_name = "CRS")]
    pub crs: Option<String>,
    /// CSV: column of latitudes (decimal degrees or DMS such as 40°38′46.123″N). Name or 1-based number.
    #[arg(long, value_name = "COLUMN")]
    pub lat_column: Option<String>,
    /// CSV: column of longitudes (decimal degrees or DMS).
    #[arg(long, value_name = "COLUMN")]
    pub lon_column: Option<String>,
    /// CSV: column of grid eastings (or x), with --crs naming the grid.
    #[arg(long, value_name = "COLUMN")]
    pub x_column: Option<String>,
    /// CSV: column of grid northings (or y). For Gauss–Krüger tables "X" is the northing: say --y-column X --x-column Y.
    #[arg(long, value_name = "COLUMN")]
    pub y_column: Option<String>,
    /// CSV: column of heights.
    #[arg(long, value_name = "COLUMN")]
    pub z_column: Option<String>,
    /// CSV: column holding WKT geometries (lines, polygons).
    #[arg(long, value_name = "COLUMN")]
    pub wkt_column: Option<String>,
    /// CSV: field delimiter (default: ',' or, for .tsv, tab; ';' is detected).
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<char>,
}

impl InputArgs {
    /// Read options for `path`, with a progress bar on large files.
    pub fn read_options(
        &self,
        path: &Path,
    ) -> Result<(ReadOptions, indicatif::ProgressBar), Failure> {
        let crs = match &self.crs {
            Some(text) => {
                Some(Crs::parse(text).map_err(|e| Failure::usage(format!("--crs: {e}")))?)
            }
            None => None,
        };
        let delimiter = match self.delimiter {
            Some(c) if c.is_ascii() => Some(c as u8),
            Some(c) => {
                return Err(Failure::usage(format!(
                    "--delimiter {c:?}: must be one ASCII character"
                )))
            }
            None => None,
        };
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let (bar, progress) = progress::bytes(size, "reading");
        Ok((
            ReadOptions {
                crs,
                csv: CsvOptions {
                    lat_column: self.lat_column.clone(),
                    lon_column: self.lon_column.clone(),
                    x_column: self.x_column.clone(),
                    y_column: self.y_column.clone(),
                    z_column: self.z_column.clone(),
                    wkt_column: self.wkt_column.clone(),
                    delimiter,
                },
                progress,
            },
            bar,
        ))
    }

    /// Read a whole file.
    pub fn read(&self, path: &Path) -> Result<Dataset, Failure> {
        let format = input_format(path)?;
        let (opts, bar) = self.read_options(path)?;
        let mut collector = terminus_formats::DatasetCollector::default();
        // GeoJSON reports bytes as it streams; other readers get a spinner.
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let spin = progress::spinner(
            &format!("reading {}", path.display()),
            format != Format::GeoJson && size >= 8 << 20,
        );
        let r = terminus_formats::read_into(path, format, &opts, &mut collector);
        spin.finish_and_clear();
        bar.finish_and_clear();
        r?;
        Ok(collector.into_dataset())
    }
}

/// The format of an input file, or a usage error.
pub fn input_format(path: &Path) -> Result<Format, Failure> {
    Format::from_path(path).ok_or_else(|| {
        Failure::usage(format!("{}: unknown format", path.display())).hint(
            "Terminus reads .geojson/.json, .gpkg, .shp, .kml, .kmz, .gpx, .csv/.tsv/.txt and .wkt",
        )
    })
}

/// The EPSG code of `--op EPSG:CODE` (or just the code).
pub fn parse_op(op: &Option<String>) -> Result<Option<u32>, Failure> {
    op.as_deref()
        .map(|s| {
            let code = s
                .trim()
                .trim_start_matches("EPSG:")
                .trim_start_matches("epsg:");
            code.parse::<u32>().map_err(|_| {
                Failure::usage(format!("--op {s}: expected EPSG:CODE, e.g. EPSG:15865"))
            })
        })
        .transpose()
}

/// The whole text of `file`, or of standard input without one.
pub fn read_input(file: &Option<std::path::PathBuf>) -> Result<String, Failure> {
    use std::io::Read as _;
    let mut text = String::new();
    match file {
        Some(p) => std::fs::File::open(p)
            .and_then(|mut f| f.read_to_string(&mut text))
            .map_err(|e| Failure::usage(format!("{}: {e}", p.display())))?,
        None => std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::usage(format!("reading input: {e}")))?,
    };
    Ok(text)
}

/// Print JSON to stdout.
pub fn print_json(v: &serde_json::Value) {
    println!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
}
