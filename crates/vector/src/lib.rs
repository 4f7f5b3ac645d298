//! Features, geometries and layers: the in-memory form of every vector file
//! Terminus reads or writes, and its validation.
//!
//! * [`Geometry`] (OGC simple features, with optional Z), [`Feature`]
//!   (geometry + id + ordered attributes), [`Layer`] (features + their
//!   [`Crs`](terminus_geodesy::Crs)), [`Dataset`] (named layers).
//! * [`validate`]: the checks of `terminus validate`, each finding located by
//!   layer, feature, part, ring and vertex.
//! * [`measure`]: geodesic length and area of geometries.
//!
//! Architecture invariant: no file formats here (that is `terminus-formats`),
//! and no boundary semantics (that is `terminus-model`).

pub mod feature;
pub mod geometry;
pub mod layer;
pub mod measure;
pub mod ring;
pub mod validate;
pub mod value;

pub use feature::{Feature, FeatureId};
pub use geometry::{Bbox, Coord, Geometry, GeometryType, Polygon};
pub use layer::{Dataset, Field, Layer};
pub use value::{FieldKind, Value};
