//! `terminus demo`
use crate::failure::Failure;
use std::path::PathBuf;

/// Arguments of `terminus demo`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Results folder.
    #[arg(long, default_value = "terminus-demo")]
    pub out: PathBuf,
}

/// Run `terminus demo`.
pub fn run(_args: Args) -> Result<u8, Failure> {
    Err(Failure::failed("demo not yet written"))
}
