//! Coordinates transformed line by line, as PROJ's `cs2cs` reads and
//! writes them, with every point checked against the area of use of the
//! datum transformation: what `terminus crs transform` runs.

use terminus_geodesy::crs::transform::CrsTransform;

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
    pub fn parse(&self, text: &str) -> Option<Result<(f64, f64), String>> {
        let mut it = text.split_whitespace();
        let (s1, s2) = (it.next()?, it.next()?);
        Some(match (s1.parse::<f64>(), s2.parse::<f64>()) {
            (Ok(v1), Ok(v2)) => Ok(if self.swap_in { (v2, v1) } else { (v1, v2) }),
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
                Some(Ok((x, y))) => {
                    if let Some(o) = self.t.operation() {
                        let at = self.t.source_geographic(x, y);
                        let (lat, lon) = (at.lat, at.lon);
                        let dist = o.area.distance_outside_m(lat, lon);
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
                    match self.t.apply(x, y) {
                        Ok((ox, oy)) => {
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
    src: &terminus_geodesy::Crs,
    dst: &terminus_geodesy::Crs,
    lat: f64,
    lon: f64,
) -> Result<Vec<serde_json::Value>, crate::Failure> {
    use terminus_geodesy::{datum, measure, Ellipsoid, LatLon};
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
    let results: Vec<(&datum::Transformation, LatLon)> = valid
        .iter()
        .map(|t| {
            let (la, lo) = t.forward(lat, lon);
            (*t, LatLon::new(la, lo))
        })
        .collect();
    let base = results.first().map(|r| r.1);
    Ok(results
        .iter()
        .map(|(t, p)| {
            let d = base.map_or(0.0, |b| measure::path_length(&Ellipsoid::WGS84, [b, *p]));
            serde_json::json!({
                "code": format!("EPSG:{}", t.code), "name": t.name, "method": format!("EPSG:{}", t.helmert.method.epsg()),
                "accuracy_m": t.accuracy_m, "area": t.area.name, "wgs84_lat": p.lat, "wgs84_lon": p.lon, "metres_from_default": d,
            })
        })
        .collect())
}
