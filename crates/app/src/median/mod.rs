//! The median workflow: the equidistance line of two sides, the tri-point
//! of three, the line on the controlling base points only, and the
//! compromise median of two claim lines with what each party gains — read
//! through the input road, traced by `terminus-delimitation`, written as
//! layers, CSV, report and summary with provenance.

use crate::failure::Failure;
use crate::input::{read, stem, InputOptions};
use crate::output::write_text;
use crate::provenance::Provenance;
use crate::shapes::polygons;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use terminus_compare::frame::Frame;
use terminus_compare::{ClaimLine, Inputs, Options, Territory};
mod map;

use terminus_delimitation::{
    compromise_median, median_line, tri_junction, turning_point_line, BasePoint, DelimitationError,
    Feature as Base, MedianLine, MedianOptions, Side, TriPoint, TurningPoints, VertexKind,
};
use terminus_formats::{Format, WriteOptions};
use terminus_geodesy::{Crs, Ellipsoid};
use terminus_vector::{Coord, Dataset, Feature, Geometry, Layer, Value};

/// What to trace.
#[derive(Debug, Clone, Default)]
pub struct MedianRequest {
    /// The two sides (lines, polygons or points), and a third for a tri-point.
    pub sides: Vec<PathBuf>,
    /// Names of the sides (default: the file stems).
    pub names: Vec<String>,
    /// The parties' territories (compromise only): gains named by party.
    pub parties: Vec<PathBuf>,
    /// The parties' names, in order (default: the territories' file stems).
    pub party_names: Vec<String>,
    /// Largest departure of a chord from equidistance, metres.
    pub tolerance: f64,
    /// (w_A, w_B): the line is w_A/w_B as far from A as from B.
    pub ratio: (f64, f64),
    /// The sides are crossing claim lines: the compromise median.
    pub compromise: bool,
    /// Also the simplified line: on the strict line's controlling base
    /// points only, or, with the compromise, its turning points within
    /// `max_deviation`.
    pub simplified: bool,
    /// With the compromise: the turning points' largest deviation from the
    /// computed line, metres (1 m when `simplified` is asked without it).
    pub max_deviation: Option<f64>,
    /// Populated places (points): those within `places_within` of the
    /// line are listed in the report and `--json` and drawn on the map.
    pub places: Option<PathBuf>,
    /// How near the line a place is listed, metres (5 km when none).
    pub places_within: Option<f64>,
    /// The places' name attribute (default name, NAME, …).
    pub name_field: Option<String>,
    /// The language of the report and the map.
    pub lang: crate::words::Lang,
    /// A DEM whose relief (hillshade) the map is drawn over.
    pub dem: Option<PathBuf>,
    /// How to read the files.
    pub input: InputOptions,
}

/// A median traced, its summary, and what made it.
pub struct MedianOutcome {
    /// What was computed.
    pub outcome: Outcome,
    /// The summary (docs/delimitation.md).
    pub summary: MedianSummary,
    /// The tolerance and weights used.
    pub options: MedianOptions,
    /// Inputs, transformations, tolerances.
    pub provenance: Provenance,
}

/// The files `--out` receives.
pub const OUTPUTS: [&str; 10] = [
    "median.geojson",
    "turning_points.geojson",
    "turning_points.csv",
    "simplification.csv",
    "median.gpkg",
    "tri_point.geojson",
    "report.md",
    "summary.json",
    "maps/overview.svg",
    "maps/overview.png",
];

/// Refuse before any work if results would replace files in `dir`.
pub fn refuse_overwrite(dir: &Path) -> Result<(), Failure> {
    crate::output::refuse_existing(dir, &OUTPUTS)
}

/// "2:1", "1:1", "3:2" → (w_A, w_B): the line is w_A/w_B as far from A as
/// from B.
pub fn parse_ratio(s: &str) -> Result<(f64, f64), String> {
    let bad = || format!("{s:?} is not a ratio (e.g. 1:1, 2:1)");
    let (a, b) = s.split_once(':').ok_or_else(bad)?;
    let (a, b): (f64, f64) = (
        a.trim().parse().map_err(|_| bad())?,
        b.trim().parse().map_err(|_| bad())?,
    );
    if !(a.is_finite() && b.is_finite() && a > 0.0 && b > 0.0) {
        return Err(format!("{s:?}: both parts of the ratio must be positive"));
    }
    Ok((a, b))
}

/// Read the sides (and parties) and trace. `provenance` is begun by the
/// front-end.
pub fn run(req: &MedianRequest, mut provenance: Provenance) -> Result<MedianOutcome, Failure> {
    let count = req.sides.len();
    if !(2..=3).contains(&count) {
        return Err(Failure::usage(format!(
            "{count} sides: give two (or three for a tri-point)"
        )));
    }
    if !req.names.is_empty() && req.names.len() != count {
        return Err(Failure::usage(format!(
            "--names gives {} names for {count} sides",
            req.names.len()
        )));
    }
    if req.tolerance <= 0.0 || req.tolerance.is_nan() {
        return Err(Failure::usage("--tolerance must be above zero (e.g. 0.5m)"));
    }
    if let Some(d) = req.max_deviation {
        if !req.compromise {
            return Err(Failure::usage(
                "--max-deviation chooses the compromise's turning points: add --compromise (a strict line's --simplified is built on its controlling base points)",
            ));
        }
        if !(d.is_finite() && d > 0.0) {
            return Err(Failure::usage(
                "--max-deviation must be above zero (e.g. 1m)",
            ));
        }
    }
    let mut notes = Vec::new();
    let mut sides = Vec::new();
    for (i, p) in req.sides.iter().enumerate() {
        let name = req.names.get(i).cloned().unwrap_or_else(|| stem(p));
        sides.push(read_side(req, p, name, &mut notes, &mut provenance)?);
    }
    if sides[0].name == sides[1].name {
        return Err(Failure::usage(format!(
            "both sides are called \"{}\": give --names",
            sides[0].name
        )));
    }
    let options = MedianOptions {
        tolerance: req.tolerance,
        weights: req.ratio,
    };
    let mut territories = Vec::new();
    if !req.parties.is_empty() {
        if req.parties.len() != 2 {
            return Err(Failure::usage(format!(
                "--parties takes the territories of two parties, P1,P2 (got {})",
                req.parties.len()
            )));
        }
        if !req.party_names.is_empty() && req.party_names.len() != req.parties.len() {
            return Err(Failure::usage(format!(
                "{} party names for {} territories",
                req.party_names.len(),
                req.parties.len()
            )));
        }
        for (k, path) in req.parties.iter().enumerate() {
            let r = read(path, &req.input)?;
            notes.extend(r.notes());
            provenance.input("territory", &r);
            territories.push(Territory {
                party: req
                    .party_names
                    .get(k)
                    .cloned()
                    .unwrap_or_else(|| stem(path)),
                polygons: polygons(path, &r.dataset)?,
            });
        }
    }
    // A DEM for the map's relief, read before anything is computed (one
    // that cannot be read is refused first) and named in the provenance.
    let dem = req
        .dem
        .as_deref()
        .map(|path| crate::terrain::load_relief_dem(path, "DEM (map's relief)", &mut provenance))
        .transpose()?;
    let mut outcome = compute(req, sides, territories, &options)?;
    outcome.lang = req.lang;
    outcome.dem = dem;
    if let Some(path) = &req.places {
        // Near the computed lines (the simplified ones are their turning
        // points).
        let lines: Vec<(String, Vec<(f64, f64)>)> = outcome
            .lines
            .iter()
            .filter(|l| !l.name.ends_with(" simplified"))
            .map(|l| {
                (
                    l.name.clone(),
                    l.line.vertices.iter().map(|v| (v.lat, v.lon)).collect(),
                )
            })
            .collect();
        let within = req.places_within.unwrap_or(5000.0);
        outcome.places = crate::places::read_near(
            path,
            &req.input,
            req.name_field.as_deref(),
            &lines,
            within,
            &mut notes,
            Some(&mut provenance),
        )?;
        outcome.places_within_m = Some(within);
    }
    let summary = summary_of(&outcome, &options, &notes);
    provenance.tolerance("tolerance_m", req.tolerance);
    provenance.tolerance("ratio", format!("{}:{}", req.ratio.0, req.ratio.1));
    if let Some(s) = summary
        .compromise
        .as_ref()
        .and_then(|c| c.simplification.as_ref())
    {
        provenance.tolerance("max_deviation_m", s.max_deviation_m);
    }
    Ok(MedianOutcome {
        outcome,
        summary,
        options,
        provenance,
    })
}

/// Write the result folder and its provenance.
pub fn write(dir: &Path, m: &MedianOutcome, overwrite: bool) -> Result<(), Failure> {
    write_results(
        dir,
        &m.outcome,
        &m.options,
        &m.summary,
        Some(&m.provenance),
        overwrite,
    )?;
    m.provenance.write(dir)?;
    Ok(())
}

/// A side's parts, (lat, lon).
pub type Parts = Vec<Vec<(f64, f64)>>;

/// A side as read: its parts (lines, rings, lone points), (lat, lon).
pub struct SideInput {
    pub name: String,
    pub parts: Vec<Vec<(f64, f64)>>,
}

fn read_side(
    req: &MedianRequest,
    path: &Path,
    name: String,
    notes: &mut Vec<String>,
    provenance: &mut Provenance,
) -> Result<SideInput, Failure> {
    let r = read(path, &req.input)?;
    notes.extend(r.notes());
    provenance.input(format!("side {name}"), &r);
    let ds = r.dataset;
    let mut parts = Vec::new();
    fn collect(g: &Geometry, out: &mut Vec<Vec<(f64, f64)>>) {
        let ll = |c: &Coord| (c.y, c.x);
        match g {
            Geometry::Point(c) => out.push(vec![ll(c)]),
            Geometry::MultiPoint(cs) => out.extend(cs.iter().map(|c| vec![ll(c)])),
            Geometry::LineString(l) => out.push(l.iter().map(ll).collect()),
            Geometry::MultiLineString(ls) => {
                out.extend(ls.iter().map(|l| l.iter().map(ll).collect()))
            }
            Geometry::Polygon(p) => out.extend(p.rings.iter().map(|r| r.iter().map(ll).collect())),
            Geometry::MultiPolygon(ps) => {
                for p in ps {
                    out.extend(p.rings.iter().map(|r| r.iter().map(ll).collect()));
                }
            }
            Geometry::GeometryCollection(gs) => gs.iter().for_each(|g| collect(g, out)),
        }
    }
    for layer in &ds.layers {
        for f in &layer.features {
            if let Some(g) = &f.geometry {
                collect(g, &mut parts);
            }
        }
    }
    parts.retain(|p: &Vec<(f64, f64)>| !p.is_empty());
    if parts.is_empty() {
        return Err(Failure::usage(format!(
            "{}: no geometries (an empty side)",
            path.display()
        )));
    }
    Ok(SideInput { name, parts })
}

/// One line of the result, between two named sides.
#[derive(serde::Serialize)]
pub struct NamedLine {
    /// What it is: "A|B", "A|B simplified", "A|B region 3".
    pub name: String,
    pub a: String,
    pub b: String,
    pub line: MedianLine,
    /// How it was made, where that is not one way throughout (the
    /// compromise): each construction's share of its length.
    pub made: Vec<(&'static str, f64)>,
    /// The compromise's runs of vertices and how each was made (empty
    /// elsewhere): what its map colours.
    pub runs: Vec<terminus_delimitation::Stretch>,
}

impl NamedLine {
    /// How it was made, in words: "equidistant 97.18 %; …".
    pub fn made_text(&self) -> String {
        let made: Vec<String> = self
            .made
            .iter()
            .map(|(how, share)| format!("{how} {:.2} %", 100.0 * share))
            .collect();
        made.join("; ")
    }
}

/// Everything `median` computed.
pub struct Outcome {
    pub mode: &'static str,
    pub sides: Vec<SideInput>,
    pub lines: Vec<NamedLine>,
    pub tri_point: Option<TriPoint>,
    /// Compromise: regions traced, skipped regions, gains per claim.
    pub compromise: Option<CompromiseSummary>,
    /// The simplified lines' accounting: for each, the computed line's
    /// name and every vertex kept or left out.
    pub turning: Vec<(String, TurningPoints)>,
    /// The parties' territories (compromise with --parties): shaded on
    /// the map.
    pub territories: Vec<Territory>,
    /// The places near the line (`--places`), by line and along it.
    pub places: Vec<crate::places::NearPlace>,
    /// How near the line a place is listed, metres (with `--places`).
    pub places_within_m: Option<f64>,
    /// The language of the report and the map.
    pub lang: crate::words::Lang,
    /// The DEM the map is drawn over (its relief), read once.
    pub dem: Option<std::sync::Arc<terminus_terrain::Dem>>,
}

/// The compromise in a median's summary (docs/delimitation.md).
#[derive(Debug, Clone, serde::Serialize)]
pub struct CompromiseSummary {
    /// Regions between the claims.
    pub regions: usize,
    /// Connected lines the compromise makes (one per section when whole).
    pub line_count: usize,
    /// The share of each claim's line the compromise accounts for (a
    /// region with a median, or a common stretch), by claim.
    pub coverage: std::collections::BTreeMap<String, f64>,
    /// Regions whose median is not the equidistance line of the whole
    /// claims (equidistant from the region's bounding stretches only, or
    /// the arc-length fallback), connectors across a claim's gaps, and
    /// regions left without a median: where, how large, what, why.
    pub fallbacks: Vec<terminus_delimitation::RegionNote>,
    /// Pieces of the claims set aside as spurs (stubs of other borders at
    /// a junction of three or more pieces, free at their other end):
    /// neither in the compromise nor in its coverage.
    pub spurs: Vec<terminus_delimitation::ClaimSpur>,
    /// Loose pieces of the claims (touching neither a region between the
    /// claims nor the line: fragments such as part of an enclave's
    /// boundary drawn open): neither in the compromise nor in its
    /// coverage.
    pub loose: Vec<terminus_delimitation::LoosePiece>,
    /// Stretches of a claim that nothing in the compromise accounts for
    /// (what its coverage lacks), each listed.
    pub unaccounted: Vec<terminus_delimitation::LoosePiece>,
    /// Gaps in a claim closed by a geodesic that the compromise is traced
    /// from (`bridged` runs).
    pub gaps: Vec<terminus_compare::Closure>,
    /// Enclave and exclave rings: who draws each, how it was made.
    pub rings: Vec<RingSummary>,
    /// What each side gains with the compromise against each claim.
    pub gains: Vec<Gain>,
    /// What the keys of `gain_m2` are.
    pub gain_sides: &'static str,
    /// The turning-point lines (`--simplified`), when asked.
    pub simplification: Option<SimplificationSummary>,
}

/// The compromise reduced to its turning points (docs/delimitation.md).
#[derive(Debug, Clone, serde::Serialize)]
pub struct SimplificationSummary {
    /// The largest distance allowed between the turning-point line and the
    /// computed line, metres.
    pub max_deviation_m: f64,
    /// Each line and ring simplified.
    pub lines: Vec<SimplifiedLine>,
    /// The area between the computed compromise and its turning-point
    /// line, and which party (or side) each part falls to.
    pub moved: Vec<Gain>,
}

/// One line reduced to its turning points.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SimplifiedLine {
    /// The turning-point line's name ("… simplified").
    pub name: String,
    /// The computed line it follows.
    pub of: String,
    /// Vertices of the computed line.
    pub vertices: usize,
    /// Its turning points (ends included).
    pub turning_points: usize,
    /// Vertices left out, each in simplification.csv with its deviation.
    pub discarded: usize,
    /// The largest deviation of a vertex left out, metres.
    pub largest_deviation_m: f64,
    /// Vertices kept only so that no two chords cross.
    pub kept_against_crossing: usize,
}

impl CompromiseSummary {
    /// The coverage in words: "NE 100.00 %, OSM 99.99 %".
    pub fn coverage_text(&self) -> String {
        let cover: Vec<String> = self
            .coverage
            .iter()
            .map(|(k, v)| format!("{k} {:.2} %", 100.0 * v))
            .collect();
        cover.join(", ")
    }
}

/// An enclave's or exclave's ring in the compromise.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RingSummary {
    /// Its name in the outputs.
    pub name: String,
    /// The claims that draw it.
    pub drawn_by: Vec<String>,
    /// "median by arc length (fallback)" for a ring both claims draw,
    /// "one claim only" for one carried as drawn.
    pub construction: String,
    /// The area it encloses, m².
    pub area_m2: f64,
    /// Where it lies: its first vertex, (lat, lon).
    pub at: (f64, f64),
}

/// What each side gains with the compromise against one claim.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Gain {
    /// The claim.
    pub claim: String,
    /// The compromise's name.
    pub against: String,
    /// Discrepancies beyond the tolerance between them.
    pub discrepancy_count: usize,
    /// All area between them, m².
    pub area_between_m2: f64,
    /// Area each party (or side) gains, m².
    pub gain_m2: std::collections::BTreeMap<String, f64>,
}

fn failure(e: DelimitationError) -> Failure {
    match e {
        DelimitationError::SidesMeet { .. } => Failure::failed(e.to_string()).hint(
            "claim lines that cross have no single median: add --compromise for the median region by region",
        ),
        DelimitationError::BadSide { .. } | DelimitationError::BadParameter(_) => {
            Failure::usage(e.to_string())
        }
        DelimitationError::NoConvergence { ref why, .. } if why.contains("wanders") => {
            Failure::failed(e.to_string()).hint(
                "give both sides running the same way (both banks downstream, both claims from the same end)",
            )
        }
        _ => Failure::failed(e.to_string()),
    }
}

fn compute(
    req: &MedianRequest,
    sides: Vec<SideInput>,
    territories: Vec<Territory>,
    options: &MedianOptions,
) -> Result<Outcome, Failure> {
    let frame = Frame::around(
        Ellipsoid::WGS84,
        sides.iter().flat_map(|s| s.parts.iter().flatten()),
    )
    .map_err(|e| Failure::usage(e.to_string()))?;
    let indexed: Vec<Side> = sides
        .iter()
        .map(|s| Side::new(&s.name, s.parts.clone(), &frame))
        .collect::<Result<_, _>>()
        .map_err(failure)?;
    if req.compromise {
        let deviation = req
            .max_deviation
            .or(req.simplified.then_some(DEFAULT_MAX_DEVIATION));
        return compromise_outcome(sides, territories, options, deviation);
    }
    let (an, bn) = (sides[0].name.clone(), sides[1].name.clone());
    if req.sides.get(2).is_some() {
        let j = tri_junction(&frame, [&indexed[0], &indexed[1], &indexed[2]], options)
            .map_err(failure)?;
        let lines = j
            .lines
            .into_iter()
            .map(|((i, k), line)| NamedLine {
                name: format!("{}|{}", sides[i].name, sides[k].name),
                a: sides[i].name.clone(),
                b: sides[k].name.clone(),
                line,
                made: Vec::new(),
                runs: Vec::new(),
            })
            .collect();
        return Ok(Outcome {
            mode: "tri-point",
            sides,
            lines,
            tri_point: Some(j.point),
            compromise: None,
            turning: Vec::new(),
            territories: Vec::new(),
            places: Vec::new(),
            places_within_m: None,
            lang: Default::default(),
            dem: None,
        });
    }
    let strict = median_line(&frame, &indexed[0], &indexed[1], options).map_err(failure)?;
    let mut lines = vec![];
    if req.simplified {
        // The vertices the strict line's turning points rest on, in order
        // along each side, as lone base points.
        let controlling = |which: usize| -> Vec<Vec<(f64, f64)>> {
            let mut keys: Vec<(u32, u32)> = strict
                .vertices
                .iter()
                .flat_map(|v| if which == 0 { &v.base_a } else { &v.base_b })
                .filter_map(|b| match b.feature {
                    Base::Vertex { part, vertex } => Some((part, vertex)),
                    Base::Segment { .. } => None,
                })
                .collect();
            keys.sort_unstable();
            keys.dedup();
            keys.iter()
                .map(|&(p, v)| vec![sides[which].parts[p as usize][v as usize]])
                .collect()
        };
        let (pa, pb) = (controlling(0), controlling(1));
        if pa.len() < 2 || pb.len() < 2 {
            return Err(Failure::failed(format!(
                "the strict line rests on {} vertices of {an} and {} of {bn}: too few for a simplified line (it needs two on each)",
                pa.len(),
                pb.len()
            )));
        }
        let sa = Side::new(&an, pa, &frame).map_err(failure)?;
        let sb = Side::new(&bn, pb, &frame).map_err(failure)?;
        let simple = median_line(&frame, &sa, &sb, options).map_err(failure)?;
        lines.push(NamedLine {
            name: format!("{an}|{bn}"),
            a: an.clone(),
            b: bn.clone(),
            line: strict,
            made: Vec::new(),
            runs: Vec::new(),
        });
        lines.push(NamedLine {
            name: format!("{an}|{bn} simplified"),
            a: an,
            b: bn,
            line: simple,
            made: Vec::new(),
            runs: Vec::new(),
        });
    } else {
        lines.push(NamedLine {
            name: format!("{an}|{bn}"),
            a: an,
            b: bn,
            line: strict,
            made: Vec::new(),
            runs: Vec::new(),
        });
    }
    Ok(Outcome {
        mode: if req.simplified {
            "simplified"
        } else {
            "strict"
        },
        sides,
        lines,
        tri_point: None,
        compromise: None,
        turning: Vec::new(),
        territories: Vec::new(),
        places: Vec::new(),
        places_within_m: None,
        lang: Default::default(),
        dem: None,
    })
}

/// One side of a median, as the summary gives it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SideSummary {
    /// Its name.
    pub name: String,
    /// Lines, rings and lone points.
    pub parts: usize,
    /// Their vertices.
    pub vertices: usize,
}

/// One line of the result, as the summary gives it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LineSummary {
    /// What it is: "A|B", "A|B simplified", "A|B region 3".
    pub name: String,
    /// The side on its left-hand base points.
    pub a: String,
    /// The other side.
    pub b: String,
    /// Geodesic length, metres.
    pub length_m: f64,
    /// Vertices.
    pub vertices: usize,
    /// Turning points (vertices where the controlling base points change).
    pub turning_points: usize,
    /// Points traced to build it.
    pub traced_points: usize,
}

/// The tri-point of three sides.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TriPointSummary {
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Its distance to each side, metres.
    pub distance_m: f64,
    /// Its base point on each side.
    pub base: [BasePoint; 3],
}

/// What `terminus median --json` prints and `summary.json` holds
/// (docs/delimitation.md).
#[derive(Debug, Clone, serde::Serialize)]
pub struct MedianSummary {
    /// strict, ratio, tri-point, simplified or compromise.
    pub mode: String,
    /// Always "WGS 84": the sides are moved onto it by the input road.
    pub ellipsoid: String,
    /// (w_A, w_B).
    pub ratio: [f64; 2],
    /// Largest departure of a chord from equidistance, metres.
    pub tolerance_m: f64,
    /// The sides.
    pub sides: Vec<SideSummary>,
    /// The lines.
    pub lines: Vec<LineSummary>,
    /// Total length of the lines (the simplified ones left out), metres.
    pub length_m: f64,
    /// The tri-point, for three sides.
    pub tri_point: Option<TriPointSummary>,
    /// The compromise's regions, skipped regions and gains per claim.
    pub compromise: Option<CompromiseSummary>,
    /// The places within `places_within_m` of the line (`--places`), by
    /// line and along it; none without `--places`.
    pub places: Vec<crate::places::NearPlace>,
    /// How near the line a place is listed, metres (with `--places`).
    pub places_within_m: Option<f64>,
    /// The input road's notes.
    pub notes: Vec<String>,
}

/// The summary of a median traced.
fn summary_of(o: &Outcome, options: &MedianOptions, notes: &[String]) -> MedianSummary {
    MedianSummary {
        mode: o.mode.to_string(),
        ellipsoid: "WGS 84".into(),
        ratio: [options.weights.0, options.weights.1],
        tolerance_m: options.tolerance,
        sides: o
            .sides
            .iter()
            .map(|s| SideSummary {
                name: s.name.clone(),
                parts: s.parts.len(),
                vertices: s.parts.iter().map(|p| p.len()).sum(),
            })
            .collect(),
        lines: o
            .lines
            .iter()
            .map(|l| LineSummary {
                name: l.name.clone(),
                a: l.a.clone(),
                b: l.b.clone(),
                length_m: l.line.length_m,
                vertices: l.line.vertices.len(),
                turning_points: l.line.turning_points().count(),
                traced_points: l.line.traced_points,
            })
            .collect(),
        length_m: o
            .lines
            .iter()
            .filter(|l| !l.name.ends_with("simplified"))
            .map(|l| l.line.length_m)
            .sum(),
        tri_point: o.tri_point.as_ref().map(|t| TriPointSummary {
            lat: t.lat,
            lon: t.lon,
            distance_m: t.distance,
            base: t.base,
        }),
        compromise: o.compromise.clone(),
        places: o.places.clone(),
        places_within_m: o.places_within_m,
        notes: notes.to_vec(),
    }
}

fn feature_text(b: &BasePoint) -> String {
    match b.feature {
        Base::Vertex { part, vertex } => format!("vertex {vertex} of part {part}"),
        Base::Segment { part, segment } => format!("segment {segment} of part {part}"),
    }
}

fn bases_text(bs: &[BasePoint]) -> String {
    bs.iter()
        .map(|b| format!("{:.9} {:.9} ({})", b.lat, b.lon, feature_text(b)))
        .collect::<Vec<_>>()
        .join("; ")
}

fn point(lat: f64, lon: f64) -> Geometry {
    Geometry::Point(Coord::xy(lon, lat))
}

/// The median's layers on WGS 84: lines, turning points, base points, tie
/// lines, tri-point (what `median.gpkg` holds).
pub fn layers(o: &Outcome) -> Vec<Layer> {
    let mut lines = Layer::new("median", Crs::WGS84);
    let mut turning = Layer::new("turning_points", Crs::WGS84);
    let mut bases = Layer::new("base_points", Crs::WGS84);
    let mut ties = Layer::new("tie_lines", Crs::WGS84);
    let mut tri = Layer::new("tri_point", Crs::WGS84);
    for l in &o.lines {
        let mut f = Feature::new(Geometry::LineString(
            l.line
                .vertices
                .iter()
                .map(|v| Coord::xy(v.lon, v.lat))
                .collect(),
        ));
        let pr = &mut f.properties;
        pr.insert("line".into(), Value::String(l.name.clone()));
        pr.insert("side_a".into(), Value::String(l.a.clone()));
        pr.insert("side_b".into(), Value::String(l.b.clone()));
        pr.insert("length_m".into(), Value::Float(l.line.length_m));
        pr.insert("vertices".into(), Value::Int(l.line.vertices.len() as i64));
        pr.insert(
            "turning_points".into(),
            Value::Int(l.line.turning_points().count() as i64),
        );
        if !l.made.is_empty() {
            pr.insert("made".into(), Value::String(l.made_text()));
        }
        lines.features.push(f);
        let mut id = 0;
        for v in &l.line.vertices {
            if v.kind == VertexKind::Densified {
                continue;
            }
            id += 1;
            let kind = match v.kind {
                VertexKind::Start => "start",
                VertexKind::Turning => "turning",
                VertexKind::End => "end",
                VertexKind::Densified => "densified",
            };
            let label = format!("{} TP{id}", l.name);
            let mut f = Feature::new(point(v.lat, v.lon));
            let pr = &mut f.properties;
            pr.insert("line".into(), Value::String(l.name.clone()));
            pr.insert("id".into(), Value::String(format!("TP{id}")));
            pr.insert("kind".into(), Value::String(kind.into()));
            pr.insert("lat".into(), Value::Float(v.lat));
            pr.insert("lon".into(), Value::Float(v.lon));
            let da = v.base_a.first().map_or(f64::NAN, |b| b.distance);
            let db = v.base_b.first().map_or(f64::NAN, |b| b.distance);
            pr.insert("distance_a_m".into(), Value::Float(da));
            pr.insert("distance_b_m".into(), Value::Float(db));
            pr.insert("base_points_a".into(), Value::String(bases_text(&v.base_a)));
            pr.insert("base_points_b".into(), Value::String(bases_text(&v.base_b)));
            turning.features.push(f);
            for (side, list) in [(&l.a, &v.base_a), (&l.b, &v.base_b)] {
                for b in list {
                    let mut f = Feature::new(point(b.lat, b.lon));
                    let pr = &mut f.properties;
                    pr.insert("turning_point".into(), Value::String(label.clone()));
                    pr.insert("side".into(), Value::String(side.clone()));
                    pr.insert("feature".into(), Value::String(feature_text(b)));
                    pr.insert("distance_m".into(), Value::Float(b.distance));
                    bases.features.push(f);
                    let mut t = Feature::new(Geometry::LineString(vec![
                        Coord::xy(v.lon, v.lat),
                        Coord::xy(b.lon, b.lat),
                    ]));
                    t.properties
                        .insert("turning_point".into(), Value::String(label.clone()));
                    t.properties
                        .insert("side".into(), Value::String(side.clone()));
                    t.properties
                        .insert("distance_m".into(), Value::Float(b.distance));
                    ties.features.push(t);
                }
            }
        }
    }
    if let Some(t) = &o.tri_point {
        let mut f = Feature::new(point(t.lat, t.lon));
        f.properties
            .insert("distance_m".into(), Value::Float(t.distance));
        for (s, b) in o.sides.iter().zip(&t.base) {
            f.properties.insert(
                format!("base_{}", s.name),
                Value::String(format!("{:.9} {:.9} ({})", b.lat, b.lon, feature_text(b))),
            );
        }
        tri.features.push(f);
    }
    vec![lines, turning, bases, ties, tri]
}

fn write_results(
    dir: &Path,
    o: &Outcome,
    options: &MedianOptions,
    summary: &MedianSummary,
    provenance: Option<&Provenance>,
    overwrite: bool,
) -> Result<(), Failure> {
    std::fs::create_dir_all(dir)?;
    // The map is drawn and encoded on another core while the data files
    // are written (a third of the writing's time on a long border).
    std::thread::scope(|s| {
        let drawn = s.spawn(|| {
            let map = map::overview(o);
            let png = map.to_png().map_err(|e| Failure::failed(e.to_string()));
            (map.to_svg(), png)
        });
        let data = write_data(dir, o, overwrite);
        let (svg, png) = drawn
            .join()
            .map_err(|_| Failure::failed("drawing the map stopped"))?;
        data?;
        // The map, drawn beside the report and shown in it.
        std::fs::create_dir_all(dir.join("maps"))?;
        write_text(&dir.join("maps/overview.svg"), &svg, overwrite)?;
        let png_path = dir.join("maps/overview.png");
        if png_path.exists() && !overwrite {
            return Err(Failure::usage(format!("{} exists", png_path.display()))
                .hint("add --overwrite to replace it"));
        }
        std::fs::write(&png_path, png?)?;
        Ok::<(), Failure>(())
    })?;
    let mut text = report(o, options);
    let w = o.lang.median();
    text.push_str(&format!(
        "\n## {}\n\n![{}](maps/overview.png)\n\n{}\n",
        o.lang.words().map,
        w.map_caption,
        w.map_svg
    ));
    if let Some(p) = provenance {
        text.push('\n');
        text.push_str(&p.markdown());
    }
    write_text(&dir.join("report.md"), &text, overwrite)?;
    write_text(
        &dir.join("summary.json"),
        &serde_json::to_string_pretty(summary).unwrap_or_default(),
        overwrite,
    )?;
    Ok(())
}

/// The data files: lines and turning points (GeoJSON, CSV, GeoPackage).
fn write_data(dir: &Path, o: &Outcome, overwrite: bool) -> Result<(), Failure> {
    let opts = WriteOptions { overwrite };
    let layers = layers(o);
    let one = |l: &Layer| Dataset {
        layers: vec![l.clone()],
    };
    terminus_formats::write(
        &dir.join("median.geojson"),
        Format::GeoJson,
        &one(&layers[0]),
        &opts,
    )?;
    terminus_formats::write(
        &dir.join("turning_points.geojson"),
        Format::GeoJson,
        &one(&layers[1]),
        &opts,
    )?;
    if o.tri_point.is_some() {
        terminus_formats::write(
            &dir.join("tri_point.geojson"),
            Format::GeoJson,
            &one(&layers[4]),
            &opts,
        )?;
    }
    write_text(&dir.join("turning_points.csv"), &csv(o), overwrite)?;
    if !o.turning.is_empty() {
        write_text(
            &dir.join("simplification.csv"),
            &simplification_csv(o),
            overwrite,
        )?;
    }
    let kept: Vec<Layer> = layers
        .into_iter()
        .filter(|l| !l.features.is_empty())
        .collect();
    terminus_formats::write(
        &dir.join("median.gpkg"),
        Format::GeoPackage,
        &Dataset { layers: kept },
        &opts,
    )?;
    Ok(())
}

/// Turning points (and each line's ends) with their base points, one row
/// each: what a commission's geodesist checks by hand.
fn csv(o: &Outcome) -> String {
    let mut s = String::from(
        "line,id,kind,lat,lon,distance_a_m,distance_b_m,base_points_a,base_points_b\n",
    );
    for l in &o.lines {
        let mut id = 0;
        for v in l
            .line
            .vertices
            .iter()
            .filter(|v| v.kind != VertexKind::Densified)
        {
            id += 1;
            let kind = match v.kind {
                VertexKind::Start => "start",
                VertexKind::End => "end",
                _ => "turning",
            };
            let _ = writeln!(
                s,
                "\"{}\",TP{id},{kind},{:.10},{:.10},{:.4},{:.4},\"{}\",\"{}\"",
                l.name.replace('"', "\"\""),
                v.lat,
                v.lon,
                v.base_a.first().map_or(f64::NAN, |b| b.distance),
                v.base_b.first().map_or(f64::NAN, |b| b.distance),
                bases_text(&v.base_a),
                bases_text(&v.base_b)
            );
        }
    }
    s
}

/// Every vertex of each computed line that was simplified: the turning
/// point it became, or the two turning points whose chord stands for it
/// and how far it lies from that chord — the simplification accounted for
/// vertex by vertex.
fn simplification_csv(o: &Outcome) -> String {
    let mut s =
        String::from("line,vertex,lat,lon,status,turning_point,from_tp,to_tp,deviation_m\n");
    for (name, t) in &o.turning {
        let Some(l) = o.lines.iter().find(|l| &l.name == name) else {
            continue;
        };
        let q = name.replace('"', "\"\"");
        let tp = |v: usize| t.kept.binary_search(&v).map_or(0, |k| k + 1);
        let mut discarded = t.discarded.iter().peekable();
        for (i, v) in l.line.vertices.iter().enumerate() {
            match discarded.peek() {
                Some(d) if d.vertex == i => {
                    let _ = writeln!(
                        s,
                        "\"{q}\",{i},{:.10},{:.10},discarded,,TP{},TP{},{:.4}",
                        v.lat,
                        v.lon,
                        tp(d.between.0),
                        tp(d.between.1),
                        d.deviation_m
                    );
                    discarded.next();
                }
                _ => {
                    let _ = writeln!(
                        s,
                        "\"{q}\",{i},{:.10},{:.10},turning point,TP{},,,0.0000",
                        v.lat,
                        v.lon,
                        tp(i)
                    );
                }
            }
        }
    }
    s
}

fn report(o: &Outcome, options: &MedianOptions) -> String {
    use crate::words::fill;
    let w = o.lang.median();
    let mut r = String::new();
    let _ = writeln!(r, "# {}\n", fill(w.title, &[&w.mode(o.mode)]));
    if !o.lang.words().report_language.is_empty() {
        let _ = writeln!(r, "{}\n", o.lang.words().report_language);
    }
    let _ = writeln!(
        r,
        "{}\n",
        fill(
            w.intro,
            &[&options.weights.0, &options.weights.1, &options.tolerance]
        )
    );
    let _ = writeln!(r, "## {}\n\n{}", w.sides, w.side_columns);
    for s in &o.sides {
        let _ = writeln!(
            r,
            "| {} | {} | {} |",
            cell(&s.name),
            s.parts.len(),
            s.parts.iter().map(|p| p.len()).sum::<usize>()
        );
    }
    let _ = writeln!(r, "\n## {}\n\n{}", w.lines, w.line_columns);
    for l in &o.lines {
        let _ = writeln!(
            r,
            "| {} | {:.3} | {} | {} |",
            cell(&l.name),
            l.line.length_m / 1000.0,
            l.line.vertices.len(),
            l.line.turning_points().count()
        );
    }
    if let Some(t) = &o.tri_point {
        let _ = writeln!(
            r,
            "\n## {}\n\n{}\n",
            w.tri_point,
            fill(
                w.tri_point_at,
                &[
                    &format!("{:.9}", t.lat),
                    &format!("{:.9}", t.lon),
                    &format!("{:.3}", t.distance)
                ]
            )
        );
        for (s, b) in o.sides.iter().zip(&t.base) {
            let _ = writeln!(
                r,
                "- {}: {:.9}°, {:.9}° ({})",
                cell(&s.name),
                b.lat,
                b.lon,
                feature_text(b)
            );
        }
    }
    if let Some(c) = &o.compromise {
        let _ = writeln!(
            r,
            "\n## {}\n\n{}\n",
            w.compromise,
            fill(w.regions, &[&c.regions, &c.line_count, &c.rings.len()])
        );
        let _ = writeln!(r, "{}\n", fill(w.coverage, &[&c.coverage_text()]));
        for l in o.lines.iter().filter(|l| !l.made.is_empty()) {
            let made: Vec<String> = l
                .made
                .iter()
                .map(|(how, share)| format!("{} {:.2} %", w.construction(how), 100.0 * share))
                .collect();
            let _ = writeln!(
                r,
                "- {}: {:.3} {} — {}",
                cell(&l.name),
                l.line.length_m / 1000.0,
                o.lang.words().km,
                made.join("; ")
            );
        }
        if !c.fallbacks.is_empty() {
            let _ = writeln!(r, "\n{}\n", fill(w.fallbacks, &[&c.fallbacks.len()]));
            if !w.engine_words.is_empty() {
                let _ = writeln!(r, "{}\n", w.engine_words);
            }
            let _ = writeln!(r, "{}", w.fallback_columns);
            for (k, f) in c.fallbacks.iter().enumerate() {
                let _ = writeln!(
                    r,
                    "| F{} | {:.5}, {:.5} | {:.3} | {} | {} |",
                    k + 1,
                    f.inside_at.0,
                    f.inside_at.1,
                    f.area_m2 / 1e6,
                    f.construction
                        .map_or(w.no_median, |c| w.construction(c.label())),
                    f.reason
                );
            }
        }
        if !c.spurs.is_empty() {
            let _ = writeln!(r, "\n{}\n\n{}", w.spurs, w.spur_columns);
            for s in &c.spurs {
                let _ = writeln!(
                    r,
                    "| {} | {} | {:.1} | {:.6}, {:.6} |",
                    cell(&s.claim),
                    s.spur.piece,
                    s.spur.length_m,
                    s.spur.junction.0,
                    s.spur.junction.1
                );
            }
        }
        // Loose pieces, and what the coverage lacks: stretches of a
        // claim, one table shape.
        for (heading, list) in [(w.loose, &c.loose), (w.unaccounted, &c.unaccounted)] {
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(r, "\n{}\n\n{}", heading, w.loose_columns);
            for l in list {
                let _ = writeln!(
                    r,
                    "| {} | {:.6}, {:.6} | {:.6}, {:.6} | {:.1} |",
                    cell(&l.claim),
                    l.from.0,
                    l.from.1,
                    l.to.0,
                    l.to.1,
                    l.length_m
                );
            }
        }
        if !c.rings.is_empty() {
            let _ = writeln!(r, "\n{}\n\n{}", w.rings, w.ring_columns);
            for g in &c.rings {
                let made = if g.construction == "one claim only" {
                    w.one_claim_only
                } else {
                    w.construction(&g.construction)
                };
                let _ = writeln!(
                    r,
                    "| {} | {} | {} | {:.3} | {:.5}, {:.5} |",
                    cell(&g.name),
                    g.drawn_by.join(", "),
                    made,
                    g.area_m2 / 1e6,
                    g.at.0,
                    g.at.1
                );
            }
        }
        let _ = writeln!(r);
        if !c.gains.is_empty() {
            let _ = writeln!(r, "{}\n\n{}", w.gains, w.gain_columns);
            for g in &c.gains {
                let parts: Vec<String> = g
                    .gain_m2
                    .iter()
                    .map(|(k, v)| format!("{k}: {:.3}", v / 1e6))
                    .collect();
                let _ = writeln!(
                    r,
                    "| {} | {} | {:.3} | {} |",
                    cell(&g.claim),
                    g.discrepancy_count,
                    g.area_between_m2 / 1e6,
                    parts.join(", ")
                );
            }
        }
        if let Some(sim) = &c.simplification {
            let _ = writeln!(
                r,
                "\n## {}\n\n{}\n\n{}",
                fill(w.simplified_title, &[&sim.max_deviation_m]),
                fill(w.simplified_text, &[&sim.max_deviation_m]),
                w.simplified_columns
            );
            for l in &sim.lines {
                let _ = writeln!(
                    r,
                    "| {} | {} | {} | {} | {:.4} | {} |",
                    cell(&l.name),
                    l.vertices,
                    l.turning_points,
                    l.discarded,
                    l.largest_deviation_m,
                    l.kept_against_crossing
                );
            }
            for g in &sim.moved {
                let parts: Vec<String> = g
                    .gain_m2
                    .iter()
                    .map(|(k, v)| format!("{k}: {:.1} {}", v, w.m2))
                    .collect();
                let _ = writeln!(
                    r,
                    "\n{}",
                    fill(
                        w.moved,
                        &[
                            &format!("{:.1}", g.area_between_m2),
                            &g.discrepancy_count,
                            &parts.join(", ")
                        ]
                    )
                );
            }
        }
    }
    if let Some(within) = o.places_within_m {
        let _ = write!(r, "\n{}", crate::places::table(&o.places, within, o.lang));
    }
    let _ = writeln!(r, "\n{}", w.turning_points);
    r
}

/// A name as a Markdown table cell: its `|` escaped (the lines are named
/// "A|B").
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

/// The compromise median of two claim lines and what each party gains
/// against each claim (the comparison engine, the compromise as the
/// reference line).
/// The turning points' deviation when `--simplified` is asked of the
/// compromise without `--max-deviation`, metres: below the accuracy a
/// boundary pillar is set out to in the mountains, and far below what a
/// 1:25,000 map shows (0.1 mm = 2.5 m).
pub const DEFAULT_MAX_DEVIATION: f64 = 1.0;

fn compromise_outcome(
    sides: Vec<SideInput>,
    territories: Vec<Territory>,
    options: &MedianOptions,
    max_deviation: Option<f64>,
) -> Result<Outcome, Failure> {
    let (an, bn) = (sides[0].name.clone(), sides[1].name.clone());
    let claim = |s: &SideInput| ClaimLine {
        name: s.name.clone(),
        pieces: s.parts.clone(),
    };
    let (ca, cb) = (claim(&sides[0]), claim(&sides[1]));
    let m = compromise_median(&ca, &cb, options).map_err(failure)?;
    let mut lines: Vec<NamedLine> = m
        .pieces
        .iter()
        .zip(&m.stretches)
        .enumerate()
        .map(|(i, (p, stretches))| NamedLine {
            name: format!("{an}|{bn} line {}", i + 1),
            a: an.clone(),
            b: bn.clone(),
            line: p.clone(),
            made: made_of(
                p,
                stretches.iter().map(|s| (s.first, s.last, s.construction)),
            ),
            runs: stretches.clone(),
        })
        .collect();
    let mut rings = Vec::new();
    for (k, r) in m.rings.iter().enumerate() {
        let name = match r.construction {
            Some(_) => format!("{an}|{bn} ring {}", k + 1),
            None => format!("{an}|{bn} ring {} ({} only)", k + 1, r.drawn_by.join(", ")),
        };
        rings.push(RingSummary {
            name: name.clone(),
            drawn_by: r.drawn_by.clone(),
            construction: r
                .construction
                .map_or("one claim only".to_string(), |c| c.label().to_string()),
            area_m2: r.area_m2,
            at: r
                .line
                .vertices
                .first()
                .map_or((f64::NAN, f64::NAN), |v| (v.lat, v.lon)),
        });
        lines.push(NamedLine {
            name,
            a: an.clone(),
            b: bn.clone(),
            line: r.line.clone(),
            made: Vec::new(),
            runs: Vec::new(),
        });
    }
    // What each party gains against each claim: the comparison engine
    // with the compromise as the reference line.
    let name = format!("median {an}|{bn}");
    let median = ClaimLine {
        name: name.clone(),
        pieces: m
            .pieces
            .iter()
            .chain(m.rings.iter().map(|r| &r.line))
            .map(|p| p.coords())
            .collect(),
    };
    let gains = if median.pieces.is_empty() {
        Vec::new()
    } else {
        // Each claim against the compromise on its own (a three-line
        // comparison would also join the claims' ends to each other), the
        // two side by side.
        let against = |claim: ClaimLine| {
            terminus_compare::compare(
                &Inputs {
                    lines: vec![claim, median.clone()],
                    territories: territories.clone(),
                    ..Default::default()
                },
                // Every sliver counts towards a gain: the comparison's
                // agreement tolerance at the median's own.
                &Options {
                    reference: Some(1),
                    tolerance_m: options.tolerance,
                    // Areas and gains only: the agreement along the lines
                    // is not read here.
                    agreement: false,
                    exact_widths: false,
                    ..Options::default()
                },
            )
            .map_err(|e| Failure::failed(e.to_string()))
        };
        let (ga, gb) = std::thread::scope(|s| {
            let b = s.spawn(|| against(cb));
            let a = against(ca);
            (
                a,
                b.join().unwrap_or_else(|_| {
                    Err(Failure::failed("the comparison against a claim stopped"))
                }),
            )
        });
        let mut rows = Vec::new();
        for c in [ga?, gb?] {
            for p in &c.pairs {
                let claim = if p.a == name { &p.b } else { &p.a };
                rows.push(Gain {
                    claim: claim.clone(),
                    against: name.clone(),
                    discrepancy_count: p.discrepancy_count,
                    area_between_m2: p.area_between_m2,
                    gain_m2: p.gain_m2.clone(),
                });
            }
        }
        rows
    };
    let simplification = match max_deviation {
        Some(d) => Some(simplify(&mut lines, &m, d, &median, &territories)?),
        None => None,
    };
    let turning = simplification
        .as_ref()
        .map(|s| s.1.clone())
        .unwrap_or_default();
    let compromise = CompromiseSummary {
        regions: m.regions,
        line_count: m.pieces.len(),
        coverage: [an.clone(), bn.clone()]
            .into_iter()
            .zip(m.coverage)
            .collect(),
        fallbacks: m.fallbacks,
        spurs: m.spurs,
        loose: m.loose,
        unaccounted: m.unaccounted,
        gaps: m.gaps,
        rings,
        gains,
        gain_sides: "with --parties, the party each area falls to; else 'left of' / 'right of' the compromise, each line of which runs the way the first claim runs over most of it",
        simplification: simplification.map(|s| s.0),
    };
    Ok(Outcome {
        mode: "compromise",
        sides,
        lines,
        tri_point: None,
        compromise: Some(compromise),
        turning,
        territories,
        places: Vec::new(),
        places_within_m: None,
        lang: Default::default(),
        dem: None,
    })
}

/// Each construction's share of a line's length, from its stretches
/// (first vertex, last vertex, construction).
fn made_of(
    line: &MedianLine,
    stretches: impl Iterator<Item = (usize, usize, terminus_delimitation::Construction)>,
) -> Vec<(&'static str, f64)> {
    let mut made: Vec<(&'static str, f64)> = Vec::new();
    for (first, last, construction) in stretches {
        let len = MedianLine::length_of(&line.vertices[first..=last]);
        let label = construction.label();
        match made.iter_mut().find(|(l, _)| *l == label) {
            Some(e) => e.1 += len,
            None => made.push((label, len)),
        }
    }
    for e in made.iter_mut() {
        e.1 /= line.length_m.max(f64::MIN_POSITIVE);
    }
    made
}

/// The compromise's lines and rings reduced to their turning points within
/// `max_deviation` (the ends of every stretch kept: where the construction
/// changes is a turning point), appended to `lines` as "… simplified"; the
/// area moved between the computed and the simplified compromise, by party.
fn simplify(
    lines: &mut Vec<NamedLine>,
    m: &terminus_delimitation::CompromiseMedian,
    max_deviation: f64,
    median: &ClaimLine,
    territories: &[Territory],
) -> Result<(SimplificationSummary, Vec<(String, TurningPoints)>), Failure> {
    let computed = lines.len();
    let mut summary = Vec::new();
    let mut turning = Vec::new();
    for k in 0..computed {
        let l = &lines[k];
        let stretches = m.stretches.get(k).map(Vec::as_slice).unwrap_or(&[]);
        let fixed: Vec<usize> = stretches.iter().flat_map(|s| [s.first, s.last]).collect();
        let (line, t) = turning_point_line(&l.line, max_deviation, &fixed)
            .map_err(|e| Failure::failed(format!("the turning points of \"{}\": {e}", l.name)))?;
        // Where each stretch's ends went in the simplified line.
        let at = |v: usize| t.kept.binary_search(&v).unwrap_or_default();
        let made = made_of(
            &line,
            stretches
                .iter()
                .map(|s| (at(s.first), at(s.last), s.construction)),
        );
        let name = format!("{} simplified", l.name);
        summary.push(SimplifiedLine {
            name: name.clone(),
            of: l.name.clone(),
            vertices: l.line.vertices.len(),
            turning_points: t.kept.len(),
            discarded: t.discarded.len(),
            largest_deviation_m: t.largest_deviation_m,
            kept_against_crossing: t.kept_against_crossing,
        });
        let named = NamedLine {
            name,
            a: l.a.clone(),
            b: l.b.clone(),
            line,
            made,
            runs: Vec::new(),
        };
        turning.push((l.name.clone(), t));
        lines.push(named);
    }
    // The area moved: the comparison engine, the computed compromise as
    // the reference line, every sliver counted.
    let simple = ClaimLine {
        name: format!("{} simplified", median.name),
        pieces: lines[computed..].iter().map(|l| l.line.coords()).collect(),
    };
    let mut moved = Vec::new();
    if !simple.pieces.is_empty() {
        let c = terminus_compare::compare(
            &Inputs {
                lines: vec![simple.clone(), median.clone()],
                territories: territories.to_vec(),
                ..Default::default()
            },
            &Options {
                reference: Some(1),
                // Faces narrower than this are "within tolerance" to the
                // comparison, but every face is summed below: the moved
                // area is all the simplification gives away.
                tolerance_m: max_deviation,
                agreement: false,
                exact_widths: false,
                ..Options::default()
            },
        )
        .map_err(|e| Failure::failed(e.to_string()))?;
        for p in &c.pairs {
            let mut gain_m2 = p.gain_m2.clone();
            gain_m2.values_mut().for_each(|v| *v = 0.0);
            let faces: Vec<_> = p.discrepancies.iter().filter(|d| !d.same_side).collect();
            for d in &faces {
                *gain_m2.entry(d.party_by_a.clone()).or_default() += d.area_m2;
            }
            moved.push(Gain {
                claim: simple.name.clone(),
                against: median.name.clone(),
                discrepancy_count: faces.len(),
                area_between_m2: p.area_between_m2,
                gain_m2,
            });
        }
    }
    Ok((
        SimplificationSummary {
            max_deviation_m: max_deviation,
            lines: summary,
            moved,
        },
        turning,
    ))
}

/// The demo's step: the compromise median of two claim lines with the
/// parties' territories, written to `dir`; its JSON summary returned.
pub fn demo_compromise(
    dir: &Path,
    claims: [(&str, Parts); 2],
    territories: Vec<Territory>,
    provenance: &Provenance,
) -> Result<MedianSummary, Failure> {
    let options = MedianOptions::default();
    let sides = claims
        .into_iter()
        .map(|(name, parts)| SideInput {
            name: name.to_string(),
            parts,
        })
        .collect();
    let o = compromise_outcome(sides, territories, &options, None)?;
    let summary = summary_of(&o, &options, &[]);
    write_results(dir, &o, &options, &summary, Some(provenance), true)?;
    Ok(summary)
}
