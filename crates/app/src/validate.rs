//! Validating files: every geometry check of `terminus_vector::validate`
//! (and the CRS fit) on each file as read, in its own CRS, and a warning
//! when the files are in different CRSs.

use crate::failure::Failure;
use crate::input::{read_as_is, InputOptions};
use serde_json::json;
use std::path::PathBuf;
use terminus_vector::validate::{
    validate_dataset, Check, Finding, Location, Severity, ValidationOptions,
};

/// Each file's findings, or why it could not be read.
pub type FileFindings = (PathBuf, Result<Vec<Finding>, Failure>);

/// Validate `files` as `input` says to read them.
pub fn validate_files(
    files: &[PathBuf],
    input: &InputOptions,
    opts: &ValidationOptions,
) -> Vec<FileFindings> {
    let mut reports = Vec::new();
    let mut first_crs: Option<(PathBuf, terminus_geodesy::Crs)> = None;
    for path in files {
        let read = read_as_is(path, input).map(|(ds, _)| {
            let crs = ds
                .layers
                .first()
                .map(|l| l.crs.clone())
                .unwrap_or(terminus_geodesy::Crs::WGS84);
            (validate_dataset(&ds, opts), crs)
        });
        match read {
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
                reports.push((path.clone(), Ok(findings)));
            }
            Err(f) => reports.push((path.clone(), Err(f))),
        }
    }
    reports
}

/// The documented JSON form (docs/validation.md).
pub fn validation_json(reports: &[FileFindings]) -> serde_json::Value {
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
            Err(f) => {
                json!({"file": p.display().to_string(), "valid": false, "unreadable": f.message})
            }
        })
        .collect();
    json!({ "files": files })
}
