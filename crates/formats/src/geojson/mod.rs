//! GeoJSON (RFC 7946), and the 2008 draft's `crs` member for files in other
//! CRSs (as GDAL writes and reads them).
//!
//! Reading streams: features go to the sink one at a time as the parser meets
//! them, so memory stays bounded by the largest feature, not the file.
//! Coordinates are parsed straight into positions without an intermediate
//! JSON tree. Errors give the line and column, and the feature index.
//!
//! Writing streams too: one feature per line, coordinates in the shortest
//! form that reads back to the same `f64` (Ryū), so round trips are exact.

mod read;
mod write;

pub use read::read_into;
pub use write::GeoJsonWriter;
