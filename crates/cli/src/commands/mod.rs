//! One module per subcommand.

pub mod compare;
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
use terminus_app::units::parse_epsg;
use terminus_app::{InputOptions, Provenance};
use terminus_formats::{csv::CsvOptions, Format};
use terminus_geodesy::Crs;
use terminus_vector::Dataset;

/// How to read input files: the CRS of files that do not state one, the
/// datum transformation, and the columns of coordinate tables. One
/// definition for every command that reads vectors.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct InputArgs {
    /// CRS of input that does not state one (CSV, WKT, Shapefile without .prj), e.g. EPSG:4326, EPSG:4284 (SK-42), EPSG:28408, EPSG:32638, a WKT or +proj string. Never assumed.
    #[arg(long, value_name = "CRS")]
    pub crs: Option<String>,
    /// The Pulkovo 1942 ↔ WGS 84 transformation, used both ways (in, and back wherever results are written in the input's CRS), e.g. EPSG:1808 (default: EPSG's most accurate where the data lie, reported).
    #[arg(long, value_name = "EPSG:CODE", alias = "gk-op")]
    pub op: Option<String>,
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
    /// Read a table of points (one turning point per row) as one line, in row order (or --order-column).
    #[arg(long)]
    pub as_line: bool,
    /// With --as-line: the column that orders the points along the line (numbers).
    #[arg(long, value_name = "COLUMN", requires = "as_line")]
    pub order_column: Option<String>,
}

impl InputArgs {
    /// The application layer's input options for `path`, with a progress
    /// bar on large files.
    pub fn options(&self, path: &Path) -> Result<(InputOptions, indicatif::ProgressBar), Failure> {
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
        let op = self
            .op
            .as_deref()
            .map(|s| parse_epsg(s).map_err(|e| Failure::usage(format!("--op {e}"))))
            .transpose()?;
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let (bar, progress) = progress::bytes(size, "reading");
        Ok((
            InputOptions {
                crs,
                op,
                csv: CsvOptions {
                    lat_column: self.lat_column.clone(),
                    lon_column: self.lon_column.clone(),
                    x_column: self.x_column.clone(),
                    y_column: self.y_column.clone(),
                    z_column: self.z_column.clone(),
                    wkt_column: self.wkt_column.clone(),
                    delimiter,
                },
                as_line: self.as_line,
                order_column: self.order_column.clone(),
                progress,
                skip_hash: false,
            },
            bar,
        ))
    }

    /// The input options without a progress bar: for workflows that read
    /// several files (a spinner covers them).
    pub fn plain(&self) -> Result<InputOptions, Failure> {
        let (mut o, bar) = self.options(Path::new(""))?;
        bar.finish_and_clear();
        o.progress = None;
        Ok(o)
    }

    fn spinning<T>(
        &self,
        path: &Path,
        f: impl FnOnce(&InputOptions) -> Result<T, Failure>,
    ) -> Result<T, Failure> {
        let format = input_format(path)?;
        let (opts, bar) = self.options(path)?;
        // GeoJSON reports bytes as it streams; other readers get a spinner.
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let spin = progress::spinner(
            &format!("reading {}", path.display()),
            format != Format::GeoJson && size >= 8 << 20,
        );
        let r = f(&opts);
        spin.finish_and_clear();
        bar.finish_and_clear();
        r
    }

    /// Read a file in its own CRS, untransformed (info, validate).
    pub fn read_as_is(&self, path: &Path) -> Result<Dataset, Failure> {
        self.spinning(path, |o| {
            terminus_app::input::read_as_is(path, o).map(|(ds, _)| ds)
        })
    }
}

/// The format of an input file, or a usage error.
pub fn input_format(path: &Path) -> Result<Format, Failure> {
    terminus_app::input::format_of(path)
}

/// The EPSG code of `--op EPSG:CODE` (or just the code).
pub fn parse_op(op: &Option<String>) -> Result<Option<u32>, Failure> {
    op.as_deref()
        .map(|s| parse_epsg(s).map_err(|e| Failure::usage(format!("--op {e}"))))
        .transpose()
}

/// The provenance of a result made by this command line.
pub fn provenance() -> Provenance {
    Provenance::new(std::env::args().collect())
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

/// Print a summary as JSON to stdout.
pub fn print_json<T: serde::Serialize + ?Sized>(v: &T) {
    println!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
}
