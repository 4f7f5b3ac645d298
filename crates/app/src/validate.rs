//! Validating files: every geometry check of `terminus_vector::validate`
//! (and the CRS fit) on each file as read, in its own CRS, and a warning
//! when the files are in different CRSs.

use crate::failure::Failure;
use crate::input::{read_as_is, InputOptions};
use serde::Serialize;
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

/// One file's verdict (`terminus validate --json`; docs/validation.md).
#[derive(Debug, Clone, Serialize)]
pub struct FileVerdict<'a> {
    /// The file.
    pub file: String,
    /// No finding of severity error, and readable.
    pub valid: bool,
    /// Findings of severity error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<usize>,
    /// Findings of severity warning.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warnings: Option<usize>,
    /// Every finding, with where it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub findings: Option<&'a [Finding]>,
    /// Why the file could not be read, when it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unreadable: Option<&'a str>,
}

/// The verdicts on all files.
#[derive(Debug, Clone, Serialize)]
pub struct ValidationSummary<'a> {
    /// Each file, in the order given.
    pub files: Vec<FileVerdict<'a>>,
}

/// The documented summary of a validation.
pub fn summary(reports: &[FileFindings]) -> ValidationSummary<'_> {
    let files = reports
        .iter()
        .map(|(p, r)| match r {
            Ok(findings) => {
                let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
                FileVerdict {
                    file: p.display().to_string(),
                    valid: count(Severity::Error) == 0,
                    errors: Some(count(Severity::Error)),
                    warnings: Some(count(Severity::Warning)),
                    findings: Some(findings),
                    unreadable: None,
                }
            }
            Err(f) => FileVerdict {
                file: p.display().to_string(),
                valid: false,
                errors: None,
                warnings: None,
                findings: None,
                unreadable: Some(&f.message),
            },
        })
        .collect();
    ValidationSummary { files }
}
