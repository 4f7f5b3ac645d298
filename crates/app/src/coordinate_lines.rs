//! Coordinates transformed line by line, as PROJ's `cs2cs` reads and
//! writes them, with every point checked against the area of use of the
//! datum transformation: what `terminus crs transform` runs.

use crate::Failure;
use terminus_geodesy::crs::transform::CrsTransform;
use terminus_geodesy::{AxisOrder, Crs, CrsKind, Xy};

/// What one chunk of input lines produced.
#[derive(Default)]
pub struct Chunk {
    /// The output lines.
    pub out: String,
    /// Errors and warnings, by input line.
    pub messages: Vec<String>,
    /// Lines that could not be transformed.
    pub bad: usize,
    /// Lines outside the transformation's area of use.
    pub outside: usize,
}

/// Transforms coordinate lines as cs2cs does: two numbers, the rest of the
/// line kept; each point checked against the transformation's area of use.
pub struct LineJob<'a> {
    /// The transformation.
    pub t: &'a CrsTransform,
    /// The input gives latitude (or northing) first.
    pub swap_in: bool,
    /// Write latitude (or northing) first.
    pub swap_out: bool,
    /// Decimals written.
    pub decimals: usize,
}

impl LineJob<'_> {
    /// The first two numbers of a line, in (x, y) order; `None` for a line
    /// without two tokens (kept as it is).
    pub fn parse(&self, text: &str) -> Option<Result<Xy, String>> {
        let mut it = text.split_whitespace();
        let (s1, s2) = (it.next()?, it.next()?);
        Some(match (s1.parse::<f64>(), s2.parse::<f64>()) {
            (Ok(v1), Ok(v2)) => Ok(if self.swap_in {
                Xy::new(v2, v1)
            } else {
                Xy::new(v1, v2)
            }),
            _ => Err(format!("{s1:?} {s2:?} are not two numbers")),
        })
    }

    /// Transform `lines`, the first being line `first_line` of the input.
    pub fn run(&self, lines: &[&str], first_line: usize) -> Chunk {
        use std::fmt::Write as _;
        let mut c = Chunk::default();
        let d = self.decimals;
        for (k, text) in lines.iter().enumerate() {
            let n = first_line + k;
            let rest = || {
                text.split_whitespace()
                    .skip(2)
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            match self.parse(text) {
                None => {
                    c.out.push_str(text);
                    c.out.push('\n');
                }
                Some(Err(m)) => {
                    c.messages.push(format!("line {n}: {m}"));
                    c.bad += 1;
                    let _ = writeln!(c.out, "* * {}", rest());
                }
                Some(Ok(p)) => {
                    if let Some(o) = self.t.operation() {
                        let at = self.t.source_geographic(p);
                        let (lat, lon) = (at.lat, at.lon);
                        let dist = o.area.distance_outside_m(at);
                        if dist > 0.0 {
                            c.outside += 1;
                            c.messages.push(format!(
                                "warning: line {n}: {lat:.6}, {lon:.6} lies {:.1} km outside the area of use of EPSG:{} ({})",
                                dist / 1000.0,
                                o.code,
                                o.area.name
                            ));
                        }
                    }
                    match self.t.apply(p) {
                        Ok(Xy { x: ox, y: oy }) => {
                            let (o1, o2) = if self.swap_out { (oy, ox) } else { (ox, oy) };
                            let _ = write!(c.out, "{o1:.d$} {o2:.d$}");
                            for r in text.split_whitespace().skip(2) {
                                c.out.push(' ');
                                c.out.push_str(r);
                            }
                            c.out.push('\n');
                        }
                        Err(e) => {
                            c.messages.push(format!("line {n}: {e}"));
                            c.bad += 1;
                            let _ = writeln!(c.out, "* * {}", rest());
                        }
                    }
                }
            }
        }
        c
    }
}

/// The Pulkovo 1942 → WGS 84 transformations valid at (`lat`, `lon`), most
/// accurate first, each with where it puts the point on WGS 84 and how far
/// that is from the default's: what `terminus crs ops` lists.
pub fn operations_at(
    src: &Crs,
    dst: &Crs,
    at: terminus_geodesy::LatLon,
) -> Result<Vec<OperationAt>, Failure> {
    use terminus_geodesy::{datum, measure, Ellipsoid, LatLon};
    let (lat, lon) = (at.lat, at.lon);
    if !at.is_valid() || lon.abs() > 360.0 {
        return Err(Failure::usage(format!(
            "--at {lat},{lon}: latitude must be within ±90° (swapped?)"
        )));
    }
    let pair = (
        src.definition().map(|d| d.datum_code),
        dst.definition().map(|d| d.datum_code),
    );
    if !matches!(pair, (Some(6284), Some(6326)) | (Some(6326), Some(6284))) {
        return Err(crate::Failure::usage(format!(
            "{} → {}: Terminus lists datum transformations between Pulkovo 1942 and WGS 84 (and their projections)",
            src.id(),
            dst.id()
        )));
    }
    let valid = datum::valid_at(LatLon::new(lat, lon));
    let results: Vec<(&datum::Transformation, LatLon)> =
        valid.iter().map(|t| (*t, t.forward(at))).collect();
    let base = results.first().map(|r| r.1);
    Ok(results
        .iter()
        .map(|(t, p)| {
            let d = base.map_or(0.0, |b| measure::path_length(&Ellipsoid::WGS84, [b, *p]));
            OperationAt {
                code: format!("EPSG:{}", t.code),
                name: t.name,
                method: format!("EPSG:{}", t.helmert.method.epsg()),
                accuracy_m: t.accuracy_m,
                area: t.area.name,
                wgs84_lat: p.lat,
                wgs84_lon: p.lon,
                metres_from_default: d,
            }
        })
        .collect())
}

/// One datum transformation valid at a point, as `terminus crs ops` lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OperationAt {
    /// "EPSG:CODE".
    pub code: String,
    /// EPSG's name for it.
    pub name: &'static str,
    /// The method, "EPSG:9603" (geocentric translations), 9606 or 9607.
    pub method: String,
    /// EPSG's stated accuracy, metres.
    pub accuracy_m: f64,
    /// Its area of use.
    pub area: &'static str,
    /// Where it puts the point on WGS 84, degrees.
    pub wgs84_lat: f64,
    /// Longitude likewise.
    pub wgs84_lon: f64,
    /// Geodesic distance from the default's (the first, most accurate) result, metres.
    pub metres_from_default: f64,
}

/// What `terminus crs ops --json` prints (docs/crs.md).
#[derive(Debug, Clone, serde::Serialize)]
pub struct OperationsSummary {
    /// The point, [latitude, longitude] in degrees of the source datum.
    pub at: [f64; 2],
    /// The transformations valid there, most accurate first.
    pub operations: Vec<OperationAt>,
}

/// Whether `crs` writes latitude (or northing) first in its EPSG axis order.
pub fn lat_first(crs: &Crs) -> bool {
    matches!(
        crs.definition().map(|d| d.axis_order),
        Some(AxisOrder::LatLon) | Some(AxisOrder::NorthEast)
    )
}

/// A run of `terminus crs transform`: what to transform, how it is written.
#[derive(Debug, Clone)]
pub struct TransformLinesRequest {
    /// The source CRS.
    pub from: Crs,
    /// The target CRS.
    pub to: Crs,
    /// The datum transformation named by the user, if any.
    pub op: Option<u32>,
    /// Longitude/easting first in and out, whatever the EPSG axis order.
    pub xy: bool,
    /// Decimals for metres; degrees get 5 more (as GeodSolve -p).
    pub precision: usize,
}

/// What the lines gave: the output and messages chunk by chunk, in input
/// order, and the datum transformation used.
pub struct TransformedLines {
    /// The chunks, in input order.
    pub chunks: Vec<Chunk>,
    /// The EPSG transformation taken, if the datum changed.
    pub operation: Option<&'static terminus_geodesy::datum::Transformation>,
}

impl TransformedLines {
    /// Lines that could not be transformed, in all.
    pub fn bad(&self) -> usize {
        self.chunks.iter().map(|c| c.bad).sum()
    }
    /// Points outside the transformation's area of use, in all.
    pub fn outside(&self) -> usize {
        self.chunks.iter().map(|c| c.outside).sum()
    }
}

/// Transform the text's coordinate lines (cs2cs's form) on every core; the
/// datum transformation is the one named, or EPSG's most accurate at the
/// first point, and is reported in the result.
pub fn transform_lines(
    req: &TransformLinesRequest,
    text: &str,
) -> Result<TransformedLines, Failure> {
    if req.precision > 12 {
        return Err(Failure::usage(format!(
            "-p {}: at most 12 (degrees then get 17 decimals, beyond double precision)",
            req.precision
        )));
    }
    let lines: Vec<&str> = text.lines().collect();
    let (swap_in, swap_out) = (
        !req.xy && lat_first(&req.from),
        !req.xy && lat_first(&req.to),
    );
    let decimals = if req.to.is_geographic() {
        req.precision + 5
    } else {
        req.precision
    };
    // The datum transformation is chosen at the first point.
    let identity = CrsTransform::new(&req.from, &req.from, None, None)
        .map_err(|e| Failure::usage(e.to_string()))?;
    let probe = LineJob {
        t: &identity,
        swap_in,
        swap_out,
        decimals,
    };
    let first = lines
        .iter()
        .find_map(|l| probe.parse(l).and_then(Result::ok));
    let at = first.map(|p| identity.source_geographic(p));
    let t = CrsTransform::new(&req.from, &req.to, req.op, at)
        .map_err(|e| Failure::failed(e.to_string()))?;
    let job = LineJob {
        t: &t,
        swap_in,
        swap_out,
        decimals,
    };
    // Lines are independent: transform them in chunks on every core
    // (numbered from 1 in messages).
    let chunks = crate::chunks::in_order(
        &lines,
        |part, first| job.run(part, first + 1),
        Chunk::default,
    );
    Ok(TransformedLines {
        chunks,
        operation: t.operation(),
    })
}

/// A CRS's ellipsoid, as `terminus crs info` gives it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EllipsoidDescription {
    /// Its name.
    pub name: &'static str,
    /// Semi-major axis, metres.
    pub a: f64,
    /// Inverse flattening.
    pub inv_f: f64,
}

/// A transverse Mercator's parameters.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ProjectionDescription {
    /// Latitude of origin, degrees.
    pub lat0: f64,
    /// Central meridian, degrees.
    pub lon0: f64,
    /// Scale on the central meridian.
    pub k0: f64,
    /// False easting, metres.
    pub false_easting: f64,
    /// False northing, metres.
    pub false_northing: f64,
}

/// What `terminus crs info --json` prints (docs/crs.md); the fields other
/// than `id`, `name` and `wkt` are `null` for a CRS Terminus does not know.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CrsDescription {
    /// "EPSG:CODE", or the text given.
    pub id: String,
    /// Its name.
    pub name: String,
    /// geographic, transverse_mercator or web_mercator.
    pub kind: Option<&'static str>,
    /// The datum's name, e.g. "Pulkovo_1942".
    pub datum: Option<&'static str>,
    /// Its ellipsoid.
    pub ellipsoid: Option<EllipsoidDescription>,
    /// Axis order as EPSG defines it: LatLon, EastNorth or NorthEast.
    pub axis_order: Option<String>,
    /// The projection's parameters, for a transverse Mercator.
    pub projection: Option<ProjectionDescription>,
    /// WKT 1 (a CRS Terminus does not know: the text it was given).
    pub wkt: String,
}

/// Describe a CRS.
pub fn describe_crs(crs: &Crs) -> CrsDescription {
    let def = crs.definition();
    CrsDescription {
        id: crs.id(),
        name: crs.name(),
        kind: def.as_ref().map(|d| match d.kind {
            CrsKind::Geographic => "geographic",
            CrsKind::TransverseMercator { .. } => "transverse_mercator",
            CrsKind::WebMercator => "web_mercator",
        }),
        datum: def.as_ref().map(|d| d.datum),
        ellipsoid: def.as_ref().map(|d| EllipsoidDescription {
            name: d.ellipsoid.name,
            a: d.ellipsoid.a,
            inv_f: d.ellipsoid.inv_f,
        }),
        axis_order: def.as_ref().map(|d| format!("{:?}", d.axis_order)),
        projection: def.as_ref().and_then(|d| match d.kind {
            CrsKind::TransverseMercator {
                lat0,
                lon0,
                k0,
                false_easting,
                false_northing,
            } => Some(ProjectionDescription {
                lat0,
                lon0,
                k0,
                false_easting,
                false_northing,
            }),
            _ => None,
        }),
        wkt: crs.to_wkt(),
    }
}
