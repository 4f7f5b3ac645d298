//! What made a result: `provenance.json` in every result folder, and its
//! human form in every report.
//!
//! A commission signs what Terminus prints, so each result says which
//! Terminus (version and commit), which command or request, which input
//! files (SHA-256 of each, with sidecars), in which CRS, moved to WGS 84 by
//! which EPSG transformation (with the accuracy EPSG states and how it was
//! chosen), under which tolerances, and when.

use crate::failure::Failure;
use crate::input::{FileHash, Input};
use crate::road::TransformationRecord;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The Terminus version (Cargo's).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The git commit Terminus was built from ("+modified" when the tree had
/// changes), empty when built outside a checkout.
pub const COMMIT: &str = env!("TERMINUS_COMMIT");

/// One layer of an input and the road it took.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LayerRecord {
    /// Layer name.
    pub layer: String,
    /// The transformation to WGS 84.
    pub transformation: TransformationRecord,
}

/// One input.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct InputRecord {
    /// What the workflow used it as ("line", "claim NE", "DEM", …).
    pub role: String,
    /// The files, hashed.
    pub files: Vec<FileHash>,
    /// The format (`GeoJSON`, `GeoPackage`, …).
    pub format: String,
    /// Each layer's CRS and transformation (vector inputs).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub layers: Vec<LayerRecord>,
    /// The CRS of a raster input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crs: Option<String>,
}

/// The provenance of one result folder.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Provenance {
    /// Terminus version.
    pub terminus: String,
    /// Its commit.
    pub commit: String,
    /// The command line (or the service request) that made the result.
    pub command: Vec<String>,
    /// When it began, RFC 3339 UTC.
    pub started: String,
    /// Every input, in the order the workflow read them.
    pub inputs: Vec<InputRecord>,
    /// The tolerances and settings the figures depend on, by name.
    pub tolerances: serde_json::Map<String, serde_json::Value>,
    /// What a reader must know (transformations used outside their area,
    /// fallbacks, regions skipped).
    pub warnings: Vec<String>,
}

impl Provenance {
    /// Provenance of a result begun now by `command`.
    pub fn new(command: Vec<String>) -> Provenance {
        Provenance {
            terminus: VERSION.to_string(),
            commit: COMMIT.to_string(),
            command,
            started: terminus_ledger::record::now_rfc3339(),
            inputs: Vec::new(),
            tolerances: serde_json::Map::new(),
            warnings: Vec::new(),
        }
    }

    /// Record a vector input read through the input road.
    pub fn input(&mut self, role: impl Into<String>, input: &Input) {
        if input.files.is_empty() {
            self.warn(format!(
                "{} was read without its hash (skip_hash): this provenance cannot prove which file it was",
                input.path.display()
            ));
        }
        self.inputs.push(InputRecord {
            role: role.into(),
            files: input.files.clone(),
            format: input.format.name().to_string(),
            layers: input
                .roads
                .iter()
                .map(|l| LayerRecord {
                    layer: l.layer.clone(),
                    transformation: l.road.record(),
                })
                .collect(),
            crs: None,
        });
        for w in &input.warnings {
            if !self.warnings.contains(w) {
                self.warnings.push(w.clone());
            }
        }
    }

    /// Record a raster (DEM) or other file input, hashing it.
    pub fn file(
        &mut self,
        role: impl Into<String>,
        path: &Path,
        format: &str,
        crs: Option<String>,
    ) -> Result<(), Failure> {
        self.inputs.push(InputRecord {
            role: role.into(),
            files: vec![crate::input::hash_file(path)?],
            format: format.to_string(),
            layers: Vec::new(),
            crs,
        });
        Ok(())
    }

    /// Record a tolerance or setting.
    pub fn tolerance(&mut self, name: &str, value: impl Serialize) {
        self.tolerances.insert(
            name.to_string(),
            serde_json::to_value(value).unwrap_or(serde_json::Value::Null),
        );
    }

    /// Record a warning.
    pub fn warn(&mut self, w: impl Into<String>) {
        let w = w.into();
        if !self.warnings.contains(&w) {
            self.warnings.push(w);
        }
    }

    /// Every distinct transformation taken, as people read it.
    pub fn transformations(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for l in self.inputs.iter().flat_map(|i| &i.layers) {
            let t = &l.transformation;
            let s = match (&t.operation, &t.operation_name, t.accuracy_m) {
                (Some(c), Some(n), Some(a)) => {
                    format!("{} → {} through {c} ({n}, {a} m)", t.from, t.to)
                }
                _ if t.from == t.to => format!("{} (no transformation)", t.from),
                _ => format!("{} → {} (no datum step)", t.from, t.to),
            };
            if !out.contains(&s) {
                out.push(s);
            }
        }
        out
    }

    /// Write `provenance.json` into `dir` (replacing an earlier one: it
    /// describes the files beside it, which were just written).
    pub fn write(&self, dir: &Path) -> Result<PathBuf, Failure> {
        let p = dir.join("provenance.json");
        let text = serde_json::to_string_pretty(self)
            .map_err(|e| Failure::failed(format!("provenance: {e}")))?;
        crate::output::write_text(&p, &text, true)?;
        Ok(p)
    }

    /// The human form, a Markdown section for reports.
    pub fn markdown(&self) -> String {
        let mut s = String::from("## Provenance\n\n");
        s.push_str(&format!(
            "Made by Terminus {}{} on {} with `{}`.\n\n",
            self.terminus,
            if self.commit.is_empty() {
                String::new()
            } else {
                format!(" (commit {})", self.commit)
            },
            self.started,
            self.command.join(" ")
        ));
        if !self.inputs.is_empty() {
            s.push_str("| input | file | SHA-256 | CRS → WGS 84 |\n|---|---|---|---|\n");
            for i in &self.inputs {
                let how = if i.layers.is_empty() {
                    i.crs.clone().unwrap_or_default()
                } else {
                    i.layers
                        .iter()
                        .map(|l| {
                            let t = &l.transformation;
                            match &t.operation {
                                Some(op) => format!(
                                    "{} via {op} ({} m)",
                                    t.from,
                                    t.accuracy_m.unwrap_or(f64::NAN)
                                ),
                                None => t.from.clone(),
                            }
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                for (k, f) in i.files.iter().enumerate() {
                    s.push_str(&format!(
                        "| {} | `{}` | `{}` | {} |\n",
                        if k == 0 { i.role.as_str() } else { "" },
                        f.path,
                        f.sha256,
                        if k == 0 { how.as_str() } else { "" }
                    ));
                }
            }
            s.push('\n');
        }
        if !self.tolerances.is_empty() {
            s.push_str("Tolerances and settings: ");
            s.push_str(
                &self
                    .tolerances
                    .iter()
                    .map(|(k, v)| format!("{k} = {v}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            s.push_str(".\n\n");
        }
        for w in &self.warnings {
            s.push_str(&format!("- **Warning:** {w}\n"));
        }
        s
    }
}
