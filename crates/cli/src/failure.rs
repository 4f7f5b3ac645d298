//! How a command fails: the application layer's [`Failure`], whose
//! `exit_code` is the one mapping from errors to exit codes.

pub use terminus_app::Failure;
