//! Vector formats: read and write every file a boundary commission exchanges.
//!
//! | format | module | read | write | layers |
//! |---|---|---|---|---|
//! | GeoJSON (RFC 7946 and the 2008 `crs` member) | [`geojson`] | streaming | streaming | one |
//! | GeoPackage 1.3 (R-tree indexed) | [`gpkg`] | yes | streaming | many |
//! | ESRI Shapefile (`.shp .shx .dbf .prj .cpg`) | [`shapefile`] | yes | yes | one |
//! | KML / KMZ | [`kml`] | yes | yes | one per folder |
//! | GPX 1.1 | [`gpx`] | yes | yes | waypoints, routes, tracks |
//! | CSV coordinate tables (decimal, DMS, grid) | [`csv`] | yes | yes | one |
//! | WKT / EWKT, one geometry per line | [`wkt`] | yes | yes | one |
//!
//! Reading and writing meet in [`LayerSink`]: every reader pushes layers and
//! features into a sink, and every writer is a sink, so `convert` streams
//! when both ends can (GeoJSON → GeoPackage holds one feature at a time).
//!
//! Architecture invariant: formats know geometries, attributes and CRSs, not
//! boundaries; they never transform coordinates (a format that can only hold
//! WGS 84, such as KML or GPX, refuses other CRSs with a clear error).

pub mod csv;
mod error;
pub mod geojson;
pub mod gpkg;
pub mod gpx;
pub mod kml;
pub mod shapefile;
mod sink;
pub mod wkb;
pub mod wkt;
mod xml;

pub use error::FormatError;
pub use sink::{DatasetCollector, LayerFilter, LayerSink};

use std::path::{Path, PathBuf};
use std::sync::Arc;
use terminus_geodesy::Crs;
use terminus_vector::Dataset;

/// Result of format operations.
pub type Result<T> = std::result::Result<T, FormatError>;

/// The formats Terminus reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// GeoJSON, `.geojson` / `.json`.
    GeoJson,
    /// OGC GeoPackage, `.gpkg`.
    GeoPackage,
    /// ESRI Shapefile, `.shp` (with `.shx`, `.dbf`, `.prj`, `.cpg`).
    Shapefile,
    /// KML, `.kml`.
    Kml,
    /// Zipped KML, `.kmz`.
    Kmz,
    /// GPX, `.gpx`.
    Gpx,
    /// CSV coordinate table, `.csv` / `.tsv` / `.txt`.
    Csv,
    /// WKT or EWKT, one geometry per line, `.wkt`.
    Wkt,
}

impl Format {
    /// All formats.
    pub const ALL: [Format; 8] = [
        Format::GeoJson,
        Format::GeoPackage,
        Format::Shapefile,
        Format::Kml,
        Format::Kmz,
        Format::Gpx,
        Format::Csv,
        Format::Wkt,
    ];

    /// Recognise a format by file extension.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Format::from_name(&ext)
    }

    /// Recognise a format by name or extension (`geojson`, `gpkg`, `shp` …).
    pub fn from_name(name: &str) -> Option<Format> {
        Some(match name.to_ascii_lowercase().as_str() {
            "geojson" | "json" => Format::GeoJson,
            "gpkg" | "geopackage" => Format::GeoPackage,
            "shp" | "shapefile" => Format::Shapefile,
            "kml" => Format::Kml,
            "kmz" => Format::Kmz,
            "gpx" => Format::Gpx,
            "csv" | "tsv" | "txt" => Format::Csv,
            "wkt" | "ewkt" => Format::Wkt,
            _ => return None,
        })
    }

    /// Short name.
    pub fn name(self) -> &'static str {
        match self {
            Format::GeoJson => "GeoJSON",
            Format::GeoPackage => "GeoPackage",
            Format::Shapefile => "ESRI Shapefile",
            Format::Kml => "KML",
            Format::Kmz => "KMZ",
            Format::Gpx => "GPX",
            Format::Csv => "CSV",
            Format::Wkt => "WKT",
        }
    }

    /// Usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::GeoJson => "geojson",
            Format::GeoPackage => "gpkg",
            Format::Shapefile => "shp",
            Format::Kml => "kml",
            Format::Kmz => "kmz",
            Format::Gpx => "gpx",
            Format::Csv => "csv",
            Format::Wkt => "wkt",
        }
    }

    /// Every file this format writes for `path` (a Shapefile is five).
    pub fn output_files(self, path: &Path) -> Vec<PathBuf> {
        match self {
            Format::Shapefile => shapefile::sidecar_paths(path),
            Format::Csv => csv::sidecar_paths(path),
            _ => vec![path.to_path_buf()],
        }
    }
}

/// Called with the number of bytes read so far (for progress bars).
pub type ByteProgress = Arc<dyn Fn(u64) + Send + Sync>;

/// How to read.
#[derive(Clone, Default)]
pub struct ReadOptions {
    /// The CRS of files that do not state one (CSV, WKT, a Shapefile without
    /// `.prj`, legacy GeoJSON). A file that states a different CRS is an error.
    pub crs: Option<Crs>,
    /// CSV column choice and parsing.
    pub csv: csv::CsvOptions,
    /// Progress callback, bytes read.
    pub progress: Option<ByteProgress>,
}

/// How to write.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// Replace existing output files (otherwise an existing file is an error:
    /// nothing a user saved is overwritten by accident).
    pub overwrite: bool,
}

/// Detect the format of `path` or fail with the list of known extensions.
pub fn detect(path: &Path) -> Result<Format> {
    Format::from_path(path).ok_or_else(|| FormatError::UnknownFormat {
        path: path.to_path_buf(),
    })
}

/// Read a whole file into memory.
///
/// ```no_run
/// use terminus_formats::{read, ReadOptions};
/// let ds = read("border.geojson".as_ref(), &ReadOptions::default())?;
/// println!("{} features", ds.feature_count());
/// # Ok::<(), terminus_formats::FormatError>(())
/// ```
pub fn read(path: &Path, opts: &ReadOptions) -> Result<Dataset> {
    let mut collector = DatasetCollector::default();
    read_into(path, detect(path)?, opts, &mut collector)?;
    Ok(collector.into_dataset())
}

/// Read `path` as `format`, pushing layers and features into `sink`.
pub fn read_into(
    path: &Path,
    format: Format,
    opts: &ReadOptions,
    sink: &mut dyn LayerSink,
) -> Result<()> {
    if !path.exists() {
        return Err(FormatError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        });
    }
    match format {
        Format::GeoJson => geojson::read_into(path, opts, sink),
        Format::GeoPackage => gpkg::read_into(path, opts, sink),
        Format::Shapefile => sink::replay(shapefile::read(path, opts)?, sink),
        Format::Kml => sink::replay(kml::read(path, opts)?, sink),
        Format::Kmz => sink::replay(kml::read_kmz(path, opts)?, sink),
        Format::Gpx => sink::replay(gpx::read(path, opts)?, sink),
        Format::Csv => sink::replay(csv::read(path, opts)?, sink),
        Format::Wkt => sink::replay(wkt::read(path, opts)?, sink),
    }
}

/// A sink that writes `path` as `format`. Output goes to a temporary file
/// beside `path` and replaces it only when the sink finishes without error.
pub fn create(path: &Path, format: Format, opts: &WriteOptions) -> Result<Box<dyn LayerSink>> {
    if !opts.overwrite {
        if let Some(existing) = format.output_files(path).into_iter().find(|p| p.exists()) {
            return Err(FormatError::Exists { path: existing });
        }
    }
    Ok(match format {
        Format::GeoJson => Box::new(geojson::GeoJsonWriter::create(path)?),
        Format::GeoPackage => Box::new(gpkg::GpkgWriter::create(path)?),
        Format::Shapefile => Box::new(sink::Buffered::new(path, shapefile::write)),
        Format::Kml => Box::new(sink::Buffered::new(path, kml::write)),
        Format::Kmz => Box::new(sink::Buffered::new(path, kml::write_kmz)),
        Format::Gpx => Box::new(sink::Buffered::new(path, gpx::write)),
        Format::Csv => Box::new(sink::Buffered::new(path, csv::write)),
        Format::Wkt => Box::new(sink::Buffered::new(path, wkt::write)),
    })
}

/// Write a whole dataset.
pub fn write(path: &Path, format: Format, ds: &Dataset, opts: &WriteOptions) -> Result<()> {
    let mut sink = create(path, format, opts)?;
    sink::replay(ds.clone(), sink.as_mut())?;
    sink.finish()
}

/// Write to a temporary sibling of `path`, then rename over `path`.
pub(crate) fn atomic_write(path: &Path, f: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let tmp = temp_sibling(path);
    match f(&tmp) {
        Ok(()) => std::fs::rename(&tmp, path).map_err(|e| FormatError::io(path, e)),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// `dir/.name.terminus-partial`: where output is written before it is complete.
pub(crate) fn temp_sibling(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("output");
    path.with_file_name(format!(".{name}.terminus-partial"))
}

/// The one layer of a dataset, for single-layer formats.
pub(crate) fn single_layer<'d>(
    path: &Path,
    ds: &'d Dataset,
    format: &str,
) -> Result<&'d terminus_vector::Layer> {
    match ds.layers.as_slice() {
        [one] => Ok(one),
        [] => Err(FormatError::unsupported(path, "nothing to write: the input has no layers")),
        many => Err(FormatError::unsupported(
            path,
            format!(
                "{format} holds one layer and the input has {} ({}): pick one with --layer, or write GeoPackage",
                many.len(),
                many.iter().map(|l| format!("{:?}", l.name)).collect::<Vec<_>>().join(", ")
            ),
        )),
    }
}
