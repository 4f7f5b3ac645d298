//! The boundary model: who claims what line, from which source, in which
//! state of agreement, and where its turning points and pillars are.
//!
//! | type | module | what it is |
//! |---|---|---|
//! | [`Party`] | [`party`] | a state (delegation) or other party to the boundary |
//! | [`Source`] | [`source`] | provenance: map series, edition, scale, sheet, dataset, survey |
//! | [`Status`] | [`status`] | proposed → disputed → agreed → demarcated |
//! | [`Position`], [`Height`] | [`position`] | a coordinate *with* its CRS and accuracy |
//! | [`ClaimLine`] | [`claim_line`] | a party's or a source's line |
//! | [`TurningPoint`] | [`turning_point`] | a vertex of the delimited line |
//! | [`Section`] | [`section`] | a named stretch, e.g. "Tavush–Gazakh" |
//! | [`Pillar`] | [`pillar`] | a boundary marker: planned and surveyed |
//! | [`Boundary`] | [`boundary`] | all of the above for one boundary, with reference checks |
//! | [`bodies::Proposal`], [`bodies::SectionTerms`], [`bodies::Attachment`] | [`bodies`] | what the commission's record signs: its events' bodies |
//!
//! Everything serialises to JSON with serde; the documented form, with a
//! full example, is in `docs/boundary-model.md`. Every coordinate carries its
//! CRS: a [`Position`] cannot be built without one, and a [`ClaimLine`]'s
//! geometry is stored with its CRS.
//!
//! Architecture invariant: the model is data and its consistency rules; it
//! reads no files (formats do) and computes no geometry (engines do). Its
//! one dependency is `terminus-geodesy`, for the CRS a position names (so
//! a CRS Terminus does not know is refused when read): the ledger, which
//! signs the model's [`bodies`], stays free of features and formats.

pub mod bodies;
pub mod boundary;
pub mod claim_line;
pub mod party;
pub mod pillar;
pub mod position;
pub mod section;
pub mod source;
pub mod status;
pub mod turning_point;

pub use boundary::{Boundary, ModelError};
pub use claim_line::{ClaimLine, LineGeometry};
pub use party::Party;
pub use pillar::{Pillar, PillarKind, Survey};
pub use position::{Height, HeightReference, Position};
pub use section::Section;
pub use source::{Source, SourceKind};
pub use status::Status;
/// The CRS a position or a body names (`terminus-geodesy`'s, re-exported so
/// that users of the signed vocabulary need not name the geodesy crate).
pub use terminus_geodesy::Crs;
pub use turning_point::TurningPoint;
