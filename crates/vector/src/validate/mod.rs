//! Validation of geometries as boundary files need it.
//!
//! Each check lives in its own module and reports [`Finding`]s located by
//! layer, feature (index and id), part, ring and vertex, with the offending
//! position. Errors make a file invalid (`terminus validate` exits 1);
//! warnings point at something a geodesist should look at.
//!
//! | check | module | severity |
//! |---|---|---|
//! | unclosed ring, too few vertices, empty part, hole outside its shell | [`structure`] | error |
//! | self-intersection (rings), self-crossing (lines) | [`self_intersection`] | error / warning |
//! | duplicate consecutive vertices, spikes | [`vertices`] | warning |
//! | non-finite or out-of-range coordinates | [`range`] | error |
//! | latitude/longitude that look swapped | [`range`] | error / warning |
//! | wrong winding (RFC 7946: exterior counter-clockwise) | [`structure`] | warning |
//! | layers of one dataset in different CRSs | [`validate_dataset`] | warning |
//! | coordinates that cannot be in the declared CRS (metres as degrees, Gauss–Krüger zone prefix missing or wrong, X/Y exchanged, outside the zone) | [`crs_fit`] | error |

pub mod crs_fit;
pub mod range;
pub mod self_intersection;
pub mod structure;
pub mod vertices;

use crate::{Coord, Dataset, FeatureId, Geometry, Layer};
use serde::Serialize;
use std::fmt;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something to look at; the file is still valid.
    Warning,
    /// The geometry is invalid.
    Error,
}

/// Which check produced a finding (stable kebab-case codes in JSON output).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// A hole not inside its polygon's exterior ring.
    HoleOutsideShell,
    /// A ring whose last vertex is not its first.
    UnclosedRing,
    /// A ring with fewer than 4 positions or a line with fewer than 2.
    TooFewVertices,
    /// A part or geometry with no positions.
    EmptyPart,
    /// Rings that cross or touch themselves or each other.
    SelfIntersection,
    /// A line that crosses itself.
    SelfCrossingLine,
    /// The same position twice in a row.
    DuplicateVertex,
    /// A vertex where the line turns back on itself.
    Spike,
    /// Exterior not counter-clockwise or hole not clockwise (RFC 7946 §3.1.6).
    WrongWinding,
    /// NaN or infinite coordinate.
    NonFinite,
    /// Longitude outside ±180° or latitude outside ±90°.
    OutOfRange,
    /// Coordinates whose latitude and longitude look exchanged.
    SwappedLatLon,
    /// Layers of one dataset in different CRSs.
    MixedCrs,
    /// Coordinates that cannot be in the CRS the layer declares.
    CrsMismatch,
}

/// Where a finding is.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Location {
    /// Layer name.
    pub layer: String,
    /// Feature index (0-based, file order).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature: Option<usize>,
    /// Feature id, when the source had one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature_id: Option<FeatureId>,
    /// Part index within a multi-geometry or collection.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<usize>,
    /// Ring index within a polygon (0 = exterior).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ring: Option<usize>,
    /// Vertex index within its ring or line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vertex: Option<usize>,
    /// The position concerned, in the layer's CRS.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<[f64; 2]>,
}

impl Location {
    pub(crate) fn at_vertex(&self, vertex: usize, c: &Coord) -> Location {
        Location {
            vertex: Some(vertex),
            position: Some([c.x, c.y]),
            ..self.clone()
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "layer {:?}", self.layer)?;
        if let Some(i) = self.feature {
            write!(f, ", feature {i}")?;
            if let Some(id) = &self.feature_id {
                write!(f, " (id {id})")?;
            }
        }
        if let Some(p) = self.part {
            write!(f, ", part {p}")?;
        }
        if let Some(r) = self.ring {
            write!(f, ", ring {r}")?;
        }
        if let Some(v) = self.vertex {
            write!(f, ", vertex {v}")?;
        }
        if let Some([x, y]) = self.position {
            write!(f, " at ({x}, {y})")?;
        }
        Ok(())
    }
}

/// One problem found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// The check.
    pub check: Check,
    /// Where.
    pub location: Location,
    /// What, in words.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{sev}[{}]: {}: {}",
            check_code(self.check),
            self.location,
            self.message
        )
    }
}

fn check_code(c: Check) -> String {
    serde_json::to_value(c)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Tunable thresholds.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationOptions {
    /// A vertex is a spike when the line turns back by more than
    /// 180° − `spike_angle_deg` there (default 1°).
    pub spike_angle_deg: f64,
    /// Report rings not wound as RFC 7946 asks (default true).
    pub check_winding: bool,
}

impl Default for ValidationOptions {
    fn default() -> Self {
        ValidationOptions {
            spike_angle_deg: 1.0,
            check_winding: true,
        }
    }
}

/// Collects findings for one feature.
pub(crate) struct Sink<'a> {
    pub findings: &'a mut Vec<Finding>,
}

impl Sink<'_> {
    pub fn push(&mut self, severity: Severity, check: Check, location: Location, message: String) {
        self.findings.push(Finding {
            severity,
            check,
            location,
            message,
        });
    }
}

/// Run every check on every layer of a dataset.
///
/// ```
/// use terminus_vector::{validate, Coord, Dataset, Feature, Geometry, Layer, Polygon};
/// use terminus_geodesy::Crs;
/// let ring = vec![Coord::xy(0.0, 0.0), Coord::xy(1.0, 0.0), Coord::xy(1.0, 1.0)];
/// let mut layer = Layer::new("demo", Crs::WGS84);
/// layer.features.push(Feature::new(Geometry::Polygon(Polygon::new(vec![ring]))));
/// let findings = validate::validate_dataset(&Dataset { layers: vec![layer] }, &Default::default());
/// assert!(findings.iter().any(|f| f.check == validate::Check::UnclosedRing));
/// ```
pub fn validate_dataset(ds: &Dataset, opts: &ValidationOptions) -> Vec<Finding> {
    let mut findings = Vec::new();
    for layer in &ds.layers {
        findings.extend(validate_layer(layer, opts));
    }
    if let Some(first) = ds.layers.first() {
        for other in &ds.layers[1..] {
            if other.crs != first.crs {
                findings.push(Finding {
                    severity: Severity::Warning,
                    check: Check::MixedCrs,
                    location: Location {
                        layer: other.name.clone(),
                        ..Default::default()
                    },
                    message: format!(
                        "layer is in {} but layer {:?} is in {}: transform before comparing them",
                        other.crs.id(),
                        first.name,
                        first.crs.id()
                    ),
                });
            }
        }
    }
    findings
}

/// Run every check on one layer.
pub fn validate_layer(layer: &Layer, opts: &ValidationOptions) -> Vec<Finding> {
    let mut findings = Vec::new();
    let geographic = layer.crs.is_geographic();
    for (i, f) in layer.features.iter().enumerate() {
        let Some(g) = &f.geometry else { continue };
        let loc = Location {
            layer: layer.name.clone(),
            feature: Some(i),
            feature_id: f.id.clone(),
            ..Default::default()
        };
        let mut sink = Sink {
            findings: &mut findings,
        };
        if g.is_empty() {
            sink.push(
                Severity::Error,
                Check::EmptyPart,
                loc,
                "the geometry has no positions".into(),
            );
            continue;
        }
        validate_geometry(g, &loc, geographic, opts, &mut sink);
    }
    findings.extend(crs_fit::crs_fit(layer));
    if geographic {
        range::swapped_features(
            layer,
            &mut Sink {
                findings: &mut findings,
            },
        );
    }
    findings
}

fn validate_geometry(
    g: &Geometry,
    loc: &Location,
    geographic: bool,
    opts: &ValidationOptions,
    sink: &mut Sink,
) {
    range::check_coords(g, loc, geographic, sink);
    match g {
        Geometry::Point(_) | Geometry::MultiPoint(_) => {}
        Geometry::LineString(p) => line(p, loc, geographic, opts, sink),
        Geometry::MultiLineString(ps) => {
            for (k, p) in ps.iter().enumerate() {
                let l = Location {
                    part: Some(k),
                    ..loc.clone()
                };
                line(p, &l, geographic, opts, sink);
            }
        }
        Geometry::Polygon(p) => structure::polygon(p, loc, geographic, opts, sink),
        Geometry::MultiPolygon(ps) => {
            for (k, p) in ps.iter().enumerate() {
                let l = Location {
                    part: Some(k),
                    ..loc.clone()
                };
                structure::polygon(p, &l, geographic, opts, sink);
            }
        }
        Geometry::GeometryCollection(gs) => {
            for (k, g) in gs.iter().enumerate() {
                let l = Location {
                    part: Some(k),
                    ..loc.clone()
                };
                validate_geometry(g, &l, geographic, opts, sink);
            }
        }
    }
}

fn line(p: &[Coord], loc: &Location, geographic: bool, opts: &ValidationOptions, sink: &mut Sink) {
    if p.is_empty() {
        sink.push(
            Severity::Error,
            Check::EmptyPart,
            loc.clone(),
            "empty line".into(),
        );
        return;
    }
    if p.len() < 2 {
        sink.push(
            Severity::Error,
            Check::TooFewVertices,
            loc.at_vertex(0, &p[0]),
            "a line needs at least 2 positions, this one has 1".into(),
        );
        return;
    }
    vertices::check_path(p, loc, geographic, opts, false, sink);
    self_intersection::check_line(p, loc, sink);
}

/// Call `f` with every path of `g` (a line, a ring, or the positions of a
/// point or multipoint) and its location (part, ring).
pub(crate) fn for_each_path<'g>(
    g: &'g Geometry,
    loc: &Location,
    f: &mut dyn FnMut(&'g [Coord], Location),
) {
    match g {
        Geometry::Point(c) => f(std::slice::from_ref(c), loc.clone()),
        Geometry::LineString(p) | Geometry::MultiPoint(p) => f(p, loc.clone()),
        Geometry::MultiLineString(ps) => {
            for (k, p) in ps.iter().enumerate() {
                f(
                    p,
                    Location {
                        part: Some(k),
                        ..loc.clone()
                    },
                );
            }
        }
        Geometry::Polygon(p) => {
            for (r, ring) in p.rings.iter().enumerate() {
                f(
                    ring,
                    Location {
                        ring: Some(r),
                        ..loc.clone()
                    },
                );
            }
        }
        Geometry::MultiPolygon(ps) => {
            for (k, p) in ps.iter().enumerate() {
                for (r, ring) in p.rings.iter().enumerate() {
                    f(
                        ring,
                        Location {
                            part: Some(k),
                            ring: Some(r),
                            ..loc.clone()
                        },
                    );
                }
            }
        }
        Geometry::GeometryCollection(gs) => {
            for (k, g) in gs.iter().enumerate() {
                for_each_path(
                    g,
                    &Location {
                        part: Some(k),
                        ..loc.clone()
                    },
                    f,
                );
            }
        }
    }
}
