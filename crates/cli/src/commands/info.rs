//! `terminus info FILE`

use super::{print_json, InputArgs};
use crate::failure::Failure;
use std::path::PathBuf;
use terminus_app::inspect::{dataset_facts, render_text};

/// Arguments of `terminus info`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:
  terminus info ../shared/data/boundaries/am_az/naturalearth10m_ARM_AZE_shared.geojson
  terminus info pillars.csv --crs EPSG:4326 --lat-column B --lon-column L --json

Lengths and areas are geodesic, on the CRS's ellipsoid (Karney 2013): lines
to nanometres, areas to about 0.1 m². Ring vertices are counted with their
closing vertex, as ogrinfo counts them.")]
pub struct Args {
    /// The file to describe.
    pub file: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

/// Run `terminus info`.
pub fn run(args: Args) -> Result<u8, Failure> {
    let ds = args.input.read_as_is(&args.file)?;
    let spin = crate::progress::spinner("measuring on the ellipsoid", crate::progress::is_big(&ds));
    let v = dataset_facts(&args.file, &ds);
    spin.finish_and_clear();
    if args.json {
        print_json(&v);
    } else {
        print!("{}", render_text(&v));
    }
    Ok(0)
}
