//! The error type of every reader and writer: what went wrong and where
//! (file, and within it line and column, feature, vertex, record or row).

use std::path::{Path, PathBuf};

/// A failure to read or write a file.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    /// The file system refused.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The content is not what the format requires.
    #[error("{}: {at}{}{message}", path.display(), if at.is_empty() { "" } else { ": " })]
    Malformed {
        /// The file.
        path: PathBuf,
        /// Where in it: "line 3, column 17", "feature 12, vertex 4", "row 7".
        at: String,
        /// What is wrong.
        message: String,
    },
    /// The data cannot be written in this format (a polygon into GPX, UTM
    /// coordinates into KML, two layers into one GeoJSON file).
    #[error("{}: {message}", path.display())]
    Unsupported {
        /// The file.
        path: PathBuf,
        /// Why, and what to do instead.
        message: String,
    },
    /// The file's CRS is missing, unknown or contradicts `--crs`.
    #[error("{}: {message}", path.display())]
    Crs {
        /// The file.
        path: PathBuf,
        /// What is wrong with the CRS.
        message: String,
    },
    /// The extension names no format Terminus knows.
    #[error("{}: unknown format; Terminus reads and writes .geojson/.json, .gpkg, .shp, .kml, .kmz, .gpx, .csv/.tsv/.txt and .wkt", path.display())]
    UnknownFormat {
        /// The file.
        path: PathBuf,
    },
    /// Output exists and `--overwrite` was not given.
    #[error("{} already exists; pass --overwrite to replace it", path.display())]
    Exists {
        /// The existing file.
        path: PathBuf,
    },
}

impl FormatError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> FormatError {
        FormatError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// Malformed input at `at` (line, feature, vertex): exit 2.
    pub fn malformed(
        path: &Path,
        at: impl Into<String>,
        message: impl Into<String>,
    ) -> FormatError {
        FormatError::Malformed {
            path: path.to_path_buf(),
            at: at.into(),
            message: message.into(),
        }
    }

    pub(crate) fn unsupported(path: &Path, message: impl Into<String>) -> FormatError {
        FormatError::Unsupported {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }

    pub(crate) fn crs(path: &Path, message: impl Into<String>) -> FormatError {
        FormatError::Crs {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }

    /// True when the failure lies in the input (exit code 2), false when an
    /// operation on valid input could not be done (exit code 1).
    pub fn is_input_error(&self) -> bool {
        !matches!(
            self,
            FormatError::Unsupported { .. } | FormatError::Exists { .. }
        )
    }
}
