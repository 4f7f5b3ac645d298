//! OGC GeoPackage 1.3 (OGC 12-128r17): an SQLite file with `gpkg_contents`,
//! `gpkg_geometry_columns`, `gpkg_spatial_ref_sys`, geometries as
//! GeoPackage binary (header with envelope + ISO WKB) and an R-tree spatial
//! index per geometry column (the `gpkg_rtree_index` extension).
//!
//! SQLite is built into the binary (`rusqlite` with `bundled`): no system
//! library needed.

mod blob;
mod compare;
mod read;
mod write;

pub use blob::{decode_blob, encode_blob};
pub use compare::same_for_gis;
pub use read::read_into;
pub use write::GpkgWriter;

/// `PRAGMA application_id` of a GeoPackage: ASCII "GPKG".
pub const APPLICATION_ID: i32 = 0x4750_4B47;
/// `PRAGMA user_version` of GeoPackage 1.3.
pub const USER_VERSION: i32 = 10300;

/// Quote an SQL identifier.
pub(crate) fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
