//! `terminus validate FILE…`

use super::{print_json, InputArgs};
use crate::failure::Failure;
use std::path::PathBuf;
use terminus_vector::validate::{Severity, ValidationOptions};

/// Arguments of `terminus validate`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Checks: unclosed rings, rings with too few vertices, empty parts,
self-intersections (with their location), lines crossing themselves, duplicate
consecutive vertices, spikes, wrong winding (RFC 7946), non-finite and
out-of-range coordinates, latitude/longitude that look swapped, layers (or
files) in different CRSs.

Each finding names the file, layer, feature index (and id), part, ring and
vertex. Exit code 1 when any error is found (warnings alone exit 0), 2 when
a file cannot be read.

Examples:
  terminus validate claim_AM.geojson claim_AZ.shp
  terminus validate pillars.csv --crs EPSG:4326 --lat-column B --lon-column L --json"
)]
pub struct Args {
    /// Files to check.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Spike threshold: a vertex where the line turns back to within this many degrees of a full reversal.
    #[arg(long, default_value_t = 1.0, value_name = "DEGREES")]
    pub spike_angle: f64,
    /// Do not report ring orientation (RFC 7946 winding).
    #[arg(long)]
    pub no_winding: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

/// Run `terminus validate`.
pub fn run(args: Args) -> Result<u8, Failure> {
    if !(args.spike_angle >= 0.0 && args.spike_angle < 90.0) {
        return Err(Failure::usage(format!(
            "--spike-angle {}: must be at least 0 and below 90 degrees",
            args.spike_angle
        )));
    }
    let opts = ValidationOptions {
        spike_angle_deg: args.spike_angle,
        check_winding: !args.no_winding,
    };
    let reports = terminus_app::validate::validate_files(&args.files, &args.input.plain()?, &opts);
    let any_error = reports.iter().any(|(_, r)| {
        r.as_ref()
            .is_ok_and(|f| f.iter().any(|x| x.severity == Severity::Error))
    });
    let unreadable = reports.iter().any(|(_, r)| r.is_err());
    if args.json {
        print_json(&terminus_app::validate::summary(&reports));
    } else {
        for (p, r) in &reports {
            match r {
                Ok(findings) => {
                    let errors = findings
                        .iter()
                        .filter(|f| f.severity == Severity::Error)
                        .count();
                    let warnings = findings.len() - errors;
                    for f in findings {
                        println!("{}: {f}", p.display());
                    }
                    println!(
                        "{}: {} ({errors} error(s), {warnings} warning(s))",
                        p.display(),
                        if errors == 0 { "valid" } else { "INVALID" }
                    );
                }
                Err(f) => println!("{}: unreadable: {}", p.display(), f.message),
            }
        }
    }
    Ok(if unreadable {
        2
    } else if any_error {
        1
    } else {
        0
    })
}
