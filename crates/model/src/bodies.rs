//! What the commission's record signs: the bodies of its events, in the
//! model's words. `terminus-ledger` signs, chains and checks events whose
//! bodies are these types serialised as RFC 8785 canonical JSON; the
//! application layer builds them (from files, through the input road) and
//! the ledger's views read them back, so no body is built as JSON by hand.
//!
//! | event kind | body |
//! |---|---|
//! | `proposal`, `counter_proposal`, `amendment` | [`Proposal`]: a section's line on WGS 84 and where it comes from ([`ProposalSource`]) |
//! | `agreement` | [`Agreement`]: the [`SectionTerms`] both heads sign |
//! | `attachment` | [`Attachment`]: a pillar catalogue, a protocol-description or a survey of an agreed section: its points ([`AttachedPillar`]) and documents ([`AttachedDocument`]) |
//!
//! The forms are those the record has always held (docs/ledger.md), so a
//! record signed before the bodies were typed reads the same.

use crate::{Source, SourceKind};
use serde::{Deserialize, Deserializer, Serialize};
use terminus_geodesy::Crs;

/// A line proposed for a section (also a counter-proposal or an amendment).
///
/// ```
/// use terminus_model::bodies::{Proposal, ProposalSource};
/// use terminus_geodesy::Crs;
/// let p = Proposal {
///     section: "Tavush–Gazakh".into(),
///     crs: Crs::WGS84,
///     line: vec![[45.3761, 41.1622], [45.3897, 41.1488]],
///     source: ProposalSource::new("General Staff 1:50,000, 1976"),
/// };
/// let json = serde_json::to_value(&p).unwrap();
/// assert_eq!(json["crs"], "EPSG:4326");
/// assert_eq!(json["line"][0][0], 45.3761);
/// assert_eq!(json["source"]["text"], "General Staff 1:50,000, 1976");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Proposal {
    /// The section's name.
    pub section: String,
    /// Always WGS 84 (EPSG:4326) in what Terminus signs: the line was moved
    /// there through the named transformation `source.transformation` says.
    pub crs: Crs,
    /// The line, `[longitude, latitude]` in degrees.
    pub line: Vec<[f64; 2]>,
    /// Where the line comes from.
    pub source: ProposalSource,
}

/// Where a proposed line comes from, as the proposing delegation states it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposalSource {
    /// The source in words ("USSR General Staff 1:50,000, 1976, sheet
    /// K-38-128-А, as digitised by …").
    pub text: String,
    /// The map series.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map_series: Option<String>,
    /// The edition or compilation year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition_year: Option<i32>,
    /// The scale denominator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<u32>,
    /// The sheet nomenclature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The file the line was read from (its name only).
    #[serde(default)]
    pub file: Option<String>,
    /// How the line reached WGS 84: the input road's notes (the CRS read
    /// and the EPSG transformation taken).
    #[serde(default)]
    pub transformation: Vec<String>,
}

impl ProposalSource {
    /// A source stated in words only.
    pub fn new(text: &str) -> ProposalSource {
        ProposalSource {
            text: text.to_string(),
            map_series: None,
            edition_year: None,
            scale: None,
            sheet: None,
            file: None,
            transformation: Vec::new(),
        }
    }

    /// As the boundary model's [`Source`] with id `id` (a map series when
    /// one is named, else "other"; the transformation in its notes).
    pub fn to_source(&self, id: &str) -> Source {
        let kind = if self.map_series.is_some() {
            SourceKind::MapSeries
        } else {
            SourceKind::Other
        };
        Source {
            map_series: self.map_series.clone(),
            edition_year: self.edition_year,
            scale: self.scale,
            sheet: self.sheet.clone(),
            dataset: self.file.clone(),
            notes: (!self.transformation.is_empty()).then(|| self.transformation.join("; ")),
            ..Source::new(id, &self.text, kind)
        }
    }
}

/// The terms two delegations sign for a section: the line with its CRS,
/// every coordinate written with exactly `decimals` decimals (so the text,
/// not a float's rendering, is what is agreed), the basis, and the SHA-256
/// of the protocol-description's text. `terminus_ledger::record::
/// section_terms` makes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionTerms {
    /// The section's name.
    pub section: String,
    /// The CRS of `line`.
    pub crs: Crs,
    /// Decimals of every coordinate.
    pub decimals: usize,
    /// The line, `[x, y]` as text with exactly `decimals` decimals.
    pub line: Vec<[String; 2]>,
    /// The treaty, protocol or map the line follows.
    pub basis: String,
    /// SHA-256 of the protocol-description's text, lower-case hex.
    pub protocol_sha256: String,
}

/// An agreement's body: the terms signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreement {
    /// The terms.
    pub terms: SectionTerms,
}

/// What is attached to an agreed section: a pillar catalogue, a
/// protocol-description or a survey, with its points and documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attachment {
    /// The agreed section.
    pub section: String,
    /// What is attached: `pillar_catalogue`, `protocol_description` or
    /// `survey`.
    pub what: String,
    /// The SHA-256 of the agreed terms it belongs to.
    pub terms_sha256: String,
    /// The event of the attachment it replaces, when it replaces one.
    pub replaces: Option<u64>,
    /// The pillars' CRS: WGS 84 in what Terminus signs.
    pub crs: Crs,
    /// The pillars (none for a protocol-description alone).
    pub pillars: Vec<AttachedPillar>,
    /// Documents attached with their SHA-256 (the protocol-description).
    #[serde(default)]
    pub documents: Vec<AttachedDocument>,
    /// The input road's notes for the catalogue read.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// A pillar of an attached catalogue: its number and position, and the
/// catalogue's other columns as they were (grid coordinates, heights,
/// azimuths, the transformation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttachedPillar {
    /// The pillar's number ("TG-012"); a number written as a JSON number
    /// in a catalogue reads as its text.
    #[serde(deserialize_with = "text_or_number")]
    pub number: String,
    /// Longitude, degrees.
    pub lon: f64,
    /// Latitude, degrees.
    pub lat: f64,
    /// The catalogue's other columns.
    #[serde(flatten)]
    pub columns: serde_json::Map<String, serde_json::Value>,
}

/// A document attached, whole, with its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachedDocument {
    /// Its file name.
    pub name: Option<String>,
    /// SHA-256 of `text`, lower-case hex.
    pub sha256: String,
    /// The text.
    pub text: String,
}

fn text_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Ok(s),
        serde_json::Value::Number(n) => Ok(n.to_string()),
        other => Err(serde::de::Error::custom(format!(
            "a pillar's number is text or a number, not {other}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body as the record held it before it was typed reads into the
    /// type and writes back the same JSON.
    #[test]
    fn record_forms_round_trip() {
        let proposal = serde_json::json!({
            "section": "S", "crs": "EPSG:4326", "line": [[45.0, 40.0], [45.1, 40.1]],
            "source": {"text": "t", "map_series": "GS", "edition_year": 1976, "scale": 50000,
                       "sheet": "K-38-128", "file": "a.gpkg", "transformation": ["EPSG:28408 → WGS 84 by EPSG:1808"]}
        });
        let p: Proposal = serde_json::from_value(proposal.clone()).unwrap();
        assert_eq!(serde_json::to_value(&p).unwrap(), proposal);
        let attachment = serde_json::json!({
            "section": "S", "what": "pillar_catalogue", "terms_sha256": "ab", "replaces": null,
            "crs": "EPSG:4326",
            "pillars": [{"number": "TG-001", "lon": 45.0, "lat": 40.0, "gk_x": 4_500_000.123, "type": "main"}],
            "documents": [{"name": "d.md", "sha256": "cd", "text": "x"}],
            "notes": []
        });
        let a: Attachment = serde_json::from_value(attachment.clone()).unwrap();
        assert_eq!(a.pillars[0].columns["gk_x"], 4_500_000.123);
        assert_eq!(serde_json::to_value(&a).unwrap(), attachment);
    }

    #[test]
    fn a_numeric_pillar_number_reads_as_text_and_nonsense_is_refused() {
        let p: AttachedPillar =
            serde_json::from_value(serde_json::json!({"number": 12, "lon": 1.0, "lat": 2.0}))
                .unwrap();
        assert_eq!(p.number, "12");
        let e = serde_json::from_value::<AttachedPillar>(
            serde_json::json!({"number": [1], "lon": 1.0, "lat": 2.0}),
        )
        .unwrap_err();
        assert!(e.to_string().contains("text or a number"), "{e}");
        let e = serde_json::from_value::<Proposal>(serde_json::json!({
            "section": "S", "crs": "EPSG:99999", "line": [], "source": {"text": "t"}
        }))
        .unwrap_err();
        assert!(e.to_string().contains("EPSG:99999"), "{e}");
    }

    #[test]
    fn a_proposal_source_becomes_a_model_source() {
        let mut s = ProposalSource::new("GS 1976");
        s.map_series = Some("USSR General Staff".into());
        s.scale = Some(50_000);
        s.transformation = vec!["EPSG:1808".into()];
        let m = s.to_source("gs1976");
        assert_eq!(m.kind, SourceKind::MapSeries);
        assert_eq!((m.title.as_str(), m.scale), ("GS 1976", Some(50_000)));
        assert_eq!(m.notes.as_deref(), Some("EPSG:1808"));
    }
}
