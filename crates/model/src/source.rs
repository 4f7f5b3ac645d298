//! Provenance: where a line or a coordinate comes from.

use serde::{Deserialize, Serialize};
use terminus_geodesy::Crs;

/// What kind of source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A topographic map series (e.g. the USSR General Staff 1:50,000).
    MapSeries,
    /// A digital dataset (Natural Earth, OpenStreetMap, DCW).
    Dataset,
    /// A field or geodetic survey.
    Survey,
    /// A treaty, protocol or other legal text with its annexes.
    Treaty,
    /// Anything else; say what in `notes`.
    Other,
}

/// Provenance of a line or a coordinate.
///
/// ```
/// use terminus_model::{Source, SourceKind};
/// let map = Source {
///     map_series: Some("USSR General Staff topographic map".into()),
///     edition_year: Some(1976),
///     scale: Some(50_000),
///     sheet: Some("K-38-128-А".into()),
///     ..Source::new("gs1976", "General Staff 1:50,000, 1976", SourceKind::MapSeries)
/// };
/// assert_eq!(map.scale, Some(50_000));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// Identifier, referred to by claim lines and pillars.
    pub id: String,
    /// Human title.
    pub title: String,
    /// What kind of source.
    pub kind: SourceKind,
    /// Map series name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map_series: Option<String>,
    /// Edition or compilation year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition_year: Option<i32>,
    /// Scale denominator (50000 for 1:50,000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<u32>,
    /// Sheet nomenclature, e.g. "K-38-128".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Dataset name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset: Option<String>,
    /// Dataset version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Survey campaign or report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survey: Option<String>,
    /// The CRS the source itself is in (an SK-42 map even when its line was
    /// transformed to WGS 84 since).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crs: Option<Crs>,
    /// Licence or terms of use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence: Option<String>,
    /// Anything else worth knowing (transformation used, digitising method).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

impl Source {
    /// A source with only its identity filled in.
    pub fn new(id: &str, title: &str, kind: SourceKind) -> Source {
        Source {
            id: id.to_string(),
            title: title.to_string(),
            kind,
            map_series: None,
            edition_year: None,
            scale: None,
            sheet: None,
            dataset: None,
            version: None,
            survey: None,
            crs: None,
            licence: None,
            notes: None,
        }
    }
}
