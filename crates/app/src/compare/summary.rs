//! The comparison's `--json` summary (docs/compare.md): the engine's
//! figures per line and per pair, the ten largest discrepancies of each
//! pair in brief, and the territories' parts without their rings (the
//! rings are in the layers). Borrowed from the outcome, so printing a
//! million-vertex comparison copies nothing large.

use serde::Serialize;
use terminus_compare::{Comparison, LineSummary, PairComparison, TerritoryComparison};

/// How many discrepancies of a pair the summary lists.
pub const LARGEST: usize = 10;

/// The whole summary.
#[derive(Debug, Serialize)]
pub struct CompareSummary<'a> {
    /// Agreement tolerance used, metres.
    pub tolerance_m: f64,
    /// Each line: length, pieces, vertices, sides found.
    pub lines: &'a [LineSummary],
    /// Each pair compared.
    pub pairs: Vec<PairSummary<'a>>,
    /// Ground both territories claim.
    pub overlaps: Vec<PartSummary<'a>>,
    /// Ground enclosed by both that neither claims.
    pub gaps: Vec<PartSummary<'a>>,
    /// The territories compared, when the parties' polygons were given.
    pub territory: Option<TerritorySummary<'a>>,
    /// What the user should know: the input road's notes, sides undecided,
    /// pieces skipped.
    pub warnings: &'a [String],
}

/// One pair: the engine's figures and its largest discrepancies.
#[derive(Debug, Serialize)]
pub struct PairSummary<'a> {
    /// Agreed lengths, areas, gains, bridges and joins.
    #[serde(flatten)]
    pub pair: &'a PairComparison,
    /// The largest discrepancies beyond the tolerance, at most ten.
    pub largest: Vec<DiscrepancyBrief<'a>>,
}

/// A discrepancy in brief.
#[derive(Debug, Serialize)]
pub struct DiscrepancyBrief<'a> {
    /// Its number in the layers.
    pub id: usize,
    /// "between", "within tolerance" or "same side".
    pub kind: &'a str,
    /// Geodesic area, m².
    pub area_m2: f64,
    /// Widest distance across, metres.
    pub max_width_m: f64,
    /// Largest distance from line a to line b, metres.
    pub width_a_to_b_m: f64,
    /// Largest distance from line b to line a, metres.
    pub width_b_to_a_m: f64,
    /// Length of line a along it, metres.
    pub length_a_m: f64,
    /// Length of line b along it, metres.
    pub length_b_m: f64,
    /// Whose it is by line a.
    pub party_by_a: &'a str,
    /// Whose it is by line b.
    pub party_by_b: &'a str,
    /// The section it lies in.
    pub section: Option<&'a str>,
    /// A point inside, `[lat, lon]`.
    pub inside_at: [f64; 2],
    /// Where it is widest, `[lat, lon]`.
    pub widest_at: [f64; 2],
    /// Places inside it.
    pub places: Vec<&'a str>,
}

/// A part of a territory (overlap, gap, enclave, exclave) without its rings.
#[derive(Debug, Serialize)]
pub struct PartSummary<'a> {
    /// "overlap", "gap", "exclave", "enclave".
    pub kind: &'a str,
    /// Geodesic area, m².
    pub area_m2: f64,
    /// A point inside, `[lat, lon]`.
    pub at: [f64; 2],
    /// The nearest place given and its distance, metres.
    pub near: Option<(&'a str, f64)>,
    /// What it is in the parties' terms.
    pub note: &'a str,
}

/// The territories compared.
#[derive(Debug, Serialize)]
pub struct TerritorySummary<'a> {
    /// The two parties.
    pub parties: &'a [String; 2],
    /// Each territory's geodesic area, m².
    pub area_m2: [f64; 2],
    /// Ground both claim.
    pub overlaps: Vec<PartSummary<'a>>,
    /// Ground enclosed by both that neither claims.
    pub gaps: Vec<PartSummary<'a>>,
    /// Each party's enclaves and exclaves.
    pub enclaves_and_exclaves: Vec<PartSummary<'a>>,
}

fn parts(v: &[terminus_compare::territory::TerritoryPart]) -> Vec<PartSummary<'_>> {
    v.iter()
        .map(|p| PartSummary {
            kind: &p.kind,
            area_m2: p.area_m2,
            at: [p.at.0, p.at.1],
            near: p.near.as_ref().map(|(n, d)| (n.as_str(), *d)),
            note: &p.note,
        })
        .collect()
}

fn pair(p: &PairComparison) -> PairSummary<'_> {
    let largest = p
        .discrepancies
        .iter()
        .filter(|d| d.beyond_tolerance)
        .take(LARGEST)
        .map(|d| DiscrepancyBrief {
            id: d.id,
            kind: &d.kind,
            area_m2: d.area_m2,
            max_width_m: d.max_width_m,
            width_a_to_b_m: d.width_a_to_b_m,
            width_b_to_a_m: d.width_b_to_a_m,
            length_a_m: d.length_a_m,
            length_b_m: d.length_b_m,
            party_by_a: &d.party_by_a,
            party_by_b: &d.party_by_b,
            section: d.section.as_deref(),
            inside_at: [d.inside_at.0, d.inside_at.1],
            widest_at: [d.widest_at.0, d.widest_at.1],
            places: d.places.iter().map(|x| x.name.as_str()).collect(),
        })
        .collect();
    PairSummary { pair: p, largest }
}

fn territory(t: &TerritoryComparison) -> TerritorySummary<'_> {
    TerritorySummary {
        parties: &t.parties,
        area_m2: t.area_m2,
        overlaps: parts(&t.overlaps),
        gaps: parts(&t.gaps),
        enclaves_and_exclaves: parts(&t.enclaves_and_exclaves),
    }
}

/// The documented summary of a comparison.
pub fn summary(c: &Comparison) -> CompareSummary<'_> {
    CompareSummary {
        tolerance_m: c.tolerance_m,
        lines: &c.lines,
        pairs: c.pairs.iter().map(pair).collect(),
        overlaps: parts(&c.overlaps),
        gaps: parts(&c.gaps),
        territory: c.territory.as_ref().map(territory),
        warnings: &c.warnings,
    }
}
