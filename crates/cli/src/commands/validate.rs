//! `terminus validate FILE…`

use super::{print_json, InputArgs};
use crate::failure::Failure;
use serde_json::json;
use std::path::PathBuf;
use terminus_vector::validate::{
    validate_dataset, Check, Finding, Location, Severity, ValidationOptions,
};

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

/// Findings for one file, or why it could not be read.
pub fn validate_file(
    path: &std::path::Path,
    input: &InputArgs,
    opts: &ValidationOptions,
) -> Result<(Vec<Finding>, terminus_geodesy::Crs), Failure> {
    let ds = input.read_as_is(path)?;
    let crs = ds
        .layers
        .first()
        .map(|l| l.crs.clone())
        .unwrap_or(terminus_geodesy::Crs::WGS84);
    Ok((validate_dataset(&ds, opts), crs))
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
    let mut reports = Vec::new();
    let mut any_error = false;
    let mut unreadable = false;
    let mut first_crs: Option<(PathBuf, terminus_geodesy::Crs)> = None;
    for path in &args.files {
        match validate_file(path, &args.input, &opts) {
            Ok((mut findings, crs)) => {
                match &first_crs {
                    Some((p0, c0)) if *c0 != crs => findings.push(Finding {
                        severity: Severity::Warning,
                        check: Check::MixedCrs,
                        location: Location::default(),
                        message: format!(
                            "file is in {} but {} is in {}",
                            crs.id(),
                            p0.display(),
                            c0.id()
                        ),
                    }),
                    None => first_crs = Some((path.clone(), crs)),
                    _ => {}
                }
                any_error |= findings.iter().any(|f| f.severity == Severity::Error);
                reports.push((path.clone(), Ok(findings)));
            }
            Err(f) => {
                unreadable = true;
                reports.push((path.clone(), Err(f)));
            }
        }
    }
    if args.json {
        let files: Vec<serde_json::Value> = reports
            .iter()
            .map(|(p, r)| match r {
                Ok(findings) => json!({
                    "file": p.display().to_string(),
                    "valid": !findings.iter().any(|f| f.severity == Severity::Error),
                    "errors": findings.iter().filter(|f| f.severity == Severity::Error).count(),
                    "warnings": findings.iter().filter(|f| f.severity == Severity::Warning).count(),
                    "findings": findings,
                }),
                Err(f) => json!({"file": p.display().to_string(), "valid": false, "unreadable": f.message}),
            })
            .collect();
        print_json(&json!({ "files": files }));
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
