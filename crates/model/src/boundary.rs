//! A whole boundary, and the consistency rules that tie its parts together.

use crate::{ClaimLine, Party, Pillar, Section, Source};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Everything Terminus knows about one boundary.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Boundary {
    /// Name, e.g. "Armenia–Azerbaijan".
    pub name: String,
    /// The parties (two, or more at a tri-point).
    pub parties: Vec<Party>,
    /// Sources referred to by id.
    #[serde(default)]
    pub sources: Vec<Source>,
    /// Candidate and agreed lines.
    #[serde(default)]
    pub claim_lines: Vec<ClaimLine>,
    /// Named stretches.
    #[serde(default)]
    pub sections: Vec<Section>,
    /// Markers.
    #[serde(default)]
    pub pillars: Vec<Pillar>,
}

/// A broken rule of the model, naming the offending item.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelError {
    /// Two items of one kind share an id.
    #[error("two {kind} have the id {id:?}")]
    DuplicateId {
        /// "parties", "sources" …
        kind: &'static str,
        /// The repeated id.
        id: String,
    },
    /// A reference to an id that does not exist.
    #[error("{from} refers to {kind} {id:?}, which is not defined")]
    Dangling {
        /// Who refers.
        from: String,
        /// To what kind of item.
        kind: &'static str,
        /// The missing id.
        id: String,
    },
    /// Agreed or demarcated sections need turning points.
    #[error("section {0:?} is {1:?} but has no turning points")]
    AgreedWithoutLine(String, crate::Status),
}

fn duplicates<'a>(
    kind: &'static str,
    ids: impl Iterator<Item = &'a str>,
    out: &mut Vec<ModelError>,
) {
    let mut seen = HashSet::new();
    for id in ids {
        if !seen.insert(id) {
            out.push(ModelError::DuplicateId {
                kind,
                id: id.to_string(),
            });
        }
    }
}

impl Boundary {
    /// Check ids and references; an empty list means consistent.
    ///
    /// ```
    /// use terminus_model::{Boundary, Party, Pillar, PillarKind};
    /// let mut b = Boundary { name: "AM–AZ".into(), parties: vec![Party::new("AM", "Armenia")], ..Default::default() };
    /// b.pillars.push(Pillar { number: "TG-001".into(), kind: PillarKind::Main, section: Some("TG".into()),
    ///     planned: None, surveys: vec![], height: None });
    /// let errors = b.check();
    /// assert_eq!(errors.len(), 1);
    /// assert!(errors[0].to_string().contains("section \"TG\""));
    /// ```
    pub fn check(&self) -> Vec<ModelError> {
        let mut out = Vec::new();
        duplicates(
            "parties",
            self.parties.iter().map(|p| p.id.as_str()),
            &mut out,
        );
        duplicates(
            "sources",
            self.sources.iter().map(|s| s.id.as_str()),
            &mut out,
        );
        duplicates(
            "claim lines",
            self.claim_lines.iter().map(|c| c.id.as_str()),
            &mut out,
        );
        duplicates(
            "sections",
            self.sections.iter().map(|s| s.id.as_str()),
            &mut out,
        );
        duplicates(
            "pillars",
            self.pillars.iter().map(|p| p.number.as_str()),
            &mut out,
        );
        let parties: HashSet<&str> = self.parties.iter().map(|p| p.id.as_str()).collect();
        let sources: HashSet<&str> = self.sources.iter().map(|s| s.id.as_str()).collect();
        let lines: HashSet<&str> = self.claim_lines.iter().map(|c| c.id.as_str()).collect();
        let sections: HashSet<&str> = self.sections.iter().map(|s| s.id.as_str()).collect();
        let mut dangling = |from: String, kind: &'static str, id: &str, set: &HashSet<&str>| {
            if !set.contains(id) {
                out.push(ModelError::Dangling {
                    from,
                    kind,
                    id: id.to_string(),
                });
            }
        };
        for c in &self.claim_lines {
            if let Some(p) = &c.party {
                dangling(format!("claim line {:?}", c.id), "party", p, &parties);
            }
            if let Some(s) = &c.source {
                dangling(format!("claim line {:?}", c.id), "source", s, &sources);
            }
        }
        for s in &self.sections {
            for l in &s.claim_lines {
                dangling(format!("section {:?}", s.id), "claim line", l, &lines);
            }
            for t in &s.turning_points {
                if let Some(src) = &t.source {
                    dangling(
                        format!("turning point {:?}", t.number),
                        "source",
                        src,
                        &sources,
                    );
                }
            }
        }
        for p in &self.pillars {
            if let Some(s) = &p.section {
                dangling(format!("pillar {:?}", p.number), "section", s, &sections);
            }
        }
        for s in &self.sections {
            if s.status >= crate::Status::Agreed && s.turning_points.is_empty() {
                out.push(ModelError::AgreedWithoutLine(s.id.clone(), s.status));
            }
        }
        out
    }
}
