//! The terrain engine: DEMs in the formats users bring (GeoTIFF, SRTM
//! `.hgt`, ESRI ASCII grid), their georeferencing and ground cell sizes on
//! the ellipsoid, and hydrology — starting with depression filling by
//! Priority-Flood (Barnes et al. 2014).
//!
//! Heights are held as f32 (exact for the 16-bit integer DEMs of SRTM and
//! GEBCO), nodata as NaN, the source's sample type kept so that results are
//! written back in it.

pub mod ascii;
pub mod breach;
pub mod contour;
pub mod dem;
pub mod dinf;
pub mod divide;
pub mod fill;
pub mod flats;
pub mod flow;
pub mod geotiff;
pub mod hgt;
mod queue;
pub mod thalweg;
pub mod voids;
pub mod window;

pub use dem::{Dem, Georef, SampleType};
pub use fill::{fill, NodataAs};

use std::path::{Path, PathBuf};
use terminus_geodesy::Crs;

/// Why a DEM could not be read, written or processed.
#[derive(Debug, thiserror::Error)]
pub enum TerrainError {
    /// An I/O error on a file.
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
    /// A file of a kind or variant Terminus does not read.
    #[error("{path}: {message}")]
    Unsupported {
        /// The file.
        path: PathBuf,
        /// What is unsupported.
        message: String,
    },
    /// A malformed text file.
    #[error("{path}, line {line}: {message}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// The line (1-based; 0 when it concerns the whole file).
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// No georeferencing at all.
    #[error("{0}: the image has no georeferencing (no ModelPixelScale/ModelTiepoint or ModelTransformation tags): not a DEM Terminus can place")]
    NoGeoreference(PathBuf),
    /// No CRS, or a user-defined one.
    #[error("{0}: the DEM states no EPSG CRS (missing or user-defined GeoKeys, or no .prj); give it with --crs EPSG:CODE")]
    NoCrs(PathBuf),
    /// Tiles that cannot be joined.
    #[error("cannot mosaic: {0}")]
    Mosaic(String),
    /// A place or box outside the DEM.
    #[error("{0}")]
    OutsideDem(String),
    /// Every cell is nodata.
    #[error("the DEM has no valid cell: every cell is nodata")]
    AllNodata,
    /// A computation that could not be completed on this DEM.
    #[error("{0}")]
    Invalid(String),
}

/// Read a DEM by its extension: `.tif`/`.tiff` (GeoTIFF), `.hgt` (SRTM),
/// `.asc` (ESRI ASCII grid). `crs` is assumed where the file states none
/// (a GeoTIFF without GeoKeys, an ASCII grid without `.prj`).
pub fn read(path: &Path, crs: Option<&Crs>) -> Result<Dem, TerrainError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "tif" | "tiff" => geotiff::read_with(path, crs),
        "hgt" => hgt::read(path),
        "asc" => ascii::read(path, crs),
        _ => Err(TerrainError::Unsupported {
            path: path.to_path_buf(),
            message: "unknown DEM format: Terminus reads .tif/.tiff (GeoTIFF), .hgt (SRTM) and .asc (ESRI ASCII grid)".into(),
        }),
    }
}
