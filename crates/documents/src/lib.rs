//! The documents a boundary treaty annexes, made from what the engines
//! computed: the protocol-description of the line (English and Russian,
//! Markdown and HTML, with its parse back into coordinates and the
//! closure check) and the pillar catalogue as files (CSV, and a point layer
//! for GeoJSON, GeoPackage, KML, GPX). The map album and the pillar
//! protocols (issue 20) come here too.
//!
//! | module | what |
//! |---|---|
//! | [`description`] | the protocol-description: [`description::describe`], [`description::parse`], [`description::closure`] |
//! | [`catalogue`] | the catalogue's CSV ([`catalogue::csv`], [`catalogue::CSV_HEADER`]) and point layer ([`catalogue::layer`]) |
//!
//! Architecture invariant: presentation only. Every figure a document
//! states comes from an engine's outcome (`terminus_demarcation`'s
//! catalogue rows); a document computes nothing a surveyor relies on
//! except the check that its own text reproduces the catalogue (the
//! description's closure). It reads and writes no files: the application
//! layer does.

pub mod catalogue;
pub mod description;

/// Why a document could not be made or read back.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// A setting that does not fit the catalogue (a feature run between
    /// pillars it does not have, fewer than two pillars).
    #[error("{0}")]
    BadParameter(String),
    /// Text that does not parse as a protocol-description.
    #[error("line {line}: {message}")]
    Parse {
        /// 1-based line of the text.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A geodesic construction failed.
    #[error("{0}")]
    Geodesic(#[from] terminus_geodesy::geodesic::GeodesicError),
}
