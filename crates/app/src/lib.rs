//! The application layer of Terminus: one road from a user's file to a
//! result, the same for every front-end.
//!
//! The engines (`terminus-compare`, `-delimitation`, `-terrain`,
//! `-demarcation`, `-ledger`) take plain positions on WGS 84 and are exact
//! on their own. This crate is what stands between them and the people:
//! - [`input`]: the one input road — read any supported file, its declared
//!   CRS or the one the user named, checked, onto WGS 84 through one named
//!   [`road::Road`], refusing what cannot be transformed;
//! - [`road`]: a user's CRS ⇄ WGS 84 through one EPSG transformation, both
//!   ways, so results written in the user's CRS come back unchanged;
//! - [`provenance`]: `provenance.json` and its human form for every result;
//! - [`failure`]: errors and the one place they become exit codes;
//! - [`shapes`], [`units`], [`output`]: what every workflow needs from
//!   datasets, quantities and files; [`geojson`]: layers as GeoJSON values
//!   for front-ends that answer in JSON.
//!
//! Front-ends (the CLI, `terminus serve`, the web workspace) parse, call a
//! workflow here, and print. Nothing here knows clap, HTTP or a terminal.

pub mod basemap;
pub mod chunks;
pub mod compare;
pub mod convert;
pub mod coordinate_lines;
pub mod demarcate;
pub mod demo;
pub mod failure;
pub mod geodesic_lines;
pub mod geojson;
pub mod input;
pub mod inspect;
pub mod ledger;
pub mod median;
pub mod output;
pub mod places;
pub mod provenance;
pub mod road;
pub mod shapes;
pub mod sheets;
pub mod sight;
pub mod terrain;
pub mod units;
pub mod validate;
pub mod words;

pub use failure::{Failure, Fault};
pub use input::{read, Input, InputOptions};
pub use provenance::Provenance;
pub use road::Road;
