//! Geodesic problems line by line in GeographicLib `GeodSolve`'s input and
//! output format (inverse, direct, densify, intersect, nearest), so results
//! can be diffed against GeographicLib: what `terminus geodesic` runs.

use crate::failure::Failure;
use terminus_geodesy::{Ellipsoid, Geodesic, LatLon};

/// An ellipsoid by name (wgs84, grs80, krassowsky, or EPSG ellipsoid code)
/// or as `A,INVF`.
pub fn ellipsoid(text: &str) -> Result<Ellipsoid, Failure> {
    match text.to_ascii_lowercase().as_str() {
        "wgs84" | "wgs 84" | "7030" => Ok(Ellipsoid::WGS84),
        "grs80" | "grs 80" | "7019" => Ok(Ellipsoid::GRS80),
        "krassowsky" | "krasovsky" | "krassowsky1940" | "7024" => Ok(Ellipsoid::KRASSOWSKY_1940),
        other => {
            let (a, f) = other
                .split_once(',')
                .and_then(|(a, f)| {
                    Some((a.trim().parse::<f64>().ok()?, f.trim().parse::<f64>().ok()?))
                })
                .ok_or_else(|| {
                    Failure::usage(format!(
                        "--ellipsoid {text}: expected wgs84, grs80, krassowsky or A,INVF"
                    ))
                })?;
            if !(a > 1.0 && a.is_finite() && f > 1.0 && f.is_finite()) {
                return Err(Failure::usage(format!(
                    "--ellipsoid {text}: need a > 1 m and 1/f > 1 (an oblate ellipsoid)"
                )));
            }
            Ok(Ellipsoid::new("custom", a, f))
        }
    }
}

/// A number, or an angle in DMS.
pub fn number(tok: &str, axis: terminus_geodesy::angle::Axis) -> Result<f64, String> {
    match tok.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(format!("{tok:?} is not a finite number")),
        Err(_) => terminus_geodesy::angle::parse_angle(tok, axis),
    }
}

/// A latitude within ±90°.
pub fn latitude(tok: &str) -> Result<f64, String> {
    let v = number(tok, terminus_geodesy::angle::Axis::Latitude)?;
    if v.abs() > 90.0 {
        return Err(format!("Latitude {v}d not in [-90d, 90d]"));
    }
    Ok(v)
}

/// Which problem each line poses.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Problem {
    /// Two points → azimuths and distance.
    Inverse,
    /// A point, azimuth and distance → the other point.
    Direct,
    /// Two points → points along the geodesic.
    Densify,
    /// Two segments → their intersection.
    Intersect,
    /// A point and a segment → the nearest point.
    Nearest,
}

/// The solver of one kind of line.
pub struct Job<'a> {
    /// The geodesic.
    pub g: &'a Geodesic,
    /// The gnomonic projection (intersect, nearest).
    pub gn: &'a terminus_geodesy::geodesic::Gnomonic,
    /// The problem.
    pub problem: Problem,
    /// All outputs (GeodSolve -f).
    pub full: bool,
    /// Decimals of distances (GeodSolve -p).
    pub p: usize,
    /// Densify: spacing, metres.
    pub spacing: Option<f64>,
    /// Densify: largest departure, metres.
    pub tolerance: Option<f64>,
}

impl Job<'_> {
    /// Solve one input line, appending the output line (or `ERROR: …`) to
    /// `out`; false on error.
    pub fn line(&self, text: &str, out: &mut String) -> bool {
        use std::fmt::Write as _;
        use terminus_geodesy::angle::Axis;
        let t: Vec<&str> = text.split_whitespace().collect();
        if t.is_empty() {
            out.push('\n');
            return true;
        }
        let (pa, pl, ps) = (self.p + 5, self.p, self.p.saturating_sub(3));
        let r: Result<(), String> = (|| {
            let need = match self.problem {
                Problem::Intersect => 8,
                Problem::Nearest => 6,
                _ => 4,
            };
            if t.len() < need {
                return Err(format!("need {need} numbers, found {}", t.len()));
            }
            let lat1 = latitude(t[0])?;
            let lon1 = number(t[1], Axis::Longitude)?;
            let pt = |i: usize| -> Result<LatLon, String> {
                Ok(LatLon::new(
                    latitude(t[i])?,
                    number(t[i + 1], Axis::Longitude)?,
                ))
            };
            let p1 = LatLon::new(lat1, lon1);
            match self.problem {
                Problem::Densify => {
                    let (a, b) = (p1, pt(2)?);
                    let pts = match (self.spacing, self.tolerance) {
                        (Some(s), _) => {
                            terminus_geodesy::geodesic::densify_by_spacing(self.g, a, b, s)
                        }
                        (None, Some(tol)) => {
                            terminus_geodesy::geodesic::densify_by_tolerance(self.g, a, b, tol)
                        }
                        (None, None) => return Err("give --spacing or --tolerance".into()),
                    }
                    .map_err(|e| e.to_string())?;
                    for p in pts {
                        let _ = writeln!(out, "{:.pa$} {:.pa$}", p.lat, p.lon);
                    }
                    return Ok(());
                }
                Problem::Intersect => {
                    let r = terminus_geodesy::geodesic::intersect_segments(
                        self.gn.geodesic(),
                        p1,
                        pt(2)?,
                        pt(4)?,
                        pt(6)?,
                    )
                    .map_err(|e| e.to_string())?;
                    match r {
                        Some(x) => {
                            let _ = write!(
                                out,
                                "{:.pa$} {:.pa$} {:.pl$} {:.pl$} {}",
                                x.lat, x.lon, x.along_first, x.along_second, x.within_both as u8
                            );
                        }
                        None => out.push_str("none"),
                    }
                    return Ok(());
                }
                Problem::Nearest => {
                    let n =
                        terminus_geodesy::geodesic::nearest_on_segment(self.gn, pt(2)?, pt(4)?, p1)
                            .map_err(|e| e.to_string())?;
                    let _ = write!(
                        out,
                        "{:.pa$} {:.pa$} {:.pl$} {:.pl$} {}",
                        n.lat, n.lon, n.distance, n.along, n.side
                    );
                    return Ok(());
                }
                _ => {}
            }
            if self.problem == Problem::Inverse {
                let lat2 = latitude(t[2])?;
                let lon2 = number(t[3], Axis::Longitude)?;
                let (s12, azi1, azi2, m12, _mm12, _mm21, s_12, a12): (
                    f64,
                    f64,
                    f64,
                    f64,
                    f64,
                    f64,
                    f64,
                    f64,
                ) = geographiclib_inverse(self.g, lat1, lon1, lat2, lon2);
                let _ = write!(out, "{azi1:.pa$} {azi2:.pa$} {s12:.pl$}");
                if self.full {
                    let _ = write!(out, " {a12:.pa$} {m12:.pl$} {s_12:.ps$}");
                }
            } else {
                let azi1 = number(t[2], Axis::Longitude)?;
                let s12 = number(t[3], Axis::Longitude).or_else(|_| {
                    t[3].parse::<f64>()
                        .map_err(|_| format!("{:?} is not a distance", t[3]))
                })?;
                let (lat2, lon2, azi2, m12, _mm12, _mm21, s_12, a12) =
                    geographiclib_direct(self.g, lat1, lon1, azi1, s12);
                let _ = write!(out, "{lat2:.pa$} {lon2:.pa$} {azi2:.pa$}");
                if self.full {
                    let _ = write!(out, " {a12:.pa$} {m12:.pl$} {s_12:.ps$}");
                }
            }
            Ok(())
        })();
        match r {
            Ok(()) => {
                // Densify ends each segment's points with a blank line.
                out.push('\n');
                true
            }
            Err(m) => {
                let _ = writeln!(out, "ERROR: {m}");
                false
            }
        }
    }
}

/// GeographicLib's full inverse solution.
pub fn geographiclib_inverse(
    g: &Geodesic,
    lat1: f64,
    lon1: f64,
    lat2: f64,
    lon2: f64,
) -> (f64, f64, f64, f64, f64, f64, f64, f64) {
    use terminus_geodesy::measure::InverseGeodesic;
    g.inverse(lat1, lon1, lat2, lon2)
}

/// GeographicLib's full direct solution.
pub fn geographiclib_direct(
    g: &Geodesic,
    lat1: f64,
    lon1: f64,
    azi1: f64,
    s12: f64,
) -> (f64, f64, f64, f64, f64, f64, f64, f64) {
    use terminus_geodesy::measure::DirectGeodesic;
    g.direct(lat1, lon1, azi1, s12)
}
