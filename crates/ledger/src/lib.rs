//! The commission's record: what two delegations proposed, agreed and
//! signed, kept so that any later change is detectable.
//!
//! - [`canonical`]: the bytes that are signed — RFC 8785 canonical JSON.
//! - [`merkle`]: the append-only log of RFC 6962/9162 — tree heads,
//!   inclusion and consistency proofs.
//! - [`draft`]: a delegation's drafts, signed, kept beside the record.
//! - [`keys`]: members' Ed25519 keys (RFC 8032), held by the members.
//! - [`record`]: the chain of signed events, its tree heads, and the
//!   replay that names the first event that fails.
//! - [`store`]: the record in SQLite (append-only, verified on open),
//!   and each delegation's drafts beside it; [`postgres`]: the same in
//!   PostgreSQL with PostGIS.
//! - [`token`]: access tokens a member signs offline for the service.
//! - [`views`]: the record's map layers (sections, proposals, agreed
//!   lines, pillars) as GeoJSON features.
//!
//! This crate is the record's core; the store, the service and the bundle
//! exchange build on it (issue 8).

pub mod canonical;
pub mod draft;
pub mod keys;
pub mod membership;
pub mod merkle;
pub mod postgres;
pub mod record;
pub mod store;
pub mod token;
pub mod views;
pub mod witness;
